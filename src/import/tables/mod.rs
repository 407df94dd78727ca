//! The mapping tables of the importers, in one place: how each event
//! format's codes become saydo's claims and actions, scores, attribution
//! and actor kinds. Every rule an importer applies to a code is a row
//! here (or in `plover.rs` and `acled.rs` beside this file), and the
//! README of an imported dataset quotes them; the importers only look
//! them up.
//!
//! CAMEO, the event coding GDELT and ICEWS use, numbers its events by
//! root (two digits, `01` to `20`), base (three) and detail (four). Its
//! roots fall into four quad classes: verbal cooperation (`01`–`05`),
//! material cooperation (`06`–`08`), verbal conflict (`09`–`13`) and
//! material conflict (`14`–`20`). Verbal events are words (claims);
//! material events are deeds (actions).

pub(crate) mod acled;

use crate::model::Attribution;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

pub(crate) mod plover;

/// CAMEO's event codes and their names, as GDELT publishes them
/// (`CAMEO.eventcodes.txt`): a header line, then `code TAB name`.
const EVENT_CODES: &str = include_str!("cameo-event-codes.tsv");

/// A CAMEO root: its code, its name, and whether its events are words.
pub(crate) struct Root {
    /// Two digits, `01` to `20`.
    pub code: &'static str,
    /// The root's name in CAMEO.
    pub name: &'static str,
    /// Whether events of the root are verbal (claims) or material
    /// (actions).
    pub verbal: bool,
}

/// The twenty CAMEO roots.
pub(crate) const ROOTS: [Root; 20] = [
    root("01", "make public statement", true),
    root("02", "appeal", true),
    root("03", "express intent to cooperate", true),
    root("04", "consult", true),
    root("05", "engage in diplomatic cooperation", true),
    root("06", "engage in material cooperation", false),
    root("07", "provide aid", false),
    root("08", "yield", false),
    root("09", "investigate", true),
    root("10", "demand", true),
    root("11", "disapprove", true),
    root("12", "reject", true),
    root("13", "threaten", true),
    root("14", "protest", false),
    root("15", "exhibit force posture", false),
    root("16", "reduce relations", false),
    root("17", "coerce", false),
    root("18", "assault", false),
    root("19", "fight", false),
    root("20", "use unconventional mass violence", false),
];

const fn root(code: &'static str, name: &'static str, verbal: bool) -> Root {
    Root { code, name, verbal }
}

/// The root of a CAMEO event code (`"0231"` → root `02`), if it has one.
pub(crate) fn cameo_root(code: &str) -> Option<&'static Root> {
    let two = code.get(..2)?;
    ROOTS.iter().find(|r| r.code == two)
}

/// CAMEO's name of an event code (`"036"` → "Express intent to meet or
/// negotiate"), if the code is one of CAMEO's.
pub(crate) fn cameo_event(code: &str) -> Option<&'static str> {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| index(EVENT_CODES)).get(code).copied()
}

/// A table of `code TAB name` lines under a header line, by code.
type Index = FxHashMap<&'static str, &'static str>;

/// Indexes a table: every row of an import looks codes up in them.
fn index(table: &'static str) -> Index {
    table
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once('\t'))
        .map(|(c, name)| (c, name.trim()))
        .collect()
}

/// ISO 3166-1 alpha-3 country codes and names, which CAMEO uses for
/// countries ("the United Nations list of standard three-letter country
/// codes", CAMEO actor codebook 3.1.1), with the codes ISO 3166-3 has
/// withdrawn (`SCG`, `YUG`, `SUN`), which older CAMEO data still uses: a
/// header line, then `code TAB name`. From Debian's `iso-codes` 4.15.0
/// (`iso_3166-1.json`, `iso_3166-3.json`), the common name where it has
/// one.
const COUNTRIES: &str = include_str!("countries.tsv");

/// The name of a country code (`"FRA"` → "France"), if it is one.
pub(crate) fn country(code: &str) -> Option<&'static str> {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| index(COUNTRIES)).get(code).copied()
}

/// CAMEO's generic role codes, which stack after a country code
/// (`FRAGOV`: France's government) or stand alone (`BUS`: business), with
/// the words saydo names them by. From the CAMEO actor codebook, table
/// 3.1, and its international codes.
pub(crate) const ROLES: [(&str, &str); 36] = [
    ("COP", "police"),
    ("GOV", "government"),
    ("INS", "insurgents"),
    ("JUD", "judiciary"),
    ("MIL", "military"),
    ("OPP", "opposition"),
    ("REB", "rebels"),
    ("SEP", "separatists"),
    ("SPY", "intelligence"),
    ("UAF", "armed forces"),
    ("AGR", "agriculture"),
    ("BUS", "business"),
    ("CRM", "criminals"),
    ("CVL", "civilians"),
    ("DEV", "development"),
    ("EDU", "education"),
    ("ELI", "elites"),
    ("ENV", "environment"),
    ("HLH", "health"),
    ("HRI", "human rights"),
    ("LAB", "labour"),
    ("LEG", "legislature"),
    ("MED", "media"),
    ("REF", "refugees"),
    ("MOD", "moderates"),
    ("RAD", "radicals"),
    ("PTY", "party"),
    ("IGO", "intergovernmental organisation"),
    ("IMG", "international militarised group"),
    ("NGO", "non-governmental organisation"),
    ("NGM", "non-governmental movement"),
    ("MNC", "multinational corporation"),
    ("UIS", "unidentified state"),
    ("INT", "international"),
    ("SET", "settlers"),
    ("RES", "residents"),
];

/// The words for a role code, if it is a generic one.
pub(crate) fn role(code: &str) -> Option<&'static str> {
    ROLES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// How firmly a GDELT event is tied to its actor, from how many sources
/// and articles reported it and whether it was the lead of its article:
///
/// | rule | attribution |
/// |---|---|
/// | three or more sources, or two and the event leads its article | confirmed |
/// | two sources, or three or more articles | reported |
/// | anything else (one source, one or two articles) | alleged |
///
/// GDELT has no way to say an event is disputed, so none is.
pub(crate) fn gdelt_attribution(sources: u32, articles: u32, root_event: bool) -> Attribution {
    if sources >= 3 || (sources >= 2 && root_event) {
        Attribution::Confirmed
    } else if sources >= 2 || articles >= 3 {
        Attribution::Reported
    } else {
        Attribution::Alleged
    }
}

/// The rules above as Markdown rows, for an imported dataset's README.
pub(crate) const GDELT_ATTRIBUTION_RULES: &str = "\
| rule | attribution |
|---|---|
| three or more sources (`NumSources`), or two and the event leads its article (`IsRootEvent`) | confirmed |
| two sources, or three or more articles (`NumArticles`) | reported |
| anything else | alleged |
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_split_words_from_deeds_as_the_quad_classes_do() {
        let verbal: Vec<&str> = ROOTS.iter().filter(|r| r.verbal).map(|r| r.code).collect();
        assert_eq!(
            verbal,
            ["01", "02", "03", "04", "05", "09", "10", "11", "12", "13"]
        );
        assert_eq!(cameo_root("0231").map(|r| r.code), Some("02"));
        assert!(cameo_root("21").is_none() && cameo_root("x").is_none());
    }

    #[test]
    fn event_codes_have_cameos_names() {
        assert_eq!(
            cameo_event("036"),
            Some("Express intent to meet or negotiate")
        );
        assert_eq!(
            cameo_event("190"),
            Some("Use conventional military force, not specified below")
        );
        assert_eq!(cameo_event("999"), None);
        // The header is not a code.
        assert_eq!(cameo_event("CAMEOEVENTCODE"), None);
    }

    #[test]
    fn country_codes_are_isos_current_and_withdrawn_ones() {
        assert_eq!(country("FRA"), Some("France"));
        assert_eq!(country("SCG"), Some("Serbia and Montenegro"));
        assert_eq!(country("GOV"), None);
        assert_eq!(country("ALPHA3"), None);
        assert_eq!(country("fra"), None);
        let codes: Vec<&str> = COUNTRIES.lines().skip(1).map(|l| &l[..3]).collect();
        assert!(codes.is_sorted() && codes.len() > 270, "{}", codes.len());
        // No role code is a country code: a stacked code reads one way.
        for (role, _) in ROLES {
            assert_eq!(country(role), None, "{role}");
        }
    }

    #[test]
    fn attribution_follows_the_documented_rule() {
        use Attribution::*;
        assert_eq!(gdelt_attribution(3, 3, false), Confirmed);
        assert_eq!(gdelt_attribution(2, 2, true), Confirmed);
        assert_eq!(gdelt_attribution(2, 2, false), Reported);
        assert_eq!(gdelt_attribution(1, 3, false), Reported);
        assert_eq!(gdelt_attribution(1, 2, true), Alleged);
        assert_eq!(gdelt_attribution(0, 0, false), Alleged);
    }
}
