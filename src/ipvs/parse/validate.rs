//! Whole-value rules: services, real servers, sync daemons and operations, checked field by field
//! and across fields, however they were built.

use super::*;

/// Rules of a whole service that no single field can check.
pub fn validate_service(s: &ServiceConfig) -> Parsed<()> {
    scheduler(&s.scheduler)?;
    if let Some(pe) = &s.pe {
        persistence_engine(pe)?;
    }
    let family = s.key.family();
    match s.key {
        ServiceKey::Fwmark { mark: 0, .. } => {
            return Err(ParseError::new(
                "fwmark",
                "0",
                format!("must be a whole number from 1 to {}", u32::MAX),
            ));
        }
        ServiceKey::Addr { port: 0, .. } if s.persistence.is_none() => {
            return Err(ParseError::combo(
                "port",
                "port 0 (any port) is allowed only for a persistent service",
            ));
        }
        ServiceKey::Addr { addr, .. } if addr.is_unspecified() || addr.is_multicast() => {
            return Err(ParseError::new(
                "virtual service",
                &addr.to_string(),
                "must be a unicast address",
            ));
        }
        _ => {}
    }
    if s.one_packet
        && !matches!(
            s.key,
            ServiceKey::Addr {
                protocol: Protocol::Udp,
                ..
            } | ServiceKey::Fwmark { .. }
        )
    {
        return Err(ParseError::combo(
            "one-packet scheduling",
            "is only for UDP or fwmark services",
        ));
    }
    if let Some(t) = s.persistence {
        number("persistence timeout", &t.to_string(), 1, MAX_TIMEOUT as u64)?;
    }
    match (s.netmask, family) {
        (Netmask::V4(m), Family::Inet) => {
            netmask(&m.to_string(), family)?;
        }
        (Netmask::V6(p), Family::Inet6) => {
            netmask(&p.to_string(), family)?;
        }
        (m, f) => {
            return Err(ParseError::new(
                "netmask",
                &m.to_string(),
                format!("does not fit an {f} service"),
            ));
        }
    }
    Ok(())
}

/// Rules of a real server within its service.
pub fn validate_dest(service: &ServiceKey, d: &DestConfig) -> Parsed<()> {
    let addr = d.addr.to_string();
    if d.addr.is_unspecified() || d.addr.is_multicast() || d.addr == IpAddr::V4(Ipv4Addr::BROADCAST)
    {
        return Err(ParseError::new(
            "real server",
            &addr,
            "must be a unicast address",
        ));
    }
    if Family::of(&d.addr) != service.family() && !matches!(d.forward, Forward::Tunnel { .. }) {
        return Err(ParseError::new(
            "real server",
            &addr,
            format!(
                "is {} but the service is {}; mixing families is allowed only for tunnel forwarding",
                Family::of(&d.addr),
                service.family()
            ),
        ));
    }
    number("weight", &d.weight.to_string(), 0, MAX_WEIGHT as u64)?;
    number(
        "upper threshold",
        &d.u_threshold.to_string(),
        0,
        MAX_THRESHOLD as u64,
    )?;
    number(
        "lower threshold",
        &d.l_threshold.to_string(),
        0,
        MAX_THRESHOLD as u64,
    )?;
    if d.l_threshold > d.u_threshold {
        return Err(ParseError::new(
            "lower threshold",
            &d.l_threshold.to_string(),
            format!("must not be above the upper threshold ({})", d.u_threshold),
        ));
    }
    match d.forward {
        Forward::Local => {
            return Err(ParseError::combo(
                "forwarding method",
                "the local method cannot be set; use masq, route or tunnel",
            ));
        }
        Forward::Tunnel {
            tun_type: TunnelType::Gue,
            port: 0,
            ..
        } => {
            return Err(ParseError::combo(
                "tunnel port",
                "a GUE tunnel needs a port from 1 to 65535",
            ));
        }
        Forward::Tunnel {
            tun_type: TunnelType::Ipip,
            port,
            csum,
        } if port != 0 || csum != TunnelCsum::NoCsum => {
            return Err(ParseError::combo(
                "tunnel options",
                "an ipip tunnel takes no port and no checksum option (they are for gue and gre)",
            ));
        }
        Forward::Tunnel {
            tun_type: TunnelType::Gre,
            port,
            csum,
        } if port != 0 || csum == TunnelCsum::RemCsum => {
            return Err(ParseError::combo(
                "tunnel options",
                "a gre tunnel takes no port and no remote checksum (--tun-remcsum is for gue)",
            ));
        }
        _ => {}
    }
    Ok(())
}

pub fn validate_daemon(d: &SyncDaemon) -> Parsed<()> {
    interface(&d.mcast_ifn)?;
    if let Some(g) = d.mcast_group {
        mcast_group(&g.to_string())?;
    }
    if d.sync_maxlen != 0 {
        sync_maxlen(&d.sync_maxlen.to_string())?;
    }
    Ok(())
}

/// Everything the kernel does not check itself, for a change built anywhere (form, file, JSON).
pub fn validate(op: &IpvsOp) -> Parsed<()> {
    match op {
        IpvsOp::AddService(s) | IpvsOp::EditService(s) => validate_service(s),
        IpvsOp::AddDest { service, dest } | IpvsOp::EditDest { service, dest } => {
            validate_key(service)?;
            validate_dest(service, dest)
        }
        IpvsOp::DeleteService(k)
        | IpvsOp::DeleteDest { service: k, .. }
        | IpvsOp::Zero(Some(k)) => validate_key(k),
        IpvsOp::StartDaemon(d) => validate_daemon(d),
        IpvsOp::SetTimeouts(t) => {
            for (field, v) in [
                ("tcp timeout", t.tcp),
                ("tcpfin timeout", t.tcp_fin),
                ("udp timeout", t.udp),
            ] {
                connection_timeout(field, &v.to_string())?;
            }
            Ok(())
        }
        IpvsOp::Zero(None) | IpvsOp::Flush | IpvsOp::StopDaemon(_) => Ok(()),
    }
}

fn validate_key(k: &ServiceKey) -> Parsed<()> {
    match k {
        ServiceKey::Fwmark { mark: 0, .. } => Err(ParseError::new(
            "fwmark",
            "0",
            format!("must be a whole number from 1 to {}", u32::MAX),
        )),
        _ => Ok(()),
    }
}
