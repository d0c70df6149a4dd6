//! The console following keepalived's notify FIFOs (the follow task's reports fed to `update`):
//! a good dump starts it; each event shows at once (a dead real server, a VRRP role flashed);
//! dumps drop to every 60 s; the K page names the live source; a closed FIFO falls back to
//! dumps every 10 s and is followed again after the next dump; a script's FIFO is left alone.

use crate::owners::{CHECK, read, rig, select, state};
use crate::rig::*;
use ipvs_tui::console::follow::SLOW;
use ipvs_tui::console::owners::EVERY;
use ipvs_tui::owners::keepalived::follow::{FollowReport, Followed, NotFollowed, parse_lines};
use ipvs_tui::owners::keepalived::process::FindError;
use ipvs_tui::owners::keepalived::reader::ReadError;
use std::path::PathBuf;

const LVS: &str = "/run/ka_lvs.fifo";
const VRRP: &str = "/run/ka_vrrp.fifo";

/// A dump of the lab's keepalived, as the reader returns it; its effects.
fn dump(rig: &mut Rig) -> Vec<Effect> {
    let at = rig.app.now;
    let result = Box::new(Ok(state(CHECK)));
    update(&mut rig.app, Action::KeepalivedRead { result, at })
}

fn report(rig: &mut Rig, session: u64, what: Followed) -> Vec<Effect> {
    let at = rig.app.now;
    update(
        &mut rig.app,
        Action::KeepalivedFollow(Box::new(FollowReport { session, at, what })),
    )
}

fn lines(rig: &mut Rig, session: u64, text: &[&str]) {
    let lines: Vec<String> = text.iter().map(|l| l.to_string()).collect();
    let parsed = parse_lines(&lines, 0);
    let when = "2026-12-07T06:00:30Z".parse().unwrap();
    assert!(report(rig, session, Followed::Lines { parsed, when }).is_empty());
}

fn started() -> Followed {
    Followed::Started {
        fifos: vec![PathBuf::from(LVS), PathBuf::from(VRRP)],
        vrrp: true,
        checker: true,
        backlog: 3,
    }
}

fn follow_effect(effects: &[Effect]) -> Option<u64> {
    effects.iter().find_map(|e| match e {
        Effect::FollowKeepalived { session, process } => {
            assert_eq!(process.pid, 4242);
            Some(*session)
        }
        _ => None,
    })
}

/// The rig with keepalived read once and its FIFOs followed as session 1.
fn following() -> Rig {
    let mut rig = rig();
    rig.app.director.owners.enabled = true;
    assert_eq!(follow_effect(&dump(&mut rig)), Some(1));
    assert!(follow_effect(&dump(&mut rig)).is_none(), "starting already");
    // Opened: a dump at once covers what happened before the FIFOs were read.
    assert_eq!(report(&mut rig, 1, started()), [Effect::ReadKeepalived]);
    dump(&mut rig);
    rig
}

#[test]
fn events_show_at_once_and_dumps_slow_down() {
    let mut rig = following();
    let t0 = rig.app.now;
    assert!(update(&mut rig.app, Action::Tick(t0 + EVERY)).is_empty());
    assert_eq!(
        update(&mut rig.app, Action::Tick(t0 + SLOW)),
        [Effect::ReadKeepalived]
    );
    dump(&mut rig);
    select(&mut rig, "TCP 203.0.113.100:80");
    rig.press(KeyCode::Enter);
    lines(
        &mut rig,
        1,
        &[
            "RS [10.10.0.11]:tcp:80 [203.0.113.100]:tcp:80 DOWN",
            "INSTANCE \"VI_LAB\" BACKUP 150",
            "what is this",
        ],
    );
    let s = screen(&mut rig.app, 160, 48);
    let row = s.lines().find(|l| l.contains("10.10.0.11:80")).unwrap();
    assert!(row.contains("DEAD 1/1 failed"), "{s}");
    assert_eq!(rig.flash(), "VRRP VI_LAB: MASTER → BACKUP");
    assert!(
        s.contains("VRRP VI_LAB BACKUP since 06:00:30 UTC · keepalived read 0s ago, its notify FIFOs followed"),
        "{s}"
    );
    rig.key('K');
    let s = screen(&mut rig.app, 160, 48);
    assert!(
        s.contains(
            "following /run/ka_lvs.fifo, /run/ka_vrrp.fifo for 1m00s: 2 events, 1 lines not understood; dump every 60 s"
        ),
        "{s}"
    );
    assert!(
        s.contains("-> 10.10.0.11:80          DEAD  1/1 checkers failed (TCP_CHECK)"),
        "{s}"
    );
    // Up again: alive, no failed checker.
    lines(
        &mut rig,
        1,
        &["RS [10.10.0.11]:tcp:80 [203.0.113.100]:tcp:80 UP"],
    );
    let s = screen(&mut rig.app, 160, 48);
    assert!(
        !s.contains("DEAD") && s.contains("-> 10.10.0.11:80          alive  0/1 checkers failed"),
        "{s}"
    );
}

#[test]
fn a_closed_fifo_falls_back_to_dumps_and_is_followed_again() {
    let mut rig = following();
    rig.key('K');
    let closed = Followed::Closed {
        path: PathBuf::from(LVS),
    };
    assert_eq!(report(&mut rig, 1, closed), [Effect::ReadKeepalived]);
    let s = screen(&mut rig.app, 160, 48);
    assert!(
        s.contains(
            "dump every 10 s (/run/ka_lvs.fifo closed 0s ago: followed again after the next dump)"
        ),
        "{s}"
    );
    // keepalived is restarting: not there for that dump; the next, 10 s later, finds it.
    read(&mut rig, Err(ReadError::Find(FindError::NotRunning)));
    let t0 = rig.app.now;
    assert_eq!(
        update(&mut rig.app, Action::Tick(t0 + EVERY)),
        [Effect::ReadKeepalived]
    );
    assert_eq!(follow_effect(&dump(&mut rig)), Some(2));
    // The old session's last words change nothing.
    lines(
        &mut rig,
        1,
        &["RS [10.10.0.11]:tcp:80 [203.0.113.100]:tcp:80 DOWN"],
    );
    assert_eq!(rig.app.director.owners.following.events, 0);
    report(&mut rig, 2, started());
    assert!(screen(&mut rig.app, 160, 48).contains("following /run/ka_lvs.fifo"));
}

#[test]
fn a_fifo_read_by_keepalived_s_script_is_left_alone() {
    let mut rig = rig();
    rig.app.director.owners.enabled = true;
    assert_eq!(follow_effect(&dump(&mut rig)), Some(1));
    let why = NotFollowed::Script {
        script: "lvs_notify_fifo_script".into(),
        config: PathBuf::from("/etc/keepalived/keepalived.conf"),
    };
    assert!(report(&mut rig, 1, Followed::NotFollowed(why)).is_empty());
    assert!(follow_effect(&dump(&mut rig)).is_none(), "same keepalived");
    rig.key('K');
    let s = screen(&mut rig.app, 200, 48);
    assert!(
        s.contains("dump every 10 s (lvs_notify_fifo_script in /etc/keepalived/keepalived.conf reads keepalived's FIFO: not followed, so as not to take its lines)"),
        "{s}"
    );
    // A FIFO not there yet is tried again at the next dump.
    let missing = NotFollowed::Open {
        path: PathBuf::from(LVS),
        reason: "No such file or directory (os error 2)".into(),
    };
    let mut rig2 = self::rig();
    rig2.app.director.owners.enabled = true;
    dump(&mut rig2);
    report(&mut rig2, 1, Followed::NotFollowed(missing));
    assert_eq!(follow_effect(&dump(&mut rig2)), Some(2));
    read(&mut rig2, Ok(state(CHECK)));
}

/// Only the checker's FIFO: its events show at once, but VRRP still needs dumps every 10 s.
#[test]
fn a_fifo_for_one_process_only_keeps_dumps_every_10_s() {
    let mut rig = rig();
    rig.app.director.owners.enabled = true;
    assert_eq!(follow_effect(&dump(&mut rig)), Some(1));
    let lvs_only = Followed::Started {
        fifos: vec![PathBuf::from(LVS)],
        vrrp: false,
        checker: true,
        backlog: 0,
    };
    assert_eq!(report(&mut rig, 1, lvs_only), [Effect::ReadKeepalived]);
    dump(&mut rig);
    let t0 = rig.app.now;
    assert_eq!(
        update(&mut rig.app, Action::Tick(t0 + EVERY)),
        [Effect::ReadKeepalived]
    );
    rig.key('K');
    let s = screen(&mut rig.app, 160, 48);
    assert!(
        s.contains("following /run/ka_lvs.fifo for 10s: 0 events, 0 lines not understood; dump every 10 s (no FIFO carries VRRP events)"),
        "{s}"
    );
}
