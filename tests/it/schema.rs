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
    assert!(
        checked_in("explain.schema.json") == saydo::schema::explain(),
        "schema/explain.schema.json is stale: run `cargo run -- schema explain > schema/explain.schema.json`"
    );
}

/// `saydo schema KIND` prints the checked-in schema of each kind.
#[test]
fn saydo_schema_prints_each_checked_in_schema() {
    for (kind, file) in [
        ("report", "report.schema.json"),
        ("line", "report-line.schema.json"),
        ("trend", "trend.schema.json"),
        ("trend-line", "trend-line.schema.json"),
        ("diff", "diff.schema.json"),
        ("explain", "explain.schema.json"),
    ] {
        let r = crate::support::Saydo::new().args(["schema", kind]).run();
        r.expect(0);
        assert!(r.out() == checked_in(file), "saydo schema {kind}");
    }
}

/// `saydo explain --format json` of `args` in `dir`, decoded.
fn explanation(dir: &Path, args: &[&str]) -> Value {
    let r = crate::support::Saydo::new()
        .current_dir(dir)
        .args(["explain", "--format", "json"])
        .args(args)
        .run();
    r.expect(0);
    serde_json::from_str(&r.out()).unwrap()
}

/// Every kind of explanation: a claim with pairs of several verdicts, one
/// pair, a pair not made, a claim paired with nothing, claims about the
/// future and the past, and the hostile fixture's texts.
#[test]
fn explanations_validate_against_their_schema() {
    let schema = validator("explain.schema.json");
    let about = root().join("tests/fixtures/about");
    let mut cases: Vec<(PathBuf, String)> = [
        (root(), "raisi-karabakh-pledge"),
        (root(), "raisi-karabakh-pledge ardabil-cleric-insults-2025"),
        (root(), "khamenei-liberated ardabil-cleric-insults-2025"),
        (about.clone(), "c1"),
        (about.clone(), "c2 a1"),
        (about.clone(), "c3"),
        (about, "c3 a1"),
    ]
    .into_iter()
    .map(|(dir, ids)| (dir, ids.to_string()))
    .collect();
    let hostile = root().join("tests/fixtures/hostile");
    if hostile.is_dir() {
        let data = saydo::load(&hostile).unwrap_or_else(|e| panic!("{:#?}", e.problems));
        let first = data.claims[0].id.to_string();
        cases.push((hostile, first));
    }
    let mut kinds = std::collections::BTreeSet::new();
    for (dir, ids) in &cases {
        let args: Vec<&str> = ids.split(' ').collect();
        let value = explanation(dir, &args);
        assert_valid(&schema, &value, &format!("{}: {args:?}", dir.display()));
        kinds.insert((
            value["pairs"].as_array().unwrap().is_empty(),
            value["not_paired"].is_null(),
        ));
    }
    // Pairs and no reasons, no pairs and reasons, neither.
    assert_eq!(kinds.len(), 3, "{kinds:?}");
}

#[test]
fn the_schema_rejects_a_broken_explanation() {
    let schema = validator("explain.schema.json");
    let good = explanation(&root(), &["raisi-karabakh-pledge"]);
    assert!(schema.is_valid(&good));
    let mut value = good.clone();
    value["pairs"][0]["verdict"] = "maybe".into();
    assert!(
        !schema.is_valid(&value),
        "an unknown verdict must not validate"
    );
    let mut value = good.clone();
    value["pairs"][0]["factors"]
        .as_object_mut()
        .unwrap()
        .remove("proximity");
    assert!(
        !schema.is_valid(&value),
        "factors without proximity must not validate"
    );
    let mut value = good;
    value["window"]["from"] = 20230502.into();
    assert!(!schema.is_valid(&value), "a day is a string");
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
