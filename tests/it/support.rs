//! What the integration tests share: where the repository is, a copy of
//! the bundled dataset, the one way to run the saydo binary ([`Saydo`]),
//! killing what hangs, and [`cannot_run`].

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether a character acts on a terminal, as the printers' docs define it:
/// a control character, or a bidirectional override, embedding, isolate
/// or mark.
pub fn acts_on_terminals(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Text as every format shown in terminals must write it: each character
/// that acts on terminals as a visible escape such as `\u{1b}`.
pub fn terminal_escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if acts_on_terminals(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The repository root, which holds the bundled dataset.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the bundled dataset in a temporary folder.
pub fn copy_bundled() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["actors", "claims", "actions", "seeds"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(root().join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(sub).join(entry.file_name())).unwrap();
        }
    }
    dir
}

/// Kills a child and its whole process group (a child started with
/// `process_group(0)`, and anything it started, such as GNU time's child).
pub fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// Waits for a child, killing its group (and failing) after `timeout`.
pub fn wait_or_kill(child: &mut Child, timeout: Duration, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for saydo") {
            return status;
        }
        if start.elapsed() > timeout {
            kill_group(child);
            panic!("{what}: still running after {timeout:?}: killed (a hang?)");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Whether the tests run under CI: `CI=true`, as CI services set it and
/// `.ci/run` does.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Whether util-linux `script` is there to run saydo on a terminal
/// ([`Saydo::on_a_terminal`]); when not, says so as [`cannot_run`] does.
pub fn terminal_available() -> bool {
    let there = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok();
    if !there {
        cannot_run("`script` (util-linux, Debian package bsdutils) is not installed");
    }
    there
}

/// A test (or a check in it) that cannot run here, and why: what is
/// missing, what to install. Under CI that fails the test: CI provides
/// everything the tests need (`.ci/run` installs it), so a test that cannot
/// run there is a gap, not a pass. Elsewhere it says so on standard error,
/// and the caller goes on without that check (or returns).
///
/// The one way a test may skip: a test that returns early without calling
/// this passes having checked nothing, even under CI.
pub fn cannot_run(why: &str) {
    assert!(!under_ci(), "cannot run under CI (CI=true): {why}");
    eprintln!("skipped: {why}");
}

// ---------------------------------------------------------------- running saydo

/// The saydo binary cargo built for these tests.
const BIN: &str = env!("CARGO_BIN_EXE_saydo");

/// Longest a run may take before it counts as a hang.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Variables the test's own environment may hold that change what saydo
/// does, removed from every run so that a test sees the same saydo
/// wherever it runs: `NO_COLOR` (which turns colour off on a terminal)
/// and `GITHUB_STEP_SUMMARY` (under GitHub Actions, `--format github`
/// would append to the job's summary). A test that needs one sets it
/// with [`Saydo::env`]. (`NO_COLOR` changes nothing unless an output is a
/// terminal, which only [`Saydo::on_a_terminal`] gives.)
const CLEARED: [&str; 2] = ["NO_COLOR", "GITHUB_STEP_SUMMARY"];

/// One run of the saydo binary, set up as a command is: arguments, the
/// folder it runs in (the repository root unless told), environment,
/// how long it may take, and what starts it.
///
/// Every run has standard input closed and runs in its own process group,
/// so that a hang is killed whole, with anything it started.
/// [`Saydo::run`] waits for the end with the output in files (no pipe
/// fills up), killing the run and failing the test after its timeout;
/// [`Saydo::run_measured`] does the same under GNU time, for the peak
/// memory; [`Saydo::spawn`] and [`Saydo::command`] start it for the tests
/// that stop, signal or starve a run themselves.
///
/// ```ignore
/// let r = Saydo::new().current_dir(&ds).args(["check", ".", "--format", "json"]).run();
/// r.expect(0);
/// ```
pub struct Saydo {
    args: Vec<OsString>,
    dir: PathBuf,
    env: Vec<(OsString, OsString)>,
    timeout: Duration,
    launcher: Launcher,
    /// Standard input of [`Saydo::run`] (else it inherits the tests').
    input: Option<Vec<u8>>,
}

/// What starts saydo.
enum Launcher {
    /// Nothing: saydo itself.
    Direct,
    /// `sh`, which runs a setup (a `ulimit`, a `trap`) and then `exec`s
    /// saydo, so that saydo inherits what it set.
    Shell(String),
    /// util-linux `script`, so that saydo's standard streams are a
    /// pseudo-terminal (of this many columns, when given); what it shows
    /// there is the run's standard output.
    Terminal(Option<u16>),
}

impl Saydo {
    /// saydo with no arguments, in the repository root.
    pub fn new() -> Self {
        Saydo {
            args: Vec::new(),
            dir: root(),
            env: Vec::new(),
            timeout: TIMEOUT,
            launcher: Launcher::Direct,
            input: None,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// The folder saydo runs in (default: the repository root).
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = dir.as_ref().to_owned();
        self
    }

    /// Sets an environment variable for the run (after the ones every run
    /// has removed, so this may set one of those).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// How long [`Saydo::run`] waits before it kills the run and fails
    /// (default [`TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Starts saydo from `sh` after the shell command `setup` (as
    /// `sh -c 'SETUP; exec "$0" "$@"' saydo ARGS…`), so that saydo runs
    /// with the limit or signal disposition the setup gave the shell.
    pub fn after_shell(mut self, setup: &str) -> Self {
        self.launcher = Launcher::Shell(setup.to_owned());
        self
    }

    /// Runs saydo on a pseudo-terminal made by util-linux `script` (which
    /// the caller checks is installed); the run's standard output is what
    /// the terminal showed.
    pub fn on_a_terminal(mut self) -> Self {
        self.launcher = Launcher::Terminal(None);
        self
    }

    /// [`Saydo::on_a_terminal`], on a terminal `columns` wide (`stty cols`).
    pub fn on_a_terminal_of(mut self, columns: u16) -> Self {
        self.launcher = Launcher::Terminal(Some(columns));
        self
    }

    /// What [`Saydo::run`] gives saydo on standard input (on a terminal:
    /// what is typed on it).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.input = Some(input.into());
        self
    }

    /// The run, as failure messages name it.
    pub fn what(&self) -> String {
        let line = std::iter::once("saydo".into())
            .chain(self.args.iter().map(|a| a.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ");
        let line = match &self.launcher {
            Launcher::Direct => line,
            Launcher::Shell(setup) => format!("`{setup}; {line}`"),
            Launcher::Terminal(None) => format!("{line} on a terminal"),
            Launcher::Terminal(Some(c)) => format!("{line} on a terminal of {c} columns"),
        };
        format!("{line} (in {})", self.dir.display())
    }

    /// The program and arguments that start saydo as the launcher says.
    fn argv(&self) -> Vec<OsString> {
        let mut argv: Vec<OsString> = match &self.launcher {
            Launcher::Direct => vec![BIN.into()],
            Launcher::Shell(setup) => vec![
                "sh".into(),
                "-c".into(),
                format!("{setup}; exec \"$0\" \"$@\"").into(),
                BIN.into(),
            ],
            Launcher::Terminal(columns) => {
                let mut line = std::iter::once(BIN.into())
                    .chain(self.args.iter().map(|a| a.to_string_lossy()))
                    .map(|a| shell_quote(&a))
                    .collect::<Vec<_>>()
                    .join(" ");
                if let Some(c) = columns {
                    line = format!("stty cols {c}; exec {line}");
                }
                return vec![
                    "script".into(),
                    "-qec".into(),
                    line.into(),
                    "/dev/null".into(),
                ];
            }
        };
        argv.extend(self.args.iter().cloned());
        argv
    }

    /// The command that runs `before` (a wrapper, such as GNU time) and
    /// then saydo, set up as described on [`Saydo`].
    fn command_after(&self, before: &[&OsStr]) -> Command {
        let argv = self.argv();
        let mut words = before
            .iter()
            .copied()
            .chain(argv.iter().map(OsString::as_os_str));
        let mut cmd = Command::new(words.next().unwrap());
        cmd.args(words).current_dir(&self.dir);
        for key in CLEARED {
            cmd.env_remove(key);
        }
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        cmd.stdin(Stdio::null()).process_group(0);
        cmd
    }

    /// The command, to spawn after what the builder does not cover (a
    /// signal disposition set between fork and exec).
    pub fn command(&self) -> Command {
        self.command_after(&[])
    }

    /// Starts saydo with standard output and error as given, and returns
    /// at once; end it with [`wait_or_kill`] or [`kill_group`].
    pub fn spawn(&self, stdout: impl Into<Stdio>, stderr: impl Into<Stdio>) -> Child {
        self.command()
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("{}: cannot start: {e}", self.what()))
    }

    /// Runs saydo to the end.
    pub fn run(&self) -> Outcome {
        self.run_under(None)
    }

    /// Runs saydo to the end under GNU time, which measures its peak
    /// memory ([`Outcome::peak_kb`]); without GNU time, as [`Saydo::run`]
    /// (the peak is then `None`).
    pub fn run_measured(&self) -> Outcome {
        self.run_under(gnu_time())
    }

    fn run_under(&self, time: Option<&Path>) -> Outcome {
        let scratch = tempfile::tempdir().unwrap();
        let out_path = scratch.path().join("stdout");
        let err_path = scratch.path().join("stderr");
        let mem_path = scratch.path().join("mem");
        let mut cmd = match time {
            Some(t) => self.command_after(&[
                t.as_os_str(),
                OsStr::new("-f"),
                OsStr::new("%M"),
                OsStr::new("-o"),
                mem_path.as_os_str(),
            ]),
            None => self.command(),
        };
        let what = self.what();
        if let Some(input) = &self.input {
            let in_path = scratch.path().join("stdin");
            fs::write(&in_path, input).unwrap();
            cmd.stdin(fs::File::open(&in_path).unwrap());
        }
        let mut child = cmd
            .stdout(fs::File::create(&out_path).unwrap())
            .stderr(fs::File::create(&err_path).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
        let status = wait_or_kill(&mut child, self.timeout, &what);
        let peak_kb = time.and_then(|_| last_number(&fs::read_to_string(&mem_path).ok()?));
        Outcome {
            status,
            stdout: fs::read(&out_path).unwrap(),
            stderr: String::from_utf8_lossy(&fs::read(&err_path).unwrap()).into_owned(),
            peak_kb,
            what,
        }
    }
}

/// How one run of saydo ended.
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    /// Standard error, any bytes that are not UTF-8 replaced.
    pub stderr: String,
    /// Peak resident set size in KiB, when GNU time measured it.
    pub peak_kb: Option<u64>,
    /// The run, as failure messages name it.
    pub what: String,
}

impl Outcome {
    /// The exit status; `None` when a signal ended the run.
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// Standard output as text, any bytes that are not UTF-8 replaced.
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Fails unless the run exited (not killed) with `code`, without a panic.
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            Some(code),
            "{}: status {:?}\nstderr: {}",
            self.what,
            self.status,
            clip(&self.stderr)
        );
        self.no_panic();
        self
    }

    /// Fails if saydo panicked.
    pub fn no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "{}: panicked: {}",
            self.what,
            clip(&self.stderr)
        );
    }
}

/// `s`, cut to its first 4,000 bytes (at a character boundary) with a note
/// of its length, for failure messages.
pub fn clip(s: &str) -> String {
    if s.len() <= 4000 {
        s.to_string()
    } else {
        let mut end = 4000;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes)", &s[..end], s.len())
    }
}

/// `s` quoted for `sh`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// GNU time, when it is installed and understands `-f %M -o FILE`.
fn gnu_time() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let time = PathBuf::from("/usr/bin/time");
            let dir = tempfile::tempdir().ok()?;
            let file = dir.path().join("m");
            let ok = Command::new(&time)
                .args(["-f", "%M", "-o"])
                .arg(&file)
                .arg("true")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .ok()?
                .success();
            let text = fs::read_to_string(&file).ok()?;
            (ok && last_number(&text).is_some()).then_some(time)
        })
        .as_deref()
}

/// The last line of `text` that is a number (GNU time's `%M` comes after
/// any warning it writes to the same file).
fn last_number(text: &str) -> Option<u64> {
    text.lines().rev().find_map(|l| l.trim().parse().ok())
}

/// The entries of a folder, by name.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Leftover temporary files of `--output` in a folder.
pub fn temporaries(dir: &Path) -> Vec<String> {
    entries(dir)
        .into_iter()
        .filter(|n| n.starts_with(".saydo-") && n.ends_with(".tmp"))
        .collect()
}
