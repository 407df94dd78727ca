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
    same_reports_on(&engines(), None, dir, settings)
}

/// [`same_reports`] on `engines`, their tables written under `work`.
fn same_reports_on(
    engines: &[Engine],
    work: Option<&Path>,
    dir: &Path,
    settings: Settings,
) -> usize {
    let data = saydo::load(dir).unwrap_or_else(|e| panic!("{:#?}", e.problems));
    let native = saydo::check(&data, settings, Default::default());
    let expected = printed(&native);
    for engine in engines {
        let name = engine.name();
        let started = std::time::Instant::now();
        let report =
            engines::check(&data, settings, engine, work).unwrap_or_else(|e| panic!("{name}: {e}"));
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

/// The trend of `dir` by each of `periods` (Ballista by the first only),
/// held to the native one: the same cells (sums to the bit) and the same bytes in
/// every format. Returns the number of cells with words and deeds.
fn same_trends(dir: &Path, settings: Settings, periods: &[Period]) -> usize {
    let data = saydo::load(dir).unwrap_or_else(|e| panic!("{:#?}", e.problems));
    let mut compared = 0;
    for (i, &by) in periods.iter().enumerate() {
        let native = saydo::report::trend::trend(&data, settings, by);
        let expected = printed_trend(&native);
        // Every engine on the first period; DataFusion alone on the
        // others. The plans are the same whatever the period's length, and
        // Ballista's own faults (rows repeated by unions and outer joins)
        // show on any: each of its runs costs some 20 s of its polling.
        let mut on = engines();
        if i > 0 {
            on.truncate(1);
        }
        for engine in on {
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

/// 60 actors (12 states, 48 members, some for a time, some through a
/// second role), 600 claims and 900 actions on 12 topics over 6 years,
/// half of them with a target.
const SMALL: Shape = Shape {
    states: 12,
    members: 48,
    claims: 600,
    actions: 900,
    topics: 12,
    targeted: 50,
    years: 6,
};

/// Another window and threshold than the default: settings reach the
/// plans.
const NARROW: Settings = Settings {
    lookback: 30,
    horizon: 90,
    threshold: 5.5,
};

#[test]
fn the_engines_agree_on_a_small_synthetic_set() {
    let dir = generated(7, &SMALL);
    let pairs = same_reports(dir.path(), Settings::default());
    assert!(pairs > 1_000, "{pairs} pairs");
    let fewer = same_reports(dir.path(), NARROW);
    assert!(fewer < pairs, "{fewer} of {pairs}");
    let cells = same_trends(
        dir.path(),
        Settings::default(),
        &[Period::Month, Period::Quarter],
    );
    assert!(cells > 50, "{cells} cells with words and deeds");
    same_trends(dir.path(), NARROW, &[Period::Year]);
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
    // --engine-dir: made when missing, and left empty when done.
    let work = tempfile::tempdir().unwrap();
    let missing = work.path().join("not").join("yet");
    let native = run(&["check", "--format", "json"]);
    let df = run(&[
        "check",
        "--format",
        "json",
        "--engine",
        "datafusion",
        "--engine-dir",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(df.0, Some(0), "{}", df.2);
    assert!(df.1 == native.1, "--engine-dir: the report differs");
    let left: Vec<_> = std::fs::read_dir(&missing).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
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

/// A Ballista cluster of separate processes: a scheduler and two
/// executors, each a `saydo-ballista` process on free localhost ports,
/// gives the native engine's report in every format, through the
/// library and through `saydo check --engine ballista --scheduler`, and
/// both executors run tasks of it.
#[cfg(feature = "ballista")]
#[test]
fn a_cluster_of_separate_processes_gives_the_same_reports() {
    use cluster::{Cluster, LIMIT};
    let cluster = Cluster::start(2);
    let url = cluster.url();
    let engine = [Engine::Ballista {
        scheduler: Some(url.clone()),
    }];
    // saydo writes its tables under the folder every executor reads (here
    // the same machine's).
    let work = cluster.engine_dir.clone();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let small = generated(7, &SMALL);
    let small_dir = small.path().to_path_buf();
    let (bundled, pairs, fewer) = cluster.within("the checks through the library", {
        let (engine, work, root) = (engine.clone(), work.clone(), root.clone());
        move || {
            let on = |dir: &Path, settings| same_reports_on(&engine, Some(&work), dir, settings);
            (
                on(&root, Settings::default()),
                on(&small_dir, Settings::default()),
                on(&small_dir, NARROW),
            )
        }
    });
    assert!(bundled > 0);
    assert!(pairs > 1_000, "{pairs} pairs");
    assert!(fewer < pairs, "{fewer} of {pairs}");

    // The work was spread: each executor wrote shuffle files (a job's
    // stages' task outputs) into its own work folder.
    for dir in &cluster.work_dirs {
        let (stages, tasks) = cluster::shuffle_outputs(dir);
        eprintln!("{}: {stages} stages, {tasks} task outputs", dir.display());
        assert!(
            tasks > 0,
            "{} ran no task\n{}",
            dir.display(),
            cluster.logs()
        );
    }

    // The command line: --scheduler and --engine-dir reach the engine.
    let saydo = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_saydo"));
        command.args(args).current_dir(&root);
        cluster::output_within(command, LIMIT)
    };
    for format in ["json", "csv"] {
        let native = saydo(&["check", "--format", format, "--fail-on", "duplicity"]);
        let remote = saydo(&[
            "check",
            "--format",
            format,
            "--fail-on",
            "duplicity",
            "--engine",
            "ballista",
            "--scheduler",
            &url,
            "--engine-dir",
            work.to_str().unwrap(),
        ]);
        assert_eq!(native.0, Some(1), "{}", native.2);
        assert_eq!(
            remote.0,
            native.0,
            "{format}: {}\n{}",
            remote.2,
            cluster.logs()
        );
        assert!(remote.1 == native.1, "--format {format} differs");
    }
    // saydo removes its tables when done.
    let left: Vec<_> = std::fs::read_dir(&work).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// No scheduler at the address: a clear error, at once, from the library,
/// `saydo check` (exit 2) and a `saydo-ballista` executor (exit 2); a bad
/// flag is exit 2 too.
#[cfg(feature = "ballista")]
#[test]
fn a_scheduler_that_is_not_running_is_a_clear_error() {
    use cluster::{LIMIT, free_ports};
    // A port nothing listens on: found free, then let go.
    let port = free_ports(1)[0];
    let url = format!("df://127.0.0.1:{port}");
    let root = env!("CARGO_MANIFEST_DIR");
    let data = saydo::load(Path::new(root)).unwrap();
    let engine = Engine::Ballista {
        scheduler: Some(url.clone()),
    };
    let started = std::time::Instant::now();
    let err = match engines::check(&data, Settings::default(), &engine, None) {
        Ok(_) => panic!("a check with no scheduler at {url} passed"),
        Err(e) => e,
    };
    let says = format!("cannot reach the Ballista scheduler at {url}");
    assert!(err.contains(&says), "{err}");
    assert!(started.elapsed() < LIMIT, "{:?}", started.elapsed());

    let mut check = std::process::Command::new(env!("CARGO_BIN_EXE_saydo"));
    check
        .args(["check", "--engine", "ballista", "--scheduler", &url])
        .current_dir(root);
    let (code, out, err) = cluster::output_within(check, LIMIT);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty() && err.contains(&says), "{err}");

    let ballista = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_saydo-ballista"));
        command.args(args);
        cluster::output_within(command, LIMIT)
    };
    let [flight, grpc] = free_ports(2)[..] else {
        unreachable!()
    };
    let (code, _, err) = ballista(&[
        "executor",
        "--scheduler-host",
        "127.0.0.1",
        "--scheduler-port",
        &port.to_string(),
        "--bind-host",
        "127.0.0.1",
        "--bind-port",
        &flight.to_string(),
        "--bind-grpc-port",
        &grpc.to_string(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    let says = format!("could not connect to the scheduler at 127.0.0.1:{port}");
    assert!(err.contains(&says), "{err}");
    for bad in [
        &["scheduler", "--bind-port", "70000"][..],
        &["executor", "--bind-host", "localhost:1"],
        &["executor", "--vcores", "-1"],
        &["worker"],
        &[],
    ] {
        let (code, out, err) = ballista(bad);
        assert_eq!(code, Some(2), "{bad:?}: {err}");
        assert!(
            out.is_empty() && !err.contains("panicked"),
            "{bad:?}: {err}"
        );
    }
}

/// Scheduler and executor processes for the tests, and waiting on them
/// with a time limit: a cluster that does not start or stops answering
/// fails the test with its processes' output instead of hanging it.
#[cfg(feature = "ballista")]
mod cluster {
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    /// Most a process may take to start listening, and a check or a
    /// command to finish; far more than they take (seconds), for a busy
    /// machine.
    pub const LIMIT: Duration = Duration::from_secs(240);

    /// Distinct ports free on localhost now: each bound at once (port 0,
    /// the system's pick), then let go for a process to bind.
    pub fn free_ports(n: usize) -> Vec<u16> {
        let held: Vec<TcpListener> = (0..n)
            .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        held.iter()
            .map(|l| l.local_addr().unwrap().port())
            .collect()
    }

    /// A `saydo-ballista` process, with the file its output goes to.
    struct Process {
        name: String,
        child: Child,
        log: PathBuf,
    }

    /// A scheduler and executors on localhost, killed when dropped:
    /// when the test ends, passed or failed.
    pub struct Cluster {
        processes: Vec<Process>,
        scheduler_port: u16,
        /// The executors' work folders (shuffle files), in order.
        pub work_dirs: Vec<PathBuf>,
        /// The folder saydo writes its tables into, which every executor
        /// reads.
        pub engine_dir: PathBuf,
        root: tempfile::TempDir,
    }

    impl Cluster {
        /// Starts a scheduler and `executors` executors (a task at a time
        /// each, so that a stage of two tasks or more spreads over them).
        /// A port taken between finding it free and binding it makes a
        /// process exit at once: then the cluster starts again on other
        /// ports, three times at most.
        pub fn start(executors: usize) -> Cluster {
            let mut failures = String::new();
            for _ in 0..3 {
                match Cluster::try_start(executors) {
                    Ok(cluster) => return cluster,
                    Err(e) => failures.push_str(&e),
                }
            }
            panic!("the cluster did not start:\n{failures}");
        }

        fn try_start(executors: usize) -> Result<Cluster, String> {
            let root = tempfile::Builder::new()
                .prefix("saydo-cluster-")
                .tempdir()
                .unwrap();
            let engine_dir = root.path().join("tables");
            std::fs::create_dir_all(&engine_dir).unwrap();
            let ports = free_ports(1 + 2 * executors);
            let mut cluster = Cluster {
                processes: Vec::new(),
                scheduler_port: ports[0],
                work_dirs: Vec::new(),
                engine_dir,
                root,
            };
            let scheduler = ports[0].to_string();
            cluster.spawn(
                "scheduler",
                &[
                    "scheduler",
                    "--bind-host",
                    "127.0.0.1",
                    "--bind-port",
                    &scheduler,
                ],
                &[ports[0]],
            )?;
            for e in 0..executors {
                let (flight, grpc) = (ports[1 + 2 * e], ports[2 + 2 * e]);
                let work = cluster.root.path().join(format!("executor-{e}"));
                cluster.spawn(
                    &format!("executor {e}"),
                    &[
                        "executor",
                        "--scheduler-host",
                        "127.0.0.1",
                        "--scheduler-port",
                        &scheduler,
                        "--bind-host",
                        "127.0.0.1",
                        "--bind-port",
                        &flight.to_string(),
                        "--bind-grpc-port",
                        &grpc.to_string(),
                        "--work-dir",
                        work.to_str().unwrap(),
                        "--vcores",
                        "1",
                    ],
                    &[flight, grpc],
                )?;
                cluster.work_dirs.push(work);
            }
            Ok(cluster)
        }

        /// Starts a process and waits until it listens on `ports`.
        fn spawn(&mut self, name: &str, args: &[&str], ports: &[u16]) -> Result<(), String> {
            let log = self.root.path().join(format!("{name}.log"));
            let file = std::fs::File::create(&log).unwrap();
            let mut command = Command::new(env!("CARGO_BIN_EXE_saydo-ballista"));
            command
                .args(args)
                .stdin(Stdio::null())
                .stdout(file.try_clone().unwrap())
                .stderr(file);
            die_with_parent(&mut command);
            let child = command.spawn().unwrap();
            self.processes.push(Process {
                name: name.to_owned(),
                child,
                log,
            });
            let started = Instant::now();
            let process = self.processes.last_mut().unwrap();
            loop {
                if let Some(status) = process.child.try_wait().unwrap() {
                    return Err(format!("{name} exited ({status}):\n{}", self.logs()));
                }
                let listening = ports.iter().all(|&p| {
                    let addr = SocketAddr::from(([127, 0, 0, 1], p));
                    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
                });
                if listening {
                    return Ok(());
                }
                if started.elapsed() > LIMIT {
                    return Err(format!(
                        "{name} did not listen in {LIMIT:?}:\n{}",
                        self.logs()
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }

        /// The scheduler's URL, as `--scheduler` takes it.
        pub fn url(&self) -> String {
            format!("df://127.0.0.1:{}", self.scheduler_port)
        }

        /// The last lines each process printed (Ballista's log), for a
        /// failure's message.
        pub fn logs(&self) -> String {
            const LINES: usize = 40;
            let mut out = String::new();
            for p in &self.processes {
                let text = std::fs::read_to_string(&p.log).unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                let tail = &lines[lines.len().saturating_sub(LINES)..];
                out.push_str(&format!("--- {} (last {LINES} lines):\n", p.name));
                for line in tail {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            out
        }

        /// Runs `f` on a thread of its own, and fails with the cluster's
        /// output if it takes past [`LIMIT`] (the thread is left behind;
        /// the cluster's processes are killed as the test fails).
        pub fn within<T: Send + 'static>(
            &self,
            what: &str,
            f: impl FnOnce() -> T + Send + 'static,
        ) -> T {
            let (send, receive) = std::sync::mpsc::channel();
            let thread = std::thread::spawn(move || {
                let _ = send.send(f());
            });
            match receive.recv_timeout(LIMIT) {
                Ok(value) => value,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    panic!("{what}: no answer in {LIMIT:?}\n{}", self.logs())
                }
                // `f` panicked: fail with its panic.
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match thread.join() {
                    Err(panic) => std::panic::resume_unwind(panic),
                    Ok(()) => unreachable!("the thread sends before it ends"),
                },
            }
        }
    }

    impl Drop for Cluster {
        fn drop(&mut self) {
            for p in &mut self.processes {
                let _ = p.child.kill();
                let _ = p.child.wait();
            }
        }
    }

    /// On Linux, a process the test starts is killed when the test's
    /// thread ends, should the test itself be killed (a CI time limit)
    /// before [`Cluster`]'s drop runs: no scheduler is left holding a
    /// port.
    #[cfg(target_os = "linux")]
    fn die_with_parent(command: &mut Command) {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe and touches no memory of the
        // parent, as code between fork and exec must.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn die_with_parent(_: &mut Command) {}

    /// The stages and the task outputs of the jobs an executor ran, as
    /// its work folder holds them: `JOB/STAGE/PARTITION/data*.arrow`.
    pub fn shuffle_outputs(dir: &Path) -> (usize, usize) {
        let (mut stages, mut tasks) = (0, 0);
        let dirs = |p: &Path| -> Vec<PathBuf> {
            std::fs::read_dir(p)
                .map(|d| {
                    d.flatten()
                        .map(|e| e.path())
                        .filter(|p| p.is_dir())
                        .collect()
                })
                .unwrap_or_default()
        };
        for job in dirs(dir) {
            for stage in dirs(&job) {
                let mut ran = false;
                for partition in dirs(&stage) {
                    let files = std::fs::read_dir(&partition)
                        .into_iter()
                        .flatten()
                        .flatten();
                    let outputs = files
                        .filter(|f| f.file_name().to_string_lossy().ends_with(".arrow"))
                        .count();
                    tasks += outputs;
                    ran |= outputs > 0;
                }
                stages += usize::from(ran);
            }
        }
        (stages, tasks)
    }

    /// Runs `command` to its end, or kills it past `limit`: its exit code,
    /// standard output and standard error.
    pub fn output_within(mut command: Command, limit: Duration) -> (Option<i32>, Vec<u8>, String) {
        let dir = tempfile::tempdir().unwrap();
        let (out, err) = (dir.path().join("out"), dir.path().join("err"));
        command
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap());
        let mut child = command.spawn().unwrap();
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{command:?} did not end in {limit:?}: {}",
                    std::fs::read_to_string(&err).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        (
            status.code(),
            std::fs::read(&out).unwrap(),
            std::fs::read_to_string(&err).unwrap(),
        )
    }
}

/// Runs the binary in `dir` with `TMPDIR` set to `tmp`: its exit status,
/// standard output and standard error.
fn saydo_in(dir: &Path, tmp: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_saydo"))
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", tmp)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The entries of a folder, by name.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Holds the tables in `got` to those in `want`: the same tables, the
/// same columns and rows read back (a difference named by table and
/// row), and the same bytes.
fn same_tables(got: &Path, want: &Path, what: &str) {
    let tables: Vec<String> = saydo_tables()
        .iter()
        .map(|t| format!("{t}.parquet"))
        .collect();
    let mut sorted = tables.clone();
    sorted.sort();
    assert_eq!(entries(got), sorted, "{what}: the tables written");
    assert_eq!(entries(want), sorted, "{what}: the tables of export DIR");
    for table in &tables {
        let rows = |dir: &Path| saydo_datafusion::tables::read_rows(&dir.join(table)).unwrap();
        let (got_rows, want_rows) = (rows(got), rows(want));
        for (i, (g, w)) in got_rows.iter().zip(&want_rows).enumerate() {
            assert_eq!(g, w, "{what}: {table}, line {i} (0 is the columns)");
        }
        assert_eq!(got_rows.len(), want_rows.len(), "{what}: rows of {table}");
        let bytes = |dir: &Path| std::fs::read(dir.join(table)).unwrap();
        assert!(bytes(got) == bytes(want), "{what}: bytes of {table}");
    }
}

/// `export --from FORMAT FILE` writes the tables that `import FORMAT
/// FILE --out D && export D` write, for every format's fixtures (bad rows
/// skipped with --skip-bad included), with the same exit status as the
/// import, and writes nothing else: no dataset of JSON beside the tables
/// or in the temporary folder.
#[test]
fn export_from_event_files_writes_the_tables_of_import_then_export() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let sheet = [
        "--map",
        "actor=Who",
        "--map",
        "date=When",
        "--map",
        "text=Said",
        "--map",
        "score=Score",
        "--map",
        "url=Link",
        "--kind",
        "claims",
    ];
    let cases: Vec<(&str, &str, Vec<&str>, i32)> = vec![
        ("gdelt", "gdelt/gdelt1-20141124.export.tsv", vec![], 0),
        (
            "gdelt",
            "gdelt/gdelt2-events-50rows-with-header.tsv",
            vec![],
            0,
        ),
        ("icews", "icews/icews-events-2018-300rows.tab", vec![], 0),
        ("plover", "plover/plover-gsr-cameo-subset.json", vec![], 0),
        ("acled", "acled/events.csv", vec![], 0),
        ("acled", "acled/bad-rows.csv", vec!["--skip-bad"], 1),
        ("csv", "csv/statements.csv", sheet.to_vec(), 0),
        (
            "csv",
            "csv/deeds-dmy.tsv",
            vec!["--map", "text=What happened", "--date-format", "%d/%m/%Y"],
            0,
        ),
        (
            "csv",
            "csv/bad-rows.csv",
            [&sheet[..], &["--skip-bad"]].concat(),
            1,
        ),
    ];
    let mut tables_with_rows = 0;
    for (format, file, options, status) in cases {
        let what = format!("{format} {file}");
        let file = fixtures.join(file);
        let file = file.to_str().unwrap();
        let (work, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (work, tmp) = (work.path(), tmp.path());
        let direct: Vec<&str> = [
            &["export", "--from", format, file][..],
            &options,
            &["--out", "direct"],
        ]
        .concat();
        let (code, out, err) = saydo_in(work, tmp, &direct);
        assert_eq!(code, Some(status), "{what}: {err}");
        assert!(out.is_empty(), "{what}: {out}");
        assert!(err.contains("exported "), "{what}: {err}");
        // Nothing but the tables: no JSON beside them, none left in the
        // temporary folder.
        assert_eq!(entries(work), ["direct"], "{what}");
        assert!(entries(tmp).is_empty(), "{what}: {:?}", entries(tmp));
        let import: Vec<&str> = [
            &["import", format, file][..],
            &options,
            &["--out", "dataset"],
        ]
        .concat();
        let (code, _, err) = saydo_in(work, tmp, &import);
        assert_eq!(code, Some(status), "{what}: {err}");
        let (code, _, err) = saydo_in(work, tmp, &["export", "dataset", "--out", "two-steps"]);
        assert_eq!(code, Some(0), "{what}: {err}");
        same_tables(&work.join("direct"), &work.join("two-steps"), &what);
        let claims =
            saydo_datafusion::tables::read_rows(&work.join("direct/claims.parquet")).unwrap();
        let actions =
            saydo_datafusion::tables::read_rows(&work.join("direct/actions.parquet")).unwrap();
        tables_with_rows += usize::from(claims.len() > 1) + usize::from(actions.len() > 1);
    }
    // The fixtures make claims and actions: the tables compared hold rows
    // (a table of none is written as one row of nulls).
    assert!(tables_with_rows >= 12, "{tables_with_rows}");
}

/// `export --from` places bad rows in their event file as `saydo import`
/// does and writes nothing (exit 2); `--out` appears complete or not at
/// all, and an existing one is replaced only with `--force`; options that
/// belong to --from, or to spreadsheets, are usage errors elsewhere.
#[test]
fn export_from_refuses_bad_rows_and_an_existing_out_as_import_does() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let (work, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (work, tmp) = (work.path(), tmp.path());
    let bad = fixtures.join("acled/bad-rows.csv");
    let bad = bad.to_str().unwrap();
    let (code, out, err) = saydo_in(work, tmp, &["export", "--from", "acled", bad, "--out", "t"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("bad-rows.csv:3:10"), "{err}");
    assert!(err.contains("error[bad-date]"), "{err}");
    assert!(err.contains("nothing written"), "{err}");
    assert!(entries(work).is_empty(), "{:?}", entries(work));
    assert!(entries(tmp).is_empty(), "{:?}", entries(tmp));
    // The same problems, in the same words, as saydo import lists.
    let (code, _, import_err) = saydo_in(work, tmp, &["import", "acled", bad, "--out", "d"]);
    assert_eq!(code, Some(2));
    let problems = |text: &str| text.split("nothing written").next().unwrap().to_string();
    assert_eq!(problems(&err), problems(&import_err));

    // An existing --out is kept without --force, and replaced with it.
    let good = fixtures.join("acled/events.csv");
    let good = good.to_str().unwrap();
    std::fs::create_dir(work.join("t")).unwrap();
    std::fs::write(work.join("t/keep.txt"), "mine").unwrap();
    let (code, _, err) = saydo_in(
        work,
        tmp,
        &["export", "--from", "acled", good, "--out", "t"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("exists already") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(entries(&work.join("t")), ["keep.txt"]);
    let (code, _, err) = saydo_in(
        work,
        tmp,
        &["export", "--from", "acled", good, "--out", "t", "--force"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(work.join("t/actions.parquet").is_file());
    assert!(!work.join("t/keep.txt").exists());
    assert_eq!(entries(work), ["t"]);

    for (args, says) in [
        (
            &["export", "--from", "gdelt", "--out", "x"][..],
            "needs the files",
        ),
        (
            &["export", ".", "--out", "x", "--skip-bad"],
            "--skip-bad is for importing",
        ),
        (&["export", "a", "b", "--out", "x"], "--from FORMAT"),
        (
            &[
                "export", "--from", "gdelt", good, "--out", "x", "--kind", "claims",
            ],
            "--kind is for spreadsheets (--from csv)",
        ),
    ] {
        let (code, _, err) = saydo_in(work, tmp, args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!work.join("x").exists(), "{args:?}");
    }
}
