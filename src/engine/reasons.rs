//! Why a pair was paired and judged as it was, for people to check.
//!
//! Every printer shows the same reasons: the chain of roles on each side
//! that makes the two records the same actor's, the topics they share, how
//! far apart and in which order they happened, the scores, the action's
//! attribution, and the factors of the severity.

use super::rules::{self, first_shared, intersection};
use crate::date::Span;
use crate::engine::pair::Pair;
use crate::engine::principals::Step;
use crate::engine::score::{self, Factors, Order};
use crate::model::{About, ActorIx, Dataset, Record, TopicIx};
use crate::report::{Report, shared_topics};

/// The reasons behind one pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Reasons {
    /// The actor both records answer to (the first shared principal).
    pub principal: ActorIx,
    /// Every principal the two share.
    pub shared: Vec<ActorIx>,
    /// From the claim's actor to `principal`.
    pub claim_path: Vec<Step>,
    /// From the action's actor to `principal`.
    pub action_path: Vec<Step>,
    /// Topics the pair is about (all the action's when the claim is general).
    pub topics: Vec<TopicIx>,
    /// Whether the claim has no topics (a general stance).
    pub general_claim: bool,
    /// Days between the two dates' intervals, 0 when they overlap.
    pub gap_days: i32,
    /// When the deed happened relative to the words.
    pub order: Order,
    /// The factors the pair's severity is the product of.
    pub factors: Factors,
}

/// What a line about a pair says of it, without the paths and factors
/// of [`Reasons`]: the formats that write a row per pair (JSON, CSV) need
/// only this, and working out the rest was most of the time CSV spent.
pub struct Brief {
    /// The actor both records answer to (the first shared principal).
    pub principal: ActorIx,
    /// Topics the pair is about (all the action's when the claim is general).
    pub topics: Vec<TopicIx>,
    pub gap_days: i32,
    pub order: Order,
}

/// Works out the [`Brief`] of a pair of the report.
pub fn brief(report: &Report<'_>, pair: &Pair) -> Brief {
    let data = report.data;
    let (c, a) = (pair.claim as usize, pair.action as usize);
    let (claim, action) = (&data.claims[c], &data.actions[a]);
    Brief {
        principal: first_shared(
            report.who.claim_actor.get(c),
            report.who.action_actor.get(a),
        )
        .unwrap_or(claim.actor),
        topics: shared_topics(data, c, a),
        gap_days: claim.date.gap_days(&action.date),
        order: Order::of(&claim.date, &action.date),
    }
}

/// Works out the reasons of a pair of the report: its [`Brief`], and the
/// paths, shared principals and factors behind it.
pub fn of(report: &Report<'_>, pair: &Pair) -> Reasons {
    let data = report.data;
    let (c, a) = (pair.claim as usize, pair.action as usize);
    let claim = &data.claims[c];
    let action = &data.actions[a];
    let Brief {
        principal,
        topics,
        gap_days,
        order,
    } = brief(report, pair);
    let path = |actor, date| {
        report
            .chains
            .path(actor, Span::of(date), principal)
            .unwrap_or_else(|| vec![Step { actor, role: None }])
    };
    Reasons {
        principal,
        claim_path: path(claim.actor, &claim.date),
        action_path: path(action.actor, &action.date),
        shared: intersection(
            report.who.claim_actor.get(c),
            report.who.action_actor.get(a),
        ),
        topics,
        general_claim: claim.topics.is_empty(),
        gap_days,
        order,
        factors: score::factors(
            claim.score,
            action.score,
            action.attribution,
            &claim.date,
            &action.date,
        ),
    }
}

/// A path as people read it: `khamenei → iran (Supreme Leader, 1989-06-04–)`.
pub fn path_text(data: &Dataset, path: &[Step]) -> String {
    let mut out = String::new();
    for (i, step) in path.iter().enumerate() {
        let actor = &data.actors[step.actor as usize];
        if i > 0 {
            out.push_str(" → ");
        }
        out.push_str(&actor.id);
    }
    // Roles, in order, after the chain: "(Supreme Leader, 1989-06-04–)".
    let roles: Vec<String> = path
        .iter()
        .filter_map(|s| {
            s.role
                .and_then(|r| data.actors[s.actor as usize].roles.get(r as usize))
        })
        .map(|r| {
            let from = r.from.map(|d| d.to_string()).unwrap_or_default();
            let to = r.to.map(|d| d.to_string()).unwrap_or_default();
            let label = if r.role.is_empty() {
                "acts for"
            } else {
                r.role.as_str()
            };
            if from.is_empty() && to.is_empty() {
                label.to_string()
            } else {
                format!("{label}, {from}–{to}")
            }
        })
        .collect();
    if !roles.is_empty() {
        out.push_str(&format!(" ({})", roles.join("; ")));
    }
    out
}

/// "213 days after the words", "overlapping", "40 days before the words".
pub fn timing_text(gap_days: i32, order: Order) -> String {
    match order {
        Order::Overlapping => "at the same time as the words".to_string(),
        Order::After => format!("{} after the words", days(gap_days)),
        Order::Before => format!("{} before the words", days(gap_days)),
    }
}

fn days(n: i32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// Why `action` starts outside `claim`'s window: on the wrong side of
/// words about the future or the past, or too long before or after them.
fn outside_the_window(s: &rules::Settings, claim: &Record, action: &Record) -> String {
    use crate::date::format_day;
    let start = action.date.first;
    match claim.about {
        About::Future if start < claim.date.first => format!(
            "the claim is about the future; the deed started before it: the action starts {} and only deeds starting on or after the claim's first day, {}, can pair with it",
            format_day(start),
            format_day(claim.date.first)
        ),
        About::Past if start > claim.date.last => format!(
            "the claim is about the past; the deed started after it: the action starts {} and only deeds starting on or before the claim's last day, {}, can pair with it",
            format_day(start),
            format_day(claim.date.last)
        ),
        about => {
            let (from, to) = s.window_of(claim);
            format!(
                "outside the window: the action starts {} but the window runs {} to {} (--lookback {}, --horizon {}{})",
                format_day(start),
                format_day(from),
                format_day(to),
                s.lookback,
                s.horizon,
                match about {
                    About::Any => "",
                    About::Future => "; the claim is about the future",
                    About::Past => "; the claim is about the past",
                }
            )
        }
    }
}

/// Which pairing rules a claim and an action fail, in words.
pub fn why_not(report: &Report<'_>, c: usize, a: usize) -> Vec<String> {
    let data = report.data;
    let (claim, action) = (&data.claims[c], &data.actions[a]);
    let who = &report.who;
    let names = |set: &[ActorIx]| {
        set.iter()
            .map(|&x| data.actors[x as usize].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    if !rules::same_actor(who.claim_actor.get(c), who.action_actor.get(a)) {
        out.push(format!(
            "not the same actor: the claim speaks for {{{}}} on {}, the action acts for {{{}}} on {}",
            names(who.claim_actor.get(c)),
            claim.date,
            names(who.action_actor.get(a)),
            action.date
        ));
    }
    if !rules::same_target(
        claim.target.is_some().then(|| who.claim_target.get(c)),
        action.target.is_some().then(|| who.action_target.get(a)),
    ) {
        out.push(format!(
            "different targets: {{{}}} and {{{}}}",
            names(who.claim_target.get(c)),
            names(who.action_target.get(a))
        ));
    }
    if !rules::shared_topic(&claim.topics, &action.topics) {
        let t = |ts: &[TopicIx]| {
            ts.iter()
                .map(|&t| data.topics[t as usize].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(format!(
            "no shared topic: [{}] and [{}]",
            t(&claim.topics),
            t(&action.topics)
        ));
    }
    let s = &report.settings;
    if !rules::in_window(s, claim, &action.date) {
        out.push(outside_the_window(s, claim, action));
    }
    if out.is_empty() {
        out.push("they meet every rule but are left out by the filters".into());
    }
    out
}
