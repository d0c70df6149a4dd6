//! Host changes applied to an in-memory [`HostState`], refusing what the kernel would refuse:
//! used to check a change or a whole plan before touching the host, and to follow the state
//! through a plan so each step's inverse is known without re-reading.

use super::error::HostError;
use super::op::HostOp;
use super::op::default_route;
use super::{Addr, HostState, Route};
use std::net::IpAddr;

/// Applies `op` to `state`, or says why the kernel would refuse it (and leaves `state` as it was).
pub fn apply(state: &mut HostState, op: &HostOp) -> Result<(), HostError> {
    match op {
        HostOp::AddAddr {
            dev,
            addr,
            prefix,
            label,
        } => {
            let link = link_mut(state, dev)?;
            // The kernel's rule: an IPv4 address may be on one interface with several prefixes,
            // an IPv6 one only once.
            if link
                .addrs
                .iter()
                .any(|a| a.addr == *addr && (a.prefix == *prefix || addr.is_ipv6()))
            {
                return Err(HostError::AddressExists {
                    dev: dev.clone(),
                    addr: *addr,
                    prefix: *prefix,
                });
            }
            link.addrs.push(Addr {
                addr: *addr,
                prefix: *prefix,
                label: label.clone(),
            });
        }
        HostOp::DelAddr { dev, addr, prefix } => {
            let link = link_mut(state, dev)?;
            let Some(at) = link
                .addrs
                .iter()
                .position(|a| a.addr == *addr && a.prefix == *prefix)
            else {
                return Err(HostError::AddressMissing {
                    dev: dev.clone(),
                    addr: *addr,
                    prefix: *prefix,
                });
            };
            link.addrs.remove(at);
        }
        HostOp::SetSysctl { name, value } => match state.sysctls.get_mut(name) {
            Some(old) => *old = value.clone(),
            None => return Err(HostError::NoSysctl(name.clone())),
        },
        HostOp::SetLinkUp { link } => link_mut(state, link)?.up = true,
        HostOp::SetLinkDown { link } => link_mut(state, link)?.up = false,
        HostOp::ReplaceDefaultRoute { via, dev } => {
            // The kernel wants the gateway on a connected subnet (of `dev`, when given).
            if let Some(d) = dev {
                link_mut(state, d)?;
            }
            let on_link = state
                .links
                .iter()
                .filter(|l| l.up && dev.as_ref().is_none_or(|d| *d == l.name))
                .find(|l| l.addrs.iter().any(|a| covers(a, *via)));
            let Some(link) = on_link.map(|l| l.name.clone()) else {
                return Err(HostError::Unreachable(*via));
            };
            let any = if via.is_ipv4() {
                IpAddr::from([0u8; 4])
            } else {
                IpAddr::from([0u16; 8])
            };
            let route = Route {
                dst: any,
                prefix: 0,
                gateway: Some(*via),
                dev: Some(link),
            };
            match default_route(state, *via)
                .cloned()
                .and_then(|old| state.routes.iter().position(|r| *r == old))
            {
                Some(at) => state.routes[at] = route,
                None => state.routes.push(route),
            }
        }
        HostOp::DelDefaultRoute { via, dev } => {
            let found = state.routes.iter().position(|r| {
                r.prefix == 0
                    && r.dst.is_unspecified()
                    && r.gateway == Some(*via)
                    && dev.as_ref().is_none_or(|d| r.dev.as_ref() == Some(d))
            });
            let Some(at) = found else {
                return Err(HostError::RouteMissing(*via));
            };
            state.routes.remove(at);
        }
    }
    Ok(())
}

/// `addr` is within the subnet of `a` (same family, same first `a.prefix` bits).
fn covers(a: &Addr, addr: IpAddr) -> bool {
    let bits = |ip: IpAddr| match ip {
        IpAddr::V4(v) => (u128::from(u32::from(v)) << 96, 32),
        IpAddr::V6(v) => (u128::from(v), 128),
    };
    let ((net, family), (x, other)) = (bits(a.addr), bits(addr));
    let prefix = u32::from(a.prefix.min(if family == 32 { 32 } else { 128 }));
    let mask = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    };
    family == other && prefix > 0 && (net & mask) == (x & mask)
}

fn link_mut<'a>(state: &'a mut HostState, dev: &str) -> Result<&'a mut super::Link, HostError> {
    state
        .links
        .iter_mut()
        .find(|l| l.name == dev)
        .ok_or_else(|| HostError::NoInterface(dev.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::Link;

    fn state() -> HostState {
        let mut s = HostState::default();
        s.links.push(Link {
            index: 1,
            name: "lo".into(),
            up: true,
            kind: Some("loopback".into()),
            addrs: vec![],
        });
        s.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
        s
    }

    #[test]
    fn refuses_as_the_kernel_does_and_changes_nothing_then() {
        let mut s = state();
        let add = HostOp::AddAddr {
            dev: "lo".into(),
            addr: "192.0.2.1".parse().unwrap(),
            prefix: 32,
            label: Some("lo:0".into()),
        };
        apply(&mut s, &add).unwrap();
        assert_eq!(
            s.link("lo").unwrap().addrs,
            [Addr {
                addr: "192.0.2.1".parse().unwrap(),
                prefix: 32,
                label: Some("lo:0".into())
            }]
        );
        let before = s.clone();
        assert_eq!(
            apply(&mut s, &add).unwrap_err().to_string(),
            "address 192.0.2.1/32 is already on lo"
        );
        let other_prefix = HostOp::AddAddr {
            dev: "lo".into(),
            addr: "192.0.2.1".parse().unwrap(),
            prefix: 24,
            label: None,
        };
        let del_missing = HostOp::DelAddr {
            dev: "lo".into(),
            addr: "192.0.2.9".parse().unwrap(),
            prefix: 32,
        };
        assert_eq!(
            apply(&mut s.clone(), &other_prefix),
            Ok(()),
            "IPv4 allows the same address with another prefix"
        );
        assert_eq!(
            apply(&mut s, &del_missing).unwrap_err().to_string(),
            "address 192.0.2.9/32 is not on lo"
        );
        let eth9 = HostOp::DelAddr {
            dev: "eth9".into(),
            addr: "192.0.2.1".parse().unwrap(),
            prefix: 32,
        };
        assert_eq!(
            apply(&mut s, &eth9).unwrap_err().to_string(),
            "interface eth9 does not exist"
        );
        let vs = HostOp::SetSysctl {
            name: "net.ipv4.vs.conntrack".into(),
            value: "1".into(),
        };
        assert_eq!(
            apply(&mut s, &vs),
            Err(HostError::NoSysctl("net.ipv4.vs.conntrack".into()))
        );
        assert_eq!(s, before);
        let v6 = |prefix| HostOp::AddAddr {
            dev: "lo".into(),
            addr: "2001:db8::1".parse().unwrap(),
            prefix,
            label: None,
        };
        apply(&mut s, &v6(128)).unwrap();
        assert!(
            matches!(apply(&mut s, &v6(64)), Err(HostError::AddressExists { .. })),
            "IPv6: once per interface"
        );
    }

    #[test]
    fn links_go_up_and_default_routes_need_a_gateway_on_a_connected_subnet() {
        let mut s = state();
        s.links.push(Link {
            index: 2,
            name: "eth0".into(),
            up: true,
            kind: None,
            addrs: vec![Addr {
                addr: "10.0.0.2".parse().unwrap(),
                prefix: 24,
                label: None,
            }],
        });
        s.links.push(Link {
            index: 3,
            name: "tunl0".into(),
            up: false,
            kind: Some("ipip".into()),
            addrs: vec![],
        });
        apply(
            &mut s,
            &HostOp::SetLinkUp {
                link: "tunl0".into(),
            },
        )
        .unwrap();
        assert!(s.link("tunl0").unwrap().up);
        assert_eq!(
            apply(
                &mut s,
                &HostOp::SetLinkUp {
                    link: "tunl9".into()
                }
            ),
            Err(HostError::NoInterface("tunl9".into()))
        );
        let via = |a: &str| HostOp::ReplaceDefaultRoute {
            via: a.parse().unwrap(),
            dev: None,
        };
        assert_eq!(
            apply(&mut s, &via("10.9.9.9")).unwrap_err().to_string(),
            "gateway 10.9.9.9 is not on a directly connected subnet of this host (the kernel has no route to it)"
        );
        apply(&mut s, &via("10.0.0.254")).unwrap();
        apply(&mut s, &via("10.0.0.1")).unwrap();
        assert_eq!(
            s.routes,
            [Route {
                dst: "0.0.0.0".parse().unwrap(),
                prefix: 0,
                gateway: Some("10.0.0.1".parse().unwrap()),
                dev: Some("eth0".into())
            }],
            "replaced, not added"
        );
        let del = |a: &str| HostOp::DelDefaultRoute {
            via: a.parse().unwrap(),
            dev: None,
        };
        assert_eq!(
            apply(&mut s, &del("10.0.0.254")).unwrap_err().to_string(),
            "there is no default route via 10.0.0.254"
        );
        apply(&mut s, &del("10.0.0.1")).unwrap();
        assert!(s.routes.is_empty());
    }
}
