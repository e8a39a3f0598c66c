//! Throughput of the place layer: `cargo run --release -p marsad-geo --example bench -- FILE…`
//! loads the gazetteer once, then times `Gazetteer::scan` and `DocGeo::new` over the files
//! (repeated until about a second has passed) and prints MB/s. A measurement, not a test.

use marsad_gazetteer::Gazetteer;
use marsad_geo::DocGeo;
use std::time::Instant;

fn main() {
    let t = Instant::now();
    let gaz = match Gazetteer::load(Gazetteer::default_dir().as_deref()) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("bench: {e}");
            std::process::exit(1);
        }
    };
    println!("load: {} places, {} patterns in {:.0} ms", gaz.len(), gaz.stats().patterns, t.elapsed().as_secs_f64() * 1e3);
    let docs: Vec<_> = std::env::args().skip(1).filter_map(|f| std::fs::read_to_string(f).ok()).map(|t| marsad_text::normalize(&t)).collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    if bytes == 0 {
        eprintln!("bench: give some text files");
        return;
    }
    for (name, f) in [
        ("scan", &(|d: &marsad_text::NormalizedText| gaz.scan(&d.text).len()) as &dyn Fn(&marsad_text::NormalizedText) -> usize),
        ("DocGeo::new", &|d: &marsad_text::NormalizedText| DocGeo::new(&gaz, d).phrases.len()),
    ] {
        let t = Instant::now();
        let mut rounds = 0;
        let mut found = 0;
        while t.elapsed().as_secs_f64() < 1.0 {
            for d in &docs {
                found += f(d);
            }
            rounds += 1;
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{name}: {:.1} MB/s ({} docs, {} KB, {} rounds, {} hits per round)",
            (bytes * rounds) as f64 / secs / 1e6,
            docs.len(),
            bytes / 1024,
            rounds,
            found / rounds
        );
    }
}
