//! `saydo export --from FORMAT FILE... --out DIR`: event data or a
//! spreadsheet straight to the Parquet tables of `saydo export DIR`. The
//! files are imported as `saydo import` imports them, into memory; the
//! dataset that import would write is validated and resolved there by the
//! loader of dataset folders, and written as tables. No JSON reaches the
//! disk, and the tables are those of importing and exporting in two steps.

use super::*;
use crate::import::{ImportError, ImportOptions};

pub(super) fn export_from(options: &ImportOptions, io: &mut Io<'_>) -> io::Result<Status> {
    if let Some(why) = (crate::engines::Engine::DataFusion { memory_limit: None }).unavailable() {
        return usage(io, &format!("saydo export: {why}"), None);
    }
    let out = &options.out;
    // Refused before any row is read, as `saydo import` refuses it.
    if out.symlink_metadata().is_ok() && !options.force {
        return usage(
            io,
            &format!("{} exists already", out.display()),
            Some("choose another --out, or add --force to replace it".into()),
        );
    }
    let (imported, held) = match crate::import::import_held(options, io.progress) {
        Ok(done) => done,
        Err(e @ (ImportError::Io(_) | ImportError::OutExists(_))) => {
            io.progress.finish();
            writeln!(io.stderr, "error: {e}")?;
            return Ok(Status::Error);
        }
    };
    if !imported.problems.is_empty() {
        io.progress.finish();
        let text = problems::human(&imported.problems, &imported.files, io.colors.stderr);
        io.stderr.write_all(text.as_bytes())?;
    }
    let rows = import::summary(options, &imported, None);
    let Some(held) = held else {
        io.progress.finish();
        io.stderr.write_all(rows.as_bytes())?;
        return Ok(Status::Error);
    };
    let mut data = match crate::validate::load_held(held, io.progress) {
        Ok(data) => data,
        Err(Invalid { files, problems }) => {
            // The records an importer made do not validate: shown where
            // `saydo import` would write them, which reproduces them.
            io.progress.finish();
            let (errors, warnings) = counts(&problems);
            let text = problems::human(&problems, &files, io.colors.stderr);
            let _ = io.stderr.write_all(text.as_bytes());
            writeln!(
                io.stderr,
                "invalid: {} and {} in the dataset imported from {}; nothing written\n  = hint: `saydo import {} FILE... --out DIR` writes that dataset, with the files named above",
                plural(errors, "error"),
                plural(warnings, "warning"),
                render::common::plural(options.files.len() as u64, "file", "files"),
                options.format.name(),
            )?;
            return Ok(Status::Error);
        }
    };
    io.progress.finish();
    if !data.warnings.is_empty() {
        let lister = format!(
            "`saydo import {} FILE... --out DIR && saydo validate DIR`",
            options.format.name()
        );
        let text = check::warnings_listed(&data.warnings, &data, &lister, io.colors.stderr);
        let _ = io.stderr.write_all(text.as_bytes());
    }
    // The records are resolved: the text they were read from can go
    // before the tables are built.
    data.files.release_held();
    io.stderr.write_all(rows.as_bytes())?;
    match write_tables(&data, out, options.force) {
        Ok(()) => {
            super::check::say_exported(&data, out, io)?;
            Ok(if imported.problems.is_empty() {
                Status::Success
            } else {
                Status::Findings
            })
        }
        Err(message) => {
            writeln!(io.stderr, "error: {message}")?;
            Ok(Status::Error)
        }
    }
}

#[cfg(feature = "datafusion")]
fn write_tables(data: &Dataset, out: &Path, force: bool) -> Result<(), String> {
    crate::engines::export_replacing(data, out, force)
}

#[cfg(not(feature = "datafusion"))]
fn write_tables(_: &Dataset, _: &Path, _: bool) -> Result<(), String> {
    Err("saydo export: not built in".into())
}
