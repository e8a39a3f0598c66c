//! Tokens with byte offsets into normalised text, and clitic analyses (non-destructive).
//! OWNER: text helper. Contract below is fixed; implementation may change.
//!
//! Rules of [`tokenize`]:
//! - a **Word** is a maximal run of letters (anything `crate::is_alnum` that is not an
//!   ASCII digit) plus combining marks and ZWJ/ZWNJ inside it, so unnormalised input still
//!   tokenises sensibly;
//! - a **Number** is a run of ASCII digits, continued by `.` + digits (decimals, dotted dates
//!   such as "1.4.2020" stay one token) and by `,` + exactly three digits when the leading group
//!   has at most three digits ("12,000" but not "2015,250" nor "3,4");
//! - letters and digits glued together split into separate tokens ("ل67" → Word "ل",
//!   Number "67"), because the normaliser drops the tatweel of "لـ67";
//! - a **Newline** spans from the first to the last line break of a whitespace run (blank lines
//!   make one token);
//! - every other non-space character is one **Punct** token.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of letters (Arabic or Latin).
    Word,
    /// A run of digits, possibly with thousands separators or a decimal point ("12,000", "2.5").
    Number,
    /// One punctuation character.
    Punct,
    /// One or more line breaks.
    Newline,
}

/// A token: byte offsets into the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, norm: &'a str) -> &'a str {
        &norm[self.start as usize..self.end as usize]
    }

    /// Byte range as `usize`s.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Combining marks and joiners that may sit inside a word of unnormalised text.
#[inline]
fn is_word_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}' | '\u{0640}' | '\u{200C}' | '\u{200D}')
}

/// The character starting at byte `i` of `text` (a character boundary), decoded on the bytes for
/// one- and two-byte characters (ASCII, Arabic): the tokenizer asks for every character.
#[inline]
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes();
    match b[i] {
        b0 @ 0..=0x7F => b0 as char,
        b0 @ 0xC2..=0xDF if i + 1 < b.len() => {
            char::from_u32((u32::from(b0 & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F)).unwrap_or('\u{FFFD}')
        }
        _ => text[i..].chars().next().unwrap_or('\u{FFFD}'),
    }
}

#[inline]
fn is_word_char(c: char) -> bool {
    (crate::is_alnum(c) && !c.is_ascii_digit()) || is_word_mark(c)
}

/// Length of the Number token starting at `i` (which holds an ASCII digit).
fn number_len(b: &[u8], i: usize) -> usize {
    let digits = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let mut j = digits(i);
    let lead = j - i;
    // Thousands groups: only after a short leading group, and exactly three digits each.
    if lead <= 3 {
        while j + 4 <= b.len()
            && b[j] == b','
            && b[j + 1..j + 4].iter().all(u8::is_ascii_digit)
            && !b.get(j + 4).is_some_and(u8::is_ascii_digit)
        {
            j += 4;
        }
    }
    // Decimal point(s): "2.5", "1.4.2020".
    while j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
        j = digits(j + 1);
    }
    j - i
}

/// Splits normalised text into tokens (spaces are not tokens).
pub fn tokenize(norm: &str) -> Vec<Token> {
    let b = norm.as_bytes();
    // Arabic words average ~6 bytes + a space: a cheap over-estimate avoids regrowth.
    let mut out = Vec::with_capacity(norm.len() / 6 + 1);
    let mut i = 0;
    let tok = |s: usize, e: usize, kind| Token { start: s as u32, end: e as u32, kind };
    while i < b.len() {
        let c0 = b[i];
        if c0.is_ascii_digit() {
            let n = number_len(b, i);
            out.push(tok(i, i + n, TokenKind::Number));
            i += n;
            continue;
        }
        // SAFETY of slicing: `i` is always on a char boundary (we advance by whole chars).
        let c = char_at(norm, i);
        let cl = c.len_utf8();
        if c == '\n' {
            // Newline run: through any following whitespace, ending after the last '\n'.
            let mut last_nl_end = i + 1;
            let mut j = i + 1;
            while j < b.len() {
                let d = norm[j..].chars().next().unwrap_or('x');
                if d == '\n' {
                    j += 1;
                    last_nl_end = j;
                } else if d.is_whitespace() {
                    j += d.len_utf8();
                } else {
                    break;
                }
            }
            out.push(tok(i, last_nl_end, TokenKind::Newline));
            i = last_nl_end;
        } else if c.is_whitespace() {
            i += cl;
        } else if is_word_char(c) {
            let mut j = i + cl;
            while j < b.len() {
                if b[j].is_ascii_digit() {
                    break;
                }
                let d = char_at(norm, j);
                if !is_word_char(d) {
                    break;
                }
                j += d.len_utf8();
            }
            out.push(tok(i, j, TokenKind::Word));
            i = j;
        } else {
            out.push(tok(i, i + cl, TokenKind::Punct));
            i += cl;
        }
    }
    out
}

/// The proclitic prefixes split off by [`clitic_splits`], shortest first (so that the analyses
/// come out in order of increasing prefix length). "لل" is ل + ال with the alef elided.
pub const PROCLITICS: &[&str] = &[
    "و", "ف", "ب", "ل", "ك", //
    "ال", "لل", "وب", "ول", "وك", "فب", "فل", "فك", //
    "وال", "فال", "بال", "كال", "ولل", "فلل", //
    "وبال", "فبال", "وكال", "فكال",
];

/// Every run of proclitics a word may be written behind, in their order: an optional
/// conjunction (و، ف), an optional preposition (ب، ل، ك) and, with `article`, an optional
/// definite article (ال, or its ل alone: ل + ال is written لل). The empty run comes first. A
/// lookup compiles the written forms of its words from these, each kept only if its own rules
/// read it (so a run the rules refuse costs nothing but the try).
pub fn proclitic_runs(article: bool) -> impl Iterator<Item = String> {
    let articles: &'static [&'static str] = if article { &["", "ال", "ل"] } else { &[""] };
    ["", "و", "ف"].into_iter().flat_map(move |conj| {
        ["", "ب", "ل", "ك"]
            .into_iter()
            .flat_map(move |prep| articles.iter().map(move |art| format!("{conj}{prep}{art}")))
    })
}

/// Whether `s` holds at least two characters (without counting them all).
#[inline]
fn at_least_two_chars(s: &str) -> bool {
    let mut it = s.chars();
    it.next().is_some() && it.next().is_some()
}

/// Iterator over the clitic analyses of a word; see [`clitic_splits`]. Allocation-free, for hot
/// loops.
#[derive(Debug, Clone)]
pub struct CliticSplits<'a> {
    word: &'a str,
    /// Index into `PROCLITICS`, or `None` before the whole word has been yielded.
    next: Option<usize>,
}

impl<'a> Iterator for CliticSplits<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let Some(mut k) = self.next else {
            self.next = Some(0);
            return Some((0, self.word));
        };
        while k < PROCLITICS.len() {
            let p = PROCLITICS[k];
            k += 1;
            if let Some(stem) = self.word.strip_prefix(p) {
                if at_least_two_chars(stem) {
                    self.next = Some(k);
                    return Some((p.len(), stem));
                }
            }
        }
        self.next = Some(k);
        None
    }
}

/// Allocation-free form of [`clitic_splits`].
pub fn clitic_splits_iter(word: &str) -> CliticSplits<'_> {
    CliticSplits { word, next: None }
}

/// The clitic analyses of a normalised word, as (prefix length in bytes, stem): always the whole
/// word first, then every split off of the proclitics و ف ب ل ك ال لل and their combinations
/// (وال، بال، فال، كال، ولل، فلل، وب، ول، فب …) that leaves a stem of at least two letters.
pub fn clitic_splits(word: &str) -> Vec<(usize, &str)> {
    clitic_splits_iter(word).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds_texts(s: &str) -> Vec<(TokenKind, &str)> {
        tokenize(s).iter().map(|t| (t.kind, t.text(s))).collect()
    }

    #[test]
    fn decoding_on_bytes_agrees_with_the_standard_decoder() {
        let t = "aé ب٣ ۝ € 😀 ࠀ \u{07FF}\u{0080}";
        for (i, c) in t.char_indices() {
            assert_eq!(char_at(t, i), c, "at {i}");
        }
    }

    #[test]
    fn words_numbers_punct() {
        assert_eq!(
            kinds_texts("هاجم مسلحون 12,000 منزل, وقتل 2.5 شخص!"),
            vec![
                (Word, "هاجم"),
                (Word, "مسلحون"),
                (Number, "12,000"),
                (Word, "منزل"),
                (Punct, ","),
                (Word, "وقتل"),
                (Number, "2.5"),
                (Word, "شخص"),
                (Punct, "!"),
            ]
        );
    }

    #[test]
    fn clitic_glued_to_digits_splits() {
        assert_eq!(kinds_texts("ل67"), vec![(Word, "ل"), (Number, "67")]);
        assert_eq!(kinds_texts("ال24 ساعه"), vec![(Word, "ال"), (Number, "24"), (Word, "ساعه")]);
        assert_eq!(kinds_texts("3عناصر"), vec![(Number, "3"), (Word, "عناصر")]);
    }

    #[test]
    fn separators_rules() {
        assert_eq!(kinds_texts("3,4"), vec![(Number, "3"), (Punct, ","), (Number, "4")]);
        assert_eq!(kinds_texts("2015,250"), vec![(Number, "2015"), (Punct, ","), (Number, "250")]);
        assert_eq!(kinds_texts("1,234,567"), vec![(Number, "1,234,567")]);
        assert_eq!(kinds_texts("1,2345"), vec![(Number, "1"), (Punct, ","), (Number, "2345")]);
        assert_eq!(kinds_texts("1.4.2020"), vec![(Number, "1.4.2020")]);
        assert_eq!(kinds_texts("2019."), vec![(Number, "2019"), (Punct, ".")]);
        assert_eq!(kinds_texts("2019.وقال"), vec![(Number, "2019"), (Punct, "."), (Word, "وقال")]);
        assert_eq!(
            kinds_texts("26/5/2020"),
            vec![(Number, "26"), (Punct, "/"), (Number, "5"), (Punct, "/"), (Number, "2020")]
        );
        assert_eq!(kinds_texts("12,000.5"), vec![(Number, "12,000.5")]);
        assert_eq!(kinds_texts("12,"), vec![(Number, "12"), (Punct, ",")]);
    }

    #[test]
    fn newlines_collapse() {
        let s = "عنوان\n \n\nنص اول\nنص";
        let t = kinds_texts(s);
        assert_eq!(t[1], (Newline, "\n \n\n"));
        assert_eq!(t[4], (Newline, "\n"));
        assert_eq!(t.len(), 6);
    }

    #[test]
    fn latin_and_marks() {
        assert_eq!(kinds_texts("sy24 news"), vec![(Word, "sy"), (Number, "24"), (Word, "news")]);
        // Unnormalised harakat stay inside the word.
        assert_eq!(kinds_texts("قُتِلَ"), vec![(Word, "قُتِلَ")]);
        assert_eq!(kinds_texts("\"داعش\""), vec![(Punct, "\""), (Word, "داعش"), (Punct, "\"")]);
    }

    #[test]
    fn empty_and_space_only() {
        assert!(tokenize("").is_empty());
        assert!(tokenize("   \t ").is_empty());
        assert_eq!(kinds_texts("\n"), vec![(Newline, "\n")]);
    }

    #[test]
    fn offsets_are_char_boundaries() {
        let s = "وقال: 3 عناصر؟ 🙂 ok";
        for t in tokenize(s) {
            assert!(s.is_char_boundary(t.start as usize) && s.is_char_boundary(t.end as usize));
            assert!(t.start < t.end);
        }
    }

    #[test]
    fn clitic_splits_orders_whole_first() {
        let splits = clitic_splits("والمسلحين");
        assert_eq!(splits[0], (0, "والمسلحين"));
        assert_eq!(splits[1], ("و".len(), "المسلحين"));
        assert_eq!(splits[2], ("وال".len(), "مسلحين"));
        assert_eq!(splits.len(), 3);
    }

    #[test]
    fn clitic_splits_lil() {
        let stems: Vec<&str> = clitic_splits("للمدنيين").into_iter().map(|x| x.1).collect();
        assert_eq!(stems, vec!["للمدنيين", "لمدنيين", "مدنيين"]);
        let stems: Vec<&str> = clitic_splits("فللقوات").into_iter().map(|x| x.1).collect();
        assert_eq!(stems, vec!["فللقوات", "للقوات", "لقوات", "قوات"]);
    }

    #[test]
    fn clitic_splits_combinations() {
        let stems: Vec<&str> = clitic_splits("وبالقرب").into_iter().map(|x| x.1).collect();
        assert_eq!(stems, vec!["وبالقرب", "بالقرب", "القرب", "قرب"]);
        let stems: Vec<&str> = clitic_splits("كالعاده").into_iter().map(|x| x.1).collect();
        assert_eq!(stems, vec!["كالعاده", "العاده", "عاده"]);
        let stems: Vec<&str> = clitic_splits("فبعد").into_iter().map(|x| x.1).collect();
        assert_eq!(stems, vec!["فبعد", "بعد", "عد"]);
    }

    #[test]
    fn clitic_splits_keeps_two_letter_stems() {
        // "ولد": و + "لد" is allowed (two letters), ول + "د" is not.
        let splits = clitic_splits("ولد");
        assert_eq!(splits, vec![(0, "ولد"), (2, "لد")]);
        assert_eq!(clitic_splits("و"), vec![(0, "و")]);
        assert_eq!(clitic_splits(""), vec![(0, "")]);
        assert_eq!(clitic_splits("بال"), vec![(0, "بال"), (2, "ال")]);
    }

    #[test]
    fn prefix_lengths_match_stems() {
        for w in ["والمسلحين", "فللقوات", "بالرقه", "كطفل", "abc"] {
            for (p, stem) in clitic_splits(w) {
                assert_eq!(&w[p..], stem);
            }
        }
    }

    #[test]
    fn proclitic_runs_are_each_conjunction_preposition_and_article_once() {
        let bare: Vec<String> = proclitic_runs(false).collect();
        assert_eq!(bare.len(), 12);
        assert_eq!(bare[0], "");
        for run in ["و", "فب", "وك", "ل"] {
            assert!(bare.iter().any(|r| r == run), "{run}");
        }
        assert!(!bare.iter().any(|r| r.contains("ال")));
        let with_article: Vec<String> = proclitic_runs(true).collect();
        // (Some runs come twice, ل as a preposition or as the article: harmless to a lookup.)
        assert_eq!(with_article.len(), 36);
        // وللمدينة: و + ل + (ا)ل; بالمدينة: ب + ال.
        for run in ["", "ال", "لل", "ولل", "بال", "فكال"] {
            assert!(with_article.iter().any(|r| r == run), "{run}");
        }
    }
}
