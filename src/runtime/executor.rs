//! The executor: carries out the effects of `update` that do work on a director or the disk
//! (apply a change, run the doctor, plan and write the persist files, read the audit log, read
//! connections, ask keepalived for its state) and reports each with the `Action` that `update`
//! takes back. The event loop and the tests use it alike; what belongs to the loop (quit,
//! interval, clear, suspend, the demo) stays there.

use crate::backend::Backend;
use crate::console::action::{Action, Effect};
use crate::console::change::Policy;
use crate::operation::audit::read_last;
use crate::owners::keepalived::follow::{FollowReport, Followed, NotFollowed};
use crate::owners::keepalived::reader::{DEFAULT_TIMEOUT, ReadError, Reader};
use crate::remote::Remote;
use crate::runtime::conn_source::ConnSource;
use crate::setup;
use crate::setup::persist::Written;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tokio::sync::mpsc;

mod change;

pub use change::execute;

/// Lines of the audit log the `L` pane reads.
const AUDIT_LINES: usize = 1000;

pub struct Executor {
    director: Rc<dyn Backend>,
    policy: Rc<Policy>,
    conns: ConnSource,
    /// A director elsewhere: its agent is asked for keepalived's state and makes and writes its
    /// persist files (None: this host's keepalived, files written here).
    remote: Option<Rc<Remote>>,
    /// The connection read in progress: set to stop it.
    conns_cancel: Option<Arc<AtomicBool>>,
    /// Work on the director, done one at a time in order (see `worker`); started on first use.
    queue: Option<mpsc::UnboundedSender<Effect>>,
    reports: mpsc::UnboundedSender<Action>,
    reported: mpsc::UnboundedReceiver<Action>,
}

impl Executor {
    /// Works on `director`, applying changes as `policy` says; connections are read from this
    /// host's /proc/net/ip_vs_conn unless `with_conns` says otherwise.
    pub fn new(director: Rc<dyn Backend>, policy: Policy) -> Executor {
        let (reports, reported) = mpsc::unbounded_channel();
        Executor {
            director,
            policy: Rc::new(policy),
            conns: ConnSource::default(),
            remote: None,
            conns_cancel: None,
            queue: None,
            reports,
            reported,
        }
    }

    /// Reads connections from `conns` (the demo's simulator, a file).
    pub fn with_conns(mut self, conns: ConnSource) -> Executor {
        self.conns = conns;
        self
    }

    /// Works on a director elsewhere: keepalived is asked, and the persist files made and
    /// written, by its agent.
    pub fn with_remote(mut self, remote: Rc<Remote>) -> Executor {
        self.remote = Some(remote);
        self
    }

    /// The director this executor works on.
    pub fn director(&self) -> &Rc<dyn Backend> {
        &self.director
    }

    /// Starts `effect` in the background (inside a `LocalSet`); the action reporting it comes
    /// from `next`. Quick work (the end of the audit log) is answered at once instead. The loop's
    /// own effects (quit, interval, clear, suspend, demo) are not for the executor: ignored.
    pub fn start(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            // The director's work, in the order asked: a change is re-read, checked and applied
            // before the next one looks at the table, and the doctor sees the change before it.
            Effect::Apply(_) | Effect::RunDoctor(_) | Effect::PlanPersist(_) => {
                let queue = self.queue.get_or_insert_with(|| {
                    worker(
                        self.director.clone(),
                        self.remote.clone(),
                        self.policy.clone(),
                        self.reports.clone(),
                    )
                });
                let _ = queue.send(effect);
                None
            }
            // On the director, by its agent: the files are its own.
            Effect::WritePersist(request) if let Some(remote) = self.remote.clone() => {
                let reports = self.reports.clone();
                tokio::task::spawn_local(async move {
                    let _ = reports.send(Action::PersistWritten(
                        write_persist_there(&remote, request).await,
                    ));
                });
                None
            }
            Effect::WritePersist(request) => {
                let reports = self.reports.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = reports.send(Action::PersistWritten(setup::persist::write(request)));
                });
                None
            }
            Effect::ReadConns(req) => {
                self.cancel_conns_for(&req.cancel);
                let (read, reports, id) = (self.conns.read(&req), self.reports.clone(), req.id);
                // A remote director's read holds its link (not `Send`): on the loop's thread.
                tokio::task::spawn_local(async move {
                    let started = Instant::now();
                    let result = read.await;
                    log_conns(id, &result, started.elapsed());
                    let _ = reports.send(Action::ConnsRead {
                        id,
                        result: result.map(Box::new),
                        took: started.elapsed(),
                        at: Instant::now(),
                    });
                });
                None
            }
            // keepalived's dump, off the loop: the reader waits for its files without blocking
            // (one request at a time: `update` asks only when none is in flight).
            Effect::ReadKeepalived => {
                let reports = self.reports.clone();
                match self.remote.clone() {
                    Some(remote) => {
                        tokio::task::spawn_local(async move {
                            let result = remote
                                .keepalived(None)
                                .await
                                .unwrap_or_else(|e| Err(ReadError::Unreachable(e.to_string())));
                            let _ = reports.send(Action::KeepalivedRead {
                                result: Box::new(result),
                                at: Instant::now(),
                            });
                        });
                    }
                    None => {
                        tokio::spawn(async move {
                            let _ = reports.send(read_keepalived().await);
                        });
                    }
                }
                None
            }
            // A remote director's FIFOs are on its own machine, where no follow runs (paths
            // opened here would be this host's keepalived): it stays on dumps.
            Effect::FollowKeepalived { session, .. } if self.remote.is_some() => {
                Some(Action::KeepalivedFollow(Box::new(FollowReport {
                    session,
                    at: Instant::now(),
                    what: Followed::NotFollowed(NotFollowed::Remote),
                })))
            }
            Effect::FollowKeepalived { session, process } => {
                super::follow::spawn(session, process, self.reports.clone());
                None
            }
            other => self.quick(other),
        }
    }

    /// The next action reporting an effect started by `start`.
    pub async fn next(&mut self) -> Option<Action> {
        self.reported.recv().await
    }

    /// Carries `effect` out to the end here and returns the action reporting it: for tests and
    /// one-shot callers. None for the loop's effects and for `CancelConns`.
    pub async fn run(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::Apply(_) | Effect::RunDoctor(_) | Effect::PlanPersist(_) => {
                let remote = self.remote.as_deref();
                Some(on_director(&*self.director, remote, &self.policy, effect).await?)
            }
            Effect::WritePersist(request) => {
                Some(Action::PersistWritten(setup::persist::write(request)))
            }
            Effect::ReadConns(req) => {
                self.cancel_conns_for(&req.cancel);
                let started = Instant::now();
                let result = self.conns.read(&req).await;
                log_conns(req.id, &result, started.elapsed());
                Some(Action::ConnsRead {
                    id: req.id,
                    result: result.map(Box::new),
                    took: started.elapsed(),
                    at: Instant::now(),
                })
            }
            Effect::ReadKeepalived => Some(read_keepalived().await),
            // A follow never ends by itself: only the loop (`start`) follows.
            Effect::FollowKeepalived { .. } => None,
            other => self.quick(other),
        }
    }

    /// What needs no waiting: the audit log's end, a cancelled read.
    fn quick(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            // Only the end of the file is read: quick enough to do here.
            Effect::ReadAudit(path) => Some(Action::AuditRead(
                read_last(&path, AUDIT_LINES).map_err(Arc::new),
            )),
            Effect::CancelConns => {
                if let Some(cancel) = &self.conns_cancel {
                    cancel.store(true, Ordering::Relaxed);
                }
                None
            }
            _ => None,
        }
    }

    /// A new read replaces (and stops) the one in progress.
    fn cancel_conns_for(&mut self, cancel: &Arc<AtomicBool>) {
        if let Some(previous) = self.conns_cancel.replace(cancel.clone()) {
            previous.store(true, Ordering::Relaxed);
        }
    }
}

/// Asks the keepalived of this network namespace for its state and reads it.
async fn read_keepalived() -> Action {
    let result = Reader::new(None, DEFAULT_TIMEOUT).read().await;
    Action::KeepalivedRead {
        result: Box::new(result),
        at: Instant::now(),
    }
}

/// Writes what the persist pane showed, on the director by its agent (audited there); this
/// console's log records it too, naming the director.
async fn write_persist_there(remote: &Remote, request: setup::persist::WriteRequest) -> Written {
    let dir = request.dir.clone();
    let mut written = remote
        .persist_write(&request.dir, request.files)
        .await
        .unwrap_or_else(|e| Written {
            dir,
            written: Vec::new(),
            error: Some(e),
            audit_problem: None,
        });
    if let Some((log, context)) = &request.audit
        && let Err(e) = setup::persist::record(log, context, &written, Vec::new())
    {
        written.audit_problem = Some(format!("{}: {e}", log.path().display()));
    }
    written
}

/// The task that does the director's work in order. It ends once the executor is dropped and
/// the work queued is done: a change is never cut off halfway through its plan.
fn worker(
    director: Rc<dyn Backend>,
    remote: Option<Rc<Remote>>,
    policy: Rc<Policy>,
    reports: mpsc::UnboundedSender<Action>,
) -> mpsc::UnboundedSender<Effect> {
    let (queue, mut queued) = mpsc::unbounded_channel::<Effect>();
    tokio::task::spawn_local(async move {
        while let Some(effect) = queued.recv().await {
            if let Some(action) = on_director(&*director, remote.as_deref(), &policy, effect).await
                && reports.send(action).is_err()
            {
                return;
            }
        }
    });
    queue
}

/// A change, the doctor or the persist files, on `director` (made by its agent when `remote`).
async fn on_director(
    director: &dyn Backend,
    remote: Option<&Remote>,
    policy: &Policy,
    effect: Effect,
) -> Option<Action> {
    Some(match effect {
        Effect::Apply(change) => Action::Applied(Box::new(execute(director, change, policy).await)),
        Effect::RunDoctor(ask) => Action::DoctorRead(setup::gather::findings(director, &ask).await),
        Effect::PlanPersist(dir) => Action::PersistPlanned(match remote {
            Some(remote) => remote
                .persist_plan(&dir)
                .await
                .map_err(setup::persist::PlanFilesError::Remote),
            None => setup::persist::plan(director, &dir).await,
        }),
        _ => return None,
    })
}

/// One line per read of the connection table: how long, whether cancelled, or why it failed.
fn log_conns(
    id: u64,
    result: &Result<crate::ipvs::conns::ReadSummary, crate::ipvs::conns::ReadError>,
    took: std::time::Duration,
) {
    let took_ms = took.as_millis() as u64;
    match result {
        Ok(o) => tracing::debug!(id, took_ms, cancelled = o.cancelled, "conns read"),
        Err(e) => {
            let sources = crate::logging::sources(e);
            tracing::warn!(id, took_ms, error = %e, ?sources, "conns read failed");
        }
    }
}

#[cfg(test)]
mod tests;
