//! Directors elsewhere: `ipvs-tui agent` serves a director's [`Backend`] on its standard input
//! and output ([`protocol`]), and [`Remote`] is a `Backend` that speaks to one through a child
//! process: `ssh -T HOST ipvs-tui agent`, `ip netns exec NAME ...`, or any command ([`Target`]).
//!
//! [`Backend`]: crate::backend::Backend

pub mod agent;
pub mod conns;
mod lines;
pub mod protocol;
pub mod serve;
