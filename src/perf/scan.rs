//! Byte scanning: where the next byte that a JSON string cannot hold as
//! it is lies. Every string read and written goes through here.

/// Position of the first byte in `bytes` that a JSON string cannot hold
/// as it is: a quote, a backslash or a control character (below 0x20).
/// Every string read and written goes through here, most of the bytes of
/// a dataset and of a report: sixteen bytes at a time with SSE2 (part of
/// every x86_64 target), the rest eight at a time.
#[inline]
pub fn first_special(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8,
            _mm_or_si128, _mm_set1_epi8,
        };
        let mut blocks = bytes.chunks_exact(16);
        let mut at = 0;
        // SAFETY: SSE2 is enabled on every x86_64 target, and each load
        // reads the 16 bytes of one `chunks_exact(16)` block (unaligned
        // loads are allowed).
        unsafe {
            let quote = _mm_set1_epi8(b'"' as i8);
            let backslash = _mm_set1_epi8(b'\\' as i8);
            let below_space = _mm_set1_epi8(0x1f);
            for block in &mut blocks {
                let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
                // A byte is below 0x20 when min(byte, 0x1f) is the byte.
                let control = _mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v);
                let special = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                    control,
                );
                let mask = _mm_movemask_epi8(special) as u32;
                if mask != 0 {
                    return Some(at + mask.trailing_zeros() as usize);
                }
                at += 16;
            }
        }
        first_special_words(blocks.remainder()).map(|n| at + n)
    }
    #[cfg(not(target_arch = "x86_64"))]
    first_special_words(bytes)
}

/// [`first_special`] eight bytes at a time, in plain integer arithmetic.
fn first_special_words(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The lowest set bit of each mask marks the first matching byte
    // exactly (borrows only run towards higher bytes).
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let w = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
        let quote = zero(w ^ (ONES * u64::from(b'"')));
        let backslash = zero(w ^ (ONES * u64::from(b'\\')));
        let found = below_space | quote | backslash;
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|n| at + n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_word_at_a_time_search_finds_the_first_special_byte() {
        let slow = |b: &[u8]| b.iter().position(|&b| b < 0x20 || b == b'"' || b == b'\\');
        // Every byte value at every place of strings spanning word edges,
        // among plain bytes and among bytes that borrow in the subtraction.
        for len in [1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40] {
            for at in 0..len {
                for byte in 0..=255u8 {
                    for fill in [b'a', 0x80, 0x21, b'"' + 1, b'\\' + 1] {
                        let mut s = vec![fill; len];
                        s[at] = byte;
                        assert_eq!(
                            super::first_special(&s),
                            slow(&s),
                            "{byte:#04x} at {at} of {len}, fill {fill:#04x}"
                        );
                        assert_eq!(
                            super::first_special_words(&s),
                            slow(&s),
                            "words: {byte:#04x} at {at} of {len}, fill {fill:#04x}"
                        );
                        // A second special byte later must not hide the first.
                        if at + 1 < len {
                            s[len - 1] = b'"';
                            assert_eq!(
                                super::first_special(&s),
                                slow(&s),
                                "{byte:#04x} at {at} of {len} before a quote"
                            );
                        }
                    }
                }
            }
        }
        assert_eq!(super::first_special(b""), None);
    }
}
