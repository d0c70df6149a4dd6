//! The connections pane (`c`) over the tables: what it covers and how the last read went, the
//! filter being typed with its mistake under it, then connection rows, group counts or
//! persistence templates. Only the lines on screen are built.

use crate::console::panes::conns::ConnsPane;
use crate::ipvs::conns::{ConnTable, ConnView, GroupBy, Row, SortBy};
use crate::ui::format;
use crate::ui::table::{self, ColumnSpec, RowData, pane_title};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::time::Instant;

/// Top clients listed in the client grouping.
const TOP_CLIENTS: usize = 1000;

pub fn group_name(by: Option<GroupBy>) -> &'static str {
    match by {
        None => "rows",
        Some(GroupBy::Server) => "real server × state",
        Some(GroupBy::State) => "state",
        Some(GroupBy::Client) => "top clients",
        Some(GroupBy::Service) => "service × state",
    }
}

fn sort_name(s: SortBy) -> &'static str {
    match s {
        SortBy::Kernel => "kernel",
        SortBy::Expiry => "expiry",
        SortBy::Client => "client",
        SortBy::State => "state",
    }
}

/// Draws the pane into `area`; returns where its lines are and the first one shown (clamped).
pub fn draw(
    f: &mut Frame,
    area: Rect,
    pane: &ConnsPane,
    now: Instant,
    theme: &Theme,
) -> (Rect, usize) {
    let what = if pane.templates {
        "Persistence templates"
    } else {
        "Connections"
    };
    let mut details = vec![Span::raw(pane.scope_label.clone())];
    if let Some(t) = &pane.table {
        details.push(Span::styled(
            format!("{} matched", t.counts.matched),
            theme.dim,
        ));
    }
    pane_title(f, area, what.to_string(), details, true, theme);
    let line = |n: u16| Rect {
        y: area.y + n,
        height: 1,
        ..area
    };
    let filter = if pane.filter_text.is_empty() {
        "none".to_string()
    } else {
        pane.filter_text.clone()
    };
    let refresh = pane.refresh.map_or("off".to_string(), |d| {
        format!("every {}", format::interval(d))
    });
    let settings = Line::from(vec![
        label("filter", theme),
        Span::raw(filter),
        label(" group", theme),
        Span::raw(group_name(pane.group_by)),
        label(" sort", theme),
        Span::raw(sort_name(pane.sort)),
        label(" refresh", theme),
        Span::raw(refresh),
    ]);
    f.render_widget(settings, line(1));
    f.render_widget(status(pane, now, theme), line(2));
    let mut top = 3;
    if pane.editing {
        let prompt = " / ";
        let width = usize::from(area.width).saturating_sub(prompt.len() + 1);
        let scroll = pane.input.visual_scroll(width);
        let shown: String = pane.input.value().chars().skip(scroll).collect();
        f.render_widget(
            Line::from(vec![Span::styled(prompt, theme.hint_key), Span::raw(shown)]),
            line(3),
        );
        let x = area.x + (prompt.len() + pane.input.visual_cursor().saturating_sub(scroll)) as u16;
        f.set_cursor_position(Position::new(
            x.min(area.right().saturating_sub(1)),
            area.y + 3,
        ));
        let (text, style) = match &pane.input_error {
            Some(e) => (e.clone(), theme.flash_error),
            None => (
                "Enter applies, Esc leaves the filter as it was".to_string(),
                theme.dim,
            ),
        };
        let under = Rect {
            y: area.y + 4,
            height: 2.min(area.height.saturating_sub(5)),
            ..area
        };
        f.render_widget(
            Paragraph::new(Line::styled(format!("   {text}"), style)).wrap(Wrap { trim: false }),
            under,
        );
        top = 4 + under.height;
    }
    let body = Rect {
        y: area.y + top + 1,
        height: area.height.saturating_sub(top + 1),
        ..area
    };
    let Some(t) = &pane.table else {
        return (body, 0);
    };
    // The header row of the table takes one line.
    let rows_shown = usize::from(body.height.saturating_sub(1)).max(1);
    if pane.templates {
        if t.templates.is_empty() {
            let why = if pane.filter.clients.is_empty() {
                "No persistence template matches: no persistent service holds a client here."
                    .to_string()
            } else {
                format!(
                    "No persistence template holds {}: that client is not persisted to any real server now.",
                    pane.filter_text
                )
            };
            message(f, body, &why, theme);
            return (body, 0);
        }
        return list(
            f,
            body,
            t,
            &t.templates,
            pane.scroll,
            rows_shown,
            &TEMPLATE_COLUMNS,
            theme,
        );
    }
    match pane.group_by {
        None => list(
            f,
            body,
            t,
            &t.rows,
            pane.scroll,
            rows_shown,
            &ROW_COLUMNS,
            theme,
        ),
        Some(by) => groups(f, body, t, by, pane.scroll, rows_shown, theme),
    }
}

fn label(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!(" {text}: "), theme.column)
}

/// How the read in progress, or the last one, went.
fn status(pane: &ConnsPane, now: Instant, theme: &Theme) -> Line<'static> {
    if let Some(r) = &pane.reading {
        let (lines, bytes) = (r.progress.lines(), r.progress.bytes());
        let doing = if r.cancelling {
            "cancelling"
        } else {
            "reading"
        };
        let secs = now.saturating_duration_since(r.started).as_secs();
        return Line::styled(
            format!(
                " {doing}… {lines} lines, {} in {secs} s, Esc cancels",
                format::bytes(bytes as f64, false)
            ),
            theme.warning,
        );
    }
    if let Some(e) = &pane.error {
        return Line::styled(format!(" {e}"), theme.flash_error);
    }
    let (Some(t), Some(last)) = (&pane.table, &pane.last) else {
        return Line::default();
    };
    let c = &t.counts;
    let mut spans = vec![Span::raw(format!(
        " read {} lines in {:.1} s",
        c.lines,
        last.took.as_secs_f64()
    ))];
    if last.cancelled {
        spans.push(Span::styled(" (cancelled: partial)", theme.warning));
    }
    if c.malformed > 0 {
        let first = t
            .first_malformed
            .as_ref()
            .map(|m| format!(" (line {}: {})", m.line, m.reason))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!("; {} malformed{first}", c.malformed),
            theme.warning,
        ));
    }
    let dropped = if pane.templates {
        c.dropped_templates
    } else {
        c.dropped_rows
    };
    if dropped > 0 && (pane.group_by.is_none() || pane.templates) {
        spans.push(Span::styled(
            format!("; {dropped} rows not shown (limit; g counts them all)"),
            theme.warning,
        ));
    }
    spans.push(Span::styled(
        format!(
            "; {} ago",
            format::age(now.saturating_duration_since(last.at))
        ),
        theme.dim,
    ));
    Line::from(spans)
}

const fn column(title: &'static str, right: bool, priority: u8) -> ColumnSpec {
    ColumnSpec {
        title,
        right,
        priority,
        sorted: None,
    }
}

const ROW_COLUMNS: [ColumnSpec; 6] = [
    column(" pro", false, 2),
    column("client", false, 0),
    column("virtual", false, 1),
    column("real server", false, 0),
    column("state", false, 0),
    column("expires", true, 0),
];
const TEMPLATE_COLUMNS: [ColumnSpec; 6] = [
    column(" pro", false, 2),
    column("client", false, 0),
    column("service", false, 1),
    column("persisted to", false, 0),
    column("state", false, 2),
    column("expires", true, 0),
];

/// The first line to show: `scroll`, kept so that the last page is full.
fn clamp(scroll: usize, shown: usize, len: usize) -> usize {
    scroll.min(len.saturating_sub(shown))
}

#[allow(clippy::too_many_arguments)]
fn list(
    f: &mut Frame,
    area: Rect,
    t: &ConnTable,
    rows: &[Row],
    scroll: usize,
    shown: usize,
    columns: &[ColumnSpec],
    theme: &Theme,
) -> (Rect, usize) {
    let scroll = clamp(scroll, shown, rows.len());
    let data = rows[scroll..(scroll + shown).min(rows.len())]
        .iter()
        .map(|r| row(&t.view(r), theme))
        .collect();
    table::draw(f, area, columns, data, None, theme);
    (area, scroll)
}

fn row(v: &ConnView, theme: &Theme) -> RowData {
    let client = if v.template {
        v.client.0.to_string()
    } else {
        v.client.to_string()
    };
    let expires = format!("{:02}:{:02}", v.expires / 60, v.expires % 60);
    // A template names its service (a fwmark one by its mark); a connection the address it reached.
    let virt = if v.template && v.service.starts_with("FWM") {
        v.service.clone()
    } else {
        v.virt.to_string()
    };
    let cells = vec![
        Line::from(format!(" {}", v.proto)),
        Line::from(client),
        Line::from(virt),
        Line::from(v.dest.to_string()),
        Line::from(v.state),
        Line::from(expires),
    ];
    let style = if v.template {
        theme.dim
    } else {
        Style::default()
    };
    RowData { cells, style }
}

fn groups(
    f: &mut Frame,
    area: Rect,
    t: &ConnTable,
    by: GroupBy,
    scroll: usize,
    shown: usize,
    theme: &Theme,
) -> (Rect, usize) {
    let groups = t.groups(by, TOP_CLIENTS);
    if groups.is_empty() {
        message(f, area, "No connection matches.", theme);
        return (area, 0);
    }
    let key = match by {
        GroupBy::Server => " real server",
        GroupBy::State => " state",
        GroupBy::Client => " client",
        GroupBy::Service => " service",
    };
    let mut columns = vec![column(key, false, 0), column("conns", true, 0)];
    if by == GroupBy::Client && !t.clients.exact() {
        columns[1] = column("conns (approx.)", true, 0);
    }
    let with_states = matches!(by, GroupBy::Server | GroupBy::Service);
    if with_states {
        columns.push(column("by state", false, 0));
    }
    let scroll = clamp(scroll, shown, groups.len());
    let data = groups[scroll..(scroll + shown).min(groups.len())]
        .iter()
        .map(|g| {
            let mut cells = vec![
                Line::from(format!(" {}", g.key)),
                Line::from(g.total.to_string()),
            ];
            if with_states {
                cells.push(Line::from(
                    g.states
                        .iter()
                        .map(|(s, n)| format!("{s} {n}"))
                        .collect::<Vec<_>>()
                        .join("  "),
                ));
            }
            RowData {
                cells,
                style: Style::default(),
            }
        })
        .collect();
    table::draw(f, area, &columns, data, None, theme);
    (area, scroll)
}

fn message(f: &mut Frame, area: Rect, text: &str, theme: &Theme) {
    let at = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    f.render_widget(
        Paragraph::new(Line::styled(text.to_string(), theme.dim)).wrap(Wrap { trim: true }),
        at,
    );
}
