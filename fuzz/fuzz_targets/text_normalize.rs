//! normalize(): never panics, and the offset map stays inside the original, on character
//! boundaries, in order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marsad_text::normalize::{fold, fold_key, normalize};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let n = normalize(s);
    assert_eq!(n.orig_len(), s.len());
    let mut prev = 0;
    for (b, _) in n.text.char_indices() {
        let o = n.orig_start(b);
        assert!(o >= prev && o <= s.len() && s.is_char_boundary(o));
        prev = o;
        let e = n.orig_end(b, s);
        assert!(e <= s.len() && s.is_char_boundary(e));
    }
    let len = n.text.len();
    let (a, e) = n.orig_range(0, len, s);
    assert!(a <= e && e <= s.len());
    let _ = &s[a..e];
    let _ = fold(s);
    let _ = fold_key(s);
});
