//! The director on this machine: IPVS over generic netlink (`KernelBackend`), connected again
//! whenever it is not (the console starts without IPVS and picks it up once the module is
//! loaded), and the host over rtnetlink and /proc/sys.

use super::{Backend, Reply};
use crate::host::{self, HostError, HostState};
use crate::ipvs::kernel::{KernelBackend, RECONNECT_EVERY};
use crate::ipvs::model::{Snapshot, Watched};
use crate::ipvs::{Error, Result};
use crate::operation::{Operation, OperationError};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

/// This host's IPVS and network namespace. `Kernel::default()` connects to IPVS on first use
/// only, so a command that changes only the host never loads ip_vs.
#[derive(Default)]
pub struct Kernel {
    ipvs: RefCell<Option<Rc<KernelBackend>>>,
    /// The last failed connection, repeated until RECONNECT_EVERY has passed.
    failed: RefCell<Option<(Instant, Error)>>,
    /// Held while connecting: a poll and a change asking at once try (and run modprobe) once.
    connecting: tokio::sync::Mutex<()>,
}

impl Kernel {
    /// Connected now, or the reason it cannot be (for commands that need IPVS).
    pub async fn connect() -> Result<Kernel> {
        Ok(Kernel::after(Ok(KernelBackend::connect().await?)))
    }

    /// Starts from a connection attempt already made (the console's start-up probe): connected,
    /// or failed just now, so that the first poll does not try (and run modprobe) again.
    pub fn after(attempt: Result<KernelBackend>) -> Kernel {
        match attempt {
            Ok(b) => Kernel {
                ipvs: RefCell::new(Some(Rc::new(b))),
                ..Kernel::default()
            },
            Err(e) => Kernel {
                failed: RefCell::new(Some((Instant::now(), e))),
                ..Kernel::default()
            },
        }
    }

    /// The IPVS backend, connecting (again) if it is not connected and RECONNECT_EVERY has
    /// passed; for what only the kernel offers (one service's real servers, `list -t`).
    pub async fn table(&self) -> Result<Rc<KernelBackend>> {
        if let Some(b) = self.ipvs.borrow().clone() {
            return Ok(b);
        }
        let _connecting = self.connecting.lock().await;
        // Connected while this one waited.
        if let Some(b) = self.ipvs.borrow().clone() {
            return Ok(b);
        }
        if let Some((at, error)) = self.failed.borrow().as_ref()
            && at.elapsed() < RECONNECT_EVERY
        {
            return Err(error.clone());
        }
        match KernelBackend::connect().await {
            Ok(b) => {
                let b = Rc::new(b);
                *self.ipvs.borrow_mut() = Some(b.clone());
                *self.failed.borrow_mut() = None;
                Ok(b)
            }
            Err(e) => {
                *self.failed.borrow_mut() = Some((Instant::now(), e.clone()));
                Err(e)
            }
        }
    }

    fn forget_if_gone(&self, result: Result<Snapshot>) -> Result<Snapshot> {
        if matches!(result, Err(Error::Unavailable(_))) {
            // The family is gone (ip_vs unloaded): start over next time.
            *self.ipvs.borrow_mut() = None;
        }
        result
    }
}

impl Backend for Kernel {
    fn snapshot(&self) -> Reply<'_, Result<Snapshot>> {
        Box::pin(async move {
            let backend = self.table().await?;
            self.forget_if_gone(backend.snapshot().await)
        })
    }

    fn poll(&self, watched: Watched) -> Reply<'_, Result<Snapshot>> {
        Box::pin(async move {
            let backend = self.table().await?;
            self.forget_if_gone(backend.poll(watched).await)
        })
    }

    fn host(&self) -> Reply<'_, std::result::Result<HostState, HostError>> {
        Box::pin(host::read_state())
    }

    fn host_links(&self) -> Reply<'_, std::result::Result<HostState, HostError>> {
        Box::pin(host::read_links())
    }

    fn apply<'a>(
        &'a self,
        op: &'a Operation,
    ) -> Reply<'a, std::result::Result<(), OperationError>> {
        Box::pin(async move {
            match op {
                Operation::Ipvs(op) => Ok(self.table().await?.apply(op).await?),
                Operation::Host(op) => Ok(host::apply(op).await?),
            }
        })
    }

    fn apply_batch<'a>(
        &'a self,
        ops: &'a [Operation],
    ) -> Reply<'a, Vec<std::result::Result<(), OperationError>>> {
        Box::pin(async move {
            // The IPVS changes at the front go in netlink batches; a host change goes alone.
            let ipvs: Vec<&crate::ipvs::IpvsOp> = ops
                .iter()
                .map_while(|op| match op {
                    Operation::Ipvs(op) => Some(op),
                    Operation::Host(_) => None,
                })
                .collect();
            if ipvs.is_empty() {
                return match ops.first() {
                    Some(op) => vec![self.apply(op).await],
                    None => Vec::new(),
                };
            }
            match self.table().await {
                Ok(table) => table
                    .apply_batch(&ipvs)
                    .await
                    .into_iter()
                    .map(|r| r.map_err(Into::into))
                    .collect(),
                Err(e) => vec![Err(e.into())],
            }
        })
    }

    fn is_live(&self) -> bool {
        true
    }
}
