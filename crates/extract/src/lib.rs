//! Event and tally extraction from Arabic news text.
//!
//! A document flows through these stages, each adding to the one before (spaCy-style):
//! 1. [`prepare`]: normalised text, sentences, lexicon mentions, numbers, dates, places.
//! 2. [`candidates`]: per sentence, triggers are grouped into clauses; each clause gives event
//!    candidates with their type, counts ([`counts`]), actors ([`actors`]), date and place.
//! 3. [`merge`]: candidates that tell the same incident (headline, lede, later paragraph) become
//!    one event with all their evidence; distinct incidents stay apart.
//! 4. [`tally`]: aggregates over a period ("at least 367 killed since 24 March") become tallies.
//! 5. [`record`]: events and tallies become export records with character-offset evidence.

pub mod actors;
pub mod candidates;
pub mod clause;
pub mod counts;
pub mod discourse;
pub mod merge;
pub mod prepare;
pub mod record;
pub mod tally;
#[cfg(test)]
mod testutil;

use marsad_gazetteer::Gazetteer;
use marsad_lexicon::Lexicon;
use marsad_model::{DocOutput, Document};

/// Lexicons and gazetteer, compiled once per process and shared read-only across threads.
pub struct Engine {
    pub gazetteer: Gazetteer,
    pub lexicon: Lexicon,
}

impl Engine {
    /// An engine with the built-in lexicon and the given gazetteer.
    pub fn new(gazetteer: Gazetteer) -> Self {
        // The built-in lexicon ships with the binary and is tested; failing to build it is a bug.
        let lexicon = Lexicon::builtin().expect("built-in lexicon is valid");
        Engine { gazetteer, lexicon }
    }

    /// Runs the whole analysis of one document: metadata, events, tallies.
    pub fn process(&self, doc: &Document) -> DocOutput {
        let mut analysis = marsad_ingest::analyse(doc);
        let prepared = prepare::Prepared::new(self, doc, &mut analysis);
        let (tallies, tally_clauses) = tally::find(&prepared);
        let mut cands = candidates::find(&prepared);
        // A clause that gives a tally tells no single violent event of its own.
        cands.retain(|c| !tally_clauses.contains(&c.clause) || candidates::is_separate(c.event_type));
        let events = merge::merge(&prepared, cands);
        let events = record::events(&prepared, &events);
        let tallies = record::tallies(&prepared, &tallies);
        DocOutput { doc: analysis.record, events, tallies }
    }
}
