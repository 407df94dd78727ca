//! Writing reports so that none is ever half-written.
//!
//! `--output FILE` is written to a temporary file in the same folder and
//! renamed over `FILE` only once complete, so a failed or interrupted run
//! leaves the previous report as it was and never a truncated one. A
//! `FILE` that is not a regular file (`/dev/null`, `/dev/stdout`, a named
//! pipe) is written in place: renaming over it would replace it.
//!
//! Whole folders (`saydo import`, `saydo init`) are written the same way:
//! into a [`Temporary`] folder on the same file system, renamed into
//! place once complete.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};

/// Temporary reports being written. A run stopped by a signal does not
/// unwind, so the binary's signal handler removes them
/// ([`remove_temporaries`]) rather than leave a partial report of up to
/// a gigabyte beside the real one.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes the temporary reports being written; for a signal handler,
/// just before the process exits.
pub fn remove_temporaries() {
    let mut pending = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    for path in pending.drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

/// Lists a temporary report in [`TEMPORARIES`] while it lives.
struct Listed(PathBuf);

impl Listed {
    fn new(path: &Path) -> Listed {
        let mut pending = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
        pending.push(path.to_path_buf());
        Listed(path.to_path_buf())
    }
}

impl Drop for Listed {
    fn drop(&mut self) {
        let mut pending = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|p| *p != self.0);
    }
}

/// Buffer for small writes to an output file. Writes at least this large
/// go straight to the file: the formatted chunks and blocks of large
/// reports ([`pipelined`]) are hundreds of kilobytes each, and copying
/// them through a larger buffer first cost a pass over the whole report.
const WRITE_BUFFER: usize = 64 << 10;

/// Writes `path` atomically with what `write` produces. On any error the
/// temporary file is removed and `path` is untouched. A symbolic link
/// stays a link: the file it points to is replaced. Devices and pipes
/// are written in place.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target = match std::fs::metadata(path) {
        Ok(m) if !m.is_file() && !m.is_dir() => return write_in_place(path, write),
        // A link to a regular file; a dangling link is replaced itself.
        Ok(_) if path.is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".saydo-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(without_temporary_path)?;
    let _listed = Listed::new(tmp.path());
    {
        let mut w = BufWriter::with_capacity(WRITE_BUFFER, tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    set_permissions(tmp.path(), &target)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// tempfile names its temporary file in the errors it returns ("… at path
/// \"/x/.saydo-Ab12Cd.tmp\""), and the system's error inside is not
/// reachable; messages name the report the user asked for, so that
/// suffix is cut.
fn without_temporary_path(e: io::Error) -> io::Error {
    let text = e.to_string();
    match text.find(" at path \"") {
        Some(at) => io::Error::new(e.kind(), &text[..at]),
        None => e,
    }
}

/// Writes to a device or a pipe as it is.
fn write_in_place(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
    let mut w = BufWriter::with_capacity(WRITE_BUFFER, &mut file);
    write(&mut w)?;
    w.flush()
}

/// A writer that can also take whole buffers of formatted bytes. The
/// parallel printers format chunks into buffers of their own; a writer
/// on another thread (`pipelined`) takes each buffer itself, where a
/// plain writer would copy a gigabyte report once more on the way.
pub trait TakesBuffers: Write {
    /// Writes all of `buf`, leaving it empty: either copied (and `buf`
    /// cleared) or taken (and `buf` replaced by an empty buffer).
    fn take(&mut self, buf: &mut Vec<u8>) -> io::Result<()>;
}

impl TakesBuffers for Vec<u8> {
    fn take(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
        self.extend_from_slice(buf);
        buf.clear();
        Ok(())
    }
}

/// Bytes handed from the formatting thread to the writing thread at once
/// (parallel printers hand over their chunks' buffers instead).
const BLOCK: usize = 1 << 20;
/// Blocks or buffers formatted ahead of the writer, bounding memory (tens
/// of megabytes, each buffer at most `render::STOP_BYTES` and an item).
/// More than the parallel printers format at once
/// (`render::CHUNKS_IN_FLIGHT`), so that handing a window of chunks over
/// never waits for the writer: the formatting threads go on to the next
/// window while it writes.
pub(crate) const BLOCKS_AHEAD: usize = 40;

/// Runs `produce` on a thread of its own while the calling thread writes
/// what it produces to `out`, so formatting a large report overlaps with
/// the system calls that store it. The bytes are those `produce` would
/// write directly; the first error of either side is returned.
pub fn pipelined(
    out: &mut dyn Write,
    produce: impl FnOnce(&mut dyn TakesBuffers) -> io::Result<()> + Send,
) -> io::Result<()> {
    let (full_tx, full_rx) = mpsc::sync_channel::<Vec<u8>>(BLOCKS_AHEAD);
    let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            let mut blocks = Blocks {
                full: full_tx,
                empty: empty_rx,
                buf: Vec::with_capacity(BLOCK),
            };
            produce(&mut blocks)?;
            blocks.send()
        });
        let mut written = Ok(());
        for block in full_rx.iter() {
            if let Err(e) = out.write_all(&block) {
                written = Err(e);
                break;
            }
            // The producer may have finished; then the block is dropped.
            let _ = empty_tx.send(block);
        }
        // Dropping the receiver stops a producer still sending.
        drop(full_rx);
        let produced = producer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the report writer panicked")));
        written.and(produced)
    })
}

/// The producing side of [`pipelined`]: fills blocks and sends them.
struct Blocks {
    full: mpsc::SyncSender<Vec<u8>>,
    empty: mpsc::Receiver<Vec<u8>>,
    buf: Vec<u8>,
}

impl Blocks {
    /// Sends the block being filled, if it holds anything.
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self.recycled(BLOCK);
        let full = std::mem::replace(&mut self.buf, next);
        self.send_full(full)
    }

    /// A written buffer back from the writing thread, emptied, or a new one.
    fn recycled(&mut self, capacity: usize) -> Vec<u8> {
        match self.empty.try_recv() {
            Ok(mut b) => {
                b.clear();
                b
            }
            Err(_) => Vec::with_capacity(capacity),
        }
    }

    fn send_full(&mut self, full: Vec<u8>) -> io::Result<()> {
        self.full
            .send(full)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the report's reader stopped"))
    }
}

impl TakesBuffers for Blocks {
    /// Sends `buf` itself as a block, after what was written before it.
    fn take(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
        if buf.is_empty() {
            return Ok(());
        }
        self.send()?;
        let next = self.recycled(buf.capacity());
        let full = std::mem::replace(buf, next);
        self.send_full(full)
    }
}

impl Write for Blocks {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= BLOCK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A folder being written beside (or inside) its final place, removed
/// unless renamed into it: `saydo import` writes a dataset into one and
/// renames it to `--out`, `saydo init` moves its entries into a folder
/// that may hold other files.
pub(crate) struct Temporary {
    path: Option<PathBuf>,
}

impl Temporary {
    /// A new folder named `prefix…` in the folder that will hold `out`
    /// (made if missing), so that renaming it to `out` stays on one file
    /// system.
    pub(crate) fn beside(out: &Path, prefix: &str) -> io::Result<Temporary> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        Temporary::inside(&parent, prefix)
    }

    /// A new folder named `prefix…` inside `dir`, which exists.
    pub(crate) fn inside(dir: &Path, prefix: &str) -> io::Result<Temporary> {
        let made = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(dir)
            .map_err(without_temporary_path)?;
        Ok(Temporary {
            path: Some(made.keep()),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new("."))
    }

    /// Moves the folder to `out`; with `force`, an existing `out` is
    /// removed once the new folder is in place.
    pub(crate) fn rename_to(mut self, out: &Path, force: bool) -> io::Result<()> {
        let Some(path) = self.path.take() else {
            return Ok(());
        };
        let old = if force && out.symlink_metadata().is_ok() {
            let old = path.with_extension("old");
            std::fs::rename(out, &old)?;
            Some(old)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&path, out) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, out);
            }
            let _ = std::fs::remove_dir_all(&path);
            return Err(e);
        }
        if let Some(old) = old {
            if old.is_dir() {
                std::fs::remove_dir_all(&old)?;
            } else {
                std::fs::remove_file(&old)?;
            }
        }
        Ok(())
    }

    /// Moves the entries `names` of the folder (each complete) into
    /// `dir`, the folder that holds it, leaving `dir`'s other entries as
    /// they are. An entry of one of those names already in `dir` is
    /// replaced (the caller refuses first unless asked to replace). On an
    /// error, the entries already moved are taken back and the ones they
    /// replaced restored, so `dir` is left as it was.
    pub(crate) fn move_into(self, dir: &Path, names: &[&str]) -> io::Result<()> {
        let temp = self.path().to_path_buf();
        // Replaced entries wait here, removed with the folder at the end.
        let old = temp.join(".replaced");
        std::fs::create_dir(&old)?;
        let mut moved: Vec<(&str, bool)> = Vec::new();
        for name in names {
            let target = dir.join(name);
            let replaces = target.symlink_metadata().is_ok();
            let step = (|| {
                if replaces {
                    std::fs::rename(&target, old.join(name))?;
                }
                std::fs::rename(temp.join(name), &target).inspect_err(|_| {
                    if replaces {
                        let _ = std::fs::rename(old.join(name), &target);
                    }
                })
            })();
            if let Err(e) = step {
                for (name, replaced) in moved.into_iter().rev() {
                    let target = dir.join(name);
                    let _ = std::fs::rename(&target, temp.join(name));
                    if replaced {
                        let _ = std::fs::rename(old.join(name), &target);
                    }
                }
                return Err(e);
            }
            moved.push((name, replaces));
        }
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// Reports are ordinary files: keep an existing file's mode, else 0644
/// (temporary files are created 0600).
#[cfg(unix)]
fn set_permissions(tmp: &Path, target: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(target)
        .map(|m| m.permissions().mode())
        .unwrap_or(0o644);
    std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_permissions(_tmp: &Path, _target: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomically(&path, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomically(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("report.pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomically(&fifo, |w| w.write_all(b"through the pipe")).unwrap();
        // Checked before joining: a pipe renamed over would leave the
        // reader waiting for a writer forever.
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link_to_the_new_report() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("latest.json");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, |w| w.write_all(b"new")).unwrap();
        assert!(link.is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    /// A writer that fails after `room` bytes.
    struct Full {
        room: usize,
        got: Vec<u8>,
    }

    impl Write for Full {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.got.len() + bytes.len() > self.room {
                return Err(io::Error::other("disk full"));
            }
            self.got.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn pipelined_writes_the_same_bytes_in_order() {
        // Many small writes, some larger than a block, and buffers handed
        // over whole in between (each must land after what came before).
        let produce = |w: &mut dyn TakesBuffers| -> io::Result<()> {
            let mut buf = Vec::new();
            for i in 0..200_000u32 {
                write!(w, "{i},")?;
                if i % 1000 == 0 {
                    write!(buf, "<{i}>")?;
                    w.take(&mut buf)?;
                    assert!(buf.is_empty(), "a taken buffer comes back empty");
                }
            }
            w.write_all(&vec![b'x'; 3 * BLOCK + 7])?;
            buf.extend_from_slice(&vec![b'z'; BLOCK + 1]);
            w.take(&mut buf)?;
            w.take(&mut buf)?;
            w.write_all(b"end")
        };
        let mut direct = Vec::new();
        produce(&mut direct).unwrap();
        let mut piped = Vec::new();
        pipelined(&mut piped, produce).unwrap();
        assert_eq!(piped.len(), direct.len());
        assert!(piped == direct);
    }

    #[test]
    fn pipelined_returns_the_writers_error_and_stops_the_producer() {
        let mut out = Full {
            room: BLOCK,
            got: Vec::new(),
        };
        let mut produced = 0usize;
        let err = pipelined(&mut out, |w| {
            // Far more than the writer takes and the queue holds: the
            // producer must be stopped, not left blocked.
            for _ in 0..100 * BLOCKS_AHEAD {
                w.write_all(&vec![b'y'; BLOCK])?;
                produced += 1;
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert!(produced < 100 * BLOCKS_AHEAD);
    }

    #[test]
    fn pipelined_returns_the_producers_error() {
        let mut out = Vec::new();
        let err = pipelined(&mut out, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("bad data"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "bad data");
    }
}
