//! Where the kernel's table and keepalived's view differ, and what keepalived will (and will
//! not) do about each difference. keepalived never reads the kernel table back: it acts only on
//! its own checker transitions, reloads and stop.

use super::keepalived::{CheckData, VirtualServer, VsKey};
use crate::ipvs::model::{ServiceKey, Snapshot};
use serde::Serialize;
use std::net::IpAddr;

/// One difference between keepalived's view and the kernel's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Drift {
    /// keepalived manages this virtual server; the kernel has no such service.
    MissingService { vs: VsKey },
    /// keepalived means this real server to be in the kernel; it is not.
    MissingRealServer {
        service: ServiceKey,
        addr: IpAddr,
        port: u16,
        keepalived_weight: i64,
    },
    /// keepalived took this dead real server out; the kernel still has it.
    RemovedButPresent {
        service: ServiceKey,
        addr: IpAddr,
        port: u16,
        kernel_weight: u32,
    },
    /// A real server of a keepalived virtual server that keepalived does not know.
    UnknownRealServer {
        service: ServiceKey,
        addr: IpAddr,
        port: u16,
        kernel_weight: u32,
    },
    /// A service on a keepalived VIP that keepalived does not know.
    UnknownService { service: ServiceKey },
    /// The kernel's weight is not keepalived's.
    WeightDiffers {
        service: ServiceKey,
        addr: IpAddr,
        port: u16,
        keepalived: i64,
        kernel: u32,
    },
}

impl Drift {
    /// What keepalived will and will not do about it, in one sentence.
    pub fn keepalived_will(&self) -> &'static str {
        match self {
            Drift::MissingService { .. } => {
                "keepalived will not re-create it on reload (it compares configuration with configuration); only a restart of keepalived does."
            }
            Drift::MissingRealServer { .. } => {
                "keepalived will not restore it on reload; it adds it back only at this server's next checker transition to alive, or when keepalived restarts."
            }
            Drift::RemovedButPresent { .. } => {
                "keepalived believes it removed this failing server and will not remove it again: it keeps getting traffic until deleted by hand."
            }
            Drift::UnknownRealServer { .. } => {
                "keepalived neither checks nor removes it; when keepalived stops it deletes the whole virtual service (unless run with -I), this server with it."
            }
            Drift::UnknownService { .. } => {
                "keepalived does not know it and leaves it alone, even when it stops."
            }
            Drift::WeightDiffers { .. } => {
                "keepalived keeps the kernel's weight until this server's next checker transition, then writes its own weight back."
            }
        }
    }

    /// The difference, in one line.
    pub fn what(&self) -> String {
        match self {
            Drift::MissingService { vs } => {
                format!("{vs}: managed by keepalived, missing in the kernel")
            }
            Drift::MissingRealServer {
                service,
                addr,
                port,
                keepalived_weight,
            } => format!(
                "{} -> {}: keepalived has it alive (weight {keepalived_weight}), missing in the kernel",
                service,
                endpoint(*addr, *port)
            ),
            Drift::RemovedButPresent {
                service,
                addr,
                port,
                kernel_weight,
            } => format!(
                "{} -> {}: dead for keepalived, still in the kernel (weight {kernel_weight})",
                service,
                endpoint(*addr, *port)
            ),
            Drift::UnknownRealServer {
                service,
                addr,
                port,
                kernel_weight,
            } => format!(
                "{} -> {}: in the kernel (weight {kernel_weight}), unknown to keepalived",
                service,
                endpoint(*addr, *port)
            ),
            Drift::UnknownService { service } => {
                format!("{}: on a keepalived VIP, unknown to keepalived", service)
            }
            Drift::WeightDiffers {
                service,
                addr,
                port,
                keepalived,
                kernel,
            } => format!(
                "{} -> {}: weight {kernel} in the kernel, {keepalived} for keepalived",
                service,
                endpoint(*addr, *port)
            ),
        }
    }
}

fn endpoint(addr: IpAddr, port: u16) -> String {
    match addr {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

/// Every difference between keepalived's checker view and the kernel's table.
pub fn drift(snapshot: &Snapshot, check: &CheckData) -> Vec<Drift> {
    let mut found = Vec::new();
    for vs in &check.virtual_servers {
        let Some(key) = vs.key.service_key() else {
            continue;
        };
        match snapshot.service(&key) {
            None => found.push(Drift::MissingService { vs: vs.key.clone() }),
            Some(service) => real_servers(&key, vs, service, &mut found),
        }
    }
    let vips: Vec<IpAddr> = check
        .virtual_servers
        .iter()
        .filter_map(|v| match v.key {
            VsKey::Addr { addr, .. } => Some(addr),
            _ => None,
        })
        .collect();
    for service in &snapshot.services {
        let key = service.config.key;
        let on_vip = matches!(key, ServiceKey::Addr { addr, .. } if vips.contains(&addr));
        let known = check
            .virtual_servers
            .iter()
            .any(|v| v.key.service_key() == Some(key));
        if on_vip && !known {
            found.push(Drift::UnknownService { service: key });
        }
    }
    found
}

fn real_servers(
    key: &ServiceKey,
    vs: &VirtualServer,
    service: &crate::ipvs::model::Service,
    found: &mut Vec<Drift>,
) {
    let (service_key, kernel) = (*key, &service.dests);
    for rs in &vs.real_servers {
        let dest = kernel
            .iter()
            .find(|d| d.config.addr == rs.addr && d.config.port == rs.port);
        let (addr, port) = (rs.addr, rs.port);
        match (rs.expected_in_kernel(), dest) {
            (Some(weight), None) => found.push(Drift::MissingRealServer {
                service: service_key,
                addr,
                port,
                keepalived_weight: weight,
            }),
            (None, Some(d)) => found.push(Drift::RemovedButPresent {
                service: service_key,
                addr,
                port,
                kernel_weight: d.config.weight,
            }),
            (Some(weight), Some(d)) if i64::from(d.config.weight) != weight => {
                found.push(Drift::WeightDiffers {
                    service: service_key,
                    addr,
                    port,
                    keepalived: weight,
                    kernel: d.config.weight,
                })
            }
            _ => {}
        }
    }
    let sorry = vs.sorry_server.as_deref().unwrap_or("");
    for d in kernel {
        let known = vs
            .real_servers
            .iter()
            .any(|r| r.addr == d.config.addr && r.port == d.config.port);
        let is_sorry = !sorry.is_empty() && sorry.contains(&d.config.addr.to_string());
        if !known && !is_sorry {
            found.push(Drift::UnknownRealServer {
                service: service_key,
                addr: d.config.addr,
                port: d.config.port,
                kernel_weight: d.config.weight,
            });
        }
    }
}
