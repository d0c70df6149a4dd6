//! A failing step rolled back, the page while applying, read-only, and a scheduler the kernel
//! lacks refused on apply.

use super::*;

// ---------------------------------------------------------------- a failing step

#[test]
fn a_plan_whose_third_step_fails_leaves_host_and_table_as_they_were_and_says_why() {
    let mut rig = Rig::with_host(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    rig.key('W');
    rig.key('1');
    answer(&mut rig, &NAT.map(Some));
    rig.press(KeyCode::Enter);
    assert_eq!(
        plan_commands(&rig)[2],
        "ipvsadm -A -t 198.51.100.50:80 -s wlc"
    );
    // Meanwhile someone else (keepalived, a colleague) adds that service: step 3 is refused.
    let other =
        ipvs_tui::ipvs::args::parse_args(&["-A", "-t", "198.51.100.50:80", "-s", "rr"]).unwrap();
    futures::executor::block_on(rig.sim.apply(&other)).unwrap();
    let (host_before, table_before) = (rig.state(), shape(&rig.table()));
    rig.press(KeyCode::Enter);
    assert_eq!(
        rig.state(),
        host_before,
        "the sysctl and the VIP were undone"
    );
    assert_eq!(shape(&rig.table()), table_before);
    let error = plan_error(&rig).expect("the error on page 3");
    assert!(
        error.starts_with(
            "Not applied: step 3 of 4 (ipvsadm -A -t 198.51.100.50:80 -s wlc) failed: "
        ),
        "{error}"
    );
    assert!(error.ends_with("; the steps before it were undone. Nothing was changed: this host and the IPVS table are as they were."), "{error}");
    assert!(rig.app.director.undo.is_empty(), "nothing to undo");
    assert_eq!(
        rig.audit()
            .iter()
            .filter(|l| l.starts_with("failed"))
            .count(),
        1,
        "{:?}",
        rig.audit()
    );
    rig.press(KeyCode::Esc);
    assert_eq!(values(&rig), NAT, "Esc goes back to the answers");
}

/// Between Enter and the outcome page 3 says the plan is applying and holds its keys; the
/// wizard needs the host read first.
#[test]
fn while_applying_the_plan_page_says_so_and_waits() {
    let mut rig = Rig::new();
    rig.key('W');
    rig.key('2');
    answer(
        &mut rig,
        &[
            Some("198.51.100.60"),
            None,
            None,
            None,
            None,
            None,
            None,
            Some("198.51.100.21"),
        ],
    );
    rig.press(KeyCode::Enter);
    let effects = update(&mut rig.app, Action::Command(Command::WizardNext));
    assert!(
        matches!(effects.as_slice(), [Effect::Apply(_)]),
        "{effects:?}"
    );
    let Page::Plan { preview, .. } = &wizard(&rig).page else {
        panic!("not on the plan page")
    };
    assert!(preview.applying.is_some());
    assert!(screen(&mut rig.app, 80, 24).contains("applying 3 steps…"));
    assert!(update(&mut rig.app, Action::Command(Command::WizardBack)).is_empty());
    assert!(
        update(&mut rig.app, Action::Command(Command::WizardNext)).is_empty(),
        "no second apply"
    );
    assert!(
        matches!(wizard(&rig).page, Page::Plan { .. }),
        "Esc waits for the outcome"
    );
    rig.run(effects);
    assert!(rig.app.stack.modal().is_none() && rig.app.stack.doctor().is_some());
    assert_eq!(dev_addr(&rig, "eth0", "198.51.100.60"), Some((32, None)));

    let mut unread = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    update(&mut unread, Action::Command(Command::Wizard));
    assert!(unread.stack.modal().is_none());
    assert!(
        unread
            .flash
            .as_ref()
            .is_some_and(|f| f.error && f.text.starts_with("the host has not been read yet"))
    );
}

// ---------------------------------------------------------------- read-only

#[test]
fn read_only_has_no_wizard_and_applies_nothing() {
    let mut rig = Rig::new();
    rig.app.set_read_only();
    rig.policy.read_only = true;
    let before = rig.state();
    assert!(
        !rig.app
            .keymap
            .bindings(Layer::Global)
            .iter()
            .any(|b| b.command == Command::Wizard)
    );
    let help: Vec<String> = ui::help::lines(&rig.app, &Theme::builtin(), 120)
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(!help.iter().any(|l| l.contains("Setup wizard")), "{help:?}");
    rig.key('W');
    assert!(rig.app.stack.modal().is_none());
    let effects = update(&mut rig.app, Action::Command(Command::Wizard));
    assert!(effects.is_empty() && rig.app.stack.modal().is_none());
    assert_eq!(rig.flash(), change::READ_ONLY);
    for c in "1198.51.100.50\t\t\t\t\t\t\t10.0.0.11\n\n".chars() {
        rig.press(match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        });
    }
    assert_eq!(rig.state(), before);
    assert!(rig.audit().is_empty());

    // The keymap in force everywhere else offers it, in help and the palette.
    let mut rw = Rig::new();
    let help: Vec<String> = ui::help::lines(&rw.app, &Theme::builtin(), 120)
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(
        help.iter()
            .any(|l| l.contains("W") && l.contains("Setup wizard")),
        "{help:?}"
    );
    rw.key(':');
    rw.typed("wizard");
    assert_eq!(
        ipvs_tui::console::keys::palette::entries(&rw.app)
            .first()
            .map(|e| e.name.clone())
            .as_deref(),
        Some("wizard")
    );
    rw.press(KeyCode::Enter);
    assert_eq!(
        rw.app.layers(),
        [Layer::WizardRole],
        "the palette opens it as W does"
    );
}

/// A scheduler name of the right form that no module provides passes the checks (as with
/// `setup --plan`: modules are the kernel's to know) and is refused when applied: page 3 says
/// so in words, and the VIP bound before it is unbound again.
#[test]
fn a_scheduler_the_kernel_lacks_is_refused_on_apply_and_rolled_back() {
    let mut rig = Rig::new();
    let (host_before, table_before) = (rig.state(), shape(&rig.table()));
    rig.key('W');
    rig.key('1');
    let mut answers = NAT;
    answers[5] = "xyz";
    answer(&mut rig, &answers.map(Some));
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    assert_eq!(
        plan_error(&rig).as_deref(),
        Some(
            "Not applied: step 2 of 3 (ipvsadm -A -t 198.51.100.50:80 -s xyz) failed: scheduler `xyz` or persistence engine not found (is the ip_vs_xyz module available?); the steps before it were undone. Nothing was changed: this host and the IPVS table are as they were."
        )
    );
    assert_eq!(rig.state(), host_before);
    assert_eq!(shape(&rig.table()), table_before);
}
