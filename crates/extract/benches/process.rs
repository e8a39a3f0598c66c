//! Micro-benchmark of the extraction of one article (metadata, normalisation, lexicon scan,
//! numbers, dates, geocoding, events, tallies): `Engine::process`, for each invented example
//! article in `examples/corpus`. `cargo bench -p marsad-extract`.
//!
//! The gazetteer is the shared one when it is found (`$MARSAD_GAZETTEER`, or shared/data/gazetteer
//! from here upwards), else the built-in layer only, which the output says.

use marsad_extract::Engine;
use marsad_gazetteer::Gazetteer;
use marsad_model::Document;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = Gazetteer::default_dir();
        if dir.is_none() {
            eprintln!("NOTE: no gazetteer directory found: the built-in places only");
        }
        Engine::new(Gazetteer::load(dir.as_deref()).expect("the gazetteer loads"))
    })
}

const ARTICLES: [&str; 4] =
    ["2023-03-14_sarmada_bombing", "2023-05-22_raqqa_raid", "2023-06-03_deir_ez_zor_monthly", "2023-06-10_tafas_clash"];

fn document(name: &str) -> Document {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/corpus");
    let text = std::fs::read_to_string(format!("{dir}/{name}.txt")).expect("the example article is readable");
    Document { id: name.to_string(), text, origin: name.to_string(), encoding: "UTF-8".into(), ..Document::default() }
}

#[divan::bench(args = ARTICLES)]
fn process_article(b: divan::Bencher, name: &str) {
    let engine = engine();
    let doc = document(name);
    b.counter(divan::counter::BytesCount::new(doc.text.len())).bench(|| engine.process(divan::black_box(&doc)));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn load_engine() -> Engine {
    Engine::new(Gazetteer::load(Gazetteer::default_dir().as_deref()).expect("the gazetteer loads"))
}
