//! The three calls saydo makes into C libraries: setting an option of the
//! allocator, ending the process by a signal it had caught, and asking
//! the terminal how wide it is.

use std::ffi::c_int;

/// mimalloc keeps freed memory for a second (its purge delay) before it
/// gives it back to the system, so what one stage of a check frees still
/// counted in the next stage's peak. A tenth of a second keeps the peak
/// near the memory actually in use, in the same time (BENCHMARKS.md).
///
/// With `keep_freed`, freed memory is never given back: for runs whose
/// memory is bounded by the records, not by the pairs (`saydo trend`).
/// What one stage frees is then used again by the next instead of being
/// faulted in again page by page (each page zeroed by the system, which
/// a virtual machine may charge dearly for): on the dense set in
/// BENCHMARKS.md, 13-19 thousand page faults became 560, and the peak
/// went from 1.1 to 1.4 times the data on disk.
///
/// A `MIMALLOC_PURGE_DELAY` set by the user is left alone.
pub fn tune_allocator(keep_freed: bool) {
    // mimalloc 3's `mi_option_purge_delay`, which the bindings do not name;
    // hence the checks of the version and of the option's default.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    const DEFAULT_MS: std::ffi::c_long = 1000;
    const SAYDO_MS: std::ffi::c_long = 100;
    const NEVER: std::ffi::c_long = -1;
    // SAFETY: these read and set a number in mimalloc's table of options,
    // which it allows at any time from any thread.
    unsafe {
        let v3 = (30000..40000).contains(&libmimalloc_sys::mi_version());
        if v3 && libmimalloc_sys::mi_option_get(PURGE_DELAY) == DEFAULT_MS {
            let delay = if keep_freed { NEVER } else { SAYDO_MS };
            libmimalloc_sys::mi_option_set(PURGE_DELAY, delay);
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
