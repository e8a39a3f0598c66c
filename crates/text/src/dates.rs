//! Date expressions: absolute dates in every form and relative ones, resolved against an anchor.
//! OWNER: dates helper. Contract below is fixed; add variants freely.
//!
//! [`find_dates`] reads *normalised* text (see [`crate::normalize()`]) in one pass: a small
//! tokenizer (words, digit runs, punctuation) and one hash lookup per word in the lexicon
//! `data/dates.tsv` (month names of both systems, weekdays, ordinal days, qualifiers such as
//! الماضي/المنصرم/الفائت/الجاري, period nouns, function words), then a recursive-descent grammar
//! at each token that takes the longest expression starting there. No regular expressions.
//!
//! A month name alone is never a date ("مارس" is also a verb, "آب" a father, "نيسان" a car): it
//! needs a day before it, a year or a qualifier after it, a paired name ("آذار/مارس"), or a
//! governing word (شهر، مطلع، منذ).
//!
//! [`resolve`] turns an expression into a [`DateRange`] against the publication date
//! ([`Anchor`]). The rules, besides the obvious ones:
//! - A relative expression without an anchor is `None`; so is a day/month without a year and no
//!   anchor. Nothing ever resolves against the date of the run.
//! - A month (or day and month) without a year takes the anchor's year, or the year before when
//!   that would put it after the anchor (after the end of the anchor's month for a month anchor).
//! - Weeks run Sunday to Saturday (the Levantine and Egyptian working week, weekend Friday and
//!   Saturday). "الأسبوع الماضي" is the previous Sunday–Saturday week; "نهاية الأسبوع المنصرم"
//!   is the Thursday–Saturday of that week (for a Tuesday 2020-05-26 report: 2020-05-21..23).
//! - A weekday qualified الماضي/المنصرم/الفائت ([`Relative::LastWeekday`]) is the most recent such
//!   weekday strictly before the anchor day; a bare weekday ([`Relative::Weekday`]) is the most
//!   recent one on or before it. When the text also gives the day of month, the day wins.
//! - "خلال الـ24 ساعة الماضية" is anchor-1 .. anchor; "خلال اليومين الماضيين" anchor-2 .. anchor;
//!   "الليلة الماضية"/"ليل أمس" anchor-1 .. anchor.
//! - "الشهر الماضي" and "مارس الماضي" are whole calendar months (precision `Month`); the named
//!   month with الماضي is the last such month strictly before the anchor's month. The current
//!   month ("الشهر الجاري", "آذار الجاري") and year run from their start to the anchor day.
//! - "مؤخرا", "في وقت سابق", "قبل أيام" are `OnOrBefore` the anchor.
//! - "منذ أسبوعين" is a week either side of two weeks before; "قبل يومين" a day; "قبل عام" the
//!   calendar year before the anchor's.
//! - Against a month-precision anchor, expressions finer than a month cover the anchor's month
//!   ("اليوم" → that month, precision `Month`; "أمس", "منذ أسبوعين" … → a `Range` over it);
//!   against a year anchor they cover the year. Month-level expressions stay month-level.
//! - مطلع/منتصف/أواخر split a month into days 1–10, 11–20, 21–end and a year into thirds
//!   (Jan–Apr, May–Aug, Sep–Dec); a week into Sun–Tue, Tue–Thu, Thu–Sat. A part of the current
//!   period ends at the anchor.
//!
//! Details the rules above leave open, as implemented:
//! - "قبل يومين" is a day either side of two days before (never after the anchor); "قبل شهرين"
//!   half a month either side of two months before; "منذ ساعات"/"الساعات الماضية" the last day.
//! - "الأسبوع الأخير" is the last seven days (`LastDays(7)`), unlike "الأسبوع الماضي".
//! - "الأسبوع الأول من آذار 2020" is days 1–7 of the month ([`DateKind::Between`]).
//! - Ranges take the year of their second end when the first has none ("بين 3 و5 آذار 2020",
//!   "بين كانون الأول وشباط 2021" → December of the year before).
//! - [`DateKind::Since`] without an anchor is open-ended (`to` = `None`), and so is a range
//!   whose second end is relative ("من 24 آذار 2020 وحتى اليوم").
//! - Against a day anchor a range whose span is exactly one calendar month or year is given that
//!   precision ("الشهر الجاري" on its last day is `Month`).
//!
//! What the grammar does not take as a date: a month name alone; a bare number (a year needs
//! عام/سنة, a month, منذ or بين); "اليوم" as a noun ("اليوم التالي", "اليوم نفسه", "ذلك اليوم",
//! "اليوم العالمي"); "قبل يومين من …" (relative to another event); future qualifiers
//! (المقبل، القادم); a count before a period ("قتل خمسة العام الماضي" is only "العام الماضي").
//! An expression never crosses a line break.

pub use jiff::civil::Date;

mod lexicon;
mod resolve;
mod scan;

/// How precise a resolved date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    Range,
    Month,
    Year,
    OnOrBefore,
    Unknown,
}

/// A resolved date or date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub precision: Precision,
}

/// The publication date a relative expression is resolved against, as precise as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub date: Date,
    /// `Day`, `Month` (date is the 1st) or `Year` (date is 1 January).
    pub precision: Precision,
}

impl Anchor {
    /// A day-precise anchor.
    pub fn day(date: Date) -> Anchor {
        Anchor { date, precision: Precision::Day }
    }

    /// A month-precise anchor (the 1st of the month); `None` for an invalid month.
    pub fn month(year: i16, month: i8) -> Option<Anchor> {
        Date::new(year, month, 1).ok().map(|date| Anchor { date, precision: Precision::Month })
    }

    /// A year-precise anchor (1 January); `None` for an out-of-range year.
    pub fn year(year: i16) -> Option<Anchor> {
        Date::new(year, 1, 1).ok().map(|date| Anchor { date, precision: Precision::Year })
    }

    /// The first day the anchor may be.
    pub fn first(&self) -> Date {
        match self.precision {
            Precision::Month => self.date.first_of_month(),
            Precision::Year => self.date.first_of_year(),
            _ => self.date,
        }
    }

    /// The last day the anchor may be (the end of its month for a month anchor).
    pub fn last(&self) -> Date {
        match self.precision {
            Precision::Month => self.date.last_of_month(),
            Precision::Year => self.date.last_of_year(),
            _ => self.date,
        }
    }
}

/// What a date expression says, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateKind {
    /// Calendar date, possibly partial: "26/مايو/2020", "الأربعاء الـ1 من نيسان 2020",
    /// "23 أذار/مارس 2019", "29 تموز/ يوليو" (no year), "آذار 2019", "عام 2015".
    Absolute { year: Option<i16>, month: Option<i8>, day: Option<i8>, weekday: Option<jiff::civil::Weekday> },
    /// Everything relative to the report's own present (اليوم، أمس، الليلة الماضية، الأحد
    /// المنصرم، نهاية الأسبوع المنصرم، الشهر الماضي، آذار الجاري، منذ ديسمبر الماضي، خلال الـ24
    /// ساعة الماضية …).
    Relative(Relative),
    /// A part of a period: "مطلع الشهر", "أواخر آب/أغسطس الماضي", "منتصف عام 2019".
    Part { part: PeriodPart, of: Box<DateKind> },
    /// "منذ X" for an absolute or partial X ("منذ عام 2015", "منذ أواخر مارس"): from the start of
    /// X to the anchor (open-ended without an anchor). "منذ ديسمبر الماضي" is
    /// [`Relative::NamedMonth`] with `since`.
    Since(Box<DateKind>),
    /// Two expressions that bound a period: "من 24 مارس الفائت وحتى اليوم", "بين 3 و5 آذار 2020"
    /// style pairs, "شهري شباط الماضي وآذار الجاري". From the first's start to the second's end.
    Between(Box<DateKind>, Box<DateKind>),
}

/// Which part of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodPart {
    /// مطلع، بداية، أوائل، مستهل، أول.
    Early,
    /// منتصف، أواسط.
    Middle,
    /// أواخر، نهاية، آخر.
    Late,
}

/// Relative expressions. Variants are the helper's to design; these are the expected ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relative {
    Today,
    Yesterday,
    DayBeforeYesterday,
    LastNight,
    /// A weekday on or before the anchor ("الأحد المنصرم", "يوم الجمعة الماضي", "الخميس"); with
    /// `day` when the text also gives the day of month ("الأحد المنصرم الـ29 من آذار").
    /// The parser emits this for bare weekdays ("الخميس", "يوم الجمعة"); qualified ones are
    /// [`Relative::LastWeekday`].
    Weekday { weekday: jiff::civil::Weekday, day: Option<i8>, month: Option<i8> },
    LastWeek,
    EndOfLastWeek,
    ThisWeek,
    LastMonth,
    ThisMonth,
    /// A named month qualified as past ("مارس الماضي", "منذ ديسمبر الماضي") or current ("آذار الجاري").
    NamedMonth { month: i8, current: bool, since: bool },
    /// "خلال الـ24 ساعة الماضية", "خلال اليومين الماضيين", "الأسبوعين الماضيين".
    LastHours(u32),
    LastDays(u32),
    LastWeeks(u32),
    /// "مؤخرا", "في وقت سابق", "قبل أيام": before the anchor, no more.
    Recently,
    /// "منذ عام", "قبل عام": the year before the anchor.
    YearAgo,
    /// A weekday qualified as past ("الأحد المنصرم", "يوم الجمعة الماضي", "السبت الفائت 10
    /// تموز"): strictly before the anchor day.
    LastWeekday { weekday: jiff::civil::Weekday, day: Option<i8>, month: Option<i8> },
    /// "في 21 الشهر الجاري", "الـ21 من الشهر".
    DayOfThisMonth(i8),
    /// "الـ3 من الشهر الماضي".
    DayOfLastMonth(i8),
    /// "الأشهر الثلاثة الماضية", "الشهرين الماضيين".
    LastMonths(u32),
    /// "قبل يومين", "قبل 3 أيام".
    DaysAgo(u32),
    /// "منذ أسبوعين", "قبل أسبوع".
    WeeksAgo(u32),
    /// "قبل شهرين".
    MonthsAgo(u32),
    /// "قبل عامين".
    YearsAgo(u32),
    /// "العامين الماضيين", "السنوات الثلاث الماضية": anchor minus N years .. anchor.
    LastYears(u32),
    /// "العام الماضي".
    LastYear,
    /// "العام الجاري", "هذا العام".
    ThisYear,
}

/// A date expression in normalised text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateExpr {
    pub start: usize,
    pub end: usize,
    pub kind: DateKind,
}

/// A date expression with what the parser noticed about its wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFound {
    pub expr: DateExpr,
    /// The expression is introduced as the report's own present: "اليوم الأربعاء الـ1 من نيسان
    /// 2020", "صباح اليوم الثلاثاء …" (an `Absolute` then carries the date of "today").
    pub present: bool,
}

/// Finds every date expression in normalised text, left to right, non-overlapping, longest first.
pub fn find_dates(norm: &str) -> Vec<DateExpr> {
    scan::scan(norm).into_iter().map(|f| f.expr).collect()
}

/// [`find_dates`] with the parser's marks (whether an expression is said to be "today").
pub fn find_dates_marked(norm: &str) -> Vec<DateFound> {
    scan::scan(norm)
}

/// Resolves an expression against the anchor. Relative expressions without an anchor, and
/// absolute ones without a year and no anchor to lend one, resolve to `None` (unknown): never
/// to the date of the run.
pub fn resolve(kind: &DateKind, anchor: Option<Anchor>) -> Option<DateRange> {
    resolve::resolve(kind, anchor)
}

#[cfg(test)]
mod tests;
