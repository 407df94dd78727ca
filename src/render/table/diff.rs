//! `saydo diff` as a table for the terminal: the summary, then the new,
//! gone and changed pairs, each section fitted to the width and cut to
//! the limit.

use super::{fit, header, more, take, wrap};
use crate::render::diff::{finding_text, summary};
use crate::render::escape::inert;
use crate::report::diff::Diff;
use std::fmt::Write as _;

/// Renders the diff, fitted to `width`, at most `limit` rows a section (0: all).
pub fn render(diff: &Diff, width: usize, limit: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", wrap(&summary(diff), width));
    let what = if diff.all { "pairs" } else { "contradictions" };
    for (title, pairs) in [("New", &diff.new_pairs), ("Gone", &diff.gone_pairs)] {
        let _ = writeln!(out, "\n{title} {what} ({})", pairs.len());
        if pairs.is_empty() {
            let _ = writeln!(out, "none");
            continue;
        }
        let n = take(limit, pairs.len());
        let mut rows = vec![header(&["claim", "action", "verdict", "severity"])];
        for p in &pairs[..n] {
            rows.push(vec![
                inert(&p.claim_id),
                inert(&p.action_id),
                inert(&verdict(&p.finding.verdict, p.finding.kind.as_deref())),
                format!("{:.4}", p.finding.severity),
            ]);
        }
        let _ = writeln!(out, "{}", fit(rows, width));
        more(&mut out, n, pairs.len(), "pairs");
    }
    let pairs = &diff.changed_pairs;
    let _ = writeln!(out, "\nChanged {what} ({})", pairs.len());
    if pairs.is_empty() {
        let _ = writeln!(out, "none");
    } else {
        let n = take(limit, pairs.len());
        let mut rows = vec![header(&["claim", "action", "old", "new"])];
        for p in &pairs[..n] {
            rows.push(vec![
                inert(&p.claim_id),
                inert(&p.action_id),
                inert(&finding_text(&p.old)),
                inert(&format!("→ {}", finding_text(&p.new))),
            ]);
        }
        let _ = writeln!(out, "{}", fit(rows, width));
        more(&mut out, n, pairs.len(), "pairs");
    }
    out
}

fn verdict(verdict: &str, kind: Option<&str>) -> String {
    match kind {
        Some(k) => format!("{verdict} ({k})"),
        None => verdict.to_string(),
    }
}
