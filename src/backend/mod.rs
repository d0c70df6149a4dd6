//! The director: one trait for whatever holds an IPVS table and the host around it (this
//! machine's kernel, the simulator, the read-only /proc view; later a remote agent). It sits above
//! `ipvs`, `host` and `operation`, which know nothing of it, and below the CLI, `setup` and the
//! console's runtime, which reach a director only through it.

use crate::host::{HostError, HostState};
use crate::ipvs::model::{Snapshot, Watched};
use crate::ipvs::{self, IpvsOp};
use crate::operation::{Operation, OperationError};
use futures::future::LocalBoxFuture;
use std::rc::Rc;

pub mod kernel;
pub mod memory;
pub mod procfs;
pub mod sim;

pub use kernel::Kernel;
pub use memory::Memory;
pub use procfs::ReadOnly;
pub use sim::Sim;

/// What a director answers with: a future on the caller's thread (the console runs on one
/// thread in a `LocalSet`), boxed so that `dyn Backend` works and a remote director fits.
pub type Reply<'a, T> = LocalBoxFuture<'a, T>;

/// One IPVS table and the machine around it: read the table (in full, or incrementally for a
/// console that polls), read the host, apply an [`Operation`]. Inputs and outputs are plain data,
/// so the same calls can travel over a wire to a remote director.
///
/// Calls may overlap (the poller polls while the executor applies a change): an implementation
/// keeps its own requests apart where its transport needs it. `KernelBackend` holds its netlink
/// socket under an async mutex, so a change never interleaves with a poll's dumps; a remote
/// director tags its requests with ids.
pub trait Backend {
    /// Services with their real servers and counters, timeouts, sync daemons and info.
    fn snapshot(&self) -> Reply<'_, ipvs::Result<Snapshot>>;
    /// The table for the next screen, equal to `snapshot`'s; a director may read less for it,
    /// knowing what it read before and which services' real servers must be read afresh.
    fn poll(&self, watched: Watched) -> Reply<'_, ipvs::Result<Snapshot>> {
        let _ = watched;
        self.snapshot()
    }
    /// Links, addresses, routes and the LVS sysctls around the table.
    fn host(&self) -> Reply<'_, Result<HostState, HostError>>;
    /// Links and addresses only (routes and sysctls left empty), when nothing shows the rest;
    /// by default the whole `host`.
    fn host_links(&self) -> Reply<'_, Result<HostState, HostError>> {
        self.host()
    }
    /// Applies one change, to IPVS or to the host. On error nothing of this change is left applied.
    fn apply<'a>(&'a self, op: &'a Operation) -> Reply<'a, Result<(), OperationError>>;
    /// Applies `ops` in order, as many at once as the director can (the kernel takes hundreds
    /// of IPVS changes in one netlink datagram). The result of each operation tried, in order,
    /// at least one if `ops` is not empty; those past the returned length were not tried. Ok:
    /// applied; Err: nothing of it applied. After a failure a director may have tried a few more
    /// (a netlink batch is tried to its end): their results say which of them took effect.
    /// By default: one `apply` at a time, up to the first failure.
    fn apply_batch<'a>(
        &'a self,
        ops: &'a [Operation],
    ) -> Reply<'a, Vec<Result<(), OperationError>>> {
        Box::pin(async move {
            let mut results = Vec::new();
            for op in ops {
                let result = self.apply(op).await;
                let failed = result.is_err();
                results.push(result);
                if failed {
                    break;
                }
            }
            results
        })
    }
    /// This machine, not a stand-in: what it reaches (real servers, the firewall) is real too.
    fn is_live(&self) -> bool {
        false
    }
}

impl<B: Backend + ?Sized> Backend for &B {
    fn snapshot(&self) -> Reply<'_, ipvs::Result<Snapshot>> {
        (**self).snapshot()
    }
    fn poll(&self, watched: Watched) -> Reply<'_, ipvs::Result<Snapshot>> {
        (**self).poll(watched)
    }
    fn host(&self) -> Reply<'_, Result<HostState, HostError>> {
        (**self).host()
    }
    fn host_links(&self) -> Reply<'_, Result<HostState, HostError>> {
        (**self).host_links()
    }
    fn apply<'a>(&'a self, op: &'a Operation) -> Reply<'a, Result<(), OperationError>> {
        (**self).apply(op)
    }
    fn apply_batch<'a>(
        &'a self,
        ops: &'a [Operation],
    ) -> Reply<'a, Vec<Result<(), OperationError>>> {
        (**self).apply_batch(ops)
    }
    fn is_live(&self) -> bool {
        (**self).is_live()
    }
}

impl<B: Backend + ?Sized> Backend for Rc<B> {
    fn snapshot(&self) -> Reply<'_, ipvs::Result<Snapshot>> {
        (**self).snapshot()
    }
    fn poll(&self, watched: Watched) -> Reply<'_, ipvs::Result<Snapshot>> {
        (**self).poll(watched)
    }
    fn host(&self) -> Reply<'_, Result<HostState, HostError>> {
        (**self).host()
    }
    fn host_links(&self) -> Reply<'_, Result<HostState, HostError>> {
        (**self).host_links()
    }
    fn apply<'a>(&'a self, op: &'a Operation) -> Reply<'a, Result<(), OperationError>> {
        (**self).apply(op)
    }
    fn apply_batch<'a>(
        &'a self,
        ops: &'a [Operation],
    ) -> Reply<'a, Vec<Result<(), OperationError>>> {
        (**self).apply_batch(ops)
    }
    fn is_live(&self) -> bool {
        (**self).is_live()
    }
}

/// The part of a director a command may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The ipvsadm-like commands have no business with the host.
    Ipvs,
    /// The host commands must work where IPVS is absent (a real server).
    Host,
}

/// Refuses `ops` unless every one changes `part` only: checked before anything is applied.
pub fn confine(ops: &[Operation], part: Part) -> Result<(), OperationError> {
    for op in ops {
        match (op, part) {
            (Operation::Host(op), Part::Ipvs) => {
                return Err(HostError::Invalid(format!(
                    "{}: the host is not part of this change",
                    op.to_command()
                ))
                .into());
            }
            (Operation::Ipvs(op), Part::Host) => return Err(ipvs_refused(op).into()),
            _ => {}
        }
    }
    Ok(())
}

fn ipvs_refused(op: &IpvsOp) -> ipvs::Error {
    ipvs::Error::Refused(format!(
        "{}: IPVS is not part of this change",
        op.to_command()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::args::parse_args;

    #[test]
    fn a_command_is_confined_to_its_part() {
        let ipvs: Operation = parse_args(&["-D", "-t", "192.0.2.1:80"]).unwrap().into();
        let host: Operation = crate::host::parse::sysctl_assignment("net.ipv4.ip_forward=1")
            .unwrap()
            .into();
        assert_eq!(confine(std::slice::from_ref(&ipvs), Part::Ipvs), Ok(()));
        assert_eq!(
            confine(&[ipvs.clone(), host.clone()], Part::Ipvs)
                .unwrap_err()
                .to_string(),
            "sysctl -w net.ipv4.ip_forward=1: the host is not part of this change"
        );
        assert_eq!(
            confine(&[host, ipvs], Part::Host).unwrap_err().to_string(),
            "ipvsadm -D -t 192.0.2.1:80: IPVS is not part of this change"
        );
    }
}
