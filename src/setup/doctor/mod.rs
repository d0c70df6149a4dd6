//! The doctor: the classic LVS mistakes found in gathered `Facts`. Each finding says what is
//! wrong, why it matters, and how to fix it: as Operations when one exists, else in words.

mod director;
mod firewall;
mod real_server;
#[cfg(test)]
mod tests;

use super::facts::Facts;
use super::role::Role;
use crate::operation::Operation;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Traffic is lost or cannot reach a real server.
    Error,
    /// Traffic may be lost; worth a look.
    Warning,
    /// Something to know; nothing is wrong on this host.
    Hint,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// A stable name for scripts: `ip_forward_off`, `vip_not_bound`, ...
    pub check: &'static str,
    /// What is wrong.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// The Operations that fix it; empty when no Operation can (see `advice`).
    pub fix: Vec<Operation>,
    /// A fix in words, when Operations cannot say it (a module, a route, a listening server).
    pub advice: Option<String>,
}

impl Finding {
    fn new(
        severity: Severity,
        check: &'static str,
        what: String,
        why: impl Into<String>,
    ) -> Finding {
        Finding {
            severity,
            check,
            what,
            why: why.into(),
            fix: Vec::new(),
            advice: None,
        }
    }

    fn fix(mut self, ops: Vec<Operation>) -> Finding {
        self.fix = ops;
        self
    }

    fn advice(mut self, advice: impl Into<String>) -> Finding {
        self.advice = Some(advice.into());
        self
    }

    /// True for errors and warnings: `ipvs-tui doctor` then exits 1.
    pub fn is_problem(&self) -> bool {
        self.severity != Severity::Hint
    }
}

/// Every finding for the roles this host has (or was given), errors first.
pub fn diagnose(facts: &Facts) -> Vec<Finding> {
    let roles = facts.roles();
    let mut findings = Vec::new();
    if roles.is_empty() {
        findings.push(Finding::new(
            Severity::Hint,
            "no_role",
            "no IPVS service and no VIP on lo or tunl0: nothing to check".to_string(),
            "the doctor recognises a director by its services and a DR/TUN real server by its VIP",
        ).advice("on a real server, pass --role and --vip (or --director for a NAT real server)"));
    }
    if roles.iter().any(|r| r.is_director()) {
        findings.extend(director::check(facts, &roles));
        findings.extend(firewall::check(facts));
    }
    for role in &roles {
        match role {
            Role::DrRealServer | Role::TunRealServer => {
                findings.extend(real_server::check(facts, *role))
            }
            Role::NatRealServer => findings.extend(real_server::check_nat(facts)),
            _ => {}
        }
    }
    findings.sort_by_key(|f| f.severity);
    findings
}

/// A finding for `--json`: the fix as its commands.
#[derive(Debug, Serialize)]
pub struct FindingJson<'a> {
    pub severity: Severity,
    pub check: &'a str,
    pub what: &'a str,
    pub why: &'a str,
    pub fix: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<&'a str>,
}

impl<'a> From<&'a Finding> for FindingJson<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingJson {
            severity: f.severity,
            check: f.check,
            what: &f.what,
            why: &f.why,
            fix: f.fix.iter().map(Operation::to_command).collect(),
            advice: f.advice.as_deref(),
        }
    }
}

/// The findings as text for a terminal: one block each, then a closing count.
pub fn render_text(findings: &[Finding]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for f in findings {
        let tag = match f.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Hint => "HINT",
        };
        writeln!(out, "{tag} [{}] {}", f.check, f.what).unwrap();
        writeln!(out, "  why: {}", f.why).unwrap();
        for op in &f.fix {
            writeln!(out, "  fix: {}", op.to_command()).unwrap();
        }
        if let Some(a) = &f.advice {
            writeln!(out, "  advice: {a}").unwrap();
        }
    }
    let problems = findings.iter().filter(|f| f.is_problem()).count();
    if problems == 0 {
        out.push_str("doctor: no problem found\n");
    } else {
        writeln!(out, "doctor: {problems} problem(s) found").unwrap();
    }
    out
}
