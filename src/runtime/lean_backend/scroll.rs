//! Rows that moved up or down together (a list scrolled by a line or a few) are scrolled on the
//! terminal, as curses does with delete- and insert-line, instead of printed again.
//!
//! Lines `top..=bottom` go up by n with `ESC[nM` (delete line) at `top`, which pulls everything
//! below up, then `ESC[nL` (insert line) at `bottom + 1 - n`, which pushes what follows back into
//! place; down by n, the same at `bottom + 1 - n` then at `top`. The lines that come in are
//! blank, printed as changes. No scroll region is set (the Linux console has no `ESC[S`, and a
//! region left behind by a console that died would outlive it).

use super::{LeanBackend, PLAIN};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Position;
use std::io::Write;

/// What a scroll costs beyond the cells it saves: a pen reset, two moves, two line operations,
/// and an absolute move after them.
const SCROLL_COST: usize = 24;
/// A cursor move to a run of changed cells, about.
const MOVE_COST: usize = 4;
/// Fewer rows with changes than this cannot pay for a scroll.
const MIN_ROWS: usize = 3;
/// Rows whose first changed cell `candidates` looks at.
const SAMPLE_ROWS: usize = 16;

/// Lines `top..=bottom` (screen rows) moved by `by` rows: up when positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scroll {
    top: usize,
    bottom: usize,
    by: isize,
}

impl<W: Write> LeanBackend<W> {
    /// Scrolls part of the screen when that saves printing more than it costs, given the
    /// frame's changed cells. Returns the whole new frame when it scrolled: what is shown now
    /// is the scrolled screen, and the caller prints where the two differ.
    pub(super) fn scroll(&mut self, changes: &[(u16, u16, &Cell)]) -> Option<Buffer> {
        // `shown` starts at the origin (see `forget_screen`): its rows are `content`'s slices.
        let area = self.shown.area;
        if !changes
            .iter()
            .all(|&(x, y, _)| area.contains(Position::new(x, y)))
        {
            return None;
        }
        let moves = candidates(&self.shown, changes);
        if moves.is_empty() {
            return None;
        }
        let mut new = self.shown.clone();
        for &(x, y, cell) in changes {
            new[(x, y)] = cell.clone();
        }
        let scroll = best(&self.shown, &new, &moves)?;
        self.begin();
        // Lines that come in take the pen's background on most terminals: none.
        self.set_pen(PLAIN);
        let k = scroll.by.unsigned_abs();
        let n = if k == 1 { String::new() } else { k.to_string() };
        // Screen rows, counted from 1.
        let (top, low) = (scroll.top + 1, scroll.bottom + 2 - k);
        let (delete_at, insert_at) = if scroll.by > 0 {
            (top, low)
        } else {
            (low, top)
        };
        let _ = write!(
            self.frame,
            "\x1b[{delete_at}H\x1b[{n}M\x1b[{insert_at}H\x1b[{n}L"
        );
        // Terminals disagree on the column a line operation leaves the cursor in.
        self.cursor = None;
        shift_rows(&mut self.shown, scroll);
        Some(new)
    }
}

/// The moves worth a closer look, found cheaply (most frames change a few numbers, and this
/// runs for each): those that take the first changed cell of most changed rows to where an
/// equal cell was. Each row of a scrolled list passes; a column of numbers rarely does.
fn candidates(old: &Buffer, changes: &[(u16, u16, &Cell)]) -> Vec<isize> {
    let firsts: Vec<(u16, u16, &Cell)> = changes
        .chunk_by(|a, b| a.1 == b.1)
        .map(|row| row[0])
        .take(SAMPLE_ROWS)
        .collect();
    if firsts.len() < MIN_ROWS {
        return Vec::new();
    }
    let h = old.area.height as isize;
    (1 - h..h)
        .filter(|&by| by != 0)
        .filter(|&by| {
            let hits = firsts.iter().filter(|&&(x, y, cell)| {
                let from = y as isize + by;
                (0..h).contains(&from) && old[(x, from as u16)] == *cell
            });
            2 * hits.count() > firsts.len()
        })
        .collect()
}

/// Of `moves`, the scroll that saves the most bytes over its cost, if any does.
fn best<'a>(old: &'a Buffer, new: &'a Buffer, moves: &[isize]) -> Option<Scroll> {
    let w = usize::from(old.area.width);
    let h = usize::from(old.area.height);
    let row = |b: &'a Buffer, y: usize| &b.content[y * w..(y + 1) * w];
    // What each row costs to print without a scroll, and on a blank line.
    let blank = vec![Cell::EMPTY; w];
    let plain: Vec<usize> = (0..h).map(|y| cost(row(old, y), row(new, y))).collect();
    let fresh: Vec<usize> = (0..h).map(|y| cost(&blank, row(new, y))).collect();
    let mut best: Option<(usize, Scroll)> = None;
    for &by in moves {
        // New row y shows old row y + by, for runs of rows.
        let shows = |y: usize| {
            let from = y as isize + by;
            (0..h as isize).contains(&from) && row(new, y) == row(old, from as usize)
        };
        let k = by.unsigned_abs();
        let mut y = 0;
        while y < h {
            if !shows(y) {
                y += 1;
                continue;
            }
            let start = y;
            while y < h && shows(y) {
                y += 1;
            }
            let saved: usize = plain[start..y].iter().sum();
            // The k lines that come in (below the run going up, above it going down) are blank.
            let blank = if by > 0 { y..y + k } else { start - k..start };
            let extra: usize = blank.map(|r| fresh[r].saturating_sub(plain[r])).sum();
            let gain = saved.saturating_sub(extra);
            if gain > best.map_or(SCROLL_COST, |(g, _)| g) {
                let (top, bottom) = if by > 0 {
                    (start, y + k - 1)
                } else {
                    (start - k, y - 1)
                };
                best = Some((gain, Scroll { top, bottom, by }));
            }
        }
    }
    best.map(|(_, scroll)| scroll)
}

/// About the bytes that make row `was` show `now`: each differing cell, and a cursor move to
/// each run of them.
fn cost(was: &[Cell], now: &[Cell]) -> usize {
    let differ = |x: usize| was[x] != now[x];
    let cells = (0..now.len()).filter(|&x| differ(x)).count();
    let runs = (0..now.len())
        .filter(|&x| differ(x) && (x == 0 || !differ(x - 1)))
        .count();
    cells + MOVE_COST * runs
}

/// What the terminal does to its lines in a scroll: the region's rows move, blank ones come in.
fn shift_rows(shown: &mut Buffer, s: Scroll) {
    let w = usize::from(shown.area.width);
    let lines = &mut shown.content[s.top * w..(s.bottom + 1) * w];
    let k = s.by.unsigned_abs() * w;
    if s.by > 0 {
        lines.rotate_left(k);
        let end = lines.len();
        lines[end - k..].fill(Cell::EMPTY);
    } else {
        lines.rotate_right(k);
        lines[..k].fill(Cell::EMPTY);
    }
}
