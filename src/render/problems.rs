//! Problems for people (rustc-style, with the source line and a caret) and
//! for programs (JSON).
//!
//! The rustc-style printer is written here rather than with
//! annotate-snippets or codespan-reporting, which cannot produce the same
//! bytes: both put an empty `|` line before the hints and notes, widen
//! tabs to four spaces, and show a long line whole or cut to the
//! terminal's width with `...`, not as a window with `…` around the
//! problem. Where saydo shows U+FFFD for a control character,
//! annotate-snippets shows its picture (`␛`) and codespan-reporting passes
//! it to the terminal. annotate-snippets, tried in place of this printer,
//! also costs more than 5% on the large set, see BENCHMARKS.md.

use crate::diag::{Diagnostic, Severity};
use crate::input::source::{FileId, Files, LineCol};
use crate::render::common::Placer;
use crate::render::escape::{inert, snippet_char};
use crate::render::style::{Paint, Style};
use serde::Serialize;
use std::fmt::Write as _;

/// Lines longer than this many characters are shown as a window around the
/// problem, so a minified file does not flood the terminal.
const MAX_SHOWN_LINE: usize = 120;

/// The line of a span's start and the caret under it.
fn snippet(
    placer: &mut Placer<'_>,
    file: FileId,
    span: &std::ops::Range<usize>,
) -> Option<(LineCol, String, String)> {
    let src = placer.source(file);
    if span.is_empty() && span.start == 0 {
        return None;
    }
    let at = src.line_col(span.start);
    let line_start = src.line_start(at.line);
    let line_end = src.line_end(at.line);
    let end_offset = span.end.min(line_end).max(span.start);
    let width = (src.line_col(end_offset).column - at.column).max(1);
    // Only a window of the line is decoded: a line may be 100 MB long.
    let col0 = at.column - 1;
    let from = col0.saturating_sub(MAX_SHOWN_LINE / 3);
    let start = src.char_offset(line_start, line_end, from);
    let bytes = src.bytes();
    let window =
        String::from_utf8_lossy(&bytes[start..line_end.min(start + 4 * MAX_SHOWN_LINE + 4)]);
    let mut chars = window
        .trim_end_matches(['\r', '\n'])
        .chars()
        .map(snippet_char);
    let mut shown = String::new();
    let mut shift = 0;
    if from > 0 {
        shown.push('…');
        shift = 1;
    }
    shown.extend(chars.by_ref().take(MAX_SHOWN_LINE));
    if chars.next().is_some() {
        shown.push('…');
    }
    let caret_at = col0 - from + shift;
    let width = width.min(MAX_SHOWN_LINE);
    let caret = format!("{}{}", " ".repeat(caret_at), "^".repeat(width));
    Some((at, shown, caret))
}

/// Renders problems the way rustc does.
pub fn human(problems: &[Diagnostic], files: &Files, style: Style) -> String {
    let mut placer = Placer::new(files);
    let mut out = String::new();
    for d in problems {
        let paint = match d.severity {
            Severity::Error => Paint::Error,
            Severity::Warning => Paint::Warning,
        };
        let head = format!("{}[{}]", d.severity.as_str(), d.code.as_str());
        let _ = writeln!(
            out,
            "{}{} {}",
            style.paint(paint, &head),
            style.paint(Paint::Bold, ":"),
            style.paint(Paint::Bold, &inert(&d.message))
        );
        let mut gutter = 1;
        if let Some(file) = d.file {
            let place = placer.place(file, &d.span);
            let snippet = snippet(&mut placer, file, &d.span);
            gutter = snippet
                .as_ref()
                .map_or(1, |(at, _, _)| at.line.to_string().len());
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{pad}{} {}:{}:{}",
                style.paint(Paint::Frame, "-->"),
                inert(&place.file),
                place.line,
                place.column
            );
            if let Some((at, text, caret)) = snippet {
                let bar = style.paint(Paint::Frame, "|");
                let _ = writeln!(out, "{pad} {bar}");
                let _ = writeln!(
                    out,
                    "{} {bar} {text}",
                    style.paint(Paint::Frame, &at.line.to_string())
                );
                let _ = writeln!(out, "{pad} {bar} {}", style.paint(paint, &caret));
            }
        }
        let pad = " ".repeat(gutter);
        if let Some(hint) = &d.hint {
            let _ = writeln!(
                out,
                "{pad} {} {} {}",
                style.paint(Paint::Frame, "="),
                style.paint(Paint::Bold, "hint:"),
                inert(hint)
            );
        }
        for note in &d.notes {
            let place = placer.place(note.file, &note.span);
            let _ = writeln!(
                out,
                "{pad} {} {} {}: {}:{}:{}",
                style.paint(Paint::Frame, "="),
                style.paint(Paint::Bold, "note:"),
                inert(&note.message),
                inert(&place.file),
                place.line,
                place.column
            );
        }
        out.push('\n');
    }
    out
}

/// One problem as data (the `--format json` of `saydo validate`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProblemJson {
    /// The problem's code ([`crate::diag::Code::as_str`]).
    pub code: &'static str,
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    /// Path relative to the dataset; null for a problem of the whole dataset.
    pub file: Option<String>,
    /// 1-based line where the offending value starts.
    pub line: Option<usize>,
    /// 1-based column (in characters) where it starts.
    pub column: Option<usize>,
    /// Line where it ends.
    pub end_line: Option<usize>,
    /// Column just after its end.
    pub end_column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when saydo can tell.
    pub hint: Option<String>,
    /// Other places involved.
    pub notes: Vec<NoteJson>,
}

/// A secondary place of a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteJson {
    /// Path relative to the dataset.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What the place shows.
    pub message: String,
}

/// Problems as data, in the order given.
pub fn to_json(problems: &[Diagnostic], files: &Files) -> Vec<ProblemJson> {
    let mut placer = Placer::new(files);
    problems
        .iter()
        .map(|d| {
            let place = d.file.map(|f| placer.place(f, &d.span));
            ProblemJson {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                file: place.as_ref().map(|p| p.file.clone()),
                line: place.as_ref().map(|p| p.line),
                column: place.as_ref().map(|p| p.column),
                end_line: place.as_ref().map(|p| p.end_line),
                end_column: place.as_ref().map(|p| p.end_column),
                message: d.message.clone(),
                hint: d.hint.clone(),
                notes: d
                    .notes
                    .iter()
                    .map(|n| {
                        let p = placer.place(n.file, &n.span);
                        NoteJson {
                            file: p.file,
                            line: p.line,
                            column: p.column,
                            message: n.message.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::SCANNED;

    #[test]
    fn placing_a_problem_on_a_long_line_looks_at_a_short_stretch_of_it() {
        // One line of a megabyte (with two-byte characters, so bytes and
        // columns differ) and a thousand problems spread along it: each
        // costs a stretch of the line near the problem, not the line up to
        // it, so a record with thousands of problems on a minified line
        // is shown in linear time.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.json");
        let unit = "{\"é\":1},";
        let line = unit.repeat(1_000_000 / unit.len());
        std::fs::write(&path, format!("[{line}]\n")).unwrap();
        let mut files = Files::new(dir.path());
        let file = files.add(path);
        let mut placer = Placer::new(&files);
        placer.source(file);
        let problems = 1000;
        let step = line.len() / problems / unit.len();
        let before = SCANNED.with(|s| s.get());
        for k in 0..problems {
            let at = 1 + k * step * unit.len();
            let span = at..at + unit.len() - 1;
            let place = placer.place(file, &span);
            assert_eq!(place.column, 2 + k * step * unit.chars().count());
            assert_eq!(place.end_column, place.column + unit.chars().count() - 1);
            let (_, text, caret) = snippet(&mut placer, file, &span).unwrap();
            assert!(text.chars().count() <= MAX_SHOWN_LINE + 2, "{text}");
            let caret_at = caret.find('^').unwrap();
            assert!(
                text.chars()
                    .skip(caret_at)
                    .collect::<String>()
                    .starts_with(unit)
            );
        }
        let scanned = SCANNED.with(|s| s.get()) - before;
        let bound = problems * 16 * 1024;
        assert!(
            scanned <= bound,
            "placing {problems} problems looked at {scanned} bytes (bound {bound})"
        );
    }
}
