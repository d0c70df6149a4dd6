//! A virtual service: scheduler and its flags, persistence, one-packet, persistence engine.

use super::{Dests, Family, ServiceKey, Stats};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// The schedulers shipped with Linux; the kernel accepts any other loaded module's name too.
pub const KNOWN_SCHEDULERS: [&str; 14] = [
    "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos",
];

/// ipvsadm's default scheduler.
pub const DEFAULT_SCHEDULER: &str = "wlc";

/// Scheduler flags (`-b`): three generic bits whose names depend on the scheduler.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SchedFlags {
    /// `sh-fallback` / `mh-fallback` / `flag-1`
    pub flag1: bool,
    /// `sh-port` / `mh-port` / `flag-2`
    pub flag2: bool,
    /// `flag-3` (no in-tree scheduler uses it)
    pub flag3: bool,
}

impl SchedFlags {
    pub const BIT1: u32 = 0x0008;
    pub const BIT2: u32 = 0x0010;
    pub const BIT3: u32 = 0x0020;

    pub fn is_empty(&self) -> bool {
        !(self.flag1 || self.flag2 || self.flag3)
    }

    pub fn bits(&self) -> u32 {
        (if self.flag1 { Self::BIT1 } else { 0 })
            | (if self.flag2 { Self::BIT2 } else { 0 })
            | (if self.flag3 { Self::BIT3 } else { 0 })
    }

    pub fn from_bits(bits: u32) -> SchedFlags {
        SchedFlags {
            flag1: bits & Self::BIT1 != 0,
            flag2: bits & Self::BIT2 != 0,
            flag3: bits & Self::BIT3 != 0,
        }
    }

    /// The names ipvsadm prints for these flags under `scheduler`, comma-separated.
    pub fn names(&self, scheduler: &str) -> String {
        let mut names = Vec::new();
        match scheduler {
            "sh" | "mh" => {
                if self.flag1 {
                    names.push(format!("{scheduler}-fallback"));
                }
                if self.flag2 {
                    names.push(format!("{scheduler}-port"));
                }
            }
            _ => {
                for (set, name) in [
                    (self.flag1, "flag-1"),
                    (self.flag2, "flag-2"),
                    (self.flag3, "flag-3"),
                ] {
                    if set {
                        names.push(name.to_string());
                    }
                }
            }
        }
        names.join(",")
    }
}

/// Granularity of persistence: clients within one netmask (IPv4) or prefix (IPv6) stick together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Netmask {
    V4(Ipv4Addr),
    /// IPv6 prefix length, 1..=128.
    V6(u8),
}

impl Netmask {
    /// The default for a family: a single client address.
    pub fn host(family: Family) -> Netmask {
        match family {
            Family::Inet => Netmask::V4(Ipv4Addr::BROADCAST),
            Family::Inet6 => Netmask::V6(128),
        }
    }

    pub fn is_host(&self) -> bool {
        matches!(self, Netmask::V4(m) if *m == Ipv4Addr::BROADCAST)
            || matches!(self, Netmask::V6(128))
    }
}

impl fmt::Display for Netmask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Netmask::V4(m) => write!(f, "{m}"),
            Netmask::V6(p) => write!(f, "{p}"),
        }
    }
}

/// ipvsadm's persistence timeout when `-p` has no value.
pub const DEFAULT_PERSISTENCE_TIMEOUT: u32 = 360;
/// ipvsadm's upper limit for timeouts: 31 days.
pub const MAX_TIMEOUT: u32 = 86400 * 31;

/// Everything the user sets on a virtual service (what `-A`/`-E` carry).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceConfig {
    pub key: ServiceKey,
    pub scheduler: String,
    pub sched_flags: SchedFlags,
    /// Persistence timeout in seconds (1..=MAX_TIMEOUT), or None for a non-persistent service.
    pub persistence: Option<u32>,
    /// One-packet scheduling (`-o`, UDP only).
    pub one_packet: bool,
    /// Persistence engine (`--pe`), e.g. `sip`.
    pub pe: Option<String>,
    /// Persistence granularity. The kernel holds one even without persistence (ipvsadm always
    /// sends it), so it lives here rather than inside `persistence`.
    pub netmask: Netmask,
}

impl ServiceConfig {
    /// A service with ipvsadm's defaults: wlc, no persistence.
    pub fn new(key: ServiceKey) -> ServiceConfig {
        ServiceConfig {
            key,
            scheduler: DEFAULT_SCHEDULER.to_string(),
            sched_flags: SchedFlags::default(),
            persistence: None,
            one_packet: false,
            pe: None,
            netmask: Netmask::host(key.family()),
        }
    }
}

/// A virtual service as the kernel reports it, with its real servers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Service {
    #[serde(flatten)]
    pub config: ServiceConfig,
    pub stats: Stats,
    pub dests: Dests,
}

impl Service {
    /// True when no real server can take a new connection (none, or all at weight 0).
    pub fn has_no_available_dest(&self) -> bool {
        self.dests.iter().all(|d| d.config.weight == 0)
    }
}
