//! The report's own sums and orders, on datasets built in memory.

use super::*;
use crate::model::{About, Attribution, Location};

fn with_id(id: &str) -> Record {
    Record {
        id: id.into(),
        actor: 0,
        target: None,
        date: PartialDate::parse("2020-01-01").unwrap(),
        score: 0.0,
        attribution: Attribution::Confirmed,
        about: About::Any,
        topics: Box::new([]),
        responds_to: Box::new([]),
        text: "".into(),
        extra: None,
        at: Location {
            file: crate::input::source::FileId(0),
            offset: 0,
            line: 1,
            column: 1,
        },
        id_offset: 0,
    }
}

#[test]
fn ranks_order_ids_as_strings() {
    // Ids that all start alike, then share more than 8 bytes (only the
    // strings tell them apart), prefix each other, or are short; out
    // of order. Alone, and with ids that share nothing.
    let alike = [
        "claim-2024-03-000017",
        "claim-2024-03-000002",
        "claim-2024-03-00001",
        "claim-2024-03-0000",
        "claim-2024-03-000",
        "claim-2024-03-0001",
        "claim-2024-03-000017-x",
        "claim-2024-03-00000000017-b",
        "claim-2024-03-00",
        "claim-2024-03-00000000017-a",
    ];
    let mixed: Vec<&str> = alike.iter().copied().chain(["b", "a-1", "a"]).collect();
    for ids in [&alike[..], &mixed] {
        let records: Vec<Record> = ids.iter().map(|id| with_id(id)).collect();
        let (order, rank) = ranks(&records);
        let mut sorted = ids.to_vec();
        sorted.sort();
        let by_order: Vec<&str> = order.iter().map(|&i| ids[i as usize]).collect();
        assert_eq!(by_order, sorted);
        for (i, &r) in rank.iter().enumerate() {
            assert_eq!(order[r as usize] as usize, i);
        }
    }
}

#[test]
fn consistency_index_spans_minus_one_to_one() {
    assert_eq!(consistency_index(0.0, 0.0), None);
    assert_eq!(consistency_index(1.0, 0.0), Some(1.0));
    assert_eq!(consistency_index(0.0, 0.3), Some(-1.0));
    assert_eq!(consistency_index(0.3, 0.1), Some(0.5));
}

#[test]
fn one_pair_judged_alone_is_the_pair_pairing_finds() {
    // Every claim against every action, on the bundled dataset and the
    // fixtures that load: `pair_of` (which decisions of reviews/ are
    // checked with) finds exactly the pairs of the report, judged alike.
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.clone()];
    for e in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
        dirs.push(e.unwrap().path());
    }
    // And datasets generated at random, with responses, targets and
    // `about` (the JSON writer's test generator).
    let generated: Vec<tempfile::TempDir> = (1..=3)
        .map(|seed| {
            let dir = tempfile::tempdir().unwrap();
            crate::render::json::same_bytes::generate(dir.path(), seed);
            dir
        })
        .collect();
    dirs.extend(generated.iter().map(|d| d.path().to_path_buf()));
    let mut compared = 0;
    for dir in dirs {
        let Ok(data) = crate::validate::load(&dir) else {
            continue;
        };
        let report = check(&data, Settings::default(), Filters::default());
        let found: rustc_hash::FxHashMap<(u32, u32), &Pair> = report
            .pairs
            .iter()
            .map(|p| ((p.claim, p.action), p))
            .collect();
        for c in 0..data.claims.len() {
            for a in 0..data.actions.len() {
                let alone =
                    crate::engine::pair::pair_of(&data, &report.who, &report.settings, c, a);
                let want = found.get(&(c as u32, a as u32)).copied();
                assert_eq!(alone.as_ref(), want, "{}: {c} {a}", dir.display());
                compared += usize::from(want.is_some());
            }
        }
    }
    assert!(compared > 150, "{compared}");
}
