//! The text formats (JSON Lines, Markdown, CSV, GitHub annotations): a
//! snapshot of each on the bundled dataset, and the hostile dataset
//! (`tests/fixtures/hostile/`) through every one of them, read back with
//! the parser its consumer uses. Each hostile test fails if its format's
//! escaping is removed.

use saydo::Settings;
use saydo::model::Dataset;
use saydo::render::{GroupBy, csv as csv_format, github, json, jsonl, markdown};
use saydo::report::{self, Filters, Kind, Report};
use serde_json::Value;
use std::io;
use std::path::{Path, PathBuf};

use crate::support::{root, terminal_escaped};

fn hostile_dir() -> PathBuf {
    root().join("tests/fixtures/hostile")
}

fn load(dir: &Path) -> Dataset {
    match saydo::load(dir) {
        Ok(d) => d,
        Err(e) => panic!("{} does not load: {:?}", dir.display(), e.problems),
    }
}

fn check(data: &Dataset) -> Report<'_> {
    report::check(data, Settings::default(), Filters::default())
}

/// A report with its first contradiction and its first other pair (in
/// report order) marked known, as a baseline would, so "known" shows.
fn with_known(data: &Dataset) -> Report<'_> {
    let mut r = check(data);
    let contradiction = r.pairs.iter().position(|p| p.verdict.is_contradiction());
    let other = r.pairs.iter().position(|p| !p.verdict.is_contradiction());
    r.known = (0..r.pairs.len())
        .map(|i| Some(i) == contradiction || Some(i) == other)
        .collect();
    r
}

fn render(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("output is UTF-8")
}

/// The hostile dataset without `actors/`: every actor is named by what the
/// records say, so actor ids carry the hostile names too.
fn hostile_unlisted() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["claims", "actions"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(hostile_dir().join(folder)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                dir.path().join(folder).join(entry.file_name()),
            )
            .unwrap();
        }
    }
    dir
}

/// Both hostile datasets, each run through `test`.
fn each_hostile(test: impl Fn(&Report<'_>)) {
    let data = load(&hostile_dir());
    test(&with_known(&data));
    let unlisted = hostile_unlisted();
    let data = load(unlisted.path());
    test(&with_known(&data));
}

// ---------------------------------------------------------------------
// The hostile dataset itself.

#[test]
fn the_hostile_dataset_is_valid_and_has_a_contradiction_of_each_kind() {
    let data = load(&hostile_dir());
    let report = check(&data);
    for kind in [Kind::Duplicity, Kind::Bluster] {
        assert!(
            report.count(|p| p.verdict.kind() == Some(kind)) > 0,
            "no {kind:?}"
        );
    }
    let files: Vec<&str> = data
        .claims
        .iter()
        .chain(&data.actions)
        .map(|r| data.files.display(r.at.file))
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.contains(", ") && f.contains(':') && f.starts_with("claims/"))
    );
    assert!(files.iter().any(|f| f.contains(", ") && f.contains(':')));
    let texts: String = data.claims.iter().map(|r| &*r.text).collect();
    for needle in [
        "<script>",
        "=HYPERLINK(",
        "\r\n",
        "%0A",
        "::error::",
        "`",
        "|",
        "سلام",
        "🚀",
    ] {
        assert!(texts.contains(needle), "{needle:?}");
    }
    // Without actors/, the hostile names become ids and still pair.
    let unlisted = hostile_unlisted();
    let data = load(unlisted.path());
    let report = check(&data);
    assert!(report.count(|p| p.verdict.is_contradiction()) >= 2);
    assert!(data.actors.iter().any(|a| a.id.starts_with('@')));
}

// ---------------------------------------------------------------------
// CSV

const CSV_HEADER: [&str; 23] = [
    "claim_id",
    "claim_actor",
    "claim_date",
    "stance",
    "claim_text",
    "claim_file",
    "claim_line",
    "action_id",
    "action_actor",
    "action_date",
    "effect",
    "attribution",
    "action_text",
    "verdict",
    "kind",
    "severity",
    "principal",
    "topics",
    "gap_days",
    "order",
    "known",
    "review",
    "review_reason",
];

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn read_csv(text: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows = reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("RFC 4180 CSV");
    (header, rows)
}

#[test]
fn csv_keeps_hostile_text_inert_and_defuses_formulas() {
    each_hostile(|report| {
        let data = report.data;
        let out = render(|w| csv_format::write(report, w));
        let (header, rows) = read_csv(&out);
        assert_eq!(header.iter().collect::<Vec<_>>(), CSV_HEADER);
        assert_eq!(rows.len(), report.pairs.len());
        let col = |name: &str| CSV_HEADER.iter().position(|h| *h == name).unwrap();
        let (mut defused, mut negative) = (0, 0);
        for (i, (row, p)) in rows.iter().zip(&report.pairs).enumerate() {
            assert_eq!(row.len(), CSV_HEADER.len());
            let claim = &data.claims[p.claim as usize];
            let action = &data.actions[p.action as usize];
            let why = report.reasons(p);
            let actor = |ix: u32| data.actors[ix as usize].id.clone();
            let topics = why
                .topics
                .iter()
                .map(|&t| data.topics[t as usize].clone())
                .collect::<Vec<_>>()
                .join(";");
            let texts: [(&str, String); 9] = [
                ("claim_id", claim.id.to_string()),
                ("claim_actor", actor(claim.actor)),
                ("claim_text", claim.text.to_string()),
                ("claim_file", data.files.display(claim.at.file).to_string()),
                ("action_id", action.id.to_string()),
                ("action_actor", actor(action.actor)),
                ("action_text", action.text.to_string()),
                ("principal", actor(why.principal)),
                ("topics", topics),
            ];
            for (name, raw) in &texts {
                // Control characters are escaped for terminals first.
                let original = &terminal_escaped(raw);
                let cell = &row[col(name)];
                assert!(
                    !cell.starts_with(FORMULA_STARTS),
                    "{name} of row {i} starts a formula: {cell:?}"
                );
                let defuse = original.starts_with(FORMULA_STARTS) || original.starts_with('\'');
                if defuse {
                    defused += 1;
                    assert_eq!(*cell, format!("'{original}"), "{name} of row {i}");
                } else {
                    assert_eq!(cell, original, "{name} of row {i}");
                }
                // The rule is undone by stripping one leading apostrophe.
                assert_eq!(cell.strip_prefix('\'').unwrap_or(cell), original);
            }
            // Numbers are numbers, never prefixed.
            for (name, value) in [("stance", claim.score), ("effect", action.score)] {
                let cell = &row[col(name)];
                assert_eq!(cell.parse::<f64>().ok(), Some(value), "{name} {cell:?}");
                negative += usize::from(cell.starts_with('-'));
            }
            assert_eq!(row[col("severity")].parse::<f64>().ok(), Some(p.severity()));
            assert_eq!(row[col("gap_days")].parse::<i32>().ok(), Some(why.gap_days));
            assert_eq!(
                row[col("claim_line")].parse::<u32>().ok(),
                Some(claim.at.line)
            );
            assert_eq!(&row[col("claim_date")], claim.date.to_string());
            assert_eq!(&row[col("verdict")], p.verdict.as_str());
            assert_eq!(
                &row[col("kind")],
                p.verdict.kind().map_or("", |k| k.as_str())
            );
            assert_eq!(
                &row[col("known")],
                if report.is_known(i) { "true" } else { "false" }
            );
        }
        assert!(defused > 0, "the dataset has formula-like text");
        assert!(negative > 0, "the dataset has negative scores");
    });
}

#[test]
fn csv_records_end_with_crlf() {
    let data = load(&root());
    let report = check(&data);
    let out = render(|w| csv_format::write(&report, w));
    // The bundled texts hold no line breaks: every CRLF ends a record.
    assert_eq!(out.matches("\r\n").count(), report.pairs.len() + 1);
    assert_eq!(out.matches('\n').count(), report.pairs.len() + 1);
}

// ---------------------------------------------------------------------
// JSON Lines

#[test]
fn jsonl_has_one_object_per_line_with_the_json_reports_fields() {
    each_hostile(|report| {
        let data = report.data;
        let out = render(|w| jsonl::write(report, w));
        assert!(out.ends_with('\n'));
        let full: Value =
            serde_json::from_str(&render(|w| json::write(report, w))).expect("JSON report");
        let lines: Vec<&str> = out.strip_suffix('\n').unwrap().split('\n').collect();
        let (np, nc, na) = (report.pairs.len(), report.claims.len(), report.actors.len());
        assert_eq!(lines.len(), np + nc + na);
        for (n, line) in lines.iter().enumerate() {
            let (tag, section, i) = if n < np {
                ("pair", "pairs", n)
            } else if n < np + nc {
                ("claim", "claims", n - np)
            } else {
                ("actor", "actors", n - np - nc)
            };
            assert!(
                line.starts_with(&format!("{{\"type\":\"{tag}\",")),
                "line {n}: {line}"
            );
            let mut v: Value = serde_json::from_str(line).expect("one JSON object per line");
            let obj = v.as_object_mut().unwrap();
            assert_eq!(obj.remove("type"), Some(Value::from(tag)));
            if tag == "pair" {
                // As in the JSON report's pairs: known pairs say so.
                let known = obj.get("known").and_then(Value::as_bool);
                assert_eq!(known.unwrap_or(false), report.is_known(i), "line {n}");
            }
            // Exactly the JSON report's fields and values.
            assert_eq!(&v, &full[section][i], "line {n}");
            // Hostile text comes back byte for byte.
            if tag == "claim" {
                let c = &data.claims[report.claims[i].claim as usize];
                assert_eq!(v["text"].as_str(), Some(&*c.text));
                assert_eq!(v["notes"].as_str(), c.extra().notes.as_deref());
            }
            if tag == "actor" {
                let a = &data.actors[report.actors[i].actor as usize];
                assert_eq!(v["name"].as_str(), Some(a.name.as_str()));
            }
        }
    });
}

// ---------------------------------------------------------------------
// GitHub workflow commands

/// A workflow command, parsed by the grammar
/// `^::(error|warning|notice)( [a-zA-Z]+=[^,:]*(,[a-zA-Z]+=[^,:]*)*)?::.*$`
/// (a hand-written matcher: the crate has no regex dependency).
struct Command<'a> {
    name: &'a str,
    properties: Vec<(&'a str, &'a str)>,
    message: &'a str,
}

fn parse_command(line: &str) -> Option<Command<'_>> {
    let rest = line.strip_prefix("::")?;
    let (name, rest) = ["error", "warning", "notice"]
        .iter()
        .find_map(|n| rest.strip_prefix(n).map(|r| (*n, r)))?;
    let (props, message) = match rest.strip_prefix("::") {
        Some(message) => (None, message),
        None => {
            let rest = rest.strip_prefix(' ')?;
            // Values hold no ':', so the first ':' must open the "::".
            let end = rest.find(':')?;
            (Some(&rest[..end]), rest[end..].strip_prefix("::")?)
        }
    };
    if message.contains('\n') {
        return None;
    }
    let mut properties = Vec::new();
    for prop in props.into_iter().flat_map(|p| p.split(',')) {
        let (key, value) = prop.split_once('=')?;
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        properties.push((key, value));
    }
    Some(Command {
        name,
        properties,
        message,
    })
}

/// Undoes `escapeProperty` (and so `escapeData`), in one pass.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let code = rest.get(at..at + 3).unwrap_or("");
        out.push_str(match code {
            "%25" => "%",
            "%0D" => "\r",
            "%0A" => "\n",
            "%3A" => ":",
            "%2C" => ",",
            _ => panic!("stray % in {s:?}"),
        });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

/// A text as annotations quote it: white space runs as one space, made
/// safe for terminals, and cut to `n` characters, the last one `…`.
fn clipped(text: &str, n: usize) -> String {
    let flat = terminal_escaped(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    if flat.chars().count() <= n {
        return flat;
    }
    let mut out: String = flat.chars().take(n - 1).collect();
    out.push('…');
    out
}

fn property<'a>(c: &'a Command<'_>, key: &str) -> Option<&'a str> {
    c.properties
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
}

#[test]
fn the_command_matcher_follows_the_grammar() {
    for ok in [
        "::notice::x",
        "::error file=a.json,line=1::m :: n",
        "::warning title=a b (c)::",
    ] {
        assert!(parse_command(ok).is_some(), "{ok}");
    }
    for bad in [
        "::error file=a, b.json::m",
        "::error file=a: b.json::m",
        "::error title=saydo: x::m",
        "::debug::m",
        "::error file=a.json",
        "error::m",
        "::error 1=a::m",
    ] {
        assert!(parse_command(bad).is_none(), "{bad}");
    }
}

#[test]
fn github_annotations_are_one_escaped_command_per_contradiction() {
    each_hostile(|report| {
        let data = report.data;
        let out = render(|w| github::write(report, w, "data/"));
        assert!(!out.contains('\r'), "a raw CR would end a command");
        let lines: Vec<&str> = out.lines().collect();
        let mut flagged: Vec<usize> = (0..report.pairs.len())
            .filter(|&i| report.pairs[i].verdict.is_contradiction())
            .collect();
        flagged.sort_by(|&a, &b| {
            report.pairs[b]
                .severity()
                .total_cmp(&report.pairs[a].severity())
        });
        assert_eq!(lines.len(), flagged.len() + 1);
        let commands: Vec<Command> = lines
            .iter()
            .map(|l| parse_command(l).unwrap_or_else(|| panic!("not a command: {l}")))
            .collect();
        let mut names = Vec::new();
        for (c, &i) in commands.iter().zip(&flagged) {
            let p = &report.pairs[i];
            let claim = &data.claims[p.claim as usize];
            let kind = p.verdict.kind().unwrap();
            let expected = match (report.is_known(i), kind) {
                (true, _) => "notice",
                (false, Kind::Duplicity) => "error",
                (false, Kind::Bluster) => "warning",
            };
            assert_eq!(c.name, expected);
            names.push(c.name);
            let keys: Vec<&str> = c.properties.iter().map(|(k, _)| *k).collect();
            assert_eq!(keys, ["file", "line", "col", "title"]);
            assert_eq!(
                unescape(property(c, "file").unwrap()),
                format!("data/{}", data.files.display(claim.at.file))
            );
            assert_eq!(property(c, "line"), Some(&*claim.at.line.to_string()));
            assert_eq!(property(c, "col"), Some(&*claim.at.column.to_string()));
            assert_eq!(
                unescape(property(c, "title").unwrap()),
                format!(
                    "saydo: {} (severity {:.4}{})",
                    kind.as_str(),
                    p.severity(),
                    if report.is_known(i) { ", known" } else { "" }
                )
            );
            let message = unescape(c.message);
            assert!(message.contains(&*claim.id));
            assert!(message.contains(&clipped(&claim.text, 200)), "{message}");
            let action = &data.actions[p.action as usize];
            assert!(message.contains(&clipped(&action.text, 200)), "{message}");
        }
        assert!(names.contains(&"error") && names.contains(&"notice"));
        let last = commands.last().unwrap();
        assert_eq!(last.name, "notice");
        assert!(last.properties.is_empty());
        assert!(last.message.contains("contradictions"));
        assert!(lines.last().unwrap().starts_with("::notice::"));
    });
}

#[test]
fn github_annotations_put_bluster_at_warning_level() {
    let data = load(&hostile_dir());
    let report = check(&data);
    let out = render(|w| github::write(&report, w, ""));
    let names: Vec<&str> = out
        .lines()
        .map(|l| parse_command(l).unwrap().name)
        .collect();
    let duplicity = report.count(|p| p.verdict.kind() == Some(Kind::Duplicity));
    let bluster = report.count(|p| p.verdict.kind() == Some(Kind::Bluster));
    assert_eq!(names.iter().filter(|n| **n == "error").count(), duplicity);
    assert_eq!(names.iter().filter(|n| **n == "warning").count(), bluster);
    assert_eq!(names.iter().filter(|n| **n == "notice").count(), 1);
    // No prefix: paths stay relative to the dataset.
    assert!(out.contains("file=claims/said%2C then%3A done.json,"));
}

#[test]
fn github_problems_are_escaped_commands_at_their_places() {
    let dir = hostile_unlisted();
    let bad = dir.path().join("claims/bad, one: x.json");
    std::fs::write(
        &bad,
        "[\n  {\"id\": \"bad-1\", \"actor\": \"a\", \"date\": \"2021-13\", \"stance\": 1,\n   \"text\": \"x\"},\n  {\"id\": \"bad-2\", \"actor\": \"b\", \"date\": \"2021\", \"stance\": 99,\n   \"text\": \"y\"}\n]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("claims/notes, v2: draft.txt"), "x").unwrap();
    let invalid = saydo::load(dir.path()).expect_err("the dataset is invalid");
    let problems = &invalid.problems;
    assert!(problems.iter().any(|d| d.is_error()));
    assert!(problems.iter().any(|d| !d.is_error()));
    let out = render(|w| github::write_problems(problems, &invalid.files, "data", w));
    assert!(!out.contains('\r'));
    let placed = saydo::render::problems::to_json(problems, &invalid.files);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), problems.len());
    for (line, p) in lines.iter().zip(&placed) {
        let c = parse_command(line).unwrap_or_else(|| panic!("not a command: {line}"));
        assert_eq!(c.name, p.severity);
        assert_eq!(
            unescape(property(&c, "title").unwrap()),
            format!("saydo: {}", p.code)
        );
        if let Some(file) = &p.file {
            assert_eq!(
                unescape(property(&c, "file").unwrap()),
                format!("data/{file}")
            );
            for (key, value) in [
                ("line", p.line),
                ("col", p.column),
                ("endLine", p.end_line),
                ("endColumn", p.end_column),
            ] {
                assert_eq!(property(&c, key), Some(&*value.unwrap().to_string()));
            }
        }
        let message = unescape(c.message);
        assert!(message.starts_with(&p.message));
        if let Some(hint) = &p.hint {
            assert!(message.contains(&format!("\nhint: {hint}")));
        }
    }
    assert!(out.contains("file=data/claims/bad%2C one%3A x.json,"));
}

// ---------------------------------------------------------------------
// Markdown

/// `|` not escaped by a backslash.
fn cell_bars(line: &str) -> usize {
    let mut bars = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => bars += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    bars
}

/// Whether `c` occurs only backslash-escaped in `line`.
fn only_escaped(line: &str, c: char) -> bool {
    let mut escaped = false;
    for ch in line.chars() {
        if ch == c && !escaped {
            return false;
        }
        escaped = ch == '\\' && !escaped;
    }
    true
}

/// Tables: runs of lines starting with `|`.
fn tables(md: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut in_table = false;
    for line in md.lines() {
        if line.starts_with('|') {
            if !in_table {
                out.push(Vec::new());
            }
            out.last_mut().unwrap().push(line);
            in_table = true;
        } else {
            in_table = false;
        }
    }
    out
}

#[test]
fn markdown_tables_keep_their_shape_and_no_html_gets_through() {
    each_hostile(|report| {
        let out = render(|w| markdown::write(report, w, 0));
        assert!(!out.contains("<script"));
        assert!(
            !out.replace("<br>", "").contains('<'),
            "the only tag is our <br>"
        );
        let tables = tables(&out);
        assert_eq!(tables.len(), 3, "actors, contradictions, claims");
        let contradictions = report.count(|p| p.verdict.is_contradiction());
        let failed = report
            .claims
            .iter()
            .filter(|r| r.contradictions > 0)
            .count();
        assert_eq!(tables[0].len(), report.actors.len() + 2);
        assert_eq!(tables[1].len(), contradictions + 2);
        assert_eq!(tables[2].len(), failed + 2);
        for table in &tables {
            let columns = cell_bars(table[0]);
            for (n, row) in table.iter().enumerate() {
                assert_eq!(cell_bars(row), columns, "{row}");
                if n < 2 {
                    continue; // the head is ours
                }
                for c in ['[', ']', '`', '#', '_', '~', '$', '@'] {
                    assert!(only_escaped(row, c), "unescaped {c:?} in {row}");
                }
            }
        }
        // Every heading is ours.
        let headings: Vec<&str> = out.lines().filter(|l| l.starts_with('#')).collect();
        assert_eq!(
            headings,
            [
                "# saydo check",
                "## Actors",
                "## Contradictions, most severe first",
                "## Contradicted and mixed claims"
            ]
        );
        let known = (0..report.pairs.len())
            .filter(|&i| report.pairs[i].verdict.is_contradiction() && report.is_known(i))
            .count();
        assert_eq!(
            tables[1].iter().filter(|r| r.contains("(known)")).count(),
            known
        );
    });
}

#[test]
fn markdown_by_deed_keeps_its_shape_and_no_html_gets_through() {
    each_hostile(|report| {
        let mut out = Vec::new();
        markdown::write_grouped(report, &mut out, 0, GroupBy::Deed).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains("<script"));
        assert!(
            !out.replace("<br>", "").contains('<'),
            "the only tag is our <br>"
        );
        let tables = tables(&out);
        assert_eq!(tables.len(), 3, "actors, deeds, claims");
        let deeds = report.deeds_by_words(0, 0);
        assert!(deeds.total >= 2, "{out}");
        assert_eq!(tables[1].len(), deeds.total + 2);
        let columns = cell_bars(tables[1][0]);
        for row in &tables[1][2..] {
            assert_eq!(cell_bars(row), columns, "{row}");
            for c in ['[', ']', '`', '#', '_', '~', '$', '@'] {
                assert!(only_escaped(row, c), "unescaped {c:?} in {row}");
            }
        }
        assert!(out.contains("\n## Contradictions by deed, most words belied first\n"));
        assert!(!out.contains("## Contradictions, most severe first"));
        let known = (0..report.pairs.len())
            .filter(|&i| report.pairs[i].verdict.is_contradiction() && report.is_known(i))
            .count();
        let marks: usize = tables[1].iter().map(|r| r.matches("(known)").count()).sum();
        assert_eq!(marks, known);
    });
}

#[test]
fn markdown_limits_rows_per_section() {
    let data = load(&hostile_dir());
    let report = check(&data);
    let out = render(|w| markdown::write(&report, w, 1));
    for table in tables(&out) {
        assert_eq!(table.len(), 3, "{table:?}");
    }
    assert!(out.contains("more contradictions: use `--limit 0` for all"));
}

#[test]
fn markdown_stays_under_the_job_summary_limit() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["claims", "actions"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
    }
    let long = "words | and <b>more</b> ".repeat(40);
    let records = |kind: &str, score: &str, value: i32, date: &str| {
        let items: Vec<String> = (0..150)
            .map(|i| {
                format!(
                    "{{\"id\": \"{kind}-{i}\", \"actor\": \"Big Actor\", \"date\": \"{date}\", \"topics\": [\"t\"], \"{score}\": {value}, \"text\": \"{long}\"}}"
                )
            })
            .collect();
        format!("[{}]", items.join(",\n"))
    };
    std::fs::write(
        dir.path().join("claims/c.json"),
        records("claim", "stance", 8, "2021-01"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("actions/a.json"),
        records("action", "effect", -8, "2021-06"),
    )
    .unwrap();
    let data = load(dir.path());
    let report = check(&data);
    assert_eq!(report.count(|p| p.verdict.is_contradiction()), 150 * 150);
    let out = render(|w| markdown::write(&report, w, 0));
    assert!(out.len() < 1024 * 1024, "{} bytes", out.len());
    // Near the budget the printer keeps under (a million bytes), not far below.
    assert!(out.len() > 500_000, "{} bytes", out.len());
    assert!(out.contains("stays under GitHub's 1 MiB limit"));
    for table in tables(&out) {
        let columns = cell_bars(table[0]);
        assert!(table.iter().all(|r| cell_bars(r) == columns));
    }
    assert!(out.ends_with('\n'));
}

// ---------------------------------------------------------------------
// Snapshots of the bundled dataset

#[test]
fn snapshot_jsonl() {
    let data = load(&root());
    let report = check(&data);
    insta::assert_snapshot!("jsonl", render(|w| jsonl::write(&report, w)));
}

#[test]
fn snapshot_markdown() {
    let data = load(&root());
    let report = check(&data);
    insta::assert_snapshot!("markdown", render(|w| markdown::write(&report, w, 0)));
}

#[test]
fn snapshot_csv() {
    let data = load(&root());
    let report = check(&data);
    // Stored with LF line ends; `csv_records_end_with_crlf` checks the CRLF.
    let out = render(|w| csv_format::write(&report, w)).replace("\r\n", "\n");
    insta::assert_snapshot!("csv", out);
}

#[test]
fn snapshot_github() {
    let data = load(&root());
    let report = check(&data);
    insta::assert_snapshot!("github", render(|w| github::write(&report, w, "")));
}
