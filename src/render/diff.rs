//! The printers of `saydo diff`: a table fitted to the terminal, Markdown
//! for a pull request's comment, and JSON for programs.
//!
//! The wire types below are the JSON format, documented where they are
//! defined; `schema/diff.schema.json` is generated from them and checked
//! by the tests.

use crate::output::TakesBuffers;
use crate::render::escape::markdown;
use crate::report::PairTotals;
use crate::report::diff::{Changed, Diff, Finding, Listed};
use clap::ValueEnum;
use schemars::JsonSchema;
use serde::Serialize;
use std::io;

/// The formats `saydo diff` writes (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A table for the terminal, fitted to its width.
    Table,
    /// Markdown for a pull request's comment.
    Markdown,
    /// One JSON document (`schema/diff.schema.json`).
    Json,
}

/// Version of the diff's JSON format.
pub const DIFF_SCHEMA_VERSION: &str = "1";

/// Two reports compared: their totals, and the pairs that appeared,
/// disappeared or were judged differently. Unless `saydo diff --all`,
/// only pairs that are or were contradictions are listed.
#[derive(Serialize, JsonSchema)]
pub struct DiffJson<'a> {
    /// Always "1" for this format; bumped only for breaking changes.
    #[schemars(extend("const" = "1"))]
    pub schema_version: &'static str,
    /// The old report's totals.
    pub old: DiffTotalsJson,
    /// The new report's totals.
    pub new: DiffTotalsJson,
    /// Pairs only in the new report, highest severity first, ties by
    /// claim id, then action id.
    pub new_pairs: Vec<DiffPairJson<'a>>,
    /// Pairs only in the old report, by their old severity as above.
    pub gone_pairs: Vec<DiffPairJson<'a>>,
    /// Pairs in both reports with another verdict, kind or severity, by
    /// their new severity as above.
    pub changed_pairs: Vec<ChangedPairJson<'a>>,
}

/// A report's totals.
#[derive(Serialize, JsonSchema)]
pub struct DiffTotalsJson {
    /// Pairs found.
    pub pairs: usize,
    /// Those that contradict.
    pub contradictions: usize,
}

/// A pair's judgement.
#[derive(Serialize, JsonSchema)]
pub struct FindingJson<'a> {
    /// contradiction, reciprocal, consistent or neutral.
    #[schemars(extend("enum" = ["contradiction", "reciprocal", "consistent", "neutral"]))]
    pub verdict: &'a str,
    /// duplicity or bluster for a contradiction, otherwise null.
    #[schemars(extend("enum" = ["duplicity", "bluster", null]))]
    pub kind: Option<&'a str>,
    /// As the report has it, in (0, 1].
    pub severity: f64,
}

/// A pair in one report only, as that report judged it.
#[derive(Serialize, JsonSchema)]
pub struct DiffPairJson<'a> {
    /// The claim's id.
    pub claim_id: &'a str,
    /// The action's id.
    pub action_id: &'a str,
    /// Its judgement.
    #[serde(flatten)]
    pub finding: FindingJson<'a>,
}

/// A pair in both reports, judged differently.
#[derive(Serialize, JsonSchema)]
pub struct ChangedPairJson<'a> {
    /// The claim's id.
    pub claim_id: &'a str,
    /// The action's id.
    pub action_id: &'a str,
    /// Its judgement in the old report.
    pub old: FindingJson<'a>,
    /// Its judgement in the new report.
    pub new: FindingJson<'a>,
}

fn finding_json(f: &Finding) -> FindingJson<'_> {
    FindingJson {
        verdict: &f.verdict,
        kind: f.kind.as_deref(),
        severity: f.severity,
    }
}

fn totals_json(t: PairTotals) -> DiffTotalsJson {
    DiffTotalsJson {
        pairs: t.pairs,
        contradictions: t.contradictions,
    }
}

fn listed_json(p: &Listed) -> DiffPairJson<'_> {
    DiffPairJson {
        claim_id: &p.claim_id,
        action_id: &p.action_id,
        finding: finding_json(&p.finding),
    }
}

fn changed_json(p: &Changed) -> ChangedPairJson<'_> {
    ChangedPairJson {
        claim_id: &p.claim_id,
        action_id: &p.action_id,
        old: finding_json(&p.old),
        new: finding_json(&p.new),
    }
}

/// The diff's wire value.
pub fn json(diff: &Diff) -> DiffJson<'_> {
    DiffJson {
        schema_version: DIFF_SCHEMA_VERSION,
        old: totals_json(diff.old),
        new: totals_json(diff.new),
        new_pairs: diff.new_pairs.iter().map(listed_json).collect(),
        gone_pairs: diff.gone_pairs.iter().map(listed_json).collect(),
        changed_pairs: diff.changed_pairs.iter().map(changed_json).collect(),
    }
}

/// The summary line: contradictions new, gone and changed, and the totals
/// old → new.
pub fn summary(diff: &Diff) -> String {
    format!(
        "{} new, {} gone, {} changed contradictions; contradictions {} → {}, pairs {} → {}",
        diff.new_contradictions,
        diff.gone_contradictions,
        diff.changed_contradictions,
        diff.old.contradictions,
        diff.new.contradictions,
        diff.old.pairs,
        diff.new.pairs,
    )
}

/// `contradiction (duplicity) 0.8123`, `consistent 0.5000`.
pub(crate) fn finding_text(f: &Finding) -> String {
    match &f.kind {
        Some(k) => format!("{} ({k}) {:.4}", f.verdict, f.severity),
        None => format!("{} {:.4}", f.verdict, f.severity),
    }
}

/// Writes the diff in `format`; the table is fitted to `width`, and the
/// table and Markdown show at most `limit` rows a section (0: all).
pub fn write(
    diff: &Diff,
    format: DiffFormat,
    width: usize,
    limit: usize,
    out: &mut dyn TakesBuffers,
) -> io::Result<()> {
    match format {
        DiffFormat::Table => {
            out.write_all(crate::render::table::diff(diff, width, limit).as_bytes())
        }
        DiffFormat::Markdown => out.write_all(write_markdown(diff, limit).as_bytes()),
        DiffFormat::Json => {
            let mut buf = serde_json::to_vec(&json(diff)).map_err(io::Error::other)?;
            buf.push(b'\n');
            out.write_all(&buf)
        }
    }
}

fn take(limit: usize, n: usize) -> usize {
    if limit == 0 { n } else { limit.min(n) }
}

fn more(out: &mut String, shown: usize, total: usize) {
    if total > shown {
        out.push_str(&format!(
            "\n… {} more pairs (use --limit 0 for all, or --format json)\n",
            total - shown
        ));
    }
}

fn write_markdown(diff: &Diff, limit: usize) -> String {
    let mut out = String::from("## saydo diff\n\n");
    out.push_str(&markdown(&summary(diff)));
    out.push('\n');
    let what = if diff.all { "pairs" } else { "contradictions" };
    for (title, pairs) in [("New", &diff.new_pairs), ("Gone", &diff.gone_pairs)] {
        out.push_str(&format!("\n### {title} {what} ({})\n\n", pairs.len()));
        if pairs.is_empty() {
            out.push_str("None.\n");
            continue;
        }
        out.push_str("| claim | action | verdict | kind | severity |\n|---|---|---|---|--:|\n");
        let n = take(limit, pairs.len());
        for p in &pairs[..n] {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {:.4} |\n",
                markdown(&p.claim_id),
                markdown(&p.action_id),
                markdown(&p.finding.verdict),
                markdown(p.finding.kind.as_deref().unwrap_or("")),
                p.finding.severity
            ));
        }
        more(&mut out, n, pairs.len());
    }
    let pairs = &diff.changed_pairs;
    out.push_str(&format!("\n### Changed {what} ({})\n\n", pairs.len()));
    if pairs.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str("| claim | action | old | new |\n|---|---|---|---|\n");
        let n = take(limit, pairs.len());
        for p in &pairs[..n] {
            out.push_str(&format!(
                "| {} | {} | {} | → {} |\n",
                markdown(&p.claim_id),
                markdown(&p.action_id),
                markdown(&finding_text(&p.old)),
                markdown(&finding_text(&p.new)),
            ));
        }
        more(&mut out, n, pairs.len());
    }
    out
}
