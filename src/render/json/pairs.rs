//! The fast writer's pairs: each written from its claim and a *card* of
//! its action, as serde writes its [`PairJson`].
//!
//! [`PairJson`]: super::wire::PairJson

use super::fast::{Escaped, Escapes, PAD, Padded, put, write_str};
use crate::date::PartialDate;
use crate::engine::score::{Kind, Order, Verdict};
use crate::model::Record;
use crate::perf::prefetch_all;
use crate::report::Report;
use rayon::prelude::*;
use std::sync::atomic::Ordering;

/// Writes pairs exactly as `serde_json` would write their
/// [`PairJson`](super::wire::PairJson), without going through serde: pairs
/// are most of a large report, and serde would first build each pair's
/// wire value, allocating its lists. `same_bytes.rs` holds the two to the
/// same bytes.
///
/// Pairs come by claim, so a claim's data stays in cache while its pairs
/// are written, but their actions are scattered over the dataset. What a
/// pair needs of its action (id, dates, topics, principals) is therefore
/// copied once, side by side, into a *card*: writing a pair reads one card
/// instead of the record, its id, its topics and its principal set, each
/// elsewhere in memory.
pub struct PairWriter<'r, 'd> {
    report: &'r Report<'d>,
    /// Per pair: where its action's card starts in `cards`. Looked up
    /// for every pair at once, in parallel, where many look-ups wait on
    /// memory together; looked up while writing, each waited alone.
    at: Vec<u32>,
    cards: Vec<u8>,
    /// Per claim, how its pairs start: `{"claim_id":"…","action_id":`.
    heads: Escaped,
    /// What follows the action id, by verdict (`,"verdict":…,"severity":`,
    /// in the order of [`VERDICTS`]), then the `order` member by order
    /// (in the order of [`ORDERS`]).
    pieces: Escaped,
    /// Every actor's id and every topic, escaped once: pairs repeat them.
    escapes: &'r Escapes,
}

/// An action's card, read back.
struct Card<'c> {
    first: i32,
    last: i32,
    /// Little-endian `u32` topic indices, sorted.
    topics: &'c [u8],
    /// Little-endian `u32` actor indices, sorted.
    principals: &'c [u8],
    /// The id, escaped and quoted.
    id: Padded<'c>,
}

impl<'r, 'd> PairWriter<'r, 'd> {
    pub fn new(report: &'r Report<'d>, escapes: &'r Escapes) -> Self {
        let data = report.data;
        let paired = crate::perf::parallel::marks(
            data.actions.len(),
            report.paired_actions.par_iter().map(|&a| a as usize),
        );
        // Blocks of actions in parallel, then joined in order, in parallel.
        const BLOCK: usize = 8192;
        let blocks: (Vec<Vec<u32>>, Vec<Vec<u8>>) = paired
            .par_chunks(BLOCK)
            .enumerate()
            .map(|(b, flags)| {
                let mut at = Vec::with_capacity(flags.len());
                let mut bytes = Vec::new();
                for (i, is_paired) in flags.iter().enumerate() {
                    at.push(bytes.len() as u32);
                    if is_paired.load(Ordering::Relaxed) {
                        let a = b * BLOCK + i;
                        write_card(&data.actions[a], report.who.action_actor.get(a), &mut bytes);
                    }
                }
                (at, bytes)
            })
            .unzip();
        let (mut by_action, mut cards) = (Vec::new(), Vec::new());
        // Room for the padding after the last id, so that adding it does
        // not copy the cards into a larger vector.
        cards.reserve_exact(blocks.1.iter().map(Vec::len).sum::<usize>() + PAD);
        crate::perf::parallel::append_positioned(&mut by_action, &mut cards, blocks);
        cards.extend_from_slice(&[0; PAD]);
        let at = report
            .pairs
            .par_iter()
            .map(|p| by_action[p.action as usize])
            .collect();
        let heads = Escaped::joined(data.claims.par_iter().map(|claim| {
            let mut head = b"{\"claim_id\":".to_vec();
            write_str(&mut head, &claim.id);
            head.extend_from_slice(b",\"action_id\":");
            head
        }));
        let verdicts = VERDICTS.iter().map(|v| {
            let kind = v
                .kind()
                .map_or("null".to_string(), |k| format!("\"{}\"", k.as_str()));
            format!(
                ",\"verdict\":\"{}\",\"kind\":{kind},\"severity\":",
                v.as_str()
            )
        });
        let orders = ORDERS
            .iter()
            .map(|o| format!(",\"order\":\"{}\"", o.as_str()));
        let pieces: Vec<Vec<u8>> = verdicts.chain(orders).map(String::into_bytes).collect();
        PairWriter {
            report,
            at,
            cards,
            heads,
            pieces: Escaped::joined(pieces.into_par_iter()),
            escapes,
        }
    }

    /// The card of pair `index`'s action.
    fn card(&self, index: usize) -> Card<'_> {
        let at = self.at[index] as usize;
        let b = &self.cards[at..];
        let word = |i: usize| word_of(&b[i..i + 4]);
        let n_topics = word(8) as usize * 4;
        let n_principals = word(12) as usize * 4;
        let n_id = word(16) as usize;
        let (topics, rest) = b[20..].split_at(n_topics);
        let principals = &rest[..n_principals];
        Card {
            first: word(0) as i32,
            last: word(4) as i32,
            topics,
            principals,
            id: Padded::at(&self.cards, at + 20 + n_topics + n_principals, n_id),
        }
    }

    /// Asks for the card of the pair `AHEAD` on, so that by the time it
    /// is written it has come from memory.
    fn prefetch(&self, index: usize) {
        const AHEAD: usize = 8;
        if let Some(&at) = self.at.get(index + AHEAD) {
            // A card is about 50 bytes: most straddle two lines.
            let card = &self.cards[at as usize..];
            prefetch_all(&card[..card.len().min(64)]);
        }
    }

    /// Writes pair `index`.
    pub fn write(&self, index: usize, buf: &mut Vec<u8>) {
        self.prefetch(index);
        let report = self.report;
        let data = report.data;
        let p = &report.pairs[index];
        let c = p.claim as usize;
        let claim = &data.claims[c];
        let card = self.card(index);
        let principal = first_shared_word(report.who.claim_actor.get(c), card.principals)
            .unwrap_or(claim.actor);
        put(buf, self.heads.padded(c));
        put(buf, card.id);
        put(buf, self.pieces.padded(verdict_slot(p.verdict)));
        let (severity, len) = units_text(p.severity_units);
        let end = buf.len() + len;
        buf.extend_from_slice(&severity.to_le_bytes());
        buf.truncate(end);
        buf.extend_from_slice(b",\"principal\":");
        put(buf, self.escapes.actor(principal));
        buf.extend_from_slice(b",\"topics\":[");
        let mut first = true;
        let mut topic = |t: u32| {
            if !first {
                buf.push(b',');
            }
            first = false;
            put(buf, self.escapes.topic(t));
        };
        let action_topics = card.topics.chunks_exact(4).map(word_of);
        if claim.topics.is_empty() {
            action_topics.for_each(&mut topic);
        } else {
            // Both sorted: walk them together.
            let mut claim_topics = claim.topics.iter().copied().peekable();
            for t in action_topics {
                while claim_topics.next_if(|&x| x < t).is_some() {}
                if claim_topics.next_if_eq(&t).is_some() {
                    topic(t);
                }
            }
        }
        let action = PartialDate {
            first: card.first,
            last: card.last,
            // Neither the gap nor the order reads it.
            precision: claim.date.precision,
        };
        buf.extend_from_slice(b"],\"gap_days\":");
        let mut gap = itoa::Buffer::new();
        buf.extend_from_slice(gap.format(claim.date.gap_days(&action)).as_bytes());
        let order = Order::of(&claim.date, &action);
        put(buf, self.pieces.padded(VERDICTS.len() + order_slot(order)));
        if report.is_known(index) {
            buf.extend_from_slice(b",\"known\":true");
        }
        if let Some(r) = report.decision(index) {
            review(buf, &super::wire::ReviewJson::of(r, &report.data.files));
        }
        buf.push(b'}');
    }
}

/// The `review` member of a pair, as `serde_json` writes it.
fn review(buf: &mut Vec<u8>, r: &super::wire::ReviewJson<'_>) {
    buf.push(b',');
    let mut o = super::fast::Obj::new_member(buf, "review");
    o.str("decision", r.decision);
    o.str("verdict", r.verdict);
    o.str("reason", r.reason);
    o.str("by", r.by);
    o.str("date", r.date);
    o.str("file", r.file);
    o.u32("line", r.line);
    o.end();
}

/// Every verdict, in the order of [`verdict_slot`].
const VERDICTS: [Verdict; 5] = [
    Verdict::Contradiction(Kind::Duplicity),
    Verdict::Contradiction(Kind::Bluster),
    Verdict::Reciprocal,
    Verdict::Consistent,
    Verdict::Neutral,
];

fn verdict_slot(v: Verdict) -> usize {
    match v {
        Verdict::Contradiction(Kind::Duplicity) => 0,
        Verdict::Contradiction(Kind::Bluster) => 1,
        Verdict::Reciprocal => 2,
        Verdict::Consistent => 3,
        Verdict::Neutral => 4,
    }
}

/// Every order, in the order of [`order_slot`].
const ORDERS: [Order; 3] = [Order::After, Order::Overlapping, Order::Before];

fn order_slot(o: Order) -> usize {
    match o {
        Order::After => 0,
        Order::Overlapping => 1,
        Order::Before => 2,
    }
}

/// An action's card: first and last day, the counts of topics and
/// principals and the escaped id's length, then the topics, the principals
/// and the escaped id; numbers as little-endian `u32`.
fn write_card(action: &Record, principals: &[u32], out: &mut Vec<u8>) {
    let mut id = Vec::with_capacity(action.id.len() + 2);
    write_str(&mut id, &action.id);
    let head = [
        action.date.first as u32,
        action.date.last as u32,
        action.topics.len() as u32,
        principals.len() as u32,
        id.len() as u32,
    ];
    for w in head.iter().chain(&*action.topics).chain(principals) {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out.extend_from_slice(&id);
}

fn word_of(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// The smallest member a sorted set shares with a sorted set stored as
/// little-endian words.
fn first_shared_word(a: &[u32], words: &[u8]) -> Option<u32> {
    let mut a = a.iter().copied().peekable();
    for w in words.chunks_exact(4).map(word_of) {
        while a.next_if(|&x| x < w).is_some() {}
        if a.next_if_eq(&w).is_some() {
            return Some(w);
        }
    }
    None
}

/// The text of a severity given in ten-thousandths (a pair's
/// `severity_units`): its bytes, packed into a `u64` in little-endian
/// order, and how many of them count. It is what `serde_json` writes for
/// the `f64` `units / 10000`, made from the integer: the shortest decimal
/// that reads back as that `f64` is the four decimals without their
/// trailing zeros (`0.0305`, `0.5`, `1.0`). A test holds every `u16` to
/// serde's bytes. (Written byte by byte into an array and read back as
/// one word, the text would wait on the processor's store forwarding.)
fn units_text(units: u16) -> (u64, usize) {
    // At most 6 (65535 / 10 000): one digit.
    let (whole, frac) = (u64::from(units / 10_000), u64::from(units % 10_000));
    let digits = [frac / 1000, frac / 100 % 10, frac / 10 % 10, frac % 10];
    // A whole number keeps one zero after the point.
    let kept = match frac {
        0 => 1,
        _ if frac % 1000 == 0 => 1,
        _ if frac % 100 == 0 => 2,
        _ if frac % 10 == 0 => 3,
        _ => 4,
    };
    let head = (u64::from(b'0') + whole) | u64::from(b'.') << 8;
    let text = digits
        .iter()
        .enumerate()
        .fold(head, |t, (i, d)| t | (u64::from(b'0') + d) << (16 + 8 * i));
    (text, 2 + kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::json::fast::write_f64;

    #[test]
    fn severities_are_written_as_serde_writes_them() {
        let mut serde = Vec::new();
        for units in 0..=u16::MAX {
            serde.clear();
            let (text, len) = units_text(units);
            let ours = &text.to_le_bytes()[..len];
            write_f64(&mut serde, f64::from(units) / 10_000.0);
            assert_eq!(
                String::from_utf8_lossy(ours),
                String::from_utf8_lossy(&serde),
                "{units}"
            );
        }
    }
}
