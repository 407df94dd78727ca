//! Running a command: a resolved [`Config`] in, bytes to standard output
//! and standard error and an exit [`Status`] out. The binary only parses
//! flags, calls [`run`] and exits; tests call [`run`] directly.

mod check;
mod diff;
mod draft;
mod explain;
mod export;
mod import;
mod init;
mod review;
mod trend;
mod validate;

use crate::diag::Diagnostic;
use crate::engine::rules::Settings;
use crate::model::Dataset;
use crate::render::style::Style;
use crate::render::{self, Format, ProblemFormat, problems};
use crate::validate::{Invalid, Words};
use check::check;
use explain::explain;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use validate::validate;

pub use review::{Answer, Ask, ReviewConfig, Script};

pub use crate::output::remove_temporaries;
pub use crate::perf::os::{end_by, terminal_columns};
pub use draft::DraftConfig;

/// Tunes mimalloc for the command `args` name (the program's arguments,
/// the command being the first that is not a flag): freed memory given
/// back to the system after a tenth of a second, or, for `saydo trend`
/// (whose memory is bounded by the records, not the pairs), kept for the
/// next stage to use again instead of faulted in anew. For a binary with
/// mimalloc as its allocator, first thing: mimalloc reads the setting
/// once, when it first gives memory back, so it is read from the
/// arguments before they are parsed. A `MIMALLOC_PURGE_DELAY` set by the
/// user is left alone.
pub fn tune_allocator(args: impl Iterator<Item = std::ffi::OsString>) {
    crate::perf::os::tune_allocator(runs_trend(args));
}

/// Whether the program's arguments `args` run `saydo trend`.
fn runs_trend(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    args.skip(1)
        .find(|a| !a.as_encoded_bytes().starts_with(b"-"))
        .is_some_and(|command| command == "trend")
}

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
    /// The exit status: 0, 1 or 2.
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
    /// Style of what goes to standard output (reports).
    pub stdout: Style,
    /// Style of what goes to standard error (problems, the summary line).
    pub stderr: Style,
}

/// Which findings make `check` exit with 1 (`--fail-on`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gate {
    /// None: valid data always exits with 0.
    None,
    /// Any contradiction, duplicity or bluster.
    Contradiction,
    /// Duplicity only (warm words, hostile deeds).
    Duplicity,
}

/// A resolved command.
#[derive(Clone, Debug)]
pub enum Config {
    /// `saydo validate`: load the dataset and list its problems.
    Validate {
        /// The dataset folder.
        dataset: PathBuf,
        /// How to list the problems.
        format: ProblemFormat,
        /// Write the list here instead of standard output.
        output: Option<PathBuf>,
    },
    /// `saydo check`: pair, judge and report.
    Check(CheckConfig),
    /// `saydo explain`: why a claim was judged as it was, or why it was
    /// or was not paired with an action.
    Explain {
        /// The dataset folder.
        dataset: PathBuf,
        /// The claim's id.
        claim: String,
        /// An action's id, to explain that one pair.
        action: Option<String>,
        /// The pairing window and threshold.
        settings: Settings,
        /// Text or JSON.
        format: crate::render::explain::ExplainFormat,
    },
    /// `saydo import`: event data or a spreadsheet into a new dataset.
    Import(crate::import::ImportOptions),
    /// `saydo init`: a minimal valid dataset to start from.
    Init {
        /// The folder to write it in, made if missing; other files in it
        /// are kept.
        dir: PathBuf,
        /// Replace the dataset folders (`actors/`, `claims/`, `actions/`,
        /// `seeds/`) if the folder has any; without it, such a folder is
        /// refused.
        force: bool,
    },
    /// Print a JSON Schema.
    Schema {
        /// Which one.
        kind: Schema,
    },
    /// `saydo trend`: words against deeds per actor, target and period.
    Trend(TrendConfig),
    /// `saydo diff`: the findings that appeared, disappeared or changed
    /// between two JSON reports.
    Diff(DiffConfig),
    /// `saydo review`: decide on the contradictions no one has decided on.
    Review(ReviewConfig),
    /// `saydo draft`: proposed claims and actions from a text.
    Draft(DraftConfig),
    /// `saydo export`: the validated, resolved dataset as Parquet tables.
    Export {
        /// The dataset folder.
        dataset: PathBuf,
        /// The folder to write the tables in.
        out: PathBuf,
    },
    /// `saydo export --from`: event data or a spreadsheet imported in
    /// memory (as [`Config::Import`] would import it into `out`), then
    /// validated and written as the Parquet tables of [`Config::Export`]
    /// into `out`.
    ExportFrom(crate::import::ImportOptions),
}

/// The JSON Schemas `saydo schema` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// Of the JSON report.
    Report,
    /// Of a line of the JSON Lines report.
    Line,
    /// Of the trend's JSON.
    Trend,
    /// Of a line of the trend's JSON Lines.
    TrendLine,
    /// Of the diff's JSON.
    Diff,
    /// Of explain's JSON.
    Explain,
}

/// Everything `saydo diff` needs.
#[derive(Clone, Debug)]
pub struct DiffConfig {
    /// The earlier JSON report.
    pub old: PathBuf,
    /// The later JSON report.
    pub new: PathBuf,
    /// The format.
    pub format: crate::render::diff::DiffFormat,
    /// Write the diff here (atomically) instead of standard output.
    pub output: Option<PathBuf>,
    /// Most rows per section in the table and Markdown, 0 for all.
    pub limit: usize,
    /// Width to fit the table to, in columns.
    pub width: usize,
    /// List pairs of every verdict, not only contradictions.
    pub all: bool,
    /// Exit 1 when a contradiction appeared.
    pub fail_on_new: bool,
}

/// Everything `saydo trend` needs.
#[derive(Clone, Debug)]
pub struct TrendConfig {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// The length of a period.
    pub by: crate::report::trend::Period,
    /// The format.
    pub format: crate::render::trend::TrendFormat,
    /// Write the trend here (atomically) instead of standard output.
    pub output: Option<PathBuf>,
    /// Most cells in the table and Markdown, 0 for all.
    pub limit: usize,
    /// Width to fit the table to, in columns.
    pub width: usize,
    /// The pairing window and threshold.
    pub settings: Settings,
    /// The engine that pairs and counts (`--engine`).
    pub engine: crate::engines::Engine,
    /// Where another engine's input tables are written, as for `check`.
    pub engine_dir: Option<PathBuf>,
}

/// Everything `saydo check` needs.
#[derive(Clone, Debug)]
pub struct CheckConfig {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// The report's format.
    pub format: Format,
    /// Write the report here (atomically) instead of standard output.
    pub output: Option<PathBuf>,
    /// Which findings fail the run.
    pub gate: Gate,
    /// Findings less severe than this, in [0, 1], do not fail the run.
    pub min_severity: f64,
    /// An earlier JSON report: its findings are known, not new.
    pub baseline: Option<PathBuf>,
    /// The pairing window and threshold.
    pub settings: Settings,
    /// Keep this actor's records (an id or name, resolved against the
    /// dataset when it is loaded).
    pub actor: Option<String>,
    /// Keep records on this topic, as written.
    pub topic: Option<String>,
    /// Keep records dated on or after this.
    pub since: Option<crate::date::PartialDate>,
    /// Keep records dated on or before this.
    pub until: Option<crate::date::PartialDate>,
    /// Most rows per table section, 0 for all.
    pub limit: usize,
    /// How the table and Markdown reports list contradictions.
    pub group_by: render::GroupBy,
    /// Keep only the most severe pairs (`--top`, `--top-per-claim`).
    pub top: Option<crate::report::Top>,
    /// Width to fit the table to, in columns.
    pub width: usize,
    /// With `--format github`, also append the Markdown report to this file
    /// (GitHub Actions' `GITHUB_STEP_SUMMARY`).
    pub step_summary: Option<PathBuf>,
    /// The engine that pairs and judges (`--engine`).
    pub engine: crate::engines::Engine,
    /// Where another engine's input tables are written (a folder every
    /// executor of a cluster reads at the same path); the system's
    /// temporary folder by default.
    pub engine_dir: Option<PathBuf>,
}

/// Where a run writes.
pub struct Io<'a> {
    /// Where reports go.
    pub stdout: &'a mut dyn Write,
    /// Where problems and summaries go.
    pub stderr: &'a mut dyn Write,
    /// Colour or not, per stream.
    pub colors: Colors,
    /// Told how a long run advances (a progress bar, or nothing).
    pub progress: &'a dyn crate::progress::Progress,
    /// The process ends right after the run: large data need not be
    /// freed piece by piece (the binary sets this; a library caller
    /// running checks in a long-lived process must not).
    pub exits_after: bool,
    /// Where `saydo review` takes its answers from; `None` for the other
    /// commands.
    pub ask: Option<&'a mut dyn Ask>,
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
            format,
        } => explain(dataset, claim, action.as_deref(), *settings, *format, io),
        Config::Import(options) => import::import(options, io),
        Config::Init { dir, force } => init::init(dir, *force, io),
        Config::Trend(t) => trend::trend(t, io),
        Config::Diff(d) => diff::diff(d, io),
        Config::Review(r) => match io.ask.take() {
            Some(ask) => review::review(r, io, ask),
            None => usage(io, "saydo review needs answers, and none were given", None),
        },
        Config::Draft(d) => draft::draft(d, io),
        Config::Export { dataset, out } => check::export(dataset, out, io),
        Config::ExportFrom(options) => export::export_from(options, io),
        Config::Schema { kind } => {
            let text = match kind {
                Schema::Report => crate::schema::report(),
                Schema::Line => crate::schema::line(),
                Schema::Trend => crate::schema::trend(),
                Schema::TrendLine => crate::schema::trend_line(),
                Schema::Diff => crate::schema::diff(),
                Schema::Explain => crate::schema::explain(),
            };
            io.stdout.write_all(text.as_bytes())?;
            Ok(Status::Success)
        }
    }
}

pub(super) fn usage(io: &mut Io<'_>, message: &str, hint: Option<String>) -> io::Result<Status> {
    writeln!(io.stderr, "error: {message}")?;
    if let Some(h) = hint {
        writeln!(io.stderr, "  = hint: {h}")?;
    }
    Ok(Status::Error)
}

/// The dataset folder as a path relative to the working folder (the
/// repository root in CI), for locations in annotations and SARIF.
pub(super) fn prefix(dataset: &Path) -> String {
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
pub(super) fn emit(
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
pub(super) fn summary(data: &Dataset) -> String {
    let n = |count: usize, one: &str, many: &str| render::common::plural(count as u64, one, many);
    format!(
        "{}, {}, {}, {}",
        n(data.actors.len(), "actor", "actors"),
        n(data.claims.len(), "claim", "claims"),
        n(data.actions.len(), "action", "actions"),
        n(data.topics.len(), "topic", "topics")
    )
}

pub(super) fn counts(problems: &[Diagnostic]) -> (usize, usize) {
    let errors = problems.iter().filter(|d| d.is_error()).count();
    (errors, problems.len() - errors)
}

pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The `--baseline` report, if one is given; `Err` after telling why a
/// file given cannot be one (a usage error). Read before pairing: pairing
/// a large set first would only delay the error.
pub(super) fn baseline_or_report(
    path: Option<&PathBuf>,
    io: &mut Io<'_>,
) -> io::Result<Result<Option<crate::engine::baseline::Baseline>, Status>> {
    let Some(path) = path else {
        return Ok(Ok(None));
    };
    match crate::engine::baseline::Baseline::read(path) {
        Ok(b) => Ok(Ok(Some(b))),
        Err(message) => {
            let hint = "give a report written by saydo check --format json";
            usage(io, &message, Some(hint.into())).map(Err)
        }
    }
}

/// Loads a dataset, or writes its problems to standard error.
pub(super) fn load_or_report(dataset: &Path, io: &mut Io<'_>) -> io::Result<Option<Dataset>> {
    load_keeping_or_report(dataset, Words::ALL, io)
}

/// [`load_or_report`], the records keeping only the words `words` says.
pub(super) fn load_keeping_or_report(
    dataset: &Path,
    words: Words,
    io: &mut Io<'_>,
) -> io::Result<Option<Dataset>> {
    let loaded = crate::validate::load_keeping(dataset, words, io.progress);
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

#[cfg(test)]
mod tests {
    use super::runs_trend;

    #[test]
    fn the_command_is_the_first_argument_that_is_not_a_flag() {
        let args = |line: &str| {
            line.split(' ')
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        for (line, trend) in [
            ("saydo trend data", true),
            ("saydo --quiet trend data", true),
            ("saydo trend", true),
            ("saydo check data", false),
            ("saydo check trend", false),
            ("saydo --quiet", false),
            ("trend", false),
        ] {
            assert_eq!(runs_trend(args(line).into_iter()), trend, "{line}");
        }
    }
}
