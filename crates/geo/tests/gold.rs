//! Place resolution measured against the gold files, without the extractor: each gold event's
//! evidence strings are found in its document, widened to their sentences, and handed to
//! `locate` with the first evidence's start as the trigger offset. `admin1` and `place` are
//! compared the way shared/tools/score.py does. Reads shared/gold and shared/corpus at run time
//! ($MARSAD_SHARED, else a `shared` directory next to an ancestor of the working directory) and
//! skips with a message when they are absent.

use marsad_gazetteer::Gazetteer;
use marsad_geo::{locate, DocGeo};
use marsad_model::Location;
use marsad_text::{normalize, NormalizedText};
use serde_json::Value;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MARSAD_SHARED") {
        return Some(PathBuf::from(p));
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors().map(|a| a.join("shared")).find(|p| p.join("gold").is_dir())
}

/// The scorer's comparison form: no diacritics, folded letters, punctuation to spaces, the
/// article and its clitic forms removed from each word.
fn score_norm(s: &str) -> String {
    let mut t = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{06d6}'..='\u{06ed}' | '\u{0640}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            'ئ' => 'ي',
            c if c.is_alphanumeric() || c == '_' || c.is_whitespace() => c,
            _ => ' ',
        };
        t.push(c);
    }
    let mut words = Vec::new();
    for w in t.split_whitespace() {
        let mut w = w;
        for p in ["وال", "بال", "لل", "فال", "كال", "ال"] {
            if w.starts_with(p) && w.chars().count() > p.chars().count() + 1 {
                w = &w[p.len()..];
                break;
            }
        }
        words.push(w);
    }
    words.join(" ")
}

fn place_ok(gold: &[String], loc: &Location) -> bool {
    let names: Vec<String> = [loc.name_ar.as_deref().unwrap_or(""), loc.text.as_str()].iter().map(|s| score_norm(s)).collect();
    gold.iter().any(|p| {
        let np = score_norm(p);
        !np.is_empty() && names.iter().any(|n| !n.is_empty() && (*n == np || n.split(' ').any(|w| w == np) || n.contains(&np)))
    })
}

/// First normalised byte whose original offset is at or after `orig`.
fn norm_pos(n: &NormalizedText, orig: usize) -> usize {
    let mut lo = 0;
    let mut hi = n.text.len();
    while lo < hi {
        let mid = (lo + hi) / 2;
        if n.orig_start(mid) < orig {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    while lo < n.text.len() && !n.text.is_char_boundary(lo) {
        lo += 1;
    }
    lo
}

#[derive(Default)]
struct Tally {
    a1: (usize, usize),
    place: (usize, usize),
}

fn run(set: &str, gaz: &Gazetteer, root: &std::path::Path, with_anchor: bool, verbose: bool) -> Option<Tally> {
    let gold = std::fs::read_to_string(root.join("gold").join(format!("{set}.gold.jsonl"))).ok()?;
    let mut t = Tally::default();
    // (doc id, text, normalised text, geography, sentences) of the document being read
    type Cached = (String, String, NormalizedText, DocGeo, Vec<(usize, usize)>);
    let mut cache: Option<Cached> = None;
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(g) = serde_json::from_str::<Value>(line) else { continue };
        if g["kind"] != "event" || g["salience"] != "main" {
            continue;
        }
        let doc = g["doc"].as_str().unwrap_or("").to_string();
        if cache.as_ref().is_none_or(|c| c.0 != doc) {
            let Ok(text) = std::fs::read_to_string(root.join("corpus").join(set).join(format!("{doc}.txt"))) else {
                eprintln!("  {doc}: document missing");
                continue;
            };
            let n = normalize(&text);
            let dg = DocGeo::new(gaz, &n);
            let sents = marsad_text::sentences::split_sentences(&n.text);
            cache = Some((doc.clone(), text, n, dg, sents));
        }
        let Some((_, text, n, dg, sents)) = cache.as_ref() else { continue };
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut anchor = None;
        for e in g["evidence"].as_array().into_iter().flatten().filter_map(|e| e.as_str()) {
            let Some(os) = text.find(e) else { continue };
            let (ns, ne) = (norm_pos(n, os), norm_pos(n, os + e.len()));
            anchor.get_or_insert(ns);
            for &(s, e) in sents.iter().filter(|&&(s, e)| s < ne.max(ns + 1) && ns < e) {
                if !ranges.contains(&(s, e)) {
                    ranges.push((s, e));
                }
            }
        }
        let loc = locate(gaz, dg, n, text, &ranges, if with_anchor { anchor } else { None });
        let places: Vec<String> = g["places"].as_array().into_iter().flatten().filter_map(|x| x.as_str().map(String::from)).collect();
        let admin1: Vec<&str> = g["admin1"].as_array().into_iter().flatten().filter_map(|x| x.as_str()).collect();
        let mut miss = Vec::new();
        if !admin1.is_empty() {
            let ok = loc.as_ref().and_then(|l| l.admin1.as_deref()).is_some_and(|a| admin1.contains(&a));
            t.a1.0 += ok as usize;
            t.a1.1 += 1;
            if !ok {
                miss.push(format!("admin1 {admin1:?}"));
            }
        }
        if !places.is_empty() {
            let ok = loc.as_ref().is_some_and(|l| place_ok(&places, l));
            t.place.0 += ok as usize;
            t.place.1 += 1;
            if !ok {
                miss.push(format!("place {places:?}"));
            }
        }
        if verbose && !miss.is_empty() {
            let got = loc.map(|l| format!("{} | {:?} | {:?} | {}", l.text, l.name_ar, l.admin1, l.precision)).unwrap_or("None".into());
            eprintln!("  miss {} {}: got {got}", g["id"].as_str().unwrap_or(""), miss.join(", "));
        }
    }
    Some(t)
}

fn pct(x: (usize, usize)) -> f64 {
    if x.1 == 0 {
        1.0
    } else {
        x.0 as f64 / x.1 as f64
    }
}

#[test]
fn gold_admin1_and_place() {
    let Some(root) = shared() else {
        eprintln!("SKIP: no shared/gold (set MARSAD_SHARED to the shared directory)");
        return;
    };
    let Some(dir) = Gazetteer::default_dir() else {
        eprintln!("SKIP: no gazetteer directory (set MARSAD_GAZETTEER)");
        return;
    };
    let gaz = Gazetteer::load(Some(&dir)).expect("gazetteer loads");
    eprintln!("gazetteer: {} places in {:.0} ms", gaz.len(), gaz.stats().load_ms);
    // floors: (admin1, place) with the trigger offset, and without it
    for (set, floor) in [("seeds", (1.0, 0.9)), ("dev", (0.95, 0.9))] {
        let Some(t) = run(set, &gaz, &root, true, true) else {
            eprintln!("SKIP {set}: gold file absent");
            continue;
        };
        let u = run(set, &gaz, &root, false, std::env::var_os("GOLD_VERBOSE").is_some()).unwrap_or_default();
        eprintln!(
            "{set}: admin1 {:.3} ({}/{}), place {:.3} ({}/{}); without trigger offsets: admin1 {:.3}, place {:.3}",
            pct(t.a1),
            t.a1.0,
            t.a1.1,
            pct(t.place),
            t.place.0,
            t.place.1,
            pct(u.a1),
            pct(u.place)
        );
        assert!(pct(t.a1) >= floor.0, "{set} admin1 {:.3} < {}", pct(t.a1), floor.0);
        assert!(pct(t.place) >= floor.1, "{set} place {:.3} < {}", pct(t.place), floor.1);
    }
}
