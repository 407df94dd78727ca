//! Two reports compared (`saydo diff OLD.json NEW.json`): which findings a
//! change to the data made appear, disappear or change, for a pull
//! request's comment and a CI gate on regressions.
//!
//! Both reports are read by the one report reader
//! ([`ReportPairs`]). Pairs are matched by
//! claim id and action id: a pair only in the new report is *new*, one
//! only in the old *gone*, one in both with another verdict, kind or
//! severity *changed*. Unless every verdict is asked for, only pairs that
//! are or were contradictions are listed: a consistent pair appearing is
//! noise in a review. The lists are ordered by severity, highest first
//! (the new severity for new and changed pairs, the old for gone ones),
//! ties by claim id, then action id, so a diff is the same whatever the
//! order of the reports' pairs.

use crate::engine::baseline::{PairKey, PairTotals, ReadError, ReportPairs};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::path::Path;

/// A pair's judgement, as a report writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// contradiction, reciprocal, consistent or neutral.
    pub verdict: String,
    /// duplicity or bluster for a contradiction.
    pub kind: Option<String>,
    /// In (0, 1].
    pub severity: f64,
}

impl Finding {
    /// Whether the pair contradicts.
    pub fn is_contradiction(&self) -> bool {
        self.verdict == "contradiction"
    }
}

/// A pair in one of the two reports only.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    /// The claim's id.
    pub claim_id: String,
    /// The action's id.
    pub action_id: String,
    /// Its judgement in the report that has it.
    pub finding: Finding,
}

/// A pair in both reports, judged differently.
#[derive(Clone, Debug, PartialEq)]
pub struct Changed {
    /// The claim's id.
    pub claim_id: String,
    /// The action's id.
    pub action_id: String,
    /// Its judgement in the old report.
    pub old: Finding,
    /// Its judgement in the new report.
    pub new: Finding,
}

/// What changed between two reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    /// Whether every verdict is listed, or contradictions only.
    pub all: bool,
    /// The old report's totals.
    pub old: PairTotals,
    /// The new report's totals.
    pub new: PairTotals,
    /// Pairs in the new report only, listed as [`diff`] was asked.
    pub new_pairs: Vec<Listed>,
    /// Pairs in the old report only, listed as [`diff`] was asked.
    pub gone_pairs: Vec<Listed>,
    /// Pairs in both, judged differently, listed as [`diff`] was asked.
    pub changed_pairs: Vec<Changed>,
    /// New pairs that contradict (listed or not).
    pub new_contradictions: usize,
    /// Gone pairs that contradicted.
    pub gone_contradictions: usize,
    /// Changed pairs that contradict in either report.
    pub changed_contradictions: usize,
    /// Contradictions the old report did not have: new pairs that
    /// contradict, and pairs re-judged into a contradiction. What
    /// `--fail-on-new` fails on.
    pub regressions: usize,
}

/// Reads a report for `saydo diff`: it must be a whole saydo JSON report
/// of this version. The message names the file and says what is wrong.
pub fn read(path: &Path) -> Result<ReportPairs, String> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(e).message(path))?;
    ReportPairs::parse_whole(&bytes).map_err(|e| e.message(path))
}

fn finding(p: &PairKey) -> Finding {
    Finding {
        verdict: p.verdict.clone(),
        kind: p.kind.clone(),
        severity: p.severity,
    }
}

/// Highest severity first, then by claim id and action id.
fn order(a: (f64, &str, &str), b: (f64, &str, &str)) -> Ordering {
    b.0.total_cmp(&a.0)
        .then_with(|| a.1.cmp(b.1))
        .then_with(|| a.2.cmp(b.2))
}

fn index(r: &ReportPairs) -> FxHashMap<(&str, &str), Finding> {
    r.pairs
        .iter()
        .map(|p| ((p.claim_id.as_str(), p.action_id.as_str()), finding(p)))
        .collect()
}

fn key(p: &Listed) -> (f64, &str, &str) {
    (p.finding.severity, &p.claim_id, &p.action_id)
}

/// Compares two reports. With `all`, every new, gone and changed pair is
/// listed; without, only those that are or were contradictions (the
/// counts always count contradictions only).
pub fn diff(old: &ReportPairs, new: &ReportPairs, all: bool) -> Diff {
    let (before, after) = (index(old), index(new));
    let listed = |((c, a), f): (&(&str, &str), &Finding)| Listed {
        claim_id: c.to_string(),
        action_id: a.to_string(),
        finding: f.clone(),
    };
    let mut new_pairs: Vec<Listed> = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .map(listed)
        .collect();
    let mut gone_pairs: Vec<Listed> = before
        .iter()
        .filter(|(k, _)| !after.contains_key(*k))
        .map(listed)
        .collect();
    let mut changed_pairs: Vec<Changed> = after
        .iter()
        .filter_map(|((c, a), n)| {
            let o = before.get(&(*c, *a))?;
            (o != n).then(|| Changed {
                claim_id: c.to_string(),
                action_id: a.to_string(),
                old: o.clone(),
                new: n.clone(),
            })
        })
        .collect();
    let new_contradictions = new_pairs
        .iter()
        .filter(|p| p.finding.is_contradiction())
        .count();
    let gone_contradictions = gone_pairs
        .iter()
        .filter(|p| p.finding.is_contradiction())
        .count();
    let changed_contradictions = changed_pairs
        .iter()
        .filter(|p| p.old.is_contradiction() || p.new.is_contradiction())
        .count();
    let regressions = new_contradictions
        + changed_pairs
            .iter()
            .filter(|p| p.new.is_contradiction() && !p.old.is_contradiction())
            .count();
    if !all {
        new_pairs.retain(|p| p.finding.is_contradiction());
        gone_pairs.retain(|p| p.finding.is_contradiction());
        changed_pairs.retain(|p| p.old.is_contradiction() || p.new.is_contradiction());
    }
    new_pairs.sort_by(|a, b| order(key(a), key(b)));
    gone_pairs.sort_by(|a, b| order(key(a), key(b)));
    changed_pairs.sort_by(|a, b| {
        order(
            (a.new.severity, &a.claim_id, &a.action_id),
            (b.new.severity, &b.claim_id, &b.action_id),
        )
    });
    Diff {
        all,
        old: old.totals.unwrap_or_default(),
        new: new.totals.unwrap_or_default(),
        new_pairs,
        gone_pairs,
        changed_pairs,
        new_contradictions,
        gone_contradictions,
        changed_contradictions,
        regressions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(pairs: &[(&str, &str, &str, f64)]) -> ReportPairs {
        let pairs: Vec<String> = pairs
            .iter()
            .map(|(c, a, v, s)| {
                let kind = if *v == "contradiction" {
                    "\"duplicity\""
                } else {
                    "null"
                };
                format!(
                    r#"{{"claim_id":"{c}","action_id":"{a}","verdict":"{v}","kind":{kind},"severity":{s}}}"#
                )
            })
            .collect();
        let contradictions = pairs.iter().filter(|p| p.contains("duplicity")).count();
        let text = format!(
            r#"{{"schema_version":"1","totals":{{"pairs":{},"contradictions":{contradictions}}},"pairs":[{}]}}"#,
            pairs.len(),
            pairs.join(",")
        );
        ReportPairs::parse_whole(text.as_bytes()).unwrap()
    }

    fn ids(listed: &[Listed]) -> Vec<String> {
        listed
            .iter()
            .map(|p| format!("{}/{}", p.claim_id, p.action_id))
            .collect()
    }

    #[test]
    fn finds_new_gone_and_changed_pairs_in_order() {
        let old = report(&[
            ("c1", "a1", "contradiction", 0.5),
            ("c1", "a2", "consistent", 0.4),
            ("c2", "a1", "contradiction", 0.9),
            ("c3", "a1", "consistent", 0.3),
            ("c4", "a1", "neutral", 0.3),
        ]);
        let new = report(&[
            ("c1", "a1", "contradiction", 0.5),
            ("c1", "a2", "contradiction", 0.4),
            ("c3", "a1", "consistent", 0.3),
            ("c5", "a1", "contradiction", 0.2),
            ("c0", "a9", "contradiction", 0.2),
            ("c6", "a1", "consistent", 0.8),
        ]);
        let d = diff(&old, &new, false);
        assert_eq!(ids(&d.new_pairs), ["c0/a9", "c5/a1"]);
        assert_eq!(ids(&d.gone_pairs), ["c2/a1"]);
        assert_eq!(d.changed_pairs.len(), 1);
        assert_eq!(d.changed_pairs[0].old.verdict, "consistent");
        assert_eq!(d.changed_pairs[0].new.verdict, "contradiction");
        assert_eq!(
            (
                d.new_contradictions,
                d.gone_contradictions,
                d.changed_contradictions,
                d.regressions
            ),
            (2, 1, 1, 3)
        );
        assert_eq!((d.old.contradictions, d.new.contradictions), (2, 4));
        let all = diff(&old, &new, true);
        assert_eq!(ids(&all.new_pairs), ["c6/a1", "c0/a9", "c5/a1"]);
        assert_eq!(ids(&all.gone_pairs), ["c2/a1", "c4/a1"]);
        assert_eq!(all.regressions, d.regressions);
        assert_eq!(diff(&new, &new, true).changed_pairs, []);
    }

    /// A contradiction that stays one, only more or less severe, is a
    /// change but no regression: `--fail-on-new` does not trip on it.
    #[test]
    fn a_contradiction_that_changes_severity_is_no_regression() {
        let old = report(&[("c1", "a1", "contradiction", 0.5)]);
        let new = report(&[("c1", "a1", "contradiction", 0.7)]);
        let d = diff(&old, &new, false);
        assert_eq!(d.changed_pairs.len(), 1);
        assert_eq!((d.changed_contradictions, d.regressions), (1, 0));
        // Undone, it is no regression either.
        assert_eq!(diff(&new, &old, false).regressions, 0);
    }
}
