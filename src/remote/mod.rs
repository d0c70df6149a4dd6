//! Directors elsewhere: `ipvs-tui agent` serves a director's [`Backend`] on its standard input
//! and output ([`protocol`]), and [`Remote`] is a `Backend` that speaks to one through a child
//! process: `ssh -T HOST ipvs-tui agent`, `ip netns exec NAME ...`, or any command ([`Target`]).
//!
//! [`Backend`]: crate::backend::Backend

pub mod agent;
pub mod client;
pub mod conns;
pub mod director;
mod lines;
pub mod protocol;
mod quiet_pipe;
pub mod serve;
pub mod target;

pub use client::ConnectError;
pub use director::{Remote, connect};
pub use target::{DirectorEntry, DirectorSpec, Target, TargetError};
