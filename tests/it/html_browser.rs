//! The HTML report in a real browser: Debian's headless Chromium renders
//! the bundled dataset's report, its DOM holds every mark and link, and the
//! screenshot is far from blank.
//!
//! Without Chromium the test says it skips, except under CI (`CI=true`),
//! where it fails. Install it with `apt-get install -y chromium`. Set
//! `SAYDO_UPDATE_SCREENSHOT=1` to refresh `docs/report.png` from the run.

use saydo::Settings;
use saydo::report::{Filters, check};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::cannot_run;

/// Names Chromium goes by.
const BROWSERS: [&str; 2] = ["chromium", "chromium-browser"];
/// Longest a browser run may take.
const TIMEOUT: Duration = Duration::from_secs(90);
/// Screenshot size: wide enough for the 1320 px timelines.
const WIDTH: u32 = 1400;
const HEIGHT: u32 = 2200;

fn browser() -> Option<&'static str> {
    BROWSERS.into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs the browser headless on `page` with `args`, in a fresh profile,
/// with everything that could reach the network turned off.
fn run(browser: &str, profile: &Path, page: &Path, args: &[String]) -> Output {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts the browser");
    let start = Instant::now();
    // Read stdout on a thread so a large DOM cannot fill the pipe.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).ok();
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).ok();
        buf
    });
    let status = loop {
        if let Some(s) = child.try_wait().expect("waits") {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("{browser} took more than {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

fn screenshot(browser: &str, dir: &Path, page: &Path, name: &str) -> PathBuf {
    let png = dir.join(name);
    let profile = tempfile::tempdir().expect("profile dir");
    let out = run(
        browser,
        profile.path(),
        page,
        &[format!("--screenshot={}", png.display())],
    );
    assert!(
        png.is_file(),
        "no screenshot from {browser}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    png
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24, "too short for a PNG");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn bundled_report_renders_in_chromium() {
    let Some(browser) = browser() else {
        cannot_run("chromium is not installed (apt-get install -y chromium)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = saydo::load(root).expect("the bundled dataset loads");
    let report = check(&data, Settings::default(), Filters::default());
    let mut html = Vec::new();
    saydo::render::html::write(&report, &mut html).expect("writes");
    let html = String::from_utf8(html).expect("UTF-8");

    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).expect("writes the page");
    let empty = dir.path().join("empty.html");
    std::fs::write(
        &empty,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>empty</title></head><body></body></html>",
    )
    .expect("writes the empty page");

    // The DOM after the page's script ran holds every mark and link.
    let profile = tempfile::tempdir().expect("profile dir");
    let run_dom = run(
        browser,
        profile.path(),
        &page,
        &[
            "--dump-dom".to_string(),
            "--enable-logging=stderr".to_string(),
        ],
    );
    let dom = String::from_utf8_lossy(&run_dom.stdout);
    // The console would report a blocked request or a script error.
    let console = String::from_utf8_lossy(&run_dom.stderr);
    for problem in ["Content Security Policy", "Uncaught"] {
        assert!(
            !console.contains(problem),
            "the console reports {problem}:\n{console}"
        );
    }
    let marks = html.matches("class=\"mark ").count();
    let links = html.matches("class=\"link ").count();
    assert_eq!((marks, links), (22, 13));
    assert_eq!(
        dom.matches("class=\"mark ").count(),
        marks,
        "marks in the DOM"
    );
    assert_eq!(
        dom.matches("class=\"link ").count(),
        links,
        "links in the DOM"
    );
    assert_eq!(dom.matches("<svg class=\"tl\"").count(), 3, "timelines");
    assert!(dom.contains("class=\"tools\""), "the script ran");

    let shot = screenshot(browser, dir.path(), &page, "report.png");
    let blank = screenshot(browser, dir.path(), &empty, "empty.png");
    let bytes = std::fs::read(&shot).expect("reads the screenshot");
    let blank_bytes = std::fs::read(&blank).expect("reads the blank screenshot");
    assert_eq!(png_size(&bytes), (WIDTH, HEIGHT));
    assert_eq!(png_size(&blank_bytes), (WIDTH, HEIGHT));
    assert!(
        bytes.len() > 20_000 && bytes.len() > 10 * blank_bytes.len(),
        "the screenshot looks blank: {} bytes, an empty page {} bytes",
        bytes.len(),
        blank_bytes.len()
    );
    if std::env::var("SAYDO_UPDATE_SCREENSHOT").is_ok_and(|v| v == "1") {
        std::fs::write(root.join("docs/report.png"), &bytes).expect("writes docs/report.png");
    }
}
