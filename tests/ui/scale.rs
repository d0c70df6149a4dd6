//! 10,000 services: the console stays quick because only visible rows are built and the rows
//! are re-sorted only when the data, filter or sort changes.

use ipvs_tui::console::{Action, App, Keymap, Source, update};
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

fn press(app: &mut App, c: char) {
    crate::keys::press(app, crate::keys::code(c));
}

#[test]
fn ten_thousand_services_scroll_filter_and_sort_quickly() {
    let sim = SimBackend::scale(10_000, 4, 11);
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "big-lb", Keymap::builtin(), t0);
    for k in 0..3u64 {
        sim.advance(Duration::from_secs(2));
        let snapshot = futures::executor::block_on(sim.snapshot()).unwrap();
        update(
            &mut app,
            Action::Snapshot {
                snapshot: Box::new(snapshot),
                at: t0 + Duration::from_secs(2 * k),
            },
        );
    }
    assert_eq!(app.tables.view.len(), 10_000);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let theme = Theme::builtin();
    let mut draw = |app: &mut App| {
        let mut screen = Default::default();
        terminal
            .draw(|f| screen = ui::draw(f, app, &theme))
            .unwrap();
        app.drawn(screen);
    };
    draw(&mut app);
    let started = Instant::now();
    for _ in 0..100 {
        press(&mut app, 'j');
        draw(&mut app);
    }
    let per_frame = started.elapsed() / 100;
    let buffer = terminal.backend().buffer().clone();
    let text: String = buffer.content.iter().map(|c| c.symbol()).collect();
    assert!(text.contains("Services 10000"), "{text}");
    assert_eq!(app.tables.services_nav.selected, 100);
    // A figure to read, not a timed assertion: speed is shown by benchmarks, not by tests.
    eprintln!("10,000 services: {per_frame:?} per key and frame");

    let started = Instant::now();
    for c in "/192.0.2.7\n".chars() {
        press(&mut app, c);
    }
    press(&mut app, '>');
    eprintln!(
        "10,000 services: filter typed and re-sorted in {:?}",
        started.elapsed()
    );
    // 192.0.2.7, .70-.79 and .700... do not exist: 11 addresses, each on ports 1024 up.
    assert_eq!(app.tables.view.len(), 11 * 40, "{}", app.tables.view.len());
    assert_eq!(
        app.tables.service_sort.column,
        ipvs_tui::console::view::Column::Scheduler
    );
}

#[test]
fn a_table_read_in_steps_says_how_far_until_it_is_whole() {
    let sim = SimBackend::scale(100, 2, 11);
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "big-lb", Keymap::builtin(), t0);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let theme = Theme::builtin();
    for (k, unread) in [40, 0].into_iter().enumerate() {
        let mut snapshot = futures::executor::block_on(sim.snapshot()).unwrap();
        snapshot.unread = unread;
        update(
            &mut app,
            Action::Snapshot {
                snapshot: Box::new(snapshot),
                at: t0 + Duration::from_secs(2 * k as u64),
            },
        );
        terminal
            .draw(|f| {
                ui::draw(f, &app, &theme);
            })
            .unwrap();
        let text: String = terminal
            .backend()
            .buffer()
            .content
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert_eq!(
            text.contains("loading: real servers of 60 of 100 services read"),
            unread > 0,
            "{text}"
        );
    }
}

/// The first poll of a large table lists no real servers past what it read in time
/// (`Snapshot::unlisted`): the screen says they are not read yet instead of warning that the
/// service has none, and such a table never replaces one whose real servers were listed.
#[test]
fn a_first_screen_without_real_servers_says_so_and_never_replaces_a_listed_table() {
    let sim = SimBackend::scale(100, 2, 11);
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "big-lb", Keymap::builtin(), t0);
    // Services 1.. not listed: as the kernel's first poll leaves them.
    let unlisted = || {
        let mut s = futures::executor::block_on(sim.snapshot()).unwrap();
        for svc in &mut s.services[1..] {
            svc.dests.clear();
        }
        (s.unread, s.unlisted) = (99, 99);
        s
    };
    let feed = |app: &mut App, snapshot, k: u64| {
        update(
            app,
            Action::Snapshot {
                snapshot: Box::new(snapshot),
                at: t0 + Duration::from_secs(2 * k),
            },
        );
        crate::screen::screen(app, 160, 48)
    };
    let first = feed(&mut app, unlisted(), 0);
    assert!(
        first.contains("loading: real servers of 1 of 100"),
        "{first}"
    );
    // The marker of a service that cannot take a connection is not put on one not listed.
    let marked = first.lines().filter(|l| l.contains("!TCP")).count();
    assert_eq!(marked, 0, "{first}");
    press(&mut app, 'j');
    let second = feed(&mut app, unlisted(), 0);
    assert!(second.contains("Real servers not read yet"), "{second}");
    assert!(!second.contains("NO AVAILABLE REAL SERVER"), "{second}");

    let whole = futures::executor::block_on(sim.snapshot()).unwrap();
    let dests = whole.services[1].dests.len();
    let listed = feed(&mut app, whole, 1);
    assert!(
        listed.contains(&format!("Real servers {dests}")),
        "{listed}"
    );
    // An agent restarted: its first poll is not listed, and the screen keeps the listed table.
    let again = feed(&mut app, unlisted(), 2);
    assert!(again.contains(&format!("Real servers {dests}")), "{again}");
    assert_eq!(app.director.snapshot.as_ref().unwrap().unlisted, 0);
}
