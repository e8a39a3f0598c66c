//! Lexicons of marsad: event triggers, effects (killed, injured, …), actors, cues and person
//! nouns, kept as TSV data files under `data/` and compiled once into one automaton.
//!
//! Matching runs over *normalised* text (see `marsad_text::normalize`). A lexicon form matches
//! where it stands as a word, optionally preceded by Arabic proclitics (و ف ب ل ك ال لل and their
//! combinations: "وبالهجوم", "لقسد", "للتحالف") and followed by an object pronoun or the
//! accusative alif ("قتله", "هجوما", "عنصرا"). A form never matches inside a longer word.

mod entries;
mod scan;

pub use entries::*;
pub use scan::{Lexicon, LexiconError, Mention};
