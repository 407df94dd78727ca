//! Actions indexed for pairing: by principal, and by (principal, topic),
//! each sorted by start day, so a claim looks up only the actions of its
//! principals on its topics and binary-searches its window.

use crate::date::Day;
use crate::model::{ActorIx, TopicIx};
use crate::perf::parallel::Place;
use rayon::prelude::*;

/// Actions indexed for window look-ups: entries sorted by key then start
/// day; the distinct keys in order, each with where its entries start;
/// and for each principal where its keys start. A look-up finds the
/// key among its principal's few (one, or one per topic) and then binary
/// searches that key's actions only. Keys are packed into 64 bits, the
/// principal in the upper half ([`IndexKey`]). All of it is built in
/// parallel from the sorted entries: a hash map of the keys was built on
/// one thread, the other core idle.
pub(crate) struct Index {
    entries: Vec<Entry>,
    /// (lower half of the key, first entry), by key ([`Index::start`]).
    keys: Vec<(u32, u32)>,
    /// Principal `p`'s keys are `keys[by_principal[p]..by_principal[p + 1]]`.
    by_principal: Vec<u32>,
}

/// An action in an [`Index`], in one number. The lower 64 bits hold its
/// start day and its rank. Above them, while the index is built, its key,
/// so that entries sort as (key, start day, rank), as numbers (much faster
/// than sorting tuples); once sorted, the [`target_mask`] of its target's
/// principals, as the index's keys say where each key's entries lie.
/// Converted in place, the index needs no second vector of entries, and
/// so less memory to fault in.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry(u128);

/// Flipping the sign bit makes the day's bits sort as the day does.
pub(crate) const DAY_FLIP: u32 = 0x8000_0000;

impl Entry {
    /// An entry to sort, with its key.
    pub(crate) fn new(key: impl IndexKey, day: Day, rank: u32) -> Entry {
        let day = (day as u32) ^ DAY_FLIP;
        Entry((u128::from(key.bits()) << 64) | (u128::from(day) << 32) | u128::from(rank))
    }

    /// The key of an entry made by [`Entry::new`].
    pub(crate) fn key(self) -> u64 {
        (self.0 >> 64) as u64
    }

    /// The entry with `mask` in place of its key.
    pub(crate) fn with_targets(self, mask: u32) -> Entry {
        Entry((u128::from(mask) << 64) | (self.0 & u128::from(u64::MAX)))
    }

    pub(crate) fn day(self) -> Day {
        ((self.0 >> 32) as u32 ^ DAY_FLIP) as Day
    }

    pub(crate) fn rank(self) -> u32 {
        self.0 as u32
    }

    /// The target mask of an entry of a built index.
    pub(crate) fn targets(self) -> u32 {
        (self.0 >> 64) as u32
    }
}

/// The principals of a target as a 32-bit set: one bit per principal,
/// chosen by hashing, 0 without a target. Two targets whose masks share
/// no bit share no principal, so most candidates the target rule turns
/// down are turned down in the index, before their facts are read.
pub(crate) fn target_mask(principals: &[ActorIx]) -> u32 {
    principals
        .iter()
        .fold(0, |m, &p| m | 1 << (p.wrapping_mul(0x9E37_79B1) >> 27))
}

/// A key of an [`Index`], as 64 bits.
pub(crate) trait IndexKey: Copy {
    fn bits(self) -> u64;
}

impl IndexKey for ActorIx {
    fn bits(self) -> u64 {
        u64::from(self) << 32
    }
}

impl IndexKey for (ActorIx, TopicIx) {
    fn bits(self) -> u64 {
        (u64::from(self.0) << 32) | u64::from(self.1)
    }
}

impl Index {
    /// An index of entries made by [`Entry::new`]; `masks` holds each
    /// action's [`target_mask`] by rank.
    pub(crate) fn new(mut entries: Vec<Entry>, masks: &[u32]) -> Self {
        entries.par_sort_unstable();
        let key_of = |i: usize| entries[i].key();
        let keys: Vec<(u32, u32)> = (0..entries.len())
            .into_par_iter()
            .filter(|&i| i == 0 || key_of(i) != key_of(i - 1))
            .map(|i| (key_of(i) as u32, i as u32))
            .collect();
        let principals = entries.last().map_or(0, |e| (e.key() >> 32) as usize + 1);
        let mut by_principal = Vec::with_capacity(principals + 1);
        for (k, &(_, start)) in keys.iter().enumerate() {
            let p = (key_of(start as usize) >> 32) as usize;
            by_principal.resize(by_principal.len().max(p + 1), k as u32);
        }
        by_principal.resize(principals + 1, keys.len() as u32);
        entries
            .par_iter_mut()
            .for_each(|e| *e = e.with_targets(masks[e.rank() as usize]));
        Index {
            entries,
            keys,
            by_principal,
        }
    }

    /// Where key `k`'s entries start; for `k` past the last key, the end.
    /// (A last key marking the end would make the collected keys grow by
    /// one, copying them all, on one thread.)
    pub(crate) fn start(&self, k: usize) -> u32 {
        self.keys.get(k).map_or(self.entries.len() as u32, |x| x.1)
    }

    /// How many entries principal `p`'s keys hold.
    pub(crate) fn size(&self, p: ActorIx) -> u32 {
        let p = p as usize;
        match self.by_principal.get(p..p + 2) {
            Some(&[first, end]) => self.start(end as usize) - self.start(first as usize),
            _ => 0,
        }
    }

    /// Actions under `key` starting within `[from, to]`.
    pub(crate) fn window(&self, key: impl IndexKey, from: Day, to: Day) -> &[Entry] {
        let bits = key.bits();
        let p = (bits >> 32) as usize;
        let Some(&[first, end]) = self.by_principal.get(p..p + 2) else {
            return &[];
        };
        let (first, end) = (first as usize, end as usize);
        let Ok(k) = self.keys[first..end].binary_search_by_key(&(bits as u32), |k| k.0) else {
            return &[];
        };
        let (lo, hi) = (self.start(first + k), self.start(first + k + 1));
        let slice = &self.entries[lo as usize..hi as usize];
        let a = slice.partition_point(|e| e.day() < from);
        let b = slice.partition_point(|e| e.day() <= to);
        &slice[a..b.max(a)]
    }
}

/// The index entries `add` makes for each of `n` actions (`count` says
/// how many), in action order, made in parallel blocks straight into one
/// vector of the exact size (collecting a parallel iterator would hold
/// them twice).
pub(crate) fn entries(
    n: usize,
    count: impl Fn(usize) -> usize + Sync,
    add: impl Fn(usize, &mut Place<'_, Entry>) + Sync,
) -> Vec<Entry> {
    const BLOCK: usize = 16_384;
    let blocks: Vec<(std::ops::Range<usize>, usize)> = (0..n)
        .into_par_iter()
        .step_by(BLOCK)
        .map(|a| {
            let block = a..(a + BLOCK).min(n);
            let size = block.clone().map(&count).sum();
            (block, size)
        })
        .collect();
    let mut all = Vec::new();
    // A count that disagrees with `add` is a bug, and panics.
    crate::perf::parallel::append_with(
        &mut all,
        blocks,
        |(_, size)| *size,
        |place, (block, _)| block.for_each(|a| add(a, place)),
    );
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_windows_hold_exactly_their_keys_actions_in_the_days() {
        // Principals with gaps, several topics each, days spread out.
        let mut entries = Vec::new();
        let mut x = 1u64;
        for rank in 0..3000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let p = ((x >> 33) % 40) as ActorIx * 3;
            let t = ((x >> 45) % 6) as TopicIx;
            let day = ((x >> 20) % 400) as Day - 200;
            entries.push((p, t, day, rank));
        }
        let masks = vec![0; 3000];
        let by_topic = Index::new(
            entries
                .iter()
                .map(|&(p, t, d, r)| Entry::new((p, t), d, r))
                .collect(),
            &masks,
        );
        let by_actor = Index::new(
            entries
                .iter()
                .map(|&(p, _, d, r)| Entry::new(p, d, r))
                .collect(),
            &masks,
        );
        let ranks = |w: &[Entry]| {
            let mut r: Vec<u32> = w.iter().map(|e| e.rank()).collect();
            r.sort_unstable();
            r
        };
        for p in 0..125 {
            for (from, to) in [(-300, 300), (-50, 20), (0, 0), (10, -10)] {
                let expected = |t: Option<TopicIx>| {
                    let r: Vec<u32> = entries
                        .iter()
                        .filter(|e| e.0 == p && t.is_none_or(|t| e.1 == t))
                        .filter(|e| (from..=to).contains(&e.2))
                        .map(|e| e.3)
                        .collect();
                    r
                };
                assert_eq!(ranks(by_actor.window(p, from, to)), expected(None), "{p}");
                for t in 0..8 {
                    let got = ranks(by_topic.window((p, t), from, to));
                    assert_eq!(got, expected(Some(t)), "{p} {t}");
                }
            }
        }
    }

    #[test]
    fn target_masks_never_turn_down_targets_that_share_a_principal() {
        // Sets of up to four principals among 0..200, pairwise: a shared
        // principal always means a shared bit; no target is no bit.
        let sets: Vec<Vec<ActorIx>> = (0..400u32)
            .map(|i| (0..1 + i % 4).map(|k| (i * 7 + k * 31) % 200).collect())
            .collect();
        let mut turned_down = 0;
        for a in &sets {
            for b in &sets {
                let shared = a.iter().any(|p| b.contains(p));
                let masks_meet = target_mask(a) & target_mask(b) != 0;
                assert!(!shared || masks_meet, "{a:?} {b:?}");
                turned_down += usize::from(!masks_meet);
            }
        }
        assert_eq!(target_mask(&[]), 0);
        // And the masks do turn most disjoint pairs down.
        assert!(turned_down > sets.len() * sets.len() / 2, "{turned_down}");
    }
}
