//! Terminal colour, on or off. Printers ask a [`Style`] to paint text; when
//! colour is off (not a terminal, `NO_COLOR`, `--color never`) painting is
//! the identity, so the same printer serves terminals, files and CI logs.

/// What a piece of text is, which decides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paint {
    Error,
    Warning,
    Frame,
    Bold,
    Good,
    Dim,
}

/// Whether to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Style {
    /// Colour on (ANSI escape sequences) or off.
    pub color: bool,
}

impl Style {
    /// No colour.
    pub const PLAIN: Style = Style { color: false };

    /// `text` in the colour of `paint`, or as it is without colour.
    pub(crate) fn paint(self, paint: Paint, text: &str) -> String {
        if !self.color || text.is_empty() {
            return text.to_string();
        }
        let code = match paint {
            Paint::Error => "1;31",
            Paint::Warning => "1;33",
            Paint::Frame => "1;34",
            Paint::Bold => "1",
            Paint::Good => "32",
            Paint::Dim => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_style_leaves_text_alone() {
        assert_eq!(Style::PLAIN.paint(Paint::Error, "x"), "x");
        assert_eq!(
            Style { color: true }.paint(Paint::Error, "x"),
            "\x1b[1;31mx\x1b[0m"
        );
    }
}
