//! The pieces of the fast JSON writer: strings escaped once and copied in
//! whole steps, and a JSON object written member by member, compact as
//! `serde_json` writes it.

use super::records::write_principals;
use super::wire::SourceJson;
use crate::date::{PartialDate, Span};
use crate::model::ActorIx;
use crate::perf::{prefetch, prefetch_all};
use crate::report::Report;
use rayon::prelude::*;

/// Strings escaped and quoted for JSON once, side by side, to be copied.
pub(super) struct Escaped {
    /// String `i` is `bytes[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl Escaped {
    pub(super) fn new<'s>(strings: impl Iterator<Item = &'s str>) -> Escaped {
        let (mut ends, mut bytes) = (Vec::new(), Vec::new());
        for s in strings {
            write_str(&mut bytes, s);
            ends.push(bytes.len());
        }
        bytes.extend_from_slice(&[0; PAD]);
        Escaped { ends, bytes }
    }

    /// Byte strings made in parallel, side by side.
    pub(super) fn joined(parts: impl IndexedParallelIterator<Item = Vec<u8>>) -> Escaped {
        let parts: Vec<Vec<u8>> = parts.collect();
        let mut ends = Vec::with_capacity(parts.len());
        let mut bytes = Vec::with_capacity(parts.iter().map(Vec::len).sum::<usize>() + PAD);
        for part in parts {
            bytes.extend_from_slice(&part);
            ends.push(bytes.len());
        }
        bytes.extend_from_slice(&[0; PAD]);
        Escaped { ends, bytes }
    }

    /// Where string `i` starts and ends in `bytes`.
    fn bounds(&self, i: usize) -> (usize, usize) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        (start, self.ends[i])
    }

    pub(super) fn get(&self, i: usize) -> &[u8] {
        let (start, end) = self.bounds(i);
        &self.bytes[start..end]
    }

    /// String `i`, to be copied by [`put`]: the strings are followed by
    /// `PAD` bytes.
    pub(super) fn padded(&self, i: usize) -> Padded<'_> {
        let (start, end) = self.bounds(i);
        Padded::at(&self.bytes, start, end - start)
    }
}

/// Bytes readable after every [`Padded`] piece: pieces are copied in
/// whole steps of this many bytes.
pub(super) const PAD: usize = 16;

/// A piece of a pair's line in a buffer that holds at least [`PAD`] more
/// bytes after it.
#[derive(Clone, Copy)]
pub(super) struct Padded<'b> {
    /// The piece and what follows it.
    bytes: &'b [u8],
    len: usize,
}

impl<'b> Padded<'b> {
    /// The `len` bytes at `start` of `buffer`, which must hold `PAD` more
    /// after them.
    pub(super) fn at(buffer: &'b [u8], start: usize, len: usize) -> Padded<'b> {
        Padded {
            bytes: &buffer[start..start + len + PAD],
            len,
        }
    }
}

/// Appends `piece`, copied a whole [`PAD`] of bytes at a time, and cuts
/// off what was copied after it. Copies of a length known when compiling
/// are a few moves, where `extend_from_slice`, which copies slices of any
/// length, calls `memcpy` for each of the short pieces of a pair (ids,
/// principal, topics).
pub(super) fn put(buf: &mut Vec<u8>, piece: Padded<'_>) {
    let end = buf.len() + piece.len;
    buf.reserve(piece.len + PAD);
    for chunk in piece.bytes[..piece.len.next_multiple_of(PAD)].chunks_exact(PAD) {
        // Always `PAD` bytes (`chunks_exact`): an array, of a known length.
        let chunk: &[u8; PAD] = chunk.try_into().unwrap_or(&[0; PAD]);
        buf.extend_from_slice(chunk);
    }
    buf.truncate(end);
}

/// Every actor's id and every topic, escaped and quoted once: actions
/// and pairs repeat them, and reading them side by side here misses the
/// cache far less than reaching each actor's record and then its id.
pub struct Escapes {
    pub(super) actor_ids: Escaped,
    topics: Escaped,
    /// Per actor whose chains hold on every day ([`Chains::timeless`](crate::engine::principals::Chains::timeless)):
    /// its principals and the `principals` array of its records, the same
    /// for all of them, so it is written once rather than each chain
    /// being found again for each of its records.
    timeless: Vec<Option<Timeless>>,
}

/// A timeless actor's principals, and the `principals` array written for them.
struct Timeless {
    principals: Box<[ActorIx]>,
    array: Box<[u8]>,
}

impl Escapes {
    pub fn new(report: &Report<'_>) -> Escapes {
        let data = report.data;
        let actor_ids = Escaped::new(data.actors.iter().map(|a| a.id.as_str()));
        let chains = &report.chains;
        let timeless = (0..data.actors.len() as ActorIx)
            .into_par_iter()
            .map(|actor| {
                if !chains.timeless(actor) {
                    return None;
                }
                let mut principals = Vec::new();
                chains.principals_at(actor, Span::ALL, &mut principals);
                let mut bytes = Vec::new();
                write_principals(
                    &mut bytes,
                    chains,
                    &actor_ids,
                    actor,
                    Span::ALL,
                    &principals,
                );
                Some(Timeless {
                    principals: principals.into(),
                    array: bytes.into(),
                })
            })
            .collect();
        Escapes {
            actor_ids,
            topics: Escaped::new(data.topics.iter().map(String::as_str)),
            timeless,
        }
    }

    /// Starts loading where the `principals` array of `actor` is kept.
    pub(super) fn prefetch_slot(&self, actor: ActorIx) {
        if let Some(slot) = self.timeless.get(actor as usize) {
            prefetch(slot);
        }
    }

    /// Starts loading the `principals` array of `actor`, if it has one
    /// written beforehand; whether it has.
    pub(super) fn prefetch(&self, actor: ActorIx) -> bool {
        match self.timeless.get(actor as usize) {
            Some(Some(t)) => {
                prefetch_all(&t.array);
                true
            }
            _ => false,
        }
    }

    /// The `principals` array of a record of `actor` with `principals`,
    /// when it is known beforehand.
    pub(super) fn principals(&self, actor: ActorIx, principals: &[ActorIx]) -> Option<&[u8]> {
        match &self.timeless[actor as usize] {
            Some(t) if *t.principals == *principals => Some(&t.array),
            _ => None,
        }
    }

    pub(super) fn actor(&self, ix: u32) -> Padded<'_> {
        self.actor_ids.padded(ix as usize)
    }

    pub(super) fn topic(&self, ix: u32) -> Padded<'_> {
        self.topics.padded(ix as usize)
    }
}

/// A JSON object being written, member by member, compact as `serde_json`
/// writes it.
pub(crate) struct Obj<'b> {
    pub(super) buf: &'b mut Vec<u8>,
    empty: bool,
}

impl<'b> Obj<'b> {
    pub(crate) fn new(buf: &'b mut Vec<u8>) -> Self {
        buf.push(b'{');
        Obj { buf, empty: true }
    }

    /// An object that is the value of member `key` of the one being
    /// written (its comma already written).
    pub(super) fn new_member(buf: &'b mut Vec<u8>, key: &str) -> Self {
        debug_assert!(is_plain(key.as_bytes()), "a key to escape: {key:?}");
        buf.push(b'"');
        buf.extend_from_slice(key.as_bytes());
        buf.extend_from_slice(b"\":");
        Obj::new(buf)
    }

    /// Keys are field names: plain ASCII, copied without looking for
    /// characters to escape.
    #[inline(always)]
    pub(super) fn key(&mut self, key: &str) {
        debug_assert!(is_plain(key.as_bytes()), "a key to escape: {key:?}");
        if !self.empty {
            self.buf.push(b',');
        }
        self.empty = false;
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }

    #[inline(always)]
    pub(crate) fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        write_str(self.buf, value);
    }

    /// A value already escaped and quoted (see [`Escapes`]).
    #[inline(always)]
    pub(super) fn escaped(&mut self, key: &str, value: Padded<'_>) {
        self.key(key);
        put(self.buf, value);
    }

    #[inline(always)]
    pub(super) fn null(&mut self, key: &str) {
        self.key(key);
        self.buf.extend_from_slice(b"null");
    }

    #[inline(always)]
    pub(crate) fn f64(&mut self, key: &str, value: f64) {
        self.key(key);
        write_f64(self.buf, value);
    }

    #[inline(always)]
    pub(super) fn u32(&mut self, key: &str, value: u32) {
        self.key(key);
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    #[inline(always)]
    pub(crate) fn list<'s>(&mut self, key: &str, values: impl Iterator<Item = &'s str>) {
        self.key(key);
        write_str_list(self.buf, values);
    }

    /// A date as written (digits and dashes: nothing to escape).
    #[inline(always)]
    pub(super) fn date(&mut self, key: &str, date: &PartialDate) {
        self.key(key);
        match date.ascii() {
            Some((bytes, len)) => {
                self.buf.push(b'"');
                self.buf.extend_from_slice(&bytes[..len]);
                self.buf.push(b'"');
            }
            None => write_str(self.buf, &date.to_string()),
        }
    }

    pub(crate) fn source(&mut self, s: &SourceJson<'_>) {
        self.key("source");
        let mut o = Obj::new(self.buf);
        if let Some(d) = s.document {
            o.str("document", d);
        }
        if let Some(q) = s.quote {
            o.str("quote", q);
        }
        if let Some(l) = s.quote_line {
            o.u32("quote_line", l);
        }
        if let Some(u) = s.url {
            o.str("url", u);
        }
        o.end();
    }

    pub(crate) fn end(self) {
        self.buf.push(b'}');
    }
}

pub(super) fn write_str_list<'s>(buf: &mut Vec<u8>, values: impl Iterator<Item = &'s str>) {
    buf.push(b'[');
    for (i, v) in values.enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_str(buf, v);
    }
    buf.push(b']');
}

/// A JSON string, escaped as `serde_json` escapes it.
pub(super) fn write_str(buf: &mut Vec<u8>, s: &str) {
    if is_plain(s.as_bytes()) {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        // Rare: let serde_json do the escaping.
        let _ = serde_json::to_writer(&mut *buf, s);
    }
}

/// A JSON array of values already escaped and quoted.
pub(super) fn write_escaped_list<'s>(buf: &mut Vec<u8>, values: impl Iterator<Item = &'s [u8]>) {
    buf.push(b'[');
    for (i, v) in values.enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(v);
    }
    buf.push(b']');
}

/// [`write_escaped_list`] of `values` in reverse order: the room is made
/// first, then filled from its end.
pub(super) fn write_escaped_list_reversed<'s>(
    buf: &mut Vec<u8>,
    values: impl Iterator<Item = &'s [u8]> + Clone,
) {
    let (n, bytes) = values
        .clone()
        .fold((0, 0), |(n, b), v| (n + 1, b + v.len()));
    let start = buf.len();
    buf.resize(start + bytes + n.max(1) + 1, 0);
    buf[start] = b'[';
    let mut end = buf.len() - 1;
    buf[end] = b']';
    for (i, v) in values.enumerate() {
        if i > 0 {
            end -= 1;
            buf[end] = b',';
        }
        end -= v.len();
        buf[end..end + v.len()].copy_from_slice(v);
    }
    debug_assert_eq!(end, start + 1, "the room made is the room filled");
}

/// Whether no byte needs escaping in a JSON string.
pub(super) fn is_plain(bytes: &[u8]) -> bool {
    crate::perf::first_special(bytes).is_none()
}

/// A number, written as `serde_json` writes an `f64`.
pub(super) fn write_f64(buf: &mut Vec<u8>, x: f64) {
    let _ = serde_json::to_writer(&mut *buf, &x);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_pieces_are_put_whole_and_nothing_after_them() {
        let strings: Vec<String> = (0..40)
            .map(|n| "abcdefghij".repeat(4)[..n].to_string())
            .collect();
        let escaped = Escaped::new(strings.iter().map(String::as_str));
        let mut buf = b"head".to_vec();
        let mut expected = b"head".to_vec();
        for (i, s) in strings.iter().enumerate() {
            put(&mut buf, escaped.padded(i));
            write_str(&mut expected, s);
            assert_eq!(buf, expected, "after string {i}");
        }
    }
}
