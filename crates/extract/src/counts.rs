//! Counts of victims by role and qualifier, read around an effect word (مقتل، أصيب، قتيلا …).
//!
//! Arabic gives the victims of a masdar or a verb after it ("مقتل 7 عناصر"، "أعدمت 3 عناصر"،
//! "قُتل عنصران"), of a passive sometimes before it ("عنصراً قُتل"، "لقي 7 عناصر مصرعهم"), and of
//! a noun before it ("70 قتيلا"، "قتيلين وثلاثة مصابين"). A number may carry a qualifier before
//! it (نحو، ما لا يقل عن، أكثر من) or after its noun (على الأقل). A person noun without a number
//! counts by its grammatical number (عنصر 1، عنصرين 2، عناصر some), an enumeration adds ("مسؤول
//! وأحد مرافقيه" 2), and two coordinated effects sharing one number ("مقتل وإصابة 15") do not
//! split it: each gets `some`.

use crate::discourse::{self, Class};
use crate::prepare::Prepared;
use marsad_lexicon::{Cue, Flags, Mention, Number, Pos, Role};
use marsad_model::Qualifier;
use marsad_text::numbers::{NumberMatch, Quantity};

/// A count found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountVal {
    pub value: Option<u64>,
    pub qualifier: Qualifier,
    /// Said as a revised toll ("ارتفاع حصيلة … إلى").
    pub update: bool,
}

impl CountVal {
    pub fn some() -> Self {
        CountVal { value: None, qualifier: Qualifier::Some, update: false }
    }
    pub fn exact(v: u64) -> Self {
        CountVal { value: Some(v), qualifier: Qualifier::Exact, update: false }
    }
    /// A number is given.
    pub fn is_numeric(&self) -> bool {
        self.value.is_some()
    }
}

/// One item of a clause, left to right.
#[derive(Debug, Clone, Copy)]
enum Item<'a> {
    M(&'a Mention),
    N(&'a NumberMatch),
}

impl Item<'_> {
    fn start(&self) -> usize {
        match self {
            Item::M(m) => m.start,
            Item::N(n) => n.start,
        }
    }
    fn end(&self) -> usize {
        match self {
            Item::M(m) => m.end,
            Item::N(n) => n.end,
        }
    }
}

/// Mentions and numbers of `[start, end)` in text order (a number before a mention that starts
/// at the same place: "عنصرين" is both).
fn items<'a>(p: &'a Prepared, start: usize, end: usize) -> Vec<Item<'a>> {
    let mut v: Vec<Item> = p.numbers_in(start, end).iter().map(Item::N).collect();
    v.extend(p.mentions_in(start, end).iter().map(Item::M));
    v.sort_by_key(|i| (i.start(), matches!(i, Item::M(_))));
    v
}

/// Whether a mention is an effect or a (non-generic) event trigger: a boundary for count windows.
fn is_effect(p: &Prepared, m: &Mention) -> bool {
    p.effect(m).is_some()
}

/// The qualifier a cue gives just before a number.
fn qualifier_of(p: &Prepared, m: &Mention) -> Option<Qualifier> {
    match p.cue_value(m, Cue::Qualifier)? {
        "at_least" => Some(Qualifier::AtLeast),
        "more_than" => Some(Qualifier::MoreThan),
        "about" => Some(Qualifier::About),
        "up_to" => Some(Qualifier::UpTo),
        _ => None,
    }
}

fn from_quantity(q: Quantity) -> CountVal {
    match q {
        Quantity::Exact(v) => CountVal::exact(v),
        Quantity::Some => CountVal::some(),
    }
}

/// "على الأقل" after a number and its noun.
fn trailing_at_least(p: &Prepared, after: usize, end: usize) -> bool {
    p.mentions_in(after, end)
        .iter()
        .take_while(|m| p.words_between(after, m.start) <= 3)
        .any(|m| p.cue_value(m, Cue::Qualifier) == Some("at_least") && p.text()[m.start..m.end].contains("الاقل"))
}

/// Reads the count of the victims of the effect word `m` inside `[cstart, cend)`.
/// `m` must be an effect word ([`Prepared::effect`]); others give `None`.
pub fn count_at(p: &Prepared, m: &Mention, cstart: usize, cend: usize) -> Option<CountVal> {
    let (role, pos, number, _) = p.effect(m)?;
    let text = p.text();
    let form = &text[m.form_start..m.form_end];
    // A negated effect gives no count ("لم يسفر عن إصابات"، "دون وقوع قتلى"، "نفى وجود إصابات").
    let before = p.mentions_in(cstart, m.start);
    if before.iter().rev().take_while(|x| p.words_between(x.end, m.start) <= 3).any(|x| p.has_cue(x, Cue::Negation)) {
        return None;
    }
    // "فقدان"/"فقد" mean death only with "حياته" ("فقدان عنصرين" alone is missing, not killed).
    if role == Role::Killed && form.starts_with("فقد") {
        let life = p
            .mentions_in(m.end, cend)
            .iter()
            .take_while(|x| p.words_between(m.end, x.start) <= 4)
            .any(|x| p.has_cue(x, Cue::Life));
        if !life {
            return None;
        }
    }
    match pos {
        Pos::Noun => noun_count(p, m, number, cstart),
        _ => {
            // A passive with its victim before it ("عنصرا قتل وأصيب 3") has its own count.
            let own_left = if matches!(pos, Pos::Passive) { left_count(p, m, cstart) } else { None };
            if let Some(c) = own_left {
                if right_count(p, m, cend).is_none() || next_is_effect(p, m, cend) {
                    return Some(c);
                }
            }
            // Coordinated effects of another role right after ("مقتل وإصابة 15 عنصرا").
            let its = items(p, m.end, cend);
            if let Some(Item::M(next)) = its.first() {
                if p.words_between(m.end, next.start) == 0 && text[next.start..].starts_with('و') {
                    if let Some((r2, _, _, _)) = p.effect(next) {
                        if r2 != role {
                            return Some(CountVal::some());
                        }
                    }
                }
            }
            // Coordinated with an effect of another role right before ("مقتل وإصابة").
            if let Some(prev) = before.last() {
                if p.words_between(prev.end, m.start) == 0 && text[m.start..].starts_with('و') {
                    if let Some((r0, p0, _, _)) = p.effect(prev) {
                        let prev_own = p0 == Pos::Passive && left_count(p, prev, cstart).is_some();
                        if r0 != role && p0 != Pos::Noun && !prev_own {
                            return Some(CountVal::some());
                        }
                    }
                }
            }
            if let Some(c) = right_count(p, m, cend) {
                return Some(c);
            }
            // A passive looks back to its subject; so does a masdar after "تمكن … من"
            // ("تمكن 40 معتقلا من الفرار").
            let after_min = p.text()[..m.start].trim_end().ends_with("من");
            if matches!(pos, Pos::Passive) || (pos == Pos::Masdar && after_min) {
                if let Some(c) = left_count(p, m, cstart) {
                    return Some(c);
                }
            }
            match number {
                Number::Dual => Some(CountVal::exact(2)),
                Number::Plural if matches!(pos, Pos::Passive) => Some(CountVal::some()),
                _ => None,
            }
        }
    }
}

/// A noun effect: the number right before it, else its grammatical number.
fn noun_count(p: &Prepared, m: &Mention, number: Number, cstart: usize) -> Option<CountVal> {
    let nums = p.numbers_in(cstart, m.start);
    if let Some(n) = nums.last() {
        // "213 قتيلا"، or "213 عدد قتلى" with the counting word between.
        let between = p.text()[n.end..m.start].trim();
        if p.words_between(n.end, m.start) == 0 || discourse::is(between, Class::CountBetween) {
            let mut c = from_quantity(n.value);
            if let Some(q) = p.mentions_in(cstart, n.start).last() {
                if p.words_between(q.end, n.start) == 0 {
                    if let Some(qual) = qualifier_of(p, q) {
                        c.qualifier = qual;
                    }
                }
            }
            // "45 قتيلا على الأقل".
            if c.qualifier == Qualifier::Exact && trailing_at_least(p, m.end, p.text().len()) {
                c.qualifier = Qualifier::AtLeast;
            }
            return Some(c);
        }
    }
    // The number may be the noun itself (a dual: "قتيلين").
    if let Some(n) = p.numbers_in(m.start, m.end).first() {
        return Some(from_quantity(n.value));
    }
    Some(match number {
        Number::Singular => CountVal::exact(1),
        Number::Dual => CountVal::exact(2),
        Number::Plural => CountVal::some(),
    })
}

/// The next item after `m` is an effect word joined by "و".
fn next_is_effect(p: &Prepared, m: &Mention, cend: usize) -> bool {
    p.mentions_in(m.end, cend)
        .first()
        .is_some_and(|x| p.words_between(m.end, x.start) == 0 && p.text()[x.start..].starts_with('و') && p.effect(x).is_some())
}

/// Victims after the effect word: qualifier? number? person noun | "آخر" | enumeration.
fn right_count(p: &Prepared, m: &Mention, cend: usize) -> Option<CountVal> {
    let its = items(p, m.end, cend);
    let mut qual: Option<Qualifier> = None;
    let mut i = 0;
    // An active verb may have its subject and a time phrase before the victims ("اعتقلت قوات
    // سوريا الديمقراطية، فجر أمس الأحد، سبعة شبان").
    let verb = p.effect(m).is_some_and(|e| e.1 == Pos::Verb);
    let window = if verb { 9 } else { 6 };
    while i < its.len() {
        let it = its[i];
        if p.words_between(m.end, it.start()) > window {
            return None;
        }
        match it {
            Item::N(n) => {
                let mut c = from_quantity(n.value);
                if c.is_numeric() {
                    if let Some(q) = qual {
                        c.qualifier = q;
                    } else if trailing_at_least(p, n.end, cend) {
                        c.qualifier = Qualifier::AtLeast;
                    }
                }
                return Some(c);
            }
            Item::M(x) => {
                if let Some(q) = qualifier_of(p, x) {
                    qual = Some(q);
                } else if i == 0 && matches!(p.effect(m).map(|e| e.1), Some(Pos::Passive | Pos::Verb)) && x.definite && (p.actor(x).is_some() || p.person(x).is_some_and(|(_, n)| n == Number::Plural)) {
                    // "قتل المسلحون ضابطا": the subject of an active reading; the victims follow.
                } else if let Some((_, num)) = p.person(x) {
                    let base = match num {
                        Number::Singular => 1,
                        Number::Dual => 2,
                        Number::Plural => return Some(CountVal::some()),
                    };
                    let extra = enumeration(p, x.end, cend);
                    // "عنصر واحد": the number word after the noun is the same person.
                    return Some(CountVal::exact(base + extra));
                } else if p.has_cue(x, Cue::Other) {
                    let f = &p.text()[x.form_start..x.form_end];
                    // "عدد آخر": another number of them, not one.
                    if p.text()[..x.start].trim_end().ends_with("عدد") {
                        return Some(CountVal::some());
                    }
                    return Some(match f {
                        "اخر" | "اخري" => CountVal::exact(1),
                        "اخران" => CountVal::exact(2),
                        _ => CountVal::some(),
                    });
                } else if is_effect(p, x) || p.trigger(x).is_some_and(|t| !t.flags.has(Flags::GENERIC)) {
                    return None;
                } else if p.has_cue(x, Cue::Breakdown) {
                    // "قتل منهم عنصر واحد": the breakdown word right after the verb is transparent.
                } else if p.actor(x).is_some() {
                    // A group without a number ("مقتل قيادي في داعش" has the person first;
                    // "مقتل عناصر التنظيم" is some). A named group alone gives no count, unless
                    // it is the subject of an active verb and the victims follow.
                    if p.words_between(m.end, x.start) == 0 && !verb {
                        return None;
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// Extra victims enumerated after the first: "و" + person noun ("وعنصرا آخر") or "وأحد".
fn enumeration(p: &Prepared, from: usize, cend: usize) -> u64 {
    let text = p.text();
    let mut extra = 0;
    for it in items(p, from, cend) {
        if p.words_between(from, it.start()) > 12 {
            break;
        }
        match it {
            Item::M(x) => {
                if is_effect(p, x) || p.trigger(x).is_some() || p.has_cue(x, Cue::Breakdown) {
                    break;
                }
                if text[x.start..].starts_with('و') && x.form_start > x.start {
                    if let Some((_, num)) = p.person(x) {
                        extra += match num {
                            Number::Singular => 1,
                            Number::Dual => 2,
                            Number::Plural => 0,
                        };
                        if num == Number::Plural {
                            break;
                        }
                    }
                }
            }
            Item::N(n) => {
                // "وأحد مرافقيه": the number one with a conjunction, followed by a noun.
                if n.value == Quantity::Exact(1) && n.start > 0 && text[..n.start].ends_with('و') {
                    extra += 1;
                }
                if text[n.start..n.end].starts_with('و') && n.value == Quantity::Exact(1) {
                    extra += 1;
                }
            }
        }
    }
    extra.min(20)
}

/// Victims before a passive verb: "عنصراً قُتل"، "لقي 7 عناصر من … مصرعهم".
fn left_count(p: &Prepared, m: &Mention, cstart: usize) -> Option<CountVal> {
    let its = items(p, cstart, m.start);
    for it in its.iter().rev() {
        if p.words_between(it.end(), m.start) > 8 {
            return None;
        }
        match it {
            Item::N(n) => {
                // Only a number that counts people: "7 عناصر"، not "6 أولاد" or "60 عاما".
                let counts_people = p
                    .mentions_in(n.start, m.start)
                    .iter()
                    .any(|x| p.person(x).is_some() && x.start <= n.end + 1 && p.words_between(n.end, x.start) == 0);
                if counts_people {
                    return Some(from_quantity(n.value));
                }
            }
            Item::M(x) => {
                if is_effect(p, x) || p.trigger(x).is_some_and(|t| !t.flags.has(Flags::WEAK)) {
                    return None;
                }
                if let Some((_, num)) = p.person(x) {
                    // A person noun: is there a number right before it?
                    if let Some(n) = p.numbers_in(cstart, x.start).last() {
                        if p.words_between(n.end, x.start) == 0 {
                            return Some(from_quantity(n.value));
                        }
                    }
                    return Some(match num {
                        Number::Singular => CountVal::exact(1),
                        Number::Dual => CountVal::exact(2),
                        Number::Plural => CountVal::some(),
                    });
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::testutil::counts_of;
    use marsad_model::Qualifier::{About, AtLeast, Exact, MoreThan};

    fn c(v: Option<u64>, q: marsad_model::Qualifier) -> (Option<u64>, marsad_model::Qualifier) {
        (v, q)
    }

    #[test]
    fn masdar_with_digits() {
        assert_eq!(counts_of("أسفر الهجوم عن مقتل 5 عناصر من الحراس.", "killed"), Some(c(Some(5), Exact)));
    }
    #[test]
    fn masdar_with_words_and_at_least() {
        assert_eq!(counts_of("أدى التفجير إلى مقتل عشرة مدنيين على الأقل.", "killed"), Some(c(Some(10), AtLeast)));
    }
    #[test]
    fn qualifier_before_number() {
        assert_eq!(counts_of("أسفرت الغارة عن مقتل نحو 40 شخصا.", "killed"), Some(c(Some(40), About)));
        assert_eq!(counts_of("وأدى الانفجار إلى إصابة ما لا يقل عن 12 شخصا.", "injured"), Some(c(Some(12), AtLeast)));
        assert_eq!(counts_of("فر أكثر من 30 سجينا من السجن.", "escaped"), Some(c(Some(30), MoreThan)));
    }
    #[test]
    fn person_noun_numbers() {
        assert_eq!(counts_of("أسفر الهجوم عن مقتل جندي.", "killed"), Some(c(Some(1), Exact)));
        assert_eq!(counts_of("أسفر الهجوم عن مقتل جنديين.", "killed"), Some(c(Some(2), Exact)));
        assert_eq!(counts_of("أسفر الهجوم عن مقتل عناصر من الشرطة.", "killed"), Some(c(None, marsad_model::Qualifier::Some)));
    }
    #[test]
    fn enumeration_adds() {
        assert_eq!(counts_of("أسفر الهجوم عن مقتل قائد الفوج وأحد مرافقيه.", "killed"), Some(c(Some(2), Exact)));
        assert_eq!(counts_of("قتل المسلحون ضابطا يدعى سامر وعنصرا آخر في الكمين.", "killed"), Some(c(Some(2), Exact)));
    }
    #[test]
    fn coordinated_effects_are_some() {
        assert_eq!(counts_of("أسفر التفجير عن مقتل وإصابة 9 عناصر.", "killed"), Some(c(None, marsad_model::Qualifier::Some)));
        assert_eq!(counts_of("أسفر التفجير عن مقتل وإصابة 9 عناصر.", "injured"), Some(c(None, marsad_model::Qualifier::Some)));
        assert_eq!(counts_of("وقع الهجوم وأسفر عن سقوط قتلى وجرحى.", "injured"), Some(c(None, marsad_model::Qualifier::Some)));
    }
    #[test]
    fn passive_left_and_right() {
        assert_eq!(counts_of("قتل 4 جنود في الكمين.", "killed"), Some(c(Some(4), Exact)));
        assert_eq!(counts_of("لقي 6 عناصر من الفوج مصرعهم في الانفجار.", "killed"), Some(c(Some(6), Exact)));
        assert_eq!(counts_of("وقالت إن عنصرا قتل وأصيب 3 عناصر بجروح.", "injured"), Some(c(Some(3), Exact)));
    }
    #[test]
    fn noun_effects() {
        assert_eq!(counts_of("خلف الانفجار قتيلين وثلاثة جرحى.", "killed"), Some(c(Some(2), Exact)));
        assert_eq!(counts_of("خلف الانفجار قتيلين وثلاثة جرحى.", "injured"), Some(c(Some(3), Exact)));
    }
    #[test]
    fn other_one() {
        assert_eq!(counts_of("أسفر الهجوم عن مقتل عنصر وإصابة آخر.", "injured"), Some(c(Some(1), Exact)));
    }
    #[test]
    fn negated_and_missing_are_absent() {
        assert_eq!(counts_of("سقطت القذائف دون وقوع إصابات.", "injured"), None);
        assert_eq!(counts_of("وتحدثت المصادر عن فقدان عنصرين في المنطقة.", "killed"), None);
        assert_eq!(counts_of("أسفر الهجوم عن فقدان عنصر لحياته.", "killed"), Some(c(Some(1), Exact)));
    }

    #[test]
    fn arabic_indic_digits_and_vague_words() {
        assert_eq!(counts_of("أسفر القصف عن مقتل ٣٦ شخصا.", "killed"), Some(c(Some(36), Exact)));
        assert_eq!(counts_of("أسفرت الحملة عن اعتقال عشرات الشبان.", "arrested"), Some(c(None, marsad_model::Qualifier::Some)));
        assert_eq!(counts_of("أسفر الهجوم عن إصابة عدد من العمال.", "injured"), Some(c(None, marsad_model::Qualifier::Some)));
    }
    #[test]
    fn words_in_every_gender_and_compounds() {
        assert_eq!(counts_of("أسفر الهجوم عن مقتل ثلاث نساء.", "killed"), Some(c(Some(3), Exact)));
        assert_eq!(counts_of("أسفرت المعارك عن مقتل خمسة وعشرين مقاتلا.", "killed"), Some(c(Some(25), Exact)));
        assert_eq!(counts_of("أسفر الانفجار عن إصابة اثنين من المارة.", "injured"), Some(c(Some(2), Exact)));
    }
    #[test]
    fn up_to_and_more_than() {
        assert_eq!(counts_of("أدى القصف إلى مقتل ما يصل إلى 30 شخصا.", "killed"), Some(c(Some(30), marsad_model::Qualifier::UpTo)));
        assert_eq!(counts_of("أسفرت الغارات عن مقتل ما يزيد عن 15 عنصرا.", "killed"), Some(c(Some(15), MoreThan)));
    }
    #[test]
    fn breakdown_keeps_the_total() {
        assert_eq!(counts_of("أسفر الهجوم عن مقتل نحو 50 شخصا بينهم 20 من المهاجمين.", "killed"), Some(c(Some(50), About)));
    }
}
