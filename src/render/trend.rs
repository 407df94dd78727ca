//! The trend's printers (`saydo trend --format ...`): a table fitted to
//! the terminal and Markdown, largest gaps first; JSON, a time series per
//! actor and target that a dashboard charts as it is; JSON Lines and CSV,
//! a row per cell; HTML, a chart of words against deeds per actor and
//! target (in `render::html::trend`).
//!
//! The wire types below are the JSON format, documented where they are
//! defined; `schema/trend.schema.json` and `schema/trend-line.schema.json`
//! are generated from them and checked by the tests.

use crate::output::TakesBuffers;
use crate::render::escape::{csv_cell, markdown};
use crate::report::trend::{Cell, Trend};
use schemars::JsonSchema;
use serde::Serialize;
use std::io;

/// The formats `saydo trend` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendFormat {
    /// A table for the terminal, largest gaps first.
    Table,
    /// Markdown, largest gaps first.
    Markdown,
    /// One JSON document: a series per actor and target.
    Json,
    /// JSON Lines: a line per cell.
    Jsonl,
    /// CSV: a row per cell.
    Csv,
    /// One HTML page: a chart of words against deeds per actor and target.
    Html,
}

impl TrendFormat {
    /// Every format, by the name `--format` takes.
    pub const NAMES: [(&'static str, TrendFormat); 6] = [
        ("table", TrendFormat::Table),
        ("markdown", TrendFormat::Markdown),
        ("json", TrendFormat::Json),
        ("jsonl", TrendFormat::Jsonl),
        ("csv", TrendFormat::Csv),
        ("html", TrendFormat::Html),
    ];
}

/// Version of the trend's JSON format.
pub const TREND_SCHEMA_VERSION: &str = "1";

/// The say-do trend: per principal actor and target, a point per period.
#[derive(Serialize, JsonSchema)]
pub struct TrendJson<'a> {
    /// Always "1" for this format; bumped only for breaking changes.
    #[schemars(extend("const" = "1"))]
    pub schema_version: &'static str,
    /// The length of a period: "month", "quarter" or "year".
    pub by: &'static str,
    /// The window and threshold of the pairs counted.
    pub settings: TrendSettingsJson,
    /// A series per actor and target, by actor id, then target id (none
    /// first).
    pub series: Vec<SeriesJson<'a>>,
}

/// The window and threshold pairs were found and judged with.
#[derive(Serialize, JsonSchema)]
pub struct TrendSettingsJson {
    /// Days before a claim an action may start and still be paired.
    pub lookback: u32,
    /// Days after a claim an action may start and still be paired.
    pub horizon: u32,
    /// Smallest |stance| and |effect| that take a side.
    pub threshold: f64,
}

/// One principal actor's words and deeds towards one target, over time.
#[derive(Serialize, JsonSchema)]
pub struct SeriesJson<'a> {
    /// The principal actor's id.
    pub actor: &'a str,
    /// The target principal's id; null for words and deeds aimed at no one.
    pub target: Option<&'a str>,
    /// A point per period with a record, in time order.
    pub points: Vec<PointJson>,
}

/// One period of a series.
#[derive(Serialize, JsonSchema)]
pub struct PointJson {
    /// The period: `2021-08`, `2021-Q3` or `2021`.
    pub period: String,
    /// Its first day, `YYYY-MM-DD`.
    pub start: String,
    /// Its last day, `YYYY-MM-DD`.
    pub end: String,
    /// Claims (words) in the period.
    pub claims: u32,
    /// Their mean stance, to four decimals; null without claims.
    pub stance: Option<f64>,
    /// Actions (deeds) in the period.
    pub actions: u32,
    /// Their mean effect, to four decimals; null without actions.
    pub effect: Option<f64>,
    /// Mean stance − mean effect; null unless there are both.
    pub gap: Option<f64>,
    /// The verdict of the two means: "contradiction", "consistent" or
    /// "neutral" (never "reciprocal"); null unless there are both.
    pub verdict: Option<&'static str>,
    /// "duplicity" (warm words, hostile deeds) or "bluster" (the reverse)
    /// for a contradiction; null otherwise.
    pub kind: Option<&'static str>,
    /// Pairs whose claim is in the period.
    pub pairs: u32,
    /// Those that contradict.
    pub contradictions: u32,
    /// Those contradictions that are duplicity.
    pub duplicity: u32,
    /// Those contradictions that are bluster.
    pub bluster: u32,
    /// Those pairs that are consistent.
    pub consistent: u32,
    /// Say-do consistency of those pairs, -1 to +1, weighted by severity;
    /// null with no consistent or contradicting pair.
    pub say_do: Option<f64>,
}

/// One line of `saydo trend --format jsonl`: a cell, with its actor and
/// target.
#[derive(Serialize, JsonSchema)]
pub struct TrendLineJson<'a> {
    /// The principal actor's id.
    pub actor: &'a str,
    /// The target principal's id; null for words and deeds aimed at no one.
    pub target: Option<&'a str>,
    /// The cell's values, as a point of a series has them.
    #[serde(flatten)]
    pub point: PointJson,
}

fn point(trend: &Trend<'_>, cell: &Cell) -> PointJson {
    let verdict = cell.verdict(trend.settings.threshold);
    let (duplicity, bluster) = cell.kinds();
    let (start, end) = trend.by.bounds(cell.period);
    PointJson {
        period: trend.label(cell.period),
        start,
        end,
        claims: cell.claims,
        stance: cell.stance(),
        actions: cell.actions,
        effect: cell.effect(),
        gap: cell.gap(),
        verdict: verdict.map(|v| v.as_str()),
        kind: verdict.and_then(|v| v.kind()).map(|k| k.as_str()),
        pairs: cell.pairs(),
        contradictions: cell.contradictions(),
        duplicity,
        bluster,
        consistent: cell.consistent(),
        say_do: cell.say_do(),
    }
}

fn ids<'a>(trend: &Trend<'a>, cell: &Cell) -> (&'a str, Option<&'a str>) {
    let data = trend.data;
    (
        data.actors[cell.actor as usize].id.as_str(),
        cell.target.map(|t| data.actors[t as usize].id.as_str()),
    )
}

/// The trend as its JSON wire value.
pub fn json<'a>(trend: &Trend<'a>) -> TrendJson<'a> {
    let mut series: Vec<SeriesJson<'a>> = Vec::new();
    for cell in &trend.cells {
        let (actor, target) = ids(trend, cell);
        match series.last_mut() {
            Some(s) if s.actor == actor && s.target == target => s.points.push(point(trend, cell)),
            _ => series.push(SeriesJson {
                actor,
                target,
                points: vec![point(trend, cell)],
            }),
        }
    }
    let s = &trend.settings;
    TrendJson {
        schema_version: TREND_SCHEMA_VERSION,
        by: trend.by.as_str(),
        settings: TrendSettingsJson {
            lookback: s.lookback,
            horizon: s.horizon,
            threshold: s.threshold,
        },
        series,
    }
}

/// Writes the trend in `format`; tables are fitted to `width` and show at
/// most `limit` cells, the HTML page at most `limit` charts (0: all).
pub fn write(
    trend: &Trend<'_>,
    format: TrendFormat,
    width: usize,
    limit: usize,
    out: &mut dyn TakesBuffers,
) -> io::Result<()> {
    match format {
        TrendFormat::Table => {
            out.write_all(crate::render::table::trend(trend, width, limit).as_bytes())
        }
        TrendFormat::Markdown => write_markdown(trend, limit, out),
        TrendFormat::Json => {
            serde_json::to_writer(&mut *out, &json(trend)).map_err(io::Error::other)?;
            out.write_all(b"\n")
        }
        TrendFormat::Jsonl => {
            let mut buf = Vec::new();
            for cell in &trend.cells {
                let (actor, target) = ids(trend, cell);
                let line = TrendLineJson {
                    actor,
                    target,
                    point: point(trend, cell),
                };
                serde_json::to_writer(&mut buf, &line).map_err(io::Error::other)?;
                buf.push(b'\n');
            }
            out.write_all(&buf)
        }
        TrendFormat::Csv => write_csv(trend, out),
        TrendFormat::Html => crate::render::html::trend::write(trend, limit, out),
    }
}

/// The CSV columns, in order: those of a JSON Lines line.
pub(crate) const CSV_HEADER: [&str; 18] = [
    "actor",
    "target",
    "period",
    "start",
    "end",
    "claims",
    "stance",
    "actions",
    "effect",
    "gap",
    "verdict",
    "kind",
    "pairs",
    "contradictions",
    "duplicity",
    "bluster",
    "consistent",
    "say_do",
];

/// A number as JSON writes it, empty for none.
fn number(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| {
        serde_json::to_string(&x).unwrap_or_default()
    })
}

fn write_csv(trend: &Trend<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for cell in &trend.cells {
        let (actor, target) = ids(trend, cell);
        let p = point(trend, cell);
        w.write_record([
            csv_cell(actor).as_ref(),
            csv_cell(target.unwrap_or("")).as_ref(),
            &p.period,
            &p.start,
            &p.end,
            &p.claims.to_string(),
            &number(p.stance),
            &p.actions.to_string(),
            &number(p.effect),
            &number(p.gap),
            p.verdict.unwrap_or(""),
            p.kind.unwrap_or(""),
            &p.pairs.to_string(),
            &p.contradictions.to_string(),
            &p.duplicity.to_string(),
            &p.bluster.to_string(),
            &p.consistent.to_string(),
            &number(p.say_do),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    out.write_all(&bytes)
}

/// A cell's words, deeds, gap and verdict as the table and Markdown show
/// them.
pub(crate) struct Shown {
    pub actor: String,
    pub target: String,
    pub period: String,
    pub words: String,
    pub deeds: String,
    pub gap: String,
    pub verdict: String,
    pub contradictions: String,
    pub say_do: String,
}

/// How many cells have words and deeds (and so a gap), and how many do
/// not.
pub(crate) fn counts(trend: &Trend<'_>) -> (usize, usize) {
    let with_gap = trend.cells.iter().filter(|c| c.gap().is_some()).count();
    (with_gap, trend.cells.len() - with_gap)
}

/// The line above the table: what the trend covers.
pub(crate) fn headline(trend: &Trend<'_>) -> String {
    let (with_gap, without) = counts(trend);
    let s = &trend.settings;
    format!(
        "saydo trend by {}: {} with words and deeds, {} with only one of them; window {} days before to {} days after each claim, threshold {}",
        trend.by.as_str(),
        crate::render::common::plural(with_gap as u64, "cell", "cells"),
        without,
        s.lookback,
        s.horizon,
        s.threshold
    )
}

pub(crate) fn shown(trend: &Trend<'_>, cell: &Cell) -> Shown {
    let (actor, target) = ids(trend, cell);
    let mean = |n: u32, x: Option<f64>| match x {
        Some(x) => format!("{n} × {x:+.1}"),
        None => "0".to_string(),
    };
    let verdict = cell.verdict(trend.settings.threshold);
    Shown {
        actor: actor.to_string(),
        target: target.unwrap_or("(no target)").to_string(),
        period: trend.label(cell.period),
        words: mean(cell.claims, cell.stance()),
        deeds: mean(cell.actions, cell.effect()),
        gap: cell.gap().map_or_else(String::new, |g| format!("{g:+.1}")),
        verdict: match verdict {
            Some(v) => v.kind().map_or(v.as_str(), |k| k.as_str()).to_string(),
            None => String::new(),
        },
        contradictions: format!("{}/{}", cell.contradictions(), cell.pairs()),
        say_do: crate::render::common::consistency_text(cell.say_do()),
    }
}

/// The legend under the table and the Markdown.
pub(crate) const LEGEND: &str = "words, deeds: count × mean stance or effect; gap: mean stance − mean effect (positive: warm words, hostile deeds); verdict: of the two means (duplicity, bluster, consistent, neutral); contra: contradicting pairs / pairs whose words are in the cell; say-do: their consistency index, -1 to +1";

fn write_markdown(trend: &Trend<'_>, limit: usize, out: &mut dyn TakesBuffers) -> io::Result<()> {
    let mut text = String::new();
    text.push_str("# saydo trend\n\n");
    text.push_str(&markdown(&headline(trend)));
    text.push_str("\n\n## Largest gaps between words and deeds\n\n");
    let cells = trend.by_gap();
    if cells.is_empty() {
        text.push_str("None: no actor has words and deeds towards one target in one period.\n");
    } else {
        text.push_str(
            "| actor → target | period | words | deeds | gap | verdict | contra | say-do |\n|---|---|--:|--:|--:|---|--:|--:|\n",
        );
        let shown_n = if limit == 0 {
            cells.len()
        } else {
            limit.min(cells.len())
        };
        for cell in &cells[..shown_n] {
            let s = shown(trend, cell);
            text.push_str(&format!(
                "| {} → {} | {} | {} | {} | {} | {} | {} | {} |\n",
                markdown(&s.actor),
                markdown(&s.target),
                s.period,
                s.words,
                s.deeds,
                s.gap,
                s.verdict,
                s.contradictions,
                s.say_do
            ));
        }
        if shown_n < cells.len() {
            text.push_str(&format!(
                "\n_… {} more cells: use `--limit 0` for all, or `--format json`._\n",
                cells.len() - shown_n
            ));
        }
    }
    text.push('\n');
    text.push_str(&markdown(LEGEND));
    text.push('\n');
    out.write_all(text.as_bytes())
}
