//! `saydo import`: event data or a spreadsheet into a new dataset folder.

use super::*;
use crate::import::{ImportError, ImportOptions, Imported};
use crate::render::common::plural;

pub(super) fn import(options: &ImportOptions, io: &mut Io<'_>) -> io::Result<Status> {
    let imported = match crate::import::import(options, io.progress) {
        Ok(imported) => imported,
        Err(ImportError::OutExists(path)) => {
            return usage(
                io,
                &format!("{} exists already", path.display()),
                Some("choose another --out, or add --force to replace it".into()),
            );
        }
        Err(e) => {
            writeln!(io.stderr, "error: {e}")?;
            return Ok(Status::Error);
        }
    };
    if !imported.problems.is_empty() {
        let text = problems::human(&imported.problems, &imported.files, io.colors.stderr);
        io.stderr.write_all(text.as_bytes())?;
    }
    io.stdout
        .write_all(summary(options, &imported, Some(&options.out)).as_bytes())?;
    Ok(match (imported.written, imported.problems.is_empty()) {
        (true, true) => Status::Success,
        (true, false) => Status::Findings,
        (false, _) => Status::Error,
    })
}

/// What became of the rows, in a sentence or two; `into` is the dataset
/// folder written, if one was (`saydo export --from` writes tables).
pub(super) fn summary(options: &ImportOptions, imported: &Imported, into: Option<&Path>) -> String {
    let c = &imported.counts;
    let files = plural(options.files.len() as u64, "file", "files");
    if imported.refused {
        return format!(
            "nothing written: a file's header lacks the columns the import needs (listed above), so no row of {files} was read\n"
        );
    }
    if !imported.written {
        let what = match c.bad {
            0 => plural(imported.problems.len() as u64, "problem", "problems"),
            n => plural(n, "row has problems", "rows have problems"),
        };
        let good = c.rows - c.bad;
        return if good > 0 {
            format!(
                "nothing written: {what} (listed above); fix them, or add --skip-bad to import the other {good} of {} rows from {files}\n",
                c.rows
            )
        } else {
            format!("nothing written: {what} (listed above)\n")
        };
    }
    let mut skipped = Vec::new();
    for (n, one, many) in [
        (c.no_actor, "row named no actor", "rows named no actor"),
        (c.merged, "row repeated an event", "rows repeated an event"),
        (
            c.excluded,
            "row is not imported by the mapping",
            "rows are not imported by the mapping",
        ),
        (c.bad, "row had problems", "rows had problems"),
    ] {
        if n > 0 {
            skipped.push(plural(n, one, many));
        }
    }
    let into = into
        .map(|dir| format!(" into {}", dir.display()))
        .unwrap_or_default();
    let mut out = format!(
        "imported {} of {} rows from {files}{into}: {}, {}, {}",
        c.imported(),
        c.rows,
        plural(c.claims, "claim", "claims"),
        plural(c.actions, "action", "actions"),
        plural(c.actors, "actor", "actors"),
    );
    if !skipped.is_empty() {
        out.push_str(&format!(" ({})", skipped.join(", ")));
    }
    out.push('\n');
    out
}
