//! The console's runtime: start-up (configuration, director, terminal), the event loop, the
//! poller, the executor, and the terminal plumbing (raw mode, a byte-lean ratatui backend, the
//! size cache). It feeds `console::update` with actions and carries out the effects it returns.

pub mod conn_source;
pub mod executor;
mod follow;
pub mod lean_backend;
mod open;
pub mod poller;
pub mod runloop;
mod start;
mod term_events;
pub mod term_size;
mod terminal;

pub use start::{Options, run};
