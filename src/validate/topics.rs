//! A topic only one record uses, close to one that several use: most
//! likely a typo (`miltary` beside `military`), which pairs nothing with
//! the records that spell it right, silently. Topics are free words, so
//! this is a warning (`lone-topic`), never an error.
//!
//! It costs little on large data: topics are counted in one parallel pass
//! over the records' topic indices (a million records hold few distinct
//! topics), only topics used once are compared, only with topics used
//! twice or more, only with those whose lengths can match
//! ([`suggest::lengths_may_match`]), and at most [`MAX_COMPARISONS`]
//! times in all. Only the few records warned about are read again, to
//! place the warning on the topic as written.

use super::merge::Merged;
use crate::diag::{Code, Diagnostic};
use crate::input::json::{Kind, Reader};
use crate::input::source::{FileId, Files};
use crate::model::{Record, TopicIx, normalize_topic};
use crate::suggest;
use rayon::prelude::*;
use std::ops::Range;

/// Most similarities worked out, over all the topics used once: as many
/// as a thousand topics used once against a thousand used more need. An
/// imported dataset can hold thousands of distinct topics, and each used
/// once compared with each used more would be millions of comparisons;
/// past this many, the topics used once that are left (in name order, so
/// the same data gives the same warnings) are not checked.
pub(crate) const MAX_COMPARISONS: usize = 1_000_000;

/// How many records (claims and actions) use each topic.
fn uses(records: &[&[Record]], topics: usize) -> Vec<u32> {
    let count = |mut counts: Vec<u32>, r: &Record| {
        for &t in &r.topics {
            counts[t as usize] = counts[t as usize].saturating_add(1);
        }
        counts
    };
    records
        .par_iter()
        .flat_map(|rs| rs.par_iter())
        .fold(|| vec![0u32; topics], count)
        .reduce(
            || vec![0u32; topics],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x = x.saturating_add(y);
                }
                a
            },
        )
}

/// Each topic used once whose closest topic used more is close enough to
/// suggest: (the lone topic, that topic), in the order of `topics`
/// (sorted, as a dataset's are), working out at most `budget`
/// similarities.
pub(crate) fn near_misses(
    topics: &[String],
    uses: &[u32],
    budget: usize,
) -> Vec<(TopicIx, TopicIx)> {
    // Topics used more, by length in characters, for the lengths a lone
    // topic can match to be a slice.
    let mut common: Vec<(usize, TopicIx)> = (0..topics.len())
        .filter(|&t| uses[t] >= 2)
        .map(|t| (topics[t].chars().count(), t as TopicIx))
        .collect();
    common.sort_unstable();
    let mut out = Vec::new();
    let mut budget = budget;
    for (t, topic) in topics.iter().enumerate().filter(|&(t, _)| uses[t] == 1) {
        let len = topic.chars().count();
        let from = common.partition_point(|&(l, _)| l < len && !suggest::lengths_may_match(l, len));
        let to = common.partition_point(|&(l, _)| l <= len || suggest::lengths_may_match(len, l));
        let candidates = &common[from..to];
        if candidates.len() > budget {
            break;
        }
        budget -= candidates.len();
        let names = candidates.iter().map(|&(_, c)| topics[c as usize].as_str());
        if let Some(near) = suggest::closest(topic, names) {
            let near = topics.binary_search_by(|n| n.as_str().cmp(near));
            if let Ok(near) = near {
                out.push((t as TopicIx, near as TopicIx));
            }
        }
    }
    out
}

/// The span of the string in `topics` of the record whose `{` is at
/// `start` in `text` that is `topic` once normalised (quotes included);
/// `None` if the record cannot be read back so (its file changed).
pub(crate) fn topic_span(text: &str, start: usize, topic: &str) -> Option<Range<usize>> {
    let mut r = Reader::nested(text, start, 0);
    let mut record = r.object().ok()?;
    while let Some((key, _)) = r.next_key(&mut record).ok()? {
        if key != "topics" {
            r.skip().ok()?;
            continue;
        }
        let mut list = r.array().ok()?;
        while r.next_element(&mut list).ok()? {
            if r.peek().ok()? != Kind::String {
                r.skip().ok()?;
                continue;
            }
            let (value, span) = r.string().ok()?;
            if normalize_topic(&value) == topic {
                return Some(span);
            }
        }
        return None;
    }
    None
}

/// Warns of each topic used by one record only that is close to a topic
/// used by more. The warning is placed on the topic as the record writes
/// it (each file with one is read again, once); on the record's `{` if
/// the file no longer holds it.
pub(crate) fn check_lone_topics(files: &Files, merged: &Merged, diags: &mut Vec<Diagnostic>) {
    let topics = &merged.topics;
    let uses = uses(&[&merged.claims, &merged.actions], topics.len());
    let misses = near_misses(topics, &uses, MAX_COMPARISONS);
    if misses.is_empty() {
        return;
    }
    // The one record of each lone topic, found in one pass that stops
    // when all are.
    let mut near_of: Vec<Option<TopicIx>> = vec![None; topics.len()];
    for &(t, near) in &misses {
        near_of[t as usize] = Some(near);
    }
    let mut left = misses.len();
    let mut found: Vec<(FileId, usize, TopicIx, TopicIx)> = Vec::with_capacity(left);
    for r in merged.claims.iter().chain(&merged.actions) {
        for &t in &r.topics {
            if let Some(near) = near_of[t as usize].take() {
                found.push((r.at.file, r.at.offset as usize, t, near));
                left -= 1;
            }
        }
        if left == 0 {
            break;
        }
    }
    found.sort_unstable();
    for group in found.chunk_by(|a, b| a.0 == b.0) {
        let file = group[0].0;
        // The bytes alone: lines and columns are worked out when shown.
        let bytes = files.bytes(file);
        let text = std::str::from_utf8(&bytes).unwrap_or("");
        for &(_, at, t, near) in group {
            let (topic, near_name) = (&topics[t as usize], &topics[near as usize]);
            let span = topic_span(text, at, topic).unwrap_or(at..at + 1);
            diags.push(
                Diagnostic::new(
                    Code::LoneTopic,
                    file,
                    span,
                    format!(
                        "topic \"{}\" is used by this record only, and is close to \"{}\", which {} records use",
                        topic.escape_debug(),
                        near_name.escape_debug(),
                        uses[near as usize]
                    ),
                )
                .hint(format!("did you mean \"{}\"?", near_name.escape_debug())),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The near misses among `topics` (name, records using it), as
    /// "lone → common" strings.
    fn misses(topics: &[(&str, u32)], budget: usize) -> Vec<String> {
        let names: Vec<String> = topics.iter().map(|(t, _)| t.to_string()).collect();
        let uses: Vec<u32> = topics.iter().map(|&(_, n)| n).collect();
        near_misses(&names, &uses, budget)
            .into_iter()
            .map(|(t, near)| format!("{} → {}", names[t as usize], names[near as usize]))
            .collect()
    }

    #[test]
    fn a_topic_used_once_is_compared_with_topics_used_more() {
        let all = usize::MAX;
        for (topics, expected) in [
            // The typo beside the common spelling.
            (
                &[("military", 3), ("miltary", 1)][..],
                &["miltary → military"][..],
            ),
            // Both used twice: two topics, not a typo.
            (&[("military", 2), ("miltary", 2)], &[]),
            // Both used once: neither is the common spelling.
            (&[("military", 1), ("miltary", 1)], &[]),
            // Nothing close.
            (&[("trade", 5), ("water", 1)], &[]),
            // Two typos of one topic are each warned of.
            (
                &[("military", 4), ("militry", 1), ("miltary", 1)],
                &["militry → military", "miltary → military"],
            ),
            // The closest of the common topics.
            (
                &[("energy", 2), ("enrgy", 1), ("entry", 2)],
                &["enrgy → energy"],
            ),
        ] {
            assert_eq!(misses(topics, all), expected, "{topics:?}");
        }
    }

    #[test]
    fn the_budget_stops_the_comparisons_in_name_order() {
        let topics = [("alpha", 1), ("alphas", 2), ("betas", 2), ("beta", 1)];
        // Sorted: alpha, alphas, beta, betas; each lone topic meets the two
        // common ones (their lengths can match).
        let mut sorted = topics.to_vec();
        sorted.sort_unstable();
        assert_eq!(misses(&sorted, 4), ["alpha → alphas", "beta → betas"]);
        assert_eq!(misses(&sorted, 3), ["alpha → alphas"]);
        assert!(misses(&sorted, 1).is_empty());
    }

    #[test]
    fn lengths_that_cannot_match_are_not_compared() {
        // Against "miltary" (7 letters), "x" and a name of 30 letters
        // cannot reach the threshold: "military" is the one comparison,
        // which a budget of one allows.
        let far = "x".repeat(30);
        let topics = [("military", 2), ("miltary", 1), ("x", 2), (far.as_str(), 2)];
        assert_eq!(misses(&topics, 1), ["miltary → military"]);
        assert!(misses(&topics, 0).is_empty());
    }

    #[test]
    fn the_topic_is_found_as_the_record_writes_it() {
        let text = r#"[{"id": "x", "text": "\"miltary\" trucks", "notes": "miltary",
  "source": {"topics": ["miltary"]}, "topics" : [ 7, "trade", "Milt\u0061ry", "miltary" ]}]"#;
        let start = text.find('{').unwrap();
        let span = topic_span(text, start, "miltary").unwrap();
        assert_eq!(&text[span], r#""Milt\u0061ry""#);
        assert_eq!(
            topic_span(text, start, "trade").map(|s| &text[s]),
            Some(r#""trade""#)
        );
        assert_eq!(topic_span(text, start, "water"), None);
        // A file that changed since: no record there.
        assert_eq!(topic_span(text, 0, "miltary"), None);
        assert_eq!(topic_span("{\"topics\": [", 0, "miltary"), None);
    }
}
