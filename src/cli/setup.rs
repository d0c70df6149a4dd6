//! `ipvs-tui setup --plan FILE [--dry-run]`: check a plan as a whole, show its Operations as
//! commands, apply them all or nothing (each one audited), then run the doctor.

use super::audited::Audited;
use super::commands::{Failure, EXIT_FAILED, EXIT_USAGE};
use super::doctor;
use crate::host::{self, HostOp, HostState};
use crate::ipvs::audit::{AuditLog, Context, Entry, Outcome, Source};
use crate::ipvs::kernel::KernelBackend;
use crate::ipvs::model::Snapshot;
use crate::ipvs::{Backend, Error};
use crate::operation::Operation;
use crate::setup::apply::{self, Apply, ApplyFailure};
use crate::setup::gather::Ask;
use crate::setup::{plan, plan_operations, Plan};
use std::cell::RefCell;
use std::path::Path;

pub async fn run(file: &Path, dry_run: bool, log: &AuditLog) -> Result<(), Failure> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| Failure::Ipvs(Error::Io(format!("cannot read {name}: {e}"))))?;
    let plan = match Plan::parse(&text) {
        Ok(plan) => plan,
        Err(errors) => return Err(report_plan_errors(&name, &errors)),
    };
    let applier = KernelAndHost::connect(log.clone()).await?;
    let (ipvs, host) = (applier.ipvs.table(), applier.host.borrow().clone());
    let ops = match plan_operations(&plan, &host, &ipvs) {
        Ok(ops) => ops,
        Err(errors) => return Err(report_plan_errors(&name, &errors)),
    };
    for advice in plan::advice(&plan, &host) {
        println!("advice: {advice}");
    }
    if ops.is_empty() {
        println!("setup: this host already matches {name} ({}); nothing to change", plan.role);
    } else {
        println!("setup: {} change(s) for {} from {name}:", ops.len(), plan.role);
        for op in &ops {
            println!("  {}", op.to_command());
        }
    }
    if dry_run {
        println!("setup: dry run: nothing was changed");
        return Ok(());
    }
    if !ops.is_empty() {
        apply_reporting(&applier, ipvs, host, &ops).await?;
        println!("setup: applied {} change(s)", ops.len());
    }
    let ask = Ask { role: Some(plan.role), vip: plan.vip, director: plan.director };
    let problems = doctor::run_and_print(ask, false).await?;
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
    eprintln!("ipvs-tui: {} problem(s) in {name}; nothing was changed", errors.len());
    Failure::Reported(EXIT_USAGE)
}

/// Applies `ops` all or nothing; on failure says which step failed and whether the undo worked.
pub async fn apply_reporting(applier: &KernelAndHost, ipvs: Snapshot, host: HostState, ops: &[Operation]) -> Result<(), Failure> {
    match apply::apply_all(applier, ipvs, host, ops).await {
        Ok(()) => Ok(()),
        Err(ApplyFailure { step, error, rollback_errors }) => {
            eprintln!("ipvs-tui: step {} of {}: {}: {error}", step + 1, ops.len(), ops[step].to_command());
            if rollback_errors.is_empty() {
                eprintln!("ipvs-tui: undid the {step} change(s) before it; this host is as it was");
            } else {
                eprintln!("ipvs-tui: undoing the changes before it failed too; this host is NOT as it was:");
                for (op, e) in &rollback_errors {
                    eprintln!("  {}: {e}", op.to_command());
                }
            }
            Err(Failure::Reported(EXIT_FAILED))
        }
    }
}

/// The kernel's IPVS (through the audited backend) and this host's links and sysctls; every
/// change is recorded in the audit log, host changes as their `ip`/`sysctl` command.
pub struct KernelAndHost {
    pub ipvs: Audited<KernelBackend>,
    pub host: RefCell<HostState>,
    log: AuditLog,
    context: Context,
}

impl KernelAndHost {
    pub async fn connect(log: AuditLog) -> Result<KernelAndHost, Failure> {
        let ipvs = Audited::new(KernelBackend::connect().await?, log.clone()).await?;
        let host = host::read_state().await.map_err(|e| Failure::Ipvs(Error::Io(format!("cannot read the host's links and sysctls: {e}"))))?;
        Ok(KernelAndHost { ipvs, host: RefCell::new(host), log, context: Context::current(Source::Cli) })
    }

    /// Re-reads the host (after waiting for interfaces).
    pub async fn reread_host(&self) -> Result<(), Failure> {
        let host = host::read_state().await.map_err(|e| Failure::Ipvs(Error::Io(format!("cannot read the host's links and sysctls: {e}"))))?;
        *self.host.borrow_mut() = host;
        Ok(())
    }

    fn record_host(&self, op: &HostOp, result: &Result<(), String>) {
        let before = host_before(op, &self.host.borrow());
        let entry = Entry {
            time: jiff::Timestamp::now().round(jiff::Unit::Millisecond).unwrap_or_else(|_| jiff::Timestamp::now()),
            user: self.context.user.clone(),
            host: self.context.host.clone(),
            source: self.context.source,
            command: op.to_command(),
            undo_of: None,
            result: if result.is_ok() { Outcome::Ok } else { Outcome::Failed },
            error: result.as_ref().err().cloned(),
            before,
            op: serde_json::to_value(op).unwrap_or(serde_json::Value::Null),
        };
        if let Err(e) = self.log.append(&entry) {
            eprintln!("ipvs-tui: warning: audit log {} not written: {e}", self.log.path().display());
        }
    }
}

/// What a host change replaces, in the words of the command that would bring it back.
fn host_before(op: &HostOp, host: &HostState) -> Vec<String> {
    match op {
        HostOp::SetSysctl { name, .. } => host.sysctls.get(name).map(|v| format!("{name} = {v}")).into_iter().collect(),
        HostOp::DelAddr { .. } | HostOp::AddAddr { .. } => Vec::new(),
    }
}

impl Apply for KernelAndHost {
    async fn apply(&self, op: &Operation) -> Result<(), String> {
        match op {
            Operation::Ipvs(op) => self.ipvs.apply(op).await.map_err(|e| e.to_string()),
            Operation::Host(h) => {
                let result = host::apply(h).await.map_err(|e| e.to_string());
                self.record_host(h, &result);
                if result.is_ok() {
                    let mut ipvs = Snapshot::default();
                    apply::follow(&mut ipvs, &mut self.host.borrow_mut(), op);
                }
                result
            }
        }
    }
}
