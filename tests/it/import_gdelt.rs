//! `saydo import gdelt`: real GDELT rows (tests/fixtures/import/gdelt/)
//! into datasets that validate and check; each bad row located at its
//! line and column; nothing written unless every row is good or
//! `--skip-bad` is given; an existing folder kept unless `--force`; and
//! every row accounted for exactly once.
//!
//! What each import should contain is worked out here from the fixture's
//! text, by splitting its lines on tabs, independently of the importer.

use crate::support::{Saydo, root};
use proptest::prelude::*;
use saydo::import::{ImportFormat, ImportOptions, import};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import/gdelt").join(name)
}

const V1: &str = "gdelt1-20141124.export.tsv";
const V2: &str = "gdelt2-events-50rows-with-header.tsv";

fn import_cmd(files: &[&Path], out: &Path) -> Saydo {
    Saydo::new()
        .args(["import", "gdelt"])
        .args(files)
        .arg("--out")
        .arg(out)
}

/// The JSON lines of every file of a dataset folder's `sub/`.
fn lines(dir: &Path, sub: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for name in crate::support::entries(&dir.join(sub)) {
        let text = std::fs::read_to_string(dir.join(sub).join(name)).unwrap();
        out.extend(
            text.lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap()),
        );
    }
    out
}

/// What a GDELT file should import as: per id, (claim?, score, actor id,
/// target id), from the file's rows: the first row of each (date, actor,
/// target, event code) with an actor.
fn expected(path: &Path) -> BTreeMap<String, (bool, f64, String, Option<String>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let names: Vec<&str> = if rows[0][0] == "GLOBALEVENTID" {
        rows.remove(0)
    } else {
        include_str!("../fixtures/import/gdelt/columns-1.0.txt")
            .lines()
            .collect()
    };
    let col = |name: &str| names.iter().position(|n| *n == name).unwrap();
    let id = |code: &str| {
        (!code.is_empty()).then(|| {
            code.to_lowercase()
                .as_bytes()
                .chunks(3)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        })
    };
    let mut seen = BTreeSet::new();
    let mut out = BTreeMap::new();
    for r in rows {
        let key = (
            r[col("SQLDATE")],
            r[col("Actor1Code")],
            r[col("Actor2Code")],
            r[col("EventCode")],
        );
        if r[col("Actor1Code")].is_empty() || !seen.insert(key) {
            continue;
        }
        out.insert(
            format!("gdelt-{}", r[col("GLOBALEVENTID")]),
            (
                matches!(r[col("QuadClass")], "1" | "3"),
                r[col("GoldsteinScale")].parse().unwrap(),
                id(r[col("Actor1Code")]).unwrap(),
                id(r[col("Actor2Code")]),
            ),
        );
    }
    out
}

/// Imports `name`, then checks the dataset against [`expected`] and that
/// it validates without a problem and checks.
fn imports_as_expected(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    let r = import_cmd(&[&fixture(name)], &out).run();
    r.expect(0);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let want = expected(&fixture(name));
    let mut got = BTreeMap::new();
    for (sub, claim, score) in [("claims", true, "stance"), ("actions", false, "effect")] {
        for v in lines(&out, sub) {
            let target = v["target"].as_str().map(str::to_string);
            got.insert(
                v["id"].as_str().unwrap().to_string(),
                (
                    claim,
                    v[score].as_f64().unwrap(),
                    v["actor"].as_str().unwrap().to_string(),
                    target,
                ),
            );
            assert!(v["source"]["url"].as_str().unwrap().starts_with("http"));
            assert_eq!(v["attribution"].is_string(), !claim, "{v}");
        }
    }
    assert_eq!(got, want);
    let actors: BTreeSet<String> = lines(&out, "actors")
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    for (_, _, actor, target) in want.values() {
        assert!(actors.contains(actor) && target.iter().all(|t| actors.contains(t)));
    }
    let v = Saydo::new()
        .arg("validate")
        .arg(&out)
        .args(["--format", "json"])
        .run();
    v.expect(0);
    let report: Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(
        (report["errors"].as_u64(), report["warnings"].as_u64()),
        (Some(0), Some(0)),
        "{report}"
    );
    Saydo::new().arg("check").arg(&out).run().expect(0);
    dir
}

#[test]
fn a_gdelt_1_export_as_downloaded_imports_validates_and_checks() {
    let dir = imports_as_expected(V1);
    let out = dir.path().join("g");
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains(
            "Of 100 rows read, 12 became claims and 5 actions, naming 15 actors. \
             Not imported: 81 named no actor; 2 repeated an event already imported."
        ),
        "{readme}"
    );
    let mut dataset = String::new();
    for sub in ["actors", "claims", "actions"] {
        dataset.push_str(&format!("# {sub}/gdelt.jsonl\n"));
        dataset.push_str(&std::fs::read_to_string(out.join(sub).join("gdelt.jsonl")).unwrap());
    }
    insta::assert_snapshot!("gdelt1_dataset", dataset);
    let readme = readme
        .replace(&fixture(V1).display().to_string(), "FIXTURE")
        .replace(env!("CARGO_PKG_VERSION"), "VERSION");
    insta::assert_snapshot!("gdelt1_readme", readme);
}

#[test]
fn a_gdelt_2_export_with_a_header_row_imports_validates_and_checks() {
    imports_as_expected(V2);
}

#[test]
fn two_files_import_into_one_dataset_and_the_summary_counts_both() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    let r = import_cmd(&[&fixture(V1), &fixture(V2)], &out).run();
    r.expect(0);
    let n = expected(&fixture(V1)).len() + expected(&fixture(V2)).len();
    assert!(
        r.out()
            .starts_with(&format!("imported {n} of 151 rows from 2 files into")),
        "{}",
        r.out()
    );
    Saydo::new().arg("validate").arg(&out).run().expect(0);
}

/// The fixture with some of its rows broken: (line, column name, value).
fn broken(dir: &Path, changes: &[(usize, usize, &[u8])]) -> PathBuf {
    let text = std::fs::read(fixture(V1)).unwrap();
    let mut rows: Vec<Vec<Vec<u8>>> = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| l.split(|&b| b == b'\t').map(<[u8]>::to_vec).collect())
        .collect();
    for &(line, column, value) in changes {
        rows[line - 1][column] = value.to_vec();
    }
    let mut out = Vec::new();
    for r in rows {
        out.extend(r.join(&b'\t'));
        out.push(b'\n');
    }
    let path = dir.join("broken.tsv");
    std::fs::write(&path, out).unwrap();
    path
}

/// 1-based line and column (in characters) of the `field`th field of
/// line `line`, counted from the file's bytes.
fn place(path: &Path, line: usize, field: usize) -> (usize, usize) {
    let text = std::fs::read(path).unwrap();
    let row = text.split(|&b| b == b'\n').nth(line - 1).unwrap();
    let before: Vec<u8> = row
        .split(|&b| b == b'\t')
        .take(field)
        .flat_map(|f| f.iter().copied().chain([b'\t']))
        .collect();
    (line, String::from_utf8_lossy(&before).chars().count() + 1)
}

#[test]
fn bad_rows_are_each_located_and_nothing_is_written_without_skip_bad() {
    let dir = tempfile::tempdir().unwrap();
    // Lines 3 and 6 to 9 have actors and are no repeats; columns: 1
    // SQLDATE, 29 QuadClass, 30 GoldsteinScale, 6 Actor1Name.
    let bad: [(usize, usize, &[u8], &str); 5] = [
        (3, 1, b"20141341", "bad-date"),
        (7, 30, b"lots", "wrong-type"),
        (8, 29, b"7", "bad-value"),
        (6, 6, b"CAN\xffADA", "not-utf8"),
        (9, 30, b"-11", "score-out-of-range"),
    ];
    let changes: Vec<(usize, usize, &[u8])> = bad.iter().map(|&(l, c, v, _)| (l, c, v)).collect();
    let path = broken(dir.path(), &changes);
    let out = dir.path().join("g");
    let r = import_cmd(&[&path], &out).run();
    r.expect(2);
    assert!(!out.exists(), "a failed import writes nothing");
    assert_eq!(
        crate::support::entries(dir.path()),
        ["broken.tsv"],
        "no temporary folder is left"
    );
    let shown = path.display().to_string();
    for (line, column, _, code) in bad {
        let (l, c) = place(&path, line, column);
        let c = if code == "not-utf8" { c + 3 } else { c };
        let at = format!("{shown}:{l}:{c}");
        assert!(
            r.stderr.contains(&at) && r.stderr.contains(&format!("error[{code}]")),
            "{at} {code}\n{}",
            r.stderr
        );
    }
    assert!(
        r.out().starts_with("nothing written: 5 rows have problems"),
        "{}",
        r.out()
    );

    let r = import_cmd(&[&path], &out).arg("--skip-bad").run();
    r.expect(1);
    assert!(
        r.out()
            .contains("(81 rows named no actor, 2 rows repeated an event, 5 rows had problems)"),
        "{}",
        r.out()
    );
    Saydo::new().arg("validate").arg(&out).run().expect(0);
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains("`--skip-bad`") && readme.contains("5 had problems"),
        "{readme}"
    );
}

#[test]
fn a_row_of_the_wrong_length_is_a_problem_at_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("short.tsv");
    let mut text = std::fs::read_to_string(fixture(V1)).unwrap();
    text.push_str("1\t20141124\tIRN\n");
    std::fs::write(&path, &text).unwrap();
    let r = import_cmd(&[&path], &dir.path().join("g")).run();
    r.expect(2);
    assert!(
        r.stderr.contains(&format!("{}:101:1", path.display())),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("this row has 3 columns"), "{}", r.stderr);
}

#[test]
fn an_existing_folder_is_kept_unless_force_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "keep").unwrap();
    let r = import_cmd(&[&fixture(V1)], &out).run();
    r.expect(2);
    assert!(
        r.stderr.contains("exists already") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(crate::support::entries(&out), ["mine.txt"]);
    // A forced import that fails leaves the folder as it was.
    let bad = broken(dir.path(), &[(3, 1, b"x")]);
    import_cmd(&[&bad], &out).arg("--force").run().expect(2);
    assert_eq!(crate::support::entries(&out), ["mine.txt"]);
    import_cmd(&[&fixture(V1)], &out)
        .arg("--force")
        .run()
        .expect(0);
    assert_eq!(
        crate::support::entries(&out),
        ["README.md", "actions", "actors", "claims"]
    );
    assert_eq!(crate::support::entries(dir.path()), ["broken.tsv", "g"]);
}

#[test]
fn a_compressed_or_missing_file_is_an_io_problem_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let r = import_cmd(&[&dir.path().join("nope.tsv")], &dir.path().join("g")).run();
    r.expect(2);
    assert!(
        r.stderr.contains("error[io-error]") && r.stderr.contains("unzip"),
        "{}",
        r.stderr
    );
}

/// A GDELT 1.0 row built from the fixture's third row (an actor, BUS),
/// with these values.
fn row(id: u32, date: &str, actor: &str, quad: &str, goldstein: &str) -> String {
    let text = std::fs::read_to_string(fixture(V1)).unwrap();
    let mut fields: Vec<String> = text
        .lines()
        .nth(2)
        .unwrap()
        .split('\t')
        .map(str::to_string)
        .collect();
    fields[0] = id.to_string();
    fields[1] = date.to_string();
    fields[5] = actor.to_string();
    fields[29] = quad.to_string();
    fields[30] = goldstein.to_string();
    fields.join("\t")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every row imports, is skipped and counted, or has problems: exactly
    /// one of them, and the rows with problems are exactly the bad ones.
    #[test]
    fn every_row_imports_or_is_reported_never_both_never_neither(
        rows in proptest::collection::vec(
            (
                prop_oneof![Just("20141124"), Just("20140231"), Just("2014"), Just("20150101")],
                prop_oneof![Just(""), Just("BUS"), Just("IRNGOV"), Just("IRN")],
                prop_oneof![Just("1"), Just("2"), Just("3"), Just("4"), Just("0"), Just("x")],
                prop_oneof![Just("3.4"), Just("-10"), Just("10.5"), Just("abc"), Just("")],
            ),
            1..30,
        )
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.tsv");
        let text: Vec<String> = rows.iter().enumerate().map(|(i, r)| row(i as u32 + 1, r.0, r.1, r.2, r.3)).collect();
        std::fs::write(&path, text.join("\n") + "\n").unwrap();
        let options = ImportOptions {
            format: ImportFormat::Gdelt,
            files: vec![path],
            out: dir.path().join("g"),
            skip_bad: true,
            force: false,
            sheet: Default::default(),
        };
        let imported = import(&options, &saydo::progress::Silent).unwrap();
        let c = imported.counts;
        prop_assert_eq!(c.rows, rows.len() as u64);
        prop_assert_eq!(c.rows, c.claims + c.actions + c.no_actor + c.merged + c.not_events + c.excluded + c.bad);
        let placed = saydo::render::problems::to_json(&imported.problems, &imported.files);
        let bad_lines: BTreeSet<usize> = placed.iter().map(|p| p.line.unwrap()).collect();
        let expected_bad: BTreeSet<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.0 == "20140231" || r.0 == "2014" || !matches!(r.2, "1" | "2" | "3" | "4")
                    || !matches!(r.3, "3.4" | "-10")
            })
            .map(|(i, _)| i + 1)
            .collect();
        prop_assert_eq!(&bad_lines, &expected_bad);
        prop_assert_eq!(c.bad as usize, expected_bad.len());
        let ids: BTreeSet<String> = ["claims", "actions"]
            .iter()
            .flat_map(|sub| lines(&options.out, sub))
            .map(|v| v["id"].as_str().unwrap().trim_start_matches("gdelt-").to_string())
            .collect();
        for line in &bad_lines {
            prop_assert!(!ids.contains(&line.to_string()), "row {} is both imported and reported", line);
        }
        prop_assert_eq!(ids.len() as u64, c.claims + c.actions);
    }
}

/// A GDELT 2.0 export of `copies` times the fixture's rows, each copy
/// with ids and days of its own, as tab- and comma-separated text.
fn many_rows(copies: usize) -> (String, Vec<u8>) {
    let text = std::fs::read_to_string(fixture(V2)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    let mut tsv = format!("{header}\n");
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(header.split('\t')).unwrap();
    for copy in 0..copies {
        for (i, r) in rows.iter().enumerate() {
            let mut r: Vec<String> = r.iter().map(|f| f.to_string()).collect();
            r[0] = format!("{}", 1_000_000 + copy * 100 + i);
            r[1] = format!("{}{:02}{:02}", 1970 + copy / 12, 1 + copy % 12, 1 + i % 28);
            tsv.push_str(&r.join("\t"));
            tsv.push('\n');
            csv.write_record(&r).unwrap();
        }
    }
    (tsv, csv.into_inner().unwrap())
}

/// The dataset files of an import, by name, without the README.
fn dataset_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["actors", "claims", "actions"]
        .iter()
        .map(|sub| {
            let path = dir.join(sub).join("gdelt.jsonl");
            (sub.to_string(), std::fs::read(path).unwrap())
        })
        .collect()
}

/// Large files are worked on in blocks, in parallel; what they import
/// must not depend on that: the same rows as comma-separated text (read
/// row by row, on one thread) and on one thread or several give the same
/// dataset, byte for byte.
#[test]
fn blocks_in_parallel_import_what_rows_one_by_one_do() {
    let dir = tempfile::tempdir().unwrap();
    let (tsv, csv) = many_rows(600);
    assert!(
        tsv.len() > 8 << 20,
        "spans several blocks: {} bytes",
        tsv.len()
    );
    std::fs::write(dir.path().join("rows.tsv"), &tsv).unwrap();
    std::fs::write(dir.path().join("rows.csv"), &csv).unwrap();
    let run = |name: &str, threads: usize| {
        let out = dir.path().join(format!("{name}-{threads}"));
        let options = ImportOptions {
            format: ImportFormat::Gdelt,
            files: vec![dir.path().join(name)],
            out: out.clone(),
            skip_bad: false,
            force: false,
            sheet: Default::default(),
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let imported = pool
            .install(|| import(&options, &saydo::progress::Silent))
            .unwrap();
        assert!(imported.problems.is_empty() && imported.written);
        (imported.counts, dataset_files(&out))
    };
    let one_by_one = run("rows.csv", 1);
    assert!(one_by_one.0.imported() > 10_000, "{:?}", one_by_one.0);
    assert_eq!(run("rows.tsv", 1), one_by_one);
    assert_eq!(run("rows.tsv", 4), one_by_one);
}

/// A row repeated word for word is the same event, merged; a row with
/// the id of another event is a repeated id, found at its id.
#[test]
fn a_repeated_event_merges_and_a_repeated_id_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.tsv");
    let first = row(7, "20141124", "BUS", "1", "3.4");
    let mut other: Vec<String> = first.split('\t').map(str::to_string).collect();
    other[26] = "036".into();
    let text = [first.clone(), first, other.join("\t")].join("\n") + "\n";
    std::fs::write(&path, &text).unwrap();
    let r = import_cmd(&[&path], &dir.path().join("g"))
        .arg("--skip-bad")
        .run();
    r.expect(1);
    assert!(
        r.out()
            .contains("1 row repeated an event, 1 row had problems"),
        "{}",
        r.out()
    );
    let at = format!("{}:3:1", path.display());
    assert!(
        r.stderr.contains(&at) && r.stderr.contains("error[duplicate-id]"),
        "{at}\n{}",
        r.stderr
    );
}
