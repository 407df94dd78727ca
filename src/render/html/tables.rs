//! The tables under a timeline (its contradictions with their reasons,
//! its records with their sources, all its pairs) and the table of every
//! actor at the end of the page.

use super::ROWS_UP_TO;
use super::color::{color, dark};
use super::timeline::{Rec, Timeline};
use crate::engine::reasons::{self, path_text, timing_text};
use crate::engine::score::{ClaimVerdict, Factors, Kind, Verdict};
use crate::model::{Dataset, Record};
use crate::render::common::clip;
use crate::render::common::plural;
use crate::render::escape::web_url;
use crate::report::{ActorSummary, Report};
use askama::Template;

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

/// A record in a table cell.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<a href="#t{{ n|safe }}-r-{{ r.id }}"><code>{{ r.id }}</code></a> {{ r.date }} {{ chip|safe }}{% if !is_claim %} <span class="attr">{{ r.attribution.as_str() }}</span>{% endif %}{% if let Some(about) = r.about.as_str() %} <span class="attr">about the {{ about }}</span>{% endif %}<br>{{ self::clip(r.text, 160) }}"##
)]
struct RecordCell<'a> {
    n: usize,
    r: &'a Record,
    chip: String,
    is_claim: bool,
}

/// A record in a table cell: id, date, score, text.
fn record_cell(out: &mut String, data: &Dataset, rec: Rec, n: usize) {
    let r = rec.record(data);
    let _ = RecordCell {
        n,
        r,
        chip: score_chip(r.score),
        is_claim: rec.is_claim(),
    }
    .render_into(out);
}

/// A score on its colour.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<span class="sc{% if dark %} on-dark{% endif %}" style="background:{{ color }}">{{ super::signed(score)|safe }}</span>"##
)]
struct ScoreChip {
    dark: bool,
    color: String,
    score: f64,
}

pub(super) fn score_chip(score: f64) -> String {
    let mut out = String::new();
    let _ = ScoreChip {
        dark: dark(score),
        color: color(score),
        score,
    }
    .render_into(&mut out);
    out
}

/// The list of contradictions when there is none.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<h3>Contradictions</h3>
<p class="none">None: nothing {{ name }} said was contradicted by what it did.</p>
"##
)]
struct NoContradictions<'a> {
    name: &'a str,
}

/// A contradiction's row, up to its records.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<tr id="t{{ n|safe }}-flag-{{ i|safe }}" class="flag {{ kind }}" data-claim="{{ claim }}" data-action="{{ action }}"><td class="sev"><b>{{ super::f4(severity)|safe }}</b><span class="bar"><span style="width:{{ super::f0(width)|safe }}%"></span></span><span class="kind {{ kind }}">{{ kind }}</span>{% if known %}<span class="known">in baseline</span>{% endif %}{% if let Some(r) = review %}<span class="known {{ r.decision.as_str() }}" title="{{ r.by }} on {{ r.date }}: {{ r.reason }}">{{ r.decision.as_str() }}</span>{% endif %}</td><td>"##
)]
struct FlagStart<'a> {
    n: usize,
    i: usize,
    kind: &'static str,
    claim: &'a str,
    action: &'a str,
    severity: f64,
    width: f64,
    known: bool,
    review: Option<&'a crate::model::Review>,
}

/// A contradiction's row, from its records on: the reasons.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"</td><td class="why"><div><i>said by</i> {{ said_by }}</div><div><i>done by</i> {{ done_by }}</div><div><i>on</i> {{ on }}</div><div><i>when</i> {{ when }}</div><div><i>severity</i> strength {{ super::f3(f.strength)|safe }} × attribution {{ f.attribution|safe }} × proximity {{ super::f3(f.proximity)|safe }} × order {{ f.order|safe }} = {{ super::f4(severity)|safe }}</div></td></tr>
"##
)]
struct FlagEnd {
    said_by: String,
    done_by: String,
    on: String,
    when: String,
    f: Factors,
    severity: f64,
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
        let _ = NoContradictions { name }.render_into(out);
        return;
    }
    let more = flagged.len().saturating_sub(ROWS_UP_TO);
    flagged.truncate(ROWS_UP_TO);
    out.push_str("<h3>Contradictions, most severe first</h3>\n<table class=\"flagged\"><thead><tr><th>severity</th><th>said</th><th>done</th><th>why</th></tr></thead><tbody>\n");
    for i in flagged {
        let p = &report.pairs[i];
        let why = reasons::of(report, p);
        let _ = FlagStart {
            n,
            i,
            kind: p.verdict.kind().map_or("", Kind::as_str),
            claim: &data.claims[p.claim as usize].id,
            action: &data.actions[p.action as usize].id,
            severity: p.severity(),
            width: p.severity() * 100.0,
            known: report.is_known(i),
            review: report.decision(i),
        }
        .render_into(out);
        record_cell(out, data, Rec::Claim(p.claim), n);
        out.push_str("</td><td>");
        record_cell(out, data, Rec::Action(p.action), n);
        let _ = FlagEnd {
            said_by: path_text(data, &why.claim_path),
            done_by: path_text(data, &why.action_path),
            on: topics_text(data, &why.topics, why.general_claim),
            when: timing_text(why.gap_days, why.order),
            f: why.factors,
            severity: p.severity(),
        }
        .render_into(out);
    }
    out.push_str("</tbody></table>\n");
    more_rows(out, more, "contradictions");
}

/// Says how many rows a list leaves out.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<p class="note">… and {{ more|safe }} more {{ what }}, left out to keep the page light: see <code>saydo check --format json</code>.</p>
"##
)]
struct MoreRows<'a> {
    more: usize,
    what: &'a str,
}

/// Says how many rows a list leaves out.
fn more_rows(out: &mut String, more: usize, what: &str) {
    if more > 0 {
        let _ = MoreRows { more, what }.render_into(out);
    }
}

/// A record's quote, document, URL, place in the data and notes.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"{% if let Some(q) = e.quote %}<blockquote>{{ q }}</blockquote>{% endif %}<div class="src">{% if let Some(doc) = e.document %}{{ doc }}{% if let Some(line) = e.quote_line %}, line {{ line|safe }}{% endif %} · {% endif %}{% if let Some(url) = e.url %}{% if let Some(u) = self::web_url(url) %}<a class="ext" href="{{ u }}" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">{{ u }}</a>{% else %}<span class="url">{{ url }}</span> (not a web address){% endif %} · {% endif %}record at {{ file }}:{{ line|safe }}</div>{% if let Some(notes) = e.notes %}<div class="notes">{{ notes }}</div>{% endif %}"##
)]
struct SourceCell<'a> {
    e: &'a crate::model::Extra,
    file: &'a str,
    line: u32,
}

/// Where a record's words come from: the quote and its place, or the URL.
fn source_cell(out: &mut String, data: &Dataset, r: &Record) {
    let _ = SourceCell {
        e: r.extra(),
        file: data.files.display(r.at.file),
        line: r.at.line,
    }
    .render_into(out);
}

/// A record's row, up to its source.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<tr id="t{{ n|safe }}-r-{{ r.id }}" class="rec {{ noun }}" data-id="{{ r.id }}"><td class="date">{{ r.date }}</td><td>{{ chip|safe }}</td><td><b>{% if is_claim %}said{% else %}done{% endif %}</b> <code>{{ r.id }}</code><br>by {{ actor_name }} <code>{{ actor_id }}</code>{% if let Some(target) = target %}<br>toward {{ target }}{% endif %}<br><span class="topics">{{ topics }}</span>{% if let Some(v) = verdict %}<br><span class="verdict {{ v }}">{{ v }}</span>{% else %}<br><span class="attr">{{ r.attribution.as_str() }}</span>{% endif %}</td><td><p class="text">{{ r.text }}</p>"##
)]
struct RecordRow<'a> {
    n: usize,
    r: &'a Record,
    noun: &'static str,
    chip: String,
    is_claim: bool,
    actor_name: &'a str,
    actor_id: &'a str,
    target: Option<&'a str>,
    topics: String,
    verdict: Option<&'static str>,
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
    out.push_str("<h3>Records on this timeline</h3>\n<table class=\"records\"><thead><tr><th>date</th><th>score</th><th>record</th><th>text and source</th></tr></thead><tbody>\n");
    for &rec in records {
        let r = rec.record(data);
        let actor = &data.actors[r.actor as usize];
        let _ = RecordRow {
            n,
            r,
            noun: rec.noun(),
            chip: score_chip(r.score),
            is_claim: rec.is_claim(),
            actor_name: &actor.name,
            actor_id: &actor.id,
            target: r.target.map(|t| data.actors[t as usize].name.as_str()),
            topics: topics_text(data, &r.topics, rec.is_claim()),
            verdict: match rec {
                Rec::Claim(c) => Some(
                    verdicts[c as usize]
                        .unwrap_or(ClaimVerdict::Untested)
                        .as_str(),
                ),
                Rec::Action(_) => None,
            },
        }
        .render_into(out);
        source_cell(out, data, r);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// The folded list of a timeline's pairs, up to its rows.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<details class="allpairs"><summary>All {{ count }} on this timeline</summary>
<table class="pairs"><thead><tr><th>verdict</th><th>severity</th><th>said</th><th>done</th><th>when</th></tr></thead><tbody>
"##
)]
struct PairsHead {
    count: String,
}

/// A pair's row.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<tr id="t{{ n|safe }}-pair-{{ i|safe }}" class="{{ class }}"><td>{{ verdict }}</td><td>{{ super::f4(severity)|safe }}</td><td><a href="#t{{ n|safe }}-r-{{ claim }}"><code>{{ claim }}</code></a> {{ claim_chip|safe }}</td><td><a href="#t{{ n|safe }}-r-{{ action }}"><code>{{ action }}</code></a> {{ action_chip|safe }}</td><td>{{ when }}</td></tr>
"##
)]
struct PairRow<'a> {
    n: usize,
    i: usize,
    class: &'static str,
    verdict: String,
    severity: f64,
    claim: &'a str,
    claim_chip: String,
    action: &'a str,
    action_chip: String,
    when: String,
}

/// Every pair drawn, in report order, folded away.
pub(super) fn pair_table(out: &mut String, report: &Report<'_>, n: usize, pairs: &[usize]) {
    let data = report.data;
    if pairs.is_empty() {
        return;
    }
    let _ = PairsHead {
        count: plural(pairs.len() as u64, "pair", "pairs"),
    }
    .render_into(out);
    for &i in pairs.iter().take(ROWS_UP_TO) {
        let p = &report.pairs[i];
        let why = reasons::of(report, p);
        let (c, a) = (
            &data.claims[p.claim as usize],
            &data.actions[p.action as usize],
        );
        let _ = PairRow {
            n,
            i,
            class: p.verdict.as_str(),
            verdict: match p.verdict {
                Verdict::Contradiction(k) => format!("contradiction ({})", k.as_str()),
                v => v.as_str().to_string(),
            },
            severity: p.severity(),
            claim: &c.id,
            claim_chip: score_chip(c.score),
            action: &a.id,
            action_chip: score_chip(a.score),
            when: timing_text(why.gap_days, why.order),
        }
        .render_into(out);
    }
    out.push_str("</tbody></table>\n");
    more_rows(out, pairs.len().saturating_sub(ROWS_UP_TO), "pairs");
    out.push_str("</details>\n");
}

/// An actor's role toward a principal, as the actors table shows it.
struct Role<'a> {
    principal: &'a str,
    role: &'a str,
    when: String,
}

/// An actor's row in the table of all actors.
#[derive(Template)]
#[template(
    ext = "html",
    source = r##"<tr><td>{{ name }} <code>{{ id }}</code></td><td>{% for r in roles %}{% if !loop.first %}; {% endif %}{{ r.principal }} ({{ r.role }}{{ r.when }}){% endfor %}</td><td>{{ s.claims|safe }}</td><td>{{ s.actions|safe }}</td><td>{{ s.pairs|safe }}</td><td class="{% if s.contradictions > 0 %}bad{% endif %}">{{ s.contradictions|safe }}</td><td>{{ s.duplicity|safe }}</td><td>{{ s.bluster|safe }}</td><td>{{ s.consistent|safe }}</td><td>{{ s.reciprocal|safe }}</td><td>{{ s.neutral|safe }}</td><td>{{ super::consistency(s.consistency) }}</td></tr>
"##
)]
struct ActorRow<'a> {
    name: &'a str,
    id: &'a str,
    roles: Vec<Role<'a>>,
    s: &'a ActorSummary,
}

/// Every actor's summary, most contradicted first, as in the table report.
pub(super) fn actors_table(out: &mut String, report: &Report<'_>) {
    let data = report.data;
    let actors = report.actors_by_contradictions();
    out.push_str("<section id=\"actors\"><h2>All actors</h2>\n<p class=\"hint\">Each actor counts the records made by it or on its behalf, and the pairs it stands behind on either side.</p>\n<table class=\"actors\"><thead><tr><th>actor</th><th>acts for</th><th>claims</th><th>actions</th><th>pairs</th><th>contradictions</th><th>duplicity</th><th>bluster</th><th>consistent</th><th>reciprocal</th><th>neutral</th><th>consistency index</th></tr></thead><tbody>\n");
    for s in actors {
        let actor = &data.actors[s.actor as usize];
        let roles = actor
            .roles
            .iter()
            .map(|r| Role {
                principal: &data.actors[r.principal as usize].id,
                role: &r.role,
                when: match (r.from, r.to) {
                    (None, None) => String::new(),
                    (from, to) => format!(
                        ", {}–{}",
                        from.map(|d| d.to_string()).unwrap_or_default(),
                        to.map(|d| d.to_string()).unwrap_or_default()
                    ),
                },
            })
            .collect();
        let _ = ActorRow {
            name: &actor.name,
            id: &actor.id,
            roles,
            s,
        }
        .render_into(out);
    }
    out.push_str("</tbody></table></section>\n");
}
