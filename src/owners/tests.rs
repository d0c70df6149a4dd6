//! Owners, health and drift over a kernel table built from keepalived's own view (the lab's
//! fixture), then changed by hand the ways an operator would.

use super::keepalived::{check, process::Process, reader::KeepalivedState};
use super::{Drift, Owner, analyse};
use crate::host::{Addr, HostState, Link};
use crate::ipvs::model::{Dest, DestConfig, Service, ServiceConfig, ServiceKey, Snapshot, Stats};
use std::net::IpAddr;
use std::path::PathBuf;

const CHECK: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/keepalived/2.2.7/director-keepalived_check.data"
));
const CHECK_RS1_DOWN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/keepalived/2.2.7/director-keepalived_check.rs1-down.data"
));

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn state(text: &str) -> KeepalivedState {
    KeepalivedState {
        process: Process {
            pid: 1,
            config: PathBuf::from("/etc/keepalived/keepalived.conf"),
            tmp_dir: PathBuf::from("/tmp"),
            vrrp: Some(false),
            checker: Some(true),
        },
        read_at: jiff::Timestamp::UNIX_EPOCH,
        vrrp: None,
        check: Some(check::parse(text).unwrap()),
        files: Vec::new(),
    }
}

/// The table keepalived writes from `state`: what it means to be in the kernel.
fn kernel_of(state: &KeepalivedState) -> Snapshot {
    let services = state
        .check
        .as_ref()
        .unwrap()
        .virtual_servers
        .iter()
        .map(|vs| Service {
            config: ServiceConfig::new(vs.key.service_key().unwrap()),
            stats: Stats::default(),
            dests: vs
                .real_servers
                .iter()
                .filter_map(|rs| {
                    let mut config = DestConfig::new(rs.addr, rs.port);
                    config.weight = rs.expected_in_kernel()? as u32;
                    Some(dest(config))
                })
                .collect(),
        });
    Snapshot {
        services: services.collect(),
        ..Snapshot::default()
    }
}

fn dest(config: DestConfig) -> Dest {
    Dest {
        config,
        active_conns: 0,
        inact_conns: 0,
        persist_conns: 0,
        stats: Stats::default(),
    }
}

fn nat() -> ServiceKey {
    ServiceKey::Addr {
        protocol: crate::ipvs::model::Protocol::Tcp,
        addr: ip("203.0.113.100"),
        port: 80,
    }
}

#[test]
fn a_table_as_keepalived_wrote_it_has_no_drift() {
    for text in [CHECK, CHECK_RS1_DOWN] {
        let ka = state(text);
        let view = analyse(&kernel_of(&ka), &HostState::default(), Some(&ka));
        assert_eq!(view.drift, [], "{text}");
        assert!(
            view.services
                .iter()
                .all(|s| s.owner == Some(Owner::Keepalived))
        );
    }
}

#[test]
fn health_beside_the_kernel_weight() {
    let ka = state(CHECK_RS1_DOWN);
    let view = analyse(&kernel_of(&ka), &HostState::default(), Some(&ka));
    let nat = view.service(&nat()).unwrap();
    // rs2 is in the kernel; the dead rs1 is not, and is listed after it with its health.
    let rows: Vec<(IpAddr, String, Option<u32>)> = nat
        .dests
        .iter()
        .map(|d| {
            (
                d.addr,
                d.health.as_ref().unwrap().label(),
                d.health.as_ref().unwrap().kernel_weight,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (ip("10.10.0.12"), "alive".into(), Some(2)),
            (ip("10.10.0.11"), "DEAD 1/1 failed".into(), None)
        ]
    );
}

#[test]
fn drift_made_by_hand() {
    let ka = state(CHECK);
    let mut kernel = kernel_of(&ka);
    let nat = kernel
        .services
        .iter_mut()
        .find(|s| s.config.key == nat())
        .unwrap();
    nat.dests[0].config.weight = 9; // 10.10.0.11: weight by hand
    nat.dests.remove(1); // 10.10.0.12 deleted by hand
    nat.dests.push(dest(DestConfig::new(ip("10.10.0.13"), 80)));
    kernel.services.retain(|s| !s.config.key.is_fwmark());
    let extra = ServiceKey::Addr {
        protocol: crate::ipvs::model::Protocol::Udp,
        addr: ip("203.0.113.100"),
        port: 53,
    };
    kernel.services.push(Service {
        config: ServiceConfig::new(extra),
        stats: Stats::default(),
        dests: Default::default(),
    });
    let view = analyse(&kernel, &HostState::default(), Some(&ka));
    let kinds: Vec<&str> = view
        .drift
        .iter()
        .map(|d| match d {
            Drift::WeightDiffers { .. } => "weight",
            Drift::MissingRealServer { .. } => "missing-rs",
            Drift::UnknownRealServer { .. } => "unknown-rs",
            Drift::MissingService { .. } => "missing-service",
            Drift::UnknownService { .. } => "unknown-service",
            Drift::RemovedButPresent { .. } => "removed-present",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "weight",
            "missing-rs",
            "unknown-rs",
            "missing-service",
            "unknown-service"
        ]
    );
    assert_eq!(
        view.drift[0].what(),
        "-t 203.0.113.100:80 -> 10.10.0.11:80: weight 9 in the kernel, 3 for keepalived"
    );
    assert!(
        view.drift[1]
            .keepalived_will()
            .contains("will not restore it on reload")
    );
    assert_eq!(view.service(&extra).unwrap().owner, None);
}

/// The first poll of a large table lists no real servers past what it read in time: nothing is
/// said of those yet (no drift; keepalived's real servers are not shown as missing).
#[test]
fn a_table_whose_real_servers_are_not_listed_yet_has_no_drift() {
    let ka = state(CHECK);
    let mut kernel = kernel_of(&ka);
    for s in &mut kernel.services {
        s.dests.clear();
    }
    kernel.unlisted = kernel.services.len();
    let view = analyse(&kernel, &HostState::default(), Some(&ka));
    assert_eq!(view.drift, []);
    let service = view.service(&nat()).unwrap();
    assert_eq!(service.owner, Some(crate::owners::Owner::Keepalived));
    assert_eq!(service.dests, []);
    // Listed: every real server keepalived expects is missing from the kernel.
    kernel.unlisted = 0;
    let view = analyse(&kernel, &HostState::default(), Some(&ka));
    assert!(!view.drift.is_empty());
    assert!(!view.service(&nat()).unwrap().dests.is_empty());
}

#[test]
fn kubernetes_dummy_interfaces() {
    let key = |a: &str| ServiceKey::Addr {
        protocol: crate::ipvs::model::Protocol::Tcp,
        addr: ip(a),
        port: 443,
    };
    let link = |index, name: &str, a: &str| Link {
        index,
        name: name.into(),
        up: true,
        kind: Some("dummy".into()),
        addrs: vec![Addr {
            addr: ip(a),
            prefix: 32,
            label: None,
        }],
    };
    let host = HostState {
        links: vec![
            link(5, "kube-ipvs0", "10.96.0.1"),
            link(6, "kube-dummy-if", "10.96.0.2"),
        ],
        ..HostState::default()
    };
    let service = |k| Service {
        config: ServiceConfig::new(k),
        stats: Stats::default(),
        dests: Default::default(),
    };
    let kernel = Snapshot {
        services: vec![
            service(key("10.96.0.1")),
            service(key("10.96.0.2")),
            service(key("10.96.0.3")),
        ],
        ..Snapshot::default()
    };
    let view = analyse(&kernel, &host, None);
    let owners: Vec<Option<Owner>> = view.services.iter().map(|s| s.owner).collect();
    assert_eq!(
        owners,
        [Some(Owner::KubeProxy), Some(Owner::KubeRouter), None]
    );
    assert!(Owner::KubeProxy.guard().contains("next sync"));
    assert_eq!(view.drift, []);
}
