//! Synthetic traffic: determinism, weights, estimator ticks and EWMA rates, zeroing, entry
//! lifetimes, persistence and sticky schedulers, thresholds, the entry cap, scale.

use super::SimBackend;
use super::stats::{StatsRt, TICK_US};
use super::traffic::volume;
use crate::ipvs::args::parse_args;
use crate::ipvs::model::*;
use futures::executor::block_on;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

fn snap(b: &SimBackend) -> Snapshot {
    block_on(b.snapshot()).unwrap()
}

fn run(b: &SimBackend, line: &str) {
    let op = parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap();
    block_on(b.apply(&op)).unwrap_or_else(|e| panic!("{line}: {e}"));
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// The service whose ipvsadm form is `key` (`-t 192.0.2.10:80`).
fn service<'a>(s: &'a Snapshot, key: &str) -> &'a Service {
    s.services
        .iter()
        .find(|x| x.config.key.to_string() == key)
        .unwrap_or_else(|| panic!("no service {key}"))
}

fn dest<'a>(s: &'a Service, addr: &str) -> &'a Dest {
    s.dests
        .iter()
        .find(|d| d.config.addr.to_string() == addr)
        .unwrap_or_else(|| panic!("no real server {addr}"))
}

/// A scenario of one service.
fn one(service: &str, servers: &[&str], traffic: &str) -> SimBackend {
    let servers: Vec<String> = servers.iter().map(|s| format!("\"{s}\"")).collect();
    let text = format!(
        "[[service]]\nservice = \"{service}\"\nreal_servers = [{}]\ntraffic = {{ {traffic} }}\n",
        servers.join(", ")
    );
    SimBackend::from_scenario(&text, 5).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn replay(seed: u64) -> Vec<(Snapshot, String)> {
    let b = SimBackend::demo(seed);
    let mut out = Vec::new();
    for step in 0..24 {
        b.advance(Duration::from_millis(700));
        match step {
            5 => run(&b, "-e -t 192.0.2.10:80 -r 10.0.0.12:80 -m -w 5"),
            9 => run(&b, "-Z"),
            12 => run(&b, "-d -t 192.0.2.20:81 -r 10.0.0.21:81"),
            15 => run(&b, "-a -t 192.0.2.20:81 -r 10.0.0.21:81 -g -w 1"),
            _ => {}
        }
        out.push((snap(&b), b.conn_table()));
    }
    out
}

#[test]
fn same_seed_and_calls_give_identical_snapshots_and_tables() {
    let a = replay(42);
    assert_eq!(a, replay(42));
    assert_ne!(a, replay(43), "the seed matters");
    assert!(a.last().unwrap().1.lines().count() > 100, "traffic flowed");
}

#[test]
fn splitting_time_differently_gives_the_same_state() {
    let (a, b) = (SimBackend::demo(9), SimBackend::demo(9));
    a.advance(secs(13));
    for _ in 0..130 {
        b.advance(Duration::from_millis(100));
    }
    assert_eq!(snap(&a), snap(&b));
    assert_eq!(a.conn_table(), b.conn_table());
    assert_eq!(a.elapsed(), secs(13));
}

#[test]
fn weight_zero_gets_no_new_connections_while_the_others_do() {
    let b = SimBackend::demo(3);
    b.advance(secs(30));
    let s = snap(&b);
    let dr = service(&s, "-t 192.0.2.20:81");
    let quiet = dest(dr, "10.0.0.23");
    assert_eq!(
        (
            quiet.config.weight,
            quiet.stats.conns,
            quiet.active_conns,
            quiet.inact_conns
        ),
        (0, 0, 0, 0)
    );
    assert!(dest(dr, "10.0.0.21").stats.conns > 0 && dest(dr, "10.0.0.22").stats.conns > 0);

    // Quiesce a busy one: after the estimator has published what came before, it stays put.
    run(&b, "-e -t 192.0.2.20:81 -r 10.0.0.22:81 -g -w 0");
    b.advance(secs(2));
    let before = snap(&b);
    b.advance(secs(30));
    let after = snap(&b);
    let conns = |s: &Snapshot, a: &str| dest(service(s, "-t 192.0.2.20:81"), a).stats.conns;
    assert_eq!(conns(&after, "10.0.0.22"), conns(&before, "10.0.0.22"));
    assert!(conns(&after, "10.0.0.21") > conns(&before, "10.0.0.21"));
    assert_eq!(
        dest(service(&after, "-t 192.0.2.20:81"), "10.0.0.22").active_conns,
        0,
        "its connections ended"
    );
}

#[test]
fn counters_and_rates_change_only_on_two_second_ticks_but_gauges_live() {
    let b = SimBackend::demo(11);
    let values = |s: &Snapshot| -> Vec<Stats> {
        s.services
            .iter()
            .flat_map(|x| std::iter::once(x.stats).chain(x.dests.iter().map(|d| d.stats)))
            .collect()
    };
    let gauges = |s: &Snapshot| -> Vec<u32> {
        s.services
            .iter()
            .flat_map(|x| x.dests.iter().map(|d| d.active_conns))
            .collect()
    };
    let mut prev = snap(&b);
    let (mut counter_changes, mut gauge_changes_between_ticks) = (0, 0);
    for step in 1..=100u64 {
        b.advance(Duration::from_millis(100));
        let now = snap(&b);
        let on_tick = (step * 100_000) % TICK_US == 0;
        if values(&now) != values(&prev) {
            assert!(
                on_tick,
                "counters changed at {} ms, not on an estimator tick",
                step * 100
            );
            counter_changes += 1;
        }
        if !on_tick && gauges(&now) != gauges(&prev) {
            gauge_changes_between_ticks += 1;
        }
        prev = now;
    }
    assert_eq!(counter_changes, 5, "every tick publishes new counters");
    assert!(
        gauge_changes_between_ticks > 20,
        "connection gauges are read live, as from the kernel's atomics"
    );
}

#[test]
fn estimator_follows_the_kernels_fixed_point_ewma() {
    let mut s = StatsRt::new(0);
    let mut ewma: i64 = 0;
    for k in 1..=12u64 {
        for _ in 0..100 {
            s.count_conn();
        }
        s.estimate(k * TICK_US);
        ewma += ((100i64 << 9) - ewma) >> 2;
        let read = s.read();
        assert_eq!(read.cps, (ewma as u64 + 0x1FF) >> 10, "tick {k}");
        assert_eq!(read.conns, 100 * k);
        // 50 conn/s offered: 25 %, 44 %, 58 % ... of it after 1, 2, 3 periods.
        let ideal = 50.0 * (1.0 - 0.75f64.powi(k as i32));
        assert!(
            (read.cps as f64 - ideal).abs() <= 1.0,
            "tick {k}: {} vs {ideal}",
            read.cps
        );
    }
    s.zero();
    assert_eq!(s.read(), Stats::default());
    s.estimate(13 * TICK_US);
    assert_eq!(s.read(), Stats::default(), "nothing new after the zero");
}

#[test]
fn rates_converge_to_the_offered_load_and_dr_counts_no_replies() {
    let nat = one(
        "-t 192.0.2.10:80 -s wlc",
        &["-r 10.0.0.11:80 -m", "-r 10.0.0.12:80 -m"],
        "conns_per_sec = 50, bytes_in = 1000, bytes_out = 20000, duration = 0.5",
    );
    let dr = one(
        "-t 192.0.2.20:81 -s rr",
        &["-r 10.0.0.21 -g"],
        "conns_per_sec = 20, bytes_in = 1000, bytes_out = 20000, duration = 0.5",
    );
    nat.advance(secs(90));
    dr.advance(secs(90));
    let v = volume(Protocol::Tcp, Family::Inet, 1000, 20000);
    let near = |got: u64, want: f64, what: &str| {
        assert!(
            (got as f64 - want).abs() <= want * 0.1,
            "{what}: {got} is not within 10 % of {want}"
        );
    };
    let s = snap(&nat).services[0].stats;
    near(s.cps, 50.0, "cps");
    near(s.inpps, 50.0 * v[0] as f64, "inpps");
    near(s.outpps, 50.0 * v[1] as f64, "outpps");
    near(s.inbps, 50.0 * v[2] as f64, "inbps");
    near(s.outbps, 50.0 * v[3] as f64, "outbps");
    let s = snap(&dr).services[0].stats;
    near(s.cps, 20.0, "DR cps");
    near(s.inbps, 20.0 * v[2] as f64, "DR inbps");
    assert_eq!(
        (s.outpkts, s.outbytes, s.outpps, s.outbps),
        (0, 0, 0, 0),
        "replies bypass the director"
    );
}

#[test]
fn zero_resets_counters_and_rates_of_one_service_or_all() {
    let b = SimBackend::demo(4);
    b.advance(secs(20));
    run(&b, "-Z -t 192.0.2.10:80");
    let s = snap(&b);
    let web = service(&s, "-t 192.0.2.10:80");
    assert_eq!(web.stats, Stats::default());
    assert!(web.dests.iter().all(|d| d.stats == Stats::default()));
    assert!(
        web.dests.iter().any(|d| d.active_conns + d.inact_conns > 0),
        "entries are not counters"
    );
    assert!(
        service(&s, "-t 192.0.2.30:443").stats.conns > 0,
        "other services keep theirs"
    );
    run(&b, "-Z");
    assert!(
        snap(&b)
            .services
            .iter()
            .all(|x| x.stats == Stats::default())
    );
    b.advance(secs(2));
    let web = service(&snap(&b), "-t 192.0.2.10:80").stats;
    assert!(
        web.conns > 0 && web.conns < 300,
        "counting restarts from 0: {}",
        web.conns
    );
    assert!(
        web.cps > 0 && web.cps <= 25,
        "the rate ramps up again: {}",
        web.cps
    );
}

#[test]
fn entries_carry_traffic_then_linger_per_protocol_and_method_then_expire() {
    let nat = one(
        "-t 192.0.2.10:80",
        &["-r 10.0.0.11:80 -m"],
        "conns_per_sec = 10, bytes_in = 500, bytes_out = 5000, duration = 1",
    );
    nat.advance(secs(10));
    let d = snap(&nat).services[0].dests[0].clone();
    assert!(d.active_conns > 0 && d.inact_conns > 0, "{d:?}");
    assert!(nat.conn_table().contains(" TIME_WAIT "));
    run(&nat, "-e -t 192.0.2.10:80 -r 10.0.0.11:80 -m -w 0");
    nat.advance(secs(60));
    let d = snap(&nat).services[0].dests[0].clone();
    assert_eq!(d.active_conns, 0);
    assert!(
        d.inact_conns > 0,
        "NAT connections wait in TIME_WAIT for 120 s"
    );
    nat.advance(secs(80));
    assert_eq!(nat.conn_entries(), 0);
    assert_eq!(nat.conn_table(), super::conn::HEADER);

    // DR: FIN_WAIT for the tcpfin timeout; UDP: the udp timeout. Both set short here.
    let dr = one(
        "-t 192.0.2.20:81",
        &["-r 10.0.0.21 -g"],
        "conns_per_sec = 10, bytes_in = 500, bytes_out = 5000, duration = 1",
    );
    let udp = one(
        "-u 192.0.2.53:53",
        &["-r 10.0.0.53 -m"],
        "conns_per_sec = 10, bytes_in = 40, bytes_out = 100, duration = 0.01",
    );
    for (x, quiesce, lingering) in [
        (
            &dr,
            "-e -t 192.0.2.20:81 -r 10.0.0.21:81 -g -w 0",
            " FIN_WAIT ",
        ),
        (&udp, "-e -u 192.0.2.53:53 -r 10.0.0.53:53 -m -w 0", " UDP "),
    ] {
        run(x, "--set 900 20 30");
        x.advance(secs(10));
        let table = x.conn_table();
        assert!(
            table.contains(lingering) && !table.contains(" TIME_WAIT "),
            "{table}"
        );
        run(x, quiesce);
        x.advance(secs(15));
        assert!(x.conn_entries() > 0);
        x.advance(secs(30));
        assert_eq!(x.conn_entries(), 0, "{}", x.conn_table());
    }
}

#[test]
fn scale_builds_ten_thousand_services_and_runs() {
    let b = SimBackend::scale(10_000, 3, 1);
    b.advance(secs(20));
    let s = snap(&b);
    assert_eq!(s.services.len(), 10_000);
    assert!(s.services.iter().all(|x| x.dests.len() == 3));
    let total: u64 = s.services.iter().map(|x| x.stats.conns).sum();
    // 10,000 services at 0.01 to 0.1 conn/s each: about 550/s.
    assert!((8_000..14_000).contains(&total), "{total}");
    assert!(b.conn_entries() > 0 && b.conn_entries() <= super::engine::DEFAULT_MAX_CONNS);
    assert_eq!(
        s.services[9_999].config.key.to_string(),
        "-t 192.0.2.94:1063"
    );
}

#[test]
fn wall_clock_mode_follows_real_time() {
    let b = SimBackend::demo(1).with_wall_clock();
    std::thread::sleep(Duration::from_millis(30));
    snap(&b);
    let t = b.elapsed();
    assert!(t >= Duration::from_millis(30) && t < secs(10), "{t:?}");
}

mod sched;
