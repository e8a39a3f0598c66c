//! File loaders: every layer the gazetteer knows how to read, in the order they are merged.
//!
//! All files are optional: a directory holding only some of them gives a smaller gazetteer, a file
//! that cannot be read or parsed is recorded as a problem (see [`Gazetteer::check`]) and the load
//! goes on. The built-in layer (`data/builtin.tsv`) is always loaded, last, so that it adds names
//! to the places the files gave and fills their gaps without overriding their coordinates.
//!
//! | file | layer |
//! |---|---|
//! | `opensyria_governorates.json`, `opensyria_districts.json`, `opensyria_subdistricts.json` | admin 1–3: Arabic names and aliases, P-codes, centroids, population |
//! | `syr_adm1_geoboundaries.geojson` | governorate polygons (joined on the ISO code of `data/admin1.tsv`) |
//! | `ocha_syr_admin2_districts_2015.geojson` | district polygons and Arabic names |
//! | `ocha_syr_pplp_adm4_points_2015.geojson` | communities: Arabic names, C-codes, admin codes, capital level |
//! | `syr_places_combined.csv` | the communities again, the newer Syrian Archive communities and sites |
//! | `ocha_syr_admin5_damascus_neighbourhoods_2015.geojson` | Damascus neighbourhoods (Arabic names from `data/damascus_neighbourhoods.tsv`) |
//! | `*.txt` / `*.tsv` in GeoNames format (19 tab-separated columns) | SY and IQ rows with Arabic alternate names |
//! | `*.csv` whose header has `names_ar` | the project's own additions, columns as in `data/builtin.tsv` |

use crate::geom::{haversine_km, Shape};
use crate::names::slug;
use crate::{Admin1, Gazetteer, GazetteerBuilder, GazetteerError, Place, PlaceInfo};
use marsad_text::normalize::fold_key;
use serde_json::Value;
use std::path::Path;

const ADMIN1_TSV: &str = include_str!("../data/admin1.tsv");
const BUILTIN_TSV: &str = include_str!("../data/builtin.tsv");
const STOPLIST_TSV: &str = include_str!("../data/stoplist.tsv");
const DAMASCUS_TSV: &str = include_str!("../data/damascus_neighbourhoods.tsv");

/// Rows of a TSV file without comments and blank lines, split on tabs.
fn tsv_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// The governorate table (data/admin1.tsv).
pub(crate) fn builtin_admin1() -> Vec<Admin1> {
    tsv_rows(ADMIN1_TSV)
        .filter(|r| r.len() >= 4)
        .map(|r| Admin1 {
            code: r[0].to_string(),
            country: r[1].to_string(),
            name_en: r[2].to_string(),
            name_ar: r[3].to_string(),
            iso: r.get(4).map(|s| s.to_string()).unwrap_or_default(),
            other_en: r
                .get(5)
                .map(|s| {
                    s.split('|')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// Names that are also ordinary words (guard) or phrases that are not places (block), folded.
pub(crate) fn builtin_stoplist() -> Vec<(String, bool)> {
    tsv_rows(STOPLIST_TSV)
        .filter(|r| r.len() >= 2 && !r[0].is_empty())
        .map(|r| (fold_key(r[0]), r[1] == "block"))
        .collect()
}

/// Loads a directory (or nothing) plus the built-in layer.
pub(crate) fn load(dir: Option<&Path>) -> Result<Gazetteer, GazetteerError> {
    let t = std::time::Instant::now();
    let mut b = GazetteerBuilder::new();
    if let Some(dir) = dir {
        if !dir.is_dir() {
            return Err(GazetteerError::File {
                path: dir.display().to_string(),
                reason: "not a directory".into(),
            });
        }
        // The JSON layers are parsed side by side (most of the loading time is parsing them),
        // then applied in the fixed order below, so the result does not depend on timing.
        let parsed = parse_in_parallel(dir, JSON_LAYERS);
        let mut l = Loader {
            b: &mut b,
            dir,
            name_index: None,
            parsed,
        };
        l.opensyria("opensyria_governorates.json", "admin1");
        l.opensyria("opensyria_districts.json", "admin2");
        l.opensyria("opensyria_subdistricts.json", "admin3");
        l.geoboundaries_admin1("syr_adm1_geoboundaries.geojson");
        l.ocha_admin2("ocha_syr_admin2_districts_2015.geojson");
        l.ocha_points("ocha_syr_pplp_adm4_points_2015.geojson");
        l.combined_csv("syr_places_combined.csv");
        l.damascus("ocha_syr_admin5_damascus_neighbourhoods_2015.geojson");
        l.others();
    }
    let n = load_builtin(&mut b, BUILTIN_TSV, "builtin");
    b.stats.files.push(("builtin".into(), n));
    b.stats.load_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut g = b.build()?;
    g.stats.load_ms = t.elapsed().as_secs_f64() * 1000.0;
    Ok(g)
}

/// Reads a file as text; invalid UTF-8 is replaced (OCHA cuts some names mid-character).
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    // Valid UTF-8 (most files) is taken as it is, without the lossy pass and its copy.
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// A usable Arabic name: no replacement character (a name cut mid-character is dropped; the
/// combined CSV gives the full one), at least one Arabic letter.
fn clean_ar(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty()
        || s.contains('\u{FFFD}')
        || !s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
    {
        return None;
    }
    Some(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

fn valid_point(lat: Option<f64>, lon: Option<f64>) -> (Option<f64>, Option<f64>) {
    match (lat, lon) {
        (Some(a), Some(o))
            if (-90.0..=90.0).contains(&a)
                && (-180.0..=180.0).contains(&o)
                && (a, o) != (0.0, 0.0) =>
        {
            (Some(a), Some(o))
        }
        _ => (None, None),
    }
}

/// OCHA capital level 0 means the national capital: only Damascus can have it.
fn capital(level: Option<u8>, admin1: Option<&str>) -> Option<u8> {
    match level {
        Some(0) if admin1 != Some("SY01") => None,
        l => l,
    }
}

struct Loader<'a> {
    b: &'a mut GazetteerBuilder,
    dir: &'a Path,
    /// Folded names without formal prefixes → place indices (built when first needed).
    name_index: Option<std::collections::HashMap<String, Vec<u32>>>,
    /// The JSON layers parsed ahead ([`parse_in_parallel`]), taken as they are applied.
    parsed: std::collections::HashMap<&'static str, Result<Value, String>>,
}

/// The JSON files of a gazetteer directory that [`load`] applies.
const JSON_LAYERS: &[&str] = &[
    "opensyria_governorates.json",
    "opensyria_districts.json",
    "opensyria_subdistricts.json",
    "syr_adm1_geoboundaries.geojson",
    "ocha_syr_admin2_districts_2015.geojson",
    "ocha_syr_pplp_adm4_points_2015.geojson",
    "ocha_syr_admin5_damascus_neighbourhoods_2015.geojson",
];

/// Reads and parses the files of `names` that exist in `dir`, each on its own thread.
fn parse_in_parallel(dir: &Path, names: &[&'static str]) -> std::collections::HashMap<&'static str, Result<Value, String>> {
    std::thread::scope(|scope| {
        let jobs: Vec<_> = names
            .iter()
            .filter(|n| dir.join(n).is_file())
            .map(|&n| (n, scope.spawn(move || read_json(&dir.join(n)))))
            .collect();
        jobs.into_iter()
            .map(|(n, job)| (n, job.join().unwrap_or_else(|_| Err("the parser failed".to_string()))))
            .collect()
    })
}

impl Loader<'_> {
    fn path(&self, name: &str) -> Option<std::path::PathBuf> {
        let p = self.dir.join(name);
        p.is_file().then_some(p)
    }

    /// The parsed JSON of a file of the directory; a missing file is skipped, an unreadable one
    /// recorded as a problem.
    fn json(&mut self, file: &str) -> Option<Value> {
        let path = self.path(file)?;
        let parsed = match self.parsed.remove(file) {
            Some(p) => p,
            None => read_json(&path),
        };
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(file, e);
                None
            }
        }
    }

    fn problem(&mut self, file: &str, msg: impl std::fmt::Display) {
        self.b.problems.push(format!("{file}: {msg}"));
    }

    fn counted(&mut self, file: &str, n: usize) {
        self.b.stats.files.push((file.to_string(), n));
    }

    fn admin1_name(&self, code: &str) -> Option<String> {
        self.b
            .admin1
            .iter()
            .find(|a| a.code == code)
            .map(|a| a.name_en.clone())
    }

    /// OpenSyria admin layers: one record per unit, Arabic name plus Arabic aliases.
    fn opensyria(&mut self, file: &str, level: &str) {
        let Some(v) = self.json(file) else { return };
        let Some(rows) = v.as_array() else {
            return self.problem(file, "not a JSON array");
        };
        let mut n = 0;
        for r in rows {
            let Some(code) = r["externalIds"]["ochaPcode"]
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            else {
                self.problem(file, format!("{} has no OCHA P-code", r["id"]));
                continue;
            };
            let mut names: Vec<String> = Vec::new();
            if let Some(n) = r["name"]["ar"].as_str().and_then(clean_ar) {
                names.push(n);
            }
            for a in r["aliases"].as_array().into_iter().flatten() {
                if a["language"].as_str() == Some("ar") {
                    if let Some(n) = a["value"].as_str().and_then(clean_ar) {
                        if !names.contains(&n) {
                            names.push(n);
                        }
                    }
                }
            }
            let a1 = code.get(..4).map(str::to_string);
            let (lat, lon) = valid_point(
                num(&r["centroid"]["latitude"]),
                num(&r["centroid"]["longitude"]),
            );
            let p = Place {
                id: code.to_string(),
                name_ar: names.first().cloned().unwrap_or_default(),
                name_en: r["name"]["en"].as_str().unwrap_or("").to_string(),
                level: level.to_string(),
                country: "SY".into(),
                admin1_name: a1.as_deref().and_then(|c| self.admin1_name(c)),
                admin1: a1,
                admin2: if level == "admin1" {
                    None
                } else {
                    code.get(..6).map(str::to_string)
                },
                lat,
                lon,
            };
            let info = PlaceInfo {
                source: "opensyria".into(),
                names_ar: names,
                population: r["population"]["value"].as_u64(),
                admin3: (level == "admin3").then(|| code.to_string()),
                ..Default::default()
            };
            self.b.add(p, info);
            n += 1;
        }
        self.counted(file, n);
    }

    /// geoBoundaries governorate polygons, joined to the P-codes by ISO code or English name.
    fn geoboundaries_admin1(&mut self, file: &str) {
        let Some(v) = self.json(file) else { return };
        let mut n = 0;
        for f in v["features"].as_array().into_iter().flatten() {
            let iso = f["properties"]["shapeISO"].as_str().unwrap_or("");
            let name = f["properties"]["shapeName"].as_str().unwrap_or("");
            let code = self
                .b
                .admin1
                .iter()
                .find(|a| {
                    (!a.iso.is_empty() && a.iso == iso)
                        || a.name_en.eq_ignore_ascii_case(name)
                        || a.other_en.iter().any(|o| o.eq_ignore_ascii_case(name))
                })
                .map(|a| a.code.clone());
            let Some(code) = code else {
                self.problem(file, format!("no governorate code for {iso} {name}"));
                continue;
            };
            let shape = Shape::from_geojson(&f["geometry"]);
            if shape.is_empty() {
                self.problem(file, format!("{code}: empty geometry"));
                continue;
            }
            self.b.admin1_shapes.insert(code, shape);
            n += 1;
        }
        self.counted(file, n);
    }

    /// OCHA district polygons; their Arabic names are added to the districts.
    fn ocha_admin2(&mut self, file: &str) {
        let Some(v) = self.json(file) else { return };
        let mut n = 0;
        for f in v["features"].as_array().into_iter().flatten() {
            let pr = &f["properties"];
            let Some(code) = pr["PCODE"]
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            let shape = Shape::from_geojson(&f["geometry"]);
            let centroid = shape.centroid();
            if !shape.is_empty() {
                self.b.admin2_shapes.insert(code.to_string(), shape);
            }
            let names: Vec<String> = pr["NAME_ARA"]
                .as_str()
                .and_then(clean_ar)
                .into_iter()
                .collect();
            if let Some(i) = self.b.by_id(code) {
                self.b.add_names(i, &names);
            } else {
                let a1 = pr["ADMIN1_COD"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| code.get(..4).map(str::to_string));
                let p = Place {
                    id: code.to_string(),
                    name_ar: names.first().cloned().unwrap_or_default(),
                    name_en: pr["NAME_EN"].as_str().unwrap_or("").to_string(),
                    level: "admin2".into(),
                    country: "SY".into(),
                    admin1_name: a1.as_deref().and_then(|c| self.admin1_name(c)),
                    admin1: a1,
                    admin2: Some(code.to_string()),
                    lat: centroid.map(|c| c.0),
                    lon: centroid.map(|c| c.1),
                };
                self.b.add(
                    p,
                    PlaceInfo {
                        source: "ocha".into(),
                        names_ar: names,
                        ..Default::default()
                    },
                );
            }
            n += 1;
        }
        self.counted(file, n);
    }

    /// OCHA populated places (communities).
    fn ocha_points(&mut self, file: &str) {
        let Some(v) = self.json(file) else { return };
        let mut n = 0;
        for f in v["features"].as_array().into_iter().flatten() {
            let pr = &f["properties"];
            let Some(code) = pr["PCODE"]
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            let names: Vec<String> = pr["NAME_ARA"]
                .as_str()
                .and_then(clean_ar)
                .into_iter()
                .collect();
            let (mut lat, mut lon) = valid_point(num(&pr["LATITUDE"]), num(&pr["LONGITUDE"]));
            if lat.is_none() {
                let c = &f["geometry"]["coordinates"];
                let pt = if f["geometry"]["type"].as_str() == Some("MultiPoint") {
                    &c[0]
                } else {
                    c
                };
                (lat, lon) = valid_point(num(&pt[1]), num(&pt[0]));
            }
            let a1 = pr["ADMIN1_COD"].as_str().map(str::to_string);
            let cap = capital(
                pr["CAPIT_LVL"].as_u64().map(|x| x.min(9) as u8),
                a1.as_deref(),
            );
            let p = Place {
                id: code.to_string(),
                name_ar: names.first().cloned().unwrap_or_default(),
                name_en: pr["NAME_EN"].as_str().unwrap_or("").to_string(),
                level: "place".into(),
                country: "SY".into(),
                admin1_name: a1.as_deref().and_then(|c| self.admin1_name(c)),
                admin1: a1,
                admin2: pr["ADMIN2_COD"].as_str().map(str::to_string),
                lat,
                lon,
            };
            let info = PlaceInfo {
                source: "ocha".into(),
                names_ar: names,
                capital_level: cap,
                admin3: pr["ADMIN3_COD"].as_str().map(str::to_string),
                ..Default::default()
            };
            self.b.add(p, info);
            n += 1;
        }
        self.counted(file, n);
    }

    /// The combined community list: OCHA rows (merged by C-code), newer Syrian Archive
    /// communities, and Syrian Archive sites (neighbourhoods, roundabouts, prisons…).
    fn combined_csv(&mut self, file: &str) {
        let Some(path) = self.path(file) else { return };
        let text = match read_text(&path) {
            Ok(t) => t,
            Err(e) => return self.problem(file, e),
        };
        let mut rd = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = match rd.headers() {
            Ok(h) => h.clone(),
            Err(e) => return self.problem(file, e),
        };
        let col = |name: &str| headers.iter().position(|h| h.trim() == name);
        let (Some(c_src), Some(c_pcode), Some(c_ar), Some(c_en)) =
            (col("source"), col("pcode"), col("name_ar"), col("name_en"))
        else {
            return self.problem(file, "missing columns (source, pcode, name_ar, name_en)");
        };
        let (c_a3, c_a2, c_a1, c_a1en, c_lat, c_lon, c_cap) = (
            col("adm3_pcode"),
            col("adm2_pcode"),
            col("adm1_pcode"),
            col("adm1_en"),
            col("lat"),
            col("lon"),
            col("capital_level"),
        );
        let mut n = 0;
        for (line, rec) in rd.records().enumerate() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    self.problem(file, format!("line {}: {e}", line + 2));
                    continue;
                }
            };
            let get = |c: Option<usize>| {
                c.and_then(|i| rec.get(i))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            let src = get(Some(c_src)).unwrap_or("");
            let Some(name) = get(Some(c_ar)).and_then(clean_ar) else {
                continue;
            };
            let name_en = get(Some(c_en)).unwrap_or("").to_string();
            let (lat, lon) = valid_point(
                get(c_lat).and_then(|s| s.parse().ok()),
                get(c_lon).and_then(|s| s.parse().ok()),
            );
            let mut a1 = get(c_a1).map(str::to_string);
            if a1.is_none() {
                // a site's governorate from the polygons when they are loaded (the English region
                // names of Syrian Archive do not tell Damascus from Rural Damascus)
                if let (Some(la), Some(lo)) = (lat, lon) {
                    let mut codes: Vec<&String> = self.b.admin1_shapes.keys().collect();
                    codes.sort();
                    a1 = codes
                        .into_iter()
                        .find(|c| self.b.admin1_shapes[*c].contains(lo, la))
                        .cloned();
                }
            }
            if a1.is_none() {
                // Syrian Archive sites name the governorate in English (ALEPPO, RIF DIMASHQ).
                if let Some(en) = get(c_a1en) {
                    a1 = self
                        .b
                        .admin1
                        .iter()
                        .find(|a| {
                            a.country == "SY"
                                && (a.name_en.eq_ignore_ascii_case(en)
                                    || a.other_en.iter().any(|o| o.eq_ignore_ascii_case(en)))
                        })
                        .map(|a| a.code.clone());
                }
            }
            let pcode = get(Some(c_pcode)).map(str::to_string);
            if src == "syrianarchive_site" || pcode.is_none() {
                if self.merge_site(&name, a1.as_deref(), lat, lon) {
                    n += 1;
                    continue;
                }
                let mut id = format!(
                    "sa:{}",
                    slug(if name_en.is_empty() { &name } else { &name_en })
                );
                if id == "sa:" {
                    id = format!("sa:row{}", line + 2);
                }
                while self.b.by_id(&id).is_some() {
                    id.push('x');
                }
                let level = if is_site_name(&name) { "site" } else { "place" };
                let p = Place {
                    id,
                    name_ar: name.clone(),
                    name_en,
                    level: level.into(),
                    country: "SY".into(),
                    admin1_name: a1.as_deref().and_then(|c| self.admin1_name(c)),
                    admin1: a1,
                    admin2: get(c_a2).map(str::to_string),
                    lat,
                    lon,
                };
                let info = PlaceInfo {
                    source: "combined".into(),
                    names_ar: vec![name.clone()],
                    note: "Syrian Archive site".into(),
                    ..Default::default()
                };
                let i = self.b.add(p, info);
                if let Some(idx) = self.name_index.as_mut() {
                    idx.entry(strip_formal(&fold_key(&name)))
                        .or_default()
                        .push(i);
                }
            } else {
                let code = pcode.unwrap_or_default();
                let cap = capital(get(c_cap).and_then(|s| s.parse::<u8>().ok()), a1.as_deref());
                let p = Place {
                    id: code,
                    name_ar: name.clone(),
                    name_en,
                    level: "place".into(),
                    country: "SY".into(),
                    admin1_name: a1.as_deref().and_then(|c| self.admin1_name(c)),
                    admin1: a1,
                    admin2: get(c_a2).map(str::to_string),
                    lat,
                    lon,
                };
                let info = PlaceInfo {
                    source: "combined".into(),
                    names_ar: vec![name],
                    capital_level: cap,
                    admin3: get(c_a3).map(str::to_string),
                    ..Default::default()
                };
                self.b.add(p, info);
            }
            n += 1;
        }
        self.counted(file, n);
    }

    /// A site whose name (without "مدينة", "حي"…) is already a place's name within a few km in
    /// the same governorate is that place: its names are merged instead of making a homonym.
    fn merge_site(
        &mut self,
        name: &str,
        a1: Option<&str>,
        lat: Option<f64>,
        lon: Option<f64>,
    ) -> bool {
        let (Some(lat), Some(lon)) = (lat, lon) else {
            return false;
        };
        if self.name_index.is_none() {
            let mut idx: std::collections::HashMap<String, Vec<u32>> =
                std::collections::HashMap::new();
            for (i, inf) in self.b.info.iter().enumerate() {
                for n in &inf.names_ar {
                    let v = idx.entry(strip_formal(&fold_key(n))).or_default();
                    if !v.contains(&(i as u32)) {
                        v.push(i as u32);
                    }
                }
            }
            self.name_index = Some(idx);
        }
        let key = strip_formal(&fold_key(name));
        let found = self
            .name_index
            .as_ref()
            .and_then(|m| m.get(&key))
            .and_then(|v| {
                v.iter().copied().find(|&i| {
                    let p = &self.b.places[i as usize];
                    p.admin1.as_deref() == a1
                        && matches!(p.level.as_str(), "place" | "site")
                        && p.lat
                            .zip(p.lon)
                            .is_some_and(|(a, o)| haversine_km(a, o, lat, lon) < 6.0)
                })
            });
        if let Some(i) = found {
            self.b.add_names(i, &[name.to_string()]);
            return true;
        }
        false
    }

    /// OCHA Damascus neighbourhood polygons with the Arabic names of data/damascus_neighbourhoods.tsv.
    fn damascus(&mut self, file: &str) {
        let Some(v) = self.json(file) else { return };
        let ar: Vec<(String, Vec<String>)> = tsv_rows(DAMASCUS_TSV)
            .filter(|r| r.len() >= 2)
            .map(|r| {
                (
                    norm_en(r[0]),
                    r[1].split('|').filter_map(clean_ar).collect(),
                )
            })
            .collect();
        let mut n = 0;
        for f in v["features"].as_array().into_iter().flatten() {
            let pr = &f["properties"];
            let en = pr["HAY_EN"].as_str().unwrap_or("").trim().to_string();
            let Some(code) = pr["HAY_PCODE"]
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            let names = ar
                .iter()
                .find(|(e, _)| *e == norm_en(&en))
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            if names.is_empty() {
                // No Arabic name known: the neighbourhood cannot be matched in Arabic text.
                continue;
            }
            let c = Shape::from_geojson(&f["geometry"]).centroid();
            let p = Place {
                id: code.to_string(),
                name_ar: names[0].clone(),
                name_en: format!("{en} (Damascus)"),
                level: "place".into(),
                country: "SY".into(),
                admin1: Some("SY01".into()),
                admin1_name: self.admin1_name("SY01"),
                admin2: Some("SY0100".into()),
                lat: c.map(|x| x.0),
                lon: c.map(|x| x.1),
            };
            self.b.add(
                p,
                PlaceInfo {
                    source: "ocha".into(),
                    names_ar: names,
                    note: "Damascus neighbourhood".into(),
                    ..Default::default()
                },
            );
            n += 1;
        }
        self.counted(file, n);
    }

    /// GeoNames-format dumps and project CSVs, whatever their names.
    fn others(&mut self) {
        let Ok(rd) = std::fs::read_dir(self.dir) else {
            return;
        };
        let mut files: Vec<std::path::PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for p in files {
            let name = p
                .file_name()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string();
            let ext = p
                .extension()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if name == "syr_places_combined.csv" {
                continue;
            }
            if ext == "txt" || ext == "tsv" {
                if name.eq_ignore_ascii_case("SOURCE.md") {
                    continue;
                }
                self.geonames(&p, &name);
            } else if ext == "csv" {
                self.project_csv(&p, &name);
            }
        }
    }

    /// A GeoNames dump: geonameid, name, asciiname, alternatenames, lat, lon, feature class,
    /// feature code, country code, … Only SY and IQ rows with an Arabic name are kept.
    fn geonames(&mut self, path: &Path, file: &str) {
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => return self.problem(file, e),
        };
        let first = text
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        let cols: Vec<&str> = first.split('\t').collect();
        if cols.len() < 15 || cols[0].trim().parse::<u64>().is_err() {
            return; // not a GeoNames file
        }
        let mut n = 0;
        for line in text.lines() {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 15 || c[0].trim().parse::<u64>().is_err() {
                continue;
            }
            let country = c[8].trim();
            if country != "SY" && country != "IQ" {
                continue;
            }
            let level = match c[6].trim() {
                "P" => "place",
                "S" | "T" => "site",
                "L" => "region",
                _ => continue,
            };
            let names: Vec<String> = c[3].split(',').filter_map(clean_ar).collect();
            if names.is_empty() {
                continue;
            }
            let (lat, lon) = valid_point(c[4].trim().parse().ok(), c[5].trim().parse().ok());
            let a1 = if country == "IQ" {
                self.nearest_admin1("IQ", lat, lon)
            } else {
                None
            };
            let pop = c
                .get(14)
                .and_then(|s| s.trim().parse::<u64>().ok())
                .filter(|&x| x > 0);
            let p = Place {
                id: format!("gn:{}", c[0].trim()),
                name_ar: names[0].clone(),
                name_en: c[1].trim().to_string(),
                level: level.into(),
                country: country.into(),
                admin1_name: a1.as_deref().and_then(|x| self.admin1_name(x)),
                admin1: a1,
                admin2: None,
                lat,
                lon,
            };
            self.b.add(
                p,
                PlaceInfo {
                    source: format!("geonames:{file}"),
                    names_ar: names,
                    population: pop,
                    ..Default::default()
                },
            );
            n += 1;
        }
        self.counted(file, n);
    }

    /// Nearest governorate centroid of a country among the places loaded so far (for GeoNames
    /// rows outside Syria, where there are no polygons).
    fn nearest_admin1(&self, country: &str, lat: Option<f64>, lon: Option<f64>) -> Option<String> {
        let (lat, lon) = (lat?, lon?);
        let mut best: Option<(f64, String)> = None;
        for (id, c) in builtin_centroids() {
            if !id.starts_with(country) {
                continue;
            }
            let d = haversine_km(lat, lon, c.0, c.1);
            if best.as_ref().is_none_or(|b| d < b.0) {
                best = Some((d, id));
            }
        }
        best.map(|b| b.1)
    }

    /// The project's own additions: a CSV with the columns of data/builtin.tsv (id, names_ar,
    /// name_en, level, country, admin1, admin2, lat, lon, note).
    fn project_csv(&mut self, path: &Path, file: &str) {
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => return self.problem(file, e),
        };
        let mut rd = csv::ReaderBuilder::new()
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = match rd.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect::<Vec<_>>(),
            Err(_) => return,
        };
        if !headers.iter().any(|h| h == "names_ar") {
            return; // not a project file
        }
        let order = [
            "id", "names_ar", "name_en", "level", "country", "admin1", "admin2", "lat", "lon",
            "note",
        ];
        let idx: Vec<Option<usize>> = order
            .iter()
            .map(|k| headers.iter().position(|h| h == k))
            .collect();
        let mut rows = Vec::new();
        for (line, rec) in rd.records().enumerate() {
            match rec {
                Ok(r) => rows.push(
                    idx.iter()
                        .map(|i| i.and_then(|i| r.get(i)).unwrap_or("").trim().to_string())
                        .collect::<Vec<_>>()
                        .join("\t"),
                ),
                Err(e) => self.problem(file, format!("line {}: {e}", line + 2)),
            }
        }
        let n = load_builtin(self.b, &rows.join("\n"), &format!("project:{file}"));
        self.counted(file, n);
    }
}

impl GazetteerBuilder {
    /// Adds the built-in layer (data/builtin.tsv): for tests and tools that build a gazetteer
    /// from their own places plus the built-in ones.
    pub fn add_builtin(&mut self) -> usize {
        load_builtin(self, BUILTIN_TSV, "builtin")
    }
}

/// Governorate centroids of the built-in layer (Iraq has no polygons).
fn builtin_centroids() -> Vec<(String, (f64, f64))> {
    tsv_rows(BUILTIN_TSV)
        .filter(|r| r.len() >= 9 && r[3] == "admin1")
        .filter_map(|r| Some((r[0].to_string(), (r[7].parse().ok()?, r[8].parse().ok()?))))
        .collect()
}

fn norm_en(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A folded name without a leading "مدينة", "حي", "بلدة"…
fn strip_formal(k: &str) -> String {
    let mut cur = k;
    loop {
        let mut parts = cur.splitn(2, ' ');
        let first = parts.next().unwrap_or("");
        match parts.next() {
            Some(rest) if crate::names::FORMAL_PREFIXES.contains(&first) => cur = rest,
            _ => return cur.to_string(),
        }
    }
}

/// Names of Syrian Archive rows that are facilities rather than inhabited places.
fn is_site_name(name: &str) -> bool {
    let k = fold_key(name);
    let first = k.split(' ').next().unwrap_or("");
    [
        "دوار",
        "مشفي",
        "مستشفي",
        "سجن",
        "ساحه",
        "جامع",
        "مسجد",
        "جامعه",
        "مطار",
        "معبر",
        "جسر",
        "سوق",
        "مدرسه",
        "فرع",
        "قلعه",
        "كنيسه",
        "مخيم",
        "ملعب",
        "مركز",
        "شارع",
        "طريق",
        "دوار",
        "كليه",
        "معمل",
        "محطه",
        "مبني",
        "فندق",
        "قاعده",
    ]
    .contains(&first)
}

/// Reads rows in the built-in layout (id, names_ar with | variants, name_en, level, country,
/// admin1 with | for regions, admin2, lat, lon, note) into the builder. Returns the row count.
fn load_builtin(b: &mut GazetteerBuilder, text: &str, source: &str) -> usize {
    let mut n = 0;
    for r in tsv_rows(text) {
        let get = |i: usize| r.get(i).copied().unwrap_or("").trim();
        let id = get(0);
        if id.is_empty() {
            continue;
        }
        let names: Vec<String> = get(1).split('|').filter_map(clean_ar).collect();
        if names.is_empty() {
            b.problems
                .push(format!("{source}: {id} has no Arabic name"));
            continue;
        }
        let admin1_all: Vec<String> = get(5)
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let a1 = admin1_all.first().cloned();
        let (lat, lon) = valid_point(get(7).parse().ok(), get(8).parse().ok());
        let level = if get(3).is_empty() { "place" } else { get(3) };
        let country = if get(4).is_empty() { "SY" } else { get(4) };
        let p = Place {
            id: id.to_string(),
            name_ar: names[0].clone(),
            name_en: get(2).to_string(),
            level: level.to_string(),
            country: country.to_string(),
            admin1_name: None,
            admin1: a1,
            admin2: Some(get(6)).filter(|s| !s.is_empty()).map(str::to_string),
            lat,
            lon,
        };
        let info = PlaceInfo {
            source: source.to_string(),
            names_ar: names,
            admin1_all: if admin1_all.len() > 1 {
                admin1_all
            } else {
                Vec::new()
            },
            note: get(9).to_string(),
            ..Default::default()
        };
        b.add(p, info);
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_parse() {
        let a = builtin_admin1();
        assert_eq!(a.iter().filter(|x| x.country == "SY").count(), 14);
        assert!(a.iter().any(|x| x.code == "IQ-KI" && x.name_ar == "كركوك"));
        let s = builtin_stoplist();
        assert!(s.iter().any(|(n, b)| n == "الصور" && !b));
        assert!(s.iter().any(|(n, b)| n == "سوريا الديمقراطيه" && *b));
    }

    #[test]
    fn builtin_layer_alone() {
        let g = Gazetteer::load(None).unwrap();
        assert!(g.len() > 150, "{}", g.len());
        let i = g.by_id("mr:omar-field").unwrap();
        assert_eq!(g.place(i).admin1.as_deref(), Some("SY09"));
        assert_eq!(g.place(i).admin1_name.as_deref(), Some("Deir-ez-Zor"));
        let badia = g.by_id("mr:badia").unwrap();
        assert!(g.info(badia).unwrap().admin1_all.len() > 3);
        assert_eq!(g.place(g.by_id("IQ-KI").unwrap()).country, "IQ");
    }

    #[test]
    fn project_csv_and_geonames_in_a_directory() {
        let dir = std::env::temp_dir().join(format!("marsad-gaz-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("extra.csv"),
            "id,names_ar,name_en,level,country,admin1,admin2,lat,lon,note\n\
             x:1,تل الزيتون|تل زيتون,Tal Zaytun,place,SY,SY05,,35.1,36.7,invented\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("SY.txt"),
            "9990001\tKhirbat Warda\tKhirbat Warda\tخربة وردة,Khirbet Warda\t35.5\t36.6\tP\tPPL\tSY\t\t05\t\t\t\t0\t\t300\tAsia/Damascus\t2020-01-01\n",
        )
        .unwrap();
        std::fs::write(dir.join("broken.json"), "{not json").unwrap();
        // a known file that is malformed is a problem, not a failure
        std::fs::write(dir.join("opensyria_governorates.json"), "[{\"name\": 3").unwrap();
        std::fs::write(
            dir.join("syr_places_combined.csv"),
            "source,pcode\nocha2015\n",
        )
        .unwrap();
        let g = Gazetteer::load(Some(&dir)).unwrap();
        let i = g.by_id("x:1").unwrap();
        assert_eq!(g.place(i).admin1.as_deref(), Some("SY05"));
        assert!(g.by_id("gn:9990001").is_some());
        assert!(!g.exact("تل زيتون").is_empty());
        let problems = g.check();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("opensyria_governorates.json")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("syr_places_combined.csv")),
            "{problems:?}"
        );
        // the built-in layer is there all the same
        assert!(g.by_id("SY09").is_some());
        let _ = std::fs::remove_dir_all(&dir);
        assert!(Gazetteer::load(Some(Path::new("/nonexistent/marsad"))).is_err());
    }
}
