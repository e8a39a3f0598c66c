//! The date lexicon (`data/dates.tsv`), folded at load into one hash table keyed by the
//! normalised word form: one lookup per word token, with the proclitics و ف ب ل ك tried off.

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

use jiff::civil::Weekday;

use crate::normalize::fold;

/// Period nouns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// Grammatical number of a period noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Num {
    One,
    Two,
    Many,
}

/// Parts of a period ("مطلع", "منتصف", "أواخر").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartW {
    Early,
    Mid,
    Late,
}

/// Times of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tod {
    Morning,
    Dawn,
    Noon,
    Afternoon,
    Evening,
    Night,
}

/// Function words the grammar names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fw {
    MonthsOf,
    YearsOf,
    Since,
    Before,
    During,
    In,
    From,
    Until,
    Between,
    And,
    This,
    Recently,
    Time,
    Earlier,
    Lately,
    Few,
    Article,
    /// الموافق ("الأحد الموافق 29 آذار").
    Corresponding,
    /// نحو، حوالي، قرابة ("قبل نحو أسبوعين").
    About,
    /// نفسه، ذاته ("في اليوم نفسه": the narrative's day, not the report's).
    Same,
    /// ذلك، تلك ("في ذلك اليوم").
    That,
    /// Adjectives that make "اليوم" a noun ("اليوم العالمي").
    NotDate,
    /// على ("قبل يومين على الهجوم": relative to another event).
    On,
}

/// What a word is to the date grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lex {
    /// Month number, and whether the word is also a common non-date word.
    Month(i8, bool),
    Kanun,
    Tishrin,
    Weekday(Weekday),
    Ord(u8),
    OrdHadi,
    OrdTens(u8),
    Card(u32),
    Past,
    Current,
    Future,
    Part(PartW),
    Awwal,
    Tod(Tod),
    /// A time-of-day adverb after a day ("الأحد صباحا").
    TodAdv,
    Today,
    Yesterday,
    Tonight,
    Unit(Unit, Num),
    Word(Fw),
}

const DATA: &str = include_str!("../../data/dates.tsv");

fn parse_line(line: &str) -> Option<(String, Lex)> {
    let line = line.trim_end_matches('\r');
    if line.trim().is_empty() || line.starts_with('#') {
        return None;
    }
    let mut it = line.split('\t');
    let form = fold(it.next()?.trim());
    let cat = it.next()?.trim();
    let val = it.next().unwrap_or("").trim();
    let n = || val.parse::<i64>().ok();
    let lex = match cat {
        "month" => Lex::Month(n()? as i8, false),
        "month?" => Lex::Month(n()? as i8, true),
        "kanun" => Lex::Kanun,
        "tishrin" => Lex::Tishrin,
        "weekday" => Lex::Weekday(Weekday::from_sunday_zero_offset(n()? as i8).ok()?),
        "ord" => Lex::Ord(n()? as u8),
        "ordhadi" => Lex::OrdHadi,
        "ordtens" => Lex::OrdTens(n()? as u8),
        "card" => Lex::Card(n()? as u32),
        "past" => Lex::Past,
        "current" => Lex::Current,
        "future" => Lex::Future,
        "part" => Lex::Part(match val {
            "early" => PartW::Early,
            "mid" => PartW::Mid,
            _ => PartW::Late,
        }),
        "awwal" => Lex::Awwal,
        "tod" => Lex::Tod(match val {
            "morning" => Tod::Morning,
            "dawn" => Tod::Dawn,
            "noon" => Tod::Noon,
            "afternoon" => Tod::Afternoon,
            "evening" => Tod::Evening,
            _ => Tod::Night,
        }),
        "todadv" => Lex::TodAdv,
        "today" => Lex::Today,
        "yesterday" => Lex::Yesterday,
        "tonight" => Lex::Tonight,
        "unit" => {
            let (u, k) = val.split_once(':')?;
            let u = match u {
                "hour" => Unit::Hour,
                "day" => Unit::Day,
                "week" => Unit::Week,
                "month" => Unit::Month,
                _ => Unit::Year,
            };
            let k = match k {
                "1" => Num::One,
                "2" => Num::Two,
                _ => Num::Many,
            };
            Lex::Unit(u, k)
        }
        "word" => Lex::Word(match val {
            "monthsof" => Fw::MonthsOf,
            "yearsof" => Fw::YearsOf,
            "since" => Fw::Since,
            "before" => Fw::Before,
            "during" => Fw::During,
            "in" => Fw::In,
            "from" => Fw::From,
            "until" => Fw::Until,
            "between" => Fw::Between,
            "and" => Fw::And,
            "this" => Fw::This,
            "recently" => Fw::Recently,
            "time" => Fw::Time,
            "earlier" => Fw::Earlier,
            "lately" => Fw::Lately,
            "few" => Fw::Few,
            "article" => Fw::Article,
            "corresponding" => Fw::Corresponding,
            "about" => Fw::About,
            "same" => Fw::Same,
            "that" => Fw::That,
            "notdate" => Fw::NotDate,
            "on" => Fw::On,
            _ => return None,
        }),
        _ => return None,
    };
    Some((form, lex))
}

static TABLE: LazyLock<HashMap<String, Lex>> = LazyLock::new(|| {
    let mut m = HashMap::with_capacity_and_hasher(512, Default::default());
    for line in DATA.lines() {
        if let Some((form, lex)) = parse_line(line) {
            // First entry of a form wins, so the file's order settles clashes.
            m.entry(form).or_insert(lex);
        }
    }
    m
});

/// Looks a normalised word up, trying off one conjunction (و ف) and then one preposition
/// (ب ل ك) when the whole word is not an entry. Stems shorter than three letters are only taken
/// whole (but for "وآب", "وفي", "ومن"), so "باب" is never "ب" + "آب".
#[cfg(test)]
pub(crate) fn lookup(word: &str) -> Option<Lex> {
    lookup_split(word).map(|(_, l)| l)
}

/// [`lookup`], also giving the byte length of the clitics taken off (0 for a whole-word entry).
/// The definition; [`lookup_form`] is its compiled form.
fn lookup_split(word: &str) -> Option<(usize, Lex)> {
    let t = &*TABLE;
    if let Some(l) = t.get(word) {
        return Some((0, *l));
    }
    let mut w = word;
    if let Some(rest) = w.strip_prefix('و').or_else(|| w.strip_prefix('ف')) {
        // Two-letter stems only where the conjunction is common before them ("وآب", "وفي", "ومن").
        if rest.chars().count() >= 3 || matches!(rest, "اب" | "في" | "من") {
            if let Some(l) = t.get(rest) {
                return Some((word.len() - rest.len(), *l));
            }
        }
        w = rest;
    }
    if let Some(rest) = w.strip_prefix('ب').or_else(|| w.strip_prefix('ل')).or_else(|| w.strip_prefix('ك')) {
        if rest.chars().count() >= 3 {
            if let Some(l) = t.get(rest) {
                return Some((word.len() - rest.len(), *l));
            }
        }
    }
    None
}

/// Every written form [`lookup_split`] finds (each entry behind each conjunction and
/// preposition it may take off) with what it finds, compiled once: every word of every document
/// is looked up, and one hash lookup replaces trying the clitics off one by one.
static FORMS: LazyLock<HashMap<String, (u8, Lex)>> = LazyLock::new(|| {
    let mut m = HashMap::default();
    for entry in TABLE.keys() {
        for run in crate::tokens::proclitic_runs(false) {
            let form = format!("{run}{entry}");
            if let Some((pre, lex)) = lookup_split(&form) {
                // Clitics are at most two two-byte letters.
                m.insert(form, (pre as u8, lex));
            }
        }
    }
    m
});

/// [`lookup_split`] by one hash lookup: (byte length of the clitics taken off, entry).
pub(crate) fn lookup_form(word: &str) -> Option<(u8, Lex)> {
    FORMS.get(word).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form that is found is generated: a found word is at most a conjunction, then a
    /// preposition, then an entry; words around the forms are not found by either.
    #[test]
    fn compiled_forms_agree_with_taking_clitics_off() {
        let mut words: Vec<String> = Vec::new();
        for entry in TABLE.keys() {
            for pre in ["", "و", "ف", "ب", "ل", "ك", "وب", "فل", "وك", "ال", "وال", "بب", "لو", "وو", "كف"] {
                words.push(format!("{pre}{entry}"));
                words.push(format!("{pre}{entry}ه"));
            }
            let mut chars = entry.chars();
            chars.next();
            words.push(chars.as_str().to_string());
        }
        for w in ["", "و", "ب", "وب", "باب", "واب", "وفي", "بي", "سياره", "abc", "12"] {
            words.push(w.to_string());
        }
        for w in &words {
            let by_splits = lookup_split(w).map(|(p, l)| (p as u8, l));
            assert_eq!(lookup_form(w), by_splits, "{w}");
        }
    }

    #[test]
    fn dates_lexicon_loads_and_strips_clitics() {
        assert_eq!(lookup("اذار"), Some(Lex::Month(3, false)));
        assert_eq!(lookup("واذار"), Some(Lex::Month(3, false)));
        assert_eq!(lookup("الماضيه"), Some(Lex::Past));
        assert_eq!(lookup("بالامس"), Some(Lex::Yesterday));
        assert_eq!(lookup("باب"), None);
        assert_eq!(lookup("واب"), Some(Lex::Month(8, true)));
        assert_eq!(lookup("الجمعه"), Some(Lex::Weekday(Weekday::Friday)));
        assert_eq!(lookup("موخرا"), Some(Lex::Word(Fw::Recently)));
        assert_eq!(lookup("والعشرين"), Some(Lex::OrdTens(20)));
        assert_eq!(lookup_split(&fold("وحتى")), Some(("و".len(), Lex::Word(Fw::Until))));
        assert_eq!(lookup_split("اليوم"), Some((0, Lex::Today)));
        assert_eq!(lookup("وفي"), Some(Lex::Word(Fw::In)));
        assert_eq!(lookup("بي"), None);
        assert_eq!(lookup("الموافق"), Some(Lex::Word(Fw::Corresponding)));
        assert_eq!(lookup("صباحا"), Some(Lex::TodAdv));
        assert!(TABLE.len() > 200);
    }
}
