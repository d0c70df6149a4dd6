//! keepalived, read without patching it: its dump files (SIGUSR1 writes keepalived.data and
//! keepalived_check.data, its JSON signal keepalived.json) and its notify FIFOs, parsed into
//! plain data.

pub mod check;
pub mod conf;
pub mod dump;
pub mod follow;
pub mod json;
pub mod model;
pub mod notify;
pub mod process;
pub mod reader;
pub mod vrrp;

#[cfg(test)]
mod notify_tests;
#[cfg(test)]
mod tests;

pub use dump::DumpError;
pub use model::*;
