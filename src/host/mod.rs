//! The machine around IPVS: links and their addresses, routes, and the sysctls LVS depends on.
//!
//! STAND-IN for branch `host` (issue 6, part 1), written to its agreed contract so that setup
//! plans and the doctor build and run before it lands; on merge, `host`'s version replaces this.

use serde::Serialize;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A network interface with its addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub index: u32,
    pub name: String,
    pub up: bool,
    /// `veth`, `bridge`, `ipip`, ... (None for plain devices).
    pub kind: Option<String>,
    pub addrs: Vec<Addr>,
}

/// An address bound on a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Addr {
    pub addr: IpAddr,
    pub prefix: u8,
    pub label: Option<String>,
}

/// A route of the main table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    pub dst: IpAddr,
    pub prefix: u8,
    pub gateway: Option<IpAddr>,
    pub dev: Option<String>,
}

/// Links, routes and sysctls (`net.ipv4.ip_forward` -> `1`) as read at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostState {
    pub links: Vec<Link>,
    pub routes: Vec<Route>,
    pub sysctls: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    #[error("{0}")]
    Failed(String),
}

/// One change to the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum HostOp {
    AddAddr { dev: String, addr: IpAddr, prefix: u8, label: Option<String> },
    DelAddr { dev: String, addr: IpAddr, prefix: u8 },
    SetSysctl { name: String, value: String },
}

impl HostOp {
    /// The equivalent shell command.
    pub fn to_command(&self) -> String {
        match self {
            HostOp::AddAddr { dev, addr, prefix, label } => {
                let label = label.as_ref().map(|l| format!(" label {l}")).unwrap_or_default();
                format!("ip addr add {addr}/{prefix} dev {dev}{label}")
            }
            HostOp::DelAddr { dev, addr, prefix } => format!("ip addr del {addr}/{prefix} dev {dev}"),
            HostOp::SetSysctl { name, value } => format!("sysctl -w {name}={value}"),
        }
    }

    /// The changes that undo this one, given the state before it.
    pub fn inverse(&self, before: &HostState) -> Option<Vec<HostOp>> {
        match self {
            HostOp::AddAddr { dev, addr, prefix, .. } => Some(vec![HostOp::DelAddr { dev: dev.clone(), addr: *addr, prefix: *prefix }]),
            HostOp::DelAddr { dev, addr, prefix } => {
                let old = before.links.iter().find(|l| &l.name == dev)?.addrs.iter().find(|a| a.addr == *addr && a.prefix == *prefix)?;
                Some(vec![HostOp::AddAddr { dev: dev.clone(), addr: *addr, prefix: *prefix, label: old.label.clone() }])
            }
            HostOp::SetSysctl { name, .. } => Some(vec![HostOp::SetSysctl { name: name.clone(), value: before.sysctls.get(name)?.clone() }]),
        }
    }
}

/// Apply one change.
pub async fn apply(op: &HostOp) -> Result<(), HostError> {
    match op {
        HostOp::SetSysctl { name, value } => {
            let path = format!("/proc/sys/{}", name.replace('.', "/"));
            tokio::fs::write(&path, format!("{value}\n")).await.map_err(|e| HostError::Failed(format!("{}: {e}", op.to_command())))
        }
        _ => {
            let command = op.to_command();
            let words: Vec<&str> = command.split_whitespace().collect();
            let out = tokio::process::Command::new(words[0]).args(&words[1..]).output().await.map_err(|e| HostError::Failed(format!("{command}: {e}")))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(HostError::Failed(format!("{command}: {}", String::from_utf8_lossy(&out.stderr).trim())))
            }
        }
    }
}

/// Read links, addresses, routes and the LVS-related sysctls of this network namespace.
pub async fn read_state() -> Result<HostState, HostError> {
    let addrs = ip_json(&["-j", "addr", "show"]).await?;
    let mut links = Vec::new();
    for l in addrs.as_array().into_iter().flatten() {
        let name = l["ifname"].as_str().unwrap_or_default().to_string();
        let flags: Vec<&str> = l["flags"].as_array().into_iter().flatten().filter_map(|f| f.as_str()).collect();
        let addrs = l["addr_info"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| {
                Some(Addr {
                    addr: a["local"].as_str()?.parse().ok()?,
                    prefix: a["prefixlen"].as_u64()? as u8,
                    label: a["label"].as_str().filter(|x| *x != name).map(str::to_string),
                })
            })
            .collect();
        let kind = l["link_type"].as_str().filter(|k| *k != "ether" && *k != "loopback").map(str::to_string);
        links.push(Link { index: l["ifindex"].as_u64().unwrap_or(0) as u32, up: flags.contains(&"UP"), kind, addrs, name });
    }
    let mut routes = Vec::new();
    for family in ["-4", "-6"] {
        for r in ip_json(&[family, "-j", "route", "show"]).await?.as_array().into_iter().flatten() {
            let dst = r["dst"].as_str().unwrap_or_default();
            let (dst, prefix) = match dst {
                "default" => (if family == "-4" { "0.0.0.0" } else { "::" }, 0),
                d => match d.split_once('/') {
                    Some((a, p)) => (a, p.parse().unwrap_or(0)),
                    None => (d, if family == "-4" { 32 } else { 128 }),
                },
            };
            let Ok(dst) = dst.parse() else { continue };
            routes.push(Route { dst, prefix, gateway: r["gateway"].as_str().and_then(|g| g.parse().ok()), dev: r["dev"].as_str().map(str::to_string) });
        }
    }
    let mut sysctls = BTreeMap::new();
    let mut names = vec!["net.ipv4.ip_forward".to_string()];
    for dev in ["all".to_string(), "default".to_string()].into_iter().chain(links.iter().map(|l| l.name.clone())) {
        for key in ["arp_ignore", "arp_announce", "rp_filter"] {
            names.push(format!("net.ipv4.conf.{dev}.{key}"));
        }
    }
    for name in names {
        if let Ok(v) = tokio::fs::read_to_string(format!("/proc/sys/{}", name.replace('.', "/"))).await {
            sysctls.insert(name, v.trim().to_string());
        }
    }
    Ok(HostState { links, routes, sysctls })
}

async fn ip_json(args: &[&str]) -> Result<serde_json::Value, HostError> {
    let out = tokio::process::Command::new("ip").args(args).output().await.map_err(|e| HostError::Failed(format!("ip {}: {e}", args.join(" "))))?;
    if !out.status.success() {
        return Err(HostError::Failed(format!("ip {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim())));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| HostError::Failed(format!("ip {}: {e}", args.join(" "))))
}
