//! A validated dataset: actors, claims and actions with resolved actor
//! references, parsed dates and normalised topics. The engine only ever
//! sees data of this shape; loading and validation ([`crate::load`]) make it.

use crate::date::{PartialDate, Span};
use crate::diag::Diagnostic;
use crate::input::source::{FileId, Files};

/// Index of an actor in [`Dataset::actors`].
pub type ActorIx = u32;
/// Index of a normalised topic in [`Dataset::topics`].
pub type TopicIx = u32;

/// What an actor is (`kind` in `actors/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActorKind {
    /// A country or other sovereign body.
    State,
    /// One human being.
    Person,
    /// A ministry, company, army or other body with members.
    Organization,
    /// A movement, coalition or informal group.
    Group,
    /// An actor known only by the name records use (no `actors/` folder).
    Unlisted,
}

impl ActorKind {
    /// The kinds a dataset may write, as written.
    pub const NAMES: [&'static str; 4] = ["state", "person", "organization", "group"];

    /// The kind `s` names, if it is one of [`ActorKind::NAMES`].
    pub fn parse(s: &str) -> Option<ActorKind> {
        match s {
            "state" => Some(ActorKind::State),
            "person" => Some(ActorKind::Person),
            "organization" => Some(ActorKind::Organization),
            "group" => Some(ActorKind::Group),
            _ => None,
        }
    }

    /// The kind as written (`unlisted` for actors known only by name).
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::State => "state",
            ActorKind::Person => "person",
            ActorKind::Organization => "organization",
            ActorKind::Group => "group",
            ActorKind::Unlisted => "unlisted",
        }
    }
}

/// A role in which an actor acts for another, over a span of days.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    /// The actor acted for.
    pub principal: ActorIx,
    /// The role's name as written (`"minister"`), possibly empty.
    pub role: String,
    /// First date in the role, as written; `None` for since ever.
    pub from: Option<PartialDate>,
    /// Last date in the role, as written; `None` for still in it.
    pub to: Option<PartialDate>,
    /// From the start of `from` (or forever) to the end of `to` (or forever).
    pub span: Span,
}

/// Someone who says and does things: a state, person, organisation or
/// group, with the names records may call it by and whom it acts for.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    /// Its id (`^[a-z0-9][a-z0-9-]*$`), unique among actors.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// What it is.
    pub kind: ActorKind,
    /// Other names records may use for it.
    pub aliases: Vec<String>,
    /// Whom it acts for, and when (`acts_for`).
    pub roles: Vec<Role>,
    /// Where the actor is defined; `None` for unlisted actors.
    pub at: Option<Location>,
}

/// How firmly a deed is tied to its actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attribution {
    /// The actor did it, by its own account or beyond doubt.
    Confirmed,
    /// Reported by credible sources.
    Reported,
    /// Claimed by some, not established.
    Alleged,
    /// Contested: the pair's severity counts it least.
    Disputed,
}

impl Attribution {
    /// Every attribution, firmest first, as [`Attribution::NAMES`] writes them.
    pub const ALL: [Attribution; 4] = [
        Attribution::Confirmed,
        Attribution::Reported,
        Attribution::Alleged,
        Attribution::Disputed,
    ];

    /// The attributions a dataset may write, as written, firmest first.
    pub const NAMES: [&'static str; 4] = ["confirmed", "reported", "alleged", "disputed"];

    /// The attribution `s` names, if it is one of [`Attribution::NAMES`].
    pub fn parse(s: &str) -> Option<Attribution> {
        match s {
            "confirmed" => Some(Attribution::Confirmed),
            "reported" => Some(Attribution::Reported),
            "alleged" => Some(Attribution::Alleged),
            "disputed" => Some(Attribution::Disputed),
            _ => None,
        }
    }

    /// The attribution as written.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Which deeds a claim's words can be held against (`about` in claims):
/// a pledge speaks of what is to come, a denial of what was done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum About {
    /// No `about`: deeds before and after the words, in the whole window.
    #[default]
    Any,
    /// `"future"`: only deeds that start on or after the words' first day.
    Future,
    /// `"past"`: only deeds that start on or before the words' last day.
    Past,
}

impl About {
    /// The values a dataset may write, as written.
    pub const NAMES: [&'static str; 2] = ["future", "past"];

    /// The value `s` names, if it is one of [`About::NAMES`].
    pub fn parse(s: &str) -> Option<About> {
        match s {
            "future" => Some(About::Future),
            "past" => Some(About::Past),
            _ => None,
        }
    }

    /// The value as written; `None` for [`About::Any`], which is never
    /// written (reports leave the field out).
    pub fn as_str(self) -> Option<&'static str> {
        match self {
            About::Any => None,
            About::Future => Some("future"),
            About::Past => Some("past"),
        }
    }
}

/// What a reviewer decided about a flagged pair (`decision` in `reviews/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// The finding stands: its sources were checked.
    Confirmed,
    /// A false positive: it never trips `--fail-on`.
    Dismissed,
    /// Not decided until a source is found.
    NeedsSource,
}

impl Decision {
    /// The decisions a review may write, as written.
    pub const NAMES: [&'static str; 3] = ["confirmed", "dismissed", "needs-source"];

    /// The decision `s` names, if it is one of [`Decision::NAMES`].
    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "confirmed" => Some(Decision::Confirmed),
            "dismissed" => Some(Decision::Dismissed),
            "needs-source" => Some(Decision::NeedsSource),
            _ => None,
        }
    }

    /// The decision as written.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// The finding a decision was made on (`verdict` in `reviews/`): a pair's
/// verdict, or, for a contradiction, its kind. A decision applies to its
/// pair only while the pair still has that verdict (and kind), so a pair
/// re-scored into another finding is reviewed afresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reviewed {
    /// Any contradiction, duplicity or bluster.
    Contradiction,
    /// A contradiction of warm words and hostile deeds.
    Duplicity,
    /// A contradiction of hostile words and warm deeds.
    Bluster,
    /// Words and deeds agree.
    Consistent,
    /// A hostile deed that answers the target's own.
    Reciprocal,
    /// Neither warm nor hostile enough to judge.
    Neutral,
}

impl Reviewed {
    /// The values a review may write, as written.
    pub const NAMES: [&'static str; 6] = [
        "contradiction",
        "duplicity",
        "bluster",
        "consistent",
        "reciprocal",
        "neutral",
    ];

    /// The value `s` names, if it is one of [`Reviewed::NAMES`].
    pub fn parse(s: &str) -> Option<Reviewed> {
        Self::NAMES.iter().position(|n| *n == s).map(|i| match i {
            0 => Reviewed::Contradiction,
            1 => Reviewed::Duplicity,
            2 => Reviewed::Bluster,
            3 => Reviewed::Consistent,
            4 => Reviewed::Reciprocal,
            _ => Reviewed::Neutral,
        })
    }

    /// The value as written.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Whether a pair of this verdict (and kind, for a contradiction, as
    /// the report writes them) is the finding reviewed.
    pub fn matches(self, verdict: &str, kind: Option<&str>) -> bool {
        self.as_str() == verdict || kind == Some(self.as_str())
    }
}

/// One decision of `reviews/`: a reviewer's word on one pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    /// The claim's id, as written.
    pub claim_id: String,
    /// The action's id, as written.
    pub action_id: String,
    /// The claim, an index into [`Dataset::claims`]; `None` when no claim
    /// has the id (the decision is stale).
    pub claim: Option<u32>,
    /// The action, as `claim` is.
    pub action: Option<u32>,
    /// The finding decided on.
    pub verdict: Reviewed,
    /// What was decided.
    pub decision: Decision,
    /// Why; empty only for a confirmation without one.
    pub reason: String,
    /// Who decided.
    pub by: String,
    /// When, as written.
    pub date: String,
    /// Where the decision is written.
    pub at: Location,
}

/// The decisions of `reviews/` in force: for each pair, the last one
/// written (files by name, then lines), as a later decision on the same
/// pair replaces an earlier one.
#[derive(Clone, Debug, Default)]
pub struct Reviews {
    /// The decisions in force, in the order written.
    pub list: Vec<Review>,
    by_pair: rustc_hash::FxHashMap<(u32, u32), u32>,
}

impl Reviews {
    /// The decisions in force among `all` (in the order written).
    pub fn new(all: Vec<Review>) -> Reviews {
        let mut last: rustc_hash::FxHashMap<(&str, &str), usize> = Default::default();
        for (i, r) in all.iter().enumerate() {
            last.insert((&r.claim_id, &r.action_id), i);
        }
        let keep: Vec<bool> = (0..all.len())
            .map(|i| last.get(&(&*all[i].claim_id, &*all[i].action_id)) == Some(&i))
            .collect();
        let list: Vec<Review> = all
            .into_iter()
            .zip(keep)
            .filter_map(|(r, k)| k.then_some(r))
            .collect();
        let by_pair = list
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some(((r.claim?, r.action?), i as u32)))
            .collect();
        Reviews { list, by_pair }
    }

    /// Whether the dataset has no decisions.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The decision in force on claim `claim` and action `action`
    /// (indices into the dataset), whatever its verdict.
    pub fn of(&self, claim: u32, action: u32) -> Option<&Review> {
        if self.by_pair.is_empty() {
            return None;
        }
        self.by_pair
            .get(&(claim, action))
            .map(|&i| &self.list[i as usize])
    }
}

/// Where a record starts: file, byte offset, 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, in [`Dataset::files`].
    pub file: FileId,
    /// Byte offset of the record's `{` in the file.
    pub offset: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Fields few records carry, kept out of line to keep [`Record`] small.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra {
    /// The source document's path in the dataset (`source.document`).
    pub document: Option<Box<str>>,
    /// The words quoted from it (`source.quote`).
    pub quote: Option<Box<str>>,
    /// 1-based line of the document where the quote was found.
    pub quote_line: Option<u32>,
    /// Where the source is on the web (`source.url`).
    pub url: Option<Box<str>>,
    /// The dataset's own notes on the record.
    pub notes: Option<Box<str>>,
}

/// A claim or an action. Claims have a stance, actions an effect; both are
/// `score`. A claim's attribution is always `Confirmed` and unused; an
/// action's `about` is always [`About::Any`].
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Its id, unique among claims (or among actions).
    pub id: Box<str>,
    /// Who said or did it.
    pub actor: ActorIx,
    /// Whom it is about or aimed at, if anyone.
    pub target: Option<ActorIx>,
    /// When, to the day, month or year.
    pub date: PartialDate,
    /// Stance of a claim or effect of an action, in [-10, 10]: negative
    /// is hostile, positive warm or helpful.
    pub score: f64,
    /// How firmly the deed is tied to its actor (actions only).
    pub attribution: Attribution,
    /// Whether the words speak of the future or the past (claims only):
    /// which side of them deeds may start on to be paired.
    pub about: About,
    /// Normalised, sorted, without repeats.
    pub topics: Box<[TopicIx]>,
    /// Indices into [`Dataset::actions`] (actions only).
    pub responds_to: Box<[u32]>,
    /// What was said or done, in words.
    pub text: Box<str>,
    /// Source and notes, when the record has any (see [`Record::extra`]).
    pub extra: Option<Box<Extra>>,
    /// Where the record is written.
    pub at: Location,
    /// Byte offset of the id's value (for problems about the id).
    pub id_offset: u32,
}

impl Record {
    /// The record's source and notes, all `None` when it has none.
    pub fn extra(&self) -> &Extra {
        static NONE: Extra = Extra {
            document: None,
            quote: None,
            quote_line: None,
            url: None,
            notes: None,
        };
        self.extra.as_deref().unwrap_or(&NONE)
    }
}

/// A dataset that passed validation.
#[derive(Debug)]
pub struct Dataset {
    /// The files read, for placing records and problems.
    pub files: Files,
    /// The actors of `actors/` in the order read (files by name, then
    /// records in each), then those known only by the names records use.
    pub actors: Vec<Actor>,
    /// Every claim, in the order read (files by name, records in each);
    /// reports order them by id.
    pub claims: Vec<Record>,
    /// Every action, in the order read, as claims are.
    pub actions: Vec<Record>,
    /// Normalised topic names, sorted; `TopicIx` indexes this.
    pub topics: Vec<String>,
    /// Warnings found while loading (errors make loading fail).
    pub warnings: Vec<Diagnostic>,
    /// The reviewers' decisions on pairs (`reviews/`).
    pub reviews: Reviews,
}

/// Normalises a topic: lower case, spaces and underscores read as `-`.
pub fn normalize_topic(topic: &str) -> String {
    topic
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == ' ' || c == '_' { '-' } else { c })
        .collect()
}

/// Normalises an actor name for matching: surrounding spaces removed, lower case.
pub fn normalize_name(name: &str) -> String {
    name.trim().to_lowercase()
}

/// `text` as a valid id: lower case, every run of characters that are not
/// ASCII letters or digits one `-`, no `-` at either end (`"IRN GOV"` →
/// `"irn-gov"`); `None` when nothing is left. Importers make ids with it,
/// and validation suggests them.
pub(crate) fn id_from(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    (!out.is_empty()).then_some(out)
}

/// Ids of actors, claims and actions: `^[a-z0-9][a-z0-9-]*$`.
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// An actor for tests: named after its id in capitals, a person.
#[cfg(test)]
pub(crate) fn test_actor(id: &str, aliases: &[&str], roles: Vec<Role>) -> Actor {
    Actor {
        id: id.into(),
        name: id.to_uppercase(),
        kind: ActorKind::Person,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        roles,
        at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_normalise_case_spaces_and_underscores() {
        for (raw, norm) in [
            ("territorial-integrity", "territorial-integrity"),
            ("Territorial Integrity", "territorial-integrity"),
            ("TERRITORIAL_INTEGRITY", "territorial-integrity"),
            ("Territorial_Integrity", "territorial-integrity"),
        ] {
            assert_eq!(normalize_topic(raw), norm);
        }
    }

    #[test]
    fn a_normal_topic_is_its_own_normal_form() {
        // Loading looks a topic up as written before normalising it,
        // which is right only if normalising a normal topic changes
        // nothing: checked for every character.
        let mut changed = Vec::new();
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let once = normalize_topic(c.encode_utf8(&mut [0; 4]));
            if normalize_topic(&once) != once {
                changed.push(c);
            }
        }
        assert_eq!(changed, Vec::<char>::new());
        assert_eq!(normalize_topic("İ Ǆ_ΣΑΣ"), "i\u{307}-ǆ-σασ");
    }

    #[test]
    fn names_match_ignoring_case_and_surrounding_spaces() {
        assert_eq!(
            normalize_name("  The Supreme Leader "),
            "the supreme leader"
        );
        assert_ne!(
            normalize_name("the  supreme leader"),
            normalize_name("the supreme leader")
        );
    }

    /// A check holds millions of records: `about` (like `attribution`)
    /// sits in the padding after the fields of four bytes, and a record
    /// stays 128 bytes.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_record_stays_128_bytes() {
        assert_eq!(std::mem::size_of::<Record>(), 128);
        assert_eq!(std::mem::size_of::<About>(), 1);
    }

    #[test]
    fn id_pattern() {
        for ok in ["a", "land", "chief-2024", "0x"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in ["", "-a", "Land", "a_b", "a b", "é"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
