//! Property tests of the invariants the README promises: arbitrary text in
//! a dataset comes out of saydo's JSON, JSON Lines and CSV reports as it
//! went in (read by saydo's own JSON reader, written by its own writers,
//! read back by standard parsers; in CSV with its control characters
//! escaped for terminals). The properties of severity are tested with the
//! scoring (`engine/score.rs`), and those of each escape with the escapes
//! (`render/escape.rs`).

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use saydo::report::{Filters, check};
use saydo::{Settings, load};
use serde_json::{Value, json};

use crate::support::{acts_on_terminals, terminal_escaped};

/// Text as a dataset may hold it: any printable text; text full of what
/// JSON, CSV and HTML must escape; and plain text with one character that
/// JSON must escape at any offset (saydo's JSON writer looks for them
/// sixteen bytes at a time).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC*",
        "[\"\\\\\u{0}-\u{1f}\u{7f}\u{80}-\u{9f}\u{202a}-\u{202e}\u{2028}\u{2029},;'=+@<>& a-zé\\-]*",
        ("[a-zé ]{0,40}", "[\"\\\\\u{0}-\u{1f}]", "[a-z]{0,40}")
            .prop_map(|(a, b, c)| format!("{a}{b}{c}")),
    ]
}

/// A dataset in a temporary folder with one claim (its text and notes as
/// given) and one action (its text as given) that meet: the files are
/// written by serde_json, and read by saydo's own JSON reader.
fn dataset_with_texts(claim: &str, notes: &str, action: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |sub: &str, value: Value| {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("data.json"),
            serde_json::to_vec(&value).unwrap(),
        )
        .unwrap();
    };
    write(
        "actors",
        json!([
            {"id": "land", "name": "Land", "kind": "state"},
            {"id": "other", "name": "Other", "kind": "state"}
        ]),
    );
    write(
        "claims",
        json!([{"id": "c1", "actor": "land", "date": "2020-01-01", "target": "other",
                "topics": ["t"], "stance": 6, "text": claim, "notes": notes}]),
    );
    write(
        "actions",
        json!([{"id": "a1", "actor": "land", "date": "2020-02-01", "target": "other",
                "topics": ["t"], "effect": -5, "text": action}]),
    );
    dir
}

proptest! {
    #[test]
    fn text_round_trips_through_the_json_reports(claim in text(), notes in text(), action in text()) {
        let dir = dataset_with_texts(&claim, &notes, &action);
        let data = load(dir.path()).expect("the dataset loads");
        let report = check(&data, Settings::default(), Filters::default());
        prop_assert_eq!(report.pairs.len(), 1, "the claim and the action meet");

        let mut json = Vec::new();
        saydo::render::json::write(&report, &mut json).unwrap();
        let doc: Value = serde_json::from_slice(&json)
            .map_err(|e| TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(&json))))?;
        prop_assert_eq!(&doc["claims"][0]["text"], &Value::from(claim.as_str()));
        prop_assert_eq!(&doc["claims"][0]["notes"], &Value::from(notes.as_str()));
        prop_assert_eq!(&doc["actions"][0]["text"], &Value::from(action.as_str()));

        let mut jsonl = Vec::new();
        saydo::render::jsonl::write(&report, &mut jsonl).unwrap();
        let lines = jsonl
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(serde_json::from_slice::<Value>)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(&jsonl))))?;
        let claim_line = lines.iter().find(|l| l["type"] == "claim").unwrap();
        prop_assert_eq!(&claim_line["text"], &Value::from(claim.as_str()));
        prop_assert_eq!(&claim_line["notes"], &Value::from(notes.as_str()));
    }

    #[test]
    fn text_round_trips_through_the_csv_report_escaped_and_never_starts_a_formula(claim in text(), action in text()) {
        let dir = dataset_with_texts(&claim, "", &action);
        let data = load(dir.path()).expect("the dataset loads");
        let report = check(&data, Settings::default(), Filters::default());
        prop_assert_eq!(report.pairs.len(), 1, "the claim and the action meet");
        let mut bytes = Vec::new();
        saydo::render::csv::write(&report, &mut bytes).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header = reader.headers().unwrap().clone();
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        let rows = reader.records().collect::<Result<Vec<_>, _>>().unwrap();
        prop_assert_eq!(rows.len(), 1);
        for (name, text) in [("claim_text", &claim), ("action_text", &action)] {
            let cell = &rows[0][column(name)];
            prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{name}: {cell:?}");
            prop_assert!(!cell.chars().any(acts_on_terminals), "{name}: {cell:?}");
            // The documented way back: strip one leading apostrophe; control
            // characters stay written as visible escapes.
            let back = cell.strip_prefix('\'').unwrap_or(cell);
            prop_assert_eq!(back, terminal_escaped(text), "{}", name);
        }
    }


}
