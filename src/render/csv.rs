//! The CSV report (`--format csv`): one row per pair, for spreadsheets.
//!
//! People who review findings often do it in a spreadsheet, sorting and
//! filtering pairs by actor, verdict or severity. This printer writes RFC
//! 4180 CSV (comma-separated, CRLF line ends, fields quoted when they hold a
//! comma, a quote or a line break) through the `csv` crate, with a header
//! row and one row per pair in the report's order (claim id, then action
//! id). Actors are given by id; `topics` are the pair's topics joined with
//! `;`; `kind` is empty for every verdict but `contradiction`; `known` is
//! `true` for pairs already in the `--baseline`; `review` is the decision
//! of `reviews/` in force on the pair (`confirmed`, `dismissed`,
//! `needs-source`, or empty) and `review_reason` its reason.
//!
//! Formula injection: a spreadsheet may run a cell that starts with `=`,
//! `+`, `-` or `@` as a formula, so a dataset could make a reviewer's
//! spreadsheet fetch a URL or run a command. Following OWASP's advice on
//! CSV injection, every text cell taken from the data (ids, actor ids,
//! texts, topics, file names) whose first character is `=`, `+`, `-`, `@`,
//! a tab or a carriage return is written with a leading apostrophe `'`,
//! which spreadsheets show as text and do not evaluate (`csv_cell`).
//! So that the rule
//! can be undone exactly, a data text that already starts with `'` gets one
//! more: to get a data text back, strip one leading `'` if there is one.
//! Numeric columns (`stance`, `effect`, `severity`, `gap_days`,
//! `claim_line`) are written as plain numbers and never prefixed, so a
//! stance of -6 stays `-6` and still sorts and sums as a number; dates and
//! the words saydo itself writes (verdicts, kinds, attribution, order)
//! cannot start with those characters.
//!
//! Terminals and CI logs: a CSV file is printed too (`cat` in a CI step),
//! so in the same text cells, before the rule above, control characters
//! (line breaks and tabs included) and bidirectional overrides are written
//! as visible escapes such as `\u{1b}` and `\u{a}`, as in every format
//! shown in terminals (`inert`): no escape
//! sequence acts, and no line of the data can start a workflow command.
//! Records still end with saydo's own CR LF. (So a data cell no longer
//! starts with a tab or a carriage return; they stay among the formula
//! characters all the same.)

use crate::engine::reasons;
use crate::model::Dataset;
use crate::output::TakesBuffers;
use crate::render::Printer;
use crate::render::escape::csv_cell;
use crate::render::write_parallel;
use crate::report::Report;
use std::borrow::Cow;
use std::cell::RefCell;
use std::io;
use std::rc::Rc;

/// The header row, in column order.
pub(crate) const HEADER: [&str; 23] = [
    "claim_id",
    "claim_actor",
    "claim_date",
    "stance",
    "claim_text",
    "claim_file",
    "claim_line",
    "action_id",
    "action_actor",
    "action_date",
    "effect",
    "attribution",
    "action_text",
    "verdict",
    "kind",
    "severity",
    "principal",
    "topics",
    "gap_days",
    "order",
    "known",
    "review",
    "review_reason",
];

/// Bytes the per-row writer buffers before passing them on: most rows fit.
const ROW_BUFFER: usize = 1024;

fn builder() -> ::csv::WriterBuilder {
    let mut b = ::csv::WriterBuilder::new();
    b.terminator(::csv::Terminator::CRLF).has_headers(false);
    b
}

/// The CSV printer.
pub(crate) struct CsvPrinter;

impl Printer for CsvPrinter {
    fn write(&self, report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes the report as CSV.
pub fn write(report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    write_header(out)?;
    write_rows(report, out)
}

/// Writes the header row.
pub fn write_header(out: &mut dyn TakesBuffers) -> io::Result<()> {
    let mut header = builder().from_writer(&mut *out);
    header.write_record(HEADER)?;
    header.flush()
}

/// Writes a row per pair of the report (after the header, or after the
/// rows of the runs of claims before, in a check made run by run).
pub fn write_rows(report: &Report<'_>, out: &mut dyn TakesBuffers) -> io::Result<()> {
    write_parallel(out, report.pairs.len(), |i, buf| {
        let cells = row(report, i);
        ROWS.with(|(w, written)| {
            let mut w = w.borrow_mut();
            w.write_record(cells.iter().map(|c| c.as_bytes()))?;
            w.flush()?;
            buf.append(&mut written.borrow_mut());
            Ok(())
        })
    })
}

thread_local! {
    /// A CSV writer per thread and what it has written, taken after each
    /// row: a writer made per row would allocate its buffer again for
    /// each of millions of rows.
    static ROWS: (RefCell<::csv::Writer<Shared>>, Rc<RefCell<Vec<u8>>>) = {
        let written = Rc::new(RefCell::new(Vec::new()));
        let w = builder()
            .buffer_capacity(ROW_BUFFER)
            .from_writer(Shared(Rc::clone(&written)));
        (RefCell::new(w), written)
    };
}

/// Bytes written into a buffer someone else holds too.
struct Shared(Rc<RefCell<Vec<u8>>>);

impl io::Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One pair's cells, in the order of [`HEADER`].
fn row<'a>(report: &'a Report<'a>, i: usize) -> Vec<Cow<'a, str>> {
    let data: &'a Dataset = report.data;
    let p = &report.pairs[i];
    let review = report.decision(i);
    let claim = &data.claims[p.claim as usize];
    let action = &data.actions[p.action as usize];
    let actor_id = |ix: u32| csv_cell(&data.actors[ix as usize].id);
    let why = reasons::brief(report, p);
    let topics = why
        .topics
        .iter()
        .map(|&t| data.topics[t as usize].as_str())
        .collect::<Vec<_>>()
        .join(";");
    vec![
        csv_cell(&claim.id),
        actor_id(claim.actor),
        Cow::Owned(claim.date.to_string()),
        Cow::Owned(claim.score.to_string()),
        csv_cell(&claim.text),
        csv_cell(data.files.display(claim.at.file)),
        Cow::Owned(claim.at.line.to_string()),
        csv_cell(&action.id),
        actor_id(action.actor),
        Cow::Owned(action.date.to_string()),
        Cow::Owned(action.score.to_string()),
        Cow::Borrowed(action.attribution.as_str()),
        csv_cell(&action.text),
        Cow::Borrowed(p.verdict.as_str()),
        Cow::Borrowed(p.verdict.kind().map_or("", |k| k.as_str())),
        Cow::Owned(p.severity().to_string()),
        actor_id(why.principal),
        Cow::Owned(csv_cell(&topics).into_owned()),
        Cow::Owned(why.gap_days.to_string()),
        Cow::Borrowed(why.order.as_str()),
        Cow::Borrowed(if report.is_known(i) { "true" } else { "false" }),
        Cow::Borrowed(review.map_or("", |r| r.decision.as_str())),
        review.map_or(Cow::Borrowed(""), |r| csv_cell(&r.reason)),
    ]
}
