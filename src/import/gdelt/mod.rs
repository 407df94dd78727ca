//! GDELT event files, 1.0 (58 columns) and 2.0 (61), as downloaded
//! (tab-separated, no header) or exported with a header row (BigQuery,
//! pandas: tab- or comma-separated). The columns are found by the header
//! when there is one, else by the row's length.

mod row;

use super::cameo;
use super::rows::{
    Blocks, Dialect, Row, Rows, first_line, header_columns, lines, quoted, split_fields,
};
use super::sink::{Kind, NewActor, Outcome, Sink, Skip, id_hash};
use super::tables;
use crate::diag::{Code, Diagnostic, FileId};
use rayon::prelude::*;
use row::{Cache, prepare, prepare_block};
use rustc_hash::{FxHashMap, FxHashSet};
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
code (`FRA`) is a **state**. A longer code that starts with the country
code (`FRAGOV`, `USAMIL`) is an **organization** that acts for that state,
named after `Actor1Name` (or `Actor2Name`) and the code; its id joins the
code's three-letter parts with `-` (`fra-gov`). A code without a country
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
    taken: &mut Taken,
) -> io::Result<()> {
    let first = first_line(path)?;
    let has_header = memchr::memmem::find(&first, b"GLOBALEVENTID").is_some();
    let dialect = if has_header {
        Dialect::sniff(&first)
    } else {
        Dialect::TSV
    };
    if dialect.quoting {
        return read_quoted(path, file, dialect, sink, taken);
    }
    let mut blocks = Blocks::open(path)?;
    let mut columns = None;
    let mut header_pending = has_header;
    // Blocks and chunk buffers are reused from window to window: memory
    // freshly taken from the system must be cleared page by page first.
    let mut spare_blocks: Vec<Vec<u8>> = Vec::new();
    let mut spare_chunks: Vec<Chunk> = Vec::new();
    // The actors of the codes the blocks before have seen.
    let mut known = Known::default();
    // Blocks prepared and not yet taken.
    let mut waiting: Vec<Chunk> = Vec::new();
    let mut window = read_window(&mut blocks, &mut spare_blocks)?;
    loop {
        if window.is_empty() {
            return apply_chunks(&mut waiting, sink);
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
        // While these blocks are prepared and decided, the blocks before
        // are taken in order and the next ones read;
        // what the blocks before teach of actors is known to the next
        // window only, which hands on some definitions twice (the sink
        // keeps the first).
        let (next, ()) = rayon::join(
            || {
                apply_chunks(&mut waiting, sink)?;
                read_window(&mut blocks, &mut spare_blocks)
            },
            || {
                chunks
                    .par_iter_mut()
                    .zip(window.par_iter())
                    .for_each(|(chunk, (start, block))| {
                        prepare_block(chunk, *start, block, file, path, columns, &known)
                    });
                decide(&mut chunks, taken);
            },
        );
        learn(&mut waiting, &mut known);
        spare_chunks.append(&mut waiting);
        spare_blocks.extend(window.into_iter().map(|(_, b)| b));
        window = next?;
        waiting = chunks;
    }
}

/// The next blocks of a file to work on at once (none at its end), read
/// into blocks done with.
fn read_window(blocks: &mut Blocks, spare: &mut Vec<Vec<u8>>) -> io::Result<Vec<(usize, Vec<u8>)>> {
    /// Enough blocks to keep every thread busy.
    const WINDOW: usize = 8;
    let mut window = Vec::with_capacity(WINDOW);
    while window.len() < WINDOW {
        match blocks.next_block(spare.pop().unwrap_or_default())? {
            Some(block) => window.push(block),
            None => break,
        }
    }
    Ok(window)
}

/// Takes the rows of prepared blocks, in order.
fn apply_chunks(chunks: &mut [Chunk], sink: &mut Sink) -> io::Result<()> {
    for chunk in chunks {
        for row in chunk.rows.drain(..) {
            apply(row, &chunk.buf, sink)?;
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
    taken: &mut Taken,
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
    let known = Known::default();
    let mut chunk = Chunk::default();
    loop {
        let row = rows.next_row()?;
        if let Some(row) = &row {
            let prepared = prepare(row, Some(columns), &mut chunk.cache, &known, &mut chunk.buf);
            chunk.rows.push(prepared);
        }
        // Rows are decided and taken some thousands at a time.
        if row.is_none() || chunk.rows.len() == 4096 {
            let mut chunks = [std::mem::take(&mut chunk)];
            decide(&mut chunks, taken);
            apply_chunks(&mut chunks, sink)?;
            let [used] = chunks;
            chunk = Chunk {
                cache: used.cache,
                ..Chunk::default()
            };
        }
        if row.is_none() {
            return Ok(());
        }
    }
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
    /// its key, and where it is in the file.
    id: Range<usize>,
    id_key: IdKey,
    id_at: (FileId, Range<usize>),
    /// The line of JSON, a range of the chunk's `buf`.
    line: Range<usize>,
    /// Actors this row names that the rows before it in its block did
    /// not name the same way.
    actors: Vec<NewActor>,
    /// Whether it is kept, merged or a repeated id ([`decide`]).
    fate: Fate,
}

/// What becomes of a prepared record, once the rows before it are known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Fate {
    #[default]
    Kept,
    /// Its event was imported already.
    Merged,
    /// Its id was imported already (for another event).
    Repeated,
}

/// Shards of the hashes of the events taken so far.
const SHARDS: usize = 8;

/// The events and ids an import has taken. Events are kept in shards by
/// hash, so that threads decide merges each for its own shard; each shard
/// sees its rows in file order, so the first row of an event wins
/// whatever the number of threads.
pub(crate) struct Taken {
    events: Vec<FxHashSet<u64>>,
    ids: Ids,
}

impl Taken {
    /// Room for about `expected` events.
    pub fn new(expected: usize) -> Taken {
        Taken {
            events: (0..SHARDS)
                .map(|_| FxHashSet::with_capacity_and_hasher(expected / SHARDS, Default::default()))
                .collect(),
            ids: Ids::default(),
        }
    }
}

fn shard(hash: u64) -> usize {
    (hash >> 61) as usize % SHARDS
}

/// How an id is told apart from the others: `GLOBALEVENTID` as a number
/// when it is written as one (no leading zero, fits in 64 bits), else the
/// hash of its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IdKey {
    Number(u64),
    Text(u64),
}

impl IdKey {
    /// The key of the id `gdelt-{digits}`.
    fn of(digits: &str, id: &str) -> IdKey {
        match digits.parse::<u64>() {
            Ok(n) if !digits.starts_with('0') || digits == "0" => IdKey::Number(n),
            _ => IdKey::Text(id_hash(id)),
        }
    }
}

/// The ids taken so far. GDELT numbers its events as it adds them, so
/// ids mostly come rising: those are new without a look-up and are kept
/// in order, in `rising`; an id below the last rising one is looked for
/// there and in `other`.
#[derive(Default)]
struct Ids {
    rising: Vec<u64>,
    other: FxHashSet<u64>,
    texts: FxHashSet<u64>,
}

impl Ids {
    /// Takes an id; whether it was new.
    fn insert(&mut self, key: IdKey) -> bool {
        match key {
            IdKey::Text(hash) => self.texts.insert(hash),
            IdKey::Number(n) if self.rising.last().is_none_or(|&last| n > last) => {
                self.rising.push(n);
                true
            }
            IdKey::Number(n) => self.rising.binary_search(&n).is_err() && self.other.insert(n),
        }
    }
}

/// Decides the fate of the prepared records of `chunks`, in file order:
/// merges by each shard of `taken`'s events on a thread of its own, then
/// repeated ids among the rows not merged.
fn decide(chunks: &mut [Chunk], taken: &mut Taken) {
    let keys: Vec<(u64, IdKey)> = chunks
        .iter()
        .flat_map(|c| &c.rows)
        .filter_map(|r| match r {
            Prepared::Record(r) => Some((r.event, r.id_key)),
            _ => None,
        })
        .collect();
    let mut fates = vec![Fate::Kept; keys.len()];
    let merged: Vec<usize> = taken
        .events
        .par_iter_mut()
        .enumerate()
        .flat_map_iter(|(s, set)| {
            keys.iter()
                .enumerate()
                .filter(|(_, k)| shard(k.0) == s && !set.insert(k.0))
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
        .collect();
    for i in merged {
        fates[i] = Fate::Merged;
    }
    for (fate, (_, id)) in fates.iter_mut().zip(&keys) {
        if *fate == Fate::Kept && !taken.ids.insert(*id) {
            *fate = Fate::Repeated;
        }
    }
    let mut fates = fates.into_iter();
    for chunk in chunks {
        for row in &mut chunk.rows {
            if let Prepared::Record(r) = row {
                r.fate = fates.next().unwrap_or_default();
            }
        }
    }
}

/// Takes a prepared row, in file order.
fn apply(row: Prepared, buf: &[u8], sink: &mut Sink) -> io::Result<()> {
    match row {
        Prepared::Skip(skip) => sink.row(Outcome::Skip(skip)),
        Prepared::Bad(problems) => sink.row(Outcome::Bad(problems)),
        Prepared::Record(r) => {
            // A repeat's actors are the kept row's, perhaps named better.
            for a in r.actors {
                sink.actor(a);
            }
            match r.fate {
                Fate::Kept => sink.prepared_new(r.kind, &buf[r.line]),
                Fate::Merged => sink.row(Outcome::Skip(Skip::Merged)),
                Fate::Repeated => {
                    // Ids are `gdelt-` and digits, written as they are.
                    let id = std::str::from_utf8(&buf[r.id]).unwrap_or_default();
                    sink.repeated_id(id, r.id_at);
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_of_both_versions_name_the_same_fields() {
        let v1: Vec<&str> = include_str!("../../../tests/fixtures/import/gdelt/columns-1.0.txt")
            .lines()
            .collect();
        let v2: Vec<&str> = include_str!("../../../tests/fixtures/import/gdelt/columns-2.0.txt")
            .lines()
            .collect();
        assert_eq!((v1.len(), v2.len()), (58, 61));
        for (names, columns) in [(&v1, Columns::V1), (&v2, Columns::V2)] {
            assert_eq!(Columns::by_header(names), Ok(columns));
        }
        assert_eq!(Columns::by_header(&["SQLDATE"]).unwrap_err().len(), 15);
    }

    #[test]
    fn an_id_is_new_once_whatever_the_order() {
        let mut ids = Ids::default();
        let key = |digits: &str| IdKey::of(digits, &format!("gdelt-{digits}"));
        // Each id in order, and whether it is new then.
        let order = [
            ("5", true),
            ("7", true),
            ("9", true),
            ("7", false),
            ("6", true),
            ("6", false),
            ("10", true),
            ("5", false),
            ("07", true),
            ("07", false),
            ("0", true),
            ("0", false),
        ];
        for (digits, new) in order {
            assert_eq!(ids.insert(key(digits)), new, "{digits}");
        }
        // Written with a leading zero or past 64 bits: told apart by text.
        assert!(matches!(key("07"), IdKey::Text(_)));
        assert!(matches!(key("99999999999999999999"), IdKey::Text(_)));
        assert_eq!(key("0"), IdKey::Number(0));
    }
}
