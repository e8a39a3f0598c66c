//! The gazetteer: every place name marsad can recognise, compiled once into one automaton.
//!
//! Sources, all read at run time from a directory (never copied into the repository): the
//! OpenSyria admin layers (governorates, districts, subdistricts with aliases, P-codes,
//! centroids), the OCHA GeoJSON layers (district polygons, populated places, Damascus
//! neighbourhoods), geoBoundaries governorate polygons, `syr_places_combined.csv`, any
//! GeoNames-format dump, and the project's own CSV. On top of them, the built-in layer
//! (`data/builtin.tsv`: sites, regions, neighbourhoods, Iraq) is always loaded.
//!
//! Every Arabic name is expanded into its spellings ([`names::variants`]) and all of them go into
//! one `daachorse` automaton. [`Gazetteer::scan`] is one pass of that automaton over normalised
//! text, keeping the matches that start a word (after proclitics و ف ب ل ك and the article) and
//! end one, longest first.

pub mod geom;
mod load;
pub mod names;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder};
use geom::Shape;
use marsad_text::normalize::fold_key;
use names::Form;
use std::collections::HashMap;

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

/// What the gazetteer knows about a place beyond [`Place`]: ranking and provenance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceInfo {
    /// Which file the place came from first (`opensyria`, `ocha`, `combined`, `builtin`, …).
    pub source: String,
    /// Every Arabic name given for the place, as written in the source.
    pub names_ar: Vec<String>,
    /// OCHA capital level: 0 national, 1 governorate, 2 district, 3 subdistrict capital.
    pub capital_level: Option<u8>,
    pub population: Option<u64>,
    /// Subdistrict P-code.
    pub admin3: Option<String>,
    /// For regions spanning several governorates: all of them, the main one first.
    pub admin1_all: Vec<String>,
    /// Where the fact comes from (built-in layer) or a loader remark.
    pub note: String,
}

/// A place name found in normalised text: byte offsets, and every place it may name
/// (homonyms), as indices into [`Gazetteer::place`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMatch {
    pub start: usize,
    pub end: usize,
    pub places: Vec<u32>,
}

/// One compiled pattern (a folded spelling, without a leading article).
#[derive(Debug, Clone, Default)]
struct Pattern {
    /// Places written without the article: match bare or after ال.
    any: Vec<u32>,
    /// Places whose name starts with ال: match only where the text writes it.
    art: Vec<u32>,
    guard_any: bool,
    guard_art: bool,
    /// A phrase that is not a place (قوات سوريا الديمقراطية): hides what it covers.
    block: bool,
}

/// Per-file counts and timing of the last load.
#[derive(Debug, Clone, Default)]
pub struct LoadStats {
    /// (file, places read from it).
    pub files: Vec<(String, usize)>,
    pub patterns: usize,
    pub load_ms: f64,
    pub compile_ms: f64,
}

/// Governorate names and codes (data/admin1.tsv).
#[derive(Debug, Clone, Default)]
pub struct Admin1 {
    pub code: String,
    pub country: String,
    pub name_en: String,
    pub name_ar: String,
    pub iso: String,
    pub other_en: Vec<String>,
}

/// The compiled gazetteer. Build once per process, share read-only across threads.
#[derive(Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    info: Vec<PlaceInfo>,
    by_id: HashMap<String, u32>,
    patterns: Vec<Pattern>,
    pma: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    admin1: Vec<Admin1>,
    admin1_shapes: HashMap<String, Shape>,
    admin2_shapes: HashMap<String, Shape>,
    problems: Vec<String>,
    stats: LoadStats,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.places.len())
            .field("patterns", &self.patterns.len())
            .field("admin1_shapes", &self.admin1_shapes.len())
            .field("admin2_shapes", &self.admin2_shapes.len())
            .finish()
    }
}

/// Words that say what kind of place follows; a guarded name (an ordinary word) counts as a
/// place only right after one of them.
pub const TYPE_WORDS: &[&str] = &[
    "قريه", "قريتي", "قري", "بلده", "بلدتي", "بلدات", "مدينه", "مدينتي", "مدن", "حي", "حيي", "احياء",
    "ناحيه", "منطقه", "منطقتي", "مناطق", "مخيم", "مخيمي", "سجن", "محافظه", "مركز", "ريف", "باديه",
    "قضاء", "مزرعه", "مزارع", "تجمع", "بلدتا", "قريتا", "حيا", "مدينتا",
];

fn is_word_char(c: char) -> bool {
    marsad_text::is_alnum(c)
}

/// Parses what stands between a word's start and a name: proclitics (و ف then ب ل ك) and the
/// article. `Some(article_written)` when valid, `None` when the name is inside another word.
fn parse_prefix(p: &str) -> Option<bool> {
    if p.is_empty() {
        return Some(false);
    }
    let mut rest = p;
    if let Some(r) = rest.strip_prefix('و').or_else(|| rest.strip_prefix('ف')) {
        rest = r;
    }
    let mut lam = false;
    if let Some(r) = rest.strip_prefix('ب').or_else(|| rest.strip_prefix('ك')) {
        rest = r;
    } else if let Some(r) = rest.strip_prefix('ل') {
        rest = r;
        lam = true;
    }
    match rest {
        "" => Some(false),
        "ال" => Some(true),
        // ل + ال is written لل: للحسكه
        "ل" if lam => Some(true),
        _ => None,
    }
}

/// Strips proclitics from a word (وبلده → بلده).
pub fn strip_clitics(w: &str) -> &str {
    for pre in ["وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك"] {
        if let Some(r) = w.strip_prefix(pre) {
            if names::letters(r) >= 2 && TYPE_WORDS.contains(&r) {
                return r;
            }
        }
    }
    w
}

/// The word before byte offset `pos` (skipping spaces and quotes), or "".
pub fn prev_word(text: &str, pos: usize) -> (&str, usize) {
    let head = text.get(..pos).unwrap_or("");
    let trimmed = head.trim_end_matches(|c: char| !is_word_char(c) && c != '\n' && c != '.' && c != '،' && c != ',');
    let end = trimmed.len();
    let start = trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word_char(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    (trimmed.get(start..end).unwrap_or(""), start)
}

impl Gazetteer {
    /// An empty gazetteer (no places recognised).
    pub fn empty() -> Self {
        Gazetteer::default()
    }

    /// Every place-name occurrence in normalised text, word-bounded and clitic-aware (بحلب,
    /// والحسكة, لدير الزور), longest match first, non-overlapping.
    pub fn scan(&self, norm: &str) -> Vec<PlaceMatch> {
        let Some(pma) = &self.pma else { return Vec::new() };
        // (start, end, pattern, article_written)
        let mut cands: Vec<(usize, usize, u32, bool)> = Vec::new();
        for m in pma.find_overlapping_iter(norm) {
            let (s, e) = (m.start(), m.end());
            if norm.get(e..).and_then(|t| t.chars().next()).is_some_and(is_word_char) {
                continue;
            }
            let head = norm.get(..s).unwrap_or("");
            let ws = head
                .char_indices()
                .rev()
                .find(|(_, c)| !is_word_char(*c))
                .map(|(i, c)| i + c.len_utf8())
                .unwrap_or(0);
            let prefix = head.get(ws..).unwrap_or("");
            if prefix.chars().count() > 4 {
                continue;
            }
            let Some(article) = parse_prefix(prefix) else { continue };
            if self.patterns.get(m.value() as usize).is_none() {
                continue;
            }
            // the span starts at the article when the text writes one
            let start = if article {
                let al = if prefix.ends_with("ال") { "ال".len() } else { "لل".len() };
                s - al
            } else {
                s
            };
            cands.push((start, e, m.value(), article));
        }
        // Longest first, then leftmost; on equal spans a block wins.
        let is_block = |pi: u32| self.patterns.get(pi as usize).is_some_and(|p| p.block);
        cands.sort_by(|a, b| {
            (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)).then(is_block(b.2).cmp(&is_block(a.2)))
        });
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut out: Vec<PlaceMatch> = Vec::new();
        for (start, end, pi, article) in cands {
            if taken.iter().any(|&(s, e)| start < e && s < end) {
                continue;
            }
            let Some(pat) = self.patterns.get(pi as usize) else { continue };
            if pat.block {
                taken.push((start, end));
                continue;
            }
            let guarded_ok = || {
                let (w, _) = prev_word(norm, start_of_word(norm, start));
                TYPE_WORDS.contains(&strip_clitics(w))
            };
            let mut places: Vec<u32> = Vec::new();
            if !pat.any.is_empty() && (!pat.guard_any || guarded_ok()) {
                places.extend(&pat.any);
            }
            if article && !pat.art.is_empty() && (!pat.guard_art || guarded_ok()) {
                places.extend(&pat.art);
            }
            if places.is_empty() {
                continue;
            }
            places.sort_unstable();
            places.dedup();
            taken.push((start, end));
            out.push(PlaceMatch { start, end, places });
        }
        out.sort_by_key(|m| m.start);
        out
    }

    pub fn place(&self, idx: u32) -> &Place {
        &self.places[idx as usize]
    }

    /// Ranking and provenance of a place (same index as [`Gazetteer::place`]).
    pub fn info(&self, idx: u32) -> Option<&PlaceInfo> {
        self.info.get(idx as usize)
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Index of the place with this id.
    pub fn by_id(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// All places, in index order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Governorate table entry for a code (SY09, IQ-KI).
    pub fn admin1(&self, code: &str) -> Option<&Admin1> {
        self.admin1.iter().find(|a| a.code == code)
    }

    /// English name of a governorate code.
    pub fn admin1_name(&self, code: &str) -> Option<&str> {
        self.admin1(code).map(|a| a.name_en.as_str())
    }

    /// Whether a point lies inside a governorate polygon; `None` without polygons.
    pub fn admin1_contains(&self, code: &str, lat: f64, lon: f64) -> Option<bool> {
        self.admin1_shapes.get(code).map(|s| s.contains(lon, lat))
    }

    /// Distance from a point to a governorate boundary in km; `None` without polygons.
    pub fn admin1_distance_km(&self, code: &str, lat: f64, lon: f64) -> Option<f64> {
        self.admin1_shapes.get(code).map(|s| s.distance_km(lon, lat))
    }

    /// The Syrian governorate whose polygon holds the point.
    pub fn admin1_at(&self, lat: f64, lon: f64) -> Option<&str> {
        let mut codes: Vec<&String> = self.admin1_shapes.keys().collect();
        codes.sort();
        codes
            .into_iter()
            .find(|c| self.admin1_shapes.get(*c).is_some_and(|s| s.contains(lon, lat)))
            .map(|c| c.as_str())
    }

    /// Whether district polygons were loaded for a P-code, and if so whether the point is inside.
    pub fn admin2_contains(&self, code: &str, lat: f64, lon: f64) -> Option<bool> {
        self.admin2_shapes.get(code).map(|s| s.contains(lon, lat))
    }

    /// Number of governorate polygons loaded.
    pub fn admin1_shape_count(&self) -> usize {
        self.admin1_shapes.len()
    }

    /// What the last load read and how long it took.
    pub fn stats(&self) -> &LoadStats {
        &self.stats
    }

    /// Places a folded key names exactly (all spellings, clitics not allowed).
    pub fn exact(&self, key: &str) -> Vec<u32> {
        let k = fold_key(key);
        let m = self.scan(&k);
        match m.as_slice() {
            [one] if one.start == 0 && one.end == k.len() => one.places.clone(),
            _ => Vec::new(),
        }
    }
}

fn start_of_word(text: &str, pos: usize) -> usize {
    let head = text.get(..pos).unwrap_or("");
    head.char_indices()
        .rev()
        .find(|(_, c)| !is_word_char(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

/// Why the gazetteer could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
}

/// Rank of a level for "best first" orderings: lower is more prominent when nothing else helps.
pub fn level_rank(level: &str) -> u8 {
    match level {
        "admin1" => 0,
        "admin2" => 1,
        "place" => 2,
        "admin3" => 3,
        "site" => 4,
        "region" => 5,
        "country" => 6,
        _ => 7,
    }
}

impl Gazetteer {
    /// Where to load the gazetteer from when the user names nothing: `$MARSAD_GAZETTEER`, else
    /// `shared/data/gazetteer` under the current directory or one of its ancestors (so
    /// `../shared/data/gazetteer` from a checkout next to `shared/`), else the same under one of
    /// the executable's ancestors. `None` when none exists: the built-in layer is then loaded
    /// alone.
    pub fn default_dir() -> Option<std::path::PathBuf> {
        if let Some(p) = std::env::var_os("MARSAD_GAZETTEER").filter(|p| !p.is_empty()) {
            return Some(p.into());
        }
        let rel = std::path::Path::new("shared/data/gazetteer");
        let mut roots: Vec<std::path::PathBuf> = Vec::new();
        if let Ok(cwd) = std::env::current_dir() {
            roots.extend(cwd.ancestors().map(|a| a.to_path_buf()));
        }
        if let Ok(exe) = std::env::current_exe() {
            roots.extend(exe.ancestors().skip(1).map(|a| a.to_path_buf()));
        }
        roots.into_iter().map(|r| r.join(rel)).find(|p| p.is_dir())
    }

    /// Loads every known file in `dir` (OpenSyria JSON, OCHA GeoJSON, the combined CSV,
    /// GeoNames-format TSV, the project's own CSV) plus the built-in layer, and compiles the
    /// automaton. `None` loads the built-in layer only.
    pub fn load(dir: Option<&std::path::Path>) -> Result<Gazetteer, GazetteerError> {
        load::load(dir)
    }

    /// Places whose names match a query (for `marsad places QUERY`), best first.
    pub fn lookup(&self, query: &str) -> Vec<&Place> {
        let q = fold_key(query);
        if q.is_empty() {
            return Vec::new();
        }
        let q_en: String = query.chars().filter(|c| marsad_text::is_alnum(*c)).collect::<String>().to_lowercase();
        let en = |s: &str| s.chars().filter(|c| marsad_text::is_alnum(*c)).collect::<String>().to_lowercase();
        let qa = q.strip_prefix("ال").unwrap_or(&q);
        // (score, idx): 0 exact spelling, 1 exact English, 2 name contains query
        let mut hits: Vec<(u8, u32)> = Vec::new();
        for i in self.exact(&q) {
            hits.push((0, i));
        }
        for (i, p) in self.places.iter().enumerate() {
            let i = i as u32;
            if hits.iter().any(|h| h.1 == i) {
                continue;
            }
            if !q_en.is_empty() && (en(&p.name_en) == q_en || en(&p.id) == q_en) {
                hits.push((1, i));
                continue;
            }
            let names = self.info.get(i as usize).map(|x| x.names_ar.as_slice()).unwrap_or(&[]);
            if names.iter().any(|n| fold_key(n).contains(qa))
                || (q_en.len() >= 3 && en(&p.name_en).contains(&q_en))
            {
                hits.push((2, i));
            }
        }
        hits.sort_by_key(|&(s, i)| {
            let p = &self.places[i as usize];
            let cap = self.info.get(i as usize).and_then(|x| x.capital_level).unwrap_or(9);
            (s, level_rank(&p.level), cap, i)
        });
        hits.into_iter().take(100).map(|(_, i)| &self.places[i as usize]).collect()
    }

    /// Validates the loaded data (for `marsad places check`): one line per problem (duplicates,
    /// points outside their governorate polygon, missing Arabic names).
    pub fn check(&self) -> Vec<String> {
        let mut out = self.problems.clone();
        for (i, p) in self.places.iter().enumerate() {
            let info = self.info.get(i);
            if info.is_none_or(|x| x.names_ar.is_empty()) || p.name_ar.trim().is_empty() {
                out.push(format!("{}: no Arabic name ({})", p.id, p.name_en));
            }
            if p.admin1.is_none() && p.level != "country" {
                out.push(format!("{}: {} has no governorate", p.id, p.name_ar));
            }
            if p.country != "SY" || p.level == "admin1" || p.level == "region" {
                continue;
            }
            let (Some(lat), Some(lon), Some(a1)) = (p.lat, p.lon, p.admin1.as_deref()) else {
                if p.level != "country" {
                    out.push(format!("{}: {} has no coordinates", p.id, p.name_ar));
                }
                continue;
            };
            if self.admin1_contains(a1, lat, lon) == Some(false) {
                let d = self.admin1_distance_km(a1, lat, lon).unwrap_or(f64::NAN);
                let at = self.admin1_at(lat, lon).unwrap_or("outside Syria");
                out.push(format!(
                    "{}: {} ({lat:.4}, {lon:.4}) lies {d:.1} km outside {a1}, in {at}",
                    p.id, p.name_ar
                ));
            }
        }
        out
    }
}

/// Builds a gazetteer from places: used by the loaders and by tests.
#[derive(Default)]
pub struct GazetteerBuilder {
    places: Vec<Place>,
    info: Vec<PlaceInfo>,
    by_id: HashMap<String, u32>,
    admin1: Vec<Admin1>,
    admin1_shapes: HashMap<String, Shape>,
    admin2_shapes: HashMap<String, Shape>,
    problems: Vec<String>,
    stats: LoadStats,
    /// (folded name, block?)
    stops: Vec<(String, bool)>,
}

impl GazetteerBuilder {
    pub fn new() -> Self {
        GazetteerBuilder { admin1: load::builtin_admin1(), stops: load::builtin_stoplist(), ..Default::default() }
    }

    /// Adds a place, or merges it into the one with the same id (names added, gaps filled).
    /// Returns its index.
    pub fn add(&mut self, mut p: Place, mut info: PlaceInfo) -> u32 {
        if info.names_ar.is_empty() && !p.name_ar.is_empty() {
            info.names_ar.push(p.name_ar.clone());
        }
        if p.admin1_name.is_none() {
            if let Some(a) = p.admin1.as_deref() {
                p.admin1_name = self.admin1.iter().find(|x| x.code == a).map(|x| x.name_en.clone());
            }
        }
        if let Some(&i) = self.by_id.get(&p.id) {
            let (q, qi) = (&mut self.places[i as usize], &mut self.info[i as usize]);
            for n in info.names_ar {
                if !qi.names_ar.contains(&n) {
                    qi.names_ar.push(n);
                }
            }
            if q.name_ar.is_empty() {
                q.name_ar = p.name_ar;
            }
            if q.name_en.is_empty() {
                q.name_en = p.name_en;
            }
            if q.admin1.is_none() {
                q.admin1 = p.admin1;
                q.admin1_name = p.admin1_name;
            }
            if q.admin2.is_none() {
                q.admin2 = p.admin2;
            }
            if q.lat.is_none() || q.lon.is_none() {
                q.lat = p.lat;
                q.lon = p.lon;
            }
            if qi.capital_level.is_none() {
                qi.capital_level = info.capital_level;
            }
            if qi.population.is_none() {
                qi.population = info.population;
            }
            if qi.admin3.is_none() {
                qi.admin3 = info.admin3;
            }
            if qi.admin1_all.is_empty() {
                qi.admin1_all = info.admin1_all;
            }
            if qi.note.is_empty() {
                qi.note = info.note;
            }
            return i;
        }
        let i = self.places.len() as u32;
        self.by_id.insert(p.id.clone(), i);
        self.places.push(p);
        self.info.push(info);
        i
    }

    /// Adds Arabic names to an existing place.
    pub fn add_names(&mut self, idx: u32, names: &[String]) {
        if let Some(qi) = self.info.get_mut(idx as usize) {
            for n in names {
                if !qi.names_ar.contains(n) {
                    qi.names_ar.push(n.clone());
                }
            }
        }
    }

    pub fn by_id(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// Marks a name as an ordinary word (guard) or a non-place phrase (block).
    pub fn stop(&mut self, name: &str, block: bool) {
        self.stops.push((fold_key(name), block));
    }

    /// Compiles the automaton.
    pub fn build(self) -> Result<Gazetteer, GazetteerError> {
        let t = std::time::Instant::now();
        let GazetteerBuilder {
            mut places,
            info,
            by_id,
            admin1,
            admin1_shapes,
            admin2_shapes,
            problems,
            mut stats,
            stops,
        } = self;
        // Governorate from the polygons for Syrian points that lack one.
        for p in places.iter_mut() {
            if p.admin1.is_none() && p.country == "SY" && p.level != "country" && p.level != "region" {
                if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
                    let mut codes: Vec<&String> = admin1_shapes.keys().collect();
                    codes.sort();
                    if let Some(c) = codes
                        .into_iter()
                        .find(|c| admin1_shapes.get(*c).is_some_and(|s| s.contains(lon, lat)))
                    {
                        p.admin1 = Some(c.clone());
                        p.admin1_name = admin1.iter().find(|x| &x.code == c).map(|x| x.name_en.clone());
                    }
                }
            }
        }
        let guard: std::collections::HashSet<&str> =
            stops.iter().filter(|s| !s.1).map(|s| s.0.as_str()).collect();
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut slot = |key: String, patterns: &mut Vec<Pattern>, keys: &mut Vec<String>| -> usize {
            let n = patterns.len() as u32;
            let i = *index.entry(key.clone()).or_insert(n);
            if i == n {
                patterns.push(Pattern::default());
                keys.push(key);
            }
            i as usize
        };
        for (i, inf) in info.iter().enumerate() {
            let mut vs: Vec<String> = Vec::new();
            for n in &inf.names_ar {
                for v in names::variants(n) {
                    if !vs.contains(&v) {
                        vs.push(v);
                    }
                }
            }
            // A one-word name of three letters or fewer is too easily an ordinary word (بدا، بهم)
            // unless the place is prominent (a governorate, a capital, an admin unit).
            let p = &places[i];
            let prominent = p.level != "place" || inf.capital_level.is_some() || p.country != "SY";
            for v in vs {
                let (pat, form) = names::pattern_of(&v);
                let short = !prominent && !pat.contains(' ') && names::letters(&pat) <= 3;
                // a name written without the article also matches with it: "كردية" is guarded by "الكردية"
                let guarded = short
                    || guard.contains(v.as_str())
                    || (form == Form::Any && guard.contains(format!("ال{v}").as_str()));
                let k = slot(pat, &mut patterns, &mut keys);
                let p = &mut patterns[k];
                match form {
                    Form::Any => {
                        p.any.push(i as u32);
                        p.guard_any |= guarded;
                    }
                    Form::Article => {
                        p.art.push(i as u32);
                        p.guard_art |= guarded;
                    }
                }
            }
        }
        for (s, block) in &stops {
            if *block {
                let (pat, _) = names::pattern_of(s);
                // blocks keep their article so that they cover the whole phrase
                let k = slot(s.clone(), &mut patterns, &mut keys);
                patterns[k].block = true;
                let _ = pat;
            }
        }
        for p in patterns.iter_mut() {
            p.any.sort_unstable();
            p.any.dedup();
            p.art.sort_unstable();
            p.art.dedup();
        }
        let pma = if keys.is_empty() {
            None
        } else {
            let pv: Vec<(&str, u32)> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i as u32)).collect();
            Some(
                CharwiseDoubleArrayAhoCorasickBuilder::new()
                    .build_with_values(pv)
                    .map_err(|e| GazetteerError::File { path: "<automaton>".into(), reason: e.to_string() })?,
            )
        };
        stats.patterns = keys.len();
        stats.compile_ms = t.elapsed().as_secs_f64() * 1000.0;
        Ok(Gazetteer {
            places,
            info,
            by_id,
            patterns,
            pma,
            admin1,
            admin1_shapes,
            admin2_shapes,
            problems,
            stats,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: &str, ar: &str, level: &str, a1: &str) -> (Place, PlaceInfo) {
        (
            Place {
                id: id.into(),
                name_ar: ar.into(),
                name_en: id.into(),
                level: level.into(),
                country: "SY".into(),
                admin1: Some(a1.into()),
                admin1_name: None,
                admin2: None,
                lat: None,
                lon: None,
            },
            PlaceInfo { names_ar: vec![ar.into()], ..Default::default() },
        )
    }

    fn tiny() -> Gazetteer {
        let mut b = GazetteerBuilder::new();
        for (id, ar, lvl, a1) in [
            ("g-hasakah", "الحسكة", "admin1", "SY08"),
            ("g-aleppo", "حلب", "admin1", "SY02"),
            ("g-deir", "دير الزور", "admin1", "SY09"),
            ("v-tabqa", "الطبقة", "place", "SY11"),
            ("v-sur", "الصور", "place", "SY09"),
            ("v-hay", "الحي", "place", "SY04"),
            ("v-rash-h", "الرشوانية", "place", "SY08"),
            ("v-rash-s", "الرشوانية", "place", "SY04"),
            ("v-hawa", "حريزة", "place", "SY09"),
        ] {
            let (p, i) = place(id, ar, lvl, a1);
            b.add(p, i);
        }
        b.build().unwrap()
    }

    fn names(g: &Gazetteer, text: &str) -> Vec<String> {
        let n = marsad_text::normalize(text);
        g.scan(&n.text)
            .iter()
            .map(|m| format!("{}:{}", &n.text[m.start..m.end], m.places.len()))
            .collect()
    }

    #[test]
    fn clitics_and_word_bounds() {
        let g = tiny();
        assert_eq!(names(&g, "وصلت القافلة بحلب أمس"), ["حلب:1"]);
        assert_eq!(names(&g, "والحسكة هادئة"), ["الحسكه:1"]);
        assert_eq!(names(&g, "توجه لدير الزور ثم للحسكة"), ["دير الزور:1", "للحسكه:1"]);
        assert_eq!(names(&g, "في ديرالزور"), ["ديرالزور:1"]);
        // not inside another word, not without the article
        assert!(names(&g, "الحلبي وصل").is_empty());
        assert!(names(&g, "طبقة رقيقة من الغبار").is_empty());
        assert!(names(&g, "محلب").is_empty());
        // names without article also match with one
        assert_eq!(names(&g, "في الحريزة"), ["الحريزه:1"]);
        // homonyms listed together
        assert_eq!(names(&g, "قرب الرشوانية"), ["الرشوانيه:2"]);
    }

    #[test]
    fn stop_words_need_a_type_word() {
        let g = tiny();
        // الحي has two letters without the article: never a pattern
        assert!(names(&g, "في الحي الشرقي").is_empty());
        assert!(names(&g, "نشر الصور على الانترنت").is_empty());
        assert_eq!(names(&g, "وفي بلدة الصور شمال المدينة"), ["الصور:1"]);
        assert_eq!(names(&g, "وفي وبلدة \"الصور\""), ["الصور:1"]);
    }

    #[test]
    fn blocks_hide_names() {
        let mut b = GazetteerBuilder::new();
        let (p, i) = place("c-sy", "سوريا", "country", "SY04");
        b.add(p, i);
        let g = b.build().unwrap();
        assert!(names(&g, "عناصر من قوات سوريا الديمقراطية").is_empty());
        assert_eq!(names(&g, "شرقي سوريا"), ["سوريا:1"]);
    }

    #[test]
    fn prefixes() {
        assert_eq!(parse_prefix(""), Some(false));
        assert_eq!(parse_prefix("وب"), Some(false));
        assert_eq!(parse_prefix("بال"), Some(true));
        assert_eq!(parse_prefix("لل"), Some(true));
        assert_eq!(parse_prefix("ولل"), Some(true));
        assert_eq!(parse_prefix("م"), None);
        assert_eq!(parse_prefix("ال"), Some(true));
    }
}
