//! A director held in memory, without traffic: a table and a host that refuse what the parsers
//! and the kernel would refuse, in the same words. For tests of plans and changes.

use super::{Backend, Reply};
use crate::host::{HostError, HostState, MemoryHost};
use crate::ipvs::model::Snapshot;
use crate::ipvs::netlink::errno;
use crate::ipvs::{Error, Result, parse, table};
use crate::operation::{Operation, OperationError, State};
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct Memory {
    table: Mutex<Snapshot>,
    host: MemoryHost,
}

impl Memory {
    pub fn new(state: State) -> Memory {
        Memory {
            table: Mutex::new(state.table),
            host: MemoryHost::new(state.host),
        }
    }

    /// The table and the host as they are now.
    pub fn state(&self) -> State {
        State::new(self.table_now(), self.host.current())
    }

    fn table_now(&self) -> Snapshot {
        self.table.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Backend for Memory {
    fn snapshot(&self) -> Reply<'_, Result<Snapshot>> {
        Box::pin(async move { Ok(self.table_now()) })
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
                Operation::Ipvs(op) => {
                    parse::validate(op).map_err(|e| Error::Refused(e.to_string()))?;
                    let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
                    Ok(table::apply(&mut table, op).map_err(|n| errno::op_error(op, n))?)
                }
                Operation::Host(op) => Ok(self.host.apply(op).await?),
            }
        })
    }
}
