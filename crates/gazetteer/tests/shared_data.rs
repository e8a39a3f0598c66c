//! Loads the real gazetteer directory (shared/data/gazetteer, or $MARSAD_GAZETTEER) when present;
//! every test skips with a message when it is absent.

use marsad_gazetteer::Gazetteer;
use std::sync::OnceLock;

fn gaz() -> Option<&'static Gazetteer> {
    static G: OnceLock<Option<Gazetteer>> = OnceLock::new();
    G.get_or_init(|| {
        let dir = Gazetteer::default_dir()?;
        if !dir.join("ocha_syr_pplp_adm4_points_2015.geojson").is_file() {
            return None;
        }
        Some(Gazetteer::load(Some(&dir)).expect("gazetteer loads"))
    })
    .as_ref()
}

macro_rules! need {
    () => {
        match gaz() {
            Some(g) => g,
            None => {
                eprintln!("SKIP: no gazetteer directory (set MARSAD_GAZETTEER or put shared/data/gazetteer next to the checkout)");
                return;
            }
        }
    };
}

#[test]
fn loads_every_layer() {
    let g = need!();
    let s = g.stats();
    eprintln!("{} places, {} patterns, load {:.0} ms (compile {:.0} ms)", g.len(), s.patterns, s.load_ms, s.compile_ms);
    for (f, n) in &s.files {
        eprintln!("  {f}: {n}");
    }
    assert!(g.len() > 6000, "{}", g.len());
    assert_eq!(g.admin1_shape_count(), 14);
    for (id, a1) in [("C5200", "SY09"), ("C4532", "SY08"), ("C5184", "SY09"), ("SY0903", "SY09"), ("SY090301", "SY09")] {
        let i = g.by_id(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(g.place(i).admin1.as_deref(), Some(a1), "{id}");
        assert!(g.place(i).lat.is_some(), "{id}");
    }
    // names from several sources reach one place
    let baghuz = g.by_id("C5184").unwrap();
    assert!(g.exact("الباغوز").contains(&baghuz));
    assert!(g.exact("ديرالزور").contains(&g.by_id("SY09").unwrap()));
}

#[test]
fn lookup_finds_by_arabic_and_english() {
    let g = need!();
    let r = g.lookup("درنج");
    assert_eq!(r.first().map(|p| p.id.as_str()), Some("C5200"));
    let r = g.lookup("Deir-ez-Zor");
    assert!(r.iter().any(|p| p.id == "SY09"));
}

#[test]
fn builtin_entries_lie_in_their_governorate() {
    let g = need!();
    if g.admin1_shape_count() == 0 {
        eprintln!("SKIP: no governorate polygons");
        return;
    }
    // the built-in rows' own coordinates, not the ones OCHA gives when it knows the place
    let tsv = include_str!("../data/builtin.tsv");
    let mut outside = Vec::new();
    let mut checked = 0;
    for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 9 || c[4] != "SY" || c[3] == "country" {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (c[7].parse::<f64>(), c[8].parse::<f64>()) else { continue };
        let govs: Vec<&str> = c[5].split('|').filter(|s| !s.is_empty()).collect();
        checked += 1;
        if !govs.iter().any(|a| g.admin1_contains(a, lat, lon) == Some(true)) {
            let d = g.admin1_distance_km(govs[0], lat, lon).unwrap_or(f64::NAN);
            outside.push(format!("{} ({lat}, {lon}) is {d:.1} km outside {} (in {:?})", c[0], c[5], g.admin1_at(lat, lon)));
        }
    }
    assert!(checked > 50, "{checked}");
    assert!(outside.is_empty(), "{outside:#?}");
}

#[test]
fn check_report_is_small() {
    let g = need!();
    let p = g.check();
    eprintln!("{} problems; first ones:", p.len());
    for l in p.iter().take(15) {
        eprintln!("  {l}");
    }
}
