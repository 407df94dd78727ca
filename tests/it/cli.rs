//! The command line as CI scripts use it: exit statuses of the gate,
//! baselines, --output, explain, filters and colour.

use crate::support::{copy_bundled, root};

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn saydo(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_saydo"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_gate_sets_the_exit_status() {
    assert_eq!(saydo(&["check"]).0, 0, "no gate by default");
    assert_eq!(saydo(&["check", "--fail-on", "none"]).0, 0);
    assert_eq!(saydo(&["check", "--fail-on", "duplicity"]).0, 1);
    assert_eq!(saydo(&["check", "--fail-on", "contradiction"]).0, 1);
    // The bundled dataset's worst contradiction is 0.4194.
    assert_eq!(
        saydo(&[
            "check",
            "--fail-on",
            "contradiction",
            "--min-severity",
            "0.42"
        ])
        .0,
        0
    );
    assert_eq!(
        saydo(&[
            "check",
            "--fail-on",
            "contradiction",
            "--min-severity",
            "0.41"
        ])
        .0,
        1
    );
    // Usage errors and invalid data are 2.
    assert_eq!(saydo(&["check", "--fail-on", "sometimes"]).0, 2);
    assert_eq!(
        saydo(&[
            "check",
            "tests/fixtures/unknown-actor",
            "--fail-on",
            "duplicity"
        ])
        .0,
        2
    );
}

#[test]
fn a_baseline_lets_known_findings_pass_and_new_ones_fail() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    assert_eq!(
        saydo(&["check", "--format", "json", "--output", s(&baseline)]).0,
        0
    );
    assert_eq!(
        saydo(&[
            "check",
            "--baseline",
            s(&baseline),
            "--fail-on",
            "duplicity"
        ])
        .0,
        0
    );

    // A new hostile deed within reach of Iran's warm words.
    let data = copy_bundled();
    let extra = r#"[{"id": "iran-new-deed-2025", "actor": "iran", "date": "2025-03", "target": "azerbaijan",
        "topics": ["energy"], "effect": -7, "text": "A new hostile deed."}]"#;
    std::fs::write(data.path().join("actions/new.json"), extra).unwrap();
    let (code, stdout, _) = saydo(&[
        "check",
        s(data.path()),
        "--baseline",
        s(&baseline),
        "--fail-on",
        "duplicity",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "the new contradiction trips the gate");
    let report: Value = serde_json::from_str(&stdout).unwrap();
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
    let (code, _, stderr) = saydo(&["check", "--baseline", s(&baseline)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("baseline"), "{stderr}");
}

#[test]
fn output_is_left_intact_when_a_run_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    assert_eq!(
        saydo(&["check", "--format", "json", "--output", s(&out)]).0,
        0
    );
    let good = std::fs::read(&out).unwrap();
    assert_eq!(
        saydo(&[
            "check",
            "tests/fixtures/bad-date-month",
            "--format",
            "json",
            "--output",
            s(&out)
        ])
        .0,
        2
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
    let (code, stdout, _) = saydo(&[
        "explain",
        "raisi-karabakh-pledge",
        "ardabil-cleric-insults-2025",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("raisi → iran (President, 2021-08-03–2024-05-19)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ardabil-cleric → khamenei → iran"),
        "{stdout}"
    );
    assert!(stdout.contains("severity    0.2469 = strength 0.6190 × attribution 0.60 × proximity 0.6648 × order 1.00"), "{stdout}");
    let (code, stdout, _) = saydo(&[
        "explain",
        "khamenei-liberated",
        "ardabil-cleric-insults-2025",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("outside the window"), "{stdout}");
    let (code, _, stderr) = saydo(&["explain", "khamenei-liberatd"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean \"khamenei-liberated\""),
        "{stderr}"
    );
}

#[test]
fn filters_narrow_the_report_and_unknown_values_suggest() {
    let (code, stdout, _) = saydo(&[
        "check",
        "--actor",
        "Supreme Leader Ayatollah Khamenei",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
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
    let (code, _, stderr) = saydo(&["check", "--topic", "militery"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean \"military\""), "{stderr}");
    let (code, stdout, _) = saydo(&["check", "--since", "2024", "--format", "json"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
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
    let (_, plain, _) = saydo(&["check"]);
    assert!(!plain.contains('\x1b'), "piped output has no colour");
    let (_, coloured, _) = saydo(&["--color", "always", "check"]);
    assert!(coloured.contains("\x1b["));
    let out = Command::new(env!("CARGO_BIN_EXE_saydo"))
        .args(["--color", "auto", "validate", "tests/fixtures/bad-id"])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn the_github_format_appends_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_saydo"))
        .args(["check", "--format", "github"])
        .current_dir(root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n# saydo check"), "{text}");
}

#[test]
fn timings_go_to_standard_error_and_leave_the_report_alone() {
    let (code, plain, plain_err) = saydo(&["check", "--format", "json"]);
    let (timed_code, timed, err) = saydo(&["check", "--format", "json", "--timings"]);
    assert_eq!((code, timed_code), (0, 0));
    assert_eq!(plain, timed, "the report is the same with --timings");
    assert!(!plain_err.contains("timings:"));
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
    let (_, default_report, _) = saydo(&["check", "--format", "json"]);
    let default_pairs = pair_ids(&default_report);
    for flag in ["--horizon", "--lookback"] {
        for days in ["2147483648", "4294967295"] {
            let (code, report, stderr) = saydo(&["check", "--format", "json", flag, days]);
            assert_eq!(code, 0, "{flag} {days}: {stderr}");
            let pairs = pair_ids(&report);
            // A wider window keeps every pair of the default one.
            let lost: Vec<_> = default_pairs
                .iter()
                .filter(|p| !pairs.contains(p))
                .collect();
            assert!(lost.is_empty(), "{flag} {days} loses {lost:?}");
            let gate = saydo(&["check", flag, days, "--fail-on", "duplicity"]);
            assert_eq!(gate.0, 1, "{flag} {days}: the gate must still trip");
        }
    }
}

#[test]
fn a_min_severity_that_is_not_a_number_in_0_to_1_is_a_usage_error() {
    for bad in ["NaN", "nan", "inf", "-inf", "-0.1", "1.5", "x"] {
        let flag = format!("--min-severity={bad}");
        let (code, stdout, stderr) = saydo(&["check", "--fail-on", "duplicity", &flag]);
        assert_eq!(code, 2, "--min-severity {bad}: {stdout}");
        assert!(stderr.contains("--min-severity"), "{stderr}");
    }
    for good in ["0", "1", "0.5"] {
        let (code, _, stderr) = saydo(&["check", "--min-severity", good]);
        assert_eq!(code, 0, "--min-severity {good}: {stderr}");
    }
}

#[test]
fn a_period_that_ends_before_it_starts_is_a_usage_error() {
    let (code, stdout, stderr) = saydo(&["check", "--since", "2024", "--until", "2021"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("--since") && stderr.contains("--until"),
        "{stderr}"
    );
    // A period of one year, and one day, are fine.
    assert_eq!(saydo(&["check", "--since", "2024", "--until", "2024"]).0, 0);
    assert_eq!(
        saydo(&["check", "--since", "2024-05", "--until", "2024-05-31"]).0,
        0
    );
    // A day inside a month given as the start is not "before" it.
    assert_eq!(
        saydo(&["check", "--since", "2024-05", "--until", "2024-05-01"]).0,
        0
    );
}
