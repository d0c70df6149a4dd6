//! The ipvsadm rules text (`ipvsadm -S` / `-R` and the arguments of single commands).
//!
//! Rendering follows ipvsadm 1.31 to the byte, so saved files and previews can be fed to ipvsadm.

use super::model::{AddrPort, DestConfig, Forward, ServiceConfig, ServiceKey, SyncDaemon, TunnelType};
use std::fmt::Write;

/// `-t 192.0.2.1:80 -s wlc -p 360 -M 255.255.255.0 --pe sip -o -b sh-port`, as `ipvsadm -S` writes it.
pub fn service_options(s: &ServiceConfig) -> String {
    let mut out = format!("{} -s {}", s.key, s.scheduler);
    if let Some(timeout) = s.persistence {
        write!(out, " -p {timeout}").unwrap();
        if !s.netmask.is_host() {
            write!(out, " -M {}", s.netmask).unwrap();
        }
    }
    if let Some(pe) = &s.pe {
        write!(out, " --pe {pe}").unwrap();
    }
    if s.one_packet {
        out.push_str(" -o");
    }
    if !s.sched_flags.is_empty() {
        write!(out, " -b {}", s.sched_flags.names(&s.scheduler)).unwrap();
    }
    out
}

/// `-t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 1`, as `ipvsadm -S` writes it. ipvsadm's save leaves
/// thresholds out; `with_thresholds` adds `-x`/`-y` when set, so a command preview is complete.
pub fn dest_options(service: &ServiceKey, d: &DestConfig, with_thresholds: bool) -> String {
    let mut out = format!("{service} -r {} {} -w {}", AddrPort(&d.addr, d.port), d.forward.switch(), d.weight);
    if let Forward::Tunnel { tun_type, port, csum } = d.forward {
        write!(out, " --tun-type {}", tun_type.name()).unwrap();
        match tun_type {
            TunnelType::Ipip => {}
            TunnelType::Gue => write!(out, " --tun-port {port} {}", csum.option()).unwrap(),
            TunnelType::Gre => write!(out, " {}", csum.option()).unwrap(),
        }
    }
    if with_thresholds {
        if d.u_threshold != 0 {
            write!(out, " -x {}", d.u_threshold).unwrap();
        }
        if d.l_threshold != 0 {
            write!(out, " -y {}", d.l_threshold).unwrap();
        }
    }
    out
}

/// `--start-daemon master --mcast-interface eth0 --syncid 1 ...`: only what differs from defaults.
pub fn daemon_start_options(d: &SyncDaemon) -> String {
    let mut out = format!("--start-daemon {} --mcast-interface {} --syncid {}", d.state.name(), d.mcast_ifn, d.sync_id);
    if d.sync_maxlen != 0 {
        write!(out, " --sync-maxlen {}", d.sync_maxlen).unwrap();
    }
    if let Some(group) = d.mcast_group {
        write!(out, " --mcast-group {group}").unwrap();
    }
    if d.mcast_port != 0 {
        write!(out, " --mcast-port {}", d.mcast_port).unwrap();
    }
    if d.mcast_ttl != 0 {
        write!(out, " --mcast-ttl {}", d.mcast_ttl).unwrap();
    }
    out
}

/// One change read from a rules file, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub line: usize,
    pub op: super::op::IpvsOp,
}

/// Read a whole `ipvsadm -R` file. Every line is checked; on any error the result lists every bad
/// line, so the user can fix them all at once. Blank lines and `#` comments are skipped.
pub fn parse_rules(text: &str) -> Result<Vec<Rule>, Vec<(usize, super::parse::ParseError)>> {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() || words[0].starts_with('#') {
            continue;
        }
        match super::args::parse_args(&words) {
            Ok(op) => rules.push(Rule { line: i + 1, op }),
            Err(e) => errors.push((i + 1, e)),
        }
    }
    if errors.is_empty() { Ok(rules) } else { Err(errors) }
}
