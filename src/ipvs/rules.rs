//! The ipvsadm rules text (`ipvsadm -S` / `-R` and the arguments of single commands).
//!
//! Rendering follows ipvsadm 1.31 to the byte, so saved files and previews can be fed to ipvsadm.

use super::model::{
    AddrPort, DestConfig, Forward, ServiceConfig, ServiceKey, SyncDaemon, TunnelType,
};
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
    let mut out = format!(
        "{service} -r {} {} -w {}",
        AddrPort(d.addr, d.port),
        d.forward.switch(),
        d.weight
    );
    if let Forward::Tunnel {
        tun_type,
        port,
        csum,
    } = d.forward
    {
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
    let mut out = format!(
        "--start-daemon {} --mcast-interface {} --syncid {}",
        d.state.name(),
        d.mcast_ifn,
        d.sync_id
    );
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
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

/// `ipvsadm -Sn`: every service and real server as `-A`/`-a` lines, in ipvsadm's order, byte for
/// byte as the Debian ipvsadm 1.31 writes it. Like ipvsadm it leaves thresholds out. Fwmarks above
/// 2147483647 come out negative (`-f -1`), which ipvsadm -R then refuses: the binary prints
/// marks with `%d`, and scripts comparing with `ipvsadm -Sn` need the same bytes.
pub fn save(snapshot: &super::model::Snapshot) -> String {
    use super::listing::{sort_dests, sort_services};
    let mut services: Vec<&super::model::Service> = snapshot.services.iter().collect();
    sort_services(&mut services);
    let mut out = String::new();
    for service in services {
        writeln!(out, "{}", service_line(&service.config)).unwrap();
        let mut dests: Vec<&super::model::Dest> = service.dests.iter().collect();
        sort_dests(&mut dests);
        for d in dests {
            writeln!(out, "{}", dest_line(&service.config.key, &d.config)).unwrap();
        }
    }
    out
}

/// A service's `-A` line, as `save` writes it.
pub fn service_line(config: &ServiceConfig) -> String {
    use super::listing::rule_key;
    // service_options/dest_options write the key and addresses with Rust's Display; ipvsadm's
    // differ for big fwmarks and IPv4-compatible IPv6 (`::0.2.0.3`), so swap in its forms.
    let key = &config.key;
    let line = service_options(config);
    format!("-A {}", swap_prefix(line, &key.to_string(), &rule_key(key)))
}

/// A real server's `-a` line, as `save` writes it.
pub fn dest_line(key: &ServiceKey, c: &DestConfig) -> String {
    use super::listing::{addr_port, rule_key};
    let line = dest_options(key, c, false);
    let ours = format!("{key} -r {}", AddrPort(c.addr, c.port));
    let theirs = format!("{} -r {}", rule_key(key), addr_port(&c.addr, c.port));
    format!("-a {}", swap_prefix(line, &ours, &theirs))
}

/// `line` with its leading `from` replaced by `to` (unchanged if it does not start with `from`).
fn swap_prefix(line: String, from: &str, to: &str) -> String {
    match line.strip_prefix(from) {
        Some(rest) => format!("{to}{rest}"),
        None => line,
    }
}

#[cfg(test)]
mod save_tests {
    // The whole lab table is checked against the real ipvsadm in listing/golden.rs.
    use super::*;
    use crate::ipvs::model::{Dest, Family, Protocol, Service, Snapshot, Stats};

    fn dest(addr: &str, forward: Forward, u_threshold: u32) -> Dest {
        let config = DestConfig {
            forward,
            u_threshold,
            ..DestConfig::new(addr.parse().unwrap(), 80)
        };
        Dest {
            config,
            active_conns: 0,
            inact_conns: 0,
            persist_conns: 0,
            stats: Stats::default(),
        }
    }

    #[test]
    fn save_sorts_drops_thresholds_and_writes_addresses_as_ipvsadm() {
        let key = ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr: "::2:3".parse().unwrap(),
            port: 80,
        };
        let fwm = ServiceKey::Fwmark {
            mark: 4_000_000_000,
            family: Family::Inet,
        };
        let svc = |key, dests: Vec<_>| Service {
            config: ServiceConfig::new(key),
            stats: Stats::default(),
            dests: dests.into(),
        };
        let snap = Snapshot {
            services: vec![
                svc(
                    key,
                    vec![
                        dest("::ffff:1.2.3.4", Forward::Masq, 5),
                        dest("::2:4", Forward::Local, 0),
                    ],
                ),
                svc(fwm, vec![]),
            ],
            ..Snapshot::default()
        };
        assert_eq!(
            save(&snap),
            concat!(
                "-A -f -294967296 -s wlc\n",
                "-A -t [::0.2.0.3]:80 -s wlc\n",
                "-a -t [::0.2.0.3]:80 -r [::0.2.0.4]:80 -g -w 1\n",
                "-a -t [::0.2.0.3]:80 -r [::ffff:1.2.3.4]:80 -m -w 1\n",
            )
        );
        assert_eq!(save(&Snapshot::default()), "");
    }
}
