//! The timeline chart, drawn as SVG: records as marks in lanes above
//! (words) and below (deeds) a time axis, and a link for each pair.

use super::color::color;
use super::timeline::{Rec, Timeline};
use super::{WIDE_ABOVE, score_text};
use crate::date::{Day, Precision, format_day};
use crate::engine::reasons::{self, timing_text};
use crate::engine::score::{Kind, Verdict};
use crate::model::{Attribution, Dataset, Record};
use crate::render::common::clip;
use crate::render::escape::Html;
use crate::report::Report;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

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
const LABEL_PX: f64 = 12.0;
const CHAR_PX: f64 = 6.9;
/// Characters of text in a mark's label.
const LABEL_CHARS: usize = 44;

/// A mark's place on the timeline.
struct Mark {
    rec: Rec,
    /// Left and right edge of the shape.
    x0: f64,
    x1: f64,
    point: bool,
    label: Option<String>,
    /// Left edge of the label.
    label_x: f64,
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
    fn center(&self) -> f64 {
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
    if records.len() > WIDE_ABOVE {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} records: the timeline is drawn {:.0} px wide; scroll sideways to see all of it.</p>",
            records.len(),
            width
        );
    }
    if over_c + over_a > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} marks overlap others: more than {MAX_LANES} would stack at one time.</p>",
            over_c + over_a
        );
    }
    let _ = writeln!(
        out,
        "<div class=\"scroll\"><svg class=\"tl\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"Timeline of {}: claims above the axis, actions below\">",
        Html(&actor.name)
    );
    let (axis_back, axis_labels) = axis(&scale, axis_top, height);
    out.push_str(&axis_back);
    let _ = writeln!(
        out,
        "<text class=\"side\" x=\"6\" y=\"{:.1}\">SAID ↑</text><text class=\"side\" x=\"6\" y=\"{:.1}\">DONE ↓</text>",
        axis_top - AXIS_GAP - BAR / 2.0 + 4.0,
        axis_bottom + AXIS_GAP + BAR / 2.0 + 4.0
    );

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
            let _ = writeln!(
                out,
                "<text class=\"empty\" x=\"{:.1}\" y=\"{y:.1}\">{what}</text>",
                MARGIN_LEFT + 8.0
            );
        }
    }

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
    let _ = writeln!(
        back,
        "<g class=\"axis\"><rect x=\"{:.1}\" y=\"{axis_top:.1}\" width=\"{:.1}\" height=\"{AXIS}\"/>",
        scale.left, scale.width
    );
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
        let _ = writeln!(
            back,
            "<line class=\"grid\" x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"{height:.1}\"/>"
        );
        if step > 1 && y % step == 0 {
            let _ = writeln!(
                labels,
                "<text class=\"yr\" x=\"{x:.1}\" y=\"{text_y:.1}\">{y}</text>"
            );
        }
    }
    if step == 1 {
        for y in y0..=y1 {
            let x = (scale.x(jan_first(y)) + scale.x(jan_first(y + 1))) / 2.0;
            let _ = writeln!(
                labels,
                "<text class=\"yr\" x=\"{x:.1}\" y=\"{text_y:.1}\">{y}</text>"
            );
        }
    }
    // Month ticks when a month has room.
    if per_year >= 120.0 {
        for y in y0..=y1 {
            for m in 2..=12 {
                let x = scale.x(month_first(y, m));
                let _ = writeln!(
                    back,
                    "<line class=\"mo\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
                    axis_top + AXIS - 4.0,
                    axis_top + AXIS
                );
            }
        }
    }
    back.push_str("</g>\n");
    (back, labels)
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

fn mark(out: &mut String, data: &Dataset, m: &Mark, top: f64, n: usize) {
    let r = m.rec.record(data);
    let actor = &data.actors[r.actor as usize];
    let unsure = !m.rec.is_claim() && r.attribution != Attribution::Confirmed;
    let _ = write!(
        out,
        "<a class=\"mark {}\" data-id=\"{}\" href=\"#t{n}-r-{}\"",
        m.rec.noun(),
        Html(&r.id),
        Html(&r.id)
    );
    if !m.rec.is_claim() {
        let _ = write!(out, " data-attribution=\"{}\"", r.attribution.as_str());
    }
    let _ = write!(
        out,
        "><title>{} {}\n{} · {} {} · by {} ({}){}\n{}</title>",
        m.rec.noun(),
        Html(&r.id),
        Html(&date_text(r)),
        if m.rec.is_claim() { "stance" } else { "effect" },
        score_text(r.score),
        Html(&actor.name),
        Html(&actor.id),
        if m.rec.is_claim() {
            String::new()
        } else {
            format!(" · {}", r.attribution.as_str())
        },
        Html(&r.text)
    );
    let fill = color(r.score);
    let class = if unsure { "shape unsure" } else { "shape" };
    if m.point {
        let _ = write!(
            out,
            "<circle class=\"{class}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{DOT}\" fill=\"{fill}\"/>",
            m.center(),
            top + BAR / 2.0
        );
    } else {
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR}\" rx=\"2\" fill=\"{fill}\"/>",
            m.x0,
            m.x1 - m.x0
        );
    }
    if let Some(label) = &m.label {
        let y = if m.rec.is_claim() {
            top - 4.0
        } else {
            top + BAR + LABEL_PX + 1.0
        };
        let _ = write!(
            out,
            "<text class=\"lbl\" x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
            m.label_x,
            Html(label)
        );
    }
    out.push_str("</a>\n");
}

#[allow(clippy::too_many_arguments)]
fn link(
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
    let kind = p.verdict.kind().map_or("", Kind::as_str);
    let width = if p.verdict.is_contradiction() {
        format!(" stroke-width=\"{:.2}\"", 2.0 + 4.0 * p.severity())
    } else {
        String::new()
    };
    let known = if report.is_known(i) { " known" } else { "" };
    let class = if kind.is_empty() {
        format!("link {}{known}", p.verdict.as_str())
    } else {
        format!("link {} {kind}{known}", p.verdict.as_str())
    };
    let target = if p.verdict.is_contradiction() {
        format!("#t{n}-flag-{i}")
    } else {
        format!("#t{n}-pair-{i}")
    };
    let why = reasons::of(report, p);
    let _ = writeln!(
        out,
        "<a href=\"{target}\"><path class=\"{class}\" data-claim=\"{}\" data-action=\"{}\" d=\"M{xc:.1} {yc:.1} C{xc:.1} {ym:.1} {xa:.1} {ym:.1} {xa:.1} {ya:.1}\"{width}><title>{}{}, severity {:.4}\nsaid {} ({}, stance {}) → done {} ({}, effect {})\n{}</title></path></a>",
        Html(&claim.id),
        Html(&action.id),
        p.verdict.as_str(),
        if kind.is_empty() {
            String::new()
        } else {
            format!(" ({kind})")
        },
        p.severity(),
        Html(&claim.id),
        claim.date,
        score_text(claim.score),
        Html(&action.id),
        action.date,
        score_text(action.score),
        Html(&timing_text(why.gap_days, why.order))
    );
}
