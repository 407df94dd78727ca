//! `saydo import icews` and `saydo import plover` on real records (the
//! fixtures in tests/fixtures/import/, whose README names their sources):
//! each imports cleanly into a dataset that validates and checks, the
//! dataset is pinned by a snapshot, and rows with problems are listed at
//! the line and column of the offending value, found here by searching the
//! fixture's text, independently of saydo.

use crate::support::{Saydo, root};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const ICEWS: &str = "tests/fixtures/import/icews/icews-events-2018-300rows.tab";
const PLOVER: &str = "tests/fixtures/import/plover/plover-gsr-cameo-subset.json";

/// What `saydo validate --format json` says, as far as these tests look.
#[derive(Debug, Deserialize)]
struct Validation {
    valid: bool,
    errors: usize,
    problems: Vec<serde_json::Value>,
}

/// Imports `files` (paths relative to the repository, as the README
/// then names them) into `out`, with `extra` arguments.
fn import(format: &str, files: &[&Path], out: &Path, extra: &[&str]) -> crate::support::Outcome {
    Saydo::new()
        .args(["import", format])
        .args(files)
        .arg("--out")
        .arg(out)
        .args(extra)
        .run()
}

/// Fails unless `dataset` validates with no problem at all and checks
/// with exit 0.
fn assert_clean(dataset: &Path) {
    let r = Saydo::new()
        .arg("validate")
        .arg(dataset)
        .args(["--format", "json"])
        .run();
    r.expect(0);
    let v: Validation = serde_json::from_slice(&r.stdout).unwrap();
    assert!(v.valid && v.errors == 0, "{v:?}");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    Saydo::new().arg("check").arg(dataset).run().expect(0);
}

/// The lines of `dataset/sub/file`.
fn lines(dataset: &Path, sub: &str, file: &str) -> Vec<String> {
    fs::read_to_string(dataset.join(sub).join(file))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The imported dataset as one text: the first `n` lines of each JSON
/// Lines file, with their count, and the README, saydo's version
/// replaced so that a release does not change the snapshot.
fn dataset_text(dataset: &Path, name: &str, n: usize) -> String {
    let mut out = String::new();
    for sub in ["actors", "claims", "actions"] {
        let all = lines(dataset, sub, &format!("{name}.jsonl"));
        out.push_str(&format!(
            "== {sub}/{name}.jsonl: {} lines, the first {} ==\n",
            all.len(),
            n.min(all.len())
        ));
        for line in all.iter().take(n) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("== README.md ==\n");
    out.push_str(
        &fs::read_to_string(dataset.join("README.md"))
            .unwrap()
            .replace(env!("CARGO_PKG_VERSION"), "VERSION"),
    );
    out
}

#[test]
fn the_icews_sample_imports_into_a_dataset_that_validates_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("icews");
    let r = import("icews", &[Path::new(ICEWS)], &out, &[]);
    r.expect(0);
    assert_eq!(
        r.out(),
        format!(
            "imported 300 of 301 rows from 1 file into {}: 240 claims, 60 actions, 222 actors\n",
            out.display()
        )
    );
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_clean(&out);
    insta::assert_snapshot!("icews_dataset", dataset_text(&out, "icews", 12));
}

#[test]
fn the_plover_records_import_into_a_dataset_that_validates_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plover");
    let r = import("plover", &[Path::new(PLOVER)], &out, &[]);
    r.expect(0);
    assert_eq!(
        r.out(),
        format!(
            "imported 43 of 45 rows from 1 file into {}: 20 claims, 23 actions, 74 actors (1 row named no actor)\n",
            out.display()
        )
    );
    assert_clean(&out);
    insta::assert_snapshot!("plover_dataset", dataset_text(&out, "plover", 25));
}

#[test]
fn every_plover_category_of_the_fixture_is_imported_as_words_or_deeds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plover");
    import("plover", &[Path::new(PLOVER)], &out, &[]).expect(0);
    let category = |line: &str| {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let notes = v["notes"].as_str().unwrap().to_string();
        notes["PLOVER ".len()..]
            .split([',', ' ', ';'])
            .next()
            .unwrap()
            .to_string()
    };
    let claims: BTreeSet<String> = lines(&out, "claims", "plover.jsonl")
        .iter()
        .map(|l| category(l))
        .collect();
    let actions: BTreeSet<String> = lines(&out, "actions", "plover.jsonl")
        .iter()
        .map(|l| category(l))
        .collect();
    assert_eq!(
        claims.iter().map(String::as_str).collect::<Vec<_>>(),
        [
            "AGREE",
            "CONSULT",
            "DEMAND",
            "DISAPPROVE",
            "REJECT",
            "SUPPORT",
            "THREATEN"
        ]
    );
    assert_eq!(
        actions.iter().map(String::as_str).collect::<Vec<_>>(),
        [
            "AID",
            "ASSAULT",
            "COERCE",
            "CONCEDE",
            "COOPERATE",
            "FIGHT",
            "INVESTIGATE",
            "MOBILIZE",
            "PROTEST",
            "RETREAT",
            "SANCTION"
        ]
    );
}

// ------------------------------------------------------------ bad rows

/// A problem as saydo prints it: its code and `file:line:column`.
type Place = (String, String, usize, usize);

/// The problems in `stderr`: each `error[code]` with the `--> place`
/// under it.
fn places(stderr: &str) -> BTreeSet<Place> {
    let mut out = BTreeSet::new();
    let mut code = None;
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("error[") {
            code = rest.split(']').next().map(str::to_string);
        } else if let Some(place) = line.trim_start().strip_prefix("--> ") {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next().unwrap().parse().unwrap();
            let line = parts.next().unwrap().parse().unwrap();
            let file = parts.next().unwrap().to_string();
            out.insert((
                code.take().expect("a place under a problem"),
                file,
                line,
                column,
            ));
        }
    }
    out
}

/// The 1-based line and column (in characters) of byte `at` of `bytes`,
/// as an editor shows them.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Runs an import of `file` (written into `dir` as `name`) without and
/// with `--skip-bad`, checks both against `expected` problems, and returns
/// the dataset written with `--skip-bad`.
fn import_bad(
    format: &str,
    dir: &Path,
    name: &str,
    bytes: &[u8],
    expected: &BTreeSet<Place>,
) -> PathBuf {
    let file = dir.join(name);
    fs::write(&file, bytes).unwrap();
    let out = dir.join("out");
    let r = Saydo::new()
        .current_dir(dir)
        .args(["import", format, name, "--out", "out"])
        .run();
    r.expect(2);
    assert_eq!(&places(&r.stderr), expected, "{}", r.stderr);
    assert!(r.out().starts_with("nothing written: "), "{}", r.out());
    assert!(!out.exists(), "a failed import wrote {}", out.display());
    assert!(
        crate::support::entries(dir)
            .iter()
            .all(|e| !e.starts_with(".saydo-import-")),
        "a temporary folder is left: {:?}",
        crate::support::entries(dir)
    );
    let r = Saydo::new()
        .current_dir(dir)
        .args(["import", format, name, "--out", "out", "--skip-bad"])
        .run();
    r.expect(1);
    assert_eq!(&places(&r.stderr), expected, "{}", r.stderr);
    assert!(out.join("README.md").exists());
    out
}

/// A change to one ICEWS row: its Event ID, the problem code expected,
/// and what to do to its fields (returning the field the problem is in).
type Break = (&'static str, &'static str, fn(&mut Vec<Vec<u8>>) -> usize);

/// The ICEWS fixture with rows broken as `breaks` say. Returns the bytes
/// and the place of each break: the code expected and the byte offset of
/// the field (or of the row, for a short one).
fn icews_with(breaks: &[Break]) -> (Vec<u8>, Vec<(String, usize)>) {
    let text = fs::read(root().join(ICEWS)).unwrap();
    let mut out = Vec::new();
    let mut at = Vec::new();
    for line in text.split_inclusive(|&b| b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let mut fields: Vec<Vec<u8>> = body.split(|&b| b == b'\t').map(<[u8]>::to_vec).collect();
        if let Some((_, code, change)) = breaks.iter().find(|(id, _, _)| fields[0] == id.as_bytes())
        {
            let field = change(&mut fields);
            // The field's offset: the row's start and the fields before
            // it, each with its tab.
            let offset = out.len() + fields[..field].iter().map(|f| f.len() + 1).sum::<usize>();
            at.push((code.to_string(), offset));
        }
        out.extend(fields.join(&b'\t'));
        out.push(b'\n');
    }
    assert_eq!(
        at.len(),
        breaks.len(),
        "every row to break is in the fixture"
    );
    (out, at)
}

#[test]
fn bad_icews_rows_are_placed_at_their_values_and_the_others_imported_with_skip_bad() {
    let (bytes, at) = icews_with(&[
        // Event Date
        ("32891290", "bad-date", |f| {
            f[1] = b"2018-06-31".to_vec();
            1
        }),
        // Intensity
        ("32891065", "wrong-type", |f| {
            f[7] = b"high".to_vec();
            7
        }),
        ("32891094", "score-out-of-range", |f| {
            f[7] = b"12.5".to_vec();
            7
        }),
        // CAMEO Code, as a spreadsheet saves it
        ("32891108", "bad-value", |f| {
            f[6] = b"40".to_vec();
            6
        }),
        // A row cut short
        ("32891247", "missing-field", |f| {
            f.truncate(5);
            0
        }),
        // Source Name, a byte that is not UTF-8 inside it
        ("32891256", "not-utf8", |f| {
            f[2] = b"Armed \xffBand (Nicaragua)".to_vec();
            2
        }),
    ]);
    let mut expected = BTreeSet::new();
    for (code, offset) in &at {
        // The not-UTF-8 problem is at the bad byte, inside the field.
        let offset = if code == "not-utf8" {
            offset + "Armed ".len()
        } else {
            *offset
        };
        let (line, column) = line_col(&bytes, offset);
        expected.insert((code.clone(), "events.tab".to_string(), line, column));
    }
    let dir = tempfile::tempdir().unwrap();
    let out = import_bad("icews", dir.path(), "events.tab", &bytes, &expected);
    let imported =
        lines(&out, "claims", "icews.jsonl").len() + lines(&out, "actions", "icews.jsonl").len();
    assert_eq!(imported, 300 - at.len());
    assert!(
        fs::read_to_string(out.join("README.md"))
            .unwrap()
            .contains("6 had problems and were left out"),
    );
    assert_clean(&out);
}

/// Where `value` is in `text`: the first place after `after`.
fn find_after(text: &[u8], after: &str, value: &str) -> usize {
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
            .unwrap_or_else(|| panic!("{} not found", String::from_utf8_lossy(needle)))
    };
    let start = find(text, after.as_bytes(), 0);
    find(text, value.as_bytes(), start)
}

/// `text` with the first `old` after `after` replaced by `new`.
fn replace_after(text: &[u8], after: &str, old: &str, new: &[u8]) -> Vec<u8> {
    let at = find_after(text, after, old);
    [&text[..at], new, &text[at + old.len()..]].concat()
}

#[test]
fn bad_plover_records_are_placed_at_their_values_and_the_others_imported_with_skip_bad() {
    let mut text = fs::read(root().join(PLOVER)).unwrap();
    let record = |id: &str| format!("\"id\": \"PLOVER-GSR01-{id}\"");
    text = replace_after(
        &text,
        &record("AGREE-0002"),
        "\"2000-01-01\"",
        b"\"2000-02-30\"",
    );
    text = replace_after(&text, &record("SUPPORT-0001"), "\"SUPPORT\"", b"\"ENGAGE\"");
    text = replace_after(&text, &record("AID-0001"), "Doctors", b"Doc\xfftors");
    // A record repeating another's id, as the source file does once.
    text = replace_after(&text, &record("FIGHT-0002"), "FIGHT-0002", b"FIGHT-0001");
    // The second `"PLOVER-GSR01-FIGHT-0001"` is the repeated id.
    let repeated = {
        let id = b"\"PLOVER-GSR01-FIGHT-0001\"";
        let mut at = text.windows(id.len()).enumerate().filter(|(_, w)| w == id);
        at.nth(1).expect("the id twice").0
    };
    let expected: BTreeSet<Place> = [
        (
            "bad-date",
            find_after(&text, &record("AGREE-0002"), "\"2000-02-30\""),
        ),
        (
            "bad-value",
            find_after(&text, &record("SUPPORT-0001"), "\"ENGAGE\""),
        ),
        ("not-utf8", text.iter().position(|&b| b == 0xff).unwrap()),
        ("duplicate-id", repeated),
    ]
    .into_iter()
    .map(|(code, at)| {
        let (line, column) = line_col(&text, at);
        (code.to_string(), "records.json".to_string(), line, column)
    })
    .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = import_bad("plover", dir.path(), "records.json", &text, &expected);
    let imported =
        lines(&out, "claims", "plover.jsonl").len() + lines(&out, "actions", "plover.jsonl").len();
    assert_eq!(imported, 43 - 4);
    assert_clean(&out);
}

#[test]
fn a_plover_syntax_error_ends_the_file_and_the_records_before_it_are_kept() {
    let text = fs::read(root().join(PLOVER)).unwrap();
    // The comma after the record before CONSULT-0002 goes.
    let at = find_after(&text, "\"id\": \"PLOVER-GSR01-AGREE-0031\"", "},\n{") + 1;
    let broken = [&text[..at], &text[at + 1..]].concat();
    let (line, column) = line_col(&broken, at + 1);
    let expected = BTreeSet::from([(
        "json-syntax".to_string(),
        "records.json".to_string(),
        line,
        column,
    )]);
    let dir = tempfile::tempdir().unwrap();
    let out = import_bad("plover", dir.path(), "records.json", &broken, &expected);
    // The DOCUMENT record and AGREE-0001 … AGREE-0031, five of them.
    let claims = lines(&out, "claims", "plover.jsonl");
    assert_eq!(claims.len(), 5, "{claims:?}");
    assert!(
        claims[4].contains("plover-gsr01-agree-0031"),
        "{}",
        claims[4]
    );
    // No action before the error: no file of none.
    assert!(!out.join("actions/plover.jsonl").exists());
    assert_clean(&out);
}
