//! Criterion benchmarks of saydo's hot paths on a synthetic dataset made
//! here (no Python needed): loading and validating, resolving principals,
//! pairing and judging, and rendering JSON and the table.
//!
//! `cargo bench --features internals` runs them (principals are resolved
//! by a crate internal, which the feature exposes); BENCHMARKS.md has the whole-process numbers on
//! the standard datasets, made by bench/run.sh.

use criterion::{Criterion, criterion_group, criterion_main};
use saydo::internals::principals::{Chains, Principals};
use saydo::{Filters, Settings};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

/// A deterministic pseudo-random stream (LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Writes `states` states with `agents` agents each, and claims and actions.
fn generate(dir: &Path, states: u64, agents: u64, claims: u64, actions: u64) {
    let mut rng = Rng(7);
    let mut actors = String::from("[\n");
    for s in 0..states {
        let _ = writeln!(
            actors,
            r#"{{"id":"s{s}","name":"State {s}","kind":"state","aliases":["Capital {s}"]}},"#
        );
        for a in 0..agents {
            let from = 2000 + rng.next(20);
            let _ = writeln!(
                actors,
                r#"{{"id":"s{s}-a{a}","name":"Agent {s} {a}","kind":"person","acts_for":[{{"actor":"s{s}","role":"envoy","from":"{from}","to":"{}"}}]}},"#,
                from + 1 + rng.next(6)
            );
        }
    }
    actors.pop();
    actors.pop();
    actors.push_str("\n]\n");
    let topics = [
        "trade",
        "war",
        "water",
        "aid",
        "border",
        "energy",
        "Cyber Security",
        "human_rights",
    ];
    let mut records = |kind: &str, n: u64| {
        let mut out = String::new();
        for i in 0..n {
            let s = rng.next(states);
            let actor = if rng.next(3) == 0 {
                format!("s{s}")
            } else {
                format!("s{s}-a{}", rng.next(agents))
            };
            let target = (s + 1 + rng.next(3)) % states;
            let date = match rng.next(10) {
                0 => format!("{}", 2000 + rng.next(25)),
                1 | 2 => format!("{}-{:02}", 2000 + rng.next(25), 1 + rng.next(12)),
                _ => format!(
                    "{}-{:02}-{:02}",
                    2000 + rng.next(25),
                    1 + rng.next(12),
                    1 + rng.next(28)
                ),
            };
            let score = rng.next(21) as i64 - 10;
            let field = if kind == "c" { "stance" } else { "effect" };
            let _ = writeln!(
                out,
                r#"{{"id":"{kind}-{i}","actor":"{actor}","date":"{date}","target":"s{target}","topics":["{}"],"{field}":{score},"text":"Record {i} of a benchmark dataset, about as long as a short news sentence."}}"#,
                topics[rng.next(topics.len() as u64) as usize]
            );
        }
        out
    };
    let claims_text = records("c", claims);
    let actions_text = records("a", actions);
    for (sub, name, text) in [
        ("actors", "actors.json", actors),
        ("claims", "claims.jsonl", claims_text),
        ("actions", "actions.jsonl", actions_text),
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join(name), text).unwrap();
    }
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 50, 20, 5_000, 50_000);
    let data = saydo::load(dir.path()).unwrap();

    let mut group = c.benchmark_group("hot paths (5k claims, 50k actions)");
    group.sample_size(10);
    group.bench_function("load and validate", |b| {
        b.iter(|| black_box(saydo::load(dir.path()).unwrap()))
    });
    group.bench_function("resolve principals", |b| {
        b.iter(|| {
            let chains = Chains::build(&data.actors).unwrap();
            black_box(Principals::compute(&data, &chains))
        })
    });
    group.bench_function("pair and judge", |b| {
        b.iter(|| {
            black_box(
                saydo::check(&data, Settings::default(), Filters::default())
                    .pairs
                    .len(),
            )
        })
    });
    let r = saydo::check(&data, Settings::default(), Filters::default());
    group.bench_function("render json", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(64 << 20);
            saydo::render::json::write(&r, &mut out).unwrap();
            black_box(out.len())
        })
    });
    group.bench_function("render table", |b| {
        b.iter(|| black_box(saydo::render::table::render(&r, &Default::default()).len()))
    });
    group.finish();
}

criterion_group!(hot_paths, benches);
criterion_main!(hot_paths);
