//! Changes from the keyboard, end to end without a terminal: keys through the keymap into
//! `update`, the `Effect::Apply` it returns carried out by the console's executor on the
//! simulator (stale check, all or nothing, audit), the outcome fed back, and the table polled
//! again (the rig of rig.rs).

use crate::rig::Rig;
use crossterm::event::KeyCode;
use ipvs_tui::console::app::Modal;
use ipvs_tui::console::changes;
use ipvs_tui::console::keys::keymap::Layer;
use ipvs_tui::console::{Action, Command, Focus, update};
use ipvs_tui::ipvs::{IpvsOp, rules};
use ipvs_tui::operation::audit::read_last;
use ipvs_tui::runtime::executor::execute;

impl Rig {
    /// What the audit log holds: each command, whether it was applied, and what it undid.
    fn journal(&self) -> Vec<String> {
        let entries = read_last(self.log.path(), 1000)
            .map(|t| t.entries)
            .unwrap_or_default();
        entries
            .iter()
            .map(|e| {
                let undo = e
                    .undo_of
                    .as_ref()
                    .map(|u| format!(" (undo of {u})"))
                    .unwrap_or_default();
                format!(
                    "{} {}{undo}",
                    if e.is_ok() { "ok" } else { "failed" },
                    e.command
                )
            })
            .collect()
    }

    fn rules(&self) -> String {
        rules::save(&self.table())
    }

    fn form_error(&self) -> String {
        match self.app.stack.modal() {
            Some(Modal::Form { form, .. }) => format!("{form:?}"),
            _ => String::new(),
        }
    }

    /// Selects the service shown as `label` and the real server at `addr` (if given), focused.
    fn select(&mut self, label: &str, addr: Option<&str>) {
        self.press(KeyCode::Esc);
        self.key('g');
        while ipvs_tui::console::view::service_label(
            &self.app.current_service().unwrap().config.key,
        ) != label
        {
            let before = self.app.tables.services_nav.selected;
            self.key('j');
            assert_ne!(
                before, self.app.tables.services_nav.selected,
                "{label} not in the table"
            );
        }
        if let Some(addr) = addr {
            self.press(KeyCode::Enter);
            assert_eq!(self.app.tables.focus, Focus::Servers);
            self.key('g');
            while self.app.current_dest().unwrap().config.addr.to_string() != addr {
                let before = self.app.tables.servers_nav.selected;
                self.key('j');
                assert_ne!(
                    before, self.app.tables.servers_nav.selected,
                    "{addr} not under {label}"
                );
            }
        }
    }

    fn weight_of(&self, addr: &str) -> u32 {
        let t = self.table();
        t.services
            .iter()
            .flat_map(|s| &s.dests)
            .find(|d| d.config.addr.to_string() == addr)
            .unwrap()
            .config
            .weight
    }
}

#[test]
fn a_service_and_a_real_server_added_by_keys_are_in_the_table_and_undo_removes_them() {
    let mut rig = Rig::bare();
    let before = rig.rules();
    rig.key('a');
    assert!(
        matches!(rig.app.stack.modal(), Some(Modal::Form { .. })),
        "a opens the add-service form"
    );
    rig.press(KeyCode::Tab);
    rig.typed("198.51.100.7");
    rig.press(KeyCode::Tab);
    rig.typed("8080");
    rig.press(KeyCode::Enter);
    assert!(
        rig.app.stack.modal().is_none(),
        "the form closes once applied: {}",
        rig.form_error()
    );
    assert!(
        rig.rules().contains("-A -t 198.51.100.7:8080 -s wlc\n"),
        "{}",
        rig.rules()
    );
    assert_eq!(
        rig.flash(),
        "applied: ipvsadm -A -t 198.51.100.7:8080 -s wlc; u undoes it"
    );

    rig.select("TCP 198.51.100.7:8080", None);
    rig.press(KeyCode::Enter);
    rig.key('a');
    rig.typed("10.9.0.1");
    rig.press(KeyCode::Enter);
    assert!(rig.app.stack.modal().is_none(), "{}", rig.form_error());
    assert!(
        rig.rules()
            .contains("-a -t 198.51.100.7:8080 -r 10.9.0.1:8080 -g -w 1\n"),
        "{}",
        rig.rules()
    );

    rig.key('u');
    assert!(
        !rig.rules().contains("10.9.0.1"),
        "undo removed the real server"
    );
    assert_eq!(
        rig.flash(),
        "undone: ipvsadm -a -t 198.51.100.7:8080 -r 10.9.0.1:8080 -g -w 1"
    );
    rig.key('u');
    assert_eq!(rig.rules(), before, "undo removed the service too");
    rig.key('u');
    assert_eq!(
        rig.flash(),
        "nothing to undo: no change was made in this console"
    );
    assert_eq!(
        rig.journal(),
        [
            "ok ipvsadm -A -t 198.51.100.7:8080 -s wlc",
            "ok ipvsadm -a -t 198.51.100.7:8080 -r 10.9.0.1:8080 -g -w 1",
            "ok ipvsadm -d -t 198.51.100.7:8080 -r 10.9.0.1:8080 (undo of ipvsadm -a -t 198.51.100.7:8080 -r 10.9.0.1:8080 -g -w 1)",
            "ok ipvsadm -D -t 198.51.100.7:8080 (undo of ipvsadm -A -t 198.51.100.7:8080 -s wlc)",
        ]
    );
}

#[test]
fn bad_input_keeps_the_form_and_applies_nothing() {
    let mut rig = Rig::bare();
    let before = rig.rules();
    rig.key('a');
    rig.press(KeyCode::Tab);
    rig.typed("198.51.100.300");
    rig.press(KeyCode::Tab);
    rig.typed("80");
    rig.press(KeyCode::Enter);
    assert!(
        matches!(rig.app.stack.modal(), Some(Modal::Form { .. })),
        "the form stays open"
    );
    assert!(
        rig.form_error().contains("198.51.100.300"),
        "the typed text is kept: {}",
        rig.form_error()
    );
    assert_eq!(rig.rules(), before);
    assert!(rig.journal().is_empty(), "nothing reached the backend");
    rig.press(KeyCode::Esc);
    assert!(rig.app.stack.modal().is_none());
    assert_eq!(rig.flash(), "cancelled: nothing was changed");
}

#[test]
fn weight_keys_step_quiesce_and_refuse_a_stale_weight() {
    let mut rig = Rig::bare();
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.11"));
    assert_eq!(rig.weight_of("10.0.0.11"), 2);
    rig.key('+');
    assert_eq!(rig.weight_of("10.0.0.11"), 3);
    rig.key('-');
    rig.key('-');
    assert_eq!(rig.weight_of("10.0.0.11"), 1);
    rig.key('0');
    assert_eq!(rig.weight_of("10.0.0.11"), 0);
    rig.key('0');
    assert_eq!(rig.flash(), "weight stays 0");

    // Someone else changes the weight between our poll and our key: ours is refused.
    let op = ipvs_tui::ipvs::args::parse_args(&[
        "-e",
        "-t",
        "192.0.2.10:80",
        "-r",
        "10.0.0.11:80",
        "-m",
        "-w",
        "7",
    ])
    .unwrap();
    futures::executor::block_on(rig.sim.apply(&op)).unwrap();
    rig.key('+');
    assert_eq!(
        rig.weight_of("10.0.0.11"),
        7,
        "the other operator's weight stands"
    );
    assert!(rig.flash().starts_with("not applied: the real server 10.0.0.11:80 of -t 192.0.2.10:80 changed since it was shown here"), "{}", rig.flash());
    // The view re-read the table: the next step starts from 7.
    rig.key('+');
    assert_eq!(rig.weight_of("10.0.0.11"), 8);
}

#[test]
fn a_stale_edit_form_shows_the_change_and_a_second_enter_applies() {
    let mut rig = Rig::bare();
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.12"));
    rig.key('w');
    assert!(matches!(rig.app.stack.modal(), Some(Modal::Form { .. })));
    let op = ipvs_tui::ipvs::args::parse_args(&[
        "-e",
        "-t",
        "192.0.2.10:80",
        "-r",
        "10.0.0.12:80",
        "-m",
        "-w",
        "9",
    ])
    .unwrap();
    futures::executor::block_on(rig.sim.apply(&op)).unwrap();
    rig.press(KeyCode::Backspace);
    rig.typed("4");
    rig.press(KeyCode::Enter);
    assert_eq!(
        rig.weight_of("10.0.0.12"),
        9,
        "not applied over the other change"
    );
    let shown = rig.form_error();
    assert!(
        shown.contains("it is now `-t 192.0.2.10:80 -r 10.0.0.12:80 -m -w 9`")
            && shown.contains("Enter applies your values over it"),
        "{shown}"
    );
    rig.press(KeyCode::Enter);
    assert_eq!(rig.weight_of("10.0.0.12"), 4, "applied once seen");
    assert!(rig.app.stack.modal().is_none());
}

#[test]
fn delete_asks_and_esc_keeps_everything() {
    let mut rig = Rig::bare();
    let before = rig.rules();
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.12"));
    rig.key('d');
    let Some(Modal::Confirm(confirm)) = rig.app.stack.modal() else {
        panic!("d asks first")
    };
    assert_eq!(
        confirm.ops,
        [
            ipvs_tui::ipvs::args::parse_args(&["-d", "-t", "192.0.2.10:80", "-r", "10.0.0.12:80"])
                .unwrap()
                .into()
        ]
    );
    rig.press(KeyCode::Esc);
    assert_eq!(rig.rules(), before);
    rig.key('d');
    rig.press(KeyCode::Enter);
    assert!(!rig.rules().contains("10.0.0.12"), "{}", rig.rules());
    rig.key('u');
    assert_eq!(
        rig.rules(),
        before,
        "undo put the real server back as it was"
    );

    rig.select("TCP 192.0.2.10:80", None);
    rig.key('d');
    rig.press(KeyCode::Enter);
    assert!(!rig.rules().contains("192.0.2.10:80"));
    rig.key('u');
    assert_eq!(
        rig.rules(),
        before,
        "undo put the service back with its real servers"
    );
}

#[test]
fn flush_needs_the_word() {
    let mut rig = Rig::bare();
    let before = rig.rules();
    rig.key('X');
    rig.press(KeyCode::Enter);
    assert_eq!(rig.rules(), before, "Enter alone does nothing");
    assert!(matches!(rig.app.stack.modal(), Some(Modal::Confirm(_))));
    rig.typed("flus");
    rig.press(KeyCode::Enter);
    assert_eq!(rig.rules(), before);
    rig.typed("h");
    rig.press(KeyCode::Enter);
    assert_eq!(rig.table().services.len(), 0);
    assert!(rig.app.stack.modal().is_none());
    rig.key('u');
    assert_eq!(
        rig.rules(),
        before,
        "even a flush can be undone from this console"
    );
}

#[test]
fn zero_does_not_ask_and_cannot_be_undone() {
    let mut rig = Rig::bare();
    rig.sim.advance(std::time::Duration::from_secs(10));
    rig.poll();
    rig.select("TCP 192.0.2.10:80", None);
    assert!(
        rig.table()
            .services
            .iter()
            .find(|s| s.config.key.to_string() == "-t 192.0.2.10:80")
            .unwrap()
            .stats
            .conns
            > 0
    );
    rig.key('z');
    let svc = rig
        .table()
        .services
        .into_iter()
        .find(|s| s.config.key.to_string() == "-t 192.0.2.10:80")
        .unwrap();
    assert_eq!(svc.stats.conns, 0);
    assert_eq!(rig.flash(), "applied: ipvsadm -Z -t 192.0.2.10:80");
    rig.key('u');
    assert_eq!(
        rig.flash(),
        "nothing to undo: no change was made in this console"
    );
}

#[test]
fn read_only_offers_no_change_anywhere_and_refuses_one_anyway() {
    let mut rig = Rig::bare();
    rig.app.set_read_only();
    rig.policy.read_only = true;
    let before = rig.rules();
    for layer in [Layer::Global, Layer::List, Layer::Services, Layer::Servers] {
        assert!(
            rig.app
                .keymap
                .bindings(layer)
                .iter()
                .all(|b| !b.command.is_change()),
            "{layer:?} binds a change"
        );
    }
    for c in "adwez0+-DZXTSu".chars() {
        rig.key(c);
    }
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.11"));
    for c in "adwez0+-DZXTSu".chars() {
        rig.key(c);
    }
    assert!(rig.app.stack.modal().is_none());
    assert_eq!(rig.rules(), before);
    // A change that reaches update anyway (a user keymap, the palette) is refused, and so is
    // one that reaches the backend.
    let effects = update(&mut rig.app, Action::Command(Command::Flush));
    assert!(effects.is_empty() && rig.app.stack.modal().is_none());
    assert!(rig.flash().starts_with("read-only"), "{}", rig.flash());
    let change = changes::Change {
        id: 99,
        origin: changes::Origin::Key,
        ops: vec![IpvsOp::Flush.into()],
        expect: None,
        undo_of: None,
    };
    let outcome = futures::executor::block_on(execute(&*rig.director, change, &rig.policy));
    assert!(outcome.result.is_err());
    assert_eq!(rig.rules(), before);
    let help = ipvs_tui::ui::help::lines(&rig.app, &ipvs_tui::ui::theme::Theme::builtin(), 100);
    let help: String = help.iter().map(|l| l.to_string() + "\n").collect();
    assert!(
        !help.contains("Add a virtual service") && !help.contains("Flush"),
        "{help}"
    );
    assert!(help.contains("READ-ONLY"));
}

fn dest_present(rig: &Rig, addr: &str) -> bool {
    rig.table()
        .services
        .iter()
        .flat_map(|s| &s.dests)
        .any(|d| d.config.addr.to_string() == addr)
}

#[test]
fn a_drain_quiesces_waits_for_zero_connections_then_removes() {
    let mut rig = Rig::bare();
    rig.sim.advance(std::time::Duration::from_secs(20));
    rig.poll();
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.11"));
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
    let mut rig = Rig::bare();
    rig.sim.advance(std::time::Duration::from_secs(20));
    rig.poll();
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.11"));
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
    let mut rig = Rig::bare();
    rig.sim.advance(std::time::Duration::from_secs(20));
    rig.poll();
    rig.select("TCP 192.0.2.10:80", Some("10.0.0.11"));
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
