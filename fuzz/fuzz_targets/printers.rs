//! Arbitrary strings in a small valid dataset: actor names and aliases,
//! claim and action texts, notes, URLs, topics and a quote (proven against
//! a document that contains it), around a contradiction (a warm claim by a
//! person acting for a state, a hostile deed of the state), a second claim
//! and a reciprocal deed. The dataset must load, the contradiction must be
//! reported, and every printer's output must hold up (see
//! `saydo_fuzz::check_report`): JSON, each JSONL line and SARIF parse,
//! CSV parses with even rows, JUnit is well-formed XML, GitHub lines start
//! with `::`, HTML has exactly one `<script` and only anchor or web links.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use saydo::model::normalize_name;
use serde_json::{Value, json};

#[derive(Arbitrary, Debug)]
struct Input {
    /// Display names of the person, the state and the target.
    names: [String; 3],
    aliases: Vec<String>,
    /// Bytes turned into the tails of ids (`[a-z0-9-]`).
    id_tails: [Vec<u8>; 4],
    claim_text: String,
    action_text: String,
    notes: String,
    url: String,
    quote: String,
    topics: Vec<String>,
    stance: u8,
    effect: u8,
    /// Hostile words and kind deeds (bluster) instead of duplicity.
    bluster: bool,
    /// Append markup and quotes meant to break out of every format.
    hostile: bool,
    second_stance: i8,
    second_effect: i8,
    attribution: u8,
    claim_date: u8,
}

const HOSTILE: &str =
    "</script><script>alert(1)</script><!-- \"'&\u{2028}`=\r\n,;|*_[x](javascript:y)::error::%0A";

fn id(prefix: &str, tail: &[u8]) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    let mut s = prefix.to_string();
    s.extend(
        tail.iter()
            .take(12)
            .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char),
    );
    s
}

fn score(v: i8) -> f64 {
    f64::from(v.rem_euclid(21)) - 10.0
}

fuzz_target!(|input: Input| {
    let root = saydo_fuzz::scratch("printers");
    let spice = |s: &str| {
        if input.hostile {
            format!("{s}{HOSTILE}")
        } else {
            s.to_string()
        }
    };
    let [t0, t1, t2, t3] = &input.id_tails;
    let (person, state, target) = (id("p-", t0), id("s-", t1), id("t-", t2));
    let ids = [&person, &state, &target];
    // Names and aliases that would make an id ambiguous are replaced.
    let safe = |name: String, fallback: &str| {
        if ids.iter().any(|i| normalize_name(&name) == **i) {
            fallback.to_string()
        } else {
            name
        }
    };
    let [n0, n1, n2] = input.names.clone().map(|n| spice(&n));
    let names = [safe(n0, "Person"), safe(n1, "State"), safe(n2, "Target")];
    let aliases: Vec<String> = input
        .aliases
        .iter()
        .take(3)
        .map(|a| safe(spice(a), "State alias"))
        .collect();
    let actors = json!([
        {"id": person, "name": names[0], "kind": "person",
         "acts_for": [{"actor": state, "role": spice("leader"), "from": "2020-01-01"}]},
        {"id": state, "name": names[1], "kind": "state", "aliases": aliases},
        {"id": target, "name": names[2], "kind": "group"},
    ]);

    let mut topics: Vec<String> = input.topics.iter().take(4).map(|t| spice(t)).collect();
    topics.push("trade".into());
    let magnitude = |v: u8| f64::from(2 + v % 9);
    let sign = if input.bluster { -1.0 } else { 1.0 };
    let claim_date = ["2021", "2021-03", "2021-03-15"][input.claim_date as usize % 3];
    let quote = spice(&input.quote);
    let has_quote = quote.chars().any(|c| !c.is_whitespace());
    let mut source = json!({"url": spice(&input.url)});
    if has_quote {
        source["document"] = json!("seeds/doc.txt");
        source["quote"] = json!(quote);
    }
    let (c1, c2, a1, a2) = (id("c1-", t3), id("c2-", t3), id("a1-", t3), id("a2-", t3));
    let claims = json!([
        {"id": c1, "actor": person, "date": claim_date, "target": target, "topics": topics,
         "stance": sign * magnitude(input.stance), "text": spice(&input.claim_text),
         "notes": spice(&input.notes), "source": source},
        {"id": c2, "actor": state, "date": "2022", "stance": score(input.second_stance),
         "text": spice(&input.action_text)},
    ]);
    let attribution =
        ["confirmed", "reported", "alleged", "disputed"][input.attribution as usize % 4];
    let actions = json!([
        {"id": a1, "actor": state, "date": "2021-06-01", "target": target, "topics": topics,
         "effect": -sign * magnitude(input.effect), "attribution": attribution,
         "text": spice(&input.action_text), "notes": spice(&input.notes),
         "source": {"url": spice(&input.url)}},
        {"id": a2, "actor": target, "date": "2021-07", "target": state,
         "effect": score(input.second_effect), "responds_to": [a1],
         "text": spice(&input.claim_text)},
    ]);

    saydo_fuzz::write(root, "actors/actors.json", actors.to_string());
    saydo_fuzz::write(root, "claims/claims.json", claims.to_string());
    saydo_fuzz::write(root, "actions/actions.json", actions.to_string());
    saydo_fuzz::write(
        root,
        "seeds/doc.txt",
        format!("Said on the record:\n{quote}\n"),
    );

    let data = match saydo::load(root) {
        Ok(data) => data,
        Err(invalid) => {
            let shown = saydo::render::problems::human(
                &invalid.problems,
                &invalid.files,
                saydo::render::style::Style::PLAIN,
            );
            panic!("a valid dataset did not load:\n{shown}");
        }
    };
    saydo_fuzz::check_problems(&data.warnings, &data.files);
    let report = saydo::report::check(
        &data,
        saydo::Settings::default(),
        saydo::report::Filters::default(),
    );
    saydo_fuzz::check_report(&report);

    // The contradiction is reported, as duplicity or bluster.
    let mut out = Vec::new();
    saydo::render::json::write(&report, &mut out).unwrap();
    let json: Value = serde_json::from_slice(&out).unwrap();
    let kind = if input.bluster {
        "bluster"
    } else {
        "duplicity"
    };
    let found = json["pairs"].as_array().is_some_and(|pairs| {
        pairs.iter().any(|p| {
            p["claim_id"] == c1.as_str()
                && p["action_id"] == a1.as_str()
                && p["verdict"] == "contradiction"
                && p["kind"] == kind
        })
    });
    assert!(found, "the {kind} {c1} / {a1} is not reported:\n{json:#}");
});
