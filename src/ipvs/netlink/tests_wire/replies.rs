//! Decoding replies built byte by byte as the kernel sends them, and the errors of missing
//! attributes.

use super::*;

/// A GET_SERVICE dump entry as the kernel writes it: no NLA_F_NESTED, IPv4 address in 16 bytes,
/// HASHED set, a PAD inside STATS64, and an attribute from the future.
fn kernel_service_attrs(with_stats64: bool) -> Vec<u8> {
    let mut addr = [0u8; 16];
    addr[..4].copy_from_slice(&[10, 0, 0, 1]);
    let mut flags = Vec::from(2u32.to_ne_bytes());
    flags.extend_from_slice(&u32::MAX.to_ne_bytes());
    let mut legacy = nla(1, &5u32.to_ne_bytes());
    legacy.extend(nla(4, &1_000u64.to_ne_bytes()));
    let mut wide = nla(11, &[]);
    wide.extend(nla(1, &0x1_0000_0005u64.to_ne_bytes()));
    wide.extend(nla(11, &[]));
    wide.extend(nla(4, &0x2_0000_0000u64.to_ne_bytes()));
    let mut svc = [
        nla(1, &2u16.to_ne_bytes()),
        nla(2, &6u16.to_ne_bytes()),
        nla(3, &addr),
        nla(4, &80u16.to_be_bytes()),
        nla(6, b"wlc\0"),
        nla(7, &flags),
        nla(8, &0u32.to_ne_bytes()),
        nla(9, &[255, 255, 255, 0]),
        nla(10, &legacy),
        nla(99, b"new"),
    ]
    .concat();
    if with_stats64 {
        svc.extend(nla(12, &wide));
    }
    nla(1, &svc)
}

#[test]
fn decodes_a_kernel_service_reply() {
    let msg = deserialize(&kernel_packet(
        0x25,
        cmd::NEW_SERVICE,
        &kernel_service_attrs(true),
    ));
    let svc = decode::service_message(&msg).unwrap();
    let mut want = ServiceConfig::new(tcp("10.0.0.1", 80));
    want.netmask = Netmask::V4("255.255.255.0".parse().unwrap());
    assert_eq!(svc.config, want, "HASHED must not show up as a model flag");
    assert_eq!(svc.stats.conns, 0x1_0000_0005, "STATS64 wins over STATS");
    assert_eq!(svc.stats.inbytes, 0x2_0000_0000);
    let legacy = decode::service_message(&deserialize(&kernel_packet(
        0x25,
        1,
        &kernel_service_attrs(false),
    )))
    .unwrap();
    assert_eq!(
        (legacy.stats.conns, legacy.stats.inbytes),
        (5, 1_000),
        "STATS when there is no STATS64"
    );
}

#[test]
fn decodes_kernel_dest_replies_with_and_without_address_family() {
    let mut addr = [0u8; 16];
    addr[..4].copy_from_slice(&[10, 0, 0, 2]);
    let mut wide = Vec::new();
    for (kind, v) in [(1u16, 3u64), (2, 0x1_2345_6789), (4, 0xffff_ffff_ffff)] {
        wide.extend(nla(11, &[]));
        wide.extend(nla(kind, &v.to_ne_bytes()));
    }
    let base = [
        nla(1, &addr),
        nla(2, &8080u16.to_be_bytes()),
        nla(3, &2u32.to_ne_bytes()),
        nla(4, &i32::MAX.to_ne_bytes()),
        nla(13, &[1]),
        nla(14, &6080u16.to_be_bytes()),
        nla(15, &2u16.to_ne_bytes()),
        nla(5, &100u32.to_ne_bytes()),
        nla(6, &50u32.to_ne_bytes()),
        nla(7, &4u32.to_ne_bytes()),
        nla(8, &5u32.to_ne_bytes()),
        nla(9, &6u32.to_ne_bytes()),
        nla(12, &wide),
    ]
    .concat();
    // An old kernel: no DEST_ATTR_ADDR_FAMILY, so the service's family applies.
    let msg = deserialize(&kernel_packet(0x25, cmd::NEW_DEST, &nla(2, &base)));
    let d = decode::dest_message(&msg, Family::Inet).unwrap();
    assert_eq!(
        d.config.addr,
        "10.0.0.2".parse::<std::net::IpAddr>().unwrap()
    );
    assert_eq!(d.config.port, 8080);
    assert_eq!(
        d.config.forward,
        Forward::Tunnel {
            tun_type: TunnelType::Gue,
            port: 6080,
            csum: TunnelCsum::RemCsum
        }
    );
    assert_eq!(
        (d.config.weight, d.config.u_threshold, d.config.l_threshold),
        (i32::MAX as u32, 100, 50)
    );
    assert_eq!((d.active_conns, d.inact_conns, d.persist_conns), (4, 5, 6));
    assert_eq!(
        (d.stats.conns, d.stats.inpkts, d.stats.inbytes),
        (3, 0x1_2345_6789, 0xffff_ffff_ffff)
    );
    // A current kernel says IPv4 explicitly, even inside an IPv6 service (tunnel to a v4 server).
    let mut with_af = base.clone();
    with_af.extend(nla(11, &2u16.to_ne_bytes()));
    let d = decode::dest_message(
        &deserialize(&kernel_packet(0x25, 5, &nla(2, &with_af))),
        Family::Inet6,
    )
    .unwrap();
    assert_eq!(
        d.config.addr,
        "10.0.0.2".parse::<std::net::IpAddr>().unwrap()
    );
}

#[test]
fn decodes_kernel_daemon_info_and_config_replies() {
    let daemon = [
        nla(1, &1u32.to_ne_bytes()),
        nla(2, b"lo\0"),
        nla(3, &7u32.to_ne_bytes()),
        nla(4, &1472u16.to_ne_bytes()),
        nla(7, &8848u16.to_ne_bytes()),
        nla(8, &[1]),
        nla(5, &[224, 0, 0, 81]),
    ]
    .concat();
    let d = decode::daemon_message(&deserialize(&kernel_packet(
        0x25,
        cmd::NEW_DAEMON,
        &nla(3, &daemon),
    )))
    .unwrap();
    assert_eq!(d.state, SyncState::Master);
    assert_eq!(
        (
            d.mcast_ifn.as_str(),
            d.sync_id,
            d.sync_maxlen,
            d.mcast_port,
            d.mcast_ttl
        ),
        ("lo", 7, 1472, 8848, 1)
    );
    assert_eq!(d.mcast_group, Some("224.0.0.81".parse().unwrap()));
    // GET_INFO answers with SET_INFO, whose top-level 1 and 2 are not SERVICE and DEST.
    let info = [
        nla(1, &0x010201u32.to_ne_bytes()),
        nla(2, &4096u32.to_ne_bytes()),
    ]
    .concat();
    let info =
        decode::info_message(&deserialize(&kernel_packet(0x25, cmd::SET_INFO, &info))).unwrap();
    assert_eq!(
        (info.version_string().as_str(), info.conn_tab_size),
        ("1.2.1", 4096)
    );
    let config = [
        nla(4, &900u32.to_ne_bytes()),
        nla(5, &120u32.to_ne_bytes()),
        nla(6, &300u32.to_ne_bytes()),
    ]
    .concat();
    let t = decode::timeouts_message(&deserialize(&kernel_packet(0x25, cmd::SET_CONFIG, &config)));
    assert_eq!(
        t,
        Timeouts {
            tcp: 900,
            tcp_fin: 120,
            udp: 300
        }
    );
}

#[test]
fn missing_required_attributes_are_decode_errors_that_say_what() {
    let no_sched = [
        nla(1, &2u16.to_ne_bytes()),
        nla(5, &3u32.to_ne_bytes()),
        nla(7, &[0u8; 8]),
        nla(8, &[0u8; 4]),
        nla(9, &[255u8; 4]),
    ]
    .concat();
    let err = decode::service_message(&deserialize(&kernel_packet(0x25, 1, &nla(1, &no_sched))))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode(m) if m.contains("scheduler")),
        "{err}"
    );
    let empty = deserialize(&kernel_packet(0x25, 1, &[]));
    assert!(
        matches!(decode::service_message(&empty), Err(Error::Decode(m)) if m.contains("carries no service"))
    );
    let no_weight = [
        nla(1, &[0u8; 16]),
        nla(2, &[0, 80]),
        nla(3, &0u32.to_ne_bytes()),
    ]
    .concat();
    let err = decode::dest_message(
        &deserialize(&kernel_packet(0x25, 5, &nla(2, &no_weight))),
        Family::Inet,
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::Decode(m) if m.contains("weight")),
        "{err}"
    );
    let bad_proto = [nla(1, &2u16.to_ne_bytes()), nla(2, &1u16.to_ne_bytes())].concat();
    let err = decode::service_message(&deserialize(&kernel_packet(0x25, 1, &nla(1, &bad_proto))))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode(m) if m.contains("protocol 1")),
        "{err}"
    );
    let err =
        decode::info_message(&deserialize(&kernel_packet(0x25, cmd::SET_INFO, &[]))).unwrap_err();
    assert!(
        matches!(&err, Error::Decode(m) if m.contains("INFO_ATTR_VERSION")),
        "{err}"
    );
}
