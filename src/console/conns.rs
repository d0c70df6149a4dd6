//! The connections pane (`c`): its state (scope, filter, grouping, order, the read in progress and
//! the last table) and what its keys do. Reads leave as `Effect::ReadConns` and come back as
//! `Action::ConnsRead`; they happen only while the pane is open.

use super::action::{Command, Effect};
use super::app::App;
use super::view::service_label;
use crate::ipvs::conns::filter::{Endpoint, persistence_masks};
use crate::ipvs::conns::{ConnTable, Filter, GroupBy, Limits, Outcome, Progress, SortBy};
use crate::ipvs::model::{ServiceKey, Snapshot};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use tui_input::{Input, InputRequest};

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
    next_id: u64,
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

/// `c` from the tables: opens the pane on the selected service and reads.
pub fn open(app: &mut App) -> Vec<Effect> {
    let service = app.current_service().map(|s| s.config.key);
    app.conns = Some(ConnsPane::new(service));
    read(app)
}

/// Starts a read with the pane's scope and filter (a read in progress is cancelled by the loop).
pub fn read(app: &mut App) -> Vec<Effect> {
    let now = app.now;
    let snapshot = app.snapshot.as_ref();
    let masks = snapshot
        .map(|s| persistence_masks(&s.services))
        .unwrap_or_default();
    let Some(pane) = app.conns.as_mut() else {
        return vec![];
    };
    let (scope, label) = scope_filters(pane.scope, snapshot);
    pane.scope_label = label;
    let id = pane.next_id;
    pane.next_id += 1;
    let (progress, cancel) = (
        Arc::new(Progress::default()),
        Arc::new(AtomicBool::new(false)),
    );
    pane.reading = Some(Reading {
        id,
        progress: progress.clone(),
        cancel: cancel.clone(),
        started: now,
        cancelling: false,
    });
    let filter = pane.filter.clone().with_masks(masks).within(scope);
    vec![Effect::ReadConns(ConnsRequest {
        id,
        filter,
        limits: Limits::default(),
        progress,
        cancel,
    })]
}

/// A read came back; one the pane no longer waits for (closed, or replaced) is dropped. `took`
/// is measured by the loop (`app.now` moves only with ticks and polls).
pub fn done(
    app: &mut App,
    id: u64,
    result: Result<Box<Outcome>, crate::ipvs::conns::ReadError>,
    took: Duration,
    at: Instant,
) {
    app.now = app.now.max(at);
    let Some(pane) = app.conns.as_mut() else {
        return;
    };
    let Some(reading) = pane.reading.take_if(|r| r.id == id) else {
        return;
    };
    let cancelled = match result {
        Ok(outcome) => {
            let Outcome {
                mut table,
                cancelled,
            } = *outcome;
            table.sort_rows(pane.sort);
            pane.table = Some(table);
            pane.error = None;
            cancelled
        }
        Err(e) => {
            pane.error = Some(e.to_string());
            reading.cancelling
        }
    };
    pane.last = Some(LastRead {
        took,
        cancelled,
        at,
    });
}

/// The clock: a due automatic refresh starts a read.
pub fn tick(app: &mut App) -> Vec<Effect> {
    let now = app.now;
    let due = app.conns.as_ref().is_some_and(|p| {
        p.reading.is_none()
            && !p.editing
            && p.refresh.is_some_and(|every| {
                p.last
                    .is_none_or(|l| now.saturating_duration_since(l.at) >= every)
            })
    });
    if due { read(app) } else { vec![] }
}

/// Closes the pane, stopping its read.
fn close(app: &mut App) -> Vec<Effect> {
    let reading = app.conns.take().is_some_and(|p| p.reading.is_some());
    if reading {
        vec![Effect::CancelConns]
    } else {
        vec![]
    }
}

fn step<T: PartialEq + Copy>(list: &[T], current: T) -> T {
    let i = list.iter().position(|x| *x == current).map_or(0, |i| i + 1);
    list[i % list.len()]
}

pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    if c == Command::Conns && app.conns.is_none() {
        return open(app);
    }
    let Some(pane) = app.conns.as_mut() else {
        return vec![];
    };
    match c {
        Command::Conns => return close(app),
        Command::ConnsBack => match &mut pane.reading {
            Some(r) => {
                r.cancelling = true;
                return vec![Effect::CancelConns];
            }
            None => return close(app),
        },
        Command::ConnsRefresh => return read(app),
        Command::ConnsGroup => {
            pane.group_by = step(&GROUPINGS, pane.group_by);
            pane.scroll = 0;
        }
        Command::ConnsSort => {
            pane.sort = step(&SORTS, pane.sort);
            if let Some(t) = &mut pane.table {
                t.sort_rows(pane.sort);
            }
        }
        Command::ConnsTemplates => {
            pane.templates = !pane.templates;
            pane.scroll = 0;
        }
        Command::ConnsInterval => {
            pane.refresh = step(&REFRESH, pane.refresh);
            let said = pane
                .refresh
                .map_or("connections refresh on r only".to_string(), |d| {
                    format!("connections refresh every {} s", d.as_secs())
                });
            app.flash(said);
        }
        Command::ConnsScope => {
            pane.scope = match (pane.scope, pane.service) {
                (Scope::All, Some(key)) => Scope::Service(key),
                (Scope::All, None) => {
                    app.flash(
                        "no service was selected when the pane opened: it shows all services",
                    );
                    return vec![];
                }
                (Scope::Service(_), _) => Scope::All,
            };
            pane.scroll = 0;
            return read(app);
        }
        Command::ConnsFilter => {
            pane.editing = true;
            pane.input_error = Filter::parse(&[pane.input.value()])
                .err()
                .map(|e| e.to_string());
        }
        Command::ConnsFilterDone => match Filter::parse(&[pane.input.value()]) {
            Ok(filter) => {
                pane.editing = false;
                pane.input_error = None;
                pane.filter = filter;
                pane.filter_text = pane
                    .input
                    .value()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                pane.scroll = 0;
                return read(app);
            }
            // The text stays, with what is wrong under it.
            Err(e) => pane.input_error = Some(e.to_string()),
        },
        Command::ConnsFilterCancel => {
            pane.editing = false;
            pane.input_error = None;
            pane.input = pane.filter_text.clone().into();
        }
        _ => {}
    }
    vec![]
}

/// Text typed into the connection filter: checked as it is typed, applied on Enter.
pub fn edit(app: &mut App, req: InputRequest) {
    if let Some(pane) = app.conns.as_mut()
        && pane.input.handle(req).is_some_and(|changed| changed.value)
    {
        pane.input_error = Filter::parse(&[pane.input.value()])
            .err()
            .map(|e| e.to_string());
    }
}

/// Up/down/page in the pane: moves the first line shown.
pub fn scroll(app: &mut App, delta: isize) {
    if let Some(pane) = app.conns.as_mut() {
        pane.scroll = (pane.scroll as isize).saturating_add(delta).max(0) as usize;
    }
}
