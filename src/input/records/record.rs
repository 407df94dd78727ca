//! Claims and actions: the one reader of a record.
//!
//! Almost every record of a dataset has the usual shape: known fields of
//! its kind, each once, every value of its expected type, nothing to
//! report. Through the spanned reader each key and value of such a record
//! would be a call with more bookkeeping than work, so this reader walks
//! the record's bytes itself, driven by the field table (`Field`): a key
//! without escapes after a `,`, a string (one with escapes decoded by the
//! spanned reader's `string`), a number (by the spanned reader's
//! `number`), `null`, a list of strings, a `source` of them, the closing
//! `}`. Where a value is anything else (another type, a bad id or date, a
//! score out of range, a string too long, a syntax error), the reader
//! goes back to the start of that value, and only that value, and reads
//! it with the value readers of `fields.rs`, which report the problem (or
//! stop at the syntax error) with its span. An unusual key or separator
//! goes the same way to the spanned reader's `next_key`.
//!
//! What it returns and reports is what reading the record field by field
//! through the spanned reader alone returns and reports, to the byte:
//! that slower reader is kept, for tests only, in `oracle.rs`, and
//! property tests hold the two together.

use super::fields::Res;
use super::*;
use crate::input::json::Reader;
use crate::model::{About, Attribution, is_valid_id};
use std::borrow::Cow;
use std::ops::Range;

impl<'a> FieldReader<'a, '_> {
    /// Reads a claim or action, reporting every problem; the reader is
    /// before its `{`.
    #[cfg(any(test, feature = "internals"))]
    pub fn record(&mut self, kind: RecordKind) -> Res<RawRecord<'a>> {
        self.record_reusing(kind, Vec::new())
    }

    /// [`FieldReader::record`], with the record's topics put in `topics`
    /// (emptied first): a loader that hands each record's vector on to
    /// the next allocates none for a million records.
    pub fn record_reusing(
        &mut self,
        kind: RecordKind,
        mut topics: Vec<Cow<'a, str>>,
    ) -> Res<RawRecord<'a>> {
        topics.clear();
        self.begin_record();
        let read = self.record_members(kind, topics);
        let broken = self.end_record();
        read.map(|rec| RawRecord { broken, ..rec })
    }

    fn record_members(
        &mut self,
        kind: RecordKind,
        topics: Vec<Cow<'a, str>>,
    ) -> Res<RawRecord<'a>> {
        let mut rec = RawRecord {
            start: self.r.pos() + self.base,
            topics,
            ..RawRecord::default()
        };
        // The fields of this kind seen so far, one bit per `Field`.
        let mut seen = 0u32;
        // Whether the other kind's score was there (see `missing_fields`).
        let mut stray_score = false;
        let mut obj = self.r.object()?;
        let mut next = self.plain_key(true);
        loop {
            let (key, key_span) = match next {
                Next::Key(key, span) => {
                    obj.member_read();
                    (Cow::Borrowed(key), span)
                }
                Next::End(at) => {
                    self.r.close_object_at(at);
                    break;
                }
                Next::Unusual => match self.r.next_key(&mut obj)? {
                    Some(member) => member,
                    None => break,
                },
            };
            match Field::of(&key) {
                Some(field) if field.belongs_to(kind) => {
                    if seen & field.bit() != 0 {
                        self.duplicate(&key, key_span)?;
                    } else if field == Field::Draft {
                        seen |= field.bit();
                        self.draft(key_span)?;
                    } else {
                        seen |= field.bit();
                        self.value(field, kind, &mut rec)?;
                    }
                }
                Some(Field::Stance | Field::Effect) => {
                    self.r.skip()?;
                    stray_score = true;
                }
                Some(Field::About) => self.about_in_action(key_span)?,
                _ => {
                    let known = match kind {
                        RecordKind::Claim => CLAIM_FIELDS,
                        RecordKind::Action => ACTION_FIELDS,
                    };
                    self.unknown(&key, key_span, known)?;
                }
            }
            next = self.plain_key(false);
        }
        let required = required_fields(kind).iter().fold(0, |all, f| all | f.bit());
        if seen & required != required {
            self.missing_fields(kind, seen, &rec, stray_score);
        }
        Ok(rec)
    }

    /// Reads the value of `field`, the reader before it.
    fn value(&mut self, field: Field, kind: RecordKind, rec: &mut RawRecord<'a>) -> Res<()> {
        let string = |s: Cow<'a, str>| Some(s);
        match field {
            Field::Id => {
                rec.id = match self.plain(|s| is_valid_id(&s).then_some(s)) {
                    Some(id) => Some(id),
                    None => self.slow(|fr| fr.id())?,
                }
            }
            Field::Actor => {
                rec.actor = match self.plain(string) {
                    Some(actor) => Some(actor),
                    None => self.slow(|fr| fr.string("actor", false))?,
                }
            }
            Field::Target => {
                rec.target = match self.plain_or_null() {
                    Some(target) => target,
                    None => self.slow(|fr| fr.string("target", true))?,
                }
            }
            Field::Date => {
                rec.date = match self.plain(|s| PartialDate::parse(&s).ok()) {
                    Some((date, _)) => Some(date),
                    None => self.slow(|fr| fr.date("date", false))?.map(|d| d.0),
                }
            }
            Field::Text => {
                rec.text = match self.plain(string) {
                    Some((text, _)) => Some(text),
                    None => self.slow(|fr| fr.string("text", false))?.map(|s| s.0),
                }
            }
            Field::Notes => {
                rec.notes = match self.plain_or_null() {
                    Some(notes) => notes.map(|s| s.0),
                    None => self.slow(|fr| fr.string("notes", true))?.map(|s| s.0),
                }
            }
            Field::Topics => {
                if !self.plain_list(|s, _| rec.topics.push(s)) {
                    rec.topics.clear();
                    self.slow(|fr| fr.strings("topics", |t, _| rec.topics.push(t)))?;
                }
            }
            Field::RespondsTo => {
                if !self.plain_list(|s, span| rec.responds_to.push((s, span))) {
                    rec.responds_to = self.slow(|fr| fr.string_list("responds_to"))?.0;
                }
            }
            Field::Stance | Field::Effect => {
                let at = self.skip_space();
                rec.score = match self.r.text().as_bytes().get(at) {
                    Some(b'-' | b'0'..=b'9') => match self.r.number()? {
                        (score, _) if (-10.0..=10.0).contains(&score) => Some(score),
                        _ => {
                            self.r.skip_to(at);
                            self.slow(|fr| fr.score(kind.score_field()))?
                        }
                    },
                    _ => self.slow(|fr| fr.score(kind.score_field()))?,
                }
            }
            Field::Attribution => {
                rec.attribution = if self.null() {
                    None
                } else {
                    match self.plain(|s| Attribution::parse(&s)) {
                        Some((a, _)) => Some(a),
                        None => self.slow(|fr| fr.attribution())?,
                    }
                }
            }
            Field::About => {
                rec.about = if self.null() {
                    About::Any
                } else {
                    match self.plain(|s| About::parse(&s)) {
                        Some((about, _)) => about,
                        None => self.slow(|fr| fr.about())?,
                    }
                }
            }
            // Read with its key, by `record_members`.
            Field::Draft => self.r.skip().map(drop)?,
            Field::Source => {
                if !self.plain_source(rec) {
                    self.slow(|fr| fr.source(rec))?;
                }
            }
        }
        Ok(())
    }

    /// Reads an unusual value with the spanned reader, which reports what
    /// is wrong with it. Kept out of line: the usual record never comes
    /// here, and the reading of it stays small.
    #[cold]
    #[inline(never)]
    fn slow<T>(&mut self, read: impl FnOnce(&mut Self) -> Res<T>) -> Res<T> {
        #[cfg(test)]
        tests::SLOW_VALUES.with(|n| n.set(n.get() + 1));
        read(self)
    }

    /// The offset of the next byte that is not whitespace, the reader
    /// moved there (every method of the spanned reader skips it first).
    #[inline(always)]
    fn skip_space(&mut self) -> usize {
        let at = after_space(self.r.text().as_bytes(), self.r.pos());
        self.r.skip_to(at);
        at
    }

    /// The string at the reader, when it is not too long and `read` makes
    /// something of it: that and the string's span, with the reader past
    /// it. Otherwise `None`, the reader not moved (but past whitespace).
    #[inline(always)]
    fn plain<T>(
        &mut self,
        read: impl FnOnce(Cow<'a, str>) -> Option<T>,
    ) -> Option<(T, Range<usize>)> {
        let at = self.skip_space();
        let (s, span) = match plain_string(self.r.text(), at) {
            Some((s, span)) => (Cow::Borrowed(s), span),
            None => self.escaped_string(at)?,
        };
        let value = read(s)?;
        self.r.skip_to(span.end);
        Some((value, span))
    }

    /// The string at `at` that [`plain_string`] left, decoded by the
    /// spanned reader (escapes are common enough in texts to be usual),
    /// when it is a string, valid and not too long.
    #[cold]
    #[inline(never)]
    fn escaped_string(&self, at: usize) -> Option<Spanned<Cow<'a, str>>> {
        let text = self.r.text();
        (text.as_bytes().get(at) == Some(&b'"')).then_some(())?;
        let (s, span) = Reader::nested(text, at, self.r.depth()).string().ok()?;
        (s.len() <= MAX_STRING_BYTES).then_some((s, span))
    }

    /// What comes next in the record, after its `{` (`first`) or after a
    /// member: a key without escapes (after a comma but for the first),
    /// with the reader past the colon after it; or the record's `}`;
    /// or, the reader not moved, something for the spanned reader.
    #[inline(always)]
    fn plain_key(&mut self, first: bool) -> Next<'a> {
        let text = self.r.text();
        let bytes = text.as_bytes();
        let mut at = after_space(bytes, self.r.pos());
        match bytes.get(at) {
            Some(b'}') => return Next::End(at),
            Some(b',') if !first => at = after_space(bytes, at + 1),
            Some(_) if first => {}
            _ => return Next::Unusual,
        }
        let Some((key, span)) = plain_string(text, at) else {
            return Next::Unusual;
        };
        let colon = after_space(bytes, span.end);
        if bytes.get(colon) != Some(&b':') {
            return Next::Unusual;
        }
        self.r.skip_to(colon + 1);
        Next::Key(key, span)
    }

    /// An array of strings of [`FieldReader::plain`], or `null`, each
    /// handed to `each`; false, with the reader back where it was, for
    /// anything else.
    #[inline(always)]
    fn plain_list(&mut self, mut each: impl FnMut(Cow<'a, str>, Range<usize>)) -> bool {
        let start = self.skip_space();
        let read = (|| {
            if self.null() {
                return Some(());
            }
            self.open(b'[')?;
            if self.close(b']') {
                return Some(());
            }
            for _ in 0..MAX_LIST_ITEMS {
                let (s, span) = self.plain(Some)?;
                each(s, span);
                if self.close(b']') {
                    return Some(());
                }
                self.comma()?;
            }
            None
        })();
        if read.is_none() {
            self.r.skip_to(start);
        }
        read.is_some()
    }

    /// A `source` of `document`, `quote` and `url`, each once and a
    /// string of [`FieldReader::plain`] or `null`; or `null`. False, with
    /// the reader back where it was, for anything else.
    fn plain_source(&mut self, rec: &mut RawRecord<'a>) -> bool {
        let start = self.skip_space();
        let read = (|| {
            if self.null() {
                return Some(());
            }
            self.open(b'{')?;
            if self.close(b'}') {
                return Some(());
            }
            let mut seen = [false; 3];
            loop {
                let (key, _) = self.plain(Some)?;
                let which = SOURCE_FIELDS.iter().position(|f| *f == key)?;
                if std::mem::replace(&mut seen[which], true) {
                    return None;
                }
                self.colon()?;
                let value = self.plain_or_null()?;
                match which {
                    0 => rec.document = value,
                    1 => rec.quote = value,
                    _ => rec.url = value.map(|s| s.0),
                }
                if self.close(b'}') {
                    return Some(());
                }
                self.comma()?;
            }
        })();
        if read.is_none() {
            self.r.skip_to(start);
        }
        read.is_some()
    }

    /// `null` (`Some(None)`) or a string of [`FieldReader::plain`].
    #[inline(always)]
    fn plain_or_null(&mut self) -> Option<Option<Spanned<Cow<'a, str>>>> {
        if self.null() {
            return Some(None);
        }
        self.plain(Some).map(Some)
    }

    /// Consumes `null` after whitespace, if it is next.
    #[inline(always)]
    fn null(&mut self) -> bool {
        let at = self.skip_space();
        let found = self.r.text().as_bytes()[at..].starts_with(b"null");
        if found {
            self.r.skip_to(at + 4);
        }
        found
    }

    /// Consumes `open` after whitespace, where the spanned reader could
    /// open an array or object (it limits nesting).
    fn open(&mut self, open: u8) -> Option<()> {
        let at = self.skip_space();
        let ok = self.r.text().as_bytes().get(at) == Some(&open)
            && self.r.depth() < crate::input::json::MAX_DEPTH;
        ok.then(|| self.r.skip_to(at + 1))
    }

    /// Consumes `close` after whitespace, if it is next.
    #[inline(always)]
    fn close(&mut self, close: u8) -> bool {
        let at = self.skip_space();
        let found = self.r.text().as_bytes().get(at) == Some(&close);
        if found {
            self.r.skip_to(at + 1);
        }
        found
    }

    /// Consumes a comma after whitespace.
    #[inline(always)]
    fn comma(&mut self) -> Option<()> {
        self.close(b',').then_some(())
    }

    /// Consumes a colon after whitespace.
    fn colon(&mut self) -> Option<()> {
        self.close(b':').then_some(())
    }
}

/// The offset of the first byte at or after `at` that is not JSON
/// whitespace.
#[inline(always)]
fn after_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

/// The string at `at` and its span (quotes included), when it holds no
/// escape nor control byte and is at most [`MAX_STRING_BYTES`] long.
fn plain_string(text: &str, at: usize) -> Option<(&str, Range<usize>)> {
    let bytes = text.as_bytes();
    (bytes.get(at) == Some(&b'"')).then_some(())?;
    let len = crate::perf::first_special(bytes.get(at + 1..)?)?;
    let end = at + 1 + len;
    (bytes[end] == b'"' && len <= MAX_STRING_BYTES).then_some(())?;
    Some((text.get(at + 1..end)?, at..end + 1))
}

/// What comes next in a record (see [`FieldReader::plain_key`]).
enum Next<'a> {
    Key(&'a str, Range<usize>),
    /// The record's `}`, at this offset.
    End(usize),
    Unusual,
}
