//! One field of a form as lines: `▶ label   value`, with its error in words under it. Choices
//! show as `‹ wlc ›`, switches as `[x] on`, flags as `[x] sh-fallback  [ ] sh-port`.

use super::wrap;
use crate::console::form::{FieldView, Value};
use crate::ui::theme::Theme;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// What one field takes on screen.
pub struct FieldLines {
    pub lines: Vec<Line<'static>>,
    pub focused: bool,
    /// Where the text cursor goes: column within the box, and which of `lines`.
    pub cursor: Option<(usize, usize)>,
}

/// The widest a focused text field's underline reaches.
const INPUT_WIDTH: usize = 40;

/// The keys that change a field of this kind, shown while it is focused.
pub fn key_hint(value: &Value) -> &'static str {
    match value {
        Value::Text(_) | Value::Fixed(_) => "",
        Value::Combo { .. } => "←→ known names, or type one",
        Value::Choice { .. } => "←→ or a letter: choose",
        Value::Switch(_) => "Space: on/off",
        Value::Flags { .. } => "←→ pick a flag · Space: on/off",
    }
}

pub fn field_lines<I>(
    v: &FieldView<I>,
    label_width: usize,
    width: usize,
    theme: &Theme,
) -> FieldLines {
    let marker = if v.focused { " ▶ " } else { "   " };
    let label_style = if v.focused {
        theme.selected
    } else {
        theme.column
    };
    let mut spans = vec![
        Span::raw(marker),
        Span::styled(format!("{:<label_width$}", v.label), label_style),
        Span::raw("  "),
    ];
    let value_x = marker.chars().count() + label_width + 2;
    let room = width.saturating_sub(value_x + 1);
    let mut cursor = None;
    match v.value {
        Value::Text(input) => {
            let scroll = input.visual_scroll(room);
            let shown: String = input.value().chars().skip(scroll).collect();
            if v.focused {
                let pad = room.min(INPUT_WIDTH).max(shown.chars().count());
                spans.push(Span::styled(
                    format!("{shown:<pad$}"),
                    Style::default().add_modifier(Modifier::UNDERLINED),
                ));
                cursor = Some((value_x + input.visual_cursor().saturating_sub(scroll), 0));
            } else if shown.is_empty() {
                spans.push(Span::styled(format!("({})", v.placeholder), theme.dim));
            } else {
                spans.push(Span::raw(shown));
            }
        }
        Value::Combo { input, .. } => {
            let room = room.saturating_sub(4);
            let scroll = input.visual_scroll(room);
            let shown: String = input.value().chars().skip(scroll).collect();
            spans.push(Span::styled("‹ ", theme.dim));
            spans.push(Span::styled(
                shown,
                Style::default().add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(" ›", theme.dim));
            if v.focused {
                cursor = Some((
                    value_x + 2 + input.visual_cursor().saturating_sub(scroll),
                    0,
                ));
            }
        }
        Value::Choice { options, selected } => {
            spans.push(Span::styled("‹ ", theme.dim));
            spans.push(Span::styled(
                options.get(*selected).copied().unwrap_or_default(),
                Style::default().add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(" ›", theme.dim));
        }
        Value::Switch(on) => spans.push(Span::raw(if *on { "[x] on" } else { "[ ] off" })),
        Value::Flags { set, cursor: at } => {
            for (i, name) in v.flag_names.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw("  "));
                }
                spans.push(Span::raw(if set[i] { "[x] " } else { "[ ] " }));
                let style = if v.focused && i == *at {
                    theme.selected
                } else {
                    Style::default()
                };
                spans.push(Span::styled(*name, style));
            }
        }
        Value::Fixed(text) => spans.push(Span::styled(text.clone(), theme.dim)),
    }
    let mut lines = vec![Line::from(spans)];
    if let Some(error) = v.error {
        for (n, text) in wrap(error, width.saturating_sub(6)).into_iter().enumerate() {
            lines.push(Line::styled(
                format!("   {}{text}", if n == 0 { "! " } else { "  " }),
                theme.flash_error,
            ));
        }
    }
    FieldLines {
        lines,
        focused: v.focused,
        cursor,
    }
}
