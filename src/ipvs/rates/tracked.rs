//! One tracked service or real server: its own-rate series, the kernel's rates and their history,
//! and its connection gauges.

use super::hold::hold;
use super::series::{Series, counters, kernel_rates};
use super::{ESTIMATOR_PERIOD, History, Rate, RateSource, SLACK, STALL_AFTER, Sample};
use crate::ipvs::model::Stats;
use std::time::Duration;
use std::time::Instant;

/// One service or real server, both sources.
#[derive(Debug, Clone)]
pub(super) struct Tracked {
    /// Own rates, made at the first counter change. Until then the object is idle and its rate
    /// is the quiet zero since `seen`: most of a large table never moves, and a series is half
    /// of what a tracked object weighs.
    own: Option<Box<Series>>,
    /// When tracking began, and the last observation.
    seen: Instant,
    last_at: Instant,
    /// What a screen shows of own rates, held within their noise (`hold`); while idle, the
    /// quiet zero itself.
    own_shown: Option<Box<Rate>>,
    /// The kernel's rates as shown, when held at a value they no longer have (else they are
    /// shown as they are): nothing to store for the idle majority.
    kernel_held: Option<Box<Rate>>,
    stats: Stats,
    /// Since when the kernel's rates have had their current values.
    kernel_since: Instant,
    kernel_sample_at: Instant,
    kernel_history: History,
    /// Active and inactive connections (real servers only).
    gauges: (u32, u32),
}

impl Tracked {
    pub(super) fn new(at: Instant, stats: &Stats, gauges: (u32, u32), capacity: usize) -> Tracked {
        let mut kernel_history = History::new(capacity);
        kernel_history.push(Sample::from(&Rate::kernel(stats)));
        Tracked {
            own: None,
            seen: at,
            last_at: at,
            own_shown: None,
            kernel_held: None,
            stats: *stats,
            kernel_since: at,
            kernel_sample_at: at,
            kernel_history,
            gauges,
        }
    }

    /// Returns (counters changed, a connection gauge rose).
    pub(super) fn observe(
        &mut self,
        at: Instant,
        stats: &Stats,
        gauges: (u32, u32),
    ) -> (bool, bool) {
        let k = Rate::kernel(stats);
        let kernel_per_period = Some(k.conns_per_s + k.packets_per_s())
            .filter(|v| *v > 0.0)
            .map(|v| v * ESTIMATOR_PERIOD.as_secs_f64());
        let now = counters(stats);
        let changed = match &mut self.own {
            Some(series) => series.observe(at, now, kernel_per_period),
            None if now != counters(&self.stats) => {
                let mut series = Box::new(Series::resume(
                    self.seen,
                    self.last_at,
                    counters(&self.stats),
                    self.idle_rate(),
                    self.kernel_history.capacity(),
                ));
                let changed = series.observe(at, now, kernel_per_period);
                self.own = Some(series);
                changed
            }
            None => false,
        };
        self.last_at = at;
        if kernel_rates(stats) != kernel_rates(&self.stats) {
            self.kernel_since = at;
        }
        // One kernel sample per estimator pass seen, like our own, so toggling keeps the time scale;
        // and one per period-and-a-bit when nothing moves.
        if *stats != self.stats || at - self.kernel_sample_at >= ESTIMATOR_PERIOD + SLACK {
            self.kernel_history.push(Sample::from(&k));
            self.kernel_sample_at = at;
        }
        if self.own.is_some() {
            let shown = hold(
                self.own_shown.as_deref().copied(),
                self.rate(RateSource::Own),
            );
            self.own_shown = shown.map(Box::new);
        }
        let before = self.shown(RateSource::Kernel);
        self.kernel_held = hold(before, Some(k))
            .filter(|held| *held != k)
            .map(Box::new);
        let rose = gauges.0 > self.gauges.0 || gauges.1 > self.gauges.1;
        self.stats = *stats;
        self.gauges = gauges;
        (changed, rose)
    }

    pub(super) fn rate(&self, source: RateSource) -> Option<Rate> {
        match (source, &self.own) {
            (RateSource::Own, Some(series)) => series.rate,
            (RateSource::Own, None) => self.idle_rate(),
            (RateSource::Kernel, _) => Some(Rate::kernel(&self.stats)),
        }
    }

    /// An idle object's own rate: zero once it has been still for a period and the slack (as
    /// `Series` reads quiet counters), none before.
    fn idle_rate(&self) -> Option<Rate> {
        let still = self.last_at - self.seen;
        (still >= ESTIMATOR_PERIOD + SLACK).then(|| Rate::over(&[0; 5], still.max(Duration::ZERO)))
    }

    /// The rate to show: the measured one held within its noise.
    pub(super) fn shown(&self, source: RateSource) -> Option<Rate> {
        match (source, &self.own) {
            (RateSource::Own, Some(_)) => self.own_shown.as_deref().copied(),
            (RateSource::Own, None) => self.idle_rate(),
            (RateSource::Kernel, _) => Some(
                self.kernel_held
                    .as_deref()
                    .copied()
                    .unwrap_or(Rate::kernel(&self.stats)),
            ),
        }
    }

    /// None: own rates of an object still idle (no samples but zeros).
    pub(super) fn history(&self, source: RateSource) -> Option<&History> {
        match (source, &self.own) {
            (RateSource::Own, Some(series)) => Some(&series.history),
            (RateSource::Own, None) => None,
            (RateSource::Kernel, _) => Some(&self.kernel_history),
        }
    }

    /// Kernel rates that a running estimator would have moved by now. Its EWMA loses a quarter
    /// per pass when nothing comes in; a displayed 1 can survive three passes of rounding, 2 cannot.
    pub(super) fn kernel_frozen(&self, at: Instant) -> bool {
        kernel_rates(&self.stats).iter().any(|r| *r >= 2) && at - self.kernel_since > STALL_AFTER
    }
}
