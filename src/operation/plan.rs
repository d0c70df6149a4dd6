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
pub async fn apply_plan<B: Backend + ?Sized>(
    target: &B,
    before: State,
    steps: &[Operation],
) -> Result<(), PlanFailure> {
    let mut state = before;
    let mut undo: Vec<Vec<Operation>> = Vec::new();
    for (step, op) in steps.iter().enumerate() {
        let inverse = op.inverse(&state);
        if let Err(error) = target.apply(op).await {
            log_failed(step, op, &state, &error);
            let rollback_errors = roll_back(target, undo).await;
            return Err(PlanFailure {
                step,
                error,
                rollback_errors,
            });
        }
        // Zeroing cannot be undone, and that is fine: counters are not configuration.
        undo.push(inverse.unwrap_or_default());
        // The system accepted the step, so the in-memory copy does too.
        // The object before, read only when logging (the state is the whole table).
        let logging = tracing::enabled!(tracing::Level::DEBUG);
        let before = logging.then(|| op.before_lines(&state));
        let _ = op.apply_in_memory(&mut state);
        if let Some(before) = before {
            let (command, after) = (op.to_command(), op.before_lines(&state));
            tracing::debug!(step, command, ?before, ?after, result = "ok", "change");
        }
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
    let mut errors = Vec::new();
    for ops in undo.into_iter().rev() {
        for op in ops {
            let result = target.apply(&op).await;
            let command = op.to_command();
            match &result {
                Ok(()) => tracing::debug!(command, result = "ok", "rollback"),
                Err(e) => tracing::warn!(command, error = %e, "rollback failed"),
            }
            if let Err(e) = result {
                errors.push((op, e));
            }
        }
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
