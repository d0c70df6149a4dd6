//! The connections pane (`c`): what its keys do (its state is in `state`). Reads leave as
//! `Effect::ReadConns` and come back as `Action::ConnsRead`; they happen only while the pane is
//! open.

mod state;

pub use state::{
    ConnsPane, ConnsRequest, GROUPINGS, LastRead, REFRESH, Reading, SORTS, Scope, scope_filters,
};

use crate::console::action::{Command, Effect};
use crate::console::app::App;
use crate::console::stack::Page;
use crate::ipvs::conns::filter::persistence_masks;
use crate::ipvs::conns::{Filter, Limits, Progress, ReadSummary};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use tui_input::InputRequest;

/// `c` from the tables: opens the pane on the selected service and reads.
pub fn open(app: &mut App) -> Vec<Effect> {
    let service = app.current_service().map(|s| s.config.key);
    let mut effects = app.stack.show(Page::Conns(ConnsPane::new(service)));
    effects.extend(read(app));
    effects
}

/// Starts a read with the pane's scope and filter (a read in progress is cancelled by the loop).
pub fn read(app: &mut App) -> Vec<Effect> {
    let now = app.now;
    let snapshot = app.director.snapshot.as_ref();
    let masks = snapshot
        .map(|s| persistence_masks(&s.services))
        .unwrap_or_default();
    let Some(pane) = app.stack.conns_mut() else {
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
    result: Result<Box<ReadSummary>, crate::ipvs::conns::ReadError>,
    took: Duration,
    at: Instant,
) {
    app.now = app.now.max(at);
    let Some(pane) = app.stack.conns_mut() else {
        return;
    };
    let Some(reading) = pane.reading.take_if(|r| r.id == id) else {
        return;
    };
    let cancelled = match result {
        Ok(outcome) => {
            let ReadSummary {
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
    let due = app.stack.conns().is_some_and(|p| {
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
    app.stack.close_page()
}

fn step<T: PartialEq + Copy>(list: &[T], current: T) -> T {
    let i = list.iter().position(|x| *x == current).map_or(0, |i| i + 1);
    list[i % list.len()]
}

pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    if c == Command::Conns && app.stack.conns().is_none() {
        return open(app);
    }
    let Some(pane) = app.stack.conns_mut() else {
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
    if let Some(pane) = app.stack.conns_mut()
        && pane.input.handle(req).is_some_and(|changed| changed.value)
    {
        pane.input_error = Filter::parse(&[pane.input.value()])
            .err()
            .map(|e| e.to_string());
    }
}

/// Up/down/page in the pane: moves the first line shown.
pub fn scroll(app: &mut App, delta: isize) {
    if let Some(pane) = app.stack.conns_mut() {
        pane.scroll = (pane.scroll as isize).saturating_add(delta).max(0) as usize;
    }
}
