//! The result of a check: plain data every printer reads.
//!
//! [`check`] pairs and judges a validated dataset, applies the filters, and
//! orders everything by id, so that every format prints the same findings
//! in the same order whatever the order of files, records or threads.

use crate::date::PartialDate;
use crate::engine::pair;
use crate::engine::principals::{Chains, Principals, Sets};
use crate::engine::rules::Settings;

use crate::model::{ActorIx, Dataset, Record, TopicIx};
use rayon::prelude::*;

mod deeds;
mod flagged;

pub use crate::engine::baseline::{Baseline, PairKey, PairTotals, ReadError, ReportPairs};
pub(crate) use crate::engine::count::PairCounts;
pub use crate::engine::pair::Pair;
pub use crate::engine::principals::Step;
pub use crate::engine::reasons::Reasons;
pub use crate::engine::score::{ClaimVerdict, Factors, Kind, Order, Verdict, judge};
pub use deeds::{Deed, Deeds};
pub use flagged::check_flagged;
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub mod diff;
pub mod trend;

/// Narrowing a report to some actors, a topic or a period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    /// Keep records made by this actor or anyone acting for it at the time.
    pub actor: Option<ActorIx>,
    /// Keep pairs whose shared topics include this (normalised) topic.
    pub topic: Option<TopicIx>,
    /// Keep claims and actions dated (in part) on or after this date.
    pub since: Option<PartialDate>,
    /// Keep claims and actions dated (in part) on or before this date.
    pub until: Option<PartialDate>,
}

/// Which pairs a report keeps when it keeps only the most severe
/// (`--top`, `--top-per-claim`): contradictions first, then the other
/// verdicts, each most severe first, ties in report order (claim id, then
/// action id). Memory holds the pairs kept and one run of claims' pairs,
/// not every pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Top {
    /// The `N` most severe pairs of the whole check.
    Overall(usize),
    /// The `N` most severe pairs of each claim.
    PerClaim(usize),
}

/// A claim's verdict over its pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimResult {
    /// The claim, an index into [`Dataset::claims`].
    pub claim: u32,
    /// Its verdict over its pairs.
    pub verdict: ClaimVerdict,
    /// Its pairs, of every verdict.
    pub pairs: u32,
    /// Its pairs that contradict it.
    pub contradictions: u32,
    /// Its pairs that bear it out.
    pub consistent: u32,
    /// Its reciprocal pairs.
    pub reciprocal: u32,
    /// Its neutral pairs.
    pub neutral: u32,
    /// Highest severity among its contradictions.
    pub worst: Option<f64>,
}

impl ClaimResult {
    /// A claim with no pairs yet: untested, every count 0.
    pub(crate) fn untested(claim: u32) -> ClaimResult {
        ClaimResult {
            claim,
            verdict: ClaimVerdict::Untested,
            pairs: 0,
            contradictions: 0,
            consistent: 0,
            reciprocal: 0,
            neutral: 0,
            worst: None,
        }
    }
}

/// What one actor said and did, and how it held up.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActorSummary {
    /// The actor, an index into [`Dataset::actors`].
    pub actor: ActorIx,
    /// Claims made by the actor or on its behalf.
    pub claims: u32,
    /// Actions done by the actor or on its behalf.
    pub actions: u32,
    /// Pairs in which the actor stands behind the claim or the action.
    pub pairs: u32,
    /// Those pairs that contradict.
    pub contradictions: u32,
    /// Those contradictions that are duplicity.
    pub duplicity: u32,
    /// Those contradictions that are bluster.
    pub bluster: u32,
    /// Those pairs that are consistent.
    pub consistent: u32,
    /// Those pairs that are reciprocal.
    pub reciprocal: u32,
    /// Those pairs that are neutral.
    pub neutral: u32,
    /// Say-do consistency in [-1, 1]: (Σ severity of consistent pairs −
    /// Σ severity of contradictions) / (their sum); `None` when the actor
    /// has neither.
    pub consistency: Option<f64>,
    sev_consistent: f64,
    sev_contradiction: f64,
}

/// Everything a printer needs.
#[derive(Debug)]
pub struct Report<'d> {
    /// The dataset checked.
    pub data: &'d Dataset,
    /// The window and threshold it was checked with.
    pub settings: Settings,
    /// What the report was narrowed to.
    pub filters: Filters,
    pub(crate) chains: Arc<Chains>,
    pub(crate) who: Arc<Principals>,
    /// Ordered by claim id, then action id.
    pub pairs: Vec<Pair>,
    /// Ordered by claim id.
    pub claims: Vec<ClaimResult>,
    /// Actors with at least one record, ordered by id.
    pub actors: Vec<ActorSummary>,
    /// Per pair (same order as `pairs`): already in the baseline. Empty
    /// when no baseline was given.
    pub known: Vec<bool>,
    /// Actions kept by the filters (all of them without filters).
    pub actions_kept: usize,
    /// Position of each action in id order.
    pub action_rank: Vec<u32>,
    /// The actions in at least one pair, in id order.
    pub paired_actions: Vec<u32>,
    /// Counts over every pair of the check, when `pairs` holds only the
    /// most severe contradictions ([`check_most_severe`]); `None` when it
    /// holds every pair the report counts.
    pub whole: Option<Whole>,
}

/// Counts over every pair of a check whose report holds only some of
/// them: what a headline and a review line say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Whole {
    /// Every pair.
    pub pairs: usize,
    /// Pairs by verdict, in the order of [`verdict_slot`].
    pub verdicts: [usize; 5],
    /// Actions in at least one pair.
    pub paired_actions: usize,
    /// Whether a baseline marked the pairs (as [`Report::has_baseline`]).
    pub baseline: bool,
    /// Contradictions the baseline knows.
    pub known: usize,
    /// Contradictions by review mark, in the order of [`REVIEW_MARKS`];
    /// `None` when the check had neither a baseline nor decisions.
    pub reviewed: Option<[usize; 5]>,
}

/// Where a verdict is counted: duplicity, bluster, consistent,
/// reciprocal, neutral.
pub fn verdict_slot(v: Verdict) -> usize {
    match v {
        Verdict::Contradiction(Kind::Duplicity) => 0,
        Verdict::Contradiction(Kind::Bluster) => 1,
        Verdict::Consistent => 2,
        Verdict::Reciprocal => 3,
        Verdict::Neutral => 4,
    }
}

/// The marks [`Report::review_mark`] gives a contradiction, in the order
/// they are counted.
pub const REVIEW_MARKS: [&str; 5] = ["confirmed", "dismissed", "needs-source", "known", "new"];

impl<'d> Report<'d> {
    /// Whether claim `claim` and action `action` (indices into the
    /// dataset) meet every pairing rule, stated plainly and checked one
    /// pair at a time. [`Report::pairs`] holds exactly the pairs that do
    /// (filters aside); this is the slow statement it is tested against.
    pub fn meets(&self, claim: usize, action: usize) -> bool {
        crate::engine::rules::meets(self.data, &self.who, &self.settings, claim, action)
    }

    /// The principals a claim speaks for: its actor and every actor it
    /// acts for on the claim's date, as indices into the dataset's
    /// actors, sorted.
    pub fn claim_principals(&self, claim: usize) -> &[ActorIx] {
        self.who.claim_actor.get(claim)
    }

    /// The principals an action is done for, as for
    /// [`Report::claim_principals`].
    pub fn action_principals(&self, action: usize) -> &[ActorIx] {
        self.who.action_actor.get(action)
    }

    /// The principals of a claim's target (its target and everyone the
    /// target acts for on the claim's date), sorted; empty for a claim
    /// without a target.
    pub fn claim_target_principals(&self, claim: usize) -> &[ActorIx] {
        if self.data.claims[claim].target.is_some() {
            self.who.claim_target.get(claim)
        } else {
            &[]
        }
    }

    /// The principals of an action's target, as for
    /// [`Report::claim_target_principals`].
    pub fn action_target_principals(&self, action: usize) -> &[ActorIx] {
        if self.data.actions[action].target.is_some() {
            self.who.action_target.get(action)
        } else {
            &[]
        }
    }

    /// Why `pair` was paired and judged as it was: the chains of roles
    /// that make both records the same actor's, the shared topics, the
    /// timing and the factors of its severity.
    pub fn reasons(&self, pair: &Pair) -> Reasons {
        crate::engine::reasons::of(self, pair)
    }

    /// Pairs that contradict, most severe first (ties by claim, then action id).
    pub fn flagged(&self) -> Vec<&Pair> {
        self.flagged_indices()
            .into_iter()
            .map(|i| &self.pairs[i])
            .collect()
    }

    /// Indices in `pairs` of the contradictions, most severe first (ties
    /// by claim id, then action id: the sort is stable).
    pub fn flagged_indices(&self) -> Vec<usize> {
        let mut flagged: Vec<usize> = (0..self.pairs.len())
            .filter(|&i| self.pairs[i].verdict.is_contradiction())
            .collect();
        flagged.sort_by_key(|&i| std::cmp::Reverse(self.pairs[i].severity_units));
        flagged
    }

    /// Indices in `pairs` of the `k` most severe contradictions, in the
    /// order of [`Report::flagged_indices`] (of which they are the first
    /// `k`); all of them when `k` is 0. Memory and sorting grow with `k`,
    /// not with the number of pairs: the contradictions are counted by
    /// severity first, which gives the lowest severity among the `k`, and
    /// only pairs at least that severe are then gathered and sorted.
    pub fn most_severe(&self, k: usize) -> Vec<usize> {
        if k == 0 {
            return self.flagged_indices();
        }
        let pairs = &self.pairs;
        const CHUNK: usize = 1 << 16;
        // Contradictions per severity unit.
        let counts = pairs
            .par_chunks(CHUNK)
            .fold(
                || vec![0usize; 1 << 16],
                |mut counts, chunk| {
                    for p in chunk.iter().filter(|p| p.verdict.is_contradiction()) {
                        counts[usize::from(p.severity_units)] += 1;
                    }
                    counts
                },
            )
            .reduce_with(|mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                a
            })
            .unwrap_or_default();
        // The cut: the severity of the k-th most severe (or the least
        // severe of all, when there are fewer), and how many pairs above
        // it come first.
        let (mut above, mut cut) = (0, 0);
        for (units, &n) in counts.iter().enumerate().rev() {
            if n > 0 {
                cut = units;
                if above + n >= k {
                    break;
                }
                above += n;
            }
        }
        let severity = |i: usize| usize::from(pairs[i].severity_units);
        let contradicts = |i: usize| pairs[i].verdict.is_contradiction();
        let mut chosen: Vec<usize> = (0..pairs.len())
            .into_par_iter()
            .filter(|&i| contradicts(i) && severity(i) > cut)
            .collect();
        // Of the pairs at the cut, the first in report order, a chunk of
        // pairs at a time.
        let mut at_cut = k
            .saturating_sub(chosen.len())
            .min(counts.get(cut).copied().unwrap_or(0));
        for start in (0..pairs.len()).step_by(CHUNK * 16) {
            if at_cut == 0 {
                break;
            }
            let end = (start + CHUNK * 16).min(pairs.len());
            let found: Vec<usize> = (start..end)
                .into_par_iter()
                .filter(|&i| contradicts(i) && severity(i) == cut)
                .collect();
            let n = found.len().min(at_cut);
            chosen.extend_from_slice(&found[..n]);
            at_cut -= n;
        }
        // Report order breaks ties, as the stable sort of
        // `flagged_indices` does.
        chosen.par_sort_unstable_by_key(|&i| (std::cmp::Reverse(severity(i)), i));
        chosen
    }

    /// How many pairs contradict (of every pair, when the report holds
    /// only some: [`Report::whole`]).
    pub fn contradictions(&self) -> usize {
        if let Some(w) = &self.whole {
            return w.verdicts[0] + w.verdicts[1];
        }
        self.pairs
            .par_iter()
            .filter(|p| p.verdict.is_contradiction())
            .count()
    }

    /// Actor summaries, most contradicted first (then most duplicity, most
    /// pairs, and by id), as every printer lists them.
    pub fn actors_by_contradictions(&self) -> Vec<&ActorSummary> {
        let mut actors: Vec<&ActorSummary> = self.actors.iter().collect();
        actors.sort_by(|a, b| {
            (b.contradictions, b.duplicity, b.pairs)
                .cmp(&(a.contradictions, a.duplicity, a.pairs))
                .then_with(|| {
                    self.data.actors[a.actor as usize]
                        .id
                        .cmp(&self.data.actors[b.actor as usize].id)
                })
        });
        actors
    }

    /// How many pairs `f` holds for.
    pub fn count(&self, f: impl Fn(&Pair) -> bool) -> usize {
        self.pairs.iter().filter(|p| f(p)).count()
    }

    /// Whether the pair at `index` in `pairs` was already in the baseline.
    pub fn is_known(&self, index: usize) -> bool {
        self.known.get(index).copied().unwrap_or(false)
    }

    /// The reviewer's decision in force on the pair at `index` in `pairs`:
    /// the last one `reviews/` has on its claim and action, while the pair
    /// still has the verdict (and kind) decided on.
    pub fn decision(&self, index: usize) -> Option<&'d crate::model::Review> {
        self.decision_of(&self.pairs[index])
    }

    /// As [`Report::decision`], for any pair of this report's dataset.
    pub fn decision_of(&self, pair: &Pair) -> Option<&'d crate::model::Review> {
        self.data
            .reviews
            .of(pair.claim, pair.action)
            .filter(|r| applies(r, pair))
    }

    /// Whether the pair at `index` was dismissed: it never trips the gate.
    pub fn is_dismissed(&self, index: usize) -> bool {
        self.decision(index)
            .is_some_and(|r| r.decision == crate::model::Decision::Dismissed)
    }

    /// A warning for each decision of `reviews/` on two records that
    /// exist but are no longer paired (with this report's window), or
    /// whose pair no longer has the verdict decided on. Each is asked of
    /// its pair alone, so the cost grows with the decisions, and filters
    /// and `--top` do not hide a pair from it.
    pub fn stale_reviews(&self) -> Vec<crate::diag::Diagnostic> {
        use crate::diag::{Code, Diagnostic};
        let mut out = Vec::new();
        for r in &self.data.reviews.list {
            let (Some(c), Some(a)) = (r.claim, r.action) else {
                continue;
            };
            let at = r.at.offset as usize;
            let pair = crate::engine::pair::pair_of(
                self.data,
                &self.who,
                &self.settings,
                c as usize,
                a as usize,
            );
            let message = match pair {
                None => format!(
                    "\"{}\" and \"{}\" are no longer paired; this decision no longer applies",
                    r.claim_id.escape_debug(),
                    r.action_id.escape_debug()
                ),
                Some(p) if !applies(r, &p) => format!(
                    "this decision is on a {}, but the pair of \"{}\" and \"{}\" is now {}; it no longer applies",
                    r.verdict.as_str(),
                    r.claim_id.escape_debug(),
                    r.action_id.escape_debug(),
                    match p.verdict.kind() {
                        Some(kind) => format!("a {} ({})", p.verdict.as_str(), kind.as_str()),
                        None => p.verdict.as_str().to_string(),
                    }
                ),
                Some(_) => continue,
            };
            out.push(
                Diagnostic::new(Code::StaleReview, r.at.file, at..at + 1, message).hint(format!(
                    "the records changed since the decision: review the pair again (saydo explain {} {}) or remove the decision",
                    r.claim_id, r.action_id
                )),
            );
        }
        out
    }

    /// What a reader is told of a flagged pair's review: the decision in
    /// force on it (`confirmed`, `dismissed`, `needs-source`), else
    /// `known` when the `--baseline` has it, else `new`; `None` when the
    /// run has neither decisions nor a baseline, and there is nothing to
    /// tell apart.
    pub fn review_mark(&self, index: usize) -> Option<&'static str> {
        if let Some(r) = self.decision(index) {
            return Some(r.decision.as_str());
        }
        if self.is_known(index) {
            return Some("known");
        }
        (self.has_baseline() || !self.data.reviews.is_empty()).then_some("new")
    }

    /// The contradictions by review mark, in the order of
    /// [`REVIEW_MARKS`], of every pair; `None` when the check had neither
    /// a baseline nor decisions.
    pub fn reviewed(&self) -> Option<[usize; 5]> {
        if let Some(w) = &self.whole {
            return w.reviewed;
        }
        self.tally_reviews()
    }

    fn tally_reviews(&self) -> Option<[usize; 5]> {
        if !self.has_baseline() && self.data.reviews.is_empty() {
            return None;
        }
        let mut n = [0usize; 5];
        for (i, p) in self.pairs.iter().enumerate() {
            if p.verdict.is_contradiction()
                && let Some(mark) = self.review_mark(i)
                && let Some(slot) = REVIEW_MARKS.iter().position(|&m| m == mark)
            {
                n[slot] += 1;
            }
        }
        Some(n)
    }

    /// Whether a baseline marked the report's pairs ([`Report::known`]):
    /// given one, and some pairs to mark.
    pub fn has_baseline(&self) -> bool {
        !self.known.is_empty() || self.whole.as_ref().is_some_and(|w| w.baseline)
    }

    /// How many contradictions the baseline knows, of every pair.
    pub fn known_contradictions(&self) -> usize {
        if let Some(w) = &self.whole {
            return w.known;
        }
        self.tally_known()
    }

    fn tally_known(&self) -> usize {
        (0..self.pairs.len())
            .filter(|&i| self.pairs[i].verdict.is_contradiction() && self.is_known(i))
            .count()
    }

    /// Marks the pairs the baseline already has.
    pub fn mark_known(&mut self, baseline: &crate::engine::baseline::Baseline) {
        let data = self.data;
        self.known = self
            .pairs
            .par_iter()
            .map(|p| {
                baseline.contains(
                    &data.claims[p.claim as usize].id,
                    &data.actions[p.action as usize].id,
                    p.verdict.as_str(),
                )
            })
            .collect();
    }
}

/// Whether a decision applies to the pair it names: while the pair has
/// the verdict (and, for a contradiction, the kind) decided on.
fn applies(review: &crate::model::Review, pair: &Pair) -> bool {
    review.verdict.matches(
        pair.verdict.as_str(),
        pair.verdict.kind().map(|k| k.as_str()),
    )
}

/// Records in id order, and each record's position in that order. The
/// bytes every id starts with tell none apart, so the 8 after them, as a
/// number, are sorted along with each record's index: almost every
/// comparison settles on the number, without reading the strings (or, as
/// sorting bare indices did, a table of numbers elsewhere in memory).
pub(crate) fn ranks(records: &[Record]) -> (Vec<u32>, Vec<u32>) {
    let first = records.first().map_or(&[][..], |r| r.id.as_bytes());
    let shared = records
        .par_iter()
        .map(|r| {
            let id = r.id.as_bytes();
            id.iter().zip(first).take_while(|(a, b)| a == b).count()
        })
        .min()
        .unwrap_or(0);
    let key = |id: &str| {
        let rest = &id.as_bytes()[shared..];
        let mut b = [0u8; 8];
        let n = rest.len().min(8);
        b[..n].copy_from_slice(&rest[..n]);
        u64::from_be_bytes(b)
    };
    let mut keyed: Vec<(u64, u32)> = records
        .par_iter()
        .enumerate()
        .map(|(i, r)| (key(&r.id), i as u32))
        .collect();
    keyed.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| records[a.1 as usize].id.cmp(&records[b.1 as usize].id))
    });
    let order: Vec<u32> = keyed.par_iter().map(|k| k.1).collect();
    drop(keyed);
    let mut rank = vec![0u32; records.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    (order, rank)
}

/// What a check works out before it pairs: who acts for whom, the
/// records in id order, and which records the filters keep.
struct Setup {
    chains: Arc<Chains>,
    who: Arc<Principals>,
    claim_order: Vec<u32>,
    claim_rank: Vec<u32>,
    action_order: Vec<u32>,
    action_rank: Vec<u32>,
    keep_claim: Vec<bool>,
    keep_action: Vec<bool>,
    narrowed: bool,
}

impl Setup {
    fn new(data: &Dataset, filters: &Filters) -> Setup {
        // Validation guarantees acts_for has no cycle and chains fit.
        let chains = Chains::build(&data.actors).unwrap_or_default();
        let who = Principals::compute(data, &chains);
        let (claim_order, claim_rank) = ranks(&data.claims);
        let (action_order, action_rank) = ranks(&data.actions);
        let narrowed = *filters != Filters::default();
        // Without filters every record is kept, and nothing need be read.
        let kept = |records: &[Record], principals: &Sets| -> Vec<bool> {
            if !narrowed {
                return vec![true; records.len()];
            }
            (records, (0..records.len()))
                .into_par_iter()
                .map(|(r, i)| keeps(filters, &r.date, principals.get(i)))
                .collect()
        };
        let keep_claim = kept(&data.claims, &who.claim_actor);
        let keep_action = kept(&data.actions, &who.action_actor);
        Setup {
            chains: Arc::new(chains),
            who: Arc::new(who),
            claim_order,
            claim_rank,
            action_order,
            action_rank,
            keep_claim,
            keep_action,
            narrowed,
        }
    }

    /// Drops the pairs the filters do not keep.
    fn keep_pairs(&self, data: &Dataset, filters: &Filters, pairs: &mut Vec<Pair>) {
        if !self.narrowed {
            return;
        }
        pairs.retain(|p| {
            let (c, a) = (p.claim as usize, p.action as usize);
            let by_record = match filters.actor {
                Some(_) => self.keep_claim[c] || self.keep_action[a],
                None => self.keep_claim[c],
            };
            let by_topic = filters
                .topic
                .is_none_or(|t| shared_topics(data, c, a).contains(&t));
            by_record && by_topic
        });
    }

    /// The results of the claims of `order` (a run of `claim_order` from
    /// `offset` on) from their pairs, those the filters keep.
    fn results(
        &self,
        data: &Dataset,
        filters: &Filters,
        pairs: &[Pair],
        (order, offset): (&[u32], usize),
    ) -> Vec<ClaimResult> {
        let mut results = claim_results(pairs, order, &self.claim_rank, offset);
        if self.narrowed {
            results.retain(|r| {
                let c = r.claim as usize;
                let topical = filters
                    .topic
                    .is_none_or(|t| data.claims[c].topics.contains(&t));
                (self.keep_claim[c] && topical) || r.pairs > 0
            });
        }
        results
    }

    /// The report of `pairs` (all of them, in report order): the claims'
    /// results (only those of claims with a pair when `paired_claims_only`)
    /// and the actors' summaries.
    fn finish(
        self,
        data: &Dataset,
        settings: Settings,
        filters: Filters,
        pairs: Vec<Pair>,
        paired_claims_only: bool,
    ) -> Report<'_> {
        let mut results = self.results(data, &filters, &pairs, (&self.claim_order, 0));
        if paired_claims_only {
            results.retain(|r| r.pairs > 0);
        }
        let counts = pair_counts(data, &self.who, &pairs);
        let actors = summaries(data, &self, counts);
        let paired_actions = paired_in_id_order(&pairs, &self.action_order);
        self.report(
            data,
            settings,
            filters,
            (pairs, results, actors),
            paired_actions,
        )
    }

    /// The report of these pairs, results and summaries.
    fn report<'d>(
        self,
        data: &'d Dataset,
        settings: Settings,
        filters: Filters,
        (pairs, claims, actors): (Vec<Pair>, Vec<ClaimResult>, Vec<ActorSummary>),
        paired_actions: Vec<u32>,
    ) -> Report<'d> {
        Report {
            data,
            settings,
            filters,
            chains: self.chains,
            who: self.who,
            pairs,
            claims,
            actors,
            known: Vec::new(),
            actions_kept: if self.narrowed {
                self.keep_action.iter().filter(|&&k| k).count()
            } else {
                data.actions.len()
            },
            action_rank: self.action_rank,
            paired_actions,
            whole: None,
        }
    }
}

/// The `n` pairs of the check that come first by `key` (contradictions
/// first, then the most severe), into `kept`, without pairing every claim.
///
/// A pair's severity is at most its strength, `(1 + |stance| + |effect|) /
/// 21`, as the other factors are at most 1; with `|effect| <= 10`, a
/// claim's stance alone bounds the severity of all its pairs. Claims are
/// paired from the highest bound down, those that can contradict at all
/// (a stance that takes a side) first. Once `n` contradictions are kept, a
/// claim that cannot contradict, or whose bound is below the least severe
/// one kept, cannot place a pair among them, and neither can any claim
/// after it: pairing stops. On dense data the most severe pairs are few
/// claims' pairs, and most claims are never paired.
fn top_overall<K: Ord>(
    data: &Dataset,
    settings: &Settings,
    setup: &Setup,
    filters: &Filters,
    (n, first_run): (usize, usize),
    kept: &mut Vec<Pair>,
    key: impl Fn(&Pair) -> K + Sync,
) {
    if n == 0 {
        return;
    }
    let bound = |c: u32| -> (bool, u16) {
        let stance = data.claims[c as usize].score;
        let can_contradict = stance != 0.0 && stance.abs() >= settings.threshold;
        let most = crate::engine::score::strength(stance, 10.0);
        (
            can_contradict,
            ((most * 10_000.0).ceil() as u16).min(10_000),
        )
    };
    let mut claims: Vec<(std::cmp::Reverse<(bool, u16)>, u32)> = setup
        .claim_order
        .par_iter()
        .map(|&c| (std::cmp::Reverse(bound(c)), c))
        .collect();
    claims.par_sort_unstable();
    let pairing = pair::Pairing::new(
        data,
        &setup.who,
        settings,
        (&setup.action_order, &setup.action_rank),
    );
    // Whether a claim with this bound can still place a pair among those
    // kept: not once `n` contradictions are kept and the bound is below
    // the least severe of them (equal could still win on order).
    let may_place = |kept: &[Pair], (can_contradict, most): (bool, u16)| {
        let worst = kept.iter().max_by(|a, b| key(a).cmp(&key(b)));
        match worst {
            Some(w) if kept.len() >= n && w.verdict.is_contradiction() => {
                can_contradict && most >= w.severity_units
            }
            _ => true,
        }
    };
    let (mut start, mut run) = (0, first_run.max(1));
    let (mut found, mut spare) = (Vec::new(), Vec::new());
    while start < claims.len() {
        let end = (start + run).min(claims.len());
        let end = start
            + claims[start..end].partition_point(|&(std::cmp::Reverse(b), _)| may_place(kept, b));
        if end == start {
            break;
        }
        let order: Vec<u32> = claims[start..end].iter().map(|&(_, c)| c).collect();
        found.clear();
        pair::Found::reusing(&pairing, &order, &mut spare).append_to(&mut found, &mut spare);
        setup.keep_pairs(data, filters, &mut found);
        kept.extend_from_slice(&found);
        if kept.len() > n {
            kept.select_nth_unstable_by(n - 1, |a, b| key(a).cmp(&key(b)));
            kept.truncate(n);
        }
        start = end;
        run = (run * 2).min(1 << 16);
    }
}

/// Runs the check on a validated dataset.
pub fn check(data: &Dataset, settings: Settings, filters: Filters) -> Report<'_> {
    let setup = Setup::new(data, &filters);
    // Pairs come out ordered by claim id, then action id.
    let mut pairs = pair::pair_all(
        data,
        &setup.who,
        &settings,
        &setup.claim_order,
        (&setup.action_order, &setup.action_rank),
    );
    setup.keep_pairs(data, &filters, &mut pairs);
    setup.finish(data, settings, filters, pairs, false)
}

/// Runs the check a run of claims at a time, for printers that write
/// pairs as they come (`jsonl`, `csv`): memory holds the pairs of one run
/// of claims (in id order), about `pairs_per_run` of them, not every pair.
/// The first run has 2,048 claims (fewer when `pairs_per_run` is
/// smaller); the next ones follow the pairs a claim has had so far, and at
/// most double, unless all the rest would make one run. Runs are
/// handed on once they hold `pairs_per_run` pairs.
///
/// `each` is handed the report of each run in turn: its `pairs` (with
/// `paired_actions`) are the run's, its `claims` and `actors` empty. The
/// report returned at the end holds no pairs, and the claims' results and
/// the actors' summaries of all of them, as [`check`] has them.
pub fn check_in_runs<'d>(
    data: &'d Dataset,
    settings: Settings,
    filters: Filters,
    pairs_per_run: usize,
    mut each: impl FnMut(&mut Report<'d>) -> std::io::Result<()>,
) -> std::io::Result<Report<'d>> {
    let setup = Setup::new(data, &filters);
    let mut report = Report {
        data,
        settings,
        filters: filters.clone(),
        chains: Arc::clone(&setup.chains),
        who: Arc::clone(&setup.who),
        pairs: Vec::new(),
        claims: Vec::new(),
        actors: Vec::new(),
        known: Vec::new(),
        actions_kept: 0,
        action_rank: Vec::new(),
        paired_actions: Vec::new(),
        whole: None,
    };
    let (mut results, mut counts) = (Vec::new(), Vec::new());
    in_runs(
        data,
        &settings,
        &setup,
        &filters,
        pairs_per_run,
        |pairs, run| {
            results.extend(setup.results(data, &filters, pairs, run));
            add_counts(&mut counts, pair_counts(data, &setup.who, pairs));
            report.paired_actions = paired_in_id_order(pairs, &setup.action_order);
            report.pairs = std::mem::take(pairs);
            report.known.clear();
            let handed = each(&mut report);
            // Freed before the next run is paired.
            report.pairs = Vec::new();
            report.paired_actions = Vec::new();
            handed
        },
    )?;
    let actors = summaries(data, &setup, counts);
    Ok(setup.report(
        data,
        settings,
        filters,
        (Vec::new(), results, actors),
        Vec::new(),
    ))
}

/// Pairs the claims of `setup` a run at a time (see [`check_in_runs`]),
/// handing `each` the pairs the filters keep, with the run's claims and
/// where they start in id order.
fn in_runs<E>(
    data: &Dataset,
    settings: &Settings,
    setup: &Setup,
    filters: &Filters,
    pairs_per_run: usize,
    mut each: impl FnMut(&mut Vec<Pair>, (&[u32], usize)) -> Result<(), E>,
) -> Result<(), E> {
    let mut pairing = Some(pair::Pairing::new(
        data,
        &setup.who,
        settings,
        (&setup.action_order, &setup.action_rank),
    ));
    let n = setup.claim_order.len();
    // Pairs found and not yet handed on: those of the claims from
    // `from` to `start`. They are handed on once there are
    // `pairs_per_run` of them, or at the end, so a check with fewer pairs
    // hands them all on at once, as `check` would.
    let (mut pending, mut from, mut spare) = (Vec::new(), 0, Vec::new());
    let (mut start, mut claims, mut paired) = (0, pairs_per_run.clamp(1, 2048), 0usize);
    while start < n {
        let end = (start + claims).min(n);
        let Some(indexes) = &pairing else {
            break;
        };
        let before = pending.len();
        let found = pair::Found::reusing(indexes, &setup.claim_order[start..end], &mut spare);
        if end == n {
            // The last run: the indexes are freed before its pairs are
            // put in order and handed on.
            pairing = None;
        }
        found.append_to(&mut pending, &mut spare);
        paired += pending.len() - before;
        // (The pairs before were kept by the filters already.)
        setup.keep_pairs(data, filters, &mut pending);
        // The next run: as many claims as have had about `pairs_per_run`
        // pairs so far, at most twice as many as this one (the claims
        // after may have more pairs each); or all the rest, when at the
        // rate of the pairs so far they would have no more than that.
        let per_claim = paired as f64 / end as f64;
        let rest = (n - end) as f64 * per_claim;
        claims = if paired > 0 && rest <= pairs_per_run as f64 {
            n - end
        } else {
            let estimate = (pairs_per_run as f64 / per_claim.max(1e-9)) as usize;
            estimate.min(claims * 2)
        }
        .clamp(1, 1 << 22);
        start = end;
        if pending.len() < pairs_per_run && end < n {
            continue;
        }
        // What is handed on and the next run's pairing get the memory
        // of the blocks' vectors and of this run's pairs: kept for reuse,
        // they raised the dense set's peak by a run's pairs.
        spare = Vec::new();
        each(&mut pending, (&setup.claim_order[from..end], from))?;
        pending = Vec::new();
        from = end;
    }
    Ok(())
}

/// Runs the check a run of claims at a time, as [`check_in_runs`] does,
/// and keeps only the `k` most severe contradictions (ranked as
/// [`Report::most_severe`] ranks them), with the counts of every pair in
/// [`Report::whole`]: what a table or Markdown report shows, in memory
/// that grows with `k` and one run of pairs, not with every pair. The
/// claims' results and the actors' summaries are of every pair, as
/// [`check`] has them. `each` is handed each run's report first, to mark
/// what a baseline knows or to gate on its pairs.
pub fn check_most_severe<'d>(
    data: &'d Dataset,
    settings: Settings,
    filters: Filters,
    (k, pairs_per_run): (usize, usize),
    mut each: impl FnMut(&mut Report<'d>) -> std::io::Result<()>,
) -> std::io::Result<Report<'d>> {
    // The pairs kept, each with whether the baseline knows it and its
    // place among every pair (report order, which breaks ties).
    let mut kept: Vec<Kept> = Vec::new();
    let (mut whole, mut before) = (Whole::default(), 0u64);
    let paired: Vec<std::sync::atomic::AtomicBool> = (0..data.actions.len())
        .map(|_| std::sync::atomic::AtomicBool::new(false))
        .collect();
    let mut report = check_in_runs(data, settings, filters, pairs_per_run, |run| {
        each(run)?;
        whole.baseline |= run.has_baseline();
        whole.pairs += run.pairs.len();
        let verdicts = run
            .pairs
            .par_chunks(1 << 16)
            .map(|chunk| {
                let mut n = [0usize; 5];
                chunk.iter().for_each(|p| n[verdict_slot(p.verdict)] += 1);
                n
            })
            .reduce(|| [0; 5], |a, b| std::array::from_fn(|i| a[i] + b[i]));
        whole
            .verdicts
            .iter_mut()
            .zip(verdicts)
            .for_each(|(w, n)| *w += n);
        if run.has_baseline() {
            whole.known += run.tally_known();
        }
        if let Some(n) = run.tally_reviews() {
            let sum = whole.reviewed.get_or_insert([0; 5]);
            sum.iter_mut().zip(n).for_each(|(s, n)| *s += n);
        }
        run.paired_actions
            .par_iter()
            .for_each(|&a| paired[a as usize].store(true, Ordering::Relaxed));
        // Once `k` are kept, a pair must be more severe than the least
        // severe of them: one as severe comes later in report order, and
        // would lose the tie.
        let least = (kept.len() >= k).then(|| kept.iter().map(|x| x.0.severity_units).min());
        let candidates: Vec<usize> = (0..run.pairs.len())
            .into_par_iter()
            .filter(|&i| {
                let p = &run.pairs[i];
                p.verdict.is_contradiction() && least.flatten().is_none_or(|w| p.severity_units > w)
            })
            .collect();
        kept.extend(
            candidates
                .into_iter()
                .map(|i| (run.pairs[i], run.is_known(i), before + i as u64)),
        );
        before += run.pairs.len() as u64;
        keep_most_severe(&mut kept, k);
        Ok(())
    })?;
    whole.paired_actions = paired
        .par_iter()
        .filter(|p| p.load(Ordering::Relaxed))
        .count();
    kept.sort_unstable_by_key(|x| x.2);
    report.known = if whole.baseline {
        kept.iter().map(|x| x.1).collect()
    } else {
        Vec::new()
    };
    report.pairs = kept.into_iter().map(|x| x.0).collect();
    report.whole = Some(whole);
    Ok(report)
}

/// A pair [`check_most_severe`] keeps: with whether the baseline knows
/// it, and its place among every pair of the check (report order).
type Kept = (Pair, bool, u64);

/// Keeps the `k` most severe pairs of `kept`, ties to the first in
/// report order.
fn keep_most_severe(kept: &mut Vec<Kept>, k: usize) {
    if kept.len() > k {
        if k > 0 {
            kept.select_nth_unstable_by_key(k - 1, |x| {
                (std::cmp::Reverse(x.0.severity_units), x.2)
            });
        }
        kept.truncate(k);
    }
}

/// The report of a check another engine ran (`check --engine`): its
/// pairs (in report order, unfiltered), every claim's result (in id
/// order) and the summaries of the actors with a record or a pair (in
/// id order), with who acts for whom worked out here, as printers and
/// reasons need it.
pub fn assembled(
    data: &Dataset,
    settings: Settings,
    pairs: Vec<Pair>,
    claims: Vec<ClaimResult>,
    actors: Vec<ActorSummary>,
) -> Report<'_> {
    let filters = Filters::default();
    let setup = Setup::new(data, &filters);
    let paired_actions = paired_in_id_order(&pairs, &setup.action_order);
    setup.report(
        data,
        settings,
        filters,
        (pairs, claims, actors),
        paired_actions,
    )
}

impl ActorSummary {
    /// The summary of `actor` with nothing counted yet.
    pub fn empty(actor: ActorIx) -> ActorSummary {
        ActorSummary {
            actor,
            ..ActorSummary::default()
        }
    }

    /// Sets the pairs' counts by verdict and their severities' sums from
    /// `c`; the consistency index is the caller's.
    pub(crate) fn set_counts(&mut self, c: &PairCounts) {
        self.pairs = c.pairs;
        self.contradictions = c.contradictions;
        self.duplicity = c.duplicity;
        self.bluster = c.bluster;
        self.consistent = c.consistent;
        self.reciprocal = c.reciprocal;
        self.neutral = c.neutral;
        self.sev_consistent = c.sev_consistent as f64 / 10_000.0;
        self.sev_contradiction = c.sev_contradiction as f64 / 10_000.0;
    }
}

/// Runs the check keeping only the most severe pairs, as `top` says. The
/// report is that of the pairs kept: its claims are those with a pair
/// kept, and its actors' pair counts are over the pairs kept (their
/// claims and actions over every record the filters keep), as a filter
/// narrows a report.
pub fn check_top(data: &Dataset, settings: Settings, filters: Filters, top: Top) -> Report<'_> {
    /// Claims paired at a time at first (by `--top N`); later runs are
    /// larger.
    const FIRST_RUN: usize = 1 << 10;
    check_top_in_runs(data, settings, filters, top, FIRST_RUN)
}

/// [`check_top`], pairing `first_run` claims at a time at first (tests
/// take runs small enough for small datasets to stop early).
fn check_top_in_runs(
    data: &Dataset,
    settings: Settings,
    filters: Filters,
    top: Top,
    first_run: usize,
) -> Report<'_> {
    let setup = Setup::new(data, &filters);
    let (claim_rank, action_rank) = (&setup.claim_rank, &setup.action_rank);
    // Contradictions first, then by severity, then in report order.
    let key = |p: &Pair| {
        (
            !p.verdict.is_contradiction(),
            std::cmp::Reverse(p.severity_units),
            claim_rank[p.claim as usize],
            action_rank[p.action as usize],
        )
    };
    let best = |pairs: &mut Vec<Pair>, n: usize| {
        if pairs.len() > n {
            if n > 0 {
                pairs.select_nth_unstable_by_key(n - 1, key);
            }
            pairs.truncate(n);
        }
    };
    let mut kept: Vec<Pair> = Vec::new();
    match top {
        Top::Overall(n) => {
            let runs = (n, first_run);
            top_overall(data, &settings, &setup, &filters, runs, &mut kept, key);
        }
        Top::PerClaim(n) => {
            let done: Result<(), std::convert::Infallible> =
                in_runs(data, &settings, &setup, &filters, 4 << 20, |pairs, _| {
                    for claim in pairs.chunk_by(|a, b| a.claim == b.claim) {
                        let mut mine = claim.to_vec();
                        best(&mut mine, n);
                        kept.extend_from_slice(&mine);
                    }
                    Ok(())
                });
            let Ok(()) = done;
        }
    }
    kept.par_sort_unstable_by_key(|p| {
        (claim_rank[p.claim as usize], action_rank[p.action as usize])
    });
    setup.finish(data, settings, filters, kept, true)
}

/// Every claim's verdict and counts, in id order (`claim_order` lists
/// claims in id order, `claim_rank` is its inverse). Pairs come in id
/// order too, so each claim's pairs are one run, found by a binary search
/// per block of claims: blocks are counted in parallel.
fn claim_results(
    pairs: &[Pair],
    claim_order: &[u32],
    claim_rank: &[u32],
    offset: usize,
) -> Vec<ClaimResult> {
    let mut results: Vec<ClaimResult> = claim_order
        .iter()
        .map(|&claim| ClaimResult::untested(claim))
        .collect();
    const BLOCK: usize = 4096;
    let rank_of = |p: &Pair| claim_rank[p.claim as usize] as usize - offset;
    results
        .par_chunks_mut(BLOCK)
        .enumerate()
        .for_each(|(b, block)| {
            let first = pairs.partition_point(|p| rank_of(p) < b * BLOCK);
            let mut run = pairs[first..].iter().peekable();
            for (r, rank) in block.iter_mut().zip(b * BLOCK..) {
                while let Some(p) = run.next_if(|p| rank_of(p) == rank) {
                    r.pairs += 1;
                    match p.verdict {
                        Verdict::Contradiction(_) => {
                            r.contradictions += 1;
                            r.worst = Some(r.worst.map_or(p.severity(), |w| w.max(p.severity())));
                        }
                        Verdict::Consistent => r.consistent += 1,
                        Verdict::Reciprocal => r.reciprocal += 1,
                        Verdict::Neutral => r.neutral += 1,
                    }
                }
                r.verdict = ClaimVerdict::from_counts(r.contradictions, r.consistent);
            }
        });
    results
}

/// The actions in at least one of `pairs`, in id order (`action_order`
/// lists every action in id order). Pairs reach actions at random, so
/// they mark a byte per action, a small table that stays in cache; both
/// passes run in parallel (on one thread, the other core stayed idle).
fn paired_in_id_order(pairs: &[Pair], action_order: &[u32]) -> Vec<u32> {
    let paired = crate::perf::parallel::marks(
        action_order.len(),
        pairs.par_iter().map(|p| p.action as usize),
    );
    action_order
        .par_iter()
        .copied()
        .filter(|&a| paired[a as usize].load(Ordering::Relaxed))
        .collect()
}

/// Whether a record passes the actor and date filters.
fn keeps(filters: &Filters, date: &PartialDate, principals: &[ActorIx]) -> bool {
    let actor_ok = filters
        .actor
        .is_none_or(|x| principals.binary_search(&x).is_ok());
    let since_ok = filters.since.is_none_or(|s| date.last >= s.first);
    let until_ok = filters.until.is_none_or(|u| date.first <= u.last);
    actor_ok && since_ok && until_ok
}

/// Topics a pair is about: those the two share, or all the action's when
/// the claim is general (has no topics).
pub(crate) fn shared_topics(data: &Dataset, c: usize, a: usize) -> Vec<TopicIx> {
    let claim = &data.claims[c];
    let action = &data.actions[a];
    if claim.topics.is_empty() {
        action.topics.to_vec()
    } else {
        pair::intersection(&claim.topics, &action.topics)
    }
}

fn summaries(data: &Dataset, setup: &Setup, counts: Vec<PairCounts>) -> Vec<ActorSummary> {
    let (who, narrowed) = (&setup.who, setup.narrowed);
    let (keep_claim, keep_action) = (&setup.keep_claim, &setup.keep_action);
    let n = data.actors.len();
    let mut s: Vec<ActorSummary> = (0..n as ActorIx)
        .map(|actor| ActorSummary {
            actor,
            ..ActorSummary::default()
        })
        .collect();
    for (c, &keep) in keep_claim.iter().enumerate() {
        if !narrowed || keep {
            for &p in who.claim_actor.get(c) {
                s[p as usize].claims += 1;
            }
        }
    }
    for (a, &keep) in keep_action.iter().enumerate() {
        if !narrowed || keep {
            for &p in who.action_actor.get(a) {
                s[p as usize].actions += 1;
            }
        }
    }
    for (row, c) in s.iter_mut().zip(&counts) {
        row.set_counts(c);
    }
    for row in &mut s {
        row.consistency = consistency_index(row.sev_consistent, row.sev_contradiction);
    }
    s.retain(|r| r.claims + r.actions + r.pairs > 0);
    s.sort_by(|a, b| {
        data.actors[a.actor as usize]
            .id
            .cmp(&data.actors[b.actor as usize].id)
    });
    s
}

/// Each actor's pair counts over `pairs` (a pair counts once for each
/// actor either record answers to), to be added up across runs of pairs.
fn pair_counts(data: &Dataset, who: &Principals, pairs: &[Pair]) -> Vec<PairCounts> {
    let n = data.actors.len();
    // Counted in parallel; severities are summed as integers (they carry
    // four decimals) so the totals do not depend on how work was split.
    pairs
        .par_chunks(1 << 14)
        .fold(
            || vec![PairCounts::default(); n],
            |mut acc, chunk| {
                // A pair counts once for each actor either record answers
                // to. Pairs come by claim: a run of one claim's pairs is
                // counted once for the claim's principals, and each pair
                // for its action's other principals.
                let mut start = 0;
                while start < chunk.len() {
                    let claim = chunk[start].claim;
                    let end = start
                        + chunk[start..]
                            .iter()
                            .take_while(|p| p.claim == claim)
                            .count();
                    let said_for = who.claim_actor.get(claim as usize);
                    let mut run = PairCounts::default();
                    for i in start..end {
                        // Actions are scattered: ask for their sets ahead.
                        if let Some(next) = chunk.get(i + 16) {
                            who.action_actor.prefetch_offsets(next.action as usize);
                        }
                        if let Some(next) = chunk.get(i + 8) {
                            who.action_actor.prefetch_items(next.action as usize);
                        }
                        let p = &chunk[i];
                        run.add(p);
                        for &x in who.action_actor.get(p.action as usize) {
                            if !said_for.contains(&x) {
                                acc[x as usize].add(p);
                            }
                        }
                    }
                    for &x in said_for {
                        acc[x as usize].merge(&run);
                    }
                    start = end;
                }
                acc
            },
        )
        .reduce(
            || vec![PairCounts::default(); n],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(&b) {
                    x.merge(y);
                }
                a
            },
        )
}

/// Adds the counts of a run of pairs to those before it.
fn add_counts(total: &mut Vec<PairCounts>, run: Vec<PairCounts>) {
    if total.is_empty() {
        *total = run;
    } else {
        for (x, y) in total.iter_mut().zip(&run) {
            x.merge(y);
        }
    }
}

/// Say-do consistency: +1 when every judged pair is consistent, −1 when
/// every one contradicts, weighted by severity; `None` with neither.
/// Rounded to four decimals.
pub(crate) fn consistency_index(consistent: f64, contradiction: f64) -> Option<f64> {
    let total = consistent + contradiction;
    (total > 0.0).then(|| (((consistent - contradiction) / total) * 10_000.0).round() / 10_000.0)
}

#[cfg(test)]
mod tests;
