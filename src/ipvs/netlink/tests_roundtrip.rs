//! Test-only: every model variant survives model -> attributes -> bytes -> attributes -> model.

use super::fixtures::{daemon_reply, dest_reply, service_reply, through_bytes};
use super::*;
use crate::ipvs::model::*;
use proptest::prelude::*;
use std::net::IpAddr;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn stats(seed: u64) -> Stats {
    Stats {
        conns: seed,
        inpkts: seed << 33,
        outpkts: seed.wrapping_add(2),
        inbytes: u64::MAX - seed,
        outbytes: seed.wrapping_mul(7),
        cps: 1,
        inpps: 2,
        outpps: 3,
        inbps: 4,
        outbps: 5,
    }
}

fn services() -> Vec<ServiceConfig> {
    let key = |p, a: &str, port| ServiceKey::Addr {
        protocol: p,
        addr: ip(a),
        port,
    };
    let mut out = vec![
        ServiceConfig::new(key(Protocol::Tcp, "192.0.2.1", 80)),
        ServiceConfig::new(key(Protocol::Udp, "2001:db8::1", 53)),
        ServiceConfig::new(key(Protocol::Sctp, "192.0.2.9", 3868)),
        ServiceConfig::new(ServiceKey::Fwmark {
            mark: 1,
            family: Family::Inet,
        }),
        ServiceConfig::new(ServiceKey::Fwmark {
            mark: u32::MAX,
            family: Family::Inet6,
        }),
    ];
    let mut p4 = ServiceConfig::new(key(Protocol::Tcp, "192.0.2.2", 0));
    p4.persistence = Some(360);
    p4.netmask = Netmask::V4(ip4("255.255.255.0"));
    let mut p6 = ServiceConfig::new(key(Protocol::Tcp, "2001:db8::2", 443));
    p6.persistence = Some(MAX_TIMEOUT);
    p6.netmask = Netmask::V6(48);
    let mut pe = ServiceConfig::new(key(Protocol::Udp, "192.0.2.3", 5060));
    (pe.persistence, pe.pe, pe.scheduler) = (Some(60), Some("sip".into()), "rr".into());
    let mut ops = ServiceConfig::new(key(Protocol::Udp, "192.0.2.4", 53));
    ops.one_packet = true;
    let mut ops_fw = ServiceConfig::new(ServiceKey::Fwmark {
        mark: 5,
        family: Family::Inet6,
    });
    (ops_fw.one_packet, ops_fw.persistence, ops_fw.netmask) = (true, Some(10), Netmask::V6(64));
    out.extend([p4, p6, pe, ops, ops_fw]);
    for (sched, flags) in [
        ("sh", (true, true, false)),
        ("mh", (false, true, false)),
        ("rr", (false, false, true)),
    ] {
        let mut s = ServiceConfig::new(key(Protocol::Tcp, "192.0.2.5", 8000));
        s.scheduler = sched.into();
        s.sched_flags = SchedFlags {
            flag1: flags.0,
            flag2: flags.1,
            flag3: flags.2,
        };
        out.push(s);
    }
    out
}

fn ip4(s: &str) -> std::net::Ipv4Addr {
    s.parse().unwrap()
}

#[test]
fn every_service_variant_round_trips() {
    for (i, config) in services().into_iter().enumerate() {
        let svc = Service {
            config,
            stats: stats(i as u64 + 1),
            dests: Default::default(),
        };
        let back = decode::service_message(&through_bytes(&service_reply(&svc))).unwrap();
        assert_eq!(back, svc);
    }
}

fn forwards() -> Vec<Forward> {
    use TunnelCsum::*;
    use TunnelType::*;
    vec![
        Forward::Masq,
        Forward::Route,
        Forward::Local,
        Forward::ipip(),
        Forward::Tunnel {
            tun_type: Gue,
            port: 6080,
            csum: NoCsum,
        },
        Forward::Tunnel {
            tun_type: Gue,
            port: 1,
            csum: Csum,
        },
        Forward::Tunnel {
            tun_type: Gue,
            port: 65535,
            csum: RemCsum,
        },
        Forward::Tunnel {
            tun_type: Gre,
            port: 0,
            csum: NoCsum,
        },
        Forward::Tunnel {
            tun_type: Gre,
            port: 0,
            csum: Csum,
        },
    ]
}

#[test]
fn every_dest_variant_round_trips_in_both_families() {
    for (i, forward) in forwards().into_iter().enumerate() {
        for (addr, service_family) in [
            ("10.0.0.2", Family::Inet),
            ("2001:db8::7", Family::Inet6),
            ("2001:db8::8", Family::Inet),
        ] {
            let config = DestConfig {
                addr: ip(addr),
                port: i as u16 * 1000,
                forward,
                weight: i as u32,
                u_threshold: 10,
                l_threshold: 5,
            };
            let d = Dest {
                config,
                active_conns: 1,
                inact_conns: 2,
                persist_conns: 3,
                stats: stats(i as u64),
            };
            assert_eq!(
                decode::dest_message(&through_bytes(&dest_reply(&d)), service_family).unwrap(),
                d
            );
        }
    }
}

#[test]
fn daemons_round_trip_with_v4_v6_and_default_groups() {
    let base = SyncDaemon {
        state: SyncState::Master,
        mcast_ifn: "eth0".into(),
        sync_id: 255,
        sync_maxlen: 0,
        mcast_group: None,
        mcast_port: 0,
        mcast_ttl: 0,
    };
    let v4 = SyncDaemon {
        mcast_group: Some(ip("239.1.2.3")),
        mcast_port: 8848,
        mcast_ttl: 3,
        ..base.clone()
    };
    let v6 = SyncDaemon {
        state: SyncState::Backup,
        mcast_ifn: "bond0.100".into(),
        sync_id: 0,
        sync_maxlen: 1400,
        mcast_group: Some(ip("ff02::81")),
        mcast_port: 9000,
        mcast_ttl: 255,
    };
    for d in [base, v4, v6] {
        assert_eq!(
            decode::daemon_message(&through_bytes(&daemon_reply(&d))).unwrap(),
            d
        );
    }
}

#[test]
fn timeouts_round_trip() {
    let t = Timeouts {
        tcp: 900,
        tcp_fin: 120,
        udp: 300,
    };
    let msg = through_bytes(&IpvsMessage::new(cmd::SET_CONFIG, encode::timeouts(&t)));
    assert_eq!(decode::timeouts_message(&msg), t);
}

proptest! {
    #![proptest_config(crate::testing::proptest_config())]
    #[test]
    fn any_dest_config_round_trips(
        v6 in any::<bool>(), a in any::<[u8; 16]>(), port in any::<u16>(), f in 0..9usize,
        weight in 0..=MAX_WEIGHT, u in any::<u32>(), l in any::<u32>(), gauges in any::<(u32, u32, u32)>(), seed in any::<u64>(),
    ) {
        let addr = if v6 { IpAddr::from(a) } else { IpAddr::from([a[0], a[1], a[2], a[3]]) };
        let config = DestConfig { addr, port, forward: forwards()[f], weight, u_threshold: u, l_threshold: l };
        let d = Dest { config, active_conns: gauges.0, inact_conns: gauges.1, persist_conns: gauges.2, stats: stats(seed) };
        prop_assert_eq!(decode::dest_message(&through_bytes(&dest_reply(&d)), Family::Inet).unwrap(), d);
    }

    #[test]
    fn any_address_service_round_trips(
        v6 in any::<bool>(), a in any::<[u8; 16]>(), port in any::<u16>(), proto in 0..3usize,
        persistence in proptest::option::of(1..=MAX_TIMEOUT), mask in any::<u32>(), prefix in 1..=128u8, flags in 0..8u32,
    ) {
        let (addr, netmask) = if v6 {
            (IpAddr::from(a), Netmask::V6(prefix))
        } else {
            (IpAddr::from([a[0], a[1], a[2], a[3]]), Netmask::V4(mask.into()))
        };
        let mut config = ServiceConfig::new(ServiceKey::Addr { protocol: Protocol::ALL[proto], addr, port });
        (config.persistence, config.netmask, config.sched_flags) = (persistence, netmask, SchedFlags::from_bits(flags << 3));
        let svc = Service { config, stats: Stats::default(), dests: Default::default() };
        prop_assert_eq!(decode::service_message(&through_bytes(&service_reply(&svc))).unwrap(), svc);
    }
}
