//! Reading a dataset's folders: which files are data, their text, and the
//! records in them (a `.json` file's array, a `.jsonl` file's lines), each
//! handed to a [`FieldReader`] with its problems located.

use crate::diag::{Code, Diagnostic};
use crate::input::json::{Kind, Reader, SyntaxError};
use crate::input::records::FieldReader;
use crate::input::source::{FileId, Files, MAX_FILE_BYTES, ReadError};
use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Problems collected from one chunk of a file (a whole `.json` file, or
/// 4 MiB of a `.jsonl` file) before saydo stops reading it: a file of
/// nothing but broken lines must not fill memory with messages.
pub const MAX_PROBLEMS_PER_CHUNK: usize = 1000;
/// JSON Lines files are parsed in chunks of about this many bytes, in parallel.
const CHUNK_BYTES: usize = 4 << 20;

/// Which kind of data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    JsonLines,
}

pub(crate) struct DataFile {
    pub(crate) id: FileId,
    pub(crate) format: Format,
}

/// The data files of one folder in name order, or `None` when the folder
/// is not there. Only a folder that does not exist at all is absent: one
/// that is there but cannot be listed (a link to nowhere or to itself, a
/// file, a folder saydo may not read) is an error naming it, and also
/// `None`, so that its records' references are not reported once more each.
/// A `required` folder that is absent is an error too. Other files get a
/// warning.
pub(crate) fn list_folder(
    root: &Path,
    name: &str,
    required: bool,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<DataFile>> {
    let dir = root.join(name);
    let listed = match std::fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if required {
                diags.push(
                    Diagnostic::global(Code::MissingFolder, format!("the dataset has no {name}/ folder"))
                        .hint(format!("create {name}/ with *.json or *.jsonl files, or run saydo in the dataset folder")),
                );
            }
            return None;
        }
        there => there.and_then(|_| std::fs::read_dir(&dir)),
    };
    let entries = match listed {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(
                Diagnostic::global(Code::Io, format!("cannot read folder {name}/: {e}")).hint(
                    format!(
                        "make {name}/ a folder saydo can read, or remove it if the dataset has no {name}"
                    ),
                ),
            );
            return None;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    let mut out = Vec::new();
    for path in paths {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = if path.is_dir() {
            None
        } else if file_name.ends_with(".jsonl") {
            Some(Format::JsonLines)
        } else if file_name.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        };
        let id = files.add(path.clone());
        match format {
            Some(format) => out.push(DataFile { id, format }),
            None => {
                let what = if path.is_dir() { "folder" } else { "file" };
                diags.push(
                    Diagnostic::new(
                        Code::UnexpectedFile,
                        id,
                        0..0,
                        format!("{what} {file_name} in {name}/ is not read"),
                    )
                    .hint(format!(
                        "only *.json and *.jsonl files in {name}/ are data; rename or move it"
                    )),
                );
            }
        }
    }
    Some(out)
}

/// A file's text and the offset where its JSON starts (after a byte-order
/// mark): borrowed from a file held in memory, or read from disk into
/// `buffer`.
pub(crate) fn read_text<'f>(
    file: FileId,
    files: &'f Files,
    diags: &mut Vec<Diagnostic>,
    buffer: Vec<u8>,
) -> Option<(Cow<'f, str>, usize)> {
    let text = match files.held(file) {
        // Held files are the records saydo made itself: no link or
        // device to refuse, and no size past what memory took.
        Some(bytes) => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| e.valid_up_to()..e.valid_up_to() + e.error_len().unwrap_or(1)),
        None => {
            let bytes = read_from_disk(file, files, diags, buffer)?;
            String::from_utf8(bytes).map(Cow::Owned).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                at..at + e.utf8_error().error_len().unwrap_or(1)
            })
        }
    };
    let text = match text {
        Ok(t) => t,
        Err(span) => {
            diags.push(
                Diagnostic::new(Code::NotUtf8, file, span, "file is not valid UTF-8")
                    .hint("save the file as UTF-8 (most editors and spreadsheet exports offer it)"),
            );
            return None;
        }
    };
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    if text[start..].trim().is_empty() {
        diags.push(
            Diagnostic::new(Code::EmptyFile, file, 0..0, "file holds no JSON")
                .hint("write [] for a file without records, or remove the file"),
        );
        return None;
    }
    Some((text, start))
}

/// A data file's bytes from disk, into `buffer`, or the problem that
/// keeps it from being read.
fn read_from_disk(
    file: FileId,
    files: &Files,
    diags: &mut Vec<Diagnostic>,
    buffer: Vec<u8>,
) -> Option<Vec<u8>> {
    let path = files.path(file);
    // A data file must be a regular file inside the dataset: not a link
    // out of it, not a device or FIFO that would never end.
    let root = files
        .root()
        .canonicalize()
        .unwrap_or_else(|_| files.root().to_path_buf());
    if let Ok(real) = path.canonicalize()
        && !real.starts_with(&root)
    {
        diags.push(
            Diagnostic::new(
                Code::Io,
                file,
                0..0,
                "file is a link to a place outside the dataset",
            )
            .hint("copy the data into the dataset folder instead of linking to it"),
        );
        return None;
    }
    match crate::input::source::read_regular_into(path, MAX_FILE_BYTES, buffer) {
        Ok(b) => Some(b),
        Err(ReadError::TooLarge) => {
            diags.push(
                Diagnostic::new(
                    Code::TooLarge,
                    file,
                    0..0,
                    "file is larger than 4 GiB, the most saydo reads",
                )
                .hint("split it into several files (JSON Lines files can be cut at any line)"),
            );
            None
        }
        Err(ReadError::NotAFile) => {
            diags.push(
                Diagnostic::new(
                    Code::Io,
                    file,
                    0..0,
                    "not a regular file (a folder, device or pipe)",
                )
                .hint("data folders hold ordinary *.json and *.jsonl files"),
            );
            None
        }
        Err(ReadError::Io(e)) => {
            diags.push(Diagnostic::new(
                Code::Io,
                file,
                0..0,
                format!("cannot read file: {e}"),
            ));
            None
        }
    }
}

pub(crate) fn syntax_problem(file: FileId, base: usize, e: SyntaxError, jsonl: bool) -> Diagnostic {
    let span = e.at.start + base..e.at.end + base;
    if e.too_deep {
        return Diagnostic::new(Code::TooDeep, file, span, e.message)
            .hint("records nest at most a few levels; this is not a saydo dataset file");
    }
    let hint = if jsonl {
        "each line of a .jsonl file is one complete JSON record"
    } else {
        "a .json data file is one JSON array of records: [ {…}, {…} ]"
    };
    Diagnostic::new(Code::JsonSyntax, file, span, e.message).hint(hint)
}

/// Calls `each` on every top-level record of one file's text, reporting
/// syntax errors (a `.json` file stops at its first; a `.jsonl` line does).
pub(crate) fn for_each_record<'t>(
    text: &'t str,
    start: usize,
    end: usize,
    format: Format,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
    mut each: impl FnMut(&mut FieldReader<'t, '_>) -> crate::input::json::Result<()>,
) {
    match format {
        Format::Json => {
            let mut fr = FieldReader::new(Reader::new(&text[..end]), 0, file, diags);
            fr.r.skip_to(start);
            if let Err(e) = json_array(&mut fr, &mut each) {
                diags.push(syntax_problem(file, 0, *e, false));
            }
        }
        Format::JsonLines => {
            let mut line_start = start;
            let before = diags.len();
            while line_start < end {
                if diags.len() - before >= MAX_PROBLEMS_PER_CHUNK {
                    diags.push(too_many(file, line_start));
                    break;
                }
                let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..end])
                    .map_or(end, |i| line_start + i);
                let line = &text[line_start..line_end];
                if !line.trim().is_empty() {
                    // The reader sees the file up to the end of the line and
                    // starts at the line, so every span is a file offset.
                    let mut fr = FieldReader::new(Reader::new(&text[..line_end]), 0, file, diags);
                    fr.r.skip_to(line_start);
                    if let Err(e) = json_line(&mut fr, &mut each) {
                        diags.push(syntax_problem(file, 0, *e, true));
                    }
                }
                line_start = line_end + 1;
            }
        }
    }
}

/// The problem that ends reading a file with too many problems.
pub(crate) fn too_many(file: FileId, at: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooManyProblems,
        file,
        at..at,
        format!("more than {MAX_PROBLEMS_PER_CHUNK} problems here; saydo stopped reading this part of the file"),
    )
    .hint("fix the problems above (they are often one mistake repeated) and run saydo again")
}

pub(crate) fn not_a_record(
    fr: &mut FieldReader<'_, '_>,
    found: Kind,
    hint: &str,
) -> crate::input::json::Result<()> {
    let span = fr.r.skip()?;
    let span = span.start + fr.base..span.end + fr.base;
    fr.diags.push(
        Diagnostic::new(
            Code::WrongType,
            fr.file,
            span,
            format!("expected a record (a JSON object), found {}", found.noun()),
        )
        .hint(hint),
    );
    Ok(())
}

pub(crate) fn json_array<'t>(
    fr: &mut FieldReader<'t, '_>,
    each: &mut impl FnMut(&mut FieldReader<'t, '_>) -> crate::input::json::Result<()>,
) -> crate::input::json::Result<()> {
    match fr.r.peek()? {
        Kind::Array => {}
        Kind::Object => {
            not_a_record_file(
                fr,
                "wrap the record in [ ], or name the file .jsonl for one record per line",
            )?;
            return fr.r.finish();
        }
        other => {
            not_a_record_file_kind(fr, other)?;
            return fr.r.finish();
        }
    }
    let mut seq = fr.r.array()?;
    let before = fr.diags.len();
    while fr.r.next_element(&mut seq)? {
        if fr.diags.len() - before >= MAX_PROBLEMS_PER_CHUNK {
            let at = fr.r.pos();
            fr.diags.push(too_many(fr.file, at));
            return Ok(());
        }
        match fr.r.peek()? {
            Kind::Object => each(fr)?,
            other => not_a_record(
                fr,
                other,
                "a .json data file is an array of records: [ {…}, {…} ]",
            )?,
        }
    }
    fr.r.finish()
}

pub(crate) fn not_a_record_file(
    fr: &mut FieldReader<'_, '_>,
    hint: &str,
) -> crate::input::json::Result<()> {
    let span = fr.r.skip()?;
    fr.diags.push(
        Diagnostic::new(
            Code::WrongType,
            fr.file,
            span,
            "a .json data file must hold an array of records, found an object",
        )
        .hint(hint),
    );
    Ok(())
}

pub(crate) fn not_a_record_file_kind(
    fr: &mut FieldReader<'_, '_>,
    found: Kind,
) -> crate::input::json::Result<()> {
    let span = fr.r.skip()?;
    fr.diags.push(
        Diagnostic::new(
            Code::WrongType,
            fr.file,
            span,
            format!(
                "a .json data file must hold an array of records, found {}",
                found.noun()
            ),
        )
        .hint("a .json data file is one JSON array of records: [ {…}, {…} ]"),
    );
    Ok(())
}

pub(crate) fn json_line<'t>(
    fr: &mut FieldReader<'t, '_>,
    each: &mut impl FnMut(&mut FieldReader<'t, '_>) -> crate::input::json::Result<()>,
) -> crate::input::json::Result<()> {
    match fr.r.peek()? {
        Kind::Object => each(fr)?,
        other => not_a_record(fr, other, "each line of a .jsonl file is one record: {…}")?,
    }
    fr.r.finish()
}

/// Chunks of a file to parse in parallel: one for a `.json` file, pieces
/// cut at line breaks for `.jsonl`.
pub(crate) fn chunk_bounds(text: &str, start: usize, format: Format) -> Vec<Range<usize>> {
    if format == Format::Json {
        return std::iter::once(start..text.len()).collect();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = start;
    while from < bytes.len() {
        let mut to = (from + CHUNK_BYTES).min(bytes.len());
        if to < bytes.len() {
            to = memchr::memchr(b'\n', &bytes[to..]).map_or(bytes.len(), |i| to + i + 1);
        }
        out.push(from..to);
        from = to;
    }
    if out.is_empty() {
        out.push(start..start);
    }
    out
}
