//! Short histories of rates for the sparklines: a ring of samples per object and source.

use super::Rate;
use std::collections::VecDeque;

/// One sparkline point. f32 keeps a full ring at 3.6 KB per object and source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub conns_per_s: f32,
    /// In + out.
    pub packets_per_s: f32,
    /// In + out.
    pub bytes_per_s: f32,
}

impl From<&Rate> for Sample {
    fn from(r: &Rate) -> Sample {
        Sample {
            conns_per_s: r.conns_per_s as f32,
            packets_per_s: r.packets_per_s() as f32,
            bytes_per_s: r.bytes_per_s() as f32,
        }
    }
}

/// The latest samples, oldest first, never more than the capacity. Repeated samples are kept
/// as one run: an idle object (most of a large table) holds one entry however long it is
/// watched, instead of a full ring (3.6 KB per object and source at 300 samples).
#[derive(Debug, Clone)]
pub struct History {
    /// Each sample and how many times in a row it came.
    runs: VecDeque<(Sample, u32)>,
    len: usize,
    capacity: usize,
    /// Samples pushed since the history began, dropped ones included: groups of samples
    /// counted from the start stay the same groups as the ring turns.
    pushed: u64,
}

impl History {
    pub fn new(capacity: usize) -> History {
        // Not preallocated: thousands of real servers each with a full ring would be megabytes.
        History {
            runs: VecDeque::new(),
            len: 0,
            capacity,
            pushed: 0,
        }
    }

    pub fn push(&mut self, sample: Sample) {
        if self.len == self.capacity
            && let Some(first) = self.runs.front_mut()
        {
            first.1 -= 1;
            if first.1 == 0 {
                self.runs.pop_front();
            }
            self.len -= 1;
        }
        match self.runs.back_mut() {
            Some((last, n)) if *last == sample && *n < u32::MAX => *n += 1,
            _ => {
                // One run is all an idle object needs: no room for four.
                if self.runs.capacity() == 0 {
                    self.runs.reserve_exact(1);
                }
                self.runs.push_back((sample, 1));
            }
        }
        self.len += 1;
        self.pushed += 1;
    }

    /// Samples ever pushed; the oldest kept one is number `pushed() - len()` (from 0).
    pub fn pushed(&self) -> u64 {
        self.pushed
    }

    pub fn iter(&self) -> impl Iterator<Item = &Sample> {
        self.runs
            .iter()
            .flat_map(|(s, n)| std::iter::repeat_n(s, *n as usize))
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn latest(&self) -> Option<&Sample> {
        self.runs.back().map(|(s, _)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(v: f32) -> Sample {
        Sample {
            conns_per_s: v,
            packets_per_s: 0.0,
            bytes_per_s: 0.0,
        }
    }

    #[test]
    fn runs_of_equal_samples_take_one_entry_and_the_ring_keeps_its_capacity() {
        let mut h = History::new(5);
        for v in [0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 0.0, 0.0] {
            h.push(sample(v));
        }
        let got: Vec<f32> = h.iter().map(|s| s.conns_per_s).collect();
        assert_eq!(got, [1.0, 1.0, 2.0, 0.0, 0.0]);
        assert_eq!((h.len(), h.pushed()), (5, 8));
        assert_eq!(h.latest(), Some(&sample(0.0)));
        let mut idle = History::new(300);
        for _ in 0..10_000 {
            idle.push(sample(0.0));
        }
        assert_eq!((idle.len(), idle.runs.len()), (300, 1));
    }
}
