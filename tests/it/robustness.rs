//! No input may make saydo panic or hang: every truncation and many byte
//! flips of the bundled files, and arbitrary bytes, load to a dataset or to
//! located problems.

use crate::support::{copy_bundled, root};

use proptest::prelude::*;
use saydo::load;
use std::path::Path;

/// Loads with one file replaced by `bytes`; problems must be located.
fn load_with(dir: &Path, rel: &str, bytes: &[u8]) {
    std::fs::write(dir.join(rel), bytes).unwrap();
    if let Err(invalid) = load(dir) {
        assert!(
            invalid.problems.iter().any(|p| p.is_error()),
            "{rel}: invalid without an error"
        );
        for p in &invalid.problems {
            if p.file.is_some_and(|f| invalid.files.display(f) == rel) {
                assert!(
                    p.span.start <= bytes.len() + 1,
                    "{rel}: span {:?} past the end",
                    p.span
                );
            }
        }
        // Rendering must not panic either.
        let _ =
            saydo::render::problems::human(&invalid.problems, &invalid.files, Default::default());
    }
}

const FILES: [&str; 3] = [
    "actors/actors.json",
    "claims/iran.json",
    "actions/iran.json",
];

#[test]
fn every_truncation_of_the_bundled_files_loads_or_reports() {
    let dir = copy_bundled();
    for rel in FILES {
        let original = std::fs::read(root().join(rel)).unwrap();
        // Every length up to 300 bytes, then every 13th.
        let lengths = (0..original.len()).filter(|&n| n < 300 || n % 13 == 0);
        for n in lengths {
            load_with(dir.path(), rel, &original[..n]);
        }
        std::fs::write(dir.path().join(rel), &original).unwrap();
    }
}

#[test]
fn byte_flips_of_the_bundled_files_load_or_report() {
    let dir = copy_bundled();
    let replacements = [
        0u8, 0xFF, 0xC3, b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'\n', b'0', b'-',
    ];
    for rel in FILES {
        let original = std::fs::read(root().join(rel)).unwrap();
        for (i, pos) in (0..original.len()).step_by(11).enumerate() {
            let mut bytes = original.clone();
            bytes[pos] = replacements[i % replacements.len()];
            load_with(dir.path(), rel, &bytes);
        }
        std::fs::write(dir.path().join(rel), &original).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_as_a_claims_file_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let dir = copy_bundled();
        load_with(dir.path(), "claims/iran.json", &bytes);
        load_with(dir.path(), "claims/iran.json", &[]);
    }

    #[test]
    fn arbitrary_json_like_text_never_panics_the_loader(text in "[\\[\\]{}\",:0-9a-z\\\\ \\-.eE\\n]{0,200}") {
        let dir = copy_bundled();
        std::fs::write(dir.path().join("claims/more.jsonl"), &text).unwrap();
        let _ = load(dir.path());
    }
}
