//! GDELT event files, 1.0 (58 columns) and 2.0 (61), as downloaded
//! (tab-separated, no header) or exported with a header row (BigQuery,
//! pandas: tab- or comma-separated). The columns are found by the header
//! when there is one, else by the row's length.

use super::cameo;
use super::rows::{Dialect, Row, Rows, first_line, header_columns, quoted};
use super::sink::{Event, Kind, Outcome, Sink, Skip, title_case};
use super::tables::{self, cameo_event, cameo_root};
use crate::diag::{Code, FileId};
use rustc_hash::{FxHashSet, FxHasher};
use std::hash::{Hash, Hasher};
use std::io;
use std::path::Path;

/// The columns the importer reads.
const NEEDED: [&str; 16] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "IsRootEvent",
    "EventCode",
    "QuadClass",
    "GoldsteinScale",
    "NumSources",
    "NumArticles",
    "SOURCEURL",
    "NumMentions",
];

/// Where each of [`NEEDED`] is in a row, in that order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Columns([usize; 16]);

impl Columns {
    /// GDELT 1.0: 58 columns.
    const V1: Columns = Columns([0, 1, 5, 6, 7, 15, 16, 17, 25, 26, 29, 30, 32, 33, 57, 31]);
    /// GDELT 2.0: 61 columns (three `ADM2Code` columns more, and
    /// `DATEADDED` to the minute).
    const V2: Columns = Columns([0, 1, 5, 6, 7, 15, 16, 17, 25, 26, 29, 30, 32, 33, 60, 31]);

    fn by_length(n: usize) -> Option<Columns> {
        match n {
            58 => Some(Columns::V1),
            61 => Some(Columns::V2),
            _ => None,
        }
    }

    /// The columns of a header row, if it names every needed one.
    fn by_header(names: &[&str]) -> Result<Columns, Vec<&'static str>> {
        header_columns(names, &NEEDED).map(Columns)
    }

    fn of(&self, field: Field) -> usize {
        self.0[field as usize]
    }
}

/// The needed columns by name, in the order of [`NEEDED`].
#[derive(Clone, Copy)]
enum Field {
    Id,
    Date,
    Actor1Code,
    Actor1Name,
    Actor1Country,
    Actor2Code,
    Actor2Name,
    Actor2Country,
    IsRoot,
    EventCode,
    QuadClass,
    Goldstein,
    NumSources,
    NumArticles,
    Url,
    NumMentions,
}

/// The mapping, for the imported dataset's README.
pub(crate) fn mapping() -> String {
    format!(
        "\
Each GDELT row is one event. Rows whose `QuadClass` is 1 or 3 (verbal
cooperation or conflict) become **claims**; 2 or 4 (material) become
**actions**.

| saydo | GDELT |
|---|---|
| `id` | `gdelt-` and `GLOBALEVENTID` |
| `actor` | `Actor1Code` (rows without one are counted and skipped) |
| `target` | `Actor2Code`, when there is one |
| `date` | `SQLDATE` (`YYYYMMDD`), to the day |
| `stance` / `effect` | `GoldsteinScale` (-10 to +10, fixed per event code) |
| `text` | `Actor1Name`, CAMEO's name of `EventCode`, and `Actor2Name` |
| `source.url` | `SOURCEURL` |
| `attribution` (actions) | `NumSources`, `NumArticles` and `IsRootEvent`, as below |
| `notes` | `EventCode`, `NumMentions`, `NumSources` and `NumArticles` |

Actors come from CAMEO actor codes. A code that is its row's country
code (`IRN`) is a **state**. A longer code that starts with the country
code (`IRNGOV`, `USAMIL`) is an **organization** that acts for that state,
named after `Actor1Name` (or `Actor2Name`) and the code; its id joins the
code's three-letter parts with `-` (`irn-gov`). A code without a country
(`BUS`, `IGOUNO`) is an organization acting for no one. The first row
that names an actor gives its name.

Attribution of actions:

{}
The same event is often reported by several articles, each a row. Rows
with the same `SQLDATE`, `Actor1Code`, `Actor2Code` and `EventCode` are
one event: the first row is imported and the others are counted as
merged. (The importer remembers a 64-bit hash of each event, 8 bytes per
event; everything else is streamed.)
",
        tables::GDELT_ATTRIBUTION_RULES
    )
}

/// Reads one GDELT file into `sink`.
pub(crate) fn read(
    path: &Path,
    file: FileId,
    sink: &mut Sink,
    seen: &mut FxHashSet<u64>,
) -> io::Result<()> {
    let first = first_line(path)?;
    let has_header =
        first.starts_with(b"GLOBALEVENTID") || first.windows(13).any(|w| w == b"GLOBALEVENTID");
    let dialect = if has_header {
        Dialect::sniff(&first)
    } else {
        Dialect::TSV
    };
    let mut rows = Rows::open(path, file, dialect)?;
    let mut columns = None;
    let mut header_done = !has_header;
    while let Some(row) = rows.next_row()? {
        if !header_done {
            header_done = true;
            let names: Vec<&str> = (0..row.len()).map(|i| row.get(i).unwrap_or("")).collect();
            match Columns::by_header(&names) {
                Ok(c) => columns = Some(c),
                Err(missing) => {
                    let problem = row.row_problem(
                        Code::MissingField,
                        format!("the header has no column {}", quoted(&missing)),
                        "GDELT exports name GLOBALEVENTID, SQLDATE, Actor1Code, ... SOURCEURL in their header",
                    );
                    sink.row(Outcome::Bad(vec![problem]))?;
                    // Without the columns no row can be read: each is
                    // counted as bad without a problem of its own.
                    return sink.unread(rows.skip_rest()?);
                }
            }
            sink.row(Outcome::Skip(Skip::NotAnEvent))?;
            continue;
        }
        let outcome = event(&row, columns, seen, sink);
        sink.row(outcome)?;
    }
    Ok(())
}

/// One row as an event, a skip or its problems.
fn event(
    row: &Row<'_>,
    header: Option<Columns>,
    seen: &mut FxHashSet<u64>,
    sink: &mut Sink,
) -> Outcome {
    if row.is_blank() {
        return Outcome::Skip(Skip::NotAnEvent);
    }
    let columns = match header.or_else(|| Columns::by_length(row.len())) {
        Some(c) if row.len() > c.0.iter().copied().max().unwrap_or(0) => c,
        _ => {
            return Outcome::Bad(vec![row.row_problem(
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
        let i = columns.of(f);
        match row.get(i) {
            Ok(s) => s,
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
        return Outcome::Bad(problems);
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
    let day = day_of(date);
    if day.is_none() {
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
    let kind = match quad.trim() {
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
    let score = match goldstein.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && (-10.0..=10.0).contains(&s) => Some(s),
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
    let count = |s: &str| s.trim().parse::<u32>().unwrap_or(0);
    let (Some(kind), Some(score), Some(day), true) = (kind, score, day, valid_id) else {
        return Outcome::Bad(problems);
    };
    if a1.0.trim().is_empty() {
        return Outcome::Skip(Skip::NoActor);
    }
    let mut h = FxHasher::default();
    (date, a1.0, a2.0, code).hash(&mut h);
    if !seen.insert(h.finish()) {
        return Outcome::Skip(Skip::Merged);
    }
    let Some(actor) = cameo::actor(a1.0, &title_case(a1.1), a1.2, sink) else {
        return Outcome::Skip(Skip::NoActor);
    };
    let target = cameo::actor(a2.0, &title_case(a2.1), a2.2, sink);
    let what = cameo_event(code.trim())
        .map(str::to_string)
        .or_else(|| cameo_root(code.trim()).map(|r| r.name.to_string()))
        .unwrap_or_else(|| format!("CAMEO event {}", code.trim()));
    let who = if a1.1.trim().is_empty() {
        a1.0.trim()
    } else {
        a1.1.trim()
    };
    let text = match target {
        Some(_) => {
            let whom = if a2.1.trim().is_empty() {
                a2.0.trim()
            } else {
                a2.1.trim()
            };
            format!("{}: {what} ({})", title_case(who), title_case(whom))
        }
        None => format!("{}: {what}", title_case(who)),
    };
    let (sources, articles) = (count(sources), count(articles));
    Outcome::Record(Box::new(Event {
        kind,
        id: format!("gdelt-{id}"),
        id_at: (row.file, row.span(at(Field::Id))),
        actor,
        target,
        date: day,
        score,
        text,
        topics: Vec::new(),
        attribution: (kind == Kind::Action)
            .then(|| tables::gdelt_attribution(sources, articles, is_root.trim() == "1")),
        url: Some(url.trim())
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        notes: Some(format!(
            "GDELT event code {}; {} mentions, {sources} sources, {articles} articles",
            code.trim(),
            count(mentions)
        )),
    }))
}

/// `YYYYMMDD` as `YYYY-MM-DD`, if it is a day that exists.
fn day_of(date: &str) -> Option<String> {
    let d = date.trim();
    if d.len() != 8 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day = format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]);
    crate::date::PartialDate::parse(&day).ok().map(|_| day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_of_both_versions_name_the_same_fields() {
        let v1: Vec<&str> = include_str!("../../tests/fixtures/import/gdelt/columns-1.0.txt")
            .lines()
            .collect();
        let v2: Vec<&str> = include_str!("../../tests/fixtures/import/gdelt/columns-2.0.txt")
            .lines()
            .collect();
        assert_eq!((v1.len(), v2.len()), (58, 61));
        for (names, columns) in [(&v1, Columns::V1), (&v2, Columns::V2)] {
            assert_eq!(Columns::by_header(names), Ok(columns));
        }
        assert_eq!(Columns::by_header(&["SQLDATE"]).unwrap_err().len(), 15);
    }

    #[test]
    fn dates_are_days_that_exist() {
        assert_eq!(day_of("20141124").as_deref(), Some("2014-11-24"));
        assert_eq!(day_of("20140230"), None);
        assert_eq!(day_of("2014112"), None);
    }
}
