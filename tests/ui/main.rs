//! The console without a real terminal (and, in `tmux`, in one): keys through the keymap into
//! `update`, screens drawn on ratatui's TestBackend and compared with insta snapshots
//! (tests/ui/snapshots), the event loop run headless. One test binary; each module was once its
//! own.

mod keys;
mod logs;
mod rig;
mod screen;
mod svg;

mod audit;
mod conns;
mod conns_remote;
mod doctor;
mod event_loop;
mod fleet;
mod follow;
mod forms;
mod host;
mod operate;
mod owners;
mod persist;
mod persist_remote;
mod scale;
mod screens;
mod screenshots;
mod tmux;
mod tmux_scroll;
mod update;
mod wizard;
