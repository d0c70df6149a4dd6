//! The connection-table parser on real lines captured in the lab (tests/conns_fixture), on the
//! simulator's table, and on arbitrary bytes (never a panic; malformed lines counted).

use ipvs_tui::ipvs::conns::{self, ConnTable, Filter, GroupBy, Limits, parse_line};
use ipvs_tui::ipvs::sim::SimBackend;
use proptest::prelude::*;
use std::net::IpAddr;
use std::time::Duration;

const FIXTURE: &str = include_str!("../conns_fixture/ip_vs_conn.txt");
const IPVSADM: &str = include_str!("../conns_fixture/ipvsadm-Lnc.txt");

fn table(text: &str, filter: &[&str]) -> ConnTable {
    ConnTable::from_text(text, Filter::parse(filter).unwrap(), Limits::default())
}

#[test]
fn every_captured_line_parses() {
    let t = table(FIXTURE, &[]);
    assert_eq!(
        (t.counts.lines, t.counts.malformed),
        (29, 0),
        "{:?}",
        t.first_malformed
    );
    let states: Vec<String> = t.by_state().into_iter().map(|g| g.key).collect();
    for want in [
        "ESTABLISHED",
        "CLOSE_WAIT",
        "FIN_WAIT",
        "TIME_WAIT",
        "CLOSE",
        "SYN_RECV",
        "UDP",
        "REJECTED",
        "ASSURED",
    ] {
        assert!(states.iter().any(|s| s == want), "no {want} in {states:?}");
    }
}

/// Rendered as ipvsadm does, the captured file gives exactly what ipvsadm printed at that moment.
#[test]
fn listing_equals_ipvsadm_captured_in_the_same_instant() {
    let t = table(FIXTURE, &[]);
    let mut got = String::from(
        "IPVS connection entries\npro expire state       source             virtual            destination\n",
    );
    for r in &t.rows {
        got += &t.view(r).ipvsadm_line();
        got.push('\n');
    }
    assert_eq!(got, IPVSADM);
}

#[test]
fn captured_special_lines() {
    let ipv6 = FIXTURE
        .lines()
        .find(|l| l.starts_with("TCP 2001:"))
        .unwrap();
    let e = parse_line(ipv6.as_bytes()).unwrap();
    assert_eq!(e.dest, "2001:db8:2::11".parse::<IpAddr>().unwrap());
    let fwm = FIXTURE.lines().find(|l| l.starts_with("IP ")).unwrap();
    let e = parse_line(fwm.as_bytes()).unwrap();
    assert_eq!(
        (e.fwmark(), e.is_template(), e.state.name()),
        (Some(7), true, "ASSURED")
    );
    let sctp = FIXTURE.lines().find(|l| l.starts_with("SCTP ")).unwrap();
    assert_eq!(parse_line(sctp.as_bytes()).unwrap().proto, 132);
    // The UDP persistent service masks clients with /24: its template names 203.0.113.0.
    let udp54 = conns::ServiceId::Addr {
        proto: 17,
        addr: "203.0.113.100".parse().unwrap(),
        port: 54,
    };
    let filter = Filter::parse(&["client:203.0.113.77", "svc:203.0.113.100:54"])
        .unwrap()
        .with_masks(vec![(udp54, 24)]);
    let t = ConnTable::from_text(FIXTURE, filter, Limits::default());
    let templates: Vec<String> = t
        .templates
        .iter()
        .map(|r| t.view(r).dest.to_string())
        .collect();
    assert_eq!(templates, ["10.10.0.11:53"]);
}

#[test]
fn filters_on_captured_lines() {
    let count = |f: &[&str]| table(FIXTURE, f).counts.matched;
    assert_eq!(count(&["state:SYN_RECV"]), 2);
    assert_eq!(count(&["rs:10.10.0.12:81"]), 5);
    assert_eq!(count(&["rs:10.10.0.12", "state:ESTABLISHED"]), 5);
    assert_eq!(count(&["proto:sctp"]), 4);
    assert_eq!(count(&["fwm:7"]), 1);
    assert_eq!(count(&["client:2001:db8:1::/64"]), 2);
    assert_eq!(
        count(&["svc:203.0.113.100:81 state:CLOSE_WAIT state:ESTABLISHED"]),
        4
    );
    assert_eq!(count(&["proto:udp", "client:203.0.113.0/24"]), 4);
}

/// The simulator writes the kernel's format: its demo table parses with nothing malformed, and
/// per real server the entries agree with the table's own line count.
#[test]
fn simulator_table_parses() {
    let b = SimBackend::demo(7);
    b.advance(Duration::from_secs(60));
    let text = b.conn_table();
    let t = table(&text, &[]);
    assert_eq!(t.counts.malformed, 0, "{:?}", t.first_malformed);
    assert_eq!(t.counts.lines as usize, b.conn_entries());
    assert!(t.counts.lines > 100, "the demo has traffic");
    let by_rs: u64 = t
        .groups(GroupBy::Server, usize::MAX)
        .iter()
        .map(|g| g.total)
        .sum();
    assert_eq!(by_rs, t.counts.lines);
    assert!(!t.templates.is_empty(), "the demo has persistent services");
}

/// One line in the kernel's exact format (ip_vs_conn_seq_show).
fn kernel_line(e: &conns::ConnLine) -> String {
    fn addr(a: IpAddr) -> String {
        match a {
            IpAddr::V4(v4) => format!("{:08X}", u32::from(v4)),
            IpAddr::V6(v6) => v6
                .segments()
                .iter()
                .map(|s| format!("{s:04x}"))
                .collect::<Vec<_>>()
                .join(":"),
        }
    }
    format!(
        "{:<3} {} {:04X} {} {:04X} {} {:04X} {:<11} {:>7}",
        conns::names::proto_name(e.proto),
        addr(e.client),
        e.cport,
        addr(e.virt),
        e.vport,
        addr(e.dest),
        e.dport,
        e.state.name(),
        e.expires
    )
}

fn any_addr() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<u32>().prop_map(|a| IpAddr::V4(a.into())),
        any::<u128>().prop_map(|a| IpAddr::V6(a.into()))
    ]
}

fn any_entry() -> impl Strategy<Value = conns::ConnLine> {
    let proto = prop_oneof![Just(0u8), Just(6), Just(17), Just(132), any::<u8>()];
    let state = (0..conns::names::STATE_COUNT).prop_map(|i| conns::State::from_index(i).unwrap());
    (
        proto,
        any_addr(),
        any::<u16>(),
        any_addr(),
        any::<u16>(),
        any_addr(),
        any::<u16>(),
        state,
        any::<u32>(),
    )
        .prop_map(
            |(proto, client, cport, virt, vport, dest, dport, state, expires)| conns::ConnLine {
                proto,
                client,
                cport,
                virt,
                vport,
                dest,
                dport,
                state,
                expires,
                pe: false,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Arbitrary bytes: no panic, and every non-blank, non-header line is either an entry or
    /// counted as malformed.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut c = conns::Collector::new(Filter::default(), Limits { max_rows: 4, max_templates: 4, max_clients: 2 });
        let mut lines = 0;
        for l in bytes.split(|b| *b == b'\n') {
            c.line(l);
            if !l.starts_with(b"Pro ") && !l.iter().all(u8::is_ascii_whitespace) {
                lines += 1;
            }
        }
        let t = c.finish();
        prop_assert_eq!(t.counts.lines, lines);
        prop_assert_eq!(t.counts.matched + t.counts.malformed, lines);
        let _ = parse_line(&bytes);
    }

    /// Near-misses of real lines (one byte changed, cut short) also never panic.
    #[test]
    fn mutated_real_lines_never_panic(i in 0usize..29, at in 0usize..200, b in any::<u8>(), cut in 0usize..200) {
        let line = FIXTURE.lines().nth(1 + i).unwrap().as_bytes().to_vec();
        let mut m = line.clone();
        let at = at % m.len();
        m[at] = b;
        let _ = parse_line(&m);
        let _ = parse_line(&line[..cut.min(line.len())]);
    }

    /// Printed in the kernel's format, any entry parses back to itself.
    #[test]
    fn print_then_parse(e in any_entry()) {
        let text = kernel_line(&e);
        prop_assert_eq!(parse_line(text.as_bytes()), Ok(e));
    }
}
