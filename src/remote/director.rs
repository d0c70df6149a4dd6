//! [`Remote`]: a director reached through its agent, as a [`Backend`] like any other. Reads that
//! cannot reach it fail as unreachable; a change whose link drops in flight fails as UNKNOWN
//! (never as done or as undone), so that the caller reads the table again before saying more.
//! A link that has ended, or never opened (a director of a fleet down at start-up), is started
//! again by the next call, at most every `RECONNECT_EVERY`.

use super::client::{ConnectError, Link, Lost};
use super::protocol::{
    AgentHello, Body, CONNS_WITHIN, ConnsQuery, MAX_REQUEST, PollAnswer, Request,
};
use super::target::DirectorSpec;
use crate::backend::{Backend, Reply};
use crate::host::{HostError, HostState};
use crate::ipvs::conns::ConnTable;
use crate::ipvs::model::{Snapshot, Watched};
use crate::ipvs::{Error, Result};
use crate::operation::{Operation, OperationError};
use crate::owners::keepalived::reader::{KeepalivedState, ReadError};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The most changes sent in one request: a rules file of 60,000 lines goes in pieces, each well
/// under the agent's line limit, and a failure stops the rest as in a local batch.
const BATCH_OPS: usize = 2_000;

/// How many of `ops` (at least one) one request carries: up to `BATCH_OPS`, as many as fill
/// half a request line (the rest of the line is ample for the request around them).
fn fitting(ops: &[Operation]) -> usize {
    let mut size = 0;
    for (n, op) in ops.iter().take(BATCH_OPS).enumerate() {
        // A comma or bracket each; one that cannot be encoded goes alone, to fail as itself.
        size += serde_json::to_vec(op).map_or(MAX_REQUEST, |v| v.len()) + 1;
        if size > MAX_REQUEST / 2 {
            return n.max(1);
        }
    }
    ops.len().clamp(1, BATCH_OPS)
}

/// A connection error in words, without the director's name it starts with.
fn without_name(name: &str, e: &ConnectError) -> String {
    let e = e.to_string();
    e.strip_prefix(&format!("{name}: "))
        .map_or_else(|| e.clone(), str::to_string)
}

/// How often a director whose link ended is tried again (each call in between fails at once).
pub const RECONNECT_EVERY: Duration = Duration::from_secs(3);

pub struct Remote {
    spec: DirectorSpec,
    /// None until a link first opens.
    link: RefCell<Option<Rc<Link>>>,
    /// Held while starting the link again, so that overlapping calls start one.
    connecting: tokio::sync::Mutex<()>,
    /// The last attempt to start it again, and why it failed.
    retried: RefCell<Option<(Instant, String)>>,
    /// The last table a poll returned, with its generation: the base of the next delta.
    polled: RefCell<Option<(u64, Snapshot)>>,
    /// One poll at a time: each delta builds on the one before.
    polling: tokio::sync::Mutex<()>,
}

/// Starts `spec`'s agent and greets it. The result is a `Backend` (`Rc<Remote>` coerces to
/// `Rc<dyn Backend>`); [`Remote::hello`] says which host it is and whether it is read-only.
pub async fn connect(spec: &DirectorSpec) -> std::result::Result<Rc<Remote>, ConnectError> {
    let link = Link::open(spec).await?;
    Ok(Remote::new(spec, Some(Rc::new(link)), None))
}

impl Remote {
    fn new(spec: &DirectorSpec, link: Option<Rc<Link>>, failed: Option<String>) -> Rc<Remote> {
        Rc::new(Remote {
            spec: spec.clone(),
            link: RefCell::new(link),
            connecting: tokio::sync::Mutex::new(()),
            retried: RefCell::new(failed.map(|why| (Instant::now(), why))),
            polled: RefCell::new(None),
            polling: tokio::sync::Mutex::new(()),
        })
    }

    /// A director whose link the first call opens.
    pub fn unopened(spec: &DirectorSpec) -> Rc<Remote> {
        Remote::new(spec, None, None)
    }

    /// A director `connect` could not reach (`failed`): calls fail with that reason, and open
    /// the link once `RECONNECT_EVERY` has passed, as for a link that ended.
    pub fn unreached(spec: &DirectorSpec, failed: &ConnectError) -> Rc<Remote> {
        Remote::new(spec, None, Some(without_name(&spec.name, failed)))
    }

    /// What the agent said of itself (the latest, after a reconnection): host name, IPVS
    /// version, read-only, capabilities. None before a link first opened.
    pub fn hello(&self) -> Option<AgentHello> {
        self.link.borrow().as_ref().map(|link| link.hello().clone())
    }

    /// The director's host name, as its agent gave it; its name until a link opened.
    pub fn host_name(&self) -> String {
        self.hello()
            .map_or_else(|| self.name().to_string(), |h| h.host)
    }

    /// The director's name (from config.toml, else its target).
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Sends `req` on the link, started again first if it has ended.
    async fn call(&self, req: Request) -> std::result::Result<Body, Lost> {
        self.current().await?.call(req).await
    }

    /// The link if it is open.
    fn open_link(&self) -> Option<Rc<Link>> {
        self.link
            .borrow()
            .as_ref()
            .filter(|link| link.closed().is_none())
            .cloned()
    }

    /// The link, or why there is none now.
    async fn current(&self) -> std::result::Result<Rc<Link>, Lost> {
        if let Some(link) = self.open_link() {
            return Ok(link);
        }
        let _one = self.connecting.lock().await;
        if let Some(link) = self.open_link() {
            return Ok(link);
        }
        if let Some((at, failed)) = self.retried.borrow().as_ref()
            && at.elapsed() < RECONNECT_EVERY
        {
            return Err(Lost::Before(failed.clone()));
        }
        match Link::open(&self.spec).await {
            Ok(new) => {
                let new = Rc::new(new);
                *self.link.borrow_mut() = Some(new.clone());
                *self.retried.borrow_mut() = None;
                // The new agent knows no generation of ours.
                *self.polled.borrow_mut() = None;
                tracing::info!(director = %self.name(), "agent link opened");
                Ok(new)
            }
            // Its own reason: why the last link ended went to the calls that saw it end.
            Err(e) => {
                let failed = without_name(self.name(), &e);
                *self.retried.borrow_mut() = Some((Instant::now(), failed.clone()));
                Err(Lost::Before(failed))
            }
        }
    }

    /// The hello of the link, opened now if it must be; why not in words.
    pub(super) async fn link_hello(&self) -> std::result::Result<AgentHello, String> {
        match self.current().await {
            Ok(link) => Ok(link.hello().clone()),
            Err(lost) => Err(self.unreachable(lost).to_string()),
        }
    }

    fn unreachable(&self, lost: Lost) -> Error {
        match lost {
            Lost::Before(why) | Lost::InFlight(why) => {
                Error::Unreachable(format!("{} is unreachable: {why}", self.name()))
            }
            Lost::Unsendable(why) => {
                Error::Refused(format!("{}: cannot send the request: {why}", self.name()))
            }
        }
    }

    /// `req` answered, or why not in words (a change whose link dropped in flight: unknown).
    pub(super) async fn request(&self, req: Request) -> std::result::Result<Body, String> {
        let changes = req.changes();
        self.call(req).await.map_err(|lost| match changes {
            true => self.change_lost(lost).to_string(),
            false => self.unreachable(lost).to_string(),
        })
    }

    pub(super) fn unexpected(&self, body: &Body) -> Error {
        match body {
            Body::Error(e) => Error::Decode(format!("{}: the agent says {e}", self.name())),
            other => Error::Decode(format!(
                "{}: the agent answered with {}",
                self.name(),
                serde_json::to_value(other)
                    .ok()
                    .and_then(|v| v.as_object().and_then(|o| o.keys().next().cloned()))
                    .unwrap_or_default()
            )),
        }
    }

    /// A change's failure when no reply came.
    fn change_lost(&self, lost: Lost) -> OperationError {
        match lost {
            Lost::Before(_) | Lost::Unsendable(_) => self.unreachable(lost).into(),
            Lost::InFlight(why) => Error::Unknown(format!(
                "the link to {} dropped with the change in flight ({why})",
                self.name()
            ))
            .into(),
        }
    }

    /// The connection table, counted on the director: a scope only to an agent that knows it
    /// (an older one would count every service).
    pub async fn conns(&self, query: ConnsQuery) -> std::result::Result<ConnTable, String> {
        let hello = self.link_hello().await?;
        if !query.within.is_empty() && !hello.capabilities.iter().any(|c| c == CONNS_WITHIN) {
            return Err(format!(
                "its agent ({}) cannot count one service's connections: `a` counts every \
                 service; install ipvs-tui {} there for this",
                hello.program,
                env!("CARGO_PKG_VERSION")
            ));
        }
        match self.call(Request::Conns(query)).await {
            Ok(Body::Conns(Ok(answer))) => super::conns::from_wire(answer).ok_or_else(|| {
                format!(
                    "{}: the agent's connection counts do not hold together",
                    self.name()
                )
            }),
            Ok(Body::Conns(Err(e))) => Err(e),
            Ok(other) => Err(self.unexpected(&other).to_string()),
            Err(lost) => Err(self.unreachable(lost).to_string()),
        }
    }

    /// What keepalived says on the director.
    pub async fn keepalived(
        &self,
        pid: Option<i32>,
    ) -> std::result::Result<std::result::Result<KeepalivedState, ReadError>, Error> {
        match self.call(Request::Keepalived { pid }).await {
            Ok(Body::Keepalived(r)) => Ok(r),
            Ok(other) => Err(self.unexpected(&other)),
            Err(lost) => Err(self.unreachable(lost)),
        }
    }

    async fn poll_once(&self, watched: &Watched, since: Option<u64>) -> Result<PollAnswer> {
        let watched = watched.clone();
        match self.call(Request::Poll { watched, since }).await {
            Ok(Body::Poll(r)) => r,
            Ok(other) => Err(self.unexpected(&other)),
            Err(lost) => Err(self.unreachable(lost)),
        }
    }
}

impl Backend for Remote {
    fn snapshot(&self) -> Reply<'_, Result<Snapshot>> {
        Box::pin(async move {
            match self.call(Request::Snapshot).await {
                Ok(Body::Snapshot(r)) => r,
                Ok(other) => Err(self.unexpected(&other)),
                Err(lost) => Err(self.unreachable(lost)),
            }
        })
    }

    fn poll(&self, watched: Watched) -> Reply<'_, Result<Snapshot>> {
        Box::pin(async move {
            let _one = self.polling.lock().await;
            let since = self.polled.borrow().as_ref().map(|(g, _)| *g);
            let mut answer = self.poll_once(&watched, since).await?;
            let table = loop {
                if let Some(full) = answer.full.take() {
                    break full;
                }
                let moved = match (answer.delta.take(), self.polled.borrow().as_ref()) {
                    (Some(delta), Some((base, old))) if delta.base == *base => delta.apply(old),
                    _ => None,
                };
                match moved {
                    Some(table) => break table,
                    // A delta on another base: ask for the whole table.
                    None => answer = self.poll_once(&watched, None).await?,
                }
            };
            *self.polled.borrow_mut() = Some((answer.generation, table.clone()));
            Ok(table)
        })
    }

    fn host(&self) -> Reply<'_, std::result::Result<HostState, HostError>> {
        Box::pin(async move {
            match self.call(Request::Host).await {
                Ok(Body::Host(r)) => r,
                Ok(other) => Err(HostError::Kernel(self.unexpected(&other).to_string())),
                Err(lost) => Err(HostError::Kernel(self.unreachable(lost).to_string())),
            }
        })
    }

    fn apply<'a>(
        &'a self,
        op: &'a Operation,
    ) -> Reply<'a, std::result::Result<(), OperationError>> {
        Box::pin(async move {
            match self.call(Request::Apply { op: op.clone() }).await {
                Ok(Body::Applied(r)) => r,
                // The agent did not take it as a change: nothing was applied.
                Ok(Body::Error(e)) => Err(Error::Refused(format!("{}: {e}", self.name())).into()),
                Ok(other) => Err(Error::Unknown(self.unexpected(&other).to_string()).into()),
                Err(lost) => Err(self.change_lost(lost)),
            }
        })
    }

    fn apply_batch<'a>(
        &'a self,
        ops: &'a [Operation],
    ) -> Reply<'a, Vec<std::result::Result<(), OperationError>>> {
        Box::pin(async move {
            if ops.is_empty() {
                return Vec::new();
            }
            // What fits in one request line; the caller sends the rest after these.
            let ops = &ops[..fitting(ops)];
            let req = Request::ApplyBatch { ops: ops.to_vec() };
            match self.call(req).await {
                Ok(Body::Batch(results)) if results.len() <= ops.len() => results,
                Ok(Body::Error(e)) => {
                    vec![Err(Error::Refused(format!("{}: {e}", self.name())).into())]
                }
                Ok(other) => vec![Err(
                    Error::Unknown(self.unexpected(&other).to_string()).into()
                )],
                Err(lost) => vec![Err(self.change_lost(lost))],
            }
        })
    }

    /// Not this machine: what this one reaches (real servers, its firewall) says nothing of it.
    fn is_live(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add_service(scheduler_len: usize) -> Operation {
        let key = crate::ipvs::model::ServiceKey::Addr {
            protocol: crate::ipvs::model::Protocol::Tcp,
            addr: "192.0.2.1".parse().unwrap(),
            port: 80,
        };
        let mut config = crate::ipvs::model::ServiceConfig::new(key);
        config.scheduler = "x".repeat(scheduler_len);
        crate::ipvs::IpvsOp::AddService(config).into()
    }

    #[test]
    fn a_batch_takes_as_many_changes_as_fill_half_a_request_line() {
        let small = vec![add_service(3); BATCH_OPS * 2];
        assert_eq!(fitting(&small), BATCH_OPS);
        assert_eq!(fitting(&small[..7]), 7);
        // About 1 KB each: the line's half holds fewer than BATCH_OPS of them.
        let large = vec![add_service(1000); BATCH_OPS];
        let each = serde_json::to_vec(&large[0]).unwrap().len() + 1;
        let n = fitting(&large);
        assert!(n < BATCH_OPS);
        assert!(n * each <= MAX_REQUEST / 2 && (n + 1) * each > MAX_REQUEST / 2);
        // One over half a line goes alone.
        let huge = vec![add_service(MAX_REQUEST); 3];
        assert_eq!(fitting(&huge), 1);
    }

    #[test]
    fn a_director_elsewhere_is_not_this_host() {
        let spec = DirectorSpec::of("exec:false".parse().unwrap());
        let failed = ConnectError::Timeout {
            name: spec.name.clone(),
        };
        assert!(!Remote::unreached(&spec, &failed).is_live());
    }
}
