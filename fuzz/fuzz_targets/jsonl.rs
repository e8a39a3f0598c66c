//! The JSON Lines reader: never panics; every bad line is one error line naming `file:line`;
//! every document has an id and a text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marsad_ingest::{read_jsonl_text, Limits};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = read_jsonl_text(&text, "f.jsonl", &Limits::default());
    for e in &out.errors {
        let line = e.to_string();
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
        assert!(e.origin.starts_with("f.jsonl"));
    }
    for d in &out.docs {
        assert!(!d.id.trim().is_empty());
        assert!(!d.text.trim().is_empty());
        assert!(d.origin.starts_with("f.jsonl:"));
    }
});
