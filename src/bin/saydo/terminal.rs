//! What saydo asks of the terminal: whether to colour, and how wide.

use saydo::cli::ColorChoice;
use saydo::render::style::Style;
use std::io::{self, IsTerminal};

/// Whether to colour a stream: as asked, or on a terminal unless
/// `NO_COLOR` is set.
pub fn color(choice: ColorChoice, terminal: bool) -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        },
    }
}

/// The terminal's width when standard output is one and says so, else 100.
pub fn width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok());
    match from_env {
        Some(w) if io::stdout().is_terminal() && w >= 40 => w,
        _ => 100,
    }
}
