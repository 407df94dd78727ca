//! PLOVER event records (the Open Event Data Alliance's successor to
//! CAMEO): a JSON array of objects, each one event coded from one
//! sentence, with `source` and `target` lists of CAMEO-coded actors, an
//! `event` category and its `mode`, the sentence's `context` and `text`.
//! Records are streamed one at a time ([`super::values`]) and read with
//! saydo's span-keeping JSON reader, so a problem is placed at the value
//! it is in.

use super::cameo;
use super::sink::{Event, Kind, Outcome, Sink, Skip, slug};
use super::tables::{self, plover as categories};
use super::values::{Item, Values};
use crate::diag::{Code, Diagnostic, FileId};
use crate::input::json::{Kind as JsonKind, Reader};
use crate::model::Attribution;
use fields::{Entry, Fields, Parse, syntax};
use std::io;
use std::path::Path;

mod fields;

/// The mapping, for the imported dataset's README.
pub(crate) fn mapping() -> String {
    format!(
        "\
Each PLOVER record is one event; a record whose `event` is `DOCUMENT`
documents the file and is counted as not an event. The `event`
category says whether it is words or a deed, and how warm or hostile:

{}
Each category's score is the Goldstein value of the CAMEO codes it
comes from (by PLOVER's CAMEO → PLOVER conversion table, and GDELT's
`CAMEO.goldsteinscale.txt`), so an event scores as it did in CAMEO; a
`mode` scores apart where its CAMEO codes score a point or more away. An
`event` not in the table is a problem.

| saydo | PLOVER |
|---|---|
| `id` | `plover-` and `id` as an id (`PLOVER-GSR01-AGREE-0001` → `plover-plover-gsr01-agree-0001`) |
| `actor` | the first of `source` (records without one are counted and skipped) |
| `target` | the first of `target`, when it is a list with one |
| `date` | `date` as given (the gold-standard records' `2000-01-01` is a stand-in, imported as it is) |
| `stance` / `effect` | the table above, by `event` and `mode` |
| `text` | `text` |
| `topics` | `context`, split at commas and spaces (`\"diplomatic, military\"` → `diplomatic`, `military`) |
| `attribution` (actions) | `reported`: each event is coded from one news sentence |
| `notes` | `event`, `mode` and `eventText`; the other sources and targets; a `target` written as text rather than a list |

Actors come from the entries' CAMEO `code`, with the entry's `sector`
(a role code such as `GOV`, written apart in PLOVER) added to it:
`{{\"code\": \"HUN\", \"sector\": \"GOV\"}}` is `HUNGOV`. A code that is
an ISO 3166 country code (`HUN`) is a **state**, named by ISO 3166; a
longer code that starts with one (`HUNGOV`) is an **organization** acting
for that state, named after `actorText` and its roles; any other code
(`IGO`, or a code that is not ISO's, such as `ITL`) is an organization
acting for no one. Ids join the code's three-letter parts with `-`
(`hun-gov`), so actors are as fine as their codes: all the records coded
`IGO` are one actor, named by the first. These are the rules of
`saydo import gdelt`, so the two formats name the same actor alike.

Records are read one at a time, so a file of any size streams. A JSON
syntax error ends the file's reading: the records after it are not read.
",
        categories::rules()
    )
}

/// Reads one PLOVER file into `sink`.
pub(crate) fn read(path: &Path, file: FileId, sink: &mut Sink) -> io::Result<()> {
    let mut values = Values::open(path, file)?;
    while let Some(item) = values.next_item()? {
        match item {
            Item::Value(offset, text) => match record(offset, text, file, sink) {
                Ok(outcome) => sink.row(outcome)?,
                Err(syntax) => {
                    sink.row(Outcome::Bad(vec![syntax]))?;
                    break;
                }
            },
            Item::NotUtf8(problem) => sink.row(Outcome::Bad(vec![problem]))?,
            Item::Broken(problem) => {
                sink.row(Outcome::Bad(vec![problem]))?;
                break;
            }
        }
    }
    Ok(())
}

/// One record as an event, a skip or its problems; `Err` for a syntax
/// error, after which the file cannot be read on.
fn record(offset: usize, text: &str, file: FileId, sink: &mut Sink) -> Result<Outcome, Diagnostic> {
    let mut p = Parse {
        r: Reader::new(text),
        offset,
        file,
        problems: Vec::new(),
    };
    let kind = p.r.peek().map_err(|e| syntax(&e, offset, file))?;
    if kind != JsonKind::Object {
        p.wrong("record", "an object", kind)
            .map_err(|e| syntax(&e, offset, file))?;
        return Ok(Outcome::Bad(p.problems));
    }
    let f = p.fields().map_err(|e| syntax(&e, offset, file))?;
    let mut problems = p.problems;
    let start = offset..offset + 1;
    let missing = |field: &str, what: &str| {
        (!f.wrong.contains(&field)).then(|| {
            Diagnostic::new(
                Code::MissingField,
                file,
                start.clone(),
                format!("this record has no `{field}`"),
            )
            .hint(format!("every PLOVER event record has {what}"))
        })
    };
    let category = match &f.event {
        Some(e) if e.value.trim().eq_ignore_ascii_case("DOCUMENT") => {
            return Ok(Outcome::Skip(Skip::NotAnEvent));
        }
        Some(e) => {
            let found = categories::category(&e.value);
            if found.is_none() {
                problems.push(
                    Diagnostic::new(
                        Code::BadValue,
                        file,
                        e.at.clone(),
                        format!(
                            "`event` \"{}\" is not a PLOVER category",
                            e.value.escape_debug()
                        ),
                    )
                    .hint(format!("PLOVER's categories are {}", categories::names())),
                );
            }
            found
        }
        None => {
            problems.extend(missing(
                "event",
                "an `event` category, such as AGREE or ASSAULT",
            ));
            None
        }
    };
    let id = match &f.id {
        Some(id) => {
            let own = slug(&id.value);
            if own.is_none() {
                problems.push(
                    Diagnostic::new(
                        Code::BadValue,
                        file,
                        id.at.clone(),
                        format!(
                            "`id` \"{}\" has no letter or digit to make an id of",
                            id.value.escape_debug()
                        ),
                    )
                    .hint("PLOVER ids look like PLOVER-GSR01-AGREE-0001"),
                );
            }
            own.map(|own| (format!("plover-{own}"), id.at.clone()))
        }
        None => {
            problems.extend(missing("id", "an `id`"));
            None
        }
    };
    let date = match &f.date {
        Some(d) if crate::date::PartialDate::parse(d.value.trim()).is_ok() => {
            Some(d.value.trim().to_string())
        }
        Some(d) => {
            problems.push(
                Diagnostic::new(
                    Code::BadDate,
                    file,
                    d.at.clone(),
                    format!(
                        "`date` \"{}\" is not a date written YYYY-MM-DD",
                        d.value.escape_debug()
                    ),
                )
                .hint("PLOVER dates events as YYYY-MM-DD, e.g. 2016-12-19"),
            );
            None
        }
        None => {
            problems.extend(missing("date", "a `date`"));
            None
        }
    };
    let sentence = f
        .text
        .as_ref()
        .map(|t| t.value.trim())
        .filter(|t| !t.is_empty());
    if sentence.is_none() {
        problems.extend(missing("text", "the `text` it was coded from"));
    }
    let (Some(category), Some((id, id_at)), Some(date), Some(sentence), true) =
        (category, id, date, sentence, problems.is_empty())
    else {
        return Ok(Outcome::Bad(problems));
    };
    let Some(actor) = f.sources.first().and_then(|e| actor_of(e, sink)) else {
        return Ok(Outcome::Skip(Skip::NoActor));
    };
    let target = f.targets.first().and_then(|e| actor_of(e, sink));
    let kind = if category.verbal {
        Kind::Claim
    } else {
        Kind::Action
    };
    Ok(Outcome::Record(Box::new(Event {
        kind,
        id,
        id_at: (file, id_at),
        actor,
        target,
        date,
        score: category.score(&f.mode),
        text: sentence.to_string(),
        topics: f.context.clone(),
        attribution: (kind == Kind::Action).then_some(Attribution::Reported),
        url: None,
        notes: Some(notes(category, &f)),
    })))
}

/// The entry's CAMEO code with its sector added (`HUN` and `GOV` →
/// `HUNGOV`), upper-case; a sector that is not letters (`***`) or that
/// the code ends with already is left out.
fn cameo_code(entry: &Entry) -> String {
    let code = entry.code.trim().to_ascii_uppercase();
    let sector = entry.sector.trim().to_ascii_uppercase();
    if !code.is_empty()
        && !sector.is_empty()
        && sector.bytes().all(|b| b.is_ascii_alphabetic())
        && !code.ends_with(&sector)
    {
        code + &sector
    } else {
        code
    }
}

/// The actor of an entry (see [`cameo::actor`]), or `None` without a code.
fn actor_of(entry: &Entry, sink: &mut Sink) -> Option<String> {
    let code = cameo_code(entry);
    let country = code
        .get(..3)
        .filter(|c| tables::country(c).is_some())
        .unwrap_or("");
    // A state is named by ISO 3166: `actorText` is how the sentence put
    // it ("Hungarian", "Tokyo"), not the state's name.
    let name = if code == country {
        ""
    } else {
        entry.text.as_str()
    };
    cameo::actor(&code, name, country, sink)
}

/// What the record says that saydo's fields do not hold.
fn notes(category: &categories::Category, f: &Fields) -> String {
    let mut out = format!("PLOVER {}", category.name);
    if !f.mode.trim().is_empty() {
        out.push_str(&format!(", mode {}", f.mode.trim()));
    }
    if !f.event_text.trim().is_empty() {
        out.push_str(&format!(" (\"{}\")", f.event_text.trim()));
    }
    let list = |entries: &[Entry]| {
        entries
            .iter()
            .map(|e| format!("{} ({})", e.text.trim(), cameo_code(e)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if f.sources.len() > 1 {
        out.push_str(&format!("; other sources: {}", list(&f.sources[1..])));
    }
    if f.targets.len() > 1 {
        out.push_str(&format!("; other targets: {}", list(&f.targets[1..])));
    }
    if !f.target_text.trim().is_empty() {
        out.push_str(&format!(
            "; target written as text: \"{}\"",
            f.target_text.trim()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `record` on `text`, at offset 100 of file 0, with the actors it noted.
    fn read(text: &str) -> (Result<Outcome, Diagnostic>, String) {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::create(dir.path(), "t").unwrap();
        let outcome = record(100, text, FileId(0), &mut sink);
        sink.finish(dir.path(), "t").unwrap();
        // No actor, no file.
        let actors = std::fs::read_to_string(dir.path().join("actors/t.jsonl")).unwrap_or_default();
        (outcome, actors)
    }

    fn event(text: &str) -> Event {
        match read(text).0 {
            Ok(Outcome::Record(e)) => *e,
            other => panic!("{other:?}"),
        }
    }

    /// The problems of a bad record, as (code, span in `text`).
    fn problems(text: &str) -> Vec<(Code, String)> {
        match read(text).0 {
            Ok(Outcome::Bad(ps)) => ps
                .iter()
                .map(|p| {
                    (
                        p.code,
                        text[p.span.start - 100..p.span.end - 100].to_string(),
                    )
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    const AGREE: &str = r#"{"id": "X-AGREE-1", "date": "2000-01-01",
        "source": [{"actorText": "Hungarian", "code": "HUN", "sector": "GOV"},
                   {"actorText": "Romanian", "code": "ROU", "sector": "GOV"}],
        "target": "diplomatic", "event": "AGREE", "eventText": "agreed",
        "context": "diplomatic, military ,military", "text": " They agreed. "}"#;

    #[test]
    fn a_record_becomes_a_claim_of_its_first_source() {
        let e = event(AGREE);
        assert_eq!(
            (e.kind, e.id.as_str(), e.actor.as_str(), e.target, e.score),
            (Kind::Claim, "plover-x-agree-1", "hun-gov", None, 4.0)
        );
        assert_eq!(
            (e.date.as_str(), e.text.as_str()),
            ("2000-01-01", "They agreed.")
        );
        assert_eq!(e.topics, ["diplomatic", "military"]);
        assert_eq!(e.attribution, None);
        assert_eq!(
            e.notes.as_deref(),
            Some(
                "PLOVER AGREE (\"agreed\"); other sources: Romanian (ROUGOV); target written as text: \"diplomatic\""
            )
        );
        // The id's span, for a repeated id: its string in the record.
        assert_eq!(
            &AGREE[e.id_at.1.start - 100..e.id_at.1.end - 100],
            "\"X-AGREE-1\""
        );
    }

    #[test]
    fn deeds_are_reported_actions_scored_by_their_mode() {
        let text = r#"{"id": "p-1", "date": "2001-02", "event": "PROTEST", "mode": "riot-spon",
            "source": [{"actorText": "Palestinian prisoners", "code": "PSE", "sector": "***"}],
            "target": [{"actorText": "Israel", "code": "ISR"}, {"actorText": "police", "code": "ISR", "sector": "COP"}],
            "context": ["prisons", "unrest, prisons"], "text": "They rioted."}"#;
        let e = event(text);
        assert_eq!(
            (
                e.kind,
                e.actor.as_str(),
                e.target.as_deref(),
                e.score,
                e.attribution
            ),
            (
                Kind::Action,
                "pse",
                Some("isr"),
                -7.5,
                Some(Attribution::Reported)
            )
        );
        assert_eq!(e.topics, ["prisons", "unrest"]);
        assert_eq!(
            e.notes.as_deref(),
            Some("PLOVER PROTEST, mode riot-spon; other targets: police (ISRCOP)")
        );
    }

    #[test]
    fn states_are_named_by_iso_and_other_codes_by_the_sentence() {
        let text = r#"{"id": "c-1", "date": "2000", "event": "CONSULT", "mode": "host",
            "source": [{"actorText": "Russian President", "code": "RUS", "sector": "GOV"}],
            "target": [{"actorText": "Japanese Prime Minister", "code": "JAP", "sector": "GOV"}],
            "text": "Yeltsin hosted Hashimoto."}"#;
        let (outcome, actors) = read(text);
        assert!(matches!(outcome, Ok(Outcome::Record(_))));
        let lines: Vec<&str> = actors.lines().collect();
        assert_eq!(
            lines,
            [
                // JAP is not ISO's code for Japan: no state to act for.
                r#"{"id":"jap-gov","name":"Japanese Prime Minister (JAP, government, JAPGOV)","kind":"organization"}"#,
                r#"{"id":"rus","name":"Russian Federation","kind":"state"}"#,
                r#"{"id":"rus-gov","name":"Russian President (government, RUSGOV)","kind":"organization","acts_for":[{"actor":"rus"}]}"#,
            ]
        );
    }

    #[test]
    fn sectors_join_the_code_unless_they_are_not_a_role() {
        let code = |code: &str, sector: &str| {
            cameo_code(&Entry {
                text: String::new(),
                code: code.into(),
                sector: sector.into(),
            })
        };
        assert_eq!(code("HUN", "GOV"), "HUNGOV");
        assert_eq!(code("MNE", "CVLalb"), "MNECVLALB");
        assert_eq!(code(" afg ", "***"), "AFG");
        assert_eq!(code("USAGOV", "GOV"), "USAGOV");
        assert_eq!(code("", "GOV"), "");
    }

    #[test]
    fn documentation_records_and_records_without_a_source_are_skipped() {
        for (text, skip) in [
            (
                r#"{"id": "D-1", "event": "DOCUMENT", "comment": 5}"#,
                Skip::NotAnEvent,
            ),
            (
                r#"{"id": "a-1", "date": "2000", "event": "ASSAULT", "text": "x", "target": [{"code": "IRQ"}]}"#,
                Skip::NoActor,
            ),
            (
                r#"{"id": "a-2", "date": "2000", "event": "ASSAULT", "text": "x", "source": [{"actorText": "someone"}]}"#,
                Skip::NoActor,
            ),
            (
                r#"{"id": "a-3", "date": "2000", "event": "ASSAULT", "text": "x", "source": ""}"#,
                Skip::NoActor,
            ),
        ] {
            assert!(
                matches!(read(text).0, Ok(Outcome::Skip(s)) if s == skip),
                "{text}"
            );
        }
    }

    #[test]
    fn problems_are_placed_at_their_values() {
        assert_eq!(
            problems(
                r#"{"id": "a", "date": "2000-13-01", "event": "ENGAGE", "text": "t", "source": []}"#
            ),
            [
                (Code::BadValue, "\"ENGAGE\"".to_string()),
                (Code::BadDate, "\"2000-13-01\"".to_string()),
            ]
        );
        assert_eq!(
            problems(
                r#"{"id": 7, "event": "AGREE", "context": 1, "source": [{"code": 3}, "HUN"]}"#
            ),
            [
                (Code::WrongType, "7".to_string()),
                (Code::WrongType, "1".to_string()),
                (Code::WrongType, "3".to_string()),
                (Code::WrongType, "\"HUN\"".to_string()),
                // `date` and `text`; `id` is there, of a wrong type.
                (Code::MissingField, "{".to_string()),
                (Code::MissingField, "{".to_string()),
            ]
        );
        assert_eq!(problems("[1]"), [(Code::WrongType, "[1]".to_string())]);
    }

    #[test]
    fn a_syntax_error_is_placed_and_ends_the_file() {
        let text = r#"{"id": "a" "date": "2000"}"#;
        let Err(problem) = read(text).0 else {
            panic!("a syntax error reads on");
        };
        assert_eq!(problem.code, Code::JsonSyntax);
        assert_eq!(problem.span.start - 100, text.find("\"date\"").unwrap());
    }
}
