//! Multi-step changes (a restored rules file, a setup plan): applied in order, and on the first
//! failure everything already applied is undone in reverse, so nothing half-applied is left.

use super::backend::Backend;
use super::error::Error;
use super::model::Snapshot;
use super::op::IpvsOp;
use super::table;

/// Why a plan stopped: the step that failed, the kernel's reason, and any undo step that failed
/// too (then the table is not back where it was, and the operator must be told exactly that).
#[derive(Debug, Clone)]
pub struct PlanFailure {
    pub step: usize,
    pub error: Error,
    pub rollback_errors: Vec<(IpvsOp, Error)>,
}

/// Apply `steps` to `backend`, starting from the table `before` (a fresh snapshot).
///
/// Inverses come from an in-memory copy of the table that follows each step, so no re-read of
/// the kernel is needed between steps.
pub async fn apply_plan<B: Backend>(backend: &B, before: Snapshot, steps: &[IpvsOp]) -> Result<(), PlanFailure> {
    let mut state = before;
    let mut undo: Vec<Vec<IpvsOp>> = Vec::new();
    for (step, op) in steps.iter().enumerate() {
        let inverse = op.inverse(&state);
        if let Err(error) = backend.apply(op).await {
            let rollback_errors = roll_back(backend, undo).await;
            return Err(PlanFailure { step, error, rollback_errors });
        }
        // Zeroing cannot be undone, and that is fine: counters are not configuration.
        undo.push(inverse.unwrap_or_default());
        // The kernel accepted the step, so the in-memory table accepts it too.
        let _ = table::apply(&mut state, op);
    }
    Ok(())
}

/// The changes that undo `steps` applied to `before`, in the order to apply them; `None` when a
/// step cannot be undone (zeroed counters are gone) or refers to something `before` lacks.
pub fn undo_steps(before: &Snapshot, steps: &[IpvsOp]) -> Option<Vec<IpvsOp>> {
    let mut state = before.clone();
    let mut undo = Vec::new();
    for op in steps {
        undo.push(op.inverse(&state)?);
        table::apply(&mut state, op).ok()?;
    }
    Some(undo.into_iter().rev().flatten().collect())
}

async fn roll_back<B: Backend>(backend: &B, undo: Vec<Vec<IpvsOp>>) -> Vec<(IpvsOp, Error)> {
    let mut errors = Vec::new();
    for ops in undo.into_iter().rev() {
        for op in ops {
            if let Err(e) = backend.apply(&op).await {
                errors.push((op, e));
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::args::parse_args;
    use crate::ipvs::Result;
    use std::cell::RefCell;

    /// A backend over the in-memory table, failing like the kernel does.
    struct Memory(RefCell<Snapshot>);

    impl Backend for Memory {
        async fn snapshot(&self) -> Result<Snapshot> {
            Ok(self.0.borrow().clone())
        }
        async fn apply(&self, op: &IpvsOp) -> Result<()> {
            table::apply(&mut self.0.borrow_mut(), op).map_err(|errno| Error::Kernel { errno, message: format!("errno {errno}") })
        }
    }

    fn ops(lines: &[&str]) -> Vec<IpvsOp> {
        lines.iter().map(|l| parse_args(&l.split_whitespace().collect::<Vec<_>>()).unwrap()).collect()
    }

    #[test]
    fn undo_steps_bring_the_table_back() {
        let backend = Memory(RefCell::new(Snapshot::default()));
        let base = ops(&["-A -t 192.0.2.1:80 -s rr", "-a -t 192.0.2.1:80 -r 10.0.0.1 -m -w 3"]);
        futures::executor::block_on(apply_plan(&backend, Snapshot::default(), &base)).unwrap();
        let before = backend.0.borrow().clone();
        let change = ops(&["-e -t 192.0.2.1:80 -r 10.0.0.1 -m -w 0", "-a -t 192.0.2.1:80 -r 10.0.0.2 -m", "-E -t 192.0.2.1:80 -s wlc"]);
        let undo = undo_steps(&before, &change).unwrap();
        futures::executor::block_on(apply_plan(&backend, before.clone(), &change)).unwrap();
        let after = backend.0.borrow().clone();
        futures::executor::block_on(apply_plan(&backend, after, &undo)).unwrap();
        assert_eq!(*backend.0.borrow(), before);
        assert_eq!(undo_steps(&before, &ops(&["-Z"])), None, "zeroing cannot be undone");
    }

    #[test]
    fn a_failing_step_leaves_the_table_as_it_was() {
        let backend = Memory(RefCell::new(Snapshot::default()));
        let base = ops(&["--set 900 120 300", "-A -t 192.0.2.1:80", "-a -t 192.0.2.1:80 -r 10.0.0.1 -m"]);
        futures::executor::block_on(apply_plan(&backend, Snapshot::default(), &base)).unwrap();
        let before = backend.0.borrow().clone();
        let plan = ops(&[
            "-A -t 192.0.2.2:80",
            "-a -t 192.0.2.2:80 -r 10.0.0.2 -m",
            "-e -t 192.0.2.1:80 -r 10.0.0.1 -m -w 5",
            "-D -t 192.0.2.1:80",
            "-A -t 192.0.2.2:80",
        ]);
        let failure = futures::executor::block_on(apply_plan(&backend, before.clone(), &plan)).unwrap_err();
        assert_eq!(failure.step, 4);
        assert!(failure.rollback_errors.is_empty());
        assert_eq!(*backend.0.borrow(), before);
    }
}
