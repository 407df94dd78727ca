//! Small helpers for work split over threads.

use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

/// Appends the items of `parts` to `dest` in order, the parts moved in
/// parallel, each straight into its place. Loading and pairing gather
/// their results in parts made in parallel; joining them on one thread,
/// into fresh pages, kept the other core idle.
pub fn append_parts<T: Send>(dest: &mut Vec<T>, parts: Vec<Vec<T>>) {
    append_with(dest, parts, Vec::len, |place, part| {
        part.into_iter().for_each(|item| place.push(item));
    });
}

/// Appends blocks of items made in parallel, each with positions counted
/// from its own first item (where each record's items start or end, say):
/// the positions, moved to count from the first item of all, are
/// appended to `positions` and the items to `items`, both in block order
/// and in parallel.
pub fn append_positioned<T: Send>(
    positions: &mut Vec<u32>,
    items: &mut Vec<T>,
    (mut block_positions, block_items): (Vec<Vec<u32>>, Vec<Vec<T>>),
) {
    let base = items.len() as u32;
    let starts = starts(block_items.iter().map(|b| b.len() as u32));
    block_positions
        .par_iter_mut()
        .zip(starts)
        .for_each(|(block, start)| block.iter_mut().for_each(|x| *x += base + start));
    append_parts(positions, block_positions);
    append_parts(items, block_items);
}

/// Appends copies of the items of `parts` to `dest` in order, in
/// parallel, as [`append_parts`] does: for results made in one order and
/// wanted in another.
pub fn append_copies<T: Copy + Send + Sync>(dest: &mut Vec<T>, parts: Vec<&[T]>) {
    append_with(
        dest,
        parts,
        |part| part.len(),
        |place, part| part.iter().for_each(|&item| place.push(item)),
    );
}

/// Where each of parts of the given lengths starts when they are laid
/// end to end.
fn starts(lens: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut end = 0;
    lens.map(|len| {
        end += len;
        end - len
    })
    .collect()
}

/// Which of `0..n` occur among `items`, marked in parallel (relaxed
/// atomic booleans: the marks are read after the marking has joined).
pub fn marks(n: usize, items: impl ParallelIterator<Item = usize>) -> Vec<AtomicBool> {
    let marks: Vec<AtomicBool> = (0..n).map(|_| AtomicBool::new(false)).collect();
    items.for_each(|i| marks[i].store(true, Ordering::Relaxed));
    marks
}

/// A part's place in a vector being appended to: its slots, filled in
/// order by [`Place::push`].
pub struct Place<'v, T> {
    slots: &'v mut [MaybeUninit<T>],
    filled: usize,
}

impl<T> Place<'_, T> {
    /// Puts `item` in the next slot. Panics when the place is full.
    pub fn push(&mut self, item: T) {
        self.slots[self.filled].write(item);
        self.filled += 1;
    }
}

/// Reserves room for every part after `dest`'s items, has `fill` push
/// each part's items into its place (`len(part)` slots, `len` asked once
/// per part) in parallel, and then counts them in. A part that fills
/// fewer or more slots than `len` said is a bug: it panics, before any
/// slot is counted in.
pub(crate) fn append_with<T: Send, P: Send>(
    dest: &mut Vec<T>,
    parts: Vec<P>,
    len: impl Fn(&P) -> usize,
    fill: impl Fn(&mut Place<'_, T>, P) + Sync,
) {
    // The lengths are asked for once: a `len` that answered differently
    // the second time must not make the places and the count disagree.
    let lens: Vec<usize> = parts.iter().map(len).collect();
    let total: usize = lens.iter().sum();
    dest.reserve_exact(total);
    let mut free = &mut dest.spare_capacity_mut()[..total];
    let mut places = Vec::with_capacity(parts.len());
    for &n in &lens {
        let (slots, tail) = free.split_at_mut(n);
        places.push(Place { slots, filled: 0 });
        free = tail;
    }
    places
        .into_par_iter()
        .zip(parts)
        .for_each(|(mut place, part)| {
            fill(&mut place, part);
            assert_eq!(
                place.filled,
                place.slots.len(),
                "a part filled too few slots"
            );
        });
    // SAFETY: the `total` slots after the old length were all written
    // above: the places tile them (their lengths are `lens`, which sum to
    // `total`), and each place was checked to be full (`push` writes the
    // next slot and cannot write past the last). (A panic before this
    // line would leak the items written, never expose unwritten ones.)
    unsafe { dest.set_len(dest.len() + total) };
}

/// The items `add` makes for each of `0..n` (`count(i)` says how many
/// for `i`), in order, made in parallel blocks straight into one vector
/// of the exact size: collecting a parallel iterator of unknown length
/// holds the items twice, and faulting in the memory took longer than
/// making them. A count that disagrees with `add` is a bug, and panics.
pub(crate) fn by_blocks<T: Send>(
    n: usize,
    count: impl Fn(usize) -> usize + Sync,
    add: impl Fn(usize, &mut Place<'_, T>) + Sync,
) -> Vec<T> {
    const BLOCK: usize = 16_384;
    let blocks: Vec<(std::ops::Range<usize>, usize)> = (0..n)
        .into_par_iter()
        .step_by(BLOCK)
        .map(|i| {
            let block = i..(i + BLOCK).min(n);
            let size = block.clone().map(&count).sum();
            (block, size)
        })
        .collect();
    let mut all = Vec::new();
    append_with(
        &mut all,
        blocks,
        |(_, size)| *size,
        |place, (block, _)| block.for_each(|i| add(i, place)),
    );
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_appended_in_order_after_what_was_there() {
        let mut dest = vec![String::from("first")];
        let parts: Vec<Vec<String>> = (0..50)
            .map(|p| (0..p % 7).map(|i| format!("{p}.{i}")).collect())
            .collect();
        let expected: Vec<String> = dest.iter().cloned().chain(parts.concat()).collect();
        append_parts(&mut dest, parts);
        assert_eq!(dest, expected);
        append_parts(&mut dest, Vec::new());
        assert_eq!(dest, expected);
    }

    #[test]
    fn marks_are_set_for_the_items_and_no_others() {
        let items = [3usize, 9, 3, 0, 9, 9];
        let marks = marks(12, items.par_iter().copied());
        let set: Vec<usize> = (0..12)
            .filter(|&i| marks[i].load(Ordering::Relaxed))
            .collect();
        assert_eq!(set, [0, 3, 9]);
    }

    #[test]
    fn copies_are_appended_in_the_order_of_the_parts() {
        let items: Vec<u32> = (0..1000).collect();
        // Parts out of the items' order, some empty, some repeated.
        let parts: Vec<&[u32]> = (0..40)
            .map(|p| {
                let start = (p * 37) % 900;
                &items[start..start + p % 11]
            })
            .collect();
        let mut dest = vec![7];
        let expected: Vec<u32> = std::iter::once(7).chain(parts.concat()).collect();
        append_copies(&mut dest, parts);
        assert_eq!(dest, expected);
    }

    #[test]
    fn a_part_that_fills_more_or_fewer_slots_than_it_said_panics_and_appends_nothing() {
        for made in [2, 4] {
            let mut dest = vec![1u32];
            let parts = vec![3usize, 5];
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                append_with(
                    &mut dest,
                    parts,
                    |&n| n,
                    |place, n| {
                        // The second part says 5 but makes `made`.
                        let count = if n == 5 { made } else { n };
                        (0..count as u32).for_each(|i| place.push(i));
                    },
                );
            }));
            assert!(result.is_err(), "made {made}");
            assert_eq!(dest, [1]);
        }
        let mut dest = vec![1u32];
        append_with(
            &mut dest,
            vec![2usize, 0, 1],
            |&n| n,
            |place, n| {
                (0..n as u32).for_each(|i| place.push(10 * n as u32 + i));
            },
        );
        assert_eq!(dest, [1, 20, 21, 10]);
    }

    #[test]
    fn a_length_that_changes_between_calls_never_counts_in_unwritten_slots() {
        use std::cell::Cell;
        // `len` says 3 the first time it is asked about the part and 1
        // after that; the part makes 1 item.
        let asked = Cell::new(0);
        let len = |_: &()| {
            asked.set(asked.get() + 1);
            if asked.get() == 1 { 3 } else { 1 }
        };
        let mut dest = vec![String::from("kept")];
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            append_with(&mut dest, vec![()], len, |place, ()| {
                place.push(String::from("made"));
            });
        }));
        assert_eq!(asked.get(), 1, "len is asked once per part");
        assert!(result.is_err(), "a part short of what len said panics");
        assert_eq!(dest, ["kept"]);
    }

    #[test]
    fn positions_count_from_the_first_item_of_all_once_joined() {
        // Two earlier items, then blocks of items with where each record's
        // items end, counted from the block's start.
        let (mut ends, mut items) = (vec![0u32, 2], vec!['a', 'b']);
        let blocks = (
            vec![vec![1, 3], vec![], vec![0, 2]],
            vec![vec!['c', 'd', 'e'], vec![], vec!['f', 'g']],
        );
        append_positioned(&mut ends, &mut items, blocks);
        assert_eq!(items, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
        assert_eq!(ends, [0, 2, 3, 5, 5, 7]);
    }
}
