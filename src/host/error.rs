//! Errors of the host layer (addresses, sysctls), worded for the operator: what failed and why.

use std::net::IpAddr;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum HostError {
    /// The change breaks the parsers' rules (built without them): the parser's message.
    #[error("{0}")]
    Invalid(String),
    #[error("interface {0} does not exist")]
    NoInterface(String),
    #[error("address {addr}/{prefix} is already on {dev}")]
    AddressExists {
        dev: String,
        addr: IpAddr,
        prefix: u8,
    },
    #[error("address {addr}/{prefix} is not on {dev}")]
    AddressMissing {
        dev: String,
        addr: IpAddr,
        prefix: u8,
    },
    /// The gateway of a route is on no subnet this host is connected to.
    #[error(
        "gateway {0} is not on a directly connected subnet of this host (the kernel has no route to it)"
    )]
    Unreachable(IpAddr),
    #[error("there is no default route via {0}")]
    RouteMissing(IpAddr),
    /// A known sysctl that this kernel does not have (ip_vs not loaded, interface gone).
    #[error("sysctl {0} does not exist on this host{hint}", hint = missing_hint(.0))]
    NoSysctl(String),
    /// `what` is the action, e.g. "adding an address".
    #[error("permission denied: {0} needs root or CAP_NET_ADMIN")]
    Permission(String),
    /// The kernel refused, with its reason in words.
    #[error("{0}")]
    Kernel(String),
    #[error("{0}")]
    Io(String),
}

fn missing_hint(name: &str) -> &'static str {
    if name.starts_with("net.ipv4.vs.") {
        " (is the ip_vs module loaded?)"
    } else {
        ""
    }
}

/// The errno of a failed change, in words; `what` says what was being done.
pub(crate) fn errno_error(what: &str, errno: i32) -> HostError {
    match errno {
        libc::EPERM | libc::EACCES => HostError::Permission(what.to_string()),
        _ => HostError::Kernel(format!(
            "{what} failed: {}",
            std::io::Error::from_raw_os_error(errno)
        )),
    }
}
