//! Small helpers for work split over threads.

use rayon::prelude::*;

/// Appends the items of `parts` to `dest` in order, the parts moved in
/// parallel, each straight into its place. Loading and pairing gather
/// their results in parts made in parallel; joining a million records
/// (about 140 MB, into fresh pages) on one thread kept the other core idle
/// for 0.15 s.
pub fn append_parts<T: Send>(dest: &mut Vec<T>, parts: Vec<Vec<T>>) {
    let total: usize = parts.iter().map(Vec::len).sum();
    dest.reserve_exact(total);
    let mut free = &mut dest.spare_capacity_mut()[..total];
    let mut places = Vec::with_capacity(parts.len());
    for part in &parts {
        let (place, tail) = free.split_at_mut(part.len());
        places.push(place);
        free = tail;
    }
    places.into_par_iter().zip(parts).for_each(|(place, part)| {
        for (slot, item) in place.iter_mut().zip(part) {
            slot.write(item);
        }
    });
    // SAFETY: the `total` slots after the old length were all written
    // above: each part's items into a place of exactly its length, and the
    // places tile them. (A panic before this line would leak the items
    // written, never expose unwritten ones.)
    unsafe { dest.set_len(dest.len() + total) };
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
}
