//! Plans: lists of operations over IPVS and the host, checked as a whole first, applied in
//! order, and on the first failure undone in reverse, so nothing half-applied is left. A rules
//! file (`restore`), a console change and a setup plan all go through here.

use super::{Operation, OperationError, State};
use crate::backend::Backend;

/// Why a plan stopped: the step that failed, why, and any undo step that failed too (then the
/// system is not back where it was, and the operator must be told exactly that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFailure {
    pub step: usize,
    pub error: OperationError,
    pub rollback_errors: Vec<(Operation, OperationError)>,
}

/// The first step of a plan that cannot apply here: its index and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("step {step}: {reason}")]
pub struct BadStep {
    pub step: usize,
    #[source]
    pub reason: StepError,
}

/// Why a step was refused before anything was touched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// Against the parsers' rules.
    #[error(transparent)]
    Invalid(#[from] crate::ipvs::parse::ParseError),
    /// Against the state the steps before it leave.
    #[error(transparent)]
    State(#[from] OperationError),
}

/// Checks every step against the parsers' rules and against `before` followed in memory (an
/// interface that does not exist, an address already bound, a service that is not there...),
/// without touching anything. The first bad step: its index and why.
pub fn check_plan(before: &State, steps: &[Operation]) -> Result<(), BadStep> {
    let mut state = before.clone();
    for (step, op) in steps.iter().enumerate() {
        let bad = |reason: StepError| BadStep { step, reason };
        op.validate().map_err(|e| bad(e.into()))?;
        op.apply_in_memory(&mut state).map_err(|e| bad(e.into()))?;
    }
    Ok(())
}

/// Applies `steps` to `target`, starting from `before` (freshly read). Inverses come from an
/// in-memory copy of the state that follows each step, so nothing is re-read between steps.
///
/// Steps go to the target in batches ([`Backend::apply_batch`]). When step k of a batch fails,
/// the kernel has still tried the rest of that batch: some of the steps after k may have taken
/// effect. The results say exactly which, in the order they were tried, and a failed change
/// changes nothing, so the state is the one the successful steps make, applied in order. The
/// in-memory copy follows that same sequence (skipping the failed steps), each inverse is taken
/// against the state just before its own step, and every successful step, before k and after
/// it, is undone in reverse. Nothing after k is left applied, and k is the step reported.
pub async fn apply_plan<B: Backend + ?Sized>(
    target: &B,
    before: State,
    steps: &[Operation],
) -> Result<(), PlanFailure> {
    let mut state = before;
    let mut undo: Vec<Vec<Operation>> = Vec::new();
    let mut done = 0;
    while done < steps.len() {
        let mut results = target.apply_batch(&steps[done..]).await;
        if results.is_empty() {
            // A director that tried nothing: try the next step alone.
            results.push(target.apply(&steps[done]).await);
        }
        let mut failure = None;
        for (i, result) in results.iter().enumerate() {
            let op = &steps[done + i];
            match result {
                Ok(()) => {
                    // Zeroing cannot be undone, and that is fine: counters are not configuration.
                    undo.push(op.inverse(&state).unwrap_or_default());
                    // The system accepted the step, so the in-memory copy does too. The object
                    // before is read only when logging (the state is the whole table).
                    let logging = tracing::enabled!(tracing::Level::DEBUG);
                    let before = logging.then(|| op.before_lines(&state));
                    let _ = op.apply_in_memory(&mut state);
                    if let Some(before) = before {
                        let (command, after) = (op.to_command(), op.before_lines(&state));
                        let step = done + i;
                        tracing::debug!(step, command, ?before, ?after, result = "ok", "change");
                    }
                }
                Err(error) => {
                    log_failed(done + i, op, &state, error);
                    failure.get_or_insert_with(|| (done + i, error.clone()));
                }
            }
        }
        if let Some((step, error)) = failure {
            let rollback_errors = roll_back(target, undo).await;
            return Err(PlanFailure {
                step,
                error,
                rollback_errors,
            });
        }
        done += results.len();
    }
    Ok(())
}

/// The line of a refused step: the command, the object as it stands (`before`), the error and
/// its sources. (An applied step's line also has the object `after`.)
fn log_failed(step: usize, op: &Operation, state: &State, e: &OperationError) {
    if tracing::enabled!(tracing::Level::WARN) {
        let (command, before) = (op.to_command(), op.before_lines(state));
        let sources = crate::logging::sources(e);
        tracing::warn!(step, command, ?before, result = "failed", error = %e, ?sources, "change");
    }
}

/// The operations that undo `steps` applied to `before`, in the order to apply them; `None`
/// when a step cannot be undone or refers to something `before` lacks.
pub fn undo_steps(before: &State, steps: &[Operation]) -> Option<Vec<Operation>> {
    let mut state = before.clone();
    let mut undo = Vec::new();
    for op in steps {
        undo.push(op.inverse(&state)?);
        op.apply_in_memory(&mut state).ok()?;
    }
    Some(undo.into_iter().rev().flatten().collect())
}

async fn roll_back<B: Backend + ?Sized>(
    target: &B,
    undo: Vec<Vec<Operation>>,
) -> Vec<(Operation, OperationError)> {
    let ops: Vec<Operation> = undo.into_iter().rev().flatten().collect();
    let mut errors = Vec::new();
    let mut done = 0;
    // Every undo step is tried, past failures too: the more of the state is back, the better.
    while done < ops.len() {
        let mut results = target.apply_batch(&ops[done..]).await;
        if results.is_empty() {
            results.push(target.apply(&ops[done]).await);
        }
        for (i, result) in results.iter().enumerate() {
            let command = ops[done + i].to_command();
            match result {
                Ok(()) => tracing::debug!(command, result = "ok", "rollback"),
                Err(e) => tracing::warn!(command, error = %e, "rollback failed"),
            }
            if let Err(e) = result {
                errors.push((ops[done + i].clone(), e.clone()));
            }
        }
        done += results.len();
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Memory;
    use crate::host::{HostState, Link, parse};
    use crate::ipvs::args::parse_args;
    use crate::ipvs::model::Snapshot;

    fn host() -> HostState {
        let mut h = HostState::default();
        for (index, name) in [(1, "lo"), (2, "eth1")] {
            h.links.push(Link {
                index,
                name: name.into(),
                up: true,
                kind: None,
                addrs: vec![],
            });
        }
        for name in ["net.ipv4.ip_forward", "net.ipv4.conf.all.arp_ignore"] {
            h.sysctls.insert(name.into(), "0".into());
        }
        h
    }

    fn ipvs(line: &str) -> Operation {
        parse_args(&line.split_whitespace().collect::<Vec<_>>())
            .unwrap()
            .into()
    }

    fn sysctl(a: &str) -> Operation {
        parse::sysctl_assignment(a).unwrap().into()
    }

    fn vip(addr: &str, dev: &str) -> Operation {
        parse::add_addr(addr, dev, None).unwrap().into()
    }

    fn nat_director() -> Vec<Operation> {
        vec![
            sysctl("net.ipv4.ip_forward=1"),
            vip("192.0.2.100", "eth1"),
            ipvs("-A -t 192.0.2.100:80 -s rr"),
            ipvs("-a -t 192.0.2.100:80 -r 10.0.0.2:80 -m"),
        ]
    }

    #[test]
    fn a_failing_step_leaves_ipvs_and_host_as_they_were() {
        let system = Memory::new(State::new(Snapshot::default(), host()));
        let mut plan = nat_director();
        plan.push(vip("192.0.2.100", "eth1")); // already bound by step 1
        let failure = futures::executor::block_on(apply_plan(
            &system,
            State::new(Snapshot::default(), host()),
            &plan,
        ))
        .unwrap_err();
        assert_eq!(failure.step, 4);
        assert_eq!(
            failure.error.to_string(),
            "address 192.0.2.100/32 is already on eth1"
        );
        assert!(
            failure.rollback_errors.is_empty(),
            "{:?}",
            failure.rollback_errors
        );
        assert_eq!(system.state(), State::new(Snapshot::default(), host()));
    }

    #[test]
    fn a_failure_inside_a_batch_undoes_the_steps_after_it_too() {
        // Step 2 fails; the kernel still tries 3 to 5 of the same batch, and they take effect:
        // a real server added to the service, the service deleted, then added again another way.
        let plan = [
            "-A -t 192.0.2.1:80 -s rr",
            "-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m",
            "-A -t 192.0.2.1:80 -s rr",
            "-a -t 192.0.2.1:80 -r 10.0.0.2:80 -g -w 3",
            "-D -t 192.0.2.1:80",
            "-A -t 192.0.2.1:80 -s wlc",
            "-a -t 192.0.2.1:80 -r 10.0.0.3:80 -m",
        ]
        .map(ipvs);
        let before = State::new(Snapshot::default(), host());
        for size in [1, 3, 4, 6, 100] {
            let system = Memory::with_batches(before.clone(), size);
            let failure = futures::executor::block_on(apply_plan(&system, before.clone(), &plan))
                .unwrap_err();
            assert_eq!(failure.step, 2, "batches of {size}");
            assert!(
                failure.error.to_string().contains("exists"),
                "{}",
                failure.error
            );
            assert!(
                failure.rollback_errors.is_empty(),
                "{:?}",
                failure.rollback_errors
            );
            assert_eq!(system.state(), before, "batches of {size}");
        }
        // Without a failure, batches of any size make what one step at a time makes.
        let good: Vec<Operation> = plan[..2].iter().chain(&plan[3..]).cloned().collect();
        let one_by_one = Memory::new(before.clone());
        futures::executor::block_on(apply_plan(&one_by_one, before.clone(), &good)).unwrap();
        for size in [1, 2, 5, 100] {
            let system = Memory::with_batches(before.clone(), size);
            futures::executor::block_on(apply_plan(&system, before.clone(), &good)).unwrap();
            assert_eq!(system.state(), one_by_one.state(), "batches of {size}");
        }
    }

    #[test]
    fn undo_steps_bring_both_back() {
        let system = Memory::new(State::new(Snapshot::default(), host()));
        let before = State::new(Snapshot::default(), host());
        let plan = nat_director();
        let undo = undo_steps(&before, &plan).unwrap();
        assert_eq!(
            undo.iter().map(Operation::to_command).collect::<Vec<_>>(),
            [
                "ipvsadm -d -t 192.0.2.100:80 -r 10.0.0.2:80",
                "ipvsadm -D -t 192.0.2.100:80",
                "ip addr del 192.0.2.100/32 dev eth1",
                "sysctl -w net.ipv4.ip_forward=0",
            ]
        );
        futures::executor::block_on(apply_plan(&system, before.clone(), &plan)).unwrap();
        assert_eq!(system.state().host.sysctls["net.ipv4.ip_forward"], "1");
        let after = system.state();
        futures::executor::block_on(apply_plan(&system, after, &undo)).unwrap();
        assert_eq!(system.state(), before);
    }

    #[test]
    fn check_plan_finds_the_first_bad_step_without_applying() {
        let check_plan = |before: &State, steps: &[Operation]| {
            check_plan(before, steps).map_err(|b| (b.step, b.reason.to_string()))
        };
        let before = State::new(Snapshot::default(), host());
        assert_eq!(check_plan(&before, &nat_director()), Ok(()));
        let mut plan = nat_director();
        plan.insert(1, vip("192.0.2.100", "eth9"));
        assert_eq!(
            check_plan(&before, &plan),
            Err((1, "interface eth9 does not exist".to_string()))
        );
        let bad_value = Operation::Host(crate::host::HostOp::SetSysctl {
            name: "net.ipv4.ip_forward".into(),
            value: "2".into(),
        });
        assert_eq!(
            check_plan(&before, &[bad_value]),
            Err((
                0,
                r#"sysctl "net.ipv4.ip_forward=2": the value must be 0 or 1"#.to_string()
            ))
        );
        let missing = sysctl("net.ipv4.vs.conntrack=1");
        assert!(
            check_plan(&before, &[missing])
                .unwrap_err()
                .1
                .contains("does not exist on this host")
        );
    }
}
