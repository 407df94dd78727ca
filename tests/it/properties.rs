//! Property tests of the invariants the README promises: severity stays in
//! (0, 1] and moves the right way with each input, and arbitrary text in a
//! dataset comes out of saydo's JSON, JSON Lines and CSV reports as it went
//! in (read by saydo's own JSON reader, written by its own writers, read
//! back by standard parsers; in CSV with its control characters escaped
//! for terminals) and never breaks out of HTML text or
//! attributes, XML, or the terminal.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use saydo::date::PartialDate;
use saydo::engine::rules::Settings;
use saydo::engine::score::{factors, severity};
use saydo::model::Attribution;
use saydo::report::{Filters, check};
use saydo::validate::load;
use serde_json::{Value, json};

fn date() -> impl Strategy<Value = PartialDate> {
    prop_oneof![
        (1990i32..2030).prop_map(|y| format!("{y}")),
        (1990i32..2030, 1u32..13).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
    ]
    .prop_map(|s| PartialDate::parse(&s).unwrap())
}

fn attribution() -> impl Strategy<Value = Attribution> {
    prop_oneof![
        Just(Attribution::Confirmed),
        Just(Attribution::Reported),
        Just(Attribution::Alleged),
        Just(Attribution::Disputed)
    ]
}

fn sev(s: f64, e: f64, a: Attribution, c: &PartialDate, x: &PartialDate) -> f64 {
    severity(&factors(s, e, a, c, x))
}

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
    fn severity_is_in_bounds(s in -10.0f64..=10.0, e in -10.0f64..=10.0, a in attribution(), c in date(), x in date()) {
        let v = sev(s, e, a, &c, &x);
        prop_assert!(v > 0.0 && v <= 1.0, "{v}");
    }

    #[test]
    fn severity_never_falls_with_stronger_words_or_deeds(
        s in -10.0f64..=10.0, e in -10.0f64..=10.0, more in 0.0f64..5.0, a in attribution(), c in date(), x in date(),
    ) {
        let base = sev(s, e, a, &c, &x);
        let louder_words = sev((s.abs() + more).min(10.0) * s.signum(), e, a, &c, &x);
        let harder_deed = sev(s, (e.abs() + more).min(10.0) * e.signum(), a, &c, &x);
        prop_assert!(louder_words >= base && harder_deed >= base);
    }

    #[test]
    fn severity_never_rises_with_weaker_attribution(s in -10.0f64..=10.0, e in -10.0f64..=10.0, c in date(), x in date()) {
        let by: Vec<f64> = [Attribution::Confirmed, Attribution::Reported, Attribution::Alleged, Attribution::Disputed]
            .into_iter()
            .map(|a| sev(s, e, a, &c, &x))
            .collect();
        prop_assert!(by.windows(2).all(|w| w[0] >= w[1]), "{by:?}");
    }

    #[test]
    fn severity_never_rises_with_distance(s in -10.0f64..=10.0, e in -10.0f64..=10.0, a in attribution(), c in date(), days in 0i32..2000, more in 1i32..400) {
        // The same deed (a day-precision date after the words), later.
        let day = |n: i32| PartialDate { first: c.last + n, last: c.last + n, precision: saydo::date::Precision::Day };
        prop_assert!(sev(s, e, a, &c, &day(days + more)) <= sev(s, e, a, &c, &day(days)));
    }

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
            prop_assert!(!cell.starts_with(saydo::render::escape::CSV_FORMULA_STARTS), "{name}: {cell:?}");
            prop_assert!(!cell.chars().any(saydo::render::escape::unsafe_in_terminal), "{name}: {cell:?}");
            // The documented way back: strip one leading apostrophe; control
            // characters stay written as visible escapes.
            let back = cell.strip_prefix('\'').unwrap_or(cell);
            prop_assert_eq!(back, saydo::render::escape::inert(text), "{}", name);
        }
    }

    #[test]
    fn text_never_breaks_out_of_html(text in "\\PC*|[<>&\"'`=/ a-z]*") {
        let escaped = saydo::render::escape::html(&text);
        prop_assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
        // Inside an attribute value or as text, the escaped form reads back as the text.
        let back = escaped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#96;", "`")
            .replace("&#61;", "=")
            .replace("&#x2028;", "\u{2028}")
            .replace("&#x2029;", "\u{2029}")
            .replace("&amp;", "&");
        prop_assert_eq!(back, text);
    }

    #[test]
    fn only_web_addresses_become_links(url in "\\PC*") {
        if let Some(link) = saydo::render::escape::web_url(&url) {
            let lower = link.to_ascii_lowercase();
            prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
        }
    }

    #[test]
    fn text_never_carries_control_characters_to_a_terminal(text in "\\PC*|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{202e}a]*") {
        let shown = saydo::render::escape::inert(&text);
        prop_assert!(!shown.chars().any(|c| c.is_control() || c == '\u{202e}'), "{shown:?}");
    }

    #[test]
    fn text_never_breaks_out_of_xml(text in "\\PC*|[<>&\"'\u{0}-\u{1f}\u{fffe}]*") {
        let escaped = saydo::render::escape::xml_attr(&text);
        let doc = format!("<a b=\"{escaped}\">{}</a>", saydo::render::escape::xml_text(&text));
        let mut reader = quick_xml::Reader::from_str(&doc);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => prop_assert!(false, "{e}: {doc:?}"),
            }
        }
    }
}
