//! Arbitrary keys never panic nor produce a bad change.

use super::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
pub enum Key {
    Edit(InputRequest),
    Next,
    Prev,
    Submit,
}

fn request() -> impl Strategy<Value = InputRequest> {
    use InputRequest::*;
    let typed = prop_oneof![
        8 => proptest::sample::select("0123456789.:[]abcdefx -/,_".chars().collect::<Vec<_>>()),
        1 => any::<char>(),
    ];
    prop_oneof![
        10 => typed.prop_map(InsertChar),
        2 => Just(GoToPrevChar),
        2 => Just(GoToNextChar),
        2 => Just(DeletePrevChar),
        1 => Just(DeleteNextChar),
        1 => Just(DeleteLine),
        1 => Just(GoToStart),
        1 => Just(GoToEnd),
        1 => Just(GoToPrevWord),
        1 => Just(GoToNextWord),
        1 => Just(DeletePrevWord),
        1 => Just(DeleteNextWord),
        1 => Just(DeleteTillEnd),
        1 => Just(DeleteFromStart),
        1 => Just(Yank),
        1 => (0usize..40).prop_map(SetCursor),
    ]
}

pub fn keys() -> impl Strategy<Value = Vec<Key>> {
    let key = prop_oneof![12 => request().prop_map(Key::Edit), 3 => Just(Key::Next), 1 => Just(Key::Prev), 1 => Just(Key::Submit)];
    proptest::collection::vec(key, 0..80)
}

pub fn forms() -> Vec<Form> {
    let fwm = ServiceConfig::new(ServiceKey::Fwmark {
        mark: 7,
        family: model::Family::Inet6,
    });
    vec![
        Form::add_service(),
        Form::edit_service(&web()),
        Form::edit_service(&any_port()),
        Form::add_dest(&web()),
        Form::add_dest(&web6()),
        Form::add_dest(&fwm),
        Form::edit_dest(&web(), &masq("203.0.113.2", 80, 1)),
        Form::weight(&web(), &masq("203.0.113.2", 80, 1)),
        Form::timeouts(&Timeouts::default()),
        Form::daemon(&[]),
        Form::daemon(&[daemon(SyncState::Master), daemon(SyncState::Backup)]),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    #[test]
    fn any_keys_into_any_form_never_panic_and_never_make_a_bad_change(which in 0usize..11, keys in keys(), width in 0u16..200, height in 0u16..60) {
        let mut form = forms().swap_remove(which);
        let table = table();
        for key in keys {
            match key {
                arbitrary::Key::Edit(req) => form.edit(req),
                arbitrary::Key::Next => form.next_field(),
                arbitrary::Key::Prev => form.prev_field(),
                arbitrary::Key::Submit => {
                    if let Some(ops) = form.submit(Some(&table)) {
                        for op in &ops {
                            proptest::prop_assert_eq!(parse::validate(op), Ok(()), "{:?}", op);
                        }
                    }
                }
            }
            let _ = form.preview();
            proptest::prop_assert!(form.focused().is_some_and(|id| form.fields().iter().any(|f| f.id == id && f.focused)), "the focus is on a shown field");
        }
        for op in form.submit(None).unwrap_or_default() {
            proptest::prop_assert_eq!(parse::validate(&op), Ok(()), "{:?}", op);
        }
        // Drawn at any size, with whatever errors it has, it does not panic either.
        render_with(width, height, &Theme::builtin(), |f, theme| ipvs_tui::ui::form::draw(f, f.area(), &form, theme));
        let confirm = Confirm::new(form.title(), form.submit(None).unwrap_or_default(), Some("flush"));
        render_with(width, height, &Theme::builtin(), |f, theme| ipvs_tui::ui::form::draw_confirm(f, f.area(), &confirm, theme));
    }
}
