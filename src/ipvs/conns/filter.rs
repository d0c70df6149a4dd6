//! The connection filter: `rs:203.0.113.2 state:SYN_RECV client:198.51.100.0/24 svc:VIP:PORT
//! fwm:N proto:tcp`. Terms with different keys must all match; terms with the same key are
//! alternatives (`state:SYN_RECV state:ESTABLISHED` is either).

use super::line::{self, ConnLine};
use super::names::{self, State};
use super::report::ServiceId;
use super::row::Route;
use crate::ipvs::model::{Netmask, Service, ServiceKey};
use std::net::IpAddr;

/// What the user may type, for error messages and help.
pub const SYNTAX: &str = "rs:ADDR[:PORT] state:NAME client:ADDR[/PREFIX] svc:VIP:PORT fwm:MARK proto:tcp|udp|sctp|ip \
(IPv6 with a port as [ADDR]:PORT; different keys must all match, the same key repeated means either)";

/// A bad filter term, with what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("filter {term:?}: {reason}")]
pub struct FilterError {
    pub term: String,
    pub reason: String,
}

/// An address with an optional port (none: any port).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub addr: IpAddr,
    pub port: Option<u16>,
}

impl Endpoint {
    fn matches(&self, addr: IpAddr, port: u16) -> bool {
        self.addr == addr && self.port.is_none_or(|p| p == port)
    }
}

/// An address block: `addr/prefix` (a bare address is a host).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    pub addr: IpAddr,
    pub prefix: u8,
    /// Typed as one address: then a persistence template whose client was masked (`-M`) also
    /// matches when this address lies in the template's block (see [`Filter::with_masks`]).
    pub host: bool,
}

impl Net {
    pub fn contains(&self, a: IpAddr) -> bool {
        contains(self.addr, self.prefix, a)
    }
}

/// `a` lies in `net/prefix`.
fn contains(net: IpAddr, prefix: u8, a: IpAddr) -> bool {
    match (net, a) {
        (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(
            u128::from(u32::from(n)),
            u128::from(u32::from(a)),
            32,
            prefix,
        ),
        (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(u128::from(n), u128::from(a), 128, prefix),
        _ => false,
    }
}

/// The top `prefix` of `bits` bits of `a` and `b` are equal.
fn prefix_eq(a: u128, b: u128, bits: u32, prefix: u8) -> bool {
    let prefix = u32::from(prefix).min(bits);
    if prefix == 0 {
        return true;
    }
    let shift = bits - prefix;
    (a >> shift) == (b >> shift)
}

/// A parsed filter; the empty filter matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub protos: Vec<u8>,
    pub services: Vec<Endpoint>,
    pub fwmarks: Vec<u32>,
    pub servers: Vec<Endpoint>,
    pub clients: Vec<Net>,
    pub states: Vec<State>,
    /// Persistence netmasks (prefix lengths) of services whose templates hold masked clients.
    pub masks: Vec<(ServiceId, u8)>,
    /// A scope on top of the terms: a route must also match one of these filters' route terms
    /// (protocol, service, fwmark, real server). Empty: no scope. The console's connection pane
    /// scopes to a service this way, whatever the user types.
    pub within: Vec<Filter>,
}

/// The persistence netmask of each persistent service, as a prefix length: a template's client
/// is the real client masked by it (`ipvsadm -M`). The connection table does not state it;
/// /proc/net/ip_vs or a netlink snapshot does.
pub fn persistence_masks(services: &[Service]) -> Vec<(ServiceId, u8)> {
    services
        .iter()
        .filter(|s| s.config.persistence.is_some())
        .map(|s| {
            let id = match s.config.key {
                ServiceKey::Addr {
                    protocol,
                    addr,
                    port,
                } => ServiceId::Addr {
                    proto: protocol.number() as u8,
                    addr,
                    port,
                },
                ServiceKey::Fwmark { mark, .. } => ServiceId::Fwmark(mark),
            };
            let prefix = match s.config.netmask {
                Netmask::V4(m) => u32::from(m).leading_ones() as u8,
                Netmask::V6(p) => p,
            };
            (id, prefix)
        })
        .collect()
}

impl Filter {
    /// Parses whitespace-separated terms (several arguments are joined).
    pub fn parse<S: AsRef<str>>(terms: &[S]) -> Result<Filter, FilterError> {
        let mut f = Filter::default();
        for term in terms.iter().flat_map(|t| t.as_ref().split_whitespace()) {
            f.add(term)?;
        }
        Ok(f)
    }

    fn add(&mut self, term: &str) -> Result<(), FilterError> {
        let err = |reason: String| FilterError {
            term: term.to_string(),
            reason,
        };
        let Some((key, value)) = term.split_once(':') else {
            return Err(err(format!(
                "expected KEY:VALUE; keys are rs, state, client, svc, fwm, proto ({SYNTAX})"
            )));
        };
        match key.to_ascii_lowercase().as_str() {
            "rs" => self.servers.push(endpoint(value).ok_or_else(|| err("not an address or ADDR:PORT; use rs:10.0.0.2, rs:10.0.0.2:80 or rs:[2001:db8::2]:80".into()))?),
            "svc" => match value.strip_prefix("fwm:") {
                Some(mark) => self.fwmarks.push(fwmark(mark).ok_or_else(|| err("the mark must be a whole number from 1 to 4294967295".into()))?),
                None => self.services.push(endpoint(value).ok_or_else(|| err("not VIP or VIP:PORT; use svc:192.0.2.1:80, svc:[2001:db8::1]:443 or fwm:MARK".into()))?),
            },
            "fwm" => self.fwmarks.push(fwmark(value).ok_or_else(|| err("the mark must be a whole number from 1 to 4294967295".into()))?),
            "client" => self.clients.push(net(value).ok_or_else(|| err("not an address or ADDR/PREFIX; use client:198.51.100.7 or client:198.51.100.0/24 (IPv6 prefix up to 128)".into()))?),
            "state" => self.states.push(State::from_user(value).ok_or_else(|| err(format!("unknown state; one of {}", State::all_names().join(" "))))?),
            "proto" => self.protos.push(names::proto_from_user(value).ok_or_else(|| err("unknown protocol; use tcp, udp, sctp, ip (fwmark templates) or a number 0-255".into()))?),
            other => return Err(err(format!("unknown key {other:?}; keys are rs, state, client, svc, fwm, proto"))),
        }
        Ok(())
    }

    /// Knows the services' persistence netmasks: `client:ADDR` then also finds the templates
    /// that hold ADDR masked. Without them a template matches its own address only.
    pub fn with_masks(mut self, masks: Vec<(ServiceId, u8)>) -> Filter {
        self.masks = masks;
        self
    }

    /// Also requires a route to match one of `scope`'s route terms (see [`Filter::within`]):
    /// a fwmark service is its templates (`fwm:N`) or its real servers (`rs:...`), which one
    /// filter cannot say, since different keys must all match.
    pub fn within(mut self, scope: Vec<Filter>) -> Filter {
        self.within = scope;
        self
    }

    /// The terms again, as [`Filter::parse`] takes them (for an agent that counts elsewhere);
    /// the masks and the scope are not terms.
    pub fn terms(&self) -> Vec<String> {
        let endpoint = |e: &Endpoint| match (e.addr, e.port) {
            (IpAddr::V6(a), Some(p)) => format!("[{a}]:{p}"),
            (a, Some(p)) => format!("{a}:{p}"),
            (a, None) => a.to_string(),
        };
        let protos = self.protos.iter().map(|p| format!("proto:{p}"));
        let services = self.services.iter().map(|e| format!("svc:{}", endpoint(e)));
        let fwmarks = self.fwmarks.iter().map(|m| format!("fwm:{m}"));
        let servers = self.servers.iter().map(|e| format!("rs:{}", endpoint(e)));
        let clients = self.clients.iter().map(|n| match n.host {
            true => format!("client:{}", n.addr),
            false => format!("client:{}/{}", n.addr, n.prefix),
        });
        let states = self.states.iter().map(|s| format!("state:{}", s.name()));
        protos
            .chain(services)
            .chain(fwmarks)
            .chain(servers)
            .chain(clients)
            .chain(states)
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.protos.is_empty()
            && self.services.is_empty()
            && self.fwmarks.is_empty()
            && self.servers.is_empty()
            && self.clients.is_empty()
            && self.states.is_empty()
    }

    /// How a template of this route masked its client: the service's prefix, else the full
    /// address (no masking known).
    pub fn template_prefix(&self, route: &Route) -> u8 {
        let id = ServiceId::of(route);
        let full = if route.dest.is_ipv4() && route.virt.is_ipv4() {
            32
        } else {
            128
        };
        self.masks
            .iter()
            .find(|(s, _)| *s == id)
            .map_or(full, |(_, p)| *p)
    }

    /// The part that depends only on protocol, service and real server (checked once per
    /// distinct route, not per line).
    pub fn matches_route(
        &self,
        proto: u8,
        virt: IpAddr,
        vport: u16,
        dest: IpAddr,
        dport: u16,
    ) -> bool {
        let fwmark_template = proto == names::PROTO_FWMARK_TEMPLATE;
        (self.protos.is_empty() || self.protos.contains(&proto))
            && (self.servers.is_empty() || self.servers.iter().any(|s| s.matches(dest, dport)))
            && ((self.services.is_empty() && self.fwmarks.is_empty())
                || (!fwmark_template && self.services.iter().any(|s| s.matches(virt, vport)))
                || (fwmark_template && self.fwmarks.contains(&line::fwmark_of(virt))))
            && (self.within.is_empty()
                || self
                    .within
                    .iter()
                    .any(|s| s.matches_route(proto, virt, vport, dest, dport)))
    }

    /// The part that varies per line: client and state. `template_prefix` is set for a
    /// template: the prefix its client was masked with (see [`Filter::template_prefix`]).
    pub fn matches_line(&self, client: IpAddr, state: State, template_prefix: Option<u8>) -> bool {
        (self.states.is_empty() || self.states.contains(&state))
            && (self.clients.is_empty()
                || self.clients.iter().any(|n| {
                    n.contains(client)
                        || (n.host && template_prefix.is_some_and(|p| contains(client, p, n.addr)))
                }))
    }

    pub fn matches(&self, e: &ConnLine) -> bool {
        let route = Route {
            proto: e.proto,
            virt: e.virt,
            vport: e.vport,
            dest: e.dest,
            dport: e.dport,
        };
        let prefix = e.is_template().then(|| self.template_prefix(&route));
        self.matches_route(e.proto, e.virt, e.vport, e.dest, e.dport)
            && self.matches_line(e.client, e.state, prefix)
    }
}

fn fwmark(s: &str) -> Option<u32> {
    s.parse::<u32>().ok().filter(|m| *m != 0)
}

/// `ADDR`, `ADDR:PORT`, `[V6]`, `[V6]:PORT`, or a bare IPv6 address.
pub fn endpoint(s: &str) -> Option<Endpoint> {
    if let Some(rest) = s.strip_prefix('[') {
        let (addr, after) = rest.split_once(']')?;
        let addr: IpAddr = addr.parse().ok().filter(IpAddr::is_ipv6)?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?.parse().ok()?),
        };
        return Some(Endpoint { addr, port });
    }
    if let Ok(addr) = s.parse::<IpAddr>() {
        return Some(Endpoint { addr, port: None });
    }
    let (addr, port) = s.rsplit_once(':')?;
    let addr: IpAddr = addr.parse().ok().filter(IpAddr::is_ipv4)?;
    Some(Endpoint {
        addr,
        port: Some(port.parse().ok()?),
    })
}

fn net(s: &str) -> Option<Net> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
        None => (s, None),
    };
    let addr: IpAddr = addr
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    match prefix {
        Some(p) if p > max => None,
        Some(p) => Some(Net {
            addr,
            prefix: p,
            host: false,
        }),
        None => Some(Net {
            addr,
            prefix: max,
            host: true,
        }),
    }
}

#[cfg(test)]
mod tests;
