//! The tables under a timeline (its contradictions with their reasons,
//! its records with their sources, all its pairs) and the table of every
//! actor at the end of the page.

use super::color::{color, dark};
use super::timeline::{Rec, Timeline};
use super::{ROWS_UP_TO, score_text};
use crate::engine::reasons::{self, path_text, timing_text};
use crate::engine::score::{ClaimVerdict, Kind, Verdict};
use crate::model::{Dataset, Record};
use crate::render::common::plural;
use crate::render::common::{clip, consistency_text};
use crate::render::escape::{Html, web_url};
use crate::report::Report;
use std::fmt::Write as _;

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

pub(super) fn score_chip(score: f64) -> String {
    format!(
        "<span class=\"sc{}\" style=\"background:{}\">{}</span>",
        if dark(score) { " on-dark" } else { "" },
        color(score),
        score_text(score)
    )
}

/// The contradictions on this timeline, most severe first, with reasons.
pub(super) fn flagged(
    out: &mut String,
    report: &Report<'_>,
    t: &Timeline,
    n: usize,
    pairs: &[usize],
) {
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
pub(super) fn record_table(
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
pub(super) fn pair_table(out: &mut String, report: &Report<'_>, n: usize, pairs: &[usize]) {
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
pub(super) fn actors_table(out: &mut String, report: &Report<'_>) {
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
