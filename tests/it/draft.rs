//! `saydo draft`: the numbers it reaches against records curated by hand,
//! pinned exactly (an improvement or a regression both show); a draft that
//! validates once a curator has set its scores; the same bytes twice; the
//! warning on records still marked draft; and bad input.
//!
//! The texts: the bundled one (`seeds/`, curated in the repository's own
//! dataset), and `tests/fixtures/draft/<case>/`, texts written for these
//! tests with the records a curator would make, in the data format.

use crate::support::*;
use saydo::draft::{self, Measure};
use serde_json::Value;
use std::path::Path;

const SEED: &str = "seeds/azerbaijan-iran-relations.txt";

/// The draft of `text` (a path inside `dataset`) with the dataset's
/// actors, measured against the dataset's records.
fn measured(dataset: &Path, text: &str) -> Measure {
    let actors = draft::read_actors(&dataset.join("actors")).unwrap();
    let source = std::fs::read_to_string(dataset.join(text)).unwrap();
    let drafted = draft::draft(&source, text, &actors);
    let data = saydo::load(dataset).unwrap();
    draft::measure(&drafted, &data, text)
}

/// The targets: 90% of quoted claims with their speaker, 75% of
/// actions with their date, at most one draft in four thrown away.
fn meets_the_targets(m: &Measure) {
    assert!(m.claims_found * 10 >= m.claims * 9, "{m:?}");
    assert!(m.actions_found * 4 >= m.actions * 3, "{m:?}");
    assert!(m.thrown_away.len() * 4 <= m.drafts, "{m:?}");
}

#[test]
fn the_bundled_text_is_drafted_as_its_curator_did_but_for_the_listed_misses() {
    let m = measured(&root(), SEED);
    assert_eq!((m.claims_found, m.claims), (11, 11), "{m:?}");
    assert_eq!((m.actions_found, m.actions), (10, 11), "{m:?}");
    assert_eq!(m.actions_missed, ["ardabil-cleric-insults-2025"]);
    assert_eq!(m.drafts, 23);
    assert_eq!(m.thrown_away, ["aliyev-made-clear-figure"]);
    assert_eq!(m.other_kind, ["iran-escalating-strains-announced"]);
    meets_the_targets(&m);
}

#[test]
fn a_trade_dispute_between_two_companies() {
    let m = measured(
        &root().join("tests/fixtures/draft/trade"),
        "seeds/northwind-calder.txt",
    );
    assert_eq!((m.claims_found, m.claims), (7, 7), "{m:?}");
    assert_eq!((m.actions_found, m.actions), (5, 5), "{m:?}");
    assert_eq!((m.thrown_away.len(), m.drafts), (0, 12), "{m:?}");
    meets_the_targets(&m);
}

#[test]
fn a_border_dispute_between_two_states() {
    let m = measured(
        &root().join("tests/fixtures/draft/border"),
        "seeds/karsia-lunevia.txt",
    );
    assert_eq!((m.claims_found, m.claims), (7, 7), "{m:?}");
    // With the second deed of a sentence, dated the day after: "…, and
    // Karsia closed its border crossings the next day".
    assert_eq!((m.actions_found, m.actions), (6, 6), "{m:?}");
    assert_eq!((m.thrown_away.len(), m.drafts), (0, 13), "{m:?}");
    meets_the_targets(&m);
}

/// Written, with its records, after the rules were last changed, and run
/// once: how the rules do on a text they were not shaped by. Its actions
/// fall short of the target: "the two provinces" is no pair the rules
/// know, and "released water" no deed verb of the lexicon. Pinned as
/// found; not tuned.
#[test]
fn a_water_dispute_held_out_from_the_rules() {
    let m = measured(
        &root().join("tests/fixtures/draft/water"),
        "seeds/ardent-river.txt",
    );
    assert_eq!((m.claims_found, m.claims), (4, 4), "{m:?}");
    assert_eq!((m.actions_found, m.actions), (3, 6), "{m:?}");
    assert_eq!(
        m.actions_missed,
        [
            "marrow-talks-2018-03",
            "tessel-talks-2018-03",
            "marrow-water-release-2018-07"
        ]
    );
    assert_eq!((m.thrown_away.len(), m.drafts), (0, 7), "{m:?}");
}

/// In the manner of a news wire. Held out at first: its one run found 2
/// of 5 actions, missing a deed whose sentence also reports speech
/// ("Osterland expelled two diplomats …, accusing them of spying") and
/// "agreed to restore"; both were then fixed in general (README).
#[test]
fn a_consular_row_held_out_from_the_rules() {
    let m = measured(
        &root().join("tests/fixtures/draft/consulates"),
        "seeds/osterland-vel.txt",
    );
    assert_eq!((m.claims_found, m.claims), (4, 4), "{m:?}");
    assert_eq!((m.actions_found, m.actions), (5, 5), "{m:?}");
    assert_eq!((m.thrown_away.len(), m.drafts), (0, 9), "{m:?}");
}

/// A third held-out text, written with its records after the rules were
/// last changed and run once. Every claim, and not one action: its deeds
/// are told with verbs the lexicon lacks ("introduced a toll", "scrapped
/// the toll"), a pair noun it lacks ("the two cities"), and a date it
/// cannot read ("Two months later"). "The cities … have argued over the
/// bridge" is drafted as a statement and thrown away. Pinned as found;
/// not tuned: deeds are where the rules generalise least.
#[test]
fn a_bridge_quarrel_held_out_from_the_rules() {
    let m = measured(
        &root().join("tests/fixtures/draft/bridge"),
        "seeds/harbour-bridge.txt",
    );
    assert_eq!((m.claims_found, m.claims), (4, 4), "{m:?}");
    assert_eq!((m.actions_found, m.actions), (0, 5), "{m:?}");
    assert_eq!(m.thrown_away, ["lorne-cities-pellam-argued"]);
    assert_eq!(m.drafts, 5);
}

/// The draft of the bundled text, as the binary writes it, one JSON value
/// a line.
fn drafted_lines() -> Vec<Value> {
    let out = Saydo::new()
        .args(["draft", SEED, "--actors", "actors"])
        .current_dir(root())
        .run();
    out.expect(0);
    out.out()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A dataset of the bundled actors and seed, and the draft's lines put in
/// the folder each belongs in; `finish` edits each line as a curator.
fn dataset_of(lines: &[Value], finish: impl Fn(&mut Value)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["actors", "claims", "actions", "seeds"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    std::fs::copy(
        root().join("actors/actors.json"),
        dir.path().join("actors/actors.json"),
    )
    .unwrap();
    std::fs::copy(root().join(SEED), dir.path().join(SEED)).unwrap();
    let mut files: std::collections::BTreeMap<&str, String> = Default::default();
    for line in lines {
        let folder = match line["draft"]["record"].as_str().unwrap() {
            "actor" => "actors",
            "claim" => "claims",
            "action" => "actions",
            other => panic!("draft.record {other}"),
        };
        let mut line = line.clone();
        finish(&mut line);
        let text = files.entry(folder).or_default();
        text.push_str(&line.to_string());
        text.push('\n');
    }
    for (folder, text) in files {
        std::fs::write(dir.path().join(folder).join("draft.jsonl"), text).unwrap();
    }
    dir
}

#[test]
fn a_drafted_line_has_every_field_a_curator_checks() {
    let lines = drafted_lines();
    let find = |id: &str| {
        lines
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .clone()
    };
    // A deed reported, not confirmed; its doer in a "that" clause.
    let trucks = find("iran-azerbaijan-obtained-evidence");
    assert_eq!(trucks["actor"], "iran");
    assert_eq!(trucks["date"], "2021-08");
    assert_eq!(trucks["target"], "azerbaijan");
    assert_eq!(trucks["attribution"], "reported");
    assert_eq!(trucks["draft"]["record"], "action");
    assert_eq!(trucks["draft"]["line"], 5);
    assert_eq!(trucks["source"]["document"], SEED);
    assert!(trucks.get("stance").is_none() && trucks["effect"].is_i64());
    // A quotation of two sentences in typographic marks, its speaker
    // named by an alias, its date carried from the paragraph.
    let raisi = find("raisi-countries-openly-declare");
    assert_eq!(raisi["actor"], "raisi");
    assert_eq!(raisi["date"], "2024-05");
    assert_eq!(raisi["text"], raisi["source"]["quote"]);
    assert!(
        raisi["text"]
            .as_str()
            .unwrap()
            .starts_with("We were one of the first countries")
            && raisi["text"].as_str().unwrap().ends_with("in Karabakh.")
    );
    assert_eq!(raisi["draft"]["record"], "claim");
    assert!(
        raisi["draft"]["why"]
            .as_str()
            .unwrap()
            .contains("direct quotation")
    );
    assert!(raisi.get("effect").is_none() && raisi["stance"].is_i64());
    // The attack names no doer: the stand-in, proposed as a new actor.
    let attack = find("unnamed-attack-azerbaijani-embassy");
    assert_eq!(attack["date"], "2023-01-27");
    assert_eq!(lines[0]["id"], "unnamed");
    assert_eq!(lines[0]["draft"]["record"], "actor");
}

#[test]
fn the_draft_validates_once_the_curator_sets_the_scores() {
    let lines = drafted_lines();
    let records = lines
        .iter()
        .filter(|l| l["draft"]["record"] != "actor")
        .count();
    assert_eq!(records, 23);
    // As drafted: it loads, every record warned as a draft.
    let dir = dataset_of(&lines, |_| {});
    let data = saydo::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data.claims.len() + data.actions.len(), records);
    // And the one new actor (`unnamed`, the attack's doer) as well.
    let codes: Vec<&str> = data.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, vec!["draft-record"; records + 1]);
    // Curated: scores set, marks removed; no warning left, and every
    // quote proven against the text.
    let dir = dataset_of(&lines, |line| {
        let object = line.as_object_mut().unwrap();
        object.remove("draft");
        for score in ["stance", "effect"] {
            if object.contains_key(score) {
                object.insert(score.into(), Value::from(-3));
            }
        }
    });
    let data = saydo::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(data.warnings.is_empty(), "{:?}", data.warnings);
    assert!(
        data.claims
            .iter()
            .chain(&data.actions)
            .all(|r| r.extra().quote_line.is_some())
    );
}

#[test]
fn validate_shows_where_each_record_is_still_a_draft() {
    let dir = dataset_of(&drafted_lines(), |_| {});
    let out = Saydo::new().arg("validate").arg(dir.path()).run();
    out.expect(0);
    let shown = out.out() + &out.stderr;
    assert_eq!(
        shown.matches("warning[draft-record]").count(),
        24,
        "{shown}"
    );
    // The first claim's mark: line 1 of the claims, after its fields.
    assert!(shown.contains("claims/draft.jsonl:1:"), "{shown}");
}

#[test]
fn the_same_text_gives_the_same_bytes_and_out_writes_them() {
    let run = || {
        let out = Saydo::new()
            .args(["draft", SEED, "--actors", "actors"])
            .current_dir(root())
            .run();
        out.expect(0);
        out.stdout
    };
    let first = run();
    assert_eq!(first, run());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.jsonl");
    Saydo::new()
        .args(["draft", SEED, "--actors", "actors", "--out"])
        .arg(&file)
        .current_dir(root())
        .run()
        .expect(0);
    assert_eq!(std::fs::read(&file).unwrap(), first);
    assert_eq!(entries(dir.path()), ["draft.jsonl"]);
}

#[test]
fn unreadable_text_or_invalid_actors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = Saydo::new()
        .args(["draft", "no-such-text.txt"])
        .current_dir(dir.path())
        .run();
    out.expect(2);
    assert!(
        out.stderr.contains("cannot read no-such-text.txt"),
        "{}",
        out.stderr
    );
    std::fs::write(dir.path().join("latin1.txt"), b"caf\xe9 said \"hi\".").unwrap();
    let out = Saydo::new()
        .args(["draft", "latin1.txt"])
        .current_dir(dir.path())
        .run();
    out.expect(2);
    assert!(out.stderr.contains("not UTF-8"), "{}", out.stderr);
    let out = Saydo::new()
        .args([
            "draft",
            SEED,
            "--actors",
            "tests/fixtures/acts-for-cycle/actors",
        ])
        .current_dir(root())
        .run();
    out.expect(2);
    assert!(out.stderr.contains("nothing drafted"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let out = Saydo::new()
        .args(["draft", SEED, "--actors", "no-such-folder"])
        .current_dir(root())
        .run();
    out.expect(2);
    // A dataset to measure against that is invalid: no draft written.
    let out = Saydo::new()
        .args(["draft", SEED, "--against", "tests/fixtures/bad-date-day"])
        .current_dir(root())
        .run();
    out.expect(2);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("bad-date"), "{}", out.stderr);
}

#[test]
fn the_bundled_draft_whole() {
    let out = Saydo::new()
        .args(["draft", SEED, "--actors", "actors"])
        .current_dir(root())
        .run();
    out.expect(0);
    insta::assert_snapshot!("bundled_draft", out.out());
}

#[test]
fn against_prints_the_numbers() {
    let out = Saydo::new()
        .args(["draft", SEED, "--actors", "actors", "--against", "."])
        .current_dir(root())
        .run();
    out.expect(0);
    assert!(
        out.stderr.contains("claims found 11/11 (missed: none); actions found 10/11 (missed: ardabil-cleric-insults-2025); drafts thrown away 1/23 (aliyev-made-clear-figure)"),
        "{}",
        out.stderr
    );
}
