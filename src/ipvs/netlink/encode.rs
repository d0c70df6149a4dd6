//! Model -> IPVS attributes and request messages: exactly what we send the kernel for each change.

use super::attrs::IpvsAttr;
use super::daemon_attrs::DaemonAttr;
use super::dest_attrs::DestAttr;
use super::message::{IpvsMessage, cmd};
use super::service_attrs::{SVC_F_ONEPACKET, SVC_F_PERSISTENT, SvcAttr};
use crate::ipvs::error::{Error, Result};
use crate::ipvs::model::{
    DestConfig, DestKey, Family, Forward, Netmask, ServiceConfig, ServiceKey, SyncDaemon,
    SyncState, Timeouts,
};
use crate::ipvs::op::IpvsOp;
use std::net::IpAddr;

/// `union nf_inet_addr`: IPv4 in the first four bytes, then zeros; always 16 bytes, like libipvs.
pub fn addr16(addr: &IpAddr) -> [u8; 16] {
    let mut out = [0u8; 16];
    match addr {
        IpAddr::V4(a) => out[..4].copy_from_slice(&a.octets()),
        IpAddr::V6(a) => out = a.octets(),
    }
    out
}

/// What names a service in every service-scoped command: AF plus FWMARK, or PROTOCOL+ADDR+PORT.
pub fn service_key(key: &ServiceKey) -> Result<Vec<SvcAttr>> {
    Ok(match key {
        // A FWMARK of 0 is read by the kernel as "TCP 0.0.0.0:0": it would silently address
        // (or create) a different service, so it never leaves this process.
        ServiceKey::Fwmark { mark: 0, .. } => {
            return Err(Error::Refused(
                "fwmark 0 is not a valid service mark (use 1 to 4294967295)".into(),
            ));
        }
        ServiceKey::Fwmark { mark, family } => {
            vec![SvcAttr::Af(family.af()), SvcAttr::Fwmark(*mark)]
        }
        ServiceKey::Addr {
            protocol,
            addr,
            port,
        } => vec![
            SvcAttr::Af(Family::of(addr).af()),
            SvcAttr::Protocol(protocol.number()),
            SvcAttr::Addr(addr16(addr)),
            SvcAttr::Port(*port),
        ],
    })
}

/// IPv4: the mask octets as they are (big-endian); IPv6: the prefix length as a host u32.
pub fn netmask(family: Family, mask: &Netmask) -> Result<[u8; 4]> {
    match (family, mask) {
        (Family::Inet, Netmask::V4(m)) => Ok(m.octets()),
        (Family::Inet6, Netmask::V6(p)) => Ok(u32::from(*p).to_ne_bytes()),
        (f, m) => Err(Error::Refused(format!(
            "netmask {m} does not fit an {f} service"
        ))),
    }
}

/// The service flag word; the mask sent beside it is always all ones (replace every flag).
pub fn service_flags(cfg: &ServiceConfig) -> u32 {
    let persistent = if cfg.persistence.is_some() {
        SVC_F_PERSISTENT
    } else {
        0
    };
    let one_packet = if cfg.one_packet { SVC_F_ONEPACKET } else { 0 };
    persistent | one_packet | cfg.sched_flags.bits()
}

/// The full service as NEW_SERVICE and SET_SERVICE need it. SET_SERVICE replaces scheduler, PE,
/// timeout and netmask, so everything is always sent: omitting PE_NAME would drop the PE.
pub fn service(cfg: &ServiceConfig) -> Result<Vec<SvcAttr>> {
    let mut attrs = service_key(&cfg.key)?;
    attrs.push(SvcAttr::SchedName(cfg.scheduler.clone()));
    if let Some(pe) = &cfg.pe {
        attrs.push(SvcAttr::PeName(pe.clone()));
    }
    attrs.push(SvcAttr::Flags {
        flags: service_flags(cfg),
        mask: !0,
    });
    attrs.push(SvcAttr::Timeout(cfg.persistence.unwrap_or(0)));
    attrs.push(SvcAttr::Netmask(netmask(cfg.key.family(), &cfg.netmask)?));
    Ok(attrs)
}

/// What names a real server within its service.
pub fn dest_key(addr: &IpAddr, port: u16) -> Vec<DestAttr> {
    vec![
        DestAttr::AddrFamily(Family::of(addr).af()),
        DestAttr::Addr(addr16(addr)),
        DestAttr::Port(port),
    ]
}

/// The full real server as NEW_DEST and SET_DEST need it. The tunnel attributes are always sent,
/// because SET_DEST without them resets a GUE/GRE server to ipip, port 0, no checksum.
pub fn dest(d: &DestConfig) -> Vec<DestAttr> {
    let (tun_type, tun_port, tun_flags) = match d.forward {
        Forward::Tunnel {
            tun_type,
            port,
            csum,
        } => (tun_type.number(), port, csum.bits()),
        Forward::Masq | Forward::Route | Forward::Local => (0, 0, 0),
    };
    let mut attrs = dest_key(&d.addr, d.port);
    attrs.extend([
        DestAttr::FwdMethod(d.forward.method_number()),
        DestAttr::Weight(d.weight),
        DestAttr::TunType(tun_type),
        DestAttr::TunPort(tun_port),
        DestAttr::TunFlags(tun_flags),
        DestAttr::UThresh(d.u_threshold),
        DestAttr::LThresh(d.l_threshold),
    ]);
    attrs
}

/// Starting a daemon: the optional settings are sent only when set, as libipvs does, so the
/// kernel applies its own defaults (MTU-derived length, port 8848, TTL 1, group 224.0.0.81).
pub fn daemon(d: &SyncDaemon) -> Vec<DaemonAttr> {
    let mut attrs = vec![
        DaemonAttr::State(d.state.number()),
        DaemonAttr::McastIfn(d.mcast_ifn.clone()),
        DaemonAttr::SyncId(u32::from(d.sync_id)),
    ];
    if d.sync_maxlen != 0 {
        attrs.push(DaemonAttr::SyncMaxlen(d.sync_maxlen));
    }
    if d.mcast_port != 0 {
        attrs.push(DaemonAttr::McastPort(d.mcast_port));
    }
    if d.mcast_ttl != 0 {
        attrs.push(DaemonAttr::McastTtl(d.mcast_ttl));
    }
    match d.mcast_group {
        Some(IpAddr::V4(g)) => attrs.push(DaemonAttr::McastGroup(g.octets())),
        Some(IpAddr::V6(g)) => attrs.push(DaemonAttr::McastGroup6(g.octets())),
        None => {}
    }
    attrs
}

/// Stopping a daemon: the kernel needs STATE only; like libipvs we also name the interface and
/// sync id, taken from the running daemon when we know it.
pub fn daemon_stop(state: SyncState, running: Option<&SyncDaemon>) -> Vec<DaemonAttr> {
    let mut attrs = vec![DaemonAttr::State(state.number())];
    if let Some(d) = running {
        attrs.push(DaemonAttr::McastIfn(d.mcast_ifn.clone()));
        attrs.push(DaemonAttr::SyncId(u32::from(d.sync_id)));
    }
    attrs
}

/// All three always go out; 0 tells the kernel to leave that one unchanged.
pub fn timeouts(t: &Timeouts) -> Vec<IpvsAttr> {
    vec![
        IpvsAttr::TimeoutTcp(t.tcp),
        IpvsAttr::TimeoutTcpFin(t.tcp_fin),
        IpvsAttr::TimeoutUdp(t.udp),
    ]
}

/// The one message that carries out `op`. (StopDaemon here names the state only; the backend
/// uses `daemon_stop` with the running daemon to add interface and sync id.)
pub fn request(op: &IpvsOp) -> Result<IpvsMessage> {
    let svc_key = |k: &ServiceKey| service_key(k).map(IpvsAttr::Service);
    Ok(match op {
        IpvsOp::AddService(s) => {
            IpvsMessage::new(cmd::NEW_SERVICE, vec![IpvsAttr::Service(service(s)?)])
        }
        IpvsOp::EditService(s) => {
            IpvsMessage::new(cmd::SET_SERVICE, vec![IpvsAttr::Service(service(s)?)])
        }
        IpvsOp::DeleteService(k) => IpvsMessage::new(cmd::DEL_SERVICE, vec![svc_key(k)?]),
        IpvsOp::AddDest { service, dest: d } => IpvsMessage::new(
            cmd::NEW_DEST,
            vec![svc_key(service)?, IpvsAttr::Dest(dest(d))],
        ),
        IpvsOp::EditDest { service, dest: d } => IpvsMessage::new(
            cmd::SET_DEST,
            vec![svc_key(service)?, IpvsAttr::Dest(dest(d))],
        ),
        IpvsOp::DeleteDest {
            service,
            dest: DestKey { addr, port },
        } => IpvsMessage::new(
            cmd::DEL_DEST,
            vec![svc_key(service)?, IpvsAttr::Dest(dest_key(addr, *port))],
        ),
        // Without a service nest ZERO clears every counter; with one, only that service's.
        IpvsOp::Zero(None) => IpvsMessage::new(cmd::ZERO, vec![]),
        IpvsOp::Zero(Some(k)) => IpvsMessage::new(cmd::ZERO, vec![svc_key(k)?]),
        IpvsOp::Flush => IpvsMessage::new(cmd::FLUSH, vec![]),
        IpvsOp::SetTimeouts(t) => IpvsMessage::new(cmd::SET_CONFIG, timeouts(t)),
        IpvsOp::StartDaemon(d) => {
            IpvsMessage::new(cmd::NEW_DAEMON, vec![IpvsAttr::Daemon(daemon(d))])
        }
        IpvsOp::StopDaemon(state) => IpvsMessage::new(
            cmd::DEL_DAEMON,
            vec![IpvsAttr::Daemon(daemon_stop(*state, None))],
        ),
    })
}
