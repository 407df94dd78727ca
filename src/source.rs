//! The files of a dataset and positions in them.
//!
//! Records and problems carry a [`FileId`] and byte offsets; a [`Files`]
//! store turns those into the path shown to people (relative to the dataset,
//! with `/`) and, for problems, into line and column by reading the file
//! again when a problem is shown. Columns count characters, starting at 1,
//! as editors do.

use std::path::{Path, PathBuf};

/// Index of a file in [`Files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

#[derive(Clone, Debug)]
struct Entry {
    path: PathBuf,
    display: String,
}

/// The files a dataset was read from.
#[derive(Clone, Debug, Default)]
pub struct Files {
    root: PathBuf,
    entries: Vec<Entry>,
}

impl Files {
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
        self.entries.push(Entry { path, display });
        FileId(self.entries.len() as u32 - 1)
    }

    /// Path as shown in reports: relative to the dataset, `/`-separated.
    pub fn display(&self, id: FileId) -> &str {
        &self.entries[id.0 as usize].display
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.entries[id.0 as usize].path
    }

    /// Reads a file back for showing problems in it. A file that cannot be
    /// read any more (or is not a regular file) shows no source lines, but
    /// its problems still show.
    pub fn source(&self, id: FileId) -> SourceText {
        SourceText::new(read_regular(self.path(id), MAX_FILE_BYTES).unwrap_or_default())
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
pub fn display_path(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

/// A file's bytes with the start of every line, to turn offsets into
/// line:column.
pub struct SourceText {
    bytes: Vec<u8>,
    line_starts: Vec<usize>,
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
        SourceText { bytes, line_starts }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Line and column of a byte offset (clamped to the file).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.bytes.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        LineCol {
            line: line + 1,
            column: column(&self.bytes, start, offset),
        }
    }

    /// The text of a 1-based line, without its line break (lossy UTF-8).
    pub fn line_text(&self, line: usize) -> String {
        let start = self.line_starts[line - 1];
        let mut end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.bytes.len());
        while end > start && matches!(self.bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        String::from_utf8_lossy(&self.bytes[start..end]).into_owned()
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
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
    let mut from = line_start;
    if line_start == 0 && bytes.starts_with(b"\xEF\xBB\xBF") && offset >= 3 {
        from = 3;
    }
    1 + bytes[from..offset]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
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
