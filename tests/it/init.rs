//! `saydo init`: the skeleton a new curator starts from is valid, checks
//! to one contradiction, never overwrites a dataset unasked and keeps
//! other files.

use crate::support::{Saydo, entries};
use serde_json::Value;
use std::fs;
use std::path::Path;

fn init(args: &[&str], dir: &Path) -> crate::support::Outcome {
    Saydo::new().arg("init").args(args).arg(dir).run()
}

/// Contradictions in `saydo check --format json` of `dir`.
fn contradictions(dir: &Path) -> usize {
    let check = Saydo::new()
        .args(["check", "--format", "json"])
        .arg(dir)
        .run();
    check.expect(0);
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["verdict"] == "contradiction")
        .count()
}

#[test]
fn a_new_dataset_validates_clean_and_checks_to_one_contradiction() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("new");
    let made = init(&[], &dir);
    made.expect(0);
    assert!(
        made.stderr.starts_with("initialised a dataset in"),
        "{}",
        made.stderr
    );
    assert_eq!(made.stderr.lines().count(), 1, "{}", made.stderr);
    assert!(made.stdout.is_empty());
    assert_eq!(
        entries(&dir),
        ["README.md", "actions", "actors", "claims", "seeds"]
    );
    // Only the dataset: no temporary folder left beside it.
    assert_eq!(entries(scratch.path()), ["new"]);

    let validated = Saydo::new()
        .args(["validate", "--format", "json"])
        .arg(&dir)
        .run();
    validated.expect(0);
    let report: Value = serde_json::from_slice(&validated.stdout).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0, "{report}");
    assert_eq!(report["quotes"].as_array().unwrap().len(), 2, "{report}");
    let table = Saydo::new().arg("validate").arg(&dir).run();
    table.expect(0);
    assert!(!table.out().contains("warning"), "{}", table.out());
    // One of each, counted in the singular.
    assert!(
        table
            .out()
            .contains("valid: 2 actors, 1 claim, 1 action, 1 topic\n"),
        "{}",
        table.out()
    );

    assert_eq!(contradictions(&dir), 1);
}

#[test]
fn the_current_folder_is_the_default() {
    let scratch = tempfile::tempdir().unwrap();
    Saydo::new()
        .arg("init")
        .current_dir(scratch.path())
        .run()
        .expect(0);
    assert_eq!(
        entries(scratch.path()),
        ["README.md", "actions", "actors", "claims", "seeds"]
    );
    Saydo::new()
        .arg("validate")
        .current_dir(scratch.path())
        .run()
        .expect(0);
}

#[test]
fn a_second_init_is_refused_and_changes_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    init(&[], dir).expect(0);
    fs::write(dir.join("claims/claims.json"), "[]").unwrap();
    let again = init(&[], dir);
    again.expect(2);
    assert!(
        again
            .stderr
            .contains("already holds a dataset (actors/, claims/, actions/, seeds/)"),
        "{}",
        again.stderr
    );
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(
        fs::read_to_string(dir.join("claims/claims.json")).unwrap(),
        "[]"
    );
    assert_eq!(
        entries(dir),
        ["README.md", "actions", "actors", "claims", "seeds"]
    );
}

#[test]
fn one_dataset_folder_is_enough_to_refuse() {
    let scratch = tempfile::tempdir().unwrap();
    fs::create_dir(scratch.path().join("seeds")).unwrap();
    let refused = init(&[], scratch.path());
    refused.expect(2);
    assert!(refused.stderr.contains("(seeds/)"), "{}", refused.stderr);
    assert_eq!(entries(scratch.path()), ["seeds"]);
}

#[test]
fn force_replaces_the_dataset_and_keeps_other_files() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    init(&[], dir).expect(0);
    fs::write(dir.join("claims/claims.json"), "not json").unwrap();
    fs::write(dir.join("claims/more.json"), "[]").unwrap();
    fs::write(dir.join("README.md"), "mine").unwrap();
    fs::write(dir.join("notes.txt"), "keep me").unwrap();
    let forced = init(&["--force"], dir);
    forced.expect(0);
    assert!(
        forced.stderr.contains("README.md kept"),
        "{}",
        forced.stderr
    );
    assert_eq!(
        entries(dir),
        [
            "README.md",
            "actions",
            "actors",
            "claims",
            "notes.txt",
            "seeds"
        ]
    );
    assert_eq!(entries(&dir.join("claims")), ["claims.json"]);
    assert_eq!(fs::read_to_string(dir.join("README.md")).unwrap(), "mine");
    assert_eq!(
        fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(contradictions(dir), 1);
}

#[test]
fn a_folder_with_other_files_keeps_them() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    fs::write(dir.join("notes.txt"), "keep me").unwrap();
    fs::create_dir(dir.join("drafts")).unwrap();
    fs::write(dir.join("drafts/a.md"), "draft").unwrap();
    init(&[], dir).expect(0);
    assert_eq!(
        entries(dir),
        [
            "README.md",
            "actions",
            "actors",
            "claims",
            "drafts",
            "notes.txt",
            "seeds"
        ]
    );
    assert_eq!(
        fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        fs::read_to_string(dir.join("drafts/a.md")).unwrap(),
        "draft"
    );
    Saydo::new().arg("validate").arg(dir).run().expect(0);
    assert_eq!(contradictions(dir), 1);
}

#[test]
fn a_file_in_the_way_is_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("data");
    fs::write(&file, "x").unwrap();
    let refused = init(&[], &file);
    refused.expect(2);
    assert!(
        refused.stderr.contains("is not a folder"),
        "{}",
        refused.stderr
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
}
