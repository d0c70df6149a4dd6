//! The bytes written, replayed on a minimal terminal, give the screen ratatui drew.

use super::*;
use ratatui::Terminal;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

mod screen;
mod scroll;
use screen::Screen;

/// Frames of changing text in a few styles, deterministic.
fn frame(f: &mut ratatui::Frame, n: u64) {
    frame_at(f, n, 0);
}

/// `frame`'s lines from the `first`th on: the same frame scrolled by `first` lines.
fn frame_at(f: &mut ratatui::Frame, n: u64, first: u16) {
    let styles = [
        Style::default(),
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD),
        Style::default()
            .fg(Color::Black)
            .bg(Color::LightCyan)
            .add_modifier(Modifier::BOLD),
        Style::default().bg(Color::DarkGray),
        Style::default()
            .fg(Color::Indexed(202))
            .add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
    ];
    let mut seed = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for line in 0..f.area().height + first {
        let mut spans = Vec::new();
        for _ in 0..4 {
            let word = format!(
                "{}·{} ",
                next() % 1000,
                if next() % 3 == 0 { "█" } else { "ab" }
            );
            spans.push(Span::styled(
                word,
                styles[(next() % styles.len() as u64) as usize],
            ));
        }
        let (shown, x) = (next() % 4 != 0, (next() % 20) as u16);
        if shown && line >= first {
            let area = Rect::new(x, line - first, f.area().width - 20, 1);
            f.render_widget(Line::from(spans), area);
        }
    }
}

#[test]
fn the_bytes_rebuild_every_frame_exactly() {
    let (w, h) = (60, 12);
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), w, h)).unwrap();
    let mut screen = Screen::new(w.into(), h.into());
    for n in 0..200 {
        let drawn = terminal.draw(|f| frame(f, n % 37)).unwrap().buffer.clone();
        screen.feed(terminal.backend().writer());
        screen.assert_shows(&drawn, n);
        terminal.backend_mut().writer_mut().clear();
        if n % 50 == 49 {
            terminal.clear().unwrap();
        }
    }
}

#[test]
fn an_unchanged_frame_writes_nothing() {
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 40, 5)).unwrap();
    terminal.draw(|f| frame(f, 1)).unwrap();
    assert!(!terminal.backend().writer().is_empty());
    terminal.backend_mut().writer_mut().clear();
    terminal.draw(|f| frame(f, 1)).unwrap();
    assert_eq!(
        terminal.backend().writer().len(),
        0,
        "{:?}",
        String::from_utf8_lossy(terminal.backend().writer())
    );
}

#[test]
fn short_moves_and_styles() {
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 20, 2)).unwrap();
    terminal
        .draw(|f| f.render_widget(Line::from("a  b    c"), f.area()))
        .unwrap();
    terminal.backend_mut().writer_mut().clear();
    terminal
        .draw(|f| {
            f.render_widget(
                Line::from(vec![
                    Span::raw("x  y    "),
                    Span::styled("z", Style::default().fg(Color::Cyan)),
                ]),
                f.area(),
            )
        })
        .unwrap();
    // Back to x with a carriage return (shorter than placing it), two blanks printed again
    // rather than skipped, y, a skip of 4, z in cyan; a frame this small without the
    // synchronized-output brackets.
    assert_eq!(
        String::from_utf8_lossy(terminal.backend().writer()),
        "\rx  y\x1b[4C\x1b[36mz"
    );
    // A backspace onto z, a plain pen in the short reset, then the next row: a line feed and
    // a step back, not an absolute move.
    terminal.backend_mut().writer_mut().clear();
    terminal
        .draw(|f| {
            f.render_widget(Line::from("x  y    z"), f.area());
            f.render_widget(Line::from("     q"), Rect::new(0, 1, 20, 1));
        })
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(terminal.backend().writer()),
        "\x08\x1b[mz\n\x1b[4Dq"
    );
}

#[test]
fn the_shortest_way_down_a_column_and_back_up() {
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 30, 12)).unwrap();
    let mut draw = |rows: [&str; 3]| {
        terminal.backend_mut().writer_mut().clear();
        terminal
            .draw(|f| {
                for (y, text) in [0, 3, 10].into_iter().zip(rows) {
                    f.render_widget(Line::from(text), Rect::new(20, y, 10, 1));
                }
            })
            .unwrap();
        String::from_utf8_lossy(terminal.backend().writer()).into_owned()
    };
    draw(["1", "1", "1"]);
    // Three rows down in the same column: three line feeds and a backspace (not 8 bytes of
    // `ESC[4;21H`); seven rows down: a step of 7 and a backspace.
    assert_eq!(
        draw(["2", "2", "2"]),
        "\x1b[10A\x082\n\n\n\x082\x1b[7B\x082"
    );
    // A frame starts where the last one ended: up to row 0.
    assert_eq!(draw(["3", "2", "2"]), "\x1b[10A\x083");
}

/// A trend: bars that move one column left each frame, a new one at the right, a value after.
fn trend(f: &mut ratatui::Frame, n: u64) {
    let bars: String = (n..n + 24)
        .map(|i| ['▁', '▃', '▅', '█', ' '][(i * i % 7 % 5) as usize])
        .collect();
    let style = Style::default().fg(Color::Green);
    f.render_widget(
        Line::from(vec![
            Span::raw(" conn/s "),
            Span::styled(bars, style),
            Span::raw(format!("  {:>4}", n * 37 % 1000)),
        ]),
        Rect::new(0, 1, f.area().width, 1),
    );
}

#[test]
fn rows_moved_one_column_left_are_shifted_and_rebuild_exactly() {
    let (w, h) = (48, 3);
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), w, h)).unwrap();
    let mut screen = Screen::new(w.into(), h.into());
    let mut shifts = 0;
    for n in 0..60 {
        let drawn = terminal.draw(|f| trend(f, n)).unwrap().buffer.clone();
        let out = terminal.backend().writer();
        screen.feed(out);
        let text = String::from_utf8_lossy(out);
        shifts += text.matches("\x1b[P").count();
        if n > 0 {
            // Each frame moves a row's bars one column left: shifted, not printed again.
            assert!(
                text.contains("\x1b[P") && text.len() < 40,
                "frame {n}: {text:?}"
            );
        }
        screen.assert_shows(&drawn, n);
        terminal.backend_mut().writer_mut().clear();
    }
    assert_eq!(shifts, 59);
}

#[test]
fn only_frames_past_a_few_hundred_bytes_are_synchronized() {
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 80, 24)).unwrap();
    let text = |c: char| {
        move |f: &mut ratatui::Frame| {
            let lines: Vec<Line> = (0..24)
                .map(|_| Line::from(c.to_string().repeat(80)))
                .collect();
            f.render_widget(ratatui::widgets::Paragraph::new(lines), f.area())
        }
    };
    terminal.draw(text('a')).unwrap();
    let out = String::from_utf8_lossy(terminal.backend().writer()).into_owned();
    assert!(
        out.starts_with("\x1b[?2026h") && out.ends_with("\x1b[?2026l"),
        "{out:?}"
    );
    assert_eq!(out.matches("\x1b[?2026").count(), 2);
    // One cell changed: no brackets.
    terminal.backend_mut().writer_mut().clear();
    terminal
        .draw(|f| {
            text('a')(f);
            f.buffer_mut()[(3, 3)].set_symbol("b");
        })
        .unwrap();
    let out = String::from_utf8_lossy(terminal.backend().writer()).into_owned();
    assert_eq!(out, "\x1b[4;4Hb");
}

#[test]
fn a_clear_never_asks_the_terminal_where_its_cursor_is() {
    // Before any frame the cursor is unknown: the old way asked the terminal (ESC [6n), whose
    // answer went to the events thread and left the loop waiting for a key.
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 20, 2)).unwrap();
    terminal.clear().unwrap();
    assert_eq!(
        String::from_utf8_lossy(terminal.backend().writer()),
        "\x1b[m\x1b[2J"
    );
    // After a clear (a stop and `fg` in between), the cursor is not trusted where it was: the
    // next frame's first cell is placed explicitly.
    for text in ["a", "ab"] {
        terminal.backend_mut().writer_mut().clear();
        terminal
            .draw(|f| f.render_widget(Line::from(text), f.area()))
            .unwrap();
        let out = String::from_utf8_lossy(terminal.backend().writer()).into_owned();
        assert!(
            (out.starts_with("\x1b[1;") || out.starts_with("\x1b[1H")) && out.contains(text),
            "placed absolutely first: {out:?}"
        );
        terminal.clear().unwrap();
    }
}
