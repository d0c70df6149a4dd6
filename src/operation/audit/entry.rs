//! One line of the audit log: what was changed, by whom, with what result, over what state.

use super::Context;
use super::before::before_lines;
use crate::ipvs::model::Snapshot;
use crate::ipvs::op::IpvsOp;
use crate::operation::OperationError;
use serde::{Deserialize, Serialize};
use std::fmt::Display;

/// Which front end made the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Console,
    Cli,
    /// `ipvs-tui agent`, for a client elsewhere (over SSH): the user is the one it claimed.
    Agent,
}

/// Whether the backend accepted the change; the reason is in [`Entry::error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditResult {
    Ok,
    Failed,
}

/// One applied change. As JSON, e.g.:
/// `{"time":"2026-11-25T14:03:07.412Z","user":"alice","host":"lb1","source":"console",
/// "command":"ipvsadm -d -t 192.0.2.1:80 -r 10.0.0.2:80","result":"ok",
/// "before":["-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 3"],"op":{"op":"delete_dest",...}}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// RFC 3339, UTC, to the millisecond.
    pub time: jiff::Timestamp,
    pub user: String,
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The equivalent command: ipvsadm for IPVS, ip or sysctl for the host.
    pub command: String,
    /// The command this change undid, for an undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo_of: Option<String>,
    pub result: AuditResult,
    /// Why the change failed, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What the change replaced: `ipvsadm -S` lines (see [`before_lines`]) for IPVS, the
    /// command or sysctl.conf line that restores it for the host.
    #[serde(default)]
    pub before: Vec<String>,
    /// The change itself (`IpvsOp` or `HostOp` as JSON). Kept as a value so that lines written by other
    /// versions still read.
    pub op: serde_json::Value,
}

impl Entry {
    pub fn new(
        op: &IpvsOp,
        result: &Result<(), OperationError>,
        before: &Snapshot,
        context: &Context,
        time: jiff::Timestamp,
    ) -> Entry {
        // IpvsOp holds only strings, numbers and enums: it always serialises.
        let value = serde_json::to_value(op).unwrap_or(serde_json::Value::Null);
        let result = result.as_ref().map_err(|e| e as &dyn Display).copied();
        Entry::of_change(
            op.to_command(),
            value,
            result,
            before_lines(op, before),
            context,
            time,
        )
    }

    /// The entry for any change (an IPVS one, a host one): its command, the change as JSON, the
    /// result with the reason of a failure (written in its words), and what it replaced.
    pub fn of_change(
        command: String,
        op: serde_json::Value,
        result: Result<(), &dyn Display>,
        before: Vec<String>,
        context: &Context,
        time: jiff::Timestamp,
    ) -> Entry {
        let time = time.round(jiff::Unit::Millisecond).unwrap_or(time);
        Entry {
            time,
            user: context.user.clone(),
            host: context.host.clone(),
            source: context.source,
            command,
            undo_of: context.undo_of.clone(),
            result: if result.is_ok() {
                AuditResult::Ok
            } else {
                AuditResult::Failed
            },
            error: result.err().map(|e| e.to_string()),
            before,
            op,
        }
    }

    pub fn is_ok(&self) -> bool {
        self.result == AuditResult::Ok
    }
}
