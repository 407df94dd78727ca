//! The engine: which claims meet which actions ([`rules`], [`pair`]), the
//! verdict and severity of each pair ([`score`]), each claim's pairs
//! counted without being held (`count`), why a pair was judged as
//! it was or not paired at all ([`reasons`]), and which findings an
//! earlier report already had ([`baseline`]). It reads a validated
//! [`crate::model::Dataset`] and never meets bad data.

pub mod baseline;
pub(crate) mod count;
pub(crate) mod index;
pub mod pair;
pub mod principals;
pub mod reasons;
pub mod rules;
pub mod score;
