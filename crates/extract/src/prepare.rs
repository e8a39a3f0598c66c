//! Stage 1: everything later stages read, computed once per document.

use crate::discourse::{self, Class, Classes};
use crate::Engine;
use marsad_geo::DocGeo;
use marsad_ingest::DocAnalysis;
use marsad_lexicon::{Cue, Entry, Flags, Lexicon, Mention, Number, PersonClass, Pos, Role};
use marsad_model::Document;
use marsad_text::dates::{self, Anchor, DateExpr};
use marsad_text::numbers::{self, NumberMatch};
use marsad_text::{normalize, NormalizedText};

/// One sentence of the document (normalised byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// The headline.
    pub title: bool,
    /// Ends with a question mark.
    pub question: bool,
}

/// The document as later stages see it.
pub struct Prepared<'a> {
    pub engine: &'a Engine,
    pub doc: &'a Document,
    pub original: &'a str,
    pub norm: NormalizedText,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub numbers: Vec<NumberMatch>,
    pub dates: Vec<DateExpr>,
    pub geo: DocGeo,
    pub anchor: Option<Anchor>,
    /// Actor codes the document names explicitly (not by back-reference).
    pub named_actors: Vec<String>,
    /// The clauses of every sentence ([`crate::clause::clauses`]), cut once for candidates and
    /// tallies alike.
    pub clauses: Vec<crate::clause::Clause>,
    /// Byte → character offsets of the original, for evidence spans.
    pub chars: marsad_model::CharIndex,
    /// The whitespace-separated chunks of the normalised text, for [`Prepared::words_between`]
    /// (asked hundreds of times per document: counted here once).
    pub chunks: Chunks,
}

/// The whitespace-separated chunks of a text (as `split_whitespace` cuts them), a running
/// count of those that are words (hold a letter or digit), and what the discourse lists say of
/// each.
#[derive(Debug, Clone, Default)]
pub struct Chunks {
    /// (start, end) byte offsets, in order.
    spans: Vec<(u32, u32)>,
    /// `words_before[i]`: how many of the first `i` chunks are words.
    words_before: Vec<u32>,
    /// `classes[i]`: [`ChunkClasses::of`] the `i`th chunk (clauses and tallies read every chunk
    /// of every sentence: looked up here once).
    classes: Vec<ChunkClasses>,
}

/// What the discourse lists say of one whitespace-separated chunk of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChunkClasses {
    /// Classes of the chunk trimmed of what is not a letter or digit ("فيما،" → "فيما").
    pub word: Classes,
    /// Classes of the chunk without its leading "و"s, then trimmed ("وسجل" → "سجل").
    pub after_and: Classes,
    /// The chunk as it stands is the first word of a clause phrase ("في" of "في حين").
    pub phrase_head: bool,
}

impl ChunkClasses {
    pub fn of(chunk: &str) -> Self {
        Self::with_trimmed(chunk, trim_to_alnum(chunk))
    }

    /// [`ChunkClasses::of`] when the caller knows `trimmed`, the chunk trimmed of what is not a
    /// letter or digit.
    fn with_trimmed(chunk: &str, trimmed: &str) -> Self {
        let word = discourse::classes(trimmed);
        let after_and = if chunk.starts_with('و') {
            discourse::classes(trim_to_alnum(chunk.trim_start_matches('و')))
        } else {
            word
        };
        let phrase_head = discourse::is_phrase_head(chunk, Class::ClausePhrase);
        ChunkClasses { word, after_and, phrase_head }
    }
}

fn trim_to_alnum(w: &str) -> &str {
    w.trim_matches(|c: char| !marsad_text::is_alnum(c))
}

impl Chunks {
    pub fn new(text: &str) -> Self {
        // Words average some six bytes with their space: a cheap over-estimate avoids regrowth.
        let mut spans = Vec::with_capacity(text.len() / 5 + 1);
        let mut words_before = Vec::with_capacity(text.len() / 5 + 2);
        let mut classes = Vec::with_capacity(text.len() / 5 + 1);
        words_before.push(0u32);
        let mut words = 0u32;
        let mut start: Option<usize> = None;
        let mut word = false;
        // The chunk's letters and digits run from `alnum.0` to `alnum.1` (when `word`).
        let mut alnum = (0, 0);
        let bytes = text.as_bytes();
        let trimmed = |s: usize, word: bool, (a, b): (usize, usize)| if word { &text[a..b] } else { &text[s..s] };
        let mut i = 0;
        while i < bytes.len() {
            let b0 = bytes[i];
            // ASCII decided on the byte; other characters decoded (the text is valid UTF-8).
            let (space, is_alnum, len) = if b0 < 0x80 {
                (matches!(b0, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'), b0.is_ascii_alphanumeric(), 1)
            } else if (0xD8..=0xDB).contains(&b0) && i + 1 < bytes.len() {
                // The Arabic block (U+0600–U+06FF, two bytes) holds no whitespace.
                let cp = (u32::from(b0 & 0x1F) << 6) | u32::from(bytes[i + 1] & 0x3F);
                (false, char::from_u32(cp).is_some_and(marsad_text::is_alnum), 2)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.is_whitespace(), marsad_text::is_alnum(c), c.len_utf8())
            };
            if space {
                if let Some(s) = start.take() {
                    spans.push((s as u32, i as u32));
                    classes.push(ChunkClasses::with_trimmed(&text[s..i], trimmed(s, word, alnum)));
                    words += word as u32;
                    words_before.push(words);
                }
            } else {
                if start.is_none() {
                    start = Some(i);
                    word = false;
                }
                if is_alnum {
                    if !word {
                        alnum.0 = i;
                    }
                    alnum.1 = i + len;
                    word = true;
                }
            }
            i += len;
        }
        if let Some(s) = start {
            spans.push((s as u32, text.len() as u32));
            classes.push(ChunkClasses::with_trimmed(&text[s..], trimmed(s, word, alnum)));
            words += word as u32;
            words_before.push(words);
        }
        Chunks { spans, words_before, classes }
    }

    /// The chunks of `text[a..b]` (as `split_whitespace` cuts that slice; `a`, `b` character
    /// boundaries of the text these chunks were cut from): (start, end, classes). A chunk cut by
    /// a bound is the part inside, its classes those of that part.
    fn classes_between<'t>(&'t self, text: &'t str, a: usize, b: usize) -> impl Iterator<Item = (usize, usize, ChunkClasses)> + 't {
        let (a32, b32) = (a as u32, b as u32);
        let i = self.spans.partition_point(|&(_, e)| e <= a32);
        let j = self.spans.partition_point(|&(s, _)| s < b32).max(i);
        self.spans[i..j].iter().zip(&self.classes[i..j]).map(move |(&(s, e), &c)| {
            if s >= a32 && e <= b32 {
                (s as usize, e as usize, c)
            } else {
                let (s, e) = (s.max(a32) as usize, e.min(b32) as usize);
                (s, e, ChunkClasses::of(&text[s..e]))
            }
        })
    }

    /// Number of words in `text[a..b]` (a < b, both character boundaries of the text these
    /// chunks were cut from): chunks of the slice that hold a letter or digit. A chunk cut by a
    /// bound counts by the part inside.
    fn words_between(&self, text: &str, a: usize, b: usize) -> usize {
        let (a32, b32) = (a as u32, b as u32);
        let i = self.spans.partition_point(|&(_, e)| e <= a32);
        let j = self.spans.partition_point(|&(s, _)| s < b32);
        if i >= j {
            return 0;
        }
        let has_word = |s: u32, e: u32| {
            text[s.max(a32) as usize..e.min(b32) as usize]
                .chars()
                .any(marsad_text::is_alnum)
        };
        let (mut lo, mut hi) = (i, j);
        let mut n = 0;
        let (s, e) = self.spans[i];
        if s < a32 || e > b32 {
            n += has_word(s, e) as usize;
            lo = i + 1;
        }
        if lo < hi {
            let (s, e) = self.spans[j - 1];
            if e > b32 {
                n += has_word(s, e) as usize;
                hi = j - 1;
            }
        }
        if lo < hi {
            n += (self.words_before[hi] - self.words_before[lo]) as usize;
        }
        n
    }
}

impl<'a> Prepared<'a> {
    /// Takes the normalised text and dates the analysis computed (or computes them).
    pub fn new(engine: &'a Engine, doc: &'a Document, analysis: &mut DocAnalysis) -> Self {
        let original = doc.text.as_str();
        let had_norm = analysis.norm.is_some();
        let norm = analysis.norm.take().unwrap_or_else(|| normalize(original));
        let found = std::mem::take(&mut analysis.dates);
        let text = norm.text.as_str();
        // Boilerplate and title ranges come in original offsets; compare in original offsets.
        let furniture = &analysis.boilerplate;
        let title = analysis.title;
        let mentions = engine.lexicon.scan(text);
        // A result cue ("أسفر عن"، "أدى إلى") opening the sentence, within its first word.
        let opens_with_result = |s: usize, e: usize| {
            let lo = mentions.partition_point(|m| m.start < s);
            mentions[lo..]
                .iter()
                .take_while(|m| m.start < e)
                .next()
                .is_some_and(|m| {
                    text[s..m.start].split_whitespace().count() <= 1
                        && engine.lexicon.entries(m.pattern).iter().any(|x| {
                            matches!(
                                x,
                                Entry::Cue {
                                    cue: Cue::Result,
                                    ..
                                }
                            )
                        })
                })
        };
        let mut sentences = Vec::new();
        let sentence_spans = marsad_text::sentences::split_sentences(text);
        for &(s, e) in &sentence_spans {
            let (os, oe) = norm.orig_range(s, e, original);
            if furniture.iter().any(|&(fs, fe)| os < fe && fs < oe) {
                continue;
            }
            let is_title = title.is_some_and(|(ts, te)| os < te && ts < oe);
            let question = text[s..e].trim_end().ends_with('?');
            // "…؛ ما أسفر عن مقتل …" continues the sentence before it: the result of its act.
            if opens_with_result(s, e) {
                if let Some(last) = sentences.last_mut() {
                    let last: &mut Sentence = last;
                    if !last.title
                        && text[last.end..s]
                            .chars()
                            .all(|c| c.is_whitespace() || c == '؛' || c == ';')
                        && !text[last.end..s].contains('\n')
                    {
                        last.end = e;
                        last.question |= question;
                        continue;
                    }
                }
            }
            sentences.push(Sentence {
                start: s,
                end: e,
                title: is_title,
                question,
            });
        }
        let numbers = numbers::find_numbers(text);
        let dates: Vec<DateExpr> = if had_norm {
            found.into_iter().map(|f| f.expr).collect()
        } else {
            dates::find_dates(text)
        };
        let geo = DocGeo::with_sentences(&engine.gazetteer, &norm, &sentence_spans);
        let mut named_actors: Vec<String> = Vec::new();
        for m in &mentions {
            for e in engine.lexicon.entries(m.pattern) {
                if let Entry::Actor { code, flags } = e {
                    if !flags.has(Flags::ANAPHOR) && !named_actors.contains(code) {
                        named_actors.push(code.clone());
                    }
                }
            }
        }
        let mut prepared = Prepared {
            clauses: Vec::new(),
            chunks: Chunks::new(&norm.text),
            chars: marsad_model::CharIndex::new(original),
            engine,
            doc,
            original,
            norm,
            sentences,
            mentions,
            numbers,
            dates,
            geo,
            anchor: analysis.anchor,
            named_actors,
        };
        prepared.clauses = crate::clause::clauses(&prepared);
        prepared
    }

    pub fn text(&self) -> &str {
        &self.norm.text
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.engine.lexicon
    }

    /// Mentions whose word lies inside `[start, end)`.
    pub fn mentions_in(&self, start: usize, end: usize) -> &[Mention] {
        let lo = self.mentions.partition_point(|m| m.start < start);
        let hi = self.mentions.partition_point(|m| m.start < end);
        &self.mentions[lo..hi]
    }

    /// Numbers inside `[start, end)`.
    pub fn numbers_in(&self, start: usize, end: usize) -> &[NumberMatch] {
        let lo = self.numbers.partition_point(|n| n.start < start);
        let hi = self.numbers.partition_point(|n| n.start < end);
        &self.numbers[lo..hi]
    }

    pub fn cue(&self, m: &Mention) -> Option<(Cue, &str)> {
        self.lexicon()
            .entries(m.pattern)
            .iter()
            .find_map(|e| match e {
                Entry::Cue { cue, value } => Some((*cue, value.as_str())),
                _ => None,
            })
    }

    pub fn has_cue(&self, m: &Mention, c: Cue) -> bool {
        self.lexicon()
            .entries(m.pattern)
            .iter()
            .any(|e| matches!(e, Entry::Cue { cue, .. } if *cue == c))
    }

    pub fn cue_value(&self, m: &Mention, c: Cue) -> Option<&str> {
        self.lexicon()
            .entries(m.pattern)
            .iter()
            .find_map(|e| match e {
                Entry::Cue { cue, value } if *cue == c => Some(value.as_str()),
                _ => None,
            })
    }

    pub fn trigger(&self, m: &Mention) -> Option<TriggerInfo> {
        self.lexicon()
            .entries(m.pattern)
            .iter()
            .find_map(|e| match e {
                Entry::Trigger {
                    event_type,
                    pos,
                    number,
                    flags,
                } => Some(TriggerInfo {
                    event_type,
                    pos: *pos,
                    number: *number,
                    flags: *flags,
                }),
                _ => None,
            })
    }

    pub fn effect(&self, m: &Mention) -> Option<(Role, Pos, Number, Flags)> {
        self.lexicon()
            .entries(m.pattern)
            .iter()
            .find_map(|e| match e {
                Entry::Effect {
                    role,
                    pos,
                    number,
                    flags,
                } => Some((*role, *pos, *number, *flags)),
                _ => None,
            })
    }

    pub fn actor(&self, m: &Mention) -> Option<(&str, Flags)> {
        self.lexicon()
            .entries(m.pattern)
            .iter()
            .find_map(|e| match e {
                Entry::Actor { code, flags } => {
                    // A back-reference ("التنظيم") counts only when the document names the actor.
                    if flags.has(Flags::ANAPHOR) && !self.named_actors.iter().any(|a| a == code) {
                        None
                    } else {
                        Some((code.as_str(), *flags))
                    }
                }
                _ => None,
            })
    }

    pub fn person(&self, m: &Mention) -> Option<(PersonClass, Number)> {
        self.lexicon()
            .entries(m.pattern)
            .iter()
            .find_map(|e| match e {
                Entry::Person { class, number } => Some((*class, *number)),
                _ => None,
            })
    }

    /// Number of words between two normalised offsets (a < b).
    pub fn words_between(&self, a: usize, b: usize) -> usize {
        if a >= b {
            return 0;
        }
        // Punctuation standing alone (a quote before a name) is no word.
        // (A bound inside a character is a caller's bug; count nothing rather than panic.)
        let text = self.text();
        if b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            return 0;
        }
        self.chunks.words_between(text, a, b)
    }

    /// The whitespace-separated chunks of the normalised `text[a..b]` with what the discourse
    /// lists say of them: (start, end, classes). See [`Chunks::classes_between`].
    pub fn chunk_classes(&self, a: usize, b: usize) -> impl Iterator<Item = (usize, usize, ChunkClasses)> + '_ {
        let text = self.text();
        // (Bounds off the text or inside a character are a caller's bug: no chunks, no panic.)
        let ok = a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b);
        let (a, b) = if ok { (a, b) } else { (0, 0) };
        self.chunks.classes_between(text, a, b)
    }

    /// Whether an effect word ends within `words` words before `pos` (not before `lo`).
    pub fn effect_before(&self, lo: usize, pos: usize, words: usize) -> bool {
        self.mentions_in(lo, pos)
            .iter()
            .rev()
            .take_while(|m| self.words_between(m.end, pos) <= words)
            .any(|m| self.effect(m).is_some())
    }

    /// Index of the sentence containing offset `pos`.
    pub fn sentence_of(&self, pos: usize) -> Option<usize> {
        self.sentences
            .iter()
            .position(|s| s.start <= pos && pos < s.end)
    }
}

/// What a trigger entry says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerInfo {
    pub event_type: &'static str,
    pub pos: Pos,
    pub number: Number,
    pub flags: Flags,
}

#[cfg(test)]
mod chunk_tests {
    use super::{ChunkClasses, Chunks};
    use crate::discourse::Class;

    /// The definition `words_between` replaces: the words of the slice itself.
    fn by_slicing(t: &str, a: usize, b: usize) -> usize {
        t[a..b]
            .split_whitespace()
            .filter(|w| w.chars().any(marsad_text::is_alnum))
            .count()
    }

    /// Calls `f(a, b)` for every pair of character boundaries a < b of `t`.
    fn every_range(t: &str, mut f: impl FnMut(usize, usize)) {
        let bounds: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
        for &a in &bounds {
            for &b in bounds.iter().filter(|&&b| b > a) {
                f(a, b);
            }
        }
    }

    #[test]
    fn counting_by_chunks_equals_counting_the_slice() {
        let t = "  قتل «3» عناصر ،  في هجوم - على حاجز\nقرب البلدة .\u{00A0}ؤ٣\u{2003}x ";
        let c = Chunks::new(t);
        every_range(t, |a, b| assert_eq!(c.words_between(t, a, b), by_slicing(t, a, b), "{a}..{b}"));
    }

    #[test]
    fn chunk_classes_equal_those_of_the_slice_cut_by_whitespace() {
        let t = " قتل عنصر، فيما «وسجلت» - الجهات وو في حين\nأصيب آخر؛بينما ";
        let c = Chunks::new(t);
        every_range(t, |a, b| {
            let by_slicing: Vec<(usize, usize, ChunkClasses)> = t[a..b]
                .split_whitespace()
                .map(|w| {
                    let s = w.as_ptr() as usize - t.as_ptr() as usize;
                    (s, s + w.len(), ChunkClasses::of(w))
                })
                .collect();
            assert_eq!(c.classes_between(t, a, b).collect::<Vec<_>>(), by_slicing, "{a}..{b}");
        });
        let of = |w: &str| ChunkClasses::of(w);
        assert!(of("فيما،").word.has(Class::ClauseWord));
        // The conjunction comes off only where it opens the chunk.
        assert!(!of("«وسجلت»").after_and.has(Class::Record));
        assert!(of("وسجلت").after_and.has(Class::Record) && !of("وسجلت").word.has(Class::Record));
        assert!(of("في").phrase_head && !of("في،").phrase_head);
    }
}
