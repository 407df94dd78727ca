//! A claim's pair severities summed four pairs at a time, with AVX2:
//! judging the pairs of dense data one after another was about a sixth
//! of `saydo trend`'s time, bound by the instructions of each pair.
//!
//! Counting (`engine::count`) keeps, for each claim, the index rows of
//! the deeds it pairs with ([`Row`]) and sums their severities. [`sums`]
//! takes the same sums as the scalar loop there, bit for bit: the
//! severity of a pair is `score::units_of` of the claim's table of
//! strength times attribution, the proximity of their gap and the weight
//! of their order, multiplied in the same order and rounded the same
//! way (a test holds the two together). It gives no sums when the
//! machine has no AVX2 or a row falls outside the tables; counting then
//! takes its own loop.

/// An action as counting reads it, in the rows of its index: 16 bytes
/// without padding, read four at a time by [`sums`]. (Made and read in
/// `engine::count`, which says what each part holds.)
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Row {
    /// Its date's first day.
    pub first: i32,
    /// Its place among the actions by start day.
    pub slot: u32,
    /// Its place in a claim's table of strength times attribution.
    pub weighs: u32,
    /// Days from its first day to its last.
    pub span: u16,
    /// What it is: [`ANSWERS`] and [`WARM`], among others.
    pub bits: u16,
}

const _: () = assert!(std::mem::size_of::<Row>() == 16);

/// [`Row::bits`]: its deed responds to something.
pub const ANSWERS: u16 = 2;
/// [`Row::bits`]: its deed's effect is warm.
pub const WARM: u16 = 32;

/// What the severity of a claim's pair is looked up in.
#[derive(Clone, Copy)]
pub struct Tables<'t> {
    /// The claim's strength times attribution weight, by [`Row::weighs`].
    pub held: &'t [f64],
    /// Proximity by gap in days, from 0.
    pub near: &'t [f64],
    /// The weight of the deed's order, by `score::Order::index`: 1 if it
    /// starts after the words end, plus 2 if it ends before they start.
    pub order: &'t [f64; 4],
}

/// Sums of a claim's pairs' severity units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sums {
    /// Units of all pairs.
    pub all: u64,
    /// Units of pairs with warm deeds.
    pub warm: u64,
    /// Pairs with warm deeds.
    pub warm_pairs: u32,
    /// Pairs whose deed answers the claim's target, and their units, by
    /// whether the deed is warm.
    pub answering: [u32; 2],
    pub answering_units: [u64; 2],
}

/// The sums of the pairs of a claim dated `(first, last)` with the rows
/// `kept`; `answers(row)` says whether the row's deed answers the
/// claim's target, asked only of rows with [`ANSWERS`]. None when the
/// machine has no AVX2, or when a row's [`Row::weighs`] or gap in days
/// falls outside `tables` (the caller sums those itself).
pub fn sums(
    kept: &[&Row],
    tables: Tables<'_>,
    (first, last): (i32, i32),
    answers: &dyn Fn(&Row) -> bool,
) -> Option<Sums> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2")
        && !tables.held.is_empty()
        && !tables.near.is_empty()
        && i32::try_from(tables.held.len()).is_ok()
        && i32::try_from(tables.near.len()).is_ok()
    {
        // SAFETY: the machine has AVX2, and the tables' lengths fit in
        // the 32-bit lanes their places are compared in.
        return unsafe { avx2::sums(kept, tables, (first, last), answers) };
    }
    let _ = (kept, tables, first, last, answers);
    None
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{ANSWERS, Row, Sums, Tables, WARM};
    use core::arch::x86_64::*;

    /// [`super::sums`], on a machine with AVX2, with tables that are not
    /// empty and whose lengths fit in an `i32`.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn sums(
        kept: &[&Row],
        t: Tables<'_>,
        (first, last): (i32, i32),
        answers: &dyn Fn(&Row) -> bool,
    ) -> Option<Sums> {
        let (c_first, c_last) = (_mm_set1_epi32(first), _mm_set1_epi32(last));
        let held_max = _mm_set1_epi32(t.held.len() as i32 - 1);
        let near_max = _mm_set1_epi32(t.near.len() as i32 - 1);
        let (zero, one, two) = (_mm_setzero_si128(), _mm_set1_epi32(1), _mm_set1_epi32(2));
        let (answers_bit, warm_bit) = (
            _mm_set1_epi32(i32::from(ANSWERS)),
            _mm_set1_epi32(i32::from(WARM)),
        );
        // Units are at most 10,000: the product is scaled by as much.
        let (half, unit, most) = (
            _mm256_set1_pd(0.5),
            _mm256_set1_pd(1.0),
            _mm256_set1_pd(10_000.0),
        );
        let mut all = _mm256_setzero_pd();
        let mut warm = _mm256_setzero_pd();
        let mut sums = Sums::default();
        for chunk in kept.chunks(4) {
            // A chunk of fewer than four rows repeats its last, and the
            // lanes past its end count for nothing.
            let n = chunk.len();
            let row = |i: usize| chunk[i.min(n - 1)];
            // SAFETY: each load reads the 16 bytes of a `Row`, which has
            // no padding, through a reference to it.
            let [r0, r1, r2, r3] =
                [0, 1, 2, 3].map(|i| unsafe { _mm_loadu_si128(std::ptr::from_ref(row(i)).cast()) });
            // Rows to columns: first days, table places, spans and bits.
            let (lo01, lo23) = (_mm_unpacklo_epi32(r0, r1), _mm_unpacklo_epi32(r2, r3));
            let (hi01, hi23) = (_mm_unpackhi_epi32(r0, r1), _mm_unpackhi_epi32(r2, r3));
            let firsts = _mm_unpacklo_epi64(lo01, lo23);
            let weighs = _mm_unpacklo_epi64(hi01, hi23);
            let spans_bits = _mm_unpackhi_epi64(hi01, hi23);
            let spans = _mm_and_si128(spans_bits, _mm_set1_epi32(0xffff));
            let bits = _mm_srli_epi32::<16>(spans_bits);
            let lasts = _mm_add_epi32(firsts, spans);
            // score's gap in days and order, lane by lane.
            let gaps = _mm_max_epi32(
                _mm_max_epi32(_mm_sub_epi32(firsts, c_last), _mm_sub_epi32(c_first, lasts)),
                zero,
            );
            let after = _mm_and_si128(_mm_cmpgt_epi32(firsts, c_last), one);
            let before = _mm_and_si128(_mm_cmpgt_epi32(c_first, lasts), two);
            let orders = _mm_or_si128(after, before);
            // Places within the tables, or no sums (places compared
            // without sign, gaps are never below 0).
            let held_ok = _mm_cmpeq_epi32(_mm_min_epu32(weighs, held_max), weighs);
            let near_out = _mm_cmpgt_epi32(gaps, near_max);
            if _mm_movemask_epi8(_mm_andnot_si128(near_out, held_ok)) != 0xffff {
                return None;
            }
            // SAFETY: every place was checked to lie within its table
            // (the orders run from 0 to 3), and each gather reads 8-byte
            // values at those places.
            let (held, near, order) = unsafe {
                (
                    _mm256_i32gather_pd::<8>(t.held.as_ptr(), weighs),
                    _mm256_i32gather_pd::<8>(t.near.as_ptr(), gaps),
                    _mm256_i32gather_pd::<8>(t.order.as_ptr(), orders),
                )
            };
            // score::units_of: the product in its order, rounded halves
            // up, from 1 to 10,000.
            let scaled = _mm256_mul_pd(_mm256_mul_pd(_mm256_mul_pd(held, near), order), most);
            let whole = _mm256_floor_pd(scaled);
            let fraction = _mm256_sub_pd(scaled, whole);
            let up = _mm256_and_pd(_mm256_cmp_pd::<_CMP_GE_OQ>(fraction, half), unit);
            let units = _mm256_min_pd(_mm256_max_pd(_mm256_add_pd(whole, up), unit), most);
            let lanes = LANES[n];
            let units = _mm256_and_pd(units, _mm256_castsi256_pd(lanes));
            let warm_lanes =
                _mm256_cvtepi32_epi64(_mm_cmpeq_epi32(_mm_and_si128(bits, warm_bit), warm_bit));
            let warm_lanes = _mm256_and_si256(warm_lanes, lanes);
            all = _mm256_add_pd(all, units);
            warm = _mm256_add_pd(warm, _mm256_and_pd(units, _mm256_castsi256_pd(warm_lanes)));
            let warm_mask = _mm256_movemask_pd(_mm256_castsi256_pd(warm_lanes));
            sums.warm_pairs += warm_mask.count_ones();
            let answering = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(
                _mm_and_si128(bits, answers_bit),
                answers_bit,
            ))) & _mm256_movemask_pd(_mm256_castsi256_pd(lanes));
            if answering != 0 {
                for (i, units) in each_lane(units).into_iter().enumerate().take(n) {
                    if answering >> i & 1 != 0 && answers(chunk[i]) {
                        let w = usize::from(warm_mask >> i & 1 != 0);
                        sums.answering[w] += 1;
                        sums.answering_units[w] += units as u64;
                    }
                }
            }
        }
        // Whole numbers below 2^53 in each lane: their sums are exact.
        let total = |v: __m256d| each_lane(v).iter().map(|&x| x as u64).sum::<u64>();
        sums.all = total(all);
        sums.warm = total(warm);
        Some(sums)
    }

    /// The four lanes of `v`.
    #[target_feature(enable = "avx2")]
    fn each_lane(v: __m256d) -> [f64; 4] {
        let mut each = [0.0; 4];
        // SAFETY: writes four f64 into an array of four.
        unsafe { _mm256_storeu_pd(each.as_mut_ptr(), v) };
        each
    }

    /// The lanes a chunk of `n` rows fills (`LANES[n]`), all bits set.
    const LANES: [__m256i; 5] = {
        const fn lanes(n: usize) -> __m256i {
            let mut v = [0i64; 4];
            let mut i = 0;
            while i < n {
                v[i] = -1;
                i += 1;
            }
            // SAFETY (of the transmute): `[i64; 4]` and `__m256i` have the
            // same size, and every bit pattern is a valid `__m256i`.
            unsafe { std::mem::transmute::<[i64; 4], __m256i>(v) }
        }
        [lanes(0), lanes(1), lanes(2), lanes(3), lanes(4)]
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{PartialDate, Precision};
    use crate::engine::score::{self, Order};
    use proptest::prelude::*;

    /// The sums pair by pair, as counting's own loop takes them.
    fn one_by_one(
        kept: &[&Row],
        t: Tables<'_>,
        (first, last): (i32, i32),
        answers: &dyn Fn(&Row) -> bool,
    ) -> Sums {
        let day = |first, last| PartialDate {
            first,
            last,
            precision: Precision::Day,
        };
        let claim = day(first, last);
        let mut sums = Sums::default();
        for row in kept {
            let deed = day(row.first, row.first + i32::from(row.span));
            let units = u64::from(score::units_of(
                t.held[row.weighs as usize],
                t.near[claim.gap_days(&deed) as usize],
                t.order[Order::index(&claim, &deed)],
            ));
            let warm = row.bits & WARM != 0;
            sums.all += units;
            if warm {
                sums.warm += units;
                sums.warm_pairs += 1;
            }
            if row.bits & ANSWERS != 0 && answers(row) {
                sums.answering[usize::from(warm)] += 1;
                sums.answering_units[usize::from(warm)] += units;
            }
        }
        sums
    }

    fn arb_row() -> impl Strategy<Value = Row> {
        (-40i32..40, 0u32..12, 0u16..30, any::<u16>()).prop_map(|(first, weighs, span, bits)| Row {
            first,
            slot: bits.into(),
            weighs,
            span,
            bits,
        })
    }

    proptest! {
        /// Four at a time, the sums are those taken one by one: any
        /// number of rows (chunks cut short), deeds before, over and after
        /// the words, warm or not, answering or not; weights anywhere in
        /// (0, 1], where products fall on halves as well as between them.
        #[test]
        fn four_at_a_time_the_sums_are_those_taken_one_by_one(
            rows in prop::collection::vec(arb_row(), 0..40),
            held in prop::collection::vec(
                prop_oneof![
                    0.0f64..=1.0,
                    // Halves of a unit, with a proximity and order of 1.
                    (0u32..10_000).prop_map(|k| f64::from(2 * k + 1) / 20_000.0),
                ],
                12,
            ),
            near in prop::collection::vec(prop_oneof![Just(1.0), 0.0f64..=1.0], 80),
            claim in (-20i32..20, 0i32..10),
        ) {
            let order = [0.9, 1.0, 0.8, 0.85];
            let tables = Tables { held: &held, near: &near, order: &order };
            let kept: Vec<&Row> = rows.iter().collect();
            let date = (claim.0, claim.0 + claim.1);
            // Rows with an even slot answer the claim's target.
            let answers = |row: &Row| row.slot.is_multiple_of(2);
            let expected = one_by_one(&kept, tables, date, &answers);
            match sums(&kept, tables, date, &answers) {
                Some(got) => prop_assert_eq!(got, expected),
                None => prop_assert!(!std::arch::is_x86_feature_detected!("avx2")),
            }
        }
    }

    /// Products that round one way multiplied in score's order (strength
    /// and attribution, proximity, order) and the other way in another.
    #[test]
    fn the_factors_are_multiplied_in_the_order_score_multiplies_them() {
        for (held, near, order, units) in [
            (0x3fe3_68cc_dd0a_8db8, 0x3fe6_27ca_65b2_62ed, 0.9, 3780),
            (0x3fef_3a24_47a2_22fe, 0x3fee_fd91_881c_7858, 0.8, 7561),
        ] {
            let (held, near) = ([f64::from_bits(held)], [f64::from_bits(near)]);
            let order = [order; 4];
            let tables = Tables {
                held: &held,
                near: &near,
                order: &order,
            };
            let row = Row::default();
            let expected = Sums {
                all: units,
                ..Sums::default()
            };
            assert_eq!(one_by_one(&[&row], tables, (0, 0), &|_| false), expected);
            if let Some(got) = sums(&[&row], tables, (0, 0), &|_| false) {
                assert_eq!(got, expected);
            }
        }
    }

    #[test]
    fn no_sums_when_a_row_falls_outside_the_tables() {
        let (held, near, order) = ([0.5; 4], [1.0; 10], [1.0; 4]);
        let tables = Tables {
            held: &held,
            near: &near,
            order: &order,
        };
        let row = |first, weighs| Row {
            first,
            weighs,
            ..Row::default()
        };
        let inside = [row(0, 3), row(9, 0), row(-9, 1)];
        let kept: Vec<&Row> = inside.iter().collect();
        let within = sums(&kept, tables, (0, 0), &|_| false);
        let has_avx2 = std::arch::is_x86_feature_detected!("avx2");
        assert_eq!(within.is_some(), has_avx2);
        // A place past the table of strengths, a gap past the proximities,
        // each at every place in a chunk of five rows.
        for outside in [row(0, 4), row(10, 0), row(-10, 0), row(0, u32::MAX)] {
            for at in 0..5 {
                let mut rows = [row(1, 1); 5];
                rows[at] = outside;
                let kept: Vec<&Row> = rows.iter().collect();
                assert_eq!(
                    sums(&kept, tables, (0, 0), &|_| false),
                    None,
                    "{outside:?} at {at}"
                );
            }
        }
    }
}
