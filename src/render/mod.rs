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

/// Items formatted per parallel task.
const CHUNK: usize = 1024;
/// Chunks formatted at once before they are handed over, bounding memory.
/// Small chunks in a wide window keep both threads busy to the window's
/// end.
const CHUNKS_IN_FLIGHT: usize = 32;
const _: () = assert!(crate::output::BLOCKS_AHEAD > CHUNKS_IN_FLIGHT);

/// Writes the items `0..n` in order, each formatted by `make` into a
/// buffer: a window of chunks of items is formatted in parallel, then
/// handed to `out` in order, and so on. Buffers are reused, those `out`
/// takes replaced by ones it has written (fresh ones would be fresh
/// pages, each zeroed by the system first). Large reports' arrays and
/// lines all go through here.
pub fn write_parallel<F>(out: &mut dyn TakesBuffers, n: usize, make: F) -> io::Result<()>
where
    F: Fn(usize, &mut Vec<u8>) -> io::Result<()> + Sync,
{
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); CHUNKS_IN_FLIGHT.min(n.div_ceil(CHUNK))];
    let window = CHUNK * CHUNKS_IN_FLIGHT;
    for start in (0..n).step_by(window) {
        let end = (start + window).min(n);
        let used = (end - start).div_ceil(CHUNK);
        buffers[..used]
            .par_iter_mut()
            .enumerate()
            .try_for_each(|(k, buf)| {
                buf.clear();
                let from = start + k * CHUNK;
                for i in from..(from + CHUNK).min(end) {
                    make(i, buf)?;
                }
                Ok::<(), io::Error>(())
            })?;
        for buf in &mut buffers[..used] {
            out.take(buf)?;
        }
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
