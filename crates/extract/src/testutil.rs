//! Helpers for unit tests: an engine with the built-in gazetteer layer and one document.

use crate::prepare::Prepared;
use crate::Engine;
use marsad_gazetteer::Gazetteer;
use marsad_model::{Document, GivenMeta};
use std::sync::OnceLock;

pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(Gazetteer::load(None).unwrap_or_else(|_| Gazetteer::empty())))
}

pub fn doc(text: &str) -> Document {
    Document {
        id: "t".into(),
        text: text.to_string(),
        given: GivenMeta::default(),
        origin: "test".into(),
        encoding: "utf-8".into(),
    }
}

/// An engine and a document (the engine is shared across tests).
pub fn prepared(text: &str) -> (&'static Engine, Document) {
    (engine(), doc(text))
}

/// The count of `role` in the first event of a one-sentence text.
pub fn counts_of(text: &str, role: &str) -> Option<(Option<u64>, marsad_model::Qualifier)> {
    let d = doc(text);
    let out = engine().process(&d);
    out.events.iter().find_map(|e| e.counts.get(role).map(|c| (c.value, c.qualifier)))
}

/// Perpetrator and target codes of the first event of a text.
pub fn actors_of(text: &str) -> (Vec<String>, Vec<String>) {
    let d = doc(text);
    let out = engine().process(&d);
    match out.events.first() {
        Some(e) => (
            e.perpetrators.iter().map(|a| a.actor.clone()).collect(),
            e.targets.iter().map(|a| a.actor.clone()).collect(),
        ),
        None => (Vec::new(), Vec::new()),
    }
}

#[allow(dead_code)]
pub fn with_prepared<R>(text: &str, f: impl FnOnce(&Prepared) -> R) -> R {
    let d = doc(text);
    let mut a = marsad_ingest::analyse(&d);
    let p = Prepared::new(engine(), &d, &mut a);
    f(&p)
}
