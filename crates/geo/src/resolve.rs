//! Homonym resolution: which gazetteer place a head names, given what its lead words ask for,
//! the governorates its qualifiers, its sentence and its document name.

use crate::phrase::Lead;
use crate::{Hint, Resolution};
use marsad_gazetteer::{Gazetteer, PlaceMatch};

/// Governorates a match names: the governorate itself when one of its homonyms is one, else the
/// one all its homonyms share, else a region's governorates when `regions`.
pub(crate) fn admin1_of_match(gaz: &Gazetteer, m: &PlaceMatch, regions: bool) -> Vec<String> {
    if let Some(&i) = m.places.iter().find(|&&i| gaz.place(i).level == "admin1") {
        return gaz.place(i).admin1.iter().cloned().collect();
    }
    let mut set: Vec<String> = Vec::new();
    for &i in &m.places {
        let p = gaz.place(i);
        match p.level.as_str() {
            "country" => continue,
            "region" => {
                if regions {
                    let all = gaz.info(i).map(|x| x.admin1_all.clone()).unwrap_or_default();
                    let all = if all.is_empty() { p.admin1.iter().cloned().collect() } else { all };
                    for a in all {
                        if !set.contains(&a) {
                            set.push(a);
                        }
                    }
                }
                continue;
            }
            _ => {}
        }
        if let Some(a) = &p.admin1 {
            if !set.contains(a) {
                set.push(a.clone());
            }
        }
    }
    set
}

pub(crate) fn country_of(code: &str) -> &'static str {
    if code.starts_with("IQ") {
        "IQ"
    } else {
        "SY"
    }
}

/// Share of each governorate among the unambiguous mentions, and the dominant country.
/// Governorate (or country) codes with their share of the mentions.
pub(crate) type Shares = Vec<(String, f64)>;

pub(crate) fn dominance(gaz: &Gazetteer, matches: &[PlaceMatch]) -> (Shares, Option<(String, f64)>) {
    let mut counts: Vec<(String, f64)> = Vec::new();
    for m in matches {
        let set = admin1_of_match(gaz, m, false);
        if set.len() == 1 {
            match counts.iter_mut().find(|c| c.0 == set[0]) {
                Some(c) => c.1 += 1.0,
                None => counts.push((set[0].clone(), 1.0)),
            }
        }
    }
    let total: f64 = counts.iter().map(|c| c.1).sum();
    if total == 0.0 {
        return (Vec::new(), None);
    }
    for c in counts.iter_mut() {
        c.1 /= total;
    }
    counts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let iq: f64 = counts.iter().filter(|c| country_of(&c.0) == "IQ").map(|c| c.1).sum();
    let country = if iq > 0.5 { ("IQ".to_string(), iq) } else { ("SY".to_string(), 1.0 - iq) };
    (counts, Some(country))
}

/// Rank of a homonym for what the words before it ask (lower is better).
pub(crate) fn tier(hint: Hint, level: &str, cap: Option<u8>) -> u8 {
    let capped = |max: u8| cap.is_some_and(|c| c <= max);
    match hint {
        Hint::Admin1 => match level {
            "admin1" => 0,
            "place" if capped(1) => 1,
            "admin2" => 2,
            "place" | "site" => 3,
            "admin3" => 4,
            "region" => 5,
            _ => 6,
        },
        Hint::Town => match level {
            "place" => 0,
            "site" => 1,
            "admin3" => 2,
            "admin2" => 3,
            "admin1" => 4,
            "region" => 5,
            _ => 6,
        },
        Hint::Site => match level {
            "site" => 0,
            "place" => 1,
            "admin3" => 2,
            "admin2" => 3,
            "admin1" => 4,
            _ => 5,
        },
        Hint::District => match level {
            "admin2" => 0,
            "place" if capped(2) => 1,
            "place" => 2,
            "admin3" => 3,
            "site" => 4,
            "admin1" => 5,
            _ => 6,
        },
        Hint::Subdistrict => match level {
            "admin3" => 0,
            "place" if capped(3) => 1,
            "place" => 2,
            "admin2" => 3,
            "admin1" => 4,
            _ => 5,
        },
        Hint::Desert => match level {
            "region" => 0,
            "admin1" => 1,
            "place" | "site" => 2,
            "admin3" | "admin2" => 3,
            _ => 4,
        },
        Hint::None => match level {
            "admin1" => 0,
            "place" | "site" if capped(2) => 1,
            "admin2" => 2,
            "place" | "site" => 3,
            "admin3" => 4,
            "region" => 5,
            _ => 6,
        },
    }
}

/// Everything that bears on resolving one head.
pub(crate) struct Context<'a> {
    /// Governorates the head's qualifiers name.
    pub(crate) qual: Vec<String>,
    /// Governorates named elsewhere in the sentence.
    pub(crate) sentence: Vec<String>,
    pub(crate) dominant: &'a [(String, f64)],
    pub(crate) dominant_country: Option<&'a (String, f64)>,
}

impl Context<'_> {
    pub(crate) fn share(&self, a1: &str) -> f64 {
        self.dominant.iter().find(|d| d.0 == a1).map(|d| d.1).unwrap_or(0.0)
    }

    /// The governorate a name the gazetteer does not know lies in, when the context says.
    pub(crate) fn admin1_for_unknown(&self) -> Option<String> {
        if let Some(a) = self.qual.first() {
            return Some(a.clone());
        }
        if self.sentence.len() == 1 {
            return Some(self.sentence[0].clone());
        }
        self.dominant.first().filter(|d| d.1 >= 0.5).map(|d| d.0.clone())
    }
}

pub(crate) fn unknown_resolution(admin1: Option<String>, l: &Lead) -> Resolution {
    let precision = if l.desert {
        "region"
    } else if l.near {
        "near"
    } else {
        "place"
    };
    Resolution {
        place: None,
        country: admin1.as_deref().map(|a| country_of(a).to_string()),
        admin1_all: admin1.iter().cloned().collect(),
        admin1,
        precision,
        ..Default::default()
    }
}

pub(crate) fn resolve(gaz: &Gazetteer, cands: &[u32], l: &Lead, ctx: &Context) -> Resolution {
    let mut c: Vec<u32> = cands.to_vec();
    let all_of = |i: u32| -> Vec<String> {
        let p = gaz.place(i);
        let all = gaz.info(i).map(|x| x.admin1_all.clone()).unwrap_or_default();
        if all.is_empty() {
            p.admin1.iter().cloned().collect()
        } else {
            all
        }
    };
    if !ctx.qual.is_empty() {
        let f: Vec<u32> = c.iter().copied().filter(|&i| all_of(i).iter().any(|a| ctx.qual.contains(a))).collect();
        if f.is_empty() {
            let prominent = c.iter().any(|&i| matches!(gaz.place(i).level.as_str(), "admin1" | "country" | "region"));
            if !prominent {
                // every homonym lies elsewhere: a place the gazetteer does not know
                return unknown_resolution(ctx.qual.first().cloned(), l);
            }
        } else {
            c = f;
        }
    } else if let Some((dc, share)) = ctx.dominant_country.filter(|d| d.1 >= 0.6) {
        let same: Vec<u32> = c.iter().copied().filter(|&i| &gaz.place(i).country == dc).collect();
        if same.is_empty() {
            let minor = c.iter().all(|&i| {
                let p = gaz.place(i);
                p.level == "place" && p.country == "SY" && gaz.info(i).is_none_or(|x| x.capital_level.is_none())
            });
            if minor && *share >= 0.6 {
                let a1 = ctx.dominant.iter().find(|d| country_of(&d.0) == dc.as_str()).map(|d| d.0.clone());
                return unknown_resolution(a1, l);
            }
        } else {
            c = same;
        }
    }
    let score = |i: u32| -> (u8, i64) {
        let p = gaz.place(i);
        let info = gaz.info(i);
        let cap = info.and_then(|x| x.capital_level);
        let t = tier(l.hint, &p.level, cap);
        let mut s = match cap {
            Some(0) => 4.0,
            Some(1) => 3.0,
            Some(2) => 2.0,
            Some(3) => 1.0,
            _ => 0.0,
        };
        if let Some(a) = p.admin1.as_deref() {
            s += 2.0 * ctx.share(a);
            if ctx.sentence.iter().any(|x| x == a) {
                s += 2.0;
            }
        }
        if let Some(pop) = info.and_then(|x| x.population).filter(|&x| x > 0) {
            s += (pop as f64).log10() / 10.0;
        }
        (t, -(s * 1000.0) as i64)
    };
    c.sort_by_key(|&i| (score(i), i));
    let Some(&best) = c.first() else { return unknown_resolution(ctx.admin1_for_unknown(), l) };
    let mut p = gaz.place(best);
    let mut idx = best;
    let cap = gaz.info(best).and_then(|x| x.capital_level);
    let precision = match p.level.as_str() {
        "region" => "region",
        "country" => "country",
        _ if l.desert => "region",
        "admin1" => "admin1",
        "admin2" | "admin3" => "admin2",
        _ if l.countryside => {
            // "ريف حلب": the countryside of a governorate capital is the governorate
            let gov = if cap.is_some_and(|c| c <= 1) { p.admin1.as_deref().and_then(|a| gaz.by_id(a)) } else { None };
            match gov.filter(|&g| gaz.place(g).level == "admin1") {
                Some(g) => {
                    idx = g;
                    p = gaz.place(g);
                    "admin1"
                }
                None => "near",
            }
        }
        _ if l.near || l.dir => "near",
        _ => "place",
    };
    let admin1_all = all_of(idx);
    Resolution {
        place: Some(idx),
        admin1: p.admin1.clone(),
        admin2: p.admin2.clone(),
        country: Some(p.country.clone()),
        lat: p.lat,
        lon: p.lon,
        precision,
        admin1_all,
    }
}
