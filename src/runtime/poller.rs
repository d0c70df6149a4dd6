//! The poller: a local task that takes a snapshot every interval and publishes the latest result
//! on a watch channel, so a slow screen sees only the newest poll (bursts coalesce). Changes go
//! through the same task (see `changes`), so they never overlap a poll, and a poll follows each.

use crate::console::changes::{self, Change, Outcome, Policy};
use crate::host::{HostBackend, HostState};
use crate::ipvs::kernel::KernelBackend;
use crate::ipvs::model::{ServiceKey, Snapshot};
use crate::ipvs::{Backend, Error, IpvsOp, Result};
use crate::runtime::conn_source::ConnSource;
use crate::setup::gather::Ask;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// One poll: the snapshot or why it failed, and when.
#[derive(Debug, Clone)]
pub struct Polled {
    pub result: Result<Snapshot>,
    pub at: Instant,
    /// The host around IPVS, read every `HOST_EVERY` polls and after each change (`None`
    /// between, or when it could not be read: the last one read stays shown).
    pub host: Option<HostState>,
}

/// The host (links, addresses, sysctl files) is read every this many polls: it changes rarely,
/// and reading it costs more than the table.
pub const HOST_EVERY: u32 = 3;

pub struct Poller {
    pub results: watch::Receiver<Option<Polled>>,
    /// What became of each change submitted, in order.
    pub outcomes: mpsc::UnboundedReceiver<Outcome>,
    interval: watch::Sender<Duration>,
    /// The service whose real servers are on screen: the source reads them every poll.
    focus: watch::Sender<Option<ServiceKey>>,
    changes: mpsc::UnboundedSender<Change>,
    /// The doctor's findings, one answer per `run_doctor`.
    pub diagnoses: mpsc::UnboundedReceiver<
        std::result::Result<Vec<crate::setup::doctor::Finding>, crate::setup::gather::GatherError>,
    >,
    doctor: mpsc::UnboundedSender<Ask>,
    /// The persist pane's files, one answer per `plan_persist`.
    pub persist_plans: mpsc::UnboundedReceiver<
        std::result::Result<
            Vec<crate::console::panes::persist::Planned>,
            crate::console::panes::persist::PlanFilesError,
        >,
    >,
    persist: mpsc::UnboundedSender<std::path::PathBuf>,
    task: JoinHandle<()>,
    /// Where the connections pane reads the connections of what this poller polls.
    pub conns: ConnSource,
}

impl Poller {
    /// Starts polling `source` now and then every `interval`; changes are applied to it and to
    /// `host` as `policy` says. Must run inside a `LocalSet`: backends are not `Send`.
    pub fn spawn<S: SnapshotSource + 'static, H: HostBackend + 'static>(
        source: S,
        host: H,
        interval: Duration,
        policy: Policy,
    ) -> Poller {
        let (tx, results) = watch::channel(None);
        let (interval_tx, mut interval_rx) = watch::channel(interval);
        let (focus_tx, focus_rx) = watch::channel(None);
        let (changes_tx, mut changes_rx) = mpsc::unbounded_channel::<Change>();
        let (outcomes_tx, outcomes) = mpsc::unbounded_channel();
        let (doctor_tx, mut doctor_rx) = mpsc::unbounded_channel::<Ask>();
        let (diagnoses_tx, diagnoses) = mpsc::unbounded_channel();
        let (persist_tx, mut persist_rx) = mpsc::unbounded_channel::<std::path::PathBuf>();
        let (plans_tx, persist_plans) = mpsc::unbounded_channel();
        let task = tokio::task::spawn_local(async move {
            let mut polls: u32 = 0;
            let mut changed_host = false;
            loop {
                let focus = *focus_rx.borrow();
                let result = source.poll(focus).await;
                let host_read = if polls.is_multiple_of(HOST_EVERY) || changed_host {
                    host.state().await.ok()
                } else {
                    None
                };
                polls = polls.wrapping_add(1);
                changed_host = false;
                if tx
                    .send(Some(Polled {
                        result,
                        at: Instant::now(),
                        host: host_read,
                    }))
                    .is_err()
                {
                    return;
                }
                let wait = *interval_rx.borrow_and_update();
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    // A new interval takes effect at once, with a fresh poll.
                    changed = interval_rx.changed() => if changed.is_err() { return },
                    // After a change, poll at once: the view shows what the kernel holds now.
                    change = changes_rx.recv() => {
                        let Some(change) = change else { return };
                        changed_host = change.ops.iter().any(|op| matches!(op, crate::operation::Operation::Host(_)));
                        let outcome = changes::execute(&source, &host, change, &policy).await;
                        if outcomes_tx.send(outcome).is_err() {
                            return;
                        }
                    }
                    // The doctor reads the same table and host (and probes the real servers).
                    Some(ask) = doctor_rx.recv() => {
                        let findings = crate::console::panes::doctor::run(&source, &host, &ask).await;
                        if diagnoses_tx.send(findings).is_err() {
                            return;
                        }
                    }
                    // The persist pane's files are rendered from the same table and host.
                    Some(dir) = persist_rx.recv() => {
                        if plans_tx.send(crate::console::panes::persist::plan(&source, &host, dir).await).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Poller {
            results,
            outcomes,
            interval: interval_tx,
            focus: focus_tx,
            changes: changes_tx,
            diagnoses,
            doctor: doctor_tx,
            persist_plans,
            persist: persist_tx,
            task,
            conns: ConnSource::default(),
        }
    }

    /// Reads connections from `conns` instead of this host's /proc/net/ip_vs_conn.
    pub fn with_conns(mut self, conns: ConnSource) -> Poller {
        self.conns = conns;
        self
    }

    pub fn set_interval(&self, interval: Duration) {
        let _ = self.interval.send(interval);
    }

    /// Says which service's real servers are on screen (None: only the services table).
    pub fn set_focus(&self, focus: Option<ServiceKey>) {
        self.focus
            .send_if_modified(|f| std::mem::replace(f, focus) != focus);
    }

    /// Asks for the doctor's findings, told `ask`; they arrive on `diagnoses`.
    pub fn run_doctor(&self, ask: Ask) {
        let _ = self.doctor.send(ask);
    }

    /// Asks for the persist pane's files in `dir`; they arrive on `persist_plans`.
    pub fn plan_persist(&self, dir: std::path::PathBuf) {
        let _ = self.persist.send(dir);
    }

    /// Queues a change; its outcome arrives on `outcomes`.
    pub fn submit(&self, change: Change) {
        let _ = self.changes.send(change);
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the poller reads: any backend, or the kernel with reconnection.
#[allow(async_fn_in_trait)]
pub trait SnapshotSource {
    /// The whole table as it is now (before a change, for the doctor).
    async fn read(&self) -> Result<Snapshot>;
    async fn apply(&self, op: &IpvsOp) -> Result<()>;
    /// The table for the next screen, equal to `read`'s; a source may read less for it, knowing
    /// what it read before and which service's real servers are on screen (`focus`).
    async fn poll(&self, _focus: Option<ServiceKey>) -> Result<Snapshot> {
        self.read().await
    }
}

impl<B: Backend> SnapshotSource for B {
    async fn read(&self) -> Result<Snapshot> {
        self.snapshot().await
    }

    async fn apply(&self, op: &IpvsOp) -> Result<()> {
        Backend::apply(self, op).await
    }
}

/// After IPVS was found missing, how long before trying again (each try runs modprobe).
pub use crate::ipvs::kernel::RECONNECT_EVERY;
// moved: Duration = Duration::from_secs(30);

/// This host's IPVS, connecting (again) whenever it is not connected: the console starts even
/// when IPVS is unreachable and picks it up once the module is loaded.
#[derive(Default)]
pub struct Kernel {
    backend: RefCell<Option<Rc<KernelBackend>>>,
    /// The last failed connection, repeated until RECONNECT_EVERY has passed.
    failed: RefCell<Option<(Instant, Error)>>,
}

impl Kernel {
    /// Starts from a connection attempt already made (the console's start-up probe): connected,
    /// or failed just now, so that the first poll does not try (and run modprobe) again.
    pub fn after(attempt: Result<KernelBackend>) -> Kernel {
        match attempt {
            Ok(b) => Kernel {
                backend: RefCell::new(Some(Rc::new(b))),
                failed: RefCell::new(None),
            },
            Err(e) => Kernel {
                backend: RefCell::new(None),
                failed: RefCell::new(Some((Instant::now(), e))),
            },
        }
    }
}

impl SnapshotSource for Kernel {
    async fn apply(&self, op: &IpvsOp) -> Result<()> {
        let connected = self.backend.borrow().clone();
        match connected {
            Some(backend) => Backend::apply(&*backend, op).await,
            None => Err(self
                .failed
                .borrow()
                .as_ref()
                .map(|(_, e)| e.clone())
                .unwrap_or_else(|| Error::Unavailable("not connected".into()))),
        }
    }

    async fn read(&self) -> Result<Snapshot> {
        let backend = self.connected().await?;
        self.forget_if_gone(backend.snapshot().await)
    }

    async fn poll(&self, focus: Option<ServiceKey>) -> Result<Snapshot> {
        let backend = self.connected().await?;
        self.forget_if_gone(backend.poll(focus).await)
    }
}

impl Kernel {
    /// The backend, connecting (again) if it is not connected and RECONNECT_EVERY has passed.
    async fn connected(&self) -> Result<Rc<KernelBackend>> {
        let connected = self.backend.borrow().clone();
        let backend = match connected {
            Some(b) => b,
            None => {
                if let Some((at, error)) = self.failed.borrow().as_ref()
                    && at.elapsed() < RECONNECT_EVERY
                {
                    return Err(error.clone());
                }
                match KernelBackend::connect().await {
                    Ok(b) => {
                        let b = Rc::new(b);
                        *self.backend.borrow_mut() = Some(b.clone());
                        *self.failed.borrow_mut() = None;
                        b
                    }
                    Err(e) => {
                        *self.failed.borrow_mut() = Some((Instant::now(), e.clone()));
                        return Err(e);
                    }
                }
            }
        };
        Ok(backend)
    }

    fn forget_if_gone(&self, result: Result<Snapshot>) -> Result<Snapshot> {
        if matches!(result, Err(Error::Unavailable(_))) {
            // The family is gone (ip_vs unloaded): start over next time.
            *self.backend.borrow_mut() = None;
        }
        result
    }
}
