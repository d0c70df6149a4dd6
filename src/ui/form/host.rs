//! A host form on screen (bind a VIP, set a sysctl): the fields with their errors, the focused
//! field's explanation, the command it will run (or what is wrong) and the keys; drawn like the
//! IPVS forms.

use super::{centred, wrap};
use crate::console::panes::hostpanes::form::HostForm;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

const WIDTH: u16 = 90;
const INPUT_WIDTH: usize = 40;
const KEYS: &str = "Tab next field · Enter apply · Esc cancel";

pub fn draw(f: &mut Frame, area: Rect, form: &HostForm, theme: &Theme) {
    let width = usize::from(WIDTH.min(area.width.saturating_sub(4)).saturating_sub(2));
    let label_width = form.fields.iter().map(|x| x.label.len()).max().unwrap_or(0);
    let mut lines: Vec<Line> = form
        .context
        .iter()
        .map(|c| Line::styled(format!(" {c}"), theme.dim))
        .collect();
    if !lines.is_empty() {
        lines.push(Line::default());
    }
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { " ▶ " } else { "   " };
        let value_x = marker.chars().count() + label_width + 2;
        let room = width.saturating_sub(value_x + 1);
        let scroll = field.input.visual_scroll(room);
        let shown: String = field.input.value().chars().skip(scroll).collect();
        let value = if focused {
            cursor = Some((
                value_x + field.input.visual_cursor().saturating_sub(scroll),
                lines.len(),
            ));
            let pad = room.min(INPUT_WIDTH).max(shown.chars().count());
            Span::styled(
                format!("{shown:<pad$}"),
                Style::default().add_modifier(Modifier::UNDERLINED),
            )
        } else if shown.is_empty() {
            Span::styled(format!("({})", field.placeholder), theme.dim)
        } else {
            Span::raw(shown)
        };
        let label_style = if focused {
            theme.selected
        } else {
            theme.column
        };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(format!("{:<label_width$}", field.label), label_style),
            Span::raw("  "),
            value,
        ]));
        if let Some(error) = &field.error {
            for (n, text) in wrap(error, width.saturating_sub(6)).into_iter().enumerate() {
                lines.push(Line::styled(
                    format!("   {}{text}", if n == 0 { "! " } else { "  " }),
                    theme.flash_error,
                ));
            }
        }
    }
    lines.push(Line::default());
    let help = wrap(form.help(), width.saturating_sub(2));
    lines.extend((0..2).map(|i| {
        Line::styled(
            format!(" {}", help.get(i).map_or("", String::as_str)),
            theme.dim,
        )
    }));
    let (text, style, prefix) = match (&form.error, form.preview()) {
        (Some(error), _) => (error.clone(), theme.flash_error, "! "),
        (None, Some(command)) => (command, theme.title, "$ "),
        (None, None) => (
            "the command shows here once every field is valid".to_string(),
            theme.dim,
            "  ",
        ),
    };
    for (n, l) in wrap(&text, width.saturating_sub(3))
        .into_iter()
        .take(2)
        .enumerate()
    {
        lines.push(Line::styled(
            format!(" {}{l}", if n == 0 { prefix } else { "  " }),
            style,
        ));
    }
    lines.push(Line::from(vec![
        Span::raw(" "),
        Span::styled(KEYS, theme.hint),
    ]));
    let modal = centred(area, WIDTH, lines.len() as u16 + 2);
    f.render_widget(Clear, modal);
    let title = Line::styled(format!(" {} ", form.title()), theme.pane_focused);
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        modal,
    );
    if let Some((x, y)) = cursor
        && (y as u16) < modal.height.saturating_sub(2)
    {
        f.set_cursor_position(Position::new(
            (modal.x + 1 + x as u16).min(modal.right().saturating_sub(2)),
            modal.y + 1 + y as u16,
        ));
    }
}
