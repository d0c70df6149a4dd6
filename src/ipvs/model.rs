//! The IPVS domain model: services, real servers, counters, timeouts, sync daemons.
//!
//! Every ipvsadm 1.31 option has a typed home here. Values are valid by construction when they
//! come from `ipvs::parse`; values read from the kernel are taken as the kernel reports them.

mod dest;
mod key;
mod service;
mod state;

pub use dest::*;
pub use key::*;
pub use service::*;
pub use state::*;
