//! The setup wizard (`W`) from the keyboard, end to end without a terminal (see rig.rs): every
//! role chosen by digit or arrows, its questions answered, the plan shown as commands, applied
//! as one change on the simulator and an in-memory host, the doctor opened, and one `u` undoing
//! it all; bad answers named under their field with nothing applied; a failing step rolled back;
//! read-only; the three pages as screens; random keys.

use crate::rig::*;
use ipvs_tui::console::wizard::{Page, Wizard};
use ipvs_tui::setup::answers::Question;

fn wizard(rig: &Rig) -> &Wizard {
    match rig.app.stack.modal() {
        Some(Modal::Wizard(w)) => w,
        _ => panic!("the wizard is not open (flash: {})", rig.flash()),
    }
}

/// The commands page 3 lists.
fn plan_commands(rig: &Rig) -> Vec<String> {
    match &wizard(rig).page {
        Page::Plan { preview, .. } => preview.ops.iter().map(|o| o.to_command()).collect(),
        _ => panic!("not on the plan page"),
    }
}

fn plan_advice(rig: &Rig) -> Vec<String> {
    match &wizard(rig).page {
        Page::Plan { preview, .. } => preview.advice.clone(),
        _ => panic!("not on the plan page"),
    }
}

fn plan_error(rig: &Rig) -> Option<String> {
    match &wizard(rig).page {
        Page::Plan { preview, .. } => preview.error.clone(),
        _ => panic!("not on the plan page"),
    }
}

fn form(rig: &Rig) -> &ipvs_tui::console::wizard::form::WizardForm {
    match &wizard(rig).page {
        Page::Form(form) | Page::Plan { form, .. } => form,
        Page::Role(_) => panic!("still on the roles"),
    }
}

/// Every field's text, in order.
fn values(rig: &Rig) -> Vec<String> {
    let form = form(rig);
    form.fields()
        .iter()
        .map(|f| form.value(f.id).unwrap_or_default())
        .collect()
}

/// Answers the questions in order: `None` leaves a field as prefilled, `Some` replaces it.
fn answer(rig: &mut Rig, answers: &[Option<&str>]) {
    for (i, a) in answers.iter().enumerate() {
        if let Some(text) = a {
            rig.clear_field();
            rig.typed(text);
        }
        if i + 1 < answers.len() {
            rig.press(KeyCode::Tab);
        }
    }
}

/// The table as configured (no counters): services and their real servers.
fn shape(table: &Snapshot) -> Vec<String> {
    table
        .services
        .iter()
        .map(|s| {
            format!(
                "{:?} {:?}",
                s.config,
                s.dests.iter().map(|d| d.config).collect::<Vec<_>>()
            )
        })
        .collect()
}

/// How a role is chosen on page 1.
#[derive(Clone, Copy)]
enum Choose {
    Digit(char),
    Arrows(usize),
}

/// W, the role, the answers, Enter: page 3 lists `commands`; Enter applies them as one change,
/// the doctor opens and answers, and one `u` puts host and table back as they were.
fn set_up(rig: &mut Rig, choose: Choose, answers: &[Option<&str>], commands: &[&str]) {
    let (host_before, table_before) = (rig.state(), shape(&rig.table()));
    rig.key('W');
    assert_eq!(rig.app.layers(), [Layer::WizardRole]);
    match choose {
        Choose::Digit(c) => rig.key(c),
        Choose::Arrows(down) => {
            for _ in 0..down {
                rig.press(KeyCode::Down);
            }
            rig.press(KeyCode::Enter);
        }
    }
    assert_eq!(rig.app.layers(), [Layer::WizardForm]);
    answer(rig, answers);
    rig.press(KeyCode::Enter);
    let errors: Vec<Option<&str>> = form(rig).fields().iter().map(|f| f.error).collect();
    assert!(
        matches!(wizard(rig).page, Page::Plan { .. }),
        "still on the form: {errors:?} {:?}",
        form(rig).error()
    );
    assert_eq!(rig.app.layers(), [Layer::WizardPlan]);
    assert_eq!(plan_commands(rig), commands);
    assert_eq!(rig.state(), host_before, "showing the plan changes nothing");
    assert_eq!(shape(&rig.table()), table_before);
    rig.press(KeyCode::Enter);
    assert!(
        rig.app.stack.modal().is_none(),
        "the wizard closed: {}",
        rig.flash()
    );
    assert!(rig.app.stack.doctor().is_some(), "the doctor is open");
    rig.findings();
    let audited: Vec<String> = commands.iter().map(|c| format!("ok {c}")).collect();
    assert_eq!(rig.audit(), audited, "each step audited");
    if commands.is_empty() {
        assert_eq!(rig.app.director.undo.len(), 0);
        return;
    }
    assert_eq!(
        rig.app.director.undo.len(),
        1,
        "one undo step for the whole plan"
    );
    assert_ne!(rig.state(), host_before);
    rig.key('u');
    assert_eq!(rig.state(), host_before, "u undid the whole setup");
    assert_eq!(shape(&rig.table()), table_before);
    assert!(rig.app.director.undo.is_empty());
}

fn dev_addr(rig: &Rig, dev: &str, addr: &str) -> Option<(u8, Option<String>)> {
    bound(&rig.state(), dev, addr)
}
// ---------------------------------------------------------------- bad answers

const NAT: [&str; 8] = [
    "198.51.100.50",
    "eth0",
    "",
    "tcp",
    "80",
    "wlc",
    "0",
    "10.0.0.11",
];
// ---------------------------------------------------------------- random keys

mod random_keys {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = KeyCode> {
        prop_oneof![
            4 => prop::sample::select(vec!['1', '2', '3', '4', '5', '6', '0', '9', '.', ':', ',', ' ', 'a', 'j', 'k', 'e', 't', 'h', '[', ']', 'u', 'W', 'q', '?']).prop_map(KeyCode::Char),
            3 => prop::sample::select(vec!["10.0.0.11", "198.51.100.50", "eth0", "2001:db8::5", "70000"]).prop_map(|_| KeyCode::Null),
            1 => prop::sample::select(vec![KeyCode::Tab, KeyCode::BackTab, KeyCode::Up, KeyCode::Down, KeyCode::Backspace, KeyCode::Left, KeyCode::Home, KeyCode::PageDown]),
            2 => Just(KeyCode::Enter),
            1 => Just(KeyCode::Esc),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        /// Keys into the wizard (reopened with W whenever it closes) never panic, and nothing is
        /// applied unless Enter was pressed on the plan page.
        #[test]
        fn random_keys_apply_nothing_unless_the_plan_is_confirmed(keys in prop::collection::vec(key(), 1..60)) {
            let mut rig = Rig::new();
            let (host, table) = (rig.state(), shape(&rig.table()));
            let mut confirmed = false;
            for (n, code) in keys.into_iter().enumerate() {
                if !matches!(rig.app.stack.modal(), Some(Modal::Wizard(_))) {
                    rig.app.stack.overlays.clear();
                    let _ = rig.app.stack.close_page();
                    rig.key('W');
                }
                let on_plan = matches!(rig.app.stack.modal(), Some(Modal::Wizard(w)) if matches!(w.page, Page::Plan { .. }));
                match code {
                    KeyCode::Null => rig.typed(["10.0.0.11", "198.51.100.50", "eth0", "2001:db8::5", "70000"][n % 5]),
                    code => {
                        confirmed |= on_plan && code == KeyCode::Enter;
                        rig.press(code);
                    }
                }
                if !confirmed {
                    prop_assert_eq!(&rig.state(), &host);
                    prop_assert_eq!(&shape(&rig.table()), &table);
                    prop_assert!(rig.audit().is_empty());
                }
            }
            let mut app = rig.app;
            screen(&mut app, 80, 24);
        }
    }
}

mod answers;
mod failures;
mod roles;
mod screens;
