//! Host changes as values: each one is applied by `host::apply`, shown as its `ip` or `sysctl`
//! command, and knows how to undo itself given the state it replaces.

use super::{HostState, Route};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// One change to the host around IPVS. Build them through [`super::parse`] (or check them with
/// [`super::parse::validate`]) so that only sensible values reach the kernel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum HostOp {
    /// Bind an address (a VIP) to an interface, optionally under an IPv4 label such as `eth1:0`.
    AddAddr {
        dev: String,
        addr: IpAddr,
        prefix: u8,
        label: Option<String>,
    },
    /// Unbind it.
    DelAddr {
        dev: String,
        addr: IpAddr,
        prefix: u8,
    },
    /// `name` in sysctl notation (see [`super::sysctl`]), `value` already checked.
    SetSysctl { name: String, value: String },
    /// `ip link set dev LINK up` (tunl0 after modprobe ipip is down).
    SetLinkUp { link: String },
    /// `ip link set dev LINK down`: the undo of bringing one up.
    SetLinkDown { link: String },
    /// `ip route replace default via VIA [dev DEV]`: the default route of VIA's family in the
    /// main table (a NAT real server's must be the director).
    ReplaceDefaultRoute { via: IpAddr, dev: Option<String> },
    /// `ip route del default via VIA [dev DEV]`: the undo of adding one where there was none.
    DelDefaultRoute { via: IpAddr, dev: Option<String> },
}

/// The default route of `via`'s family in `state` (the first, as `ip route` lists them).
pub fn default_route(state: &HostState, via: IpAddr) -> Option<&Route> {
    state
        .routes
        .iter()
        .find(|r| r.prefix == 0 && r.dst.is_unspecified() && r.dst.is_ipv4() == via.is_ipv4())
}

impl HostOp {
    /// Unbinding a VIP stops its traffic: it asks for confirmation.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            HostOp::DelAddr { .. } | HostOp::SetLinkDown { .. } | HostOp::DelDefaultRoute { .. }
        )
    }

    /// The equivalent shell command.
    pub fn to_command(&self) -> String {
        match self {
            HostOp::AddAddr {
                dev,
                addr,
                prefix,
                label,
            } => {
                let label = label
                    .as_ref()
                    .map(|l| format!(" label {l}"))
                    .unwrap_or_default();
                format!("ip addr add {addr}/{prefix} dev {dev}{label}")
            }
            HostOp::DelAddr { dev, addr, prefix } => {
                format!("ip addr del {addr}/{prefix} dev {dev}")
            }
            HostOp::SetSysctl { name, value } if value.contains(' ') => {
                format!("sysctl -w '{name}={value}'")
            }
            HostOp::SetSysctl { name, value } => format!("sysctl -w {name}={value}"),
            HostOp::SetLinkUp { link } => format!("ip link set dev {link} up"),
            HostOp::SetLinkDown { link } => format!("ip link set dev {link} down"),
            HostOp::ReplaceDefaultRoute { via, dev } => format!(
                "ip route replace default via {via}{}",
                dev.as_ref()
                    .map(|d| format!(" dev {d}"))
                    .unwrap_or_default()
            ),
            HostOp::DelDefaultRoute { via, dev } => format!(
                "ip route del default via {via}{}",
                dev.as_ref()
                    .map(|d| format!(" dev {d}"))
                    .unwrap_or_default()
            ),
        }
    }

    /// The changes that undo this one, given the host just before it was applied; `None` when
    /// `before` lacks what it replaces (an address that is not there, a sysctl this host lacks).
    pub fn inverse(&self, before: &HostState) -> Option<Vec<HostOp>> {
        match self {
            HostOp::AddAddr {
                dev, addr, prefix, ..
            } => Some(vec![HostOp::DelAddr {
                dev: dev.clone(),
                addr: *addr,
                prefix: *prefix,
            }]),
            HostOp::DelAddr { dev, addr, prefix } => {
                let old = before
                    .link(dev)?
                    .addrs
                    .iter()
                    .find(|a| a.addr == *addr && a.prefix == *prefix)?;
                Some(vec![HostOp::AddAddr {
                    dev: dev.clone(),
                    addr: *addr,
                    prefix: *prefix,
                    label: old.label.clone(),
                }])
            }
            HostOp::SetSysctl { name, .. } => {
                let old = before.sysctls.get(name)?;
                Some(vec![HostOp::SetSysctl {
                    name: name.clone(),
                    value: old.clone(),
                }])
            }
            // A link already in the state asked for needs nothing undone.
            HostOp::SetLinkUp { link } => Some(if before.link(link)?.up {
                vec![]
            } else {
                vec![HostOp::SetLinkDown { link: link.clone() }]
            }),
            HostOp::SetLinkDown { link } => Some(if before.link(link)?.up {
                vec![HostOp::SetLinkUp { link: link.clone() }]
            } else {
                vec![]
            }),
            HostOp::ReplaceDefaultRoute { via, dev } => match default_route(before, *via) {
                None => Some(vec![HostOp::DelDefaultRoute {
                    via: *via,
                    dev: dev.clone(),
                }]),
                // A default route without a gateway (`default dev ppp0`) cannot be put back by this op.
                Some(old) => Some(vec![HostOp::ReplaceDefaultRoute {
                    via: old.gateway?,
                    dev: old.dev.clone(),
                }]),
            },
            HostOp::DelDefaultRoute { via, .. } => {
                let old = default_route(before, *via).filter(|r| r.gateway == Some(*via))?;
                Some(vec![HostOp::ReplaceDefaultRoute {
                    via: *via,
                    dev: old.dev.clone(),
                }])
            }
        }
    }

    /// What this change replaces in `before`, as lines that restore it: the `ip addr add` of an
    /// address being removed, `name = value` (sysctl.conf form) of a sysctl being set.
    pub fn before_lines(&self, before: &HostState) -> Vec<String> {
        match self {
            HostOp::AddAddr { .. } => Vec::new(),
            HostOp::DelAddr { .. }
            | HostOp::SetLinkUp { .. }
            | HostOp::SetLinkDown { .. }
            | HostOp::ReplaceDefaultRoute { .. }
            | HostOp::DelDefaultRoute { .. } => self
                .inverse(before)
                .unwrap_or_default()
                .iter()
                .map(HostOp::to_command)
                .collect(),
            HostOp::SetSysctl { name, .. } => before
                .sysctls
                .get(name)
                .map(|v| format!("{name} = {v}"))
                .into_iter()
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
