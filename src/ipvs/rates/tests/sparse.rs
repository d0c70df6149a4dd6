//! Sparse traffic at random: rates over enough events, and a screen that seldom changes.

use super::*;

/// Connections brought by each 2 s estimator pass, one or two a pass at random (a seeded
/// generator, so the test is the same every run).
fn arrivals(passes: usize) -> Vec<u64> {
    let mut x: u64 = 14;
    (0..passes)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            [0, 1, 1, 1, 1, 2, 2, 3][(x >> 61) as usize]
        })
        .collect()
}

#[test]
fn sparse_arrivals_are_counted_over_the_kernel_span_and_seldom_repaint() {
    let per_pass = arrivals(60);
    // Passes at 0.5, 2.5, 4.5 ... s; the counters a poll at `t` sees.
    let conns_at = |t: f64| -> u64 {
        let passes = if t < 0.5 {
            0
        } else {
            ((t - 0.5) / 2.0).floor() as usize + 1
        };
        per_pass[..passes.min(per_pass.len())].iter().sum()
    };
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let key = svc_key(80);
    let (mut measured, mut repainted) = (0, 0);
    let (mut last_rate, mut last_shown) = (None, None);
    // When the last non-zero rate was measured, and over what window.
    let mut last_change = (0.0, Duration::ZERO);
    let mut full_spans = 0;
    for n in 0..110 {
        let t = n as f64;
        let c = conns_at(t);
        let s = stats([c, 10 * c, 10 * c, 1000 * c, 1000 * c], [0; 5]);
        tr.observe(at(t0, t), &snap(vec![service(80, s, vec![])]));
        let rate = tr.service_rate(&key, RateSource::Own);
        let shown = tr.service_shown(&key, RateSource::Own);
        if n >= 20 {
            let r = rate.expect("a rate");
            if r.conns_per_s > 0.0 {
                // Measured at the last pass that brought connections, from an earlier one with
                // changes, whole periods back: it counts exactly what the passes between brought.
                let seen_pass = ((t - 0.5) / 2.0).floor() as usize;
                let last = (0..=seen_pass).rev().find(|&k| per_pass[k] > 0).unwrap();
                let periods = (r.window.as_secs_f64() / 2.0).round() as usize;
                assert!(periods <= 4, "at {t} s: {r:?}");
                let base = last - periods;
                assert!(
                    per_pass[base] > 0,
                    "at {t} s: measured from a pass without change"
                );
                let counted: u64 = per_pass[base + 1..=last].iter().sum();
                let seen = r.conns_per_s * r.window.as_secs_f64();
                assert!(
                    (seen - counted as f64).abs() < 1e-9,
                    "at {t} s: {seen} vs {counted}"
                );
                // Fewer than 20 connections: as far back as the kernel's span allows.
                if per_pass[last - 4] > 0 {
                    assert_eq!(r.window, KERNEL_WINDOW, "at {t} s");
                    // Only telling when every pass between brought some: else fewer changes
                    // reach as far.
                    full_spans += usize::from(per_pass[last - 3..last].iter().all(|&c| c > 0));
                }
            }
            // Zero only after a silence at least as long as the window of the rate it replaces:
            // silence shorter than what a rate already spans says nothing new.
            if let Some(r) = rate.filter(|r| r.conns_per_s > 0.0)
                && rate != last_rate
            {
                last_change = (t, r.window);
            }
            if shown.is_some_and(|s| s.conns_per_s == 0.0) && last_change.0 > 0.0 {
                let (since, window) = last_change;
                assert!(
                    t - since >= window.as_secs_f64(),
                    "at {t} s: zero {}s after a rate over {window:?}",
                    t - since
                );
            }
            measured += usize::from(rate != last_rate);
            repainted += usize::from(shown != last_shown);
        }
        (last_rate, last_shown) = (rate, shown);
    }
    // 90 polls, 45 passes, most with a change: the measured rate moves often, the shown one
    // only when the load moves past the noise of about four connections.
    assert!(full_spans >= 3, "{full_spans} rates from four changes back");
    assert!(measured >= 20, "measured rate changed {measured} times");
    assert!(
        repainted * 4 <= measured,
        "shown {repainted} times against {measured} measured changes"
    );
}
