//! The console's beat: the timers that repeat (each director's poll, the loop's clock tick) fall
//! on one grid of instants, so that at 1 s refresh a second wakes the process once rather than
//! once per timer. tokio wakes twice for a timer a second away (at its wheel slot, then at its
//! deadline), with a few clock reads each time: system calls under user-mode Linux, where the
//! console's CPU is measured.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Where the grid starts: the first time anything asks.
static EPOCH: OnceLock<Instant> = OnceLock::new();

/// The first instant of the `period` grid after `after`.
pub fn next(after: Instant, period: Duration) -> Instant {
    let epoch = *EPOCH.get_or_init(Instant::now);
    next_from(epoch, after, period)
}

fn next_from(epoch: Instant, after: Instant, period: Duration) -> Instant {
    let period_ns = period.as_nanos().max(1);
    let beats = after.saturating_duration_since(epoch).as_nanos() / period_ns + 1;
    // A grid instant past what an Instant holds is not a wait anyone means: one period on.
    u32::try_from(beats)
        .ok()
        .and_then(|b| period.checked_mul(b))
        .and_then(|d| epoch.checked_add(d))
        .unwrap_or(after + period)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beats_fall_on_one_grid_whatever_asks() {
        let epoch = Instant::now();
        let s = Duration::from_secs;
        let ms = Duration::from_millis;
        // After 0.3 s, the next second is at 1 s; just past 1 s, at 2 s; on a beat, the one after.
        assert_eq!(next_from(epoch, epoch + ms(300), s(1)), epoch + s(1));
        assert_eq!(next_from(epoch, epoch + ms(1001), s(1)), epoch + s(2));
        assert_eq!(next_from(epoch, epoch + s(2), s(1)), epoch + s(3));
        // A 2 s grid's beats are beats of the 1 s grid too; so are 0.5 s ones every other time.
        assert_eq!(next_from(epoch, epoch + ms(1001), s(2)), epoch + s(2));
        assert_eq!(
            next_from(epoch, epoch + ms(1001), ms(500)),
            epoch + ms(1500)
        );
        // Before the epoch (an instant taken earlier): the first beat.
        assert_eq!(next_from(epoch + s(5), epoch, s(1)), epoch + s(6));
    }
}
