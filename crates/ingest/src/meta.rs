//! Document metadata: title, outlet, byline, boilerplate. OWNER: ingest helper. Contract fixed.
//!
//! The text is looked at line by line. Page furniture is recognised by general signals, never by
//! the lines of any particular site:
//! - short Latin-only lines in an Arabic article (share buttons, ad placeholders);
//! - site phrases from `data/furniture.tsv` (print, "read more", newsletter prompts, …);
//! - dateline-shaped lines (weekday, date, time and nothing else);
//! - lines that repeat the headline, fully or truncated;
//! - bylines: a byline keyword and a name, or a short personal-name line in the header;
//! - outlet lines: the given outlet's name alone on a line, "NAME - خاص", or a short
//!   outlet-shaped line ("… نيوز", "وكالة …") in the header.
//!
//! The *header* is the run of short lines between the headline and the first line of prose; the
//! weaker signals (a name-shaped line, an outlet-shaped word) only count there.
use crate::published::{infer_published_with, PublishedFound};
use marsad_model::{DatePrecision, DocRecord, Document, Published};
use marsad_text::dates::{Anchor, Date, Precision};
use marsad_text::normalize::fold_chars;
use std::collections::HashSet;
use std::sync::OnceLock;

/// What the analysis of a document's text found.
#[derive(Debug, Clone)]
pub struct DocAnalysis {
    /// The `doc` record of the export.
    pub record: DocRecord,
    /// Byte ranges (in `Document::text`) of lines judged page furniture, including the byline and
    /// dateline lines. Extraction skips them.
    pub boilerplate: Vec<(usize, usize)>,
    /// Byte range of the headline line, when one was found (extraction reads it: headlines often
    /// carry the event).
    pub title: Option<(usize, usize)>,
    /// The publication date as an anchor for relative dates, when known.
    pub anchor: Option<Anchor>,
    /// The normalised text and its date expressions, computed once here and handed on to
    /// extraction (which takes them).
    pub norm: Option<marsad_text::NormalizedText>,
    pub dates: Vec<marsad_text::dates::DateFound>,
}

/// Analyses a document's text and given metadata.
pub fn analyse(doc: &Document) -> DocAnalysis {
    let norm = marsad_text::normalize(&doc.text);
    let lines = split_lines(&doc.text, &norm);
    let arabic_doc = is_mostly_arabic(&doc.text);
    let mut furn: Vec<Option<Furniture>> =
        lines.iter().map(|l| context_free(l, arabic_doc)).collect();

    // The headline: the given title's line, else the first line with letters that is not
    // furniture on its own.
    let given_title = doc
        .given
        .title
        .as_deref()
        .map(clean)
        .filter(|t| !t.is_empty());
    let title_idx = match &given_title {
        Some(t) => {
            let k = key(t);
            lines.iter().position(|l| l.key == k)
        }
        None => lines
            .iter()
            .enumerate()
            .position(|(i, l)| furn[i].is_none() && has_letter(l.text)),
    };
    if let Some(i) = title_idx {
        // A given title overrides whatever a context-free rule thought of its line.
        furn[i] = None;
    }
    let title_key = match (&given_title, title_idx) {
        (Some(t), _) => key(t),
        (None, Some(i)) => lines[i].key.clone(),
        (None, None) => String::new(),
    };

    let given_outlet = doc
        .given
        .outlet
        .as_deref()
        .map(clean_outlet)
        .filter(|o| !o.is_empty());
    let outlet_key = given_outlet.as_deref().map(key);
    let header = header_range(&lines, &furn, title_idx, &title_key);
    for (i, l) in lines.iter().enumerate() {
        if Some(i) == title_idx || furn[i].is_some() || l.key.is_empty() {
            continue;
        }
        if repeats_title(&l.key, &title_key, header.contains(&i)) {
            furn[i] = Some(Furniture::TitleRepeat);
        } else if outlet_key.as_deref() == Some(l.key.as_str()) {
            furn[i] = Some(Furniture::Outlet(None));
        }
    }

    // Header lines: outlet-shaped and name-shaped lines, and "OUTLET – NAME".
    // A header that already shows a dateline, an outlet or a byline is a byline block: a
    // name-shaped line in it is the author even when the first name is not in our list.
    let header_has_furniture = header.clone().any(|i| {
        matches!(
            furn[i],
            Some(
                Furniture::Dateline
                    | Furniture::Outlet(_)
                    | Furniture::OutletByline(..)
                    | Furniture::KeywordByline(_)
            )
        )
    });
    let header_keys: Vec<&str> = header.clone().map(|i| lines[i].key.as_str()).collect();
    for i in header.clone() {
        if furn[i].is_some() {
            continue;
        }
        let l = &lines[i];
        if let Some((outlet, name)) = outlet_dash_name(l.text) {
            furn[i] = Some(Furniture::OutletByline(outlet, name));
        } else if given_outlet.is_none() && outlet_shaped(&l.key) {
            furn[i] = Some(Furniture::Outlet(Some(l.text.to_string())));
        } else if name_shaped(&l.key) {
            let first_known = l
                .key
                .split(' ')
                .next()
                .is_some_and(|w| lex().given_names.contains(w));
            let echoed = header_keys
                .iter()
                .any(|k| *k != l.key && contains_words(k, &l.key));
            if first_known || echoed || header_has_furniture {
                furn[i] = Some(Furniture::Byline(l.text.to_string()));
            }
        }
    }

    // Dateline from the publication-date inference.
    let dates = marsad_text::dates::find_dates_marked(&norm.text);
    let found: Option<PublishedFound> =
        infer_published_with(&doc.text, &norm, &dates, doc.given.published.as_deref());
    if let Some(PublishedFound {
        span: Some((s, _)),
        dateline_line: true,
        ..
    }) = &found
    {
        if let Some(i) = lines
            .iter()
            .position(|l| l.raw_start <= *s && *s <= l.raw_end)
        {
            if Some(i) != title_idx && furn[i].is_none() {
                furn[i] = Some(Furniture::Dateline);
            }
        }
    }

    // Outlet: given, else an outlet line, else the "(NAME) –" opening of the lede.
    let mut outlet = given_outlet.clone();
    let mut byline = doc
        .given
        .byline
        .as_deref()
        .map(clean)
        .filter(|b| !b.is_empty());
    let mut keyword_byline = None;
    for f in furn.iter().flatten() {
        match f {
            Furniture::Outlet(Some(o)) if outlet.is_none() => outlet = Some(o.clone()),
            Furniture::OutletByline(o, n) => {
                if outlet.is_none() {
                    outlet = Some(o.clone());
                }
                if byline.is_none() {
                    byline = n.clone();
                }
            }
            Furniture::Byline(b) if byline.is_none() => byline = Some(b.clone()),
            Furniture::KeywordByline(b) if keyword_byline.is_none() => {
                keyword_byline = Some(b.clone())
            }
            _ => {}
        }
    }
    let byline = byline.or(keyword_byline);
    if outlet.is_none() {
        let lede = header.end;
        outlet = lines.get(lede).and_then(|l| lede_outlet(l.text));
    }

    let mut boilerplate = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for (l, f) in lines.iter().zip(&furn) {
        if f.is_some() {
            boilerplate.push((l.start, l.end));
            if !texts.iter().any(|t| t == l.text) {
                texts.push(l.text.to_string());
            }
        }
    }

    let (published, anchor) = match found {
        Some(f) => (Some(f.published), Some(f.anchor)),
        None => match doc.given.published.as_deref().and_then(given_date) {
            Some((p, a)) => (Some(p), Some(a)),
            None => (None, None),
        },
    };

    let title_text = given_title.or_else(|| title_idx.map(|i| lines[i].text.to_string()));
    DocAnalysis {
        record: DocRecord {
            kind: "doc".into(),
            doc: doc.id.clone(),
            title: title_text,
            outlet,
            byline,
            url: doc.given.url.clone(),
            published,
            boilerplate: texts,
            language: "ar".into(),
            encoding: doc.encoding.clone(),
            // Offsets refer to the text as read: a .txt file or a JSON Lines record holds it
            // already; for a page, a feed item or a WARC record the record carries the text
            // that was extracted from it.
            text: carries_text(&doc.origin).then(|| doc.text.clone()),
        },
        boilerplate,
        title: title_idx.map(|i| (lines[i].start, lines[i].end)),
        anchor,
        norm: Some(norm),
        dates,
    }
}

/// Why a line is furniture. Payloads carry what the line tells about the document.
#[derive(Debug, Clone, PartialEq)]
enum Furniture {
    /// Short Latin-only line in an Arabic article: share buttons, ad placeholders.
    Latin,
    /// A site phrase of `furniture.tsv`.
    Phrase,
    /// Weekday, date and time and nothing else.
    Dateline,
    TitleRepeat,
    /// The outlet's name, when the line gives it.
    Outlet(Option<String>),
    /// "OUTLET – NAME" or "NAME - خاص".
    OutletByline(String, Option<String>),
    /// A personal-name line in the header.
    Byline(String),
    /// "تحرير: …", "إعداد: … – تحرير: …": the whole line is the byline.
    KeywordByline(String),
}

/// One line of the text: its trimmed byte range, raw range (before trimming, without the line
/// break), trimmed text and comparison key.
#[derive(Debug)]
struct Line<'a> {
    start: usize,
    end: usize,
    raw_start: usize,
    raw_end: usize,
    text: &'a str,
    key: String,
    /// Words of the key ([`word_count`]), counted once: every rule asks.
    words: usize,
}

/// The lines of `text`, with their keys read off `norm`, its normalisation.
fn split_lines<'a>(text: &'a str, norm: &marsad_text::NormalizedText) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for piece in text.split('\n') {
        let raw_start = pos;
        pos += piece.len() + 1;
        let body = piece.strip_suffix('\r').unwrap_or(piece);
        let lead = body.len() - body.trim_start_matches(is_space).len();
        let trimmed = body.trim_matches(is_space);
        let start = raw_start + lead;
        // A line of prose is never a headline, a byline or page furniture: no key to compare.
        let key = if trimmed.len() <= 600 {
            key_of_normalised(&norm.text[norm.norm_offset(start)..norm.norm_offset(start + trimmed.len())])
        } else {
            String::new()
        };
        out.push(Line {
            start,
            end: start + trimmed.len(),
            raw_start,
            raw_end: raw_start + body.len(),
            text: trimmed,
            words: word_count(&key),
            key,
        });
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{2066}'..='\u{2069}')
}

/// The comparison form of a line: folded (hamza, ta marbuta, diacritics, digits), every
/// non-alphanumeric character a space, spaces collapsed.
fn key(s: &str) -> String {
    // One pass: fold each character as it comes (no intermediate copies: every line of every
    // document gets a key).
    words_spaced(fold_chars(s), s.len())
}

/// [`key`] of a text already normalised (the normalisation is done for the whole document once,
/// and every line of every document gets a key).
fn key_of_normalised(norm: &str) -> String {
    words_spaced(norm.chars(), norm.len())
}

/// The runs of letters and digits of `chars`, one space between them.
fn words_spaced(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut gap = false;
    for c in chars {
        if marsad_text::is_alnum(c) {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        } else {
            gap = !out.is_empty();
        }
    }
    out
}

/// Whether the document's text was made by marsad (from HTML, a feed or WARC) rather than read
/// as it is.
fn carries_text(origin: &str) -> bool {
    let o = origin.to_ascii_lowercase();
    !(o.ends_with(".txt")
        || o.contains(".jsonl:")
        || o.ends_with(".jsonl")
        || o.is_empty()
        || o == "test")
}

/// Whitespace folded, for texts reported in the record.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A given outlet sometimes carries a note in parentheses ("NAME (site.com; …)"): the name is
/// what comes before it.
fn clean_outlet(s: &str) -> String {
    let s = clean(s);
    if s.ends_with(')') {
        if let Some(open) = s.find('(') {
            let head = s[..open].trim();
            if !head.is_empty() {
                return head.to_string();
            }
        }
    }
    s
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && marsad_text::is_alpha(c)
}

fn has_letter(s: &str) -> bool {
    s.chars().any(marsad_text::is_alpha)
}

/// More than half the letters of `text` are Arabic.
fn is_mostly_arabic(text: &str) -> bool {
    let (mut ar, mut all) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut i = 0;
    // The whole text is read: ASCII and the Arabic block (two bytes led by D8–DB, every letter
    // of it Arabic) are decided on the bytes, other characters decoded.
    while i < bytes.len() {
        let b0 = bytes[i];
        if b0 < 0x80 {
            all += b0.is_ascii_alphabetic() as usize;
            i += 1;
        } else if (0xD8..=0xDB).contains(&b0) && i + 1 < bytes.len() {
            let cp = (u32::from(b0 & 0x1F) << 6) | u32::from(bytes[i + 1] & 0x3F);
            let letter = char::from_u32(cp).is_some_and(marsad_text::is_alpha) as usize;
            all += letter;
            ar += letter;
            i += 2;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if marsad_text::is_alpha(c) {
                all += 1;
                ar += is_arabic(c) as usize;
            }
            i += c.len_utf8();
        }
    }
    all > 0 && ar * 2 > all
}

fn word_count(key: &str) -> usize {
    if key.is_empty() {
        0
    } else {
        key.bytes().filter(|&b| b == b' ').count() + 1
    }
}

/// `hay` contains the words of `needle` as a run (word boundaries respected).
fn contains_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let b = hay.as_bytes();
    let mut from = 0;
    // Every occurrence, overlapping ones included, until one sits on word boundaries.
    while let Some(off) = hay[from..].find(needle) {
        let i = from + off;
        if (i == 0 || b[i - 1] == b' ') && b.get(i + needle.len()).is_none_or(|&c| c == b' ') {
            return true;
        }
        from = i + hay[i..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// `key` starts with the words of `head` and has more words after them (keys are single-spaced).
fn starts_with_words(key: &str, head: &str) -> bool {
    key.len() > head.len() && key.starts_with(head) && key.as_bytes()[head.len()] == b' '
}

/// `key` ends with the words of `tail` and has more words before them.
fn ends_with_words(key: &str, tail: &str) -> bool {
    key.len() > tail.len()
        && key.ends_with(tail)
        && key.as_bytes()[key.len() - tail.len() - 1] == b' '
}

// ---------------------------------------------------------------------------------------------
// Lexicons

#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    Line,
    Prefix,
    Contains,
}

struct Lexicon {
    /// Site phrases that make up a whole line or open it (`line`, `prefix`).
    phrases: Vec<(How, String)>,
    /// Site phrases found anywhere in a line (`contains`), searched for together: every short
    /// line of every document is looked through.
    contained: aho_corasick::AhoCorasick,
    byline_kw: Vec<String>,
    outlet_head: Vec<String>,
    outlet_tail: Vec<String>,
    exclusive: HashSet<String>,
    function: HashSet<String>,
    given_names: HashSet<String>,
    date_words: HashSet<String>,
}

/// Weekdays, Gregorian months (Levantine and Egyptian names), time-of-day markers and the
/// filler words of datelines. Folded at load, like everything else.
const DATE_WORDS: &str = "الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت أحد اثنين إثنين ثلاثاء أربعاء خميس جمعة سبت \
    يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر \
    كانون الثاني شباط آذار أذار نيسان أيار حزيران تموز آب أيلول تشرين الأول \
    ص م صباحا مساء مساءً صباحاً am pm gmt utc \
    يوم في الموافق نشر نشرت بتاريخ تاريخ النشر آخر اخر تحديث تم التحديث منذ الساعة";

fn lex() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut phrases = Vec::new();
        let mut contained: Vec<String> = Vec::new();
        for row in rows(include_str!("../data/furniture.tsv")) {
            let [_, how, phrase] = row[..] else { continue };
            let how = match how {
                "line" => How::Line,
                "prefix" => How::Prefix,
                "contains" => How::Contains,
                _ => continue,
            };
            if how == How::Contains {
                contained.push(key(phrase));
            } else {
                phrases.push((how, key(phrase)));
            }
        }
        let mut l = Lexicon {
            phrases,
            // A DFA without prefilter: the prefilter looks for rare bytes, and in Arabic text
            // the lead bytes of the phrases' letters are on every other byte.
            // The file ships with the crate: a few dozen short phrases always compile.
            contained: aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .prefilter(false)
                .build(&contained)
                .expect("furniture phrases compile"),
            byline_kw: Vec::new(),
            outlet_head: Vec::new(),
            outlet_tail: Vec::new(),
            exclusive: HashSet::new(),
            function: HashSet::new(),
            given_names: HashSet::new(),
            date_words: DATE_WORDS.split_whitespace().map(key).collect(),
        };
        for row in rows(include_str!("../data/header.tsv")) {
            let [kind, word] = row[..] else { continue };
            let k = key(word);
            match kind {
                "byline_kw" => l.byline_kw.push(k),
                "outlet_head" => l.outlet_head.push(k),
                "outlet_tail" => l.outlet_tail.push(k),
                "exclusive" => drop(l.exclusive.insert(k)),
                "function" => drop(l.function.insert(k)),
                "given_name" => drop(l.given_names.insert(k)),
                _ => {}
            }
        }
        l
    })
}

/// A word that never occurs in a personal name. Folding maps ى to ي, so the preposition على and
/// the name علي share a key: a known first name is never a function word.
fn is_function(w: &str) -> bool {
    let lx = lex();
    lx.function.contains(w) && !lx.given_names.contains(w)
}

fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

// ---------------------------------------------------------------------------------------------
// Line rules

/// Rules that judge a line by itself, wherever it stands.
fn context_free(l: &Line, arabic_doc: bool) -> Option<Furniture> {
    if l.text.is_empty() {
        return None;
    }
    if arabic_doc && latin_short(l.text) {
        return Some(Furniture::Latin);
    }
    if phrase_line(&l.key, l.words) {
        return Some(Furniture::Phrase);
    }
    if dateline_shaped(&l.key, l.words) {
        return Some(Furniture::Dateline);
    }
    if keyword_byline(l.text, &l.key, l.words) {
        return Some(Furniture::KeywordByline(l.text.to_string()));
    }
    if let Some(outlet) = exclusive_outlet(l.text) {
        return Some(Furniture::OutletByline(outlet, None));
    }
    None
}

/// At most four words, at most 40 characters, Latin letters and no Arabic ones.
fn latin_short(text: &str) -> bool {
    // Forty characters are at most 160 bytes: long lines (prose) leave before any scan.
    text.len() <= 160
        && text.chars().count() <= 40
        && text.split_whitespace().nth(4).is_none()
        && text.chars().any(|c| c.is_ascii_alphabetic())
        && !text.chars().any(is_arabic)
}

/// `words`: [`word_count`] of `k`.
fn phrase_line(k: &str, words: usize) -> bool {
    if k.is_empty() {
        return false;
    }
    let lx = lex();
    lx.phrases.iter().any(|(how, p)| match how {
        How::Line => k == p,
        // A "read more: <headline>" link is a headline long; prose that happens to start with
        // the same word is longer.
        How::Prefix => words <= 25 && (k == p || starts_with_words(k, p)),
        // Searched for in one pass below.
        How::Contains => false,
    }) || (words <= 30 && lx.contained.is_match(k))
}

/// "الثلاثاء 26/مايو/2020 - 07:37 م": only date words and numbers, with at least one number and
/// either a month/weekday word or a numeric date (three numbers).
/// `n`: [`word_count`] of `k`.
fn dateline_shaped(k: &str, n: usize) -> bool {
    if n == 0 || n > 12 {
        return false;
    }
    let lx = lex();
    let (mut nums, mut named) = (0, 0);
    for w in k.split(' ') {
        if w.chars().all(|c| c.is_ascii_digit()) {
            nums += 1;
        } else if lx.date_words.contains(w)
            || w.strip_prefix("ال")
                .is_some_and(|s| lx.date_words.contains(s))
        {
            named += 1;
        } else {
            return false;
        }
    }
    nums >= 1 && (named >= 1 || nums >= 3)
}

/// "تحرير: …", "إعداد - …", "كتب فلان الفلاني": a byline keyword, then a separator and only
/// name-like words, or directly a personal name ("متابعة الأوضاع الأمنية" is a subheading).
/// `words`: [`word_count`] of `k`.
fn keyword_byline(text: &str, k: &str, words: usize) -> bool {
    if !(2..=12).contains(&words) {
        return false;
    }
    let lx = lex();
    let Some(kw) = lx.byline_kw.iter().find(|kw| starts_with_words(k, kw)) else {
        return false;
    };
    let rest = &k[kw.len() + 1..];
    if rest.split(' ').any(is_function) || rest.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    // The character right after the keyword in the original text: a separator makes it a
    // byline; without one only a short name may follow ("كتب فلان الفلاني").
    let after_kw = text
        .char_indices()
        .skip_while(|(_, c)| !c.is_whitespace() && !is_dash(*c) && *c != ':')
        .map(|(_, c)| c)
        .find(|c| !c.is_whitespace());
    let separated = matches!(after_kw, Some(c) if c == ':' || is_dash(c));
    separated || name_shaped(rest)
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '‒' | '−' | '|' | '/')
}

/// Splits a short line at its first dash into two non-empty sides.
fn dash_sides(text: &str) -> Option<(&str, &str)> {
    if text.split_whitespace().nth(7).is_some() {
        return None;
    }
    let (i, c) = text
        .char_indices()
        .find(|(_, c)| is_dash(*c) && *c != '/')?;
    let left = text[..i].trim();
    let right = text[i + c.len_utf8()..].trim_matches(|c: char| c.is_whitespace() || is_dash(c));
    (!left.is_empty() && !right.is_empty()).then_some((left, right))
}

/// "NAME -خاص" / "خاص – NAME": an exclusive report of the outlet NAME.
fn exclusive_outlet(text: &str) -> Option<String> {
    let (left, right) = dash_sides(text)?;
    let lx = lex();
    let (l, r) = (key(left), key(right));
    let outlet = if lx.exclusive.contains(&r) {
        left
    } else if lx.exclusive.contains(&l) {
        right
    } else {
        return None;
    };
    let ok =
        (1..=3).contains(&word_count(&key(outlet))) && !key(outlet).split(' ').any(is_function);
    ok.then(|| outlet.to_string())
}

/// "OUTLET – NAME" in the header: the right side must look like a personal name that starts
/// with a known first name.
fn outlet_dash_name(text: &str) -> Option<(String, Option<String>)> {
    let (left, right) = dash_sides(text)?;
    let (lk, rk) = (key(left), key(right));
    let lx = lex();
    let first_known = rk
        .split(' ')
        .next()
        .is_some_and(|w| lx.given_names.contains(w));
    let left_ok = (1..=3).contains(&word_count(&lk)) && !lk.split(' ').any(is_function);
    (left_ok && name_shaped(&rk) && first_known)
        .then(|| (left.to_string(), Some(right.to_string())))
}

/// Two to four words of letters, none of them a function word or a digit, the first without
/// the article (names are "محمد الأحمد", not "الهجوم الأخير").
fn name_shaped(k: &str) -> bool {
    let n = word_count(k);
    (2..=4).contains(&n)
        && k.chars()
            .all(|c| c == ' ' || (marsad_text::is_alpha(c) && is_arabic(c)))
        && !k.split(' ').any(is_function)
        && !k.starts_with("ال")
}

/// A short line that names an outlet: "وكالة …", "… نيوز", or one word with the article
/// ("المرجع"), as sites print their name under the headline.
fn outlet_shaped(k: &str) -> bool {
    let n = word_count(k);
    let lx = lex();
    if n == 0 || n > 4 || k.split(' ').any(is_function) {
        return false;
    }
    if n == 1 && k.starts_with("ال") && k.chars().count() >= 4 {
        return true;
    }
    n >= 2
        && (lx.outlet_head.iter().any(|h| starts_with_words(k, h))
            || lx.outlet_tail.iter().any(|t| ends_with_words(k, t)))
}

/// The line repeats the headline, or a truncation of it cut at a word boundary (or mid-word when
/// at least three words survive). Very short headlines ("دير الزور") also name sections, so
/// their repeats count only in the header.
fn repeats_title(k: &str, title: &str, in_header: bool) -> bool {
    if title.is_empty() || k.is_empty() {
        return false;
    }
    let tw = word_count(title);
    if tw < 4 && !in_header {
        return false;
    }
    if k == title {
        return true;
    }
    let w = word_count(k);
    if w < 2 || w >= tw || !title.starts_with(k) {
        return false;
    }
    title[k.len()..].starts_with(' ') || w >= 3
}

/// The header: indices after the headline up to the first line of prose (exclusive), skipping
/// blank lines, lines already judged furniture and repeats of the headline. At most eight
/// non-blank lines.
fn header_range(
    lines: &[Line],
    furn: &[Option<Furniture>],
    title: Option<usize>,
    title_key: &str,
) -> std::ops::Range<usize> {
    let Some(t) = title else { return 0..0 };
    let start = t + 1;
    let mut seen = 0;
    let mut i = start;
    while i < lines.len() {
        let l = &lines[i];
        if !l.text.is_empty() {
            seen += 1;
            if seen > 8 {
                break;
            }
            let is_prose =
                l.words > 5 || (l.words >= 4 && ends_sentence(l.text));
            // A repeated headline looks like prose but belongs to the header.
            if furn[i].is_none() && is_prose && !repeats_title(&l.key, title_key, true) {
                break;
            }
        }
        i += 1;
    }
    start..i
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '؟', '?', '!', '،', ',', '…', ':'])
}

/// "(NAME) – …" opening the lede: the outlet speaking of itself.
fn lede_outlet(text: &str) -> Option<String> {
    let rest = text.strip_prefix('(')?;
    let close = rest.find(')')?;
    let name = rest[..close].trim();
    let after = rest[close + 1..].trim_start();
    if !after.starts_with(is_dash) {
        return None;
    }
    let k = key(name);
    ((1..=3).contains(&word_count(&k)) && !k.split(' ').any(is_function)).then(|| name.to_string())
}

/// Fallback when date inference gives nothing: a well-formed given date is still the date.
fn given_date(s: &str) -> Option<(Published, Anchor)> {
    let s = s.trim();
    let parts: Vec<&str> = s.get(..10.min(s.len()))?.split('-').collect();
    let num = |p: &&str| p.parse::<i16>().ok();
    let (y, m, d) = match parts.as_slice() {
        [y] if y.len() == 4 => (num(y)?, None, None),
        [y, m] if y.len() == 4 && m.len() == 2 => (num(y)?, Some(num(m)? as i8), None),
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            (num(y)?, Some(num(m)? as i8), Some(num(d)? as i8))
        }
        _ => return None,
    };
    let date = Date::new(y, m.unwrap_or(1), d.unwrap_or(1)).ok()?;
    let (text, prec, aprec) = match (m, d) {
        (Some(m), Some(d)) => (
            format!("{y:04}-{m:02}-{d:02}"),
            DatePrecision::Day,
            Precision::Day,
        ),
        (Some(m), None) => (
            format!("{y:04}-{m:02}"),
            DatePrecision::Month,
            Precision::Month,
        ),
        _ => (format!("{y:04}"), DatePrecision::Year, Precision::Year),
    };
    Some((
        Published {
            date: text,
            precision: prec,
            text: None,
        },
        Anchor {
            date,
            precision: aprec,
        },
    ))
}

#[cfg(test)]
mod tests;
