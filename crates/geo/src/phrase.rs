//! Place phrases: names a type word announces, how two names are joined, what the words
//! before a name say.

use crate::words::{self, classify, classify_full, is_soft_punct, Class, Kind, Tok, NOT_NAME};
use crate::{Hint, Link, Mention, Origin};
use marsad_gazetteer::PlaceMatch;

/// What the words before a head say.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Lead {
    pub(crate) start: usize,
    /// The type word nearest the head, without its proclitics.
    pub(crate) kind_word: Option<(usize, usize)>,
    pub(crate) hint: Hint,
    pub(crate) kind: Option<Kind>,
    pub(crate) near: bool,
    pub(crate) dir: bool,
    pub(crate) countryside: bool,
    pub(crate) desert: bool,
    pub(crate) origin: Origin,
}

pub(crate) fn in_sentence(sentences: &[(usize, usize)], pos: usize) -> usize {
    match sentences.binary_search_by(|&(s, e)| {
        if e <= pos {
            std::cmp::Ordering::Less
        } else if s > pos {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => i,
        Err(i) => i.min(sentences.len().saturating_sub(1)),
    }
}

/// Index of the first token that ends after `pos` (the token holding `pos`, or the next one).
pub(crate) fn tok_at(toks: &[Tok], pos: usize) -> usize {
    toks.partition_point(|t| t.end <= pos)
}

pub(crate) fn tok_text<'a>(text: &'a str, t: &Tok) -> &'a str {
    text.get(t.start..t.end).unwrap_or("")
}

/// Whether a known match starts inside a token.
pub(crate) fn known_starts_in(matches: &[PlaceMatch], t: &Tok) -> bool {
    let i = matches.partition_point(|m| m.start < t.start);
    matches.get(i).is_some_and(|m| m.start < t.end)
}

pub(crate) fn strip_article(w: &str) -> &str {
    w.strip_prefix("ال").filter(|r| r.chars().count() >= 2).unwrap_or(w)
}

/// Whether a word can be (part of) a place name after a type word.
pub(crate) fn name_word(w: &str, first: bool) -> bool {
    if w.chars().count() < 2 || !w.chars().any(marsad_text::is_alpha) || w.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if classify(w).is_some() || NOT_NAME.contains(&w) || NOT_NAME.contains(&strip_article(w)) {
        return false;
    }
    if first {
        // not a noun with a possessive ending ("سيطرتها")
        !w.starts_with("لل") && !["تها", "تهم", "هما"].iter().any(|e| w.ends_with(e))
    } else {
        // later words of an unknown name carry the article ("عظمان الدبيس", "كولة البويدر")
        w.starts_with("ال") && !w.starts_with("الى")
    }
}

/// Names that a type word announces and the gazetteer does not know: "قرية حريزة", "بلدة
/// “الهيال”", "منطقة العزبة شمالي دير الزور".
pub(crate) fn unknown_names(text: &str, toks: &[Tok], matches: &[PlaceMatch]) -> Vec<Mention> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let t = &toks[i];
        if !t.word {
            continue;
        }
        let Some((Class::Type(kind), _, definite)) = classify_full(tok_text(text, t)) else { continue };
        // a type word inside a known name ("حي الزهور") announces nothing more
        let m = matches.partition_point(|m| m.end <= t.start);
        if matches.get(m).is_some_and(|m| m.start <= t.start) {
            continue;
        }
        if definite || matches!(kind, Kind::Governorate | Kind::Countryside) {
            continue;
        }
        let mut j = i + 1;
        let mut quoted = false;
        if let Some(q) = toks.get(j).filter(|q| !q.word && !q.newline_before) {
            let c = tok_text(text, q);
            if matches!(c, "\"" | "'" | "(" | "«" | "“" | "”") {
                quoted = true;
                j += 1;
            } else {
                continue;
            }
        }
        let Some(first) = toks.get(j).filter(|x| x.word && !x.newline_before) else { continue };
        if known_starts_in(matches, first) || !name_word(tok_text(text, first), true) {
            continue;
        }
        let mut k = j;
        let max = if quoted { 4 } else { 3 };
        while k + 1 < toks.len() && k + 1 - j < max {
            let n = &toks[k + 1];
            if !n.word || n.newline_before || known_starts_in(matches, n) {
                break;
            }
            let w = tok_text(text, n);
            if !(name_word(w, false) || (quoted && classify(w).is_none())) {
                break;
            }
            k += 1;
        }
        if quoted {
            let closes = toks.get(k + 1).is_some_and(|q| !q.word && matches!(tok_text(text, q), "\"" | "'" | ")" | "»" | "”" | "“"));
            if !closes {
                quoted = false;
            }
        }
        if kind == Kind::District && !quoted && !qualified_after(text, toks, matches, k + 1) {
            continue;
        }
        // a facility's own name carries the article or quotes ("سجن الصناعة", "مطار «X»")
        if kind == Kind::Site && !quoted && !tok_text(text, first).starts_with("ال") {
            continue;
        }
        out.push(Mention { start: first.start, end: toks[k].end, known: None });
    }
    out
}

/// Whether the words from token `i` place what stands before them ("شمالي دير الزور", "بريف…",
/// "التابعة لـ…", "في <known place>").
pub(crate) fn qualified_after(text: &str, toks: &[Tok], matches: &[PlaceMatch], i: usize) -> bool {
    let Some(t) = toks.get(i).filter(|t| t.word) else { return false };
    match classify(tok_text(text, t)) {
        Some((Class::Dir | Class::Tie, _)) => true,
        Some((Class::Type(Kind::Countryside | Kind::Governorate | Kind::Desert), _)) => true,
        Some((Class::Prep, _)) => toks.get(i + 1).is_some_and(|n| known_starts_in(matches, n)),
        _ => known_starts_in(matches, t),
    }
}

/// How the name ending at `prev_end` and the one starting at `next_start` are joined, or `None`
/// when they belong to different phrases.
pub(crate) fn link(text: &str, toks: &[Tok], prev_end: usize, next_start: usize) -> Option<Link> {
    if next_start < prev_end {
        return None;
    }
    let a = tok_at(toks, prev_end);
    let b = tok_at(toks, next_start);
    let mut sibling = false;
    // what stands before the name inside its own word (a proclitic)
    if let Some(t) = toks.get(b) {
        if t.start < next_start {
            let p = text.get(t.start..next_start).unwrap_or("");
            if words::prefix_has_and(p) {
                sibling = true;
            }
        }
    }
    if b.saturating_sub(a) > 7 {
        return None;
    }
    let mut comma = false;
    let mut placing_after_comma = false;
    for t in toks.get(a..b).unwrap_or(&[]) {
        if t.newline_before && t.start > prev_end {
            return None;
        }
        let w = tok_text(text, t);
        if !t.word {
            if is_soft_punct(w) {
                continue;
            }
            if w == "،" || w == "," {
                comma = true;
                continue;
            }
            return None;
        }
        match classify(w) {
            Some((Class::And, _)) => sibling = true,
            Some((Class::Near, _)) => {
                if strip_article(w) == "بين" {
                    sibling = true;
                }
            }
            Some((Class::Type(k), _)) => {
                if comma && matches!(k, Kind::Countryside | Kind::Governorate | Kind::Desert) {
                    placing_after_comma = true;
                }
            }
            Some((Class::Dir | Class::Tie, _)) => {
                if comma {
                    placing_after_comma = true;
                }
            }
            Some((Class::DirAdj | Class::Prep, _)) => {}
            Some((Class::Origin, _)) | None => return None,
        }
    }
    if comma && !placing_after_comma {
        return None;
    }
    Some(if sibling { Link::Sibling } else { Link::Qualifier })
}

/// Where a lead word starts in the phrase text: after its proclitics ("بريف" → "ريف"), but
/// whole when they stand before the article ("بالقرب").
pub(crate) fn word_start(text: &str, t: &Tok, pre: usize) -> usize {
    let rest = text.get(t.start + pre..t.end).unwrap_or("");
    if rest.starts_with("ال") {
        t.start
    } else {
        t.start + pre
    }
}

/// Reads the words before a head, right to left.
pub(crate) fn lead(text: &str, toks: &[Tok], head_start: usize, floor: usize) -> Lead {
    let mut l = Lead { start: head_start, ..Default::default() };
    let h = tok_at(toks, head_start);
    let mut pending_from = false;
    let mut k = h;
    let mut steps = 0;
    while k > 0 && steps < 7 {
        k -= 1;
        steps += 1;
        let t = &toks[k];
        if t.end <= floor {
            break;
        }
        let w = tok_text(text, t);
        if toks.get(k + 1).is_some_and(|n| n.newline_before) {
            break;
        }
        if !t.word {
            if is_soft_punct(w) {
                continue;
            }
            break;
        }
        match classify(w) {
            Some((Class::Type(kind), pre)) => {
                if l.kind.is_none() {
                    l.kind = Some(kind);
                    l.kind_word = Some((t.start + pre, t.end));
                }
                match kind {
                    Kind::Countryside => l.countryside = true,
                    Kind::Desert => l.desert = true,
                    _ => {}
                }
                l.start = word_start(text, t, pre);
            }
            Some((Class::Near, pre)) => {
                l.near = true;
                pending_from = false;
                l.start = word_start(text, t, pre);
            }
            Some((Class::Dir, pre)) => {
                l.dir = true;
                l.start = word_start(text, t, pre);
            }
            Some((Class::Prep, 0)) if w == "من" => {
                // "مناطق مختلفة من ريف X": partitive, the phrase goes on
                let before = k.checked_sub(1).and_then(|j| toks.get(j)).filter(|b| b.word && b.end > floor);
                match before.map(|b| tok_text(text, b)) {
                    Some(b) if words::PARTITIVE.contains(&b) || words::PARTITIVE.contains(&strip_article(b)) => {
                        // the phrase starts at the first of the partitive or type words
                        let mut j = k;
                        while j > 0 && k - j < 3 {
                            let b = &toks[j - 1];
                            if !b.word || b.end <= floor {
                                break;
                            }
                            let w = tok_text(text, b);
                            let pre = match classify(w) {
                                Some((Class::Type(_), pre)) => pre,
                                _ if words::PARTITIVE.contains(&w) || words::PARTITIVE.contains(&strip_article(w)) => 0,
                                _ => break,
                            };
                            l.start = b.start + pre;
                            j -= 1;
                        }
                        break;
                    }
                    _ => pending_from = true,
                }
            }
            Some((Class::Prep, _)) => {}
            Some((Class::Origin, _)) => {
                l.origin = Origin::Strong;
                break;
            }
            _ => {
                // "يدعى X من مدينة Y": the word before من decides nothing more
                break;
            }
        }
    }
    if l.origin == Origin::No && pending_from {
        l.origin = Origin::Weak;
    }
    // "من سكان/أبناء ..." a little further back
    if l.origin == Origin::Weak {
        let lo = tok_at(toks, l.start).saturating_sub(4);
        let hi = tok_at(toks, l.start);
        if toks.get(lo..hi).unwrap_or(&[]).iter().any(|t| t.word && words::is_origin_word(tok_text(text, t))) {
            l.origin = Origin::Strong;
        }
    }
    l.hint = match l.kind {
        Some(Kind::Town | Kind::Quarter) => Hint::Town,
        Some(Kind::Site) => Hint::Site,
        Some(Kind::Governorate | Kind::Countryside) => Hint::Admin1,
        Some(Kind::District) => Hint::District,
        Some(Kind::Subdistrict) => Hint::Subdistrict,
        Some(Kind::Desert) => Hint::Desert,
        None if l.near => Hint::Town,
        None if l.dir => Hint::Admin1,
        None => Hint::None,
    };
    l
}
