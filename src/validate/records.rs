//! Claims and actions: read in parallel chunks, their names resolved and
//! topics indexed as they go.

use super::actors::found_or_report;
use crate::diag::{Code, Diagnostic};
use crate::input::read::*;
use crate::input::records::{RawRecord, RecordKind, Spanned};
use crate::input::source::{FileId, Files, column};
use crate::model::normalize_topic;
use crate::model::{Actor, ActorIx, Attribution, Extra, Location, Record, TopicIx};
use crate::validate::names::{Lookup, Prepared, Registry};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// How a chunk turns names into actors.
pub(crate) enum Names<'r> {
    Registry {
        registry: &'r Registry,
        actors: &'r [Actor],
        cache: FxHashMap<String, Lookup>,
    },
    /// No actors/ folder: every distinct (normalised) name is an actor;
    /// indices are local to the chunk until merged.
    Unlisted {
        keys: FxHashMap<String, u32>,
        spellings: Vec<(String, String)>,
    },
}

impl Names<'_> {
    /// The record's actor and target names, prepared for look-up a
    /// record before they are looked up ([`Registry::prepare`]).
    pub(crate) fn prepare(&self, raw: &RawRecord<'_>) -> Keys {
        match self {
            Names::Registry { registry, .. } => [&raw.actor, &raw.target]
                .map(|name| name.as_ref().and_then(|(name, _)| registry.prepare(name))),
            Names::Unlisted { .. } => [None, None],
        }
    }

    pub(crate) fn resolve(
        &mut self,
        name: &str,
        key: Option<&Prepared>,
        span: &Range<usize>,
        file: FileId,
        field: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ActorIx> {
        match self {
            Names::Registry {
                registry,
                actors,
                cache,
            } => {
                // Most names resolve at once; the cache spares the failures
                // (and their suggestions) from being worked out again.
                let found = match key {
                    Some(key) => registry.find_prepared(key),
                    None => registry.find(name),
                };
                if let Some(&[one]) = found {
                    return Some(one);
                }
                let lookup = match cache.get(name) {
                    Some(l) => l.clone(),
                    None => {
                        let l = registry.lookup(name);
                        cache.insert(name.to_string(), l.clone());
                        l
                    }
                };
                found_or_report(lookup, actors, name, span, file, field, diags)
            }
            Names::Unlisted { keys, spellings } => {
                let key = crate::model::normalize_name(name);
                let next = keys.len() as u32;
                let ix = *keys.entry(key.clone()).or_insert_with(|| {
                    spellings.push((key, name.trim().to_string()));
                    next
                });
                let spelled = &mut spellings[ix as usize].1;
                let trimmed = name.trim();
                if trimmed < spelled.as_str() {
                    *spelled = trimmed.to_string();
                }
                Some(ix)
            }
        }
    }
}

/// A record's actor and target names as [`Names::prepare`] leaves them.
pub(crate) type Keys = [Option<Prepared>; 2];

/// What one chunk of a claims or actions file yields.
#[derive(Default)]
pub(crate) struct Chunk {
    pub(crate) kind: Option<RecordKind>,
    /// Whether its records keep their words (`super::Words`).
    pub(crate) words: bool,
    pub(crate) records: Vec<Record>,
    /// (record index in chunk, ids as written) for `responds_to`.
    pub(crate) responses: Vec<(u32, Vec<Spanned<String>>)>,
    /// (record index in chunk, document, quote) for quote checks.
    pub(crate) quotes: Vec<(u32, Spanned<String>, Option<Spanned<String>>)>,
    /// Ids of records that had problems (still checked for duplicates).
    pub(crate) broken_ids: Vec<(String, FileId, Range<usize>)>,
    /// Quotes of records that had problems (still proved, so that every
    /// problem of a record shows at once).
    pub(crate) broken_quotes: Vec<super::merge::BrokenQuote>,
    pub(crate) diags: Vec<Diagnostic>,
    /// Topic names; records hold indices into this until merged.
    pub(crate) topics: Vec<String>,
    /// For unlisted actors: (key, spelling) of the local indices.
    pub(crate) unlisted: Vec<(String, String)>,
    /// Line breaks in the chunk, to number the lines of the chunks after it.
    pub(crate) newlines: u32,
}

pub(crate) fn read_records(
    list: &[DataFile],
    (kind, words): (RecordKind, bool),
    files: &Files,
    registry: Option<&Registry>,
    actors: &[Actor],
    progress: &dyn crate::progress::Progress,
) -> Vec<Chunk> {
    // Files are read into buffers handed on from file to file: a few, as
    // many as files read at once, instead of fresh memory for every file.
    let buffers = std::sync::Mutex::new(Vec::new());
    let buffer = || buffers.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let per_file: Vec<Vec<Chunk>> = list
        .par_iter()
        .map(|f| {
            let mut diags = Vec::new();
            let read = read_text(f.id, files, &mut diags, buffer().unwrap_or_default());
            let Some((text, start)) = read else {
                return vec![Chunk {
                    kind: Some(kind),
                    diags,
                    ..Chunk::default()
                }];
            };
            let bounds = chunk_bounds(&text, start, f.format);
            let mut chunks: Vec<Chunk> = bounds
                .par_iter()
                .enumerate()
                .map(|(n, r)| {
                    let chunk =
                        parse_chunk(&text, r.clone(), n, f, (kind, words), registry, actors);
                    progress.advance(r.len() as u64);
                    chunk
                })
                .collect();
            chunks[0].diags.append(&mut diags);
            // Turn chunk-relative lines into file lines.
            let mut line = 0u32;
            for c in &mut chunks {
                for rec in &mut c.records {
                    rec.at.line += line;
                }
                line += c.newlines;
            }
            if let std::borrow::Cow::Owned(text) = text {
                let mut free = buffers.lock().unwrap_or_else(|e| e.into_inner());
                free.push(text.into_bytes());
            }
            chunks
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

pub(crate) fn parse_chunk<'t>(
    text: &'t str,
    range: Range<usize>,
    n: usize,
    f: &DataFile,
    (kind, words): (RecordKind, bool),
    registry: Option<&Registry>,
    actors: &[Actor],
) -> Chunk {
    // Lines before the chunk's start, if any, hold no line break (the
    // first chunk starts after a byte order mark at most).
    let newlines = memchr::memchr_iter(b'\n', &text.as_bytes()[range.clone()]).count();
    // A JSON Lines chunk holds at most one record per line: sized up front,
    // the vector never grows (each growth copies it into fresh memory).
    let capacity = match f.format {
        Format::JsonLines => newlines + 1,
        Format::Json => 0,
    };
    let mut chunk = Chunk {
        kind: Some(kind),
        words,
        records: Vec::with_capacity(capacity),
        newlines: newlines as u32,
        ..Chunk::default()
    };
    let mut names = match registry {
        Some(registry) => Names::Registry {
            registry,
            actors,
            cache: FxHashMap::default(),
        },
        None => Names::Unlisted {
            keys: FxHashMap::default(),
            spellings: Vec::new(),
        },
    };
    let mut topic_ix: FxHashMap<String, TopicIx> = FxHashMap::default();
    let mut diags = Vec::new();
    let chunk_start = if n == 0 { 0 } else { range.start };
    let bytes = text.as_bytes();
    // Lines and columns: walk the chunk once, in step with record offsets
    // (ascending). A record on the same line as the one before counts its
    // column on from that one's: a minified file is one line.
    let mut line = 0u32;
    let mut line_start = chunk_start;
    let mut scanned = chunk_start;
    let mut last_column = 0;
    // Names are looked up one record late, so that where they lie has
    // come from memory meanwhile: a record waits in `pending` while the
    // next is read.
    let mut pending: Option<(RawRecord<'t>, Keys, Location)> = None;
    // Finishes the pending record, and gives back its topics' vector for
    // the next record to reuse.
    let mut finish = |pending: Option<(RawRecord<'t>, Keys, Location)>,
                      names: &mut Names<'_>,
                      diags: &mut Vec<Diagnostic>| {
        pending.map_or_else(Vec::new, |(raw, keys, location)| {
            finish_record(
                raw,
                &keys,
                kind,
                location,
                names,
                &mut topic_ix,
                &mut chunk,
                diags,
            )
        })
    };
    let mut spare_topics = Vec::new();
    for_each_record(
        text,
        range.start,
        range.end,
        f.format,
        f.id,
        &mut diags,
        |fr| {
            let raw = fr.record_reusing(kind, std::mem::take(&mut spare_topics))?;
            let at = raw.start;
            let before = line;
            for nl in memchr::memchr_iter(b'\n', &bytes[scanned..at]) {
                line += 1;
                line_start = scanned + nl + 1;
            }
            last_column = if line == before && last_column > 0 {
                last_column + column(bytes, scanned, at) - 1
            } else {
                column(bytes, line_start, at)
            };
            scanned = at;
            let location = Location {
                file: f.id,
                offset: at as u32,
                line: line + 1,
                column: last_column as u32,
            };
            let keys = names.prepare(&raw);
            spare_topics = finish(pending.replace((raw, keys, location)), &mut names, fr.diags);
            Ok(())
        },
    );
    finish(pending, &mut names, &mut diags);
    let mut topics: Vec<(String, TopicIx)> = topic_ix.into_iter().collect();
    topics.sort_by_key(|(_, ix)| *ix);
    chunk.topics = topics.into_iter().map(|(t, _)| t).collect();
    if let Names::Unlisted { spellings, .. } = names {
        chunk.unlisted = spellings;
    }
    chunk.diags.append(&mut diags);
    chunk
}

/// The chunk-local index of a topic, normalising it (without allocating
/// when it is already normal and known, the common case).
pub(crate) fn topic_index(topic_ix: &mut FxHashMap<String, TopicIx>, raw: &str) -> TopicIx {
    // Every key is normal, so a topic written as a key is that key (the
    // common case, looked up before it is checked).
    if let Some(&ix) = topic_ix.get(raw) {
        return ix;
    }
    let normal = raw
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b' ' && b != b'_');
    // A normal topic was just looked up as written; only another spelling
    // of a known topic needs looking up again.
    let key = if normal {
        raw.to_string()
    } else {
        let key = normalize_topic(raw);
        if let Some(&ix) = topic_ix.get(&key) {
            return ix;
        }
        key
    };
    let next = topic_ix.len() as TopicIx;
    topic_ix.insert(key, next);
    next
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn finish_record<'t>(
    raw: RawRecord<'t>,
    keys: &Keys,
    kind: RecordKind,
    at: Location,
    names: &mut Names<'_>,
    topic_ix: &mut FxHashMap<String, TopicIx>,
    chunk: &mut Chunk,
    diags: &mut Vec<Diagnostic>,
) -> Vec<std::borrow::Cow<'t, str>> {
    let file = at.file;
    let actor = raw
        .actor
        .as_ref()
        .and_then(|(n, s)| names.resolve(n, keys[0].as_ref(), s, file, "actor", diags));
    let target = match &raw.target {
        Some((n, s)) => names
            .resolve(n, keys[1].as_ref(), s, file, "target", diags)
            .map(Some),
        None => Some(None),
    };
    let (
        Some(actor),
        Some(target),
        Some(date),
        Some(score),
        Some(text),
        Some((id, id_span)),
        false,
    ) = (
        actor,
        target,
        raw.date,
        raw.score,
        raw.text,
        raw.id.clone(),
        raw.broken,
    )
    else {
        if let (Some((doc, doc_span)), Some(kind)) = (raw.document, chunk.kind) {
            chunk.broken_quotes.push(super::merge::BrokenQuote {
                kind,
                id: raw.id.as_ref().map(|(id, _)| id.to_string()),
                file,
                document: (doc.into_owned(), doc_span),
                quote: raw.quote.map(|(q, s)| (q.into_owned(), s)),
            });
        }
        if let Some((id, span)) = raw.id {
            chunk.broken_ids.push((id.into_owned(), file, span));
        }
        return raw.topics;
    };
    let mut topics: Vec<TopicIx> = raw
        .topics
        .iter()
        .map(|t| topic_index(topic_ix, t))
        .collect();
    topics.sort_unstable();
    topics.dedup();
    let index = chunk.records.len() as u32;
    if !raw.responds_to.is_empty() {
        chunk.responses.push((
            index,
            raw.responds_to
                .into_iter()
                .map(|(s, r)| (s.into_owned(), r))
                .collect(),
        ));
    }
    match (raw.document, raw.quote) {
        (Some((doc, span)), quote) => {
            chunk.quotes.push((
                index,
                (doc.into_owned(), span),
                quote.map(|(q, s)| (q.into_owned(), s)),
            ));
        }
        (None, Some((_, span))) => diags.push(
            Diagnostic::new(
                Code::BadDocument,
                file,
                span,
                "a quote needs the document it is from",
            )
            .hint("add \"document\": \"seeds/<file>\" to the source"),
        ),
        (None, None) => {}
    }
    // Without its words, the record keeps an empty text and no source.
    let words = chunk.words;
    let extra = (words && (raw.url.is_some() || raw.notes.is_some())).then(|| {
        Box::new(Extra {
            url: raw.url.map(Into::into),
            notes: raw.notes.map(Into::into),
            ..Extra::default()
        })
    });
    chunk.records.push(Record {
        id_offset: id_span.start as u32,
        id: id.into(),
        actor,
        target,
        date,
        score,
        attribution: match kind {
            RecordKind::Claim => Attribution::Confirmed,
            RecordKind::Action => raw.attribution.unwrap_or(Attribution::Confirmed),
        },
        // Only claims read `about`: an action's is always `About::Any`.
        about: raw.about,
        topics: topics.into_boxed_slice(),
        responds_to: Box::new([]),
        text: if words { text.into() } else { Box::default() },
        extra,
        at,
    });
    raw.topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_spelled_differently_share_an_index() {
        let mut topic_ix = FxHashMap::default();
        let raws = [
            "Trade_Deals",
            "trade-deals",
            "TRADE DEALS",
            "water",
            "trade-deals",
            "Water",
            "wa ter",
        ];
        let got: Vec<TopicIx> = raws
            .iter()
            .map(|raw| topic_index(&mut topic_ix, raw))
            .collect();
        assert_eq!(got, [0, 0, 0, 1, 0, 1, 2]);
        let mut keys: Vec<&str> = topic_ix.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["trade-deals", "wa-ter", "water"]);
    }
}
