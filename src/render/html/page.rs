//! The page's frame: its head (style sheet, Content Security Policy), the
//! header with the totals, settings, legend and the list of timelines, and
//! its foot (the script).

use super::color::color;
use super::svg::{BAR, DOT};
use super::timeline::{Timeline, summaries_by_actor};
use crate::render::common::totals;
use crate::render::common::{Counted, plural};
use crate::render::escape::Html;
use crate::report::Report;
use std::fmt::Write as _;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

pub(super) fn head(out: &mut String) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>saydo report</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
}

pub(super) fn foot(out: &mut String) {
    out.push_str("</main>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
}

pub(super) fn header(out: &mut String, report: &Report<'_>, timelines: &[Timeline]) {
    let data = report.data;
    let t = totals(report);
    let s = &report.settings;
    let counted = Counted::of(report, &t);
    out.push_str("<header>\n<h1>saydo <span>what was said, against what was done</span></h1>\n");
    let _ = writeln!(
        out,
        "<p class=\"lede\">{} and {} by {} → {}: <b class=\"bad\">{}</b> ({} duplicity, {} bluster), {} consistent, {} reciprocal, {} neutral.</p>",
        counted.claims,
        counted.actions,
        counted.actors,
        counted.pairs,
        counted.contradictions,
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
