//! The differential test of `check --engine` and `trend --engine`:
//! saydo's own engine, Apache DataFusion and (with the `ballista` feature)
//! a Ballista scheduler and executor started in-process give the same
//! report and the same trend (by month, quarter and year), byte for byte,
//! in every format, on the bundled dataset, a small synthetic set and a
//! dense-shaped one. Built only with the `datafusion` feature
//! (`cargo test --features ballista --test engines`).

use std::path::Path;

use saydo::Settings;
use saydo::engines::{self, Engine};
use saydo::render::trend::TrendFormat;
use saydo::render::{Format, GroupBy, Options, style::Style};
use saydo::report::Report;
use saydo::report::trend::{Period, Trend};
use serde_json::{Value, json};

/// Every printer's bytes, with every row (`limit` 0).
fn printed(report: &Report<'_>) -> Vec<(Format, Vec<u8>)> {
    let options = Options {
        width: 100,
        limit: 0,
        style: Style::PLAIN,
        path_prefix: String::new(),
        has_baseline: false,
        group_by: GroupBy::Pair,
    };
    [
        Format::Table,
        Format::Json,
        Format::Jsonl,
        Format::Markdown,
        Format::Csv,
        Format::Github,
        Format::Sarif,
        Format::Junit,
        Format::Html,
    ]
    .into_iter()
    .map(|f| {
        let mut out = Vec::new();
        f.printer(&options).write(report, &mut out).unwrap();
        (f, out)
    })
    .collect()
}

/// The engines under test: DataFusion, and Ballista when built in.
fn engines() -> Vec<Engine> {
    let mut all = vec![Engine::DataFusion { memory_limit: None }];
    if cfg!(feature = "ballista") {
        all.push(Engine::Ballista { scheduler: None });
    }
    all
}

/// Checks `dir` on every engine and holds each report to the native
/// one: the same pairs, claims and actors, and the same bytes in every
/// format. Returns the number of pairs.
fn same_reports(dir: &Path, settings: Settings) -> usize {
    let data = saydo::load(dir).unwrap_or_else(|e| panic!("{:#?}", e.problems));
    let native = saydo::check(&data, settings, Default::default());
    let expected = printed(&native);
    for engine in engines() {
        let name = engine.name();
        let started = std::time::Instant::now();
        let report = engines::check(&data, settings, &engine, None)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!(
            "{name}: {} pairs of {} in {:.1?}",
            report.pairs.len(),
            dir.display(),
            started.elapsed()
        );
        assert_eq!(report.pairs.len(), native.pairs.len(), "{name}: pairs");
        for (i, (got, want)) in report.pairs.iter().zip(&native.pairs).enumerate() {
            assert_eq!(got, want, "{name}: pair {i} of {}", dir.display());
        }
        assert_eq!(report.claims, native.claims, "{name}: claims");
        assert_eq!(report.actors, native.actors, "{name}: actors");
        for ((format, got), (_, want)) in printed(&report).iter().zip(&expected) {
            assert!(
                got == want,
                "{name}: --format {format:?} differs from the native engine's"
            );
        }
    }
    native.pairs.len()
}

/// Every trend printer's bytes, with every cell (`limit` 0).
fn printed_trend(trend: &Trend<'_>) -> Vec<(TrendFormat, Vec<u8>)> {
    TrendFormat::NAMES
        .into_iter()
        .map(|(_, f)| {
            let mut out = Vec::new();
            saydo::render::trend::write(trend, f, 100, 0, &mut out).unwrap();
            (f, out)
        })
        .collect()
}

/// The trend of `dir` by each of `periods` on every engine, held to the
/// native one: the same cells (sums to the bit) and the same bytes in
/// every format. Returns the number of cells with words and deeds.
fn same_trends(dir: &Path, settings: Settings, periods: &[Period]) -> usize {
    let data = saydo::load(dir).unwrap_or_else(|e| panic!("{:#?}", e.problems));
    let mut compared = 0;
    for &by in periods {
        let native = saydo::report::trend::trend(&data, settings, by);
        let expected = printed_trend(&native);
        for engine in engines() {
            let name = engine.name();
            let started = std::time::Instant::now();
            let trend = engines::trend(&data, settings, by, &engine, None)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            eprintln!(
                "{name}: trend by {} of {}, {} cells in {:.1?}",
                by.as_str(),
                dir.display(),
                trend.cells.len(),
                started.elapsed()
            );
            assert_eq!(trend.cells.len(), native.cells.len(), "{name}: cells");
            for (i, (got, want)) in trend.cells.iter().zip(&native.cells).enumerate() {
                assert_eq!(
                    got,
                    want,
                    "{name}: cell {i} by {} of {}",
                    by.as_str(),
                    dir.display()
                );
            }
            for ((format, got), (_, want)) in printed_trend(&trend).iter().zip(&expected) {
                assert!(
                    got == want,
                    "{name}: trend --by {} --format {format:?} differs from the native engine's",
                    by.as_str()
                );
            }
        }
        compared = native.by_gap().len();
    }
    compared
}

/// A small pseudo-random generator, so the sets are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Shapes of generated sets.
struct Shape {
    states: usize,
    /// Organisations and people acting for the states, some for a time.
    members: usize,
    claims: usize,
    actions: usize,
    /// Topics to draw from; 0 for none (every claim a general stance,
    /// as in event data).
    topics: usize,
    /// Percent of records with a target.
    targeted: usize,
    years: usize,
}

fn date(rng: &mut Rng, years: usize) -> String {
    let year = 2015 + rng.below(years);
    match rng.below(10) {
        0 => format!("{year}"),
        1..=3 => format!("{year}-{:02}", 1 + rng.below(12)),
        _ => format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
    }
}

/// Scores on the threshold's edges and at 0 as well as in between.
fn score(rng: &mut Rng) -> f64 {
    const EDGES: [f64; 9] = [0.0, 2.0, -2.0, 1.9, -1.9, 10.0, -10.0, 0.5, -7.5];
    if rng.chance(30) {
        EDGES[rng.below(EDGES.len())]
    } else {
        (rng.below(201) as f64 - 100.0) / 10.0
    }
}

/// A dataset folder of the shape.
fn generated(seed: u64, shape: &Shape) -> tempfile::TempDir {
    let mut rng = Rng(seed);
    let mut actors = Vec::new();
    for s in 0..shape.states {
        actors.push(
            json!({"id": format!("state-{s}"), "name": format!("State {s}"), "kind": "state"}),
        );
    }
    for m in 0..shape.members {
        let state = rng.below(shape.states);
        let mut role = json!({"actor": format!("state-{state}"), "role": "member"});
        // Roles that begin, end or both, each in a year of the set.
        let from = 2015 + rng.below(shape.years);
        let to = from + rng.below(3);
        if rng.chance(40) {
            role["from"] = json!(format!("{from}-{:02}", 1 + rng.below(12)));
        }
        if rng.chance(30) {
            role["to"] = json!(format!("{to}"));
        }
        let mut acts_for = vec![role];
        // Some act for an earlier member too: chains of two roles.
        if m > 0 && rng.chance(25) {
            acts_for.push(json!({"actor": format!("member-{}", rng.below(m)), "role": "aide"}));
        }
        actors.push(
            json!({"id": format!("member-{m}"), "name": format!("Member {m}"),
            "kind": if rng.chance(50) { "person" } else { "organization" }, "acts_for": acts_for}),
        );
    }
    let n = actors.len();
    let record = |rng: &mut Rng, i: usize, kind: &str| {
        let id = format!("{kind}-{i:05}");
        let mut v = json!({"id": id, "actor": actors[rng.below(n)]["id"], "date": date(rng, shape.years),
            "text": format!("{kind} {i}")});
        if rng.chance(shape.targeted) {
            v["target"] = actors[rng.below(n)]["id"].clone();
        }
        if shape.topics > 0 && rng.chance(80) {
            let k = 1 + rng.below(2);
            let topics: Vec<String> = (0..k)
                .map(|_| format!("Topic_{}", rng.below(shape.topics)))
                .collect();
            v["topics"] = json!(topics);
        }
        v
    };
    let mut claims = Vec::new();
    for i in 0..shape.claims {
        let mut c = record(&mut rng, i, "claim");
        c["stance"] = json!(score(&mut rng));
        if rng.chance(15) {
            c["about"] = json!(if rng.chance(50) { "future" } else { "past" });
        }
        claims.push(c);
    }
    let mut actions: Vec<Value> = Vec::new();
    for i in 0..shape.actions {
        let mut a = record(&mut rng, i, "action");
        a["effect"] = json!(score(&mut rng));
        const ATTRIBUTION: [&str; 4] = ["confirmed", "reported", "alleged", "disputed"];
        if rng.chance(60) {
            a["attribution"] = json!(ATTRIBUTION[rng.below(4)]);
        }
        if i > 0 && rng.chance(20) {
            a["responds_to"] = json!([format!("action-{:05}", rng.below(i))]);
        }
        actions.push(a);
    }
    let dir = tempfile::tempdir().unwrap();
    let write = |sub: &str, records: &[Value]| {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        let lines: Vec<String> = records.iter().map(Value::to_string).collect();
        std::fs::write(dir.path().join(sub).join("part.jsonl"), lines.join("\n")).unwrap();
    };
    write("actors", &actors);
    write("claims", &claims);
    write("actions", &actions);
    dir
}

#[test]
fn the_engines_agree_on_the_bundled_dataset() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pairs = same_reports(root, Settings::default());
    assert!(pairs > 0);
    let cells = same_trends(
        root,
        Settings::default(),
        &[Period::Month, Period::Quarter, Period::Year],
    );
    assert!(cells > 0);
}

#[test]
fn the_engines_agree_on_a_small_synthetic_set() {
    // 60 actors (12 states, 48 members, some for a time, some through a
    // second role), 600 claims and 900 actions on 12 topics over 6 years,
    // half of them with a target.
    let shape = Shape {
        states: 12,
        members: 48,
        claims: 600,
        actions: 900,
        topics: 12,
        targeted: 50,
        years: 6,
    };
    let dir = generated(7, &shape);
    let pairs = same_reports(dir.path(), Settings::default());
    assert!(pairs > 1_000, "{pairs} pairs");
    // Another window and threshold: settings reach the plans.
    let narrow = Settings {
        lookback: 30,
        horizon: 90,
        threshold: 5.5,
    };
    let fewer = same_reports(dir.path(), narrow);
    assert!(fewer < pairs, "{fewer} of {pairs}");
    let cells = same_trends(
        dir.path(),
        Settings::default(),
        &[Period::Month, Period::Quarter],
    );
    assert!(cells > 50, "{cells} cells with words and deeds");
    same_trends(dir.path(), narrow, &[Period::Year]);
}

#[test]
fn the_engines_agree_on_a_dense_shaped_set() {
    // A dense-shaped set of 8 actors (4 states, 4 members), 450 claims
    // and 450 actions without topics over 3 years (event data: every
    // claim a general stance meeting every deed of its actor in its
    // window), a fifth with a target: tens of thousands of pairs, a
    // hundred per claim.
    let shape = Shape {
        states: 4,
        members: 4,
        claims: 450,
        actions: 450,
        topics: 0,
        targeted: 20,
        years: 3,
    };
    let dir = generated(11, &shape);
    let pairs = same_reports(dir.path(), Settings::default());
    assert!(pairs > 40_000, "{pairs} pairs");
    let cells = same_trends(
        dir.path(),
        Settings::default(),
        &[Period::Month, Period::Year],
    );
    assert!(cells > 10, "{cells} cells with words and deeds");
}

#[test]
fn export_writes_a_parquet_table_per_kind_of_record() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = saydo::load(root).unwrap();
    let out = tempfile::tempdir().unwrap();
    engines::export(&data, out.path()).unwrap();
    for table in saydo_tables() {
        let file = out.path().join(format!("{table}.parquet"));
        let bytes = std::fs::read(&file).unwrap();
        // Parquet files start and end with the magic bytes.
        assert_eq!(&bytes[..4], b"PAR1", "{table}");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1", "{table}");
    }
}

fn saydo_tables() -> [&'static str; 8] {
    [
        "actors",
        "roles",
        "chains",
        "claims",
        "claim_topics",
        "actions",
        "action_topics",
        "responses",
    ]
}

/// The binary: `--engine datafusion` prints what `--engine native` prints
/// and exits as it does, for `check` and `trend`; the options only the
/// native engine has are refused with exit 2.
#[test]
fn the_command_line_prints_the_same_report_on_every_engine() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_saydo"))
            .args(args)
            .current_dir(root)
            .output()
            .unwrap();
        (
            out.status.code(),
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for format in ["json", "markdown", "csv"] {
        let native = run(&["check", "--format", format, "--fail-on", "duplicity"]);
        let df = run(&[
            "check",
            "--format",
            format,
            "--fail-on",
            "duplicity",
            "--engine",
            "datafusion",
        ]);
        assert_eq!(native.0, Some(1), "{}", native.2);
        assert_eq!(df.0, native.0, "{format}: {}", df.2);
        assert!(df.1 == native.1, "--format {format} differs");
    }
    // trend: the same bytes and exit; an engine's setting with another
    // engine is refused with exit 2.
    for format in ["csv", "html"] {
        let native = run(&["trend", "--by", "quarter", "--format", format]);
        let df = run(&[
            "trend",
            "--by",
            "quarter",
            "--format",
            format,
            "--engine",
            "datafusion",
            "--memory-limit",
            "1024",
        ]);
        assert_eq!(native.0, Some(0), "{}", native.2);
        assert_eq!(df.0, native.0, "trend {format}: {}", df.2);
        assert!(df.1 == native.1, "trend --format {format} differs");
    }
    let (code, out, err) = run(&["trend", "--engine", "datafusion", "--scheduler", "df://h:1"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        out.is_empty() && err.contains("is a setting of --engine"),
        "{err}"
    );
    for refused in [
        &["--top", "3"][..],
        &["--actor", "iran"],
        &["--since", "2021"],
    ] {
        let mut args = vec!["check", "--engine", "datafusion"];
        args.extend_from_slice(refused);
        let (code, out, err) = run(&args);
        assert_eq!(code, Some(2), "{refused:?}: {err}");
        assert!(out.is_empty() && err.contains("--engine native"), "{err}");
    }
    // export writes a table per kind of record; an invalid dataset is
    // exit 2 with the problem's place, and nothing written.
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["export", ".", "--out", out.path().to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.path().join("claims.parquet").is_file());
    let bad = tempfile::tempdir().unwrap();
    for sub in ["actors", "claims", "actions"] {
        std::fs::create_dir_all(bad.path().join(sub)).unwrap();
    }
    std::fs::write(bad.path().join("claims/c.jsonl"), "{\"id\": 1}\n").unwrap();
    let target = bad.path().join("tables");
    let (code, _, err) = run(&[
        "export",
        bad.path().to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("c.jsonl:1:"), "{err}");
    assert!(!target.exists());
}
