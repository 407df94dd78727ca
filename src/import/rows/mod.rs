//! Rows of delimited text (tab- or comma-separated), read one at a time
//! by the `csv` crate, each field with its exact place in the file so that
//! a problem in it is shown at `file:line:column` like any other.

use crate::diag::{Code, Diagnostic, FileId};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How a delimited file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dialect {
    /// The byte between fields: `\t` or `,`.
    pub delimiter: u8,
    /// Whether a field may be quoted (`"a, b"`, with `""` for a quote).
    /// GDELT and ICEWS files are not: a `"` in them is text.
    pub quoting: bool,
}

impl Dialect {
    /// Tab-separated, quotes are text.
    pub const TSV: Dialect = Dialect {
        delimiter: b'\t',
        quoting: false,
    };
    /// RFC 4180 comma-separated.
    pub const CSV: Dialect = Dialect {
        delimiter: b',',
        quoting: true,
    };

    /// The dialect of a file whose first line is `first`: tab-separated
    /// if it has a tab, else comma-separated.
    pub fn sniff(first: &[u8]) -> Dialect {
        if first.contains(&b'\t') {
            Dialect::TSV
        } else {
            Dialect::CSV
        }
    }
}

/// The first line of a file (at most 64 KiB of it), to sniff its dialect
/// and whether it is a header.
pub(crate) fn first_line(path: &Path) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    File::open(path)?.take(64 << 10).read_to_end(&mut head)?;
    let end = memchr::memchr(b'\n', &head).unwrap_or(head.len());
    head.truncate(end);
    if head.ends_with(b"\r") {
        head.pop();
    }
    Ok(head)
}

/// Where each of the `needed` columns is in a header row (`names`, read
/// with surrounding spaces and a byte-order mark ignored), or the names
/// of those it lacks.
pub(crate) fn header_columns<const N: usize>(
    names: &[&str],
    needed: &[&'static str; N],
) -> Result<[usize; N], Vec<&'static str>> {
    let mut at = [0; N];
    let mut missing = Vec::new();
    for (k, want) in needed.iter().enumerate() {
        match names
            .iter()
            .position(|n| n.trim_start_matches('\u{feff}').trim() == *want)
        {
            Some(i) => at[k] = i,
            None => missing.push(*want),
        }
    }
    if missing.is_empty() {
        Ok(at)
    } else {
        Err(missing)
    }
}

/// Column names as a message lists them: `` `A`, `B` ``.
pub(crate) fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of one file, in order.
pub(crate) struct Rows {
    source: Source,
    /// The current row's fields: ranges of `buf` (tab-separated) or of
    /// the record (comma-separated).
    fields: Vec<Range<usize>>,
    dialect: Dialect,
    path: PathBuf,
    file: FileId,
}

enum Source {
    /// Tab-separated, without quoting: lines read directly, so every
    /// field's place is known exactly.
    Lines {
        reader: BufReader<File>,
        buf: Vec<u8>,
        /// Byte offset of the next line.
        offset: usize,
    },
    /// Comma-separated with quoting, read by the `csv` crate.
    Csv {
        reader: Box<csv::Reader<File>>,
        record: csv::ByteRecord,
    },
}

impl Rows {
    /// Opens a file whose fields may be quoted (exports and spreadsheets
    /// quote a field that holds the delimiter, a quote or a line break),
    /// tab- or comma-separated as its first line says.
    pub fn open_quoted(path: &Path, file: FileId) -> io::Result<Rows> {
        let first = first_line(path)?;
        let dialect = Dialect {
            quoting: true,
            ..Dialect::sniff(&first)
        };
        Rows::open(path, file, dialect)
    }

    /// Opens `path`, registered as `file`.
    pub fn open(path: &Path, file: FileId, dialect: Dialect) -> io::Result<Rows> {
        let source = if dialect.quoting {
            let reader = csv::ReaderBuilder::new()
                .delimiter(dialect.delimiter)
                .has_headers(false)
                .flexible(true)
                .buffer_capacity(1 << 20)
                .from_reader(File::open(path)?);
            Source::Csv {
                reader: Box::new(reader),
                record: csv::ByteRecord::new(),
            }
        } else {
            Source::Lines {
                reader: BufReader::with_capacity(1 << 20, File::open(path)?),
                buf: Vec::new(),
                offset: 0,
            }
        };
        Ok(Rows {
            source,
            fields: Vec::new(),
            dialect,
            path: path.to_path_buf(),
            file,
        })
    }

    /// Reads the rest of the file, row by row, without looking at it;
    /// returns how many rows there were.
    pub fn skip_rest(&mut self) -> io::Result<u64> {
        let mut n = 0;
        while self.next_row()?.is_some() {
            n += 1;
        }
        Ok(n)
    }

    /// The next row; `None` at the end of the file.
    pub fn next_row(&mut self) -> io::Result<Option<Row<'_>>> {
        self.fields.clear();
        let (start, bytes): (usize, &[u8]) = match &mut self.source {
            Source::Lines {
                reader,
                buf,
                offset,
            } => {
                buf.clear();
                let read = reader.read_until(b'\n', buf)?;
                if read == 0 {
                    return Ok(None);
                }
                let start = *offset;
                *offset += read;
                let mut end = buf.len();
                while end > 0 && matches!(buf[end - 1], b'\n' | b'\r') {
                    end -= 1;
                }
                split_fields(&buf[..end], self.dialect.delimiter, &mut self.fields);
                (start, &buf[..])
            }
            Source::Csv { reader, record } => {
                match reader.read_byte_record(record) {
                    Ok(true) => {}
                    Ok(false) => return Ok(None),
                    Err(e) => {
                        return Err(match e.into_kind() {
                            csv::ErrorKind::Io(e) => e,
                            other => io::Error::other(format!("{other:?}")),
                        });
                    }
                }
                self.fields
                    .extend((0..record.len()).map(|i| record.range(i).unwrap_or(0..0)));
                let start = record.position().map_or(0, |p| p.byte() as usize);
                (start, record.as_slice())
            }
        };
        Ok(Some(Row {
            file: self.file,
            start,
            bytes,
            text: None,
            fields: &self.fields,
            quoted: self.dialect.quoting,
            delimiter: self.dialect.delimiter,
            path: &self.path,
        }))
    }
}

/// Splits a line (without its line break) at `delimiter` into `fields`,
/// ranges of the line; a quote is text.
pub(crate) fn split_fields(line: &[u8], delimiter: u8, fields: &mut Vec<Range<usize>>) {
    fields.clear();
    // Fields are short and many are empty: a plain loop beats searching
    // for each delimiter.
    let mut from = 0;
    for (at, &b) in line.iter().enumerate() {
        if b == delimiter {
            fields.push(from..at);
            from = at + 1;
        }
    }
    fields.push(from..line.len());
}

/// A file in blocks of whole lines, each with its offset, to be worked on
/// in parallel.
pub(crate) struct Blocks {
    file: File,
    /// The start of a line the last block cut off.
    carry: Vec<u8>,
    /// Offset of the next block's first byte.
    offset: usize,
}

impl Blocks {
    /// Bytes read at a time (a block holds about as much).
    const SIZE: usize = 1 << 20;

    pub fn open(path: &Path) -> io::Result<Blocks> {
        Ok(Blocks {
            file: File::open(path)?,
            carry: Vec::new(),
            offset: 0,
        })
    }

    /// The next block of whole lines (the last one may lack its line
    /// break) and its offset, read into `block` (emptied first: a caller
    /// hands back the blocks it is done with, so that memory is reused);
    /// `None` at the end of the file.
    pub fn next_block(&mut self, mut block: Vec<u8>) -> io::Result<Option<(usize, Vec<u8>)>> {
        block.clear();
        block.append(&mut self.carry);
        loop {
            let had = block.len();
            // Read into the block's spare room, which need not be cleared
            // first.
            block.reserve(Self::SIZE);
            let n = (&mut self.file)
                .take(Self::SIZE as u64)
                .read_to_end(&mut block)?;
            if n == 0 {
                break;
            }
            if let Some(last) = memchr::memrchr(b'\n', &block[had..]) {
                self.carry.extend_from_slice(&block[had + last + 1..]);
                block.truncate(had + last + 1);
                break;
            }
        }
        if block.is_empty() {
            return Ok(None);
        }
        let start = self.offset;
        self.offset += block.len();
        Ok(Some((start, block)))
    }
}

/// The lines of a block: each line's offset in the block and its bytes
/// without the line break.
pub(crate) fn lines(block: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= block.len() {
            return None;
        }
        let start = at;
        let end = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i);
        at = end + 1;
        let mut line = &block[start..end];
        while let [rest @ .., b'\r'] = line {
            line = rest;
        }
        Some((start, line))
    })
}

/// One row: its fields and where they are.
pub(crate) struct Row<'r> {
    /// The file it is in.
    pub file: FileId,
    /// Byte offset where it starts (for a quoted file, where the `csv`
    /// crate says it does: possibly the line break before it).
    start: usize,
    bytes: &'r [u8],
    /// `bytes` as text, when they are UTF-8 and were checked whole.
    text: Option<&'r str>,
    fields: &'r [Range<usize>],
    quoted: bool,
    delimiter: u8,
    path: &'r Path,
}

impl<'r> Row<'r> {
    /// The row of a tab-separated `line` (without its line break) that
    /// starts at byte `start` of `file`, its fields split already.
    pub fn of_line(
        file: FileId,
        start: usize,
        line: &'r [u8],
        fields: &'r [Range<usize>],
        path: &'r Path,
    ) -> Row<'r> {
        Row {
            file,
            start,
            text: std::str::from_utf8(line).ok(),
            bytes: line,
            fields,
            quoted: false,
            delimiter: b'\t',
            path,
        }
    }

    /// How many fields the row has.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the row is an empty line.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.is_empty())
    }

    /// Field `i` as text, or a `not-utf8` problem at it. A missing field
    /// reads as empty.
    pub fn get(&self, i: usize) -> Result<&'r str, Diagnostic> {
        // A whole line checked at once; fields split at an ASCII byte are
        // whole characters.
        if let (Some(text), Some(r)) = (self.text, self.fields.get(i)) {
            return Ok(&text[r.clone()]);
        }
        let bytes = self
            .fields
            .get(i)
            .map_or(&[][..], |r| &self.bytes[r.clone()]);
        std::str::from_utf8(bytes).map_err(|e| {
            let at = if self.quoted {
                // The field as the file has it: its quotes are ASCII, so
                // its first byte that is not UTF-8 is the field's.
                let span = self.span(i);
                span.start
                    + self
                        .raw(span)
                        .and_then(|raw| std::str::from_utf8(&raw).err())
                        .map_or(0, |e| e.valid_up_to())
            } else {
                self.span(i).start + e.valid_up_to()
            };
            Diagnostic::new(
                Code::NotUtf8,
                self.file,
                at..at + 1,
                "this field is not valid UTF-8 text",
            )
            .hint("save the file as UTF-8 (in a spreadsheet: CSV UTF-8)")
        })
    }

    /// The byte span of field `i` in the file (its quotes included); an
    /// empty span at the row's end for a field the row lacks.
    pub fn span(&self, i: usize) -> Range<usize> {
        if !self.quoted {
            return match self.fields.get(i) {
                Some(r) => self.start + r.start..self.start + r.end,
                None => {
                    let end = self.start + self.fields.last().map_or(0, |r| r.end);
                    end..end
                }
            };
        }
        self.quoted_span(i).unwrap_or(self.start..self.start + 1)
    }

    /// A problem at field `i`.
    pub fn problem(
        &self,
        code: Code,
        i: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, self.file, self.span(i), message).hint(hint)
    }

    /// A problem of the whole row (at its first field).
    pub fn row_problem(
        &self,
        code: Code,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let at = self.span(0).start;
        Diagnostic::new(code, self.file, at..at + 1, message).hint(hint)
    }

    /// The bytes of the file at `span` (only problems need them).
    fn raw(&self, span: Range<usize>) -> Option<Vec<u8>> {
        let mut file = File::open(self.path).ok()?;
        file.seek(SeekFrom::Start(span.start as u64)).ok()?;
        let mut raw = Vec::new();
        file.take(span.len() as u64).read_to_end(&mut raw).ok()?;
        Some(raw)
    }

    /// The span of field `i` of a row that may quote its fields, found by
    /// reading the row again from the file: only problems need it. A
    /// field the row lacks is an empty span at its end.
    fn quoted_span(&self, i: usize) -> Option<Range<usize>> {
        let mut file = File::open(self.path).ok()?;
        file.seek(SeekFrom::Start(self.start as u64)).ok()?;
        let mut raw = Vec::new();
        file.take(4 << 20).read_to_end(&mut raw).ok()?;
        // The csv crate may count a CR LF's LF into the next row.
        let mut at = raw
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .count();
        // The csv crate skips a byte-order mark at the start of a file.
        if self.start == 0 && raw.starts_with(b"\xEF\xBB\xBF") {
            at = 3;
        }
        let mut field = 0;
        loop {
            let begin = at;
            if raw.get(at) == Some(&b'"') {
                at += 1;
                while at < raw.len() {
                    if raw[at] == b'"' {
                        if raw.get(at + 1) == Some(&b'"') {
                            at += 2;
                            continue;
                        }
                        at += 1;
                        break;
                    }
                    at += 1;
                }
            }
            while at < raw.len() && !matches!(raw[at], b'\n' | b'\r') && raw[at] != self.delimiter {
                at += 1;
            }
            if field == i {
                return Some(self.start + begin..self.start + at);
            }
            if raw.get(at) != Some(&self.delimiter) {
                return Some(self.start + at..self.start + at);
            }
            at += 1;
            field += 1;
        }
    }
}

#[cfg(test)]
mod tests;
