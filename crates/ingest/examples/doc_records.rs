//! Prints the `doc` record of every document under the given paths as JSON Lines, for the
//! reference scorer: `cargo run -p marsad-ingest --example doc_records -- DIR > out.jsonl`.
use std::io::Write;
use std::path::PathBuf;

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let out = marsad_ingest::read_paths(&paths);
    for e in &out.errors {
        eprintln!("{e}");
    }
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for d in &out.docs {
        let a = marsad_ingest::analyse(d);
        if let Ok(s) = serde_json::to_string(&a.record) {
            let _ = writeln!(w, "{s}");
        }
    }
    if !out.errors.is_empty() {
        std::process::exit(1);
    }
}
