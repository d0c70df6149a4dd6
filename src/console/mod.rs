//! The full-screen console: state, actions, `update`, the keymap, and the event loop that ties
//! them to a terminal and a backend. Drawing lives in `crate::ui`.
//!
//! Flow: a terminal event or a poll result becomes an `Action`; `update(&mut App, Action)`
//! changes the state and returns `Effect`s for the loop (quit, poll interval, demo); the loop
//! redraws when something changed.

pub mod action;
pub mod app;
pub mod changes;
pub mod config;
pub mod conn_source;
pub mod conns;
pub mod doctor;
pub mod drain;
pub mod form;
pub mod hostpanes;
pub mod input;
pub mod keymap;
pub mod keys;
pub mod layers;
pub mod lean_backend;
pub mod navigate;
pub mod operate;
pub mod palette;
pub mod persist;
pub mod poller;
pub mod rates;
pub mod runloop;
pub mod settings;
mod start;
pub mod term_size;
mod terminal;
pub mod update;
pub mod view;
pub mod wizard;

pub use action::{Action, Command, Effect};
pub use app::{App, Focus, Source};
pub use keymap::Keymap;
pub use start::{Options, run};
pub use update::update;
