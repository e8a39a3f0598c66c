//! The small closed word classes that place phrases are built from, in normalised (folded) form,
//! and a tokenizer over normalised text.
//!
//! A word is classified after its proclitics are peeled off one by one (و/ف, then ب/ل/ك, then the
//! article), so "وبالقرب" is a near-word and "لناحية" a type word; [`classify`] says how many bytes
//! of proclitics it peeled so that phrase text can start at the meaningful word.

/// What kind of place a type word announces ("قرية", "محافظة"), which says which homonym to
/// prefer and what precision the phrase has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// قرية، بلدة، مدينة، مزرعة: an inhabited place.
    Town,
    /// حي، أحياء: a neighbourhood (of the town named after it).
    Quarter,
    /// مخيم، سجن، مطار، حقل، قاعدة، معبر، سد: a facility, named by the gazetteer with its type word.
    Site,
    /// محافظة: a governorate.
    Governorate,
    /// ريف: a governorate's (or a town's) countryside.
    Countryside,
    /// منطقة، قضاء: an area or district.
    District,
    /// ناحية: a subdistrict.
    Subdistrict,
    /// بادية، جبل: a desert or a mountain range.
    Desert,
}

/// Word classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A type word; `plural` for "قرى، بلدات، بلدتي" (a list follows).
    Type(Kind),
    /// قرب، بالقرب، محيط، أطراف، طريق، بين…: the event is near the place, not in it.
    Near,
    /// شرق، شمال غربي…: a direction from the place.
    Dir,
    /// الشرقي، الشمالية…: a direction adjective after a name ("ريف دير الزور الشرقي").
    DirAdj,
    /// في، من، على، عند: prepositions that may stand between a type word and a name.
    Prep,
    /// التابعة، الواقعة، القريبة…: ties a place to a larger one.
    Tie,
    /// سكان، أهالي، أبناء، ينحدر…: what follows is where a person is from.
    Origin,
    /// و: a conjunction (a second place of the same rank follows).
    And,
}

const TYPES: &[(&str, Kind)] = &[
    ("قريه", Kind::Town),
    ("قري", Kind::Town),
    ("قريتي", Kind::Town),
    ("قريتا", Kind::Town),
    ("بلده", Kind::Town),
    ("بلدات", Kind::Town),
    ("بلدتي", Kind::Town),
    ("بلدتا", Kind::Town),
    ("مدينه", Kind::Town),
    ("مدن", Kind::Town),
    ("مدينتي", Kind::Town),
    ("حي", Kind::Quarter),
    ("احياء", Kind::Quarter),
    ("حيي", Kind::Quarter),
    ("مزرعه", Kind::Town),
    ("مزارع", Kind::Town),
    ("مخيم", Kind::Site),
    ("مخيمي", Kind::Site),
    ("سجن", Kind::Site),
    ("سجون", Kind::Site),
    ("مطار", Kind::Site),
    ("حقل", Kind::Site),
    ("حقول", Kind::Site),
    ("قاعده", Kind::Site),
    ("معبر", Kind::Site),
    ("سد", Kind::Site),
    ("معسكر", Kind::Site),
    ("محافظه", Kind::Governorate),
    ("محافظتي", Kind::Governorate),
    ("محافظات", Kind::Governorate),
    ("ريف", Kind::Countryside),
    ("ريفي", Kind::Countryside),
    ("منطقه", Kind::District),
    ("مناطق", Kind::District),
    ("منطقتي", Kind::District),
    ("قضاء", Kind::District),
    ("ناحيه", Kind::Subdistrict),
    ("باديه", Kind::Desert),
    ("باديتي", Kind::Desert),
    ("جبل", Kind::Desert),
    ("جبال", Kind::Desert),
];

const NEAR: &[&str] = &[
    "قرب",
    "مقربه",
    "مقربه",
    "محيط",
    "اطراف",
    "طرف",
    "طريق",
    "اوتوستراد",
    "ضواحي",
    "مشارف",
    "مدخل",
    "تخوم",
    "جوار",
    "محاذاه",
    "بين",
    "حدود",
    "قريبا",
    "مقابل",
    "اتجاه",
    "اسفل",
    "خارج",
];

const DIRS: &[&str] = &[
    "شرق",
    "شرقي",
    "غرب",
    "غربي",
    "شمال",
    "شمالي",
    "جنوب",
    "جنوبي",
    "وسط",
];

const DIR_ADJ: &[&str] = &[
    "الشرقي",
    "الشرقيه",
    "الغربي",
    "الغربيه",
    "الشمالي",
    "الشماليه",
    "الجنوبي",
    "الجنوبيه",
    "الاوسط",
    "الوسطي",
    "الاداريه",
];

const PREPS: &[&str] = &["في", "من", "على", "علي", "عند", "داخل"];

const TIES: &[&str] = &[
    "التابعه",
    "التابع",
    "تابعه",
    "تابع",
    "الواقعه",
    "الواقع",
    "الواقعتين",
    "القريبه",
    "القريب",
    "المحاذيه",
    "المحاذي",
    "الملاصقه",
    "الملاصق",
    "المجاوره",
    "المجاور",
    "تقع",
    "يقع",
    "ضمن",
];

const ORIGIN: &[&str] = &[
    "سكان",
    "اهالي",
    "ابناء",
    "ابن",
    "اهل",
    "المنحدر",
    "المنحدره",
    "المنحدرين",
    "ينحدر",
    "تنحدر",
    "ينحدرون",
    "يتحدر",
    "تتحدر",
    "المتحدر",
    "المتحدره",
    "المتحدرين",
    "مواليد",
    "اصول",
    "مهجري",
    "نازحي",
    "مهجرين",
    "اهالى",
    "سكنه",
    "قاطني",
];

/// Words that are not names even right after a type word ("قرية مجاورة", "حي سكني").
pub const NOT_NAME: &[&str] = &[
    "مجاوره",
    "مجاور",
    "اخري",
    "اخر",
    "ثانيه",
    "ثاني",
    "اولي",
    "سكني",
    "سكنيه",
    "عسكري",
    "عسكريه",
    "صغيره",
    "صغير",
    "كبيره",
    "كبير",
    "جديده",
    "قريبه",
    "قريب",
    "بعيده",
    "بعيد",
    "واحده",
    "حدوديه",
    "حدودي",
    "نائيه",
    "زراعيه",
    "صناعيه",
    "امنيه",
    "استراتيجيه",
    "خاضعه",
    "تابعه",
    "واقعه",
    "محاصره",
    "محرره",
    "مدمره",
    "كانت",
    "كان",
    "عدد",
    "عده",
    "عشرات",
    "اي",
    "كل",
    "بعض",
    "ذات",
    "ذاتها",
    "نفسها",
    "نفس",
    "هذه",
    "هذا",
    "تلك",
    "ذلك",
    "التي",
    "الذي",
    "مهمه",
    "هامه",
    "سوريه",
    "عراقيه",
    "عربيه",
    "كرديه",
    "مختلفه",
    "عديده",
    "متفرقه",
    "شاسعه",
    "واسعه",
    "مكتظه",
    "مأهوله",
    "ماهوله",
    "خاليه",
    "مفتوحه",
    "مغلقه",
    "مركزي",
    "مركزيه",
    "مؤقت",
    "عشوائي",
    "عشوائيه",
    "نظاميه",
    "للنازحين",
    "للاجئين",
    "لاجئين",
    "نازحين",
    "ريفيه",
    "جبليه",
    "صحراويه",
    "نفطيه",
    "اثريه",
    "تاريخيه",
    "يسيطر",
    "تسيطر",
    "سيطره",
    "نفوذ",
    "اشتباكات",
    "عمليات",
    "المعارك",
    "معارك",
    "انتشار",
    "تواجد",
    "وجود",
    "تحت",
    "فوق",
    "قبل",
    "بعد",
    "اثناء",
    "خلال",
    // actors and goods that follow "مناطق" or "حقول" in quotes or alone
    "قسد",
    "داعش",
    "النظام",
    "التنظيم",
    "التحالف",
    "الحشد",
    "الاسايش",
    "الجيش",
    "الهيئه",
    "النصره",
    "الفصائل",
    "الوحدات",
    "المعارضه",
    "النفط",
    "الغاز",
    "جديد",
    "لها",
    "له",
    "لهم",
    "بها",
    "به",
    "فيها",
    "منها",
    "عليها",
];

/// Nouns after which "من" is partitive ("مناطق مختلفة من ريف حلب", "عدد من قرى…"): what follows
/// is where the event is, not an origin.
pub const PARTITIVE: &[&str] = &[
    "مناطق",
    "مختلفه",
    "متفرقه",
    "عده",
    "عدد",
    "انحاء",
    "اجزاء",
    "اماكن",
    "مواقع",
    "نقاط",
    "قري",
    "بلدات",
    "احياء",
    "اطراف",
    "كثير",
    "العديد",
    "بعض",
    "جزء",
    "قسم",
    "مختلف",
    "شتي",
    "عموم",
    "كافه",
    "معظم",
    "اغلب",
    "غالبيه",
];

/// Words that say where a person is or where something moves from, not where the event is.
pub fn is_origin_word(w: &str) -> bool {
    classify(w).is_some_and(|(c, _)| c == Class::Origin)
}

/// Every word of the classes above with its class, compiled once: the classes are looked up for
/// every word of every document. A word listed in two classes keeps the first in the order
/// below.
fn lookup(w: &str) -> Option<Class> {
    static MAP: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Class>> =
        std::sync::OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for &(t, k) in TYPES {
            m.entry(t).or_insert(Class::Type(k));
        }
        for (list, class) in [
            (NEAR, Class::Near),
            (DIRS, Class::Dir),
            (DIR_ADJ, Class::DirAdj),
            (PREPS, Class::Prep),
            (TIES, Class::Tie),
            (ORIGIN, Class::Origin),
            (&["و"][..], Class::And),
        ] {
            for &w in list {
                m.entry(w).or_insert(class);
            }
        }
        m
    });
    map.get(w).copied()
}

/// The class of a word and the number of bytes of proclitics (و ف ب ل ك) before its meaningful
/// part. The article is peeled too but counted as part of the word (so "الريف" starts at ال).
/// `definite` in the result says whether an article was peeled.
pub fn classify(w: &str) -> Option<(Class, usize)> {
    classify_full(w).map(|(c, p, _)| (c, p))
}

/// Like [`classify`], also saying whether the word carried the article.
pub fn classify_full(w: &str) -> Option<(Class, usize, bool)> {
    clitic_forms().get(w).copied()
}

/// Every written form of the words above that [`classify_by_peeling`] recognises (each word
/// behind each combination of a conjunction, a preposition and the article) with its analysis,
/// compiled once: every word of every document is classified, and one hash lookup replaces
/// peeling the proclitics off one by one.
fn clitic_forms() -> &'static rustc_hash::FxHashMap<String, (Class, usize, bool)> {
    static FORMS: std::sync::OnceLock<rustc_hash::FxHashMap<String, (Class, usize, bool)>> =
        std::sync::OnceLock::new();
    FORMS.get_or_init(|| {
        let listed: &[&[&str]] = &[NEAR, DIRS, DIR_ADJ, PREPS, TIES, ORIGIN, &["و"]];
        let words = TYPES.iter().map(|&(w, _)| w).chain(listed.concat());
        let mut m = rustc_hash::FxHashMap::default();
        for w in words {
            for run in marsad_text::tokens::proclitic_runs(true) {
                let form = format!("{run}{w}");
                if let Some(found) = classify_by_peeling(&form) {
                    m.insert(form, found);
                }
            }
        }
        m
    })
}

/// [`classify_full`] by its rules, peeling the proclitics off one by one: the definition that
/// [`clitic_forms`] compiles. A word is found only as a listed word behind at most a
/// conjunction, a preposition and an article, in that order.
fn classify_by_peeling(w: &str) -> Option<(Class, usize, bool)> {
    if let Some(c) = lookup(w) {
        return Some((c, 0, false));
    }
    // Direction adjectives carry their article: keep it.
    let mut rest = w;
    let mut pre = 0;
    for set in [&["و", "ف"][..], &["ب", "ل", "ك"][..]] {
        for p in set {
            if let Some(r) = rest.strip_prefix(p) {
                if r.chars().count() >= 2 {
                    if let Some(c) = lookup(r) {
                        return Some((c, pre + p.len(), false));
                    }
                    if let Some(a) = r.strip_prefix("ال").filter(|a| a.chars().count() >= 2) {
                        if let Some(c) = lookup(a) {
                            return Some((c, pre + p.len(), true));
                        }
                    }
                    // ل + ال is written لل
                    if *p == "ل" {
                        if let Some(a) = r.strip_prefix('ل').filter(|a| a.chars().count() >= 2) {
                            if let Some(c) = lookup(a) {
                                return Some((c, pre + p.len(), true));
                            }
                        }
                    }
                    rest = r;
                    pre += p.len();
                    break;
                }
            }
        }
    }
    if let Some(a) = w.strip_prefix("ال").filter(|a| a.chars().count() >= 2) {
        if let Some(c) = lookup(a) {
            return Some((c, 0, true));
        }
    }
    None
}

/// One token of normalised text: a word (letters and digits) or one punctuation character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub word: bool,
    /// A line break lies between this token and the previous one.
    pub newline_before: bool,
}

/// Tokens of a text: words and single punctuation characters; spaces are skipped.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut word_start: Option<usize> = None;
    let mut nl = false;
    for (i, c) in text.char_indices() {
        if marsad_text::is_alnum(c) {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(s) = word_start.take() {
            out.push(Tok {
                start: s,
                end: i,
                word: true,
                newline_before: nl,
            });
            nl = false;
        }
        if c == '\n' {
            nl = true;
        } else if !c.is_whitespace() {
            out.push(Tok {
                start: i,
                end: i + c.len_utf8(),
                word: false,
                newline_before: nl,
            });
            nl = false;
        }
    }
    if let Some(s) = word_start {
        out.push(Tok {
            start: s,
            end: text.len(),
            word: true,
            newline_before: nl,
        });
    }
    out
}

/// Punctuation that may stand inside a place phrase (quotes, brackets, dashes, slashes).
pub fn is_soft_punct(c: &str) -> bool {
    matches!(
        c,
        "\"" | "'"
            | "("
            | ")"
            | "["
            | "]"
            | "-"
            | "–"
            | "—"
            | "/"
            | "_"
            | "#"
            | "«"
            | "»"
            | "“"
            | "”"
    )
}

/// Punctuation that ends a clause.
pub fn is_clause_punct(c: &str) -> bool {
    matches!(c, "،" | "," | "؛" | ";" | ":" | "." | "?" | "!" | "؟")
}

/// Whether a proclitic prefix (what stands in a word before a name) is a conjunction.
pub fn prefix_has_and(p: &str) -> bool {
    p.starts_with('و')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_through_clitics() {
        assert_eq!(classify("بالقرب"), Some((Class::Near, "ب".len())));
        assert_eq!(
            classify("وبلده"),
            Some((Class::Type(Kind::Town), "و".len()))
        );
        assert_eq!(
            classify("لناحيه"),
            Some((Class::Type(Kind::Subdistrict), "ل".len()))
        );
        assert_eq!(
            classify("بريف"),
            Some((Class::Type(Kind::Countryside), "ب".len()))
        );
        assert_eq!(
            classify_full("البلده"),
            Some((Class::Type(Kind::Town), 0, true))
        );
        assert_eq!(classify("الشرقي"), Some((Class::DirAdj, 0)));
        assert_eq!(classify("شمالي"), Some((Class::Dir, 0)));
        assert_eq!(classify("بين"), Some((Class::Near, 0)));
        assert_eq!(classify("سكان"), Some((Class::Origin, 0)));
        assert_eq!(classify("بلدي"), None);
        assert_eq!(classify("للنازحين"), None);
    }

    #[test]
    fn compiled_forms_agree_with_peeling() {
        let listed = TYPES.iter().map(|(w, _)| *w).chain([NEAR, DIRS, DIR_ADJ, PREPS, TIES, ORIGIN, NOT_NAME].concat());
        let mut words: Vec<String> = Vec::new();
        for w in listed {
            for pre in ["", "و", "ف", "ب", "ل", "ك", "ال", "لل", "وب", "فل", "وال", "بال", "ولل", "وبال", "فكال", "بب", "لو", "اال", "ووب"] {
                words.push(format!("{pre}{w}"));
                words.push(format!("{pre}{w}ه"));
            }
            let mut chars = w.chars();
            chars.next();
            words.push(chars.as_str().to_string());
        }
        for w in ["", "و", "ال", "ول", "لل", "بال", "حي", "وحي", "لحي", "سكني", "abc"] {
            words.push(w.to_string());
        }
        for w in &words {
            assert_eq!(classify_full(w), classify_by_peeling(w), "{w}");
        }
    }

    #[test]
    fn tokens() {
        let t = tokenize("في «بلدة» X،\nثم");
        let words: Vec<bool> = t.iter().map(|t| t.word).collect();
        assert_eq!(words, [true, false, true, false, true, false, true]);
        assert!(t[6].newline_before);
    }
}
