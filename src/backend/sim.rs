//! The simulated director: the simulator's table (`SimBackend`, with synthetic traffic) and an
//! in-memory host (`MemoryHost`, the demo's plausible director). Nothing of this machine is read
//! or changed.

use super::{Backend, Reply};
use crate::host::{HostError, HostState, MemoryHost};
use crate::ipvs::Result;
use crate::ipvs::model::Snapshot;
use crate::ipvs::sim::SimBackend;
use crate::operation::{Operation, OperationError};
use std::sync::Arc;

pub struct Sim {
    /// Shared with the connections pane, which reads the simulator's connection table.
    pub table: Arc<SimBackend>,
    pub host: MemoryHost,
}

impl Sim {
    pub fn new(table: impl Into<Arc<SimBackend>>, host: MemoryHost) -> Sim {
        Sim {
            table: table.into(),
            host,
        }
    }
}

impl Backend for Sim {
    fn snapshot(&self) -> Reply<'_, Result<Snapshot>> {
        Box::pin(self.table.snapshot())
    }

    fn host(&self) -> Reply<'_, std::result::Result<HostState, HostError>> {
        Box::pin(async move { Ok(self.host.current()) })
    }

    fn apply<'a>(
        &'a self,
        op: &'a Operation,
    ) -> Reply<'a, std::result::Result<(), OperationError>> {
        Box::pin(async move {
            match op {
                Operation::Ipvs(op) => Ok(self.table.apply(op).await?),
                Operation::Host(op) => Ok(self.host.apply(op).await?),
            }
        })
    }
}
