//! Applying what the operator asked for: re-read the table, refuse a stale edit, apply all or
//! nothing (reverse rollback), record every step in the audit log, and report back. It runs in
//! the poller's task, so a change never overlaps a poll on the netlink socket and the view is
//! re-read right after it.

use crate::console::stale::{Expected, Stale};
use crate::host::{HostBackend, HostState};
use crate::ipvs::model::Snapshot;
use crate::ipvs::{Backend, Error, IpvsOp, Result};
use crate::operation::audit::{AuditLog, Context};
use crate::operation::{AuditedOps, Operation, PlanFailure, State, System, apply_plan};
use crate::runtime::poller::SnapshotSource;

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
pub struct Outcome {
    pub change: Change,
    /// The table and the host just before the change (None when they could not be read).
    pub before: Option<State>,
    pub result: std::result::Result<(), Failure>,
    /// The audit log could not be written: the change stands, the operator must know.
    pub audit_problem: Option<String>,
}

/// How changes are handled: refused in read-only mode, recorded in the audit log if there is one
/// (the demo's changes touch nothing on this host and are not recorded).
#[derive(Default)]
pub struct Policy {
    pub read_only: bool,
    pub audit: Option<(AuditLog, Context)>,
}

pub const READ_ONLY: &str = "read-only: changes are turned off in this console";

pub async fn execute<S: SnapshotSource, H: HostBackend>(
    source: &S,
    host: &H,
    change: Change,
    policy: &Policy,
) -> Outcome {
    let outcome = |before, result, audit_problem| Outcome {
        change: change.clone(),
        before,
        result,
        audit_problem,
    };
    if policy.read_only {
        return outcome(
            None,
            Err(Failure::Refused(Error::Refused(READ_ONLY.into()))),
            None,
        );
    }
    let table = match source.read().await {
        Ok(s) => s,
        Err(e) => return outcome(None, Err(Failure::Refused(e)), None),
    };
    // The host is read only when the change touches it: an IPVS change must not fail because,
    // say, a sysctl cannot be read.
    let touches_host = change.ops.iter().any(|op| matches!(op, Operation::Host(_)));
    let host_state = if touches_host {
        match host.state().await {
            Ok(h) => h,
            Err(e) => {
                return outcome(
                    None,
                    Err(Failure::Refused(Error::Refused(format!(
                        "the host could not be read first: {e}"
                    )))),
                    None,
                );
            }
        }
    } else {
        HostState::default()
    };
    let before = State::new(table, host_state);
    if let Some(expect) = &change.expect
        && let Err(stale) = expect.check(&before.table)
    {
        return outcome(Some(before), Err(Failure::Stale(stale)), None);
    }
    let ipvs = Source(source);
    let system = System { ipvs: &ipvs, host };
    let (result, audit_problem) = match &policy.audit {
        Some((log, context)) => {
            let context = match &change.undo_of {
                Some(command) => context.undoing(command),
                None => context.clone(),
            };
            let audited = AuditedOps::new(system, log, context, before.clone());
            let result = apply_plan(&audited, before.clone(), &change.ops).await;
            (result, audited.problem())
        }
        None => (apply_plan(&system, before.clone(), &change.ops).await, None),
    };
    outcome(Some(before), result.map_err(Failure::Failed), audit_problem)
}

/// A snapshot source as a backend, for the plan applier.
struct Source<'a, S>(&'a S);

impl<S: SnapshotSource> Backend for Source<'_, S> {
    async fn snapshot(&self) -> Result<Snapshot> {
        self.0.read().await
    }

    async fn apply(&self, op: &IpvsOp) -> Result<()> {
        self.0.apply(op).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::MemoryHost;
    use crate::ipvs::args::parse_args;
    use crate::ipvs::sim::SimBackend;
    use crate::operation::audit::{Source as AuditSource, read_last};

    fn op(line: &str) -> IpvsOp {
        parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap()
    }

    fn change(ops: &[&str]) -> Change {
        Change {
            id: 1,
            origin: Origin::Key,
            ops: ops.iter().map(|l| op(l).into()).collect(),
            expect: None,
            undo_of: None,
        }
    }

    fn run(sim: &SimBackend, c: Change, policy: &Policy) -> Outcome {
        futures::executor::block_on(execute(sim, &MemoryHost::default(), c, policy))
    }

    #[test]
    fn a_failing_step_is_rolled_back_and_every_step_is_audited() {
        let sim = SimBackend::new(1);
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.log"));
        let policy = Policy {
            read_only: false,
            audit: Some((log.clone(), Context::current(AuditSource::Console))),
        };
        let out = run(
            &sim,
            change(&["-A -t 192.0.2.1:80", "-A -t 192.0.2.1:80"]),
            &policy,
        );
        let Err(Failure::Failed(f)) = &out.result else {
            panic!("{:?}", out.result)
        };
        assert_eq!(f.step, 1);
        assert!(
            futures::executor::block_on(sim.snapshot())
                .unwrap()
                .services
                .is_empty(),
            "rolled back"
        );
        assert_eq!(out.audit_problem, None);
        let entries = read_last(log.path(), 10).unwrap().entries;
        let seen: Vec<String> = entries
            .iter()
            .map(|e| {
                format!(
                    "{} {} before={}",
                    e.command,
                    if e.is_ok() { "ok" } else { "failed" },
                    e.before.len()
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                "ipvsadm -A -t 192.0.2.1:80 -s wlc ok before=0",
                "ipvsadm -A -t 192.0.2.1:80 -s wlc failed before=1",
                "ipvsadm -D -t 192.0.2.1:80 ok before=1"
            ]
        );
        let message = out.result.unwrap_err().message(&out.change.ops);
        assert!(
            message.starts_with("step 2 of 2 (ipvsadm -A -t 192.0.2.1:80 -s wlc) failed: "),
            "{message}"
        );
        assert!(
            message.ends_with("; the steps before it were undone"),
            "{message}"
        );
    }

    #[test]
    fn an_unwritable_log_does_not_stop_the_change_and_says_why() {
        let sim = SimBackend::new(1);
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be: the append fails.
        let log = AuditLog::at(dir.path());
        let policy = Policy {
            read_only: false,
            audit: Some((log, Context::current(AuditSource::Console))),
        };
        let out = run(&sim, change(&["-A -t 192.0.2.1:80"]), &policy);
        assert!(out.result.is_ok());
        assert_eq!(
            futures::executor::block_on(sim.snapshot())
                .unwrap()
                .services
                .len(),
            1
        );
        assert!(
            out.audit_problem
                .as_deref()
                .is_some_and(|p| p.starts_with(&dir.path().display().to_string())),
            "{:?}",
            out.audit_problem
        );
    }

    #[test]
    fn read_only_refuses_without_touching_the_table() {
        let sim = SimBackend::new(1);
        let out = run(
            &sim,
            change(&["-A -t 192.0.2.1:80"]),
            &Policy {
                read_only: true,
                audit: None,
            },
        );
        assert!(matches!(out.result, Err(Failure::Refused(_))));
        assert!(
            futures::executor::block_on(sim.snapshot())
                .unwrap()
                .services
                .is_empty()
        );
    }

    #[test]
    fn a_stale_edit_is_refused_and_names_the_change() {
        let sim = SimBackend::new(1);
        run(
            &sim,
            change(&["-A -t 192.0.2.1:80 -s rr"]),
            &Policy::default(),
        )
        .result
        .unwrap();
        let mut opened = futures::executor::block_on(sim.snapshot())
            .unwrap()
            .services[0]
            .config
            .clone();
        opened.scheduler = "wlc".into();
        let mut c = change(&["-E -t 192.0.2.1:80 -s lc"]);
        c.expect = Some(Expected::Service(opened));
        let out = run(&sim, c, &Policy::default());
        let Err(Failure::Stale(stale)) = out.result else {
            panic!("{:?}", out.result)
        };
        assert!(
            stale.message.contains("it is now `-t 192.0.2.1:80 -s rr`"),
            "{}",
            stale.message
        );
        assert_eq!(
            futures::executor::block_on(sim.snapshot())
                .unwrap()
                .services[0]
                .config
                .scheduler,
            "rr"
        );
    }
}
