//! Kernel test: the console's incremental poll (`KernelBackend::poll`) against full snapshots and
//! `ipvsadm -Ln --stats --exact` on a real IPVS, with traffic and with changes made from outside.
//! tests/lab/poll.sh sets up 250 services and traffic in user-mode Linux, then runs this binary's
//! guest half inside the guest.
use crate::lab;

use ipvs_tui::ipvs::kernel::{KernelBackend, POLL_REFRESH};
use ipvs_tui::ipvs::model::{Dest, Protocol, Service, ServiceKey, Snapshot, Stats, Watched};
use std::net::IpAddr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn incremental_polls_equal_the_kernel_under_traffic_and_outside_changes() {
    let exe = std::env::current_exe().expect("the test binary's path");
    lab::Lab::new(&lab::script("poll.sh"))
        .env("POLL_TEST_EXE", &exe.display().to_string())
        .check("poll OK");
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: this half runs inside the lab (tests/lab/poll.sh)")
    })
}

fn ipvsadm(args: &str) -> String {
    let out = Command::new("ipvsadm")
        .args(args.split_whitespace())
        .output()
        .expect("ipvsadm runs");
    assert!(
        out.status.success(),
        "ipvsadm {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tcp(vip: &str, port: u16) -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: vip.parse().unwrap(),
        port,
    }
}

fn service<'a>(s: &'a Snapshot, key: &ServiceKey) -> &'a Service {
    s.services
        .iter()
        .find(|x| x.config.key == *key)
        .unwrap_or_else(|| panic!("{key} is not in the snapshot"))
}

fn dest<'a>(s: &'a Service, addr: &str) -> Option<&'a Dest> {
    let addr: IpAddr = addr.parse().unwrap();
    s.dests.iter().find(|d| d.config.addr == addr)
}

fn counters(s: &Stats) -> [u64; 5] {
    [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes]
}

/// `ipvsadm -Ln --stats --exact`: the counters of each service line and real server line, named
/// by their first two words (`TCP 203.0.113.100:8001`, `FWM 7`, `-> 10.10.0.11:80`).
fn ipvsadm_counters() -> Vec<(String, [u64; 5])> {
    ipvsadm("-Ln --stats --exact")
        .lines()
        .filter(|l| l.starts_with("TCP") || l.starts_with("FWM") || l.starts_with("  ->"))
        .filter(|l| !l.contains("RemoteAddress"))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let numbers = &words[words.len() - 5..];
            (
                words[..2].join(" "),
                std::array::from_fn(|i| numbers[i].parse().unwrap_or_else(|_| panic!("{l:?}"))),
            )
        })
        .collect()
}

/// The same lines from a snapshot.
fn snapshot_counters(s: &Snapshot) -> Vec<(String, [u64; 5])> {
    let mut lines = Vec::new();
    for svc in &s.services {
        let name = match svc.config.key {
            ServiceKey::Addr { addr, port, .. } => format!("TCP {addr}:{port}"),
            ServiceKey::Fwmark { mark, .. } => format!("FWM {mark}"),
        };
        lines.push((name, counters(&svc.stats)));
        for d in &svc.dests {
            let at = match d.config.addr {
                IpAddr::V4(a) => format!("{a}:{}", d.config.port),
                IpAddr::V6(a) => format!("[{a}]:{}", d.config.port),
            };
            lines.push((format!("-> {at}"), counters(&d.stats)));
        }
    }
    lines
}

/// The first service that differs between two snapshots, for the failure message.
fn first_difference(a: &Snapshot, b: &Snapshot) -> String {
    for (x, y) in a.services.iter().zip(&b.services) {
        if x != y {
            return format!("{}:\n  poll: {x:?}\n  full: {y:?}", x.config.key);
        }
    }
    format!(
        "services {} vs {}; info/timeouts/daemons {:?} vs {:?}",
        a.services.len(),
        b.services.len(),
        (&a.info, &a.timeouts, &a.daemons),
        (&b.info, &b.timeouts, &b.daemons)
    )
}

#[test]
#[ignore = "the guest half of incremental_polls_equal_the_kernel_under_traffic_and_outside_changes: run inside the lab by tests/lab/poll.sh"]
fn guest_half() {
    let (vip, rs1, rs2, dir) = (env("VIP"), env("RS1"), env("RS2"), env("POLL_GUEST_DIR"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The console's backend, and a second one whose full snapshots do not touch the first's memory.
    let polled = rt
        .block_on(KernelBackend::connect())
        .expect("IPVS over netlink");
    let full = rt
        .block_on(KernelBackend::connect())
        .expect("IPVS over netlink");
    let poll_watching = |watched: Watched| rt.block_on(polled.poll(watched)).expect("a poll");
    let poll = |focus: Option<ServiceKey>| poll_watching(Watched::focus(focus));
    let snapshot = || rt.block_on(full.snapshot()).expect("a full snapshot");
    let get = |key: &ServiceKey| rt.block_on(full.get_service(key)).expect("the service");
    let check = |what: &str, ok: bool| {
        assert!(ok, "FAIL: {what}");
        println!("poll: {what}: ok");
    };
    // The first polls of a table this size bring the real servers in steps (`FILL_BUDGET`).
    let start = Instant::now();
    let mut polls = 0;
    loop {
        let p = poll(None);
        polls += 1;
        if polls >= 2 && p.unread == 0 && p.unlisted == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "FAIL: {} services unread, {} unlisted after {polls} polls",
            p.unread,
            p.unlisted
        );
    }
    check(
        &format!(
            "{} services, every real server read after {polls} polls",
            snapshot().services.len()
        ),
        true,
    );

    // Traffic on 8001-8003: every poll's real-server counters lie between a full snapshot before
    // and one after it.
    for _ in 0..5 {
        let before = snapshot();
        let now = poll(None);
        let after = snapshot();
        for port in 8001..=8003 {
            let key = tcp(&vip, port);
            for d in &service(&now, &key).dests {
                let at = |s: &Snapshot| {
                    counters(
                        &dest(service(s, &key), &d.config.addr.to_string())
                            .unwrap()
                            .stats,
                    )
                };
                let (b, n, a) = (at(&before), counters(&d.stats), at(&after));
                assert!(
                    (0..5).all(|i| b[i] <= n[i] && n[i] <= a[i]),
                    "FAIL: {key} {}: polled {n:?} not between {b:?} and {a:?}",
                    d.config.addr
                );
            }
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    check(
        "under traffic, real servers' counters are as fresh as a full snapshot's",
        true,
    );

    // Changes from outside that /proc/net/ip_vs shows: in the very next poll.
    ipvsadm(&format!("-e -t {vip}:8010 -r {rs1}:80 -m -w 7"));
    let p = poll(None);
    check(
        "a weight set with ipvsadm -e",
        dest(service(&p, &tcp(&vip, 8010)), &rs1)
            .unwrap()
            .config
            .weight
            == 7,
    );
    check(
        "... and the service equals a fresh read of it",
        *service(&p, &tcp(&vip, 8010)) == get(&tcp(&vip, 8010)),
    );
    ipvsadm(&format!(
        "-a -t {vip}:8011 -r 10.10.0.13:80 -m -w 3 -x 40 -y 20"
    ));
    let p = poll(None);
    check(
        "a real server added with thresholds",
        *service(&p, &tcp(&vip, 8011)) == get(&tcp(&vip, 8011)),
    );
    ipvsadm(&format!("-d -t {vip}:8012 -r {rs2}:80"));
    let p = poll(None);
    check(
        "a real server removed",
        dest(service(&p, &tcp(&vip, 8012)), &rs2).is_none()
            && service(&p, &tcp(&vip, 8012)).dests.len() == 1,
    );
    ipvsadm(&format!("-A -t {vip}:8099 -s wrr"));
    ipvsadm(&format!("-a -t {vip}:8099 -r {rs1}:80 -m -w 2 -x 9"));
    let p = poll(None);
    check(
        "a new service with its real server",
        *service(&p, &tcp(&vip, 8099)) == get(&tcp(&vip, 8099)),
    );

    // Thresholds alone are not in /proc: the service on screen at once, any other within the bound.
    ipvsadm(&format!(
        "-e -t {vip}:8014 -r {rs1}:80 -m -w 1 -x 100 -y 50"
    ));
    let p = poll(Some(tcp(&vip, 8014)));
    check(
        "thresholds of the focused service, at once",
        *service(&p, &tcp(&vip, 8014)) == get(&tcp(&vip, 8014)),
    );
    // A drain waits on persistent connections, which only a dump shows: a service with a real
    // server being drained is read at every poll, focused or not. The weight (in /proc) first,
    // then thresholds alone, which nothing else would bring before the refresh.
    ipvsadm(&format!("-e -t {vip}:8016 -r {rs1}:80 -m -w 0"));
    let draining = Watched {
        focus: None,
        draining: vec![tcp(&vip, 8016)],
    };
    poll_watching(draining.clone());
    ipvsadm(&format!("-e -t {vip}:8016 -r {rs1}:80 -m -w 0 -x 80 -y 40"));
    let p = poll_watching(draining);
    check(
        "thresholds of a service being drained, at once",
        *service(&p, &tcp(&vip, 8016)) == get(&tcp(&vip, 8016)),
    );
    ipvsadm(&format!(
        "-e -t {vip}:8015 -r {rs1}:80 -m -w 1 -x 100 -y 50"
    ));
    let changed = Instant::now();
    let seen = loop {
        let p = poll(None);
        let d = dest(service(&p, &tcp(&vip, 8015)), &rs1).unwrap();
        if (d.config.u_threshold, d.config.l_threshold) == (100, 50) {
            break changed.elapsed();
        }
        assert!(
            changed.elapsed() < POLL_REFRESH + Duration::from_secs(2),
            "FAIL: thresholds of {vip}:8015 not seen {:?} after the change",
            changed.elapsed()
        );
        std::thread::sleep(Duration::from_secs(1));
    };
    check(
        &format!(
            "thresholds of another service, seen after {:.1} s (bound {:?})",
            seen.as_secs_f64(),
            POLL_REFRESH
        ),
        true,
    );

    // Traffic stopped: counters equal ipvsadm's, and a poll equals a full snapshot, every field.
    std::fs::write(Path::new(&dir).join("stop"), "").unwrap();
    let stopped = Path::new(&dir).join("stopped");
    let start = Instant::now();
    while !stopped.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "FAIL: the traffic loop did not stop"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A stopped client's last packets (a FIN retransmitted on a loaded machine) may still arrive:
    // read ipvsadm between two polls until those two agree; counters only grow, so ipvsadm's
    // read between them must then equal them.
    let quiet = (1..=20).find_map(|second| {
        std::thread::sleep(Duration::from_secs(1));
        let p = poll(None);
        let theirs = ipvsadm_counters();
        (snapshot_counters(&p) == snapshot_counters(&poll(None))).then_some((second, p, theirs))
    });
    let (second, p, mut theirs) =
        quiet.expect("FAIL: the counters kept moving 20 s after the traffic stopped");
    println!(
        "poll: the counters held still between two polls around ipvsadm, {second} s after the traffic"
    );
    let mut mine = snapshot_counters(&p);
    mine.sort();
    theirs.sort();
    assert_eq!(
        mine, theirs,
        "FAIL: counters of the poll vs ipvsadm -Ln --stats --exact"
    );
    check(
        &format!(
            "counters of {} lines equal ipvsadm -Ln --stats --exact",
            mine.len()
        ),
        mine.iter().any(|(_, c)| c[0] > 0),
    );
    // Rates still decay: the estimator may tick between the two reads, so a few tries.
    let mut last = String::new();
    let equal = (0..10).any(|_| {
        let (p, f) = (poll(None), snapshot());
        last = first_difference(&p, &f);
        std::thread::sleep(Duration::from_millis(300));
        p == f
    });
    assert!(equal, "FAIL: a poll differs from a full snapshot: {last}");
    check("a poll equals a full snapshot in every field", true);
}
