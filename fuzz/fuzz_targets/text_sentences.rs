//! split_sentences(): never panics; sentences are ordered, non-overlapping, non-empty and cut
//! the text on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marsad_text::sentences::split_sentences;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let norm = marsad_text::normalize(s).text;
    for text in [s, norm.as_str()] {
        let mut prev = 0usize;
        for (a, b) in split_sentences(text) {
            assert!(a >= prev && a < b && b <= text.len(), "{a}..{b} after {prev} in {}", text.len());
            assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
            assert!(!text[a..b].trim().is_empty());
            prev = b;
        }
    }
});
