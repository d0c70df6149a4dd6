//! The machine around IPVS: links and their addresses and routes (rtnetlink), and the sysctls
//! that LVS depends on (/proc/sys). Changes are [`HostOp`] values, like `IpvsOp` for IPVS.
//! Nothing here knows that a terminal exists.

mod addrs;
pub mod demo;
mod error;
mod links;
pub mod memory;
mod memory_host;
pub mod op;
pub mod parse;
mod routes;
pub mod sysctl;
pub mod vips;

pub use error::HostError;
pub use memory_host::MemoryHost;
pub use op::HostOp;
pub use sysctl::{Allowed, LVS_SYSCTLS, SysctlInfo};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A network interface with its addresses (IPv4 first, then IPv6, in the kernel's order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub index: u32,
    pub name: String,
    /// Administratively up (`ip link set NAME up`).
    pub up: bool,
    /// The link type: "veth", "ipip", "bridge"... and "loopback" for lo; `None` for a plain
    /// device such as a physical NIC.
    pub kind: Option<String>,
    pub addrs: Vec<Addr>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addr {
    pub addr: IpAddr,
    pub prefix: u8,
    /// The IPv4 label (`eth1:0`) when it differs from the interface name.
    pub label: Option<String>,
}

/// A route of the main table: `dst/prefix` (`0.0.0.0/0` for the default route), its gateway
/// and outgoing interface when it has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub dst: IpAddr,
    pub prefix: u8,
    pub gateway: Option<IpAddr>,
    pub dev: Option<String>,
}

/// The host as LVS sees it, read at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostState {
    /// By interface index.
    pub links: Vec<Link>,
    /// Main table, IPv4 then IPv6.
    pub routes: Vec<Route>,
    /// Every LVS-relevant sysctl this host has (see [`LVS_SYSCTLS`]), by name in sysctl notation:
    /// per-interface ones for `all`, `default` and each interface.
    pub sysctls: BTreeMap<String, String>,
}

impl HostState {
    pub fn link(&self, name: &str) -> Option<&Link> {
        self.links.iter().find(|l| l.name == name)
    }

    /// Every interface holding `addr` (with any prefix), with the address as it is there.
    pub fn bindings(&self, addr: IpAddr) -> Vec<(&Link, &Addr)> {
        self.links
            .iter()
            .flat_map(|l| {
                l.addrs
                    .iter()
                    .filter(move |a| a.addr == addr)
                    .map(move |a| (l, a))
            })
            .collect()
    }
}

/// Reads links, addresses, routes and sysctls of the network namespace this process runs in.
/// Reading needs no privilege.
pub async fn read_state() -> Result<HostState, HostError> {
    let handle = links::connect()?;
    let links = links::read_links(&handle).await?;
    let routes = routes::read_routes(&handle, &links).await?;
    Ok(HostState {
        links,
        routes,
        sysctls: sysctl::read_all(),
    })
}

/// Links and their addresses only: what the services table needs (which VIPs are bound here)
/// while no pane shows routes or sysctls. One rtnetlink dump instead of three and the ~100
/// sysctl files.
pub async fn read_links() -> Result<HostState, HostError> {
    let handle = links::connect()?;
    Ok(HostState {
        links: links::read_links(&handle).await?,
        ..HostState::default()
    })
}

/// Applies one change to this host: addresses, links and routes over rtnetlink, sysctls through
/// /proc/sys.
/// On error nothing of the change is applied. The change is checked by the parsers' rules first,
/// so a sysctl name built by hand can never write outside the known /proc/sys files.
pub async fn apply(op: &HostOp) -> Result<(), HostError> {
    parse::validate(op).map_err(|e| HostError::Invalid(e.to_string()))?;
    match op {
        HostOp::AddAddr {
            dev,
            addr,
            prefix,
            label,
        } => addrs::add(&links::connect()?, dev, *addr, *prefix, label.as_deref()).await,
        HostOp::DelAddr { dev, addr, prefix } => {
            addrs::del(&links::connect()?, dev, *addr, *prefix).await
        }
        HostOp::SetSysctl { name, value } => sysctl::write(name, value),
        HostOp::SetLinkUp { link } => links::set_up(&links::connect()?, link, true).await,
        HostOp::SetLinkDown { link } => links::set_up(&links::connect()?, link, false).await,
        HostOp::ReplaceDefaultRoute { via, dev } => {
            routes::set_default(&links::connect()?, *via, dev.as_deref(), false).await
        }
        HostOp::DelDefaultRoute { via, dev } => {
            routes::set_default(&links::connect()?, *via, dev.as_deref(), true).await
        }
    }
}
