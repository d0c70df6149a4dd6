//! A remote director that comes back: the agent's link (`remote::Remote`) is opened on first
//! use and opened again after it was lost, so that a director whose SSH dropped is polled
//! (with the poller's backoff) until its agent answers again. The console's other directors
//! are not held up: each has its own poller and executor.

use crate::backend::{Backend, Reply};
use crate::host::{HostError, HostState};
use crate::ipvs::conns::ConnTable;
use crate::ipvs::model::{Snapshot, Watched};
use crate::ipvs::{Error, Result};
use crate::operation::{Operation, OperationError};
use crate::owners::keepalived::reader::{KeepalivedState, ReadError};
use crate::remote::protocol::{CONNS_WITHIN, ConnsQuery};
use crate::remote::{DirectorSpec, Remote, connect};
use crate::setup::persist::{OnDisk, PersistFile, WriteRequest, Written};
use std::cell::RefCell;
use std::rc::Rc;

pub struct Redial {
    spec: DirectorSpec,
    remote: RefCell<Option<Rc<Remote>>>,
}

impl Redial {
    /// A director reached through `remote` (already greeted), opened again from `spec` once lost.
    pub fn new(spec: DirectorSpec, remote: Option<Rc<Remote>>) -> Redial {
        Redial {
            spec,
            remote: RefCell::new(remote),
        }
    }

    /// The link, opened now if there is none.
    async fn link(&self) -> Result<Rc<Remote>> {
        let open = self.remote.borrow().clone();
        if let Some(remote) = open {
            return Ok(remote);
        }
        match connect(&self.spec).await {
            Ok(remote) => {
                tracing::info!(director = %self.spec.name, "agent link opened");
                *self.remote.borrow_mut() = Some(remote.clone());
                Ok(remote)
            }
            // It names the director itself.
            Err(e) => Err(Error::Unreachable(e.to_string())),
        }
    }

    /// What keepalived says on the director, or why it could not be asked.
    pub async fn keepalived(&self) -> std::result::Result<KeepalivedState, ReadError> {
        let remote = self
            .link()
            .await
            .map_err(|e| ReadError::Unreachable(e.to_string()))?;
        match self.lost(remote.keepalived(None).await) {
            Ok(read) => read,
            Err(e) => Err(ReadError::Unreachable(e.to_string())),
        }
    }

    /// The connection table, counted on the director: a scope only to an agent that knows it
    /// (an older one would count every service).
    pub async fn conns(&self, query: ConnsQuery) -> std::result::Result<ConnTable, String> {
        let remote = self.link().await.map_err(|e| e.to_string())?;
        let hello = remote.hello();
        if !query.within.is_empty() && !hello.capabilities.iter().any(|c| c == CONNS_WITHIN) {
            return Err(format!(
                "its agent ({}) cannot count one service's connections: `a` counts every \
                 service; install ipvs-tui {} there for this",
                hello.program,
                env!("CARGO_PKG_VERSION")
            ));
        }
        remote.conns(query).await
    }

    /// The files `persist` would write under `dir` on the director, made by its agent.
    pub async fn persist_plan(
        &self,
        dir: &std::path::Path,
    ) -> std::result::Result<Vec<(PersistFile, OnDisk)>, String> {
        let remote = self.link().await.map_err(|e| e.to_string())?;
        remote.persist_plan(dir).await
    }

    /// Writes what `persist_plan` showed, on the director, audited there.
    pub async fn persist_write(&self, request: WriteRequest) -> Written {
        let dir = request.dir.clone();
        let result = match self.link().await {
            Ok(remote) => remote.persist_write(&request.dir, request.files).await,
            Err(e) => Err(e.to_string()),
        };
        let mut written = result.unwrap_or_else(|e| Written {
            dir,
            written: Vec::new(),
            error: Some(e),
            audit_problem: None,
        });
        // This console's log records it too, naming the director.
        if let Some((log, context)) = &request.audit
            && let Err(e) = crate::setup::persist::record(log, context, &written, Vec::new())
        {
            written.audit_problem = Some(format!("{}: {e}", log.path().display()));
        }
        written
    }

    /// After a failure that says the link is gone, the next call opens a new one (rather than
    /// `Remote`'s own restart: each failed attempt then says its own reason, at the poller's
    /// backoff).
    fn lost<T>(&self, result: Result<T>) -> Result<T> {
        if let Err(Error::Unreachable(_) | Error::Unknown(_)) = &result {
            self.remote.borrow_mut().take();
        }
        result
    }

    fn lost_op(
        &self,
        result: std::result::Result<(), OperationError>,
    ) -> std::result::Result<(), OperationError> {
        if let Err(OperationError::Ipvs(Error::Unreachable(_) | Error::Unknown(_))) = &result {
            self.remote.borrow_mut().take();
        }
        result
    }
}

impl Backend for Redial {
    fn snapshot(&self) -> Reply<'_, Result<Snapshot>> {
        Box::pin(async move {
            let remote = self.link().await?;
            self.lost(remote.snapshot().await)
        })
    }

    fn poll(&self, watched: Watched) -> Reply<'_, Result<Snapshot>> {
        Box::pin(async move {
            let remote = self.link().await?;
            self.lost(remote.poll(watched).await)
        })
    }

    fn host(&self) -> Reply<'_, std::result::Result<HostState, HostError>> {
        Box::pin(async move {
            let remote = self
                .link()
                .await
                .map_err(|e| HostError::Kernel(e.to_string()))?;
            remote.host().await
        })
    }

    fn apply<'a>(
        &'a self,
        op: &'a Operation,
    ) -> Reply<'a, std::result::Result<(), OperationError>> {
        Box::pin(async move {
            let remote = self.link().await?;
            self.lost_op(remote.apply(op).await)
        })
    }

    fn apply_batch<'a>(
        &'a self,
        ops: &'a [Operation],
    ) -> Reply<'a, Vec<std::result::Result<(), OperationError>>> {
        Box::pin(async move {
            let remote = match self.link().await {
                Ok(r) => r,
                Err(e) => return vec![Err(e.into())],
            };
            let results = remote.apply_batch(ops).await;
            if let Some(last) = results.last() {
                let _ = self.lost_op(last.clone());
            }
            results
        })
    }

    /// Not this machine: the doctor's real-server probes and firewall check from here would
    /// say nothing of the director (as `Remote`).
    fn is_live(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_director_elsewhere_is_not_this_host() {
        let spec = DirectorSpec::of("exec:false".parse().unwrap());
        assert!(!Redial::new(spec, None).is_live());
    }
}
