//! The CI formats: SARIF (`--format sarif`) and JUnit XML (`--format junit`),
//! for reports and for validation problems.
//!
//! Snapshots pin the bytes; the rest checks what CI systems rely on, each
//! against something independent of the printers: SARIF against the official
//! SARIF 2.1.0 schema (schema/sarif-2.1.0.json, from oasis-tcs/sarif-spec),
//! JUnit by parsing it back with quick-xml, fingerprints by recomputing
//! FNV-1a here, and locations by reading the data files.

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use saydo::Invalid;
use saydo::Settings;
use saydo::model::Dataset;
use saydo::render::{json, junit, sarif};
use saydo::report::{self, Baseline, Filters, Report};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

// ---------------------------------------------------------------------------
// Datasets.

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(dir: &Path) -> Dataset {
    match saydo::load(dir) {
        Ok(d) => d,
        Err(e) => panic!("{} does not load: {:#?}", dir.display(), e.problems),
    }
}

fn check(data: &Dataset) -> Report<'_> {
    report::check(data, Settings::default(), Filters::default())
}

fn write_json(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// Text no printer should pass through unescaped.
const HOSTILE: &str = "<script>alert('x & y')</script> ]]> \"quoted\" 'single' \u{0}\u{1}\u{b}\u{c}\u{1f} ctrl\nnew line\r\nAzərbaycan — 🙂 \u{fffe}\u{ffff} [link](1)";

/// Claims file name with a space and a `#`; actions file with a `%`.
const HOSTILE_CLAIMS: &str = "claims/say #1 here.json";
const HOSTILE_ACTIONS: &str = "actions/deeds 100%.json";

/// A dataset whose texts, names, topics and file names are hostile: one
/// duplicity (warm-words × hostile-deed), one bluster (cold-words ×
/// kind-deed), two consistent pairs and one untested claim.
fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_json(
        &root.join("actors/actors.json"),
        &json!([
            {"id": "ruritania", "name": format!("Ruritania {HOSTILE}"), "kind": "state"},
            {"id": "elbonia", "name": "Elbonia 🙂", "kind": "state", "aliases": ["<E&>"]}
        ]),
    );
    let topic = "trade & <arms> \"quoted\"";
    write_json(
        &root.join(HOSTILE_CLAIMS),
        &json!([
            {"id": "warm-words", "actor": "ruritania", "target": "<E&>", "date": "2021-03",
             "topics": [topic], "stance": 7, "text": format!("warm {HOSTILE}")},
            {"id": "cold-words", "actor": "ruritania", "target": "elbonia", "date": "2021-04-02",
             "topics": [topic], "stance": -6, "text": format!("cold {HOSTILE}")},
            {"id": "quiet-words", "actor": "elbonia", "target": "ruritania", "date": "2021",
             "topics": ["fishing"], "stance": 5, "text": "🙂 nothing paired"}
        ]),
    );
    write_json(
        &root.join(HOSTILE_ACTIONS),
        &json!([
            {"id": "hostile-deed", "actor": "Ruritania", "target": "elbonia", "date": "2021-06",
             "topics": [topic], "effect": -7, "attribution": "reported", "text": format!("deed {HOSTILE}")},
            {"id": "kind-deed", "actor": "ruritania", "target": "elbonia", "date": "2021-07-14",
             "topics": [topic], "effect": 6, "text": "a kind deed & a <gift>"}
        ]),
    );
    dir
}

/// A dataset that does not validate: an unknown actor (with a did-you-mean
/// hint), a bad date, a score out of range, a duplicate id (with a note), an
/// unexpected file (a warning), and no actions/ folder (a problem of the
/// whole dataset). The claims file name has a space and a `#`.
fn broken() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_json(
        &root.join("actors/actors.json"),
        &json!([{"id": "ruritania", "name": "Ruritania", "kind": "state"}]),
    );
    write_json(
        &root.join("claims/bad #2 file.json"),
        &json!([
            {"id": "c-1", "actor": "ruritanya", "date": "2021-13", "stance": 12, "text": "<b>&</b>"},
            {"id": "c-1", "actor": "ruritania", "date": "2021", "stance": 1, "text": "again"}
        ]),
    );
    std::fs::write(root.join("claims/notes.txt"), "not data").unwrap();
    dir
}

fn invalid(dir: &Path) -> Invalid {
    match saydo::load(dir) {
        Ok(_) => panic!("{} should not validate", dir.display()),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------
// Printing.

fn sarif_of(report: &Report<'_>, prefix: &str, has_baseline: bool) -> String {
    let mut out = Vec::new();
    sarif::write(report, &mut out, prefix, has_baseline).unwrap();
    String::from_utf8(out).unwrap()
}

fn junit_of(report: &Report<'_>, prefix: &str) -> String {
    let mut out = Vec::new();
    junit::write(report, &mut out, prefix).unwrap();
    String::from_utf8(out).unwrap()
}

fn sarif_problems_of(e: &Invalid, prefix: &str) -> String {
    let mut out = Vec::new();
    sarif::write_problems(&e.problems, &e.files, prefix, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn junit_problems_of(e: &Invalid, prefix: &str) -> String {
    let mut out = Vec::new();
    junit::write_problems(&e.problems, &e.files, prefix, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn contradictions(report: &Report<'_>) -> usize {
    report.count(|p| p.verdict.is_contradiction())
}

// ---------------------------------------------------------------------------
// SARIF schema.

static SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let text = std::fs::read_to_string(repo().join("schema/sarif-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
});

fn schema_errors(log: &Value) -> Vec<String> {
    SCHEMA
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Parses a SARIF log and checks it against the schema.
fn valid_sarif(text: &str) -> Value {
    let log: Value = serde_json::from_str(text).expect("SARIF output is JSON");
    let errors = schema_errors(&log);
    assert!(
        errors.is_empty(),
        "SARIF does not match the schema:\n{}",
        errors.join("\n")
    );
    log
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

fn rules(log: &Value) -> &Vec<Value> {
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
}

// ---------------------------------------------------------------------------
// JUnit parsed back.

#[derive(Debug, Default)]
struct Junit {
    testcases: Vec<Vec<(String, String)>>,
    failures: Vec<Failure>,
    system_out: Vec<String>,
    /// Attributes of the root element.
    root: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct Failure {
    kind: String,
    message: String,
    text: String,
}

fn attributes(e: &quick_xml::events::BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                a.key.as_ref().to_string(),
                a.normalized_value(XmlVersion::Implicit1_0)
                    .expect("attribute value unescapes")
                    .into_owned(),
            )
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Reads every event to the end; panics on the first XML error.
fn parse_junit(xml: &str) -> Junit {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut parsed = Junit::default();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("XML error at {}: {e}", reader.error_position()));
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                open(&mut parsed, &name, &e);
                stack.push(name);
                text.clear();
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                open(&mut parsed, &name, &e);
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                match name.as_str() {
                    "failure" => parsed.failures.last_mut().unwrap().text = text.clone(),
                    "system-out" => parsed.system_out.push(text.clone()),
                    _ => {}
                }
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => {
                match r.resolve_char_ref().expect("valid character reference") {
                    Some(c) => text.push(c),
                    None => text.push_str(
                        quick_xml::escape::resolve_predefined_entity(&r)
                            .unwrap_or_else(|| panic!("unknown entity &{};", &*r)),
                    ),
                }
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    parsed
}

fn open(parsed: &mut Junit, name: &str, e: &quick_xml::events::BytesStart<'_>) {
    match name {
        "testsuites" => parsed.root = attributes(e),
        "testcase" => parsed.testcases.push(attributes(e)),
        "failure" => {
            let a = attributes(e);
            parsed.failures.push(Failure {
                kind: attr(&a, "type").unwrap_or_default().into(),
                message: attr(&a, "message").unwrap_or_default().into(),
                text: String::new(),
            });
        }
        _ => {}
    }
}

/// Characters XML 1.0 does not allow in a document.
fn forbidden_in_xml(c: char) -> bool {
    !matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

// ---------------------------------------------------------------------------
// Snapshots.

#[test]
fn sarif_of_the_bundled_dataset() {
    let data = load(repo());
    let text = sarif_of(&check(&data), "", false);
    insta::assert_snapshot!("sarif_bundled", text);
}

#[test]
fn junit_of_the_bundled_dataset() {
    let data = load(repo());
    let text = junit_of(&check(&data), "");
    insta::assert_snapshot!("junit_bundled", text);
}

#[test]
fn sarif_and_junit_of_hostile_text() {
    let dir = hostile();
    let data = load(dir.path());
    let report = check(&data);
    insta::assert_snapshot!("sarif_hostile", sarif_of(&report, "data sets/x", false));
    insta::assert_snapshot!("junit_hostile", junit_of(&report, "data sets/x"));
}

#[test]
fn sarif_and_junit_of_validation_problems() {
    let dir = broken();
    let e = invalid(dir.path());
    insta::assert_snapshot!("sarif_problems", sarif_problems_of(&e, ""));
    insta::assert_snapshot!("junit_problems", junit_problems_of(&e, ""));
}

// ---------------------------------------------------------------------------
// SARIF.

#[test]
fn the_schema_rejects_what_it_should() {
    // Without this, a schema that accepts everything would pass every test.
    let data = load(repo());
    let mut log: Value = serde_json::from_str(&sarif_of(&check(&data), "", false)).unwrap();
    assert!(schema_errors(&log).is_empty());
    let good = log.clone();
    log["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!schema_errors(&log).is_empty(), "an unknown level passed");
    let mut log = good.clone();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        json!("claims/say #1 here.json");
    assert!(!schema_errors(&log).is_empty(), "a URI with a space passed");
    let mut log = good.clone();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert!(!schema_errors(&log).is_empty(), "line 0 passed");
    let mut log = good;
    log["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(
        !schema_errors(&log).is_empty(),
        "a result without a message passed"
    );
}

#[test]
fn sarif_of_the_bundled_dataset_is_valid_and_complete() {
    let data = load(repo());
    let report = check(&data);
    let log = valid_sarif(&sarif_of(&report, "", false));
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "saydo");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let ids: Vec<&str> = rules(&log)
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["saydo/duplicity", "saydo/bluster"]);
    assert_eq!(rules(&log)[0]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules(&log)[1]["defaultConfiguration"]["level"], "warning");

    let flagged: Vec<_> = report
        .pairs
        .iter()
        .filter(|p| p.verdict.is_contradiction())
        .collect();
    assert!(!flagged.is_empty());
    assert_eq!(results(&log).len(), flagged.len());
    for (r, p) in results(&log).iter().zip(&flagged) {
        let claim = &data.claims[p.claim as usize];
        let action = &data.actions[p.action as usize];
        let kind = p.verdict.kind().unwrap().as_str();
        assert_eq!(r["ruleId"], format!("saydo/{kind}"));
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules(&log)[index]["id"], r["ruleId"]);
        assert_eq!(
            r["level"],
            if kind == "duplicity" {
                "error"
            } else {
                "warning"
            }
        );
        assert!(r.get("baselineState").is_none(), "no baseline was given");
        let text = r["message"]["text"].as_str().unwrap();
        assert!(
            text.contains(&*claim.id) && text.contains(&*action.id),
            "{text}"
        );
        assert!(
            text.contains("said by: ") && text.contains("when: "),
            "{text}"
        );
        assert_eq!(r["properties"]["claimId"], &*claim.id);
        assert_eq!(r["properties"]["actionId"], &*action.id);
        assert_eq!(r["properties"]["severity"], p.severity());
        assert_eq!(r["relatedLocations"][0]["id"], 1);
        assert!(
            r["relatedLocations"][0]["message"]["text"]
                .as_str()
                .unwrap()
                .contains(&*action.id)
        );
    }
}

/// The record a SARIF location points at: the text of its file from its
/// line and column on.
fn pointed_at(root: &Path, prefix: &str, location: &Value) -> String {
    let physical = &location["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
    let rel = percent_decode(uri);
    let rel = rel
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{rel} does not start with {prefix}"));
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let line = physical["region"]["startLine"].as_u64().unwrap() as usize;
    let column = physical["region"]["startColumn"].as_u64().unwrap() as usize;
    let line_text = text.lines().nth(line - 1).unwrap();
    line_text.chars().skip(column - 1).collect::<String>()
        + "\n"
        + &text.lines().skip(line).collect::<Vec<_>>().join("\n")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The id of the first record in a JSON text starting at `{`.
fn first_id(text: &str) -> String {
    assert!(
        text.starts_with('{'),
        "location is not at a record: {text:.40}"
    );
    let at = text.find("\"id\"").unwrap();
    let rest = &text[at + 4..];
    let start = rest.find('"').unwrap() + 1;
    let end = start + rest[start..].find('"').unwrap();
    rest[start..end].to_string()
}

#[test]
fn sarif_locations_point_at_the_claim_and_the_action() {
    for (root, prefix, _keep) in [(repo().to_path_buf(), "", None), {
        let dir = hostile();
        (dir.path().to_path_buf(), "data sets/x/", Some(dir))
    }] {
        let data = load(&root);
        let log = valid_sarif(&sarif_of(&check(&data), prefix, false));
        assert!(!results(&log).is_empty());
        for r in results(&log) {
            let claim = first_id(&pointed_at(&root, prefix, &r["locations"][0]));
            let action = first_id(&pointed_at(&root, prefix, &r["relatedLocations"][0]));
            assert_eq!(r["properties"]["claimId"], claim);
            assert_eq!(r["properties"]["actionId"], action);
        }
    }
}

#[test]
fn sarif_of_hostile_text_is_valid_with_encoded_uris() {
    let dir = hostile();
    let data = load(dir.path());
    let report = check(&data);
    assert_eq!(contradictions(&report), 2);
    let log = valid_sarif(&sarif_of(&report, "data sets/x", false));
    let rs = results(&log);
    assert_eq!(rs.len(), 2);
    let by_claim = |id: &str| {
        rs.iter()
            .find(|r| r["properties"]["claimId"] == id)
            .unwrap()
    };
    let duplicity = by_claim("warm-words");
    let bluster = by_claim("cold-words");
    assert_eq!(duplicity["ruleId"], "saydo/duplicity");
    assert_eq!(duplicity["level"], "error");
    assert_eq!(bluster["ruleId"], "saydo/bluster");
    assert_eq!(bluster["ruleIndex"], 1);
    assert_eq!(bluster["level"], "warning");
    assert_eq!(
        duplicity["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "data%20sets/x/claims/say%20%231%20here.json"
    );
    assert_eq!(
        duplicity["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "data%20sets/x/actions/deeds%20100%25.json"
    );
    // The words come through as they are: JSON escaping is all they need.
    let text = duplicity["message"]["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("said: \"warm {HOSTILE}\"")),
        "{text}"
    );
    assert!(
        text.contains(&format!("done: \"deed {HOSTILE}\"")),
        "{text}"
    );
}

/// SARIF 2.1.0 §3.11.5: `{N}` in a message string is a placeholder, so a
/// literal brace is written twice.
#[test]
fn sarif_messages_double_the_braces_of_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_json(
        &root.join("actors/actors.json"),
        &json!([
            {"id": "ruritania", "name": "Ruritania", "kind": "state"},
            {"id": "elbonia", "name": "Elbonia", "kind": "state"}
        ]),
    );
    write_json(
        &root.join("claims/c.json"),
        &json!([{"id": "warm", "actor": "ruritania", "target": "elbonia", "date": "2021",
                 "stance": 7, "text": "keep {0} and {{1}}"}]),
    );
    write_json(
        &root.join("actions/a.json"),
        &json!([{"id": "deed", "actor": "ruritania", "target": "elbonia", "date": "2021",
                 "effect": -7, "text": "broke {0}"}]),
    );
    let data = load(root);
    let report = check(&data);
    let log = valid_sarif(&sarif_of(&report, "", false));
    let result = &results(&log)[0];
    let text = result["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("said: \"keep {{0}} and {{{{1}}}}\""),
        "{text}"
    );
    assert!(text.contains("done: \"broke {{0}}\""), "{text}");
    let related = result["relatedLocations"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(related.ends_with(": broke {{0}}"), "{related}");

    // Validation problems quote the data too.
    write_json(
        &root.join("claims/c.json"),
        &json!([{"id": "warm", "actor": "Z{0}{{1}}", "date": "2021",
                 "stance": 7, "text": "t"}]),
    );
    let e = invalid(root);
    let log = valid_sarif(&sarif_problems_of(&e, ""));
    let texts: Vec<&str> = results(&log)
        .iter()
        .map(|r| r["message"]["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("\"Z{{0}}{{{{1}}}}\"")),
        "{texts:?}"
    );
    assert!(texts.iter().all(|t| !t.contains("Z{0}")), "{texts:?}");
}

/// The 1-based line and column (in characters) of a byte offset, counted
/// here from the file's text.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = 1 + before.matches('\n').count();
    let column = 1 + before.rsplit('\n').next().unwrap_or("").chars().count();
    (line, column)
}

#[test]
fn sarif_of_validation_problems_is_valid_and_placed() {
    let dir = broken();
    let e = invalid(dir.path());
    let log = valid_sarif(&sarif_problems_of(&e, "data sets/x"));
    let codes: Vec<String> = saydo::diag::Code::ALL
        .iter()
        .map(|c| format!("saydo/{}", c.as_str()))
        .collect();
    let ids: Vec<&str> = rules(&log)
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, codes);
    for (rule, code) in rules(&log).iter().zip(saydo::diag::Code::ALL) {
        assert_eq!(rule["shortDescription"]["text"], code.description());
    }
    let rs = results(&log);
    assert_eq!(rs.len(), e.problems.len());
    let mut seen = HashSet::new();
    for (r, d) in rs.iter().zip(&e.problems) {
        assert_eq!(r["ruleId"], format!("saydo/{}", d.code.as_str()));
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules(&log)[index]["id"], r["ruleId"]);
        assert_eq!(r["level"], d.severity.as_str());
        assert!(
            r["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with(&d.message)
        );
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("data%20sets/x/"), "{uri}");
        match d.file {
            Some(f) => {
                let text = std::fs::read_to_string(e.files.path(f)).unwrap();
                let (line, column) = line_col(&text, d.span.start);
                let (end_line, end_column) = line_col(&text, d.span.end);
                let region = &location["region"];
                assert_eq!(region["startLine"], line);
                assert_eq!(region["startColumn"], column);
                assert_eq!(region["endLine"], end_line);
                assert_eq!(region["endColumn"], end_column);
            }
            None => assert_eq!(uri, "data%20sets/x/"),
        }
        let fp = r["partialFingerprints"]["saydoProblem/v1"]
            .as_str()
            .unwrap();
        assert!(seen.insert(fp.to_string()), "fingerprint {fp} repeats");
    }
    let codes: HashSet<&str> = e.problems.iter().map(|d| d.code.as_str()).collect();
    for code in [
        "unknown-actor",
        "bad-date",
        "score-out-of-range",
        "duplicate-id",
        "unexpected-file",
        "missing-folder",
    ] {
        assert!(
            codes.contains(code),
            "the broken dataset lacks {code}: {codes:?}"
        );
    }
    let claims_file = rs.iter().find(|r| r["ruleId"] == "saydo/bad-date").unwrap();
    assert_eq!(
        claims_file["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "data%20sets/x/claims/bad%20%232%20file.json"
    );
    let duplicate = rs
        .iter()
        .find(|r| r["ruleId"] == "saydo/duplicate-id")
        .unwrap();
    assert_eq!(duplicate["relatedLocations"][0]["id"], 1);
}

/// FNV-1a 64, written again here from its definition.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 14_695_981_039_346_656_037;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(1_099_511_628_211);
    }
    h
}

fn fingerprints(log: &Value) -> Vec<String> {
    results(log)
        .iter()
        .map(|r| {
            r["partialFingerprints"]["saydoPair/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn fingerprints_are_stable_across_runs_and_places_and_differ_between_pairs() {
    let first = {
        let data = load(repo());
        valid_sarif(&sarif_of(&check(&data), "", false))
    };
    let second = {
        let data = load(repo());
        valid_sarif(&sarif_of(&check(&data), "", false))
    };
    // The same dataset elsewhere on disk, under another prefix.
    let copy = tempfile::tempdir().unwrap();
    for folder in ["actors", "claims", "actions", "seeds"] {
        let to = copy.path().join(folder);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(repo().join(folder)).unwrap() {
            let from = entry.unwrap().path();
            std::fs::copy(&from, to.join(from.file_name().unwrap())).unwrap();
        }
    }
    let moved = {
        let data = load(copy.path());
        valid_sarif(&sarif_of(&check(&data), "elsewhere", false))
    };
    let fps = fingerprints(&first);
    assert!(fps.len() > 1);
    assert_eq!(fps, fingerprints(&second));
    assert_eq!(fps, fingerprints(&moved));
    let distinct: HashSet<&String> = fps.iter().collect();
    assert_eq!(
        distinct.len(),
        fps.len(),
        "two pairs share a fingerprint: {fps:?}"
    );
    // The value is FNV-1a of the ids and kind, independent of the Rust version.
    for r in results(&first) {
        let kind = r["ruleId"].as_str().unwrap().trim_start_matches("saydo/");
        let key = format!(
            "{}\u{1f}{}\u{1f}{kind}",
            r["properties"]["claimId"].as_str().unwrap(),
            r["properties"]["actionId"].as_str().unwrap()
        );
        assert_eq!(
            r["partialFingerprints"]["saydoPair/v1"],
            format!("{:016x}", fnv1a(key.as_bytes()))
        );
    }
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
}

/// A report of the bundled dataset with a baseline read from `baseline`.
fn with_baseline<'d>(data: &'d Dataset, baseline: &[u8]) -> Report<'d> {
    let mut report = check(data);
    report.mark_known(&Baseline::parse(baseline).unwrap());
    report
}

fn json_report(report: &Report<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    json::write(report, &mut out).unwrap();
    out
}

#[test]
fn baselines_mark_results_new_or_unchanged() {
    let data = load(repo());
    let everything = json_report(&check(&data));

    // Every pair known: notes, unchanged.
    let report = with_baseline(&data, &everything);
    let log = valid_sarif(&sarif_of(&report, "", true));
    assert!(!results(&log).is_empty());
    for r in results(&log) {
        assert_eq!(r["baselineState"], "unchanged");
        assert_eq!(r["level"], "note");
    }

    // An empty baseline: everything is new, at its rule's level.
    let report = with_baseline(&data, br#"{"pairs": []}"#);
    let log = valid_sarif(&sarif_of(&report, "", true));
    for r in results(&log) {
        assert_eq!(r["baselineState"], "new");
        assert_eq!(r["level"], "error");
    }

    // One known pair among new ones.
    let mut partial: Value = serde_json::from_slice(&everything).unwrap();
    let first = partial["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["verdict"] == "contradiction")
        .unwrap()
        .clone();
    partial["pairs"] = json!([first]);
    let report = with_baseline(&data, &serde_json::to_vec(&partial).unwrap());
    let log = valid_sarif(&sarif_of(&report, "", true));
    let states: Vec<&str> = results(&log)
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states.iter().filter(|&&s| s == "unchanged").count(), 1);
    assert_eq!(
        states.iter().filter(|&&s| s == "new").count(),
        states.len() - 1
    );
    let known = results(&log)
        .iter()
        .find(|r| r["baselineState"] == "unchanged")
        .unwrap();
    assert_eq!(known["properties"]["claimId"], first["claim_id"]);
    assert_eq!(known["properties"]["actionId"], first["action_id"]);

    // JUnit: known pairs are not failures, but are noted.
    let parsed = parse_junit(&junit_of(&with_baseline(&data, &everything), ""));
    assert!(parsed.failures.is_empty());
    let notes = parsed
        .system_out
        .iter()
        .filter(|s| s.contains("known in the baseline"))
        .count();
    assert!(notes > 0);
    let parsed = parse_junit(&junit_of(&report, ""));
    assert_eq!(parsed.failures.len(), contradictions(&report) - 1);
}

// ---------------------------------------------------------------------------
// JUnit.

fn assert_junit_counts(xml: &str, report: &Report<'_>) -> Junit {
    let parsed = parse_junit(xml);
    assert_eq!(
        parsed.testcases.len(),
        report.claims.len(),
        "one test case per claim"
    );
    assert_eq!(
        parsed.failures.len(),
        contradictions(report),
        "one failure per contradiction"
    );
    let names: HashSet<(&str, &str)> = parsed
        .testcases
        .iter()
        .map(|a| (attr(a, "classname").unwrap(), attr(a, "name").unwrap()))
        .collect();
    assert_eq!(names.len(), parsed.testcases.len(), "test cases repeat");
    assert_eq!(
        attr(&parsed.root, "tests"),
        Some(&*report.claims.len().to_string())
    );
    let failing_claims: HashSet<u32> = report
        .pairs
        .iter()
        .filter(|p| p.verdict.is_contradiction())
        .map(|p| p.claim)
        .collect();
    assert_eq!(
        attr(&parsed.root, "failures"),
        Some(&*failing_claims.len().to_string())
    );
    for tc in &parsed.testcases {
        let claim = report
            .data
            .claims
            .iter()
            .find(|c| &*c.id == attr(tc, "name").unwrap())
            .unwrap();
        assert_eq!(
            attr(tc, "classname"),
            Some(report.data.actors[claim.actor as usize].id.as_str())
        );
        assert_eq!(attr(tc, "line"), Some(&*claim.at.line.to_string()));
    }
    for f in &parsed.failures {
        assert!(f.kind == "duplicity" || f.kind == "bluster", "{}", f.kind);
        assert!(
            f.text.starts_with(&f.message),
            "the text repeats the message"
        );
        assert!(f.text.lines().count() > 1, "the reasons follow, one a line");
    }
    parsed
}

#[test]
fn junit_of_the_bundled_dataset_parses_and_counts() {
    let data = load(repo());
    let report = check(&data);
    let parsed = assert_junit_counts(&junit_of(&report, "data"), &report);
    assert!(
        parsed
            .testcases
            .iter()
            .all(|tc| attr(tc, "file").unwrap().starts_with("data/claims/"))
    );
}

#[test]
fn junit_of_hostile_text_is_escaped() {
    let dir = hostile();
    let data = load(dir.path());
    let report = check(&data);
    let xml = junit_of(&report, "data sets/x");
    let parsed = assert_junit_counts(&xml, &report);

    // Nothing XML 1.0 forbids, and no markup from the data.
    let bad: Vec<char> = xml.chars().filter(|&c| forbidden_in_xml(c)).collect();
    assert!(bad.is_empty(), "forbidden characters: {bad:?}");
    assert!(!xml.contains("<script>") && !xml.contains("]]>"));

    // The words read back as written, forbidden characters as U+FFFD.
    let readable: String = HOSTILE
        .chars()
        .map(|c| if forbidden_in_xml(c) { '\u{FFFD}' } else { c })
        .collect();
    let duplicity = parsed
        .failures
        .iter()
        .find(|f| f.kind == "duplicity")
        .unwrap();
    assert!(
        duplicity
            .text
            .contains(&format!("said: \"warm {readable}\"")),
        "{}",
        duplicity.text
    );
    assert!(
        duplicity
            .text
            .contains("<script>alert('x & y')</script> ]]>")
    );
    assert!(parsed.failures.iter().any(|f| f.kind == "bluster"));
    let quiet = parsed
        .testcases
        .iter()
        .find(|tc| attr(tc, "name") == Some("quiet-words"))
        .unwrap();
    assert_eq!(attr(quiet, "classname"), Some("elbonia"));
    assert_eq!(
        attr(quiet, "file"),
        Some("data sets/x/claims/say #1 here.json")
    );
    assert!(
        parsed
            .system_out
            .iter()
            .any(|s| s.starts_with("verdict: untested"))
    );
}

#[test]
fn junit_of_validation_problems_parses_and_counts() {
    let dir = broken();
    let e = invalid(dir.path());
    let xml = junit_problems_of(&e, "");
    let parsed = parse_junit(&xml);
    let files: HashSet<_> = e.problems.iter().filter_map(|d| d.file).collect();
    // One test case for the dataset as a whole, one per file with problems.
    assert_eq!(parsed.testcases.len(), 1 + files.len());
    let errors = e.problems.iter().filter(|d| d.is_error()).count();
    assert_eq!(parsed.failures.len(), errors);
    // The dataset's own test case comes first.
    assert_eq!(attr(&parsed.testcases[0], "name"), Some("dataset"));
    let kinds: HashSet<&str> = parsed.failures.iter().map(|f| f.kind.as_str()).collect();
    let codes: HashSet<&str> = e
        .problems
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(kinds, codes);
    assert!(
        parsed
            .system_out
            .iter()
            .any(|s| s.contains("warning[unexpected-file]")),
        "warnings are noted, not failures"
    );
    assert!(
        parsed
            .testcases
            .iter()
            .any(|tc| attr(tc, "file") == Some("claims/bad #2 file.json"))
    );
    assert!(!xml.chars().any(forbidden_in_xml));
}

#[test]
fn valid_data_gives_a_passing_validation_report() {
    let data = load(repo());
    let mut out = Vec::new();
    junit::write_problems(&data.warnings, &data.files, "", &mut out).unwrap();
    let parsed = parse_junit(&String::from_utf8(out).unwrap());
    assert!(!parsed.testcases.is_empty());
    assert!(parsed.failures.is_empty());
    let mut out = Vec::new();
    sarif::write_problems(&data.warnings, &data.files, "", &mut out).unwrap();
    let log = valid_sarif(&String::from_utf8(out).unwrap());
    assert_eq!(results(&log).len(), data.warnings.len());
}

#[test]
fn the_same_data_gives_the_same_bytes() {
    let render = || {
        let data = load(repo());
        let report = check(&data);
        (sarif_of(&report, "", false), junit_of(&report, ""))
    };
    assert_eq!(render(), render());
}
