//! The event loop run headless: a TestBackend for the terminal, a channel for the key events,
//! the simulator (or a director that cannot read) for the poller and the executor.

use crossterm::event::Event;
use futures::channel::mpsc;
use ipvs_tui::backend::{Backend, Reply, Sim};
use ipvs_tui::console::{App, Keymap, Source};
use ipvs_tui::host::{HostError, HostState, MemoryHost};
use ipvs_tui::ipvs::model::Snapshot;
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::operation::{Operation, OperationError};
use ipvs_tui::runtime::conn_source::ConnSource;
use ipvs_tui::runtime::executor::Executor;
use ipvs_tui::runtime::poller::Poller;
use ipvs_tui::runtime::runloop::{self, Exit, Link, Wiring};
use ipvs_tui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::future::pending;
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(100);

struct NoPermission;

impl Backend for NoPermission {
    fn snapshot(&self) -> Reply<'_, ipvs_tui::ipvs::Result<Snapshot>> {
        Box::pin(async { Err(ipvs_tui::ipvs::Error::Permission) })
    }

    fn host(&self) -> Reply<'_, Result<HostState, HostError>> {
        Box::pin(async { Ok(HostState::default()) })
    }

    fn apply<'a>(&'a self, _: &'a Operation) -> Reply<'a, Result<(), OperationError>> {
        Box::pin(async { Err(ipvs_tui::ipvs::Error::Permission.into()) })
    }
}

/// The poller and the executor of one director, with connections read from `conns`.
fn wired(director: impl Backend + 'static, conns: ConnSource) -> (Poller, Executor) {
    let director: Rc<dyn Backend> = Rc::new(director);
    (
        Poller::spawn(director.clone(), POLL),
        Executor::new(director, Default::default()).with_conns(conns),
    )
}

/// The demo's simulator (seed 5) and an empty host, connections from this host's file.
fn sim() -> (Poller, Executor) {
    let director = Sim::new(SimBackend::demo(5), MemoryHost::default());
    wired(director, ConnSource::default())
}

fn key(c: char) -> io::Result<Event> {
    Ok(crate::keys::event(c))
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let symbols: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    symbols
        .chunks(buffer.area.width as usize)
        .map(|r| r.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the loop in a LocalSet; `script` sends keys with pauses between.
fn run_loop(
    app: &mut App,
    director: impl FnOnce() -> (Poller, Executor),
    script: Vec<(u64, &'static str)>,
    signal_after: Option<Duration>,
) -> (Exit, String) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
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
        let (poller, executor) = director();
        let wiring = Wiring {
            events: rx,
            links: vec![Link::new(poller, executor)],
            signals,
            demo: |d| {
                let director: Rc<dyn Backend> =
                    Rc::new(Sim::new(SimBackend::demo(5), MemoryHost::default()));
                Link::new(
                    Poller::spawn(director.clone(), d),
                    Executor::new(director, Default::default()),
                )
            },
            job_control: futures::stream::pending(),
            suspend: |_| Ok(()),
        };
        let exit = runloop::run(&mut terminal, app, &Theme::builtin(), wiring)
            .await
            .unwrap();
        (exit, screen_text(&terminal))
    })
}

#[test]
fn polls_are_shown_keys_filter_and_q_quits() {
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    let (exit, screen) = run_loop(&mut app, sim, vec![(250, "/udp\n"), (250, "q")], None);
    assert_eq!(exit, Exit::Quit);
    assert!(screen.contains("Services 1 of 6"), "{screen}");
    assert!(screen.contains("UDP 192.0.2.53:53"), "{screen}");
    assert!(app.director.last_ok.is_some());
}

#[test]
fn a_signal_ends_the_loop() {
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    let (exit, _) = run_loop(&mut app, sim, vec![], Some(Duration::from_millis(500)));
    assert_eq!(exit, Exit::Signal("SIGTERM", 143));
}

#[test]
fn an_unreachable_ipvs_is_explained_and_d_opens_the_demo() {
    let mut app = App::new(Source::Kernel, "lb1", Keymap::builtin(), Instant::now());
    let failing = || wired(NoPermission, ConnSource::default());
    let (exit, screen) = run_loop(&mut app, failing, vec![(250, "d"), (250, "q")], None);
    assert_eq!(exit, Exit::Quit);
    assert_eq!(app.director.source, Source::Simulated);
    assert!(
        screen.contains("SIMULATED") && screen.contains("TCP 192.0.2.10:80"),
        "{screen}"
    );

    let mut app = App::new(Source::Kernel, "lb1", Keymap::builtin(), Instant::now());
    let (_, screen) = run_loop(&mut app, failing, vec![(250, "q")], None);
    assert!(
        screen.contains("permission denied") && screen.contains("press  d  for the demo"),
        "{screen}"
    );
}

#[test]
fn interval_keys_reach_the_poller() {
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    let (_, screen) = run_loop(&mut app, sim, vec![(250, "]]"), (100, "q")], None);
    assert_eq!(app.interval, Duration::from_secs(5));
    assert!(screen.contains("every 5s"), "{screen}");
}

/// The connections pane through the loop: `c` asks for a read, the loop runs it on the demo's
/// simulator (the same one the poller reads) and the pane shows its groups.
#[test]
fn the_connections_pane_reads_the_simulator_through_the_loop() {
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    let sim = || {
        let sim = Arc::new(SimBackend::demo(5));
        sim.advance(Duration::from_secs(60));
        let director = Sim::new(sim.clone(), MemoryHost::default());
        wired(director, ConnSource::Sim(sim))
    };
    let (_, screen) = run_loop(
        &mut app,
        sim,
        vec![(300, "ca"), (700, "g")],
        Some(Duration::from_millis(1500)),
    );
    let pane = app.stack.conns().expect("the pane is open");
    let t = pane.table.as_ref().expect("the read came back");
    assert!(
        t.counts.lines > 1000 && t.counts.matched == t.counts.lines,
        "{:?}",
        t.counts
    );
    assert!(
        screen.contains("all services") && screen.contains("conns by state"),
        "{screen}"
    );
    assert!(screen.contains("10.0.0.11:80"), "{screen}");
}

/// A slow kernel file (a FIFO fed a line every 20 ms): the console keeps answering keys while
/// it reads, shows the lines read so far, and Esc stops the read with what it had.
#[test]
fn a_slow_read_shows_progress_and_esc_cancels_it() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("console_loop_conns_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("ip_vs_conn");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            // To the selected service, TCP 192.0.2.10:80, the pane's scope.
            let line = b"TCP CB00710A 4E20 C000020A 0050 0A0A000B 0050 ESTABLISHED     894\n";
            // Until the reader closes the FIFO (EPIPE), or 20 s.
            for _ in 0..1000 {
                if f.write_all(line).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    });
    let mut app = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    let sim = || {
        let director = Sim::new(SimBackend::demo(5), MemoryHost::default());
        wired(director, ConnSource::File(fifo.clone()))
    };
    // Open, group (a key answered while reading), then Esc.
    let (_, screen) = run_loop(
        &mut app,
        sim,
        vec![(300, "c"), (1200, "g"), (300, "\x1b")],
        Some(Duration::from_millis(2500)),
    );
    writer.join().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let pane = app
        .stack
        .conns()
        .expect("Esc cancels the read first; the pane stays open");
    assert_eq!(
        pane.group_by,
        Some(ipvs_tui::ipvs::conns::GroupBy::Server),
        "keys work while reading"
    );
    assert!(pane.reading.is_none(), "the read ended");
    assert!(pane.last.unwrap().cancelled);
    let lines = pane.table.as_ref().unwrap().counts.lines;
    assert!(lines >= 20, "{lines} lines read in about 1.5 s");
    assert!(
        screen.contains("(cancelled: partial)") && screen.contains("10.10.0.11:80"),
        "{screen}"
    );
}
