//! ICEWS event files (Integrated Crisis Early Warning System, Harvard
//! Dataverse doi:10.7910/DVN/28075): tab-separated, 20 columns named by a
//! header row, `NA` where a value is missing. Every row is one event,
//! coded in CAMEO from one sentence of one news story, with its actors
//! named in words (people, sector labels such as "Police (India)",
//! countries) rather than in CAMEO actor codes.

use super::rows::{Dialect, Row, Rows, header_columns, quoted};
use super::sink::{Event, Kind, NewActor, Outcome, Sink, Skip, slug};
use super::tables::{cameo_event, cameo_root};
use crate::diag::{Code, FileId};
use crate::model::{ActorKind, Attribution};
use std::io;
use std::path::Path;

/// The columns the importer reads, by their names in the header.
const NEEDED: [&str; 12] = [
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
];

/// The needed columns by name, in the order of [`NEEDED`].
#[derive(Clone, Copy)]
enum Field {
    Id,
    Date,
    SourceName,
    SourceCountry,
    EventText,
    CameoCode,
    Intensity,
    TargetName,
    TargetCountry,
    StoryId,
    Sentence,
    Publisher,
}

/// The prefix of the ids of actors that ICEWS places in no country.
const NO_COUNTRY: &str = "intl";

/// The mapping, for the imported dataset's README.
pub(crate) fn mapping() -> String {
    format!(
        "\
Each ICEWS row is one event. Its `CAMEO Code`'s root says whether it is
words or a deed: roots 01–05 and 09–13 (verbal cooperation and
conflict) become **claims**, roots 06–08 and 14–20 (material) become
**actions**.

| saydo | ICEWS |
|---|---|
| `id` | `icews-` and `Event ID` |
| `actor` | `Source Name`, with `Source Country` (rows without a source name are counted and skipped) |
| `target` | `Target Name`, with `Target Country`, when there is one |
| `date` | `Event Date` (`YYYY-MM-DD`) |
| `stance` / `effect` | `Intensity` (-10 to +10: ICEWS's intensity of the event code, on the Goldstein scale) |
| `text` | `Source Name`, `Event Text` and `Target Name`: \"Source: Event Text (Target)\" |
| `attribution` (actions) | `reported`: each event is coded from one sentence of one news story |
| `notes` | `CAMEO Code`, `Publisher`, `Story ID` and `Sentence Number` |

A value `NA` is a missing value (ICEWS files write it so). ICEWS gives
no URL. Rows are not merged: ICEWS numbers each event once.

Actors are named in words, each with the country ICEWS places it in:

- a name that is its country's name (\"India\" in India; word order,
  case and punctuation aside, so \"Palestinian Territory, Occupied\" in
  \"Occupied Palestinian Territory\" too) is that country's **state**, its
  id the country's name as an id (`india`, `united-states`);
- any other name with a country (a person, \"Narendra Modi\"; a sector
  label, \"Police (India)\") is an actor that **acts for** that state, its
  id the country's and the name's joined by `--`
  (`india--narendra-modi`, `india--police-india`);
- a name without a country (\"European Union\") acts for no one, its id
  `{NO_COUNTRY}--` and the name (`{NO_COUNTRY}--european-union`).

State ids never hold `--` and other actors' ids always do, so a state
and another actor never share an id, whatever their names. A name
ending in a parenthesis (ICEWS's sector labels, \"Police (India)\",
\"Citizen (India)\") or without a country is an **organization**; any
other is a **person**. ICEWS's `Sectors` cannot tell the two apart (a
minister and an embassy can have the same sectors), so it is not used;
named bodies with a country (a party, an insurgent group) are imported
as persons, and can be corrected in `actors/`.
"
    )
}

/// Reads one ICEWS file into `sink`.
pub(crate) fn read(path: &Path, file: FileId, sink: &mut Sink) -> io::Result<()> {
    let mut rows = Rows::open(path, file, Dialect::TSV)?;
    let (columns, width) = {
        let Some(header) = rows.next_row()? else {
            return Ok(());
        };
        let names: Vec<&str> = (0..header.len())
            .map(|i| header.get(i).unwrap_or(""))
            .collect();
        match header_columns(&names, &NEEDED) {
            Ok(columns) => (columns, header.len()),
            Err(missing) => {
                let problem = header.row_problem(
                    Code::MissingField,
                    format!("the header has no column {}", quoted(&missing)),
                    "ICEWS files start with a header row naming Event ID, Event Date, Source Name, ... Publisher",
                );
                sink.row(Outcome::Bad(vec![problem]))?;
                // Without the columns no row can be read.
                return sink.unread(rows.skip_rest()?);
            }
        }
    };
    sink.row(Outcome::Skip(Skip::NotAnEvent))?;
    while let Some(row) = rows.next_row()? {
        let outcome = event(&row, &columns, width, sink);
        sink.row(outcome)?;
    }
    Ok(())
}

/// A value as text, `None` when it is missing (empty or `NA`).
fn value(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty() && text != "NA").then_some(text)
}

/// One row as an event, a skip or its problems.
fn event(row: &Row<'_>, columns: &[usize; 12], width: usize, sink: &mut Sink) -> Outcome {
    if row.is_blank() {
        return Outcome::Skip(Skip::NotAnEvent);
    }
    let at = |f: Field| columns[f as usize];
    if row.len() <= columns.iter().copied().max().unwrap_or(0) {
        return Outcome::Bad(vec![row.row_problem(
            Code::MissingField,
            format!(
                "this row has {} columns; the header has {width}",
                row.len()
            ),
            "ICEWS rows are tab-separated, one event a line: is a tab or a line break missing, or one too many?",
        )]);
    }
    let mut problems = Vec::new();
    let mut text = |f: Field| -> &str {
        match row.get(at(f)) {
            Ok(s) => s,
            Err(p) => {
                problems.push(p);
                ""
            }
        }
    };
    let fields = [
        Field::Id,
        Field::Date,
        Field::SourceName,
        Field::SourceCountry,
        Field::EventText,
        Field::CameoCode,
        Field::Intensity,
        Field::TargetName,
        Field::TargetCountry,
        Field::StoryId,
        Field::Sentence,
        Field::Publisher,
    ]
    .map(&mut text);
    let [
        id,
        date,
        source,
        source_country,
        event_text,
        code,
        intensity,
        target,
        target_country,
        story,
        sentence,
        publisher,
    ] = fields;
    if !problems.is_empty() {
        return Outcome::Bad(problems);
    }
    let id = id.trim();
    let valid_id = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    if !valid_id {
        problems.push(row.problem(
            Code::BadValue,
            at(Field::Id),
            format!("Event ID \"{}\" is not a number", id.escape_debug()),
            "ICEWS numbers every event; is this an ICEWS event file?",
        ));
    }
    let day = day_of(date);
    if day.is_none() {
        problems.push(row.problem(
            Code::BadDate,
            at(Field::Date),
            format!(
                "Event Date \"{}\" is not a date written YYYY-MM-DD",
                date.escape_debug()
            ),
            "ICEWS dates events as YYYY-MM-DD, e.g. 2018-06-01",
        ));
    }
    let code = code.trim();
    let root = cameo_root(code)
        .filter(|_| (3..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()));
    if root.is_none() {
        problems.push(row.problem(
            Code::BadValue,
            at(Field::CameoCode),
            format!("CAMEO Code \"{}\" is not a CAMEO event code", code.escape_debug()),
            "CAMEO event codes are three or four digits from 010 to 204, with their leading zero (040, not 40: was the file saved by a spreadsheet?)",
        ));
    }
    let score = match intensity.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && (-10.0..=10.0).contains(&s) => Some(s),
        Ok(s) => {
            problems.push(row.problem(
                Code::ScoreOutOfRange,
                at(Field::Intensity),
                format!("Intensity {s} lies outside [-10, 10]"),
                "ICEWS's intensity runs from -10 to +10",
            ));
            None
        }
        Err(_) => {
            problems.push(row.problem(
                Code::WrongType,
                at(Field::Intensity),
                format!("Intensity \"{}\" is not a number", intensity.escape_debug()),
                "ICEWS's intensity is a number from -10 to +10",
            ));
            None
        }
    };
    let (Some(day), Some(root), Some(score), true) = (day, root, score, valid_id) else {
        return Outcome::Bad(problems);
    };
    let Some(source) = value(source) else {
        return Outcome::Skip(Skip::NoActor);
    };
    let Some(actor) = actor_of(source, source_country, sink) else {
        return Outcome::Skip(Skip::NoActor);
    };
    let target_name = value(target);
    let target = target_name.and_then(|t| actor_of(t, target_country, sink));
    let what = value(event_text)
        .map(str::to_string)
        .or_else(|| cameo_event(code).map(str::to_string))
        .unwrap_or_else(|| root.name.to_string());
    let text = match (target_name, &target) {
        (Some(whom), Some(_)) => format!("{source}: {what} ({whom})"),
        _ => format!("{source}: {what}"),
    };
    let kind = if root.verbal {
        Kind::Claim
    } else {
        Kind::Action
    };
    let mut notes = format!("ICEWS CAMEO code {code}");
    if let Some(publisher) = value(publisher) {
        notes.push_str(&format!("; {publisher}"));
    }
    if let Some(story) = value(story) {
        notes.push_str(&format!("; story {story}"));
    }
    if let Some(sentence) = value(sentence) {
        notes.push_str(&format!(", sentence {sentence}"));
    }
    Outcome::Record(Box::new(Event {
        kind,
        id: format!("icews-{id}"),
        id_at: (row.file, row.span(at(Field::Id))),
        actor,
        target,
        date: day,
        score,
        text,
        topics: Vec::new(),
        attribution: (kind == Kind::Action).then_some(Attribution::Reported),
        url: None,
        notes: Some(notes),
    }))
}

/// `YYYY-MM-DD`, if it is a day that exists.
fn day_of(date: &str) -> Option<String> {
    let d = date.trim();
    let shape = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    (shape && crate::date::PartialDate::parse(d).is_ok()).then(|| d.to_string())
}

/// The actor ICEWS names `name` in `country` (noted in `sink`, with the
/// state it acts for), or `None` for a missing name or one that makes no
/// id. See [`mapping`] for the rule.
fn actor_of(name: &str, country: &str, sink: &mut Sink) -> Option<String> {
    let name = value(name)?;
    let state = value(country).and_then(|c| Some((c, slug(c)?)));
    if let Some((country, id)) = &state
        && same_words(name, country)
    {
        sink.actor(NewActor::state(id.clone(), country.to_string()));
        return Some(id.clone());
    }
    let own = slug(name)?;
    let (id, acts_for) = match &state {
        Some((country, state_id)) => {
            sink.actor(NewActor::state(state_id.clone(), country.to_string()));
            (format!("{state_id}--{own}"), Some(state_id.clone()))
        }
        None => (format!("{NO_COUNTRY}--{own}"), None),
    };
    let kind = if name.ends_with(')') || acts_for.is_none() {
        ActorKind::Organization
    } else {
        ActorKind::Person
    };
    sink.actor(NewActor::named(
        id.clone(),
        name.to_string(),
        kind,
        acts_for,
    ));
    Some(id)
}

/// Whether two names have the same words, whatever their order, case and
/// punctuation ("Palestinian Territory, Occupied" and "Occupied
/// Palestinian Territory").
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        let mut w: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        w.sort();
        w
    };
    words(a) == words(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_are_found_by_the_fixtures_header() {
        let header =
            include_str!("../../tests/fixtures/import/icews/icews-events-2018-300rows.tab")
                .lines()
                .next()
                .unwrap();
        let names: Vec<&str> = header.split('\t').collect();
        assert_eq!(names.len(), 20);
        assert_eq!(
            header_columns(&names, &NEEDED),
            Ok([0, 1, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13])
        );
    }

    #[test]
    fn na_is_a_missing_value() {
        assert_eq!(value(" NA "), None);
        assert_eq!(value(""), None);
        assert_eq!(value("NAN"), Some("NAN"));
    }

    #[test]
    fn dates_are_days_written_in_full() {
        assert_eq!(day_of("2018-06-01").as_deref(), Some("2018-06-01"));
        for bad in [
            "2018-02-30",
            "2018-06",
            "20180601",
            "2018/06/01",
            "2018-6-01x",
        ] {
            assert_eq!(day_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_are_the_same_place_whatever_their_word_order() {
        assert!(same_words(
            "Palestinian Territory, Occupied",
            "Occupied Palestinian Territory"
        ));
        assert!(same_words("india", "India"));
        assert!(!same_words("Russia", "Russian Federation"));
        assert!(!same_words("Police (India)", "India"));
    }

    fn actors_of(calls: &[(&str, &str)]) -> (Vec<Option<String>>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::create(dir.path(), "t").unwrap();
        let ids = calls
            .iter()
            .map(|(name, country)| actor_of(name, country, &mut sink))
            .collect();
        sink.finish(dir.path(), "t").unwrap();
        let actors = std::fs::read_to_string(dir.path().join("actors/t.jsonl")).unwrap();
        (ids, actors.lines().map(str::to_string).collect())
    }

    #[test]
    fn countries_are_states_and_other_names_act_for_them() {
        let (ids, actors) = actors_of(&[
            ("Narendra Modi", "India"),
            ("Police (India)", "India"),
            ("India", "India"),
            ("European Union", "NA"),
            ("NA", "India"),
            ("", ""),
        ]);
        let ids: Vec<Option<&str>> = ids.iter().map(Option::as_deref).collect();
        assert_eq!(
            ids,
            [
                Some("india--narendra-modi"),
                Some("india--police-india"),
                Some("india"),
                Some("intl--european-union"),
                None,
                None
            ]
        );
        assert_eq!(
            actors,
            [
                r#"{"id":"india","name":"India","kind":"state"}"#,
                r#"{"id":"india--narendra-modi","name":"Narendra Modi","kind":"person","acts_for":[{"actor":"india"}]}"#,
                r#"{"id":"india--police-india","name":"Police (India)","kind":"organization","acts_for":[{"actor":"india"}]}"#,
                r#"{"id":"intl--european-union","name":"European Union","kind":"organization"}"#,
            ]
        );
    }

    #[test]
    fn a_state_and_an_actor_of_the_same_name_keep_apart() {
        // "Taiwan" placed in China is not the state Taiwan: two actors,
        // two ids, and two names.
        let (ids, actors) = actors_of(&[("Taiwan", "China"), ("Taiwan", "Taiwan")]);
        let ids: Vec<Option<&str>> = ids.iter().map(Option::as_deref).collect();
        assert_eq!(ids, [Some("china--taiwan"), Some("taiwan")]);
        assert_eq!(
            actors,
            [
                r#"{"id":"china","name":"China","kind":"state"}"#,
                r#"{"id":"china--taiwan","name":"Taiwan (china--taiwan)","kind":"person","acts_for":[{"actor":"china"}]}"#,
                r#"{"id":"taiwan","name":"Taiwan","kind":"state"}"#,
            ]
        );
    }
}
