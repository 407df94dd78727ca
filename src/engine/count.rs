//! Each claim's pairs counted without being held: how many, of which
//! verdict, and how severe in all (`saydo trend`).
//!
//! Dense event data gives hundreds of millions of pairs. A report that
//! only counts them need not find them in order, sort them or keep them:
//! [`Counting`] visits each claim's pairs once, in whatever order its
//! windows give them, and adds them up. They are the pairs pairing finds
//! ([`super::pair`]: the same index keys, windows and rules), judged by the
//! same functions ([`score::judge_sides`] on the sides words and deed
//! take, [`pair::severity_units`]), so the counts and the severity units
//! are the ones the pairs themselves give; the trend's property test holds
//! the two together.
//!
//! What makes it faster than finding the pairs (on the dense set in
//! BENCHMARKS.md, 6.0 s of pairing became about 1.2):
//! - each index row holds what counting reads of the action ([`Row`], 16
//!   bytes) in its place, so a window is read straight through instead
//!   of gathered from all over memory;
//! - a key's actions are grouped by their target's principals
//!   ([`Aimed`]), and a claim with a target reads only the groups of its
//!   target's principals and of no target: on dense data most of a window
//!   is aimed elsewhere (a claim without a target reads every group);
//! - candidates are not sorted: an action can stand in two of a claim's
//!   windows (one for each principal, topic and target principal the two
//!   share), so a claim that reads more than one marks the actions it has
//!   counted, by their place in time ([`Row::slot`]: a claim's actions
//!   start in its window, so its marks lie close together; a byte each),
//!   and skips them the second time; keeping or skipping is done without
//!   a branch;
//! - words or a deed too mild to take a side make a neutral pair, counted
//!   without a verdict or a severity (whether a deed takes one is worked
//!   out once, in its row); the other pairs look their verdicts up in a
//!   table made per claim from [`score::judge_sides`].

use std::sync::{Mutex, PoisonError};

use super::index::{Aimed, Bounds, DAY_FLIP, Dated, keys_of};
use super::pair::{self, Pair};
use super::principals::Principals;
use super::rules::{Settings, intersects};
use super::score::{self, Kind, Order, Side, Verdict};
use crate::date::{Day, PartialDate};
use crate::model::{ActorIx, Attribution, Dataset, Record};
use crate::perf::severity::{self, Row};
use crate::perf::{prefetch, prefetch_lines};
use rayon::prelude::*;

/// Pair counts of a claim, an actor or a cell; severities in units of
/// 0.0001, so sums are exact in any order.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct PairCounts {
    pub(crate) pairs: u32,
    pub(crate) contradictions: u32,
    pub(crate) duplicity: u32,
    pub(crate) bluster: u32,
    pub(crate) consistent: u32,
    pub(crate) reciprocal: u32,
    pub(crate) neutral: u32,
    pub(crate) sev_consistent: u64,
    pub(crate) sev_contradiction: u64,
}

impl PairCounts {
    pub(crate) fn add(&mut self, p: &Pair) {
        let units = u64::from(p.severity_units);
        self.pairs += 1;
        match p.verdict {
            Verdict::Contradiction(kind) => {
                self.contradictions += 1;
                self.sev_contradiction += units;
                match kind {
                    Kind::Duplicity => self.duplicity += 1,
                    Kind::Bluster => self.bluster += 1,
                }
            }
            Verdict::Consistent => {
                self.consistent += 1;
                self.sev_consistent += units;
            }
            Verdict::Reciprocal => self.reciprocal += 1,
            Verdict::Neutral => self.neutral += 1,
        }
    }

    pub(crate) fn merge(&mut self, o: &PairCounts) {
        self.pairs += o.pairs;
        self.contradictions += o.contradictions;
        self.duplicity += o.duplicity;
        self.bluster += o.bluster;
        self.consistent += o.consistent;
        self.reciprocal += o.reciprocal;
        self.neutral += o.neutral;
        self.sev_consistent += o.sev_consistent;
        self.sev_contradiction += o.sev_contradiction;
    }
}

/// The actions indexed for counting: by (principal, topic) for claims
/// with topics, by principal for those without, each built only when
/// some claim reads it, each key's actions grouped by their target's
/// principals ([`Aimed`]) when some claim that reads it has a target.
pub(crate) struct Counting<'a> {
    data: &'a Dataset,
    who: &'a Principals,
    settings: &'a Settings,
    by_topic: Aimed<Row>,
    by_actor: Aimed<Row>,
    /// The distinct effects, by their numbers ([`Row::effect`]).
    effects: Vec<f64>,
    weights: Weights,
    /// The action at each place in time ([`Row::slot`]).
    actions_by_slot: Vec<u32>,
    near: score::Proximities,
}

impl<'a> Counting<'a> {
    /// Indexes the actions of `data`; `action_order` lists them by rank
    /// (their place in id order) and `action_rank` is its inverse.
    pub(crate) fn new(
        data: &'a Dataset,
        who: &'a Principals,
        settings: &'a Settings,
        (action_order, action_rank): (&[u32], &[u32]),
    ) -> Self {
        // The index rows name actions by their place in time (their
        // slot), in which order the groups keep them.
        let actions_by_slot = in_time(data, action_order, action_rank);
        let mut slots = vec![0; actions_by_slot.len()];
        for (slot, &a) in actions_by_slot.iter().enumerate() {
            slots[a as usize] = slot as u32;
        }
        let effects = Effects::of(&data.actions);
        let rows = Row::by_slot(data, who, &actions_by_slot, &effects, settings.threshold);
        // Whether some claim with topics (or without) reads an index, and
        // whether some such claim has a target (else its actions need no
        // groups by target: one group holds them all).
        let wanted = |topics: bool| {
            let claims = data
                .claims
                .par_iter()
                .filter(|c| c.topics.is_empty() != topics);
            (
                claims.clone().any(|_| true),
                claims.any(|c| c.target.is_some()),
            )
        };
        // One index after the other: the places of the first are freed
        // before the second's are made.
        let index = |topics: bool| {
            let (wanted, aimed) = wanted(topics);
            let bounds = Bounds {
                principals: data.actors.len() as u32,
                topics: if topics { data.topics.len() as u32 } else { 1 },
                numbers: rows.len() as u32,
            };
            let none = [Aimed::<Row>::NONE];
            Aimed::new(
                if wanted { data.actions.len() } else { 0 },
                bounds,
                |a, add| {
                    let rec = &data.actions[a];
                    if topics && rec.topics.is_empty() {
                        return;
                    }
                    let groups = if aimed && rec.target.is_some() {
                        who.action_target.get(a)
                    } else {
                        &none[..]
                    };
                    let topics = if topics { &rec.topics[..] } else { &[] };
                    // (Without topics, keys by principal alone.)
                    for key in keys_of(who.action_actor.get(a), topics) {
                        for &q in groups {
                            add(key, q, slots[a]);
                        }
                    }
                },
                |slot| rows[slot as usize],
            )
        };
        let by_topic = index(true);
        let by_actor = index(false);
        Counting {
            data,
            who,
            settings,
            by_topic,
            by_actor,
            effects: effects.values,
            weights: Weights::new(),
            actions_by_slot,
            near: score::Proximities::new(settings.lookback.max(settings.horizon)),
        }
    }

    /// Every claim's pair counts, by claim.
    pub(crate) fn per_claim(&self) -> Vec<PairCounts> {
        const BLOCK: usize = 1024;
        let n = self.data.claims.len();
        let all: Vec<u32> = (0..n as u32).collect();
        let order = pair::by_locality(
            self.data,
            self.who,
            self.by_topic.index(),
            self.by_actor.index(),
            &all,
        );
        // Room for one thread at a time, handed from block to block.
        let spare: Mutex<Vec<Room<'_>>> = Mutex::new(Vec::new());
        let counted: Vec<Vec<PairCounts>> = order
            .par_chunks(BLOCK)
            .map(|block| {
                let taken = spare.lock().unwrap_or_else(PoisonError::into_inner).pop();
                let mut room = taken.unwrap_or_else(|| Room {
                    marks: Marks::new(self.data.actions.len()),
                    windows: Vec::new(),
                    kept: Vec::new(),
                    strengths: Vec::new(),
                });
                let counts = block
                    .iter()
                    .map(|&c| self.count(c as usize, &mut room))
                    .collect();
                spare
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(room);
                counts
            })
            .collect();
        let mut by_claim = vec![PairCounts::default(); n];
        for (block, counts) in order.chunks(BLOCK).zip(counted) {
            for (&c, counts) in block.iter().zip(counts) {
                by_claim[c as usize] = counts;
            }
        }
        by_claim
    }

    /// The pair counts of claim `c`, in two passes: the first keeps the
    /// actions of its windows that were not met in an earlier window,
    /// without a branch; the second judges those kept. A claim with a
    /// target reads, under each key, the groups of its target's
    /// principals and of no target ([`Aimed`]): only the actions the
    /// target rule lets through; a claim without one reads every group.
    fn count<'s>(&'s self, c: usize, room: &mut Room<'s>) -> PairCounts {
        let Counting {
            data,
            who,
            settings,
            by_topic,
            by_actor,
            effects,
            weights,
            actions_by_slot,
            near,
        } = self;
        let claim = &data.claims[c];
        let (from, to) = settings.window_of(claim);
        let principals = who.claim_actor.get(c);
        let targets = claim.target.is_some().then(|| who.claim_target.get(c));
        let index = if claim.topics.is_empty() {
            by_actor
        } else {
            by_topic
        };
        let Room {
            marks,
            windows,
            kept,
            strengths,
        } = room;
        windows.clear();
        let mut look = |key| match targets {
            None => windows.extend(index.all_rows(key, from, to)),
            Some(qs) => windows.extend(
                qs.iter()
                    .chain([&Aimed::<Row>::NONE])
                    .map(|&q| index.rows(key, q, from, to)),
            ),
        };
        keys_of(principals, &claim.topics).for_each(&mut look);
        windows.retain(|w| !w.is_empty());
        let Some(first) = windows.first().map(|w| &w[0]) else {
            return PairCounts::default();
        };
        // Each window's first rows asked for at once, not as the reading
        // comes to them: on dense data a claim reads a dozen windows.
        for w in windows.iter() {
            prefetch(&w[0]);
            if let Some(row) = w.get(4) {
                prefetch(row);
            }
        }
        let total = windows.iter().map(|w| w.len()).sum::<usize>();
        // Room for every row; what it held before is written over (filled
        // afresh for each claim, it was a twentieth of counting).
        if kept.len() < total {
            kept.resize(total, first);
        }
        // Deeds that take no side make neutral pairs, counted without
        // judging them: on dense data, about a third of the pairs of
        // words that take one.
        let room = &mut kept[..total];
        let (n, neutral) = if windows.len() > 1 {
            let mark = marks.fresh();
            keep::<true>(windows, &mut marks.by_slot, mark, room)
        } else {
            keep::<false>(windows, &mut [], 0, room)
        };
        let kept = &kept[..n];
        let stance = score::side(claim.score, settings.threshold);
        let mut tally = Tally::default();
        tally.pairs[Slot::Neutral as usize] = neutral;
        if stance == Side::Neither {
            // Words that take no side make every pair neutral.
            tally.pairs[Slot::Neutral as usize] += n as u32;
            return tally.counts();
        }
        // The verdict of a pair of this claim, by the side its deed takes
        // (warm or not: every deed kept takes one) and whether the deed
        // answers the claim's target.
        let slots = [Side::Hostile, Side::Warm].map(|effect| {
            [false, true].map(|answers| Slot::of(score::judge_sides(stance, effect, answers)))
        });
        // (Out of the way of the judging loop: few deeds answer any.)
        #[inline(never)]
        fn answers_target(t: &[ActorIx], answered: &[ActorIx]) -> bool {
            intersects(t, answered)
        }
        let answers = |f: &Row| {
            targets.is_some_and(|t| {
                let a = actions_by_slot[f.slot as usize];
                answers_target(t, who.answered.get(a as usize))
            })
        };
        // Strength times attribution weight, by the row's effect and
        // attribution: a table made for the claim when it has at least as
        // many pairs to judge as the table has effects (a division a pair
        // saved; and then the pairs summed four at a time where the
        // machine can), else worked out pair by pair.
        let date = &claim.date;
        let dates = (date, weights, near);
        let sums = if effects.len() <= n {
            strengths.clear();
            strengths.extend(effects.iter().flat_map(|&effect| {
                let strength = score::strength(claim.score, effect);
                weights.attribution.map(|weight| strength * weight)
            }));
            let tables = severity::Tables {
                held: strengths,
                near: near.table(),
                order: &weights.order,
            };
            severity::sums(kept, tables, (date.first, date.last), &answers)
                .unwrap_or_else(|| sums(kept, |f| strengths[f.weighs as usize], dates, &answers))
        } else {
            let held = |f: &Row| {
                let (effect, attribution) = f.effect_and_attribution();
                score::strength(claim.score, effects[effect]) * weights.attribution[attribution]
            };
            sums(kept, held, dates, &answers)
        };
        let by_deed = ByDeed::of(&sums, n as u32);
        for warm in [false, true] {
            for answers in [false, true] {
                let (w, a) = (usize::from(warm), usize::from(answers));
                let slot = slots[w][a];
                tally.pairs[slot as usize] += by_deed.pairs[w][a];
                if slot.weighs() {
                    tally.units[slot as usize] += by_deed.units[w][a];
                }
            }
        }
        tally.counts()
    }
}

/// A claim's pairs with deeds that take a side, and their severity units,
/// by the deed: hostile or warm (first index), not answering the claim's
/// target or answering it (second). A pair's verdict follows from these.
/// (Summed by [`sums`] or [`severity::sums`].)
struct ByDeed {
    pairs: [[u32; 2]; 2],
    units: [[u64; 2]; 2],
}

impl ByDeed {
    /// The four kinds told apart from the sums of `n` pairs.
    fn of(sums: &severity::Sums, n: u32) -> ByDeed {
        let severity::Sums {
            all,
            warm,
            warm_pairs,
            answering: [hostile_n, warm_n],
            answering_units: [hostile_u, warm_u],
        } = *sums;
        ByDeed {
            pairs: [
                [n - warm_pairs - hostile_n, hostile_n],
                [warm_pairs - warm_n, warm_n],
            ],
            units: [[all - warm - hostile_u, hostile_u], [warm - warm_u, warm_u]],
        }
    }
}

/// The sums of the pairs of a claim dated `date` with the rows `kept`,
/// every one of which takes a side, pair by pair ([`severity::sums`]
/// takes the same four at a time); `held(row)` is the pair's strength
/// times its attribution's weight, and `answers(row)` says whether the
/// row's deed answers the claim's target (asked only of a row that
/// answers anything).
///
/// Each pair's severity is [`pair::severity_units`]'s, its factors from
/// the same functions, with the weights of order looked up in `weights`.
/// The sums of all pairs and of those with warm deeds are taken in
/// registers, without a branch on the kind of deed (masked by whether it
/// is warm); the few deeds that answer anything are set apart (`answers`
/// is called, not inlined). (Adding each pair to its verdict's place in
/// a table went through memory, twice a pair, and more was live in the
/// loop than there are registers: hence also a function of its own.)
#[inline(never)]
fn sums(
    kept: &[&Row],
    held: impl Fn(&Row) -> f64,
    (date, weights, near): (&PartialDate, &Weights, &score::Proximities),
    answers: &dyn Fn(&Row) -> bool,
) -> severity::Sums {
    let (mut all, mut warm, mut warm_pairs) = (0u64, 0u64, 0u32);
    // Pairs and units of deeds that answer the target, hostile then warm.
    let (mut answering, mut answering_units) = ([0u32; 2], [0u64; 2]);
    for f in kept {
        let deed = f.date();
        let units = score::units_of(
            held(f),
            near.of(date.gap_days(&deed)),
            weights.order[Order::index(date, &deed)],
        );
        let (units, w) = (u64::from(units), f.warm());
        all += units;
        warm += units & u64::from(w).wrapping_neg();
        warm_pairs += u32::from(w);
        if f.answers() && answers(f) {
            answering[usize::from(w)] += 1;
            answering_units[usize::from(w)] += units;
        }
    }
    severity::Sums {
        all,
        warm,
        warm_pairs,
        answering,
        answering_units,
    }
}

/// The weights the score gives attributions (by their place in
/// [`Attribution::ALL`]) and orders (by [`Order::index`]), as tables.
struct Weights {
    attribution: [f64; 4],
    order: [f64; 4],
}

impl Weights {
    fn new() -> Weights {
        Weights {
            attribution: Attribution::ALL.map(score::attribution_weight),
            order: Order::BY_INDEX.map(score::order_weight),
        }
    }
}

/// The actions in time order: by start day, then rank (`action_order`
/// lists them by rank, `action_rank` is its inverse). An action's place
/// in this order is its slot: the actions a claim reads start in its
/// window, so their slots lie close together.
fn in_time(data: &Dataset, action_order: &[u32], action_rank: &[u32]) -> Vec<u32> {
    let mut by_day: Vec<u64> = (&data.actions[..], action_rank)
        .into_par_iter()
        .map(|(rec, &rank)| u64::from(rec.date.first as u32 ^ DAY_FLIP) << 32 | u64::from(rank))
        .collect();
    by_day.par_sort_unstable();
    by_day
        .par_iter()
        .map(|&key| action_order[key as u32 as usize])
        .collect()
}

/// [`Row::bits`]: the action's effect takes a side.
const SIDED: u16 = 16;

/// An action as counting reads it, in the rows of its index: 16 bytes
/// (the 32 of pairing's facts (`pair::Facts`) made the windows twice as
/// long to read; a claim's windows are most of what counting reads).
/// Defined beside the loop that sums their severities four at a time
/// ([`severity::sums`]); what each part holds:
/// - `first` and `span`: its date's first day, and days from it to the
///   last;
/// - `slot`: its place among the actions by start day, then rank
///   ([`in_time`]);
/// - `weighs`: its effect's number among the distinct effects
///   ([`Effects`]) times four, plus its attribution's place in
///   [`Attribution::ALL`]: its place in a claim's table of strengths
///   (room for 2^30 distinct effects: rows number their actions in 32
///   bits already);
/// - `bits`: whether it responds to anything ([`severity::ANSWERS`]),
///   whether its effect takes a side ([`SIDED`]) and is warm
///   ([`severity::WARM`]).
impl Row {
    /// The rows of the actions, by slot (`actions_by_slot` says which
    /// action has each); whether an effect takes a side is judged
    /// against `threshold`.
    fn by_slot(
        data: &Dataset,
        who: &Principals,
        actions_by_slot: &[u32],
        effects: &Effects,
        threshold: f64,
    ) -> Vec<Row> {
        // Read from records scattered over memory: each record, and
        // where the actions it answers lie, is asked for 16 slots ahead.
        (0..actions_by_slot.len())
            .into_par_iter()
            .map(|slot| {
                if let Some(&a) = actions_by_slot.get(slot + 16) {
                    prefetch_lines(&data.actions[a as usize]);
                    who.answered.prefetch_offsets(a as usize);
                }
                let a = actions_by_slot[slot] as usize;
                let rec = &data.actions[a];
                let sided = score::side(rec.score, threshold) != Side::Neither;
                let answers = !who.answered.get(a).is_empty();
                Row {
                    first: rec.date.first,
                    slot: slot as u32,
                    weighs: effects.number(rec.score) << 2 | rec.attribution as u32,
                    span: pair::span_of(&rec.date),
                    bits: if answers { severity::ANSWERS } else { 0 }
                        | if sided { SIDED } else { 0 }
                        | if rec.score > 0.0 { severity::WARM } else { 0 },
                }
            })
            .collect()
    }

    fn answers(&self) -> bool {
        self.bits & severity::ANSWERS != 0
    }

    /// Its effect's number ([`Effects`]) and its attribution's place in
    /// [`Attribution::ALL`].
    fn effect_and_attribution(&self) -> (usize, usize) {
        ((self.weighs >> 2) as usize, (self.weighs & 3) as usize)
    }

    /// Whether its effect takes a side.
    fn takes_side(&self) -> bool {
        self.bits & SIDED != 0
    }

    /// Whether its effect is warm (above 0).
    fn warm(&self) -> bool {
        self.bits & severity::WARM != 0
    }

    /// Its first and last day (the precision is not kept: a day's).
    fn date(&self) -> PartialDate {
        pair::date_of(self.first, self.span)
    }
}

impl Dated for Row {
    fn day(&self) -> Day {
        self.first
    }
}

/// The distinct effects of the actions, numbered: a row holds its
/// effect's number in 4 bytes instead of the effect's 8. Event data
/// scores deeds on a short scale, so the table is small and stays in
/// cache; it holds every value exactly, however many there are.
struct Effects {
    /// The effects, sorted by their bits: an effect's number is its
    /// place here.
    values: Vec<f64>,
}

impl Effects {
    fn of(actions: &[Record]) -> Effects {
        let mut bits: Vec<u64> = actions
            .par_chunks(1 << 16)
            .flat_map_iter(|chunk| {
                let mut bits: Vec<u64> = chunk.iter().map(|r| r.score.to_bits()).collect();
                bits.sort_unstable();
                bits.dedup();
                bits
            })
            .collect();
        bits.par_sort_unstable();
        bits.dedup();
        let values = bits.into_iter().map(f64::from_bits).collect();
        Effects { values }
    }

    /// The number of `effect`, one of the effects the table was made of.
    fn number(&self, effect: f64) -> u32 {
        let bits = effect.to_bits();
        self.values.partition_point(|v| v.to_bits() < bits) as u32
    }
}

/// Puts the rows of `windows` that take a side in `kept` (as long as
/// the windows together), in order, and says how many, and how many do
/// not take one. With `MARKED`, a row is kept or counted only the first
/// time: `marks` gets `mark` at each row's slot, and a row whose slot
/// holds it already was met in an earlier window. Without a branch on
/// either. (A function of its own, so that the compiler knows the marks
/// and `kept` apart, and keeps their places in registers.)
fn keep<'r, const MARKED: bool>(
    windows: &[&'r [Row]],
    marks: &mut [u8],
    mark: u8,
    kept: &mut [&'r Row],
) -> (usize, u32) {
    let (mut n, mut neutral) = (0, 0);
    for f in windows.iter().flat_map(|w| w.iter()) {
        let mut first = true;
        if MARKED {
            let seen = &mut marks[f.slot as usize];
            first = *seen != mark;
            *seen = mark;
        }
        kept[n] = f;
        let sided = f.takes_side();
        neutral += u32::from(first & !sided);
        n += usize::from(first & sided);
    }
    (n, neutral)
}

/// What counting a claim writes in, kept from claim to claim.
struct Room<'s> {
    marks: Marks,
    /// The claim's windows.
    windows: Vec<&'s [Row]>,
    /// The actions of the windows that make pairs with the claim.
    kept: Vec<&'s Row>,
    /// The claim's strength times attribution weight, by
    /// [`Row::weighs`].
    strengths: Vec<f64>,
}

/// Which actions a claim has counted: by [`Row::slot`], the mark of
/// the last claim that counted the action. A byte each (a claim's number
/// took four), so that more of the marks a claim's windows reach stay in
/// cache: marks run from 1 to 255, then all are cleared and they start
/// again.
struct Marks {
    by_slot: Vec<u8>,
    last: u8,
}

impl Marks {
    /// Marks for `n` actions, none marked.
    fn new(n: usize) -> Marks {
        Marks {
            by_slot: vec![0; n],
            last: 0,
        }
    }

    /// A mark no action holds.
    fn fresh(&mut self) -> u8 {
        if self.last == u8::MAX {
            self.by_slot.fill(0);
            self.last = 0;
        }
        self.last += 1;
        self.last
    }
}

/// Where a pair's verdict is tallied.
#[derive(Clone, Copy)]
enum Slot {
    Neutral,
    Consistent,
    Duplicity,
    Bluster,
    Reciprocal,
}

impl Slot {
    fn of(verdict: Verdict) -> Slot {
        match verdict {
            Verdict::Neutral => Slot::Neutral,
            Verdict::Consistent => Slot::Consistent,
            Verdict::Contradiction(Kind::Duplicity) => Slot::Duplicity,
            Verdict::Contradiction(Kind::Bluster) => Slot::Bluster,
            Verdict::Reciprocal => Slot::Reciprocal,
        }
    }

    /// Whether the pair's severity counts in [`PairCounts`]: the say-do
    /// index weighs consistent pairs against contradictions.
    fn weighs(self) -> bool {
        matches!(self, Slot::Consistent | Slot::Duplicity | Slot::Bluster)
    }
}

/// A claim's pairs and severity units by [`Slot`], added without a
/// branch on the verdict.
#[derive(Default)]
struct Tally {
    pairs: [u32; 5],
    units: [u64; 5],
}

impl Tally {
    fn counts(&self) -> PairCounts {
        let (n, units) = (&self.pairs, &self.units);
        let [neutral, consistent, duplicity, bluster, reciprocal] = *n;
        PairCounts {
            pairs: n.iter().sum(),
            contradictions: duplicity + bluster,
            duplicity,
            bluster,
            consistent,
            reciprocal,
            neutral,
            sev_consistent: units[Slot::Consistent as usize],
            sev_contradiction: units[Slot::Duplicity as usize] + units[Slot::Bluster as usize],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_mark_is_held_by_no_action_even_after_marks_start_again() {
        // Action 0 is marked once; then, mark after mark, action 1 only,
        // over several rounds of 255: the mark action 0 holds must never
        // come back while it still holds it.
        let mut marks = Marks::new(2);
        marks.by_slot[0] = marks.fresh();
        for n in 1..1000 {
            let mark = marks.fresh();
            assert_ne!(mark, 0, "after {n} marks");
            assert_ne!(marks.by_slot[0], mark, "after {n} marks");
            assert_ne!(marks.by_slot[1], mark, "after {n} marks");
            marks.by_slot[1] = mark;
        }
    }
}
