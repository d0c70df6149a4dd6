//! Text -> typed IPVS values, with errors that name the field, the value given and what is allowed.
//!
//! Forms, the command line and rules files all go through here, so validation lives in one place.
//! Limits and defaults are ipvsadm 1.31's (weights up to 2147483647, as the kernel stores them).

use super::model::*;
use super::op::IpvsOp;
use std::net::{IpAddr, Ipv4Addr};

/// What is wrong with one input: `weight "-3": must be a whole number from 0 to 2147483647`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}{}: {message}", if value.is_empty() { String::new() } else { format!(" \"{value}\"") })]
pub struct ParseError {
    /// The field, in the words of the form and the ipvsadm option (`weight`, `real server`).
    pub field: &'static str,
    /// What the user gave; empty when the problem is a combination of fields.
    pub value: String,
    /// What is allowed, or what is wrong with the combination.
    pub message: String,
}

impl ParseError {
    pub fn new(field: &'static str, value: &str, message: impl Into<String>) -> ParseError {
        ParseError {
            field,
            value: value.to_string(),
            message: message.into(),
        }
    }

    /// A problem with a combination of fields rather than one value.
    pub fn combo(field: &'static str, message: impl Into<String>) -> ParseError {
        ParseError {
            field,
            value: String::new(),
            message: message.into(),
        }
    }
}

pub type Parsed<T> = Result<T, ParseError>;

/// A decimal whole number within `min..=max` (no sign, no spaces, no hex: what ipvsadm takes).
pub fn number(field: &'static str, text: &str, min: u64, max: u64) -> Parsed<u64> {
    let err = || {
        ParseError::new(
            field,
            text,
            format!("must be a whole number from {min} to {max}"),
        )
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    match text.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(err()),
    }
}

pub fn weight(text: &str) -> Parsed<u32> {
    number("weight", text, 0, MAX_WEIGHT as u64).map(|n| n as u32)
}

pub fn u_threshold(text: &str) -> Parsed<u32> {
    number("upper threshold", text, 0, MAX_THRESHOLD as u64).map(|n| n as u32)
}

pub fn l_threshold(text: &str) -> Parsed<u32> {
    number("lower threshold", text, 0, MAX_THRESHOLD as u64).map(|n| n as u32)
}

/// A port of a service or real server: 0..=65535 (0 only where the caller allows it).
pub fn port(field: &'static str, text: &str) -> Parsed<u16> {
    number(field, text, 0, 65535).map(|n| n as u16)
}

pub fn tunnel_port(text: &str) -> Parsed<u16> {
    number("tunnel port", text, 1, 65535).map(|n| n as u16)
}

pub fn fwmark(text: &str) -> Parsed<u32> {
    number("fwmark", text, 1, u32::MAX as u64).map(|n| n as u32)
}

/// The persistence timeout of `-p`; no value means ipvsadm's default of 360 s.
pub fn persistence_timeout(text: Option<&str>) -> Parsed<u32> {
    match text {
        None => Ok(DEFAULT_PERSISTENCE_TIMEOUT),
        Some(t) => number("persistence timeout", t, 1, MAX_TIMEOUT as u64).map(|n| n as u32),
    }
}

/// A connection timeout of `--set` (tcp, tcpfin, udp); 0 leaves that timeout unchanged.
pub fn connection_timeout(field: &'static str, text: &str) -> Parsed<u32> {
    number(field, text, 0, MAX_TIMEOUT as u64).map(|n| n as u32)
}

pub fn sync_id(text: &str) -> Parsed<u8> {
    number("syncid", text, 0, 255).map(|n| n as u8)
}

pub fn sync_maxlen(text: &str) -> Parsed<u16> {
    number("sync maxlen", text, 1, 65535 - 20 - 8).map(|n| n as u16)
}

pub fn mcast_port(text: &str) -> Parsed<u16> {
    number("multicast port", text, 1, 65535).map(|n| n as u16)
}

pub fn mcast_ttl(text: &str) -> Parsed<u8> {
    number("multicast ttl", text, 1, 255).map(|n| n as u8)
}

pub fn mcast_group(text: &str) -> Parsed<IpAddr> {
    match text.parse::<IpAddr>() {
        Ok(a) if a.is_multicast() => Ok(a),
        _ => Err(ParseError::new(
            "multicast group",
            text,
            "must be an IPv4 or IPv6 multicast address, e.g. 224.0.0.81",
        )),
    }
}

/// A network interface name as the kernel allows it: 1 to 15 characters, no `/`, `:` or spaces.
pub fn interface(text: &str) -> Parsed<String> {
    let ok = !text.is_empty()
        && text.len() <= 15
        && text != "."
        && text != ".."
        && text
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'/' && b != b':');
    if ok {
        Ok(text.to_string())
    } else {
        Err(ParseError::new(
            "interface",
            text,
            "must be an interface name of 1 to 15 characters without '/', ':' or spaces",
        ))
    }
}

/// A scheduler name: one of the known ones, or any module name the kernel may have (1-15 chars).
pub fn scheduler(text: &str) -> Parsed<String> {
    if module_name_ok(text) {
        Ok(text.to_string())
    } else {
        Err(ParseError::new(
            "scheduler",
            text,
            format!(
                "must be a scheduler name such as {} (1 to 15 letters, digits or _)",
                KNOWN_SCHEDULERS.join(", ")
            ),
        ))
    }
}

/// A persistence engine name, e.g. `sip`.
pub fn persistence_engine(text: &str) -> Parsed<String> {
    if module_name_ok(text) {
        Ok(text.to_string())
    } else {
        Err(ParseError::new(
            "persistence engine",
            text,
            "must be a persistence engine name such as sip (1 to 15 letters, digits or _)",
        ))
    }
}

fn module_name_ok(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 15
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Scheduler flags of `-b`: a comma list of flag-1..3, sh-fallback, sh-port, mh-fallback, mh-port.
pub fn sched_flags(text: &str, scheduler: &str) -> Parsed<SchedFlags> {
    let mut flags = SchedFlags::default();
    for name in text.split(',') {
        let needs = match name {
            "flag-1" => {
                flags.flag1 = true;
                None
            }
            "flag-2" => {
                flags.flag2 = true;
                None
            }
            "flag-3" => {
                flags.flag3 = true;
                None
            }
            "sh-fallback" | "mh-fallback" => {
                flags.flag1 = true;
                Some(&name[..2])
            }
            "sh-port" | "mh-port" => {
                flags.flag2 = true;
                Some(&name[..2])
            }
            _ => {
                return Err(ParseError::new(
                    "scheduler flags",
                    text,
                    format!(
                        "unknown flag \"{name}\"; allowed: sh-fallback, sh-port (sh), mh-fallback, mh-port (mh), flag-1, flag-2, flag-3"
                    ),
                ));
            }
        };
        if let Some(sched) = needs
            && sched != scheduler
        {
            return Err(ParseError::new(
                "scheduler flags",
                text,
                format!("flag \"{name}\" is for the {sched} scheduler, not {scheduler}"),
            ));
        }
    }
    Ok(flags)
}

/// A persistence netmask: a contiguous dotted mask for IPv4, a prefix length 1..128 for IPv6.
pub fn netmask(text: &str, family: Family) -> Parsed<Netmask> {
    match family {
        Family::Inet => {
            let mask: Option<Ipv4Addr> = text.parse().ok();
            match mask {
                Some(m) if u32::from(m).leading_ones() + u32::from(m).trailing_zeros() == 32 => {
                    Ok(Netmask::V4(m))
                }
                _ => Err(ParseError::new(
                    "netmask",
                    text,
                    "must be a contiguous IPv4 netmask such as 255.255.255.0",
                )),
            }
        }
        Family::Inet6 => number("netmask", text, 1, 128)
            .map(|n| Netmask::V6(n as u8))
            .map_err(|_| {
                ParseError::new(
                    "netmask",
                    text,
                    "must be an IPv6 prefix length from 1 to 128",
                )
            }),
    }
}

/// `ADDR`, `ADDR:PORT`, `[V6ADDR]:PORT` or a bare IPv6 address; the port is None when absent.
pub fn addr_port(field: &'static str, text: &str) -> Parsed<(IpAddr, Option<u16>)> {
    let bad = || {
        ParseError::new(
            field,
            text,
            "must be an address with an optional port: 192.0.2.1:80, [2001:db8::1]:80, 192.0.2.1",
        )
    };
    if let Some(rest) = text.strip_prefix('[') {
        let (addr, after) = rest.split_once(']').ok_or_else(bad)?;
        let addr = addr.parse::<std::net::Ipv6Addr>().map_err(|_| bad())?;
        let port_text = after.strip_prefix(':').ok_or_else(bad)?;
        return Ok((IpAddr::V6(addr), Some(port_in(field, text, port_text)?)));
    }
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Ok((addr, None));
    }
    let (addr, port_text) = text.rsplit_once(':').ok_or_else(bad)?;
    let addr = addr.parse::<Ipv4Addr>().map_err(|_| bad())?;
    Ok((IpAddr::V4(addr), Some(port_in(field, text, port_text)?)))
}

fn port_in(field: &'static str, whole: &str, port_text: &str) -> Parsed<u16> {
    port(field, port_text).map_err(|_| {
        ParseError::new(
            field,
            whole,
            format!("port \"{port_text}\" must be a whole number from 0 to 65535"),
        )
    })
}

/// A virtual service address for `protocol`: the port defaults to 0 when absent, as in ipvsadm.
pub fn service_addr(protocol: Protocol, text: &str) -> Parsed<ServiceKey> {
    let (addr, port) = addr_port("virtual service", text)?;
    Ok(ServiceKey::Addr {
        protocol,
        addr,
        port: port.unwrap_or(0),
    })
}

/// The name of a forwarding method, as forms offer it.
pub fn forward_method(text: &str) -> Parsed<Forward> {
    match text {
        "masq" | "nat" | "m" => Ok(Forward::Masq),
        "route" | "dr" | "gatewaying" | "g" => Ok(Forward::Route),
        "tunnel" | "tun" | "ipip" | "i" => Ok(Forward::ipip()),
        _ => Err(ParseError::new(
            "forwarding method",
            text,
            "must be masq (NAT), route (DR) or tunnel (TUN)",
        )),
    }
}

pub fn tunnel_type(text: &str) -> Parsed<TunnelType> {
    match text {
        "ipip" => Ok(TunnelType::Ipip),
        "gue" => Ok(TunnelType::Gue),
        "gre" => Ok(TunnelType::Gre),
        _ => Err(ParseError::new(
            "tunnel type",
            text,
            "must be ipip, gue or gre",
        )),
    }
}

pub fn sync_state(text: &str) -> Parsed<SyncState> {
    match text {
        "master" => Ok(SyncState::Master),
        "backup" => Ok(SyncState::Backup),
        _ => Err(ParseError::new(
            "sync daemon",
            text,
            "must be master or backup",
        )),
    }
}

mod validate;

pub use validate::{validate, validate_daemon, validate_dest, validate_service};

#[cfg(test)]
mod tests;
