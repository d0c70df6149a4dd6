//! keepalived's notify FIFO lines (`lvs_notify_fifo`, `vrrp_notify_fifo`, `notify_fifo`), one
//! event a line, as keepalived 2.2 writes them (check/ipwrapper.c, vrrp/vrrp_notify.c):
//!
//! ```text
//! RS [10.10.0.11]:tcp:80 [203.0.113.100]:tcp:80 UP       (or DOWN; FWM 7 / [group]:80 for the VS)
//! VS [203.0.113.100]:tcp:80 DOWN                         (the virtual server's quorum)
//! INSTANCE "VI_1" MASTER 150                             (BACKUP, FAULT, STOP, DELETED)
//! INSTANCE "VI_1" MASTER_PRIORITY 140                    (BACKUP_PRIORITY, MASTER_RX_LOWER_PRI)
//! GROUP "G1" BACKUP 0
//! ```
//!
//! A line of another shape is refused with the reason and counted by the caller: never guessed.
//! [`apply`] writes an event into the last state read from the dump files.

use super::check::{endpoint, vs_matches};
use super::model::VrrpState;
use super::reader::KeepalivedState;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// One line of a notify FIFO, understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// A real server's checkers all pass (`up`) or one failed.
    RealServer {
        /// The virtual server as keepalived names it: `[203.0.113.100]:tcp:80`, `FWM 7`.
        vs: String,
        addr: IpAddr,
        port: u16,
        up: bool,
    },
    /// A virtual server gained (`up`) or lost its quorum.
    VirtualServer { vs: String, up: bool },
    /// A VRRP instance entered a state, with its effective priority.
    Instance {
        name: String,
        state: VrrpState,
        priority: u32,
    },
    /// An instance's effective priority changed (`MASTER_PRIORITY`, `BACKUP_PRIORITY`).
    Priority { name: String, priority: u32 },
    /// A MASTER heard an advert of lower priority (`MASTER_RX_LOWER_PRI`): nothing changes.
    LowerPriorityAdvert { name: String },
    /// A sync group entered a state (ipvs-tui shows instances, not groups).
    Group { name: String, state: VrrpState },
}

/// Why a line was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a keepalived notify line ({what}): {line:?}")]
pub struct Unknown {
    pub line: String,
    pub what: &'static str,
}

pub fn parse(line: &str) -> Result<Event, Unknown> {
    let bad = |what| Unknown {
        line: line.chars().take(200).collect(),
        what,
    };
    let text = line.trim_end_matches(['\n', '\r']);
    let (kind, rest) = text.split_once(' ').ok_or_else(|| bad("no event word"))?;
    match kind {
        "RS" => {
            let (rs, rest) = rest.split_once(' ').ok_or_else(|| bad("RS without a VS"))?;
            let (vs, state) = rest
                .rsplit_once(' ')
                .ok_or_else(|| bad("RS without a state"))?;
            let (addr, port) = endpoint(rs).ok_or_else(|| bad("unreadable real server"))?;
            if vs_name(vs).is_none() {
                return Err(bad("unreadable virtual server"));
            }
            Ok(Event::RealServer {
                vs: vs.to_string(),
                addr,
                port,
                up: up_down(state).ok_or_else(|| bad("state is not UP or DOWN"))?,
            })
        }
        "VS" => {
            let (vs, state) = rest
                .rsplit_once(' ')
                .ok_or_else(|| bad("VS without a state"))?;
            if vs_name(vs).is_none() {
                return Err(bad("unreadable virtual server"));
            }
            Ok(Event::VirtualServer {
                vs: vs.to_string(),
                up: up_down(state).ok_or_else(|| bad("state is not UP or DOWN"))?,
            })
        }
        "INSTANCE" | "GROUP" => {
            let (name, rest) = rest
                .strip_prefix('"')
                .and_then(|r| r.split_once("\" "))
                .ok_or_else(|| bad("no quoted name"))?;
            let mut words = rest.split(' ');
            let (Some(state), Some(priority), None) = (words.next(), words.next(), words.next())
            else {
                return Err(bad("not STATE PRIORITY after the name"));
            };
            let priority: u32 = priority.parse().map_err(|_| bad("unreadable priority"))?;
            let name = name.to_string();
            if kind == "GROUP" {
                let state = VrrpState::from_name(state).ok_or_else(|| bad("unknown state"))?;
                return Ok(Event::Group { name, state });
            }
            Ok(match state {
                "MASTER_PRIORITY" | "BACKUP_PRIORITY" => Event::Priority { name, priority },
                "MASTER_RX_LOWER_PRI" => Event::LowerPriorityAdvert { name },
                _ => Event::Instance {
                    name,
                    state: VrrpState::from_name(state).ok_or_else(|| bad("unknown state"))?,
                    priority,
                },
            })
        }
        _ => Err(bad("unknown event word")),
    }
}

fn up_down(word: &str) -> Option<bool> {
    match word {
        "UP" => Some(true),
        "DOWN" => Some(false),
        _ => None,
    }
}

/// `[addr]:proto:port`, `[group]:port` or `FWM mark`: checked, returned as written.
fn vs_name(text: &str) -> Option<&str> {
    if let Some(mark) = text.strip_prefix("FWM ") {
        return mark.parse::<u32>().ok().map(|_| text);
    }
    let (name, rest) = text.strip_prefix('[')?.split_once("]:")?;
    let port = rest.rsplit(':').next()?;
    (!name.is_empty() && port.parse::<u16>().is_ok()).then_some(text)
}

/// Writes `event` into `state` (the last state read from the dumps), as keepalived itself
/// changed it at `at`. Returns false when the state has nothing the event names (then the
/// next dump tells). A real server that goes DOWN has at least one failed checker; which one
/// the line does not say, so only a server with a single checker gets it marked.
pub fn apply(state: &mut KeepalivedState, event: &Event, at: Timestamp) -> bool {
    match event {
        Event::RealServer { vs, addr, port, up } => {
            let Some(check) = state.check.as_mut() else {
                return false;
            };
            let mut found = false;
            let servers = check
                .virtual_servers
                .iter_mut()
                .filter(|v| vs_matches(&v.key, vs))
                .flat_map(|v| v.real_servers.iter_mut())
                .filter(|r| r.addr == *addr && r.port == *port);
            for rs in servers {
                found = true;
                rs.alive = *up;
                if let Some(set) = rs.set.as_mut() {
                    *set = *up || rs.inhibit_on_failure;
                }
                if *up {
                    rs.failed_checkers = 0;
                    rs.checkers.iter_mut().for_each(|c| c.up = true);
                } else {
                    rs.failed_checkers = rs.failed_checkers.max(1);
                    if let [only] = rs.checkers.as_mut_slice() {
                        only.up = false;
                    }
                }
            }
            found
        }
        Event::VirtualServer { vs, up } => {
            let Some(check) = state.check.as_mut() else {
                return false;
            };
            let mut found = false;
            for v in check
                .virtual_servers
                .iter_mut()
                .filter(|v| vs_matches(&v.key, vs))
            {
                found = true;
                v.quorum_up = Some(*up);
            }
            found
        }
        Event::Instance {
            name,
            state: to,
            priority,
        } => instance(state, name, |vi| {
            if vi.state != *to {
                vi.last_transition = Some(at);
            }
            vi.state = *to;
            vi.want_state = Some(*to);
            vi.effective_priority = Some(*priority);
            if *to == VrrpState::Master {
                vi.master_router = None;
            }
        }),
        Event::Priority { name, priority } => instance(state, name, |vi| {
            vi.effective_priority = Some(*priority);
        }),
        Event::LowerPriorityAdvert { name } => instance(state, name, |_| {}),
        Event::Group { .. } => false,
    }
}

fn instance(
    state: &mut KeepalivedState,
    name: &str,
    change: impl FnOnce(&mut super::model::VrrpInstance),
) -> bool {
    let found = state
        .vrrp
        .as_mut()
        .and_then(|v| v.instances.iter_mut().find(|vi| vi.name == name));
    found.map(change).is_some()
}

/// Bytes read from a FIFO, cut into lines. A line longer than keepalived ever writes is
/// dropped whole (counted), so noise without newlines cannot grow memory.
#[derive(Debug, Default)]
pub struct Lines {
    partial: Vec<u8>,
    /// The current line is too long: skip to its end.
    skipping: bool,
    /// Lines dropped for their length.
    pub overlong: usize,
}

/// keepalived's lines are short (a name, two addresses, a word); PIPE_BUF is 4096.
pub const MAX_LINE: usize = 4096;

impl Lines {
    /// The whole lines `bytes` complete, in order.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for piece in bytes.split_inclusive(|&b| b == b'\n') {
            let ends = piece.ends_with(b"\n");
            let body = piece.strip_suffix(b"\n").unwrap_or(piece);
            if !self.skipping {
                self.partial.extend_from_slice(body);
                if self.partial.len() > MAX_LINE {
                    self.partial.clear();
                    self.skipping = true;
                    self.overlong += 1;
                }
            }
            if ends {
                if !self.skipping {
                    out.push(String::from_utf8_lossy(&self.partial).into_owned());
                }
                self.partial.clear();
                self.skipping = false;
            }
        }
        out
    }
}
