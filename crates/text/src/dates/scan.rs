//! The date grammar: a small tokenizer (words, digit runs, punctuation, line breaks), one lexicon
//! lookup per word, and a recursive-descent parser that takes the longest expression starting at
//! each token. Expressions never cross a line break.
//!
//! Every rule returns the index of the token after what it consumed; the top level tries every
//! rule at a token and keeps the longest (the first listed on a tie).

use super::lexicon::{lookup_form, Fw, Lex, Num as Gn, PartW, Tod, Unit};
use super::{DateExpr, DateFound, DateKind, PeriodPart, Relative};
use jiff::civil::{Date, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    /// A word: its lexicon entry and the byte length of the clitics taken off to find it.
    Word(Option<Lex>, u8),
    /// A run of ASCII digits: its value (saturating) and digit count (saturating).
    Num(u32, u8),
    Punct(char),
    Nl,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    s: usize,
    e: usize,
    k: K,
}

/// Combining marks and joiners that may sit inside a word of unnormalised text.
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}' | '\u{0640}' | '\u{200C}' | '\u{200D}')
}

#[inline]
fn is_word_char(c: char) -> bool {
    (crate::is_alpha(c) || is_mark(c)) && !c.is_ascii_digit()
}

fn tokenize(t: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(t.len() / 6 + 1);
    let mut it = t.char_indices().peekable();
    while let Some((s, c)) = it.next() {
        if c.is_ascii_digit() {
            let mut v = c as u32 - '0' as u32;
            let mut n: u8 = 1;
            let mut e = s + 1;
            while let Some(&(j, d)) = it.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                v = v.saturating_mul(10).saturating_add(d as u32 - '0' as u32);
                n = n.saturating_add(1);
                e = j + 1;
                it.next();
            }
            out.push(Tok { s, e, k: K::Num(v, n) });
        } else if c == '\n' {
            out.push(Tok { s, e: s + 1, k: K::Nl });
        } else if c.is_whitespace() {
            continue;
        } else if is_word_char(c) {
            let mut e = s + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if !is_word_char(d) {
                    break;
                }
                e = j + d.len_utf8();
                it.next();
            }
            let (pre, lex) = match t.get(s..e).and_then(lookup_form) {
                Some((p, l)) => (p, Some(l)),
                None => (0, None),
            };
            out.push(Tok { s, e, k: K::Word(lex, pre) });
        } else {
            out.push(Tok { s, e: s + c.len_utf8(), k: K::Punct(c) });
        }
    }
    out
}

/// A qualifier after a period noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Q {
    Past,
    Current,
    Future,
}

/// A calendar date with an optional year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dmy {
    y: Option<i16>,
    m: i8,
    d: i8,
}

impl Dmy {
    fn kind(self, weekday: Option<Weekday>) -> DateKind {
        DateKind::Absolute { year: self.y, month: Some(self.m), day: Some(self.d), weekday }
    }
}

type R<T> = Option<(usize, T)>;

/// Keeps the longer of two parses (the first on a tie).
fn longer<T>(a: R<T>, b: R<T>) -> R<T> {
    match (&a, &b) {
        (Some((ea, _)), Some((eb, _))) if eb > ea => b,
        (None, Some(_)) => b,
        _ => a,
    }
}

fn abs(year: Option<i16>, month: Option<i8>) -> DateKind {
    DateKind::Absolute { year, month, day: None, weekday: None }
}

fn part_of(p: PartW) -> PeriodPart {
    match p {
        PartW::Early => PeriodPart::Early,
        PartW::Mid => PeriodPart::Middle,
        PartW::Late => PeriodPart::Late,
    }
}

/// Whether day `d` can be in month `m` of some year.
fn valid_dm(d: i8, m: i8) -> bool {
    let max = match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=max).contains(&d)
}

fn valid_year(v: u32) -> bool {
    (1900..=2199).contains(&v)
}

/// "Last N units" as a relative expression; without N the vague plural.
fn last_n(u: Unit, n: Option<u32>) -> Relative {
    match (u, n) {
        (Unit::Hour, Some(n)) => Relative::LastHours(n),
        (Unit::Hour, None) => Relative::LastHours(24),
        (Unit::Day, Some(n)) => Relative::LastDays(n),
        (Unit::Week, Some(n)) => Relative::LastWeeks(n),
        (Unit::Month, Some(n)) => Relative::LastMonths(n),
        (Unit::Year, Some(n)) => Relative::LastYears(n),
        (_, None) => Relative::Recently,
    }
}

struct P<'a> {
    t: &'a str,
    k: &'a [Tok],
}

impl<'a> P<'a> {
    fn lex(&self, i: usize) -> Option<Lex> {
        match self.k.get(i)?.k {
            K::Word(l, _) => l,
            _ => None,
        }
    }

    fn fw(&self, i: usize, f: Fw) -> bool {
        self.lex(i) == Some(Lex::Word(f))
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.k.get(i)?.k {
            K::Punct(c) => Some(c),
            _ => None,
        }
    }

    fn num(&self, i: usize) -> Option<(u32, u8)> {
        match self.k.get(i)?.k {
            K::Num(v, n) => Some((v, n)),
            _ => None,
        }
    }

    fn raw(&self, i: usize) -> &'a str {
        self.k.get(i).and_then(|t| self.t.get(t.s..t.e)).unwrap_or("")
    }

    /// The word without the clitics its lookup took off.
    fn stem(&self, i: usize) -> &'a str {
        let pre = match self.k.get(i).map(|t| t.k) {
            Some(K::Word(_, p)) => p as usize,
            _ => 0,
        };
        self.raw(i).get(pre..).unwrap_or("")
    }

    fn has_article(&self, i: usize) -> bool {
        self.stem(i).starts_with("ال")
    }

    fn adjacent(&self, i: usize, j: usize) -> bool {
        match (self.k.get(i), self.k.get(j)) {
            (Some(a), Some(b)) => a.e == b.s,
            _ => false,
        }
    }

    fn qual(&self, i: usize) -> Option<Q> {
        match self.lex(i)? {
            Lex::Past => Some(Q::Past),
            Lex::Current => Some(Q::Current),
            Lex::Future => Some(Q::Future),
            _ => None,
        }
    }

    fn unit(&self, i: usize) -> Option<(Unit, Gn)> {
        match self.lex(i)? {
            Lex::Unit(u, n) => Some((u, n)),
            _ => None,
        }
    }

    /// "و" between two items: a word of its own, or the conjunction glued to the next word.
    /// Gives the index of the next item's first token.
    fn and_sep(&self, i: usize) -> Option<usize> {
        if self.fw(i, Fw::And) {
            return Some(i + 1);
        }
        match self.k.get(i)?.k {
            K::Word(Some(_), p) if p > 0 && self.raw(i).starts_with('و') => Some(i),
            _ => None,
        }
    }

    /// "حتى", "وحتى", "و حتى", "إلى", "لغاية", or a dash between two dates.
    fn until_sep(&self, i: usize) -> Option<usize> {
        if self.fw(i, Fw::Until) {
            return Some(i + 1);
        }
        if self.fw(i, Fw::And) && self.fw(i + 1, Fw::Until) {
            return Some(i + 2);
        }
        if self.punct(i) == Some('-') {
            return Some(i + 1);
        }
        None
    }

    // ------------------------------------------------------------------------------------
    // Calendar pieces

    /// Day of month: "26", "الـ1", "الأول", "الحادي عشر", "الثاني والعشرين", "الثلاثين".
    fn day(&self, i: usize) -> R<i8> {
        if let Some((v, n)) = self.num(i) {
            return (n <= 2 && (1..=31).contains(&v)).then_some((i + 1, v as i8));
        }
        if self.fw(i, Fw::Article) {
            let (v, n) = self.num(i + 1)?;
            return (n <= 2 && (1..=31).contains(&v)).then_some((i + 2, v as i8));
        }
        // "الأسبوع الأول من آذار" is a week, not the first of March.
        if i > 0 && self.unit(i - 1).is_some() {
            return None;
        }
        match self.lex(i)? {
            l @ (Lex::Ord(_) | Lex::OrdHadi) => {
                let n = match l {
                    Lex::Ord(n) => n,
                    _ => 1,
                };
                if self.raw(i + 1) == "عشر" && n <= 9 {
                    return Some((i + 2, 10 + n as i8));
                }
                if let Some(j) = self.and_sep(i + 1) {
                    if let Some(Lex::OrdTens(t)) = self.lex(j) {
                        let d = n as u32 + t as u32;
                        if d <= 31 {
                            return Some((j + 1, d as i8));
                        }
                    }
                }
                match l {
                    Lex::Ord(n) if (1..=10).contains(&n) => Some((i + 1, n as i8)),
                    _ => None,
                }
            }
            Lex::OrdTens(t) if t <= 30 => Some((i + 1, t as i8)),
            _ => None,
        }
    }

    /// One month name: "آذار", "مايو", "كانون الثاني", "تشرين أول".
    fn month(&self, i: usize) -> R<i8> {
        match self.lex(i)? {
            Lex::Month(m, _) if (1..=12).contains(&m) => Some((i + 1, m)),
            l @ (Lex::Kanun | Lex::Tishrin) => {
                let first = matches!(self.lex(i + 1), Some(Lex::Ord(1) | Lex::Awwal));
                let second = self.lex(i + 1) == Some(Lex::Ord(2)) || self.stem(i + 1) == "ثاني";
                let (a, b) = if l == Lex::Kanun { (12, 1) } else { (10, 11) };
                if first {
                    Some((i + 2, a))
                } else if second {
                    Some((i + 2, b))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// A month name, possibly paired with its other-system name: "آذار/مارس", "تموز/ يوليو",
    /// "نيسان (أبريل)". The flag says whether it was paired.
    fn month_p(&self, i: usize) -> R<(i8, bool)> {
        let (j, m) = self.month(i)?;
        let (k, paren) = match self.punct(j) {
            Some('/' | '-' | '|') => (j + 1, false),
            Some('(') => (j + 1, true),
            _ => return Some((j, (m, false))),
        };
        if let Some((e, m2)) = self.month(k) {
            if m2 == m {
                let e = if paren && self.punct(e) == Some(')') { e + 1 } else { e };
                return Some((e, (m, true)));
            }
        }
        Some((j, (m, false)))
    }

    /// A four-digit year, with the Gregorian mark glued on ("2020م").
    fn year(&self, i: usize) -> R<i16> {
        let (v, n) = self.num(i)?;
        if n != 4 || !valid_year(v) {
            return None;
        }
        let mut j = i + 1;
        if self.raw(j) == "م" && self.adjacent(i, j) {
            j += 1;
        }
        Some((j, v as i16))
    }

    /// A year after a month or day: "2019", "عام 2019", "من عام 2019", "سنة 2019".
    fn year_phrase(&self, i: usize) -> R<i16> {
        if let Some(r) = self.year(i) {
            return Some(r);
        }
        let mut k = i;
        if self.fw(k, Fw::From) || self.fw(k, Fw::In) {
            k += 1;
        }
        if matches!(self.unit(k), Some((Unit::Year, Gn::One))) {
            return self.year(k + 1);
        }
        None
    }

    /// "عام 2015", "العام 2019", "سنة 2019".
    fn year_unit(&self, i: usize) -> R<i16> {
        if matches!(self.unit(i), Some((Unit::Year, Gn::One))) {
            return self.year(i + 1);
        }
        None
    }

    /// Day, month and optional year: "26 مايو 2020", "26/مايو/2020", "الـ1 من نيسان 2020",
    /// "23 آذار/مارس 2019", "29 تموز/ يوليو", "24 مارس الفائت".
    fn dmy(&self, i: usize) -> R<Dmy> {
        let (j, d) = self.day(i)?;
        let mut k = j;
        if matches!(self.punct(k), Some('/' | '-' | '.')) || self.fw(k, Fw::From) {
            k += 1;
        }
        let (k2, (m, _)) = self.month_p(k)?;
        if !valid_dm(d, m) {
            return None;
        }
        let mut end = k2;
        let mut y = None;
        let k3 = if matches!(self.punct(k2), Some('/' | '-' | '.' | ',')) { k2 + 1 } else { k2 };
        if let Some((e, yy)) = self.year_phrase(k3) {
            if Date::new(yy, m, d).is_ok() {
                y = Some(yy);
                end = e;
            }
        }
        if y.is_none() && matches!(self.qual(end), Some(Q::Past | Q::Current)) {
            end += 1;
        }
        Some((end, Dmy { y, m, d }))
    }

    /// All-digit dates: "26/5/2020", "2020-05-26", "26.05.2020" (day first; month first only
    /// when the day-first reading is impossible).
    fn numeric(&self, i: usize) -> R<Dmy> {
        let (a, na) = self.num(i)?;
        let s = self.punct(i + 1).filter(|c| matches!(c, '/' | '-' | '.'))?;
        let (b, nb) = self.num(i + 2)?;
        if self.punct(i + 3) != Some(s) || nb > 2 {
            return None;
        }
        let (c, nc) = self.num(i + 4)?;
        let (y, m, d) = if na == 4 && nc <= 2 {
            (a, b, c)
        } else if nc == 4 && na <= 2 {
            if b > 12 && a <= 12 {
                (c, a, b)
            } else {
                (c, b, a)
            }
        } else {
            return None;
        };
        if !valid_year(y) || m > 12 || d > 31 {
            return None;
        }
        Date::new(y as i16, m as i8, d as i8).ok()?;
        Some((i + 5, Dmy { y: Some(y as i16), m: m as i8, d: d as i8 }))
    }

    /// A full date after a weekday or "اليوم": optional comma/dash/parenthesis and الموافق.
    fn date_after(&self, k: usize) -> R<Dmy> {
        let mut j = k;
        let mut paren = false;
        match self.punct(j) {
            Some(',' | '-') => j += 1,
            Some('(') => {
                j += 1;
                paren = true;
            }
            _ => {}
        }
        if self.fw(j, Fw::Corresponding) {
            j += 1;
        }
        let (mut e, d) = self.dmy(j).or_else(|| self.numeric(j))?;
        if paren && self.punct(e) == Some(')') {
            e += 1;
        }
        Some((e, d))
    }

    /// Month and year: "آذار 2019", "آذار/مارس 2019", "مارس من عام 2019".
    fn month_year(&self, i: usize) -> R<DateKind> {
        let (j, (m, _)) = self.month_p(i)?;
        let k = if matches!(self.punct(j), Some('/' | '-' | ',')) { j + 1 } else { j };
        let (e, y) = self.year_phrase(k)?;
        Some((e, abs(Some(y), Some(m))))
    }

    /// A month qualified as past or current: "مارس الماضي", "حزيران/يونيو الجاري".
    fn named(&self, i: usize) -> R<DateKind> {
        let (j, (m, _)) = self.month_p(i)?;
        let current = match self.qual(j)? {
            Q::Past => false,
            Q::Current => true,
            Q::Future => return None,
        };
        Some((j + 1, DateKind::Relative(Relative::NamedMonth { month: m, current, since: false })))
    }

    /// "شهر آذار", "شهر آذار 2019", "شهر آذار الماضي": the word شهر governs the name.
    fn shahr(&self, i: usize) -> R<DateKind> {
        if !matches!(self.unit(i), Some((Unit::Month, Gn::One))) {
            return None;
        }
        longer(self.month_year(i + 1), self.named(i + 1)).or_else(|| self.governed_month(i + 1))
    }

    /// A bare month name where a governing word allows it (شهر، مطلع، منذ، بين).
    fn governed_month(&self, i: usize) -> R<DateKind> {
        let (j, (m, _)) = self.month_p(i)?;
        Some((j, abs(None, Some(m))))
    }

    /// Calendar expressions that stand on their own.
    fn abs_core(&self, i: usize) -> R<DateKind> {
        let mut best = self.numeric(i).map(|(e, d)| (e, d.kind(None)));
        best = longer(best, self.dmy(i).map(|(e, d)| (e, d.kind(None))));
        best = longer(best, self.month_year(i));
        best = longer(best, self.named(i));
        best = longer(best, self.shahr(i));
        best = longer(best, self.year_unit(i).map(|(e, y)| (e, abs(Some(y), None))));
        // A paired name is a date by itself: "آذار/مارس".
        if let Some((e, (m, true))) = self.month_p(i) {
            best = longer(best, Some((e, abs(None, Some(m)))));
        }
        best
    }

    // ------------------------------------------------------------------------------------
    // Days relative to the report

    /// A time-of-day adverb after a day: "صباحا", "مساءً", "ليلا".
    fn tod_adv(&self, j: usize) -> usize {
        match self.lex(j) {
            Some(Lex::TodAdv) => j + 1,
            Some(Lex::Tod(Tod::Evening)) if self.stem(j) == "مساء" && !self.starts_day(j + 1) => j + 1,
            _ => j,
        }
    }

    /// Whether a day word starts at `j` (so a time of day before it belongs to it).
    fn starts_day(&self, j: usize) -> bool {
        matches!(
            self.lex(j),
            Some(Lex::Today | Lex::Yesterday | Lex::Weekday(_) | Lex::Tonight | Lex::Unit(Unit::Day, Gn::One))
        ) || self.num(j).is_some()
            || self.fw(j, Fw::Article)
    }

    /// "[يوم] الأحد [المنصرم] [، الموافق 29 آذار 2020]".
    fn weekday_expr(&self, i: usize) -> R<DateKind> {
        let mut k = i;
        if matches!(self.unit(k), Some((Unit::Day, Gn::One))) && !self.has_article(k) {
            k += 1;
        }
        let Some(Lex::Weekday(wd)) = self.lex(k) else { return None };
        k += 1;
        let mut past = false;
        match self.qual(k) {
            Some(Q::Past) => {
                past = true;
                k += 1;
            }
            Some(Q::Future) => return None,
            _ => {}
        }
        if let Some((e, d)) = self.date_after(k) {
            let kind = if past && d.y.is_none() {
                DateKind::Relative(Relative::LastWeekday { weekday: wd, day: Some(d.d), month: Some(d.m) })
            } else {
                d.kind(Some(wd))
            };
            return Some((e, kind));
        }
        let kind = if past {
            Relative::LastWeekday { weekday: wd, day: None, month: None }
        } else {
            Relative::Weekday { weekday: wd, day: None, month: None }
        };
        Some((self.tod_adv(k), DateKind::Relative(kind)))
    }

    /// "اليوم", "أمس", "أول أمس", "أمس الأول", "الليلة الماضية", "ليل أمس", each optionally
    /// followed by the weekday and the date ("اليوم الأربعاء الـ1 من نيسان 2020"). The flag says
    /// the expression is introduced as the report's present.
    fn today_expr(&self, i: usize, tod: Option<Tod>) -> R<(DateKind, bool)> {
        #[derive(PartialEq)]
        enum B {
            Today,
            Yest,
            Dby,
            Night,
        }
        let mut k = i;
        if matches!(self.unit(k), Some((Unit::Day, Gn::One)))
            && !self.has_article(k)
            && matches!(self.lex(k + 1), Some(Lex::Today | Lex::Yesterday))
        {
            k += 1;
        }
        // "في ذلك اليوم", "تلك الليلة": a day of the story, not of the report.
        if i > 0 && self.fw(i - 1, Fw::That) {
            return None;
        }
        let (j, base) = match self.lex(k)? {
            Lex::Today => {
                if matches!(
                    self.lex(k + 1),
                    Some(
                        Lex::Past
                            | Lex::Future
                            | Lex::Ord(_)
                            | Lex::OrdHadi
                            | Lex::OrdTens(_)
                            | Lex::Word(Fw::Same | Fw::NotDate | Fw::That)
                    )
                ) {
                    return None;
                }
                (k + 1, B::Today)
            }
            Lex::Yesterday => {
                if self.lex(k + 1) == Some(Lex::Ord(1)) {
                    (k + 2, B::Dby)
                } else if tod == Some(Tod::Night) {
                    (k + 1, B::Night)
                } else {
                    (k + 1, B::Yest)
                }
            }
            Lex::Awwal => {
                let j = if self.fw(k + 1, Fw::From) { k + 2 } else { k + 1 };
                if self.lex(j) != Some(Lex::Yesterday) {
                    return None;
                }
                (j + 1, B::Dby)
            }
            Lex::Tonight => {
                if self.qual(k + 1) != Some(Q::Past) {
                    return None;
                }
                (k + 2, B::Night)
            }
            _ => return None,
        };
        let mut end = j;
        let mut wd = None;
        let w = if self.punct(j) == Some(',') { j + 1 } else { j };
        if let Some(Lex::Weekday(d)) = self.lex(w) {
            wd = Some(d);
            end = w + 1;
        }
        if matches!(base, B::Today | B::Yest) {
            if let Some((e, d)) = self.date_after(end) {
                return Some((e, (d.kind(wd), base == B::Today)));
            }
        }
        let rel = match base {
            B::Today => Relative::Today,
            B::Yest => Relative::Yesterday,
            B::Dby => Relative::DayBeforeYesterday,
            B::Night => Relative::LastNight,
        };
        Some((self.tod_adv(end), (DateKind::Relative(rel), base == B::Today)))
    }

    /// A time of day before a day: "صباح اليوم", "مساء الأحد المنصرم", "ليل أمس", "فجر 3 آذار".
    fn tod_expr(&self, i: usize) -> R<(DateKind, bool)> {
        let Some(Lex::Tod(t)) = self.lex(i) else { return None };
        let k = i + 1;
        let mut best = self.today_expr(k, Some(t));
        best = longer(best, self.weekday_expr(k).map(|(e, d)| (e, (d, false))));
        best = longer(best, self.dmy(k).map(|(e, d)| (e, (d.kind(None), false))));
        best
    }

    // ------------------------------------------------------------------------------------
    // Periods relative to the report

    /// "الأسبوع الماضي", "الشهر الجاري", "العام الماضي", "هذا العام", "الساعة الماضية".
    fn rel_period(&self, i: usize) -> R<Relative> {
        if self.fw(i, Fw::This) {
            let r = match self.unit(i + 1)? {
                (Unit::Week, Gn::One) => Relative::ThisWeek,
                (Unit::Month, Gn::One) => Relative::ThisMonth,
                (Unit::Year, Gn::One) => Relative::ThisYear,
                _ => return None,
            };
            return Some((i + 2, r));
        }
        let (u, Gn::One) = self.unit(i)? else { return None };
        if !self.has_article(i) {
            return None;
        }
        // "الأسبوع الأخير" is the last seven days, "الأسبوع الماضي" the previous calendar week.
        let latest = self.stem(i + 1).starts_with("الاخير");
        let r = match (u, self.qual(i + 1)?) {
            (Unit::Week, Q::Past) if latest => Relative::LastDays(7),
            (Unit::Month, Q::Past) if latest => Relative::LastMonths(1),
            (Unit::Year, Q::Past) if latest => Relative::LastYears(1),
            (Unit::Week, Q::Past) => Relative::LastWeek,
            (Unit::Week, Q::Current) => Relative::ThisWeek,
            (Unit::Month, Q::Past) => Relative::LastMonth,
            (Unit::Month, Q::Current) => Relative::ThisMonth,
            (Unit::Year, Q::Past) => Relative::LastYear,
            (Unit::Year, Q::Current) => Relative::ThisYear,
            (Unit::Hour, Q::Past) => Relative::LastHours(1),
            _ => return None,
        };
        Some((i + 2, r))
    }

    /// "الـ24 ساعة الماضية", "24 ساعة" (after خلال), "اليومين الماضيين", "الأيام الثلاثة الماضية",
    /// "الساعات القليلة الماضية", "الأشهر الماضية". `ctx` is set after خلال/في/آخر.
    fn counted(&self, i: usize, ctx: bool) -> R<Relative> {
        let art = self.fw(i, Fw::Article);
        let k = if art { i + 1 } else { i };
        let n = match (self.num(k), self.lex(k)) {
            (Some((v, nd)), _) if nd <= 5 => Some(v),
            (Some(_), _) => return None,
            (None, Some(Lex::Card(c))) => Some(c),
            _ => None,
        };
        if let Some(n) = n {
            // A counted noun has no article ("24 ساعة", "ثلاثة أيام"), and after a number word
            // from three to ten it is plural: "خمسة العام الماضي" is five (people) last year.
            let (u, un) = self.unit(k + 1)?;
            if self.has_article(k + 1) || (self.num(k).is_none() && un != Gn::Many) {
                return None;
            }
            let mut e = k + 2;
            let past = self.qual(e) == Some(Q::Past);
            if past {
                e += 1;
            }
            return (past || art || ctx).then_some((e, last_n(u, Some(n))));
        }
        if art {
            return None;
        }
        let (u, num) = self.unit(i)?;
        if num == Gn::One || !self.has_article(i) {
            return None;
        }
        let mut e = i + 1;
        let mut n = (num == Gn::Two).then_some(2);
        if num == Gn::Many {
            let k = if self.fw(e, Fw::Article) { e + 1 } else { e };
            if let Some((v, nd)) = self.num(k) {
                if nd <= 5 {
                    n = Some(v);
                    e = k + 1;
                }
            } else if let Some(Lex::Card(c)) = self.lex(e) {
                n = Some(c);
                e += 1;
            }
        }
        if self.fw(e, Fw::Few) {
            e += 1;
        }
        let past = self.qual(e) == Some(Q::Past);
        if past {
            e += 1;
        } else if !(ctx && num == Gn::Two) {
            return None;
        }
        Some((e, last_n(u, n)))
    }

    /// "قبل يومين", "منذ أسبوعين", "قبل نحو 3 أشهر", "قبل عام", "منذ أيام".
    fn ago(&self, i: usize) -> R<Relative> {
        let since = self.fw(i, Fw::Since);
        if !since && !self.fw(i, Fw::Before) {
            return None;
        }
        let mut k = i + 1;
        if self.fw(k, Fw::About) {
            k += 1;
        }
        let (e, u, n) = match (self.num(k), self.lex(k)) {
            (Some((v, nd)), _) if nd <= 5 => {
                let (u, _) = self.unit(k + 1)?;
                if self.has_article(k + 1) {
                    return None;
                }
                (k + 2, u, Some(v))
            }
            (None, Some(Lex::Card(c))) => {
                let (u, un) = self.unit(k + 1)?;
                if un != Gn::Many || self.has_article(k + 1) {
                    return None;
                }
                (k + 2, u, Some(c))
            }
            (None, Some(Lex::Unit(u, num))) if !self.has_article(k) => match num {
                Gn::One => (k + 1, u, Some(1)),
                Gn::Two => (k + 1, u, Some(2)),
                Gn::Many => (k + 1, u, None),
            },
            _ => return None,
        };
        // "قبل يومين من الهجوم", "قبل أسبوع على": relative to another event. "منذ عام 2015" is a
        // year, not "a year ago".
        if self.fw(e, Fw::From) || self.fw(e, Fw::On) || self.num(e).is_some() {
            return None;
        }
        let r = match (u, n) {
            (Unit::Hour, n) => Relative::LastHours(n.unwrap_or(24).max(24)),
            (_, None) => Relative::Recently,
            (Unit::Day, Some(n)) => Relative::DaysAgo(n),
            (Unit::Week, Some(n)) => Relative::WeeksAgo(n),
            (Unit::Month, Some(n)) => Relative::MonthsAgo(n),
            (Unit::Year, Some(1)) => Relative::YearAgo,
            (Unit::Year, Some(n)) => Relative::YearsAgo(n),
        };
        Some((e, r))
    }

    /// "مؤخرا", "في الآونة الأخيرة", "في وقت سابق" (and "في وقت سابق من اليوم" → today).
    fn recently(&self, i: usize) -> R<DateKind> {
        if self.fw(i, Fw::Recently) {
            return Some((i + 1, DateKind::Relative(Relative::Recently)));
        }
        let k = if self.fw(i, Fw::In) { i + 1 } else { i };
        if self.fw(k, Fw::Lately) && self.qual(k + 1) == Some(Q::Past) {
            return Some((k + 2, DateKind::Relative(Relative::Recently)));
        }
        if self.fw(k, Fw::Time) && self.fw(k + 1, Fw::Earlier) {
            let e = k + 2;
            if self.fw(e, Fw::From) {
                let inner = longer(
                    self.today_expr(e + 1, None).map(|(j, (d, _))| (j, d)),
                    self.rel_period(e + 1).map(|(j, r)| (j, DateKind::Relative(r))),
                );
                if let Some(r) = inner {
                    return Some(r);
                }
            }
            return Some((e, DateKind::Relative(Relative::Recently)));
        }
        None
    }

    /// "في 21 الشهر الجاري", "الـ21 من الشهر", "الـ3 من الشهر الماضي". A bare number needs
    /// "من" or a governing word (`ctx`): "قتل 5 الشهر الماضي" counts five people.
    fn day_of_month(&self, i: usize, ctx: bool) -> R<Relative> {
        let (j, d) = self.day(i)?;
        let from = self.fw(j, Fw::From);
        if !from && !ctx && self.num(i).is_some() {
            return None;
        }
        let k = if from { j + 1 } else { j };
        if !matches!(self.unit(k), Some((Unit::Month, Gn::One))) || !self.has_article(k) {
            return None;
        }
        match self.qual(k + 1) {
            Some(Q::Past) => Some((k + 2, Relative::DayOfLastMonth(d))),
            Some(Q::Current) => Some((k + 2, Relative::DayOfThisMonth(d))),
            None => Some((k + 1, Relative::DayOfThisMonth(d))),
            Some(Q::Future) => None,
        }
    }

    /// "مطلع الشهر", "أواخر آب/أغسطس الماضي", "منتصف عام 2019", "نهاية الأسبوع المنصرم".
    fn part(&self, i: usize) -> R<DateKind> {
        let p = match self.lex(i)? {
            Lex::Part(p) => p,
            Lex::Awwal => PartW::Early,
            _ => return None,
        };
        let k = i + 1;
        let mut best: R<DateKind> = None;
        match self.unit(k) {
            Some((Unit::Week, Gn::One)) if self.has_article(k) => {
                let of = match self.qual(k + 1) {
                    Some(Q::Past) if p == PartW::Late => {
                        best = Some((k + 2, DateKind::Relative(Relative::EndOfLastWeek)));
                        None
                    }
                    Some(Q::Past) => Some(Relative::LastWeek),
                    Some(Q::Current) => Some(Relative::ThisWeek),
                    _ => None,
                };
                if let Some(of) = of {
                    best = Some((k + 2, DateKind::Part { part: part_of(p), of: Box::new(DateKind::Relative(of)) }));
                }
                return best;
            }
            Some((Unit::Month, Gn::One)) if self.has_article(k) => {
                let (e, of) = match self.qual(k + 1) {
                    Some(Q::Past) => (k + 2, Relative::LastMonth),
                    Some(Q::Current) => (k + 2, Relative::ThisMonth),
                    None => (k + 1, Relative::ThisMonth),
                    Some(Q::Future) => return None,
                };
                best = Some((e, DateKind::Relative(of)));
            }
            Some((Unit::Year, Gn::One)) => {
                if let Some((e, y)) = self.year(k + 1) {
                    best = Some((e, abs(Some(y), None)));
                } else if self.has_article(k) {
                    best = match self.qual(k + 1) {
                        Some(Q::Past) => Some((k + 2, DateKind::Relative(Relative::LastYear))),
                        Some(Q::Current) => Some((k + 2, DateKind::Relative(Relative::ThisYear))),
                        None => Some((k + 1, DateKind::Relative(Relative::ThisYear))),
                        Some(Q::Future) => return None,
                    };
                }
            }
            _ => {}
        }
        best = longer(best, self.rel_period(k).map(|(e, r)| (e, DateKind::Relative(r))));
        best = longer(best, self.shahr(k));
        best = longer(best, self.month_year(k));
        best = longer(best, self.named(k));
        best = longer(best, self.governed_month(k));
        best = longer(best, self.year(k).map(|(e, y)| (e, abs(Some(y), None))));
        let (e, of) = best?;
        Some((e, DateKind::Part { part: part_of(p), of: Box::new(of) }))
    }

    /// "منذ عام 2015", "منذ أواخر مارس", "منذ ديسمبر الماضي", "منذ مطلع العام الجاري".
    fn since(&self, i: usize) -> R<DateKind> {
        if !self.fw(i, Fw::Since) {
            return None;
        }
        let k = i + 1;
        let mut best = self.part(k);
        best = longer(best, self.abs_core(k));
        // "منذ 2011": a bare year after منذ.
        best = longer(best, self.year(k).map(|(e, y)| (e, abs(Some(y), None))));
        best = longer(best, self.governed_month(k));
        best = longer(best, self.weekday_expr(k));
        best = longer(best, self.today_expr(k, None).map(|(e, (d, _))| (e, d)));
        best = longer(best, self.tod_expr(k).map(|(e, (d, _))| (e, d)));
        best = longer(best, self.rel_period(k).map(|(e, r)| (e, DateKind::Relative(r))));
        best = longer(best, self.day_of_month(k, true).map(|(e, r)| (e, DateKind::Relative(r))));
        let (e, x) = best?;
        let kind = match x {
            DateKind::Relative(Relative::NamedMonth { month, current: false, .. }) => {
                DateKind::Relative(Relative::NamedMonth { month, current: false, since: true })
            }
            x => DateKind::Since(Box::new(x)),
        };
        Some((e, kind))
    }

    /// One end of a range: any non-range expression, or a bare month (governed by the range).
    fn single(&self, k: usize) -> R<DateKind> {
        let mut best = self.abs_core(k);
        best = longer(best, self.governed_month(k));
        best = longer(best, self.weekday_expr(k));
        best = longer(best, self.today_expr(k, None).map(|(e, (d, _))| (e, d)));
        best = longer(best, self.tod_expr(k).map(|(e, (d, _))| (e, d)));
        best = longer(best, self.rel_period(k).map(|(e, r)| (e, DateKind::Relative(r))));
        best = longer(best, self.day_of_month(k, true).map(|(e, r)| (e, DateKind::Relative(r))));
        best = longer(best, self.part(k));
        best
    }

    /// Two ends joined by `sep`: "3 و5 آذار 2020" (the first end takes the second's month and
    /// year), "3 آذار و5 نيسان 2020" (the year), or two full expressions.
    fn pair(&self, k: usize, sep: fn(&Self, usize) -> Option<usize>) -> R<DateKind> {
        let mut best: R<DateKind> = None;
        // "بين 2012 و2014", "من 2012 حتى 2014": bare years where a range word governs them.
        if let Some((j, y1)) = self.year(k) {
            if let Some(l) = sep(self, j) {
                if let Some((e, y2)) = self.year(l) {
                    best = Some((e, DateKind::Between(Box::new(abs(Some(y1), None)), Box::new(abs(Some(y2), None)))));
                }
            }
        }
        if let Some((j, d1)) = self.day(k) {
            if let Some(l) = sep(self, j) {
                if let Some((e, d2)) = self.dmy(l) {
                    if valid_dm(d1, d2.m) {
                        let a = Dmy { y: d2.y, m: d2.m, d: d1 };
                        best = Some((e, DateKind::Between(Box::new(a.kind(None)), Box::new(d2.kind(None)))));
                    }
                }
            }
        }
        if let Some((j, d1)) = self.dmy(k) {
            if let Some(l) = sep(self, j) {
                if let Some((e, d2)) = self.dmy(l) {
                    let a = Dmy { y: d1.y.or(d2.y), ..d1 };
                    best = longer(best, Some((e, DateKind::Between(Box::new(a.kind(None)), Box::new(d2.kind(None))))));
                }
            }
        }
        if let Some((j, x)) = self.single(k) {
            if let Some(l) = sep(self, j) {
                if let Some((e, y)) = self.single(l) {
                    // "بين شباط وآذار 2021": the first end takes the second's year.
                    let x = match (x, &y) {
                        (
                            DateKind::Absolute { year: None, month, day, weekday },
                            DateKind::Absolute { year: Some(yy), month: m2, .. },
                        ) => {
                            // "بين كانون الأول وشباط 2021": December of the year before.
                            let back = matches!((month, m2), (Some(a), Some(b)) if a > *b);
                            let year = if back { yy.checked_sub(1) } else { Some(*yy) };
                            DateKind::Absolute { year, month, day, weekday }
                        }
                        (x, _) => x,
                    };
                    best = longer(best, Some((e, DateKind::Between(Box::new(x), Box::new(y)))));
                }
            }
        }
        best
    }

    /// "بين 3 و5 آذار 2020", "بين عامي 2014 و2017", "شهري شباط الماضي وآذار الجاري",
    /// "من 24 مارس الفائت وحتى اليوم", "منذ آذار وحتى نهاية العام", "3-5 آذار".
    fn between(&self, i: usize) -> R<DateKind> {
        if self.fw(i, Fw::Between) {
            let k = i + 1;
            if self.fw(k, Fw::YearsOf) {
                let (j, y1) = self.year(k + 1)?;
                let l = self.and_sep(j)?;
                let (e, y2) = self.year(l)?;
                return Some((e, DateKind::Between(Box::new(abs(Some(y1), None)), Box::new(abs(Some(y2), None)))));
            }
            if self.fw(k, Fw::MonthsOf) {
                return self.months_of(k);
            }
            return self.pair(k, Self::and_sep);
        }
        if self.fw(i, Fw::MonthsOf) {
            return self.months_of(i);
        }
        if self.fw(i, Fw::From) || self.fw(i, Fw::Since) {
            return self.pair(i + 1, Self::until_sep);
        }
        // "3-5 آذار 2020", "3 و4 آذار": a day range without a governing word.
        if self.num(i).is_some() {
            let (j, d1) = self.day(i)?;
            let l = if self.punct(j) == Some('-') { j + 1 } else { self.and_sep(j)? };
            let (e, d2) = self.dmy(l)?;
            if valid_dm(d1, d2.m) && d1 < d2.d {
                let a = Dmy { y: d2.y, m: d2.m, d: d1 };
                return Some((e, DateKind::Between(Box::new(a.kind(None)), Box::new(d2.kind(None)))));
            }
            return None;
        }
        // "الجمعة والسبت الماضيين": two weekdays sharing one qualifier.
        let w = if matches!(self.unit(i), Some((Unit::Day, Gn::One))) && !self.has_article(i) { i + 1 } else { i };
        if let Some(Lex::Weekday(w1)) = self.lex(w) {
            let l = self.and_sep(w + 1)?;
            let (e, second) = self.weekday_expr(l)?;
            let first = match second {
                DateKind::Relative(Relative::LastWeekday { day: None, .. }) => {
                    Relative::LastWeekday { weekday: w1, day: None, month: None }
                }
                DateKind::Relative(Relative::Weekday { day: None, .. }) => Relative::Weekday { weekday: w1, day: None, month: None },
                _ => return None,
            };
            return Some((e, DateKind::Between(Box::new(DateKind::Relative(first)), Box::new(second))));
        }
        None
    }

    /// "الأسبوع الأول من آذار 2020" (days 1–7), "الأسبوع الأخير من الشهر الماضي" (its last part).
    fn week_of_month(&self, i: usize) -> R<DateKind> {
        if !matches!(self.unit(i), Some((Unit::Week, Gn::One))) || !self.has_article(i) {
            return None;
        }
        let n = match self.lex(i + 1)? {
            Lex::Ord(n) if (1..=5).contains(&n) => n as i8,
            Lex::Past if self.stem(i + 1).starts_with("الاخير") => 0,
            _ => return None,
        };
        let k = if self.fw(i + 2, Fw::From) { i + 3 } else { i + 2 };
        let mut target = longer(self.month_year(k), self.named(k));
        target = longer(target, self.shahr(k));
        target = longer(target, self.governed_month(k));
        if let Some((Unit::Month, Gn::One)) = self.unit(k) {
            if self.has_article(k) {
                let (e, r) = match self.qual(k + 1) {
                    Some(Q::Past) => (k + 2, Relative::LastMonth),
                    Some(Q::Current) => (k + 2, Relative::ThisMonth),
                    None => (k + 1, Relative::ThisMonth),
                    Some(Q::Future) => return None,
                };
                target = longer(target, Some((e, DateKind::Relative(r))));
            }
        }
        let (e, of) = target?;
        if let DateKind::Absolute { year, month: Some(m), day: None, .. } = of {
            if n >= 1 {
                let d1 = 7 * (n - 1) + 1;
                let d2 = (7 * n).min(match m {
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                });
                if d1 <= d2 {
                    let a = Dmy { y: year, m, d: d1 };
                    let b = Dmy { y: year, m, d: d2 };
                    return Some((e, DateKind::Between(Box::new(a.kind(None)), Box::new(b.kind(None)))));
                }
                return None;
            }
        }
        // Relative months: the first week is the early part, the last the late part, the others
        // the whole month.
        let kind = match n {
            1 => DateKind::Part { part: PeriodPart::Early, of: Box::new(of) },
            0 | 4 | 5 => DateKind::Part { part: PeriodPart::Late, of: Box::new(of) },
            _ => of,
        };
        Some((e, kind))
    }

    /// "شهري شباط الماضي وآذار الجاري", "شهري آذار ونيسان 2020".
    fn months_of(&self, i: usize) -> R<DateKind> {
        let item = |k: usize| longer(self.named(k), self.governed_month(k));
        let (j, a) = item(i + 1)?;
        let l = self.and_sep(j)?;
        let (mut e, mut b) = item(l)?;
        let mut a = a;
        if let Some((e2, y)) = self.year_phrase(e) {
            let fill = |k: DateKind| match k {
                DateKind::Absolute { year: None, month, day, weekday } => {
                    DateKind::Absolute { year: Some(y), month, day, weekday }
                }
                k => k,
            };
            a = fill(a);
            b = fill(b);
            e = e2;
        }
        Some((e, DateKind::Between(Box::new(a), Box::new(b))))
    }

    /// A clock time after a day: "- 07:37 م", "، الساعة 10:30 صباحا", "الساعة 10 صباحا".
    fn trailing_time(&self, j: usize) -> usize {
        let mut k = j;
        if matches!(self.punct(k), Some('-' | ',' | '|')) {
            k += 1;
        }
        let hour_word = matches!(self.unit(k), Some((Unit::Hour, Gn::One))) && self.has_article(k);
        if hour_word {
            k += 1;
        }
        let Some((h, nh)) = self.num(k) else { return j };
        if nh > 2 || h > 24 {
            return j;
        }
        let mut e = k + 1;
        if self.punct(e) == Some(':') {
            match self.num(e + 1) {
                Some((mm, 2)) if mm < 60 => e += 2,
                _ => return j,
            }
        } else if !hour_word {
            return j;
        }
        match self.lex(e) {
            Some(Lex::TodAdv) => e += 1,
            Some(Lex::Tod(_)) if !self.starts_day(e + 1) => e += 1,
            _ => {
                if matches!(self.stem(e), "م" | "ص" | "am" | "pm") {
                    e += 1;
                }
            }
        }
        e
    }

    /// The longest expression starting at token `i`: (end token, kind, present).
    fn top(&self, i: usize) -> Option<(usize, DateKind, bool)> {
        match self.k.get(i)?.k {
            K::Word(Some(_), _) | K::Num(..) => {}
            _ => return None,
        }
        // "في", "خلال", "طيلة" lead into the expression and belong to it.
        let lead = self.fw(i, Fw::In) || self.fw(i, Fw::During);
        let k = if lead { i + 1 } else { i };
        let mut best: R<(DateKind, bool)> = None;
        let plain = |r: R<DateKind>| r.map(|(e, d)| (e, (d, false)));
        let rel = |r: R<Relative>| r.map(|(e, d)| (e, (DateKind::Relative(d), false)));
        best = longer(best, plain(self.between(k)));
        best = longer(best, plain(self.since(k)));
        best = longer(best, rel(self.ago(k)));
        best = longer(best, rel(self.counted(k, lead)));
        if matches!(self.lex(k), Some(Lex::Part(PartW::Late))) {
            // "خلال آخر 24 ساعة".
            best = longer(best, rel(self.counted(k + 1, true)));
        }
        best = longer(best, plain(self.part(k)));
        best = longer(best, plain(self.week_of_month(k)));
        best = longer(best, rel(self.rel_period(k)));
        best = longer(best, plain(self.recently(k)));
        best = longer(best, rel(self.day_of_month(k, lead)));
        best = longer(best, self.today_expr(k, None));
        best = longer(best, self.tod_expr(k));
        best = longer(best, plain(self.weekday_expr(k)));
        best = longer(best, plain(self.abs_core(k)));
        let (mut e, (kind, present)) = best?;
        let daylike = match &kind {
            DateKind::Absolute { day: Some(_), .. } => true,
            DateKind::Relative(r) => matches!(
                r,
                Relative::Today
                    | Relative::Yesterday
                    | Relative::DayBeforeYesterday
                    | Relative::Weekday { .. }
                    | Relative::LastWeekday { .. }
            ),
            _ => false,
        };
        if daylike {
            e = self.trailing_time(e);
        }
        Some((e, kind, present))
    }
}

/// Scans normalised text for date expressions, left to right, longest first, non-overlapping.
pub(crate) fn scan(norm: &str) -> Vec<DateFound> {
    let toks = tokenize(norm);
    let p = P { t: norm, k: &toks };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((e, kind, present)) = p.top(i) {
            if e > i && e <= toks.len() {
                let first = toks[i];
                // A conjunction or preposition glued to the first word is not part of the date.
                let pre = match first.k {
                    K::Word(_, n) => n as usize,
                    _ => 0,
                };
                let mut start = first.s + pre;
                if !norm.is_char_boundary(start) || start >= toks[e - 1].e {
                    start = first.s;
                }
                out.push(DateFound { expr: DateExpr { start, end: toks[e - 1].e, kind }, present });
                i = e;
                continue;
            }
        }
        i += 1;
    }
    out
}
