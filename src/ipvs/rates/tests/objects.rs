//! Objects recreated, vanished and summed; the kernel source; histories; stale timestamps.

use super::*;

#[test]
fn a_recreated_service_or_readded_server_starts_fresh() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let big = |t: f64| kernel_style(t, 0.5, LOAD, false);
    for n in 0..10 {
        let t = n as f64;
        tr.observe(
            at(t0, t),
            &snap(vec![service(80, big(t), vec![dest(2, big(t), 1, 0)])]),
        );
    }
    assert!(tr.service_rate(&svc_key(80), RateSource::Own).is_some());
    // Deleted and added again between two polls: lower counters, not a negative rate.
    let fresh = stats([1, 3, 3, 180, 180], [0; 5]);
    tr.observe(
        at(t0, 10.0),
        &snap(vec![service(80, fresh, vec![dest(2, fresh, 1, 0)])]),
    );
    assert_eq!(tr.service_rate(&svc_key(80), RateSource::Own), None);
    assert_eq!(tr.dest_rate(&dest_key(80, 2), RateSource::Own), None);
    // Deleted for one poll, then back with counters from an old trash entry: a stranger.
    tr.observe(at(t0, 11.0), &snap(vec![]));
    tr.observe(at(t0, 12.0), &snap(vec![service(80, big(12.0), vec![])]));
    assert_eq!(tr.service_rate(&svc_key(80), RateSource::Own), None);
    assert!(
        tr.service_history(&svc_key(80), RateSource::Own)
            .is_none_or(|h| h.is_empty())
    );
}

#[test]
fn vanished_objects_are_forgotten() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let s = stats([1; 5], [1; 5]);
    tr.observe(
        t0,
        &snap(vec![
            service(80, s, vec![dest(2, s, 0, 0), dest(3, s, 0, 0)]),
            service(81, s, vec![]),
        ]),
    );
    assert_eq!(
        (tr.services.values().count(), tr.dests.values().count()),
        (2, 2)
    );
    tr.observe(
        at(t0, 1.0),
        &snap(vec![service(80, s, vec![dest(3, s, 0, 0)])]),
    );
    assert_eq!(
        (tr.services.values().count(), tr.dests.values().count()),
        (1, 1)
    );
    assert!(
        tr.dest_history(&dest_key(80, 2), RateSource::Kernel)
            .is_none()
    );
    assert!(tr.service_rate(&svc_key(81), RateSource::Kernel).is_none());
    assert!(tr.dest_rate(&dest_key(80, 3), RateSource::Kernel).is_some());
    tr.observe(at(t0, 2.0), &snap(vec![]));
    assert_eq!(
        (tr.services.values().count(), tr.dests.values().count()),
        (0, 0)
    );
    assert_eq!(tr.total_rate(RateSource::Kernel), None);
}

#[test]
fn kernel_source_passes_the_estimator_through() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let key = svc_key(80);
    tr.observe(
        t0,
        &snap(vec![service(
            80,
            stats([100; 5], [7, 300, 200, 40_000, 30_000]),
            vec![],
        )]),
    );
    let k = tr.service_rate(&key, RateSource::Kernel).unwrap();
    assert_eq!(
        k,
        Rate {
            conns_per_s: 7.0,
            inpkts_per_s: 300.0,
            outpkts_per_s: 200.0,
            inbytes_per_s: 40_000.0,
            outbytes_per_s: 30_000.0,
            window: KERNEL_WINDOW,
            conns_var: 7.0 / 8.0,
            packets_var: 500.0 / 8.0,
        }
    );
    assert_eq!(tr.service_rate(&key, RateSource::Own), None);
    // A repeated value (no pass since) is not a new sample; a new pass is.
    tr.observe(
        at(t0, 1.0),
        &snap(vec![service(
            80,
            stats([100; 5], [7, 300, 200, 40_000, 30_000]),
            vec![],
        )]),
    );
    tr.observe(
        at(t0, 2.0),
        &snap(vec![service(
            80,
            stats([120; 5], [8, 310, 200, 41_000, 30_000]),
            vec![],
        )]),
    );
    let h: Vec<Sample> = tr
        .service_history(&key, RateSource::Kernel)
        .unwrap()
        .iter()
        .copied()
        .collect();
    assert_eq!(
        h,
        [
            Sample {
                conns_per_s: 7.0,
                packets_per_s: 500.0,
                bytes_per_s: 70_000.0
            },
            Sample {
                conns_per_s: 8.0,
                packets_per_s: 510.0,
                bytes_per_s: 71_000.0
            }
        ]
    );
}

#[test]
fn totals_sum_the_services() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let half = LOAD.map(|v| v / 2.0);
    for n in 0..12 {
        let t = n as f64;
        let svcs = vec![
            service(80, kernel_style(t, 0.3, LOAD, true), vec![]),
            service(81, kernel_style(t, 1.1, half, true), vec![]),
        ];
        tr.observe(at(t0, t), &snap(svcs));
    }
    for source in [RateSource::Own, RateSource::Kernel] {
        assert_rate(&tr.total_rate(source).unwrap(), LOAD.map(|v| v * 1.5), 1e-9);
        // Polled every second, the header gets one point per period.
        assert_eq!(
            tr.total_history(source).len(),
            if source == RateSource::Own { 5 } else { 6 },
            "{source:?}"
        );
    }
}

#[test]
fn histories_keep_their_capacity() {
    let (t0, mut tr) = (Instant::now(), RateTracker::new(5));
    for n in 0..50 {
        let t = n as f64;
        // The load doubles at 40 s; the kernel's rates here just count the polls, to see their order.
        let p = kernel_style(t, 0.5, [2.0; 5], false).conns as f64 / 2.0;
        let c = LOAD.map(|v| (v * p.min(40.0) + 2.0 * v * (p - 40.0).max(0.0)).round() as u64);
        let s = stats(c, [n; 5]);
        tr.observe(
            at(t0, t),
            &snap(vec![service(80, s, vec![dest(2, s, 0, 0)])]),
        );
    }
    for source in [RateSource::Own, RateSource::Kernel] {
        let h = tr.dest_history(&dest_key(80, 2), source).unwrap();
        assert_eq!((h.len(), h.capacity()), (5, 5));
        assert_eq!(tr.total_history(source).len(), 5);
    }
    // Oldest first, the older ones gone: the pass at 40.5 s saw 1.5 s of the old load and 0.5 s of the new.
    let own: Vec<f32> = tr
        .service_history(&svc_key(80), RateSource::Own)
        .unwrap()
        .iter()
        .map(|s| s.conns_per_s)
        .collect();
    assert_eq!(own, [62.5, 100.0, 100.0, 100.0, 100.0]);
    let kernel: Vec<f32> = tr
        .dest_history(&dest_key(80, 2), RateSource::Kernel)
        .unwrap()
        .iter()
        .map(|s| s.conns_per_s)
        .collect();
    assert_eq!(kernel, [45.0, 46.0, 47.0, 48.0, 49.0]);
    assert_eq!(RateTracker::new(0).capacity, 1);
}

#[test]
fn stale_or_repeated_timestamps_are_ignored() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    tr.observe(
        at(t0, 5.0),
        &snap(vec![service(80, stats([1; 5], [0; 5]), vec![])]),
    );
    tr.observe(at(t0, 5.0), &snap(vec![]));
    tr.observe(at(t0, 1.0), &snap(vec![]));
    assert!(tr.service_rate(&svc_key(80), RateSource::Kernel).is_some());
}

#[test]
fn shown_rates_hold_within_their_noise_and_follow_a_real_change() {
    // Polled each second; per 2 s period 20, 20, 22, 22, then 40 connections: 11/s is within
    // sqrt(10/2 + 11/2) of 10/s, 20/s is not.
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let per_period = [0, 20, 20, 22, 22, 40];
    let own = |r: Option<Rate>| r.map(|r| r.conns_per_s);
    let mut shown = Vec::new();
    for n in 0..12 {
        let conns: u64 = per_period[..=(n / 2)].iter().sum();
        let s = stats([conns, conns * 10, 0, conns * 1000, 0], [0; 5]);
        tr.observe(at(t0, n as f64), &snap(vec![service(80, s, vec![])]));
        if n % 2 == 1 {
            shown.push((
                own(tr.service_rate(&svc_key(80), RateSource::Own)),
                own(tr.service_shown(&svc_key(80), RateSource::Own)),
            ));
        }
    }
    assert_eq!(shown[2], (Some(10.0), Some(10.0)));
    assert_eq!(
        shown[3],
        (Some(11.0), Some(10.0)),
        "held: 1/s against a noise of 3.2/s"
    );
    assert_eq!(shown[4], (Some(11.0), Some(10.0)));
    assert_eq!(shown[5], (Some(20.0), Some(20.0)), "a real change shows");
    assert_eq!(
        tr.total_shown(RateSource::Own).map(|r| r.conns_per_s),
        Some(20.0)
    );
}

/// A large table read in steps (`Snapshot::unread`) shows the real servers not read yet as
/// /proc's lines, without counters: neither a zeroing nor a start, so no false rate after.
#[test]
fn real_servers_without_counters_while_a_table_loads_are_kept_as_they_were() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let c = |n: u64| stats([n, 10 * n, 10 * n, 1000 * n, 1000 * n], [0; 5]);
    let table = |d2: Stats, d3: Option<Stats>, unread: usize| {
        let mut dests = vec![dest(2, d2, 1, 0)];
        dests.extend(d3.map(|s| dest(3, s, 1, 0)));
        let mut s = snap(vec![service(80, c(1), dests)]);
        s.unread = unread;
        s
    };
    for n in 0..3 {
        tr.observe(at(t0, 2.0 * n as f64), &table(c(100 + 2 * n), None, 0));
    }
    let before = tr.dest_rate(&dest_key(80, 2), RateSource::Own);
    assert!(before.is_some_and(|r| r.conns_per_s == 1.0), "{before:?}");
    // Read again in steps (after a change this console made): the lines of /proc, counters 0.
    tr.observe(
        at(t0, 5.0),
        &table(Stats::default(), Some(Stats::default()), 1),
    );
    assert_eq!(tr.dest_rate(&dest_key(80, 2), RateSource::Own), before);
    assert_eq!(tr.dest_rate(&dest_key(80, 3), RateSource::Own), None);
    assert!(tr.dests.get(&dest_key(80, 3)).is_none());
    // Read: the counters go on from where they were; a server first seen now starts fresh.
    tr.observe(at(t0, 6.0), &table(c(106), Some(c(5_000)), 0));
    let after = tr.dest_rate(&dest_key(80, 2), RateSource::Own).unwrap();
    assert_eq!(after.conns_per_s, 1.0);
    assert_eq!(tr.dest_rate(&dest_key(80, 3), RateSource::Own), None);
}
