//! The confirmation box of a destructive change: the command(s) it will run, then the keys, or
//! the word to type first (with what has been typed so far).

use super::{centred, wrap};
use crate::console::form::Confirm;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

const WIDTH: u16 = 90;
/// Commands listed at most; more are counted.
const MAX_COMMANDS: usize = 8;

pub fn draw_confirm(f: &mut Frame, area: Rect, confirm: &Confirm, theme: &Theme) {
    let width = usize::from(WIDTH.min(area.width.saturating_sub(4)).saturating_sub(2));
    let mut lines = Vec::new();
    if let Some(note) = &confirm.note {
        for text in wrap(note, width.saturating_sub(2)) {
            lines.push(Line::styled(format!(" {text}"), theme.warning));
        }
        lines.push(Line::default());
    }
    lines.push(Line::styled(" This runs:", theme.dim));
    let commands = confirm.commands();
    for command in commands.iter().take(MAX_COMMANDS) {
        for (n, text) in wrap(command, width.saturating_sub(5))
            .into_iter()
            .enumerate()
        {
            lines.push(Line::styled(
                format!(" {}{text}", if n == 0 { "$ " } else { "    " }),
                theme.title,
            ));
        }
    }
    if commands.len() > MAX_COMMANDS {
        lines.push(Line::styled(
            format!("   … and {} more", commands.len() - MAX_COMMANDS),
            theme.dim,
        ));
    }
    lines.push(Line::default());
    let prompt_line = lines.len();
    let mut prompt_x = None;
    match confirm.word() {
        None => lines.push(Line::from(vec![
            Span::raw(" "),
            Span::styled("Enter applies · Esc cancels", theme.hint),
        ])),
        Some(word) => {
            let prompt = format!(" type {word}, then Enter: ");
            let room = width.saturating_sub(prompt.chars().count() + 1);
            let input = confirm.input();
            let scroll = input.visual_scroll(room);
            let shown: String = input.value().chars().skip(scroll).collect();
            let pad = room.min(word.len() + 4).max(shown.chars().count());
            prompt_x = Some(prompt.chars().count() + input.visual_cursor().saturating_sub(scroll));
            lines.push(Line::from(vec![
                Span::styled(prompt, theme.warning),
                Span::styled(
                    format!("{shown:<pad$}"),
                    Style::default().add_modifier(Modifier::UNDERLINED),
                ),
            ]));
            lines.push(Line::styled(
                if confirm.ready() {
                    " Enter applies · Esc cancels"
                } else {
                    " Esc cancels"
                },
                theme.hint,
            ));
        }
    }
    let modal = centred(area, WIDTH, lines.len() as u16 + 2);
    f.render_widget(Clear, modal);
    let title = Line::styled(format!(" {} ", confirm.title), theme.warning);
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        modal,
    );
    if let Some(x) = prompt_x
        && (prompt_line as u16) < modal.height.saturating_sub(2)
    {
        let x = (modal.x + 1 + x as u16).min(modal.right().saturating_sub(2));
        f.set_cursor_position(Position::new(x, modal.y + 1 + prompt_line as u16));
    }
}
