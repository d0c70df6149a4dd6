//! The read-only director for a user without CAP_NET_ADMIN: the table from the world-readable
//! /proc/net/ip_vs (`ProcBackend`), the host as it is, and every change refused.

use super::{Backend, Reply};
use crate::host::{self, HostError, HostState};
use crate::ipvs::model::Snapshot;
use crate::ipvs::procfs::{ProcBackend, REFUSAL};
use crate::ipvs::{Error, Result};
use crate::operation::{Operation, OperationError};

pub struct ReadOnly(pub ProcBackend);

impl Backend for ReadOnly {
    fn snapshot(&self) -> Reply<'_, Result<Snapshot>> {
        Box::pin(self.0.snapshot())
    }

    fn host(&self) -> Reply<'_, std::result::Result<HostState, HostError>> {
        Box::pin(host::read_state())
    }

    fn apply<'a>(
        &'a self,
        _op: &'a Operation,
    ) -> Reply<'a, std::result::Result<(), OperationError>> {
        Box::pin(async { Err(Error::Refused(REFUSAL.to_string()).into()) })
    }

    fn is_live(&self) -> bool {
        true
    }
}
