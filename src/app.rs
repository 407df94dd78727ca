//! Running a command: a resolved [`Config`] in, bytes to standard output
//! and standard error and an exit [`Status`] out. The binary only parses
//! flags, calls [`run`] and exits; tests call [`run`] directly.

use crate::diag::Diagnostic;
use crate::load::{self, Invalid};
use crate::model::{Dataset, normalize_topic};
use crate::pair::Settings;
use crate::render::style::Style;
use crate::render::{self, Format, ProblemFormat, problems};
use crate::report::{self, Filters, Report};
use crate::source::Files;
use crate::suggest;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How a run ended, as the exit status CI scripts rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 0: valid data, nothing over the gate.
    Success,
    /// 1: valid data, findings over `--fail-on`.
    Findings,
    /// 2: invalid data or usage.
    Error,
}

impl Status {
    pub fn code(self) -> i32 {
        match self {
            Status::Success => 0,
            Status::Findings => 1,
            Status::Error => 2,
        }
    }
}

/// Whether standard output and standard error get colour.
#[derive(Clone, Copy, Debug, Default)]
pub struct Colors {
    pub stdout: Style,
    pub stderr: Style,
}

/// What to gate on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gate {
    None,
    Contradiction,
    Duplicity,
}

/// A resolved command.
#[derive(Clone, Debug)]
pub enum Config {
    Validate {
        dataset: PathBuf,
        format: ProblemFormat,
        output: Option<PathBuf>,
    },
    Check(CheckConfig),
    Explain {
        dataset: PathBuf,
        claim: String,
        action: Option<String>,
        settings: Settings,
    },
    /// Print a JSON Schema: of a JSON Lines line when `line`, else of the report.
    Schema {
        line: bool,
    },
}

/// Everything `saydo check` needs.
#[derive(Clone, Debug)]
pub struct CheckConfig {
    pub dataset: PathBuf,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub gate: Gate,
    pub min_severity: f64,
    pub baseline: Option<PathBuf>,
    pub settings: Settings,
    /// Filters as written (resolved against the dataset when it is loaded).
    pub actor: Option<String>,
    pub topic: Option<String>,
    pub since: Option<crate::date::PartialDate>,
    pub until: Option<crate::date::PartialDate>,
    pub limit: usize,
    pub width: usize,
    /// With `--format github`, also append the Markdown report to this file
    /// (GitHub Actions' `GITHUB_STEP_SUMMARY`).
    pub step_summary: Option<PathBuf>,
}

/// Where a run writes.
pub struct Io<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub colors: Colors,
    /// Told how a long run advances (a progress bar, or nothing).
    pub progress: &'a dyn crate::progress::Progress,
    /// The process ends right after the run: large data need not be
    /// freed piece by piece (the binary sets this; a library caller
    /// running checks in a long-lived process must not).
    pub exits_after: bool,
}

/// Runs a command. I/O errors writing to standard output are returned so
/// the binary can treat a closed pipe as a normal end.
pub fn run(config: &Config, io: &mut Io<'_>) -> io::Result<Status> {
    match config {
        Config::Validate {
            dataset,
            format,
            output,
        } => validate(dataset, *format, output.as_ref(), io),
        Config::Check(c) => check(c, io),
        Config::Explain {
            dataset,
            claim,
            action,
            settings,
        } => explain(dataset, claim, action.as_deref(), *settings, io),
        Config::Schema { line } => {
            let text = if *line {
                crate::schema::line()
            } else {
                crate::schema::report()
            };
            io.stdout.write_all(text.as_bytes())?;
            Ok(Status::Success)
        }
    }
}

fn usage(io: &mut Io<'_>, message: &str, hint: Option<String>) -> io::Result<Status> {
    writeln!(io.stderr, "error: {message}")?;
    if let Some(h) = hint {
        writeln!(io.stderr, "  = hint: {h}")?;
    }
    Ok(Status::Error)
}

/// The dataset folder as a path relative to the working folder (the
/// repository root in CI), for locations in annotations and SARIF.
fn prefix(dataset: &Path) -> String {
    let relative = match std::env::current_dir() {
        Ok(cwd) if dataset.is_absolute() => dataset
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| dataset.to_path_buf()),
        _ => dataset.to_path_buf(),
    };
    render::common::path_prefix(&relative)
}

/// Writes `bytes` to `--output` atomically, or to standard output.
fn emit(
    output: Option<&PathBuf>,
    io: &mut Io<'_>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<bool> {
    match output {
        Some(path) => match crate::output::write_atomically(path, write) {
            Ok(()) => Ok(true),
            Err(e) => {
                writeln!(io.stderr, "error: cannot write {}: {e}", path.display())?;
                Ok(false)
            }
        },
        // A reader that left early (`saydo check | head`) is not an error;
        // the exit status still says what the data was.
        None => match write(io.stdout).and_then(|()| io.stdout.flush()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e),
            _ => Ok(true),
        },
    }
}

/// A summary line for a validated dataset.
fn summary(data: &Dataset) -> String {
    format!(
        "{} actors, {} claims, {} actions, {} topics",
        data.actors.len(),
        data.claims.len(),
        data.actions.len(),
        data.topics.len()
    )
}

fn counts(problems: &[Diagnostic]) -> (usize, usize) {
    let errors = problems.iter().filter(|d| d.is_error()).count();
    (errors, problems.len() - errors)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The `--format json` of `saydo validate`.
#[derive(serde::Serialize)]
struct ValidationJson<'a> {
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
struct QuoteJson<'a> {
    record: &'a str,
    kind: &'static str,
    document: &'a str,
    line: u32,
}

#[derive(serde::Serialize)]
struct CountsJson {
    actors: usize,
    claims: usize,
    actions: usize,
    topics: usize,
}

fn validate(
    dataset: &Path,
    format: ProblemFormat,
    output: Option<&PathBuf>,
    io: &mut Io<'_>,
) -> io::Result<Status> {
    let loaded = load::load(dataset);
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

/// Loads a dataset, or writes its problems to standard error.
fn load_or_report(dataset: &Path, io: &mut Io<'_>) -> io::Result<Option<Dataset>> {
    let loaded = load::load_with(dataset, io.progress);
    if loaded.is_err() {
        io.progress.finish();
    }
    match loaded {
        Ok(d) => Ok(Some(d)),
        Err(Invalid { files, problems }) => {
            let (errors, warnings) = counts(&problems);
            let text = problems::human(&problems, &files, io.colors.stderr);
            // Standard error may be closed; the exit status still says 2.
            let _ = io.stderr.write_all(text.as_bytes());
            let _ = writeln!(
                io.stderr,
                "invalid: {} and {} in {}; no report written",
                plural(errors, "error"),
                plural(warnings, "warning"),
                dataset.display()
            );
            Ok(None)
        }
    }
}

/// Resolves the filters against the dataset.
fn filters(config: &CheckConfig, data: &Dataset) -> Result<Filters, (String, Option<String>)> {
    let mut f = Filters {
        since: config.since,
        until: config.until,
        ..Filters::default()
    };
    if let Some(name) = &config.actor {
        let registry = crate::actors::Registry::build(&data.actors);
        match registry.lookup(name) {
            crate::actors::Lookup::Found(ix) => f.actor = Some(ix),
            crate::actors::Lookup::Ambiguous(ixs) => {
                let ids: Vec<&str> = ixs
                    .iter()
                    .map(|&i| data.actors[i as usize].id.as_str())
                    .collect();
                return Err((
                    format!(
                        "--actor \"{name}\" names more than one actor: {}",
                        ids.join(", ")
                    ),
                    Some("use an id".into()),
                ));
            }
            crate::actors::Lookup::Unknown { suggestion } => {
                return Err((
                    format!("--actor: no actor is named \"{name}\""),
                    suggestion.map(|(s, _)| format!("did you mean \"{s}\"?")),
                ));
            }
        }
    }
    if let Some(topic) = &config.topic {
        let norm = normalize_topic(topic);
        match data.topics.binary_search(&norm) {
            Ok(ix) => f.topic = Some(ix as u32),
            Err(_) => {
                let near = suggest::closest(&norm, data.topics.iter().map(String::as_str));
                return Err((
                    format!("--topic: no record has the topic \"{topic}\""),
                    near.map(|n| format!("did you mean \"{n}\"?")),
                ));
            }
        }
    }
    Ok(f)
}

/// Warnings `check` shows in full before it only counts the rest: a run
/// is about its findings, `validate` lists every warning, and showing one
/// reads its file back.
const WARNINGS_SHOWN: usize = 10;

/// The dataset's first [`WARNINGS_SHOWN`] warnings, for people, and a line
/// that counts the others by code.
fn warnings_in_brief(data: &Dataset, dataset: &Path, style: Style) -> String {
    let (shown, rest) = data
        .warnings
        .split_at(data.warnings.len().min(WARNINGS_SHOWN));
    let mut text = problems::human(shown, &data.files, style);
    if !rest.is_empty() {
        let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
        for w in rest {
            *by_code.entry(w.code.as_str()).or_default() += 1;
        }
        let counts: Vec<String> = by_code
            .iter()
            .map(|(code, n)| format!("{n} {code}"))
            .collect();
        text.push_str(&format!(
            "… and {} more {} ({}); `saydo validate {}` lists them all\n\n",
            rest.len(),
            if rest.len() == 1 {
                "warning"
            } else {
                "warnings"
            },
            counts.join(", "),
            render::escape::inert(&dataset.display().to_string())
        ));
    }
    text
}

fn check(config: &CheckConfig, io: &mut Io<'_>) -> io::Result<Status> {
    let Some(data) = load_or_report(&config.dataset, io)? else {
        return Ok(Status::Error);
    };
    if !data.warnings.is_empty() {
        io.progress.finish();
    }
    let filters = match filters(config, &data) {
        Ok(f) => f,
        Err((message, hint)) => return usage(io, &message, hint),
    };
    if !data.warnings.is_empty() {
        let text = warnings_in_brief(&data, &config.dataset, io.colors.stderr);
        let _ = io.stderr.write_all(text.as_bytes());
    }
    io.progress.stage("pairing", 0);
    let mut report = report::check(&data, config.settings, filters);
    if let Some(path) = &config.baseline {
        match crate::baseline::Baseline::read(path) {
            Ok(b) => report.mark_known(&b),
            Err(message) => {
                return usage(
                    io,
                    &message,
                    Some("give a report written by saydo check --format json".into()),
                );
            }
        }
    }
    let style = if config.output.is_some() {
        Style::PLAIN
    } else {
        io.colors.stdout
    };
    io.progress.stage("writing", 0);
    // A report on standard output must not mix with the bar.
    if config.output.is_none() {
        io.progress.finish();
    }
    let written = emit(config.output.as_ref(), io, |w| {
        crate::output::pipelined(w, |w| write_report(&report, config, style, w))
    })?;
    io.progress.finish();
    if !written {
        return Ok(Status::Error);
    }
    if let (Format::Github, Some(path)) = (config.format, &config.step_summary)
        && let Err(e) = append_summary(&report, config, path)
    {
        writeln!(
            io.stderr,
            "warning: cannot append the job summary to {}: {e}",
            path.display()
        )?;
    }
    let status = gate(&report, config);
    if io.exits_after {
        // Freeing millions of records one by one takes a noticeable part
        // of a large run (0.3 s of 9 on the large benchmark set); the
        // process is about to end, and the system takes the memory back
        // at once.
        std::mem::forget(report);
        std::mem::forget(data);
    }
    Ok(status)
}

/// Appends the Markdown report to a job summary file.
fn append_summary(report: &Report<'_>, config: &CheckConfig, path: &Path) -> io::Result<()> {
    let mut text = Vec::new();
    let options = printer_options(config, Style::PLAIN);
    Format::Markdown
        .printer(&options)
        .write(report, &mut text)?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(&text)
}

/// What the printers are told besides the report.
fn printer_options(config: &CheckConfig, style: Style) -> render::Options {
    render::Options {
        width: config.width,
        limit: config.limit,
        style,
        path_prefix: prefix(&config.dataset),
        has_baseline: config.baseline.is_some(),
    }
}

fn write_report(
    report: &Report<'_>,
    config: &CheckConfig,
    style: Style,
    w: &mut dyn crate::output::TakesBuffers,
) -> io::Result<()> {
    let options = printer_options(config, style);
    config.format.printer(&options).write(report, w)
}

/// Exit status from the findings and `--fail-on`.
fn gate(report: &Report<'_>, config: &CheckConfig) -> Status {
    let trips = |(i, p): &(usize, &crate::pair::Pair)| {
        !report.is_known(*i)
            && p.severity() >= config.min_severity
            && match config.gate {
                Gate::None => false,
                Gate::Contradiction => p.verdict.is_contradiction(),
                Gate::Duplicity => p.verdict.kind() == Some(crate::score::Kind::Duplicity),
            }
    };
    if report.pairs.iter().enumerate().any(|x| trips(&x)) {
        Status::Findings
    } else {
        Status::Success
    }
}

fn explain(
    dataset: &Path,
    claim: &str,
    action: Option<&str>,
    settings: Settings,
    io: &mut Io<'_>,
) -> io::Result<Status> {
    let Some(data) = load_or_report(dataset, io)? else {
        return Ok(Status::Error);
    };
    let find = |records: &[crate::model::Record], id: &str| {
        records.iter().position(|r| &*r.id == id).map(|i| i as u32)
    };
    let Some(c) = find(&data.claims, claim) else {
        let near = suggest::closest(claim, data.claims.iter().map(|r| &*r.id));
        return usage(
            io,
            &format!("no claim has id \"{claim}\""),
            near.map(|n| format!("did you mean \"{n}\"?")),
        );
    };
    let a = match action {
        None => None,
        Some(id) => match find(&data.actions, id) {
            Some(a) => Some(a),
            None => {
                let near = suggest::closest(id, data.actions.iter().map(|r| &*r.id));
                return usage(
                    io,
                    &format!("no action has id \"{id}\""),
                    near.map(|n| format!("did you mean \"{n}\"?")),
                );
            }
        },
    };
    io.progress.finish();
    let report = report::check(&data, settings, Filters::default());
    if let Some(a) = a
        && !report.pairs.iter().any(|p| p.claim == c && p.action == a)
    {
        writeln!(
            io.stdout,
            "{claim} and {} are not paired:",
            data.actions[a as usize].id
        )?;
        for line in crate::reasons::why_not(&report, c as usize, a as usize) {
            writeln!(io.stdout, "  - {}", render::escape::inert(&line))?;
        }
        return Ok(Status::Success);
    }
    let text = render::table::explain(&report, c, a, io.colors.stdout);
    io.stdout.write_all(text.as_bytes())?;
    Ok(Status::Success)
}
