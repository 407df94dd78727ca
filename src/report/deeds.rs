//! Contradictions grouped by deed: each action that contradicts at least
//! one claim, with the claims (words) it belies, for the printers that can
//! show them so (`--group-by deed`).
//!
//! Dense data holds hundreds of millions of pairs, so the grouping works on
//! indices and counts only: one parallel pass counts each action's
//! contradictions and keeps its worst severity, the deeds are ordered by
//! those numbers, and only the deeds shown have their pairs gathered. No
//! text is made here; a printer formats the deeds it shows.

use super::Report;
use rayon::prelude::*;
use std::cmp::{Ordering as Order, Reverse};
use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};

/// A deed (an action) that contradicts at least one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deed {
    /// The action, an index into [`crate::model::Dataset::actions`].
    pub action: u32,
    /// How many claims it contradicts: its contradictions, one per claim.
    pub words: u32,
    /// Its most severe contradiction's severity, in units of 0.0001.
    pub worst_units: u16,
    /// Indices in [`Report::pairs`] of its contradictions, most severe
    /// first, then by claim id; at most as many as asked for, so fewer
    /// than `words` when some are left out.
    pub pairs: Vec<usize>,
}

/// The deeds that contradict words, as [`Report::deeds_by_words`] lists
/// them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deeds {
    /// The deeds listed: most words first, then by their worst severity
    /// (highest first), then by action id.
    pub deeds: Vec<Deed>,
    /// Deeds that contradict at least one claim, listed or not.
    pub total: usize,
    /// Contradictions in the report: the words all deeds belie.
    pub words: usize,
}

impl Report<'_> {
    /// The actions that contradict claims, grouped: at most `deeds` of them
    /// (0: all), each with at most `words` of its contradictions (0: all).
    /// Deeds come most words first, then by their most severe
    /// contradiction, then by action id; a deed's contradictions most
    /// severe first, then by claim id. The order is the same whatever the
    /// order of files, records or threads.
    pub fn deeds_by_words(&self, deeds: usize, words: usize) -> Deeds {
        let n = self.data.actions.len();
        let count: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
        let worst: Vec<AtomicU16> = (0..n).map(|_| AtomicU16::new(0)).collect();
        self.pairs
            .par_iter()
            .filter(|p| p.verdict.is_contradiction())
            .for_each(|p| {
                let a = p.action as usize;
                count[a].fetch_add(1, Ordering::Relaxed);
                worst[a].fetch_max(p.severity_units, Ordering::Relaxed);
            });
        let count: Vec<u32> = count.into_iter().map(AtomicU32::into_inner).collect();
        let worst: Vec<u16> = worst.into_iter().map(AtomicU16::into_inner).collect();
        let total_words = count.par_iter().map(|&c| c as usize).sum();

        let mut order: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .filter(|&a| count[a as usize] > 0)
            .collect();
        let total = order.len();
        // A total order (action ids are unique), so an unstable sort, and
        // choosing the first `deeds` before sorting them, give one result.
        let rank = |a: u32| self.action_rank.get(a as usize).copied().unwrap_or(a);
        let by = |x: &u32, y: &u32| -> Order {
            let key = |a: u32| {
                (
                    Reverse(count[a as usize]),
                    Reverse(worst[a as usize]),
                    rank(a),
                )
            };
            key(*x).cmp(&key(*y))
        };
        let shown = if deeds == 0 { total } else { deeds.min(total) };
        if shown < total && shown > 0 {
            order.select_nth_unstable_by(shown - 1, by);
        }
        order.truncate(shown);
        order.par_sort_unstable_by(by);

        // The listed deeds' contradictions, gathered in one pass and
        // sorted by deed, then most severe first, then by claim id (pairs
        // of one action come in claim id order, so by index).
        const NONE: u32 = u32::MAX;
        let mut slot = vec![NONE; n];
        for (s, &a) in order.iter().enumerate() {
            slot[a as usize] = s as u32;
        }
        let mut gathered: Vec<usize> = (0..self.pairs.len())
            .into_par_iter()
            .filter(|&i| {
                let p = &self.pairs[i];
                p.verdict.is_contradiction() && slot[p.action as usize] != NONE
            })
            .collect();
        gathered.par_sort_unstable_by_key(|&i| {
            let p = &self.pairs[i];
            (slot[p.action as usize], Reverse(p.severity_units), i)
        });
        let mut runs = gathered.chunk_by(|&i, &j| self.pairs[i].action == self.pairs[j].action);
        let listed = order
            .iter()
            .map(|&a| {
                let run = runs.next().unwrap_or_default();
                let keep = if words == 0 {
                    run.len()
                } else {
                    words.min(run.len())
                };
                Deed {
                    action: a,
                    words: count[a as usize],
                    worst_units: worst[a as usize],
                    pairs: run[..keep].to_vec(),
                }
            })
            .collect();
        Deeds {
            deeds: listed,
            total,
            words: total_words,
        }
    }
}
