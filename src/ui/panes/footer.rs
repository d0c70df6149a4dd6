//! The bottom two lines: the flash line (news, errors, or the filter being typed; the palette
//! draws its prompt there) and the hint bar with the main keys of what has focus, taken from
//! the keymap.

use crate::console::app::App;
use crate::console::keys::hints::Hint;
use crate::ui::format;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use tui_input::Input;

/// An error may take this many lines, to be read whole (a bad config file names its line).
const MAX_FLASH_LINES: usize = 4;

/// The flash message in lines for this width.
fn flash_lines(app: &App, width: u16) -> Vec<String> {
    match app.flash_shown() {
        Some(flash) => {
            let mut lines = format::wrap(&flash.text, usize::from(width).saturating_sub(2).max(20));
            lines.truncate(if flash.error { MAX_FLASH_LINES } else { 1 });
            lines
        }
        _ => vec![String::new()],
    }
}

/// Lines the footer needs: the flash (one, or a few for an error) and the hint bar.
pub fn height(app: &App, width: u16) -> u16 {
    flash_lines(app, width).len() as u16 + 1
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if let Some(flash) = app.flash_shown() {
        let style = if flash.error {
            theme.flash_error
        } else {
            theme.flash
        };
        for (n, text) in flash_lines(app, area.width).into_iter().enumerate() {
            f.render_widget(
                Line::styled(format!(" {text}"), style),
                Rect {
                    y: area.y + n as u16,
                    height: 1,
                    ..area
                },
            );
        }
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for Hint { key, hint } in app.hints() {
        let gap = if spans.is_empty() { " " } else { "  " };
        let (key, hint) = (key.to_string(), format!(" {hint}"));
        // A hint that does not fit whole is left out (help lists every key).
        if used + gap.len() + key.chars().count() + hint.chars().count() > usize::from(area.width) {
            continue;
        }
        used += gap.len() + key.chars().count() + hint.chars().count();
        spans.push(Span::raw(gap));
        spans.push(Span::styled(key, theme.hint_key));
        spans.push(Span::styled(hint, theme.hint));
    }
    f.render_widget(
        Line::from(spans),
        Rect {
            y: area.bottom().saturating_sub(1),
            height: 1,
            ..area
        },
    );
}

/// The filter being typed, on the flash line, with the cursor in it.
pub fn draw_filter(f: &mut Frame, area: Rect, filter: &Input, theme: &Theme) {
    let flash_area = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let prompt = " filter:";
    let width = usize::from(area.width).saturating_sub(prompt.len() + 1);
    let scroll = filter.visual_scroll(width);
    let shown: String = filter.value().chars().skip(scroll).collect();
    f.render_widget(
        Line::from(vec![
            Span::styled(prompt, theme.hint_key),
            Span::raw(" "),
            Span::raw(shown),
        ]),
        flash_area,
    );
    let x = area.x + (prompt.len() + 1 + filter.visual_cursor().saturating_sub(scroll)) as u16;
    f.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
}
