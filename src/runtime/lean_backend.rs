//! A ratatui backend that writes few bytes per frame, for terminals at the end of an SSH link:
//! nothing at all for a frame that changes no cell, short cursor moves, rows shifted and lines
//! scrolled rather than printed again, one SGR per style change.
//!
//! The crossterm backend moves the cursor with an absolute `ESC[row;colH` before every run of
//! changed cells, sets colours with 256-colour codes, and ends every frame (even an empty one)
//! with four resets; the event loop adds synchronized-output markers and a cursor hide. At 1 s
//! refresh that overhead was most of what the console wrote.

use crate::runtime::term_size::TermSize;
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use ratatui::text::Span;
use std::io::{self, Write};

/// Newline mode off (LNM, `ESC[20l`): a line feed moves down only, as `move_to` expects. It
/// is the default; a terminal left with it on would also return the cursor to column 1.
pub const LINE_FEED_MOVES_DOWN: &str = "\x1b[20l";
const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";
/// Frames smaller than this go without the synchronized-output brackets (16 bytes): they reach
/// the terminal in one write and one read, and a split one would only delay a few cells by
/// microseconds. At 1 s refresh most frames are a few changed numbers of 20 to 100 bytes.
const SYNC_ABOVE: usize = 512;

/// Colours, text attributes: what an SGR sequence sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

impl Pen {
    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }
}

pub struct LeanBackend<W: Write> {
    out: W,
    /// The frame being written; sent with one write on `flush`.
    frame: Vec<u8>,
    /// What the terminal shows, as far as we wrote it: to reprint short gaps.
    shown: Buffer,
    /// The terminal's cursor, when we know it exactly.
    cursor: Option<Position>,
    pen: Option<Pen>,
    cursor_hidden: Option<bool>,
    /// Wrap each frame past `SYNC_ABOVE` bytes in synchronized output (mode 2026).
    sync: bool,
    /// Where this frame's BEGIN_SYNC was written, while the frame is open.
    sync_at: Option<usize>,
    colors: bool,
    /// The size to report; None asks the terminal (through `size`).
    fixed_size: Option<Size>,
    size: TermSize,
}

impl<W: Write> LeanBackend<W> {
    /// `colors` false drops colours (NO_COLOR), keeping bold, reverse and the like.
    pub fn new(out: W, sync: bool, colors: bool) -> LeanBackend<W> {
        let mut b = LeanBackend {
            out,
            frame: Vec::with_capacity(4096),
            shown: Buffer::empty(Rect::ZERO),
            cursor: None,
            pen: None,
            cursor_hidden: None,
            sync,
            sync_at: None,
            colors,
            fixed_size: None,
            size: TermSize::default(),
        };
        // A fresh alternate screen is blank, as ratatui assumes too.
        b.forget_screen();
        b
    }

    /// A backend of a fixed size that never asks a terminal (tests, benchmarks).
    pub fn with_size(out: W, width: u16, height: u16) -> LeanBackend<W> {
        let mut b = LeanBackend::new(out, true, true);
        b.fixed_size = Some(Size::new(width, height));
        b.shown = Buffer::empty(Rect::new(0, 0, width, height));
        b
    }

    /// The remembered terminal size, for the event stream to update on resizes.
    pub fn term_size(&self) -> TermSize {
        self.size.clone()
    }

    pub fn writer(&self) -> &W {
        &self.out
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// One SGR that sets everything the cell needs, starting from a reset unless the terminal's
    /// pen is known to be plain already.
    fn set_pen(&mut self, pen: Pen) {
        if self.pen == Some(pen) {
            return;
        }
        let mut codes: Vec<String> = Vec::new();
        for (m, code) in [
            (Modifier::BOLD, "1"),
            (Modifier::DIM, "2"),
            (Modifier::ITALIC, "3"),
            (Modifier::UNDERLINED, "4"),
            (Modifier::SLOW_BLINK, "5"),
            (Modifier::RAPID_BLINK, "6"),
            (Modifier::REVERSED, "7"),
            (Modifier::HIDDEN, "8"),
            (Modifier::CROSSED_OUT, "9"),
        ] {
            if pen.modifier.contains(m) {
                codes.push(code.into());
            }
        }
        if self.colors {
            codes.extend(color_code(pen.fg, false));
            codes.extend(color_code(pen.bg, true));
        }
        // `ESC[m` resets everything, as `ESC[0m` does.
        let reset = if self.pen == Some(PLAIN) || codes.is_empty() {
            ""
        } else {
            "0;"
        };
        let _ = write!(self.frame, "\x1b[{reset}{}m", codes.join(";"));
        self.pen = Some(pen);
    }

    /// What a cell needs of the pen: without colours when they are off.
    fn pen_of(&self, cell: &Cell) -> Pen {
        let pen = Pen::of(cell);
        if self.colors {
            pen
        } else {
            Pen {
                fg: Color::Reset,
                bg: Color::Reset,
                ..pen
            }
        }
    }

    /// Prints changed cells, listed row by row in column order (as ratatui lists them).
    fn draw_rows(&mut self, changes: &[(u16, u16, &Cell)]) {
        for row in changes.chunk_by(|a, b| a.1 == b.1) {
            let cells: Vec<(u16, &Cell)> = row.iter().map(|&(x, _, cell)| (x, cell)).collect();
            self.draw_row(row[0].1, &cells);
        }
    }

    /// Prints a row's changed cells, after shifting the row where that is shorter.
    fn draw_row(&mut self, y: u16, changes: &[(u16, &Cell)]) {
        if changes.is_empty() {
            return;
        }
        self.begin();
        match self.shift_left(y, changes) {
            Some(cells) => cells.iter().for_each(|(x, cell)| self.put(*x, y, cell)),
            None => changes.iter().for_each(|&(x, cell)| self.put(x, y, cell)),
        }
    }

    fn put(&mut self, x: u16, y: u16, cell: &Cell) {
        self.move_to(Position::new(x, y));
        self.set_pen(self.pen_of(cell));
        let symbol = cell.symbol();
        self.frame.extend_from_slice(symbol.as_bytes());
        // Wide or zero-width symbols: terminals disagree on where the cursor lands.
        self.cursor = narrow(symbol).then(|| Position::new(x + 1, y));
        if self.shown.area.contains(Position::new(x, y)) {
            self.shown[(x, y)] = cell.clone();
        }
    }

    fn begin(&mut self) {
        if self.sync && self.sync_at.is_none() {
            self.sync_at = Some(self.frame.len());
            self.frame.extend_from_slice(BEGIN_SYNC);
        }
    }

    fn forget_screen(&mut self) {
        let area = self
            .size()
            .map(|s| Rect::new(0, 0, s.width, s.height))
            .unwrap_or(Rect::ZERO);
        self.shown = Buffer::empty(area);
    }
}

/// Columns a symbol takes (unicode-width, as ratatui counts them).
fn width(symbol: &str) -> usize {
    Span::raw(symbol).width()
}

/// One character in one column: where terminals agree on where the cursor lands after it, and
/// on what deleting or inserting a character moves.
fn narrow(symbol: &str) -> bool {
    symbol.chars().count() == 1 && width(symbol) == 1
}

/// The SGR parameter of a colour: the short 16-colour codes where there is one.
fn color_code(color: Color, background: bool) -> Option<String> {
    let base = |n: u8| Some((n + if background { 10 } else { 0 }).to_string());
    let ext = if background { 48 } else { 38 };
    match color {
        Color::Reset => None,
        Color::Black => base(30),
        Color::Red => base(31),
        Color::Green => base(32),
        Color::Yellow => base(33),
        Color::Blue => base(34),
        Color::Magenta => base(35),
        Color::Cyan => base(36),
        Color::Gray => base(37),
        Color::DarkGray => base(90),
        Color::LightRed => base(91),
        Color::LightGreen => base(92),
        Color::LightYellow => base(93),
        Color::LightBlue => base(94),
        Color::LightMagenta => base(95),
        Color::LightCyan => base(96),
        Color::White => base(97),
        Color::Indexed(i) => Some(format!("{ext};5;{i}")),
        Color::Rgb(r, g, b) => Some(format!("{ext};2;{r};{g};{b}")),
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let changes: Vec<(u16, u16, &Cell)> = content.collect();
        match self.scroll(&changes) {
            // What the scrolled screen still lacks, as ratatui would list it.
            Some(frame) => {
                let rest = self.shown.diff(&frame);
                self.draw_rows(&rest);
            }
            None => self.draw_rows(&changes),
        }
        // No reset at the end of a frame: a clear starts with one, and so does the terminal's restore.
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden != Some(true) {
            self.frame.extend_from_slice(b"\x1b[?25l");
            self.cursor_hidden = Some(true);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden != Some(false) {
            self.frame.extend_from_slice(b"\x1b[?25h");
            self.cursor_hidden = Some(false);
        }
        Ok(())
    }

    /// Where the cursor is, or the origin when unknown (ratatui's `clear` then moves it there).
    /// The terminal is never asked: its answer would come back as input, to the thread that
    /// reads events and holds crossterm's reader, and the loop would wait for the next key.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor.unwrap_or_default())
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.move_to(position.into());
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.set_pen(PLAIN);
        if clear_type == ClearType::All {
            // Ctrl-L, or the screen taken back after a stop: the size may have changed unseen,
            // and after a stop the shell has moved the cursor.
            self.size.forget();
            self.cursor = None;
        }
        self.frame.extend_from_slice(match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        });
        // What is left on screen is no longer known cell by cell.
        self.forget_screen();
        if clear_type != ClearType::All {
            self.shown = Buffer::empty(Rect::ZERO);
        }
        self.flush()
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed_size {
            Some(s) => Ok(s),
            None => self.size.get(),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let columns_rows = self.size()?;
        let pixels = crossterm::terminal::window_size()
            .map(|w| Size::new(w.width, w.height))
            .unwrap_or_default();
        Ok(WindowSize {
            columns_rows,
            pixels,
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(at) = self.sync_at.take() {
            if self.frame.len() - at - BEGIN_SYNC.len() < SYNC_ABOVE {
                self.frame.drain(at..at + BEGIN_SYNC.len());
            } else {
                self.frame.extend_from_slice(END_SYNC);
            }
        }
        if !self.frame.is_empty() {
            self.out.write_all(&self.frame)?;
            self.frame.clear();
        }
        self.out.flush()
    }
}

mod moves;
mod scroll;
mod shift;
#[cfg(test)]
mod tests;
