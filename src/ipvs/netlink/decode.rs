//! IPVS attributes -> model: turns the kernel's replies into Services, Dests, daemons and info.
//!
//! Every reply attribute is optional on the wire, so each required one is checked and a missing
//! one becomes `Error::Decode` naming what was missing; nothing here can panic.

use super::attrs::IpvsAttr;
use super::daemon_attrs::DaemonAttr;
use super::dest_attrs::{CONN_F_FWD_MASK, DestAttr};
use super::message::IpvsMessage;
use super::service_attrs::{SVC_F_ONEPACKET, SVC_F_PERSISTENT, SvcAttr};
use super::stats_attrs::{StatKind, StatsAttr};
use crate::ipvs::error::{Error, Result};
use crate::ipvs::model::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn need<T>(value: Option<T>, what: &str, attr: &str) -> Result<T> {
    value.ok_or_else(|| Error::Decode(format!("{what} is missing {attr}")))
}

fn family(af: u16, what: &str) -> Result<Family> {
    Family::from_af(af)
        .ok_or_else(|| Error::Decode(format!("{what} has unknown address family {af}")))
}

/// The family decides, never the length: the kernel sends IPv4 as 16 bytes too.
pub fn addr(family: Family, raw: &[u8; 16]) -> IpAddr {
    match family {
        Family::Inet => IpAddr::V4(Ipv4Addr::new(raw[0], raw[1], raw[2], raw[3])),
        Family::Inet6 => IpAddr::V6(Ipv6Addr::from(*raw)),
    }
}

pub fn netmask(family: Family, raw: [u8; 4]) -> Result<Netmask> {
    match family {
        Family::Inet => Ok(Netmask::V4(Ipv4Addr::from(raw))),
        Family::Inet6 => match u32::from_ne_bytes(raw) {
            p @ 1..=128 => Ok(Netmask::V6(p as u8)),
            p => Err(Error::Decode(format!(
                "IPv6 service has prefix length {p} (expected 1 to 128)"
            ))),
        },
    }
}

/// The 64-bit nest when the kernel sent one (4.x and later), else the legacy one.
pub fn stats(stats32: Option<&[StatsAttr]>, stats64: Option<&[StatsAttr]>) -> Stats {
    let mut out = Stats::default();
    for (kind, v) in stats64
        .or(stats32)
        .unwrap_or_default()
        .iter()
        .filter_map(StatsAttr::value)
    {
        let field = match kind {
            StatKind::Conns => &mut out.conns,
            StatKind::InPkts => &mut out.inpkts,
            StatKind::OutPkts => &mut out.outpkts,
            StatKind::InBytes => &mut out.inbytes,
            StatKind::OutBytes => &mut out.outbytes,
            StatKind::Cps => &mut out.cps,
            StatKind::InPps => &mut out.inpps,
            StatKind::OutPps => &mut out.outpps,
            StatKind::InBps => &mut out.inbps,
            StatKind::OutBps => &mut out.outbps,
        };
        *field = v;
    }
    out
}

/// A service nest; `dests` is left empty (they come from a separate GET_DEST dump).
pub fn service(attrs: &[SvcAttr]) -> Result<Service> {
    let (mut af, mut proto, mut raw_addr, mut port, mut fwmark) = (None, None, None, None, None);
    let (mut sched, mut flags, mut timeout, mut raw_mask, mut pe) = (None, None, None, None, None);
    let (mut s32, mut s64) = (None, None);
    for a in attrs {
        match a {
            SvcAttr::Af(v) => af = Some(*v),
            SvcAttr::Protocol(v) => proto = Some(*v),
            SvcAttr::Addr(v) => raw_addr = Some(v),
            SvcAttr::Port(v) => port = Some(*v),
            SvcAttr::Fwmark(v) => fwmark = Some(*v),
            SvcAttr::SchedName(v) => sched = Some(v),
            SvcAttr::Flags { flags: f, mask } => flags = Some(f & mask),
            SvcAttr::Timeout(v) => timeout = Some(*v),
            SvcAttr::Netmask(v) => raw_mask = Some(*v),
            SvcAttr::PeName(v) => pe = Some(v),
            SvcAttr::Stats(v) => s32 = Some(v.as_slice()),
            SvcAttr::Stats64(v) => s64 = Some(v.as_slice()),
            SvcAttr::Other(_) => {}
        }
    }
    let what = "a service in the kernel's reply";
    let fam = family(need(af, what, "its address family (SVC_ATTR_AF)")?, what)?;
    let key = match fwmark {
        Some(mark) if mark != 0 => ServiceKey::Fwmark { mark, family: fam },
        _ => {
            let n = need(proto, what, "its protocol (SVC_ATTR_PROTOCOL)")?;
            let protocol = Protocol::from_number(n).ok_or_else(|| {
                Error::Decode(format!(
                    "{what} has protocol {n}, which is not TCP, UDP or SCTP"
                ))
            })?;
            let addr = addr(fam, need(raw_addr, what, "its address (SVC_ATTR_ADDR)")?);
            ServiceKey::Addr {
                protocol,
                addr,
                port: need(port, what, "its port (SVC_ATTR_PORT)")?,
            }
        }
    };
    let flags = need(flags, what, "its flags (SVC_ATTR_FLAGS)")?;
    let timeout = need(timeout, what, "its persistence timeout (SVC_ATTR_TIMEOUT)")?;
    let config = ServiceConfig {
        key,
        scheduler: need(sched, what, "its scheduler (SVC_ATTR_SCHED_NAME)")?.clone(),
        // HASHED and any other internal bit are dropped: only user settings reach the model.
        sched_flags: SchedFlags::from_bits(flags),
        persistence: (flags & SVC_F_PERSISTENT != 0).then_some(timeout),
        one_packet: flags & SVC_F_ONEPACKET != 0,
        pe: pe.filter(|p| !p.is_empty()).cloned(),
        netmask: netmask(fam, need(raw_mask, what, "its netmask (SVC_ATTR_NETMASK)")?)?,
    };
    Ok(Service {
        config,
        stats: stats(s32, s64),
        dests: Default::default(),
    })
}

/// The kernel's own listing names every method other than local, tunnel and route "Masq"
/// (ip_vs_fwd_name); we read the values it does not define (4..7) the same way.
fn forward(method: u32, tun_type: u8, tun_port: u16, tun_flags: u16) -> Result<Forward> {
    Ok(match method & CONN_F_FWD_MASK {
        Forward::LOCALNODE => Forward::Local,
        Forward::DROUTE => Forward::Route,
        Forward::TUNNEL => Forward::Tunnel {
            tun_type: TunnelType::from_number(tun_type).ok_or_else(|| {
                Error::Decode(format!("a real server has unknown tunnel type {tun_type}"))
            })?,
            port: tun_port,
            csum: TunnelCsum::from_bits(tun_flags),
        },
        _ => Forward::Masq,
    })
}

/// A dest nest. Its address family is DEST_ATTR_ADDR_FAMILY, or the service's on old kernels.
pub fn dest(attrs: &[DestAttr], service_family: Family) -> Result<Dest> {
    let (mut raw_addr, mut port, mut fwd, mut weight, mut u, mut l) =
        (None, None, None, None, None, None);
    let (mut active, mut inact, mut persist, mut af) = (None, None, None, None);
    let (mut tun_type, mut tun_port, mut tun_flags, mut s32, mut s64) = (0, 0, 0, None, None);
    for a in attrs {
        match a {
            DestAttr::Addr(v) => raw_addr = Some(v),
            DestAttr::Port(v) => port = Some(*v),
            DestAttr::FwdMethod(v) => fwd = Some(*v),
            DestAttr::Weight(v) => weight = Some(*v),
            DestAttr::UThresh(v) => u = Some(*v),
            DestAttr::LThresh(v) => l = Some(*v),
            DestAttr::ActiveConns(v) => active = Some(*v),
            DestAttr::InactConns(v) => inact = Some(*v),
            DestAttr::PersistConns(v) => persist = Some(*v),
            DestAttr::AddrFamily(v) => af = Some(*v),
            DestAttr::TunType(v) => tun_type = *v,
            DestAttr::TunPort(v) => tun_port = *v,
            DestAttr::TunFlags(v) => tun_flags = *v,
            DestAttr::Stats(v) => s32 = Some(v.as_slice()),
            DestAttr::Stats64(v) => s64 = Some(v.as_slice()),
            DestAttr::Other(_) => {}
        }
    }
    let what = "a real server in the kernel's reply";
    let fam = match af {
        Some(af) if af != 0 => family(af, what)?,
        _ => service_family,
    };
    let config = DestConfig {
        addr: addr(fam, need(raw_addr, what, "its address (DEST_ATTR_ADDR)")?),
        port: need(port, what, "its port (DEST_ATTR_PORT)")?,
        forward: forward(
            need(fwd, what, "its forwarding method (DEST_ATTR_FWD_METHOD)")?,
            tun_type,
            tun_port,
            tun_flags,
        )?,
        weight: need(weight, what, "its weight (DEST_ATTR_WEIGHT)")?,
        u_threshold: need(u, what, "its upper threshold (DEST_ATTR_U_THRESH)")?,
        l_threshold: need(l, what, "its lower threshold (DEST_ATTR_L_THRESH)")?,
    };
    Ok(Dest {
        config,
        active_conns: need(
            active,
            what,
            "its active connections (DEST_ATTR_ACTIVE_CONNS)",
        )?,
        inact_conns: need(
            inact,
            what,
            "its inactive connections (DEST_ATTR_INACT_CONNS)",
        )?,
        persist_conns: need(
            persist,
            what,
            "its persistent connections (DEST_ATTR_PERSIST_CONNS)",
        )?,
        stats: stats(s32, s64),
    })
}

pub fn daemon(attrs: &[DaemonAttr]) -> Result<SyncDaemon> {
    let (mut state, mut ifn, mut sync_id, mut group) = (None, None, None, None);
    let (mut maxlen, mut port, mut ttl) = (0, 0, 0);
    for a in attrs {
        match a {
            DaemonAttr::State(v) => state = Some(*v),
            DaemonAttr::McastIfn(v) => ifn = Some(v),
            DaemonAttr::SyncId(v) => sync_id = Some(*v),
            DaemonAttr::SyncMaxlen(v) => maxlen = *v,
            DaemonAttr::McastGroup(v) => group = Some(IpAddr::V4(Ipv4Addr::from(*v))),
            DaemonAttr::McastGroup6(v) => group = Some(IpAddr::V6(Ipv6Addr::from(*v))),
            DaemonAttr::McastPort(v) => port = *v,
            DaemonAttr::McastTtl(v) => ttl = *v,
            DaemonAttr::Other(_) => {}
        }
    }
    let what = "a sync daemon in the kernel's reply";
    let state = match need(state, what, "its state (DAEMON_ATTR_STATE)")? {
        1 => SyncState::Master,
        2 => SyncState::Backup,
        n => return Err(Error::Decode(format!("{what} has unknown state {n}"))),
    };
    let id = need(sync_id, what, "its sync id (DAEMON_ATTR_SYNC_ID)")?;
    Ok(SyncDaemon {
        state,
        mcast_ifn: need(ifn, what, "its interface (DAEMON_ATTR_MCAST_IFN)")?.clone(),
        // The kernel keeps the id in 8 bits (the sync protocol carries no more).
        sync_id: u8::try_from(id)
            .map_err(|_| Error::Decode(format!("{what} has sync id {id} (above 255)")))?,
        sync_maxlen: maxlen,
        mcast_group: group,
        mcast_port: port,
        mcast_ttl: ttl,
    })
}

/// The one nest of a dump or doit reply; `pick` selects the wanted kind of nest.
fn nest<'a, T>(
    msg: &'a IpvsMessage,
    what: &str,
    pick: impl Fn(&'a IpvsAttr) -> Option<&'a T>,
) -> Result<&'a T> {
    msg.attrs
        .iter()
        .find_map(pick)
        .ok_or_else(|| Error::Decode(format!("a {what} reply carries no {what}")))
}

pub fn service_message(msg: &IpvsMessage) -> Result<Service> {
    service(nest(msg, "service", |a| {
        if let IpvsAttr::Service(v) = a {
            Some(v)
        } else {
            None
        }
    })?)
}

pub fn dest_message(msg: &IpvsMessage, service_family: Family) -> Result<Dest> {
    dest(
        nest(msg, "real server", |a| {
            if let IpvsAttr::Dest(v) = a {
                Some(v)
            } else {
                None
            }
        })?,
        service_family,
    )
}

pub fn daemon_message(msg: &IpvsMessage) -> Result<SyncDaemon> {
    daemon(nest(msg, "sync daemon", |a| {
        if let IpvsAttr::Daemon(v) = a {
            Some(v)
        } else {
            None
        }
    })?)
}

/// GET_CONFIG. A kernel built without TCP or UDP support omits that timeout; it reads as 0.
pub fn timeouts_message(msg: &IpvsMessage) -> Timeouts {
    let mut t = Timeouts::default();
    for a in &msg.attrs {
        match a {
            IpvsAttr::TimeoutTcp(v) => t.tcp = *v,
            IpvsAttr::TimeoutTcpFin(v) => t.tcp_fin = *v,
            IpvsAttr::TimeoutUdp(v) => t.udp = *v,
            _ => {}
        }
    }
    t
}

pub fn info_message(msg: &IpvsMessage) -> Result<Info> {
    let version = msg.attrs.iter().find_map(|a| {
        if let IpvsAttr::InfoVersion(v) = a {
            Some(*v)
        } else {
            None
        }
    });
    let size = msg.attrs.iter().find_map(|a| {
        if let IpvsAttr::InfoConnTabSize(v) = a {
            Some(*v)
        } else {
            None
        }
    });
    Ok(Info {
        version: need(version, "the IPVS info reply", "INFO_ATTR_VERSION")?,
        conn_tab_size: need(size, "the IPVS info reply", "INFO_ATTR_CONN_TAB_SIZE")?,
    })
}
