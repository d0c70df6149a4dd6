//! `ipvs-tui sandbox nat|dr|tun`: a practice LVS lab in network namespaces only (a client, a
//! director, two real servers answering HTTP with their names), with traffic to send and a
//! `down` that finds and removes everything by its name, also after a crash. The host's own IPVS
//! table and interfaces are never touched: IPVS, links and net sysctls are per namespace.
//!
//! Namespaces, veth pairs and bridges are made by `ip` (the project has no code for them);
//! addresses, links, routes and sysctls by `host`, and the roles by `setup` plans, run inside
//! each namespace; the responders are this binary (`sandbox serve`, hidden).

mod down;
mod serve;
mod space;
pub mod topology;
mod traffic;
mod up;

pub use down::{down, status};
pub use serve::serve;
pub use topology::{Kind, Lab};
pub use traffic::traffic;
pub use up::up;

use crate::setup::Role;

/// Why a sandbox command failed, in one line.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox needs root (it makes network namespaces): run it with sudo")]
    NotRoot,
    #[error("the sandbox needs the ip command (iproute2)")]
    NoIpCommand,
    #[error("{0}")]
    NoModule(String),
    #[error("a {0} sandbox is already up: `ipvs-tui sandbox down` removes it")]
    AlreadyUp(Kind),
    #[error("pieces of a sandbox are left ({}): `ipvs-tui sandbox down` removes them", .0.join(", "))]
    Partial(Vec<String>),
    #[error("no sandbox is up: make one with `ipvs-tui sandbox nat` (or dr, tun)")]
    NotUp,
    #[error("{command}: {stderr}")]
    Ip { command: String, stderr: String },
    #[error(transparent)]
    Netns(#[from] crate::netns::NetnsError),
    #[error("in {ns}: {what}")]
    Inside { ns: String, what: String },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl SandboxError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> SandboxError {
        SandboxError::Io {
            context: context.into(),
            source,
        }
    }

    fn inside(ns: &str, what: impl std::fmt::Display) -> SandboxError {
        SandboxError::Inside {
            ns: ns.to_string(),
            what: what.to_string(),
        }
    }
}

/// Refuses early, before anything is made, unless running as root.
fn need_root() -> Result<(), SandboxError> {
    if nix::unistd::geteuid().is_root() {
        Ok(())
    } else {
        Err(SandboxError::NotRoot)
    }
}

/// The wizard's offer for `role`: the sandbox that practises it.
pub fn offer(role: Role) -> String {
    let kind = match role {
        Role::NatDirector | Role::NatRealServer => Kind::Nat,
        Role::DrDirector | Role::DrRealServer => Kind::Dr,
        Role::TunDirector | Role::TunRealServer => Kind::Tun,
    };
    format!("try it in the sandbox first: ipvs-tui sandbox {kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_is_offered_its_sandbox_and_errors_read_in_one_line() {
        assert_eq!(
            offer(Role::NatRealServer),
            "try it in the sandbox first: ipvs-tui sandbox nat"
        );
        assert!(offer(Role::DrDirector).ends_with("sandbox dr"));
        for e in [
            SandboxError::NotRoot,
            SandboxError::AlreadyUp(Kind::Dr),
            SandboxError::Partial(vec!["ipvstui-sb-nat-client".into()]),
        ] {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
        assert_eq!(
            SandboxError::AlreadyUp(Kind::Nat).to_string(),
            "a nat sandbox is already up: `ipvs-tui sandbox down` removes it"
        );
    }
}
