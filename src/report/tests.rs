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

#[test]
fn the_top_overall_pairs_only_the_claims_that_can_place_a_pair() {
    // Against a full sort of every pair, on generated datasets where the
    // most severe pairs are a few claims' (scores up to ±10, ties of
    // severity between claims): pairing from the highest bound down and
    // stopping early must keep exactly the pairs the full sort puts first.
    let mut pruned_runs = 0;
    for seed in 1..=40 {
        let dir = tempfile::tempdir().unwrap();
        crate::render::json::same_bytes::generate(dir.path(), seed);
        let data = crate::validate::load(dir.path()).unwrap();
        let whole = check(&data, Settings::default(), Filters::default());
        let contradictions = whole.contradictions();
        for n in [1, 2, 3, 5, 8, 13, 30, 1000] {
            let mut all: Vec<usize> = (0..whole.pairs.len()).collect();
            all.sort_by_key(|&i| {
                let p = &whole.pairs[i];
                (
                    !p.verdict.is_contradiction(),
                    std::cmp::Reverse(p.severity_units),
                    i,
                )
            });
            let mut expected: Vec<Pair> = all.iter().take(n).map(|&i| whole.pairs[i]).collect();
            expected.sort_by_key(|p| (whole.action_rank[p.action as usize], p.claim));
            for first_run in [1, 2, 1 << 10] {
                let top = check_top_in_runs(
                    &data,
                    Settings::default(),
                    Filters::default(),
                    Top::Overall(n),
                    first_run,
                );
                let mut got = top.pairs.clone();
                got.sort_by_key(|p| (whole.action_rank[p.action as usize], p.claim));
                assert_eq!(got, expected, "seed {seed}, n {n}, runs from {first_run}");
            }
            pruned_runs += usize::from(n < contradictions);
        }
    }
    assert!(pruned_runs > 100, "{pruned_runs}");
}

#[test]
fn the_most_severe_and_the_counts_of_every_pair_are_those_of_the_whole_check() {
    // A table or Markdown report holds only the contradictions it shows:
    // they must be the whole check's most severe, in its order (ties of
    // severity are common here), and every count must be of every pair,
    // whatever the runs, with a baseline marking some pairs as known.
    let known = |p: &Pair| (p.claim + 2 * p.action).is_multiple_of(3);
    let mut compared = 0;
    for seed in 1..=12 {
        let dir = tempfile::tempdir().unwrap();
        crate::render::json::same_bytes::generate(dir.path(), seed);
        let data = crate::validate::load(dir.path()).unwrap();
        let mut whole = check(&data, Settings::default(), Filters::default());
        whole.known = whole.pairs.iter().map(known).collect();
        for k in [1, 2, 5, 40, 100_000] {
            let mut wanted = whole.most_severe(k);
            let in_order: Vec<Pair> = wanted.iter().map(|&i| whole.pairs[i]).collect();
            wanted.sort_unstable();
            for per_run in [1, 7, 1 << 20] {
                let got = check_most_severe(
                    &data,
                    Settings::default(),
                    Filters::default(),
                    (k, per_run),
                    |run| {
                        run.known = run.pairs.iter().map(known).collect();
                        Ok(())
                    },
                )
                .unwrap();
                let at = format!("seed {seed}, k {k}, runs of {per_run} pairs");
                let held: Vec<Pair> = wanted.iter().map(|&i| whole.pairs[i]).collect();
                assert_eq!(got.pairs, held, "{at}");
                let flags: Vec<bool> = wanted.iter().map(|&i| whole.known[i]).collect();
                assert_eq!(got.known, flags, "{at}");
                let shown: Vec<Pair> = got.most_severe(k).iter().map(|&i| got.pairs[i]).collect();
                assert_eq!(shown, in_order, "{at}");
                assert_eq!(
                    crate::render::common::totals(&got),
                    crate::render::common::totals(&whole),
                    "{at}"
                );
                assert_eq!(got.contradictions(), whole.contradictions(), "{at}");
                assert_eq!(
                    got.known_contradictions(),
                    whole.known_contradictions(),
                    "{at}"
                );
                assert_eq!(got.reviewed(), whole.reviewed(), "{at}");
                assert!(got.has_baseline(), "{at}");
                assert_eq!(
                    (&got.claims, &got.actors),
                    (&whole.claims, &whole.actors),
                    "{at}"
                );
                compared += usize::from(k < whole.contradictions());
            }
        }
    }
    assert!(compared > 50, "{compared}");
}

#[test]
fn the_most_severe_kept_break_ties_by_report_order() {
    // Many pairs, five severities: every cut falls among ties.
    let mut x = 7u64;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    let mut pairs: Vec<Kept> = (0..2000u64)
        .map(|place| {
            let pair = Pair {
                claim: 0,
                action: place as u32,
                severity_units: 1 + (next() % 5) as u16,
                verdict: Verdict::Contradiction(Kind::Duplicity),
            };
            (pair, false, place)
        })
        .collect();
    // In no particular order.
    for i in (1..pairs.len()).rev() {
        pairs.swap(i, next() as usize % (i + 1));
    }
    for k in [0, 1, 3, 399, 400, 401, 1999, 2000, 5000] {
        let mut expected = pairs.clone();
        expected.sort_by_key(|x| (std::cmp::Reverse(x.0.severity_units), x.2));
        expected.truncate(k);
        let mut kept = pairs.clone();
        keep_most_severe(&mut kept, k);
        kept.sort_by_key(|x| (std::cmp::Reverse(x.0.severity_units), x.2));
        assert_eq!(kept, expected, "k {k}");
    }
}

#[test]
fn every_contradiction_comes_most_severe_first_from_sorted_segments() {
    // Against the whole check's order (most severe first, ties in report
    // order), with segments of one contradiction up to all of them in
    // memory, runs of one pair up to all, and a baseline's marks.
    let known = |p: &Pair| (p.claim * 3 + p.action).is_multiple_of(4);
    let mut merged = 0;
    for seed in 1..=8 {
        let dir = tempfile::tempdir().unwrap();
        crate::render::json::same_bytes::generate(dir.path(), seed);
        let data = crate::validate::load(dir.path()).unwrap();
        let mut whole = check(&data, Settings::default(), Filters::default());
        whole.known = whole.pairs.iter().map(known).collect();
        let wanted: Vec<(Pair, bool)> = whole
            .flagged_indices()
            .into_iter()
            .map(|i| (whole.pairs[i], whole.known[i]))
            .collect();
        for (per_run, segment) in [(1, 1), (7, 3), (1 << 20, 5), (1 << 20, 1 << 20)] {
            let mut got = Vec::new();
            let report = super::flagged::check_flagged_in(
                &data,
                Settings::default(),
                Filters::default(),
                (3, per_run, segment),
                |run| {
                    run.known = run.pairs.iter().map(known).collect();
                    Ok(())
                },
                |batch| {
                    assert_eq!(batch.pairs.len(), batch.known.len());
                    got.extend(batch.pairs.iter().copied().zip(batch.known.iter().copied()));
                    Ok(())
                },
            )
            .unwrap();
            let at = format!("seed {seed}, runs of {per_run}, segments of {segment}");
            assert_eq!(got, wanted, "{at}");
            // And the report handed back is that of the three most severe.
            let top: Vec<Pair> = report
                .most_severe(3)
                .iter()
                .map(|&i| report.pairs[i])
                .collect();
            let want: Vec<Pair> = wanted.iter().take(3).map(|x| x.0).collect();
            assert_eq!(top, want, "{at}");
            merged += usize::from(wanted.len() > segment);
        }
    }
    assert!(merged > 10, "{merged}");
}
