//! How ACLED's events become saydo actions: an effect for each of its 25
//! sub-event types, which types are not imported, how firmly a deed is
//! tied to its actor, and which actors act for a state.
//!
//! ACLED records political violence and protest: deeds, with no numeric
//! score of their own. An effect here is how much the event, taken as a
//! deed of `actor1`, harms `actor2` (or, with no `actor2`, the people
//! where it happened), on saydo's Goldstein-like scale. The principle is
//! one ladder of harm, the same for every country and actor:
//!
//! - lethal force, ranked by how indiscriminate it is and how little the
//!   target can answer it: -7 to -10;
//! - force that harms people or their property without aiming to kill
//!   (arrests, looting, riots): -4 to -6;
//! - pressure without violence (protest, taking ground unopposed, a
//!   show of force): -2 to -3.
//!
//! No type is positive: ACLED records disorder, and its cooperative
//! entries are agreements, which are words. Types whose rows are words
//! or have no meaning of their own are not imported (`effect: None`):
//! saydo holds words against deeds, so importing a promise as a deed
//! would let it uphold itself.

use crate::model::{ActorKind, Attribution};

/// One of ACLED's sub-event types.
pub(crate) struct SubEvent {
    /// The event type it belongs to (`Battles`).
    pub event_type: &'static str,
    /// The sub-event type, as ACLED writes it (`Armed clash`).
    pub name: &'static str,
    /// The effect of the deed on its target, or `None` when rows of the
    /// type are not imported.
    pub effect: Option<f64>,
    /// Why, in a line.
    pub reason: &'static str,
}

const fn deed(
    event_type: &'static str,
    name: &'static str,
    effect: f64,
    reason: &'static str,
) -> SubEvent {
    SubEvent {
        event_type,
        name,
        effect: Some(effect),
        reason,
    }
}

const fn excluded(event_type: &'static str, name: &'static str, reason: &'static str) -> SubEvent {
    SubEvent {
        event_type,
        name,
        effect: None,
        reason,
    }
}

const BATTLES: &str = "Battles";
const REMOTE: &str = "Explosions/Remote violence";
const PROTESTS: &str = "Protests";
const RIOTS: &str = "Riots";
const STRATEGIC: &str = "Strategic developments";
const CIVILIANS: &str = "Violence against civilians";

/// ACLED's 25 sub-event types, in the order of its event categories.
pub(crate) const SUB_EVENTS: [SubEvent; 25] = [
    deed(
        BATTLES,
        "Armed clash",
        -8.0,
        "armed groups fight: lethal force, but against an enemy who can answer it",
    ),
    deed(
        BATTLES,
        "Government regains territory",
        -8.0,
        "ground taken back from the target by fighting",
    ),
    deed(
        BATTLES,
        "Non-state actor overtakes territory",
        -8.0,
        "ground taken from the target by fighting",
    ),
    deed(
        REMOTE,
        "Chemical weapon",
        -10.0,
        "a weapon banned for killing indiscriminately: the hostile end of the scale",
    ),
    deed(
        REMOTE,
        "Air/drone strike",
        -9.0,
        "lethal force from afar that the target cannot answer",
    ),
    deed(
        REMOTE,
        "Suicide bomb",
        -10.0,
        "an attack meant to kill as many as it can",
    ),
    deed(
        REMOTE,
        "Shelling/artillery/missile attack",
        -9.0,
        "lethal force from afar that the target cannot answer",
    ),
    deed(
        REMOTE,
        "Remote explosive/landmine/IED",
        -8.0,
        "a planted charge: lethal, planned, blind to who it hits",
    ),
    deed(REMOTE, "Grenade", -7.0, "lethal force on a small scale"),
    deed(
        PROTESTS,
        "Peaceful protest",
        -2.0,
        "pressure on the target without violence",
    ),
    deed(
        PROTESTS,
        "Protest with intervention",
        -3.0,
        "a protest (its protesters are ACLED's actor1) that ended in a confrontation",
    ),
    deed(
        PROTESTS,
        "Excessive force against protesters",
        -7.0,
        "lethal or maiming force against unarmed people",
    ),
    deed(
        RIOTS,
        "Violent demonstration",
        -4.0,
        "a demonstration that turned to violence or damage",
    ),
    deed(RIOTS, "Mob violence", -6.0, "a crowd attacking people"),
    excluded(
        STRATEGIC,
        "Agreement",
        "words: a signed promise (ceasefire, peace deal) is a claim, to be held against the deeds that follow",
    ),
    deed(
        STRATEGIC,
        "Arrests",
        -5.0,
        "detention: coercion without violence to life (CAMEO's \"arrest, detain\" is -5)",
    ),
    excluded(
        STRATEGIC,
        "Change to group/activity",
        "mostly announcements (a new name, a leader, an alliance): words, or no deed toward anyone",
    ),
    deed(
        STRATEGIC,
        "Disrupted weapons use",
        -3.0,
        "the target's weapon seized or defused: its plans thwarted, no one harmed",
    ),
    deed(
        STRATEGIC,
        "Headquarters or base established",
        -2.0,
        "a show of force where the target lives or fights; no one harmed",
    ),
    deed(
        STRATEGIC,
        "Looting/property destruction",
        -5.0,
        "the target's property taken or destroyed",
    ),
    deed(
        STRATEGIC,
        "Non-violent transfer of territory",
        -3.0,
        "ground taken from the target without fighting",
    ),
    excluded(
        STRATEGIC,
        "Other",
        "no meaning of its own: rows range from statements to deeds, and no one effect fits them",
    ),
    deed(
        CIVILIANS,
        "Sexual violence",
        -9.0,
        "an atrocity against an unarmed person",
    ),
    deed(
        CIVILIANS,
        "Attack",
        -8.0,
        "violence against unarmed civilians",
    ),
    deed(
        CIVILIANS,
        "Abduction/forced disappearance",
        -8.0,
        "a person taken by force, their fate hidden",
    ),
];

/// Other spellings ACLED uses for a sub-event type: its codebook writes
/// "protestors" where its category list writes "protesters".
const SPELLINGS: [(&str, &str); 1] = [(
    "Excessive force against protestors",
    "Excessive force against protesters",
)];

/// The sub-event type `name` names (ignoring case and surrounding
/// spaces), if it is one of ACLED's.
pub(crate) fn sub_event(name: &str) -> Option<&'static SubEvent> {
    let name = name.trim();
    let name = SPELLINGS
        .iter()
        .find(|(other, _)| other.eq_ignore_ascii_case(name))
        .map_or(name, |(_, canonical)| canonical);
    SUB_EVENTS
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The sub-event types as Markdown rows, for an imported dataset's README.
pub(crate) fn sub_event_rows() -> String {
    let mut out =
        String::from("| event type | sub-event type | effect | why |\n|---|---|---|---|\n");
    for s in &SUB_EVENTS {
        let effect = s
            .effect
            .map_or("not imported".to_string(), |e| format!("{e}"));
        out.push_str(&format!(
            "| {} | {} | {effect} | {} |\n",
            s.event_type, s.name, s.reason
        ));
    }
    out
}

/// The words that begin the names ACLED gives a state's own forces and
/// offices: "Military Forces of Syria (2000-)", "Police Forces of India
/// (2014-)", "Government of Kenya (2022-)". The years are the regime's.
pub(crate) const STATE_PREFIXES: [&str; 3] =
    ["Military Forces of ", "Police Forces of ", "Government of "];

/// The state an ACLED actor acts for, named by its name, in a row of
/// `country`: a name that starts with one of [`STATE_PREFIXES`] acts for
/// the state written after it. When that is the row's `country` (followed
/// by the end, a space or a bracket), the state is named as `country`
/// writes it; a foreign state's forces are named up to the bracket of
/// their years ("Military Forces of Russia (2000-)" in a row of Syria acts
/// for Russia). Any other name acts for no state.
pub(crate) fn state_of(actor: &str, country: &str) -> Option<String> {
    let actor = actor.trim();
    let country = country.trim();
    let rest = STATE_PREFIXES.iter().find_map(|p| {
        let head = actor.get(..p.len())?;
        head.eq_ignore_ascii_case(p).then(|| &actor[p.len()..])
    })?;
    let rest = match rest.get(..4) {
        Some(the) if the.eq_ignore_ascii_case("the ") => &rest[4..],
        _ => rest,
    };
    if !country.is_empty()
        && let Some(head) = rest.get(..country.len())
        && head.eq_ignore_ascii_case(country)
        && matches!(rest[country.len()..].chars().next(), None | Some(' ' | '('))
    {
        return Some(country.to_string());
    }
    let (named, _) = rest.split_once(" (")?;
    let named = named.trim();
    (!named.is_empty()).then(|| named.to_string())
}

/// The kind of an actor, from ACLED's `inter1` / `inter2` code, written as
/// a number (1 to 8) or, in newer exports, in words. Armed bodies with a
/// command (state, rebel, political militia and external forces) are
/// organizations; identity militias, rioters, protesters and civilians
/// are groups, as is an actor of an unknown or blank code.
pub(crate) fn actor_kind(inter: &str) -> ActorKind {
    let inter = inter.trim().to_ascii_lowercase();
    let organized = matches!(inter.as_str(), "1" | "2" | "3" | "8")
        || [
            "state forces",
            "rebel group",
            "political militia",
            "external/other forces",
        ]
        .iter()
        .any(|w| inter.starts_with(w));
    if organized {
        ActorKind::Organization
    } else {
        ActorKind::Group
    }
}

/// How firmly an ACLED event is tied to its actor, from the sources that
/// reported it (`source`, several separated by `;`) and their scale
/// (`source_scale`):
///
/// | rule | attribution |
/// |---|---|
/// | two or more sources | confirmed |
/// | one source, and its scale is only `New media` (social media) | alleged |
/// | one source | reported |
/// | no source | alleged |
///
/// ACLED's researchers check every event, so one named source is a
/// report; social media alone is less than that.
pub(crate) fn acled_attribution(source: &str, scale: &str) -> Attribution {
    let sources = source.split(';').filter(|s| !s.trim().is_empty()).count();
    match sources {
        0 => Attribution::Alleged,
        1 if scale.trim().eq_ignore_ascii_case("new media") => Attribution::Alleged,
        1 => Attribution::Reported,
        _ => Attribution::Confirmed,
    }
}

/// The rules above as Markdown rows, for an imported dataset's README.
pub(crate) const ACLED_ATTRIBUTION_RULES: &str = "\
| rule | attribution |
|---|---|
| `source` names two or more sources (separated by `;`) | confirmed |
| one source, and `source_scale` is only `New media` (social media) | alleged |
| one source | reported |
| no source | alleged |
";

#[cfg(test)]
mod tests {
    use super::*;

    /// ACLED's own list of its event and sub-event types (acledR's
    /// `acled_event_categories.csv`), copied into the fixtures.
    const CATEGORIES: &str =
        include_str!("../../../tests/fixtures/import/acled/acled_event_categories.csv");

    #[test]
    fn the_table_has_each_of_acleds_sub_event_types_once() {
        let official: Vec<(&str, &str)> = CATEGORIES
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut cells = l.split(',');
                (cells.next().unwrap(), cells.next().unwrap())
            })
            .collect();
        assert_eq!(official.len(), 25);
        let ours: Vec<(&str, &str)> = SUB_EVENTS.iter().map(|s| (s.event_type, s.name)).collect();
        assert_eq!(ours, official);
        for (event_type, name) in official {
            let s = sub_event(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!((s.event_type, s.name), (event_type, name));
            assert!(!s.reason.is_empty(), "{name}");
        }
    }

    #[test]
    fn effects_are_scores_and_no_deed_is_warm() {
        for s in &SUB_EVENTS {
            if let Some(e) = s.effect {
                assert!((-10.0..0.0).contains(&e), "{}: {e}", s.name);
            }
        }
        let excluded: Vec<&str> = SUB_EVENTS
            .iter()
            .filter(|s| s.effect.is_none())
            .map(|s| s.name)
            .collect();
        assert_eq!(excluded, ["Agreement", "Change to group/activity", "Other"]);
        // The ladder: killing from afar is worse than fighting, which is
        // worse than arresting, which is worse than protesting.
        let effect = |n: &str| sub_event(n).unwrap().effect.unwrap();
        assert!(effect("Air/drone strike") < effect("Armed clash"));
        assert!(effect("Armed clash") < effect("Arrests"));
        assert!(effect("Arrests") < effect("Peaceful protest"));
        assert_eq!(effect("Peaceful protest"), -2.0);
        assert_eq!(effect("Air/drone strike"), -9.0);
    }

    #[test]
    fn names_match_ignoring_case_spaces_and_the_codebooks_spelling() {
        assert_eq!(
            sub_event(" air/drone STRIKE ").unwrap().name,
            "Air/drone strike"
        );
        assert_eq!(
            sub_event("Excessive force against protestors")
                .unwrap()
                .name,
            "Excessive force against protesters"
        );
        assert!(sub_event("Air strike").is_none());
        assert!(sub_event("").is_none());
    }

    #[test]
    fn state_forces_act_for_the_state_their_name_gives() {
        let cases = [
            ("Military Forces of Syria (2000-)", "Syria", Some("Syria")),
            (
                "Police Forces of India (2014-) Prison Guards",
                "India",
                Some("India"),
            ),
            ("government of kenya (2022-)", "Kenya", Some("Kenya")),
            ("Government of Kenya", "Kenya", Some("Kenya")),
            // A foreign state's forces act for that state.
            ("Military Forces of Russia (2000-)", "Syria", Some("Russia")),
            (
                "Military Forces of the United States (2021-)",
                "Iraq",
                Some("United States"),
            ),
            // A country whose name begins another's is not it.
            (
                "Military Forces of Nigeria (2015-)",
                "Niger",
                Some("Nigeria"),
            ),
            ("Military Forces of Niger (2021-)", "Niger", Some("Niger")),
            // Names that are not a state's forces.
            ("Protesters (India)", "India", None),
            ("Unidentified Military Forces", "Syria", None),
            ("Military Forces of", "Syria", None),
            ("Police Forces of Somewhere", "India", None),
        ];
        for (actor, country, state) in cases {
            assert_eq!(
                state_of(actor, country).as_deref(),
                state,
                "{actor} in {country}"
            );
        }
    }

    #[test]
    fn kinds_follow_the_inter_codes_as_numbers_or_words() {
        use ActorKind::*;
        for (inter, kind) in [
            ("1", Organization),
            ("2", Organization),
            ("3", Organization),
            ("4", Group),
            ("6", Group),
            ("7", Group),
            ("8", Organization),
            ("State forces", Organization),
            ("Rebel group", Organization),
            ("Protesters", Group),
            ("Civilians", Group),
            ("", Group),
            ("99", Group),
        ] {
            assert_eq!(actor_kind(inter), kind, "{inter}");
        }
    }

    #[test]
    fn attribution_follows_the_documented_rule() {
        use Attribution::*;
        assert_eq!(
            acled_attribution("Reuters; Daily Star", "International-National"),
            Confirmed
        );
        assert_eq!(acled_attribution("Daily Star", "National"), Reported);
        assert_eq!(acled_attribution("Twitter", "New media"), Alleged);
        assert_eq!(acled_attribution("Twitter", "New media-National"), Reported);
        assert_eq!(acled_attribution(" ; ", ""), Alleged);
    }
}
