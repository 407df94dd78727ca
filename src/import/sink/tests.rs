//! The sink's accounts of rows, ids and actors, and the names it makes.

use super::*;

#[test]
fn slugs_are_valid_ids() {
    assert_eq!(slug("FRAGOV").as_deref(), Some("fragov"));
    assert_eq!(slug("  Police (India) ").as_deref(), Some("police-india"));
    assert_eq!(slug("Bộ Ngoại giao").as_deref(), Some("b-ngo-i-giao"));
    assert_eq!(slug("—"), None);
    for s in ["FRA", "a--b", "-x-"] {
        assert!(crate::model::is_valid_id(&slug(s).unwrap()));
    }
}

#[test]
fn capitals_become_title_case_and_other_names_stay() {
    assert_eq!(title_case("UNITED STATES"), "United States");
    assert_eq!(title_case("Narendra Modi"), "Narendra Modi");
    assert_eq!(title_case("ÉTAT"), "État");
    assert_eq!(title_case("  NEW  YORK "), "New York");
    assert_eq!(title_case(" Ankara "), "Ankara");
}

#[test]
fn no_two_actors_share_a_name_or_take_another_ones_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut sink = Sink::create(dir.path(), "t").unwrap();
    for (id, name) in [
        ("india", "India"),
        ("b--sung-kim", "Sung Kim"),
        ("a--sung-kim", "Sung Kim"),
        ("x--india", "india "),
        ("y", "A--SUNG-KIM"),
    ] {
        sink.actor(NewActor {
            id: id.into(),
            name: name.into(),
            kind: ActorKind::Person,
            acts_for: None,
            stand_in: false,
        });
    }
    sink.finish(dir.path(), "t").unwrap();
    let actors = std::fs::read_to_string(dir.path().join("actors/t.jsonl")).unwrap();
    let names: Vec<String> = actors
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "Sung Kim",
            "Sung Kim (b--sung-kim)",
            "India",
            "india (x--india)",
            "A--SUNG-KIM (y)"
        ]
    );
}

#[test]
fn every_row_is_counted_once_and_a_repeated_id_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut sink = Sink::create(dir.path(), "t").unwrap();
    let event = Event {
        kind: Kind::Claim,
        id: "c1".into(),
        id_at: (FileId(0), 3..5),
        actor: "a".into(),
        target: None,
        date: "2020-01-02".into(),
        score: 2.5,
        text: "said".into(),
        topics: Vec::new(),
        attribution: None,
        url: Some("https://example.org/x".into()),
        notes: None,
    };
    sink.actor(NewActor {
        id: "a".into(),
        name: "A".into(),
        kind: ActorKind::State,
        acts_for: None,
        stand_in: false,
    });
    sink.row(Outcome::Record(Box::new(event.clone()))).unwrap();
    sink.row(Outcome::Record(Box::new(event.clone()))).unwrap();
    sink.row(Outcome::Skip(Skip::NoActor)).unwrap();
    // An action may not take a claim's id either.
    let action = Event {
        kind: Kind::Action,
        id_at: (FileId(0), 9..11),
        ..event
    };
    sink.row(Outcome::Record(Box::new(action))).unwrap();
    let (counts, problems) = sink.finish(dir.path(), "t").unwrap();
    assert_eq!(
        (
            counts.rows,
            counts.claims,
            counts.actions,
            counts.bad,
            counts.no_actor
        ),
        (4, 1, 0, 2, 1)
    );
    assert_eq!(problems.len(), 2);
    assert_eq!(
        (problems[0].code, problems[0].span.clone()),
        (Code::DuplicateId, 3..5)
    );
    assert_eq!(problems[1].span, 9..11);
    let claims = std::fs::read_to_string(dir.path().join("claims/t.jsonl")).unwrap();
    assert_eq!(
        claims,
        "{\"id\":\"c1\",\"actor\":\"a\",\"date\":\"2020-01-02\",\"text\":\"said\",\"stance\":2.5,\"source\":{\"url\":\"https://example.org/x\"}}\n"
    );
    let actors = std::fs::read_to_string(dir.path().join("actors/t.jsonl")).unwrap();
    assert_eq!(actors, "{\"id\":\"a\",\"name\":\"A\",\"kind\":\"state\"}\n");
    // No action: no file of none, and the folder stays.
    assert!(dir.path().join("actions").is_dir());
    assert!(!dir.path().join("actions/t.jsonl").exists());
}

#[test]
fn an_import_of_nothing_writes_folders_without_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut sink = Sink::create(dir.path(), "t").unwrap();
    sink.row(Outcome::Skip(Skip::NotAnEvent)).unwrap();
    let (counts, _) = sink.finish(dir.path(), "t").unwrap();
    assert_eq!((counts.rows, counts.actors), (1, 0));
    for sub in ["actors", "claims", "actions"] {
        let dir = dir.path().join(sub);
        assert!(
            dir.is_dir() && std::fs::read_dir(&dir).unwrap().next().is_none(),
            "{sub}"
        );
    }
}
