//! `ipvs-tui restore`: check a whole rules file first, then apply it all or nothing.

use super::commands::{EXIT_FAILED, EXIT_USAGE, Failure};
use super::on::On;
use crate::backend::{Backend, Part, confine};
use crate::host::HostState;
use crate::ipvs::Error;
use crate::ipvs::rules::{self, Rule};
use crate::operation::audit::AuditLog;
use crate::operation::{AuditedOps, Operation, State, apply_plan};
use std::io::Read;
use std::path::Path;

pub async fn run(file: Option<&Path>, log: &AuditLog, on: &On) -> Result<(), Failure> {
    let (name, text) = read_input(file).map_err(Failure::Ipvs)?;
    let rules = match rules::parse_rules(&text) {
        Ok(rules) => rules,
        Err(errors) => {
            for (line, e) in &errors {
                eprintln!("{name}:{line}: {e}");
            }
            eprintln!(
                "ipvs-tui: {} bad line(s) in {name}; nothing was changed",
                errors.len()
            );
            return Err(Failure::Reported(EXIT_USAGE));
        }
    };
    let ops: Vec<_> = rules
        .iter()
        .map(|r| Operation::Ipvs(r.op.clone()))
        .collect();
    confine(&ops, Part::Ipvs)?;
    let kernel = on.ipvs().await?;
    let state = State::new(kernel.snapshot().await?, HostState::default());
    let saved_before = rules::save(&state.table);
    let target = AuditedOps::new(&*kernel, log, on.context(), state.clone());
    let result = apply_plan(&target, state, &ops).await;
    super::commands::warn_problem(target.problem());
    match result {
        Ok(()) => Ok(()),
        Err(failure) => {
            let Rule { line, op } = &rules[failure.step];
            eprintln!("{name}:{line}: {}: {}", op.to_command(), failure.error);
            // Read back, not assumed: the table must be the one this command started from.
            let now = kernel.snapshot().await.map(|t| rules::save(&t));
            let back = now.as_ref().is_ok_and(|now| *now == saved_before);
            if failure.rollback_errors.is_empty() && back {
                eprintln!(
                    "ipvs-tui: undid the changes applied before line {line} (and those tried \
                     after it in the same batch); the table is as it was"
                );
            } else {
                eprintln!(
                    "ipvs-tui: undoing the changes before line {line} failed too; the table is NOT as it was:"
                );
                for (op, e) in &failure.rollback_errors {
                    eprintln!("  {}: {e}", op.to_command());
                }
                match now {
                    Ok(_) if !back => eprintln!(
                        "  the table read back differs from the one before; the audit log {} \
                         has every change made",
                        log.path().display()
                    ),
                    Ok(_) => {}
                    Err(e) => eprintln!("  the table could not be read again: {e}"),
                }
            }
            Err(Failure::Reported(EXIT_FAILED))
        }
    }
}

fn read_input(file: Option<&Path>) -> Result<(String, String), Error> {
    match file {
        None => read_stdin(),
        Some(p) if p == Path::new("-") => read_stdin(),
        Some(p) => std::fs::read_to_string(p)
            .map(|text| (p.display().to_string(), text))
            .map_err(|e| Error::io(format!("cannot read {}", p.display()), e)),
    }
}

fn read_stdin() -> Result<(String, String), Error> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Error::io("cannot read standard input", e))?;
    Ok(("stdin".to_string(), text))
}
