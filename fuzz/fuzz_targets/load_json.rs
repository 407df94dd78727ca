//! Arbitrary bytes as `claims/x.json` beside a small valid dataset, then
//! `saydo::load`: it returns Ok or Err (with at least one error), every
//! problem's span lies within its file, and the problem printers (human,
//! JSON, GitHub, SARIF, JUnit) do not panic. When the data is valid, the
//! report is made and every printer's output is checked as in `printers`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    saydo_fuzz::load_with_file("load_json", "claims/x.json", bytes);
});
