//! The Arabic text layer of marsad. Pure functions, no I/O.
//!
//! Every stage after this one matches against *normalised* text ([`normalize::NormalizedText`])
//! and reports evidence in *original* offsets through the normaliser's offset map, so that the
//! export can point at the exact words of the article.

pub mod dates;
pub mod normalize;
pub mod numbers;
pub mod sentences;
pub mod tokens;

pub use normalize::{normalize, NormalizedText};
