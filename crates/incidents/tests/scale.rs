//! Linking at scale on a synthetic world: incidents at invented places over the years, each
//! told by one to eight reports that differ as real ones do (type words, a day off, no date,
//! only the governorate, no perpetrator, other tolls). Checks that blocking keeps the work
//! near-linear and that the links are right (pairwise precision and recall against the truth).
//!
//! `synthetic_50k` runs always; `synthetic_million` is ignored in debug builds (it takes
//! minutes there): run it with
//! `cargo test --release -p marsad-incidents --test scale -- --ignored --nocapture`.

use marsad_incidents::{link, Events, Options, Prior};
use marsad_model::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

/// splitmix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Place {
    id: String,
    admin1: String,
    admin2: String,
    lat: f64,
    lon: f64,
}

fn places(rng: &mut Rng, n: usize) -> Vec<Place> {
    (0..n)
        .map(|i| {
            let gov = rng.below(14) + 1;
            // Each governorate a 1.5° × 1.5° box side by side; districts a 0.5° grid inside.
            let (lat0, lon0) = (32.5 + (gov % 4) as f64 * 1.5, 35.8 + (gov / 4) as f64 * 1.5);
            let (dy, dx) = (rng.unit() * 1.5, rng.unit() * 1.5);
            let district = (dy / 0.5) as u64 * 3 + (dx / 0.5) as u64;
            Place {
                id: format!("P{i}"),
                admin1: format!("SY{gov:02}"),
                admin2: format!("SY{gov:02}{district:02}"),
                lat: lat0 + dy,
                lon: lon0 + dx,
            }
        })
        .collect()
}

const TYPES: &[(&str, &[&str])] = &[
    ("armed_attack", &["bombing", "killing", "ambush"]),
    ("ambush", &["armed_attack"]),
    ("bombing", &["armed_attack", "killing"]),
    ("shelling", &["airstrike"]),
    ("airstrike", &["shelling"]),
    ("assassination", &["killing", "armed_attack"]),
    ("abduction", &[]),
    ("security_operation", &["arrest"]),
    ("arrest", &["security_operation"]),
    ("prison_break", &[]),
    ("armed_clash", &["armed_attack"]),
    ("curfew", &[]),
];

const SIDES: &[(&str, &str)] = &[
    ("ISIS", "SDF"),
    ("ISIS", "SYRIAN_GOV"),
    ("SDF", "ISIS"),
    ("COALITION", "ISIS"),
    ("TURKEY", "SDF"),
    ("SYRIAN_GOV", "HTS"),
    ("UNKNOWN", "CIVILIANS"),
    ("IRAN_BACKED", "ISIS"),
];

fn actor(code: &str) -> Vec<ActorRef> {
    vec![ActorRef { actor: code.into(), text: code.into(), suspected: false }]
}

fn day(n: i64) -> String {
    // 2019-01-01 + n days
    let base = 17_897i64;
    let z = base + n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The synthetic world: event records with their true incident.
fn world(n_events: usize, seed: u64) -> (Vec<EventRecord>, Vec<u32>) {
    let mut rng = Rng(seed);
    // The density of news stays that of a busy conflict whatever the size: about 25 reports
    // (8 incidents) a day across the country; places get a longer history as the span grows.
    let places = places(&mut rng, 2_000 + n_events / 100);
    let mut events = Vec::with_capacity(n_events);
    let mut truth = Vec::with_capacity(n_events);
    let days = (n_events as u64 / 25).max(365);
    let mut incident = 0u32;
    while events.len() < n_events {
        incident += 1;
        let (ty, variants) = TYPES[rng.below(TYPES.len() as u64) as usize];
        let (perp, target) = SIDES[rng.below(SIDES.len() as u64) as usize];
        let place = &places[rng.below(places.len() as u64) as usize];
        let when = rng.below(days) as i64;
        let killed = if rng.chance(0.7) { Some(1 + rng.below(12)) } else { None };
        let reports = 1 + rng.below(4) + rng.below(4) * u64::from(rng.chance(0.5));
        for r in 0..reports {
            if events.len() >= n_events {
                break;
            }
            let n = events.len();
            let doc = format!("d{n}");
            let published = when + rng.below(4) as i64;
            let event_type =
                if !variants.is_empty() && rng.chance(0.2) { variants[rng.below(variants.len() as u64) as usize] } else { ty };
            let roll = rng.unit();
            let date = if roll < 0.80 {
                let d = day(when);
                EventDate { from: Some(d.clone()), to: Some(d), precision: DatePrecision::Day, text: None }
            } else if roll < 0.88 {
                let d = day(when + if rng.chance(0.5) { 1 } else { -1 });
                EventDate { from: Some(d.clone()), to: Some(d), precision: DatePrecision::Day, text: None }
            } else if roll < 0.94 {
                EventDate { from: None, to: Some(day(published)), precision: DatePrecision::OnOrBefore, text: None }
            } else {
                EventDate::unknown()
            };
            let roll = rng.unit();
            let location = if roll < 0.86 {
                Some(Location {
                    text: place.id.clone(),
                    place_id: Some(place.id.clone()),
                    name_ar: Some(place.id.clone()),
                    name_en: None,
                    admin1: Some(place.admin1.clone()),
                    admin1_name: None,
                    admin2: Some(place.admin2.clone()),
                    lat: Some(place.lat),
                    lon: Some(place.lon),
                    precision: if rng.chance(0.1) { "near".into() } else { "place".into() },
                    country: Some("SY".into()),
                })
            } else if roll < 0.97 {
                Some(Location {
                    text: place.admin1.clone(),
                    place_id: Some(place.admin1.clone()),
                    name_ar: None,
                    name_en: None,
                    admin1: Some(place.admin1.clone()),
                    admin1_name: None,
                    admin2: None,
                    lat: None,
                    lon: None,
                    precision: "admin1".into(),
                    country: Some("SY".into()),
                })
            } else {
                None
            };
            let perpetrators = if rng.chance(0.1) {
                vec![]
            } else if r > 0 && rng.chance(0.05) {
                actor("UNKNOWN")
            } else {
                actor(perp)
            };
            let mut counts = BTreeMap::new();
            if let Some(k) = killed {
                if rng.chance(0.85) {
                    let v = ((k as f64) * (0.7 + rng.unit() * 0.7)).round().max(1.0) as u64;
                    let q = if rng.chance(0.2) { Qualifier::AtLeast } else { Qualifier::Exact };
                    counts.insert("killed".to_string(), Count { value: Some(v), qualifier: q });
                }
            }
            events.push(EventRecord {
                kind: "event".into(),
                id: format!("ev-{doc}-1"),
                doc,
                event_type: event_type.into(),
                date,
                location,
                perpetrators,
                targets: if rng.chance(0.15) { vec![] } else { actor(target) },
                counts,
                claimed_by: None,
                reported_by: vec![],
                persons: vec![],
                evidence: vec![],
                confidence: 0.5,
            });
            truth.push(incident);
        }
    }
    (events, truth)
}

/// Pairwise precision and recall of the predicted incidents against the true ones.
fn pairwise(pred: &[usize], truth: &[u32]) -> (f64, f64) {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut joint: HashMap<(usize, u32), u64> = HashMap::new();
    let mut p: HashMap<usize, u64> = HashMap::new();
    let mut t: HashMap<u32, u64> = HashMap::new();
    for (&a, &b) in pred.iter().zip(truth) {
        *joint.entry((a, b)).or_default() += 1;
        *p.entry(a).or_default() += 1;
        *t.entry(b).or_default() += 1;
    }
    let tp: u64 = joint.values().map(|&n| pairs(n)).sum();
    let pp: u64 = p.values().map(|&n| pairs(n)).sum();
    let tt: u64 = t.values().map(|&n| pairs(n)).sum();
    (tp as f64 / pp.max(1) as f64, tp as f64 / tt.max(1) as f64)
}

fn run(n: usize) -> (f64, f64) {
    let t0 = Instant::now();
    let (records, truth) = world(n, 7);
    let made = t0.elapsed();
    let t1 = Instant::now();
    let mut events = Events::new();
    for (i, r) in records.iter().enumerate() {
        events.push(r, i as u64);
    }
    let compacted = t1.elapsed();
    drop(records);
    let prior: Vec<Option<Prior>> = vec![None; n];
    let t2 = Instant::now();
    let linked = link(&events, &prior, &HashSet::new(), Options::default());
    let linking = t2.elapsed();
    let (precision, recall) = pairwise(&linked.incident_of, &truth);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!(
        "{n} events ({} true incidents) → {} incidents; generated in {:.1?}, compacted in {:.1?}, linked in {:.1?} \
         = {:.0} events/s ({} comparisons, {:.1} per event; {cores} cores, one used); pairwise precision {:.3}, recall {:.3}",
        truth.last().copied().unwrap_or(0),
        linked.incidents.len(),
        made,
        compacted,
        linking,
        n as f64 / linking.as_secs_f64(),
        linked.comparisons,
        linked.comparisons as f64 / n as f64,
        precision,
        recall
    );
    // Blocking keeps the work per event small whatever the size of the collection.
    assert!(linked.comparisons < 60 * n as u64, "{} comparisons for {n} events", linked.comparisons);
    (precision, recall)
}

#[test]
fn synthetic_50k() {
    let (precision, recall) = run(50_000);
    assert!(precision > 0.95, "precision {precision}");
    assert!(recall > 0.7, "recall {recall}");
}

#[test]
#[ignore = "minutes in a debug build: run with --release -- --ignored"]
fn synthetic_million() {
    let (precision, recall) = run(1_000_000);
    assert!(precision > 0.95, "precision {precision}");
    assert!(recall > 0.7, "recall {recall}");
}

