//! The kernel's "IPVS" generic-netlink family on netlink-packet-generic: attributes, the message
//! payload, model <-> attribute conversion, and readable kernel errors.
//!
//! Byte orders follow the kernel, not intuition: ports are big-endian, everything else is host
//! order, addresses are always 16 bytes read by address family, and the IPv6 "netmask" is a
//! prefix length. See shared/ipvs-netlink-reference.md §2-3.

pub mod attrs;
pub mod daemon_attrs;
pub mod decode;
pub mod dest_attrs;
pub mod encode;
pub mod errno;
pub mod message;
pub mod service_attrs;
pub mod socket;
pub mod stats_attrs;
mod wire;

pub use attrs::IpvsAttr;
pub use daemon_attrs::DaemonAttr;
pub use dest_attrs::DestAttr;
pub use message::{IpvsMessage, cmd};
pub use service_attrs::SvcAttr;
pub use stats_attrs::{StatKind, StatsAttr};

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests_fuzz;
#[cfg(test)]
mod tests_roundtrip;
#[cfg(test)]
mod tests_wire;
