use super::*;
use crate::ipvs::model::{DestKey, Forward, Protocol, Service, ServiceConfig, Stats};

const SECOND: Duration = Duration::from_secs(1);

fn key() -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: "198.51.100.1".parse().unwrap(),
        port: 80,
    }
}

fn config(weight: u32) -> DestConfig {
    DestConfig {
        forward: Forward::Masq,
        weight,
        ..DestConfig::new("203.0.113.2".parse().unwrap(), 80)
    }
}

/// The service with the drained real server (`None`: without it) and another one.
fn table(dest: Option<(DestConfig, u32, u32, u32)>) -> Snapshot {
    let other = DestConfig::new("203.0.113.3".parse().unwrap(), 80);
    let mut dests = vec![Dest {
        config: other,
        active_conns: 7,
        inact_conns: 1,
        persist_conns: 0,
        stats: Stats::default(),
    }];
    if let Some((config, active_conns, inact_conns, persist_conns)) = dest {
        dests.push(Dest {
            config,
            active_conns,
            inact_conns,
            persist_conns,
            stats: Stats::default(),
        });
    }
    Snapshot {
        services: vec![Service {
            config: ServiceConfig::new(key()),
            stats: Stats::default(),
            dests: dests.into(),
        }],
        ..Snapshot::default()
    }
}

fn removal() -> Vec<IpvsOp> {
    vec![IpvsOp::DeleteDest {
        service: key(),
        dest: DestKey::new("203.0.113.2".parse().unwrap(), 80),
    }]
}

#[test]
fn start_sets_weight_zero_and_keeps_everything_else() {
    let t0 = Instant::now();
    let dest = DestConfig {
        u_threshold: 100,
        ..config(3)
    };
    let (drain, ops) = Drain::start(key(), &dest, None, t0);
    assert_eq!(
        ops,
        vec![IpvsOp::EditDest {
            service: key(),
            dest: DestConfig { weight: 0, ..dest }
        }]
    );
    assert_eq!(drain.dest(), &dest);
    assert!(drain.is_active());
    let status = drain.status();
    assert_eq!(
        (status.phase, status.counts, status.time_left),
        (DrainPhase::Draining, None, None)
    );
    assert_eq!(
        status.description,
        "draining 203.0.113.2:80: no reading yet; 0 s; removal at 0 connections"
    );
    let (_, ops) = Drain::start(key(), &config(0), None, t0);
    assert!(ops.is_empty(), "already at weight 0: nothing to change");
}

#[test]
fn removal_comes_when_every_connection_is_gone() {
    let t0 = Instant::now();
    let (mut drain, _) = Drain::start(key(), &config(3), None, t0);
    // A snapshot read before weight 0 was applied: not someone else's change, and even at 0
    // connections no removal yet (new connections could still arrive).
    assert!(
        drain
            .observe(&table(Some((config(3), 0, 0, 0))), t0 + SECOND)
            .is_empty()
    );
    assert!(drain.is_active());
    assert!(
        drain
            .observe(&table(Some((config(0), 12, 3, 0))), t0 + 45 * SECOND)
            .is_empty()
    );
    let status = drain.status();
    assert_eq!(
        status.description,
        "draining 203.0.113.2:80: 12 active, 3 inactive, 0 persistent; 45 s; removal at 0 connections"
    );
    assert_eq!(
        status.counts,
        Some(Counts {
            active: 12,
            inactive: 3,
            persistent: 0
        })
    );
    assert_eq!(status.elapsed, 45 * SECOND);
    // Persistence templates hold it too.
    assert!(
        drain
            .observe(&table(Some((config(0), 0, 0, 1))), t0 + 60 * SECOND)
            .is_empty()
    );
    assert_eq!(
        drain.observe(&table(Some((config(0), 0, 0, 0))), t0 + 125 * SECOND),
        removal()
    );
    let status = drain.status();
    assert_eq!(status.phase, DrainPhase::Removed { forced: false });
    assert_eq!(
        status.description,
        "drained 203.0.113.2:80: removed at 0 connections after 2 min 5 s"
    );
    // Ended: the real server going away afterwards is expected, and nothing more is returned.
    assert!(drain.observe(&table(None), t0 + 130 * SECOND).is_empty());
    assert_eq!(drain.status().phase, DrainPhase::Removed { forced: false });
    assert!(drain.cancel().is_empty());
}

#[test]
fn the_deadline_removes_with_connections_left() {
    let t0 = Instant::now();
    let (mut drain, _) = Drain::start(key(), &config(2), Some(300 * SECOND), t0);
    assert!(
        drain
            .observe(&table(Some((config(0), 4, 2, 0))), t0 + 60 * SECOND)
            .is_empty()
    );
    let status = drain.status();
    assert_eq!(status.time_left, Some(240 * SECOND));
    assert_eq!(
        status.description,
        "draining 203.0.113.2:80: 4 active, 2 inactive, 0 persistent; 1 min; removal at 0 connections or in 4 min"
    );
    assert_eq!(
        drain.observe(&table(Some((config(0), 3, 1, 0))), t0 + 300 * SECOND),
        removal()
    );
    let status = drain.status();
    assert_eq!(
        (status.phase, status.time_left),
        (DrainPhase::Removed { forced: true }, Some(Duration::ZERO))
    );
    assert_eq!(
        status.description,
        "drained 203.0.113.2:80: removed at the deadline after 5 min with 3 active, 1 inactive, 0 persistent"
    );
}

#[test]
fn someone_else_changing_the_weight_stops_the_drain() {
    let t0 = Instant::now();
    let (mut drain, _) = Drain::start(key(), &config(3), None, t0);
    drain.observe(&table(Some((config(0), 5, 0, 0))), t0 + SECOND);
    // Back to the original weight after weight 0 was seen: someone else's change, not ours.
    assert!(
        drain
            .observe(&table(Some((config(3), 0, 0, 0))), t0 + 2 * SECOND)
            .is_empty(),
        "never removes"
    );
    assert_eq!(
        drain.status().phase,
        DrainPhase::Stopped("someone set its weight to 3; it is left as it is".into())
    );
    assert_eq!(
        drain.status().description,
        "drain of 203.0.113.2:80 stopped: someone set its weight to 3; it is left as it is; nothing removed"
    );
    assert!(
        drain.cancel().is_empty(),
        "and a cancel does not write over it"
    );
    assert!(
        drain
            .observe(&table(Some((config(0), 0, 0, 0))), t0 + 3 * SECOND)
            .is_empty(),
        "stopped for good"
    );

    // A weight that is neither 0 nor the original, before 0 was ever seen: someone else too.
    let (mut drain, _) = Drain::start(key(), &config(3), None, t0);
    assert!(
        drain
            .observe(&table(Some((config(7), 0, 0, 0))), t0 + SECOND)
            .is_empty()
    );
    assert_eq!(
        drain.status().phase,
        DrainPhase::Stopped("someone set its weight to 7; it is left as it is".into())
    );
}

#[test]
fn a_vanished_real_server_or_service_stops_the_drain() {
    let t0 = Instant::now();
    let (mut drain, _) = Drain::start(key(), &config(3), None, t0);
    assert!(drain.observe(&table(None), t0 + SECOND).is_empty());
    assert_eq!(
        drain.status().description,
        "drain of 203.0.113.2:80 stopped: the real server is gone: someone else removed it; nothing removed"
    );
    let (mut drain, _) = Drain::start(key(), &config(3), None, t0);
    assert!(drain.observe(&Snapshot::default(), t0 + SECOND).is_empty());
    assert_eq!(
        drain.status().phase,
        DrainPhase::Stopped("its service TCP 198.51.100.1:80 is gone".into())
    );
}

#[test]
fn cancel_restores_the_weight_and_keeps_other_changes() {
    let t0 = Instant::now();
    let (mut drain, _) = Drain::start(key(), &config(3), Some(SECOND), t0);
    // Someone raised the upper threshold meanwhile: the cancel keeps it.
    let changed = DestConfig {
        u_threshold: 50,
        ..config(0)
    };
    drain.observe(&table(Some((changed, 2, 0, 0))), t0);
    assert_eq!(
        drain.cancel(),
        vec![IpvsOp::EditDest {
            service: key(),
            dest: DestConfig {
                weight: 3,
                ..changed
            }
        }]
    );
    assert_eq!(
        drain.status().description,
        "drain of 203.0.113.2:80 cancelled: weight back to 3"
    );
    assert!(drain.cancel().is_empty(), "once");
    assert!(
        drain
            .observe(&table(Some((config(0), 0, 0, 0))), t0 + 10 * SECOND)
            .is_empty(),
        "no removal after a cancel, deadline or not"
    );

    let (mut drain, _) = Drain::start(key(), &config(0), None, t0);
    assert!(
        drain.cancel().is_empty(),
        "it was at weight 0 already: nothing to put back"
    );
    assert_eq!(drain.status().phase, DrainPhase::Cancelled);
}

#[test]
fn a_failed_change_stops_the_drain_with_the_reason() {
    let t0 = Instant::now();
    let (mut drain, ops) = Drain::start(key(), &config(3), None, t0);
    drain.failed(&ops[0], "no such destination");
    assert!(!drain.is_active());
    assert_eq!(
        drain.status().description,
        "drain of 203.0.113.2:80 stopped: ipvsadm -e -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 0 failed: no such destination; nothing removed"
    );
    assert!(
        drain
            .observe(&table(Some((config(0), 0, 0, 0))), t0 + SECOND)
            .is_empty()
    );
}

#[test]
fn durations_read_at_a_glance() {
    let s = |n| seconds(Duration::from_secs(n));
    assert_eq!(
        [s(0), s(59), s(60), s(61), s(3599), s(3600), s(7380)],
        [
            "0 s",
            "59 s",
            "1 min",
            "1 min 1 s",
            "59 min 59 s",
            "1 h 0 min",
            "2 h 3 min"
        ]
    );
}
