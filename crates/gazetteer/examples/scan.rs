//! Prints every place name the gazetteer finds in text files: `cargo run --example scan -- FILE…`
//! (the gazetteer directory is found as `marsad` finds it, or given by $MARSAD_GAZETTEER).

fn main() {
    let dir = marsad_gazetteer::Gazetteer::default_dir();
    let g = match marsad_gazetteer::Gazetteer::load(dir.as_deref()) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("scan: {e}");
            std::process::exit(1);
        }
    };
    eprintln!("{} places in {:.0} ms", g.len(), g.stats().load_ms);
    for f in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&f) else {
            eprintln!("scan: cannot read {f}");
            continue;
        };
        let n = marsad_text::normalize(&text);
        for m in g.scan(&n.text) {
            let names: Vec<String> = m
                .places
                .iter()
                .take(6)
                .map(|&i| {
                    let p = g.place(i);
                    format!("{}:{}:{}", p.id, p.level, p.admin1.as_deref().unwrap_or("-"))
                })
                .collect();
            println!("{}\t{}\t{}", f.rsplit('/').next().unwrap_or(&f), &n.text[m.start..m.end], names.join(" "));
        }
    }
}
