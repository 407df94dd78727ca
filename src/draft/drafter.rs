//! The second reading of a text: sentence by sentence, who speaks or
//! acts, what they said or did, and the records that makes, with what the
//! reading remembers from one sentence to the next.

use super::clause::{Clause, Who};
use super::dates::{self, Date, Dating};
use super::lexicon::*;
use super::names::{self, Names};
use super::proposal::{tone, topics};
use super::{Draft, DraftRecord, Kind, NewActor, text};
use crate::model::{Actor, ActorIx, ActorKind};
use rustc_hash::FxHashMap;

/// Longest sentence the rules read, in words. A longer one is a text
/// without marks, not a sentence a curator would quote; skipping it keeps
/// the rules' work per sentence bounded, and so the whole linear.
const MAX_SENTENCE_WORDS: usize = 400;

/// Nouns that make a proposed actor an organisation.
const ORGANIZATION_WORDS: &[&str] = &[
    "company",
    "corporation",
    "corp",
    "inc",
    "ltd",
    "ministry",
    "council",
    "agency",
    "army",
    "forces",
    "bank",
    "party",
    "union",
    "trading",
    "group",
    "industries",
    "department",
    "office",
    "government",
    "committee",
    "commission",
    "court",
    "police",
    "navy",
    "guard",
    "holdings",
    "systems",
    "works",
    "association",
    "federation",
    "institute",
];

/// What the reading remembers from sentence to sentence.
#[derive(Default)]
struct Memory {
    /// Actors named, most recent last, each once.
    recent: Vec<ActorIx>,
    /// The last subject that is not a person, and the last that is.
    thing: Option<ActorIx>,
    person: Option<ActorIx>,
    /// Nouns an actor's adjective or possessive qualified: "Ruritanian
    /// embassy" → ruritania, so that "the embassy" is Ruritania's.
    heads: FxHashMap<String, ActorIx>,
    /// The doers of the last deed and its paragraph.
    last_doers: Option<(u32, Vec<ActorIx>)>,
}

impl Memory {
    fn named(&mut self, ix: ActorIx) {
        self.recent.retain(|&r| r != ix);
        self.recent.push(ix);
    }
}

pub(super) struct Drafter {
    /// The actors given, then those proposed.
    cast: Vec<Actor>,
    names: Names,
    memory: Memory,
    out: Draft,
    ids: FxHashMap<String, u32>,
    document: String,
}

/// A resolved speaker or doer: actors and how they were found.
struct Found {
    actors: Vec<ActorIx>,
    how: String,
    confidence: f64,
}

impl Drafter {
    pub fn new(actors: &[Actor], document: &str) -> Drafter {
        Drafter {
            cast: actors.to_vec(),
            names: Names::new(actors),
            memory: Memory::default(),
            out: Draft::default(),
            ids: FxHashMap::default(),
            document: document.to_string(),
        }
    }

    /// The records and new actors proposed.
    pub fn finish(self) -> Draft {
        self.out
    }

    /// Reads the next sentence, dated by the first reading; `undated` is
    /// the date a statement takes when nothing in the text dates it.
    pub fn sentence(
        &mut self,
        text: &str,
        s: &text::Sentence,
        dating: &Dating,
        undated: Option<(Date, String)>,
    ) {
        if text::words(text, s.range.clone()).len() > MAX_SENTENCE_WORDS {
            return;
        }
        let mut c = Clause::new(text, s.range.clone());
        c.mentions = self.names.mentions(&c.words, 0..c.words.len());
        for m in &mut c.mentions {
            if m.how == names::How::Pair {
                // Two countries, companies or sides: not persons, when
                // two others were named.
                let recent = &self.memory.recent;
                let things: Vec<ActorIx> = recent
                    .iter()
                    .copied()
                    .filter(|&a| self.cast[a as usize].kind != ActorKind::Person)
                    .collect();
                let from = if things.len() >= 2 { &things } else { recent };
                m.actors = from.iter().rev().take(2).rev().copied().collect();
            }
        }
        let sentence = &text[s.range.clone()];
        let speech = c.speech();
        // A statement: a verb of speech with a subject that names someone.
        if let Some((verb, after)) = speech {
            // "“…,” said X" / "“…,” X said": the speaker after the quote.
            let quote_before = c.quotes.iter().any(|q| q.end <= c.words[verb].range.start);
            let who = if quote_before {
                let from = (0..verb).rev().find(|&k| c.quoted[k]).map_or(0, |k| k + 1);
                c.mentions
                    .iter()
                    .position(|m| m.first >= from && !c.quoted[m.first])
                    .map(|i| Who::Named(vec![i]))
                    .or_else(|| c.subject(verb))
            } else {
                c.subject(verb)
            };
            if let Some(speaker) = who.and_then(|w| self.resolve(&c, w, true)) {
                self.statement(&c, s, sentence, &speaker, dating, undated.clone());
                let announced = ANNOUNCING.contains(&c.words[verb].lower.as_str());
                if announced
                    && let Some(deed) = (after..c.words.len())
                        .find(|&k| !c.quoted[k] && DEED_NOUNS.contains(&c.words[k].lower.as_str()))
                    && let Some(date) = dating.date()
                {
                    let why = format!(
                        "\"{}\" announced by {} (a plan of a deed, dated): {}",
                        c.words[deed].lower,
                        speaker.how,
                        dating_why(dating)
                    );
                    self.action(&c, s, sentence, &speaker.actors, date, why, 0.5);
                }
            }
            // A deed that is the sentence's main verb, the speech after it
            // ("X expelled two diplomats …, accusing them of spying").
            if let Some(deed) = c.first_of(DEED_VERBS).filter(|&d| d < verb)
                && let Some(date) = dating.date()
                && let Some(found) = c.doer(deed).and_then(|w| self.resolve(&c, w, false))
            {
                let why = format!(
                    "deed \"{}\" of {}, before the words the sentence reports; {}",
                    c.words[deed].lower,
                    found.how,
                    dating_why(dating)
                );
                self.memory.last_doers = Some((s.paragraph, found.actors.clone()));
                let confidence = 0.6 * found.confidence;
                self.action(&c, s, sentence, &found.actors, date, why, confidence);
            }
            self.remember(&c);
            return;
        }
        // A deed: a verb or noun of a deed, dated by the text.
        let deed = c.first_of(DEED_VERBS).or_else(|| c.first_of(DEED_NOUNS));
        if let (Some(deed), Some(date)) = (deed, dating.date()) {
            let written = matches!(dating, Dating::Written(..));
            let noun = DEED_NOUNS.contains(&c.words[deed].lower.as_str());
            let found = c
                .doer(deed)
                .and_then(|w| self.resolve(&c, w, false))
                .or_else(|| {
                    // A dated deed whose doer the sentence does not name:
                    // the doer of the paragraph's last deed, or no one yet.
                    let (p, doers) = self.memory.last_doers.clone()?;
                    (written && p == s.paragraph).then(|| Found {
                        actors: doers,
                        how: "the doer of the paragraph's previous deed".into(),
                        confidence: 0.4,
                    })
                })
                .or_else(|| {
                    (written && noun).then(|| Found {
                        actors: vec![self.unnamed()],
                        how: "no doer named in the sentence".into(),
                        confidence: 0.3,
                    })
                });
            if let Some(found) = found {
                let why = format!(
                    "deed \"{}\" of {}; {}",
                    c.words[deed].lower,
                    found.how,
                    dating_why(dating)
                );
                let base = if written { 0.7 } else { 0.5 };
                self.memory.last_doers = Some((s.paragraph, found.actors.clone()));
                let confidence = base * found.confidence;
                self.action(&c, s, sentence, &found.actors, date, why, confidence);
            }
            self.later_deeds(&c, s, sentence, deed, date);
        }
        self.remember(&c);
    }

    /// Deeds after the first in a sentence, each a verb in a part of its
    /// own with its doer named beside it: "…, and Karsia closed its border
    /// crossings the next day". The sentence's date to the month, or the
    /// day after its day for "the next day" or "the following day".
    fn later_deeds(
        &mut self,
        c: &Clause<'_>,
        s: &text::Sentence,
        sentence: &str,
        first: usize,
        date: Date,
    ) {
        let mut from = first + 1;
        while let Some(deed) = (from..c.words.len()).find(|&k| {
            !c.quoted[k]
                && c.part[k] != c.part[first]
                && DEED_VERBS.contains(&c.words[k].lower.as_str())
        }) {
            from = deed + 1;
            let Some(found) = c.doer_in_part(deed).and_then(|w| self.resolve(c, w, false)) else {
                continue;
            };
            let part: Vec<&str> = c.words[deed..]
                .iter()
                .zip(&c.part[deed..])
                .take_while(|(_, p)| **p == c.part[deed])
                .map(|(w, _)| w.lower.as_str())
                .collect();
            let next_day = part
                .windows(2)
                .any(|w| matches!(w, ["next" | "following", "day"] | ["day", "later"]));
            let (date, when) = match date.next_day().filter(|_| next_day) {
                Some(d) => (d, "the day after the sentence's date".to_string()),
                None => (
                    date.to_month(),
                    "the sentence's date, to the month: the deed's day is not named".to_string(),
                ),
            };
            let why = format!(
                "a later deed \"{}\" of the sentence, of {}; {when}",
                c.words[deed].lower, found.how
            );
            self.action(
                c,
                s,
                sentence,
                &found.actors,
                date,
                why,
                0.5 * found.confidence,
            );
        }
    }

    /// Notes who the sentence named, its subject, and the nouns its
    /// adjectives qualify.
    fn remember(&mut self, c: &Clause<'_>) {
        for m in &c.mentions {
            if m.how == names::How::Pair {
                continue;
            }
            for &a in &m.actors {
                self.memory.named(a);
            }
            if matches!(m.how, names::How::Adjective | names::How::Name)
                && let [a] = m.actors[..]
                && let Some(next) = c.words.get(m.end)
                && !next.capital
                && next.lower.len() > 3
            {
                let head = c.words[m.end..]
                    .iter()
                    .take(3)
                    .take_while(|w| !w.capital)
                    .last()
                    .map_or(next.lower.clone(), |w| w.lower.clone());
                self.memory.heads.insert(next.lower.clone(), a);
                self.memory.heads.insert(head, a);
            }
        }
        if let Some(Who::Named(ms)) = c.subject(c.words.len())
            && let [m] = ms[..]
            && let [a] = c.mentions[m].actors[..]
        {
            if self.cast[a as usize].kind == ActorKind::Person {
                self.memory.person = Some(a);
            } else {
                self.memory.thing = Some(a);
            }
        }
    }

    /// The actors a subject or doer stands for.
    fn resolve(&mut self, c: &Clause<'_>, who: Who, speaking: bool) -> Option<Found> {
        match who {
            Who::Named(ms) => {
                let mut actors = Vec::new();
                let mut hows = Vec::new();
                // A pair stands for actors named before: less sure.
                let confidence = if ms.iter().any(|&m| c.mentions[m].how == names::How::Pair) {
                    0.6
                } else {
                    0.9
                };
                for m in ms {
                    let mention = &c.mentions[m];
                    actors.extend(mention.actors.iter().copied());
                    let said = &c.text
                        [c.words[mention.first].range.start..c.words[mention.end - 1].range.end];
                    hows.push(format!(
                        "\"{said}\" ({})",
                        match mention.how {
                            names::How::Name => "a name in the actors",
                            names::How::Role => "a role title in the actors",
                            names::How::Adjective => "the adjective of a state's name",
                            names::How::Surname => "a surname",
                            names::How::Pair => "the last two actors named",
                        }
                    ));
                }
                actors.dedup();

                (!actors.is_empty()).then(|| Found {
                    actors,
                    how: hows.join(" and "),
                    confidence,
                })
            }
            Who::Pronoun { person } => {
                let a = if person {
                    self.memory.person
                } else {
                    self.memory.thing
                }?;
                Some(Found {
                    actors: vec![a],
                    how: format!(
                        "a pronoun, read as {}, the last subject of its kind",
                        self.cast[a as usize].id
                    ),
                    confidence: 0.5,
                })
            }
            Who::Noun(nouns) => {
                let a = nouns
                    .iter()
                    .find_map(|n| self.memory.heads.get(n).copied())?;
                Some(Found {
                    actors: vec![a],
                    how: format!(
                        "\"the {}\", read as {}'s from an earlier sentence",
                        nouns.join(" "),
                        self.cast[a as usize].id
                    ),
                    confidence: 0.5,
                })
            }
            Who::Proposed(name) => {
                if !speaking && name.split_whitespace().count() < 2 {
                    return None;
                }
                let a = self.propose(&name);
                Some(Found {
                    actors: vec![a],
                    how: format!("\"{name}\", a new actor to add to the actors"),
                    confidence: 0.5,
                })
            }
        }
    }

    /// The actor `name` proposes, added once.
    fn propose(&mut self, name: &str) -> ActorIx {
        let id = crate::model::id_from(name).unwrap_or_else(|| "unnamed".into());
        if let Some(ix) = self.cast.iter().position(|a| a.id == id) {
            return ix as ActorIx;
        }
        let lower = name.to_lowercase();
        let kind = if lower
            .split_whitespace()
            .any(|w| ORGANIZATION_WORDS.contains(&w))
        {
            ActorKind::Organization
        } else if name.split_whitespace().count() >= 2 {
            ActorKind::Person
        } else {
            ActorKind::Group
        };
        self.cast.push(Actor {
            id: id.clone(),
            name: name.to_string(),
            kind,
            aliases: Vec::new(),
            roles: Vec::new(),
            at: None,
        });
        self.out.actors.push(NewActor {
            id,
            name: name.to_string(),
            kind,
        });
        self.names.add(name, kind, (self.cast.len() - 1) as ActorIx);
        (self.cast.len() - 1) as ActorIx
    }

    /// The stand-in for a doer the text does not name.
    fn unnamed(&mut self) -> ActorIx {
        self.propose("unnamed")
    }

    /// The principals of `a` (itself, and whom it acts for, transitively).
    fn principals(&self, a: ActorIx) -> Vec<ActorIx> {
        let mut out = vec![a];
        let mut k = 0;
        while k < out.len() && out.len() < 64 {
            let roles: Vec<ActorIx> = self.cast[out[k] as usize]
                .roles
                .iter()
                .map(|r| r.principal)
                .collect();
            for p in roles {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            k += 1;
        }
        out
    }

    /// The target of a record by `actor`: the first actor named in the
    /// sentence that is not the actor nor one it acts for; else the one
    /// named most recently before.
    fn target(&self, c: &Clause<'_>, actor: ActorIx, from: usize) -> Option<(ActorIx, bool)> {
        let own = self.principals(actor);
        let other = |a: &ActorIx| !own.contains(a) && self.cast[*a as usize].id != "unnamed";
        let named = c
            .mentions
            .iter()
            .filter(|m| m.first >= from)
            .chain(c.mentions.iter().filter(|m| m.first < from))
            .flat_map(|m| m.actors.iter())
            .find(|a| other(a))
            .copied();
        if let Some(t) = named {
            return Some((t, true));
        }
        // Named before: a person who acts for someone stands for whom
        // (a minister's words answer the state).
        let a = *self.memory.recent.iter().rev().find(|a| other(a))?;
        let actor = &self.cast[a as usize];
        match actor.roles.first() {
            Some(r) if actor.kind == ActorKind::Person && other(&r.principal) => {
                Some((r.principal, false))
            }
            _ => Some((a, false)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn statement(
        &mut self,
        c: &Clause<'_>,
        s: &text::Sentence,
        sentence: &str,
        speaker: &Found,
        dating: &Dating,
        undated: Option<(Date, String)>,
    ) {
        let (date, date_why) = match dating.date() {
            Some(d) => (Some(d), dating_why(dating)),
            None => match undated {
                Some((d, why)) => (Some(d), why),
                None => (None, "no date in the text: set one".to_string()),
            },
        };
        // A quotation that reads as a sentence (a capital first, a mark
        // of its end last) or is long is the statement; another ("a
        // \"terrorist act\"") is a phrase of the sentence.
        let long: Vec<_> = c
            .quotes
            .iter()
            .filter(|q| {
                let quoted = c.text[(*q).clone()].trim();
                let sentence_like = quoted.chars().next().is_some_and(char::is_uppercase)
                    && quoted.ends_with(['.', '!', '?', ',']);
                sentence_like || text::words(c.text, (*q).clone()).len() >= 8
            })
            .cloned()
            .collect();
        let actor = speaker.actors[0];
        let (quote, kind_why, confidence) = match long.first() {
            Some(q) => (
                c.text[q.clone()].trim().to_string(),
                "direct quotation",
                speaker.confidence,
            ),
            None if !c.quotes.is_empty() => (
                sentence.to_string(),
                "a phrase quoted in reported speech",
                speaker.confidence * 0.9,
            ),
            None => (
                sentence.to_string(),
                "reported speech",
                speaker.confidence * 0.8,
            ),
        };
        let from = long.first().map_or(0, |q| {
            c.words
                .iter()
                .position(|w| w.range.start >= q.start)
                .unwrap_or(0)
        });
        let target = self.target(c, actor, from);
        let mut why = format!("{kind_why}; speaker {}", speaker.how);
        push_target_why(&mut why, target, &self.cast);
        why.push_str(&format!("; {date_why}"));
        let (score, tone) = tone(&quote);
        why.push_str(&format!("; stance proposed from {tone}"));
        let rec = DraftRecord {
            kind: Kind::Claim,
            id: String::new(),
            actor: self.cast[actor as usize].id.clone(),
            date: date.map(|d| d.to_string()),
            target: target.map(|(t, _)| self.cast[t as usize].id.clone()),
            topics: topics(&quote),
            score,
            attribution: None,
            text: quote.clone(),
            document: self.document.clone(),
            quote,
            line: s.line,
            confidence: round2(confidence * if date.is_some() { 1.0 } else { 0.8 }),
            why,
        };
        self.push(rec);
    }

    #[allow(clippy::too_many_arguments)]
    fn action(
        &mut self,
        c: &Clause<'_>,
        s: &text::Sentence,
        sentence: &str,
        doers: &[ActorIx],
        date: Date,
        why: String,
        confidence: f64,
    ) {
        let lower = sentence.to_lowercase();
        let has = |list: &[&str]| {
            (0..c.words.len()).any(|k| !c.quoted[k] && list.contains(&c.words[k].lower.as_str()))
        };
        let attribution = if has(ALLEGED) {
            Some("alleged")
        } else if has(REPORTED) {
            Some("reported")
        } else {
            None
        };
        let (score, tone) = tone(sentence);
        for &doer in doers {
            // A joint deed: each doer's target is the other.
            let target = match doers {
                [a, b] if doer == *a => Some((*b, true)),
                [a, b] if doer == *b => Some((*a, true)),
                _ => self.target(c, doer, 0),
            };
            let mut why = why.clone();
            push_target_why(&mut why, target, &self.cast);
            if let Some(a) = attribution {
                why.push_str(&format!("; {a}, as the sentence says"));
            }
            why.push_str(&format!("; effect proposed from {tone}"));
            let rec = DraftRecord {
                kind: Kind::Action,
                id: String::new(),
                actor: self.cast[doer as usize].id.clone(),
                date: Some(date.to_string()),
                target: target.map(|(t, _)| self.cast[t as usize].id.clone()),
                topics: topics(&lower),
                score,
                attribution,
                text: sentence.to_string(),
                document: self.document.clone(),
                quote: sentence.to_string(),
                line: s.line,
                confidence: round2(confidence.min(0.9)),
                why,
            };
            self.push(rec);
        }
    }

    /// Gives the record its id (the actor and the text's first words, a
    /// number after a repeat) and keeps it.
    fn push(&mut self, mut rec: DraftRecord) {
        let words: Vec<String> = text::words(&rec.text, 0..rec.text.len())
            .into_iter()
            .map(|w| w.lower)
            .filter(|w| {
                // Words that tell records apart: not the actor's own name
                // or adjective, a date, or a word any sentence has.
                let slug = crate::model::id_from(w).unwrap_or_default();
                let own = rec
                    .actor
                    .split('-')
                    .any(|part| part == slug || (part.len() >= 4 && slug.starts_with(part)));
                w.len() > 3
                    && !own
                    && !w.starts_with(|c: char| c.is_ascii_digit())
                    && !dates::is_month(w)
                    && !ADVERBIAL.contains(&w.as_str())
                    && !COMMON.contains(&w.as_str())
            })
            .take(3)
            .collect();
        let base = crate::model::id_from(&format!("{} {}", rec.actor, words.join(" ")))
            .unwrap_or_else(|| "draft".into());
        let n = self.ids.entry(base.clone()).or_insert(0);
        *n += 1;
        rec.id = if *n == 1 { base } else { format!("{base}-{n}") };
        self.out.records.push(rec);
    }
}

fn push_target_why(why: &mut String, target: Option<(ActorIx, bool)>, cast: &[Actor]) {
    match target {
        Some((t, true)) => why.push_str(&format!(
            "; target {} named in the sentence",
            cast[t as usize].id
        )),
        Some((t, false)) => why.push_str(&format!(
            "; target {}, named before: check it",
            cast[t as usize].id
        )),
        None => why.push_str("; no target found"),
    }
}

fn dating_why(d: &Dating) -> String {
    match d {
        Dating::Written(_, why) | Dating::Carried(_, why) => why.clone(),
        Dating::None => "undated".into(),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
