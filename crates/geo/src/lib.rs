//! Place resolution for events. OWNER: geo helper. Contract below is fixed.
use marsad_gazetteer::{Gazetteer, PlaceMatch};
use marsad_model::Location;
use marsad_text::NormalizedText;

/// Per-document geographic context, computed once: every place match and the document's
/// dominant governorate(s).
#[derive(Debug, Clone, Default)]
pub struct DocGeo {
    pub matches: Vec<PlaceMatch>,
}

impl DocGeo {
    pub fn new(gaz: &Gazetteer, norm: &NormalizedText) -> Self {
        DocGeo { matches: gaz.scan(&norm.text) }
    }
}

/// Chooses the location of an event. `sentences` are the normalised byte ranges of the event's
/// evidence sentences, most important first; `anchor` is the byte offset of the event's trigger
/// in the normalised text (the place nearest to it, in its clause, is preferred; places that name
/// someone's origin, "من مدينة X", are not where the event happened). Returns `None` when no place
/// is given.
pub fn locate(
    gaz: &Gazetteer,
    doc: &DocGeo,
    norm: &NormalizedText,
    original: &str,
    sentences: &[(usize, usize)],
    anchor: Option<usize>,
) -> Option<Location> {
    let _ = (gaz, doc, norm, original, sentences, anchor);
    None
}
