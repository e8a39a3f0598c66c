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

mod phrase;
mod resolve;
pub mod words;

use marsad_gazetteer::{Gazetteer, PlaceMatch};
use marsad_model::Location;
use marsad_text::NormalizedText;
use phrase::{in_sentence, lead, link, strip_article, tok_at, tok_text, unknown_names, Lead};
use resolve::{admin1_of_match, dominance, resolve, unknown_resolution, Context};
use words::{classify, is_clause_punct, tokenize, Class, Kind};

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
        let sentences = marsad_text::sentences::split_sentences(&norm.text);
        Self::with_sentences(gaz, norm, &sentences)
    }

    /// [`DocGeo::new`] with the sentences of the normalised text already cut (by
    /// [`marsad_text::sentences::split_sentences`]; the extractor has them).
    pub fn with_sentences(gaz: &Gazetteer, norm: &NormalizedText, sentences: &[(usize, usize)]) -> Self {
        let text = norm.text.as_str();
        let matches = gaz.scan(text);
        let toks = tokenize(text);
        let paragraph = paragraphs(text, sentences);
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

        let mut mentions: Vec<Mention> = matches
            .iter()
            .enumerate()
            .map(|(i, m)| Mention {
                start: m.start,
                end: m.end,
                known: Some(i),
            })
            .collect();
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
            let si = in_sentence(sentences, m.start);
            let joined = if si == last_sentence {
                chains
                    .last()
                    .and_then(|c| c.last())
                    .and_then(|(prev, _)| link(text, &toks, prev.end, m.start))
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
            let si = in_sentence(sentences, m.start);
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
            let bare_ctx = Context {
                qual: Vec::new(),
                sentence: Vec::new(),
                dominant: &dominant,
                dominant_country: dominant_country.as_ref(),
            };
            // a name that resolves to a governorate, a region or the country on its own
            let coarse = |m: &Mention, l: &Lead| -> bool {
                match m.known {
                    None => false,
                    Some(k) => {
                        l.countryside
                            || l.desert
                            || resolve(gaz, &matches[k].places, l, &bare_ctx).specificity() <= 2
                    }
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
            let sentence = in_sentence(sentences, head.start);
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
                        let inter: Vec<String> =
                            qual.iter().filter(|a| set.contains(a)).cloned().collect();
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
                let qualifies = if i > hi {
                    *lk == Link::Qualifier
                        && chain[hi + 1..=i].iter().all(|x| x.1 == Link::Qualifier)
                } else {
                    true
                };
                if qualifies {
                    add_qual(m, &mut qual);
                }
            }
            // the phrase span: lead words, the names, trailing direction adjectives
            let first = &chain[0].0;
            let first_lead = if hi == 0 {
                l
            } else {
                lead(text, &toks, first.start, 0)
            };
            let start = first_lead.start.min(first.start);
            let mut end = chain.last().map(|c| c.0.end).unwrap_or(head.end);
            let mut k = tok_at(&toks, end);
            while let Some(t) = toks.get(k) {
                if t.word
                    && !t.newline_before
                    && classify(tok_text(text, t)).is_some_and(|c| c.0 == Class::DirAdj)
                {
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
                if let Some(t) = toks
                    .get(tok_at(&toks, end))
                    .filter(|t| !t.word && t.start == end)
                {
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
                        let own: Vec<String> = head
                            .known
                            .map(|k| admin1_of_match(gaz, &matches[k], false))
                            .unwrap_or_default();
                        v.iter()
                            .filter(|a| own.len() > 1 || !own.contains(a))
                            .cloned()
                            .collect()
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
                        let sites: Vec<u32> = gaz
                            .exact(&key)
                            .into_iter()
                            .filter(|&i| gaz.place(i).level == "site")
                            .collect();
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
                let town = chain
                    .iter()
                    .enumerate()
                    .skip(hi + 1)
                    .find_map(|(i, (m, lk))| {
                        let k = m.known.filter(|_| *lk == Link::Qualifier)?;
                        let ql = lead(text, &toks, m.start, chain[i - 1].0.end);
                        let q = resolve(
                            gaz,
                            &matches[k].places,
                            &Lead {
                                hint: Hint::Town,
                                ..ql
                            },
                            &bare_ctx,
                        );
                        let pl = gaz.place(q.place?);
                        let cap = gaz.info(q.place?).and_then(|x| x.capital_level);
                        (pl.level == "place"
                            && (cap.is_some_and(|c| c <= 3) || ql.kind == Some(Kind::Town)))
                        .then_some(q)
                    });
                match town {
                    Some(t) => {
                        let far = match (res.lat.zip(res.lon), t.lat.zip(t.lon)) {
                            (Some(a), Some(b)) => {
                                marsad_gazetteer::geom::haversine_km(a.0, a.1, b.0, b.1) > 10.0
                            }
                            _ => res.place.is_none(),
                        };
                        if far {
                            Resolution {
                                precision: "place",
                                ..t
                            }
                        } else {
                            res
                        }
                    }
                    None => res,
                }
            } else {
                res
            };
            phrases.push(Phrase {
                start,
                end,
                head: (head.start, head.end),
                sentence,
                origin: l.origin,
                hint: l.hint,
                res,
                weight: 1,
            });
        }
        // topic weight: phrases naming the same place (or the same unknown name)
        #[derive(PartialEq, Eq, Hash)]
        enum Key<'t> {
            Place(u32),
            Name(&'t str),
        }
        let key = |p: &Phrase| match p.res.place {
            Some(i) => Key::Place(i),
            None => Key::Name(text.get(p.head.0..p.head.1).unwrap_or("")),
        };
        let mut counts: std::collections::HashMap<Key, u32> = std::collections::HashMap::new();
        for p in phrases.iter().filter(|p| p.origin != Origin::Strong) {
            *counts.entry(key(p)).or_default() += 1;
        }
        let weights: Vec<u32> = phrases
            .iter()
            .map(|p| counts.get(&key(p)).copied().unwrap_or(0))
            .collect();
        for (p, w) in phrases.iter_mut().zip(weights) {
            p.weight = w;
        }

        DocGeo {
            matches,
            phrases,
            sentences: sentences.to_vec(),
            paragraph,
            dominant,
            dominant_country,
            clause_marks,
        }
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
                let dist = if p.head.0 >= a {
                    p.head.0 - a
                } else {
                    (a.saturating_sub(p.end)) * 3 / 2
                };
                (
                    country_pen(i),
                    self.clause_between(a, p.head.0),
                    weak_pen(i),
                    dist,
                )
            }),
            None => cands
                .iter()
                .copied()
                .min_by_key(|&i| (country_pen(i), weak_pen(i), self.phrases[i].head.0)),
        }?;
        // a coarse answer ("ريف دير الزور") refined by a more specific compatible place of the same clause
        let spec = spec(chosen);
        let better = cands
            .iter()
            .copied()
            .filter(|&i| i != chosen && !weak(i) && self.phrases[i].res.specificity() > spec.max(3))
            .filter(|&i| {
                anchor.is_none()
                    || !self.clause_between(self.phrases[chosen].head.0, self.phrases[i].head.0)
            })
            .filter(|&i| self.compatible(chosen, i))
            .max_by_key(|&i| {
                (
                    self.phrases[i].res.specificity(),
                    std::cmp::Reverse(self.phrases[i].head.0),
                )
            });
        Some(better.unwrap_or(chosen))
    }

    /// Index of the phrase that places an event (see [`locate`]); `context` allows reading the
    /// neighbouring sentences when the evidence names no place.
    pub fn choose(
        &self,
        sentences: &[(usize, usize)],
        anchor: Option<usize>,
        context: bool,
    ) -> Option<usize> {
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
            let Some(p) = self.pick(&cands, a) else {
                continue;
            };
            best = match best {
                None => Some(p),
                Some(b) => {
                    let (sb, sp) = (
                        self.phrases[b].res.specificity(),
                        self.phrases[p].res.specificity(),
                    );
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
        let mut i = order
            .iter()
            .filter(|o| o.1)
            .map(|o| o.0)
            .min()
            .unwrap_or(first);
        while i > 0 && first - i < 4 {
            i -= 1;
            order.push((i, true));
        }
        for (si, before) in order {
            if in_ranges(si) {
                continue;
            }
            let Some(&(s, e)) = self.sentences.get(si) else {
                continue;
            };
            let cands = self.phrases_in(s, e);
            // the most specific place of the sentence, the document's topic first, then the nearest
            let pick = cands.iter().copied().max_by_key(|&i| {
                let p = &self.phrases[i];
                let near = if before {
                    p.head.0 as i64
                } else {
                    -(p.head.0 as i64)
                };
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
    let whole = sentences.is_empty()
        || sentences
            .iter()
            .any(|r| doc.sentences.binary_search(r).is_ok());
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
pub fn location_of(
    gaz: &Gazetteer,
    doc: &DocGeo,
    norm: &NormalizedText,
    original: &str,
    phrase: usize,
) -> Location {
    let p = &doc.phrases[phrase];
    let span = |s: usize, e: usize| -> String {
        let (os, oe) = norm.orig_range(s, e, original);
        original.get(os..oe).unwrap_or("").trim().to_string()
    };
    let r = &p.res;
    let (place_id, name_ar, name_en) = match r.place {
        Some(i) if (i as usize) < gaz.len() => {
            let pl = gaz.place(i);
            (
                Some(pl.id.clone()),
                Some(pl.name_ar.clone()),
                Some(pl.name_en.clone()).filter(|s| !s.is_empty()),
            )
        }
        _ => (None, Some(span(p.head.0, p.head.1)), None),
    };
    let admin1_name = r
        .admin1
        .as_deref()
        .and_then(|a| gaz.admin1_name(a))
        .map(str::to_string);
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
