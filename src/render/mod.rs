//! Printers: each turns a [`crate::report::Report`] (or a list of problems)
//! into bytes of one format, and only reads it. Adding a format never
//! touches the engine.

pub mod csv;
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

use crate::output::TakesBuffers;
use rayon::prelude::*;
use std::io;

/// Most items formatted per parallel task.
const CHUNK: usize = 1024;
/// Items per task in the first window, before their size is known: few,
/// so that a first window of large items (an HTML section, a JUnit case
/// of many contradictions) stays small.
const FIRST_CHUNK: usize = 8;
/// Bytes a task aims to format: items as large as a JUnit case (kilobytes)
/// come in chunks of tens, a JSON pair's (200 bytes) in chunks of `CHUNK`.
const CHUNK_BYTES: usize = 256 << 10;
/// Chunks formatted at once before they are handed over, bounding memory.
/// Small chunks in a wide window keep both threads busy to the window's
/// end.
const CHUNKS_IN_FLIGHT: usize = 32;
const _: () = assert!(crate::output::BLOCKS_AHEAD > CHUNKS_IN_FLIGHT);

/// Writes the items `0..n` in order, each formatted by `make` into a
/// buffer: a window of chunks of items is formatted in parallel, then
/// handed to `out` in order, and so on. Chunks hold as many items as make
/// about [`CHUNK_BYTES`], judged by the window before, so memory stays
/// bounded whatever the items' size. Buffers are reused, those `out`
/// takes replaced by ones it has written (fresh ones would be fresh
/// pages, each zeroed by the system first). Large reports' arrays and
/// lines all go through here; the bytes do not depend on the chunks.
pub fn write_parallel<F>(out: &mut dyn TakesBuffers, n: usize, make: F) -> io::Result<()>
where
    F: Fn(usize, &mut Vec<u8>) -> io::Result<()> + Sync,
{
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); CHUNKS_IN_FLIGHT.min(n)];
    let (mut start, mut chunk) = (0, FIRST_CHUNK);
    while start < n {
        let end = (start + chunk * CHUNKS_IN_FLIGHT).min(n);
        let used = (end - start).div_ceil(chunk);
        buffers[..used]
            .par_iter_mut()
            .enumerate()
            .try_for_each(|(k, buf)| {
                buf.clear();
                let from = start + k * chunk;
                for i in from..(from + chunk).min(end) {
                    make(i, buf)?;
                }
                Ok::<(), io::Error>(())
            })?;
        let bytes: usize = buffers[..used].iter().map(Vec::len).sum();
        for buf in &mut buffers[..used] {
            out.take(buf)?;
        }
        chunk = (CHUNK_BYTES * (end - start) / bytes.max(1)).clamp(1, CHUNK);
        start = end;
    }
    Ok(())
}

/// Report formats (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Markdown,
    Csv,
    Github,
    Sarif,
    Junit,
    Html,
}

impl Format {
    pub const NAMES: [&'static str; 9] = [
        "table", "json", "jsonl", "markdown", "csv", "github", "sarif", "junit", "html",
    ];

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "table" => Format::Table,
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "markdown" => Format::Markdown,
            "csv" => Format::Csv,
            "github" => Format::Github,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
            "html" => Format::Html,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
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
}
