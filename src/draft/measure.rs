//! How a draft compares with records a curator made from the same text.
//!
//! - A draft record *matches* a curated one when their quotes, with runs
//!   of whitespace read as one space and typographic quotes and
//!   apostrophes as straight ones, are equal or one contains the other
//!   (a draft quotes a whole sentence where a curator may quote a part).
//! - A curated claim is *found* when a draft claim matches it and names
//!   the same actor (the same id).
//! - A curated action is *found* when a draft action matches it and has
//!   the same date, as written (`2021-09` is not `2021`).
//! - A draft is *thrown away* when it matches no curated record of the
//!   text at all, claim or action: a curator would delete it. A draft
//!   that matches only a record of the other kind (words drafted as a
//!   deed) is counted apart, as *of the other kind*.

use super::{Draft, Kind};
use crate::model::{Dataset, Record};

/// The numbers of one comparison, and what they leave out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    /// Curated claims quoting the text.
    pub claims: usize,
    /// Of those, found with the same quote and speaker.
    pub claims_found: usize,
    /// Ids of the curated claims not found.
    pub claims_missed: Vec<String>,
    /// Curated actions quoting the text.
    pub actions: usize,
    /// Of those, found with the same quote and date.
    pub actions_found: usize,
    /// Ids of the curated actions not found.
    pub actions_missed: Vec<String>,
    /// Draft claims and actions.
    pub drafts: usize,
    /// Ids of the drafts that match no curated record.
    pub thrown_away: Vec<String>,
    /// Ids of the drafts that match only curated records of the other kind.
    pub other_kind: Vec<String>,
}

/// Folds a quote for comparison: whitespace runs to one space, none at
/// the ends, typographic quotes and apostrophes straight.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '“' | '”' | '„' | '«' | '»' => '"',
            '‘' | '’' => '\'',
            c => c,
        }));
    }
    out
}

fn matches(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a))
}

/// Compares `draft` with the records of `data` that quote `document`.
pub fn measure(draft: &Draft, data: &Dataset, document: &str) -> Measure {
    let of_text = |records: &[Record]| -> Vec<(String, String, u32, String)> {
        records
            .iter()
            .filter(|r| r.extra().document.as_deref() == Some(document))
            .filter_map(|r| {
                let quote = r.extra().quote.as_deref()?;
                Some((r.id.to_string(), fold(quote), r.actor, r.date.to_string()))
            })
            .collect()
    };
    let claims = of_text(&data.claims);
    let actions = of_text(&data.actions);
    let drafts: Vec<(Kind, String, &str, Option<&str>, &str)> = draft
        .records
        .iter()
        .map(|r| {
            (
                r.kind,
                fold(&r.quote),
                r.actor.as_str(),
                r.date.as_deref(),
                r.id.as_str(),
            )
        })
        .collect();
    let mut m = Measure {
        claims: claims.len(),
        actions: actions.len(),
        drafts: drafts.len(),
        ..Measure::default()
    };
    for (id, quote, actor, _) in &claims {
        let actor = &data.actors[*actor as usize].id;
        let found = drafts
            .iter()
            .any(|(k, q, a, _, _)| *k == Kind::Claim && matches(q, quote) && a == actor);
        if found {
            m.claims_found += 1;
        } else {
            m.claims_missed.push(id.clone());
        }
    }
    for (id, quote, _, date) in &actions {
        let found = drafts.iter().any(|(k, q, _, d, _)| {
            *k == Kind::Action && matches(q, quote) && *d == Some(date.as_str())
        });
        if found {
            m.actions_found += 1;
        } else {
            m.actions_missed.push(id.clone());
        }
    }
    for (kind, quote, _, _, id) in &drafts {
        let in_claims = claims.iter().any(|c| matches(quote, &c.1));
        let in_actions = actions.iter().any(|a| matches(quote, &a.1));
        let (same, other) = match kind {
            Kind::Claim => (in_claims, in_actions),
            Kind::Action => (in_actions, in_claims),
        };
        if !same && !other {
            m.thrown_away.push(id.to_string());
        } else if !same {
            m.other_kind.push(id.to_string());
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_match_when_one_holds_the_other_after_folding() {
        assert!(matches(&fold("a  “b” c’s"), &fold("a \"b\" c's")));
        assert!(matches(
            &fold("The whole sentence, said X."),
            &fold("whole sentence")
        ));
        assert!(!matches(&fold("one thing"), &fold("another")));
        assert!(!matches("", "x"));
    }
}
