//! The connection table: exact /proc/net/ip_vs_conn lines, and a demo table that parses with the
//! documented format and agrees with the ActiveConn / InActConn / PersistConn gauges.

use super::SimBackend;
use super::conn::{Conn, Gauge, HEADER, Proto, State};
use futures::executor::block_on;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

fn entry(
    proto: Proto,
    c: (&str, u16),
    v: (&str, u16),
    d: (&str, u16),
    state: State,
    next_us: u64,
) -> Conn {
    Conn {
        id: 1,
        proto,
        caddr: c.0.parse().unwrap(),
        cport: c.1,
        vaddr: v.0.parse().unwrap(),
        vport: v.1,
        daddr: d.0.parse().unwrap(),
        dport: d.1,
        state,
        gauge: Gauge::Inactive,
        dest: 0,
        service: (0, 0),
        next_us,
        carrying: None,
        abandoned: false,
        masq: true,
        template: None,
        n_control: 0,
        controlled_by: None,
    }
}

fn line(c: &Conn, now_us: u64) -> String {
    let mut out = String::new();
    c.write_line(&mut out, now_us);
    out
}

#[test]
fn lines_are_byte_for_byte_the_kernels() {
    let now = 5_000_000;
    let tw = entry(
        Proto::Tcp,
        ("203.0.113.5", 40000),
        ("192.0.2.10", 80),
        ("10.0.0.11", 80),
        State::TimeWait,
        now + 119_600_000,
    );
    assert_eq!(
        line(&tw, now),
        "TCP CB007105 9C40 C000020A 0050 0A00000B 0050 TIME_WAIT       119\n"
    );
    let udp = entry(
        Proto::Udp,
        ("198.51.100.7", 53000),
        ("192.0.2.53", 53),
        ("10.0.0.53", 53),
        State::Udp,
        now + 300_000_000,
    );
    assert_eq!(
        line(&udp, now),
        "UDP C6336407 CF08 C0000235 0035 0A000035 0035 UDP             300\n"
    );
    let fwm = entry(
        Proto::Ip,
        ("203.0.113.5", 0),
        ("0.0.0.1", 0),
        ("10.0.1.41", 0),
        State::None,
        now + 299_999_999,
    );
    assert_eq!(
        line(&fwm, now),
        "IP  CB007105 0000 00000001 0000 0A000129 0000 NONE            299\n"
    );
    let v6 = entry(
        Proto::Tcp,
        ("2001:db8:c::5", 40000),
        ("2001:db8::80", 80),
        ("2001:db8:10::11", 80),
        State::Established,
        now,
    );
    assert_eq!(
        line(&v6, now),
        "TCP 2001:0db8:000c:0000:0000:0000:0000:0005 9C40 2001:0db8:0000:0000:0000:0000:0000:0080 0050 \
         2001:0db8:0010:0000:0000:0000:0000:0011 0050 ESTABLISHED       0\n"
    );
    // An IPv4 service with an IPv6 tunnel real server: each address in its own family's form.
    let mixed = entry(
        Proto::Tcp,
        ("203.0.113.5", 1),
        ("192.0.2.10", 80),
        ("2001:db8::5", 80),
        State::FinWait,
        now + 1_000_000,
    );
    assert_eq!(
        line(&mixed, now),
        "TCP CB007105 0001 C000020A 0050 2001:0db8:0000:0000:0000:0000:0000:0005 0050 FIN_WAIT          1\n"
    );
    let expired = entry(
        Proto::Sctp,
        ("203.0.113.5", 1),
        ("192.0.2.10", 80),
        ("10.0.0.1", 80),
        State::Closed,
        now - 1,
    );
    assert_eq!(
        line(&expired, now),
        "SCTP CB007105 0001 C000020A 0050 0A000001 0050 CLOSED            0\n"
    );
}

struct Parsed {
    proto: String,
    caddr: IpAddr,
    vaddr: IpAddr,
    daddr: IpAddr,
    state: String,
}

/// An address as ip_vs_conn prints it: 8 upper-case hex digits, or a full lower-case IPv6.
fn parse_addr(text: &str) -> IpAddr {
    if text.contains(':') {
        assert!(
            text.len() == 39
                && text
                    .chars()
                    .all(|c| c == ':' || c.is_ascii_digit() || ('a'..='f').contains(&c)),
            "{text}"
        );
        IpAddr::V6(text.parse::<Ipv6Addr>().unwrap())
    } else {
        assert!(
            text.len() == 8
                && text
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)),
            "{text}"
        );
        IpAddr::V4(Ipv4Addr::from(u32::from_str_radix(text, 16).unwrap()))
    }
}

/// Parses with the documented layout and checks the line is exactly that layout re-printed.
fn parse_line(text: &str) -> Parsed {
    let f: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(f.len(), 9, "{text}");
    let port = |s: &str| {
        assert_eq!(s.len(), 4, "{text}");
        u16::from_str_radix(s, 16).unwrap()
    };
    let (cport, vport, dport) = (port(f[2]), port(f[4]), port(f[6]));
    let expires: u32 = f[8].parse().unwrap();
    let reprinted = format!(
        "{:<3} {} {cport:04X} {} {vport:04X} {} {dport:04X} {:<11} {expires:>7}",
        f[0], f[1], f[3], f[5], f[7]
    );
    assert_eq!(text, reprinted);
    Parsed {
        proto: f[0].into(),
        caddr: parse_addr(f[1]),
        vaddr: parse_addr(f[3]),
        daddr: parse_addr(f[5]),
        state: f[7].into(),
    }
}

#[test]
fn the_demo_table_parses_and_matches_the_gauges() {
    let b = SimBackend::demo(21);
    b.advance(Duration::from_secs(45));
    let table = b.conn_table();
    assert!(table.starts_with(HEADER));
    // (active, inactive, persist) per real server address, counted from the table.
    let mut counted: BTreeMap<IpAddr, (u32, u32, u32)> = BTreeMap::new();
    let mut protos = BTreeMap::new();
    for text in table.lines().skip(1) {
        let p = parse_line(text);
        assert_eq!(p.caddr.is_ipv6(), p.vaddr.is_ipv6(), "{text}");
        *protos.entry(p.proto.clone()).or_insert(0) += 1;
        let c = counted.entry(p.daddr).or_default();
        match p.state.as_str() {
            "NONE" => c.2 += 1,
            "ESTABLISHED" => c.0 += 1,
            "FIN_WAIT" | "TIME_WAIT" | "UDP" => c.1 += 1,
            other => panic!("unexpected state {other}"),
        }
    }
    assert_eq!(
        protos.keys().map(String::as_str).collect::<Vec<_>>(),
        ["IP", "TCP", "UDP"]
    );
    let snap = block_on(b.snapshot()).unwrap();
    let mut gauges = BTreeMap::new();
    for s in &snap.services {
        for d in &s.dests {
            if d.active_conns + d.inact_conns + d.persist_conns > 0 {
                gauges.insert(
                    d.config.addr,
                    (d.active_conns, d.inact_conns, d.persist_conns),
                );
            }
        }
    }
    assert_eq!(counted, gauges);
    assert!(
        counted.keys().any(|a| a.is_ipv6()),
        "the IPv6 service has entries"
    );
}
