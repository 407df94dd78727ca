//! The only module with `unsafe` code: what makes saydo fast on the
//! machine's terms, behind safe, documented functions. Prefetching
//! ([`prefetch`]), byte scanning ([`first_special`]) and appending parts
//! made in parallel into place ([`parallel`]). Everything else in the
//! crate is `#![deny(unsafe_code)]`; each `unsafe` block here says why it
//! is sound.

#![allow(unsafe_code)]

pub mod parallel;
mod prefetch;
mod scan;
pub mod severity;

pub use prefetch::{prefetch, prefetch_all, prefetch_lines, prefetch_str};
pub use scan::first_special;
pub mod os;
