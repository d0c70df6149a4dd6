//! A target for Operations that records each change it applies in the audit log (IPVS changes
//! alone go through `ipvs::audit::Audited`). A log that cannot be written never stops a change:
//! the first failure is reported on stderr as a warning.

use crate::ipvs::audit::{AuditLog, Context, Source};
use crate::operation::{self, Apply, Operation, OperationError, State};
use std::cell::{Cell, RefCell};

/// [`Operation`]s (IPVS or host) applied through `inner`, each one recorded in the audit log
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
