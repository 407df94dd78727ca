//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

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
