//! One timeline's section: its heading and numbers, the most severe
//! contradiction in a sentence, the chart, and the tables under it.

use super::svg::{svg, year_of};
use super::tables::{flagged, pair_table, record_table, score_chip};
use super::timeline::{Rec, Timeline};
use super::{LINKS_UP_TO, SPARSE_ABOVE};
use crate::engine::pair::Pair;
use crate::engine::reasons;
use crate::engine::score::{ClaimVerdict, Kind, Order};
use crate::render::common::plural;
use crate::render::common::{clip, consistency_text};
use crate::render::escape::Html;
use crate::report::{ActorSummary, Report};
use std::fmt::Write as _;

pub(super) fn section(
    out: &mut String,
    report: &Report<'_>,
    t: &Timeline,
    n: usize,
    summary: Option<&ActorSummary>,
    verdicts: &[Option<ClaimVerdict>],
) {
    let data = report.data;
    let actor = &data.actors[t.actor as usize];
    let sparse = t.records.len() > SPARSE_ABOVE;
    let only_contradictions = sparse || t.pairs.len() > LINKS_UP_TO;
    let pairs: Vec<usize> = t
        .pairs
        .iter()
        .copied()
        .filter(|&i| !only_contradictions || report.pairs[i].verdict.is_contradiction())
        .collect();
    let mut records: Vec<Rec> = if sparse {
        let mut involved: Vec<Rec> = pairs
            .iter()
            .flat_map(|&i| {
                let p = &report.pairs[i];
                [Rec::Claim(p.claim), Rec::Action(p.action)]
            })
            .collect();
        involved.sort_by_key(|r| match *r {
            Rec::Claim(i) => (0, i),
            Rec::Action(i) => (1, i),
        });
        involved.dedup();
        involved
    } else {
        t.records.clone()
    };
    records.sort_by(|a, b| {
        let (ra, rb) = (a.record(data), b.record(data));
        (ra.date.first, ra.date.last, !a.is_claim(), &ra.id).cmp(&(
            rb.date.first,
            rb.date.last,
            !b.is_claim(),
            &rb.id,
        ))
    });

    let _ = writeln!(
        out,
        "<section class=\"timeline\" id=\"t{n}\" data-actor=\"{}\">",
        Html(&actor.id)
    );
    let first = records.first().map(|r| year_of(r.record(data).date.first));
    let last = records
        .iter()
        .map(|r| r.record(data).date.last)
        .max()
        .map(year_of);
    let span = match (first, last) {
        (Some(a), Some(b)) if a == b => format!(", {a}"),
        (Some(a), Some(b)) => format!(", {a}–{b}"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "<h2>{} <code>{}</code> <small>{}{}</small></h2>",
        Html(&actor.name),
        Html(&actor.id),
        actor.kind.as_str(),
        Html(&span)
    );
    summary_line(out, summary);
    if sparse {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} records are too many to draw one by one: only the {} that take part in a contradiction are drawn; {} are not drawn (see <code>--format json</code> for all).</p>",
            t.records.len(),
            records.len(),
            t.records.len() - records.len()
        );
    }
    if pairs.len() < t.pairs.len() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} pairs: only the {} contradictions are linked; {} consistent, reciprocal or neutral pairs are not drawn.</p>",
            t.pairs.len(),
            pairs.len(),
            t.pairs.len() - pairs.len()
        );
    }
    headline(out, report, &pairs);
    svg(out, report, t, n, &records, &pairs);
    flagged(out, report, t, n, &pairs);
    record_table(out, report, n, &records, verdicts);
    pair_table(out, report, n, &pairs);
    out.push_str("</section>\n");
}

fn summary_line(out: &mut String, summary: Option<&ActorSummary>) {
    let Some(s) = summary else {
        return;
    };
    let _ = writeln!(
        out,
        "<p class=\"summary\"><span>{}</span><span>{}</span><span>{}</span><span class=\"{}\">{}</span><span>{} duplicity</span><span>{} bluster</span><span>{} consistent</span><span>{} reciprocal</span><span>{} neutral</span><span title=\"say-do consistency index, from -1 (every judged pair contradicts) to +1 (every one is consistent), weighted by severity\">consistency index <b>{}</b></span></p>",
        plural(s.claims, "claim", "claims"),
        plural(s.actions, "action", "actions"),
        plural(s.pairs, "pair", "pairs"),
        if s.contradictions > 0 { "bad" } else { "" },
        plural(s.contradictions, "contradiction", "contradictions"),
        s.duplicity,
        s.bluster,
        s.consistent,
        s.reciprocal,
        s.neutral,
        consistency_text(s.consistency)
    );
}

/// The most severe contradiction in one sentence, for a reader in a hurry.
fn headline(out: &mut String, report: &Report<'_>, pairs: &[usize]) {
    let data = report.data;
    let worst = pairs
        .iter()
        .map(|&i| &report.pairs[i])
        .filter(|p| p.verdict.is_contradiction())
        .fold(None::<&Pair>, |best, p| match best {
            Some(b) if b.severity() >= p.severity() => Some(b),
            _ => Some(p),
        });
    let Some(p) = worst else {
        return;
    };
    let (c, a) = (
        &data.claims[p.claim as usize],
        &data.actions[p.action as usize],
    );
    let why = reasons::of(report, p);
    let kind = p.verdict.kind().map_or("", Kind::as_str);
    let when = match why.order {
        Order::After => format!(
            "{} later,",
            plural(why.gap_days.max(0) as u64, "day", "days")
        ),
        Order::Overlapping => "at the same time,".to_string(),
        Order::Before => format!(
            "{} before,",
            plural(why.gap_days.max(0) as u64, "day", "days")
        ),
    };
    let _ = writeln!(
        out,
        "<p class=\"headline\">Most severe, <span class=\"kind {kind}\">{kind}</span> {:.4}: {} said “{}” ({}, {}); {} {} did: “{}” ({}, {}).</p>",
        p.severity(),
        Html(&data.actors[c.actor as usize].name),
        Html(&clip(&c.text, 100)),
        c.date,
        score_chip(c.score),
        when,
        Html(&data.actors[a.actor as usize].name),
        Html(&clip(&a.text, 100)),
        a.date,
        score_chip(a.score)
    );
}
