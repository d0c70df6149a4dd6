//! Entries in the table: entered with an id and a timer, removed, templates invalidated, and
//! timers firing (carrying traffic, lingering, expiring).

use super::*;

impl Sim {
    /// Enters a new entry: gives it an id, counts it on its real server, arms its timer.
    pub(super) fn insert(&mut self, mut conn: Conn) -> usize {
        conn.id = self.new_id();
        let (id, at, dest, gauge) = (conn.id, conn.next_us, conn.dest, conn.gauge);
        let slot = self.conns.insert(conn);
        self.timers.push(Reverse((at, slot, id)));
        let d = self
            .dests
            .get_mut(dest)
            .expect("entries point at live dests");
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

    pub(super) fn remove(&mut self, slot: usize) {
        let c = self.conns.remove(slot).expect("removing a live entry");
        let d = self
            .dests
            .get_mut(c.dest)
            .expect("entries point at live dests");
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
    pub(super) fn invalidate_template(&mut self, slot: usize) {
        let c = self.conns.get_mut(slot).expect("live template");
        if let Some((key, _)) = c.template {
            self.templates.remove(&key);
        }
        c.vport = 0xFFFF;
        c.dport = 0xFFFF;
    }

    pub(in crate::ipvs::sim::engine) fn on_timer(&mut self, slot: usize, id: u64) {
        let now = self.now_us;
        let timeouts = self.table.timeouts;
        let Some(c) = self.conns.get_mut(slot).filter(|c| c.id == id) else {
            return;
        };
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
        let d = self
            .dests
            .get_mut(dest_slot)
            .expect("entries point at live dests");
        d.stats.end_flow(now, &carrying.flow, &carrying.residual);
        if old_gauge == Gauge::Active && gauge == Gauge::Inactive {
            d.active -= 1;
            d.inactive += 1;
        }
        if let Some(s) = self.svcs.get_mut(svc_slot).filter(|s| s.id == svc_id) {
            s.stats.end_flow(now, &carrying.flow, &carrying.residual);
        }
    }
}
