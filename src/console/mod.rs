//! The console's state and how it changes: `App`, the actions that reach it, `update`, the
//! keymap and its layers, the forms, the panes' state and the change keys. Pure: no terminal,
//! no runtime. The terminal and the event loop are `crate::runtime`; drawing is `crate::ui`.
//!
//! Flow: a terminal event or a poll result becomes an `Action`; `update(&mut App, Action)`
//! changes the state and returns `Effect`s for the runtime (apply a change, read the audit log,
//! quit); the loop redraws when something changed.

pub mod action;
pub mod app;
pub mod change;
pub mod director;
pub mod drain;
pub mod fleet;
pub mod follow;
pub mod form;
pub mod guard;
pub mod keys;
pub mod operate;
pub mod owners;
pub mod panes;
pub mod rates;
pub mod stack;
pub mod stale;
pub mod update;
pub mod view;
pub mod wizard;

pub use action::{Action, Command, Effect};
pub use app::{App, Focus, Source};
pub use keys::keymap::Keymap;
pub use update::update;
