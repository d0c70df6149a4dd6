//! The sysctls that matter to LVS, what each one does and what values it takes, and reading and
//! writing them through /proc/sys (of this process's network namespace).
//!
//! Names are in `sysctl`'s own notation: dots between levels, and a dot inside an interface name
//! written as `/` (`net.ipv4.conf.eth0/100.rp_filter`), so every name is also a valid `sysctl -w`.

use super::error::HostError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the per-interface IPv4 settings live; one directory per interface plus `all` and `default`.
const CONF_DIR: &str = "/proc/sys/net/ipv4/conf";
/// The place-holder for an interface in [`SysctlInfo::name`].
pub const IFACE: &str = "{iface}";

/// One LVS-relevant sysctl: its name (with `{iface}` for per-interface ones), a one-line
/// explanation and the values ipvs-tui lets you set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SysctlInfo {
    pub name: &'static str,
    pub explanation: &'static str,
    pub allowed: Allowed,
}

/// The values a sysctl takes. Stricter than the kernel where the kernel takes anything but only
/// documents some values (it stores `arp_ignore=9` or `conn_reuse_mode=5` without a word).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// A whole number in `min..=max`.
    Range { min: i64, max: i64 },
    /// One of these numbers.
    OneOf(&'static [i64]),
    /// Two whole numbers `THRESHOLD PERIOD`, the threshold below the period (or the period 0),
    /// as `net.ipv4.vs.sync_threshold` takes them.
    ThresholdPeriod,
}

const BOOL: Allowed = Allowed::OneOf(&[0, 1]);
const DEFENSE: Allowed = Allowed::Range { min: 0, max: 3 };
const INT_MAX: i64 = i32::MAX as i64;
/// Seconds stored as jiffies in an int: the largest that fits with HZ up to 1000.
const JIFFY_SECS_MAX: i64 = INT_MAX / 1000;

macro_rules! vs {
    ($name:literal, $allowed:expr, $explanation:literal) => {
        SysctlInfo {
            name: concat!("net.ipv4.vs.", $name),
            explanation: $explanation,
            allowed: $allowed,
        }
    };
}

/// Every sysctl ipvs-tui shows and sets. Meanings and ranges from the kernel's
/// Documentation/networking/ipvs-sysctl.rst and ip-sysctl.rst.
pub const LVS_SYSCTLS: &[SysctlInfo] = &[
    SysctlInfo {
        name: "net.ipv4.ip_forward",
        explanation: "route packets between interfaces: an LVS-NAT director needs 1",
        allowed: BOOL,
    },
    SysctlInfo {
        name: "net.ipv6.conf.all.forwarding",
        explanation: "route IPv6 packets between interfaces: an LVS-NAT director of IPv6 services needs 1",
        allowed: BOOL,
    },
    SysctlInfo {
        name: "net.ipv4.conf.{iface}.arp_ignore",
        explanation: "1 answers ARP only for addresses of the asking interface: DR/TUN real servers need 1 so they never claim the VIP",
        allowed: Allowed::OneOf(&[0, 1, 2, 3, 8]),
    },
    SysctlInfo {
        name: "net.ipv4.conf.{iface}.arp_announce",
        explanation: "2 always picks the best local source for ARP: DR/TUN real servers need 2 so the VIP on lo is never announced",
        allowed: Allowed::Range { min: 0, max: 2 },
    },
    SysctlInfo {
        name: "net.ipv4.conf.{iface}.rp_filter",
        explanation: "reverse-path filter, 0 off, 1 strict, 2 loose: strict can drop the VIP traffic of DR/TUN real servers",
        allowed: Allowed::Range { min: 0, max: 2 },
    },
    vs!(
        "am_droprate",
        Allowed::Range {
            min: 0,
            max: INT_MAX
        },
        "drop_packet defense in always mode (3): drop 1 packet in this many"
    ),
    vs!(
        "amemthresh",
        Allowed::Range {
            min: 0,
            max: INT_MAX
        },
        "free memory (pages) under which the automatic defenses (modes 1 and 2) start"
    ),
    vs!(
        "backup_only",
        BOOL,
        "1 stops directing traffic while this host is a backup sync daemon (avoids DR/TUN loops)"
    ),
    vs!(
        "cache_bypass",
        BOOL,
        "1 sends packets to their original destination when no cache server is available"
    ),
    vs!(
        "conn_reuse_mode",
        Allowed::Range { min: 0, max: 3 },
        "a new connection on a reused port: 0 keeps the old real server, 1 reschedules when safe, 2 also in FIN_WAIT"
    ),
    vs!(
        "conntrack",
        BOOL,
        "1 keeps conntrack entries for IPVS connections: needed by stateful firewall rules, slower"
    ),
    vs!(
        "drop_entry",
        DEFENSE,
        "defense against SYN floods, dropping half-open entries: 0 off, 1-2 automatic, 3 always"
    ),
    vs!(
        "drop_packet",
        DEFENSE,
        "defense dropping 1/rate packets before the real servers: 0 off, 1-2 automatic, 3 always"
    ),
    vs!(
        "expire_nodest_conn",
        BOOL,
        "1 ends a connection at once when its real server is deleted (0 silently drops its packets)"
    ),
    vs!(
        "expire_quiescent_template",
        BOOL,
        "1 expires persistence to a real server of weight 0, so persistent clients move on"
    ),
    vs!(
        "ignore_tunneled",
        BOOL,
        "1 marks packets of unknown protocols (ipip) as IPVS ones: no loops when the director is also a real server"
    ),
    vs!(
        "nat_icmp_send",
        BOOL,
        "1 answers ICMP unreachable for LVS-NAT replies that match no connection"
    ),
    vs!(
        "pmtu_disc",
        BOOL,
        "1 rejects DF packets over the path MTU with FRAG_NEEDED; 0 lets LVS-TUN fragment them"
    ),
    vs!(
        "run_estimation",
        BOOL,
        "1 computes the rates (and, in recent kernels, refreshes the counters) of services and real servers"
    ),
    vs!(
        "schedule_icmp",
        BOOL,
        "1 schedules ICMP packets to the VIP to the real servers too"
    ),
    vs!(
        "secure_tcp",
        DEFENSE,
        "defense with a stricter TCP state table (NAT: established only after the handshake): 0 off, 1-2 auto, 3 always"
    ),
    vs!(
        "sloppy_sctp",
        BOOL,
        "1 creates connections from any SCTP packet, not only INIT (a backup taking over)"
    ),
    vs!(
        "sloppy_tcp",
        BOOL,
        "1 creates connections from any TCP packet, not only SYN (a backup taking over)"
    ),
    vs!(
        "snat_reroute",
        BOOL,
        "1 routes LVS-NAT replies as if from the director (matters only with policy routing)"
    ),
    vs!(
        "sync_persist_mode",
        BOOL,
        "1 syncs only the persistence templates of persistent services: less sync traffic"
    ),
    vs!(
        "sync_ports",
        Allowed::OneOf(&[1, 2, 4, 8, 16, 32, 64]),
        "sync threads, each on its own UDP port from 8848: a power of two up to 64"
    ),
    vs!(
        "sync_qlen_max",
        Allowed::Range {
            min: 1,
            max: i64::MAX
        },
        "sync messages queued but not yet sent, at most"
    ),
    vs!(
        "sync_refresh_period",
        Allowed::Range {
            min: 0,
            max: JIFFY_SECS_MAX
        },
        "seconds of timer change before a connection is synced again (0: only on state changes)"
    ),
    vs!(
        "sync_retries",
        Allowed::Range { min: 0, max: 3 },
        "times a sync message is sent again, every sync_refresh_period/8"
    ),
    vs!(
        "sync_sock_size",
        Allowed::Range {
            min: 0,
            max: INT_MAX
        },
        "send (master) or receive (backup) buffer of the sync socket in bytes; 0 keeps the system's"
    ),
    vs!(
        "sync_threshold",
        Allowed::ThresholdPeriod,
        "sync a connection at THRESHOLD incoming packets, then every PERIOD packets (default 3 50)"
    ),
    vs!(
        "sync_version",
        BOOL,
        "sync protocol version: 1, or 0 for backups older than Linux 2.6.39"
    ),
];

impl SysctlInfo {
    pub fn is_per_interface(&self) -> bool {
        self.name.contains(IFACE)
    }

    /// This sysctl's name for one interface (`all`, `default`, `lo`, `eth0`...), in sysctl notation.
    pub fn for_interface(&self, iface: &str) -> String {
        self.name.replace(IFACE, &iface.replace('.', "/"))
    }

    /// The interface part of `name` when `name` is this per-interface sysctl: `eth0.100` from
    /// `net.ipv4.conf.eth0/100.rp_filter` or `net.ipv4.conf.eth0.100.rp_filter`.
    fn interface_of<'a>(&self, name: &'a str) -> Option<&'a str> {
        let (head, tail) = self.name.split_once(IFACE)?;
        name.strip_prefix(head)?
            .strip_suffix(tail)
            .filter(|iface| !iface.is_empty())
    }
}

/// The known sysctl `name` refers to, the name in sysctl notation, and for a per-interface one
/// the interface it names (`all` and `default` included).
pub fn lookup(name: &str) -> Option<(&'static SysctlInfo, String, Option<String>)> {
    for info in LVS_SYSCTLS {
        if !info.is_per_interface() {
            if info.name == name {
                return Some((info, name.to_string(), None));
            }
        } else if let Some(iface) = info.interface_of(name) {
            let iface = iface.replace('/', ".");
            return Some((info, info.for_interface(&iface), Some(iface)));
        }
    }
    None
}

/// The /proc/sys file of a sysctl name in sysctl notation.
pub fn proc_path(name: &str) -> PathBuf {
    let mut path = PathBuf::from("/proc/sys");
    for level in name.split('.') {
        path.push(level.replace('/', "."));
    }
    path
}

/// A value as read from /proc/sys, with its whitespace (`3\t50`) made single spaces.
pub fn normalise(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every LVS-relevant sysctl this host has, with its value: per-interface ones for `all`,
/// `default` and each interface. Names this kernel lacks (no ip_vs loaded) are left out.
pub fn read_all() -> BTreeMap<String, String> {
    let mut ifaces: Vec<String> = match std::fs::read_dir(CONF_DIR) {
        Ok(dir) => dir
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    ifaces.sort();
    let mut out = BTreeMap::new();
    for info in LVS_SYSCTLS {
        let names: Vec<String> = if info.is_per_interface() {
            ifaces.iter().map(|i| info.for_interface(i)).collect()
        } else {
            vec![info.name.to_string()]
        };
        for name in names {
            if let Some(value) = read(&name) {
                out.insert(name, value);
            }
        }
    }
    out
}

/// The value the kernel acts on for the per-interface setting `key` (`arp_ignore`,
/// `arp_announce`, `rp_filter`) of `iface`: the higher of `all` and the interface's own, as the
/// kernel takes it for these three. `None` when either is missing or not a number.
pub fn effective(sysctls: &BTreeMap<String, String>, key: &str, iface: &str) -> Option<i64> {
    let read = |i: &str| {
        sysctls
            .get(&format!("net.ipv4.conf.{}.{key}", i.replace('.', "/")))?
            .parse::<i64>()
            .ok()
    };
    Some(read("all")?.max(read(iface)?))
}

/// One sysctl's value, or `None` when this host does not have it.
pub fn read(name: &str) -> Option<String> {
    // One open and one read: a /proc/sys value is far below a page and comes whole, and the
    // console reads some fifty of them every few seconds (read_to_string adds a stat and a read).
    use std::io::Read;
    let mut buf = [0u8; 4096];
    let n = std::fs::File::open(proc_path(name))
        .ok()?
        .read(&mut buf)
        .ok()?;
    Some(normalise(&String::from_utf8_lossy(&buf[..n])))
}

/// Writes a checked value (see [`super::parse::sysctl_value`]).
pub fn write(name: &str, value: &str) -> Result<(), HostError> {
    write_at(&proc_path(name), name, value)
}

fn write_at(path: &Path, name: &str, value: &str) -> Result<(), HostError> {
    std::fs::write(path, format!("{value}\n")).map_err(|e| match e.raw_os_error() {
        Some(libc::ENOENT) => HostError::NoSysctl(name.to_string()),
        Some(libc::EACCES | libc::EPERM) => HostError::Permission(format!("setting {name}")),
        Some(libc::EROFS) => HostError::Kernel(format!(
            "cannot set {name}: /proc/sys is mounted read-only here (as in many containers)"
        )),
        Some(libc::EINVAL) => {
            HostError::Kernel(format!("the kernel refused {name}={value} as invalid"))
        }
        _ => HostError::io(format!("cannot set {name}"), e),
    })
}

#[cfg(test)]
mod tests;
