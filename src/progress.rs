//! Progress of long runs, reported to an observer the binary provides (a
//! progress bar on a terminal); the library itself never draws anything.

/// Receives progress. Calls may come from several threads.
pub trait Progress: Sync {
    /// A new stage begins; `total` is its amount of work (bytes, records),
    /// 0 when unknown.
    fn stage(&self, name: &str, total: u64);
    /// `amount` more of the current stage's work is done.
    fn advance(&self, amount: u64);
    /// The run is over.
    fn finish(&self);
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}
