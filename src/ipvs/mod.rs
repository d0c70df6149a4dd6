//! The IPVS domain: typed model, text parsing, the kernel's netlink interface and the ipvsadm formats.
//! Nothing here knows that a terminal exists.

pub mod args;
pub mod conns;
pub mod error;
pub mod kernel;
pub mod label;
pub mod listing;
pub mod model;
pub mod names;
pub mod netlink;
pub mod op;
pub mod parse;
pub mod procfs;
pub mod rates;
pub mod rules;
pub mod sim;
pub mod table;

pub use error::{Error, Result};
pub use op::IpvsOp;
