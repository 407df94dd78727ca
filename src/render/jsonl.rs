//! The JSON Lines report (`--format jsonl`): one JSON object per line.
//!
//! The JSON report is one document, which a program must read whole before
//! it can use any of it. JSON Lines suits the tools that read a stream a
//! record at a time (`jq -c`, `grep`, log shippers, DuckDB's
//! `read_json_auto`, a spreadsheet import that takes one table per type):
//! every pair, then every claim, then every actor summary, each object
//! tagged by its first field, `"type": "pair" | "claim" | "actor"`. The
//! other fields are exactly those of the JSON report's [`PairJson`],
//! [`ClaimJson`] and [`ActorJson`], so the two formats share one documented
//! schema; pairs add `"known"` (already in the `--baseline`).
//!
//! Lines are serialised in parallel chunks and written in order as they are
//! ready, so a report of millions of pairs never sits whole in memory.
//!
//! [`PairJson`]: crate::render::json::PairJson
//! [`ClaimJson`]: crate::render::json::ClaimJson
//! [`ActorJson`]: crate::render::json::ActorJson

use crate::output::TakesBuffers;
use crate::render::json::{actor_json, claim_json, pair_json};
use crate::render::write_parallel;
use crate::report::Report;
use serde::Serialize;
use std::io;

/// A line: the tag first, then the wire type's own fields.
#[derive(Serialize)]
struct Line<T> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    item: T,
}

/// Writes the report as JSON Lines.
pub fn write(report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    write_parallel(out, report.pairs.len(), |i, buf| {
        let line = Line {
            kind: "pair",
            item: pair_json(report, i),
        };
        to_line(&line, buf)
    })?;
    write_parallel(out, report.claims.len(), |i, buf| {
        let line = Line {
            kind: "claim",
            item: claim_json(report, &report.claims[i]),
        };
        to_line(&line, buf)
    })?;
    write_parallel(out, report.actors.len(), |i, buf| {
        let line = Line {
            kind: "actor",
            item: actor_json(report, &report.actors[i]),
        };
        to_line(&line, buf)
    })
}

fn to_line<T: Serialize>(value: &T, buf: &mut Vec<u8>) -> io::Result<()> {
    serde_json::to_writer(&mut *buf, value).map_err(io::Error::other)?;
    buf.push(b'\n');
    Ok(())
}
