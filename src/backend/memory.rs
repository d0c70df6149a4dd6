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
    /// Changes per batch when it behaves as the kernel does with netlink batches (tries every
    /// change of a batch, past a failure); 0: one at a time, up to the first failure.
    batch: usize,
}

impl Memory {
    pub fn new(state: State) -> Memory {
        Memory {
            table: Mutex::new(state.table),
            host: MemoryHost::new(state.host),
            batch: 0,
        }
    }

    /// As `new`, but `apply_batch` goes as the kernel does through a netlink batch: `size`
    /// changes at a time, each tried whatever became of the ones before it.
    pub fn with_batches(state: State, size: usize) -> Memory {
        Memory {
            batch: size,
            ..Memory::new(state)
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

    fn apply_batch<'a>(
        &'a self,
        ops: &'a [Operation],
    ) -> Reply<'a, Vec<std::result::Result<(), OperationError>>> {
        Box::pin(async move {
            let mut results = Vec::new();
            for op in ops {
                let result = self.apply(op).await;
                let failed = result.is_err();
                results.push(result);
                if (self.batch == 0 && failed) || results.len() == self.batch {
                    break;
                }
            }
            results
        })
    }
}
