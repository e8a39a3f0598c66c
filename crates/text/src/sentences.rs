//! Sentence splitting. OWNER: text helper. Contract below is fixed.
//!
//! Rules, in the order they are checked at each character:
//! 1. every line break ends a sentence (headlines carry no final punctuation, paragraphs are
//!    separated by blank lines);
//! 2. `?` and `!` end a sentence; so does `;` followed by whitespace;
//! 3. `.` ends a sentence unless it sits between two digits ("2.5", "1.4.2020"), joins an ASCII
//!    letter or digit to an ASCII letter ("sy24.net"), ends a one-letter abbreviation ("د.",
//!    "م.", "ص.", "ق.", "ه.", "ج.", "ع." or any single Latin letter), or ends a one- or two-digit
//!    list number at the start of a line ("1. ");
//! 4. a run of terminators ("..", "?!", "…" folded to ".") is one boundary, and sentences glued
//!    with no space after it ("الماضيه..هل") are split all the same;
//! 5. closing brackets after the terminator belong to the sentence, and so does a `"` that is
//!    followed by whitespace or the end (it closes a quotation);
//! 6. ranges are trimmed of whitespace; a piece holding no letter or digit (stray dots, a lone
//!    quote) is merged into the sentence before it on the same line, or kept alone if it opens
//!    the line.

/// Single Arabic letters used as abbreviations followed by a dot.
const ARABIC_ABBREV: &[char] = &['د', 'م', 'ص', 'ق', 'ه', 'ج', 'ع'];

fn is_word_char(c: char) -> bool {
    crate::is_alnum(c)
}

/// Whether the `.` at byte `i` does not end a sentence.
fn dot_is_internal(norm: &str, i: usize, line_start: usize) -> bool {
    let before = &norm[..i];
    let after = &norm[i + 1..];
    let prev = before.chars().next_back();
    let next = after.chars().next();
    let (Some(p), n) = (prev, next) else { return false };
    if p.is_ascii_digit() && n.is_some_and(|n| n.is_ascii_digit()) {
        return true;
    }
    if p.is_ascii_alphanumeric() && n.is_some_and(|n| n.is_ascii_alphabetic()) {
        return true;
    }
    // A one-letter word before the dot.
    if crate::is_alpha(p) {
        let pre = &before[..before.len() - p.len_utf8()];
        let standalone = pre.chars().next_back().map_or(true, |c| !is_word_char(c));
        if standalone && (p.is_ascii_alphabetic() || ARABIC_ABBREV.contains(&p)) {
            return true;
        }
    }
    // A list number opening the line: "1. ", "12. ".
    if p.is_ascii_digit() && n.map_or(true, char::is_whitespace) {
        let head = norm[line_start..i].trim_start();
        if (1..=2).contains(&head.len()) && head.bytes().all(|b| b.is_ascii_digit()) {
            return true;
        }
    }
    false
}

/// Whether the character at byte `i` ends a sentence (line breaks are handled by the caller).
fn is_boundary(norm: &str, i: usize, c: char, line_start: usize) -> bool {
    match c {
        '?' | '!' => true,
        ';' => norm[i + 1..].chars().next().map_or(true, char::is_whitespace),
        '.' => !dot_is_internal(norm, i, line_start),
        _ => false,
    }
}

/// Byte offset just past the terminator run starting at `i` and any closers after it.
fn boundary_end(norm: &str, i: usize) -> usize {
    let b = norm.as_bytes();
    let mut j = i;
    while j < b.len() && matches!(b[j], b'.' | b'?' | b'!' | b';') {
        j += 1;
    }
    loop {
        match b.get(j) {
            Some(b')' | b']' | b'}') => j += 1,
            Some(b'"') => {
                let after = norm[j + 1..].chars().next();
                if after.map_or(true, |c| c.is_whitespace() || matches!(c, ')' | ']' | '"')) {
                    j += 1;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    j
}

struct Acc {
    out: Vec<(usize, usize)>,
    /// Whether the last pushed sentence lies on the current line.
    line_has_sentence: bool,
}

impl Acc {
    fn push(&mut self, norm: &str, start: usize, end: usize) {
        let piece = &norm[start..end];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if trimmed.is_empty() {
            return;
        }
        let (s, e) = (start + lead, start + lead + trimmed.len());
        if !trimmed.chars().any(crate::is_alnum) && self.line_has_sentence {
            if let Some(last) = self.out.last_mut() {
                last.1 = e;
                return;
            }
        }
        self.out.push((s, e));
        self.line_has_sentence = true;
    }
}

/// Splits normalised text into sentences: byte ranges, trimmed of surrounding whitespace, never
/// empty. Breaks at '.', '?', '!', '…' (folded to '.'), ';' when followed by space, and at every
/// line break; not inside decimals ("2.5"), numeric dates ("26/5/2020", "1.4.2020") or
/// abbreviations ("د.", "م.", "ص.", single Latin capitals).
pub fn split_sentences(norm: &str) -> Vec<(usize, usize)> {
    let mut acc = Acc { out: Vec::new(), line_has_sentence: false };
    let mut seg = 0;
    let mut line_start = 0;
    let mut it = norm.char_indices();
    while let Some((i, c)) = it.next() {
        if c == '\n' {
            acc.push(norm, seg, i);
            seg = i + 1;
            line_start = seg;
            acc.line_has_sentence = false;
        } else if matches!(c, '.' | '?' | '!' | ';') && is_boundary(norm, i, c, line_start) {
            let end = boundary_end(norm, i);
            acc.push(norm, seg, end);
            seg = end;
            // Skip what the run consumed (all ASCII, so byte counts equal char counts).
            for _ in i + 1..end {
                it.next();
            }
        }
    }
    acc.push(norm, seg, norm.len());
    acc.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        split_sentences(s).into_iter().map(|(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn empty_and_blank() {
        assert!(split("").is_empty());
        assert!(split("  \n\n \t").is_empty());
    }

    #[test]
    fn headline_then_paragraphs() {
        let s = "عنوان بلا نقطه\n\nالفقره الاولي هنا. والثانيه هناك.\nسطر اخير";
        assert_eq!(
            split(s),
            vec!["عنوان بلا نقطه", "الفقره الاولي هنا.", "والثانيه هناك.", "سطر اخير"]
        );
    }

    #[test]
    fn glued_double_dot_and_question() {
        let s = "وقعت اشتباكات عنيفه امس..هل تتجدد المعارك? ربما!";
        assert_eq!(split(s), vec!["وقعت اشتباكات عنيفه امس..", "هل تتجدد المعارك?", "ربما!"]);
    }

    #[test]
    fn glued_single_dot() {
        assert_eq!(split("انتهي الاجتماع.وبدا القصف"), vec!["انتهي الاجتماع.", "وبدا القصف"]);
    }

    #[test]
    fn ellipsis_folded() {
        // "…" arrives as "." from the normaliser.
        let n = crate::normalize("هدوء حذر هنا وهناك… هل يعود التوتر؟");
        assert_eq!(split(&n.text), vec!["هدوء حذر هنا وهناك.", "هل يعود التوتر?"]);
    }

    #[test]
    fn decimals_and_dates_do_not_break() {
        let s = "ارتفع المؤشر 2.5 نقطه يوم 1.4.2020 وفي 26/5/2020 ايضا. ثم هدا.";
        assert_eq!(split(s), vec!["ارتفع المؤشر 2.5 نقطه يوم 1.4.2020 وفي 26/5/2020 ايضا.", "ثم هدا."]);
    }

    #[test]
    fn number_then_period_breaks() {
        assert_eq!(split("وصل العدد الي 40. وقال المصدر"), vec!["وصل العدد الي 40.", "وقال المصدر"]);
        assert_eq!(split("في عام 2019.وبعدها"), vec!["في عام 2019.", "وبعدها"]);
    }

    #[test]
    fn abbreviations() {
        assert_eq!(split("صرح د. سامر للصحفيين. وانتهي"), vec!["صرح د. سامر للصحفيين.", "وانتهي"]);
        assert_eq!(split("ولد عام 1950 م. في حمص"), vec!["ولد عام 1950 م. في حمص"]);
        assert_eq!(split("قال j. smith ذلك."), vec!["قال j. smith ذلك."]);
        // A longer word ending in the same letter is no abbreviation.
        assert_eq!(split("وصلنا الي الحمام. ثم عدنا"), vec!["وصلنا الي الحمام.", "ثم عدنا"]);
    }

    #[test]
    fn domains_stay_whole() {
        assert_eq!(split("نقلا عن موقع sy24.net اليوم."), vec!["نقلا عن موقع sy24.net اليوم."]);
    }

    #[test]
    fn semicolon_needs_space() {
        assert_eq!(split("الاول; الثاني"), vec!["الاول;", "الثاني"]);
        assert_eq!(split("الاول;الثاني"), vec!["الاول;الثاني"]);
    }

    #[test]
    fn closing_quote_and_bracket_stay() {
        let s = "قال المتحدث \"انتهت العمليه.\" ثم غادر (بسرعه.) وانتهي";
        assert_eq!(split(s), vec!["قال المتحدث \"انتهت العمليه.\"", "ثم غادر (بسرعه.)", "وانتهي"]);
        // An opening quote after the dot goes with the next sentence.
        assert_eq!(split("انتهي.\"بدايه\" جديده"), vec!["انتهي.", "\"بدايه\" جديده"]);
    }

    #[test]
    fn punctuation_only_pieces_merge() {
        assert_eq!(split("انتهي . . ."), vec!["انتهي . . ."]);
        assert_eq!(split("***\nنص"), vec!["***", "نص"]);
    }

    #[test]
    fn list_numbers() {
        assert_eq!(split("1. البند الاول\n2. البند الثاني"), vec!["1. البند الاول", "2. البند الثاني"]);
    }

    #[test]
    fn crlf_and_trailing_space() {
        let n = crate::normalize("سطر اول\r\nسطر ثان  ");
        assert_eq!(split(&n.text), vec!["سطر اول", "سطر ثان"]);
    }

    #[test]
    fn ranges_are_trimmed_nonempty_ordered() {
        let s = "  اولا.  ثانيا?!  \n\n ثالثا ;  رابعا  ";
        let r = split_sentences(s);
        let mut prev = 0;
        for &(a, b) in &r {
            assert!(a < b && a >= prev);
            assert_eq!(s[a..b].trim(), &s[a..b]);
            prev = b;
        }
        assert_eq!(split(s), vec!["اولا.", "ثانيا?!", "ثالثا ;", "رابعا"]);
    }
}
