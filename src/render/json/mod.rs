//! The JSON report (`--format json`).
//!
//! The report is one JSON object. Its large arrays are written one element
//! per line, and pairs are serialised in parallel chunks and streamed, so a
//! report of millions of pairs never sits whole in memory.
//!
//! Two files define the bytes, and a test holds them together:
//!
//! - `wire.rs`: the wire types, the documented source of the format. The
//!   JSON Schema is generated from them, and serde writes them.
//! - the fast writer, which writes the same bytes straight from the report
//!   without building wire values (millions of pairs, claims and actions
//!   would each allocate their lists): `fast.rs` its pieces (escaped ids,
//!   a JSON object written member by member), `pairs.rs` the pairs,
//!   `records.rs` the claims and actions.
//!
//! `same_bytes.rs` is the test that holds them together: it builds the
//! wire values of whole reports the plain way (`reference.rs`, which
//! `saydo explain --format json` uses too: it writes one claim),
//! serialises them with serde, and fails on the first byte that differs
//! from the fast writer's.

mod fast;
mod pairs;
mod records;
mod reference;
#[cfg(test)]
pub(crate) mod same_bytes;
mod wire;

pub(crate) use fast::{Escapes, Obj};
pub(crate) use pairs::PairWriter;
pub(crate) use records::{write_action, write_claim};
pub(crate) use reference::{action_json, claim_json};
pub(crate) use wire::*;

use crate::output::TakesBuffers;
use crate::render::common::totals;
use crate::render::{Printer, write_parallel};
use crate::report::Report;
use records::Ahead;
use serde::Serialize;
use std::io;

/// Writes the items `0..n` of a JSON array, one per line, each formatted
/// by `make`, in parallel chunks (see [`write_parallel`]).
pub(crate) fn write_array<F>(out: &mut dyn TakesBuffers, n: usize, make: F) -> io::Result<()>
where
    F: Fn(usize, &mut Vec<u8>) -> io::Result<()> + Sync,
{
    write_parallel(out, n, |i, buf| {
        buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        make(i, buf)
    })?;
    if n > 0 {
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn to_buf<T: Serialize>(value: &T, buf: &mut Vec<u8>) -> io::Result<()> {
    serde_json::to_writer(buf, value).map_err(io::Error::other)
}

/// The JSON printer.
pub(crate) struct JsonPrinter;

impl Printer for JsonPrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes the report as one JSON object.
pub fn write(report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    // The fields in the order of `ReportJson`.
    out.write_all(b"{\"schema_version\":")?;
    serde_json::to_writer(&mut *out, SCHEMA_VERSION)?;
    out.write_all(b",\"tool\":")?;
    serde_json::to_writer(&mut *out, &tool())?;
    out.write_all(b",\n\"settings\":")?;
    serde_json::to_writer(&mut *out, &settings(report))?;
    out.write_all(b",\n\"totals\":")?;
    serde_json::to_writer(&mut *out, &TotalsJson::from(totals(report)))?;
    out.write_all(b",\n\"actors\":[")?;
    write_array(out, report.actors.len(), |i, buf| {
        to_buf(&actor_json(report, &report.actors[i]), buf)
    })?;
    out.write_all(b"],\n\"claims\":[")?;
    let escapes = Escapes::new(report);
    let (claims, who) = (&report.claims, &report.who);
    let claim_at = |i: usize| claims.get(i).map(|r| r.claim as usize);
    let ahead = Ahead::of(
        &report.data.claims,
        &who.claim_actor,
        &escapes,
        &report.chains,
    );
    write_array(out, claims.len(), |i, buf| {
        ahead.ask(i, claim_at);
        write_claim(report, &escapes, &claims[i], buf);
        Ok(())
    })?;
    out.write_all(b"],\n\"actions\":[")?;
    let paired = &report.paired_actions;
    let action_at = |i: usize| paired.get(i).map(|&a| a as usize);
    let ahead = Ahead::of(
        &report.data.actions,
        &who.action_actor,
        &escapes,
        &report.chains,
    );
    write_array(out, paired.len(), |i, buf| {
        ahead.ask(i, action_at);
        write_action(report, &escapes, paired[i], buf);
        Ok(())
    })?;
    out.write_all(b"],\n\"pairs\":[")?;
    let pairs = PairWriter::new(report, &escapes);
    write_array(out, report.pairs.len(), |i, buf| {
        pairs.write(i, buf);
        Ok(())
    })?;
    out.write_all(b"]}\n")?;
    Ok(())
}

#[cfg(test)]
mod version {
    #[test]
    fn the_report_reader_reads_this_version() {
        assert_eq!(
            crate::engine::baseline::READS_VERSION,
            super::SCHEMA_VERSION
        );
    }
}
