//! Errors of the host layer (addresses, sysctls), worded for the operator: what failed and why.

use crate::ipvs::error::{SharedError, prefix};
use std::net::IpAddr;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// The kernel refused `what` (e.g. "adding an address") with an errno, kept as the source.
    #[error("{what} failed: {source}")]
    Failed { what: String, source: SharedError },
    /// A system call, a file or the netlink connection failed: `context` says what was being
    /// done (empty when the source says it all).
    #[error("{}{source}", prefix(context))]
    Io {
        context: String,
        source: SharedError,
    },
}

impl HostError {
    /// `context: source`, e.g. `HostError::io("cannot set net.ipv4.ip_forward", e)`.
    pub fn io(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> HostError {
        HostError::Io {
            context: context.into(),
            source: SharedError::new(source),
        }
    }
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
        _ => HostError::Failed {
            what: what.to_string(),
            source: SharedError::new(std::io::Error::from_raw_os_error(errno)),
        },
    }
}
