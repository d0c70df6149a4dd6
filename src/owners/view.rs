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
    /// The kernel's real servers, then keepalived's that the kernel lacks.
    pub dests: Vec<DestView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// Joins the kernel's table with what its owners say.
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
            let mut dests: Vec<DestView> = s
                .dests
                .iter()
                .map(|d| DestView {
                    addr: d.config.addr,
                    port: d.config.port,
                    health: check
                        .and_then(|c| health(c, &key, d.config.addr, d.config.port, Some(d))),
                })
                .collect();
            for (addr, port) in keepalived_only(check, &key, &s.dests) {
                dests.push(DestView {
                    addr,
                    port,
                    health: check.and_then(|c| health(c, &key, addr, port, None)),
                });
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
        drift: check.map(|c| drift(snapshot, c)).unwrap_or_default(),
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
fn keepalived_only(
    check: Option<&CheckData>,
    key: &ServiceKey,
    kernel: &[Dest],
) -> Vec<(IpAddr, u16)> {
    check
        .into_iter()
        .flat_map(|c| &c.virtual_servers)
        .filter(|v| v.key.service_key().as_ref() == Some(key))
        .flat_map(|v| &v.real_servers)
        .filter(|r| {
            !kernel
                .iter()
                .any(|d| d.config.addr == r.addr && d.config.port == r.port)
        })
        .map(|r| (r.addr, r.port))
        .collect()
}
