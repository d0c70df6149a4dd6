//! The services table: one row per virtual service, only the visible rows built.

use crate::console::app::{App, Focus};
use crate::console::view::{self, Column};
use crate::ipvs::label::{service_conns, service_label};
use crate::ipvs::model::Service;
use crate::ui::format;
use crate::ui::table::{self, RowData};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Title, right alignment and importance (0 = always shown) of each services column.
pub fn spec(c: Column) -> (&'static str, bool, u8) {
    match c {
        Column::Service => ("service", false, 0),
        Column::Scheduler => ("sched", false, 6),
        Column::Persistence => ("persist", true, 7),
        Column::Active => ("active", true, 1),
        Column::Inactive => ("inact", true, 2),
        Column::Conns => ("conn/s", true, 3),
        Column::InPkts => ("pkt/s in", true, 8),
        Column::OutPkts => ("pkt/s out", true, 9),
        Column::InBytes => ("B/s in", true, 4),
        Column::OutBytes => ("B/s out", true, 5),
        Column::Owner => ("owner", false, 2),
        _ => ("", false, 10),
    }
}

/// `wlc`, `sh(fallback,port)`, `rr ops`, `wlc pe:sip`.
pub fn scheduler(s: &Service) -> String {
    let c = &s.config;
    let mut text = c.scheduler.clone();
    if !c.sched_flags.is_empty() {
        let names = c.sched_flags.names(&c.scheduler);
        let prefix = format!("{}-", c.scheduler);
        let short: Vec<&str> = names
            .split(',')
            .map(|n| n.strip_prefix(prefix.as_str()).unwrap_or(n))
            .collect();
        text.push_str(&format!("({})", short.join(",")));
    }
    if c.one_packet {
        text.push_str(" ops");
    }
    if let Some(pe) = &c.pe {
        text.push_str(&format!(" pe:{pe}"));
    }
    text
}

/// The mark of a service whose VIP is bound nowhere on this host (its traffic never arrives).
pub const NOT_BOUND: &str = "✗";

/// Known only once the host has been read; fwmark services have no VIP.
fn vip_not_bound(app: &App, s: &Service) -> bool {
    match (&app.director.host_state, s.config.key) {
        (Some(host), crate::ipvs::model::ServiceKey::Addr { addr, .. }) => {
            !crate::host::vips::is_bound(host, addr)
        }
        _ => false,
    }
}

/// Draws the pane; returns the body area and the first row shown, for clicks and paging.
pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) -> (Rect, usize) {
    let focused = app.tables.focus == Focus::Services;
    let total = app
        .director
        .snapshot
        .as_ref()
        .map_or(0, |s| s.services.len());
    let name = if app.tables.view.len() == total {
        format!("Services {total}")
    } else {
        format!("Services {} of {total}", app.tables.view.len())
    };
    let sort = &app.tables.service_sort;
    let mut details = vec![Span::styled(
        format!(
            "sorted by {}{}",
            spec(sort.column).0,
            if sort.descending { "▼" } else { "▲" }
        ),
        theme.dim,
    )];
    if !app.tables.filter.value().is_empty() {
        details.push(Span::styled(
            format!("filter \"{}\"", app.tables.filter.value()),
            theme.badge,
        ));
    }
    // A large table is read in steps (`ipvs::kernel::poll`): say how far, until it is whole.
    if let Some(s) = app.director.snapshot.as_ref().filter(|s| s.unread > 0) {
        details.push(Span::styled(
            format!(
                "loading: real servers of {} of {total} services read",
                total.saturating_sub(s.unread)
            ),
            theme.badge,
        ));
    }
    table::pane_title(f, area, name, details, focused, theme);
    let body = Rect {
        y: area.y + 2,
        height: area.height.saturating_sub(2),
        ..area
    };
    let table_area = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let Some(snapshot) = &app.director.snapshot else {
        f.render_widget(Line::styled(" reading IPVS…", theme.dim), table_area);
        return (body, 0);
    };
    if app.tables.view.is_empty() {
        let text = if total == 0 {
            " No virtual services on this host.".to_string()
        } else {
            format!(
                " No service matches \"{}\" (Esc clears the filter).",
                app.tables.filter.value()
            )
        };
        f.render_widget(Line::styled(text, theme.dim), table_area);
        return (body, 0);
    }
    let offset = table::visible_offset(
        app.tables.services_nav,
        usize::from(body.height),
        app.tables.view.len(),
    );
    let end = (offset + usize::from(body.height)).min(app.tables.view.len());
    let n = |v| format::number(v, app.exact);
    let shown = view::service_columns(app);
    let rows = app.tables.view[offset..end]
        .iter()
        .map(|&i| {
            let s = &snapshot.services[i];
            let rate = app.service_rate(i);
            let (active, inactive) = service_conns(s);
            let marker = if vip_not_bound(app, s) {
                Span::styled(NOT_BOUND, theme.marker)
            } else if snapshot.drops_new_connections(s) {
                Span::styled("!", theme.marker)
            } else {
                Span::raw(" ")
            };
            let cells = shown.iter().map(|c| match c {
                Column::Service => Line::from(vec![
                    marker.clone(),
                    Span::raw(service_label(&s.config.key)),
                ]),
                Column::Scheduler => Line::from(scheduler(s)),
                Column::Persistence => Line::from(
                    s.config
                        .persistence
                        .map(|p| format!("{p}s"))
                        .unwrap_or_default(),
                ),
                Column::Active => Line::from(n(active as f64)),
                Column::Inactive => Line::from(n(inactive as f64)),
                Column::Owner => Line::from(
                    app.director
                        .owners
                        .owner(&s.config.key)
                        .map_or("", |o| o.name()),
                ),
                c => table::rate_cell(*c, rate, app.exact).unwrap_or_default(),
            });
            RowData {
                cells: cells.collect(),
                style: Default::default(),
            }
        })
        .collect();
    let columns = table::column_specs(&shown, spec, sort);
    let selected = app
        .tables
        .services_nav
        .selected
        .checked_sub(offset)
        .map(|s| (s, focused));
    table::draw(f, table_area, &columns, rows, selected, theme);
    (body, offset)
}
