//! Command-line flags (clap) and their resolution into a [`crate::app::Config`].
//! Nothing below this module sees clap.

use crate::date::PartialDate;
use crate::engine::rules::Settings;
use crate::render::diff::DiffFormat;
use crate::render::explain::ExplainFormat;
use crate::render::style::Style;
use crate::render::trend::TrendFormat;
use crate::render::{Format, GroupBy, ProblemFormat};
use crate::report::trend::Period;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// saydo holds what actors say against what they do.
#[derive(Parser, Debug)]
#[command(name = "saydo", version, about, long_about = None)]
pub struct Cli {
    /// When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Print nothing but the report and problems (no progress).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print how long each stage took (reading, validating, pairing, writing) to standard error.
    #[arg(long, global = true)]
    pub timings: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Check a dataset folder and list every problem with its place (exit 0 valid, 2 invalid).
    Validate(ValidateArgs),
    /// Pair each claim with the same actor's deeds and judge them (exit 0, 1 over --fail-on, 2 invalid).
    Check(CheckArgs),
    /// Show why a claim was paired and judged as it was: all its pairs, or one (exit 0, 2 unknown id or invalid data).
    Explain(ExplainArgs),
    /// Per principal actor, target and month (or quarter, year): words against deeds, their gap and the contradictions, largest gaps first.
    Trend(TrendArgs),
    /// Import event data (GDELT, ICEWS, PLOVER, ACLED) or a spreadsheet (csv) into a new dataset folder (exit 0 all rows imported, 1 rows with problems skipped, 2 nothing written).
    Import(ImportArgs),
    /// Start a dataset: write a minimal valid one (two actors, a claim, an action that belies it, the text they quote) into DIR, to edit (exit 0 written, 2 refused).
    Init(InitArgs),
    /// Propose claims and actions from a text (quotes, speakers, dates and deeds), each marked draft, for a curator to finish (exit 0 drafted, 2 unreadable text or actors).
    Draft(DraftArgs),
    /// Compare two JSON reports of saydo check: the findings that appeared, disappeared or changed (exit 0, 1 with --fail-on-new and a new contradiction, 2 unreadable input).
    Diff(DiffArgs),
    /// Walk through the contradictions no one has decided on, most severe first: confirm, dismiss with a reason, mark as needing a source, skip or quit; each decision is appended to reviews/ at once (exit 0, 2 invalid data or usage).
    Review(ReviewArgs),
    /// Print the JSON Schema of the JSON report (`report`), of a JSON Lines line (`line`), of the trend's (`trend`, `trend-line`), of the diff's (`diff`), or of explain's (`explain`).
    Schema {
        #[arg(value_enum, default_value_t = SchemaKind::Report)]
        kind: SchemaKind,
    },
    /// Write the validated, resolved dataset as Parquet tables (claims, actions, their topics, actors, roles, chains of roles, responses) into DIR, for DataFusion, Ballista or any Parquet reader; with --from FORMAT, of event data or a spreadsheet imported in memory (exit 0 written, 1 rows with problems skipped, 2 invalid data; needs the datafusion feature).
    Export(ExportArgs),
}

/// Which schema `saydo schema` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemaKind {
    Report,
    Line,
    Trend,
    TrendLine,
    Diff,
    Explain,
}

/// The length of a period of `saydo trend`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum By {
    Month,
    Quarter,
    Year,
}

#[derive(Args, Debug)]
pub(crate) struct DraftArgs {
    /// The text to read (UTF-8); records quote it as seeds/<its file name>, or as given under seeds/.
    pub text: PathBuf,
    /// The actors folder (e.g. actors): speakers and doers are found by its names, aliases and role titles.
    #[arg(long, value_name = "DIR")]
    pub actors: Option<PathBuf>,
    /// Write the draft (JSON Lines) to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Measure the draft against a dataset curated from the same text (numbers on standard error).
    #[arg(long, value_name = "DATASET_DIR")]
    pub against: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct ValidateArgs {
    /// The dataset folder (holding actors/, claims/, actions/, seeds/).
    #[arg(default_value = ".")]
    pub dataset: PathBuf,
    /// table (rustc-style messages), json, github (workflow commands), sarif or junit.
    #[arg(long, short, default_value = "table", value_parser = parse_problem_format)]
    pub format: ProblemFormat,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct WindowArgs {
    /// Days before a claim's date an action may start and still be paired.
    #[arg(long, default_value_t = 365)]
    pub lookback: u32,
    /// Days after a claim's date an action may start and still be paired.
    #[arg(long, default_value_t = 730)]
    pub horizon: u32,
    /// Smallest |stance| and |effect| that take a side (0 to 10).
    #[arg(long, default_value_t = 2.0, value_parser = parse_threshold)]
    pub threshold: f64,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct FilterArgs {
    /// Only records of this actor (id, name or alias) and of everyone acting for it, and their pairs.
    #[arg(long)]
    pub actor: Option<String>,
    /// Only pairs about this topic (and claims on it).
    #[arg(long)]
    pub topic: Option<String>,
    /// Only records dated (in part) on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub since: Option<PartialDate>,
    /// Only records dated (in part) on or before DATE.
    #[arg(long, value_parser = parse_date)]
    pub until: Option<PartialDate>,
}

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// The dataset folder (holding actors/, claims/, actions/, seeds/).
    #[arg(default_value = ".")]
    pub dataset: PathBuf,
    /// table, json, jsonl, markdown, csv, github, sarif, junit or html.
    #[arg(long, short, default_value = "table", value_parser = parse_format)]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding reaches this level: contradiction, duplicity or none.
    #[arg(long, value_enum, default_value_t = FailOn::None)]
    pub fail_on: FailOn,
    /// Only findings of at least this severity (0 to 1) count for --fail-on.
    #[arg(long, default_value_t = 0.0, value_parser = parse_severity)]
    pub min_severity: f64,
    /// A JSON report of an earlier check; pairs already in it are known and do not trip --fail-on.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Most rows per section in table and markdown output (0: all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Width to fit tables to (default: the terminal's, or 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// How table and markdown output list contradictions: a row per pair, most severe first, or a row per deed (action) with the words (claims) it belies under it, the deeds that belie the most words first; --limit then counts deeds, and words under each. Other formats always list pairs.
    #[arg(long, value_enum, default_value_t = GroupBy::Pair)]
    pub group_by: GroupBy,
    /// Keep only the N most severe pairs (contradictions first), in every format; memory holds N pairs, not every pair.
    #[arg(long, value_name = "N", conflicts_with = "top_per_claim")]
    pub top: Option<usize>,
    /// Keep only the N most severe pairs of each claim (contradictions first), in every format.
    #[arg(long, value_name = "N")]
    pub top_per_claim: Option<usize>,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub engines: EngineArgs,
}

/// `--engine` and its settings, for `check` and `trend`.
#[derive(Args, Debug)]
pub(crate) struct EngineArgs {
    /// The engine that pairs and judges: native (saydo's own, in memory), datafusion (Apache DataFusion in this process, spilling to disk), ballista (a Ballista cluster; in-process without --scheduler). datafusion and ballista need saydo built with the feature of that name.
    #[arg(long, value_enum, default_value_t = EngineChoice::Native)]
    pub engine: EngineChoice,
    /// With --engine ballista: the cluster's scheduler, as df://HOST:PORT (default port 50050).
    #[arg(long, value_name = "URL")]
    pub scheduler: Option<String>,
    /// With --engine datafusion: most memory (in MB) the plans hold before they spill to disk.
    #[arg(long, value_name = "MB")]
    pub memory_limit: Option<usize>,
    /// With --engine datafusion or ballista: where the engine's input tables (Parquet) are written; a cluster's executors must read this folder at the same path. Default: the system's temporary folder.
    #[arg(long, value_name = "DIR")]
    pub engine_dir: Option<PathBuf>,
}

impl EngineArgs {
    /// `--scheduler` and `--memory-limit` name an engine's setting: each
    /// with its engine only.
    fn conflict(&self) -> Result<(), clap::Error> {
        let c = self;
        let wrong = match c.engine {
            EngineChoice::Ballista => c.memory_limit.map(|_| ("--memory-limit", "datafusion")),
            EngineChoice::Datafusion => c.scheduler.as_ref().map(|_| ("--scheduler", "ballista")),
            EngineChoice::Native => match (&c.scheduler, &c.memory_limit, &c.engine_dir) {
                (Some(_), _, _) => Some(("--scheduler", "ballista")),
                (_, Some(_), _) => Some(("--memory-limit", "datafusion")),
                (_, _, Some(_)) => Some(("--engine-dir", "datafusion or --engine ballista")),
                _ => None,
            },
        };
        match wrong {
            Some((flag, engine)) => Err(<Cli as clap::CommandFactory>::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("{flag} is a setting of --engine {engine}"),
            )),
            None => Ok(()),
        }
    }

    /// The engine, with its settings.
    fn engine(self) -> crate::engines::Engine {
        match self.engine {
            EngineChoice::Native => crate::engines::Engine::Native,
            EngineChoice::Datafusion => crate::engines::Engine::DataFusion {
                memory_limit: self.memory_limit.map(|mb| mb.saturating_mul(1 << 20)),
            },
            EngineChoice::Ballista => crate::engines::Engine::Ballista {
                scheduler: self.scheduler,
            },
        }
    }
}

/// `--engine`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum EngineChoice {
    Native,
    Datafusion,
    Ballista,
}

#[derive(Args, Debug)]
#[command(
    after_help = "With --from FORMAT, the files are imported as saydo import FORMAT FILE... imports them (the same rows, problems and options) and the dataset that import would write is validated and exported from memory: no JSON is written. --out then appears complete or not at all, and an existing --out is replaced only with --force. Exit 0 written, 1 rows with problems skipped (--skip-bad), 2 nothing written."
)]
pub(crate) struct ExportArgs {
    /// The dataset folder (holding actors/, claims/, actions/, seeds/; default: the current folder), or with --from the files to import, read in this order.
    #[arg(value_name = "DIR | FILE")]
    pub inputs: Vec<PathBuf>,
    /// The folder to write the Parquet tables in (made if missing; with --from, it must not exist, see --force).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Import the files of this format (gdelt, icews, plover, acled, csv) and export them, without writing the dataset as JSON first.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub from: Option<crate::import::ImportFormat>,
    #[command(
        flatten,
        next_help_heading = "Import options (with --from, as saydo import takes them)"
    )]
    pub import: ImportFlags,
}

#[derive(Args, Debug)]
pub(crate) struct TrendArgs {
    /// The dataset folder (holding actors/, claims/, actions/, seeds/).
    #[arg(default_value = ".")]
    pub dataset: PathBuf,
    /// The length of a period: month, quarter or year.
    #[arg(long, value_enum, default_value_t = By::Month)]
    pub by: By,
    /// table, markdown, json, jsonl, csv or html (a chart per actor and target).
    #[arg(long, short, default_value = "table", value_parser = parse_trend_format)]
    pub format: TrendFormat,
    /// Write the trend to FILE (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Most cells in table and markdown output, most charts in html (0: all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Width to fit tables to (default: the terminal's, or 100).
    #[arg(long)]
    pub width: Option<usize>,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub engines: EngineArgs,
}

#[derive(Args, Debug)]
#[command(
    after_help = "On a terminal a key answers each pair: c confirm, d dismiss (then the reason), n needs a source (then which), s skip, q quit. Otherwise standard input is read a line an answer: c [NOTE], d REASON, n REASON, s, q (d or n alone takes the next line as the reason); the end of input quits.\n\nEach decision is appended to reviews/FILE at once; a dismissed pair never trips check --fail-on."
)]
pub(crate) struct ReviewArgs {
    /// The dataset folder (holding actors/, claims/, actions/, reviews/).
    #[arg(default_value = ".")]
    pub dataset: PathBuf,
    /// Who decides, written in each decision (default: $SAYDO_REVIEWER, else $USER).
    #[arg(long)]
    pub by: Option<String>,
    /// The date written in each decision, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_day)]
    pub date: Option<String>,
    /// The file of reviews/ the decisions are appended to.
    #[arg(long, default_value = "decisions.jsonl")]
    pub file: String,
    /// An earlier JSON report (saydo check --format json): its findings are known and not walked.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub window: WindowArgs,
}

/// Who reviews when `--by` does not say: `SAYDO_REVIEWER`, else the
/// login name (`USER`, or `USERNAME` on Windows).
fn reviewer() -> Option<String> {
    ["SAYDO_REVIEWER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// A day, `YYYY-MM-DD`.
fn parse_day(s: &str) -> Result<String, String> {
    match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if d.format("%Y-%m-%d").to_string() == s => Ok(s.to_string()),
        _ => Err(format!("\"{s}\" is not a day written YYYY-MM-DD")),
    }
}

#[derive(Args, Debug)]
pub(crate) struct DiffArgs {
    /// The earlier report (saydo check --format json).
    pub old: PathBuf,
    /// The later report.
    pub new: PathBuf,
    /// table, markdown (for a pull request's comment) or json.
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write the diff to FILE (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Most rows per section in table and markdown output (0: all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Width to fit tables to (default: the terminal's, or 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// List pairs of every verdict, not only those that are or were contradictions.
    #[arg(long)]
    pub all: bool,
    /// Exit 1 when a contradiction appeared: a new pair that contradicts, or a pair re-judged into one.
    #[arg(long)]
    pub fail_on_new: bool,
}

/// How `saydo explain` reads its positionals, for its `--help` (and the
/// README says the same).
const EXPLAIN_POSITIONALS: &str = "\
[DATASET_DIR] CLAIM_ID [ACTION_ID]: with three, they are the dataset, the claim and the action; \
with two, the first is the dataset if it is an existing folder (then the second is the claim), \
and otherwise they are the claim and the action; with one, it is the claim. \
A folder wins: to explain a claim whose id is also the name of a folder here, \
give the dataset first (saydo explain . CLAIM_ID [ACTION_ID]). \
DATASET_DIR defaults to the current folder; --dataset DIR, the older form, still works, \
but not together with a DATASET_DIR.";

#[derive(Args, Debug)]
#[command(
    override_usage = "saydo explain [OPTIONS] [DATASET_DIR] <CLAIM_ID> [ACTION_ID]",
    after_help = EXPLAIN_POSITIONALS
)]
pub(crate) struct ExplainArgs {
    /// DATASET_DIR (optional: the dataset folder), CLAIM_ID (the claim's id) and ACTION_ID (optional: an action's id, to explain one pair only); how they are told apart is below.
    #[arg(value_name = "ARGS", num_args = 1..=3, required = true)]
    pub positionals: Vec<OsString>,
    /// The dataset folder: the older form of DATASET_DIR, kept for scripts.
    #[arg(long, short)]
    pub dataset: Option<PathBuf>,
    /// table (text for people) or json (schema/explain.schema.json).
    #[arg(long, short, value_enum, default_value_t = ExplainFormat::Table)]
    pub format: ExplainFormat,
    #[command(flatten)]
    pub window: WindowArgs,
}

/// `saydo explain`'s dataset, claim and action, from its positionals
/// (read as [`EXPLAIN_POSITIONALS`] says) and `--dataset`; `is_folder`
/// tells whether a path is an existing folder. Both forms of the dataset
/// at once are a usage error, whose message this is.
fn explain_targets(
    positionals: &[OsString],
    dataset: Option<&Path>,
    is_folder: impl Fn(&Path) -> bool,
) -> Result<(PathBuf, String, Option<String>), String> {
    let id = |s: &OsString| s.to_string_lossy().into_owned();
    let (given, claim, action) = match positionals {
        [d, c, a] => (Some(PathBuf::from(d)), id(c), Some(id(a))),
        [d, c] if is_folder(Path::new(d)) => (Some(PathBuf::from(d)), id(c), None),
        [c, a] => (None, id(c), Some(id(a))),
        [c] => (None, id(c), None),
        // clap takes one to three.
        _ => return Err("saydo explain takes [DATASET_DIR] CLAIM_ID [ACTION_ID]".into()),
    };
    match (given, dataset) {
        (Some(given), Some(flag)) => Err(format!(
            "the dataset is given twice: as DATASET_DIR ({}) and as --dataset ({}); \
             give it once, as DATASET_DIR (saydo explain [DATASET_DIR] CLAIM_ID [ACTION_ID])",
            given.display(),
            flag.display()
        )),
        (Some(d), None) => Ok((d, claim, action)),
        (None, flag) => Ok((
            flag.map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            claim,
            action,
        )),
    }
}

#[derive(Args, Debug)]
pub(crate) struct ImportArgs {
    /// The format of the files.
    #[arg(value_enum)]
    pub format: crate::import::ImportFormat,
    /// The files to import, read in this order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The dataset folder to write; it must not exist (see --force).
    #[arg(long, short)]
    pub out: PathBuf,
    #[command(flatten)]
    pub options: ImportFlags,
}

/// How `saydo import` reads its files and replaces its output, defined
/// once: `saydo export --from` reads files the same way and takes the
/// same flags.
#[derive(Args, Debug)]
pub(crate) struct ImportFlags {
    /// Import the rows without problems when some have problems (they are still listed; exit 1).
    #[arg(long)]
    pub skip_bad: bool,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// csv only: take FIELD from the column headed COLUMN (repeatable), e.g. --map actor=Who. Fields: id, actor, target, date, text, score (or stance, effect), topics, url, attribution, notes, kind. A column headed with a field's name needs no --map.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<crate::import::ColumnMap>,
    /// csv only: every row is a claim or every row is an action; without it, a kind column says per row (claim or action).
    #[arg(long, value_enum)]
    pub kind: Option<crate::import::SheetKind>,
    /// csv only: how the date column writes days besides YYYY-MM-DD (YYYY-MM and YYYY are read too), as a chrono strftime format, e.g. %d/%m/%Y for 15/08/2021.
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<crate::import::DateFormat>,
}

#[derive(Args, Debug)]
pub(crate) struct InitArgs {
    /// The folder to write the dataset in; made if missing, and files other than the dataset's are kept.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Replace actors/, claims/, actions/ and seeds/ if DIR has them (without it, such a DIR is refused).
    #[arg(long)]
    pub force: bool,
}

/// What exits 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Contradiction,
    Duplicity,
    None,
}

/// The names a format enum accepts, in order.
fn names<F: ValueEnum>() -> Vec<String> {
    F::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect()
}

/// A report format by its name (as written: names are lower case).
fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_str(s, false).map_err(|_| {
        format!(
            "unknown format \"{s}\"; use one of {}",
            names::<Format>().join(", ")
        )
    })
}

/// A format of `saydo trend`: a report format the trend has no use for
/// is named as such, an unknown name as unknown.
fn parse_trend_format(s: &str) -> Result<TrendFormat, String> {
    let names: Vec<String> = TrendFormat::NAMES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    match TrendFormat::NAMES.iter().find(|(n, _)| *n == s) {
        Some((_, f)) => Ok(*f),
        None => Err(match Format::from_str(s, false) {
            Ok(_) => format!("saydo trend does not write {s}; use {}", or_list(&names)),
            Err(_) => format!("unknown format \"{s}\"; use one of {}", names.join(", ")),
        }),
    }
}

/// A format of `saydo validate`: a report format that has no way to show
/// problems is named as such, an unknown name as unknown.
fn parse_problem_format(s: &str) -> Result<ProblemFormat, String> {
    let names = names::<ProblemFormat>();
    ProblemFormat::from_str(s, false).map_err(|_| match Format::from_str(s, false) {
        Ok(_) => format!("saydo validate does not write {s}; use {}", or_list(&names)),
        Err(_) => format!("unknown format \"{s}\"; use one of {}", names.join(", ")),
    })
}

/// `a, b or c`.
fn or_list(names: &[String]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

fn parse_date(s: &str) -> Result<PartialDate, String> {
    PartialDate::parse(s).map_err(|e| e.0)
}

/// A number in `range` (so never NaN or infinite); `what` names it in the
/// message when it is not.
fn parse_number_in(
    s: &str,
    range: std::ops::RangeInclusive<f64>,
    what: &str,
) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("\"{s}\" is not a number"))?;
    if range.contains(&x) {
        Ok(x)
    } else {
        Err(format!(
            "{what} lies in [{}, {}]",
            range.start(),
            range.end()
        ))
    }
}

fn parse_threshold(s: &str) -> Result<f64, String> {
    parse_number_in(s, 0.0..=10.0, "the threshold")
}

fn parse_severity(s: &str) -> Result<f64, String> {
    parse_number_in(s, 0.0..=1.0, "a severity")
}

/// Spreadsheet options given for a format that takes none, or that do
/// not go together, as a usage error; `command` is how the format was
/// named (`saydo import csv`, `--from csv`), for the message.
fn import_conflict(
    format: crate::import::ImportFormat,
    i: &ImportFlags,
    command: &str,
) -> Result<(), clap::Error> {
    use crate::import::ImportFormat;
    let error = |message: String| {
        Err(<Cli as clap::CommandFactory>::command()
            .error(clap::error::ErrorKind::ArgumentConflict, message))
    };
    if format != ImportFormat::Csv {
        let given: Vec<&str> = [
            (!i.map.is_empty(), "--map"),
            (i.kind.is_some(), "--kind"),
            (i.date_format.is_some(), "--date-format"),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect();
        if !given.is_empty() {
            return error(format!(
                "{} {} for spreadsheets ({command}); {} files name their own columns",
                given.join(", "),
                if given.len() == 1 { "is" } else { "are" },
                format.name()
            ));
        }
        return Ok(());
    }
    let sheet = crate::import::SheetOptions {
        map: i.map.clone(),
        kind: i.kind,
        date_format: None,
    };
    match sheet.conflict() {
        Some(message) => error(message),
        None => Ok(()),
    }
}

/// `saydo export`'s positionals and import flags, checked against
/// `--from`: without it, one dataset folder at most and no import flag;
/// with it, at least one file and the import's own rules.
fn export_conflict(e: &ExportArgs) -> Result<(), clap::Error> {
    use clap::error::ErrorKind;
    let error = |kind: ErrorKind, message: String| {
        let cli = <Cli as clap::CommandFactory>::command();
        let mut export = cli.find_subcommand("export").unwrap_or(&cli).clone();
        Err(export.error(kind, message))
    };
    let Some(format) = e.from else {
        let i = &e.import;
        let given: Vec<&str> = [
            (i.skip_bad, "--skip-bad"),
            (i.force, "--force"),
            (!i.map.is_empty(), "--map"),
            (i.kind.is_some(), "--kind"),
            (i.date_format.is_some(), "--date-format"),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect();
        if !given.is_empty() {
            return error(
                ErrorKind::ArgumentConflict,
                format!(
                    "{} {} for importing files (saydo export --from FORMAT FILE... --out DIR); a dataset folder is exported as it is",
                    given.join(", "),
                    if given.len() == 1 { "is" } else { "are" },
                ),
            );
        }
        if e.inputs.len() > 1 {
            return error(
                ErrorKind::TooManyValues,
                format!(
                    "saydo export takes one dataset folder, not {}; to export event files or spreadsheets, give their format: --from FORMAT",
                    e.inputs.len()
                ),
            );
        }
        return Ok(());
    };
    if e.inputs.is_empty() {
        return error(
            ErrorKind::MissingRequiredArgument,
            format!(
                "--from {} needs the files to import: saydo export --from {} FILE... --out DIR",
                format.name(),
                format.name()
            ),
        );
    }
    import_conflict(format, &e.import, "--from csv")
}

impl ImportFlags {
    /// What to import and how, for `saydo import` and `saydo export
    /// --from` alike.
    fn options(
        self,
        format: crate::import::ImportFormat,
        files: Vec<PathBuf>,
        out: PathBuf,
    ) -> crate::import::ImportOptions {
        crate::import::ImportOptions {
            format,
            files,
            out,
            skip_bad: self.skip_bad,
            force: self.force,
            sheet: crate::import::SheetOptions {
                map: self.map,
                kind: self.kind,
                date_format: self.date_format,
            },
        }
    }
}

impl From<&WindowArgs> for Settings {
    fn from(w: &WindowArgs) -> Self {
        Settings {
            lookback: w.lookback,
            horizon: w.horizon,
            threshold: w.threshold,
        }
    }
}

impl Cli {
    /// The style of a stream: colour as `--color` asks; by default, on a
    /// terminal unless `no_color` (the `NO_COLOR` variable is set and not
    /// empty).
    pub fn style(&self, terminal: bool, no_color: bool) -> Style {
        Style {
            color: match self.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => terminal && !no_color,
            },
        }
    }

    /// Resolves flags into a [`crate::app::Config`]; `terminal_width` is
    /// used when `--width` is not given. Flags that are each valid but do
    /// not go together are a usage error, as clap reports its own.
    pub fn into_config(self, terminal_width: usize) -> Result<crate::app::Config, clap::Error> {
        use crate::app::{CheckConfig, Config, Gate};
        if let Command::Check(CheckArgs {
            filters:
                FilterArgs {
                    since: Some(since),
                    until: Some(until),
                    ..
                },
            ..
        }) = &self.command
            && since.first > until.last
        {
            return Err(<Cli as clap::CommandFactory>::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "--since {} is after --until {}: the period holds no day",
                    since, until
                ),
            ));
        }
        if let Command::Import(i) = &self.command {
            import_conflict(i.format, &i.options, "saydo import csv")?;
        }
        if let Command::Export(e) = &self.command {
            export_conflict(e)?;
        }
        match &self.command {
            Command::Check(c) => c.engines.conflict()?,
            Command::Trend(t) => t.engines.conflict()?,
            _ => {}
        }
        Ok(match self.command {
            Command::Validate(v) => Config::Validate {
                dataset: v.dataset,
                format: v.format,
                output: v.output,
            },
            Command::Check(c) => Config::Check(CheckConfig {
                settings: Settings::from(&c.window),
                dataset: c.dataset,
                format: c.format,
                output: c.output,
                gate: match c.fail_on {
                    FailOn::None => Gate::None,
                    FailOn::Contradiction => Gate::Contradiction,
                    FailOn::Duplicity => Gate::Duplicity,
                },
                min_severity: c.min_severity,
                baseline: c.baseline,
                actor: c.filters.actor,
                topic: c.filters.topic,
                since: c.filters.since,
                until: c.filters.until,
                limit: c.limit,
                group_by: c.group_by,
                top: match (c.top, c.top_per_claim) {
                    (Some(n), _) => Some(crate::report::Top::Overall(n)),
                    (None, Some(n)) => Some(crate::report::Top::PerClaim(n)),
                    (None, None) => None,
                },
                width: c.width.unwrap_or(terminal_width).max(40),
                step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from),
                engine_dir: c.engines.engine_dir.clone(),
                engine: c.engines.engine(),
            }),
            Command::Export(e) => match e.from {
                None => Config::Export {
                    dataset: e.inputs.into_iter().next().unwrap_or_else(|| ".".into()),
                    out: e.out,
                },
                Some(format) => Config::ExportFrom(e.import.options(format, e.inputs, e.out)),
            },
            Command::Import(i) => Config::Import(i.options.options(i.format, i.files, i.out)),
            Command::Init(i) => Config::Init {
                dir: i.dir,
                force: i.force,
            },
            Command::Schema { kind } => Config::Schema {
                kind: match kind {
                    SchemaKind::Report => crate::app::Schema::Report,
                    SchemaKind::Line => crate::app::Schema::Line,
                    SchemaKind::Trend => crate::app::Schema::Trend,
                    SchemaKind::TrendLine => crate::app::Schema::TrendLine,
                    SchemaKind::Diff => crate::app::Schema::Diff,
                    SchemaKind::Explain => crate::app::Schema::Explain,
                },
            },
            Command::Trend(t) => Config::Trend(crate::app::TrendConfig {
                settings: Settings::from(&t.window),
                dataset: t.dataset,
                by: match t.by {
                    By::Month => Period::Month,
                    By::Quarter => Period::Quarter,
                    By::Year => Period::Year,
                },
                format: t.format,
                output: t.output,
                limit: t.limit,
                width: t.width.unwrap_or(terminal_width).max(40),
                engine_dir: t.engines.engine_dir.clone(),
                engine: t.engines.engine(),
            }),
            Command::Diff(d) => Config::Diff(crate::app::DiffConfig {
                old: d.old,
                new: d.new,
                format: d.format,
                output: d.output,
                limit: d.limit,
                width: d.width.unwrap_or(terminal_width).max(40),
                all: d.all,
                fail_on_new: d.fail_on_new,
            }),
            Command::Review(r) => Config::Review(crate::app::ReviewConfig {
                settings: Settings::from(&r.window),
                dataset: r.dataset,
                by: match r.by.or_else(reviewer) {
                    Some(by) => by,
                    None => {
                        return Err(clap::Error::raw(
                            clap::error::ErrorKind::MissingRequiredArgument,
                            "saydo review needs to know who decides: give --by NAME (or set SAYDO_REVIEWER)\n",
                        ));
                    }
                },
                date: r
                    .date
                    .unwrap_or_else(|| chrono::Local::now().format("%Y-%m-%d").to_string()),
                file: r.file,
                baseline: r.baseline,
            }),
            Command::Explain(e) => {
                let (dataset, claim, action) =
                    explain_targets(&e.positionals, e.dataset.as_deref(), Path::is_dir).map_err(
                        |message| {
                            // With explain's usage line, which shows the
                            // positionals' order.
                            let cli = <Cli as clap::CommandFactory>::command();
                            let mut explain =
                                cli.find_subcommand("explain").unwrap_or(&cli).clone();
                            explain.error(clap::error::ErrorKind::ArgumentConflict, message)
                        },
                    )?;
                Config::Explain {
                    settings: Settings::from(&e.window),
                    dataset,
                    claim,
                    action,
                    format: e.format,
                }
            }
            Command::Draft(d) => Config::Draft(crate::app::DraftConfig {
                text: d.text,
                actors: d.actors,
                out: d.out,
                against: d.against,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_reads_its_positionals_by_the_rule_help_states() {
        // `data` and `claims` are folders here; `c1` and `a1` are not.
        let is_folder = |p: &Path| p == Path::new("data") || p == Path::new("claims");
        let run = |args: &[&str], flag: Option<&str>| {
            let positionals: Vec<OsString> = args.iter().map(OsString::from).collect();
            explain_targets(&positionals, flag.map(Path::new), is_folder)
                .map(|(d, c, a)| (d.display().to_string(), c, a))
        };
        let ok = |d: &str, c: &str, a: Option<&str>| {
            Ok((d.to_string(), c.to_string(), a.map(String::from)))
        };
        assert_eq!(run(&["c1"], None), ok(".", "c1", None));
        assert_eq!(run(&["c1", "a1"], None), ok(".", "c1", Some("a1")));
        assert_eq!(run(&["data", "c1"], None), ok("data", "c1", None));
        assert_eq!(
            run(&["data", "c1", "a1"], None),
            ok("data", "c1", Some("a1"))
        );
        // Three are always the dataset, the claim and the action, folder or not.
        assert_eq!(run(&["x", "c1", "a1"], None), ok("x", "c1", Some("a1")));
        // A folder wins over a claim of the same name.
        assert_eq!(run(&["claims", "a1"], None), ok("claims", "a1", None));
        assert_eq!(
            run(&[".", "claims", "a1"], None),
            ok(".", "claims", Some("a1"))
        );
        // The older form.
        assert_eq!(run(&["c1"], Some("data")), ok("data", "c1", None));
        assert_eq!(
            run(&["c1", "a1"], Some("data")),
            ok("data", "c1", Some("a1"))
        );
        // Both forms.
        for args in [&["data", "c1"][..], &["x", "c1", "a1"][..]] {
            let e = run(args, Some("data")).unwrap_err();
            assert!(e.starts_with("the dataset is given twice"), "{e}");
        }
    }

    #[test]
    fn formats_keep_their_names_and_validate_says_what_it_cannot_write() {
        let all = [
            "table", "json", "jsonl", "markdown", "csv", "github", "sarif", "junit", "html",
        ];
        assert_eq!(names::<Format>(), all);
        for name in all {
            assert!(parse_format(name).is_ok(), "{name}");
        }
        assert_eq!(
            parse_format("Json").unwrap_err(),
            "unknown format \"Json\"; use one of table, json, jsonl, markdown, csv, github, sarif, junit, html"
        );
        assert_eq!(parse_problem_format("sarif"), Ok(ProblemFormat::Sarif));
        assert_eq!(
            parse_problem_format("html").unwrap_err(),
            "saydo validate does not write html; use table, json, github, sarif or junit"
        );
        assert_eq!(
            parse_problem_format("nope").unwrap_err(),
            "unknown format \"nope\"; use one of table, json, github, sarif, junit"
        );
    }
}
