//! `update` driven by key events through the keymap, without a terminal: navigation, drill-in,
//! filter, sort, freeze, interval, exact, the demo offer and the `:` command palette.

use crate::keys::{keys as typed, press, press_with};
use crossterm::event::{Event, KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ipvs_tui::console::app::{Nav, Screen};
use ipvs_tui::console::keys::input::action_for;
use ipvs_tui::console::view::Column;
use ipvs_tui::console::{Action, App, Effect, Focus, Keymap, Source, update};
use ipvs_tui::ipvs::Error;
use ipvs_tui::ipvs::sim::SimBackend;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};

fn snapshot_after(sim: &SimBackend, secs: u64) -> ipvs_tui::ipvs::model::Snapshot {
    sim.advance(Duration::from_secs(secs));
    futures::executor::block_on(sim.snapshot()).unwrap()
}

fn demo_app() -> App {
    let sim = SimBackend::demo(7);
    let now = Instant::now();
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), now);
    update(
        &mut app,
        Action::Snapshot {
            snapshot: Box::new(snapshot_after(&sim, 30)),
            at: now,
        },
    );
    app.drawn(Screen {
        services: Rect::new(0, 5, 80, 4),
        servers: Rect::new(0, 12, 80, 3),
        ..Screen::default()
    });
    app
}

fn labels(app: &App) -> Vec<String> {
    let services = &app.director.snapshot.as_ref().unwrap().services;
    app.tables
        .view
        .iter()
        .map(|&i| ipvs_tui::console::view::service_label(&services[i].config.key))
        .collect()
}

mod palette;
mod tables;

/// Esc twice in quick succession reaches the console as one Alt+Esc (ESC ESC): it closes what
/// is open as Esc does, unless a keymap binds Alt+Esc itself.
#[test]
fn alt_esc_is_an_esc_unless_bound() {
    use ipvs_tui::console::keys::keymap::Layer;
    let mut app = demo_app();
    typed(&mut app, "?");
    assert_eq!(app.layers(), [Layer::Help]);
    press_with(&mut app, KeyCode::Esc, KeyModifiers::ALT);
    assert_ne!(app.layers(), [Layer::Help], "Alt+Esc left help open");
    let user = Keymap::parse("[[help]]\non = \"alt-esc\"\nrun = \"quit\"\ndesc = \"Quit\"\n");
    let mut bound = App::new(
        Source::Simulated,
        "lb1",
        Keymap::builtin().overlaid(user.unwrap()),
        Instant::now(),
    );
    typed(&mut bound, "?");
    let effects = press_with(&mut bound, KeyCode::Esc, KeyModifiers::ALT);
    assert!(effects.contains(&Effect::Quit), "{effects:?}");
}
