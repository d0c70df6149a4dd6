//! The setup wizard on screen: page 1 the roles (one line each, the one under the cursor
//! explained in full), page 2 the role's questions (drawn as every form is, by `ui::form`),
//! page 3 the plan as commands with the advice, and how applying went.

use super::form::{centred, wrap};
use crate::console::wizard::{Page, Preview, Wizard, words};
use crate::setup::Role;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

const WIDTH: u16 = 110;

pub fn draw(f: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let width = usize::from(WIDTH.min(area.width.saturating_sub(4)).saturating_sub(2));
    let room = usize::from(area.height.saturating_sub(4)).max(3);
    let (title, lines) = match &wizard.page {
        Page::Role(selected) => (
            "1/3 · Role of this machine".to_string(),
            roles(*selected, width, theme),
        ),
        Page::Form(form) => return super::form::draw(f, area, form, theme),
        Page::Plan { form, preview } => (
            format!("3/3 · Plan for {}", form.validator().role),
            plan(preview, width, room, theme),
        ),
    };
    let modal = centred(area, WIDTH, lines.len() as u16 + 2);
    f.render_widget(Clear, modal);
    let title = Line::styled(format!(" Setup wizard · {title} "), theme.pane_focused);
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        modal,
    );
}

fn keys(text: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::raw(" "),
        Span::styled(text.to_string(), theme.hint),
    ])
}

fn roles(selected: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::styled(" What is this machine in the LVS setup?", theme.dim),
        Line::default(),
    ];
    for (i, role) in Role::ALL.iter().enumerate() {
        let focused = i == selected;
        let head = format!(
            "{}{} {:<16}",
            if focused { " ▶ " } else { "   " },
            i + 1,
            role.name()
        );
        let room = width.saturating_sub(head.chars().count() + 2);
        let mut explanation: String = words::role_line(*role).chars().take(room).collect();
        if explanation.chars().count() < words::role_line(*role).chars().count() {
            explanation.pop();
            explanation.push('…');
        }
        let style = if focused {
            theme.selected
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(head, style),
            Span::raw("  "),
            Span::styled(
                explanation,
                if focused { Style::default() } else { theme.dim },
            ),
        ]));
    }
    lines.push(Line::default());
    let role = Role::ALL[selected.min(Role::ALL.len() - 1)];
    let full = wrap(
        &format!("{}: {}", role.name(), words::role_line(role)),
        width.saturating_sub(2),
    );
    lines.extend((0..2).map(|i| {
        Line::styled(
            format!(" {}", full.get(i).map_or("", String::as_str)),
            theme.title,
        )
    }));
    lines.push(keys("↑↓ or 1-6 · Enter choose · Esc close", theme));
    lines
}

fn plan(preview: &Preview, width: usize, room: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut body: Vec<Line> = Vec::new();
    if preview.ops.is_empty() && !preview.advice.is_empty() {
        // Advice only (a NAT real server): what it says is for the operator to do, not done.
        body.push(Line::styled(
            " Nothing for the wizard to change here; do what the advice says:",
            theme.title,
        ));
    } else if preview.ops.is_empty() {
        body.push(Line::styled(
            " Nothing to change on this host: it already matches these answers.",
            theme.title,
        ));
    } else {
        let intro = format!(
            "These {} commands run in order, all or nothing (undone in reverse on a failure):",
            preview.ops.len()
        );
        body.extend(
            wrap(&intro, width.saturating_sub(2))
                .into_iter()
                .map(|t| Line::styled(format!(" {t}"), theme.dim)),
        );
        for op in &preview.ops {
            for (n, text) in wrap(&op.to_command(), width.saturating_sub(5))
                .into_iter()
                .enumerate()
            {
                body.push(Line::styled(
                    format!(" {}{text}", if n == 0 { "$ " } else { "    " }),
                    theme.title,
                ));
            }
        }
    }
    for advice in &preview.advice {
        for (n, text) in wrap(advice, width.saturating_sub(10))
            .into_iter()
            .enumerate()
        {
            body.push(Line::from(vec![
                Span::styled(if n == 0 { " advice: " } else { "         " }, theme.column),
                Span::raw(text),
            ]));
        }
    }
    if let Some(role) = preview.ask.role {
        body.push(Line::styled(
            format!(" {}", crate::sandbox::offer(role)),
            theme.hint,
        ));
    }
    let status: Vec<Line> = match (&preview.applying, &preview.error) {
        (Some(_), _) => vec![Line::styled(
            format!(" applying {} steps…", preview.ops.len()),
            theme.warning,
        )],
        (None, Some(error)) => wrap(error, width.saturating_sub(4))
            .into_iter()
            .enumerate()
            .map(|(n, t)| {
                Line::styled(
                    format!(" {}{t}", if n == 0 { "! " } else { "  " }),
                    theme.flash_error,
                )
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    let fixed = 1 + status.len() + 1;
    let height = room.saturating_sub(fixed).max(1);
    let offset = preview.scroll.min(body.len().saturating_sub(height));
    let more = body.len() > offset + height;
    let mut lines: Vec<Line> = body.into_iter().skip(offset).take(height).collect();
    if more && let Some(last) = lines.last_mut() {
        *last = Line::styled("   … ↓ shows more", theme.hint);
    }
    lines.push(Line::default());
    lines.extend(status);
    let apply = if preview.ops.is_empty() {
        "Enter close, run the doctor"
    } else {
        "Enter apply (u undoes it)"
    };
    lines.push(keys(&format!("{apply} · Esc back · ↑↓ scroll"), theme));
    lines
}
