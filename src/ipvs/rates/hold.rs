//! The rate a screen shows: a measured rate held until a new one differs from it by more than
//! the noise of the two.
//!
//! Connections arrive independently of one another (Poisson), so a rate counted from k of them
//! over a window T has a variance of k/T² (a standard deviation of sqrt(k)/T; for a sum of
//! services, the sum of theirs). Two measurements of an unchanged load differ by less than the
//! standard deviation of their difference, sqrt(var_shown + var_new), two times in three: such a
//! difference says nothing, and printing it only repaints the row. A real change of load soon
//! moves past it. Packets and bytes come in bunches, one bunch per connection, so they are no
//! steadier than the connections that carry them: the whole row is held or replaced together,
//! judged on its connections (on its packets when no connection is counted, as for long-lived
//! ones). A shown zero is taken as exact, so traffic that starts shows at its first measurement.
//! A quiet window (nothing counted) is judged differently, since a count of one has a relative
//! noise of 100% and would hold forever: it replaces the shown rate once that rate would have
//! brought at least `QUIET_EVENTS` events in the window, when silence by chance is under 5%.

use super::Rate;

/// Whether `new` differs from `shown` by less than the noise of the two (see the module comment).
pub fn within_noise(shown: &Rate, new: &Rate) -> bool {
    let t = new.window.as_secs_f64();
    if t <= 0.0 {
        return false;
    }
    let ((a, va), (b, vb)) = if shown.conns_per_s > 0.0 || new.conns_per_s > 0.0 {
        (
            (shown.conns_per_s, shown.conns_var),
            (new.conns_per_s, new.conns_var),
        )
    } else {
        (
            (shown.packets_per_s(), shown.packets_var),
            (new.packets_per_s(), new.packets_var),
        )
    };
    if b == 0.0 {
        return a * t < QUIET_EVENTS;
    }
    (a - b).abs() < (va + vb).sqrt()
}

/// A quiet window ends a shown rate once that rate predicts this many events in it: Poisson
/// gives none with probability e^-3, 5%.
pub const QUIET_EVENTS: f64 = 3.0;

/// The rate to show now, given the one shown so far and the newest measurement.
pub fn hold(shown: Option<Rate>, new: Option<Rate>) -> Option<Rate> {
    match (shown, new) {
        (Some(s), Some(n)) if within_noise(&s, &n) => Some(s),
        _ => new,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn rate(conns: f64, packets: f64, secs: u64) -> Rate {
        let t = secs as f64;
        Rate {
            conns_per_s: conns,
            inpkts_per_s: packets,
            outpkts_per_s: 0.0,
            inbytes_per_s: packets * 100.0,
            outbytes_per_s: 0.0,
            window: Duration::from_secs(secs),
            conns_var: conns / t,
            packets_var: packets / t,
        }
    }

    #[test]
    fn a_rate_moves_only_beyond_the_noise_of_the_two_counts() {
        // 100 connections in 2 s shown (variance 25 /s²); 108 (27): sigma of the difference 7.2/s.
        let shown = rate(50.0, 500.0, 2);
        assert!(within_noise(&shown, &rate(54.0, 560.0, 2)), "4 < 7.2");
        assert!(within_noise(&shown, &rate(46.0, 400.0, 2)), "4 < 6.9");
        assert!(!within_noise(&shown, &rate(60.0, 500.0, 2)), "10 > 7.4");
        assert!(!within_noise(&shown, &rate(40.0, 500.0, 2)), "10 > 6.7");
        // The same relative change over a longer window is more certain.
        assert!(!within_noise(&rate(50.0, 0.0, 20), &rate(54.0, 0.0, 20)));
        // Big counts: three digits would change, the noise does not allow it.
        assert!(within_noise(
            &rate(10_000.0, 0.0, 2),
            &rate(10_050.0, 0.0, 2)
        ));
    }

    #[test]
    fn small_counts_and_zeros() {
        // One connection in 2 s, then two: within the noise of both, either way.
        assert!(within_noise(&rate(0.5, 5.0, 2), &rate(1.0, 10.0, 2)));
        assert!(within_noise(&rate(1.0, 10.0, 2), &rate(0.5, 5.0, 2)));
        // Traffic starting shows at once: a shown zero is exact.
        assert!(!within_noise(&rate(0.0, 0.0, 2), &rate(0.5, 5.0, 2)));
        // One quiet window after one connection is no evidence; a long quiet spell is: 0.5/s
        // would bring 1.5 connections in 3 s, 3 in 6 s.
        assert!(within_noise(&rate(0.5, 5.0, 2), &rate(0.0, 0.0, 3)));
        assert!(!within_noise(&rate(0.5, 5.0, 2), &rate(0.0, 0.0, 6)));
        assert!(!within_noise(&rate(10.0, 100.0, 2), &rate(0.0, 0.0, 3)));
        // No connections either side: judged on packets (a long-lived connection).
        assert!(within_noise(&rate(0.0, 100.0, 2), &rate(0.0, 105.0, 2)));
        assert!(!within_noise(&rate(0.0, 100.0, 2), &rate(0.0, 130.0, 2)));
        // Nothing at all either side: equal, nothing to print.
        assert!(within_noise(&rate(0.0, 0.0, 2), &rate(0.0, 0.0, 4)));
    }

    #[test]
    fn hold_keeps_the_shown_rate_or_takes_the_new_one() {
        let shown = rate(50.0, 500.0, 2);
        assert_eq!(hold(Some(shown), Some(rate(52.0, 0.0, 2))), Some(shown));
        assert_eq!(
            hold(Some(shown), Some(rate(80.0, 0.0, 2))).map(|r| r.conns_per_s),
            Some(80.0)
        );
        assert_eq!(
            hold(Some(shown), Some(rate(80.0, 0.0, 2))),
            Some(rate(80.0, 0.0, 2))
        );
        assert_eq!(hold(None, Some(shown)), Some(shown));
        assert_eq!(hold(Some(shown), None), None);
    }
}
