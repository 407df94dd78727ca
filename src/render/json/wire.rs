//! The JSON report's wire types.
//!
//! These types *are* the format dashboards consume: each field is documented
//! here, the JSON Schema in `schema/report.schema.json` is generated from
//! them, and `schema_version` changes only when a field is removed or
//! changes meaning (adding fields keeps the version).
//!
//! They are the one definition of the wire format. The JSON and JSON Lines
//! printers do not serialise them for pairs, claims and actions, but write
//! the same bytes straight from the report (the fast writer: `pairs.rs`,
//! `records.rs`). So a new field is one edit here and one in the fast
//! writer, and the test in `same_bytes.rs`, which writes whole reports
//! both ways, fails until the two agree.

use crate::model::Record;
use crate::render::common::Totals;
use crate::report::{ActorSummary, Report};
use schemars::JsonSchema;
use serde::Serialize;

/// Version of the report's format.
pub const SCHEMA_VERSION: &str = "1";

/// A saydo check report: the settings, the totals, every actor's summary,
/// every claim with its verdict, the actions in pairs, and every pair.
//
// The printer streams this shape without building the value; a field
// added here is added to the fast writer too (see the module's doc).
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
    /// future or past: the claim is held only against deeds that start on
    /// or after its first day (future) or on or before its last (past).
    /// Left out when the claim does not say (deeds on either side count).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("type" = "string", "enum" = ["future", "past"]))]
    pub about: Option<&'static str>,
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
    /// The reviewer's decision in force on the pair (`reviews/`), while
    /// the pair has the verdict decided on; absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewJson<'a>>,
}

/// A reviewer's decision on a pair, as `reviews/` has it.
#[derive(Serialize, JsonSchema)]
pub struct ReviewJson<'a> {
    /// What was decided: a dismissed pair never trips `--fail-on`.
    #[schemars(extend("enum" = ["confirmed", "dismissed", "needs-source"]))]
    pub decision: &'static str,
    /// The finding decided on: the pair's verdict or kind.
    #[schemars(extend("enum" = ["contradiction", "duplicity", "bluster", "consistent", "reciprocal", "neutral"]))]
    pub verdict: &'static str,
    /// Why (empty for a confirmation without a reason).
    pub reason: &'a str,
    /// Who decided.
    pub by: &'a str,
    /// When, as written.
    pub date: &'a str,
    /// Data file (relative to the dataset) and line of the decision.
    pub file: &'a str,
    pub line: u32,
}

impl<'a> ReviewJson<'a> {
    /// The decision as written in reports.
    pub fn of(r: &'a crate::model::Review, files: &'a crate::diag::Files) -> Self {
        ReviewJson {
            decision: r.decision.as_str(),
            verdict: r.verdict.as_str(),
            reason: &r.reason,
            by: &r.by,
            date: &r.date,
            file: files.display(r.at.file),
            line: r.at.line,
        }
    }
}

/// This program's name and version.
pub fn tool() -> ToolJson {
    ToolJson {
        name: "saydo",
        version: env!("CARGO_PKG_VERSION"),
    }
}

pub(super) fn source(r: &Record) -> Option<SourceJson<'_>> {
    let e = r.extra();
    (e.document.is_some() || e.url.is_some()).then_some(SourceJson {
        document: e.document.as_deref(),
        quote: e.quote.as_deref(),
        quote_line: e.quote_line,
        url: e.url.as_deref(),
    })
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
