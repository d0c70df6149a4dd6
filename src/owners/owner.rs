//! Who writes a service: keepalived (from its dump), kube-proxy (VIP on the `kube-ipvs0` dummy
//! interface), kube-router (`kube-dummy-if`), or nobody known; and the one sentence the change
//! path shows before touching an owned object.

use super::keepalived::CheckData;
use crate::host::HostState;
use crate::ipvs::model::ServiceKey;
use serde::{Deserialize, Serialize};
use std::fmt;

/// kube-proxy (IPVS mode) binds every service VIP to this dummy interface.
pub const KUBE_PROXY_DEV: &str = "kube-ipvs0";
/// kube-router binds its service VIPs to this dummy interface.
pub const KUBE_ROUTER_DEV: &str = "kube-dummy-if";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Owner {
    Keepalived,
    KubeProxy,
    KubeRouter,
}

impl Owner {
    pub fn name(self) -> &'static str {
        match self {
            Owner::Keepalived => "keepalived",
            Owner::KubeProxy => "kube-proxy",
            Owner::KubeRouter => "kube-router",
        }
    }

    /// What the owner will do with a change made by hand, in one sentence (for the confirmation
    /// before an edit, delete, weight, drain or flush of an owned object).
    pub fn guard(self) -> &'static str {
        match self {
            Owner::Keepalived => {
                "keepalived manages this: a change made here stays only until this real server's next health-check transition, and a keepalived reload does not restore what is deleted."
            }
            Owner::KubeProxy => {
                "kube-proxy manages this: it will rewrite or delete this change at its next sync (every 30 s by default)."
            }
            Owner::KubeRouter => {
                "kube-router manages this: it will rewrite or delete this change at its next sync."
            }
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The owner of one service: keepalived when its checker manages it, else the Kubernetes
/// proxy whose dummy interface holds the VIP.
pub fn service_owner(
    key: &ServiceKey,
    keepalived: Option<&CheckData>,
    host: &HostState,
) -> Option<Owner> {
    let managed = keepalived.is_some_and(|c| {
        c.virtual_servers
            .iter()
            .any(|v| v.key.service_key().as_ref() == Some(key))
    });
    if managed {
        return Some(Owner::Keepalived);
    }
    let ServiceKey::Addr { addr, .. } = key else {
        return None;
    };
    host.bindings(*addr)
        .iter()
        .find_map(|(link, _)| match link.name.as_str() {
            KUBE_PROXY_DEV => Some(Owner::KubeProxy),
            KUBE_ROUTER_DEV => Some(Owner::KubeRouter),
            _ => None,
        })
}
