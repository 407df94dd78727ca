//! The chunks of records joined into one dataset, then what needs all of
//! it: duplicate ids and `responds_to`.

use super::records::*;
use crate::diag::{Code, Diagnostic};
use crate::input::records::{RecordKind, Spanned};
use crate::input::source::FileId;
use crate::model::{Actor, ActorIx, ActorKind, Record, TopicIx};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::BuildHasher;
use std::ops::Range;

/// A record's quote to prove: (kind, record index, document, quote).
pub(crate) type QuoteCheck = (RecordKind, usize, Spanned<String>, Option<Spanned<String>>);

/// The source of a record that has other problems: its document and quote
/// are proved all the same, though no record keeps them.
pub(crate) struct BrokenQuote {
    pub(crate) kind: RecordKind,
    /// The record's id, if it has one.
    pub(crate) id: Option<String>,
    pub(crate) file: FileId,
    pub(crate) document: Spanned<String>,
    pub(crate) quote: Option<Spanned<String>>,
}

/// Claims and actions from all chunks, with topics and (unlisted) actors
/// numbered globally.
#[derive(Default)]
pub(crate) struct Merged {
    pub(crate) claims: Vec<Record>,
    pub(crate) actions: Vec<Record>,
    pub(crate) topics: Vec<String>,
    /// (is action, record index, ids) for responds_to.
    pub(crate) responses: Vec<(usize, Vec<Spanned<String>>)>,
    pub(crate) quotes: Vec<QuoteCheck>,
    pub(crate) broken_quotes: Vec<BrokenQuote>,
    pub(crate) broken_ids: Vec<(String, FileId, Range<usize>)>,
    pub(crate) unlisted: Vec<(String, String)>,
}

impl Merged {
    pub(crate) fn absorb(
        &mut self,
        claims: Vec<Chunk>,
        actions: Vec<Chunk>,
        diags: &mut Vec<Diagnostic>,
    ) {
        // Global topic numbering: sorted names.
        let mut all_topics: Vec<String> = claims
            .iter()
            .chain(&actions)
            .flat_map(|c| c.topics.iter().cloned())
            .collect();
        all_topics.sort_unstable();
        all_topics.dedup();
        let topic_ix: FxHashMap<String, TopicIx> = all_topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as TopicIx))
            .collect();
        self.topics = all_topics;
        // Unlisted actors: sorted keys, smallest spelling.
        let mut unlisted: FxHashMap<String, String> = FxHashMap::default();
        for c in claims.iter().chain(&actions) {
            for (key, spelling) in &c.unlisted {
                let e = unlisted
                    .entry(key.clone())
                    .or_insert_with(|| spelling.clone());
                if spelling < e {
                    *e = spelling.clone();
                }
            }
        }
        let mut unlisted_owned: Vec<(String, String)> = unlisted.into_iter().collect();
        unlisted_owned.sort_unstable();
        let actor_ix: FxHashMap<String, ActorIx> = unlisted_owned
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i as ActorIx))
            .collect();

        // Renumber topics (and unlisted actors) in place, chunks in parallel.
        let mut chunks: Vec<Chunk> = claims.into_iter().chain(actions).collect();
        chunks.par_iter_mut().for_each(|chunk| {
            let topic_map: Vec<TopicIx> =
                chunk.topics.iter().map(|t| topic_ix[t.as_str()]).collect();
            let actor_map: Vec<ActorIx> = chunk
                .unlisted
                .iter()
                .map(|(k, _)| actor_ix[k.as_str()])
                .collect();
            for rec in &mut chunk.records {
                for t in rec.topics.iter_mut() {
                    *t = topic_map[*t as usize];
                }
                rec.topics.sort_unstable();
                if !actor_map.is_empty() {
                    rec.actor = actor_map[rec.actor as usize];
                    rec.target = rec.target.map(|t| actor_map[t as usize]);
                }
            }
        });
        // Concatenate into vectors of exactly the right size, freeing each
        // chunk as it is moved, so the records never exist twice.
        let (mut claims, mut actions) = (Vec::new(), Vec::new());
        let (mut n_claims, mut n_actions) = (self.claims.len(), self.actions.len());
        let mut rest = Vec::with_capacity(chunks.len());
        for mut chunk in chunks {
            let kind = chunk.kind.unwrap_or(RecordKind::Claim);
            let (parts, n) = match kind {
                RecordKind::Claim => (&mut claims, &mut n_claims),
                RecordKind::Action => (&mut actions, &mut n_actions),
            };
            let offset = *n;
            *n += chunk.records.len();
            parts.push(std::mem::take(&mut chunk.records));
            rest.push((kind, offset, chunk));
        }
        crate::perf::parallel::append_parts(&mut self.claims, claims);
        crate::perf::parallel::append_parts(&mut self.actions, actions);
        // Sized first: pushed one by one, these grew by copying into fresh
        // memory, one thread working and the other idle.
        self.responses
            .reserve_exact(rest.iter().map(|(_, _, c)| c.responses.len()).sum());
        self.quotes
            .reserve_exact(rest.iter().map(|(_, _, c)| c.quotes.len()).sum());
        for (kind, offset, chunk) in rest {
            for (i, ids) in chunk.responses {
                self.responses.push((offset + i as usize, ids));
            }
            for (i, doc, quote) in chunk.quotes {
                self.quotes.push((kind, offset + i as usize, doc, quote));
            }
            self.broken_ids.extend(chunk.broken_ids);
            self.broken_quotes.extend(chunk.broken_quotes);
            diags.extend(chunk.diags);
        }
        self.unlisted = unlisted_owned;
    }

    pub(crate) fn make_unlisted_actors(&self) -> Vec<Actor> {
        self.unlisted
            .iter()
            .map(|(key, spelling)| Actor {
                id: key.clone(),
                name: spelling.clone(),
                kind: ActorKind::Unlisted,
                aliases: Vec::new(),
                roles: Vec::new(),
                at: None,
            })
            .collect()
    }

    /// Ids are unique among all claims and actions. Ids are hashed and
    /// sorted in parallel; only ids with equal hashes are compared.
    /// Returns the sorted id hashes of [`Merged::id_places`], which
    /// `resolve_responses` searches.
    pub(crate) fn check_ids(&self, diags: &mut Vec<Diagnostic>) -> Vec<(u64, u32)> {
        let places = self.id_places();
        let mut i = 0;
        while i < places.len() {
            let mut j = i + 1;
            while j < places.len() && places[j].0 == places[i].0 {
                j += 1;
            }
            if j - i > 1 {
                // Same hash: group by id, in file order.
                let mut group: Vec<(&str, FileId, usize)> =
                    places[i..j].iter().map(|&(_, k)| self.id_at(k)).collect();
                group.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
                for w in 1..group.len() {
                    let (id, file, offset) = group[w];
                    let first = group[..w].iter().find(|g| g.0 == id);
                    if let Some(&(_, first_file, first_offset)) = first {
                        let span = id_span((file, offset), id, &self.broken_ids);
                        let first_span = id_span((first_file, first_offset), id, &self.broken_ids);
                        diags.push(
                            Diagnostic::new(Code::DuplicateId, file, span, format!("id \"{id}\" is used twice"))
                                .hint("ids must be unique among all claims and actions; rename one of them")
                                .note(first_file, first_span, "first used here"),
                        );
                    }
                }
            }
            i = j;
        }
        places
    }

    /// (hash of id, which record) for every claim, action and broken record,
    /// sorted. `which` numbers claims, then actions, then broken records.
    pub(crate) fn id_places(&self) -> Vec<(u64, u32)> {
        let hash = |id: &str| rustc_hash::FxBuildHasher.hash_one(id);
        let (nc, na) = (self.claims.len(), self.actions.len());
        let mut places: Vec<(u64, u32)> = (0..nc + na + self.broken_ids.len())
            .into_par_iter()
            .map(|k| (hash(self.id_at(k as u32).0), k as u32))
            .collect();
        places.par_sort_unstable();
        places
    }

    /// The id, file and id offset of record `k` (numbered as in `id_places`).
    pub(crate) fn id_at(&self, k: u32) -> (&str, FileId, usize) {
        let k = k as usize;
        let (nc, na) = (self.claims.len(), self.actions.len());
        if k < nc + na {
            let r = if k < nc {
                &self.claims[k]
            } else {
                &self.actions[k - nc]
            };
            (&r.id, r.at.file, r.id_offset as usize)
        } else {
            let (id, file, span) = &self.broken_ids[k - nc - na];
            (id, *file, span.start)
        }
    }

    /// `responds_to` names actions. Ids are found by binary search among
    /// the sorted id hashes of `id_places` (a map of a million ids would
    /// cost more memory than the records it indexes).
    pub(crate) fn resolve_responses(
        &mut self,
        id_places: &[(u64, u32)],
        diags: &mut Vec<Diagnostic>,
    ) {
        if self.responses.is_empty() {
            return;
        }
        let hash = |id: &str| rustc_hash::FxBuildHasher.hash_one(id);
        let (nc, na) = (self.claims.len() as u32, self.actions.len() as u32);
        let action_ix = |id: &str| {
            let h = hash(id);
            let from = id_places.partition_point(|e| e.0 < h);
            id_places[from..]
                .iter()
                .take_while(|e| e.0 == h)
                .filter(|e| (nc..nc + na).contains(&e.1))
                .map(|e| e.1 - nc)
                .find(|&a| &*self.actions[a as usize].id == id)
        };
        // In parallel: each look-up is a binary search over a million
        // hashes, a few cache misses each. Problems keep the records' order.
        let resolved: Vec<(usize, Box<[u32]>, Vec<Diagnostic>)> = self
            .responses
            .par_iter()
            .map(|(ix, ids)| {
                let file = self.actions[*ix].at.file;
                let mut targets = Vec::new();
                let mut problems = Vec::new();
                let response = &self.actions[*ix];
                for (id, span) in ids {
                    match action_ix(id) {
                        Some(a) if a as usize == *ix => problems.push(
                            Diagnostic::new(
                                Code::SelfResponse,
                                file,
                                span.clone(),
                                format!("action \"{}\" responds to itself", response.id),
                            )
                            .hint("responds_to names the other actions this one answers"),
                        ),
                        // Over before the deed it answers began: not a
                        // response, so it makes no pair reciprocal.
                        Some(a) if response.date.last < self.actions[a as usize].date.first => problems.push(
                            Diagnostic::new(
                                Code::EarlyResponse,
                                file,
                                span.clone(),
                                format!(
                                    "action \"{}\" ({}) responds to \"{}\", which starts later ({}); the response is not counted",
                                    response.id,
                                    response.date,
                                    id.escape_debug(),
                                    self.actions[a as usize].date
                                ),
                            )
                            .hint("a response cannot come before what it answers: check both dates, or the direction of responds_to"),
                        ),
                        Some(a) => targets.push(a),
                        None => problems.push(
                            Diagnostic::new(
                                Code::UnknownReference,
                                file,
                                span.clone(),
                                format!("responds_to: no action has id \"{}\"", id.escape_debug()),
                            )
                            .hint(self.unknown_response_hint(id)),
                        ),
                    }
                }
                targets.sort_unstable();
                targets.dedup();
                (*ix, targets.into_boxed_slice(), problems)
            })
            .collect();
        for (ix, targets, mut problems) in resolved {
            self.actions[ix].responds_to = targets;
            diags.append(&mut problems);
        }
    }

    /// The hint for a `responds_to` id that no action has.
    pub(crate) fn unknown_response_hint(&self, id: &str) -> String {
        if self.claims.iter().any(|r| &*r.id == id) {
            format!("\"{id}\" is a claim; responds_to names actions (deeds) being answered")
        } else if self.actions.len() <= 100_000 {
            let mut ids: Vec<&str> = self.actions.iter().map(|r| &*r.id).collect();
            ids.sort_unstable();
            match crate::suggest::closest(id, ids) {
                Some(near) => format!("did you mean \"{near}\"?"),
                None => "responds_to lists ids of actions in actions/".into(),
            }
        } else {
            "responds_to lists ids of actions in actions/".into()
        }
    }
}

/// The span of an id value: ids that pass validation are written without
/// escapes, so the span is the id and its quotes.
pub(crate) fn id_span(
    file_offset: (FileId, usize),
    id: &str,
    broken: &[(String, FileId, Range<usize>)],
) -> Range<usize> {
    let (file, offset) = file_offset;
    if let Some((_, _, span)) = broken
        .iter()
        .find(|(b, f, s)| b == id && *f == file && s.start == offset)
    {
        return span.clone();
    }
    offset..offset + id.len() + 2
}
