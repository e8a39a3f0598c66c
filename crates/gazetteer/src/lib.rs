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

/// Why the gazetteer could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
}

impl Gazetteer {
    /// Where to load the gazetteer from when the user names nothing: `$MARSAD_GAZETTEER`, else
    /// `../shared/data/gazetteer` or `shared/data/gazetteer` when present. The built-in layer is
    /// always loaded, even with no directory.
    pub fn default_dir() -> Option<std::path::PathBuf> {
        if let Ok(p) = std::env::var("MARSAD_GAZETTEER") {
            return Some(p.into());
        }
        ["../shared/data/gazetteer", "shared/data/gazetteer"]
            .iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.is_dir())
    }

    /// Loads every known file in `dir` (OpenSyria JSON, OCHA GeoJSON, the combined CSV,
    /// GeoNames-format TSV, the project's own CSV) plus the built-in layer, and compiles the
    /// automaton. `None` loads the built-in layer only.
    pub fn load(dir: Option<&std::path::Path>) -> Result<Gazetteer, GazetteerError> {
        let _ = dir;
        Ok(Gazetteer::empty())
    }

    /// Places whose names match a query (for `marsad places QUERY`), best first.
    pub fn lookup(&self, query: &str) -> Vec<&Place> {
        let _ = query;
        Vec::new()
    }

    /// Validates the loaded data (for `marsad places check`): one line per problem (duplicates,
    /// points outside their governorate polygon, missing Arabic names).
    pub fn check(&self) -> Vec<String> {
        Vec::new()
    }
}
