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

struct Words {
    by_word: HashMap<String, Vec<Class>>,
    phrases: Vec<(String, Class)>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let mut by_word: HashMap<String, Vec<Class>> = HashMap::default();
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
        by_word.entry(word).or_default().push(class);
    }
    Words { by_word, phrases }
});

/// Whether a (folded) word or phrase belongs to a class.
pub fn is(word: &str, class: Class) -> bool {
    WORDS.by_word.get(word).is_some_and(|c| c.contains(&class))
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
    }
}
