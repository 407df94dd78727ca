//! The JSON Lines report (`--format jsonl`): one JSON object per line.
//!
//! The JSON report is one document, which a program must read whole before
//! it can use any of it. JSON Lines suits the tools that read a stream a
//! record at a time (`jq -c`, `grep`, log shippers, DuckDB's
//! `read_json_auto`, a spreadsheet import that takes one table per type):
//! every pair, then every claim, then every actor summary, each object
//! tagged by its first field, `"type": "pair" | "claim" | "actor"`. The
//! other fields are exactly those of the JSON report's `PairJson`,
//! `ClaimJson` and `ActorJson`, so the two formats share one documented
//! schema; pairs add `"known"` (already in the `--baseline`).
//!
//! Lines are serialised in parallel chunks and written in order as they are
//! ready, so a report of millions of pairs never sits whole in memory.
//! Pairs and claims are written by the JSON report's own writers, which
//! give serde's bytes without building the wire value first (and a
//! `#[serde(flatten)]` line would buffer every field as well): a line is
//! the tag, then the object with its opening brace turned into a comma.
//! The test in `json/same_bytes.rs` holds these lines to serde's.

use crate::output::TakesBuffers;
use crate::render::Printer;
use crate::render::json::{Escapes, PairWriter, actor_json, write_claim};
use crate::render::write_parallel;
use crate::report::Report;
use std::io;

/// The JSON Lines printer.
pub(crate) struct JsonLinesPrinter;

impl Printer for JsonLinesPrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes the report as JSON Lines.
pub fn write(report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    let escapes = Escapes::new(report);
    pairs(report, &escapes, out)?;
    tail(report, &escapes, out)
}

/// Writes the report's pairs, a line each: the first part of the report,
/// which a check made a run of claims at a time writes run by run.
pub fn write_pairs(report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    pairs(report, &Escapes::new(report), out)
}

/// Writes the report's claims and actor summaries, a line each: the rest
/// of the report, after every pair.
pub fn write_tail(report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    tail(report, &Escapes::new(report), out)
}

fn pairs(report: &Report<'_>, escapes: &Escapes, out: &mut dyn TakesBuffers) -> io::Result<()> {
    let pairs = PairWriter::new(report, escapes);
    write_parallel(out, report.pairs.len(), |i, buf| {
        line(buf, "pair", |buf| {
            pairs.write(i, buf);
            Ok(())
        })
    })
}

fn tail(report: &Report<'_>, escapes: &Escapes, out: &mut dyn TakesBuffers) -> io::Result<()> {
    write_parallel(out, report.claims.len(), |i, buf| {
        line(buf, "claim", |buf| {
            write_claim(report, escapes, &report.claims[i], buf);
            Ok(())
        })
    })?;
    write_parallel(out, report.actors.len(), |i, buf| {
        line(buf, "actor", |buf| {
            let actor = actor_json(report, &report.actors[i]);
            serde_json::to_writer(&mut *buf, &actor).map_err(io::Error::other)
        })
    })
}

/// Appends `{"type":"<kind>",` and the fields of the object `object`
/// writes, then a line break.
fn line(
    buf: &mut Vec<u8>,
    kind: &str,
    object: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
) -> io::Result<()> {
    buf.extend_from_slice(b"{\"type\":\"");
    buf.extend_from_slice(kind.as_bytes());
    buf.push(b'"');
    let brace = buf.len();
    object(buf)?;
    debug_assert_eq!(buf.get(brace), Some(&b'{'), "an object starts with a brace");
    if let Some(b) = buf.get_mut(brace) {
        *b = b',';
    }
    buf.push(b'\n');
    Ok(())
}
