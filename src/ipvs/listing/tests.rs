//! Exact listing lines for cases the lab table cannot produce (counters, big numbers, the local
//! method, conns), computed from ipvsadm 1.31's printf formats.

use super::*;
use crate::ipvs::model::{
    DestConfig, Info, Netmask, Protocol, SchedFlags, ServiceConfig, Stats, TunnelCsum,
};

fn tcp(addr: &str, port: u16) -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: addr.parse().unwrap(),
        port,
    }
}

fn service(key: ServiceKey, dests: Vec<Dest>) -> Service {
    Service {
        config: ServiceConfig::new(key),
        stats: Stats::default(),
        dests: dests.into(),
    }
}

fn dest(addr: &str, port: u16, forward: Forward) -> Dest {
    let config = DestConfig {
        forward,
        ..DestConfig::new(addr.parse().unwrap(), port)
    };
    Dest {
        config,
        active_conns: 0,
        inact_conns: 0,
        persist_conns: 0,
        stats: Stats::default(),
    }
}

fn big_stats() -> Stats {
    Stats {
        conns: 1234,
        inpkts: 150_000_000,
        outpkts: 2_000_000_000,
        inbytes: 150_000_000_000,
        outbytes: 200_000_000_000_000,
        cps: 123_456_789,
        inpps: 5,
        outpps: 0,
        inbps: 1_500_000_000,
        outbps: 7,
    }
}

/// The lines of a one-service listing after the two title lines.
fn body(s: &Service, f: ListFormat) -> Vec<String> {
    list_service(s, &f)
        .lines()
        .skip(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn largenum_scales_at_ipvsadm_boundaries() {
    let cases: [(u64, &str); 11] = [
        (0, "        0"),
        (99_999_999, " 99999999"),
        (100_000_000, "  100000K"),
        (999_999_999, "  999999K"),
        (1_000_000_000, "    1000M"),
        (99_999_999_999, "   99999M"),
        (100_000_000_000, "     100G"),
        (99_999_999_999_999, "   99999G"),
        (100_000_000_000_000, "     100T"),
        (999_999_999_999_999_999, "  999999T"),
        (u64::MAX, "18446744T"),
    ];
    for (n, want) in cases {
        let mut out = String::new();
        largenum(&mut out, n, false);
        assert_eq!(out, want, "{n}");
    }
    for (n, want) in [
        (5, "        5"),
        (99_999_999, " 99999999"),
        (123_456_789_012, " 123456789012"),
        (u64::MAX, " 18446744073709551615"),
    ] {
        let mut out = String::new();
        largenum(&mut out, n, true);
        assert_eq!(out, want, "{n} exact");
    }
}

#[test]
fn stats_and_rate_columns_with_big_numbers() {
    let mut d = dest("10.1.0.2", 80, Forward::Masq);
    d.stats = big_stats();
    let mut s = service(tcp("10.0.0.1", 80), vec![d]);
    s.stats = big_stats();
    let stats = ListFormat {
        stats: true,
        ..Default::default()
    };
    assert_eq!(
        body(&s, stats),
        [
            "TCP  10.0.0.1:80                      1234  150000K    2000M     150G     200T",
            "  -> 10.1.0.2:80                      1234  150000K    2000M     150G     200T",
        ]
    );
    assert_eq!(
        body(
            &s,
            ListFormat {
                exact: true,
                ..stats
            }
        ),
        [
            "TCP  10.0.0.1:80                      1234 150000000 2000000000 150000000000 200000000000000",
            "  -> 10.1.0.2:80                      1234 150000000 2000000000 150000000000 200000000000000",
        ]
    );
    // The real server's cps/inpps/outpps are printed raw (%8llu); only its byte rates are scaled.
    let rate = ListFormat {
        rate: true,
        ..Default::default()
    };
    assert_eq!(
        body(&s, rate),
        [
            "TCP  10.0.0.1:80                   123456K        5        0    1500M        7",
            "  -> 10.1.0.2:80                  123456789        5        0    1500M        7",
        ]
    );
    assert_eq!(
        body(
            &s,
            ListFormat {
                exact: true,
                ..rate
            }
        ),
        [
            "TCP  10.0.0.1:80                  123456789        5        0 1500000000        7",
            "  -> 10.1.0.2:80                  123456789        5        0 1500000000        7",
        ]
    );
}

#[test]
fn connection_columns_and_every_forward_method() {
    let mut local = dest("10.1.0.1", 80, Forward::Local);
    (local.active_conns, local.inact_conns, local.persist_conns) = (12, 345, 6789);
    local.config.weight = 65536;
    (local.config.u_threshold, local.config.l_threshold) = (2000, 1000);
    let gue = Forward::Tunnel {
        tun_type: TunnelType::Gue,
        port: 6080,
        csum: TunnelCsum::RemCsum,
    };
    let s = service(
        tcp("10.0.0.1", 80),
        vec![
            dest("10.1.0.5", 80, gue),
            dest("10.1.0.4", 80, Forward::ipip()),
            dest("10.1.0.3", 80, Forward::Route),
            dest("10.1.0.2", 80, Forward::Masq),
            local,
        ],
    );
    assert_eq!(
        body(&s, ListFormat::default()),
        [
            "TCP  10.0.0.1:80 wlc",
            "  -> 10.1.0.1:80                  Local   65536  12         345       ",
            "  -> 10.1.0.2:80                  Masq    1      0          0         ",
            "  -> 10.1.0.3:80                  Route   1      0          0         ",
            "  -> 10.1.0.4:80                  Tunnel  1      0          0         ",
            "  -> 10.1.0.5:80                  Tunnel  1      0          0         ",
        ]
    );
    let tun = body(
        &s,
        ListFormat {
            tun_info: true,
            ..Default::default()
        },
    );
    assert_eq!(
        tun[1],
        "  -> 10.1.0.1:80                  Local   n/a           65536  12         345       "
    );
    assert_eq!(
        tun[4],
        "  -> 10.1.0.4:80                  Tunnel  ipip          1      0          0         "
    );
    assert_eq!(
        tun[5],
        "  -> 10.1.0.5:80                  Tunnel  gue:6080:r+c  1      0          0         "
    );
    let thr = body(
        &s,
        ListFormat {
            thresholds: true,
            ..Default::default()
        },
    );
    assert_eq!(
        thr[1],
        "  -> 10.1.0.1:80                  2000       1000       12         345       "
    );
    let pc = body(
        &s,
        ListFormat {
            persistent_conn: true,
            ..Default::default()
        },
    );
    assert_eq!(
        pc[1],
        "  -> 10.1.0.1:80                  65536     6789        12         345       "
    );
}

#[test]
fn service_lines_show_flags_persistence_pe_and_ops() {
    let mut c = ServiceConfig::new(ServiceKey::Addr {
        protocol: Protocol::Udp,
        addr: "10.0.0.2".parse().unwrap(),
        port: 5060,
    });
    c.scheduler = "sh".to_string();
    c.sched_flags = SchedFlags {
        flag1: true,
        flag2: true,
        flag3: true,
    };
    c.persistence = Some(30);
    c.netmask = Netmask::V4("255.255.255.0".parse().unwrap());
    c.pe = Some("sip".to_string());
    c.one_packet = true;
    let s = Service {
        config: c.clone(),
        stats: Stats::default(),
        dests: Default::default(),
    };
    let line =
        "UDP  10.0.0.2:5060 sh (sh-fallback,sh-port) persistent 30 mask 255.255.255.0 pe sip ops";
    assert_eq!(body(&s, ListFormat::default()), [line]);
    // Without persistence neither mask nor engine is listed.
    c.persistence = None;
    c.scheduler = "rr".to_string();
    let s = Service {
        config: c,
        stats: Stats::default(),
        dests: Default::default(),
    };
    assert_eq!(
        body(&s, ListFormat::default()),
        ["UDP  10.0.0.2:5060 rr (flag-1,flag-2,flag-3) ops"]
    );
}

#[test]
fn fwmark_names_print_the_mark_signed() {
    let fwm = |mark, family| service(ServiceKey::Fwmark { mark, family }, vec![]);
    assert_eq!(
        body(&fwm(7, Family::Inet), ListFormat::default()),
        ["FWM  7 wlc"]
    );
    assert_eq!(
        body(&fwm(3_000_000_000, Family::Inet6), ListFormat::default()),
        ["FWM  -1294967296 IPv6 wlc"]
    );
    assert_eq!(
        rule_key(&ServiceKey::Fwmark {
            mark: u32::MAX,
            family: Family::Inet6
        }),
        "-f -1 -6"
    );
}

#[test]
fn list_all_starts_with_the_version_line() {
    let snap = Snapshot {
        info: Info {
            version: 0x010203,
            conn_tab_size: 1 << 20,
        },
        ..Snapshot::default()
    };
    assert_eq!(
        list_all(&snap, &ListFormat::default()),
        concat!(
            "IP Virtual Server version 1.2.3 (size=1048576)\n",
            "Prot LocalAddress:Port Scheduler Flags\n",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
        )
    );
}

#[test]
fn daemons_leave_out_unset_fields() {
    let d = SyncDaemon {
        state: SyncState::Backup,
        mcast_ifn: "eth1".to_string(),
        sync_id: 9,
        sync_maxlen: 0,
        mcast_group: None,
        mcast_port: 0,
        mcast_ttl: 0,
    };
    assert_eq!(
        list_daemons(&[d]),
        "backup sync daemon (mcast=eth1, syncid=9)\n"
    );
}
