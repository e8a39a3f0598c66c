//! Micro-benchmarks of the lexicon: compiling the built-in automaton, and the one automaton pass
//! over an article. `cargo bench -p marsad-lexicon`.
//!
//! The article is one of the invented examples in `examples/corpus` (read at run time).

use marsad_lexicon::Lexicon;

fn main() {
    divan::main();
}

fn article() -> String {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/corpus/2023-03-14_sarmada_bombing.txt");
    let text = std::fs::read_to_string(p).expect("the example article is readable");
    marsad_text::normalize(&text).text
}

#[divan::bench]
fn scan_article(b: divan::Bencher) {
    let lex = Lexicon::builtin().expect("the built-in lexicon compiles");
    let norm = article();
    b.counter(divan::counter::BytesCount::new(norm.len())).bench(|| lex.scan(divan::black_box(&norm)));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn compile_builtin() -> Lexicon {
    Lexicon::builtin().expect("the built-in lexicon compiles")
}
