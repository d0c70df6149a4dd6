//! A backend that records each change it applies in the audit log, against the table as it
//! stood just before that change. A log that cannot be written never stops a change: the first
//! problem is kept for the caller to report (a warning on stderr, a line in the console).

use super::{AuditLog, Context};
use crate::ipvs::model::Snapshot;
use crate::ipvs::{Backend, IpvsOp, Result, table};
use std::cell::RefCell;

pub struct Audited<'a, B> {
    inner: B,
    log: &'a AuditLog,
    context: Context,
    /// The table as it is before the next change: read once, then followed in memory (as
    /// `plan::apply_plan` does), so a restore of many lines does not re-read the kernel each time.
    table: RefCell<Snapshot>,
    problem: RefCell<Option<String>>,
}

impl<'a, B> Audited<'a, B> {
    /// Wraps `inner`, whose table is `before` now.
    pub fn new(inner: B, log: &'a AuditLog, context: Context, before: Snapshot) -> Audited<'a, B> {
        Audited { inner, log, context, table: RefCell::new(before), problem: RefCell::new(None) }
    }

    /// The table as the changes so far left it.
    pub fn table(&self) -> Snapshot {
        self.table.borrow().clone()
    }

    /// The first record that could not be written: `PATH: reason`.
    pub fn problem(&self) -> Option<String> {
        self.problem.borrow().clone()
    }
}

impl<B: Backend> Backend for Audited<'_, B> {
    async fn snapshot(&self) -> Result<Snapshot> {
        self.inner.snapshot().await
    }

    async fn apply(&self, op: &IpvsOp) -> Result<()> {
        let result = self.inner.apply(op).await;
        if let Err(e) = self.log.record(op, &result, &self.table.borrow(), &self.context) {
            self.problem.borrow_mut().get_or_insert_with(|| format!("{}: {e}", self.log.path().display()));
        }
        if result.is_ok() {
            // The kernel accepted it, so the in-memory table does too.
            let _ = table::apply(&mut self.table.borrow_mut(), op);
        }
        result
    }
}
