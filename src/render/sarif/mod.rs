//! SARIF 2.1.0 logs (`--format sarif`), for GitHub code scanning and any
//! other SARIF viewer.
//!
//! A report becomes one run of the tool `saydo` with two rules,
//! `saydo/duplicity` (level `error`) and `saydo/bluster` (level `warning`),
//! and one result per contradiction, in the report's order (claim id, then
//! action id). Each result:
//!
//! - sits on the claim: its data file and the line and column where the
//!   record starts (columns count Unicode code points, as `columnKind` says);
//!   the action's place is its one related location (`id` 1);
//! - names both records, quotes their words and gives the same reasons every
//!   printer gives (`reason_lines`), with literal braces doubled as SARIF
//!   message strings need (`{0}` would be a placeholder;
//!   `sarif_message`);
//! - carries `partialFingerprints["saydoPair/v1"]`, a hash of the claim id,
//!   the action id and the kind only, so an alert survives records moving
//!   between files or lines, and is the same on every machine and Rust
//!   version (`fingerprint`);
//! - when a baseline was given, says `baselineState` `new` or `unchanged`;
//!   pairs the baseline already has drop to level `note`.
//!
//! Paths: code scanning wants the file's path from the root of the
//! repository, so every artifact URI is `path_prefix` (where the dataset lies
//! in the repository) joined to the path of the file in the dataset,
//! percent-encoded where a URI reference needs it, relative to
//! `uriBaseId` `%SRCROOT%`.
//!
//! [`write_problems`] writes validation problems the same way: one rule per
//! problem code (`saydo/<code>`), one result per problem.
//!
//! The log is pretty-printed. Results are one per contradiction or problem,
//! never one per pair, but a large dataset has millions of contradictions:
//! a report's results are formatted in parallel chunks and written as they
//! come, between the head and tail of the log without results, so memory
//! stays bounded rather than growing with the log. Validation problems are
//! few: that log is built whole.
//!
//! `log.rs` holds the wire types, the subset of SARIF 2.1.0 saydo writes;
//! `problems.rs` the log of validation problems.
//!
//! The wire types are saydo's own structs with serde rather than
//! serde-sarif's, which cannot produce the same bytes: its types, generated
//! from the schema, write every object's keys in alphabetical order
//! (`runs` before `version`, `level` and `message` before `ruleId`), and
//! hold `properties` in a sorted map. Tried in place of `log.rs`, it also
//! costs more than 5% on the large set, see BENCHMARKS.md.

mod log;
mod problems;

pub use problems::write_problems;

use crate::diag::Code;
use crate::engine::reasons;
use crate::engine::score::Kind;
use crate::model::Decision;
use crate::output::TakesBuffers;
use crate::render::Printer;
use crate::render::common::{headline, join_path, reason_lines};
use crate::render::escape::uri_path;
use crate::render::write_parallel;
use crate::report::Report;
use log::{
    Artifact, Configuration, Help, PairProperties, PhysicalLocation, Region, Rule, RuleProperties,
    SarifLocation, SarifResult, Suppression, message_text, text, write_log,
};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io;

/// Where the SARIF 2.1.0 schema is published; written as `$schema`.
pub(crate) const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The SARIF version written.
pub(crate) const VERSION: &str = "2.1.0";
/// The URI base every artifact location is relative to: the repository root.
pub(crate) const SRCROOT: &str = "%SRCROOT%";
/// Key of the pair fingerprint in `partialFingerprints`. The `/v1` changes
/// only if what is hashed changes.
pub(crate) const PAIR_FINGERPRINT: &str = "saydoPair/v1";
/// Key of the problem fingerprint in `partialFingerprints`.
pub(crate) const PROBLEM_FINGERPRINT: &str = "saydoProblem/v1";

/// Rule id of a contradiction kind: `saydo/duplicity`, `saydo/bluster`.
pub(crate) fn rule_id(kind: Kind) -> String {
    format!("saydo/{}", kind.as_str())
}

/// Rule id of a problem code: `saydo/unknown-actor`.
pub(crate) fn problem_rule_id(code: Code) -> String {
    format!("saydo/{}", code.as_str())
}

/// The rules of a report, in `ruleIndex` order.
const KINDS: [Kind; 2] = [Kind::Duplicity, Kind::Bluster];

fn kind_index(kind: Kind) -> usize {
    match kind {
        Kind::Duplicity => 0,
        Kind::Bluster => 1,
    }
}

/// 64-bit FNV-1a. Written here rather than taken from `std` because
/// `DefaultHasher` may change between Rust versions, and fingerprints must
/// not.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(PRIME)
    })
}

/// The stable identity of a contradiction, as 16 lowercase hex digits:
/// FNV-1a 64 of `claim id ␟ action id ␟ kind` (␟ is U+001F, which no id may
/// contain). File paths and line numbers are left out on purpose: moving a
/// record keeps its alert.
pub(crate) fn fingerprint(claim_id: &str, action_id: &str, kind: Kind) -> String {
    let key = format!("{claim_id}\u{1f}{action_id}\u{1f}{}", kind.as_str());
    format!("{:016x}", fnv1a64(key.as_bytes()))
}

/// Where a file of the dataset is, for SARIF, from the bytes of its path
/// ([`Files::display_bytes`](crate::input::source::Files::display_bytes)): relative to `%SRCROOT%`, or a `file:` URI
/// for a file outside the dataset (shown with an absolute path).
fn artifact(path: &[u8], prefix: &str) -> Artifact {
    if path.starts_with(b"/") {
        return Artifact {
            uri: format!("file://{}", uri_path(path)),
            uri_base_id: None,
        };
    }
    if path.len() >= 3 && path[0].is_ascii_alphabetic() && path[1] == b':' && path[2] == b'/' {
        // A Windows path outside the dataset: C:/…
        return Artifact {
            uri: format!("file:///{}:{}", path[0] as char, uri_path(&path[2..])),
            uri_base_id: None,
        };
    }
    let mut joined = join_path(prefix, "").into_bytes();
    joined.extend_from_slice(path);
    Artifact {
        uri: uri_path(&joined),
        uri_base_id: Some(SRCROOT),
    }
}

/// The dataset folder itself, for problems of the whole dataset.
fn dataset_artifact(prefix: &str) -> Artifact {
    let joined = join_path(prefix, "");
    Artifact {
        uri: if joined.is_empty() {
            "./".into()
        } else {
            uri_path(&joined)
        },
        uri_base_id: Some(SRCROOT),
    }
}

fn kind_rule(kind: Kind) -> Rule {
    let (name, short, full, level, help_md) = match kind {
        Kind::Duplicity => (
            "Duplicity",
            "Warm words, hostile deed: an actor speaks in favour of a target while acting against it.",
            "A claim with a supportive stance (at least the threshold) is paired with a deed of the same actor, toward the same target, on a shared topic and within the time window, whose effect is harmful (at most minus the threshold).",
            "error",
            "**Duplicity**: the actor's public words toward the target are warm, yet a deed done by the same actor (or by someone acting for it at the time) on a shared topic harms the target.\n\nThe result sits on the claim; the related location is the action. The message lists who said and who did it, the shared topics, the timing and the severity factors.\n\nTo resolve it, check both records against their sources (dates, scores, `attribution`, `responds_to`). If they are right the contradiction stands; to accept known findings, keep a report as a baseline (`saydo check --format json > baseline.json`, then `--baseline baseline.json`) so that only new contradictions fail the build.",
        ),
        Kind::Bluster => (
            "Bluster",
            "Hostile words, helpful deed: an actor speaks against a target while acting in its favour.",
            "A claim with a hostile stance (at most minus the threshold) is paired with a deed of the same actor, toward the same target, on a shared topic and within the time window, whose effect helps the target (at least the threshold).",
            "warning",
            "**Bluster**: the actor's public words toward the target are hostile, yet a deed done by the same actor (or by someone acting for it at the time) on a shared topic helps the target.\n\nThe result sits on the claim; the related location is the action. The message lists who said and who did it, the shared topics, the timing and the severity factors.\n\nTo resolve it, check both records against their sources (dates, scores, `attribution`, `responds_to`). If they are right the contradiction stands; to accept known findings, keep a report as a baseline (`saydo check --format json > baseline.json`, then `--baseline baseline.json`) so that only new contradictions fail the build.",
        ),
    };
    Rule {
        id: rule_id(kind),
        name: name.into(),
        short_description: text(short),
        full_description: text(full),
        help: Help {
            text: help_md.replace("**", "").replace('`', ""),
            markdown: help_md.into(),
        },
        default_configuration: Configuration { level },
        properties: RuleProperties {
            tags: vec!["say-do", "contradiction", kind.as_str()],
        },
    }
}

fn region(line: u32, column: u32) -> Region {
    Region {
        start_line: (line as usize).max(1),
        start_column: (column as usize).max(1),
        end_line: None,
        end_column: None,
    }
}

/// The SARIF printer; `path_prefix` is where the dataset lies in the
/// repository, and `has_baseline` whether a baseline was given.
pub(crate) struct SarifPrinter {
    pub path_prefix: String,
    pub has_baseline: bool,
}

impl Printer for SarifPrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        write(report, out, &self.path_prefix, self.has_baseline)
    }
}

/// Writes a report as a SARIF log. `path_prefix` is where the dataset lies
/// in the repository (`""` for its root); `has_baseline` says whether a
/// baseline was given, so that results say whether they are new.
pub fn write(
    report: &Report<'_>,
    out: &mut dyn TakesBuffers,
    path_prefix: &str,
    has_baseline: bool,
) -> io::Result<()> {
    // The contradictions, with their kind.
    let flagged: Vec<(u32, Kind)> = (0..report.pairs.len())
        .into_par_iter()
        .filter_map(|i| Some((i as u32, report.pairs[i].verdict.kind()?)))
        .collect();
    // The log without results, cut where they go: a large report has
    // millions, formatted in parallel chunks and written as they come
    // instead of held as one document.
    let mut empty = Vec::new();
    let rules = KINDS.into_iter().map(kind_rule).collect();
    write_log(Vec::new(), rules, &mut empty)?;
    const EMPTY: &[u8] = b"\"results\": []";
    let cut = empty.windows(EMPTY.len()).position(|w| w == EMPTY);
    let (Some(cut), false) = (cut, flagged.is_empty()) else {
        return out.write_all(&empty);
    };
    // Pretty-printed as serde_json does it inside the log: each result on
    // its own line, indented one level deeper than the `results` key.
    let line_start = empty[..cut]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |n| n + 1);
    let outer = &empty[line_start..cut];
    let inner = [outer, b"  "].concat();
    out.write_all(&empty[..cut + EMPTY.len() - 1])?;
    write_parallel(out, flagged.len(), |j, buf| {
        buf.extend_from_slice(if j == 0 { b"\n" } else { b",\n" });
        buf.extend_from_slice(&inner);
        let start = buf.len();
        let (i, kind) = flagged[j];
        let result = pair_result(report, i as usize, kind, path_prefix, has_baseline);
        serde_json::to_writer_pretty(&mut *buf, &result)?;
        // Strings hold no raw line breaks: every one starts a line to indent.
        let lines = buf[start..].iter().filter(|&&b| b == b'\n').count();
        if lines > 0 {
            let text = buf.split_off(start);
            buf.reserve(text.len() + lines * inner.len());
            for (k, line) in text.split(|&b| b == b'\n').enumerate() {
                if k > 0 {
                    buf.push(b'\n');
                    buf.extend_from_slice(&inner);
                }
                buf.extend_from_slice(line);
            }
        }
        Ok(())
    })?;
    out.write_all(b"\n")?;
    out.write_all(outer)?;
    out.write_all(&empty[cut + EMPTY.len() - 1..])
}

/// The SARIF result of pair `i`, a contradiction of `kind`.
fn pair_result<'a>(
    report: &'a Report<'a>,
    i: usize,
    kind: Kind,
    path_prefix: &str,
    has_baseline: bool,
) -> SarifResult<'a> {
    let data = report.data;
    let p = &report.pairs[i];
    let claim = &data.claims[p.claim as usize];
    let action = &data.actions[p.action as usize];
    let why = reasons::of(report, p);
    let known = report.is_known(i);
    let mut message = headline(report, p);
    for line in reason_lines(report, p, &why) {
        message.push('\n');
        message.push_str(&line);
    }
    let review = report.decision(i);
    let dismissed = review.is_some_and(|r| r.decision == Decision::Dismissed);
    let level = match (known || dismissed, kind) {
        (true, _) => "note",
        (false, Kind::Duplicity) => "error",
        (false, Kind::Bluster) => "warning",
    };
    SarifResult {
        rule_id: rule_id(kind),
        rule_index: kind_index(kind),
        level,
        message: message_text(message),
        locations: vec![SarifLocation {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(data.files.display_bytes(claim.at.file), path_prefix),
                region: Some(region(claim.at.line, claim.at.column)),
            },
            message: Some(message_text(format!("claim {}", claim.id))),
        }],
        related_locations: vec![SarifLocation {
            id: Some(1),
            physical_location: PhysicalLocation {
                artifact_location: artifact(data.files.display_bytes(action.at.file), path_prefix),
                region: Some(region(action.at.line, action.at.column)),
            },
            message: Some(message_text(format!(
                "action {} ({}, effect {:+}, {}): {}",
                action.id,
                action.date,
                action.score,
                action.attribution.as_str(),
                action.text
            ))),
        }],
        partial_fingerprints: BTreeMap::from([(
            PAIR_FINGERPRINT,
            fingerprint(&claim.id, &action.id, kind),
        )]),
        baseline_state: has_baseline.then_some(if known { "unchanged" } else { "new" }),
        suppressions: review
            .filter(|_| dismissed)
            .map(|r| Suppression {
                kind: "external",
                status: "accepted",
                justification: &r.reason,
                location: SarifLocation {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: artifact(
                            data.files.display_bytes(r.at.file),
                            path_prefix,
                        ),
                        region: Some(region(r.at.line, r.at.column)),
                    },
                    message: Some(message_text(format!("dismissed by {} on {}", r.by, r.date))),
                },
            })
            .into_iter()
            .collect(),
        properties: Some(PairProperties {
            severity: p.severity(),
            claim_id: &claim.id,
            action_id: &action.id,
            review: review.map(|r| r.decision.as_str()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_keeps_one_fingerprint_per_kind_of_contradiction() {
        assert_ne!(
            fingerprint("c", "a", Kind::Duplicity),
            fingerprint("c", "a", Kind::Bluster)
        );
        assert_eq!(
            fingerprint("c", "a", Kind::Duplicity),
            fingerprint("c", "a", Kind::Duplicity)
        );
    }

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        let a = artifact(b"/tmp/x y.json", "data");
        assert_eq!(a.uri, "file:///tmp/x%20y.json");
        assert!(a.uri_base_id.is_none());
        assert_eq!(artifact(b"C:/x.json", "").uri, "file:///C:/x.json");
        assert_eq!(artifact(b"claims/a.json", "data").uri, "data/claims/a.json");
        assert_eq!(
            artifact(b"claims/\xFF\xFE.json", "").uri,
            "claims/%FF%FE.json"
        );
    }
}
