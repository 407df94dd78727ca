//! Every contradiction of a check, most severe first, in memory that does
//! not grow with the pairs (`check --format github`).
//!
//! A dense dataset has tens of millions of contradictions. Held at once,
//! with every other pair, they took gigabytes; written as found, they
//! would come in claim order, and GitHub shows only the first few
//! annotations of each kind. So the check runs a run of claims at a time
//! ([`check_most_severe`]), and each run's contradictions are gathered into
//! a buffer that, once full, is sorted and set aside in a temporary file
//! (a *segment*). At the end the segments are merged, most severe first and
//! ties in report order, and handed on in batches: the order and the bytes
//! of the whole report sorted at once, in memory for one buffer and a
//! little of each segment. The files are anonymous: the system removes
//! them when they are closed, even if saydo stops early.

use super::{Filters, Pair, Report, Settings, check_most_severe};
use crate::engine::score::{Kind, Verdict};
use crate::model::Dataset;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Contradictions buffered before a segment is written: 96 MB of them.
const SEGMENT: usize = 4 << 20;
/// Contradictions handed on at a time.
const BATCH: usize = 1 << 16;

/// A contradiction set aside: its pair, whether the baseline knows it,
/// and its place among every pair of the check (report order).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Flag {
    pair: Pair,
    known: bool,
    place: u64,
}

impl Flag {
    /// The order contradictions are written in: most severe first, then
    /// in report order.
    fn key(&self) -> (Reverse<u16>, u64) {
        (Reverse(self.pair.severity_units), self.place)
    }

    const BYTES: usize = 20;

    fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let kind = match self.pair.verdict {
            Verdict::Contradiction(Kind::Bluster) => 1u8,
            _ => 0,
        };
        let mut b = [0u8; Self::BYTES];
        b[0..2].copy_from_slice(&self.pair.severity_units.to_le_bytes());
        b[2] = kind;
        b[3] = u8::from(self.known);
        b[4..8].copy_from_slice(&self.pair.claim.to_le_bytes());
        b[8..12].copy_from_slice(&self.pair.action.to_le_bytes());
        b[12..20].copy_from_slice(&self.place.to_le_bytes());
        out.write_all(&b)
    }

    /// The next flag of a segment; `None` at its end.
    fn read(from: &mut impl Read) -> io::Result<Option<Flag>> {
        let mut b = [0u8; Self::BYTES];
        match from.read_exact(&mut b) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let kind = if b[2] == 1 {
            Kind::Bluster
        } else {
            Kind::Duplicity
        };
        let mut place = [0u8; 8];
        place.copy_from_slice(&b[12..20]);
        Ok(Some(Flag {
            pair: Pair {
                claim: u32_at(4),
                action: u32_at(8),
                severity_units: u16::from_le_bytes([b[0], b[1]]),
                verdict: Verdict::Contradiction(kind),
            },
            known: b[3] == 1,
            place: u64::from_le_bytes(place),
        }))
    }
}

/// Contradictions set aside: those in the buffer, and sorted segments in
/// temporary files.
struct Segments {
    buffer: Vec<Flag>,
    files: Vec<File>,
    segment: usize,
}

impl Segments {
    fn new(segment: usize) -> Segments {
        Segments {
            buffer: Vec::new(),
            files: Vec::new(),
            segment: segment.max(1),
        }
    }

    fn push(&mut self, flag: Flag) -> io::Result<()> {
        self.buffer.push(flag);
        if self.buffer.len() >= self.segment {
            self.set_aside()?;
        }
        Ok(())
    }

    /// Sorts the buffer and writes it to a segment of its own.
    fn set_aside(&mut self) -> io::Result<()> {
        use rayon::slice::ParallelSliceMut;
        self.buffer.par_sort_unstable_by_key(Flag::key);
        let mut file = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        for flag in &self.buffer {
            flag.write(&mut file)?;
        }
        let mut file = file.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.files.push(file);
        self.buffer.clear();
        Ok(())
    }

    /// Hands every contradiction on to `each`, in order, `batch` at a time.
    fn merge(
        mut self,
        batch: usize,
        mut each: impl FnMut(&[Flag]) -> io::Result<()>,
    ) -> io::Result<()> {
        use rayon::slice::ParallelSliceMut;
        if self.files.is_empty() {
            // Everything fitted in the buffer: no file was needed.
            self.buffer.par_sort_unstable_by_key(Flag::key);
            for chunk in self.buffer.chunks(batch.max(1)) {
                each(chunk)?;
            }
            return Ok(());
        }
        if !self.buffer.is_empty() {
            self.set_aside()?;
        }
        let mut readers: Vec<BufReader<File>> = self
            .files
            .into_iter()
            .map(|f| BufReader::with_capacity(64 << 10, f))
            .collect();
        // The next flag of each segment, the least key on top.
        let mut heads = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(f) = Flag::read(r)? {
                heads.push(Reverse((f.key(), i, Ordered(f))));
            }
        }
        let mut out = Vec::with_capacity(batch.max(1));
        while let Some(Reverse((_, i, Ordered(flag)))) = heads.pop() {
            out.push(flag);
            if let Some(f) = Flag::read(&mut readers[i])? {
                heads.push(Reverse((f.key(), i, Ordered(f))));
            }
            if out.len() >= batch.max(1) {
                each(&out)?;
                out.clear();
            }
        }
        if !out.is_empty() {
            each(&out)?;
        }
        Ok(())
    }
}

/// A flag in the merge's heap, which orders by the key beside it (places
/// are unique, so the flag itself is never compared).
#[derive(Debug)]
struct Ordered(Flag);

impl PartialEq for Ordered {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Ordered {}
impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ordered {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// Runs the check as [`check_most_severe`] does (keeping the `k` most
/// severe contradictions, with the counts of every pair), and hands every
/// contradiction to `emit`, most severe first and ties in report order,
/// as [`Report::flagged_indices`] orders them: `emit` is given the report
/// with a batch of them as its `pairs` (and their `known` marks), in
/// order. Memory holds one run of pairs, one segment of contradictions
/// and a little of each segment, not every pair (see the module's
/// documentation). `each` is handed each run's report first, to mark what
/// a baseline knows or to gate on its pairs.
pub fn check_flagged<'d>(
    data: &'d Dataset,
    settings: Settings,
    filters: Filters,
    (k, pairs_per_run): (usize, usize),
    each: impl FnMut(&mut Report<'d>) -> io::Result<()>,
    emit: impl FnMut(&Report<'d>) -> io::Result<()>,
) -> io::Result<Report<'d>> {
    check_flagged_in(
        data,
        settings,
        filters,
        (k, pairs_per_run, SEGMENT),
        each,
        emit,
    )
}

/// [`check_flagged`] with segments of `segment` contradictions.
pub(crate) fn check_flagged_in<'d>(
    data: &'d Dataset,
    settings: Settings,
    filters: Filters,
    (k, pairs_per_run, segment): (usize, usize, usize),
    mut each: impl FnMut(&mut Report<'d>) -> io::Result<()>,
    mut emit: impl FnMut(&Report<'d>) -> io::Result<()>,
) -> io::Result<Report<'d>> {
    let mut segments = Segments::new(segment);
    let mut before = 0u64;
    let mut report = check_most_severe(data, settings, filters, (k, pairs_per_run), |run| {
        each(run)?;
        for (i, p) in run.pairs.iter().enumerate() {
            if p.verdict.is_contradiction() {
                segments.push(Flag {
                    pair: *p,
                    known: run.is_known(i),
                    place: before + i as u64,
                })?;
            }
        }
        before += run.pairs.len() as u64;
        Ok(())
    })?;
    // The report lends itself to each batch, then gets its pairs back.
    let (kept, known) = (
        std::mem::take(&mut report.pairs),
        std::mem::take(&mut report.known),
    );
    let marked = report.has_baseline();
    segments.merge(BATCH, |batch| {
        report.pairs.clear();
        report.pairs.extend(batch.iter().map(|f| f.pair));
        report.known.clear();
        if marked {
            report.known.extend(batch.iter().map(|f| f.known));
        }
        emit(&report)
    })?;
    report.pairs = kept;
    report.known = known;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_merge_most_severe_first_and_ties_in_report_order() {
        // Many flags, five severities: ties everywhere, within segments
        // (sorted in parallel, not stably) and across them.
        let mut x = 11u64;
        let flags: Vec<Flag> = (0..3000u64)
            .map(|place| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let kind = if x >> 63 == 1 {
                    Kind::Bluster
                } else {
                    Kind::Duplicity
                };
                Flag {
                    pair: Pair {
                        claim: (x >> 40) as u32,
                        action: place as u32,
                        severity_units: 1 + ((x >> 33) % 5) as u16,
                        verdict: Verdict::Contradiction(kind),
                    },
                    known: x >> 62 & 1 == 1,
                    place,
                }
            })
            .collect();
        let mut wanted = flags.clone();
        wanted.sort_by_key(Flag::key);
        for (segment, batch) in [(1, 7), (1000, 64), (2999, 1), (5000, 5000)] {
            let mut segments = Segments::new(segment);
            for &f in &flags {
                segments.push(f).unwrap();
            }
            let mut got = Vec::new();
            segments
                .merge(batch, |b| {
                    assert!(!b.is_empty() && b.len() <= batch);
                    got.extend_from_slice(b);
                    Ok(())
                })
                .unwrap();
            assert_eq!(got, wanted, "segments of {segment}");
        }
    }
}
