//! `saydo trend`: load, count words and deeds per actor, target and
//! period, print.

use super::*;
use crate::render::trend;
use crate::report::trend::{Trend, trend as compute};
use std::io;

pub(super) fn trend(config: &TrendConfig, io: &mut Io<'_>) -> io::Result<Status> {
    // A trend counts; it never shows what a record says.
    let Some(data) = load_keeping_or_report(&config.dataset, Words::NONE, io)? else {
        return Ok(Status::Error);
    };
    if !data.warnings.is_empty() {
        io.progress.finish();
        let text =
            check::warnings_in_brief(&data.warnings, &data, &config.dataset, io.colors.stderr);
        io.stderr.write_all(text.as_bytes())?;
    }
    io.progress.stage("pairing", 0);
    let result = if config.engine == crate::engines::Engine::Native {
        compute(&data, config.settings, config.by)
    } else {
        match on_engine(config, &data) {
            Ok(t) => t,
            Err(message) => {
                io.progress.finish();
                return usage(io, &message, None);
            }
        }
    };
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

/// The trend on another engine than saydo's own (`--engine`): the plans
/// pair, judge and count; saydo's printers print their cells. The error
/// says why there is none: this build lacks the engine, or it failed
/// (exit 2 either way, as `check` has it).
#[cfg(feature = "datafusion")]
fn on_engine<'d>(config: &TrendConfig, data: &'d Dataset) -> Result<Trend<'d>, String> {
    if let Some(why) = config.engine.unavailable() {
        let name = config.engine.name();
        return Err(format!("--engine {name}: {why}"));
    }
    crate::engines::trend(
        data,
        config.settings,
        config.by,
        &config.engine,
        config.engine_dir.as_deref(),
    )
}

#[cfg(not(feature = "datafusion"))]
fn on_engine<'d>(config: &TrendConfig, _: &'d Dataset) -> Result<Trend<'d>, String> {
    let name = config.engine.name();
    let why = config.engine.unavailable().unwrap_or_default();
    Err(format!("--engine {name}: {why}"))
}
