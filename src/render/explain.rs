//! The printers of `saydo explain`: text for people (the table, written
//! by `render::table::explain`) and JSON for programs.
//!
//! The wire types below are the JSON format, documented where they are
//! defined; `schema/explain.schema.json` is generated from them and
//! checked by the tests. The claim and its actions are written as the
//! check report writes them (`ClaimJson`, `ActionJson`), so a program
//! that reads one reads the other.

use crate::engine::principals::Step;
use crate::engine::reasons;
use crate::engine::rules::Settings;
use crate::model::Dataset;
use crate::render::escape::inert;
use crate::render::json::{ActionJson, ClaimJson, RoleJson, action_json, claim_json};
use crate::render::style::Style;
use crate::report::Report;
use clap::ValueEnum;
use schemars::JsonSchema;
use serde::Serialize;
use std::io::{self, Write};

/// The formats `saydo explain` writes (`--format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Text for the terminal.
    #[default]
    Table,
    /// One JSON document (`schema/explain.schema.json`).
    Json,
}

/// Version of the explanation's JSON format.
pub const EXPLAIN_SCHEMA_VERSION: &str = "1";

/// Why a claim was paired and judged as it was: the claim, the days its
/// deeds may start on, and each pair with its reasons. Asked about one
/// action (`saydo explain CLAIM ACTION`), `pairs` holds that pair only,
/// or nothing and `not_paired` says why.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ExplainJson<'a> {
    /// Always "1" for this format; bumped only for breaking changes.
    #[schemars(extend("const" = "1"))]
    pub schema_version: &'static str,
    /// The window and threshold the claim was checked with.
    pub settings: ExplainSettingsJson,
    /// The claim, as the check report writes it: its verdict and counts
    /// are over all its pairs, also when one action is asked about.
    pub claim: ClaimJson<'a>,
    /// The days an action may start on to be paired with the claim.
    pub window: WindowJson,
    /// The action asked about, or null when the whole claim is explained.
    pub action_id: Option<&'a str>,
    /// The pairs explained, by action id: all the claim's, or the one
    /// asked about (none when it is not paired).
    pub pairs: Vec<ExplainedPairJson<'a>>,
    /// When an action was asked about and is not paired with the claim:
    /// the action and why not. Null otherwise.
    pub not_paired: Option<NotPairedJson<'a>>,
}

/// The window and threshold pairs were found and judged with.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ExplainSettingsJson {
    /// Days before a claim an action may start and still be paired.
    pub lookback: u32,
    /// Days after a claim an action may start and still be paired.
    pub horizon: u32,
    /// Smallest |stance| and |effect| that take a side.
    pub threshold: f64,
}

/// The days an action may start on to be paired with a claim, both
/// included: `lookback` days before its first day to `horizon` days after
/// its last, narrowed by the claim's `about`.
#[derive(Serialize, JsonSchema)]
pub(crate) struct WindowJson {
    /// The first day, `YYYY-MM-DD`; null when the window reaches back
    /// beyond the calendar (no bound).
    pub from: Option<String>,
    /// The last day, `YYYY-MM-DD`; null when the window reaches on beyond
    /// the calendar (no bound).
    pub to: Option<String>,
}

/// One pair of the claim and why it was made and judged so.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ExplainedPairJson<'a> {
    /// The action, as the check report writes it.
    pub action: ActionJson<'a>,
    /// contradiction, reciprocal, consistent or neutral.
    #[schemars(extend("enum" = ["contradiction", "reciprocal", "consistent", "neutral"]))]
    pub verdict: &'static str,
    /// duplicity or bluster for a contradiction, otherwise null.
    #[schemars(extend("enum" = ["duplicity", "bluster", null]))]
    pub kind: Option<&'static str>,
    /// In (0, 1]: the product of `factors`.
    pub severity: f64,
    /// The actor both records answer to (the first principal they share).
    pub principal: &'a str,
    /// Every principal the two records share, `principal` first among them
    /// in the order of the claim's principals.
    pub shared_principals: Vec<&'a str>,
    /// From the claim's actor to `principal`, a step per actor.
    pub claim_path: Vec<StepJson<'a>>,
    /// From the action's actor to `principal`, a step per actor.
    pub action_path: Vec<StepJson<'a>>,
    /// Topics the pair is about: those both records have, or all the
    /// action's when the claim has none (a general stance).
    pub topics: Vec<&'a str>,
    /// Whether the claim has no topics (a general stance).
    pub general_claim: bool,
    /// Days between the two dates' intervals (0 when they overlap).
    pub gap_days: i32,
    /// When the deed happened relative to the words: after, overlapping, before.
    #[schemars(extend("enum" = ["after", "overlapping", "before"]))]
    pub order: &'static str,
    /// The factors `severity` is the product of, unrounded.
    pub factors: FactorsJson,
    /// The reviewer's decision in force on the pair (`reviews/`), while
    /// the pair has the verdict decided on; absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<crate::render::json::ReviewJson<'a>>,
}

/// A step of a path from a record's actor to a principal.
#[derive(Serialize, JsonSchema)]
pub(crate) struct StepJson<'a> {
    /// The actor at this step.
    pub actor_id: &'a str,
    /// The role by which it acts for the next step's actor; null at the
    /// last step, and when it acts for it by no named role.
    pub role: Option<RoleJson<'a>>,
}

/// The factors of a pair's severity (see the README's severity formula).
#[derive(Serialize, JsonSchema)]
pub(crate) struct FactorsJson {
    /// How strongly words and deed take sides: `(1 + |stance| + |effect|) / 21`.
    pub strength: f64,
    /// How firmly the deed is tied to its actor: 1 confirmed, 0.8
    /// reported, 0.6 alleged, 0.4 disputed.
    pub attribution: f64,
    /// How close in time the two are: `0.5 ^ (gap_days / 365)`.
    pub proximity: f64,
    /// When the deed came: 1 after the words, 0.9 overlapping, 0.8 before.
    pub order: f64,
}

/// An action asked about that is not paired with the claim.
#[derive(Serialize, JsonSchema)]
pub(crate) struct NotPairedJson<'a> {
    /// The action, as the check report writes it.
    pub action: ActionJson<'a>,
    /// A sentence per pairing rule the two fail (as the table says them).
    pub reasons: Vec<String>,
}

/// A day as `YYYY-MM-DD`, or `None` outside the calendar.
fn day(day: crate::date::Day) -> Option<String> {
    chrono::NaiveDate::from_num_days_from_ce_opt(day).map(|d| d.format("%Y-%m-%d").to_string())
}

fn steps<'a>(data: &'a Dataset, path: &[Step]) -> Vec<StepJson<'a>> {
    path.iter()
        .map(|s| {
            let actor = &data.actors[s.actor as usize];
            StepJson {
                actor_id: &actor.id,
                role: s
                    .role
                    .and_then(|r| actor.roles.get(r as usize))
                    .map(|r| RoleJson {
                        actor_id: &data.actors[r.principal as usize].id,
                        role: &r.role,
                        from: r.from.map(|d| d.to_string()),
                        to: r.to.map(|d| d.to_string()),
                    }),
            }
        })
        .collect()
}

/// The explanation's wire value: of claim `claim` (an index into the
/// dataset's claims) and all its pairs, or of its pair with `action`.
pub(crate) fn json<'a>(report: &Report<'a>, claim: u32, action: Option<u32>) -> ExplainJson<'a> {
    let data = report.data;
    let c = &data.claims[claim as usize];
    let Settings {
        lookback,
        horizon,
        threshold,
    } = report.settings;
    let (from, to) = report.settings.window_of(c);
    let result = report
        .claims
        .iter()
        .find(|r| r.claim == claim)
        .cloned()
        .unwrap_or_else(|| crate::report::ClaimResult::untested(claim));
    let pairs: Vec<ExplainedPairJson<'a>> = report
        .pairs
        .iter()
        .filter(|p| p.claim == claim && action.is_none_or(|a| p.action == a))
        .map(|p| {
            let why = reasons::of(report, p);
            let f = why.factors;
            ExplainedPairJson {
                action: action_json(report, p.action),
                verdict: p.verdict.as_str(),
                kind: p.verdict.kind().map(|k| k.as_str()),
                severity: p.severity(),
                principal: &data.actors[why.principal as usize].id,
                shared_principals: why
                    .shared
                    .iter()
                    .map(|&a| data.actors[a as usize].id.as_str())
                    .collect(),
                claim_path: steps(data, &why.claim_path),
                action_path: steps(data, &why.action_path),
                topics: why
                    .topics
                    .iter()
                    .map(|&t| data.topics[t as usize].as_str())
                    .collect(),
                general_claim: why.general_claim,
                gap_days: why.gap_days,
                order: why.order.as_str(),
                factors: FactorsJson {
                    strength: f.strength,
                    attribution: f.attribution,
                    proximity: f.proximity,
                    order: f.order,
                },
                review: report
                    .decision_of(p)
                    .map(|r| crate::render::json::ReviewJson::of(r, &data.files)),
            }
        })
        .collect();
    let not_paired = match action {
        Some(a) if pairs.is_empty() => Some(NotPairedJson {
            action: action_json(report, a),
            reasons: reasons::why_not(report, claim as usize, a as usize),
        }),
        _ => None,
    };
    ExplainJson {
        schema_version: EXPLAIN_SCHEMA_VERSION,
        settings: ExplainSettingsJson {
            lookback,
            horizon,
            threshold,
        },
        claim: claim_json(report, &result),
        window: WindowJson {
            from: day(from),
            to: day(to),
        },
        action_id: action.map(|a| &*data.actions[a as usize].id),
        pairs,
        not_paired,
    }
}

/// Writes the explanation of claim `claim` (an index into the dataset's
/// claims), or of its pair with `action`, in `format`; `style` colours
/// the table.
pub fn write(
    report: &Report<'_>,
    claim: u32,
    action: Option<u32>,
    format: ExplainFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ExplainFormat::Json => {
            let mut buf =
                serde_json::to_vec(&json(report, claim, action)).map_err(io::Error::other)?;
            buf.push(b'\n');
            out.write_all(&buf)
        }
        ExplainFormat::Table => {
            let data = report.data;
            if let Some(a) = action
                && !report
                    .pairs
                    .iter()
                    .any(|p| p.claim == claim && p.action == a)
            {
                writeln!(
                    out,
                    "{} and {} are not paired:",
                    data.claims[claim as usize].id, data.actions[a as usize].id
                )?;
                for line in reasons::why_not(report, claim as usize, a as usize) {
                    writeln!(out, "  - {}", inert(&line))?;
                }
                return Ok(());
            }
            out.write_all(crate::render::table::explain(report, claim, action, style).as_bytes())
        }
    }
}
