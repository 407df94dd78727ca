//! saydo holds what actors *say* against what they *do*.
//!
//! A dataset is a folder of actors, claims (public statements) and actions
//! (dated deeds), described in `docs/data-format.md`. The library's whole
//! job is three calls:
//!
//! - [`load`] reads and validates a dataset folder into a
//!   [`model::Dataset`], or returns every problem found ([`Invalid`], a
//!   list of [`diag::Diagnostic`]s with their places);
//! - [`check`] pairs each claim with the same actor's actions in its time
//!   window and judges every pair and claim, giving a [`Report`];
//! - a printer of [`render`] turns the report (or the problems) into a
//!   table, Markdown, JSON and the formats CI systems read.
//!
//! ```no_run
//! let data = saydo::load(std::path::Path::new("."))?;
//! let report = saydo::check(&data, saydo::Settings::default(), saydo::Filters::default());
//! let mut json = Vec::new();
//! saydo::render::json::write(&report, &mut json)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Beside them, [`import`] turns event files into a dataset and [`draft`]
//! proposes claims and actions from a text, for a curator to finish.
//!
//! [`app`] runs the commands of the `saydo` binary on top of these, and
//! [`limits`] lists what saydo refuses to read. The library never prints:
//! it returns values and writes into the writers it is given.
//!
//! Everything else is private to the crate: input framing, validation
//! passes, the pairing index and the `unsafe` speed-ups behind `perf`.
//! The `internals` feature exposes a few of them to the fuzz targets and
//! benchmarks only; they are not an API.

#![warn(clippy::print_stdout, clippy::print_stderr)]
#![deny(unsafe_code)]
#![cfg_attr(not(feature = "internals"), deny(missing_docs))]

pub mod app;
pub mod cli;
pub mod date;
pub mod diag;
pub mod draft;
pub mod engines;
pub mod import;
pub mod limits;
pub mod model;
pub mod progress;
pub mod render;
pub mod report;
pub mod schema;

mod engine;
mod input;
mod output;
mod perf;
mod suggest;
mod validate;

pub use engine::rules::Settings;
pub use report::{Filters, Report, check};
pub use validate::{Invalid, Words, load, load_keeping, load_with};

/// Crate internals for the fuzz targets and benchmarks (the `internals`
/// feature); not an API, and free to change.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::engine::principals;
    pub use crate::input::{json, records, source};
    pub use crate::validate::names;
}
