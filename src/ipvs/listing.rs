//! `ipvsadm -Ln` output from the model, byte for byte as ipvsadm 1.31 (Debian) prints it, so that
//! scripts parsing ipvsadm's listing work unchanged on `ipvs-tui list`.
//!
//! Widths, column choices and quirks follow ipvsadm's `print_title`/`print_service_entry` and
//! were checked against the real binary (tests/golden/listing). Addresses are always numeric.

mod ntop;
mod sort;

#[cfg(test)]
mod golden;
#[cfg(test)]
mod tests;

pub use ntop::{addr_port, inet_ntop};
pub use sort::{cmp_dests, cmp_services, sort_dests, sort_services};

use super::model::{Dest, Forward, ServiceKey, Snapshot, SyncDaemon, SyncState, Timeouts};
use super::model::{Family, Service, TunnelType};
use std::fmt::Write;

/// The `-L` display options (`--stats`, `--rate`, ...). When several column sets are asked for,
/// ipvsadm shows one: stats, else rate, else thresholds, else persistent-conn, else tun-info.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListFormat {
    pub stats: bool,
    pub rate: bool,
    pub thresholds: bool,
    pub persistent_conn: bool,
    /// `--exact`: counters in full instead of K/M/G/T (only the stats and rate columns).
    pub exact: bool,
    pub tun_info: bool,
    /// `--nosort`: the kernel's order instead of ipvsadm's.
    pub nosort: bool,
}

/// Which column set a listing has (ipvsadm's precedence of format flags).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Columns {
    Stats,
    Rate,
    Thresholds,
    PersistentConn,
    TunInfo,
    Plain,
}

impl ListFormat {
    fn columns(&self) -> Columns {
        if self.stats {
            Columns::Stats
        } else if self.rate {
            Columns::Rate
        } else if self.thresholds {
            Columns::Thresholds
        } else if self.persistent_conn {
            Columns::PersistentConn
        } else if self.tun_info {
            Columns::TunInfo
        } else {
            Columns::Plain
        }
    }
}

/// `ipvsadm -Ln [options]`: version line, column titles, every service with its real servers.
pub fn list_all(snapshot: &Snapshot, f: &ListFormat) -> String {
    let info = &snapshot.info;
    let mut out = format!(
        "IP Virtual Server version {} (size={})\n",
        info.version_string(),
        info.conn_tab_size as i32
    );
    out.push_str(title(f.columns()));
    let mut services: Vec<&Service> = snapshot.services.iter().collect();
    if !f.nosort {
        sort_services(&mut services);
    }
    for service in services {
        service_entry(&mut out, service, f);
    }
    out
}

/// `ipvsadm -Ln -t VIP:PORT [options]`: titles and one service. ipvsadm prints no version line here.
pub fn list_service(service: &Service, f: &ListFormat) -> String {
    let mut out = title(f.columns()).to_string();
    service_entry(&mut out, service, f);
    out
}

/// `ipvsadm -Ln --timeout`.
pub fn list_timeouts(t: &Timeouts) -> String {
    format!(
        "Timeout (tcp tcpfin udp): {} {} {}\n",
        t.tcp as i32, t.tcp_fin as i32, t.udp as i32
    )
}

/// `ipvsadm -Ln --daemon`: the master first, then the backup (the kernel's dump order);
/// nothing at all when no daemon runs.
pub fn list_daemons(daemons: &[SyncDaemon]) -> String {
    let mut out = String::new();
    for state in [SyncState::Master, SyncState::Backup] {
        for d in daemons.iter().filter(|d| d.state == state) {
            write!(
                out,
                "{} sync daemon (mcast={}, syncid={}",
                state.name(),
                d.mcast_ifn,
                d.sync_id
            )
            .unwrap();
            if d.sync_maxlen != 0 {
                write!(out, ", maxlen={}", d.sync_maxlen).unwrap();
            }
            if let Some(group) = &d.mcast_group {
                write!(out, ", group={}", inet_ntop(group)).unwrap();
            }
            if d.mcast_port != 0 {
                write!(out, ", port={}", d.mcast_port).unwrap();
            }
            if d.mcast_ttl != 0 {
                write!(out, ", ttl={}", d.mcast_ttl).unwrap();
            }
            out.push_str(")\n");
        }
    }
    out
}

/// The service key as ipvsadm's `-S` writes it: `-t 10.0.0.1:80`, `-f 7 -6`. The Debian binary
/// prints the mark with `%d`, so marks above 2147483647 come out negative (`-f -1`).
pub fn rule_key(key: &ServiceKey) -> String {
    match key {
        ServiceKey::Addr {
            protocol,
            addr,
            port,
        } => {
            format!("{} {}", protocol.ipvsadm_option(), addr_port(addr, *port))
        }
        ServiceKey::Fwmark {
            mark,
            family: Family::Inet,
        } => format!("-f {}", *mark as i32),
        ServiceKey::Fwmark {
            mark,
            family: Family::Inet6,
        } => format!("-f {} -6", *mark as i32),
    }
}

fn title(columns: Columns) -> &'static str {
    match columns {
        Columns::Stats => concat!(
            "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n",
            "  -> RemoteAddress:Port\n"
        ),
        Columns::Rate => concat!(
            "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n",
            "  -> RemoteAddress:Port\n"
        ),
        Columns::Thresholds => concat!(
            "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n",
            "  -> RemoteAddress:Port\n"
        ),
        Columns::PersistentConn => concat!(
            "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n",
            "  -> RemoteAddress:Port\n"
        ),
        Columns::TunInfo => concat!(
            "Prot LocalAddress:Port Scheduler Flags\n",
            "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
        ),
        Columns::Plain => concat!(
            "Prot LocalAddress:Port Scheduler Flags\n",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
        ),
    }
}

/// `TCP  10.0.0.1:80`, `FWM  7 IPv6`. ipvsadm cuts an IPv4 name at 33 bytes (never reached
/// numerically) and prints the mark with `%d`.
fn service_name(key: &ServiceKey) -> String {
    match key {
        ServiceKey::Fwmark {
            mark,
            family: Family::Inet,
        } => format!("FWM  {}", *mark as i32),
        ServiceKey::Fwmark {
            mark,
            family: Family::Inet6,
        } => format!("FWM  {} IPv6", *mark as i32),
        ServiceKey::Addr {
            protocol,
            addr,
            port,
        } => {
            let mut name = format!("{:<4} {}", protocol.name(), addr_port(addr, *port));
            if addr.is_ipv4() {
                name.truncate(33);
            }
            name
        }
    }
}

/// `print_service_entry` without `FMT_RULE`: the service line, then its real servers.
fn service_entry(out: &mut String, service: &Service, f: &ListFormat) {
    let s = &service.config;
    let name = service_name(&s.key);
    let columns = f.columns();
    match columns {
        Columns::Stats | Columns::Rate => {
            let st = &service.stats;
            let values = if columns == Columns::Stats {
                [st.conns, st.inpkts, st.outpkts, st.inbytes, st.outbytes]
            } else {
                [st.cps, st.inpps, st.outpps, st.inbps, st.outbps]
            };
            write!(out, "{name:<33}").unwrap();
            for v in values {
                largenum(out, v, f.exact);
            }
        }
        _ => {
            write!(out, "{name} {}", s.scheduler).unwrap();
            if !s.sched_flags.is_empty() {
                // sh/mh name only their two flags, so "-b flag-3" on sh lists as "sh ()".
                write!(out, " ({})", s.sched_flags.names(&s.scheduler)).unwrap();
            }
            if let Some(timeout) = s.persistence {
                write!(out, " persistent {timeout}").unwrap();
                if !s.netmask.is_host() {
                    write!(out, " mask {}", s.netmask).unwrap();
                }
                // The engine is listed only for persistent services (`-S` always saves it).
                if let Some(pe) = &s.pe {
                    write!(out, " pe {pe}").unwrap();
                }
            }
            if s.one_packet {
                out.push_str(" ops");
            }
        }
    }
    out.push('\n');

    let mut dests: Vec<&Dest> = service.dests.iter().collect();
    if !f.nosort {
        sort_dests(&mut dests);
    }
    for d in dests {
        dest_line(out, d, f);
    }
}

/// One `  -> ` line. Real server names are cut at 28 bytes for IPv4 only, like ipvsadm's.
fn dest_line(out: &mut String, d: &Dest, f: &ListFormat) {
    let c = &d.config;
    let mut name = addr_port(&c.addr, c.port);
    if c.addr.is_ipv4() {
        name.truncate(28);
    }
    // ipvsadm prints the weight with %d in most columns (%u under --persistent-conn).
    let weight = c.weight as i32;
    write!(out, "  -> {name:<28}").unwrap();
    match f.columns() {
        Columns::Stats => {
            let st = &d.stats;
            for v in [st.conns, st.inpkts, st.outpkts, st.inbytes, st.outbytes] {
                largenum(out, v, f.exact);
            }
        }
        Columns::Rate => {
            // Packet and connection rates are printed raw (%8llu); only byte rates are scaled.
            let st = &d.stats;
            write!(out, " {:>8} {:>8} {:>8}", st.cps, st.inpps, st.outpps).unwrap();
            largenum(out, st.inbps, f.exact);
            largenum(out, st.outbps, f.exact);
        }
        Columns::Thresholds => write!(
            out,
            " {:<10} {:<10} {:<10} {:<10}",
            c.u_threshold, c.l_threshold, d.active_conns, d.inact_conns
        )
        .unwrap(),
        Columns::PersistentConn => write!(
            out,
            " {:<9} {:<11} {:<10} {:<10}",
            c.weight, d.persist_conns, d.active_conns, d.inact_conns
        )
        .unwrap(),
        Columns::TunInfo => write!(
            out,
            " {:<7} {:<13} {weight:<6} {:<10} {:<10}",
            c.forward.name(),
            tun_info(&c.forward),
            d.active_conns,
            d.inact_conns
        )
        .unwrap(),
        Columns::Plain => write!(
            out,
            " {:<7} {weight:<6} {:<10} {:<10}",
            c.forward.name(),
            d.active_conns,
            d.inact_conns
        )
        .unwrap(),
    }
    out.push('\n');
}

/// `fwd_tun_info`: `ipip`, `gue:PORT:-c|+c|r+c`, `gre:-c|+c|r+c`; `n/a` for other methods.
fn tun_info(forward: &Forward) -> String {
    match forward {
        Forward::Tunnel {
            tun_type: TunnelType::Ipip,
            ..
        } => "ipip".to_string(),
        Forward::Tunnel {
            tun_type: TunnelType::Gue,
            port,
            csum,
        } => format!("gue:{port}:{}", csum.short()),
        Forward::Tunnel {
            tun_type: TunnelType::Gre,
            csum,
            ..
        } => format!("gre:{}", csum.short()),
        _ => "n/a".to_string(),
    }
}

/// `print_largenum`: a 9-character column. Exact: the number right-aligned after a space, wider
/// if needed. Otherwise below 10^8 as is, then thousands `K` up to 10^9, millions `M` up to
/// 10^11, billions `G` up to 10^14, else trillions `T` (each truncated, `%8llu` + unit).
fn largenum(out: &mut String, n: u64, exact: bool) {
    if exact || n < 100_000_000 {
        write!(out, " {n:>8}").unwrap();
        return;
    }
    let (div, unit) = if n < 1_000_000_000 {
        (1_000, 'K')
    } else if n < 100_000_000_000 {
        (1_000_000, 'M')
    } else if n < 100_000_000_000_000 {
        (1_000_000_000, 'G')
    } else {
        (1_000_000_000_000, 'T')
    };
    write!(out, "{:>8}{unit}", n / div).unwrap();
}
