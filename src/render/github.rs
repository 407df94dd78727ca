//! GitHub Actions annotations (`--format github`): workflow commands that
//! the runner turns into annotations on the files of a pull request.
//!
//! Each contradiction becomes one command at its claim's place: `::error`
//! for duplicity (warm words, hostile deed), `::warning` for bluster, and
//! `::notice` for a pair the `--baseline` already has, so known findings
//! stay visible without reading as new. Other verdicts give no command. A
//! last `::notice::` line gives the totals. Commands come most severe
//! first, because GitHub shows only the first few annotations of each kind
//! per step.
//!
//! A command is one line, `::name key=value,key=value::message`, and the
//! runner reads it before anything else sees the data, so every value is
//! escaped as `@actions/core` does: in the message (`escapeData`,
//! `github_data`) `%`, CR and LF become `%25`, `%0D` and `%0A`; in
//! properties (`escapeProperty`, `github_property`) `:` and `,` also
//! become `%3A` and `%2C`. No record text, name or file
//! name can end a command, add a property or start a second command. Then,
//! since the command is also a line of a log shown in terminals, the other
//! control characters and bidirectional overrides left are written as
//! visible escapes such as `\u{1b}` (`inert`).
//!
//! Paths in reports are relative to the dataset folder; annotations need
//! them relative to the repository, so the caller gives `path_prefix`, the
//! dataset folder relative to the repository root (`""`, `"data"` or
//! `"data/"`), which is joined to each path with `/`.

use crate::diag::{Diagnostic, Severity};
use crate::engine::reasons::{self, path_text, timing_text};
use crate::engine::score::Kind;
use crate::input::source::Files;
use crate::model::Decision;
use crate::output::TakesBuffers;
use crate::render::Printer;
use crate::render::common::{self, Counted, Placer, clip, totals};
use crate::render::escape::{github_data, github_property, inert};
use crate::render::write_parallel;
use crate::report::Report;
use std::io::{self, Write};

/// Characters of a record's text quoted in a message.
const TEXT_CHARS: usize = 200;

/// A dataset path as a path in the repository: `prefix/path`, or `path`
/// alone when the prefix is empty (or `.`) or the path is absolute.
pub(crate) fn repo_path(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_start_matches("./").trim_end_matches('/');
    let b = path.as_bytes();
    let absolute =
        path.starts_with('/') || (b.len() > 1 && b[0].is_ascii_alphabetic() && b[1] == b':');
    if prefix.is_empty() || prefix == "." || absolute {
        path.to_string()
    } else {
        format!("{prefix}/{path}")
    }
}

/// Writes one workflow command line.
fn command(
    out: &mut dyn Write,
    name: &str,
    properties: &[(&str, String)],
    message: &str,
) -> io::Result<()> {
    let props = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", inert(&github_property(v))))
        .collect::<Vec<_>>()
        .join(",");
    let sep = if props.is_empty() { "" } else { " " };
    writeln!(
        out,
        "::{name}{sep}{props}::{}",
        inert(&github_data(message))
    )
}

/// The GitHub Actions printer; `path_prefix` is where the dataset lies in
/// the repository.
pub(crate) struct GithubPrinter {
    pub path_prefix: String,
}

impl Printer for GithubPrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        write(report, out, &self.path_prefix)
    }
}

/// Writes the report as workflow commands.
pub fn write(report: &Report<'_>, out: &mut dyn TakesBuffers, path_prefix: &str) -> io::Result<()> {
    write_annotations(report, out, path_prefix)?;
    write_totals(report, out)
}

/// Writes a command for each contradiction of the report's `pairs`, most
/// severe first: all of them, or a batch of them handed on by
/// [`crate::report::check_flagged`].
pub fn write_annotations(
    report: &Report<'_>,
    out: &mut dyn TakesBuffers,
    path_prefix: &str,
) -> io::Result<()> {
    let data = report.data;
    let flagged = report.flagged_indices();
    // A large dataset has millions of contradictions: their commands are
    // formatted in parallel chunks and written in order.
    write_parallel(out, flagged.len(), |j, out| {
        let i = flagged[j];
        let p = &report.pairs[i];
        let Some(kind) = p.verdict.kind() else {
            return Ok(());
        };
        let is_known = report.is_known(i);
        let decision = report.decision(i).map(|r| r.decision);
        let name = match (is_known || decision == Some(Decision::Dismissed), kind) {
            (true, _) => "notice",
            (false, Kind::Duplicity) => "error",
            (false, Kind::Bluster) => "warning",
        };
        let claim = &data.claims[p.claim as usize];
        let action = &data.actions[p.action as usize];
        let why = reasons::of(report, p);
        let topics = if why.topics.is_empty() {
            "none (a general stance)".to_string()
        } else {
            common::topic_names(report, &why.topics)
        };
        let title = format!(
            "saydo: {} (severity {:.4}{}{})",
            kind.as_str(),
            p.severity(),
            decision.map_or(String::new(), |d| format!(", {}", d.as_str())),
            if is_known { ", known" } else { "" }
        );
        let message = format!(
            "Claim {} ({}, stance {:+}): \"{}\"\n\
             contradicted by action {} ({}, effect {:+}, {}) at {}:{}: \"{}\"\n\
             said by: {}\n\
             done by: {}\n\
             topics: {}\n\
             timing: {}",
            claim.id,
            claim.date,
            claim.score,
            clip(&claim.text, TEXT_CHARS),
            action.id,
            action.date,
            action.score,
            action.attribution.as_str(),
            repo_path(path_prefix, data.files.display(action.at.file)),
            action.at.line,
            clip(&action.text, TEXT_CHARS),
            path_text(data, &why.claim_path),
            path_text(data, &why.action_path),
            topics,
            timing_text(why.gap_days, why.order),
        );
        let message = match common::decision_line(report, p) {
            Some(line) => format!("{message}\nreview: {line}"),
            None => message,
        };
        command(
            out,
            name,
            &[
                (
                    "file",
                    repo_path(path_prefix, data.files.display(claim.at.file)),
                ),
                ("line", claim.at.line.to_string()),
                ("col", claim.at.column.to_string()),
                ("title", title),
            ],
            &message,
        )
    })
}

/// Writes the last command: the totals of the check.
pub fn write_totals(report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    let data = report.data;
    let t = totals(report);
    let known = if report.has_baseline() {
        format!(
            ", {} known from the baseline",
            report.known_contradictions()
        )
    } else {
        String::new()
    };
    let counted = Counted::of(report, &t);
    let reviewed = match common::review_counts(report) {
        Some(line) if !data.reviews.is_empty() => format!("\n{line}"),
        _ => String::new(),
    };
    command(
        out,
        "notice",
        &[],
        &(format!(
            "saydo check: {}, {}, {} → {}: {} ({} duplicity, {} bluster{known}), {} consistent, {} reciprocal, {} neutral",
            counted.claims,
            counted.actions,
            counted.actors,
            counted.pairs,
            counted.contradictions,
            t.duplicity,
            t.bluster,
            t.consistent,
            t.reciprocal,
            t.neutral,
        ) + &reviewed),
    )
}

/// Writes validation problems as workflow commands: `::error` or
/// `::warning` at the problem's place, titled with its code, the message
/// followed by the hint and notes.
pub fn write_problems(
    problems: &[Diagnostic],
    files: &Files,
    path_prefix: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut placer = Placer::new(files);
    for d in problems {
        let name = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(file) = d.file {
            let place = placer.place(file, &d.span);
            properties.extend([
                ("file", repo_path(path_prefix, &place.file)),
                ("line", place.line.to_string()),
                ("col", place.column.to_string()),
                ("endLine", place.end_line.to_string()),
                ("endColumn", place.end_column.to_string()),
            ]);
        }
        properties.push(("title", format!("saydo: {}", d.code.as_str())));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        for note in &d.notes {
            let place = placer.place(note.file, &note.span);
            message.push_str(&format!(
                "\nnote: {} at {}:{}:{}",
                note.message,
                repo_path(path_prefix, &place.file),
                place.line,
                place.column
            ));
        }
        command(out, name, &properties, &message)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_joined_to_the_prefix() {
        assert_eq!(repo_path("", "claims/a.json"), "claims/a.json");
        assert_eq!(repo_path(".", "claims/a.json"), "claims/a.json");
        assert_eq!(repo_path("./", "claims/a.json"), "claims/a.json");
        assert_eq!(repo_path("data", "claims/a.json"), "data/claims/a.json");
        assert_eq!(repo_path("data/", "claims/a.json"), "data/claims/a.json");
        assert_eq!(repo_path("./data/", "claims/a.json"), "data/claims/a.json");
        assert_eq!(repo_path("data", "/abs/a.json"), "/abs/a.json");
    }
}
