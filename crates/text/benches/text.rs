//! Micro-benchmarks of the text layer: normalisation, tokens, sentences, numbers and dates over
//! one article, and number parsing of single phrases. `cargo bench -p marsad-text`.
//!
//! The article is one of the invented examples in `examples/corpus` (read at run time).

use marsad_text::{dates, normalize, numbers, sentences, tokens};

fn main() {
    divan::main();
}

fn article() -> String {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/corpus/2023-03-14_sarmada_bombing.txt");
    std::fs::read_to_string(p).expect("the example article is readable")
}

#[divan::bench]
fn normalise_article(b: divan::Bencher) {
    let text = article();
    b.counter(divan::counter::BytesCount::new(text.len())).bench(|| normalize(divan::black_box(&text)));
}

#[divan::bench]
fn tokenize_article(b: divan::Bencher) {
    let norm = normalize(&article()).text;
    b.counter(divan::counter::BytesCount::new(norm.len())).bench(|| tokens::tokenize(divan::black_box(&norm)));
}

#[divan::bench]
fn sentences_article(b: divan::Bencher) {
    let norm = normalize(&article()).text;
    b.bench(|| sentences::split_sentences(divan::black_box(&norm)));
}

#[divan::bench]
fn numbers_article(b: divan::Bencher) {
    let norm = normalize(&article()).text;
    b.counter(divan::counter::BytesCount::new(norm.len())).bench(|| numbers::find_numbers(divan::black_box(&norm)));
}

#[divan::bench]
fn dates_article(b: divan::Bencher) {
    let norm = normalize(&article()).text;
    b.counter(divan::counter::BytesCount::new(norm.len())).bench(|| dates::find_dates(divan::black_box(&norm)));
}

/// Number phrases of every form (our own writing), normalised as the pipeline sees them.
const PHRASES: [&str; 6] = [
    "12,500 نازح",
    "ثلاثة آلاف وخمسمئة شخص",
    "عنصرين من الشرطة",
    "ما لا يقل عن 45 قتيلاً",
    "عشرات المدنيين",
    "٢٣ جريحاً",
];

#[divan::bench(args = PHRASES)]
fn parse_number(b: divan::Bencher, phrase: &str) {
    let norm = normalize(phrase).text;
    b.bench(|| numbers::find_numbers(divan::black_box(&norm)));
}
