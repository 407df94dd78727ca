//! Baselines: findings already known from an earlier report.
//!
//! `--baseline FILE` reads a JSON report written by `saydo check --format
//! json`. A pair of the new report is *known* when the baseline has a pair
//! with the same claim id, action id and verdict, so a pair re-scored into
//! a contradiction counts as new. Known pairs are marked in every format
//! and never trip `--fail-on`.
//!
//! This is the one reader of a JSON report: `saydo diff` reads its two
//! reports with [`ReportPairs::read`] as well.

use rustc_hash::FxHashSet;
use serde::Deserialize;
use std::path::Path;

/// The report version this reader reads: the JSON report's
/// `schema_version` (a test in `render::json` holds them together).
pub const READS_VERSION: &str = "1";

/// The pairs of an earlier report.
#[derive(Debug, Default)]
pub struct Baseline {
    pairs: FxHashSet<(String, String, String)>,
}

/// What saydo reads back of a JSON report: its version and totals (when
/// it has them) and, per pair, its ids, verdict, kind and severity.
#[derive(Debug, Deserialize)]
pub struct ReportPairs {
    /// The report's `schema_version`.
    #[serde(default)]
    pub schema_version: Option<String>,
    /// The report's `totals`.
    #[serde(default)]
    pub totals: Option<PairTotals>,
    /// Every pair, as written.
    pub pairs: Vec<PairKey>,
}

/// The counts of a report that `saydo diff` compares.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct PairTotals {
    /// Pairs found.
    pub pairs: usize,
    /// Those that contradict.
    pub contradictions: usize,
}

/// A pair as a report writes it, reduced to what is compared.
#[derive(Clone, Debug, Deserialize)]
pub struct PairKey {
    /// The claim's id.
    pub claim_id: String,
    /// The action's id.
    pub action_id: String,
    /// contradiction, reciprocal, consistent or neutral.
    pub verdict: String,
    /// duplicity or bluster for a contradiction.
    #[serde(default)]
    pub kind: Option<String>,
    /// In (0, 1].
    #[serde(default)]
    pub severity: f64,
}

/// Why a file is not a report saydo can read.
#[derive(Debug)]
pub enum ReadError {
    /// The file cannot be read.
    Io(std::io::Error),
    /// Its bytes are not JSON.
    NotJson(serde_json::Error),
    /// It is JSON, but not of a saydo report's shape.
    NotReport(String),
    /// A saydo report of another format version.
    Version(String),
}

impl ReadError {
    /// The message for the file at `path`, which it names.
    pub fn message(&self, path: &Path) -> String {
        let p = path.display();
        match self {
            ReadError::Io(e) => format!("cannot read {p}: {e}"),
            ReadError::NotJson(e) => format!("{p} is not JSON: {e}"),
            ReadError::NotReport(e) => {
                format!("{p} is not a saydo JSON report (saydo check --format json): {e}")
            }
            ReadError::Version(v) => format!(
                "{p} has schema_version \"{v}\"; this saydo reads reports of version \"{}\"",
                READS_VERSION
            ),
        }
    }
}

impl ReportPairs {
    /// Reads a report; its version, when given, must be this saydo's.
    pub fn read(path: &Path) -> Result<ReportPairs, ReadError> {
        let bytes = std::fs::read(path).map_err(ReadError::Io)?;
        Self::parse(&bytes)
    }

    /// Parses the text of a JSON report.
    pub fn parse(bytes: &[u8]) -> Result<ReportPairs, ReadError> {
        let file: ReportPairs = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => ReadError::NotReport(e.to_string()),
            _ => ReadError::NotJson(e),
        })?;
        match &file.schema_version {
            Some(v) if v != READS_VERSION => Err(ReadError::Version(v.clone())),
            _ => Ok(file),
        }
    }

    /// As [`ReportPairs::parse`], and the report must be whole: its
    /// version and totals given, each verdict and kind one saydo writes.
    pub fn parse_whole(bytes: &[u8]) -> Result<ReportPairs, ReadError> {
        let file = Self::parse(bytes)?;
        if file.schema_version.is_none() {
            return Err(ReadError::NotReport(
                "missing field `schema_version`".into(),
            ));
        }
        if file.totals.is_none() {
            return Err(ReadError::NotReport("missing field `totals`".into()));
        }
        for (i, p) in file.pairs.iter().enumerate() {
            let verdict_ok = matches!(
                p.verdict.as_str(),
                "contradiction" | "reciprocal" | "consistent" | "neutral"
            );
            let kind_ok = match (p.verdict.as_str(), p.kind.as_deref()) {
                ("contradiction", Some("duplicity" | "bluster")) => true,
                ("contradiction", _) => false,
                (_, kind) => kind.is_none(),
            };
            if !(verdict_ok && kind_ok && p.severity.is_finite() && p.severity >= 0.0) {
                return Err(ReadError::NotReport(format!(
                    "pair {i} ({} and {}) has verdict {:?}, kind {:?}, severity {}",
                    p.claim_id, p.action_id, p.verdict, p.kind, p.severity
                )));
            }
        }
        Ok(file)
    }
}

impl Baseline {
    /// Reads a baseline report; the message says what is wrong with it.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let file = ReportPairs::read(path).map_err(|e| format!("baseline: {}", e.message(path)))?;
        Ok(Self::from_pairs(file))
    }

    /// Parses the text of a JSON report.
    pub fn parse(bytes: &[u8]) -> Result<Baseline, ReadError> {
        ReportPairs::parse(bytes).map(Self::from_pairs)
    }

    fn from_pairs(file: ReportPairs) -> Baseline {
        Baseline {
            pairs: file
                .pairs
                .into_iter()
                .map(|p| (p.claim_id, p.action_id, p.verdict))
                .collect(),
        }
    }

    /// Whether the baseline has this pair with this verdict.
    pub fn contains(&self, claim_id: &str, action_id: &str, verdict: &str) -> bool {
        // Borrowed look-up without allocating three strings per pair.
        self.pairs.contains(&(
            claim_id.to_string(),
            action_id.to_string(),
            verdict.to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_on_claim_action_and_verdict() {
        let b = Baseline::parse(
            br#"{"schema_version":"1","pairs":[{"claim_id":"c","action_id":"a","verdict":"consistent","kind":null,"severity":0.5}]}"#,
        )
        .unwrap();
        assert!(b.contains("c", "a", "consistent"));
        assert!(!b.contains("c", "a", "contradiction"));
        assert!(!b.contains("c", "b", "consistent"));
    }

    #[test]
    fn rejects_what_is_not_a_report() {
        assert!(Baseline::parse(b"[1,2]").is_err());
        assert!(Baseline::parse(b"{\"pairs\": 3}").is_err());
    }

    #[test]
    fn says_what_is_wrong_with_a_report() {
        let kind = |bytes: &[u8]| match ReportPairs::parse_whole(bytes) {
            Ok(_) => "ok",
            Err(ReadError::Io(_)) => "io",
            Err(ReadError::NotJson(_)) => "not json",
            Err(ReadError::NotReport(_)) => "not a report",
            Err(ReadError::Version(_)) => "version",
        };
        assert_eq!(kind(b"{\"pairs\": ["), "not json");
        assert_eq!(kind(b"[1,2]"), "not a report");
        assert_eq!(
            kind(br#"{"schema_version":"1","pairs":[]}"#),
            "not a report"
        );
        assert_eq!(kind(br#"{"schema_version":"9","pairs":[]}"#), "version");
        let whole = br#"{"schema_version":"1","totals":{"pairs":1,"contradictions":1},"pairs":[{"claim_id":"c","action_id":"a","verdict":"contradiction","kind":"bluster","severity":0.5}]}"#;
        assert_eq!(kind(whole), "ok");
        let text = std::str::from_utf8(whole).unwrap();
        assert_eq!(
            kind(text.replace("bluster", "maybe").as_bytes()),
            "not a report"
        );
        assert_eq!(
            kind(text.replace("\"contradiction\"", "\"so-so\"").as_bytes()),
            "not a report"
        );
    }
}
