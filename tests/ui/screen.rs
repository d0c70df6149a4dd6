//! Whole screens for the console's tests: the app drawn on a test terminal as the event loop
//! draws it, read back as text.

#![allow(dead_code)]

use ipvs_tui::console::App;
use ipvs_tui::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// Draws twice (the second time with the rows the first frame laid out, as the event loop
/// does) and returns the buffer.
pub fn render(app: &mut App, width: u16, height: u16, theme: &Theme) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    for _ in 0..2 {
        let mut screen = Default::default();
        terminal.draw(|f| screen = ui::draw(f, app, theme)).unwrap();
        app.drawn(screen);
    }
    terminal.backend().buffer().clone()
}

/// The buffer's rows, trailing blanks trimmed.
pub fn text(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    let symbols: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    symbols
        .chunks(width)
        .map(|row| row.concat().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen in the built-in theme, as text.
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    text(&render(app, width, height, &Theme::builtin()))
}
