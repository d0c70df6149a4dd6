//! The rate a screen shows: a measured rate held until a new one differs from it by more than
//! the new one's own counting noise.
//!
//! Connections arrive independently of one another (Poisson), so a rate counted from k of them
//! over a window T has a standard deviation of about sqrt(k)/T. Packets and bytes come in bunches,
//! one bunch per connection, so they are no steadier than the connections that carry them: the
//! whole row is held or replaced together, judged on its connections (on its packets when no
//! connection is counted, as for long-lived ones). A new rate within one standard deviation of
//! the shown one is what chance alone gives two times in three with the traffic unchanged, so
//! printing it says nothing; a real change of load soon moves past it. A count of zero is judged
//! as if it were one event: an estimate of 0 over T cannot rule out one event in T.

use super::Rate;

/// Whether `new` differs from `shown` by less than its counting noise (see the module comment).
pub fn within_noise(shown: &Rate, new: &Rate) -> bool {
    let t = new.window.as_secs_f64();
    if t <= 0.0 {
        return false;
    }
    let (a, b) = if shown.conns_per_s > 0.0 || new.conns_per_s > 0.0 {
        (shown.conns_per_s, new.conns_per_s)
    } else {
        (shown.packets_per_s(), new.packets_per_s())
    };
    let k = (b * t).max(1.0);
    (a - b).abs() * t < k.sqrt()
}

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
        Rate {
            conns_per_s: conns,
            inpkts_per_s: packets,
            outpkts_per_s: 0.0,
            inbytes_per_s: packets * 100.0,
            outbytes_per_s: 0.0,
            window: Duration::from_secs(secs),
        }
    }

    #[test]
    fn a_rate_moves_only_beyond_one_standard_deviation_of_its_count() {
        // 100 connections in 2 s: sigma is 10 connections, 5/s.
        let shown = rate(50.0, 500.0, 2);
        assert!(within_noise(&shown, &rate(54.0, 560.0, 2)), "8 < 10 events");
        assert!(
            within_noise(&shown, &rate(46.0, 400.0, 2)),
            "8 < 9.6 events"
        );
        assert!(!within_noise(&shown, &rate(56.0, 500.0, 2)), "12 > 10.6");
        assert!(!within_noise(&shown, &rate(44.0, 500.0, 2)), "12 > 9.4");
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
        // One connection in 2 s shown; two in the next window is within sqrt(2).
        assert!(within_noise(&rate(0.5, 5.0, 2), &rate(1.0, 10.0, 2)));
        // From two to one: one event of difference is not less than sqrt(1).
        assert!(!within_noise(&rate(1.0, 10.0, 2), &rate(0.5, 5.0, 2)));
        // Traffic starting always shows, and so does quiet that outlasts one event.
        assert!(!within_noise(&rate(0.0, 0.0, 2), &rate(0.5, 5.0, 2)));
        assert!(!within_noise(&rate(0.5, 5.0, 2), &rate(0.0, 0.0, 3)));
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
            hold(Some(shown), Some(rate(80.0, 0.0, 2))),
            Some(rate(80.0, 0.0, 2))
        );
        assert_eq!(hold(None, Some(shown)), Some(shown));
        assert_eq!(hold(Some(shown), None), None);
    }
}
