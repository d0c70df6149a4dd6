//! Connections per client in bounded memory: exact while the distinct clients fit, then the
//! Misra-Gries summary (a client's count is then at most `error_bound` too low, and any client
//! with more than lines/(capacity+1) connections is still listed).

use foldhash::fast::FixedState;
use std::collections::HashMap;
use std::net::IpAddr;

#[derive(Debug, Clone)]
pub struct TopClients {
    // IPv4 clients apart, in 8-byte entries: a table of 100,000 stays in cache.
    v4: HashMap<u32, u32, FixedState>,
    v6: HashMap<u128, u32, FixedState>,
    capacity: usize,
    /// How many times every count was lowered by one to make room: the most any count is short.
    error_bound: u64,
}

impl TopClients {
    pub fn new(capacity: usize) -> TopClients {
        TopClients {
            v4: HashMap::with_hasher(FixedState::default()),
            v6: HashMap::with_hasher(FixedState::default()),
            capacity,
            error_bound: 0,
        }
    }

    /// Counts already made elsewhere (a remote director's), with the most any is short.
    pub fn from_counts(capacity: usize, counts: &[(IpAddr, u64)], error_bound: u64) -> TopClients {
        let mut t = TopClients::new(capacity);
        for (client, count) in counts {
            let count = u32::try_from(*count).unwrap_or(u32::MAX);
            match client {
                IpAddr::V4(a) => t.v4.insert(u32::from(*a), count),
                IpAddr::V6(a) => t.v6.insert(u128::from(*a), count),
            };
        }
        t.error_bound = error_bound;
        t
    }

    /// Counts one line of `client` (nothing when made with capacity 0: clients not wanted).
    pub fn add(&mut self, client: IpAddr) {
        if self.capacity == 0 {
            return;
        }
        let room = self.v4.len() + self.v6.len() < self.capacity;
        let counted = match client {
            IpAddr::V4(a) => bump(&mut self.v4, u32::from(a), room),
            IpAddr::V6(a) => bump(&mut self.v6, u128::from(a), room),
        };
        if !counted {
            // Full: this line and one of every counted client cancel out. Each round removes
            // capacity+1 lines' worth, so rounds cost O(1) per line overall.
            self.error_bound += 1;
            self.v4.retain(|_, c| lower(c));
            self.v6.retain(|_, c| lower(c));
        }
    }

    /// The counts are exact (no client was ever dropped to make room, and clients were counted).
    pub fn exact(&self) -> bool {
        self.error_bound == 0 && self.capacity > 0
    }

    /// Distinct clients counted exactly before counts become approximate.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn error_bound(&self) -> u64 {
        self.error_bound
    }

    /// Clients by count, highest first (ties by address).
    pub fn top(&self, n: usize) -> Vec<(IpAddr, u64)> {
        let v4 = self
            .v4
            .iter()
            .map(|(a, c)| (IpAddr::V4((*a).into()), u64::from(*c)));
        let v6 = self
            .v6
            .iter()
            .map(|(a, c)| (IpAddr::V6((*a).into()), u64::from(*c)));
        let mut v: Vec<(IpAddr, u64)> = v4.chain(v6).collect();
        v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }

    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One less; false when it reaches 0 (the client is dropped).
fn lower(c: &mut u32) -> bool {
    *c -= 1;
    *c > 0
}

/// Counts one more for `key` if it is counted or there is room; false if neither.
fn bump<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, u32, FixedState>,
    key: K,
    room: bool,
) -> bool {
    if let Some(c) = map.get_mut(&key) {
        *c = c.saturating_add(1);
        true
    } else if room {
        map.insert(key, 1);
        true
    } else {
        false
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
        assert!(
            count <= 2500 && count + t.error_bound() >= 2500,
            "count {count}, bound {}",
            t.error_bound()
        );
        assert!(t.error_bound() <= lines / 51);
        assert!(t.len() <= 50);
    }
}
