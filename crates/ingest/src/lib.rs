//! Reading documents and analysing their metadata.
//!
//! - [`read`]: turns paths (files, directories) into [`Document`]s or one-line [`InputError`]s.
//! - [`decode`]: bytes → text, detecting the encoding.
//! - [`meta`]: title, outlet, byline, boilerplate lines of a document's text.
//! - [`published`]: the publication date, from given metadata or from the text.

pub mod decode;
pub mod meta;
pub mod published;
pub mod read;

pub use marsad_model::Document;
pub use meta::{analyse, DocAnalysis};
pub use read::{read_paths, InputError, ReadOutcome};
