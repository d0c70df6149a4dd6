//! The `:` command palette on screen: the prompt on the footer's first line and the matching
//! commands in a box just above it, the selected one highlighted like a selected table row.

use crate::console::keys::palette::{Palette, PaletteItem};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Entries shown at once; more scroll with the selection, so the tables stay partly in view.
const MAX_ROWS: usize = 10;
const PROMPT: &str = " :";

pub fn draw(f: &mut Frame, footer: Rect, p: &Palette, entries: &[PaletteItem], theme: &Theme) {
    let prompt_area = Rect {
        height: 1,
        ..footer
    };
    let width = usize::from(footer.width).saturating_sub(PROMPT.len() + 1);
    let scroll = p.input.visual_scroll(width);
    let shown: String = p.input.value().chars().skip(scroll).collect();
    f.render_widget(Clear, prompt_area);
    f.render_widget(
        Line::from(vec![Span::styled(PROMPT, theme.hint_key), Span::raw(shown)]),
        prompt_area,
    );
    let x = footer.x + (PROMPT.len() + p.input.visual_cursor().saturating_sub(scroll)) as u16;
    f.set_cursor_position(Position::new(
        x.min(footer.right().saturating_sub(1)),
        footer.y,
    ));

    let rows = entries.len().clamp(1, MAX_ROWS) as u16;
    let height = (rows + 2).min(footer.y);
    if height < 3 {
        return;
    }
    let area = Rect {
        x: footer.x,
        y: footer.y - height,
        width: footer.width,
        height,
    };
    let inner = usize::from(area.width.saturating_sub(2));
    let visible = usize::from(height - 2);
    let offset = p.selected.saturating_sub(visible - 1);
    let name_width = entries
        .iter()
        .map(|e| e.name.chars().count())
        .max()
        .unwrap_or(0);
    let key_width = entries
        .iter()
        .map(|e| e.key.map_or(0, |k| k.to_string().chars().count()))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, e)| {
            let key = e.key.map(|k| k.to_string()).unwrap_or_default();
            let text = format!(" {:<name_width$}  {key:<key_width$}  {}", e.name, e.desc);
            // Padded to the box's width so that the highlight spans the row, as in the tables.
            let text: String = format!("{text:<inner$}").chars().take(inner).collect();
            Line::styled(
                text,
                if i == p.selected {
                    theme.selected
                } else {
                    Style::default()
                },
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            " no command matches: Backspace to retype, Esc to close",
            theme.dim,
        ));
    }
    let title = format!(
        " Commands {} of {} ",
        (p.selected + 1).min(entries.len()),
        entries.len()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, theme.pane_focused));
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(lines).block(block), area);
}
