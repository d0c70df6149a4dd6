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

/// The demo director (`--demo`, `agent --demo`): the simulator seeded with `seed`, a minute in
/// so that its tables are busy from the first frame, on the wall clock, with a plausible host
/// around it (every VIP bound, a director's sysctls). The table is returned too, for the
/// connections pane.
pub fn demo(seed: u64) -> (Sim, Arc<SimBackend>) {
    use futures::FutureExt;
    let sim = SimBackend::demo(seed);
    sim.advance(std::time::Duration::from_secs(60));
    let table = sim
        .snapshot()
        .now_or_never()
        .and_then(Result::ok)
        .unwrap_or_default();
    let host = MemoryHost::new(crate::host::demo::state(&table));
    let table = Arc::new(sim.with_wall_clock());
    (Sim::new(table.clone(), host), table)
}

/// The simulated director of `sim:NAME` (see `target`): the demo's table with traffic seeded
/// from the name, a minute in; a master binds every VIP on eth0 and runs the master sync
/// daemon, a backup binds none and runs the backup daemon, both with syncid 1 on eth1. The
/// table is returned too, for the connections pane.
pub fn named(name: &str, role: crate::remote::target::SimRole) -> (Sim, Arc<SimBackend>) {
    let (sim, host) = named_parts(name, role);
    let table = Arc::new(sim.with_wall_clock());
    (Sim::new(table.clone(), MemoryHost::new(host)), table)
}

/// `named`'s table on simulated time (tests advance it) and its host.
pub fn named_parts(name: &str, role: crate::remote::target::SimRole) -> (SimBackend, HostState) {
    use crate::ipvs::IpvsOp;
    use crate::ipvs::model::{SyncDaemon, SyncState};
    use crate::remote::target::SimRole;
    use futures::FutureExt;
    let sim = SimBackend::demo(seed(name));
    sim.advance(std::time::Duration::from_secs(60));
    let state = match role {
        SimRole::Master => SyncState::Master,
        SimRole::Backup => SyncState::Backup,
    };
    let daemon = SyncDaemon {
        state,
        mcast_ifn: "eth1".into(),
        sync_id: 1,
        sync_maxlen: 0,
        mcast_group: None,
        mcast_port: 0,
        mcast_ttl: 0,
    };
    // A fresh simulator has no daemon: starting one cannot fail.
    let _ = sim.apply(&IpvsOp::StartDaemon(daemon)).now_or_never();
    let table = sim
        .snapshot()
        .now_or_never()
        .and_then(Result::ok)
        .unwrap_or_default();
    let mut host = crate::host::demo::state(&table);
    if role == SimRole::Backup {
        let vips: Vec<std::net::IpAddr> = table
            .services
            .iter()
            .filter_map(|s| match s.config.key {
                crate::ipvs::model::ServiceKey::Addr { addr, .. } => Some(addr),
                _ => None,
            })
            .collect();
        for link in &mut host.links {
            if link.name == "eth0" {
                link.addrs.retain(|a| !vips.contains(&a.addr));
            }
        }
    }
    (sim, host)
}

/// The seed of a simulated director: FNV-1a of its name, stable across runs and builds.
pub fn seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_seed_is_the_names_and_differs_between_names() {
        assert_eq!(super::seed("lb1"), super::seed("lb1"));
        assert_ne!(super::seed("lb1"), super::seed("lb2"));
    }
}
