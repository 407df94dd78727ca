//! A pull reader for JSON that knows where every value is.
//!
//! saydo reports problems at the line and column of the offending *value*
//! (not only of the record), and reads millions of records, so the loader
//! needs both byte positions and speed. `serde_json` gives neither spans of
//! values nor a way to keep going after a wrong type, so datasets are read
//! with this small reader: the caller asks for the value it expects
//! (`string`, `number`, `object`, …), gets its byte span back, and on a
//! wrong type can skip the value and keep reading the record.
//!
//! The grammar is RFC 8259. Nesting is limited to [`MAX_DEPTH`] so that no
//! input can exhaust the stack, and strings are returned borrowed from the
//! input unless they contain escapes.

use std::borrow::Cow;
use std::ops::Range;

/// Deepest nesting of arrays and objects accepted. Records are at most four
/// levels deep; anything deeper is data nobody meant to write.
pub const MAX_DEPTH: u32 = 64;

/// The JSON type of a value, as seen from its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    /// The name used in messages: "expected a string, found a number".
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
        }
    }
}

/// A syntax error: where reading stopped and why. Reading cannot go on
/// after one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: Range<usize>,
    pub message: String,
    pub too_deep: bool,
}

/// Boxed: reading returns a `Result` from every step, and a small error
/// keeps each of them small (the error itself is rare).
pub type Result<T> = std::result::Result<T, Box<SyntaxError>>;

/// Reads JSON values one after another from a `&str`.
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
}

/// State of an object or array being iterated: whether the next member is
/// the first (no comma before it).
pub struct Seq {
    first: bool,
}

impl Seq {
    /// Notes a member the caller read itself: the next needs a comma.
    pub fn member_read(&mut self) {
        self.first = false;
    }
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    /// Moves to a byte offset (a value's start, or past a byte-order mark).
    pub fn skip_to(&mut self, pos: usize) {
        self.pos = pos.min(self.bytes.len());
    }

    /// Byte offset of the next unread byte.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The whole text being read.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// How many arrays and objects the reader is inside.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// A reader of `text` at byte `pos`, as if inside `depth` arrays and
    /// objects (which count towards [`MAX_DEPTH`]).
    pub fn nested(text: &'a str, pos: usize, depth: u32) -> Self {
        let mut r = Reader::new(text);
        r.skip_to(pos);
        r.depth = depth;
        r
    }

    fn error<T>(&self, at: Range<usize>, message: impl Into<String>) -> Result<T> {
        Err(Box::new(SyntaxError {
            at,
            message: message.into(),
            too_deep: false,
        }))
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
    }

    /// An error at the next byte, describing what was found there.
    fn unexpected<T>(&self, expected: &str) -> Result<T> {
        match self.text[self.pos..].chars().next() {
            None => self.error(
                self.pos..self.pos,
                format!("unexpected end of input, expected {expected}"),
            ),
            Some(c) => self.error(
                self.pos..self.pos + c.len_utf8(),
                format!("unexpected {}, expected {expected}", describe_char(c)),
            ),
        }
    }

    /// Skips whitespace and tells the kind of the next value.
    pub fn peek(&mut self) -> Result<Kind> {
        self.skip_ws();
        match self.bytes.get(self.pos) {
            Some(b'{') => Ok(Kind::Object),
            Some(b'[') => Ok(Kind::Array),
            Some(b'"') => Ok(Kind::String),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(b't' | b'f') => Ok(Kind::Bool),
            Some(b'n') => Ok(Kind::Null),
            _ => self.unexpected("a value"),
        }
    }

    /// True when only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos >= self.bytes.len()
    }

    /// Requires that only whitespace is left.
    pub fn finish(&mut self) -> Result<()> {
        if self.at_end() {
            Ok(())
        } else {
            self.unexpected("the end of input")
        }
    }

    fn enter(&mut self, open: u8) -> Result<Seq> {
        self.skip_ws();
        if self.bytes.get(self.pos) != Some(&open) {
            return self.unexpected(if open == b'{' {
                "an object"
            } else {
                "an array"
            });
        }
        if self.depth >= MAX_DEPTH {
            return Err(Box::new(SyntaxError {
                at: self.pos..self.pos + 1,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                too_deep: true,
            }));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(Seq { first: true })
    }

    /// Consumes `{`.
    pub fn object(&mut self) -> Result<Seq> {
        self.enter(b'{')
    }

    /// Consumes `[`.
    pub fn array(&mut self) -> Result<Seq> {
        self.enter(b'[')
    }

    /// Moves to the next member of an object: returns its key and the key's
    /// span, with the reader placed before the value, or `None` after the
    /// closing `}`.
    pub fn next_key(&mut self, seq: &mut Seq) -> Result<Option<(Cow<'a, str>, Range<usize>)>> {
        if !self.next_member(seq, b'}', "a key or '}'", "',' or '}'")? {
            return Ok(None);
        }
        if self.bytes.get(self.pos) != Some(&b'"') {
            return self.unexpected("a key in double quotes");
        }
        let (key, span) = self.string()?;
        self.skip_ws();
        if self.bytes.get(self.pos) != Some(&b':') {
            return self.unexpected("':' after the key");
        }
        self.pos += 1;
        Ok(Some((key, span)))
    }

    /// Moves past the `}` at `pos` that closes the innermost object, as
    /// [`Reader::next_key`] would, for a caller that found it itself.
    pub fn close_object_at(&mut self, pos: usize) {
        debug_assert_eq!(self.bytes.get(pos), Some(&b'}'));
        (self.pos, self.depth) = (pos + 1, self.depth - 1);
    }

    /// Moves to the next element of an array: true with the reader before
    /// the element, false after the closing `]`.
    pub fn next_element(&mut self, seq: &mut Seq) -> Result<bool> {
        self.next_member(seq, b']', "a value or ']'", "',' or ']'")
    }

    fn next_member(&mut self, seq: &mut Seq, close: u8, first: &str, later: &str) -> Result<bool> {
        self.skip_ws();
        let b = self.bytes.get(self.pos).copied();
        if b == Some(close) {
            // `[]`, `{}` and the end after a member are all fine; a trailing
            // comma was caught when the comma was read.
            self.pos += 1;
            self.depth -= 1;
            return Ok(false);
        }
        if seq.first {
            seq.first = false;
            if b.is_none() {
                return self.unexpected(first);
            }
            return Ok(true);
        }
        if b != Some(b',') {
            return self.unexpected(later);
        }
        self.pos += 1;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&close) {
            return self.error(self.pos - 1..self.pos, "trailing comma");
        }
        Ok(true)
    }

    /// Reads a string value, returning it and its span (quotes included).
    pub fn string(&mut self) -> Result<(Cow<'a, str>, Range<usize>)> {
        self.skip_ws();
        let start = self.pos;
        if self.bytes.get(start) != Some(&b'"') {
            return self.unexpected("a string");
        }
        let mut i = start + 1;
        // Fast path: no escapes, borrow.
        loop {
            i += crate::perf::first_special(&self.bytes[i..]).unwrap_or(self.bytes.len() - i);
            match self.bytes.get(i) {
                None => return self.error(start..self.bytes.len(), "unterminated string"),
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok((Cow::Borrowed(&self.text[start + 1..i]), start..i + 1));
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => return self.control_char(i),
                Some(_) => i += 1,
            }
        }
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(&self.text[start + 1..i]);
        loop {
            match self.bytes.get(i) {
                None => return self.error(start..self.bytes.len(), "unterminated string"),
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok((Cow::Owned(out), start..i + 1));
                }
                Some(b'\\') => i = self.escape(i, &mut out)?,
                Some(&b) if b < 0x20 => return self.control_char(i),
                Some(_) => {
                    // Copy the run up to the next quote, backslash or control byte.
                    let run_end = crate::perf::first_special(&self.bytes[i..])
                        .map_or(self.bytes.len(), |n| i + n);
                    out.push_str(&self.text[i..run_end]);
                    i = run_end;
                }
            }
        }
    }

    fn control_char<T>(&self, i: usize) -> Result<T> {
        let what = if self.bytes[i] == b'\n' {
            "a line break"
        } else {
            "a control character"
        };
        self.error(
            i..i + 1,
            format!("{what} inside a string (write it as an escape such as \\n)"),
        )
    }

    /// Decodes the escape at `i` (a backslash) into `out`; returns the index after it.
    fn escape(&self, i: usize, out: &mut String) -> Result<usize> {
        let c = match self.bytes.get(i + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(i, out),
            _ => {
                let end = (i + 2).min(self.bytes.len());
                let end = (end..=self.bytes.len())
                    .find(|&e| self.text.is_char_boundary(e))
                    .unwrap_or(end);
                return self.error(i..end, "invalid escape in string");
            }
        };
        out.push(c);
        Ok(i + 2)
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16)?;
        }
        Some(v)
    }

    fn unicode_escape(&self, i: usize, out: &mut String) -> Result<usize> {
        let bad = |r: &Self, len: usize| {
            let end = (i + len).min(r.bytes.len());
            let end = (end..=r.bytes.len())
                .find(|&e| r.text.is_char_boundary(e))
                .unwrap_or(end);
            r.error(i..end, "invalid \\u escape in string")
        };
        let Some(hi) = self.hex4(i + 2) else {
            return bad(self, 6);
        };
        if (0xD800..0xDC00).contains(&hi) {
            // A high surrogate must be followed by an escaped low surrogate.
            if self.bytes.get(i + 6) == Some(&b'\\')
                && self.bytes.get(i + 7) == Some(&b'u')
                && let Some(lo) = self.hex4(i + 8).filter(|lo| (0xDC00..0xE000).contains(lo))
                && let Some(c) = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
            {
                out.push(c);
                return Ok(i + 12);
            }
            return self.error(i..i + 6, "unpaired surrogate in \\u escape");
        }
        match char::from_u32(hi) {
            Some(c) => {
                out.push(c);
                Ok(i + 6)
            }
            None => self.error(i..i + 6, "unpaired surrogate in \\u escape"),
        }
    }

    /// Reads a number, returning its value and span. Numbers too large for
    /// `f64` come back infinite (callers range-check them).
    pub fn number(&mut self) -> Result<(f64, Range<usize>)> {
        self.skip_ws();
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return self.unexpected("a digit");
            }
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.pos_error_digit(i)?;
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.pos_error_digit(i)?;
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        let value = self.text[start..i].parse::<f64>().unwrap_or(f64::NAN);
        self.pos = i;
        Ok((value, start..i))
    }

    fn pos_error_digit(&self, i: usize) -> Result<()> {
        let probe = Reader { pos: i, ..*self };
        probe.unexpected("a digit")
    }

    /// Reads `true`, `false` or `null`; returns the literal's kind and span.
    fn literal(&mut self) -> Result<Range<usize>> {
        self.skip_ws();
        let start = self.pos;
        for word in [&b"true"[..], b"false", b"null"] {
            if self.bytes[start..].starts_with(word) {
                self.pos += word.len();
                return Ok(start..self.pos);
            }
        }
        self.unexpected("a value")
    }

    /// Skips one value of any kind, checking its syntax; returns its span.
    /// Iterative, so depth costs no stack.
    pub fn skip(&mut self) -> Result<Range<usize>> {
        self.skip_ws();
        let start = self.pos;
        let base = self.depth;
        // Stack of open containers: true for object.
        let mut open: Vec<(bool, Seq)> = Vec::new();
        loop {
            // Read one value, or open a container.
            match self.peek()? {
                Kind::Object => open.push((true, self.object()?)),
                Kind::Array => open.push((false, self.array()?)),
                Kind::String => {
                    self.string()?;
                }
                Kind::Number => {
                    self.number()?;
                }
                Kind::Bool | Kind::Null => {
                    self.literal()?;
                }
            }
            // Advance to the next value to read, closing finished containers.
            loop {
                let Some((is_object, seq)) = open.last_mut() else {
                    debug_assert_eq!(self.depth, base);
                    return Ok(start..self.pos);
                };
                let more = if *is_object {
                    self.next_key(seq)?.is_some()
                } else {
                    self.next_element(seq)?
                };
                if more {
                    break;
                }
                open.pop();
            }
        }
    }
}

fn describe_char(c: char) -> String {
    match c {
        '\n' => "line break".into(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests;
