//! Alarms across directors: what no single director can see wrong with itself.
//!
//! - Two directors MASTER for the same VRRP instance (split brain: both answer for the VIPs).
//! - The same VIP (an address of an IPVS service) bound on two directors' interfaces.
//! - A backup sync daemon whose table holds no connection while its master's table has some:
//!   the sync daemon's multicast does not arrive (wrong interface, syncid, firewall).

use super::{Seen, conns};
use crate::ipvs::model::{ServiceKey, SyncState};
use crate::owners::keepalived::VrrpState;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "alarm", rename_all = "snake_case")]
pub enum Alarm {
    /// keepalived on each of `directors` says MASTER for VRRP instance `instance`.
    DoubleMaster {
        instance: String,
        directors: Vec<String>,
    },
    /// `vips` are bound on an interface of each of `directors`.
    SharedVip {
        vips: Vec<IpAddr>,
        directors: Vec<String>,
    },
    /// `backup`'s sync daemon (backup) shows no connection while `master`'s table holds
    /// `master_conns` and its master daemon runs with a syncid the backup accepts.
    SyncSilent {
        master: String,
        backup: String,
        master_conns: u64,
        sync_id: u8,
    },
}

impl fmt::Display for Alarm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Alarm::DoubleMaster {
                instance,
                directors,
            } => write!(
                f,
                "TWO MASTERS: VRRP instance {instance} is MASTER on {}",
                directors.join(" and ")
            ),
            Alarm::SharedVip { vips, directors } => {
                let shown: Vec<String> = vips.iter().take(3).map(ToString::to_string).collect();
                let more = match vips.len().saturating_sub(3) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                write!(
                    f,
                    "VIP TWICE: {}{more} {} bound on {}",
                    shown.join(", "),
                    if vips.len() == 1 { "is" } else { "are" },
                    directors.join(" and ")
                )
            }
            Alarm::SyncSilent {
                master,
                backup,
                master_conns,
                sync_id,
            } => write!(
                f,
                "SYNC SILENT: backup {backup} holds no connection while master {master} holds {master_conns} (syncid {sync_id})"
            ),
        }
    }
}

/// Every alarm across `directors`, in a stable order: masters, VIPs, sync.
pub fn alarms(directors: &[Seen]) -> Vec<Alarm> {
    let mut out = double_masters(directors);
    out.extend(shared_vips(directors));
    out.extend(silent_syncs(directors));
    out
}

fn double_masters(directors: &[Seen]) -> Vec<Alarm> {
    let mut masters: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in directors {
        for instance in d.vrrp {
            if instance.state == VrrpState::Master {
                let names = masters.entry(instance.name.as_str()).or_default();
                if !names.iter().any(|n| n == d.name) {
                    names.push(d.name.to_string());
                }
            }
        }
    }
    masters
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(instance, directors)| Alarm::DoubleMaster {
            instance: instance.to_string(),
            directors,
        })
        .collect()
}

/// The addresses of the services of every director's table: the VIPs.
fn vips(directors: &[Seen]) -> BTreeSet<IpAddr> {
    directors
        .iter()
        .filter_map(|d| d.table)
        .flat_map(|t| &t.services)
        .filter_map(|s| match s.config.key {
            ServiceKey::Addr { addr, .. } => Some(addr),
            ServiceKey::Fwmark { .. } => None,
        })
        .collect()
}

fn shared_vips(directors: &[Seen]) -> Vec<Alarm> {
    let vips = vips(directors);
    let mut bound: BTreeMap<IpAddr, Vec<String>> = BTreeMap::new();
    for d in directors {
        let Some(host) = d.host else { continue };
        let here: BTreeSet<IpAddr> = host
            .links
            .iter()
            .flat_map(|l| &l.addrs)
            .map(|a| a.addr)
            .filter(|a| vips.contains(a))
            .collect();
        for vip in here {
            bound.entry(vip).or_default().push(d.name.to_string());
        }
    }
    // One alarm per set of directors, with every VIP they share.
    let mut shared: BTreeMap<Vec<String>, Vec<IpAddr>> = BTreeMap::new();
    for (vip, names) in bound {
        if names.len() > 1 {
            shared.entry(names).or_default().push(vip);
        }
    }
    shared
        .into_iter()
        .map(|(directors, vips)| Alarm::SharedVip { vips, directors })
        .collect()
}

/// A backup daemon takes a master's messages when its syncid is the master's, or 0 (any).
pub fn accepts(backup_id: u8, master_id: u8) -> bool {
    backup_id == 0 || backup_id == master_id
}

/// Pairs (master, backup, master's syncid) of directors whose sync daemons talk to each other.
pub fn sync_pairs<'a>(directors: &'a [Seen<'a>]) -> Vec<(&'a Seen<'a>, &'a Seen<'a>, u8)> {
    let daemon = |d: &Seen, state: SyncState| {
        d.table?
            .daemons
            .iter()
            .find(|x| x.state == state)
            .map(|x| x.sync_id)
    };
    let mut pairs = Vec::new();
    for m in directors {
        let Some(master_id) = daemon(m, SyncState::Master) else {
            continue;
        };
        for b in directors {
            if std::ptr::eq(m, b) {
                continue;
            }
            if let Some(backup_id) = daemon(b, SyncState::Backup)
                && accepts(backup_id, master_id)
            {
                pairs.push((m, b, master_id));
            }
        }
    }
    pairs
}

fn silent_syncs(directors: &[Seen]) -> Vec<Alarm> {
    sync_pairs(directors)
        .into_iter()
        .filter_map(|(m, b, sync_id)| {
            let master_conns = conns(m.table?);
            (master_conns > 0 && conns(b.table?) == 0).then(|| Alarm::SyncSilent {
                master: m.name.to_string(),
                backup: b.name.to_string(),
                master_conns,
                sync_id,
            })
        })
        .collect()
}
