//! The executor: carries out the effects of `update` that do work on a director or the disk
//! (apply a change, run the doctor, plan and write the persist files, read the audit log, read
//! connections) and reports each with the `Action` that `update` takes back. The event loop and
//! the tests use it alike; what belongs to the loop (quit, interval, clear, suspend, the demo)
//! stays there.

use crate::backend::Backend;
use crate::console::action::{Action, Effect};
use crate::console::changes::Policy;
use crate::operation::audit::read_last;
use crate::runtime::conn_source::ConnSource;
use crate::setup;
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

    /// The director this executor works on.
    pub fn director(&self) -> &Rc<dyn Backend> {
        &self.director
    }

    /// True for the effects the executor carries out; the others are the event loop's.
    pub fn handles(effect: &Effect) -> bool {
        match effect {
            Effect::Apply(_)
            | Effect::RunDoctor(_)
            | Effect::PlanPersist(_)
            | Effect::WritePersist(_)
            | Effect::ReadAudit(_)
            | Effect::ReadConns(_)
            | Effect::CancelConns => true,
            Effect::Quit
            | Effect::SetInterval(_)
            | Effect::ClearScreen
            | Effect::StartDemo
            | Effect::Suspend => false,
        }
    }

    /// Starts `effect` in the background (inside a `LocalSet`); the action reporting it comes
    /// from `next`. Quick work (the end of the audit log) is answered at once instead.
    pub fn start(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            // The director's work, in the order asked: a change is re-read, checked and applied
            // before the next one looks at the table, and the doctor sees the change before it.
            Effect::Apply(_) | Effect::RunDoctor(_) | Effect::PlanPersist(_) => {
                let queue = self.queue.get_or_insert_with(|| {
                    worker(
                        self.director.clone(),
                        self.policy.clone(),
                        self.reports.clone(),
                    )
                });
                let _ = queue.send(effect);
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
                tokio::spawn(async move {
                    let started = Instant::now();
                    let result = read.await;
                    let _ = reports.send(Action::ConnsRead {
                        id,
                        result: result.map(Box::new),
                        took: started.elapsed(),
                        at: Instant::now(),
                    });
                });
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
                Some(on_director(&*self.director, &self.policy, effect).await?)
            }
            Effect::WritePersist(request) => {
                Some(Action::PersistWritten(setup::persist::write(request)))
            }
            Effect::ReadConns(req) => {
                self.cancel_conns_for(&req.cancel);
                let started = Instant::now();
                let result = self.conns.read(&req).await;
                Some(Action::ConnsRead {
                    id: req.id,
                    result: result.map(Box::new),
                    took: started.elapsed(),
                    at: Instant::now(),
                })
            }
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

/// The task that does the director's work in order. It ends once the executor is dropped and
/// the work queued is done: a change is never cut off halfway through its plan.
fn worker(
    director: Rc<dyn Backend>,
    policy: Rc<Policy>,
    reports: mpsc::UnboundedSender<Action>,
) -> mpsc::UnboundedSender<Effect> {
    let (queue, mut queued) = mpsc::unbounded_channel::<Effect>();
    tokio::task::spawn_local(async move {
        while let Some(effect) = queued.recv().await {
            if let Some(action) = on_director(&*director, &policy, effect).await
                && reports.send(action).is_err()
            {
                return;
            }
        }
    });
    queue
}

/// A change, the doctor or the persist files, on `director`.
async fn on_director(director: &dyn Backend, policy: &Policy, effect: Effect) -> Option<Action> {
    Some(match effect {
        Effect::Apply(change) => Action::Applied(Box::new(execute(director, change, policy).await)),
        Effect::RunDoctor(ask) => Action::DoctorRead(setup::gather::findings(director, &ask).await),
        Effect::PlanPersist(dir) => {
            Action::PersistPlanned(setup::persist::plan(director, &dir).await)
        }
        _ => return None,
    })
}
