//! Printers: each turns a [`crate::report::Report`] (or a list of problems)
//! into bytes of one format, and only reads it. Adding a format never
//! touches the engine.

pub mod csv;
pub mod github;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod markdown;
pub mod problems;
pub mod sarif;
pub mod style;
pub mod table;

/// Report formats (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Markdown,
    Csv,
    Github,
    Sarif,
    Junit,
    Html,
}

impl Format {
    pub const NAMES: [&'static str; 9] = [
        "table", "json", "jsonl", "markdown", "csv", "github", "sarif", "junit", "html",
    ];

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "table" => Format::Table,
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "markdown" => Format::Markdown,
            "csv" => Format::Csv,
            "github" => Format::Github,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
            "html" => Format::Html,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}
