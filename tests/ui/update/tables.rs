//! The tables by keys and mouse: order, drill-down, filter, sort, polls, freeze, help, demo, rates.

use super::*;

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
