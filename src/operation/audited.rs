//! Operations (IPVS or host) applied through a target and recorded in the audit log, against the
//! state as it stood just before each one. A log that cannot be written never stops a change:
//! the first problem is kept for the caller to report (a warning on stderr, a line in the console).

use super::{Apply, Operation, OperationError, State, record};
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

impl<A: Apply> Apply for AuditedOps<'_, A> {
    async fn apply(&self, op: &Operation) -> Result<(), OperationError> {
        let result = self.inner.apply(op).await;
        if let Err(e) = record(self.log, op, &result, &self.state.borrow(), &self.context) {
            self.problem
                .borrow_mut()
                .get_or_insert_with(|| format!("{} not written: {e}", self.log.path().display()));
        }
        if result.is_ok() {
            // The system accepted it, so the in-memory copy does too.
            let _ = op.apply_in_memory(&mut self.state.borrow_mut());
        }
        result
    }
}
