//! The `saydo` binary: parse flags, run, exit with 0, 1 or 2.

use clap::Parser;
use saydo::app::{self, Colors, Io, Status};
use saydo::cli::{Cli, ColorChoice};
use saydo::render::style::Style;
use std::io::{self, IsTerminal, Write};

/// saydo allocates millions of small strings while loading, from several
/// threads; mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

fn main() {
    let cli = Cli::parse();
    let colors = Colors {
        stdout: color(cli.color, io::stdout().is_terminal()),
        stderr: color(cli.color, io::stderr().is_terminal()),
    };
    let config = cli.into_config(terminal_width());
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let mut io = Io {
        stdout: &mut out,
        stderr: &mut err,
        colors,
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
    std::process::exit(status.code());
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
