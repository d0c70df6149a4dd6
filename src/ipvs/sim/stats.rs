//! The counters and rates of one service or real server, kept the way the kernel keeps them:
//! live counters bumped by traffic, a copy the estimator refreshes every 2 s (the only values a
//! reader sees), and the estimator's EWMA rates in its own fixed-point units (reference §5.1).

use crate::ipvs::model::Stats;

/// The estimator period, in simulated microseconds.
pub(super) const TICK_US: u64 = 2_000_000;

/// The five counters in model::Stats order: conns, inpkts, outpkts, inbytes, outbytes.
type Counters = [u64; 5];

/// Packets and bytes per microsecond, in 1/65536 units: inpkts, outpkts, inbytes, outbytes.
/// One connection's flow, or the sum of the flows of all connections of one object.
pub(super) type Flow = [u64; 4];

const FRACTION_BITS: u32 = 16;

#[derive(Debug, Clone, Default)]
pub(super) struct StatsRt {
    live: Counters,
    flow: Flow,
    /// Fractions of a packet or byte not yet counted, in 1/65536 units.
    carry: [u64; 4],
    /// The live counters hold the traffic up to this time.
    at_us: u64,
    kstats: Counters,
    kstats0: Counters,
    last: Counters,
    /// cps, inpps, outpps scaled by 2^10; inbps, outbps scaled by 2^5, as in ip_vs_est.c.
    ewma: [i64; 5],
}

impl StatsRt {
    pub fn new(now_us: u64) -> StatsRt {
        StatsRt {
            at_us: now_us,
            ..StatsRt::default()
        }
    }

    /// Count the traffic of the current flow up to `now_us`.
    fn integrate(&mut self, now_us: u64) {
        let dt = now_us.saturating_sub(self.at_us) as u128;
        if dt > 0 {
            for i in 0..4 {
                let total = self.carry[i] as u128 + self.flow[i] as u128 * dt;
                self.live[i + 1] += (total >> FRACTION_BITS) as u64;
                self.carry[i] = (total & 0xFFFF) as u64;
            }
        }
        self.at_us = self.at_us.max(now_us);
    }

    /// A new connection was scheduled to this object.
    pub fn count_conn(&mut self) {
        self.live[0] += 1;
    }

    pub fn add_flow(&mut self, now_us: u64, flow: &Flow) {
        self.integrate(now_us);
        for (total, f) in self.flow.iter_mut().zip(flow) {
            *total += f;
        }
    }

    /// A connection stopped carrying traffic. `residual` is what its flow left uncounted through
    /// rounding, so the counters end up with exactly the packets and bytes it carried.
    pub fn end_flow(&mut self, now_us: u64, flow: &Flow, residual: &Flow) {
        self.integrate(now_us);
        for i in 0..4 {
            self.flow[i] -= flow[i];
            let total = self.carry[i] + residual[i];
            self.live[i + 1] += total >> FRACTION_BITS;
            self.carry[i] = total & 0xFFFF;
        }
    }

    /// Traffic counted all at once (one-packet scheduling keeps no connection to spread it over).
    pub fn add_now(&mut self, amounts: &[u64; 4]) {
        for (counter, n) in self.live[1..].iter_mut().zip(amounts) {
            *counter += n;
        }
    }

    /// One estimator pass: publish the live counters and fold the last 2 s into the rates,
    /// with the kernel's arithmetic (ip_vs_chain_estimation).
    pub fn estimate(&mut self, now_us: u64) {
        self.integrate(now_us);
        self.kstats = self.live;
        for i in 0..5 {
            // "scaled by 2^10, but divided 2 seconds" and "scaled by 2^5, but divided 2 seconds"
            let shift = if i >= 3 { 4 } else { 9 };
            let rate = (self.kstats[i].wrapping_sub(self.last[i]) << shift) as i64;
            self.last[i] = self.kstats[i];
            self.ewma[i] += (rate - self.ewma[i]) >> 2;
        }
    }

    /// IPVS_CMD_ZERO: what readers see restarts from 0, and so do the rates.
    pub fn zero(&mut self) {
        self.kstats0 = self.kstats;
        self.last = self.kstats;
        self.ewma = [0; 5];
    }

    /// What a GET returns: counters relative to the last zero, rates rounded as the kernel does.
    pub fn read(&self) -> Stats {
        let c = |i: usize| self.kstats[i] - self.kstats0[i];
        let rate = |i: usize| {
            let (round, shift) = if i >= 3 { (0xF, 5) } else { (0x1FF, 10) };
            (self.ewma[i].max(0) as u64 + round) >> shift
        };
        Stats {
            conns: c(0),
            inpkts: c(1),
            outpkts: c(2),
            inbytes: c(3),
            outbytes: c(4),
            cps: rate(0),
            inpps: rate(1),
            outpps: rate(2),
            inbps: rate(3),
            outbps: rate(4),
        }
    }
}

/// The flow that spreads `totals` (inpkts, outpkts, inbytes, outbytes) evenly over `duration_us`,
/// and the residual that rounding leaves for the end.
pub(super) fn spread(totals: &[u64; 4], duration_us: u64) -> (Flow, Flow) {
    let d = duration_us.max(1) as u128;
    let mut flow = [0; 4];
    let mut residual = [0; 4];
    for i in 0..4 {
        let scaled = (totals[i] as u128) << FRACTION_BITS;
        flow[i] = (scaled / d) as u64;
        residual[i] = (scaled - flow[i] as u128 * d) as u64;
    }
    (flow, residual)
}
