//! The connections pane's state: its scope, filter, grouping and order, the read in progress
//! and the last table read, and the scope as filters.

use crate::console::view::service_label;
use crate::ipvs::conns::filter::Endpoint;
use crate::ipvs::conns::{ConnTable, Filter, GroupBy, Limits, Progress, SortBy};
use crate::ipvs::model::{ServiceKey, Snapshot};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use tui_input::Input;

/// The automatic refresh intervals `i` steps through (None: on demand only, the default: each
/// read of a big table costs the kernel a rescan of its hash table per page).
pub const REFRESH: [Option<Duration>; 5] = [
    None,
    Some(Duration::from_secs(2)),
    Some(Duration::from_secs(5)),
    Some(Duration::from_secs(10)),
    Some(Duration::from_secs(30)),
];

/// Groupings `g` steps through (None: the rows themselves).
pub const GROUPINGS: [Option<GroupBy>; 5] = [
    None,
    Some(GroupBy::Server),
    Some(GroupBy::State),
    Some(GroupBy::Client),
    Some(GroupBy::Service),
];

/// Orders `s` steps through.
pub const SORTS: [SortBy; 3] = [SortBy::Expiry, SortBy::Client, SortBy::State];

/// Which connections the pane covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Service(ServiceKey),
}

/// A read the console asks of the event loop. Compared by id and what it reads.
#[derive(Debug, Clone)]
pub struct ConnsRequest {
    pub id: u64,
    pub filter: Filter,
    pub limits: Limits,
    pub progress: Arc<Progress>,
    pub cancel: Arc<AtomicBool>,
}

impl PartialEq for ConnsRequest {
    fn eq(&self, other: &ConnsRequest) -> bool {
        (self.id, &self.filter, self.limits) == (other.id, &other.filter, other.limits)
    }
}

impl Eq for ConnsRequest {}

/// The read in progress: the loop updates `progress`; `cancel` is set through `Effect::CancelConns`.
#[derive(Debug, Clone)]
pub struct Reading {
    pub id: u64,
    pub progress: Arc<Progress>,
    pub cancel: Arc<AtomicBool>,
    /// When the read was asked for, as the console's clock said (for "reading… in N s").
    pub started: Instant,
    /// Esc was pressed: the read stops at its next chunk.
    pub cancelling: bool,
}

/// How the last read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastRead {
    pub took: Duration,
    pub cancelled: bool,
    pub at: Instant,
}

#[derive(Debug, Clone)]
pub struct ConnsPane {
    pub scope: Scope,
    /// The service selected when the pane opened: what `a` comes back to.
    pub service: Option<ServiceKey>,
    /// The scope as the last read applied it, in words.
    pub scope_label: String,
    /// The filter being typed, and what is wrong with it (shown under it).
    pub input: Input,
    pub editing: bool,
    pub input_error: Option<String>,
    /// The filter applied: the text and its terms.
    pub filter_text: String,
    pub filter: Filter,
    pub group_by: Option<GroupBy>,
    pub sort: SortBy,
    /// Show persistence templates (client -> real server) instead of connections.
    pub templates: bool,
    pub reading: Option<Reading>,
    /// The last table read, its rows in `sort` order.
    pub table: Option<ConnTable>,
    pub last: Option<LastRead>,
    /// Why the last read failed.
    pub error: Option<String>,
    pub refresh: Option<Duration>,
    /// The first line shown (drawing keeps it within the lines).
    pub scroll: usize,
    pub(super) next_id: u64,
}

impl ConnsPane {
    pub fn new(service: Option<ServiceKey>) -> ConnsPane {
        ConnsPane {
            scope: service.map_or(Scope::All, Scope::Service),
            service,
            scope_label: String::new(),
            input: Input::default(),
            editing: false,
            input_error: None,
            filter_text: String::new(),
            filter: Filter::default(),
            group_by: None,
            sort: SortBy::Expiry,
            templates: false,
            reading: None,
            table: None,
            last: None,
            error: None,
            refresh: None,
            scroll: 0,
            next_id: 1,
        }
    }

    /// The lines read so far by the read in progress, and its bytes.
    pub fn progress(&self) -> Option<(u64, u64)> {
        self.reading
            .as_ref()
            .map(|r| (r.progress.lines(), r.progress.bytes()))
    }
}

/// The scope as filters (a route must match one) and in words. A fwmark service is its
/// templates (the only lines that carry the mark) or connections to its real servers (its
/// connections carry the address the client used, which no mark tells).
pub fn scope_filters(scope: Scope, snapshot: Option<&Snapshot>) -> (Vec<Filter>, String) {
    let key = match scope {
        Scope::All => return (Vec::new(), "all services".into()),
        Scope::Service(key) => key,
    };
    let any_port = |port: u16| (port != 0).then_some(port);
    match key {
        ServiceKey::Addr {
            protocol,
            addr,
            port,
        } => {
            let f = Filter {
                protos: vec![protocol.number() as u8],
                services: vec![Endpoint {
                    addr,
                    port: any_port(port),
                }],
                ..Filter::default()
            };
            (vec![f], service_label(&key))
        }
        ServiceKey::Fwmark { mark, .. } => {
            let service = snapshot.and_then(|s| s.services.iter().find(|s| s.config.key == key));
            let servers: Vec<Endpoint> = service
                .map(|s| {
                    s.dests
                        .iter()
                        .map(|d| Endpoint {
                            addr: d.config.addr,
                            port: any_port(d.config.port),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let label = format!(
                "{}: its templates and connections to its {} real server{}",
                service_label(&key),
                servers.len(),
                if servers.len() == 1 { "" } else { "s" }
            );
            let mut filters = vec![Filter {
                fwmarks: vec![mark],
                ..Filter::default()
            }];
            if !servers.is_empty() {
                filters.push(Filter {
                    servers,
                    ..Filter::default()
                });
            }
            (filters, label)
        }
    }
}
