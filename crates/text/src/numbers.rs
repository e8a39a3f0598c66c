//! Numbers in every written form. OWNER: text helper. Contract below is fixed.
//!
//! # Rules
//! All matching is on normalised text (ة→ه, أإآ→ا, ى→ي, ئ→ي so "مئة" is "ميه", digits ASCII).
//! Spans never include a proclitic: in "وسبعه", "ل67", "ال24", "بالعشرات" the match starts
//! after و / ل / ال / بال, so the span is the number itself.
//!
//! - **Digits** — "12,000", "367", "2.0". Non-integral decimals ("2.5") are skipped unless a
//!   multiplier makes them whole ("1.5 مليون"): a head count is never fractional and
//!   [`Quantity::Exact`] holds integers only. A dotted date "1.4.2020" yields its three parts.
//!   Digits glued to Latin letters ("sy24", "covid19") are names, not numbers.
//! - **Words** — units in both genders and all cases (واحد/واحده، اثنان/اثنين/اثنتان/اثنتين،
//!   ثلاث/ثلاثه … تسع/تسعه، ثمان/ثماني/ثمانيه), عشر/عشره, teens ("خمسه عشر", "احدي عشره",
//!   "اثنا عشر"), tens (عشرون/عشرين … تسعون/تسعين), hundreds (ميه/مايه، ميتان/ميتين،
//!   ثلاثميه/ثلاثمايه … and "ثلاث ميه"), الف/الفا/الفان/الفين/الاف, مليون, مليار.
//! - **Compounds** joined with و (a separate "و" or glued "وخمسين"): a unit then tens
//!   ("خمسه وعشرين" = 25), hundreds then something smaller ("ميه وخمسون"), a completed scale then
//!   something smaller ("ثلاثه الاف وخمسميه", "مليون وخمسميه الف"). Anything else — "3 و4",
//!   "ثلاثه واربعه" — stays separate numbers, so lists and ranges are not summed.
//! - **Mixed** — digits times a word multiplier ("12 الف", "12 الفا", "8 الاف و256").
//! - **Dual** nouns from `data/dual_nouns.tsv` ("عنصرين", "قتيلان", "القتيلين") are
//!   `Exact(2)`; a following "اثنين"/"اثنتين" ("عنصرين اثنين") is part of the same match.
//! - **Vague** — عشرات، ميات (مئات)، الاف/الوف/ملايين with no number before them, بضع/بضعه،
//!   عده، بعض, and "عدد من" / "عددا من" / "مجموعه من" (only with من: "مجموعه مسلحه" is a group,
//!   not a quantity). "عشرات الالاف" and "ميات الالاف" are one vague match.
//! - **"One of"** — احد/احدي alone ("احد مرافقيه", "احدي الخلايا") are read as `Exact(1)`:
//!   "مقتل احد عناصر" does report one person killed. Callers that need to tell "one of" from
//!   "one" can check the matched text.
//! - **Not numbers** — ordinals (الثالث، الخامسه، الاول، اولي) are not in the tables; the weekdays
//!   "الاحد" and "الاثنين" (article + احد/اثنين) are rejected; "بالميه"/"المايه" (article +
//!   hundred) are percentages; "بعده" (ب + عده) is "after it"; "لست" (ل + ست) is "I am not" (ست
//!   only takes و); the proclitic ك is never split ("كميه" is "quantity").

use crate::tokens::{clitic_splits_iter, tokenize, Token, TokenKind};
use std::sync::OnceLock;

/// The value of a number expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// A definite number.
    Exact(u64),
    /// A number is implied but not given (عشرات، مئات، عدد من، مجموعة، بعض).
    Some,
}

impl Quantity {
    /// The definite value, if any.
    pub fn exact(self) -> Option<u64> {
        match self {
            Quantity::Exact(v) => Some(v),
            Quantity::Some => None,
        }
    }
}

/// How the number was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberForm {
    Digits,
    Words,
    /// A dual noun ("عنصرين", "قتيلان"): the value is 2 and the span covers the noun.
    Dual,
    /// Digits followed by a word multiplier ("12 ألف").
    Mixed,
    Vague,
}

/// A number expression found in normalised text (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberMatch {
    pub start: usize,
    pub end: usize,
    pub value: Quantity,
    pub form: NumberForm,
}

impl NumberMatch {
    /// The matched text.
    pub fn text<'a>(&self, norm: &'a str) -> &'a str {
        &norm[self.start..self.end]
    }
}

// ---------------------------------------------------------------------------------------------
// Word tables

/// What kind of multiplier word a scale word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScaleKind {
    /// الف، مليون: the value alone, or a multiplier after a number.
    Single,
    /// الفين، مليونين: twice the scale, never a multiplier.
    Dual,
    /// الاف، ملايين: a multiplier after a number, a vague quantity alone.
    Plural,
}

/// One number word, classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Atom {
    /// 1..=9 (واحد … تسعه): takes a teen suffix, ميه, or و + tens.
    Unit(u8),
    /// عشر / عشره: 10 alone, or the teen suffix.
    Ten,
    /// احد / احدي: "one of" alone, 11 with عشر.
    One,
    /// اثنا / اثني / اثنتا / اثنتي: only before عشر (12).
    TwoTeen,
    /// 20..=90.
    Tens(u8),
    /// 100..=900 in one word.
    Hundreds(u16),
    Scale(u64, ScaleKind),
    /// A vague quantity on its own.
    Vague,
    /// A vague quantity only when followed by "من".
    VagueOf,
}

/// The number words (folded stems, without proclitics) and what each is.
const NUMBER_WORDS: &[(&str, Atom)] = {
    use Atom::*;
    use ScaleKind::*;
    &[
        ("واحد", Unit(1)),
        ("واحده", Unit(1)),
        ("اثنان", Unit(2)),
        ("اثنين", Unit(2)),
        ("اثنتان", Unit(2)),
        ("اثنتين", Unit(2)),
        ("ثنتين", Unit(2)),
        ("ثنتان", Unit(2)),
        ("ثلاث", Unit(3)),
        ("ثلاثه", Unit(3)),
        ("اربع", Unit(4)),
        ("اربعه", Unit(4)),
        ("خمس", Unit(5)),
        ("خمسه", Unit(5)),
        ("ست", Unit(6)),
        ("سته", Unit(6)),
        ("سبع", Unit(7)),
        ("سبعه", Unit(7)),
        ("ثمان", Unit(8)),
        ("ثماني", Unit(8)),
        ("ثمانيه", Unit(8)),
        ("تسع", Unit(9)),
        ("تسعه", Unit(9)),
        ("عشر", Ten),
        ("عشره", Ten),
        ("احد", One),
        ("احدي", One),
        ("اثنا", TwoTeen),
        ("اثني", TwoTeen),
        ("اثنتا", TwoTeen),
        ("اثنتي", TwoTeen),
        ("عشرون", Tens(20)),
        ("عشرين", Tens(20)),
        ("ثلاثون", Tens(30)),
        ("ثلاثين", Tens(30)),
        ("اربعون", Tens(40)),
        ("اربعين", Tens(40)),
        ("خمسون", Tens(50)),
        ("خمسين", Tens(50)),
        ("ستون", Tens(60)),
        ("ستين", Tens(60)),
        ("سبعون", Tens(70)),
        ("سبعين", Tens(70)),
        ("ثمانون", Tens(80)),
        ("ثمانين", Tens(80)),
        ("تسعون", Tens(90)),
        ("تسعين", Tens(90)),
        ("ميه", Hundreds(100)),
        ("مايه", Hundreds(100)),
        ("ميتان", Hundreds(200)),
        ("ميتين", Hundreds(200)),
        ("مايتان", Hundreds(200)),
        ("مايتين", Hundreds(200)),
        ("ثلاثميه", Hundreds(300)),
        ("ثلاثمايه", Hundreds(300)),
        ("اربعميه", Hundreds(400)),
        ("اربعمايه", Hundreds(400)),
        ("خمسميه", Hundreds(500)),
        ("خمسمايه", Hundreds(500)),
        ("ستميه", Hundreds(600)),
        ("ستمايه", Hundreds(600)),
        ("سبعميه", Hundreds(700)),
        ("سبعمايه", Hundreds(700)),
        ("ثمانميه", Hundreds(800)),
        ("ثمانمايه", Hundreds(800)),
        ("ثمانيميه", Hundreds(800)),
        ("ثمانيمايه", Hundreds(800)),
        ("تسعميه", Hundreds(900)),
        ("تسعمايه", Hundreds(900)),
        ("الف", Scale(1_000, Single)),
        ("الفا", Scale(1_000, Single)),
        ("الفان", Scale(1_000, Dual)),
        ("الفين", Scale(1_000, Dual)),
        ("الفي", Scale(1_000, Dual)),
        ("الاف", Scale(1_000, Plural)),
        ("الوف", Scale(1_000, Plural)),
        ("مليون", Scale(1_000_000, Single)),
        ("مليونا", Scale(1_000_000, Single)),
        ("مليونان", Scale(1_000_000, Dual)),
        ("مليونين", Scale(1_000_000, Dual)),
        ("مليوني", Scale(1_000_000, Dual)),
        ("ملايين", Scale(1_000_000, Plural)),
        ("مليار", Scale(1_000_000_000, Single)),
        ("مليارا", Scale(1_000_000_000, Single)),
        ("ملياران", Scale(1_000_000_000, Dual)),
        ("مليارين", Scale(1_000_000_000, Dual)),
        ("ملياري", Scale(1_000_000_000, Dual)),
        ("مليارات", Scale(1_000_000_000, Plural)),
        ("عشرات", Vague),
        ("ميات", Vague),
        ("بضع", Vague),
        ("بضعه", Vague),
        ("عده", Vague),
        ("بعض", Vague),
        ("عدد", VagueOf),
        ("عددا", VagueOf),
        ("مجموعه", VagueOf),
    ]
};

/// A number word without proclitics.
fn lookup(stem: &str) -> Option<Atom> {
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == stem)
        .map(|&(_, a)| a)
}

/// Whether `prefix` (a proclitic split off `stem`) may precede this number word.
fn clitic_allowed(prefix: &str, stem: &str, atom: Atom) -> bool {
    if prefix.is_empty() {
        return true;
    }
    // ك never: "كميه" is "quantity", not ك + ميه.
    if prefix.contains('ك') {
        return false;
    }
    let article = prefix.ends_with("ال") || prefix.ends_with("لل");
    match (atom, stem) {
        // The two-letter ست hides in too many words ("لست"): only "وست".
        (_, "ست") => prefix == "و",
        // Weekdays: الاحد (Sunday), الاثنين (Monday).
        (Atom::One, _) | (_, "اثنين" | "اثنان") if article => false,
        // "في المايه", "بالميه": percent.
        (Atom::Hundreds(100), _) if article => false,
        // "بعده" is "after it"; "البعض"/"العده" are not quantities.
        (_, "عده") => !article && !prefix.contains('ب'),
        (_, "بعض" | "بضع" | "بضعه") => !article,
        (Atom::VagueOf, _) => !article,
        _ => true,
    }
}

/// Classifies a word with its proclitics: (prefix length, atom), trying the whole word first.
/// The definition; [`classify`] is its compiled form.
fn classify_by_splits(word: &str) -> Option<(usize, Atom)> {
    for (p, stem) in clitic_splits_iter(word) {
        if let Some(a) = lookup(stem) {
            if clitic_allowed(&word[..p], stem, a) {
                return Some((p, a));
            }
        }
    }
    None
}

/// Every written form of a number word (each stem with each proclitic combination that
/// [`classify_by_splits`] accepts) and its analysis, compiled once: [`classify`] runs on every
/// word of every document, and one hash lookup replaces trying each clitic split.
fn number_forms() -> &'static rustc_hash::FxHashMap<String, (usize, Atom)> {
    static FORMS: OnceLock<rustc_hash::FxHashMap<String, (usize, Atom)>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for &(stem, _) in NUMBER_WORDS {
            for prefix in std::iter::once("").chain(crate::tokens::PROCLITICS.iter().copied()) {
                let form = format!("{prefix}{stem}");
                if let Some(found) = classify_by_splits(&form) {
                    m.insert(form, found);
                }
            }
        }
        m
    })
}

/// Classifies a word with its proclitics: (prefix length, atom).
fn classify(word: &str) -> Option<(usize, Atom)> {
    number_forms().get(word).copied()
}

// ---------------------------------------------------------------------------------------------
// Dual nouns

const DUAL_TSV: &str = include_str!("../data/dual_nouns.tsv");

/// (dual form, singular), sorted by dual form. Parsed once; malformed lines are skipped here
/// and caught by the table test.
fn dual_table() -> &'static [(&'static str, &'static str)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v = Vec::new();
        for line in DUAL_TSV.lines() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(sing), Some(nom), Some(acc)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            for d in [nom, acc] {
                if d != "-" && !d.is_empty() {
                    v.push((d, sing));
                }
            }
        }
        v.sort_unstable();
        v.dedup_by_key(|e| e.0);
        v
    })
}

/// The singular of a dual noun written exactly as `word` (no proclitics): "قتيلين" → "قتيل".
pub fn dual_noun(word: &str) -> Option<&'static str> {
    let t = dual_table();
    t.binary_search_by(|e| e.0.cmp(word)).ok().map(|i| t[i].1)
}

/// A dual noun with proclitics ("والقتيلين"): (prefix length, singular).
pub fn dual_noun_with_clitics(word: &str) -> Option<(usize, &'static str)> {
    // Every dual ends in -ان or -ين (folded): most words leave here without a lookup.
    if !(word.ends_with("ين") || word.ends_with("ان")) {
        return None;
    }
    clitic_splits_iter(word)
        .filter(|(p, _)| !word[..*p].contains('ك'))
        .find_map(|(p, stem)| dual_noun(stem).map(|s| (p, s)))
}

/// The value of a number word on its own ("خمسه" → 5, "وعشرين" → 20, "الفين" → 2000), with
/// proclitics; `None` for vague words, "اثنا"-type teen parts and non-numbers.
pub fn number_word_value(word: &str) -> Option<u64> {
    match classify(word)?.1 {
        Atom::Unit(u) => Some(u as u64),
        Atom::Ten => Some(10),
        Atom::One => Some(1),
        Atom::Tens(v) => Some(v as u64),
        Atom::Hundreds(v) => Some(v as u64),
        Atom::Scale(m, ScaleKind::Single) => Some(m),
        Atom::Scale(m, ScaleKind::Dual) => Some(2 * m),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Digits

/// A parsed digit token: integer part and fraction (`frac` over 10^`frac_len`).
#[derive(Debug, Clone, Copy)]
struct Num {
    int: u64,
    frac: u64,
    frac_len: u32,
}

impl Num {
    fn integral(&self) -> bool {
        self.frac == 0
    }

    /// `self × mult`, exact if the fraction allows it, else rounded down.
    fn times(&self, mult: u64) -> Option<u64> {
        let scale = 10u128.checked_pow(self.frac_len)?;
        let v = self.int as u128 * mult as u128 + self.frac as u128 * mult as u128 / scale;
        u64::try_from(v).ok()
    }
}

fn parse_u64(digits: &str) -> Option<u64> {
    let mut v: u64 = 0;
    let mut any = false;
    for b in digits.bytes() {
        if b == b',' {
            continue;
        }
        if !b.is_ascii_digit() {
            return None;
        }
        any = true;
        v = v.checked_mul(10)?.checked_add((b - b'0') as u64)?;
    }
    any.then_some(v)
}

/// Parses a Number token with at most one '.'.
fn parse_num(s: &str) -> Option<Num> {
    match s.split_once('.') {
        None => Some(Num {
            int: parse_u64(s)?,
            frac: 0,
            frac_len: 0,
        }),
        Some((i, f)) => {
            // Trailing zeros do not change the value and could overflow the power of ten.
            let f = f.trim_end_matches('0');
            let frac = if f.is_empty() { 0 } else { parse_u64(f)? };
            Some(Num {
                int: parse_u64(i)?,
                frac,
                frac_len: f.len() as u32,
            })
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The parser

/// What the first part of a compound was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKind {
    /// A unit word 1..=9: و + tens may follow.
    Unit,
    Tens,
    /// Any other word value below 100 (10, teens, احد).
    Small,
    Hundreds,
    Digits,
    /// A value that is already a whole scale group ("الف", "الفين", "1.5 مليون").
    Scaled {
        mult: u64,
    },
}

/// A number without و-joins: an atom with its teen suffix or "ميه" multiplier.
#[derive(Debug, Clone, Copy)]
struct Group {
    value: u64,
    kind: GroupKind,
    start: usize,
    end: usize,
    /// Index of the first token after the group.
    next: usize,
    words: bool,
    digits: bool,
}

struct Parser<'a> {
    norm: &'a str,
    toks: &'a [Token],
}

impl<'a> Parser<'a> {
    fn text(&self, i: usize) -> &'a str {
        self.toks[i].text(self.norm)
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
    }

    /// The atom of word token `i` written with no proclitic at all.
    fn bare_atom(&self, i: usize) -> Option<Atom> {
        if self.is_word(i) {
            lookup(self.text(i))
        } else {
            None
        }
    }

    /// Digits glued to Latin letters are part of a name ("sy24", "mp3", "4k").
    fn latin_glued(&self, i: usize) -> bool {
        let t = self.toks[i];
        let before = i
            .checked_sub(1)
            .map(|j| self.toks[j])
            .filter(|p| p.end == t.start && p.kind == TokenKind::Word)
            .and_then(|p| p.text(self.norm).chars().next_back());
        let after = self
            .toks
            .get(i + 1)
            .filter(|n| n.start == t.end && n.kind == TokenKind::Word)
            .and_then(|n| n.text(self.norm).chars().next());
        before.is_some_and(|c| c.is_ascii_alphabetic())
            || after.is_some_and(|c| c.is_ascii_alphabetic())
    }

    /// A scale word (no proclitic) usable as a multiplier at token `i`.
    fn multiplier_at(&self, i: usize) -> Option<u64> {
        match self.bare_atom(i)? {
            Atom::Scale(m, ScaleKind::Single | ScaleKind::Plural) => Some(m),
            _ => None,
        }
    }

    /// Parses a group at token `i` whose number word starts `skip` bytes into the token (after
    /// its proclitics), with `atom` already classified (for words).
    fn group(&self, i: usize, skip: usize, atom: Option<Atom>) -> Option<Group> {
        let t = self.toks[i];
        let start = t.start as usize + skip;
        let end = t.end as usize;
        let mk = |value, kind, end, next| Group {
            value,
            kind,
            start,
            end,
            next,
            words: true,
            digits: false,
        };
        let Some(atom) = atom else {
            // A Number token.
            if self.latin_glued(i) {
                return None;
            }
            let num = parse_num(self.text(i))?;
            if !num.integral() {
                // Only a multiplier makes a fraction whole.
                let m = self.multiplier_at(i + 1)?;
                let n = self.toks[i + 1];
                return Some(Group {
                    value: num.times(m)?,
                    kind: GroupKind::Scaled { mult: m },
                    start,
                    end: n.end as usize,
                    next: i + 2,
                    words: true,
                    digits: true,
                });
            }
            return Some(Group {
                value: num.int,
                kind: GroupKind::Digits,
                start,
                end,
                next: i + 1,
                words: false,
                digits: true,
            });
        };
        let teen = |i: usize| self.bare_atom(i + 1) == Some(Atom::Ten);
        let teen_end = || self.toks[i + 1].end as usize;
        Some(match atom {
            Atom::Unit(u) if u >= 2 && teen(i) => {
                mk(10 + u as u64, GroupKind::Small, teen_end(), i + 2)
            }
            Atom::One if teen(i) => mk(11, GroupKind::Small, teen_end(), i + 2),
            Atom::TwoTeen if teen(i) => mk(12, GroupKind::Small, teen_end(), i + 2),
            Atom::TwoTeen => return None,
            Atom::Unit(u) if u >= 3 && self.bare_atom(i + 1) == Some(Atom::Hundreds(100)) => {
                // "ثلاث ميه": the unit multiplies the hundred.
                mk(
                    u as u64 * 100,
                    GroupKind::Hundreds,
                    self.toks[i + 1].end as usize,
                    i + 2,
                )
            }
            Atom::Unit(u) => mk(u as u64, GroupKind::Unit, end, i + 1),
            Atom::One => mk(1, GroupKind::Small, end, i + 1),
            Atom::Ten => mk(10, GroupKind::Small, end, i + 1),
            Atom::Tens(v) => mk(v as u64, GroupKind::Tens, end, i + 1),
            Atom::Hundreds(v) => mk(v as u64, GroupKind::Hundreds, end, i + 1),
            Atom::Scale(m, ScaleKind::Single) => mk(m, GroupKind::Scaled { mult: m }, end, i + 1),
            Atom::Scale(m, ScaleKind::Dual) => {
                mk(m.checked_mul(2)?, GroupKind::Scaled { mult: m }, end, i + 1)
            }
            Atom::Scale(_, ScaleKind::Plural) | Atom::Vague | Atom::VagueOf => return None,
        })
    }

    /// The group joined by و at token `i` (a lone "و" token then a number, or a word with a
    /// glued و), if any.
    fn joined_group(&self, i: usize) -> Option<Group> {
        if !self.is_word(i) {
            return None;
        }
        let w = self.text(i);
        if w == "و" {
            let j = i + 1;
            return match self.kind(j)? {
                TokenKind::Number => self.group(j, 0, None),
                TokenKind::Word => {
                    let a = self.bare_atom(j)?;
                    self.group(j, 0, Some(a))
                }
                _ => None,
            };
        }
        let stem = w.strip_prefix('و')?;
        let a = lookup(stem)?;
        if !clitic_allowed("و", stem, a) {
            return None;
        }
        self.group(i, 'و'.len_utf8(), Some(a))
    }

    /// Parses whatever starts at token `i`, pushing matches; returns the next token index, or
    /// `None` when nothing starts here.
    fn parse_at(&self, i: usize, out: &mut Vec<NumberMatch>) -> Option<usize> {
        let t = self.toks[i];
        let first = match t.kind {
            TokenKind::Number => {
                let s = self.text(i);
                if s.bytes().filter(|&b| b == b'.').count() > 1 {
                    return self.dotted(i, out);
                }
                self.group(i, 0, None)?
            }
            TokenKind::Word => {
                let w = self.text(i);
                let Some((p, atom)) = classify(w) else {
                    return self.dual(i, out);
                };
                match atom {
                    Atom::Vague | Atom::Scale(_, ScaleKind::Plural) => {
                        return Some(self.vague(i, p, atom, out))
                    }
                    Atom::VagueOf => {
                        let j = i + 1;
                        if self.is_word(j) && self.text(j) == "من" {
                            out.push(NumberMatch {
                                start: t.start as usize + p,
                                end: self.toks[j].end as usize,
                                value: Quantity::Some,
                                form: NumberForm::Vague,
                            });
                            return Some(j + 1);
                        }
                        return None;
                    }
                    _ => self.group(i, p, Some(atom))?,
                }
            }
            _ => return None,
        };
        let m = self.compound(first)?;
        out.push(m.0);
        Some(m.1)
    }

    /// Extends a first group with multipliers and و-joins.
    fn compound(&self, g: Group) -> Option<(NumberMatch, usize)> {
        let mut total: u64 = 0;
        let mut current: u64 = 0;
        let mut last_scale = u64::MAX;
        let (mut words, mut digits) = (g.words, g.digits);
        let mut end = g.end;
        let mut next = g.next;
        // What the low part of `current` is, for the join rules.
        let mut low = g.kind;
        match g.kind {
            GroupKind::Scaled { mult } => {
                total = g.value;
                last_scale = mult;
            }
            _ => current = g.value,
        }
        loop {
            // A multiplier after a group: "ثلاثه الاف", "12 الف", "خمسه وعشرين الف".
            if current > 0 {
                if let Some(m) = self.multiplier_at(next).filter(|&m| m < last_scale) {
                    total = total.checked_add(current.checked_mul(m)?)?;
                    current = 0;
                    last_scale = m;
                    low = GroupKind::Scaled { mult: m };
                    words = true;
                    end = self.toks[next].end as usize;
                    next += 1;
                    continue;
                }
            }
            let Some(j) = self.joined_group(next) else {
                break;
            };
            let ok = match j.kind {
                GroupKind::Scaled { mult } => current == 0 && total > 0 && mult < last_scale,
                _ if current == 0 && total > 0 => j.value < last_scale,
                GroupKind::Digits => false,
                _ if low == GroupKind::Hundreds && current % 100 == 0 => j.value < 100,
                GroupKind::Tens => low == GroupKind::Unit,
                _ => false,
            };
            if !ok {
                break;
            }
            if let GroupKind::Scaled { mult } = j.kind {
                total = total.checked_add(j.value)?;
                last_scale = mult;
            } else {
                current = current.checked_add(j.value)?;
            }
            low = j.kind;
            words |= j.words;
            digits |= j.digits;
            end = j.end;
            next = j.next;
        }
        let value = total.checked_add(current)?;
        let form = match (words, digits) {
            (true, true) => NumberForm::Mixed,
            (false, true) => NumberForm::Digits,
            _ => NumberForm::Words,
        };
        Some((
            NumberMatch {
                start: g.start,
                end,
                value: Quantity::Exact(value),
                form,
            },
            next,
        ))
    }

    /// A vague word at token `i`, extended over a plural scale ("عشرات الالاف").
    fn vague(&self, i: usize, p: usize, atom: Atom, out: &mut Vec<NumberMatch>) -> usize {
        let t = self.toks[i];
        let mut end = t.end as usize;
        let mut next = i + 1;
        if atom == Atom::Vague && self.is_word(next) {
            if let Some((_, Atom::Scale(_, ScaleKind::Plural))) = classify(self.text(next)) {
                end = self.toks[next].end as usize;
                next += 1;
            }
        }
        out.push(NumberMatch {
            start: t.start as usize + p,
            end,
            value: Quantity::Some,
            form: NumberForm::Vague,
        });
        next
    }

    /// A dual noun at token `i`, extended over an emphatic "اثنين".
    fn dual(&self, i: usize, out: &mut Vec<NumberMatch>) -> Option<usize> {
        let t = self.toks[i];
        let (p, _) = dual_noun_with_clitics(self.text(i))?;
        let mut end = t.end as usize;
        let mut next = i + 1;
        if self.is_word(next) && matches!(self.text(next), "اثنين" | "اثنان" | "اثنتين" | "اثنتان")
        {
            end = self.toks[next].end as usize;
            next += 1;
        }
        out.push(NumberMatch {
            start: t.start as usize + p,
            end,
            value: Quantity::Exact(2),
            form: NumberForm::Dual,
        });
        Some(next)
    }

    /// A dotted date "1.4.2020": each part is a number.
    fn dotted(&self, i: usize, out: &mut Vec<NumberMatch>) -> Option<usize> {
        if self.latin_glued(i) {
            return None;
        }
        let t = self.toks[i];
        let mut off = t.start as usize;
        for part in self.text(i).split('.') {
            if let Some(v) = parse_u64(part) {
                out.push(NumberMatch {
                    start: off,
                    end: off + part.len(),
                    value: Quantity::Exact(v),
                    form: NumberForm::Digits,
                });
            }
            off += part.len() + 1;
        }
        Some(i + 1)
    }
}

/// Finds every number expression in normalised text, left to right, non-overlapping, longest
/// first: digits with separators ("12,000"), words in every gender and case (ثلاث/ثلاثة،
/// عشرون/عشرين، مئة/مائة، ألف/آلاف/ألفين), compounds ("ثلاثة آلاف وخمسمئة"), duals of countable
/// nouns ("عنصرين" = 2), digit-word mixes ("12 ألف"), and vague quantities (عشرات، مئات، عدد من)
/// as [`Quantity::Some`]. Ordinals ("الثالث") are not numbers.
pub fn find_numbers(norm: &str) -> Vec<NumberMatch> {
    let toks = tokenize(norm);
    find_numbers_in(norm, &toks)
}

/// [`find_numbers`] over tokens the caller already has (from [`tokenize`] of the same text).
pub fn find_numbers_in(norm: &str, toks: &[Token]) -> Vec<NumberMatch> {
    let p = Parser { norm, toks };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        i = p.parse_at(i, &mut out).unwrap_or(i + 1);
    }
    out
}

/// Parses one number expression at the very start of `norm` (after optional spaces), returning
/// it with offsets relative to `norm`.
pub fn parse_number_at(norm: &str) -> Option<NumberMatch> {
    find_numbers(norm)
        .into_iter()
        .next()
        .filter(|m| norm[..m.start].trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold;

    #[test]
    fn the_compiled_forms_agree_with_clitic_splitting() {
        let text = fold("وقال شاهد إن ثلاثة مسلحين وخمسين عنصراً وبالألفين والمئة ولثلاثين كميه لست وست البعض والعدة فالعشرات بمئات الأحد");
        let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        for &(stem, _) in NUMBER_WORDS {
            for p in [
                "", "و", "ك", "وبال", "فلل", "كال", "ال", "ب", "فبال", "ووال", "بب",
            ] {
                words.push(format!("{p}{stem}"));
            }
        }
        for w in &words {
            assert_eq!(classify(w), classify_by_splits(w), "{w}");
        }
    }

    #[test]
    fn dual_table_is_well_formed() {
        let mut rows = 0;
        for (n, line) in DUAL_TSV.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "line {}: {line:?}", n + 1);
            for c in &cols {
                assert!(
                    !c.is_empty() && !c.contains(' '),
                    "line {}: {line:?}",
                    n + 1
                );
                assert_eq!(&fold(c), c, "line {} not normalised: {c}", n + 1);
            }
            assert_ne!(
                cols[1],
                "-",
                "line {}: the -ان dual is never ambiguous",
                n + 1
            );
            rows += 1;
        }
        assert!(rows >= 50);
        // No dual form may also be a number word.
        for (d, _) in dual_table() {
            assert!(lookup(d).is_none(), "{d}");
        }
        let t = dual_table();
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0), "sorted, unique");
    }

    #[test]
    fn dual_lookup() {
        assert_eq!(dual_noun("قتيلين"), Some("قتيل"));
        assert_eq!(dual_noun("عمليتين"), Some("عمليه"));
        assert_eq!(dual_noun("مدنيين"), None, "plural, not dual");
        assert_eq!(dual_noun("مدنيان"), Some("مدني"));
        assert_eq!(
            dual_noun_with_clitics("والقتيلين"),
            Some(("وال".len(), "قتيل"))
        );
        assert_eq!(dual_noun_with_clitics("قتيل"), None);
    }

    #[test]
    fn number_words_are_normalised() {
        // Every spelling the table can match must survive normalisation unchanged, or it
        // could never match normalised text.
        for w in [
            "واحده",
            "اثنتين",
            "ثلاثه",
            "ثمانيه",
            "عشره",
            "احدي",
            "ميه",
            "مايه",
            "ميتين",
            "ثلاثمايه",
            "الفا",
            "الاف",
            "مليونا",
            "ملايين",
            "ميات",
            "بضعه",
            "مجموعه",
        ] {
            assert_eq!(fold(w), w);
            assert!(lookup(w).is_some(), "{w}");
        }
        assert_eq!(fold("مئة"), "ميه");
        assert_eq!(fold("مائتين"), "مايتين");
        assert_eq!(fold("آلاف"), "الاف");
    }

    #[test]
    fn word_values() {
        assert_eq!(number_word_value("وعشرين"), Some(20));
        assert_eq!(number_word_value("الفين"), Some(2000));
        assert_eq!(number_word_value("ثمانمايه"), Some(800));
        assert_eq!(number_word_value("عشرات"), None);
        assert_eq!(number_word_value("الثالث"), None);
        assert_eq!(number_word_value("الاحد"), None);
    }

    #[test]
    fn clitic_rules() {
        assert!(classify("لست").is_none());
        assert!(classify("وست").is_some());
        assert!(classify("بعده").is_none());
        assert!(classify("لعده").is_some());
        assert!(classify("كميه").is_none());
        assert!(classify("بالميه").is_none());
        assert!(classify("الاثنين").is_none());
        assert!(classify("الاثنتين").is_some());
        assert!(classify("البعض").is_none());
        assert!(classify("للعشرات").is_some());
    }

    #[test]
    fn num_parsing() {
        assert_eq!(parse_u64("12,000"), Some(12_000));
        assert_eq!(parse_u64("99999999999999999999999"), None);
        assert_eq!(parse_u64(""), None);
        let n = parse_num("1.25").unwrap();
        assert_eq!(n.times(1_000_000), Some(1_250_000));
        let n = parse_num("2.000").unwrap();
        assert!(n.integral());
        assert_eq!(
            parse_num("0.000000000000000000000000001").map(|n| n.times(1000)),
            Some(Some(0))
        );
        let tiny = format!("0.{}1", "0".repeat(50));
        assert_eq!(parse_num(&tiny).map(|n| n.times(1000)), Some(None));
    }
}
