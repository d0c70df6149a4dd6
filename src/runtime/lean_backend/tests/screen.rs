//! A terminal to replay what LeanBackend writes on, checked against what ratatui drew.

use super::super::{PLAIN, Pen};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

/// Just enough of a VT100 for what LeanBackend writes: CUP, CUU, CUD, CUF, CUB, LF, BS, CR, DCH,
/// ICH, DL, IL, SGR, ED, text.
pub struct Screen {
    cells: Vec<Vec<(String, Pen)>>,
    at: (usize, usize),
    pen: Pen,
}

impl Screen {
    pub fn new(w: usize, h: usize) -> Screen {
        Screen {
            cells: vec![vec![(" ".into(), PLAIN); w]; h],
            at: (0, 0),
            pen: PLAIN,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        let text = std::str::from_utf8(bytes).expect("utf-8 output");
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\n' {
                // Newline mode off: down one row, same column; never at the bottom row.
                assert!(self.at.1 + 1 < self.cells.len(), "a line feed would scroll");
                self.at.1 += 1;
                continue;
            }
            if c == '\x08' {
                self.at.0 = self.at.0.saturating_sub(1);
                continue;
            }
            if c == '\r' {
                self.at.0 = 0;
                continue;
            }
            if c != '\x1b' {
                let (x, y) = self.at;
                self.cells[y][x] = (c.to_string(), self.pen);
                self.at.0 += 1;
                continue;
            }
            assert_eq!(chars.next(), Some('['), "only CSI sequences");
            let mut params = String::new();
            let fin = loop {
                let c = chars.next().expect("a complete sequence");
                if c.is_ascii_digit() || c == ';' || c == '?' {
                    params.push(c)
                } else {
                    break c;
                }
            };
            let nums: Vec<usize> = params
                .trim_start_matches('?')
                .split(';')
                .filter(|p| !p.is_empty())
                .map(|p| p.parse().unwrap())
                .collect();
            match fin {
                'H' => self.at = (nums.get(1).map_or(0, |x| x - 1), nums[0] - 1),
                'P' => {
                    assert!(nums.is_empty(), "one character deleted");
                    let blank = (" ".to_string(), self.pen);
                    let row = &mut self.cells[self.at.1];
                    row.remove(self.at.0);
                    row.push(blank);
                }
                '@' => {
                    assert!(nums.is_empty(), "one character inserted");
                    let blank = (" ".to_string(), self.pen);
                    let row = &mut self.cells[self.at.1];
                    row.insert(self.at.0, blank);
                    row.pop();
                }
                'A' => self.at.1 -= nums.first().copied().unwrap_or(1),
                'B' => self.at.1 += nums.first().copied().unwrap_or(1),
                'C' => self.at.0 += nums.first().copied().unwrap_or(1),
                'D' => self.at.0 -= nums.first().copied().unwrap_or(1),
                'J' => {
                    assert_eq!(nums, [2]);
                    for row in &mut self.cells {
                        row.fill((" ".into(), self.pen))
                    }
                }
                'L' | 'M' => {
                    // Lines come in with the pen's background: LeanBackend resets it first.
                    assert_eq!(self.pen, PLAIN, "lines inserted or deleted with a pen set");
                    let n = nums.first().copied().unwrap_or(1);
                    let blank = vec![(" ".to_string(), PLAIN); self.cells[0].len()];
                    let y = self.at.1;
                    for _ in 0..n {
                        if fin == 'L' {
                            self.cells.insert(y, blank.clone());
                            self.cells.pop();
                        } else {
                            self.cells.remove(y);
                            self.cells.push(blank.clone());
                        }
                    }
                    self.at.0 = 0;
                }
                'm' => self.sgr(&nums),
                'h' | 'l' => assert!(params.starts_with('?')),
                other => panic!("unexpected CSI {params}{other}"),
            }
        }
    }

    fn sgr(&mut self, nums: &[usize]) {
        if nums.is_empty() {
            self.pen = PLAIN;
        }
        let mut i = 0;
        while i < nums.len() {
            let n = nums[i];
            let named = |n: usize| {
                [
                    Color::Black,
                    Color::Red,
                    Color::Green,
                    Color::Yellow,
                    Color::Blue,
                    Color::Magenta,
                    Color::Cyan,
                    Color::Gray,
                ][n]
            };
            let bright = |n: usize| {
                [
                    Color::DarkGray,
                    Color::LightRed,
                    Color::LightGreen,
                    Color::LightYellow,
                    Color::LightBlue,
                    Color::LightMagenta,
                    Color::LightCyan,
                    Color::White,
                ][n]
            };
            match n {
                0 => self.pen = PLAIN,
                1 => self.pen.modifier |= Modifier::BOLD,
                4 => self.pen.modifier |= Modifier::UNDERLINED,
                7 => self.pen.modifier |= Modifier::REVERSED,
                30..=37 => self.pen.fg = named(n - 30),
                40..=47 => self.pen.bg = named(n - 40),
                90..=97 => self.pen.fg = bright(n - 90),
                100..=107 => self.pen.bg = bright(n - 100),
                38 | 48 => {
                    assert_eq!(nums[i + 1], 5);
                    let c = Color::Indexed(nums[i + 2] as u8);
                    if n == 38 {
                        self.pen.fg = c
                    } else {
                        self.pen.bg = c
                    }
                    i += 2;
                }
                other => panic!("unexpected SGR {other}"),
            }
            i += 1;
        }
    }

    /// Panics unless every cell shows what ratatui drew in frame `n`.
    pub fn assert_shows(&self, drawn: &Buffer, n: u64) {
        for (y, row) in self.cells.iter().enumerate() {
            for (x, got) in row.iter().enumerate() {
                let want = &drawn[(x as u16, y as u16)];
                assert_eq!(
                    (got.0.as_str(), got.1),
                    (want.symbol(), Pen::of(want)),
                    "frame {n}, cell {x},{y}"
                );
            }
        }
    }
}
