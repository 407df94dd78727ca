//! Did-you-mean: the one place that decides when a name is close enough to
//! another to suggest it. Used for actor names, field names and topics.

/// Jaro-Winkler similarity at or above which a known name is suggested.
/// 0.85 catches one or two wrong, missing or swapped letters in names of
/// five letters or more ("Tehrn" → "Tehran", "stnace" → "stance") while
/// leaving unrelated short names alone.
pub const SIMILARITY_THRESHOLD: f64 = 0.85;

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
    fn ties_do_not_depend_on_order() {
        let a = closest("ab", ["abc", "abd"]);
        let b = closest("ab", ["abd", "abc"]);
        assert_eq!(a, b);
    }
}
