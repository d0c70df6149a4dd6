//! `ipvs-tui [--on TARGET] setup --plan FILE [--dry-run]`: check a plan as a whole against the
//! director's host and table, show its Operations as commands, apply them all or nothing (each
//! one audited, on the director too when it is elsewhere), then run the doctor.

use super::commands::{EXIT_FAILED, EXIT_USAGE, Failure, warn_problem};
use super::doctor;
use super::on::On;
use crate::backend::{Backend, Kernel, Part, confine};
use crate::ipvs::Error;
use crate::ipvs::model::Snapshot;
use crate::operation::audit::AuditLog;
use crate::operation::{
    AuditedOps, BadStep, Operation, PlanFailure, State, apply_plan, check_plan,
};
use crate::setup::gather::Ask;
use crate::setup::{Plan, plan, plan_operations};
use std::path::Path;
use std::rc::Rc;

pub async fn run(on: &On, file: &Path, dry_run: bool, log: &AuditLog) -> Result<(), Failure> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::Ipvs(Error::io(format!("cannot read {name}"), e)))?;
    let plan = match Plan::parse(&text) {
        Ok(plan) => plan,
        Err(errors) => return Err(report_plan_errors(&name, &errors)),
    };
    let (kernel, before) = read_system(on, plan.role.is_director()).await?;
    let ops = match plan_operations(&plan, &before.host, &before.table) {
        Ok(ops) => ops,
        Err(errors) => return Err(report_plan_errors(&name, &errors)),
    };
    for advice in plan::advice(&plan, &before.host) {
        println!("advice: {advice}");
    }
    if ops.is_empty() {
        println!(
            "setup: {} already matches {name} ({}); nothing to change",
            on.place(),
            plan.role
        );
    } else {
        println!(
            "setup: {} change(s) for {} from {name}{}:",
            ops.len(),
            plan.role,
            on.on_place()
        );
        for op in &ops {
            println!("  {}", op.to_command());
        }
    }
    check_steps(&before, &ops)?;
    if dry_run {
        println!("setup: dry run: nothing was changed");
        return Ok(());
    }
    if !ops.is_empty() {
        apply_reporting(on, kernel.as_deref(), log, before, &ops).await?;
        println!("setup: applied {} change(s)", ops.len());
    }
    let ask = Ask {
        role: Some(plan.role),
        vip: plan.vip,
        director: plan.director,
    };
    let problems = doctor::run_and_print(on, ask, false).await?;
    if problems > 0 {
        eprintln!("ipvs-tui: the plan is applied, but the doctor found {problems} problem(s)");
        return Err(Failure::Reported(EXIT_FAILED));
    }
    Ok(())
}

fn report_plan_errors(name: &str, errors: &[crate::setup::PlanError]) -> Failure {
    for e in errors {
        match e.line {
            Some(line) => eprintln!("{name}:{line}: {}", e.message),
            None => eprintln!("{name}: {}", e.message),
        }
    }
    eprintln!(
        "ipvs-tui: {} problem(s) in {name}; nothing was changed",
        errors.len()
    );
    Failure::Reported(EXIT_USAGE)
}

/// The director's IPVS table and host, read now. Without IPVS (a real server need not load it)
/// the table is empty, unless `ipvs_required` (then the kernel backend loads ip_vs, as ipvsadm
/// does). The backend is the director's IPVS, none when it has none.
pub async fn read_system(
    on: &On,
    ipvs_required: bool,
) -> Result<(Option<Rc<dyn Backend>>, State), Failure> {
    let host = on.host().host().await.map_err(Failure::Host)?;
    let remote = match on {
        On::Here => None,
        On::There(r) => Some(r.clone()),
    };
    if let Some(r) = remote {
        // The agent reads its own table; one that cannot is a director without IPVS.
        return match r.snapshot().await {
            Ok(table) => Ok((Some(r), State::new(table, host))),
            Err(e) if ipvs_required || matches!(e, Error::Unreachable(_)) => Err(e.into()),
            Err(_) => Ok((None, State::new(Snapshot::default(), host))),
        };
    }
    if !ipvs_required && !crate::setup::gather::ipvs_loaded() {
        return Ok((None, State::new(Snapshot::default(), host)));
    }
    match Kernel::connect().await {
        Ok(kernel) => {
            let table = kernel.snapshot().await?;
            Ok((Some(Rc::new(kernel)), State::new(table, host)))
        }
        Err(e) if ipvs_required => Err(e.into()),
        Err(_) => Ok((None, State::new(Snapshot::default(), host))),
    }
}

/// Every step against the parsers' rules and the state followed in memory, before any change.
pub fn check_steps(before: &State, ops: &[Operation]) -> Result<(), Failure> {
    check_plan(before, ops).map_err(|BadStep { step, reason: e }| {
        eprintln!(
            "ipvs-tui: step {} of {}: {}: {e}; nothing was changed",
            step + 1,
            ops.len(),
            ops[step].to_command()
        );
        Failure::Reported(EXIT_USAGE)
    })
}

/// Applies `ops` on `on`'s director all or nothing, each audited (here, and by the agent on a
/// director elsewhere); on failure says which step failed and whether the undo worked.
pub async fn apply_reporting(
    on: &On,
    kernel: Option<&dyn Backend>,
    log: &AuditLog,
    before: State,
    ops: &[Operation],
) -> Result<(), Failure> {
    let context = on.context();
    // Without IPVS only the host may change: IPVS is then never connected to.
    let host_only = on.host();
    let kernel = match kernel {
        Some(kernel) => kernel,
        None => {
            confine(ops, Part::Host)?;
            &*host_only
        }
    };
    let target = AuditedOps::new(kernel, log, context, before.clone());
    let result = apply_plan(&target, before, ops).await;
    warn_problem(target.problem());
    let Err(PlanFailure {
        step,
        error,
        rollback_errors,
    }) = result
    else {
        return Ok(());
    };
    eprintln!(
        "ipvs-tui: step {} of {}: {}: {error}",
        step + 1,
        ops.len(),
        ops[step].to_command()
    );
    if rollback_errors.is_empty() {
        eprintln!(
            "ipvs-tui: undid the {step} change(s) before it; {} is as it was",
            on.place()
        );
    } else {
        eprintln!(
            "ipvs-tui: undoing the changes before it failed too; {} is NOT as it was:",
            on.place()
        );
        for (op, e) in &rollback_errors {
            eprintln!("  {}: {e}", op.to_command());
        }
    }
    Err(Failure::Reported(EXIT_FAILED))
}
