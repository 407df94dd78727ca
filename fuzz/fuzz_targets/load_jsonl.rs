//! Arbitrary bytes as `actions/x.jsonl` beside a small valid dataset, then
//! `saydo::load`, with the same checks as `load_json`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    saydo_fuzz::load_with_file("load_jsonl", "actions/x.jsonl", bytes);
});
