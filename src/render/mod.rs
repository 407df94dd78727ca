//! Printers: each turns a [`crate::report::Report`] (or a list of problems)
//! into bytes of one format, and only reads it. Adding a format never
//! touches the engine, nor another format.
//!
//! Every report format is a [`Format`], and its printer a type of its own
//! module that implements [`Printer`]; [`Format::printer`] is the one place
//! that picks a printer and gives it what it needs of the [`Options`].
//! Printers share helpers through `common` and escape text through
//! `escape`, never through each other.

pub(crate) mod common;
pub mod csv;
pub mod diff;
pub(crate) mod escape;
pub mod explain;
pub mod github;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod markdown;
pub mod problems;
pub mod sarif;
pub mod style;
pub mod table;
pub mod trend;

pub use crate::output::TakesBuffers;
use crate::render::style::Style;
use crate::report::Report;
use clap::ValueEnum;
use rayon::prelude::*;
use std::collections::VecDeque;
use std::io;

/// Report formats (`saydo check --format`). Their names on the command
/// line are the variants' in lower case (clap's [`ValueEnum`] derives
/// them; it only names them, the CLI parses the flag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for the terminal, fitted to its width.
    Table,
    /// One JSON document (`schema/report.schema.json`).
    Json,
    /// JSON Lines: a line per pair, claim and actor summary.
    Jsonl,
    /// Markdown for pull requests and step summaries.
    Markdown,
    /// A CSV row per pair.
    Csv,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// A self-contained HTML page.
    Html,
}

/// How the table and Markdown reports list contradictions
/// (`saydo check --group-by`). Other formats always list pairs: they are
/// read by programs, which group as they need.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// A row per contradiction (a claim and an action), most severe first.
    #[default]
    Pair,
    /// A row per action that contradicts claims (the deed), with the claims
    /// it belies under it: deeds that belie the most words first.
    Deed,
}

/// Formats of validation problems (`saydo validate --format`): the
/// report formats that have a way to show problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProblemFormat {
    /// rustc-style messages with the offending lines.
    Table,
    /// A JSON array of problems ([`problems::ProblemJson`]).
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
}

/// A report printer: reads a [`Report`] and writes it in one format.
pub trait Printer {
    /// Writes the report to `out`, which takes whole buffers: printers
    /// that format in parallel (`write_parallel`) hand theirs over.
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()>;
}

/// What printers are told besides the report; each takes what it needs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Width to fit tables to, in columns (table).
    pub width: usize,
    /// Most rows per section, 0 for all (table, markdown).
    pub limit: usize,
    /// Colour or not (table).
    pub style: Style,
    /// Where the dataset lies in the repository, `""` for its root
    /// (github, sarif, junit: their paths are the repository's).
    pub path_prefix: String,
    /// Whether a baseline was given (sarif says whether results are new).
    pub has_baseline: bool,
    /// How contradictions are listed (table, markdown).
    pub group_by: GroupBy,
}

impl Format {
    /// This format's printer, set up with what it needs of `options`.
    pub fn printer(self, options: &Options) -> Box<dyn Printer> {
        let path_prefix = options.path_prefix.clone();
        match self {
            Format::Table => Box::new(table::TablePrinter {
                layout: table::Layout {
                    width: options.width,
                    limit: options.limit,
                    style: options.style,
                    group_by: options.group_by,
                },
            }),
            Format::Json => Box::new(json::JsonPrinter),
            Format::Jsonl => Box::new(jsonl::JsonLinesPrinter),
            Format::Markdown => Box::new(markdown::MarkdownPrinter {
                limit: options.limit,
                group_by: options.group_by,
            }),
            Format::Csv => Box::new(csv::CsvPrinter),
            Format::Github => Box::new(github::GithubPrinter { path_prefix }),
            Format::Sarif => Box::new(sarif::SarifPrinter {
                path_prefix,
                has_baseline: options.has_baseline,
            }),
            Format::Junit => Box::new(junit::JunitPrinter { path_prefix }),
            Format::Html => Box::new(html::HtmlPrinter),
        }
    }
}

// ---------------------------------------------------------------------------
// Formatting in parallel, writing in order.

/// Most items formatted per parallel task.
const CHUNK: usize = 1024;
/// Items per task in the first window, before their size is known: few,
/// so that a first window of large items (an HTML section, a JUnit case
/// of many contradictions) stays small.
const FIRST_CHUNK: usize = 8;
/// Bytes a task aims to format: items as large as a JUnit case (kilobytes)
/// come in chunks of tens, a JSON pair's (200 bytes) in chunks of `CHUNK`.
const CHUNK_BYTES: usize = 256 << 10;
/// Bytes after which a task stops, its items being far larger than those
/// formatted before suggested. Well above `CHUNK_BYTES`: a chunk that
/// stops goes on alone in the next round, and at 4 times it, JUnit cases
/// (whose sizes vary by thousands) stopped chunks so often that writing
/// was slower.
const STOP_BYTES: usize = 16 * CHUNK_BYTES;
/// Chunks formatted at once before they are handed over, bounding memory.
/// Small chunks in a wide window keep both threads busy to the window's
/// end.
const CHUNKS_IN_FLIGHT: usize = 32;
const _: () = assert!(crate::output::BLOCKS_AHEAD > CHUNKS_IN_FLIGHT);

/// Writes the items `0..n` in order, each formatted by `make` into a
/// buffer. A window of up to `CHUNKS_IN_FLIGHT` chunks of items is
/// formatted in parallel, then handed to `out` in order as far as the
/// chunks are finished, and the window is filled up again. Chunks hold as
/// many items as make about `CHUNK_BYTES`, judged by the items formatted
/// last; a chunk whose items turn out larger stops at `STOP_BYTES` and
/// goes on in the next round, once what it holds has been handed over (if
/// it is first) or straight away (if it still has room). So memory stays
/// bounded whatever the items' sizes, a window holding at most
/// `CHUNKS_IN_FLIGHT` times `STOP_BYTES` and an item each, and no item is
/// formatted twice. Buffers are reused, those `out` takes replaced by ones
/// it has written (fresh ones would be fresh pages, each zeroed by the
/// system first). Large reports' arrays and lines all go through here;
/// the bytes do not depend on the chunks.
pub(crate) fn write_parallel<F>(out: &mut dyn TakesBuffers, n: usize, make: F) -> io::Result<()>
where
    F: Fn(usize, &mut Vec<u8>) -> io::Result<()> + Sync,
{
    let mut window: VecDeque<Chunk> = VecDeque::with_capacity(CHUNKS_IN_FLIGHT);
    let mut spare: Vec<Vec<u8>> = Vec::new();
    // The first item in no chunk yet, and the items a new chunk takes.
    let (mut start, mut size) = (0, FIRST_CHUNK);
    loop {
        while window.len() < CHUNKS_IN_FLIGHT && start < n {
            let to = (start + size).min(n);
            let buf = spare.pop().unwrap_or_default();
            window.push_back(Chunk {
                next: start,
                to,
                buf,
            });
            start = to;
        }
        if window.is_empty() {
            return Ok(());
        }
        // Every chunk with items left and room formats; (items, bytes) made.
        let (items, bytes) = window
            .par_iter_mut()
            .map(|c| {
                let (first, before) = (c.next, c.buf.len());
                while c.next < c.to && c.buf.len() < STOP_BYTES {
                    make(c.next, &mut c.buf)?;
                    c.next += 1;
                }
                Ok::<_, io::Error>((c.next - first, c.buf.len() - before))
            })
            .try_reduce(|| (0, 0), |a, b| Ok((a.0 + b.0, a.1 + b.1)))?;
        // Handed over in order: finished chunks, then what the first
        // unfinished one holds.
        while let Some(c) = window.front_mut() {
            out.take(&mut c.buf)?;
            if c.next < c.to {
                break;
            }
            if let Some(done) = window.pop_front() {
                spare.push(done.buf);
            }
        }
        if let Some(per_chunk) = (CHUNK_BYTES * items).checked_div(bytes) {
            size = per_chunk.clamp(1, CHUNK);
        }
    }
}

/// Items `next..to`, still to be formatted, and what those before made.
struct Chunk {
    next: usize,
    to: usize,
    buf: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_of_any_size_come_out_whole_and_in_order() {
        // Small items, then large ones, then small again: chunks change
        // size from one window to the next.
        let item = |i: usize| {
            let size = if (3000..3400).contains(&i) {
                20_000
            } else {
                i % 7
            };
            format!("{i}:{};", "x".repeat(size))
        };
        let n = 9000;
        let mut out = Vec::new();
        write_parallel(&mut out, n, |i, buf| {
            buf.extend_from_slice(item(i).as_bytes());
            Ok(())
        })
        .unwrap();
        let expected: String = (0..n).map(item).collect();
        assert!(out == expected.as_bytes(), "bytes differ");
        let mut none = Vec::new();
        write_parallel(&mut none, 0, |_, _| unreachable!()).unwrap();
        assert!(none.is_empty());
    }

    /// Remembers the bytes held at once: what is handed over in one go.
    #[derive(Default)]
    struct Held {
        bytes: Vec<u8>,
        most: usize,
    }

    impl io::Write for Held {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.bytes.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl TakesBuffers for Held {
        fn take(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
            self.most = self.most.max(buf.len());
            self.bytes.extend_from_slice(buf);
            buf.clear();
            Ok(())
        }
    }

    #[test]
    fn a_run_of_large_items_after_small_ones_is_never_held_whole() {
        // Tiny items make chunks of the most items; then 300 items of
        // 100 KB (30 MB in one chunk, as the chunk size judged by the tiny
        // items would have it).
        let size = |i: usize| if i < 40_000 { 3 } else { 100_000 };
        let n = 40_300;
        let formatted = std::sync::atomic::AtomicUsize::new(0);
        let mut out = Held::default();
        write_parallel(&mut out, n, |i, buf| {
            formatted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            buf.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, size(i)));
            Ok(())
        })
        .unwrap();
        let expected: Vec<u8> = (0..n)
            .flat_map(|i| std::iter::repeat_n(b'a' + (i % 26) as u8, size(i)))
            .collect();
        assert!(out.bytes == expected, "bytes differ");
        // No chunk goes on past its share by more than an item.
        assert!(
            out.most <= STOP_BYTES + 100_000,
            "a chunk of {} bytes",
            out.most
        );
        assert_eq!(formatted.into_inner(), n, "items formatted twice");
    }
}
