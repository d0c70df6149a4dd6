//! Drains: quiesce, wait for zero connections, remove; cancelled by undo or by hand; deadlines.

use super::*;

fn dest_present(rig: &Rig, addr: &str) -> bool {
    rig.table()
        .services
        .iter()
        .flat_map(|s| &s.dests)
        .any(|d| d.config.addr.to_string() == addr)
}

/// The demo's table after 20 s of traffic, 10.0.0.11 of TCP 192.0.2.10:80 selected.
fn on_a_busy_real_server() -> Rig {
    let mut rig = Rig::bare();
    rig.sim.advance(std::time::Duration::from_secs(20));
    rig.poll();
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.11"));
    rig
}

#[test]
fn a_drain_quiesces_waits_for_zero_connections_then_removes() {
    let mut rig = on_a_busy_real_server();
    rig.key('D');
    assert!(
        matches!(rig.app.stack.modal(), Some(Modal::Drain(_))),
        "D asks for a deadline"
    );
    rig.press(KeyCode::Enter);
    assert_eq!(rig.weight_of("10.0.0.11"), 0, "quiesced at once");
    assert!(
        rig.app
            .drain_of(
                &rig.app.current_service().unwrap().config.key,
                ipvs_tui::ipvs::model::DestKey::new("10.0.0.11".parse().unwrap(), 80)
            )
            .is_some()
    );
    let conns = |rig: &Rig| {
        let t = rig.table();
        let d = t
            .services
            .iter()
            .flat_map(|s| &s.dests)
            .find(|d| d.config.addr.to_string() == "10.0.0.11")
            .cloned();
        d.map(|d| d.active_conns + d.inact_conns + d.persist_conns)
    };
    assert!(conns(&rig).unwrap() > 0, "connections were there to drain");
    // Existing connections end; weight 0 takes no new ones. Poll every 10 s until it is gone.
    for _ in 0..60 {
        if !dest_present(&rig, "10.0.0.11") {
            break;
        }
        rig.sim.advance(std::time::Duration::from_secs(10));
        rig.app.now += std::time::Duration::from_secs(10);
        rig.poll();
    }
    assert!(!dest_present(&rig, "10.0.0.11"), "removed once drained");
    assert!(
        rig.flash()
            .starts_with("drained 10.0.0.11:80: removed at 0 connections after"),
        "{}",
        rig.flash()
    );
    assert!(rig.app.director.drains.is_empty());
    let journal = rig.journal();
    assert_eq!(
        journal.first().unwrap(),
        "ok ipvsadm -e -t 192.0.2.10:80 -r 10.0.0.11:80 -m -w 0"
    );
    assert_eq!(
        journal.last().unwrap(),
        "ok ipvsadm -d -t 192.0.2.10:80 -r 10.0.0.11:80"
    );
    // The drain is one change for undo: u adds the real server back as it was before.
    rig.key('u');
    assert!(dest_present(&rig, "10.0.0.11"));
    assert_eq!(rig.weight_of("10.0.0.11"), 2);
    assert_eq!(rig.flash(), "undone: drain of 10.0.0.11:80 (removed)");
    rig.key('u');
    assert_eq!(
        rig.flash(),
        "nothing to undo: no change was made in this console"
    );
}

#[test]
fn undo_during_a_drain_cancels_it() {
    let mut rig = on_a_busy_real_server();
    rig.key('+');
    assert_eq!(rig.weight_of("10.0.0.11"), 3);
    rig.key('D');
    rig.press(KeyCode::Enter);
    assert_eq!(rig.weight_of("10.0.0.11"), 0);
    rig.key('u');
    assert_eq!(
        rig.weight_of("10.0.0.11"),
        3,
        "the weight from before the drain"
    );
    assert!(rig.app.director.drains.is_empty(), "the drain ended");
    rig.sim.advance(std::time::Duration::from_secs(600));
    rig.poll();
    assert!(
        dest_present(&rig, "10.0.0.11"),
        "a cancelled drain removes nothing"
    );
    rig.key('u');
    assert_eq!(
        rig.weight_of("10.0.0.11"),
        2,
        "then the weight step before it"
    );
}

#[test]
fn a_drain_can_be_cancelled_and_a_deadline_forces_the_removal() {
    let mut rig = on_a_busy_real_server();
    rig.key('D');
    rig.press(KeyCode::Enter);
    assert_eq!(rig.weight_of("10.0.0.11"), 0);
    rig.key('D');
    assert_eq!(rig.weight_of("10.0.0.11"), 2, "the weight is back");
    assert!(
        rig.flash().contains("cancelled: weight back to 2"),
        "{}",
        rig.flash()
    );
    assert!(rig.app.director.drains.is_empty());

    rig.select("TCP 192.0.2.10:80", Some("10.0.0.12"));
    rig.key('D');
    rig.typed("soon");
    rig.press(KeyCode::Enter);
    assert!(
        matches!(rig.app.stack.modal(), Some(Modal::Drain(p)) if p.field_error(()).is_some_and(|e| e.starts_with("deadline \"soon\": must be")))
    );
    for _ in 0..4 {
        rig.press(KeyCode::Backspace);
    }
    rig.typed("5s");
    rig.press(KeyCode::Enter);
    assert!(rig.app.stack.modal().is_none());
    assert_eq!(rig.weight_of("10.0.0.12"), 0);
    rig.app.now += std::time::Duration::from_secs(6);
    rig.sim.advance(std::time::Duration::from_secs(1));
    let now = rig.app.now;
    let snapshot = Box::new(rig.table());
    let effects = update(&mut rig.app, Action::Snapshot { snapshot, at: now });
    rig.run(effects);
    assert!(!dest_present(&rig, "10.0.0.12"), "removed at the deadline");
    assert!(
        rig.flash().contains("removed at the deadline"),
        "{}",
        rig.flash()
    );
}

#[test]
fn services_drained_from_are_read_afresh_every_poll_wherever_the_selection_is() {
    use ipvs_tui::ipvs::model::Watched;
    let mut rig = on_a_busy_real_server();
    let drained = rig.app.current_service().unwrap().config.key;
    assert_eq!(
        rig.app.watched(rig.app.director.id),
        Watched::focus(Some(drained))
    );
    rig.key('D');
    rig.press(KeyCode::Enter);
    rig.select("TCP 192.0.2.30:443", None);
    let shown = rig.app.current_service().unwrap().config.key;
    assert_eq!(
        rig.app.watched(rig.app.director.id),
        Watched {
            focus: Some(shown),
            draining: vec![drained],
        }
    );
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.11"));
    rig.key('D');
    assert!(rig.app.director.drains.is_empty(), "cancelled");
    assert_eq!(
        rig.app.watched(rig.app.director.id),
        Watched::focus(Some(drained))
    );
}
