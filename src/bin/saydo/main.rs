//! The `saydo` binary: parse flags, run, exit with 0, 1 or 2. What only a
//! process does lives beside it: the terminal (`terminal`), the progress
//! bar and `--timings` (`progress`), and cleaning up on signals
//! (`signals`).

#![deny(unsafe_code)]

mod progress;
mod signals;
mod terminal;

use clap::Parser;
use progress::Bar;
use saydo::app::{self, Colors, Io, Status};
use saydo::cli::Cli;
use std::io::{self, IsTerminal, Write};

/// saydo allocates millions of small strings while loading, from several
/// threads; mimalloc does that markedly faster than the system allocator.
/// It asks the system for transparent huge pages (where the system gives
/// them on request, as most do): a large check then takes far fewer page
/// faults and TLB misses in its scattered reads, for a little more peak
/// memory (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    app::tune_allocator(std::env::args_os());
    signals::clean_up_on_signals();
    let cli = Cli::parse();
    let colors = Colors {
        stdout: cli.style(io::stdout().is_terminal(), terminal::no_color()),
        stderr: cli.style(io::stderr().is_terminal(), terminal::no_color()),
    };
    let (quiet, timings) = (cli.quiet, cli.timings);
    let config = cli
        .into_config(terminal::width())
        .unwrap_or_else(|e| e.exit());
    let stdout = io::stdout();
    let mut out = stdout.lock();
    // Not locked for the whole run: the progress bar draws on standard
    // error from the threads that load the data, and would wait forever
    // for a lock this thread holds while it waits for them.
    let mut err = io::stderr();
    let bar = Bar::new(quiet);
    // Only `saydo review` reads standard input: key by key from a person
    // at a terminal, else as a script of lines.
    let stdin = io::stdin();
    let mut keys;
    let mut script;
    let ask: Option<&mut dyn app::Ask> = match &config {
        app::Config::Review(_) if stdin.is_terminal() && io::stderr().is_terminal() => {
            keys = terminal::Keys::new();
            Some(&mut keys)
        }
        app::Config::Review(_) => {
            script = app::Script::new(stdin.lock());
            Some(&mut script)
        }
        _ => None,
    };
    let mut io = Io {
        stdout: &mut out,
        stderr: &mut err,
        colors,
        progress: &bar,
        exits_after: true,
        ask,
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
