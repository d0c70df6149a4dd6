//! The text of /proc/net/ip_vs and /proc/net/ip_vs_stats, line by line, into the model.

use super::{ProcError, ProcListing};
use crate::ipvs::model::{
    Dest, DestConfig, Family, Forward, Info, Netmask, Protocol, Service, ServiceConfig, ServiceKey,
    Snapshot, Stats,
};
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const HEADER: &str = "IP Virtual Server version ";
/// The column headings the kernel prints under the header line.
const HEADINGS: [&str; 2] = [
    "Prot LocalAddress:Port Scheduler Flags",
    "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn",
];

/// Parses /proc/net/ip_vs. `hz` is the kernel's tick rate: the file gives persistence timeouts
/// in jiffies, and without `hz` a persistent service cannot be told from a plain one in the
/// model, so its persistence is left out (`None`) rather than guessed.
///
/// Only a missing header is an error; any other line that does not parse is skipped and counted.
pub fn parse_ip_vs(text: &str, hz: Option<u32>) -> std::result::Result<ProcListing, ProcError> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let info =
        parse_header(first).ok_or_else(|| ProcError::Header(first.chars().take(80).collect()))?;
    let mut services: Vec<Service> = Vec::new();
    let mut keys = HashSet::new();
    let mut skipped = 0;
    // The service whose real servers follow; None after an unreadable service line, so that its
    // real servers are not filed under the one before.
    let mut current: Option<Pending> = None;
    for line in lines {
        match parse_line(line) {
            Line::Blank => {}
            Line::Dest(dest) => match current.as_mut() {
                Some(svc) => svc.dests.push(dest.dest()),
                None => skipped += 1,
            },
            Line::BadDest => skipped += 1,
            Line::Service(next) => {
                if let Some(done) = current.replace(next) {
                    push(&mut services, &mut keys, done, hz, &mut skipped);
                }
            }
            Line::BadService => {
                if let Some(done) = current.take() {
                    push(&mut services, &mut keys, done, hz, &mut skipped);
                }
                skipped += 1;
            }
        }
    }
    if let Some(done) = current {
        push(&mut services, &mut keys, done, hz, &mut skipped);
    }
    Ok(ProcListing {
        snapshot: Snapshot {
            info,
            services,
            ..Snapshot::default()
        },
        skipped,
    })
}

/// Parses /proc/net/ip_vs_stats: the totals since the last zeroing and the estimator's rates.
pub fn parse_ip_vs_stats(text: &str) -> std::result::Result<Stats, ProcError> {
    // The headings are words; the two data rows are five hex numbers each.
    let rows: Vec<[u64; 5]> = text
        .lines()
        .filter_map(|l| {
            let fields: Vec<u64> = l
                .split_whitespace()
                .map(|w| hex(w, 16).and_then(|v| u64::from_str_radix(v, 16).ok()))
                .collect::<Option<_>>()?;
            fields.try_into().ok()
        })
        .collect();
    match rows.as_slice() {
        [t, r, ..] => Ok(Stats {
            conns: t[0],
            inpkts: t[1],
            outpkts: t[2],
            inbytes: t[3],
            outbytes: t[4],
            cps: r[0],
            inpps: r[1],
            outpps: r[2],
            inbps: r[3],
            outbps: r[4],
        }),
        _ => Err(ProcError::Stats(format!(
            "expected two rows of five hex numbers, found {}",
            rows.len()
        ))),
    }
}

/// `IP Virtual Server version 1.2.1 (size=4096)`.
pub fn parse_header(line: &str) -> Option<Info> {
    let rest = line.strip_prefix(HEADER)?;
    let (version, size) = rest.trim_end().split_once(" (size=")?;
    let size: u32 = size.strip_suffix(')')?.parse().ok()?;
    let parts: Vec<u32> = version
        .split('.')
        .map(|p| p.parse::<u8>().ok().map(u32::from))
        .collect::<Option<_>>()?;
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    Some(Info {
        version: major << 16 | minor << 8 | patch,
        conn_tab_size: size,
    })
}

/// One line of /proc/net/ip_vs after the header.
pub enum Line {
    /// Empty, or a column heading.
    Blank,
    Service(Pending),
    Dest(DestLine),
    /// A real server's line (`  -> `) that does not parse.
    BadDest,
    /// Any other line that does not parse.
    BadService,
}

/// Reads one line of /proc/net/ip_vs after the header.
pub fn parse_line(line: &str) -> Line {
    if line.trim().is_empty() || HEADINGS.contains(&line.trim_end()) {
        return Line::Blank;
    }
    match line.strip_prefix("  -> ") {
        Some(rest) => parse_dest(rest).map_or(Line::BadDest, Line::Dest),
        None => parse_service(line).map_or(Line::BadService, Line::Service),
    }
}

/// A service as /proc/net/ip_vs names it: a fwmark line does not say its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProcKey {
    /// Always a `ServiceKey::Addr`.
    Addr(ServiceKey),
    Mark(u32),
}

impl ProcKey {
    pub fn of(key: &ServiceKey) -> ProcKey {
        match key {
            ServiceKey::Fwmark { mark, .. } => ProcKey::Mark(*mark),
            addr => ProcKey::Addr(*addr),
        }
    }
}

/// A service line read, before its real servers tell a fwmark service's family.
pub struct Pending {
    pub key: ProcKey,
    scheduler: String,
    one_packet: bool,
    /// Timeout in jiffies and the raw `ntohl(netmask)`.
    persistent: Option<(u64, u32)>,
    dests: Vec<Dest>,
}

/// `TCP  0A000001:0050 wlc ops persistent 360000 FFFFFFFF`, `TCP  [2001:…]:01BB sh `,
/// `FWM  00000007 lc ` (the kernel prints no "ops" for IPv6 services; it is read wherever it is).
fn parse_service(line: &str) -> Option<Pending> {
    let mut words = line.split_whitespace();
    let (proto, target, scheduler) = (words.next()?, words.next()?, words.next()?);
    let key = match proto {
        "FWM" => {
            let mark = u32::from_str_radix(hex(target, 8)?, 16)
                .ok()
                .filter(|m| *m != 0)?;
            ProcKey::Mark(mark)
        }
        _ => {
            let protocol = Protocol::ALL.into_iter().find(|p| p.name() == proto)?;
            let (addr, port) = parse_addr_port(target)?;
            ProcKey::Addr(ServiceKey::Addr {
                protocol,
                addr,
                port,
            })
        }
    };
    let mut rest: Vec<&str> = words.collect();
    let one_packet = rest.first() == Some(&"ops");
    if one_packet {
        rest.remove(0);
    }
    let persistent = match rest[..] {
        [] => None,
        ["persistent", timeout, mask] => {
            let timeout: u64 = timeout.parse().ok()?;
            Some((timeout, u32::from_str_radix(hex(mask, 8)?, 16).ok()?))
        }
        _ => return None,
    };
    Some(Pending {
        key,
        scheduler: scheduler.to_string(),
        one_packet,
        persistent,
        dests: Vec::new(),
    })
}

/// A real server as /proc/net/ip_vs prints it: no counters, thresholds or tunnel settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DestLine {
    pub addr: IpAddr,
    pub port: u16,
    /// The file does not say which encapsulation a tunnel uses: IPIP, the kernel's default.
    pub forward: Forward,
    pub weight: u32,
    pub active: u32,
    pub inactive: u32,
}

impl DestLine {
    /// The real server, with what the line does not give at its defaults.
    pub fn dest(&self) -> Dest {
        let config = DestConfig {
            forward: self.forward,
            weight: self.weight,
            u_threshold: 0,
            l_threshold: 0,
            ..DestConfig::new(self.addr, self.port)
        };
        Dest {
            config,
            active_conns: self.active,
            inact_conns: self.inactive,
            persist_conns: 0,
            stats: Stats::default(),
        }
    }

    /// Whether `dest` prints as this line.
    pub fn shows(&self, dest: &Dest) -> bool {
        let c = &dest.config;
        self.addr == c.addr
            && self.port == c.port
            && self.forward.method_number() == c.forward.method_number()
            && self.weight == c.weight
            && self.active == dest.active_conns
            && self.inactive == dest.inact_conns
    }
}

/// `0A000002:0050      Masq    1      0          0`.
fn parse_dest(rest: &str) -> Option<DestLine> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let [target, forward, weight, active, inactive] = words[..] else {
        return None;
    };
    let (addr, port) = parse_addr_port(target)?;
    let forward = match forward {
        "Masq" => Forward::Masq,
        "Route" => Forward::Route,
        "Local" => Forward::Local,
        // The file does not say which encapsulation; IPIP is the kernel's default.
        "Tunnel" => Forward::ipip(),
        _ => return None,
    };
    Some(DestLine {
        addr,
        port,
        forward,
        weight: weight.parse().ok()?,
        active: active.parse().ok()?,
        inactive: inactive.parse().ok()?,
    })
}

/// `0A000001:0050` (IPv4 as `%08X` of the host-order address) or `[2001:0db8:…:0001]:0050`.
fn parse_addr_port(s: &str) -> Option<(IpAddr, u16)> {
    let (addr, port) = match s.strip_prefix('[') {
        Some(v6) => {
            let (addr, port) = v6.split_once("]:")?;
            (IpAddr::V6(addr.parse::<Ipv6Addr>().ok()?), port)
        }
        None => {
            let (addr, port) = s.split_once(':')?;
            (
                IpAddr::V4(Ipv4Addr::from(u32::from_str_radix(hex(addr, 8)?, 16).ok()?)),
                port,
            )
        }
    };
    Some((addr, u16::from_str_radix(hex(port, 4)?, 16).ok()?))
}

/// `s` if it is 1..=`max` hex digits (from_str_radix alone would also take a sign).
fn hex(s: &str, max: usize) -> Option<&str> {
    (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_hexdigit())).then_some(s)
}

/// Files a finished service. A fwmark line does not say its family: it is IPv6 when all its real
/// servers are (mixed families exist only through tunnels), else IPv4; when the same mark comes
/// twice, the kernel holds one of each family.
fn push(
    services: &mut Vec<Service>,
    keys: &mut HashSet<ServiceKey>,
    p: Pending,
    hz: Option<u32>,
    skipped: &mut usize,
) {
    let key = match p.key {
        ProcKey::Addr(key) => key,
        ProcKey::Mark(mark) => {
            let v6 = !p.dests.is_empty() && p.dests.iter().all(|d| d.config.addr.is_ipv6());
            let family = if v6 { Family::Inet6 } else { Family::Inet };
            let key = ServiceKey::Fwmark { mark, family };
            let other = ServiceKey::Fwmark {
                mark,
                family: if v6 { Family::Inet } else { Family::Inet6 },
            };
            if keys.contains(&key) { other } else { key }
        }
    };
    if !keys.insert(key) {
        *skipped += 1 + p.dests.len();
        return;
    }
    let family = key.family();
    let mut config = ServiceConfig::new(key);
    config.scheduler = p.scheduler;
    config.one_packet = p.one_packet;
    if let (Some((jiffies, mask)), Some(hz)) = (p.persistent, hz.filter(|h| *h > 0)) {
        // ipvsadm sets whole seconds; the kernel's own GET divides the same way.
        config.persistence = Some(
            u32::try_from(jiffies / u64::from(hz))
                .unwrap_or(u32::MAX)
                .max(1),
        );
        config.netmask = match family {
            Family::Inet => Netmask::V4(Ipv4Addr::from(mask)),
            // The prefix length went through ntohl: byte-swapped on little-endian hosts.
            Family::Inet6 => [mask, mask.swap_bytes()]
                .into_iter()
                .find(|m| (1..=128).contains(m))
                .map_or(Netmask::host(family), |m| Netmask::V6(m as u8)),
        };
    }
    services.push(Service {
        config,
        stats: Stats::default(),
        dests: p.dests.into(),
    });
}
