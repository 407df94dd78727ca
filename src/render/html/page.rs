//! The page's frame: its head (style sheet, Content Security Policy), the
//! header with the totals, settings, legend and the list of timelines, and
//! its foot (the script).

use super::color::color;
use super::svg::{BAR, DOT};
use super::timeline::{Timeline, summaries_by_actor};
use crate::render::common::totals;
use crate::render::common::{Counted, Totals, plural};
use crate::report::Report;
use askama::Template;

pub(super) const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// The page's head, with its style sheet, and the start of its body.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
{{ style|safe }}</style>
</head>
<body>
<main>
"##
)]
struct Head<'a> {
    title: &'a str,
    style: &'a str,
}

/// The end of the page, with its script.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"</main>
<script>
{{ script|safe }}</script>
</body>
</html>
"##
)]
struct Foot {
    script: &'static str,
}

pub(super) fn head(out: &mut String) {
    head_of(out, "saydo report", STYLE);
}

/// The head of a page titled `title` with the style sheet `style`, under
/// the same Content Security Policy as the report's: no request of any
/// kind, inline style and script only.
pub(super) fn head_of(out: &mut String, title: &str, style: &str) {
    let _ = Head { title, style }.render_into(out);
}

pub(super) fn foot(out: &mut String) {
    let _ = Foot { script: SCRIPT }.render_into(out);
}

/// A timeline in the header's list: its number, actor name and count of
/// contradictions.
struct NavItem<'a> {
    n: usize,
    name: &'a str,
    contradictions: u32,
}

/// The header: totals, settings, legend and the list of timelines.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<header>
<h1>saydo <span>what was said, against what was done</span></h1>
<p class="lede">{{ counted.claims }} and {{ counted.actions }} by {{ counted.actors }} → {{ counted.pairs }}: <b class="bad">{{ counted.contradictions }}</b> ({{ t.duplicity|safe }} duplicity, {{ t.bluster|safe }} bluster), {{ t.consistent|safe }} consistent, {{ t.reciprocal|safe }} reciprocal, {{ t.neutral|safe }} neutral.</p>
<div class="stats">{% for (n, label, class) in stats %}<div class="stat{{ class }}"><b>{{ n|safe }}</b><span>{{ label }}</span></div>{% endfor %}</div>
<p class="settings">Settings: an action is paired with a claim when it starts from {{ lookback }} before to {{ horizon }} after the claim · threshold {{ threshold|safe }} (smaller stances and effects take no side) · filters: {{ filters }} · saydo {{ version }}</p>
{{ legend|safe }}{% if !nav.is_empty() %}<nav><b>Timelines</b>{% for item in nav %} <a href="#t{{ item.n|safe }}">{{ item.name }}</a><span class="count{% if item.contradictions > 0 %} bad{% endif %}">{{ super::plural_of(item.contradictions, "contradiction", "contradictions") }}</span>{% endfor %} <a href="#actors">all actors</a></nav>
{% endif %}</header>
"##
)]
struct Header<'a> {
    counted: Counted,
    t: Totals,
    stats: [(usize, &'static str, &'static str); 7],
    lookback: String,
    horizon: String,
    threshold: f64,
    filters: String,
    version: &'static str,
    legend: String,
    nav: Vec<NavItem<'a>>,
}

pub(super) fn header(out: &mut String, report: &Report<'_>, timelines: &[Timeline]) {
    let data = report.data;
    let t = totals(report);
    let s = &report.settings;
    let counted = Counted::of(report, &t);
    let f = &report.filters;
    let mut filters: Vec<String> = Vec::new();
    if let Some(a) = f.actor {
        filters.push(format!("actor {}", data.actors[a as usize].id));
    }
    if let Some(t) = f.topic {
        filters.push(format!("topic {}", data.topics[t as usize]));
    }
    if let Some(d) = f.since {
        filters.push(format!("since {d}"));
    }
    if let Some(d) = f.until {
        filters.push(format!("until {d}"));
    }
    let summaries = summaries_by_actor(report);
    let nav = timelines
        .iter()
        .enumerate()
        .map(|(n, t)| NavItem {
            n,
            name: &data.actors[t.actor as usize].name,
            contradictions: summaries[t.actor as usize].map_or(0, |s| s.contradictions),
        })
        .collect();
    let mut legend_html = String::new();
    legend(&mut legend_html);
    let _ = Header {
        counted,
        t,
        stats: [
            (t.pairs, "pairs", ""),
            (t.contradictions, "contradictions", " bad"),
            (t.duplicity, "duplicity", " dup"),
            (t.bluster, "bluster", " blu"),
            (t.consistent, "consistent", ""),
            (t.reciprocal, "reciprocal", ""),
            (t.neutral, "neutral", ""),
        ],
        lookback: plural(s.lookback, "day", "days"),
        horizon: plural(s.horizon, "day", "days"),
        threshold: s.threshold,
        filters: if filters.is_empty() {
            "none".to_string()
        } else {
            filters.join(", ")
        },
        version: env!("CARGO_PKG_VERSION"),
        legend: legend_html,
        nav,
    }
    .render_into(out);
}

/// The legend: marks, colours and links, each drawn as on the timelines.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<div class="legend" aria-label="legend">
<div class="lg"><svg width="72" height="40" aria-hidden="true"><rect x="0" y="16" width="72" height="8" fill="#eeeef2"/><path class="k-dup" d="M16 10 C16 20 52 20 52 30" fill="none" stroke-width="3"/><rect class="shape" x="2" y="2" width="28" height="8" rx="2" fill="{{ warm }}"/><rect class="shape" x="44" y="30" width="16" height="8" rx="2" fill="{{ hostile }}"/></svg><span>words (claims) above the axis, deeds (actions) below;<br>a link joins words to a deed they are weighed against</span></div>
<div class="lg"><svg width="64" height="16" aria-hidden="true"><rect class="shape" x="1" y="3" width="62" height="{{ bar|safe }}" rx="2" fill="{{ warm }}"/></svg><span>a year or a month: a bar over all of it</span></div>
<div class="lg"><svg width="16" height="16" aria-hidden="true"><circle class="shape" cx="8" cy="8" r="{{ dot|safe }}" fill="{{ warm }}"/></svg><span>a day</span></div>
<div class="lg"><svg width="40" height="16" aria-hidden="true"><rect class="shape unsure" x="1" y="3" width="38" height="{{ bar|safe }}" rx="2" fill="{{ hostile }}"/></svg><span>dashed edge: deed only reported, alleged or disputed</span></div>
<div class="lg"><svg width="190" height="30" aria-hidden="true">{% for (x, fill) in ramp %}<rect x="{{ x|safe }}" y="0" width="9" height="12" fill="{{ fill }}"/>{% endfor %}<text x="0" y="26" class="tick">−10 hostile</text><text x="94" y="26" class="tick" text-anchor="middle">0</text><text x="189" y="26" class="tick" text-anchor="end">+10 warm</text></svg><span>stance of the words, effect of the deed</span></div>
{% for (class, width, what) in links %}<div class="lg"><svg width="44" height="16" aria-hidden="true"><path class="{{ class }}" d="M2 13 C 14 13, 30 3, 42 3" fill="none" stroke-width="{{ width }}"/></svg><span>{{ what|safe }}</span></div>
{% endfor %}<p class="hint">Hover a mark or a link for its id, date, score and text; click it to jump to its row below.</p>
</div>
"##
)]
struct Legend {
    warm: String,
    hostile: String,
    bar: f64,
    dot: f64,
    ramp: Vec<(usize, String)>,
    links: [(&'static str, &'static str, &'static str); 5],
}

/// The legend: marks, colours and links, each drawn as on the timelines.
fn legend(out: &mut String) {
    let _ = Legend {
        warm: color(6.0),
        hostile: color(-6.0),
        bar: BAR,
        dot: DOT,
        ramp: (-10..=10)
            .enumerate()
            .map(|(i, v)| (i * 9, color(f64::from(v))))
            .collect(),
        links: [
            (
                "k-dup",
                "3.5",
                "duplicity: warm words, hostile deed (thicker: more severe)",
            ),
            ("k-blu", "3.5", "bluster: hostile words, helpful deed"),
            (
                "k-rec",
                "1.6",
                "reciprocal: a hostile deed answering the target's",
            ),
            ("k-con", "1.1", "consistent"),
            ("k-neu", "0.8", "neutral"),
        ],
    }
    .render_into(out);
}
