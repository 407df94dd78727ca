//! Did-you-mean: the one place that decides when a name is close enough to
//! another to suggest it. Used for actor names, field names and topics.

/// Jaro-Winkler similarity at or above which a known name is suggested.
/// 0.85 catches one or two wrong, missing or swapped letters in names of
/// five letters or more ("Tehrn" → "Tehran", "stnace" → "stance") while
/// leaving unrelated short names alone.
pub const SIMILARITY_THRESHOLD: f64 = 0.85;

/// Whether a name of `a` characters and one of `b` can be similar enough
/// for [`closest`] to suggest one for the other, judged by their lengths
/// alone, for callers that compare many names and skip the pairs this
/// rules out. Jaro similarity is at most `(2 + short / long) / 3` (every
/// character of the shorter name matched, none transposed), and Winkler's
/// prefix bonus adds at most `0.4 × (1 − jaro)`; so reaching
/// [`SIMILARITY_THRESHOLD`] `T` needs `short / long ≥ 3 × (T − 0.4) / 0.6
/// − 2`: at 0.85, the longer name at most four times as long.
pub fn lengths_may_match(a: usize, b: usize) -> bool {
    let (short, long) = (a.min(b) as f64, a.max(b) as f64);
    let least = 3.0 * (SIMILARITY_THRESHOLD - 0.4) / 0.6 - 2.0;
    // Slack for rounding: a pair at the bound itself may still match.
    short >= long * (least - 1e-9)
}

/// The candidate most similar to `wanted` (compared in lower case), if any
/// reaches [`SIMILARITY_THRESHOLD`]. Ties go to the candidate that comes
/// first in sort order, so suggestions do not depend on input order.
pub fn closest<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted = wanted.trim().to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&wanted, &candidate.to_lowercase());
        if score < SIMILARITY_THRESHOLD {
            continue;
        }
        let better = match best {
            None => true,
            Some((s, c)) => score > s || (score == s && candidate < c),
        };
        if better {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let names = ["ruritania", "freedonia", "land", "the high commissioner"];
        for (wanted, expected) in [
            ("Ruritana", Some("ruritania")),
            ("ruritannia", Some("ruritania")),
            ("the high comissioner", Some("the high commissioner")),
            ("Moscow", None),
            ("x", None),
        ] {
            assert_eq!(closest(wanted, names), expected, "{wanted}");
        }
    }

    #[test]
    fn lengths_rule_out_only_names_that_cannot_match() {
        // At the bound: four letters against sixteen sharing them as a
        // prefix reach the threshold, and one letter more cannot.
        assert!(lengths_may_match(4, 16));
        assert!(strsim::jaro_winkler("abcd", "abcdxxxxxxxxxxxx") >= SIMILARITY_THRESHOLD - 1e-9);
        assert!(!lengths_may_match(4, 17));
        assert!(!lengths_may_match(17, 4));
        assert!(lengths_may_match(7, 8));
        // The most similar names of two lengths: the shorter the start of
        // the longer (every letter matched, in order, a full prefix). A
        // pair of lengths ruled out never reaches the threshold even so.
        for short in 1..=12 {
            for long in short..=5 * short {
                let a: String = "abcdefghijkl"[..short].to_string();
                let b = format!("{a}{}", "z".repeat(long - short));
                if strsim::jaro_winkler(&a, &b) >= SIMILARITY_THRESHOLD {
                    assert!(lengths_may_match(short, long), "{a} {b}");
                }
                if !lengths_may_match(short, long) {
                    assert!(closest(&a, [b.as_str()]).is_none(), "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn ties_do_not_depend_on_order() {
        let a = closest("ab", ["abc", "abd"]);
        let b = closest("ab", ["abd", "abc"]);
        assert_eq!(a, b);
    }
}
