//! Nothing lost: what saydo promises about the files around it.
//!
//! - Input files are never written, by any command in any format.
//! - `--output` is atomic: a failed run leaves no file (and an earlier
//!   report as it was), a successful one replaces the old file completely,
//!   and a run killed by a signal in the middle of writing leaves the
//!   previous report byte for byte.
//! - Writing into a pipe whose reader has left ends quietly with status 0.
//!
//! Each test is built so that it fails if the guarantee goes: the signal
//! tests wait until saydo is writing (its temporary file has data, or the
//! report file itself changes), hold it still there with SIGSTOP, and send
//! the signal only while it still has the report open; when it finished
//! first they retry with a bigger dataset, and failing that they fail under
//! CI (`CI=true`) rather than pass having tested nothing.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::support::{
    Outcome, Saydo, TIMEOUT, cannot_run, copy_bundled, entries, kill_group, root, temporaries,
    wait_or_kill,
};
use libc::c_int;

const CHECK_FORMATS: [&str; 9] = [
    "table", "json", "jsonl", "markdown", "csv", "github", "sarif", "junit", "html",
];
const VALIDATE_FORMATS: [&str; 5] = ["table", "json", "github", "sarif", "junit"];

// ---------------------------------------------------------------- folders

// ---------------------------------------------------------------- inputs

/// Everything about a file tree that a write could change.
#[derive(Debug, PartialEq, Eq)]
struct FileState {
    bytes: Vec<u8>,
    modified: SystemTime,
    mode: u32,
}

/// Every file and folder under `dir`, by relative path (folders with no
/// state but their presence, so a new file anywhere shows).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<FileState>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
                out.insert(rel, None);
            } else {
                out.insert(
                    rel,
                    Some(FileState {
                        bytes: fs::read(&path).unwrap(),
                        modified: meta.modified().unwrap(),
                        mode: meta.permissions().mode(),
                    }),
                );
            }
        }
    }
    out
}

#[test]
fn input_files_are_never_written() {
    let ds = copy_bundled();
    let outputs = tempfile::tempdir().unwrap();
    let before = snapshot(ds.path());
    assert!(before.len() >= 8, "{:?}", before.keys());
    // Make a rewrite with the same bytes visible in the modification time.
    std::thread::sleep(Duration::from_millis(20));
    let out = |name: &str| outputs.path().join(name).to_string_lossy().into_owned();
    let cwd = ds.path();
    for format in VALIDATE_FORMATS {
        Saydo::new()
            .current_dir(cwd)
            .args(["validate", ".", "--format", format])
            .run()
            .expect(0);
        let o = out(&format!("validate.{format}"));
        Saydo::new()
            .current_dir(cwd)
            .args(["validate", ".", "--format", format, "--output", &o])
            .run()
            .expect(0);
    }
    let baseline = out("baseline.json");
    Saydo::new()
        .current_dir(cwd)
        .args(["check", ".", "--format", "json", "--output", &baseline])
        .run()
        .expect(0);
    for format in CHECK_FORMATS {
        Saydo::new()
            .current_dir(cwd)
            .args(["check", ".", "--format", format])
            .run()
            .expect(0);
        let o = out(&format!("check.{format}"));
        Saydo::new()
            .current_dir(cwd)
            .args(["check", ".", "--format", format, "--output", &o])
            .run()
            .expect(0);
        let gated = [
            "check",
            ".",
            "--format",
            format,
            "--output",
            &o,
            "--baseline",
            &baseline,
            "--fail-on",
            "contradiction",
        ];
        Saydo::new().current_dir(cwd).args(gated).run().expect(0);
        Saydo::new()
            .current_dir(cwd)
            .args(["check", ".", "--format", format, "--fail-on", "duplicity"])
            .run()
            .expect(1);
    }
    // The dataset named from elsewhere, and the other commands.
    let elsewhere = outputs.path();
    let dataset = cwd.to_str().unwrap();
    Saydo::new()
        .current_dir(elsewhere)
        .args(["check", dataset, "--format", "json"])
        .run()
        .expect(0);
    Saydo::new()
        .current_dir(elsewhere)
        .args(["validate", dataset])
        .run()
        .expect(0);
    Saydo::new()
        .current_dir(cwd)
        .args(["explain", "raisi-karabakh-pledge", "--dataset", "."])
        .run()
        .expect(0);
    Saydo::new()
        .current_dir(cwd)
        .args([
            "explain",
            "raisi-karabakh-pledge",
            "iran-trucks-karabakh-2021-08",
            "--dataset",
            ".",
        ])
        .run()
        .expect(0);
    let after = snapshot(ds.path());
    for (path, state) in &before {
        assert!(
            after.get(path) == Some(state),
            "{} was changed (or removed) by a run",
            path.display()
        );
    }
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "a run created files in the dataset"
    );
}

// ---------------------------------------------------------------- --output

#[test]
fn a_failed_run_leaves_no_file_and_an_earlier_report_as_it_was() {
    let broken = root().join("tests/fixtures/many-problems");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let o = out.to_str().unwrap();
    let r = Saydo::new()
        .current_dir(&broken)
        .args(["check", ".", "--format", "json", "--output", o])
        .run();
    r.expect(2);
    assert!(r.stderr.contains("no report written"), "{}", r.stderr);
    assert!(!out.exists());
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));

    fs::write(&out, b"the earlier report").unwrap();
    Saydo::new()
        .current_dir(&broken)
        .args(["check", ".", "--format", "json", "--output", o])
        .run()
        .expect(2);
    assert_eq!(fs::read(&out).unwrap(), b"the earlier report");
    assert_eq!(entries(dir.path()), ["report.json"]);
}

#[test]
fn an_output_in_a_folder_that_does_not_exist_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/folder");
    let out = missing.join("report.json");
    let o = out.to_str().unwrap();
    for args in [
        vec!["check", ".", "--format", "json", "--output", o],
        vec!["check", ".", "--format", "html", "--output", o],
        vec!["validate", ".", "--format", "json", "--output", o],
    ] {
        let r = Saydo::new().args(&args).run();
        r.expect(2);
        assert!(r.stdout.is_empty(), "{}: wrote to standard output", r.what);
        assert!(
            r.stderr.starts_with("error: cannot write ") && r.stderr.contains(o),
            "{}: the message does not name the output: {}",
            r.what,
            r.stderr
        );
        assert!(
            r.stderr.contains("No such file or directory"),
            "{}: the message does not say why: {}",
            r.what,
            r.stderr
        );
        assert!(
            !r.stderr.contains(".saydo-"),
            "{}: the message names the temporary file: {}",
            r.what,
            r.stderr
        );
        assert!(
            !dir.path().join("no").exists(),
            "{}: created folders",
            r.what
        );
        assert!(entries(dir.path()).is_empty());
    }
}

#[test]
fn an_output_that_is_a_folder_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("keep.txt"), "kept").unwrap();
    let r = Saydo::new()
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ])
        .run();
    r.expect(2);
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
    assert!(out.is_dir());
    assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "kept");
    assert_eq!(
        entries(dir.path()),
        ["report.json"],
        "a temporary file was left"
    );
}

#[test]
fn a_successful_run_replaces_an_old_file_completely() {
    let dir = tempfile::tempdir().unwrap();
    for format in CHECK_FORMATS {
        let expected = Saydo::new().args(["check", ".", "--format", format]).run();
        expected.expect(0);
        let out = dir.path().join(format!("report.{format}"));
        // Older, longer and with a mode of its own.
        let old = vec![b'#'; expected.stdout.len() * 3 + 4096];
        fs::write(&out, &old).unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
        let r = Saydo::new()
            .args([
                "check",
                ".",
                "--format",
                format,
                "--output",
                out.to_str().unwrap(),
            ])
            .run();
        r.expect(0);
        assert!(r.stdout.is_empty(), "{}", r.what);
        let written = fs::read(&out).unwrap();
        assert!(
            written == expected.stdout,
            "{}: the file is not exactly the report ({} bytes, expected {})",
            r.what,
            written.len(),
            expected.stdout.len()
        );
        assert_eq!(
            fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o640,
            "{}: the old file's mode was not kept",
            r.what
        );
        // Same data, same bytes.
        let again = Saydo::new().args(["check", ".", "--format", format]).run();
        assert!(
            again.stdout == expected.stdout,
            "{format}: not deterministic"
        );
    }
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

// ---------------------------------------------------------------- big data

/// Writes a dataset of `claims` claims and `actions` actions by two actors
/// speaking and acting for one state toward another, over 25 years, spread
/// over `topics` topics: about claims × actions × 0.12 / topics pairs.
fn write_big_dataset(dir: &Path, claims: usize, actions: usize, topics: usize) {
    for sub in ["actors", "claims", "actions"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
    }
    fs::write(
        dir.join("actors/actors.json"),
        r#"[{"id":"land","name":"Land","kind":"state"},
{"id":"other","name":"Other","kind":"state"},
{"id":"chief","name":"Chief","kind":"person","acts_for":[{"actor":"land","role":"leader"}]},
{"id":"army","name":"Army","kind":"organization","acts_for":[{"actor":"land","role":"army"}]}]
"#,
    )
    .unwrap();
    let date = |i: usize| {
        format!(
            "{:04}-{:02}-{:02}",
            2000 + (i * 7919) % 25,
            1 + (i * 31) % 12,
            1 + (i * 17) % 28
        )
    };
    let mut w = BufWriter::new(fs::File::create(dir.join("claims/claims.jsonl")).unwrap());
    for i in 0..claims {
        writeln!(
            w,
            r#"{{"id":"c{i}","actor":"{}","date":"{}","target":"other","topics":["t{}"],"stance":{},"text":"Claim number {i} says warm or hostile words about Other."}}"#,
            ["land", "chief"][i % 2],
            date(i),
            i % topics,
            [6, -6, 3, -3][i % 4],
        )
        .unwrap();
    }
    w.flush().unwrap();
    let mut w = BufWriter::new(fs::File::create(dir.join("actions/actions.jsonl")).unwrap());
    for i in 0..actions {
        writeln!(
            w,
            r#"{{"id":"a{i}","actor":"{}","date":"{}","target":"other","topics":["t{}"],"effect":{},"text":"Action number {i} does something to Other."}}"#,
            ["land", "army"][i % 2],
            date(i * 3 + 1),
            i % topics,
            [-5, 5, -2, 7][i % 4],
        )
        .unwrap();
    }
    w.flush().unwrap();
}

/// A big dataset at `scale` (1: 10k claims, 100k actions, ~50 MB of JSON
/// report; each step doubles it).
fn big_dataset(scale: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_big_dataset(dir.path(), 10_000 * scale, 100_000 * scale, 500 * scale);
    dir
}

/// Length and modification time, to see a file change.
fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let m = fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

enum Interrupted {
    /// The signal landed while saydo was writing; the report was checked.
    MidWrite,
    /// saydo finished (or never started writing) before the signal.
    TooLate,
}

/// Sends signal `sig` to process `pid`.
fn send(pid: u32, sig: c_int) {
    // SAFETY: kill(2) takes two numbers and touches no memory of ours.
    let sent = unsafe { libc::kill(pid as libc::pid_t, sig) } == 0;
    assert!(
        sent,
        "could not send signal {sig} to {pid}: {}",
        std::io::Error::last_os_error()
    );
}

/// Waits until `child` (the run `what`) writes its report `out`: once a
/// new file beside it has data, or `out` itself changes (a non-atomic
/// writer). False when it ended first.
fn wait_until_writing(child: &mut Child, out: &Path, what: &str) -> bool {
    let dir = out.parent().unwrap();
    let before = stamp(out);
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let other_has_data = fs::read_dir(dir).unwrap().any(|e| {
            let e = e.unwrap();
            e.path() != out && e.metadata().is_ok_and(|m| m.len() > 0)
        });
        if other_has_data || stamp(out) != before {
            return true;
        }
        if start.elapsed() > TIMEOUT {
            kill_group(child);
            panic!("{what}: did not start writing in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The state of each thread of process `pid` (`R`, `S`, `T` when
/// stopped …), from /proc/PID/task/*/stat (Linux).
fn thread_states(pid: u32) -> Option<Vec<char>> {
    let mut states = Vec::new();
    for task in fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let stat = fs::read_to_string(task.ok()?.path().join("stat")).ok()?;
        // After the command name, which is in parentheses and may hold
        // spaces.
        let state = stat[stat.rfind(')')? + 1..].trim_start().chars().next()?;
        states.push(state);
    }
    Some(states)
}

/// Stops `child` (SIGSTOP) and waits until every thread of it has
/// stopped, so that nothing it does changes while the test looks. False
/// when it ended first.
fn hold(child: &mut Child) -> bool {
    let pid = child.id();
    send(pid, libc::SIGSTOP);
    if !Path::new("/proc/self/task").is_dir() {
        // No way to see the threads stop: a moment for the signal to land.
        std::thread::sleep(Duration::from_millis(100));
        return child.try_wait().unwrap().is_none();
    }
    let start = Instant::now();
    loop {
        // Reports an exit, not a stop.
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if thread_states(pid).is_some_and(|s| s.iter().all(|&c| c == 'T' || c == 't')) {
            return true;
        }
        if start.elapsed() > TIMEOUT {
            kill_group(child);
            panic!("saydo did not stop in {TIMEOUT:?} after SIGSTOP");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Whether process `pid` has a file in `dir` open: the report or its
/// temporary file, still being written (Linux: /proc/PID/fd; elsewhere,
/// whether a temporary file is there).
fn writes_in(pid: u32, dir: &Path) -> bool {
    let dir = fs::canonicalize(dir).unwrap();
    match fs::read_dir(format!("/proc/{pid}/fd")) {
        Ok(fds) => fds
            .filter_map(|fd| fs::read_link(fd.ok()?.path()).ok())
            .any(|file| file.parent() == Some(dir.as_path())),
        Err(_) => !temporaries(&dir).is_empty(),
    }
}

/// Starts `cmd` (the run `what`), which writes a report to `out`, and
/// returns it held still (stopped by SIGSTOP) in the middle of writing,
/// so that a signal sent before SIGCONT lands mid-write however fast the
/// machine is. None when it finished first: the caller retries with more
/// data.
fn held_mid_write(cmd: &mut Command, out: &Path, what: &str) -> Option<Child> {
    let mut child = cmd.spawn().unwrap();
    if !wait_until_writing(&mut child, out, what) || !hold(&mut child) {
        return None;
    }
    if writes_in(child.id(), out.parent().unwrap()) {
        return Some(child);
    }
    // Held after it had written and closed the report, on its way out.
    send(child.id(), libc::SIGCONT);
    wait_or_kill(&mut child, TIMEOUT, what);
    None
}

/// Starts `check BIG --format json --output OUT` over an earlier report,
/// sends signal `sig` (named `name`) while saydo is held mid-write, and
/// checks that the earlier report is still there, byte for byte, and that
/// no temporary file is left (but by SIGKILL, which cannot be caught).
fn interrupt_mid_write(big: &Path, name: &str, sig: c_int) -> Interrupted {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("report.json");
    let o = out.to_str().unwrap();
    // The previous report: the bundled dataset's, which the big run would
    // replace with something else entirely.
    Saydo::new()
        .args(["check", ".", "--format", "json", "--output", o])
        .run()
        .expect(0);
    let previous = fs::read(&out).unwrap();
    let saydo = Saydo::new()
        .current_dir(big)
        .args(["check", ".", "--format", "json", "--output", o]);
    let mut cmd = saydo.command();
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    // saydo leaves a signal ignored at start ignored, and this test may
    // run with some ignored (a background job of a script ignores SIGINT
    // and SIGQUIT): saydo starts with the signal at its default.
    // SAFETY: between fork and exec, only sigaction(2), which is
    // async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(sig, libc::SIG_DFL);
            Ok(())
        });
    }
    let Some(mut child) = held_mid_write(&mut cmd, &out, &saydo.what()) else {
        return Interrupted::TooLate;
    };
    let pid = child.id();
    if sig == libc::SIGKILL {
        child.kill().unwrap();
    } else {
        send(pid, sig);
        send(pid, libc::SIGCONT);
    }
    let status = wait_or_kill(&mut child, Duration::from_secs(20), "the interrupted run");
    // saydo removes its temporary file and ends by the signal all the
    // same (or, failing that, with 128 + its number); SIGKILL cannot be
    // caught.
    if status.signal() != Some(sig) && status.code() != Some(128 + sig) {
        // It finished writing, once let go, before the signal took effect.
        return Interrupted::TooLate;
    }
    let now = fs::read(&out).unwrap_or_else(|e| panic!("the previous report is gone: {e}"));
    assert!(
        now == previous,
        "SIG{name} mid-write: the previous report ({} bytes) was replaced by {} bytes",
        previous.len(),
        now.len()
    );
    let left = temporaries(out_dir.path());
    if sig != libc::SIGKILL {
        assert_eq!(
            status.signal(),
            Some(sig),
            "SIG{name} mid-write: ended with {status}"
        );
        assert!(
            left.is_empty(),
            "SIG{name} mid-write left {left:?} beside the report"
        );
    }
    if !left.is_empty() {
        // A killed process cannot clean up; the report is intact, and the
        // next run does not read or trip over it.
        eprintln!("note: SIG{name} left the temporary file(s) {left:?} beside the report");
        Saydo::new()
            .args(["check", ".", "--format", "json", "--output", o])
            .run()
            .expect(0);
        assert!(fs::read(&out).unwrap() == previous);
    }
    Interrupted::MidWrite
}

fn signal_test(name: &str, sig: c_int) {
    for scale in [1, 2, 4] {
        let big = big_dataset(scale);
        match interrupt_mid_write(big.path(), name, sig) {
            Interrupted::MidWrite => return,
            Interrupted::TooLate => {
                eprintln!("saydo finished before SIG{name} at scale {scale}; retrying bigger")
            }
        }
    }
    cannot_run(&format!(
        "saydo always finished writing before SIG{name} reached it, up to scale 4"
    ));
}

#[test]
fn a_run_killed_mid_write_leaves_the_previous_report_intact() {
    signal_test("KILL", libc::SIGKILL);
}

#[test]
fn a_run_interrupted_mid_write_leaves_the_previous_report_intact() {
    signal_test("INT", libc::SIGINT);
}

#[test]
fn a_run_terminated_mid_write_leaves_the_previous_report_and_no_temporary() {
    signal_test("TERM", libc::SIGTERM);
}

#[test]
fn a_run_sent_sigusr1_mid_write_leaves_the_previous_report_and_no_temporary() {
    signal_test("USR1", libc::SIGUSR1);
}

/// As `timeout -s ALRM` or an `alarm` ends a run.
#[test]
fn a_run_alarmed_mid_write_leaves_the_previous_report_and_no_temporary() {
    signal_test("ALRM", libc::SIGALRM);
}

/// As a CPU-time limit (`ulimit -t`) ends a run.
#[test]
fn a_run_over_its_cpu_limit_mid_write_leaves_the_previous_report_and_no_temporary() {
    signal_test("XCPU", libc::SIGXCPU);
}

#[test]
fn a_signal_ignored_at_start_stays_ignored() {
    for scale in [1, 2, 4] {
        let big = big_dataset(scale);
        let out_dir = tempfile::tempdir().unwrap();
        let out = out_dir.path().join("report.json");
        // Started as `nohup` starts it: SIGHUP ignored, which `exec` keeps.
        let saydo = Saydo::new()
            .current_dir(big.path())
            .args(["check", ".", "--format", "json", "--output"])
            .arg(&out)
            .after_shell("trap '' HUP");
        let mut cmd = saydo.command();
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        let Some(mut child) = held_mid_write(&mut cmd, &out, &saydo.what()) else {
            eprintln!("saydo finished before SIGHUP at scale {scale}; retrying bigger");
            continue;
        };
        send(child.id(), libc::SIGHUP);
        send(child.id(), libc::SIGCONT);
        let status = wait_or_kill(&mut child, TIMEOUT, "a run with SIGHUP ignored");
        assert!(
            status.success(),
            "SIGHUP, ignored at start, ended the run: {status}"
        );
        assert!(fs::metadata(&out).is_ok_and(|m| m.len() > 0));
        return;
    }
    cannot_run("saydo always finished writing before it could be sent SIGHUP, up to scale 4");
}

// ---------------------------------------------------------------- pipes

/// How the reader of saydo's standard output leaves.
#[derive(Clone, Copy, Debug)]
enum Reader {
    /// Closes the pipe before saydo writes anything.
    Gone,
    /// Reads 100 bytes, then closes the pipe.
    After100,
}

/// Runs saydo with standard output into a pipe whose reader leaves early.
fn into_closed_pipe(cwd: &Path, args: &[&str], reader: Reader) -> Outcome {
    let saydo = Saydo::new().current_dir(cwd).args(args);
    let scratch = tempfile::tempdir().unwrap();
    let err = scratch.path().join("e");
    let mut child = saydo.spawn(Stdio::piped(), fs::File::create(&err).unwrap());
    let mut pipe = child.stdout.take().unwrap();
    if let Reader::After100 = reader {
        let mut first = [0u8; 100];
        pipe.read_exact(&mut first)
            .unwrap_or_else(|e| panic!("{}: fewer than 100 bytes: {e}", saydo.what()));
    }
    drop(pipe);
    let status = wait_or_kill(&mut child, TIMEOUT, &saydo.what());
    Outcome {
        status,
        stdout: Vec::new(),
        stderr: fs::read_to_string(&err).unwrap(),
        peak_kb: None,
        what: format!("{} | reader {reader:?}", saydo.what()),
    }
}

fn assert_quiet_success(r: &Outcome) {
    r.expect(0);
    let err = r.stderr.to_lowercase();
    assert!(
        !err.contains("error") && !err.contains("panic") && !err.contains("broken pipe"),
        "{}: {}",
        r.what,
        r.stderr
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let bundled = root();
    for reader in [Reader::Gone, Reader::After100] {
        for args in [
            ["check", ".", "--format", "json"],
            ["check", ".", "--format", "table"],
            ["check", ".", "--format", "html"],
            ["validate", ".", "--format", "json"],
        ] {
            assert_quiet_success(&into_closed_pipe(&bundled, &args, reader));
        }
    }
}

#[test]
fn a_closed_pipe_ends_a_big_report_quietly_with_status_0() {
    let big = big_dataset(1);
    // The report is tens of megabytes: far more than a pipe holds, so saydo
    // is still writing when the reader leaves.
    let r = into_closed_pipe(
        big.path(),
        &["check", ".", "--format", "json"],
        Reader::After100,
    );
    assert_quiet_success(&r);
    let r = into_closed_pipe(
        big.path(),
        &["check", ".", "--format", "jsonl"],
        Reader::After100,
    );
    assert_quiet_success(&r);
}

#[test]
fn a_closed_pipe_does_not_turn_invalid_data_into_success() {
    let broken = root().join("tests/fixtures/many-problems");
    let r = into_closed_pipe(
        &broken,
        &["validate", ".", "--format", "json"],
        Reader::Gone,
    );
    assert_eq!(r.status.code(), Some(2), "{}: {}", r.what, r.stderr);
    let r = into_closed_pipe(&broken, &["validate", "."], Reader::Gone);
    assert_eq!(r.status.code(), Some(2), "{}: {}", r.what, r.stderr);
    // check writes its problems to standard error.
    let mut child = Saydo::new()
        .current_dir(&broken)
        .args(["check", "."])
        .spawn(Stdio::null(), Stdio::piped());
    drop(child.stderr.take());
    let status = wait_or_kill(&mut child, TIMEOUT, "check with stderr closed");
    assert_eq!(status.code(), Some(2), "check with standard error closed");
}

#[test]
fn the_progress_bar_on_a_terminal_never_stalls_the_run() {
    // Big enough to be read in several pieces on several threads, and to
    // last past the moment after which the bar shows.
    let big = big_dataset(1);
    let dir = big.path().to_str().unwrap();
    let piped = Saydo::new()
        .current_dir(big.path())
        .args(["check", dir, "--format", "json", "--output", "piped.json"])
        .run();
    assert_eq!(piped.code(), Some(0), "{}", piped.stderr);
    // On a pseudo-terminal, so that saydo sees a terminal on standard error.
    if !crate::support::terminal_available() {
        return;
    }
    let on_a_terminal = Saydo::new()
        .current_dir(big.path())
        .args([
            "check",
            dir,
            "--format",
            "json",
            "--output",
            "terminal.json",
        ])
        // The bar at once, however fast the machine: it must be drawn
        // while the records are read on several threads.
        .env("SAYDO_PROGRESS_AFTER_MS", "0")
        .on_a_terminal()
        .timeout(Duration::from_secs(120))
        .run();
    let terminal = on_a_terminal.out();
    assert_eq!(on_a_terminal.code(), Some(0), "{terminal}");
    assert!(
        terminal.contains("reading"),
        "the bar was drawn (else this tests nothing): {terminal:?}"
    );
    assert!(
        fs::read(big.path().join("terminal.json")).unwrap()
            == fs::read(big.path().join("piped.json")).unwrap(),
        "the report does not depend on the terminal"
    );
}
