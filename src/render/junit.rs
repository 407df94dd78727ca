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
//!
//! quick-xml writes the elements, given values escaped as above (its own
//! escaping covers markup, not what acts in a CI log). quick-junit was
//! tried and cannot produce these bytes: it holds one failure per test
//! case where saydo writes one per contradiction, orders and formats
//! attributes its own way (`name` before `classname`, `time="0.000"`),
//! indents by four, drops control characters (C1 included) and writes
//! bidirectional overrides raw, where saydo writes character references.

use crate::diag::{Diagnostic, Severity};
use crate::engine::reasons;
use crate::input::source::{FileId, Files};
use crate::output::TakesBuffers;
use crate::render::Printer;
use crate::render::common::{Placer, decision_line, headline, join_path, plural, reason_lines};
use crate::render::escape;
use crate::render::write_parallel;
use crate::report::{ClaimResult, Report};
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use std::borrow::Cow;
use std::collections::BTreeMap;
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

/// An attribute whose value is already escaped (`escape::xml_attr`):
/// quick-xml's own escaping covers markup only, not what acts in a CI log.
fn attr<'a>(key: &'a str, value: impl Into<Cow<'a, str>>) -> Attribute<'a> {
    Attribute {
        key: QName(key),
        value: value.into(),
    }
}

/// The counts every `<testsuites>` and `<testsuite>` carries.
fn counted<'a>(name: &'a str, title: &str, tests: usize, failures: usize) -> BytesStart<'a> {
    let mut tag = BytesStart::new(name);
    tag.push_attribute(attr("name", escape::xml_attr(title)));
    tag.push_attribute(attr("tests", tests.to_string()));
    tag.push_attribute(attr("failures", failures.to_string()));
    tag.push_attribute(attr("errors", "0"));
    tag.push_attribute(attr("skipped", "0"));
    tag.push_attribute(attr("time", "0"));
    tag
}

/// Writes `event` on a line of its own, indented by `indent`.
fn line(w: &mut Writer<&mut Vec<u8>>, indent: &[u8], event: Event<'_>) -> io::Result<()> {
    w.get_mut().extend_from_slice(indent);
    w.write_event(event)?;
    w.get_mut().push(b'\n');
    Ok(())
}

/// An element holding text (escaped by `escape::xml_lines`), on one line.
fn text_line(w: &mut Writer<&mut Vec<u8>>, tag: BytesStart<'_>, text: &[String]) -> io::Result<()> {
    let end = tag.to_end().into_owned();
    w.get_mut().extend_from_slice(b"      ");
    w.write_event(Event::Start(tag))?;
    w.write_event(Event::Text(BytesText::from_escaped(escape::xml_lines(
        text,
    ))))?;
    w.write_event(Event::End(end))?;
    w.get_mut().push(b'\n');
    Ok(())
}

fn root_open(out: &mut Vec<u8>, title: &str, tests: usize, failures: usize) -> io::Result<()> {
    let mut w = Writer::new(out);
    line(
        &mut w,
        b"",
        Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)),
    )?;
    line(
        &mut w,
        b"",
        Event::Start(counted("testsuites", title, tests, failures)),
    )
}

fn suite_open(out: &mut Vec<u8>, name: &str, tests: usize, failures: usize) -> io::Result<()> {
    let mut w = Writer::new(out);
    line(
        &mut w,
        b"  ",
        Event::Start(counted("testsuite", name, tests, failures)),
    )
}

fn case_into(out: &mut Vec<u8>, case: &Case) -> io::Result<()> {
    let mut w = Writer::new(out);
    let mut tag = BytesStart::new("testcase");
    tag.push_attribute(attr("classname", escape::xml_attr(&case.classname)));
    tag.push_attribute(attr("name", escape::xml_attr(&case.name)));
    if let Some(file) = &case.file {
        tag.push_attribute(attr("file", escape::xml_attr(file)));
    }
    if let Some(n) = case.line {
        tag.push_attribute(attr("line", n.to_string()));
    }
    tag.push_attribute(attr("time", "0"));
    if case.failures.is_empty() && case.out.is_empty() {
        return line(&mut w, b"    ", Event::Empty(tag));
    }
    let end = tag.to_end().into_owned();
    line(&mut w, b"    ", Event::Start(tag))?;
    for f in &case.failures {
        let mut tag = BytesStart::new("failure");
        tag.push_attribute(attr("type", escape::xml_attr(&f.kind)));
        tag.push_attribute(attr("message", escape::xml_attr(&f.message)));
        text_line(&mut w, tag, &f.lines)?;
    }
    if !case.out.is_empty() {
        text_line(&mut w, BytesStart::new("system-out"), &case.out)?;
    }
    line(&mut w, b"    ", Event::End(end))
}

fn suite_close(out: &mut Vec<u8>) -> io::Result<()> {
    line(
        &mut Writer::new(out),
        b"  ",
        Event::End(BytesEnd::new("testsuite")),
    )
}

fn root_close(out: &mut Vec<u8>) -> io::Result<()> {
    line(
        &mut Writer::new(out),
        b"",
        Event::End(BytesEnd::new("testsuites")),
    )
}

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
            .any(|&i| !report.is_known(i) && !report.is_dismissed(i))
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
    let mut head = Vec::new();
    root_open(&mut head, "saydo", report.claims.len(), failing)?;
    out.write_all(&head)?;
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
    write_parallel(out, parts.len(), |k, buf| match parts[k] {
        Part::Open(actor, tests, failures) => suite_open(buf, actor, tests, failures),
        Part::Case(actor, r) => case_into(
            buf,
            &claim_case(report, r, actor, &by_claim[r.claim as usize], path_prefix),
        ),
        Part::Close => suite_close(buf),
    })?;
    let mut tail = Vec::new();
    root_close(&mut tail)?;
    out.write_all(&tail)
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
        if report.is_dismissed(i) {
            let line = decision_line(report, p).unwrap_or_default();
            case.out.push(format!("{line}; not a failure: {message}"));
            continue;
        }
        let why = reasons::of(report, p);
        let mut lines = vec![message.clone()];
        lines.extend(reason_lines(report, p, &why));
        lines.extend(decision_line(report, p).map(|l| format!("review: {l}")));
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
    let mut s = Vec::new();
    root_open(&mut s, "saydo", cases.len(), failing)?;
    suite_open(&mut s, "saydo validate", cases.len(), failing)?;
    for case in &cases {
        case_into(&mut s, case)?;
    }
    suite_close(&mut s)?;
    root_close(&mut s)?;
    out.write_all(&s)
}
