//! The checked-in JSON Schemas are the ones generated from the wire types,
//! and the JSON and JSON Lines reports validate against them.

use saydo::engine::rules::Settings;
use saydo::report::{self, Filters};
use serde_json::Value;
use std::path::{Path, PathBuf};

use crate::support::root;

fn checked_in(name: &str) -> String {
    std::fs::read_to_string(root().join("schema").join(name)).unwrap()
}

#[test]
fn checked_in_schemas_are_current() {
    assert!(
        checked_in("report.schema.json") == saydo::schema::report(),
        "schema/report.schema.json is stale: run `cargo run -- schema report > schema/report.schema.json`"
    );
    assert!(
        checked_in("report-line.schema.json") == saydo::schema::line(),
        "schema/report-line.schema.json is stale: run `cargo run -- schema line > schema/report-line.schema.json`"
    );
}

fn reports(dataset: &Path) -> (Vec<u8>, Vec<u8>) {
    let data = saydo::validate::load(dataset).unwrap_or_else(|e| panic!("{:#?}", e.problems));
    let r = report::check(&data, Settings::default(), Filters::default());
    let (mut json, mut jsonl) = (Vec::new(), Vec::new());
    saydo::render::json::write(&r, &mut json).unwrap();
    saydo::render::jsonl::write(&r, &mut jsonl).unwrap();
    (json, jsonl)
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&checked_in(name)).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn datasets() -> Vec<PathBuf> {
    let mut out = vec![
        root(),
        root().join("tests/fixtures/valid"),
        root().join("tests/fixtures/no-actors-folder"),
    ];
    let hostile = root().join("tests/fixtures/hostile");
    if hostile.is_dir() {
        out.push(hostile);
    }
    out
}

#[test]
fn reports_validate_against_their_schemas() {
    let report_schema = validator("report.schema.json");
    let line_schema = validator("report-line.schema.json");
    for dataset in datasets() {
        let (json, jsonl) = reports(&dataset);
        let value: Value = serde_json::from_slice(&json).unwrap();
        let errors: Vec<String> = report_schema
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", dataset.display());
        for line in String::from_utf8(jsonl).unwrap().lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            let errors: Vec<String> = line_schema
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{}: {line}: {errors:#?}",
                dataset.display()
            );
        }
    }
}

#[test]
fn the_schema_rejects_a_broken_report() {
    let report_schema = validator("report.schema.json");
    let (json, _) = reports(&root());
    let mut value: Value = serde_json::from_slice(&json).unwrap();
    assert!(report_schema.is_valid(&value));
    value["pairs"][0]["verdict"] = "maybe".into();
    assert!(
        !report_schema.is_valid(&value),
        "an unknown verdict must not validate"
    );
    let mut value: Value = serde_json::from_slice(&json).unwrap();
    value["pairs"][0]
        .as_object_mut()
        .unwrap()
        .remove("severity");
    assert!(
        !report_schema.is_valid(&value),
        "a pair without severity must not validate"
    );
}

#[test]
fn hand_written_pairs_are_byte_for_byte_what_serde_writes() {
    for dataset in datasets() {
        let data = saydo::validate::load(&dataset).unwrap();
        let mut r = report::check(&data, Settings::default(), Filters::default());
        let compare = |r: &saydo::report::Report<'_>| {
            let escapes = saydo::render::json::Escapes::new(r);
            let writer = saydo::render::json::PairWriter::new(r, &escapes);
            for i in 0..r.pairs.len() {
                same_as_serde(
                    dataset.display(),
                    &saydo::render::json::pair_json(r, i),
                    |buf| writer.write(i, buf),
                );
            }
        };
        compare(&r);
        // With every pair known to a baseline.
        let mut json = Vec::new();
        saydo::render::json::write(&r, &mut json).unwrap();
        r.mark_known(&saydo::engine::baseline::Baseline::parse(&json).unwrap());
        assert!(r.pairs.is_empty() || r.is_known(0));
        compare(&r);
    }
}

/// Asserts that `write` writes exactly what serde writes for `value`
/// (`what` names it in a failure).
fn same_as_serde(
    what: impl std::fmt::Display,
    value: &impl serde::Serialize,
    write: impl FnOnce(&mut Vec<u8>),
) {
    let mut fast = Vec::new();
    write(&mut fast);
    let slow = serde_json::to_vec(value).unwrap();
    assert_eq!(
        String::from_utf8(fast).unwrap(),
        String::from_utf8(slow).unwrap(),
        "{what}"
    );
}

#[test]
fn hand_written_claims_and_actions_are_byte_for_byte_what_serde_writes() {
    use saydo::render::json::{Escapes, action_json, claim_json, write_action, write_claim};
    let mut seen_responses = false;
    for dataset in datasets() {
        let data = saydo::validate::load(&dataset).unwrap();
        let r = report::check(&data, Settings::default(), Filters::default());
        let escapes = Escapes::new(&r);
        for c in &r.claims {
            same_as_serde(dataset.display(), &claim_json(&r, c), |buf| {
                write_claim(&r, &escapes, c, buf)
            });
        }
        // Every action, paired or not.
        for a in 0..data.actions.len() as u32 {
            let value = action_json(&r, a);
            seen_responses |= !value.responds_to.is_empty();
            same_as_serde(dataset.display(), &value, |buf| {
                write_action(&r, &escapes, a, buf)
            });
        }
    }
    assert!(seen_responses, "some action with responds_to was compared");
}
