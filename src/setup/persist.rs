//! Surviving a reboot: the files `ipvs-tui persist` writes (the rules in `ipvsadm -S` format,
//! the VIPs and sysctls in host.toml, a systemd unit) and the boot-time plan read back from them.

use super::facts::Facts;
use super::net;
use super::plan::sysctl_needs;
use super::role::Role;
use crate::backend::Backend;
use crate::host::{HostError, HostOp, HostState};
use crate::ipvs;
use crate::ipvs::error::SharedError;
use crate::ipvs::model::{ServiceKey, Snapshot};
use crate::ipvs::{IpvsOp, rules};
use crate::operation::Operation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

mod write;

pub use write::{WriteRequest, Written, record, write};

/// One file to write: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PersistFile {
    pub path: PathBuf,
    pub contents: String,
}

/// How a file to write stands against the disk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDisk {
    Missing,
    Same,
    /// Another file is there: `+N -M lines` and the first differing lines (see [`diff_summary`]).
    Differs {
        summary: String,
    },
}

impl PersistFile {
    pub fn on_disk(&self) -> OnDisk {
        match std::fs::read_to_string(&self.path) {
            Ok(old) if old == self.contents => OnDisk::Same,
            Ok(old) => OnDisk::Differs {
                summary: diff_summary(&old, &self.contents),
            },
            // Unreadable counts as missing; writing it will then say what is wrong.
            Err(_) => OnDisk::Missing,
        }
    }

    /// Writes through a temporary file and a rename, so a crash never leaves half a file.
    pub fn write(&self) -> std::io::Result<()> {
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = self.path.with_extension("ipvs-tui-tmp");
        std::fs::write(&tmp, &self.contents)?;
        std::fs::rename(&tmp, &self.path)
    }
}

/// The VIPs and sysctls restored at boot (`DIR/ipvs-tui/host.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostFile {
    #[serde(default)]
    pub sysctl: BTreeMap<String, String>,
    #[serde(default)]
    pub vip: Vec<VipEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VipEntry {
    pub dev: String,
    pub address: IpAddr,
    pub prefix: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

pub fn rules_path(dir: &Path) -> PathBuf {
    dir.join("ipvs-tui/rules")
}

pub fn host_path(dir: &Path) -> PathBuf {
    dir.join("ipvs-tui/host.toml")
}

/// The systemd unit's name (`systemctl enable` it).
pub const UNIT_NAME: &str = "ipvs-tui-restore.service";

pub fn unit_path(dir: &Path) -> PathBuf {
    dir.join("systemd/system").join(UNIT_NAME)
}

/// What this setup needs at boot: the VIPs of its services bound here, a real server's VIPs on
/// lo and tunl0, and the sysctls its roles need that are in force (as they are now).
pub fn host_file(ipvs: &Snapshot, host: &HostState) -> HostFile {
    let facts = Facts {
        ipvs: ipvs.clone(),
        host: host.clone(),
        ..Facts::default()
    };
    let mut out = HostFile::default();
    let mut wanted: Vec<IpAddr> = ipvs
        .services
        .iter()
        .filter_map(|s| match s.config.key {
            ServiceKey::Addr { addr, .. } => Some(addr),
            ServiceKey::Fwmark { .. } => None,
        })
        .collect();
    wanted.extend(facts.real_server_vips("lo"));
    wanted.extend(facts.real_server_vips("tunl0"));
    for link in &host.links {
        for a in link.addrs.iter().filter(|a| wanted.contains(&a.addr)) {
            let entry = VipEntry {
                dev: link.name.clone(),
                address: a.addr,
                prefix: a.prefix,
                label: a.label.clone(),
            };
            if !out.vip.contains(&entry) {
                out.vip.push(entry);
            }
        }
    }
    let vip = wanted.first().copied();
    let faces: Vec<&str> = host
        .links
        .iter()
        .filter(|l| {
            l.up && l.name != "lo" && l.name != "tunl0" && l.addrs.iter().any(|a| a.addr.is_ipv4())
        })
        .map(|l| l.name.as_str())
        .collect();
    for role in facts.roles() {
        let mut needs = sysctl_needs(role, vip, None);
        if matches!(role, Role::DrRealServer | Role::TunRealServer) {
            for f in &faces {
                needs.extend(sysctl_needs(role, vip, Some(f)));
            }
        }
        // What is in force and does the job: persisting is no place to change the setup (a need
        // that is not met, such as eth0's own arp_ignore when `all` covers it, is left out).
        for need in needs.into_iter().filter(|n| n.is_met(host)) {
            let value = host.sysctls[&need.name].clone();
            out.sysctl.insert(need.name, value);
        }
    }
    out
}

/// The three files, ready to show and write. `exe` is the ipvs-tui the unit runs at boot.
pub fn render(dir: &Path, exe: &Path, ipvs: &Snapshot, host: &HostState) -> Vec<PersistFile> {
    let host_toml = toml::to_string(&host_file(ipvs, host)).unwrap_or_default();
    vec![
        PersistFile {
            path: rules_path(dir),
            contents: rules::save(ipvs),
        },
        PersistFile {
            path: host_path(dir),
            contents: format!(
                "# Written by `ipvs-tui persist`: the VIPs and sysctls `ipvs-tui restore --boot` sets again.\n{host_toml}"
            ),
        },
        PersistFile {
            path: unit_path(dir),
            contents: unit(dir, exe),
        },
    ]
}

/// Why the files could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanFilesError {
    #[error("cannot read the IPVS table, so the rules file cannot be made: {0}")]
    Ipvs(#[source] ipvs::Error),
    #[error("cannot read the host's links, addresses and sysctls: {0}")]
    Host(#[source] HostError),
    #[error("cannot tell where ipvs-tui is installed (the unit runs it at boot): {0}")]
    Exe(#[source] SharedError),
    /// A director elsewhere, whose agent makes its files: why it did not, naming it.
    #[error("{0}")]
    Remote(String),
}

/// The files for `dir` from `director`'s table and host as they are now, each with its state on
/// disk (the console's persist pane).
pub async fn plan(
    director: &dyn Backend,
    dir: &Path,
) -> Result<Vec<(PersistFile, OnDisk)>, PlanFilesError> {
    // Never an empty rules file because a read failed: that would wipe the saved table at boot.
    let ipvs = director.snapshot().await.map_err(PlanFilesError::Ipvs)?;
    let state = director.host().await.map_err(PlanFilesError::Host)?;
    let exe = std::env::current_exe().map_err(|e| PlanFilesError::Exe(SharedError::new(e)))?;
    Ok(render(dir, &exe, &ipvs, &state)
        .into_iter()
        .map(|f| {
            let on_disk = f.on_disk();
            (f, on_disk)
        })
        .collect())
}

/// The systemd unit: once the network is up, restore sysctls, VIPs and the table. Enabled before
/// anything was persisted (the package ships it), it is skipped rather than failed.
pub fn unit(dir: &Path, exe: &Path) -> String {
    format!(
        "# Written by `ipvs-tui persist`.\n\
         [Unit]\n\
         Description=Restore the LVS setup saved by ipvs-tui persist (sysctls, VIPs, IPVS table)\n\
         Wants=network-online.target\n\
         After=network-online.target\n\
         ConditionPathExists={}\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         RemainAfterExit=yes\n\
         ExecStart={} restore --boot --dir {}\n\
         \n\
         [Install]\n\
         WantedBy=multi-user.target\n",
        rules_path(dir).display(),
        exe.display(),
        dir.display()
    )
}

/// How a file on disk differs from what would be written: `+N -M lines`, then the first lines.
pub fn diff_summary(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut added = 0;
    let mut removed = 0;
    let mut shown = Vec::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Insert => {
                added += 1;
                "+"
            }
            similar::ChangeTag::Delete => {
                removed += 1;
                "-"
            }
            similar::ChangeTag::Equal => continue,
        };
        if shown.len() < 8 {
            shown.push(format!("  {sign} {}", change.value().trim_end()));
        }
    }
    format!("+{added} -{removed} lines\n{}", shown.join("\n"))
}

/// The Operations `restore --boot` applies for `file` on this host: sysctls and VIPs not
/// already in place, in that order.
pub fn boot_host_operations(file: &HostFile, host: &HostState) -> Vec<Operation> {
    let mut ops = Vec::new();
    for (name, value) in &file.sysctl {
        if host.sysctls.get(name) != Some(value) {
            ops.push(Operation::Host(HostOp::SetSysctl {
                name: name.clone(),
                value: value.clone(),
            }));
        }
    }
    for v in &file.vip {
        let bound =
            net::link(host, &v.dev).is_some_and(|l| l.addrs.iter().any(|a| a.addr == v.address));
        if !bound {
            ops.push(Operation::Host(HostOp::AddAddr {
                dev: v.dev.clone(),
                addr: v.address,
                prefix: v.prefix,
                label: v.label.clone(),
            }));
        }
    }
    ops
}

/// The rules' changes minus what the table already has, so a second restore changes nothing;
/// a service or real server that exists with other settings is edited to the saved ones.
pub fn boot_ipvs_operations(rules: &[IpvsOp], ipvs: &Snapshot) -> Vec<Operation> {
    rules
        .iter()
        .filter_map(|op| match op {
            IpvsOp::AddService(s) => match ipvs.service(&s.key) {
                None => Some(op.clone()),
                Some(have) if have.config != *s => Some(IpvsOp::EditService(s.clone())),
                Some(_) => None,
            },
            IpvsOp::AddDest { service, dest } => {
                let have = ipvs
                    .service(service)
                    .and_then(|s| s.dests.iter().find(|d| d.config.key() == dest.key()));
                match have {
                    None => Some(op.clone()),
                    Some(d) if d.config != *dest => Some(IpvsOp::EditDest {
                        service: *service,
                        dest: *dest,
                    }),
                    Some(_) => None,
                }
            }
            _ => Some(op.clone()),
        })
        .map(Operation::Ipvs)
        .collect()
}

/// The interfaces `file` binds VIPs on that `host` lacks (restore --boot waits for them).
pub fn missing_devices<'a>(file: &'a HostFile, host: &HostState) -> Vec<&'a str> {
    let mut out: Vec<&str> = file
        .vip
        .iter()
        .map(|v| v.dev.as_str())
        .filter(|d| net::link(host, d).is_none())
        .collect();
    out.dedup();
    out
}
