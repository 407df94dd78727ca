//! The files of a dataset and positions in them.
//!
//! Records and problems carry a [`FileId`] and byte offsets; a [`Files`]
//! store turns those into the path shown to people (relative to the dataset,
//! with `/`) and, for problems, into line and column by reading the file
//! again when a problem is shown. Columns count characters, starting at 1,
//! as editors do.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Index of a file in [`Files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

#[derive(Clone, Debug)]
struct Entry {
    path: PathBuf,
    display: String,
    /// The bytes of the path `display` shows, when it is not UTF-8 (and so
    /// `display` escapes some of them).
    raw: Option<Box<[u8]>>,
    /// The file's bytes when it is held in memory and not on disk (the
    /// records `saydo export --from` imports, validated without being
    /// written): read from here, and shown from here with its problems.
    held: Option<Held>,
}

/// A file's bytes held in memory; shared by the clones of a [`Files`]
/// (it may be hundreds of megabytes), and shown by its length only. A
/// `Vec` behind the `Arc`, as it was made: an `Arc<[u8]>` would copy it.
#[derive(Clone)]
struct Held(std::sync::Arc<Vec<u8>>);

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} bytes held in memory", self.0.len())
    }
}

/// The files a dataset was read from.
#[derive(Clone, Debug, Default)]
pub struct Files {
    root: PathBuf,
    entries: Vec<Entry>,
}

impl Files {
    /// No files yet, of the dataset at `root`.
    pub fn new(root: &Path) -> Files {
        Files {
            root: root.to_path_buf(),
            entries: Vec::new(),
        }
    }

    /// The dataset folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Registers a file; `path` is absolute or relative to the working folder.
    pub fn add(&mut self, path: PathBuf) -> FileId {
        let display = display_path(&self.root, &path);
        let raw = path
            .to_str()
            .is_none()
            .then(|| display_path_bytes(&self.root, &path).into_boxed_slice());
        self.entries.push(Entry {
            path,
            display,
            raw,
            held: None,
        });
        FileId(self.entries.len() as u32 - 1)
    }

    /// Registers a file held in memory: `path` is where it would lie (it
    /// names the file in problems), `bytes` its content, read instead of
    /// the disk's.
    pub fn add_held(&mut self, path: PathBuf, bytes: Vec<u8>) -> FileId {
        let id = self.add(path);
        self.entries[id.0 as usize].held = Some(Held(std::sync::Arc::new(bytes)));
        id
    }

    /// The bytes of a file held in memory, or `None` for a file on disk.
    pub fn held(&self, id: FileId) -> Option<&[u8]> {
        self.entries[id.0 as usize]
            .held
            .as_ref()
            .map(|h| h.0.as_slice())
    }

    /// Lets go of the bytes of the files held in memory, once their
    /// problems are shown: the validated records no longer need them.
    /// Problems shown after this show no source lines.
    pub fn release_held(&mut self) {
        for entry in &mut self.entries {
            entry.held = None;
        }
    }

    /// A file's bytes: held, or read from disk (empty when it cannot be
    /// read), for finding a value again at an offset.
    pub fn bytes(&self, id: FileId) -> Cow<'_, [u8]> {
        match self.held(id) {
            Some(bytes) => Cow::Borrowed(bytes),
            None => Cow::Owned(read_regular(self.path(id), MAX_FILE_BYTES).unwrap_or_default()),
        }
    }

    /// The file's size in bytes, if it is held or can be looked up.
    pub fn size(&self, id: FileId) -> Option<u64> {
        match self.held(id) {
            Some(bytes) => Some(bytes.len() as u64),
            None => std::fs::metadata(self.path(id)).ok().map(|m| m.len()),
        }
    }

    /// Path as shown in reports: relative to the dataset, `/`-separated,
    /// bytes that are not UTF-8 written `\xFF`.
    pub fn display(&self, id: FileId) -> &str {
        &self.entries[id.0 as usize].display
    }

    /// The bytes of the path [`Files::display`] shows, unescaped: what a
    /// URI names the file by.
    pub fn display_bytes(&self, id: FileId) -> &[u8] {
        let entry = &self.entries[id.0 as usize];
        entry.raw.as_deref().unwrap_or(entry.display.as_bytes())
    }

    /// The path the file was read from.
    pub fn path(&self, id: FileId) -> &Path {
        &self.entries[id.0 as usize].path
    }

    /// Reads a file back for showing problems in it. A file that cannot be
    /// read any more (or is not a regular file) shows no source lines, but
    /// its problems still show.
    pub fn source(&self, id: FileId) -> SourceText {
        SourceText::new(self.bytes(id).into_owned())
    }
}

/// Largest file saydo reads: offsets are kept in 32 bits.
pub const MAX_FILE_BYTES: u64 = u32::MAX as u64;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file (a folder, a FIFO, a device).
    NotAFile,
    /// Longer than the limit given.
    TooLarge,
    Io(std::io::Error),
}

/// Reads a regular file of at most `limit` bytes. Devices, FIFOs and the
/// like are refused before they are opened for reading, and the size is
/// enforced while reading, not trusted from metadata.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_regular_into(path, limit, Vec::new())
}

/// [`read_regular`] into `bytes`, a buffer used before (cleared first):
/// reading a large dataset file by file into fresh buffers had the system
/// find and zero a fresh page for every 4 KiB read.
pub fn read_regular_into(
    path: &Path,
    limit: u64,
    mut bytes: Vec<u8>,
) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge);
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    bytes.clear();
    bytes.reserve(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// A path relative to `root` when it lies inside it, with `/` separators.
/// A name that is not UTF-8 (a file name on Unix is any bytes) keeps its
/// other bytes and shows each byte that is not as `\xFF`, so that two
/// names that differ only there still differ.
pub fn display_path(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => rel
            .components()
            .map(|c| name_text(c.as_os_str()))
            .collect::<Vec<_>>()
            .join("/"),
        // Outside the dataset: shown whole (`\` is a separator on Windows,
        // where names are UTF-16 and so always text).
        Err(_) => match path.to_str() {
            Some(text) => text.replace('\\', "/"),
            None => name_text(path.as_os_str()).into_owned(),
        },
    }
}

/// The bytes of the path [`display_path`] shows, without its escapes.
pub fn display_path_bytes(root: &Path, path: &Path) -> Vec<u8> {
    match path.strip_prefix(root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().as_encoded_bytes())
            .collect::<Vec<_>>()
            .join(&b'/'),
        Err(_) => path.as_os_str().as_encoded_bytes().to_vec(),
    }
}

/// A name as text: UTF-8 as it is, and each other byte as `\xFF`.
fn name_text(name: &OsStr) -> Cow<'_, str> {
    if let Some(text) = name.to_str() {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    Cow::Owned(out)
}

/// Bytes between two checkpoints of a [`SourceText`]'s character index:
/// a column is found by counting the characters of less than this many
/// bytes, however long the line (a minified file is one line of megabytes,
/// and a record on it may have thousands of problems).
const CHECKPOINT: usize = 1024;

/// A byte-order mark, which takes no column at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's bytes with the start of every line and an index of character
/// counts, to turn offsets into line:column in time independent of the
/// length of the line.
pub struct SourceText {
    bytes: Vec<u8>,
    line_starts: Vec<usize>,
    /// `chars_before[k]`: the characters (as [`count_chars`] counts them)
    /// in `bytes[..k * CHECKPOINT]`.
    chars_before: Vec<usize>,
}

/// A 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceText {
    pub fn new(bytes: Vec<u8>) -> SourceText {
        let line_starts = line_starts(&bytes);
        let mut chars_before = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut chars = 0;
        chars_before.push(0);
        for chunk in bytes.chunks_exact(CHECKPOINT) {
            chars += chunk.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
            chars_before.push(chars);
        }
        SourceText {
            bytes,
            line_starts,
            chars_before,
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Line and column of a byte offset (clamped to the file).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.bytes.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        LineCol {
            line: line + 1,
            column: self.column(self.line_starts[line], offset),
        }
    }

    /// What [`column()`] gives, from the index.
    fn column(&self, line_start: usize, offset: usize) -> usize {
        1 + self.chars_to(offset) - self.chars_to(first_counted(&self.bytes, line_start, offset))
    }

    /// The characters in `bytes[..offset]`.
    fn chars_to(&self, offset: usize) -> usize {
        let k = offset / CHECKPOINT;
        self.chars_before[k] + count_chars(&self.bytes[k * CHECKPOINT..offset])
    }

    /// The byte offset of the `n`th character (from 0) of the line from
    /// `line_start` to `line_end` (counted as [`column()`] counts them), or
    /// `line_end` when the line is shorter.
    pub fn char_offset(&self, line_start: usize, line_end: usize, n: usize) -> usize {
        let line_end = line_end.min(self.bytes.len());
        let from = first_counted(&self.bytes, line_start, usize::MAX).min(line_end);
        let target = self.chars_to(from) + n;
        // The last checkpoint with at most `target` characters before it
        // is the one just before the character sought, if the line has it.
        let k = self
            .chars_before
            .partition_point(|&c| c <= target)
            .saturating_sub(1);
        let start = (k * CHECKPOINT).clamp(from, line_end);
        let mut seen = self.chars_to(start);
        let rest = &self.bytes[start..line_end];
        for (i, &b) in rest.iter().enumerate() {
            if (b & 0xC0) != 0x80 {
                if seen == target {
                    note_scanned(i);
                    return start + i;
                }
                seen += 1;
            }
        }
        note_scanned(rest.len());
        line_end
    }

    /// The text of a 1-based line, without its line break (lossy UTF-8).
    pub fn line_text(&self, line: usize) -> String {
        let start = self.line_starts[line - 1];
        let mut end = self.line_end(line);
        while end > start && self.bytes[end - 1] == b'\r' {
            end -= 1;
        }
        String::from_utf8_lossy(&self.bytes[start..end]).into_owned()
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
    }

    /// Byte offset where a 1-based line ends: its `\n`, or the end of the
    /// file.
    pub fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map_or(self.bytes.len(), |&next| next - 1)
    }
}

/// Offsets where lines start: 0, then after every `\n`.
pub fn line_starts(bytes: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
        .collect()
}

/// The 1-based column of `offset` on the line starting at `line_start`,
/// counting characters (bytes that do not continue a UTF-8 sequence) and
/// not counting a byte-order mark at the start of the file.
pub fn column(bytes: &[u8], line_start: usize, offset: usize) -> usize {
    1 + count_chars(&bytes[first_counted(bytes, line_start, offset)..offset])
}

/// Where counting the columns of a line starts: after the byte-order mark
/// on the first line of a file (when `offset` is past it), otherwise at
/// the line's start.
fn first_counted(bytes: &[u8], line_start: usize, offset: usize) -> usize {
    if line_start == 0 && bytes.starts_with(BOM) && offset >= BOM.len() {
        BOM.len()
    } else {
        line_start
    }
}

/// Characters in `bytes`: bytes that do not continue a UTF-8 sequence.
fn count_chars(bytes: &[u8]) -> usize {
    note_scanned(bytes.len());
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
thread_local! {
    /// Bytes looked at to place problems on this thread, so that tests can
    /// bound the work instead of timing it.
    pub static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `n` bytes looked at (in tests only).
#[inline]
fn note_scanned(n: usize) {
    #[cfg(test)]
    SCANNED.with(|s| s.set(s.get() + n));
    #[cfg(not(test))]
    let _ = n;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_buffer_holds_only_the_file_read_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let (long, short) = (dir.path().join("long"), dir.path().join("short"));
        std::fs::write(&long, "x".repeat(10_000)).unwrap();
        std::fs::write(&short, "short").unwrap();
        let buf = read_regular_into(&long, 1 << 20, Vec::new()).unwrap();
        assert_eq!(buf.len(), 10_000);
        let buf = read_regular_into(&short, 1 << 20, buf).unwrap();
        assert_eq!(buf, b"short");
        // The limit holds for a buffer with room to spare too.
        assert!(matches!(
            read_regular_into(&long, 9_999, buf),
            Err(ReadError::TooLarge)
        ));
    }

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let src = SourceText::new("ab\n\"é\": x\r\nlast".as_bytes().to_vec());
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(3), LineCol { line: 2, column: 1 });
        // "é" is two bytes but one column.
        assert_eq!(src.line_col(8), LineCol { line: 2, column: 5 });
        assert_eq!(src.line_text(2), "\"é\": x");
        assert_eq!(src.line_col(100), LineCol { line: 3, column: 5 });
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let src = SourceText::new(b"\xEF\xBB\xBF[1]".to_vec());
        assert_eq!(src.line_col(4), LineCol { line: 1, column: 2 });
    }

    #[test]
    fn the_index_gives_the_columns_and_offsets_counting_gives() {
        // Lines longer and shorter than a checkpoint, characters of one to
        // four bytes across checkpoints, invalid bytes, CR LF, and a
        // byte-order mark.
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        for i in 0..40 {
            let piece: &[u8] = [
                "a".as_bytes(),
                "é".as_bytes(),
                "€".as_bytes(),
                "🙂".as_bytes(),
                b"\xFF",
                b"\r\n",
                b"\n",
                b"xyz",
            ][i % 8];
            bytes.extend(piece.repeat(i * 37 % 700));
        }
        let src = SourceText::new(bytes.clone());
        for offset in 0..=bytes.len() {
            let lc = src.line_col(offset);
            let start = src.line_start(lc.line);
            assert_eq!(lc.column, column(&bytes, start, offset), "at {offset}");
        }
        for line in 1..=src.line_starts.len() {
            let (start, end) = (src.line_start(line), src.line_end(line));
            let from = first_counted(&bytes, start, usize::MAX);
            let chars: Vec<usize> = (from..end)
                .filter(|&i| (bytes[i] & 0xC0) != 0x80)
                .chain([end])
                .collect();
            for n in 0..chars.len() + 3 {
                let want = chars.get(n).copied().unwrap_or(end);
                assert_eq!(src.char_offset(start, end, n), want, "line {line}, {n}");
            }
        }
    }

    #[test]
    #[cfg(unix)]
    fn names_that_are_not_utf8_show_their_bytes_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let root = Path::new("/data/set");
        let path = root.join(OsStr::from_bytes(b"claims/a\xFF\xFEb\xC3\xA9.json"));
        assert_eq!(display_path(root, &path), r"claims/a\xFF\xFEbé.json");
        assert_eq!(
            display_path_bytes(root, &path),
            b"claims/a\xFF\xFEb\xC3\xA9.json"
        );
        let mut files = Files::new(root);
        let (bad, good) = (files.add(path), files.add(root.join("claims/c.json")));
        assert_eq!(files.display_bytes(bad), b"claims/a\xFF\xFEb\xC3\xA9.json");
        assert_eq!(files.display_bytes(good), b"claims/c.json");
    }

    #[test]
    fn display_paths_are_relative_with_slashes() {
        let root = Path::new("/data/set");
        assert_eq!(
            display_path(root, Path::new("/data/set/claims/a.json")),
            "claims/a.json"
        );
        assert_eq!(
            display_path(root, Path::new("/elsewhere/x.json")),
            "/elsewhere/x.json"
        );
    }
}
