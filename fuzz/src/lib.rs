//! Shared pieces of the saydo fuzz targets: a small valid dataset written
//! to a scratch folder once per process, the checks every loaded dataset
//! must pass (problem spans inside their files, problem printers that do
//! not panic), and the checks every report printer's output must pass.
//!
//! Each fuzz process keeps one scratch folder under the system temp
//! folder (`saydo-fuzz/<target>-<pid>`) and overwrites its files for each
//! input, which is far cheaper than a new temporary folder per input.
//! Folders left by processes that have ended are removed when a new
//! process starts.

use saydo::diag::Diagnostic;
use saydo::render::style::Style;
use saydo::report::Report;
use saydo::diag::{FileId, Files};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `actors/actors.json` of the base dataset: a state, a person acting for
/// it since 2020, and another state.
pub const BASE_ACTORS: &str = r#"[
  {"id": "land", "name": "Land", "kind": "state", "aliases": ["The Land"]},
  {"id": "chief", "name": "Chief Person", "kind": "person",
   "acts_for": [{"actor": "land", "role": "leader", "from": "2020-01-01"}]},
  {"id": "other", "name": "Other", "kind": "state"}
]
"#;

/// `claims/a.json` of the base dataset: a warm claim with a proven quote.
pub const BASE_CLAIMS: &str = r#"[
  {"id": "c1", "actor": "chief", "date": "2021-03", "target": "other", "topics": ["trade"],
   "stance": 6, "text": "We will always trade freely with Other.",
   "source": {"document": "seeds/doc.txt", "quote": "trade freely with Other"}}
]
"#;

/// `actions/a.json` of the base dataset: a hostile deed, contradicting c1.
pub const BASE_ACTIONS: &str = r#"[
  {"id": "a1", "actor": "land", "date": "2021-06-01", "target": "other", "topics": ["trade"],
   "effect": -5, "attribution": "reported", "text": "Land blocked trade with Other."}
]
"#;

/// `seeds/doc.txt` of the base dataset: the document c1 quotes.
pub const BASE_DOC: &str = "Chief Person said: we will always trade freely with Other.\n";

/// The scratch folder of this process for `target`, created (empty) on
/// first use. Folders of ended processes are removed then.
pub fn scratch(target: &str) -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::env::temp_dir().join("saydo-fuzz");
        std::fs::create_dir_all(&base).expect("create the scratch base folder");
        if let Ok(entries) = std::fs::read_dir(&base) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let pid = name.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
                if let Some(pid) = pid
                    && !Path::new(&format!("/proc/{pid}")).exists()
                {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = base.join(format!("{target}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        dir
    })
}

/// Writes `text` to `root/rel`, creating the folder.
pub fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create a dataset folder");
    }
    std::fs::write(&path, text).expect("write a dataset file");
}

/// Writes the base dataset into `root` (overwriting its files).
pub fn write_base(root: &Path) {
    write(root, "actors/actors.json", BASE_ACTORS);
    write(root, "claims/a.json", BASE_CLAIMS);
    write(root, "actions/a.json", BASE_ACTIONS);
    write(root, "seeds/doc.txt", BASE_DOC);
}

/// The scratch folder of `target` holding the base dataset, written once.
pub fn base_dataset(target: &str) -> &'static Path {
    static WRITTEN: OnceLock<()> = OnceLock::new();
    let root = scratch(target);
    WRITTEN.get_or_init(|| write_base(root));
    root
}

/// Writes `bytes` as `rel` into the base dataset of `target`, loads it and
/// runs [`check_loaded`].
pub fn load_with_file(target: &str, rel: &str, bytes: &[u8]) {
    let root = base_dataset(target);
    write(root, rel, bytes);
    let loaded = saydo::load(root);
    check_loaded(loaded);
}

/// What every load must satisfy: an `Err` carries at least one error; every
/// problem (and warning of an `Ok`) lies within its file; problem printers
/// do not panic; a valid dataset can be checked and printed.
pub fn check_loaded(loaded: Result<saydo::model::Dataset, saydo::Invalid>) {
    match loaded {
        Ok(data) => {
            check_problems(&data.warnings, &data.files);
            let report = saydo::report::check(
                &data,
                saydo::Settings::default(),
                saydo::report::Filters::default(),
            );
            check_report(&report);
        }
        Err(invalid) => {
            assert!(
                invalid.problems.iter().any(Diagnostic::is_error),
                "load failed without an error: {:?}",
                invalid.problems
            );
            check_problems(&invalid.problems, &invalid.files);
        }
    }
}

/// Every problem's span (and every note's) lies within its file, on
/// character boundaries when the file is UTF-8; each problem printer runs.
pub fn check_problems(problems: &[Diagnostic], files: &Files) {
    let mut texts: std::collections::HashMap<FileId, Vec<u8>> = Default::default();
    let mut check = |file: FileId, span: &Range<usize>, what: &str| {
        let bytes = texts
            .entry(file)
            .or_insert_with(|| std::fs::read(files.path(file)).unwrap_or_default());
        assert!(
            span.start <= span.end && span.end <= bytes.len(),
            "{what}: span {span:?} is outside {} ({} bytes)",
            files.display(file),
            bytes.len()
        );
        if let Ok(text) = std::str::from_utf8(bytes) {
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{what}: span {span:?} splits a character in {}",
                files.display(file)
            );
        }
    };
    for d in problems {
        if let Some(file) = d.file {
            check(
                file,
                &d.span,
                &format!("problem {} ({})", d.code.as_str(), d.message),
            );
        }
        for n in &d.notes {
            check(
                n.file,
                &n.span,
                &format!("note of {} ({})", d.code.as_str(), n.message),
            );
        }
    }
    use saydo::render::problems;
    let _ = problems::human(problems, files, Style::PLAIN);
    let _ = problems::human(problems, files, Style { color: true });
    let json = problems::to_json(problems, files);
    serde_json::to_string(&json).expect("problems as JSON serialise");
    let mut out = Vec::new();
    saydo::render::github::write_problems(problems, files, "data", &mut out).unwrap();
    check_github(&out);
    out.clear();
    saydo::render::sarif::write_problems(problems, files, "data", &mut out).unwrap();
    check_json(&out, "sarif problems");
    out.clear();
    saydo::render::junit::write_problems(problems, files, "data", &mut out).unwrap();
    check_xml(&out, "junit problems");
}

/// Parses `bytes` as one JSON value.
pub fn check_json(bytes: &[u8], what: &str) -> serde_json::Value {
    match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => panic!(
            "{what} is not JSON: {e}\n{}",
            String::from_utf8_lossy(bytes)
        ),
    }
}

/// Each line of GitHub workflow commands starts with `::`.
pub fn check_github(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("github output is UTF-8");
    for line in text.lines() {
        assert!(
            line.starts_with("::"),
            "github line does not start with '::': {line:?}\n{text}"
        );
    }
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "github output ends mid-line"
    );
}

/// The XML is well formed (quick-xml reads it to the end, matching tags).
pub fn check_xml(bytes: &[u8], what: &str) {
    let text = std::str::from_utf8(bytes).expect("XML output is UTF-8");
    if let Some(c) = text.chars().find(|&c| !xml_char(c)) {
        panic!(
            "{what} holds U+{:04X}, which XML 1.0 forbids\n{text}",
            c as u32
        );
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                if r.is_char_ref() {
                    let c = r
                        .resolve_char_ref()
                        .unwrap_or_else(|e| panic!("{what}: bad character reference: {e}\n{text}"));
                    assert!(
                        c.is_some_and(xml_char),
                        "{what}: character reference &{}; to a character XML 1.0 forbids",
                        &*r
                    );
                } else {
                    assert!(
                        ["lt", "gt", "amp", "quot", "apos"].contains(&&*r),
                        "{what}: undefined entity &{};\n{text}",
                        &*r
                    );
                }
            }
            Ok(_) => {}
            Err(e) => panic!(
                "{what} is not well-formed XML at {}: {e}\n{text}",
                reader.error_position()
            ),
        }
    }
    assert_eq!(depth, 0, "{what}: unbalanced tags\n{text}");
}

/// A character XML 1.0 allows in a document (its `Char` production).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Runs every report printer and checks what it wrote.
pub fn check_report(report: &Report<'_>) {
    use saydo::render;
    let mut out = Vec::new();

    render::json::write(report, &mut out).unwrap();
    check_json(&out, "json report");

    out.clear();
    render::jsonl::write(report, &mut out).unwrap();
    let text = std::str::from_utf8(&out).expect("jsonl is UTF-8");
    for line in text.lines() {
        check_json(line.as_bytes(), "a jsonl line");
    }

    out.clear();
    render::csv::write(report, &mut out).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(&out[..]);
    let headers = reader.headers().expect("csv headers").len();
    for rec in reader.records() {
        let rec = rec.unwrap_or_else(|e| panic!("csv: {e}\n{}", String::from_utf8_lossy(&out)));
        assert_eq!(rec.len(), headers, "csv row width");
    }

    for limit in [0, 20] {
        out.clear();
        render::markdown::write(report, &mut out, limit).unwrap();
        std::str::from_utf8(&out).expect("markdown is UTF-8");
        out.clear();
        render::markdown::write_grouped(report, &mut out, limit, render::GroupBy::Deed).unwrap();
        std::str::from_utf8(&out).expect("markdown by deed is UTF-8");
    }

    out.clear();
    render::github::write(report, &mut out, "data").unwrap();
    check_github(&out);

    out.clear();
    render::sarif::write(report, &mut out, "data", false).unwrap();
    check_json(&out, "sarif report");
    out.clear();
    render::sarif::write(report, &mut out, "", true).unwrap();
    check_json(&out, "sarif report (baseline)");

    out.clear();
    render::junit::write(report, &mut out, "data").unwrap();
    check_xml(&out, "junit report");

    out.clear();
    render::html::write(report, &mut out).unwrap();
    check_html(&out);

    for layout in [
        render::table::Layout::default(),
        render::table::Layout {
            width: 40,
            limit: 0,
            style: Style { color: true },
            group_by: render::GroupBy::Pair,
        },
        render::table::Layout {
            width: 200,
            limit: 1,
            style: Style::PLAIN,
            group_by: render::GroupBy::Pair,
        },
        render::table::Layout {
            width: 40,
            limit: 0,
            style: Style::PLAIN,
            group_by: render::GroupBy::Deed,
        },
        render::table::Layout {
            width: 100,
            limit: 1,
            style: Style { color: true },
            group_by: render::GroupBy::Deed,
        },
    ] {
        let _ = render::table::render(report, &layout);
    }
}

/// One `<script` (the page's own), and links only to anchors or the web.
pub fn check_html(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("html is UTF-8");
    let lower = text.to_ascii_lowercase();
    let scripts = lower.matches("<script").count();
    assert_eq!(scripts, 1, "html has {scripts} <script\n{text}");
    for (i, _) in lower.match_indices("href=") {
        let value = &lower[i + 5..];
        assert!(
            value.starts_with("\"#")
                || value.starts_with("\"http://")
                || value.starts_with("\"https://"),
            "html link that is neither an anchor nor a web address: {}",
            text[i..].chars().take(60).collect::<String>()
        );
    }
}
