//! What saydo refuses to read: the bounds that keep hostile or mistaken
//! input from exhausting memory or time. Each is checked where the input
//! is read and reported as a problem with its place, never a crash;
//! `docs/threat-model.md` explains each one.

pub use crate::engine::principals::MAX_CHAINS_PER_ACTOR;
pub use crate::input::json::MAX_DEPTH;
pub use crate::input::read::MAX_PROBLEMS_PER_CHUNK;
pub use crate::input::records::{MAX_LIST_ITEMS, MAX_PROBLEMS_PER_RECORD, MAX_STRING_BYTES};
pub use crate::input::source::MAX_FILE_BYTES;
pub use crate::validate::MAX_DOCUMENT_BYTES;
