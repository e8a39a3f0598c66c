//! The HTML reader: decoding (declared and detected charsets), main-content extraction and
//! fragment text never panic, and what they give is well-formed: a text with no blank-only
//! lines but the block separators and a headline that is the first line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marsad_ingest::html::{decode_html, extract_page, fragment_text};
use marsad_ingest::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Ok(d) = decode_html(data, None) else { return };
    match extract_page(&d.text, &limits) {
        Ok(p) => {
            assert!(p.text.ends_with('\n'));
            assert!(!p.text.contains("\n\n\n"), "{:?}", p.text);
            for line in p.text.lines() {
                assert_eq!(line, line.trim(), "lines are trimmed");
            }
            if let Some(t) = &p.meta.title {
                assert!(p.text.starts_with(t.as_str()));
            }
            if let Some(date) = &p.meta.published {
                assert!(matches!(date.len(), 4 | 7 | 10), "{date}");
            }
        }
        Err(e) => assert!(!e.to_string().contains('\n')),
    }
    if let Ok(t) = fragment_text(&d.text, &limits) {
        assert!(!t.contains("\n\n\n"));
    }
});
