//! The help overlay, generated from the keymap in force: it cannot list a key that does nothing.

use crate::console::app::App;
use crate::console::keys::keymap::Binding;
use crate::ui::format;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// One entry: the keys (or mark) in a column, the description wrapped beside it.
fn entry(
    out: &mut Vec<Line<'static>>,
    keys: &str,
    desc: &str,
    key_width: usize,
    width: usize,
    theme: &Theme,
) {
    for (n, text) in format::wrap(desc, width.saturating_sub(key_width + 4).max(20))
        .into_iter()
        .enumerate()
    {
        let keys = if n == 0 { keys } else { "" };
        out.push(Line::from(vec![
            Span::styled(format!("  {keys:<key_width$}  "), theme.title),
            Span::raw(text),
        ]));
    }
}

/// What the marks on screen mean (help's last section).
pub const MARKS: [(&str, &str); 7] = [
    (
        "!",
        "no real server can take a new connection (none, or all at weight 0)",
    ),
    (
        "✗",
        "the service's VIP is bound to no interface of this host: its traffic never arrives (i binds it)",
    ),
    ("▲ ▼", "the column the table is sorted by, and which way"),
    (
        "SIMULATED",
        "the demo: a simulated IPVS, nothing on this host is read or changed",
    ),
    ("FROZEN", "new polls are not shown until you resume"),
    (
        "READ-ONLY",
        "changes are off: no change key, and the backend refuses changes",
    ),
    (
        "B/s, pkt/s",
        "bytes and packets per second, in (to the director) and out",
    ),
];

/// A binding's keys as help shows them: `q, F10`.
pub fn keys(b: &Binding) -> String {
    b.keys
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every line of help for a popup `width` wide: a section per layer, then what the marks on
/// screen mean.
pub fn lines(app: &App, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let layers = app.help_layers();
    let marks = MARKS;
    let key_width = layers
        .iter()
        .flat_map(|l| {
            app.keymap
                .bindings(*l)
                .iter()
                .map(|b| keys(b).chars().count())
        })
        .chain(marks.iter().map(|(m, _)| m.chars().count()))
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for layer in layers {
        let bindings = app.keymap.bindings(layer);
        if bindings.is_empty() {
            continue;
        }
        out.push(Line::styled(layer.title().to_string(), theme.column));
        for b in bindings {
            entry(&mut out, &keys(b), &b.desc, key_width, width, theme);
        }
        out.push(Line::default());
    }
    out.push(Line::styled("On screen", theme.column));
    for (mark, meaning) in marks {
        entry(&mut out, mark, meaning, key_width, width, theme);
    }
    out
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(100);
    let height = area.height.saturating_sub(4);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 2,
        width,
        height,
    };
    let lines = lines(app, theme, usize::from(width.saturating_sub(2)));
    let max_scroll = (lines.len() as u16).saturating_sub(height.saturating_sub(2));
    let block = Block::default().borders(Borders::ALL).title(Line::styled(
        " Help: keys from keymap.toml ",
        theme.pane_focused,
    ));
    f.render_widget(Clear, popup);
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max_scroll), 0)),
        popup,
    );
}
