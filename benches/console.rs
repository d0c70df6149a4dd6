//! Benchmark (cargo bench --bench console): time to draw one console frame with 10,000 services (and 100 for reference).
//! Prints median and p95 per key-and-frame on a 160x48 ratatui TestBackend; a figure, not an assertion.
//! Under `cargo test --all-targets` (no --bench argument) it draws a few frames only, as a smoke check.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ipvs_tui::console::input::action_for;
use ipvs_tui::console::{Action, App, Keymap, Source, update};
use ipvs_tui::ipvs::Backend;
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

fn press(app: &mut App, c: char) {
    let ev = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    if let Some(action) = action_for(app, &ev) {
        update(app, action);
    }
}

/// Frame times (key move + draw) for `services` x 3 real servers, after 3 snapshots.
fn frames(services: usize, draws: usize) -> Vec<Duration> {
    let sim = SimBackend::scale(services, 3, 7);
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "bench", Keymap::builtin(), t0);
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
    assert_eq!(app.view.len(), services);
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
    for _ in 0..20 {
        press(&mut app, 'j'); // warm-up
        draw(&mut app);
    }
    let mut times = Vec::with_capacity(draws);
    for i in 0..draws {
        // Down, and back up every 40 frames, so the selection moves within the same rows and across pages.
        press(&mut app, if (i / 40) % 2 == 0 { 'j' } else { 'k' });
        let started = Instant::now();
        draw(&mut app);
        times.push(started.elapsed());
    }
    times.sort();
    times
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let draws = if bench { 500 } else { 5 };
    let small = frames(100, draws);
    let big = frames(10_000, draws);
    if !bench {
        println!(
            "console bench: smoke run ({draws} frames each); run `cargo bench --bench console` for figures"
        );
        return;
    }
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "console bench: frame draw (160x48 TestBackend, {draws} frames after a key move each, {profile} build)"
    );
    for (n, t) in [(100, &small), (10_000, &big)] {
        println!(
            "console bench: {n:>6} services x 3 real servers: median {:.3} ms, p95 {:.3} ms per frame",
            ms(pct(t, 0.5)),
            ms(pct(t, 0.95))
        );
    }
    println!(
        "console bench: ratio 10,000 / 100 services: median {:.2}x, p95 {:.2}x (goal: 10,000 services < 2 ms)",
        ms(pct(&big, 0.5)) / ms(pct(&small, 0.5)),
        ms(pct(&big, 0.95)) / ms(pct(&small, 0.95))
    );
}
