//! Rates for the console: counter deltas turned into per-second rates over the time they cover, the kernel's own estimator rates beside them, short histories for sparklines, and a frozen-estimator check.
//!
//! The kernel publishes each object's counters once per estimator period (2 s), at a phase of its
//! own (reference §5). A delta between two polls therefore covers whole periods between two
//! estimator passes, not the time between the polls: a 1 s poll sees 0 and then 2x. So a rate is
//! only computed when the counters are seen to change, from the previous observed change, and the
//! time it covers is that gap snapped to whole periods when the polls pin it down (see `covered`).

use super::model::{Dest, ServiceKey, Snapshot, Stats, SyncState};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

#[cfg(test)]
mod tests;

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
}

impl Rate {
    fn over(delta: &Counters, window: Duration) -> Rate {
        // The window is never zero: observations are strictly ordered in time.
        let s = window.as_secs_f64();
        let r = |i: usize| delta[i] as f64 / s;
        Rate { conns_per_s: r(0), inpkts_per_s: r(1), outpkts_per_s: r(2), inbytes_per_s: r(3), outbytes_per_s: r(4), window }
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

/// One sparkline point. f32 keeps a full ring at 3.6 KB per object and source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub conns_per_s: f32,
    /// In + out.
    pub packets_per_s: f32,
    /// In + out.
    pub bytes_per_s: f32,
}

impl From<&Rate> for Sample {
    fn from(r: &Rate) -> Sample {
        Sample { conns_per_s: r.conns_per_s as f32, packets_per_s: r.packets_per_s() as f32, bytes_per_s: r.bytes_per_s() as f32 }
    }
}

/// The latest samples, oldest first, never more than the capacity.
#[derive(Debug, Clone)]
pub struct History {
    samples: VecDeque<Sample>,
    capacity: usize,
    /// Samples pushed since the history began, dropped ones included: groups of samples
    /// counted from the start stay the same groups as the ring turns.
    pushed: u64,
}

impl History {
    pub fn new(capacity: usize) -> History {
        // Not preallocated: thousands of real servers each with a full ring would be megabytes.
        History { samples: VecDeque::new(), capacity, pushed: 0 }
    }

    pub fn push(&mut self, sample: Sample) {
        if self.samples.len() == self.capacity {
            self.samples.pop_front();
        }
        self.samples.push_back(sample);
        self.pushed += 1;
    }

    /// Samples ever pushed; the oldest kept one is number `pushed() - len()` (from 0).
    pub fn pushed(&self) -> u64 {
        self.pushed
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Sample> + ExactSizeIterator {
        self.samples.iter()
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn latest(&self) -> Option<&Sample> {
        self.samples.back()
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
        DestKey { service, addr: dest.config.addr, port: dest.config.port }
    }
}

/// conns, inpkts, outpkts, inbytes, outbytes.
type Counters = [u64; 5];

fn counters(s: &Stats) -> Counters {
    [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes]
}

fn kernel_rates(s: &Stats) -> [u64; 5] {
    [s.cps, s.inpps, s.outpps, s.inbps, s.outbps]
}

/// One number to compare deltas of different lengths with: connections plus packets.
fn activity(c: &Counters) -> f64 {
    (c[0] as f64) + (c[1] as f64) + (c[2] as f64)
}

/// How long a delta between two observed changes covers. Each change happened at an estimator
/// pass some time before it was seen: less than the poll gap before it, and (under traffic) less
/// than a period. Passes of one object are whole periods apart, so the candidates are the whole
/// periods within `gap` widened by those lags. One candidate: that is the window. Several (polls
/// slower than the estimator): the one whose per-period activity is closest to the previous one
/// (or the kernel's), which is exact for steady traffic and off by at most the same bracket when
/// it steps. Nothing to go by, or no candidate (timing the kernel's 2 s passes cannot produce):
/// the gap as measured.
fn covered(gap: Duration, lag_then: Duration, lag_now: Duration, activity: f64, per_period: Option<f64>) -> Duration {
    let (p, g) = (ESTIMATOR_PERIOD.as_secs_f64(), gap.as_secs_f64());
    let slack = SLACK.as_secs_f64();
    let lo = ((g - lag_now.as_secs_f64() - slack) / p).ceil().max(1.0) as u32;
    let hi = ((g + lag_then.as_secs_f64() + slack) / p).floor().min(u32::MAX as f64) as u32;
    let k = match (lo.cmp(&hi), per_period) {
        (std::cmp::Ordering::Greater, _) => None,
        (std::cmp::Ordering::Equal, _) => Some(lo),
        (_, Some(q)) if q > 0.0 && activity > 0.0 => {
            // Lags are at most a period each, so there are at most three candidates.
            let off = |k: &u32| (activity / (*k as f64 * q)).ln().abs();
            (lo..=hi).min_by(|a, b| off(a).total_cmp(&off(b)))
        }
        _ => None,
    };
    k.and_then(|k| ESTIMATOR_PERIOD.checked_mul(k)).unwrap_or(gap)
}

/// Where a rate is measured from: a change, when it was seen, and how late it may have been seen.
#[derive(Debug, Clone)]
struct Anchor {
    at: Instant,
    lag: Duration,
    counters: Counters,
}

/// Our own rates of one object: one series, restarted whenever a counter goes down.
#[derive(Debug, Clone)]
struct Series {
    last: Counters,
    last_at: Instant,
    /// When the current counter values were first seen.
    since: Instant,
    anchor: Option<Anchor>,
    /// Connections + packets per estimator period in the last rate, to choose between windows.
    per_period: Option<f64>,
    rate: Option<Rate>,
    sample_at: Option<Instant>,
    history: History,
}

impl Series {
    fn start(at: Instant, now: Counters, capacity: usize) -> Series {
        Series { last: now, last_at: at, since: at, anchor: None, per_period: None, rate: None, sample_at: None, history: History::new(capacity) }
    }

    fn record(&mut self, at: Instant, rate: Rate) {
        self.rate = Some(rate);
        self.history.push(Sample::from(&rate));
        self.sample_at = Some(at);
    }

    /// Returns whether the counters changed (a reset included).
    fn observe(&mut self, at: Instant, now: Counters, kernel_per_period: Option<f64>) -> bool {
        if now.iter().zip(&self.last).any(|(n, l)| n < l) {
            // ZERO, or the object was deleted and re-created: nothing before this compares.
            *self = Series::start(at, now, self.history.capacity());
            return true;
        }
        let lag_now = (at - self.last_at).min(ESTIMATOR_PERIOD);
        let changed = now != self.last;
        if changed {
            if let Some(a) = &self.anchor {
                let delta: Counters = std::array::from_fn(|i| now[i] - a.counters[i]);
                let act = activity(&delta);
                let window = covered(at - a.at, a.lag, lag_now, act, self.per_period.or(kernel_per_period));
                if act > 0.0 {
                    self.per_period = Some(act * ESTIMATOR_PERIOD.as_secs_f64() / window.as_secs_f64());
                }
                self.record(at, Rate::over(&delta, window));
            }
            self.anchor = Some(Anchor { at, lag: lag_now, counters: now });
            self.since = at;
        } else if at - self.since >= ESTIMATOR_PERIOD + SLACK {
            // A pass has certainly happened since and moved nothing: measured zero, not a guess.
            // The anchor stays, so the next change is averaged over the quiet time too.
            let rate = Rate::over(&[0; 5], at - self.since);
            if self.sample_at.is_none_or(|s| at - s >= ESTIMATOR_PERIOD) {
                self.record(at, rate);
            } else {
                self.rate = Some(rate);
            }
        }
        self.last = now;
        self.last_at = at;
        changed
    }
}

/// One service or real server, both sources.
#[derive(Debug, Clone)]
struct Tracked {
    own: Series,
    stats: Stats,
    /// Since when the kernel's rates have had their current values.
    kernel_since: Instant,
    kernel_sample_at: Instant,
    kernel_history: History,
    /// Active and inactive connections (real servers only).
    gauges: (u32, u32),
    /// The tracker's generation of the last poll that had this object.
    generation: u64,
}

impl Tracked {
    fn new(at: Instant, stats: &Stats, gauges: (u32, u32), capacity: usize, generation: u64) -> Tracked {
        let mut kernel_history = History::new(capacity);
        kernel_history.push(Sample::from(&Rate::kernel(stats)));
        Tracked {
            own: Series::start(at, counters(stats), capacity),
            stats: *stats,
            kernel_since: at,
            kernel_sample_at: at,
            kernel_history,
            gauges,
            generation,
        }
    }

    /// Observes the object of `entry` in poll `generation` (once), or starts tracking it;
    /// returns (counters changed, a connection gauge rose).
    fn update<K>(entry: Entry<'_, K, Tracked>, at: Instant, stats: &Stats, gauges: (u32, u32), capacity: usize, generation: u64) -> (bool, bool) {
        match entry {
            Entry::Occupied(mut e) => {
                let t = e.get_mut();
                if t.generation == generation {
                    return (false, false);
                }
                t.generation = generation;
                t.observe(at, stats, gauges)
            }
            Entry::Vacant(e) => {
                e.insert(Tracked::new(at, stats, gauges, capacity, generation));
                (false, false)
            }
        }
    }

    /// Returns (counters changed, a connection gauge rose).
    fn observe(&mut self, at: Instant, stats: &Stats, gauges: (u32, u32)) -> (bool, bool) {
        let k = Rate::kernel(stats);
        let kernel_per_period = Some(k.conns_per_s + k.packets_per_s()).filter(|v| *v > 0.0).map(|v| v * ESTIMATOR_PERIOD.as_secs_f64());
        let changed = self.own.observe(at, counters(stats), kernel_per_period);
        if kernel_rates(stats) != kernel_rates(&self.stats) {
            self.kernel_since = at;
        }
        // One kernel sample per estimator pass seen, like our own, so toggling keeps the time scale;
        // and one per period-and-a-bit when nothing moves.
        if *stats != self.stats || at - self.kernel_sample_at >= ESTIMATOR_PERIOD + SLACK {
            self.kernel_history.push(Sample::from(&k));
            self.kernel_sample_at = at;
        }
        let rose = gauges.0 > self.gauges.0 || gauges.1 > self.gauges.1;
        self.stats = *stats;
        self.gauges = gauges;
        (changed, rose)
    }

    fn rate(&self, source: RateSource) -> Option<Rate> {
        match source {
            RateSource::Own => self.own.rate,
            RateSource::Kernel => Some(Rate::kernel(&self.stats)),
        }
    }

    fn history(&self, source: RateSource) -> &History {
        match source {
            RateSource::Own => &self.own.history,
            RateSource::Kernel => &self.kernel_history,
        }
    }

    /// Kernel rates that a running estimator would have moved by now. Its EWMA loses a quarter
    /// per pass when nothing comes in; a displayed 1 can survive three passes of rounding, 2 cannot.
    fn kernel_frozen(&self, at: Instant) -> bool {
        kernel_rates(&self.stats).iter().any(|r| *r >= 2) && at - self.kernel_since > STALL_AFTER
    }
}

/// Rates and histories of every service and real server of a stream of snapshots.
#[derive(Debug, Clone)]
pub struct RateTracker {
    capacity: usize,
    services: HashMap<ServiceKey, Tracked>,
    dests: HashMap<DestKey, Tracked>,
    last_at: Option<Instant>,
    /// The last observation in which any counter moved (or the first observation).
    last_change: Option<Instant>,
    /// The first observation since `last_change` in which a real server's connection gauge rose.
    gauge_rise: Option<Instant>,
    /// Own, kernel.
    totals: [History; 2],
    totals_at: [Option<Instant>; 2],
    stalled: bool,
    /// Counts polls, to find the objects a poll no longer has.
    generation: u64,
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
            services: HashMap::new(),
            dests: HashMap::new(),
            last_at: None,
            last_change: None,
            gauge_rise: None,
            totals: [History::new(capacity), History::new(capacity)],
            totals_at: [None; 2],
            stalled: false,
            generation: 0,
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
        // Updated in place, then what this poll did not mention is dropped: no map rebuilt and
        // no tracked object moved each poll (with thousands of them, that was most of the work).
        self.generation = self.generation.wrapping_add(1);
        let generation = self.generation;
        let mut track = |(c, r): (bool, bool)| {
            changed |= c;
            rose |= r;
        };
        for svc in &snapshot.services {
            let key = svc.config.key;
            track(Tracked::update(self.services.entry(key), at, &svc.stats, (0, 0), capacity, generation));
            for d in &svc.dests {
                let gauges = (d.active_conns, d.inact_conns);
                track(Tracked::update(self.dests.entry(DestKey::of(key, d)), at, &d.stats, gauges, capacity, generation));
            }
        }
        self.services.retain(|_, t| t.generation == generation);
        self.dests.retain(|_, t| t.generation == generation);
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
        for (i, source) in [RateSource::Own, RateSource::Kernel].into_iter().enumerate() {
            if let Some(r) = self.total_rate(source).filter(|_| self.totals_at[i].is_none_or(|t| at - t >= ESTIMATOR_PERIOD)) {
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
        let Some(last_change) = self.last_change else { return false };
        if at - last_change <= STALL_AFTER {
            return false;
        }
        let backup = snapshot.daemons.iter().any(|d| d.state == SyncState::Backup);
        let uncounted = !backup && self.gauge_rise.is_some_and(|r| at - r > ESTIMATOR_PERIOD + SLACK);
        uncounted || self.services.values().chain(self.dests.values()).any(|t| t.kernel_frozen(at))
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

    /// The sum over services that have a rate; None when none has.
    pub fn total_rate(&self, source: RateSource) -> Option<Rate> {
        self.services.values().filter_map(|t| t.rate(source)).reduce(Rate::plus)
    }

    /// Own samples: one per observed change (and one per period while quiet); emptied by a reset.
    /// Kernel samples: one per estimator pass seen.
    pub fn service_history(&self, key: &ServiceKey, source: RateSource) -> Option<&History> {
        Some(self.services.get(key)?.history(source))
    }

    pub fn dest_history(&self, key: &DestKey, source: RateSource) -> Option<&History> {
        Some(self.dests.get(key)?.history(source))
    }

    /// The header's totals, at most one sample per period.
    pub fn total_history(&self, source: RateSource) -> &History {
        &self.totals[source as usize]
    }
}
