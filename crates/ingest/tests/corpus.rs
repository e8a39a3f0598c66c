//! Document metadata against the gold `doc` records of the shared corpora (seeds and dev).
//! The corpora live outside the repository (../../../shared from this crate); when they are absent
//! the test says so and passes. `MARSAD_SHARED=/path/to/shared` points elsewhere.
use marsad_ingest::{analyse, read_paths};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `MARSAD_SHARED` when set (a checkout elsewhere), else the sibling of the repository.
fn shared() -> PathBuf {
    match std::env::var_os("MARSAD_SHARED") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Score {
    docs: usize,
    titles: usize,
    bp_hit: usize,
    bp_total: usize,
    outlets: usize,
    outlet_total: usize,
    bylines: usize,
    byline_total: usize,
    problems: Vec<String>,
}

fn score(set: &str) -> Option<Score> {
    let root = shared();
    let gold_path = root.join(format!("gold/{set}.gold.jsonl"));
    let corpus = root.join(format!("corpus/{set}"));
    if !gold_path.is_file() || !corpus.is_dir() {
        println!("SKIPPED: shared corpus not found at {} (set {set})", root.display());
        return None;
    }
    let out = read_paths(&[corpus]);
    assert!(out.errors.is_empty(), "read errors: {:?}", out.errors);
    let gold = std::fs::read_to_string(gold_path).expect("gold readable");
    let mut s = Score {
        docs: 0,
        titles: 0,
        bp_hit: 0,
        bp_total: 0,
        outlets: 0,
        outlet_total: 0,
        bylines: 0,
        byline_total: 0,
        problems: Vec::new(),
    };
    for line in gold.lines() {
        let Ok(g) = serde_json::from_str::<Value>(line) else { continue };
        if g["kind"] != "doc" {
            continue;
        }
        let id = g["doc"].as_str().unwrap_or_default();
        let Some(doc) = out.docs.iter().find(|d| d.id == id) else {
            s.problems.push(format!("{id}: not read"));
            continue;
        };
        let a = analyse(doc);
        s.docs += 1;
        let want = fold(g["title"].as_str().unwrap_or_default());
        let got = fold(a.record.title.as_deref().unwrap_or_default());
        if want == got {
            s.titles += 1;
        } else {
            s.problems.push(format!("{id}: title {got:?}, gold {want:?}"));
        }
        let reported: Vec<String> = a.record.boilerplate.iter().map(|b| fold(b)).collect();
        for b in g["boilerplate"].as_array().into_iter().flatten() {
            let b = fold(b.as_str().unwrap_or_default());
            s.bp_total += 1;
            if reported.contains(&b) {
                s.bp_hit += 1;
            } else {
                s.problems.push(format!("{id}: boilerplate line missed {b:?}"));
            }
        }
        for (field, got, hit, total) in [
            ("outlet", &a.record.outlet, &mut s.outlets, &mut s.outlet_total),
            ("byline", &a.record.byline, &mut s.bylines, &mut s.byline_total),
        ] {
            if let Some(w) = g[field].as_str() {
                *total += 1;
                if got.as_deref().map(fold) == Some(fold(w)) {
                    *hit += 1;
                } else {
                    s.problems.push(format!("{id}: {field} {got:?}, gold {w:?}"));
                }
            }
        }
        // Every reported range is the text of the reported line.
        for &(b, e) in &a.boilerplate {
            let t = doc.text.get(b..e).expect("range on char boundaries");
            assert!(a.record.boilerplate.iter().any(|r| r == t), "{id}: range text {t:?} not in record");
        }
    }
    println!(
        "{set}: docs {} title {}/{} boilerplate {}/{} outlet {}/{} byline {}/{}",
        s.docs, s.titles, s.docs, s.bp_hit, s.bp_total, s.outlets, s.outlet_total, s.bylines, s.byline_total
    );
    for p in &s.problems {
        println!("  {p}");
    }
    Some(s)
}

fn check(set: &str, min_bp: f64) {
    let Some(s) = score(set) else { return };
    assert!(s.docs > 0);
    assert_eq!(s.titles, s.docs, "{set}: titles {:?}", s.problems);
    let recall = if s.bp_total == 0 { 1.0 } else { s.bp_hit as f64 / s.bp_total as f64 };
    assert!(recall >= min_bp, "{set}: boilerplate recall {recall} < {min_bp}: {:?}", s.problems);
    assert_eq!(s.outlets, s.outlet_total, "{set}: outlets {:?}", s.problems);
    assert_eq!(s.bylines, s.byline_total, "{set}: bylines {:?}", s.problems);
}

#[test]
fn seeds_doc_records() {
    check("seeds", 1.0);
}

#[test]
fn dev_doc_records() {
    check("dev", 0.9);
}

/// Publication dates against the gold `doc` records: the date string (or null) and, when there
/// is one, its precision. Returns (right, total, problems), or None when the corpus is absent.
fn published_accuracy(set: &str) -> Option<(usize, usize, Vec<String>)> {
    let root = shared();
    let gold_path = root.join(format!("gold/{set}.gold.jsonl"));
    let corpus = root.join(format!("corpus/{set}"));
    if !gold_path.is_file() || !corpus.is_dir() {
        println!("SKIPPED: shared corpus not found at {} (set {set})", root.display());
        return None;
    }
    let out = read_paths(&[corpus]);
    let gold = std::fs::read_to_string(gold_path).expect("gold readable");
    let (mut right, mut total, mut problems) = (0, 0, Vec::new());
    for line in gold.lines() {
        let Ok(g) = serde_json::from_str::<Value>(line) else { continue };
        if g["kind"] != "doc" {
            continue;
        }
        let id = g["doc"].as_str().unwrap_or_default();
        total += 1;
        let Some(doc) = out.docs.iter().find(|d| d.id == id) else {
            problems.push(format!("{id}: not read"));
            continue;
        };
        let got = analyse(doc).record.published;
        let want = g["published"].as_str();
        let want_precision = g["published_precision"].as_str().unwrap_or("unknown");
        let ok = match (&got, want) {
            (None, None) => true,
            (Some(p), Some(w)) => {
                let precision = serde_json::to_value(p.precision).ok();
                p.date == w && precision.as_ref().and_then(Value::as_str) == Some(want_precision)
            }
            _ => false,
        };
        if ok {
            right += 1;
        } else {
            problems.push(format!("{id}: published {got:?}, gold {want:?} ({want_precision})"));
        }
    }
    println!("{set}: published {right}/{total}");
    for p in &problems {
        println!("  {p}");
    }
    Some((right, total, problems))
}

#[test]
fn seeds_published_dates() {
    let Some((right, total, problems)) = published_accuracy("seeds") else { return };
    assert!(total > 0);
    assert_eq!(right, total, "seeds: {problems:?}");
}

#[test]
fn dev_published_dates() {
    let Some((right, total, problems)) = published_accuracy("dev") else { return };
    assert!(total > 0);
    assert_eq!(right, total, "dev: {problems:?}");
}
