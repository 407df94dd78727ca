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
//! dataset is HTML-escaped (by `escape::HtmlEscaper`), a URL becomes a link only
//! when it is `http(s)` (`escape::web_url`), nothing from the data reaches the script or the
//! style sheet, and a Content Security Policy forbids every request. It
//! reads without JavaScript: the SVG and the tables are written here, and
//! the small inline script only adds highlighting on hover and filters. The
//! output depends on the report alone (no clock, no random ids), so it can
//! be diffed.
//!
//! The markup is in askama templates, next to the values they print. Their
//! escaper is saydo's own (`escape::HtmlEscaper`, named in `askama.toml`),
//! so a value is escaped unless its template marks it `|safe`, which only
//! numbers, colours and markup made by another template are: forgetting
//! to escape a string takes a visible `|safe`, not a missing call.
//!
//! The page is written in parts, one file each: `timeline.rs` chooses what
//! each timeline draws; `page.rs` writes the head, the header and the
//! foot; `section.rs` writes a timeline's section, with its chart from
//! `svg.rs` (the marks and links from `marks.rs`) and the tables from
//! `tables.rs`; `color.rs` gives scores their colour. `trend.rs` writes
//! `saydo trend --format html`, a page of its own in the same frame.

mod color;
mod marks;
mod page;
mod section;
mod svg;
mod tables;
mod timeline;
pub(crate) mod trend;

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

/// A number with a fixed count of decimals, for templates: `f1(x)` prints
/// `x` as `{:.1}` does (coordinates), `f4` severities, and so on.
pub(super) struct Fixed(f64, usize);

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.*}", self.1, self.0)
    }
}

pub(super) fn f0(x: &f64) -> Fixed {
    Fixed(*x, 0)
}
pub(super) fn f1(x: &f64) -> Fixed {
    Fixed(*x, 1)
}
pub(super) fn f2(x: &f64) -> Fixed {
    Fixed(*x, 2)
}
pub(super) fn f3(x: &f64) -> Fixed {
    Fixed(*x, 3)
}
pub(super) fn f4(x: &f64) -> Fixed {
    Fixed(*x, 4)
}

/// A score with its sign (`+6`, `-2.5`), for templates.
pub(super) struct Signed(f64);

impl std::fmt::Display for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:+}", self.0)
    }
}

pub(super) fn signed(x: &f64) -> Signed {
    Signed(*x)
}

/// [`plural`](crate::render::common::plural) for templates, which pass
/// their values by reference.
pub(super) fn plural_of(n: &u32, one: &str, many: &str) -> String {
    crate::render::common::plural(*n, one, many)
}

/// [`consistency_text`](crate::render::common::consistency_text) for
/// templates.
pub(super) fn consistency(x: &Option<f64>) -> String {
    crate::render::common::consistency_text(*x)
}
