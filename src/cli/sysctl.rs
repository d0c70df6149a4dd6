//! `ipvs-tui sysctl`: list the sysctls LVS depends on, or set some (`NAME=VALUE...`), all or nothing.

use super::commands::{EXIT_FAILED, EXIT_USAGE, Failure, warn_problem};
use super::on::On;
use crate::backend::Backend;
use crate::host::parse::{describe, sysctl_assignment};
use crate::host::{HostError, HostOp, HostState, LVS_SYSCTLS, sysctl};
use crate::ipvs::model::Snapshot;
use crate::operation::audit::AuditLog;
use crate::operation::{AuditedOps, Operation, State, apply_plan};
use serde::Serialize;

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub name: String,
    /// `None`: this host does not have it (no ip_vs loaded, no IPv6).
    pub value: Option<String>,
    pub explanation: &'static str,
    pub allowed: String,
}

/// Every known sysctl in the order of [`LVS_SYSCTLS`]: a per-interface one for `all`, `default`
/// and each interface; one this host lacks with no value.
pub fn rows(host: &HostState) -> Vec<Row> {
    let mut out = Vec::new();
    for info in LVS_SYSCTLS {
        let row = |name: String, value: Option<&String>| Row {
            name,
            value: value.cloned(),
            explanation: info.explanation,
            allowed: describe(&info.allowed),
        };
        if info.is_per_interface() {
            out.extend(
                host.sysctls
                    .iter()
                    .filter(|(n, _)| sysctl::lookup(n).is_some_and(|(i, _, _)| i == info))
                    .map(|(n, v)| row(n.clone(), Some(v))),
            );
        } else {
            out.push(row(info.name.to_string(), host.sysctls.get(info.name)));
        }
    }
    out
}

/// `NAME  VALUE  explanation`, aligned; "absent" for what this host lacks.
pub fn table(rows: &[Row]) -> String {
    let name_w = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let value_w = rows
        .iter()
        .map(|r| r.value.as_deref().unwrap_or("absent").len())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|r| {
            format!(
                "{:name_w$}  {:value_w$}  {}\n",
                r.name,
                r.value.as_deref().unwrap_or("absent"),
                r.explanation
            )
        })
        .collect()
}

pub async fn run(
    assignments: &[String],
    json: bool,
    log: &AuditLog,
    on: &On,
) -> Result<(), Failure> {
    if assignments.is_empty() {
        let host = on.host().host().await.map_err(Failure::Host)?;
        let rows = rows(&host);
        if json {
            println!(
                "{}",
                serde_json::to_string_pretty(&rows).expect("rows always serialise")
            );
        } else {
            print!("{}", table(&rows));
        }
        return Ok(());
    }
    set(assignments, log, on).await
}

/// Checks every assignment, then applies them in order, undoing them all on the first failure.
async fn set(assignments: &[String], log: &AuditLog, on: &On) -> Result<(), Failure> {
    let parsed: Vec<_> = assignments.iter().map(|a| sysctl_assignment(a)).collect();
    let bad: Vec<String> = parsed
        .iter()
        .filter_map(|p| p.as_ref().err().map(ToString::to_string))
        .collect();
    if !bad.is_empty() {
        for e in &bad {
            eprintln!("ipvs-tui: {e}");
        }
        eprintln!("ipvs-tui: nothing was changed");
        return Err(Failure::Reported(EXIT_USAGE));
    }
    let ops: Vec<Operation> = parsed.into_iter().flatten().map(Operation::Host).collect();
    // Only the host: IPVS is never connected to.
    let kernel = on.host();
    let host = kernel.host().await.map_err(Failure::Host)?;
    let missing: Vec<&String> = ops
        .iter()
        .filter_map(|op| match op {
            Operation::Host(HostOp::SetSysctl { name, .. }) if !host.sysctls.contains_key(name) => {
                Some(name)
            }
            _ => None,
        })
        .collect();
    if !missing.is_empty() {
        for name in missing {
            eprintln!("ipvs-tui: {}", HostError::NoSysctl(name.clone()));
        }
        eprintln!("ipvs-tui: nothing was changed");
        return Err(Failure::Reported(EXIT_USAGE));
    }
    let state = State::new(Snapshot::default(), host);
    let target = AuditedOps::new(&*kernel, log, on.context(), state.clone());
    let result = apply_plan(&target, state, &ops).await;
    warn_problem(target.problem());
    match result {
        Ok(()) => Ok(()),
        Err(failure) => {
            eprintln!(
                "ipvs-tui: {}: {}",
                ops[failure.step].to_command(),
                failure.error
            );
            if failure.step == 0 {
                eprintln!("ipvs-tui: nothing was changed");
            } else if failure.rollback_errors.is_empty() {
                eprintln!(
                    "ipvs-tui: undid the {} change(s) before it; every sysctl is as it was",
                    failure.step
                );
            } else {
                eprintln!(
                    "ipvs-tui: undoing the changes before it failed too; these sysctls are NOT as they were:"
                );
                for (op, e) in &failure.rollback_errors {
                    eprintln!("  {}: {e}", op.to_command());
                }
            }
            Err(Failure::Reported(EXIT_FAILED))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_follows_the_table_and_shows_what_is_absent() {
        let mut host = HostState::default();
        for (name, value) in [
            ("net.ipv4.ip_forward", "1"),
            ("net.ipv4.conf.all.arp_ignore", "1"),
            ("net.ipv4.conf.eth0/100.arp_ignore", "0"),
            ("net.ipv4.vs.sync_threshold", "3 50"),
        ] {
            host.sysctls.insert(name.into(), value.into());
        }
        let rows = rows(&host);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            &names[..4],
            [
                "net.ipv4.ip_forward",
                "net.ipv6.conf.all.forwarding",
                "net.ipv4.conf.all.arp_ignore",
                "net.ipv4.conf.eth0/100.arp_ignore"
            ]
        );
        assert_eq!(rows[1].value, None);
        assert_eq!(
            rows.len(),
            4 + LVS_SYSCTLS
                .iter()
                .filter(|s| s.name.starts_with("net.ipv4.vs."))
                .count()
        );
        let text = table(&rows);
        // Names padded to the longest, net.ipv4.vs.expire_quiescent_template.
        assert!(text.starts_with("net.ipv4.ip_forward                    1       route packets between interfaces: an LVS-NAT director needs 1\n"), "{text}");
        assert!(
            text.contains("\nnet.ipv6.conf.all.forwarding           absent  route IPv6"),
            "{text}"
        );
        assert!(
            text.contains("\nnet.ipv4.vs.sync_threshold             3 50    sync a connection"),
            "{text}"
        );
        assert_eq!(rows[0].allowed, "must be 0 or 1");
    }
}
