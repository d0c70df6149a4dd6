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
