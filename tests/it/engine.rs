//! The pairing rules of data-format.md, one by one at their edges, and the
//! engine's invariants as property tests.

use proptest::prelude::*;
use saydo::Settings;
use saydo::load;
use saydo::model::About;
use saydo::report::{self, Filters, Report};
use serde_json::{Value, json};
use std::path::Path;

/// Writes a dataset (actors may be None: no actors/ folder) to a temp dir.
fn dataset(actors: Option<Value>, claims: Value, actions: Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |sub: &str, v: &Value| {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("data.json"),
            serde_json::to_string_pretty(v).unwrap(),
        )
        .unwrap();
    };
    if let Some(a) = &actors {
        write("actors", a);
    }
    write("claims", &claims);
    write("actions", &actions);
    dir
}

fn actors() -> Value {
    json!([
        {"id": "land", "name": "Land", "kind": "state", "aliases": ["The Land"]},
        {"id": "sea", "name": "Sea", "kind": "state"},
        {"id": "army", "name": "Land Army", "kind": "organization", "acts_for": [{"actor": "land", "role": "army"}]},
        {"id": "general", "name": "General", "kind": "person", "acts_for": [{"actor": "army", "role": "commander", "from": "2021-03-10", "to": "2022-06"}]},
        {"id": "pres", "name": "President", "kind": "person", "acts_for": [{"actor": "land", "role": "president", "from": "2021-08-03", "to": "2024-05-19"}]},
        {"id": "rebels", "name": "Rebels", "kind": "group"}
    ])
}

fn claim(
    id: &str,
    actor: &str,
    date: &str,
    target: Option<&str>,
    topics: &[&str],
    stance: f64,
) -> Value {
    let mut v = json!({"id": id, "actor": actor, "date": date, "stance": stance, "text": format!("claim {id}")});
    if let Some(t) = target {
        v["target"] = json!(t);
    }
    if !topics.is_empty() {
        v["topics"] = json!(topics);
    }
    v
}

fn action(
    id: &str,
    actor: &str,
    date: &str,
    target: Option<&str>,
    topics: &[&str],
    effect: f64,
) -> Value {
    let mut v = claim(id, actor, date, target, topics, 0.0);
    v.as_object_mut().unwrap().remove("stance");
    v["effect"] = json!(effect);
    v
}

/// The verdicts of the pairs of a dataset, as (claim, action, verdict, kind).
fn pairs_of(dir: &Path, settings: Settings) -> Vec<(String, String, String, Option<String>)> {
    let data = load(dir).unwrap_or_else(|e| panic!("{:#?}", e.problems));
    let r = report::check(&data, settings, Filters::default());
    r.pairs
        .iter()
        .map(|p| {
            (
                data.claims[p.claim as usize].id.to_string(),
                data.actions[p.action as usize].id.to_string(),
                p.verdict.as_str().to_string(),
                p.verdict.kind().map(|k| k.as_str().to_string()),
            )
        })
        .collect()
}

fn paired(dir: &Path, settings: Settings) -> Vec<String> {
    pairs_of(dir, settings)
        .into_iter()
        .map(|(_, a, _, _)| a)
        .collect()
}

#[test]
fn window_edges_at_every_precision() {
    // Claim in 2021-06 (1..30 June). Lookback 10, horizon 5:
    // an action may start from 2021-05-22 to 2021-07-05.
    let settings = Settings {
        lookback: 10,
        horizon: 5,
        threshold: 2.0,
    };
    let cases = [
        ("2021-05-22", true),  // exactly lookback days before the first day
        ("2021-05-21", false), // one day earlier
        ("2021-07-05", true),  // exactly horizon days after the last day
        ("2021-07-06", false),
        ("2021-05", true), // a month starting 2021-05-01 is too early... but see below
        ("2021-07", true), // starts 2021-07-01, inside
        ("2021", false),   // starts 2021-01-01, too early
    ];
    for (date, expected) in cases {
        let expected = if date == "2021-05" { false } else { expected };
        let dir = dataset(
            Some(actors()),
            json!([claim("c", "land", "2021-06", None, &[], 5.0)]),
            json!([action("a", "land", date, None, &[], 5.0)]),
        );
        assert_eq!(
            !paired(dir.path(), settings).is_empty(),
            expected,
            "action dated {date}"
        );
    }
    // A year-precision claim spans the whole year: horizon counts from 31 December.
    let dir = dataset(
        Some(actors()),
        json!([claim("c", "land", "2020", None, &[], 5.0)]),
        json!([
            action("a", "land", "2021-01-05", None, &[], 5.0),
            action("b", "land", "2021-01-06", None, &[], 5.0)
        ]),
    );
    assert_eq!(paired(dir.path(), settings), ["a"]);
}

/// A claim that says what it is `about` ("future" or "past").
fn about(mut claim: Value, about: &str) -> Value {
    claim["about"] = json!(about);
    claim
}

#[test]
fn about_edges_at_every_precision() {
    // Words about the future pair with deeds that start on or after their
    // first day; about the past, with deeds that start on or before their
    // last. Deeds the day before, on and after that day, for words dated
    // to the day, the month and the year; the default window reaches far
    // enough that only `about` decides.
    use saydo::date::{PartialDate, format_day};
    for date in ["2021-08-15", "2021-08", "2021"] {
        let words = PartialDate::parse(date).unwrap();
        for (side, edge, expected) in [
            ("future", words.first, ["after", "on"]),
            ("past", words.last, ["before", "on"]),
        ] {
            let actions = json!([
                action("before", "land", &format_day(edge - 1), None, &[], -6.0),
                action("on", "land", &format_day(edge), None, &[], -6.0),
                action("after", "land", &format_day(edge + 1), None, &[], -6.0),
            ]);
            let claim = claim("c", "land", date, None, &[], 6.0);
            let dir = dataset(
                Some(actors()),
                json!([about(claim.clone(), side)]),
                actions.clone(),
            );
            assert_eq!(
                paired(dir.path(), Settings::default()),
                expected,
                "words dated {date} about the {side}"
            );
            // Without `about`, all three (pairs come in action id order).
            let dir = dataset(Some(actors()), json!([claim]), actions);
            assert_eq!(
                paired(dir.path(), Settings::default()),
                ["after", "before", "on"],
                "words dated {date}"
            );
        }
    }
    // A deed's own precision: it starts on its first day, however long it
    // lasts. Words of August 2021, deeds of July, August, September and
    // all of 2021.
    let deeds = json!([
        action("july", "land", "2021-07", None, &[], -6.0),
        action("august", "land", "2021-08", None, &[], -6.0),
        action("september", "land", "2021-09", None, &[], -6.0),
        action("year", "land", "2021", None, &[], -6.0),
    ]);
    for (side, expected) in [
        ("future", &["august", "september"][..]),
        ("past", &["august", "july", "year"][..]),
    ] {
        let words = about(claim("c", "land", "2021-08", None, &[], 6.0), side);
        let dir = dataset(Some(actors()), json!([words]), deeds.clone());
        assert_eq!(
            paired(dir.path(), Settings::default()),
            expected,
            "about the {side}"
        );
    }
    // `about` narrows the window and never widens it: the lookback and
    // horizon still bound the other side.
    let settings = Settings {
        lookback: 10,
        horizon: 5,
        threshold: 2.0,
    };
    let dir = dataset(
        Some(actors()),
        json!([
            about(claim("f", "land", "2021-06", None, &[], 6.0), "future"),
            about(claim("p", "land", "2021-06", None, &[], 6.0), "past"),
        ]),
        json!([
            action("early", "land", "2021-05-22", None, &[], -6.0),
            action("late", "land", "2021-07-05", None, &[], -6.0),
            action("too-late", "land", "2021-07-06", None, &[], -6.0),
            action("too-early", "land", "2021-05-21", None, &[], -6.0),
        ]),
    );
    let pairs: Vec<(String, String)> = pairs_of(dir.path(), settings)
        .into_iter()
        .map(|(c, a, _, _)| (c, a))
        .collect();
    assert_eq!(
        pairs,
        [("f".into(), "late".into()), ("p".into(), "early".into())]
    );
}

#[test]
fn role_dates_decide_who_speaks_for_whom() {
    // The president acts for land from 2021-08-03 to 2024-05-19.
    let cases = [
        ("2021-08", true),  // the month holds a day in office (3 August on)
        ("2021-07", false), // not yet in office
        ("2024-05", true),  // office ends 19 May: days 1-19 count
        ("2024-06", false), // after office
        ("2024-05-20", false),
        ("2024-05-19", true),
    ];
    for (date, expected) in cases {
        let dir = dataset(
            Some(actors()),
            json!([claim("c", "pres", date, None, &[], 6.0)]),
            json!([action("a", "land", date, None, &[], -6.0)]),
        );
        assert_eq!(
            !paired(dir.path(), Settings::default()).is_empty(),
            expected,
            "words dated {date}"
        );
    }
}

#[test]
fn principals_are_transitive_and_each_record_uses_its_own_date() {
    // general → army (2021-03-10..2022-06) → land. The general's words in
    // 2021-09 count for land; land's deed a year later still pairs (the
    // deed's principals are taken at the deed's date).
    let dir = dataset(
        Some(actors()),
        json!([
            claim("c", "General", "2021-09", None, &[], 6.0),
            claim("late", "general", "2023", None, &[], 6.0)
        ]),
        json!([action("a", "the land", "2022-09", None, &[], -6.0)]),
    );
    let pairs = pairs_of(dir.path(), Settings::default());
    assert_eq!(
        pairs,
        [(
            "c".into(),
            "a".into(),
            "contradiction".into(),
            Some("duplicity".into())
        )]
    );
    // The chain must hold on one common day: a 2021-03 claim (role starts 10 March) holds.
    let dir = dataset(
        Some(actors()),
        json!([
            claim("c", "general", "2021-03", None, &[], 6.0),
            claim("d", "general", "2021-03-09", None, &[], 6.0)
        ]),
        json!([action("a", "army", "2021-04", None, &[], -6.0)]),
    );
    let claims: Vec<String> = pairs_of(dir.path(), Settings::default())
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(claims, ["c"]);
}

#[test]
fn targets_must_share_a_principal_or_be_missing() {
    let dir = dataset(
        Some(actors()),
        json!([claim("c", "land", "2021", Some("sea"), &[], 6.0)]),
        json!([
            action("to-sea", "land", "2021", Some("Sea"), &[], -6.0),
            action("to-rebels", "land", "2021", Some("rebels"), &[], -6.0),
            action("untargeted", "land", "2021", None, &[], -6.0),
        ]),
    );
    assert_eq!(
        paired(dir.path(), Settings::default()),
        ["to-sea", "untargeted"]
    );
    // A target acting for a state matches the state.
    let dir = dataset(
        Some(actors()),
        json!([claim("c", "sea", "2021", Some("land"), &[], 6.0)]),
        json!([action("a", "sea", "2021", Some("army"), &[], -6.0)]),
    );
    assert_eq!(paired(dir.path(), Settings::default()), ["a"]);
}

#[test]
fn topics_compare_ignoring_case_spaces_and_underscores() {
    let dir = dataset(
        Some(actors()),
        json!([claim("c", "land", "2021", None, &["Border Security"], 6.0)]),
        json!([
            action("a", "land", "2021", None, &["BORDER_SECURITY"], -6.0),
            action(
                "b",
                "land",
                "2021",
                None,
                &["border-security", "trade"],
                6.0
            ),
            action("c2", "land", "2021", None, &["trade"], -6.0),
            action("d", "land", "2021", None, &[], -6.0),
        ]),
    );
    assert_eq!(paired(dir.path(), Settings::default()), ["a", "b"]);
    // A general claim (no topics) meets every topic.
    let dir = dataset(
        Some(actors()),
        json!([claim("c", "land", "2021", None, &[], 6.0)]),
        json!([
            action("a", "land", "2021", None, &["trade"], -6.0),
            action("b", "land", "2021", None, &[], -6.0)
        ]),
    );
    assert_eq!(paired(dir.path(), Settings::default()), ["a", "b"]);
}

#[test]
fn a_deed_answering_the_targets_deed_is_reciprocal() {
    let mut answer = action("answer", "land", "2021-06", Some("sea"), &[], -6.0);
    answer["responds_to"] = json!(["provocation"]);
    let mut unrelated = action("unrelated", "land", "2021-06", Some("sea"), &[], -6.0);
    unrelated["responds_to"] = json!(["rebel-raid"]);
    let dir = dataset(
        Some(actors()),
        json!([
            claim("c", "land", "2021", Some("sea"), &[], 6.0),
            claim("no-target", "land", "2021", None, &[], 6.0),
        ]),
        json!([
            action("provocation", "sea", "2021-05", Some("land"), &[], -7.0),
            action("rebel-raid", "rebels", "2021-05", Some("land"), &[], -7.0),
            answer,
            unrelated,
        ]),
    );
    let pairs = pairs_of(dir.path(), Settings::default());
    let verdict = |c: &str, a: &str| {
        pairs
            .iter()
            .find(|p| p.0 == c && p.1 == a)
            .map(|p| p.2.clone())
    };
    assert_eq!(verdict("c", "answer").as_deref(), Some("reciprocal"));
    assert_eq!(verdict("c", "unrelated").as_deref(), Some("contradiction"));
    // A claim without a target is never reciprocal.
    assert_eq!(
        verdict("no-target", "answer").as_deref(),
        Some("contradiction")
    );
}

#[test]
fn threshold_and_signs_decide_verdicts() {
    let dir = dataset(
        Some(actors()),
        json!([
            claim("warm", "land", "2021", None, &[], 3.0),
            claim("cold", "land", "2021", None, &[], -3.0)
        ]),
        json!([
            action("help", "land", "2021", None, &[], 2.0),
            action("harm", "land", "2021", None, &[], -1.5)
        ]),
    );
    let pairs = pairs_of(dir.path(), Settings::default());
    let find = |c: &str, a: &str| pairs.iter().find(|p| p.0 == c && p.1 == a).unwrap().clone();
    assert_eq!(find("warm", "help").2, "consistent");
    assert_eq!(find("warm", "harm").2, "neutral"); // |e| < 2
    assert_eq!(find("cold", "help").2, "contradiction");
    assert_eq!(find("cold", "help").3.as_deref(), Some("bluster"));
    let lenient = pairs_of(
        dir.path(),
        Settings {
            threshold: 1.5,
            ..Settings::default()
        },
    );
    assert!(
        lenient
            .iter()
            .any(|p| p.0 == "warm" && p.1 == "harm" && p.3.as_deref() == Some("duplicity"))
    );
}

#[test]
fn without_actors_each_name_is_its_own_actor() {
    let dir = dataset(
        None,
        json!([claim("c", "Ruritania", "2021", Some("Freedonia"), &[], 6.0)]),
        json!([
            action("a", " ruritania ", "2021", Some("FREEDONIA"), &[], -6.0),
            action("b", "Freedonia", "2021", Some("Ruritania"), &[], -6.0),
        ]),
    );
    assert_eq!(paired(dir.path(), Settings::default()), ["a"]);
}

#[test]
fn filters_narrow_the_report() {
    let dir = dataset(
        Some(actors()),
        json!([
            claim("by-general", "general", "2021-09", None, &["war"], 6.0),
            claim("by-sea", "sea", "2021-09", None, &["trade"], 6.0),
        ]),
        json!([
            action("a", "army", "2021-10", None, &["war"], -6.0),
            action("b", "sea", "2021-10", None, &["trade"], -6.0)
        ]),
    );
    let data = load(dir.path()).unwrap();
    let army = data.actors.iter().position(|a| a.id == "army").unwrap() as u32;
    let r = report::check(
        &data,
        Settings::default(),
        Filters {
            actor: Some(army),
            ..Filters::default()
        },
    );
    assert_eq!(r.pairs.len(), 1);
    assert_eq!(&*data.claims[r.pairs[0].claim as usize].id, "by-general");
    let trade = data.topics.iter().position(|t| t == "trade").unwrap() as u32;
    let r = report::check(
        &data,
        Settings::default(),
        Filters {
            topic: Some(trade),
            ..Filters::default()
        },
    );
    assert_eq!(r.pairs.len(), 1);
    assert_eq!(&*data.actions[r.pairs[0].action as usize].id, "b");
    let since = saydo::date::PartialDate::parse("2022").ok();
    let r = report::check(
        &data,
        Settings::default(),
        Filters {
            since,
            ..Filters::default()
        },
    );
    assert!(r.pairs.is_empty() && r.claims.is_empty());
}

// ------------------------------------------------------------ properties

/// A generated record: actor, date, target, topics, score, attribution
/// (actions), about (claims: none, future or past).
type GenRecord = (usize, String, Option<usize>, Vec<usize>, i32, usize, usize);

/// A random dataset: actors with dated roles, claims and actions among them.
pub(crate) fn arb_dataset() -> impl Strategy<Value = (Value, Vec<Value>, Vec<Value>)> {
    let dates = prop_oneof![
        (2018u32..2024).prop_map(|y| format!("{y}")),
        (2018u32..2024, 1u32..13).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (2018u32..2024, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
    ];
    let names = ["s0", "s1", "s2", "o0", "o1", "p0", "p1", "p2"];
    let topics = ["war", "Trade", "water_rights", "aid"];
    let roles = proptest::collection::vec(
        (
            0usize..5,
            0usize..5,
            proptest::option::of(dates.clone()),
            proptest::option::of(dates.clone()),
        ),
        0..6,
    );
    let record = (
        0usize..8,
        dates.clone(),
        proptest::option::of(0usize..8),
        proptest::collection::vec(0usize..4, 0..3),
        -10i32..11,
        0usize..4,
        0usize..3,
    );
    (roles, proptest::collection::vec(record.clone(), 1..25), proptest::collection::vec(record, 1..40)).prop_map(
        move |(roles, claims, actions)| {
            // Roles only point from a later actor to an earlier one: no cycles.
            let mut acts_for: Vec<Vec<Value>> = vec![Vec::new(); names.len()];
            for (i, (from_off, to, f, t)) in roles.into_iter().enumerate() {
                let who = 3 + (i + from_off) % 5;
                let principal = to % 3; // one of the three states s0, s1, s2
                let mut r = json!({"actor": names[principal], "role": "r"});
                if let (Some(f), Some(t)) = (&f, &t) {
                    let (f, t) = if f <= t { (f, t) } else { (t, f) };
                    r["from"] = json!(f);
                    r["to"] = json!(t);
                } else if let Some(f) = f {
                    r["from"] = json!(f);
                }
                acts_for[who].push(r);
            }
            let actors: Vec<Value> = names
                .iter()
                .enumerate()
                .map(|(i, n)| json!({"id": n, "name": n.to_uppercase(), "kind": "state", "acts_for": acts_for[i]}))
                .collect();
            let make = |prefix: &str, recs: Vec<GenRecord>, claim: bool| {
                recs.into_iter()
                    .enumerate()
                    .map(|(i, (a, d, t, ts, s, attr, side))| {
                        let ts: Vec<&str> = ts.into_iter().map(|t| topics[t]).collect();
                        let mut v = if claim {
                            self::claim(&format!("{prefix}{i}"), names[a], &d, t.map(|t| names[t]), &ts, s as f64)
                        } else {
                            self::action(&format!("{prefix}{i}"), names[a], &d, t.map(|t| names[t]), &ts, s as f64)
                        };
                        if claim && side > 0 {
                            v["about"] = json!(["future", "past"][side - 1]);
                        }
                        if !claim {
                            v["attribution"] = json!(["confirmed", "reported", "alleged", "disputed"][attr]);
                            if i > 0 && attr == 3 {
                                v["responds_to"] = json!([format!("{prefix}{}", i - 1)]);
                            }
                        }
                        v
                    })
                    .collect::<Vec<_>>()
            };
            (Value::Array(actors), make("c", claims, true), make("a", actions, false))
        },
    )
}

/// A dataset folder of generated records, the claims spread over
/// `files.0` files and the actions over `files.1`.
pub(crate) fn generated_dir(
    actors: &Value,
    claims: &[Value],
    actions: &[Value],
    files: (usize, usize),
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("actors")).unwrap();
    std::fs::write(dir.path().join("actors/a.json"), actors.to_string()).unwrap();
    write_split(dir.path(), "claims", claims, files.0);
    write_split(dir.path(), "actions", actions, files.1);
    dir
}

pub(crate) fn write_split(dir: &Path, sub: &str, records: &[Value], files: usize) {
    std::fs::create_dir_all(dir.join(sub)).unwrap();
    for (i, chunk) in records
        .chunks(records.len().div_ceil(files).max(1))
        .enumerate()
    {
        let lines: Vec<String> = chunk
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        std::fs::write(
            dir.join(sub).join(format!("part-{i}.jsonl")),
            lines.join("\n"),
        )
        .unwrap();
    }
}

fn json_report(r: &Report<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    saydo::render::json::write(r, &mut out).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn output_does_not_depend_on_file_or_record_order(
        (actors, claims, actions) in arb_dataset(),
        seed in any::<u64>(),
        files in 1usize..4,
    ) {
        let one = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(one.path().join("actors")).unwrap();
        std::fs::write(one.path().join("actors/a.json"), actors.to_string()).unwrap();
        write_split(one.path(), "claims", &claims, 1);
        write_split(one.path(), "actions", &actions, 1);

        // The same records shuffled and spread over several files.
        let shuffle = |v: &[Value], salt: u64| {
            let mut v = v.to_vec();
            let mut x = seed ^ salt;
            for i in (1..v.len()).rev() {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                v.swap(i, (x >> 33) as usize % (i + 1));
            }
            v
        };
        let two = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(two.path().join("actors")).unwrap();
        std::fs::write(two.path().join("actors/a.json"), actors.to_string()).unwrap();
        write_split(two.path(), "claims", &shuffle(&claims, 1), files);
        write_split(two.path(), "actions", &shuffle(&actions, 2), files + 1);

        let d1 = load(one.path()).unwrap();
        let d2 = load(two.path()).unwrap();
        let r1 = report::check(&d1, Settings::default(), Filters::default());
        let r2 = report::check(&d2, Settings::default(), Filters::default());
        let (j1, j2) = (json_report(&r1), json_report(&r2));
        // File names and lines differ by construction; compare with them removed.
        let strip = |b: &[u8]| {
            let v: Value = serde_json::from_slice(b).unwrap();
            let mut v = v;
            for key in ["claims", "actions"] {
                for item in v[key].as_array_mut().unwrap() {
                    item.as_object_mut().unwrap().remove("file");
                    item.as_object_mut().unwrap().remove("line");
                }
            }
            v
        };
        prop_assert_eq!(strip(&j1), strip(&j2));
    }

    #[test]
    fn every_pair_meets_every_rule_and_every_meeting_is_paired(
        (actors, claims, actions) in arb_dataset(),
        lookback in 0u32..800,
        horizon in 0u32..800,
    ) {
        let dir = generated_dir(&actors, &claims, &actions, (1, 1));
        let data = load(dir.path()).unwrap();
        let settings = Settings { lookback, horizon, threshold: 2.0 };
        let r = report::check(&data, settings, Filters::default());
        let mut expected = Vec::new();
        for c in 0..data.claims.len() {
            for a in 0..data.actions.len() {
                if r.meets(c, a) {
                    expected.push((c as u32, a as u32));
                }
            }
        }
        let mut got: Vec<(u32, u32)> = r.pairs.iter().map(|p| (p.claim, p.action)).collect();
        got.sort_unstable();
        prop_assert_eq!(&got, &expected);
        for p in &r.pairs {
            let (c, a) = (p.claim as usize, p.action as usize);
            // Never joins actors whose principals are disjoint.
            let (says, does) = (r.claim_principals(c), r.action_principals(a));
            prop_assert!(says.iter().any(|p| does.contains(p)));
            // Inside the window, on the side of the words they are about.
            let (claim, action) = (&data.claims[c].date, &data.actions[a].date);
            prop_assert!(action.first >= claim.first - lookback as i32 && action.first <= claim.last + horizon as i32);
            match data.claims[c].about {
                About::Any => {}
                About::Future => prop_assert!(action.first >= claim.first),
                About::Past => prop_assert!(action.first <= claim.last),
            }
            prop_assert!(p.severity() > 0.0 && p.severity() <= 1.0);
            // The principal a pair is explained by (its brief, which the
            // full reasons are built on) is the smallest the two share.
            let why = r.reasons(p);
            prop_assert_eq!(Some(&why.principal), why.shared.first());
        }
        // Each actor's summary counts the pairs either record answers to
        // it in, once each.
        for s in &r.actors {
            let involved = |p: &&saydo::report::Pair| {
                r.claim_principals(p.claim as usize).contains(&s.actor)
                    || r.action_principals(p.action as usize).contains(&s.actor)
            };
            let mine: Vec<_> = r.pairs.iter().filter(involved).collect();
            prop_assert_eq!(s.pairs as usize, mine.len());
            let contradictions = mine.iter().filter(|p| p.verdict.is_contradiction()).count();
            prop_assert_eq!(s.contradictions as usize, contradictions);
        }
    }
}

/// Pairing takes claims in blocks, in an order of its own that keeps its
/// reads in cache; the pairs must still come out by claim id, then
/// action id, and be exactly the meetings. Thousands of claims of several
/// actors, dates and topics, in a file order unlike their id order, so
/// that the blocks and that order matter.
#[test]
fn pairs_of_many_claims_come_in_id_order() {
    let speakers = ["land", "sea", "army", "general", "pres", "rebels"];
    let topics = ["war", "trade", "aid"];
    let date = |i: usize| format!("20{:02}-{:02}-{:02}", 20 + i % 5, 1 + i % 12, 1 + i % 28);
    let claims: Vec<Value> = (0..3000)
        .map(|i| {
            // Ids in an order of their own, not the file's.
            let id = format!("c{}", (i * 7919) % 3000);
            let (who, target) = (speakers[i % 6], speakers[(i / 6) % 6]);
            claim(
                &id,
                who,
                &date(i),
                Some(target),
                &[topics[i % 3]],
                5.0 - (i % 11) as f64,
            )
        })
        .collect();
    let actions: Vec<Value> = (0..300)
        .map(|i| {
            let id = format!("a{}", (i * 101) % 300);
            let (who, target) = (speakers[(i / 3) % 6], speakers[i % 6]);
            action(
                &id,
                who,
                &date(i * 7),
                Some(target),
                &[topics[(i / 2) % 3]],
                5.0 - (i % 9) as f64,
            )
        })
        .collect();
    let dir = dataset(Some(actors()), json!(claims), json!(actions));
    let data = load(dir.path()).unwrap_or_else(|e| panic!("{:#?}", e.problems));
    let settings = Settings::default();
    let r = report::check(&data, settings, Filters::default());
    let key = |c: usize, a: usize| {
        (
            data.claims[c].id.to_string(),
            data.actions[a].id.to_string(),
        )
    };
    let got: Vec<(String, String)> = r
        .pairs
        .iter()
        .map(|p| key(p.claim as usize, p.action as usize))
        .collect();
    let mut expected = Vec::new();
    for c in 0..data.claims.len() {
        for a in 0..data.actions.len() {
            if r.meets(c, a) {
                expected.push(key(c, a));
            }
        }
    }
    // Ids compare as strings, as the report orders them.
    expected.sort_unstable();
    assert!(
        got.len() > 10_000,
        "too few pairs to span blocks: {}",
        got.len()
    );
    assert_eq!(got, expected);
}

#[test]
fn report_bytes_do_not_depend_on_the_number_of_threads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let data = load(root).unwrap();
            let r = report::check(&data, Settings::default(), Filters::default());
            json_report(&r)
        })
    };
    let one = run(1);
    assert!(!one.is_empty());
    for threads in [2, 3, 8] {
        assert!(run(threads) == one, "{threads} threads give other bytes");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The table and Markdown rank only the rows they show: the `k` most
    /// severe are the first `k` of every contradiction ranked, ties in
    /// report order.
    #[test]
    fn the_k_most_severe_are_the_first_k_of_all_flagged(
        (actors, claims, actions) in arb_dataset(),
        k in 0usize..40,
    ) {
        let dir = generated_dir(&actors, &claims, &actions, (1, 1));
        let data = load(dir.path()).unwrap();
        let r = report::check(&data, Settings::default(), Filters::default());
        let all = r.flagged_indices();
        let want = if k == 0 { all.len() } else { k.min(all.len()) };
        prop_assert_eq!(r.most_severe(k), all[..want].to_vec());
        prop_assert_eq!(r.contradictions(), all.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A check made a run of claims at a time (as `jsonl` and `csv` are
    /// written, so that memory holds one run's pairs) writes the bytes of
    /// the whole report written at once, whatever the runs' size and the
    /// filters.
    #[test]
    fn a_check_in_runs_writes_the_bytes_of_the_whole_report(
        (actors, claims, actions) in arb_dataset(),
        pairs_per_run in 1usize..6,
        since in proptest::option::of(2018u32..2024),
        actor in proptest::option::of(0u32..8),
    ) {
        let dir = generated_dir(&actors, &claims, &actions, (2, 1));
        let data = load(dir.path()).unwrap();
        let filters = Filters {
            since: since.map(|y| saydo::date::PartialDate::parse(&y.to_string()).unwrap()),
            actor: actor.filter(|&a| (a as usize) < data.actors.len()),
            ..Filters::default()
        };
        let whole = report::check(&data, Settings::default(), filters.clone());
        let (mut jsonl, mut csv) = (Vec::new(), Vec::new());
        saydo::render::jsonl::write(&whole, &mut jsonl).unwrap();
        saydo::render::csv::write(&whole, &mut csv).unwrap();

        let (mut jsonl_runs, mut csv_runs) = (Vec::new(), Vec::new());
        saydo::render::csv::write_header(&mut csv_runs).unwrap();
        let last = report::check_in_runs(&data, Settings::default(), filters, pairs_per_run, |run| {
            saydo::render::jsonl::write_pairs(run, &mut jsonl_runs)?;
            saydo::render::csv::write_rows(run, &mut csv_runs)
        })
        .unwrap();
        saydo::render::jsonl::write_tail(&last, &mut jsonl_runs).unwrap();
        prop_assert!(last.pairs.is_empty());
        prop_assert_eq!(String::from_utf8(jsonl_runs).unwrap(), String::from_utf8(jsonl).unwrap());
        prop_assert_eq!(String::from_utf8(csv_runs).unwrap(), String::from_utf8(csv).unwrap());
        prop_assert_eq!(last.claims, whole.claims);
        prop_assert_eq!(last.actors, whole.actors);
    }
}

/// The bundled dataset a pair or two at a time: many runs, the bytes of
/// the whole report.
#[test]
fn the_bundled_dataset_in_runs_of_a_pair_is_the_whole_report() {
    let data = load(&crate::support::root()).unwrap();
    let whole = report::check(&data, Settings::default(), Filters::default());
    let mut jsonl = Vec::new();
    saydo::render::jsonl::write(&whole, &mut jsonl).unwrap();
    let (mut runs, mut jsonl_runs) = (0, Vec::new());
    let last = report::check_in_runs(&data, Settings::default(), Filters::default(), 1, |run| {
        runs += 1;
        assert!(!run.pairs.is_empty() && run.claims.is_empty());
        saydo::render::jsonl::write_pairs(run, &mut jsonl_runs)
    })
    .unwrap();
    saydo::render::jsonl::write_tail(&last, &mut jsonl_runs).unwrap();
    assert!(runs >= 5, "{runs} runs");
    assert_eq!(
        String::from_utf8(jsonl_runs).unwrap(),
        String::from_utf8(jsonl).unwrap()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// `--top N` keeps the N most severe pairs of the whole check, and
    /// `--top-per-claim N` those of each claim: contradictions first, then
    /// by severity, ties in report order; the pairs kept are listed in
    /// report order, and the claims are those with a pair kept.
    #[test]
    fn top_keeps_the_most_severe_pairs_overall_or_per_claim(
        (actors, claims, actions) in arb_dataset(),
        n in 0usize..12,
        per_claim in any::<bool>(),
    ) {
        let dir = generated_dir(&actors, &claims, &actions, (1, 1));
        let data = load(dir.path()).unwrap();
        let whole = report::check(&data, Settings::default(), Filters::default());
        // Report order is the order of `whole.pairs`: rank by position.
        let rank = |i: usize| {
            let p = &whole.pairs[i];
            (!p.verdict.is_contradiction(), std::cmp::Reverse(p.severity_units), i)
        };
        let mut expected: Vec<usize> = Vec::new();
        if per_claim {
            let mut start = 0;
            while start < whole.pairs.len() {
                let claim = whole.pairs[start].claim;
                let end = start + whole.pairs[start..].iter().take_while(|p| p.claim == claim).count();
                let mut mine: Vec<usize> = (start..end).collect();
                mine.sort_by_key(|&i| rank(i));
                expected.extend(mine.into_iter().take(n));
                start = end;
            }
        } else {
            let mut all: Vec<usize> = (0..whole.pairs.len()).collect();
            all.sort_by_key(|&i| rank(i));
            expected = all.into_iter().take(n).collect();
        }
        expected.sort_unstable();
        let expected: Vec<_> = expected.iter().map(|&i| whole.pairs[i]).collect();
        let top = if per_claim { report::Top::PerClaim(n) } else { report::Top::Overall(n) };
        let r = report::check_top(&data, Settings::default(), Filters::default(), top);
        prop_assert_eq!(&r.pairs, &expected);
        let mut with_pairs: Vec<u32> = expected.iter().map(|p| p.claim).collect();
        with_pairs.dedup();
        let listed: Vec<u32> = r.claims.iter().map(|c| c.claim).collect();
        prop_assert_eq!(listed, with_pairs);
    }
}
