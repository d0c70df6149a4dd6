//! The simulated director: the IPVS table (kept by table::apply) plus what the kernel keeps
//! beside it (per-object counters and estimators, connection entries, persistence templates, the
//! dest trash) and the clock that drives them: arrivals, connection timers, estimator ticks.
//!
//! Time is in integer microseconds and every event happens at a fixed instant, so advancing by
//! 1 s twice or by 2 s once gives the same state, and a seed replays exactly.

use super::checks;
use super::conn::{Carrying, Conn, Gauge, Proto, State, TemplateKey};
use super::rng::Rng;
use super::sched::{self, Candidate, Packet};
use super::slab::Slab;
use super::stats::{StatsRt, TICK_US, spread};
use super::traffic::{ClientPool, Traffic, volume};
use crate::ipvs::model::*;
use crate::ipvs::op::IpvsOp;
use crate::ipvs::table;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

pub(super) const DEFAULT_MAX_CONNS: usize = 100_000;
const SECOND: u64 = 1_000_000;
/// IP_VS_DEST_TRASH_PERIOD: a deleted real server re-added within this keeps its counters.
const TRASH_US: u64 = 120 * SECOND;
/// Fixed kernel timeouts of states `--set` does not reach.
const TIME_WAIT_S: u64 = 120;
const SCTP_CLOSED_S: u64 = 10;
const SCTP_ESTABLISHED_S: u64 = 900;
/// No connection carries traffic longer than a day, whatever the exponential tail says.
const MAX_DURATION_US: u64 = 86_400 * SECOND;
/// Linux's default ephemeral port range (net.ipv4.ip_local_port_range).
const EPHEMERAL: (u16, u16) = (32768, 60999);
const FTP_PORT: u16 = 21;

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

fn masked(addr: IpAddr, mask: Netmask) -> IpAddr {
    match (addr, mask) {
        (IpAddr::V4(a), Netmask::V4(m)) => IpAddr::V4(Ipv4Addr::from(u32::from(a) & u32::from(m))),
        (IpAddr::V6(a), Netmask::V6(p)) => {
            let m = u128::MAX.checked_shl(128 - p as u32).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & m))
        }
        _ => addr,
    }
}

/// ip_vs_sched_persist: <proto, caddr & mask, 0, vaddr, vport> for a port service (vport 0 for
/// FTP), <proto, caddr & mask, 0, vaddr, 0> for port 0, <IP, caddr & mask, 0, fwmark, 0> for fwmark.
fn template_key(config: &ServiceConfig, proto: Protocol, caddr: IpAddr, vaddr: IpAddr, vport: u16) -> TemplateKey {
    let caddr = masked(caddr, config.netmask);
    match config.key {
        ServiceKey::Fwmark { mark, family } => {
            let vaddr = match family {
                Family::Inet => IpAddr::V4(Ipv4Addr::from(mark)),
                Family::Inet6 => IpAddr::V6(Ipv6Addr::from((mark as u128) << 96)),
            };
            TemplateKey { proto: Proto::Ip, caddr, vaddr, vport: 0 }
        }
        ServiceKey::Addr { port, .. } => {
            let vport = if port == vport && port != FTP_PORT { vport } else { 0 };
            TemplateKey { proto: proto_of(proto), caddr, vaddr, vport }
        }
    }
}

fn proto_of(p: Protocol) -> Proto {
    match p {
        Protocol::Tcp => Proto::Tcp,
        Protocol::Udp => Proto::Udp,
        Protocol::Sctp => Proto::Sctp,
    }
}

impl Sim {
    pub fn new(seed: u64) -> Sim {
        Sim {
            table: Snapshot {
                info: Info { version: 0x010201, conn_tab_size: 4096 },
                timeouts: Timeouts { tcp: 900, tcp_fin: 120, udp: 300 },
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
        let target = self.now_us.saturating_add(u64::try_from(ns / 1000).unwrap_or(u64::MAX));
        self.run_until(target);
    }

    /// Runs every event due up to and including `target`: timers, then arrivals, then the
    /// estimator tick, at equal times.
    fn run_until(&mut self, target: u64) {
        loop {
            let timer = self.timers.peek().map(|Reverse(e)| e.0);
            let arrival = self.arrivals.peek().map(|Reverse(e)| e.0);
            let t = [timer, arrival].into_iter().flatten().fold(self.next_tick_us, u64::min);
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
            let free = d.deleted_at.is_some_and(|at| at + TRASH_US <= now) && d.active + d.inactive + d.persist == 0;
            if free {
                dests.remove(slot);
            }
            !free
        });
    }

    fn schedule_arrival(&mut self, slot: usize, id: u64, traffic: &Traffic) {
        if traffic.conns_per_sec > 0.0 {
            let gap = self.rng.exp(SECOND as f64 / traffic.conns_per_sec).round().max(1.0) as u64;
            self.arrivals.push(Reverse((self.now_us.saturating_add(gap), slot, id)));
        }
    }

    fn on_arrival(&mut self, slot: usize, id: u64) {
        let Some(traffic) = self.svcs.get(slot).filter(|s| s.id == id).and_then(|s| s.traffic.clone()) else { return };
        self.schedule_arrival(slot, id, &traffic);
        self.connect(slot, &traffic);
    }

    /// The available real servers of a service, and the scheduler's choice among them.
    fn schedule(&mut self, slot: usize, packet: &Packet) -> Option<usize> {
        let svc = self.svcs.get_mut(slot)?;
        let mut slots = Vec::with_capacity(svc.dests.len());
        let mut cands = Vec::with_capacity(svc.dests.len());
        for &d in &svc.dests {
            let dest = self.dests.get(d).expect("service dests are live");
            if dest.config.weight > 0 && !dest.overloaded {
                slots.push(d);
                cands.push(Candidate {
                    weight: dest.config.weight,
                    active: dest.active,
                    inactive: dest.inactive,
                    addr: dest.config.addr,
                    port: dest.config.port,
                });
            }
        }
        let c = &svc.config;
        sched::choose(&c.scheduler, c.sched_flags, &cands, packet, &mut svc.rr_cursor, &mut self.rng).map(|i| slots[i])
    }

    /// One new connection from a client of service `slot`.
    fn connect(&mut self, slot: usize, traffic: &Traffic) {
        let now = self.now_us;
        let Some(svc) = self.svcs.get(slot) else { return };
        let (svc_id, key) = (svc.id, svc.config.key);
        let (proto, vaddr, vport) = match (traffic.targets.len(), key) {
            (0, ServiceKey::Addr { protocol, addr, port }) => (protocol, addr, port),
            (0, ServiceKey::Fwmark { .. }) => return,
            (n, _) => traffic.targets[self.rng.below(n as u64) as usize],
        };
        let pool = traffic.clients.unwrap_or_else(|| ClientPool::default_for(key.family()));
        let caddr = pool.host(self.rng.below(pool.hosts()));
        let cport = EPHEMERAL.0 + self.rng.below((EPHEMERAL.1 - EPHEMERAL.0) as u64 + 1) as u16;
        let packet = Packet { caddr, cport, vaddr };
        let persistent = svc.config.persistence.map(|s| (s as u64 * SECOND, template_key(&svc.config, proto, caddr, vaddr, vport)));
        let one_packet = svc.config.one_packet && proto == Protocol::Udp;

        // A template whose real server still exists decides, even one quiesced to weight 0
        // (the kernel's default, expire_quiescent_template = 0).
        let mut template = None;
        if let Some((_, tkey)) = &persistent
            && let Some(&t) = self.templates.get(tkey)
        {
            let dest = self.conns.get(t).expect("templates map live entries").dest;
            if self.dests.get(dest).is_some_and(|d| d.deleted_at.is_none()) {
                template = Some(t);
            } else {
                self.invalidate_template(t);
            }
        }
        let dest_slot = match template {
            Some(t) => self.conns.get(t).expect("live template").dest,
            None => match self.schedule(slot, &packet) {
                Some(d) => d,
                None => return,
            },
        };
        let need = usize::from(!one_packet) + usize::from(persistent.is_some() && template.is_none());
        if self.conns.len() + need > self.max_conns {
            self.dropped += 1;
            return;
        }
        let dest = self.dests.get(dest_slot).expect("scheduled dest is live").config;
        if let Some((timeout_us, tkey)) = persistent {
            let t = match template {
                Some(t) => t,
                None => {
                    let dport = if tkey.vport != 0 { dest.port } else { 0 };
                    let t = self.insert(Conn {
                        id: 0,
                        proto: tkey.proto,
                        caddr: tkey.caddr,
                        cport: 0,
                        vaddr: tkey.vaddr,
                        vport: tkey.vport,
                        daddr: dest.addr,
                        dport,
                        state: State::None,
                        gauge: Gauge::Persist,
                        dest: dest_slot,
                        service: (slot, svc_id),
                        next_us: now + timeout_us,
                        carrying: None,
                        abandoned: false,
                        masq: false,
                        template: Some((tkey, timeout_us)),
                        n_control: 0,
                        controlled_by: None,
                    });
                    self.templates.insert(tkey, t);
                    t
                }
            };
            // Each use restarts the template's timer (ip_vs_conn_put).
            let tc = self.conns.get_mut(t).expect("live template");
            tc.next_us = now + timeout_us;
            template = Some(t);
        }

        let masq = dest.forward == Forward::Masq;
        let mut vol = volume(proto, key.family(), traffic.bytes_in, traffic.bytes_out);
        if !masq {
            // DR and TUN: replies go from the real server straight to the client.
            vol[1] = 0;
            vol[3] = 0;
        }
        self.dests.get_mut(dest_slot).expect("live dest").stats.count_conn();
        self.svcs.get_mut(slot).expect("live service").stats.count_conn();
        if one_packet {
            // One-packet scheduling: counted, forwarded, and no entry kept.
            self.dests.get_mut(dest_slot).expect("live dest").stats.add_now(&vol);
            self.svcs.get_mut(slot).expect("live service").stats.add_now(&vol);
            return;
        }

        let duration = (self.rng.exp(traffic.duration * SECOND as f64).round() as u64).clamp(1, MAX_DURATION_US);
        let abandoned = proto == Protocol::Tcp && traffic.abandoned > 0.0 && self.rng.unit() < traffic.abandoned;
        let (flow, residual) = spread(&vol, duration);
        let timeouts = self.table.timeouts;
        let (state, gauge, timeout_s) = match proto {
            Protocol::Tcp => (State::Established, Gauge::Active, timeouts.tcp as u64),
            Protocol::Sctp => (State::Established, Gauge::Active, SCTP_ESTABLISHED_S),
            Protocol::Udp => (State::Udp, Gauge::Inactive, timeouts.udp as u64),
        };
        self.dests.get_mut(dest_slot).expect("live dest").stats.add_flow(now, &flow);
        self.svcs.get_mut(slot).expect("live service").stats.add_flow(now, &flow);
        let controlled_by = template.map(|t| (t, self.conns.get(t).expect("live template").id));
        self.insert(Conn {
            id: 0,
            proto: proto_of(proto),
            caddr,
            cport,
            vaddr,
            vport,
            daddr: dest.addr,
            dport: if dest.port != 0 { dest.port } else { vport },
            state,
            gauge,
            dest: dest_slot,
            service: (slot, svc_id),
            next_us: now + duration,
            carrying: Some(Carrying {
                flow,
                residual,
                start_us: now,
                packet_gap_us: duration / (vol[0] + vol[1]).max(1),
                timeout_s,
            }),
            abandoned,
            masq,
            template: None,
            n_control: 0,
            controlled_by,
        });
        if let Some(t) = template {
            self.conns.get_mut(t).expect("live template").n_control += 1;
        }
    }

    /// Enters a new entry: gives it an id, counts it on its real server, arms its timer.
    fn insert(&mut self, mut conn: Conn) -> usize {
        conn.id = self.new_id();
        let (id, at, dest, gauge) = (conn.id, conn.next_us, conn.dest, conn.gauge);
        let slot = self.conns.insert(conn);
        self.timers.push(Reverse((at, slot, id)));
        let d = self.dests.get_mut(dest).expect("entries point at live dests");
        match gauge {
            Gauge::Active => d.active += 1,
            Gauge::Inactive => d.inactive += 1,
            Gauge::Persist => d.persist += 1,
        }
        // ip_vs_bind_dest
        if d.config.u_threshold != 0 && d.active + d.inactive >= d.config.u_threshold {
            d.overloaded = true;
        }
        slot
    }

    fn remove(&mut self, slot: usize) {
        let c = self.conns.remove(slot).expect("removing a live entry");
        let d = self.dests.get_mut(c.dest).expect("entries point at live dests");
        match c.gauge {
            Gauge::Active => d.active -= 1,
            Gauge::Inactive => d.inactive -= 1,
            Gauge::Persist => d.persist -= 1,
        }
        // ip_vs_unbind_dest
        let total = d.active + d.inactive;
        let (u, l) = (d.config.u_threshold, d.config.l_threshold);
        if (l != 0 && total < l) || (l == 0 && (u == 0 || (total as u64) * 4 < (u as u64) * 3)) {
            d.overloaded = false;
        }
        if let Some((key, _)) = c.template
            && self.templates.get(&key) == Some(&slot)
        {
            self.templates.remove(&key);
        }
        if let Some((t, tid)) = c.controlled_by
            && let Some(tc) = self.conns.get_mut(t).filter(|tc| tc.id == tid)
        {
            tc.n_control -= 1;
        }
    }

    /// ip_vs_check_template found the real server gone: the template stops matching (its ports
    /// become 0xFFFF) and expires on its own timer.
    fn invalidate_template(&mut self, slot: usize) {
        let c = self.conns.get_mut(slot).expect("live template");
        if let Some((key, _)) = c.template {
            self.templates.remove(&key);
        }
        c.vport = 0xFFFF;
        c.dport = 0xFFFF;
    }

    fn on_timer(&mut self, slot: usize, id: u64) {
        let now = self.now_us;
        let timeouts = self.table.timeouts;
        let Some(c) = self.conns.get_mut(slot).filter(|c| c.id == id) else { return };
        if c.next_us > now {
            // A template re-armed by use since this timer was set.
            self.timers.push(Reverse((c.next_us, slot, id)));
            return;
        }
        if let Some((_, timeout_us)) = c.template {
            if c.n_control > 0 {
                // Templates that still control entries expire later.
                c.next_us = now + timeout_us;
                self.timers.push(Reverse((c.next_us, slot, id)));
            } else {
                self.remove(slot);
            }
            return;
        }
        let Some(carrying) = c.carrying.take() else {
            self.remove(slot);
            return;
        };
        // The connection stops carrying traffic: it closes (or its client vanishes) and lingers.
        let (state, gauge, linger_s) = match c.proto {
            Proto::Tcp if c.abandoned => (State::Established, Gauge::Active, timeouts.tcp as u64),
            Proto::Tcp if c.masq => (State::TimeWait, Gauge::Inactive, TIME_WAIT_S),
            Proto::Tcp => (State::FinWait, Gauge::Inactive, timeouts.tcp_fin as u64),
            Proto::Udp => (State::Udp, Gauge::Inactive, timeouts.udp as u64),
            Proto::Sctp | Proto::Ip => (State::Closed, Gauge::Inactive, SCTP_CLOSED_S),
        };
        let old_gauge = c.gauge;
        c.state = state;
        c.gauge = gauge;
        c.next_us = now + linger_s * SECOND;
        self.timers.push(Reverse((c.next_us, slot, id)));
        let (dest_slot, (svc_slot, svc_id)) = (c.dest, c.service);
        let d = self.dests.get_mut(dest_slot).expect("entries point at live dests");
        d.stats.end_flow(now, &carrying.flow, &carrying.residual);
        if old_gauge == Gauge::Active && gauge == Gauge::Inactive {
            d.active -= 1;
            d.inactive += 1;
        }
        if let Some(s) = self.svcs.get_mut(svc_slot).filter(|s| s.id == svc_id) {
            s.stats.end_flow(now, &carrying.flow, &carrying.residual);
        }
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
            IpvsOp::DeleteDest { service, addr, port } => {
                let slot = self.dest_slot(service, addr, *port);
                let svc = self.svcs.get_mut(self.svc_index[service]).expect("indexed service");
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
            self.default_traffic.clone().filter(|_| matches!(key, ServiceKey::Addr { port, .. } if port != 0))
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
        let svc = self.svcs.get(self.svc_index[service]).expect("indexed service");
        *svc.dests
            .iter()
            .find(|&&d| self.dests.get(d).is_some_and(|d| d.config.addr == *addr && d.config.port == port))
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
            d.service == *service && d.config.addr == config.addr && d.config.port == config.port
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
        self.svcs.get_mut(svc_slot).expect("indexed service").dests.push(slot);
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
            let rt = self.svcs.get(self.svc_index[&s.config.key]).expect("indexed service");
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
