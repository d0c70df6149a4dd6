//! `ipvs-tui doctor [--json] [--fix] [--role ROLE] [--vip ADDR] [--director ADDR]`: the classic
//! LVS mistakes on this host; `--fix` applies the fixes found. Exit status 0: no error or
//! warning (after the fixes); 1: at least one.

use super::commands::{EXIT_FAILED, EXIT_USAGE, Failure};
use super::on::On;
use super::setup::{apply_reporting, check_steps, read_system};
use crate::backend::{Backend, Kernel};
use crate::operation::Operation;
use crate::operation::audit::AuditLog;
use crate::setup::Role;
use crate::setup::doctor::{self, FindingJson};
use crate::setup::gather::{self, Ask};
use serde::Serialize;

pub async fn run(
    on: &On,
    json: bool,
    fix: bool,
    role: Option<&str>,
    vip: Option<&str>,
    director: Option<&str>,
    log: &AuditLog,
) -> Result<(), Failure> {
    let usage = |message: String| {
        eprintln!("ipvs-tui: {message}");
        Failure::Reported(EXIT_USAGE)
    };
    let role = role
        .map(Role::parse)
        .transpose()
        .map_err(|e| usage(e.to_string()))?;
    let addr = |field: &str, text: Option<&str>| {
        text.map(|t| {
            t.parse().map_err(|_| {
                usage(format!(
                    "{field} \"{t}\": must be an IPv4 or IPv6 address such as 192.0.2.100"
                ))
            })
        })
        .transpose()
    };
    let ask = Ask {
        role,
        vip: addr("--vip", vip)?,
        director: addr("--director", director)?,
    };
    if fix {
        return fix_all(on, ask, log).await;
    }
    match look_at(on, ask, json)
        .await?
        .iter()
        .filter(|f| f.is_problem())
        .count()
    {
        0 => Ok(()),
        _ => Err(Failure::Reported(EXIT_FAILED)),
    }
}

#[derive(Serialize)]
struct Report<'a> {
    roles: Vec<Role>,
    problems: usize,
    findings: Vec<FindingJson<'a>>,
    /// What was not checked on a director elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<&'static str>,
}

/// Looks, applies every fix found (each command once) all or nothing and audited, then looks again.
async fn fix_all(on: &On, ask: Ask, log: &AuditLog) -> Result<(), Failure> {
    let findings = look_at(on, ask.clone(), false).await?;
    let mut ops: Vec<Operation> = Vec::new();
    for op in findings.iter().flat_map(|f| &f.fix) {
        if !ops.contains(op) {
            ops.push(op.clone());
        }
    }
    if ops.is_empty() {
        println!("doctor: no fix to apply");
        return if findings.iter().any(|f| f.is_problem()) {
            Err(Failure::Reported(EXIT_FAILED))
        } else {
            Ok(())
        };
    }
    println!("doctor: applying {} fix(es):", ops.len());
    for op in &ops {
        println!("  {}", op.to_command());
    }
    let ipvs = ops.iter().any(|op| matches!(op, Operation::Ipvs(_)));
    let (kernel, before) = read_system(on, ipvs).await?;
    check_steps(&before, &ops)?;
    apply_reporting(on, kernel.as_deref(), log, before, &ops).await?;
    println!("doctor: fixed; looking again");
    match run_and_print(on, ask, false).await? {
        0 => Ok(()),
        _ => Err(Failure::Reported(EXIT_FAILED)),
    }
}

/// Gathers the facts on `on`'s director, prints the findings, and returns how many are problems.
pub async fn run_and_print(on: &On, ask: Ask, json: bool) -> Result<usize, Failure> {
    Ok(look_at(on, ask, json)
        .await?
        .iter()
        .filter(|f| f.is_problem())
        .count())
}

/// As [`look`], on the director `on` (elsewhere, without probes or its firewall: they would be
/// this host's).
async fn look_at(on: &On, ask: Ask, json: bool) -> Result<Vec<doctor::Finding>, Failure> {
    let director = ask.role.is_some_and(|r| r.is_director());
    // This host, connecting to IPVS only when asked for the table.
    let kernel: std::rc::Rc<dyn Backend> = match on {
        On::Here => std::rc::Rc::new(Kernel::default()),
        On::There(r) => r.clone(),
    };
    // Only a director's check may load ip_vs (as ipvsadm does); elsewhere its absence is a fact.
    let ipvs = if on.is_here() && !director && !gather::ipvs_loaded() {
        Err(crate::ipvs::Error::Unavailable(
            "the ip_vs module is not loaded".to_string(),
        ))
    } else {
        kernel.snapshot().await
    };
    let facts = gather::gather(&*kernel, ask, ipvs).await.map_err(|e| {
        eprintln!("ipvs-tui: {e}");
        Failure::Reported(EXIT_FAILED)
    })?;
    let findings = doctor::diagnose(&facts);
    let problems = findings.iter().filter(|f| f.is_problem()).count();
    if json {
        let report = Report {
            roles: facts.roles(),
            problems,
            findings: findings.iter().map(FindingJson::from).collect(),
            skipped: (!on.is_here()).then_some(gather::SKIPPED_ELSEWHERE),
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        let roles: Vec<&str> = facts.roles().iter().map(|r| r.name()).collect();
        println!(
            "doctor: checking {} as {}",
            on.place(),
            if roles.is_empty() {
                "nothing recognised".to_string()
            } else {
                roles.join(", ")
            }
        );
        if !on.is_here() {
            println!("doctor: {}", gather::SKIPPED_ELSEWHERE);
        }
        print!("{}", doctor::render_text(&findings));
    }
    Ok(findings)
}
