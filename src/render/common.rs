//! What several printers share, so that no printer reaches into another:
//! the report's totals, record texts clipped for a cell or a message, the
//! consistency index as text, the words every CI format uses for a
//! contradiction, paths from the repository root, and the places of
//! validation problems. (Escaping is in [`super::escape`].)

use crate::engine::pair::Pair;
use crate::engine::reasons::{Reasons, path_text, timing_text};
use crate::engine::score::Kind;
use crate::input::source::{FileId, Files, SourceText};
use crate::render::escape::inert;
use crate::report::Report;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Component, Path};

// ---------------------------------------------------------------------------
// Counts and numbers.

/// Counts over a report, as every format's summary gives them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Actors summarised.
    pub actors: usize,
    /// Claims kept by the filters.
    pub claims: usize,
    /// Actions in the dataset (kept by the filters).
    pub actions: usize,
    /// Actions in at least one pair.
    pub paired_actions: usize,
    pub pairs: usize,
    pub contradictions: usize,
    pub duplicity: usize,
    pub bluster: usize,
    pub consistent: usize,
    pub reciprocal: usize,
    pub neutral: usize,
}

/// Totals of a report.
pub fn totals(report: &Report<'_>) -> Totals {
    let mut t = Totals {
        actors: report.actors.len(),
        claims: report.claims.len(),
        pairs: report.pairs.len(),
        ..Totals::default()
    };
    t.actions = report.actions_kept;
    t.paired_actions = report.paired_actions.len();
    if let Some(w) = &report.whole {
        t.pairs = w.pairs;
        t.paired_actions = w.paired_actions;
        [
            t.duplicity,
            t.bluster,
            t.consistent,
            t.reciprocal,
            t.neutral,
        ] = w.verdicts;
        t.contradictions = t.duplicity + t.bluster;
        return t;
    }
    // Millions of pairs: counted in parallel.
    let counts = report
        .pairs
        .par_iter()
        .fold(
            || [0usize; 5],
            |mut n, p| {
                n[crate::report::verdict_slot(p.verdict)] += 1;
                n
            },
        )
        .reduce(|| [0; 5], |a, b| std::array::from_fn(|i| a[i] + b[i]));
    [
        t.duplicity,
        t.bluster,
        t.consistent,
        t.reciprocal,
        t.neutral,
    ] = counts;
    t.contradictions = t.duplicity + t.bluster;
    t
}

/// An actor's say-do consistency index with its sign and two decimals
/// (`+0.25`), or `–` when it has no judged pairs.
pub fn consistency_text(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{v:+.2}"))
}

// ---------------------------------------------------------------------------
// Text.

/// Shortens text to `n` characters with an ellipsis, its runs of white
/// space made one space and made safe for a terminal ([`inert`]).
pub fn clip(text: &str, n: usize) -> String {
    let flat: String = inert(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    if flat.chars().count() <= n {
        return flat;
    }
    let mut out: String = flat.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `1 claim`, `2 claims`: a count and its noun, singular for one.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `1 more word`, `2 more words`: a count of what was left out, singular
/// for one.
pub fn more_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} more {}", if n == 1 { one } else { many })
}

/// What a headline counts, each with its noun, singular for one:
/// `11 claims, 1 action, 9 actors → 13 pairs: 5 contradictions`.
pub struct Counted {
    pub claims: String,
    pub actions: String,
    pub actors: String,
    pub pairs: String,
    pub contradictions: String,
}

impl Counted {
    /// The counts of `report`, whose totals are `t`.
    pub fn of(report: &Report<'_>, t: &Totals) -> Counted {
        Counted {
            claims: plural(report.claims.len() as u64, "claim", "claims"),
            actions: plural(t.actions as u64, "action", "actions"),
            actors: plural(report.actors.len() as u64, "actor", "actors"),
            pairs: plural(t.pairs as u64, "pair", "pairs"),
            contradictions: plural(t.contradictions as u64, "contradiction", "contradictions"),
        }
    }
}

/// Topics by name, joined with commas.
pub fn topic_names(report: &Report<'_>, topics: &[crate::model::TopicIx]) -> String {
    topics
        .iter()
        .map(|&t| report.data.topics[t as usize].as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first sentence of a contradiction, as the CI formats (SARIF,
/// JUnit) show it: `Duplicity: claim a (2020, stance +7) is contradicted
/// by action b (2021-08, effect -6, confirmed); severity 0.4619.`
pub fn headline(report: &Report<'_>, p: &Pair) -> String {
    let data = report.data;
    let claim = &data.claims[p.claim as usize];
    let action = &data.actions[p.action as usize];
    let kind = match p.verdict.kind() {
        Some(Kind::Duplicity) => "Duplicity",
        Some(Kind::Bluster) => "Bluster",
        None => "Finding",
    };
    format!(
        "{kind}: claim {} ({}, stance {:+}) is contradicted by action {} ({}, effect {:+}, {}); severity {:.4}.",
        claim.id,
        claim.date,
        claim.score,
        action.id,
        action.date,
        action.score,
        action.attribution.as_str(),
        p.severity()
    )
}

/// Why a pair was paired and judged so, one reason a line: the words, the
/// deed, who stands behind each, the topics, the timing and the severity.
pub fn reason_lines(report: &Report<'_>, p: &Pair, why: &Reasons) -> Vec<String> {
    let data = report.data;
    let claim = &data.claims[p.claim as usize];
    let action = &data.actions[p.action as usize];
    let topics = if why.topics.is_empty() {
        "no topic".to_string()
    } else {
        topic_names(report, &why.topics)
    };
    let general = if why.general_claim {
        " (the claim is a general stance)"
    } else {
        ""
    };
    let f = why.factors;
    vec![
        format!("said: \"{}\"", claim.text),
        format!("done: \"{}\"", action.text),
        format!("said by: {}", path_text(data, &why.claim_path)),
        format!("done by: {}", path_text(data, &why.action_path)),
        format!("on: {topics}{general}"),
        format!("when: {}", timing_text(why.gap_days, why.order)),
        format!(
            "scores: stance {:+} vs effect {:+} (threshold {})",
            claim.score, action.score, report.settings.threshold
        ),
        format!(
            "severity {:.4} = strength {:.4} × attribution {:.2} × proximity {:.4} × order {:.2}",
            p.severity(),
            f.strength,
            f.attribution,
            f.proximity,
            f.order
        ),
    ]
}

// ---------------------------------------------------------------------------
// Paths from the repository root.

/// The repository-relative prefix for a dataset folder given on the command
/// line: its normal components joined with `/` (`./data/` → `data`). An
/// absolute folder has no such prefix; the caller should pass one.
pub fn path_prefix(dataset: &Path) -> String {
    if dataset.is_absolute() {
        return String::new();
    }
    let mut parts: Vec<String> = Vec::new();
    for c in dataset.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            _ => {}
        }
    }
    parts.join("/")
}

/// `prefix` and `path` joined with `/`, skipping empty and `.` segments of
/// the prefix (which may use `\` on Windows).
pub fn join_path(prefix: &str, path: &str) -> String {
    let mut out = String::new();
    for seg in prefix.split(['/', '\\']) {
        if seg.is_empty() || seg == "." {
            continue;
        }
        out.push_str(seg);
        out.push('/');
    }
    out.push_str(path);
    out
}

// ---------------------------------------------------------------------------
// Places of validation problems.

/// Reads files back once each to place problems in them.
pub struct Placer<'f> {
    files: &'f Files,
    sources: HashMap<FileId, SourceText>,
}

/// Where a problem is, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl<'f> Placer<'f> {
    pub fn new(files: &'f Files) -> Self {
        Placer {
            files,
            sources: HashMap::new(),
        }
    }

    /// The text of `file`, read on first use.
    pub fn source(&mut self, file: FileId) -> &SourceText {
        self.sources
            .entry(file)
            .or_insert_with(|| self.files.source(file))
    }

    /// Line and column of a span's start and end.
    pub fn place(&mut self, file: FileId, span: &std::ops::Range<usize>) -> Place {
        let display = self.files.display(file).to_string();
        let src = self.source(file);
        let start = src.line_col(span.start);
        let end = src.line_col(span.end);
        Place {
            file: display,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

/// What a reader is told of a flagged pair's review
/// ([`Report::review_mark`]).
pub fn review_mark(report: &Report<'_>, index: usize) -> Option<&'static str> {
    report.review_mark(index)
}

/// The decision in force on pair `p`, in a line: "dismissed by Ana on
/// 2026-12-06: the drills were announced before the words".
pub fn decision_line(report: &Report<'_>, p: &Pair) -> Option<String> {
    let r = report.decision_of(p)?;
    let mut line = format!("{} by {} on {}", r.decision.as_str(), r.by, r.date);
    if !r.reason.is_empty() {
        line.push_str(": ");
        line.push_str(&r.reason);
    }
    Some(line)
}

/// How the contradictions stand against the reviews and the baseline:
/// "reviews: 1 confirmed, 1 dismissed, 0 needs-source, 2 known, 1 new";
/// `None` when the run has neither (the line would say nothing).
pub fn review_counts(report: &Report<'_>) -> Option<String> {
    let n = report.reviewed()?;
    Some(format!(
        "contradictions reviewed: {} confirmed, {} dismissed, {} needs-source, {} known from the baseline, {} new",
        n[0], n[1], n[2], n[3], n[4]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_joined_from_the_repository_root() {
        assert_eq!(join_path("", "claims/a.json"), "claims/a.json");
        assert_eq!(join_path("./data/", "claims/a.json"), "data/claims/a.json");
        assert_eq!(
            join_path("data\\sets", "claims/a.json"),
            "data/sets/claims/a.json"
        );
        assert_eq!(path_prefix(Path::new("./data/sets/")), "data/sets");
        assert_eq!(path_prefix(Path::new(".")), "");
    }
}
