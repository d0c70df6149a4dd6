//! The event loop: one `select!` over terminal events, signals, poll results and a clock tick.
//! It redraws only when something changed, once per burst of input, inside synchronized output.
//! Generic over the ratatui backend and the event stream, so tests run it headless.

use crate::console::action::{Action, Effect};
use crate::console::app::App;
use crate::console::keys::input::action_for;
use crate::console::update::update;
use crate::operation::audit::read_last;
use crate::runtime::poller::{Polled, Poller};
use crate::ui::{self, theme::Theme};
use crossterm::event::Event;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use futures::{FutureExt, Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::fmt::Display;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::time::MissedTickBehavior;

/// Lines of the audit log the `L` pane reads.
const AUDIT_LINES: usize = 1000;

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// A signal asked us to stop: its name and the exit status it implies (128 + number).
    Signal(&'static str, i32),
}

/// What the loop needs besides the terminal and the state.
pub struct Wiring<E, S, D, J, Z> {
    pub events: E,
    pub poller: Poller,
    /// Completes when a signal asks the console to stop.
    pub signals: S,
    /// Starts the demo's poller at the given interval (the `d` offer when IPVS is unreachable).
    pub demo: D,
    /// Wrap frames in synchronized output (on a real terminal).
    pub sync: bool,
    /// Yields when the process was asked to stop (SIGTSTP) or was continued (SIGCONT).
    pub job_control: J,
    /// Gives the terminal back and stops until continued (Ctrl-Z, SIGTSTP); `resume` takes it
    /// over again after a stop we did not ask for (SIGCONT).
    pub suspend: Z,
}

/// What job control asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobControl {
    Stop,
    Continued,
}

pub async fn run<B, E, S, D, J, Z>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    theme: &Theme,
    wiring: Wiring<E, S, D, J, Z>,
) -> io::Result<Exit>
where
    B: Backend,
    B::Error: Display,
    E: Stream<Item = io::Result<Event>> + Unpin,
    S: Future<Output = Exit>,
    D: Fn(Duration) -> Poller,
    J: Stream<Item = JobControl> + Unpin,
    Z: Fn(JobControl) -> io::Result<()>,
{
    let Wiring {
        mut events,
        mut poller,
        signals,
        demo,
        sync,
        mut job_control,
        suspend,
    } = wiring;
    let mut signals = pin!(signals);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut dirty = true;
    // Connection reads run on their own tasks and report here; the flag stops the current one.
    let (conns_tx, mut conns_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut conns_cancel: Option<Arc<AtomicBool>> = None;
    // The persist pane's writes run on a blocking thread and report here.
    let (written_tx, mut written_rx) = tokio::sync::mpsc::unbounded_channel();
    loop {
        if dirty {
            draw(terminal, app, theme, sync)?;
            dirty = false;
        }
        // The servers pane shows the selected service's real servers: read them every poll.
        poller.set_focus(app.current_service().map(|s| s.config.key));
        let mut effects = tokio::select! {
            exit = &mut signals => return Ok(exit),
            event = events.next() => {
                let mut effects = Vec::new();
                let mut next = event;
                loop {
                    match next {
                        None => return Ok(Exit::Quit),
                        Some(Err(e)) => return Err(e),
                        Some(Ok(event)) => {
                            if let Some(action) = action_for(app, &event) {
                                effects.extend(update(app, action));
                                dirty = true;
                            }
                        }
                    }
                    // Take what is already waiting (a paste, a burst of resizes), then draw once.
                    match events.next().now_or_never() {
                        Some(more) => next = more,
                        None => break,
                    }
                }
                effects
            }
            changed = poller.results.changed() => {
                if changed.is_err() {
                    return Err(io::Error::other("the poller stopped unexpectedly"));
                }
                let polled = poller.results.borrow_and_update().clone();
                dirty = true;
                let mut effects = match polled.clone() {
                    Some(Polled { result: Ok(snapshot), at, .. }) => update(app, Action::Snapshot { snapshot: Box::new(snapshot), at }),
                    Some(Polled { result: Err(error), at, .. }) => update(app, Action::PollFailed { error, at }),
                    None => vec![],
                };
                if let Some(host) = polled.and_then(|p| p.host) {
                    effects.extend(update(app, Action::HostRead(Box::new(host))));
                }
                effects
            }
            Some(job) = job_control.next() => {
                suspend(job)?;
                dirty = true;
                vec![Effect::ClearScreen]
            }
            Some(findings) = poller.diagnoses.recv() => {
                dirty = true;
                update(app, Action::DoctorRead(findings))
            }
            Some(files) = poller.persist_plans.recv() => {
                dirty = true;
                update(app, Action::PersistPlanned(files))
            }
            Some(written) = written_rx.recv() => {
                dirty = true;
                update(app, Action::PersistWritten(written))
            }
            Some(outcome) = poller.outcomes.recv() => {
                dirty = true;
                update(app, Action::Applied(Box::new(outcome)))
            }
            Some((id, result, took, at)) = conns_rx.recv() => {
                dirty = true;
                update(app, Action::ConnsRead { id, result, took, at })
            }
            _ = tick.tick() => {
                let before = clock(app);
                let effects = update(app, Action::Tick(Instant::now()));
                // While connections are read, each tick shows how far the read got.
                dirty |= clock(app) != before || app.stack.conns().is_some_and(|p| p.reading.is_some());
                effects
            }
        };
        // An effect may answer with an action, whose effects are handled in turn.
        while !effects.is_empty() {
            let mut more = Vec::new();
            for effect in std::mem::take(&mut effects) {
                match effect {
                    Effect::Quit => return Ok(Exit::Quit),
                    Effect::SetInterval(d) => poller.set_interval(d),
                    Effect::ClearScreen => {
                        terminal
                            .clear()
                            .map_err(|e| io::Error::other(e.to_string()))?;
                        dirty = true;
                    }
                    Effect::StartDemo => poller = demo(app.interval),
                    Effect::Suspend => {
                        suspend(JobControl::Stop)?;
                        terminal
                            .clear()
                            .map_err(|e| io::Error::other(e.to_string()))?;
                        dirty = true;
                    }
                    Effect::Apply(change) => poller.submit(change),
                    Effect::RunDoctor(ask) => poller.run_doctor(ask),
                    Effect::PlanPersist(dir) => poller.plan_persist(dir),
                    Effect::WritePersist(request) => {
                        let tx = written_tx.clone();
                        tokio::task::spawn_blocking(move || {
                            let _ = tx.send(crate::setup::persist::write(request));
                        });
                    }
                    Effect::ReadAudit(path) => {
                        // Only the end of the file is read: quick enough to do here.
                        let tail = read_last(&path, AUDIT_LINES).map_err(std::sync::Arc::new);
                        more.extend(update(app, Action::AuditRead(tail)));
                        dirty = true;
                    }
                    Effect::ReadConns(req) => {
                        if let Some(previous) = conns_cancel.replace(req.cancel.clone()) {
                            previous.store(true, Ordering::Relaxed);
                        }
                        let (read, tx, id) = (poller.conns.read(&req), conns_tx.clone(), req.id);
                        dirty = true;
                        tokio::spawn(async move {
                            let started = Instant::now();
                            let result = read.await;
                            let _ = tx.send((
                                id,
                                result.map(Box::new),
                                started.elapsed(),
                                Instant::now(),
                            ));
                        });
                    }
                    Effect::CancelConns => {
                        if let Some(cancel) = &conns_cancel {
                            cancel.store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
            effects = more;
        }
    }
}

/// What the clock changes on screen: the ages shown (whole seconds) and the flash.
fn clock(app: &App) -> (Option<u64>, Option<u64>, bool) {
    let age = |t: Instant| app.now.saturating_duration_since(t).as_secs();
    (
        app.director.last_ok.map(age),
        app.director.poll_error.as_ref().map(|(_, t)| age(*t)),
        app.flash.is_some(),
    )
}

fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    theme: &Theme,
    sync: bool,
) -> io::Result<()>
where
    B::Error: Display,
{
    if sync {
        queue!(io::stdout(), BeginSynchronizedUpdate)?;
    }
    let mut screen = Default::default();
    let drawn = terminal
        .draw(|f| screen = ui::draw(f, app, theme))
        .map(drop)
        .map_err(|e| io::Error::other(e.to_string()));
    if sync {
        execute!(io::stdout(), EndSynchronizedUpdate)?;
    }
    drawn?;
    app.drawn(screen);
    Ok(())
}
