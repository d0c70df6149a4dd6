//! The notify FIFO parser on the lines keepalived 2.2.7 wrote in the lab
//! (tests/fixtures/keepalived/2.2.7/*.fifo.lines), applied to the lab's dump; and on noise.

use super::notify::{Event, Lines, apply, parse};
use super::reader::KeepalivedState;
use super::{VrrpState, check, process::Process, vrrp};
use proptest::prelude::*;
use std::path::PathBuf;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/keepalived/2.2.7/",
            $name
        ))
    };
}
const LVS: &str = fixture!("director-lvs.fifo.lines");
const VRRP: &str = fixture!("director-vrrp.fifo.lines");
const PAIR: &str = fixture!("vr2-vrrp.fifo.lines");

fn state() -> KeepalivedState {
    KeepalivedState {
        process: Process {
            pid: 1,
            config: PathBuf::from("/k.conf"),
            tmp_dir: PathBuf::from("/tmp"),
            vrrp: Some(true),
            checker: Some(true),
        },
        read_at: "2026-12-07T06:00:00Z".parse().unwrap(),
        vrrp: Some(vrrp::parse(fixture!("vr2-keepalived.data")).unwrap()),
        check: Some(check::parse(fixture!("director-keepalived_check.data")).unwrap()),
        files: vec![],
    }
}

#[test]
fn every_line_of_the_lab_is_understood() {
    for line in LVS.lines().chain(VRRP.lines()).chain(PAIR.lines()) {
        parse(line).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(
        parse("RS [10.10.0.11]:none:80 FWM 7 DOWN").unwrap(),
        Event::RealServer {
            vs: "FWM 7".into(),
            addr: "10.10.0.11".parse().unwrap(),
            port: 80,
            up: false
        }
    );
    assert_eq!(
        parse("INSTANCE \"VI_PAIR\" MASTER 100\n").unwrap(),
        Event::Instance {
            name: "VI_PAIR".into(),
            state: VrrpState::Master,
            priority: 100
        }
    );
    assert_eq!(
        parse("INSTANCE \"VI 1\" MASTER_PRIORITY 90").unwrap(),
        Event::Priority {
            name: "VI 1".into(),
            priority: 90
        }
    );
    assert!(matches!(
        parse("RS [2001:db8::2]:tcp:443 [2001:db8::1]:tcp:443 UP"),
        Ok(Event::RealServer { port: 443, .. })
    ));
    assert!(matches!(
        parse("GROUP \"G\" FAULT 0"),
        Ok(Event::Group { .. })
    ));
}

#[test]
fn unknown_lines_say_why() {
    for (line, what) in [
        ("", "no event word"),
        (
            "RS [10.0.0.1]:tcp:80 [192.0.2.1]:tcp:80 MAYBE",
            "state is not UP or DOWN",
        ),
        (
            "RS 10.0.0.1:80 [192.0.2.1]:tcp:80 UP",
            "unreadable real server",
        ),
        ("VS [192.0.2.1]:tcp:x UP", "unreadable virtual server"),
        ("INSTANCE VI_1 MASTER 100", "no quoted name"),
        (
            "INSTANCE \"VI_1\" MASTER",
            "not STATE PRIORITY after the name",
        ),
        ("INSTANCE \"VI_1\" BOSS 100", "unknown state"),
        ("HELLO world", "unknown event word"),
    ] {
        assert_eq!(parse(line).unwrap_err().what, what, "{line:?}");
    }
}

/// The lab's lines replayed on the lab's dump: rs1 dead in its three virtual servers, then
/// alive again; vr2's instance MASTER.
#[test]
fn events_change_the_state_shown() {
    let mut s = state();
    let at = "2026-12-07T06:01:00Z".parse().unwrap();
    let rs1 = |s: &KeepalivedState| -> Vec<(bool, u32, Option<bool>)> {
        let check = s.check.as_ref().unwrap();
        check
            .virtual_servers
            .iter()
            .flat_map(|v| &v.real_servers)
            .filter(|r| r.addr.to_string() == "10.10.0.11")
            .map(|r| (r.alive, r.failed_checkers, r.checkers.first().map(|c| c.up)))
            .collect()
    };
    let lines: Vec<&str> = LVS.lines().collect();
    let down = lines
        .iter()
        .position(|l| l.ends_with("[203.0.113.100]:tcp:80 DOWN"))
        .unwrap();
    for line in &lines[..=down] {
        apply(&mut s, &parse(line).unwrap(), at);
    }
    assert_eq!(rs1(&s), vec![(false, 1, Some(false)); 3]);
    let fwm = &s.check.as_ref().unwrap().virtual_servers[2];
    assert_eq!(fwm.quorum_up, Some(false));
    for line in &lines[down + 1..] {
        assert!(apply(&mut s, &parse(line).unwrap(), at), "{line}");
    }
    assert_eq!(rs1(&s), vec![(true, 0, Some(true)); 3]);
    let vi = |s: &KeepalivedState| s.vrrp.as_ref().unwrap().instances[0].clone();
    assert_eq!(vi(&s).state, VrrpState::Backup);
    for line in PAIR.lines() {
        assert!(apply(&mut s, &parse(line).unwrap(), at));
    }
    let vi = vi(&s);
    assert_eq!(
        (vi.state, vi.master_router, vi.last_transition),
        (VrrpState::Master, None, Some(at))
    );
    // VI_LAB is not vr2's: nothing to change.
    assert!(!apply(
        &mut s,
        &parse(VRRP.lines().next().unwrap()).unwrap(),
        at
    ));
}

#[test]
fn lines_are_cut_at_newlines_and_overlong_ones_dropped() {
    let mut lines = Lines::default();
    assert!(lines.push(b"VS FWM 7 U").is_empty());
    assert_eq!(
        lines.push(b"P\nVS FWM 8 DOWN\nRS"),
        ["VS FWM 7 UP", "VS FWM 8 DOWN"]
    );
    assert!(lines.push(&[b'x'; 5000]).is_empty());
    assert_eq!(lines.push(b"yy\nVS FWM 9 UP\n"), ["VS FWM 9 UP"]);
    assert_eq!(lines.overlong, 1);
}

proptest! {
    #![proptest_config(crate::testing::proptest_config())]
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = parse(&text);
        let mut s = state();
        if let Ok(event) = parse(&text) {
            apply(&mut s, &event, jiff::Timestamp::UNIX_EPOCH);
        }
    }

    #[test]
    fn near_lines_never_panic(
        kind in prop::sample::select(vec!["RS ", "VS ", "INSTANCE \"", "GROUP \""]),
        rest in "[\\[\\]0-9a-f.:\" A-Z_]{0,60}",
    ) {
        let _ = parse(&format!("{kind}{rest}"));
    }

    #[test]
    fn arbitrary_bytes_cut_into_lines_never_panic(
        chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..20)
    ) {
        let mut lines = Lines::default();
        for c in &chunks {
            for line in lines.push(c) {
                prop_assert!(!line.contains('\n'));
                let _ = parse(&line);
            }
        }
    }
}
