//! Draft records from a text (`saydo draft`): the first pass of a curator,
//! made by rules a curator can read.
//!
//! A text becomes proposed claims (who said what: direct quotations and
//! reported speech) and actions (dated deeds of an actor), each in the
//! data format with `source.document` and `source.quote` taken word for
//! word from the text, and a `draft` object that says how sure the rule
//! was and why, so the curator knows what to check. It stands beside the
//! pipeline as `import` does: text in, records out, nothing checked.
//!
//! The rules are general English (`lexicon`); who is who comes only from
//! the actors given (`names`). The text is read twice: once to date every
//! sentence (`dates`: the text's own present may come late), once to find
//! statements and deeds. Each sentence is cut once and each rule looks at
//! a bounded window of words, so the time is linear in the text's length.
//! The same text and actors give the same records, byte for byte.
//! docs/draft.md describes the rules and their limits.

mod clause;
mod dates;
mod drafter;
mod lexicon;
mod measure;
mod names;
mod proposal;
mod text;
mod wire;

pub use measure::{Measure, measure};
pub use wire::write_jsonl;

use crate::model::{Actor, ActorKind};
use dates::{Carrier, Date};
use drafter::Drafter;

/// What a draft record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Words: has a `stance`.
    Claim,
    /// A deed: has an `effect`.
    Action,
}

/// A proposed claim or action.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftRecord {
    /// Claim or action.
    pub kind: Kind,
    /// A unique id: the actor and the first words of the text.
    pub id: String,
    /// The actor's id (known, or proposed in [`Draft::actors`]).
    pub actor: String,
    /// The date, as precise as the text allows; `None` when nothing in
    /// the text dates it (the curator must).
    pub date: Option<String>,
    /// The proposed target's id.
    pub target: Option<String>,
    /// Proposed topics.
    pub topics: Vec<String>,
    /// Proposed stance (claims) or effect (actions), from the lexicon.
    pub score: f64,
    /// `reported` or `alleged` when the text says so (actions only).
    pub attribution: Option<&'static str>,
    /// The statement quoted, or the sentence.
    pub text: String,
    /// `source.document`.
    pub document: String,
    /// `source.quote`: words of the text, exactly.
    pub quote: String,
    /// The line of the text the sentence starts on.
    pub line: u32,
    /// How sure the rule was, in [0, 1].
    pub confidence: f64,
    /// What the rule saw, and what to check.
    pub why: String,
}

/// An actor the text names that the actors given do not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewActor {
    /// A proposed id.
    pub id: String,
    /// The name as the text writes it.
    pub name: String,
    /// A proposed kind.
    pub kind: ActorKind,
}

/// Everything proposed from one text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// Claims and actions, in the order of the text.
    pub records: Vec<DraftRecord>,
    /// New actors the records name, in the order first named.
    pub actors: Vec<NewActor>,
}

/// Reads the actors of a folder of actor files (`--actors DIR`), checked
/// as `saydo validate` checks them; every problem if any is an error.
pub fn read_actors(dir: &std::path::Path) -> Result<Vec<Actor>, crate::Invalid> {
    use crate::diag::{Code, Diagnostic};
    let (root, name) = match (dir.parent(), dir.file_name()) {
        (Some(root), Some(name)) => (root.to_path_buf(), name.to_string_lossy().into_owned()),
        _ => match dir.canonicalize() {
            Ok(full) => (
                full.parent().map(|p| p.to_path_buf()).unwrap_or_default(),
                full.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            Err(_) => (dir.to_path_buf(), String::new()),
        },
    };
    let mut files = crate::diag::Files::new(&root);
    let mut problems = Vec::new();
    let listed = crate::input::read::list_folder(&root, &name, false, &mut files, &mut problems);
    let Some(list) = listed.filter(|_| dir.is_dir()) else {
        if problems.is_empty() {
            problems.push(
                Diagnostic::global(
                    Code::Io,
                    format!("actors folder {} does not exist", dir.display()),
                )
                .hint("give the folder that holds the actor files, e.g. --actors actors"),
            );
        }
        return Err(crate::Invalid { files, problems });
    };
    let (actors, _, chains_ok) = crate::validate::actors::load_actors(&list, &files, &mut problems);
    if problems.iter().any(crate::diag::Diagnostic::is_error) || !chains_ok {
        crate::diag::sort(&mut problems);
        return Err(crate::Invalid { files, problems });
    }
    Ok(actors)
}

/// Proposes claims and actions from `text`, a file the dataset will hold
/// at `document` (`seeds/…`), naming actors through `actors`.
pub fn draft(text: &str, document: &str, actors: &[Actor]) -> Draft {
    let sentences = text::sentences(text);
    // First reading: dates, and the text's own present.
    let mut carrier = Carrier::default();
    let mut datings = Vec::with_capacity(sentences.len());
    for s in &sentences {
        let words = text::words(text, s.range.clone());
        // A date inside a quotation is the speaker's ("a promise it made
        // in 1998"), not the sentence's, unless no other is written.
        let outside = text::unquoted(words.clone(), &text::quotes(text, s.range.clone()));
        let words = if dates::written(&outside).is_empty() {
            words
        } else {
            outside
        };
        datings.push(carrier.date(s.paragraph, &words, &text[s.range.clone()]));
    }
    let now = carrier.now().cloned();
    let last_year = carrier.year();

    let mut drafter = Drafter::new(actors, document);
    let mut year_so_far: Option<i32> = None;
    for (s, dating) in sentences.iter().zip(&datings) {
        if let Some(d) = dating.date() {
            year_so_far = Some(d.year);
        }
        let undated = match (&now, year_so_far.or(last_year)) {
            (Some((year, phrase)), _) => Some((
                Date::year(*year),
                format!("no date in the text for it; the text's own present (\"{phrase}\")"),
            )),
            (None, Some(year)) => Some((
                Date::year(year),
                format!("no date in the text for it; {year}, the year last written"),
            )),
            (None, None) => None,
        };
        drafter.sentence(text, s, dating, undated);
    }
    drafter.finish()
}

#[cfg(test)]
mod tests;
