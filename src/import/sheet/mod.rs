//! Spreadsheets saved as CSV (or tab-separated text): a header row, then
//! one claim or action per row, the columns named by their header.
//!
//! Analysts keep what actors said and did in sheets of their own making,
//! with their own column names (`Who`, `When`, `Said`, `Score`, `Link`),
//! so which column holds which field is the user's to say
//! ([`SheetOptions`]); a column already headed with a field's name needs
//! no saying. A column the options name that a file's header lacks is a
//! problem of the request, not of a row: nothing is imported, since every
//! row would be read wrong.

mod options;
mod values;

pub use options::{ColumnMap, DateFormat, SheetField, SheetKind, SheetOptions};

use super::rows::{Row, Rows};
use super::sink::{Event, Kind, NewActor, Outcome, Sink, Skip, slug};
use crate::diag::{Code, Diagnostic, FileId};
use crate::model::{ActorKind, Attribution};
use std::fmt::Write as _;
use std::io;
use std::path::Path;
use values::BadScore;

/// Where each field is in a file's rows, by [`SheetField`]'s order.
struct Layout([Option<usize>; 11]);

impl Layout {
    fn of(&self, field: SheetField) -> Option<usize> {
        self.0[field as usize]
    }
}

/// A header cell as compared with a field's name or a `--map` column:
/// without a byte-order mark or surrounding spaces.
fn header_name(cell: &str) -> &str {
    cell.trim_start_matches('\u{feff}').trim()
}

/// The layout of a file whose header row is `header`, or the problems
/// that keep its rows from being read.
fn layout(header: &Row<'_>, options: &SheetOptions) -> Result<Layout, Vec<Diagnostic>> {
    let names: Vec<&str> = (0..header.len())
        .map(|i| header.get(i).map_or("", header_name))
        .collect();
    let mut at = [None; 11];
    let mut problems = Vec::new();
    for m in &options.map {
        match names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(m.column.trim()))
        {
            Some(i) => at[m.field as usize] = Some(i),
            None => {
                let hint = match crate::suggest::closest(&m.column, names.iter().copied()) {
                    Some(near) => format!("did you mean --map {}={near}?", m.field),
                    None => format!("the columns are {}", listed(&names)),
                };
                problems.push(header.row_problem(
                    Code::MissingField,
                    format!(
                        "the header has no column \"{}\" (--map {}={})",
                        m.column.escape_debug(),
                        m.field,
                        m.column
                    ),
                    hint,
                ));
            }
        }
    }
    // A column mapped to one field is not taken by its name for another.
    let mapped: Vec<usize> = at.iter().flatten().copied().collect();
    for field in SheetField::ALL {
        let given = options.map.iter().any(|m| m.field == field);
        if given || (field == SheetField::Kind && options.kind.is_some()) {
            continue;
        }
        let mut by_name = names.iter().enumerate().filter(|(i, n)| {
            !mapped.contains(i) && field.names().iter().any(|f| f.eq_ignore_ascii_case(n))
        });
        at[field as usize] = by_name.next().map(|(i, _)| i);
        if let Some((second, name)) = by_name.next() {
            let first = at[field as usize].map_or("", |i| names[i]);
            problems.push(header.problem(
                Code::DuplicateField,
                second,
                format!("columns \"{first}\" and \"{name}\" could both be the {field}"),
                format!("say which with --map {field}=COLUMN"),
            ));
        }
    }
    for field in SheetField::ALL {
        // A mapped column the header lacks is reported above.
        if at[field as usize].is_some() || options.map.iter().any(|m| m.field == field) {
            continue;
        }
        if field.required() {
            problems.push(header.row_problem(
                Code::MissingField,
                format!("no column holds the {field}"),
                format!(
                    "map one with --map {field}=COLUMN (the columns are {})",
                    listed(&names)
                ),
            ));
        } else if field == SheetField::Kind && options.kind.is_none() {
            problems.push(header.row_problem(
                Code::MissingField,
                "nothing says whether the rows are claims or actions",
                "give --kind claims or --kind actions, or map a column of claim/action with --map kind=COLUMN",
            ));
        }
    }
    if problems.is_empty() {
        Ok(Layout(at))
    } else {
        Err(problems)
    }
}

fn listed(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{}\"", n.escape_debug()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The mapping and the options used, for the imported dataset's README.
pub(crate) fn mapping(options: &SheetOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Options of this import:\n");
    if options.map.is_empty() {
        let _ = writeln!(out, "- no `--map`: columns were taken by their header");
    }
    for m in &options.map {
        let _ = writeln!(out, "- `--map {}={}`", m.field, m.column);
    }
    let _ = match options.kind {
        Some(SheetKind::Claims) => writeln!(out, "- `--kind claims`: every row is a claim"),
        Some(SheetKind::Actions) => writeln!(out, "- `--kind actions`: every row is an action"),
        None => writeln!(
            out,
            "- no `--kind`: the `kind` column says, per row (`claim` or `action`)"
        ),
    };
    if let Some(f) = &options.date_format {
        let _ = writeln!(out, "- `--date-format {}`", f.as_str());
    }
    out.push_str(
        "
Each row after the header is one claim or action; rows whose cells are
all blank are counted and skipped. A column whose header is a field's
name (in any case) holds that field unless `--map` names another column
for it; other columns are not imported.

| saydo | column |
|---|---|
| `id` | `id`: made an id as `actor` is (`C 12` → `c-12`); without one, the file's name and the row's number, counting the header as row 1 (`statements-2`) |
| `actor` | `actor` (required): a name |
| `target` | `target`, when not blank: a name |
| `date` | `date` (required): `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; a day with a time after it (the time is dropped); or a day in `--date-format` |
| `text` | `text` (required) |
| `stance` / `effect` | `score`, `stance` or `effect` (required): a number from -10 to +10; a decimal comma reads as a point |
| `topics` | `topics`: split on `;` or `,` |
| `source.url` | `url` |
| `attribution` (actions) | `attribution`: confirmed, reported, alleged or disputed; claims have none, so it is not read for them |
| `notes` | `notes` |
| claim or action | `--kind`, else `kind`: `claim` or `action` |

Actors: each distinct name in `actor` and `target` is an actor, its id
the name in lower case with every run of other characters a `-`
(`Foreign Ministry` → `foreign-ministry`), named as the first row that
names it writes it. Every actor is an **organization** acting for no
one: a sheet does not say what its actors are, and most who speak and
act on the record are governments, ministries, armies, parties or
companies. Edit `actors/csv.jsonl` to make one a person or a state and
to say whom it acts for.
",
    );
    out
}

/// Reads one spreadsheet into `sink`.
pub(crate) fn read(
    path: &Path,
    file: FileId,
    options: &SheetOptions,
    sink: &mut Sink,
) -> io::Result<()> {
    let mut rows = Rows::open_quoted(path, file)?;
    let Some(header) = rows.next_row()? else {
        return Ok(());
    };
    let layout = match layout(&header, options) {
        Ok(layout) => layout,
        Err(problems) => {
            sink.refused = true;
            sink.row(Outcome::Bad(problems))?;
            while rows.next_row()?.is_some() {
                sink.counts.rows += 1;
                sink.counts.bad += 1;
            }
            return Ok(());
        }
    };
    sink.row(Outcome::Skip(Skip::NotAnEvent))?;
    let stem = path
        .file_stem()
        .and_then(|s| slug(&s.to_string_lossy()))
        .unwrap_or_else(|| "row".into());
    let mut number = 1;
    while let Some(row) = rows.next_row()? {
        number += 1;
        let outcome = event(&row, &layout, options, &format!("{stem}-{number}"), sink);
        sink.row(outcome)?;
    }
    Ok(())
}

/// One row as a claim or action, a skip, or its problems; `made_id` is
/// its id when it has none of its own.
fn event(
    row: &Row<'_>,
    layout: &Layout,
    options: &SheetOptions,
    made_id: &str,
    sink: &mut Sink,
) -> Outcome {
    if row.is_blank() {
        return Outcome::Skip(Skip::NotAnEvent);
    }
    let mut problems = Vec::new();
    let mut cells = [""; 11];
    for field in SheetField::ALL {
        if let Some(i) = layout.of(field) {
            match row.get(i) {
                Ok(s) => cells[field as usize] = s.trim(),
                Err(p) => problems.push(p),
            }
        }
    }
    if !problems.is_empty() {
        return Outcome::Bad(problems);
    }
    let cell = |f: SheetField| cells[f as usize];
    // Every field read below has a column, or is optional and blank.
    let at = |f: SheetField| layout.of(f).unwrap_or(usize::MAX);
    let mut blank = |f: SheetField, what: &str| {
        problems.push(row.problem(
            Code::MissingField,
            at(f),
            format!("this row has no {f}"),
            format!("every row needs {what}"),
        ));
    };
    let kind = match options.kind {
        Some(SheetKind::Claims) => Some(Kind::Claim),
        Some(SheetKind::Actions) => Some(Kind::Action),
        None if cell(SheetField::Kind).is_empty() => {
            blank(SheetField::Kind, "a kind: claim or action");
            None
        }
        None => values::kind_of(cell(SheetField::Kind)),
    };
    let (actor, date, text, score) = (
        cell(SheetField::Actor),
        cell(SheetField::Date),
        cell(SheetField::Text),
        cell(SheetField::Score),
    );
    for (value, field, what) in [
        (actor, SheetField::Actor, "the name of who said or did it"),
        (date, SheetField::Date, "a date"),
        (text, SheetField::Text, "the words or the deed"),
        (score, SheetField::Score, "a score from -10 to +10"),
    ] {
        if value.is_empty() {
            blank(field, what);
        }
    }
    if kind.is_none() && !cell(SheetField::Kind).is_empty() {
        problems.push(row.problem(
            Code::BadValue,
            at(SheetField::Kind),
            format!(
                "kind \"{}\" is not claim or action",
                cell(SheetField::Kind).escape_debug()
            ),
            "write claim for words, action for deeds",
        ));
    }
    let id = match cell(SheetField::Id) {
        "" => Some(made_id.to_string()),
        given => {
            let id = slug(given);
            if id.is_none() {
                problems.push(row.problem(
                    Code::BadId,
                    at(SheetField::Id),
                    format!("id \"{}\" has no letter or digit", given.escape_debug()),
                    "an id is made of letters, digits and -, e.g. c-12",
                ));
            }
            id
        }
    };
    for (name, field) in [
        (actor, SheetField::Actor),
        (cell(SheetField::Target), SheetField::Target),
    ] {
        if !name.is_empty() && slug(name).is_none() {
            problems.push(row.problem(
                Code::BadValue,
                at(field),
                format!(
                    "{field} \"{}\" has no letter or digit to name it by",
                    name.escape_debug()
                ),
                "write the actor's name",
            ));
        }
    }
    let day = values::date_of(date, options.date_format.as_ref());
    if day.is_none() && !date.is_empty() {
        let hint = match &options.date_format {
            Some(f) => format!("write dates as YYYY-MM-DD, YYYY-MM or YYYY, or as --date-format {} says", f.as_str()),
            None => "write dates as YYYY-MM-DD, YYYY-MM or YYYY, or say how they are written with --date-format (e.g. %d/%m/%Y)".into(),
        };
        problems.push(row.problem(
            Code::BadDate,
            at(SheetField::Date),
            format!("\"{}\" is not a date", date.escape_debug()),
            hint,
        ));
    }
    let score = match values::score_of(score) {
        Ok(s) => Some(s),
        Err(_) if score.is_empty() => None,
        Err(BadScore::NotANumber) => {
            problems.push(row.problem(
                Code::WrongType,
                at(SheetField::Score),
                format!("score \"{}\" is not a number", score.escape_debug()),
                "a score is a number from -10 (most hostile) to +10 (warmest)",
            ));
            None
        }
        Err(BadScore::OutOfRange(s)) => {
            problems.push(row.problem(
                Code::ScoreOutOfRange,
                at(SheetField::Score),
                format!("score {s} lies outside [-10, 10]"),
                "a score is a number from -10 (most hostile) to +10 (warmest)",
            ));
            None
        }
    };
    let attribution = match cell(SheetField::Attribution) {
        "" => None,
        a => {
            let parsed = Attribution::parse(&a.to_ascii_lowercase());
            if parsed.is_none() {
                problems.push(row.problem(
                    Code::BadValue,
                    at(SheetField::Attribution),
                    format!(
                        "attribution \"{}\" is not one saydo knows",
                        a.escape_debug()
                    ),
                    format!("use one of {}", Attribution::NAMES.join(", ")),
                ));
            }
            parsed
        }
    };
    let (Some(kind), Some(id), Some(date), Some(score), true) =
        (kind, id, day, score, problems.is_empty())
    else {
        return Outcome::Bad(problems);
    };
    let Some(actor) = actor_of(actor, sink) else {
        return Outcome::Skip(Skip::NoActor);
    };
    let target = actor_of(cell(SheetField::Target), sink);
    let optional = |f: SheetField| Some(cell(f)).filter(|s| !s.is_empty()).map(str::to_string);
    Outcome::Record(Box::new(Event {
        kind,
        id,
        id_at: (row.file, row.span(layout.of(SheetField::Id).unwrap_or(0))),
        actor,
        target,
        date,
        score,
        text: text.to_string(),
        topics: values::topics_of(cell(SheetField::Topics)),
        attribution: attribution.filter(|_| kind == Kind::Action),
        url: optional(SheetField::Url),
        notes: optional(SheetField::Notes),
    }))
}

/// The actor a name names (noted in `sink`), or `None` for a blank name.
fn actor_of(name: &str, sink: &mut Sink) -> Option<String> {
    let id = slug(name)?;
    if !sink.has_actor(&id) {
        sink.actor(NewActor::named(
            id.clone(),
            name.to_string(),
            ActorKind::Organization,
            None,
        ));
    }
    Some(id)
}

#[cfg(test)]
mod tests;
