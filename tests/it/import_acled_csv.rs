//! `saydo import acled` and `saydo import csv`, from outside: each fixture
//! imports, validates and checks cleanly, and gives the dataset pinned in
//! its snapshot; every bad row is a problem at the place the fixture's
//! text says (found here by searching it, not copied from saydo's
//! output); `--skip-bad` writes the good rows and exits 1, its absence
//! writes nothing and exits 2; and, as a property, every row of a sheet is
//! either imported or reported, never both and never neither.
//!
//! The ACLED rows are invented (ACLED's terms forbid sharing its rows);
//! the fixtures' README says where each file comes from.

use crate::support::{Saydo, root};
use proptest::prelude::*;
use saydo::import::{ImportFormat, ImportOptions, SheetKind, SheetOptions, import};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures(format: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(format)
}

/// `saydo import FORMAT FILE --out OUT ARGS…`, run in the fixture folder
/// so that the dataset's README names the file as given.
fn run_import(format: &str, file: &str, out: &Path, args: &[&str]) -> crate::support::Outcome {
    Saydo::new()
        .current_dir(fixtures(format))
        .args(["import", format, file, "--out"])
        .arg(out)
        .args(args)
        .run()
}

/// Every file of a dataset folder, by path, as one text to snapshot (the
/// version of saydo that wrote it left out).
fn dataset_text(dir: &Path) -> String {
    let mut out = String::new();
    let mut files = vec![dir.join("README.md")];
    for sub in ["actors", "claims", "actions"] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        files.extend(names);
    }
    for path in files {
        let name = path.strip_prefix(dir).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        out.push_str(&format!("==> {name} <==\n{text}\n"));
    }
    out.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

/// The dataset at `dir` is valid and `saydo check` runs on it (exit 0);
/// returns the JSON report.
fn validates_and_checks(dir: &Path) -> Value {
    let validate = Saydo::new().arg("validate").arg(dir).run();
    validate.expect(0);
    assert!(
        validate.out().starts_with("valid:") && validate.stderr.is_empty(),
        "{}{}",
        validate.out(),
        validate.stderr
    );
    let check = Saydo::new()
        .arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .run();
    check.expect(0);
    serde_json::from_slice(&check.stdout).unwrap()
}

/// The problems of a run's standard error as `(code, line, column)`, in
/// the order shown.
fn problems(stderr: &str) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    let mut code = None;
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("error[") {
            code = rest.split_once(']').map(|(c, _)| c.to_string());
        } else if let Some((_, place)) = line.split_once("--> ")
            && let Some(code) = code.take()
        {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next().unwrap().parse().unwrap();
            let line = parts.next().unwrap().parse().unwrap();
            found.push((code, line, column));
        }
    }
    found
}

/// The 1-based line and column (in characters, as editors count them) of
/// `skip` bytes after the only occurrence of `needle` in `text`.
fn place(text: &[u8], needle: &[u8], skip: usize) -> (usize, usize) {
    let at: Vec<usize> = text
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        at.len(),
        1,
        "{:?} occurs {} times",
        String::from_utf8_lossy(needle),
        at.len()
    );
    line_col(text, at[0] + skip)
}

fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

fn expected(cases: &[(&str, (usize, usize))]) -> Vec<(String, usize, usize)> {
    let mut all: Vec<_> = cases
        .iter()
        .map(|(code, (line, column))| (code.to_string(), *line, *column))
        .collect();
    all.sort_by_key(|(_, line, column)| (*line, *column));
    all
}

const SHEET_MAP: [&str; 11] = [
    "--map",
    "actor=Who",
    "--map",
    "date=When",
    "--map",
    "text=Said",
    "--map",
    "score=Score",
    "--map",
    "url=Link",
    "--kind",
];

#[test]
fn acled_events_import_as_actions_that_validate_and_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("acled");
    let run = run_import("acled", "events.csv", &out, &[]);
    run.expect(0);
    assert_eq!(
        run.out(),
        format!(
            "imported 7 of 11 rows from 1 file into {}: 0 claims, 7 actions, 13 actors \
             (1 row named no actor, 2 rows are not imported by the mapping)\n",
            out.display()
        )
    );
    let report = validates_and_checks(&out);
    assert_eq!(report["totals"]["actions"], 7);
    // State forces act for their state, foreign forces for theirs.
    let actors = report["actors"].as_array().unwrap();
    let acts_for = |id: &str| {
        let actor = actors.iter().find(|a| a["actor_id"] == id).unwrap();
        actor["acts_for"].to_string()
    };
    assert!(acts_for("military-forces-of-syria-2000").contains("\"syria\""));
    assert!(acts_for("military-forces-of-russia-2000").contains("\"russia\""));
    assert_eq!(acts_for("protesters-india"), "[]");
    insta::assert_snapshot!("acled_events", dataset_text(&out));
}

#[test]
fn a_sheet_of_statements_imports_as_claims_by_its_map() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sheet");
    let mut args = SHEET_MAP.to_vec();
    args.push("claims");
    run_import("csv", "statements.csv", &out, &args).expect(0);
    let report = validates_and_checks(&out);
    assert_eq!(
        (
            report["totals"]["claims"].as_u64(),
            report["totals"]["actions"].as_u64()
        ),
        (Some(4), Some(0))
    );
    insta::assert_snapshot!("csv_statements", dataset_text(&out));
}

#[test]
fn a_sheet_with_day_first_dates_and_a_kind_column_meets_its_own_deeds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sheet");
    let args = ["--map", "text=What happened", "--date-format", "%d/%m/%Y"];
    run_import("csv", "deeds-dmy.tsv", &out, &args).expect(0);
    let report = validates_and_checks(&out);
    // The promise of open borders (15/08/2021) meets the closing of two
    // crossings (03/09/2021): duplicity.
    let pairs = report["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(
        (
            &pairs[0]["claim_id"],
            &pairs[0]["action_id"],
            &pairs[0]["kind"]
        ),
        (
            &Value::from("r-1"),
            &Value::from("r-2"),
            &Value::from("duplicity")
        )
    );
    insta::assert_snapshot!("csv_deeds_dmy", dataset_text(&out));
    // Without --date-format, the day-first dates are problems.
    let again = tmp.path().join("again");
    let run = run_import("csv", "deeds-dmy.tsv", &again, &args[..2]);
    run.expect(2);
    let codes: Vec<String> = problems(&run.stderr).into_iter().map(|p| p.0).collect();
    assert_eq!(codes, ["bad-date", "bad-date", "bad-date"]);
}

#[test]
fn bad_acled_rows_are_placed_and_skip_bad_imports_the_others() {
    let text = std::fs::read(fixtures("acled").join("bad-rows.csv")).unwrap();
    let want = expected(&[
        ("bad-date", place(&text, b",2021-02-30,", 1)),
        ("bad-value", place(&text, b",Armed clsh,", 1)),
        ("not-utf8", place(&text, b"\xe2", 0)),
        ("wrong-type", place(&text, b",many,", 1)),
        ("bad-value", place(&text, b"2021,4,", 5)),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("acled");
    let run = run_import("acled", "bad-rows.csv", &out, &[]);
    run.expect(2);
    assert_eq!(problems(&run.stderr), want, "{}", run.stderr);
    assert!(!out.exists(), "nothing is written without --skip-bad");
    assert!(
        run.out()
            .starts_with("nothing written: 5 rows have problems")
    );

    let run = run_import("acled", "bad-rows.csv", &out, &["--skip-bad"]);
    run.expect(1);
    assert_eq!(problems(&run.stderr), want);
    validates_and_checks(&out);
    let actions = std::fs::read_to_string(out.join("actions/acled.jsonl")).unwrap();
    let ids: Vec<String> = actions
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["acled-syr91001", "acled-syr91007"]);
}

#[test]
fn bad_sheet_rows_are_placed_and_skip_bad_imports_the_others() {
    let text = std::fs::read(fixtures("csv").join("bad-rows.csv")).unwrap();
    let want = expected(&[
        ("bad-date", place(&text, b",15/08/2021,", 1)),
        ("wrong-type", place(&text, b",high,", 1)),
        ("score-out-of-range", place(&text, b",12,", 1)),
        // The blank actor: the empty cell at the start of its row.
        ("missing-field", place(&text, b"\n,2021-08-22", 1)),
        ("not-utf8", place(&text, b"\xe9", 0)),
        // After a quoted cell spanning three lines.
        ("wrong-type", place(&text, b",n/a,", 1)),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sheet");
    let mut args = SHEET_MAP.to_vec();
    args.push("claims");
    let run = run_import("csv", "bad-rows.csv", &out, &args);
    run.expect(2);
    assert_eq!(problems(&run.stderr), want, "{}", run.stderr);
    assert!(!out.exists());

    args.push("--skip-bad");
    let run = run_import("csv", "bad-rows.csv", &out, &args);
    run.expect(1);
    assert_eq!(problems(&run.stderr), want);
    let report = validates_and_checks(&out);
    let texts: Vec<&str> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    // Ids are made from the row's number, so the good rows keep theirs.
    let ids: Vec<&str> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["claim_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "We keep the border open.",
            "We will never close the crossings."
        ]
    );
    assert_eq!(ids, ["bad-rows-2", "bad-rows-9"]);
}

#[test]
fn a_mapped_column_the_header_lacks_writes_nothing_even_with_skip_bad() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sheet");
    let args = [
        "--map",
        "actor=Whom",
        "--map",
        "date=When",
        "--map",
        "text=Said",
        "--map",
        "score=Score",
        "--kind",
        "claims",
        "--skip-bad",
    ];
    let run = run_import("csv", "statements.csv", &out, &args);
    run.expect(2);
    assert_eq!(
        problems(&run.stderr),
        expected(&[("missing-field", (1, 1))])
    );
    assert!(
        run.stderr.contains("did you mean --map actor=Who?"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn sheet_options_are_a_usage_error_for_other_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("acled");
    let run = run_import("acled", "events.csv", &out, &["--map", "actor=actor1"]);
    run.expect(2);
    assert!(
        run.stderr
            .contains("--map is for spreadsheets (saydo import csv)"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    let run = run_import("csv", "statements.csv", &out, &["--map", "who=Who"]);
    run.expect(2);
    assert!(
        run.stderr.contains("unknown field \"who\""),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- property

/// A cell value and whether it is one a row may hold.
#[derive(Clone, Debug)]
struct Cell {
    bytes: Vec<u8>,
    good: bool,
}

fn cell(text: &str, good: bool) -> Cell {
    Cell {
        bytes: text.as_bytes().to_vec(),
        good,
    }
}

fn actor() -> impl Strategy<Value = Cell> {
    prop_oneof![
        3 => prop::sample::select(vec!["Ruritania", "Freedonia", "Foreign Ministry", "Land 2"])
            .prop_map(|s| cell(s, true)),
        1 => prop::sample::select(vec!["", "—"]).prop_map(|s| cell(s, false)),
    ]
}

fn date() -> impl Strategy<Value = Cell> {
    prop_oneof![
        3 => prop::sample::select(vec!["2021-08-15", "2021-08", "2021", "2021-08-15 00:00:00"])
            .prop_map(|s| cell(s, true)),
        1 => prop::sample::select(vec!["", "15/08/2021", "2021-02-30", "2021-13", "Aug 2021"])
            .prop_map(|s| cell(s, false)),
    ]
}

fn text() -> impl Strategy<Value = Cell> {
    prop_oneof![
        // Text that needs quoting: commas, quotes, line breaks.
        4 => "[a-z][a-z ,\"\n]{0,15}".prop_map(|s| cell(&s, true)),
        1 => Just(cell("", false)),
        1 => "[a-z]{0,4}".prop_map(|s| {
            let mut bytes = s.into_bytes();
            bytes.push(0xe9);
            Cell { bytes, good: false }
        }),
    ]
}

fn score() -> impl Strategy<Value = Cell> {
    prop_oneof![
        3 => (-100i32..=100).prop_map(|n| cell(&format!("{}", f64::from(n) / 10.0), true)),
        1 => prop::sample::select(vec!["", "11", "-10.5", "high", "NaN"])
            .prop_map(|s| cell(s, false)),
    ]
}

/// A cell as a spreadsheet writes it: quoted when it holds a comma, a
/// quote or a line break.
fn written(cell: &Cell) -> Vec<u8> {
    if cell.bytes.iter().any(|b| matches!(b, b',' | b'"' | b'\n')) {
        let mut out = vec![b'"'];
        for &b in &cell.bytes {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
        out
    } else {
        cell.bytes.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_sheet_row_is_imported_or_reported_never_both(
        rows in prop::collection::vec((actor(), date(), text(), score()), 1..24)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sheet.csv");
        let mut bytes = b"Who,When,Said,Score\n".to_vec();
        // Each row's lines, first and last, and whether it is bad; rows
        // whose cells are all blank are skipped, not bad.
        let mut spans = Vec::new();
        let (mut bad, mut blank) = (0, 0);
        for (a, d, t, s) in &rows {
            let first = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
            let cells = [a, d, t, s];
            let line: Vec<Vec<u8>> = cells.iter().map(|c| written(c)).collect();
            bytes.extend(line.join(&b","[..]));
            bytes.push(b'\n');
            let last = bytes.iter().filter(|&&b| b == b'\n').count();
            let empty = cells.iter().all(|c| c.bytes.is_empty());
            let is_bad = !empty && cells.iter().any(|c| !c.good);
            bad += usize::from(is_bad);
            blank += usize::from(empty);
            spans.push((first, last, is_bad));
        }
        std::fs::write(&path, &bytes).unwrap();
        let map = ["actor=Who", "date=When", "text=Said", "score=Score"];
        let options = ImportOptions {
            format: ImportFormat::Csv,
            files: vec![path],
            out: dir.path().join("out"),
            skip_bad: true,
            force: false,
            sheet: SheetOptions {
                map: map.iter().map(|m| m.parse().unwrap()).collect(),
                kind: Some(SheetKind::Claims),
                date_format: None,
            },
        };
        let imported = import(&options, &saydo::progress::Silent).unwrap();
        let c = imported.counts;
        let skipped = c.no_actor + c.merged + c.not_events + c.excluded;
        prop_assert_eq!(c.rows, rows.len() as u64 + 1);
        prop_assert_eq!(c.rows, c.imported() + skipped + c.bad);
        prop_assert_eq!(c.bad, bad as u64);
        prop_assert_eq!(c.not_events, blank as u64 + 1);
        prop_assert_eq!(c.imported(), (rows.len() - bad - blank) as u64);
        // Every problem lies in a bad row, and every bad row has one.
        let lines: Vec<usize> = imported
            .problems
            .iter()
            .map(|p| line_col(&bytes, p.span.start).0)
            .collect();
        for line in &lines {
            prop_assert!(
                spans.iter().any(|&(first, last, is_bad)| is_bad && (first..=last).contains(line)),
                "a problem at line {} is in no bad row", line
            );
        }
        for &(first, last, is_bad) in &spans {
            let reported = lines.iter().any(|l| (first..=last).contains(l));
            prop_assert_eq!(reported, is_bad, "rows at lines {}..={}", first, last);
        }
    }
}
