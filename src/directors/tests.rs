//! Alarms, sync health and compare on tables built from ipvsadm lines.

use super::Seen;
use super::alarms::{Alarm, alarms};
use super::compare::compare;
use super::sync::{health, percent};
use crate::host::{Addr, HostState, Link};
use crate::ipvs::args::parse_args;
use crate::ipvs::model::Snapshot;
use crate::ipvs::sim::SimBackend;
use crate::owners::keepalived::{VrrpInstance, VrrpState};
use futures::FutureExt;

/// A table made by these ipvsadm command lines, each real server holding `conns` connections.
fn table(lines: &[&str], conns: u32) -> Snapshot {
    let sim = SimBackend::new(1);
    for line in lines {
        let op = parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap();
        sim.apply(&op).now_or_never().unwrap().unwrap();
    }
    let mut t = sim.snapshot().now_or_never().unwrap().unwrap();
    for d in t.services.iter_mut().flat_map(|s| &mut s.dests) {
        d.active_conns = conns;
    }
    t
}

const PAIR: &[&str] = &[
    "-A -t 192.0.2.10:80 -s rr",
    "-a -t 192.0.2.10:80 -r 10.0.0.2:80 -m -w 1",
    "-a -t 192.0.2.10:80 -r 10.0.0.3:80 -m -w 1",
];

fn host(addrs: &[&str]) -> HostState {
    HostState {
        links: vec![Link {
            index: 2,
            name: "eth0".into(),
            up: true,
            kind: None,
            addrs: addrs
                .iter()
                .map(|a| Addr {
                    addr: a.parse().unwrap(),
                    prefix: 32,
                    label: None,
                })
                .collect(),
        }],
        ..HostState::default()
    }
}

fn instance(name: &str, state: VrrpState) -> VrrpInstance {
    VrrpInstance {
        name: name.into(),
        state,
        want_state: None,
        interface: None,
        vrid: Some(51),
        priority: None,
        effective_priority: None,
        master_router: None,
        master_priority: None,
        last_transition: None,
        addresses: vec![],
    }
}

fn seen<'a>(
    name: &'a str,
    table: &'a Snapshot,
    host: &'a HostState,
    vrrp: &'a [VrrpInstance],
) -> Seen<'a> {
    Seen {
        name,
        table: Some(table),
        host: Some(host),
        vrrp,
    }
}

#[test]
fn a_healthy_pair_raises_no_alarm() {
    let mut master = table(PAIR, 5);
    master.daemons = table(
        &["--start-daemon master --mcast-interface eth0 --syncid 1"],
        0,
    )
    .daemons;
    let mut backup = table(PAIR, 4);
    backup.daemons = table(
        &["--start-daemon backup --mcast-interface eth0 --syncid 1"],
        0,
    )
    .daemons;
    let (h1, h2) = (
        host(&["192.0.2.10", "198.51.100.2"]),
        host(&["198.51.100.2"]),
    );
    let v1 = [instance("VI_1", VrrpState::Master)];
    let v2 = [instance("VI_1", VrrpState::Backup)];
    let all = [
        seen("lb1", &master, &h1, &v1),
        seen("lb2", &backup, &h2, &v2),
    ];
    assert_eq!(alarms(&all), vec![]);
    let pairs = health(&all);
    assert_eq!(pairs.len(), 1);
    assert_eq!((pairs[0].master_total, pairs[0].backup_total), (10, 8));
    assert_eq!(pairs[0].percent(), Some(80));
    assert_eq!(
        pairs[0].summary(),
        "lb2 holds 80% of lb1's connections (8 of 10)"
    );
    assert_eq!(pairs[0].services[0].backup, Some(8));
}

#[test]
fn two_masters_a_shared_vip_and_a_silent_backup_are_alarms() {
    let mut master = table(PAIR, 5);
    master.daemons = table(
        &["--start-daemon master --mcast-interface eth0 --syncid 7"],
        0,
    )
    .daemons;
    let mut backup = table(PAIR, 0);
    // syncid 0 on a backup takes every master's messages.
    backup.daemons = table(
        &["--start-daemon backup --mcast-interface eth0 --syncid 0"],
        0,
    )
    .daemons;
    // Both bind the VIP; the shared outside address is no VIP and raises nothing.
    let h = host(&["192.0.2.10", "198.51.100.2"]);
    let v = [
        instance("VI_1", VrrpState::Master),
        instance("VI_2", VrrpState::Backup),
    ];
    let all = [seen("lb1", &master, &h, &v), seen("lb2", &backup, &h, &v)];
    let found: Vec<String> = alarms(&all).iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "TWO MASTERS: VRRP instance VI_1 is MASTER on lb1 and lb2",
            "VIP TWICE: 192.0.2.10 is bound on lb1 and lb2",
            "SYNC SILENT: backup lb2 holds no connection while master lb1 holds 10 (syncid 7)",
        ]
    );
    assert!(matches!(alarms(&all)[0], Alarm::DoubleMaster { .. }));
}

#[test]
fn a_backup_of_another_syncid_is_no_pair() {
    let mut master = table(PAIR, 5);
    master.daemons = table(
        &["--start-daemon master --mcast-interface eth0 --syncid 1"],
        0,
    )
    .daemons;
    let mut backup = table(PAIR, 0);
    backup.daemons = table(
        &["--start-daemon backup --mcast-interface eth0 --syncid 2"],
        0,
    )
    .daemons;
    let h = host(&[]);
    let all = [seen("lb1", &master, &h, &[]), seen("lb2", &backup, &h, &[])];
    assert_eq!(alarms(&all), vec![]);
    assert_eq!(health(&all), vec![]);
}

#[test]
fn percent_rounds_down_and_has_no_share_of_nothing() {
    assert_eq!(percent(98, 100), Some(98));
    assert_eq!(percent(2, 3), Some(66));
    assert_eq!(percent(5, 0), None);
    assert_eq!(percent(u64::MAX, 1), Some(u64::MAX));
}

#[test]
fn compare_lists_lines_on_one_side_and_settings_that_differ() {
    let a = table(
        &[
            "-A -t 192.0.2.10:80 -s rr",
            "-a -t 192.0.2.10:80 -r 10.0.0.2:80 -m -w 1",
            "-a -t 192.0.2.10:80 -r 10.0.0.3:80 -m -w 1",
            "-A -u 192.0.2.10:53 -s wlc",
        ],
        0,
    );
    let b = table(
        &[
            "-A -t 192.0.2.10:80 -s wrr -p 300",
            "-a -t 192.0.2.10:80 -r 10.0.0.2:80 -m -w 3",
            "-a -t 192.0.2.10:80 -r 10.0.0.4:80 -m -w 1",
            "-A -f 5 -s rr",
        ],
        0,
    );
    let c = compare(&a, &b);
    assert!(!c.equal());
    assert_eq!(
        c.render("lb1", "lb2"),
        concat!(
            "only on lb1:\n",
            "  -a -t 192.0.2.10:80 -r 10.0.0.3:80 -m -w 1\n",
            "  -A -u 192.0.2.10:53 -s wlc\n",
            "only on lb2:\n",
            "  -a -t 192.0.2.10:80 -r 10.0.0.4:80 -m -w 1\n",
            "  -A -f 5 -s rr\n",
            "different settings:\n",
            "  lb1  -A -t 192.0.2.10:80 -s rr\n",
            "  lb2  -A -t 192.0.2.10:80 -s wrr -p 300\n",
            "  lb1  -a -t 192.0.2.10:80 -r 10.0.0.2:80 -m -w 1\n",
            "  lb2  -a -t 192.0.2.10:80 -r 10.0.0.2:80 -m -w 3\n",
        )
    );
    assert!(compare(&a, &a).equal());
    assert_eq!(
        compare(&a, &a).render("x", "y"),
        "x and y hold the same rules\n"
    );
    // Counters and connections are no difference.
    assert!(compare(&table(PAIR, 0), &table(PAIR, 9)).equal());
}
