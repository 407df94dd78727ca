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

use super::index::{Dated, Entry, Index, keys_of, target_mask};
use super::principals::Principals;
use super::rules::same_target;
pub(crate) use super::rules::{Settings, intersection, intersects};
use crate::date::{Day, PartialDate, Precision};
use crate::engine::score::{self, Verdict};
use crate::model::{ActorIx, Attribution, Dataset, Record};
use crate::perf::parallel::by_blocks;
use crate::perf::prefetch_lines;
use rayon::prelude::*;

/// A claim-action pair and its verdict: 12 bytes, as a large check holds
/// millions of them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// The claim, an index into [`Dataset::claims`].
    pub claim: u32,
    /// The action, an index into [`Dataset::actions`].
    pub action: u32,
    /// Severity in units of 0.0001 (severities carry four decimals).
    pub severity_units: u16,
    /// What the pair shows.
    pub verdict: Verdict,
}

impl Pair {
    /// The severity, in (0, 1].
    pub fn severity(&self) -> f64 {
        f64::from(self.severity_units) / 10_000.0
    }
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
    actions: (&[u32], &[u32]),
) -> Vec<Pair> {
    let pairing = Pairing::new(data, who, settings, actions);
    let found = Found::of(&pairing, claim_order);
    // The indexes are freed before the pairs are put in id order.
    drop(pairing);
    found.in_order()
}

/// The pairs of a run of claims as pairing finds them: in blocks of claims
/// taken in the order that keeps what pairing reads in cache
/// ([`by_locality`]), with each claim's count, to be put in the run's
/// order ([`Found::append_to`]) once the indexes may be freed.
pub(crate) struct Found {
    /// Positions in the run of claims, in the order taken.
    order: Vec<u32>,
    blocks: Vec<(Vec<Pair>, Vec<u32>)>,
}

impl Found {
    /// Claims taken at a time by one task.
    const BLOCK: usize = 1024;

    /// The pairs of the claims of `claim_order` (a run of claims in id
    /// order).
    pub(crate) fn of(pairing: &Pairing<'_>, claim_order: &[u32]) -> Found {
        Found::reusing(pairing, claim_order, &mut Vec::new())
    }

    /// [`Found::of`], its blocks' pairs in vectors taken from `spare`
    /// ([`Found::append_to`] gives them back): run after run, fresh
    /// vectors had their memory faulted in anew, a large part of the
    /// time of a dense check.
    pub(crate) fn reusing(
        pairing: &Pairing<'_>,
        claim_order: &[u32],
        spare: &mut Vec<Vec<Pair>>,
    ) -> Found {
        let order = pairing.by_locality(claim_order);
        let blocks = order.len().div_ceil(Self::BLOCK);
        let outs: Vec<Vec<Pair>> = (0..blocks)
            .map(|_| spare.pop().unwrap_or_default())
            .collect();
        let blocks = order
            .par_chunks(Self::BLOCK)
            .zip(outs)
            .map(|(block, mut out)| {
                out.clear();
                let mut counts = Vec::with_capacity(block.len());
                let mut scratch = Vec::new();
                for &at in block {
                    let before = out.len();
                    let c = claim_order[at as usize] as usize;
                    pairing.pairs_of_claim(c, &mut out, &mut scratch);
                    counts.push((out.len() - before) as u32);
                }
                (out, counts)
            })
            .collect();
        Found { order, blocks }
    }

    /// The pairs in the order of the run of claims.
    fn in_order(self) -> Vec<Pair> {
        let mut pairs = Vec::new();
        self.append_to(&mut pairs, &mut Vec::new());
        pairs
    }

    /// Appends the pairs to `pairs` in the order of the run of claims and,
    /// within a claim, by action rank; the blocks' vectors go to `spare`.
    pub(crate) fn append_to(self, pairs: &mut Vec<Pair>, spare: &mut Vec<Vec<Pair>>) {
        let mut runs: Vec<&[Pair]> = vec![&[]; self.order.len()];
        for ((pairs, counts), block) in self.blocks.iter().zip(self.order.chunks(Self::BLOCK)) {
            let mut rest = &pairs[..];
            for (&at, &count) in block.iter().zip(counts) {
                let (run, tail) = rest.split_at(count as usize);
                runs[at as usize] = run;
                rest = tail;
            }
        }
        crate::perf::parallel::append_copies(pairs, runs);
        spare.extend(self.blocks.into_iter().map(|(pairs, _)| pairs));
    }
}

/// What pairing looks actions up in: indexes of actions by (principal,
/// topic) and by principal, each sorted by start day, and what pairing
/// reads of each action. Made once, then asked claim by claim.
pub(crate) struct Pairing<'a> {
    data: &'a Dataset,
    who: &'a Principals,
    settings: &'a Settings,
    by_topic: Index,
    by_actor: Index,
    facts: Vec<Facts>,
    near: score::Proximities,
}

impl<'a> Pairing<'a> {
    /// Indexes the actions of `data`; `action_order` lists them by rank
    /// (their place in id order) and `action_rank` is its inverse.
    pub(crate) fn new(
        data: &'a Dataset,
        who: &'a Principals,
        settings: &'a Settings,
        (action_order, action_rank): (&[u32], &[u32]),
    ) -> Self {
        // Index entries name actions by rank, so a claim's candidates sort
        // as plain numbers, and `facts` is read in rank order.
        let topic_entries = topic_entries(data, who, action_rank);
        let actor_entries = actor_entries(data, who, action_rank);
        let facts = Facts::by_rank(data, who, action_order);
        // By rank, as the facts are: read in order from them, not gathered
        // from the records.
        let masks: Vec<u32> = facts
            .par_iter()
            .map(|f| {
                if f.has_target() {
                    target_mask(f.targets(who))
                } else {
                    0
                }
            })
            .collect();
        let by_topic = Index::new(topic_entries, &masks);
        let by_actor = Index::new(actor_entries, &masks);
        Pairing {
            data,
            who,
            settings,
            by_topic,
            by_actor,
            facts,
            // A pair's gap is at most the window's reach on its side.
            near: score::Proximities::new(settings.lookback.max(settings.horizon)),
        }
    }

    /// [`by_locality`] of these indexes.
    pub(crate) fn by_locality(&self, claim_order: &[u32]) -> Vec<u32> {
        by_locality(
            self.data,
            self.who,
            &self.by_topic,
            &self.by_actor,
            claim_order,
        )
    }

    /// Appends the pairs of claim `c` to `out`, by action rank;
    /// `scratch` is room for its candidates, kept from claim to claim.
    pub(crate) fn pairs_of_claim(&self, c: usize, out: &mut Vec<Pair>, scratch: &mut Vec<u32>) {
        pairs_of_claim(self, c, out, scratch);
    }
}

/// Index entries of the actions by (principal, topic): one for each of an
/// action's principals and topics, naming the action by `action_rank`
/// (its rank, or any other number by action).
fn topic_entries(data: &Dataset, who: &Principals, action_rank: &[u32]) -> Vec<Entry> {
    let n_principals = |a: usize| who.action_actor.get(a).len();
    by_blocks(
        data.actions.len(),
        |a| n_principals(a) * data.actions[a].topics.len(),
        |a, out| {
            let (rec, rank) = (&data.actions[a], action_rank[a]);
            for &p in who.action_actor.get(a) {
                for &t in rec.topics.iter() {
                    out.push(Entry::new((p, t), rec.date.first, rank));
                }
            }
        },
    )
}

/// Index entries of the actions by principal: one for each of an
/// action's principals, naming the action by `action_rank` (as
/// [`topic_entries`] does).
fn actor_entries(data: &Dataset, who: &Principals, action_rank: &[u32]) -> Vec<Entry> {
    by_blocks(
        data.actions.len(),
        |a| who.action_actor.get(a).len(),
        |a, out| {
            let (rec, rank) = (&data.actions[a], action_rank[a]);
            for &p in who.action_actor.get(a) {
                out.push(Entry::new(p, rec.date.first, rank));
            }
        },
    )
}

/// The claims (as positions in `claim_order`) in an order that keeps
/// what pairing reads in cache: by the principal whose index holds the
/// most actions among those a claim looks up (the claims of a large
/// principal's many members read its same few windows), then by date
/// (neighbours' windows overlap). Taken in id order, every claim read
/// windows and facts somewhere else in memory: the binary searches of
/// the windows were the largest item of pairing, waiting on memory.
pub(crate) fn by_locality<R: Dated + Sync>(
    data: &Dataset,
    who: &Principals,
    by_topic: &Index<R>,
    by_actor: &Index<R>,
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
/// made pairing wait on memory rather than compute. Stored by rank: 32
/// bytes.
#[derive(Clone, Copy)]
pub(crate) struct Facts {
    pub(crate) score: f64,
    pub(crate) action: u32,
    /// Its date's first day, and days from it to the last (a date is a
    /// day, a month or a year): pairing reads no more of the date (see
    /// [`Facts::date`]).
    first: Day,
    span: u16,
    /// The first two principals of the target (`n_targets` in all, 3
    /// standing for more; 0 without a target).
    targets: [ActorIx; 2],
    n_targets: u8,
    /// Whether it has a target (bit 0) and responds to anything (bit 1:
    /// then `Principals::answered` says whom); its attribution above
    /// (bits 2 and 3).
    bits: u8,
}

const _: () = assert!(std::mem::size_of::<Facts>() == 32);

impl Facts {
    /// Every action's facts, by rank (`action_order` lists actions by
    /// rank). (Made in the actions' own order and then gathered by rank,
    /// they took a little less time but more peak memory.)
    pub(crate) fn by_rank(data: &Dataset, who: &Principals, action_order: &[u32]) -> Vec<Facts> {
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
                let has_target = u8::from(rec.target.is_some());
                let answers = u8::from(!who.answered.get(a as usize).is_empty());
                Facts {
                    action: a,
                    first: rec.date.first,
                    span: span_of(&rec.date),
                    score: rec.score,
                    targets: [
                        targets.first().copied().unwrap_or(0),
                        targets.get(1).copied().unwrap_or(0),
                    ],
                    n_targets: targets.len().min(3) as u8,
                    bits: has_target | answers << 1 | (rec.attribution as u8) << 2,
                }
            })
            .collect()
    }

    /// Whether it has a target.
    pub(crate) fn has_target(&self) -> bool {
        self.bits & 1 != 0
    }

    /// Whether it responds to any action.
    pub(crate) fn answers(&self) -> bool {
        self.bits & 2 != 0
    }

    pub(crate) fn attribution(&self) -> Attribution {
        Attribution::ALL[usize::from(self.bits >> 2 & 3)]
    }

    /// The principals of its target.
    pub(crate) fn targets<'w>(&'w self, who: &'w Principals) -> &'w [ActorIx] {
        match self.n_targets {
            0..=2 => &self.targets[..usize::from(self.n_targets)],
            _ => who.action_target.get(self.action as usize),
        }
    }

    /// Its date's first and last day, all that a pair's order and gap
    /// read of it; the precision is not kept, and given as a day's.
    pub(crate) fn date(&self) -> PartialDate {
        date_of(self.first, self.span)
    }
}

/// Days from a date's first day to its last, as pairing and counting keep
/// them beside the first day (a date is a day, a month or a year; the
/// longest spans that fit are kept whole).
pub(crate) fn span_of(date: &PartialDate) -> u16 {
    u16::try_from(date.last - date.first).unwrap_or(u16::MAX)
}

/// The date from its first day and [`span_of`] it: all that a pair's
/// order and gap read of it; the precision is not kept, and given as a
/// day's.
pub(crate) fn date_of(first: Day, span: u16) -> PartialDate {
    PartialDate {
        first,
        last: first + Day::from(span),
        precision: Precision::Day,
    }
}

impl Dated for Facts {
    fn day(&self) -> Day {
        self.first
    }
}

fn pairs_of_claim(pairing: &Pairing<'_>, c: usize, out: &mut Vec<Pair>, found: &mut Vec<u32>) {
    let Pairing {
        data,
        who,
        settings,
        by_topic,
        by_actor,
        facts,
        near,
    } = pairing;
    let claim = &data.claims[c];
    let (from, to) = settings.window_of(claim);
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
    found.clear();
    let index = if claim.topics.is_empty() {
        by_actor
    } else {
        by_topic
    };
    for key in keys_of(principals, &claim.topics) {
        found.extend(
            index
                .window(key, from, to)
                .iter()
                .filter(maybe)
                .map(|e| e.rank()),
        );
    }
    found.sort_unstable();
    found.dedup();
    let claim_targets = claim.target.is_some().then_some(targets);
    let answered_by = |f: &Facts| {
        claim.target.is_some()
            && f.answers()
            && intersects(targets, who.answered.get(f.action as usize))
    };
    const AHEAD: usize = 8;
    for (i, &rank) in found.iter().enumerate() {
        if let Some(&next) = found.get(i + AHEAD) {
            prefetch_lines(&facts[next as usize]);
        }
        let f = &facts[rank as usize];
        if !same_target(claim_targets, f.has_target().then(|| f.targets(who))) {
            continue;
        }
        out.push(judge(
            claim,
            c,
            f.action,
            f.score,
            f.attribution(),
            &f.date(),
            answered_by(f),
            (settings, |gap| near.of(gap)),
        ));
    }
}

/// The pair of claim `c` and action `a`, if they meet every pairing rule:
/// one pair judged on its own, as pairing judges it among all the others
/// (a test holds the two together), for the few pairs a caller names.
pub fn pair_of(
    data: &Dataset,
    who: &Principals,
    settings: &Settings,
    c: usize,
    a: usize,
) -> Option<Pair> {
    if !super::rules::meets(data, who, settings, c, a) {
        return None;
    }
    let (claim, action) = (&data.claims[c], &data.actions[a]);
    let answers_target =
        claim.target.is_some() && intersects(who.claim_target.get(c), who.answered.get(a));
    Some(judge(
        claim,
        c,
        a as u32,
        action.score,
        action.attribution,
        &action.date,
        answers_target,
        (settings, score::proximity),
    ))
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
    (settings, proximity): (&Settings, impl Fn(i32) -> f64),
) -> Pair {
    Pair {
        claim: c as u32,
        action,
        verdict: score::judge(claim.score, effect, settings.threshold, answers_target),
        severity_units: severity_units(claim, effect, attribution, date, proximity),
    }
}

/// The severity, in units, of a pair of `claim` and an action with these
/// facts.
pub(crate) fn severity_units(
    claim: &Record,
    effect: f64,
    attribution: Attribution,
    date: &PartialDate,
    proximity: impl Fn(i32) -> f64,
) -> u16 {
    score::severity_units(&score::factors_near(
        claim.score,
        effect,
        attribution,
        (&claim.date, date),
        proximity,
    ))
}
