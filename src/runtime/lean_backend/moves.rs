//! Where LeanBackend puts the cursor between changed cells: the shortest of an absolute move and
//! the relative ones (line feeds or steps up and down, then backspaces, a carriage return, steps
//! along the row, or the unchanged cells printed again).

use super::{LeanBackend, narrow};
use ratatui::layout::Position;
use std::cmp::Ordering;
use std::io::Write;

/// Up to this many unchanged cells between two changes are printed again rather than skipped
/// with `ESC[nC` (which takes 3 to 5 bytes).
const REPRINT_GAP: u16 = 3;

/// From the cursor's row to the target's.
#[derive(Debug, Clone, Copy)]
enum Rows {
    Stay,
    Down(u16),
    Up(u16),
}

/// From the cursor's column to the target's, on the target's row.
#[derive(Debug, Clone, Copy)]
enum Columns {
    Stay,
    /// Print the cells the terminal already shows there.
    Reprint(u16),
    Right(u16),
    Left(u16),
    /// A carriage return, then right to the column.
    FromStart(u16),
}

impl Rows {
    fn len(self) -> usize {
        match self {
            Rows::Stay => 0,
            Rows::Down(n) => usize::from(n).min(csi_len(n)),
            Rows::Up(n) => csi_len(n),
        }
    }

    fn write(self, out: &mut Vec<u8>) {
        match self {
            Rows::Stay => {}
            // Line feeds: down one row each in the same column. Raw mode leaves them
            // untranslated (no OPOST), `terminal::enter` turns newline mode off, and the
            // target row exists, so they never scroll.
            Rows::Down(n) if usize::from(n) < csi_len(n) => {
                out.extend(std::iter::repeat_n(b'\n', n.into()))
            }
            Rows::Down(n) => csi(out, n, b'B'),
            Rows::Up(n) => csi(out, n, b'A'),
        }
    }
}

impl Columns {
    fn len(self) -> usize {
        match self {
            Columns::Stay => 0,
            Columns::Reprint(n) => n.into(),
            Columns::Right(n) => csi_len(n),
            Columns::Left(n) => usize::from(n).min(csi_len(n)),
            Columns::FromStart(0) => 1,
            Columns::FromStart(x) => 1 + csi_len(x),
        }
    }
}

impl<W: Write> LeanBackend<W> {
    pub(super) fn move_to(&mut self, to: Position) {
        if self.cursor == Some(to) {
            return;
        }
        let absolute = if to.x == 0 {
            3 + digits(to.y + 1)
        } else {
            4 + digits(to.y + 1) + digits(to.x + 1)
        };
        // A cursor past the last column waits to wrap: only an absolute move is certain there.
        let relative = self
            .cursor
            .filter(|at| at.x < self.shown.area.width)
            .map(|at| {
                let rows = match to.y.cmp(&at.y) {
                    Ordering::Equal => Rows::Stay,
                    Ordering::Greater => Rows::Down(to.y - at.y),
                    Ordering::Less => Rows::Up(at.y - to.y),
                };
                let from = Position::new(at.x, to.y);
                (rows, from, self.columns(from, to.x))
            })
            .filter(|(rows, _, columns)| rows.len() + columns.len() <= absolute);
        match relative {
            Some((rows, from, columns)) => {
                rows.write(&mut self.frame);
                self.write_columns(from, columns);
            }
            None if to.x == 0 => {
                let _ = write!(self.frame, "\x1b[{}H", to.y + 1);
            }
            None => {
                let _ = write!(self.frame, "\x1b[{};{}H", to.y + 1, to.x + 1);
            }
        }
        self.cursor = Some(to);
    }

    /// The shortest way from `at` to column `x` of the same row.
    fn columns(&self, at: Position, x: u16) -> Columns {
        let along = match x.cmp(&at.x) {
            Ordering::Equal => return Columns::Stay,
            Ordering::Greater if x - at.x <= REPRINT_GAP && self.can_reprint(at, x) => {
                Columns::Reprint(x - at.x)
            }
            Ordering::Greater => Columns::Right(x - at.x),
            Ordering::Less => Columns::Left(at.x - x),
        };
        let from_start = Columns::FromStart(x);
        if from_start.len() < along.len() {
            from_start
        } else {
            along
        }
    }

    fn write_columns(&mut self, at: Position, columns: Columns) {
        let out = &mut self.frame;
        match columns {
            Columns::Stay => {}
            Columns::Reprint(n) => {
                for x in at.x..at.x + n {
                    out.push(self.shown[(x, at.y)].symbol().as_bytes()[0]);
                }
            }
            Columns::Right(n) => csi(out, n, b'C'),
            // Backspaces: left one column each, erasing nothing.
            Columns::Left(n) if usize::from(n) < csi_len(n) => {
                out.extend(std::iter::repeat_n(b'\x08', n.into()))
            }
            Columns::Left(n) => csi(out, n, b'D'),
            Columns::FromStart(x) => {
                out.push(b'\r');
                if x > 0 {
                    csi(out, x, b'C');
                }
            }
        }
    }

    /// Whether the cells from `at` up to column `x` can be printed again as the terminal shows
    /// them: one byte each, in the current pen.
    fn can_reprint(&self, at: Position, x: u16) -> bool {
        (at.x..x).all(|cx| {
            let p = Position::new(cx, at.y);
            self.shown.area.contains(p) && {
                let c = &self.shown[p];
                Some(self.pen_of(c)) == self.pen && c.symbol().len() == 1 && narrow(c.symbol())
            }
        })
    }
}

/// `ESC[nX`: `ESC[X` for one.
fn csi(out: &mut Vec<u8>, n: u16, command: u8) {
    out.extend_from_slice(b"\x1b[");
    if n != 1 {
        let _ = write!(out, "{n}");
    }
    out.push(command);
}

fn csi_len(n: u16) -> usize {
    if n == 1 { 3 } else { 3 + digits(n) }
}

/// How many decimal digits `n` takes.
fn digits(n: u16) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}
