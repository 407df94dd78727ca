//! `saydo trend`: load, count words and deeds per actor, target and
//! period, print.

use super::*;
use crate::render::trend;
use crate::report::trend::trend as compute;
use std::io;

pub(super) fn trend(config: &TrendConfig, io: &mut Io<'_>) -> io::Result<Status> {
    let Some(mut data) = load_or_report(&config.dataset, io)? else {
        return Ok(Status::Error);
    };
    if !data.warnings.is_empty() {
        io.progress.finish();
        let text =
            check::warnings_in_brief(&data.warnings, &data, &config.dataset, io.colors.stderr);
        io.stderr.write_all(text.as_bytes())?;
    }
    // A trend counts; it never shows what a record says, and the memory
    // that holds is wanted for pairing.
    data.forget_texts();
    io.progress.stage("pairing", 0);
    let result = compute(&data, config.settings, config.by);
    io.progress.stage("writing", 0);
    if config.output.is_none() {
        io.progress.finish();
    }
    let written = emit(config.output.as_ref(), io, |w| {
        crate::output::pipelined(w, |w| {
            trend::write(&result, config.format, config.width, config.limit, w)
        })
    })?;
    io.progress.finish();
    if io.exits_after {
        std::mem::forget(result);
        std::mem::forget(data);
    }
    Ok(if written {
        Status::Success
    } else {
        Status::Error
    })
}
