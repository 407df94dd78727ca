//! The rules on small texts, one behaviour each.

use super::*;
use crate::model::test_actor;

fn state(id: &str, name: &str) -> Actor {
    let mut a = test_actor(id, &[], vec![]);
    a.name = name.into();
    a.kind = ActorKind::State;
    a
}

fn cast() -> Vec<Actor> {
    let role = |principal| crate::model::Role {
        principal,
        role: "President".into(),
        from: None,
        to: None,
        span: crate::date::Span::ALL,
    };
    let mut ruler = test_actor("elsberg", &["President Elsberg"], vec![role(0)]);
    ruler.name = "Marta Elsberg".into();
    vec![
        state("ruritania", "Ruritania"),
        state("freedonia", "Freedonia"),
        ruler,
    ]
}

fn run(text: &str) -> Draft {
    draft(text, "seeds/t.txt", &cast())
}

fn claims(d: &Draft) -> Vec<(&str, &str)> {
    d.records
        .iter()
        .filter(|r| r.kind == Kind::Claim)
        .map(|r| (r.actor.as_str(), r.quote.as_str()))
        .collect()
}

#[test]
fn direct_quotes_in_either_mark_before_or_after_the_speaker() {
    let d = run(concat!(
        "President Elsberg stated, “Our border stays open to all.”\n",
        "\"We will never close the border again,\" Marta Elsberg said.\n",
        "The President of Ruritania said: \"We came in peace. We leave in peace.\"\n"
    ));
    assert_eq!(
        claims(&d),
        [
            ("elsberg", "Our border stays open to all."),
            ("elsberg", "We will never close the border again,"),
            ("elsberg", "We came in peace. We leave in peace."),
        ]
    );
}

#[test]
fn reported_speech_and_short_quotes_quote_the_sentence() {
    let text = "In 2019, Freedonian officials expressed support for Ruritania.\nRuritania described the shelling as a \"grave crime\".\n";
    let d = run(text);
    assert_eq!(
        claims(&d),
        [
            (
                "freedonia",
                "In 2019, Freedonian officials expressed support for Ruritania."
            ),
            (
                "ruritania",
                "Ruritania described the shelling as a \"grave crime\"."
            ),
        ]
    );
    assert_eq!(d.records[0].target.as_deref(), Some("ruritania"));
    assert_eq!(d.records[0].date.as_deref(), Some("2019"));
    assert!(d.records[0].score > 0.0, "{:?}", d.records[0]);
}

#[test]
fn an_unknown_speaker_is_proposed_as_a_new_actor() {
    let d = run("In 2020, Foreign Minister Ivo Rank said that talks were over.\n");
    assert_eq!(d.actors.len(), 1);
    assert_eq!(d.actors[0].id, "foreign-minister-ivo-rank");
    assert_eq!(d.records[0].actor, "foreign-minister-ivo-rank");
}

#[test]
fn deeds_need_a_date_and_a_doer_and_joint_deeds_are_one_each() {
    let text = concat!(
        "In March 2020, Ruritanian troops entered the valley.\n",
        "Troops entered the hills.\n",
        "In May 2021, Ruritanian and Freedonian forces conducted joint exercises.\n"
    );
    let d = run(text);
    let deeds: Vec<(&str, Option<&str>, Option<&str>)> = d
        .records
        .iter()
        .filter(|r| r.kind == Kind::Action)
        .map(|r| (r.actor.as_str(), r.date.as_deref(), r.target.as_deref()))
        .collect();
    assert_eq!(
        deeds,
        [
            ("ruritania", Some("2020-03"), None),
            ("ruritania", Some("2021-05"), Some("freedonia")),
            ("freedonia", Some("2021-05"), Some("ruritania")),
        ]
    );
}

#[test]
fn the_same_text_gives_the_same_ids_and_a_repeat_is_numbered() {
    let text = "Ruritania said it wants peace.\nRuritania said it wants peace.\n";
    let d = run(text);
    let ids: Vec<&str> = d.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["ruritania-wants-peace", "ruritania-wants-peace-2"]);
    assert_eq!(run(text), d);
}

#[test]
fn a_pair_is_the_last_two_actors_named_that_are_not_persons() {
    let text = "In 2020, Ruritania and Freedonia met. President Elsberg spoke.\nOn 2 May 2020, the two countries signed a treaty.\n";
    let d = run(text);
    let deeds: Vec<(&str, Option<&str>)> = d
        .records
        .iter()
        .filter(|r| r.kind == Kind::Action)
        .map(|r| (r.actor.as_str(), r.target.as_deref()))
        .collect();
    assert_eq!(
        deeds,
        [
            ("ruritania", Some("freedonia")),
            ("freedonia", Some("ruritania"))
        ]
    );
}

/// Text made of the pieces the rules react to, in any order: names,
/// verbs, dates, quotation marks, line breaks, multi-byte letters.
fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        Just("Ruritania".to_string()),
        Just("Freedonian".to_string()),
        Just("President Elsberg".to_string()),
        Just("Elsberg".to_string()),
        Just("the two countries".to_string()),
        Just(" said".to_string()),
        Just(" stated, ".to_string()),
        Just("attacked".to_string()),
        Just("the attack".to_string()),
        Just("In May 2021".to_string()),
        Just("on 3 March 2020".to_string()),
        Just("two years have passed since the attack".to_string()),
        Just("during the war".to_string()),
        Just(" it ".to_string()),
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("’s".to_string()),
        Just(". ".to_string()),
        Just(", ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("é".to_string()),
        Just("Gen.".to_string()),
        "[a-zA-Zé’ .,:;\"“”\n-]{0,12}".prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest::proptest! {
    #[test]
    fn any_text_drafts_without_panic_and_every_quote_is_in_it(text in pieces()) {
        let d = run(&text);
        for r in &d.records {
            proptest::prop_assert!(!r.quote.is_empty());
            proptest::prop_assert!(text.contains(&r.quote), "{:?} not in {:?}", r.quote, text);
            proptest::prop_assert!(crate::model::is_valid_id(&r.id), "{}", r.id);
            if let Some(date) = &r.date {
                proptest::prop_assert!(crate::date::PartialDate::parse(date).is_ok(), "{date}");
            }
        }
        proptest::prop_assert_eq!(run(&text), d);
    }
}

#[test]
fn a_later_deed_of_a_sentence_with_its_doer_beside_it() {
    let deeds = |text: &str| -> Vec<(String, Option<String>)> {
        run(text)
            .records
            .into_iter()
            .filter(|r| r.kind == Kind::Action)
            .map(|r| (r.actor, r.date))
            .collect()
    };
    let text = "On 3 February 2020, Freedonian artillery shelled the town, and Ruritania closed its border the next day.\n";
    assert_eq!(
        deeds(text),
        [
            ("freedonia".to_string(), Some("2020-02-03".to_string())),
            ("ruritania".to_string(), Some("2020-02-04".to_string()))
        ]
    );
    // Its day not named: the month only.
    let text = text.replace(" the next day", "");
    assert_eq!(deeds(&text)[1].1.as_deref(), Some("2020-02"));
    // Its doer not beside it: not read.
    let text =
        "On 3 February 2020, Freedonian artillery shelled the town, and then closed the road.\n";
    assert_eq!(deeds(text).len(), 1);
}
