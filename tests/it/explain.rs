//! `saydo explain`: how it reads its arguments, the text it prints
//! (pinned byte for byte) and its JSON.

use crate::support::{Saydo, root};
use serde_json::Value;
use std::path::Path;

/// Runs `saydo explain` with `args` in `dir` and gives back the command
/// and what it printed, for a snapshot that shows both.
fn shown(dir: &std::path::Path, args: &[&str]) -> String {
    let r = Saydo::new().current_dir(dir).args(args).run();
    r.expect(0);
    format!("$ saydo {}\n{}", args.join(" "), r.out())
}

/// The table of every kind of answer (a claim and all its pairs, one
/// pair, a pair not made, a claim paired with nothing, and colour), so
/// that any change to the text shows in review.
#[test]
fn the_table_is_pinned() {
    let about = root().join("tests/fixtures/about");
    let runs = [
        shown(
            &root(),
            &["explain", "raisi-karabakh-pledge", "--color", "never"],
        ),
        shown(
            &root(),
            &[
                "explain",
                "raisi-karabakh-pledge",
                "ardabil-cleric-insults-2025",
                "--color",
                "never",
            ],
        ),
        shown(
            &root(),
            &[
                "explain",
                "khamenei-liberated",
                "ardabil-cleric-insults-2025",
            ],
        ),
        shown(
            &root(),
            &[
                "explain",
                "raisi-karabakh-pledge",
                "iran-hydro-plants-2024-05",
                "--color",
                "always",
            ],
        ),
        shown(
            &about,
            &["explain", "c3", "--dataset", ".", "--color", "never"],
        ),
    ];
    insta::assert_snapshot!("table", runs.join("\n"));
}

/// What `saydo explain` prints for `args` run in `dir`, with its exit
/// status checked.
fn out(dir: &Path, args: &[&str], code: i32) -> String {
    let r = Saydo::new().current_dir(dir).args(args).run();
    r.expect(code);
    r.out()
}

/// tests/fixtures/about (claims c1, c2, c3 and an action a1): the
/// dataset as a leading position, as check, validate and trend take it,
/// in each of the forms `--help` lists, says what the older `--dataset`
/// form says.
#[test]
fn the_dataset_comes_first_as_for_every_other_command() {
    let about = root().join("tests/fixtures/about");
    let old_pair = out(&about, &["explain", "c3", "a1", "--dataset", "."], 0);
    let old_claim = out(&about, &["explain", "c2", "--dataset", "."], 0);
    assert!(
        old_pair.starts_with("c3 and a1 are not paired:\n"),
        "{old_pair}"
    );
    assert!(old_claim.starts_with("claim c2\n"), "{old_claim}");
    let dir = "tests/fixtures/about";
    // Three: the dataset, the claim, the action.
    assert_eq!(out(&root(), &["explain", dir, "c3", "a1"], 0), old_pair);
    // Two, the first a folder: the dataset and the claim.
    assert_eq!(out(&root(), &["explain", dir, "c2"], 0), old_claim);
    // Two, the first not a folder: the claim and the action, in `.`.
    assert_eq!(out(&about, &["explain", "c3", "a1"], 0), old_pair);
    // One: the claim, in `.`.
    assert_eq!(out(&about, &["explain", "c2"], 0), old_claim);
    // `--dataset` with the claim and the action, as before.
    assert_eq!(
        out(&root(), &["explain", "c3", "a1", "-d", dir], 0),
        old_pair
    );
}

/// A claim whose id is also the name of a folder where saydo runs: the
/// folder wins, as `--help` says, and giving the dataset first reaches
/// the claim.
#[test]
fn a_folder_wins_over_a_claim_of_the_same_name() {
    let tmp = tempfile::tempdir().unwrap();
    let about = root().join("tests/fixtures/about");
    for sub in ["actors", "claims", "actions"] {
        std::fs::create_dir(tmp.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(about.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace(r#""id": "c3""#, r#""id": "claims""#);
            std::fs::write(tmp.path().join(sub).join(path.file_name().unwrap()), text).unwrap();
        }
    }
    // `claims` is the folder claims/, read as a dataset: it has none.
    let r = Saydo::new()
        .current_dir(tmp.path())
        .args(["explain", "claims", "a1"])
        .run();
    r.expect(2);
    assert!(r.stderr.contains("missing-folder"), "{}", r.stderr);
    assert_eq!(
        out(tmp.path(), &["explain", ".", "claims", "a1"], 0)
            .lines()
            .next(),
        Some("claims and a1 are not paired:")
    );
}

/// The dataset given both ways is a usage error that says so, whatever
/// the two name, and nothing is written to standard output.
#[test]
fn the_dataset_given_twice_is_a_usage_error() {
    let dir = "tests/fixtures/about";
    for args in [
        &["explain", dir, "c3", "a1", "--dataset", dir][..],
        &["explain", dir, "c2", "--dataset", "."][..],
        &["explain", ".", "c2", "-d", dir][..],
    ] {
        let r = Saydo::new().args(args).run();
        r.expect(2);
        assert_eq!(r.out(), "", "{args:?}");
        assert!(
            r.stderr
                .starts_with("error: the dataset is given twice: as DATASET_DIR ("),
            "{args:?}: {}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains("Usage: saydo explain [OPTIONS] [DATASET_DIR] <CLAIM_ID> [ACTION_ID]"),
            "{}",
            r.stderr
        );
    }
    // Four positionals are one too many.
    Saydo::new()
        .args(["explain", dir, "c3", "a1", "a2"])
        .run()
        .expect(2);
}

/// `--help` states the rule for reading the positionals.
#[test]
fn help_says_how_the_positionals_are_read() {
    let help = out(&root(), &["explain", "--help"], 0);
    for words in [
        "Usage: saydo explain [OPTIONS] [DATASET_DIR] <CLAIM_ID> [ACTION_ID]",
        "with two, the first is the dataset if it is an existing folder",
        "A folder wins",
        "--dataset DIR, the older form, still works, but not together with a DATASET_DIR",
    ] {
        assert!(help.contains(words), "{words}\n{help}");
    }
}

/// The same explanations in the dataset-first form print the pinned
/// table byte for byte.
#[test]
fn the_table_is_the_same_in_either_form() {
    let bundled = root();
    for (old, new) in [
        (
            &[
                "explain",
                "raisi-karabakh-pledge",
                "-d",
                ".",
                "--color",
                "always",
            ][..],
            &["explain", ".", "raisi-karabakh-pledge", "--color", "always"][..],
        ),
        (
            &[
                "explain",
                "khamenei-liberated",
                "ardabil-cleric-insults-2025",
                "-d",
                ".",
            ][..],
            &[
                "explain",
                ".",
                "khamenei-liberated",
                "ardabil-cleric-insults-2025",
            ][..],
        ),
    ] {
        let old = Saydo::new().current_dir(&bundled).args(old).run();
        let new = Saydo::new().current_dir(&bundled).args(new).run();
        old.expect(0);
        new.expect(0);
        assert_eq!(old.stdout, new.stdout);
        assert_eq!(
            Saydo::new()
                .args(["explain", "raisi-karabakh-pledge", "--format", "table"])
                .run()
                .stdout,
            Saydo::new()
                .args(["explain", "raisi-karabakh-pledge"])
                .run()
                .stdout
        );
    }
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let text = out(dir, args, 0);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn ids<'a>(values: &'a Value, path: &[&str]) -> Vec<&'a str> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| path.iter().fold(v, |v, k| &v[k]).as_str().unwrap())
        .collect()
}

/// `--format json` says what the table says: the claim, its window, each
/// pair with its verdict, severity, paths and factors.
#[test]
fn json_explains_a_claim_and_its_pairs() {
    let e = json(
        &root(),
        &["explain", ".", "raisi-karabakh-pledge", "--format", "json"],
    );
    assert_eq!(e["schema_version"], "1");
    assert_eq!(e["claim"]["claim_id"], "raisi-karabakh-pledge");
    assert_eq!(e["claim"]["verdict"], "mixed");
    assert_eq!(e["claim"]["file"], "claims/iran.json");
    assert_eq!(e["claim"]["line"], 65);
    // 2024-05, 365 days back from its first day, 730 on from its last.
    assert_eq!(e["window"]["from"], "2023-05-02");
    assert_eq!(e["window"]["to"], "2026-05-31");
    assert_eq!(e["action_id"], Value::Null);
    assert_eq!(e["not_paired"], Value::Null);
    // In the table's order.
    assert_eq!(
        ids(&e["pairs"], &["action", "action_id"]),
        [
            "ardabil-cleric-insults-2025",
            "iran-hydro-plants-2024-05",
            "iran-joint-exercises-2024-11"
        ]
    );
    assert_eq!(
        ids(&e["pairs"], &["verdict"]),
        ["contradiction", "consistent", "consistent"]
    );
    let p = &e["pairs"][0];
    assert_eq!(p["kind"], "duplicity");
    assert_eq!(p["severity"], 0.2469);
    assert_eq!(p["principal"], "iran");
    assert_eq!(ids(&p["claim_path"], &["actor_id"]), ["raisi", "iran"]);
    assert_eq!(p["claim_path"][0]["role"]["role"], "President");
    assert_eq!(p["claim_path"][0]["role"]["from"], "2021-08-03");
    assert_eq!(p["claim_path"][1]["role"], Value::Null);
    assert_eq!(
        ids(&p["action_path"], &["actor_id"]),
        ["ardabil-cleric", "khamenei", "iran"]
    );
    assert_eq!(p["topics"], serde_json::json!(["national-dignity"]));
    assert_eq!(p["general_claim"], true);
    assert_eq!(
        (p["gap_days"].as_i64(), p["order"].as_str()),
        (Some(215), Some("after"))
    );
    let f = &p["factors"];
    let product = ["strength", "attribution", "proximity", "order"]
        .iter()
        .map(|k| f[k].as_f64().unwrap())
        .product::<f64>();
    assert!((product - 0.2469).abs() < 5e-5, "{f}");
    assert_eq!(f["attribution"], 0.6);
    // One pair asked about: that pair only.
    let one = json(
        &root(),
        &[
            "explain",
            "raisi-karabakh-pledge",
            "iran-hydro-plants-2024-05",
            "-f",
            "json",
        ],
    );
    assert_eq!(one["action_id"], "iran-hydro-plants-2024-05");
    assert_eq!(
        ids(&one["pairs"], &["action", "action_id"]),
        ["iran-hydro-plants-2024-05"]
    );
    assert_eq!(one["pairs"][0], e["pairs"][1]);
    assert_eq!(one["not_paired"], Value::Null);
}

/// A claim and an action not paired: no pairs, and the reasons the table
/// lists, one string each; a claim paired with nothing: no pairs, no
/// reasons; a claim about the future: a window that starts on its day.
#[test]
fn json_says_why_a_pair_was_not_made() {
    let about = root().join("tests/fixtures/about");
    let e = json(&about, &["explain", "c3", "a1", "--format", "json"]);
    assert_eq!(e["pairs"], serde_json::json!([]));
    assert_eq!(e["not_paired"]["action"]["action_id"], "a1");
    let table = out(&about, &["explain", "c3", "a1"], 0);
    let reasons: Vec<String> = table
        .lines()
        .skip(1)
        .map(|l| l.strip_prefix("  - ").unwrap().to_string())
        .collect();
    assert_eq!(e["not_paired"]["reasons"], serde_json::json!(reasons));
    assert_eq!(reasons.len(), 1, "{table}");
    let c = json(&about, &["explain", "c3", "--format", "json"]);
    assert_eq!(c["pairs"], serde_json::json!([]));
    assert_eq!(c["not_paired"], Value::Null);
    assert_eq!(c["claim"]["verdict"], "untested");
    assert_eq!(c["claim"]["about"], "future");
    assert_eq!(c["window"]["from"], "2021-07-15");
    assert_eq!(c["window"]["to"], "2023-07-15");
}
