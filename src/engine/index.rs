//! Actions indexed for pairing: by principal, and by (principal, topic),
//! each sorted by start day, so a claim looks up only the actions of its
//! principals on its topics and binary-searches its window.

use crate::date::Day;
use crate::model::{ActorIx, TopicIx};
use crate::perf::parallel::by_blocks;
use rayon::prelude::*;

/// Actions indexed for window look-ups: entries sorted by key then start
/// day; the distinct keys in order, each with where its entries start;
/// and for each principal where its keys start. A look-up finds the
/// key among its principal's few (one, or one per topic) and then binary
/// searches that key's actions only. Keys are packed into 64 bits, the
/// principal in the upper half ([`IndexKey`]). All of it is built in
/// parallel from the sorted entries: a hash map of the keys was built on
/// one thread, the other core idle.
pub(crate) struct Index<R = Entry> {
    entries: Vec<R>,
    /// (lower half of the key, first entry), by key ([`Index::start`]).
    keys: Vec<(u32, u32)>,
    /// Principal `p`'s keys are `keys[by_principal[p]..by_principal[p + 1]]`.
    by_principal: Vec<u32>,
}

/// An action in an [`Index`], in one number. The lower 64 bits hold its
/// start day and its rank. Above them, while the index is built, its key,
/// so that entries sort as (key, start day, rank), as numbers (much faster
/// than sorting tuples); once sorted, the [`target_mask`] of its target's
/// principals, as the index's keys say where each key's entries lie.
/// Converted in place, the index needs no second vector of entries, and
/// so less memory to fault in.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry(u128);

/// Flipping the sign bit makes the day's bits sort as the day does.
pub(crate) const DAY_FLIP: u32 = 0x8000_0000;

impl Entry {
    /// An entry to sort, with its key.
    pub(crate) fn new(key: impl IndexKey, day: Day, rank: u32) -> Entry {
        let day = (day as u32) ^ DAY_FLIP;
        Entry((u128::from(key.bits()) << 64) | (u128::from(day) << 32) | u128::from(rank))
    }

    /// The key of an entry made by [`Entry::new`].
    pub(crate) fn key(self) -> u64 {
        (self.0 >> 64) as u64
    }

    /// The entry with `mask` in place of its key.
    pub(crate) fn with_targets(self, mask: u32) -> Entry {
        Entry((u128::from(mask) << 64) | (self.0 & u128::from(u64::MAX)))
    }

    pub(crate) fn day(self) -> Day {
        ((self.0 >> 32) as u32 ^ DAY_FLIP) as Day
    }

    pub(crate) fn rank(self) -> u32 {
        self.0 as u32
    }

    /// The target mask of an entry of a built index.
    pub(crate) fn targets(self) -> u32 {
        (self.0 >> 64) as u32
    }
}

/// The principals of a target as a 32-bit set: one bit per principal,
/// chosen by hashing, 0 without a target. Two targets whose masks share
/// no bit share no principal, so most candidates the target rule turns
/// down are turned down in the index, before their facts are read.
pub(crate) fn target_mask(principals: &[ActorIx]) -> u32 {
    principals
        .iter()
        .fold(0, |m, &p| m | 1 << (p.wrapping_mul(0x9E37_79B1) >> 27))
}

/// A key of an [`Index`], as 64 bits.
pub(crate) trait IndexKey: Copy {
    fn bits(self) -> u64;
}

impl IndexKey for ActorIx {
    fn bits(self) -> u64 {
        u64::from(self) << 32
    }
}

impl IndexKey for (ActorIx, TopicIx) {
    fn bits(self) -> u64 {
        (u64::from(self.0) << 32) | u64::from(self.1)
    }
}

/// A key of either index a claim reads: a principal (for a claim without
/// topics, a general stance that meets every topic) or a principal and a
/// topic.
#[derive(Clone, Copy)]
pub(crate) enum Key {
    Actor(ActorIx),
    Topic(ActorIx, TopicIx),
}

impl IndexKey for Key {
    fn bits(self) -> u64 {
        match self {
            Key::Actor(p) => p.bits(),
            Key::Topic(p, t) => (p, t).bits(),
        }
    }
}

/// The keys a claim with these principals and topics looks actions up
/// under: each principal with each topic, or each principal alone when it
/// has no topics (then in the index by principal).
pub(crate) fn keys_of<'c>(
    principals: &'c [ActorIx],
    topics: &'c [TopicIx],
) -> impl Iterator<Item = Key> + 'c {
    let alone = topics
        .is_empty()
        .then_some(principals.iter().map(|&p| Key::Actor(p)));
    let with_topics = principals
        .iter()
        .flat_map(move |&p| topics.iter().map(move |&t| Key::Topic(p, t)));
    alone.into_iter().flatten().chain(with_topics)
}

impl Index {
    /// An index of entries made by [`Entry::new`]; `masks` holds each
    /// action's [`target_mask`] by rank.
    pub(crate) fn new(entries: Vec<Entry>, masks: &[u32]) -> Self {
        let mut index = Index::sorted(entries);
        index
            .entries
            .par_iter_mut()
            .for_each(|e| *e = e.with_targets(masks[e.rank() as usize]));
        index
    }

    /// The entries sorted and their keys found, each entry still holding
    /// its key.
    fn sorted(mut entries: Vec<Entry>) -> Self {
        entries.par_sort_unstable();
        let key_of = |i: usize| entries[i].key();
        let keys: Vec<(u32, u32)> = (0..entries.len())
            .into_par_iter()
            .filter(|&i| i == 0 || key_of(i) != key_of(i - 1))
            .map(|i| (key_of(i) as u32, i as u32))
            .collect();
        let by_principal = by_principal(keys.len(), |k| key_of(keys[k].1 as usize) >> 32);
        Index {
            entries,
            keys,
            by_principal,
        }
    }

    /// Actions under `key` starting within `[from, to]`.
    pub(crate) fn window(&self, key: impl IndexKey, from: Day, to: Day) -> &[Entry] {
        self.rows(key, from, to)
    }
}

/// What an [`Index`] holds of an action: its start day, by which the
/// entries of a key are sorted.
pub(crate) trait Dated {
    fn day(&self) -> Day;
}

impl Dated for Entry {
    fn day(&self) -> Day {
        Entry::day(*self)
    }
}

impl<R: Dated> Index<R> {
    /// Where key `k`'s entries start; for `k` past the last key, the end.
    /// (A last key marking the end would make the collected keys grow by
    /// one, copying them all, on one thread.)
    pub(crate) fn start(&self, k: usize) -> u32 {
        self.keys.get(k).map_or(self.entries.len() as u32, |x| x.1)
    }

    /// How many entries principal `p`'s keys hold.
    pub(crate) fn size(&self, p: ActorIx) -> u32 {
        let p = p as usize;
        match self.by_principal.get(p..p + 2) {
            Some(&[first, end]) => self.start(end as usize) - self.start(first as usize),
            _ => 0,
        }
    }

    /// The number of `key` among the keys, if the index has it.
    fn key_number(&self, key: impl IndexKey) -> Option<usize> {
        let bits = key.bits();
        let p = (bits >> 32) as usize;
        let &[first, end] = self.by_principal.get(p..p + 2)? else {
            return None;
        };
        let (first, end) = (first as usize, end as usize);
        let k = self.keys[first..end]
            .binary_search_by_key(&(bits as u32), |k| k.0)
            .ok()?;
        Some(first + k)
    }

    /// The entries of key number `k`.
    fn of_key(&self, k: usize) -> &[R] {
        &self.entries[self.start(k) as usize..self.start(k + 1) as usize]
    }

    /// The entries of actions under `key` starting within `[from, to]`.
    pub(crate) fn rows(&self, key: impl IndexKey, from: Day, to: Day) -> &[R] {
        let Some(k) = self.key_number(key) else {
            return &[];
        };
        let slice = self.of_key(k);
        let a = slice.partition_point(|e| e.day() < from);
        let b = slice.partition_point(|e| e.day() <= to);
        &slice[a..b.max(a)]
    }
}

/// Actions indexed for counting: an [`Index`] whose rows, within each
/// key, are grouped by the principals of their actions' targets (an
/// action whose target has two principals stands in both groups; those
/// without a target in the group [`Aimed::NONE`]), each group sorted by
/// start day. A claim with a target reads, under each of its keys, only
/// the groups of its target's principals and of no target: the actions
/// the target rule (`rules::same_target`) lets through, read straight
/// through. A claim without one reads every group of its keys. The rows,
/// and a column of their start days, are all the index holds of the
/// actions.
pub(crate) struct Aimed<R> {
    /// The rows, by key, group, then start day; its keys say where each
    /// key's groups start.
    index: Index<R>,
    /// Each row's start day, by which windows are found: the searches
    /// read a fourth of the memory they read in the rows.
    days: Vec<Day>,
    /// Key number `k`'s groups are `groups[by_key[k]..by_key[k + 1]]`.
    by_key: Vec<u32>,
    /// Each group's principal and where its rows start.
    groups: Vec<(ActorIx, u32)>,
}

impl<R: Dated + Send + Sync> Aimed<R> {
    /// The group of actions without a target.
    pub(crate) const NONE: ActorIx = NO_TARGET;

    /// The index of `actions` actions: `places(a, add)` calls
    /// `add(key, q, n)` once for each place of action `a`, under `key` in
    /// the group of target principal `q` ([`Aimed::NONE`] for an action
    /// without a target), naming the action by its number `n`, and
    /// `row(n)` is the row of number `n`. Numbers must run in the order
    /// of the actions' start days: each group keeps its rows in the order
    /// of their numbers, and windows are found by day. `bounds` says how
    /// far principals, topics and numbers run.
    ///
    /// Each place is packed into one number, (key, group, action number)
    /// in as few bits as the bounds allow, and all are sorted once, as
    /// numbers: keys, groups and rows in their order at once. (Sorting by
    /// key and day and then grouping each key's entries by target took
    /// twice as long.)
    pub(crate) fn new(
        actions: usize,
        bounds: Bounds,
        places: impl Fn(usize, &mut dyn FnMut(Key, ActorIx, u32)) + Sync,
        row: impl Fn(u32) -> R + Sync,
    ) -> Aimed<R> {
        let packing = Packing::new(bounds);
        if packing.bits() <= 64 {
            Aimed::packed::<u64>(&packing, actions, places, row)
        } else {
            Aimed::packed::<u128>(&packing, actions, places, row)
        }
    }

    /// [`Aimed::new`], its places packed into `P`s.
    fn packed<P: Packed>(
        packing: &Packing,
        actions: usize,
        places: impl Fn(usize, &mut dyn FnMut(Key, ActorIx, u32)) + Sync,
        row: impl Fn(u32) -> R + Sync,
    ) -> Aimed<R> {
        let mut packed: Vec<P> = by_blocks(
            actions,
            |a| {
                let mut n = 0;
                places(a, &mut |_, _, _| n += 1);
                n
            },
            |a, out| {
                places(a, &mut |key, q, n| {
                    out.push(P::from_wide(packing.pack(key, q, n)))
                })
            },
        );
        packed.par_sort_unstable();
        let wide = |i: usize| packed[i].wide();
        // Where each group starts, then which of those start a key.
        let group_starts: Vec<u32> = (0..packed.len())
            .into_par_iter()
            .filter(|&i| i == 0 || packing.group_of(wide(i)) != packing.group_of(wide(i - 1)))
            .map(|i| i as u32)
            .collect();
        let key_at = |g: usize| packing.key_of(wide(group_starts[g] as usize));
        let key_groups: Vec<u32> = (0..group_starts.len())
            .into_par_iter()
            .filter(|&g| g == 0 || key_at(g) != key_at(g - 1))
            .map(|g| g as u32)
            .collect();
        let keys: Vec<(u32, u32)> = key_groups
            .iter()
            .map(|&g| (key_at(g as usize) as u32, group_starts[g as usize]))
            .collect();
        let by_principal = by_principal(keys.len(), |k| key_at(key_groups[k] as usize) >> 32);
        let groups: Vec<(ActorIx, u32)> = group_starts
            .par_iter()
            .map(|&i| (packing.target_of(wide(i as usize)), i))
            .collect();
        let mut by_key = key_groups;
        by_key.push(groups.len() as u32);
        // The rows, made in their places in parallel, in the packed
        // order; the packed places are freed before anything else is made.
        let rows: Vec<R> = packed
            .par_iter()
            .map(|p| row(packing.number_of(p.wide())))
            .collect();
        drop(packed);
        let days = rows.par_iter().map(Dated::day).collect();
        Aimed {
            index: Index {
                entries: rows,
                keys,
                by_principal,
            },
            days,
            by_key,
            groups,
        }
    }

    /// The rows, by key: what [`Index::size`] reads.
    pub(crate) fn index(&self) -> &Index<R> {
        &self.index
    }

    /// The rows under `key` whose target has principal `q` (or, for
    /// [`Aimed::NONE`], that have no target), starting within
    /// `[from, to]`.
    pub(crate) fn rows(&self, key: impl IndexKey, q: ActorIx, from: Day, to: Day) -> &[R] {
        let Some(k) = self.index.key_number(key) else {
            return &[];
        };
        let groups = self.groups_of(k);
        let Ok(g) = groups.binary_search_by_key(&q, |&(q, _)| q) else {
            return &[];
        };
        self.window(k, groups, g, from, to)
    }

    /// The rows under `key` starting within `[from, to]`, group by group.
    pub(crate) fn all_rows(
        &self,
        key: impl IndexKey,
        from: Day,
        to: Day,
    ) -> impl Iterator<Item = &[R]> {
        let k = self.index.key_number(key);
        let groups = k.map_or(&[][..], |k| self.groups_of(k));
        (0..groups.len()).map(move |g| match k {
            Some(k) => self.window(k, groups, g, from, to),
            None => &[],
        })
    }

    /// Key number `k`'s groups.
    fn groups_of(&self, k: usize) -> &[(ActorIx, u32)] {
        let (first, end) = (self.by_key[k] as usize, self.by_key[k + 1] as usize);
        &self.groups[first..end]
    }

    /// The rows of group `g` of key `k` starting within `[from, to]`.
    fn window(&self, k: usize, groups: &[(ActorIx, u32)], g: usize, from: Day, to: Day) -> &[R] {
        let start = groups[g].1 as usize;
        let end = groups
            .get(g + 1)
            .map_or(self.index.start(k + 1) as usize, |x| x.1 as usize);
        let days = &self.days[start..end];
        let a = days.partition_point(|&d| d < from);
        let b = a + days[a..].partition_point(|&d| d <= to);
        &self.index.entries[start + a..start + b]
    }
}

/// Where each principal's keys start among `n` keys sorted by principal
/// (`principal(k)` is key `k`'s): principal `p`'s are
/// `by_principal[p]..by_principal[p + 1]`; those past the last key's
/// principal have no entry.
fn by_principal(n: usize, principal: impl Fn(usize) -> u64) -> Vec<u32> {
    let principals = n.checked_sub(1).map_or(0, |k| principal(k) as usize + 1);
    let mut by_principal = Vec::with_capacity(principals + 1);
    for k in 0..n {
        let p = principal(k) as usize;
        by_principal.resize(by_principal.len().max(p + 1), k as u32);
    }
    by_principal.resize(principals + 1, n as u32);
    by_principal
}

/// [`Aimed::NONE`].
const NO_TARGET: ActorIx = ActorIx::MAX;

/// How far the parts of an [`Aimed`] index's places run: principals
/// (and so target principals) below `principals`, topics below `topics`,
/// action numbers below `numbers`.
#[derive(Clone, Copy)]
pub(crate) struct Bounds {
    pub(crate) principals: u32,
    pub(crate) topics: u32,
    pub(crate) numbers: u32,
}

/// A place in an [`Aimed`] index as one number, (principal, topic, target
/// principal, action number) from the highest bits down, each in as
/// many bits as its [`Bounds`] need: sorted as numbers, places sort by
/// key, then group, then number. The group without a target is packed
/// as the principal past the last, so that it sorts after the others as
/// [`Aimed::NONE`] does.
struct Packing {
    /// The widths of topic, target principal and number.
    topic: u32,
    target: u32,
    number: u32,
    /// The width of the principal.
    principal: u32,
    none: u128,
}

impl Packing {
    fn new(bounds: Bounds) -> Packing {
        // The bits that hold every value below `n`.
        let width = |n: u32| u32::BITS - n.saturating_sub(1).leading_zeros();
        Packing {
            principal: width(bounds.principals),
            topic: width(bounds.topics),
            target: width(bounds.principals.saturating_add(1)),
            number: width(bounds.numbers),
            none: u128::from(bounds.principals),
        }
    }

    /// The bits a packed place takes.
    fn bits(&self) -> u32 {
        self.principal + self.topic + self.target + self.number
    }

    fn pack(&self, key: Key, q: ActorIx, n: u32) -> u128 {
        let bits = key.bits();
        let q = if q == NO_TARGET {
            self.none
        } else {
            u128::from(q)
        };
        let key = u128::from(bits >> 32) << self.topic | u128::from(bits as u32);
        (key << self.target | q) << self.number | u128::from(n)
    }

    /// The key of a place, as [`IndexKey::bits`] has it.
    fn key_of(&self, place: u128) -> u64 {
        let key = place >> (self.number + self.target);
        let topic = key & ((1 << self.topic) - 1);
        ((key >> self.topic) as u64) << 32 | topic as u64
    }

    /// The key and group of a place, still packed.
    fn group_of(&self, place: u128) -> u128 {
        place >> self.number
    }

    /// The group's target principal ([`Aimed::NONE`] for none).
    fn target_of(&self, place: u128) -> ActorIx {
        let q = (place >> self.number) & ((1 << self.target) - 1);
        if q == self.none {
            NO_TARGET
        } else {
            q as ActorIx
        }
    }

    fn number_of(&self, place: u128) -> u32 {
        (place & ((1 << self.number) - 1)) as u32
    }
}

/// A packed place: 64 bits when the [`Packing`] fits them, else 128.
trait Packed: Copy + Ord + Send + Sync {
    fn from_wide(place: u128) -> Self;
    fn wide(self) -> u128;
}

impl Packed for u64 {
    fn from_wide(place: u128) -> u64 {
        place as u64
    }
    fn wide(self) -> u128 {
        u128::from(self)
    }
}

impl Packed for u128 {
    fn from_wide(place: u128) -> u128 {
        place
    }
    fn wide(self) -> u128 {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_windows_hold_exactly_their_keys_actions_in_the_days() {
        // Principals with gaps, several topics each, days spread out.
        let mut entries = Vec::new();
        let mut x = 1u64;
        for rank in 0..3000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let p = ((x >> 33) % 40) as ActorIx * 3;
            let t = ((x >> 45) % 6) as TopicIx;
            let day = ((x >> 20) % 400) as Day - 200;
            entries.push((p, t, day, rank));
        }
        let masks = vec![0; 3000];
        let by_topic = Index::new(
            entries
                .iter()
                .map(|&(p, t, d, r)| Entry::new((p, t), d, r))
                .collect(),
            &masks,
        );
        let by_actor = Index::new(
            entries
                .iter()
                .map(|&(p, _, d, r)| Entry::new(p, d, r))
                .collect(),
            &masks,
        );
        let ranks = |w: &[Entry]| {
            let mut r: Vec<u32> = w.iter().map(|e| e.rank()).collect();
            r.sort_unstable();
            r
        };
        for p in 0..125 {
            for (from, to) in [(-300, 300), (-50, 20), (0, 0), (10, -10)] {
                let expected = |t: Option<TopicIx>| {
                    let r: Vec<u32> = entries
                        .iter()
                        .filter(|e| e.0 == p && t.is_none_or(|t| e.1 == t))
                        .filter(|e| (from..=to).contains(&e.2))
                        .map(|e| e.3)
                        .collect();
                    r
                };
                assert_eq!(ranks(by_actor.window(p, from, to)), expected(None), "{p}");
                for t in 0..8 {
                    let got = ranks(by_topic.window((p, t), from, to));
                    assert_eq!(got, expected(Some(t)), "{p} {t}");
                }
            }
        }
    }

    #[test]
    fn aimed_groups_hold_exactly_the_entries_aimed_at_each_principal() {
        // Entries of a few keys, each action aimed at no one, at one
        // principal or at two or three of 0..6.
        let mut x = 7u64;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let mut actions = Vec::new();
        for rank in 0..2000u32 {
            let (p, t, day) = (
                next(5) as ActorIx,
                next(3) as TopicIx,
                next(300) as Day - 150,
            );
            let aimed: Option<Vec<ActorIx>> = match next(4) {
                0 => None,
                n => {
                    let mut qs: Vec<ActorIx> = (0..n).map(|_| next(6) as ActorIx).collect();
                    qs.sort_unstable();
                    qs.dedup();
                    Some(qs)
                }
            };
            actions.push((p, t, day, rank, aimed));
        }
        let entries: Vec<Entry> = actions
            .iter()
            .map(|&(p, t, day, rank, _)| Entry::new((p, t), day, rank))
            .collect();
        let index = Index::new(entries, &[0; 2000]);
        // The actions numbered in time order, as `Aimed::new` asks.
        let mut in_time: Vec<u32> = (0..2000).collect();
        in_time.sort_by_key(|&rank| (actions[rank as usize].2, rank));
        let mut number = vec![0; 2000];
        for (n, &rank) in in_time.iter().enumerate() {
            number[rank as usize] = n as u32;
        }
        // Packed in 64 bits, and (with bounds far beyond the data's) in 128.
        let small = Bounds {
            principals: 6,
            topics: 3,
            numbers: 2000,
        };
        let huge = Bounds {
            principals: u32::MAX - 1,
            topics: u32::MAX,
            numbers: u32::MAX,
        };
        for bounds in [small, huge] {
            aimed_groups_agree_with_the_index(&actions, &index, bounds, &number, &in_time);
        }
    }

    type Action = (ActorIx, TopicIx, Day, u32, Option<Vec<ActorIx>>);

    fn aimed_groups_agree_with_the_index(
        actions: &[Action],
        index: &Index,
        bounds: Bounds,
        number: &[u32],
        in_time: &[u32],
    ) {
        let targets = |e: &Entry| actions[e.rank() as usize].4.as_deref();
        let aimed = Aimed::new(
            actions.len(),
            bounds,
            |a, add| {
                let (p, t, _, _, qs) = &actions[a];
                let key = Key::Topic(*p, *t);
                match qs {
                    Some(qs) => qs.iter().for_each(|&q| add(key, q, number[a])),
                    None => add(key, Aimed::<Entry>::NONE, number[a]),
                }
            },
            |n| {
                let rank = in_time[n as usize];
                Entry::new(0, actions[rank as usize].2, rank)
            },
        );
        let ranks = |rows: &[Entry]| rows.iter().map(|e| e.rank()).collect::<Vec<u32>>();
        for p in 0..6 {
            for t in 0..4 {
                for (from, to) in [(-200, 200), (-20, 35), (0, 0), (10, -10)] {
                    let all = index.window((p, t), from, to);
                    for q in (0..7).chain([Aimed::<Entry>::NONE]) {
                        let got = ranks(aimed.rows((p, t), q, from, to));
                        let expected: Vec<u32> = all
                            .iter()
                            .filter(|e| match targets(e) {
                                None => q == Aimed::<Entry>::NONE,
                                Some(qs) => qs.contains(&q),
                            })
                            .map(|e| e.rank())
                            .collect();
                        assert_eq!(got, expected, "{p} {t} {q} {from}..{to}");
                    }
                    // Every group: each action once for each of its
                    // target's principals, or once without a target.
                    let mut got: Vec<u32> =
                        aimed.all_rows((p, t), from, to).flat_map(ranks).collect();
                    got.sort_unstable();
                    let mut expected: Vec<u32> = all
                        .iter()
                        .flat_map(|e| {
                            let n = targets(e).map_or(1, <[ActorIx]>::len);
                            std::iter::repeat_n(e.rank(), n)
                        })
                        .collect();
                    expected.sort_unstable();
                    assert_eq!(got, expected, "{p} {t} {from}..{to}");
                }
            }
        }
        // Each principal's size counts its rows.
        assert_eq!(
            (0..6).map(|p| aimed.index().size(p)).sum::<u32>() as usize,
            actions
                .iter()
                .map(|a| a.4.as_ref().map_or(1, Vec::len))
                .sum::<usize>()
        );
    }

    #[test]
    fn target_masks_never_turn_down_targets_that_share_a_principal() {
        // Sets of up to four principals among 0..200, pairwise: a shared
        // principal always means a shared bit; no target is no bit.
        let sets: Vec<Vec<ActorIx>> = (0..400u32)
            .map(|i| (0..1 + i % 4).map(|k| (i * 7 + k * 31) % 200).collect())
            .collect();
        let mut turned_down = 0;
        for a in &sets {
            for b in &sets {
                let shared = a.iter().any(|p| b.contains(p));
                let masks_meet = target_mask(a) & target_mask(b) != 0;
                assert!(!shared || masks_meet, "{a:?} {b:?}");
                turned_down += usize::from(!masks_meet);
            }
        }
        assert_eq!(target_mask(&[]), 0);
        // And the masks do turn most disjoint pairs down.
        assert!(turned_down > sets.len() * sets.len() / 2, "{turned_down}");
    }
}
