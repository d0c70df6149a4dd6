//! Connections per client in bounded memory: exact while the distinct clients fit, then the
//! Misra-Gries summary (a client's count is then at most `error_bound` too low, and any client
//! with more than lines/(capacity+1) connections is still listed).

use foldhash::fast::FixedState;
use std::collections::HashMap;
use std::net::IpAddr;

#[derive(Debug, Clone)]
pub struct TopClients {
    counts: HashMap<IpAddr, u64, FixedState>,
    capacity: usize,
    /// How many times every count was lowered by one to make room: the most any count is short.
    error_bound: u64,
}

impl TopClients {
    pub fn new(capacity: usize) -> TopClients {
        TopClients { counts: HashMap::with_hasher(FixedState::default()), capacity: capacity.max(1), error_bound: 0 }
    }

    pub fn add(&mut self, client: IpAddr) {
        if let Some(c) = self.counts.get_mut(&client) {
            *c += 1;
        } else if self.counts.len() < self.capacity {
            self.counts.insert(client, 1);
        } else {
            // Full: this line and one of every counted client cancel out. Each round removes
            // capacity+1 lines' worth, so rounds cost O(1) per line overall.
            self.error_bound += 1;
            self.counts.retain(|_, c| {
                *c -= 1;
                *c > 0
            });
        }
    }

    /// The counts are exact (no client was ever dropped to make room).
    pub fn exact(&self) -> bool {
        self.error_bound == 0
    }

    pub fn error_bound(&self) -> u64 {
        self.error_bound
    }

    /// Clients by count, highest first (ties by address).
    pub fn top(&self, n: usize) -> Vec<(IpAddr, u64)> {
        let mut v: Vec<(IpAddr, u64)> = self.counts.iter().map(|(a, c)| (*a, *c)).collect();
        v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(i: u32) -> IpAddr {
        IpAddr::V4(i.into())
    }

    #[test]
    fn exact_while_it_fits() {
        let mut t = TopClients::new(10);
        for i in 0..100u32 {
            t.add(ip(i % 5));
        }
        assert!(t.exact());
        assert_eq!(t.top(2), vec![(ip(0), 20), (ip(1), 20)]);
    }

    #[test]
    fn heavy_hitters_survive_a_flood_within_the_bound() {
        let mut t = TopClients::new(50);
        let mut lines = 0;
        for i in 0..10_000u32 {
            t.add(ip(1_000_000 + i)); // one line each
            lines += 1;
            if i % 4 == 0 {
                t.add(ip(1)); // 2,500 lines
                lines += 1;
            }
        }
        assert!(!t.exact());
        let (top, count) = t.top(1)[0];
        assert_eq!(top, ip(1));
        assert!(count <= 2500 && count + t.error_bound() >= 2500, "count {count}, bound {}", t.error_bound());
        assert!(t.error_bound() <= lines / 51);
        assert!(t.len() <= 50);
    }
}
