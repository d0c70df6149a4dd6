//! What the console knows of its director's owners (keepalived's last state and read error,
//! and the `OwnersView` joined from them and the table), when it asks keepalived again, and
//! the VRRP role changes it has seen while watching.
//!
//! The cadence is decided here, in `update` on each clock tick (slower while keepalived's
//! notify FIFOs are followed, see `follow`), and the read is an effect the executor carries out
//! off the loop: the poller only polls, and the decision stays pure.

use super::action::Effect;
use super::app::App;
use crate::host::HostState;
use crate::ipvs::model::ServiceKey;
use crate::owners::keepalived::VrrpState;
use crate::owners::keepalived::process::FindError;
use crate::owners::keepalived::reader::{KeepalivedState, ReadError};
use crate::owners::{Owner, OwnersView, analyse};
use std::time::{Duration, Instant};

/// keepalived is asked for its dump this often while the console runs.
pub const EVERY: Duration = Duration::from_secs(10);

/// Everything known of the director's owners.
#[derive(Debug, Default)]
pub struct Known {
    /// keepalived is asked (config.toml `keepalived`; never in the demo or read-only /proc).
    pub enabled: bool,
    /// The last good state and when it came in.
    pub keepalived: Option<(KeepalivedState, Instant)>,
    /// The last read that failed, and when; cleared by the next good read.
    pub error: Option<(ReadError, Instant)>,
    /// Owners, health, drift and VRRP, recomputed after each snapshot, host read and read.
    pub view: OwnersView,
    /// When the read in flight was asked (never more than one).
    pub asking: Option<Instant>,
    /// When keepalived was last asked.
    pub asked: Option<Instant>,
    /// VRRP role changes seen while watching: instance, old and new role, when.
    pub changes: Vec<RoleChange>,
    /// keepalived's notify FIFOs, when followed (see `follow`).
    pub following: super::follow::Following,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChange {
    pub instance: String,
    pub from: VrrpState,
    pub to: VrrpState,
    pub at: Instant,
}

impl Known {
    /// The owner of a service, when one is known.
    pub fn owner(&self, key: &ServiceKey) -> Option<Owner> {
        self.view.service(key).and_then(|s| s.owner)
    }

    /// Some service has a known owner: the services table shows the owner column.
    pub fn any_owner(&self) -> bool {
        self.view.services.iter().any(|s| s.owner.is_some())
    }

    /// keepalived's health is known for some real server: the servers table shows it.
    pub fn any_health(&self) -> bool {
        self.view
            .services
            .iter()
            .flat_map(|s| &s.dests)
            .any(|d| d.health.is_some())
    }

    /// The state shown is not the newest: the last read failed after a good one.
    pub fn stale(&self) -> Option<&(ReadError, Instant)> {
        self.keepalived.as_ref().and(self.error.as_ref())
    }

    /// The last read found no keepalived, and none was ever read: nothing to say.
    pub fn absent(&self) -> bool {
        self.keepalived.is_none()
            && matches!(
                self.error,
                None | Some((ReadError::Find(FindError::NotRunning), _))
            )
    }
}

/// Recomputes the view from the table shown, the host as read and keepalived's last state.
pub fn recompute(app: &mut App) {
    let d = &mut app.director;
    let Some(snapshot) = &d.snapshot else {
        d.owners.view = OwnersView::default();
        return;
    };
    let unread = HostState::default();
    d.owners.view = analyse(
        snapshot,
        d.host_state.as_ref().unwrap_or(&unread),
        d.owners.keepalived.as_ref().map(|(s, _)| s),
    );
}

/// On each tick: ask again once `EVERY` has passed since the last request (`follow::SLOW`
/// while the notify FIFOs are followed), unless one is in flight or reading keepalived is off.
pub fn tick(app: &mut App) -> Vec<Effect> {
    let k = &app.director.owners;
    let every = super::follow::cadence(k);
    let due = k
        .asked
        .is_none_or(|t| app.now.saturating_duration_since(t) >= every);
    if k.enabled && due { ask(app) } else { vec![] }
}

/// Asks keepalived now (the pane's refresh key), unless a request is in flight.
pub fn ask(app: &mut App) -> Vec<Effect> {
    let k = &mut app.director.owners;
    if !k.enabled || k.asking.is_some() {
        return vec![];
    }
    k.asking = Some(app.now);
    k.asked = Some(app.now);
    vec![Effect::ReadKeepalived]
}

/// A read came back. A failure keeps the last good state on screen, marked with its age and
/// the reason; a good read replaces it, a VRRP role that changed is flashed, and keepalived's
/// notify FIFOs are followed when it has some.
pub fn read(app: &mut App, result: Result<KeepalivedState, ReadError>, at: Instant) -> Vec<Effect> {
    app.now = app.now.max(at);
    app.director.owners.asking = None;
    let effects = match result {
        Ok(state) => {
            let before = app.director.owners.keepalived.take();
            let effects = super::follow::after_read(app, &state.process);
            let k = &mut app.director.owners;
            k.keepalived = Some((state, at));
            k.error = None;
            if let Some((before, _)) = before {
                note_roles(app, &before, at);
            }
            effects
        }
        Err(e) => {
            app.director.owners.error = Some((e, at));
            vec![]
        }
    };
    recompute(app);
    effects
}

/// The roles that changed from `before` to the state shown are flashed and remembered.
pub fn note_roles(app: &mut App, before: &KeepalivedState, at: Instant) {
    let Some((now, _)) = &app.director.owners.keepalived else {
        return;
    };
    let changes = role_changes(before, now, at);
    if changes.is_empty() {
        return;
    }
    let text: Vec<String> = changes
        .iter()
        .map(|c| format!("VRRP {}: {} → {}", c.instance, c.from, c.to))
        .collect();
    app.flash_error(text.join("; "));
    let k = &mut app.director.owners;
    k.changes
        .retain(|c| !changes.iter().any(|n| n.instance == c.instance));
    k.changes.extend(changes);
}

/// The instances whose role differs from the last state read.
fn role_changes(before: &KeepalivedState, now: &KeepalivedState, at: Instant) -> Vec<RoleChange> {
    let Some((old, new)) = before.vrrp.as_ref().zip(now.vrrp.as_ref()) else {
        return vec![];
    };
    new.instances
        .iter()
        .filter_map(|vi| {
            let was = old.instances.iter().find(|o| o.name == vi.name)?;
            (was.state != vi.state).then(|| RoleChange {
                instance: vi.name.clone(),
                from: was.state,
                to: vi.state,
                at,
            })
        })
        .collect()
}

/// A role change still flashed: within the error flash's time.
pub fn recently_changed(app: &App, instance: &str) -> bool {
    app.director.owners.changes.iter().any(|c| {
        c.instance == instance
            && app.now.saturating_duration_since(c.at) < super::app::FLASH_ERROR_FOR
    })
}
