//! Reviews: read every decision of `reviews/`, and name the claim and
//! action of each. A decision on a record that no longer exists is a
//! warning, not an error: records are renamed and removed as a dataset
//! grows, and the decision then simply no longer applies. Whether the
//! pair itself still exists, with the verdict decided on, depends on the
//! pairing window, so `check` and `review` say that
//! ([`crate::report::Report::stale_reviews`]).

use crate::diag::{Code, Diagnostic};
use crate::input::read::*;
use crate::input::records::RawReview;
use crate::input::source::{FileId, Files};
use crate::model::{Location, Record, Review, Reviews};
use crate::suggest;
use rustc_hash::FxHashMap;

/// Ids are suggested for a decision's unknown claim or action only among
/// this many records: each suggestion compares with every id.
const MAX_SUGGESTED_AMONG: usize = 100_000;

/// Reads every file of `reviews/` and resolves the ids of its decisions.
pub(crate) fn load_reviews(
    list: &[DataFile],
    files: &Files,
    claims: &[Record],
    actions: &[Record],
    diags: &mut Vec<Diagnostic>,
) -> Reviews {
    let mut raw: Vec<(FileId, RawReview)> = Vec::new();
    for f in list {
        let Some((text, start)) = read_text(f.id, files, diags, Vec::new()) else {
            continue;
        };
        let mut found = Vec::new();
        for_each_record(&text, start, text.len(), f.format, f.id, diags, |fr| {
            found.push(fr.review()?);
            Ok(())
        });
        raw.extend(found.into_iter().map(|r| (f.id, r)));
    }
    if raw.is_empty() {
        return Reviews::default();
    }
    let claim_ix = ids(claims);
    let action_ix = ids(actions);
    let mut all = Vec::with_capacity(raw.len());
    for (file, r) in raw {
        let RawReview {
            start,
            claim: Some((claim_id, claim_span)),
            action: Some((action_id, action_span)),
            verdict: Some(verdict),
            decision: Some(decision),
            reason,
            by: Some((by, _)),
            date: Some((date, _)),
            whole: true,
        } = r
        else {
            continue;
        };
        let claim = claim_ix.get(claim_id.as_str()).copied();
        let action = action_ix.get(action_id.as_str()).copied();
        for (found, id, span, records, noun) in [
            (claim, &claim_id, claim_span, claims, "claim"),
            (action, &action_id, action_span, actions, "action"),
        ] {
            if found.is_none() {
                diags.push(unknown(file, span, noun, id, records));
            }
        }
        let lc = files.source(file).line_col(start);
        all.push(Review {
            claim_id,
            action_id,
            claim,
            action,
            verdict,
            decision,
            reason: reason.map(|(s, _)| s).unwrap_or_default(),
            by,
            date,
            at: Location {
                file,
                offset: start as u32,
                line: lc.line as u32,
                column: lc.column as u32,
            },
        });
    }
    Reviews::new(all)
}

fn ids(records: &[Record]) -> FxHashMap<&str, u32> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| (&*r.id, i as u32))
        .collect()
}

/// The warning for a decision on a record no `noun` has.
fn unknown(
    file: FileId,
    span: std::ops::Range<usize>,
    noun: &str,
    id: &str,
    records: &[Record],
) -> Diagnostic {
    let near = (records.len() <= MAX_SUGGESTED_AMONG)
        .then(|| suggest::closest(id, records.iter().map(|r| &*r.id)))
        .flatten();
    Diagnostic::new(
        Code::StaleReview,
        file,
        span,
        format!(
            "this decision names {noun} \"{}\", which no {noun} has; it no longer applies",
            id.escape_debug()
        ),
    )
    .hint(match near {
        Some(n) => format!("did you mean \"{n}\"? Otherwise remove the decision"),
        None => format!("the {noun} was renamed or removed: fix the id or remove the decision"),
    })
}
