//! `saydo explain`: why a claim was paired and judged as it was.

use super::*;
use crate::engine::rules::Settings;
use crate::render;
use crate::report::{self, Filters};
use crate::suggest;
use std::io;
use std::path::Path;

pub(super) fn explain(
    dataset: &Path,
    claim: &str,
    action: Option<&str>,
    settings: Settings,
    io: &mut Io<'_>,
) -> io::Result<Status> {
    let Some(data) = load_or_report(dataset, io)? else {
        return Ok(Status::Error);
    };
    let find = |records: &[crate::model::Record], id: &str| {
        records.iter().position(|r| &*r.id == id).map(|i| i as u32)
    };
    let Some(c) = find(&data.claims, claim) else {
        let near = suggest::closest(claim, data.claims.iter().map(|r| &*r.id));
        return usage(
            io,
            &format!("no claim has id \"{claim}\""),
            near.map(|n| format!("did you mean \"{n}\"?")),
        );
    };
    let a = match action {
        None => None,
        Some(id) => match find(&data.actions, id) {
            Some(a) => Some(a),
            None => {
                let near = suggest::closest(id, data.actions.iter().map(|r| &*r.id));
                return usage(
                    io,
                    &format!("no action has id \"{id}\""),
                    near.map(|n| format!("did you mean \"{n}\"?")),
                );
            }
        },
    };
    io.progress.finish();
    let report = report::check(&data, settings, Filters::default());
    if let Some(a) = a
        && !report.pairs.iter().any(|p| p.claim == c && p.action == a)
    {
        writeln!(
            io.stdout,
            "{claim} and {} are not paired:",
            data.actions[a as usize].id
        )?;
        for line in crate::engine::reasons::why_not(&report, c as usize, a as usize) {
            writeln!(io.stdout, "  - {}", render::escape::inert(&line))?;
        }
        return Ok(Status::Success);
    }
    let text = render::table::explain(&report, c, a, io.colors.stdout);
    io.stdout.write_all(text.as_bytes())?;
    Ok(Status::Success)
}
