//! How the console and the CLI name services and real servers (`TCP 192.0.2.1:80`, `FWM 7`,
//! `10.0.0.2:80`), and a service's connection counts (the sum of its real servers').

use crate::ipvs::model::{AddrPort, Dest, Family, Service, ServiceKey};

/// How a service is named in the table and matched by the filter: `TCP 192.0.2.1:80`, `FWM 7`.
pub fn service_label(key: &ServiceKey) -> String {
    match key {
        ServiceKey::Addr {
            protocol,
            addr,
            port,
        } => format!("{} {}", protocol.name(), AddrPort(*addr, *port)),
        ServiceKey::Fwmark {
            mark,
            family: Family::Inet,
        } => format!("FWM {mark}"),
        ServiceKey::Fwmark {
            mark,
            family: Family::Inet6,
        } => format!("FWM {mark} IPv6"),
    }
}

/// How a service is named in messages and titles: `TCP 192.0.2.1:80`, `UDP [2001:db8::1]:53`,
/// `fwmark 7 (IPv6)`.
pub fn service_name(key: &ServiceKey) -> String {
    match key {
        ServiceKey::Addr {
            protocol,
            addr,
            port,
        } => format!("{} {}", protocol.name(), AddrPort(*addr, *port)),
        ServiceKey::Fwmark { mark, family } => format!("fwmark {mark} ({family})"),
    }
}

pub fn dest_label(d: &Dest) -> String {
    AddrPort(d.config.addr, d.config.port).to_string()
}

/// Sum of the real servers' active and inactive connections: a service has no count of its own.
pub fn service_conns(s: &Service) -> (u64, u64) {
    s.dests.iter().fold((0, 0), |(a, i), d| {
        (a + u64::from(d.active_conns), i + u64::from(d.inact_conns))
    })
}
