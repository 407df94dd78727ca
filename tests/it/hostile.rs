//! Hostile and broken input in every command.
//!
//! Every broken fixture under tests/fixtures/ (found at run time: every
//! folder on which `saydo validate` exits 2) goes through the real binary in
//! every format: `validate` must locate every problem, and `check` must fail
//! with status 2, locate every problem on standard error, and write nothing:
//! no report, no partial report, no temporary file, and an older report left
//! byte for byte as it was.
//!
//! Then absurd input, generated here at run time (nothing big is committed):
//! a 100 MB string, JSON nested a million deep, ten million `[`, an actor
//! with a million aliases, a 50 MB line of spaces. Each must end with a
//! located problem (or load), quickly and in bounded memory. Every child runs
//! in its own process group and is killed after a timeout, so a hang fails
//! the test instead of hanging CI.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use crate::support::{Outcome, Saydo, cannot_run, clip, entries, temporaries};

/// Peak resident memory allowed on absurd input.
const MEMORY_LIMIT_KB: u64 = 1024 * 1024;
const CHECK_FORMATS: [&str; 9] = [
    "table", "json", "jsonl", "markdown", "csv", "github", "sarif", "junit", "html",
];
const VALIDATE_FORMATS: [&str; 5] = ["table", "json", "github", "sarif", "junit"];

// ---------------------------------------------------------------- running

/// The tests that build files of hundreds of megabytes take turns, so that
/// their memory and time do not add up.
fn heavy() -> MutexGuard<'static, ()> {
    static HEAVY: Mutex<()> = Mutex::new(());
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

fn assert_small(run: &Outcome) {
    match run.peak_kb {
        Some(kb) => {
            eprintln!("{}: peak memory {} MB", run.what, kb / 1024);
            assert!(
                kb < MEMORY_LIMIT_KB,
                "{}: peak memory {} MB, limit {} MB",
                run.what,
                kb / 1024,
                MEMORY_LIMIT_KB / 1024
            );
        }
        None => cannot_run(&format!(
            "GNU time (/usr/bin/time, Debian package `time`) is not installed: memory of `{}` not measured",
            run.what
        )),
    }
}

// ---------------------------------------------------------------- fixtures

/// One problem as `saydo validate --format json` reports it.
#[derive(Clone, Debug)]
struct Problem {
    code: String,
    severity: String,
    /// (file, line, column) when the problem is in a file.
    place: Option<(String, usize, usize)>,
}

struct Broken {
    name: String,
    dir: PathBuf,
    problems: Vec<Problem>,
}

impl Broken {
    fn located(&self) -> impl Iterator<Item = &(String, usize, usize)> {
        self.problems.iter().filter_map(|p| p.place.as_ref())
    }
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn parse_problems(json: &str, what: &str) -> (bool, Vec<Problem>) {
    let v: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {json}"));
    let problems = v["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no problems array: {json}"))
        .iter()
        .map(|p| {
            let place = p["file"].as_str().map(|f| {
                let n = |k: &str| {
                    p[k].as_u64()
                        .unwrap_or_else(|| panic!("{what}: problem in {f} without {k}: {p}"))
                        as usize
                };
                (f.to_string(), n("line"), n("column"))
            });
            Problem {
                code: p["code"].as_str().unwrap_or_default().to_string(),
                severity: p["severity"].as_str().unwrap_or_default().to_string(),
                place,
            }
        })
        .collect();
    (v["valid"].as_bool() == Some(true), problems)
}

/// Every fixture folder on which `saydo validate` exits 2, with its problems
/// (from `--format json`). A fixture on which it exits neither 0 nor 2 fails.
fn broken_fixtures() -> &'static [Broken] {
    static FOUND: OnceLock<Vec<Broken>> = OnceLock::new();
    FOUND.get_or_init(|| {
        let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        let mut out = Vec::new();
        for dir in dirs {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            if name == "hostile" {
                continue;
            }
            let r = Saydo::new()
                .current_dir(&dir)
                .args(["validate", ".", "--format", "json"])
                .run();
            r.no_panic();
            match r.code() {
                Some(0) => continue,
                Some(2) => {}
                other => panic!("fixture {name}: validate exited {other:?}: {}", r.stderr),
            }
            let (valid, problems) = parse_problems(&r.out(), &name);
            assert!(!valid, "{name}: exit 2 but valid: true");
            assert!(
                problems.iter().any(|p| p.severity == "error"),
                "{name}: exit 2 without an error: {problems:?}"
            );
            out.push(Broken {
                name,
                dir,
                problems,
            });
        }
        out
    })
}

#[test]
fn the_broken_fixtures_are_found() {
    let names: Vec<&str> = broken_fixtures().iter().map(|b| b.name.as_str()).collect();
    for must in [
        "json-syntax",
        "jsonl-broken-line",
        "not-utf8",
        "empty-file",
        "too-deep",
        "missing-folder",
        "unknown-actor",
        "acts-for-cycle",
        "many-problems",
        "document-outside",
    ] {
        assert!(names.contains(&must), "{must} not found among {names:?}");
    }
    assert!(
        names.len() >= 25,
        "only {} broken fixtures: {names:?}",
        names.len()
    );
}

// ---------------------------------------------------------------- places

/// Every `path:LINE:COLUMN` token in a text (LINE and COLUMN digits), found
/// without regular expressions: words split at white space and quotes, with
/// trailing punctuation dropped.
fn place_tokens(text: &str) -> HashSet<(String, usize, usize)> {
    let mut out = HashSet::new();
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'')) {
        let word = word
            .trim_start_matches(['(', '['])
            .trim_end_matches([':', ',', ';', '.', ')', ']']);
        let mut parts = word.rsplitn(3, ':');
        let (Some(col), Some(line), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if path.is_empty() || !digits(line) || !digits(col) {
            continue;
        }
        out.insert((
            path.to_string(),
            line.parse().unwrap(),
            col.parse().unwrap(),
        ));
    }
    out
}

/// Fails unless `text` names every located problem of `b` as `path:N:M`.
fn assert_places(b: &Broken, text: &str, what: &str) {
    let tokens = place_tokens(text);
    for place in b.located() {
        assert!(
            tokens.contains(place),
            "{}: {what} does not name {}:{}:{}\n{}",
            b.name,
            place.0,
            place.1,
            place.2,
            clip(text)
        );
    }
}

/// `escapeProperty` of @actions/core.
fn escape_property(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C")
}

fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&percent_decode_bytes(s)).into_owned()
}

/// Checks that one `validate --format F` output locates every problem.
fn check_validate_output(b: &Broken, format: &str, out: &str) {
    let what = format!("validate --format {format}");
    match format {
        "table" => {
            assert_places(b, out, &what);
            assert!(out.contains("invalid: "), "{}: {what}: {out}", b.name);
        }
        "json" => {
            let (valid, problems) = parse_problems(out, &b.name);
            assert!(!valid);
            assert_eq!(problems.len(), b.problems.len(), "{}: {what}", b.name);
        }
        "github" => {
            for (file, line, col) in b.located() {
                let want = format!("file={},line={line},col={col},", escape_property(file));
                assert!(
                    out.lines().any(
                        |l| (l.starts_with("::error ") || l.starts_with("::warning "))
                            && l.contains(&want)
                    ),
                    "{}: {what}: no annotation with {want}\n{out}",
                    b.name
                );
            }
            assert!(out.lines().any(|l| l.starts_with("::error ")), "{}", b.name);
        }
        "sarif" => {
            let v: serde_json::Value = serde_json::from_str(out)
                .unwrap_or_else(|e| panic!("{}: {what}: not JSON: {e}", b.name));
            let results = v["runs"][0]["results"].as_array().unwrap();
            assert_eq!(results.len(), b.problems.len(), "{}: {what}", b.name);
            for (file, line, col) in b.located() {
                let found = results.iter().any(|r| {
                    let loc = &r["locations"][0]["physicalLocation"];
                    let uri = percent_decode(loc["artifactLocation"]["uri"].as_str().unwrap_or(""));
                    (uri == *file || uri.ends_with(&format!("/{file}")))
                        && loc["region"]["startLine"].as_u64() == Some(*line as u64)
                        && loc["region"]["startColumn"].as_u64() == Some(*col as u64)
                });
                assert!(
                    found,
                    "{}: {what}: no result at {file}:{line}:{col}",
                    b.name
                );
            }
        }
        "junit" => {
            assert!(out.contains("<failure"), "{}: {what}: {out}", b.name);
            assert_places(b, out, &what);
        }
        other => unreachable!("{other}"),
    }
}

#[test]
fn validate_locates_every_problem_of_every_broken_fixture_in_every_format() {
    for b in broken_fixtures() {
        for format in VALIDATE_FORMATS {
            let r = Saydo::new()
                .current_dir(&b.dir)
                .args(["validate", ".", "--format", format])
                .run();
            r.expect(2);
            check_validate_output(b, format, &r.out());
        }
    }
}

/// A good report in `format`, from the valid fixture.
fn good_report(format: &str) -> Vec<u8> {
    let valid = fixtures_dir().join("valid");
    let r = Saydo::new()
        .current_dir(&valid)
        .args(["check", ".", "--format", format])
        .run();
    r.expect(0);
    assert!(
        !r.stdout.is_empty(),
        "check --format {format}: empty report"
    );
    r.stdout
}

fn assert_check_failed_cleanly(b: &Broken, r: &Outcome) {
    r.expect(2);
    assert!(
        r.stdout.is_empty(),
        "{}: {}: something was reported on standard output:\n{}",
        b.name,
        r.what,
        clip(&r.out())
    );
    let err = &r.stderr;
    assert_places(b, err, &format!("{} (standard error)", r.what));
    for p in &b.problems {
        assert!(
            err.contains(&format!("[{}]", p.code)),
            "{}: stderr does not name {}: {err}",
            b.name,
            p.code
        );
    }
}

#[test]
fn check_fails_on_every_broken_fixture_in_every_format_and_writes_nothing() {
    for b in broken_fixtures() {
        for format in CHECK_FORMATS {
            // Standard output: nothing half-reported.
            let r = Saydo::new()
                .current_dir(&b.dir)
                .args(["check", ".", "--format", format])
                .run();
            assert_check_failed_cleanly(b, &r);

            // --output to a fresh folder: no report and no temporary file.
            let out_dir = tempfile::tempdir().unwrap();
            let out = out_dir.path().join(format!("report.{format}"));
            let r = Saydo::new()
                .current_dir(&b.dir)
                .args([
                    "check",
                    ".",
                    "--format",
                    format,
                    "--output",
                    out.to_str().unwrap(),
                ])
                .run();
            assert_check_failed_cleanly(b, &r);
            assert!(
                !out.exists(),
                "{}: {} left {}",
                b.name,
                r.what,
                out.display()
            );
            assert_eq!(
                entries(out_dir.path()),
                Vec::<String>::new(),
                "{}: {} left files behind",
                b.name,
                r.what
            );
        }
    }
}

#[test]
fn a_failed_check_leaves_an_earlier_report_byte_identical() {
    for format in CHECK_FORMATS {
        let good = good_report(format);
        for b in broken_fixtures() {
            let out_dir = tempfile::tempdir().unwrap();
            let out = out_dir.path().join(format!("report.{format}"));
            fs::write(&out, &good).unwrap();
            let before = fs::metadata(&out).unwrap().modified().unwrap();
            let r = Saydo::new()
                .current_dir(&b.dir)
                .args([
                    "check",
                    ".",
                    "--format",
                    format,
                    "--output",
                    out.to_str().unwrap(),
                ])
                .run();
            assert_check_failed_cleanly(b, &r);
            assert!(
                fs::read(&out).unwrap() == good,
                "{}: {} changed the earlier report",
                b.name,
                r.what
            );
            assert_eq!(fs::metadata(&out).unwrap().modified().unwrap(), before);
            assert_eq!(
                temporaries(out_dir.path()),
                Vec::<String>::new(),
                "{}: {}",
                b.name,
                r.what
            );
        }
    }
}

// ---------------------------------------------------------------- absurd input

/// A dataset folder with empty actions/ and the given claims files.
/// Writes one generated file.
type Writer<'a> = &'a dyn Fn(&mut dyn Write);

fn dataset_with(root: &Path, files: &[(&str, Writer<'_>)]) -> PathBuf {
    let ds = root.join("ds");
    for sub in ["claims", "actions"] {
        fs::create_dir_all(ds.join(sub)).unwrap();
    }
    fs::write(ds.join("actions/actions.json"), "[]\n").unwrap();
    for (rel, write) in files {
        let path = ds.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut w = BufWriter::with_capacity(1 << 20, fs::File::create(&path).unwrap());
        write(&mut w);
        w.flush().unwrap();
    }
    ds
}

/// Writes `byte` `n` times.
fn repeat(w: &mut dyn Write, byte: u8, n: usize) {
    let block = vec![byte; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(block.len());
        w.write_all(&block[..k]).unwrap();
        left -= k;
    }
}

/// Validates `ds` as JSON (measured) and returns its problems.
fn validate_problems(ds: &Path) -> (Outcome, Vec<Problem>) {
    let r = Saydo::new()
        .current_dir(ds)
        .args(["validate", ".", "--format", "json"])
        .run_measured();
    r.no_panic();
    let (_, problems) = if r.code() == Some(2) || r.code() == Some(0) {
        parse_problems(&r.out(), &r.what)
    } else {
        panic!("{}: status {:?}: {}", r.what, r.status, clip(&r.stderr))
    };
    (r, problems)
}

fn assert_problem(problems: &[Problem], code: &str, file: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.code == code && p.place.as_ref().is_some_and(|(f, _, _)| f == file)),
        "no {code} in {file}: {problems:?}"
    );
}

/// `check` on `ds` fails with `code` named on stderr, writes no report, in
/// bounded memory.
fn assert_check_refuses(ds: &Path, code: &str) -> Outcome {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("report.json");
    let r = Saydo::new()
        .current_dir(ds)
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ])
        .run_measured();
    r.expect(2);
    assert!(
        r.stderr.contains(&format!("error[{code}]")),
        "{}: {}",
        r.what,
        clip(&r.stderr)
    );
    assert!(!out.exists());
    assert!(entries(out_dir.path()).is_empty());
    assert_small(&r);
    r
}

const TEXT_BYTES: usize = 100_000_000;

fn huge_text_dataset(root: &Path) -> PathBuf {
    dataset_with(
        root,
        &[("claims/claims.jsonl", &|w: &mut dyn Write| {
            w.write_all(br#"{"id":"c1","actor":"x","date":"2020","stance":1,"text":""#)
                .unwrap();
            repeat(w, b'a', TEXT_BYTES);
            w.write_all(b"\"}\n").unwrap();
        })],
    )
}

#[test]
fn a_100_mb_text_is_too_large_and_costs_bounded_memory() {
    let _turn = heavy();
    let tmp = tempfile::tempdir().unwrap();
    let ds = huge_text_dataset(tmp.path());
    let (r, problems) = validate_problems(&ds);
    r.expect(2);
    assert_problem(&problems, "too-large", "claims/claims.jsonl");
    assert!(
        problems
            .iter()
            .any(|p| p.place == Some(("claims/claims.jsonl".into(), 1, 56))),
        "{problems:?}"
    );
    assert_small(&r);
    // check shows the problem with its source line on stderr.
    let r = assert_check_refuses(&ds, "too-large");
    assert!(
        r.stderr.contains("claims/claims.jsonl:1:56"),
        "{}",
        clip(&r.stderr)
    );
}

#[test]
fn showing_a_problem_on_a_huge_line_costs_little_more_memory_than_the_line() {
    let _turn = heavy();
    let tmp = tempfile::tempdir().unwrap();
    let ds = huge_text_dataset(tmp.path());
    let r = Saydo::new()
        .current_dir(&ds)
        .args(["validate", "."])
        .run_measured();
    r.expect(2);
    let Some(kb) = r.peak_kb else {
        cannot_run("GNU time (/usr/bin/time, Debian package `time`) is not installed");
        return;
    };
    let limit_kb = 3 * TEXT_BYTES as u64 / 1024;
    assert!(
        kb < limit_kb,
        "peak {} MB to show a problem on a {} MB line (limit {} MB)",
        kb / 1024,
        TEXT_BYTES / 1_000_000,
        limit_kb / 1024
    );
}

#[test]
fn an_array_nested_a_million_deep_is_too_deep() {
    let _turn = heavy();
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(
        tmp.path(),
        &[("claims/claims.json", &|w: &mut dyn Write| {
            repeat(w, b'[', 1_000_000);
            repeat(w, b']', 1_000_000);
        })],
    );
    let (r, problems) = validate_problems(&ds);
    r.expect(2);
    assert_problem(&problems, "too-deep", "claims/claims.json");
    assert_small(&r);
    assert_check_refuses(&ds, "too-deep");
}

#[test]
fn ten_million_open_brackets_are_too_deep() {
    let _turn = heavy();
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(
        tmp.path(),
        &[("claims/claims.json", &|w: &mut dyn Write| {
            repeat(w, b'[', 10_000_000)
        })],
    );
    let (r, problems) = validate_problems(&ds);
    r.expect(2);
    assert_problem(&problems, "too-deep", "claims/claims.json");
    assert_small(&r);
    // In a JSON Lines file too: the line is cut off, not the stack.
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(
        tmp.path(),
        &[("claims/claims.jsonl", &|w: &mut dyn Write| {
            repeat(w, b'[', 10_000_000)
        })],
    );
    let (r, problems) = validate_problems(&ds);
    r.expect(2);
    assert_problem(&problems, "too-deep", "claims/claims.jsonl");
    assert_check_refuses(&ds, "too-deep");
}

#[test]
fn an_actor_with_a_million_aliases_is_too_large() {
    let _turn = heavy();
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(
        tmp.path(),
        &[
            ("claims/claims.json", &|w: &mut dyn Write| {
                w.write_all(b"[]\n").unwrap()
            }),
            ("actors/actors.json", &|w: &mut dyn Write| {
                w.write_all(br#"[{"id":"x","name":"X","kind":"state","aliases":["#)
                    .unwrap();
                for i in 0..1_000_000 {
                    if i > 0 {
                        w.write_all(b",").unwrap();
                    }
                    write!(w, "\"alias {i}\"").unwrap();
                }
                w.write_all(b"]}]\n").unwrap();
            }),
        ],
    );
    let (r, problems) = validate_problems(&ds);
    r.expect(2);
    assert_problem(&problems, "too-large", "actors/actors.json");
    assert_small(&r);
    assert_check_refuses(&ds, "too-large");
}

#[test]
fn a_50_mb_line_of_spaces_is_blank_not_a_crash() {
    let _turn = heavy();
    // Alone: the file holds no JSON.
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(
        tmp.path(),
        &[("claims/claims.jsonl", &|w: &mut dyn Write| {
            repeat(w, b' ', 50_000_000);
            w.write_all(b"\n").unwrap();
        })],
    );
    let (r, problems) = validate_problems(&ds);
    assert!(matches!(r.code(), Some(0 | 2)), "{}", r.what);
    if r.code() == Some(2) {
        assert!(
            problems
                .iter()
                .filter(|p| p.severity == "error")
                .all(|p| p.code == "empty-file"),
            "{problems:?}"
        );
        assert_problem(&problems, "empty-file", "claims/claims.jsonl");
    }
    assert_small(&r);
    // Before a record: a blank line, and the record loads.
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(
        tmp.path(),
        &[("claims/claims.jsonl", &|w: &mut dyn Write| {
            repeat(w, b' ', 50_000_000);
            w.write_all(b"\n{\"id\":\"c1\",\"actor\":\"x\",\"date\":\"2020\",\"stance\":1,\"text\":\"t\"}\n")
                .unwrap();
        })],
    );
    let (r, problems) = validate_problems(&ds);
    r.expect(0);
    assert!(problems.is_empty(), "{problems:?}");
    assert_small(&r);
    let r = Saydo::new()
        .current_dir(&ds)
        .args(["check", ".", "--format", "json"])
        .run_measured();
    r.expect(0);
    assert_small(&r);
}

#[test]
fn a_file_of_a_million_empty_records_is_reported_in_bounded_time_and_memory() {
    let _turn = heavy();
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(
        tmp.path(),
        &[("claims/claims.jsonl", &|w: &mut dyn Write| {
            for _ in 0..1_000_000 {
                w.write_all(b"{}\n").unwrap();
            }
        })],
    );
    let r = Saydo::new()
        .current_dir(&ds)
        .args(["validate", ".", "--format", "json"])
        .run_measured();
    r.expect(2);
    assert_small(&r);
    assert!(
        r.stdout.len() < 100_000_000,
        "{} bytes of problems for a 3 MB file",
        r.stdout.len()
    );
}

// ---------------------------------------------------------------- hostile files

#[test]
fn a_seed_document_outside_the_dataset_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside.txt");
    fs::write(&outside, "We will always trade freely with Other.\n").unwrap();
    for (document, why) in [
        (outside.to_str().unwrap().to_string(), "absolute path"),
        ("seeds/link.txt".to_string(), "symlink out of the dataset"),
        ("seeds/../../outside.txt".to_string(), "path with .."),
    ] {
        let claim = serde_json::json!([{
            "id": "c1", "actor": "x", "date": "2020", "stance": 6,
            "text": "We will always trade freely with Other.",
            "source": {"document": document, "quote": "trade freely"}
        }]);
        let ds = tmp.path().join("ds");
        let _ = fs::remove_dir_all(&ds);
        let ds = dataset_with(
            tmp.path(),
            &[("claims/claims.json", &|w: &mut dyn Write| {
                w.write_all(claim.to_string().as_bytes()).unwrap()
            })],
        );
        fs::create_dir_all(ds.join("seeds")).unwrap();
        std::os::unix::fs::symlink(&outside, ds.join("seeds/link.txt")).unwrap();
        let (r, problems) = validate_problems(&ds);
        assert_eq!(r.code(), Some(2), "{why}: {problems:?}");
        assert_problem(&problems, "bad-document", "claims/claims.json");
    }
}

#[test]
fn a_long_misquote_is_reported_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    let seed: Vec<String> = (0..100_000).map(|i| format!("w{}", i % 7)).collect();
    let quote: Vec<String> = (0..50_000).map(|i| format!("x{}", i % 5)).collect();
    let claims = serde_json::json!([{
        "id": "c1", "actor": "x", "date": "2020", "stance": 1, "text": "t",
        "source": {"document": "seeds/seed.txt", "quote": quote.join(" ")}
    }]);
    let ds = dataset_with(
        tmp.path(),
        &[
            ("claims/claims.json", &|w: &mut dyn Write| {
                w.write_all(claims.to_string().as_bytes()).unwrap()
            }),
            ("seeds/seed.txt", &|w: &mut dyn Write| {
                w.write_all(seed.join(" ").as_bytes()).unwrap()
            }),
        ],
    );
    let (r, problems) = validate_problems(&ds);
    r.expect(2);
    assert_problem(&problems, "misquote", "claims/claims.json");
}

#[test]
fn a_600_kb_topic_is_clipped_in_the_table_in_bounded_time() {
    let tmp = tempfile::tempdir().unwrap();
    let topic = "t".repeat(600_000);
    let actors = serde_json::json!([
        {"id": "x", "name": "X", "kind": "state"},
        {"id": "y", "name": "Y", "kind": "state"}
    ]);
    let claims = serde_json::json!([{
        "id": "c1", "actor": "x", "date": "2020", "target": "y", "stance": 6,
        "topics": [topic], "text": "words"
    }]);
    let actions = serde_json::json!([{
        "id": "a1", "actor": "x", "date": "2020", "target": "y", "effect": -6,
        "topics": [topic], "text": "deed"
    }]);
    let json = |v: &serde_json::Value| v.to_string();
    let (a, c, d) = (json(&actors), json(&claims), json(&actions));
    let ds = dataset_with(
        tmp.path(),
        &[
            ("actors/actors.json", &|w: &mut dyn Write| {
                w.write_all(a.as_bytes()).unwrap()
            }),
            ("claims/claims.json", &|w: &mut dyn Write| {
                w.write_all(c.as_bytes()).unwrap()
            }),
            ("actions/actions.json", &|w: &mut dyn Write| {
                w.write_all(d.as_bytes()).unwrap()
            }),
        ],
    );
    // The default format: the table, which wraps cells to the width.
    let r = Saydo::new().current_dir(&ds).args(["check", "."]).run();
    r.expect(0);
    let out = r.out();
    assert!(out.contains("1 contradiction ("), "{}", clip(&out));
    let ts = out.matches('t').count();
    assert!(
        ts < 5_000,
        "{ts} letters t: the topic is not clipped\n{}",
        clip(&out)
    );
    assert!(
        out.contains("t…"),
        "no ellipsis where the topic is cut\n{out}"
    );
}

#[test]
fn a_url_in_the_data_is_never_fetched() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/fetch-me");
    let tmp = tempfile::tempdir().unwrap();
    let claims = serde_json::json!([{
        "id": "c1", "actor": "x", "date": "2020", "target": "y", "stance": 6,
        "text": format!("see {url}"), "source": {"url": url}, "notes": url
    }]);
    let actions = serde_json::json!([{
        "id": "a1", "actor": "x", "date": "2020", "target": "y", "effect": -6,
        "text": "deed", "source": {"url": url}
    }]);
    let ds = dataset_with(
        tmp.path(),
        &[
            ("claims/claims.json", &|w: &mut dyn Write| {
                w.write_all(claims.to_string().as_bytes()).unwrap()
            }),
            ("actions/actions.json", &|w: &mut dyn Write| {
                w.write_all(actions.to_string().as_bytes()).unwrap()
            }),
        ],
    );
    for format in CHECK_FORMATS {
        Saydo::new()
            .current_dir(&ds)
            .args(["check", ".", "--format", format])
            .run()
            .expect(0);
    }
    for format in VALIDATE_FORMATS {
        Saydo::new()
            .current_dir(&ds)
            .args(["validate", ".", "--format", format])
            .run()
            .expect(0);
    }
    let html = Saydo::new()
        .current_dir(&ds)
        .args(["check", ".", "--format", "html"])
        .run()
        .out();
    assert!(
        html.contains(&format!("href=\"{url}\"")),
        "the URL is a link in HTML"
    );
    listener.set_nonblocking(true).unwrap();
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Ok((_, peer)) => panic!("saydo connected to a URL from the data (from {peer})"),
        Err(e) => panic!("{e}"),
    }
}

/// Terminal escapes (an OSC title, a screen clear, a C1 CSI), a
/// right-to-left override, and a line break followed by a GitHub workflow
/// command.
const EVIL: &str =
    "A\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{202e}\n::error file=README.md,line=1::forged";

/// The claims and actions files of the dataset below: their names carry
/// [`EVIL`] too.
fn evil_file(folder: &str) -> String {
    format!("{folder}/{}{EVIL}.json", &folder[..1])
}

/// Writes JSON values to files of a dataset (with empty actions/ unless
/// given).
fn dataset_of(root: &Path, files: &[(String, serde_json::Value)]) -> PathBuf {
    let ds = dataset_with(root, &[]);
    for (rel, value) in files {
        let path = ds.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, value.to_string()).unwrap();
    }
    ds
}

/// An invalid dataset whose problems quote [`EVIL`] and lie in files named
/// with it: bad and duplicate ids, an alias two actors share, an unknown
/// actor.
fn control_character_dataset(root: &Path) -> PathBuf {
    dataset_of(
        root,
        &[
            (
                "actors/actors.json".into(),
                serde_json::json!([
                    {"id": "x", "name": "X", "kind": "state", "aliases": [EVIL]},
                    {"id": "y", "name": "Y", "kind": "state", "aliases": [EVIL]}
                ]),
            ),
            (
                evil_file("claims"),
                serde_json::json!([
                    {"id": "c1", "actor": "x", "date": "2020", "target": "y", "stance": 6, "text": EVIL},
                    {"id": format!("bad{EVIL}"), "actor": "x", "date": "2020", "stance": 6, "text": "t"},
                    {"id": format!("bad{EVIL}"), "actor": "x", "date": "2020", "stance": 6, "text": "t"},
                    {"id": "c2", "actor": format!("Z{EVIL}"), "date": "2020", "stance": 6, "text": "t"}
                ]),
            ),
            (
                evil_file("actions"),
                serde_json::json!([
                    {"id": "a1", "actor": "x", "date": "2020", "target": "y", "effect": -6, "text": EVIL}
                ]),
            ),
        ],
    )
}

/// A valid dataset with [`EVIL`] in its file names, topics, texts, names,
/// aliases, notes and source URLs, and one contradiction to report.
fn valid_control_character_dataset(root: &Path) -> PathBuf {
    let source = serde_json::json!({"url": format!("https://example.org/{EVIL}")});
    dataset_of(
        root,
        &[
            (
                "actors/actors.json".into(),
                serde_json::json!([
                    {"id": "x", "name": format!("X{EVIL}"), "kind": "state",
                     "aliases": [format!("x{EVIL}")], "notes": EVIL},
                    {"id": "y", "name": format!("Y{EVIL}"), "kind": "state",
                     "aliases": [format!("y{EVIL}")]}
                ]),
            ),
            (
                evil_file("claims"),
                serde_json::json!([
                    {"id": "c1", "actor": format!("x{EVIL}"), "date": "2020",
                     "target": format!("y{EVIL}"), "topics": [EVIL, format!("two{EVIL}")],
                     "stance": 6, "text": EVIL, "notes": EVIL, "source": source}
                ]),
            ),
            (
                evil_file("actions"),
                serde_json::json!([
                    {"id": "a1", "actor": "x", "date": "2020", "target": "y",
                     "topics": [EVIL], "effect": -6, "text": EVIL, "notes": EVIL,
                     "source": source}
                ]),
            ),
        ],
    )
}

/// What makes text for a terminal or a CI log unsafe: control characters
/// (other than the line breaks and tabs saydo writes itself, and the CR LF
/// that ends CSV records) and bidirectional overrides, and lines that a CI
/// runner would read as a workflow command saydo did not write. `format`
/// is the output's: CSV ends records with CR LF, and GitHub's lines are
/// commands.
fn unsafe_for_terminal(text: &str, format: &str, what: &str) -> Vec<String> {
    let mut found = Vec::new();
    let text_without_crlf = if format == "csv" {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    let bad: Vec<char> = text_without_crlf
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
        .collect();
    if !bad.is_empty() {
        found.push(format!(
            "{what}: control characters {bad:?} reach the terminal"
        ));
    }
    // GitHub annotations are workflow commands, one a line; the data's
    // forged ones must not start a line of their own.
    let own_commands = format == "github";
    for line in text.lines() {
        let line = line.trim_start();
        let forged = line.starts_with("::error file=README.md") || line.starts_with("::error::");
        if forged || (!own_commands && line.starts_with("::")) {
            found.push(format!(
                "{what}: data starts a workflow command line: {line:?}"
            ));
        }
    }
    found
}

#[test]
fn terminal_output_carries_no_control_characters_from_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = control_character_dataset(tmp.path());
    let mut found = Vec::new();
    // Invalid: problems for people, and for CI logs.
    for format in ["table", "github", "junit"] {
        let r = Saydo::new()
            .current_dir(&ds)
            .args(["validate", ".", "--format", format])
            .run();
        r.expect(2);
        assert!(r.out().contains("forged"), "{}: {}", r.what, r.out());
        found.extend(unsafe_for_terminal(&r.out(), format, &r.what));
    }
    let r = Saydo::new().current_dir(&ds).args(["check", "."]).run();
    r.expect(2);
    found.extend(unsafe_for_terminal(&r.stderr, "table", "check (stderr)"));
    // Valid: every text report, and explain, print record texts, names,
    // topics and file names.
    let tmp = tempfile::tempdir().unwrap();
    let ds = valid_control_character_dataset(tmp.path());
    for format in ["table", "markdown", "csv", "github", "junit"] {
        let r = Saydo::new()
            .current_dir(&ds)
            .args(["check", ".", "--format", format, "--color", "never"])
            .run();
        r.expect(0);
        assert!(r.out().contains("forged"), "{}: {}", r.what, r.out());
        found.extend(unsafe_for_terminal(&r.out(), format, &r.what));
    }
    // Grouped by deed, the table and Markdown print the same texts anew.
    for format in ["table", "markdown"] {
        let r = Saydo::new()
            .current_dir(&ds)
            .args(["check", ".", "--format", format, "--group-by", "deed"])
            .run();
        r.expect(0);
        assert!(r.out().contains("forged"), "{}: {}", r.what, r.out());
        found.extend(unsafe_for_terminal(&r.out(), format, &r.what));
    }
    for args in [
        &["explain", "c1", "--dataset", "."][..],
        &["explain", "c1", "a1", "--dataset", "."][..],
    ] {
        let r = Saydo::new().current_dir(&ds).args(args).run();
        r.expect(0);
        assert!(r.out().contains("forged"), "{}: {}", r.what, r.out());
        found.extend(unsafe_for_terminal(&r.out(), "table", &r.what));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// `%XX` decoded to bytes.
fn percent_decode_bytes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(hex) = std::str::from_utf8(&b[i + 1..i + 3])
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[test]
fn files_whose_names_differ_only_in_bytes_that_are_not_utf8_keep_apart() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(tmp.path(), &[]);
    // Two claims files named by bytes that are not UTF-8, each with a
    // warning (an unknown field) to place.
    let names: [&[u8]; 2] = [b"\xFF\xFE.json", b"\xFF\xFD.json"];
    for (i, name) in names.iter().enumerate() {
        let record = format!(
            r#"[{{"id":"c{i}","actor":"x","date":"2020","stance":1,"text":"t","texx":1}}]"#
        );
        fs::write(ds.join("claims").join(OsStr::from_bytes(name)), record).unwrap();
    }
    let shown = [r"claims/\xFF\xFE.json", r"claims/\xFF\xFD.json"];

    let (r, problems) = validate_problems(&ds);
    r.expect(0);
    let files: HashSet<&str> = problems
        .iter()
        .filter_map(|p| p.place.as_ref().map(|(f, _, _)| f.as_str()))
        .collect();
    assert_eq!(files, HashSet::from(shown), "{problems:?}");

    let table = Saydo::new().current_dir(&ds).args(["validate", "."]).run();
    table.expect(0);
    for name in shown {
        assert!(
            table.out().contains(&format!("{name}:1:")),
            "{name} not in\n{}",
            table.out()
        );
    }

    let sarif = Saydo::new()
        .current_dir(&ds)
        .args(["validate", ".", "--format", "sarif"])
        .run();
    sarif.expect(0);
    let log: serde_json::Value = serde_json::from_str(&sarif.out()).unwrap();
    let uris: HashSet<Vec<u8>> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            percent_decode_bytes(uri)
        })
        .collect();
    let raw: HashSet<Vec<u8>> = names.iter().map(|n| [b"claims/", *n].concat()).collect();
    assert_eq!(uris, raw);
}

#[test]
fn a_data_file_that_never_ends_is_refused_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(tmp.path(), &[]);
    std::os::unix::fs::symlink("/dev/zero", ds.join("claims/zero.json")).unwrap();
    // ulimit keeps the machine safe while the bug stands.
    let r = Saydo::new()
        .current_dir(&ds)
        .args(["validate", ".", "--format", "json"])
        .after_shell("ulimit -v 4000000")
        .run_measured();
    r.expect(2);
    let (_, problems) = parse_problems(&r.out(), &r.what);
    assert!(
        problems
            .iter()
            .all(|p| !format!("{p:?}").contains("out of memory")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p
            .place
            .as_ref()
            .is_some_and(|(f, _, _)| f == "claims/zero.json")),
        "{problems:?}"
    );
    match r.peak_kb {
        Some(kb) => assert!(kb < MEMORY_LIMIT_KB, "peak {} MB", kb / 1024),
        None => cannot_run("GNU time (/usr/bin/time, Debian package `time`) is not installed"),
    }
}

#[test]
fn a_data_file_that_is_a_fifo_does_not_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = dataset_with(tmp.path(), &[]);
    let ok = Command::new("mkfifo")
        .arg(ds.join("claims/pipe.json"))
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        cannot_run("mkfifo (coreutils) is not available");
        return;
    }
    let r = Saydo::new()
        .current_dir(&ds)
        .args(["validate", "."])
        .timeout(Duration::from_secs(10))
        .run();
    assert_eq!(r.code(), Some(2));
}

#[test]
fn a_data_file_symlink_out_of_the_dataset_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    fs::write(&secret, "SECRET-TOKEN-8c1f\n").unwrap();
    let ds = dataset_with(tmp.path(), &[]);
    std::os::unix::fs::symlink(&secret, ds.join("claims/leak.json")).unwrap();
    for format in VALIDATE_FORMATS {
        let r = Saydo::new()
            .current_dir(&ds)
            .args(["validate", ".", "--format", format])
            .run();
        assert_eq!(r.code(), Some(2), "{}", r.what);
        assert!(
            !r.out().contains("SECRET-TOKEN") && !r.stderr.contains("SECRET-TOKEN"),
            "{}: shows the content of a file outside the dataset:\n{}",
            r.what,
            r.out()
        );
    }
}
