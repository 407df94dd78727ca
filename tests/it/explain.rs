//! `saydo explain`: the text it prints, pinned byte for byte.

use crate::support::{Saydo, root};

/// Runs `saydo explain` with `args` in `dir` and gives back the command
/// and what it printed, for a snapshot that shows both.
fn shown(dir: &std::path::Path, args: &[&str]) -> String {
    let r = Saydo::new().current_dir(dir).args(args).run();
    r.expect(0);
    format!("$ saydo {}\n{}", args.join(" "), r.out())
}

/// The table of every kind of answer (a claim and all its pairs, one
/// pair, a pair not made, a claim paired with nothing, and colour), so
/// that any change to the text shows in review.
#[test]
fn the_table_is_pinned() {
    let about = root().join("tests/fixtures/about");
    let runs = [
        shown(
            &root(),
            &["explain", "raisi-karabakh-pledge", "--color", "never"],
        ),
        shown(
            &root(),
            &[
                "explain",
                "raisi-karabakh-pledge",
                "ardabil-cleric-insults-2025",
                "--color",
                "never",
            ],
        ),
        shown(
            &root(),
            &[
                "explain",
                "khamenei-liberated",
                "ardabil-cleric-insults-2025",
            ],
        ),
        shown(
            &root(),
            &[
                "explain",
                "raisi-karabakh-pledge",
                "iran-hydro-plants-2024-05",
                "--color",
                "always",
            ],
        ),
        shown(&about, &["explain", "c3", "--dataset", ".", "--color", "never"]),
    ];
    insta::assert_snapshot!("table", runs.join("\n"));
}
