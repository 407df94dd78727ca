//! The one-pass reader of a claim or action of the usual shape: fields
//! in any order, every value of its expected type, nothing to report. Any
//! other record is read field by field ([`super::FieldReader`]).

use super::fields::near_field;
use super::*;
use crate::date::PartialDate;
use crate::input::json::Reader;
use crate::model::{Attribution, is_valid_id};
use std::borrow::Cow;
use std::ops::Range;

/// One pass over a claim or action of the usual shape: known fields of its
/// kind, each once; strings (escaped ones decoded by the spanned reader);
/// numbers; arrays of strings; `source`; `null` where the field allows it;
/// unknown fields skipped unless they look like a typo; every required
/// field present and valid. Reading such a record field by field took
/// some twenty calls of the spanned reader, each more bookkeeping than
/// work: 28% of the instructions of a JSON check. Anything else (a wrong
/// type, a value out of range, a duplicate, a field that looks like a typo,
/// a syntax error) gives `None`, and the record is read again field by
/// field, which reports what is wrong. What `record` returns is exactly
/// what reading field by field returns; property tests hold the two
/// together.
pub(crate) struct Quick<'a> {
    pub(crate) text: &'a str,
    pub(crate) bytes: &'a [u8],
    /// The next byte to read.
    pub(crate) at: usize,
    /// The spanned reader's depth inside the record (nesting is limited).
    pub(crate) depth: u32,
}

impl<'a> Quick<'a> {
    /// Starts where `r` is, before a record's `{`.
    pub(crate) fn at(r: &Reader<'a>) -> Self {
        Quick {
            text: r.text(),
            bytes: r.text().as_bytes(),
            at: r.pos(),
            depth: r.depth() + 1,
        }
    }

    /// The record, with its topics in `topics` (empty).
    pub(crate) fn record(
        &mut self,
        kind: RecordKind,
        topics: Vec<Cow<'a, str>>,
    ) -> Option<RawRecord<'a>> {
        let mut rec = RawRecord {
            topics,
            ..RawRecord::default()
        };
        let mut seen = 0u32;
        self.byte(b'{')?;
        loop {
            let (key, _) = self.string()?;
            let Some(field) = Field::of(&key).filter(|f| f.belongs_to(kind)) else {
                // Another kind's field, or the dataset's own annotation,
                // unless it looks like a typo (which is reported).
                let known = match kind {
                    RecordKind::Claim => CLAIM_FIELDS,
                    RecordKind::Action => ACTION_FIELDS,
                };
                let score = matches!(Field::of(&key), Some(Field::Stance | Field::Effect));
                if !score && near_field(&key, known).is_some() {
                    return None;
                }
                self.byte(b':')?;
                self.skip_value()?;
                if self.next_member(b'}')? {
                    continue;
                }
                break;
            };
            if seen & field.bit() != 0 {
                return None;
            }
            seen |= field.bit();
            self.byte(b':')?;
            match field {
                Field::Id => {
                    let (id, span) = self.string()?;
                    is_valid_id(&id).then_some(())?;
                    rec.id = Some((id, span));
                }
                Field::Actor => rec.actor = Some(self.string()?),
                Field::Target => rec.target = self.or_null(Self::string)?,
                Field::Date => rec.date = Some(PartialDate::parse(&self.string()?.0).ok()?),
                Field::Text => rec.text = Some(self.string()?.0),
                Field::Notes => rec.notes = self.or_null(Self::string)?.map(|s| s.0),
                Field::Topics => {
                    self.strings(|s, _| rec.topics.push(s))?;
                }
                Field::RespondsTo => {
                    self.strings(|s, span| rec.responds_to.push((s, span)))?;
                }
                Field::Stance | Field::Effect => {
                    let score = self.number()?;
                    (-10.0..=10.0).contains(&score).then_some(())?;
                    rec.score = Some(score);
                }
                Field::Attribution => {
                    rec.attribution = match self.or_null(Self::string)? {
                        Some((s, _)) => Some(Attribution::parse(&s)?),
                        None => None,
                    };
                }
                Field::Source => {
                    if let Some(()) = self.or_null(|_| Some(()))? {
                        self.source(&mut rec)?;
                    }
                }
            }
            if !self.next_member(b'}')? {
                break;
            }
        }
        let score = match kind {
            RecordKind::Claim => Field::Stance,
            RecordKind::Action => Field::Effect,
        };
        let required = [Field::Id, Field::Actor, Field::Date, Field::Text, score];
        required.iter().all(|f| seen & f.bit() != 0).then_some(rec)
    }

    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// Consumes `byte` after any whitespace.
    pub(crate) fn byte(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        (self.bytes.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    /// After a member: true after a comma, false after `close`.
    pub(crate) fn next_member(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        match b {
            b',' => Some(true),
            b if b == close => Some(false),
            _ => None,
        }
    }

    /// A string of at most [`MAX_STRING_BYTES`] and its span (quotes
    /// included); one with escapes is decoded by the spanned reader.
    pub(crate) fn string(&mut self) -> Option<Spanned<Cow<'a, str>>> {
        self.skip_ws();
        let start = self.at;
        (self.bytes.get(start) == Some(&b'"')).then_some(())?;
        let len = crate::perf::first_special(self.bytes.get(start + 1..)?)?;
        let end = start + 1 + len;
        let (s, span) = if self.bytes[end] == b'"' {
            (
                Cow::Borrowed(self.text.get(start + 1..end)?),
                start..end + 1,
            )
        } else {
            self.reader().string().ok()?
        };
        (s.len() <= MAX_STRING_BYTES).then_some(())?;
        self.at = span.end;
        Some((s, span))
    }

    /// The spanned reader, at the next byte, as deep as reading field by
    /// field would be there.
    pub(crate) fn reader(&self) -> Reader<'a> {
        Reader::nested(self.text, self.at, self.depth)
    }

    /// Skips any value, by the spanned reader's rules.
    pub(crate) fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        let mut r = self.reader();
        self.at = r.skip().ok()?.end;
        Some(())
    }

    /// A `source` object: `document`, `quote` and `url`, each at most once.
    pub(crate) fn source(&mut self, rec: &mut RawRecord<'a>) -> Option<()> {
        self.byte(b'{')?;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Some(());
        }
        let mut seen = [false; 3];
        loop {
            let (key, _) = self.string()?;
            let which = SOURCE_FIELDS.iter().position(|f| *f == key)?;
            if std::mem::replace(&mut seen[which], true) {
                return None;
            }
            self.byte(b':')?;
            let value = self.or_null(Self::string)?;
            match which {
                0 => rec.document = value,
                1 => rec.quote = value,
                _ => rec.url = value.map(|s| s.0),
            }
            if !self.next_member(b'}')? {
                return Some(());
            }
        }
    }

    /// `Some(None)` for `null`, else what `value` reads.
    pub(crate) fn or_null<T>(
        &mut self,
        value: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        self.skip_ws();
        if self.bytes[self.at..].starts_with(b"null") {
            self.at += 4;
            return Some(None);
        }
        value(self).map(Some)
    }

    /// A number, read by the spanned reader's own rules.
    pub(crate) fn number(&mut self) -> Option<f64> {
        self.skip_ws();
        let (value, span) = self.reader().number().ok()?;
        self.at = span.end;
        Some(value)
    }

    /// An array of strings (or `null`, for none), each handed to `each`.
    pub(crate) fn strings(
        &mut self,
        mut each: impl FnMut(Cow<'a, str>, Range<usize>),
    ) -> Option<()> {
        if self.or_null(|_| Some(()))?.is_none() {
            return Some(());
        }
        self.byte(b'[')?;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Some(());
        }
        for _ in 0..MAX_LIST_ITEMS {
            let (s, span) = self.string()?;
            each(s, span);
            if !self.next_member(b']')? {
                return Some(());
            }
        }
        None
    }
}
