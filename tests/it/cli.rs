//! The command line as CI scripts use it: exit statuses of the gate,
//! baselines, --output, explain, filters and colour.

use crate::support::{Saydo, copy_bundled};

use serde_json::Value;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_gate_sets_the_exit_status() {
    assert_eq!(
        Saydo::new().args(["check"]).run().code(),
        Some(0),
        "no gate by default"
    );
    assert_eq!(
        Saydo::new()
            .args(["check", "--fail-on", "none"])
            .run()
            .code(),
        Some(0)
    );
    assert_eq!(
        Saydo::new()
            .args(["check", "--fail-on", "duplicity"])
            .run()
            .code(),
        Some(1)
    );
    assert_eq!(
        Saydo::new()
            .args(["check", "--fail-on", "contradiction"])
            .run()
            .code(),
        Some(1)
    );
    // The bundled dataset's worst contradiction is 0.4194.
    assert_eq!(
        Saydo::new()
            .args([
                "check",
                "--fail-on",
                "contradiction",
                "--min-severity",
                "0.42"
            ])
            .run()
            .code(),
        Some(0)
    );
    assert_eq!(
        Saydo::new()
            .args([
                "check",
                "--fail-on",
                "contradiction",
                "--min-severity",
                "0.41"
            ])
            .run()
            .code(),
        Some(1)
    );
    // Usage errors and invalid data are 2.
    assert_eq!(
        Saydo::new()
            .args(["check", "--fail-on", "sometimes"])
            .run()
            .code(),
        Some(2)
    );
    assert_eq!(
        Saydo::new()
            .args([
                "check",
                "tests/fixtures/unknown-actor",
                "--fail-on",
                "duplicity"
            ])
            .run()
            .code(),
        Some(2)
    );
}

#[test]
fn a_baseline_lets_known_findings_pass_and_new_ones_fail() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    assert_eq!(
        Saydo::new()
            .args(["check", "--format", "json", "--output", s(&baseline)])
            .run()
            .code(),
        Some(0)
    );
    assert_eq!(
        Saydo::new()
            .args([
                "check",
                "--baseline",
                s(&baseline),
                "--fail-on",
                "duplicity"
            ])
            .run()
            .code(),
        Some(0)
    );

    // A new hostile deed within reach of Iran's warm words.
    let data = copy_bundled();
    let extra = r#"[{"id": "iran-new-deed-2025", "actor": "iran", "date": "2025-03", "target": "azerbaijan",
        "topics": ["energy"], "effect": -7, "text": "A new hostile deed."}]"#;
    std::fs::write(data.path().join("actions/new.json"), extra).unwrap();
    let r = Saydo::new()
        .args([
            "check",
            s(data.path()),
            "--baseline",
            s(&baseline),
            "--fail-on",
            "duplicity",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(r.code(), Some(1), "the new contradiction trips the gate");
    let report: Value = serde_json::from_str(&r.out()).unwrap();
    let pairs = report["pairs"].as_array().unwrap();
    let new: Vec<&Value> = pairs.iter().filter(|p| p["known"] != true).collect();
    assert!(!new.is_empty());
    assert!(
        new.iter().all(|p| p["action_id"] == "iran-new-deed-2025"),
        "{new:#?}"
    );
    assert!(pairs.iter().filter(|p| p["known"] == true).count() >= 13);
}

#[test]
fn a_broken_baseline_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, "not json").unwrap();
    let r = Saydo::new()
        .args(["check", "--baseline", s(&baseline)])
        .run();
    assert_eq!(r.code(), Some(2));
    assert!(r.stderr.contains("baseline"), "{}", r.stderr);
}

#[test]
fn output_is_left_intact_when_a_run_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    assert_eq!(
        Saydo::new()
            .args(["check", "--format", "json", "--output", s(&out)])
            .run()
            .code(),
        Some(0)
    );
    let good = std::fs::read(&out).unwrap();
    assert_eq!(
        Saydo::new()
            .args([
                "check",
                "tests/fixtures/bad-date-month",
                "--format",
                "json",
                "--output",
                s(&out)
            ])
            .run()
            .code(),
        Some(2)
    );
    assert_eq!(std::fs::read(&out).unwrap(), good);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left"
    );
}

#[test]
fn explain_shows_the_reasons_of_a_pair_and_why_others_are_not_paired() {
    let r = Saydo::new()
        .args([
            "explain",
            "raisi-karabakh-pledge",
            "ardabil-cleric-insults-2025",
        ])
        .run();
    assert_eq!(r.code(), Some(0));
    let stdout = r.out();
    assert!(
        stdout.contains("raisi → iran (President, 2021-08-03–2024-05-19)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ardabil-cleric → khamenei → iran"),
        "{stdout}"
    );
    assert!(stdout.contains("severity    0.2469 = strength 0.6190 × attribution 0.60 × proximity 0.6648 × order 1.00"), "{stdout}");
    let r = Saydo::new()
        .args([
            "explain",
            "khamenei-liberated",
            "ardabil-cleric-insults-2025",
        ])
        .run();
    assert_eq!(r.code(), Some(0));
    let stdout = r.out();
    assert!(stdout.contains("outside the window"), "{stdout}");
    let r = Saydo::new().args(["explain", "khamenei-liberatd"]).run();
    assert_eq!(r.code(), Some(2));
    assert!(
        r.stderr.contains("did you mean \"khamenei-liberated\""),
        "{}",
        r.stderr
    );
}

/// tests/fixtures/about: a pledge (c1, about the future, 2021-03) and a
/// denial (c2, about the past, 2021-09) of one deed (a1, 2021-06-01), and
/// a pledge made after it (c3, 2021-07-15).
#[test]
fn claims_about_the_future_or_the_past_meet_deeds_on_their_side_only() {
    let about = crate::support::root().join("tests/fixtures/about");
    let r = Saydo::new()
        .args(["check", "--format", "json"])
        .current_dir(&about)
        .run();
    r.expect(0);
    let report: Value = serde_json::from_str(&r.out()).unwrap();
    let pairs: Vec<(&str, &str)> = report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["claim_id"].as_str().unwrap(),
                p["action_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs, [("c1", "a1"), ("c2", "a1")]);
    // Each claim says what it is about; left out when it does not say.
    let abouts: Vec<(&str, Option<&str>)> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["claim_id"].as_str().unwrap(), c["about"].as_str()))
        .collect();
    assert_eq!(
        abouts,
        [
            ("c1", Some("future")),
            ("c2", Some("past")),
            ("c3", Some("future"))
        ]
    );
    let bundled = Saydo::new().args(["check", "--format", "json"]).run();
    assert!(!bundled.out().contains("\"about\""));
    // explain says why the later pledge is not held against the deed.
    let r = Saydo::new()
        .args(["explain", "c3", "a1", "--dataset", "."])
        .current_dir(&about)
        .run();
    r.expect(0);
    assert_eq!(
        r.out(),
        "c3 and a1 are not paired:\n  - the claim is about the future; the deed started before it: \
         the action starts 2021-06-01 and only deeds starting on or after the claim's first day, \
         2021-07-15, can pair with it\n"
    );
    // And a denial that the window no longer reaches back to: the window
    // is the one `about` left.
    let r = Saydo::new()
        .args(["explain", "c2", "a1", "--dataset", ".", "--lookback", "10"])
        .current_dir(&about)
        .run();
    r.expect(0);
    assert!(
        r.out().contains(
            "outside the window: the action starts 2021-06-01 but the window runs 2021-08-22 to \
             2021-09-30 (--lookback 10, --horizon 730; the claim is about the past)"
        ),
        "{}",
        r.out()
    );
    let r = Saydo::new()
        .args(["explain", "c2", "--dataset", ".", "--color", "never"])
        .current_dir(&about)
        .run();
    r.expect(0);
    assert!(
        r.out().contains(
            "  about    the past: only deeds that start on or before 2021-09-30 pair with it\n"
        ),
        "{}",
        r.out()
    );
    // The same dataset without `about`: the later pledge meets the deed too.
    let plain = tempfile::tempdir().unwrap();
    for sub in ["actors", "claims", "actions"] {
        std::fs::create_dir_all(plain.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(about.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace(r#" "about": "future","#, "")
                .replace(r#" "about": "past","#, "");
            std::fs::write(plain.path().join(sub).join(path.file_name().unwrap()), text).unwrap();
        }
    }
    let r = Saydo::new()
        .args(["check", "--format", "json"])
        .current_dir(plain.path())
        .run();
    r.expect(0);
    assert!(!r.out().contains("\"about\""));
    let report: Value = serde_json::from_str(&r.out()).unwrap();
    assert_eq!(report["pairs"].as_array().unwrap().len(), 3);
}

#[test]
fn filters_narrow_the_report_and_unknown_values_suggest() {
    let r = Saydo::new()
        .args([
            "check",
            "--actor",
            "Supreme Leader Ayatollah Khamenei",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(r.code(), Some(0));
    let report: Value = serde_json::from_str(&r.out()).unwrap();
    // Khamenei's words, and the Ardabil cleric's deed (he acts for Khamenei).
    let pairs: Vec<(&str, &str)> = report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["claim_id"].as_str().unwrap(),
                p["action_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(pairs.contains(&("khamenei-liberated", "iran-trucks-karabakh-2021-08")));
    assert!(pairs.contains(&("iran-close-country", "ardabil-cleric-insults-2025")));
    assert!(
        !pairs.iter().any(|p| p.1 == "iran-hydro-plants-2024-05"),
        "{pairs:?}"
    );
    let r = Saydo::new().args(["check", "--topic", "militery"]).run();
    assert_eq!(r.code(), Some(2));
    assert!(
        r.stderr.contains("did you mean \"military\""),
        "{}",
        r.stderr
    );
    let r = Saydo::new()
        .args(["check", "--since", "2024", "--format", "json"])
        .run();
    assert_eq!(r.code(), Some(0));
    let report: Value = serde_json::from_str(&r.out()).unwrap();
    assert!(
        report["claims"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["date"].as_str().unwrap() >= "2024")
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = Saydo::new().args(["check"]).run().out();
    assert!(!plain.contains('\x1b'), "piped output has no colour");
    let coloured = Saydo::new()
        .args(["--color", "always", "check"])
        .run()
        .out();
    assert!(coloured.contains("\x1b["));
    let out = Saydo::new()
        .args(["--color", "auto", "validate", "tests/fixtures/bad-id"])
        .env("NO_COLOR", "1")
        .run();
    assert!(!out.out().contains('\x1b'));
}

#[test]
fn the_github_format_appends_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = Saydo::new()
        .args(["check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .run();
    assert_eq!(out.code(), Some(0));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n# saydo check"), "{text}");
}

#[test]
fn timings_go_to_standard_error_and_leave_the_report_alone() {
    let plain = Saydo::new().args(["check", "--format", "json"]).run();
    let timed = Saydo::new()
        .args(["check", "--format", "json", "--timings"])
        .run();
    assert_eq!((plain.code(), timed.code()), (Some(0), Some(0)));
    assert_eq!(
        plain.out(),
        timed.out(),
        "the report is the same with --timings"
    );
    assert!(!plain.stderr.contains("timings:"));
    let err = &timed.stderr;
    let line = err
        .lines()
        .find(|l| l.starts_with("timings: "))
        .unwrap_or_else(|| panic!("no timings line in {err:?}"));
    let mut last = 0;
    for stage in ["reading ", "validating ", "pairing ", "writing ", "total "] {
        let at = line
            .find(stage)
            .unwrap_or_else(|| panic!("{stage:?} missing from {line:?}"));
        assert!(at > last, "stages in order in {line:?}");
        last = at;
        let mut words = line[at + stage.len()..].split(' ');
        let seconds = words.next().unwrap();
        assert!(seconds.parse::<f64>().is_ok(), "{seconds:?} in {line:?}");
        // Linux says how much CPU time each stage used.
        if cfg!(target_os = "linux") {
            let (s, cpu, unit) = (words.next(), words.next(), words.next());
            assert_eq!((s, unit), (Some("s"), Some("CPU-s")), "{line:?}");
            assert!(cpu.is_some_and(|c| c.parse::<f64>().is_ok()), "{line:?}");
        }
    }
}

/// The pairs of a JSON report, as (claim, action) ids.
fn pair_ids(report: &str) -> Vec<(String, String)> {
    let report: Value = serde_json::from_str(report).unwrap();
    report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["claim_id"].as_str().unwrap().to_string(),
                p["action_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_window_too_wide_for_a_day_count_takes_in_all_time_instead_of_wrapping() {
    let default_report = Saydo::new().args(["check", "--format", "json"]).run();
    let default_pairs = pair_ids(&default_report.out());
    for flag in ["--horizon", "--lookback"] {
        for days in ["2147483648", "4294967295"] {
            let r = Saydo::new()
                .args(["check", "--format", "json", flag, days])
                .run();
            assert_eq!(r.code(), Some(0), "{flag} {days}: {}", r.stderr);
            let pairs = pair_ids(&r.out());
            // A wider window keeps every pair of the default one.
            let lost: Vec<_> = default_pairs
                .iter()
                .filter(|p| !pairs.contains(p))
                .collect();
            assert!(lost.is_empty(), "{flag} {days} loses {lost:?}");
            let gate = Saydo::new()
                .args(["check", flag, days, "--fail-on", "duplicity"])
                .run();
            assert_eq!(
                gate.code(),
                Some(1),
                "{flag} {days}: the gate must still trip"
            );
        }
    }
}

#[test]
fn a_min_severity_that_is_not_a_number_in_0_to_1_is_a_usage_error() {
    for bad in ["NaN", "nan", "inf", "-inf", "-0.1", "1.5", "x"] {
        let flag = format!("--min-severity={bad}");
        let r = Saydo::new()
            .args(["check", "--fail-on", "duplicity", &flag])
            .run();
        assert_eq!(r.code(), Some(2), "--min-severity {bad}: {}", r.out());
        assert!(r.stderr.contains("--min-severity"), "{}", r.stderr);
    }
    for good in ["0", "1", "0.5"] {
        let r = Saydo::new().args(["check", "--min-severity", good]).run();
        assert_eq!(r.code(), Some(0), "--min-severity {good}: {}", r.stderr);
    }
}

#[test]
fn a_period_that_ends_before_it_starts_is_a_usage_error() {
    let r = Saydo::new()
        .args(["check", "--since", "2024", "--until", "2021"])
        .run();
    let (stdout, stderr) = (r.out(), &r.stderr);
    assert_eq!(r.code(), Some(2), "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("--since") && stderr.contains("--until"),
        "{stderr}"
    );
    // A period of one year, and one day, are fine.
    assert_eq!(
        Saydo::new()
            .args(["check", "--since", "2024", "--until", "2024"])
            .run()
            .code(),
        Some(0)
    );
    assert_eq!(
        Saydo::new()
            .args(["check", "--since", "2024-05", "--until", "2024-05-31"])
            .run()
            .code(),
        Some(0)
    );
    // A day inside a month given as the start is not "before" it.
    assert_eq!(
        Saydo::new()
            .args(["check", "--since", "2024-05", "--until", "2024-05-01"])
            .run()
            .code(),
        Some(0)
    );
}

#[test]
fn validate_help_names_every_format_it_writes() {
    let help = Saydo::new().args(["validate", "--help"]).run();
    for format in ["table", "json", "github", "sarif", "junit"] {
        assert!(help.out().contains(format), "{format}: {}", help.out());
    }
}

#[test]
fn counts_of_one_are_singular_in_the_headline() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, text) in [
        (
            "claims",
            r#"[{"id": "c", "actor": "x", "date": "2020", "stance": 6, "text": "t"}]"#,
        ),
        (
            "actions",
            r#"[{"id": "a", "actor": "x", "date": "2020", "effect": -6, "text": "t"}]"#,
        ),
    ] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("data.json"), text).unwrap();
    }
    let ds = dir.path().to_str().unwrap();
    let table = Saydo::new().args(["check", ds, "--color", "never"]).run();
    assert!(
        table.out().starts_with(
            "saydo check: 1 claim, 1 action, 1 actor → 1 pair: 1 contradiction (1 duplicity"
        ),
        "{}",
        table.out()
    );
    let markdown = Saydo::new()
        .args(["check", ds, "--format", "markdown"])
        .run();
    assert!(
        markdown
            .out()
            .contains("**1 claim, 1 action, 1 actor → 1 pair: 1 contradiction (1 duplicity"),
        "{}",
        markdown.out()
    );
}

/// `text` without its ANSI colour sequences (`ESC [ … m`).
fn without_colour(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn coloured_tables_line_up_as_plain_ones_do() {
    let plain = Saydo::new().args(["check", "--color", "never"]).run();
    let coloured = Saydo::new().args(["check", "--color", "always"]).run();
    assert!(coloured.out().contains('\u{1b}'), "no colour asked for?");
    // The same table, once the colour is taken away: colour takes no room.
    assert_eq!(without_colour(&coloured.out()), plain.out());
}

#[test]
fn top_keeps_the_most_severe_pairs_and_takes_one_of_its_two_forms() {
    let out = Saydo::new()
        .args(["check", "--top", "2", "--format", "json"])
        .run();
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pairs = report["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    assert!(pairs.iter().all(|p| p["verdict"] == "contradiction"));
    let out = Saydo::new()
        .args(["check", "--top", "2", "--top-per-claim", "1"])
        .run();
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr
            .contains("'--top <N>' cannot be used with '--top-per-claim <N>'"),
        "{}",
        out.stderr
    );
}

/// A filtered run's headline counts what the filters keep, as its JSON
/// totals do: not every action of the dataset.
#[test]
fn a_filtered_headline_counts_the_records_kept() {
    let out = Saydo::new().args(["check", "--actor", "aliyev"]).run();
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.starts_with("saydo check: 2 claims, 0 actions, 2 actors → 0 pairs"),
        "{table}"
    );
    let out = Saydo::new()
        .args(["check", "--actor", "aliyev", "--format", "json"])
        .run();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["totals"]["actions"], 0);
}

/// The widest line of a printout, in characters (the table's borders and
/// the bundled dataset's text are one column each).
fn widest(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim_end_matches('\r').chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn the_table_fits_the_terminal_it_is_shown_on() {
    if !crate::support::terminal_available() {
        return;
    }
    // Shells do not export COLUMNS: the terminal itself is asked.
    for (columns, widest_at_least) in [(120u16, 101), (80, 60)] {
        let out = Saydo::new()
            .args(["--color", "never", "check"])
            .env("COLUMNS", "")
            .on_a_terminal_of(columns)
            .run();
        let shown = out.out();
        assert_eq!(out.code(), Some(0), "{shown}");
        let w = widest(&shown);
        assert!(
            (widest_at_least..=usize::from(columns)).contains(&w),
            "{columns} columns, widest line {w}:\n{shown}"
        );
    }
}

/// The default table at 80 and 100 columns, so that a change of layout
/// shows in review; at 80 the actors' table leaves out the kinds of
/// contradiction rather than overflow.
#[test]
fn the_default_table_at_80_and_100_columns() {
    for width in ["80", "100"] {
        let shown = Saydo::new()
            .args(["check", "--color", "never", "--width", width])
            .run()
            .out();
        assert!(widest(&shown) <= width.parse().unwrap(), "{shown}");
        insta::assert_snapshot!(format!("table_at_{width}_columns"), shown);
    }
}

/// Without the `datafusion` feature the other engines (for `check` and
/// `trend`) and `export` are not built in: each says how to build them, with exit 2, and writes nothing.
#[cfg(not(feature = "datafusion"))]
#[test]
fn engines_not_built_in_exit_2_and_say_how_to_build_them() {
    let out = tempfile::tempdir().unwrap();
    for (args, feature) in [
        (vec!["check", "--engine", "datafusion"], "datafusion"),
        (vec!["check", "--engine", "ballista"], "ballista"),
        (
            vec![
                "check",
                "--engine",
                "ballista",
                "--scheduler",
                "df://localhost:50050",
            ],
            "ballista",
        ),
        (vec!["export", "--out", s(out.path())], "datafusion"),
        (
            vec![
                "export",
                "--from",
                "gdelt",
                "tests/fixtures/import/gdelt/gdelt1-20141124.export.tsv",
                "--out",
                s(out.path()),
                "--force",
            ],
            "datafusion",
        ),
        (vec!["trend", "--engine", "datafusion"], "datafusion"),
        (vec!["trend", "--engine", "ballista"], "ballista"),
    ] {
        let run = Saydo::new().args(&args).run();
        run.expect(2);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(
            run.stderr.contains(&format!("--features {feature}")),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    // An engine's setting with another engine is a usage error.
    for args in [
        vec!["check", "--scheduler", "df://localhost:50050"],
        vec!["check", "--engine", "datafusion", "--scheduler", "df://h:1"],
        vec!["check", "--engine", "ballista", "--memory-limit", "100"],
        vec!["trend", "--engine-dir", "/tmp"],
        vec!["trend", "--engine", "ballista", "--memory-limit", "100"],
    ] {
        let run = Saydo::new().args(&args).run();
        run.expect(2);
        assert!(
            run.stderr.contains("is a setting of --engine"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

/// The README's first command, `cargo run --release -- check`, runs saydo:
/// the package has a second binary (saydo-ballista, with the ballista
/// feature), and `cargo run` without `--bin` refuses to choose between
/// binaries unless the manifest names one.
#[test]
fn cargo_run_runs_saydo_as_the_readme_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let first = readme
        .lines()
        .find(|l| l.starts_with("cargo "))
        .unwrap_or_default();
    assert!(first.starts_with("cargo run --release -- check"), "{first}");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let binaries = manifest.matches("[[bin]]").count();
    let package = manifest.split("\n[").next().unwrap_or_default();
    assert!(
        binaries == 0 || package.contains("default-run = \"saydo\""),
        "{binaries} [[bin]] besides saydo, and no default-run = \"saydo\" in [package]"
    );
}
