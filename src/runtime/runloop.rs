//! The event loop: one `select!` over terminal events, signals, poll results, the executor's
//! reports and a clock tick. It redraws only when something changed, once per burst of input
//! (the terminal backend wraps each frame in synchronized output). Generic over the ratatui
//! backend and the event stream, so tests run it headless.

use crate::console::action::{Action, Effect};
use crate::console::app::App;
use crate::console::keys::input::action_for;
use crate::console::update::update;
use crate::operation::Operation;
use crate::runtime::executor::Executor;
use crate::runtime::poller::{Polled, Poller};
use crate::ui::{self, theme::Theme};
use crossterm::event::Event;
use futures::{FutureExt, Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::fmt::Display;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::time::{Duration, Instant};
use tokio::time::MissedTickBehavior;

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// A signal asked us to stop: its name and the exit status it implies (128 + number).
    Signal(&'static str, i32),
}

/// One director's poller and executor: director `id` of the console is `links[id]`.
pub struct Link {
    pub poller: Poller,
    /// Carries out the effects that work on the director or the disk.
    pub executor: Executor,
}

impl Link {
    pub fn new(poller: Poller, executor: Executor) -> Link {
        Link { poller, executor }
    }
}

/// What the loop needs besides the terminal and the state.
pub struct Wiring<E, S, D, J, Z> {
    pub events: E,
    /// One per director of the console, by id (at least one).
    pub links: Vec<Link>,
    /// Completes when a signal asks the console to stop.
    pub signals: S,
    /// Starts the demo's poller at the given interval, and its executor (the `d` offer when
    /// IPVS is unreachable).
    pub demo: D,
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
    D: Fn(Duration) -> Link,
    J: Stream<Item = JobControl> + Unpin,
    Z: Fn(JobControl) -> io::Result<()>,
{
    let Wiring {
        mut events,
        links,
        signals,
        demo,
        mut job_control,
        suspend,
    } = wiring;
    // Apart, so that a poll and a report can be awaited at once.
    let (mut pollers, mut executors): (Vec<Poller>, Vec<Executor>) =
        links.into_iter().map(|l| (l.poller, l.executor)).unzip();
    let mut signals = pin!(signals);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut dirty = true;
    // A poll taken in and how long that took, logged with the frame that shows it.
    let mut shown_poll: Option<Duration> = None;
    loop {
        if dirty {
            let started = Instant::now();
            draw(terminal, app, theme)?;
            dirty = false;
            if let Some(update) = shown_poll.take() {
                let update_us = update.as_micros() as u64;
                let draw_us = started.elapsed().as_micros() as u64;
                tracing::debug!(update_us, draw_us, "poll drawn");
            }
        }
        // The servers pane shows the selected service's real servers: read them every poll
        // (the directors not shown have none on screen), and those drained from; routes and
        // sysctls only while shown.
        let whole_host = app.stack.needs_whole_host();
        for (id, poller) in pollers.iter().enumerate() {
            poller.set_watched(app.watched(id));
            poller.set_whole_host(id == app.director.id && whole_host);
        }
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
                            let action = action_for(app, &event);
                            // What was pressed and what it did: a bug report's steps.
                            tracing::debug!(?event, ?action, "terminal event");
                            if let Some(action) = action {
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
            (id, polled) = any_poll(&pollers) => {
                dirty = true;
                let started = Instant::now();
                let effects = shown(app, id, polled);
                shown_poll = Some(started.elapsed());
                effects
            }
            Some(job) = job_control.next() => {
                suspend(job)?;
                dirty = true;
                vec![Effect::ClearScreen]
            }
            (id, Some(action)) = any_report(&mut executors) => {
                if let Action::Applied(outcome) = &action {
                    // The view shows what the director holds right after the change.
                    let host = outcome.change.ops.iter().any(|op| matches!(op, Operation::Host(_)));
                    pollers[id].poll_now(host);
                }
                dirty = true;
                update(app, Action::On(id, Box::new(action)))
            }
            _ = tick.tick() => {
                let before = clock(app);
                let effects = update(app, Action::Tick(Instant::now()));
                // While connections are read, each tick shows how far the read got.
                // The directors page shows every director's poll age.
                dirty |= clock(app) != before
                    || app.stack.conns().is_some_and(|p| p.reading.is_some())
                    || matches!(app.stack.page, crate::console::stack::Page::Directors(_));
                effects
            }
        };
        // An effect may answer with an action, whose effects are handled in turn.
        while !effects.is_empty() {
            let mut more = Vec::new();
            for effect in std::mem::take(&mut effects) {
                // Untagged effects are for the director shown.
                let (id, effect) = match effect {
                    Effect::On(id, effect) => (id, *effect),
                    effect => (app.director.id, effect),
                };
                if id >= executors.len() {
                    continue;
                }
                match effect {
                    Effect::Quit => return Ok(Exit::Quit),
                    Effect::SetInterval(d) => pollers.iter().for_each(|p| p.set_interval(d)),
                    Effect::PollNow => pollers[id].poll_now(true),
                    Effect::ClearScreen => {
                        terminal
                            .clear()
                            .map_err(|e| io::Error::other(e.to_string()))?;
                        dirty = true;
                    }
                    Effect::StartDemo => {
                        let link = demo(app.interval);
                        (pollers[id], executors[id]) = (link.poller, link.executor);
                    }
                    Effect::Suspend => {
                        suspend(JobControl::Stop)?;
                        terminal
                            .clear()
                            .map_err(|e| io::Error::other(e.to_string()))?;
                        dirty = true;
                    }
                    work => {
                        // A connection read shows its progress at once.
                        dirty |= matches!(work, Effect::ReadConns(_));
                        if let Some(action) = executors[id].start(work) {
                            more.extend(update(app, Action::On(id, Box::new(action))));
                            dirty = true;
                        }
                    }
                }
            }
            effects = more;
        }
    }
}

/// The next poll of any director: its id.
async fn any_poll(pollers: &[Poller]) -> (usize, Polled) {
    let polls = pollers
        .iter()
        .enumerate()
        .map(|(id, p)| Box::pin(async move { (id, p.results.next().await) }));
    futures::future::select_all(polls).await.0
}

/// The next report of any director's executor: its id.
async fn any_report(executors: &mut [Executor]) -> (usize, Option<Action>) {
    let reports = executors
        .iter_mut()
        .enumerate()
        .map(|(id, e)| Box::pin(async move { (id, e.next().await) }));
    futures::future::select_all(reports).await.0
}

/// A poll of director `id`, shown: the table (or why it could not be read) and the host if it
/// was read.
fn shown(
    app: &mut App,
    id: usize,
    Polled {
        result,
        at,
        host,
        whole_host,
    }: Polled,
) -> Vec<Effect> {
    let on = |action| Action::On(id, Box::new(action));
    let mut effects = match result {
        Ok(snapshot) => update(
            app,
            on(Action::Snapshot {
                snapshot: Box::new(snapshot),
                at,
            }),
        ),
        Err(error) => update(app, on(Action::PollFailed { error, at })),
    };
    match host {
        Some(host) if whole_host => {
            effects.extend(update(app, on(Action::HostRead(Box::new(host)))))
        }
        Some(links) => effects.extend(update(app, on(Action::LinksRead(Box::new(links))))),
        None => {}
    }
    effects
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

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &mut App, theme: &Theme) -> io::Result<()>
where
    B::Error: Display,
{
    let mut screen = Default::default();
    terminal
        .draw(|f| screen = ui::draw(f, app, theme))
        .map_err(|e| io::Error::other(e.to_string()))?;
    app.drawn(screen);
    Ok(())
}
