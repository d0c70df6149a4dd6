//! Operation: the one currency of change. Every change the user can make, to IPVS or to the host
//! around it, is one value that renders as its shell command, knows its inverse and whether it is
//! destructive; plans of them apply all or nothing (see [`plan`]).

pub mod audit;
pub mod audited;
pub mod plan;

use crate::host::{self, HostError, HostOp, HostState};
use crate::ipvs::model::Snapshot;
use crate::ipvs::netlink::errno;
use crate::ipvs::parse::Parsed;
use crate::ipvs::{self, IpvsOp, table};
use crate::operation::audit::{AuditLog, Context, Entry};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use audited::AuditedOps;
pub use plan::{BadStep, PlanFailure, StepError, apply_plan, check_plan, undo_steps};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Operation {
    Ipvs(IpvsOp),
    Host(HostOp),
}

/// The state an operation applies to: the IPVS table and the host, read just before.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub table: Snapshot,
    pub host: HostState,
}

impl State {
    pub fn new(table: Snapshot, host: HostState) -> State {
        State { table, host }
    }
}

/// Why an operation failed, in the words of the layer that refused it.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum OperationError {
    #[error(transparent)]
    Ipvs(#[from] ipvs::Error),
    #[error(transparent)]
    Host(#[from] HostError),
}

impl From<IpvsOp> for Operation {
    fn from(op: IpvsOp) -> Operation {
        Operation::Ipvs(op)
    }
}

impl From<HostOp> for Operation {
    fn from(op: HostOp) -> Operation {
        Operation::Host(op)
    }
}

impl Operation {
    /// The equivalent shell command (`ipvsadm ...`, `ip addr ...`, `sysctl -w ...`).
    pub fn to_command(&self) -> String {
        match self {
            Operation::Ipvs(op) => op.to_command(),
            Operation::Host(op) => op.to_command(),
        }
    }

    pub fn is_destructive(&self) -> bool {
        match self {
            Operation::Ipvs(op) => op.is_destructive(),
            Operation::Host(op) => op.is_destructive(),
        }
    }

    /// The operations that undo this one, given the state just before it; `None` when it cannot
    /// be undone (zeroed counters) or `before` lacks what it replaces.
    pub fn inverse(&self, before: &State) -> Option<Vec<Operation>> {
        match self {
            Operation::Ipvs(op) => Some(
                op.inverse(&before.table)?
                    .into_iter()
                    .map(Operation::Ipvs)
                    .collect(),
            ),
            Operation::Host(op) => Some(
                op.inverse(&before.host)?
                    .into_iter()
                    .map(Operation::Host)
                    .collect(),
            ),
        }
    }

    /// What this operation replaces in `before`, as lines for the audit log.
    pub fn before_lines(&self, before: &State) -> Vec<String> {
        match self {
            Operation::Ipvs(op) => audit::before_lines(op, &before.table),
            Operation::Host(op) => op.before_lines(&before.host),
        }
    }

    /// The rules of the parsers, for operations built some other way (a plan file, a wizard).
    pub fn validate(&self) -> Parsed<()> {
        match self {
            Operation::Ipvs(op) => ipvs::parse::validate(op),
            Operation::Host(op) => host::parse::validate(op),
        }
    }

    /// Applies this operation to an in-memory copy of the state, refusing what the kernel would
    /// refuse, with the same words; `state` is unchanged on error.
    pub fn apply_in_memory(&self, state: &mut State) -> Result<(), OperationError> {
        match self {
            Operation::Ipvs(op) => {
                table::apply(&mut state.table, op).map_err(|n| errno::op_error(op, n).into())
            }
            Operation::Host(op) => host::memory::apply(&mut state.host, op).map_err(Into::into),
        }
    }
}

/// Appends `op`, applied with `result` on the state `before`, to the audit log.
pub fn record(
    log: &AuditLog,
    op: &Operation,
    result: &Result<(), OperationError>,
    before: &State,
    context: &Context,
) -> std::io::Result<()> {
    log.append(&entry(op, result, before, context, jiff::Timestamp::now()))
}

/// The audit entry [`record`] appends, for writing many at once ([`AuditLog::append_all`]):
/// the changes of one batch share its time `now` (a clock read per change was a system call
/// each under user-mode Linux, 60,000 of them in a large restore).
pub fn entry(
    op: &Operation,
    result: &Result<(), OperationError>,
    before: &State,
    context: &Context,
    now: jiff::Timestamp,
) -> Entry {
    match op {
        Operation::Ipvs(ipvs_op) => Entry::new(ipvs_op, result, &before.table, context, now),
        Operation::Host(host_op) => {
            // HostOp holds only strings, numbers and addresses: it always serialises.
            let value = serde_json::to_value(host_op).unwrap_or(serde_json::Value::Null);
            let result = result
                .as_ref()
                .map_err(|e| e as &dyn std::fmt::Display)
                .copied();
            Entry::of_change(
                host_op.to_command(),
                value,
                result,
                host_op.before_lines(&before.host),
                context,
                now,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::args::parse_args;

    #[test]
    fn an_operation_speaks_for_either_kind() {
        let ipvs: Operation = parse_args(&["-D", "-t", "192.0.2.1:80"]).unwrap().into();
        let host: Operation = host::parse::add_addr("192.0.2.1", "lo", Some("lo:0"))
            .unwrap()
            .into();
        assert_eq!(ipvs.to_command(), "ipvsadm -D -t 192.0.2.1:80");
        assert_eq!(
            host.to_command(),
            "ip addr add 192.0.2.1/32 dev lo label lo:0"
        );
        assert!(ipvs.is_destructive() && !host.is_destructive());
        assert_eq!(
            serde_json::to_value(&host).unwrap()["op"],
            "add_addr",
            "untagged: the op's own tag"
        );
        let inverse = host.inverse(&State::default()).unwrap();
        assert_eq!(
            inverse,
            [Operation::Host(
                host::parse::del_addr("192.0.2.1/32", "lo").unwrap()
            )]
        );
        assert_eq!(
            ipvs.inverse(&State::default()),
            None,
            "no such service before"
        );
    }

    #[test]
    fn host_changes_are_audited_like_ipvs_ones() {
        use crate::operation::audit::{Entry, Source};
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.log"));
        let context = Context {
            user: "alice".into(),
            host: "lb1".into(),
            source: Some(Source::Cli),
            undo_of: None,
        };
        let mut before = State::default();
        before
            .host
            .sysctls
            .insert("net.ipv4.ip_forward".into(), "0".into());
        let set: Operation = host::parse::sysctl_assignment("net.ipv4.ip_forward=1")
            .unwrap()
            .into();
        record(&log, &set, &Ok(()), &before, &context).unwrap();
        let refused = Err(HostError::NoInterface("eth9".into()).into());
        let add: Operation = host::parse::add_addr("192.0.2.1", "eth9", None)
            .unwrap()
            .into();
        record(&log, &add, &refused, &before, &context).unwrap();
        let ipvs_op: Operation = parse_args(&["-A", "-t", "192.0.2.1:80"]).unwrap().into();
        record(&log, &ipvs_op, &Ok(()), &before, &context).unwrap();

        let text = std::fs::read_to_string(log.path()).unwrap();
        let entries: Vec<Entry> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].command, "sysctl -w net.ipv4.ip_forward=1");
        assert!(entries[0].is_ok());
        assert_eq!(entries[0].before, ["net.ipv4.ip_forward = 0"]);
        assert_eq!(entries[0].op["op"], "set_sysctl");
        assert_eq!(entries[0].op["value"], "1");
        assert_eq!(
            (entries[1].command.as_str(), entries[1].error.as_deref()),
            (
                "ip addr add 192.0.2.1/32 dev eth9",
                Some("interface eth9 does not exist")
            )
        );
        assert!(!entries[1].is_ok());
        assert_eq!(
            (entries[2].command.as_str(), entries[2].op["op"].as_str()),
            ("ipvsadm -A -t 192.0.2.1:80 -s wlc", Some("add_service"))
        );
        assert_eq!(
            (entries[2].user.as_str(), entries[2].source),
            ("alice", Some(Source::Cli))
        );
    }
}
