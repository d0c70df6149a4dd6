//! A drawn screen as an SVG picture: each cell's text in a monospace font with the colours and
//! attributes of its style, block elements (sparklines) and box lines drawn as shapes so they join
//! whatever font the viewer has. Deterministic, so the pictures under assets/ diff like code.

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use std::fmt::Write;

/// A cell's size in pixels, for a 14px font (a monospace advance is about 0.6 em).
const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
/// The baseline's distance from a cell's top.
const BASELINE: f32 = 13.5;
/// The margin around the screen, as a terminal window has.
const PAD: f32 = 10.0;
const FONT: &str = "ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, \
                    'Liberation Mono', monospace";
/// The terminal's own colours (Color::Reset) and the 16 ANSI ones: Tango, as GNOME's terminal.
const DEFAULT_FG: &str = "#d3d7cf";
const DEFAULT_BG: &str = "#1e1f1c";
const ANSI: [&str; 16] = [
    "#2e3436", "#cc0000", "#4e9a06", "#c4a000", "#3465a4", "#75507b", "#06989a", "#d3d7cf",
    "#555753", "#ef2929", "#8ae234", "#fce94f", "#729fcf", "#ad7fa8", "#34e2e2", "#eeeeec",
];

/// The look of a cell's text, resolved: what runs of cells share.
#[derive(Clone, PartialEq, Eq)]
struct Look {
    fg: String,
    bg: String,
    bold: bool,
    italic: bool,
    underlined: bool,
    dim: bool,
}

fn colour(c: Color, default: &str) -> String {
    let index = match c {
        Color::Reset => return default.to_string(),
        Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i,
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
    };
    match index {
        0..16 => ANSI[usize::from(index)].to_string(),
        16..232 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let v = index - 16;
            format!(
                "#{:02x}{:02x}{:02x}",
                level(v / 36),
                level(v / 6 % 6),
                level(v % 6)
            )
        }
        _ => {
            let g = 8 + 10 * (index - 232);
            format!("#{g:02x}{g:02x}{g:02x}")
        }
    }
}

fn look(cell: &Cell) -> Look {
    let m = cell.modifier;
    let (mut fg, mut bg) = (colour(cell.fg, DEFAULT_FG), colour(cell.bg, DEFAULT_BG));
    if m.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    Look {
        fg,
        bg,
        bold: m.contains(Modifier::BOLD),
        italic: m.contains(Modifier::ITALIC),
        underlined: m.contains(Modifier::UNDERLINED),
        dim: m.contains(Modifier::DIM),
    }
}

/// The eighths of a cell that a lower block element (▁ to █) fills.
fn block(symbol: &str) -> Option<u32> {
    let c = single(symbol)?;
    ('\u{2581}'..='\u{2588}')
        .contains(&c)
        .then(|| c as u32 - 0x2580)
}

/// Which of a cell's four arms (left, right, up, down) a light box-drawing character draws.
fn arms(symbol: &str) -> Option<[bool; 4]> {
    Some(match single(symbol)? {
        '─' => [true, true, false, false],
        '│' => [false, false, true, true],
        '┌' | '╭' => [false, true, false, true],
        '┐' | '╮' => [true, false, false, true],
        '└' | '╰' => [false, true, true, false],
        '┘' | '╯' => [true, false, true, false],
        '├' => [false, true, true, true],
        '┤' => [true, false, true, true],
        '┬' => [true, true, false, true],
        '┴' => [true, true, true, false],
        '┼' => [true, true, true, true],
        _ => return None,
    })
}

fn single(symbol: &str) -> Option<char> {
    let mut chars = symbol.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The picture of `buffer`, with `title` as its accessible name.
pub fn svg(buffer: &Buffer, title: &str) -> String {
    let (w, h) = (buffer.area.width, buffer.area.height);
    let px_w = f32::from(w) * CELL_W + 2.0 * PAD;
    let px_h = f32::from(h) * CELL_H + 2.0 * PAD;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{px_w}\" height=\"{px_h}\" \
         viewBox=\"0 0 {px_w} {px_h}\" font-family=\"{FONT}\" font-size=\"14\" \
         xml:space=\"preserve\" role=\"img\">"
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>text{{white-space:pre}}</style>");
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" rx=\"6\" fill=\"{DEFAULT_BG}\"/>"
    );
    let (mut backgrounds, mut shapes, mut texts) = (String::new(), String::new(), String::new());
    for y in 0..h {
        let row: Vec<&Cell> = (0..w).map(|x| &buffer[(x, y)]).collect();
        row_backgrounds(&row, y, &mut backgrounds);
        row_shapes(&row, y, &mut shapes);
        row_texts(&row, y, &mut texts);
    }
    let _ = writeln!(out, "<g transform=\"translate({PAD} {PAD})\">");
    out.push_str(&backgrounds);
    out.push_str(&shapes);
    out.push_str(&texts);
    out.push_str("</g>\n</svg>\n");
    out
}

fn cell_x(x: usize) -> f32 {
    x as f32 * CELL_W
}

fn cell_y(y: u16) -> f32 {
    f32::from(y) * CELL_H
}

/// Runs of cells in `row` with the same `key`: (first column, one past the last, key).
fn runs<K: PartialEq>(row: &[&Cell], key: impl Fn(&Cell) -> K) -> Vec<(usize, usize, K)> {
    let mut out: Vec<(usize, usize, K)> = Vec::new();
    for (x, cell) in row.iter().enumerate() {
        let k = key(cell);
        match out.last_mut() {
            Some(last) if last.2 == k => last.1 = x + 1,
            _ => out.push((x, x + 1, k)),
        }
    }
    out
}

fn row_backgrounds(row: &[&Cell], y: u16, out: &mut String) {
    for (from, to, bg) in runs(row, |c| look(c).bg) {
        if bg != DEFAULT_BG {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                cell_x(from),
                cell_y(y),
                cell_x(to - from)
            );
        }
    }
}

fn row_shapes(row: &[&Cell], y: u16, out: &mut String) {
    let top = cell_y(y);
    for (x, cell) in row.iter().enumerate() {
        let fg = look(cell).fg;
        let left = cell_x(x);
        if let Some(eighths) = block(cell.symbol()) {
            let height = CELL_H * eighths as f32 / 8.0;
            let _ = writeln!(
                out,
                "<rect x=\"{left}\" y=\"{}\" width=\"{CELL_W}\" height=\"{height}\" fill=\"{fg}\"/>",
                top + CELL_H - height
            );
        } else if let Some([l, r, u, d]) = arms(cell.symbol()) {
            let (cx, cy) = (left + CELL_W / 2.0, top + CELL_H / 2.0);
            let mut path = String::new();
            for (on, x1, y1) in [
                (l, left, cy),
                (r, left + CELL_W, cy),
                (u, cx, top),
                (d, cx, top + CELL_H),
            ] {
                if on {
                    let _ = write!(path, "M{cx} {cy}L{x1} {y1}");
                }
            }
            let _ = writeln!(
                out,
                "<path d=\"{path}\" stroke=\"{fg}\" stroke-width=\"1\"/>"
            );
        }
    }
}

fn row_texts(row: &[&Cell], y: u16, out: &mut String) {
    let drawn = |c: &Cell| block(c.symbol()).is_none() && arms(c.symbol()).is_none();
    for (from, to, (look, text_cell)) in runs(row, |c| (look(c), drawn(c))) {
        if !text_cell {
            continue;
        }
        let text: String = row[from..to].iter().map(|c| c.symbol()).collect();
        let trimmed = text.trim_start_matches(' ');
        let start = from + (text.len() - trimmed.len());
        let trimmed = trimmed.trim_end_matches(' ');
        if trimmed.is_empty() && !look.underlined {
            continue;
        }
        let cells = trimmed.chars().count();
        let mut attrs = format!("fill=\"{}\"", look.fg);
        if look.bold {
            attrs.push_str(" font-weight=\"bold\"");
        }
        if look.italic {
            attrs.push_str(" font-style=\"italic\"");
        }
        if look.underlined {
            attrs.push_str(" text-decoration=\"underline\"");
        }
        if look.dim {
            attrs.push_str(" opacity=\"0.6\"");
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\" {attrs}>{}</text>",
            cell_x(start),
            cell_y(y) + BASELINE,
            cell_x(cells),
            escape(trimmed)
        );
    }
}

#[test]
fn cells_become_coloured_runs_and_shapes() {
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    let mut buffer = Buffer::empty(Rect::new(0, 0, 12, 2));
    buffer.set_string(0, 0, "a<b", Style::default().fg(Color::Yellow));
    buffer.set_string(4, 0, "ok", Style::default().bg(Color::Cyan));
    buffer.set_string(0, 1, "▄█─", Style::default().fg(Color::Green));
    let picture = svg(&buffer, "t");
    assert!(picture.contains(">a&lt;b</text>"), "{picture}");
    assert!(picture.contains("fill=\"#c4a000\""), "yellow: {picture}");
    assert!(
        picture.contains("fill=\"#06989a\""),
        "cyan background: {picture}"
    );
    assert_eq!(picture.matches("<rect").count(), 4, "page, bg, two blocks");
    assert_eq!(picture.matches("<path").count(), 1);
    assert_eq!(colour(Color::Indexed(196), ""), "#ff0000");
    assert_eq!(colour(Color::Indexed(232), ""), "#080808");
}
