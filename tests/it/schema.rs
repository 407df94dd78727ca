//! The checked-in JSON Schemas are the ones generated from the wire types,
//! and the JSON and JSON Lines reports validate against them. (That the
//! reports' fast writer writes exactly what the wire types describe is
//! tested in one place, beside it: `src/render/json/same_bytes.rs`.)

use saydo::Settings;
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
    assert!(
        checked_in("trend.schema.json") == saydo::schema::trend(),
        "schema/trend.schema.json is stale: run `cargo run -- schema trend > schema/trend.schema.json`"
    );
    assert!(
        checked_in("trend-line.schema.json") == saydo::schema::trend_line(),
        "schema/trend-line.schema.json is stale: run `cargo run -- schema trend-line > schema/trend-line.schema.json`"
    );
    assert!(
        checked_in("diff.schema.json") == saydo::schema::diff(),
        "schema/diff.schema.json is stale: run `cargo run -- schema diff > schema/diff.schema.json`"
    );
}

#[test]
fn trends_validate_against_their_schemas() {
    use saydo::render::trend::{TrendFormat, write};
    use saydo::report::trend::{Period, trend};
    let (json_schema, line_schema) = (
        validator("trend.schema.json"),
        validator("trend-line.schema.json"),
    );
    for dataset in datasets() {
        let data = saydo::load(&dataset).unwrap_or_else(|e| panic!("{:#?}", e.problems));
        for by in [Period::Month, Period::Quarter, Period::Year] {
            let t = trend(&data, Settings::default(), by);
            let (mut json, mut jsonl) = (Vec::new(), Vec::new());
            write(&t, TrendFormat::Json, 100, 0, &mut json).unwrap();
            write(&t, TrendFormat::Jsonl, 100, 0, &mut jsonl).unwrap();
            let value: Value = serde_json::from_slice(&json).unwrap();
            let what = dataset.display().to_string();
            assert_valid(&json_schema, &value, &what);
            assert_lines_valid(&line_schema, &jsonl, &what);
        }
    }
}

fn reports(dataset: &Path) -> (Vec<u8>, Vec<u8>) {
    let data = saydo::load(dataset).unwrap_or_else(|e| panic!("{:#?}", e.problems));
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

/// Fails with every place where `value` breaks `schema`, naming `what`.
fn assert_valid(schema: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = schema
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// [`assert_valid`] for every line of a JSON Lines text.
fn assert_lines_valid(schema: &jsonschema::Validator, jsonl: &[u8], what: &str) {
    for line in std::str::from_utf8(jsonl).unwrap().lines() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_valid(schema, &value, &format!("{what}: {line}"));
    }
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
        let what = dataset.display().to_string();
        assert_valid(&report_schema, &value, &what);
        assert_lines_valid(&line_schema, &jsonl, &what);
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
