//! Which records and pairs each timeline draws: a timeline per principal
//! actor, holding the records made by it or on its behalf and the pairs
//! whose records both are on it.

use crate::engine::pair::{Pair, intersection};
use crate::engine::score::ClaimVerdict;
use crate::model::{ActorIx, Dataset, Record};
use crate::report::{ActorSummary, Report};

/// A claim or an action, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Rec {
    Claim(u32),
    Action(u32),
}

impl Rec {
    pub(super) fn record(self, data: &Dataset) -> &Record {
        match self {
            Rec::Claim(i) => &data.claims[i as usize],
            Rec::Action(i) => &data.actions[i as usize],
        }
    }
    pub(super) fn is_claim(self) -> bool {
        matches!(self, Rec::Claim(_))
    }
    pub(super) fn noun(self) -> &'static str {
        if self.is_claim() { "claim" } else { "action" }
    }
}

/// One principal actor's timeline: the records made by it or on its behalf,
/// and the pairs in which both records are.
pub(super) struct Timeline {
    pub(super) actor: ActorIx,
    pub(super) records: Vec<Rec>,
    /// Indices into `report.pairs`, in report order.
    pub(super) pairs: Vec<usize>,
}

/// Which claims and actions the report keeps (all, unless filtered), plus
/// both ends of every pair.
fn kept(report: &Report<'_>) -> (Vec<bool>, Vec<bool>) {
    let data = report.data;
    let mut claims = vec![false; data.claims.len()];
    for r in &report.claims {
        claims[r.claim as usize] = true;
    }
    let f = &report.filters;
    let mut actions: Vec<bool> = (0..data.actions.len())
        .map(|a| {
            let x = &data.actions[a];
            let who = report.who.action_actor.get(a);
            f.actor.is_none_or(|p| who.binary_search(&p).is_ok())
                && f.since.is_none_or(|s| x.date.last >= s.first)
                && f.until.is_none_or(|u| x.date.first <= u.last)
                && f.topic.is_none_or(|t| x.topics.contains(&t))
        })
        .collect();
    for p in &report.pairs {
        claims[p.claim as usize] = true;
        actions[p.action as usize] = true;
    }
    (claims, actions)
}

/// The principals two paired records share.
fn shared(report: &Report<'_>, p: &Pair) -> Vec<ActorIx> {
    intersection(
        report.who.claim_actor.get(p.claim as usize),
        report.who.action_actor.get(p.action as usize),
    )
}

/// The timelines, most contradicted actor first.
///
/// A timeline belongs to each actor that acts for no one and has records.
/// So that nothing goes undrawn when roles end (a president's words after
/// office count for no state), a pair whose records share no such actor is
/// drawn on the timeline of the principal its reasons name, and a record
/// with no timeline yet on that of its own actor.
pub(super) fn timelines(report: &Report<'_>) -> Vec<Timeline> {
    let data = report.data;
    let who = &report.who;
    let (claims, actions) = kept(report);
    let mut owner: Vec<bool> = data.actors.iter().map(|a| a.roles.is_empty()).collect();
    for p in &report.pairs {
        let s = shared(report, p);
        if !s.iter().any(|&x| owner[x as usize])
            && let Some(&first) = s.first()
        {
            owner[first as usize] = true;
        }
    }
    let records: Vec<(Rec, &[ActorIx])> = (0..data.claims.len())
        .filter(|&c| claims[c])
        .map(|c| (Rec::Claim(c as u32), who.claim_actor.get(c)))
        .chain(
            (0..data.actions.len())
                .filter(|&a| actions[a])
                .map(|a| (Rec::Action(a as u32), who.action_actor.get(a))),
        )
        .collect();
    for &(rec, set) in &records {
        if !set.iter().any(|&x| owner[x as usize]) {
            owner[rec.record(data).actor as usize] = true;
        }
    }
    let mut slot: Vec<Option<usize>> = vec![None; data.actors.len()];
    let mut out: Vec<Timeline> = Vec::new();
    let mut timeline = |x: ActorIx, out: &mut Vec<Timeline>| -> usize {
        *slot[x as usize].get_or_insert_with(|| {
            out.push(Timeline {
                actor: x,
                records: Vec::new(),
                pairs: Vec::new(),
            });
            out.len() - 1
        })
    };
    for &(rec, set) in &records {
        for &x in set.iter().filter(|&&x| owner[x as usize]) {
            let t = timeline(x, &mut out);
            out[t].records.push(rec);
        }
    }
    for (i, p) in report.pairs.iter().enumerate() {
        for x in shared(report, p) {
            if owner[x as usize] {
                let t = timeline(x, &mut out);
                out[t].pairs.push(i);
            }
        }
    }
    let summaries = summaries_by_actor(report);
    let key = |t: &Timeline| {
        let s = summaries[t.actor as usize];
        (
            s.map_or(0, |s| s.contradictions),
            s.map_or(0, |s| s.duplicity),
            s.map_or(0, |s| s.pairs),
        )
    };
    out.sort_by(|a, b| {
        key(b).cmp(&key(a)).then_with(|| {
            data.actors[a.actor as usize]
                .id
                .cmp(&data.actors[b.actor as usize].id)
        })
    });
    out
}

pub(super) fn summaries_by_actor<'r>(report: &'r Report<'_>) -> Vec<Option<&'r ActorSummary>> {
    let mut by = vec![None; report.data.actors.len()];
    for s in &report.actors {
        by[s.actor as usize] = Some(s);
    }
    by
}

pub(super) fn claim_verdicts(report: &Report<'_>) -> Vec<Option<ClaimVerdict>> {
    let mut v = vec![None; report.data.claims.len()];
    for r in &report.claims {
        v[r.claim as usize] = Some(r.verdict);
    }
    v
}
