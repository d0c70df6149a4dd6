//! The doctor pane (`H`): the findings, errors first (severity, check, what), and under them the
//! selected one's why and its fix (the commands Enter applies, or advice in words).

use crate::console::app::{App, Source};
use crate::setup::doctor::{Finding, Severity};
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
    column(" severity", 0),
    column("check", 1),
    column("what", 0),
];
/// What the doctor of a director elsewhere leaves out (see `setup::gather::SKIPPED_ELSEWHERE`).
pub const REMOTE_SKIPPED: &str = "real-server probes skipped: run from the director";
/// Lines under the list for the selected finding.
const DETAIL: u16 = 7;

/// Returns the first row shown, so that scrolling goes on from there.
pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) -> usize {
    let Some(view) = app.stack.doctor() else {
        return 0;
    };
    let findings = match &view.findings {
        None => {
            table::pane_title(f, area, "Doctor".into(), vec![], true, theme);
            f.render_widget(
                Line::styled(" looking at the table and the host…", theme.dim),
                Rect {
                    y: area.y + 1,
                    height: 1,
                    ..area
                },
            );
            return 0;
        }
        Some(Err(e)) => {
            table::pane_title(f, area, "Doctor".into(), vec![], true, theme);
            f.render_widget(
                Paragraph::new(Line::styled(format!(" {e}"), theme.flash_error))
                    .wrap(Wrap { trim: false }),
                Rect {
                    y: area.y + 1,
                    height: area.height.saturating_sub(1),
                    ..area
                },
            );
            return 0;
        }
        Some(Ok(findings)) => findings,
    };
    let problems = findings.iter().filter(|f| f.is_problem()).count();
    let summary = if problems == 0 {
        "no problem found".to_string()
    } else {
        format!("{problems} problem(s)")
    };
    let mut spans = vec![Span::styled(summary, theme.dim)];
    // Probes from here would test this host's paths to the real servers, not the director's.
    if app.director.source == Source::Remote {
        spans.push(Span::styled(format!(" · {REMOTE_SKIPPED}"), theme.warning));
    }
    table::pane_title(
        f,
        area,
        format!("Doctor {}", findings.len()),
        spans,
        true,
        theme,
    );
    let list = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1 + DETAIL),
        ..area
    };
    let shown = usize::from(list.height.saturating_sub(1)).max(1);
    let offset = table::visible_offset(view.nav, shown, findings.len());
    let rows = findings[offset..(offset + shown).min(findings.len())]
        .iter()
        .map(|x| row(x, theme))
        .collect();
    table::draw(
        f,
        list,
        &COLUMNS,
        rows,
        view.nav.selected.checked_sub(offset).map(|s| (s, true)),
        theme,
    );
    if let Some(finding) = findings.get(view.nav.selected) {
        let at = Rect {
            y: area.bottom().saturating_sub(DETAIL),
            height: DETAIL,
            ..area
        };
        f.render_widget(
            Paragraph::new(detail(finding, theme)).wrap(Wrap { trim: false }),
            at,
        );
    }
    offset
}

fn severity(s: Severity, theme: &Theme) -> Line<'static> {
    match s {
        Severity::Error => Line::styled(" ERROR", theme.marker),
        Severity::Warning => Line::styled(" WARNING", theme.warning),
        Severity::Hint => Line::styled(" hint", theme.dim),
    }
}

fn row(finding: &Finding, theme: &Theme) -> RowData {
    RowData {
        cells: vec![
            severity(finding.severity, theme),
            Line::from(finding.check),
            Line::from(finding.what.clone()),
        ],
        style: Style::default(),
    }
}

fn detail(finding: &Finding, theme: &Theme) -> Vec<Line<'static>> {
    let label = |text: &str| Span::styled(format!(" {text} "), theme.column);
    let mut lines = vec![Line::from(vec![
        label("why"),
        Span::raw(finding.why.clone()),
    ])];
    for op in &finding.fix {
        lines.push(Line::from(vec![
            label("fix"),
            Span::styled(format!("$ {}", op.to_command()), theme.title),
        ]));
    }
    if let Some(advice) = &finding.advice {
        lines.push(Line::from(vec![label("advice"), Span::raw(advice.clone())]));
    }
    lines
}
