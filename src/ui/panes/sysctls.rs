//! The sysctls pane (`s`): every LVS sysctl with its value (per-interface ones for all, default
//! and each interface, with the value the kernel acts on), what it allows, and under the table
//! what the selected one does.

use crate::console::app::App;
use crate::console::panes::hostpanes::rows::SysctlRow;
use crate::host::parse::describe;
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

const COLUMNS: [ColumnSpec; 3] = [
    column(" sysctl", 0),
    column("value", 0),
    column("effective", 1),
];
/// Lines under the table for the selected sysctl.
const DETAIL: u16 = 4;

/// Returns the first row shown, so that scrolling goes on from there.
pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) -> usize {
    let Some(rows) = app.sysctl_rows() else {
        table::pane_title(f, area, "Sysctls".into(), vec![], true, theme);
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
    let details = vec![Span::styled(
        "effective: what the kernel acts on (the higher of all and the interface)",
        theme.dim,
    )];
    table::pane_title(
        f,
        area,
        format!("LVS sysctls {}", rows.len()),
        details,
        true,
        theme,
    );
    let list = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1 + DETAIL),
        ..area
    };
    let shown = usize::from(list.height.saturating_sub(1)).max(1);
    let nav = app.stack.host_pane().map(|p| p.nav).unwrap_or_default();
    let offset = table::visible_offset(nav, shown, rows.len());
    let body = rows[offset..(offset + shown).min(rows.len())]
        .iter()
        .map(|r| row(r, theme))
        .collect();
    table::draw(
        f,
        list,
        &COLUMNS,
        body,
        nav.selected.checked_sub(offset).map(|s| (s, true)),
        theme,
    );
    if let Some(r) = rows.get(nav.selected) {
        let lines = vec![
            Line::from(vec![
                Span::styled(" what ", theme.column),
                Span::raw(r.info.explanation),
            ]),
            Line::from(vec![
                Span::styled(" allowed ", theme.column),
                Span::raw(format!("the value {}", describe(&r.info.allowed))),
            ]),
        ];
        let at = Rect {
            y: area.bottom().saturating_sub(DETAIL),
            height: DETAIL,
            ..area
        };
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), at);
    }
    offset
}

fn row(r: &SysctlRow, theme: &Theme) -> RowData {
    let value = match &r.value {
        Some(v) => Line::from(v.clone()),
        None => Line::styled("(not on this host)", theme.dim),
    };
    let effective = match (
        r.effective,
        r.value.as_deref().and_then(|v| v.parse::<i64>().ok()),
    ) {
        (Some(e), Some(own)) if e != own => Line::styled(e.to_string(), theme.warning),
        (Some(e), _) => Line::from(e.to_string()),
        (None, _) => Line::default(),
    };
    RowData {
        cells: vec![Line::from(format!(" {}", r.name)), value, effective],
        style: Style::default(),
    }
}
