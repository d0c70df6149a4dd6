//! The event loop run headless: a TestBackend for the terminal, a channel for the key events,
//! the simulator (or a failing source) for the poller.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::channel::mpsc;
use ipvs_tui::console::poller::{Poller, SnapshotSource};
use ipvs_tui::console::runloop::{self, Exit, Wiring};
use ipvs_tui::console::{App, Keymap, Source};
use ipvs_tui::ipvs::model::Snapshot;
use ipvs_tui::host::MemoryHost;
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::future::pending;
use std::io;
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(100);

struct NoPermission;

impl SnapshotSource for NoPermission {
    async fn read(&self) -> ipvs_tui::ipvs::Result<Snapshot> {
        Err(ipvs_tui::ipvs::Error::Permission)
    }

    async fn apply(&self, _: &ipvs_tui::ipvs::IpvsOp) -> ipvs_tui::ipvs::Result<()> {
        Err(ipvs_tui::ipvs::Error::Permission)
    }
}

fn key(c: char) -> io::Result<Event> {
    let code = match c {
        '\n' => KeyCode::Enter,
        c => KeyCode::Char(c),
    };
    Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let symbols: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    symbols.chunks(buffer.area.width as usize).map(|r| r.concat()).collect::<Vec<_>>().join("\n")
}

/// Runs the loop in a LocalSet; `script` sends keys with pauses between.
fn run_loop(app: &mut App, poller: impl FnOnce() -> Poller, script: Vec<(u64, &'static str)>, signal_after: Option<Duration>) -> (Exit, String) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&runtime, async move {
        let (tx, rx) = mpsc::unbounded();
        tokio::task::spawn_local(async move {
            for (wait_ms, keys) in script {
                tokio::time::sleep(Duration::from_millis(wait_ms)).await;
                for c in keys.chars() {
                    let _ = tx.unbounded_send(key(c));
                }
            }
            // Keep the stream open: the loop must end by a key or a signal, not by end of input.
            pending::<()>().await;
        });
        let signals = async move {
            match signal_after {
                Some(d) => {
                    tokio::time::sleep(d).await;
                    Exit::Signal("SIGTERM", 143)
                }
                None => pending().await,
            }
        };
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let wiring = Wiring { events: rx, poller: poller(), signals, demo: |d| Poller::spawn(SimBackend::demo(5), MemoryHost::default(), d, Default::default()),
            sync: false,
            job_control: futures::stream::pending(),
            suspend: |_| Ok(()),
        };
        let exit = runloop::run(&mut terminal, app, &Theme::builtin(), wiring).await.unwrap();
        (exit, screen_text(&terminal))
    })
}

#[test]
fn polls_are_shown_keys_filter_and_q_quits() {
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    let sim = || Poller::spawn(SimBackend::demo(5), MemoryHost::default(), POLL, Default::default());
    let (exit, screen) = run_loop(&mut app, sim, vec![(250, "/udp\n"), (250, "q")], None);
    assert_eq!(exit, Exit::Quit);
    assert!(screen.contains("Services 1 of 6"), "{screen}");
    assert!(screen.contains("UDP 192.0.2.53:53"), "{screen}");
    assert!(app.last_ok.is_some());
}

#[test]
fn a_signal_ends_the_loop() {
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    let sim = || Poller::spawn(SimBackend::demo(5), MemoryHost::default(), POLL, Default::default());
    let (exit, _) = run_loop(&mut app, sim, vec![], Some(Duration::from_millis(500)));
    assert_eq!(exit, Exit::Signal("SIGTERM", 143));
}

#[test]
fn an_unreachable_ipvs_is_explained_and_d_opens_the_demo() {
    let mut app = App::new(Source::Kernel, "lb1", Keymap::builtin(), Instant::now());
    let failing = || Poller::spawn(NoPermission, MemoryHost::default(), POLL, Default::default());
    let (exit, screen) = run_loop(&mut app, failing, vec![(250, "d"), (250, "q")], None);
    assert_eq!(exit, Exit::Quit);
    assert_eq!(app.source, Source::Simulated);
    assert!(screen.contains("SIMULATED") && screen.contains("TCP 192.0.2.10:80"), "{screen}");

    let mut app = App::new(Source::Kernel, "lb1", Keymap::builtin(), Instant::now());
    let (_, screen) = run_loop(&mut app, failing, vec![(250, "q")], None);
    assert!(screen.contains("permission denied") && screen.contains("press  d  for the demo"), "{screen}");
}

#[test]
fn interval_keys_reach_the_poller() {
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    let sim = || Poller::spawn(SimBackend::demo(5), MemoryHost::default(), POLL, Default::default());
    let (_, screen) = run_loop(&mut app, sim, vec![(250, "]]"), (100, "q")], None);
    assert_eq!(app.interval, Duration::from_secs(5));
    assert!(screen.contains("every 5s"), "{screen}");
}
