//! The real servers of the selected service, with their share of the service's traffic.

use crate::console::app::{App, Focus};
use crate::console::view::{self, Column};
use crate::ipvs::label::{dest_label, service_label};
use crate::ipvs::model::{Forward, TunnelCsum, TunnelType};
use crate::ui::format;
use crate::ui::table::{self, RowData};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Title, right alignment and importance (0 = always shown) of each real-server column.
pub fn spec(c: Column) -> (&'static str, bool, u8) {
    match c {
        Column::Address => ("real server", false, 0),
        Column::Forward => ("forward", false, 1),
        Column::Weight => ("weight", true, 0),
        Column::Thresholds => ("thresh", true, 10),
        Column::Active => ("active", true, 2),
        Column::Inactive => ("inact", true, 3),
        Column::Persist => ("persist", true, 9),
        Column::Conns => ("conn/s", true, 5),
        Column::InPkts => ("pkt/s in", true, 11),
        Column::OutPkts => ("pkt/s out", true, 12),
        Column::InBytes => ("B/s in", true, 7),
        Column::OutBytes => ("B/s out", true, 8),
        Column::Share => ("share", true, 4),
        Column::KeepalivedWeight => ("ka weight", true, 1),
        Column::Health => ("health", false, 0),
        _ => ("", false, 13),
    }
}

/// `Masq`, `Route`, `Tunnel gue:6080 +c`.
pub fn forward(f: &Forward) -> String {
    match f {
        Forward::Tunnel {
            tun_type,
            port,
            csum,
        } => {
            let mut text = format!("Tunnel {}", tun_type.name());
            if *tun_type == TunnelType::Gue {
                text.push_str(&format!(":{port}"));
            }
            if *csum != TunnelCsum::NoCsum {
                text.push_str(&format!(" {}", csum.short()));
            }
            text
        }
        other => other.name().to_string(),
    }
}

/// Draws the pane; returns the body area and the first row shown, for clicks and paging.
pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) -> (Rect, usize) {
    let focused = app.tables.focus == Focus::Servers;
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
    let Some(service) = app.current_service() else {
        table::pane_title(f, area, "Real servers".into(), vec![], focused, theme);
        return (body, 0);
    };
    let si = app.tables.view[app.tables.services_nav.selected];
    let sort = &app.tables.server_sort;
    let mut details = vec![
        Span::raw(service_label(&service.config.key)),
        Span::styled(
            format!(
                "sorted by {}{}",
                spec(sort.column).0,
                if sort.descending { "▼" } else { "▲" }
            ),
            theme.dim,
        ),
    ];
    let snapshot = app.director.snapshot.as_ref();
    if snapshot.is_some_and(|s| s.drops_new_connections(service)) {
        details.push(Span::styled(" ! NO AVAILABLE REAL SERVER ", theme.warning));
    }
    for drain in app
        .director
        .drains
        .iter()
        .filter(|d| d.is_active() && *d.service() == service.config.key)
    {
        details.push(Span::styled(drain.status().description, theme.marker));
    }
    table::pane_title(
        f,
        area,
        format!("Real servers {}", service.dests.len()),
        details,
        focused,
        theme,
    );
    if service.dests.is_empty() {
        let text = if snapshot.is_some_and(|s| s.unlisted(service)) {
            " Real servers not read yet: the next poll reads them."
        } else {
            " This service has no real servers: it drops every new connection."
        };
        f.render_widget(Line::styled(text, theme.dim), table_area);
        return (body, 0);
    }
    let offset = table::visible_offset(
        app.tables.servers_nav,
        usize::from(body.height),
        app.tables.dest_view.len(),
    );
    let end = (offset + usize::from(body.height)).min(app.tables.dest_view.len());
    // Shares of what the real servers received together: each object's own-rate window has its
    // own phase, so the service's rate is not exactly their sum.
    let total_pps: f64 = (0..service.dests.len())
        .filter_map(|j| app.dest_rate(si, j))
        .map(|r| r.inpkts_per_s)
        .sum();
    let n = |v| format::number(v, app.exact);
    let shown = view::server_columns(app);
    let rows = app.tables.dest_view[offset..end]
        .iter()
        .map(|&j| {
            let d = &service.dests[j];
            let c = &d.config;
            let rate = app.dest_rate(si, j);
            let health = view::health(app, si, j);
            let cells = shown.iter().map(|col| match col {
                Column::Address => Line::from(format!(" {}", dest_label(d))),
                Column::Forward => Line::from(forward(&c.forward)),
                Column::Weight if app.drain_of(&service.config.key, c.key()).is_some() => {
                    Line::styled(format!("{} draining", c.weight), theme.marker)
                }
                Column::Weight if c.weight == 0 => Line::styled("0 quiesced", theme.marker),
                Column::Weight => Line::from(c.weight.to_string()),
                Column::Thresholds if c.u_threshold == 0 && c.l_threshold == 0 => Line::default(),
                Column::Thresholds => Line::from(format!("{}/{}", c.u_threshold, c.l_threshold)),
                Column::Active => Line::from(n(f64::from(d.active_conns))),
                Column::Inactive => Line::from(n(f64::from(d.inact_conns))),
                Column::Persist => Line::from(n(f64::from(d.persist_conns))),
                Column::Share => match rate {
                    Some(r) if total_pps > 0.0 => {
                        Line::from(format!("{:.0}%", 100.0 * r.inpkts_per_s / total_pps))
                    }
                    _ => Line::from("-"),
                },
                // keepalived's verdict and weight beside the kernel's: two facts, not merged.
                Column::Health => match health {
                    Some(h) if !h.alive => Line::styled(h.label(), theme.marker),
                    Some(h) => Line::from(h.label()),
                    None => Line::default(),
                },
                Column::KeepalivedWeight => {
                    Line::from(health.map_or(String::new(), |h| h.keepalived_weight.to_string()))
                }
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
        .servers_nav
        .selected
        .checked_sub(offset)
        .map(|s| (s, focused));
    table::draw(f, table_area, &columns, rows, selected, theme);
    (body, offset)
}
