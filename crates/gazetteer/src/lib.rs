//! The gazetteer: every place name marsad can recognise, compiled once into one automaton.
//! OWNER: geo helper. Contract below is fixed; add freely.

/// One place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Stable id: OCHA C-code / P-code, Syrian Archive id, or "mr:<slug>" for the built-in layer.
    pub id: String,
    pub name_ar: String,
    pub name_en: String,
    /// `admin1` (governorate), `admin2` (district), `admin3` (subdistrict), `place` (town,
    /// village, neighbourhood), `site` (prison, camp, field, base), `region` (desert, river bank),
    /// `country`.
    pub level: String,
    /// ISO 3166 alpha-2.
    pub country: String,
    pub admin1: Option<String>,
    pub admin1_name: Option<String>,
    pub admin2: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A place name found in normalised text: byte offsets, and every place it may name
/// (homonyms), as indices into [`Gazetteer::place`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMatch {
    pub start: usize,
    pub end: usize,
    pub places: Vec<u32>,
}

/// The compiled gazetteer. Build once per process, share read-only across threads.
#[derive(Debug, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
}

impl Gazetteer {
    /// An empty gazetteer (no places recognised).
    pub fn empty() -> Self {
        Gazetteer::default()
    }

    /// Every place-name occurrence in normalised text, word-bounded and clitic-aware (بحلب,
    /// والحسكة, لدير الزور), longest match first, non-overlapping.
    pub fn scan(&self, norm: &str) -> Vec<PlaceMatch> {
        let _ = norm;
        Vec::new()
    }

    pub fn place(&self, idx: u32) -> &Place {
        &self.places[idx as usize]
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
}
