//! Which claims meet which actions, and the verdict on each pair.
//!
//! The rules are data-format.md's "Which pairs are compared": same actor
//! (principals share a member, each at its own record's date), same target
//! (or either has none), a shared topic (or a general claim), and the
//! action starting inside the claim's window. Pairing never compares all
//! claims with all actions: actions are indexed by (principal, topic) and
//! by principal, each sorted by start day, so a claim looks up only the
//! actions of its principals on its topics and binary-searches its window.

use std::cmp::Reverse;

use crate::actors::Chains;
use crate::date::{Day, PartialDate, Span};
use crate::model::{ActorIx, Attribution, Dataset, Record, TopicIx};
use crate::perf::parallel::Place;
use crate::perf::{prefetch, prefetch_lines};
use crate::score::{self, Verdict};
use rayon::prelude::*;

/// Settings of a check (the pairing window and the threshold).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Days before the claim's first day an action may start.
    pub lookback: u32,
    /// Days after the claim's last day an action may start.
    pub horizon: u32,
    /// Smallest |stance| and |effect| that take a side.
    pub threshold: f64,
}

impl Settings {
    /// The days an action may start on to meet a claim dated `date`: from
    /// `lookback` days before its first day to `horizon` days after its
    /// last. A window wider than the calendar's day numbers reach takes in
    /// all time: it saturates, and never wraps round to a negative width.
    pub fn window(&self, date: &PartialDate) -> (Day, Day) {
        let days = |n: u32| Day::try_from(n).unwrap_or(Day::MAX);
        (
            date.first.saturating_sub(days(self.lookback)),
            date.last.saturating_add(days(self.horizon)),
        )
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lookback: 365,
            horizon: 730,
            threshold: score::DEFAULT_THRESHOLD,
        }
    }
}

/// Sets of actors per record, stored flat: record `i`'s set is
/// `items[offsets[i]..offsets[i + 1]]`, sorted.
#[derive(Clone, Debug, Default)]
pub struct Sets {
    offsets: Vec<u32>,
    items: Vec<ActorIx>,
}

impl Sets {
    /// Members of all the sets together.
    pub fn total(&self) -> usize {
        self.items.len()
    }

    pub fn get(&self, i: usize) -> &[ActorIx] {
        &self.items[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Asks for where set `i` lies (see [`prefetch`]).
    pub fn prefetch_offsets(&self, i: usize) {
        prefetch(&self.offsets[i]);
    }

    /// Asks for set `i`'s members, once its offsets have arrived.
    pub fn prefetch_items(&self, i: usize) {
        if let Some(x) = self.items.get(self.offsets[i] as usize) {
            prefetch(x);
        }
    }

    fn build(n: usize, fill: impl Fn(usize, &mut Vec<ActorIx>) + Sync) -> Sets {
        // Parallel in blocks, each with its sets' ends counted from the
        // block's start, then joined in parallel (joined on one thread,
        // the five sets of a million-action check kept the other core idle
        // for 15-35 ms).
        const BLOCK: usize = 16_384;
        let blocks: (Vec<Vec<u32>>, Vec<Vec<ActorIx>>) = (0..n.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| {
                let mut ends = Vec::with_capacity(BLOCK);
                let mut items = Vec::new();
                for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
                    fill(i, &mut items);
                    ends.push(items.len() as u32);
                }
                (ends, items)
            })
            .unzip();
        let (mut offsets, mut items) = (vec![0u32], Vec::new());
        crate::perf::parallel::append_positioned(&mut offsets, &mut items, blocks);
        Sets { offsets, items }
    }
}

/// Whether two sorted sets share a member.
pub fn intersects(a: &[ActorIx], b: &[ActorIx]) -> bool {
    first_shared(a, b).is_some()
}

/// The smallest member two sorted sets share.
pub fn first_shared(a: &[ActorIx], b: &[ActorIx]) -> Option<ActorIx> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

/// The members two sorted sets share.
pub fn intersection<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Who stands behind each record: principals of its actor and of its
/// target, each at the record's date, and for actions the principals of
/// the actors whose deeds it answers.
#[derive(Debug, Default)]
pub struct Principals {
    pub claim_actor: Sets,
    pub claim_target: Sets,
    pub action_actor: Sets,
    pub action_target: Sets,
    /// Per action: principals of the actors of the actions it responds to,
    /// each at that action's date.
    pub answered: Sets,
}

impl Principals {
    pub fn compute(data: &Dataset, chains: &Chains) -> Principals {
        let of_actor = |recs: &[Record]| {
            Sets::build(recs.len(), |i, out| {
                let r = &recs[i];
                chains.principals_at(r.actor, Span::of(&r.date), out);
            })
        };
        let of_target = |recs: &[Record]| {
            Sets::build(recs.len(), |i, out| {
                let r = &recs[i];
                if let Some(t) = r.target {
                    chains.principals_at(t, Span::of(&r.date), out);
                }
            })
        };
        let answered = Sets::build(data.actions.len(), |i, out| {
            let start = out.len();
            for &j in data.actions[i].responds_to.iter() {
                let answered = &data.actions[j as usize];
                chains.principals_at(answered.actor, Span::of(&answered.date), out);
            }
            out[start..].sort_unstable();
            let mut seen = start;
            for k in start..out.len() {
                if k == start || out[k] != out[seen - 1] {
                    out[seen] = out[k];
                    seen += 1;
                }
            }
            out.truncate(seen);
        });
        Principals {
            claim_actor: of_actor(&data.claims),
            claim_target: of_target(&data.claims),
            action_actor: of_actor(&data.actions),
            action_target: of_target(&data.actions),
            answered,
        }
    }
}

/// A claim-action pair and its verdict: 12 bytes, as a large check holds
/// millions of them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    pub claim: u32,
    pub action: u32,
    /// Severity in units of 0.0001 (severities carry four decimals).
    pub severity_units: u16,
    pub verdict: Verdict,
}

impl Pair {
    /// The severity, in (0, 1].
    pub fn severity(&self) -> f64 {
        f64::from(self.severity_units) / 10_000.0
    }
}

/// Actions indexed for window look-ups: entries sorted by key then start
/// day; the distinct keys in order, each with where its entries start;
/// and for each principal where its keys start. A look-up finds the
/// key among its principal's few (one, or one per topic) and then binary
/// searches that key's actions only. Keys are packed into 64 bits, the
/// principal in the upper half ([`IndexKey`]). All of it is built in
/// parallel from the sorted entries: a hash map of half a million keys
/// took one thread 50 ms per index, the other core idle.
struct Index {
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
/// Converted in place, the index needs no second vector of entries (on
/// the large benchmark set, 62 MB less memory to fault in).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Entry(u128);

/// Flipping the sign bit makes the day's bits sort as the day does.
const DAY_FLIP: u32 = 0x8000_0000;

impl Entry {
    /// An entry to sort, with its key.
    fn new(key: impl IndexKey, day: Day, rank: u32) -> Entry {
        let day = (day as u32) ^ DAY_FLIP;
        Entry((u128::from(key.bits()) << 64) | (u128::from(day) << 32) | u128::from(rank))
    }

    /// The key of an entry made by [`Entry::new`].
    fn key(self) -> u64 {
        (self.0 >> 64) as u64
    }

    /// The entry with `mask` in place of its key.
    fn with_targets(self, mask: u32) -> Entry {
        Entry((u128::from(mask) << 64) | (self.0 & u128::from(u64::MAX)))
    }

    fn day(self) -> Day {
        ((self.0 >> 32) as u32 ^ DAY_FLIP) as Day
    }

    fn rank(self) -> u32 {
        self.0 as u32
    }

    /// The target mask of an entry of a built index.
    fn targets(self) -> u32 {
        (self.0 >> 64) as u32
    }
}

/// The principals of a target as a 32-bit set: one bit per principal,
/// chosen by hashing, 0 without a target. Two targets whose masks share
/// no bit share no principal, so most candidates the target rule turns
/// down are turned down in the index, before their facts are read (62% of
/// the candidates on the large benchmark set).
fn target_mask(principals: &[ActorIx]) -> u32 {
    principals
        .iter()
        .fold(0, |m, &p| m | 1 << (p.wrapping_mul(0x9E37_79B1) >> 27))
}

/// A key of an [`Index`], as 64 bits.
trait IndexKey: Copy {
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
    fn new(mut entries: Vec<Entry>, masks: &[u32]) -> Self {
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
    fn start(&self, k: usize) -> u32 {
        self.keys.get(k).map_or(self.entries.len() as u32, |x| x.1)
    }

    /// How many entries principal `p`'s keys hold.
    fn size(&self, p: ActorIx) -> u32 {
        let p = p as usize;
        match self.by_principal.get(p..p + 2) {
            Some(&[first, end]) => self.start(end as usize) - self.start(first as usize),
            _ => 0,
        }
    }

    /// Actions under `key` starting within `[from, to]`.
    fn window(&self, key: impl IndexKey, from: Day, to: Day) -> &[Entry] {
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
fn entries(
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

/// Pairs every claim with the actions that meet it. Pairs come in the
/// order of `claim_order` and, within a claim, by `action_rank`, so pairs
/// ordered by id need no sort afterwards. `action_order` is the inverse
/// of `action_rank`: the actions by rank.
pub fn pair_all(
    data: &Dataset,
    who: &Principals,
    settings: &Settings,
    claim_order: &[u32],
    (action_order, action_rank): (&[u32], &[u32]),
) -> Vec<Pair> {
    // Index entries name actions by rank, so a claim's candidates sort
    // as plain numbers, and `facts` is read in rank order.
    let n = data.actions.len();
    let n_principals = |a: usize| who.action_actor.get(a).len();
    let topic_entries = entries(
        n,
        |a| n_principals(a) * data.actions[a].topics.len(),
        |a, out| {
            let (rec, rank) = (&data.actions[a], action_rank[a]);
            for &p in who.action_actor.get(a) {
                for &t in rec.topics.iter() {
                    out.push(Entry::new((p, t), rec.date.first, rank));
                }
            }
        },
    );
    let actor_entries = entries(n, n_principals, |a, out| {
        let (rec, rank) = (&data.actions[a], action_rank[a]);
        for &p in who.action_actor.get(a) {
            out.push(Entry::new(p, rec.date.first, rank));
        }
    });
    let facts = Facts::by_rank(data, who, action_order);
    // By rank, as the facts are: read in order from them, not gathered
    // from the records.
    let masks: Vec<u32> = facts
        .par_iter()
        .map(|f| {
            if f.has_target {
                target_mask(f.targets(who))
            } else {
                0
            }
        })
        .collect();
    let by_topic = Index::new(topic_entries, &masks);
    let by_actor = Index::new(actor_entries, &masks);
    drop(masks);
    let order = by_locality(data, who, &by_topic, &by_actor, claim_order);
    // Pairs of blocks of claims taken in that order, with each claim's
    // count of pairs; the indexes are freed before the pairs are put in
    // id order.
    const BLOCK: usize = 1024;
    let blocks: Vec<(Vec<Pair>, Vec<u32>)> = order
        .par_chunks(BLOCK)
        .map(|block| {
            let (mut out, mut counts) = (Vec::new(), Vec::with_capacity(block.len()));
            for &at in block {
                let before = out.len();
                let c = claim_order[at as usize] as usize;
                pairs_of_claim(
                    data, who, settings, &by_topic, &by_actor, c, &facts, &mut out,
                );
                counts.push((out.len() - before) as u32);
            }
            (out, counts)
        })
        .collect();
    drop((by_topic, by_actor, facts));
    let mut runs: Vec<&[Pair]> = vec![&[]; claim_order.len()];
    for ((pairs, counts), block) in blocks.iter().zip(order.chunks(BLOCK)) {
        let mut rest = &pairs[..];
        for (&at, &count) in block.iter().zip(counts) {
            let (run, tail) = rest.split_at(count as usize);
            runs[at as usize] = run;
            rest = tail;
        }
    }
    let mut pairs = Vec::new();
    crate::perf::parallel::append_copies(&mut pairs, runs);
    pairs
}

/// The claims (as positions in `claim_order`) in an order that keeps
/// what pairing reads in cache: by the principal whose index holds the
/// most actions among those a claim looks up (the claims of a large
/// principal's many members read its same few windows), then by date
/// (neighbours' windows overlap). Taken in id order, every claim read
/// windows and facts somewhere else in memory: the binary searches of
/// the windows were the largest item of pairing, waiting on memory.
fn by_locality(
    data: &Dataset,
    who: &Principals,
    by_topic: &Index,
    by_actor: &Index,
    claim_order: &[u32],
) -> Vec<u32> {
    let mut keys: Vec<(ActorIx, Day, u32)> = (claim_order, 0..claim_order.len() as u32)
        .into_par_iter()
        .map(|(&c, at)| {
            let index = if data.claims[c as usize].topics.is_empty() {
                by_actor
            } else {
                by_topic
            };
            let root = who
                .claim_actor
                .get(c as usize)
                .iter()
                .copied()
                .max_by_key(|&p| (index.size(p), Reverse(p)))
                .unwrap_or(0);
            (root, data.claims[c as usize].date.first, at)
        })
        .collect();
    keys.par_sort_unstable();
    keys.into_iter().map(|(_, _, at)| at).collect()
}

/// What pairing reads of an action, in one place: a claim's candidates
/// are scattered over the dataset, and reading the record, its target's
/// principals and the principals it answers, each elsewhere in memory,
/// made pairing wait on memory rather than compute. Stored by rank.
#[derive(Clone, Copy)]
struct Facts {
    action: u32,
    date: PartialDate,
    score: f64,
    /// The first two principals of the target (`n_targets` in all; 0
    /// without a target).
    targets: [ActorIx; 2],
    n_targets: u32,
    has_target: bool,
    /// Whether it responds to anything (then `Principals::answered` says whom).
    answers: bool,
    attribution: Attribution,
}

impl Facts {
    /// Every action's facts, by rank (`action_order` lists actions by
    /// rank). (Made in the actions' own order and then gathered by rank,
    /// they took a little less time but 30-40 MB more peak memory.)
    fn by_rank(data: &Dataset, who: &Principals, action_order: &[u32]) -> Vec<Facts> {
        // Gathered from records scattered over memory: each record, and
        // where its sets lie, is asked for 16 ranks ahead, the sets' members
        // 8 ahead.
        (0..action_order.len())
            .into_par_iter()
            .map(|i| {
                if let Some(&a) = action_order.get(i + 16) {
                    prefetch_lines(&data.actions[a as usize]);
                    who.action_target.prefetch_offsets(a as usize);
                    who.answered.prefetch_offsets(a as usize);
                }
                if let Some(&a) = action_order.get(i + 8) {
                    who.action_target.prefetch_items(a as usize);
                }
                let a = action_order[i];
                let rec = &data.actions[a as usize];
                let targets = who.action_target.get(a as usize);
                Facts {
                    action: a,
                    date: rec.date,
                    score: rec.score,
                    targets: [
                        targets.first().copied().unwrap_or(0),
                        targets.get(1).copied().unwrap_or(0),
                    ],
                    n_targets: targets.len() as u32,
                    has_target: rec.target.is_some(),
                    answers: !who.answered.get(a as usize).is_empty(),
                    attribution: rec.attribution,
                }
            })
            .collect()
    }

    fn targets<'w>(&'w self, who: &'w Principals) -> &'w [ActorIx] {
        match self.n_targets {
            0..=2 => &self.targets[..self.n_targets as usize],
            _ => who.action_target.get(self.action as usize),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn pairs_of_claim(
    data: &Dataset,
    who: &Principals,
    settings: &Settings,
    by_topic: &Index,
    by_actor: &Index,
    c: usize,
    facts: &[Facts],
    out: &mut Vec<Pair>,
) {
    let claim = &data.claims[c];
    let (from, to) = settings.window(&claim.date);
    let principals = who.claim_actor.get(c);
    let targets = who.claim_target.get(c);
    // Without a target on either side the target rule holds; with both,
    // masks that share no bit mean targets that share no principal.
    let claim_mask = if claim.target.is_some() {
        target_mask(targets)
    } else {
        0
    };
    let maybe = |e: &&Entry| claim_mask == 0 || e.targets() == 0 || claim_mask & e.targets() != 0;
    let mut found: Vec<u32> = Vec::new();
    if claim.topics.is_empty() {
        for &p in principals {
            found.extend(
                by_actor
                    .window(p, from, to)
                    .iter()
                    .filter(maybe)
                    .map(|e| e.rank()),
            );
        }
    } else {
        for &p in principals {
            for &t in claim.topics.iter() {
                found.extend(
                    by_topic
                        .window((p, t), from, to)
                        .iter()
                        .filter(maybe)
                        .map(|e| e.rank()),
                );
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    let answered_by = |f: &Facts| {
        claim.target.is_some()
            && f.answers
            && intersects(targets, who.answered.get(f.action as usize))
    };
    const AHEAD: usize = 8;
    for (i, &rank) in found.iter().enumerate() {
        if let Some(&next) = found.get(i + AHEAD) {
            prefetch_lines(&facts[next as usize]);
        }
        let f = &facts[rank as usize];
        if claim.target.is_some() && f.has_target && !intersects(targets, f.targets(who)) {
            continue;
        }
        out.push(judge(
            claim,
            c,
            f.action,
            f.score,
            f.attribution,
            &f.date,
            answered_by(f),
            settings,
        ));
    }
}

/// The verdict and severity of one pair (which must meet the pairing rules).
pub fn judge_pair(
    data: &Dataset,
    who: &Principals,
    settings: &Settings,
    c: usize,
    a: usize,
) -> Pair {
    let claim = &data.claims[c];
    let action = &data.actions[a];
    let answers_target =
        claim.target.is_some() && intersects(who.claim_target.get(c), who.answered.get(a));
    judge(
        claim,
        c,
        a as u32,
        action.score,
        action.attribution,
        &action.date,
        answers_target,
        settings,
    )
}

/// The pair of claim `c` and an action with these facts.
#[allow(clippy::too_many_arguments)]
fn judge(
    claim: &Record,
    c: usize,
    action: u32,
    effect: f64,
    attribution: Attribution,
    date: &PartialDate,
    answers_target: bool,
    settings: &Settings,
) -> Pair {
    let verdict = score::judge(claim.score, effect, settings.threshold, answers_target);
    let factors = score::factors(claim.score, effect, attribution, &claim.date, date);
    Pair {
        claim: c as u32,
        action,
        verdict,
        severity_units: (score::severity(&factors) * 10_000.0).round() as u16,
    }
}

/// Whether a claim and an action meet every pairing rule; the slow,
/// obvious statement of the rules, for tests and explanations.
pub fn meets(data: &Dataset, who: &Principals, settings: &Settings, c: usize, a: usize) -> bool {
    let claim = &data.claims[c];
    let action = &data.actions[a];
    let same_actor = intersects(who.claim_actor.get(c), who.action_actor.get(a));
    let same_target = claim.target.is_none()
        || action.target.is_none()
        || intersects(who.claim_target.get(c), who.action_target.get(a));
    let shared_topic =
        claim.topics.is_empty() || !intersection(&claim.topics, &action.topics).is_empty();
    let (from, to) = settings.window(&claim.date);
    let in_window = (from..=to).contains(&action.date.first);
    same_actor && same_target && shared_topic && in_window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_saturates_at_the_ends_of_the_calendar_and_never_wraps() {
        let date = PartialDate::parse("2021-08").unwrap();
        let window = |lookback, horizon| {
            Settings {
                lookback,
                horizon,
                ..Settings::default()
            }
            .window(&date)
        };
        assert_eq!(window(0, 0), (date.first, date.last));
        assert_eq!(window(10, 20), (date.first - 10, date.last + 20));
        for huge in [1 << 31, u32::MAX] {
            // As far back as a day number goes from the claim's first day.
            assert_eq!(window(huge, 0), (date.first - Day::MAX, date.last));
            assert_eq!(window(0, huge), (date.first, Day::MAX));
        }
    }

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
