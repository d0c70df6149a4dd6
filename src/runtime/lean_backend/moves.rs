//! Where LeanBackend puts the cursor between changed cells: the shortest of an absolute move, a
//! line feed and a step along the row, or the unchanged cells printed again.

use super::{LeanBackend, width};
use ratatui::buffer::Cell;
use ratatui::layout::Position;
use std::io::Write;

/// Up to this many unchanged cells between two changes are printed again rather than skipped
/// with `ESC[nC` (which takes 3 to 5 bytes).
const REPRINT_GAP: u16 = 3;

impl<W: Write> LeanBackend<W> {
    pub(super) fn move_to(&mut self, to: Position) {
        if self.cursor == Some(to) {
            return;
        }
        // A cursor past the last column waits to wrap: only an absolute move is certain there.
        let known = self.cursor.filter(|at| at.x < self.shown.area.width);
        if let Some(at) = known
            && (to.y == at.y || to.y == at.y + 1)
        {
            let start = self.frame.len();
            if to.y > at.y {
                // A line feed: down one row in the same column. Raw mode leaves it untranslated
                // (no OPOST), `terminal::enter` turns newline mode off, and the row below the
                // cursor's exists, so it never scrolls.
                self.frame.push(b'\n');
            }
            self.move_along(Position::new(at.x, to.y), to.x);
            let absolute = 4 + digits(to.y + 1) + digits(to.x + 1);
            if self.frame.len() - start <= absolute {
                self.cursor = Some(to);
                return;
            }
            self.frame.truncate(start);
        }
        let _ = write!(self.frame, "\x1b[{};{}H", to.y + 1, to.x + 1);
        self.cursor = Some(to);
    }

    /// From `at` to column `x` of the same row: the cells between printed again when that is
    /// shorter, else a relative move.
    fn move_along(&mut self, at: Position, x: u16) {
        if x > at.x {
            let gap = x - at.x;
            if gap <= REPRINT_GAP && self.reprint(at, gap) {
                return;
            }
            if gap == 1 {
                self.frame.extend_from_slice(b"\x1b[C");
            } else {
                let _ = write!(self.frame, "\x1b[{gap}C");
            }
        } else if x + 1 == at.x {
            self.frame.extend_from_slice(b"\x1b[D");
        } else if x < at.x {
            let _ = write!(self.frame, "\x1b[{}D", at.x - x);
        }
    }

    /// Prints the `gap` cells the terminal already shows from `at`, if that is possible in the
    /// current pen; returns whether it did.
    fn reprint(&mut self, at: Position, gap: u16) -> bool {
        let area = self.shown.area;
        let cells: Option<Vec<&Cell>> = (at.x..at.x + gap)
            .map(|x| {
                area.contains(Position::new(x, at.y))
                    .then(|| &self.shown[(x, at.y)])
            })
            .collect();
        let Some(cells) = cells else { return false };
        if cells.iter().any(|c| {
            Some(self.pen_of(c)) != self.pen || c.symbol().len() != 1 || width(c.symbol()) != 1
        }) {
            return false;
        }
        let bytes: Vec<u8> = cells.iter().map(|c| c.symbol().as_bytes()[0]).collect();
        self.frame.extend_from_slice(&bytes);
        self.cursor = Some(Position::new(at.x + gap, at.y));
        true
    }
}

/// How many decimal digits `n` takes.
fn digits(n: u16) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}
