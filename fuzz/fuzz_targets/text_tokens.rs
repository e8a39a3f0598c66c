//! tokenize() and clitic splits: never panic; tokens are ordered, non-overlapping, non-empty and
//! cut the text on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marsad_text::tokens::{clitic_splits, tokenize, TokenKind};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let norm = marsad_text::normalize(s).text;
    for text in [s, norm.as_str()] {
        let toks = tokenize(text);
        let mut prev = 0usize;
        for t in &toks {
            let r = t.range();
            assert!(r.start >= prev && r.start < r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            prev = r.end;
            let w = t.text(text);
            if t.kind == TokenKind::Word {
                for (off, rest) in clitic_splits(w) {
                    assert!(off <= w.len() && w.is_char_boundary(off));
                    assert_eq!(&w[off..], rest);
                }
            }
        }
    }
});
