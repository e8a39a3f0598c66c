//! find_numbers() and the word tables: never panic (no overflow on long digit or word runs);
//! matches are ordered, non-overlapping, on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marsad_text::numbers::{dual_noun_with_clitics, find_numbers, number_word_value, parse_number_at};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let norm = marsad_text::normalize(s).text;
    let mut prev = 0usize;
    for m in find_numbers(&norm) {
        assert!(m.start >= prev && m.start < m.end && m.end <= norm.len());
        assert!(norm.is_char_boundary(m.start) && norm.is_char_boundary(m.end));
        let _ = m.text(&norm);
        let _ = m.value.exact();
        prev = m.end;
    }
    let _ = parse_number_at(&norm);
    for w in norm.split_whitespace().take(64) {
        let _ = number_word_value(w);
        let _ = dual_noun_with_clitics(w);
    }
});
