//! The audit log pane (`L`): the last changes recorded, newest first (time, user, result,
//! command), and under them what the selected one replaced and why it failed.

use crate::console::app::Nav;
use crate::operation::audit::{Entry, Source, Tail};
use crate::ui::table::{self, ColumnSpec, RowData, pane_title};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::io;
use std::path::Path;

/// Lines given to the selected entry's details when the pane is tall enough.
const DETAIL_MAX: u16 = 8;

/// Draws the log read from `path` into `area`. `selected` counts from the newest entry (0) and is
/// kept within the entries; returns it as drawn, so the caller's key handling stays in range.
pub fn draw(
    f: &mut Frame,
    area: Rect,
    path: &Path,
    log: Result<&Tail, &io::Error>,
    selected: usize,
    theme: &Theme,
) -> usize {
    let place = Span::styled(path.display().to_string(), theme.dim);
    let tail = match log {
        Ok(tail) => tail,
        Err(e) => {
            pane_title(f, area, "Audit log".into(), vec![place], true, theme);
            let why = if e.kind() == io::ErrorKind::NotFound {
                "No audit log here yet: it is created by the first change made from this console or by ipvs-tui restore, zero, flush, timeouts --set or daemon start|stop. A log kept elsewhere opens with --audit-log PATH.".to_string()
            } else {
                format!(
                    "This audit log cannot be read: {e}. As root it lives in /var/log/ipvs-tui; otherwise check the file's owner and mode."
                )
            };
            message(f, area, &why, theme);
            return 0;
        }
    };
    let mut details = vec![
        place,
        Span::styled("newest first, times in UTC".to_string(), theme.dim),
    ];
    if tail.unreadable > 0 {
        let s = if tail.unreadable == 1 { "" } else { "s" };
        details.push(Span::styled(
            format!(" {} unreadable line{s} skipped ", tail.unreadable),
            theme.warning,
        ));
    }
    pane_title(
        f,
        area,
        format!("Audit log {}", tail.entries.len()),
        details,
        true,
        theme,
    );
    if tail.entries.is_empty() {
        message(
            f,
            area,
            "The log is empty: no change has been recorded yet.",
            theme,
        );
        return 0;
    }
    let selected = selected.min(tail.entries.len() - 1);
    let newest_first: Vec<&Entry> = tail.entries.iter().rev().collect();
    let entry = newest_first[selected];
    let detail = detail_lines(entry, theme);
    // The list keeps at least 3 rows; the details get what is left, up to DETAIL_MAX, and sit
    // right under the rows.
    let body_height = area.height.saturating_sub(1);
    let detail_height = if body_height >= 10 {
        (detail.len() as u16 + 1)
            .min(DETAIL_MAX)
            .min(body_height - 4)
    } else {
        0
    };
    let wanted = u16::try_from(newest_first.len() + 1).unwrap_or(u16::MAX);
    let list = Rect {
        y: area.y + 1,
        height: (body_height - detail_height).min(wanted),
        ..area
    };
    let rows_shown = usize::from(list.height.saturating_sub(1)).max(1);
    let offset = table::visible_offset(
        Nav {
            selected,
            offset: 0,
        },
        rows_shown,
        newest_first.len(),
    );
    let rows = newest_first[offset..(offset + rows_shown).min(newest_first.len())]
        .iter()
        .map(|e| row(e, theme))
        .collect();
    table::draw(
        f,
        list,
        &COLUMNS,
        rows,
        Some((selected - offset, true)),
        theme,
    );
    if detail_height > 0 {
        let at = Rect {
            y: list.bottom() + 1,
            height: detail_height - 1,
            ..area
        };
        f.render_widget(Paragraph::new(detail).wrap(Wrap { trim: false }), at);
    }
    selected
}

const fn column(title: &'static str, priority: u8) -> ColumnSpec {
    ColumnSpec {
        title,
        right: false,
        priority,
        sorted: None,
    }
}

const COLUMNS: [ColumnSpec; 5] = [
    column("time (UTC)", 0),
    column("user", 1),
    column("result", 0),
    column("from", 2),
    column("command", 0),
];

fn row(e: &Entry, theme: &Theme) -> RowData {
    let result = if e.is_ok() {
        Line::from("ok")
    } else {
        Line::styled("FAILED", theme.marker)
    };
    let command = match &e.undo_of {
        Some(_) => Line::from(vec![
            Span::styled("undo: ", theme.dim),
            Span::raw(e.command.clone()),
        ]),
        None => Line::from(e.command.clone()),
    };
    let cells = vec![
        Line::from(format!(" {}", e.time.strftime("%Y-%m-%d %H:%M:%S"))),
        Line::from(e.user.clone()),
        result,
        Line::from(source(e.source)),
        command,
    ];
    RowData {
        cells,
        style: Style::default(),
    }
}

fn source(s: Option<Source>) -> &'static str {
    match s {
        Some(Source::Console) => "console",
        Some(Source::Cli) => "cli",
        Some(Source::Agent) => "agent",
        None => "",
    }
}

/// The selected entry: where it came from, its error, what it undid and what it replaced.
fn detail_lines(e: &Entry, theme: &Theme) -> Vec<Line<'static>> {
    let label = |text: &str| Span::styled(format!(" {text} "), theme.column);
    let from = match e.source {
        Some(Source::Console) => ", from the console",
        Some(Source::Cli) => ", from the command line",
        Some(Source::Agent) => ", through the agent (user as claimed by the client)",
        None => "",
    };
    let mut lines = vec![Line::from(vec![
        label("by"),
        Span::raw(format!("{} on {}{from}, {}", e.user, e.host, e.time)),
    ])];
    if let Some(error) = &e.error {
        lines.push(Line::from(vec![
            label("error"),
            Span::styled(error.clone(), theme.flash_error),
        ]));
    }
    if let Some(undone) = &e.undo_of {
        lines.push(Line::from(vec![label("undid"), Span::raw(undone.clone())]));
    }
    if e.before.is_empty() {
        lines.push(Line::from(vec![
            label("before"),
            Span::styled("nothing it replaced (a new object, or counters)", theme.dim),
        ]));
    } else {
        lines.push(Line::from(label("before (ipvsadm -S)")));
        lines.extend(e.before.iter().map(|l| Line::from(format!("   {l}"))));
    }
    lines
}

fn message(f: &mut Frame, area: Rect, text: &str, theme: &Theme) {
    let at = Rect {
        x: area.x + 1,
        y: area.y + 2,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    f.render_widget(
        Paragraph::new(Line::styled(text.to_string(), theme.dim)).wrap(Wrap { trim: true }),
        at,
    );
}
