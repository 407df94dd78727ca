//! The pairing rules, each written once: data-format.md's "Which pairs are
//! compared". A claim and an action are paired when all four hold:
//! [`same_actor`], [`same_target`], [`shared_topic`] and [`in_window`].
//!
//! [`meets`] states them plainly, for tests and explanations
//! (`reasons::why_not` says which fail and why). Pairing
//! (`pair::pair_all`) reaches the same pairs faster: it looks actions up
//! in indexes keyed by principal (the members [`same_actor`] compares) and
//! by (principal, topic) (what [`shared_topic`] compares), searches the
//! days of [`Settings::window`], and then applies [`same_target`]. The
//! property test `every_pair_meets_every_rule_and_every_meeting_is_paired`
//! holds the two to the same answer. Counting (`count::Counting`, for
//! `saydo trend`) reads the same indexes and applies [`same_target`] by
//! reading, for a claim with a target, only the actions whose target
//! shares one of its principals or who have none; the trend's property
//! test holds its counts to those of the pairs.

use crate::date::{Day, PartialDate};
use crate::engine::score;
use crate::model::{About, ActorIx, Dataset, Record, TopicIx};

use super::principals::Principals;

/// Settings of a check (the pairing window and the threshold).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Days before the claim's first day an action may start.
    pub lookback: u32,
    /// Days after the claim's last day an action may start.
    pub horizon: u32,
    /// Smallest |stance| and |effect| that take a side.
    pub threshold: f64,
}

impl Settings {
    /// The days an action may start on to meet a claim dated `date` that
    /// is `about` them: from `lookback` days before its first day to
    /// `horizon` days after its last, both days included. Words about the
    /// future look no further back than their first day (a pledge is
    /// belied only by later deeds), words about the past no further on
    /// than their last (a denial only by earlier ones). A window wider
    /// than the calendar's day numbers reach takes in all time: it
    /// saturates, and never wraps round to a negative width.
    pub fn window(&self, date: &PartialDate, about: About) -> (Day, Day) {
        let days = |n: u32| Day::try_from(n).unwrap_or(Day::MAX);
        let (from, to) = (
            date.first.saturating_sub(days(self.lookback)),
            date.last.saturating_add(days(self.horizon)),
        );
        // Once per claim, and a max and a min whatever `about` is.
        let (earliest, latest) = match about {
            About::Any => (Day::MIN, Day::MAX),
            About::Future => (date.first, Day::MAX),
            About::Past => (Day::MIN, date.last),
        };
        (from.max(earliest), to.min(latest))
    }

    /// [`Settings::window`] of a claim: its date, narrowed by its `about`.
    pub fn window_of(&self, claim: &Record) -> (Day, Day) {
        self.window(&claim.date, claim.about)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lookback: 365,
            horizon: 730,
            threshold: score::DEFAULT_THRESHOLD,
        }
    }
}

/// Rule 1, same actor: the claim's principals and the action's (each at
/// its own record's date) share a member.
pub fn same_actor(claim_principals: &[ActorIx], action_principals: &[ActorIx]) -> bool {
    intersects(claim_principals, action_principals)
}

/// Rule 2, same target: either record has no target (`None`), or the
/// principals of their targets share a member.
#[inline]
pub fn same_target(claim_targets: Option<&[ActorIx]>, action_targets: Option<&[ActorIx]>) -> bool {
    match (claim_targets, action_targets) {
        (Some(c), Some(a)) => intersects(c, a),
        _ => true,
    }
}

/// Rule 3, a shared topic: the claim has no topics (a general stance), or
/// the two share one (topics are indexes of normal forms, sorted).
pub fn shared_topic(claim_topics: &[TopicIx], action_topics: &[TopicIx]) -> bool {
    claim_topics.is_empty() || !intersection(claim_topics, action_topics).is_empty()
}

/// Rule 4, in the window: the action starts inside the claim's
/// [`Settings::window`], which the claim's `about` narrows to the deeds
/// after or before the words.
pub fn in_window(settings: &Settings, claim: &Record, action: &PartialDate) -> bool {
    let (from, to) = settings.window_of(claim);
    (from..=to).contains(&action.first)
}

/// Whether a claim and an action meet every pairing rule: the slow,
/// obvious statement of the rules that pairing is held to
/// ([`crate::Report::meets`] asks it).
pub fn meets(data: &Dataset, who: &Principals, settings: &Settings, c: usize, a: usize) -> bool {
    let claim = &data.claims[c];
    let action = &data.actions[a];
    same_actor(who.claim_actor.get(c), who.action_actor.get(a))
        && same_target(
            claim.target.is_some().then(|| who.claim_target.get(c)),
            action.target.is_some().then(|| who.action_target.get(a)),
        )
        && shared_topic(&claim.topics, &action.topics)
        && in_window(settings, claim, &action.date)
}

/// Whether two sorted sets share a member.
pub fn intersects(a: &[ActorIx], b: &[ActorIx]) -> bool {
    first_shared(a, b).is_some()
}

/// The smallest member two sorted sets share.
pub fn first_shared(a: &[ActorIx], b: &[ActorIx]) -> Option<ActorIx> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

/// The members two sorted sets share.
pub fn intersection<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_saturates_at_the_ends_of_the_calendar_and_never_wraps() {
        let date = PartialDate::parse("2021-08").unwrap();
        let window = |lookback, horizon| {
            Settings {
                lookback,
                horizon,
                ..Settings::default()
            }
            .window(&date, About::Any)
        };
        assert_eq!(window(0, 0), (date.first, date.last));
        assert_eq!(window(10, 20), (date.first - 10, date.last + 20));
        for huge in [1 << 31, u32::MAX] {
            // As far back as a day number goes from the claim's first day.
            assert_eq!(window(huge, 0), (date.first - Day::MAX, date.last));
            assert_eq!(window(0, huge), (date.first, Day::MAX));
        }
    }

    #[test]
    fn about_narrows_the_window_to_one_side_of_the_words() {
        let settings = Settings {
            lookback: 10,
            horizon: 20,
            ..Settings::default()
        };
        for text in ["2021-08-15", "2021-08", "2021"] {
            let date = PartialDate::parse(text).unwrap();
            let (first, last) = (date.first, date.last);
            let window = |about| settings.window(&date, about);
            assert_eq!(window(About::Any), (first - 10, last + 20), "{text}");
            assert_eq!(window(About::Future), (first, last + 20), "{text}");
            assert_eq!(window(About::Past), (first - 10, last), "{text}");
        }
        // Saturated windows are narrowed alike; a window of no lookback
        // or horizon is already on that side.
        let date = PartialDate::parse("2021-08").unwrap();
        let all = Settings {
            lookback: u32::MAX,
            horizon: u32::MAX,
            ..Settings::default()
        };
        assert_eq!(all.window(&date, About::Future), (date.first, Day::MAX));
        assert_eq!(
            all.window(&date, About::Past),
            (date.first - Day::MAX, date.last)
        );
        let none = Settings {
            lookback: 0,
            horizon: 0,
            ..Settings::default()
        };
        for about in [About::Any, About::Future, About::Past] {
            assert_eq!(none.window(&date, about), (date.first, date.last));
        }
    }
}
