//! What asks first (delete, flush), what cannot be undone (zero), and read-only.

use super::*;

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
    let change = change::Change {
        id: 99,
        origin: change::Origin::Key,
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
