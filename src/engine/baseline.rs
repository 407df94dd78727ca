//! Baselines: findings already known from an earlier report.
//!
//! `--baseline FILE` reads a JSON report written by `saydo check --format
//! json`. A pair of the new report is *known* when the baseline has a pair
//! with the same claim id, action id and verdict, so a pair re-scored into
//! a contradiction counts as new. Known pairs are marked in every format
//! and never trip `--fail-on`.

use rustc_hash::FxHashSet;
use serde::Deserialize;
use std::path::Path;

/// The pairs of an earlier report.
#[derive(Debug, Default)]
pub struct Baseline {
    pairs: FxHashSet<(String, String, String)>,
}

#[derive(Deserialize)]
struct File {
    pairs: Vec<PairKey>,
}

#[derive(Deserialize)]
struct PairKey {
    claim_id: String,
    action_id: String,
    verdict: String,
}

impl Baseline {
    /// Reads a baseline report; the message says what is wrong with it.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        Self::parse(&bytes).map_err(|e| {
            format!(
                "baseline {} is not a saydo JSON report: {e}",
                path.display()
            )
        })
    }

    /// Parses the text of a JSON report.
    pub fn parse(bytes: &[u8]) -> Result<Baseline, serde_json::Error> {
        let file: File = serde_json::from_slice(bytes)?;
        Ok(Baseline {
            pairs: file
                .pairs
                .into_iter()
                .map(|p| (p.claim_id, p.action_id, p.verdict))
                .collect(),
        })
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
}
