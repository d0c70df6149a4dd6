//! What the doctor looks at, gathered beforehand (see `gather`), so every check is a pure
//! function that unit tests feed with crafted facts.

use super::role::Role;
use crate::host::HostState;
use crate::ipvs::model::{Forward, Snapshot};
use serde::Serialize;
use std::net::IpAddr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// The role given by the user (`--role`); None: recognised from the host (see `roles`).
    pub role: Option<Role>,
    /// The VIP of a real server (`--vip`), when it cannot be read from lo or tunl0.
    pub vip: Option<IpAddr>,
    /// A NAT real server's director inside address (`--director`).
    pub director: Option<IpAddr>,
    pub host: HostState,
    pub ipvs: Snapshot,
    /// Every rule set this host has: nft's, and the legacy iptables tables nft does not show.
    pub firewall: Vec<FirewallRules>,
    /// A TCP connect from this host to each real server port.
    pub probes: Vec<Probe>,
    /// The ipip module is loaded (or built in).
    pub ipip: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirewallRules {
    /// What the text came from: `nft`, `iptables-legacy`, `ip6tables`, ...
    pub tool: String,
    pub text: String,
}

/// The outcome of one TCP connect with a short timeout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    pub addr: IpAddr,
    pub port: u16,
    /// None: connected. Some: why not (refused, timed out, no route).
    pub error: Option<String>,
}

impl Facts {
    /// The roles to check: the one given, else each one this host shows signs of: services
    /// forwarding by NAT, DR or TUN; a non-loopback address on lo (DR real server) or on tunl0
    /// (TUN real server).
    pub fn roles(&self) -> Vec<Role> {
        if let Some(role) = self.role {
            return vec![role];
        }
        let mut roles = Vec::new();
        let forwards = || {
            self.ipvs
                .services
                .iter()
                .flat_map(|s| s.dests.iter().map(|d| d.config.forward))
        };
        if !self.ipvs.services.is_empty() {
            if forwards().any(|f| f == Forward::Masq) {
                roles.push(Role::NatDirector);
            }
            if forwards().any(|f| f == Forward::Route) {
                roles.push(Role::DrDirector);
            }
            if forwards().any(|f| matches!(f, Forward::Tunnel { .. })) {
                roles.push(Role::TunDirector);
            }
            if roles.is_empty() {
                // A service with no real server yet: still a director, to be told so.
                roles.push(Role::DrDirector);
            }
        }
        if !self.real_server_vips("lo").is_empty() && self.ipvs.services.is_empty() {
            roles.push(Role::DrRealServer);
        }
        if !self.real_server_vips("tunl0").is_empty() && self.ipvs.services.is_empty() {
            roles.push(Role::TunRealServer);
        }
        roles
    }

    /// The VIPs a real server holds on `dev` (loopback addresses such as 127.0.0.1 are not VIPs).
    pub fn real_server_vips(&self, dev: &str) -> Vec<IpAddr> {
        let Some(link) = self.host.links.iter().find(|l| l.name == dev) else {
            return Vec::new();
        };
        link.addrs
            .iter()
            .map(|a| a.addr)
            .filter(|a| !a.is_loopback() && !is_link_local(a))
            .collect()
    }
}

fn is_link_local(a: &IpAddr) -> bool {
    match a {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}
