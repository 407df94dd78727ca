//! saydo's integration tests, in one test binary (`cargo test --test it`),
//! so that they link once rather than once per file. Each module tests one
//! thing from outside the library; `support` holds what they share.
//!
//! Run one module with `cargo test --test it hostile::`. The insta
//! snapshots are in `tests/it/snapshots/` (named `it__<module>__<name>`),
//! the fixtures in `tests/fixtures/<case>/`, and proptest keeps the cases
//! it has shrunk to in `tests/proptest-regressions/<module>.txt` (its
//! default place for a test crate with a `main.rs`).

mod cli;
mod diff;
mod draft;
mod engine;
mod explain;
mod formats_ci;
mod formats_text;
mod grouped;
mod guarantees;
mod hostile;
mod html;
mod html_browser;
mod import_acled_csv;
mod import_gdelt;
mod import_icews_plover;
mod init;
mod properties;
mod review;
mod robustness;
mod schema;
mod seed;
mod support;
mod trend;
mod validate;
