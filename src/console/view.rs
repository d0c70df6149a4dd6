//! The rows of the two tables: services filtered by the filter text and sorted by the chosen
//! column, and the selected service's real servers sorted. Rebuilt only when the snapshot, the
//! filter or the sort changes, never per frame.

use super::app::{App, Focus};
pub use crate::ipvs::label::{dest_label, service_conns, service_label};
use crate::ipvs::listing::{sort_dests, sort_services};
use crate::ipvs::model::{Dest, Service, Snapshot};
use crate::ipvs::rates::Rate;
use std::borrow::Borrow;
use std::cmp::Ordering;

/// A column of either table; every column sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Service,
    Scheduler,
    Persistence,
    Active,
    Inactive,
    Conns,
    InPkts,
    OutPkts,
    InBytes,
    OutBytes,
    Address,
    Forward,
    Weight,
    Thresholds,
    Persist,
    Share,
    /// Who writes the service (keepalived, kube-proxy, kube-router).
    Owner,
    /// keepalived's checker verdict on a real server.
    Health,
    /// The weight keepalived gives a real server, beside the kernel's.
    KeepalivedWeight,
}

pub const SERVICE_COLUMNS: [Column; 10] = [
    Column::Service,
    Column::Scheduler,
    Column::Persistence,
    Column::Active,
    Column::Inactive,
    Column::Conns,
    Column::InPkts,
    Column::OutPkts,
    Column::InBytes,
    Column::OutBytes,
];
pub const SERVER_COLUMNS: [Column; 13] = [
    Column::Address,
    Column::Forward,
    Column::Weight,
    Column::Thresholds,
    Column::Active,
    Column::Inactive,
    Column::Persist,
    Column::Conns,
    Column::InPkts,
    Column::OutPkts,
    Column::InBytes,
    Column::OutBytes,
    Column::Share,
];

impl Column {
    /// Identity-like columns sort ascending first (health: the dead first); counts and rates
    /// biggest first.
    pub fn descending_first(self) -> bool {
        !matches!(
            self,
            Column::Service
                | Column::Scheduler
                | Column::Address
                | Column::Forward
                | Column::Owner
                | Column::Health
        )
    }
}

/// The services table's columns: the owner's after the scheduler once some service has one.
pub fn service_columns(app: &App) -> Vec<Column> {
    let mut columns = SERVICE_COLUMNS.to_vec();
    if app.director.owners.any_owner() {
        columns.insert(2, Column::Owner);
    }
    columns
}

/// The real servers table's columns: keepalived's health and weight after the kernel's weight
/// once keepalived's view of some real server is known (two facts side by side, not merged).
pub fn server_columns(app: &App) -> Vec<Column> {
    let mut columns = SERVER_COLUMNS.to_vec();
    if app.director.owners.any_health() {
        columns.splice(3..3, [Column::KeepalivedWeight, Column::Health]);
    }
    columns
}

/// keepalived's health of real server `j` of service `i` of the snapshot, if known.
pub fn health(app: &App, i: usize, j: usize) -> Option<&crate::owners::Health> {
    let view = &app.director.owners.view;
    view.services.get(i)?.dests.get(j)?.health.as_ref()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortSpec {
    pub column: Column,
    pub descending: bool,
}

struct Ranked<'a, T>(usize, &'a T);
impl Borrow<Service> for Ranked<'_, Service> {
    fn borrow(&self) -> &Service {
        self.1
    }
}
impl Borrow<Dest> for Ranked<'_, Dest> {
    fn borrow(&self) -> &Dest {
        self.1
    }
}

/// The rank of each service in ipvsadm's order (which is not a total order, so it is computed
/// once by ipvsadm's own algorithm rather than used as a comparator).
pub fn ipvsadm_rank(snapshot: &Snapshot) -> Vec<usize> {
    let mut ranked: Vec<_> = snapshot
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| Ranked(i, s))
        .collect();
    sort_services(&mut ranked);
    let mut rank = vec![0; ranked.len()];
    for (r, item) in ranked.iter().enumerate() {
        rank[item.0] = r;
    }
    rank
}

fn dest_rank(service: &Service) -> Vec<usize> {
    let mut ranked: Vec<_> = service
        .dests
        .iter()
        .enumerate()
        .map(|(i, d)| Ranked(i, d))
        .collect();
    sort_dests(&mut ranked);
    let mut rank = vec![0; ranked.len()];
    for (r, item) in ranked.iter().enumerate() {
        rank[item.0] = r;
    }
    rank
}

/// Orders by one rate; no rate yet sorts below every rate.
fn by_rate(column: Column, a: &Option<Rate>, b: &Option<Rate>) -> Ordering {
    let pick = |r: &Option<Rate>| {
        r.map_or(-1.0, |r| match column {
            Column::Conns => r.conns_per_s,
            Column::InPkts | Column::Share => r.inpkts_per_s,
            Column::OutPkts => r.outpkts_per_s,
            Column::InBytes => r.inbytes_per_s,
            _ => r.outbytes_per_s,
        })
    };
    pick(a).total_cmp(&pick(b))
}

/// Lower-case words a service is found by: its name, scheduler and real servers.
fn haystack(s: &Service) -> String {
    let mut text = format!("{} {}", service_label(&s.config.key), s.config.scheduler);
    for d in &s.dests {
        text.push(' ');
        text.push_str(&dest_label(d));
    }
    text.to_lowercase()
}

/// The number a service sorts by in a count column (persistence: none first, then by timeout).
fn service_number(s: &Service, column: Column) -> (bool, u64) {
    match column {
        Column::Persistence => (
            s.config.persistence.is_some(),
            u64::from(s.config.persistence.unwrap_or(0)),
        ),
        Column::Active => (true, service_conns(s).0),
        Column::Inactive => (true, service_conns(s).1),
        _ => (true, 0),
    }
}

pub fn rebuild(app: &mut App) {
    let Some(snapshot) = app.director.snapshot.as_ref() else {
        app.tables.view.clear();
        app.tables.dest_view.clear();
        return;
    };
    let terms: Vec<String> = app
        .tables
        .filter
        .value()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let services = &snapshot.services;
    let mut view: Vec<usize> = if terms.is_empty() {
        (0..services.len()).collect()
    } else {
        (0..services.len())
            .filter(|&i| {
                let h = haystack(&services[i]);
                terms.iter().all(|t| h.contains(t.as_str()))
            })
            .collect()
    };
    let spec = app.tables.service_sort;
    let rank = &app.director.ipvsadm_rank;
    let rates: Vec<Option<Rate>> = if matches!(
        spec.column,
        Column::Conns | Column::InPkts | Column::OutPkts | Column::InBytes | Column::OutBytes
    ) {
        (0..services.len()).map(|i| app.service_rate(i)).collect()
    } else {
        Vec::new()
    };
    view.sort_by(|&a, &b| {
        let primary = match spec.column {
            Column::Scheduler => services[a]
                .config
                .scheduler
                .cmp(&services[b].config.scheduler),
            Column::Conns
            | Column::InPkts
            | Column::OutPkts
            | Column::InBytes
            | Column::OutBytes => by_rate(spec.column, &rates[a], &rates[b]),
            Column::Service => Ordering::Equal,
            Column::Owner => {
                let owner = |i: usize| app.director.owners.view.services.get(i)?.owner;
                owner(a).map(|o| o.name()).cmp(&owner(b).map(|o| o.name()))
            }
            c => service_number(&services[a], c).cmp(&service_number(&services[b], c)),
        };
        let primary = if spec.descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then(rank.get(a).cmp(&rank.get(b)))
    });
    // The service column in descending order is ipvsadm's order reversed.
    if spec.column == Column::Service && spec.descending {
        view.reverse();
    }
    app.tables.view = view;
    restore_service_selection(app);
    rebuild_dests(app);
}

fn restore_service_selection(app: &mut App) {
    let services = &app
        .director
        .snapshot
        .as_ref()
        .map(|s| s.services.as_slice())
        .unwrap_or(&[]);
    if let Some(key) = app.tables.selected_service
        && let Some(pos) = app
            .tables
            .view
            .iter()
            .position(|&i| services[i].config.key == key)
    {
        app.tables.services_nav.selected = pos;
    }
    app.tables.services_nav.selected = app
        .tables
        .services_nav
        .selected
        .min(app.tables.view.len().saturating_sub(1));
    app.tables.selected_service = app
        .tables
        .view
        .get(app.tables.services_nav.selected)
        .map(|&i| services[i].config.key);
}

/// The selected service's real servers, sorted; called whenever the selected service changes.
pub fn rebuild_dests(app: &mut App) {
    let Some(service) = app.current_service() else {
        app.tables.dest_view.clear();
        app.tables.servers_nav = Default::default();
        app.tables.selected_dest = None;
        return;
    };
    let rank = dest_rank(service);
    let spec = app.tables.server_sort;
    let si = app.tables.view[app.tables.services_nav.selected];
    let rates: Vec<Option<Rate>> = (0..service.dests.len())
        .map(|j| app.dest_rate(si, j))
        .collect();
    let dests = &service.dests;
    let mut view: Vec<usize> = (0..dests.len()).collect();
    view.sort_by(|&a, &b| {
        let (x, y) = (&dests[a], &dests[b]);
        let primary = match spec.column {
            Column::Address => rank[a].cmp(&rank[b]),
            Column::Forward => x.config.forward.name().cmp(y.config.forward.name()),
            Column::Weight => x.config.weight.cmp(&y.config.weight),
            Column::Thresholds => (x.config.u_threshold, x.config.l_threshold)
                .cmp(&(y.config.u_threshold, y.config.l_threshold)),
            Column::Active => x.active_conns.cmp(&y.active_conns),
            Column::Inactive => x.inact_conns.cmp(&y.inact_conns),
            Column::Persist => x.persist_conns.cmp(&y.persist_conns),
            Column::Health => {
                let h = |j| health(app, si, j).map(|h| (h.alive, h.failed_checkers == 0));
                h(a).cmp(&h(b))
            }
            Column::KeepalivedWeight => {
                let w = |j| health(app, si, j).map(|h| h.keepalived_weight);
                w(a).cmp(&w(b))
            }
            c => by_rate(c, &rates[a], &rates[b]),
        };
        let primary = if spec.descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then(rank[a].cmp(&rank[b]))
    });
    let selected = app.tables.selected_dest;
    let pos = selected.and_then(|key| view.iter().position(|&j| dests[j].config.key() == key));
    let sel = pos
        .unwrap_or(app.tables.servers_nav.selected)
        .min(view.len().saturating_sub(1));
    app.tables.selected_dest = view.get(sel).map(|&j| dests[j].config.key());
    app.tables.servers_nav.selected = sel;
    app.tables.dest_view = view;
}

/// The sort of the table with the focus.
pub(super) fn sort_spec(app: &mut App) -> &mut SortSpec {
    match app.tables.focus {
        Focus::Services => &mut app.tables.service_sort,
        Focus::Servers => &mut app.tables.server_sort,
    }
}

/// Sorts the focused table by the next (or previous) of its columns.
pub(super) fn sort_step(app: &mut App, delta: isize) {
    let columns: Vec<Column> = match app.tables.focus {
        Focus::Services => service_columns(app),
        Focus::Servers => server_columns(app),
    };
    let spec = sort_spec(app);
    let i = columns.iter().position(|c| *c == spec.column).unwrap_or(0) as isize;
    let next = columns[(i + delta).rem_euclid(columns.len() as isize) as usize];
    *spec = SortSpec {
        column: next,
        descending: next.descending_first(),
    };
    app.rebuild();
}
