//! Names in addresses, as `ipvsadm -S` writes them without `-n` (`-t www.example:http`) and as
//! `ipvsadm` takes them on any command line: a port name is looked up in the services database
//! (/etc/services) for the service's protocol, a host name through the system resolver
//! (getaddrinfo, IPv4 as ipvsadm's gethostbyname). Numeric input is never looked up: only text
//! that `parse::addr_port` refuses and that has the shape of a name.

use super::model::Protocol;
use super::parse::{self, ParseError, Parsed};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};
use std::sync::OnceLock;

/// The services database.
pub const SERVICES: &str = "/etc/services";

/// `ADDR[:PORT]` as [`parse::addr_port`] takes it, with host and port names resolved too.
/// `protocol` is the service's, for port names (None for a fwmark service: no port name then).
pub fn addr_port(
    field: &'static str,
    text: &str,
    protocol: Option<Protocol>,
) -> Parsed<(IpAddr, Option<u16>)> {
    let numeric = match parse::addr_port(field, text) {
        Ok(found) => return Ok(found),
        Err(e) => e,
    };
    let (host, port) = match text.strip_prefix('[') {
        // An IPv6 address is never a name; its port may be.
        Some(rest) => match rest.split_once("]:") {
            Some((addr, port)) => match addr.parse::<Ipv6Addr>() {
                Ok(addr) => (Host::Addr(IpAddr::V6(addr)), Some(port)),
                Err(_) => return Err(numeric),
            },
            None => return Err(numeric),
        },
        None => {
            let (host, port) = match text.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            };
            match host.parse::<Ipv4Addr>() {
                Ok(addr) => (Host::Addr(IpAddr::V4(addr)), port),
                Err(_) if is_host_name(host) => (Host::Name(host), port),
                Err(_) => return Err(numeric),
            }
        }
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(parse::port(field, p).map_err(|_| numeric.clone())?)
        }
        Some(p) if is_port_name(p) => Some(port_by_name(field, text, p, protocol)?),
        Some(_) => return Err(numeric),
    };
    let addr = match host {
        Host::Addr(addr) => addr,
        Host::Name(name) => host_by_name(field, text, name)?,
    };
    Ok((addr, port))
}

enum Host<'a> {
    Addr(IpAddr),
    Name(&'a str),
}

/// Letters, digits, `-`, `_` and dots, with a letter somewhere (`1.2.3` is no name).
fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && s.bytes().any(|b| b.is_ascii_alphabetic())
}

fn is_port_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'.'))
        && s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// The first IPv4 address of `name`, as ipvsadm's gethostbyname gives it.
fn host_by_name(field: &'static str, whole: &str, name: &str) -> Parsed<IpAddr> {
    let found = (name, 0u16).to_socket_addrs().map_err(|e| {
        ParseError::new(
            field,
            whole,
            format!("host name \"{name}\" does not resolve: {e}"),
        )
    })?;
    found
        .map(|a| a.ip())
        .find(IpAddr::is_ipv4)
        .ok_or_else(|| {
            ParseError::new(
                field,
                whole,
                format!(
                    "host name \"{name}\" has no IPv4 address (names resolve to IPv4, as in ipvsadm; give an IPv6 address as [ADDR])"
                ),
            )
        })
}

fn port_by_name(
    field: &'static str,
    whole: &str,
    name: &str,
    protocol: Option<Protocol>,
) -> Parsed<u16> {
    let Some(protocol) = protocol else {
        return Err(ParseError::new(
            field,
            whole,
            format!(
                "port name \"{name}\": a fwmark service has no protocol to look it up for; give the port as a number"
            ),
        ));
    };
    let proto = proto_name(protocol);
    match services() {
        Ok(db) => db.get(&(name.to_string(), proto)).copied().ok_or_else(|| {
            ParseError::new(
                field,
                whole,
                format!(
                    "unknown port name \"{name}\": no {proto} service of that name in {SERVICES}"
                ),
            )
        }),
        Err(why) => Err(ParseError::new(
            field,
            whole,
            format!("port name \"{name}\" cannot be looked up: {why}"),
        )),
    }
}

fn proto_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Tcp => "tcp",
        Protocol::Udp => "udp",
        Protocol::Sctp => "sctp",
    }
}

type Services = HashMap<(String, &'static str), u16>;

/// /etc/services, read once on the first port name.
fn services() -> Result<&'static Services, &'static str> {
    static DB: OnceLock<Result<Services, String>> = OnceLock::new();
    DB.get_or_init(|| {
        std::fs::read_to_string(SERVICES)
            .map(|text| parse_services(&text))
            .map_err(|e| format!("{SERVICES}: {e}"))
    })
    .as_ref()
    .map_err(String::as_str)
}

/// `name port/protocol [aliases...] [# comment]` lines; the first entry of a name wins, as in
/// getservbyname.
fn parse_services(text: &str) -> Services {
    let mut db = Services::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let (Some(name), Some(port_proto)) = (words.next(), words.next()) else {
            continue;
        };
        let Some((port, proto)) = port_proto.split_once('/') else {
            continue;
        };
        let (Ok(port), Some(proto)) = (
            port.parse::<u16>(),
            Protocol::ALL
                .into_iter()
                .map(proto_name)
                .find(|p| *p == proto),
        ) else {
            continue;
        };
        for name in std::iter::once(name).chain(words) {
            db.entry((name.to_string(), proto)).or_insert(port);
        }
    }
    db
}

#[cfg(test)]
mod tests;
