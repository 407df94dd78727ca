//! The HTML report (`--format html`): one self-contained page to open from
//! disk, attach to a CI run or mail to someone.
//!
//! Why a page as well as a table: whether an actor's deeds matched its
//! words is a question about time, and a timeline answers it at a glance
//! where a table can only list. Each principal actor (one that acts for no
//! one) gets a timeline: what was said above the axis, what was done below,
//! each record coloured from hostile (red) to warm (blue), and a link from
//! words to deed for every pair, drawn strongly when they contradict. Under
//! each timeline come the actor's numbers, its contradictions with their
//! reasons, and every record drawn with its text and source.
//!
//! The page is safe to open whatever the data says: every string from the
//! dataset is HTML-escaped ([`Html`]), a URL becomes a link only when it is
//! `http(s)` ([`web_url`]), nothing from the data reaches the script or the
//! style sheet, and a Content Security Policy forbids every request. It
//! reads without JavaScript: the SVG and the tables are written here, and
//! the small inline script only adds highlighting on hover and filters. The
//! output depends on the report alone (no clock, no random ids), so it can
//! be diffed.

use crate::date::{Day, Precision, format_day};
use crate::model::{ActorIx, Attribution, Dataset, Record};
use crate::output::TakesBuffers;
use crate::pair::{Pair, intersection};
use crate::reasons::{self, path_text, timing_text};
use crate::render::Printer;
use crate::render::common::{clip, consistency_text, totals};
use crate::render::escape::{Html, web_url};
use crate::report::{ActorSummary, Report};
use crate::score::{ClaimVerdict, Kind, Order, Verdict};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// Records on one timeline above which its SVG grows wider than the page
/// (and scrolls sideways), so that marks keep some room.
pub const WIDE_ABOVE: usize = 300;
/// Records on one timeline above which only the records taking part in a
/// contradiction are drawn: beyond this a chart of everything is a smear.
pub const SPARSE_ABOVE: usize = 2000;
/// Pairs on one timeline above which only contradictions get a link (and
/// a row in the list of all pairs).
pub const LINKS_UP_TO: usize = 5000;
/// Most rows in the lists of contradictions and of all pairs under a
/// timeline; the JSON report has every one.
pub const ROWS_UP_TO: usize = 1000;
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
const BAR: f64 = 14.0;
const DOT: f64 = 7.0;
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

/// The HTML printer.
pub struct HtmlPrinter;

impl Printer for HtmlPrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes the report as one HTML page.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let timelines = timelines(report);
    let verdicts = claim_verdicts(report);
    let mut page = String::with_capacity(64 * 1024);
    head(&mut page);
    header(&mut page, report, &timelines);
    out.write_all(page.as_bytes())?;
    let summaries = summaries_by_actor(report);
    for (n, t) in timelines.iter().enumerate() {
        page.clear();
        let summary = summaries[t.actor as usize];
        section(&mut page, report, t, n, summary, &verdicts);
        out.write_all(page.as_bytes())?;
    }
    page.clear();
    actors_table(&mut page, report);
    foot(&mut page);
    out.write_all(page.as_bytes())
}

// ---------------------------------------------------------------------------
// Which records and pairs each timeline draws.

/// A claim or an action, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Rec {
    Claim(u32),
    Action(u32),
}

impl Rec {
    fn record(self, data: &Dataset) -> &Record {
        match self {
            Rec::Claim(i) => &data.claims[i as usize],
            Rec::Action(i) => &data.actions[i as usize],
        }
    }
    fn is_claim(self) -> bool {
        matches!(self, Rec::Claim(_))
    }
    fn noun(self) -> &'static str {
        if self.is_claim() { "claim" } else { "action" }
    }
}

/// One principal actor's timeline: the records made by it or on its behalf,
/// and the pairs in which both records are.
struct Timeline {
    actor: ActorIx,
    records: Vec<Rec>,
    /// Indices into `report.pairs`, in report order.
    pairs: Vec<usize>,
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
fn timelines(report: &Report<'_>) -> Vec<Timeline> {
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

fn summaries_by_actor<'r>(report: &'r Report<'_>) -> Vec<Option<&'r ActorSummary>> {
    let mut by = vec![None; report.data.actors.len()];
    for s in &report.actors {
        by[s.actor as usize] = Some(s);
    }
    by
}

fn claim_verdicts(report: &Report<'_>) -> Vec<Option<ClaimVerdict>> {
    let mut v = vec![None; report.data.claims.len()];
    for r in &report.claims {
        v[r.claim as usize] = Some(r.verdict);
    }
    v
}

// ---------------------------------------------------------------------------
// Colours.

/// The diverging scale, ColorBrewer RdBu with a mid grey at 0 (so neutral
/// marks stay visible on white): hostile red at -10, warm blue at +10.
const RAMP: [(f64, [u8; 3]); 9] = [
    (-10.0, [0x67, 0x00, 0x1f]),
    (-7.5, [0xb2, 0x18, 0x2b]),
    (-5.0, [0xd6, 0x60, 0x4d]),
    (-2.5, [0xf4, 0xa5, 0x82]),
    (0.0, [0xbd, 0xbd, 0xbd]),
    (2.5, [0x92, 0xc5, 0xde]),
    (5.0, [0x43, 0x93, 0xc3]),
    (7.5, [0x21, 0x66, 0xac]),
    (10.0, [0x05, 0x30, 0x61]),
];

/// The colour of a score, as `#rrggbb`.
pub fn color(score: f64) -> String {
    let s = if score.is_finite() {
        score.clamp(-10.0, 10.0)
    } else {
        0.0
    };
    let i = RAMP
        .windows(2)
        .position(|w| s <= w[1].0)
        .unwrap_or(RAMP.len() - 2);
    let ((a, ca), (b, cb)) = (RAMP[i], RAMP[i + 1]);
    let t = (s - a) / (b - a);
    let mix =
        |k: usize| (f64::from(ca[k]) + (f64::from(cb[k]) - f64::from(ca[k])) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Whether text on this score's colour should be white.
fn dark(score: f64) -> bool {
    score.abs() >= 4.5
}

fn score_text(score: f64) -> String {
    format!("{score:+}")
}

// ---------------------------------------------------------------------------
// The page's frame.

fn head(out: &mut String) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>saydo report</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
}

fn foot(out: &mut String) {
    out.push_str("</main>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
}

fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

fn header(out: &mut String, report: &Report<'_>, timelines: &[Timeline]) {
    let data = report.data;
    let t = totals(report);
    let s = &report.settings;
    out.push_str("<header>\n<h1>saydo <span>what was said, against what was done</span></h1>\n");
    let _ = writeln!(
        out,
        "<p class=\"lede\">{} and {} by {} → {}: <b class=\"bad\">{}</b> ({} duplicity, {} bluster), {} consistent, {} reciprocal, {} neutral.</p>",
        plural(report.claims.len() as u64, "claim", "claims"),
        plural(data.actions.len() as u64, "action", "actions"),
        plural(report.actors.len() as u64, "actor", "actors"),
        plural(t.pairs as u64, "pair", "pairs"),
        plural(t.contradictions as u64, "contradiction", "contradictions"),
        t.duplicity,
        t.bluster,
        t.consistent,
        t.reciprocal,
        t.neutral
    );
    out.push_str("<div class=\"stats\">");
    for (n, label, class) in [
        (t.pairs, "pairs", ""),
        (t.contradictions, "contradictions", " bad"),
        (t.duplicity, "duplicity", " dup"),
        (t.bluster, "bluster", " blu"),
        (t.consistent, "consistent", ""),
        (t.reciprocal, "reciprocal", ""),
        (t.neutral, "neutral", ""),
    ] {
        let _ = write!(
            out,
            "<div class=\"stat{class}\"><b>{n}</b><span>{label}</span></div>"
        );
    }
    out.push_str("</div>\n");
    let f = &report.filters;
    let mut filters: Vec<String> = Vec::new();
    if let Some(a) = f.actor {
        filters.push(format!("actor {}", Html(&data.actors[a as usize].id)));
    }
    if let Some(t) = f.topic {
        filters.push(format!("topic {}", Html(&data.topics[t as usize])));
    }
    if let Some(d) = f.since {
        filters.push(format!("since {d}"));
    }
    if let Some(d) = f.until {
        filters.push(format!("until {d}"));
    }
    let _ = writeln!(
        out,
        "<p class=\"settings\">Settings: an action is paired with a claim when it starts from {} before to {} after the claim · threshold {} (smaller stances and effects take no side) · filters: {} · saydo {}</p>",
        plural(s.lookback, "day", "days"),
        plural(s.horizon, "day", "days"),
        s.threshold,
        if filters.is_empty() {
            "none".to_string()
        } else {
            filters.join(", ")
        },
        env!("CARGO_PKG_VERSION")
    );
    legend(out);
    if !timelines.is_empty() {
        out.push_str("<nav><b>Timelines</b>");
        let summaries = summaries_by_actor(report);
        for (n, t) in timelines.iter().enumerate() {
            let actor = &data.actors[t.actor as usize];
            let c = summaries[t.actor as usize].map_or(0, |s| s.contradictions);
            let _ = write!(
                out,
                " <a href=\"#t{n}\">{}</a><span class=\"count{}\">{}</span>",
                Html(&actor.name),
                if c > 0 { " bad" } else { "" },
                plural(c, "contradiction", "contradictions")
            );
        }
        out.push_str(" <a href=\"#actors\">all actors</a></nav>\n");
    }
    out.push_str("</header>\n");
}

/// The legend: marks, colours and links, each drawn as on the timelines.
fn legend(out: &mut String) {
    out.push_str("<div class=\"legend\" aria-label=\"legend\">\n");
    let _ = writeln!(
        out,
        "<div class=\"lg\"><svg width=\"72\" height=\"40\" aria-hidden=\"true\"><rect x=\"0\" y=\"16\" width=\"72\" height=\"8\" fill=\"#eeeef2\"/><path class=\"k-dup\" d=\"M16 10 C16 20 52 20 52 30\" fill=\"none\" stroke-width=\"3\"/><rect class=\"shape\" x=\"2\" y=\"2\" width=\"28\" height=\"8\" rx=\"2\" fill=\"{}\"/><rect class=\"shape\" x=\"44\" y=\"30\" width=\"16\" height=\"8\" rx=\"2\" fill=\"{}\"/></svg><span>words (claims) above the axis, deeds (actions) below;<br>a link joins words to a deed they are weighed against</span></div>",
        color(6.0),
        color(-6.0)
    );
    let _ = writeln!(
        out,
        "<div class=\"lg\"><svg width=\"64\" height=\"16\" aria-hidden=\"true\"><rect class=\"shape\" x=\"1\" y=\"3\" width=\"62\" height=\"{BAR}\" rx=\"2\" fill=\"{}\"/></svg><span>a year or a month: a bar over all of it</span></div>",
        color(6.0)
    );
    let _ = writeln!(
        out,
        "<div class=\"lg\"><svg width=\"16\" height=\"16\" aria-hidden=\"true\"><circle class=\"shape\" cx=\"8\" cy=\"8\" r=\"{DOT}\" fill=\"{}\"/></svg><span>a day</span></div>",
        color(6.0)
    );
    let _ = writeln!(
        out,
        "<div class=\"lg\"><svg width=\"40\" height=\"16\" aria-hidden=\"true\"><rect class=\"shape unsure\" x=\"1\" y=\"3\" width=\"38\" height=\"{BAR}\" rx=\"2\" fill=\"{}\"/></svg><span>dashed edge: deed only reported, alleged or disputed</span></div>",
        color(-6.0)
    );
    out.push_str("<div class=\"lg\"><svg width=\"190\" height=\"30\" aria-hidden=\"true\">");
    for (i, v) in (-10..=10).enumerate() {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"0\" width=\"9\" height=\"12\" fill=\"{}\"/>",
            i * 9,
            color(f64::from(v))
        );
    }
    out.push_str("<text x=\"0\" y=\"26\" class=\"tick\">−10 hostile</text><text x=\"94\" y=\"26\" class=\"tick\" text-anchor=\"middle\">0</text><text x=\"189\" y=\"26\" class=\"tick\" text-anchor=\"end\">+10 warm</text></svg><span>stance of the words, effect of the deed</span></div>\n");
    for (class, width, what) in [
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
    ] {
        let _ = writeln!(
            out,
            "<div class=\"lg\"><svg width=\"44\" height=\"16\" aria-hidden=\"true\"><path class=\"{class}\" d=\"M2 13 C 14 13, 30 3, 42 3\" fill=\"none\" stroke-width=\"{width}\"/></svg><span>{what}</span></div>"
        );
    }
    out.push_str("<p class=\"hint\">Hover a mark or a link for its id, date, score and text; click it to jump to its row below.</p>\n</div>\n");
}

// ---------------------------------------------------------------------------
// One timeline section.

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

fn year_of(day: Day) -> i32 {
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

fn section(
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

/// The timeline's SVG.
fn svg(
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

// ---------------------------------------------------------------------------
// Tables under a timeline.

fn topics_text(data: &Dataset, topics: &[u32], general: bool) -> String {
    if topics.is_empty() {
        if general {
            "general stance".into()
        } else {
            "none".into()
        }
    } else {
        topics
            .iter()
            .map(|&t| data.topics[t as usize].as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A record in a table cell: id, date, score, text.
fn record_cell(out: &mut String, data: &Dataset, rec: Rec, n: usize) {
    let r = rec.record(data);
    let _ = write!(
        out,
        "<a href=\"#t{n}-r-{}\"><code>{}</code></a> {} {}",
        Html(&r.id),
        Html(&r.id),
        r.date,
        score_chip(r.score)
    );
    if !rec.is_claim() {
        let _ = write!(
            out,
            " <span class=\"attr\">{}</span>",
            r.attribution.as_str()
        );
    }
    let _ = write!(out, "<br>{}", Html(&clip(&r.text, 160)));
}

fn score_chip(score: f64) -> String {
    format!(
        "<span class=\"sc{}\" style=\"background:{}\">{}</span>",
        if dark(score) { " on-dark" } else { "" },
        color(score),
        score_text(score)
    )
}

/// The contradictions on this timeline, most severe first, with reasons.
fn flagged(out: &mut String, report: &Report<'_>, t: &Timeline, n: usize, pairs: &[usize]) {
    let data = report.data;
    let mut flagged: Vec<usize> = pairs
        .iter()
        .copied()
        .filter(|&i| report.pairs[i].verdict.is_contradiction())
        .collect();
    flagged.sort_by(|&a, &b| {
        report.pairs[b]
            .severity()
            .total_cmp(&report.pairs[a].severity())
    });
    let name = &data.actors[t.actor as usize].name;
    if flagged.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Contradictions</h3>\n<p class=\"none\">None: nothing {} said was contradicted by what it did.</p>",
            Html(name)
        );
        return;
    }
    let more = flagged.len().saturating_sub(ROWS_UP_TO);
    flagged.truncate(ROWS_UP_TO);
    let _ = writeln!(
        out,
        "<h3>Contradictions, most severe first</h3>\n<table class=\"flagged\"><thead><tr><th>severity</th><th>said</th><th>done</th><th>why</th></tr></thead><tbody>"
    );
    for i in flagged {
        let p = &report.pairs[i];
        let why = reasons::of(report, p);
        let kind = p.verdict.kind().map_or("", Kind::as_str);
        let _ = write!(
            out,
            "<tr id=\"t{n}-flag-{i}\" class=\"flag {kind}\" data-claim=\"{}\" data-action=\"{}\"><td class=\"sev\"><b>{:.4}</b><span class=\"bar\"><span style=\"width:{:.0}%\"></span></span><span class=\"kind {kind}\">{kind}</span>{}</td><td>",
            Html(&data.claims[p.claim as usize].id),
            Html(&data.actions[p.action as usize].id),
            p.severity(),
            p.severity() * 100.0,
            if report.is_known(i) {
                "<span class=\"known\">in baseline</span>"
            } else {
                ""
            }
        );
        record_cell(out, data, Rec::Claim(p.claim), n);
        out.push_str("</td><td>");
        record_cell(out, data, Rec::Action(p.action), n);
        let f = &why.factors;
        let _ = writeln!(
            out,
            "</td><td class=\"why\"><div><i>said by</i> {}</div><div><i>done by</i> {}</div><div><i>on</i> {}</div><div><i>when</i> {}</div><div><i>severity</i> strength {:.3} × attribution {} × proximity {:.3} × order {} = {:.4}</div></td></tr>",
            Html(&path_text(data, &why.claim_path)),
            Html(&path_text(data, &why.action_path)),
            Html(&topics_text(data, &why.topics, why.general_claim)),
            Html(&timing_text(why.gap_days, why.order)),
            f.strength,
            f.attribution,
            f.proximity,
            f.order,
            p.severity()
        );
    }
    out.push_str("</tbody></table>\n");
    more_rows(out, more, "contradictions");
}

/// Says how many rows a list leaves out.
fn more_rows(out: &mut String, more: usize, what: &str) {
    if more > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">… and {more} more {what}, left out to keep the page light: see <code>saydo check --format json</code>.</p>"
        );
    }
}

/// Where a record's words come from: the quote and its place, or the URL.
fn source_cell(out: &mut String, data: &Dataset, r: &Record) {
    let e = r.extra();
    if let Some(q) = &e.quote {
        let _ = write!(out, "<blockquote>{}</blockquote>", Html(q));
    }
    let mut place: Vec<String> = Vec::new();
    if let Some(doc) = &e.document {
        place.push(match e.quote_line {
            Some(line) => format!("{}, line {line}", Html(doc)),
            None => Html(doc).to_string(),
        });
    }
    if let Some(url) = &e.url {
        place.push(match web_url(url) {
            Some(u) => format!(
                "<a class=\"ext\" href=\"{}\" rel=\"noopener noreferrer nofollow\" referrerpolicy=\"no-referrer\">{}</a>",
                Html(u),
                Html(u)
            ),
            None => format!("<span class=\"url\">{}</span> (not a web address)", Html(url)),
        });
    }
    place.push(format!(
        "record at {}:{}",
        Html(data.files.display(r.at.file)),
        r.at.line
    ));
    let _ = write!(out, "<div class=\"src\">{}</div>", place.join(" · "));
    if let Some(notes) = &e.notes {
        let _ = write!(out, "<div class=\"notes\">{}</div>", Html(notes));
    }
}

/// Every record drawn, in date order, with its text and source.
fn record_table(
    out: &mut String,
    report: &Report<'_>,
    n: usize,
    records: &[Rec],
    verdicts: &[Option<ClaimVerdict>],
) {
    let data = report.data;
    if records.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h3>Records on this timeline</h3>\n<table class=\"records\"><thead><tr><th>date</th><th>score</th><th>record</th><th>text and source</th></tr></thead><tbody>"
    );
    for &rec in records {
        let r = rec.record(data);
        let actor = &data.actors[r.actor as usize];
        let _ = write!(
            out,
            "<tr id=\"t{n}-r-{}\" class=\"rec {}\" data-id=\"{}\"><td class=\"date\">{}</td><td>{}</td><td><b>{}</b> <code>{}</code><br>by {} <code>{}</code>",
            Html(&r.id),
            rec.noun(),
            Html(&r.id),
            r.date,
            score_chip(r.score),
            if rec.is_claim() { "said" } else { "done" },
            Html(&r.id),
            Html(&actor.name),
            Html(&actor.id)
        );
        if let Some(target) = r.target {
            let _ = write!(
                out,
                "<br>toward {}",
                Html(&data.actors[target as usize].name)
            );
        }
        let _ = write!(
            out,
            "<br><span class=\"topics\">{}</span>",
            Html(&topics_text(data, &r.topics, rec.is_claim()))
        );
        match rec {
            Rec::Claim(c) => {
                let v = verdicts[c as usize].unwrap_or(ClaimVerdict::Untested);
                let _ = write!(
                    out,
                    "<br><span class=\"verdict {}\">{}</span>",
                    v.as_str(),
                    v.as_str()
                );
            }
            Rec::Action(_) => {
                let _ = write!(
                    out,
                    "<br><span class=\"attr\">{}</span>",
                    r.attribution.as_str()
                );
            }
        }
        let _ = write!(out, "</td><td><p class=\"text\">{}</p>", Html(&r.text));
        source_cell(out, data, r);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// Every pair drawn, in report order, folded away.
fn pair_table(out: &mut String, report: &Report<'_>, n: usize, pairs: &[usize]) {
    let data = report.data;
    if pairs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details class=\"allpairs\"><summary>All {} on this timeline</summary>\n<table class=\"pairs\"><thead><tr><th>verdict</th><th>severity</th><th>said</th><th>done</th><th>when</th></tr></thead><tbody>",
        plural(pairs.len() as u64, "pair", "pairs")
    );
    for &i in pairs.iter().take(ROWS_UP_TO) {
        let p = &report.pairs[i];
        let why = reasons::of(report, p);
        let (c, a) = (
            &data.claims[p.claim as usize],
            &data.actions[p.action as usize],
        );
        let verdict = match p.verdict {
            Verdict::Contradiction(k) => format!("contradiction ({})", k.as_str()),
            v => v.as_str().to_string(),
        };
        let _ = writeln!(
            out,
            "<tr id=\"t{n}-pair-{i}\" class=\"{}\"><td>{verdict}</td><td>{:.4}</td><td><a href=\"#t{n}-r-{}\"><code>{}</code></a> {}</td><td><a href=\"#t{n}-r-{}\"><code>{}</code></a> {}</td><td>{}</td></tr>",
            p.verdict.as_str(),
            p.severity(),
            Html(&c.id),
            Html(&c.id),
            score_chip(c.score),
            Html(&a.id),
            Html(&a.id),
            score_chip(a.score),
            Html(&timing_text(why.gap_days, why.order))
        );
    }
    out.push_str("</tbody></table>\n");
    more_rows(out, pairs.len().saturating_sub(ROWS_UP_TO), "pairs");
    out.push_str("</details>\n");
}

/// Every actor's summary, most contradicted first, as in the table report.
fn actors_table(out: &mut String, report: &Report<'_>) {
    let data = report.data;
    let actors = report.actors_by_contradictions();
    out.push_str("<section id=\"actors\"><h2>All actors</h2>\n<p class=\"hint\">Each actor counts the records made by it or on its behalf, and the pairs it stands behind on either side.</p>\n<table class=\"actors\"><thead><tr><th>actor</th><th>acts for</th><th>claims</th><th>actions</th><th>pairs</th><th>contradictions</th><th>duplicity</th><th>bluster</th><th>consistent</th><th>reciprocal</th><th>neutral</th><th>consistency index</th></tr></thead><tbody>\n");
    for s in actors {
        let actor = &data.actors[s.actor as usize];
        let roles: Vec<String> = actor
            .roles
            .iter()
            .map(|r| {
                let when = match (r.from, r.to) {
                    (None, None) => String::new(),
                    (from, to) => format!(
                        ", {}–{}",
                        from.map(|d| d.to_string()).unwrap_or_default(),
                        to.map(|d| d.to_string()).unwrap_or_default()
                    ),
                };
                format!(
                    "{} ({}{})",
                    Html(&data.actors[r.principal as usize].id),
                    Html(&r.role),
                    when
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{} <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            Html(&actor.name),
            Html(&actor.id),
            roles.join("; "),
            s.claims,
            s.actions,
            s.pairs,
            if s.contradictions > 0 { "bad" } else { "" },
            s.contradictions,
            s.duplicity,
            s.bluster,
            s.consistent,
            s.reciprocal,
            s.neutral,
            consistency_text(s.consistency)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_red_through_grey_to_blue() {
        assert_eq!(color(-10.0), "#67001f");
        assert_eq!(color(0.0), "#bdbdbd");
        assert_eq!(color(10.0), "#053061");
        assert_eq!(color(99.0), "#053061");
        assert_eq!(color(f64::NAN), "#bdbdbd");
        assert_eq!(color(-7.5), "#b2182b");
    }
}
