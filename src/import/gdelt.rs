//! GDELT event files, 1.0 (58 columns) and 2.0 (61), as downloaded
//! (tab-separated, no header) or exported with a header row (BigQuery,
//! pandas: tab- or comma-separated). The columns are found by the header
//! when there is one, else by the row's length.

use super::cameo;
use super::rows::{
    Blocks, Dialect, Row, Rows, first_line, header_columns, lines, quoted, split_fields,
};
use super::sink::{
    Kind, NewActor, Outcome, RecordJson, Sink, Skip, SourceJson, id_hash, push_title_case,
    title_case,
};
use super::tables::{self, cameo_event, cameo_root};
use crate::diag::{Code, Diagnostic, FileId};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::io;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

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

/// Reads one GDELT file into `sink`. Rows are turned into lines of JSON
/// in parallel, blocks of lines at a time, and then taken in file order,
/// where repeats are merged and actors named: the result is the same
/// whatever the number of threads.
pub(crate) fn read(
    path: &Path,
    file: FileId,
    sink: &mut Sink,
    seen: &mut FxHashSet<u64>,
) -> io::Result<()> {
    let first = first_line(path)?;
    let has_header = memchr::memmem::find(&first, b"GLOBALEVENTID").is_some();
    let dialect = if has_header {
        Dialect::sniff(&first)
    } else {
        Dialect::TSV
    };
    if dialect.quoting {
        return read_quoted(path, file, dialect, sink, seen);
    }
    let mut blocks = Blocks::open(path)?;
    let mut columns = None;
    let mut header_pending = has_header;
    /// Blocks worked on at once: enough to keep every thread busy.
    const WINDOW: usize = 8;
    // Blocks and chunk buffers are reused from window to window: memory
    // freshly taken from the system must be cleared page by page first.
    let mut spare_blocks: Vec<Vec<u8>> = Vec::new();
    let mut spare_chunks: Vec<Chunk> = Vec::new();
    // The actors of the codes the blocks before have seen.
    let mut known = Known::default();
    // Blocks prepared and not yet taken.
    let mut waiting: Vec<Chunk> = Vec::new();
    loop {
        let mut window = Vec::with_capacity(WINDOW);
        while window.len() < WINDOW {
            match blocks.next_block(spare_blocks.pop().unwrap_or_default())? {
                Some(block) => window.push(block),
                None => break,
            }
        }
        if window.is_empty() {
            return apply_chunks(&mut waiting, sink, seen);
        }
        if header_pending {
            header_pending = false;
            let (start, block) = &mut window[0];
            let (_, line) = lines(block).next().unwrap_or((0, &[]));
            let mut fields = Vec::new();
            split_fields(line, b'\t', &mut fields);
            let row = Row::of_line(file, *start, line, &fields, path);
            match header(&row) {
                Ok(c) => columns = Some(c),
                Err(problem) => {
                    sink.row(Outcome::Bad(vec![problem]))?;
                    // Without the columns no row can be read: each is
                    // counted as bad without a problem of its own.
                    let mut rest = lines(block).count() as u64 - 1;
                    for (_, block) in &window[1..] {
                        rest += lines(block).count() as u64;
                    }
                    while let Some((_, block)) = blocks.next_block(Vec::new())? {
                        rest += lines(&block).count() as u64;
                    }
                    return sink.unread(rest);
                }
            }
            sink.row(Outcome::Skip(Skip::NotAnEvent))?;
            let skip = memchr::memchr(b'\n', block).map_or(block.len(), |i| i + 1);
            block.drain(..skip);
            *start += skip;
        }
        let mut chunks: Vec<Chunk> = (0..window.len())
            .map(|_| spare_chunks.pop().unwrap_or_default())
            .collect();
        // The blocks before are taken in order while these are prepared;
        // what they teach of actors is known to the next window only,
        // which hands on some definitions twice (the sink keeps the first).
        let (applied, ()) = rayon::join(
            || apply_chunks(&mut waiting, sink, seen),
            || {
                chunks
                    .par_iter_mut()
                    .zip(window.par_iter())
                    .for_each(|(chunk, (start, block))| {
                        prepare_block(chunk, *start, block, file, path, columns, &known)
                    })
            },
        );
        applied?;
        learn(&mut waiting, &mut known);
        spare_chunks.append(&mut waiting);
        spare_blocks.extend(window.into_iter().map(|(_, b)| b));
        waiting = chunks;
    }
}

/// Takes the rows of prepared blocks, in order.
fn apply_chunks(
    chunks: &mut [Chunk],
    sink: &mut Sink,
    seen: &mut FxHashSet<u64>,
) -> io::Result<()> {
    for chunk in chunks {
        for row in chunk.rows.drain(..) {
            apply(row, &chunk.buf, sink, seen)?;
        }
    }
    Ok(())
}

/// Adds what blocks learnt of actors to what the next blocks know.
fn learn(chunks: &mut [Chunk], known: &mut Known) {
    for chunk in chunks {
        for (code, (id, named)) in chunk.cache.actors.drain() {
            let entry = known.entry(code).or_insert((id, named));
            entry.1 |= named;
        }
    }
}

/// A comma-separated export with a header (quoted fields allowed), read
/// row by row.
fn read_quoted(
    path: &Path,
    file: FileId,
    dialect: Dialect,
    sink: &mut Sink,
    seen: &mut FxHashSet<u64>,
) -> io::Result<()> {
    let mut rows = Rows::open(path, file, dialect)?;
    let Some(row) = rows.next_row()? else {
        return Ok(());
    };
    let columns = match header(&row) {
        Ok(c) => c,
        Err(problem) => {
            sink.row(Outcome::Bad(vec![problem]))?;
            return sink.unread(rows.skip_rest()?);
        }
    };
    sink.row(Outcome::Skip(Skip::NotAnEvent))?;
    let (mut cache, known) = (Cache::default(), Known::default());
    let mut buf = Vec::new();
    while let Some(row) = rows.next_row()? {
        buf.clear();
        let prepared = prepare(&row, Some(columns), &mut cache, &known, &mut buf);
        apply(prepared, &buf, sink, seen)?;
    }
    Ok(())
}

/// The columns a header row names, or the problem of one that lacks some.
fn header(row: &Row<'_>) -> Result<Columns, Diagnostic> {
    let names: Vec<&str> = (0..row.len()).map(|i| row.get(i).unwrap_or("")).collect();
    Columns::by_header(&names).map_err(|missing| {
        row.row_problem(
            Code::MissingField,
            format!("the header has no column {}", quoted(&missing)),
            "GDELT exports name GLOBALEVENTID, SQLDATE, Actor1Code, ... SOURCEURL in their header",
        )
    })
}

/// The rows of a block, prepared: their lines of JSON in `buf`.
#[derive(Default)]
struct Chunk {
    buf: Vec<u8>,
    rows: Vec<Prepared>,
    cache: Cache,
}

/// Per CAMEO code: the actor's id, and whether the actor was named by
/// data (not a stand-in).
type Known = FxHashMap<String, (Arc<str>, bool)>;

/// A row as far as it can go without the rows before it.
enum Prepared {
    Record(Ready),
    Skip(Skip),
    Bad(Vec<Diagnostic>),
}

/// A record whose line of JSON is written, waiting to be merged or kept.
struct Ready {
    kind: Kind,
    /// The hash of (day, actor, target, event code): rows with the same
    /// one are one event.
    event: u64,
    /// The id (a range of the chunk's `buf`, inside the line of JSON),
    /// its hash, and where it is in the file.
    id: Range<usize>,
    id_hash: u64,
    id_at: (FileId, Range<usize>),
    /// The line of JSON, a range of the chunk's `buf`.
    line: Range<usize>,
    /// Actors this row names that the rows before it in its block did
    /// not name the same way.
    actors: Vec<NewActor>,
}

/// What the rows of one block have worked out already: the actor of each
/// code, and names in title case.
#[derive(Default)]
struct Cache {
    /// Per code: the actor's id, and whether its definition from data (not
    /// a stand-in) was handed on yet.
    actors: Known,
    /// Principals handed on (as stand-ins) already.
    principals: FxHashSet<String>,
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

fn prepare_block(
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

/// Takes a prepared row, in file order.
fn apply(row: Prepared, buf: &[u8], sink: &mut Sink, seen: &mut FxHashSet<u64>) -> io::Result<()> {
    match row {
        Prepared::Skip(skip) => sink.row(Outcome::Skip(skip)),
        Prepared::Bad(problems) => sink.row(Outcome::Bad(problems)),
        Prepared::Record(r) => {
            // A repeat's actors are the kept row's, perhaps named better.
            for a in r.actors {
                sink.actor(a);
            }
            if !seen.insert(r.event) {
                return sink.row(Outcome::Skip(Skip::Merged));
            }
            // Ids are `gdelt-` and digits, written as they are.
            let id = std::str::from_utf8(&buf[r.id.clone()]).unwrap_or_default();
            sink.prepared(r.kind, id, r.id_hash, r.id_at, &buf[r.line])
        }
    }
}

/// One row as a record (its line of JSON appended to `buf`), a skip or
/// its problems.
fn prepare(
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
    cache.notes.clear();
    let _ = write!(
        cache.notes,
        "GDELT event code {code}; {} mentions, {sources} sources, {articles} articles",
        count(mentions)
    );
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
        source: (!url.is_empty()).then_some(SourceJson { url }),
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
        id_hash: id_hash(&cache.id),
        id: id_start..id_start + cache.id.len(),
        id_at: (row.file, row.span(at(Field::Id))),
        line: from..buf.len(),
        actors,
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
    fn stacked_codes_act_for_their_country() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::create(dir.path(), "t").unwrap();
        let (mut cache, known) = (Cache::default(), Known::default());
        let mut new = Vec::new();
        let mut actor =
            |code, name, country| actor_of((code, name, country), &mut cache, &known, &mut new);
        assert_eq!(actor("IRNGOV", "TEHRAN", "IRN").as_deref(), Some("irn-gov"));
        assert_eq!(actor("IRN", "IRAN", "IRN").as_deref(), Some("irn"));
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
            actors.contains(r#"{"id":"irn-gov","name":"Tehran (government, IRNGOV)","kind":"organization","acts_for":[{"actor":"irn"}]}"#),
            "{actors}"
        );
        // Named first by its code, as a principal, then by its own row.
        assert!(
            actors.contains(r#"{"id":"irn","name":"Iran","kind":"state"}"#),
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
