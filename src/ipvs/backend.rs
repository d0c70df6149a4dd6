//! The interface every IPVS backend offers: the kernel over netlink, or the simulator.

use super::error::Result;
use super::model::Snapshot;
use super::op::IpvsOp;

/// A source of IPVS state and a sink for changes. Both implementations validate the same way and
/// word their errors the same way, so the console cannot tell them apart except by the badge.
#[allow(async_fn_in_trait)]
pub trait Backend {
    /// Services with their real servers and counters, timeouts, sync daemons and info.
    async fn snapshot(&self) -> Result<Snapshot>;
    /// Apply one change. On error nothing of this change is left applied.
    async fn apply(&self, op: &IpvsOp) -> Result<()>;
}

/// A backend shared with another reader (the console's demo: the poller and the connection pane
/// read the same simulator).
impl<B: Backend> Backend for std::sync::Arc<B> {
    async fn snapshot(&self) -> Result<Snapshot> {
        (**self).snapshot().await
    }

    async fn apply(&self, op: &IpvsOp) -> Result<()> {
        (**self).apply(op).await
    }
}
