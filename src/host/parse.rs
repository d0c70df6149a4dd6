//! Text -> host changes, with errors that name the field, the value given and what is allowed
//! (the style and the error type of `ipvs::parse`, shared by forms, the command line and plans).

use super::op::HostOp;
use super::sysctl::{self, Allowed, SysctlInfo};
use crate::ipvs::parse::{self as ipvs_parse, ParseError, Parsed};
use std::net::IpAddr;

/// The longest interface name or label the kernel stores (IFNAMSIZ - 1).
const NAME_MAX: usize = 15;

/// A VIP: an IPv4 or IPv6 unicast address with an optional `/PREFIX` (default /32 or /128).
pub fn vip(text: &str) -> Parsed<(IpAddr, u8)> {
    let (addr_text, prefix_text) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let addr: IpAddr = addr_text.parse().map_err(|_| {
        ParseError::new("VIP", text, "must be an IPv4 or IPv6 address with an optional /PREFIX, e.g. 192.0.2.100 or 2001:db8::100/128")
    })?;
    let unicast = match addr {
        IpAddr::V4(a) => !a.is_multicast() && !a.is_broadcast() && !a.is_unspecified(),
        IpAddr::V6(a) => !a.is_multicast() && !a.is_unspecified(),
    };
    if !unicast {
        return Err(ParseError::new(
            "VIP",
            text,
            "must be a unicast address, not multicast, broadcast or unspecified",
        ));
    }
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix_text {
        None => max,
        Some(p) => {
            let family = if addr.is_ipv4() { "IPv4" } else { "IPv6" };
            ipvs_parse::number("VIP prefix", p, 1, max as u64).map_err(|_| {
                ParseError::new(
                    "VIP",
                    text,
                    format!(
                        "the prefix must be a whole number from 1 to {max} for an {family} address"
                    ),
                )
            })? as u8
        }
    };
    Ok((addr, prefix))
}

/// An interface name as the kernel allows it (`ipvs::parse::interface`).
pub fn interface(text: &str) -> Parsed<String> {
    ipvs_parse::interface(text)
}

/// An IPv4 address label as `ip` takes it: the interface name, ':' and a suffix (`eth1:0`).
pub fn label(text: &str, dev: &str, addr: IpAddr) -> Parsed<String> {
    if addr.is_ipv6() {
        return Err(ParseError::new(
            "label",
            text,
            "labels exist only for IPv4 addresses",
        ));
    }
    let suffix = text
        .strip_prefix(dev)
        .and_then(|rest| rest.strip_prefix(':'));
    let ok = text.len() <= NAME_MAX
        && suffix
            .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() && b != b'/'));
    if ok {
        Ok(text.to_string())
    } else {
        Err(ParseError::new(
            "label",
            text,
            format!(
                "must be the interface name, ':' and a suffix, {NAME_MAX} characters at most, e.g. {dev}:0"
            ),
        ))
    }
}

/// `vip add ADDR[/PREFIX] dev IFACE [label L]`.
pub fn add_addr(addr: &str, dev: &str, label_text: Option<&str>) -> Parsed<HostOp> {
    let dev = interface(dev)?;
    let (addr, prefix) = vip(addr)?;
    let label = label_text.map(|l| label(l, &dev, addr)).transpose()?;
    Ok(HostOp::AddAddr {
        dev,
        addr,
        prefix,
        label,
    })
}

/// `vip del ADDR[/PREFIX] dev IFACE`.
pub fn del_addr(addr: &str, dev: &str) -> Parsed<HostOp> {
    let dev = interface(dev)?;
    let (addr, prefix) = vip(addr)?;
    Ok(HostOp::DelAddr { dev, addr, prefix })
}

/// A known LVS-relevant sysctl, in either notation for interfaces with a dot
/// (`net.ipv4.conf.eth0.100.rp_filter` or `.../eth0/100...`); returns it in sysctl notation.
pub fn sysctl_name(text: &str) -> Parsed<(&'static SysctlInfo, String)> {
    let Some((info, name, iface)) = sysctl::lookup(text) else {
        return Err(ParseError::new(
            "sysctl",
            text,
            "not an LVS sysctl that ipvs-tui knows; `ipvs-tui sysctl` lists them",
        ));
    };
    if let Some(iface) = iface {
        interface(&iface)?;
    }
    Ok((info, name))
}

/// A value for the sysctl `name`, checked against what it allows; returns it in canonical form
/// (`01` -> `1`, `3   50` -> `3 50`).
pub fn sysctl_value(info: &SysctlInfo, name: &str, value: &str) -> Parsed<String> {
    let err = || {
        ParseError::new(
            "sysctl",
            &format!("{name}={value}"),
            format!("the value {}", describe(&info.allowed)),
        )
    };
    let number = |t: &str, min: i64, max: i64| {
        ipvs_parse::number("sysctl", t, min as u64, max as u64).map_err(|_| err())
    };
    match info.allowed {
        Allowed::Range { min, max } => number(value, min, max).map(|n| n.to_string()),
        Allowed::OneOf(values) => {
            let n = number(value, 0, i64::MAX)?;
            if values.contains(&(n as i64)) {
                Ok(n.to_string())
            } else {
                Err(err())
            }
        }
        Allowed::ThresholdPeriod => {
            let parts: Vec<&str> = value.split_whitespace().collect();
            let [threshold, period] = parts[..] else {
                return Err(err());
            };
            let (threshold, period) = (
                number(threshold, 0, i32::MAX as i64)?,
                number(period, 0, i32::MAX as i64)?,
            );
            // The kernel's own rule (proc_do_sync_threshold).
            if threshold >= period && period != 0 {
                return Err(err());
            }
            Ok(format!("{threshold} {period}"))
        }
    }
}

/// What `allowed` takes, in words, after "the value".
pub fn describe(allowed: &Allowed) -> String {
    match allowed {
        Allowed::Range { min, max } => format!("must be a whole number from {min} to {max}"),
        Allowed::OneOf([a, b]) => format!("must be {a} or {b}"),
        Allowed::OneOf(values) => {
            format!("must be one of {}", values.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
        }
        Allowed::ThresholdPeriod => {
            "must be two whole numbers THRESHOLD PERIOD, the threshold below the period (or the period 0), e.g. 3 50".to_string()
        }
    }
}

/// `NAME=VALUE`, as `sysctl -w` takes it.
pub fn sysctl_assignment(text: &str) -> Parsed<HostOp> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(ParseError::new(
            "sysctl",
            text,
            "must be NAME=VALUE, e.g. net.ipv4.ip_forward=1",
        ));
    };
    let (info, name) = sysctl_name(name.trim())?;
    let value = sysctl_value(info, &name, value.trim())?;
    Ok(HostOp::SetSysctl { name, value })
}

/// A default route's gateway: a unicast address; an IPv6 link-local one only with `dev`.
pub fn gateway(text: &str, dev: Option<&str>) -> Parsed<IpAddr> {
    let addr: IpAddr = text.parse().map_err(|_| {
        ParseError::new(
            "gateway",
            text,
            "must be an IPv4 or IPv6 address, e.g. 10.0.0.1",
        )
    })?;
    let unicast = match addr {
        IpAddr::V4(a) => {
            !a.is_multicast() && !a.is_broadcast() && !a.is_unspecified() && !a.is_loopback()
        }
        IpAddr::V6(a) => !a.is_multicast() && !a.is_unspecified() && !a.is_loopback(),
    };
    if !unicast {
        return Err(ParseError::new(
            "gateway",
            text,
            "must be the unicast address of a router, not multicast, broadcast, loopback or unspecified",
        ));
    }
    if let IpAddr::V6(a) = addr
        && a.is_unicast_link_local()
        && dev.is_none()
    {
        return Err(ParseError::new(
            "gateway",
            text,
            "an IPv6 link-local gateway needs the interface it is on (dev)",
        ));
    }
    Ok(addr)
}

/// `ip route replace default via ADDR [dev IFACE]`.
pub fn default_route(via: &str, dev: Option<&str>) -> Parsed<HostOp> {
    let dev = dev.map(interface).transpose()?;
    Ok(HostOp::ReplaceDefaultRoute {
        via: gateway(via, dev.as_deref())?,
        dev,
    })
}

/// Checks an operation built without this module (a plan, a form): the same rules as parsing.
pub fn validate(op: &HostOp) -> Parsed<()> {
    match op {
        HostOp::AddAddr {
            dev,
            addr,
            prefix,
            label: l,
        } => {
            interface(dev)?;
            vip(&format!("{addr}/{prefix}"))?;
            if let Some(l) = l {
                label(l, dev, *addr)?;
            }
        }
        HostOp::DelAddr { dev, addr, prefix } => {
            interface(dev)?;
            vip(&format!("{addr}/{prefix}"))?;
        }
        HostOp::SetSysctl { name, value } => {
            let (info, canonical) = sysctl_name(name)?;
            if canonical != *name {
                return Err(ParseError::new(
                    "sysctl",
                    name,
                    format!("must be written in sysctl notation: {canonical}"),
                ));
            }
            if sysctl_value(info, name, value)? != *value {
                return Err(ParseError::new(
                    "sysctl",
                    &format!("{name}={value}"),
                    "the value must be written plainly, e.g. 3 50",
                ));
            }
        }
        HostOp::SetLinkUp { link } | HostOp::SetLinkDown { link } => {
            interface(link)?;
        }
        HostOp::ReplaceDefaultRoute { via, dev } | HostOp::DelDefaultRoute { via, dev } => {
            let dev = dev.as_deref().map(interface).transpose()?;
            gateway(&via.to_string(), dev.as_deref())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
