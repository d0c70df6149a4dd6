//! Lines that moved up or down together are scrolled on the terminal, and the screen still
//! rebuilds exactly.

use super::*;

/// A services pane: a title, `rows` lines from the `first`th service on with the `selected`
/// one reversed, and a footer.
fn table(f: &mut ratatui::Frame, first: u16, selected: u16, rows: u16) {
    let width = f.area().width;
    f.render_widget(
        Line::raw(" Services 60  sorted by service"),
        Rect::new(0, 0, width, 1),
    );
    for y in 0..rows {
        let i = u32::from(first + y);
        let text = format!(
            " TCP 192.0.2.{i}:80  wlc  {:>5} {:>6}",
            i * 37 % 1000,
            i * 7919 % 100_000
        );
        let style = match i == u32::from(selected) {
            true => Style::default().add_modifier(Modifier::REVERSED),
            false => Style::default().fg(Color::Cyan),
        };
        f.render_widget(Line::styled(text, style), Rect::new(0, 1 + y, width, 1));
    }
    f.render_widget(
        Line::raw(" Enter servers  q quit"),
        Rect::new(0, rows + 1, width, 1),
    );
}

/// The rows of a frame's delete-line and insert-line, if it has them.
fn line_operations(text: &str) -> Option<(usize, usize)> {
    let (mut row, mut deleted, mut inserted) = (0, None, None);
    for csi in text.split("\x1b[").skip(1) {
        let end = csi.find(|c: char| c.is_ascii_alphabetic())?;
        match &csi[end..=end] {
            "H" => row = csi[..end].split(';').next()?.parse().unwrap_or(1),
            "M" => deleted = Some(row),
            "L" => inserted = Some(row),
            _ => {}
        }
    }
    Some((deleted?, inserted?))
}

#[test]
fn a_table_scrolled_by_its_selection_is_scrolled_on_the_terminal() {
    let (w, h, rows) = (48, 14, 10);
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), w, h)).unwrap();
    let mut screen = Screen::new(w.into(), h.into());
    // Down through 30 services one at a time, then up again, then the wheel: three at a time.
    let down = (0..30u16).map(|s| (s.saturating_sub(rows - 1), s));
    let up = (0..30u16).rev().map(|s| (s.min(20), s));
    let wheel = (0..6u16).map(|n| (n * 3, n * 3));
    let (mut ups, mut downs) = (0, 0);
    let mut last = None;
    for (n, (first, selected)) in down.chain(up).chain(wheel).enumerate() {
        let drawn = terminal
            .draw(|f| table(f, first, selected, rows))
            .unwrap()
            .buffer
            .clone();
        let out = terminal.backend().writer();
        screen.feed(out);
        screen.assert_shows(&drawn, n as u64);
        let text = String::from_utf8_lossy(out).into_owned();
        let moved = last.map(|l: u16| first.abs_diff(l));
        match moved {
            Some(1) => {
                // One line in, the selection's two: not the ten lines printed again.
                assert!(
                    text.len() < 150,
                    "frame {n}: {} bytes: {text:?}",
                    text.len()
                );
                // Up: a line deleted at the top of the list, one inserted below; down: the
                // other way round.
                let (deleted, inserted) = line_operations(&text)
                    .unwrap_or_else(|| panic!("frame {n}: not scrolled: {text:?}"));
                if first > last.unwrap() {
                    assert!(deleted < inserted, "frame {n}: {text:?}");
                    ups += 1;
                } else {
                    assert!(deleted > inserted, "frame {n}: {text:?}");
                    downs += 1;
                }
            }
            Some(3) => assert!(text.contains("\x1b[3M"), "frame {n}: {text:?}"),
            _ => assert!(!text.contains("M\x1b["), "frame {n}: {text:?}"),
        }
        last = Some(first);
        terminal.backend_mut().writer_mut().clear();
    }
    assert_eq!((ups, downs), (20, 20));
}

#[test]
fn frames_moved_up_and_down_rebuild_exactly() {
    let (w, h) = (60, 16);
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), w, h)).unwrap();
    let mut screen = Screen::new(w.into(), h.into());
    let mut scrolls = 0;
    for n in 0..300u64 {
        // New text every 7 frames; between, the same lines moved by up to 4 either way.
        let first = (n * 5 % 9) as u16;
        let drawn = terminal
            .draw(|f| frame_at(f, n / 7, first))
            .unwrap()
            .buffer
            .clone();
        let out = terminal.backend().writer();
        screen.feed(out);
        let text = String::from_utf8_lossy(out);
        scrolls += usize::from(line_operations(&text).is_some());
        screen.assert_shows(&drawn, n);
        terminal.backend_mut().writer_mut().clear();
        if n % 100 == 99 {
            terminal.clear().unwrap();
        }
    }
    println!("{scrolls} frames of 300 scrolled");
    assert!(scrolls > 100, "{scrolls} frames of 300 scrolled");
}
