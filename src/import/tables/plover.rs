//! PLOVER's event categories: which are words (claims) and which deeds
//! (actions), and how warm or hostile each is.
//!
//! PLOVER gives no score, so each category takes the Goldstein value
//! (-10 to +10) that CAMEO gives the CAMEO root it comes from, by
//! PLOVER's CAMEO → PLOVER conversion table (PLOVER manual draft 0.8,
//! 2021) and GDELT's `CAMEO.goldsteinscale.txt`: a PLOVER event keeps the
//! score the same event had as a CAMEO event (which is also what
//! `saydo import gdelt` gives it). A category's **mode** takes its own
//! score where the CAMEO codes it comes from score a point or more away
//! from the root (a riot is more hostile than a demonstration; other
//! modes keep the category's score). Modes are matched to CAMEO codes by
//! the conversion table, or by meaning for the older modes of PLOVER's
//! gold-standard records (`host`, `riot-spon`, `explosives`,
//! `confiscate`); a mode whose CAMEO codes score apart among themselves
//! (`restrict`: 163, 172 and 191) keeps the category's score.
//!
//! The gold-standard records still use two older names: `DEMAND` (CAMEO
//! root 10, which the conversion table calls `REQUEST`) and `DISAPPROVE`
//! (CAMEO root 11, now `ACCUSE`); each takes its root's score.
//! `INVESTIGATE` (CAMEO root 09, which CAMEO counts as words) is a deed
//! in PLOVER: inspectors sent, an inquiry opened.

use std::fmt::Write as _;

/// A PLOVER category.
#[derive(Debug, PartialEq)]
pub(crate) struct Category {
    /// As PLOVER writes it: `AGREE`.
    pub name: &'static str,
    /// Words (a claim) rather than a deed (an action).
    pub verbal: bool,
    /// The Goldstein value of [`Category::cameo`].
    pub score: f64,
    /// The CAMEO codes the category comes from.
    pub cameo: &'static str,
    /// Modes that score apart: mode, score, the CAMEO codes it comes from.
    pub modes: &'static [(&'static str, f64, &'static str)],
}

impl Category {
    /// The score of an event of this category in `mode` (a mode that
    /// does not score apart, or none, takes the category's).
    pub fn score(&self, mode: &str) -> f64 {
        let mode = mode.trim();
        self.modes
            .iter()
            .find(|(m, _, _)| m.eq_ignore_ascii_case(mode))
            .map_or(self.score, |(_, s, _)| *s)
    }
}

const fn words(
    name: &'static str,
    score: f64,
    cameo: &'static str,
    modes: &'static [(&'static str, f64, &'static str)],
) -> Category {
    Category {
        name,
        verbal: true,
        score,
        cameo,
        modes,
    }
}

const fn deed(
    name: &'static str,
    score: f64,
    cameo: &'static str,
    modes: &'static [(&'static str, f64, &'static str)],
) -> Category {
    Category {
        name,
        verbal: false,
        score,
        cameo,
        modes,
    }
}

/// Every category saydo imports, words first, each from cooperation to
/// conflict.
pub(crate) const CATEGORIES: [Category; 20] = [
    words("AGREE", 4.0, "03", &[]),
    words(
        "CONSULT",
        1.0,
        "04",
        &[("host", 2.8, "043"), ("third-party", 2.5, "044")],
    ),
    words("SUPPORT", 3.5, "05", &[]),
    words("ACCUSE", -2.0, "09, 11", &[]),
    words("DISAPPROVE", -2.0, "11", &[]),
    words(
        "REJECT",
        -4.0,
        "12",
        &[("meet", -5.0, "125–127"), ("yield", -5.0, "128–129")],
    ),
    words("REQUEST", -5.0, "10", &[]),
    words("DEMAND", -5.0, "10", &[]),
    words(
        "THREATEN",
        -6.0,
        "13",
        &[("expel", -7.0, "136"), ("violence", -7.0, "137–138")],
    ),
    deed("AID", 7.0, "07", &[]),
    deed(
        "RETREAT",
        7.0,
        "084",
        &[("access", 9.0, "086"), ("disarm", 9.0, "087")],
    ),
    deed("COOPERATE", 6.0, "06", &[]),
    deed("CONCEDE", 5.0, "080–083", &[]),
    deed("INVESTIGATE", -2.0, "09", &[]),
    deed(
        "SANCTION",
        -4.0,
        "16",
        &[("discontinue", -5.6, "162"), ("expel", -7.0, "166")],
    ),
    deed(
        "PROTEST",
        -6.5,
        "14",
        &[
            ("obstruct", -7.5, "144"),
            ("riot", -7.5, "145"),
            ("riot-spon", -7.5, "145"),
        ],
    ),
    deed(
        "COERCE",
        -7.0,
        "17",
        &[
            ("arrest", -5.0, "173"),
            ("detain", -5.0, "173"),
            ("deport", -5.0, "174"),
            ("ban", -5.0, "172"),
            ("censor", -5.0, "172"),
            ("confiscate", -9.2, "171"),
            ("destroy", -9.2, "171"),
        ],
    ),
    deed("MOBILIZE", -7.2, "15", &[]),
    deed(
        "ASSAULT",
        -9.0,
        "18",
        &[
            ("suicide-attack", -10.0, "183"),
            ("explosives", -10.0, "183"),
            ("massacre", -10.0, "200, 202"),
        ],
    ),
    deed("FIGHT", -10.0, "19", &[]),
];

/// The category PLOVER names `name` (any case), if saydo knows it.
pub(crate) fn category(name: &str) -> Option<&'static Category> {
    let name = name.trim();
    CATEGORIES
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
}

/// The categories' names, for a hint.
pub(crate) fn names() -> String {
    CATEGORIES
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table above as Markdown rows, for an imported dataset's README.
pub(crate) fn rules() -> String {
    let mut out = String::from(
        "| PLOVER `event` | becomes | score | from CAMEO | `mode` scoring apart |\n|---|---|---|---|---|\n",
    );
    for c in &CATEGORIES {
        let modes = c
            .modes
            .iter()
            .map(|(m, s, codes)| format!("`{m}` {s:+.1} ({codes})"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "| `{}` | {} | {:+.1} | {} | {} |",
            c.name,
            if c.verbal { "claim" } else { "action" },
            c.score,
            c.cameo,
            if modes.is_empty() { "–" } else { &modes }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GDELT's `CAMEO.goldsteinscale.txt` rows for the codes the table
    /// cites, copied here so that the test reads no file outside the
    /// repository.
    const GOLDSTEIN: &[(&str, f64)] = &[
        ("03", 4.0),
        ("04", 1.0),
        ("043", 2.8),
        ("044", 2.5),
        ("05", 3.5),
        ("06", 6.0),
        ("07", 7.0),
        ("080", 5.0),
        ("083", 5.0),
        ("084", 7.0),
        ("086", 9.0),
        ("087", 9.0),
        ("09", -2.0),
        ("10", -5.0),
        ("11", -2.0),
        ("12", -4.0),
        ("125", -5.0),
        ("127", -5.0),
        ("128", -5.0),
        ("129", -5.0),
        ("13", -6.0),
        ("136", -7.0),
        ("137", -7.0),
        ("138", -7.0),
        ("14", -6.5),
        ("144", -7.5),
        ("145", -7.5),
        ("15", -7.2),
        ("16", -4.0),
        ("162", -5.6),
        ("166", -7.0),
        ("17", -7.0),
        ("171", -9.2),
        ("172", -5.0),
        ("173", -5.0),
        ("174", -5.0),
        ("18", -9.0),
        ("183", -10.0),
        ("186", -10.0),
        ("19", -10.0),
        ("200", -10.0),
        ("202", -10.0),
    ];

    fn goldstein(code: &str) -> f64 {
        GOLDSTEIN
            .iter()
            .find(|(c, _)| *c == code)
            .unwrap_or_else(|| panic!("no Goldstein value for {code}"))
            .1
    }

    /// The first and last code of "125–127" or "09, 11".
    fn ends(codes: &str) -> Vec<&str> {
        codes.split([',', '–']).map(str::trim).collect()
    }

    #[test]
    fn every_score_is_the_goldstein_value_of_its_cameo_codes() {
        for c in &CATEGORIES {
            for code in ends(c.cameo) {
                assert_eq!(c.score, goldstein(code), "{} ({code})", c.name);
            }
            for (mode, score, codes) in c.modes {
                for code in ends(codes) {
                    assert_eq!(*score, goldstein(code), "{} {mode} ({code})", c.name);
                }
                // A mode scores apart only when it is a point or more away.
                assert!((score - c.score).abs() >= 1.0, "{} {mode}", c.name);
            }
        }
    }

    #[test]
    fn words_and_deeds_follow_cameo_but_investigation_is_a_deed() {
        let verbal: Vec<&str> = CATEGORIES
            .iter()
            .filter(|c| c.verbal)
            .map(|c| c.name)
            .collect();
        assert_eq!(
            verbal,
            [
                "AGREE",
                "CONSULT",
                "SUPPORT",
                "ACCUSE",
                "DISAPPROVE",
                "REJECT",
                "REQUEST",
                "DEMAND",
                "THREATEN"
            ]
        );
        assert!(!category("INVESTIGATE").unwrap().verbal);
        // The older names score as the categories that replaced them.
        assert_eq!(
            category("DEMAND").unwrap().score,
            category("REQUEST").unwrap().score
        );
        assert_eq!(
            category("DISAPPROVE").unwrap().score,
            category("ACCUSE").unwrap().score
        );
    }

    #[test]
    fn modes_change_a_score_only_where_the_table_says() {
        let protest = category("protest").unwrap();
        assert_eq!(protest.score("riot-spon"), -7.5);
        assert_eq!(protest.score("demo-org"), -6.5);
        assert_eq!(protest.score(""), -6.5);
        assert_eq!(category("COERCE").unwrap().score(" Arrest "), -5.0);
        assert_eq!(category("ASSAULT").unwrap().score("beat"), -9.0);
        assert!(category("DOCUMENT").is_none() && category("ENGAGE").is_none());
    }

    #[test]
    fn the_readme_table_has_a_row_per_category() {
        let rules = rules();
        assert_eq!(rules.lines().count(), 2 + CATEGORIES.len());
        assert!(
            rules.contains("| `PROTEST` | action | -6.5 | 14 | `obstruct` -7.5 (144), `riot` -7.5 (145), `riot-spon` -7.5 (145) |"),
            "{rules}"
        );
        assert!(
            rules.contains("| `AGREE` | claim | +4.0 | 03 | – |"),
            "{rules}"
        );
    }
}
