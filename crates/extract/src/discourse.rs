//! The discourse words the extraction rules read (`data/discourse.tsv`), loaded once: closed
//! classes of Arabic function and frame words (clause openers, facility nouns, "belonging to",
//! ordinals of another act …). The lexicon proper (triggers, effects, actors, cues) lives in
//! `marsad-lexicon`; these are the words that only steer the rules of this crate.

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

/// A class of discourse words (see the file's header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    ClauseWord,
    ClausePhrase,
    Facility,
    Belonging,
    Apposition,
    Finding,
    Was,
    Another,
    Cell,
    TimeUnit,
    That,
    CountBetween,
    DualRegion,
    Relation,
    Village,
    Operation,
    Record,
    KillingNoun,
}

impl Class {
    fn parse(s: &str) -> Option<Class> {
        Some(match s {
            "clause_word" => Class::ClauseWord,
            "clause_phrase" => Class::ClausePhrase,
            "facility" => Class::Facility,
            "belonging" => Class::Belonging,
            "apposition" => Class::Apposition,
            "finding" => Class::Finding,
            "was" => Class::Was,
            "another" => Class::Another,
            "cell" => Class::Cell,
            "time_unit" => Class::TimeUnit,
            "that" => Class::That,
            "count_between" => Class::CountBetween,
            "dual_region" => Class::DualRegion,
            "relation" => Class::Relation,
            "village" => Class::Village,
            "operation" => Class::Operation,
            "record" => Class::Record,
            "killing_noun" => Class::KillingNoun,
            _ => return None,
        })
    }
}

/// A set of classes, one bit per [`Class`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Classes(u32);

impl Classes {
    pub const NONE: Classes = Classes(0);

    pub fn has(self, class: Class) -> bool {
        self.0 & (1 << class as u32) != 0
    }

    fn insert(&mut self, class: Class) {
        self.0 |= 1 << class as u32;
    }
}

/// Bits of [`Words::maybe`]: enough that a word's bit is rarely one of the hundred-odd words'.
const MAYBE_BITS: usize = 2048;

struct Words {
    by_word: HashMap<String, Classes>,
    phrases: Vec<(String, Class)>,
    /// The first word of each phrase.
    phrase_heads: Vec<(String, Class)>,
    /// One bit for each (byte length, last byte) of a listed word: most words of the text leave
    /// [`classes`] on this test without hashing (every word of every sentence is looked up).
    maybe: Box<[u64; MAYBE_BITS / 64]>,
}

/// The bit of [`Words::maybe`] a word falls on.
#[inline]
fn maybe_bit(word: &str) -> usize {
    let last = word.as_bytes().last().map_or(0, |&b| b as usize);
    (word.len().wrapping_mul(0x9E37) ^ (last << 3) ^ last) % MAYBE_BITS
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let mut by_word: HashMap<String, Classes> = HashMap::default();
    let mut phrases = Vec::new();
    for line in include_str!("../data/discourse.tsv").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(word), Some(class)) = (cols.next(), cols.next().and_then(Class::parse)) else {
            // The file ships with the crate and is tested; a bad line is a bug caught there.
            continue;
        };
        let word = marsad_text::normalize::fold(word.trim());
        if word.contains(' ') {
            phrases.push((word.clone(), class));
        }
        by_word.entry(word).or_default().insert(class);
    }
    let mut maybe = Box::new([0u64; MAYBE_BITS / 64]);
    for w in by_word.keys() {
        let b = maybe_bit(w);
        maybe[b / 64] |= 1 << (b % 64);
    }
    let phrase_heads = phrases
        .iter()
        .filter_map(|(p, c)| Some((p.split(' ').next()?.to_string(), *c)))
        .collect();
    Words { by_word, phrases, phrase_heads, maybe }
});

/// The classes a (folded) word or phrase belongs to.
#[inline]
pub fn classes(word: &str) -> Classes {
    let words = &*WORDS;
    let b = maybe_bit(word);
    if words.maybe[b / 64] & (1 << (b % 64)) == 0 {
        return Classes::NONE;
    }
    words.by_word.get(word).copied().unwrap_or_default()
}

/// Whether a (folded) word or phrase belongs to a class.
pub fn is(word: &str, class: Class) -> bool {
    classes(word).has(class)
}

/// Whether `word` is the first word of a phrase of the class (where a phrase may start).
pub fn is_phrase_head(word: &str, class: Class) -> bool {
    WORDS.phrase_heads.iter().any(|(h, c)| *c == class && h == word)
}

/// The phrases of a class (for matching at word starts).
pub fn phrases(class: Class) -> impl Iterator<Item = &'static str> {
    WORDS
        .phrases
        .iter()
        .filter(move |(_, c)| *c == class)
        .map(|(p, _)| p.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_parses() {
        for line in include_str!("../data/discourse.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 2, "{line}");
            assert!(Class::parse(cols[1]).is_some(), "{line}");
        }
        assert!(is("حاجزا", Class::Facility));
        assert!(is("التابع", Class::Belonging) && is("التابع", Class::Apposition));
        assert!(phrases(Class::ClausePhrase).any(|p| p == "في حين"));
        assert!(is_phrase_head("في", Class::ClausePhrase) && !is_phrase_head("حين", Class::ClausePhrase));
    }

    /// The bit filter in front of the map never turns a listed word away.
    #[test]
    fn classes_agree_with_the_lines_of_the_file() {
        for line in include_str!("../data/discourse.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut cols = line.split('\t');
            let word = marsad_text::normalize::fold(cols.next().unwrap().trim());
            let class = Class::parse(cols.next().unwrap()).unwrap();
            assert!(classes(&word).has(class), "{line}");
        }
        assert_eq!(classes("سيارة"), Classes::NONE);
        assert_eq!(classes(""), Classes::NONE);
    }
}
