//! Applying what the operator asked for: re-read the table, refuse a stale edit, apply all or
//! nothing (reverse rollback), record every step in the audit log, and report back.

use crate::backend::Backend;
use crate::console::change::{Change, ChangeOutcome, Failure, Policy, READ_ONLY};
use crate::host::HostState;
use crate::ipvs::Error;
use crate::operation::{AuditedOps, Operation, State, apply_plan};

/// Applies `change` to `director` as `policy` says, and says what became of it.
pub async fn execute(director: &dyn Backend, change: Change, policy: &Policy) -> ChangeOutcome {
    let outcome = |before, result, audit_problem| ChangeOutcome {
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
    tracing::debug!(id = change.id, steps = change.ops.len(), undo_of = ?change.undo_of, "change asked");
    let table = match director.snapshot().await {
        Ok(s) => s,
        Err(e) => {
            let sources = crate::logging::sources(&e);
            tracing::warn!(id = change.id, error = %e, ?sources, "change refused: the table could not be read first");
            return outcome(None, Err(Failure::Refused(e)), None);
        }
    };
    // The host is read only when the change touches it: an IPVS change must not fail because,
    // say, a sysctl cannot be read.
    let touches_host = change.ops.iter().any(|op| matches!(op, Operation::Host(_)));
    let host_state = if touches_host {
        match director.host().await {
            Ok(h) => h,
            Err(e) => {
                let sources = crate::logging::sources(&e);
                tracing::warn!(id = change.id, error = %e, ?sources, "change refused: the host could not be read first");
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
        tracing::info!(id = change.id, ?stale, "change refused: stale");
        return outcome(Some(before), Err(Failure::Stale(stale)), None);
    }
    let (result, audit_problem) = match &policy.audit {
        Some((log, context)) => {
            let context = match &change.undo_of {
                Some(command) => context.undoing(command),
                None => context.clone(),
            };
            let audited = AuditedOps::new(director, log, context, before.clone());
            let result = apply_plan(&audited, before.clone(), &change.ops).await;
            (result, audited.problem())
        }
        None => (
            apply_plan(director, before.clone(), &change.ops).await,
            None,
        ),
    };
    match &result {
        Ok(()) => tracing::debug!(id = change.id, ?audit_problem, "change applied"),
        Err(f) => tracing::warn!(
            id = change.id,
            failed_step = f.step,
            error = %f.error,
            rollback_errors = f.rollback_errors.len(),
            ?audit_problem,
            "change failed, rolled back"
        ),
    }
    outcome(Some(before), result.map_err(Failure::Failed), audit_problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Sim;
    use crate::console::change::Origin;
    use crate::console::stale::Expected;
    use crate::host::MemoryHost;
    use crate::ipvs::IpvsOp;
    use crate::ipvs::args::parse_args;
    use crate::ipvs::sim::SimBackend;
    use crate::operation::audit::{AuditLog, Context};
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

    fn run(sim: &Sim, c: Change, policy: &Policy) -> ChangeOutcome {
        futures::executor::block_on(execute(sim, c, policy))
    }

    fn sim() -> Sim {
        Sim::new(SimBackend::new(1), MemoryHost::default())
    }

    #[test]
    fn a_failing_step_is_rolled_back_and_every_step_is_audited() {
        let sim = sim();
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
        let sim = sim();
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
        let sim = sim();
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
        let sim = sim();
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
