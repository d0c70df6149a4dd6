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

#[test]
fn services_start_in_ipvsadm_order_and_vim_keys_move() {
    let mut app = demo_app();
    let first = labels(&app);
    assert_eq!(first[0], "TCP 192.0.2.10:80");
    assert_eq!(
        app.tables.services_nav,
        Nav {
            selected: 0,
            offset: 0
        }
    );
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Down);
    assert_eq!(app.tables.services_nav.selected, 2);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.tables.services_nav.selected, 1);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.tables.services_nav.selected, first.len() - 1);
    assert_eq!(
        app.tables.services_nav.offset,
        first.len() - 4,
        "the last row is on screen"
    );
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(
        app.tables.services_nav,
        Nav {
            selected: 0,
            offset: 0
        }
    );
}

#[test]
fn enter_drills_into_the_real_servers_and_esc_comes_back() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Down);
    assert_eq!(app.current_service().unwrap().dests.len(), 3);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tables.focus, Focus::Servers);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.tables.servers_nav.selected, 1);
    assert_eq!(
        app.current_dest().unwrap().config.addr.to_string(),
        "10.0.0.22"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.tables.focus, Focus::Services);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.tables.focus, Focus::Servers);
}

#[test]
fn the_filter_narrows_as_you_type_and_esc_clears_it() {
    let mut app = demo_app();
    let all = app.tables.view.len();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "10.0.0.2");
    assert_eq!(
        labels(&app),
        ["TCP 192.0.2.20:81"],
        "a real server's address finds its service"
    );
    assert!(app.stack.filtering());
    press(&mut app, KeyCode::Enter);
    assert!(!app.stack.filtering());
    assert_eq!(app.tables.view.len(), 1, "Enter keeps the filter");
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.tables.view.len(), all);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "udp");
    assert!(
        labels(&app).iter().all(|l| l.starts_with("UDP")),
        "{:?}",
        labels(&app)
    );
    assert_eq!(
        press(&mut app, KeyCode::Char('q')),
        vec![],
        "q is text while filtering"
    );
    assert_eq!(app.tables.filter.value(), "udpq");
}

#[test]
fn sort_keys_cycle_columns_and_invert() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Char('>'));
    assert_eq!(app.tables.service_sort.column, Column::Scheduler);
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('>'));
    }
    assert_eq!(app.tables.service_sort.column, Column::Inactive);
    assert!(
        app.tables.service_sort.descending,
        "counts sort biggest first"
    );
    let services = &app.director.snapshot.as_ref().unwrap().services;
    let inact: Vec<u64> = app
        .tables
        .view
        .iter()
        .map(|&i| ipvs_tui::console::view::service_conns(&services[i]).1)
        .collect();
    assert!(inact.windows(2).all(|w| w[0] >= w[1]), "{inact:?}");
    press(&mut app, KeyCode::Char('I'));
    assert!(!app.tables.service_sort.descending);
    press(&mut app, KeyCode::Char('<'));
    assert_eq!(app.tables.service_sort.column, Column::Active);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('>'));
    assert_eq!(
        app.tables.server_sort.column,
        Column::Forward,
        "sort applies to the focused table"
    );
}

#[test]
fn selection_follows_the_service_across_polls_and_resorts() {
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
    press(&mut app, KeyCode::Char('G'));
    let key = app.tables.selected_service.unwrap();
    press(&mut app, KeyCode::Char('I'));
    assert_eq!(app.current_service().unwrap().config.key, key);
    update(
        &mut app,
        Action::Snapshot {
            snapshot: Box::new(snapshot_after(&sim, 2)),
            at: now + Duration::from_secs(2),
        },
    );
    assert_eq!(app.current_service().unwrap().config.key, key);
}

#[test]
fn freeze_interval_exact_quit_and_redraw() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Char('f'));
    assert!(app.frozen);
    let before = app.director.snapshot.clone();
    let at = app.now;
    update(
        &mut app,
        Action::Snapshot {
            snapshot: Box::default(),
            at,
        },
    );
    assert_eq!(app.director.snapshot, before, "frozen: polls are not shown");
    assert_eq!(
        press(&mut app, KeyCode::Char(']')),
        vec![Effect::SetInterval(Duration::from_secs(3))]
    );
    assert_eq!(
        press(&mut app, KeyCode::Char('[')),
        vec![Effect::SetInterval(Duration::from_secs(2))]
    );
    press(&mut app, KeyCode::Char('['));
    assert_eq!(
        press(&mut app, KeyCode::Char('[')),
        vec![],
        "1 s is the shortest"
    );
    press(&mut app, KeyCode::Char('x'));
    assert!(app.exact);
    assert_eq!(
        press_with(&mut app, KeyCode::Char('l'), KeyModifiers::CONTROL),
        vec![Effect::ClearScreen]
    );
    assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
    assert_eq!(
        press_with(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL),
        vec![Effect::Quit]
    );
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.stack.help(), Some(0));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.stack.help(), Some(1));
    assert_eq!(
        app.tables.services_nav.selected, 0,
        "keys scroll help, not the table"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.stack.help(), None);
}

#[test]
fn the_demo_is_offered_only_when_ipvs_cannot_be_read() {
    let now = Instant::now();
    let mut app = App::new(Source::Kernel, "lb1", Keymap::builtin(), now);
    assert_eq!(
        press(&mut app, KeyCode::Char('d')),
        vec![],
        "d means nothing while IPVS works"
    );
    update(
        &mut app,
        Action::PollFailed {
            error: Error::Permission,
            at: now,
        },
    );
    assert!(app.offline());
    assert_eq!(press(&mut app, KeyCode::Char('d')), vec![Effect::StartDemo]);
    assert_eq!(app.director.source, Source::Simulated);
    assert!(!app.offline());
}

#[test]
fn clicks_select_rows_and_the_wheel_moves() {
    let mut app = demo_app();
    let click = |column, row| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let action = action_for(&app, &click(3, 7)).unwrap();
    update(&mut app, action);
    assert_eq!(app.tables.services_nav.selected, 2);
    let action = action_for(&app, &click(3, 13)).unwrap();
    update(&mut app, action);
    assert_eq!(
        (app.tables.focus, app.tables.servers_nav.selected),
        (Focus::Servers, 1)
    );
    let wheel = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 3,
        row: 6,
        modifiers: KeyModifiers::NONE,
    });
    let action = action_for(&app, &wheel).unwrap();
    update(&mut app, action);
    assert_eq!(app.tables.services_nav.selected, 5);
    let moved = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Moved,
        column: 3,
        row: 6,
        modifiers: KeyModifiers::NONE,
    });
    assert!(action_for(&app, &moved).is_none());
}

#[test]
fn r_switches_between_own_and_kernel_rates() {
    use ipvs_tui::ipvs::rates::RateSource;
    let sim = SimBackend::demo(7);
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), t0);
    for k in 0..10u64 {
        update(
            &mut app,
            Action::Snapshot {
                snapshot: Box::new(snapshot_after(&sim, 2)),
                at: t0 + Duration::from_secs(2 * k),
            },
        );
    }
    assert_eq!(app.rate_source, RateSource::Own);
    let own = app
        .service_rate(app.tables.view[0])
        .expect("own rates after 10 polls");
    assert!(
        own.window.as_millis().is_multiple_of(2000) && own.window >= Duration::from_secs(2),
        "whole estimator periods: {:?}",
        own.window
    );
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(app.rate_source, RateSource::Kernel);
    let kernel = app.service_rate(app.tables.view[0]).unwrap();
    assert_eq!(
        kernel.conns_per_s,
        app.current_service().unwrap().stats.cps as f64
    );
    assert!(app.selected_history().is_some_and(|h| h.len() > 1));
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(app.rate_source, RateSource::Own);
}

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
