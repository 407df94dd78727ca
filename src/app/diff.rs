//! `saydo diff`: read two JSON reports, compare them, print.

use super::*;
use crate::render::diff;
use crate::report::diff::{diff as compare, read};
use std::io;

pub(super) fn diff(config: &DiffConfig, io: &mut Io<'_>) -> io::Result<Status> {
    io.progress.finish();
    let hint = || Some("give reports written by saydo check --format json".to_string());
    let old = match read(&config.old) {
        Ok(r) => r,
        Err(message) => return usage(io, &message, hint()),
    };
    let new = match read(&config.new) {
        Ok(r) => r,
        Err(message) => return usage(io, &message, hint()),
    };
    let result = compare(&old, &new, config.all);
    drop((old, new));
    let written = emit(config.output.as_ref(), io, |w| {
        crate::output::pipelined(w, |w| {
            diff::write(&result, config.format, config.width, config.limit, w)
        })
    })?;
    Ok(if !written {
        Status::Error
    } else if config.fail_on_new && result.regressions > 0 {
        Status::Findings
    } else {
        Status::Success
    })
}
