//! Questions about the host's network that plans and the doctor share: where an address is bound,
//! which subnets are directly connected, which route reaches an address, what a sysctl is.

use crate::host::{HostState, Link};
use std::net::IpAddr;

/// True when `addr` is inside `net`/`prefix` (families must match).
pub fn in_subnet(net: IpAddr, prefix: u8, addr: IpAddr) -> bool {
    match (net, addr) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let bits = u32::from(prefix.min(32));
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(n) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let bits = u32::from(prefix.min(128));
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

/// The links on which `addr` is bound.
pub fn links_with_addr(host: &HostState, addr: IpAddr) -> Vec<&Link> {
    host.links
        .iter()
        .filter(|l| l.addrs.iter().any(|a| a.addr == addr))
        .collect()
}

/// The link named `name`.
pub fn link<'a>(host: &'a HostState, name: &str) -> Option<&'a Link> {
    host.links.iter().find(|l| l.name == name)
}

/// The link whose own subnet holds `addr` (an address of this host with a prefix shorter than a
/// host route), skipping `except` (the VIP, which is no way to reach a real server).
pub fn connected_link(host: &HostState, addr: IpAddr, except: Option<IpAddr>) -> Option<&Link> {
    host.links.iter().find(|l| {
        l.up && l.name != "lo"
            && l.addrs.iter().any(|a| {
                Some(a.addr) != except
                    && !is_host_prefix(a.addr, a.prefix)
                    && in_subnet(a.addr, a.prefix, addr)
            })
    })
}

/// True when a route other than the default one leads to `addr`, or it is directly connected.
pub fn routed_without_default(host: &HostState, addr: IpAddr, except: Option<IpAddr>) -> bool {
    connected_link(host, addr, except).is_some()
        || host
            .routes
            .iter()
            .any(|r| r.prefix > 0 && in_subnet(r.dst, r.prefix, addr))
}

/// The gateway of the default route of `addr`'s family, if any.
pub fn default_gateway(host: &HostState, family_of: IpAddr) -> Option<IpAddr> {
    host.routes
        .iter()
        .find(|r| r.prefix == 0 && r.dst.is_ipv4() == family_of.is_ipv4())
        .and_then(|r| r.gateway)
}

/// The interface of the default route (IPv4 first), where a machine meets its clients.
pub fn default_route_dev(host: &HostState) -> Option<&str> {
    let mut defaults: Vec<_> = host
        .routes
        .iter()
        .filter(|r| r.prefix == 0 && r.dev.is_some())
        .collect();
    defaults.sort_by_key(|r| !r.dst.is_ipv4());
    defaults.first().and_then(|r| r.dev.as_deref())
}

pub fn is_host_prefix(addr: IpAddr, prefix: u8) -> bool {
    prefix == if addr.is_ipv4() { 32 } else { 128 }
}

/// The full host prefix of `addr`'s family (32 or 128).
pub fn host_prefix(addr: IpAddr) -> u8 {
    if addr.is_ipv4() { 32 } else { 128 }
}

/// `net.ipv4.conf.DEV.KEY` (a dot in an interface name is written `/`, as sysctl does).
pub fn conf(dev: &str, key: &str) -> String {
    format!("net.ipv4.conf.{}.{key}", dev.replace('.', "/"))
}

/// A sysctl as a number; None when unknown or not a number.
pub fn sysctl_num(host: &HostState, name: &str) -> Option<i64> {
    host.sysctls.get(name)?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(in_subnet(ip("10.10.0.1"), 24, ip("10.10.0.200")));
        assert!(!in_subnet(ip("10.10.0.1"), 24, ip("10.10.1.2")));
        assert!(in_subnet(ip("0.0.0.0"), 0, ip("192.0.2.1")));
        assert!(in_subnet(ip("2001:db8::1"), 64, ip("2001:db8::ffff")));
        assert!(!in_subnet(ip("2001:db8::1"), 64, ip("10.0.0.1")));
    }

    #[test]
    fn the_default_route_interface_is_the_ipv4_one_first() {
        use crate::host::Route;
        let route = |dst: &str, prefix, dev: &str| Route {
            dst: dst.parse().unwrap(),
            prefix,
            gateway: None,
            dev: Some(dev.into()),
        };
        let mut host = HostState {
            routes: vec![route("::", 0, "eth2"), route("10.0.0.0", 8, "eth1")],
            ..HostState::default()
        };
        assert_eq!(default_route_dev(&host), Some("eth2"));
        host.routes.push(route("0.0.0.0", 0, "eth0"));
        assert_eq!(default_route_dev(&host), Some("eth0"));
        host.routes.clear();
        assert_eq!(default_route_dev(&host), None);
    }
}
