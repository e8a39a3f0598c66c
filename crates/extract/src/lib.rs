//! Event and tally extraction. OWNER: lead.
use marsad_gazetteer::Gazetteer;
use marsad_model::{DocOutput, Document};

/// Lexicons and gazetteer, compiled once per process and shared read-only across threads.
pub struct Engine {
    pub gazetteer: Gazetteer,
}

impl Engine {
    pub fn new(gazetteer: Gazetteer) -> Self {
        Engine { gazetteer }
    }

    /// Runs the whole analysis of one document: metadata, events, tallies.
    pub fn process(&self, doc: &Document) -> DocOutput {
        let analysis = marsad_ingest::analyse(doc);
        DocOutput { doc: analysis.record, events: Vec::new(), tallies: Vec::new() }
    }
}
