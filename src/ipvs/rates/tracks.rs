//! The tracked services, or real servers, of a `RateTracker`, kept in the order the last poll
//! listed them. The kernel lists a table in the same order poll after poll, so a poll walks
//! them front to back; looking each up by key instead was a random access into megabytes at
//! 60,000 objects, a cache miss each and most of what a poll cost the tracker.

use foldhash::fast::FixedState;
use hashbrown::HashTable;
use std::hash::{BuildHasher, Hash};

/// Each object's place in `items`, found by hashing its key there: four bytes an object
/// instead of a second copy of the key.
type Index = HashTable<u32>;

#[derive(Debug, Clone)]
pub(super) struct Tracks<K, V> {
    /// In the last poll's order. Boxed: a changed order moves every entry into a new list
    /// while the old one is still held, and this keeps that copy to a key and a pointer each.
    items: Vec<(K, Box<V>)>,
    index: Index,
    hasher: FixedState,
}

impl<K: Copy + Eq + Hash, V> Tracks<K, V> {
    pub(super) fn new() -> Tracks<K, V> {
        Tracks {
            items: Vec::new(),
            index: Index::new(),
            hasher: FixedState::default(),
        }
    }

    pub(super) fn get(&self, key: &K) -> Option<&V> {
        let i = self.index.find(self.hasher.hash_one(key), |&i| {
            self.items[i as usize].0 == *key
        })?;
        Some(&self.items[*i as usize].1)
    }

    pub(super) fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, t)| &**t)
    }

    /// One poll of `len` objects: `observe` each in its order, then `finish`, which forgets
    /// the objects the poll did not have.
    pub(super) fn poll(&mut self, len: usize) -> Poll<'_, K, V> {
        Poll {
            tracks: self,
            len,
            matched: 0,
            reordered: None,
        }
    }
}

/// Files `items`' last entry in `index`.
fn index_last<K: Hash>(index: &mut Index, items: &[(K, Box<impl Sized>)], hasher: &FixedState) {
    let last = items.len() - 1;
    index.insert_unique(hasher.hash_one(&items[last].0), last as u32, |&i| {
        hasher.hash_one(&items[i as usize].0)
    });
}

pub(super) struct Poll<'a, K, V> {
    tracks: &'a mut Tracks<K, V>,
    /// How many objects the poll has: room made at once when the order changes.
    len: usize,
    /// While the poll's order is the last one's: how many of `items` it has observed in place.
    matched: usize,
    /// Once it is not: the poll's objects so far, in its order.
    reordered: Option<Reordered<K, V>>,
}

struct Reordered<K, V> {
    /// The last poll's objects by their old place, each taken once this poll has it.
    old: Vec<Option<(K, Box<V>)>>,
    items: Vec<(K, Box<V>)>,
    index: Index,
}

impl<K: Copy + Eq + Hash, V> Poll<'_, K, V> {
    /// `update` for an object tracked before, `start` for a new one (None: not tracked yet). An
    /// object listed twice in one poll is observed once. Returns what `update` returned; None for
    /// a new object or one already observed.
    pub(super) fn observe<R>(
        &mut self,
        key: K,
        update: impl FnOnce(&mut V) -> R,
        start: impl FnOnce() -> Option<V>,
    ) -> Option<R> {
        let Poll {
            tracks,
            len,
            matched,
            reordered,
        } = self;
        if reordered.is_none() {
            if let Some((k, t)) = tracks.items.get_mut(*matched)
                && *k == key
            {
                *matched += 1;
                return Some(update(t));
            }
            // The order changed here: what matched stays in front, the rest is found by key.
            let mut old: Vec<_> = tracks.items.drain(..).map(Some).collect();
            let mut items = Vec::with_capacity(*len);
            let mut index = Index::with_capacity(*len);
            for kept in &mut old[..*matched] {
                items.push(kept.take().expect("each old place is taken once"));
                index_last(&mut index, &items, &tracks.hasher);
            }
            *reordered = Some(Reordered { old, items, index });
        }
        let r = reordered.as_mut().expect("set above");
        let hash = tracks.hasher.hash_one(key);
        if r.index
            .find(hash, |&i| r.items[i as usize].0 == key)
            .is_some()
        {
            return None;
        }
        let found = tracks
            .index
            .find(hash, |&i| {
                r.old[i as usize].as_ref().is_some_and(|(k, _)| *k == key)
            })
            .and_then(|&i| r.old[i as usize].take());
        let (value, result) = match found {
            Some((_, mut v)) => {
                let result = update(&mut v);
                (v, Some(result))
            }
            None => match start() {
                Some(v) => (Box::new(v), None),
                None => return None,
            },
        };
        r.items.push((key, value));
        index_last(&mut r.index, &r.items, &tracks.hasher);
        result
    }

    /// Forgets the objects this poll did not have.
    pub(super) fn finish(self) {
        let Poll {
            tracks,
            matched,
            reordered,
            ..
        } = self;
        match reordered {
            Some(r) => {
                tracks.items = r.items;
                tracks.index = r.index;
            }
            None => {
                let Tracks {
                    items,
                    index,
                    hasher,
                } = tracks;
                for (i, (k, _)) in items.iter().enumerate().skip(matched) {
                    if let Ok(entry) = index.find_entry(hasher.hash_one(k), |&p| p as usize == i) {
                        entry.remove();
                    }
                }
                items.truncate(matched);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls `keys` in order, each value counting its observations; returns the new keys.
    fn poll(tracks: &mut Tracks<u32, u32>, keys: &[u32]) -> Vec<u32> {
        let mut new = Vec::new();
        let mut p = tracks.poll(keys.len());
        for &k in keys {
            p.observe(
                k,
                |n| *n += 1,
                || {
                    new.push(k);
                    Some(0)
                },
            );
        }
        p.finish();
        new
    }

    fn counts(tracks: &Tracks<u32, u32>, keys: &[u32]) -> Vec<Option<u32>> {
        keys.iter().map(|k| tracks.get(k).copied()).collect()
    }

    #[test]
    fn the_same_order_keeps_every_object_and_a_new_one_starts() {
        let mut t = Tracks::new();
        assert_eq!(poll(&mut t, &[1, 2, 3]), [1, 2, 3]);
        assert_eq!(poll(&mut t, &[1, 2, 3]), [] as [u32; 0]);
        assert_eq!(poll(&mut t, &[1, 2, 3, 4]), [4]);
        assert_eq!(
            counts(&t, &[1, 2, 3, 4]),
            [Some(2), Some(2), Some(2), Some(0)]
        );
    }

    #[test]
    fn objects_a_poll_lacks_are_forgotten_at_the_end_and_in_the_middle() {
        let mut t = Tracks::new();
        poll(&mut t, &[1, 2, 3, 4]);
        poll(&mut t, &[1, 2]);
        assert_eq!(counts(&t, &[3, 4]), [None, None]);
        assert_eq!(poll(&mut t, &[1, 3, 2]), [3]);
        assert_eq!(counts(&t, &[1, 2, 3]), [Some(2), Some(2), Some(0)]);
        poll(&mut t, &[2, 1]);
        assert_eq!(counts(&t, &[1, 2, 3]), [Some(3), Some(3), None]);
        assert_eq!(t.values().count(), 2);
    }

    #[test]
    fn a_new_object_not_started_is_not_tracked_and_the_next_poll_starts_it() {
        let mut t = Tracks::new();
        poll(&mut t, &[1, 2]);
        let mut p = t.poll(3);
        for k in [1, 3, 2] {
            p.observe(k, |n| *n += 1, || None);
        }
        p.finish();
        assert_eq!(counts(&t, &[1, 2, 3]), [Some(1), Some(1), None]);
        assert_eq!(poll(&mut t, &[1, 3, 2]), [3]);
    }

    #[test]
    fn an_object_listed_twice_is_observed_once() {
        let mut t = Tracks::new();
        poll(&mut t, &[1, 2]);
        assert_eq!(poll(&mut t, &[1, 2, 1, 2, 5, 5]), [5]);
        assert_eq!(counts(&t, &[1, 2, 5]), [Some(1), Some(1), Some(0)]);
        assert_eq!(t.values().count(), 3);
        // Kept in the order found: the next poll in that order finds them all in place.
        assert_eq!(poll(&mut t, &[1, 2, 5]), [] as [u32; 0]);
        assert_eq!(counts(&t, &[1, 2, 5]), [Some(2), Some(2), Some(1)]);
    }

    #[test]
    fn any_order_of_any_keys_tracks_exactly_the_last_polls_keys() {
        // Against a plain map: the same counts after polls in shuffled orders with repeats.
        let mut t = Tracks::new();
        let mut model: std::collections::HashMap<u32, u32> = Default::default();
        let mut seed = 7u64;
        for _ in 0..200 {
            let keys: Vec<u32> = (0..(seed % 12))
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 33) % 9) as u32
                })
                .collect();
            poll(&mut t, &keys);
            let mut next = std::collections::HashMap::new();
            for k in &keys {
                if !next.contains_key(k) {
                    next.insert(*k, model.get(k).map_or(0, |n| n + 1));
                }
            }
            model = next;
            for k in 0..9 {
                assert_eq!(
                    t.get(&k).copied(),
                    model.get(&k).copied(),
                    "key {k} after {keys:?}"
                );
            }
            assert_eq!(t.values().count(), model.len());
        }
    }
}
