//! One GDELT row as far as it can go without the rows before it: checked,
//! its actors looked up, and its line of JSON written ([`prepare`]), on
//! whichever thread prepares its block.

use super::{Chunk, Columns, Fate, Field, IdKey, Known, Prepared, Ready, cameo};
use crate::diag::Code;
use crate::diag::FileId;
use crate::import::rows::{Row, lines, split_fields};
use crate::import::sink::{Kind, NewActor, RecordJson, Skip, push_title_case, title_case};
use crate::import::tables::{self, cameo_event, cameo_root};
use rustc_hash::{FxHashSet, FxHasher};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// What the rows of one block have worked out already: the actor of each
/// code, and names in title case.
#[derive(Default)]
pub(super) struct Cache {
    /// Per code: the actor's id, and whether its definition from data (not
    /// a stand-in) was handed on yet.
    pub(super) actors: Known,
    /// Principals handed on (as stand-ins) already.
    pub(super) principals: FxHashSet<String>,
    /// The text, notes, day and id of the row being prepared: reused, so
    /// that preparing a row allocates nothing.
    text: String,
    notes: String,
    day: String,
    id: String,
}

impl Cache {
    /// `name` in title case, appended to the row's text.
    fn push_title(&mut self, name: &str) {
        push_title_case(&mut self.text, name);
    }
}

pub(super) fn prepare_block(
    chunk: &mut Chunk,
    start: usize,
    block: &[u8],
    file: FileId,
    path: &Path,
    columns: Option<Columns>,
    known: &Known,
) {
    chunk.buf.clear();
    chunk.rows.clear();
    chunk.cache.principals.clear();
    let mut fields = Vec::with_capacity(64);
    for (at, line) in lines(block) {
        split_fields(line, b'\t', &mut fields);
        let row = Row::of_line(file, start + at, line, &fields, path);
        let prepared = prepare(&row, columns, &mut chunk.cache, known, &mut chunk.buf);
        chunk.rows.push(prepared);
    }
}

/// One row as a record (its line of JSON appended to `buf`), a skip or
/// its problems.
pub(super) fn prepare(
    row: &Row<'_>,
    header: Option<Columns>,
    cache: &mut Cache,
    known: &Known,
    buf: &mut Vec<u8>,
) -> Prepared {
    if row.is_blank() {
        return Prepared::Skip(Skip::NotAnEvent);
    }
    let columns = match header.or_else(|| Columns::by_length(row.len())) {
        Some(c) if row.len() > c.0.iter().copied().max().unwrap_or(0) => c,
        _ => {
            return Prepared::Bad(vec![row.row_problem(
                Code::MissingField,
                format!(
                    "this row has {} columns; GDELT 1.0 rows have 58 and 2.0 rows 61",
                    row.len()
                ),
                "give GDELT event files as downloaded (tab-separated), or with their header row",
            )]);
        }
    };
    let mut problems = Vec::new();
    let mut text = |f: Field| -> &str {
        match row.get(columns.of(f)) {
            Ok(s) => s.trim_ascii(),
            Err(p) => {
                problems.push(p);
                ""
            }
        }
    };
    let id = text(Field::Id);
    let date = text(Field::Date);
    let a1 = (
        text(Field::Actor1Code),
        text(Field::Actor1Name),
        text(Field::Actor1Country),
    );
    let a2 = (
        text(Field::Actor2Code),
        text(Field::Actor2Name),
        text(Field::Actor2Country),
    );
    let is_root = text(Field::IsRoot);
    let code = text(Field::EventCode);
    let quad = text(Field::QuadClass);
    let goldstein = text(Field::Goldstein);
    let sources = text(Field::NumSources);
    let articles = text(Field::NumArticles);
    let mentions = text(Field::NumMentions);
    let url = text(Field::Url);
    if !problems.is_empty() {
        return Prepared::Bad(problems);
    }
    let at = |f: Field| columns.of(f);
    let valid_id = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    if !valid_id {
        problems.push(row.problem(
            Code::BadValue,
            at(Field::Id),
            format!("GLOBALEVENTID \"{}\" is not a number", id.escape_debug()),
            "GDELT numbers every event; is this a GDELT event file?",
        ));
    }
    let day = day_of(date, &mut cache.day);
    if !day {
        problems.push(row.problem(
            Code::BadDate,
            at(Field::Date),
            format!(
                "SQLDATE \"{}\" is not a date written YYYYMMDD",
                date.escape_debug()
            ),
            "GDELT dates events as YYYYMMDD, e.g. 20141124",
        ));
    }
    let kind = match quad {
        "1" | "3" => Some(Kind::Claim),
        "2" | "4" => Some(Kind::Action),
        _ => {
            problems.push(row.problem(
                Code::BadValue,
                at(Field::QuadClass),
                format!("QuadClass \"{}\" is not 1, 2, 3 or 4", quad.escape_debug()),
                "1 and 3 are verbal events (claims), 2 and 4 material ones (actions)",
            ));
            None
        }
    };
    let score = match goldstein.parse::<f64>() {
        Ok(s) if (-10.0..=10.0).contains(&s) => Some(s),
        Ok(s) => {
            problems.push(row.problem(
                Code::ScoreOutOfRange,
                at(Field::Goldstein),
                format!("GoldsteinScale {s} lies outside [-10, 10]"),
                "the Goldstein scale runs from -10 to +10",
            ));
            None
        }
        Err(_) => {
            problems.push(row.problem(
                Code::WrongType,
                at(Field::Goldstein),
                format!(
                    "GoldsteinScale \"{}\" is not a number",
                    goldstein.escape_debug()
                ),
                "the Goldstein scale is a number from -10 to +10",
            ));
            None
        }
    };
    let (Some(kind), Some(score), true, true) = (kind, score, day, valid_id) else {
        return Prepared::Bad(problems);
    };
    if a1.0.is_empty() {
        return Prepared::Skip(Skip::NoActor);
    }
    let mut actors = Vec::new();
    let Some(actor) = actor_of(a1, cache, known, &mut actors) else {
        return Prepared::Skip(Skip::NoActor);
    };
    let target = actor_of(a2, cache, known, &mut actors);
    let what = cameo_event(code).or_else(|| cameo_root(code).map(|r| r.name));
    cache.text.clear();
    cache.push_title(if a1.1.is_empty() { a1.0 } else { a1.1 });
    cache.text.push_str(": ");
    match what {
        Some(what) => cache.text.push_str(what),
        None => {
            cache.text.push_str("CAMEO event ");
            cache.text.push_str(code);
        }
    }
    if target.is_some() {
        cache.text.push_str(" (");
        cache.push_title(if a2.1.is_empty() { a2.0 } else { a2.1 });
        cache.text.push(')');
    }
    let count = |s: &str| s.parse::<u32>().unwrap_or(0);
    let (sources, articles) = (count(sources), count(articles));
    // "GDELT event code {code}; {mentions} mentions, {sources} sources,
    // {articles} articles", without the formatting machinery.
    let mut number = itoa::Buffer::new();
    let notes = &mut cache.notes;
    notes.clear();
    notes.push_str("GDELT event code ");
    notes.push_str(code);
    notes.push_str("; ");
    notes.push_str(number.format(count(mentions)));
    notes.push_str(" mentions, ");
    notes.push_str(number.format(sources));
    notes.push_str(" sources, ");
    notes.push_str(number.format(articles));
    notes.push_str(" articles");
    cache.id.clear();
    cache.id.push_str("gdelt-");
    cache.id.push_str(id);
    let claim = kind == Kind::Claim;
    let attribution =
        (!claim).then(|| tables::gdelt_attribution(sources, articles, is_root == "1"));
    let from = buf.len();
    RecordJson {
        id: &cache.id,
        actor: &actor,
        target: target.as_deref(),
        date: &cache.day,
        text: &cache.text,
        topics: &[],
        stance: claim.then_some(score),
        effect: (!claim).then_some(score),
        attribution: attribution.map(|a| a.as_str()),
        url: (!url.is_empty()).then_some(url),
        notes: Some(&cache.notes),
    }
    .write(buf);
    let mut h = FxHasher::default();
    (date, a1.0, a2.0, code).hash(&mut h);
    // `{"id":"` begins the line.
    let id_start = from + 7;
    Prepared::Record(Ready {
        kind,
        event: h.finish(),
        id_key: IdKey::of(id, &cache.id),
        id: id_start..id_start + cache.id.len(),
        id_at: (row.file, row.span(at(Field::Id))),
        line: from..buf.len(),
        actors,
        fate: Fate::Kept,
    })
}

/// Writes `YYYYMMDD` as `YYYY-MM-DD` into `day`; whether it is a day
/// that exists.
fn day_of(date: &str, day: &mut String) -> bool {
    day.clear();
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    day.push_str(&date[..4]);
    day.push('-');
    day.push_str(&date[4..6]);
    day.push('-');
    day.push_str(&date[6..]);
    crate::date::PartialDate::parse(day).is_ok()
}

/// The actor of a CAMEO code (code, name, country) by the rule all CAMEO
/// formats share ([`cameo::definitions`]), or `None` for a blank code.
/// Definitions the block has not handed on yet go to `new`.
fn actor_of(
    (code, name, country): (&str, &str, &str),
    cache: &mut Cache,
    known: &Known,
    new: &mut Vec<NewActor>,
) -> Option<Arc<str>> {
    if code.is_empty() {
        return None;
    }
    for (id, named) in [cache.actors.get(code), known.get(code)]
        .into_iter()
        .flatten()
    {
        if *named || name.is_empty() {
            return Some(Arc::clone(id));
        }
    }
    let (actor, principal) = cameo::definitions(code, &title_case(name), country)?;
    if let Some(p) = principal
        && cache.principals.insert(p.id.clone())
    {
        new.push(p);
    }
    let id: Arc<str> = Arc::from(actor.id.as_str());
    cache
        .actors
        .insert(code.to_string(), (Arc::clone(&id), !actor.stand_in));
    new.push(actor);
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::sink::Sink;

    #[test]
    fn stacked_codes_act_for_their_country() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::create(dir.path(), "t").unwrap();
        let (mut cache, known) = (Cache::default(), Known::default());
        let mut new = Vec::new();
        let mut actor =
            |code, name, country| actor_of((code, name, country), &mut cache, &known, &mut new);
        assert_eq!(actor("FRAGOV", "PARIS", "FRA").as_deref(), Some("fra-gov"));
        assert_eq!(actor("FRA", "FRANCE", "FRA").as_deref(), Some("fra"));
        assert_eq!(actor("BUS", "COMPANIES", "").as_deref(), Some("bus"));
        // Known already: nothing new to hand on.
        assert_eq!(actor("BUS", "FIRMS", "").as_deref(), Some("bus"));
        assert_eq!(actor("", "", ""), None);
        assert_eq!(new.len(), 4, "{new:?}");
        for a in new {
            sink.actor(a);
        }
        let (counts, problems) = sink.finish(dir.path(), "t").unwrap();
        assert!(problems.is_empty());
        assert_eq!(counts.actors, 3);
        let actors = std::fs::read_to_string(dir.path().join("actors/t.jsonl")).unwrap();
        assert!(
            actors.contains(r#"{"id":"fra-gov","name":"Paris (government, FRAGOV)","kind":"organization","acts_for":[{"actor":"fra"}]}"#),
            "{actors}"
        );
        // Named first by its code, as a principal, then by its own row.
        assert!(
            actors.contains(r#"{"id":"fra","name":"France","kind":"state"}"#),
            "{actors}"
        );
        assert!(
            actors.contains(
                r#"{"id":"bus","name":"Companies (business, BUS)","kind":"organization"}"#
            ),
            "{actors}"
        );
    }

    #[test]
    fn dates_are_days_that_exist() {
        let mut day = String::new();
        assert!(day_of("20141124", &mut day));
        assert_eq!(day, "2014-11-24");
        assert!(!day_of("20140230", &mut day));
        assert!(!day_of("2014112", &mut day));
    }
}
