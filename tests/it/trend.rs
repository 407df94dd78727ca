//! `saydo trend`: every format on the bundled dataset (snapshots), the
//! values of each cell against a count made from the report's pairs, the
//! same bytes at any thread count, and the formats it refuses.

use proptest::prelude::*;
use saydo::Settings;
use saydo::model::Dataset;
use saydo::render::trend::{TrendFormat, write};
use saydo::report::trend::{Period, trend};
use saydo::report::{self, Filters, Kind, Verdict};
use std::collections::BTreeMap;
use std::path::Path;

use crate::engine::{arb_dataset, generated_dir};
use crate::support::{Saydo, root};

fn load(dir: &Path) -> Dataset {
    saydo::load(dir).unwrap_or_else(|e| panic!("{}: {:?}", dir.display(), e.problems))
}

fn written(data: &Dataset, by: Period, format: TrendFormat, limit: usize) -> String {
    let t = trend(data, Settings::default(), by);
    let mut out = Vec::new();
    write(&t, format, 100, limit, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn every_format_on_the_bundled_dataset() {
    let data = load(&root());
    for (name, format) in TrendFormat::NAMES {
        insta::assert_snapshot!(
            format!("bundled_{name}"),
            written(&data, Period::Month, format, 20)
        );
    }
    insta::assert_snapshot!(
        "bundled_table_by_year",
        written(&data, Period::Year, TrendFormat::Table, 20)
    );
}

#[test]
fn the_limit_counts_cells_and_says_how_many_are_left_out() {
    let data = load(&root());
    let table = written(&data, Period::Month, TrendFormat::Table, 1);
    assert!(table.contains("… 3 more cells"), "{table}");
    let md = written(&data, Period::Month, TrendFormat::Markdown, 1);
    assert!(md.contains("… 3 more cells"), "{md}");
}

#[test]
fn the_same_bytes_at_any_thread_count() {
    let data = load(&root().join("tests/fixtures/valid"));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| written(&data, Period::Quarter, TrendFormat::Json, 0));
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap()
        .install(|| written(&data, Period::Quarter, TrendFormat::Json, 0));
    assert_eq!(one, four);
    assert!(one.contains("\"series\":[{"), "{one}");
}

#[test]
fn trend_writes_its_six_formats_and_names_the_others_it_does_not() {
    let out = Saydo::new().args(["trend", "--format", "sarif"]).run();
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr.contains(
            "saydo trend does not write sarif; use table, markdown, json, jsonl, csv or html"
        ),
        "{}",
        out.stderr
    );
    let out = Saydo::new().args(["trend", "--format", "yaml"]).run();
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr.contains("unknown format \"yaml\""),
        "{}",
        out.stderr
    );
    let out = Saydo::new()
        .args(["trend", "--by", "quarter", "--format", "csv"])
        .run();
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("actor,target,period,start,end,claims,stance,actions,effect,gap,verdict,kind,pairs,contradictions,duplicity,bluster,consistent,say_do\r\n"),
        "{csv}"
    );
}

const EVIL: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";

/// The HTML trend of a dataset without `actors/`, whose actor ids (and so
/// names) are markup, with a period of duplicity: every string from the
/// data lands in a heading, an attribute, a tooltip or a table cell, and
/// none may become markup.
#[test]
fn the_html_trend_keeps_hostile_ids_inert() {
    let dir = tempfile::tempdir().unwrap();
    let js = |s: &str| serde_json::to_string(s).unwrap();
    std::fs::create_dir_all(dir.path().join("claims")).unwrap();
    std::fs::create_dir_all(dir.path().join("actions")).unwrap();
    std::fs::write(
        dir.path().join("claims/c.json"),
        format!(
            r#"[{{"id": "c1", "actor": {}, "target": {}, "date": "2021-03-02", "topics": [{}],
  "stance": 6, "text": {}}}]"#,
            js(EVIL),
            js(BREAKOUT),
            js(EVIL),
            js(EVIL)
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("actions/a.json"),
        format!(
            r#"[{{"id": "a1", "actor": {}, "target": {}, "date": "2021-03-20", "topics": [{}],
  "effect": -7, "text": {}}}]"#,
            js(EVIL),
            js(BREAKOUT),
            js(EVIL),
            js(BREAKOUT)
        ),
    )
    .unwrap();
    let data = load(dir.path());
    let page = written(&data, Period::Month, TrendFormat::Html, 20);
    // The dyad is drawn, with its band of duplicity.
    assert_eq!(
        page.matches("<section class=\"trend\"").count(),
        1,
        "{page}"
    );
    assert!(page.contains("<rect class=\"band duplicity\""), "{page}");
    assert!(page.contains("1 of 1 pair contradict"), "{page}");
    let lower = page.to_ascii_lowercase();
    for bad in ["<script", "</script", "<img", "onerror=", "alert(1)>"] {
        assert!(!lower.contains(bad), "the page contains {bad}: {page}");
    }
    // The ids are there, as text.
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains("&quot;&gt;&lt;img src&#61;x onerror&#61;alert(1)&gt;"),
        "{page}"
    );
    // Nothing is fetched, and the check page's policy says so.
    assert!(page.contains("content=\"default-src 'none';"), "{page}");
    for tag in [
        "<link",
        "<iframe",
        "<object",
        "<embed",
        "src=\"http",
        "href=\"http",
        "url(",
    ] {
        assert!(!lower.contains(tag), "the page contains {tag}");
    }
}

#[test]
fn the_html_trend_draws_at_most_limit_charts_most_contradicted_first() {
    let data = load(&root());
    let all = written(&data, Period::Month, TrendFormat::Html, 0);
    let charts = all.matches("<svg class=\"tr\"").count();
    assert!(charts >= 2, "{all}");
    assert!(!all.contains("--limit 0"), "{all}");
    let one = written(&data, Period::Month, TrendFormat::Html, 1);
    assert_eq!(one.matches("<svg class=\"tr\"").count(), 1);
    assert!(
        one.contains(&format!("1 of {charts} actor → target series are drawn")),
        "{one}"
    );
    // The first chart is the same either way, and has the most
    // contradictions of all.
    let first = |page: &str| {
        let start = page.find("<section").unwrap();
        let end = page[start..].find("</section>").unwrap();
        page[start..start + end].to_string()
    };
    assert_eq!(first(&one), first(&all));
    let contradictions = |section: &str| -> u32 {
        let at = section.find(" contradiction").unwrap();
        let digits: String = section[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().unwrap()
    };
    let counts: Vec<u32> = all.split("<section").skip(1).map(contradictions).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // Deterministic bytes.
    assert_eq!(all, written(&data, Period::Month, TrendFormat::Html, 0));
}

/// A cell's values counted the slow way, from the records and the pairs.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    claims: u32,
    actions: u32,
    stance_sum: i64,
    effect_sum: i64,
    pairs: u32,
    contradictions: u32,
    /// Duplicity and bluster.
    kinds: (u32, u32),
    consistent: u32,
    /// The severities of the consistent pairs and of the contradictions,
    /// in units of 0.0001, as `say_do` gives them back.
    say_do: Option<f64>,
}

/// The say-do index of severities in units, as the report states it.
fn say_do(consistent: u64, contradiction: u64) -> Option<f64> {
    let (c, x) = (
        consistent as f64 / 10_000.0,
        contradiction as f64 / 10_000.0,
    );
    (c + x > 0.0).then(|| (((c - x) / (c + x)) * 10_000.0).round() / 10_000.0)
}

/// Holds each cell of the trend of `data` to exactly the records whose
/// principal actors, target principals and month are its own, and to the
/// pairs whose claim it holds, as counted from the check's pairs: every
/// count, each kind, and the say-do index of their severities.
fn assert_cells_are_counts_of_records_and_pairs(data: &Dataset, settings: Settings) {
    let r = report::check(data, settings, Filters::default());
    // The documented rule: members of the set that act for no one,
    // else the record's own actor (or target).
    let top = |set: &[u32], own: u32| -> Vec<u32> {
        let t: Vec<u32> = set
            .iter()
            .copied()
            .filter(|&a| data.actors[a as usize].roles.is_empty())
            .collect();
        if t.is_empty() { vec![own] } else { t }
    };
    let month = |date: &str| {
        if date.len() >= 7 {
            date[..7].to_string()
        } else {
            format!("{date}-01")
        }
    };
    let id = |a: u32| data.actors[a as usize].id.clone();
    type Key = (String, Option<String>, String);
    let cells_of = |actor: u32,
                    principals: &[u32],
                    target: Option<u32>,
                    targets: &[u32],
                    date: String|
     -> Vec<Key> {
        let whom: Vec<Option<String>> = match target {
            Some(t) => top(targets, t).into_iter().map(|t| Some(id(t))).collect(),
            None => vec![None],
        };
        top(principals, actor)
            .into_iter()
            .flat_map(|a| whom.iter().map(move |t| (a, t.clone())))
            .map(|(a, t)| (id(a), t, date.clone()))
            .collect()
    };
    let mut expected: BTreeMap<Key, Expected> = BTreeMap::new();
    let claim_cells: Vec<Vec<Key>> = (0..data.claims.len())
        .map(|c| {
            let rec = &data.claims[c];
            cells_of(
                rec.actor,
                r.claim_principals(c),
                rec.target,
                r.claim_target_principals(c),
                month(&rec.date.to_string()),
            )
        })
        .collect();
    for (c, cells) in claim_cells.iter().enumerate() {
        for key in cells {
            let e = expected.entry(key.clone()).or_default();
            e.claims += 1;
            e.stance_sum += data.claims[c].score as i64;
        }
    }
    for a in 0..data.actions.len() {
        let rec = &data.actions[a];
        for key in cells_of(
            rec.actor,
            r.action_principals(a),
            rec.target,
            r.action_target_principals(a),
            month(&rec.date.to_string()),
        ) {
            let e = expected.entry(key).or_default();
            e.actions += 1;
            e.effect_sum += rec.score as i64;
        }
    }
    let mut severities: BTreeMap<Key, (u64, u64)> = BTreeMap::new();
    for p in &r.pairs {
        for key in &claim_cells[p.claim as usize] {
            let e = expected.entry(key.clone()).or_default();
            e.pairs += 1;
            e.contradictions += u32::from(p.verdict.is_contradiction());
            e.consistent += u32::from(p.verdict == Verdict::Consistent);
            match p.verdict.kind() {
                Some(Kind::Duplicity) => e.kinds.0 += 1,
                Some(Kind::Bluster) => e.kinds.1 += 1,
                None => {}
            }
            let units = u64::from(p.severity_units);
            let sums = severities.entry(key.clone()).or_default();
            match p.verdict {
                Verdict::Consistent => sums.0 += units,
                Verdict::Contradiction(_) => sums.1 += units,
                _ => {}
            }
        }
    }
    for (key, (consistent, contradiction)) in severities {
        if let Some(e) = expected.get_mut(&key) {
            e.say_do = say_do(consistent, contradiction);
        }
    }

    let t = trend(data, settings, Period::Month);
    let mut got: BTreeMap<Key, Expected> = BTreeMap::new();
    for cell in &t.cells {
        let key = (id(cell.actor), cell.target.map(id), t.label(cell.period));
        let sum = |n: u32, mean: Option<f64>| mean.map_or(0, |m| (m * f64::from(n)).round() as i64);
        let values = Expected {
            claims: cell.claims,
            actions: cell.actions,
            stance_sum: sum(cell.claims, cell.stance()),
            effect_sum: sum(cell.actions, cell.effect()),
            pairs: cell.pairs(),
            contradictions: cell.contradictions(),
            kinds: cell.kinds(),
            consistent: cell.consistent(),
            say_do: cell.say_do(),
        };
        assert!(got.insert(key, values).is_none(), "a cell twice");
        // The verdict is the judgement of the two means.
        if let (Some(s), Some(e)) = (cell.stance(), cell.effect()) {
            assert_eq!(
                cell.verdict(settings.threshold),
                Some(saydo::report::judge(s, e, settings.threshold, false))
            );
            assert_eq!(cell.gap(), Some(((s - e) * 10_000.0).round() / 10_000.0));
        } else {
            assert_eq!(cell.gap(), None);
        }
    }
    let keys: std::collections::BTreeSet<&Key> = got.keys().chain(expected.keys()).collect();
    let differ: Vec<_> = keys
        .into_iter()
        .filter(|k| got.get(*k) != expected.get(*k))
        .map(|k| (k, got.get(k), expected.get(k)))
        .collect();
    assert!(
        differ.is_empty(),
        "cells that differ (got, expected): {differ:#?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each cell holds exactly the records whose principal actors, target
    /// principals and month are its own, and the pairs whose claim it
    /// holds, as counted from the report's pairs; at any window and
    /// threshold (a threshold above some stances makes their words take
    /// no side).
    #[test]
    fn every_cell_is_the_count_of_its_records_and_pairs(
        (actors, claims, actions) in arb_dataset(),
        lookback in 0u32..800,
        horizon in 0u32..800,
        threshold in prop_oneof![Just(2.0), 0.0f64..8.0],
    ) {
        let dir = generated_dir(&actors, &claims, &actions, (1, 2));
        let data = load(dir.path());
        assert_cells_are_counts_of_records_and_pairs(&data, Settings { lookback, horizon, threshold });
    }
}

/// The trend counts claims a block at a time, in an order of its own,
/// and marks the actions each claim has counted (an action can stand in
/// two of a claim's windows: one per principal and topic the two share)
/// in room handed from block to block. Thousands of claims, each of an
/// actor acting for a state (two principals), on one to three topics,
/// most aimed at a target that has two principals or three, over a few
/// hundred actions that answer one another: many blocks, marks met again
/// by later claims, and every kind of window.
#[test]
fn the_counts_of_many_claims_are_the_counts_of_their_pairs() {
    let states = ["s0", "s1", "s2"];
    let members = ["m0", "m1", "m2", "m3", "m4", "m5"];
    let mut actors: Vec<serde_json::Value> = states
        .iter()
        .map(|s| serde_json::json!({"id": s, "name": s.to_uppercase(), "kind": "state"}))
        .collect();
    for (i, m) in members.iter().enumerate() {
        // m5 acts for two states: its target has three principals.
        let mut acts_for = vec![serde_json::json!({"actor": states[i % 3], "role": "r"})];
        if i == 5 {
            acts_for.push(serde_json::json!({"actor": "s0", "role": "r", "from": "2021-03"}));
        }
        actors.push(serde_json::json!({"id": m, "name": m.to_uppercase(), "kind": "person", "acts_for": acts_for}));
    }
    let everyone: Vec<&str> = states.iter().chain(members.iter()).copied().collect();
    let topics = ["war", "trade", "aid", "water"];
    let date = |i: usize| {
        format!(
            "20{:02}-{:02}-{:02}",
            20 + i % 4,
            1 + (i / 7) % 12,
            1 + i % 28
        )
    };
    let record = |prefix: &str, i: usize, n: usize| {
        let who = everyone[(i * 7) % everyone.len()];
        let ts: Vec<&str> = (0..1 + i % 3).map(|k| topics[(i + k * 3) % 4]).collect();
        let mut v = serde_json::json!({
            "id": format!("{prefix}{}", (i * 7919) % n),
            "actor": who,
            "date": date(i),
            "topics": ts,
            "text": "t",
        });
        if !i.is_multiple_of(5) {
            v["target"] = serde_json::json!(everyone[(i * 3 + 1) % everyone.len()]);
        }
        v
    };
    let claims: Vec<serde_json::Value> = (0..3000)
        .map(|i| {
            let mut v = record("c", i, 3000);
            v["stance"] = serde_json::json!(5.0 - (i % 11) as f64);
            if i.is_multiple_of(13) {
                v["about"] = serde_json::json!(["future", "past"][i % 2]);
            }
            v
        })
        .collect();
    let actions: Vec<serde_json::Value> = (0..400)
        .map(|i| {
            let mut v = record("a", i * 3 + 1, 1200);
            v["effect"] = serde_json::json!(4.0 - (i % 10) as f64);
            v["attribution"] =
                serde_json::json!(["confirmed", "reported", "alleged", "disputed"][i % 4]);
            if i % 9 == 3 {
                v["responds_to"] = serde_json::json!([actions_id(i - 1)]);
            }
            v
        })
        .collect();
    fn actions_id(i: usize) -> String {
        format!("a{}", ((i * 3 + 1) * 7919) % 1200)
    }
    let dir = generated_dir(&serde_json::json!(actors), &claims, &actions, (3, 2));
    let data = load(dir.path());
    let r = report::check(&data, Settings::default(), Filters::default());
    assert!(r.pairs.len() > 20_000, "{} pairs", r.pairs.len());
    for settings in [
        Settings::default(),
        Settings {
            lookback: 40,
            horizon: 90,
            threshold: 3.0,
        },
    ] {
        assert_cells_are_counts_of_records_and_pairs(&data, settings);
    }
    // A crowd: more claims than a block holds, all of one member about
    // the same target on the same two topics, so that claims of different
    // blocks meet the same actions, each in two windows.
    let crowd: Vec<serde_json::Value> = (0..2500)
        .map(|i| {
            serde_json::json!({"id": format!("k{i}"), "actor": "m1", "date": format!("2021-05-{:02}", 1 + i % 28),
                "target": "m2", "topics": ["war", "trade"], "stance": 5.0 - (i % 11) as f64, "text": "t"})
        })
        .collect();
    let dir = generated_dir(&serde_json::json!(actors), &crowd, &actions, (1, 1));
    let data = load(dir.path());
    let r = report::check(&data, Settings::default(), Filters::default());
    assert!(r.pairs.len() > 10_000, "{} pairs", r.pairs.len());
    assert_cells_are_counts_of_records_and_pairs(&data, Settings::default());
}
