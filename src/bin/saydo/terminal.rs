//! What saydo asks of the terminal: whether to colour, and how wide.

use std::io::{self, IsTerminal};

/// Whether `NO_COLOR` asks for no colour (set and not empty).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The terminal's width when standard output is one: what the terminal
/// says, else `COLUMNS`, else 100 (and never below 40).
pub fn width() -> usize {
    if !io::stdout().is_terminal() {
        return 100;
    }
    let from_env = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
    };
    match saydo::app::terminal_columns().or_else(from_env) {
        Some(w) if w >= 40 => w,
        _ => 100,
    }
}
