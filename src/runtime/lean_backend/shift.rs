//! Rows whose cells moved one column left (a trend's bars as its time line advances) are shifted
//! on the terminal with delete- and insert-character, as curses does, instead of printed again.
//!
//! `ESC[P` at the first moved cell pulls the rest of the row left by one; `ESC[@` where the moved
//! part ends pushes what follows back into place and leaves one blank there to print.

use super::{LeanBackend, narrow};
use ratatui::buffer::Cell;
use ratatui::layout::Position;
use std::io::Write;

/// What a shift costs beyond the cells it saves: `ESC[P`, `ESC[@` and a step between them.
const SHIFT_COST: isize = 12;

impl<W: Write> LeanBackend<W> {
    /// Shifts part of row `y` one cell left when that saves printing more than it costs, given
    /// the row's changed cells (in column order). Returns the cells to print after the shift
    /// (which replace `changes`), or None when there was no shift.
    pub(super) fn shift_left(
        &mut self,
        y: u16,
        changes: &[(u16, &Cell)],
    ) -> Option<Vec<(u16, Cell)>> {
        let area = self.shown.area;
        let &(from, _) = changes.first()?;
        if changes.len() < 4 || !area.contains(Position::new(from, y)) {
            return None;
        }
        let end = area.right();
        let mut new: Vec<Cell> = (from..end).map(|x| self.shown[(x, y)].clone()).collect();
        for &(x, cell) in changes {
            new[usize::from(x - from)] = cell.clone();
        }
        // Wide symbols would make the terminal's columns and ours disagree.
        if !(from..end).all(|x| {
            narrow(self.shown[(x, y)].symbol()) && narrow(new[usize::from(x - from)].symbol())
        }) {
            return None;
        }
        // Bytes saved by shifting [from, to) left, for each `to`: cells the shift puts right
        // count for it, cells it puts wrong against it.
        let mut saved: isize = 0;
        let mut best: Option<(isize, u16)> = None;
        for x in from..end - 1 {
            let cell = &new[usize::from(x - from)];
            let len = cell.symbol().len() as isize;
            saved += match (*cell == self.shown[(x, y)], *cell == self.shown[(x + 1, y)]) {
                (false, true) => len,
                (true, false) => -len,
                _ => 0,
            };
            // The blank left at x + 1 is printed, which costs only if that cell had not changed.
            let last = &new[usize::from(x + 1 - from)];
            let gain = saved
                - if *last == self.shown[(x + 1, y)] {
                    last.symbol().len() as isize
                } else {
                    0
                };
            if gain > best.map_or(SHIFT_COST, |(g, _)| g) {
                best = Some((gain, x + 1));
            }
        }
        let (_, to) = best?;
        self.move_to(Position::new(from, y));
        self.frame.extend_from_slice(b"\x1b[P");
        for x in from..end - 1 {
            self.shown[(x, y)] = self.shown[(x + 1, y)].clone();
        }
        // The blank that came in at the end is pushed out again by `ESC[@`.
        self.move_to(Position::new(to, y));
        self.frame.extend_from_slice(b"\x1b[@");
        for x in (to + 1..end).rev() {
            self.shown[(x, y)] = self.shown[(x - 1, y)].clone();
        }
        self.shown[(to, y)] = Cell::new(" ");
        Some(
            (from..end)
                .zip(new)
                .filter(|(x, cell)| *x == to || *cell != self.shown[(*x, y)])
                .collect(),
        )
    }
}
