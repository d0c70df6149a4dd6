//! The listings and save of the real ipvsadm 1.31 (tests/golden/listing, made by capture.sh in
//! user-mode Linux) against ours for the same table, built here as a model snapshot.
//!
//! The kernel's dump order changes from boot to boot (its hash is seeded at random); the sorted
//! output must not. Two dump orders seen in the lab (`--nosort` listings) feed the same table.

use super::*;
use crate::ipvs::model::{
    DestConfig, Info, Netmask, Protocol, SchedFlags, ServiceConfig, Stats, TunnelCsum, TunnelType,
};
use crate::ipvs::rules::save;
use std::net::IpAddr;

macro_rules! golden {
    ($name:literal) => {
        include_str!(concat!("../../../tests/golden/listing/", $name, ".txt"))
    };
}

fn addr_port_of(text: &str) -> (IpAddr, u16) {
    let (addr, port) = text.rsplit_once(':').unwrap();
    (
        addr.trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .unwrap(),
        port.parse().unwrap(),
    )
}

/// `tcp 10.0.0.1:80`, `udp [::1]:53`, `sctp ...`, `fwm 7`, `fwm6 7`.
fn key(spec: &str) -> ServiceKey {
    let (kind, rest) = spec.split_once(' ').unwrap();
    let protocol = match kind {
        "fwm" => {
            return ServiceKey::Fwmark {
                mark: rest.parse().unwrap(),
                family: Family::Inet,
            };
        }
        "fwm6" => {
            return ServiceKey::Fwmark {
                mark: rest.parse().unwrap(),
                family: Family::Inet6,
            };
        }
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        _ => Protocol::Sctp,
    };
    let (addr, port) = addr_port_of(rest);
    ServiceKey::Addr {
        protocol,
        addr,
        port,
    }
}

/// A service under construction, as the ipvsadm commands in capture.sh set it up.
struct S(Service);

fn svc(spec: &str, scheduler: &str) -> S {
    let mut config = ServiceConfig::new(key(spec));
    config.scheduler = scheduler.to_string();
    S(Service {
        config,
        stats: Stats::default(),
        dests: Default::default(),
    })
}

impl S {
    fn p(mut self, timeout: u32) -> S {
        self.0.config.persistence = Some(timeout);
        self
    }
    fn mask(mut self, mask: &str) -> S {
        self.0.config.netmask = match mask.parse() {
            Ok(m) => Netmask::V4(m),
            Err(_) => Netmask::V6(mask.parse().unwrap()),
        };
        self
    }
    fn pe(mut self) -> S {
        self.0.config.pe = Some("sip".to_string());
        self
    }
    fn ops(mut self) -> S {
        self.0.config.one_packet = true;
        self
    }
    fn b(mut self, flag1: bool, flag2: bool, flag3: bool) -> S {
        self.0.config.sched_flags = SchedFlags {
            flag1,
            flag2,
            flag3,
        };
        self
    }
    fn d(self, addr: &str, forward: Forward, weight: u32) -> S {
        self.dx(addr, forward, weight, 0, 0)
    }
    fn dx(
        mut self,
        addr: &str,
        forward: Forward,
        weight: u32,
        u_threshold: u32,
        l_threshold: u32,
    ) -> S {
        let (addr, port) = addr_port_of(addr);
        let config = DestConfig {
            weight,
            forward,
            u_threshold,
            l_threshold,
            ..DestConfig::new(addr, port)
        };
        self.0.dests.push(Dest {
            config,
            active_conns: 0,
            inact_conns: 0,
            persist_conns: 0,
            stats: Stats::default(),
        });
        self
    }
}

fn tun(tun_type: TunnelType, port: u16, csum: TunnelCsum) -> Forward {
    Forward::Tunnel {
        tun_type,
        port,
        csum,
    }
}

/// The table capture.sh builds (its services and real servers, in any order).
fn lab_services() -> Vec<Service> {
    use Forward::{Masq, Route};
    use TunnelCsum::*;
    use TunnelType::*;
    let ipip = Forward::ipip();
    [
        svc("tcp 10.0.0.1:80", "rr")
            .d("10.1.0.2:80", Masq, 1)
            .d("200.1.0.3:80", Route, 0)
            .dx("100.1.0.4:8080", Masq, 70000, 100, 50)
            .dx("10.1.0.2:81", Masq, 2147483647, 2147483647, 0)
            .d("127.0.0.1:80", Route, 3),
        svc("tcp 200.0.0.1:443", "wlc")
            .p(600)
            .mask("255.255.255.0")
            .d("10.2.0.1:443", ipip, 1)
            .d("10.2.0.2:443", tun(Gue, 6080, NoCsum), 1)
            .d("10.2.0.3:443", tun(Gue, 6081, Csum), 1)
            .d("10.2.0.4:443", tun(Gue, 65535, RemCsum), 1)
            .d("10.2.0.5:443", tun(Gre, 0, NoCsum), 1)
            .d("10.2.0.6:443", tun(Gre, 0, Csum), 1)
            .d("10.2.0.7:443", ipip, 9)
            .d("[2001:db8::5]:443", ipip, 1),
        svc("tcp 100.0.0.1:80", "sh")
            .b(true, true, false)
            .d("10.4.0.1:80", Masq, 1),
        svc("tcp 10.0.0.1:0", "lc").p(360),
        svc("tcp 128.0.0.1:80", "rr").b(true, false, true),
        svc("tcp 127.255.255.255:8080", "sh").b(false, false, true),
        svc("tcp 0.0.0.1:1", "rr"),
        svc("tcp 255.255.255.254:65535", "rr")
            .p(2678400)
            .mask("0.0.0.0"),
        svc("sctp 10.0.0.5:3868", "rr").d("10.5.0.1:3868", Masq, 4),
        svc("udp 10.0.0.1:53", "rr")
            .ops()
            .dx("10.6.0.1:5353", Masq, 2, 10, 5),
        svc("udp 10.0.0.2:5060", "rr").p(30).pe(),
        svc("udp 200.0.0.2:53", "mh").b(true, true, false),
        svc("udp 10.0.0.3:5060", "wrr").pe(),
        svc("tcp [2001:db8::1]:80", "wrr")
            .d("[2001:db8:1::2]:80", Masq, 5)
            .dx("[2001:db8:1::3]:8080", Masq, 0, 7, 0)
            .d("[::2:3]:80", Masq, 1)
            .d("[fd00::9]:80", Masq, 1)
            .d("10.7.0.1:80", ipip, 1),
        svc("tcp [2001:db8::1]:443", "rr").p(120).mask("64"),
        svc("tcp [fd00::1]:80", "rr"),
        svc("tcp [::ffff:10.9.9.9]:80", "rr"),
        svc("tcp [2001:db8:aaaa:bbbb:cccc:dddd:eeee:1]:8080", "rr").d(
            "[2001:db8:aaaa:bbbb:cccc:dddd:eeee:2]:8080",
            Masq,
            1,
        ),
        svc("udp [2001:db8:ffff::1]:53", "rr").ops().p(60).pe(),
        svc("sctp [2001:db8::9]:3868", "rr"),
        svc("fwm 1", "rr")
            .d("10.3.0.1:0", Masq, 1)
            .d("10.3.0.2:8080", Masq, 3),
        svc("fwm6 2", "rr").d("[2001:db8:3::1]:0", Route, 1),
        svc("fwm 2", "wlc"),
        svc("fwm 100", "rr").p(300).mask("255.255.0.0"),
        svc("fwm6 101", "rr").p(300).mask("48"),
        svc("fwm 5", "rr").ops(),
        svc("fwm 2147483648", "rr"),
        svc("fwm 4294967295", "rr").d("10.8.0.1:0", Route, 1),
    ]
    .into_iter()
    .map(|s| s.0)
    .collect()
}

/// The lab table with services and real servers in the order of a `-Ln --nosort` listing.
fn lab_table(nosort_listing: &str) -> Snapshot {
    let mut pool = lab_services();
    let mut services: Vec<Service> = Vec::new();
    let plain = ListFormat::default();
    for line in nosort_listing.lines().skip(3) {
        if let Some(rest) = line.strip_prefix("  -> ") {
            let (addr, port) = addr_port_of(rest.split_whitespace().next().unwrap());
            let svc = services.last_mut().unwrap();
            let i = svc
                .dests
                .iter()
                .position(|d| d.config.addr == addr && d.config.port == port)
                .unwrap();
            let dest = svc.dests.remove(i);
            svc.dests.push(dest);
        } else {
            // The service whose own listing line this is (its real servers follow and are
            // moved to the end one by one, leaving them in listing order).
            let i = pool
                .iter()
                .position(|s| list_service(s, &plain).lines().nth(2) == Some(line));
            services.push(pool.remove(i.unwrap_or_else(|| panic!("no service lists as {line:?}"))));
        }
    }
    assert!(
        pool.is_empty(),
        "services missing from the listing: {pool:?}"
    );
    Snapshot {
        info: Info {
            version: 0x010201,
            conn_tab_size: 4096,
        },
        services,
        ..Snapshot::default()
    }
}

fn dump_orders() -> [Snapshot; 2] {
    [
        lab_table(golden!("list-nosort")),
        lab_table(golden!("list-nosort-boot2")),
    ]
}

fn fmt(set: impl Fn(&mut ListFormat)) -> ListFormat {
    let mut f = ListFormat::default();
    set(&mut f);
    f
}

#[test]
fn nosort_keeps_the_kernel_order() {
    let f = fmt(|f| f.nosort = true);
    assert_eq!(
        list_all(&lab_table(golden!("list-nosort")), &f),
        golden!("list-nosort")
    );
    assert_eq!(
        list_all(&lab_table(golden!("list-nosort-boot2")), &f),
        golden!("list-nosort-boot2")
    );
}

#[test]
fn sorted_listings_match_ipvsadm_whatever_the_dump_order() {
    // (format, golden file); capture.sh checked each combination against the file with `cmp`.
    let cases: [(ListFormat, &str); 12] = [
        (fmt(|_| {}), golden!("list")),
        (fmt(|f| f.exact = true), golden!("list")),
        (fmt(|f| f.stats = true), golden!("list-stats")),
        (
            fmt(|f| (f.stats, f.exact) = (true, true)),
            golden!("list-stats"),
        ),
        (
            fmt(|f| (f.stats, f.rate) = (true, true)),
            golden!("list-stats"),
        ),
        (fmt(|f| f.rate = true), golden!("list-rate")),
        (
            fmt(|f| (f.rate, f.exact) = (true, true)),
            golden!("list-rate"),
        ),
        (fmt(|f| f.thresholds = true), golden!("list-thresholds")),
        (
            fmt(|f| (f.thresholds, f.persistent_conn) = (true, true)),
            golden!("list-thresholds"),
        ),
        (
            fmt(|f| (f.tun_info, f.thresholds) = (true, true)),
            golden!("list-thresholds"),
        ),
        (
            fmt(|f| f.persistent_conn = true),
            golden!("list-persistent"),
        ),
        (fmt(|f| f.tun_info = true), golden!("list-tun-info")),
    ];
    for table in dump_orders() {
        for (f, want) in &cases {
            assert_eq!(list_all(&table, f), *want, "{f:?}");
        }
    }
}

#[test]
fn save_matches_ipvsadm_save() {
    for table in dump_orders() {
        assert_eq!(save(&table), golden!("save"));
    }
}

#[test]
fn one_service_has_no_version_line() {
    let table = &dump_orders()[0];
    let one = |spec: &str, f: ListFormat| list_service(table.service(&key(spec)).unwrap(), &f);
    assert_eq!(one("tcp 10.0.0.1:80", fmt(|_| {})), golden!("svc-tcp"));
    assert_eq!(
        one("tcp 200.0.0.1:443", fmt(|f| f.stats = true)),
        golden!("svc-tcp-stats")
    );
    assert_eq!(
        one("tcp 200.0.0.1:443", fmt(|f| f.tun_info = true)),
        golden!("svc-tcp-tun")
    );
    assert_eq!(
        one("udp [2001:db8:ffff::1]:53", fmt(|_| {})),
        golden!("svc-udp6")
    );
    assert_eq!(one("fwm6 2", fmt(|_| {})), golden!("svc-fwm6"));
    assert_eq!(
        one("fwm 1", fmt(|f| f.thresholds = true)),
        golden!("svc-fwm")
    );
    assert_eq!(
        one("sctp 10.0.0.5:3868", fmt(|f| f.persistent_conn = true)),
        golden!("svc-sctp")
    );
}

#[test]
fn timeouts_and_daemons_match_ipvsadm() {
    assert_eq!(
        list_timeouts(&Timeouts {
            tcp: 900,
            tcp_fin: 120,
            udp: 300
        }),
        golden!("timeout-default")
    );
    assert_eq!(
        list_timeouts(&Timeouts {
            tcp: 100,
            tcp_fin: 20,
            udp: 30
        }),
        golden!("timeout-set")
    );

    let daemon = |state, sync_id, sync_maxlen, group: &str, mcast_port, mcast_ttl| SyncDaemon {
        state,
        mcast_ifn: "lo".to_string(),
        sync_id,
        sync_maxlen,
        mcast_group: Some(group.parse().unwrap()),
        mcast_port,
        mcast_ttl,
    };
    let master = daemon(SyncState::Master, 0, 1472, "224.0.0.81", 8848, 1);
    let backup = daemon(SyncState::Backup, 7, 65507, "224.0.0.81", 8848, 1);
    let master_opts = daemon(SyncState::Master, 3, 1000, "239.1.2.3", 9000, 5);
    let backup_v6 = daemon(SyncState::Backup, 255, 65487, "ff02::1:3", 8848, 1);
    assert_eq!(list_daemons(&[]), golden!("daemon-none"));
    assert_eq!(
        list_daemons(std::slice::from_ref(&master)),
        golden!("daemon-master")
    );
    // Master first whatever the order given.
    assert_eq!(
        list_daemons(&[backup.clone(), master]),
        golden!("daemon-both")
    );
    assert_eq!(
        list_daemons(&[master_opts, backup]),
        golden!("daemon-master-opts")
    );
    assert_eq!(list_daemons(&[backup_v6]), golden!("daemon-backup-v6"));
}
