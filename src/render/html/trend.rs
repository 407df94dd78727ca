//! The trend as one HTML page (`saydo trend --format html`): a chart per
//! actor → target series, words against deeds period by period.
//!
//! A table of cells says where words and deeds parted most; whether they
//! drifted apart, or came back together, is a question a line answers at a
//! glance. Each series with words and deeds gets a chart: the mean stance
//! of its words per period as one line, the mean effect of its deeds as
//! another, on the −10..+10 scale of the data, with a band over every
//! period whose two means contradict (duplicity or bluster). Under each
//! chart, its cells as the table prints them.
//!
//! The page shares the check report's frame: its head (Content Security
//! Policy forbidding every request), its style sheet and colours, and its
//! escaper (`escape::HtmlEscaper`, through askama), so that no string from
//! the data is printed unescaped. It needs no script. The bytes depend on
//! the trend alone.

use super::page::{STYLE, head_of};
use crate::model::ActorIx;
use crate::render::common::plural;
use crate::render::trend::{LEGEND, Shown, headline, shown};
use crate::report::trend::{Cell, Trend};
use askama::Template;
use std::io::{self, Write};

/// What the trend's page adds to the report's style sheet.
const TREND_STYLE: &str = include_str!("trend.css");

/// Width of a chart when its periods fit, in pixels.
const BASE_WIDTH: f64 = 960.0;
/// Least room per period; more periods make the chart wider (it scrolls).
const MIN_STEP: f64 = 60.0;
/// Room left of the plot (the y labels), right of it, above and below it
/// (the period labels).
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 30.0;
/// Height of the plot, from +10 down to −10.
const PLOT: f64 = 220.0;

/// One actor → target series that has words and deeds: its cells in time
/// order, and what ranks it.
struct Dyad<'t> {
    actor: ActorIx,
    target: Option<ActorIx>,
    cells: Vec<&'t Cell>,
    contradictions: u64,
    largest_gap: f64,
}

/// The series with words and deeds, most contradicted first, then largest
/// |gap|, then by actor and target id (the order of the trend's cells).
fn dyads<'t>(trend: &'t Trend<'_>) -> Vec<Dyad<'t>> {
    let mut all: Vec<Dyad<'t>> = Vec::new();
    for cell in &trend.cells {
        match all.last_mut() {
            Some(d) if d.actor == cell.actor && d.target == cell.target => d.cells.push(cell),
            _ => all.push(Dyad {
                actor: cell.actor,
                target: cell.target,
                cells: vec![cell],
                contradictions: 0,
                largest_gap: 0.0,
            }),
        }
    }
    all.retain(|d| d.cells.iter().any(|c| c.claims > 0) && d.cells.iter().any(|c| c.actions > 0));
    for d in &mut all {
        d.contradictions = d.cells.iter().map(|c| u64::from(c.contradictions())).sum();
        d.largest_gap = d
            .cells
            .iter()
            .filter_map(|c| c.gap())
            .map(f64::abs)
            .fold(0.0, f64::max);
    }
    // Stable: ties keep the order of the cells, by actor and target id.
    all.sort_by(|a, b| {
        b.contradictions
            .cmp(&a.contradictions)
            .then(b.largest_gap.total_cmp(&a.largest_gap))
    });
    all
}

/// The page's header: title, headline and legend.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<header>
<h1>saydo trend <span>words against deeds over time</span></h1>
<p class="lede">{{ headline }}</p>
<div class="legend" aria-label="legend">
<div class="lg"><svg width="40" height="16" aria-hidden="true"><path class="ln w" d="M2 8 H38"/><circle class="pt w" cx="20" cy="8" r="4"/></svg><span>words: mean stance of the claims in a period</span></div>
<div class="lg"><svg width="40" height="16" aria-hidden="true"><path class="ln d" d="M2 8 H38"/><rect class="pt d" x="16" y="4" width="8" height="8"/></svg><span>deeds: mean effect of the actions in a period</span></div>
<div class="lg"><svg width="24" height="16" aria-hidden="true"><rect class="band duplicity" x="0" y="0" width="24" height="16"/></svg><span>duplicity: warm words, hostile deeds</span></div>
<div class="lg"><svg width="24" height="16" aria-hidden="true"><rect class="band bluster" x="0" y="0" width="24" height="16"/></svg><span>bluster: hostile words, helpful deeds</span></div>
<p class="hint">Across: the periods with a record, in time order; up: −10 hostile to +10 warm. Hover a point or a band for its values. Under each chart: {{ legend }}.</p>
</div>
{% if dyads == 0 %}<p class="none">None: no actor has both words and deeds towards one target.</p>
{% endif %}{% if more > 0 %}<p class="note">{{ shown|safe }} of {{ dyads|safe }} actor → target series are drawn, the most contradicted first; use <code>--limit 0</code> for all, or <code>--format json</code>.</p>
{% endif %}</header>
"##
)]
struct Header {
    headline: String,
    legend: &'static str,
    dyads: usize,
    shown: usize,
    more: usize,
}

/// A point of a line, with its tooltip.
struct Point {
    x: f64,
    y: f64,
    title: String,
}

/// A band over a period whose means contradict.
struct Band {
    x: f64,
    kind: &'static str,
    title: String,
}

/// One series' section: heading, chart and table.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<section class="trend" id="d{{ n|safe }}">
<h2>{{ actor_name }} <code>{{ actor_id }}</code> → {{ target_name }}{% if let Some(id) = target_id %} <code>{{ id }}</code>{% endif %}</h2>
<p class="summary"><span>{{ claims }}</span><span>{{ actions }}</span><span>{{ pairs }}</span><span{% if contradictions > 0 %} class="bad"{% endif %}>{{ contradicting }}</span></p>
<div class="scroll"><svg class="tr" width="{{ super::f0(width)|safe }}" height="{{ super::f0(height)|safe }}" viewBox="0 0 {{ super::f0(width)|safe }} {{ super::f0(height)|safe }}" role="img" aria-label="Words and deeds of {{ actor_name }} towards {{ target_name }}, by {{ by }}">
{% for b in bands %}<rect class="band {{ b.kind }}" x="{{ super::f1(b.x)|safe }}" y="{{ super::f1(top)|safe }}" width="{{ super::f1(step)|safe }}" height="{{ super::f1(plot)|safe }}"><title>{{ b.title }}</title></rect>
{% endfor %}{% for (y, label, zero) in grid %}<line class="{% if zero %}zero{% else %}grid{% endif %}" x1="{{ super::f1(left)|safe }}" y1="{{ super::f1(y)|safe }}" x2="{{ super::f1(right)|safe }}" y2="{{ super::f1(y)|safe }}"/><text class="tick" x="{{ super::f1(&(left - 6.0))|safe }}" y="{{ super::f1(&(y + 3.5))|safe }}" text-anchor="end">{{ label }}</text>
{% endfor %}{% for (x, label) in periods %}<text class="tick" x="{{ super::f1(x)|safe }}" y="{{ super::f1(label_y)|safe }}" text-anchor="middle">{{ label }}</text>
{% endfor %}<path class="ln w" d="{{ words_path|safe }}"/>
<path class="ln d" d="{{ deeds_path|safe }}"/>
{% for p in words %}<circle class="pt w" cx="{{ super::f1(p.x)|safe }}" cy="{{ super::f1(p.y)|safe }}" r="4"><title>{{ p.title }}</title></circle>
{% endfor %}{% for p in deeds %}<rect class="pt d" x="{{ super::f1(&(p.x - 4.0))|safe }}" y="{{ super::f1(&(p.y - 4.0))|safe }}" width="8" height="8"><title>{{ p.title }}</title></rect>
{% endfor %}</svg></div>
<table class="points">
<thead><tr><th>period</th><th>words</th><th>deeds</th><th>gap</th><th>verdict</th><th>contra</th><th>say-do</th></tr></thead>
<tbody>
{% for s in rows %}<tr><td>{{ s.period }}</td><td>{{ s.words }}</td><td>{{ s.deeds }}</td><td>{{ s.gap }}</td><td>{% if !s.verdict.is_empty() %}<span class="kind {{ s.verdict }}">{{ s.verdict }}</span>{% endif %}</td><td>{{ s.contradictions }}</td><td>{{ s.say_do }}</td></tr>
{% endfor %}</tbody>
</table>
</section>
"##
)]
struct Section<'a> {
    n: usize,
    actor_name: &'a str,
    actor_id: &'a str,
    target_name: &'a str,
    target_id: Option<&'a str>,
    by: &'static str,
    claims: String,
    actions: String,
    pairs: String,
    contradictions: u64,
    contradicting: String,
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    plot: f64,
    step: f64,
    label_y: f64,
    bands: Vec<Band>,
    grid: Vec<(f64, &'static str, bool)>,
    periods: Vec<(f64, String)>,
    words_path: String,
    deeds_path: String,
    words: Vec<Point>,
    deeds: Vec<Point>,
    rows: Vec<Shown>,
}

/// The y of a score: +10 at the top of the plot, −10 at its foot.
fn y_of(score: f64) -> f64 {
    let s = if score.is_finite() {
        score.clamp(-10.0, 10.0)
    } else {
        0.0
    };
    TOP + (10.0 - s) / 20.0 * PLOT
}

/// A line through `points`, as SVG path data (numbers only).
fn path(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        let op = if i == 0 { 'M' } else { 'L' };
        d.push_str(&format!("{op}{:.1} {:.1}", p.x, p.y));
    }
    d
}

fn section(out: &mut String, trend: &Trend<'_>, dyad: &Dyad<'_>, n: usize) {
    let data = trend.data;
    let actor = &data.actors[dyad.actor as usize];
    let target = dyad.target.map(|t| &data.actors[t as usize]);
    let count = dyad.cells.len().max(1);
    let step = ((BASE_WIDTH - LEFT - RIGHT) / count as f64).max(MIN_STEP);
    let width = LEFT + RIGHT + step * count as f64;
    let x_of = |i: usize| LEFT + step * (i as f64 + 0.5);
    let (mut words, mut deeds, mut bands, mut periods) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut claims, mut actions, mut pairs) = (0u32, 0u32, 0u32);
    for (i, cell) in dyad.cells.iter().enumerate() {
        let label = trend.label(cell.period);
        let x = x_of(i);
        claims = claims.saturating_add(cell.claims);
        actions = actions.saturating_add(cell.actions);
        pairs = pairs.saturating_add(cell.pairs());
        if let Some(stance) = cell.stance() {
            words.push(Point {
                x,
                y: y_of(stance),
                title: format!(
                    "{label} words: {}, mean stance {stance:+.1}",
                    plural(cell.claims, "claim", "claims")
                ),
            });
        }
        if let Some(effect) = cell.effect() {
            deeds.push(Point {
                x,
                y: y_of(effect),
                title: format!(
                    "{label} deeds: {}, mean effect {effect:+.1}",
                    plural(cell.actions, "action", "actions")
                ),
            });
        }
        let kind = cell
            .verdict(trend.settings.threshold)
            .and_then(|v| v.kind())
            .map(|k| k.as_str());
        if let (Some(kind), Some(stance), Some(effect)) = (kind, cell.stance(), cell.effect()) {
            bands.push(Band {
                x: x - step / 2.0,
                kind,
                title: format!(
                    "{label}: {kind}: words {stance:+.1}, deeds {effect:+.1}; {} of {} contradict",
                    cell.contradictions(),
                    plural(cell.pairs(), "pair", "pairs")
                ),
            });
        }
        periods.push((x, label));
    }
    let grid = [
        (10.0, "+10", false),
        (5.0, "+5", false),
        (0.0, "0", true),
        (-5.0, "−5", false),
        (-10.0, "−10", false),
    ]
    .into_iter()
    .map(|(v, label, zero)| (y_of(v), label, zero))
    .collect();
    let contradictions = dyad.contradictions;
    let _ = Section {
        n,
        actor_name: &actor.name,
        actor_id: &actor.id,
        target_name: target.map_or("(no target)", |t| t.name.as_str()),
        target_id: target.map(|t| t.id.as_str()),
        by: trend.by.as_str(),
        claims: plural(claims, "claim", "claims"),
        actions: plural(actions, "action", "actions"),
        pairs: plural(pairs, "pair", "pairs"),
        contradictions,
        contradicting: plural(contradictions, "contradiction", "contradictions"),
        width,
        height: TOP + PLOT + BOTTOM,
        left: LEFT,
        right: width - RIGHT,
        top: TOP,
        plot: PLOT,
        step,
        label_y: TOP + PLOT + 18.0,
        bands,
        grid,
        periods,
        words_path: path(&words),
        deeds_path: path(&deeds),
        words,
        deeds,
        rows: dyad.cells.iter().map(|c| shown(trend, c)).collect(),
    }
    .render_into(out);
}

/// Writes the trend as one HTML page: a chart per actor → target series
/// with words and deeds, at most `limit` of them (0: all).
pub(crate) fn write(trend: &Trend<'_>, limit: usize, out: &mut dyn Write) -> io::Result<()> {
    let dyads = dyads(trend);
    let shown_n = if limit == 0 {
        dyads.len()
    } else {
        limit.min(dyads.len())
    };
    let mut page = String::with_capacity(32 * 1024);
    head_of(&mut page, "saydo trend", &format!("{STYLE}{TREND_STYLE}"));
    let _ = Header {
        headline: headline(trend),
        legend: LEGEND,
        dyads: dyads.len(),
        shown: shown_n,
        more: dyads.len() - shown_n,
    }
    .render_into(&mut page);
    out.write_all(page.as_bytes())?;
    for (n, dyad) in dyads[..shown_n].iter().enumerate() {
        page.clear();
        section(&mut page, trend, dyad, n);
        out.write_all(page.as_bytes())?;
    }
    out.write_all(b"</main>\n</body>\n</html>\n")
}
