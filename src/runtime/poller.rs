//! The poller: a local task that polls a director every interval and publishes the latest result
//! on a watch channel, so a slow screen sees only the newest poll (bursts coalesce). It only
//! polls: changes go through the executor, which may run while a poll does (a director keeps its
//! own requests apart; see `backend::Backend`), and the loop asks for a poll right after each.

use crate::backend::Backend;
use crate::host::HostState;
use crate::ipvs::Result;
use crate::ipvs::model::{Snapshot, Watched};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;

/// One poll: the snapshot or why it failed, and when.
#[derive(Debug, Clone)]
pub struct Polled {
    pub result: Result<Snapshot>,
    pub at: Instant,
    /// The host around IPVS, read every `HOST_EVERY` polls and after each host change (`None`
    /// between, or when it could not be read: the last one read stays shown).
    pub host: Option<HostState>,
    /// The host read is whole; false: links and addresses only (see `Poller::set_whole_host`).
    pub whole_host: bool,
}

/// After a failed poll a director with `Poller::retrying` is tried again after 1 s, then
/// twice as long each time, up to this: an unreachable director costs little, and comes back.
pub const RETRY_MAX: Duration = Duration::from_secs(30);

/// The wait after `failures` failed polls in a row (the first retry after 1 s).
pub fn retry_after(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.saturating_sub(1).min(5)).min(RETRY_MAX)
}

/// The host (links, addresses, sysctl files) is read every this many polls: it changes rarely,
/// and reading it costs more than the table.
pub const HOST_EVERY: u32 = 3;

/// The latest poll, handed over without a copy (a large table's snapshot is megabytes): a newer
/// poll replaces one not taken yet, so a slow screen sees only the newest.
pub struct Latest {
    slot: Rc<RefCell<Option<Polled>>>,
    ready: Rc<Notify>,
}

impl Latest {
    /// The next poll, once there is one. Cancel-safe: a poll is taken only when returned.
    pub async fn next(&self) -> Polled {
        loop {
            if let Some(polled) = self.slot.borrow_mut().take() {
                return polled;
            }
            self.ready.notified().await;
        }
    }
}

pub struct Poller {
    /// The latest poll.
    pub results: Latest,
    interval: watch::Sender<Duration>,
    /// The services whose real servers the director reads every poll.
    watched: watch::Sender<Watched>,
    /// Poll at once; `true`: read the host too.
    now: mpsc::UnboundedSender<bool>,
    /// Something on screen shows routes or sysctls: read the whole host, not only the links.
    whole_host: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// One line per poll: how long the table took, what it held, and whether the host was read.
fn log_poll(result: &Result<Snapshot>, took: Duration, watched: &Watched, host: bool) {
    let took_us = took.as_micros() as u64;
    let focus = watched.focus.map(|k| k.to_string());
    let draining = watched.draining.len();
    match result {
        Ok(s) => tracing::debug!(
            took_us,
            services = s.services.len(),
            dests = s.services.iter().map(|s| s.dests.len()).sum::<usize>(),
            ?focus,
            draining,
            host,
            "poll"
        ),
        Err(e) => {
            let sources = crate::logging::sources(e);
            tracing::warn!(took_us, ?focus, error = %e, ?sources, "poll failed");
        }
    }
}

impl Poller {
    /// Starts polling `director` now and then every `interval`. Must run inside a `LocalSet`:
    /// directors are not `Send`.
    pub fn spawn(director: Rc<dyn Backend>, interval: Duration) -> Poller {
        Poller::start(director, interval, false)
    }

    /// As `spawn`, but a failed poll is retried with backoff (see `retry_after`) instead of at
    /// the interval: for one of several directors, whose link may drop.
    pub fn retrying(director: Rc<dyn Backend>, interval: Duration) -> Poller {
        Poller::start(director, interval, true)
    }

    fn start(director: Rc<dyn Backend>, interval: Duration, backoff: bool) -> Poller {
        let slot: Rc<RefCell<Option<Polled>>> = Rc::default();
        let ready = Rc::new(Notify::new());
        let results = Latest {
            slot: slot.clone(),
            ready: ready.clone(),
        };
        let (interval_tx, mut interval_rx) = watch::channel(interval);
        let (watched_tx, watched_rx) = watch::channel(Watched::default());
        let (now_tx, mut now_rx) = mpsc::unbounded_channel::<bool>();
        let (whole_tx, whole_rx) = watch::channel(true);
        let task = tokio::task::spawn_local(async move {
            let mut polls: u32 = 0;
            let mut failures: u32 = 0;
            let mut read_host = false;
            loop {
                let watched = watched_rx.borrow().clone();
                let started = Instant::now();
                let result = director.poll(watched.clone()).await;
                let took = started.elapsed();
                // The first read is whole: the start-up screen may need it.
                let whole = *whole_rx.borrow() || polls == 0;
                let host = if polls.is_multiple_of(HOST_EVERY) || read_host {
                    // Routes and sysctls are most of the host's cost: only while shown.
                    let host = if whole {
                        director.host().await
                    } else {
                        director.host_links().await
                    };
                    if let Err(e) = &host {
                        let sources = crate::logging::sources(e);
                        tracing::warn!(error = %e, ?sources, "host read failed");
                    }
                    host.ok()
                } else {
                    None
                };
                log_poll(&result, took, &watched, host.is_some());
                failures = if result.is_ok() {
                    0
                } else {
                    failures.saturating_add(1)
                };
                polls = polls.wrapping_add(1);
                read_host = false;
                let at = Instant::now();
                // The loop is gone: nobody takes polls any more.
                if Rc::strong_count(&slot) == 1 {
                    return;
                }
                *slot.borrow_mut() = Some(Polled {
                    result,
                    at,
                    host,
                    whole_host: whole,
                });
                ready.notify_one();
                let mut wait = *interval_rx.borrow_and_update();
                if backoff && failures > 0 {
                    wait = retry_after(failures);
                }
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    // A new interval takes effect at once, with a fresh poll.
                    changed = interval_rx.changed() => if changed.is_err() { return },
                    // After a change: the view shows what the director holds now.
                    now = now_rx.recv() => {
                        let Some(host) = now else { return };
                        read_host = host;
                        // Asked twice while polling: one poll answers both.
                        while let Ok(host) = now_rx.try_recv() {
                            read_host |= host;
                        }
                    }
                }
            }
        });
        Poller {
            results,
            interval: interval_tx,
            watched: watched_tx,
            now: now_tx,
            whole_host: whole_tx,
            task,
        }
    }

    pub fn set_interval(&self, interval: Duration) {
        let _ = self.interval.send(interval);
    }

    /// Says which services' real servers to read every poll: the one on screen, if any, and
    /// those being drained.
    pub fn set_watched(&self, watched: Watched) {
        self.watched.send_if_modified(|w| {
            let changed = *w != watched;
            *w = watched;
            changed
        });
    }

    /// Says whether something on screen shows routes or sysctls; when it starts to, the whole
    /// host is read at once.
    pub fn set_whole_host(&self, whole: bool) {
        if self
            .whole_host
            .send_if_modified(|w| std::mem::replace(w, whole) != whole)
            && whole
        {
            self.poll_now(true);
        }
    }

    /// Polls at once (after a change), reading the host too if `host`.
    pub fn poll_now(&self, host: bool) {
        let _ = self.now.send(host);
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_start_at_a_second_and_double_to_thirty() {
        let waits: Vec<u64> = (1..=8).map(|n| retry_after(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(retry_after(u32::MAX), RETRY_MAX);
    }
}
