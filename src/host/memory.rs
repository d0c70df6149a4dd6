//! Host changes applied to an in-memory [`HostState`], refusing what the kernel would refuse:
//! used to check a change or a whole plan before touching the host, and to follow the state
//! through a plan so each step's inverse is known without re-reading.

use super::error::HostError;
use super::op::HostOp;
use super::{Addr, HostState};

/// Applies `op` to `state`, or says why the kernel would refuse it (and leaves `state` as it was).
pub fn apply(state: &mut HostState, op: &HostOp) -> Result<(), HostError> {
    match op {
        HostOp::AddAddr { dev, addr, prefix, label } => {
            let link = link_mut(state, dev)?;
            // The kernel's rule: an IPv4 address may be on one interface with several prefixes,
            // an IPv6 one only once.
            if link.addrs.iter().any(|a| a.addr == *addr && (a.prefix == *prefix || addr.is_ipv6())) {
                return Err(HostError::AddressExists { dev: dev.clone(), addr: *addr, prefix: *prefix });
            }
            link.addrs.push(Addr { addr: *addr, prefix: *prefix, label: label.clone() });
        }
        HostOp::DelAddr { dev, addr, prefix } => {
            let link = link_mut(state, dev)?;
            let Some(at) = link.addrs.iter().position(|a| a.addr == *addr && a.prefix == *prefix) else {
                return Err(HostError::AddressMissing { dev: dev.clone(), addr: *addr, prefix: *prefix });
            };
            link.addrs.remove(at);
        }
        HostOp::SetSysctl { name, value } => match state.sysctls.get_mut(name) {
            Some(old) => *old = value.clone(),
            None => return Err(HostError::NoSysctl(name.clone())),
        },
    }
    Ok(())
}

fn link_mut<'a>(state: &'a mut HostState, dev: &str) -> Result<&'a mut super::Link, HostError> {
    state.links.iter_mut().find(|l| l.name == dev).ok_or_else(|| HostError::NoInterface(dev.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::Link;

    fn state() -> HostState {
        let mut s = HostState::default();
        s.links.push(Link { index: 1, name: "lo".into(), up: true, kind: Some("loopback".into()), addrs: vec![] });
        s.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
        s
    }

    #[test]
    fn refuses_as_the_kernel_does_and_changes_nothing_then() {
        let mut s = state();
        let add = HostOp::AddAddr { dev: "lo".into(), addr: "192.0.2.1".parse().unwrap(), prefix: 32, label: Some("lo:0".into()) };
        apply(&mut s, &add).unwrap();
        assert_eq!(s.link("lo").unwrap().addrs, [Addr { addr: "192.0.2.1".parse().unwrap(), prefix: 32, label: Some("lo:0".into()) }]);
        let before = s.clone();
        assert_eq!(apply(&mut s, &add).unwrap_err().to_string(), "address 192.0.2.1/32 is already on lo");
        let other_prefix = HostOp::AddAddr { dev: "lo".into(), addr: "192.0.2.1".parse().unwrap(), prefix: 24, label: None };
        let del_missing = HostOp::DelAddr { dev: "lo".into(), addr: "192.0.2.9".parse().unwrap(), prefix: 32 };
        assert_eq!(apply(&mut s.clone(), &other_prefix), Ok(()), "IPv4 allows the same address with another prefix");
        assert_eq!(apply(&mut s, &del_missing).unwrap_err().to_string(), "address 192.0.2.9/32 is not on lo");
        let eth9 = HostOp::DelAddr { dev: "eth9".into(), addr: "192.0.2.1".parse().unwrap(), prefix: 32 };
        assert_eq!(apply(&mut s, &eth9).unwrap_err().to_string(), "interface eth9 does not exist");
        let vs = HostOp::SetSysctl { name: "net.ipv4.vs.conntrack".into(), value: "1".into() };
        assert_eq!(apply(&mut s, &vs), Err(HostError::NoSysctl("net.ipv4.vs.conntrack".into())));
        assert_eq!(s, before);
        let v6 = |prefix| HostOp::AddAddr { dev: "lo".into(), addr: "2001:db8::1".parse().unwrap(), prefix, label: None };
        apply(&mut s, &v6(128)).unwrap();
        assert!(matches!(apply(&mut s, &v6(64)), Err(HostError::AddressExists { .. })), "IPv6: once per interface");
    }
}
