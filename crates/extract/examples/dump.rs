//! Development aid: extract every document under the given paths and print JSONL records.
//! `cargo run -p marsad-extract --example dump -- ../shared/corpus/seeds > out.jsonl`
use marsad_extract::Engine;
use marsad_gazetteer::Gazetteer;
use std::io::Write;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let gaz = Gazetteer::load(Gazetteer::default_dir().as_deref()).unwrap_or_else(|_| Gazetteer::empty());
    let engine = Engine::new(gaz);
    let outcome = marsad_ingest::read_paths(&paths);
    let mut out = std::io::stdout().lock();
    for e in &outcome.errors {
        eprintln!("{}: {}", e.origin, e.reason);
    }
    for d in &outcome.docs {
        let o = engine.process(d);
        writeln!(out, "{}", serde_json::to_string(&o.doc).unwrap()).unwrap();
        for e in &o.events {
            writeln!(out, "{}", serde_json::to_string(e).unwrap()).unwrap();
        }
        for t in &o.tallies {
            writeln!(out, "{}", serde_json::to_string(t).unwrap()).unwrap();
        }
    }
}
