//! One JSON object → one raw record, with every field's span.
//!
//! The readers here check each field's JSON type and value (dates, scores,
//! ids, enumerations) and push a [`crate::diag::Diagnostic`] for each
//! problem, skipping a wrong value and carrying on, so a record with three
//! problems yields three messages. Names are not resolved yet: that needs
//! every actor (see [`crate::validate`]).
//!
//! - `record.rs`: the one reader of claims and actions
//!   ([`FieldReader::record`]). It walks a usual record's bytes itself and
//!   hands each unusual value, and only that value, to the value readers.
//! - `fields.rs`: [`FieldReader`], its count of each record's problems,
//!   and the value readers, built on the spanned JSON reader
//!   ([`crate::input::json`]), which report each problem at its value.
//! - `actor.rs`: actors and their roles, read field by field.
//! - `oracle.rs` (tests only): claims and actions read field by field
//!   through the spanned reader alone, the plain way; `tests.rs` holds the
//!   one reader to it, problems, spans and syntax errors included.
//!
//! Which fields a claim and an action have comes from one table,
//! `record_fields!` below.

mod actor;
mod fields;
#[cfg(test)]
mod oracle;
mod record;
mod review;

pub use fields::{FieldReader, MAX_PROBLEMS_PER_RECORD};
pub use review::RawReview;

use crate::date::PartialDate;
use crate::model::{About, ActorKind, Attribution};
use std::borrow::Cow;
use std::ops::Range;

/// Longest string value accepted, in bytes. Record texts are sentences;
/// a megabyte is a mistake (or an attack), not a claim.
pub const MAX_STRING_BYTES: usize = 1 << 20;
/// Most items accepted in one list (aliases, topics, acts_for, responds_to).
pub const MAX_LIST_ITEMS: usize = 10_000;

/// A string value and where it is.
pub type Spanned<T> = (T, Range<usize>);

/// What a claim or action file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    Claim,
    Action,
}

impl RecordKind {
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::Claim => "claim",
            RecordKind::Action => "action",
        }
    }
    fn score_field(self) -> &'static str {
        match self {
            RecordKind::Claim => "stance",
            RecordKind::Action => "effect",
        }
    }
}

/// A claim or action as written, before names are resolved. Strings are
/// borrowed from the file's text unless they held escapes.
#[derive(Debug, Default, PartialEq)]
pub struct RawRecord<'a> {
    /// Span of the opening `{`.
    pub start: usize,
    pub id: Option<Spanned<Cow<'a, str>>>,
    pub actor: Option<Spanned<Cow<'a, str>>>,
    pub target: Option<Spanned<Cow<'a, str>>>,
    pub date: Option<PartialDate>,
    pub text: Option<Cow<'a, str>>,
    pub score: Option<f64>,
    pub attribution: Option<Attribution>,
    /// A claim's `about` ([`About::Any`] when absent, null or wrong).
    pub about: About,
    /// As written (not normalised).
    pub topics: Vec<Cow<'a, str>>,
    pub responds_to: Vec<Spanned<Cow<'a, str>>>,
    pub document: Option<Spanned<Cow<'a, str>>>,
    pub quote: Option<Spanned<Cow<'a, str>>>,
    pub url: Option<Cow<'a, str>>,
    pub notes: Option<Cow<'a, str>>,
    /// Whether a problem was found in the record itself.
    pub broken: bool,
}

/// A role as written in `acts_for`.
#[derive(Debug, Default)]
pub struct RawRole {
    pub actor: Option<Spanned<String>>,
    pub role: Option<String>,
    pub from: Option<Spanned<PartialDate>>,
    pub to: Option<Spanned<PartialDate>>,
}

/// An actor as written.
#[derive(Debug, Default)]
pub struct RawActor {
    pub start: usize,
    pub id: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub kind: Option<ActorKind>,
    pub aliases: Vec<Spanned<String>>,
    pub roles: Vec<RawRole>,
}

/// The fields of claims and actions, each named once: its variant, its
/// name as it is written, and which records have it. [`Field::of`],
/// [`Field::name`], [`Field::belongs_to`] and the lists of names that
/// did-you-mean compares with all come from this one table.
macro_rules! record_fields {
    ($( $variant:ident = $name:literal, $bytes:literal, claim: $claim:literal, action: $action:literal; )*) => {
        /// A field of a claim or an action.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Field { $( $variant, )* }

        impl Field {
            /// The field `key` names. Every key of every record comes
            /// here: each name is a literal pattern, which compiles to a
            /// length test and a few integer comparisons (comparing with
            /// `name()` called `memcmp`).
            #[inline(always)]
            fn of(key: &str) -> Option<Field> {
                match key.as_bytes() {
                    $( $bytes => Some(Field::$variant), )*
                    _ => None,
                }
            }

            fn name(self) -> &'static str {
                match self { $( Field::$variant => $name, )* }
            }

            /// Whether records of `kind` have this field: `stance` and
            /// `about` are for claims, `effect`, `attribution` and
            /// `responds_to` for actions.
            fn belongs_to(self, kind: RecordKind) -> bool {
                match self {
                    $( Field::$variant => match kind {
                        RecordKind::Claim => $claim,
                        RecordKind::Action => $action,
                    }, )*
                }
            }

            fn bit(self) -> u32 {
                1 << self as u32
            }
        }

        /// Every field of the table, as (name, in claims, in actions).
        const FIELDS: &[(&str, bool, bool)] = &[ $( ($name, $claim, $action), )* ];
    };
}

record_fields! {
    Id = "id", b"id", claim: true, action: true;
    Actor = "actor", b"actor", claim: true, action: true;
    Date = "date", b"date", claim: true, action: true;
    Text = "text", b"text", claim: true, action: true;
    Target = "target", b"target", claim: true, action: true;
    Topics = "topics", b"topics", claim: true, action: true;
    Stance = "stance", b"stance", claim: true, action: false;
    About = "about", b"about", claim: true, action: false;
    Effect = "effect", b"effect", claim: false, action: true;
    Attribution = "attribution", b"attribution", claim: false, action: true;
    RespondsTo = "responds_to", b"responds_to", claim: false, action: true;
    Source = "source", b"source", claim: true, action: true;
    Notes = "notes", b"notes", claim: true, action: true;
    Draft = "draft", b"draft", claim: true, action: true;
}

/// The names of the fields records of one kind have, in table order.
const fn names_of<const N: usize>(claim: bool) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < FIELDS.len() {
        let (name, in_claims, in_actions) = FIELDS[i];
        if (claim && in_claims) || (!claim && in_actions) {
            out[n] = name;
            n += 1;
        }
        i += 1;
    }
    assert!(n == N, "the count of fields of a kind");
    out
}

/// How many fields records of one kind have.
const fn count_of(claim: bool) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < FIELDS.len() {
        if (claim && FIELDS[i].1) || (!claim && FIELDS[i].2) {
            n += 1;
        }
        i += 1;
    }
    n
}

const CLAIM_FIELDS: &[&str] = &names_of::<{ count_of(true) }>(true);
const ACTION_FIELDS: &[&str] = &names_of::<{ count_of(false) }>(false);
const ACTOR_FIELDS: &[&str] = &["id", "name", "kind", "aliases", "acts_for"];
const ROLE_FIELDS: &[&str] = &["actor", "role", "from", "to"];
const SOURCE_FIELDS: &[&str] = &["document", "quote", "url"];

pub(crate) fn own((s, span): Spanned<Cow<'_, str>>) -> Spanned<String> {
    (s.into_owned(), span)
}

/// The fields every record of `kind` needs, in the order they are
/// reported when missing.
fn required_fields(kind: RecordKind) -> [Field; 5] {
    let score = match kind {
        RecordKind::Claim => Field::Stance,
        RecordKind::Action => Field::Effect,
    };
    [Field::Id, Field::Actor, Field::Date, Field::Text, score]
}

pub(crate) fn required_list(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Claim => "`id`, `actor`, `date`, `text` and `stance`",
        RecordKind::Action => "`id`, `actor`, `date`, `text` and `effect`",
    }
}

pub(crate) fn record_name(kind: RecordKind, id: &Option<Spanned<Cow<'_, str>>>) -> String {
    match id {
        Some((id, _)) => format!("{} \"{id}\"", kind.noun()),
        None => format!("this {}", kind.noun()),
    }
}

/// A lower-case, dashed version of a bad id, when one exists.
pub(crate) fn suggest_id(id: &str) -> Option<String> {
    crate::model::id_from(id).filter(|fix| fix != id)
}

/// Known field names seen so far in one object: a bit per name, in the
/// order of the field list given (every list has fewer than 32 names).
#[derive(Default)]
pub(crate) struct Seen(u32);

impl Seen {
    /// Notes `key`; true when it is a member of `known` seen before (one
    /// pass over `known`: this runs for every key of every record).
    fn repeated(&mut self, known: &[&str], key: &str) -> bool {
        let Some(i) = known.iter().position(|k| *k == key) else {
            return false;
        };
        let bit = 1u32 << i;
        let again = self.0 & bit != 0;
        self.0 |= bit;
        again
    }

    fn has(&self, known: &[&str], key: &str) -> bool {
        known
            .iter()
            .position(|k| *k == key)
            .is_some_and(|i| self.0 & (1u32 << i) != 0)
    }
}

#[cfg(test)]
mod tests;
