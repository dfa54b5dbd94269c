//! The event ids a reduction has seen, as 64-bit xxh3 hashes: a sorted base (from the cache)
//! plus the ids added since. A hash match may be a collision; the caller then reduces the whole
//! log, so a false match costs time, never correctness.

use std::collections::HashSet;

use xxhash_rust::xxh3::xxh3_64;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct IdSet {
    /// Sorted, without repeats.
    sorted: Vec<u64>,
    recent: HashSet<u64>,
}

impl IdSet {
    pub(super) fn of<'a>(ids: impl Iterator<Item = &'a str>) -> IdSet {
        let mut sorted: Vec<u64> = ids.map(hash).collect();
        sorted.sort_unstable();
        sorted.dedup();
        IdSet {
            sorted,
            recent: HashSet::new(),
        }
    }

    /// Adds `id`; `false` when its hash was already there.
    pub(super) fn insert(&mut self, id: &str) -> bool {
        let h = hash(id);
        self.sorted.binary_search(&h).is_err() && self.recent.insert(h)
    }

    /// Every hash, sorted.
    pub(super) fn sorted(&self) -> Vec<u64> {
        let mut all = self.sorted.clone();
        all.extend(self.recent.iter().copied());
        all.sort_unstable();
        all
    }

    /// A set from hashes already sorted and unique (what [`IdSet::sorted`] gave).
    pub(super) fn from_sorted(sorted: Vec<u64>) -> Option<IdSet> {
        sorted.windows(2).all(|w| w[0] < w[1]).then(|| IdSet {
            sorted,
            recent: HashSet::new(),
        })
    }
}

fn hash(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}
