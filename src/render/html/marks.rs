//! One record's mark on a timeline and one pair's link between two marks,
//! each a link to its row in the tables below the chart.

use super::color::color;
use super::svg::{BAR, DOT, LABEL_PX, Mark};
use crate::date::{Precision, format_day};
use crate::engine::reasons::{self, timing_text};
use crate::engine::score::Kind;
use crate::model::{Attribution, Dataset, Record};
use crate::report::Report;
use askama::Template;

/// A record's mark, with its tooltip and label.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<a class="mark {{ noun }}" data-id="{{ r.id }}" href="#t{{ n|safe }}-r-{{ r.id }}"{% if !is_claim %} data-attribution="{{ r.attribution.as_str() }}"{% endif %}><title>{{ noun }} {{ r.id }}
{{ date }} · {% if is_claim %}stance{% else %}effect{% endif %} {{ super::signed(r.score)|safe }} · by {{ actor_name }} ({{ actor_id }}){% if !is_claim %} · {{ r.attribution.as_str() }}{% endif %}{% if let Some(about) = r.about.as_str() %} · about the {{ about }}{% endif %}
{{ r.text }}</title>{% if point %}<circle class="{{ class }}" cx="{{ super::f1(cx)|safe }}" cy="{{ super::f1(cy)|safe }}" r="{{ dot|safe }}" fill="{{ fill }}"/>{% else %}<rect class="{{ class }}" x="{{ super::f1(x0)|safe }}" y="{{ super::f1(top)|safe }}" width="{{ super::f1(w)|safe }}" height="{{ bar|safe }}" rx="2" fill="{{ fill }}"/>{% endif %}{% if let Some(label) = label %}<text class="lbl" x="{{ super::f1(label_x)|safe }}" y="{{ super::f1(label_y)|safe }}">{{ label }}</text>{% endif %}</a>
"##
)]
struct MarkTag<'a> {
    n: usize,
    r: &'a Record,
    noun: &'static str,
    is_claim: bool,
    date: String,
    actor_name: &'a str,
    actor_id: &'a str,
    class: &'static str,
    fill: String,
    point: bool,
    cx: f64,
    cy: f64,
    dot: f64,
    x0: f64,
    top: f64,
    w: f64,
    bar: f64,
    label: Option<&'a str>,
    label_x: f64,
    label_y: f64,
}

/// A pair's link, with its tooltip.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<a href="#t{{ n|safe }}-{% if contradiction %}flag{% else %}pair{% endif %}-{{ i|safe }}"><path class="link {{ verdict }}{% if !kind.is_empty() %} {{ kind }}{% endif %}{% if known %} known{% endif %}" data-claim="{{ claim.id }}" data-action="{{ action.id }}" d="M{{ super::f1(xc)|safe }} {{ super::f1(yc)|safe }} C{{ super::f1(xc)|safe }} {{ super::f1(ym)|safe }} {{ super::f1(xa)|safe }} {{ super::f1(ym)|safe }} {{ super::f1(xa)|safe }} {{ super::f1(ya)|safe }}"{% if contradiction %} stroke-width="{{ super::f2(stroke)|safe }}"{% endif %}><title>{{ verdict }}{% if !kind.is_empty() %} ({{ kind }}){% endif %}, severity {{ super::f4(severity)|safe }}
said {{ claim.id }} ({{ claim.date }}, stance {{ super::signed(claim.score)|safe }}) → done {{ action.id }} ({{ action.date }}, effect {{ super::signed(action.score)|safe }})
{{ when }}</title></path></a>
"##
)]
struct LinkTag<'a> {
    n: usize,
    i: usize,
    contradiction: bool,
    verdict: &'static str,
    kind: &'static str,
    known: bool,
    claim: &'a Record,
    action: &'a Record,
    xc: f64,
    yc: f64,
    xa: f64,
    ym: f64,
    ya: f64,
    stroke: f64,
    severity: f64,
    when: String,
}

/// What a record's date stands for, for tooltips: `2021-08 (2021-08-01 to 2021-08-31)`.
fn date_text(r: &Record) -> String {
    if r.date.precision == Precision::Day {
        r.date.to_string()
    } else {
        format!(
            "{} ({} to {})",
            r.date,
            format_day(r.date.first),
            format_day(r.date.last)
        )
    }
}

pub(super) fn mark(out: &mut String, data: &Dataset, m: &Mark, top: f64, n: usize) {
    let r = m.rec.record(data);
    let actor = &data.actors[r.actor as usize];
    let unsure = !m.rec.is_claim() && r.attribution != Attribution::Confirmed;
    let _ = MarkTag {
        n,
        r,
        noun: m.rec.noun(),
        is_claim: m.rec.is_claim(),
        date: date_text(r),
        actor_name: &actor.name,
        actor_id: &actor.id,
        class: if unsure { "shape unsure" } else { "shape" },
        fill: color(r.score),
        point: m.point,
        cx: m.center(),
        cy: top + BAR / 2.0,
        dot: DOT,
        x0: m.x0,
        top,
        w: m.x1 - m.x0,
        bar: BAR,
        label: m.label.as_deref(),
        label_x: m.label_x,
        label_y: if m.rec.is_claim() {
            top - 4.0
        } else {
            top + BAR + LABEL_PX + 1.0
        },
    }
    .render_into(out);
}

#[allow(clippy::too_many_arguments)]
pub(super) fn link(
    out: &mut String,
    report: &Report<'_>,
    i: usize,
    n: usize,
    xc: f64,
    yc: f64,
    xa: f64,
    ym: f64,
    ya: f64,
) {
    let data = report.data;
    let p = &report.pairs[i];
    let (claim, action) = (
        &data.claims[p.claim as usize],
        &data.actions[p.action as usize],
    );
    let why = reasons::of(report, p);
    let _ = LinkTag {
        n,
        i,
        contradiction: p.verdict.is_contradiction(),
        verdict: p.verdict.as_str(),
        kind: p.verdict.kind().map_or("", Kind::as_str),
        known: report.is_known(i),
        claim,
        action,
        xc,
        yc,
        xa,
        ym,
        ya,
        stroke: 2.0 + 4.0 * p.severity(),
        severity: p.severity(),
        when: timing_text(why.gap_days, why.order),
    }
    .render_into(out);
}
