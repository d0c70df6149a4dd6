//! The drain prompt (`D`): what a drain does, and the optional deadline to type.

use crate::console::drain::DrainPrompt;
use crate::ui::format;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

const WIDTH: u16 = 76;

pub fn draw(f: &mut Frame, area: Rect, prompt: &DrainPrompt, theme: &Theme) {
    let width = WIDTH.min(area.width);
    let inner_width = usize::from(width.saturating_sub(4));
    let mut lines: Vec<Line> = Vec::new();
    let explain = "Weight 0 now: no new connections; existing ones carry on. Once its active, inactive and persistent connections reach 0 it is removed. With a deadline it is removed then, connections or not. D again cancels and puts the weight back.";
    lines.extend(
        format::wrap(explain, inner_width)
            .into_iter()
            .map(Line::from),
    );
    lines.push(Line::default());
    let label = "Deadline (empty: wait for 0 connections): ";
    lines.push(Line::from(vec![
        Span::styled(label, theme.title),
        Span::styled(prompt.deadline.value().to_string(), theme.selected),
    ]));
    if let Some(error) = &prompt.error {
        lines.extend(
            format::wrap(error, inner_width)
                .into_iter()
                .map(|l| Line::styled(l, theme.warning)),
        );
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Enter starts the drain · Esc cancels",
        theme.dim,
    ));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    f.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.pane_focused)
        .title(Span::styled(format!(" {} ", prompt.title()), theme.title));
    let inner = block.inner(popup);
    f.render_widget(Paragraph::new(lines.clone()).block(block), popup);
    // The cursor sits in the deadline field.
    let row = lines
        .iter()
        .position(|l| l.spans.first().is_some_and(|s| s.content == label))
        .unwrap_or(0) as u16;
    let x = inner.x + (label.chars().count() + prompt.deadline.visual_cursor()) as u16;
    f.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y + row,
    ));
}
