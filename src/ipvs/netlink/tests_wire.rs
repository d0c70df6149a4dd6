//! Test-only: exact bytes we send, and decoding replies built byte by byte as the kernel sends them.

use super::fixtures::{kernel_packet, nla};
use super::*;
use crate::ipvs::error::Error;
use crate::ipvs::model::*;
use crate::ipvs::op::IpvsOp;
use netlink_packet_core::{NLM_F_ACK, NLM_F_REQUEST, NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::GenlMessage;

fn tcp(addr: &str, port: u16) -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: addr.parse().unwrap(),
        port,
    }
}

fn serialize(msg: IpvsMessage, family: u16, flags: u16, seq: u32) -> Vec<u8> {
    let mut genl = GenlMessage::from_payload(msg);
    genl.set_resolved_family_id(family);
    let mut nl = NetlinkMessage::from(genl);
    nl.header.flags = flags;
    nl.header.sequence_number = seq;
    nl.finalize();
    let mut buf = vec![0u8; nl.buffer_len()];
    nl.serialize(&mut buf);
    buf
}

fn deserialize(bytes: &[u8]) -> IpvsMessage {
    match NetlinkMessage::<GenlMessage<IpvsMessage>>::deserialize(bytes)
        .expect("parses")
        .payload
    {
        NetlinkPayload::InnerMessage(g) => g.payload,
        other => panic!("not an IPVS message: {other:?}"),
    }
}

/// Reference §8.3: NEW_SERVICE TCP 10.0.0.1:80 wlc, family id 0x25, seq 1.
#[test]
#[cfg(target_endian = "little")]
fn new_service_bytes_match_the_reference_dump() {
    let op = IpvsOp::AddService(ServiceConfig::new(tcp("10.0.0.1", 80)));
    let bytes = serialize(
        encode::request(&op).unwrap(),
        0x25,
        NLM_F_REQUEST | NLM_F_ACK,
        1,
    );
    let expected: [u8; 0x68] = [
        0x68, 0, 0, 0, 0x25, 0, 0x05, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, //
        0x01, 0x01, 0, 0, 0x54, 0, 0x01, 0x80, 0x06, 0, 0x01, 0, 0x02, 0, 0, 0, //
        0x06, 0, 0x02, 0, 0x06, 0, 0, 0, 0x14, 0, 0x03, 0, 0x0a, 0, 0, 0x01, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x06, 0, 0x04, 0, //
        0x00, 0x50, 0, 0, 0x08, 0, 0x06, 0, 0x77, 0x6c, 0x63, 0, 0x0c, 0, 0x07, 0, //
        0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x08, 0, 0x08, 0, 0, 0, 0, 0, //
        0x08, 0, 0x09, 0, 0xff, 0xff, 0xff, 0xff,
    ];
    assert_eq!(bytes, expected);
}

#[test]
fn edit_service_resends_everything_including_the_pe() {
    let mut s = ServiceConfig::new(ServiceKey::Addr {
        protocol: Protocol::Udp,
        addr: "2001:db8::1".parse().unwrap(),
        port: 5060,
    });
    s.scheduler = "rr".into();
    s.persistence = Some(300);
    s.pe = Some("sip".into());
    s.netmask = Netmask::V6(64);
    let msg = encode::request(&IpvsOp::EditService(s)).unwrap();
    assert_eq!(msg.cmd, cmd::SET_SERVICE);
    let IpvsAttr::Service(attrs) = &msg.attrs[0] else {
        panic!("no service nest")
    };
    assert!(attrs.contains(&SvcAttr::SchedName("rr".into())));
    assert!(attrs.contains(&SvcAttr::PeName("sip".into())));
    assert!(attrs.contains(&SvcAttr::Flags { flags: 1, mask: !0 }));
    assert!(attrs.contains(&SvcAttr::Timeout(300)));
    // IPv6: the prefix length as a host-order u32, never a 16-byte mask.
    assert!(attrs.contains(&SvcAttr::Netmask(64u32.to_ne_bytes())));
}

#[test]
fn fwmark_services_carry_af_and_mark_only_and_mark_zero_never_leaves() {
    let key = ServiceKey::Fwmark {
        mark: 7,
        family: Family::Inet6,
    };
    assert_eq!(
        encode::service_key(&key).unwrap(),
        vec![SvcAttr::Af(10), SvcAttr::Fwmark(7)]
    );
    let zero = ServiceKey::Fwmark {
        mark: 0,
        family: Family::Inet,
    };
    for op in [
        IpvsOp::DeleteService(zero),
        IpvsOp::Zero(Some(zero)),
        IpvsOp::AddService(ServiceConfig::new(zero)),
    ] {
        assert!(matches!(encode::request(&op), Err(Error::Refused(m)) if m.contains("fwmark 0")));
    }
}

#[test]
fn edit_dest_always_resends_the_tunnel_attributes() {
    let mut d = DestConfig::new("10.0.0.2".parse().unwrap(), 80);
    d.forward = Forward::Tunnel {
        tun_type: TunnelType::Gue,
        port: 6080,
        csum: TunnelCsum::Csum,
    };
    let msg = encode::request(&IpvsOp::EditDest {
        service: tcp("10.0.0.1", 80),
        dest: d,
    })
    .unwrap();
    assert_eq!(msg.cmd, cmd::SET_DEST);
    let IpvsAttr::Dest(attrs) = &msg.attrs[1] else {
        panic!("no dest nest")
    };
    for a in [
        DestAttr::FwdMethod(2),
        DestAttr::TunType(1),
        DestAttr::TunPort(6080),
        DestAttr::TunFlags(1),
    ] {
        assert!(attrs.contains(&a), "{a:?} missing");
    }
    d.forward = Forward::Masq;
    let IpvsAttr::Dest(attrs) = &encode::request(&IpvsOp::EditDest {
        service: tcp("10.0.0.1", 80),
        dest: d,
    })
    .unwrap()
    .attrs[1] else {
        panic!()
    };
    assert!(attrs.contains(&DestAttr::TunType(0)) && attrs.contains(&DestAttr::TunPort(0)));
}

#[test]
fn zero_flush_timeouts_and_daemon_stop_requests() {
    assert_eq!(
        encode::request(&IpvsOp::Zero(None)).unwrap(),
        IpvsMessage::new(cmd::ZERO, vec![])
    );
    let zero_one = encode::request(&IpvsOp::Zero(Some(tcp("10.0.0.1", 80)))).unwrap();
    assert!(matches!(&zero_one.attrs[..], [IpvsAttr::Service(_)]));
    assert_eq!(
        encode::request(&IpvsOp::Flush).unwrap(),
        IpvsMessage::new(cmd::FLUSH, vec![])
    );
    let t = encode::request(&IpvsOp::SetTimeouts(Timeouts {
        tcp: 900,
        tcp_fin: 0,
        udp: 300,
    }))
    .unwrap();
    assert_eq!(
        t.attrs,
        vec![
            IpvsAttr::TimeoutTcp(900),
            IpvsAttr::TimeoutTcpFin(0),
            IpvsAttr::TimeoutUdp(300)
        ]
    );
    let running = SyncDaemon {
        state: SyncState::Master,
        mcast_ifn: "lo".into(),
        sync_id: 9,
        sync_maxlen: 0,
        mcast_group: None,
        mcast_port: 0,
        mcast_ttl: 0,
    };
    assert_eq!(
        encode::daemon_stop(SyncState::Master, Some(&running)),
        vec![
            DaemonAttr::State(1),
            DaemonAttr::McastIfn("lo".into()),
            DaemonAttr::SyncId(9)
        ]
    );
    assert_eq!(
        encode::daemon_stop(SyncState::Backup, None),
        vec![DaemonAttr::State(2)]
    );
}

mod replies;
