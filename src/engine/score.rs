//! Verdicts and severity: each rule a small function.
//!
//! A pair's verdict compares the claim's stance `s` with the action's
//! effect `e` against the threshold `t` (data-format.md, "Verdicts"). Its
//! severity, in (0, 1], is the product of four factors, each in (0, 1]:
//!
//! ```text
//! severity = strength × attribution × proximity × order
//! strength    = (1 + |s| + |e|) / 21            stronger words and deeds weigh more
//! attribution = confirmed 1, reported 0.8, alleged 0.6, disputed 0.4
//! proximity   = 0.5 ^ (gap_days / 365)          a deed a year away from the words counts half
//! order       = deed after the words 1, overlapping 0.9, before the words 0.8
//! ```
//!
//! rounded to four decimals and never below 0.0001. The README describes
//! the formula in the same terms; change both together.

use crate::date::PartialDate;
use crate::model::Attribution;

/// Default `--threshold`.
pub const DEFAULT_THRESHOLD: f64 = 2.0;

/// Contradiction kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Warm words, hostile deed: smiling in public while acting against.
    Duplicity,
    /// Hostile words, helpful deed.
    Bluster,
}

impl Kind {
    /// `"duplicity"` or `"bluster"`, as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Duplicity => "duplicity",
            Kind::Bluster => "bluster",
        }
    }
}

/// The verdict on one claim-action pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Words and deed take opposite sides.
    Contradiction(Kind),
    /// Opposite sides, but the deed answers a deed of the claim's target.
    Reciprocal,
    /// Words and deed take the same side.
    Consistent,
    /// Words or deed too mild to take a side (below the threshold).
    Neutral,
}

impl Verdict {
    /// The verdict as reports write it (`"contradiction"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Contradiction(_) => "contradiction",
            Verdict::Reciprocal => "reciprocal",
            Verdict::Consistent => "consistent",
            Verdict::Neutral => "neutral",
        }
    }

    /// The contradiction's kind; `None` for the other verdicts.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Verdict::Contradiction(k) => Some(k),
            _ => None,
        }
    }

    /// Whether the pair contradicts (duplicity or bluster).
    pub fn is_contradiction(self) -> bool {
        matches!(self, Verdict::Contradiction(_))
    }
}

/// Judges a pair. Both scores must reach the threshold in size for words
/// and deed to count as taking a side; opposite sides contradict unless the
/// deed answers a deed of the claim's target (`reciprocal`).
///
/// `judge(6.0, -5.0, 2.0, false)` is a contradiction of kind duplicity.
pub fn judge(stance: f64, effect: f64, threshold: f64, answers_target: bool) -> Verdict {
    judge_sides(
        side(stance, threshold),
        side(effect, threshold),
        answers_target,
    )
}

/// Which side words or a deed take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Too mild to take one: below the threshold in size, or 0.
    Neither,
    /// Hostile: a negative score.
    Hostile,
    /// Warm or helpful: a positive score.
    Warm,
}

/// The side a stance or an effect takes against the threshold.
pub fn side(score: f64, threshold: f64) -> Side {
    if score.abs() < threshold || score == 0.0 || score.is_nan() {
        Side::Neither
    } else if score > 0.0 {
        Side::Warm
    } else {
        Side::Hostile
    }
}

/// [`judge`], from the sides the words and the deed take: what the
/// verdict depends on.
pub fn judge_sides(stance: Side, effect: Side, answers_target: bool) -> Verdict {
    match (stance, effect) {
        (Side::Neither, _) | (_, Side::Neither) => Verdict::Neutral,
        (s, e) if s == e => Verdict::Consistent,
        _ if answers_target => Verdict::Reciprocal,
        (Side::Warm, _) => Verdict::Contradiction(Kind::Duplicity),
        _ => Verdict::Contradiction(Kind::Bluster),
    }
}

/// The verdict on a claim over all its pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClaimVerdict {
    /// Some deeds contradict it and none bear it out.
    Contradicted,
    /// Some deeds contradict it and some bear it out.
    Mixed,
    /// Deeds bear it out and none contradict it.
    Upheld,
    /// No deed takes a side on it.
    Untested,
}

impl ClaimVerdict {
    /// The verdict as reports write it (`"contradicted"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimVerdict::Contradicted => "contradicted",
            ClaimVerdict::Mixed => "mixed",
            ClaimVerdict::Upheld => "upheld",
            ClaimVerdict::Untested => "untested",
        }
    }

    /// From the numbers of contradictions and consistent pairs.
    pub fn from_counts(contradictions: u32, consistent: u32) -> ClaimVerdict {
        match (contradictions > 0, consistent > 0) {
            (true, false) => ClaimVerdict::Contradicted,
            (true, true) => ClaimVerdict::Mixed,
            (false, true) => ClaimVerdict::Upheld,
            (false, false) => ClaimVerdict::Untested,
        }
    }
}

/// When the deed happened relative to the words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Order {
    /// The deed began after the words' interval ended: a word broken.
    After,
    /// The two intervals share a day.
    Overlapping,
    /// The deed ended before the words began: words glossing over a deed.
    Before,
}

impl Order {
    /// The orders by [`Order::index`].
    pub const BY_INDEX: [Order; 4] = [
        Order::Overlapping,
        Order::After,
        Order::Before,
        Order::After,
    ];

    /// When `action` happened relative to `claim`.
    pub fn of(claim: &PartialDate, action: &PartialDate) -> Order {
        Order::BY_INDEX[Order::index(claim, action)]
    }

    /// When `action` happened relative to `claim`, as its place in
    /// [`Order::BY_INDEX`]: 1 if the deed starts once the words are over
    /// (after comes first), plus 2 if it ends before they begin. Without a
    /// branch, as counting asks it of every pair, and with a table of
    /// weights by order at hand.
    pub fn index(claim: &PartialDate, action: &PartialDate) -> usize {
        let after = usize::from(action.first > claim.last);
        let before = usize::from(action.last < claim.first);
        after | before << 1
    }

    /// The order as reports write it (`"after"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Order::After => "after",
            Order::Overlapping => "overlapping",
            Order::Before => "before",
        }
    }
}

/// The four factors of a severity, each in (0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Factors {
    /// How strongly words and deed take sides: `(1 + |stance| + |effect|) / 21`.
    pub strength: f64,
    /// How firmly the deed is tied to its actor: 1 confirmed, 0.8
    /// reported, 0.6 alleged, 0.4 disputed.
    pub attribution: f64,
    /// How close in time the two are: `0.5 ^ (gap_days / 365)`.
    pub proximity: f64,
    /// When the deed came: 1 after the words, 0.9 overlapping, 0.8 before.
    pub order: f64,
}

/// How strongly words and deed take sides: `(1 + |s| + |e|) / 21`, from
/// 1/21 (both neutral) to 1 (both at ±10).
pub fn strength(stance: f64, effect: f64) -> f64 {
    (1.0 + stance.abs() + effect.abs()) / 21.0
}

/// How firmly the deed is tied to its actor.
pub fn attribution_weight(a: Attribution) -> f64 {
    match a {
        Attribution::Confirmed => 1.0,
        Attribution::Reported => 0.8,
        Attribution::Alleged => 0.6,
        Attribution::Disputed => 0.4,
    }
}

/// Days between words and deed lower the weight, halving every year:
/// `0.5 ^ (gap / 365)`; 1 when the dates overlap.
pub fn proximity(gap_days: i32) -> f64 {
    0.5f64.powf(f64::from(gap_days.max(0)) / 365.0)
}

/// A deed after the words breaks them (1); one before is glossed over by
/// them (0.8); overlapping dates cannot tell (0.9).
pub fn order_weight(order: Order) -> f64 {
    match order {
        Order::After => 1.0,
        Order::Overlapping => 0.9,
        Order::Before => 0.8,
    }
}

/// [`proximity`] of every gap up to a window's longest, worked out once:
/// pairing asks for it for every pair, and `powf` was a noticeable part of
/// pairing. Bit for bit the values [`proximity`] gives.
pub struct Proximities(Vec<f64>);

impl Proximities {
    /// The proximities of gaps of 0 to `longest` days (at most 65,536;
    /// longer gaps are worked out when asked for).
    pub fn new(longest: u32) -> Proximities {
        Proximities(
            (0..=longest.min(1 << 16))
                .map(|g| proximity(g as i32))
                .collect(),
        )
    }

    /// The proximities it holds, by gap in days from 0.
    pub fn table(&self) -> &[f64] {
        &self.0
    }

    /// [`proximity`] of `gap_days`.
    pub fn of(&self, gap_days: i32) -> f64 {
        usize::try_from(gap_days)
            .ok()
            .and_then(|g| self.0.get(g).copied())
            .unwrap_or_else(|| far(gap_days))
    }
}

/// [`proximity`] of a gap longer than [`Proximities`] holds: out of the
/// way of the loops that ask for the others (a call in a loop has the
/// loop's registers saved around it).
#[cold]
#[inline(never)]
fn far(gap_days: i32) -> f64 {
    proximity(gap_days)
}

/// The factors of a pair.
pub fn factors(
    stance: f64,
    effect: f64,
    attribution: Attribution,
    claim: &PartialDate,
    action: &PartialDate,
) -> Factors {
    factors_near(stance, effect, attribution, (claim, action), proximity)
}

/// [`factors`], with the proximity of a gap in days from `proximity`
/// (such as [`Proximities::of`]).
pub fn factors_near(
    stance: f64,
    effect: f64,
    attribution: Attribution,
    (claim, action): (&PartialDate, &PartialDate),
    proximity: impl Fn(i32) -> f64,
) -> Factors {
    Factors {
        strength: strength(stance, effect),
        attribution: attribution_weight(attribution),
        proximity: proximity(claim.gap_days(action)),
        order: order_weight(Order::of(claim, action)),
    }
}

/// The severity in units of 0.0001, as pairs hold it: the product of the
/// factors, rounded to four decimals (halves up), at least 0.0001.
///
/// Without `round` (a call into the maths library, once per pair, a
/// noticeable part of pairing): a product of factors in (0, 1] times
/// 10,000 is at most 10,000, its whole part converts exactly, and the
/// fraction left is exact, so halves round up as `round` has them (a test
/// holds it to `round`).
pub fn severity_units(f: &Factors) -> u16 {
    units_of(f.strength * f.attribution, f.proximity, f.order)
}

/// [`severity_units`] of factors whose strength is already multiplied by
/// the attribution's weight (so that counting can look the two up as one,
/// per claim and effect): the product is taken in the same order, so the
/// units are the same, bit for bit.
pub fn units_of(strength_attribution: f64, proximity: f64, order: f64) -> u16 {
    let scaled = strength_attribution * proximity * order * 10_000.0;
    let whole = scaled as u32;
    let units = whole + u32::from(scaled - f64::from(whole) >= 0.5);
    units.clamp(1, 10_000) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The severity as the formula states it, with `round`.
    fn severity(f: &Factors) -> f64 {
        let raw = f.strength * f.attribution * f.proximity * f.order;
        ((raw * 10_000.0).round() / 10_000.0).clamp(0.0001, 1.0)
    }

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn verdict_table() {
        use Verdict::*;
        for (s, e, recip, expected) in [
            (6.0, -5.0, false, Contradiction(Kind::Duplicity)),
            (-6.0, 5.0, false, Contradiction(Kind::Bluster)),
            (6.0, -5.0, true, Reciprocal),
            (6.0, 5.0, true, Consistent),
            (-2.0, -2.0, false, Consistent),
            (1.9, -9.0, false, Neutral),
            (9.0, -1.5, false, Neutral),
            (2.0, -2.0, false, Contradiction(Kind::Duplicity)),
            (0.0, 0.0, false, Neutral),
        ] {
            assert_eq!(judge(s, e, 2.0, recip), expected, "{s} {e} {recip}");
        }
        // A threshold of 0 still needs a side on both.
        assert_eq!(judge(0.0, -3.0, 0.0, false), Neutral);
    }

    /// The verdict as data-format.md states it, on scores and threshold
    /// directly.
    fn judge_as_stated(s: f64, e: f64, t: f64, answers: bool) -> Verdict {
        let decided = s.abs() >= t && e.abs() >= t && s != 0.0 && e != 0.0;
        if !decided {
            Verdict::Neutral
        } else if (s > 0.0) == (e > 0.0) {
            Verdict::Consistent
        } else if answers {
            Verdict::Reciprocal
        } else if s > 0.0 {
            Verdict::Contradiction(Kind::Duplicity)
        } else {
            Verdict::Contradiction(Kind::Bluster)
        }
    }

    #[test]
    fn judging_by_sides_is_judging_by_scores() {
        let scores = [
            -10.0, -2.5, -2.0, -1.99, -0.5, 0.0, 0.5, 1.99, 2.0, 3.0, 10.0,
        ];
        for t in [0.0, 1.0, 2.0, 2.5] {
            for s in scores {
                for e in scores {
                    for answers in [false, true] {
                        assert_eq!(
                            judge(s, e, t, answers),
                            judge_as_stated(s, e, t, answers),
                            "{s} {e} {t} {answers}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn claim_verdict_table() {
        use ClaimVerdict::*;
        assert_eq!(ClaimVerdict::from_counts(1, 0), Contradicted);
        assert_eq!(ClaimVerdict::from_counts(2, 1), Mixed);
        assert_eq!(ClaimVerdict::from_counts(0, 3), Upheld);
        assert_eq!(ClaimVerdict::from_counts(0, 0), Untested);
    }

    #[test]
    fn severity_units_are_the_severity_in_units() {
        // The rounding of every product near each half unit and whole
        // unit, and a spread of products, against `severity` times 10,000.
        let mut raws = vec![0.0, 1e-9, 0.00004999, 0.00005, 0.00005001, 1.0];
        for k in 0..=10_000u32 {
            let at = f64::from(k) / 10_000.0;
            for d in [
                -1.5e-5, -5e-5, -1e-12, 0.0, 1e-12, 5e-5, 4.9999e-5, 5.0001e-5,
            ] {
                raws.push((at + d).clamp(0.0, 1.0));
            }
        }
        let mut x = 3u64;
        for _ in 0..200_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            raws.push((x >> 11) as f64 / (1u64 << 53) as f64);
        }
        for raw in raws {
            let f = Factors {
                strength: raw,
                attribution: 1.0,
                proximity: 1.0,
                order: 1.0,
            };
            let by_severity = (severity(&f) * 10_000.0).round() as u16;
            assert_eq!(severity_units(&f), by_severity, "{raw:e}");
        }
        // Products of the real factors too.
        for (s, e, a, g) in [
            (10.0, -10.0, Attribution::Disputed, 17),
            (3.0, 7.5, Attribution::Reported, 400),
        ] {
            let f = Factors {
                strength: strength(s, e),
                attribution: attribution_weight(a),
                proximity: proximity(g),
                order: 0.9,
            };
            assert_eq!(severity_units(&f), (severity(&f) * 10_000.0).round() as u16);
        }
    }

    #[test]
    fn proximities_worked_out_once_are_those_worked_out_each_time() {
        let near = Proximities::new(1200);
        for gap in [-5, 0, 1, 2, 100, 364, 365, 366, 730, 1199, 1200, 1201, 5000] {
            assert_eq!(near.of(gap).to_bits(), proximity(gap).to_bits(), "{gap}");
        }
    }

    #[test]
    fn order_of_dates() {
        assert_eq!(Order::of(&d("2020"), &d("2021-08")), Order::After);
        assert_eq!(Order::of(&d("2021-09"), &d("2021-08")), Order::Before);
        assert_eq!(Order::of(&d("2021"), &d("2021-08-15")), Order::Overlapping);
    }

    #[test]
    fn severity_moves_the_right_way_with_each_input() {
        let base = || factors(6.0, -6.0, Attribution::Confirmed, &d("2020"), &d("2021-06"));
        let sev = |f: Factors| severity(&f);
        let b = sev(base());
        // Stronger words or deeds: higher.
        assert!(
            sev(factors(
                8.0,
                -6.0,
                Attribution::Confirmed,
                &d("2020"),
                &d("2021-06")
            )) > b
        );
        assert!(
            sev(factors(
                6.0,
                -9.0,
                Attribution::Confirmed,
                &d("2020"),
                &d("2021-06")
            )) > b
        );
        // Weaker attribution: lower, in the order of the spec.
        let by_attr: Vec<f64> = [
            Attribution::Confirmed,
            Attribution::Reported,
            Attribution::Alleged,
            Attribution::Disputed,
        ]
        .into_iter()
        .map(|a| sev(factors(6.0, -6.0, a, &d("2020"), &d("2021-06"))))
        .collect();
        assert!(by_attr.windows(2).all(|w| w[0] > w[1]), "{by_attr:?}");
        // Further in time: lower.
        assert!(
            sev(factors(
                6.0,
                -6.0,
                Attribution::Confirmed,
                &d("2020"),
                &d("2022-06")
            )) < b
        );
        // Deed after the words weighs more than the same gap before them.
        let after = sev(factors(
            6.0,
            -6.0,
            Attribution::Confirmed,
            &d("2020-06"),
            &d("2020-09"),
        ));
        let before = sev(factors(
            6.0,
            -6.0,
            Attribution::Confirmed,
            &d("2020-06"),
            &d("2020-03"),
        ));
        assert!(after > before);
    }

    #[test]
    fn severity_stays_in_bounds() {
        let strongest = factors(10.0, -10.0, Attribution::Confirmed, &d("2020"), &d("2020"));
        assert_eq!(
            severity(&Factors {
                order: 1.0,
                ..strongest
            }),
            1.0
        );
        let faint = factors(0.0, 0.0, Attribution::Disputed, &d("1900"), &d("2020"));
        assert_eq!(severity(&faint), 0.0001);
    }
}

/// Severity stays in (0, 1] and moves the right way with each input.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn date() -> impl Strategy<Value = PartialDate> {
        prop_oneof![
            (1990i32..2030).prop_map(|y| format!("{y}")),
            (1990i32..2030, 1u32..13).prop_map(|(y, m)| format!("{y}-{m:02}")),
            (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        ]
        .prop_map(|s| PartialDate::parse(&s).unwrap())
    }

    fn attribution() -> impl Strategy<Value = Attribution> {
        prop_oneof![
            Just(Attribution::Confirmed),
            Just(Attribution::Reported),
            Just(Attribution::Alleged),
            Just(Attribution::Disputed)
        ]
    }

    fn sev(s: f64, e: f64, a: Attribution, c: &PartialDate, x: &PartialDate) -> f64 {
        f64::from(severity_units(&factors(s, e, a, c, x))) / 10_000.0
    }

    proptest! {
        #[test]
        fn severity_is_in_bounds(s in -10.0f64..=10.0, e in -10.0f64..=10.0, a in attribution(), c in date(), x in date()) {
            let v = sev(s, e, a, &c, &x);
            prop_assert!(v > 0.0 && v <= 1.0, "{v}");
        }

        #[test]
        fn severity_never_falls_with_stronger_words_or_deeds(
            s in -10.0f64..=10.0, e in -10.0f64..=10.0, more in 0.0f64..5.0, a in attribution(), c in date(), x in date(),
        ) {
            let base = sev(s, e, a, &c, &x);
            let louder_words = sev((s.abs() + more).min(10.0) * s.signum(), e, a, &c, &x);
            let harder_deed = sev(s, (e.abs() + more).min(10.0) * e.signum(), a, &c, &x);
            prop_assert!(louder_words >= base && harder_deed >= base);
        }

        #[test]
        fn severity_never_rises_with_weaker_attribution(s in -10.0f64..=10.0, e in -10.0f64..=10.0, c in date(), x in date()) {
            let by: Vec<f64> = [Attribution::Confirmed, Attribution::Reported, Attribution::Alleged, Attribution::Disputed]
                .into_iter()
                .map(|a| sev(s, e, a, &c, &x))
                .collect();
            prop_assert!(by.windows(2).all(|w| w[0] >= w[1]), "{by:?}");
        }

        #[test]
        fn severity_never_rises_with_distance(s in -10.0f64..=10.0, e in -10.0f64..=10.0, a in attribution(), c in date(), days in 1i32..2000, more in 1i32..400) {
            // The same deed (a day-precision date after the words: from
            // the day after their last, since a deed on that day overlaps
            // them and weighs less by order), later.
            let day = |n: i32| PartialDate { first: c.last + n, last: c.last + n, precision: crate::date::Precision::Day };
            prop_assert!(sev(s, e, a, &c, &day(days + more)) <= sev(s, e, a, &c, &day(days)));
        }
    }
}
