//! The IPVS domain model: services, real servers, counters, timeouts, sync daemons.
//!
//! Every ipvsadm 1.31 option has a typed home here. Values are valid by construction when they
//! come from `ipvs::parse`; values read from the kernel are taken as the kernel reports them.

use serde::Serialize;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// Transport protocol of an address-keyed virtual service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// IP protocol number, as the kernel stores it.
    pub fn number(self) -> u16 {
        match self {
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Sctp => 132,
        }
    }

    pub fn from_number(n: u16) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|p| p.number() == n)
    }

    /// Upper-case name as ipvsadm lists it (`TCP`, `UDP`, `SCTP`).
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    /// The ipvsadm option that names a service of this protocol.
    pub fn ipvsadm_option(self) -> &'static str {
        match self {
            Protocol::Tcp => "-t",
            Protocol::Udp => "-u",
            Protocol::Sctp => "--sctp-service",
        }
    }
}

/// Address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Family {
    #[serde(rename = "ipv4")]
    Inet,
    #[serde(rename = "ipv6")]
    Inet6,
}

impl Family {
    pub const AF_INET: u16 = 2;
    pub const AF_INET6: u16 = 10;

    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::Inet,
            IpAddr::V6(_) => Family::Inet6,
        }
    }

    pub fn af(self) -> u16 {
        match self {
            Family::Inet => Self::AF_INET,
            Family::Inet6 => Self::AF_INET6,
        }
    }

    pub fn from_af(af: u16) -> Option<Family> {
        match af {
            Self::AF_INET => Some(Family::Inet),
            Self::AF_INET6 => Some(Family::Inet6),
            _ => None,
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::Inet => "IPv4",
            Family::Inet6 => "IPv6",
        })
    }
}

/// What identifies a virtual service: protocol + address + port, or a firewall mark + family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ServiceKey {
    Addr { protocol: Protocol, addr: IpAddr, port: u16 },
    /// The mark is never 0: the kernel would read a 0 mark as "TCP 0.0.0.0:0".
    Fwmark { mark: u32, family: Family },
}

impl ServiceKey {
    pub fn family(&self) -> Family {
        match self {
            ServiceKey::Addr { addr, .. } => Family::of(addr),
            ServiceKey::Fwmark { family, .. } => *family,
        }
    }

    pub fn is_fwmark(&self) -> bool {
        matches!(self, ServiceKey::Fwmark { .. })
    }

    /// The port real servers inherit when none is given (0 for fwmark services).
    pub fn port(&self) -> u16 {
        match self {
            ServiceKey::Addr { port, .. } => *port,
            ServiceKey::Fwmark { .. } => 0,
        }
    }

    pub fn protocol(&self) -> Option<Protocol> {
        match self {
            ServiceKey::Addr { protocol, .. } => Some(*protocol),
            ServiceKey::Fwmark { .. } => None,
        }
    }
}

/// `addr:port` with IPv6 in brackets, as ipvsadm writes it with `-n`.
pub struct AddrPort<'a>(pub &'a IpAddr, pub u16);

impl fmt::Display for AddrPort<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(a) => write!(f, "{a}:{}", self.1),
            IpAddr::V6(a) => write!(f, "[{a}]:{}", self.1),
        }
    }
}

impl fmt::Display for ServiceKey {
    /// The ipvsadm argument form: `-t 192.0.2.1:80`, `-f 7 -6`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceKey::Addr { protocol, addr, port } => {
                write!(f, "{} {}", protocol.ipvsadm_option(), AddrPort(addr, *port))
            }
            ServiceKey::Fwmark { mark, family: Family::Inet } => write!(f, "-f {mark}"),
            ServiceKey::Fwmark { mark, family: Family::Inet6 } => write!(f, "-f {mark} -6"),
        }
    }
}

/// The schedulers shipped with Linux; the kernel accepts any other loaded module's name too.
pub const KNOWN_SCHEDULERS: [&str; 14] = [
    "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos",
];

/// ipvsadm's default scheduler.
pub const DEFAULT_SCHEDULER: &str = "wlc";

/// Scheduler flags (`-b`): three generic bits whose names depend on the scheduler.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
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
                for (set, name) in [(self.flag1, "flag-1"), (self.flag2, "flag-2"), (self.flag3, "flag-3")] {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
        matches!(self, Netmask::V4(m) if *m == Ipv4Addr::BROADCAST) || matches!(self, Netmask::V6(128))
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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

/// 64-bit counters and the kernel's estimator rates (bytes, not bits, per second).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Stats {
    pub conns: u64,
    pub inpkts: u64,
    pub outpkts: u64,
    pub inbytes: u64,
    pub outbytes: u64,
    pub cps: u64,
    pub inpps: u64,
    pub outpps: u64,
    pub inbps: u64,
    pub outbps: u64,
}

/// Tunnel encapsulation of a tunnelling real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TunnelType {
    Ipip,
    Gue,
    Gre,
}

impl TunnelType {
    pub fn number(self) -> u8 {
        match self {
            TunnelType::Ipip => 0,
            TunnelType::Gue => 1,
            TunnelType::Gre => 2,
        }
    }

    pub fn from_number(n: u8) -> Option<TunnelType> {
        [TunnelType::Ipip, TunnelType::Gue, TunnelType::Gre].into_iter().find(|t| t.number() == n)
    }

    pub fn name(self) -> &'static str {
        match self {
            TunnelType::Ipip => "ipip",
            TunnelType::Gue => "gue",
            TunnelType::Gre => "gre",
        }
    }
}

/// Checksum option of a GUE or GRE tunnel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TunnelCsum {
    #[default]
    NoCsum,
    Csum,
    RemCsum,
}

impl TunnelCsum {
    pub fn bits(self) -> u16 {
        match self {
            TunnelCsum::NoCsum => 0,
            TunnelCsum::Csum => 1,
            TunnelCsum::RemCsum => 2,
        }
    }

    pub fn from_bits(bits: u16) -> TunnelCsum {
        if bits & 2 != 0 {
            TunnelCsum::RemCsum
        } else if bits & 1 != 0 {
            TunnelCsum::Csum
        } else {
            TunnelCsum::NoCsum
        }
    }

    /// The ipvsadm option.
    pub fn option(self) -> &'static str {
        match self {
            TunnelCsum::NoCsum => "--tun-nocsum",
            TunnelCsum::Csum => "--tun-csum",
            TunnelCsum::RemCsum => "--tun-remcsum",
        }
    }

    /// The short form ipvsadm shows in `--tun-info`.
    pub fn short(self) -> &'static str {
        match self {
            TunnelCsum::NoCsum => "-c",
            TunnelCsum::Csum => "+c",
            TunnelCsum::RemCsum => "r+c",
        }
    }
}

/// How the director forwards packets to a real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Forward {
    /// LVS-NAT (`-m`).
    Masq,
    /// LVS-DR, direct routing (`-g`, ipvsadm's default).
    Route,
    /// LVS-TUN (`-i`). `port` is used by GUE only; `csum` by GUE and GRE.
    Tunnel { tun_type: TunnelType, port: u16, csum: TunnelCsum },
    /// The kernel's internal "local node" method; only ever read back, never set.
    Local,
}

impl Forward {
    pub const MASQ: u32 = 0;
    pub const LOCALNODE: u32 = 1;
    pub const TUNNEL: u32 = 2;
    pub const DROUTE: u32 = 3;

    pub fn method_number(&self) -> u32 {
        match self {
            Forward::Masq => Self::MASQ,
            Forward::Local => Self::LOCALNODE,
            Forward::Tunnel { .. } => Self::TUNNEL,
            Forward::Route => Self::DROUTE,
        }
    }

    /// The name ipvsadm lists (`Masq`, `Route`, `Tunnel`, `Local`).
    pub fn name(&self) -> &'static str {
        match self {
            Forward::Masq => "Masq",
            Forward::Route => "Route",
            Forward::Tunnel { .. } => "Tunnel",
            Forward::Local => "Local",
        }
    }

    /// The ipvsadm switch (`-m`, `-g`, `-i`); the local method is saved as `-g`, as ipvsadm does.
    pub fn switch(&self) -> &'static str {
        match self {
            Forward::Masq => "-m",
            Forward::Route | Forward::Local => "-g",
            Forward::Tunnel { .. } => "-i",
        }
    }

    pub fn ipip() -> Forward {
        Forward::Tunnel { tun_type: TunnelType::Ipip, port: 0, csum: TunnelCsum::NoCsum }
    }
}

/// ipvsadm's default weight.
pub const DEFAULT_WEIGHT: u32 = 1;
/// The largest weight the kernel stores (an `int`).
pub const MAX_WEIGHT: u32 = i32::MAX as u32;
/// The largest connection threshold the kernel accepts.
pub const MAX_THRESHOLD: u32 = i32::MAX as u32;

/// Everything the user sets on a real server (what `-a`/`-e` carry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DestConfig {
    pub addr: IpAddr,
    pub port: u16,
    pub forward: Forward,
    /// 0..=MAX_WEIGHT; 0 quiesces the server (no new connections).
    pub weight: u32,
    /// Upper connection threshold, 0 = none.
    pub u_threshold: u32,
    /// Lower connection threshold, 0 = none; never above the upper one.
    pub l_threshold: u32,
}

impl DestConfig {
    /// A real server with ipvsadm's defaults: direct routing, weight 1, no thresholds.
    pub fn new(addr: IpAddr, port: u16) -> DestConfig {
        DestConfig {
            addr,
            port,
            forward: Forward::Route,
            weight: DEFAULT_WEIGHT,
            u_threshold: 0,
            l_threshold: 0,
        }
    }
}

/// A real server as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Dest {
    #[serde(flatten)]
    pub config: DestConfig,
    pub active_conns: u32,
    pub inact_conns: u32,
    pub persist_conns: u32,
    pub stats: Stats,
}

/// A virtual service as the kernel reports it, with its real servers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Service {
    #[serde(flatten)]
    pub config: ServiceConfig,
    pub stats: Stats,
    pub dests: Vec<Dest>,
}

impl Service {
    /// True when no real server can take a new connection (none, or all at weight 0).
    pub fn has_no_available_dest(&self) -> bool {
        self.dests.iter().all(|d| d.config.weight == 0)
    }
}

/// Connection timeouts in seconds; 0 in a change means "leave unchanged".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Timeouts {
    pub tcp: u32,
    pub tcp_fin: u32,
    pub udp: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncState {
    Master,
    Backup,
}

impl SyncState {
    pub fn number(self) -> u32 {
        match self {
            SyncState::Master => 1,
            SyncState::Backup => 2,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SyncState::Master => "master",
            SyncState::Backup => "backup",
        }
    }
}

/// ipvsadm's defaults for the sync daemon.
pub const DEFAULT_SYNC_ID: u8 = 255;
pub const DEFAULT_MCAST_IFN: &str = "eth0";

/// A connection-synchronisation daemon (`--start-daemon`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SyncDaemon {
    pub state: SyncState,
    pub mcast_ifn: String,
    pub sync_id: u8,
    /// 0 = derived from the MTU by the kernel.
    pub sync_maxlen: u16,
    pub mcast_group: Option<IpAddr>,
    /// 0 = the kernel's default (8848).
    pub mcast_port: u16,
    /// 0 = the kernel's default (1).
    pub mcast_ttl: u8,
}

/// Facts about the IPVS instance itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Info {
    /// Encoded as 0x00MMmmpp (1.2.1 = 0x010201).
    pub version: u32,
    pub conn_tab_size: u32,
}

impl Info {
    pub fn version_string(&self) -> String {
        format!("{}.{}.{}", (self.version >> 16) & 0xff, (self.version >> 8) & 0xff, self.version & 0xff)
    }
}

/// Everything one poll of the kernel returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub info: Info,
    pub services: Vec<Service>,
    pub timeouts: Timeouts,
    pub daemons: Vec<SyncDaemon>,
}

impl Snapshot {
    pub fn service(&self, key: &ServiceKey) -> Option<&Service> {
        self.services.iter().find(|s| s.config.key == *key)
    }
}
