//! The agent's wire protocol: one JSON value per line, both ways, versioned by a hello.
//!
//! ```text
//! agent  -> {"hello":{"protocol":1,"program":"ipvs-tui 0.1.0","host":"lb1","ipvs":"1.2.1",...}}
//! client -> {"hello":{"protocol":1,"user":"alice","program":"ipvs-tui 0.1.0"}}
//! client -> {"id":1,"req":{"poll":{"focus":null,"since":null}}}
//! agent  -> {"id":1,"body":{"poll":{"generation":1,"full":{...}}}}
//! client -> {"id":2,"req":{"apply":{"op":"edit_dest",...}}}
//! agent  -> {"id":2,"body":{"applied":{"Ok":null}}}
//! ```
//!
//! Requests carry ids and may overlap; replies carry the id of their request (none when the
//! line was not a request at all). Every failure is a typed reply, never a dropped line.

use crate::host::HostState;
use crate::ipvs::conns::Counts;
use crate::ipvs::model::{Info, Service, Snapshot, SyncDaemon, Timeouts, Watched};
use crate::operation::{Operation, OperationError};
use crate::owners::keepalived::reader::{KeepalivedState, ReadError};
use crate::setup::persist::{OnDisk, PersistFile, Written};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::path::PathBuf;

/// Bumped on any change a peer of the previous version would misread.
pub const PROTOCOL: u32 = 1;
/// The longest request line an agent reads; longer ones are answered with an error and skipped.
pub const MAX_REQUEST: usize = 1 << 20;
/// The longest reply line; an agent sends an error instead of a longer reply.
pub const MAX_REPLY: usize = 16 << 20;

/// What the agent says first: who it is and what it may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentHello {
    pub protocol: u32,
    /// `ipvs-tui VERSION`.
    pub program: String,
    /// The director's host name.
    pub host: String,
    /// IPVS's version (`1.2.1`), or none when IPVS cannot be read there.
    pub ipvs: Option<String>,
    /// `agent --read-only`: every change is refused, whatever the client asks.
    pub read_only: bool,
    /// The requests this agent answers (the names of [`Request`]'s variants).
    pub capabilities: Vec<String>,
}

/// What the client says first: the operator's local user, recorded by the agent as claimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientHello {
    pub protocol: u32,
    pub user: String,
    pub program: String,
}

/// The first line each side sends: `{"hello":{...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello<T> {
    pub hello: T,
}

/// A request from the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestLine {
    pub id: u64,
    pub req: Request,
}

/// A reply from the agent: to request `id`, or to a line that named none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyLine {
    pub id: Option<u64>,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// The whole table.
    Snapshot,
    /// The table for a console's next screen, as a change since generation `since` when the
    /// agent still holds it.
    Poll {
        /// On the wire as `focus` and `draining` beside `since`: an agent from before `draining`
        /// reads the focus and ignores the rest.
        #[serde(flatten)]
        watched: Watched,
        since: Option<u64>,
    },
    /// Links, addresses, routes and sysctls.
    Host,
    Apply {
        op: Operation,
    },
    ApplyBatch {
        ops: Vec<Operation>,
    },
    /// The connection table, counted there: only the aggregates travel, rows when asked.
    Conns(ConnsQuery),
    /// What keepalived says on the director.
    Keepalived {
        pid: Option<i32>,
    },
    /// The files `persist` would write under `dir` on the director, each against its disk.
    PersistPlan {
        dir: PathBuf,
    },
    /// Writes the files `persist_plan` showed (refused if one changed on disk since), audited
    /// there; only the files `persist` writes under `dir`.
    PersistWrite {
        dir: PathBuf,
        files: Vec<(PersistFile, OnDisk)>,
    },
}

impl Request {
    /// The names an agent lists as its capabilities.
    pub const NAMES: [&str; 9] = [
        "snapshot",
        "poll",
        "host",
        "apply",
        "apply_batch",
        "conns",
        "keepalived",
        "persist_plan",
        "persist_write",
    ];

    /// What an agent of this version lists as its capabilities: its requests, and what it
    /// understands in them that an agent of the same protocol may not.
    pub fn capabilities() -> Vec<String> {
        Request::NAMES
            .iter()
            .chain([CONNS_WITHIN].iter())
            .map(|s| s.to_string())
            .collect()
    }

    /// A change of the director (refused by a read-only agent).
    pub fn changes(&self) -> bool {
        matches!(
            self,
            Request::Apply { .. } | Request::ApplyBatch { .. } | Request::PersistWrite { .. }
        )
    }
}

/// A connections query: the filter terms as `ipvs-tui conns` takes them, and how many rows to
/// send back (0: aggregates only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnsQuery {
    pub filter: Vec<String>,
    pub max_rows: usize,
    pub max_templates: usize,
    pub max_clients: usize,
    /// A scope on top of the filter: a connection's route must also match one of these filters'
    /// route terms (the console's pane on a fwmark service). Only sent to an agent that lists
    /// [`CONNS_WITHIN`]: an older one would ignore it and count too much.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub within: Vec<Vec<String>>,
}

/// The capability of an agent that honours [`ConnsQuery::within`].
pub const CONNS_WITHIN: &str = "conns_within";

/// The reply to one request, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Snapshot(Result<Snapshot, crate::ipvs::Error>),
    Poll(Result<PollAnswer, crate::ipvs::Error>),
    Host(Result<HostState, crate::host::HostError>),
    Applied(Result<(), OperationError>),
    Batch(Vec<Result<(), OperationError>>),
    Conns(Result<ConnsAnswer, String>),
    Keepalived(Result<KeepalivedState, ReadError>),
    PersistPlan(Result<Vec<(PersistFile, OnDisk)>, String>),
    PersistWritten(Written),
    /// The line was not a request this agent understands, or was too long.
    Error(ProtocolError),
}

/// A line the agent could not serve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ProtocolError {
    #[error("request line over {limit} bytes, skipped")]
    TooLong { limit: usize },
    #[error("not a request: {reason}")]
    Undecodable { reason: String },
    #[error("reply of {size} bytes over the {limit}-byte limit")]
    ReplyTooLong { size: usize, limit: usize },
    #[error("the agent cannot write its reply: {reason}")]
    Unencodable { reason: String },
}

/// A poll's table: whole, or what changed since generation `base`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollAnswer {
    pub generation: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full: Option<Snapshot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<Delta>,
}

/// The services (by position) and parts that differ from generation `base`; the services'
/// keys and order are unchanged (else the agent sends the whole table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    pub base: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<(usize, Service)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<Timeouts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemons: Option<Vec<SyncDaemon>>,
    /// `Snapshot::unread` when it changed: a large table read in steps says how far it got.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<usize>,
    /// `Snapshot::unlisted` when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unlisted: Option<usize>,
}

impl Delta {
    /// What changed from `old` to `new`, or None when only a whole table says it (services
    /// added, removed or moved).
    pub fn between(base: u64, old: &Snapshot, new: &Snapshot) -> Option<Delta> {
        let same_keys = old.services.len() == new.services.len()
            && old
                .services
                .iter()
                .zip(&new.services)
                .all(|(a, b)| a.config.key == b.config.key);
        if !same_keys {
            return None;
        }
        Some(Delta {
            base,
            services: (old.services.iter().zip(&new.services).enumerate())
                .filter(|(_, (a, b))| a != b)
                .map(|(i, (_, b))| (i, b.clone()))
                .collect(),
            info: (old.info != new.info).then_some(new.info),
            timeouts: (old.timeouts != new.timeouts).then_some(new.timeouts),
            daemons: (old.daemons != new.daemons).then(|| new.daemons.clone()),
            unread: (old.unread != new.unread).then_some(new.unread),
            unlisted: (old.unlisted != new.unlisted).then_some(new.unlisted),
        })
    }

    /// `old` moved on by this change; None when it does not fit (a position past the end).
    pub fn apply(self, old: &Snapshot) -> Option<Snapshot> {
        let mut new = old.clone();
        for (i, service) in self.services {
            let slot = new.services.get_mut(i)?;
            if slot.config.key != service.config.key {
                return None;
            }
            *slot = service;
        }
        if let Some(info) = self.info {
            new.info = info;
        }
        if let Some(t) = self.timeouts {
            new.timeouts = t;
        }
        if let Some(d) = self.daemons {
            new.daemons = d;
        }
        if let Some(unread) = self.unread {
            new.unread = unread;
        }
        if let Some(unlisted) = self.unlisted {
            new.unlisted = unlisted;
        }
        Some(new)
    }
}

/// A connections query's answer: the table's aggregates (matching lines per route and state),
/// the top clients, and the rows and templates held (bounded by the query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnsAnswer {
    pub counts: Counts,
    pub first_malformed: Option<(u64, String)>,
    pub routes: Vec<WireRoute>,
    /// Per route, matching lines per state (in `conns::names` order).
    pub route_states: Vec<Vec<u64>>,
    /// Clients with most matching lines, and the most any count may be short.
    pub clients: Vec<(IpAddr, u64)>,
    pub clients_error_bound: u64,
    pub clients_capacity: u64,
    pub rows: Vec<WireRow>,
    pub templates: Vec<WireRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireRoute {
    pub proto: u8,
    pub virt: IpAddr,
    pub vport: u16,
    pub dest: IpAddr,
    pub dport: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireRow {
    pub client: IpAddr,
    pub cport: u16,
    pub route: u32,
    /// Index of the state in `conns::names` order.
    pub state: u8,
    pub expires: u32,
    pub template: bool,
}

/// Why a line from the agent could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("line over {limit} bytes")]
    TooLong { limit: usize },
    #[error("{0}")]
    Json(String),
}

/// One value as its line, with the newline; Err when serde cannot write it (a value it has no
/// JSON for), which must fail the one call, never the link.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    let mut line = serde_json::to_vec(value).map_err(|e| e.to_string())?;
    line.push(b'\n');
    Ok(line)
}

/// One line (without its newline) as a value, refusing lines over `limit` bytes.
pub fn decode<'a, T: Deserialize<'a>>(line: &'a [u8], limit: usize) -> Result<T, DecodeError> {
    if line.len() > limit {
        return Err(DecodeError::TooLong { limit });
    }
    serde_json::from_slice(line).map_err(|e| DecodeError::Json(e.to_string()))
}

/// The id of a line that is not a whole request but names one (`{"id":7,...}`), so that its
/// error reply still reaches the caller waiting for it.
pub fn id_of(line: &[u8]) -> Option<u64> {
    #[derive(Deserialize)]
    struct Id {
        id: u64,
    }
    serde_json::from_slice::<Id>(line).ok().map(|i| i.id)
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
