//! Encoding detection and decoding. OWNER: ingest helper.
//!
//! Order of evidence: a byte-order mark, then the NUL-byte pattern of BOM-less UTF-16, then strict
//! UTF-8, then `chardetng` for legacy encodings (windows-1256, ISO-8859-6, …). The decoded text is
//! kept exactly as read (line endings included) because every offset downstream refers to it; only
//! a BOM is dropped.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Text decoded from bytes, with the name of the encoding it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// "UTF-8", "UTF-16LE", "UTF-16BE", "windows-1256", … (encoding_rs names).
    pub encoding: String,
}

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary file (not text in any supported encoding)")]
    Binary,
}

/// Decodes the bytes of a document. `tld` (e.g. `b"sy"`) may help chardetng choose between
/// legacy encodings when the bytes came from a known site.
pub fn decode(bytes: &[u8], tld: Option<&[u8]>) -> Result<Decoded, DecodeError> {
    let (enc, body) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        (enc, &bytes[bom_len..])
    } else if let Some(enc) = sniff_utf16(bytes) {
        (enc, bytes)
    } else if bytes.contains(&0) {
        // NULs that are not UTF-16 structure: an executable, an image, an archive.
        return Err(DecodeError::Binary);
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, bytes)
    } else {
        let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        (det.guess(tld, Utf8Detection::Allow), bytes)
    };
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    let text = text.into_owned();
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if had_errors && replacement_ratio(&text) > 0.01 || looks_binary(&text) {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded { text, encoding: enc.name().to_string() })
}

/// BOM-less UTF-16 betrays itself by NULs in one byte parity only: ASCII (spaces, newlines,
/// digits) has a zero high byte, and Arabic letters (U+06xx) a high byte of 0x06. Returns the
/// byte order when at least a few NULs sit on one parity, none on the other, and the high bytes
/// look like text.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 {
        return None;
    }
    let pairs = bytes.len() / 2;
    let (mut nul_even, mut nul_odd) = (0usize, 0usize);
    for (i, b) in bytes.iter().enumerate().take(pairs * 2) {
        if *b == 0 {
            if i % 2 == 0 {
                nul_even += 1
            } else {
                nul_odd += 1
            }
        }
    }
    // High byte at odd positions → little endian.
    let (enc, high_parity) = if nul_odd > 0 && nul_even == 0 {
        (UTF_16LE, 1)
    } else if nul_even > 0 && nul_odd == 0 {
        (UTF_16BE, 0)
    } else {
        return None;
    };
    // Text high bytes: 0x00 (Latin/ASCII), 0x06 (Arabic), 0x20 (general punctuation),
    // 0xFB–0xFE (presentation forms, BOM). Demand most of them be such.
    let texty = bytes
        .iter()
        .skip(high_parity)
        .step_by(2)
        .filter(|b| matches!(**b, 0x00 | 0x06 | 0x20 | 0xFB..=0xFE))
        .count();
    if texty * 10 < pairs * 8 {
        return None;
    }
    Some(enc)
}

fn replacement_ratio(text: &str) -> f64 {
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|c| *c == '\u{FFFD}').count();
    bad as f64 / total as f64
}

/// Control characters other than tab, line feed, carriage return and form feed do not occur in
/// articles; more than a few in a hundred means the bytes were never text.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut ctrl = 0usize;
    for c in text.chars() {
        total += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{000C}' | '\u{0085}')) || c == '\0' {
            ctrl += 1;
        }
    }
    ctrl > 0 && ctrl * 50 > total
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1256;

    // A sentence of our own: "The council met yesterday in the city to discuss the water supply."
    const AR: &str = "اجتمع المجلس أمس في المدينة لمناقشة إمدادات المياه، وقرر توسيع الشبكة في الأحياء الشرقية.\nوقال رئيسه إن العمل يبدأ الشهر المقبل.\r\n";

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }).collect()
    }

    #[test]
    fn utf8_plain_and_bom() {
        let d = decode(AR.as_bytes(), None).unwrap();
        assert_eq!(d.text, AR);
        assert_eq!(d.encoding, "UTF-8");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(AR.as_bytes());
        let d = decode(&b, None).unwrap();
        assert_eq!(d.text, AR, "BOM stripped, CRLF kept");
    }

    #[test]
    fn windows_1256() {
        let (bytes, _, unmappable) = WINDOWS_1256.encode(AR);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, "windows-1256");
        assert_eq!(d.text, AR);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        for le in [true, false] {
            let body = utf16(AR, le);
            let d = decode(&body, None).unwrap();
            assert_eq!(d.text, AR);
            assert_eq!(d.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
            let mut b = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
            b.extend(body);
            let d = decode(&b, None).unwrap();
            assert_eq!(d.text, AR);
        }
    }

    #[test]
    fn empty_and_binary() {
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\r\n\t", None), Err(DecodeError::Empty));
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF], None), Err(DecodeError::Empty));
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R', 0, 0, 1, 0];
        assert_eq!(decode(&png, None), Err(DecodeError::Binary));
        let ctrl: Vec<u8> = (0u8..=255).cycle().take(2000).filter(|b| *b != 0).collect();
        assert_eq!(decode(&ctrl, None), Err(DecodeError::Binary));
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for n in 0..64u8 {
            let v: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            let _ = decode(&v, None);
        }
        let _ = decode(&[0xFF, 0xFE, 0x00], None);
        let _ = decode(&[0xFE, 0xFF, 0xD8, 0x00], None);
    }
}
