//! The say-do trend (`saydo trend`): per principal actor, target and
//! period, how warm the words were and how hostile the deeds.
//!
//! Dense event data gives hundreds of millions of pairs, which nobody
//! reads; what an analyst asks of it is how words and deeds moved over
//! time, per actor and target, and where they parted most. A row of the
//! trend is a *cell*: a principal actor, a target principal (or none), and
//! a period (a month, a quarter or a year). Its values:
//!
//! - **words**: the claims of the cell, and their mean stance;
//! - **deeds**: the actions of the cell, and their mean effect;
//! - **gap**: mean stance − mean effect, when the cell has both: large and
//!   positive when warm words met hostile deeds, large and negative the
//!   reverse;
//! - **verdict**: the verdict a pair of the two means would get
//!   ([`score::judge`], the rule pairs are judged by, with the check's
//!   threshold): duplicity (warm words, hostile deeds), bluster (the
//!   reverse), consistent, or neutral;
//! - **pairs**, and how many **contradict**, of the pairs whose claim is in
//!   the cell (a pair belongs to its words' cell: the words are what the
//!   deeds belie), and their **say-do** index, the actor summary's
//!   consistency index over those pairs.
//!
//! Which cell a record is in: its principal actors are the members of its
//! principal set (its actor and everyone it acts for on its date) that act
//! for no one, as the HTML report's timelines have them, or its own actor
//! when none does (a president's words after office); its target's
//! principals likewise, or none for a record without a target; its period
//! is the one its first day falls in (a record dated only by its year, by
//! month, counts in January). A record with two principals, or a target
//! with two, is in each of their cells.
//!
//! Pairs are counted claim by claim and never held
//! (`engine::count`): memory grows with the records and the
//! cells, not with the pairs. Sums are taken in id order and severities in
//! whole units, so the same data gives the same trend whatever the order
//! of its files or the number of threads.

use super::{Filters, PairCounts, Setup, consistency_index};
use crate::date::Day;
use crate::engine::count::Counting;
use crate::engine::principals::Sets;
use crate::engine::rules::Settings;
use crate::engine::score::{self, Verdict};
use crate::model::{ActorIx, Dataset, Record};
use crate::perf::parallel::{append_parts, by_blocks};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

/// How long a period of the trend is (`--by`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Period {
    /// Calendar months: `2021-08`.
    #[default]
    Month,
    /// Calendar quarters: `2021-Q3`.
    Quarter,
    /// Calendar years: `2021`.
    Year,
}

impl Period {
    /// `"month"`, `"quarter"` or `"year"`, as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// The number of the period `day` falls in, counted from year 0, so
    /// that periods sort by time.
    fn of(self, day: Day) -> i32 {
        let date = NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(NaiveDate::MIN);
        let (year, month0) = (date.year(), date.month0() as i32);
        match self {
            Period::Month => year * 12 + month0,
            Period::Quarter => year * 4 + month0 / 3,
            Period::Year => year,
        }
    }

    /// The year and the first and last month (1 to 12) of period `n`.
    fn months(self, n: i32) -> (i32, u32, u32) {
        match self {
            Period::Month => {
                let m = n.rem_euclid(12) as u32 + 1;
                (n.div_euclid(12), m, m)
            }
            Period::Quarter => {
                let q = n.rem_euclid(4) as u32;
                (n.div_euclid(4), q * 3 + 1, q * 3 + 3)
            }
            Period::Year => (n, 1, 12),
        }
    }

    /// Period `n` as written: `2021-08`, `2021-Q3` or `2021`.
    pub fn label(self, n: i32) -> String {
        let (year, first, _) = self.months(n);
        match self {
            Period::Month => format!("{year:04}-{first:02}"),
            Period::Quarter => format!("{year:04}-Q{}", (first - 1) / 3 + 1),
            Period::Year => format!("{year:04}"),
        }
    }

    /// The first and last day of period `n`, as `YYYY-MM-DD`.
    pub fn bounds(self, n: i32) -> (String, String) {
        let (year, first, last) = self.months(n);
        let start = NaiveDate::from_ymd_opt(year, first, 1);
        let end = NaiveDate::from_ymd_opt(year + i32::from(last == 12), last % 12 + 1, 1)
            .and_then(|d| d.pred_opt());
        let day = |d: Option<NaiveDate>| d.map_or_else(String::new, |d| d.to_string());
        (day(start), day(end))
    }
}

/// One cell of the trend: a principal actor, a target, a period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    /// The principal actor, an index into [`Dataset::actors`].
    pub actor: ActorIx,
    /// The target principal, or `None` for words and deeds aimed at no one.
    pub target: Option<ActorIx>,
    /// The period's number (see [`Trend::label`]).
    pub period: i32,
    /// Claims in the cell.
    pub claims: u32,
    /// Actions in the cell.
    pub actions: u32,
    // The sums are the crate's, so that another engine's rows
    // (`crate::engines::trend`) become cells that print as these do.
    /// The claims' stances, added in id order.
    pub(crate) stance_sum: f64,
    /// The actions' effects, added in id order.
    pub(crate) effect_sum: f64,
    /// The pairs whose claim is in the cell.
    pub(crate) counts: PairCounts,
}

/// Rounds to the four decimals reports carry.
fn four(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Cell {
    /// Mean stance of the words, to four decimals; `None` without words.
    pub fn stance(&self) -> Option<f64> {
        (self.claims > 0).then(|| four(self.stance_sum / f64::from(self.claims)))
    }

    /// Mean effect of the deeds, to four decimals; `None` without deeds.
    pub fn effect(&self) -> Option<f64> {
        (self.actions > 0).then(|| four(self.effect_sum / f64::from(self.actions)))
    }

    /// Mean stance − mean effect, when the cell has words and deeds.
    pub fn gap(&self) -> Option<f64> {
        Some(four(self.stance()? - self.effect()?))
    }

    /// The verdict of the two means, when the cell has words and deeds.
    pub fn verdict(&self, threshold: f64) -> Option<Verdict> {
        Some(score::judge(
            self.stance()?,
            self.effect()?,
            threshold,
            false,
        ))
    }

    /// Pairs whose words are in the cell.
    pub fn pairs(&self) -> u32 {
        self.counts.pairs
    }

    /// Those pairs that contradict.
    pub fn contradictions(&self) -> u32 {
        self.counts.contradictions
    }

    /// Those contradictions that are duplicity, and bluster.
    pub fn kinds(&self) -> (u32, u32) {
        (self.counts.duplicity, self.counts.bluster)
    }

    /// Those pairs that are consistent.
    pub fn consistent(&self) -> u32 {
        self.counts.consistent
    }

    /// The say-do consistency index of those pairs, in [-1, 1].
    pub fn say_do(&self) -> Option<f64> {
        consistency_index(
            self.counts.sev_consistent as f64 / 10_000.0,
            self.counts.sev_contradiction as f64 / 10_000.0,
        )
    }
}

/// The trend of a dataset.
#[derive(Debug)]
pub struct Trend<'d> {
    /// The dataset.
    pub data: &'d Dataset,
    /// The window and threshold pairs were found and judged with.
    pub settings: Settings,
    /// The length of a period.
    pub by: Period,
    /// Every cell with a record, by actor id, then target id (none first),
    /// then period.
    pub cells: Vec<Cell>,
}

impl Trend<'_> {
    /// Period `n` as written (`2021-08`, `2021-Q3`, `2021`).
    pub fn label(&self, n: i32) -> String {
        self.by.label(n)
    }

    /// The cells with words and deeds, largest gap first (by its size;
    /// then the cell with more records, which says more; then by actor,
    /// target and period, as `cells` is ordered).
    pub fn by_gap(&self) -> Vec<&Cell> {
        let mut cells: Vec<&Cell> = self.cells.iter().filter(|c| c.gap().is_some()).collect();
        // The sort is stable: ties keep the order of `cells`.
        cells.sort_by(|a, b| {
            let size = |c: &Cell| c.gap().map_or(0.0, f64::abs);
            size(b)
                .total_cmp(&size(a))
                .then((b.claims + b.actions).cmp(&(a.claims + a.actions)))
        });
        cells
    }
}

/// Where a record counts: its principal actors and its target's (see the
/// module's documentation).
fn principal_actors<'d>(
    data: &'d Dataset,
    set: &'d [ActorIx],
    own: ActorIx,
) -> impl Iterator<Item = ActorIx> + Clone + 'd {
    let top = set
        .iter()
        .copied()
        .filter(|&a| data.actors[a as usize].roles.is_empty());
    let none = top.clone().next().is_none();
    top.chain(none.then_some(own))
}

/// The cells record `i` of `records` is in (made as they are read: a
/// vector or three for each of a million records took longer than
/// sorting them all).
fn cells_of<'d>(
    data: &'d Dataset,
    records: &'d [Record],
    (actors, targets): (&'d Sets, &'d Sets),
    by: Period,
    i: usize,
) -> impl Iterator<Item = (ActorIx, Option<ActorIx>, i32)> + 'd {
    let r = &records[i];
    let period = by.of(r.date.first);
    let aimed = r
        .target
        .map(|t| principal_actors(data, targets.get(i), t).map(Some));
    let whom = aimed
        .into_iter()
        .flatten()
        .chain(r.target.is_none().then_some(None));
    principal_actors(data, actors.get(i), r.actor)
        .flat_map(move |a| whom.clone().map(move |t| (a, t, period)))
}

/// A record's place in a cell, as one number that sorts as the cells and
/// their sums are taken: by actor id, then target id (none first), then
/// period; claims before actions, each in id order. From the top: the
/// actor's place among actor ids, the target's (0 for none, else its
/// place plus one), the period (its sign bit flipped), whether it is an
/// action, and the record's rank (31 bits: a dataset holds fewer
/// records than 2^31).
fn place(
    ids: &[u32],
    (actor, target, period): (ActorIx, Option<ActorIx>, i32),
    claim: bool,
    rank: u32,
) -> u128 {
    let target = target.map_or(0, |t| ids[t as usize] + 1);
    u128::from(ids[actor as usize]) << 96
        | u128::from(target) << 64
        | u128::from(period as u32 ^ 0x8000_0000) << 32
        | u128::from(!claim) << 31
        | u128::from(rank)
}

/// The trend of `data`, its pairs found and judged with `settings`.
pub fn trend(data: &Dataset, settings: Settings, by: Period) -> Trend<'_> {
    let setup = Setup::new(data, &Filters::default());
    let (who, claim_rank, action_rank) = (&*setup.who, &setup.claim_rank, &setup.action_rank);
    // Each claim's pairs, counted as they are found and never held.
    let claim_counts =
        Counting::new(data, who, &settings, (&setup.action_order, action_rank)).per_claim();
    // Each actor's place among the actors by id.
    let mut by_id: Vec<u32> = (0..data.actors.len() as u32).collect();
    by_id.sort_unstable_by(|&a, &b| data.actors[a as usize].id.cmp(&data.actors[b as usize].id));
    let mut ids = vec![0; by_id.len()];
    for (place, &a) in by_id.iter().enumerate() {
        ids[a as usize] = place as u32;
    }
    let ids = &ids;
    // Each record's places, made straight into one vector of the exact
    // size: claims, then actions. (Collected from a parallel iterator,
    // they were held twice, and faulting the memory in took longer than
    // sorting it.)
    let n_claims = data.claims.len();
    let places_of = |i: usize| {
        let (claim, i) = match i.checked_sub(n_claims) {
            None => (true, i),
            Some(a) => (false, a),
        };
        let (records, sets, rank) = if claim {
            let sets = (&who.claim_actor, &who.claim_target);
            (&data.claims, sets, claim_rank[i])
        } else {
            let sets = (&who.action_actor, &who.action_target);
            (&data.actions, sets, action_rank[i])
        };
        cells_of(data, records, sets, by, i).map(move |key| place(ids, key, claim, rank))
    };
    let mut places: Vec<u128> = by_blocks(
        n_claims + data.actions.len(),
        |i| places_of(i).count(),
        |i, out| places_of(i).for_each(|p| out.push(p)),
    );
    places.par_sort_unstable();
    // The cells, taken in parallel from stretches of whole cells: a
    // record's score and a claim's counts are read from all over memory.
    let cell_of = |place: u128| place >> 32;
    let parts = 8 * rayon::current_num_threads();
    let mut cuts: Vec<usize> = (0..=parts)
        .map(|k| {
            let mut at = places.len() * k / parts;
            while at > 0 && at < places.len() && cell_of(places[at]) == cell_of(places[at - 1]) {
                at += 1;
            }
            at
        })
        .collect();
    cuts.dedup();
    let stretches: Vec<Vec<Cell>> = cuts
        .par_windows(2)
        .map(|w| {
            let mut cells: Vec<Cell> = Vec::new();
            for &place in &places[w[0]..w[1]] {
                let (actor, target) = ((place >> 96) as usize, (place >> 64) as u32);
                let key = (
                    by_id[actor],
                    target.checked_sub(1).map(|t| by_id[t as usize]),
                    ((place >> 32) as u32 ^ 0x8000_0000) as i32,
                );
                let same = cells
                    .last()
                    .is_some_and(|c| (c.actor, c.target, c.period) == key);
                if !same {
                    cells.push(Cell {
                        actor: key.0,
                        target: key.1,
                        period: key.2,
                        ..Cell::default()
                    });
                }
                let Some(cell) = cells.last_mut() else {
                    continue;
                };
                let (claim, rank) = (place >> 31 & 1 == 0, place as u32 & 0x7FFF_FFFF);
                if claim {
                    let c = setup.claim_order[rank as usize] as usize;
                    cell.claims += 1;
                    cell.stance_sum += data.claims[c].score;
                    cell.counts.merge(&claim_counts[c]);
                } else {
                    let a = setup.action_order[rank as usize] as usize;
                    cell.actions += 1;
                    cell.effect_sum += data.actions[a].score;
                }
            }
            cells
        })
        .collect();
    let mut cells = Vec::new();
    append_parts(&mut cells, stretches);
    Trend {
        data,
        settings,
        by,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_numbered_in_time_order_and_written_as_calendars_do() {
        let day = |s: &str| crate::date::PartialDate::parse(s).unwrap().first;
        for (by, date, label, bounds) in [
            (
                Period::Month,
                "2021-08-15",
                "2021-08",
                ("2021-08-01", "2021-08-31"),
            ),
            (
                Period::Month,
                "2024-02-29",
                "2024-02",
                ("2024-02-01", "2024-02-29"),
            ),
            (
                Period::Month,
                "2021-12-31",
                "2021-12",
                ("2021-12-01", "2021-12-31"),
            ),
            (
                Period::Quarter,
                "2021-08-15",
                "2021-Q3",
                ("2021-07-01", "2021-09-30"),
            ),
            (
                Period::Quarter,
                "2021-12-31",
                "2021-Q4",
                ("2021-10-01", "2021-12-31"),
            ),
            (
                Period::Year,
                "2021-08-15",
                "2021",
                ("2021-01-01", "2021-12-31"),
            ),
        ] {
            let n = by.of(day(date));
            assert_eq!(by.label(n), label, "{date} by {by:?}");
            let (first, last) = by.bounds(n);
            assert_eq!((first.as_str(), last.as_str()), bounds, "{date} by {by:?}");
        }
        let months = ["2020-12-31", "2021-01-01", "2021-02-01"].map(|d| Period::Month.of(day(d)));
        assert!(months[0] + 1 == months[1] && months[1] + 1 == months[2]);
    }
}
