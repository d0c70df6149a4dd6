//! The life of connections: arrivals, the choice of a real server, persistence templates,
//! entries and their timers (carrying traffic, lingering, expiring), and the gauges they drive.

use super::{SECOND, Sim};
use crate::ipvs::model::*;
use crate::ipvs::sim::conn::{Carrying, Conn, Gauge, Proto, State, TemplateKey};
use crate::ipvs::sim::sched::{self, Candidate, Packet};
use crate::ipvs::sim::stats::spread;
use crate::ipvs::sim::traffic::{ClientPool, Traffic, volume};
use std::cmp::Reverse;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Fixed kernel timeouts of states `--set` does not reach.
const TIME_WAIT_S: u64 = 120;
const SCTP_CLOSED_S: u64 = 10;
const SCTP_ESTABLISHED_S: u64 = 900;
/// No connection carries traffic longer than a day, whatever the exponential tail says.
const MAX_DURATION_US: u64 = 86_400 * SECOND;
/// Linux's default ephemeral port range (net.ipv4.ip_local_port_range).
const EPHEMERAL: (u16, u16) = (32768, 60999);
const FTP_PORT: u16 = 21;

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
fn template_key(
    config: &ServiceConfig,
    proto: Protocol,
    caddr: IpAddr,
    vaddr: IpAddr,
    vport: u16,
) -> TemplateKey {
    let caddr = masked(caddr, config.netmask);
    match config.key {
        ServiceKey::Fwmark { mark, family } => {
            let vaddr = match family {
                Family::Inet => IpAddr::V4(Ipv4Addr::from(mark)),
                Family::Inet6 => IpAddr::V6(Ipv6Addr::from((mark as u128) << 96)),
            };
            TemplateKey {
                proto: Proto::Ip,
                caddr,
                vaddr,
                vport: 0,
            }
        }
        ServiceKey::Addr { port, .. } => {
            let vport = if port == vport && port != FTP_PORT {
                vport
            } else {
                0
            };
            TemplateKey {
                proto: proto_of(proto),
                caddr,
                vaddr,
                vport,
            }
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
    pub(super) fn schedule_arrival(&mut self, slot: usize, id: u64, traffic: &Traffic) {
        if traffic.conns_per_sec > 0.0 {
            let gap = self
                .rng
                .exp(SECOND as f64 / traffic.conns_per_sec)
                .round()
                .max(1.0) as u64;
            self.arrivals
                .push(Reverse((self.now_us.saturating_add(gap), slot, id)));
        }
    }

    pub(super) fn on_arrival(&mut self, slot: usize, id: u64) {
        let Some(traffic) = self
            .svcs
            .get(slot)
            .filter(|s| s.id == id)
            .and_then(|s| s.traffic.clone())
        else {
            return;
        };
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
        sched::choose(
            &c.scheduler,
            c.sched_flags,
            &cands,
            packet,
            &mut svc.rr_cursor,
            &mut self.rng,
        )
        .map(|i| slots[i])
    }

    /// The real server for a new connection: a template's, if the client has one whose real
    /// server still exists (even quiesced to weight 0: the kernel's default
    /// expire_quiescent_template = 0), else the scheduler's. Also returns that template.
    fn pick_dest(
        &mut self,
        slot: usize,
        tkey: Option<&TemplateKey>,
        packet: &Packet,
    ) -> Option<(usize, Option<usize>)> {
        if let Some(&t) = tkey.and_then(|k| self.templates.get(k)) {
            let dest = self.conns.get(t).expect("templates map live entries").dest;
            if self.dests.get(dest).is_some_and(|d| d.deleted_at.is_none()) {
                return Some((dest, Some(t)));
            }
            self.invalidate_template(t);
        }
        self.schedule(slot, packet).map(|d| (d, None))
    }

    /// A persistence template binding the client (as masked) to `dest_slot`.
    fn new_template(
        &mut self,
        service: (usize, u64),
        tkey: TemplateKey,
        timeout_us: u64,
        dest_slot: usize,
    ) -> usize {
        let dest = self
            .dests
            .get(dest_slot)
            .expect("scheduled dest is live")
            .config;
        let t = self.insert(Conn {
            id: 0,
            proto: tkey.proto,
            caddr: tkey.caddr,
            cport: 0,
            vaddr: tkey.vaddr,
            vport: tkey.vport,
            daddr: dest.addr,
            dport: if tkey.vport != 0 { dest.port } else { 0 },
            state: State::None,
            gauge: Gauge::Persist,
            dest: dest_slot,
            service,
            next_us: self.now_us + timeout_us,
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

    /// One new connection from a client of service `slot`.
    fn connect(&mut self, slot: usize, traffic: &Traffic) {
        let now = self.now_us;
        let Some(svc) = self.svcs.get(slot) else {
            return;
        };
        let (svc_id, key) = (svc.id, svc.config.key);
        let (proto, vaddr, vport) = match (traffic.targets.len(), key) {
            (
                0,
                ServiceKey::Addr {
                    protocol,
                    addr,
                    port,
                },
            ) => (protocol, addr, port),
            (0, ServiceKey::Fwmark { .. }) => return,
            (n, _) => traffic.targets[self.rng.below(n as u64) as usize],
        };
        let pool = traffic
            .clients
            .unwrap_or_else(|| ClientPool::default_for(key.family()));
        let caddr = pool.host(self.rng.below(pool.hosts()));
        let cport = EPHEMERAL.0 + self.rng.below((EPHEMERAL.1 - EPHEMERAL.0) as u64 + 1) as u16;
        let packet = Packet {
            caddr,
            cport,
            vaddr,
        };
        let persistent = svc.config.persistence.map(|s| {
            (
                s as u64 * SECOND,
                template_key(&svc.config, proto, caddr, vaddr, vport),
            )
        });
        let one_packet = svc.config.one_packet && proto == Protocol::Udp;

        let Some((dest_slot, template)) =
            self.pick_dest(slot, persistent.as_ref().map(|p| &p.1), &packet)
        else {
            return;
        };
        let need =
            usize::from(!one_packet) + usize::from(persistent.is_some() && template.is_none());
        if self.conns.len() + need > self.max_conns {
            self.dropped += 1;
            return;
        }
        let template = persistent.map(|(timeout_us, tkey)| {
            let t = template
                .unwrap_or_else(|| self.new_template((slot, svc_id), tkey, timeout_us, dest_slot));
            // Each use restarts the template's timer (ip_vs_conn_put).
            self.conns.get_mut(t).expect("live template").next_us = now + timeout_us;
            t
        });

        let dest = self
            .dests
            .get(dest_slot)
            .expect("scheduled dest is live")
            .config;
        let masq = dest.forward == Forward::Masq;
        let mut vol = volume(proto, key.family(), traffic.bytes_in, traffic.bytes_out);
        if !masq {
            // DR and TUN: replies go from the real server straight to the client.
            vol[1] = 0;
            vol[3] = 0;
        }
        self.dests
            .get_mut(dest_slot)
            .expect("live dest")
            .stats
            .count_conn();
        self.svcs
            .get_mut(slot)
            .expect("live service")
            .stats
            .count_conn();
        if one_packet {
            // One-packet scheduling: counted, forwarded, and no entry kept.
            self.dests
                .get_mut(dest_slot)
                .expect("live dest")
                .stats
                .add_now(&vol);
            self.svcs
                .get_mut(slot)
                .expect("live service")
                .stats
                .add_now(&vol);
            return;
        }

        let duration = (self.rng.exp(traffic.duration * SECOND as f64).round() as u64)
            .clamp(1, MAX_DURATION_US);
        let abandoned = proto == Protocol::Tcp
            && traffic.abandoned > 0.0
            && self.rng.unit() < traffic.abandoned;
        let (flow, residual) = spread(&vol, duration);
        let timeouts = self.table.timeouts;
        let (state, gauge, timeout_s) = match proto {
            Protocol::Tcp => (State::Established, Gauge::Active, timeouts.tcp as u64),
            Protocol::Sctp => (State::Established, Gauge::Active, SCTP_ESTABLISHED_S),
            Protocol::Udp => (State::Udp, Gauge::Inactive, timeouts.udp as u64),
        };
        self.dests
            .get_mut(dest_slot)
            .expect("live dest")
            .stats
            .add_flow(now, &flow);
        self.svcs
            .get_mut(slot)
            .expect("live service")
            .stats
            .add_flow(now, &flow);
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
}

mod entries;
