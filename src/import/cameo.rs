//! CAMEO actor codes as saydo actors, for every format that codes its
//! actors in CAMEO (GDELT, PLOVER): one rule, so that the same code
//! becomes the same actor whichever file it comes from.
//!
//! A CAMEO actor code stacks three-letter parts: a country (`FRA`), then
//! roles (`FRAGOV`: France's government), or an international code alone
//! (`IGO`, `BUS`). A code that is its country's code is a **state**; a
//! longer code that starts with it is an **organization** acting for that
//! state; any other code is an organization acting for no one.

use super::sink::{NewActor, Sink, slug};
use super::tables;
use crate::model::ActorKind;

/// The actor of a CAMEO `code` (noted in `sink`, with the state it acts
/// for), or `None` for a blank code.
///
/// `name` is what the data calls the actor, as it should be shown (empty
/// when the data does not say);
/// `country` is the country code the data places it in (empty for none).
pub(crate) fn actor(code: &str, name: &str, country: &str, sink: &mut Sink) -> Option<String> {
    let code = code.trim();
    let id = slug(&parts(code))?;
    if sink.has_named_actor(&id) {
        return Some(id);
    }
    let (actor, principal) = definitions(code, name, country)?;
    if let Some(p) = principal
        && !sink.has_actor(&p.id)
    {
        sink.actor(p);
    }
    sink.actor(actor);
    Some(id)
}

/// The definitions of the actor of a CAMEO `code` (see [`actor`]) and of
/// the state it acts for (a stand-in, named by ISO 3166 or its code, that
/// the state's own row renames), or `None` for a blank code. The id joins
/// the code's three-letter parts with `-` (`fra-gov`). An actor without a
/// name is named by its code (a state by ISO 3166, when its code is
/// there), and the first name the data gives replaces that stand-in.
pub(crate) fn definitions(
    code: &str,
    name: &str,
    country: &str,
) -> Option<(NewActor, Option<NewActor>)> {
    let code = code.trim();
    let id = slug(&parts(code))?;
    let name = name.trim();
    let country = country.trim();
    let stand_in = name.is_empty();
    let shown = if !stand_in {
        name.to_string()
    } else if code == country {
        tables::country(code).unwrap_or(code).to_string()
    } else {
        code.to_string()
    };
    let principal = (!country.is_empty() && code != country && code.starts_with(country))
        .then(|| slug(country))
        .flatten();
    let actor = if code == country {
        NewActor {
            id,
            name: shown,
            kind: ActorKind::State,
            acts_for: None,
            stand_in,
        }
    } else {
        let roles: Vec<&str> = code
            .as_bytes()
            .chunks(3)
            .skip(usize::from(principal.is_some()))
            .filter_map(|c| std::str::from_utf8(c).ok())
            .map(|c| tables::role(c).unwrap_or(c))
            .collect();
        let roles = roles.join(", ");
        // A code that names no role ("ITL") is shown once, not twice.
        let described = if roles == code {
            format!("{shown} ({code})")
        } else {
            format!("{shown} ({roles}, {code})")
        };
        NewActor {
            id,
            name: described,
            kind: ActorKind::Organization,
            acts_for: principal.clone(),
            stand_in,
        }
    };
    let principal = principal.map(|p| NewActor {
        id: p,
        name: tables::country(country).unwrap_or(country).to_string(),
        kind: ActorKind::State,
        acts_for: None,
        stand_in: true,
    });
    Some((actor, principal))
}

/// A CAMEO code in its three-letter parts (`FRAGOV` → `FRA-GOV`).
fn parts(code: &str) -> String {
    code.as_bytes()
        .chunks(3)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actors_of(calls: &[(&str, &str, &str)]) -> (Vec<Option<String>>, String) {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::create(dir.path(), "t").unwrap();
        let ids = calls
            .iter()
            .map(|(code, name, country)| actor(code, name, country, &mut sink))
            .collect();
        let (_, problems) = sink.finish(dir.path(), "t").unwrap();
        assert!(problems.is_empty());
        let actors = std::fs::read_to_string(dir.path().join("actors/t.jsonl")).unwrap();
        (ids, actors)
    }

    #[test]
    fn stacked_codes_act_for_their_country() {
        let (ids, actors) = actors_of(&[
            ("FRAGOV", "Paris", "FRA"),
            ("FRA", "France", "FRA"),
            ("BUS", "Companies", ""),
            (" ", "", ""),
        ]);
        let ids: Vec<Option<&str>> = ids.iter().map(Option::as_deref).collect();
        assert_eq!(ids, [Some("fra-gov"), Some("fra"), Some("bus"), None]);
        let lines: Vec<&str> = actors.lines().collect();
        assert_eq!(
            lines,
            [
                r#"{"id":"bus","name":"Companies (business, BUS)","kind":"organization"}"#,
                // Named first as a principal (by ISO 3166), then by its own row.
                r#"{"id":"fra","name":"France","kind":"state"}"#,
                r#"{"id":"fra-gov","name":"Paris (government, FRAGOV)","kind":"organization","acts_for":[{"actor":"fra"}]}"#,
            ]
        );
    }

    #[test]
    fn actors_without_names_are_named_by_their_codes() {
        let (_, actors) = actors_of(&[
            ("HUNGOV", "", "HUN"),
            ("ITL", "Italy", ""),
            ("XYZ", "", "XYZ"),
        ]);
        let lines: Vec<&str> = actors.lines().collect();
        assert_eq!(
            lines,
            [
                r#"{"id":"hun","name":"Hungary","kind":"state"}"#,
                r#"{"id":"hun-gov","name":"HUNGOV (government, HUNGOV)","kind":"organization","acts_for":[{"actor":"hun"}]}"#,
                // Not an ISO code, and no role: the code once.
                r#"{"id":"itl","name":"Italy (ITL)","kind":"organization"}"#,
                r#"{"id":"xyz","name":"XYZ","kind":"state"}"#,
            ]
        );
    }

    #[test]
    fn a_name_from_the_data_replaces_a_stand_in_once() {
        let (_, actors) = actors_of(&[
            ("USAMIL", "", "USA"),
            ("USAMIL", "Pentagon", "USA"),
            ("USAMIL", "Army", "USA"),
        ]);
        assert!(
            actors.contains(r#""name":"Pentagon (military, USAMIL)""#),
            "{actors}"
        );
    }
}
