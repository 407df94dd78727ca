//! JSON Schemas of the JSON report and of a JSON Lines line, generated from
//! the wire types in [`crate::render::json`], of the trend's
//! ([`crate::render::trend`]), of `saydo diff`'s ([`crate::render::diff`])
//! and of `saydo explain`'s ([`crate::render::explain`]). The checked-in
//! copies in `schema/` are compared with these by the tests, so they never
//! go stale; `saydo schema report|line|trend|trend-line|diff|explain`
//! prints them.

use crate::render::diff::DiffJson;
use crate::render::explain::ExplainJson;
use crate::render::json::{ActorJson, ClaimJson, PairJson, ReportJson};
use crate::render::trend::{TrendJson, TrendLineJson};
use schemars::JsonSchema;

/// One line of `--format jsonl`: a pair, a claim or an actor summary,
/// tagged by `type` (pairs first, then claims, then actors).
#[derive(JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum LineJson<'a> {
    Pair(PairJson<'a>),
    Claim(ClaimJson<'a>),
    Actor(ActorJson<'a>),
}

fn pretty(schema: schemars::Schema) -> String {
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of `saydo check --format json`.
pub fn report() -> String {
    pretty(schemars::schema_for!(ReportJson<'static>))
}

/// The schema of one line of `saydo check --format jsonl`.
pub fn line() -> String {
    pretty(schemars::schema_for!(LineJson<'static>))
}

/// The schema of `saydo trend --format json`.
pub fn trend() -> String {
    pretty(schemars::schema_for!(TrendJson<'static>))
}

/// The schema of one line of `saydo trend --format jsonl`.
pub fn trend_line() -> String {
    pretty(schemars::schema_for!(TrendLineJson<'static>))
}

/// The schema of `saydo diff --format json`.
pub fn diff() -> String {
    pretty(schemars::schema_for!(DiffJson<'static>))
}

/// The schema of `saydo explain --format json`.
pub fn explain() -> String {
    pretty(schemars::schema_for!(ExplainJson<'static>))
}
