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

/// The latest samples, oldest first, never more than the capacity.
#[derive(Debug, Clone)]
pub struct History {
    samples: VecDeque<Sample>,
    capacity: usize,
    /// Samples pushed since the history began, dropped ones included: groups of samples
    /// counted from the start stay the same groups as the ring turns.
    pushed: u64,
}

impl History {
    pub fn new(capacity: usize) -> History {
        // Not preallocated: thousands of real servers each with a full ring would be megabytes.
        History {
            samples: VecDeque::new(),
            capacity,
            pushed: 0,
        }
    }

    pub fn push(&mut self, sample: Sample) {
        if self.samples.len() == self.capacity {
            self.samples.pop_front();
        }
        self.samples.push_back(sample);
        self.pushed += 1;
    }

    /// Samples ever pushed; the oldest kept one is number `pushed() - len()` (from 0).
    pub fn pushed(&self) -> u64 {
        self.pushed
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Sample> + ExactSizeIterator {
        self.samples.iter()
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn latest(&self) -> Option<&Sample> {
        self.samples.back()
    }
}
