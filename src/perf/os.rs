//! The three calls saydo makes into C libraries: setting an option of the
//! allocator, ending the process by a signal it had caught, and asking
//! the terminal how wide it is.

use std::ffi::c_int;

/// Tunes the allocator, where the user has not (an option set through
/// `MIMALLOC_PURGE_DELAY` or `MIMALLOC_ALLOW_THP` is left alone):
///
/// - mimalloc keeps freed memory for a second (its purge delay) before it
///   gives it back to the system, so what one stage of a check frees still
///   counted in the next stage's peak. A tenth of a second keeps the peak
///   near the memory actually in use, in the same time (BENCHMARKS.md).
/// - Transparent huge pages are turned off for the process (mimalloc's
///   `allow_thp`, and the system's switch for the process, which mimalloc
///   reads only as it starts). Each huge page is zeroed whole when first
///   touched, however little of it is used; on machines that take the
///   time to fault memory in (virtual machines that hand freed memory back
///   to their host), that zeroing was a fifth of a dense trend's time and
///   more system time than user time in a large check's reading. With
///   small pages the large check took 1.94 s instead of 2.10 and 665 MB
///   instead of 709 (BENCHMARKS.md).
pub fn tune_allocator() {
    // mimalloc 3's `mi_option_purge_delay` and `mi_option_allow_thp`,
    // which the bindings do not name; hence the checks of the version and
    // of the options' defaults (`allow_thp`'s default is also what a user
    // would set to keep huge pages, so its variable is looked for).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    const DEFAULT_MS: std::ffi::c_long = 1000;
    const SAYDO_MS: std::ffi::c_long = 100;
    const ALLOW_THP: libmimalloc_sys::mi_option_t = 43;
    // SAFETY: these read and set a number in mimalloc's table of options,
    // which it allows at any time from any thread; `prctl` with
    // `PR_SET_THP_DISABLE` sets a flag of this process and reads no memory.
    unsafe {
        let v3 = (30000..40000).contains(&libmimalloc_sys::mi_version());
        if v3 && libmimalloc_sys::mi_option_get(PURGE_DELAY) == DEFAULT_MS {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, SAYDO_MS);
        }
        let thp_set = std::env::var_os("MIMALLOC_ALLOW_THP").is_some();
        if v3 && !thp_set && libmimalloc_sys::mi_option_get(ALLOW_THP) == 1 {
            libmimalloc_sys::mi_option_set(ALLOW_THP, 0);
            #[cfg(target_os = "linux")]
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

/// Ends the process by `signal`'s default action, as if saydo had never
/// caught it: the action set back to the default, the signal unblocked
/// in this thread, and raised. (signal-hook's `emulate_default_handler`
/// does the same for the signals it knows, but knows neither PWR, STKFLT
/// nor the real-time signals, and takes IO for one that is ignored, as it
/// is outside Linux.)
pub fn end_by(signal: c_int) -> ! {
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

/// How many columns the terminal on standard output has, if standard
/// output is a terminal that says (`TIOCGWINSZ`; a pseudo-terminal that
/// was never sized says 0, which is no answer). Shells keep `COLUMNS` to
/// themselves unless told to export it, so the terminal is asked.
pub fn terminal_columns() -> Option<usize> {
    // SAFETY: `ioctl(TIOCGWINSZ)` writes one `winsize` into the value it is
    // given, a zeroed `winsize` on this stack (a valid value of the type),
    // and touches nothing else; on a descriptor that is no terminal it
    // fails and writes nothing.
    let (ok, size) = unsafe {
        let mut size: libc::winsize = std::mem::zeroed();
        let ok = libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) == 0;
        (ok, size)
    };
    (ok && size.ws_col > 0).then_some(usize::from(size.ws_col))
}
