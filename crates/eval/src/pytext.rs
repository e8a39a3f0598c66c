//! String handling with Python's semantics: `\w`, `\s` / `str.split()`, NFC, and score.py's
//! `norm()`. Character classes come from tables generated out of Python's own `unicodedata`
//! (see `tools/gen_unicode_tables.py`), so classification agrees with the reference scorer.

use crate::unicode_tables::{CCC, COMPOSE, DECOMP, PRINTABLE, SPACE, WORD};
use std::cmp::Ordering;

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    table
        .binary_search_by(|&(a, b)| {
            if b < cp {
                Ordering::Less
            } else if a > cp {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Python `re` `\w` for str patterns.
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        in_ranges(WORD, c)
    }
}

/// Python `str.isspace()` (also `re` `\s` and the separators of `str.split()`).
pub fn is_space(c: char) -> bool {
    in_ranges(SPACE, c)
}

/// Python `str.isprintable()` for one character.
pub fn is_printable(c: char) -> bool {
    in_ranges(PRINTABLE, c)
}

/// Python `s.split()` (no argument).
pub fn py_split(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_space).filter(|w| !w.is_empty())
}

/// Python `" ".join(s.split())`.
pub fn fold_ws(s: &str) -> String {
    py_split(s).collect::<Vec<_>>().join(" ")
}

/// Python `s[:n]` for a str.
pub fn take_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

// ---------------------------------------------------------------------------------------
// NFC

const S_BASE: u32 = 0xAC00;
const L_BASE: u32 = 0x1100;
const V_BASE: u32 = 0x1161;
const T_BASE: u32 = 0x11A7;
const L_COUNT: u32 = 19;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;
const N_COUNT: u32 = V_COUNT * T_COUNT;
const S_COUNT: u32 = L_COUNT * N_COUNT;

fn ccc(c: char) -> u8 {
    let cp = c as u32;
    if cp < 0x300 {
        return 0;
    }
    match CCC.binary_search_by_key(&cp, |&(k, _)| k) {
        Ok(i) => CCC[i].1,
        Err(_) => 0,
    }
}

fn decompose_into(c: char, out: &mut Vec<char>) {
    let cp = c as u32;
    if cp < 0xC0 {
        out.push(c);
        return;
    }
    if (S_BASE..S_BASE + S_COUNT).contains(&cp) {
        let s = cp - S_BASE;
        let l = L_BASE + s / N_COUNT;
        let v = V_BASE + (s % N_COUNT) / T_COUNT;
        let t = T_BASE + s % T_COUNT;
        out.extend([l, v].iter().filter_map(|&x| char::from_u32(x)));
        if t != T_BASE {
            out.extend(char::from_u32(t));
        }
        return;
    }
    match DECOMP.binary_search_by_key(&cp, |&(k, _)| k) {
        Ok(i) => out.extend(DECOMP[i].1.iter().filter_map(|&x| char::from_u32(x))),
        Err(_) => out.push(c),
    }
}

fn compose_pair(a: char, b: char) -> Option<char> {
    let (a, b) = (a as u32, b as u32);
    if (L_BASE..L_BASE + L_COUNT).contains(&a) && (V_BASE..V_BASE + V_COUNT).contains(&b) {
        return char::from_u32(S_BASE + ((a - L_BASE) * V_COUNT + (b - V_BASE)) * T_COUNT);
    }
    if (S_BASE..S_BASE + S_COUNT).contains(&a)
        && (a - S_BASE) % T_COUNT == 0
        && (T_BASE + 1..T_BASE + T_COUNT).contains(&b)
    {
        return char::from_u32(a + (b - T_BASE));
    }
    COMPOSE
        .binary_search_by(|&(x, y, _)| (x, y).cmp(&(a, b)))
        .ok()
        .and_then(|i| char::from_u32(COMPOSE[i].2))
}

/// Unicode NFC, as Python's `unicodedata.normalize("NFC", s)`.
pub fn nfc(s: &str) -> String {
    if s.chars().all(|c| (c as u32) < 0x300) {
        return s.to_string();
    }
    // canonical decomposition
    let mut d: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        decompose_into(c, &mut d);
    }
    // canonical ordering: stable sort of each run of non-starters by combining class
    let mut i = 0;
    while i < d.len() {
        if ccc(d[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < d.len() && ccc(d[i]) != 0 {
            i += 1;
        }
        d[start..i].sort_by_key(|&c| ccc(c));
    }
    // canonical composition
    let mut out: Vec<char> = Vec::with_capacity(d.len());
    let mut starter: Option<usize> = None;
    let mut last_class: u8 = 0;
    for c in d {
        let cc = ccc(c);
        if let Some(sp) = starter {
            let adjacent = out.len() == sp + 1;
            let blocked = !adjacent && (last_class == 0 || last_class >= cc);
            if !blocked {
                if let Some(comp) = compose_pair(out[sp], c) {
                    out[sp] = comp;
                    continue;
                }
            }
        }
        if cc == 0 {
            starter = Some(out.len());
        }
        last_class = cc;
        out.push(c);
    }
    out.into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// score.py's norm()

fn is_diacritic(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0640)
}

const PREFIXES: [&str; 6] = ["وال", "بال", "لل", "فال", "كال", "ال"];

/// score.py's `norm()`: NFC, drop Arabic diacritics and tatweel, fold alef/yeh/teh-marbuta/
/// hamza-carrier variants, turn every non-word non-space character into a space, split on
/// whitespace, strip one leading article-like prefix (وال بال لل فال كال ال) from words that
/// keep at least two characters, and join with single spaces.
pub fn norm(s: &str) -> String {
    let s = nfc(s);
    let mut t = String::with_capacity(s.len());
    for c in s.chars() {
        if is_diacritic(c) {
            continue;
        }
        let c = match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            'ئ' => 'ي',
            _ => c,
        };
        t.push(if is_word(c) || is_space(c) { c } else { ' ' });
    }
    let mut words: Vec<&str> = Vec::new();
    for w in py_split(&t) {
        let mut w = w;
        let wlen = w.chars().count();
        for p in PREFIXES {
            if w.starts_with(p) && wlen > p.chars().count() + 1 {
                w = &w[p.len()..];
                break;
            }
        }
        words.push(w);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_strips_articles_and_folds_letters() {
        assert_eq!(norm("المدينة"), "مدينه");
        assert_eq!(norm("والقرية"), "قريه");
        assert_eq!(norm("بالسوق"), "سوق");
        assert_eq!(norm("للجيش"), "جيش");
        // too short to strip: word must keep two characters after the prefix
        assert_eq!(norm("الم"), "الم");
        assert_eq!(norm("أحمد إلى آخر"), "احمد الي اخر");
        assert_eq!(norm("مُحَمَّد"), "محمد");
        assert_eq!(norm("شـــارع"), "شارع");
        assert_eq!(norm("مسؤول، رئيس!"), "مسوول رييس");
        assert_eq!(norm("  a-b\t_c  "), "a b _c");
        assert_eq!(norm(""), "");
    }

    #[test]
    fn nfc_composes() {
        assert_eq!(nfc("e\u{301}"), "\u{e9}");
        assert_eq!(nfc("\u{1100}\u{1161}\u{11A8}"), "\u{AC01}");
        assert_eq!(nfc("a\u{323}\u{302}"), "\u{1EAD}");
        // Arabic alef + madda above composes to آ
        assert_eq!(nfc("\u{627}\u{653}"), "\u{622}");
        assert_eq!(nfc("plain"), "plain");
    }

    #[test]
    fn python_whitespace() {
        assert!(is_space('\u{1c}'));
        assert!(is_space('\u{a0}'));
        assert!(!is_space('\u{200b}'));
        assert_eq!(fold_ws(" a \u{1f} b\n"), "a b");
        assert_eq!(take_chars("عربي", 2), "عر");
    }
}
