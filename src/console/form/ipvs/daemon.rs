//! The sync-daemon form: start a master or backup daemon with its multicast settings, or stop
//! one; the daemons running now are shown above the fields.

use super::FieldId;
use super::check::Check;
use super::words::{DAEMON_ACTIONS, ROLES};
use crate::console::form::{Field, Fields};
use crate::ipvs::IpvsOp;
use crate::ipvs::model::*;
use crate::ipvs::parse;

const START: usize = 0;
const STATES: [SyncState; 2] = [SyncState::Master, SyncState::Backup];

/// One line per running daemon, or a line saying none runs.
pub fn context(current: &[SyncDaemon]) -> Vec<String> {
    if current.is_empty() {
        return vec!["no sync daemon is running".into()];
    }
    current.iter().map(describe).collect()
}

fn describe(d: &SyncDaemon) -> String {
    let mut out = format!(
        "running: {} on {}, syncid {}",
        d.state.name(),
        d.mcast_ifn,
        d.sync_id
    );
    if let Some(group) = d.mcast_group {
        out.push_str(&format!(", group {group}"));
    }
    for (name, value) in [
        ("port", u32::from(d.mcast_port)),
        ("ttl", u32::from(d.mcast_ttl)),
        ("maxlen", u32::from(d.sync_maxlen)),
    ] {
        if value != 0 {
            out.push_str(&format!(", {name} {value}"));
        }
    }
    out
}

/// Starts on the first role not running (and offers to stop when both run); the interface
/// and syncid start as those of a running daemon, so a backup pairs with its master.
pub fn fields(current: &[SyncDaemon]) -> Vec<Field<FieldId>> {
    let running = |s: SyncState| current.iter().any(|d| d.state == s);
    let (action, role) = match STATES.iter().position(|s| !running(*s)) {
        Some(free) => (START, free),
        None => (1, 0),
    };
    let like = current.first();
    vec![
        Field::choice(FieldId::DaemonAction, DAEMON_ACTIONS, action),
        Field::choice(FieldId::DaemonRole, ROLES, role),
        Field::text(
            FieldId::Interface,
            like.map_or(DEFAULT_MCAST_IFN, |d| d.mcast_ifn.as_str()),
        ),
        Field::text(
            FieldId::SyncId,
            like.map_or(DEFAULT_SYNC_ID, |d| d.sync_id).to_string(),
        ),
        Field::text(FieldId::MaxLen, ""),
        Field::text(FieldId::Group, ""),
        Field::text(FieldId::McastPort, ""),
        Field::text(FieldId::Ttl, ""),
    ]
}

pub fn visible(fields: Fields<'_, FieldId>, id: FieldId) -> bool {
    let start = fields.selected(FieldId::DaemonAction) == START;
    matches!(id, FieldId::DaemonAction | FieldId::DaemonRole) || start
}

pub fn build(c: &mut Check) -> IpvsOp {
    let state = STATES[c.selected(FieldId::DaemonRole).min(1)];
    if c.selected(FieldId::DaemonAction) != START {
        return IpvsOp::StopDaemon(state);
    }
    IpvsOp::StartDaemon(SyncDaemon {
        state,
        mcast_ifn: c.parse(
            FieldId::Interface,
            parse::interface,
            DEFAULT_MCAST_IFN.to_string(),
        ),
        sync_id: c
            .parse_optional(FieldId::SyncId, parse::sync_id)
            .unwrap_or(DEFAULT_SYNC_ID),
        sync_maxlen: c
            .parse_optional(FieldId::MaxLen, parse::sync_maxlen)
            .unwrap_or(0),
        mcast_group: c.parse_optional(FieldId::Group, parse::mcast_group),
        mcast_port: c
            .parse_optional(FieldId::McastPort, parse::mcast_port)
            .unwrap_or(0),
        mcast_ttl: c
            .parse_optional(FieldId::Ttl, parse::mcast_ttl)
            .unwrap_or(0),
    })
}
