//! The trend as a table for the terminal: its headline, the cells with
//! words and deeds by the size of their gap, and a legend.

use super::{fit, header, more, take, wrap};
use crate::render::escape::inert;
use crate::render::trend::{LEGEND, headline, shown};
use crate::report::trend::Trend;
use std::fmt::Write as _;

/// Renders the trend, fitted to `width`, at most `limit` cells (0: all).
pub fn render(trend: &Trend<'_>, width: usize, limit: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", wrap(&headline(trend), width));
    let cells = trend.by_gap();
    let _ = writeln!(out, "\nLargest gaps between words and deeds");
    if cells.is_empty() {
        let _ = writeln!(
            out,
            "none: no actor has words and deeds towards one target in one period"
        );
    } else {
        let n = take(limit, cells.len());
        let mut rows = vec![header(&[
            "actor → target",
            "period",
            "words",
            "deeds",
            "gap",
            "verdict",
            "contra",
            "say-do",
        ])];
        for cell in &cells[..n] {
            let s = shown(trend, cell);
            rows.push(vec![
                format!("{}\n→ {}", inert(&s.actor), inert(&s.target)),
                s.period,
                s.words,
                s.deeds,
                s.gap,
                s.verdict,
                s.contradictions,
                s.say_do,
            ]);
        }
        out.push_str(&fit(rows, width));
        out.push('\n');
        more(&mut out, n, cells.len(), "cells");
    }
    let _ = writeln!(out, "{}", wrap(LEGEND, width));
    out
}
