//! Place resolution for events.
//!
//! [`DocGeo::new`] reads a document once: every gazetteer match, every name that a type word
//! announces but the gazetteer does not know ("قرية حريزة"), grouped into *place phrases*: a head
//! (the most specific name) with the words before it that say how to read it (قرب، ريف، شرق،
//! بلدة…) and the names after it that place it (التابعة لبلدة…، بريف دير الزور الشرقي). Each phrase
//! is resolved once: the head's homonyms are filtered by the governorate its qualifiers name,
//! then ranked by what its type word asks for (ريف → governorate, مدينة → town), by the
//! governorates named in its sentence and in the whole document, and by capital level and
//! population. A name whose homonyms all lie elsewhere than its qualifier says is a place the
//! gazetteer does not know: it keeps its text and the qualifier's governorate, no coordinates.
//!
//! [`locate`] then picks, for one event, the phrase of its evidence sentences nearest its
//! trigger (same clause first, places of origin last), refines a coarse answer with a more
//! specific compatible one from the other evidence sentences, and falls back on the neighbouring
//! sentences ("وشهدت المنطقة…" refers to the place just named).

pub mod words;

use marsad_gazetteer::{Gazetteer, PlaceMatch};
use marsad_model::Location;
use marsad_text::NormalizedText;
use words::{classify, classify_full, is_clause_punct, is_soft_punct, tokenize, Class, Kind, Tok, NOT_NAME};

/// Whether a phrase names where someone is from rather than where something happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    #[default]
    No,
    /// "من مدينة X" without a word of proximity: usually a person's origin or a movement's start.
    Weak,
    /// "من سكان X"، "ابن مدينة X"، "المنحدر من X": never the event's place.
    Strong,
}

/// What the words before a name ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hint {
    #[default]
    None,
    /// ريف، محافظة, or a direction alone ("شرق دير الزور"): the governorate.
    Admin1,
    /// مدينة، بلدة، قرية، حي, or a near-word: the town.
    Town,
    /// مخيم، سجن، مطار: the facility.
    Site,
    /// منطقة، قضاء: the district.
    District,
    /// ناحية: the subdistrict.
    Subdistrict,
    /// بادية: a desert.
    Desert,
}

/// How a phrase resolves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resolution {
    /// The gazetteer place, or `None` for a name the gazetteer does not know.
    pub place: Option<u32>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// `place`, `near`, `admin2`, `admin1`, `region`, `country`.
    pub precision: &'static str,
    /// Every governorate the location may lie in (a region spans several), the main one first.
    pub admin1_all: Vec<String>,
}

impl Resolution {
    /// How specific the location is: place 5, near 4, admin2 3, admin1 2, region 1, country 0.
    pub fn specificity(&self) -> u8 {
        match self.precision {
            "place" => 5,
            "near" => 4,
            "admin2" => 3,
            "admin1" => 2,
            "region" => 1,
            _ => 0,
        }
    }
}

/// A place phrase of the document (normalised byte offsets).
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// The words that name the place, from the first type or relative word to the last
    /// qualifier ("بالقرب من قرية الرشوانية في بادية حمص" → "قرية الرشوانية في بادية حمص").
    pub start: usize,
    pub end: usize,
    /// The head name.
    pub head: (usize, usize),
    /// Index into [`DocGeo::sentences`].
    pub sentence: usize,
    pub origin: Origin,
    pub hint: Hint,
    pub res: Resolution,
    /// How many phrases of the document name the same place (the document's topic places weigh more).
    pub weight: u32,
}

/// Per-document geographic context, computed once: every place match, the place phrases and
/// their resolution, and the document's dominant governorate(s).
#[derive(Debug, Clone, Default)]
pub struct DocGeo {
    pub matches: Vec<PlaceMatch>,
    pub phrases: Vec<Phrase>,
    /// Sentence ranges of the normalised text, as `marsad_text::sentences::split_sentences` gives them.
    pub sentences: Vec<(usize, usize)>,
    /// Paragraph number of each sentence (paragraphs are separated by blank lines).
    pub paragraph: Vec<usize>,
    /// Governorates the document names, with their share of all unambiguous mentions, largest first.
    pub dominant: Vec<(String, f64)>,
    /// The country most mentions lie in, with its share.
    pub dominant_country: Option<(String, f64)>,
    /// Offsets of clause boundaries (، ; : and clause-opening words).
    clause_marks: Vec<usize>,
}

/// A name in the text: a gazetteer match or a name announced by a type word.
#[derive(Debug, Clone, Copy)]
struct Mention {
    start: usize,
    end: usize,
    /// Index into the matches, or `None` for an unknown name.
    known: Option<usize>,
}

/// How two names of one phrase are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// The second places the first ("X بريف Y", "X التابعة لـ Y", "X شرقي Y").
    Qualifier,
    /// The second is another place of the same rank ("بين X و Y").
    Sibling,
}

/// What the words before a head say.
#[derive(Debug, Clone, Copy, Default)]
struct Lead {
    start: usize,
    /// The type word nearest the head, without its proclitics.
    kind_word: Option<(usize, usize)>,
    hint: Hint,
    kind: Option<Kind>,
    near: bool,
    dir: bool,
    countryside: bool,
    desert: bool,
    origin: Origin,
}

fn in_sentence(sentences: &[(usize, usize)], pos: usize) -> usize {
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
fn tok_at(toks: &[Tok], pos: usize) -> usize {
    toks.partition_point(|t| t.end <= pos)
}

fn tok_text<'a>(text: &'a str, t: &Tok) -> &'a str {
    text.get(t.start..t.end).unwrap_or("")
}

/// Whether a known match starts inside a token.
fn known_starts_in(matches: &[PlaceMatch], t: &Tok) -> bool {
    let i = matches.partition_point(|m| m.start < t.start);
    matches.get(i).is_some_and(|m| m.start < t.end)
}

fn strip_article(w: &str) -> &str {
    w.strip_prefix("ال").filter(|r| r.chars().count() >= 2).unwrap_or(w)
}

/// Whether a word can be (part of) a place name after a type word.
fn name_word(w: &str, first: bool) -> bool {
    if w.chars().count() < 2 || !w.chars().any(char::is_alphabetic) || w.chars().any(|c| c.is_ascii_digit()) {
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
fn unknown_names(text: &str, toks: &[Tok], matches: &[PlaceMatch]) -> Vec<Mention> {
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
            if !(quoted && classify(w).is_none()) && !name_word(w, false) {
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
fn qualified_after(text: &str, toks: &[Tok], matches: &[PlaceMatch], i: usize) -> bool {
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
fn link(text: &str, toks: &[Tok], prev_end: usize, next_start: usize) -> Option<Link> {
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
fn word_start(text: &str, t: &Tok, pre: usize) -> usize {
    let rest = text.get(t.start + pre..t.end).unwrap_or("");
    if rest.starts_with("ال") {
        t.start
    } else {
        t.start + pre
    }
}

/// Reads the words before a head, right to left.
fn lead(text: &str, toks: &[Tok], head_start: usize, floor: usize) -> Lead {
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

/// Governorates a match names: the governorate itself when one of its homonyms is one, else the
/// one all its homonyms share, else a region's governorates when `regions`.
fn admin1_of_match(gaz: &Gazetteer, m: &PlaceMatch, regions: bool) -> Vec<String> {
    if let Some(&i) = m.places.iter().find(|&&i| gaz.place(i).level == "admin1") {
        return gaz.place(i).admin1.iter().cloned().collect();
    }
    let mut set: Vec<String> = Vec::new();
    for &i in &m.places {
        let p = gaz.place(i);
        match p.level.as_str() {
            "country" => continue,
            "region" => {
                if regions {
                    let all = gaz.info(i).map(|x| x.admin1_all.clone()).unwrap_or_default();
                    let all = if all.is_empty() { p.admin1.iter().cloned().collect() } else { all };
                    for a in all {
                        if !set.contains(&a) {
                            set.push(a);
                        }
                    }
                }
                continue;
            }
            _ => {}
        }
        if let Some(a) = &p.admin1 {
            if !set.contains(a) {
                set.push(a.clone());
            }
        }
    }
    set
}

fn country_of(code: &str) -> &'static str {
    if code.starts_with("IQ") {
        "IQ"
    } else {
        "SY"
    }
}

/// Share of each governorate among the unambiguous mentions, and the dominant country.
fn dominance(gaz: &Gazetteer, matches: &[PlaceMatch]) -> (Vec<(String, f64)>, Option<(String, f64)>) {
    let mut counts: Vec<(String, f64)> = Vec::new();
    for m in matches {
        let set = admin1_of_match(gaz, m, false);
        if set.len() == 1 {
            match counts.iter_mut().find(|c| c.0 == set[0]) {
                Some(c) => c.1 += 1.0,
                None => counts.push((set[0].clone(), 1.0)),
            }
        }
    }
    let total: f64 = counts.iter().map(|c| c.1).sum();
    if total == 0.0 {
        return (Vec::new(), None);
    }
    for c in counts.iter_mut() {
        c.1 /= total;
    }
    counts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let iq: f64 = counts.iter().filter(|c| country_of(&c.0) == "IQ").map(|c| c.1).sum();
    let country = if iq > 0.5 { ("IQ".to_string(), iq) } else { ("SY".to_string(), 1.0 - iq) };
    (counts, Some(country))
}

/// Rank of a homonym for what the words before it ask (lower is better).
fn tier(hint: Hint, level: &str, cap: Option<u8>) -> u8 {
    let capped = |max: u8| cap.is_some_and(|c| c <= max);
    match hint {
        Hint::Admin1 => match level {
            "admin1" => 0,
            "place" if capped(1) => 1,
            "admin2" => 2,
            "place" | "site" => 3,
            "admin3" => 4,
            "region" => 5,
            _ => 6,
        },
        Hint::Town => match level {
            "place" => 0,
            "site" => 1,
            "admin3" => 2,
            "admin2" => 3,
            "admin1" => 4,
            "region" => 5,
            _ => 6,
        },
        Hint::Site => match level {
            "site" => 0,
            "place" => 1,
            "admin3" => 2,
            "admin2" => 3,
            "admin1" => 4,
            _ => 5,
        },
        Hint::District => match level {
            "admin2" => 0,
            "place" if capped(2) => 1,
            "place" => 2,
            "admin3" => 3,
            "site" => 4,
            "admin1" => 5,
            _ => 6,
        },
        Hint::Subdistrict => match level {
            "admin3" => 0,
            "place" if capped(3) => 1,
            "place" => 2,
            "admin2" => 3,
            "admin1" => 4,
            _ => 5,
        },
        Hint::Desert => match level {
            "region" => 0,
            "admin1" => 1,
            "place" | "site" => 2,
            "admin3" | "admin2" => 3,
            _ => 4,
        },
        Hint::None => match level {
            "admin1" => 0,
            "place" | "site" if capped(2) => 1,
            "admin2" => 2,
            "place" | "site" => 3,
            "admin3" => 4,
            "region" => 5,
            _ => 6,
        },
    }
}

/// Everything that bears on resolving one head.
struct Context<'a> {
    /// Governorates the head's qualifiers name.
    qual: Vec<String>,
    /// Governorates named elsewhere in the sentence.
    sentence: Vec<String>,
    dominant: &'a [(String, f64)],
    dominant_country: Option<&'a (String, f64)>,
}

impl Context<'_> {
    fn share(&self, a1: &str) -> f64 {
        self.dominant.iter().find(|d| d.0 == a1).map(|d| d.1).unwrap_or(0.0)
    }

    /// The governorate a name the gazetteer does not know lies in, when the context says.
    fn admin1_for_unknown(&self) -> Option<String> {
        if let Some(a) = self.qual.first() {
            return Some(a.clone());
        }
        if self.sentence.len() == 1 {
            return Some(self.sentence[0].clone());
        }
        self.dominant.first().filter(|d| d.1 >= 0.5).map(|d| d.0.clone())
    }
}

fn unknown_resolution(admin1: Option<String>, l: &Lead) -> Resolution {
    let precision = if l.desert {
        "region"
    } else if l.near {
        "near"
    } else {
        "place"
    };
    Resolution {
        place: None,
        country: admin1.as_deref().map(|a| country_of(a).to_string()),
        admin1_all: admin1.iter().cloned().collect(),
        admin1,
        precision,
        ..Default::default()
    }
}

fn resolve(gaz: &Gazetteer, cands: &[u32], l: &Lead, ctx: &Context) -> Resolution {
    let mut c: Vec<u32> = cands.to_vec();
    let all_of = |i: u32| -> Vec<String> {
        let p = gaz.place(i);
        let all = gaz.info(i).map(|x| x.admin1_all.clone()).unwrap_or_default();
        if all.is_empty() {
            p.admin1.iter().cloned().collect()
        } else {
            all
        }
    };
    if !ctx.qual.is_empty() {
        let f: Vec<u32> = c.iter().copied().filter(|&i| all_of(i).iter().any(|a| ctx.qual.contains(a))).collect();
        if f.is_empty() {
            let prominent = c.iter().any(|&i| matches!(gaz.place(i).level.as_str(), "admin1" | "country" | "region"));
            if !prominent {
                // every homonym lies elsewhere: a place the gazetteer does not know
                return unknown_resolution(ctx.qual.first().cloned(), l);
            }
        } else {
            c = f;
        }
    } else if let Some((dc, share)) = ctx.dominant_country.filter(|d| d.1 >= 0.6) {
        let same: Vec<u32> = c.iter().copied().filter(|&i| &gaz.place(i).country == dc).collect();
        if same.is_empty() {
            let minor = c.iter().all(|&i| {
                let p = gaz.place(i);
                p.level == "place" && p.country == "SY" && gaz.info(i).is_none_or(|x| x.capital_level.is_none())
            });
            if minor && *share >= 0.6 {
                let a1 = ctx.dominant.iter().find(|d| country_of(&d.0) == dc.as_str()).map(|d| d.0.clone());
                return unknown_resolution(a1, l);
            }
        } else {
            c = same;
        }
    }
    let score = |i: u32| -> (u8, i64) {
        let p = gaz.place(i);
        let info = gaz.info(i);
        let cap = info.and_then(|x| x.capital_level);
        let t = tier(l.hint, &p.level, cap);
        let mut s = match cap {
            Some(0) => 4.0,
            Some(1) => 3.0,
            Some(2) => 2.0,
            Some(3) => 1.0,
            _ => 0.0,
        };
        if let Some(a) = p.admin1.as_deref() {
            s += 2.0 * ctx.share(a);
            if ctx.sentence.iter().any(|x| x == a) {
                s += 2.0;
            }
        }
        if let Some(pop) = info.and_then(|x| x.population).filter(|&x| x > 0) {
            s += (pop as f64).log10() / 10.0;
        }
        (t, -(s * 1000.0) as i64)
    };
    c.sort_by_key(|&i| (score(i), i));
    let Some(&best) = c.first() else { return unknown_resolution(ctx.admin1_for_unknown(), l) };
    let mut p = gaz.place(best);
    let mut idx = best;
    let cap = gaz.info(best).and_then(|x| x.capital_level);
    let precision = match p.level.as_str() {
        "region" => "region",
        "country" => "country",
        _ if l.desert => "region",
        "admin1" => "admin1",
        "admin2" | "admin3" => "admin2",
        _ if l.countryside => {
            // "ريف حلب": the countryside of a governorate capital is the governorate
            let gov = if cap.is_some_and(|c| c <= 1) { p.admin1.as_deref().and_then(|a| gaz.by_id(a)) } else { None };
            match gov.filter(|&g| gaz.place(g).level == "admin1") {
                Some(g) => {
                    idx = g;
                    p = gaz.place(g);
                    "admin1"
                }
                None => "near",
            }
        }
        _ if l.near || l.dir => "near",
        _ => "place",
    };
    let admin1_all = all_of(idx);
    Resolution {
        place: Some(idx),
        admin1: p.admin1.clone(),
        admin2: p.admin2.clone(),
        country: Some(p.country.clone()),
        lat: p.lat,
        lon: p.lon,
        precision,
        admin1_all,
    }
}

/// Paragraph number of each sentence: a new paragraph starts after a blank line.
fn paragraphs(text: &str, sentences: &[(usize, usize)]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sentences.len());
    let mut p = 0;
    let mut prev_end = 0;
    for (i, &(s, e)) in sentences.iter().enumerate() {
        if i > 0 {
            let gap = text.get(prev_end..s).unwrap_or("");
            if gap.matches('\n').count() >= 2 {
                p += 1;
            }
        }
        out.push(p);
        prev_end = e;
    }
    out
}

/// Words that open a new clause.
const CLAUSE_WORDS: &[&str] = &["فيما", "بينما", "حيث", "وفيما", "وبينما", "وحيث"];

impl DocGeo {
    pub fn new(gaz: &Gazetteer, norm: &NormalizedText) -> Self {
        let text = norm.text.as_str();
        let matches = gaz.scan(text);
        let toks = tokenize(text);
        let sentences = marsad_text::sentences::split_sentences(text);
        let paragraph = paragraphs(text, &sentences);
        let (dominant, dominant_country) = dominance(gaz, &matches);
        let clause_marks: Vec<usize> = toks
            .iter()
            .filter(|t| {
                let w = tok_text(text, t);
                if t.word {
                    CLAUSE_WORDS.contains(&w)
                } else {
                    is_clause_punct(w)
                }
            })
            .map(|t| t.start)
            .collect();

        let mut mentions: Vec<Mention> =
            matches.iter().enumerate().map(|(i, m)| Mention { start: m.start, end: m.end, known: Some(i) }).collect();
        mentions.extend(unknown_names(text, &toks, &matches));
        mentions.sort_by_key(|m| (m.start, m.known.is_none(), std::cmp::Reverse(m.end)));
        let mut kept: Vec<Mention> = Vec::with_capacity(mentions.len());
        for m in mentions {
            if kept.last().is_none_or(|k| m.start >= k.end) {
                kept.push(m);
            }
        }
        let mentions = kept;

        // Chains of names joined by placing words, within one sentence.
        let mut chains: Vec<Vec<(Mention, Link)>> = Vec::new();
        let mut last_sentence = usize::MAX;
        for m in mentions {
            let si = in_sentence(&sentences, m.start);
            let joined = if si == last_sentence {
                chains.last().and_then(|c| c.last()).and_then(|(prev, _)| link(text, &toks, prev.end, m.start))
            } else {
                None
            };
            match joined {
                Some(l) => chains.last_mut().map(|c| c.push((m, l))).unwrap_or(()),
                None => chains.push(vec![(m, Link::Qualifier)]),
            }
            last_sentence = si;
        }

        // Governorates each sentence names (for homonyms without a qualifier).
        let mut sentence_admin1: Vec<Vec<String>> = vec![Vec::new(); sentences.len()];
        for m in &matches {
            let si = in_sentence(&sentences, m.start);
            if let Some(v) = sentence_admin1.get_mut(si) {
                for a in admin1_of_match(gaz, m, false) {
                    if !v.contains(&a) {
                        v.push(a);
                    }
                }
            }
        }

        let mut phrases = Vec::new();
        for chain in &chains {
            let bare_ctx = Context { qual: Vec::new(), sentence: Vec::new(), dominant: &dominant, dominant_country: dominant_country.as_ref() };
            // a name that resolves to a governorate, a region or the country on its own
            let coarse = |m: &Mention, l: &Lead| -> bool {
                match m.known {
                    None => false,
                    Some(k) => l.countryside || l.desert || resolve(gaz, &matches[k].places, l, &bare_ctx).specificity() <= 2,
                }
            };
            // the head: the first name that is not a governorate, region or country, else the first
            let floor = |i: usize| if i == 0 { 0 } else { chain[i - 1].0.end };
            let mut hi = 0;
            for (i, (m, _)) in chain.iter().enumerate() {
                let l = lead(text, &toks, m.start, floor(i));
                if !coarse(m, &l) {
                    hi = i;
                    break;
                }
            }
            let (head, _) = chain[hi];
            let sentence = in_sentence(&sentences, head.start);
            let l = lead(text, &toks, head.start, floor(hi));
            // qualifiers: the names after the head joined as qualifiers, and a coarse name before it
            let mut qual: Vec<String> = Vec::new();
            let add_qual = |m: &Mention, qual: &mut Vec<String>| {
                if let Some(k) = m.known {
                    let set = admin1_of_match(gaz, &matches[k], true);
                    if set.is_empty() {
                        return;
                    }
                    if qual.is_empty() {
                        *qual = set;
                    } else {
                        let inter: Vec<String> = qual.iter().filter(|a| set.contains(a)).cloned().collect();
                        if !inter.is_empty() {
                            *qual = inter;
                        }
                    }
                }
            };
            for (i, (m, lk)) in chain.iter().enumerate() {
                if i == hi {
                    continue;
                }
                let qualifies = if i > hi { *lk == Link::Qualifier && chain[hi + 1..=i].iter().all(|x| x.1 == Link::Qualifier) } else { true };
                if qualifies {
                    add_qual(m, &mut qual);
                }
            }
            // the phrase span: lead words, the names, trailing direction adjectives
            let first = &chain[0].0;
            let first_lead = if hi == 0 { l } else { lead(text, &toks, first.start, 0) };
            let start = first_lead.start.min(first.start);
            let mut end = chain.last().map(|c| c.0.end).unwrap_or(head.end);
            let mut k = tok_at(&toks, end);
            while let Some(t) = toks.get(k) {
                if t.word && !t.newline_before && classify(tok_text(text, t)).is_some_and(|c| c.0 == Class::DirAdj) {
                    end = t.end;
                    k += 1;
                } else {
                    break;
                }
            }
            // a closing quote or bracket that the phrase opened
            let inside = text.get(start..end).unwrap_or("");
            let opens = inside.matches(['"', '«', '“', '(']).count();
            let closes = inside.matches(['"', '»', '”', ')']).count();
            if inside.contains('"') && inside.matches('"').count() % 2 == 1 || opens > closes {
                if let Some(t) = toks.get(tok_at(&toks, end)).filter(|t| !t.word && t.start == end) {
                    if matches!(tok_text(text, t), "\"" | "»" | "”" | ")") {
                        end = t.end;
                    }
                }
            }
            let ctx = Context {
                qual,
                sentence: sentence_admin1
                    .get(sentence)
                    .map(|v| {
                        let own: Vec<String> = head.known.map(|k| admin1_of_match(gaz, &matches[k], false)).unwrap_or_default();
                        v.iter().filter(|a| own.len() > 1 || !own.contains(a)).cloned().collect()
                    })
                    .unwrap_or_default(),
                dominant: &dominant,
                dominant_country: dominant_country.as_ref(),
            };
            let res = match head.known {
                Some(k) => {
                    let mut cands = matches[k].places.clone();
                    // "سجن «الطبقة»", "مخيم (الهول)": the facility the gazetteer names with its type word
                    if let (Hint::Site, Some((ks, ke))) = (l.hint, l.kind_word) {
                        let tw = strip_article(text.get(ks..ke).unwrap_or(""));
                        let key = format!("{tw} {}", text.get(head.start..head.end).unwrap_or(""));
                        let sites: Vec<u32> = gaz.exact(&key).into_iter().filter(|&i| gaz.place(i).level == "site").collect();
                        if !sites.is_empty() {
                            cands = sites;
                        }
                    }
                    resolve(gaz, &cands, &l, &ctx)
                }
                None => unknown_resolution(ctx.admin1_for_unknown(), &l),
            };
            // "حي X بمدينة Y": a neighbourhood the gazetteer does not know in Y (or a homonym far
            // from Y) is placed at the town Y
            let res = if l.kind == Some(Kind::Quarter) {
                let town = chain.iter().enumerate().skip(hi + 1).find_map(|(i, (m, lk))| {
                    let k = m.known.filter(|_| *lk == Link::Qualifier)?;
                    let ql = lead(text, &toks, m.start, chain[i - 1].0.end);
                    let q = resolve(gaz, &matches[k].places, &Lead { hint: Hint::Town, ..ql }, &bare_ctx);
                    let pl = gaz.place(q.place?);
                    let cap = gaz.info(q.place?).and_then(|x| x.capital_level);
                    (pl.level == "place" && (cap.is_some_and(|c| c <= 3) || ql.kind == Some(Kind::Town))).then_some(q)
                });
                match town {
                    Some(t) => {
                        let far = match (res.lat.zip(res.lon), t.lat.zip(t.lon)) {
                            (Some(a), Some(b)) => marsad_gazetteer::geom::haversine_km(a.0, a.1, b.0, b.1) > 10.0,
                            _ => res.place.is_none(),
                        };
                        if far {
                            Resolution { precision: "place", ..t }
                        } else {
                            res
                        }
                    }
                    None => res,
                }
            } else {
                res
            };
            phrases.push(Phrase { start, end, head: (head.start, head.end), sentence, origin: l.origin, hint: l.hint, res, weight: 1 });
        }
        // topic weight: phrases naming the same place (or the same unknown name)
        let key = |p: &Phrase| -> String {
            match p.res.place {
                Some(i) => format!("#{i}"),
                None => text.get(p.head.0..p.head.1).unwrap_or("").to_string(),
            }
        };
        let keys: Vec<String> = phrases.iter().map(key).collect();
        for i in 0..phrases.len() {
            phrases[i].weight = keys.iter().zip(&phrases).filter(|(k, p)| **k == keys[i] && p.origin != Origin::Strong).count() as u32;
        }

        DocGeo { matches, phrases, sentences, paragraph, dominant, dominant_country, clause_marks }
    }

    /// Whether a clause boundary lies between two offsets.
    fn clause_between(&self, a: usize, b: usize) -> bool {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let i = self.clause_marks.partition_point(|&m| m < lo);
        self.clause_marks.get(i).is_some_and(|&m| m < hi)
    }

    /// Phrases whose head lies in a range, places of origin left out.
    fn phrases_in(&self, s: usize, e: usize) -> Vec<usize> {
        self.phrases
            .iter()
            .enumerate()
            .filter(|(_, p)| p.head.0 >= s && p.head.1 <= e && p.origin != Origin::Strong)
            .map(|(i, _)| i)
            .collect()
    }

    fn compatible(&self, coarse: usize, fine: usize) -> bool {
        let (c, f) = (&self.phrases[coarse].res, &self.phrases[fine].res);
        if c.admin1.is_none() {
            return c.country.is_none() || f.country == c.country || f.country.is_none();
        }
        match &f.admin1 {
            Some(a) => c.admin1_all.contains(a) || c.admin1.as_ref() == Some(a),
            None => false,
        }
    }

    /// The phrase of one sentence that best names the event's place.
    fn pick(&self, cands: &[usize], anchor: Option<usize>) -> Option<usize> {
        let spec = |i: usize| self.phrases[i].res.specificity();
        let weak = |i: usize| self.phrases[i].origin == Origin::Weak;
        // a place of origin loses only to a place that says more than the country
        let weak_pen = |i: usize| weak(i) && cands.iter().any(|&j| !weak(j) && spec(j) >= 2);
        // a country is the answer only when nothing else is named
        let country_pen = |i: usize| spec(i) == 0 && cands.iter().any(|&j| spec(j) > 0);
        let chosen = match anchor {
            Some(a) => cands.iter().copied().min_by_key(|&i| {
                let p = &self.phrases[i];
                let dist = if p.head.0 >= a { p.head.0 - a } else { (a.saturating_sub(p.end)) * 3 / 2 };
                (country_pen(i), self.clause_between(a, p.head.0), weak_pen(i), dist)
            }),
            None => cands.iter().copied().min_by_key(|&i| (country_pen(i), weak_pen(i), self.phrases[i].head.0)),
        }?;
        // a coarse answer ("ريف دير الزور") refined by a more specific compatible place of the same clause
        let spec = spec(chosen);
        let better = cands
            .iter()
            .copied()
            .filter(|&i| i != chosen && !weak(i) && self.phrases[i].res.specificity() > spec.max(3))
            .filter(|&i| anchor.is_none() || !self.clause_between(self.phrases[chosen].head.0, self.phrases[i].head.0))
            .filter(|&i| self.compatible(chosen, i))
            .max_by_key(|&i| (self.phrases[i].res.specificity(), std::cmp::Reverse(self.phrases[i].head.0)));
        Some(better.unwrap_or(chosen))
    }

    /// Index of the phrase that places an event (see [`locate`]); `context` allows reading the
    /// neighbouring sentences when the evidence names no place.
    pub fn choose(&self, sentences: &[(usize, usize)], anchor: Option<usize>, context: bool) -> Option<usize> {
        let mut ranges: Vec<(usize, usize)> = sentences.to_vec();
        if ranges.is_empty() {
            let a = anchor?;
            let si = in_sentence(&self.sentences, a);
            ranges.push(*self.sentences.get(si)?);
        }
        let mut best: Option<usize> = None;
        for &(s, e) in &ranges {
            let cands = self.phrases_in(s, e);
            let a = anchor.filter(|&a| s <= a && a <= e);
            let Some(p) = self.pick(&cands, a) else { continue };
            best = match best {
                None => Some(p),
                Some(b) => {
                    let (sb, sp) = (self.phrases[b].res.specificity(), self.phrases[p].res.specificity());
                    let upgrade = sp > sb.max(3) || (sb <= 2 && sp > sb);
                    if upgrade && self.phrases[p].origin == Origin::No && self.compatible(b, p) {
                        Some(p)
                    } else {
                        Some(b)
                    }
                }
            };
        }
        if best.is_some() || !context {
            return best;
        }
        // Nothing in the evidence: the place just named ("وشهدت المنطقة…"), nearest first.
        let (s0, e0) = ranges[0];
        let first = in_sentence(&self.sentences, s0);
        let last = in_sentence(&self.sentences, e0.saturating_sub(1).max(s0));
        let para = |i: usize| self.paragraph.get(i).copied().unwrap_or(0);
        let in_ranges = |i: usize| {
            let (s, e) = self.sentences[i];
            ranges.iter().any(|&(a, b)| s < b && a < e)
        };
        let mut order: Vec<(usize, bool)> = Vec::new();
        let mut i = first;
        while i > 0 && para(i - 1) == para(first) && first - i < 3 {
            i -= 1;
            order.push((i, true));
        }
        for j in last + 1..(last + 3).min(self.sentences.len()) {
            if para(j) != para(last) {
                break;
            }
            order.push((j, false));
        }
        let mut i = order.iter().filter(|o| o.1).map(|o| o.0).min().unwrap_or(first);
        while i > 0 && first - i < 4 {
            i -= 1;
            order.push((i, true));
        }
        for (si, before) in order {
            if in_ranges(si) {
                continue;
            }
            let Some(&(s, e)) = self.sentences.get(si) else { continue };
            let cands = self.phrases_in(s, e);
            // the most specific place of the sentence, the document's topic first, then the nearest
            let pick = cands.iter().copied().max_by_key(|&i| {
                let p = &self.phrases[i];
                let near = if before { p.head.0 as i64 } else { -(p.head.0 as i64) };
                (p.origin == Origin::No, p.res.specificity(), p.weight, near)
            });
            if pick.is_some() {
                return pick;
            }
        }
        None
    }
}

/// Chooses the location of an event. `sentences` are the normalised byte ranges of the event's
/// evidence sentences, most important first; `anchor` is the byte offset of the event's trigger
/// in the normalised text (the place nearest to it, in its clause, is preferred; places that name
/// someone's origin, "من مدينة X", are not where the event happened). Returns `None` when no place
/// is given.
///
/// When the evidence names no place but is made of whole sentences (as
/// `marsad_text::sentences::split_sentences` cuts them), the neighbouring sentences of the same
/// paragraph, then the few before it, are read: an event told without its place ("وشهدت
/// المنطقة حركة نزوح") happened at the place just named. A range that is only part of a
/// sentence (a clause) is read alone; [`locate_strict`] never reads beyond the ranges.
pub fn locate(
    gaz: &Gazetteer,
    doc: &DocGeo,
    norm: &NormalizedText,
    original: &str,
    sentences: &[(usize, usize)],
    anchor: Option<usize>,
) -> Option<Location> {
    let whole = sentences.is_empty() || sentences.iter().any(|r| doc.sentences.binary_search(r).is_ok());
    let i = doc.choose(sentences, anchor, whole)?;
    Some(location_of(gaz, doc, norm, original, i))
}

/// Like [`locate`], reading only the given ranges.
pub fn locate_strict(
    gaz: &Gazetteer,
    doc: &DocGeo,
    norm: &NormalizedText,
    original: &str,
    ranges: &[(usize, usize)],
    anchor: Option<usize>,
) -> Option<Location> {
    let i = doc.choose(ranges, anchor, false)?;
    Some(location_of(gaz, doc, norm, original, i))
}

/// The export record of one phrase.
pub fn location_of(gaz: &Gazetteer, doc: &DocGeo, norm: &NormalizedText, original: &str, phrase: usize) -> Location {
    let p = &doc.phrases[phrase];
    let span = |s: usize, e: usize| -> String {
        let (os, oe) = norm.orig_range(s, e, original);
        original.get(os..oe).unwrap_or("").trim().to_string()
    };
    let r = &p.res;
    let (place_id, name_ar, name_en) = match r.place {
        Some(i) if (i as usize) < gaz.len() => {
            let pl = gaz.place(i);
            (Some(pl.id.clone()), Some(pl.name_ar.clone()), Some(pl.name_en.clone()).filter(|s| !s.is_empty()))
        }
        _ => (None, Some(span(p.head.0, p.head.1)), None),
    };
    let admin1_name = r.admin1.as_deref().and_then(|a| gaz.admin1_name(a)).map(str::to_string);
    Location {
        text: span(p.start, p.end),
        place_id,
        name_ar,
        name_en,
        admin1: r.admin1.clone(),
        admin1_name,
        admin2: r.admin2.clone(),
        lat: r.lat,
        lon: r.lon,
        precision: r.precision.to_string(),
        country: r.country.clone(),
    }
}

#[cfg(test)]
mod tests;
