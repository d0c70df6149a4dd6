//! Where the VIPs of IPVS services are bound on this host: the check behind `vip list`, the
//! services pane's "not bound here" mark and the doctor's "VIP not bound" finding.

use super::HostState;
use crate::ipvs::model::{ServiceKey, Snapshot};
use serde::Serialize;
use std::net::IpAddr;

/// One VIP, the services on it, and the interfaces holding it (empty: bound nowhere here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VipBinding {
    pub vip: IpAddr,
    pub services: Vec<ServiceKey>,
    pub bound: Vec<Bound>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bound {
    pub dev: String,
    pub prefix: u8,
    pub label: Option<String>,
}

impl VipBinding {
    pub fn is_bound(&self) -> bool {
        !self.bound.is_empty()
    }
}

/// The VIP of every address-based service (fwmark services have none), in order of address,
/// each with its services by protocol and port.
pub fn vip_bindings(snapshot: &Snapshot, host: &HostState) -> Vec<VipBinding> {
    let mut out: Vec<VipBinding> = Vec::new();
    for service in &snapshot.services {
        let key = service.config.key;
        let ServiceKey::Addr { addr, .. } = key else {
            continue;
        };
        match out.iter_mut().find(|b| b.vip == addr) {
            Some(b) => b.services.push(key),
            None => out.push(VipBinding {
                vip: addr,
                services: vec![key],
                bound: bound(host, addr),
            }),
        }
    }
    out.sort_by_key(|b| b.vip);
    for b in &mut out {
        // The kernel lists services in hash order: sort them for a stable listing.
        b.services.sort_by_key(|k| match k {
            ServiceKey::Addr { protocol, port, .. } => (protocol.name(), *port),
            ServiceKey::Fwmark { .. } => ("", 0),
        });
    }
    out
}

/// True when `addr` is on some interface of this host.
pub fn is_bound(host: &HostState, addr: IpAddr) -> bool {
    !host.bindings(addr).is_empty()
}

fn bound(host: &HostState, addr: IpAddr) -> Vec<Bound> {
    host.bindings(addr)
        .into_iter()
        .map(|(l, a)| Bound {
            dev: l.name.clone(),
            prefix: a.prefix,
            label: a.label.clone(),
        })
        .collect()
}
