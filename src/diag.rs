//! Problems found in a dataset, as values.
//!
//! Loading and validation never stop at the first problem: each one becomes
//! a [`Diagnostic`] with a stable [`Code`], a severity, the file and byte
//! span of the offending value, a message and a hint. Line and column are
//! worked out only when a problem is shown (see [`Files`]).

use std::ops::Range;

pub use crate::input::source::{FileId, Files};

/// Whether a problem makes the dataset invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The dataset is invalid: saydo checks nothing until it is fixed.
    Error,
    /// Worth a look; the dataset is still checked.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $name:literal, $severity:ident, $description:literal; )*) => {
        /// The kind of a problem. The kebab-case names are stable: CI scripts
        /// and dashboards may match on them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( #[doc = concat!("`", $name, "`, an ", stringify!($severity), " (see [`Code::description`]).")] $variant, )* }

        impl Code {
            /// Every code, in a fixed order (for documentation and SARIF rules).
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// What the problem is, in one sentence.
            pub fn description(self) -> &'static str {
                match self { $( Code::$variant => $description, )* }
            }

            /// How serious the problem is.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }
        }
    };
}

codes! {
    Io = "io-error", Error, "A file or folder of the dataset could not be read.";
    MissingFolder = "missing-folder", Error, "A folder the dataset needs (claims/ or actions/) does not exist.";
    NotUtf8 = "not-utf8", Error, "A data file is not valid UTF-8 text.";
    EmptyFile = "empty-file", Error, "A data file holds no JSON at all.";
    TooLarge = "too-large", Error, "A file, line or value is larger than saydo accepts.";
    JsonSyntax = "json-syntax", Error, "A data file is not valid JSON (or a JSON Lines line is not).";
    TooDeep = "too-deep", Error, "JSON nested deeper than any record needs.";
    TooManyProblems = "too-many-problems", Error, "A file or record has so many problems that saydo stopped listing them.";
    WrongType = "wrong-type", Error, "A field holds a value of the wrong JSON type.";
    MissingField = "missing-field", Error, "A record lacks a required field.";
    DuplicateField = "duplicate-field", Error, "A record names the same field twice.";
    BadId = "bad-id", Error, "An id does not match ^[a-z0-9][a-z0-9-]*$.";
    DuplicateId = "duplicate-id", Error, "Two records share an id.";
    BadDate = "bad-date", Error, "A date is not YYYY, YYYY-MM or YYYY-MM-DD, or names a day that does not exist.";
    BadInterval = "bad-interval", Error, "A role ends before it starts.";
    ScoreOutOfRange = "score-out-of-range", Error, "A stance or effect lies outside [-10, 10].";
    BadValue = "bad-value", Error, "A field holds a value outside its allowed set (kind, attribution).";
    UnknownActor = "unknown-actor", Error, "A record names an actor that no actor's id, name or alias matches.";
    AmbiguousName = "ambiguous-name", Error, "A name matches more than one actor.";
    UnknownReference = "unknown-reference", Error, "responds_to names an id that is not an action.";
    SelfResponse = "self-response", Error, "An action responds to itself.";
    ActsForCycle = "acts-for-cycle", Error, "Actors act for each other in a cycle.";
    BadDocument = "bad-document", Error, "A source document does not exist inside the dataset, or is one of its data files.";
    Misquote = "misquote", Error, "A source quote does not occur in its document.";
    UnexpectedFile = "unexpected-file", Warning, "A file in a data folder is neither *.json nor *.jsonl and is ignored.";
    UnknownField = "unknown-field", Warning, "A field saydo does not know is close to one it does (a typo?).";
    SharedName = "shared-name", Warning, "Two actors share a name or alias; records cannot use it.";
    EarlyResponse = "early-response", Warning, "An action responds to a deed that starts after it is over; the response is not counted.";
    NameIsId = "name-is-id", Warning, "An actor's name or alias is another actor's id; records that use it mean the actor with that id.";
    StaleReview = "stale-review", Warning, "A decision in reviews/ names a pair that does not exist or no longer has the verdict decided on; it no longer applies.";
    LoneTopic = "lone-topic", Warning, "A topic only one record uses is close to a topic several use (a typo?).";
    DraftRecord = "draft-record", Warning, "An actor, claim or action is still marked `draft` (proposed by saydo draft, not yet checked by a curator).";
}

/// A secondary place that explains a problem ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The file of the place.
    pub file: FileId,
    /// Byte span of the place in the file.
    pub span: Range<usize>,
    /// What the place shows.
    pub message: String,
}

/// One problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The kind of problem, a stable name.
    pub code: Code,
    /// Error or warning; the code's own severity, except for a summary of
    /// problems not listed, which takes theirs.
    pub severity: Severity,
    /// The file, or `None` for a problem of the dataset as a whole.
    pub file: Option<FileId>,
    /// Byte span of the offending value in the file.
    pub span: Range<usize>,
    /// What is wrong, in a sentence.
    pub message: String,
    /// How to fix it, when saydo can tell.
    pub hint: Option<String>,
    /// Other places involved (the first of two duplicates, an actor in a cycle).
    pub notes: Vec<Note>,
}

impl Diagnostic {
    /// A problem at `span` of `file`, with the code's severity.
    pub(crate) fn new(
        code: Code,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: Some(file),
            span,
            message: message.into(),
            hint: None,
            notes: Vec::new(),
        }
    }

    /// A problem of the dataset as a whole (a missing folder).
    pub(crate) fn global(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: None,
            span: 0..0,
            message: message.into(),
            hint: None,
            notes: Vec::new(),
        }
    }

    /// The problem with a hint.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The problem with a hint, if any.
    pub(crate) fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// The problem with one more place that explains it.
    pub(crate) fn note(
        mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.notes.push(Note {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Whether the problem makes the dataset invalid.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts problems by place, then code and message, so that reports do not
/// depend on the order in which threads found them.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (
            a.file.is_some(),
            a.file,
            a.span.start,
            a.span.end,
            a.code,
            &a.message,
        )
            .cmp(&(
                b.file.is_some(),
                b.file,
                b.span.start,
                b.span.end,
                b.code,
                &b.message,
            ))
    });
}

/// Removes exact repeats after [`sort`].
pub(crate) fn dedup(diags: &mut Vec<Diagnostic>) {
    diags.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name}"
            );
            assert!(seen.insert(name), "{name} twice");
            assert!(code.description().ends_with('.'));
        }
    }
}
