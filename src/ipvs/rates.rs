//! Rates for the console: counter deltas turned into per-second rates over the time they cover, the kernel's own estimator rates beside them, short histories for sparklines, and a frozen-estimator check.
//!
//! The kernel publishes each object's counters once per estimator period (2 s), at a phase of its
//! own (reference §5). A delta between two polls therefore covers whole periods between two
//! estimator passes, not the time between the polls: a 1 s poll sees 0 and then 2x. So a rate is
//! only computed when the counters are seen to change, from the previous observed change, and the
//! time it covers is that gap snapped to whole periods when the polls pin it down (see `covered`).

use super::model::{Dest, ServiceKey, Snapshot, Stats, SyncState};
use std::net::IpAddr;
use std::time::{Duration, Instant};

mod history;
pub mod hold;
mod series;
#[cfg(test)]
mod tests;
mod tracked;
mod tracks;

pub use history::{History, Sample};
use series::Counters;
#[cfg(test)]
use series::{counters, kernel_rates};
use tracked::Tracked;
use tracks::Tracks;

/// The kernel's estimator period: the visible counters move once per period per object.
pub const ESTIMATOR_PERIOD: Duration = Duration::from_secs(2);
/// What the kernel's EWMA covers ("We measure rate during the last 8 seconds every 2 seconds").
pub const KERNEL_WINDOW: Duration = Duration::from_secs(8);
/// History length by default: 300 samples, 10 minutes at one sample per period.
pub const DEFAULT_HISTORY: usize = 300;
/// A pass may run late (the kthread resyncs only after 8 ticks of 40 ms), and polls are stamped
/// after the dump: tolerate this much before concluding anything from timing.
const SLACK: Duration = Duration::from_millis(400);
/// Counters frozen this long, with evidence of traffic, mean the estimator is not running.
const STALL_AFTER: Duration = ESTIMATOR_PERIOD.saturating_mul(3).saturating_add(SLACK);

/// Per-second rates and the time they were measured over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub conns_per_s: f64,
    pub inpkts_per_s: f64,
    pub outpkts_per_s: f64,
    pub inbytes_per_s: f64,
    pub outbytes_per_s: f64,
    /// Own rates: the time the counter delta covers. Kernel rates: the span of its EWMA.
    /// For a sum of objects, the longest window among them.
    pub window: Duration,
    /// The variance of `conns_per_s` and of `packets_per_s` as counts of independent arrivals:
    /// k/T² for k counted over T (a kernel rate: as if counted over its 8 s); a sum adds them.
    /// What `hold` judges a change by.
    pub conns_var: f64,
    pub packets_var: f64,
}

impl Rate {
    fn over(delta: &Counters, window: Duration) -> Rate {
        // The window is never zero: observations are strictly ordered in time.
        let s = window.as_secs_f64();
        let r = |i: usize| delta[i] as f64 / s;
        Rate {
            conns_per_s: r(0),
            inpkts_per_s: r(1),
            outpkts_per_s: r(2),
            inbytes_per_s: r(3),
            outbytes_per_s: r(4),
            window,
            conns_var: r(0) / s,
            packets_var: (r(1) + r(2)) / s,
        }
    }

    fn kernel(s: &Stats) -> Rate {
        let f = |v: u64| v as f64;
        Rate {
            conns_per_s: f(s.cps),
            inpkts_per_s: f(s.inpps),
            outpkts_per_s: f(s.outpps),
            inbytes_per_s: f(s.inbps),
            outbytes_per_s: f(s.outbps),
            window: KERNEL_WINDOW,
            conns_var: f(s.cps) / KERNEL_WINDOW.as_secs_f64(),
            packets_var: (f(s.inpps) + f(s.outpps)) / KERNEL_WINDOW.as_secs_f64(),
        }
    }

    fn plus(self, o: Rate) -> Rate {
        Rate {
            conns_per_s: self.conns_per_s + o.conns_per_s,
            inpkts_per_s: self.inpkts_per_s + o.inpkts_per_s,
            outpkts_per_s: self.outpkts_per_s + o.outpkts_per_s,
            inbytes_per_s: self.inbytes_per_s + o.inbytes_per_s,
            outbytes_per_s: self.outbytes_per_s + o.outbytes_per_s,
            window: self.window.max(o.window),
            conns_var: self.conns_var + o.conns_var,
            packets_var: self.packets_var + o.packets_var,
        }
    }

    pub fn packets_per_s(&self) -> f64 {
        self.inpkts_per_s + self.outpkts_per_s
    }

    pub fn bytes_per_s(&self) -> f64 {
        self.inbytes_per_s + self.outbytes_per_s
    }
}

/// Whose rates: ours from counter deltas, or the kernel estimator's EWMA.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RateSource {
    #[default]
    Own,
    Kernel,
}

impl RateSource {
    pub fn toggled(self) -> RateSource {
        match self {
            RateSource::Own => RateSource::Kernel,
            RateSource::Kernel => RateSource::Own,
        }
    }
}

/// A real server within its service (the same address may serve several services).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DestKey {
    pub service: ServiceKey,
    pub addr: IpAddr,
    pub port: u16,
}

impl DestKey {
    pub fn of(service: ServiceKey, dest: &Dest) -> DestKey {
        DestKey {
            service,
            addr: dest.config.addr,
            port: dest.config.port,
        }
    }
}

/// Rates and histories of every service and real server of a stream of snapshots.
#[derive(Debug, Clone)]
pub struct RateTracker {
    capacity: usize,
    services: Tracks<ServiceKey, Tracked>,
    dests: Tracks<DestKey, Tracked>,
    last_at: Option<Instant>,
    /// The last observation in which any counter moved (or the first observation).
    last_change: Option<Instant>,
    /// The first observation since `last_change` in which a real server's connection gauge rose.
    gauge_rise: Option<Instant>,
    /// Own, kernel.
    totals: [History; 2],
    totals_at: [Option<Instant>; 2],
    /// The totals as shown, held within their noise.
    totals_shown: [Option<Rate>; 2],
    stalled: bool,
}

impl Default for RateTracker {
    fn default() -> RateTracker {
        RateTracker::new(DEFAULT_HISTORY)
    }
}

impl RateTracker {
    /// `history` samples per object and source (at least 1).
    pub fn new(history: usize) -> RateTracker {
        let capacity = history.max(1);
        RateTracker {
            capacity,
            services: Tracks::new(),
            dests: Tracks::new(),
            last_at: None,
            last_change: None,
            gauge_rise: None,
            totals: [History::new(capacity), History::new(capacity)],
            totals_at: [None; 2],
            totals_shown: [None; 2],
            stalled: false,
        }
    }

    /// Feed one poll. `at` is when it was taken; a snapshot no later than the previous one is
    /// ignored (no elapsed time, no rate). Objects missing from it are forgotten.
    pub fn observe(&mut self, at: Instant, snapshot: &Snapshot) {
        if self.last_at.is_some_and(|last| at <= last) {
            return;
        }
        let (mut changed, mut rose) = (self.last_change.is_none(), false);
        let capacity = self.capacity;
        // Updated in place, in the poll's order; what it did not list is dropped after.
        let n_dests = snapshot.services.iter().map(|s| s.dests.len()).sum();
        let mut services = self.services.poll(snapshot.services.len());
        let mut dests = self.dests.poll(n_dests);
        for svc in &snapshot.services {
            let key = svc.config.key;
            let (c, r) = services
                .observe(
                    key,
                    |t| t.observe(at, &svc.stats, (0, 0)),
                    || Some(Tracked::new(at, &svc.stats, (0, 0), capacity)),
                )
                .unwrap_or_default();
            (changed, rose) = (changed | c, rose | r);
            for d in &svc.dests {
                let gauges = (d.active_conns, d.inact_conns);
                // While a large table is read in steps, real servers not read yet are /proc's
                // lines, without counters: counters all zero then say nothing, neither a zeroing
                // nor a start, and the server is kept as it was.
                let counted = snapshot.unread == 0 || d.stats != Stats::default();
                let (c, r) = dests
                    .observe(
                        DestKey::of(key, d),
                        |t| {
                            if counted {
                                t.observe(at, &d.stats, gauges)
                            } else {
                                (false, false)
                            }
                        },
                        || counted.then(|| Tracked::new(at, &d.stats, gauges, capacity)),
                    )
                    .unwrap_or_default();
                (changed, rose) = (changed | c, rose | r);
            }
        }
        services.finish();
        dests.finish();
        if changed {
            self.last_change = Some(at);
            self.gauge_rise = None;
        }
        if rose && self.gauge_rise.is_none() {
            self.gauge_rise = Some(at);
        }
        self.last_at = Some(at);
        self.stalled = self.is_stalled(at, snapshot);
        // Objects pass at different phases: at most one point per period, whatever the poll rate.
        for (i, source) in [RateSource::Own, RateSource::Kernel]
            .into_iter()
            .enumerate()
        {
            let total = self.total_rate(source);
            self.totals_shown[i] = hold::hold(self.totals_shown[i], total);
            if let Some(r) =
                total.filter(|_| self.totals_at[i].is_none_or(|t| at - t >= ESTIMATOR_PERIOD))
            {
                self.totals[i].push(Sample::from(&r));
                self.totals_at[i] = Some(at);
            }
        }
    }

    /// No counter anywhere has moved for over 3 periods, although traffic is known to have come:
    /// kernel rates that should have decayed have not, or new connections appeared that were
    /// never counted. Connections alone are no evidence: idle ones send nothing, and a backup
    /// sync daemon creates them without packets.
    fn is_stalled(&self, at: Instant, snapshot: &Snapshot) -> bool {
        let Some(last_change) = self.last_change else {
            return false;
        };
        if at - last_change <= STALL_AFTER {
            return false;
        }
        let backup = snapshot
            .daemons
            .iter()
            .any(|d| d.state == SyncState::Backup);
        let uncounted = !backup
            && self
                .gauge_rise
                .is_some_and(|r| at - r > ESTIMATOR_PERIOD + SLACK);
        uncounted
            || self
                .services
                .values()
                .chain(self.dests.values())
                .any(|t| t.kernel_frozen(at))
    }

    /// The estimator looks stopped (`run_estimation=0`, or `est_cpulist` empty): counters and
    /// kernel rates are frozen, and own rates read zero.
    pub fn estimator_stalled(&self) -> bool {
        self.stalled
    }

    /// None: unknown service, or (own) no rate yet: fewer than two changes seen since it
    /// appeared or was reset, and not yet quiet for a full period.
    pub fn service_rate(&self, key: &ServiceKey, source: RateSource) -> Option<Rate> {
        self.services.get(key)?.rate(source)
    }

    pub fn dest_rate(&self, key: &DestKey, source: RateSource) -> Option<Rate> {
        self.dests.get(key)?.rate(source)
    }

    /// The rate a screen shows of a service: `service_rate` held while a new measurement is
    /// within its own counting noise (`hold`).
    pub fn service_shown(&self, key: &ServiceKey, source: RateSource) -> Option<Rate> {
        self.services.get(key)?.shown(source)
    }

    pub fn dest_shown(&self, key: &DestKey, source: RateSource) -> Option<Rate> {
        self.dests.get(key)?.shown(source)
    }

    /// The sum over services, held within its own noise (the sum of the shown rates may differ).
    pub fn total_shown(&self, source: RateSource) -> Option<Rate> {
        self.totals_shown[source as usize]
    }

    /// The sum over services that have a rate; None when none has.
    pub fn total_rate(&self, source: RateSource) -> Option<Rate> {
        self.services
            .values()
            .filter_map(|t| t.rate(source))
            .reduce(Rate::plus)
    }

    /// Own samples: one per observed change (and one per period while quiet); emptied by a reset;
    /// None for an object that has not moved since it appeared (its samples would all be 0).
    /// Kernel samples: one per estimator pass seen.
    pub fn service_history(&self, key: &ServiceKey, source: RateSource) -> Option<&History> {
        self.services.get(key)?.history(source)
    }

    pub fn dest_history(&self, key: &DestKey, source: RateSource) -> Option<&History> {
        self.dests.get(key)?.history(source)
    }

    /// The header's totals, at most one sample per period.
    pub fn total_history(&self, source: RateSource) -> &History {
        &self.totals[source as usize]
    }
}
