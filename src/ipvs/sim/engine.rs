//! The simulated director: the IPVS table (kept by table::apply) plus what the kernel keeps
//! beside it (per-object counters and estimators, connection entries, persistence templates, the
//! dest trash) and the clock that drives them: arrivals, connection timers, estimator ticks.
//!
//! Time is in integer microseconds and every event happens at a fixed instant, so advancing by
//! 1 s twice or by 2 s once gives the same state, and a seed replays exactly.

mod conns;

use super::checks;
use super::conn::{Conn, TemplateKey};
use super::rng::Rng;
use super::slab::Slab;
use super::stats::{StatsRt, TICK_US};
use super::traffic::Traffic;
use crate::ipvs::model::*;
use crate::ipvs::op::IpvsOp;
use crate::ipvs::table;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

pub(super) const DEFAULT_MAX_CONNS: usize = 100_000;
const SECOND: u64 = 1_000_000;
/// IP_VS_DEST_TRASH_PERIOD: a deleted real server re-added within this keeps its counters.
const TRASH_US: u64 = 120 * SECOND;

pub(super) struct SvcRt {
    pub id: u64,
    pub config: ServiceConfig,
    pub stats: StatsRt,
    /// Its real servers as dest slots, in the table's order.
    pub dests: Vec<usize>,
    pub traffic: Option<Arc<Traffic>>,
    rr_cursor: usize,
}

pub(super) struct DestRt {
    pub config: DestConfig,
    /// The service it was added to, and that service's (slot, id).
    pub service: ServiceKey,
    pub owner: (usize, u64),
    pub stats: StatsRt,
    pub active: u32,
    pub inactive: u32,
    pub persist: u32,
    /// IP_VS_DEST_F_OVERLOAD: set at the upper threshold, cleared below the lower one.
    overloaded: bool,
    /// Set while in the trash: deleted, its entries still alive, its estimator stopped.
    deleted_at: Option<u64>,
}

pub(super) struct Sim {
    pub table: Snapshot,
    pub now_us: u64,
    /// Nanoseconds of advance not yet a whole microsecond.
    pending_ns: u64,
    next_tick_us: u64,
    rng: Rng,
    next_id: u64,
    svcs: Slab<SvcRt>,
    svc_index: HashMap<ServiceKey, usize>,
    dests: Slab<DestRt>,
    /// Slots of deleted real servers, in deletion order.
    trash: Vec<usize>,
    conns: Slab<Conn>,
    /// (time, conn slot, conn id): one pending timer per entry.
    timers: BinaryHeap<Reverse<(u64, usize, u64)>>,
    /// (time, service slot, service id): the next new connection of each service with traffic.
    arrivals: BinaryHeap<Reverse<(u64, usize, u64)>>,
    templates: HashMap<TemplateKey, usize>,
    /// Traffic of the scenario's services by key (found again if a service is re-created), and
    /// for any other service added later.
    pub profiles: HashMap<ServiceKey, Arc<Traffic>>,
    pub default_traffic: Option<Arc<Traffic>>,
    pub max_conns: usize,
    /// Interface names a sync daemon may use.
    pub interfaces: Vec<String>,
    /// New connections refused because the entry cap was reached.
    pub dropped: u64,
}

impl Sim {
    pub fn new(seed: u64) -> Sim {
        Sim {
            table: Snapshot {
                info: Info {
                    version: 0x010201,
                    conn_tab_size: 4096,
                },
                timeouts: Timeouts {
                    tcp: 900,
                    tcp_fin: 120,
                    udp: 300,
                },
                ..Snapshot::default()
            },
            now_us: 0,
            pending_ns: 0,
            next_tick_us: TICK_US,
            rng: Rng::new(seed),
            next_id: 0,
            svcs: Slab::default(),
            svc_index: HashMap::new(),
            dests: Slab::default(),
            trash: Vec::new(),
            conns: Slab::default(),
            timers: BinaryHeap::new(),
            arrivals: BinaryHeap::new(),
            templates: HashMap::new(),
            profiles: HashMap::new(),
            default_traffic: None,
            max_conns: DEFAULT_MAX_CONNS,
            interfaces: vec!["lo".to_string(), "eth0".to_string()],
            dropped: 0,
        }
    }

    fn new_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn conn_entries(&self) -> usize {
        self.conns.len()
    }

    pub fn advance(&mut self, dt: std::time::Duration) {
        let ns = self.pending_ns as u128 + dt.as_nanos();
        self.pending_ns = (ns % 1000) as u64;
        let target = self
            .now_us
            .saturating_add(u64::try_from(ns / 1000).unwrap_or(u64::MAX));
        self.run_until(target);
    }

    /// Runs every event due up to and including `target`: timers, then arrivals, then the
    /// estimator tick, at equal times.
    fn run_until(&mut self, target: u64) {
        loop {
            let timer = self.timers.peek().map(|Reverse(e)| e.0);
            let arrival = self.arrivals.peek().map(|Reverse(e)| e.0);
            let t = [timer, arrival]
                .into_iter()
                .flatten()
                .fold(self.next_tick_us, u64::min);
            if t > target {
                break;
            }
            self.now_us = t;
            if timer == Some(t) {
                let Reverse((_, slot, id)) = self.timers.pop().expect("peeked");
                self.on_timer(slot, id);
            } else if arrival == Some(t) {
                let Reverse((_, slot, id)) = self.arrivals.pop().expect("peeked");
                self.on_arrival(slot, id);
            } else {
                self.tick();
                self.next_tick_us += TICK_US;
            }
        }
        self.now_us = target;
    }

    /// The estimator pass over every service and real server, then the trash cleanup.
    fn tick(&mut self) {
        let now = self.now_us;
        for (_, s) in self.svcs.iter_mut() {
            s.stats.estimate(now);
        }
        for (_, d) in self.dests.iter_mut() {
            if d.deleted_at.is_none() {
                d.stats.estimate(now);
            }
        }
        let dests = &mut self.dests;
        self.trash.retain(|&slot| {
            let d = dests.get(slot).expect("trash holds live slots");
            let free = d.deleted_at.is_some_and(|at| at + TRASH_US <= now)
                && d.active + d.inactive + d.persist == 0;
            if free {
                dests.remove(slot);
            }
            !free
        });
    }

    /// Applies `op` with the kernel's errnos; on error nothing changed.
    pub fn apply(&mut self, op: &IpvsOp) -> Result<(), i32> {
        checks::kernel_checks(&self.table, op, &self.interfaces)?;
        table::apply(&mut self.table, op)?;
        match op {
            IpvsOp::AddService(config) => self.add_service(config),
            IpvsOp::EditService(config) => {
                let slot = self.svc_index[&config.key];
                self.svcs.get_mut(slot).expect("indexed service").config = config.clone();
            }
            IpvsOp::DeleteService(key) => self.remove_service(key),
            IpvsOp::AddDest { service, dest } => self.add_dest(service, dest),
            IpvsOp::EditDest { service, dest } => {
                let slot = self.dest_slot(service, &dest.addr, dest.port);
                let d = self.dests.get_mut(slot).expect("indexed dest");
                // __ip_vs_update_dest
                if dest.u_threshold == 0 || dest.u_threshold > d.config.u_threshold {
                    d.overloaded = false;
                }
                d.config = *dest;
            }
            IpvsOp::DeleteDest {
                service,
                dest: DestKey { addr, port },
            } => {
                let slot = self.dest_slot(service, addr, *port);
                let svc = self
                    .svcs
                    .get_mut(self.svc_index[service])
                    .expect("indexed service");
                svc.dests.retain(|&d| d != slot);
                self.trash_dest(slot);
            }
            IpvsOp::Zero(Some(key)) => self.zero(self.svc_index[key]),
            IpvsOp::Zero(None) => {
                let slots: Vec<usize> = self.svcs.iter().map(|(slot, _)| slot).collect();
                slots.into_iter().for_each(|slot| self.zero(slot));
            }
            IpvsOp::Flush => {
                let keys: Vec<ServiceKey> = self.svcs.iter().map(|(_, s)| s.config.key).collect();
                keys.iter().for_each(|k| self.remove_service(k));
            }
            IpvsOp::SetTimeouts(_) | IpvsOp::StartDaemon(_) | IpvsOp::StopDaemon(_) => {}
        }
        Ok(())
    }

    fn add_service(&mut self, config: &ServiceConfig) {
        let id = self.new_id();
        let key = config.key;
        let traffic = self.profiles.get(&key).cloned().or_else(|| {
            // Default traffic needs an address and port to connect to.
            self.default_traffic
                .clone()
                .filter(|_| matches!(key, ServiceKey::Addr { port, .. } if port != 0))
        });
        let slot = self.svcs.insert(SvcRt {
            id,
            config: config.clone(),
            stats: StatsRt::new(self.now_us),
            dests: Vec::new(),
            traffic: traffic.clone(),
            rr_cursor: 0,
        });
        self.svc_index.insert(key, slot);
        if let Some(t) = traffic {
            self.schedule_arrival(slot, id, &t);
        }
    }

    fn remove_service(&mut self, key: &ServiceKey) {
        let slot = self.svc_index.remove(key).expect("indexed service");
        let svc = self.svcs.remove(slot).expect("indexed service");
        svc.dests.into_iter().for_each(|d| self.trash_dest(d));
    }

    fn trash_dest(&mut self, slot: usize) {
        self.dests.get_mut(slot).expect("live dest").deleted_at = Some(self.now_us);
        self.trash.push(slot);
    }

    fn dest_slot(&self, service: &ServiceKey, addr: &IpAddr, port: u16) -> usize {
        let svc = self
            .svcs
            .get(self.svc_index[service])
            .expect("indexed service");
        *svc.dests
            .iter()
            .find(|&&d| {
                self.dests
                    .get(d)
                    .is_some_and(|d| d.config.addr == *addr && d.config.port == port)
            })
            .expect("the table and the runtime list the same real servers")
    }

    /// ip_vs_add_dest: a real server deleted from the same service less than 120 s ago comes
    /// back from the trash with its entries and counters (zeroed if that service was re-created).
    fn add_dest(&mut self, service: &ServiceKey, config: &DestConfig) {
        let svc_slot = self.svc_index[service];
        let svc_id = self.svcs.get(svc_slot).expect("indexed service").id;
        let now = self.now_us;
        let found = self.trash.iter().position(|&slot| {
            let d = self.dests.get(slot).expect("trash holds live slots");
            d.service == *service && d.config.key() == config.key()
        });
        let slot = match found {
            Some(i) => {
                let slot = self.trash.remove(i);
                let d = self.dests.get_mut(slot).expect("trash holds live slots");
                if d.owner.1 != svc_id {
                    d.stats.zero();
                }
                if config.u_threshold == 0 || config.u_threshold > d.config.u_threshold {
                    d.overloaded = false;
                }
                d.deleted_at = None;
                d.owner = (svc_slot, svc_id);
                d.config = *config;
                slot
            }
            None => self.dests.insert(DestRt {
                config: *config,
                service: *service,
                owner: (svc_slot, svc_id),
                stats: StatsRt::new(now),
                active: 0,
                inactive: 0,
                persist: 0,
                overloaded: false,
                deleted_at: None,
            }),
        };
        self.svcs
            .get_mut(svc_slot)
            .expect("indexed service")
            .dests
            .push(slot);
    }

    fn zero(&mut self, svc_slot: usize) {
        let svc = self.svcs.get_mut(svc_slot).expect("live service");
        svc.stats.zero();
        for &d in &svc.dests {
            self.dests.get_mut(d).expect("live dest").stats.zero();
        }
    }

    /// The table with the counters, rates and connection gauges filled in.
    pub fn snapshot(&self) -> Snapshot {
        let mut snap = self.table.clone();
        for s in &mut snap.services {
            let rt = self
                .svcs
                .get(self.svc_index[&s.config.key])
                .expect("indexed service");
            s.stats = rt.stats.read();
            for (d, &slot) in s.dests.iter_mut().zip(&rt.dests) {
                let drt = self.dests.get(slot).expect("live dest");
                d.stats = drt.stats.read();
                d.active_conns = drt.active;
                d.inact_conns = drt.inactive;
                d.persist_conns = drt.persist;
            }
        }
        snap
    }

    /// /proc/net/ip_vs_conn: the header, then every entry and template.
    pub fn conn_table(&self) -> String {
        let mut out = String::with_capacity(super::conn::HEADER.len() + self.conns.len() * 80);
        out.push_str(super::conn::HEADER);
        for (_, c) in self.conns.iter() {
            c.write_line(&mut out, self.now_us);
        }
        out
    }
}
