//! One JSON object → one raw record, with every field's span.
//!
//! The reader here checks each field's JSON type and value (dates, scores,
//! ids, enumerations) and pushes a [`crate::diag::Diagnostic`] for each problem, skipping
//! a wrong value and carrying on, so a record with three problems yields
//! three messages. Names are not resolved yet: that needs every actor
//! (see [`crate::validate`]).

mod actor;
mod fields;
mod quick;

pub use fields::{FieldReader, MAX_PROBLEMS_PER_RECORD};
use quick::Quick;

use crate::date::PartialDate;
use crate::model::{ActorKind, Attribution};
use std::borrow::Cow;
use std::ops::Range;

/// Longest string value accepted, in bytes. Record texts are sentences;
/// a megabyte is a mistake (or an attack), not a claim.
pub const MAX_STRING_BYTES: usize = 1 << 20;
/// Most items accepted in one list (aliases, topics, acts_for, responds_to).
pub const MAX_LIST_ITEMS: usize = 10_000;

/// A string value and where it is.
pub type Spanned<T> = (T, Range<usize>);

/// What a claim or action file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    Claim,
    Action,
}

impl RecordKind {
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::Claim => "claim",
            RecordKind::Action => "action",
        }
    }
    fn score_field(self) -> &'static str {
        match self {
            RecordKind::Claim => "stance",
            RecordKind::Action => "effect",
        }
    }
}

/// A claim or action as written, before names are resolved. Strings are
/// borrowed from the file's text unless they held escapes.
#[derive(Debug, Default, PartialEq)]
pub struct RawRecord<'a> {
    /// Span of the opening `{`.
    pub start: usize,
    pub id: Option<Spanned<Cow<'a, str>>>,
    pub actor: Option<Spanned<Cow<'a, str>>>,
    pub target: Option<Spanned<Cow<'a, str>>>,
    pub date: Option<PartialDate>,
    pub text: Option<Cow<'a, str>>,
    pub score: Option<f64>,
    pub attribution: Option<Attribution>,
    /// As written (not normalised).
    pub topics: Vec<Cow<'a, str>>,
    pub responds_to: Vec<Spanned<Cow<'a, str>>>,
    pub document: Option<Spanned<Cow<'a, str>>>,
    pub quote: Option<Spanned<Cow<'a, str>>>,
    pub url: Option<Cow<'a, str>>,
    pub notes: Option<Cow<'a, str>>,
    /// Whether a problem was found in the record itself.
    pub broken: bool,
}

/// A role as written in `acts_for`.
#[derive(Debug, Default)]
pub struct RawRole {
    pub actor: Option<Spanned<String>>,
    pub role: Option<String>,
    pub from: Option<Spanned<PartialDate>>,
    pub to: Option<Spanned<PartialDate>>,
}

/// An actor as written.
#[derive(Debug, Default)]
pub struct RawActor {
    pub start: usize,
    pub id: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub kind: Option<ActorKind>,
    pub aliases: Vec<Spanned<String>>,
    pub roles: Vec<RawRole>,
    pub broken: bool,
}

/// The fields of claims and actions, each named once: its variant, its
/// name as it is written, and which records have it. [`Field::of`],
/// [`Field::name`], [`Field::belongs_to`] and the lists of names that
/// did-you-mean compares with all come from this one table.
macro_rules! record_fields {
    ($( $variant:ident = $name:literal, $bytes:literal, claim: $claim:literal, action: $action:literal; )*) => {
        /// A field of a claim or an action.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Field { $( $variant, )* }

        impl Field {
            /// The field `key` names. Every key of every record comes
            /// here: each name is a literal pattern, which compiles to a
            /// length test and a few integer comparisons (comparing with
            /// `name()` called `memcmp`).
            #[inline(always)]
            fn of(key: &str) -> Option<Field> {
                match key.as_bytes() {
                    $( $bytes => Some(Field::$variant), )*
                    _ => None,
                }
            }

            fn name(self) -> &'static str {
                match self { $( Field::$variant => $name, )* }
            }

            /// Whether records of `kind` have this field: `stance` is for
            /// claims, `effect`, `attribution` and `responds_to` for
            /// actions.
            fn belongs_to(self, kind: RecordKind) -> bool {
                match self {
                    $( Field::$variant => match kind {
                        RecordKind::Claim => $claim,
                        RecordKind::Action => $action,
                    }, )*
                }
            }

            fn bit(self) -> u32 {
                1 << self as u32
            }
        }

        /// Every field of the table, as (name, in claims, in actions).
        const FIELDS: &[(&str, bool, bool)] = &[ $( ($name, $claim, $action), )* ];
    };
}

record_fields! {
    Id = "id", b"id", claim: true, action: true;
    Actor = "actor", b"actor", claim: true, action: true;
    Date = "date", b"date", claim: true, action: true;
    Text = "text", b"text", claim: true, action: true;
    Target = "target", b"target", claim: true, action: true;
    Topics = "topics", b"topics", claim: true, action: true;
    Stance = "stance", b"stance", claim: true, action: false;
    Effect = "effect", b"effect", claim: false, action: true;
    Attribution = "attribution", b"attribution", claim: false, action: true;
    RespondsTo = "responds_to", b"responds_to", claim: false, action: true;
    Source = "source", b"source", claim: true, action: true;
    Notes = "notes", b"notes", claim: true, action: true;
}

/// The names of the fields records of one kind have, in table order.
const fn names_of<const N: usize>(claim: bool) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < FIELDS.len() {
        let (name, in_claims, in_actions) = FIELDS[i];
        if (claim && in_claims) || (!claim && in_actions) {
            out[n] = name;
            n += 1;
        }
        i += 1;
    }
    assert!(n == N, "the count of fields of a kind");
    out
}

/// How many fields records of one kind have.
const fn count_of(claim: bool) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < FIELDS.len() {
        if (claim && FIELDS[i].1) || (!claim && FIELDS[i].2) {
            n += 1;
        }
        i += 1;
    }
    n
}

const CLAIM_FIELDS: &[&str] = &names_of::<{ count_of(true) }>(true);
const ACTION_FIELDS: &[&str] = &names_of::<{ count_of(false) }>(false);
const ACTOR_FIELDS: &[&str] = &["id", "name", "kind", "aliases", "acts_for"];
const ROLE_FIELDS: &[&str] = &["actor", "role", "from", "to"];
const SOURCE_FIELDS: &[&str] = &["document", "quote", "url"];

pub(crate) fn own((s, span): Spanned<Cow<'_, str>>) -> Spanned<String> {
    (s.into_owned(), span)
}

/// The fields every record of `kind` needs, in the order they are
/// reported when missing.
fn required_fields(kind: RecordKind) -> [Field; 5] {
    let score = match kind {
        RecordKind::Claim => Field::Stance,
        RecordKind::Action => Field::Effect,
    };
    [Field::Id, Field::Actor, Field::Date, Field::Text, score]
}

pub(crate) fn required_list(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Claim => "`id`, `actor`, `date`, `text` and `stance`",
        RecordKind::Action => "`id`, `actor`, `date`, `text` and `effect`",
    }
}

pub(crate) fn record_name(kind: RecordKind, id: &Option<Spanned<Cow<'_, str>>>) -> String {
    match id {
        Some((id, _)) => format!("{} \"{id}\"", kind.noun()),
        None => format!("this {}", kind.noun()),
    }
}

/// A lower-case, dashed version of a bad id, when one exists.
pub(crate) fn suggest_id(id: &str) -> Option<String> {
    let mut out = String::new();
    for c in id.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty() && out != id).then_some(out)
}

/// Known field names seen so far in one object: a bit per name, in the
/// order of the field list given (every list has fewer than 32 names).
#[derive(Default)]
pub(crate) struct Seen(u32);

impl Seen {
    /// Notes `key`; true when it is a member of `known` seen before (one
    /// pass over `known`: this runs for every key of every record).
    fn repeated(&mut self, known: &[&str], key: &str) -> bool {
        let Some(i) = known.iter().position(|k| *k == key) else {
            return false;
        };
        let bit = 1u32 << i;
        let again = self.0 & bit != 0;
        self.0 |= bit;
        again
    }

    fn has(&self, known: &[&str], key: &str) -> bool {
        known
            .iter()
            .position(|k| *k == key)
            .is_some_and(|i| self.0 & (1u32 << i) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;
    use crate::input::json::Reader;
    use crate::input::source::FileId;
    use proptest::prelude::*;

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
        assert_eq!(names.len(), 12);
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
        let (_, diags) =
            read_claim(r#"{"id":"c","actor":"a","date":"2021","text":"t","effect":3}"#);
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

    /// Reads `text` as a record of `kind` in one pass and field by field.
    fn both_ways(text: &str, kind: RecordKind) -> (Option<(RawRecord<'_>, usize)>, Outcome<'_>) {
        let mut diags = Vec::new();
        let mut fr = reader(text, &mut diags);
        let mut quick = Quick::at(&fr.r);
        let fast = quick.record(kind, Vec::new()).map(|rec| (rec, quick.at));
        let slow = fr.record_field_by_field(kind).ok();
        let at = fr.r.pos();
        (fast, (slow, at, diags))
    }

    type Outcome<'a> = (Option<RawRecord<'a>>, usize, Vec<Diagnostic>);

    fn member() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            Just("id"),
            Just("actor"),
            Just("date"),
            Just("text"),
            Just("target"),
            Just("topics"),
            Just("stance"),
            Just("effect"),
            Just("attribution"),
            Just("responds_to"),
            Just("source"),
            Just("notes"),
            Just("x_coder"),
            Just("iid"),
            Just("\\u0069d"),
            Just("Text"),
        ];
        let value = prop_oneof![
            Just("\"a-1\""),
            Just("\"Bad Id\""),
            Just("\"Ruler of X\""),
            Just("\"2021\""),
            Just("\"2021-08-15\""),
            Just("\"2021-02-30\""),
            Just("\"say \\\"hi\\\"\""),
            Just("\"caf\\u00e9\""),
            Just("\"tab\there\""),
            Just("\"confirmed\""),
            Just("\"confirmd\""),
            Just("null"),
            Just("true"),
            Just("0"),
            Just("-3.5"),
            Just("10"),
            Just("11"),
            Just("1e2"),
            Just("1e400"),
            Just("-0"),
            Just("01"),
            Just("1."),
            Just("-"),
            Just("[]"),
            Just("[\"Trade\", \"x y\"]"),
            Just("[\"a\",1]"),
            Just("[\"a\",]"),
            Just("[\"a\" \"b\"]"),
            Just("{}"),
            Just("{\"url\":\"u\"}"),
            Just("{\"document\":\"d\",\"quote\":null}"),
            Just("{\"url\":1}"),
            Just("{\"x\":[1,{\"y\":2}]}"),
            Just("{\"url\":\"u\",\"url\":\"v\"}"),
        ];
        let space = prop_oneof![Just(""), Just(" "), Just("\n\t ")];
        (key, value, space).prop_map(|(k, v, w)| format!("{w}\"{k}\"{w}:{w}{v}{w}"))
    }

    /// A required field, usually with a valid value, sometimes not, or
    /// left out.
    fn required(
        key: &'static str,
        values: &'static [&'static str],
    ) -> impl Strategy<Value = Option<String>> {
        let value = prop::sample::select(values);
        prop::option::weighted(0.9, value.prop_map(move |v| format!("\"{key}\":{v}")))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Whatever the one-pass reader accepts, reading field by field
        /// gives the same record, ends at the same byte and finds nothing
        /// to report.
        #[test]
        fn one_pass_reading_agrees_with_reading_field_by_field(
            members in (
                prop::collection::vec(member(), 0..6),
                required("id", &["\"c-1\"", "\"c-1\"", "\"Bad Id\"", "\"c\\u002d1\"", "null"]),
                required("actor", &["\"a\"", "\"a\"", "\"\"", "null", "[]"]),
                required("date", &["\"2021\"", "\"2021-08\"", "\"2021-02-30\"", "\"0000\""]),
                required("text", &["\"t\"", "\"a\\\"b\"", "null", "\"a\\qb\""]),
                required("stance", &["1", "-10", "10.5", "1e400", "\"1\"", "-0"]),
                required("effect", &["-1", "10", "-11", "NaN", "1e-400"]),
            )
                .prop_map(|(mut extra, id, actor, date, text, stance, effect)| {
                    extra.extend([id, actor, date, text, stance, effect].into_iter().flatten());
                    extra
                })
                .prop_shuffle(),
            end in prop_oneof![4 => Just("}"), 1 => Just(",}"), 1 => Just(""), 1 => Just("} x")],
        ) {
            let text = format!("{{{}{end}", members.join(","));
            for kind in [RecordKind::Claim, RecordKind::Action] {
                let (fast, (slow, at, diags)) = both_ways(&text, kind);
                if let Some((rec, fast_at)) = fast {
                    prop_assert!(diags.is_empty(), "{text}: {diags:?}");
                    prop_assert_eq!(Some(rec), slow, "{}", text);
                    prop_assert_eq!(fast_at, at, "{}", text);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any text at all: no panic, and agreement whenever the one pass
        /// accepts.
        #[test]
        fn one_pass_reading_survives_any_text(
            text in r#"\{("(id|actor|date|text|stance|topics|source|url|x)"|[ -~]){0,24}"#,
        ) {
            for kind in [RecordKind::Claim, RecordKind::Action] {
                let (fast, (slow, at, diags)) = both_ways(&text, kind);
                if let Some((rec, fast_at)) = fast {
                    prop_assert!(diags.is_empty());
                    prop_assert_eq!(Some(rec), slow);
                    prop_assert_eq!(fast_at, at);
                }
            }
        }
    }

    #[test]
    fn one_pass_reading_nests_no_deeper_than_reading_field_by_field() {
        for depth in [62, 63, 64, 65] {
            let value = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let text = format!(
                r#"{{"id":"c-1","actor":"a","date":"2021","text":"t","stance":1,"x":{value}}}"#
            );
            let (fast, (slow, at, _)) = both_ways(&text, RecordKind::Claim);
            assert_eq!(fast.is_some(), slow.is_some(), "{depth} levels");
            if let Some((rec, fast_at)) = fast {
                assert_eq!(Some(rec), slow);
                assert_eq!(fast_at, at);
            }
        }
    }

    #[test]
    fn usual_records_are_read_in_one_pass() {
        let action = r#"{"id":"a-1","actor":"Ruler of X","date":"2010-01","target":"y","topics":["arms-sales","Trade"],"effect":4,"attribution":"alleged","text":"A \"quoted\" deed","x_coder":{"by":"auto"},"source":{"url":"https://e.org/1"},"notes":null}"#;
        let claim = r#"{ "id": "c-1", "actor": "x", "date": "2011", "target": null, "topics": [], "stance": -2.5, "text": "words", "notes": "n" }"#;
        for (text, kind) in [(action, RecordKind::Action), (claim, RecordKind::Claim)] {
            let (fast, (slow, at, diags)) = both_ways(text, kind);
            let (rec, fast_at) = fast.unwrap_or_else(|| panic!("read in one pass: {text}"));
            assert!(diags.is_empty());
            assert_eq!(Some(rec), slow);
            assert_eq!(fast_at, at);
            assert_eq!(at, text.len());
        }
    }
}
