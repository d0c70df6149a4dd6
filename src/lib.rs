//! ipvs-tui: a terminal console and scriptable command line for Linux IPVS (LVS) load balancers.
//!
//! `ipvs` is the IPVS domain (model, parsing, netlink, rules files) and `host` the machine around
//! it (addresses, routes, sysctls); neither knows of terminals. `operation` joins their changes,
//! and `backend` is a director: one table and its host, read and changed through one trait.
//! `cli` is the command line built on it; `console` (state, keys, event loop) and `ui` (drawing)
//! are the full-screen console.

pub mod backend;
pub mod cli;
pub mod config;
pub mod console;
pub mod directors;
pub mod host;
pub mod ipvs;
pub mod logging;
pub mod netns;
pub mod operation;
pub mod owners;
pub mod remote;
pub mod runtime;
pub mod sandbox;
pub mod setup;
pub mod sys;
pub mod ui;

/// What the crate's own tests share.
#[cfg(test)]
mod testing {
    use proptest::test_runner::{Config, FileFailurePersistence};

    /// Proptest's defaults, but a failing case is saved beside its test file
    /// (`name.proptest-regressions`), not in a folder at the top of the repository.
    pub fn proptest_config() -> Config {
        Config {
            failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
                "proptest-regressions",
            ))),
            ..Config::default()
        }
    }
}
