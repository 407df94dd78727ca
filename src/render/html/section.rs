//! One timeline's section: its heading and numbers, the most severe
//! contradiction in a sentence, the chart, and the tables under it.

use super::svg::{svg, year_of};
use super::tables::{flagged, pair_table, record_table, score_chip};
use super::timeline::{Rec, Timeline};
use super::{LINKS_UP_TO, SPARSE_ABOVE};
use crate::engine::pair::Pair;
use crate::engine::reasons;
use crate::engine::score::{ClaimVerdict, Kind, Order};
use crate::render::common::clip;
use crate::render::common::plural;
use crate::report::{ActorSummary, Report};
use askama::Template;

/// A timeline section's start and heading.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<section class="timeline" id="t{{ n|safe }}" data-actor="{{ id }}">
<h2>{{ name }} <code>{{ id }}</code> <small>{{ kind }}{{ span }}</small></h2>
"##
)]
struct Heading<'a> {
    n: usize,
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    span: String,
}

/// Says that a crowded timeline draws only the records in contradictions.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<p class="note">{{ all|safe }} records are too many to draw one by one: only the {{ drawn|safe }} that take part in a contradiction are drawn; {{ (all - drawn)|safe }} are not drawn (see <code>--format json</code> for all).</p>
"##
)]
struct SparseNote {
    all: usize,
    drawn: usize,
}

/// Says that a crowded timeline links only its contradictions.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<p class="note">{{ all|safe }} pairs: only the {{ drawn|safe }} contradictions are linked; {{ (all - drawn)|safe }} consistent, reciprocal or neutral pairs are not drawn.</p>
"##
)]
struct LinksNote {
    all: usize,
    drawn: usize,
}

/// An actor's numbers, above its timeline.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<p class="summary"><span>{{ super::plural_of(s.claims, "claim", "claims") }}</span><span>{{ super::plural_of(s.actions, "action", "actions") }}</span><span>{{ super::plural_of(s.pairs, "pair", "pairs") }}</span><span class="{% if s.contradictions > 0 %}bad{% endif %}">{{ super::plural_of(s.contradictions, "contradiction", "contradictions") }}</span><span>{{ s.duplicity|safe }} duplicity</span><span>{{ s.bluster|safe }} bluster</span><span>{{ s.consistent|safe }} consistent</span><span>{{ s.reciprocal|safe }} reciprocal</span><span>{{ s.neutral|safe }} neutral</span><span title="say-do consistency index, from -1 (every judged pair contradicts) to +1 (every one is consistent), weighted by severity">consistency index <b>{{ super::consistency(s.consistency) }}</b></span></p>
"##
)]
struct Summary<'a> {
    s: &'a ActorSummary,
}

/// The most severe contradiction on a timeline, in one sentence.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<p class="headline">Most severe, <span class="kind {{ kind }}">{{ kind }}</span> {{ super::f4(severity)|safe }}: {{ said_by }} said “{{ said }}” ({{ said_date }}, {{ said_chip|safe }}); {{ when }} {{ done_by }} did: “{{ done }}” ({{ done_date }}, {{ done_chip|safe }}).</p>
"##
)]
struct Headline<'a> {
    kind: &'static str,
    severity: f64,
    said_by: &'a str,
    said: String,
    said_date: String,
    said_chip: String,
    when: String,
    done_by: &'a str,
    done: String,
    done_date: String,
    done_chip: String,
}

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
    let _ = Heading {
        n,
        id: &actor.id,
        name: &actor.name,
        kind: actor.kind.as_str(),
        span,
    }
    .render_into(out);
    summary_line(out, summary);
    if sparse {
        let _ = SparseNote {
            all: t.records.len(),
            drawn: records.len(),
        }
        .render_into(out);
    }
    if pairs.len() < t.pairs.len() {
        let _ = LinksNote {
            all: t.pairs.len(),
            drawn: pairs.len(),
        }
        .render_into(out);
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
    let _ = Summary { s }.render_into(out);
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
    let _ = Headline {
        kind,
        severity: p.severity(),
        said_by: &data.actors[c.actor as usize].name,
        said: clip(&c.text, 100),
        said_date: c.date.to_string(),
        said_chip: score_chip(c.score),
        when,
        done_by: &data.actors[a.actor as usize].name,
        done: clip(&a.text, 100),
        done_date: a.date.to_string(),
        done_chip: score_chip(a.score),
    }
    .render_into(out);
}
