//! Setting up LVS on this machine: plans for the NAT, DR and TUN roles (as Operations), the
//! doctor that finds the classic mistakes, and the files that make a setup survive a reboot.
//! Pure over `HostState` and the IPVS `Snapshot`; gathering and applying are separate.

pub mod answers;
pub mod doctor;
pub mod facts;
pub mod gather;
pub mod net;
pub mod persist;
pub mod plan;
pub mod plan_file;
pub mod role;

pub use plan::plan_operations;
pub use plan_file::{Plan, PlanError};
pub use role::Role;
