//! `saydo diff`: two reports of the bundled dataset, before and after a
//! change to its data, compared in every format; the exit statuses, and
//! the messages for files that are not reports.

use serde_json::Value;
use std::path::{Path, PathBuf};

use crate::support::{Saydo, copy_bundled, root};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Rewrites a JSON data file of the dataset in `dir`.
fn edit(dir: &Path, file: &str, change: impl FnOnce(&mut Vec<Value>)) {
    let path = dir.join(file);
    let mut records: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    change(&mut records);
    std::fs::write(&path, serde_json::to_string_pretty(&records).unwrap()).unwrap();
}

fn check_json(dataset: &Path, out: &Path) {
    Saydo::new()
        .args(["check", s(dataset), "--format", "json", "--output", s(out)])
        .run()
        .expect(0);
}

/// Reports before and after a change: a claim's stance turned round, an
/// action removed and another copied under a new id. The folder holds
/// `old.json` and `new.json`.
fn before_and_after() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = copy_bundled();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    check_json(dir.path(), &old);
    edit(dir.path(), "claims/iran.json", |claims| {
        let claim = claims
            .iter_mut()
            .find(|c| c["id"] == "iran-close-country")
            .unwrap();
        claim["stance"] = (-6).into();
    });
    edit(dir.path(), "actions/iran.json", |actions| {
        let at = actions
            .iter()
            .position(|a| a["id"] == "iran-trucks-karabakh-2021-08")
            .unwrap();
        actions.remove(at);
    });
    let file = ["actions/iran.json", "actions/others.json"]
        .into_iter()
        .find(|f| {
            std::fs::read_to_string(dir.path().join(f))
                .unwrap()
                .contains("\"ardabil-cleric-insults-2025\"")
        })
        .unwrap();
    edit(dir.path(), file, |actions| {
        let mut copy = actions
            .iter()
            .find(|a| a["id"] == "ardabil-cleric-insults-2025")
            .unwrap()
            .clone();
        copy["id"] = "ardabil-cleric-insults-2025-again".into();
        actions.push(copy);
    });
    check_json(dir.path(), &new);
    (dir, old, new)
}

fn diff(args: &[&str]) -> crate::support::Outcome {
    Saydo::new().arg("diff").args(args).run()
}

fn ids(pairs: &Value) -> Vec<String> {
    pairs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["claim_id"].as_str().unwrap(),
                p["action_id"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn lists_the_contradictions_that_appeared_disappeared_and_changed() {
    let (_dir, old, new) = before_and_after();
    let r = diff(&[s(&old), s(&new), "--format", "json"]);
    r.expect(0);
    let d: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(d["schema_version"], "1");
    assert_eq!(
        ids(&d["new_pairs"]),
        ["raisi-karabakh-pledge ardabil-cleric-insults-2025-again"]
    );
    assert_eq!(
        ids(&d["gone_pairs"]),
        [
            "khamenei-liberated iran-trucks-karabakh-2021-08",
            "iran-officials-support-2020 iran-trucks-karabakh-2021-08"
        ]
    );
    assert_eq!(
        ids(&d["changed_pairs"]),
        [
            "iran-close-country iran-joint-exercises-2024-11",
            "iran-close-country iran-hydro-plants-2024-05",
            "iran-close-country ardabil-cleric-insults-2025"
        ]
    );
    let changed = &d["changed_pairs"][2];
    assert_eq!(changed["old"]["verdict"], "contradiction");
    assert_eq!(changed["new"]["verdict"], "consistent");
    assert_eq!(d["changed_pairs"][0]["old"]["verdict"], "consistent");
    assert_eq!(d["changed_pairs"][0]["new"]["verdict"], "contradiction");
    let old_report: Value = serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
    let new_report: Value = serde_json::from_slice(&std::fs::read(&new).unwrap()).unwrap();
    for (side, report) in [("old", &old_report), ("new", &new_report)] {
        assert_eq!(d[side]["pairs"], report["totals"]["pairs"]);
        assert_eq!(
            d[side]["contradictions"],
            report["totals"]["contradictions"]
        );
    }

    // --all lists the consistent pair that came with the copied action too.
    let all = diff(&[s(&old), s(&new), "--format", "json", "--all"]);
    let all: Value = serde_json::from_slice(&all.expect(0).stdout).unwrap();
    assert_eq!(
        ids(&all["new_pairs"]),
        [
            "iran-close-country ardabil-cleric-insults-2025-again",
            "raisi-karabakh-pledge ardabil-cleric-insults-2025-again"
        ]
    );

    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/diff.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for value in [&d, &all] {
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn table_and_markdown() {
    let (_dir, old, new) = before_and_after();
    let table = diff(&[s(&old), s(&new), "--width", "100"]);
    insta::assert_snapshot!("table", table.expect(0).out());
    let markdown = diff(&[s(&old), s(&new), "--format", "markdown", "--limit", "1"]);
    let text = markdown.expect(0).out();
    assert!(text.contains("… 1 more pairs"), "{text}");
    insta::assert_snapshot!("markdown", text);
}

#[test]
fn the_same_whatever_the_order_of_the_pairs() {
    let (dir, old, new) = before_and_after();
    let mut shuffled: Value = serde_json::from_slice(&std::fs::read(&new).unwrap()).unwrap();
    shuffled["pairs"].as_array_mut().unwrap().reverse();
    let reversed = dir.path().join("reversed.json");
    std::fs::write(&reversed, serde_json::to_vec(&shuffled).unwrap()).unwrap();
    for format in ["json", "table", "markdown"] {
        let first = diff(&[s(&old), s(&new), "--format", format]);
        let again = diff(&[s(&old), s(&new), "--format", format]);
        let other = diff(&[s(&old), s(&reversed), "--format", format]);
        assert_eq!(first.expect(0).stdout, again.expect(0).stdout, "{format}");
        assert_eq!(first.stdout, other.expect(0).stdout, "{format}");
    }
}

#[test]
fn fail_on_new_exits_1_only_for_a_new_contradiction() {
    let (dir, old, new) = before_and_after();
    diff(&[s(&old), s(&new), "--fail-on-new"]).expect(1);
    diff(&[s(&old), s(&new)]).expect(0);
    diff(&[s(&old), s(&old), "--fail-on-new"]).expect(0);
    // Only removed findings: nothing new.
    let fewer = dir.path().join("fewer.json");
    let mut report: Value = serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
    report["pairs"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["verdict"] != "contradiction");
    std::fs::write(&fewer, serde_json::to_vec(&report).unwrap()).unwrap();
    diff(&[s(&old), s(&fewer), "--fail-on-new"]).expect(0);
    diff(&[s(&fewer), s(&old), "--fail-on-new"]).expect(1);
    // --output writes the file and keeps the status.
    let out = dir.path().join("diff.md");
    let r = diff(&[
        s(&old),
        s(&new),
        "--fail-on-new",
        "--format",
        "markdown",
        "-o",
        s(&out),
    ]);
    r.expect(1);
    assert!(r.stdout.is_empty());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("## saydo diff")
    );
}

#[test]
fn a_file_that_is_not_a_report_exits_2_naming_it() {
    let (dir, old, _new) = before_and_after();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let cases = [
        (write("broken.json", "{\"pairs\": ["), "is not JSON"),
        (write("array.json", "[1, 2]"), "is not a saydo JSON report"),
        (
            write("nopairs.json", "{\"schema_version\": \"1\"}"),
            "is not a saydo JSON report",
        ),
        (
            write("v2.json", "{\"schema_version\": \"2\", \"pairs\": []}"),
            "has schema_version \"2\"",
        ),
        (dir.path().join("missing.json"), "cannot read"),
    ];
    for (path, message) in &cases {
        for args in [[s(&old), s(path)], [s(path), s(&old)]] {
            let r = diff(&args);
            r.expect(2);
            assert!(r.stdout.is_empty());
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(r.stderr.contains(name), "{}", r.stderr);
            assert!(r.stderr.contains(message), "{message}: {}", r.stderr);
        }
    }
}
