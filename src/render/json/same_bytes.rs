//! The one place the fast writer is held to the wire types.
//!
//! Whole reports are written twice: by the JSON and JSON Lines printers,
//! whose pairs, claims and actions come from the fast writer, and by serde
//! from the wire values of [`wire`](super::wire), laid out as the printers
//! lay them out. The two must be the same bytes. The reports: the bundled
//! dataset, every fixture that loads (the hostile one among them), and
//! generated datasets (roles that start and end, aliases, documents with
//! quotes, responses, claims about the future or the past, texts full of
//! what JSON escapes); each once as it is and once with some of its pairs
//! known from a baseline.
//!
//! A field added to a wire type and not to the fast writer (or the other
//! way round) fails here, naming the report and the first byte that
//! differs.

use super::reference::{action_json, claim_json, pair_json};
use super::wire::{
    ActorJson, ClaimJson, PairJson, ReportJson, SCHEMA_VERSION, TotalsJson, actor_json, settings,
    tool,
};
use crate::engine::rules::Settings;
use crate::render::common::totals;
use crate::report::{self, Filters, Report};
use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::{Value, json};
use std::io;
use std::path::{Path, PathBuf};

/// The whole report as one wire value.
fn report_json<'a>(r: &Report<'a>) -> ReportJson<'a> {
    ReportJson {
        schema_version: SCHEMA_VERSION,
        tool: tool(),
        settings: settings(r),
        totals: TotalsJson::from(totals(r)),
        actors: r.actors.iter().map(|s| actor_json(r, s)).collect(),
        claims: r.claims.iter().map(|c| claim_json(r, c)).collect(),
        actions: r
            .paired_actions
            .iter()
            .map(|&a| action_json(r, a))
            .collect(),
        pairs: (0..r.pairs.len()).map(|i| pair_json(r, i)).collect(),
    }
}

/// One JSON Lines line: as `crate::schema::LineJson` describes it.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum LineJson<'a> {
    Pair(PairJson<'a>),
    Claim(ClaimJson<'a>),
    Actor(ActorJson<'a>),
}

/// serde_json's compact text laid out as the JSON report is: the members
/// after `tool` each on a line of its own, and each element of the
/// top-level arrays on a line of its own (`[]` when there is none).
#[derive(Default)]
struct ReportLayout {
    depth: usize,
    members: usize,
    elements: usize,
}

impl Formatter for ReportLayout {
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.depth == 1 {
            self.members += 1;
        }
        match (first, self.depth == 1 && self.members > 2) {
            (true, _) => Ok(()),
            (false, true) => w.write_all(b",\n"),
            (false, false) => w.write_all(b","),
        }
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        if self.depth == 2 {
            self.elements = 0;
        }
        w.write_all(b"[")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.depth == 2 {
            self.elements += 1;
            w.write_all(if first { b"\n" } else { b",\n" })
        } else if first {
            Ok(())
        } else {
            w.write_all(b",")
        }
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        let top = self.depth == 2;
        self.depth -= 1;
        if top && self.elements > 0 {
            w.write_all(b"\n]")
        } else {
            w.write_all(b"]")
        }
    }
}

/// The JSON report as serde writes its wire value.
fn serde_report(r: &Report<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, ReportLayout::default());
    report_json(r).serialize(&mut ser).unwrap();
    out.push(b'\n');
    out
}

/// The JSON Lines report as serde writes its lines.
fn serde_lines(r: &Report<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    let pairs = (0..r.pairs.len()).map(|i| LineJson::Pair(pair_json(r, i)));
    let claims = r.claims.iter().map(|c| LineJson::Claim(claim_json(r, c)));
    let actors = r.actors.iter().map(|s| LineJson::Actor(actor_json(r, s)));
    for line in pairs.chain(claims).chain(actors) {
        serde_json::to_writer(&mut out, &line).unwrap();
        out.push(b'\n');
    }
    out
}

/// Asserts the two are the same bytes; else names the first that differs,
/// with what comes before and after it.
fn assert_same(what: &str, fast: &[u8], serde: &[u8]) {
    if fast == serde {
        return;
    }
    let at = fast
        .iter()
        .zip(serde)
        .position(|(a, b)| a != b)
        .unwrap_or(fast.len().min(serde.len()));
    let around = |b: &[u8]| {
        String::from_utf8_lossy(&b[at.saturating_sub(200)..(at + 200).min(b.len())]).into_owned()
    };
    panic!(
        "{what}: the fast writer and the wire types differ at byte {at}\n\
         fast:  …{}…\nserde: …{}…",
        around(fast),
        around(serde)
    );
}

/// Both printers against serde, for one report.
fn check(what: &str, r: &Report<'_>) {
    let mut fast = Vec::new();
    super::write(r, &mut fast).unwrap();
    assert_same(&format!("{what}, JSON"), &fast, &serde_report(r));
    let mut fast = Vec::new();
    crate::render::jsonl::write(r, &mut fast).unwrap();
    assert_same(&format!("{what}, JSON Lines"), &fast, &serde_lines(r));
}

/// What a dataset exercised of the writer.
#[derive(Default, Debug)]
struct Seen {
    pairs: usize,
    known: usize,
    responses: bool,
    escaped: bool,
    /// Claims written with `about`.
    about: bool,
    /// Pairs written with a reviewer's decision.
    reviewed: usize,
}

/// Checks the dataset's report as it is, then with every other pair known
/// from a baseline.
fn check_dataset(dir: &Path, seen: &mut Seen) {
    let data = crate::validate::load(dir)
        .unwrap_or_else(|e| panic!("{}: {:#?}", dir.display(), e.problems));
    let what = dir.display().to_string();
    let mut r = report::check(&data, Settings::default(), Filters::default());
    check(&what, &r);
    let mut json = Vec::new();
    super::write(&r, &mut json).unwrap();
    let mut baseline: Value = serde_json::from_slice(&json).unwrap();
    if let Some(pairs) = baseline["pairs"].as_array_mut() {
        let mut keep = false;
        pairs.retain(|_| {
            keep = !keep;
            keep
        });
    }
    let baseline =
        crate::engine::baseline::Baseline::parse(&serde_json::to_vec(&baseline).unwrap())
            .expect("a report is a baseline");
    r.mark_known(&baseline);
    check(&format!("{what}, with a baseline"), &r);
    seen.pairs += r.pairs.len();
    seen.known += (0..r.pairs.len()).filter(|&i| r.is_known(i)).count();
    seen.reviewed += (0..r.pairs.len())
        .filter(|&i| r.decision(i).is_some())
        .count();
    seen.responses |= r
        .paired_actions
        .iter()
        .any(|&a| !data.actions[a as usize].responds_to.is_empty());
    seen.escaped |= json.windows(2).any(|w| w == b"\\\"" || w == b"\\u");
    seen.about |= r
        .claims
        .iter()
        .any(|c| data.claims[c.claim as usize].about != crate::model::About::Any);
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_bundled_dataset_and_every_fixture_that_loads() {
    let mut seen = Seen::default();
    check_dataset(&root(), &mut seen);
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    fixtures.sort();
    let mut loaded = Vec::new();
    for dir in fixtures {
        if crate::validate::load(&dir).is_ok() {
            check_dataset(&dir, &mut seen);
            loaded.push(dir.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(loaded.iter().any(|n| n == "hostile"), "{loaded:?}");
    assert!(seen.reviewed >= 4, "{seen:?}");
    assert!(seen.known > 0 && seen.known < seen.pairs, "{seen:?}");
    assert!(seen.escaped, "{seen:?}");
}

#[test]
fn generated_datasets() {
    let mut seen = Seen::default();
    for seed in 1..=6 {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), seed);
        check_dataset(dir.path(), &mut seen);
    }
    assert!(seen.known > 0 && seen.known < seen.pairs, "{seen:?}");
    assert!(seen.responses && seen.escaped && seen.about, "{seen:?}");
}

/// Numbers drawn from a seed, the same on every machine.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn date(&mut self) -> String {
        let year = 2015 + self.below(8);
        match self.below(3) {
            0 => format!("{year}"),
            1 => format!("{year}-{:02}", 1 + self.below(12)),
            _ => format!("{year}-{:02}-{:02}", 1 + self.below(12), 1 + self.below(28)),
        }
    }
}

/// Texts as data may hold them: plain, and full of what JSON escapes.
const TEXTS: [&str; 8] = [
    "plain words",
    "a \"quoted\" word and a back\\slash",
    "a line\nbreak, a tab\tand a CR\r\nLF",
    "control \u{1}\u{1f}\u{7f} characters",
    "é ü 漢字 🚀 سلام",
    "a \u{202e}bidi override and \u{2028} separators \u{2029}",
    "</script><b>&amp;</b> {0} %0A ::error::x",
    "",
];

const TOPICS: [&str; 5] = ["land", "trade", "water-rights", "été \"quoted\"", "a\\b"];

const SCORES: [f64; 12] = [
    -10.0, -7.5, -6.0, -2.0, -1.5, 0.0, 1.0, 2.0, 3.25, 6.0, 9.5, 10.0,
];

/// A dataset drawn from `seed`: principals and people acting for them over
/// periods, claims and actions between them, some quoting a document.
pub(crate) fn generate(dir: &Path, seed: u64) {
    let mut d = Draw(seed);
    let actors = 4 + d.below(6);
    let principals = 3;
    let mut list = Vec::new();
    for i in 0..actors {
        let mut actor = json!({
            "id": format!("actor-{i}"),
            "name": format!("Actor {i} {}", d.pick(&TEXTS[..5]).replace('\n', " ")),
            "kind": d.pick(&["state", "person", "organization", "group"]),
            "aliases": [format!("alias {i}")],
        });
        if i >= principals {
            let mut roles = Vec::new();
            for p in [i % principals, (i + 1) % principals] {
                if roles.is_empty() || d.chance(40) {
                    let mut role = json!({"actor": format!("actor-{p}"), "role": d.pick(&TEXTS)});
                    if d.chance(60) {
                        let from = 2015 + d.below(4);
                        role["from"] = json!(format!("{from}"));
                        role["to"] = json!(format!("{}-06", from + 1 + d.below(4)));
                    }
                    roles.push(role);
                }
            }
            actor["acts_for"] = json!(roles);
        }
        list.push(actor);
    }
    let seeds_doc: Vec<String> = (0..20)
        .map(|k| format!("line {k}: said words {k} here"))
        .collect();
    let who = |d: &mut Draw| {
        let i = d.below(actors);
        match d.below(3) {
            0 => format!("actor-{i}"),
            1 => format!("alias {i}"),
            _ => format!("actor-{i}"),
        }
    };
    let topics = |d: &mut Draw| -> Vec<&str> {
        let n = d.below(3);
        (0..n).map(|_| *d.pick(&TOPICS)).collect()
    };
    let claims: Vec<Value> = (0..20 + d.below(30))
        .map(|i| {
            let mut c = json!({
                "id": format!("claim-{i}"),
                "actor": who(&mut d),
                "date": d.date(),
                "text": d.pick(&TEXTS),
                "topics": topics(&mut d),
                "stance": d.pick(&SCORES),
            });
            if d.chance(80) {
                c["target"] = json!(format!("actor-{}", d.below(principals)));
            }
            if d.chance(30) {
                c["notes"] = json!(d.pick(&TEXTS));
            }
            if d.chance(40) {
                c["about"] = json!(d.pick(&["future", "past"]));
            }
            match d.below(4) {
                0 => {
                    let k = d.below(seeds_doc.len());
                    c["source"] =
                        json!({"document": "seeds/said.txt", "quote": format!("said words {k}")});
                }
                1 => {
                    c["source"] = json!({"url": format!("https://example.org/{}", d.pick(&TEXTS))})
                }
                _ => {}
            }
            c
        })
        .collect();
    let n_actions = 30 + d.below(40);
    let actions: Vec<Value> = (0..n_actions)
        .map(|i| {
            let mut a = json!({
                "id": format!("action-{i}"),
                "actor": who(&mut d),
                "date": d.date(),
                "text": d.pick(&TEXTS),
                "topics": topics(&mut d),
                "effect": d.pick(&SCORES),
                "attribution": d.pick(&["confirmed", "reported", "alleged", "disputed"]),
            });
            if d.chance(85) {
                a["target"] = json!(format!("actor-{}", d.below(principals)));
            }
            if i > 0 && d.chance(25) {
                a["responds_to"] = json!([format!("action-{}", d.below(i))]);
            }
            if d.chance(20) {
                a["source"] = json!({"url": "http://example.org/a \"b\""});
            }
            a
        })
        .collect();
    for (sub, value) in [
        ("actors", json!(list)),
        ("claims", json!(claims)),
        ("actions", json!(actions)),
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("data.json"), value.to_string()).unwrap();
    }
    std::fs::create_dir_all(dir.join("seeds")).unwrap();
    std::fs::write(dir.join("seeds/said.txt"), seeds_doc.join("\n")).unwrap();
}
