//! A change the operator asked for, as plain data: its operations, who asked, what the operator
//! saw; and what became of it. The runtime's executor applies it (re-read, stale check, all or
//! nothing, audit: see `runtime::executor`) and reports the `ChangeOutcome` back to `update`.

use crate::console::stale::{Expected, Stale};
use crate::ipvs::Error;
use crate::operation::audit::{AuditLog, Context};
use crate::operation::{Operation, PlanFailure, State};

/// Who asked, so that the outcome goes back to the right place (a form keeps its text on failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Form,
    /// A confirmation dialog or a single key (weight step, zero).
    Key,
    Undo,
    Drain,
    /// The setup wizard's plan, applied as one change.
    Wizard,
}

/// One change: the operations, applied all or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: u64,
    pub origin: Origin,
    pub ops: Vec<Operation>,
    /// The object as the operator saw it; the change is refused if the table holds something else.
    pub expect: Option<Expected>,
    /// For an undo: the commands it undoes (audited with it).
    pub undo_of: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Failure {
    /// The object changed or vanished since the operator looked at it: nothing was applied.
    Stale(Stale),
    /// Nothing was applied: read-only mode, or the table could not be read first.
    Refused(Error),
    /// A step failed; what was applied before it was undone (unless `rollback_errors` says otherwise).
    Failed(PlanFailure),
}

impl Failure {
    /// In words, for the form or the flash line.
    pub fn message(&self, ops: &[Operation]) -> String {
        match self {
            Failure::Stale(s) => s.message.clone(),
            Failure::Refused(e) => e.to_string(),
            Failure::Failed(f) => {
                let mut text = f.error.to_string();
                if ops.len() > 1 {
                    let step = ops
                        .get(f.step)
                        .map(Operation::to_command)
                        .unwrap_or_default();
                    text = format!(
                        "step {} of {} ({step}) failed: {text}",
                        f.step + 1,
                        ops.len()
                    );
                    if f.step > 0 && f.rollback_errors.is_empty() {
                        text.push_str("; the steps before it were undone");
                    }
                }
                for (op, e) in &f.rollback_errors {
                    text.push_str(&format!(
                        "; undoing `{}` failed too: {e}: the table is NOT as it was",
                        op.to_command()
                    ));
                }
                text
            }
        }
    }
}

/// What became of a change.
#[derive(Debug, Clone)]
pub struct ChangeOutcome {
    pub change: Change,
    /// The table and the host just before the change (None when they could not be read).
    pub before: Option<State>,
    pub result: std::result::Result<(), Failure>,
    /// The audit log could not be written: the change stands, the operator must know.
    pub audit_problem: Option<String>,
}

/// How changes are handled: refused in read-only mode, recorded in the audit log if there is one
/// (the demo's changes touch nothing on this host and are not recorded).
#[derive(Clone, Default)]
pub struct Policy {
    pub read_only: bool,
    pub audit: Option<(AuditLog, Context)>,
}

pub const READ_ONLY: &str = "read-only: changes are turned off in this console";
