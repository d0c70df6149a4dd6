//! The interfaces pane (`i`): every link with its state, kind and addresses, one row per
//! address; the VIPs of services stand out, with the services on them. Under the table, the
//! VIPs of services that are bound nowhere on this host.

use crate::console::app::App;
use crate::console::panes::hostpanes::rows::AddrRow;
use crate::host::vips::vip_bindings;
use crate::ipvs::label::service_label;
use crate::ui::table::{self, ColumnSpec, RowData};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

const fn column(title: &'static str, priority: u8) -> ColumnSpec {
    ColumnSpec {
        title,
        right: false,
        priority,
        sorted: None,
    }
}

const COLUMNS: [ColumnSpec; 6] = [
    column(" interface", 0),
    column("state", 1),
    column("kind", 3),
    column("address", 0),
    column("label", 2),
    column("VIP of", 4),
];

/// Returns the first row shown, so that scrolling goes on from there.
pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) -> usize {
    let Some(host) = &app.director.host_state else {
        table::pane_title(f, area, "Interfaces".into(), vec![], true, theme);
        f.render_widget(
            Line::styled(" reading the host…", theme.dim),
            Rect {
                y: area.y + 1,
                height: 1,
                ..area
            },
        );
        return 0;
    };
    let rows = app.interface_rows().unwrap_or_default();
    let details = vec![Span::styled("VIPs of services in bold", theme.dim)];
    table::pane_title(
        f,
        area,
        format!("Interfaces {}", host.links.len()),
        details,
        true,
        theme,
    );
    let unbound: Vec<String> = app
        .director
        .snapshot
        .as_ref()
        .map(|s| {
            vip_bindings(s, host)
                .into_iter()
                .filter(|b| !b.is_bound())
                .map(|b| b.vip.to_string())
                .collect()
        })
        .unwrap_or_default();
    let note_height = if unbound.is_empty() { 0 } else { 2 };
    let list = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1 + note_height),
        ..area
    };
    let shown = usize::from(list.height.saturating_sub(1)).max(1);
    let nav = app.stack.host_pane().map(|p| p.nav).unwrap_or_default();
    let offset = table::visible_offset(nav, shown, rows.len());
    let body = rows[offset..(offset + shown).min(rows.len())]
        .iter()
        .map(|r| row(app, r, theme))
        .collect();
    table::draw(
        f,
        list,
        &COLUMNS,
        body,
        nav.selected.checked_sub(offset).map(|s| (s, true)),
        theme,
    );
    if note_height > 0 {
        let text = format!(
            " Not bound on this host (no traffic reaches them here): {}",
            unbound.join(", ")
        );
        let at = Rect {
            y: area.bottom().saturating_sub(note_height),
            height: note_height,
            ..area
        };
        f.render_widget(
            Paragraph::new(Line::styled(text, theme.warning)).wrap(Wrap { trim: false }),
            at,
        );
    }
    offset
}

fn row(app: &App, r: &AddrRow, theme: &Theme) -> RowData {
    let link = r.link;
    let (name, state, kind) = if r.first {
        let state = if link.up {
            Line::from("up")
        } else {
            Line::styled("DOWN", theme.marker)
        };
        (
            Line::from(format!(" {}", link.name)),
            state,
            Line::from(link.kind.clone().unwrap_or_default()),
        )
    } else {
        (Line::default(), Line::default(), Line::default())
    };
    let (address, label, services) = match r.addr {
        None => (
            Line::styled("(no address)", theme.dim),
            Line::default(),
            Line::default(),
        ),
        Some(a) => {
            let services = app.services_on(a.addr);
            let text = format!("{}/{}", a.addr, a.prefix);
            let address = if services.is_empty() {
                Line::from(text)
            } else {
                Line::styled(text, theme.title)
            };
            let names: Vec<String> = services.iter().map(service_label).collect();
            (
                address,
                Line::from(a.label.clone().unwrap_or_default()),
                Line::from(names.join(", ")),
            )
        }
    };
    RowData {
        cells: vec![name, state, kind, address, label, services],
        style: Style::default(),
    }
}
