//! keepalived, read without patching it: its dump files (SIGUSR1 writes keepalived.data and
//! keepalived_check.data, its JSON signal keepalived.json), parsed into plain data.

pub mod check;
pub mod dump;
pub mod json;
pub mod model;
pub mod process;
pub mod reader;
pub mod vrrp;

#[cfg(test)]
mod tests;

pub use dump::DumpError;
pub use model::*;
