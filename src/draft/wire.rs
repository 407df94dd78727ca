//! Draft records as JSON Lines: one actor, claim or action a line, in the
//! data format, each with its `draft` mark.

use super::{Draft, DraftRecord, Kind};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    actor: &'a str,
    /// `null` when the text dates nothing: the curator must.
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    topics: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    stance: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    effect: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribution: Option<&'a str>,
    text: &'a str,
    source: Source<'a>,
    draft: Mark<'a>,
}

#[derive(Serialize)]
struct Source<'a> {
    document: &'a str,
    quote: &'a str,
}

#[derive(Serialize)]
struct Mark<'a> {
    /// `actor`, `claim` or `action`: which folder the line goes to.
    record: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    confidence: f64,
    why: &'a str,
}

#[derive(Serialize)]
struct Actor<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    draft: Mark<'a>,
}

fn record(r: &DraftRecord) -> Record<'_> {
    let score = r.score as i64;
    Record {
        id: &r.id,
        actor: &r.actor,
        date: r.date.as_deref(),
        target: r.target.as_deref(),
        topics: &r.topics,
        stance: (r.kind == Kind::Claim).then_some(score),
        effect: (r.kind == Kind::Action).then_some(score),
        attribution: r.attribution,
        text: &r.text,
        source: Source {
            document: &r.document,
            quote: &r.quote,
        },
        draft: Mark {
            record: match r.kind {
                Kind::Claim => "claim",
                Kind::Action => "action",
            },
            line: Some(r.line),
            confidence: r.confidence,
            why: &r.why,
        },
    }
}

/// Writes the draft as JSON Lines: new actors first, then claims and
/// actions in the order of the text. `draft.record` says which folder
/// each line belongs in.
pub fn write_jsonl(draft: &Draft, out: &mut dyn Write) -> io::Result<()> {
    for a in &draft.actors {
        let line = Actor {
            id: &a.id,
            name: &a.name,
            kind: a.kind.as_str(),
            draft: Mark {
                record: "actor",
                line: None,
                confidence: 0.5,
                why: "named by a record but not among the actors given: check the name and kind, add aliases and acts_for",
            },
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    for r in &draft.records {
        serde_json::to_writer(&mut *out, &record(r))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
