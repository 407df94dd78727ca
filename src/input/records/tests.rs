//! The reader of claims and actions, held to its oracle: on any text,
//! valid or not, it must return and report exactly what reading field by
//! field through the spanned reader alone does (`oracle.rs`).

use super::*;
use crate::diag::Diagnostic;
use crate::input::json::{Reader, SyntaxError};
use crate::input::source::FileId;
use crate::model::About;
use proptest::prelude::*;
use std::cell::Cell;
use std::sync::LazyLock;

thread_local! {
    /// How many values the reader of records has handed to the spanned
    /// reader on this thread (counted by `FieldReader::slow`).
    pub(super) static SLOW_VALUES: Cell<usize> = const { Cell::new(0) };
}

/// A reader of `text` from its start, reporting into `diags`.
fn reader<'a, 'd>(text: &'a str, diags: &'d mut Vec<Diagnostic>) -> FieldReader<'a, 'd> {
    FieldReader::new(Reader::new(text), 0, FileId(0), diags)
}

fn read_claim(text: &str) -> (RawRecord<'_>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let rec = reader(text, &mut diags).record(RecordKind::Claim).unwrap();
    (rec, diags)
}

#[test]
fn field_names_are_told_apart_exactly() {
    // Every field of either list, each once.
    let mut names: Vec<&str> = CLAIM_FIELDS.iter().chain(ACTION_FIELDS).copied().collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 14);
    for name in names {
        let f = Field::of(name).unwrap_or_else(|| panic!("{name} is a field"));
        assert_eq!(f.name(), name);
        for (kind, list) in [
            (RecordKind::Claim, CLAIM_FIELDS),
            (RecordKind::Action, ACTION_FIELDS),
        ] {
            assert_eq!(f.belongs_to(kind), list.contains(&name), "{name}");
        }
        // Any one byte changed, one more or one fewer: no field.
        for i in 0..name.len() {
            let mut wrong = name.as_bytes().to_vec();
            wrong[i] = b'X';
            assert_eq!(Field::of(std::str::from_utf8(&wrong).unwrap()), None);
        }
        assert_eq!(Field::of(&format!("{name}s")), None);
        assert_eq!(Field::of(&name[1..]), None);
    }
    assert_eq!(Field::of(""), None);
    assert_eq!(Field::of("ID"), None);
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn reads_a_complete_claim() {
    let (rec, diags) = read_claim(
        r#"{"id":"c-1","actor":"Land","date":"2021-08","text":"t","stance":5,
            "topics":["Trade Deals"],"target":null,"extra":{"kept":[1]},
            "source":{"document":"seeds/a.txt","quote":"q","url":"https://x"}}"#,
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert!(!rec.broken);
    assert_eq!(rec.id.unwrap().0, "c-1");
    assert_eq!(rec.topics, ["Trade Deals"]);
    assert_eq!(rec.score, Some(5.0));
    assert_eq!(rec.quote.unwrap().0, "q");
    assert!(rec.target.is_none());
}

#[test]
fn reports_every_problem_of_a_record_at_its_value() {
    let text = r#"{"id":"C 1","actor":7,"date":"2021-13","text":"t","stance":11}"#;
    let (rec, diags) = read_claim(text);
    assert!(rec.broken);
    assert_eq!(
        codes(&diags),
        ["bad-id", "wrong-type", "bad-date", "score-out-of-range"]
    );
    assert_eq!(&text[diags[1].span.clone()], "7");
    assert_eq!(&text[diags[2].span.clone()], "\"2021-13\"");
    assert_eq!(&text[diags[3].span.clone()], "11");
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("ids use lower-case letters, digits and '-', e.g. \"c-1\"")
    );
}

#[test]
fn missing_fields_point_at_the_record_and_hint_at_the_folder() {
    let (_, diags) = read_claim(r#"{"id":"c","actor":"a","date":"2021","text":"t","effect":3}"#);
    assert_eq!(codes(&diags), ["missing-field"]);
    assert_eq!(diags[0].span, 0..1);
    assert!(diags[0].hint.as_ref().unwrap().contains("right folder"));
}

#[test]
fn typos_of_fields_are_warned_and_duplicates_are_errors() {
    let (_, diags) = read_claim(
        r#"{"id":"c","actor":"a","date":"2021","text":"t","stance":1,"stance":2,"tpics":[]}"#,
    );
    assert_eq!(codes(&diags), ["duplicate-field", "unknown-field"]);
    assert_eq!(diags[1].hint.as_deref(), Some("did you mean `topics`?"));
}

fn read_action(text: &str) -> (RawRecord<'_>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let rec = reader(text, &mut diags).record(RecordKind::Action).unwrap();
    (rec, diags)
}

#[test]
fn a_claims_about_is_future_past_null_or_absent() {
    let claim = |about: &str| {
        format!(r#"{{"id":"c","actor":"a","date":"2021","text":"t","stance":1{about}}}"#)
    };
    for (member, expected) in [
        ("", About::Any),
        (r#","about":null"#, About::Any),
        (r#","about":"future""#, About::Future),
        (r#","about" : "past""#, About::Past),
        (r#","about":"p\u0061st""#, About::Past),
    ] {
        let text = claim(member);
        let (rec, diags) = read_claim(&text);
        assert!(diags.is_empty(), "{text}: {diags:?}");
        assert_eq!(rec.about, expected, "{text}");
        agree(&text, 0, 0).unwrap();
    }
}

#[test]
fn an_unknown_about_is_warned_at_its_value_and_ignored() {
    // Not an error: a dataset may carry `about` as its own note, from
    // before saydo read the field, and must keep loading.
    let text = r#"{"id":"c","actor":"a","date":"2021","text":"t","stance":1,"about":"futur"}"#;
    let (rec, diags) = read_claim(text);
    assert!(!rec.broken);
    assert_eq!(rec.about, About::Any);
    assert_eq!(codes(&diags), ["unknown-field"]);
    assert_eq!(diags[0].severity, crate::diag::Severity::Warning);
    assert_eq!(&text[diags[0].span.clone()], "\"futur\"");
    assert_eq!(
        diags[0].message,
        "about \"futur\" is not one of future, past: the field is ignored, and the claim meets deeds before and after it"
    );
    assert_eq!(
        diags[0].hint.as_deref(),
        Some(
            "did you mean \"future\"? `about` is \"future\" (deeds from the words' first day on) or \"past\" (deeds up to their last day), or left out (both)"
        )
    );
    agree(text, 0, 0).unwrap();
    // Nothing near: the values only.
    let text = text.replace("futur", "always");
    let (_, diags) = read_claim(&text);
    assert_eq!(codes(&diags), ["unknown-field"]);
    assert!(
        diags[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("`about` is \"future\"")
    );
    // Not a string (a note of the dataset's own): ignored as well.
    for value in ["1", "{\"note\":\"x\"}", "[\"future\"]"] {
        let text = text.replace("\"always\"", value);
        let (rec, diags) = read_claim(&text);
        assert!(!rec.broken, "{text}");
        assert_eq!(codes(&diags), ["unknown-field"], "{text}");
        assert_eq!(&text[diags[0].span.clone()], value);
        agree(&text, 0, 0).unwrap();
    }
}

#[test]
fn a_draft_mark_is_warned_at_its_key_and_the_record_kept() {
    let text = r#"{"id":"c","actor":"a","date":"2021","text":"t","stance":1,"draft":{"confidence":0.5,"why":"w"}}"#;
    let (rec, diags) = read_claim(text);
    assert!(!rec.broken);
    assert_eq!(rec.score, Some(1.0));
    assert_eq!(codes(&diags), ["draft-record"]);
    assert_eq!(diags[0].severity, crate::diag::Severity::Warning);
    assert_eq!(&text[diags[0].span.clone()], "\"draft\"");
    agree(text, 0, 0).unwrap();
    let action = text.replace("stance", "effect");
    assert_eq!(codes(&read_action(&action).1), ["draft-record"]);
    agree(&action, 0, 0).unwrap();
    // Whatever the mark holds; `null` is no mark.
    let (_, diags) = read_claim(&text.replace(r#"{"confidence":0.5,"why":"w"}"#, "true"));
    assert_eq!(codes(&diags), ["draft-record"]);
    let unmarked = text.replace(r#"{"confidence":0.5,"why":"w"}"#, "null");
    assert_eq!(codes(&read_claim(&unmarked).1), Vec::<&str>::new());
    agree(&unmarked, 0, 0).unwrap();
}

#[test]
fn about_in_an_action_is_warned_at_its_key_and_ignored() {
    let text = r#"{"id":"a","actor":"a","date":"2021","text":"t","effect":1,"about":"past"}"#;
    let (rec, diags) = read_action(text);
    assert!(!rec.broken);
    assert_eq!(rec.about, About::Any);
    assert_eq!(codes(&diags), ["unknown-field"]);
    assert_eq!(diags[0].severity, crate::diag::Severity::Warning);
    assert_eq!(&text[diags[0].span.clone()], "\"about\"");
    assert_eq!(
        diags[0].message,
        "`about` is a field of claims; in an action it is ignored"
    );
    // Whatever its value, even one a claim could not have.
    let text = text.replace("\"past\"", "[1]");
    assert_eq!(codes(&read_action(&text).1), ["unknown-field"]);
    agree(&text, 0, 0).unwrap();
}

/// What reading one record gave: the record, or the syntax error that
/// stopped it; where the reader stopped; the problems reported.
type Outcome<'a> = (Result<RawRecord<'a>, SyntaxError>, usize, Vec<Diagnostic>);

/// Reads `text` as a record of `kind`, `depth` arrays and objects deep
/// (which count towards the nesting limit), with spans `base` bytes into
/// their file: by the oracle or by the reader, which is handed a vector
/// of topics to reuse that still holds the last record's.
fn outcome(text: &str, kind: RecordKind, depth: u32, base: usize, oracle: bool) -> Outcome<'_> {
    let mut diags = Vec::new();
    let r = Reader::nested(text, 0, depth);
    let mut fr = FieldReader::new(r, base, FileId(0), &mut diags);
    let read = if oracle {
        fr.record_field_by_field(kind)
    } else {
        fr.record_reusing(kind, vec![Cow::Borrowed("stale")])
    };
    let at = fr.r.pos();
    (read.map_err(|e| *e), at, diags)
}

/// Requires the reader and the oracle to agree on `text`, as either kind.
fn agree(text: &str, depth: u32, base: usize) -> Result<(), TestCaseError> {
    for kind in [RecordKind::Claim, RecordKind::Action] {
        let one = outcome(text, kind, depth, base, false);
        let oracle = outcome(text, kind, depth, base, true);
        prop_assert_eq!(one, oracle, "{:?} {}", kind, text);
    }
    Ok(())
}

/// A list of `n` one-letter strings.
fn list_of(n: usize) -> String {
    format!("[{}]", vec!["\"a\""; n].join(","))
}

static LONGEST_LIST: LazyLock<String> = LazyLock::new(|| list_of(MAX_LIST_ITEMS));
static TOO_LONG_LIST: LazyLock<String> = LazyLock::new(|| list_of(MAX_LIST_ITEMS + 1));
static TOO_LONG_STRING: LazyLock<String> =
    LazyLock::new(|| format!("\"{}\"", "a".repeat(MAX_STRING_BYTES + 1)));

/// A key: every field, annotations, typos of fields, a field spelled with
/// an escape.
fn key() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("id"),
        Just("actor"),
        Just("date"),
        Just("text"),
        Just("target"),
        Just("topics"),
        Just("stance"),
        Just("about"),
        Just("effect"),
        Just("attribution"),
        Just("responds_to"),
        Just("source"),
        Just("notes"),
        Just("draft"),
        Just("x_coder"),
        Just("iid"),
        Just("tpics"),
        Just("abut"),
        Just("\\u0069d"),
        Just("Text"),
        Just("a\\\"b"),
    ]
}

/// A value: usual ones, and every kind of unusual one (wrong types,
/// escapes, bad dates, ids, attributions and abouts, scores out of range, bad
/// lists and sources, too long ones), a few of them not JSON.
fn value() -> BoxedStrategy<&'static str> {
    let strings = prop_oneof![
        Just("\"a-1\""),
        Just("\"Bad Id\""),
        Just("\"Ruler of X\""),
        Just("\"\""),
        Just("\"2021\""),
        Just("\"2021-08-15\""),
        Just("\"2021-02-30\""),
        Just("\"say \\\"hi\\\"\""),
        Just("\"caf\\u00e9\""),
        Just("\"caf\u{e9}\""),
        Just("\"confirmed\""),
        Just("\"confirmd\""),
        Just("\"alleged\""),
        Just("\"future\""),
        Just("\"past\""),
        Just("\"futur\""),
        Just("\"Past\""),
        Just("\"p\\u0061st\""),
    ];
    let others = prop_oneof![
        Just("null"),
        Just("true"),
        Just("0"),
        Just("-3.5"),
        Just("10"),
        Just("11"),
        Just("1e2"),
        Just("1e400"),
        Just("-0"),
    ];
    let lists = prop_oneof![
        Just("[]"),
        Just("[ ]"),
        Just("[\"Trade\", \"x y\"]"),
        Just("[ \"a\" ,\n\"b\" ]"),
        Just("[\"a\",1]"),
        Just("[\"a\",null]"),
        Just("[\"a\\u0062\"]"),
        Just("[[\"a\"]]"),
    ];
    let objects = prop_oneof![
        Just("{}"),
        Just("{ }"),
        Just("{\"url\":\"u\"}"),
        Just("{ \"document\" : \"d\" , \"quote\" : null }"),
        Just("{\"document\":\"d\",\"quote\":\"q\",\"url\":\"u\"}"),
        Just("{\"quote\":\"a\\\"b\"}"),
        Just("{\"url\":1}"),
        Just("{\"x\":[1,{\"y\":2}]}"),
        Just("{\"urll\":\"u\"}"),
        Just("{\"url\":\"u\",\"url\":\"v\"}"),
        Just("{\"u\\u0072l\":\"u\"}"),
    ];
    // Costly to read, so seldom.
    let too_long = prop_oneof![
        Just(LONGEST_LIST.as_str()),
        Just(TOO_LONG_LIST.as_str()),
        Just(TOO_LONG_STRING.as_str()),
    ];
    let not_json = prop_oneof![
        Just("\"tab\there\""),
        Just("\"a\\qb\""),
        Just("\"\\ud800\""),
        Just("\"open"),
        Just("nul"),
        Just("nullx"),
        Just("01"),
        Just("1."),
        Just("-"),
        Just(""),
        Just("[\"a\",]"),
        Just("[\"a\" \"b\"]"),
        Just("[\"a\""),
        Just("{\"url\":\"u\",}"),
        Just("{\"url\" \"u\"}"),
        Just("{\"url\":\"u\""),
    ];
    // Boxed, as are the strategies made of it: their value trees are
    // large, and a test thread's stack is small.
    prop_oneof![
        16 => strings,
        8 => others,
        8 => lists,
        8 => objects,
        2 => not_json,
        1 => too_long,
    ]
    .boxed()
}

/// Whitespace, or none.
fn space() -> impl Strategy<Value = &'static str> {
    prop_oneof![4 => Just(""), 1 => Just(" "), 1 => Just("\n\t ")]
}

/// What comes before a member other than the first: nearly always a
/// comma.
fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        200 => Just(","),
        10 => Just(" ,\r\n"),
        1 => Just(""),
        1 => Just(",,"),
        1 => Just(";"),
    ]
}

/// A member: its separator, key and value (and the colon between,
/// nearly always).
fn member() -> BoxedStrategy<(&'static str, String)> {
    let colon = prop_oneof![100 => Just(":"), 1 => Just(""), 1 => Just("=")];
    (separator(), key(), colon, value(), space())
        .prop_map(|(sep, k, c, v, w)| (sep, format!("{w}\"{k}\"{w}{c}{w}{v}{w}")))
        .boxed()
}

/// A required field, usually with a usual value (the first of
/// `values`), sometimes another, or left out.
fn required(
    key: &'static str,
    values: &'static [&'static str],
) -> BoxedStrategy<Option<(&'static str, String)>> {
    let value = prop_oneof![4 => Just(values[0]), 1 => prop::sample::select(values)];
    let member = (separator(), value).prop_map(move |(s, v)| (s, format!("\"{key}\":{v}")));
    prop::option::weighted(0.9, member).boxed()
}

/// A record: the required fields, others, sometimes one member many
/// times (problems past the most a record lists), in any order, and an
/// end that may be wrong.
fn record() -> impl Strategy<Value = String> {
    (
        (
            prop::collection::vec(member(), 0..6),
            prop::option::weighted(0.15, (member(), 2..26usize)),
        ),
        required(
            "id",
            &["\"c-1\"", "\"Bad Id\"", "\"c\\u002d1\"", "null", "7"],
        ),
        required("actor", &["\"a\"", "\"\"", "null", "[]", "{}"]),
        required(
            "date",
            &[
                "\"2021\"",
                "\"2021-08\"",
                "\"2021-02-30\"",
                "\"0000\"",
                "2021",
            ],
        ),
        required("text", &["\"t\"", "\"a\\\"b\"", "null", "\"a\\qb\"", "\"t"]),
        required(
            "stance",
            &["1", "-10", "10.5", "1e400", "\"1\"", "-0", "null"],
        ),
        required("effect", &["-1", "10", "-11", "NaN", "1e-400", "true"]),
    )
        .prop_map(
            |((mut members, repeated), id, actor, date, text, stance, effect)| {
                if let Some((member, n)) = repeated {
                    members.extend(std::iter::repeat_n(member, n));
                }
                members.extend(
                    [id, actor, date, text, stance, effect]
                        .into_iter()
                        .flatten(),
                );
                members
            },
        )
        .prop_shuffle()
        .prop_flat_map(|members| {
            let end = prop_oneof![
                20 => Just("}"),
                2 => Just(" }"),
                1 => Just(",}"),
                1 => Just(""),
                1 => Just("} x"),
            ];
            (Just(members), space(), end)
        })
        .prop_map(|(members, w, end)| {
            let mut text = format!("{w}{{{w}");
            for (i, (sep, member)) in members.iter().enumerate() {
                if i > 0 {
                    text.push_str(sep);
                }
                text.push_str(member);
            }
            text + end
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// On records valid and invalid, the reader returns and reports what
    /// reading field by field does: the same record (and whether it is
    /// broken) or the same syntax error, the same problems in the same
    /// order, the reader stopped at the same byte.
    #[test]
    fn the_reader_agrees_with_reading_field_by_field(
        text in record(),
        base in prop_oneof![Just(0usize), Just(7)],
    ) {
        agree(&text, 0, base)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any text at all: no panic, and agreement.
    #[test]
    fn the_reader_agrees_on_any_text(
        text in r#"\{("(id|actor|date|text|stance|effect|about|topics|source|url|x)"|"(future|past)"|null|\["a"|[ -~]){0,40}"#,
    ) {
        agree(&text, 0, 0)?;
    }
}

#[test]
fn the_reader_nests_as_deep_as_reading_field_by_field() {
    let text = r#"{"id":"c-1","actor":"a","date":"2021","text":"t","stance":1,"topics":["a"],"source":{"url":"u"},"x":[[]]}"#;
    for depth in 58..=64 {
        agree(text, depth, 0).unwrap();
    }
    // The deepest record that can be read has no room for its topics.
    let (read, _, _) = outcome(text, RecordKind::Claim, 63, 0, false);
    assert!(read.unwrap_err().too_deep);
    let (read, _, _) = outcome(text, RecordKind::Claim, 60, 0, false);
    assert_eq!(read.unwrap().topics, ["a"]);
}

#[test]
fn problems_past_the_most_a_record_lists_are_counted() {
    let dup = r#","id":"c-2""#.repeat(MAX_PROBLEMS_PER_RECORD + 5);
    let text = format!(r#"{{"id":"c-1","actor":"a","date":"2021","text":"t","stance":1{dup}}}"#);
    let (read, _, diags) = outcome(&text, RecordKind::Claim, 0, 0, false);
    assert!(read.unwrap().broken);
    let mut expected = vec!["duplicate-field"; MAX_PROBLEMS_PER_RECORD];
    expected.push("too-many-problems");
    assert_eq!(codes(&diags), expected);
    assert_eq!(
        diags[MAX_PROBLEMS_PER_RECORD].message,
        "5 more duplicate-field problems in this record are not listed"
    );
    agree(&text, 0, 0).unwrap();
}

/// How many values reading `text` as a record of `kind` hands to the
/// spanned reader.
fn slow_values(text: &str, kind: RecordKind) -> usize {
    let before = SLOW_VALUES.with(Cell::get);
    let (read, at, diags) = outcome(text, kind, 0, 0, false);
    assert_eq!((read.map(|_| ()), at, diags), (Ok(()), text.len(), vec![]));
    SLOW_VALUES.with(Cell::get) - before
}

#[test]
fn usual_records_are_read_without_the_spanned_reader() {
    let action = r#"{"id":"a-1","actor":"Ruler of X","date":"2010-01","target":"y","topics":["arms-sales","Trade"],"effect":4,"attribution":"alleged","text":"A quoted deed","x_coder":{"by":"auto"},"source":{"url":"https://e.org/1","quote":null},"notes":null,"responds_to":["c-1"]}"#;
    let claim = r#"{ "id": "c-1", "actor": "x", "date": "2011", "target": null, "topics": [], "stance": -2.5, "about": "future", "text": "words", "notes": "n", "source": null }"#;
    for (text, kind) in [(action, RecordKind::Action), (claim, RecordKind::Claim)] {
        assert_eq!(slow_values(text, kind), 0, "{text}");
        agree(text, 0, 0).unwrap();
    }
    // Escapes are usual too; a bad value is read by the spanned reader,
    // and only that value.
    let escaped = claim.replace(r#""words""#, r#""a \"quoted\" word""#);
    assert_eq!(slow_values(&escaped, RecordKind::Claim), 0);
    agree(&escaped, 0, 0).unwrap();
    let bad_date = claim.replace("2011", "2011-13");
    let before = SLOW_VALUES.with(Cell::get);
    let (read, _, diags) = outcome(&bad_date, RecordKind::Claim, 0, 0, false);
    assert!(read.unwrap().broken);
    assert_eq!(codes(&diags), ["bad-date"]);
    assert_eq!(SLOW_VALUES.with(Cell::get) - before, 1);
    agree(&bad_date, 0, 0).unwrap();
}
