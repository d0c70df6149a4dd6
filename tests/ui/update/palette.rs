//! The command palette: opened on `:`, listing what the keymap offers now, completing and running.

use super::*;

fn palette_names(app: &App) -> Vec<String> {
    ipvs_tui::console::keys::palette::entries(app)
        .into_iter()
        .map(|e| e.name)
        .collect()
}

/// Opens the palette afresh and types `text` into it.
fn palette(app: &mut App, text: &str) {
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char(':'));
    typed(app, text);
}

#[test]
fn the_palette_opens_on_colon_takes_text_and_esc_closes_it_without_running_anything() {
    let mut app = demo_app();
    palette(&mut app, "qj");
    assert_eq!(
        app.stack.palette().unwrap().input.value(),
        "qj",
        "q does not quit, j does not move"
    );
    assert_eq!(app.tables.services_nav.selected, 0);
    assert_eq!(press(&mut app, KeyCode::Esc), vec![]);
    assert!(app.stack.palette().is_none());
    assert!(
        !app.frozen && app.tables.filter.value().is_empty() && app.tables.focus == Focus::Services
    );
}

#[test]
fn the_palette_lists_the_commands_available_now_from_the_keymap() {
    let mut app = demo_app();
    palette(&mut app, "");
    let all = ipvs_tui::console::keys::palette::entries(&app);
    let names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
    for name in [
        "quit",
        "help",
        "freeze",
        "sort_next",
        "enter",
        "up",
        "sort <column>",
        "filter <text>",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert!(
        !names.contains(&"demo"),
        "the demo is offered only when IPVS cannot be read"
    );
    assert!(
        !names.contains(&"back"),
        "Esc does nothing without a filter"
    );
    assert!(!names.iter().any(|n| n.starts_with("palette")), "{names:?}");
    assert_eq!(
        names.iter().filter(|n| **n == "quit").count(),
        1,
        "one entry per action"
    );
    let freeze = all.iter().find(|e| e.name == "freeze").unwrap();
    assert_eq!(
        (
            freeze.key.unwrap().to_string().as_str(),
            freeze.desc.as_str()
        ),
        (
            "f",
            "Freeze or resume the display (polling results are ignored while frozen)"
        )
    );
    // By name, then by description, then by letters in order.
    palette(&mut app, "fre");
    assert_eq!(palette_names(&app)[0], "freeze");
    palette(&mut app, "often");
    assert_eq!(palette_names(&app), ["interval_down", "interval_up"]);
    palette(&mut app, "ivup");
    assert_eq!(palette_names(&app), ["interval_up"]);
}

#[test]
fn enter_runs_the_selected_command_with_the_effects_of_its_key() {
    let mut by_key = demo_app();
    let key_effects = press(&mut by_key, KeyCode::Char(']'));
    let mut app = demo_app();
    palette(&mut app, "interval");
    assert_eq!(palette_names(&app), ["interval_down", "interval_up"]);
    for key in [KeyCode::Down, KeyCode::Down, KeyCode::Up, KeyCode::Down] {
        press(&mut app, key);
    }
    assert_eq!(
        app.stack.palette().unwrap().selected,
        1,
        "the selection stops at the last entry"
    );
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(effects, key_effects);
    assert_eq!(effects, vec![Effect::SetInterval(Duration::from_secs(3))]);
    assert!(app.stack.palette().is_none());
    assert_eq!(
        app.flash.as_ref().map(|f| &f.text),
        by_key.flash.as_ref().map(|f| &f.text)
    );
    palette(&mut app, "quit");
    assert_eq!(press(&mut app, KeyCode::Enter), vec![Effect::Quit]);
}

#[test]
fn tab_completes_and_sort_and_filter_take_an_argument() {
    let mut app = demo_app();
    palette(&mut app, "so");
    // Enter on a word that needs its argument completes it instead of running.
    while palette_names(&app)[app.stack.palette().unwrap().selected] != "sort <column>" {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.stack.palette().unwrap().input.value(), "sort ");
    typed(&mut app, "ina");
    assert_eq!(palette_names(&app)[0], "sort inact");
    press(&mut app, KeyCode::Enter);
    assert!(app.stack.palette().is_none());
    assert_eq!(
        (
            app.tables.service_sort.column,
            app.tables.service_sort.descending
        ),
        (Column::Inactive, true)
    );
    palette(&mut app, "freez");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.stack.palette().unwrap().input.value(), "freeze");
    press(&mut app, KeyCode::Enter);
    assert!(app.frozen);
    palette(&mut app, "filter 10.0.0.3");
    assert_eq!(palette_names(&app)[0], "filter 10.0.0.3");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tables.filter.value(), "10.0.0.3");
    assert!(!app.stack.filtering(), "the filter is set, not typed");
    assert_eq!(labels(&app), ["TCP 192.0.2.30:443"]);
}

#[test]
fn the_palette_offers_the_demo_when_ipvs_cannot_be_read() {
    let now = Instant::now();
    let mut app = App::new(Source::Kernel, "lb1", Keymap::builtin(), now);
    update(
        &mut app,
        Action::PollFailed {
            error: Error::Permission,
            at: now,
        },
    );
    palette(&mut app, "dem");
    assert_eq!(palette_names(&app), ["demo"]);
    assert_eq!(press(&mut app, KeyCode::Enter), vec![Effect::StartDemo]);
    assert_eq!(app.director.source, Source::Simulated);
}
