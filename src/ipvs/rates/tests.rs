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
        dests: dests.into(),
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
    // second, the rate reads 0.25/s throughout, not 0 and 0.5 in turn, over the kernel's 8 s
    // once two changes are that far back (too few connections for less).
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
        assert_eq!(r.window, KERNEL_WINDOW, "at {n} s");
        assert_rate(&r, [0.25, 2.5, 2.5, 250.0, 250.0], 1e-9);
    }
    // Traffic stops after the change seen at 37 s: still 0.25 at 45 s (8 s of quiet says nothing
    // the rate over 8 s did not already count), zero once the quiet outlasts that and the slack.
    let last = conns_at(39.0);
    let still = snap(vec![service(
        80,
        stats(
            [last, 10 * last, 10 * last, 1000 * last, 1000 * last],
            [0; 5],
        ),
        vec![],
    )]);
    for t in 40..=45 {
        tr.observe(at(t0, t as f64), &still);
    }
    assert_rate(&own(&tr).unwrap(), [0.25, 2.5, 2.5, 250.0, 250.0], 1e-9);
    tr.observe(at(t0, 46.0), &still);
    assert_eq!(own(&tr), Some(Rate::over(&[0; 5], Duration::from_secs(9))));
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

mod objects;
mod sparse;
mod stalls;
