//! Sync health: how much of a master's connection table its backup holds, per service, so
//! "is the sync daemon working?" is answered without comparing `ipvsadm -Lnc` by hand.
//!
//! The counts are the tables' own (active and inactive connections per real server, summed per
//! service): on a backup, the sync daemon's entries are bound to the same real servers, so the
//! counts are the entries it received. Entries expire on their own timers on each side, so a
//! healthy pair reads close to, not exactly, 100%.

use super::Seen;
use super::alarms::sync_pairs;
use crate::ipvs::label::service_conns;
use crate::ipvs::model::ServiceKey;
use serde::Serialize;

/// One service on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceSync {
    pub service: ServiceKey,
    pub master: u64,
    /// None: the backup has no such service (its entries cannot be bound: a finding itself).
    pub backup: Option<u64>,
}

/// A master and a backup whose sync daemons talk (same syncid, or the backup's is 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairSync {
    pub master: String,
    pub backup: String,
    pub sync_id: u8,
    /// The master's services, in its table's order.
    pub services: Vec<ServiceSync>,
    pub master_total: u64,
    pub backup_total: u64,
}

impl PairSync {
    /// The backup's entries as a share of the master's, in whole percent (None: the master has
    /// none, so there is nothing to follow).
    pub fn percent(&self) -> Option<u64> {
        percent(self.backup_total, self.master_total)
    }

    /// "98% of master's" (or why there is no share).
    pub fn summary(&self) -> String {
        match self.percent() {
            Some(p) => format!(
                "{} holds {p}% of {}'s connections ({} of {})",
                self.backup, self.master, self.backup_total, self.master_total
            ),
            None => format!(
                "{} holds {} connections; {} has none to sync",
                self.backup, self.backup_total, self.master
            ),
        }
    }
}

/// `part` of `whole` in whole percent, rounded down (None when `whole` is 0).
pub fn percent(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| part.saturating_mul(100) / whole)
}

/// Every master/backup pair among `directors`, with its per-service counts.
pub fn health(directors: &[Seen]) -> Vec<PairSync> {
    sync_pairs(directors)
        .into_iter()
        .filter_map(|(m, b, sync_id)| {
            let (master, backup) = (m.table?, b.table?);
            let services: Vec<ServiceSync> = master
                .services
                .iter()
                .map(|s| {
                    let count = |s| {
                        let (a, i) = service_conns(s);
                        a + i
                    };
                    ServiceSync {
                        service: s.config.key,
                        master: count(s),
                        backup: backup.service(&s.config.key).map(count),
                    }
                })
                .collect();
            Some(PairSync {
                master: m.name.to_string(),
                backup: b.name.to_string(),
                sync_id,
                master_total: super::conns(master),
                backup_total: super::conns(backup),
                services,
            })
        })
        .collect()
}
