//! Backends that record each change they apply in the audit log. A log that cannot be written
//! never stops a change: the first failure is reported on stderr as a warning.

use crate::ipvs::audit::{AuditLog, Context, Source};
use crate::ipvs::model::Snapshot;
use crate::ipvs::{Backend, IpvsOp, Result, table};
use crate::operation::{self, Apply, Operation, OperationError, State};
use std::cell::{Cell, RefCell};

pub struct Audited<B> {
    inner: B,
    log: AuditLog,
    context: Context,
    /// The table as it is before the next change: read once, then followed in memory (as
    /// `plan::apply_plan` does), so a restore of many lines does not re-read the kernel each time.
    table: RefCell<Snapshot>,
    warned: Cell<bool>,
}

impl<B: Backend> Audited<B> {
    /// Wraps `inner`, reading its table once for the state before the first change.
    pub async fn new(inner: B, log: AuditLog) -> Result<Audited<B>> {
        let table = RefCell::new(inner.snapshot().await?);
        Ok(Audited { inner, log, context: Context::current(Source::Cli), table, warned: Cell::new(false) })
    }

    /// The table as read before the first change.
    pub fn table(&self) -> Snapshot {
        self.table.borrow().clone()
    }
}

impl<B: Backend> Backend for Audited<B> {
    async fn snapshot(&self) -> Result<Snapshot> {
        self.inner.snapshot().await
    }

    async fn apply(&self, op: &IpvsOp) -> Result<()> {
        let result = self.inner.apply(op).await;
        let written = self.log.record(op, &result, &self.table.borrow(), &self.context);
        if let Err(e) = written
            && !self.warned.replace(true)
        {
            eprintln!("ipvs-tui: warning: audit log {} not written: {e}", self.log.path().display());
        }
        if result.is_ok() {
            // The kernel accepted it, so the in-memory table does too.
            let _ = table::apply(&mut self.table.borrow_mut(), op);
        }
        result
    }
}

/// The same for [`Operation`]s (IPVS or host): each change applied through `inner` is recorded
/// with the state it replaced, followed in memory from one read.
pub struct AuditedOps<A> {
    inner: A,
    log: AuditLog,
    context: Context,
    state: RefCell<State>,
    warned: Cell<bool>,
}

impl<A: Apply> AuditedOps<A> {
    /// Wraps `inner`, whose state is `before` (freshly read).
    pub fn new(inner: A, log: AuditLog, before: State) -> AuditedOps<A> {
        AuditedOps { inner, log, context: Context::current(Source::Cli), state: RefCell::new(before), warned: Cell::new(false) }
    }
}

impl<A: Apply> Apply for AuditedOps<A> {
    async fn apply(&self, op: &Operation) -> std::result::Result<(), OperationError> {
        let result = self.inner.apply(op).await;
        let written = operation::record(&self.log, op, &result, &self.state.borrow(), &self.context);
        if let Err(e) = written
            && !self.warned.replace(true)
        {
            eprintln!("ipvs-tui: warning: audit log {} not written: {e}", self.log.path().display());
        }
        if result.is_ok() {
            let _ = op.apply_in_memory(&mut self.state.borrow_mut());
        }
        result
    }
}
