//! SimBackend: IPVS simulated in memory, with synthetic traffic, for demo mode, UI tests and
//! scale tests. It takes the same changes as the kernel backend and refuses them the same way.
//!
//! What it models, and how (see also the modules):
//! - the table through `table::apply`, plus the kernel's other refusals (`checks`);
//! - per service, Poisson arrivals of new connections from a client pool; a scheduler per the
//!   service's (`sched`); persistence templates; one-packet scheduling for UDP. A real server at
//!   weight 0 is never scheduled; a client that already holds a persistence template for it
//!   keeps reaching it until the template expires, as with the kernel's default
//!   expire_quiescent_template = 0;
//! - connection entries that carry traffic for an exponential duration, then linger in the state
//!   the kernel would leave them in (NAT TCP: TIME_WAIT 120 s; DR/TUN TCP: FIN_WAIT for tcpfin;
//!   UDP: the udp timeout), and expire; ActiveConn/InActConn/PersistConn follow them;
//! - counters that move only on 2-second estimator ticks, and the kernel's EWMA rates (`stats`);
//!   DR and TUN real servers count no outgoing traffic; Zero restarts counters and rates; a real
//!   server deleted and re-added within 120 s gets its counters back (the kernel's dest trash).
//!
//! Deterministic: the same seed and the same sequence of `advance`/`apply` calls give identical
//! snapshots and connection tables, however the time between them is split into `advance` calls.
//!
//! Memory is bounded by the connection-entry cap (`[simulator] max_conns`, default 100,000,
//! templates included): at the cap, a new connection is refused, as when the kernel cannot
//! allocate an entry (no entry, nothing counted), and `dropped_conns` counts it.

mod checks;
mod conn;
mod engine;
mod rng;
mod scenario;
mod sched;
mod slab;
mod stats;
mod traffic;

#[cfg(test)]
mod tests_conns;
#[cfg(test)]
mod tests_ops;
#[cfg(test)]
mod tests_scenario;
#[cfg(test)]
mod tests_traffic;

pub use scenario::ScenarioError;

use super::error::{Error, Result};
use super::model::{DestConfig, Forward, Protocol, ServiceConfig, ServiceKey, Snapshot};
use super::op::IpvsOp;
use engine::Sim;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use traffic::Traffic;

/// The demo scenario: a NAT web VIP, a DR VIP on port 81, persistent HTTPS, UDP DNS, a fwmark
/// service over tunnels and an IPv6 service.
pub const DEMO_SCENARIO: &str = include_str!("../../../assets/demo.toml");

pub struct SimBackend {
    inner: Mutex<Inner>,
}

struct Inner {
    sim: Sim,
    /// In wall-clock mode, when the simulation last caught up with real time.
    wall: Option<Instant>,
}

/// The one place a table errno becomes an error, worded by the kernel backend's own mapping so
/// the console cannot tell the simulator's refusals from the kernel's.
fn kernel_error(op: &IpvsOp, errno: i32) -> Error {
    super::netlink::errno::op_error(op, errno)
}

/// Validation, then the kernel's checks and the table, as KernelBackend::apply does.
fn apply_op(sim: &mut Sim, op: &IpvsOp) -> Result<()> {
    super::parse::validate(op).map_err(|e| Error::Refused(e.to_string()))?;
    sim.apply(op).map_err(|errno| kernel_error(op, errno))
}

impl SimBackend {
    fn wrap(sim: Sim) -> SimBackend {
        SimBackend {
            inner: Mutex::new(Inner { sim, wall: None }),
        }
    }

    /// An empty table, no traffic: what a fresh kernel shows.
    pub fn new(seed: u64) -> SimBackend {
        SimBackend::wrap(Sim::new(seed))
    }

    /// The demo scenario (assets/demo.toml).
    pub fn demo(seed: u64) -> SimBackend {
        SimBackend::from_scenario(DEMO_SCENARIO, seed).expect("assets/demo.toml loads (tested)")
    }

    /// A scenario in the format of assets/demo.toml. Its services and real servers go through
    /// the same checks as any change, so a duplicate or an unknown scheduler is an error too.
    pub fn from_scenario(text: &str, seed: u64) -> std::result::Result<SimBackend, ScenarioError> {
        let scenario = scenario::parse(text)?;
        let mut sim = Sim::new(seed);
        if let Some(n) = scenario.max_conns {
            sim.max_conns = n;
        }
        if let Some(interfaces) = scenario.interfaces {
            sim.interfaces = interfaces;
        }
        sim.default_traffic = scenario.default_traffic.map(Arc::new);
        for step in scenario.steps {
            if let (IpvsOp::AddService(config), Some(traffic)) = (&step.op, step.traffic) {
                sim.profiles.insert(config.key, Arc::new(traffic));
            }
            apply_op(&mut sim, &step.op).map_err(|e| ScenarioError {
                line: step.line,
                field: Some(step.field.to_string()),
                message: e.to_string(),
            })?;
        }
        Ok(SimBackend::wrap(sim))
    }

    /// `services` TCP services (192.0.2.1-254, ports from 1024) with `dests_per_service` NAT
    /// real servers each (10.x.y.z, weights 1 to 3, wlc), each service with light traffic
    /// (0.01 to 0.1 new connections per second, chosen by the seed).
    ///
    /// # Panics
    /// Beyond 65,536 services or 254 real servers per service: the address plan ends there.
    pub fn scale(services: usize, dests_per_service: usize, seed: u64) -> SimBackend {
        assert!(
            services <= 65_536 && dests_per_service <= 254,
            "scale() addresses at most 65536 services of 254 real servers"
        );
        let mut sim = Sim::new(seed);
        let mut rng = rng::Rng::new(seed ^ 0x5CA1E);
        for i in 0..services {
            let key = ServiceKey::Addr {
                protocol: Protocol::Tcp,
                addr: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1 + (i % 254) as u8)),
                port: 1024 + (i / 254) as u16,
            };
            let traffic = Traffic {
                conns_per_sec: 0.01 + 0.09 * rng.unit(),
                bytes_in: 400,
                bytes_out: 4000 + rng.below(16000),
                duration: 0.5,
                clients: None,
                targets: Vec::new(),
                abandoned: 0.0,
            };
            sim.profiles.insert(key, Arc::new(traffic));
            apply_op(&mut sim, &IpvsOp::AddService(ServiceConfig::new(key)))
                .expect("scale service keys are unique");
            for j in 0..dests_per_service {
                let addr = IpAddr::V4(Ipv4Addr::new(10, (i >> 8) as u8, i as u8, 1 + j as u8));
                let dest = DestConfig {
                    forward: Forward::Masq,
                    weight: 1 + (j % 3) as u32,
                    ..DestConfig::new(addr, 80)
                };
                apply_op(&mut sim, &IpvsOp::AddDest { service: key, dest })
                    .expect("scale real servers are unique");
            }
        }
        SimBackend::wrap(sim)
    }

    /// From now on, every snapshot, change and connection listing first advances the
    /// simulation by the real time elapsed since the previous one (for demo mode).
    pub fn with_wall_clock(self) -> SimBackend {
        self.lock().wall = Some(Instant::now());
        self
    }

    /// The connection-entry cap (see the module documentation).
    pub fn with_max_conns(self, max: usize) -> SimBackend {
        self.lock().sim.max_conns = max;
        self
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The state stays consistent across a panic elsewhere: every change completes under the lock.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The simulation, caught up with real time in wall-clock mode.
    fn with<R>(&self, f: impl FnOnce(&mut Sim) -> R) -> R {
        let mut inner = self.lock();
        if let Some(last) = inner.wall {
            let now = Instant::now();
            inner.sim.advance(now - last);
            inner.wall = Some(now);
        }
        f(&mut inner.sim)
    }

    /// Advances simulated time: traffic arrives, entries age and expire, the estimator ticks.
    pub fn advance(&self, dt: Duration) {
        self.lock().sim.advance(dt);
    }

    /// Simulated time since the start.
    pub fn elapsed(&self) -> Duration {
        Duration::from_micros(self.with(|sim| sim.now_us))
    }

    /// The connection table in the exact format of /proc/net/ip_vs_conn, header included.
    pub fn conn_table(&self) -> String {
        self.with(|sim| sim.conn_table())
    }

    /// How many entries (connections and templates) the table holds.
    pub fn conn_entries(&self) -> usize {
        self.with(|sim| sim.conn_entries())
    }

    /// New connections refused so far because the entry cap was reached.
    pub fn dropped_conns(&self) -> u64 {
        self.with(|sim| sim.dropped)
    }
}

impl SimBackend {
    pub async fn snapshot(&self) -> Result<Snapshot> {
        Ok(self.with(|sim| sim.snapshot()))
    }

    /// Applies one change as the kernel would, refusing what it refuses.
    pub async fn apply(&self, op: &IpvsOp) -> Result<()> {
        self.with(|sim| apply_op(sim, op))
    }
}
