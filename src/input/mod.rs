//! Input: a dataset's files as text with line starts ([`source`]), a JSON
//! reader that keeps every value's byte span ([`json`]), records read field
//! by field with every problem located ([`records`]), and the folders and
//! files walked to find them (`read`).

pub mod json;
pub(crate) mod read;
pub mod records;
pub mod source;
