//! JUnit XML (`--format junit`), for CI systems that show test results
//! (GitLab unit test reports, Jenkins, Azure Pipelines …).
//!
//! Every claim is a test case; each of its contradictions is a failure.
//!
//! ```xml
//! <testsuites name="saydo" tests="11" failures="4" errors="0" skipped="0" time="0">
//!   <testsuite name="iran" tests="4" failures="2" errors="0" skipped="0" time="0">
//!     <testcase classname="iran" name="iran-close-country" file="claims/iran.json" line="95" time="0">
//!       <failure type="duplicity" message="Duplicity: claim iran-close-country … severity 0.2829.">Duplicity: …
//! said: "Iran publicly calls Azerbaijan a close country."
//! …</failure>
//!       <system-out>verdict: mixed; 3 pairs: 1 contradiction, 2 consistent, 0 reciprocal, 0 neutral</system-out>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! Choices, and why:
//!
//! - One `<testsuite>` per actor that made claims (named by the actor's id,
//!   in id order), and `classname` is that same id: GitLab shows
//!   `classname` as the suite, and Jenkins groups by it, so both views
//!   group the claims by who made them.
//! - `name` is the claim id, unique in the dataset (GitLab keeps only the
//!   first of two test cases with the same class and name).
//! - One `<failure>` per contradiction, `type` the kind. GitLab ignores the
//!   `message` attribute and shows the element's text, so the text repeats
//!   the message on its first line, then the reasons, one a line.
//! - A contradiction the `--baseline` already has is not a failure: it is
//!   noted in `<system-out>`, as is the claim's verdict.
//! - Untested claims (no deed was paired with them) pass rather than being
//!   `<skipped/>`: nothing was left out of the check; the data simply holds
//!   no deed to hold the words against, which is not a fault. Marking them
//!   skipped would show most claims of a sparse dataset as skipped tests.
//! - `failures` counts test cases with at least one failure (the JUnit
//!   meaning), not failure elements.
//! - `time` is always 0 (checking takes no measurable time per claim, and
//!   the same data must give the same bytes).
//!
//! Text is escaped for XML 1.0: `&`, `<` and `>` everywhere, quotes in
//! attribute values, and characters XML 1.0 forbids (most C0 controls,
//! U+FFFE, U+FFFF) replaced by U+FFFD. The document is also printed in CI
//! logs and terminals, so what XML allows but would act there is written
//! as a character reference, which an XML reader takes for the character
//! itself: C1 controls and bidirectional overrides (`&#x9B;`,
//! `&#x202E;`), and line breaks and tabs from the data (`&#10;`, `&#13;`,
//! `&#9;`), so that no line of the data can start a workflow command. The
//! text of a failure or of `<system-out>` is a list of lines, escaped one
//! by one and joined with saydo's own line breaks (`escape::xml_lines`).

use crate::diag::{Diagnostic, Severity};
use crate::engine::reasons;
use crate::input::source::{FileId, Files};
use crate::output::TakesBuffers;
use crate::render::Printer;
use crate::render::common::{Placer, headline, join_path, plural, reason_lines};
use crate::render::escape;
use crate::render::write_parallel;
use crate::report::{ClaimResult, Report};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// One `<failure>`; its text is `lines`.
struct Failure {
    kind: String,
    message: String,
    lines: Vec<String>,
}

/// One `<testcase>`, ready to print.
struct Case {
    classname: String,
    name: String,
    file: Option<String>,
    line: Option<usize>,
    failures: Vec<Failure>,
    out: Vec<String>,
}

fn root_open(s: &mut String, title: &str, tests: usize, failures: usize) {
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">",
        escape::xml_attr(title)
    );
}

fn suite_open(s: &mut String, name: &str, tests: usize, failures: usize) {
    let _ = writeln!(
        s,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">",
        escape::xml_attr(name)
    );
}

fn case_into(s: &mut String, case: &Case) {
    let _ = write!(
        s,
        "    <testcase classname=\"{}\" name=\"{}\"",
        escape::xml_attr(&case.classname),
        escape::xml_attr(&case.name)
    );
    if let Some(file) = &case.file {
        let _ = write!(s, " file=\"{}\"", escape::xml_attr(file));
    }
    if let Some(line) = case.line {
        let _ = write!(s, " line=\"{line}\"");
    }
    s.push_str(" time=\"0\"");
    if case.failures.is_empty() && case.out.is_empty() {
        s.push_str("/>\n");
        return;
    }
    s.push_str(">\n");
    for f in &case.failures {
        let _ = writeln!(
            s,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            escape::xml_attr(&f.kind),
            escape::xml_attr(&f.message),
            escape::xml_lines(&f.lines)
        );
    }
    if !case.out.is_empty() {
        let _ = writeln!(
            s,
            "      <system-out>{}</system-out>",
            escape::xml_lines(&case.out)
        );
    }
    s.push_str("    </testcase>\n");
}

const SUITE_CLOSE: &str = "  </testsuite>\n";
const ROOT_CLOSE: &str = "</testsuites>\n";

/// `verdict: mixed; 3 pairs: 1 contradiction, 2 consistent, 0 reciprocal, 0 neutral`.
fn verdict_line(r: &ClaimResult) -> String {
    format!(
        "verdict: {}; {}: {}, {} consistent, {} reciprocal, {} neutral",
        r.verdict.as_str(),
        plural(r.pairs, "pair", "pairs"),
        plural(r.contradictions, "contradiction", "contradictions"),
        r.consistent,
        r.reciprocal,
        r.neutral
    )
}

/// The JUnit printer; `path_prefix` is where the dataset lies in the
/// repository.
pub(crate) struct JunitPrinter {
    pub path_prefix: String,
}

impl Printer for JunitPrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        write(report, out, &self.path_prefix)
    }
}

/// Writes a report as JUnit XML. `path_prefix` is where the dataset lies in
/// the repository (`""` for its root), so that `file` attributes are paths
/// from the repository root.
pub fn write(report: &Report<'_>, out: &mut dyn TakesBuffers, path_prefix: &str) -> io::Result<()> {
    let data = report.data;
    // Contradictions of each claim, in the report's order (by action id).
    let mut by_claim: Vec<Vec<usize>> = vec![Vec::new(); data.claims.len()];
    for (i, p) in report.pairs.iter().enumerate() {
        if p.verdict.is_contradiction() {
            by_claim[p.claim as usize].push(i);
        }
    }
    let fails = |r: &ClaimResult| {
        by_claim[r.claim as usize]
            .iter()
            .any(|&i| !report.is_known(i))
    };
    // Claims by actor id; counts first, since they head the document.
    let mut suites: BTreeMap<&str, Vec<&ClaimResult>> = BTreeMap::new();
    for r in &report.claims {
        let claim = &data.claims[r.claim as usize];
        suites
            .entry(data.actors[claim.actor as usize].id.as_str())
            .or_default()
            .push(r);
    }
    let failing = report.claims.iter().filter(|r| fails(r)).count();
    let mut head = String::new();
    root_open(&mut head, "saydo", report.claims.len(), failing);
    out.write_all(head.as_bytes())?;
    // The document as a list of parts, each suite's opening, its cases and
    // its closing, formatted in parallel chunks and written in order: a
    // large report has a hundred thousand cases.
    let mut parts: Vec<Part<'_>> = Vec::with_capacity(report.claims.len() + 2 * suites.len());
    for (actor, claims) in suites {
        let failures = claims.iter().filter(|r| fails(r)).count();
        parts.push(Part::Open(actor, claims.len(), failures));
        parts.extend(claims.into_iter().map(|r| Part::Case(actor, r)));
        parts.push(Part::Close);
    }
    write_parallel(out, parts.len(), |k, buf| {
        let mut s = String::new();
        match parts[k] {
            Part::Open(actor, tests, failures) => suite_open(&mut s, actor, tests, failures),
            Part::Case(actor, r) => case_into(
                &mut s,
                &claim_case(report, r, actor, &by_claim[r.claim as usize], path_prefix),
            ),
            Part::Close => s.push_str(SUITE_CLOSE),
        }
        buf.extend_from_slice(s.as_bytes());
        Ok(())
    })?;
    out.write_all(ROOT_CLOSE.as_bytes())
}

/// A piece of the report's document: a suite's opening (its actor, tests
/// and failures), one of its cases, or its closing.
#[derive(Clone, Copy)]
enum Part<'r> {
    Open(&'r str, usize, usize),
    Case(&'r str, &'r ClaimResult),
    Close,
}

/// A claim's test case: a failure per contradiction not in the baseline.
fn claim_case(
    report: &Report<'_>,
    r: &ClaimResult,
    actor: &str,
    contradictions: &[usize],
    path_prefix: &str,
) -> Case {
    let data = report.data;
    let claim = &data.claims[r.claim as usize];
    let mut case = Case {
        classname: actor.to_string(),
        name: claim.id.to_string(),
        file: Some(join_path(path_prefix, data.files.display(claim.at.file))),
        line: Some(claim.at.line as usize),
        failures: Vec::new(),
        out: vec![verdict_line(r)],
    };
    for &i in contradictions {
        let p = &report.pairs[i];
        let kind = p.verdict.kind().map_or("contradiction", |k| k.as_str());
        let message = headline(report, p);
        if report.is_known(i) {
            case.out
                .push(format!("known in the baseline, not a failure: {message}"));
            continue;
        }
        let why = reasons::of(report, p);
        let mut lines = vec![message.clone()];
        lines.extend(reason_lines(report, p, &why));
        case.failures.push(Failure {
            kind: kind.to_string(),
            message,
            lines,
        });
    }
    case
}

/// Writes validation problems as JUnit XML, in one suite `saydo validate`:
/// a test case `dataset` for problems of the whole dataset (it passes when
/// there are none), then one test case per file with problems, in the order
/// files were read. Each error is a failure (`type` is its code); warnings
/// are not failures and go to `<system-out>`.
pub fn write_problems(
    problems: &[Diagnostic],
    files: &Files,
    path_prefix: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut placer = Placer::new(files);
    let mut by_file: BTreeMap<Option<FileId>, Vec<&Diagnostic>> = BTreeMap::new();
    by_file.entry(None).or_default();
    for d in problems {
        by_file.entry(d.file).or_default().push(d);
    }
    let mut cases = Vec::new();
    for (file, diags) in by_file {
        let path = file.map(|f| join_path(path_prefix, files.display(f)));
        let mut case = Case {
            classname: "validate".into(),
            name: path.clone().unwrap_or_else(|| "dataset".into()),
            file: path.clone(),
            line: None,
            failures: Vec::new(),
            out: Vec::new(),
        };
        for d in diags {
            let at = match d.file {
                Some(f) => {
                    let place = placer.place(f, &d.span);
                    format!(
                        "{}:{}:{}: ",
                        join_path(path_prefix, &place.file),
                        place.line,
                        place.column
                    )
                }
                None => String::new(),
            };
            let mut lines = vec![format!(
                "{at}{}[{}]: {}",
                d.severity.as_str(),
                d.code.as_str(),
                d.message
            )];
            if let Some(hint) = &d.hint {
                lines.push(format!("hint: {hint}"));
            }
            for note in &d.notes {
                let place = placer.place(note.file, &note.span);
                lines.push(format!(
                    "note: {}: {}:{}:{}",
                    note.message,
                    join_path(path_prefix, &place.file),
                    place.line,
                    place.column
                ));
            }
            match d.severity {
                Severity::Error => case.failures.push(Failure {
                    kind: d.code.as_str().to_string(),
                    message: d.message.clone(),
                    lines,
                }),
                Severity::Warning => case.out.extend(lines),
            }
        }
        cases.push(case);
    }
    let failing = cases.iter().filter(|c| !c.failures.is_empty()).count();
    let mut s = String::new();
    root_open(&mut s, "saydo", cases.len(), failing);
    suite_open(&mut s, "saydo validate", cases.len(), failing);
    for case in &cases {
        case_into(&mut s, case);
    }
    s.push_str(SUITE_CLOSE);
    s.push_str(ROOT_CLOSE);
    out.write_all(s.as_bytes())
}
