//! The event ids a reduction has seen, as 64-bit xxh3 hashes: a sorted base (from the cache)
//! plus the ids added since. A hash match may be a collision; the caller then reduces the whole
//! log, so a false match costs time, never correctness. (64 bits, not 32: a million ids hold
//! about a hundred 32-bit collisions among themselves, and each would send a cold read of a
//! large log down the whole-log path.)
//!
//! The base stays in the cache's byte layout (little-endian `u64`s, ascending) and is searched
//! in place: a read that appends a few rows probes it a few times and never converts it.

use std::collections::HashSet;

use xxhash_rust::xxh3::xxh3_64;

#[derive(Debug, Clone, Default)]
pub(super) struct IdSet {
    /// From `start` on: little-endian `u64`s, ascending, without repeats (the bytes before
    /// `start` are the rest of the cache buffer they were read with, kept to avoid a copy).
    bytes: Vec<u8>,
    start: usize,
    recent: HashSet<u64>,
}

impl IdSet {
    pub(super) fn of<'a>(ids: impl Iterator<Item = &'a str>) -> IdSet {
        let mut hashes: Vec<u64> = ids.map(hash).collect();
        hashes.sort_unstable();
        hashes.dedup();
        IdSet {
            bytes: hashes.iter().flat_map(|h| h.to_le_bytes()).collect(),
            start: 0,
            recent: HashSet::new(),
        }
    }

    /// Adds `id`; `false` when its hash was already there.
    pub(super) fn insert(&mut self, id: &str) -> bool {
        let h = hash(id);
        !self.in_base(h) && self.recent.insert(h)
    }

    fn sorted(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    fn in_base(&self, h: u64) -> bool {
        let sorted = self.sorted();
        let at = |i: usize| {
            let mut word = [0u8; 8];
            word.copy_from_slice(&sorted[i * 8..i * 8 + 8]);
            u64::from_le_bytes(word)
        };
        let (mut lo, mut hi) = (0, sorted.len() / 8);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match at(mid).cmp(&h) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// Every hash, ascending, as little-endian bytes (the cache's layout).
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        if self.recent.is_empty() {
            return self.sorted().to_vec();
        }
        let mut all: Vec<u64> = self
            .sorted()
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .chain(self.recent.iter().copied())
            .collect();
        all.sort_unstable();
        all.iter().flat_map(|h| h.to_le_bytes()).collect()
    }

    /// The set whose [`IdSet::to_bytes`] are `bytes[start..]`, kept in place (the cache's
    /// checksum vouches for the order).
    pub(super) fn in_place(bytes: Vec<u8>, start: usize) -> Option<IdSet> {
        (start <= bytes.len() && (bytes.len() - start).is_multiple_of(8)).then(|| IdSet {
            bytes,
            start,
            recent: HashSet::new(),
        })
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.sorted().len() / 8 + self.recent.len()
    }
}

/// Equal when they hold the same hashes, however they are laid out.
impl PartialEq for IdSet {
    fn eq(&self, other: &IdSet) -> bool {
        self.to_bytes() == other.to_bytes()
    }
}

fn hash(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_in_the_base_and_among_the_recent() {
        let ids: Vec<String> = (0..500).map(|i| format!("01M85{i:021}")).collect();
        let mut set = IdSet::of(ids.iter().take(300).map(String::as_str));
        let mut reloaded = IdSet::in_place(set.to_bytes(), 0).unwrap();
        for id in &ids[..300] {
            assert!(!reloaded.insert(id), "{id} is in the base");
        }
        for id in &ids[300..] {
            assert!(set.insert(id), "{id} is new");
            assert!(!set.insert(id), "{id} was just added");
        }
        let all = IdSet::in_place(set.to_bytes(), 0).unwrap();
        assert_eq!(all.len(), 500);
        assert!(all.to_bytes().chunks_exact(16).all(|w| w[..8] != w[8..]));
    }
}
