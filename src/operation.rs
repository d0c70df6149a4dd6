//! Operation: the one currency of change, an IPVS change or a host change.
//!
//! STAND-IN for branch `host` (issue 6, part 1), to its agreed contract; replaced on merge.

use crate::host::{HostOp, HostState};
use crate::ipvs::IpvsOp;
use crate::ipvs::model::Snapshot;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Operation {
    Ipvs(IpvsOp),
    Host(HostOp),
}

impl Operation {
    /// The equivalent shell command (`ipvsadm ...`, `ip addr add ...`, `sysctl -w ...`).
    pub fn to_command(&self) -> String {
        match self {
            Operation::Ipvs(op) => op.to_command(),
            Operation::Host(op) => op.to_command(),
        }
    }

    /// The changes that undo this one, given the state before it.
    pub fn inverse(&self, ipvs: &Snapshot, host: &HostState) -> Option<Vec<Operation>> {
        match self {
            Operation::Ipvs(op) => Some(op.inverse(ipvs)?.into_iter().map(Operation::Ipvs).collect()),
            Operation::Host(op) => Some(op.inverse(host)?.into_iter().map(Operation::Host).collect()),
        }
    }
}
