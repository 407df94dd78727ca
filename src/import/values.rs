//! The records of a JSON file, one at a time, without holding the file:
//! the elements of a JSON array, or values one after another (JSON
//! Lines). Each comes as text with the byte offset it starts at, for
//! saydo's span-keeping reader (`crate::input::json::Reader`) to read and
//! place every value in it at `file:line:column`.
//!
//! Only a value's bounds are found here (by its brackets and quotes); its
//! syntax is the reader's to check. Memory holds one value and a chunk of
//! the file, so a file of any length streams; a value larger than
//! [`MAX_VALUE_BYTES`] (a missing `]` makes the rest of the file one
//! value) is a problem that ends the file's reading.

use crate::diag::{Code, Diagnostic, FileId};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest value read: far more than any event record holds.
pub(crate) const MAX_VALUE_BYTES: usize = 16 << 20;

/// Bytes read from the file at a time.
const CHUNK: u64 = 1 << 16;

/// What the file holds next.
#[derive(Debug)]
pub(crate) enum Item<'a> {
    /// A value: the file offset it starts at, and its text.
    Value(usize, &'a str),
    /// A value that is not UTF-8 text: its problem. Reading goes on.
    NotUtf8(Diagnostic),
    /// The file is neither an array of values nor values one after
    /// another here: its problem. Reading stops.
    Broken(Diagnostic),
}

/// Where reading is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Start,
    /// Inside the array; whether no element was read yet.
    Array {
        first: bool,
    },
    /// Values one after another.
    Sequence,
    Done,
}

/// The values of one file, in order.
pub(crate) struct Values<R = File> {
    source: R,
    /// Bytes read and not yet dropped; `buf[0]` is at file offset `base`.
    buf: Vec<u8>,
    base: usize,
    /// The next byte to look at, in `buf`.
    pos: usize,
    state: State,
    file: FileId,
}

impl Values<File> {
    /// Opens `path`, registered as `file`.
    pub fn open(path: &Path, file: FileId) -> io::Result<Values<File>> {
        Ok(Values::new(File::open(path)?, file))
    }
}

impl<R: Read> Values<R> {
    pub fn new(source: R, file: FileId) -> Values<R> {
        Values {
            source,
            buf: Vec::new(),
            base: 0,
            pos: 0,
            state: State::Start,
            file,
        }
    }

    /// The next item; `None` at the end of the file (or after a
    /// [`Item::Broken`]).
    pub fn next_item(&mut self) -> io::Result<Option<Item<'_>>> {
        // Drop what was read: only the value to come is kept.
        if self.pos >= CHUNK as usize {
            self.buf.drain(..self.pos);
            self.base += self.pos;
            self.pos = 0;
        }
        match self.state {
            State::Done => return Ok(None),
            State::Start => {
                if self.fill()? && self.buf.starts_with(b"\xEF\xBB\xBF") {
                    self.pos = 3;
                }
                match self.peek()? {
                    Some(b'[') => {
                        self.pos += 1;
                        self.state = State::Array { first: true };
                    }
                    Some(b'{') => self.state = State::Sequence,
                    Some(_) => {
                        return Ok(Some(self.broken(
                            Code::JsonSyntax,
                            "expected a JSON array of records, or one record a line",
                        )));
                    }
                    None => {
                        return Ok(Some(
                            self.broken(Code::EmptyFile, "the file holds no JSON at all"),
                        ));
                    }
                }
            }
            State::Array { .. } | State::Sequence => {}
        }
        if let State::Array { first } = self.state {
            match self.peek()? {
                None => {
                    return Ok(Some(self.broken(
                        Code::JsonSyntax,
                        "unexpected end of input, expected ']'",
                    )));
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(match self.peek()? {
                        None => {
                            self.state = State::Done;
                            None
                        }
                        Some(_) => Some(self.broken(
                            Code::JsonSyntax,
                            "unexpected text after the array, expected the end of the file",
                        )),
                    });
                }
                Some(b',') if !first => {
                    let comma = self.pos;
                    self.pos += 1;
                    match self.peek()? {
                        Some(b']') => {
                            self.pos = comma;
                            return Ok(Some(self.broken(Code::JsonSyntax, "trailing comma")));
                        }
                        None => {
                            return Ok(Some(self.broken(
                                Code::JsonSyntax,
                                "unexpected end of input, expected a value",
                            )));
                        }
                        Some(_) => {}
                    }
                }
                Some(_) if !first => {
                    return Ok(Some(
                        self.broken(Code::JsonSyntax, "expected ',' or ']' after a record"),
                    ));
                }
                Some(_) => {}
            }
            self.state = State::Array { first: false };
        } else if self.peek()?.is_none() {
            self.state = State::Done;
            return Ok(None);
        }
        let start = self.pos;
        let end = match self.scan()? {
            Ok(end) => end,
            Err(problem) => {
                self.state = State::Done;
                return Ok(Some(Item::Broken(problem)));
            }
        };
        if end == start {
            return Ok(Some(self.broken(Code::JsonSyntax, "expected a value")));
        }
        self.pos = end;
        let offset = self.base + start;
        Ok(Some(match std::str::from_utf8(&self.buf[start..end]) {
            Ok(text) => Item::Value(offset, text),
            Err(e) => {
                let at = offset + e.valid_up_to();
                Item::NotUtf8(
                    Diagnostic::new(
                        Code::NotUtf8,
                        self.file,
                        at..at + 1,
                        "this record is not valid UTF-8 text",
                    )
                    .hint("save the file as UTF-8"),
                )
            }
        }))
    }

    /// Reads more of the file into `buf`; false at its end.
    fn fill(&mut self) -> io::Result<bool> {
        let read = (&mut self.source).take(CHUNK).read_to_end(&mut self.buf)?;
        Ok(read > 0)
    }

    /// Skips whitespace; the next byte, or `None` at the end of the file.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        loop {
            while let Some(&b) = self.buf.get(self.pos) {
                if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                    return Ok(Some(b));
                }
                self.pos += 1;
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Where the value at `pos` ends (the end of the file if it does not):
    /// after its closing bracket or quote, or at the first delimiter for a
    /// number or literal. Its syntax is left to the reader.
    fn scan(&mut self) -> io::Result<Result<usize, Diagnostic>> {
        let start = self.pos;
        let mut i = start;
        let (mut depth, mut in_string, mut escaped) = (0u32, false, false);
        loop {
            if i == self.buf.len() {
                if i - start > MAX_VALUE_BYTES {
                    let at = self.base + start;
                    return Ok(Err(Diagnostic::new(
                        Code::TooLarge,
                        self.file,
                        at..at + 1,
                        format!("this record is larger than {} MiB", MAX_VALUE_BYTES >> 20),
                    )
                    .hint("is a ']' or '}' missing, or a quote?")));
                }
                if !self.fill()? {
                    return Ok(Ok(i));
                }
            }
            let b = self.buf[i];
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                    if depth == 0 {
                        return Ok(Ok(i + 1));
                    }
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth == 0 => return Ok(Ok(i)),
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(Ok(i + 1));
                        }
                    }
                    b',' | b' ' | b'\t' | b'\n' | b'\r' if depth == 0 => return Ok(Ok(i)),
                    _ => {}
                }
            }
            i += 1;
        }
    }

    /// A problem at the next byte (or at the end), which ends reading.
    fn broken(&mut self, code: Code, message: &str) -> Item<'static> {
        self.state = State::Done;
        let at = self.base + self.pos;
        let end = if self.pos < self.buf.len() {
            at + 1
        } else {
            at
        };
        Item::Broken(
            Diagnostic::new(code, self.file, at..end, message)
                .hint("give the records as a JSON array, [ {...}, {...} ], or one object a line"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of `text`, as (offset, text) or the problem's code and
    /// place, read through a reader that hands over a few bytes at a time
    /// so that values straddle reads.
    fn items(text: &[u8]) -> Vec<Result<(usize, String), (Code, usize)>> {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(out.len()).min(3);
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut values = Values::new(Trickle(text), FileId(0));
        let mut out = Vec::new();
        while let Some(item) = values.next_item().unwrap() {
            out.push(match item {
                Item::Value(at, text) => Ok((at, text.to_string())),
                Item::NotUtf8(p) | Item::Broken(p) => Err((p.code, p.span.start)),
            });
        }
        out
    }

    fn ok(at: usize, text: &str) -> Result<(usize, String), (Code, usize)> {
        Ok((at, text.to_string()))
    }

    #[test]
    fn array_elements_come_with_their_offsets() {
        let text = b"\xEF\xBB\xBF [ {\"a\": [1, \"]\"]},\n 2 , \"x\\\"y\" ,{}]\n";
        assert_eq!(
            items(text),
            [
                ok(6, "{\"a\": [1, \"]\"]}"),
                ok(24, "2"),
                ok(28, "\"x\\\"y\""),
                ok(36, "{}"),
            ]
        );
        assert_eq!(items(b"[]"), []);
    }

    #[test]
    fn values_one_after_another_are_json_lines() {
        assert_eq!(
            items(b"{\"a\":1}\n\n{\"b\":\"}\"}\n"),
            [ok(0, "{\"a\":1}"), ok(9, "{\"b\":\"}\"}")]
        );
    }

    #[test]
    fn a_value_that_is_not_utf8_is_placed_and_reading_goes_on() {
        assert_eq!(
            items(b"[{\"a\":\"\xff\"}, {}]"),
            [Err((Code::NotUtf8, 7)), ok(12, "{}")]
        );
    }

    #[test]
    fn broken_arrays_stop_at_the_right_byte() {
        for (text, code, at) in [
            (&b"[{}, ]"[..], Code::JsonSyntax, 3),
            (b"[{} {}]", Code::JsonSyntax, 4),
            (b"[{}] x", Code::JsonSyntax, 5),
            (b"[{},", Code::JsonSyntax, 4),
            (b"[{}", Code::JsonSyntax, 3),
            (b"[,]", Code::JsonSyntax, 1),
            (b"x", Code::JsonSyntax, 0),
            (b"  \n", Code::EmptyFile, 3),
        ] {
            let got = items(text);
            let last = got.last().cloned();
            assert_eq!(
                last,
                Some(Err((code, at))),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn an_unclosed_value_ends_at_the_end_of_the_file() {
        // The reader then finds what is missing in the value; the array
        // lacks its `]` too.
        assert_eq!(
            items(b"[{\"a\": [1"),
            [ok(1, "{\"a\": [1"), Err((Code::JsonSyntax, 9))]
        );
    }

    #[test]
    fn a_value_larger_than_the_limit_is_a_problem() {
        let mut text = b"[{\"a\": \"".to_vec();
        text.resize(MAX_VALUE_BYTES + 100, b'x');
        let mut values = Values::new(&text[..], FileId(0));
        match values.next_item().unwrap() {
            Some(Item::Broken(p)) => assert_eq!((p.code, p.span.start), (Code::TooLarge, 1)),
            other => panic!("{other:?}"),
        }
        assert!(values.next_item().unwrap().is_none());
    }
}
