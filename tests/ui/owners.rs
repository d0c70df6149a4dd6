//! The console over a table keepalived writes (the lab's 2.2.7 dump, parsed): the owner column,
//! keepalived's health and weight beside the kernel's, the VRRP line of the header, a read that
//! fails, the keepalived page, the guard before a change to an owned object, and the cadence.

use crate::rig::*;
use ipvs_tui::console::owners::EVERY;
use ipvs_tui::ipvs::IpvsOp;
use ipvs_tui::ipvs::model::{DestConfig, Forward, Protocol, ServiceConfig, ServiceKey};
use ipvs_tui::owners::keepalived::reader::{KeepalivedState, ReadError};
use ipvs_tui::owners::keepalived::{LbKind, VrrpState, check, process::Process, vrrp};
use std::path::PathBuf;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/keepalived/2.2.7/"
);
pub const CHECK: &str = "director-keepalived_check.data";
const RS1_DOWN: &str = "director-keepalived_check.rs1-down.data";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
}

/// keepalived's state as the reader returns it, from the lab's dump files.
pub fn state(check_file: &str) -> KeepalivedState {
    KeepalivedState {
        process: Process {
            pid: 4242,
            config: PathBuf::from("/etc/keepalived/keepalived.conf"),
            tmp_dir: PathBuf::from("/tmp"),
            vrrp: Some(true),
            checker: Some(true),
        },
        read_at: "2026-12-07T06:00:00Z".parse().unwrap(),
        vrrp: Some(vrrp::parse(&fixture("director-keepalived.data")).unwrap()),
        check: Some(check::parse(&fixture(check_file)).unwrap()),
        files: vec![
            PathBuf::from("/tmp/keepalived.data"),
            PathBuf::from("/tmp/keepalived_check.data"),
        ],
    }
}

/// A service nobody else manages.
fn mine() -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: "192.0.2.50".parse().unwrap(),
        port: 80,
    }
}

fn apply(rig: &Rig, op: IpvsOp) {
    futures::executor::block_on(rig.sim.apply(&op)).unwrap();
}

/// The simulator holding the table keepalived writes from its dump, and one service of nobody's.
pub fn rig() -> Rig {
    let mut rig = Rig::bare();
    apply(&rig, IpvsOp::Flush);
    let state = state(CHECK);
    for vs in &state.check.as_ref().unwrap().virtual_servers {
        let mut config = ServiceConfig::new(vs.key.service_key().unwrap());
        config.scheduler = vs.scheduler.clone().unwrap_or("wlc".into());
        let key = config.key;
        apply(&rig, IpvsOp::AddService(config));
        for rs in &vs.real_servers {
            let mut dest = DestConfig::new(rs.addr, rs.port);
            dest.weight = rs.expected_in_kernel().unwrap() as u32;
            dest.forward = match rs.forward {
                Some(LbKind::Nat) => Forward::Masq,
                _ => Forward::Route,
            };
            apply(&rig, IpvsOp::AddDest { service: key, dest });
        }
    }
    let mine = ServiceConfig::new(mine());
    apply(&rig, IpvsOp::AddService(mine));
    rig.poll();
    read(&mut rig, Ok(state));
    rig
}

pub fn read(rig: &mut Rig, result: Result<KeepalivedState, ReadError>) {
    let at = rig.app.now;
    let effects = update(
        &mut rig.app,
        Action::KeepalivedRead {
            result: Box::new(result),
            at,
        },
    );
    rig.run(effects);
}

fn selected_label(rig: &Rig) -> String {
    ipvs_tui::ipvs::label::service_label(&rig.app.current_service().unwrap().config.key)
}

pub fn select(rig: &mut Rig, label: &str) {
    rig.key('g');
    while selected_label(rig) != label {
        let before = rig.app.tables.services_nav.selected;
        rig.key('j');
        assert_ne!(before, rig.app.tables.services_nav.selected, "{label}");
    }
}

#[test]
fn owner_column_health_and_vrrp_header() {
    let mut rig = rig();
    select(&mut rig, "TCP 203.0.113.100:80");
    rig.press(KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut rig.app, 160, 48));
    let s = screen(&mut rig.app, 80, 24);
    assert!(s.contains("VRRP VI_LAB MASTER since 05:36:25 UTC"), "{s}");
    assert!(s.contains("keepalived read 0s ago"), "{s}");
}

#[test]
fn a_dead_real_server_reads_dead_without_colour() {
    let mut rig = rig();
    select(&mut rig, "TCP 203.0.113.100:80");
    rig.press(KeyCode::Enter);
    read(&mut rig, Ok(state(RS1_DOWN)));
    let s = screen(&mut rig.app, 160, 48);
    let row = s.lines().find(|l| l.contains("10.10.0.11:80")).unwrap();
    assert!(row.contains("DEAD 1/1 failed"), "{s}");
    // keepalived's weight beside the kernel's, each its own column.
    let monochrome = ipvs_tui::ui::theme::Theme::builtin().monochrome();
    let plain = text(&render(&mut rig.app, 160, 48, &monochrome));
    assert!(plain.contains("DEAD 1/1 failed"));
}

#[test]
fn list_json_and_the_console_name_the_same_owners() {
    let rig = rig();
    let snapshot = rig.app.director.snapshot.clone().unwrap();
    let mut json = serde_json::to_value(&snapshot).unwrap();
    ipvs_tui::owners::view::annotate_snapshot(&mut json, &rig.app.director.owners.view);
    for (service, value) in snapshot
        .services
        .iter()
        .zip(json["services"].as_array().unwrap())
    {
        let shown = rig.app.director.owners.owner(&service.config.key);
        assert_eq!(
            value["owner"].as_str(),
            shown.map(|o| o.name()),
            "{}",
            service.config.key
        );
    }
    assert_eq!(rig.app.director.owners.owner(&mine()), None);
}

#[test]
fn a_role_change_is_flashed_and_a_failed_read_keeps_the_last_state() {
    let mut rig = rig();
    let mut backup = state(CHECK);
    backup.vrrp.as_mut().unwrap().instances[0].state = VrrpState::Backup;
    read(&mut rig, Ok(backup));
    assert_eq!(rig.flash(), "VRRP VI_LAB: MASTER → BACKUP");
    let failed = ReadError::NotFresh {
        path: PathBuf::from("/tmp/keepalived_check.data"),
        waited_ms: 3000,
        reason: "still being written".into(),
    };
    rig.app.now += Duration::from_secs(12);
    read(&mut rig, Err(failed));
    let s = screen(&mut rig.app, 160, 48);
    assert!(s.contains("VI_LAB BACKUP"), "{s}");
    assert!(
        s.contains("keepalived STALE, read 12s ago; failed 0s ago: /tmp/keepalived_check.data was not written"),
        "{s}"
    );
    assert!(s.contains("keepalived"), "the owner column stays");
}

#[test]
fn the_guard_asks_first_then_the_second_enter_applies() {
    let mut rig = rig();
    select(&mut rig, "TCP 203.0.113.100:80");
    rig.press(KeyCode::Enter);
    let weight = |rig: &Rig| {
        rig.table().services[0]
            .dests
            .iter()
            .find(|d| d.config.addr.to_string() == "10.10.0.11")
            .unwrap()
            .config
            .weight
    };
    assert_eq!(weight(&rig), 3);
    rig.key('+');
    assert_eq!(weight(&rig), 3, "nothing applied yet");
    insta::assert_snapshot!(screen(&mut rig.app, 80, 24));
    rig.press(KeyCode::Enter);
    assert_eq!(weight(&rig), 4);
    assert_eq!(
        rig.audit(),
        ["ok ipvsadm -e -t 203.0.113.100:80 -r 10.10.0.11:80 -m -w 4"]
    );
    // The drift shows on the keepalived page.
    rig.key('K');
    insta::assert_snapshot!(screen(&mut rig.app, 160, 48));
    rig.key('K');
    // A form warns in its own error line; Esc forgets, so the next try asks again.
    rig.key('w');
    rig.clear_field();
    rig.typed("5");
    rig.press(KeyCode::Enter);
    assert_eq!(weight(&rig), 4);
    assert!(rig.app.stack.modal().is_some());
    rig.press(KeyCode::Enter);
    assert_eq!(weight(&rig), 5);
    // Nobody's service: no question.
    rig.press(KeyCode::Esc);
    select(&mut rig, "TCP 192.0.2.50:80");
    rig.key('d');
    rig.press(KeyCode::Enter);
    assert!(
        rig.table()
            .services
            .iter()
            .all(|s| s.config.key.to_string() != "TCP 192.0.2.50:80")
    );
    assert_eq!(rig.audit().len(), 3, "{:?}", rig.audit());
}

#[test]
fn keepalived_is_asked_every_10_s_one_request_at_a_time_unless_off() {
    let t0 = Instant::now();
    let mut app = App::new(Source::Kernel, "lb1", Keymap::builtin(), t0);
    assert!(
        update(&mut app, Action::Tick(t0)).is_empty(),
        "off by default"
    );
    app.director.owners.enabled = true;
    assert_eq!(update(&mut app, Action::Tick(t0)), [Effect::ReadKeepalived]);
    let later = t0 + EVERY * 2;
    assert!(
        update(&mut app, Action::Tick(later)).is_empty(),
        "in flight"
    );
    let done = Action::KeepalivedRead {
        result: Box::new(Ok(state(CHECK))),
        at: later,
    };
    update(&mut app, done);
    assert!(update(&mut app, Action::Tick(t0 + EVERY / 2)).is_empty());
    assert_eq!(
        update(&mut app, Action::Tick(t0 + EVERY)),
        [Effect::ReadKeepalived]
    );
    // The page's refresh key asks at once, but not while a request is in flight.
    let press =
        |app: &mut App, c| crate::keys::press_with(app, KeyCode::Char(c), KeyModifiers::NONE);
    press(&mut app, 'K');
    assert!(press(&mut app, 'r').is_empty(), "in flight");
    let done = Action::KeepalivedRead {
        result: Box::new(Ok(state(CHECK))),
        at: later + EVERY,
    };
    update(&mut app, done);
    assert_eq!(press(&mut app, 'r'), [Effect::ReadKeepalived]);
    app.director.owners.enabled = false;
    app.director.owners.asking = None;
    assert!(press(&mut app, 'r').is_empty());
    assert!(update(&mut app, Action::Tick(later + EVERY * 5)).is_empty());
}

#[test]
fn a_drain_of_an_owned_real_server_asks_in_its_prompt_first() {
    let mut rig = rig();
    select(&mut rig, "TCP 203.0.113.100:80");
    rig.press(KeyCode::Enter);
    rig.key('D');
    rig.press(KeyCode::Enter);
    assert!(rig.audit().is_empty(), "asked first");
    assert!(rig.app.director.drains.is_empty());
    rig.press(KeyCode::Enter);
    // Weight 0, then (no connections left) removed: the drain ran its course.
    assert_eq!(
        rig.audit(),
        [
            "ok ipvsadm -e -t 203.0.113.100:80 -r 10.10.0.11:80 -m -w 0",
            "ok ipvsadm -d -t 203.0.113.100:80 -r 10.10.0.11:80"
        ]
    );
}
