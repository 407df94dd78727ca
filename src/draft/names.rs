//! Who a sentence names, through the actors given and nothing else.
//!
//! An actor is named by its id, name or any alias (longest first, case
//! ignored, a possessive "’s" allowed: "Ruritania’s"); by a role title its
//! actor file declares, with whom it acts for ("the President of
//! Ruritania", "Ruritanian President", when an actor `acts_for` Ruritania
//! as "President"); by a state's adjective ("Ruritanian officials": the
//! state's one-word name and an English ending); by a person's surname
//! when no other actor has it; and, for "the two countries" or "both
//! sides", by the last two actors the text named (the caller keeps them).

use super::lexicon::{DEMONYM_ENDINGS, PAIR_NOUNS};
use super::text::Word;
use crate::model::{Actor, ActorIx, ActorKind};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// How a mention names its actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum How {
    Name,
    Role,
    Adjective,
    Surname,
    Pair,
}

/// A place in a sentence that names actors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mention {
    /// Words `words[first..end]` of the sentence.
    pub first: usize,
    pub end: usize,
    /// One actor, or two for a pair (filled by the caller).
    pub actors: Vec<ActorIx>,
    pub how: How,
}

/// The names of the actors given, ready to be looked for in words.
pub(crate) struct Names {
    /// By first word: each name's words, and its actor.
    by_first: FxHashMap<String, Vec<(Vec<String>, ActorIx)>>,
    /// One-word names of states, lower case.
    states: Vec<(String, ActorIx)>,
    /// Surnames of persons no other actor shares.
    surnames: FxHashMap<String, ActorIx>,
    /// Role titles (words) → (principal, holder).
    roles: Vec<(Vec<String>, ActorIx, ActorIx)>,
}

fn lower_words(s: &str) -> Vec<String> {
    super::text::words(s, 0..s.len())
        .into_iter()
        .map(|w| w.lower)
        .collect()
}

/// A word without its possessive ending.
fn bare(w: &str) -> &str {
    w.strip_suffix("'s").unwrap_or(w)
}

impl Names {
    pub fn new(actors: &[Actor]) -> Names {
        let mut by_first: FxHashMap<String, Vec<(Vec<String>, ActorIx)>> = FxHashMap::default();
        let mut states = Vec::new();
        let mut surname_owners: FxHashMap<String, Vec<ActorIx>> = FxHashMap::default();
        let mut roles = Vec::new();
        for (ix, a) in actors.iter().enumerate() {
            let ix = ix as ActorIx;
            for name in std::iter::once(&a.name).chain(&a.aliases) {
                let words = lower_words(name);
                let mut variants = vec![words.clone()];
                if words.first().is_some_and(|w| w == "the") && words.len() > 1 {
                    variants.push(words[1..].to_vec());
                }
                for v in variants {
                    if let Some(first) = v.first() {
                        by_first
                            .entry(first.clone())
                            .or_default()
                            .push((v.clone(), ix));
                    }
                }
                if a.kind == ActorKind::State && words.len() == 1 {
                    states.push((words[0].clone(), ix));
                }
            }
            if a.kind == ActorKind::Person {
                let words = lower_words(&a.name);
                if words.len() > 1
                    && let Some(last) = words.last()
                {
                    surname_owners.entry(last.clone()).or_default().push(ix);
                }
            }
            for r in &a.roles {
                let title = lower_words(&r.role);
                if !title.is_empty() && title.len() <= 4 {
                    roles.push((title, r.principal, ix));
                }
            }
        }
        for list in by_first.values_mut() {
            // Longest first, so the first match found is the longest.
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
            list.dedup();
        }
        let surnames = surname_owners
            .into_iter()
            .filter(|(name, owners)| owners.len() == 1 && !by_first.contains_key(name))
            .map(|(name, owners)| (name, owners[0]))
            .collect();
        Names {
            by_first,
            states,
            surnames,
            roles,
        }
    }

    /// Adds an actor proposed while reading (no aliases, no roles): its
    /// name, and a person's surname if no one has it yet. Only the names
    /// it touches are sorted again, so proposing many actors stays cheap.
    pub fn add(&mut self, name: &str, kind: ActorKind, ix: ActorIx) {
        let words = lower_words(name);
        let Some(first) = words.first().cloned() else {
            return;
        };
        if kind == ActorKind::Person
            && words.len() > 1
            && let Some(last) = words.last()
            && !self.by_first.contains_key(last)
        {
            self.surnames.entry(last.clone()).or_insert(ix);
        }
        let list = self.by_first.entry(first).or_default();
        list.push((words, ix));
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
    }

    /// Every mention in `words[range]`, in order, none overlapping.
    pub fn mentions(&self, words: &[Word], range: Range<usize>) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let mut k = range.start;
        while k < range.end {
            if let Some(m) = self.at(words, k, range.end) {
                k = m.end;
                out.push(m);
            } else {
                k += 1;
            }
        }
        for m in &mut out {
            self.as_role(words, m, range.start);
        }
        out
    }

    /// The mention that starts at word `k`, if one does.
    fn at(&self, words: &[Word], k: usize, end: usize) -> Option<Mention> {
        let w = &words[k];
        if let Some(list) = self
            .by_first
            .get(bare(&w.lower))
            .or_else(|| self.by_first.get(&w.lower))
        {
            for (name, ix) in list {
                let e = k + name.len();
                if e > end {
                    continue;
                }
                let fits = name.iter().enumerate().all(|(i, n)| {
                    let t = &words[k + i].lower;
                    t == n || (i + 1 == name.len() && bare(t) == n)
                });
                // A one-word name in lower case inside a sentence is a
                // common word ("close"), not a name.
                if fits && (w.capital || name.len() > 1 || k == 0) {
                    return Some(Mention {
                        first: k,
                        end: e,
                        actors: vec![*ix],
                        how: How::Name,
                    });
                }
            }
        }
        if w.capital {
            for (stem, ix) in &self.states {
                if let Some(ending) = w.lower.strip_prefix(stem.as_str())
                    && DEMONYM_ENDINGS.contains(&ending)
                {
                    return Some(Mention {
                        first: k,
                        end: k + 1,
                        actors: vec![*ix],
                        how: How::Adjective,
                    });
                }
            }
            if let Some(ix) = self.surnames.get(bare(&w.lower)) {
                return Some(Mention {
                    first: k,
                    end: k + 1,
                    actors: vec![*ix],
                    how: How::Surname,
                });
            }
        }
        if matches!(w.lower.as_str(), "two" | "both")
            && let Some(next) = words.get(k + 1)
            && k + 1 < end
            && PAIR_NOUNS.contains(&next.lower.as_str())
        {
            let first = if w.lower == "two" && k > 0 && words[k - 1].lower == "the" {
                k - 1
            } else {
                k
            };
            return Some(Mention {
                first,
                end: k + 2,
                actors: Vec::new(),
                how: How::Pair,
            });
        }
        None
    }

    /// A mention of a principal inside a role title becomes the holder:
    /// "President of Ruritania", "Ruritanian President", "Ruritania's President".
    fn as_role(&self, words: &[Word], m: &mut Mention, start: usize) {
        let [principal] = m.actors[..] else { return };
        if !matches!(m.how, How::Name | How::Adjective) {
            return;
        }
        for (title, p, holder) in &self.roles {
            if *p != principal {
                continue;
            }
            // "<title> of [the] <principal>"
            let mut before = m.first;
            if before > start && words[before - 1].lower == "the" {
                before -= 1;
            }
            if before > start + title.len()
                && words[before - 1].lower == "of"
                && title
                    .iter()
                    .enumerate()
                    .all(|(i, t)| words[before - 1 - title.len() + i].lower == *t)
            {
                m.first = before - 1 - title.len();
                m.actors = vec![*holder];
                m.how = How::Role;
                return;
            }
            // "<principal> <title>"
            let after = m.end;
            if after + title.len() <= words.len()
                && title
                    .iter()
                    .enumerate()
                    .all(|(i, t)| words[after + i].lower == *t)
            {
                m.end = after + title.len();
                m.actors = vec![*holder];
                m.how = How::Role;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::text::words;
    use crate::model::test_actor;

    fn actors() -> Vec<Actor> {
        let mut state = test_actor("ruritania", &["Ruritania", "Strelsau"], vec![]);
        state.kind = ActorKind::State;
        let mut other = test_actor("freedonia", &["Freedonia"], vec![]);
        other.kind = ActorKind::State;
        let role = crate::model::Role {
            principal: 0,
            role: "Prime Minister".into(),
            from: None,
            to: None,
            span: crate::date::Span::ALL,
        };
        let mut pm = test_actor("rudolf", &["the Chancellor"], vec![role]);
        pm.name = "Rudolf Rassendyll".into();
        vec![state, other, pm]
    }

    fn found(text: &str) -> Vec<(String, Vec<ActorIx>, How)> {
        let names = Names::new(&actors());
        let w = words(text, 0..text.len());
        names
            .mentions(&w, 0..w.len())
            .into_iter()
            .map(|m| {
                let said = text[w[m.first].range.start..w[m.end - 1].range.end].to_string();
                (said, m.actors, m.how)
            })
            .collect()
    }

    #[test]
    fn names_aliases_adjectives_surnames_and_pairs() {
        assert_eq!(
            found(
                "Strelsau’s envoy met Freedonian officials; Rassendyll and the Chancellor agreed, the two countries said."
            ),
            [
                ("Strelsau’s".to_string(), vec![0], How::Name),
                ("Freedonian".to_string(), vec![1], How::Adjective),
                ("Rassendyll".to_string(), vec![2], How::Surname),
                ("the Chancellor".to_string(), vec![2], How::Name),
                ("the two countries".to_string(), vec![], How::Pair),
            ]
        );
    }

    #[test]
    fn role_titles_come_from_the_actors_data() {
        assert_eq!(
            found("The Prime Minister of Ruritania spoke."),
            [(
                "Prime Minister of Ruritania".to_string(),
                vec![2],
                How::Role
            )]
        );
        assert_eq!(
            found("The Ruritanian Prime Minister spoke."),
            [("Ruritanian Prime Minister".to_string(), vec![2], How::Role)]
        );
        // A title no actor declares names no one.
        assert_eq!(
            found("The President of Ruritania spoke."),
            [("Ruritania".to_string(), vec![0], How::Name)]
        );
    }

    #[test]
    fn a_common_word_in_lower_case_is_no_name() {
        let names = Names::new(&[{
            let mut a = test_actor("close", &["Close"], vec![]);
            a.kind = ActorKind::Organization;
            a
        }]);
        let text = "They are close. Close said so.";
        let w = words(text, 0..text.len());
        let m = names.mentions(&w, 0..w.len());
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].first, 3);
    }
}
