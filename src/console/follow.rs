//! Following keepalived's notify FIFOs, as the console decides it: after a good dump, start
//! following the FIFOs of that keepalived (once per process, again after a FIFO closed or was
//! missing); apply each event at once to the state shown; while the FIFOs carry the events of
//! every keepalived process that runs, dumps drop to a slow refresh (weights, drift).

use super::action::Effect;
use super::app::App;
use super::owners::{self, EVERY, Known};
use crate::owners::keepalived::follow::{FollowReport, Followed, NotFollowed};
use crate::owners::keepalived::notify;
use crate::owners::keepalived::process::Process;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// keepalived is still asked for its dump this often while its FIFOs are followed.
pub const SLOW: Duration = Duration::from_secs(60);

/// The follow session of the director's keepalived, and what it brought.
#[derive(Debug, Default)]
pub struct Following {
    /// The session in progress (or last ended); reports of others are dropped.
    pub session: u64,
    pub state: FollowState,
    /// Events applied, and lines of no known shape ignored, in this session.
    pub events: usize,
    pub unknown: usize,
    pub last_unknown: Option<String>,
    /// When the last event came.
    pub last_event: Option<Instant>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum FollowState {
    /// Not tried yet.
    #[default]
    Off,
    Starting {
        pid: i32,
    },
    Following {
        pid: i32,
        fifos: Vec<PathBuf>,
        /// Whether they carry the VRRP and the checker events.
        vrrp: bool,
        checker: bool,
        since: Instant,
    },
    Not {
        pid: i32,
        why: NotFollowed,
    },
    Closed {
        pid: i32,
        path: PathBuf,
        at: Instant,
    },
}

impl Following {
    /// The FIFOs followed, when following.
    pub fn fifos(&self) -> Option<&[PathBuf]> {
        match &self.state {
            FollowState::Following { fifos, .. } => Some(fifos),
            _ => None,
        }
    }
}

/// How often to ask for a dump: slowly when the FIFOs carry every running process's events.
pub fn cadence(k: &Known) -> Duration {
    let process = k.keepalived.as_ref().map(|(s, _)| &s.process);
    match (&k.following.state, process) {
        (FollowState::Following { vrrp, checker, .. }, Some(p))
            if (*vrrp || p.vrrp == Some(false)) && (*checker || p.checker == Some(false)) =>
        {
            SLOW
        }
        _ => EVERY,
    }
}

/// After a good dump of `process`: follow its FIFOs unless already following or tried for
/// this process with an answer that stands (no FIFO, a script reads them).
pub fn after_read(app: &mut App, process: &Process) -> Vec<Effect> {
    if !app.director.owners.enabled {
        return vec![];
    }
    let f = &mut app.director.owners.following;
    let retry = match &f.state {
        FollowState::Off => true,
        FollowState::Starting { .. } => false,
        FollowState::Following { pid, .. } => *pid != process.pid,
        FollowState::Not { pid, why } => *pid != process.pid || why.transient(),
        FollowState::Closed { .. } => true,
    };
    if !retry {
        return vec![];
    }
    f.session += 1;
    f.state = FollowState::Starting { pid: process.pid };
    f.events = 0;
    f.unknown = 0;
    f.last_unknown = None;
    vec![Effect::FollowKeepalived {
        session: f.session,
        process: process.clone(),
    }]
}

/// A report of the follow session.
pub fn report(app: &mut App, report: FollowReport) -> Vec<Effect> {
    let f = &mut app.director.owners.following;
    if report.session != f.session {
        return vec![];
    }
    let pid = match &f.state {
        FollowState::Starting { pid }
        | FollowState::Following { pid, .. }
        | FollowState::Not { pid, .. }
        | FollowState::Closed { pid, .. } => *pid,
        FollowState::Off => return vec![],
    };
    app.now = app.now.max(report.at);
    match report.what {
        Followed::Started {
            fifos,
            vrrp,
            checker,
            backlog,
        } => {
            tracing::debug!(?fifos, backlog, "keepalived FIFOs followed");
            f.state = FollowState::Following {
                pid,
                fifos,
                vrrp,
                checker,
                since: report.at,
            };
            // What happened between the last dump and the FIFOs' opening is in no event.
            owners::ask(app)
        }
        Followed::NotFollowed(why) => {
            f.state = FollowState::Not { pid, why };
            vec![]
        }
        Followed::Closed { path } => {
            f.state = FollowState::Closed {
                pid,
                path,
                at: report.at,
            };
            // keepalived stopped or restarted: a dump says which, and follows the new one.
            owners::ask(app)
        }
        Followed::Lines { parsed, when } => {
            f.unknown += parsed.unknown;
            if parsed.first_unknown.is_some() {
                f.last_unknown = parsed.first_unknown;
            }
            f.events += parsed.events.len();
            f.last_event = Some(report.at);
            let k = &mut app.director.owners;
            let Some((state, _)) = k.keepalived.as_mut() else {
                return vec![];
            };
            let before = state.clone();
            for event in &parsed.events {
                if !notify::apply(state, event, when) {
                    tracing::debug!(?event, "keepalived FIFO event names nothing known");
                }
            }
            owners::note_roles(app, &before, report.at);
            owners::recompute(app);
            app.rebuild();
            vec![]
        }
    }
}
