//! One file per pane; each draws into the area it is given and reads `App` only.

pub mod audit;
pub mod conns;
pub mod detail;
pub mod directors;
pub mod doctor;
pub mod footer;
pub mod header;
pub mod interfaces;
pub mod keepalived;
pub mod offline;
pub mod owners;
pub mod persist;
pub mod servers;
pub mod services;
pub mod sysctls;
