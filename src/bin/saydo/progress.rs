//! The progress bar on standard error, and `--timings`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use saydo::progress::Progress;
use std::io::{self, IsTerminal};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A progress bar on standard error, shown only on a terminal, without
/// --quiet, and only once a run has taken longer than a moment.
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    /// Runs shorter than this show no bar.
    after: Duration,
    enabled: bool,
    shown: AtomicBool,
    /// When each stage began, with the peak memory and the CPU time used
    /// until then (for --timings).
    stages: Mutex<Vec<Stage>>,
}

/// A stage's name, when it began, and the process's peak memory (bytes)
/// and CPU time (seconds, user + system) at that moment.
type Stage = (String, Instant, Option<u64>, Option<f64>);

/// Runs shorter than this never show a bar, unless `SAYDO_PROGRESS_AFTER_MS`
/// says otherwise.
const MOMENT: Duration = Duration::from_millis(400);

/// How long a run lasts before its bar shows: `SAYDO_PROGRESS_AFTER_MS`
/// (milliseconds; 0 shows it at once), else [`MOMENT`].
fn moment() -> Duration {
    std::env::var("SAYDO_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(MOMENT, Duration::from_millis)
}

impl Bar {
    pub fn new(quiet: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        Bar {
            bar,
            started: Instant::now(),
            after: moment(),
            enabled: !quiet && io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
            stages: Mutex::new(Vec::new()),
        }
    }

    /// `timings: reading 2.10 s 3.90 CPU-s (peak 480 MB), validating …,
    /// total 6.80 s 9.10 CPU-s`, the last stage lasting until now. CPU time
    /// is that of every thread, so a stage that keeps two cores busy shows
    /// twice its wall time.
    pub fn timings(&self) -> String {
        let (now, cpu_now) = (Instant::now(), cpu_seconds());
        let stages = self.stages.lock().unwrap_or_else(|e| e.into_inner());
        let mut parts: Vec<String> = Vec::new();
        for (i, (name, began, _, cpu_began)) in stages.iter().enumerate() {
            // Each stage's peak is the process's peak when the next began.
            let (end, peak, cpu_end) = match stages.get(i + 1) {
                Some(next) => (next.1, next.2, next.3),
                None => (now, peak_memory(), cpu_now),
            };
            let mut part = format!("{name} {:.2} s", (end - *began).as_secs_f64());
            if let (Some(a), Some(b)) = (cpu_began, cpu_end) {
                part.push_str(&format!(" {:.2} CPU-s", b - a));
            }
            if let Some(bytes) = peak {
                part.push_str(&format!(" (peak {} MB)", bytes / 1_000_000));
            }
            parts.push(part);
        }
        let mut total = format!("total {:.2} s", (now - self.started).as_secs_f64());
        if let Some(cpu) = cpu_now {
            total.push_str(&format!(" {cpu:.2} CPU-s"));
        }
        parts.push(total);
        format!("timings: {}", parts.join(", "))
    }

    fn maybe_show(&self) {
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= self.after
        {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.stages.lock().unwrap_or_else(|e| e.into_inner()).push((
            name.to_string(),
            Instant::now(),
            peak_memory(),
            cpu_seconds(),
        ));
        self.maybe_show();
        if total > 0 {
            self.bar.set_style(
                ProgressStyle::with_template(
                    "{msg:>10} [{bar:40}] {binary_bytes}/{binary_total_bytes} {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            self.bar.set_length(total);
            self.bar.set_position(0);
        } else {
            self.bar.set_style(
                ProgressStyle::with_template("{msg:>10} {spinner}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
        self.bar.set_message(name.to_string());
    }

    fn advance(&self, amount: u64) {
        self.maybe_show();
        self.bar.inc(amount);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The process's peak resident memory so far, in bytes, where the system
/// says (Linux: `VmHWM` in /proc/self/status).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The CPU time the process's threads have used so far (user + system),
/// in seconds, where the system says (Linux: /proc/self/stat, in ticks of
/// 1/100 s, the usual `USER_HZ`).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may
    // hold spaces: state is field 3, utime 14 and stime 15.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) as f64 / 100.0)
}
