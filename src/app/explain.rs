//! `saydo explain`: why a claim was paired and judged as it was.

use super::*;
use crate::engine::rules::Settings;
use crate::render;
use crate::render::explain::ExplainFormat;
use crate::report::{self, Filters};
use crate::suggest;
use std::io;
use std::path::Path;

pub(super) fn explain(
    dataset: &Path,
    claim: &str,
    action: Option<&str>,
    settings: Settings,
    format: ExplainFormat,
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
    render::explain::write(&report, c, a, format, io.colors.stdout, io.stdout)?;
    Ok(Status::Success)
}
