//! The wire values of a report's claims, actions and pairs, built the
//! plain way: the reference the fast writer is held to (`same_bytes.rs`
//! serialises these with serde and compares the bytes). The report's
//! printers write the same bytes without building them; `saydo explain
//! --format json`, which writes a claim and a few actions, builds them
//! here.

#[cfg(test)]
use super::wire::PairJson;
use super::wire::{ActionJson, ClaimJson, source};
use crate::date::{PartialDate, Span};
#[cfg(test)]
use crate::engine::reasons;
use crate::model::{Dataset, Record};
use crate::report::{ClaimResult, Report};

fn topics<'a>(data: &'a Dataset, r: &Record) -> Vec<&'a str> {
    r.topics
        .iter()
        .map(|&t| data.topics[t as usize].as_str())
        .collect()
}

/// For each principal, the chain of actor ids from `actor` to it.
fn paths<'a>(
    report: &Report<'a>,
    actor: u32,
    date: &PartialDate,
    principals: &[u32],
) -> Vec<Vec<&'a str>> {
    let data = report.data;
    principals
        .iter()
        .map(|&p| match report.chains.path(actor, Span::of(date), p) {
            Some(steps) => steps
                .iter()
                .map(|s| data.actors[s.actor as usize].id.as_str())
                .collect(),
            None => vec![data.actors[p as usize].id.as_str()],
        })
        .collect()
}

pub(crate) fn claim_json<'a>(report: &Report<'a>, r: &ClaimResult) -> ClaimJson<'a> {
    let data = report.data;
    let c = &data.claims[r.claim as usize];
    let actor = &data.actors[c.actor as usize];
    ClaimJson {
        claim_id: &c.id,
        verdict: r.verdict.as_str(),
        actor_id: &actor.id,
        date: c.date.to_string(),
        target_id: c.target.map(|t| data.actors[t as usize].id.as_str()),
        topics: topics(data, c),
        stance: c.score,
        about: c.about.as_str(),
        text: &c.text,
        notes: c.extra().notes.as_deref(),
        source: source(c),
        file: data.files.display(c.at.file),
        line: c.at.line,
        principals: paths(
            report,
            c.actor,
            &c.date,
            report.who.claim_actor.get(r.claim as usize),
        ),
        pairs: r.pairs,
        contradictions: r.contradictions,
        consistent: r.consistent,
        reciprocal: r.reciprocal,
        neutral: r.neutral,
        worst_severity: r.worst,
    }
}

pub(crate) fn action_json<'a>(report: &Report<'a>, a: u32) -> ActionJson<'a> {
    let data = report.data;
    let x = &data.actions[a as usize];
    let actor = &data.actors[x.actor as usize];
    ActionJson {
        action_id: &x.id,
        actor_id: &actor.id,
        date: x.date.to_string(),
        target_id: x.target.map(|t| data.actors[t as usize].id.as_str()),
        topics: topics(data, x),
        effect: x.score,
        attribution: x.attribution.as_str(),
        responds_to: x
            .responds_to
            .iter()
            .map(|&r| &*data.actions[r as usize].id)
            .collect(),
        text: &x.text,
        notes: x.extra().notes.as_deref(),
        source: source(x),
        file: data.files.display(x.at.file),
        line: x.at.line,
        principals: paths(
            report,
            x.actor,
            &x.date,
            report.who.action_actor.get(a as usize),
        ),
    }
}

#[cfg(test)]
pub(super) fn pair_json<'a>(report: &Report<'a>, index: usize) -> PairJson<'a> {
    let data = report.data;
    let p = &report.pairs[index];
    let (c, a) = (p.claim as usize, p.action as usize);
    let (claim, action) = (&data.claims[c], &data.actions[a]);
    let brief = reasons::brief(report, p);
    PairJson {
        claim_id: &claim.id,
        action_id: &action.id,
        verdict: p.verdict.as_str(),
        kind: p.verdict.kind().map(|k| k.as_str()),
        severity: p.severity(),
        principal: &data.actors[brief.principal as usize].id,
        topics: brief
            .topics
            .into_iter()
            .map(|t| data.topics[t as usize].as_str())
            .collect(),
        gap_days: brief.gap_days,
        order: brief.order.as_str(),
        known: report.is_known(index),
        review: report
            .decision(index)
            .map(|r| super::wire::ReviewJson::of(r, &data.files)),
    }
}
