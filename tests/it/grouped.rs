//! Contradictions grouped by deed (`--group-by deed`): the order of deeds
//! and of the words under each, checked against a plain grouping of the
//! pairs; the same order whatever the files' order or the threads; the
//! table and Markdown on `tests/fixtures/deed-belies-words/` (one deed that
//! belies four words, three that belie three, ties broken by severity and
//! by id); and the flag on the command line.

use saydo::Settings;
use saydo::model::Dataset;
use saydo::render::markdown;
use saydo::render::table::{self, Layout};
use saydo::render::{GroupBy, style::Style};
use saydo::report::{self, Filters, Report};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{Saydo, root};

fn fixture() -> PathBuf {
    root().join("tests/fixtures/deed-belies-words")
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

fn by_deed(limit: usize) -> Layout {
    Layout {
        width: 100,
        limit,
        style: Style::PLAIN,
        group_by: GroupBy::Deed,
    }
}

fn markdown_by_deed(report: &Report<'_>, limit: usize) -> String {
    let mut out = Vec::new();
    markdown::write_grouped(report, &mut out, limit, GroupBy::Deed).unwrap();
    String::from_utf8(out).unwrap()
}

/// Each listed deed as its action id, its count of words, and the claim
/// ids of the words listed under it.
fn listed(report: &Report<'_>, deeds: usize, words: usize) -> Vec<(String, u32, Vec<String>)> {
    let data = report.data;
    report
        .deeds_by_words(deeds, words)
        .deeds
        .iter()
        .map(|d| {
            let claims = d
                .pairs
                .iter()
                .map(|&i| data.claims[report.pairs[i].claim as usize].id.to_string())
                .collect();
            (
                data.actions[d.action as usize].id.to_string(),
                d.words,
                claims,
            )
        })
        .collect()
}

/// The grouping stated plainly: every contradiction by its action, deeds
/// sorted by (most words, worst severity, action id), words by (severity,
/// claim id), as `deeds_by_words(0, 0)` lists them.
fn plain_grouping(report: &Report<'_>) -> Vec<(String, u32, Vec<String>)> {
    let data = report.data;
    let mut by_action: BTreeMap<&str, Vec<(u16, &str)>> = BTreeMap::new();
    for p in report.pairs.iter().filter(|p| p.verdict.is_contradiction()) {
        by_action
            .entry(&data.actions[p.action as usize].id)
            .or_default()
            .push((p.severity_units, &data.claims[p.claim as usize].id));
    }
    let mut deeds: Vec<(&str, Vec<(u16, &str)>)> = by_action.into_iter().collect();
    for (_, words) in &mut deeds {
        words.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    }
    deeds.sort_by(|a, b| {
        (b.1.len(), b.1[0].0)
            .cmp(&(a.1.len(), a.1[0].0))
            .then(a.0.cmp(b.0))
    });
    deeds
        .into_iter()
        .map(|(id, words)| {
            (
                id.to_string(),
                words.len() as u32,
                words.iter().map(|w| w.1.to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn deeds_come_most_words_first_then_worst_then_by_id() {
    let data = load(&fixture());
    let report = check(&data);
    let strings = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // divert-river is confirmed, so worse than dam-river and drain-river,
    // which tie on everything but their ids; under each river deed the
    // two water claims tie on severity and come by claim id.
    assert_eq!(
        listed(&report, 0, 0),
        [
            (
                "close-border".to_string(),
                4,
                strings(&[
                    "land-free-crossing",
                    "chief-border-open",
                    "envoy-closest-friend",
                    "land-peace"
                ])
            ),
            (
                "divert-river".to_string(),
                3,
                strings(&["envoy-river-pledge", "envoy-share-water", "land-peace"])
            ),
            (
                "dam-river".to_string(),
                3,
                strings(&["envoy-river-pledge", "envoy-share-water", "land-peace"])
            ),
            (
                "drain-river".to_string(),
                3,
                strings(&["envoy-river-pledge", "envoy-share-water", "land-peace"])
            ),
            ("aid-convoy".to_string(), 1, strings(&["chief-threat"])),
        ]
    );
    assert_eq!(listed(&report, 0, 0), plain_grouping(&report));
    let all = report.deeds_by_words(0, 0);
    assert_eq!((all.total, all.words), (5, 14));
    assert_eq!(all.words, report.count(|p| p.verdict.is_contradiction()));
    // Limits keep the first deeds, and the first words under each.
    let some = report.deeds_by_words(2, 2);
    assert_eq!((some.total, some.words), (5, 14));
    let cut: Vec<_> = plain_grouping(&report)
        .into_iter()
        .take(2)
        .map(|(id, n, words)| (id, n, words.into_iter().take(2).collect::<Vec<_>>()))
        .collect();
    assert_eq!(listed(&report, 2, 2), cut);
    assert_eq!(listed(&report, 9, 9), plain_grouping(&report));
}

/// A dataset of `n` claims and `n` actions of one actor, with stances,
/// effects, dates and attributions spread by a fixed sequence, so that
/// many deeds belie many words and many counts and severities tie.
fn dense(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut x: u64 = 12345;
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let attributions = ["confirmed", "reported", "alleged", "disputed"];
    let mut claims = Vec::new();
    let mut actions = Vec::new();
    for i in 0..n {
        let sign = if next(4) == 0 { -1 } else { 1 };
        claims.push(json!({
            "id": format!("c-{:03}", next(1000) * 1000 + i as u64),
            "actor": "land",
            "date": format!("2021-{:02}", 1 + next(12)),
            "topics": [format!("t{}", next(3))],
            "stance": sign * (2 + next(9) as i64),
            "text": "words"
        }));
        let sign = if next(4) == 0 { 1 } else { -1 };
        actions.push(json!({
            "id": format!("a-{:03}", next(1000) * 1000 + i as u64),
            "actor": "land",
            "date": format!("2021-{:02}", 1 + next(12)),
            "topics": [format!("t{}", next(3))],
            "effect": sign * (2 + next(9) as i64),
            "attribution": attributions[next(4) as usize],
            "text": "deed"
        }));
    }
    for (sub, items) in [("claims", claims), ("actions", actions)] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("data.json"),
            serde_json::to_vec(&Value::Array(items)).unwrap(),
        )
        .unwrap();
    }
    dir
}

#[test]
fn grouping_matches_a_plain_grouping_of_the_pairs() {
    let dir = dense(300);
    let data = load(dir.path());
    let report = check(&data);
    let contradictions = report.count(|p| p.verdict.is_contradiction());
    assert!(contradictions > 10_000, "{contradictions} contradictions");
    let plain = plain_grouping(&report);
    assert_eq!(listed(&report, 0, 0), plain);
    for (deeds, words) in [(1, 1), (7, 3), (20, 20), (plain.len() - 1, 0)] {
        let cut: Vec<_> = plain
            .iter()
            .take(deeds)
            .map(|(id, n, w)| {
                let keep = if words == 0 { w.len() } else { words };
                (id.clone(), *n, w.iter().take(keep).cloned().collect())
            })
            .collect::<Vec<(String, u32, Vec<String>)>>();
        assert_eq!(
            listed(&report, deeds, words),
            cut,
            "{deeds} deeds, {words} words"
        );
        let d = report.deeds_by_words(deeds, words);
        assert_eq!((d.total, d.words), (plain.len(), contradictions));
    }
}

/// The fixture with its records in reverse order, split over two files
/// each.
fn fixture_reordered() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["actors", "claims", "actions"] {
        let text =
            std::fs::read_to_string(fixture().join(sub).join(format!("{sub}.json"))).unwrap();
        let Value::Array(mut items) = serde_json::from_str(&text).unwrap() else {
            panic!("{sub} is not an array");
        };
        items.reverse();
        let back = items.split_off(items.len() / 2);
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        for (name, part) in [("a.json", items), ("b.json", back)] {
            std::fs::write(
                dir.path().join(sub).join(name),
                serde_json::to_vec(&Value::Array(part)).unwrap(),
            )
            .unwrap();
        }
    }
    dir
}

#[test]
fn the_order_does_not_depend_on_files_or_threads() {
    let reordered = fixture_reordered();
    let render = |dir: &Path, threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let data = load(dir);
            let report = check(&data);
            (
                table::render(&report, &by_deed(0)),
                markdown_by_deed(&report, 0),
            )
        })
    };
    let first = render(&fixture(), 1);
    assert!(first.0.contains("close-border"), "{}", first.0);
    for (dir, threads) in [
        (fixture(), 2),
        (fixture(), 3),
        (reordered.path().to_path_buf(), 1),
        (reordered.path().to_path_buf(), 2),
    ] {
        assert!(
            render(&dir, threads) == first,
            "{} on {threads} threads differs",
            dir.display()
        );
    }
}

#[test]
fn snapshot_table_by_deed() {
    let data = load(&fixture());
    let report = check(&data);
    insta::assert_snapshot!("table_by_deed", table::render(&report, &by_deed(0)));
}

#[test]
fn snapshot_markdown_by_deed() {
    let data = load(&fixture());
    let mut report = check(&data);
    // One word known from a baseline: marked under its deed, and only there.
    let known = report
        .pairs
        .iter()
        .position(|p| {
            data.claims[p.claim as usize].id.as_ref() == "land-peace"
                && data.actions[p.action as usize].id.as_ref() == "close-border"
        })
        .unwrap();
    report.known = (0..report.pairs.len()).map(|i| i == known).collect();
    let out = markdown_by_deed(&report, 0);
    assert_eq!(out.matches("(known)").count(), 1);
    insta::assert_snapshot!("markdown_by_deed", out);
}

#[test]
fn limits_count_deeds_and_the_words_under_each_and_say_what_is_left_out() {
    let data = load(&fixture());
    let report = check(&data);
    let table = table::render(&report, &by_deed(2));
    for note in [
        "… 2 more words",
        "… 1 more word ",
        "… 3 more deeds, 10 more words (use --limit 0 for all, or --format json)",
    ] {
        assert!(table.contains(note), "{note:?} in\n{table}");
    }
    assert!(!table.contains("dam-river"), "{table}");
    // Nothing left out: no note.
    let all = table::render(&report, &by_deed(0));
    assert!(
        !all.contains(" more word") && !all.contains(" more deed"),
        "{all}"
    );
    let md = markdown_by_deed(&report, 2);
    assert!(md.contains("<br>… 2 more words |"), "{md}");
    assert!(
        md.contains("_… 3 more deeds: use `--limit 0` for all, or `--format json`._"),
        "{md}"
    );
    // The limit counts deeds: rows 1 and 2 of the contradictions table.
    assert!(md.contains("\n| 2 | 3 | **divert-river**"), "{md}");
    assert!(!md.contains("\n| 3 |"), "{md}");
}

#[test]
fn a_report_without_contradictions_says_none() {
    let data = load(&root().join("tests/fixtures/valid"));
    let mut report = check(&data);
    report.pairs.retain(|p| !p.verdict.is_contradiction());
    let table = table::render(&report, &by_deed(20));
    assert!(
        table.contains("Contradictions by deed, most words belied first\nnone\n"),
        "{table}"
    );
    let md = markdown_by_deed(&report, 20);
    assert!(
        md.contains("## Contradictions by deed, most words belied first\n\nNone.\n"),
        "{md}"
    );
}

// ---------------------------------------------------------------------
// The command line

fn run(args: &[&str]) -> crate::support::Outcome {
    let dataset = fixture();
    let mut all = vec!["check", dataset.to_str().unwrap()];
    all.extend_from_slice(args);
    Saydo::new().args(all).run()
}

#[test]
fn group_by_deed_regroups_the_table_and_markdown_only() {
    for format in ["table", "markdown"] {
        let plain = run(&["--format", format]);
        let pairs = run(&["--format", format, "--group-by", "pair"]);
        let deeds = run(&["--format", format, "--group-by", "deed"]);
        for r in [&plain, &pairs, &deeds] {
            r.expect(0);
        }
        assert_eq!(plain.out(), pairs.out(), "pair is the default");
        assert!(plain.out().contains("Contradictions, most severe first"));
        let out = deeds.out();
        assert!(
            out.contains("Contradictions by deed, most words belied first"),
            "{out}"
        );
        assert!(!out.contains("Contradictions, most severe first"), "{out}");
    }
    // The Markdown job summary that github output appends is grouped too.
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let dataset = fixture();
    Saydo::new()
        .args(["check", dataset.to_str().unwrap(), "--format", "github"])
        .args(["--group-by", "deed"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .run()
        .expect(0);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("## Contradictions by deed"), "{text}");
    let table = run(&["--group-by", "deed", "--limit", "1"]).out();
    assert!(table.contains("… 4 more deeds, 13 more words"), "{table}");
    // The other formats are for programs: they list pairs as ever.
    for format in ["json", "jsonl", "csv", "github", "sarif", "junit", "html"] {
        let plain = run(&["--format", format]);
        let deeds = run(&["--format", format, "--group-by", "deed"]);
        assert_eq!(plain.out(), deeds.out(), "{format}");
    }
}

#[test]
fn an_unknown_grouping_is_a_usage_error() {
    let r = run(&["--group-by", "claim"]);
    assert_eq!(r.code(), Some(2), "{}", r.out());
    assert!(r.out().is_empty(), "{}", r.out());
    assert!(
        r.stderr.contains("--group-by") && r.stderr.contains("pair") && r.stderr.contains("deed"),
        "{}",
        r.stderr
    );
    let help = Saydo::new().args(["check", "--help"]).run();
    help.expect(0);
    assert!(help.out().contains("--group-by"), "{}", help.out());
}
