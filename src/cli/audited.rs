//! A backend that records each change it applies in the audit log. A log that cannot be written
//! never stops a change: the first failure is reported on stderr as a warning.

use crate::ipvs::audit::{AuditLog, Context, Source};
use crate::ipvs::model::Snapshot;
use crate::ipvs::{Backend, IpvsOp, Result, table};
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
