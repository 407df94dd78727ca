//! Prefetching: hints that start loading memory into the cache before it
//! is read, for loops that read records scattered over hundreds of
//! megabytes. A hint has no effect the program can see but time.

/// Starts loading the start of `s` into the cache.
pub fn prefetch_str(s: &str) {
    if let Some(b) = s.as_bytes().first() {
        prefetch(b);
    }
}

/// Starts loading every cache line of `s` (strings read whole soon).
pub fn prefetch_all(s: &[u8]) {
    for b in s.iter().step_by(64) {
        prefetch(b);
    }
    if let Some(b) = s.last() {
        prefetch(b);
    }
}

/// Starts loading every cache line `x` lies on. A value of more than a
/// few bytes often straddles two lines (a 40-byte value in an array, half
/// the time; a 128-byte record, always): asked for by its first byte
/// only, its other line still missed when it was read.
#[inline(always)]
pub fn prefetch_lines<T>(x: &T) {
    let start = std::ptr::from_ref(x).cast::<u8>();
    let size = std::mem::size_of::<T>();
    for offset in (0..size).step_by(64).chain(size.checked_sub(1)) {
        prefetch_address(start.wrapping_add(offset));
    }
}

/// Starts loading `x` into the cache; a hint with no other effect.
#[inline(always)]
pub fn prefetch<T>(x: &T) {
    prefetch_address(std::ptr::from_ref(x).cast());
}

/// Starts loading the line of `address` into the cache.
#[inline(always)]
fn prefetch_address(address: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE is part of every x86_64 target, and a prefetch neither
    // reads nor writes memory as far as the program can tell, and cannot
    // fault, whatever the address (callers pass addresses within a value
    // they hold a reference to anyway).
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(address.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}
