//! The Markdown report (`--format markdown`): GitHub-flavoured Markdown for
//! a CI job summary (`$GITHUB_STEP_SUMMARY`), a pull-request comment or a
//! wiki page.
//!
//! It says what the terminal table says, in the same order: a heading, a
//! line of totals, the actors' summary, the contradictions by severity with
//! their reasons (the chain of roles on each side, the topics, the timing,
//! the factors of the severity; pairs already in the `--baseline` marked
//! "(known)"), then the contradicted and mixed claims. `limit` caps the rows
//! of each section (0: all), as `--limit` does for the table. Grouped by
//! deed ([`GroupBy::Deed`]), the contradictions are a row per action with
//! the claims it belies, each still marked "(known)" when it is.
//!
//! Record texts, names, topics and roles come from the dataset, so every
//! one goes through `escape::markdown` before it reaches the page: a dataset can
//! neither break a table, nor start a heading, emphasis or code span, nor
//! inject HTML, a link or an image. GitHub refuses job summaries over
//! 1 MiB, so rows stop with a note once the page nears `BUDGET` bytes.

use crate::engine::reasons::{self, path_text, timing_text};
use crate::engine::score::ClaimVerdict;
use crate::output::TakesBuffers;
use crate::render::common::{
    Counted, clip, consistency_text, decision_line, more_of, review_counts, review_mark, totals,
};
use crate::render::escape;
use crate::render::{GroupBy, Printer};
use crate::report::Report;
use std::io::{self, Write};

/// Most bytes of rows written: GitHub takes job summaries of up to 1 MiB
/// (1,048,576 bytes); this leaves room for the headings and notes written
/// after the budget is spent.
pub(crate) const BUDGET: usize = 1_000_000;

/// Characters of a record's text shown in a cell.
const TEXT_CHARS: usize = 160;

/// Writes to `out`, counting bytes against [`BUDGET`].
struct Page<'w> {
    out: &'w mut dyn Write,
    written: usize,
    full: bool,
}

impl Page<'_> {
    /// Headings, table heads and notes: always written.
    fn text(&mut self, s: &str) -> io::Result<()> {
        self.written += s.len();
        self.out.write_all(s.as_bytes())
    }

    /// A row: written only while it fits the budget.
    fn row(&mut self, s: &str) -> io::Result<bool> {
        if self.full || self.written + s.len() > BUDGET {
            self.full = true;
            return Ok(false);
        }
        self.text(s)?;
        Ok(true)
    }

    /// Writes a table: its head, then rows until `limit`, the end or the
    /// budget, then a note on what was left out.
    fn table(
        &mut self,
        head: &str,
        count: usize,
        limit: usize,
        what: &str,
        mut make: impl FnMut(usize) -> String,
    ) -> io::Result<()> {
        let wanted = if limit == 0 { count } else { limit.min(count) };
        let mut shown = 0;
        if !self.full {
            self.text(head)?;
            while shown < wanted && self.row(&make(shown))? {
                shown += 1;
            }
        }
        if shown < count {
            self.text("\n")?;
            let left = count - shown;
            if shown < wanted {
                self.text(&format!(
                    "_… {left} more {what} not shown: this page stays under GitHub's 1 MiB limit for job summaries; use `--format json` for everything._\n"
                ))?;
            } else {
                self.text(&format!(
                    "_… {left} more {what}: use `--limit 0` for all, or `--format json`._\n"
                ))?;
            }
        }
        Ok(())
    }
}

/// The Markdown printer, at most `limit` rows per section (0: all), its
/// contradictions grouped as `group_by` says.
pub(crate) struct MarkdownPrinter {
    pub limit: usize,
    pub group_by: GroupBy,
}

impl Printer for MarkdownPrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        write_grouped(report, out, self.limit, self.group_by)
    }
}

/// Writes the report as Markdown, at most `limit` rows per section (0: all),
/// a row per contradiction.
pub fn write(report: &Report<'_>, out: &mut dyn Write, limit: usize) -> io::Result<()> {
    write_grouped(report, out, limit, GroupBy::Pair)
}

/// Writes the report as Markdown, at most `limit` rows per section (0: all),
/// its contradictions a row per pair or a row per deed as `group_by` says
/// (with [`GroupBy::Deed`], `limit` also caps the words under each deed).
pub fn write_grouped(
    report: &Report<'_>,
    out: &mut dyn Write,
    limit: usize,
    group_by: GroupBy,
) -> io::Result<()> {
    let data = report.data;
    let mut page = Page {
        out,
        written: 0,
        full: false,
    };
    let t = totals(report);
    page.text("# saydo check\n\n")?;
    let known = if !report.has_baseline() {
        String::new()
    } else {
        let n = report.known_contradictions();
        format!(" ({n} of the contradictions known from the baseline)")
    };
    let counted = Counted::of(report, &t);
    page.text(&format!(
        "**{}, {}, {} → {}: {} ({} duplicity, {} bluster), {} consistent, {} reciprocal, {} neutral**{known}\n\n",
        counted.claims,
        counted.actions,
        counted.actors,
        counted.pairs,
        counted.contradictions,
        t.duplicity,
        t.bluster,
        t.consistent,
        t.reciprocal,
        t.neutral,
    ))?;
    let s = &report.settings;
    let mut settings = format!(
        "Window: {} days before to {} days after each claim; threshold {}",
        s.lookback, s.horizon, s.threshold
    );
    let f = &report.filters;
    for (name, value) in [
        ("actor", f.actor.map(|a| data.actors[a as usize].id.clone())),
        ("topic", f.topic.map(|t| data.topics[t as usize].clone())),
        ("since", f.since.map(|d| d.to_string())),
        ("until", f.until.map(|d| d.to_string())),
    ] {
        if let Some(v) = value {
            settings.push_str(&format!("; {name} {}", escape::markdown(&v)));
        }
    }
    page.text(&format!("{settings}.\n"))?;
    if !data.reviews.is_empty()
        && let Some(line) = review_counts(report)
    {
        let mut line = line;
        line[..1].make_ascii_uppercase();
        page.text(&format!("\n{line}.\n"))?;
    }

    // Actors, most contradicted first (as in the table).
    let actors = report.actors_by_contradictions();
    page.text("\n## Actors\n\n")?;
    page.table(
        "| actor | name | claims | actions | pairs | contradictions | duplicity | bluster | consistent | say-do |\n\
         |---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n",
        actors.len(),
        limit,
        "actors",
        |i| {
            let a = actors[i];
            let actor = &data.actors[a.actor as usize];
            format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                escape::markdown(&actor.id),
                escape::markdown(&clip(&actor.name, 80)),
                a.claims,
                a.actions,
                a.pairs,
                a.contradictions,
                a.duplicity,
                a.bluster,
                a.consistent,
                consistency_text(a.consistency),
            )
        },
    )?;
    page.text(
        "\nDuplicity: warm words, hostile deeds. Bluster: the reverse. \
         Say-do: consistency index from -1 (every judged pair contradicts) to +1 (every one is consistent), weighted by severity.\n",
    )?;

    match group_by {
        GroupBy::Pair => by_pair(&mut page, report, limit)?,
        GroupBy::Deed => by_deed(&mut page, report, limit)?,
    }

    // Claims that did not hold: contradicted first, then mixed.
    let mut claims: Vec<_> = report
        .claims
        .iter()
        .filter(|r| matches!(r.verdict, ClaimVerdict::Contradicted | ClaimVerdict::Mixed))
        .collect();
    claims.sort_by(|a, b| {
        a.verdict.cmp(&b.verdict).then_with(|| {
            data.claims[a.claim as usize]
                .id
                .cmp(&data.claims[b.claim as usize].id)
        })
    });
    page.text("\n## Contradicted and mixed claims\n\n")?;
    if claims.is_empty() {
        page.text("None.\n")?;
    } else {
        page.table(
            "| verdict | claim | actor | date | pairs | contradictions | consistent | worst severity | text |\n\
             |---|---|---|---|--:|--:|--:|--:|---|\n",
            claims.len(),
            limit,
            "claims",
            |i| {
                let r = claims[i];
                let c = &data.claims[r.claim as usize];
                format!(
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                    r.verdict.as_str(),
                    escape::markdown(&c.id),
                    escape::markdown(&data.actors[c.actor as usize].id),
                    c.date,
                    r.pairs,
                    r.contradictions,
                    r.consistent,
                    r.worst.map_or_else(|| "–".to_string(), |w| format!("{w:.4}")),
                    escape::markdown(&clip(&c.text, TEXT_CHARS)),
                )
            },
        )?;
    }
    Ok(())
}

/// The contradictions, a row per pair, most severe first (ties in report
/// order).
fn by_pair(page: &mut Page<'_>, report: &Report<'_>, limit: usize) -> io::Result<()> {
    let data = report.data;
    // Only the rows shown are ranked: the page stops at `limit` rows or
    // before 1 MiB, so without a limit more are ranked as it fills.
    let total = report.contradictions();
    let mut flagged = report.most_severe(if limit == 0 { 1024 } else { limit }.min(total));
    page.text("\n## Contradictions, most severe first\n\n")?;
    if total == 0 {
        page.text("None.\n")?;
    } else {
        page.table(
            "| # | severity | kind | said | done | why |\n|--:|--:|---|---|---|---|\n",
            total,
            limit,
            "contradictions",
            |n| {
                if n >= flagged.len() {
                    flagged = report.most_severe((n + 1).max(flagged.len() * 4).min(total));
                }
                let i = flagged[n];
                let p = &report.pairs[i];
                let claim = &data.claims[p.claim as usize];
                let action = &data.actions[p.action as usize];
                let why = reasons::of(report, p);
                let topics = if why.topics.is_empty() {
                    "general stance".to_string()
                } else {
                    why.topics
                        .iter()
                        .map(|&t| escape::markdown(&data.topics[t as usize]))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let f = why.factors;
                format!(
                    "| {} | {:.4} | {}{} | **{}** ({}, stance {:+})<br>{} | **{}** ({}, effect {:+}, {})<br>{} | said by: {}<br>done by: {}<br>on: {}{}<br>{}<br>severity {:.4} = strength {:.4} × attribution {:.2} × proximity {:.4} × order {:.2}{} |\n",
                    n + 1,
                    p.severity(),
                    p.verdict.kind().map_or("", |k| k.as_str()),
                    mark(report, i),
                    escape::markdown(&claim.id),
                    claim.date,
                    claim.score,
                    escape::markdown(&clip(&claim.text, TEXT_CHARS)),
                    escape::markdown(&action.id),
                    action.date,
                    action.score,
                    action.attribution.as_str(),
                    escape::markdown(&clip(&action.text, TEXT_CHARS)),
                    escape::markdown(&path_text(data, &why.claim_path)),
                    escape::markdown(&path_text(data, &why.action_path)),
                    topics,
                    if why.general_claim {
                        " (the claim is a general stance)"
                    } else {
                        ""
                    },
                    timing_text(why.gap_days, why.order),
                    p.severity(),
                    f.strength,
                    f.attribution,
                    f.proximity,
                    f.order,
                    decision_line(report, p)
                        .map_or(String::new(), |l| format!("<br>{}", escape::markdown(&l))),
                )
            },
        )?;
    }
    Ok(())
}

/// A flagged pair's mark after its kind: the decision in force on it, or
/// "(known)" when the baseline has it; nothing for a new one.
fn mark(report: &Report<'_>, i: usize) -> String {
    match review_mark(report, i) {
        None | Some("new") => String::new(),
        Some(m) => format!(" ({m})"),
    }
}

/// The contradictions, a row per deed (action) with the words (claims) it
/// belies: deeds that belie the most words first, then by the worst of
/// them, then by action id; under each, its words most severe first, then
/// by claim id, those known from the baseline marked. `limit` caps the
/// deeds and the words under each; only the rows written are formatted.
fn by_deed(page: &mut Page<'_>, report: &Report<'_>, limit: usize) -> io::Result<()> {
    let data = report.data;
    page.text("\n## Contradictions by deed, most words belied first\n\n")?;
    let deeds = report.deeds_by_words(limit, limit);
    if deeds.total == 0 {
        return page.text("None.\n");
    }
    page.table(
        "| # | words | done | said, most severe first |\n|--:|--:|---|---|\n",
        deeds.total,
        limit,
        "deeds",
        |n| {
            let deed = &deeds.deeds[n];
            let action = &data.actions[deed.action as usize];
            let mut said = String::new();
            for &i in &deed.pairs {
                // A row past the budget is not written: stop making it.
                if said.len() > BUDGET {
                    break;
                }
                let p = &report.pairs[i];
                let claim = &data.claims[p.claim as usize];
                if !said.is_empty() {
                    said.push_str("<br>");
                }
                said.push_str(&format!(
                    "• {:.4} {}{} **{}** ({}, {}, stance {:+})",
                    p.severity(),
                    p.verdict.kind().map_or("", |k| k.as_str()),
                    mark(report, i),
                    escape::markdown(&claim.id),
                    escape::markdown(&data.actors[claim.actor as usize].id),
                    claim.date,
                    claim.score,
                ));
            }
            let left = (deed.words as usize).saturating_sub(deed.pairs.len());
            if left > 0 {
                said.push_str(&format!("<br>… {}", more_of(left, "word", "words")));
            }
            format!(
                "| {} | {} | **{}** ({}, {}, effect {:+}, {})<br>{} | {} |\n",
                n + 1,
                deed.words,
                escape::markdown(&action.id),
                escape::markdown(&data.actors[action.actor as usize].id),
                action.date,
                action.score,
                action.attribution.as_str(),
                escape::markdown(&clip(&action.text, TEXT_CHARS)),
                said,
            )
        },
    )
}
