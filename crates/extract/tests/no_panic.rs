//! The extractor never panics, whatever the text: arbitrary Unicode, and soups of the words its
//! rules look for (triggers, numbers, clitics, punctuation) in random order.

use marsad_extract::Engine;
use marsad_gazetteer::Gazetteer;
use marsad_model::{Document, GivenMeta};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(Gazetteer::empty()))
}

fn run(text: String, published: Option<String>) {
    let doc = Document { id: "p".into(), text, given: GivenMeta { published, ..GivenMeta::default() }, origin: "p".into(), encoding: "utf-8".into() };
    let out = engine().process(&doc);
    let chars = doc.text.chars().count();
    for e in &out.events {
        for ev in &e.evidence {
            assert!(ev.start <= ev.end && ev.end <= chars, "evidence {}..{} outside {chars}", ev.start, ev.end);
        }
    }
}

const WORDS: &[&str] = &[
    "مقتل", "قتل", "وأصيب", "إصابة", "هجوم", "الهجوم", "كمين", "انفجار", "عبوة ناسفة", "اعتقال", "القبض على", "فرار",
    "سجن", "داعش", "قسد", "قوات النظام", "التحالف الدولي", "مجهولون", "من قبل", "بين", "و", "فيما", "؛", "،", ".", "؟",
    "3", "٣٦", "ثلاثة", "عنصرين", "عناصر", "مدنيين", "آخر", "آخرين", "نحو", "ما لا يقل عن", "على الأقل", "بينهم",
    "منذ", "حصيلة", "الماضي", "أمس", "اليوم", "الأحد", "آذار", "2020", "في", "بلدة", "دير الزور", "الحسكة", "كما",
    "وكانت", "قد", "عملية", "43", "عملية أمنية", "خلية", "هل", "نفى", "يضم", "كورونا", "\n", "\"", "«", "»",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(s in "\\PC{0,300}") {
        run(s, None);
    }

    #[test]
    fn word_soup(idx in proptest::collection::vec(0..WORDS.len(), 0..80), dated in any::<bool>()) {
        let text: Vec<&str> = idx.iter().map(|&i| WORDS[i]).collect();
        run(text.join(" "), dated.then(|| "2021-05-04".to_string()));
    }
}

#[test]
fn wide_whitespace_between_words() {
    // U+1680 (three bytes) and NBSP between a conjunction and a trigger.
    run("هاجم مسلحون حاجزا\u{1680}فيما\u{00A0}قصفت القوات\u{1680}بينما فر السكان".to_string(), None);
}
