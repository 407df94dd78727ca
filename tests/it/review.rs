//! Reviews: decisions in `reviews/`, `saydo review`'s walk, and how every
//! format and the gate treat decided pairs.

use crate::support::{Saydo, copy_bundled, root};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    root().join("tests/fixtures/reviews")
}

/// The fixture's decisions in force, by claim and action: (decision, by,
/// file, line). `chief-border-open`/`aid-convoy` is decided on a duplicity
/// but is consistent, so it has none; `land-peace`/`close-border` was
/// confirmed in `a-first.jsonl` and dismissed later in `b-later.json`.
const IN_FORCE: [(&str, &str, &str, &str, &str, u64); 4] = [
    (
        "chief-threat",
        "aid-convoy",
        "confirmed",
        "Reviewer One",
        "reviews/a-first.jsonl",
        2,
    ),
    (
        "envoy-share-water",
        "dam-river",
        "needs-source",
        "Reviewer One",
        "reviews/a-first.jsonl",
        3,
    ),
    (
        "land-free-crossing",
        "close-border",
        "dismissed",
        "Reviewer One",
        "reviews/a-first.jsonl",
        1,
    ),
    (
        "land-peace",
        "close-border",
        "dismissed",
        "Reviewer Two",
        "reviews/b-later.json",
        2,
    ),
];

fn check(dir: &Path, args: &[&str]) -> crate::support::Outcome {
    Saydo::new()
        .current_dir(dir)
        .args(["--color", "never", "check", "."])
        .args(args)
        .run()
}

/// How many rows of the contradictions table have `mark` under their
/// kind (the second column).
fn marked(table: &str, mark: &str) -> usize {
    table
        .lines()
        .filter(|l| l.split('│').nth(2).is_some_and(|cell| cell.trim() == mark))
        .count()
}

fn reviews_in(pairs: &[Value]) -> Vec<(String, String, String, String, String, u64)> {
    let mut found: Vec<_> = pairs
        .iter()
        .filter(|p| p.get("review").is_some())
        .map(|p| {
            let r = &p["review"];
            (
                p["claim_id"].as_str().unwrap().to_string(),
                p["action_id"].as_str().unwrap().to_string(),
                r["decision"].as_str().unwrap().to_string(),
                r["by"].as_str().unwrap().to_string(),
                r["file"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

fn expected_reviews() -> Vec<(String, String, String, String, String, u64)> {
    IN_FORCE
        .iter()
        .map(|&(c, a, d, b, f, l)| (c.into(), a.into(), d.into(), b.into(), f.into(), l))
        .collect()
}

#[test]
fn a_dismissal_made_in_review_passes_the_next_gate() {
    let ds = copy_bundled();
    check(ds.path(), &["--fail-on", "contradiction"]).expect(1);
    let reasons = "d the words speak of the war's end, the deed of later years\n".repeat(5);
    let r = Saydo::new()
        .current_dir(ds.path())
        .args(["review", "--by", "CI Reviewer", "--date", "2026-12-06"])
        .stdin(reasons)
        .run();
    r.expect(0);
    assert!(
        r.out()
            .contains("5 decisions written to reviews/decisions.jsonl; 0 left to review"),
        "{}",
        r.out()
    );
    let written = std::fs::read_to_string(ds.path().join("reviews/decisions.jsonl")).unwrap();
    let lines: Vec<Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for l in &lines {
        assert_eq!(l["decision"], "dismissed");
        assert_eq!(l["verdict"], "duplicity");
        assert_eq!(l["by"], "CI Reviewer");
        assert_eq!(l["date"], "2026-12-06");
    }
    // The decisions are data: they validate, without a warning.
    let v = Saydo::new()
        .current_dir(ds.path())
        .args(["validate", "."])
        .run();
    v.expect(0);
    assert!(
        !v.out().contains("warning") && v.stderr.is_empty(),
        "{}{}",
        v.out(),
        v.stderr
    );
    // The next run shows them dismissed and passes the gate.
    let after = check(ds.path(), &["--fail-on", "contradiction"]);
    after.expect(0);
    assert!(
        after.out().contains("contradictions reviewed: 0 confirmed, 5 dismissed, 0 needs-source, 0 known from the baseline, 0 new"),
        "{}",
        after.out()
    );
    assert_eq!(marked(&after.out(), "dismissed"), 5, "{}", after.out());
    // And there is nothing left to walk.
    let again = Saydo::new()
        .current_dir(ds.path())
        .args(["review", "--by", "CI Reviewer"])
        .stdin("")
        .run();
    again.expect(0);
    assert!(
        again
            .out()
            .starts_with("nothing to review: 5 contradictions decided or known"),
        "{}",
        again.out()
    );
}

#[test]
fn confirmed_and_unsourced_findings_still_trip_the_gate() {
    let ds = copy_bundled();
    let r = Saydo::new()
        .current_dir(ds.path())
        .args(["review", "--by", "A", "--date", "2026-12-06"])
        .stdin("c\nn the trucks' own report\nc sources checked\nc\nc\n")
        .run();
    r.expect(0);
    let written = std::fs::read_to_string(ds.path().join("reviews/decisions.jsonl")).unwrap();
    let decisions: Vec<String> = written
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["decision"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        decisions,
        [
            "confirmed",
            "needs-source",
            "confirmed",
            "confirmed",
            "confirmed"
        ]
    );
    assert!(
        written.contains(r#""reason":"sources checked""#),
        "{written}"
    );
    check(ds.path(), &["--fail-on", "contradiction"]).expect(1);
}

#[test]
fn the_walk_shows_open_contradictions_most_severe_first() {
    let r = Saydo::new()
        .current_dir(fixture())
        .args(["review", "--by", "A"])
        .stdin("bogus\nq\n")
        .run();
    r.expect(0);
    let out = r.out();
    // 14 contradictions, 4 of them decided: the dismissed 0.6654 pair is
    // not shown; the walk starts at the most severe open one.
    assert!(
        out.starts_with("10 contradictions to review, most severe first (4 decided or known)"),
        "{out}"
    );
    let first = out.lines().find(|l| l.starts_with("[1/10]")).unwrap();
    assert!(
        first.contains("claim chief-border-open") && first.contains("action close-border"),
        "{first}"
    );
    assert!(
        out.contains("answer c (confirm), d REASON (dismiss)"),
        "{out}"
    );
    assert!(out.contains("0 decisions written"), "{out}");
    assert!(!fixture().join("reviews/decisions.jsonl").exists());
}

#[test]
fn every_format_shows_decisions_and_the_baseline() {
    let dir = fixture();
    let table = check(&dir, &["--limit", "0", "--width", "200"]);
    table.expect(0);
    let out = table.out();
    assert!(out.contains("contradictions reviewed: 1 confirmed, 2 dismissed, 1 needs-source, 0 known from the baseline, 10 new"), "{out}");
    for (mark, n) in [
        ("dismissed", 2),
        ("confirmed", 1),
        ("needs-source", 1),
        ("new", 10),
    ] {
        assert_eq!(marked(&out, mark), n, "{mark}: {out}");
    }
    assert!(
        out.contains("dismissed by Reviewer Two on 2026-12-01: a general wish"),
        "{out}"
    );

    let md = check(&dir, &["--format", "markdown", "--limit", "0"]).out();
    assert!(md.contains("Contradictions reviewed: 1 confirmed, 2 dismissed, 1 needs-source, 0 known from the baseline, 10 new."), "{md}");
    assert_eq!(md.matches("duplicity (dismissed)").count(), 2, "{md}");
    assert_eq!(md.matches("bluster (confirmed)").count(), 1, "{md}");
    assert!(
        md.contains("&lt;b&gt;crossings&lt;/b&gt; \\| closed"),
        "{md}"
    );

    let json: Value = serde_json::from_str(&check(&dir, &["--format", "json"]).out()).unwrap();
    assert_eq!(
        reviews_in(json["pairs"].as_array().unwrap()),
        expected_reviews()
    );
    let lines: Vec<Value> = check(&dir, &["--format", "jsonl"])
        .out()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reviews_in(&lines), expected_reviews());

    let csv_out = check(&dir, &["--format", "csv"]).out();
    let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut decided: Vec<(String, String, String)> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| !r[col("review")].is_empty())
        .map(|r| {
            (
                r[col("claim_id")].to_string(),
                r[col("review")].to_string(),
                r[col("review_reason")].to_string(),
            )
        })
        .collect();
    decided.sort();
    assert_eq!(decided.len(), 4);
    assert_eq!(decided[2].1, "dismissed");
    // A reason that starts like a formula is defused as data texts are.
    assert!(decided[2].2.starts_with("'=HYPERLINK"), "{decided:?}");

    let gh = check(&dir, &["--format", "github"]).out();
    let line_of = |claim: &str, action: &str| {
        gh.lines()
            .find(|l| {
                l.contains(&format!("Claim {claim} ")) && l.contains(&format!("action {action} "))
            })
            .unwrap_or_else(|| panic!("{claim} {action}: {gh}"))
            .to_string()
    };
    let dismissed = line_of("land-free-crossing", "close-border");
    assert!(
        dismissed.starts_with("::notice ") && dismissed.contains("dismissed)::"),
        "{dismissed}"
    );
    let confirmed = line_of("chief-threat", "aid-convoy");
    assert!(
        confirmed.starts_with("::warning ") && confirmed.contains("%2C confirmed)::"),
        "{confirmed}"
    );
    assert!(line_of("chief-border-open", "close-border").starts_with("::error "));

    let sarif: Value = serde_json::from_str(&check(&dir, &["--format", "sarif"]).out()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2);
    for r in &suppressed {
        assert_eq!(r["level"], "note");
        assert_eq!(r["suppressions"][0]["status"], "accepted");
        assert_eq!(r["properties"]["review"], "dismissed");
    }
    assert_eq!(
        results
            .iter()
            .filter(|r| r["properties"]["review"] == "confirmed")
            .count(),
        1
    );

    let junit = check(&dir, &["--format", "junit"]).out();
    assert_eq!(
        junit.matches("; not a failure: Duplicity").count(),
        2,
        "{junit}"
    );
    assert_eq!(
        junit.matches("review: confirmed by Reviewer One").count(),
        1,
        "{junit}"
    );

    let html = check(&dir, &["--format", "html"]).out();
    assert_eq!(html.matches(r#"<span class="known dismissed""#).count(), 2);
    assert!(html.contains("&lt;b&gt;crossings&lt;/b&gt;") && !html.contains("<b>crossings"));

    // With a baseline, pairs it has are known, and decisions still win.
    let scratch = tempfile::tempdir().unwrap();
    let baseline = scratch.path().join("baseline.json");
    std::fs::write(&baseline, serde_json::to_vec(&json).unwrap()).unwrap();
    let known = check(
        &dir,
        &[
            "--limit",
            "0",
            "--width",
            "200",
            "--baseline",
            baseline.to_str().unwrap(),
        ],
    )
    .out();
    assert!(
        known.contains(
            "1 confirmed, 2 dismissed, 1 needs-source, 10 known from the baseline, 0 new"
        ),
        "{known}"
    );
    assert_eq!(marked(&known, "known"), 10, "{known}");
}

#[test]
fn stale_decisions_are_warnings_at_their_file_and_line() {
    let r = check(
        &fixture(),
        &["--format", "json", "--fail-on", "contradiction"],
    );
    // Ten contradictions are new.
    r.expect(1);
    let err = &r.stderr;
    for (place, what) in [
        ("reviews/a-first.jsonl:4:1", "is now consistent"),
        (
            "reviews/a-first.jsonl:6:45",
            "names action \"close-bordr\", which no action has",
        ),
        (
            "reviews/a-first.jsonl:7:1",
            "\"chief-border-open\" and \"dam-river\" are no longer paired",
        ),
    ] {
        let at = err.find(place).unwrap_or_else(|| panic!("{place}: {err}"));
        let before = &err[..at];
        assert!(
            before
                .rsplit("warning[stale-review]")
                .next()
                .unwrap()
                .contains(what),
            "{place}: {what}: {err}"
        );
    }
    assert!(err.contains("did you mean \"close-border\"?"), "{err}");
    assert_eq!(err.matches("warning[stale-review]").count(), 3, "{err}");
    // validate knows the records, not the pairs: only the unknown id.
    let v = Saydo::new()
        .current_dir(fixture())
        .args(["validate", "."])
        .run();
    v.expect(0);
    assert_eq!(
        v.out().matches("warning[stale-review]").count(),
        1,
        "{}",
        v.out()
    );
}

#[test]
fn every_problem_of_a_decision_has_a_place_and_a_hint() {
    let ds = tempfile::tempdir().unwrap();
    for sub in ["actors", "claims", "actions"] {
        std::fs::create_dir_all(ds.path().join(sub)).unwrap();
        for e in std::fs::read_dir(fixture().join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), ds.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    std::fs::create_dir_all(ds.path().join("reviews")).unwrap();
    let ok = r#""claim": "land-peace", "action": "close-border", "by": "A", "date": "2026-12-01""#;
    let text = [
        format!(r#"{{{ok}, "verdict": "duplicity", "decision": "dismised", "reason": "r"}}"#),
        format!(r#"{{{ok}, "verdict": "duplicity", "decision": "dismissed"}}"#),
        r#"{"claim": "land-peace", "action": "close-border", "verdict": "duplicity", "decision": "confirmed", "date": "2026-12-01"}"#.to_string(),
        format!(r#"{{{ok}, "verdict": "contradicton", "decision": "confirmed"}}"#),
        r#"{"claim": "land-peace", "action": "close-border", "by": "A", "date": "2026-13-01", "verdict": "duplicity", "decision": "confirmed"}"#.to_string(),
        format!(r#"{{{ok}, "verdict": "duplicity", "decision": "confirmed", "resaon": "typo"}}"#),
    ]
    .join("\n");
    std::fs::write(ds.path().join("reviews/d.jsonl"), text).unwrap();
    let r = Saydo::new()
        .current_dir(ds.path())
        .args(["validate", "."])
        .run();
    r.expect(2);
    let out = r.out();
    for (place, code, hint) in [
        (
            "reviews/d.jsonl:1:",
            "error[bad-value]",
            "did you mean \"dismissed\"?",
        ),
        (
            "reviews/d.jsonl:2:1",
            "error[missing-field]",
            "needs a `reason`",
        ),
        ("reviews/d.jsonl:3:1", "error[missing-field]", "has no `by`"),
        (
            "reviews/d.jsonl:4:",
            "error[bad-value]",
            "did you mean \"contradiction\"?",
        ),
        ("reviews/d.jsonl:5:", "error[bad-date]", "YYYY-MM-DD"),
        (
            "reviews/d.jsonl:6:",
            "warning[unknown-field]",
            "did you mean `reason`?",
        ),
    ] {
        let at = out.find(place).unwrap_or_else(|| panic!("{place}: {out}"));
        let block_start = out[..at].rfind("\n\n").map_or(0, |i| i + 2);
        let block_end = out[at..].find("\n\n").map_or(out.len(), |i| at + i);
        let block = &out[block_start..block_end];
        assert!(
            block.starts_with(code) && block.contains(hint),
            "{place}: {block}"
        );
    }
}

#[test]
fn review_takes_keys_on_a_terminal() {
    if !crate::support::terminal_available() {
        return;
    }
    let ds = copy_bundled();
    // d, a reason and Enter; s; q.
    let r = Saydo::new()
        .current_dir(ds.path())
        .args(["review", "--by", "Ana", "--date", "2026-12-06"])
        .on_a_terminal()
        .stdin("dnot the same trucks\rsq")
        .run();
    r.expect(0);
    assert!(
        r.out()
            .contains("[c]onfirm  [d]ismiss  [n]eeds source  [s]kip  [q]uit"),
        "{}",
        r.out()
    );
    assert!(
        r.out()
            .contains("1 decision written to reviews/decisions.jsonl; 3 left to review"),
        "{}",
        r.out()
    );
    let written = std::fs::read_to_string(ds.path().join("reviews/decisions.jsonl")).unwrap();
    let line: Value = serde_json::from_str(written.trim()).unwrap();
    assert_eq!(line["decision"], "dismissed");
    assert_eq!(line["reason"], "not the same trucks");
    assert_eq!(line["claim"], "khamenei-liberated");
}

#[test]
fn review_writes_only_to_a_jsonl_file_of_reviews() {
    for file in ["decisions.json", "../claims/x.jsonl", ".hidden.jsonl"] {
        let r = Saydo::new()
            .args(["review", "--by", "A", "--file", file])
            .stdin("q\n")
            .run();
        r.expect(2);
        assert!(
            r.stderr.contains("is not the name of a .jsonl file"),
            "{file}: {}",
            r.stderr
        );
    }
    let r = Saydo::new()
        .args(["review", "--by", "A", "--date", "2026-02-30"])
        .stdin("q\n")
        .run();
    r.expect(2);
    assert!(
        r.stderr.contains("not a day written YYYY-MM-DD"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_shows_the_decision_on_a_pair() {
    let table = Saydo::new()
        .current_dir(fixture())
        .args(["--color", "never", "explain", "land-peace", "close-border"])
        .run();
    table.expect(0);
    assert!(
        table.out().contains(
            "  review      dismissed by Reviewer Two on 2026-12-01: a general wish for peace, not a word on the border\n"
        ),
        "{}",
        table.out()
    );
    let json = Saydo::new()
        .current_dir(fixture())
        .args(["explain", "land-peace", "--format", "json"])
        .run();
    json.expect(0);
    let v: Value = serde_json::from_str(&json.out()).unwrap();
    let reviewed: Vec<(&str, &str)> = v["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            Some((
                p["action"]["action_id"].as_str()?,
                p.get("review")?["decision"].as_str()?,
            ))
        })
        .collect();
    // Only the pair decided on; land-peace's other pairs have no decision.
    assert_eq!(reviewed, [("close-border", "dismissed")]);
}
