//! Names of actors: records name actors by id, name or alias, ignoring
//! case and surrounding spaces, and a [`Registry`] resolves them. An id
//! always names its own actor.

use crate::model::{Actor, ActorIx, normalize_name};
use crate::suggest;
use rustc_hash::FxHashMap;

/// What a name resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(ActorIx),
    /// No actor has this name; the closest name, if one is close.
    Unknown {
        suggestion: Option<(String, ActorIx)>,
    },
    /// Several actors have this name (sorted).
    Ambiguous(Vec<ActorIx>),
}

/// Names of actors, for resolving the names records use.
#[derive(Debug, Default)]
pub struct Registry {
    names: NameTable,
    /// Every spelling as written, for did-you-mean (sorted, so suggestions
    /// do not depend on file order).
    spellings: Vec<(String, ActorIx)>,
    /// Ids that are also another actor's name or alias (normalised), with
    /// the id's actor and the others, sorted: the id wins.
    shadowed: Vec<(String, ActorIx, Vec<ActorIx>)>,
}

/// A name as [`Registry::prepare`] leaves it for [`Registry::find_prepared`]:
/// normalised, hashed, and its slot asked for.
#[derive(Clone, Copy, Debug)]
pub struct Prepared {
    bytes: [u8; 64],
    len: u8,
    tag: u32,
    at: usize,
}

impl Registry {
    pub fn build(actors: &[Actor]) -> Registry {
        let mut by_name: FxHashMap<String, Vec<ActorIx>> = FxHashMap::default();
        let mut spellings = Vec::new();
        for (ix, actor) in actors.iter().enumerate() {
            let ix = ix as ActorIx;
            for name in std::iter::once(&actor.id)
                .chain([&actor.name])
                .chain(&actor.aliases)
            {
                by_name.entry(normalize_name(name)).or_default().push(ix);
                spellings.push((name.trim().to_string(), ix));
            }
        }
        spellings.sort();
        spellings.dedup();
        // An id always means its actor, even where it is also another
        // actor's name or alias: records may write ids without a doubt.
        let mut shadowed = Vec::new();
        for (ix, actor) in actors.iter().enumerate() {
            let ix = ix as ActorIx;
            let key = normalize_name(&actor.id);
            if let Some(owners) = by_name.get_mut(&key)
                && owners.len() > 1
                && owners.contains(&ix)
            {
                let others = owners.iter().copied().filter(|&o| o != ix).collect();
                *owners = vec![ix];
                shadowed.push((key, ix, others));
            }
        }
        shadowed.sort();
        Registry {
            names: NameTable::build(by_name),
            spellings,
            shadowed,
        }
    }

    /// Ids (normalised) that are also the name or alias of other actors,
    /// with the id's actor and those others: records that use them mean
    /// the id's actor.
    pub fn shadowed_names(&self) -> &[(String, ActorIx, Vec<ActorIx>)] {
        &self.shadowed
    }

    /// Names (normalised) that belong to more than one actor.
    pub fn shared_names(&self) -> impl Iterator<Item = (&str, &[ActorIx])> {
        self.names.entries().filter(|(_, v)| v.len() > 1)
    }

    /// The actors `name` (as written) belongs to, if any: the fast path
    /// of [`Registry::lookup`], without suggestions.
    pub fn find(&self, name: &str) -> Option<&[ActorIx]> {
        match self.key(name) {
            Some(key) => self.find_prepared(&key),
            None => self.names.get(normalize_name(name).as_bytes()),
        }
    }

    /// `name` normalised and hashed, and where its look-up will read
    /// asked for ahead: a look-up among thousands of names, between
    /// records that stream through the cache, waits on memory unless
    /// asked for a record early. `None` for the rare names that are not
    /// ASCII or longer than 64 bytes ([`Registry::find`] takes those).
    pub fn prepare(&self, name: &str) -> Option<Prepared> {
        let key = self.key(name)?;
        self.names.prefetch_slot(key.at);
        Some(key)
    }

    /// `name` normalised and hashed, when it is ASCII and fits. (Inlined:
    /// called out of line, returning the key through an `Option` cost 1%
    /// of reading's instructions.)
    #[inline(always)]
    fn key(&self, name: &str) -> Option<Prepared> {
        let mut key = Prepared {
            bytes: [0; 64],
            len: 0,
            tag: 0,
            at: 0,
        };
        let len = normalized_ascii(name, &mut key.bytes)?.len();
        key.len = len as u8;
        (key.tag, key.at) = self.names.place(&key.bytes[..len]);
        Some(key)
    }

    /// [`Registry::find`] for a name [`Registry::prepare`] took.
    pub fn find_prepared(&self, key: &Prepared) -> Option<&[ActorIx]> {
        self.names
            .get_at(&key.bytes[..key.len as usize], key.tag, key.at)
    }

    pub fn lookup(&self, name: &str) -> Lookup {
        match self.find(name) {
            Some([one]) => Lookup::Found(*one),
            Some(many) => Lookup::Ambiguous(many.to_vec()),
            None => {
                let best = suggest::closest(name, self.spellings.iter().map(|(s, _)| s.as_str()));
                let suggestion =
                    best.and_then(|b| self.spellings.iter().find(|(s, _)| s == b).cloned());
                Lookup::Unknown { suggestion }
            }
        }
    }
}

/// Normalised names and their actors, laid out for look-ups: every record
/// names an actor and most a target, so a large dataset looks up millions
/// of names at random among thousands. A hash map of `String`s reaches a
/// name's bytes and its owners through two more pointers, each a likely
/// cache miss; here one slot, one cache line, holds a hash tag, the name
/// itself (when short, as nearly all are) and its owner, and it is asked
/// for a record ahead ([`Registry::prepare`]).
#[derive(Debug, Default)]
struct NameTable {
    /// Open addressing with linear probing; a power of two, at most half
    /// full. A slot with `tag` 0 is empty.
    slots: Vec<NameSlot>,
    /// Every name, one after the other.
    text: String,
    /// The owners of names with more than one (each list sorted).
    shared: Vec<ActorIx>,
}

#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct NameSlot {
    /// The upper half of the name's hash, with the low bit set (never 0).
    tag: u32,
    /// The name is `text[start..start + len]`, and also `inline[..len]`
    /// when it fits.
    start: u32,
    len: u32,
    /// The owner, when there is one; otherwise `shared[first..first + count]`.
    one: ActorIx,
    first: u32,
    count: u32,
    inline: [u8; INLINE],
}

/// Name bytes a slot holds itself: what is left of a cache line.
const INLINE: usize = 64 - 6 * 4;

impl NameSlot {
    const EMPTY: NameSlot = NameSlot {
        tag: 0,
        start: 0,
        len: 0,
        one: 0,
        first: 0,
        count: 0,
        inline: [0; INLINE],
    };
}

impl NameTable {
    fn build(by_name: FxHashMap<String, Vec<ActorIx>>) -> NameTable {
        let size = (by_name.len() * 2).next_power_of_two().max(16);
        let mut table = NameTable {
            slots: vec![NameSlot::EMPTY; size],
            ..NameTable::default()
        };
        // In name order, so the layout does not depend on hashing order.
        let mut names: Vec<(String, Vec<ActorIx>)> = by_name.into_iter().collect();
        names.sort_unstable();
        for (name, mut owners) in names {
            owners.sort_unstable();
            owners.dedup();
            let (tag, mut at) = table.place(name.as_bytes());
            while table.slots[at].tag != 0 {
                at = (at + 1) & (size - 1);
            }
            let mut slot = NameSlot {
                tag,
                start: table.text.len() as u32,
                len: name.len() as u32,
                one: owners[0],
                first: table.shared.len() as u32,
                count: owners.len() as u32,
                inline: [0; INLINE],
            };
            if let Some(inline) = slot.inline.get_mut(..name.len()) {
                inline.copy_from_slice(name.as_bytes());
            }
            if owners.len() == 1 {
                slot.first = 0;
            } else {
                table.shared.extend_from_slice(&owners);
            }
            table.text.push_str(&name);
            table.slots[at] = slot;
        }
        table
    }

    /// A name's tag and the slot where its search starts.
    fn place(&self, name: &[u8]) -> (u32, usize) {
        use std::hash::Hasher as _;
        let mut h = rustc_hash::FxHasher::default();
        h.write(name);
        let hash = h.finish();
        (
            (hash >> 32) as u32 | 1,
            // (Any place when there are no slots: no search reads it.)
            hash as usize & self.slots.len().wrapping_sub(1),
        )
    }

    /// The owners of a normalised name, looked up by its bytes (names
    /// come from the lower-casing buffer of [`normalized_ascii`]).
    fn get(&self, name: &[u8]) -> Option<&[ActorIx]> {
        let (tag, at) = self.place(name);
        self.get_at(name, tag, at)
    }

    /// [`NameTable::get`] with the name's [`NameTable::place`] known.
    fn get_at(&self, name: &[u8], tag: u32, mut at: usize) -> Option<&[ActorIx]> {
        if self.slots.is_empty() {
            return None;
        }
        loop {
            let slot = &self.slots[at];
            if slot.tag == 0 {
                return None;
            }
            if slot.tag == tag && self.name_bytes(slot) == name {
                return Some(self.owners(slot));
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
    }

    /// Starts loading slot `at`, where a search starts.
    fn prefetch_slot(&self, at: usize) {
        if let Some(slot) = self.slots.get(at) {
            crate::perf::prefetch(slot);
        }
    }

    fn name(&self, slot: &NameSlot) -> &str {
        &self.text[slot.start as usize..(slot.start + slot.len) as usize]
    }

    fn name_bytes<'t>(&'t self, slot: &'t NameSlot) -> &'t [u8] {
        match slot.inline.get(..slot.len as usize) {
            Some(inline) => inline,
            None => &self.text.as_bytes()[slot.start as usize..(slot.start + slot.len) as usize],
        }
    }

    fn owners<'t>(&'t self, slot: &'t NameSlot) -> &'t [ActorIx] {
        if slot.count == 1 {
            std::slice::from_ref(&slot.one)
        } else {
            &self.shared[slot.first as usize..(slot.first + slot.count) as usize]
        }
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &[ActorIx])> {
        self.slots
            .iter()
            .filter(|s| s.tag != 0)
            .map(|s| (self.name(s), self.owners(s)))
    }
}

/// [`normalize_name`] without allocating, into `buf`, for the names that
/// are ASCII and fit (nearly all): every record names an actor and most a
/// target, so a large dataset normalises millions of names.
fn normalized_ascii<'b>(name: &str, buf: &'b mut [u8; 64]) -> Option<&'b [u8]> {
    let trimmed = name.trim();
    if !trimmed.is_ascii() || trimmed.len() > buf.len() {
        return None;
    }
    let out = &mut buf[..trimmed.len()];
    for (o, b) in out.iter_mut().zip(trimmed.bytes()) {
        *o = b.to_ascii_lowercase();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalising_without_allocating_agrees_with_normalize_name() {
        let names = [
            "Actor One",
            "  MIXED case \t",
            "\u{b}\u{c}\r\nspaced\u{b}",
            "already-normal",
            "",
            "   ",
        ];
        for name in names {
            let mut buf = [0u8; 64];
            assert_eq!(
                normalized_ascii(name, &mut buf),
                Some(normalize_name(name).as_bytes()),
                "{name:?}"
            );
        }
        let mut buf = [0u8; 64];
        // Not ASCII, or too long: the allocating path handles them.
        assert_eq!(normalized_ascii("Ünïcode", &mut buf), None);
        assert_eq!(normalized_ascii(&"x".repeat(65), &mut buf), None);
        assert_eq!(
            normalized_ascii(&format!(" {} ", "X".repeat(64)), &mut buf),
            Some("x".repeat(64).as_bytes())
        );
    }

    use super::*;

    use crate::model::test_actor as actor;

    #[test]
    fn names_resolve_by_id_name_or_alias_ignoring_case_and_spaces() {
        let actors = [
            actor("land", &["Capital City"], vec![]),
            actor("port-x", &["Port"], vec![]),
        ];
        let reg = Registry::build(&actors);
        assert_eq!(reg.lookup(" CAPITAL CITY "), Lookup::Found(0));
        assert_eq!(reg.lookup("LAND"), Lookup::Found(0));
        assert_eq!(reg.lookup("port"), Lookup::Found(1));
        assert_eq!(
            reg.lookup("Capitl City"),
            Lookup::Unknown {
                suggestion: Some(("Capital City".into(), 0))
            }
        );
    }

    #[test]
    fn the_name_table_finds_every_name_and_no_other() {
        let mut expected: FxHashMap<String, Vec<ActorIx>> = FxHashMap::default();
        for i in 0..5000u32 {
            // Owners 0..5000, each name shared by every tenth actor.
            let owners = if i % 10 == 0 { vec![i, i + 1] } else { vec![i] };
            expected.insert(format!("name {i}"), owners);
        }
        expected.insert(String::new(), vec![7]);
        // Names around what a slot holds itself, and longer ones.
        let long = |len: usize, tail: char| format!("{}{tail}", "l".repeat(len - 1));
        for (i, len) in [INLINE - 1, INLINE, INLINE + 1, 100]
            .into_iter()
            .enumerate()
        {
            expected.insert(long(len, 'a'), vec![9000 + i as u32]);
        }
        let table = NameTable::build(expected.clone());
        for (name, owners) in &expected {
            assert_eq!(
                table.get(name.as_bytes()),
                Some(owners.as_slice()),
                "{name:?}"
            );
        }
        let mut absent: Vec<String> = ["name 5000", "name", "name 1 ", "x"]
            .map(String::from)
            .into();
        for len in [INLINE - 1, INLINE, INLINE + 1, 100] {
            absent.push(long(len, 'b'));
        }
        for absent in &absent {
            assert_eq!(table.get(absent.as_bytes()), None, "{absent:?}");
        }
        assert_eq!(table.entries().count(), expected.len());
        assert_eq!(table.entries().filter(|(_, o)| o.len() > 1).count(), 500);
        assert_eq!(NameTable::default().get(b"a"), None);
    }

    #[test]
    fn a_prepared_name_finds_what_the_name_finds() {
        let long = "x".repeat(70);
        let actors = [
            actor("land", &["Capital City", "Ünion"], vec![]),
            actor("port-x", &["Port", "Capital City", &long], vec![]),
        ];
        let reg = Registry::build(&actors);
        for name in ["land", " CAPITAL CITY ", "Port\t", "nowhere", ""] {
            let key = reg.prepare(name).expect("ASCII names of at most 64 bytes");
            assert_eq!(reg.find_prepared(&key), reg.find(name), "{name:?}");
            assert!(reg.find(name).is_some() || name == "nowhere" || name.is_empty());
        }
        // Names the fast path does not take are still found.
        for name in ["ünion", long.as_str()] {
            assert!(reg.prepare(name).is_none(), "{name:?}");
            assert_eq!(
                reg.find(name),
                Some(&[if name == long { 1 } else { 0 }][..])
            );
        }
        let empty = Registry::default();
        let key = empty.prepare("land").expect("ASCII");
        assert_eq!(empty.find_prepared(&key), None);
        assert_eq!(empty.find("land"), None);
    }

    #[test]
    fn a_shared_alias_is_ambiguous() {
        let actors = [
            actor("a", &["Same"], vec![]),
            actor("b", &["same "], vec![]),
        ];
        let reg = Registry::build(&actors);
        assert_eq!(reg.lookup("SAME"), Lookup::Ambiguous(vec![0, 1]));
        assert_eq!(reg.shared_names().count(), 1);
    }
}
