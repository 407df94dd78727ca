//! Importing event data and spreadsheets into a saydo dataset
//! (`saydo import FORMAT FILE... --out DIR`).
//!
//! Each format reads its files row by row (a line of a table, a record of
//! a JSON file) and turns every row into one of three things
//! (`sink::Outcome`): a claim or action, written at once as a line of
//! JSON; a skip that is counted (no actor, a repeat of an event already
//! imported, a header); or the problems that keep it out, each at
//! `file:line:column` with a code and a hint, like the problems of a
//! dataset. Actors are gathered as rows name them and written at the end.
//!
//! The output folder appears complete or not at all: everything is
//! written into a temporary folder beside it, which is renamed into place
//! only when the import succeeds. A row with a problem fails the import
//! unless `skip_bad` is set, in which case the other rows are imported and
//! the problems still listed. An existing folder is replaced only with
//! `force`.
//!
//! `saydo export --from` reads the same rows into the same lines, held
//! in memory ([`import_held`]), and validates them there: the Parquet
//! tables it writes come from the dataset `saydo import` would write,
//! without a line of it on disk.
//!
//! How each format maps to saydo's fields is written once, in the
//! format's module and in `tables`, and copied into the `README.md`
//! of every imported dataset.

mod acled;
mod cameo;
mod gdelt;
mod icews;
mod plover;
mod rows;
mod sheet;
mod sink;
mod tables;
mod values;

pub use sheet::{ColumnMap, DateFormat, SheetField, SheetKind, SheetOptions};
pub use sink::Counts;

use crate::diag::{Code, Diagnostic, Files};
use crate::output::Temporary;
use crate::progress::Progress;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// The formats `saydo import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// GDELT 1.0 or 2.0 event files.
    Gdelt,
    /// ICEWS event files (tab-separated, with their header row).
    Icews,
    /// PLOVER event records (a JSON array of records, or one a line).
    Plover,
    /// ACLED exports (CSV with ACLED's header): every event an action.
    Acled,
    /// Spreadsheets saved as CSV or tab-separated text, one claim or
    /// action per row (see --map, --kind and --date-format).
    Csv,
}

impl ImportFormat {
    /// The format's name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Gdelt => "gdelt",
            ImportFormat::Icews => "icews",
            ImportFormat::Plover => "plover",
            ImportFormat::Acled => "acled",
            ImportFormat::Csv => "csv",
        }
    }
}

/// What to import and how.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The format of every file.
    pub format: ImportFormat,
    /// The files, read in this order.
    pub files: Vec<PathBuf>,
    /// The dataset folder to write.
    pub out: PathBuf,
    /// Import the good rows when some are bad (the bad ones are still
    /// listed); otherwise a bad row writes nothing.
    pub skip_bad: bool,
    /// Replace `out` if it exists.
    pub force: bool,
    /// How to read spreadsheets (format `csv` only; empty for the others).
    pub sheet: SheetOptions,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    /// The files read, to place the problems in.
    pub files: Files,
    /// Problems of bad rows, sorted by place.
    pub problems: Vec<Diagnostic>,
    /// Rows read and what became of them.
    pub counts: Counts,
    /// Whether the dataset was written (no bad row, or `skip_bad`, and
    /// not `refused`).
    pub written: bool,
    /// Whether the request itself could not be carried out (a column the
    /// options map that a file's header lacks): nothing was written, and
    /// `skip_bad` would not change that.
    pub refused: bool,
}

/// Why an import could not run at all.
#[derive(Debug)]
pub enum ImportError {
    /// The output folder exists and `force` was not given.
    OutExists(PathBuf),
    /// Writing the output failed.
    Io(io::Error),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::OutExists(p) => write!(f, "{} exists already", p.display()),
            ImportError::Io(e) => write!(f, "cannot write the dataset: {e}"),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<io::Error> for ImportError {
    fn from(e: io::Error) -> Self {
        ImportError::Io(e)
    }
}

/// Imports `options.files` into the dataset folder `options.out`.
pub fn import(options: &ImportOptions, progress: &dyn Progress) -> Result<Imported, ImportError> {
    let out = &options.out;
    if out.symlink_metadata().is_ok() && !options.force {
        return Err(ImportError::OutExists(out.clone()));
    }
    let temp = Temporary::beside(out, ".saydo-import-")?;
    let name = options.format.name();
    let (sink, files) = read_all(options, sink::Sink::create(temp.path(), name)?, progress);
    let refused = sink.refused;
    let (counts, mut problems) = sink.finish(temp.path(), name)?;
    crate::diag::sort(&mut problems);
    let written = !refused && (problems.is_empty() || options.skip_bad);
    if written {
        std::fs::write(
            temp.path().join("README.md"),
            readme(options, &files, &counts),
        )?;
        temp.rename_to(out, options.force)?;
    }
    progress.finish();
    Ok(Imported {
        files,
        problems,
        counts,
        written,
        refused,
    })
}

/// Imports `options.files` into memory (`saydo export --from`): the
/// dataset [`import`] would write into `options.out`, held, to be
/// validated by saydo's loader (`validate::load_held`) without a line of
/// JSON on disk. `Imported::written` says whether it was made (the same
/// rule as [`import`]'s); `out` and `force` are left to the caller, which
/// writes something else there.
pub fn import_held(
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<(Imported, Option<crate::validate::Held>), ImportError> {
    let name = options.format.name();
    let (sink, files) = read_all(options, sink::Sink::held(), progress);
    let refused = sink.refused;
    let (counts, mut problems, held) = sink.finish_held(&options.out, name)?;
    crate::diag::sort(&mut problems);
    let written = !refused && (problems.is_empty() || options.skip_bad);
    let imported = Imported {
        files,
        problems,
        counts,
        written,
        refused,
    };
    Ok((imported, written.then_some(held)))
}

/// Reads every file of `options` into `sink`, row by row; a file that
/// cannot be read is a problem of that file.
fn read_all(
    options: &ImportOptions,
    mut sink: sink::Sink,
    progress: &dyn Progress,
) -> (sink::Sink, Files) {
    let mut files = Files::new(Path::new("."));
    // About one event per 200 bytes of event data: sized once, the sets
    // of events and ids are not rebuilt as they grow.
    let bytes: u64 = options
        .files
        .iter()
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum();
    let expected = usize::try_from(bytes / 200).unwrap_or(0).min(1 << 26);
    // GDELT keeps its own sets, in shards its threads work on.
    let mut taken = match options.format {
        ImportFormat::Gdelt => gdelt::Taken::new(expected),
        _ => {
            sink.reserve(expected);
            gdelt::Taken::new(0)
        }
    };
    progress.stage("importing", options.files.len() as u64);
    for path in &options.files {
        let file = files.add(path.clone());
        let read = match options.format {
            ImportFormat::Gdelt => gdelt::read(path, file, &mut sink, &mut taken),
            ImportFormat::Icews => icews::read(path, file, &mut sink),
            ImportFormat::Plover => plover::read(path, file, &mut sink),
            ImportFormat::Acled => acled::read(path, file, &mut sink),
            ImportFormat::Csv => sheet::read(path, file, &options.sheet, &mut sink),
        };
        if let Err(e) = read {
            sink.problems.push(
                Diagnostic::new(Code::Io, file, 0..0, format!("cannot read this file: {e}"))
                    .hint("check that the file exists, is readable and is not compressed (unzip .zip and .gz files first)"),
            );
        }
        progress.advance(1);
    }
    (sink, files)
}

/// The imported dataset's README: what was imported from where, with
/// which options and mapping, and what became of the rows.
fn readme(options: &ImportOptions, files: &Files, counts: &Counts) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Imported by saydo\n");
    let _ = writeln!(
        out,
        "This dataset was written by `saydo import {}` (saydo {}) from:\n",
        options.format.name(),
        env!("CARGO_PKG_VERSION")
    );
    // Files are numbered in the order they were read.
    for i in 0..options.files.len() {
        let _ = writeln!(out, "- `{}`", files.display(crate::diag::FileId(i as u32)));
    }
    let _ = writeln!(out, "\nOptions: {}.\n", option_list(options));
    let c = counts;
    let _ = write!(
        out,
        "Of {} rows read, {} became claims and {} actions, naming {} actors.",
        c.rows, c.claims, c.actions, c.actors
    );
    let skipped: Vec<String> = [
        (c.no_actor, "named no actor"),
        (c.merged, "repeated an event already imported"),
        (c.not_events, "were not events (headers, blank lines)"),
        (c.excluded, "are not imported by the mapping below"),
        (c.bad, "had problems and were left out"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !skipped.is_empty() {
        let _ = write!(out, " Not imported: {}.", skipped.join("; "));
    }
    let _ = writeln!(out, "\n");
    let _ = writeln!(out, "## Mapping\n");
    out.push_str(&match options.format {
        ImportFormat::Gdelt => gdelt::mapping(),
        ImportFormat::Icews => icews::mapping(),
        ImportFormat::Plover => plover::mapping(),
        ImportFormat::Acled => acled::mapping(),
        ImportFormat::Csv => sheet::mapping(&options.sheet),
    });
    out
}

fn option_list(options: &ImportOptions) -> String {
    let mut list = Vec::new();
    if options.skip_bad {
        list.push("`--skip-bad` (rows with problems were left out)");
    }
    if options.force {
        list.push("`--force`");
    }
    if !options.sheet.is_empty() {
        list.push("the spreadsheet options listed under Mapping");
    }
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod held_tests {
    //! `import_held` holds the files `import` writes, and the folder
    //! loader reads them alike from either.

    use super::*;
    use crate::progress::Silent;
    use crate::validate::{Held, HeldFile, load, load_held};

    fn fixture(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import")
            .join(path)
    }

    /// Each record as the tables take it: id, actor, target, date, score.
    fn records(data: &crate::model::Dataset) -> Vec<String> {
        let mut out = Vec::new();
        for r in data.claims.iter().chain(&data.actions) {
            out.push(format!(
                "{} {} {:?} {} {} {:?}",
                r.id, r.actor, r.target, r.date, r.score, r.topics
            ));
        }
        out.extend(data.actors.iter().map(|a| format!("{} {}", a.id, a.name)));
        out
    }

    #[test]
    fn the_held_dataset_is_the_folder_import_writes() {
        for (format, file) in [
            (ImportFormat::Gdelt, "gdelt/gdelt1-20141124.export.tsv"),
            (ImportFormat::Icews, "icews/icews-events-2018-300rows.tab"),
            (ImportFormat::Plover, "plover/plover-gsr-cameo-subset.json"),
            (ImportFormat::Acled, "acled/events.csv"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let options = ImportOptions {
                format,
                files: vec![fixture(file)],
                out: dir.path().join("d"),
                skip_bad: false,
                force: false,
                sheet: SheetOptions::default(),
            };
            let (counts, held) = match import_held(&options, &Silent).unwrap() {
                (imported, Some(held)) => (imported.counts, held),
                (imported, None) => panic!("{file}: {:?}", imported.problems),
            };
            let written = import(&options, &Silent).unwrap();
            assert_eq!(counts, written.counts, "{file}");
            // The same files, byte for byte; none but the dataset's.
            for (folder, files) in [
                ("actors", &held.actors),
                ("claims", &held.claims),
                ("actions", &held.actions),
            ] {
                let mut on_disk: Vec<(String, Vec<u8>)> =
                    std::fs::read_dir(options.out.join(folder))
                        .unwrap()
                        .map(|e| {
                            let e = e.unwrap();
                            let name = e.file_name().to_string_lossy().into_owned();
                            (name, std::fs::read(e.path()).unwrap())
                        })
                        .collect();
                on_disk.sort();
                let held: Vec<(String, Vec<u8>)> = files
                    .iter()
                    .map(|f| (f.name.clone(), f.bytes.clone()))
                    .collect();
                assert!(held == on_disk, "{file}: {folder}/ differs");
            }
            let from_disk = load(&options.out).unwrap();
            let from_memory = load_held(held, &Silent).unwrap();
            assert_eq!(records(&from_memory), records(&from_disk), "{file}");
            assert_eq!(from_memory.warnings.len(), from_disk.warnings.len());
            assert!(from_memory.claims.len() + from_memory.actions.len() > 0);
        }
    }

    #[test]
    fn problems_of_a_held_file_are_placed_and_shown_from_its_bytes() {
        let held = Held {
            root: PathBuf::from("/nowhere/tables"),
            claims: vec![HeldFile {
                name: "t.jsonl".into(),
                bytes: b"{\"id\": 1}\n".to_vec(),
            }],
            ..Held::default()
        };
        let invalid = load_held(held, &Silent).unwrap_err();
        let text = crate::render::problems::human(
            &invalid.problems,
            &invalid.files,
            crate::render::style::Style::PLAIN,
        );
        assert!(text.contains("claims/t.jsonl:1:"), "{text}");
        assert!(text.contains("{\"id\": 1}"), "{text}");
    }
}
