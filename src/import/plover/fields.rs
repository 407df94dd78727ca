//! A PLOVER record's fields, read with saydo's span-keeping JSON reader:
//! each value saydo uses with its place in the file, and a problem at
//! each value of a wrong type. Unknown fields are skipped.

use crate::diag::{Code, Diagnostic, FileId};
use crate::input::json::{self, Kind as JsonKind, Reader, SyntaxError};
use std::ops::Range;

/// A value read, with its span in the file.
#[derive(Debug)]
pub(super) struct Spanned {
    pub(super) value: String,
    pub(super) at: Range<usize>,
}

/// One entry of a `source` or `target` list.
#[derive(Debug, Default)]
pub(super) struct Entry {
    pub(super) text: String,
    pub(super) code: String,
    pub(super) sector: String,
}

/// A record's fields, as far as saydo reads them.
#[derive(Debug, Default)]
pub(super) struct Fields {
    pub(super) id: Option<Spanned>,
    pub(super) date: Option<Spanned>,
    pub(super) event: Option<Spanned>,
    pub(super) mode: String,
    pub(super) event_text: String,
    pub(super) text: Option<Spanned>,
    pub(super) sources: Vec<Entry>,
    pub(super) targets: Vec<Entry>,
    /// A `target` written as text, not as a list.
    pub(super) target_text: String,
    pub(super) context: Vec<String>,
    /// The fields given with a wrong type (a problem already), which are
    /// not missing too.
    pub(super) wrong: Vec<&'static str>,
}

/// Reads a record's fields, collecting problems of wrong types.
pub(super) struct Parse<'a> {
    pub(super) r: Reader<'a>,
    pub(super) offset: usize,
    pub(super) file: FileId,
    pub(super) problems: Vec<Diagnostic>,
}

impl Parse<'_> {
    fn place(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.offset..span.end + self.offset
    }

    /// Skips a value of the wrong type, with a problem at it.
    pub(super) fn wrong(
        &mut self,
        field: &str,
        expected: &str,
        found: JsonKind,
    ) -> json::Result<()> {
        let span = self.r.skip()?;
        let at = self.place(span);
        self.problems.push(
            Diagnostic::new(
                Code::WrongType,
                self.file,
                at,
                format!("`{field}` should be {expected}, not {}", found.noun()),
            )
            .hint("see PLOVER's record format"),
        );
        Ok(())
    }

    /// A string, or `None` for `null` or a value of another type.
    fn text(&mut self, field: &str) -> json::Result<Option<Spanned>> {
        match self.r.peek()? {
            JsonKind::String => {
                let (value, span) = self.r.string()?;
                Ok(Some(Spanned {
                    value: value.into_owned(),
                    at: self.place(span),
                }))
            }
            JsonKind::Null => {
                self.r.skip()?;
                Ok(None)
            }
            other => {
                self.wrong(field, "a string", other)?;
                Ok(None)
            }
        }
    }

    /// A `source` or `target`: its entries, or the text it was written as.
    fn actors(&mut self, field: &str) -> json::Result<(Vec<Entry>, String)> {
        let mut entries = Vec::new();
        match self.r.peek()? {
            JsonKind::Array => {
                let mut seq = self.r.array()?;
                while self.r.next_element(&mut seq)? {
                    match self.r.peek()? {
                        JsonKind::Object => entries.push(self.entry(field)?),
                        other => self.wrong(field, "a list of actor objects", other)?,
                    }
                }
            }
            JsonKind::String => return Ok((entries, self.r.string()?.0.into_owned())),
            JsonKind::Null => {
                self.r.skip()?;
            }
            other => self.wrong(field, "a list of actors", other)?,
        }
        Ok((entries, String::new()))
    }

    fn entry(&mut self, field: &str) -> json::Result<Entry> {
        let mut entry = Entry::default();
        let mut obj = self.r.object()?;
        while let Some((key, _)) = self.r.next_key(&mut obj)? {
            let slot = match key.as_ref() {
                "actorText" => &mut entry.text,
                "code" => &mut entry.code,
                "sector" => &mut entry.sector,
                _ => {
                    self.r.skip()?;
                    continue;
                }
            };
            let name = format!("{field}.{key}");
            if let Some(s) = self.text(&name)? {
                *slot = s.value;
            }
        }
        Ok(entry)
    }

    /// `context`: a string of topics, or a list of them.
    fn context(&mut self) -> json::Result<Vec<String>> {
        let mut texts = Vec::new();
        match self.r.peek()? {
            JsonKind::String => texts.push(self.r.string()?.0.into_owned()),
            JsonKind::Array => {
                let mut seq = self.r.array()?;
                while self.r.next_element(&mut seq)? {
                    if let Some(s) = self.text("context")? {
                        texts.push(s.value);
                    }
                }
            }
            JsonKind::Null => {
                self.r.skip()?;
            }
            other => self.wrong("context", "a string or a list of strings", other)?,
        }
        let mut topics: Vec<String> = Vec::new();
        for topic in texts
            .iter()
            .flat_map(|t| t.split(|c: char| c == ',' || c.is_whitespace()))
            .filter(|t| !t.is_empty())
        {
            if !topics.iter().any(|known| known == topic) {
                topics.push(topic.to_string());
            }
        }
        Ok(topics)
    }

    /// A string field, noting in `f` if it has a wrong type.
    fn required(&mut self, name: &'static str, f: &mut Fields) -> json::Result<Option<Spanned>> {
        let before = self.problems.len();
        let value = self.text(name)?;
        if self.problems.len() > before {
            f.wrong.push(name);
        }
        Ok(value)
    }

    /// The fields of the record object at the reader.
    pub(super) fn fields(&mut self) -> json::Result<Fields> {
        let mut f = Fields::default();
        let mut obj = self.r.object()?;
        while let Some((key, _)) = self.r.next_key(&mut obj)? {
            match key.as_ref() {
                "id" => f.id = self.required("id", &mut f)?,
                "date" => f.date = self.required("date", &mut f)?,
                "event" => f.event = self.required("event", &mut f)?,
                "mode" => f.mode = self.text("mode")?.map(|s| s.value).unwrap_or_default(),
                "eventText" => {
                    f.event_text = self.text("eventText")?.map(|s| s.value).unwrap_or_default();
                }
                "text" => f.text = self.required("text", &mut f)?,
                "source" => (f.sources, _) = self.actors("source")?,
                "target" => (f.targets, f.target_text) = self.actors("target")?,
                "context" => f.context = self.context()?,
                _ => {
                    self.r.skip()?;
                }
            }
        }
        self.r.finish()?;
        Ok(f)
    }
}

/// A syntax error of the reader as a problem in the file.
pub(super) fn syntax(e: &SyntaxError, offset: usize, file: FileId) -> Diagnostic {
    let code = if e.too_deep {
        Code::TooDeep
    } else {
        Code::JsonSyntax
    };
    Diagnostic::new(
        code,
        file,
        e.at.start + offset..e.at.end + offset,
        e.message.clone(),
    )
    .hint("the records after this one are not read; fix the JSON and import again")
}
