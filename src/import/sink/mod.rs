//! Where imported rows go: claims and actions are written as JSON Lines
//! the moment they are read, so memory does not grow with the file;
//! actors are gathered (one entry per distinct actor) and written at the
//! end. Every row ends in exactly one way, a record, a counted skip or a
//! problem, and [`Counts`] adds them up.

use crate::diag::{Code, Diagnostic, FileId};
use crate::model::{ActorKind, Attribution, normalize_name};
use crate::render::json::{Obj, SourceJson};
use rustc_hash::{FxHashSet, FxHasher};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::Path;

/// Whether an event is words or a deed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// A claim: `stance` is its score.
    Claim,
    /// An action: `effect` is its score.
    Action,
}

/// One claim or action, ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Event {
    pub kind: Kind,
    /// A valid saydo id, unique among claims and actions.
    pub id: String,
    /// Where the id came from, for a `duplicate-id` problem.
    pub id_at: (FileId, Range<usize>),
    /// The actor's id (given to [`Sink::actor`]).
    pub actor: String,
    pub target: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// In [-10, 10].
    pub score: f64,
    pub text: String,
    pub topics: Vec<String>,
    /// Actions only.
    pub attribution: Option<Attribution>,
    pub url: Option<String>,
    pub notes: Option<String>,
}

/// An actor an event names.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NewActor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    /// The actor it acts for, if any (given to [`Sink::actor`] too).
    pub acts_for: Option<String>,
    /// Whether `name` is only a stand-in (a code), to be replaced by the
    /// first name the data gives the actor.
    pub stand_in: bool,
}

impl NewActor {
    /// An actor named by the data.
    pub fn named(
        id: impl Into<String>,
        name: impl Into<String>,
        kind: ActorKind,
        acts_for: Option<String>,
    ) -> NewActor {
        NewActor {
            id: id.into(),
            name: name.into(),
            kind,
            acts_for,
            stand_in: false,
        }
    }

    /// A state named by the data, acting for no one.
    pub fn state(id: impl Into<String>, name: impl Into<String>) -> NewActor {
        NewActor::named(id, name, ActorKind::State, None)
    }
}

/// Why a row became no record, though nothing is wrong with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Skip {
    /// It names no actor (event data often leaves the source blank).
    NoActor,
    /// It repeats an event already imported (the same event reported by
    /// another article).
    Merged,
    /// It is not an event: a header, a blank line, a documentation entry.
    NotAnEvent,
    /// Its format holds it to be something saydo does not import as a
    /// deed or a claim (see the format's mapping).
    Excluded,
}

/// How one row ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    Record(Box<Event>),
    Skip(Skip),
    Bad(Vec<Diagnostic>),
}

/// What an import read and wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Rows read (header and blank lines included).
    pub rows: u64,
    /// Claims written.
    pub claims: u64,
    /// Actions written.
    pub actions: u64,
    /// Actors written.
    pub actors: u64,
    /// Rows naming no actor, skipped.
    pub no_actor: u64,
    /// Rows repeating an imported event, merged into it.
    pub merged: u64,
    /// Headers, blank lines and other rows that are not events.
    pub not_events: u64,
    /// Rows the format's mapping does not import (see its README).
    pub excluded: u64,
    /// Rows with a problem, not imported.
    pub bad: u64,
}

impl Counts {
    /// Rows that became records.
    pub fn imported(&self) -> u64 {
        self.claims + self.actions
    }
}

/// Where a sink writes the lines of one file: into the output folder,
/// or held in memory for `saydo export --from`, which validates them
/// there and writes no JSON.
enum Lines {
    File(BufWriter<File>),
    Held(Vec<u8>),
}

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Lines::File(f) => f.write(buf),
            Lines::Held(v) => v.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Lines::File(f) => f.write_all(buf),
            Lines::Held(v) => {
                v.extend_from_slice(buf);
                Ok(())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Lines::File(f) => f.flush(),
            Lines::Held(_) => Ok(()),
        }
    }
}

impl Lines {
    /// The bytes held, or none for a file.
    fn into_held(self) -> Vec<u8> {
        match self {
            Lines::File(_) => Vec::new(),
            Lines::Held(v) => v,
        }
    }
}

/// Claims and actions on their way to the output folder (or memory).
pub(crate) struct Sink {
    claims: Lines,
    actions: Lines,
    actors: BTreeMap<String, NewActor>,
    /// Hashes of the ids written: a repeated id is a problem, whether
    /// the first was a claim or an action (the data format wants ids
    /// unique among both).
    ids: FxHashSet<u64>,
    pub counts: Counts,
    pub problems: Vec<Diagnostic>,
    /// Whether a problem is one of the request, not of a row (a column
    /// the options map that a file's header lacks): then nothing is
    /// written, even when bad rows may be skipped, since every row of
    /// that file would be read wrong.
    pub refused: bool,
}

/// A claim or action as its line of JSON is written.
pub(crate) struct RecordJson<'a> {
    pub id: &'a str,
    pub actor: &'a str,
    pub target: Option<&'a str>,
    pub date: &'a str,
    pub text: &'a str,
    pub topics: &'a [String],
    pub stance: Option<f64>,
    pub effect: Option<f64>,
    pub attribution: Option<&'static str>,
    /// `source.url`.
    pub url: Option<&'a str>,
    pub notes: Option<&'a str>,
}

impl<'a> RecordJson<'a> {
    /// The line of an event.
    fn of(e: &'a Event) -> Self {
        let claim = e.kind == Kind::Claim;
        RecordJson {
            id: &e.id,
            actor: &e.actor,
            target: e.target.as_deref(),
            date: &e.date,
            text: &e.text,
            topics: &e.topics,
            stance: claim.then_some(e.score),
            effect: (!claim).then_some(e.score),
            attribution: e.attribution.map(Attribution::as_str),
            url: e.url.as_deref(),
            notes: e.notes.as_deref(),
        }
    }

    /// Appends the line, without its line break, to `buf`: the fields in
    /// the data format's order, those without a value left out, compact
    /// as `serde_json` writes them (by the reports' own JSON writer).
    pub fn write(&self, buf: &mut Vec<u8>) {
        let mut o = Obj::new(buf);
        o.str("id", self.id);
        o.str("actor", self.actor);
        if let Some(target) = self.target {
            o.str("target", target);
        }
        o.str("date", self.date);
        o.str("text", self.text);
        if !self.topics.is_empty() {
            o.list("topics", self.topics.iter().map(String::as_str));
        }
        if let Some(stance) = self.stance {
            o.f64("stance", stance);
        }
        if let Some(effect) = self.effect {
            o.f64("effect", effect);
        }
        if let Some(attribution) = self.attribution {
            o.str("attribution", attribution);
        }
        if let Some(url) = self.url {
            o.source(&SourceJson {
                document: None,
                quote: None,
                quote_line: None,
                url: Some(url),
            });
        }
        if let Some(notes) = self.notes {
            o.str("notes", notes);
        }
        o.end();
    }
}

/// The hash [`Sink`] tells ids apart by.
pub(crate) fn id_hash(id: &str) -> u64 {
    let mut h = FxHasher::default();
    id.hash(&mut h);
    h.finish()
}

#[derive(Serialize)]
struct ActorJson<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    acts_for: Vec<RoleJson<'a>>,
}

#[derive(Serialize)]
struct RoleJson<'a> {
    actor: &'a str,
}

impl Sink {
    /// Writes into `dir`, which has `claims/` and `actions/`, in files
    /// named `{name}.jsonl`.
    pub fn create(dir: &Path, name: &str) -> io::Result<Sink> {
        let open = |sub: &str| -> io::Result<Lines> {
            std::fs::create_dir_all(dir.join(sub))?;
            let file = File::create(dir.join(sub).join(format!("{name}.jsonl")))?;
            Ok(Lines::File(BufWriter::with_capacity(1 << 20, file)))
        };
        Ok(Sink::with(open("claims")?, open("actions")?))
    }

    /// Holds the lines in memory instead ([`Sink::finish_held`]).
    pub fn held() -> Sink {
        Sink::with(Lines::Held(Vec::new()), Lines::Held(Vec::new()))
    }

    fn with(claims: Lines, actions: Lines) -> Sink {
        Sink {
            claims,
            actions,
            actors: BTreeMap::new(),
            ids: FxHashSet::default(),
            counts: Counts::default(),
            problems: Vec::new(),
            refused: false,
        }
    }

    /// Makes room for about `records` ids.
    pub fn reserve(&mut self, records: usize) {
        self.ids.reserve(records);
    }

    /// Notes an actor: the first definition of an id wins, but a name
    /// from the data replaces a stand-in.
    pub fn actor(&mut self, actor: NewActor) {
        match self.actors.get_mut(&actor.id) {
            None => {
                self.actors.insert(actor.id.clone(), actor);
            }
            Some(known) if known.stand_in && !actor.stand_in => *known = actor,
            Some(_) => {}
        }
    }

    /// Whether an actor of this id was noted under a name of its own.
    pub fn has_named_actor(&self, id: &str) -> bool {
        self.actors.get(id).is_some_and(|a| !a.stand_in)
    }

    /// Whether an actor of this id was noted.
    pub fn has_actor(&self, id: &str) -> bool {
        self.actors.contains_key(id)
    }

    /// Ends one row.
    pub fn row(&mut self, outcome: Outcome) -> io::Result<()> {
        self.counts.rows += 1;
        match outcome {
            Outcome::Record(event) => self.record(&event)?,
            Outcome::Skip(skip) => match skip {
                Skip::NoActor => self.counts.no_actor += 1,
                Skip::Merged => self.counts.merged += 1,
                Skip::NotAnEvent => self.counts.not_events += 1,
                Skip::Excluded => self.counts.excluded += 1,
            },
            Outcome::Bad(problems) => self.bad(problems),
        }
        Ok(())
    }

    /// Counts `n` rows that could not be read at all (their file's header
    /// failed, and its problem says so) as bad, without a problem each.
    pub fn unread(&mut self, n: u64) -> io::Result<()> {
        self.counts.rows += n;
        self.counts.bad += n;
        Ok(())
    }

    fn bad(&mut self, problems: Vec<Diagnostic>) {
        debug_assert!(!problems.is_empty(), "a bad row has a problem");
        self.counts.bad += 1;
        self.problems.extend(problems);
    }

    fn record(&mut self, e: &Event) -> io::Result<()> {
        let mut line = Vec::with_capacity(256);
        RecordJson::of(e).write(&mut line);
        self.written(e.kind, &e.id, id_hash(&e.id), e.id_at.clone(), &line)
    }

    /// Ends a row that became a record whose id its reader knows to be new
    /// (it keeps the ids itself) and whose line is written already.
    pub fn prepared_new(&mut self, kind: Kind, line: &[u8]) -> io::Result<()> {
        self.counts.rows += 1;
        self.write_line(kind, line)
    }

    /// Ends a row whose id repeats one imported already.
    pub fn repeated_id(&mut self, id: &str, id_at: (FileId, Range<usize>)) {
        self.counts.rows += 1;
        self.bad_id(id, id_at);
    }

    /// The problem of an id imported already.
    fn bad_id(&mut self, id: &str, (file, span): (FileId, Range<usize>)) {
        self.bad(vec![
            Diagnostic::new(
                Code::DuplicateId,
                file,
                span,
                format!("id \"{id}\" is imported already"),
            )
            .hint("each event is imported once: is this file, or this row, given twice?"),
        ]);
    }

    /// Writes a record's line unless its id was written before, which is
    /// a problem.
    fn written(
        &mut self,
        kind: Kind,
        id: &str,
        hash: u64,
        id_at: (FileId, Range<usize>),
        line: &[u8],
    ) -> io::Result<()> {
        if !self.ids.insert(hash) {
            self.bad_id(id, id_at);
            return Ok(());
        }
        self.write_line(kind, line)
    }

    fn write_line(&mut self, kind: Kind, line: &[u8]) -> io::Result<()> {
        let out = if kind == Kind::Claim {
            self.counts.claims += 1;
            &mut self.claims
        } else {
            self.counts.actions += 1;
            &mut self.actions
        };
        out.write_all(line)?;
        out.write_all(b"\n")
    }

    /// Writes the actors to `dir/actors/{name}.jsonl` (by id) and flushes
    /// the records; returns the counts and problems. A file that would
    /// hold no record is left out (its folder stays): a dataset's data
    /// file must hold JSON, and an empty folder is a folder of no records.
    pub fn finish(mut self, dir: &Path, name: &str) -> io::Result<(Counts, Vec<Diagnostic>)> {
        let file_name = format!("{name}.jsonl");
        self.claims.flush()?;
        self.actions.flush()?;
        for (sub, n) in [
            ("claims", self.counts.claims),
            ("actions", self.counts.actions),
        ] {
            if n == 0 {
                std::fs::remove_file(dir.join(sub).join(&file_name))?;
            }
        }
        std::fs::create_dir_all(dir.join("actors"))?;
        self.counts.actors = self.actors.len() as u64;
        if self.actors.is_empty() {
            return Ok((self.counts, self.problems));
        }
        let file = File::create(dir.join("actors").join(&file_name))?;
        let mut out = BufWriter::new(file);
        self.write_actors(&mut out)?;
        out.flush()?;
        Ok((self.counts, self.problems))
    }

    /// Ends a sink made by [`Sink::held`]: the files [`Sink::finish`]
    /// would write into a folder, held as a dataset in `root` (which is
    /// not written), with the counts and problems.
    pub fn finish_held(
        mut self,
        root: &Path,
        name: &str,
    ) -> io::Result<(Counts, Vec<Diagnostic>, crate::validate::Held)> {
        let file = |bytes: Vec<u8>, n: u64| {
            (n > 0).then(|| crate::validate::HeldFile {
                name: format!("{name}.jsonl"),
                bytes,
            })
        };
        self.counts.actors = self.actors.len() as u64;
        let mut actors = Vec::new();
        self.write_actors(&mut actors)?;
        let held = crate::validate::Held {
            root: root.to_path_buf(),
            actors: file(actors, self.counts.actors).into_iter().collect(),
            claims: file(self.claims.into_held(), self.counts.claims)
                .into_iter()
                .collect(),
            actions: file(self.actions.into_held(), self.counts.actions)
                .into_iter()
                .collect(),
        };
        Ok((self.counts, self.problems, held))
    }

    /// The actors' lines, by id, each under a name of its own.
    fn write_actors(&mut self, out: &mut impl Write) -> io::Result<()> {
        distinct_names(&mut self.actors);
        for a in self.actors.values() {
            let json = ActorJson {
                id: &a.id,
                name: &a.name,
                kind: a.kind.as_str(),
                acts_for: a.acts_for.iter().map(|p| RoleJson { actor: p }).collect(),
            };
            serde_json::to_writer(&mut *out, &json)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// Gives each actor a name no other actor has as a name or id, so that
/// every name records may use names one actor (`saydo validate` warns of
/// a shared name, and an id wins over a name): in id order, a name taken
/// already gets the actor's id in parentheses. Two people of one name in
/// two countries, or a person named like another state, stay two actors.
fn distinct_names(actors: &mut BTreeMap<String, NewActor>) {
    let mut taken: FxHashSet<String> = actors.keys().map(|id| normalize_name(id)).collect();
    for actor in actors.values_mut() {
        let key = normalize_name(&actor.name);
        if key == normalize_name(&actor.id) {
            continue;
        }
        if !taken.insert(key) {
            actor.name = format!("{} ({})", actor.name.trim(), actor.id);
            taken.insert(normalize_name(&actor.name));
        }
    }
}

/// `text` as an id part ([`crate::model::id_from`]).
pub(crate) use crate::model::id_from as slug;

/// Appends [`title_case`] of `name` to `out`.
pub(crate) fn push_title_case(out: &mut String, name: &str) {
    if name.is_ascii() {
        // Nearly every name of event data: bytes, not characters.
        if name.bytes().any(|b| b.is_ascii_lowercase()) {
            out.push_str(name.trim_ascii());
            return;
        }
        for (i, word) in name.split_ascii_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let from = out.len() + 1;
            out.push_str(word);
            out[from..].make_ascii_lowercase();
        }
        return;
    }
    if name.chars().any(char::is_lowercase) {
        out.push_str(name.trim());
        return;
    }
    for (i, word) in name.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.extend(chars.flat_map(char::to_lowercase));
        }
    }
}

/// A name written in capitals (`"UNITED STATES"`) in title case
/// (`"United States"`); other names as they are.
pub(crate) fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_title_case(&mut out, name);
    out
}

#[cfg(test)]
mod tests;
