//! Which services a poll dumps again, on crafted service dumps and /proc/net/ip_vs texts.

use super::plan::{Cache, ProcRows, REFRESH, REFRESH_PER_POLL};
use crate::ipvs::model::{
    Dest, DestConfig, Family, Forward, Protocol, Service, ServiceConfig, ServiceKey, Snapshot,
    Stats, Watched,
};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

fn key(i: u32) -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: IpAddr::V4(Ipv4Addr::from(0xC000_0200 + i)),
        port: 80,
    }
}

fn dest(last: u8, weight: u32, active: u32) -> Dest {
    let config = DestConfig {
        forward: Forward::Masq,
        weight,
        ..DestConfig::new(IpAddr::V4(Ipv4Addr::new(10, 0, 0, last)), 80)
    };
    Dest {
        config,
        active_conns: active,
        inact_conns: 0,
        persist_conns: 0,
        stats: Stats::default(),
    }
}

fn service(key: ServiceKey, dests: Vec<Dest>) -> Service {
    Service {
        config: ServiceConfig::new(key),
        stats: Stats::default(),
        dests: dests.into(),
    }
}

/// Services 0..n, each with two real servers.
fn table(n: u32) -> Vec<Service> {
    (0..n)
        .map(|i| service(key(i), vec![dest(1, 1, 0), dest(2, 1, 0)]))
        .collect()
}

/// /proc/net/ip_vs as the kernel prints it.
fn proc_text(services: &[Service]) -> String {
    let mut text = String::from(
        "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n",
    );
    let hex = |a: &IpAddr, port: u16| match a {
        IpAddr::V4(v4) => format!("{:08X}:{port:04X}", u32::from(*v4)),
        IpAddr::V6(_) => unreachable!("IPv4 only here"),
    };
    for s in services {
        match s.config.key {
            ServiceKey::Addr { addr, port, .. } => {
                text.push_str(&format!("TCP  {} wlc \n", hex(&addr, port)))
            }
            ServiceKey::Fwmark { mark, .. } => text.push_str(&format!("FWM  {mark:08X} wlc \n")),
        }
        for d in &s.dests {
            let c = &d.config;
            text.push_str(&format!(
                "  -> {}      {:<7} {:<6} {:<10} {:<10}\n",
                hex(&c.addr, c.port),
                c.forward.name(),
                c.weight,
                d.active_conns,
                d.inact_conns
            ));
        }
    }
    text
}

/// The rows of a whole file; None when it cannot be trusted.
fn proc_rows(input: impl std::io::BufRead) -> Option<ProcRows> {
    let mut rows = ProcRows::default();
    rows.read_again(input).then_some(rows)
}

fn rows(services: &[Service]) -> ProcRows {
    proc_rows(proc_text(services).as_bytes()).expect("the crafted text parses")
}

fn snapshot(services: &[Service]) -> Snapshot {
    Snapshot {
        services: services.to_vec(),
        ..Snapshot::default()
    }
}

/// A cache that dumped all of `services` at `at`.
fn cache_of(services: &[Service], at: Instant) -> Cache {
    let mut cache = Cache::default();
    cache.record(&snapshot(services), &vec![true; services.len()], at);
    cache
}

fn dumped(plan: &[bool]) -> Vec<usize> {
    plan.iter()
        .enumerate()
        .filter(|(_, d)| **d)
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn an_idle_table_right_after_a_dump_needs_nothing() {
    let t0 = Instant::now();
    let now = table(5);
    assert_eq!(
        dumped(&cache_of(&now, t0).plan(&now, &rows(&now), &Watched::default(), t0)),
        Vec::<usize>::new()
    );
}

#[test]
fn moved_counters_and_rates_are_dumped_again() {
    let t0 = Instant::now();
    let before = table(6);
    let cache = cache_of(&before, t0);
    let mut now = before.clone();
    now[1].stats.inpkts = 1;
    now[2].stats.conns = 1;
    now[3].stats.outbps = 7; // counters as before, a rate not at zero
    let plan = cache.plan(&now, &rows(&now), &Watched::default(), t0);
    assert_eq!(dumped(&plan), [1, 2, 3]);
    // Rates as before but not zero: still dumped (the real servers' rates decay on their own).
    let mut warm = before.clone();
    warm[4].stats.cps = 2;
    let cache = cache_of(&warm, t0);
    assert_eq!(
        dumped(&cache.plan(&warm, &rows(&warm), &Watched::default(), t0)),
        [4]
    );
    // The service's rates at zero, a real server's not yet at the last dump.
    let mut server_warm = before.clone();
    server_warm[5].dests[0].stats.inpps = 1;
    let cache = cache_of(&server_warm, t0);
    assert_eq!(
        dumped(&cache.plan(&before, &rows(&before), &Watched::default(), t0)),
        [5]
    );
}

#[test]
fn what_proc_shows_moving_is_dumped_again() {
    let t0 = Instant::now();
    let before = table(7);
    let cache = cache_of(&before, t0);
    let mut now = before.clone();
    now[0].dests[1].config.weight = 5;
    now[1].dests[0].active_conns = 3;
    now[2].dests[0].inact_conns = 1;
    now[3].dests.push(dest(3, 1, 0));
    now[4].dests.remove(0);
    now[5].dests[1].config.forward = Forward::Route;
    // A threshold is not in /proc: it waits for the refresh.
    now[6].dests[0].config.u_threshold = 100;
    assert_eq!(
        dumped(&cache.plan(&now, &rows(&now), &Watched::default(), t0)),
        [0, 1, 2, 3, 4, 5]
    );
}

#[test]
fn unknown_services_the_watched_ones_and_services_missing_from_proc_are_dumped() {
    let t0 = Instant::now();
    let before = table(4);
    let cache = cache_of(&before, t0);
    let mut now = before.clone();
    now.push(service(key(9), vec![dest(1, 1, 0)]));
    // Service 2 was deleted and another added between the service dump and the /proc read.
    let mut in_proc = now.clone();
    in_proc.remove(2);
    let watched = Watched {
        focus: Some(key(0)),
        draining: vec![key(1)],
    };
    assert_eq!(
        dumped(&cache.plan(&now, &rows(&in_proc), &watched, t0)),
        [0, 1, 2, 4]
    );
}

#[test]
fn a_mark_of_both_families_is_always_dumped_one_family_is_matched() {
    let t0 = Instant::now();
    let mark = |family| ServiceKey::Fwmark { mark: 7, family };
    let one = vec![
        service(mark(Family::Inet6), vec![dest(1, 1, 0)]),
        service(key(1), vec![]),
    ];
    // /proc guesses IPv4 for an IPv4 real server: the mark alone matches.
    assert_eq!(
        dumped(&cache_of(&one, t0).plan(&one, &rows(&one), &Watched::default(), t0)),
        Vec::<usize>::new()
    );
    let both = vec![
        service(mark(Family::Inet), vec![dest(1, 1, 0)]),
        service(mark(Family::Inet6), vec![]),
        service(key(1), vec![]),
    ];
    assert_eq!(
        dumped(&cache_of(&both, t0).plan(&both, &rows(&both), &Watched::default(), t0)),
        [0, 1]
    );
}

#[test]
fn an_unreadable_line_means_no_rows_at_all() {
    let text = proc_text(&table(2));
    assert!(proc_rows(text.as_bytes()).is_some());
    assert!(
        proc_rows(
            format!("{text}  -> 0A000001:0050      Bounce  1      0          0\n").as_bytes()
        )
        .is_none()
    );
    assert!(proc_rows(format!("{text}ICMP  0A000001:0050 rr \n").as_bytes()).is_none());
    assert!(proc_rows(&b""[..]).is_none());
}

#[test]
fn rows_read_again_over_a_larger_file_hold_only_the_new_one() {
    let mut rows = rows(&table(40));
    assert!(rows.read_again(proc_text(&table(3)).as_bytes()));
    assert_eq!(
        Some(&rows),
        proc_rows(proc_text(&table(3)).as_bytes()).as_ref()
    );
    let broken = format!("{}ICMP  0A000001:0050 rr \n", proc_text(&table(5)));
    assert!(!rows.read_again(broken.as_bytes()));
    assert_eq!(
        rows,
        ProcRows::default(),
        "nothing of a file not trusted, nor of the last"
    );
}

#[test]
fn the_file_read_a_few_bytes_at_a_time_gives_the_same_rows() {
    let text = proc_text(&table(40));
    let whole = proc_rows(text.as_bytes()).unwrap();
    let pieces = proc_rows(std::io::BufReader::with_capacity(7, text.as_bytes())).unwrap();
    assert_eq!(pieces, whole);
    assert_eq!(whole.of(&key(39)).map(<[_]>::len), Some(2));
}

#[test]
fn idle_services_are_refreshed_a_few_each_poll_all_within_the_bound() {
    let n = 120; // a multiple of the polls in the bound: the same count each poll
    assert_eq!(n % REFRESH.as_secs() as u32, 0);
    let services = table(n);
    let proc = rows(&services);
    let t0 = Instant::now();
    let mut cache = cache_of(&services, t0);
    let mut refreshed = vec![0; n as usize];
    let poll = Duration::from_secs(1);
    let polls = REFRESH.as_secs() as u32;
    for p in 1..=polls {
        let now = t0 + poll * p;
        let plan = cache.plan(&services, &proc, &Watched::default(), now);
        assert_eq!(
            dumped(&plan).len(),
            (n / polls) as usize,
            "poll {p}: the work spreads evenly"
        );
        for i in dumped(&plan) {
            refreshed[i] += 1;
        }
        cache.record(&snapshot(&services), &plan, now);
    }
    assert!(
        refreshed.iter().all(|r| *r == 1),
        "each service once in {REFRESH:?}: {refreshed:?}"
    );
    // After a long pause (a stopped process), everything older than the bound, as many at once
    // as a poll takes.
    let late = t0 + poll * polls + REFRESH * 2;
    assert_eq!(
        dumped(&cache.plan(&services, &proc, &Watched::default(), late)).len(),
        REFRESH_PER_POLL
    );
    // Polls in quick succession (a change, then at once another poll): no quota, but those that
    // have waited the whole bound still go.
    let mut cache = cache_of(&services, t0);
    cache.record(&snapshot(&services), &vec![false; n as usize], t0 + REFRESH);
    assert_eq!(
        dumped(&cache.plan(&services, &proc, &Watched::default(), t0 + REFRESH)).len(),
        REFRESH_PER_POLL
    );
    cache.record(
        &snapshot(&services),
        &vec![false; n as usize],
        t0 + REFRESH / 2,
    );
    assert_eq!(
        dumped(&cache.plan(&services, &proc, &Watched::default(), t0 + REFRESH / 2)),
        Vec::<usize>::new()
    );
}

#[test]
fn record_keeps_what_was_not_dumped_and_forgets_deleted_services() {
    let t0 = Instant::now();
    let before = table(3);
    let mut cache = cache_of(&before, t0);
    // Held, not copied: the cache and the snapshots it came from share each list.
    assert!(std::ptr::eq(
        cache.dests(&key(0)).unwrap().as_ptr(),
        before[0].dests.as_ptr()
    ));
    let mut now = before.clone();
    now[0].dests[0].stats.conns = 4;
    now.remove(2);
    cache.record(&snapshot(&now), &[false, true], t0 + Duration::from_secs(1));
    assert_eq!(
        cache.dests(&key(0)),
        Some(&before[0].dests),
        "not dumped: the old real servers"
    );
    assert_eq!(cache.dests(&key(1)), Some(&now[1].dests));
    assert_eq!(cache.dests(&key(2)), None);
    cache.clear();
    assert_eq!(cache.dests(&key(0)), None);
}

#[test]
fn services_left_unread_stay_unknown_and_proc_gives_their_lines() {
    let t0 = Instant::now();
    let now = table(4);
    let mut cache = Cache::default();
    // Services 1 and 3 were out of the poll's time: neither dumped now nor known before.
    cache.record(&snapshot(&now), &[true, false, true, false], t0);
    assert!(cache.knows(&key(0)) && !cache.knows(&key(1)) && !cache.knows(&key(3)));
    assert_eq!(
        dumped(&cache.plan(&now, &rows(&now), &Watched::default(), t0)),
        [1, 3],
        "the next poll goes on with them"
    );
    let lines = rows(&now);
    let line = &lines.of(&key(3)).unwrap()[1];
    assert_eq!(
        (line.addr, line.weight, line.forward),
        (now[3].dests[1].config.addr, 1, Forward::Masq)
    );
}
