//! Compiling the lexicon files into one automaton, and scanning normalised text with it.

use crate::entries::{parse_line, Entry};
use daachorse::CharwiseDoubleArrayAhoCorasick;
use marsad_text::normalize::fold_key;
use std::collections::HashMap;

/// The lexicon files shipped with marsad, in load order.
const BUILTIN: &[(&str, &str)] = &[
    ("triggers", include_str!("../data/triggers.tsv")),
    ("effects", include_str!("../data/effects.tsv")),
    ("actors", include_str!("../data/actors.tsv")),
    ("cues", include_str!("../data/cues.tsv")),
    ("persons", include_str!("../data/persons.tsv")),
];

/// Proclitic sequences that may stand before a lexicon form, longest first.
const PROCLITICS: &[&str] = &[
    "وبال", "فبال", "وكال", "ولل", "فلل", "وال", "بال", "فال", "كال", "لل", "ال", "وب", "ول", "فب",
    "فل", "وك", "فك", "وس", "و", "ف", "ب", "ل", "ك",
];

/// Suffixes that may follow a form: object pronouns and the accusative alif.
const SUFFIXES: &[&str] = &["هما", "هم", "هن", "ها", "نا", "كم", "ه", "ا"];

/// Why a lexicon could not be built.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}.tsv line {line}: {reason}")]
    Line { file: String, line: usize, reason: String },
    #[error("automaton: {0}")]
    Automaton(String),
}

/// A lexicon form found in normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte offsets of the whole word, proclitics and suffix included.
    pub start: usize,
    pub end: usize,
    /// Byte offsets of the form itself.
    pub form_start: usize,
    pub form_end: usize,
    /// The matched pattern; its entries are [`Lexicon::entries`].
    pub pattern: u32,
    /// The word carries the article (ال/لل), from the proclitic or the form itself.
    pub definite: bool,
}

/// The compiled lexicon. Build once, share read-only across threads.
pub struct Lexicon {
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    /// For each pattern, its entries.
    patterns: Vec<Vec<Entry>>,
    /// For each pattern, whether the form itself starts with the article.
    pattern_definite: Vec<bool>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").field("patterns", &self.patterns.len()).finish()
    }
}

impl Lexicon {
    /// The lexicon shipped with marsad.
    pub fn builtin() -> Result<Lexicon, LexiconError> {
        Self::from_sources(BUILTIN.iter().map(|(n, t)| (n.to_string(), t.to_string())))
    }

    /// Builds a lexicon from (file kind, TSV text) pairs. Kinds: triggers, effects, actors,
    /// cues, persons. Lines starting with '#' and blank lines are skipped.
    pub fn from_sources(sources: impl IntoIterator<Item = (String, String)>) -> Result<Lexicon, LexiconError> {
        let mut by_form: HashMap<String, usize> = HashMap::new();
        let mut forms: Vec<String> = Vec::new();
        let mut patterns: Vec<Vec<Entry>> = Vec::new();
        let mut add = |form: String, entry: Entry| {
            let idx = *by_form.entry(form.clone()).or_insert_with(|| {
                forms.push(form);
                patterns.push(Vec::new());
                patterns.len() - 1
            });
            if !patterns[idx].contains(&entry) {
                patterns[idx].push(entry);
            }
        };
        for (file, text) in sources {
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let cols: Vec<&str> = line.split('\t').collect();
                let (form, entry) = parse_line(&file, &cols)
                    .map_err(|reason| LexiconError::Line { file: file.clone(), line: i + 1, reason })?;
                let key = fold_key(&form);
                if key.chars().count() < 2 {
                    return Err(LexiconError::Line { file, line: i + 1, reason: "form shorter than two letters".into() });
                }
                // "ال" + X is also written "لل" + X after the preposition ل ("للتحالف").
                if let Some(rest) = key.strip_prefix("ال") {
                    add(format!("لل{rest}"), entry.clone());
                }
                add(key, entry);
            }
        }
        let pattern_definite = forms.iter().map(|f| f.starts_with("ال") || f.starts_with("لل")).collect();
        let automaton = CharwiseDoubleArrayAhoCorasick::with_values(
            forms.iter().enumerate().map(|(i, f)| (f.as_str(), i as u32)),
        )
        .map_err(|e| LexiconError::Automaton(e.to_string()))?;
        Ok(Lexicon { automaton, patterns, pattern_definite })
    }

    /// The entries of a matched pattern.
    pub fn entries(&self, pattern: u32) -> &[Entry] {
        &self.patterns[pattern as usize]
    }

    /// Number of distinct forms.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Every lexicon word in normalised text, left to right. Where matches overlap, the longest
    /// word wins (so "قوات سوريا الديمقراطية" beats "سوريا", "شن هجوما" beats "هجوما").
    pub fn scan(&self, norm: &str) -> Vec<Mention> {
        let mut found: Vec<Mention> = Vec::new();
        for m in self.automaton.find_overlapping_iter(norm) {
            let (fs, fe) = (m.start(), m.end());
            let Some((start, proclitic_definite)) = word_start(norm, fs) else { continue };
            let Some(end) = word_end(norm, fe) else { continue };
            let pattern = m.value();
            found.push(Mention {
                start,
                end,
                form_start: fs,
                form_end: fe,
                pattern,
                definite: proclitic_definite || self.pattern_definite[pattern as usize],
            });
        }
        longest_without_overlap(&found, norm.len())
    }
}

/// The mentions that remain when, longest form first (then leftmost, then first found), each
/// is kept unless its form overlaps one kept before; in text order. `text_len`: the length of
/// the text the forms lie in.
fn longest_without_overlap(found: &[Mention], text_len: usize) -> Vec<Mention> {
    // The order is sorted as (longest, leftmost, found first) keys rather than moving the
    // mentions themselves: the same order as a stable sort on the first two.
    let mut order: Vec<(std::cmp::Reverse<usize>, usize, usize)> =
        found.iter().enumerate().map(|(i, m)| (std::cmp::Reverse(m.form_end - m.form_start), m.start, i)).collect();
    order.sort_unstable();
    let mut kept: Vec<Mention> = Vec::with_capacity(found.len());
    // The bytes of the kept forms: a form overlaps a kept one exactly when it holds one of
    // their bytes (forms are never empty), so each is checked against its own bytes rather
    // than against every kept form.
    let mut taken = vec![false; text_len];
    for &(_, _, i) in &order {
        let m = found[i];
        let bytes = &mut taken[m.form_start..m.form_end];
        if !bytes.contains(&true) {
            bytes.fill(true);
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| m.start);
    kept
}

/// True for letters that make up Arabic or Latin words (digits are not letters: "ل67").
pub fn is_letter(c: char) -> bool {
    marsad_text::is_alpha(c)
}

/// Where the word holding a form that starts at `fs` begins: at `fs` when a non-letter precedes,
/// or before a proclitic sequence that itself starts the word. Returns the start and whether the
/// proclitic carries the article.
fn word_start(text: &str, fs: usize) -> Option<(usize, bool)> {
    // The proclitics are letters: the only sequence that can start the word is the whole run of
    // letters before the form, so that run is found and looked up (rather than trying every
    // proclitic as a suffix of the text before: asked for every match of the automaton).
    let longest = PROCLITICS.iter().map(|p| p.len()).max().unwrap_or(0);
    let mut ws = fs;
    for (i, c) in text[..fs].char_indices().rev() {
        if !is_letter(c) {
            break;
        }
        ws = i;
        if fs - ws > longest {
            return None;
        }
    }
    if ws == fs {
        return Some((fs, false));
    }
    let p = &text[ws..fs];
    PROCLITICS.contains(&p).then(|| (ws, p.ends_with("ال") || p.ends_with("لل")))
}

/// Where the word holding a form that ends at `fe` ends: at `fe` when a non-letter follows, or
/// after an allowed suffix that itself ends the word.
fn word_end(text: &str, fe: usize) -> Option<usize> {
    let after = &text[fe..];
    match after.chars().next() {
        None => return Some(fe),
        Some(c) if !is_letter(c) => return Some(fe),
        _ => {}
    }
    for s in SUFFIXES {
        if let Some(rest) = after.strip_prefix(s) {
            if rest.chars().next().map_or(true, |c| !is_letter(c)) {
                return Some(fe + s.len());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entries::{Cue, Role};
    use marsad_text::normalize;

    fn lex() -> Lexicon {
        Lexicon::from_sources([
            ("triggers".to_string(), "هجوم\tarmed_attack\tmasdar\tsg\t-\nشن هجوما\tarmed_attack\tphrase\tsg\t-\n".to_string()),
            ("effects".to_string(), "مقتل\tkilled\tmasdar\tsg\tweak\n".to_string()),
            ("actors".to_string(), "التحالف الدولي\tCOALITION\t-\nقسد\tSDF\t-\n".to_string()),
            ("cues".to_string(), "من قبل\tagent\t\n".to_string()),
        ])
        .unwrap()
    }

    fn words(l: &Lexicon, s: &str) -> Vec<String> {
        let n = normalize(s);
        l.scan(&n.text).iter().map(|m| n.text[m.start..m.end].to_string()).collect()
    }

    /// The definition [`word_start`] implements: the first proclitic, longest first, that ends
    /// the text before the form and itself starts a word.
    fn word_start_by_list(text: &str, fs: usize) -> Option<(usize, bool)> {
        let before = &text[..fs];
        match before.chars().next_back() {
            None => return Some((fs, false)),
            Some(c) if !is_letter(c) => return Some((fs, false)),
            _ => {}
        }
        for p in PROCLITICS {
            if let Some(rest) = before.strip_suffix(p) {
                if rest.chars().next_back().map_or(true, |c| !is_letter(c)) {
                    return Some((rest.len(), p.ends_with("ال") || p.ends_with("لل")));
                }
            }
        }
        None
    }

    #[test]
    fn word_start_equals_trying_each_proclitic() {
        let t = normalize("وبالهجوم فللقوات «كالعاده» وسيقصف لل ال xوال بالبالهجوم 3وك").text;
        for (fs, _) in t.char_indices().chain([(t.len(), ' ')]) {
            assert_eq!(word_start(&t, fs), word_start_by_list(&t, fs), "at {fs}");
        }
    }

    #[test]
    fn clitics_and_suffixes() {
        let l = lex();
        assert_eq!(words(&l, "وبالهجوم على مواقع لـ«قسد»"), vec!["وبالهجوم", "قسد"]);
        assert_eq!(words(&l, "أعلن للتحالف الدولي"), vec!["للتحالف الدولي"]);
        assert_eq!(words(&l, "شنّوا هجوماً"), vec!["هجوما"]);
        assert_eq!(words(&l, "أسفر عن مقتله"), vec!["مقتله"]);
    }

    #[test]
    fn never_inside_a_word() {
        let l = lex();
        assert!(words(&l, "الهجومية المقتلع").is_empty());
        assert!(words(&l, "مقسدة").is_empty());
    }

    /// The definition [`longest_without_overlap`] implements: each candidate, longest first,
    /// compared with every mention kept before it.
    fn longest_without_overlap_pairwise(found: &[Mention]) -> Vec<Mention> {
        let mut order: Vec<&Mention> = found.iter().collect();
        order.sort_by_key(|m| (std::cmp::Reverse(m.form_end - m.form_start), m.start));
        let mut kept: Vec<Mention> = Vec::new();
        for m in order {
            if kept.iter().all(|k| m.form_end <= k.form_start || m.form_start >= k.form_end) {
                kept.push(*m);
            }
        }
        kept.sort_by_key(|m| m.start);
        kept
    }

    #[test]
    fn overlap_by_bytes_equals_pairwise() {
        // Every set of forms over a short text drawn by a fixed pseudo-random sequence:
        // nested, touching, overlapping and equal spans, with proclitics before some.
        let mut seed = 0x2545F4914F6CDD1Du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..2000 {
            let found: Vec<Mention> = (0..next(12))
                .map(|k| {
                    let form_start = next(30);
                    let form_end = form_start + 1 + next(8);
                    let start = form_start - next(form_start.min(3) + 1);
                    Mention { start, end: form_end + next(2), form_start, form_end, pattern: k as u32, definite: false }
                })
                .collect();
            assert_eq!(longest_without_overlap(&found, 40), longest_without_overlap_pairwise(&found), "{found:?}");
        }
    }

    #[test]
    fn longest_wins() {
        let l = lex();
        assert_eq!(words(&l, "بعد أن شن هجوما"), vec!["شن هجوما"]);
    }

    #[test]
    fn definite_flag() {
        let l = lex();
        let n = normalize("الهجوم وهجوم");
        let ms = l.scan(&n.text);
        assert!(ms[0].definite && !ms[1].definite);
    }

    #[test]
    fn builtin_loads_and_has_every_kind() {
        let l = Lexicon::builtin().expect("builtin lexicon");
        let n = normalize("قتل عنصر من قسد في هجوم لداعش بحسب المرصد السوري لحقوق الإنسان");
        let ms = l.scan(&n.text);
        let has = |f: &dyn Fn(&Entry) -> bool| ms.iter().any(|m| l.entries(m.pattern).iter().any(|e| f(e)));
        assert!(has(&|e| matches!(e, Entry::Trigger { event_type: "armed_attack", .. })));
        assert!(has(&|e| matches!(e, Entry::Effect { role: Role::Killed, .. })));
        assert!(has(&|e| matches!(e, Entry::Actor { code, .. } if code == "ISIS")));
        assert!(has(&|e| matches!(e, Entry::Actor { code, .. } if code == "SDF")));
        assert!(has(&|e| matches!(e, Entry::Cue { cue: Cue::Source, value } if value == "SOHR")));
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = Lexicon::from_sources([("triggers".to_string(), "# c\nهجوم\tnot_a_type\tmasdar\tsg\t-\n".to_string())]).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
