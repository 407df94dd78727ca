//! Helpers shared by the integration tests.
#![allow(dead_code)]

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
