//! A form on screen, any form (IPVS, host, wizard answers, drain deadline): a centred box over
//! the console with the read-only context, the fields (label, value, the error under it), the
//! focused field's explanation, the command it will run (or what is wrong with the whole form)
//! and the keys. The field list scrolls to keep the focused field in view.

mod confirm;
mod field;

pub use confirm::draw_confirm;

use crate::console::form::{Form, Validator};
use crate::ui::theme::Theme;
use field::{FieldLines, field_lines, key_hint};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Lines of explanation and (in a form that shows its command) of command or error, always
/// reserved so the box does not jump.
const HELP_LINES: usize = 2;
const COMMAND_LINES: usize = 2;
/// The most lines the error of a form without a command takes.
const ERROR_LINES: usize = 3;

/// A box of at most `width` x `height` centred in `area`, leaving a margin where there is room.
pub(crate) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width
        .min(area.width.saturating_sub(4))
        .max(area.width.min(20));
    let height = height
        .min(area.height.saturating_sub(2))
        .max(area.height.min(5));
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// `text` in lines of at most `width` characters: at spaces, and inside words too long for one.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for line in crate::ui::format::wrap(text, width) {
        let chars: Vec<char> = line.chars().collect();
        if chars.is_empty() {
            out.push(String::new());
        }
        out.extend(chars.chunks(width).map(|c| c.iter().collect::<String>()));
    }
    out
}

pub fn draw<V: Validator>(f: &mut Frame, area: Rect, form: &Form<V>, theme: &Theme) {
    let width = V::WIDTH
        .min(area.width.saturating_sub(4))
        .max(area.width.min(20));
    let inner_width = usize::from(width.saturating_sub(2));
    let label_width = form
        .fields()
        .iter()
        .map(|v| v.label.chars().count())
        .max()
        .unwrap_or(0);
    let lines: Vec<FieldLines> = form
        .fields()
        .iter()
        .map(|v| field_lines(v, label_width, inner_width, theme))
        .collect();
    let field_height: usize = lines.iter().map(|l| l.lines.len()).sum();
    let context: Vec<String> = form
        .context()
        .iter()
        .flat_map(|c| wrap(c, inner_width.saturating_sub(2)))
        .collect();
    let command = command_lines(form, inner_width, theme);
    let fixed = context.len() + usize::from(!context.is_empty()) + 1 + HELP_LINES;
    let fixed = fixed + command.len() + 1 + 2;
    let modal = centred(
        area,
        width,
        (fixed + field_height).min(usize::from(u16::MAX)) as u16,
    );
    let inner = Rect {
        x: modal.x + 1,
        y: modal.y + 1,
        width: modal.width.saturating_sub(2),
        height: modal.height.saturating_sub(2),
    };
    f.render_widget(Clear, modal);
    let title = Line::styled(format!(" {} ", form.title()), theme.pane_focused);
    f.render_widget(Block::default().borders(Borders::ALL).title(title), modal);

    let mut out: Vec<Line> = context
        .iter()
        .map(|c| Line::styled(format!(" {c}"), theme.dim))
        .collect();
    if !out.is_empty() {
        out.push(Line::default());
    }
    let list_top = out.len();
    let list_height = usize::from(inner.height).saturating_sub(fixed - 2);
    // The focused field's lines in view: scroll as little as needed, from the top.
    let focused = lines.iter().position(|l| l.focused).unwrap_or(0);
    let focus_start: usize = lines[..focused].iter().map(|l| l.lines.len()).sum();
    let focus_end = focus_start + lines.get(focused).map_or(1, |l| l.lines.len());
    let offset = focus_end.saturating_sub(list_height).min(focus_start);
    let all: Vec<&Line> = lines.iter().flat_map(|l| l.lines.iter()).collect();
    out.extend(
        all.iter()
            .skip(offset)
            .take(list_height)
            .map(|l| (*l).clone()),
    );
    while out.len() < list_top + list_height {
        out.push(Line::default());
    }
    let hint = form
        .fields()
        .into_iter()
        .find(|v| v.focused)
        .map_or("", |v| key_hint(v.value));
    out.push(Line::styled(
        format!("{hint:>w$} ", w = inner_width.saturating_sub(1)),
        theme.hint,
    ));
    let help = wrap(&form.help(), inner_width.saturating_sub(2));
    out.extend((0..HELP_LINES).map(|i| {
        Line::styled(
            format!(" {}", help.get(i).map_or("", String::as_str)),
            theme.dim,
        )
    }));
    out.extend(command);
    out.push(Line::from(vec![
        Span::raw(" "),
        Span::styled(V::KEYS, theme.hint),
    ]));
    f.render_widget(Paragraph::new(out), inner);
    // Arrows on the right border where the field list continues above or below.
    let border_x = modal.right().saturating_sub(1);
    let list_y = inner.y + list_top as u16;
    for (show, y, arrow) in [
        (offset > 0, list_y, "▲"),
        (
            offset + list_height < all.len(),
            list_y + (list_height as u16).saturating_sub(1),
            "▼",
        ),
    ] {
        if show
            && list_height > 0
            && let Some(cell) = f.buffer_mut().cell_mut(Position::new(border_x, y))
        {
            cell.set_symbol(arrow).set_style(theme.hint_key);
        }
    }

    if let Some(l) = lines.get(focused)
        && let Some((x, line)) = l.cursor
        && (offset..offset + list_height).contains(&(focus_start + line))
    {
        let y = inner.y + (list_top + focus_start + line - offset) as u16;
        f.set_cursor_position(Position::new(
            (inner.x + x as u16).min(inner.right().saturating_sub(1)),
            y,
        ));
    }
}

/// The command the form will run, or the form's error, or what is missing: `COMMAND_LINES`
/// lines. A form without a command shows only its error, when it has one.
fn command_lines<V: Validator>(form: &Form<V>, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if !V::PREVIEW {
        return form.error().map_or(Vec::new(), |error| {
            let lines = message(error, width, ERROR_LINES);
            let style = theme.flash_error;
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| prefixed(i, "! ", l, style))
                .collect()
        });
    }
    let (text, style, prefix) = match (form.error(), form.preview()) {
        (Some(error), _) => (error.to_string(), theme.flash_error, "! "),
        (None, Some(command)) => (command, theme.title, "$ "),
        (None, None) if form.fields().iter().any(|v| v.error.is_some()) => (
            "fix what is marked ! to see the command".to_string(),
            theme.dim,
            "  ",
        ),
        (None, None) => (
            "the command shows here once every field is valid".to_string(),
            theme.dim,
            "  ",
        ),
    };
    let lines = message(&text, width, COMMAND_LINES);
    (0..COMMAND_LINES)
        .map(|i| match lines.get(i) {
            Some(l) => prefixed(i, prefix, l, style),
            None => Line::default(),
        })
        .collect()
}

/// `text` wrapped to fit after a prefix, in at most `max` lines (the last cut short with `…`).
fn message(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = wrap(text, width.saturating_sub(3));
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            last.pop();
            last.push('…');
        }
    }
    lines
}

/// A line of a message: the prefix on the first, spaces under it on the others.
fn prefixed(i: usize, prefix: &str, text: &str, style: Style) -> Line<'static> {
    let prefix = if i == 0 { prefix } else { "  " };
    Line::styled(format!(" {prefix}{text}"), style)
}
