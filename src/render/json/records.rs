//! The fast writer's claims and actions: each written straight from its
//! record, as serde writes its [`ClaimJson`] or [`ActionJson`].
//!
//! [`ClaimJson`]: super::wire::ClaimJson
//! [`ActionJson`]: super::wire::ActionJson

use super::fast::{Escaped, Escapes, Obj, put, write_escaped_list, write_escaped_list_reversed};
use super::wire::source;
use crate::date::Span;
use crate::engine::principals::Chains;
use crate::engine::principals::Sets;
use crate::model::{ActorIx, Record};
use crate::perf::{prefetch, prefetch_all, prefetch_lines, prefetch_str};
use crate::report::{ClaimResult, Report};

/// What writing records reads, asked for ahead. Written in id order,
/// records are scattered in memory, and each points elsewhere again, in
/// chains of up to three loads; each link is asked for a few records
/// after the one before it, so that it has come by then.
pub(super) struct Ahead<'a> {
    records: &'a [Record],
    principals: &'a Sets,
    escapes: &'a Escapes,
    chains: &'a Chains,
}

impl<'a> Ahead<'a> {
    pub(super) fn of(
        records: &'a [Record],
        principals: &'a Sets,
        escapes: &'a Escapes,
        chains: &'a Chains,
    ) -> Self {
        Ahead {
            records,
            principals,
            escapes,
            chains,
        }
    }

    /// Before the record at position `i` is written (`at` gives the
    /// record at a position): for the record 12 on, the record itself and
    /// where its principals lie; for the one 6 on, what it points to (its
    /// id, text, topics, notes and source, and principals) and where its
    /// actor's chains and `principals` array are kept; for the one 3 on,
    /// those chains or that array.
    pub(super) fn ask(&self, i: usize, at: impl Fn(usize) -> Option<usize>) {
        if let Some(r) = at(i + 12) {
            prefetch_lines(&self.records[r]);
            self.principals.prefetch_offsets(r);
        }
        if let Some(r) = at(i + 6) {
            let x = &self.records[r];
            prefetch_str(&x.id);
            prefetch_all(x.text.as_bytes());
            if let Some(t) = x.topics.first() {
                prefetch(t);
            }
            if let Some(extra) = x.extra.as_deref() {
                prefetch_lines(extra);
            }
            self.principals.prefetch_items(r);
            self.escapes.prefetch_slot(x.actor);
            self.chains.prefetch_slot(x.actor);
        }
        if let Some(r) = at(i + 3) {
            let actor = self.records[r].actor;
            if !self.escapes.prefetch(actor) {
                self.chains.prefetch_links(actor);
            }
        }
    }
}

/// Writes claim `r` exactly as `serde_json` writes its
/// [`ClaimJson`](super::wire::ClaimJson) (`same_bytes.rs` holds the two to
/// the same bytes), straight from the record.
pub fn write_claim(report: &Report<'_>, escapes: &Escapes, r: &ClaimResult, buf: &mut Vec<u8>) {
    let x = &report.data.claims[r.claim as usize];
    let mut o = Obj::new(buf);
    o.str("claim_id", &x.id);
    o.str("verdict", r.verdict.as_str());
    record_head(&mut o, escapes, x);
    o.f64("stance", x.score);
    if let Some(about) = x.about.as_str() {
        o.str("about", about);
    }
    record_tail(
        &mut o,
        report,
        escapes,
        x,
        report.who.claim_actor.get(r.claim as usize),
    );
    o.u32("pairs", r.pairs);
    o.u32("contradictions", r.contradictions);
    o.u32("consistent", r.consistent);
    o.u32("reciprocal", r.reciprocal);
    o.u32("neutral", r.neutral);
    match r.worst {
        Some(x) => o.f64("worst_severity", x),
        None => o.null("worst_severity"),
    }
    o.end();
}

/// Writes action `a` exactly as `serde_json` writes its
/// [`ActionJson`](super::wire::ActionJson) (`same_bytes.rs` holds the two
/// to the same bytes), straight from the record:
/// building the wire value first cost an allocation per list, date and
/// chain of roles, for each of up to millions of actions.
pub fn write_action(report: &Report<'_>, escapes: &Escapes, a: u32, buf: &mut Vec<u8>) {
    let data = report.data;
    let x = &data.actions[a as usize];
    let mut o = Obj::new(buf);
    o.str("action_id", &x.id);
    record_head(&mut o, escapes, x);
    o.f64("effect", x.score);
    o.str("attribution", x.attribution.as_str());
    if !x.responds_to.is_empty() {
        o.list(
            "responds_to",
            x.responds_to.iter().map(|&r| &*data.actions[r as usize].id),
        );
    }
    record_tail(
        &mut o,
        report,
        escapes,
        x,
        report.who.action_actor.get(a as usize),
    );
    o.end();
}

/// The fields claims and actions share before their score: `actor_id`,
/// `date`, `target_id`, `topics`.
fn record_head(o: &mut Obj<'_>, escapes: &Escapes, x: &Record) {
    o.escaped("actor_id", escapes.actor(x.actor));
    o.date("date", &x.date);
    match x.target {
        Some(t) => o.escaped("target_id", escapes.actor(t)),
        None => o.null("target_id"),
    }
    o.key("topics");
    o.buf.push(b'[');
    for (i, &t) in x.topics.iter().enumerate() {
        if i > 0 {
            o.buf.push(b',');
        }
        put(o.buf, escapes.topic(t));
    }
    o.buf.push(b']');
}

/// The fields claims and actions share after their score: `text`,
/// `notes`, `source`, `file`, `line`, and `principals` (for each
/// principal, the chain of actor ids from the record's actor to it).
fn record_tail(
    o: &mut Obj<'_>,
    report: &Report<'_>,
    escapes: &Escapes,
    x: &Record,
    principals: &[ActorIx],
) {
    o.str("text", &x.text);
    if let Some(notes) = x.extra().notes.as_deref() {
        o.str("notes", notes);
    }
    if let Some(s) = source(x) {
        o.source(&s);
    }
    o.str("file", report.data.files.display(x.at.file));
    o.u32("line", x.at.line);
    o.key("principals");
    match escapes.principals(x.actor, principals) {
        Some(bytes) => o.buf.extend_from_slice(bytes),
        None => write_principals(
            o.buf,
            &report.chains,
            &escapes.actor_ids,
            x.actor,
            Span::of(&x.date),
            principals,
        ),
    }
}

/// For each of `principals`, the chain of ids from `actor` to it on some
/// day of `date`, as a JSON array of arrays.
pub(super) fn write_principals(
    buf: &mut Vec<u8>,
    chains: &Chains,
    actor_ids: &Escaped,
    actor: ActorIx,
    date: Span,
    principals: &[ActorIx],
) {
    buf.push(b'[');
    for (i, &p) in principals.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        match chains.path_back(actor, date, p) {
            Some(back) => write_escaped_list_reversed(buf, back.map(|a| actor_ids.get(a as usize))),
            None => write_escaped_list(buf, std::iter::once(actor_ids.get(p as usize))),
        }
    }
    buf.push(b']');
}
