//! The timeline chart, drawn as SVG: records as marks in lanes above
//! (words) and below (deeds) a time axis, and a link for each pair.

use super::marks::{link, mark};
use super::timeline::{Rec, Timeline};
use super::{WIDE_ABOVE, score_text};
use crate::date::{Day, Precision};
use crate::engine::score::Verdict;
use crate::model::Record;
use crate::render::common::clip;
use crate::report::Report;
use askama::Template;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

/// The chart's notes, its start, the axis band and the side labels.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"{% if let Some((records, w)) = wide %}<p class="note">{{ records|safe }} records: the timeline is drawn {{ super::f0(w)|safe }} px wide; scroll sideways to see all of it.</p>
{% endif %}{% if overlapping > 0 %}<p class="note">{{ overlapping|safe }} marks overlap others: more than {{ max_lanes|safe }} would stack at one time.</p>
{% endif %}<div class="scroll"><svg class="tl" width="{{ super::f0(width)|safe }}" height="{{ super::f0(height)|safe }}" viewBox="0 0 {{ super::f0(width)|safe }} {{ super::f0(height)|safe }}" role="img" aria-label="Timeline of {{ name }}: claims above the axis, actions below">
{{ axis|safe }}<text class="side" x="6" y="{{ super::f1(said_y)|safe }}">SAID ↑</text><text class="side" x="6" y="{{ super::f1(done_y)|safe }}">DONE ↓</text>
{% for (x, y, what) in empty %}<text class="empty" x="{{ super::f1(x)|safe }}" y="{{ super::f1(y)|safe }}">{{ what }}</text>
{% endfor %}"##
)]
struct SvgHead<'a> {
    wide: Option<(usize, f64)>,
    overlapping: usize,
    max_lanes: usize,
    width: f64,
    height: f64,
    name: &'a str,
    axis: String,
    said_y: f64,
    done_y: f64,
    empty: Vec<(f64, f64, &'static str)>,
}

/// The axis band's start.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<g class="axis"><rect x="{{ super::f1(x)|safe }}" y="{{ super::f1(y)|safe }}" width="{{ super::f1(width)|safe }}" height="{{ height|safe }}"/>
"##
)]
struct AxisBand {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// A faint line at the start of a year.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<line class="grid" x1="{{ super::f1(x)|safe }}" y1="0" x2="{{ super::f1(x)|safe }}" y2="{{ super::f1(height)|safe }}"/>
"##
)]
struct GridLine {
    x: f64,
    height: f64,
}

/// A year on the axis.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<text class="yr" x="{{ super::f1(x)|safe }}" y="{{ super::f1(y)|safe }}">{{ year|safe }}</text>
"##
)]
struct YearLabel {
    x: f64,
    y: f64,
    year: i32,
}

/// A tick at the start of a month.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<line class="mo" x1="{{ super::f1(x)|safe }}" y1="{{ super::f1(y1)|safe }}" x2="{{ super::f1(x)|safe }}" y2="{{ super::f1(y2)|safe }}"/>
"##
)]
struct MonthTick {
    x: f64,
    y1: f64,
    y2: f64,
}

/// Marks carry a text label while a timeline draws at most this many.
const LABELS_UP_TO: usize = 60;
/// Most lanes stacked on each side of the axis; further marks overlap.
const MAX_LANES: usize = 40;
/// Width of a timeline's SVG at up to [`WIDE_ABOVE`] records, in pixels.
const BASE_WIDTH: f64 = 1320.0;
/// Widest SVG drawn, in pixels.
const MAX_WIDTH: f64 = 30_000.0;
/// Left margin (room for "SAID" and "DONE") and right margin.
const MARGIN_LEFT: f64 = 58.0;
const MARGIN_RIGHT: f64 = 14.0;
/// Height of a bar, radius of a point.
pub(super) const BAR: f64 = 14.0;
pub(super) const DOT: f64 = 7.0;
/// Horizontal room kept free between two marks in one lane.
const LANE_GAP: f64 = 8.0;
/// Height of the axis band holding the year labels.
const AXIS: f64 = 24.0;
/// Room between the axis band and the first lane on either side.
const AXIS_GAP: f64 = 26.0;
/// Label font size and the width of one column of text at that size.
pub(super) const LABEL_PX: f64 = 12.0;
const CHAR_PX: f64 = 6.9;
/// Characters of text in a mark's label.
const LABEL_CHARS: usize = 44;

/// A mark's place on the timeline.
pub(super) struct Mark {
    pub(super) rec: Rec,
    /// Left and right edge of the shape.
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) point: bool,
    pub(super) label: Option<String>,
    /// Left edge of the label.
    pub(super) label_x: f64,
    lane: usize,
}

impl Mark {
    fn left(&self) -> f64 {
        match &self.label {
            Some(_) => self.x0.min(self.label_x),
            None => self.x0,
        }
    }
    fn right(&self) -> f64 {
        match &self.label {
            Some(l) => self.x1.max(self.label_x + label_width(l)),
            None => self.x1,
        }
    }
    pub(super) fn center(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
}

fn label_width(label: &str) -> f64 {
    UnicodeWidthStr::width(label) as f64 * CHAR_PX
}

/// Days on the x axis: from 1 January of the first year to 1 January after
/// the last.
struct Scale {
    first: Day,
    end: Day,
    left: f64,
    width: f64,
}

impl Scale {
    fn x(&self, day: Day) -> f64 {
        self.left
            + f64::from(day - self.first) / f64::from((self.end - self.first).max(1)) * self.width
    }
}

pub(super) fn year_of(day: Day) -> i32 {
    NaiveDate::from_num_days_from_ce_opt(day).map_or(1, |d| d.year())
}

fn jan_first(year: i32) -> Day {
    NaiveDate::from_ymd_opt(year, 1, 1).map_or(Day::MAX, |d| d.num_days_from_ce())
}

fn month_first(year: i32, month: u32) -> Day {
    NaiveDate::from_ymd_opt(year, month, 1).map_or(Day::MAX, |d| d.num_days_from_ce())
}

/// Puts marks in lanes, first fit in order of their left edge; returns the
/// number of lanes and of marks that had to overlap another.
fn pack(marks: &mut [Mark], order: &[usize]) -> (usize, usize) {
    let mut ends: Vec<f64> = Vec::new();
    let mut overlapping = 0;
    for &i in order {
        let (left, right) = (marks[i].left(), marks[i].right());
        let lane = match ends.iter().position(|&e| e + LANE_GAP <= left) {
            Some(l) => l,
            None if ends.len() < MAX_LANES => {
                ends.push(f64::NEG_INFINITY);
                ends.len() - 1
            }
            None => {
                overlapping += 1;
                ends.iter()
                    .enumerate()
                    .min_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |(l, _)| l)
            }
        };
        ends[lane] = ends[lane].max(right);
        marks[i].lane = lane;
    }
    (ends.len().max(1), overlapping)
}

/// The record's text in a label, with its score.
fn label_text(r: &Record) -> String {
    format!("{} {}", score_text(r.score), clip(&r.text, LABEL_CHARS))
}

/// The timeline's SVG.
pub(super) fn svg(
    out: &mut String,
    report: &Report<'_>,
    t: &Timeline,
    n: usize,
    records: &[Rec],
    pairs: &[usize],
) {
    let data = report.data;
    if records.is_empty() {
        return;
    }
    let width = (BASE_WIDTH * (records.len() as f64 / WIDE_ABOVE as f64).max(1.0)).min(MAX_WIDTH);
    let first = records
        .iter()
        .map(|r| r.record(data).date.first)
        .min()
        .unwrap_or(0);
    let last = records
        .iter()
        .map(|r| r.record(data).date.last)
        .max()
        .unwrap_or(0);
    let (y0, y1) = (year_of(first), year_of(last));
    let scale = Scale {
        first: jan_first(y0),
        end: jan_first(y1 + 1),
        left: MARGIN_LEFT,
        width: width - MARGIN_LEFT - MARGIN_RIGHT,
    };
    let labels = records.len() <= LABELS_UP_TO;
    let right_edge = width - MARGIN_RIGHT;
    let mut marks: Vec<Mark> = records
        .iter()
        .map(|&rec| {
            let r = rec.record(data);
            let point = r.date.precision == Precision::Day;
            let (mut x0, mut x1) = (scale.x(r.date.first), scale.x(r.date.last + 1));
            if point {
                let c = (x0 + x1) / 2.0;
                (x0, x1) = (c - DOT, c + DOT);
            } else if x1 - x0 < 4.0 {
                let c = (x0 + x1) / 2.0;
                (x0, x1) = (c - 2.0, c + 2.0);
            }
            let label = labels.then(|| label_text(r));
            let label_x = label
                .as_ref()
                .map_or(x0, |l| x0.min(right_edge - label_width(l)).max(0.0));
            Mark {
                rec,
                x0,
                x1,
                point,
                label,
                label_x,
                lane: 0,
            }
        })
        .collect();
    // Marks that start together go nearest the axis when they take part
    // in more contradictions, then in more pairs: their links cross less.
    let mut weight: HashMap<Rec, (u32, u32)> = HashMap::new();
    for &i in pairs {
        let p = &report.pairs[i];
        let c = u32::from(p.verdict.is_contradiction());
        for rec in [Rec::Claim(p.claim), Rec::Action(p.action)] {
            let w = weight.entry(rec).or_default();
            w.0 += c;
            w.1 += 1;
        }
    }
    let order_of = |claims: bool, marks: &[Mark]| {
        let mut order: Vec<usize> = (0..marks.len())
            .filter(|&i| marks[i].rec.is_claim() == claims)
            .collect();
        let key = |i: usize| {
            let (c, p) = weight.get(&marks[i].rec).copied().unwrap_or_default();
            (
                std::cmp::Reverse(c),
                std::cmp::Reverse(p),
                &marks[i].rec.record(data).id,
            )
        };
        order.sort_by(|&a, &b| {
            marks[a]
                .left()
                .total_cmp(&marks[b].left())
                .then_with(|| key(a).cmp(&key(b)))
        });
        order
    };
    let claim_order = order_of(true, &marks);
    let action_order = order_of(false, &marks);
    let (claim_lanes, over_c) = pack(&mut marks, &claim_order);
    let (action_lanes, over_a) = pack(&mut marks, &action_order);
    let lane_h = if labels { BAR + 20.0 } else { BAR + 3.0 };
    let top = if labels { 22.0 } else { 8.0 };
    let axis_top = top + claim_lanes as f64 * lane_h + AXIS_GAP;
    let axis_bottom = axis_top + AXIS;
    let height =
        axis_bottom + AXIS_GAP + action_lanes as f64 * lane_h + if labels { 14.0 } else { 8.0 };
    // Top edge of a mark's bar.
    let bar_top = |m: &Mark| {
        if m.rec.is_claim() {
            axis_top - AXIS_GAP - m.lane as f64 * lane_h - BAR
        } else {
            axis_bottom + AXIS_GAP + m.lane as f64 * lane_h
        }
    };

    let actor = &data.actors[t.actor as usize];
    let (axis_back, axis_labels) = axis(&scale, axis_top, height);
    let mut empty = Vec::new();
    for (none, what, y) in [
        (
            claim_order.is_empty(),
            "nothing said",
            axis_top - AXIS_GAP - 2.0,
        ),
        (
            action_order.is_empty(),
            "nothing done",
            axis_bottom + AXIS_GAP + BAR,
        ),
    ] {
        if none {
            empty.push((MARGIN_LEFT + 8.0, y, what));
        }
    }
    let _ = SvgHead {
        wide: (records.len() > WIDE_ABOVE).then_some((records.len(), width)),
        overlapping: over_c + over_a,
        max_lanes: MAX_LANES,
        width,
        height,
        name: &actor.name,
        axis: axis_back,
        said_y: axis_top - AXIS_GAP - BAR / 2.0 + 4.0,
        done_y: axis_bottom + AXIS_GAP + BAR / 2.0 + 4.0,
        empty,
    }
    .render_into(out);

    // Links under the marks: quiet ones first, contradictions on top.
    let index: HashMap<Rec, usize> = marks.iter().enumerate().map(|(i, m)| (m.rec, i)).collect();
    let mut drawn: Vec<usize> = pairs.to_vec();
    drawn.sort_by_key(|&i| match report.pairs[i].verdict {
        Verdict::Neutral => 0,
        Verdict::Consistent => 1,
        Verdict::Reciprocal => 2,
        Verdict::Contradiction(_) => 3,
    });
    out.push_str("<g class=\"layer-links\">\n");
    for i in drawn {
        let p = &report.pairs[i];
        let (Some(&c), Some(&a)) = (
            index.get(&Rec::Claim(p.claim)),
            index.get(&Rec::Action(p.action)),
        ) else {
            continue;
        };
        let (cm, am) = (&marks[c], &marks[a]);
        let (xc, yc) = (cm.center(), bar_top(cm) + BAR);
        let (xa, ya) = (am.center(), bar_top(am));
        let ym = (yc + ya) / 2.0;
        link(out, report, i, n, xc, yc, xa, ym, ya);
    }
    out.push_str("</g>\n");
    out.push_str(&axis_labels);
    out.push_str("<g class=\"layer-marks\">\n");
    for m in &marks {
        mark(out, data, m, bar_top(m), n);
    }
    out.push_str("</g>\n</svg></div>\n");
}

/// The axis band and faint lines at each year (`back`, drawn under
/// everything), and the year labels (`labels`, drawn over the links).
fn axis(scale: &Scale, axis_top: f64, height: f64) -> (String, String) {
    let (mut back, mut labels) = (String::new(), String::new());
    let (y0, y1) = (year_of(scale.first), year_of(scale.end - 1));
    let years = (y1 - y0 + 1).max(1);
    let per_year = scale.width / f64::from(years);
    let _ = AxisBand {
        x: scale.left,
        y: axis_top,
        width: scale.width,
        height: AXIS,
    }
    .render_into(&mut back);
    // Labels every `step` years, so that labels keep about 44 px apart.
    let step = [
        1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000,
    ]
    .into_iter()
    .find(|&s| f64::from(s) * per_year >= 44.0)
    .unwrap_or(10_000);
    let text_y = axis_top + AXIS / 2.0 + 4.5;
    // Lines: every year while a year has 3 px, else every step.
    let line_every = if per_year >= 3.0 { 1 } else { step };
    for y in y0..=y1 + 1 {
        if y % line_every != 0 && y != y0 && y != y1 + 1 {
            continue;
        }
        let x = scale.x(jan_first(y));
        let _ = GridLine { x, height }.render_into(&mut back);
        if step > 1 && y % step == 0 {
            let _ = YearLabel {
                x,
                y: text_y,
                year: y,
            }
            .render_into(&mut labels);
        }
    }
    if step == 1 {
        for y in y0..=y1 {
            let x = (scale.x(jan_first(y)) + scale.x(jan_first(y + 1))) / 2.0;
            let _ = YearLabel {
                x,
                y: text_y,
                year: y,
            }
            .render_into(&mut labels);
        }
    }
    // Month ticks when a month has room.
    if per_year >= 120.0 {
        for y in y0..=y1 {
            for m in 2..=12 {
                let x = scale.x(month_first(y, m));
                let _ = MonthTick {
                    x,
                    y1: axis_top + AXIS - 4.0,
                    y2: axis_top + AXIS,
                }
                .render_into(&mut back);
            }
        }
    }
    back.push_str("</g>\n");
    (back, labels)
}
