//! The feed and WARC readers: never panic, every error is one line naming the input.
//! The first byte chooses the reader (even: feed, odd: WARC).
#![no_main]
use libfuzzer_sys::fuzz_target;
use marsad_ingest::{feed::read_feed, warc::read_warc, Limits};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let limits = Limits::default();
    let (docs, errors) = if which % 2 == 0 {
        let o = read_feed(rest, "f.xml", &limits);
        (o.docs, o.errors)
    } else {
        let o = read_warc(rest, "c.warc", &limits);
        (o.docs, o.errors)
    };
    for e in &errors {
        let line = e.to_string();
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
    }
    for d in &docs {
        assert!(!d.text.trim().is_empty());
    }
});
