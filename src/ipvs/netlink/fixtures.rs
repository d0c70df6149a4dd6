//! Test-only: builds replies the way the kernel does (ip_vs_genl_fill_*), and moves messages
//! through real bytes, so decoding is tested against the wire rather than against our own enums.

use super::attrs::IpvsAttr;
use super::daemon_attrs::DaemonAttr;
use super::dest_attrs::DestAttr;
use super::encode;
use super::message::{IpvsMessage, cmd};
use super::service_attrs::{SVC_F_HASHED, SvcAttr};
use super::stats_attrs::{StatKind, StatsAttr};
use crate::ipvs::model::{Dest, Family, Forward, Service, Stats, SyncDaemon};
use netlink_packet_core::{Emitable, ParseableParametrized};
use netlink_packet_generic::GenlHeader;

fn counters(s: &Stats) -> [(StatKind, u64); 10] {
    [
        (StatKind::Conns, s.conns),
        (StatKind::InPkts, s.inpkts),
        (StatKind::OutPkts, s.outpkts),
        (StatKind::InBytes, s.inbytes),
        (StatKind::OutBytes, s.outbytes),
        (StatKind::Cps, s.cps),
        (StatKind::InPps, s.inpps),
        (StatKind::OutPps, s.outpps),
        (StatKind::InBps, s.inbps),
        (StatKind::OutBps, s.outbps),
    ]
}

/// The legacy nest: counters and rates truncated to 32 bits, bytes kept at 64.
pub fn stats32(s: &Stats) -> Vec<StatsAttr> {
    counters(s)
        .into_iter()
        .map(|(k, v)| match k {
            StatKind::InBytes | StatKind::OutBytes => StatsAttr::U64(k, v),
            _ => StatsAttr::U32(k, v as u32),
        })
        .collect()
}

/// STATS64, with the zero-length PAD the kernel may put before each u64.
pub fn stats64(s: &Stats) -> Vec<StatsAttr> {
    counters(s)
        .into_iter()
        .flat_map(|(k, v)| [StatsAttr::Pad, StatsAttr::U64(k, v)])
        .collect()
}

/// A GET_SERVICE reply: our request encoding plus what only the kernel adds (HASHED, stats).
pub fn service_reply(svc: &Service) -> IpvsMessage {
    let mut attrs = encode::service(&svc.config).expect("fixture services are valid");
    for a in &mut attrs {
        if let SvcAttr::Flags { flags, .. } = a {
            *flags |= SVC_F_HASHED;
        }
    }
    attrs.push(SvcAttr::Stats(stats32(&svc.stats)));
    attrs.push(SvcAttr::Stats64(stats64(&svc.stats)));
    IpvsMessage::new(cmd::NEW_SERVICE, vec![IpvsAttr::Service(attrs)])
}

/// A GET_DEST reply in the kernel's attribute order.
pub fn dest_reply(d: &Dest) -> IpvsMessage {
    let c = &d.config;
    let (tun_type, tun_port, tun_flags) = match c.forward {
        Forward::Tunnel {
            tun_type,
            port,
            csum,
        } => (tun_type.number(), port, csum.bits()),
        _ => (0, 0, 0),
    };
    let attrs = vec![
        DestAttr::Addr(encode::addr16(&c.addr)),
        DestAttr::Port(c.port),
        DestAttr::FwdMethod(c.forward.method_number()),
        DestAttr::Weight(c.weight),
        DestAttr::TunType(tun_type),
        DestAttr::TunPort(tun_port),
        DestAttr::TunFlags(tun_flags),
        DestAttr::UThresh(c.u_threshold),
        DestAttr::LThresh(c.l_threshold),
        DestAttr::ActiveConns(d.active_conns),
        DestAttr::InactConns(d.inact_conns),
        DestAttr::PersistConns(d.persist_conns),
        DestAttr::AddrFamily(Family::of(&c.addr).af()),
        DestAttr::Stats(stats32(&d.stats)),
        DestAttr::Stats64(stats64(&d.stats)),
    ];
    IpvsMessage::new(cmd::NEW_DEST, vec![IpvsAttr::Dest(attrs)])
}

/// A GET_DAEMON reply; the kernel also reports what was left to defaults, we leave those out.
pub fn daemon_reply(d: &SyncDaemon) -> IpvsMessage {
    let attrs: Vec<DaemonAttr> = encode::daemon(d);
    IpvsMessage::new(cmd::NEW_DAEMON, vec![IpvsAttr::Daemon(attrs)])
}

/// Emits the payload and parses it back as the kernel's reply with that command.
pub fn through_bytes(msg: &IpvsMessage) -> IpvsMessage {
    let mut buf = vec![0u8; msg.buffer_len()];
    msg.emit(&mut buf);
    IpvsMessage::parse_with_param(
        &buf,
        GenlHeader {
            cmd: msg.cmd,
            version: 1,
        },
    )
    .expect("our own bytes parse")
}

/// One netlink attribute, by hand: header, value, zero padding to 4 bytes.
pub fn nla(kind: u16, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&((value.len() + 4) as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(value);
    out.resize(out.len().div_ceil(4) * 4, 0);
    out
}

/// A whole netlink message as the kernel sends a dump entry (NLM_F_MULTI), by hand.
pub fn kernel_packet(family_id: u16, command: u8, attrs: &[u8]) -> Vec<u8> {
    let len = (16 + 4 + attrs.len()) as u32;
    let mut out = Vec::new();
    out.extend_from_slice(&len.to_ne_bytes());
    out.extend_from_slice(&family_id.to_ne_bytes());
    out.extend_from_slice(&2u16.to_ne_bytes()); // NLM_F_MULTI
    out.extend_from_slice(&7u32.to_ne_bytes()); // seq
    out.extend_from_slice(&1234u32.to_ne_bytes()); // port id
    out.extend_from_slice(&[command, 1, 0, 0]);
    out.extend_from_slice(attrs);
    out
}
