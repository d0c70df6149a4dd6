//! A plausible director for the demo console (`--demo`), held by a `MemoryHost`: nothing of the
//! real host is read. Outside interface eth0 holding every VIP of the simulated services, inside
//! interface eth1 on the real servers' networks, and every LVS sysctl at the value a working
//! LVS-NAT director has.

use super::sysctl::{Allowed, LVS_SYSCTLS};
use super::{Addr, HostState, Link, Route};
use crate::ipvs::model::{ServiceKey, Snapshot};
use std::net::IpAddr;

/// The demo host for the simulated table `snapshot`.
pub fn state(snapshot: &Snapshot) -> HostState {
    let a = |text: &str, prefix: u8| Addr {
        addr: text.parse().expect("a fixed address"),
        prefix,
        label: None,
    };
    let mut outside = vec![a("198.51.100.2", 24), a("2001:db8::2", 64)];
    for service in &snapshot.services {
        if let ServiceKey::Addr { addr, .. } = service.config.key
            && !outside.iter().any(|x| x.addr == addr)
        {
            let prefix = if addr.is_ipv4() { 32 } else { 128 };
            let label = addr.is_ipv4().then(|| format!("eth0:{}", outside.len()));
            outside.push(Addr {
                addr,
                prefix,
                label,
            });
        }
    }
    let links = vec![
        Link {
            index: 1,
            name: "lo".into(),
            up: true,
            kind: Some("loopback".into()),
            addrs: vec![a("127.0.0.1", 8), a("::1", 128)],
        },
        Link {
            index: 2,
            name: "eth0".into(),
            up: true,
            kind: None,
            addrs: outside,
        },
        Link {
            index: 3,
            name: "eth1".into(),
            up: true,
            kind: None,
            addrs: vec![a("10.0.0.1", 24), a("2001:db8:10::1", 64)],
        },
    ];
    let route = |dst: &str, prefix: u8, gateway: Option<&str>, dev: &str| Route {
        dst: dst.parse().expect("a fixed address"),
        prefix,
        gateway: gateway.map(|g| g.parse::<IpAddr>().expect("a fixed address")),
        dev: Some(dev.into()),
    };
    let routes = vec![
        route("0.0.0.0", 0, Some("198.51.100.1"), "eth0"),
        route("10.0.0.0", 24, None, "eth1"),
        route("198.51.100.0", 24, None, "eth0"),
        route("2001:db8::", 64, None, "eth0"),
        route("2001:db8:10::", 64, None, "eth1"),
        route("::", 0, Some("2001:db8::1"), "eth0"),
    ];
    let mut sysctls = std::collections::BTreeMap::new();
    for info in LVS_SYSCTLS {
        let value = demo_value(info.name, &info.allowed);
        if info.is_per_interface() {
            for iface in ["all", "default", "lo", "eth0", "eth1"] {
                sysctls.insert(info.for_interface(iface), value.clone());
            }
        } else {
            sysctls.insert(info.name.to_string(), value);
        }
    }
    HostState {
        links,
        routes,
        sysctls,
    }
}

/// The kernel's defaults, with forwarding on (a NAT director).
fn demo_value(name: &str, allowed: &Allowed) -> String {
    let value = match name {
        "net.ipv4.ip_forward" | "net.ipv6.conf.all.forwarding" => "1",
        "net.ipv4.vs.am_droprate" => "10",
        "net.ipv4.vs.amemthresh" => "1024",
        "net.ipv4.vs.conn_reuse_mode" | "net.ipv4.vs.pmtu_disc" | "net.ipv4.vs.run_estimation" => {
            "1"
        }
        "net.ipv4.vs.snat_reroute" | "net.ipv4.vs.sync_ports" | "net.ipv4.vs.sync_version" => "1",
        "net.ipv4.vs.sync_qlen_max" => "3895",
        _ if *allowed == Allowed::ThresholdPeriod => "3 50",
        _ => "0",
    };
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::HostOp;
    use crate::host::parse::validate;
    use crate::host::vips::vip_bindings;

    #[test]
    fn every_demo_vip_is_bound_and_every_value_allowed() {
        let snapshot =
            futures::executor::block_on(crate::ipvs::sim::SimBackend::demo(1).snapshot()).unwrap();
        let host = state(&snapshot);
        let bindings = vip_bindings(&snapshot, &host);
        assert!(bindings.len() >= 5, "{bindings:?}");
        assert!(bindings.iter().all(|b| b.is_bound()), "{bindings:?}");
        for (name, value) in &host.sysctls {
            validate(&HostOp::SetSysctl {
                name: name.clone(),
                value: value.clone(),
            })
            .unwrap();
        }
        assert_eq!(host.sysctls["net.ipv4.ip_forward"], "1");
    }
}
