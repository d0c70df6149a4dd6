//! The parsers on the dump files of keepalived 2.2.7 captured in the lab
//! (tests/fixtures/keepalived, see tests/keepalived_lab.rs), on damaged copies, and on noise.

use super::{DumpError, LbKind, Proto, VrrpState, VsKey, check, json, vrrp};
use proptest::prelude::*;
use std::net::IpAddr;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/keepalived/2.2.7/",
            $name
        ))
    };
}
const DIRECTOR: &str = fixture!("director-keepalived.data");
const DIRECTOR_JSON: &str = fixture!("director-keepalived.json");
const CHECK: &str = fixture!("director-keepalived_check.data");
const CHECK_RS1_DOWN: &str = fixture!("director-keepalived_check.rs1-down.data");
const VR1: &str = fixture!("vr1-keepalived.data");
const VR2: &str = fixture!("vr2-keepalived.data");

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn director_vrrp_instance() {
    let data = vrrp::parse(DIRECTOR).unwrap();
    assert_eq!(data.router_id.as_deref(), Some("lab-director"));
    let [vi] = data.instances.as_slice() else {
        panic!("{data:?}")
    };
    assert_eq!(vi.name, "VI_LAB");
    assert_eq!(
        (vi.state, vi.want_state),
        (VrrpState::Master, Some(VrrpState::Master))
    );
    assert_eq!(
        (vi.vrid, vi.priority, vi.effective_priority),
        (Some(51), Some(150), Some(150))
    );
    assert_eq!(vi.interface.as_deref(), Some("out0"));
    assert_eq!(vi.master_router, None);
    assert_eq!(
        vi.last_transition.unwrap().as_microsecond(),
        1_796_621_785_932_086
    );
    let [a] = vi.addresses.as_slice() else {
        panic!()
    };
    assert_eq!(
        (a.addr, a.prefix, a.dev.as_deref(), a.set),
        (ip("203.0.113.110"), Some(24), Some("out0"), true)
    );
}

#[test]
fn vrrp_pair_master_and_backup() {
    let master = &vrrp::parse(VR1).unwrap().instances[0];
    let backup = &vrrp::parse(VR2).unwrap().instances[0];
    assert_eq!(
        (master.name.as_str(), master.state),
        ("VI_PAIR", VrrpState::Master)
    );
    assert_eq!(backup.state, VrrpState::Backup);
    assert_eq!(
        (backup.master_router, backup.master_priority),
        (Some(ip("192.0.2.1")), Some(150))
    );
    assert_eq!(backup.priority, Some(100));
    assert!(!backup.addresses[0].set, "a BACKUP does not hold the VIP");
}

#[test]
fn json_agrees_with_the_data_file() {
    let from_json = &json::parse(DIRECTOR_JSON).unwrap().instances[0];
    let from_data = &vrrp::parse(DIRECTOR).unwrap().instances[0];
    assert_eq!(from_json.name, from_data.name);
    assert_eq!(from_json.state, from_data.state);
    assert_eq!(from_json.vrid, from_data.vrid);
    assert_eq!(from_json.priority, from_data.priority);
    assert_eq!(from_json.last_transition, from_data.last_transition);
    assert_eq!(from_json.addresses, from_data.addresses);
}

#[test]
fn checker_virtual_and_real_servers() {
    let data = check::parse(CHECK).unwrap();
    let keys: Vec<String> = data
        .virtual_servers
        .iter()
        .map(|v| v.key.to_string())
        .collect();
    assert_eq!(
        keys,
        ["TCP 203.0.113.100:80", "TCP 203.0.113.101:80", "FWM 7"]
    );
    let nat = &data.virtual_servers[0];
    assert_eq!(
        nat.key,
        VsKey::Addr {
            protocol: Proto::Tcp,
            addr: ip("203.0.113.100"),
            port: 80
        }
    );
    assert_eq!(
        (nat.scheduler.as_deref(), nat.forward),
        (Some("rr"), Some(LbKind::Nat))
    );
    assert_eq!(data.virtual_servers[1].forward, Some(LbKind::Dr));
    let weights: Vec<(IpAddr, i64, i64)> = nat
        .real_servers
        .iter()
        .map(|r| (r.addr, r.weight, r.effective_weight))
        .collect();
    assert_eq!(
        weights,
        [(ip("10.10.0.11"), 3, 3), (ip("10.10.0.12"), 2, 2)]
    );
    for vs in &data.virtual_servers {
        for rs in &vs.real_servers {
            assert!(
                rs.alive && rs.failed_checkers == 0 && rs.set == Some(true),
                "{rs:?}"
            );
            assert_eq!(rs.checkers.len(), 1, "{} {rs:?}", vs.key);
            assert_eq!(rs.checkers[0].kind.as_deref(), Some("TCP_CHECK"));
            assert!(rs.checkers[0].up);
            assert_eq!(rs.expected_in_kernel(), Some(rs.effective_weight));
        }
    }
}

#[test]
fn a_dead_real_server() {
    let data = check::parse(CHECK_RS1_DOWN).unwrap();
    for vs in &data.virtual_servers {
        for rs in &vs.real_servers {
            let dead = rs.addr == ip("10.10.0.11");
            assert_eq!(rs.alive, !dead, "{} {rs:?}", vs.key);
            assert_eq!(rs.failed_checkers, u32::from(dead));
            assert_eq!(rs.checkers[0].up, !dead);
            assert_eq!(
                rs.expected_in_kernel().is_none(),
                dead,
                "removed: no inhibit_on_failure"
            );
        }
    }
    assert_eq!(data.virtual_servers[2].quorum_up, Some(false));
}

#[test]
fn damaged_files_say_what_is_wrong() {
    let cut = &CHECK[..CHECK.len() - 10];
    assert!(
        matches!(check::parse(cut), Err(DumpError::Truncated { .. })),
        "{:?}",
        check::parse(cut)
    );
    assert!(matches!(vrrp::parse(""), Err(DumpError::Empty { .. })));
    assert!(matches!(
        check::parse("hello\n"),
        Err(DumpError::NotADump { .. })
    ));
    let no_topology = CHECK.replace("------< LVS Topology >------", "------< Other >------");
    let e = check::parse(&no_topology).unwrap_err();
    assert_eq!(
        e.to_string(),
        "keepalived_check.data has no \"LVS Topology\" section"
    );
    let unknown = VR2.replace("State = BACKUP", "State = WOBBLY");
    assert!(
        vrrp::parse(&unknown)
            .unwrap_err()
            .to_string()
            .contains("unknown VRRP state \"WOBBLY\"")
    );
    // The last real server of the topology without its verdict: cut short, not a guess.
    let end = CHECK.find("------< Health checkers >------").unwrap();
    let head = &CHECK[..end];
    let cut = &head[..head.rfind("   alive = ").unwrap()];
    assert!(
        matches!(check::parse(cut), Err(DumpError::Truncated { .. })),
        "{:?}",
        check::parse(cut)
    );
    assert!(matches!(
        json::parse(&DIRECTOR_JSON[..100]),
        Err(DumpError::Truncated { .. })
    ));
}

proptest! {
    #![proptest_config(crate::testing::proptest_config())]
    #[test]
    fn noise_never_panics(text in "\\PC*") {
        let _ = vrrp::parse(&text);
        let _ = check::parse(&text);
        let _ = json::parse(&text);
    }

    #[test]
    fn fixture_lines_shuffled_and_cut_never_panic(
        cut in 0usize..9000, drop in 0usize..200, swap in 0usize..200, noise in "[ -~]{0,40}"
    ) {
        for fixture in [DIRECTOR, CHECK, VR2] {
            let mut lines: Vec<&str> = fixture.lines().collect();
            if drop < lines.len() { lines.remove(drop); }
            if swap + 1 < lines.len() { lines.swap(swap, swap + 1); }
            let mut text = lines.join("\n");
            let at = floor(&text, cut);
            text.insert_str(at, &noise);
            let _ = vrrp::parse(&text);
            let _ = check::parse(&text);
        }
    }
}

/// The largest char boundary at or below `at`.
fn floor(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}
