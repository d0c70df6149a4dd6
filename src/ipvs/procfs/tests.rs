//! The parsers on fixtures written from the kernel's format strings and captured in the lab, and on arbitrary text.

use super::hz::hz_of_tick;
use super::*;
use crate::ipvs::model::{Family, Forward, Info, Netmask, Protocol, ServiceKey, Stats};
use crate::ipvs::model::{TunnelCsum, TunnelType};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr};

/// Written from the kernel's format strings (reference §6.3), trailing blanks included:
/// IPv4 without and with "ops", persistence with an IPv4 mask and an IPv6 prefix (ntohl'd on
/// little-endian), IPv6, fwmark of both families, each forwarding method.
const FIXTURE: &str = concat!(
    "IP Virtual Server version 1.2.1 (size=4096)\n",
    "Prot LocalAddress:Port Scheduler Flags\n",
    "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n",
    "TCP  C0000201:0050 rr  \n",
    "  -> C000020C:0050      Route   0      0          0         \n",
    "  -> C000020B:1F90      Masq    3      12         40        \n",
    "UDP  C0000202:0035 wlc ops persistent 6000 FFFFFF00\n",
    "  -> C000020D:0035      Tunnel  70000  0          1         \n",
    "TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:01BB sh persistent 36000 40000000\n",
    "  -> [2001:0db8:0000:0000:0000:0000:0000:0011]:01BB      Masq    1      0          0         \n",
    "SCTP  C0000203:0009 none  \n",
    "  -> 7F000001:0009      Local   1      0          0         \n",
    "FWM  00000007 lc \n",
    "  -> C000020E:0000      Route   1      0          0         \n",
    "FWM  00000009 wrr persistent 2000 80000000\n",
    "  -> [2001:0db8:0000:0000:0000:0000:0000:0012]:0000      Route   1      0          0         \n",
);

fn v4(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn listing(hz: Option<u32>) -> ProcListing {
    parse_ip_vs(FIXTURE, hz).unwrap()
}

/// Captured in the user-mode Linux lab (Linux 6.1, HZ 100) after `ipvsadm -A -t
/// [2001:db8::1]:443 -s sh -p 360 -M 64`, `-A -u 192.0.2.2:53 -s wlc -o -p 60 -M
/// 255.255.255.0`, `-A -f 9 -6 -s wrr -p 20` and the rest below; ipvsadm -Ln agreed.
const CAPTURED: &str = concat!(
    "IP Virtual Server version 1.2.1 (size=4096)\n",
    "Prot LocalAddress:Port Scheduler Flags\n",
    "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n",
    "TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:01BB sh persistent 36000 40000000\n",
    "  -> [2001:0db8:0000:0000:0000:0000:0000:0011]:01BB      Masq    1      0          0         \n",
    "UDP  C0000202:0035 wlc ops  persistent 6000 FFFFFF00\n",
    "  -> C000020D:0035      Tunnel  70000  0          0         \n",
    "TCP  C0000201:0050 rr  \n",
    "  -> C000020C:0050      Route   0      0          0         \n",
    "  -> C000020B:1F90      Masq    3      0          0         \n",
    "SCTP  C0000203:0009 rr  \n",
    "FWM  00000007 lc \n",
    "  -> C000020E:0000      Route   1      0          0         \n",
    "FWM  00000009 wrr persistent 2000 80000000\n",
    "  -> [2001:0db8:0000:0000:0000:0000:0000:0012]:0000      Route   1      0          0         \n",
);

#[test]
fn a_real_file_from_the_lab() {
    let l = parse_ip_vs(CAPTURED, Some(100)).unwrap();
    assert_eq!(l.skipped, 0);
    let shown: Vec<String> = l
        .snapshot
        .services
        .iter()
        .map(|s| {
            format!(
                "{} {} {:?} {} {}",
                s.config.key,
                s.config.scheduler,
                s.config.persistence,
                s.config.netmask,
                s.dests.len()
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "-t [2001:db8::1]:443 sh Some(360) 64 1",
            "-u 192.0.2.2:53 wlc Some(60) 255.255.255.0 1",
            "-t 192.0.2.1:80 rr None 255.255.255.255 2",
            "--sctp-service 192.0.2.3:9 rr None 255.255.255.255 0",
            "-f 7 lc None 255.255.255.255 1",
            "-f 9 -6 wrr Some(20) 128 1",
        ]
    );
    assert!(l.snapshot.services[1].config.one_packet);
    assert_eq!(l.snapshot.services[1].dests[0].config.weight, 70000);
}

#[test]
fn header_gives_version_and_table_size() {
    let l = listing(Some(100));
    assert_eq!(
        l.snapshot.info,
        Info {
            version: 0x010201,
            conn_tab_size: 4096
        }
    );
    assert_eq!(l.skipped, 0);
    assert_eq!(l.snapshot.services.len(), 6);
}

#[test]
fn ipv4_service_with_masq_and_route_servers() {
    let l = listing(Some(100));
    let s = &l.snapshot.services[0];
    assert_eq!(
        s.config.key,
        ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr: v4("192.0.2.1"),
            port: 80
        }
    );
    assert_eq!(
        (
            s.config.scheduler.as_str(),
            s.config.one_packet,
            s.config.persistence
        ),
        ("rr", false, None)
    );
    assert_eq!(s.config.netmask, Netmask::host(Family::Inet));
    assert_eq!(s.stats, Stats::default());
    let d = &s.dests[1];
    assert_eq!(
        (
            d.config.addr,
            d.config.port,
            d.config.forward,
            d.config.weight
        ),
        (v4("192.0.2.11"), 8080, Forward::Masq, 3)
    );
    assert_eq!(
        (d.active_conns, d.inact_conns, d.persist_conns),
        (12, 40, 0)
    );
    assert_eq!(
        (s.dests[0].config.forward, s.dests[0].config.weight),
        (Forward::Route, 0)
    );
}

#[test]
fn ops_and_persistence_with_a_mask() {
    let s = &listing(Some(100)).snapshot.services[1];
    assert_eq!(
        s.config.key,
        ServiceKey::Addr {
            protocol: Protocol::Udp,
            addr: v4("192.0.2.2"),
            port: 53
        }
    );
    assert!(s.config.one_packet);
    assert_eq!(s.config.persistence, Some(60));
    assert_eq!(
        s.config.netmask,
        Netmask::V4(Ipv4Addr::new(255, 255, 255, 0))
    );
    let d = &s.dests[0];
    assert_eq!(
        d.config.forward,
        Forward::Tunnel {
            tun_type: TunnelType::Ipip,
            port: 0,
            csum: TunnelCsum::NoCsum
        }
    );
    assert_eq!(d.config.weight, 70000);
}

#[test]
fn ipv6_service_and_its_byte_swapped_prefix() {
    let s = &listing(Some(100)).snapshot.services[2];
    assert_eq!(
        s.config.key,
        ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr: "2001:db8::1".parse().unwrap(),
            port: 443
        }
    );
    assert_eq!(
        (s.config.persistence, s.config.netmask),
        (Some(360), Netmask::V6(64))
    );
    assert_eq!(
        s.dests[0].config.addr,
        "2001:db8::11".parse::<IpAddr>().unwrap()
    );
    // A big-endian host prints the prefix as it is.
    let be = FIXTURE.replace("36000 40000000", "36000 00000040");
    assert_eq!(
        parse_ip_vs(&be, Some(100)).unwrap().snapshot.services[2]
            .config
            .netmask,
        Netmask::V6(64)
    );
}

#[test]
fn sctp_unbound_scheduler_and_local_server() {
    let s = &listing(Some(100)).snapshot.services[3];
    assert_eq!(s.config.key.protocol(), Some(Protocol::Sctp));
    assert_eq!(s.config.scheduler, "none");
    assert_eq!(s.dests[0].config.forward, Forward::Local);
}

#[test]
fn fwmark_family_follows_its_real_servers() {
    let l = listing(Some(100));
    let (f4, f6) = (&l.snapshot.services[4], &l.snapshot.services[5]);
    assert_eq!(
        f4.config.key,
        ServiceKey::Fwmark {
            mark: 7,
            family: Family::Inet
        }
    );
    assert_eq!(
        (f4.config.scheduler.as_str(), f4.dests[0].config.port),
        ("lc", 0)
    );
    assert_eq!(
        f6.config.key,
        ServiceKey::Fwmark {
            mark: 9,
            family: Family::Inet6
        }
    );
    assert_eq!(
        (f6.config.persistence, f6.config.netmask),
        (Some(20), Netmask::V6(128))
    );
}

#[test]
fn one_mark_twice_is_one_service_of_each_family() {
    let text =
        "IP Virtual Server version 1.2.1 (size=4096)\nFWM  00000007 rr \nFWM  00000007 rr \n";
    let keys: Vec<ServiceKey> = parse_ip_vs(text, None)
        .unwrap()
        .snapshot
        .services
        .iter()
        .map(|s| s.config.key)
        .collect();
    assert_eq!(
        keys,
        [
            ServiceKey::Fwmark {
                mark: 7,
                family: Family::Inet
            },
            ServiceKey::Fwmark {
                mark: 7,
                family: Family::Inet6
            }
        ]
    );
}

#[test]
fn without_hz_persistence_is_left_out() {
    let l = listing(None);
    assert!(
        l.snapshot
            .services
            .iter()
            .all(|s| s.config.persistence.is_none())
    );
    assert_eq!(
        l.snapshot.services[1].config.netmask,
        Netmask::host(Family::Inet)
    );
    // A timeout under one tick's worth of seconds still reads as persistent.
    let short = FIXTURE.replace("persistent 6000", "persistent 50");
    assert_eq!(
        parse_ip_vs(&short, Some(100)).unwrap().snapshot.services[1]
            .config
            .persistence,
        Some(1)
    );
}

mod edges;
