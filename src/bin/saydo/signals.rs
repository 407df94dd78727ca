//! Cleaning up on signals: the report being written is removed before a
//! signal ends the run.

use libc::c_int;

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
pub fn clean_up_on_signals() {
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
            saydo::app::remove_temporaries();
            saydo::app::end_by(signal);
        }
    });
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
