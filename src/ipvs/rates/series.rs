//! Our own rates of one object: counter deltas between observed changes, over the time they cover
//! (whole estimator periods when the polls pin it down), reaching back over several changes, up
//! to the kernel's 8 s span, until they count enough events to be steady.

use super::{ESTIMATOR_PERIOD, History, KERNEL_WINDOW, Rate, SLACK, Sample};
use crate::ipvs::model::Stats;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// conns, inpkts, outpkts, inbytes, outbytes.
pub(super) type Counters = [u64; 5];

pub(super) fn counters(s: &Stats) -> Counters {
    [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes]
}

pub(super) fn kernel_rates(s: &Stats) -> [u64; 5] {
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
fn covered(
    gap: Duration,
    lag_then: Duration,
    lag_now: Duration,
    activity: f64,
    per_period: Option<f64>,
) -> Duration {
    let (p, g) = (ESTIMATOR_PERIOD.as_secs_f64(), gap.as_secs_f64());
    let slack = SLACK.as_secs_f64();
    let lo = ((g - lag_now.as_secs_f64() - slack) / p).ceil().max(1.0) as u32;
    let hi = ((g + lag_then.as_secs_f64() + slack) / p)
        .floor()
        .min(u32::MAX as f64) as u32;
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
    k.and_then(|k| ESTIMATOR_PERIOD.checked_mul(k))
        .unwrap_or(gap)
}

/// Where a rate is measured from: a change, when it was seen, and how late it may have been seen.
#[derive(Debug, Clone)]
struct Anchor {
    at: Instant,
    lag: Duration,
    counters: Counters,
    /// Where it sits on the series' own time line: the sum of the windows (`covered`) between
    /// consecutive changes. A rate from an older change spans these windows added, each pinned
    /// down between two polls, never one long gap guessed anew.
    pos: Duration,
}

/// A rate counts at least this many events (connections; packets when it has none), as long as
/// the changes seen in the last `KERNEL_WINDOW` hold them: a count of 20 is within ±22% of its
/// mean two times in three, and a busy object (10 connections a second) still gets rates over
/// one estimator period.
const ENOUGH_EVENTS: u64 = 20;
/// The changes kept to measure from: one per estimator period over the kernel's span (8 s back
/// from a new change: the changes 2, 4, 6 and 8 s before it). Four is also what a VecDeque
/// first allocates; a series is kept for every object that moves.
const ANCHORS: usize = 4;

/// Our own rates of one object: one series, restarted whenever a counter goes down.
#[derive(Debug, Clone)]
pub(super) struct Series {
    last: Counters,
    last_at: Instant,
    /// When the current counter values were first seen.
    since: Instant,
    /// The last changes, oldest first: a rate is measured from one of them (`base`).
    anchors: VecDeque<Anchor>,
    /// Connections + packets per estimator period in the last rate, to choose between windows.
    per_period: Option<f64>,
    /// The window of the last rate measured from a change: how long a quiet spell says nothing.
    change_window: Option<Duration>,
    pub(super) rate: Option<Rate>,
    sample_at: Option<Instant>,
    pub(super) history: History,
}

impl Series {
    pub(super) fn start(at: Instant, now: Counters, capacity: usize) -> Series {
        Series {
            last: now,
            last_at: at,
            since: at,
            anchors: VecDeque::new(),
            per_period: None,
            change_window: None,
            rate: None,
            sample_at: None,
            history: History::new(capacity),
        }
    }

    /// A series for an object idle since `since` (last seen at `last_at` with `now`), whose quiet
    /// rate so far was `rate`: what `start` and the observations since would have made, but for
    /// the history, whose quiet samples are all zero anyway.
    pub(super) fn resume(
        since: Instant,
        last_at: Instant,
        now: Counters,
        rate: Option<Rate>,
        capacity: usize,
    ) -> Series {
        Series {
            last_at,
            rate,
            ..Series::start(since, now, capacity)
        }
    }

    fn record(&mut self, at: Instant, rate: Rate) {
        self.rate = Some(rate);
        self.history.push(Sample::from(&rate));
        self.sample_at = Some(at);
    }

    /// How long the counters must stay still to read as zero. A quiet spell no longer than the
    /// window the last rate spans says nothing new: an object that moves every 4 s, or a sparse
    /// one measured over 8 s, would otherwise read 0 and its rate in turn (at most the kernel's
    /// 8 s span). A busy object, measured over one period, reads 0 one period after it stops.
    fn quiet_after(&self) -> Duration {
        self.change_window
            .unwrap_or(ESTIMATOR_PERIOD)
            .clamp(ESTIMATOR_PERIOD, KERNEL_WINDOW)
            + SLACK
    }

    /// The change to measure a rate from, for a change at `pos` with counters `now`: the latest
    /// one that leaves `ENOUGH_EVENTS` counted, going no further back than the kernel's span
    /// (the last change, however old). Few events make a rate that jumps with each arrival; a
    /// span of several periods holds more of them.
    fn base(&self, pos: Duration, now: Counters) -> &Anchor {
        let mut base = self.anchors.back().expect("a change seen before");
        for a in self.anchors.iter().rev() {
            if pos.saturating_sub(a.pos) > KERNEL_WINDOW {
                break;
            }
            base = a;
            let conns = now[0] - a.counters[0];
            let events = if conns > 0 {
                conns
            } else {
                (now[1] - a.counters[1]).saturating_add(now[2] - a.counters[2])
            };
            if events >= ENOUGH_EVENTS {
                break;
            }
        }
        base
    }

    /// Returns whether the counters changed (a reset included).
    pub(super) fn observe(
        &mut self,
        at: Instant,
        now: Counters,
        kernel_per_period: Option<f64>,
    ) -> bool {
        if now.iter().zip(&self.last).any(|(n, l)| n < l) {
            // ZERO, or the object was deleted and re-created: nothing before this compares.
            *self = Series::start(at, now, self.history.capacity());
            return true;
        }
        let lag_now = (at - self.last_at).min(ESTIMATOR_PERIOD);
        let changed = now != self.last;
        if changed {
            let mut pos = Duration::ZERO;
            if let Some(newest) = self.anchors.back() {
                let delta: Counters = std::array::from_fn(|i| now[i] - newest.counters[i]);
                let act = activity(&delta);
                let gap = covered(
                    at - newest.at,
                    newest.lag,
                    lag_now,
                    act,
                    self.per_period.or(kernel_per_period),
                );
                if act > 0.0 {
                    self.per_period =
                        Some(act * ESTIMATOR_PERIOD.as_secs_f64() / gap.as_secs_f64());
                }
                pos = newest.pos + gap;
                let base = self.base(pos, now);
                let delta: Counters = std::array::from_fn(|i| now[i] - base.counters[i]);
                let window = pos - base.pos;
                self.change_window = Some(window);
                self.record(at, Rate::over(&delta, window));
            }
            if self.anchors.len() == ANCHORS {
                self.anchors.pop_front();
            }
            self.anchors.push_back(Anchor {
                at,
                lag: lag_now,
                counters: now,
                pos,
            });
            self.since = at;
        } else if at - self.since >= self.quiet_after() {
            // Passes have certainly happened since and moved nothing, for longer than changes
            // have been apart: measured zero, not a guess. The anchor stays, so the next change
            // is averaged over the quiet time too.
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
