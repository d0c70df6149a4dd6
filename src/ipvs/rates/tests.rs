//! Rate tracker tests: synthetic snapshots whose counters move the way the kernel's estimator moves them.

use super::*;
use crate::ipvs::model::{Dest, DestConfig, Protocol, Service, ServiceConfig, SyncDaemon};
use proptest::prelude::*;
use std::net::Ipv4Addr;

const LOAD: [f64; 5] = [50.0, 1000.0, 800.0, 1_500_000.0, 1_000_000.0];

fn svc_key(port: u16) -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
        port,
    }
}

fn dest_key(port: u16, last: u8) -> DestKey {
    DestKey {
        service: svc_key(port),
        addr: IpAddr::V4(Ipv4Addr::new(10, 0, 0, last)),
        port: 80,
    }
}

fn stats(c: Counters, k: [u64; 5]) -> Stats {
    Stats {
        conns: c[0],
        inpkts: c[1],
        outpkts: c[2],
        inbytes: c[3],
        outbytes: c[4],
        cps: k[0],
        inpps: k[1],
        outpps: k[2],
        inbps: k[3],
        outbps: k[4],
    }
}

/// What a GET returns at time `t` (s) under a steady `load` per second: the counters as of the
/// object's last estimator pass (passes at `phase` + 2n), and the kernel's settled EWMA.
fn kernel_style(t: f64, phase: f64, load: [f64; 5], ewma: bool) -> Stats {
    let published = if t < phase {
        0.0
    } else {
        phase + ((t - phase) / 2.0).floor() * 2.0
    };
    let k = if ewma { load.map(|v| v as u64) } else { [0; 5] };
    stats(load.map(|v| (v * published).round() as u64), k)
}

fn service(port: u16, s: Stats, dests: Vec<Dest>) -> Service {
    Service {
        config: ServiceConfig::new(svc_key(port)),
        stats: s,
        dests,
    }
}

fn dest(last: u8, s: Stats, active: u32, inact: u32) -> Dest {
    let config = DestConfig::new(IpAddr::V4(Ipv4Addr::new(10, 0, 0, last)), 80);
    Dest {
        config,
        active_conns: active,
        inact_conns: inact,
        persist_conns: 0,
        stats: s,
    }
}

fn snap(services: Vec<Service>) -> Snapshot {
    Snapshot {
        services,
        ..Snapshot::default()
    }
}

fn at(t0: Instant, secs: f64) -> Instant {
    t0 + Duration::from_secs_f64(secs)
}

fn assert_rate(r: &Rate, load: [f64; 5], tolerance: f64) {
    let got = [
        r.conns_per_s,
        r.inpkts_per_s,
        r.outpkts_per_s,
        r.inbytes_per_s,
        r.outbytes_per_s,
    ];
    for (g, want) in got.iter().zip(load) {
        assert!(
            (g - want).abs() <= want * tolerance,
            "{got:?} vs {load:?} over {:?}",
            r.window
        );
    }
}

/// Polls one service (phase 0.7) with one real server (phase 1.9) at `times`; own rates after each.
fn drive(times: &[f64], ewma: bool) -> Vec<(Option<Rate>, Option<Rate>)> {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    times
        .iter()
        .map(|&t| {
            let d = dest(2, kernel_style(t, 1.9, LOAD, ewma), 5, 0);
            tr.observe(
                at(t0, t),
                &snap(vec![service(80, kernel_style(t, 0.7, LOAD, ewma), vec![d])]),
            );
            (
                tr.service_rate(&svc_key(80), RateSource::Own),
                tr.dest_rate(&dest_key(80, 2), RateSource::Own),
            )
        })
        .collect()
}

#[test]
fn one_second_polls_of_two_second_steps_give_a_flat_rate_over_two_seconds() {
    // Poll jitter of up to ±150 ms must not bring the sawtooth back either.
    for jitter in [0.0, 0.15] {
        let times: Vec<f64> = (0..60)
            .map(|n| n as f64 + jitter * (n as f64 * 1.7).sin())
            .collect();
        let rates = drive(&times, false);
        // First observation, then the first change: nothing to measure from yet.
        assert_eq!(rates[0], (None, None));
        assert_eq!(rates[1], (None, None));
        for (svc, dst) in &rates[5..] {
            for r in [svc, dst] {
                let r = r.expect("a rate after two changes");
                assert_eq!(r.window, ESTIMATOR_PERIOD);
                assert_rate(&r, LOAD, 1e-9);
            }
        }
    }
}

#[test]
fn slow_polls_give_the_load_over_whole_periods() {
    for poll in [3.0, 5.0, 7.0] {
        let times: Vec<f64> = (0..30).map(|n| n as f64 * poll).collect();
        // Without the kernel's EWMA to go by, the first rate uses the measured gap; once one rate
        // is known, the window is snapped to the right number of periods.
        let rates = drive(&times, false);
        let first = rates
            .iter()
            .position(|r| r.0.is_some())
            .expect("rates appear");
        assert!(first <= 2, "{poll}: first rate at poll {first}");
        assert_rate(&rates[first].0.unwrap(), LOAD, (2.0 / poll) + 1e-9);
        for (svc, dst) in &rates[first + 1..] {
            for r in [svc.unwrap(), dst.unwrap()] {
                assert_rate(&r, LOAD, 1e-9);
                assert!(
                    r.window >= Duration::from_secs_f64(poll - 2.0)
                        && r.window <= Duration::from_secs_f64(poll + 2.0)
                );
                assert_eq!(r.window.as_millis() % 2000, 0, "{:?}", r.window);
            }
        }
    }
    // With the kernel's settled EWMA, even the first rate is exact.
    let times: Vec<f64> = (0..30).map(|n| n as f64 * 5.0).collect();
    let rates = drive(&times, true);
    let windows: Vec<u128> = rates
        .iter()
        .filter_map(|r| r.0)
        .map(|r| r.window.as_millis())
        .collect();
    assert!(
        windows.contains(&4000) && windows.contains(&6000),
        "{windows:?}"
    );
    for r in rates.iter().filter_map(|r| r.0) {
        assert_rate(&r, LOAD, 1e-9);
    }
}

#[test]
fn quiet_counters_read_zero_only_once_a_period_has_surely_passed() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let quiet = snap(vec![service(
        80,
        stats([7, 70, 0, 7000, 0], [0; 5]),
        vec![],
    )]);
    let own = |tr: &RateTracker| tr.service_rate(&svc_key(80), RateSource::Own);
    tr.observe(t0, &quiet);
    tr.observe(at(t0, 1.0), &quiet);
    tr.observe(at(t0, 2.0), &quiet);
    assert_eq!(
        own(&tr),
        None,
        "2 s without a change could still be the estimator's phase"
    );
    tr.observe(at(t0, 3.0), &quiet);
    assert_eq!(own(&tr), Some(Rate::over(&[0; 5], Duration::from_secs(3))));
    // Traffic resumes: the first change anchors, the second is measured from it.
    tr.observe(
        at(t0, 4.0),
        &snap(vec![service(
            80,
            stats([9, 90, 0, 9000, 0], [0; 5]),
            vec![],
        )]),
    );
    tr.observe(
        at(t0, 6.0),
        &snap(vec![service(
            80,
            stats([13, 130, 0, 13000, 0], [0; 5]),
            vec![],
        )]),
    );
    assert_rate(&own(&tr).unwrap(), [2.0, 20.0, 0.0, 2000.0, 0.0], 1e-9);
}

#[test]
fn an_object_that_moves_every_other_period_keeps_its_rate_until_quiet_outlasts_that_gap() {
    // One connection every 4 s: the counters move at every other pass (phase 0.5). Polled each
    // second, the rate reads 0.25/s throughout, not 0 and 0.5 in turn.
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let conns_at = |t: f64| {
        if t < 0.5 {
            0
        } else {
            ((t - 0.5) / 4.0).floor() as u64 + 1
        }
    };
    let own = |tr: &RateTracker| tr.service_rate(&svc_key(80), RateSource::Own);
    let mut seen = Vec::new();
    for n in 0..40 {
        let t = n as f64;
        let c = conns_at(t);
        tr.observe(
            at(t0, t),
            &snap(vec![service(
                80,
                stats([c, 10 * c, 10 * c, 1000 * c, 1000 * c], [0; 5]),
                vec![],
            )]),
        );
        seen.push(own(&tr));
    }
    for (n, r) in seen.iter().enumerate().skip(10) {
        let r = r.unwrap_or_else(|| panic!("no rate at {n} s"));
        assert_eq!(r.window, Duration::from_secs(4), "at {n} s");
        assert_rate(&r, [0.25, 2.5, 2.5, 250.0, 250.0], 1e-9);
    }
    // Traffic stops after the change seen at 37 s: still 0.25 at 41 s (4 s of quiet says nothing
    // new), zero once the quiet outlasts the gap and the slack.
    let last = conns_at(39.0);
    let still = snap(vec![service(
        80,
        stats(
            [last, 10 * last, 10 * last, 1000 * last, 1000 * last],
            [0; 5],
        ),
        vec![],
    )]);
    tr.observe(at(t0, 40.0), &still);
    tr.observe(at(t0, 41.0), &still);
    assert_rate(&own(&tr).unwrap(), [0.25, 2.5, 2.5, 250.0, 250.0], 1e-9);
    tr.observe(at(t0, 42.0), &still);
    assert_eq!(own(&tr), Some(Rate::over(&[0; 5], Duration::from_secs(5))));
}

#[test]
fn a_counter_going_down_starts_a_new_series() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let key = svc_key(80);
    let mut seen = Vec::new();
    for n in 0..40 {
        let t = n as f64;
        // ZERO at 20.5 s: from then on the counters count from the zeroing pass.
        let s = if t < 20.5 {
            kernel_style(t, 0.5, LOAD, false)
        } else {
            kernel_style(t - 20.0, 0.5, LOAD, false)
        };
        tr.observe(at(t0, t), &snap(vec![service(80, s, vec![])]));
        seen.push(tr.service_rate(&key, RateSource::Own));
        if n == 21 {
            assert!(
                tr.service_history(&key, RateSource::Own)
                    .unwrap()
                    .is_empty(),
                "the old series is gone"
            );
        }
    }
    assert!(seen[19].is_some());
    // The drop itself, the next change (an anchor only), and nothing invented in between.
    assert!(
        seen[21..24].iter().all(Option::is_none),
        "{:?}",
        &seen[20..26]
    );
    for r in seen.iter().flatten() {
        assert_rate(r, LOAD, 1e-9);
    }
    assert!(seen[25].is_some());
}

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
            .unwrap()
            .is_empty()
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
    assert_eq!((tr.services.len(), tr.dests.len()), (2, 2));
    tr.observe(
        at(t0, 1.0),
        &snap(vec![service(80, s, vec![dest(3, s, 0, 0)])]),
    );
    assert_eq!((tr.services.len(), tr.dests.len()), (1, 1));
    assert!(
        tr.dest_history(&dest_key(80, 2), RateSource::Kernel)
            .is_none()
    );
    assert!(tr.service_rate(&svc_key(81), RateSource::Kernel).is_none());
    assert!(tr.dest_rate(&dest_key(80, 3), RateSource::Kernel).is_some());
    tr.observe(at(t0, 2.0), &snap(vec![]));
    assert_eq!((tr.services.len(), tr.dests.len()), (0, 0));
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
            window: KERNEL_WINDOW
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

/// Runs `seconds` of 1 s polls of one service + real server; `f` gives their counters, kernel rates, gauges.
fn stall_run(
    tr: &mut RateTracker,
    t0: Instant,
    range: std::ops::Range<u32>,
    daemons: &[SyncDaemon],
    f: impl Fn(f64) -> (Counters, [u64; 5], u32),
) -> Vec<bool> {
    range
        .map(|n| {
            let t = n as f64;
            let (c, k, conns) = f(t);
            let s = Snapshot {
                services: vec![service(
                    80,
                    stats(c, k),
                    vec![dest(2, stats(c, k), conns, 0)],
                )],
                daemons: daemons.to_vec(),
                ..Snapshot::default()
            };
            tr.observe(at(t0, t), &s);
            tr.estimator_stalled()
        })
        .collect()
}

#[test]
fn frozen_counters_with_frozen_rates_mean_a_stalled_estimator() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let running = |t: f64| {
        let s = kernel_style(t, 0.5, LOAD, true);
        (counters(&s), kernel_rates(&s), 10)
    };
    assert!(
        !stall_run(&mut tr, t0, 0..20, &[], running)
            .iter()
            .any(|s| *s)
    );
    // run_estimation=0 at 20 s: counters and rates stay as the last pass (18.5 s) left them.
    let frozen = stall_run(&mut tr, t0, 20..40, &[], |_| running(19.0));
    // Last change seen at 19 s; stalled once more than 3 periods (and the slack) have passed.
    assert_eq!(frozen.iter().position(|s| *s), Some(26 - 20), "{frozen:?}");
    assert!(
        stall_run(&mut tr, t0, 40..41, &[], running)
            .iter()
            .all(|s| !*s),
        "moving again"
    );
}

#[test]
fn quiet_traffic_with_idle_connections_is_not_a_stall() {
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    // Traffic stops at 10 s; the estimator keeps running, so its EWMA decays by a quarter per pass.
    let quiet = |t: f64| {
        let p = kernel_style(t, 0.5, [2.0; 5], false).conns as f64 / 2.0;
        let c = LOAD.map(|v| (v * p.min(10.0)).round() as u64);
        let passes_since = if t < 10.5 {
            0
        } else {
            1 + ((t - 10.5) / 2.0) as i32
        };
        let k = LOAD.map(|v| (v * 0.75f64.powi(passes_since)).round() as u64);
        // Connections arrived while traffic flowed (and were counted), then sit idle.
        (c, k, (t as u32).min(10))
    };
    assert!(
        !stall_run(&mut tr, t0, 0..120, &[], quiet)
            .iter()
            .any(|s| *s)
    );
}

#[test]
fn uncounted_new_connections_mean_a_stall_unless_a_backup_daemon_makes_them() {
    // Estimator stopped from the start: counters and rates stay 0 while connections arrive.
    let arriving = |t: f64| ([0; 5], [0; 5], t as u32);
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    let seen = stall_run(&mut tr, t0, 0..10, &[], arriving);
    assert_eq!(seen.iter().position(|s| *s), Some(7), "{seen:?}");
    let backup = SyncDaemon {
        state: SyncState::Backup,
        mcast_ifn: "eth0".into(),
        sync_id: 1,
        sync_maxlen: 0,
        mcast_group: None,
        mcast_port: 0,
        mcast_ttl: 0,
    };
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    assert!(
        !stall_run(&mut tr, t0, 0..20, &[backup], arriving)
            .iter()
            .any(|s| *s)
    );
    // Connections that only sit there are no evidence either.
    let (t0, mut tr) = (Instant::now(), RateTracker::default());
    assert!(
        !stall_run(&mut tr, t0, 0..20, &[], |_| ([0; 5], [0; 5], 10))
            .iter()
            .any(|s| *s)
    );
}

#[derive(Debug, Clone)]
enum Step {
    Add(Counters),
    Set(Counters),
}

fn step() -> impl Strategy<Value = (u64, Step, [u64; 5])> {
    let counters = prop::array::uniform5(prop_oneof![
        0..1000u64,
        any::<u64>(),
        (u64::MAX - 1000)..=u64::MAX
    ]);
    let op =
        prop_oneof![4 => counters.clone().prop_map(Step::Add), 1 => counters.prop_map(Step::Set)];
    (0..7000u64, op, prop::array::uniform5(any::<u64>()))
}

proptest! {
    #[test]
    fn rates_are_finite_and_never_negative(steps in prop::collection::vec(step(), 1..80)) {
        let (t0, mut tr) = (Instant::now(), RateTracker::new(16));
        let (mut t, mut c) = (Duration::ZERO, [0u64; 5]);
        for (gap_ms, op, k) in steps {
            t += Duration::from_millis(gap_ms);
            match op {
                Step::Add(d) => c = std::array::from_fn(|i| c[i].saturating_add(d[i])),
                Step::Set(v) => c = v,
            }
            let s = stats(c, k);
            tr.observe(t0 + t, &snap(vec![service(80, s, vec![dest(2, s, k[0] as u32, k[1] as u32)])]));
            for source in [RateSource::Own, RateSource::Kernel] {
                let rates = [tr.service_rate(&svc_key(80), source), tr.dest_rate(&dest_key(80, 2), source), tr.total_rate(source)];
                for r in rates.into_iter().flatten() {
                    for v in [r.conns_per_s, r.inpkts_per_s, r.outpkts_per_s, r.inbytes_per_s, r.outbytes_per_s] {
                        prop_assert!(v.is_finite() && v >= 0.0, "{r:?}");
                    }
                    prop_assert!(r.window > Duration::ZERO);
                }
                let h = tr.service_history(&svc_key(80), source).unwrap();
                prop_assert!(h.len() <= 16);
                prop_assert!(h.iter().all(|s| [s.conns_per_s, s.packets_per_s, s.bytes_per_s].iter().all(|v| v.is_finite() && *v >= 0.0)));
            }
        }
    }
}
