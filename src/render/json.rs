//! The JSON report (`--format json`) and its wire types.
//!
//! These types *are* the format dashboards consume: each field is documented
//! here, the JSON Schema in `schema/report.schema.json` is generated from
//! them, and `schema_version` changes only when a field is removed or
//! changes meaning (adding fields keeps the version).
//!
//! The report is one JSON object. Its large arrays are written one element
//! per line, and pairs are serialised in parallel chunks and streamed, so a
//! report of millions of pairs never sits whole in memory.

use crate::actors::Chains;
use crate::date::{PartialDate, Span};
use crate::model::{ActorIx, Dataset, Record};
use crate::output::TakesBuffers;
use crate::pair::{Sets, prefetch, prefetch_all, prefetch_lines, prefetch_str};
use crate::reasons;
use crate::render::Printer;
use crate::render::common::{Totals, totals};
use crate::render::write_parallel;
use crate::report::{ActorSummary, ClaimResult, Report};
use crate::score::{Kind, Order, Verdict};
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::Serialize;
use std::io;
use std::sync::atomic::Ordering;

/// Version of the report's format.
pub const SCHEMA_VERSION: &str = "1";

/// A saydo check report: the settings, the totals, every actor's summary,
/// every claim with its verdict, the actions in pairs, and every pair.
//
// The writer streams this shape without building the value.
#[derive(Serialize, JsonSchema)]
pub struct ReportJson<'a> {
    /// Always "1" for this format; bumped only for breaking changes.
    #[schemars(extend("const" = "1"))]
    pub schema_version: &'static str,
    pub tool: ToolJson,
    pub settings: SettingsJson,
    pub totals: TotalsJson,
    /// Actors with at least one record or pair, by id.
    pub actors: Vec<ActorJson<'a>>,
    /// Every claim kept by the filters, by id, with its verdict.
    pub claims: Vec<ClaimJson<'a>>,
    /// Every action that takes part in a pair, by id.
    pub actions: Vec<ActionJson<'a>>,
    /// Every pair, by claim id then action id.
    pub pairs: Vec<PairJson<'a>>,
}

/// The program that wrote the report.
#[derive(Serialize, JsonSchema)]
pub struct ToolJson {
    pub name: &'static str,
    pub version: &'static str,
}

/// The settings the check ran with.
#[derive(Serialize, JsonSchema)]
pub struct SettingsJson {
    /// Days before a claim an action may start and still be paired.
    pub lookback: u32,
    /// Days after a claim an action may start and still be paired.
    pub horizon: u32,
    /// Smallest |stance| and |effect| that take a side.
    pub threshold: f64,
    pub filters: FiltersJson,
}

/// The filters given (null when not given).
#[derive(Serialize, JsonSchema)]
pub struct FiltersJson {
    pub actor: Option<String>,
    pub topic: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// Counts over the report.
#[derive(Serialize, JsonSchema)]
pub struct TotalsJson {
    /// Actors listed in `actors`.
    pub actors: usize,
    /// Claims listed in `claims`.
    pub claims: usize,
    /// Actions in the dataset (kept by the filters).
    pub actions: usize,
    /// Actions listed in `actions` (those in at least one pair).
    pub paired_actions: usize,
    pub pairs: usize,
    pub contradictions: usize,
    pub duplicity: usize,
    pub bluster: usize,
    pub consistent: usize,
    pub reciprocal: usize,
    pub neutral: usize,
}

/// One actor's summary.
#[derive(Serialize, JsonSchema)]
pub struct ActorJson<'a> {
    pub actor_id: &'a str,
    pub name: &'a str,
    /// state, person, organization, group, or unlisted (no actors/ folder).
    #[schemars(extend("enum" = ["state", "person", "organization", "group", "unlisted"]))]
    pub kind: &'static str,
    /// Whom the actor acts for, and when.
    pub acts_for: Vec<RoleJson<'a>>,
    /// Claims made by the actor or on its behalf.
    pub claims: u32,
    /// Actions done by the actor or on its behalf.
    pub actions: u32,
    /// Pairs in which the actor stands behind the claim or the action.
    pub pairs: u32,
    pub contradictions: u32,
    pub duplicity: u32,
    pub bluster: u32,
    pub consistent: u32,
    pub reciprocal: u32,
    pub neutral: u32,
    /// Say-do consistency in [-1, 1], severity-weighted; null without judged pairs.
    pub consistency: Option<f64>,
}

/// A role in which an actor acts for another.
#[derive(Serialize, JsonSchema)]
pub struct RoleJson<'a> {
    pub actor_id: &'a str,
    pub role: &'a str,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Where a record's words come from.
#[derive(Serialize, JsonSchema)]
pub struct SourceJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<&'a str>,
    /// Line of the document where the quote was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
}

/// A claim and its verdict.
#[derive(Serialize, JsonSchema)]
pub struct ClaimJson<'a> {
    pub claim_id: &'a str,
    /// contradicted, mixed, upheld or untested.
    #[schemars(extend("enum" = ["contradicted", "mixed", "upheld", "untested"]))]
    pub verdict: &'static str,
    /// The actor as the record names it, resolved (its name is in `actors`).
    pub actor_id: &'a str,
    /// As written: YYYY, YYYY-MM or YYYY-MM-DD.
    pub date: String,
    pub target_id: Option<&'a str>,
    pub topics: Vec<&'a str>,
    pub stance: f64,
    pub text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceJson<'a>>,
    /// Data file (relative to the dataset) and line of the record.
    pub file: &'a str,
    pub line: u32,
    /// Who the claim speaks for at its date: for each principal, the chain
    /// of actors from the claim's actor to it (the last id is the principal).
    pub principals: Vec<Vec<&'a str>>,
    pub pairs: u32,
    pub contradictions: u32,
    pub consistent: u32,
    pub reciprocal: u32,
    pub neutral: u32,
    /// Highest severity among its contradictions, if any.
    pub worst_severity: Option<f64>,
}

/// An action that takes part in at least one pair.
#[derive(Serialize, JsonSchema)]
pub struct ActionJson<'a> {
    pub action_id: &'a str,
    pub actor_id: &'a str,
    pub date: String,
    pub target_id: Option<&'a str>,
    pub topics: Vec<&'a str>,
    pub effect: f64,
    /// confirmed, reported, alleged or disputed.
    #[schemars(extend("enum" = ["confirmed", "reported", "alleged", "disputed"]))]
    pub attribution: &'static str,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responds_to: Vec<&'a str>,
    pub text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceJson<'a>>,
    pub file: &'a str,
    pub line: u32,
    /// Who the action is done for at its date: for each principal, the
    /// chain of actors from the action's actor to it (the last id is the principal).
    pub principals: Vec<Vec<&'a str>>,
}

/// A claim-action pair, its verdict and why.
#[derive(Serialize, JsonSchema)]
pub struct PairJson<'a> {
    pub claim_id: &'a str,
    pub action_id: &'a str,
    /// contradiction, reciprocal, consistent or neutral.
    #[schemars(extend("enum" = ["contradiction", "reciprocal", "consistent", "neutral"]))]
    pub verdict: &'static str,
    /// duplicity or bluster for a contradiction, otherwise null.
    #[schemars(extend("enum" = ["duplicity", "bluster", null]))]
    pub kind: Option<&'static str>,
    /// In (0, 1]: strength × attribution × proximity × order (see the
    /// README), from the two records' scores, the action's attribution,
    /// `gap_days` and `order`.
    pub severity: f64,
    /// The actor both records answer to (the first principal they share).
    /// The chain of roles from each record's actor to it is in that
    /// record's `principals`.
    pub principal: &'a str,
    /// Topics the pair is about: those both records have, or all the
    /// action's when the claim has none (a general stance).
    pub topics: Vec<&'a str>,
    /// Days between the two dates' intervals (0 when they overlap).
    pub gap_days: i32,
    /// When the deed happened relative to the words: after, overlapping, before.
    #[schemars(extend("enum" = ["after", "overlapping", "before"]))]
    pub order: &'static str,
    /// Whether the pair was already in the `--baseline` report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub known: bool,
}

/// This program's name and version.
pub fn tool() -> ToolJson {
    ToolJson {
        name: "saydo",
        version: env!("CARGO_PKG_VERSION"),
    }
}

fn source(r: &Record) -> Option<SourceJson<'_>> {
    let e = r.extra();
    (e.document.is_some() || e.url.is_some()).then_some(SourceJson {
        document: e.document.as_deref(),
        quote: e.quote.as_deref(),
        quote_line: e.quote_line,
        url: e.url.as_deref(),
    })
}

fn topics<'a>(data: &'a Dataset, r: &Record) -> Vec<&'a str> {
    r.topics
        .iter()
        .map(|&t| data.topics[t as usize].as_str())
        .collect()
}

/// For each principal, the chain of actor ids from `actor` to it.
fn paths<'a>(
    report: &Report<'a>,
    actor: u32,
    date: &PartialDate,
    principals: &[u32],
) -> Vec<Vec<&'a str>> {
    let data = report.data;
    principals
        .iter()
        .map(|&p| match report.chains.path(actor, Span::of(date), p) {
            Some(steps) => steps
                .iter()
                .map(|s| data.actors[s.actor as usize].id.as_str())
                .collect(),
            None => vec![data.actors[p as usize].id.as_str()],
        })
        .collect()
}

impl From<Totals> for TotalsJson {
    fn from(t: Totals) -> Self {
        TotalsJson {
            actors: t.actors,
            claims: t.claims,
            actions: t.actions,
            paired_actions: t.paired_actions,
            pairs: t.pairs,
            contradictions: t.contradictions,
            duplicity: t.duplicity,
            bluster: t.bluster,
            consistent: t.consistent,
            reciprocal: t.reciprocal,
            neutral: t.neutral,
        }
    }
}

/// Settings as written in reports.
pub fn settings(report: &Report<'_>) -> SettingsJson {
    let data = report.data;
    let f = &report.filters;
    SettingsJson {
        lookback: report.settings.lookback,
        horizon: report.settings.horizon,
        threshold: report.settings.threshold,
        filters: FiltersJson {
            actor: f.actor.map(|a| data.actors[a as usize].id.clone()),
            topic: f.topic.map(|t| data.topics[t as usize].clone()),
            since: f.since.map(|d| d.to_string()),
            until: f.until.map(|d| d.to_string()),
        },
    }
}

pub fn actor_json<'a>(report: &Report<'a>, s: &ActorSummary) -> ActorJson<'a> {
    let data = report.data;
    let actor = &data.actors[s.actor as usize];
    ActorJson {
        actor_id: &actor.id,
        name: &actor.name,
        kind: actor.kind.as_str(),
        acts_for: actor
            .roles
            .iter()
            .map(|r| RoleJson {
                actor_id: &data.actors[r.principal as usize].id,
                role: &r.role,
                from: r.from.map(|d| d.to_string()),
                to: r.to.map(|d| d.to_string()),
            })
            .collect(),
        claims: s.claims,
        actions: s.actions,
        pairs: s.pairs,
        contradictions: s.contradictions,
        duplicity: s.duplicity,
        bluster: s.bluster,
        consistent: s.consistent,
        reciprocal: s.reciprocal,
        neutral: s.neutral,
        consistency: s.consistency,
    }
}

pub fn claim_json<'a>(report: &Report<'a>, r: &ClaimResult) -> ClaimJson<'a> {
    let data = report.data;
    let c = &data.claims[r.claim as usize];
    let actor = &data.actors[c.actor as usize];
    ClaimJson {
        claim_id: &c.id,
        verdict: r.verdict.as_str(),
        actor_id: &actor.id,
        date: c.date.to_string(),
        target_id: c.target.map(|t| data.actors[t as usize].id.as_str()),
        topics: topics(data, c),
        stance: c.score,
        text: &c.text,
        notes: c.extra().notes.as_deref(),
        source: source(c),
        file: data.files.display(c.at.file),
        line: c.at.line,
        principals: paths(
            report,
            c.actor,
            &c.date,
            report.who.claim_actor.get(r.claim as usize),
        ),
        pairs: r.pairs,
        contradictions: r.contradictions,
        consistent: r.consistent,
        reciprocal: r.reciprocal,
        neutral: r.neutral,
        worst_severity: r.worst,
    }
}

pub fn action_json<'a>(report: &Report<'a>, a: u32) -> ActionJson<'a> {
    let data = report.data;
    let x = &data.actions[a as usize];
    let actor = &data.actors[x.actor as usize];
    ActionJson {
        action_id: &x.id,
        actor_id: &actor.id,
        date: x.date.to_string(),
        target_id: x.target.map(|t| data.actors[t as usize].id.as_str()),
        topics: topics(data, x),
        effect: x.score,
        attribution: x.attribution.as_str(),
        responds_to: x
            .responds_to
            .iter()
            .map(|&r| &*data.actions[r as usize].id)
            .collect(),
        text: &x.text,
        notes: x.extra().notes.as_deref(),
        source: source(x),
        file: data.files.display(x.at.file),
        line: x.at.line,
        principals: paths(
            report,
            x.actor,
            &x.date,
            report.who.action_actor.get(a as usize),
        ),
    }
}

pub fn pair_json<'a>(report: &Report<'a>, index: usize) -> PairJson<'a> {
    let data = report.data;
    let p = &report.pairs[index];
    let (c, a) = (p.claim as usize, p.action as usize);
    let (claim, action) = (&data.claims[c], &data.actions[a]);
    let brief = reasons::brief(report, p);
    PairJson {
        claim_id: &claim.id,
        action_id: &action.id,
        verdict: p.verdict.as_str(),
        kind: p.verdict.kind().map(|k| k.as_str()),
        severity: p.severity(),
        principal: &data.actors[brief.principal as usize].id,
        topics: brief
            .topics
            .into_iter()
            .map(|t| data.topics[t as usize].as_str())
            .collect(),
        gap_days: brief.gap_days,
        order: brief.order.as_str(),
        known: report.is_known(index),
    }
}

/// Writes the items `0..n` of a JSON array, one per line, each formatted
/// by `make`, in parallel chunks (see [`write_parallel`]).
pub fn write_array<F>(out: &mut dyn TakesBuffers, n: usize, make: F) -> io::Result<()>
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
pub struct JsonPrinter;

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

/// What writing records reads, asked for ahead. Written in id order,
/// records are scattered in memory, and each points elsewhere again, in
/// chains of up to three loads; each link is asked for a few records
/// after the one before it, so that it has come by then.
struct Ahead<'a> {
    records: &'a [Record],
    principals: &'a Sets,
    escapes: &'a Escapes,
    chains: &'a Chains,
}

impl<'a> Ahead<'a> {
    fn of(
        records: &'a [Record],
        principals: &'a Sets,
        escapes: &'a Escapes,
        chains: &'a Chains,
    ) -> Self {
        Ahead {
            records,
            principals,
            escapes,
            chains,
        }
    }

    /// Before the record at position `i` is written (`at` gives the
    /// record at a position): for the record 12 on, the record itself and
    /// where its principals lie; for the one 6 on, what it points to (its
    /// id, text, topics, notes and source, and principals) and where its
    /// actor's chains and `principals` array are kept; for the one 3 on,
    /// those chains or that array.
    fn ask(&self, i: usize, at: impl Fn(usize) -> Option<usize>) {
        if let Some(r) = at(i + 12) {
            prefetch_lines(&self.records[r]);
            self.principals.prefetch_offsets(r);
        }
        if let Some(r) = at(i + 6) {
            let x = &self.records[r];
            prefetch_str(&x.id);
            prefetch_all(x.text.as_bytes());
            if let Some(t) = x.topics.first() {
                prefetch(t);
            }
            if let Some(extra) = x.extra.as_deref() {
                prefetch_lines(extra);
            }
            self.principals.prefetch_items(r);
            self.escapes.prefetch_slot(x.actor);
            self.chains.prefetch_slot(x.actor);
        }
        if let Some(r) = at(i + 3) {
            let actor = self.records[r].actor;
            if !self.escapes.prefetch(actor) {
                self.chains.prefetch_links(actor);
            }
        }
    }
}

/// Writes pairs exactly as `serde_json` would write their [`PairJson`],
/// without going through serde: pairs are most of a large report, and
/// serde would first build each pair's wire value, allocating its lists.
/// `tests` check the two agree.
///
/// Pairs come by claim, so a claim's data stays in cache while its pairs
/// are written, but their actions are scattered over the dataset. What a
/// pair needs of its action (id, dates, topics, principals) is therefore
/// copied once, side by side, into a *card*: writing a pair reads one card
/// instead of the record, its id, its topics and its principal set, each
/// elsewhere in memory.
pub struct PairWriter<'r, 'd> {
    report: &'r Report<'d>,
    /// Per pair: where its action's card starts in `cards`. Looked up
    /// for every pair at once, in parallel, where many look-ups wait on
    /// memory together; looked up while writing, each waited alone.
    at: Vec<u32>,
    cards: Vec<u8>,
    /// Per claim, how its pairs start: `{"claim_id":"…","action_id":`.
    heads: Escaped,
    /// What follows the action id, by verdict (`,"verdict":…,"severity":`,
    /// in the order of [`VERDICTS`]), then the `order` member by order
    /// (in the order of [`ORDERS`]).
    pieces: Escaped,
    /// Every actor's id and every topic, escaped once: pairs repeat them.
    escapes: &'r Escapes,
}

/// Strings escaped and quoted for JSON once, side by side, to be copied.
struct Escaped {
    /// String `i` is `bytes[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl Escaped {
    fn new<'s>(strings: impl Iterator<Item = &'s str>) -> Escaped {
        let (mut ends, mut bytes) = (Vec::new(), Vec::new());
        for s in strings {
            write_str(&mut bytes, s);
            ends.push(bytes.len());
        }
        bytes.extend_from_slice(&[0; PAD]);
        Escaped { ends, bytes }
    }

    /// Byte strings made in parallel, side by side.
    fn joined(parts: impl IndexedParallelIterator<Item = Vec<u8>>) -> Escaped {
        let parts: Vec<Vec<u8>> = parts.collect();
        let mut ends = Vec::with_capacity(parts.len());
        let mut bytes = Vec::with_capacity(parts.iter().map(Vec::len).sum::<usize>() + PAD);
        for part in parts {
            bytes.extend_from_slice(&part);
            ends.push(bytes.len());
        }
        bytes.extend_from_slice(&[0; PAD]);
        Escaped { ends, bytes }
    }

    /// Where string `i` starts and ends in `bytes`.
    fn bounds(&self, i: usize) -> (usize, usize) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        (start, self.ends[i])
    }

    fn get(&self, i: usize) -> &[u8] {
        let (start, end) = self.bounds(i);
        &self.bytes[start..end]
    }

    /// String `i`, to be copied by [`put`]: the strings are followed by
    /// `PAD` bytes.
    fn padded(&self, i: usize) -> Padded<'_> {
        let (start, end) = self.bounds(i);
        Padded::at(&self.bytes, start, end - start)
    }
}

/// Bytes readable after every [`Padded`] piece: pieces are copied in
/// whole steps of this many bytes.
const PAD: usize = 16;

/// A piece of a pair's line in a buffer that holds at least [`PAD`] more
/// bytes after it.
#[derive(Clone, Copy)]
struct Padded<'b> {
    /// The piece and what follows it.
    bytes: &'b [u8],
    len: usize,
}

impl<'b> Padded<'b> {
    /// The `len` bytes at `start` of `buffer`, which must hold `PAD` more
    /// after them.
    fn at(buffer: &'b [u8], start: usize, len: usize) -> Padded<'b> {
        Padded {
            bytes: &buffer[start..start + len + PAD],
            len,
        }
    }
}

/// Appends `piece`, copied a whole [`PAD`] of bytes at a time, and cuts
/// off what was copied after it. Copies of a length known when compiling
/// are a few moves, where `extend_from_slice`, which copies slices of any
/// length, calls `memcpy` for each of the short pieces of a pair (ids,
/// principal, topics).
fn put(buf: &mut Vec<u8>, piece: Padded<'_>) {
    let end = buf.len() + piece.len;
    buf.reserve(piece.len + PAD);
    for chunk in piece.bytes[..piece.len.next_multiple_of(PAD)].chunks_exact(PAD) {
        // Always `PAD` bytes (`chunks_exact`): an array, of a known length.
        let chunk: &[u8; PAD] = chunk.try_into().unwrap_or(&[0; PAD]);
        buf.extend_from_slice(chunk);
    }
    buf.truncate(end);
}

/// Every actor's id and every topic, escaped and quoted once: actions
/// and pairs repeat them, and reading them side by side here misses the
/// cache far less than reaching each actor's record and then its id.
pub struct Escapes {
    actor_ids: Escaped,
    topics: Escaped,
    /// Per actor whose chains hold on every day ([`Chains::timeless`]):
    /// its principals and the `principals` array of its records, the same
    /// for all of them, so it is written once rather than each chain
    /// being found again for each of its records.
    timeless: Vec<Option<Timeless>>,
}

/// A timeless actor's principals, and the `principals` array written for them.
struct Timeless {
    principals: Box<[ActorIx]>,
    array: Box<[u8]>,
}

impl Escapes {
    pub fn new(report: &Report<'_>) -> Escapes {
        let data = report.data;
        let actor_ids = Escaped::new(data.actors.iter().map(|a| a.id.as_str()));
        let chains = &report.chains;
        let timeless = (0..data.actors.len() as ActorIx)
            .into_par_iter()
            .map(|actor| {
                if !chains.timeless(actor) {
                    return None;
                }
                let mut principals = Vec::new();
                chains.principals_at(actor, Span::ALL, &mut principals);
                let mut bytes = Vec::new();
                write_principals(
                    &mut bytes,
                    chains,
                    &actor_ids,
                    actor,
                    Span::ALL,
                    &principals,
                );
                Some(Timeless {
                    principals: principals.into(),
                    array: bytes.into(),
                })
            })
            .collect();
        Escapes {
            actor_ids,
            topics: Escaped::new(data.topics.iter().map(String::as_str)),
            timeless,
        }
    }

    /// Starts loading where the `principals` array of `actor` is kept.
    fn prefetch_slot(&self, actor: ActorIx) {
        if let Some(slot) = self.timeless.get(actor as usize) {
            prefetch(slot);
        }
    }

    /// Starts loading the `principals` array of `actor`, if it has one
    /// written beforehand; whether it has.
    fn prefetch(&self, actor: ActorIx) -> bool {
        match self.timeless.get(actor as usize) {
            Some(Some(t)) => {
                prefetch_all(&t.array);
                true
            }
            _ => false,
        }
    }

    /// The `principals` array of a record of `actor` with `principals`,
    /// when it is known beforehand.
    fn principals(&self, actor: ActorIx, principals: &[ActorIx]) -> Option<&[u8]> {
        match &self.timeless[actor as usize] {
            Some(t) if *t.principals == *principals => Some(&t.array),
            _ => None,
        }
    }

    fn actor(&self, ix: u32) -> Padded<'_> {
        self.actor_ids.padded(ix as usize)
    }

    fn topic(&self, ix: u32) -> Padded<'_> {
        self.topics.padded(ix as usize)
    }
}

/// An action's card, read back.
struct Card<'c> {
    first: i32,
    last: i32,
    /// Little-endian `u32` topic indices, sorted.
    topics: &'c [u8],
    /// Little-endian `u32` actor indices, sorted.
    principals: &'c [u8],
    /// The id, escaped and quoted.
    id: Padded<'c>,
}

impl<'r, 'd> PairWriter<'r, 'd> {
    pub fn new(report: &'r Report<'d>, escapes: &'r Escapes) -> Self {
        let data = report.data;
        let paired = crate::parallel::marks(
            data.actions.len(),
            report.paired_actions.par_iter().map(|&a| a as usize),
        );
        // Blocks of actions in parallel, then joined in order, in parallel.
        const BLOCK: usize = 8192;
        let blocks: (Vec<Vec<u32>>, Vec<Vec<u8>>) = paired
            .par_chunks(BLOCK)
            .enumerate()
            .map(|(b, flags)| {
                let mut at = Vec::with_capacity(flags.len());
                let mut bytes = Vec::new();
                for (i, is_paired) in flags.iter().enumerate() {
                    at.push(bytes.len() as u32);
                    if is_paired.load(Ordering::Relaxed) {
                        let a = b * BLOCK + i;
                        write_card(&data.actions[a], report.who.action_actor.get(a), &mut bytes);
                    }
                }
                (at, bytes)
            })
            .unzip();
        let (mut by_action, mut cards) = (Vec::new(), Vec::new());
        // Room for the padding after the last id, so that adding it does
        // not copy the cards into a larger vector.
        cards.reserve_exact(blocks.1.iter().map(Vec::len).sum::<usize>() + PAD);
        crate::parallel::append_positioned(&mut by_action, &mut cards, blocks);
        cards.extend_from_slice(&[0; PAD]);
        let at = report
            .pairs
            .par_iter()
            .map(|p| by_action[p.action as usize])
            .collect();
        let heads = Escaped::joined(data.claims.par_iter().map(|claim| {
            let mut head = b"{\"claim_id\":".to_vec();
            write_str(&mut head, &claim.id);
            head.extend_from_slice(b",\"action_id\":");
            head
        }));
        let verdicts = VERDICTS.iter().map(|v| {
            let kind = v
                .kind()
                .map_or("null".to_string(), |k| format!("\"{}\"", k.as_str()));
            format!(
                ",\"verdict\":\"{}\",\"kind\":{kind},\"severity\":",
                v.as_str()
            )
        });
        let orders = ORDERS
            .iter()
            .map(|o| format!(",\"order\":\"{}\"", o.as_str()));
        let pieces: Vec<Vec<u8>> = verdicts.chain(orders).map(String::into_bytes).collect();
        PairWriter {
            report,
            at,
            cards,
            heads,
            pieces: Escaped::joined(pieces.into_par_iter()),
            escapes,
        }
    }

    /// The card of pair `index`'s action.
    fn card(&self, index: usize) -> Card<'_> {
        let at = self.at[index] as usize;
        let b = &self.cards[at..];
        let word = |i: usize| word_of(&b[i..i + 4]);
        let n_topics = word(8) as usize * 4;
        let n_principals = word(12) as usize * 4;
        let n_id = word(16) as usize;
        let (topics, rest) = b[20..].split_at(n_topics);
        let principals = &rest[..n_principals];
        Card {
            first: word(0) as i32,
            last: word(4) as i32,
            topics,
            principals,
            id: Padded::at(&self.cards, at + 20 + n_topics + n_principals, n_id),
        }
    }

    /// Asks for the card of the pair `AHEAD` on, so that by the time it
    /// is written it has come from memory.
    fn prefetch(&self, index: usize) {
        const AHEAD: usize = 8;
        if let Some(&at) = self.at.get(index + AHEAD) {
            // A card is about 50 bytes: most straddle two lines.
            let card = &self.cards[at as usize..];
            prefetch_all(&card[..card.len().min(64)]);
        }
    }

    /// Writes pair `index`.
    pub fn write(&self, index: usize, buf: &mut Vec<u8>) {
        self.prefetch(index);
        let report = self.report;
        let data = report.data;
        let p = &report.pairs[index];
        let c = p.claim as usize;
        let claim = &data.claims[c];
        let card = self.card(index);
        let principal = first_shared_word(report.who.claim_actor.get(c), card.principals)
            .unwrap_or(claim.actor);
        put(buf, self.heads.padded(c));
        put(buf, card.id);
        put(buf, self.pieces.padded(verdict_slot(p.verdict)));
        let (severity, len) = units_text(p.severity_units);
        let end = buf.len() + len;
        buf.extend_from_slice(&severity.to_le_bytes());
        buf.truncate(end);
        buf.extend_from_slice(b",\"principal\":");
        put(buf, self.escapes.actor(principal));
        buf.extend_from_slice(b",\"topics\":[");
        let mut first = true;
        let mut topic = |t: u32| {
            if !first {
                buf.push(b',');
            }
            first = false;
            put(buf, self.escapes.topic(t));
        };
        let action_topics = card.topics.chunks_exact(4).map(word_of);
        if claim.topics.is_empty() {
            action_topics.for_each(&mut topic);
        } else {
            // Both sorted: walk them together.
            let mut claim_topics = claim.topics.iter().copied().peekable();
            for t in action_topics {
                while claim_topics.next_if(|&x| x < t).is_some() {}
                if claim_topics.next_if_eq(&t).is_some() {
                    topic(t);
                }
            }
        }
        let action = PartialDate {
            first: card.first,
            last: card.last,
            // Neither the gap nor the order reads it.
            precision: claim.date.precision,
        };
        buf.extend_from_slice(b"],\"gap_days\":");
        let mut gap = itoa::Buffer::new();
        buf.extend_from_slice(gap.format(claim.date.gap_days(&action)).as_bytes());
        let order = Order::of(&claim.date, &action);
        put(buf, self.pieces.padded(VERDICTS.len() + order_slot(order)));
        if report.is_known(index) {
            buf.extend_from_slice(b",\"known\":true");
        }
        buf.push(b'}');
    }
}

/// Every verdict, in the order of [`verdict_slot`].
const VERDICTS: [Verdict; 5] = [
    Verdict::Contradiction(Kind::Duplicity),
    Verdict::Contradiction(Kind::Bluster),
    Verdict::Reciprocal,
    Verdict::Consistent,
    Verdict::Neutral,
];

fn verdict_slot(v: Verdict) -> usize {
    match v {
        Verdict::Contradiction(Kind::Duplicity) => 0,
        Verdict::Contradiction(Kind::Bluster) => 1,
        Verdict::Reciprocal => 2,
        Verdict::Consistent => 3,
        Verdict::Neutral => 4,
    }
}

/// Every order, in the order of [`order_slot`].
const ORDERS: [Order; 3] = [Order::After, Order::Overlapping, Order::Before];

fn order_slot(o: Order) -> usize {
    match o {
        Order::After => 0,
        Order::Overlapping => 1,
        Order::Before => 2,
    }
}

/// An action's card: first and last day, the counts of topics and
/// principals and the escaped id's length, then the topics, the principals
/// and the escaped id; numbers as little-endian `u32`.
fn write_card(action: &Record, principals: &[u32], out: &mut Vec<u8>) {
    let mut id = Vec::with_capacity(action.id.len() + 2);
    write_str(&mut id, &action.id);
    let head = [
        action.date.first as u32,
        action.date.last as u32,
        action.topics.len() as u32,
        principals.len() as u32,
        id.len() as u32,
    ];
    for w in head.iter().chain(&*action.topics).chain(principals) {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out.extend_from_slice(&id);
}

fn word_of(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// The smallest member a sorted set shares with a sorted set stored as
/// little-endian words.
fn first_shared_word(a: &[u32], words: &[u8]) -> Option<u32> {
    let mut a = a.iter().copied().peekable();
    for w in words.chunks_exact(4).map(word_of) {
        while a.next_if(|&x| x < w).is_some() {}
        if a.next_if_eq(&w).is_some() {
            return Some(w);
        }
    }
    None
}

/// Writes claim `r` exactly as `serde_json` writes its [`ClaimJson`] (the
/// tests hold the two to the same bytes), straight from the record.
pub fn write_claim(report: &Report<'_>, escapes: &Escapes, r: &ClaimResult, buf: &mut Vec<u8>) {
    let x = &report.data.claims[r.claim as usize];
    let mut o = Obj::new(buf);
    o.str("claim_id", &x.id);
    o.str("verdict", r.verdict.as_str());
    record_head(&mut o, escapes, x);
    o.f64("stance", x.score);
    record_tail(
        &mut o,
        report,
        escapes,
        x,
        report.who.claim_actor.get(r.claim as usize),
    );
    o.u32("pairs", r.pairs);
    o.u32("contradictions", r.contradictions);
    o.u32("consistent", r.consistent);
    o.u32("reciprocal", r.reciprocal);
    o.u32("neutral", r.neutral);
    match r.worst {
        Some(x) => o.f64("worst_severity", x),
        None => o.null("worst_severity"),
    }
    o.end();
}

/// Writes action `a` exactly as `serde_json` writes its [`ActionJson`]
/// (the tests hold the two to the same bytes), straight from the record:
/// building the wire value first cost an allocation per list, date and
/// chain of roles, for each of up to millions of actions.
pub fn write_action(report: &Report<'_>, escapes: &Escapes, a: u32, buf: &mut Vec<u8>) {
    let data = report.data;
    let x = &data.actions[a as usize];
    let mut o = Obj::new(buf);
    o.str("action_id", &x.id);
    record_head(&mut o, escapes, x);
    o.f64("effect", x.score);
    o.str("attribution", x.attribution.as_str());
    if !x.responds_to.is_empty() {
        o.list(
            "responds_to",
            x.responds_to.iter().map(|&r| &*data.actions[r as usize].id),
        );
    }
    record_tail(
        &mut o,
        report,
        escapes,
        x,
        report.who.action_actor.get(a as usize),
    );
    o.end();
}

/// The fields claims and actions share before their score: `actor_id`,
/// `date`, `target_id`, `topics`.
fn record_head(o: &mut Obj<'_>, escapes: &Escapes, x: &Record) {
    o.escaped("actor_id", escapes.actor(x.actor));
    o.date("date", &x.date);
    match x.target {
        Some(t) => o.escaped("target_id", escapes.actor(t)),
        None => o.null("target_id"),
    }
    o.key("topics");
    o.buf.push(b'[');
    for (i, &t) in x.topics.iter().enumerate() {
        if i > 0 {
            o.buf.push(b',');
        }
        put(o.buf, escapes.topic(t));
    }
    o.buf.push(b']');
}

/// The fields claims and actions share after their score: `text`,
/// `notes`, `source`, `file`, `line`, and `principals` (for each
/// principal, the chain of actor ids from the record's actor to it).
fn record_tail(
    o: &mut Obj<'_>,
    report: &Report<'_>,
    escapes: &Escapes,
    x: &Record,
    principals: &[ActorIx],
) {
    o.str("text", &x.text);
    if let Some(notes) = x.extra().notes.as_deref() {
        o.str("notes", notes);
    }
    if let Some(s) = source(x) {
        o.source(&s);
    }
    o.str("file", report.data.files.display(x.at.file));
    o.u32("line", x.at.line);
    o.key("principals");
    match escapes.principals(x.actor, principals) {
        Some(bytes) => o.buf.extend_from_slice(bytes),
        None => write_principals(
            o.buf,
            &report.chains,
            &escapes.actor_ids,
            x.actor,
            Span::of(&x.date),
            principals,
        ),
    }
}

/// For each of `principals`, the chain of ids from `actor` to it on some
/// day of `date`, as a JSON array of arrays.
fn write_principals(
    buf: &mut Vec<u8>,
    chains: &Chains,
    actor_ids: &Escaped,
    actor: ActorIx,
    date: Span,
    principals: &[ActorIx],
) {
    buf.push(b'[');
    for (i, &p) in principals.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        match chains.path_back(actor, date, p) {
            Some(back) => write_escaped_list_reversed(buf, back.map(|a| actor_ids.get(a as usize))),
            None => write_escaped_list(buf, std::iter::once(actor_ids.get(p as usize))),
        }
    }
    buf.push(b']');
}

/// A JSON object being written, member by member, compact as `serde_json`
/// writes it.
struct Obj<'b> {
    buf: &'b mut Vec<u8>,
    empty: bool,
}

impl<'b> Obj<'b> {
    fn new(buf: &'b mut Vec<u8>) -> Self {
        buf.push(b'{');
        Obj { buf, empty: true }
    }

    /// Keys are field names: plain ASCII, copied without looking for
    /// characters to escape.
    #[inline(always)]
    fn key(&mut self, key: &str) {
        debug_assert!(is_plain(key.as_bytes()), "a key to escape: {key:?}");
        if !self.empty {
            self.buf.push(b',');
        }
        self.empty = false;
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }

    #[inline(always)]
    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        write_str(self.buf, value);
    }

    /// A value already escaped and quoted (see [`Escapes`]).
    #[inline(always)]
    fn escaped(&mut self, key: &str, value: Padded<'_>) {
        self.key(key);
        put(self.buf, value);
    }

    #[inline(always)]
    fn null(&mut self, key: &str) {
        self.key(key);
        self.buf.extend_from_slice(b"null");
    }

    #[inline(always)]
    fn f64(&mut self, key: &str, value: f64) {
        self.key(key);
        write_f64(self.buf, value);
    }

    #[inline(always)]
    fn u32(&mut self, key: &str, value: u32) {
        self.key(key);
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    #[inline(always)]
    fn list<'s>(&mut self, key: &str, values: impl Iterator<Item = &'s str>) {
        self.key(key);
        write_str_list(self.buf, values);
    }

    /// A date as written (digits and dashes: nothing to escape).
    #[inline(always)]
    fn date(&mut self, key: &str, date: &PartialDate) {
        self.key(key);
        match date.ascii() {
            Some((bytes, len)) => {
                self.buf.push(b'"');
                self.buf.extend_from_slice(&bytes[..len]);
                self.buf.push(b'"');
            }
            None => write_str(self.buf, &date.to_string()),
        }
    }

    fn source(&mut self, s: &SourceJson<'_>) {
        self.key("source");
        let mut o = Obj::new(self.buf);
        if let Some(d) = s.document {
            o.str("document", d);
        }
        if let Some(q) = s.quote {
            o.str("quote", q);
        }
        if let Some(l) = s.quote_line {
            o.u32("quote_line", l);
        }
        if let Some(u) = s.url {
            o.str("url", u);
        }
        o.end();
    }

    fn end(self) {
        self.buf.push(b'}');
    }
}

fn write_str_list<'s>(buf: &mut Vec<u8>, values: impl Iterator<Item = &'s str>) {
    buf.push(b'[');
    for (i, v) in values.enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_str(buf, v);
    }
    buf.push(b']');
}

/// A JSON string, escaped as `serde_json` escapes it.
fn write_str(buf: &mut Vec<u8>, s: &str) {
    if is_plain(s.as_bytes()) {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        // Rare: let serde_json do the escaping.
        let _ = serde_json::to_writer(&mut *buf, s);
    }
}

/// A JSON array of values already escaped and quoted.
fn write_escaped_list<'s>(buf: &mut Vec<u8>, values: impl Iterator<Item = &'s [u8]>) {
    buf.push(b'[');
    for (i, v) in values.enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(v);
    }
    buf.push(b']');
}

/// [`write_escaped_list`] of `values` in reverse order: the room is made
/// first, then filled from its end.
fn write_escaped_list_reversed<'s>(
    buf: &mut Vec<u8>,
    values: impl Iterator<Item = &'s [u8]> + Clone,
) {
    let (n, bytes) = values
        .clone()
        .fold((0, 0), |(n, b), v| (n + 1, b + v.len()));
    let start = buf.len();
    buf.resize(start + bytes + n.max(1) + 1, 0);
    buf[start] = b'[';
    let mut end = buf.len() - 1;
    buf[end] = b']';
    for (i, v) in values.enumerate() {
        if i > 0 {
            end -= 1;
            buf[end] = b',';
        }
        end -= v.len();
        buf[end..end + v.len()].copy_from_slice(v);
    }
    debug_assert_eq!(end, start + 1, "the room made is the room filled");
}

/// Whether no byte needs escaping in a JSON string.
fn is_plain(bytes: &[u8]) -> bool {
    crate::json::first_special(bytes).is_none()
}

/// A number, written as `serde_json` writes an `f64`.
fn write_f64(buf: &mut Vec<u8>, x: f64) {
    let _ = serde_json::to_writer(&mut *buf, &x);
}

/// The text of a severity given in ten-thousandths (a pair's
/// `severity_units`): its bytes, packed into a `u64` in little-endian
/// order, and how many of them count. It is what `serde_json` writes for
/// the `f64` `units / 10000`, made from the integer: the shortest decimal
/// that reads back as that `f64` is the four decimals without their
/// trailing zeros (`0.0305`, `0.5`, `1.0`). A test holds every `u16` to
/// serde's bytes. (Written byte by byte into an array and read back as
/// one word, the text would wait on the processor's store forwarding.)
fn units_text(units: u16) -> (u64, usize) {
    // At most 6 (65535 / 10 000): one digit.
    let (whole, frac) = (u64::from(units / 10_000), u64::from(units % 10_000));
    let digits = [frac / 1000, frac / 100 % 10, frac / 10 % 10, frac % 10];
    // A whole number keeps one zero after the point.
    let kept = match frac {
        0 => 1,
        _ if frac % 1000 == 0 => 1,
        _ if frac % 100 == 0 => 2,
        _ if frac % 10 == 0 => 3,
        _ => 4,
    };
    let head = (u64::from(b'0') + whole) | u64::from(b'.') << 8;
    let text = digits
        .iter()
        .enumerate()
        .fold(head, |t, (i, d)| t | (u64::from(b'0') + d) << (16 + 8 * i));
    (text, 2 + kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_pieces_are_put_whole_and_nothing_after_them() {
        let strings: Vec<String> = (0..40)
            .map(|n| "abcdefghij".repeat(4)[..n].to_string())
            .collect();
        let escaped = Escaped::new(strings.iter().map(String::as_str));
        let mut buf = b"head".to_vec();
        let mut expected = b"head".to_vec();
        for (i, s) in strings.iter().enumerate() {
            put(&mut buf, escaped.padded(i));
            write_str(&mut expected, s);
            assert_eq!(buf, expected, "after string {i}");
        }
    }

    #[test]
    fn severities_are_written_as_serde_writes_them() {
        let mut serde = Vec::new();
        for units in 0..=u16::MAX {
            serde.clear();
            let (text, len) = units_text(units);
            let ours = &text.to_le_bytes()[..len];
            write_f64(&mut serde, f64::from(units) / 10_000.0);
            assert_eq!(
                String::from_utf8_lossy(ours),
                String::from_utf8_lossy(&serde),
                "{units}"
            );
        }
    }
}
