//! saydo holds what actors *say* against what they *do*.
//!
//! A dataset is a folder of actors, claims (public statements) and actions
//! (dated deeds), described in `docs/data-format.md`. [`validate::load`] reads
//! and validates it into a [`model::Dataset`], reporting every problem with
//! its place; the engine pairs claims with the same actor's actions and
//! judges each pair; printers in [`render`] turn the result into tables,
//! JSON and the formats CI systems read.
//!
//! The library never prints: it returns values and strings, and the `saydo`
//! binary writes them.

#![warn(clippy::print_stdout, clippy::print_stderr)]
#![deny(unsafe_code)]

pub mod app;
pub mod cli;
pub mod date;
pub mod diag;
pub mod engine;
pub mod input;
pub mod model;
pub mod output;
pub mod perf;
pub mod progress;
pub mod render;
pub mod report;
pub mod schema;
pub mod suggest;
pub mod validate;
