//! ACLED exports: comma-separated (or tab-separated) files with a header
//! row naming ACLED's columns (`event_id_cnty`, `event_date`,
//! `sub_event_type`, `actor1` …), fields quoted where they hold commas.
//! Columns are found by the header, so their order and any extra columns
//! do not matter.
//!
//! Every ACLED event is a deed, so every imported row is an action; the
//! effects, the sub-event types left out, attribution and which actors
//! act for a state are in `tables::acled`.

use super::rows::{Row, Rows};
use super::sink::{Event, Kind, NewActor, Outcome, Sink, Skip, slug};
use super::tables::acled::{self as table, SubEvent};
use crate::diag::{Code, FileId};
use crate::model::ActorKind;
use chrono::NaiveDate;
use std::io;
use std::path::Path;

/// The columns the importer reads, and whether an export must have them.
const COLUMNS: [(&str, bool); 17] = [
    ("event_id_cnty", true),
    ("event_date", true),
    ("time_precision", false),
    ("sub_event_type", true),
    ("actor1", true),
    ("assoc_actor_1", false),
    ("inter1", false),
    ("actor2", true),
    ("assoc_actor_2", false),
    ("inter2", false),
    ("country", true),
    ("admin1", false),
    ("location", false),
    ("source", false),
    ("source_scale", false),
    ("notes", false),
    ("fatalities", false),
];

/// The columns by name, in the order of [`COLUMNS`].
#[derive(Clone, Copy)]
enum Col {
    Id,
    Date,
    Precision,
    SubEvent,
    Actor1,
    Assoc1,
    Inter1,
    Actor2,
    Assoc2,
    Inter2,
    Country,
    Admin1,
    Location,
    Source,
    Scale,
    Notes,
    Fatalities,
}

/// Where each of [`COLUMNS`] is in a row, if the header has it.
#[derive(Debug)]
struct Columns([Option<usize>; 17]);

impl Columns {
    /// The columns of a header row (names compared ignoring case and
    /// surrounding spaces), or the required ones it lacks.
    fn by_header(names: &[&str]) -> Result<Columns, Vec<&'static str>> {
        let mut at = [None; 17];
        let mut missing = Vec::new();
        for (k, (want, required)) in COLUMNS.iter().enumerate() {
            at[k] = names.iter().position(|n| {
                n.trim_start_matches('\u{feff}')
                    .trim()
                    .eq_ignore_ascii_case(want)
            });
            if at[k].is_none() && *required {
                missing.push(*want);
            }
        }
        if missing.is_empty() {
            Ok(Columns(at))
        } else {
            Err(missing)
        }
    }

    fn of(&self, col: Col) -> Option<usize> {
        self.0[col as usize]
    }
}

/// The mapping, for the imported dataset's README.
pub(crate) fn mapping() -> String {
    format!(
        "\
Every ACLED row is an event on the ground, so every imported row becomes
an **action**. Rows of the sub-event types marked *not imported* below
are counted and left out.

| saydo | ACLED |
|---|---|
| `id` | `acled-` and `event_id_cnty` (lower case) |
| `actor` | `actor1` (rows without one are counted and skipped) |
| `target` | `actor2`, when there is one |
| `date` | `event_date` (`YYYY-MM-DD`; also `15 August 2021` and `15-08-2021`); to the month when `time_precision` is 3 |
| `effect` | from `sub_event_type`, as below |
| `text` | `notes`, or else the sub-event type and `location` |
| `attribution` | from `source` and `source_scale`, as below |
| `notes` | the event and sub-event type, the place, `fatalities`, `assoc_actor_1` / `assoc_actor_2`, `source` and `source_scale` |

ACLED's `actor1` and `actor2` are not directional: ACLED does not say
who attacked whom. saydo takes `actor1` as the doer and `actor2` as the
target, which is how ACLED usually orders them (the attacker, the
protesters, the arresting force first); the effect is that of the event
taken as `actor1`'s deed.

`time_precision` 1 (the day is known) and 2 (only the week is: ACLED
dates such events within that week) keep `event_date`'s day, and a 2 is
written in `notes`; saydo compares deeds and words over months, so a
few days do not change a pair. 3 (only the month is known) dates the
action to the month, `YYYY-MM`.

Effects: each is how much the event, as `actor1`'s deed, harms `actor2`
(or the people where it happened). One ladder for every country and
actor: lethal force from -7 to -10 by how indiscriminate it is and how
little the target can answer it; harm without killing (arrests, looting,
riots) -4 to -6; pressure without violence (protest, ground taken
unopposed, a show of force) -2 to -3. Agreements are words, so they are
left out: saydo holds words against deeds, and a promise imported as a
deed would uphold itself.

{}
Actors: each distinct `actor1` / `actor2` name is an actor, its id the
name in lower case with every run of other characters a `-`
(`Military Forces of Syria (2000-)` → `military-forces-of-syria-2000`).
A name that starts with {} is that state's forces or
office: an **organization** that acts for the **state** named after it,
which is named as `country` writes it when it is the row's country (any
other state is named up to the bracket of its years). Other actors are
organizations or groups by `inter1` / `inter2`: state, rebel, political
militia and external forces are organizations; identity militias,
rioters, protesters and civilians (and unknown codes) are groups. Each
of ACLED's regime periods (`(2000-)`, `(2014-)`) is its own actor, and
all of them act for the state. The first row that names an actor gives
its kind.

Attribution:

{}",
        table::sub_event_rows(),
        {
            let prefixes: Vec<String> = table::STATE_PREFIXES
                .iter()
                .map(|p| format!("`{}`", p.trim()))
                .collect();
            match prefixes.split_last() {
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            }
        },
        table::ACLED_ATTRIBUTION_RULES
    )
}

/// Reads one ACLED export into `sink`.
pub(crate) fn read(path: &Path, file: FileId, sink: &mut Sink) -> io::Result<()> {
    // ACLED quotes fields that hold the delimiter (notes often do).
    let mut rows = Rows::open_quoted(path, file)?;
    let Some(header) = rows.next_row()? else {
        return Ok(());
    };
    let names: Vec<&str> = (0..header.len())
        .map(|i| header.get(i).unwrap_or(""))
        .collect();
    let columns = match Columns::by_header(&names) {
        Ok(c) => c,
        Err(missing) => {
            let list = missing
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let problem = header.row_problem(
                Code::MissingField,
                format!("the header has no column {list}"),
                "ACLED exports start with a header naming event_id_cnty, event_date, sub_event_type, actor1, actor2, country …",
            );
            sink.row(Outcome::Bad(vec![problem]))?;
            // Without the columns no row can be read: each is counted
            // as bad without a problem of its own.
            while rows.next_row()?.is_some() {
                sink.counts.rows += 1;
                sink.counts.bad += 1;
            }
            return Ok(());
        }
    };
    sink.row(Outcome::Skip(Skip::NotAnEvent))?;
    while let Some(row) = rows.next_row()? {
        let outcome = event(&row, &columns, sink);
        sink.row(outcome)?;
    }
    Ok(())
}

/// The cells of one row that the importer reads.
struct Cells<'r> {
    values: [&'r str; 17],
}

impl<'r> Cells<'r> {
    fn get(&self, col: Col) -> &'r str {
        self.values[col as usize].trim()
    }
}

/// One row as an action, a skip or its problems.
fn event(row: &Row<'_>, columns: &Columns, sink: &mut Sink) -> Outcome {
    if row.is_blank() {
        return Outcome::Skip(Skip::NotAnEvent);
    }
    let mut problems = Vec::new();
    let mut values = [""; 17];
    for (k, at) in columns.0.iter().enumerate() {
        if let Some(i) = at {
            match row.get(*i) {
                Ok(s) => values[k] = s,
                Err(p) => problems.push(p),
            }
        }
    }
    if !problems.is_empty() {
        return Outcome::Bad(problems);
    }
    let cells = Cells { values };
    // Required columns are always found (`Columns::by_header`); optional
    // ones without a column read as blank.
    let at = |col: Col| columns.of(col).unwrap_or(usize::MAX);
    let id = cells.get(Col::Id);
    let id = match slug(id) {
        Some(s) => Some(s),
        None => {
            problems.push(row.problem(
                Code::MissingField,
                at(Col::Id),
                "this row has no event_id_cnty",
                "ACLED names every event (e.g. SYR12345); is this row cut short?",
            ));
            None
        }
    };
    let date = cells.get(Col::Date);
    let day = day_of(date);
    if day.is_none() {
        problems.push(row.problem(
            Code::BadDate,
            at(Col::Date),
            format!("event_date \"{}\" is not a date", date.escape_debug()),
            "ACLED exports write dates as YYYY-MM-DD, e.g. 2021-08-15 (15 August 2021 is read too)",
        ));
    }
    let precision = cells.get(Col::Precision);
    let precision = match precision {
        "" | "1" => Some(Precision::Day),
        "2" => Some(Precision::Week),
        "3" => Some(Precision::Month),
        _ => {
            problems.push(row.problem(
                Code::BadValue,
                at(Col::Precision),
                format!(
                    "time_precision \"{}\" is not 1, 2 or 3",
                    precision.escape_debug()
                ),
                "1: the day is known; 2: the week; 3: the month",
            ));
            None
        }
    };
    let sub_name = cells.get(Col::SubEvent);
    let sub = table::sub_event(sub_name);
    if sub.is_none() {
        let hint = match crate::suggest::closest(sub_name, table::SUB_EVENTS.iter().map(|s| s.name)) {
            Some(near) => format!("did you mean \"{near}\"? ACLED has 25 sub-event types"),
            None => "ACLED has 25 sub-event types, from \"Armed clash\" to \"Abduction/forced disappearance\"".into(),
        };
        problems.push(row.problem(
            Code::BadValue,
            at(Col::SubEvent),
            format!(
                "sub_event_type \"{}\" is not one of ACLED's",
                sub_name.escape_debug()
            ),
            hint,
        ));
    }
    let fatalities = cells.get(Col::Fatalities);
    if !fatalities.is_empty() && fatalities.parse::<u64>().is_err() {
        problems.push(row.problem(
            Code::WrongType,
            at(Col::Fatalities),
            format!(
                "fatalities \"{}\" is not a count",
                fatalities.escape_debug()
            ),
            "fatalities is a whole number, 0 or more",
        ));
    }
    let (Some(id), Some(day), Some(precision), Some(sub), true) =
        (id, day, precision, sub, problems.is_empty())
    else {
        return Outcome::Bad(problems);
    };
    let Some(effect) = sub.effect else {
        return Outcome::Skip(Skip::Excluded);
    };
    let country = cells.get(Col::Country);
    let Some(actor) = actor_of(
        cells.get(Col::Actor1),
        cells.get(Col::Inter1),
        country,
        sink,
    ) else {
        return Outcome::Skip(Skip::NoActor);
    };
    let target = actor_of(
        cells.get(Col::Actor2),
        cells.get(Col::Inter2),
        country,
        sink,
    );
    let date = match precision {
        Precision::Month => day.format("%Y-%m").to_string(),
        Precision::Day | Precision::Week => day.format("%Y-%m-%d").to_string(),
    };
    let place = [Col::Location, Col::Admin1, Col::Country]
        .iter()
        .map(|&c| cells.get(c))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let text = match cells.get(Col::Notes) {
        "" if place.is_empty() => sub.name.to_string(),
        "" => format!("{} in {place}", sub.name),
        notes => notes.to_string(),
    };
    Outcome::Record(Box::new(Event {
        kind: Kind::Action,
        id: format!("acled-{id}"),
        id_at: (row.file, row.span(at(Col::Id))),
        actor,
        target,
        date,
        score: effect,
        text,
        topics: Vec::new(),
        attribution: Some(table::acled_attribution(
            cells.get(Col::Source),
            cells.get(Col::Scale),
        )),
        url: None,
        notes: Some(notes(&cells, sub, &place, precision)),
    }))
}

/// How precisely ACLED knows an event's date (`time_precision`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Precision {
    Day,
    Week,
    Month,
}

/// The row's `notes`: what ACLED says of the event beyond the record's
/// fields.
fn notes(cells: &Cells<'_>, sub: &SubEvent, place: &str, precision: Precision) -> String {
    let mut parts = vec![format!("ACLED {}: {}", sub.event_type, sub.name)];
    if !place.is_empty() {
        parts.push(format!("at {place}"));
    }
    match cells.get(Col::Fatalities) {
        "" => {}
        "1" => parts.push("1 fatality".into()),
        n => parts.push(format!("{n} fatalities")),
    }
    for (col, with) in [(Col::Assoc1, "with actor1"), (Col::Assoc2, "with actor2")] {
        let assoc = cells.get(col);
        if !assoc.is_empty() {
            parts.push(format!("{with}: {assoc}"));
        }
    }
    let (source, scale) = (cells.get(Col::Source), cells.get(Col::Scale));
    match (source, scale) {
        ("", _) => {}
        (s, "") => parts.push(format!("source: {s}")),
        (s, scale) => parts.push(format!("source: {s} ({scale})")),
    }
    if precision == Precision::Week {
        parts.push("dated within the week (time_precision 2)".into());
    }
    parts.join("; ")
}

/// `event_date` as a day: `YYYY-MM-DD` as ACLED's exports write it, the
/// `15 August 2021` (or `15 Aug 2021`) of its older files, or the
/// `15-08-2021` its codebook describes. Years outside 0001–9999 are not
/// dates in a dataset.
fn day_of(date: &str) -> Option<NaiveDate> {
    let date = date.trim();
    ["%Y-%m-%d", "%d %B %Y", "%d-%m-%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(date, f).ok())
        .filter(|d| crate::date::PartialDate::parse(&d.format("%Y-%m-%d").to_string()).is_ok())
}

/// The actor an ACLED actor name names (noted in `sink`, with the state
/// it acts for), or `None` for a blank name.
fn actor_of(name: &str, inter: &str, country: &str, sink: &mut Sink) -> Option<String> {
    let name = name.trim();
    let id = slug(name)?;
    if sink.has_actor(&id) {
        return Some(id);
    }
    let state = table::state_of(name, country).and_then(|s| Some((slug(&s)?, s)));
    let (kind, acts_for) = match state {
        Some((state_id, state_name)) => {
            if !sink.has_actor(&state_id) {
                sink.actor(NewActor::state(state_id.clone(), state_name));
            }
            (ActorKind::Organization, Some(state_id))
        }
        None => (table::actor_kind(inter), None),
    };
    sink.actor(NewActor::named(
        id.clone(),
        name.to_string(),
        kind,
        acts_for,
    ));
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_header_names_every_column_read() {
        let header = include_str!("../../tests/fixtures/import/acled/acled-columns.csv");
        let names: Vec<&str> = header.trim_end().split(',').collect();
        assert_eq!(names.len(), 31);
        let columns = Columns::by_header(&names).unwrap_or_else(|m| panic!("{m:?}"));
        assert!(columns.0.iter().all(Option::is_some));
        assert_eq!(columns.of(Col::Id), Some(0));
        assert_eq!(columns.of(Col::Fatalities), Some(28));
        assert_eq!(columns.of(Col::Notes), Some(27));
        let missing = Columns::by_header(&["event_id_cnty", "EVENT_DATE", "notes"]).unwrap_err();
        assert_eq!(missing, ["sub_event_type", "actor1", "actor2", "country"]);
    }

    #[test]
    fn a_file_without_acleds_columns_is_one_problem_and_its_rows_are_bad() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("not-acled.csv");
        std::fs::write(
            &path,
            "id,date,actor\n1,2021-08-15,Land\n2,2021-08-16,Land\n",
        )
        .unwrap();
        let mut sink = Sink::create(dir.path(), "t").unwrap();
        read(&path, FileId(0), &mut sink).unwrap();
        let (counts, problems) = sink.finish(dir.path(), "t").unwrap();
        assert_eq!((counts.rows, counts.bad, counts.actions), (3, 3, 0));
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].code, problems[0].span.start),
            (Code::MissingField, 0)
        );
        assert!(
            problems[0]
                .message
                .contains("`event_id_cnty`, `event_date`"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn dates_are_read_in_the_forms_acled_writes() {
        let day = |s: &str| day_of(s).map(|d| d.format("%Y-%m-%d").to_string());
        assert_eq!(day("2021-08-15").as_deref(), Some("2021-08-15"));
        assert_eq!(day(" 15 August 2021 ").as_deref(), Some("2021-08-15"));
        assert_eq!(day("5 Aug 2021").as_deref(), Some("2021-08-05"));
        assert_eq!(day("15-08-2021").as_deref(), Some("2021-08-15"));
        for bad in [
            "2021-02-30",
            "15/08/2021",
            "August 2021",
            "",
            "2021-08-15x",
            "0000-01-01",
        ] {
            assert_eq!(day(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_actor_is_defined_once_and_state_forces_bring_their_state() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::create(dir.path(), "t").unwrap();
        let forces = actor_of("Military Forces of Syria (2000-)", "1", "Syria", &mut sink);
        assert_eq!(forces.as_deref(), Some("military-forces-of-syria-2000"));
        let civilians = actor_of("Civilians (Syria)", "7", "Syria", &mut sink);
        assert_eq!(civilians.as_deref(), Some("civilians-syria"));
        // A later row's other code does not change the first kind.
        actor_of("Civilians (Syria)", "1", "Syria", &mut sink);
        assert_eq!(actor_of("  ", "1", "Syria", &mut sink), None);
        let (counts, _) = sink.finish(dir.path(), "t").unwrap();
        assert_eq!(counts.actors, 3);
        let actors = std::fs::read_to_string(dir.path().join("actors/t.jsonl")).unwrap();
        assert_eq!(
            actors,
            "{\"id\":\"civilians-syria\",\"name\":\"Civilians (Syria)\",\"kind\":\"group\"}\n\
             {\"id\":\"military-forces-of-syria-2000\",\"name\":\"Military Forces of Syria (2000-)\",\"kind\":\"organization\",\"acts_for\":[{\"actor\":\"syria\"}]}\n\
             {\"id\":\"syria\",\"name\":\"Syria\",\"kind\":\"state\"}\n"
        );
    }
}
