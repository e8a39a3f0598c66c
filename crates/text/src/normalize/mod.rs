//! Matching normalisation for Arabic news text, with a map back to the original offsets.
//!
//! The pipeline is a list of character normalisers (one unit struct each, see [`rules`]), in the
//! manner of Meilisearch's charabia: each says what one character becomes (nothing, one
//! character). The output keeps, for every byte it holds, the byte offset in the original text of
//! the character it came from, so any span found in the normalised text maps back exactly.

pub mod rules;

use rules::{Mapped, PIPELINE};

/// Normalised text plus the offset map back to the original.
#[derive(Debug, Clone, Default)]
pub struct NormalizedText {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the character it came from;
    /// one extra entry at the end holds the original length.
    orig: Vec<u32>,
    /// Length of the original text in bytes.
    orig_len: usize,
}

impl NormalizedText {
    /// Original byte offset of a normalised byte offset (a start position).
    pub fn orig_start(&self, norm_byte: usize) -> usize {
        self.orig
            .get(norm_byte)
            .copied()
            .map(|v| v as usize)
            .unwrap_or(self.orig_len)
    }

    /// Original byte offset just past the character that ends at normalised offset `norm_end`
    /// (an end position). Characters the normaliser deleted right after the span (diacritics,
    /// tatweel) are included, so "قتل" found in "قَتَلَ" maps to the whole word.
    pub fn orig_end(&self, norm_end: usize, original: &str) -> usize {
        if norm_end == 0 {
            return self.orig_start(0);
        }
        if norm_end >= self.text.len() {
            return self.orig_len;
        }
        // The next kept character starts where this span's last character (and anything the
        // normaliser dropped after it) ends.
        let next = self.orig_start(norm_end);
        let last_start = self.orig_start(norm_end - 1);
        debug_assert!(last_start <= next && next <= original.len());
        // Trim trailing whitespace that the original may hold between the two.
        let mut end = next;
        while end > last_start {
            let c = original[..end].chars().next_back().unwrap();
            if c.is_whitespace() {
                end -= c.len_utf8();
            } else {
                break;
            }
        }
        end
    }

    /// Maps a normalised byte range to an original byte range.
    pub fn orig_range(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        let s = self.orig_start(start);
        let e = self.orig_end(end, original).max(s);
        (s, e)
    }

    /// The normalised byte offset where what the original holds from `orig_byte` on begins: the
    /// first normalised byte that comes from a character at or after it (the normalised text's
    /// length when none does). `text[norm_offset(a)..norm_offset(b)]` is what the normalisation
    /// makes of `original[a..b]`.
    pub fn norm_offset(&self, orig_byte: usize) -> usize {
        // The last entry of `orig` is the original's length, past every character.
        self.orig[..self.text.len()].partition_point(|&o| (o as usize) < orig_byte)
    }

    /// Length of the original text in bytes.
    pub fn orig_len(&self) -> usize {
        self.orig_len
    }
}

/// What one character becomes after every rule of [`PIPELINE`], in order: `None` when a rule
/// drops it. The definition of the normalisation; [`fold_char`] is its compiled form.
fn fold_char_by_rules(c: char) -> Option<char> {
    let mut cur = c;
    for rule in PIPELINE {
        cur = match rule.map(cur) {
            Mapped::Keep => cur,
            Mapped::Drop => return None,
            Mapped::To(n) => n,
        };
    }
    Some(cur)
}

/// Characters below this code point (ASCII, Latin, Greek, Cyrillic, Hebrew, Arabic and its
/// supplement) are looked up in a table compiled from the rules once per process; the rest
/// (general punctuation, presentation forms, …) are rare and go through the rules.
const TABLE_LEN: usize = 0x800;
/// Table entry for a dropped character (not a valid `char`).
const DROPPED: u32 = u32::MAX;

fn fold_table() -> &'static [u32; TABLE_LEN] {
    static TABLE: std::sync::OnceLock<Box<[u32; TABLE_LEN]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([DROPPED; TABLE_LEN]);
        for (cp, slot) in t.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(cp as u32) {
                *slot = fold_char_by_rules(c).map_or(DROPPED, u32::from);
            }
        }
        t
    })
}

/// What one character becomes under the normalisation (`None`: dropped). The per-character
/// step of [`normalize`], [`fold`] and every key built from them: one table lookup for the
/// common scripts, the rule pipeline otherwise.
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    let cp = c as usize;
    if cp < TABLE_LEN {
        // Entries are either DROPPED or a code point the rules produced.
        char::from_u32(fold_table()[cp])
    } else {
        fold_char_by_rules(c)
    }
}

/// The characters of `s` as the normalisation leaves them (dropped ones left out): [`fold_char`]
/// over a string, with the table looked up once rather than per character.
pub fn fold_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    let table = fold_table();
    s.chars().filter_map(move |c| {
        let cp = c as usize;
        if cp < TABLE_LEN {
            char::from_u32(table[cp])
        } else {
            fold_char_by_rules(c)
        }
    })
}

/// Normalises `original` for matching (see [`rules`] for what each step does).
pub fn normalize(original: &str) -> NormalizedText {
    let src = original.as_bytes();
    let mut text = String::with_capacity(original.len());
    let mut orig = Vec::with_capacity(original.len() + 1);
    let table = fold_table();
    // Most characters stay as they are: they are copied a run at a time, and only the others go
    // through the table one by one (this loop runs over every character of every document).
    let mut run = 0;
    let mut i = 0;
    while i < src.len() {
        let b0 = src[i];
        // One- and two-byte characters (ASCII, Arabic) are decoded on the bytes.
        let (cp, len) = if b0 < 0x80 {
            (usize::from(b0), 1)
        } else if b0 < 0xE0 && i + 1 < src.len() {
            ((usize::from(b0 & 0x1F) << 6) | usize::from(src[i + 1] & 0x3F), 2)
        } else {
            let c = original[i..].chars().next().unwrap_or('\u{FFFD}');
            (c as usize, c.len_utf8())
        };
        if cp < TABLE_LEN && table[cp] as usize == cp {
            i += len;
            continue;
        }
        copy_run(original, run, i, &mut text, &mut orig);
        let c = original[i..].chars().next().unwrap_or('\u{FFFD}');
        if let Some(ch) = fold_char(c) {
            text.push(ch);
            orig.extend(std::iter::repeat_n(i as u32, ch.len_utf8()));
        }
        i += len;
        run = i;
    }
    copy_run(original, run, src.len(), &mut text, &mut orig);
    orig.push(original.len() as u32);
    NormalizedText {
        text,
        orig,
        orig_len: original.len(),
    }
}

/// Appends `original[a..b]`, which the normalisation leaves as it is, with the original offset
/// of each of its bytes' characters.
fn copy_run(original: &str, a: usize, b: usize, text: &mut String, orig: &mut Vec<u32>) {
    if a == b {
        return;
    }
    text.push_str(&original[a..b]);
    let mut char_start = a as u32;
    orig.extend(original.as_bytes()[a..b].iter().zip(a as u32..).map(|(&byte, at)| {
        // A byte that is no continuation byte starts a character.
        if byte & 0xC0 != 0x80 {
            char_start = at;
        }
        char_start
    }));
}

/// Normalises a short string (a lexicon entry, a gazetteer name) without keeping the map.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(fold_chars(s));
    out
}

/// Normalises and collapses runs of whitespace to one space, trimming the ends: the key form of
/// multi-word names.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in fold_chars(s) {
        if c.is_whitespace() {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_letters_and_keeps_map() {
        let src = "أعدمَ «داعش» ٣ عناصرَ";
        let n = normalize(src);
        assert_eq!(n.text, "اعدم \"داعش\" 3 عناصر");
        let i = n.text.find("داعش").unwrap();
        let (s, e) = n.orig_range(i, i + "داعش".len(), src);
        assert_eq!(&src[s..e], "داعش");
        let i = n.text.find("عناصر").unwrap();
        let (s, e) = n.orig_range(i, i + "عناصر".len(), src);
        assert_eq!(&src[s..e], "عناصرَ");
    }

    #[test]
    fn the_compiled_table_agrees_with_the_rules_for_every_character() {
        for cp in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            assert_eq!(fold_char(c), fold_char_by_rules(c), "U+{cp:04X}");
        }
    }

    /// The definition [`normalize`] compiles: every character through [`fold_char`], its
    /// original offset kept for each byte it becomes.
    fn normalize_by_chars(original: &str) -> NormalizedText {
        let mut text = String::new();
        let mut orig = Vec::new();
        for (b, c) in original.char_indices() {
            if let Some(ch) = fold_char(c) {
                text.push(ch);
                orig.extend(std::iter::repeat_n(b as u32, ch.len_utf8()));
            }
        }
        orig.push(original.len() as u32);
        NormalizedText { text, orig, orig_len: original.len() }
    }

    #[test]
    fn normalize_equals_folding_char_by_char() {
        // Every code point below 0x3100 and some beyond, one by one and in runs with Arabic.
        let mut all = String::new();
        for cp in (0..0x3100u32).chain(0xFB50..0xFF00).chain([0x1F600, 0x10FFFF]) {
            let Some(c) = char::from_u32(cp) else { continue };
            let one = c.to_string();
            let n = normalize(&one);
            let r = normalize_by_chars(&one);
            assert_eq!((&n.text, &n.orig, n.orig_len), (&r.text, &r.orig, r.orig_len), "U+{cp:04X}");
            all.push(c);
            all.push_str("قُتِلَ ");
        }
        let n = normalize(&all);
        let r = normalize_by_chars(&all);
        assert_eq!((n.text, n.orig, n.orig_len), (r.text, r.orig, r.orig_len));
        let mixed = "  أعلنت «الجهة» ـ في ٢٠٢٠\u{200F}\r\nﻻ بيان\u{00A0}جديد؛ Ok!";
        let (n, r) = (normalize(mixed), normalize_by_chars(mixed));
        assert_eq!((n.text, n.orig), (r.text, r.orig));
    }

    #[test]
    fn fold_chars_equals_fold_char_on_each() {
        let mut all = String::new();
        for cp in (0..0x3100u32).chain(0xFB50..0xFF00).chain([0x1F600, 0x10FFFF]) {
            if let Some(c) = char::from_u32(cp) {
                all.push(c);
                all.push_str("بِالقَصْف");
            }
        }
        let by_char: String = all.chars().filter_map(fold_char).collect();
        assert_eq!(fold_chars(&all).collect::<String>(), by_char);
    }

    #[test]
    fn a_slice_of_the_original_maps_to_its_normalised_form() {
        let src = "أعدمَ «داعش»\u{200F} ٣ عناصرَ ـ\r\nﻻ";
        let n = normalize(src);
        let bounds: Vec<usize> = (0..=src.len()).filter(|&i| src.is_char_boundary(i)).collect();
        for &a in &bounds {
            for &b in bounds.iter().filter(|&&b| b >= a) {
                assert_eq!(&n.text[n.norm_offset(a)..n.norm_offset(b)], fold(&src[a..b]), "{a}..{b}");
            }
        }
        assert_eq!(normalize("").norm_offset(0), 0);
    }

    #[test]
    fn fold_key_collapses_space() {
        assert_eq!(fold_key("  دير   الزور "), "دير الزور");
        assert_eq!(fold_key("الحسكة"), "الحسكه");
    }
}
