//! Prints the place phrases of text files and how each resolves:
//! `cargo run -p marsad-geo --example phrases -- FILE…`

use marsad_gazetteer::Gazetteer;
use marsad_geo::{location_of, DocGeo};

fn main() {
    let gaz = match Gazetteer::load(Gazetteer::default_dir().as_deref()) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("phrases: {e}");
            std::process::exit(1);
        }
    };
    for f in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        let n = marsad_text::normalize(&text);
        let d = DocGeo::new(&gaz, &n);
        println!("== {f}  dominant {:?} {:?}", d.dominant.iter().take(3).collect::<Vec<_>>(), d.dominant_country);
        for (i, p) in d.phrases.iter().enumerate() {
            let l = location_of(&gaz, &d, &n, &text, i);
            println!(
                "  s{:<3} {:<40} | {:<22} | {} {:?} {} {:?} {:?} w{}",
                p.sentence,
                l.text,
                l.name_ar.unwrap_or_default(),
                l.place_id.unwrap_or("-".into()),
                l.admin1,
                l.precision,
                p.origin,
                p.hint,
                p.weight
            );
        }
    }
}
