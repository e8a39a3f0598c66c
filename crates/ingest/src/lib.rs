//! Reading documents and analysing their metadata.
//!
//! - [`read`]: turns paths (files, directories) into [`Document`]s or one-line [`InputError`]s.
//! - [`stream`]: the same documents one at a time, without holding the corpus in memory.
//! - [`decode`]: bytes → text, detecting the encoding.
//! - [`html`]: main-content extraction and page metadata for HTML pages.
//! - [`feed`]: RSS/Atom items as documents.
//! - [`warc`]: HTML responses of WARC crawl archives as documents.
//! - [`limits`]: size and time limits per document.
//! - [`meta`]: title, outlet, byline, boilerplate lines of a document's text.
//! - [`published`]: the publication date, from given metadata or from the text.

pub mod decode;
pub mod feed;
pub mod html;
pub mod limits;
pub mod meta;
pub mod published;
pub mod read;
pub mod stream;
pub mod warc;

pub use limits::Limits;
pub use marsad_model::Document;
pub use meta::{analyse, DocAnalysis};
pub use read::{read_body, read_jsonl_text, read_paths, read_paths_with, InputError, ReadOutcome};
pub use stream::{stream_paths, stream_paths_with, DocStream};
