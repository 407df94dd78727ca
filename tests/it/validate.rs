//! `saydo validate` on one fixture dataset per kind of problem: exit status,
//! problem code, file, and the line and column of the offending value.
//!
//! The expected places come from tests/fixtures/make_fixtures.py, which
//! finds them by searching the fixture's text, independently of saydo.

use crate::support::{Saydo, copy_bundled};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
struct Validation {
    valid: bool,
    errors: usize,
    problems: Vec<Problem>,
    quotes: Vec<Quote>,
}

#[derive(Debug, Deserialize)]
struct Problem {
    code: String,
    severity: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    hint: Option<String>,
    notes: Vec<Note>,
}

#[derive(Debug, Deserialize)]
struct Note {
    file: String,
    line: usize,
}

#[derive(Debug, Deserialize)]
struct Quote {
    record: String,
    document: String,
    line: u32,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn validate_json(case: &str) -> (Option<i32>, Validation) {
    let r = Saydo::new()
        .arg("validate")
        .arg(fixture(case))
        .args(["--format", "json"])
        .run();
    let stdout = r.out();
    let parsed = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{case}: {e}\n{stdout}\n{}", r.stderr));
    (r.code(), parsed)
}

type Expected = (&'static str, Option<&'static str>, usize, usize);

/// (case, exit status, problems that must be reported: code, file, line, column)
const CASES: &[(&str, i32, &[Expected])] = &[
    ("valid", 0, &[]),
    ("valid-jsonl-bom-unknown-fields", 0, &[]),
    (
        "json-syntax",
        2,
        &[("json-syntax", Some("claims/claims.json"), 2, 71)],
    ),
    (
        "jsonl-broken-line",
        2,
        &[("json-syntax", Some("claims/c.jsonl"), 3, 63)],
    ),
    (
        "jsonl-value-places",
        2,
        &[
            ("unknown-actor", Some("claims/c.jsonl"), 3, 20),
            ("duplicate-id", Some("claims/c.jsonl"), 4, 7),
            ("bad-date", Some("claims/c.jsonl"), 4, 35),
        ],
    ),
    (
        "wrong-type",
        2,
        &[("wrong-type", Some("claims/claims.json"), 3, 14)],
    ),
    (
        "missing-field",
        2,
        &[("missing-field", Some("claims/claims.json"), 2, 3)],
    ),
    (
        "score-out-of-range",
        2,
        &[("score-out-of-range", Some("actions/actions.json"), 3, 14)],
    ),
    (
        "bad-date-month",
        2,
        &[("bad-date", Some("claims/claims.json"), 2, 42)],
    ),
    (
        "bad-date-day",
        2,
        &[("bad-date", Some("actions/actions.json"), 2, 41)],
    ),
    (
        "bad-date-words",
        2,
        &[("bad-date", Some("claims/claims.json"), 2, 42)],
    ),
    (
        "bad-id",
        2,
        &[("bad-id", Some("claims/claims.json"), 2, 10)],
    ),
    (
        "duplicate-id",
        2,
        &[("duplicate-id", Some("actions/actions.json"), 2, 10)],
    ),
    (
        "unknown-actor",
        2,
        &[("unknown-actor", Some("claims/claims.json"), 2, 25)],
    ),
    (
        "unknown-target",
        2,
        &[("unknown-actor", Some("actions/actions.json"), 2, 65)],
    ),
    (
        "unknown-acts-for",
        2,
        &[("unknown-actor", Some("actors/actors.json"), 4, 27)],
    ),
    (
        "ambiguous-name",
        2,
        &[
            ("ambiguous-name", Some("claims/claims.json"), 2, 25),
            ("shared-name", Some("actors/actors.json"), 5, 65),
        ],
    ),
    (
        "acts-for-cycle",
        2,
        &[("acts-for-cycle", Some("actors/actors.json"), 2, 74)],
    ),
    (
        "bad-interval",
        2,
        &[("bad-interval", Some("actors/actors.json"), 4, 81)],
    ),
    (
        "unknown-reference",
        2,
        &[
            ("unknown-reference", Some("actions/actions.json"), 3, 61),
            ("unknown-reference", Some("actions/actions.json"), 3, 67),
        ],
    ),
    (
        "not-utf8",
        2,
        &[("not-utf8", Some("claims/claims.json"), 3, 49)],
    ),
    (
        "empty-file",
        2,
        &[("empty-file", Some("actions/empty.json"), 1, 1)],
    ),
    (
        "too-deep",
        2,
        &[("too-deep", Some("claims/claims.json"), 3, 84)],
    ),
    (
        "unexpected-file",
        0,
        &[("unexpected-file", Some("claims/notes.txt"), 1, 1)],
    ),
    (
        "misquote",
        2,
        &[("misquote", Some("claims/claims.json"), 3, 120)],
    ),
    ("quote-proven", 0, &[]),
    (
        "bad-document",
        2,
        &[("bad-document", Some("claims/claims.json"), 3, 40)],
    ),
    (
        "document-outside",
        2,
        &[("bad-document", Some("claims/claims.json"), 3, 40)],
    ),
    (
        "bad-kind",
        2,
        &[("bad-value", Some("actors/actors.json"), 2, 42)],
    ),
    (
        "bad-attribution",
        2,
        &[("bad-value", Some("actions/actions.json"), 3, 33)],
    ),
    (
        "duplicate-field",
        2,
        &[("duplicate-field", Some("claims/claims.json"), 3, 17)],
    ),
    ("missing-folder", 2, &[("missing-folder", None, 0, 0)]),
    (
        "not-a-record",
        2,
        &[("wrong-type", Some("claims/claims.json"), 2, 3)],
    ),
    (
        "object-not-array",
        2,
        &[("wrong-type", Some("actions/actions.json"), 1, 1)],
    ),
    (
        "field-typo",
        0,
        &[("unknown-field", Some("claims/claims.json"), 2, 72)],
    ),
    (
        "stance-in-action",
        2,
        &[("missing-field", Some("actions/actions.json"), 2, 3)],
    ),
    ("no-actors-folder", 0, &[]),
    ("about", 0, &[]),
    // Decisions on pairs: only one on a record no dataset has is a
    // problem of the data (review.rs tests the rest).
    (
        "reviews",
        0,
        &[("stale-review", Some("reviews/a-first.jsonl"), 6, 45)],
    ),
    (
        "topic-typo",
        0,
        &[("lone-topic", Some("actions/actions.json"), 6, 24)],
    ),
    ("topic-not-a-typo", 0, &[]),
    (
        "bad-about",
        0,
        &[("unknown-field", Some("claims/claims.json"), 3, 26)],
    ),
    (
        "about-in-action",
        0,
        &[("unknown-field", Some("actions/actions.json"), 3, 18)],
    ),
    (
        "many-problems",
        2,
        &[
            ("bad-date", Some("claims/claims.json"), 2, 41),
            ("score-out-of-range", Some("claims/claims.json"), 3, 14),
            ("unknown-actor", Some("claims/claims.json"), 2, 25),
            ("bad-date", Some("actions/actions.json"), 2, 41),
        ],
    ),
];

#[test]
fn every_fixture_reports_its_problem_at_the_offending_value() {
    let mut failures = Vec::new();
    for (case, exit, expected) in CASES {
        let (code, v) = validate_json(case);
        if code != Some(*exit) {
            failures.push(format!(
                "{case}: exit {code:?}, expected {exit}: {:?}",
                v.problems
            ));
            continue;
        }
        assert_eq!(v.valid, *exit == 0, "{case}");
        if *exit == 0 {
            assert_eq!(v.errors, 0, "{case}");
        }
        for (want_code, file, line, column) in *expected {
            let found = v.problems.iter().any(|p| {
                p.code == *want_code
                    && p.file.as_deref() == *file
                    && (file.is_none() || (p.line == Some(*line) && p.column == Some(*column)))
            });
            if !found {
                failures.push(format!(
                    "{case}: no {want_code} at {file:?}:{line}:{column}; got {:#?}",
                    v.problems
                ));
            }
        }
        // Every problem has a message, a hint and (unless dataset-wide) a place.
        for p in &v.problems {
            assert!(!p.message.is_empty(), "{case}: {p:?}");
            assert!(
                p.hint.as_deref().is_some_and(|h| !h.is_empty()),
                "{case}: no hint: {p:?}"
            );
            assert!(p.severity == "error" || p.severity == "warning");
            if p.file.is_some() {
                assert!(p.line.is_some() && p.column.is_some(), "{case}: {p:?}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_fixture_directory_has_a_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        // hostile/, import/, deed-belies-words/ and draft/ hold inputs of
        // tests of their own (hostile.rs, the import tests, grouped.rs,
        // draft.rs), not datasets to validate.
        let own = ["hostile", "import", "deed-belies-words", "draft"];
        if entry.path().is_dir() && !own.contains(&name.as_str()) {
            assert!(
                CASES.iter().any(|(c, _, _)| *c == name),
                "fixture {name} is not tested"
            );
        }
    }
}

#[test]
fn human_output_is_rustc_style_with_file_line_column_and_a_caret() {
    let r = Saydo::new()
        .arg("validate")
        .arg(fixture("unknown-actor"))
        .run();
    assert_eq!(r.code(), Some(2));
    let stdout = r.out();
    assert!(
        stdout.contains("error[unknown-actor]: `actor`: no actor is named \"Chief Persn\""),
        "{stdout}"
    );
    assert!(stdout.contains("--> claims/claims.json:2:25"), "{stdout}");
    assert!(
        stdout.contains("2 |   {\"id\": \"c1\", \"actor\": \"Chief Persn\""),
        "{stdout}"
    );
    // The caret sits under the value: column 25 is after "2 | " (4 columns).
    let caret = stdout.lines().find(|l| l.contains('^')).unwrap();
    assert_eq!(caret.find('^').unwrap(), 4 + 24, "{caret}");
    assert_eq!(caret.matches('^').count(), "\"Chief Persn\"".len());
    assert!(
        stdout.contains("hint: did you mean \"Chief Person\" (chief)?"),
        "{stdout}"
    );
    assert!(
        stdout.contains("invalid: 1 error and 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn a_jsonl_file_keeps_its_good_lines_and_names_the_broken_one() {
    let (_, v) = validate_json("jsonl-broken-line");
    let syntax: Vec<&Problem> = v
        .problems
        .iter()
        .filter(|p| p.code == "json-syntax")
        .collect();
    assert_eq!(syntax.len(), 1, "{:?}", v.problems);
    assert_eq!(
        v.errors, 1,
        "lines 1, 2 and 5 load without problems: {:?}",
        v.problems
    );
}

#[test]
fn duplicates_name_both_places() {
    let (_, v) = validate_json("duplicate-id");
    let p = v
        .problems
        .iter()
        .find(|p| p.code == "duplicate-id")
        .unwrap();
    assert_eq!(p.notes.len(), 1);
    assert_eq!(p.notes[0].file, "claims/claims.json");
    assert_eq!(p.notes[0].line, 2);
}

#[test]
fn ambiguous_names_list_both_actors() {
    let (_, v) = validate_json("ambiguous-name");
    let p = v
        .problems
        .iter()
        .find(|p| p.code == "ambiguous-name")
        .unwrap();
    assert!(
        p.message.contains("chief (Chief Person)") && p.message.contains("other (Other)"),
        "{}",
        p.message
    );
    assert_eq!(p.notes.len(), 2, "each actor's definition is shown");
}

#[test]
fn a_misquote_shows_the_closest_passage() {
    let (_, v) = validate_json("misquote");
    let p = v.problems.iter().find(|p| p.code == "misquote").unwrap();
    assert!(p.message.contains("claim \"c1\""), "{}", p.message);
    let hint = p.hint.as_deref().unwrap();
    assert!(hint.contains("seeds/source.txt:2"), "{hint}");
    assert!(hint.contains("trade freely with Other"), "{hint}");
}

#[test]
fn proven_quotes_report_their_document_line() {
    let (code, v) = validate_json("quote-proven");
    assert_eq!(code, Some(0));
    assert_eq!(v.quotes.len(), 1);
    assert_eq!(
        (
            v.quotes[0].record.as_str(),
            v.quotes[0].document.as_str(),
            v.quotes[0].line
        ),
        ("c1", "seeds/source.txt", 2)
    );
}

#[test]
fn did_you_mean_for_a_mistyped_field_and_kind() {
    let (_, v) = validate_json("field-typo");
    assert_eq!(
        v.problems[0].hint.as_deref(),
        Some("did you mean `topics`?")
    );
    let (_, v) = validate_json("bad-attribution");
    let p = v.problems.iter().find(|p| p.code == "bad-value").unwrap();
    assert_eq!(p.hint.as_deref(), Some("did you mean \"reported\"?"));
}

/// tests/fixtures/topic-typo: "military" in two claims, "miltary" in one
/// action only (written `"Milt\u0061ry"`, after a text and notes that say
/// "miltary" too): one warning, on that topic as written.
#[test]
fn a_topic_used_once_beside_a_common_one_is_a_warning_with_did_you_mean() {
    let (code, v) = validate_json("topic-typo");
    assert_eq!(code, Some(0));
    assert!(v.valid);
    assert_eq!(v.problems.len(), 1, "{:#?}", v.problems);
    let p = &v.problems[0];
    assert_eq!(
        (p.code.as_str(), p.severity.as_str(), p.file.as_deref()),
        ("lone-topic", "warning", Some("actions/actions.json"))
    );
    assert_eq!((p.line, p.column), (Some(6), Some(24)));
    assert_eq!(
        p.message,
        "topic \"miltary\" is used by this record only, and is close to \"military\", which 2 records use"
    );
    assert_eq!(p.hint.as_deref(), Some("did you mean \"military\"?"));
    // The caret underlines the whole string, quotes included.
    let r = Saydo::new()
        .args(["validate", "--color", "never"])
        .arg(fixture("topic-typo"))
        .run();
    r.expect(0);
    assert!(
        r.out().contains(
            "6 |    \"topics\": [\"trade\", \"Milt\\u0061ry\"], \"effect\": -4, \"attribution\": \"reported\"}\n  \
             |                        ^^^^^^^^^^^^^^\n"
        ),
        "{}",
        r.out()
    );
}

/// tests/fixtures/topic-not-a-typo: close topics both used twice, two
/// close topics each used once, and a topic used once with nothing close:
/// no warning.
#[test]
fn topics_used_alike_or_far_apart_are_not_warned_of() {
    let (code, v) = validate_json("topic-not-a-typo");
    assert_eq!(code, Some(0));
    assert!(v.problems.is_empty(), "{:#?}", v.problems);
}

/// A dataset with an error is not checked for lone topics: a record with
/// an error is not counted, so a topic would seem used less than it is.
/// (The error here is in a record without either topic: the typo would
/// be warned of if the check ran.)
#[test]
fn lone_topics_wait_for_a_dataset_without_errors() {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["actors", "claims", "actions"] {
        let from = fixture("topic-typo").join(sub);
        std::fs::create_dir(tmp.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace(r#""date": "2021-06-01""#, r#""date": "2021-06-31""#);
            std::fs::write(tmp.path().join(sub).join(path.file_name().unwrap()), text).unwrap();
        }
    }
    let r = Saydo::new()
        .args(["validate", "--format", "json"])
        .arg(tmp.path())
        .run();
    r.expect(2);
    let v: Validation = serde_json::from_str(&r.out()).unwrap();
    let codes: Vec<&str> = v.problems.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["bad-date"]);
}

#[test]
fn an_unknown_about_and_about_in_an_action_are_warnings_and_ignored() {
    // A dataset may carry `about` as its own note, from before saydo read
    // the field: it keeps loading, and the field is ignored as before.
    let (_, v) = validate_json("bad-about");
    assert!(v.valid, "{:?}", v.problems);
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    let p = &v.problems[0];
    assert_eq!(
        (p.code.as_str(), p.severity.as_str()),
        ("unknown-field", "warning")
    );
    assert_eq!(
        p.message,
        "about \"futur\" is not one of future, past: the field is ignored, and the claim meets deeds before and after it"
    );
    assert_eq!(
        p.hint.as_deref(),
        Some(
            "did you mean \"future\"? `about` is \"future\" (deeds from the words' first day on) \
             or \"past\" (deeds up to their last day), or left out (both)"
        )
    );
    let (_, v) = validate_json("about-in-action");
    assert!(v.valid);
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    let p = &v.problems[0];
    assert_eq!(
        (p.code.as_str(), p.severity.as_str()),
        ("unknown-field", "warning")
    );
    assert_eq!(
        p.message,
        "`about` is a field of claims; in an action it is ignored"
    );
}

#[test]
fn a_missing_dataset_folder_is_an_error_not_a_crash() {
    let r = Saydo::new()
        .args(["validate", "/nonexistent/saydo-dataset"])
        .run();
    assert_eq!(r.code(), Some(2));
}

#[test]
fn an_actors_folder_that_cannot_be_read_is_an_error_not_an_absent_folder() {
    // A link to nowhere, a link to itself, and a file where the folder
    // should be: each is there, so none is "no actors/ folder".
    for case in ["dangling link", "link loop", "a file"] {
        let ds = copy_bundled();
        let actors = ds.path().join("actors");
        std::fs::remove_dir_all(&actors).unwrap();
        match case {
            "dangling link" => std::os::unix::fs::symlink("gone", &actors).unwrap(),
            "link loop" => std::os::unix::fs::symlink("actors", &actors).unwrap(),
            _ => std::fs::write(&actors, "[]").unwrap(),
        }
        let dir = ds.path().to_str().unwrap();
        let r = Saydo::new()
            .args(["validate", dir, "--format", "json"])
            .run();
        let out = r.out();
        assert_eq!(r.code(), Some(2), "{case}: {out}");
        let v: Validation = serde_json::from_str(&out).unwrap();
        assert!(
            v.problems
                .iter()
                .any(|p| p.code == "io-error" && p.message.contains("actors/")),
            "{case}: {:?}",
            v.problems
        );
        // The one problem is named, not buried under every record's actor.
        assert!(
            !v.problems.iter().any(|p| p.code == "unknown-actor"),
            "{case}: {:?}",
            v.problems
        );
        let r = Saydo::new().args(["check", dir]).run();
        assert_eq!(
            r.code(),
            Some(2),
            "{case}: check must refuse, not pair without actors: {}",
            r.out()
        );
        assert!(r.stderr.contains("actors/"), "{case}: {}", r.stderr);
    }
}

#[test]
fn a_quote_is_not_proven_by_a_data_file_of_the_dataset() {
    let ds = copy_bundled();
    // A claim citing its own data file, quoting its own text.
    let claim = r#"[{"id": "self-proven", "actor": "iran", "date": "2024", "stance": 5,
        "text": "We proved this ourselves.",
        "source": {"document": "claims/self.json", "quote": "We proved this ourselves."}}]"#;
    std::fs::write(ds.path().join("claims/self.json"), claim).unwrap();
    // And one citing another data file through a link in seeds/.
    std::os::unix::fs::symlink("../actions/iran.json", ds.path().join("seeds/deeds.txt")).unwrap();
    let claim = r#"[{"id": "deed-proven", "actor": "iran", "date": "2024", "stance": 5,
        "text": "x", "source": {"document": "seeds/deeds.txt", "quote": "\"id\""}}]"#;
    std::fs::write(ds.path().join("claims/linked.json"), claim).unwrap();
    let r = Saydo::new()
        .args(["validate", ds.path().to_str().unwrap(), "--format", "json"])
        .run();
    let out = r.out();
    assert_eq!(r.code(), Some(2), "{out}");
    let v: Validation = serde_json::from_str(&out).unwrap();
    for file in ["claims/self.json", "claims/linked.json"] {
        let p = v
            .problems
            .iter()
            .find(|p| p.file.as_deref() == Some(file))
            .unwrap_or_else(|| panic!("no problem in {file}: {:?}", v.problems));
        assert_eq!(p.code, "bad-document", "{p:?}");
        assert!(p.message.contains("data file"), "{p:?}");
    }
    // The seed text, which is not a data file, still proves the quotes
    // of every other claim.
    assert_eq!(v.problems.len(), 2, "{:?}", v.problems);
}

#[test]
fn a_record_lists_a_bounded_number_of_problems_of_a_kind_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["claims", "actions"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    std::fs::write(dir.path().join("actions/a.json"), "[]").unwrap();
    let claims = dir.path().join("claims/c.jsonl");
    let validate = || {
        let r = Saydo::new()
            .args(["validate", dir.path().to_str().unwrap(), "--format", "json"])
            .run();
        (
            r.code(),
            serde_json::from_str::<Validation>(&r.out()).unwrap(),
        )
    };
    let count = |v: &Validation, code: &str| v.problems.iter().filter(|p| p.code == code).count();
    // A valid claim with 30,000 misspelt fields on its one line: warnings.
    let typos: String = (0..30_000).map(|_| r#","texx":1"#).collect();
    let claim = format!(r#"{{"id":"c1","actor":"x","date":"2020","stance":1,"text":"t"{typos}}}"#);
    std::fs::write(&claims, format!("{claim}\n")).unwrap();
    let (code, v) = validate();
    assert_eq!(code, Some(0), "warnings only: still valid");
    let listed = count(&v, "unknown-field");
    assert!(
        (1..=100).contains(&listed),
        "{listed} unknown-field warnings listed"
    );
    let rest: Vec<&Problem> = v
        .problems
        .iter()
        .filter(|p| p.code == "too-many-problems")
        .collect();
    assert_eq!(
        rest.len(),
        1,
        "one last problem counts the ones not listed: {rest:?}"
    );
    assert_eq!(rest[0].severity, "warning");
    let not_listed = format!("{} more unknown-field problems", 30_000 - listed);
    assert!(rest[0].message.contains(&not_listed), "{:?}", rest[0]);
    // Problems of other kinds are listed all the same, and an error among
    // those not listed still makes the data invalid.
    let dupes: String = (0..30_000).map(|_| r#","date":"2021""#).collect();
    let claim = format!(r#"{{"id":"c1","actor":"x","date":"2020","text":"t"{typos}{dupes}}}"#);
    std::fs::write(&claims, format!("{claim}\n")).unwrap();
    let (code, v) = validate();
    assert_eq!(code, Some(2));
    assert_eq!(count(&v, "missing-field"), 1, "{:?}", v.problems);
    assert_eq!(count(&v, "unknown-field"), listed);
    assert_eq!(count(&v, "duplicate-field"), listed);
    let rest: Vec<&Problem> = v
        .problems
        .iter()
        .filter(|p| p.code == "too-many-problems")
        .collect();
    assert_eq!(rest.len(), 2, "{rest:?}");
    assert!(
        rest.iter()
            .any(|p| p.severity == "error" && p.message.contains("duplicate-field"))
    );
}

/// A dataset of the given actors, claims and actions (JSON arrays).
fn dataset(actors: &str, claims: &str, actions: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (sub, text) in [("actors", actors), ("claims", claims), ("actions", actions)] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("data.json"), text).unwrap();
    }
    dir
}

#[test]
fn an_actor_id_wins_over_another_actors_name_and_the_clash_is_a_warning() {
    let ds = dataset(
        r#"[{"id": "land", "name": "Landia", "kind": "state"},
            {"id": "sea", "name": "LAND", "kind": "state", "aliases": ["Land "]}]"#,
        r#"[{"id": "c1", "actor": "land", "date": "2020", "stance": 6, "text": "t"}]"#,
        r#"[{"id": "a1", "actor": "Landia", "date": "2020", "effect": -6, "text": "t"},
            {"id": "a2", "actor": "sea", "date": "2020", "effect": -6, "text": "t"}]"#,
    );
    let dir = ds.path().to_str().unwrap();
    let r = Saydo::new()
        .args(["validate", dir, "--format", "json"])
        .run();
    let out = r.out();
    assert_eq!(r.code(), Some(0), "the id resolves: {out}");
    let v: Validation = serde_json::from_str(&out).unwrap();
    let clashes: Vec<&Problem> = v
        .problems
        .iter()
        .filter(|p| p.code == "name-is-id")
        .collect();
    // Both of sea's spellings that read as land's id, at their places.
    assert_eq!(clashes.len(), 2, "{:?}", v.problems);
    for p in &clashes {
        assert_eq!(p.severity, "warning");
        assert_eq!(p.line, Some(2), "{p:?}");
        assert!(
            p.message.contains("\"land\"") && p.message.contains("sea"),
            "{p:?}"
        );
    }
    // The claim is land's: paired with land's deed, not sea's.
    let r = Saydo::new().args(["check", dir, "--format", "json"]).run();
    assert_eq!(r.code(), Some(0));
    let report: serde_json::Value = serde_json::from_str(&r.out()).unwrap();
    let actions: Vec<&str> = report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["action_id"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["a1"]);
}

#[test]
fn a_response_to_itself_is_an_error_and_one_to_a_later_deed_is_not_counted() {
    let actors =
        r#"[{"id": "x", "name": "X", "kind": "state"}, {"id": "y", "name": "Y", "kind": "state"}]"#;
    let claims =
        r#"[{"id": "c1", "actor": "x", "date": "2021", "target": "y", "stance": 6, "text": "t"}]"#;
    let validate = |ds: &tempfile::TempDir| {
        let r = Saydo::new()
            .args(["validate", ds.path().to_str().unwrap(), "--format", "json"])
            .run();
        (
            r.code(),
            serde_json::from_str::<Validation>(&r.out()).unwrap(),
        )
    };
    let ds = dataset(
        actors,
        claims,
        r#"[{"id": "loop", "actor": "x", "date": "2021", "target": "y", "effect": -6, "text": "t",
             "responds_to": ["loop"]}]"#,
    );
    let (code, v) = validate(&ds);
    assert_eq!(code, Some(2));
    assert!(
        v.problems
            .iter()
            .any(|p| p.code == "self-response" && p.line == Some(2)),
        "{:?}",
        v.problems
    );
    // x's hostile deed "answers" y's deed of five months later: not a
    // response, so x's warm words and hostile deed are duplicity.
    let ds = dataset(
        actors,
        claims,
        r#"[{"id": "later", "actor": "y", "date": "2021-08", "target": "x", "effect": -6, "text": "t"},
            {"id": "early", "actor": "x", "date": "2021-03", "target": "y", "effect": -6, "text": "t",
             "responds_to": ["later"]}]"#,
    );
    let (code, v) = validate(&ds);
    assert_eq!(code, Some(0), "a warning: {:?}", v.problems);
    let early: Vec<&Problem> = v
        .problems
        .iter()
        .filter(|p| p.code == "early-response")
        .collect();
    assert_eq!(early.len(), 1, "{:?}", v.problems);
    assert_eq!(
        (early[0].severity.as_str(), early[0].line),
        ("warning", Some(3))
    );
    assert!(early[0].message.contains("\"later\""), "{:?}", early[0]);
    let r = Saydo::new()
        .args([
            "check",
            ds.path().to_str().unwrap(),
            "--format",
            "json",
            "--fail-on",
            "duplicity",
        ])
        .run();
    assert_eq!(
        r.code(),
        Some(1),
        "the early 'response' must not hide duplicity: {}",
        r.out()
    );
    // A response dated less precisely, but possibly after, counts; so
    // does one on the same day.
    let ds = dataset(
        actors,
        claims,
        r#"[{"id": "deed", "actor": "y", "date": "2021-08-15", "target": "x", "effect": -6, "text": "t"},
            {"id": "answer", "actor": "x", "date": "2021", "target": "y", "effect": -6, "text": "t",
             "responds_to": ["deed"]},
            {"id": "same-day", "actor": "x", "date": "2021-08-15", "target": "y", "effect": -6, "text": "t",
             "responds_to": ["deed"]}]"#,
    );
    let (code, v) = validate(&ds);
    assert_eq!((code, v.problems.len()), (Some(0), 0), "{:?}", v.problems);
    let r = Saydo::new()
        .args([
            "check",
            ds.path().to_str().unwrap(),
            "--fail-on",
            "duplicity",
        ])
        .run();
    assert_eq!(
        r.code(),
        Some(0),
        "both responses make x's deeds reciprocal"
    );
}

#[test]
fn check_shows_the_first_warnings_and_counts_the_rest_which_validate_lists() {
    let actors =
        r#"[{"id": "x", "name": "X", "kind": "state"}, {"id": "y", "name": "Y", "kind": "state"}]"#;
    let mut actions = vec![
        r#"{"id": "late", "actor": "y", "date": "2022", "effect": -6, "text": "t"}"#.to_string(),
    ];
    for i in 0..15 {
        actions.push(format!(
            r#"{{"id": "early-{i}", "actor": "x", "date": "2021", "effect": -6, "text": "t", "responds_to": ["late"]}}"#
        ));
    }
    let ds = dataset(actors, "[]", &format!("[{}]", actions.join(",\n")));
    let dir = ds.path().to_str().unwrap();
    let r = Saydo::new().args(["check", dir]).run();
    let err = &r.stderr;
    assert_eq!(r.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning[early-response]").count(), 10, "{err}");
    assert!(
        err.contains(&format!(
            "… and 5 more warnings (5 early-response); `saydo validate {dir}` lists them all"
        )),
        "{err}"
    );
    let r = Saydo::new().args(["validate", dir]).run();
    assert_eq!(r.code(), Some(0));
    let out = r.out();
    assert_eq!(out.matches("warning[early-response]").count(), 15, "{out}");
}

#[test]
fn a_minified_file_of_many_records_on_one_line_loads_with_every_column_right() {
    // 100,000 claims on one line: each record's column is counted on from
    // the one before, not from the start of the line (that took minutes).
    let dir = tempfile::tempdir().unwrap();
    for sub in ["claims", "actions"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    let deed = r#"[{"id":"a1","actor":"x","date":"2020","effect":-6,"text":"t"}]"#;
    std::fs::write(dir.path().join("actions/a.json"), deed).unwrap();
    let n = 100_000;
    // Only the last claim is x's, so only it is paired (a duplicity).
    let claim = |i: usize| {
        let actor = if i == n - 1 {
            "x".to_string()
        } else {
            format!("é{}", i % 7)
        };
        format!(r#"{{"id":"c{i}","actor":"{actor}","date":"2020","stance":6,"text":"t"}}"#)
    };
    let mut text = String::from("[");
    let (mut chars, mut last_column) = (1, 0);
    for i in 0..n {
        if i > 0 {
            text.push(',');
            chars += 1;
        }
        last_column = chars + 1;
        let record = claim(i);
        chars += record.chars().count();
        text.push_str(&record);
    }
    text.push(']');
    std::fs::write(dir.path().join("claims/c.json"), &text).unwrap();
    // Killed, failing the test, if still running after 60 s.
    let out = Saydo::new()
        .args(["check", dir.path().to_str().unwrap(), "--format", "sarif"])
        .timeout(std::time::Duration::from_secs(60))
        .run();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 1);
    assert_eq!(region["startColumn"], last_column, "{region}");
}

/// The library's error says in one line how many errors there are and
/// what the first is, for callers that only log it.
#[test]
fn an_invalid_dataset_is_an_error_that_names_its_first_problem() {
    let e = saydo::load(&fixture("bad-id")).expect_err("bad-id does not load");
    let first = e.problems.iter().find(|d| d.is_error()).unwrap();
    let errors = e.problems.iter().filter(|d| d.is_error()).count();
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("the dataset is invalid: {errors} error")),
        "{shown}"
    );
    assert!(
        shown.ends_with(&format!("the first bad-id: {}", first.message)),
        "{shown}"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert_eq!(boxed.to_string(), shown);
}

/// A document that cannot be read is answered with the seed file it
/// most likely means, or with the seed files there are.
#[test]
fn a_bad_document_is_answered_with_the_seed_files() {
    let dir = copy_bundled();
    let claims = dir.path().join("claims/azerbaijan.json");
    let text = std::fs::read_to_string(&claims).unwrap();
    let text = text.replacen(
        "\"document\": \"seeds/azerbaijan-iran-relations.txt\"",
        "\"document\": \"seeds/azerbaijan-iran-relation.txt\"",
        1,
    );
    std::fs::write(&claims, text).unwrap();
    let hints = |dir: &Path| -> Vec<String> {
        let out = Saydo::new()
            .args(["validate", "--format", "json"])
            .arg(dir)
            .run();
        let problems: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        problems["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["code"] == "bad-document")
            .map(|p| p["hint"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        hints(dir.path()),
        ["did you mean \"seeds/azerbaijan-iran-relations.txt\"?"]
    );
    std::fs::rename(
        dir.path().join("seeds/azerbaijan-iran-relations.txt"),
        dir.path().join("seeds/unrelated-name.txt"),
    )
    .unwrap();
    let all = hints(dir.path());
    assert!(!all.is_empty());
    assert!(
        all.iter().all(|h| h
            == "documents are paths inside the dataset; seeds/ holds \"seeds/unrelated-name.txt\""),
        "{all:?}"
    );
}

/// A record with a problem still has its quote proved: a misquote shows
/// beside an unknown actor, not only once the actor is mended.
#[test]
fn a_broken_record_still_has_its_quote_proved() {
    let dir = copy_bundled();
    let claims = dir.path().join("claims/azerbaijan.json");
    let mut records: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&claims).unwrap()).unwrap();
    let first = &mut records[0];
    first["actor"] = "nobody-known".into();
    let quote = first["source"]["quote"].as_str().unwrap().to_string();
    first["source"]["quote"] = format!("{quote} and more words").into();
    std::fs::write(&claims, records.to_string()).unwrap();
    let out = Saydo::new()
        .args(["validate", "--format", "json"])
        .arg(dir.path())
        .run();
    assert_eq!(out.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown-actor", "misquote"], "{report}");
}

/// Loading without the records' words (what `saydo trend` and JSON Lines
/// ask for) reads and checks them all the same: every fixture gives the
/// same problems at the same places, and a dataset that loads gives the
/// same records, but for their texts and their sources' urls and notes.
#[test]
fn loading_without_words_checks_them_all_the_same() {
    use saydo::model::Record;
    use saydo::{Words, load_keeping};
    let silent = &saydo::progress::Silent;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let (mut loaded, mut sourced) = (0, 0);
    for dir in &dirs {
        let all = load_keeping(dir, Words::ALL, silent);
        let actions_only = Words {
            claims: true,
            actions: false,
        };
        for words in [Words::NONE, actions_only] {
            match (&all, load_keeping(dir, words, silent)) {
                (Err(all), Err(lean)) => assert_eq!(all.problems, lean.problems, "{dir:?}"),
                (Ok(all), Ok(lean)) => {
                    assert_eq!(all.warnings, lean.warnings, "{dir:?}");
                    assert_eq!(all.actors, lean.actors, "{dir:?}");
                    let mut same = |kept: bool, a: &[Record], b: &[Record]| {
                        assert_eq!(a.len(), b.len(), "{dir:?}");
                        for (a, b) in a.iter().zip(b) {
                            let mut without = a.clone();
                            if !kept {
                                // Only what the record says in words goes.
                                without.text = Box::default();
                                without.extra = a.extra.as_ref().and_then(|x| {
                                    let quoted = saydo::model::Extra {
                                        url: None,
                                        notes: None,
                                        ..(**x).clone()
                                    };
                                    (quoted != saydo::model::Extra::default())
                                        .then(|| Box::new(quoted))
                                });
                                sourced += usize::from(
                                    a.extra
                                        .as_ref()
                                        .is_some_and(|x| x.url.is_some() || x.notes.is_some()),
                                );
                            }
                            assert_eq!(&without, b, "{dir:?}");
                        }
                    };
                    same(words.claims, &all.claims, &lean.claims);
                    same(words.actions, &all.actions, &lean.actions);
                    loaded += 1;
                }
                _ => panic!("{dir:?} loads one way and not the other"),
            }
        }
    }
    // Datasets that load, with urls or notes to leave behind, were
    // compared.
    assert!(loaded >= 10 && sourced > 0, "{loaded} {sourced}");
}
