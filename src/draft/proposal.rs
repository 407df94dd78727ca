//! What the rules propose beside who, what and when: a score from warm
//! and hostile words, and topics from the words of a statement or deed.

use super::lexicon::{NEGATIONS, TONE, TOPICS};
use super::text;

/// The proposed score of words: the sum of the tone words found, each
/// once, turned by a negation just before it, within [-10, 10]; and the
/// words, for `why`.
pub(super) fn tone(s: &str) -> (f64, String) {
    let words = text::words(s, 0..s.len());
    let mut seen: Vec<&str> = Vec::new();
    let mut sum = 0.0;
    let mut parts = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let Some((word, weight)) = TONE.iter().find(|(t, _)| *t == w.lower) else {
            continue;
        };
        if seen.contains(word) {
            continue;
        }
        seen.push(word);
        let negated = words[k.saturating_sub(2)..k]
            .iter()
            .any(|p| NEGATIONS.contains(&p.lower.as_str()) || p.lower.ends_with("n't"));
        let weight = if negated { -weight } else { *weight };
        sum += weight;
        parts.push(format!(
            "{}{word} {weight:+}",
            if negated { "not " } else { "" }
        ));
    }
    let score = sum.clamp(-10.0, 10.0).round();
    let why = if parts.is_empty() {
        "no warm or hostile word: 0".to_string()
    } else {
        format!("{} = {score}", parts.join(", "))
    };
    (score, why)
}

/// The topics the words of `s` propose, sorted, each once.
pub(super) fn topics(s: &str) -> Vec<String> {
    let words: Vec<String> = text::words(s, 0..s.len())
        .into_iter()
        .map(|w| w.lower)
        .collect();
    let mut out: Vec<String> = TOPICS
        .iter()
        .filter(|(key, _)| {
            let key: Vec<&str> = key.split(' ').collect();
            words
                .windows(key.len())
                .any(|w| w.iter().zip(&key).all(|(a, b)| a == b))
        })
        .map(|(_, topic)| topic.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proposed_score_sums_the_tone_words_and_turns_after_a_negation() {
        assert_eq!(tone("They attacked the border post.").0, -6.0);
        assert_eq!(tone("We will never attack, and we seek peace.").0, 9.0);
        assert_eq!(tone("Ruritania lifted the tariffs.").0, 3.0);
        assert_eq!(tone("A quiet day.").0, 0.0);
        // Held within the scale.
        assert_eq!(tone("terrorist attack killed, invaded, shelled").0, -10.0);
    }

    #[test]
    fn topics_come_from_words_and_two_word_phrases() {
        assert_eq!(
            topics("They defend territorial integrity and trade at the border."),
            ["border", "territorial-integrity", "trade"]
        );
        assert!(topics("Nothing to see.").is_empty());
    }
}
