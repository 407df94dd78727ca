//! A sentence as the rules read it: its words, the actors it names, its
//! parts between commas, and who its subject or a deed's doer is.

use super::lexicon::{ADVERBIAL, DETERMINERS, NOT_A_DOER, PRONOUNS, SPEECH_PHRASES, SPEECH_VERBS};
use super::names::Mention;
use super::text::Word;
use std::ops::Range;

/// One sentence, read.
pub(crate) struct Clause<'t> {
    pub text: &'t str,
    pub words: Vec<Word>,
    pub mentions: Vec<Mention>,
    /// Per word, which part of the sentence (between `,` `;` `:` `—` `(`
    /// `)`) it is in.
    pub part: Vec<u32>,
    /// Per word, whether it is inside a quotation.
    pub quoted: Vec<bool>,
    /// The quotations, inside their marks.
    pub quotes: Vec<Range<usize>>,
}

/// Who a subject or doer is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Who {
    /// Mentions, one or more joined by "and" (indices into `mentions`).
    Named(Vec<usize>),
    /// A pronoun at the start of a part ("It", "He").
    Pronoun { person: bool },
    /// A definite noun phrase ("the embassy"): its nouns, to match with
    /// an earlier "Ruritanian embassy".
    Noun(Vec<String>),
    /// A proper noun no actor has: a new actor to propose.
    Proposed(String),
}

impl<'t> Clause<'t> {
    pub fn new(text: &'t str, range: Range<usize>) -> Clause<'t> {
        let words = super::text::words(text, range.clone());
        let quotes = super::text::quotes(text, range.clone());
        let mut part = Vec::with_capacity(words.len());
        let mut n = 0u32;
        let mut prev_end = range.start;
        for w in &words {
            n += text[prev_end..w.range.start]
                .chars()
                .filter(|c| matches!(c, ',' | ';' | ':' | '—' | '–' | '(' | ')'))
                .count() as u32;
            part.push(n);
            prev_end = w.range.end;
        }
        let quoted = words
            .iter()
            .map(|w| {
                quotes
                    .iter()
                    .any(|q| q.start <= w.range.start && w.range.end <= q.end)
            })
            .collect();
        Clause {
            text,
            words,
            mentions: Vec::new(),
            part,
            quoted,
            quotes,
        }
    }

    /// The first word, outside quotations, that reports speech: a verb of
    /// the list or the first word of a phrase. Returns (its index, the
    /// index of the word after the verb or phrase).
    pub fn speech(&self) -> Option<(usize, usize)> {
        for k in 0..self.words.len() {
            if self.quoted[k] {
                continue;
            }
            let w = self.words[k].lower.as_str();
            let noun = k > 0 && DETERMINERS.contains(&self.words[k - 1].lower.as_str());
            if SPEECH_VERBS.contains(&w) && !noun {
                return Some((k, k + 1));
            }
            for phrase in SPEECH_PHRASES {
                let fits = phrase.iter().enumerate().all(|(i, p)| {
                    self.words
                        .get(k + i)
                        .is_some_and(|x| x.lower == *p || (*p == "*" && x.lower.ends_with("ly")))
                });
                if fits {
                    return Some((k, k + phrase.len()));
                }
            }
        }
        None
    }

    /// The first word outside quotations in `list`.
    pub fn first_of(&self, list: &[&str]) -> Option<usize> {
        (0..self.words.len())
            .find(|&k| !self.quoted[k] && list.contains(&self.words[k].lower.as_str()))
    }

    /// Whether the mention `m` follows a preposition that makes it whom
    /// or where a deed is done ("on the Ruritanian embassy").
    fn after_preposition(&self, m: &Mention) -> bool {
        let mut k = m.first;
        for _ in 0..3 {
            if k == 0 {
                return false;
            }
            k -= 1;
            let w = self.words[k].lower.as_str();
            if NOT_A_DOER.contains(&w) {
                return true;
            }
            if !matches!(w, "the" | "a" | "an" | "its" | "their" | "his" | "her") {
                return false;
            }
        }
        false
    }

    /// The subject of the verb at word `verb`: in the first part of the
    /// sentence before it that does not start with an adverbial word
    /// ("In response to …,", "However,") and names someone, the first
    /// actor named, a pronoun, or a proper noun to propose as a new actor.
    pub fn subject(&self, verb: usize) -> Option<Who> {
        let mut k = 0;
        while k < verb {
            let part = self.part[k];
            let end = (k..verb).find(|&i| self.part[i] != part).unwrap_or(verb);
            let first = self.words[k].lower.as_str();
            if self.quoted[k] {
                k = end;
                continue;
            }
            if let Some((_, person)) = PRONOUNS.iter().find(|(p, _)| *p == first) {
                return Some(Who::Pronoun { person: *person });
            }
            if ADVERBIAL.contains(&first) && end < verb {
                k = end;
                continue;
            }
            let named = self.named_in(k..end, false);
            if !named.is_empty() {
                return Some(Who::Named(named));
            }
            if !ADVERBIAL.contains(&first)
                && let Some(name) = self.proper_noun(k..end)
            {
                return Some(Who::Proposed(name));
            }
            // A part that names no one ("A year has passed since the
            // settlement,"): the subject is in a later part.
            k = end;
        }
        None
    }

    /// The doer of the deed at word `deed`: walking back from it part by
    /// part, the last actor named (with any joined to it by "and") that
    /// does not follow a preposition of place or target; else a pronoun
    /// or a definite noun phrase at a part's start.
    pub fn doer(&self, deed: usize) -> Option<Who> {
        let mut end = deed;
        while end > 0 {
            let part = self.part[end - 1];
            let start = (0..end)
                .rev()
                .take_while(|&i| self.part[i] == part)
                .last()
                .unwrap_or(end);
            // Within a part, after a "that" ("evidence that Freedonian
            // trucks were entering"), the clause after it.
            let from = (start..end)
                .rev()
                .find(|&i| self.words[i].lower == "that")
                .map_or(start, |i| i + 1);
            let named = self.named_in(from..end, true);
            if !named.is_empty() {
                return Some(Who::Named(named));
            }
            if from > start {
                let named = self.named_in(start..from, true);
                if !named.is_empty() {
                    return Some(Who::Named(named));
                }
            }
            let first = self.words[start].lower.as_str();
            if let Some((_, person)) = PRONOUNS.iter().find(|(p, _)| *p == first) {
                return Some(Who::Pronoun { person: *person });
            }
            if matches!(first, "the" | "its" | "their") && end - start <= 5 {
                let nouns = self.words[start + 1..end]
                    .iter()
                    .map(|w| w.lower.clone())
                    .collect();
                return Some(Who::Noun(nouns));
            }
            end = start;
        }
        None
    }

    /// The doer of a deed named in the deed's own part, before it: a later
    /// deed of a sentence ("…, and Karsia closed …") has its doer beside
    /// it, or is not read.
    pub fn doer_in_part(&self, deed: usize) -> Option<Who> {
        let part = self.part[deed];
        let start = (0..deed)
            .rev()
            .take_while(|&i| self.part[i] == part)
            .last()
            .unwrap_or(deed);
        let named = self.named_in(start..deed, true);
        (!named.is_empty()).then_some(Who::Named(named))
    }

    /// The mentions in words `range` outside quotations: for a subject
    /// the first (with those joined to it by "and"), for a doer the last
    /// one (with those joined to it); a doer's not after a preposition.
    fn named_in(&self, range: Range<usize>, last: bool) -> Vec<usize> {
        let inside: Vec<usize> = (0..self.mentions.len())
            .filter(|&i| {
                let m = &self.mentions[i];
                range.start <= m.first
                    && m.end <= range.end
                    && !self.quoted[m.first]
                    && !(last && self.after_preposition(m))
            })
            .collect();
        let Some(&pick) = (if last { inside.last() } else { inside.first() }) else {
            return Vec::new();
        };
        // Joined by "and": "Ruritanian and Freedonian special forces".
        let mut group = vec![pick];
        let joined =
            |a: &Mention, b: &Mention| b.first == a.end + 1 && self.words[a.end].lower == "and";
        let mut i = pick;
        while i > 0 && inside.contains(&(i - 1)) && joined(&self.mentions[i - 1], &self.mentions[i])
        {
            i -= 1;
            group.insert(0, i);
        }
        let mut j = pick;
        while inside.contains(&(j + 1)) && joined(&self.mentions[j], &self.mentions[j + 1]) {
            j += 1;
            group.push(j);
        }
        group
    }

    /// The proper noun of a part: its longest run of capitalised words
    /// (with "of", "the", "and", "for" inside), not the sentence's first
    /// word alone.
    fn proper_noun(&self, range: Range<usize>) -> Option<String> {
        let mut best: Option<Range<usize>> = None;
        let mut k = range.start;
        while k < range.end {
            if !self.words[k].capital || self.quoted[k] {
                k += 1;
                continue;
            }
            let mut e = k + 1;
            while e < range.end {
                let w = &self.words[e];
                let connector = matches!(w.lower.as_str(), "of" | "the" | "and" | "for")
                    && self.words.get(e + 1).is_some_and(|n| n.capital)
                    && self.part[e + 1] == self.part[k];
                if (w.capital || connector) && self.part[e] == self.part[k] {
                    e += 1;
                } else {
                    break;
                }
            }
            let mut s = k;
            if self.words[s].lower == "the" {
                s += 1;
            }
            let alone_first = s == 0 && e == 1;
            if s < e && !alone_first && best.as_ref().is_none_or(|b| e - s > b.len()) {
                best = Some(s..e);
            }
            k = e;
        }
        let r = best?;
        let name = &self.text[self.words[r.start].range.start..self.words[r.end - 1].range.end];
        Some(
            name.trim_end_matches("’s")
                .trim_end_matches("'s")
                .to_string(),
        )
    }
}
