//! The bundled dataset: it validates clean, every quote is proven, a
//! one-word change to any quote fails validation naming the record, and
//! `saydo check` finds what docs/seed-dataset expectations (from the
//! project's spec) list.

use crate::support::{Saydo, copy_bundled, root};

use saydo::Settings;
use saydo::load;
use saydo::model::Dataset;
use saydo::report::{self, Filters, Report};

fn bundled() -> Dataset {
    load(&root()).unwrap_or_else(|e| panic!("bundled dataset is invalid: {:#?}", e.problems))
}

fn find<'a>(r: &'a Report<'_>, claim: &str, action: &str) -> Option<&'a saydo::report::Pair> {
    r.pairs.iter().find(|p| {
        &*r.data.claims[p.claim as usize].id == claim
            && &*r.data.actions[p.action as usize].id == action
    })
}

#[test]
fn the_bundled_dataset_validates_without_problems() {
    let data = bundled();
    assert!(data.warnings.is_empty(), "{:#?}", data.warnings);
    assert!(data.claims.len() >= 4 && data.actions.len() >= 5);
}

#[test]
fn every_record_quotes_the_seed_text_and_the_quote_is_found() {
    let data = bundled();
    for r in data.claims.iter().chain(&data.actions) {
        let e = r.extra();
        assert_eq!(
            e.document.as_deref(),
            Some("seeds/azerbaijan-iran-relations.txt"),
            "{}",
            r.id
        );
        assert!(e.quote_line.is_some(), "{} has no proven quote", r.id);
    }
}

#[test]
fn the_seed_table_holds() {
    let data = bundled();
    let r = report::check(&data, Settings::default(), Filters::default());
    let table = [
        (
            "khamenei-liberated",
            "iran-trucks-karabakh-2021-08",
            "contradiction",
            Some("duplicity"),
        ),
        (
            "khamenei-liberated",
            "iran-border-drills-2021-09",
            "contradiction",
            Some("duplicity"),
        ),
        (
            "iran-officials-support-2020",
            "iran-trucks-karabakh-2021-08",
            "contradiction",
            Some("duplicity"),
        ),
        (
            "raisi-karabakh-pledge",
            "iran-hydro-plants-2024-05",
            "consistent",
            None,
        ),
        (
            "raisi-karabakh-pledge",
            "iran-joint-exercises-2024-11",
            "consistent",
            None,
        ),
        (
            "raisi-karabakh-pledge",
            "ardabil-cleric-insults-2025",
            "contradiction",
            Some("duplicity"),
        ),
        (
            "iran-close-country",
            "ardabil-cleric-insults-2025",
            "contradiction",
            Some("duplicity"),
        ),
    ];
    for (claim, action, verdict, kind) in table {
        let p =
            find(&r, claim, action).unwrap_or_else(|| panic!("{claim} × {action} is not paired"));
        assert_eq!(p.verdict.as_str(), verdict, "{claim} × {action}");
        assert_eq!(
            p.verdict.kind().map(|k| k.as_str()),
            kind,
            "{claim} × {action}"
        );
    }
    let verdict = |id: &str| {
        r.claims
            .iter()
            .find(|c| &*data.claims[c.claim as usize].id == id)
            .map(|c| c.verdict.as_str())
            .unwrap()
    };
    assert_eq!(verdict("khamenei-liberated"), "contradicted");
    assert_eq!(verdict("raisi-karabakh-pledge"), "mixed");
}

#[test]
fn the_trucks_weigh_more_than_the_clerics_words() {
    let data = bundled();
    let r = report::check(&data, Settings::default(), Filters::default());
    let trucks: Vec<f64> = ["khamenei-liberated", "iran-officials-support-2020"]
        .iter()
        .map(|c| {
            find(&r, c, "iran-trucks-karabakh-2021-08")
                .unwrap()
                .severity()
        })
        .collect();
    let cleric: Vec<f64> = ["raisi-karabakh-pledge", "iran-close-country"]
        .iter()
        .map(|c| {
            find(&r, c, "ardabil-cleric-insults-2025")
                .unwrap()
                .severity()
        })
        .collect();
    for t in &trucks {
        for c in &cleric {
            assert!(t > c, "trucks {trucks:?} vs cleric {cleric:?}");
        }
    }
}

#[test]
fn neither_country_is_held_to_the_others_deeds_and_iran_shows_more_duplicity() {
    let data = bundled();
    let r = report::check(&data, Settings::default(), Filters::default());
    let id = |a: u32| data.actors[a as usize].id.as_str();
    for p in &r.pairs {
        let said: Vec<&str> = r
            .claim_principals(p.claim as usize)
            .iter()
            .map(|&a| id(a))
            .collect();
        let done: Vec<&str> = r
            .action_principals(p.action as usize)
            .iter()
            .map(|&a| id(a))
            .collect();
        // Each side of a pair answers to one state only: Iran's words never
        // meet a deed done only for Azerbaijan, nor the reverse.
        let only =
            |set: &[&str], state: &str, other: &str| set.contains(&state) && !set.contains(&other);
        let crosses = (only(&said, "iran", "azerbaijan") && only(&done, "azerbaijan", "iran"))
            || (only(&said, "azerbaijan", "iran") && only(&done, "iran", "azerbaijan"));
        assert!(!crosses, "{said:?} paired with {done:?}");
    }
    let duplicity = |actor: &str| {
        r.actors
            .iter()
            .find(|a| id(a.actor) == actor)
            .map_or(0, |a| a.duplicity)
    };
    assert!(
        duplicity("iran") > duplicity("azerbaijan"),
        "{} vs {}",
        duplicity("iran"),
        duplicity("azerbaijan")
    );
}

/// Changes one word of `quote` (the first of four letters or more).
fn one_word_changed(quote: &str) -> String {
    let mut done = false;
    quote
        .split(' ')
        .map(|w| {
            if !done && w.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
                done = true;
                "something".to_string()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_one_word_change_to_any_bundled_quote_fails_naming_the_record() {
    let data = bundled();
    let records: Vec<(String, String, String)> = data
        .claims
        .iter()
        .chain(&data.actions)
        .map(|r| {
            (
                r.id.to_string(),
                r.extra().quote.as_deref().unwrap().to_string(),
                data.files.display(r.at.file).to_string(),
            )
        })
        .collect();
    assert!(!records.is_empty());
    for (id, quote, file) in records {
        let dir = copy_bundled();
        let path = dir.path().join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let quote_json = format!("\"quote\": {}", serde_json::to_string(&quote).unwrap());
        let changed_json = format!(
            "\"quote\": {}",
            serde_json::to_string(&one_word_changed(&quote)).unwrap()
        );
        assert!(
            text.contains(&quote_json),
            "{id}: the quote is not written plainly in {file}"
        );
        std::fs::write(&path, text.replacen(&quote_json, &changed_json, 1)).unwrap();
        let Err(invalid) = load(dir.path()) else {
            panic!("{id}: a changed quote still validates");
        };
        let problems = invalid.problems;
        assert!(
            problems
                .iter()
                .any(|p| p.code.as_str() == "misquote" && p.message.contains(&format!("\"{id}\""))),
            "{id}: {problems:#?}"
        );
    }
}

#[test]
fn check_runs_out_of_the_box_in_the_repository_root() {
    let out = Saydo::new().arg("check").current_dir(root()).run();
    assert_eq!(out.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("khamenei-liberated") && text.contains("duplicity"),
        "{text}"
    );
}

#[test]
fn the_readme_lists_every_problem_code() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for code in saydo::diag::Code::ALL {
        assert!(
            readme.contains(&format!("| `{}` |", code.as_str())),
            "README does not list {}",
            code.as_str()
        );
    }
}

/// `1234567` as the docs write it: `1,234,567`.
fn with_commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[test]
fn the_threat_model_states_the_limits_the_code_has() {
    let note = std::fs::read_to_string(root().join("docs/threat-model.md")).unwrap();
    let limits: [(&str, u64); 8] = [
        ("limits::MAX_FILE_BYTES", saydo::limits::MAX_FILE_BYTES),
        (
            "limits::MAX_STRING_BYTES",
            saydo::limits::MAX_STRING_BYTES as u64,
        ),
        (
            "limits::MAX_LIST_ITEMS",
            saydo::limits::MAX_LIST_ITEMS as u64,
        ),
        ("limits::MAX_DEPTH", u64::from(saydo::limits::MAX_DEPTH)),
        (
            "limits::MAX_CHAINS_PER_ACTOR",
            saydo::limits::MAX_CHAINS_PER_ACTOR as u64,
        ),
        (
            "limits::MAX_DOCUMENT_BYTES",
            saydo::limits::MAX_DOCUMENT_BYTES,
        ),
        (
            "limits::MAX_PROBLEMS_PER_CHUNK",
            saydo::limits::MAX_PROBLEMS_PER_CHUNK as u64,
        ),
        (
            "limits::MAX_PROBLEMS_PER_RECORD",
            saydo::limits::MAX_PROBLEMS_PER_RECORD as u64,
        ),
    ];
    for (name, value) in limits {
        let row = note
            .lines()
            .find(|l| l.trim_start().starts_with('|') && l.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("docs/threat-model.md has no row for {name}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let stated = cells.get(2).copied().unwrap_or_default();
        let number = stated.split_whitespace().next().unwrap_or_default();
        assert_eq!(
            number,
            with_commas(value),
            "{name}: the note says {stated:?}"
        );
    }
}

#[test]
fn the_threat_model_names_only_tests_that_exist() {
    let note = std::fs::read_to_string(root().join("docs/threat-model.md")).unwrap();
    // Every Rust file under tests/it and src, folders included.
    let mut sources = String::new();
    let mut folders = vec![root().join("tests/it"), root().join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    // Test names in the note are in brackets: [`name`, `other_name`].
    let mut named = 0;
    for bracket in note.split('[').skip(1) {
        let Some(inside) = bracket.split(']').next() else {
            continue;
        };
        for item in inside.split(',').map(|s| s.trim().trim_matches('`')) {
            let is_test_name = item.len() > 12
                && item.contains('_')
                && item
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if is_test_name {
                named += 1;
                assert!(
                    sources.contains(&format!("fn {item}(")),
                    "docs/threat-model.md names a test that does not exist: {item}"
                );
            }
        }
    }
    assert!(named >= 10, "only {named} test names found in the note");
}

#[test]
fn the_readme_shows_what_check_prints_on_the_bundled_dataset() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let heading = "## What `saydo check` prints on the bundled dataset\n\n```\n";
    let start = readme.find(heading).expect("the README's printout section") + heading.len();
    let shown = &readme[start..start + readme[start..].find("```\n").unwrap()];
    // Not a terminal: 100 columns, no colour.
    let printed = Saydo::new().args(["check", "--color", "never"]).run();
    printed.expect(0);
    assert_eq!(shown, printed.out(), "README.md shows an old printout");
}

#[test]
fn the_readme_shows_the_bundled_contradictions_by_deed() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lead = "two deeds belie two words each:\n\n```\n";
    let start = readme.find(lead).expect("the README's by-deed example") + lead.len();
    let shown = &readme[start..start + readme[start..].find("```\n").unwrap()];
    let printed = Saydo::new()
        .args(["check", "--color", "never", "--group-by", "deed"])
        .run();
    printed.expect(0);
    let out = printed.out();
    let from = out
        .find("Contradictions by deed")
        .expect("a by-deed section");
    let to = from + out[from..].find("╯\n").expect("the table's end") + "╯\n".len();
    assert_eq!(shown, &out[from..to], "README.md shows an old printout");
}
