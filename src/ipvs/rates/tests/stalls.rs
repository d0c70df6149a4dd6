//! A stalled estimator told from quiet traffic, and rates that stay finite on any steps.

use super::*;

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
    #![proptest_config(crate::testing::proptest_config())]
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
                let Some(h) = tr.service_history(&svc_key(80), source) else { continue };
                prop_assert!(h.len() <= 16);
                prop_assert!(h.iter().all(|s| [s.conns_per_s, s.packets_per_s, s.bytes_per_s].iter().all(|v| v.is_finite() && *v >= 0.0)));
            }
        }
    }
}
