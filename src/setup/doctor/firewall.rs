//! Firewall rules that may drop traffic to a VIP: read from `nft list ruleset` or
//! `iptables-save` text. Only ever a warning: the doctor never changes a firewall.

use super::{Finding, Severity};
use crate::ipvs::model::ServiceKey;
use crate::setup::facts::{Facts, FirewallRules};

/// Lines shown per finding at most.
const SHOWN: usize = 5;

pub fn check(facts: &Facts) -> Vec<Finding> {
    facts
        .firewall
        .iter()
        .flat_map(|fw| check_rules(facts, fw))
        .collect()
}

/// The findings of one tool's rules.
fn check_rules(facts: &Facts, fw: &FirewallRules) -> Vec<Finding> {
    let lines: Vec<&str> = fw.text.lines().map(str::trim).collect();
    let drops = |l: &str| {
        let words: Vec<&str> = l.split(|c: char| c.is_whitespace() || c == ';').collect();
        words
            .iter()
            .any(|w| matches!(*w, "drop" | "reject" | "DROP" | "REJECT"))
    };
    // A policy that drops what no rule accepts: `:INPUT DROP [0:0]`, `policy drop;`.
    let policies: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| {
            l.contains("policy drop")
                || ((l.starts_with(":INPUT ") || l.starts_with(":FORWARD ")) && l.contains(" DROP"))
        })
        .collect();
    let mut vips: Vec<String> = facts
        .ipvs
        .services
        .iter()
        .filter_map(|s| match s.config.key {
            ServiceKey::Addr { addr, .. } => Some(addr.to_string()),
            ServiceKey::Fwmark { .. } => None,
        })
        .collect();
    vips.dedup();
    let mut out = Vec::new();
    for vip in vips {
        let mut hits: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| drops(l) && mentions(l, &vip) && !l.starts_with('#'))
            .collect();
        hits.extend(policies.iter().copied());
        if hits.is_empty() {
            continue;
        }
        let more = hits.len().saturating_sub(SHOWN);
        let mut shown = hits
            .iter()
            .take(SHOWN)
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if more > 0 {
            shown.push_str(&format!(" and {more} more"));
        }
        out.push(
            Finding::new(Severity::Warning, "firewall_may_drop", format!("{} rules may drop traffic to the VIP {vip}: {shown}", fw.tool), "IPVS sees a packet only after the firewall's input hook has let it in; a NAT director's replies also pass its forward hook")
                .advice(format!("check that the {} rules accept the service ports on {vip} (the doctor never changes a firewall)", fw.tool)),
        );
    }
    out
}

/// True when `line` names `addr` as a whole address (not `10.0.0.10` for `10.0.0.1`).
fn mentions(line: &str, addr: &str) -> bool {
    line.match_indices(addr).any(|(i, _)| {
        let after = line[i + addr.len()..].chars().next();
        let before = line[..i].chars().next_back();
        let edge = |c: Option<char>| {
            c.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '.' || c == ':'))
        };
        edge(before) && edge(after)
    })
}
