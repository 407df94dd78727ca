//! The terminal report (`--format table`, the default): a line of totals,
//! the actors' summary, the flagged pairs by severity with their reasons
//! (or, grouped by deed, each action that contradicts claims with the
//! claims it belies), then the claims' verdicts. Tables are fitted to the
//! terminal width (100 columns unless told), wrapping long text at word
//! boundaries.

use crate::date::format_day;
use crate::engine::reasons::{self, path_text, timing_text};
use crate::engine::score::{ClaimVerdict, Verdict};
use crate::model::About;
use crate::output::TakesBuffers;
use crate::render::common::{
    Counted, clip, consistency_text, decision_line, more_of, review_counts, review_mark,
    topic_names, totals,
};
use crate::render::escape::inert;
use crate::render::style::{Paint, Style};
use crate::render::{GroupBy, Printer};
use crate::report::Report;
use std::fmt::Write as _;
use std::io;
use tabled::builder::Builder;
use tabled::settings::Style as TableStyle;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

mod diff;
mod trend;
pub(crate) use diff::render as diff;
pub(crate) use trend::render as trend;

/// How the table report is laid out.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// Total width to fit, in columns.
    pub width: usize,
    /// Most rows per section (0: all).
    pub limit: usize,
    /// Colour or not.
    pub style: Style,
    /// Contradictions a row per pair, or a row per deed with the words it
    /// belies.
    pub group_by: GroupBy,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            width: 100,
            limit: 20,
            style: Style::PLAIN,
            group_by: GroupBy::Pair,
        }
    }
}

/// Longest line of a table cell, in characters. A longer line (a topic of
/// 600 KB) is cut to this many characters, the last one `…`, before it is
/// wrapped: the terminal shows a screenful of it rather than a flood, and
/// laying the table out stays quick. Far longer than any cell of real data,
/// whose record texts are clipped to 90 characters.
pub(crate) const MAX_CELL_LINE: usize = 1_000;

/// A cell with every line longer than [`MAX_CELL_LINE`] characters cut to
/// that many, ending with `…`; other cells unchanged.
pub(crate) fn clip_cell(cell: String) -> String {
    let too_long =
        |line: &str| line.len() > MAX_CELL_LINE && line.chars().nth(MAX_CELL_LINE).is_some();
    if !cell.split('\n').any(too_long) {
        return cell;
    }
    cell.split('\n')
        .map(|line| {
            if too_long(line) {
                let (cut, _) = line
                    .char_indices()
                    .nth(MAX_CELL_LINE - 1)
                    .unwrap_or((line.len(), ' '));
                format!("{}…", &line[..cut])
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lays rows out in a table no wider than `width`: columns keep their
/// natural width while they fit; otherwise the widest are narrowed first
/// (never below their header word), and cells wrap at spaces. Lines of
/// cells longer than [`MAX_CELL_LINE`] are clipped first.
fn fit(rows: Vec<Vec<String>>, width: usize) -> String {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.into_iter().map(clip_cell).collect())
        .collect();
    let cols = rows.first().map_or(0, Vec::len);
    let natural: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].lines().map(shown_width).max().unwrap_or(0))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let mut floor: Vec<usize> = (0..cols)
        .map(|c| {
            rows[0][c]
                .split_whitespace()
                .map(shown_width)
                .max()
                .unwrap_or(1)
                .max(3)
        })
        .collect();
    // The first column names the row: keep ids whole up to 24 columns.
    if cols > 0 {
        floor[0] = floor[0].max(natural[0].min(24));
    }
    // Each column costs its width plus two spaces of padding and a border.
    let budget = width.saturating_sub(3 * cols + 1);
    let widths = narrow(natural, &floor, budget);
    let mut b = Builder::default();
    for row in rows {
        b.push_record(row.iter().zip(&widths).map(|(cell, &w)| wrap(cell, w)));
    }
    let mut table = b.build();
    table.with(TableStyle::rounded());
    table.to_string()
}

/// Narrows the widest columns, one column at a time, until the widths fit
/// the budget or every column is at its floor.
fn narrow(mut widths: Vec<usize>, floor: &[usize], budget: usize) -> Vec<usize> {
    while widths.iter().sum::<usize>() > budget {
        let Some((widest, _)) = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| **w > floor[*i])
            .max_by_key(|(i, w)| (**w, usize::MAX - i))
        else {
            break;
        };
        widths[widest] -= 1;
    }
    widths
}

/// The columns `text` takes on a terminal: its width without the colour
/// sequences (`ESC [ … m`) that [`Style::paint`](crate::render::style::Style::paint)
/// puts around a coloured cell, which take no room.
fn shown_width(text: &str) -> usize {
    if !text.contains('\u{1b}') {
        return UnicodeWidthStr::width(text);
    }
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            plain.push(c);
        }
    }
    UnicodeWidthStr::width(plain.as_str())
}

/// Wraps each line of `text` at spaces to `width` columns, breaking words
/// longer than a line. Linear in the length of the text: a long word is
/// cut into lines in one walk over its characters.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let width = width.max(1);
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        let mut current_w = 0;
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let mut word = word;
            let mut w = shown_width(word);
            if current_w > 0 && current_w + 1 + w > width {
                out.push(std::mem::take(&mut current));
                current_w = 0;
            }
            if w > width {
                // Cut a long word into lines of the width (each of at
                // least one character), on a line of their own.
                // A line ends after its last hyphen where it has one, so
                // that ids and topics break between their parts.
                let (mut start, mut hw) = (0, 0);
                let mut after_hyphen: Option<(usize, usize)> = None;
                for (i, ch) in word.char_indices() {
                    let cw = UnicodeWidthChar::width(ch).unwrap_or(0);
                    if hw + cw > width && hw > 0 {
                        let (end, rest_w) = after_hyphen.unwrap_or((i, 0));
                        current.push_str(&word[start..end]);
                        out.push(std::mem::take(&mut current));
                        current_w = 0;
                        (start, hw, after_hyphen) = (end, rest_w, None);
                    }
                    hw += cw;
                    if ch == '-' && i + 1 < word.len() {
                        // Where the line would end, and the width of what
                        // follows it so far (nothing yet).
                        after_hyphen = Some((i + 1, 0));
                    } else if let Some((_, rest)) = after_hyphen.as_mut() {
                        *rest += cw;
                    }
                }
                word = &word[start..];
                w = shown_width(word);
                if w > width {
                    // Still wider than the line: one character wider than
                    // it (or a sequence measured wider than its parts).
                    current.push_str(word);
                    out.push(std::mem::take(&mut current));
                    current_w = 0;
                    continue;
                }
            }
            if current_w > 0 {
                current.push(' ');
                current_w += 1;
            }
            current.push_str(word);
            current_w += w;
        }
        out.push(current);
    }
    out.join("\n")
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn more(out: &mut String, shown: usize, total: usize, what: &str) {
    if total > shown {
        let _ = writeln!(
            out,
            "… {} more {what} (use --limit 0 for all, or --format json)",
            total - shown
        );
    }
}

fn take(limit: usize, n: usize) -> usize {
    if limit == 0 { n } else { limit.min(n) }
}

/// The table printer, laid out as its [`Layout`] says.
pub(crate) struct TablePrinter {
    pub layout: Layout,
}

impl Printer for TablePrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        out.write_all(render(report, &self.layout).as_bytes())
    }
}

/// Renders the report for a terminal.
pub fn render(report: &Report<'_>, layout: &Layout) -> String {
    let data = report.data;
    let style = layout.style;
    let t = totals(report);
    let mut out = String::new();
    let counted = Counted::of(report, &t);
    let headline = format!(
        "saydo check: {}, {}, {} → {}: {} ({} duplicity, {} bluster), {} consistent, {} reciprocal, {} neutral",
        counted.claims,
        counted.actions,
        counted.actors,
        counted.pairs,
        style.paint(
            if t.contradictions > 0 {
                Paint::Error
            } else {
                Paint::Good
            },
            &counted.contradictions
        ),
        t.duplicity,
        t.bluster,
        t.consistent,
        t.reciprocal,
        t.neutral,
    );
    let paint = if t.contradictions > 0 {
        Paint::Error
    } else {
        Paint::Good
    };
    let _ = writeln!(
        out,
        "{}",
        style.paint(paint, &wrap(&headline, layout.width))
    );
    let s = &report.settings;
    let _ = writeln!(
        out,
        "window: {} days before to {} days after each claim; threshold {}",
        s.lookback, s.horizon, s.threshold
    );
    if let Some(line) = review_counts(report) {
        let _ = writeln!(out, "{}", wrap(&line, layout.width));
    }

    // Actors, most contradicted first.
    let actors = report.actors_by_contradictions();
    let shown = take(layout.limit, actors.len());
    let _ = writeln!(out, "\n{}", style.paint(Paint::Bold, "Actors"));
    let mut rows = vec![header(&[
        "actor", "claims", "actions", "pairs", "contra", "dupl.", "blust.", "consist.", "say-do",
    ])];
    for a in &actors[..shown] {
        let actor = &data.actors[a.actor as usize];
        rows.push(vec![
            inert(&actor.id),
            a.claims.to_string(),
            a.actions.to_string(),
            a.pairs.to_string(),
            a.contradictions.to_string(),
            a.duplicity.to_string(),
            a.bluster.to_string(),
            a.consistent.to_string(),
            consistency_text(a.consistency),
        ]);
    }
    let mut legend = "contra: contradictions (dupl.: duplicity, warm words and hostile deeds; blust.: bluster, the reverse); say-do: consistency index, -1 to +1";
    let mut table = fit(rows.clone(), layout.width);
    // Narrower than the columns' headers: the kinds of contradiction go
    // (their sum stays), rather than the table overflowing the width.
    if table.lines().next().map_or(0, shown_width) > layout.width {
        for row in &mut rows {
            row.drain(5..7);
        }
        table = fit(rows, layout.width);
        legend = "contra: contradictions (duplicity, warm words and hostile deeds, and bluster, the reverse, each shown in a wider table); say-do: consistency index, -1 to +1";
    }
    out.push_str(&table);
    out.push('\n');
    more(&mut out, shown, actors.len(), "actors");
    let _ = writeln!(out, "{}", wrap(legend, layout.width));

    match layout.group_by {
        GroupBy::Pair => by_pair(&mut out, report, layout),
        GroupBy::Deed => by_deed(&mut out, report, layout),
    }

    // Claims: contradicted first, then mixed, upheld, untested.
    let mut claims: Vec<_> = report.claims.iter().collect();
    claims.sort_by(|a, b| {
        a.verdict.cmp(&b.verdict).then_with(|| {
            data.claims[a.claim as usize]
                .id
                .cmp(&data.claims[b.claim as usize].id)
        })
    });
    let shown = take(layout.limit, claims.len());
    let _ = writeln!(out, "\n{}", style.paint(Paint::Bold, "Claims"));
    let mut rows = vec![header(&[
        "verdict", "claim", "actor", "date", "pairs", "✗", "✓", "↔", "·",
    ])];
    for r in &claims[..shown] {
        let c = &data.claims[r.claim as usize];
        let verdict = match r.verdict {
            ClaimVerdict::Contradicted | ClaimVerdict::Mixed => {
                style.paint(Paint::Error, r.verdict.as_str())
            }
            ClaimVerdict::Upheld => style.paint(Paint::Good, r.verdict.as_str()),
            ClaimVerdict::Untested => style.paint(Paint::Dim, r.verdict.as_str()),
        };
        rows.push(vec![
            verdict,
            c.id.to_string(),
            inert(&data.actors[c.actor as usize].id),
            c.date.to_string(),
            r.pairs.to_string(),
            r.contradictions.to_string(),
            r.consistent.to_string(),
            r.reciprocal.to_string(),
            r.neutral.to_string(),
        ]);
    }
    out.push_str(&fit(rows, layout.width));
    out.push('\n');
    more(&mut out, shown, claims.len(), "claims");
    let _ = writeln!(
        out,
        "✗ contradictions  ✓ consistent  ↔ reciprocal  · neutral"
    );
    out
}

/// The contradictions, a row per pair, most severe first.
fn by_pair(out: &mut String, report: &Report<'_>, layout: &Layout) {
    let (data, style) = (report.data, layout.style);
    let total = report.contradictions();
    let flagged = report.most_severe(take(layout.limit, total));
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(Paint::Bold, "Contradictions, most severe first")
    );
    if flagged.is_empty() {
        let _ = writeln!(out, "none");
    } else {
        let shown = flagged.len();
        let mut rows = vec![header(&["severity", "kind", "said", "done", "why"])];
        for &i in &flagged {
            let p = &report.pairs[i];
            let claim = &data.claims[p.claim as usize];
            let action = &data.actions[p.action as usize];
            let why = reasons::of(report, p);
            let topics = if why.topics.is_empty() {
                "general stance".to_string()
            } else {
                let names = why
                    .topics
                    .iter()
                    .map(|&t| data.topics[t as usize].as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                inert(&names)
            };
            let mut kind = p.verdict.kind().map_or("", |k| k.as_str()).to_string();
            if let Some(mark) = review_mark(report, i) {
                kind.push('\n');
                kind.push_str(mark);
            }
            let mut why_text = format!(
                "said: {}\ndone: {}\non: {}\n{}",
                inert(&path_text(data, &why.claim_path)),
                inert(&path_text(data, &why.action_path)),
                topics,
                timing_text(why.gap_days, why.order)
            );
            if let Some(line) = decision_line(report, p) {
                why_text.push('\n');
                why_text.push_str(&inert(&clip(&line, 90)));
            }
            rows.push(vec![
                format!("{:.4}", p.severity()),
                kind,
                format!(
                    "{} ({}, stance {:+})\n{}",
                    claim.id,
                    claim.date,
                    claim.score,
                    clip(&claim.text, 90)
                ),
                format!(
                    "{} ({}, effect {:+}, {})\n{}",
                    action.id,
                    action.date,
                    action.score,
                    action.attribution.as_str(),
                    clip(&action.text, 90)
                ),
                why_text,
            ]);
        }
        out.push_str(&fit(rows, layout.width));
        out.push('\n');
        more(out, shown, total, "contradictions");
    }
}

/// The contradictions, a row per deed (action) with the words (claims) it
/// belies under it: most words first, then by the worst of them, then by
/// action id. `limit` caps the deeds, and the words under each; only the
/// rows shown are formatted.
fn by_deed(out: &mut String, report: &Report<'_>, layout: &Layout) {
    let (data, style) = (report.data, layout.style);
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(
            Paint::Bold,
            "Contradictions by deed, most words belied first"
        )
    );
    let deeds = report.deeds_by_words(layout.limit, layout.limit);
    if deeds.total == 0 {
        let _ = writeln!(out, "none");
        return;
    }
    let mut rows = vec![header(&["words", "done", "said, most severe first"])];
    let mut words_shown = 0;
    for deed in &deeds.deeds {
        let action = &data.actions[deed.action as usize];
        let mut said = String::new();
        for &i in &deed.pairs {
            let p = &report.pairs[i];
            let claim = &data.claims[p.claim as usize];
            let mark = review_mark(report, i).map_or(String::new(), |m| format!(", {m}"));
            let _ = writeln!(
                said,
                "• {:.4} {}{mark} {} ({}, {}, stance {:+})",
                p.severity(),
                p.verdict.kind().map_or("", |k| k.as_str()),
                claim.id,
                inert(&data.actors[claim.actor as usize].id),
                claim.date,
                claim.score,
            );
        }
        words_shown += deed.pairs.len();
        let left = (deed.words as usize).saturating_sub(deed.pairs.len());
        if left > 0 {
            let _ = writeln!(said, "… {}", more_of(left, "word", "words"));
        }
        said.pop();
        rows.push(vec![
            deed.words.to_string(),
            format!(
                "{} ({}, {}, effect {:+}, {})\n{}",
                action.id,
                inert(&data.actors[action.actor as usize].id),
                action.date,
                action.score,
                action.attribution.as_str(),
                clip(&action.text, 90)
            ),
            said,
        ]);
    }
    out.push_str(&fit(rows, layout.width));
    out.push('\n');
    let (deeds_left, words_left) = (
        deeds.total.saturating_sub(deeds.deeds.len()),
        deeds.words.saturating_sub(words_shown),
    );
    if words_left > 0 {
        let deeds_text = if deeds_left > 0 {
            format!("{}, ", more_of(deeds_left, "deed", "deeds"))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "… {deeds_text}{} (use --limit 0 for all, or --format json)",
            more_of(words_left, "word", "words")
        );
    }
}

/// Explains one claim (all its pairs) or one pair, for `saydo explain`.
pub(crate) fn explain(
    report: &Report<'_>,
    claim: u32,
    action: Option<u32>,
    style: Style,
) -> String {
    let data = report.data;
    let c = &data.claims[claim as usize];
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", style.paint(Paint::Bold, "claim"), c.id);
    let _ = writeln!(
        out,
        "  said by  {}",
        inert(&path_text(
            data,
            &[crate::engine::principals::Step {
                actor: c.actor,
                role: None
            }]
        ))
    );
    let _ = writeln!(out, "  on       {}", c.date);
    if let Some(t) = c.target {
        let _ = writeln!(out, "  toward   {}", inert(&data.actors[t as usize].id));
    }
    let _ = writeln!(
        out,
        "  topics   {}",
        if c.topics.is_empty() {
            "none (a general stance)".into()
        } else {
            inert(&topic_names(report, &c.topics))
        }
    );
    let _ = writeln!(out, "  stance   {:+}", c.score);
    match c.about {
        About::Any => {}
        About::Future => {
            let _ = writeln!(
                out,
                "  about    the future: only deeds that start on or after {} pair with it",
                format_day(c.date.first)
            );
        }
        About::Past => {
            let _ = writeln!(
                out,
                "  about    the past: only deeds that start on or before {} pair with it",
                format_day(c.date.last)
            );
        }
    }
    let _ = writeln!(out, "  text     {}", inert(&c.text));
    let _ = writeln!(
        out,
        "  at       {}:{}",
        inert(data.files.display(c.at.file)),
        c.at.line
    );
    let verdict = report
        .claims
        .iter()
        .find(|r| r.claim == claim)
        .map_or("untested", |r| r.verdict.as_str());
    let _ = writeln!(out, "  verdict  {}", style.paint(Paint::Bold, verdict));
    let pairs: Vec<_> = report
        .pairs
        .iter()
        .filter(|p| p.claim == claim && action.is_none_or(|a| p.action == a))
        .collect();
    if pairs.is_empty() {
        let _ = writeln!(out, "\nno action was paired with this claim");
    }
    for p in pairs {
        let x = &data.actions[p.action as usize];
        let why = reasons::of(report, p);
        let verdict = match p.verdict {
            Verdict::Contradiction(k) => {
                style.paint(Paint::Error, &format!("contradiction ({})", k.as_str()))
            }
            Verdict::Consistent => style.paint(Paint::Good, "consistent"),
            v => v.as_str().to_string(),
        };
        let _ = writeln!(
            out,
            "\n{} {} → {}  severity {:.4}",
            style.paint(Paint::Bold, "action"),
            x.id,
            verdict,
            p.severity()
        );
        let _ = writeln!(out, "  text        {}", inert(&x.text));
        let _ = writeln!(
            out,
            "  date        {} ({})",
            x.date,
            timing_text(why.gap_days, why.order)
        );
        let _ = writeln!(
            out,
            "  said by     {}",
            inert(&path_text(data, &why.claim_path))
        );
        let _ = writeln!(
            out,
            "  done by     {}",
            inert(&path_text(data, &why.action_path))
        );
        let _ = writeln!(
            out,
            "  topics      {}{}",
            if why.topics.is_empty() {
                "–".to_string()
            } else {
                inert(&topic_names(report, &why.topics))
            },
            if why.general_claim {
                " (the claim is a general stance)"
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "  scores      stance {:+} vs effect {:+} (threshold {})",
            c.score, x.score, report.settings.threshold
        );
        let _ = writeln!(out, "  attribution {}", x.attribution.as_str());
        let f = why.factors;
        let _ = writeln!(
            out,
            "  severity    {:.4} = strength {:.4} × attribution {:.2} × proximity {:.4} × order {:.2}",
            p.severity(),
            f.strength,
            f.attribution,
            f.proximity,
            f.order
        );
        if let Some(line) = decision_line(report, p) {
            let _ = writeln!(out, "  review      {}", inert(&line));
        }
        if p.verdict == Verdict::Reciprocal {
            let _ = writeln!(
                out,
                "  reciprocal: the deed answers a deed of the claim's target"
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;
