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
//! dataset is HTML-escaped (`escape::Html`), a URL becomes a link only
//! when it is `http(s)` (`escape::web_url`), nothing from the data reaches the script or the
//! style sheet, and a Content Security Policy forbids every request. It
//! reads without JavaScript: the SVG and the tables are written here, and
//! the small inline script only adds highlighting on hover and filters. The
//! output depends on the report alone (no clock, no random ids), so it can
//! be diffed.
//!
//! The page is written in parts, one file each: `timeline.rs` chooses what
//! each timeline draws; `page.rs` writes the head, the header and the
//! foot; `section.rs` writes a timeline's section, with its chart from
//! `svg.rs` and the tables from `tables.rs`; `color.rs` gives scores their
//! colour.

mod color;
mod page;
mod section;
mod svg;
mod tables;
mod timeline;

use crate::output::TakesBuffers;
use crate::render::Printer;
use crate::report::Report;
use page::{foot, head, header};
use section::section;
use std::io::{self, Write};
use tables::actors_table;
use timeline::{claim_verdicts, summaries_by_actor, timelines};

/// Records on one timeline above which its SVG grows wider than the page
/// (and scrolls sideways), so that marks keep some room.
pub(crate) const WIDE_ABOVE: usize = 300;
/// Records on one timeline above which only the records taking part in a
/// contradiction are drawn: beyond this a chart of everything is a smear.
pub(crate) const SPARSE_ABOVE: usize = 2000;
/// Pairs on one timeline above which only contradictions get a link (and
/// a row in the list of all pairs).
pub(crate) const LINKS_UP_TO: usize = 5000;
/// Most rows in the lists of contradictions and of all pairs under a
/// timeline; the JSON report has every one.
pub(crate) const ROWS_UP_TO: usize = 1000;

/// The HTML printer.
pub(crate) struct HtmlPrinter;

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

/// A score with its sign: `+6`, `-2.5`.
fn score_text(score: f64) -> String {
    format!("{score:+}")
}
