//! A director whose changes (IPVS or host) are recorded in the audit log, against the
//! state as it stood just before each one. A log that cannot be written never stops a change:
//! the first problem is kept for the caller to report (a warning on stderr, a line in the console).

use super::{Operation, OperationError, State, entry, record};
use crate::backend::{Backend, Reply};
use crate::host::{HostError, HostState};
use crate::ipvs::model::{Snapshot, Watched};
use crate::operation::audit::{AuditLog, Context};
use std::cell::RefCell;

pub struct AuditedOps<'a, A> {
    inner: A,
    log: &'a AuditLog,
    context: Context,
    /// The state before the next change: read once, then followed in memory.
    state: RefCell<State>,
    problem: RefCell<Option<String>>,
}

impl<'a, A> AuditedOps<'a, A> {
    /// Wraps `inner`, whose state is `before` now.
    pub fn new(inner: A, log: &'a AuditLog, context: Context, before: State) -> AuditedOps<'a, A> {
        AuditedOps {
            inner,
            log,
            context,
            state: RefCell::new(before),
            problem: RefCell::new(None),
        }
    }

    /// The first record that could not be written: `PATH not written: reason`.
    pub fn problem(&self) -> Option<String> {
        self.problem.borrow().clone()
    }
}

impl<A: Backend> Backend for AuditedOps<'_, A> {
    fn snapshot(&self) -> Reply<'_, crate::ipvs::Result<Snapshot>> {
        self.inner.snapshot()
    }

    fn poll(&self, watched: Watched) -> Reply<'_, crate::ipvs::Result<Snapshot>> {
        self.inner.poll(watched)
    }

    fn host(&self) -> Reply<'_, Result<HostState, HostError>> {
        self.inner.host()
    }

    fn host_links(&self) -> Reply<'_, Result<HostState, HostError>> {
        self.inner.host_links()
    }

    fn apply<'a>(&'a self, op: &'a Operation) -> Reply<'a, Result<(), OperationError>> {
        Box::pin(async move {
            let result = self.inner.apply(op).await;
            if let Err(e) = record(self.log, op, &result, &self.state.borrow(), &self.context) {
                self.problem.borrow_mut().get_or_insert_with(|| {
                    format!("{} not written: {e}", self.log.path().display())
                });
            }
            if result.is_ok() {
                // The system accepted it, so the in-memory copy does too.
                let _ = op.apply_in_memory(&mut self.state.borrow_mut());
            }
            result
        })
    }

    fn apply_batch<'a>(
        &'a self,
        ops: &'a [Operation],
    ) -> Reply<'a, Vec<Result<(), OperationError>>> {
        Box::pin(async move {
            let results = self.inner.apply_batch(ops).await;
            // Each entry against the state just before it: the results are in the order the
            // changes were tried, and only the successful ones moved the state on.
            let mut entries = Vec::with_capacity(results.len());
            let mut state = self.state.borrow_mut();
            let now = jiff::Timestamp::now();
            for (op, result) in ops.iter().zip(&results) {
                entries.push(entry(op, result, &state, &self.context, now));
                if result.is_ok() {
                    let _ = op.apply_in_memory(&mut state);
                }
            }
            if let Err(e) = self.log.append_all(&entries) {
                self.problem.borrow_mut().get_or_insert_with(|| {
                    format!("{} not written: {e}", self.log.path().display())
                });
            }
            results
        })
    }

    fn is_live(&self) -> bool {
        self.inner.is_live()
    }
}
