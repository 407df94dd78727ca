//! The `saydo` binary: parse flags, run, exit with 0, 1 or 2.

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use libc::c_int;
use saydo::app::{self, Colors, Io, Status};
use saydo::cli::{Cli, ColorChoice};
use saydo::progress::Progress;
use saydo::render::style::Style;
use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// saydo allocates millions of small strings while loading, from several
/// threads; mimalloc does that markedly faster than the system allocator.
/// It asks the system for transparent huge pages (where the system gives
/// them on request, as most do): a large check then takes a twelfth of the
/// page faults and fewer TLB misses in its scattered reads, about 0.2-0.35
/// s of 2.6-2.9 on the large benchmark set, for about 45 MB more peak
/// memory there (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc keeps freed memory for a second (its purge delay) before it
/// gives it back to the system, so what one stage of a check frees still
/// counted in the next stage's peak: up to 100 MB more on the large
/// benchmark set, varying from run to run. A tenth of a second keeps the
/// peak near the memory actually in use (617-627 MB against 719-792 MB in
/// four alternating runs each, in the same time within the noise; see
/// BENCHMARKS.md). A `MIMALLOC_PURGE_DELAY` set by the user is left alone.
fn tune_allocator() {
    // mimalloc 3's `mi_option_purge_delay`, which the bindings do not name;
    // hence the checks of the version and of the option's default.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    const DEFAULT_MS: std::ffi::c_long = 1000;
    const SAYDO_MS: std::ffi::c_long = 100;
    // SAFETY: these read and set a number in mimalloc's table of options,
    // which it allows at any time from any thread.
    unsafe {
        let v3 = (30000..40000).contains(&libmimalloc_sys::mi_version());
        if v3 && libmimalloc_sys::mi_option_get(PURGE_DELAY) == DEFAULT_MS {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, SAYDO_MS);
        }
    }
}

fn color(choice: ColorChoice, terminal: bool) -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        },
    }
}

/// The signals on which saydo removes the report it is writing before it
/// ends: those that end a process by default, can be caught, and are sent
/// to end a run, by a user, a script, a supervisor or the system.
/// Ctrl-C (INT), Ctrl-\ (QUIT), `kill` (TERM), a closed terminal (HUP);
/// the user's own (USR1, USR2, which a script may send to stop a run);
/// timers (ALRM: `timeout -s ALRM`, `alarm`; VTALRM, PROF); limits (XCPU
/// past `ulimit -t`, XFSZ past `ulimit -f`); and on Linux, where they end
/// a process too, IO (also called POLL), PWR (a power failure, from a UPS
/// daemon) and STKFLT. The real-time signals, which end a process by
/// default as well (containers running systemd are stopped with
/// SIGRTMIN+3), are caught on Linux too ([`caught_signals`]).
///
/// Left alone: KILL and STOP cannot be caught. SEGV, BUS, FPE, ILL, TRAP,
/// SYS and ABRT report a fault (or `abort`) in the thread that raised it,
/// which must end there and then, not go on while another thread cleans
/// up. PIPE is ignored from the start (Rust's runtime does so), so that
/// writing to a closed pipe is an error saydo ends on quietly, with 0.
/// The others (CHLD, CONT, URG, WINCH; TSTP, TTIN, TTOU) do not end a
/// process.
const ENDING_SIGNALS: &[c_int] = &[
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGTERM,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGVTALRM,
    libc::SIGPROF,
    libc::SIGXCPU,
    libc::SIGXFSZ,
    #[cfg(target_os = "linux")]
    libc::SIGIO,
    #[cfg(target_os = "linux")]
    libc::SIGPWR,
    // Not on MIPS or SPARC, among others.
    #[cfg(all(
        target_os = "linux",
        any(
            target_arch = "x86",
            target_arch = "x86_64",
            target_arch = "arm",
            target_arch = "aarch64"
        )
    ))]
    libc::SIGSTKFLT,
];

/// [`ENDING_SIGNALS`] and, on Linux, the real-time signals, less those
/// whose action when saydo starts is not the default: a signal the run was
/// started to ignore (`nohup`, a background job of a script) stays
/// ignored, and one that something loaded before `main` handles (a
/// profiler's SIGPROF) is left to it. Empty where the system does not say
/// (it does on Linux).
fn caught_signals() -> Vec<c_int> {
    let Some(not_default) = signals_not_at_default() else {
        return Vec::new();
    };
    #[cfg(target_os = "linux")]
    let real_time = libc::SIGRTMIN()..=libc::SIGRTMAX();
    #[cfg(not(target_os = "linux"))]
    let real_time = 0..=-1;
    ENDING_SIGNALS
        .iter()
        .copied()
        .chain(real_time)
        .filter(|&s| (1..=64).contains(&s) && not_default & (1 << (s - 1)) == 0)
        .collect()
}

/// On Ctrl-C, `kill`, a closed terminal or any other of
/// [`ENDING_SIGNALS`], removes the report being written, which the
/// signal's default action would leave behind, and then ends the process
/// by that signal: the shell or the CI runner still sees a run ended by
/// it.
fn clean_up_on_signals() {
    // Without the handler (it could not be installed), a signal ends the
    // run as before; so does one the system refuses to have caught.
    let Ok(mut signals) = signal_hook::iterator::Signals::new(Vec::<c_int>::new()) else {
        return;
    };
    for signal in caught_signals() {
        let _ = signals.add_signal(signal);
    }
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            saydo::output::remove_temporaries();
            end_by(signal);
        }
    });
}

/// Ends the process by `signal`'s default action, as if saydo had never
/// caught it: the action set back to the default, the signal unblocked
/// in this thread, and raised. (signal-hook's `emulate_default_handler`
/// does the same for the signals it knows, but knows neither PWR, STKFLT
/// nor the real-time signals, and takes IO for one that is ignored, as it
/// is outside Linux.)
fn end_by(signal: c_int) -> ! {
    // SAFETY: each call gets valid pointers to values on this stack (or
    // null where the call allows it); a zeroed `sigaction` and `sigset_t`
    // are valid values of those C types.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = libc::SIG_DFL;
        libc::sigaction(signal, &action, std::ptr::null_mut());
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, signal);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(signal);
    }
    // Only if the signal did not end the process: the conventional status
    // of a run ended by it.
    std::process::exit(128 + signal)
}

/// The signals whose action is not the default in this process, ignored
/// or handled, as a mask (bit `n - 1` for signal `n`), where the system
/// says (Linux: `SigIgn` and `SigCgt` in /proc/self/status); `None`
/// elsewhere.
fn signals_not_at_default() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let mask = |field: &str| {
        let hex = status.lines().find_map(|l| l.strip_prefix(field))?;
        u64::from_str_radix(hex.trim(), 16).ok()
    };
    Some(mask("SigIgn:")? | mask("SigCgt:")?)
}

fn main() {
    tune_allocator();
    clean_up_on_signals();
    let cli = Cli::parse();
    let colors = Colors {
        stdout: color(cli.color, io::stdout().is_terminal()),
        stderr: color(cli.color, io::stderr().is_terminal()),
    };
    let (quiet, timings) = (cli.quiet, cli.timings);
    let config = cli
        .into_config(terminal_width())
        .unwrap_or_else(|e| e.exit());
    let stdout = io::stdout();
    let mut out = stdout.lock();
    // Not locked for the whole run: the progress bar draws on standard
    // error from the threads that load the data, and would wait forever
    // for a lock this thread holds while it waits for them.
    let mut err = io::stderr();
    let bar = Bar::new(quiet);
    let mut io = Io {
        stdout: &mut out,
        stderr: &mut err,
        colors,
        progress: &bar,
        exits_after: true,
    };
    let status = match app::run(&config, &mut io) {
        Ok(status) => status,
        // `saydo check | head`: the reader left; that is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Status::Success,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            Status::Error
        }
    };
    if timings {
        let _ = writeln!(err, "{}", bar.timings());
    }
    std::process::exit(status.code());
}

/// A progress bar on standard error, shown only on a terminal, without
/// --quiet, and only once a run has taken longer than a moment.
struct Bar {
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
    fn new(quiet: bool) -> Bar {
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
    fn timings(&self) -> String {
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

/// The terminal's width when standard output is one and says so, else 100.
fn terminal_width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok());
    match from_env {
        Some(w) if io::stdout().is_terminal() && w >= 40 => w,
        _ => 100,
    }
}
