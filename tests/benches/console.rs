//! Benchmark (cargo bench --bench console): time to draw one console frame with 10,000 services (and 100 for reference),
//! and the console's own work per poll at 1 s refresh with 1,000 services (CPU share of one core) against the simulator
//! producing the same snapshot. Prints medians and spreads; figures, not assertions.
//! Under `cargo test --all-targets` (no --bench argument) it draws a few frames only, as a smoke check.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ipvs_tui::console::keys::input::action_for;
use ipvs_tui::console::{Action, App, Keymap, Source, update};
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
    assert_eq!(app.tables.view.len(), services);
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

/// Per poll, at 1 s refresh, on the simulator with `services` x 2 real servers: the console's
/// work (the poll's snapshot copied as the event loop does, update, a 120x50 frame through
/// LeanBackend, a tick) and, for reference, the simulator producing the snapshot.
fn poll_work(services: usize, polls: usize) -> (Vec<Duration>, Vec<Duration>, usize) {
    use ipvs_tui::runtime::lean_backend::LeanBackend;
    let sim = SimBackend::scale(services, 2, 11);
    sim.advance(Duration::from_secs(60));
    let t0 = Instant::now();
    let mut app = App::new(Source::Kernel, "bench", Keymap::builtin(), t0);
    app.interval = Duration::from_secs(1);
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 120, 50)).unwrap();
    let theme = Theme::builtin();
    let (mut ours, mut reference, mut bytes) = (Vec::new(), Vec::new(), 0);
    for k in 0..polls as u64 + 5 {
        let started = Instant::now();
        sim.advance(Duration::from_secs(1));
        let polled = futures::executor::block_on(sim.snapshot()).unwrap();
        let made = started.elapsed();
        let at = t0 + Duration::from_secs(k);
        let started = Instant::now();
        let snapshot = polled.clone();
        update(
            &mut app,
            Action::Snapshot {
                snapshot: Box::new(snapshot),
                at,
            },
        );
        let mut screen = Default::default();
        terminal
            .draw(|f| screen = ui::draw(f, &app, &theme))
            .unwrap();
        app.drawn(screen);
        update(&mut app, Action::Tick(at + Duration::from_millis(500)));
        terminal
            .draw(|f| screen = ui::draw(f, &app, &theme))
            .unwrap();
        let took = started.elapsed();
        drop(polled);
        if k >= 5 {
            ours.push(took);
            reference.push(made);
            bytes += terminal.backend().writer().len();
        }
        terminal.backend_mut().writer_mut().clear();
    }
    ours.sort();
    reference.sort();
    (ours, reference, bytes)
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
    let (ours, reference, _) = poll_work(1_000, if bench { 60 } else { 3 });
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
    println!(
        "console bench: per poll at 1 s refresh, 1,000 services x 2 real servers, simulator, {} polls: console work median {:.2} ms (p10 {:.2}, p90 {:.2}) = {:.2}% of one core; the simulator making the snapshot {:.2} ms; ratio {:.2}x",
        ours.len(),
        ms(pct(&ours, 0.5)),
        ms(pct(&ours, 0.1)),
        ms(pct(&ours, 0.9)),
        ms(pct(&ours, 0.5)) / 10.0,
        ms(pct(&reference, 0.5)),
        ms(pct(&ours, 0.5)) / ms(pct(&reference, 0.5))
    );
}
