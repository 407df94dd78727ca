//! `saydo validate`: every problem of a dataset, in the format asked for.

use super::*;
use crate::diag::Diagnostic;
use crate::input::source::Files;
use crate::model::Dataset;
use crate::render::style::Style;
use crate::render::{self, ProblemFormat, problems};
use crate::validate::{self, Invalid};
use std::io;
use std::path::{Path, PathBuf};

/// The `--format json` of `saydo validate`.
#[derive(serde::Serialize)]
pub(super) struct ValidationJson<'a> {
    schema_version: &'static str,
    valid: bool,
    errors: usize,
    warnings: usize,
    problems: Vec<problems::ProblemJson>,
    /// Where each proven quote was found.
    quotes: Vec<QuoteJson<'a>>,
    counts: Option<CountsJson>,
}

#[derive(serde::Serialize)]
pub(super) struct QuoteJson<'a> {
    record: &'a str,
    kind: &'static str,
    document: &'a str,
    line: u32,
}

#[derive(serde::Serialize)]
pub(super) struct CountsJson {
    actors: usize,
    claims: usize,
    actions: usize,
    topics: usize,
}

pub(super) fn validate(
    dataset: &Path,
    format: ProblemFormat,
    output: Option<&PathBuf>,
    io: &mut Io<'_>,
) -> io::Result<Status> {
    let loaded = validate::load(dataset);
    let (files, problems, data): (&Files, &[Diagnostic], Option<&Dataset>) = match &loaded {
        Ok(d) => (&d.files, &d.warnings, Some(d)),
        Err(Invalid { files, problems }) => (files, problems, None),
    };
    let (errors, warnings) = counts(problems);
    let status = if data.is_some() {
        Status::Success
    } else {
        Status::Error
    };
    let written = match format {
        ProblemFormat::Table => {
            let style = if output.is_some() {
                Style::PLAIN
            } else {
                io.colors.stdout
            };
            let mut text = problems::human(problems, files, style);
            match data {
                Some(d) => text.push_str(&format!(
                    "valid: {}{}\n",
                    summary(d),
                    if warnings > 0 {
                        format!(" ({})", plural(warnings, "warning"))
                    } else {
                        String::new()
                    }
                )),
                None => text.push_str(&format!(
                    "invalid: {} and {} in {}\n",
                    plural(errors, "error"),
                    plural(warnings, "warning"),
                    dataset.display()
                )),
            }
            emit(output, io, |w| w.write_all(text.as_bytes()))?
        }
        ProblemFormat::Json => {
            let mut quotes = Vec::new();
            if let Some(d) = data {
                for (kind, records) in [("claim", &d.claims), ("action", &d.actions)] {
                    for r in records.iter() {
                        let e = r.extra();
                        if let (Some(doc), Some(line)) = (&e.document, e.quote_line) {
                            quotes.push(QuoteJson {
                                record: &r.id,
                                kind,
                                document: doc,
                                line,
                            });
                        }
                    }
                }
                quotes.sort_by(|a, b| a.record.cmp(b.record));
            }
            let doc = ValidationJson {
                schema_version: "1",
                valid: data.is_some(),
                errors,
                warnings,
                problems: problems::to_json(problems, files),
                quotes,
                counts: data.map(|d| CountsJson {
                    actors: d.actors.len(),
                    claims: d.claims.len(),
                    actions: d.actions.len(),
                    topics: d.topics.len(),
                }),
            };
            emit(output, io, |w| {
                serde_json::to_writer_pretty(&mut *w, &doc)?;
                w.write_all(b"\n")
            })?
        }
        ProblemFormat::Github => emit(output, io, |w| {
            render::github::write_problems(problems, files, &prefix(dataset), w)
        })?,
        ProblemFormat::Sarif => emit(output, io, |w| {
            render::sarif::write_problems(problems, files, &prefix(dataset), w)
        })?,
        ProblemFormat::Junit => emit(output, io, |w| {
            render::junit::write_problems(problems, files, &prefix(dataset), w)
        })?,
    };
    Ok(if written { status } else { Status::Error })
}
