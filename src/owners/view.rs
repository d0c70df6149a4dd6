//! Everything known of a table's owners, joined with the kernel's table: owner per service,
//! keepalived's health per real server, the drift, and the VRRP roles. A pure function of a
//! snapshot, the host's interfaces and keepalived's state, for the console and the CLI.

use super::drift::{Drift, drift};
use super::keepalived::reader::KeepalivedState;
use super::keepalived::{CheckData, VrrpInstance};
use super::owner::{Owner, service_owner};
use crate::host::HostState;
use crate::ipvs::model::{Dest, ServiceKey, Snapshot};
use serde::Serialize;
use std::net::IpAddr;

/// keepalived's verdict on one real server beside the kernel's weight: two facts, not merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub alive: bool,
    pub failed_checkers: u32,
    /// Checkers listed for it (0 when the dump lists none).
    pub checkers: u32,
    /// The weight keepalived gives the kernel while alive.
    pub keepalived_weight: i64,
    /// The kernel's weight; None when the kernel has no such real server.
    pub kernel_weight: Option<u32>,
}

impl Health {
    /// `alive`, or `DEAD 1/1 failed`: readable without colour.
    pub fn label(&self) -> String {
        if self.alive {
            "alive".into()
        } else {
            format!("DEAD {}/{} failed", self.failed_checkers, self.checkers)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DestView {
    pub addr: IpAddr,
    pub port: u16,
    pub health: Option<Health>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceView {
    pub key: ServiceKey,
    pub owner: Option<Owner>,
    /// The kernel's real servers, then keepalived's that the kernel lacks; empty when
    /// keepalived's checkers are not known (nothing to say of any: a large table without
    /// keepalived saves a list per service).
    pub dests: Vec<DestView>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OwnersView {
    pub services: Vec<ServiceView>,
    pub drift: Vec<Drift>,
    pub vrrp: Vec<VrrpInstance>,
}

impl OwnersView {
    pub fn service(&self, key: &ServiceKey) -> Option<&ServiceView> {
        self.services.iter().find(|s| s.key == *key)
    }
}

/// Joins the kernel's table with what its owners say. Of a service whose real servers are not
/// listed yet (`Snapshot::unlisted`), nothing is said that its real servers would decide.
pub fn analyse(
    snapshot: &Snapshot,
    host: &HostState,
    keepalived: Option<&KeepalivedState>,
) -> OwnersView {
    let check = keepalived.and_then(|k| k.check.as_ref());
    let services: Vec<ServiceView> = snapshot
        .services
        .iter()
        .map(|s| {
            let key = s.config.key;
            let mut dests = Vec::new();
            if let Some(c) = check {
                dests.extend(s.dests.iter().map(|d| DestView {
                    addr: d.config.addr,
                    port: d.config.port,
                    health: health(c, &key, d.config.addr, d.config.port, Some(d)),
                }));
                if !snapshot.unlisted(s) {
                    dests.extend(
                        keepalived_only(c, &key, &s.dests).map(|(addr, port)| DestView {
                            addr,
                            port,
                            health: health(c, &key, addr, port, None),
                        }),
                    );
                }
            }
            ServiceView {
                key,
                owner: service_owner(&key, check, host),
                dests,
            }
        })
        .collect();
    OwnersView {
        services,
        drift: check
            .filter(|_| snapshot.unlisted == 0)
            .map(|c| drift(snapshot, c))
            .unwrap_or_default(),
        vrrp: keepalived
            .and_then(|k| k.vrrp.as_ref())
            .map(|v| v.instances.clone())
            .unwrap_or_default(),
    }
}

/// keepalived's verdict on one real server of one service, if it manages it.
pub fn health(
    check: &CheckData,
    key: &ServiceKey,
    addr: IpAddr,
    port: u16,
    kernel: Option<&Dest>,
) -> Option<Health> {
    let rs = check
        .virtual_servers
        .iter()
        .filter(|v| v.key.service_key().as_ref() == Some(key))
        .flat_map(|v| &v.real_servers)
        .find(|r| r.addr == addr && r.port == port)?;
    Some(Health {
        alive: rs.alive,
        failed_checkers: rs.failed_checkers,
        checkers: rs.checkers.len() as u32,
        keepalived_weight: rs.effective_weight,
        kernel_weight: kernel.map(|d| d.config.weight),
    })
}

/// keepalived's real servers of `key` that the kernel lacks.
fn keepalived_only<'a>(
    check: &'a CheckData,
    key: &'a ServiceKey,
    kernel: &'a [Dest],
) -> impl Iterator<Item = (IpAddr, u16)> + 'a {
    check
        .virtual_servers
        .iter()
        .filter(|v| v.key.service_key().as_ref() == Some(key))
        .flat_map(|v| &v.real_servers)
        .filter(|r| {
            !kernel
                .iter()
                .any(|d| d.config.addr == r.addr && d.config.port == r.port)
        })
        .map(|r| (r.addr, r.port))
}

/// Adds `"owner"` to a service as `list --json` prints it, and `"health"` to each of its real
/// servers that keepalived manages.
pub fn annotate_service(value: &mut serde_json::Value, view: &OwnersView, key: &ServiceKey) {
    let Some(sv) = view.service(key) else {
        return;
    };
    value["owner"] = serde_json::to_value(sv.owner).expect("plain data");
    let Some(dests) = value.get_mut("dests").and_then(|d| d.as_array_mut()) else {
        return;
    };
    for dest in dests {
        let addr = dest["addr"].as_str().and_then(|a| a.parse::<IpAddr>().ok());
        let port = dest["port"].as_u64();
        let found = sv
            .dests
            .iter()
            .find(|d| Some(d.addr) == addr && Some(u64::from(d.port)) == port);
        if let Some(health) = found.and_then(|d| d.health.as_ref()) {
            dest["health"] = serde_json::to_value(health).expect("plain data");
        }
    }
}

/// [`annotate_service`] for every service of a snapshot as `list --json` prints it.
pub fn annotate_snapshot(value: &mut serde_json::Value, view: &OwnersView) {
    let Some(services) = value.get_mut("services").and_then(|s| s.as_array_mut()) else {
        return;
    };
    for (service, sv) in services.iter_mut().zip(&view.services) {
        annotate_service(service, view, &sv.key);
    }
}
