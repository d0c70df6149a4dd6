//! Services, real servers and weights changed by keys, refused when bad or stale, and undone.

use super::*;

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
