//! Directors elsewhere: `ipvs-tui agent` serves a director's [`Backend`] on its standard input
//! and output ([`protocol`]), and [`Remote`] is a `Backend` that speaks to one through a child
//! process: `ssh -T HOST ipvs-tui agent`, `ip netns exec NAME ...`, or any command ([`Target`]).
//!
//! For a console of several directors, the whole interface is:
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! use ipvs_tui::backend::Backend;
//! use ipvs_tui::remote::{self, target};
//! // A name of config.toml's [[director]], or a target: ssh:root@lb1, netns:lb2, exec:CMD, local.
//! let spec = target::resolve_with_config("lb1")?;
//! let lb1 = remote::connect(&spec).await?; // Rc<Remote>; one sentence when it cannot be reached
//! let hello = lb1.hello(); // Some after a link opened: its host name, IPVS version, read-only
//! let table = lb1.poll(Default::default()).await?; // as any Backend (Rc<Remote> is an Rc<dyn Backend>)
//! let vrrp = lb1.keepalived(None).await?; // keepalived's state there
//! # Ok(()) }
//! ```
//!
//! Errors to tell apart: `ipvs::Error::Unreachable` (a read that could not reach it; the next
//! call starts the link again, at most every `director::RECONNECT_EVERY`) and
//! `ipvs::Error::Unknown` (a change whose link dropped in flight: read before saying more).
//! Dropping the last `Rc<Remote>` kills its child process, so no agent outlives the console.
//!
//! [`Backend`]: crate::backend::Backend

pub mod agent;
pub mod client;
pub mod conns;
pub mod director;
mod lines;
pub mod persist;
pub mod protocol;
mod quiet_pipe;
pub mod serve;
pub mod target;

pub use client::ConnectError;
pub use director::{Remote, connect};
pub use target::{DirectorEntry, DirectorSpec, Target, TargetError};
