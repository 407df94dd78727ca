//! `saydo review`: a walk through the contradictions no one has decided
//! on yet, most severe first, each decision appended to `reviews/` as it
//! is made.
//!
//! The walk does not know where its answers come from: an [`Ask`] gives
//! them. The binary asks a terminal key by key; any other standard input
//! is read as a script of lines ([`Script`]), which is also how the walk
//! is tested. Each decision is written at once, by writing the whole file
//! anew beside it and renaming it into place, so quitting, a closed
//! terminal or a crash never leaves half a line, and the decisions made
//! before are kept.

use super::*;
use crate::engine::pair::Pair;
use crate::model::Decision;
use crate::render::common::{headline, reason_lines};
use crate::render::escape::inert;
use crate::report::{self, Filters, Report};
use serde::Serialize;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// Everything `saydo review` needs.
#[derive(Clone, Debug)]
pub struct ReviewConfig {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// Who decides, written in each decision's `by`.
    pub by: String,
    /// The date written in each decision (`YYYY-MM-DD`).
    pub date: String,
    /// The JSON Lines file of `reviews/` the decisions are appended to.
    pub file: String,
    /// An earlier JSON report: its findings are known, and not walked.
    pub baseline: Option<PathBuf>,
    /// The pairing window and threshold.
    pub settings: Settings,
}

/// One answer of the reviewer about the pair shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The finding stands; an optional note on how it was checked.
    Confirm(Option<String>),
    /// A false positive, and why.
    Dismiss(String),
    /// Undecided until a source is found, and which.
    NeedsSource(String),
    /// Next pair, deciding nothing.
    Skip,
    /// End the walk.
    Quit,
}

/// Where the walk's answers come from.
pub trait Ask {
    /// The answer about the pair just shown; `out` is where the pair was
    /// shown, for prompts. The end of input is [`Answer::Quit`].
    fn answer(&mut self, out: &mut dyn Write) -> io::Result<Answer>;
}

/// Answers read as lines: `c` (or `confirm`), `d REASON` (`dismiss`),
/// `n REASON` (`needs-source`), `s` (`skip`), `q` (`quit`). A dismissal or
/// a need of source without a reason on its line takes the next line as
/// the reason. A line that is none of these is answered with a reminder
/// and the next one read.
pub struct Script<R> {
    lines: R,
}

impl<R: BufRead> Script<R> {
    /// Answers from `lines`.
    pub fn new(lines: R) -> Self {
        Script { lines }
    }

    fn line(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        if self.lines.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        Ok(Some(line.trim().to_string()))
    }
}

impl<R: BufRead> Ask for Script<R> {
    fn answer(&mut self, out: &mut dyn Write) -> io::Result<Answer> {
        loop {
            let Some(line) = self.line()? else {
                return Ok(Answer::Quit);
            };
            let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
            let rest = rest.trim().to_string();
            let choice = match word {
                "c" | "confirm" => return Ok(Answer::Confirm((!rest.is_empty()).then_some(rest))),
                "s" | "skip" => return Ok(Answer::Skip),
                "q" | "quit" => return Ok(Answer::Quit),
                "d" | "dismiss" => Decision::Dismissed,
                "n" | "needs-source" => Decision::NeedsSource,
                "" => continue,
                _ => {
                    writeln!(
                        out,
                        "answer c (confirm), d REASON (dismiss), n REASON (needs source), s (skip) or q (quit)"
                    )?;
                    continue;
                }
            };
            let mut reason = rest;
            while reason.is_empty() {
                match self.line()? {
                    Some(r) => reason = r,
                    None => return Ok(Answer::Quit),
                }
            }
            return Ok(match choice {
                Decision::Dismissed => Answer::Dismiss(reason),
                _ => Answer::NeedsSource(reason),
            });
        }
    }
}

/// A decision as `reviews/` holds it, its fields in the documented order.
#[derive(Serialize)]
struct Line<'a> {
    claim: &'a str,
    action: &'a str,
    verdict: &'a str,
    decision: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    reason: &'a str,
    by: &'a str,
    date: &'a str,
}

pub(super) fn review(
    config: &ReviewConfig,
    io: &mut Io<'_>,
    ask: &mut dyn Ask,
) -> io::Result<Status> {
    if !config.file.ends_with(".jsonl")
        || config.file.contains(['/', '\\'])
        || config.file.starts_with('.')
    {
        return usage(
            io,
            &format!("--file \"{}\" is not the name of a .jsonl file", inert(&config.file)),
            Some("name a file of reviews/ such as decisions.jsonl; decisions are appended a line each".into()),
        );
    }
    let Some(data) = load_or_report(&config.dataset, io)? else {
        return Ok(Status::Error);
    };
    let baseline = match baseline_or_report(config.baseline.as_ref(), io)? {
        Ok(b) => b,
        Err(status) => return Ok(status),
    };
    io.progress.finish();
    let mut report = report::check(&data, config.settings, Filters::default());
    if let Some(b) = &baseline {
        report.mark_known(b);
    }
    check::warn_stale(&report.stale_reviews(), &data, &config.dataset, io)?;
    let flagged = report.flagged_indices();
    let open: Vec<usize> = flagged
        .iter()
        .copied()
        .filter(|&i| report.decision(i).is_none() && !report.is_known(i))
        .collect();
    let target = config.dataset.join("reviews").join(&config.file);
    let shown_target = Path::new("reviews").join(&config.file);
    if open.is_empty() {
        writeln!(
            io.stdout,
            "nothing to review: {} decided or known",
            render::common::plural(flagged.len() as u64, "contradiction", "contradictions")
        )?;
        return Ok(Status::Success);
    }
    writeln!(
        io.stdout,
        "{} to review, most severe first ({} decided or known); decisions go to {}",
        render::common::plural(open.len() as u64, "contradiction", "contradictions"),
        flagged.len() - open.len(),
        shown_target.display()
    )?;
    let mut written = 0usize;
    let mut seen = 0usize;
    for (n, &i) in open.iter().enumerate() {
        let p = &report.pairs[i];
        show(&report, p, (n + 1, open.len()), io.stdout)?;
        let (claim, action) = (
            &data.claims[p.claim as usize],
            &data.actions[p.action as usize],
        );
        io.stdout.flush()?;
        let answer = ask.answer(io.stdout)?;
        let (decision, reason) = match answer {
            Answer::Quit => break,
            Answer::Skip => {
                seen += 1;
                continue;
            }
            Answer::Confirm(note) => (Decision::Confirmed, note.unwrap_or_default()),
            Answer::Dismiss(r) => (Decision::Dismissed, r),
            Answer::NeedsSource(r) => (Decision::NeedsSource, r),
        };
        seen += 1;
        let verdict = p.verdict.kind().map_or(p.verdict.as_str(), |k| k.as_str());
        let line = Line {
            claim: &claim.id,
            action: &action.id,
            verdict,
            decision: decision.as_str(),
            reason: &reason,
            by: &config.by,
            date: &config.date,
        };
        append(&target, &line)?;
        written += 1;
        writeln!(
            io.stdout,
            "  → {} ({})",
            decision.as_str(),
            shown_target.display()
        )?;
    }
    writeln!(
        io.stdout,
        "\n{} written to {}; {} left to review",
        render::common::plural(written as u64, "decision", "decisions"),
        shown_target.display(),
        open.len() - seen
    )?;
    Ok(Status::Success)
}

/// Shows pair `p`, the `n`th of `of` to review: what was said and done,
/// by whom, on what, when, how severe, and where the two records are.
fn show(
    report: &Report<'_>,
    p: &Pair,
    (n, of): (usize, usize),
    out: &mut dyn Write,
) -> io::Result<()> {
    let data = report.data;
    writeln!(out, "\n[{n}/{of}] {}", inert(&headline(report, p)))?;
    let why = crate::engine::reasons::of(report, p);
    for line in reason_lines(report, p, &why) {
        writeln!(out, "  {}", inert(&line))?;
    }
    let (claim, action) = (
        &data.claims[p.claim as usize],
        &data.actions[p.action as usize],
    );
    writeln!(
        out,
        "  records: {}:{} and {}:{}",
        inert(data.files.display(claim.at.file)),
        claim.at.line,
        inert(data.files.display(action.at.file)),
        action.at.line
    )
}

/// Appends one decision to `path` (made, with its folder, if missing):
/// the file is written anew beside itself and renamed into place.
fn append(path: &Path, line: &Line<'_>) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut before = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    if !before.is_empty() && !before.ends_with(b"\n") {
        before.push(b'\n');
    }
    serde_json::to_writer(&mut before, line)?;
    before.push(b'\n');
    crate::output::write_atomically(path, |w| w.write_all(&before))
}
