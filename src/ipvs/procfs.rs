//! The read-only view without root: parsing the world-readable /proc/net/ip_vs (and
//! /proc/net/ip_vs_stats) into the model, and `ProcBackend`, which polls it and refuses changes.
//!
//! Netlink needs CAP_NET_ADMIN even to read; these files are mode 0444. What they lack, the
//! snapshot leaves at zero or default: per-service and per-server counters, thresholds, the
//! persistent-connection count, the tunnel type, timeouts and sync daemons. Formats: reference
//! §6.3 (`ip_vs_info_seq_show`).

use super::backend::Backend;
use super::error::{Error, Result};
use super::model::{
    Dest, DestConfig, Family, Forward, Info, Netmask, Protocol, Service, ServiceConfig, ServiceKey, Snapshot, Stats,
};
use super::op::IpvsOp;
use std::cell::Cell;
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

/// The services file.
pub const IP_VS: &str = "/proc/net/ip_vs";
/// The global counters file.
pub const IP_VS_STATS: &str = "/proc/net/ip_vs_stats";
/// Why `ProcBackend::apply` refuses.
pub const REFUSAL: &str = "read-only view: changes need root or CAP_NET_ADMIN";

const HEADER: &str = "IP Virtual Server version ";
/// The column headings the kernel prints under the header line.
const HEADINGS: [&str; 2] = ["Prot LocalAddress:Port Scheduler Flags", "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcError {
    /// The first line is not IPVS's: this is not /proc/net/ip_vs.
    #[error("not an IPVS listing: the first line is {0:?}, not \"IP Virtual Server version …\"")]
    Header(String),
    /// /proc/net/ip_vs_stats without its two rows of numbers.
    #[error("not an IPVS statistics listing: {0}")]
    Stats(String),
}

/// What `parse_ip_vs` makes of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcListing {
    pub snapshot: Snapshot,
    /// Lines that could not be read (and the real servers under an unreadable service): left out.
    pub skipped: usize,
}

/// Parses /proc/net/ip_vs. `hz` is the kernel's tick rate: the file gives persistence timeouts
/// in jiffies, and without `hz` a persistent service cannot be told from a plain one in the
/// model, so its persistence is left out (`None`) rather than guessed.
///
/// Only a missing header is an error; any other line that does not parse is skipped and counted.
pub fn parse_ip_vs(text: &str, hz: Option<u32>) -> std::result::Result<ProcListing, ProcError> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let info = parse_header(first).ok_or_else(|| ProcError::Header(first.chars().take(80).collect()))?;
    let mut services: Vec<Service> = Vec::new();
    let mut keys = HashSet::new();
    let mut skipped = 0;
    // The service whose real servers follow; None after an unreadable service line, so that its
    // real servers are not filed under the one before.
    let mut current: Option<Pending> = None;
    for line in lines {
        if line.trim().is_empty() || HEADINGS.contains(&line.trim_end()) {
            continue;
        }
        if let Some(rest) = line.strip_prefix("  -> ") {
            match (current.as_mut(), parse_dest(rest)) {
                (Some(svc), Some(dest)) => svc.dests.push(dest),
                _ => skipped += 1,
            }
            continue;
        }
        if let Some(done) = current.take() {
            push(&mut services, &mut keys, done, hz, &mut skipped);
        }
        current = parse_service(line);
        if current.is_none() {
            skipped += 1;
        }
    }
    if let Some(done) = current {
        push(&mut services, &mut keys, done, hz, &mut skipped);
    }
    Ok(ProcListing { snapshot: Snapshot { info, services, ..Snapshot::default() }, skipped })
}

/// Parses /proc/net/ip_vs_stats: the totals since the last zeroing and the estimator's rates.
pub fn parse_ip_vs_stats(text: &str) -> std::result::Result<Stats, ProcError> {
    // The headings are words; the two data rows are five hex numbers each.
    let rows: Vec<[u64; 5]> = text
        .lines()
        .filter_map(|l| {
            let fields: Vec<u64> = l.split_whitespace().map(|w| hex(w, 16).and_then(|v| u64::from_str_radix(v, 16).ok())).collect::<Option<_>>()?;
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
        _ => Err(ProcError::Stats(format!("expected two rows of five hex numbers, found {}", rows.len()))),
    }
}

/// `IP Virtual Server version 1.2.1 (size=4096)`.
fn parse_header(line: &str) -> Option<Info> {
    let rest = line.strip_prefix(HEADER)?;
    let (version, size) = rest.trim_end().split_once(" (size=")?;
    let size: u32 = size.strip_suffix(')')?.parse().ok()?;
    let parts: Vec<u32> = version.split('.').map(|p| p.parse::<u8>().ok().map(u32::from)).collect::<Option<_>>()?;
    let [major, minor, patch] = parts[..] else { return None };
    Some(Info { version: major << 16 | minor << 8 | patch, conn_tab_size: size })
}

/// A service line read, before its real servers tell a fwmark service's family.
struct Pending {
    kind: PendingKey,
    scheduler: String,
    one_packet: bool,
    /// Timeout in jiffies and the raw `ntohl(netmask)`.
    persistent: Option<(u64, u32)>,
    dests: Vec<Dest>,
}

enum PendingKey {
    Addr { protocol: Protocol, addr: IpAddr, port: u16 },
    Fwmark(u32),
}

/// `TCP  0A000001:0050 wlc ops persistent 360000 FFFFFFFF`, `TCP  [2001:…]:01BB sh `,
/// `FWM  00000007 lc ` (the kernel prints no "ops" for IPv6 services; it is read wherever it is).
fn parse_service(line: &str) -> Option<Pending> {
    let mut words = line.split_whitespace();
    let (proto, target, scheduler) = (words.next()?, words.next()?, words.next()?);
    let kind = match proto {
        "FWM" => {
            let mark = u32::from_str_radix(hex(target, 8)?, 16).ok().filter(|m| *m != 0)?;
            PendingKey::Fwmark(mark)
        }
        _ => {
            let protocol = Protocol::ALL.into_iter().find(|p| p.name() == proto)?;
            let (addr, port) = parse_addr_port(target)?;
            PendingKey::Addr { protocol, addr, port }
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
    Some(Pending { kind, scheduler: scheduler.to_string(), one_packet, persistent, dests: Vec::new() })
}

/// `0A000002:0050      Masq    1      0          0`.
fn parse_dest(rest: &str) -> Option<Dest> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let [target, forward, weight, active, inactive] = words[..] else { return None };
    let (addr, port) = parse_addr_port(target)?;
    let forward = match forward {
        "Masq" => Forward::Masq,
        "Route" => Forward::Route,
        "Local" => Forward::Local,
        // The file does not say which encapsulation; IPIP is the kernel's default.
        "Tunnel" => Forward::ipip(),
        _ => return None,
    };
    let config = DestConfig { forward, weight: weight.parse().ok()?, u_threshold: 0, l_threshold: 0, ..DestConfig::new(addr, port) };
    Some(Dest { config, active_conns: active.parse().ok()?, inact_conns: inactive.parse().ok()?, persist_conns: 0, stats: Stats::default() })
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
            (IpAddr::V4(Ipv4Addr::from(u32::from_str_radix(hex(addr, 8)?, 16).ok()?)), port)
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
fn push(services: &mut Vec<Service>, keys: &mut HashSet<ServiceKey>, p: Pending, hz: Option<u32>, skipped: &mut usize) {
    let key = match p.kind {
        PendingKey::Addr { protocol, addr, port } => ServiceKey::Addr { protocol, addr, port },
        PendingKey::Fwmark(mark) => {
            let v6 = !p.dests.is_empty() && p.dests.iter().all(|d| d.config.addr.is_ipv6());
            let family = if v6 { Family::Inet6 } else { Family::Inet };
            let key = ServiceKey::Fwmark { mark, family };
            let other = ServiceKey::Fwmark { mark, family: if v6 { Family::Inet } else { Family::Inet6 } };
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
        config.persistence = Some(u32::try_from(jiffies / u64::from(hz)).unwrap_or(u32::MAX).max(1));
        config.netmask = match family {
            Family::Inet => Netmask::V4(Ipv4Addr::from(mask)),
            // The prefix length went through ntohl: byte-swapped on little-endian hosts.
            Family::Inet6 => [mask, mask.swap_bytes()].into_iter().find(|m| (1..=128).contains(m)).map_or(Netmask::host(family), |m| Netmask::V6(m as u8)),
        };
    }
    services.push(Service { config, stats: Stats::default(), dests: p.dests });
}

/// The kernel's tick rate (CONFIG_HZ), which the persistence timeouts in /proc/net/ip_vs are
/// counted in. No interface states it, but the coarse clocks tick once per jiffy and report that
/// tick (TICK_NSEC) as their resolution; failing that, the kernel's build configuration when it
/// is installed. USER_HZ (sysconf CLK_TCK, always 100) says nothing about it.
pub fn kernel_hz() -> Option<u32> {
    let mut res = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `res` is a valid timespec for the call to fill.
    let ok = unsafe { libc::clock_getres(libc::CLOCK_MONOTONIC_COARSE, &mut res) } == 0;
    let tick = u64::try_from(res.tv_sec).ok()?.checked_mul(1_000_000_000)?.checked_add(u64::try_from(res.tv_nsec).ok()?)?;
    ok.then(|| hz_of_tick(tick)).flatten().or_else(configured_hz)
}

/// TICK_NSEC is 1e9/HZ rounded: 10 ms at 100, 4 ms at 250, 3.333 ms at 300, 1 ms at 1000.
fn hz_of_tick(tick_ns: u64) -> Option<u32> {
    let hz = 1_000_000_000u64.checked_add(tick_ns / 2)?.checked_div(tick_ns)?;
    u32::try_from(hz).ok().filter(|hz| (10..=10_000).contains(hz))
}

fn configured_hz() -> Option<u32> {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok()?;
    let config = std::fs::read_to_string(format!("/boot/config-{}", release.trim())).ok()?;
    config.lines().find_map(|l| l.strip_prefix("CONFIG_HZ=")?.trim().parse().ok()).filter(|hz| *hz > 0)
}

/// IPVS read from /proc/net/ip_vs: services, real servers and connection counts, no counters;
/// every change is refused.
pub struct ProcBackend {
    path: PathBuf,
    hz: Option<u32>,
    skipped: Cell<usize>,
}

impl ProcBackend {
    /// Reads `path` (normally `IP_VS`), converting persistence timeouts with `hz`.
    pub fn new(path: impl AsRef<Path>, hz: Option<u32>) -> ProcBackend {
        ProcBackend { path: path.as_ref().to_path_buf(), hz, skipped: Cell::new(0) }
    }

    /// This host's /proc/net/ip_vs, if this process can read it; finds the kernel's HZ.
    pub async fn open() -> Result<ProcBackend> {
        tokio::fs::File::open(IP_VS).await.map_err(|e| read_error(Path::new(IP_VS), &e))?;
        Ok(ProcBackend::new(IP_VS, kernel_hz()))
    }

    /// The tick rate persistence timeouts are converted with; None: persistence is not shown.
    pub fn hz(&self) -> Option<u32> {
        self.hz
    }

    /// Lines the last snapshot could not read.
    pub fn skipped(&self) -> usize {
        self.skipped.get()
    }
}

fn read_error(path: &Path, e: &std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => Error::Unavailable(format!(
            "{} does not exist: the ip_vs module is not loaded, and loading it needs root (modprobe ip_vs)",
            path.display()
        )),
        _ => Error::Io(format!("cannot read {}: {e}", path.display())),
    }
}

impl Backend for ProcBackend {
    async fn snapshot(&self) -> Result<Snapshot> {
        let text = tokio::fs::read_to_string(&self.path).await.map_err(|e| read_error(&self.path, &e))?;
        let listing = parse_ip_vs(&text, self.hz).map_err(|e| Error::Decode(format!("{}: {e}", self.path.display())))?;
        self.skipped.set(listing.skipped);
        Ok(listing.snapshot)
    }

    async fn apply(&self, _op: &IpvsOp) -> Result<()> {
        Err(Error::Refused(REFUSAL.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::model::{TunnelCsum, TunnelType};
    use proptest::prelude::*;

    /// Written from the kernel's format strings (reference §6.3), trailing blanks included:
    /// IPv4 without and with "ops", persistence with an IPv4 mask and an IPv6 prefix (ntohl'd on
    /// little-endian), IPv6, fwmark of both families, each forwarding method.
    const FIXTURE: &str = concat!(
        "IP Virtual Server version 1.2.1 (size=4096)\n",
        "Prot LocalAddress:Port Scheduler Flags\n",
        "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n",
        "TCP  C0000201:0050 rr  \n",
        "  -> C000020C:0050      Route   0      0          0         \n",
        "  -> C000020B:1F90      Masq    3      12         40        \n",
        "UDP  C0000202:0035 wlc ops persistent 6000 FFFFFF00\n",
        "  -> C000020D:0035      Tunnel  70000  0          1         \n",
        "TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:01BB sh persistent 36000 40000000\n",
        "  -> [2001:0db8:0000:0000:0000:0000:0000:0011]:01BB      Masq    1      0          0         \n",
        "SCTP  C0000203:0009 none  \n",
        "  -> 7F000001:0009      Local   1      0          0         \n",
        "FWM  00000007 lc \n",
        "  -> C000020E:0000      Route   1      0          0         \n",
        "FWM  00000009 wrr persistent 2000 80000000\n",
        "  -> [2001:0db8:0000:0000:0000:0000:0000:0012]:0000      Route   1      0          0         \n",
    );

    fn v4(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn listing(hz: Option<u32>) -> ProcListing {
        parse_ip_vs(FIXTURE, hz).unwrap()
    }

    /// Captured in the user-mode Linux lab (Linux 6.1, HZ 100) after `ipvsadm -A -t
    /// [2001:db8::1]:443 -s sh -p 360 -M 64`, `-A -u 192.0.2.2:53 -s wlc -o -p 60 -M
    /// 255.255.255.0`, `-A -f 9 -6 -s wrr -p 20` and the rest below; ipvsadm -Ln agreed.
    const CAPTURED: &str = concat!(
        "IP Virtual Server version 1.2.1 (size=4096)\n",
        "Prot LocalAddress:Port Scheduler Flags\n",
        "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n",
        "TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:01BB sh persistent 36000 40000000\n",
        "  -> [2001:0db8:0000:0000:0000:0000:0000:0011]:01BB      Masq    1      0          0         \n",
        "UDP  C0000202:0035 wlc ops  persistent 6000 FFFFFF00\n",
        "  -> C000020D:0035      Tunnel  70000  0          0         \n",
        "TCP  C0000201:0050 rr  \n",
        "  -> C000020C:0050      Route   0      0          0         \n",
        "  -> C000020B:1F90      Masq    3      0          0         \n",
        "SCTP  C0000203:0009 rr  \n",
        "FWM  00000007 lc \n",
        "  -> C000020E:0000      Route   1      0          0         \n",
        "FWM  00000009 wrr persistent 2000 80000000\n",
        "  -> [2001:0db8:0000:0000:0000:0000:0000:0012]:0000      Route   1      0          0         \n",
    );

    #[test]
    fn a_real_file_from_the_lab() {
        let l = parse_ip_vs(CAPTURED, Some(100)).unwrap();
        assert_eq!(l.skipped, 0);
        let shown: Vec<String> = l
            .snapshot
            .services
            .iter()
            .map(|s| format!("{} {} {:?} {} {}", s.config.key, s.config.scheduler, s.config.persistence, s.config.netmask, s.dests.len()))
            .collect();
        assert_eq!(
            shown,
            [
                "-t [2001:db8::1]:443 sh Some(360) 64 1",
                "-u 192.0.2.2:53 wlc Some(60) 255.255.255.0 1",
                "-t 192.0.2.1:80 rr None 255.255.255.255 2",
                "--sctp-service 192.0.2.3:9 rr None 255.255.255.255 0",
                "-f 7 lc None 255.255.255.255 1",
                "-f 9 -6 wrr Some(20) 128 1",
            ]
        );
        assert!(l.snapshot.services[1].config.one_packet);
        assert_eq!(l.snapshot.services[1].dests[0].config.weight, 70000);
    }

    #[test]
    fn header_gives_version_and_table_size() {
        let l = listing(Some(100));
        assert_eq!(l.snapshot.info, Info { version: 0x010201, conn_tab_size: 4096 });
        assert_eq!(l.skipped, 0);
        assert_eq!(l.snapshot.services.len(), 6);
    }

    #[test]
    fn ipv4_service_with_masq_and_route_servers() {
        let l = listing(Some(100));
        let s = &l.snapshot.services[0];
        assert_eq!(s.config.key, ServiceKey::Addr { protocol: Protocol::Tcp, addr: v4("192.0.2.1"), port: 80 });
        assert_eq!((s.config.scheduler.as_str(), s.config.one_packet, s.config.persistence), ("rr", false, None));
        assert_eq!(s.config.netmask, Netmask::host(Family::Inet));
        assert_eq!(s.stats, Stats::default());
        let d = &s.dests[1];
        assert_eq!((d.config.addr, d.config.port, d.config.forward, d.config.weight), (v4("192.0.2.11"), 8080, Forward::Masq, 3));
        assert_eq!((d.active_conns, d.inact_conns, d.persist_conns), (12, 40, 0));
        assert_eq!((s.dests[0].config.forward, s.dests[0].config.weight), (Forward::Route, 0));
    }

    #[test]
    fn ops_and_persistence_with_a_mask() {
        let s = &listing(Some(100)).snapshot.services[1];
        assert_eq!(s.config.key, ServiceKey::Addr { protocol: Protocol::Udp, addr: v4("192.0.2.2"), port: 53 });
        assert!(s.config.one_packet);
        assert_eq!(s.config.persistence, Some(60));
        assert_eq!(s.config.netmask, Netmask::V4(Ipv4Addr::new(255, 255, 255, 0)));
        let d = &s.dests[0];
        assert_eq!(d.config.forward, Forward::Tunnel { tun_type: TunnelType::Ipip, port: 0, csum: TunnelCsum::NoCsum });
        assert_eq!(d.config.weight, 70000);
    }

    #[test]
    fn ipv6_service_and_its_byte_swapped_prefix() {
        let s = &listing(Some(100)).snapshot.services[2];
        assert_eq!(s.config.key, ServiceKey::Addr { protocol: Protocol::Tcp, addr: "2001:db8::1".parse().unwrap(), port: 443 });
        assert_eq!((s.config.persistence, s.config.netmask), (Some(360), Netmask::V6(64)));
        assert_eq!(s.dests[0].config.addr, "2001:db8::11".parse::<IpAddr>().unwrap());
        // A big-endian host prints the prefix as it is.
        let be = FIXTURE.replace("36000 40000000", "36000 00000040");
        assert_eq!(parse_ip_vs(&be, Some(100)).unwrap().snapshot.services[2].config.netmask, Netmask::V6(64));
    }

    #[test]
    fn sctp_unbound_scheduler_and_local_server() {
        let s = &listing(Some(100)).snapshot.services[3];
        assert_eq!(s.config.key.protocol(), Some(Protocol::Sctp));
        assert_eq!(s.config.scheduler, "none");
        assert_eq!(s.dests[0].config.forward, Forward::Local);
    }

    #[test]
    fn fwmark_family_follows_its_real_servers() {
        let l = listing(Some(100));
        let (f4, f6) = (&l.snapshot.services[4], &l.snapshot.services[5]);
        assert_eq!(f4.config.key, ServiceKey::Fwmark { mark: 7, family: Family::Inet });
        assert_eq!((f4.config.scheduler.as_str(), f4.dests[0].config.port), ("lc", 0));
        assert_eq!(f6.config.key, ServiceKey::Fwmark { mark: 9, family: Family::Inet6 });
        assert_eq!((f6.config.persistence, f6.config.netmask), (Some(20), Netmask::V6(128)));
    }

    #[test]
    fn one_mark_twice_is_one_service_of_each_family() {
        let text = "IP Virtual Server version 1.2.1 (size=4096)\nFWM  00000007 rr \nFWM  00000007 rr \n";
        let keys: Vec<ServiceKey> = parse_ip_vs(text, None).unwrap().snapshot.services.iter().map(|s| s.config.key).collect();
        assert_eq!(keys, [ServiceKey::Fwmark { mark: 7, family: Family::Inet }, ServiceKey::Fwmark { mark: 7, family: Family::Inet6 }]);
    }

    #[test]
    fn without_hz_persistence_is_left_out() {
        let l = listing(None);
        assert!(l.snapshot.services.iter().all(|s| s.config.persistence.is_none()));
        assert_eq!(l.snapshot.services[1].config.netmask, Netmask::host(Family::Inet));
        // A timeout under one tick's worth of seconds still reads as persistent.
        let short = FIXTURE.replace("persistent 6000", "persistent 50");
        assert_eq!(parse_ip_vs(&short, Some(100)).unwrap().snapshot.services[1].config.persistence, Some(1));
    }

    #[test]
    fn malformed_lines_are_skipped_and_counted_with_their_servers() {
        let text = concat!(
            "IP Virtual Server version 1.2.1 (size=4096)\n",
            "TCP  C0000201:0050 rr  \n",
            "  -> C000020B:1F90      Masq    3      12         40        \n",
            "  -> C000020B:1F90      Bounce  3      12         40        \n",
            "  -> +000020B:1F90      Masq    3      12         40        \n",
            "ICMP  C0000201:0050 rr  \n",
            "  -> C000020C:0050      Route   1      0          0         \n",
            "TCP  C0000201:0050 rr  \n",
            "FWM  00000000 rr \n",
            "TCP  C0000204:0050 rr persistent x FFFFFFFF\n",
            "UDP  C0000205:0050 rr  \n",
        );
        let l = parse_ip_vs(text, Some(100)).unwrap();
        let keys: Vec<String> = l.snapshot.services.iter().map(|s| s.config.key.to_string()).collect();
        assert_eq!(keys, ["-t 192.0.2.1:80", "-u 192.0.2.5:80"]);
        assert_eq!(l.snapshot.services[0].dests.len(), 1);
        // Bounce, +000020B, ICMP and its server, the duplicate, mark 0, the bad timeout.
        assert_eq!(l.skipped, 7);
    }

    #[test]
    fn no_header_is_an_error() {
        assert!(matches!(parse_ip_vs("", None), Err(ProcError::Header(_))));
        assert!(matches!(parse_ip_vs("TCP  C0000201:0050 rr  \n", None), Err(ProcError::Header(_))));
        assert!(matches!(parse_ip_vs("IP Virtual Server version 1.2 (size=4096)\n", None), Err(ProcError::Header(_))));
        let empty = parse_ip_vs("IP Virtual Server version 1.2.1 (size=256)\n", None).unwrap();
        assert_eq!((empty.snapshot.services.len(), empty.snapshot.info.conn_tab_size), (0, 256));
    }

    #[test]
    fn global_stats_are_hex() {
        let text = concat!(
            "   Total Incoming Outgoing         Incoming         Outgoing\n",
            "   Conns  Packets  Packets            Bytes            Bytes\n",
            "      1F      2A0        0            1B5C4                0\n",
            "\n",
            " Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n",
            "       1        A        0              3E8                0\n",
        );
        let s = parse_ip_vs_stats(text).unwrap();
        assert_eq!((s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes), (31, 672, 0, 0x1B5C4, 0));
        assert_eq!((s.cps, s.inpps, s.outpps, s.inbps, s.outbps), (1, 10, 0, 1000, 0));
        assert!(parse_ip_vs_stats("   Total Incoming\n").is_err());
    }

    #[test]
    fn hz_from_the_coarse_clock_tick() {
        assert_eq!([10_000_000, 4_000_000, 3_333_333, 1_000_000].map(hz_of_tick), [Some(100), Some(250), Some(300), Some(1000)]);
        assert_eq!(hz_of_tick(0), None);
        assert_eq!(hz_of_tick(1), None);
        // Whatever this host's HZ is, Linux reports a tick.
        assert!(kernel_hz().is_some_and(|hz| (10..=10_000).contains(&hz)));
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
    }

    #[test]
    fn backend_reads_the_file_and_refuses_changes() {
        let path = std::env::temp_dir().join(format!("ipvs-tui-procfs-{}", std::process::id()));
        std::fs::write(&path, format!("{FIXTURE}bogus\n")).unwrap();
        let backend = ProcBackend::new(&path, Some(100));
        let snapshot = block_on(backend.snapshot()).unwrap();
        assert_eq!(snapshot, listing(Some(100)).snapshot);
        assert_eq!(backend.skipped(), 1);
        let op = IpvsOp::DeleteService(snapshot.services[0].config.key);
        assert_eq!(block_on(backend.apply(&op)), Err(Error::Refused(REFUSAL.into())));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(block_on(backend.snapshot()), Err(Error::Unavailable(m)) if m.contains("not loaded")));
    }

    /// Lines built from the file's own pieces, so that most come close to parsing.
    fn near_lines() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("TCP  ".to_string()),
            Just("FWM  ".to_string()),
            Just("  -> ".to_string()),
            Just("[2001:0db8::1]:".to_string()),
            Just("persistent ".to_string()),
            Just("ops ".to_string()),
            "[0-9A-F]{1,9}:?[0-9A-F]{0,5} ",
            "[a-z]{1,4} ",
            "-?[0-9]{1,11} ",
            "Masq |Tunnel |Route |Local ",
            "\\PC{0,6}",
        ];
        proptest::collection::vec(prop::collection::vec(piece, 0..8).prop_map(|p| p.concat()), 0..12).prop_map(|lines| lines.join("\n"))
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}", hz in proptest::option::of(0u32..2000)) {
            let _ = parse_ip_vs(&text, hz);
            let _ = parse_ip_vs(&format!("IP Virtual Server version 1.2.1 (size=4096)\n{text}"), hz);
            let _ = parse_ip_vs_stats(&text);
        }

        #[test]
        fn near_misses_never_panic_and_keys_stay_unique(body in near_lines(), hz in proptest::option::of(0u32..2000)) {
            let listing = parse_ip_vs(&format!("IP Virtual Server version 1.2.1 (size=4096)\n{body}"), hz).unwrap();
            let mut keys: Vec<String> = listing.snapshot.services.iter().map(|s| s.config.key.to_string()).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            prop_assert_eq!(keys.len(), n);
            prop_assert!(listing.skipped <= body.lines().count());
        }
    }
}
