//! What keepalived says about itself, as plain data: VRRP instances and the virtual and real
//! servers of its checker, read from its dump files (see `vrrp` and `check`).

use crate::ipvs::model::{Family, Protocol, ServiceKey};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

/// A VRRP instance's state, as keepalived names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum VrrpState {
    Init,
    Backup,
    Master,
    Fault,
    Stop,
    Deleted,
}

impl VrrpState {
    /// The name keepalived prints (`MASTER`...).
    pub fn name(self) -> &'static str {
        match self {
            VrrpState::Init => "INIT",
            VrrpState::Backup => "BACKUP",
            VrrpState::Master => "MASTER",
            VrrpState::Fault => "FAULT",
            VrrpState::Stop => "STOP",
            VrrpState::Deleted => "DELETED",
        }
    }

    pub fn from_name(name: &str) -> Option<VrrpState> {
        [
            VrrpState::Init,
            VrrpState::Backup,
            VrrpState::Master,
            VrrpState::Fault,
            VrrpState::Stop,
            VrrpState::Deleted,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }
}

impl fmt::Display for VrrpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A virtual address of a VRRP instance: `203.0.113.110/24 dev out0 scope global set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrrpAddress {
    pub addr: IpAddr,
    pub prefix: Option<u8>,
    pub dev: Option<String>,
    /// keepalived has it on this host now (the `set` word of its dump).
    pub set: bool,
}

/// One `vrrp_instance` as keepalived's VRRP process sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VrrpInstance {
    pub name: String,
    pub state: VrrpState,
    /// Where keepalived is heading (`Wantstate`), when the dump says.
    pub want_state: Option<VrrpState>,
    pub interface: Option<String>,
    pub vrid: Option<u8>,
    /// Configured priority.
    pub priority: Option<u32>,
    /// Priority after tracked scripts and interfaces.
    pub effective_priority: Option<u32>,
    /// The router this BACKUP hears as master, and its priority.
    pub master_router: Option<IpAddr>,
    pub master_priority: Option<u32>,
    pub last_transition: Option<Timestamp>,
    pub addresses: Vec<VrrpAddress>,
}

/// keepalived.data: the VRRP process's view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VrrpData {
    pub router_id: Option<String>,
    pub instances: Vec<VrrpInstance>,
}

/// A virtual server as keepalived names it: address, firewall mark, or a group of those.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum VsKey {
    Addr {
        protocol: Proto,
        addr: IpAddr,
        port: u16,
    },
    Fwmark {
        mark: u32,
        ipv6: bool,
    },
    /// `virtual_server group NAME`: its members are not in the dump.
    Group {
        name: String,
    },
}

/// Transport protocol of an address virtual server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Tcp,
    Udp,
    Sctp,
}

impl VsKey {
    /// The IPVS service this virtual server is; none for a group.
    pub fn service_key(&self) -> Option<ServiceKey> {
        match self {
            VsKey::Addr {
                protocol,
                addr,
                port,
            } => Some(ServiceKey::Addr {
                protocol: match protocol {
                    Proto::Tcp => Protocol::Tcp,
                    Proto::Udp => Protocol::Udp,
                    Proto::Sctp => Protocol::Sctp,
                },
                addr: *addr,
                port: *port,
            }),
            VsKey::Fwmark { mark, ipv6 } => Some(ServiceKey::Fwmark {
                mark: *mark,
                family: if *ipv6 { Family::Inet6 } else { Family::Inet },
            }),
            VsKey::Group { .. } => None,
        }
    }
}

impl fmt::Display for VsKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VsKey::Addr {
                protocol,
                addr,
                port,
            } => {
                let p = match protocol {
                    Proto::Tcp => "TCP",
                    Proto::Udp => "UDP",
                    Proto::Sctp => "SCTP",
                };
                match addr {
                    IpAddr::V4(a) => write!(f, "{p} {a}:{port}"),
                    IpAddr::V6(a) => write!(f, "{p} [{a}]:{port}"),
                }
            }
            VsKey::Fwmark { mark, ipv6: false } => write!(f, "FWM {mark}"),
            VsKey::Fwmark { mark, ipv6: true } => write!(f, "FWM {mark} IPv6"),
            VsKey::Group { name } => write!(f, "group {name}"),
        }
    }
}

/// How keepalived forwards to a real server (`lb_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LbKind {
    Nat,
    Dr,
    Tun,
}

/// One health checker of a real server (`TCP_CHECK`, `HTTP_GET`...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checker {
    /// keepalived's name for it, e.g. `TCP_CHECK`.
    pub kind: Option<String>,
    /// Its last verdict: the server answered.
    pub up: bool,
    pub enabled: bool,
}

/// A real server of a virtual server, with keepalived's verdict on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealServer {
    pub addr: IpAddr,
    pub port: u16,
    pub forward: Option<LbKind>,
    /// The configured weight.
    pub weight: i64,
    /// The weight keepalived gives the kernel while the server is alive.
    pub effective_weight: i64,
    /// keepalived's checker verdict.
    pub alive: bool,
    /// Checkers that currently fail.
    pub failed_checkers: u32,
    /// The checkers of the Health checkers section (empty when the dump lists none).
    pub checkers: Vec<Checker>,
    /// `inhibit_on_failure`: a dead server stays in the kernel at weight 0.
    pub inhibit_on_failure: bool,
    /// keepalived believes the server is in the kernel's table (`RS set`), when the dump says.
    pub set: Option<bool>,
}

impl RealServer {
    /// Whether keepalived means this server to be in the kernel's table, and at which weight.
    pub fn expected_in_kernel(&self) -> Option<i64> {
        let present = self.set.unwrap_or(self.alive || self.inhibit_on_failure);
        match (present, self.alive) {
            (false, _) => None,
            (true, true) => Some(self.effective_weight.max(0)),
            (true, false) => Some(0),
        }
    }
}

/// A `virtual_server` of keepalived's checker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualServer {
    pub key: VsKey,
    pub scheduler: Option<String>,
    pub forward: Option<LbKind>,
    /// The quorum of alive real servers is met.
    pub quorum_up: Option<bool>,
    pub real_servers: Vec<RealServer>,
    /// The sorry server as keepalived prints it, when one is configured.
    pub sorry_server: Option<String>,
}

/// keepalived_check.data: the checker process's view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckData {
    pub router_id: Option<String>,
    pub virtual_servers: Vec<VirtualServer>,
}
