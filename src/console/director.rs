//! One director: everything the console knows of one IPVS table and the host around it.
//!
//! `App` holds the director it shows and the others of the console (`--on A --on B`, parked
//! with their tables: see `console::fleet`) beside the page and overlay stack and the view
//! settings. Nothing about one director lives outside this struct,
//! except its backend: that lives in the runtime (the poller reads through it, the executor
//! applies changes through it), since console state is pure data that tests build by hand.

use super::app::{Source, UndoStep};
use super::change::Change;
use super::drain::machine::Drain;
use super::owners::Known;
use crate::host::HostState;
use crate::ipvs::Error;
use crate::ipvs::model::{DestKey, ServiceKey, Snapshot};
use crate::ipvs::rates::RateTracker;
use std::path::PathBuf;
use std::time::Instant;

pub struct Director {
    /// Its place in the console (0 for the first `--on`): actions and effects are tagged with
    /// it, so that what was asked of one director is done, audited and undone there.
    pub id: usize,
    /// The target it was opened as (`sim:lb2`, `ssh:root@lb1`), when the console has several.
    pub target: Option<String>,
    /// Where the table comes from (and its badge: SIMULATED, READ-ONLY).
    pub source: Source,
    /// The host's name, as the header shows it.
    pub host: String,
    /// The last snapshot shown (kept while polls fail, and while frozen).
    pub snapshot: Option<Snapshot>,
    /// The host around IPVS (links, addresses, sysctls) as last read by the poller.
    pub host_state: Option<HostState>,
    pub last_ok: Option<Instant>,
    /// The latest poll failure, cleared by the next good poll.
    pub poll_error: Option<(Error, Instant)>,
    /// Rates and sparkline histories of every shown poll.
    pub rates: RateTracker,
    /// ipvsadm's order of `snapshot.services` (rank per index), the default sort.
    pub(crate) ipvsadm_rank: Vec<usize>,
    /// Changes made in this console, newest last: `u` applies the last one's inverse.
    pub undo: Vec<UndoStep>,
    /// Real servers being drained (and drains whose last change is on its way).
    pub drains: Vec<Drain>,
    /// The change being applied (one at a time), and the id of the next.
    pub in_flight: Option<Change>,
    pub next_change: u64,
    /// Where changes are recorded (None: not audited, as in the demo).
    pub audit_path: Option<PathBuf>,
    /// Changes are off (--read-only, the config file, or no root): no change key is bound.
    pub read_only: bool,
    /// Where the persist pane writes (None: /etc).
    pub persist_dir: Option<PathBuf>,
    /// What is known of the table's owners: keepalived's last state, its last read error, and
    /// owner, health, drift and VRRP joined with the table (see `console::owners`).
    pub owners: Known,
    /// The change whose owner's warning was shown: the same change again applies (see `guard`).
    pub guard_ack: Option<Vec<crate::operation::Operation>>,
}

impl Director {
    pub fn new(source: Source, host: impl Into<String>) -> Director {
        Director {
            id: 0,
            target: None,
            source,
            host: host.into(),
            snapshot: None,
            host_state: None,
            last_ok: None,
            poll_error: None,
            rates: RateTracker::default(),
            ipvsadm_rank: Vec::new(),
            undo: Vec::new(),
            drains: Vec::new(),
            in_flight: None,
            next_change: 1,
            audit_path: None,
            // /proc/net/ip_vs can only be read.
            read_only: source == Source::ReadOnly,
            persist_dir: None,
            owners: Known::default(),
            guard_ack: None,
        }
    }

    /// IPVS cannot be read right now and this is not the demo: the demo is offered.
    pub fn offline(&self) -> bool {
        self.source != Source::Simulated && self.poll_error.is_some()
    }

    /// The table once every service's real servers are listed (`Snapshot::unlisted`): what
    /// judges real servers (compare, sync, alarms) reads this, not the first screen's table.
    pub fn listed(&self) -> Option<&Snapshot> {
        self.snapshot.as_ref().filter(|s| s.unlisted == 0)
    }

    /// The services with a real server being drained, each once.
    pub fn draining(&self) -> Vec<ServiceKey> {
        let mut services = Vec::new();
        for d in self.drains.iter().filter(|d| d.is_active()) {
            if !services.contains(d.service()) {
                services.push(*d.service());
            }
        }
        services
    }

    /// The drain in progress of a real server, if any.
    pub fn drain_of(&self, service: &ServiceKey, dest: DestKey) -> Option<&Drain> {
        self.drains
            .iter()
            .find(|d| d.is_active() && d.service() == service && d.dest().key() == dest)
    }
}
