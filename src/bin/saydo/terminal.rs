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

/// Answers for `saydo review` from a person at a terminal: one key per
/// answer, and a line of text for a reason.
pub struct Keys {
    term: dialoguer::console::Term,
}

impl Keys {
    /// Asks on standard error, which must be a terminal.
    pub fn new() -> Self {
        Keys {
            term: dialoguer::console::Term::stderr(),
        }
    }

    fn reason(&self, prompt: &str) -> io::Result<String> {
        dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .validate_with(|s: &String| {
                if s.trim().is_empty() {
                    Err("a reason is needed: the next reviewer reads it")
                } else {
                    Ok(())
                }
            })
            .interact_text_on(&self.term)
            .map(|s| s.trim().to_string())
            .map_err(|dialoguer::Error::IO(e)| e)
    }
}

impl saydo::app::Ask for Keys {
    fn answer(&mut self, out: &mut dyn io::Write) -> io::Result<saydo::app::Answer> {
        use saydo::app::Answer;
        out.flush()?;
        loop {
            self.term
                .write_str("[c]onfirm  [d]ismiss  [n]eeds source  [s]kip  [q]uit: ")?;
            let key = match self.term.read_char() {
                Ok(key) => key,
                // Ctrl-C or Ctrl-D in raw mode: the end of the walk.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => '\u{3}',
                Err(e) => return Err(e),
            };
            self.term.write_line(&key.to_string())?;
            return Ok(match key.to_ascii_lowercase() {
                'c' => Answer::Confirm(None),
                'd' => Answer::Dismiss(self.reason("why is it not a contradiction")?),
                'n' => Answer::NeedsSource(self.reason("which source is needed")?),
                's' => Answer::Skip,
                'q' | '\u{3}' | '\u{4}' | '\u{1b}' => Answer::Quit,
                _ => continue,
            });
        }
    }
}
