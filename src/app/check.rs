//! `saydo check`: load, pair, judge, print, and the gate's exit status.

use super::*;
use crate::model::{Dataset, normalize_topic};
use crate::render::style::Style;
use crate::render::{self, Format, problems};
use crate::report::{self, Filters, Report};
use crate::suggest;
use std::io::{self, Write};
use std::path::Path;

/// Resolves the filters against the dataset.
pub(super) fn filters(
    config: &CheckConfig,
    data: &Dataset,
) -> Result<Filters, (String, Option<String>)> {
    let mut f = Filters {
        since: config.since,
        until: config.until,
        ..Filters::default()
    };
    if let Some(name) = &config.actor {
        let registry = crate::validate::names::Registry::build(&data.actors);
        match registry.lookup(name) {
            crate::validate::names::Lookup::Found(ix) => f.actor = Some(ix),
            crate::validate::names::Lookup::Ambiguous(ixs) => {
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
            crate::validate::names::Lookup::Unknown { suggestion } => {
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
pub(super) const WARNINGS_SHOWN: usize = 10;

/// The dataset's first [`WARNINGS_SHOWN`] warnings, for people, and a line
/// that counts the others by code.
pub(super) fn warnings_in_brief(
    warnings: &[crate::diag::Diagnostic],
    data: &Dataset,
    dataset: &Path,
    style: Style,
) -> String {
    let lister = format!(
        "`saydo validate {}`",
        render::escape::inert(&dataset.display().to_string())
    );
    warnings_listed(warnings, data, &lister, style)
}

/// [`warnings_in_brief`], naming `lister` as the command that lists them
/// all (a dataset held in memory has no folder to validate).
pub(super) fn warnings_listed(
    warnings: &[crate::diag::Diagnostic],
    data: &Dataset,
    lister: &str,
    style: Style,
) -> String {
    let (shown, rest) = warnings.split_at(warnings.len().min(WARNINGS_SHOWN));
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
            "… and {} more {} ({}); {lister} lists them all\n\n",
            rest.len(),
            if rest.len() == 1 {
                "warning"
            } else {
                "warnings"
            },
            counts.join(", "),
        ));
    }
    text
}

pub(super) fn check(config: &CheckConfig, io: &mut Io<'_>) -> io::Result<Status> {
    // JSON Lines written as pairs are found never shows an action's words.
    let words = if config.engine == crate::engines::Engine::Native
        && config.top.is_none()
        && config.format == Format::Jsonl
    {
        Words {
            claims: true,
            actions: false,
        }
    } else {
        Words::ALL
    };
    let Some(data) = load_keeping_or_report(&config.dataset, words, io)? else {
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
        let text = warnings_in_brief(&data.warnings, &data, &config.dataset, io.colors.stderr);
        let _ = io.stderr.write_all(text.as_bytes());
    }
    let baseline = match baseline_or_report(config.baseline.as_ref(), io)? {
        Ok(b) => b,
        Err(status) => return Ok(status),
    };
    if config.engine != crate::engines::Engine::Native {
        return check_on_engine(config, io, &data, filters, baseline.as_ref());
    }
    if config.top.is_none() && streams(config) {
        let status = check_in_runs(config, io, &data, filters, baseline.as_ref())?;
        if io.exits_after {
            // As below: freeing millions of records one by one takes a
            // noticeable part of a large run.
            std::mem::forget(data);
        }
        return Ok(status);
    }
    io.progress.stage("pairing", 0);
    // The gate's verdict, when the pairs were gated run by run.
    let mut gated = None;
    let mut report = match config.top {
        Some(top) => report::check_top(&data, config.settings, filters, top),
        None if shows_only_most_severe(config) => {
            let mut status = Status::Success;
            let report = report::check_most_severe(
                &data,
                config.settings,
                filters,
                (config.limit, PAIRS_PER_RUN),
                |run| {
                    if let Some(b) = &baseline {
                        run.mark_known(b);
                    }
                    if gate(run, config) == Status::Findings {
                        status = Status::Findings;
                    }
                    Ok(())
                },
            )?;
            gated = Some(status);
            report
        }
        None => report::check(&data, config.settings, filters),
    };
    if gated.is_none()
        && let Some(b) = &baseline
    {
        report.mark_known(b);
    }
    let status = print_report(config, io, &data, report, gated)?;
    if io.exits_after {
        // As in `print_report`: the system takes the memory back at once.
        std::mem::forget(data);
    }
    Ok(status)
}

/// Prints a report made whole (every format), appends the job summary
/// GitHub asks for, and gives the exit status: `gated` when the pairs were
/// gated run by run, else the gate of the report's pairs.
fn print_report(
    config: &CheckConfig,
    io: &mut Io<'_>,
    data: &Dataset,
    report: Report<'_>,
    gated: Option<Status>,
) -> io::Result<Status> {
    warn_stale(&report.stale_reviews(), data, &config.dataset, io)?;
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
        summary_warning(io, path, &e)?;
    }
    let status = gated.unwrap_or_else(|| gate(&report, config));
    if io.exits_after {
        // Freeing millions of records one by one takes a noticeable part
        // of a large run; the process is about to end, and the system
        // takes the memory back at once.
        std::mem::forget(report);
    }
    Ok(status)
}

/// Pairs held at a time when they are written or ranked run by run: 48
/// MB of them, and what writing them takes. A check with fewer pairs has
/// them all at once.
const PAIRS_PER_RUN: usize = 4 << 20;

/// Whether the report shows only the most severe contradictions, a row
/// each, and counts the rest (a table or Markdown with a `--limit`): then
/// only those are held, not every pair ([`report::check_most_severe`]).
fn shows_only_most_severe(config: &CheckConfig) -> bool {
    matches!(config.format, Format::Table | Format::Markdown)
        && config.group_by == render::GroupBy::Pair
        && config.limit > 0
}

/// Whether the report is written as the pairs are found, a run of claims
/// at a time ([`check_in_runs`]): JSON Lines and CSV list pairs first, in
/// report order; GitHub's annotations come most severe first through
/// sorted segments ([`report::check_flagged`]), and its job summary, a
/// Markdown report, holds only the contradictions it shows.
fn streams(config: &CheckConfig) -> bool {
    match config.format {
        Format::Jsonl | Format::Csv => true,
        Format::Github => {
            config.step_summary.is_none()
                || (config.group_by == render::GroupBy::Pair && config.limit > 0)
        }
        _ => false,
    }
}

/// `check` on another engine than saydo's own (`--engine`): the engine
/// pairs and judges, saydo's printers print its report, every format as
/// the native engine's report would be printed.
fn check_on_engine(
    config: &CheckConfig,
    io: &mut Io<'_>,
    data: &Dataset,
    filters: Filters,
    baseline: Option<&crate::engine::baseline::Baseline>,
) -> io::Result<Status> {
    let name = config.engine.name();
    if let Some(why) = config.engine.unavailable() {
        io.progress.finish();
        return usage(io, &format!("--engine {name}: {why}"), None);
    }
    if filters != Filters::default() || config.top.is_some() {
        io.progress.finish();
        return usage(
            io,
            &format!(
                "--engine {name} checks the whole dataset: --actor, --topic, --since, \
                 --until, --top and --top-per-claim are for --engine native"
            ),
            None,
        );
    }
    io.progress.stage("pairing", 0);
    run_engine(config, io, data, baseline)
}

#[cfg(feature = "datafusion")]
fn run_engine(
    config: &CheckConfig,
    io: &mut Io<'_>,
    data: &Dataset,
    baseline: Option<&crate::engine::baseline::Baseline>,
) -> io::Result<Status> {
    let mut report = match crate::engines::check(
        data,
        config.settings,
        &config.engine,
        config.engine_dir.as_deref(),
    ) {
        Ok(r) => r,
        Err(message) => {
            io.progress.finish();
            writeln!(io.stderr, "error: {message}")?;
            return Ok(Status::Error);
        }
    };
    if let Some(b) = baseline {
        report.mark_known(b);
    }
    print_report(config, io, data, report, None)
}

#[cfg(not(feature = "datafusion"))]
fn run_engine(
    config: &CheckConfig,
    io: &mut Io<'_>,
    _: &Dataset,
    _: Option<&crate::engine::baseline::Baseline>,
) -> io::Result<Status> {
    // `unavailable` refused every engine this build lacks.
    usage(
        io,
        &format!("--engine {}: not built in", config.engine.name()),
        None,
    )
}

/// `saydo export`: the validated dataset as Parquet tables in `out`.
pub(super) fn export(dataset: &Path, out: &Path, io: &mut Io<'_>) -> io::Result<Status> {
    if let Some(why) = (crate::engines::Engine::DataFusion { memory_limit: None }).unavailable() {
        return usage(io, &format!("saydo export: {why}"), None);
    }
    let Some(data) = load_or_report(dataset, io)? else {
        return Ok(Status::Error);
    };
    io.progress.finish();
    if !data.warnings.is_empty() {
        let text = warnings_in_brief(&data.warnings, &data, dataset, io.colors.stderr);
        let _ = io.stderr.write_all(text.as_bytes());
    }
    write_tables(&data, out, io)
}

/// What `export` says when its tables are written.
pub(super) fn say_exported(data: &Dataset, out: &Path, io: &mut Io<'_>) -> io::Result<()> {
    writeln!(
        io.stderr,
        "exported {} claims, {} actions and {} actors to {}",
        data.claims.len(),
        data.actions.len(),
        data.actors.len(),
        out.display()
    )
}

#[cfg(feature = "datafusion")]
fn write_tables(data: &Dataset, out: &Path, io: &mut Io<'_>) -> io::Result<Status> {
    match crate::engines::export(data, out) {
        Ok(()) => {
            say_exported(data, out, io)?;
            Ok(Status::Success)
        }
        Err(message) => {
            writeln!(io.stderr, "error: {message}")?;
            Ok(Status::Error)
        }
    }
}

#[cfg(not(feature = "datafusion"))]
fn write_tables(_: &Dataset, _: &Path, io: &mut Io<'_>) -> io::Result<Status> {
    usage(io, "saydo export: not built in", None)
}

/// Pairs a run of claims at a time and writes each run's pairs as it
/// comes, for the formats that [`streams`] names: memory holds one run's
/// pairs (and, for GitHub, sorted segments of contradictions), not every
/// pair, whatever their number. The bytes are those of the whole report
/// written at once.
fn check_in_runs(
    config: &CheckConfig,
    io: &mut Io<'_>,
    data: &crate::model::Dataset,
    filters: Filters,
    baseline: Option<&crate::engine::baseline::Baseline>,
) -> io::Result<Status> {
    io.progress.stage("pairing and writing", 0);
    if config.output.is_none() {
        io.progress.finish();
    }
    let mut status = Status::Success;
    let mut stale = Vec::new();
    let mut summary_failed = None;
    let exits_after = io.exits_after;
    let prefix = prefix(&config.dataset);
    let written = emit(config.output.as_ref(), io, |w| {
        crate::output::pipelined(w, |w| {
            let mut mark_and_gate = |run: &mut Report<'_>| {
                if let Some(b) = &baseline {
                    run.mark_known(b);
                }
                if gate(run, config) == Status::Findings {
                    status = Status::Findings;
                }
            };
            let report = match config.format {
                Format::Github => {
                    // The job summary shows the `--limit` most severe.
                    let shown = if config.step_summary.is_some() {
                        config.limit
                    } else {
                        0
                    };
                    let report = report::check_flagged(
                        data,
                        config.settings,
                        filters,
                        (shown, PAIRS_PER_RUN),
                        |run| {
                            mark_and_gate(run);
                            Ok(())
                        },
                        |batch| render::github::write_annotations(batch, w, &prefix),
                    )?;
                    render::github::write_totals(&report, w)?;
                    if let Some(path) = &config.step_summary
                        && let Err(e) = append_summary(&report, config, path)
                    {
                        summary_failed = Some((path, e));
                    }
                    report
                }
                _ => {
                    if config.format == Format::Csv {
                        render::csv::write_header(w)?;
                    }
                    let report = report::check_in_runs(
                        data,
                        config.settings,
                        filters,
                        PAIRS_PER_RUN,
                        |run| {
                            mark_and_gate(run);
                            match config.format {
                                Format::Csv => render::csv::write_rows(run, w),
                                _ => render::jsonl::write_pairs(run, w),
                            }
                        },
                    )?;
                    if config.format == Format::Jsonl {
                        render::jsonl::write_tail(&report, w)?;
                    }
                    report
                }
            };
            stale = report.stale_reviews();
            if exits_after {
                // As in `check`: the system takes the memory back at once.
                std::mem::forget(report);
            }
            Ok(())
        })
    })?;
    io.progress.finish();
    warn_stale(&stale, data, &config.dataset, io)?;
    if let Some((path, e)) = summary_failed {
        summary_warning(io, path, &e)?;
    }
    Ok(if written { status } else { Status::Error })
}

/// Lists the decisions of `reviews/` that no longer apply
/// ([`Report::stale_reviews`]), on standard error, as the dataset's
/// warnings are.
pub(super) fn warn_stale(
    stale: &[crate::diag::Diagnostic],
    data: &Dataset,
    dataset: &Path,
    io: &mut Io<'_>,
) -> io::Result<()> {
    if !stale.is_empty() {
        io.progress.finish();
        let text = warnings_in_brief(stale, data, dataset, io.colors.stderr);
        io.stderr.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// Says on standard error that the job summary could not be written.
fn summary_warning(io: &mut Io<'_>, path: &Path, e: &io::Error) -> io::Result<()> {
    writeln!(
        io.stderr,
        "warning: cannot append the job summary to {}: {e}",
        path.display()
    )
}

/// Appends the Markdown report to a job summary file.
pub(super) fn append_summary(
    report: &Report<'_>,
    config: &CheckConfig,
    path: &Path,
) -> io::Result<()> {
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
pub(super) fn printer_options(config: &CheckConfig, style: Style) -> render::Options {
    render::Options {
        width: config.width,
        limit: config.limit,
        style,
        path_prefix: prefix(&config.dataset),
        has_baseline: config.baseline.is_some(),
        group_by: config.group_by,
    }
}

pub(super) fn write_report(
    report: &Report<'_>,
    config: &CheckConfig,
    style: Style,
    w: &mut dyn crate::output::TakesBuffers,
) -> io::Result<()> {
    let options = printer_options(config, style);
    config.format.printer(&options).write(report, w)
}

/// Exit status from the findings and `--fail-on`.
pub(super) fn gate(report: &Report<'_>, config: &CheckConfig) -> Status {
    if config.gate == Gate::None {
        // Nothing trips it: the pairs need not be read.
        return Status::Success;
    }
    let trips = |(i, p): &(usize, &crate::engine::pair::Pair)| {
        !report.is_known(*i)
            && !report.is_dismissed(*i)
            && p.severity() >= config.min_severity
            && match config.gate {
                Gate::None => false,
                Gate::Contradiction => p.verdict.is_contradiction(),
                Gate::Duplicity => p.verdict.kind() == Some(crate::engine::score::Kind::Duplicity),
            }
    };
    if report.pairs.iter().enumerate().any(|x| trips(&x)) {
        Status::Findings
    } else {
        Status::Success
    }
}
