//! Who is "the same actor": an actor's *principals* at a date are the
//! actor itself plus everyone it acts for at that date, followed
//! transitively, where a chain of roles holds when one day lies in the
//! record's date interval and in every role along the chain. [`Chains`]
//! precomputes, for each actor, every chain with the span of days on which
//! all its roles hold, so a record's principals are a scan of a short list.

use crate::date::Span;
use crate::model::{Actor, ActorIx};
use crate::model::{Dataset, Record};
use crate::perf::prefetch;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// One step of a chain: `principal` reached from the link `parent` through
/// role `role` of the parent's principal; the chain holds on `span`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub principal: ActorIx,
    pub span: Span,
    pub parent: u32,
    pub role: u32,
}

const ROOT: u32 = u32::MAX;

/// Most chains kept for one actor. Real hierarchies have a handful; a
/// dataset that builds millions (many overlapping roles in a deep lattice)
/// is refused with a clear error rather than exhausting memory.
pub const MAX_CHAINS_PER_ACTOR: usize = 100_000;

/// Every chain of roles from every actor, with the days it holds.
#[derive(Debug, Default)]
pub struct Chains {
    per_actor: Vec<Vec<Link>>,
}

/// A step of an explained path: the actor, and the role by which it acts
/// for the next actor on the path (none for the last).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The actor at this step, an index into the dataset's actors.
    pub actor: ActorIx,
    /// Index into `actors[actor].roles` of the role leading on.
    pub role: Option<u32>,
}

impl Chains {
    /// Builds the chains; the `acts_for` graph must have no cycle. Returns
    /// the first actor with too many chains as an error.
    pub fn build(actors: &[Actor]) -> Result<Chains, ActorIx> {
        let mut per_actor = Vec::with_capacity(actors.len());
        for ix in 0..actors.len() {
            per_actor.push(chains_of(actors, ix as ActorIx).ok_or(ix as ActorIx)?);
        }
        Ok(Chains { per_actor })
    }

    /// Every chain from `actor`, with the days it holds: the first link
    /// is the actor itself, every day.
    #[cfg_attr(not(feature = "datafusion"), allow(dead_code))]
    pub fn links(&self, actor: ActorIx) -> &[Link] {
        &self.per_actor[actor as usize]
    }

    /// The roles along the chain ending at `link` of `actor`'s chains.
    #[cfg_attr(not(feature = "datafusion"), allow(dead_code))]
    pub fn depth(&self, actor: ActorIx, link: usize) -> u32 {
        let links = &self.per_actor[actor as usize];
        let (mut at, mut depth) = (link, 0);
        while links[at].parent != ROOT {
            at = links[at].parent as usize;
            depth += 1;
        }
        depth
    }

    /// The principals of `actor` on some day of `date`, sorted, appended to `out`.
    pub fn principals_at(&self, actor: ActorIx, date: Span, out: &mut Vec<ActorIx>) {
        let start = out.len();
        for link in &self.per_actor[actor as usize] {
            if link.span.overlaps(date) {
                out.push(link.principal);
            }
        }
        out[start..].sort_unstable();
        let mut w = start;
        for r in start..out.len() {
            if r == start || out[r] != out[w - 1] {
                out[w] = out[r];
                w += 1;
            }
        }
        out.truncate(w);
    }

    /// Starts loading where `actor`'s chains are kept (then
    /// [`Chains::prefetch_links`] finds them without waiting).
    pub fn prefetch_slot(&self, actor: ActorIx) {
        if let Some(links) = self.per_actor.get(actor as usize) {
            crate::perf::prefetch(links);
        }
    }

    /// Starts loading `actor`'s chains.
    pub fn prefetch_links(&self, actor: ActorIx) {
        if let Some(links) = self.per_actor.get(actor as usize) {
            for link in [links.first(), links.last()].into_iter().flatten() {
                crate::perf::prefetch(link);
            }
        }
    }

    /// Whether every chain of `actor` holds on every day: then its
    /// principals, and the chains to them, are the same for any date.
    pub fn timeless(&self, actor: ActorIx) -> bool {
        self.per_actor[actor as usize]
            .iter()
            .all(|l| l.span == Span::ALL)
    }

    /// The actors of [`Chains::path`], from `principal` back to `actor`,
    /// without building the path: reports write millions of them.
    pub fn path_back(
        &self,
        actor: ActorIx,
        date: Span,
        principal: ActorIx,
    ) -> Option<impl Iterator<Item = ActorIx> + Clone + '_> {
        let links = &self.per_actor[actor as usize];
        let at = links
            .iter()
            .position(|l| l.principal == principal && l.span.overlaps(date))?;
        let up = move |&i: &usize| (links[i].parent != ROOT).then_some(links[i].parent as usize);
        Some(std::iter::successors(Some(at), up).map(move |i| links[i].principal))
    }

    /// The shortest chain by which `actor` acts for `principal` on some day
    /// of `date`, from the actor to the principal.
    pub fn path(&self, actor: ActorIx, date: Span, principal: ActorIx) -> Option<Vec<Step>> {
        let links = &self.per_actor[actor as usize];
        let mut at = links
            .iter()
            .position(|l| l.principal == principal && l.span.overlaps(date))?;
        let mut steps = vec![Step {
            actor: principal,
            role: None,
        }];
        while links[at].parent != ROOT {
            let link = links[at];
            let parent = link.parent as usize;
            steps.push(Step {
                actor: links[parent].principal,
                role: Some(link.role),
            });
            at = parent;
        }
        steps.reverse();
        Some(steps)
    }
}

/// Breadth-first over (principal, span) states, so the first chain found
/// to each principal is a shortest one and repeated states are not expanded.
fn chains_of(actors: &[Actor], ix: ActorIx) -> Option<Vec<Link>> {
    let mut links = vec![Link {
        principal: ix,
        span: Span::ALL,
        parent: ROOT,
        role: 0,
    }];
    let mut seen: FxHashSet<(ActorIx, Span)> = FxHashSet::default();
    seen.insert((ix, Span::ALL));
    let mut next = 0;
    while next < links.len() {
        let here = links[next];
        for (r, role) in actors[here.principal as usize].roles.iter().enumerate() {
            if let Some(span) = here.span.intersect(role.span)
                && seen.insert((role.principal, span))
            {
                links.push(Link {
                    principal: role.principal,
                    span,
                    parent: next as u32,
                    role: r as u32,
                });
                if links.len() > MAX_CHAINS_PER_ACTOR {
                    return None;
                }
            }
        }
        next += 1;
    }
    Some(links)
}

/// Cycles in the `acts_for` graph, each as the list of actors around it
/// (starting from its smallest index), one per strongly connected group.
pub fn cycles(actors: &[Actor]) -> Vec<Vec<ActorIx>> {
    // Tarjan's algorithm, iterative.
    let n = actors.len();
    let mut index = vec![u32::MAX; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut counter = 0u32;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != u32::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            let roles = &actors[v].roles;
            if *edge < roles.len() {
                let w = roles[*edge].principal as usize;
                *edge += 1;
                if index[w] == u32::MAX {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group.push(w as ActorIx);
                    if w == v {
                        break;
                    }
                }
                let self_loop = actors[v].roles.iter().any(|r| r.principal as usize == v);
                if group.len() > 1 || self_loop {
                    out.push(cycle_path(actors, &group));
                }
            }
        }
    }
    out.sort();
    out
}

/// A cycle through the smallest actor of a strongly connected group.
fn cycle_path(actors: &[Actor], group: &[ActorIx]) -> Vec<ActorIx> {
    let members: FxHashSet<ActorIx> = group.iter().copied().collect();
    let start = *group.iter().min().unwrap_or(&0);
    // Breadth-first from start back to start inside the group.
    let mut prev: FxHashMap<ActorIx, ActorIx> = FxHashMap::default();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        let mut principals: Vec<ActorIx> = actors[v as usize]
            .roles
            .iter()
            .map(|r| r.principal)
            .collect();
        principals.sort_unstable();
        for w in principals {
            if !members.contains(&w) {
                continue;
            }
            if w == start {
                let mut path = vec![v];
                let mut at = v;
                while at != start {
                    at = prev[&at];
                    path.push(at);
                }
                path.reverse();
                return path;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    vec![start]
}

/// Sets of actors per record, stored flat: record `i`'s set is
/// `items[offsets[i]..offsets[i + 1]]`, sorted.
#[derive(Clone, Debug, Default)]
pub struct Sets {
    offsets: Vec<u32>,
    items: Vec<ActorIx>,
}

impl Sets {
    pub fn get(&self, i: usize) -> &[ActorIx] {
        &self.items[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Asks for where set `i` lies (see [`prefetch`]).
    pub fn prefetch_offsets(&self, i: usize) {
        prefetch(&self.offsets[i]);
    }

    /// Asks for set `i`'s members, once its offsets have arrived.
    pub fn prefetch_items(&self, i: usize) {
        if let Some(x) = self.items.get(self.offsets[i] as usize) {
            prefetch(x);
        }
    }

    fn build(n: usize, fill: impl Fn(usize, &mut Vec<ActorIx>) + Sync) -> Sets {
        // Parallel in blocks, each with its sets' ends counted from the
        // block's start, then joined in parallel (joined on one thread,
        // the other core stayed idle).
        const BLOCK: usize = 16_384;
        let blocks: (Vec<Vec<u32>>, Vec<Vec<ActorIx>>) = (0..n.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| {
                let mut ends = Vec::with_capacity(BLOCK);
                let mut items = Vec::new();
                for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
                    fill(i, &mut items);
                    ends.push(items.len() as u32);
                }
                (ends, items)
            })
            .unzip();
        let (mut offsets, mut items) = (vec![0u32], Vec::new());
        crate::perf::parallel::append_positioned(&mut offsets, &mut items, blocks);
        Sets { offsets, items }
    }
}

/// Who stands behind each record: principals of its actor and of its
/// target, each at the record's date, and for actions the principals of
/// the actors whose deeds it answers.
#[derive(Debug, Default)]
pub struct Principals {
    pub claim_actor: Sets,
    pub claim_target: Sets,
    pub action_actor: Sets,
    pub action_target: Sets,
    /// Per action: principals of the actors of the actions it responds to,
    /// each at that action's date.
    pub answered: Sets,
}

impl Principals {
    pub fn compute(data: &Dataset, chains: &Chains) -> Principals {
        let of_actor = |recs: &[Record]| {
            Sets::build(recs.len(), |i, out| {
                let r = &recs[i];
                chains.principals_at(r.actor, Span::of(&r.date), out);
            })
        };
        let of_target = |recs: &[Record]| {
            Sets::build(recs.len(), |i, out| {
                let r = &recs[i];
                if let Some(t) = r.target {
                    chains.principals_at(t, Span::of(&r.date), out);
                }
            })
        };
        let answered = Sets::build(data.actions.len(), |i, out| {
            let start = out.len();
            for &j in data.actions[i].responds_to.iter() {
                let answered = &data.actions[j as usize];
                chains.principals_at(answered.actor, Span::of(&answered.date), out);
            }
            out[start..].sort_unstable();
            let mut seen = start;
            for k in start..out.len() {
                if k == start || out[k] != out[seen - 1] {
                    out[seen] = out[k];
                    seen += 1;
                }
            }
            out.truncate(seen);
        });
        Principals {
            claim_actor: of_actor(&data.claims),
            claim_target: of_target(&data.claims),
            action_actor: of_actor(&data.actions),
            action_target: of_target(&data.actions),
            answered,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::PartialDate;
    use crate::model::Role;

    use crate::model::test_actor as actor;

    fn role(principal: ActorIx, from: Option<&str>, to: Option<&str>) -> Role {
        let from = from.map(|d| PartialDate::parse(d).unwrap());
        let to = to.map(|d| PartialDate::parse(d).unwrap());
        Role {
            principal,
            role: "r".into(),
            span: Span {
                first: from.map_or(Span::ALL.first, |d| d.first),
                last: to.map_or(Span::ALL.last, |d| d.last),
            },
            from,
            to,
        }
    }

    fn span(d: &str) -> Span {
        Span::of(&PartialDate::parse(d).unwrap())
    }

    #[test]
    fn principals_follow_roles_transitively_on_a_common_day() {
        // 0 person -> 1 ministry (2021-08-03..) -> 2 state (until 2021-08-10)
        let actors = [
            actor("p", &[], vec![role(1, Some("2021-08-03"), None)]),
            actor("m", &[], vec![role(2, None, Some("2021-08-10"))]),
            actor("s", &[], vec![]),
        ];
        let chains = Chains::build(&actors).unwrap();
        let at = |d: &str| {
            let mut out = Vec::new();
            chains.principals_at(0, span(d), &mut out);
            out
        };
        assert_eq!(at("2021-08"), [0, 1, 2]); // a day in August lies in both roles
        assert_eq!(at("2021-08-05"), [0, 1, 2]);
        assert_eq!(at("2021-08-20"), [0, 1]); // the ministry no longer acts for the state
        assert_eq!(at("2021-07"), [0]); // not yet in office
        assert_eq!(at("2021"), [0, 1, 2]);
        let path = chains.path(0, span("2021-08"), 2).unwrap();
        assert_eq!(path.iter().map(|s| s.actor).collect::<Vec<_>>(), [0, 1, 2]);
        let back: Vec<ActorIx> = chains.path_back(0, span("2021-08"), 2).unwrap().collect();
        assert_eq!(back, [2, 1, 0]);
        assert!(chains.path_back(0, span("2021-07"), 2).is_none());
    }

    #[test]
    fn only_chains_without_dates_anywhere_are_timeless() {
        // 0 -> 1 undated; 1 -> 2 undated; 3 -> 1 dated; 4 -> 3 undated.
        let actors = [
            actor("p", &[], vec![role(1, None, None)]),
            actor("m", &[], vec![role(2, None, None)]),
            actor("s", &[], vec![]),
            actor("q", &[], vec![role(1, Some("2020"), None)]),
            actor("r", &[], vec![role(3, None, None)]),
        ];
        let chains = Chains::build(&actors).unwrap();
        let timeless: Vec<bool> = (0..5).map(|a| chains.timeless(a)).collect();
        assert_eq!(timeless, [true, true, true, false, false]);
    }

    #[test]
    fn a_chain_needs_one_day_inside_every_role() {
        // Roles that never overlap in time do not chain.
        let actors = [
            actor("p", &[], vec![role(1, Some("2020"), Some("2020"))]),
            actor("m", &[], vec![role(2, Some("2021"), None)]),
            actor("s", &[], vec![]),
        ];
        let chains = Chains::build(&actors).unwrap();
        let mut out = Vec::new();
        chains.principals_at(0, span("2020"), &mut out);
        assert_eq!(out, [0, 1]);
    }

    #[test]
    fn finds_each_cycle_once() {
        let actors = [
            actor("a", &[], vec![role(1, None, None)]),
            actor("b", &[], vec![role(2, None, None)]),
            actor("c", &[], vec![role(0, None, None)]),
            actor("d", &[], vec![role(3, None, None)]),
            actor("e", &[], vec![role(0, None, None)]),
        ];
        assert_eq!(cycles(&actors), vec![vec![0, 1, 2], vec![3]]);
    }
}
