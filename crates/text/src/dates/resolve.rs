//! Resolution of date expressions against the publication date (see the rules in `dates.rs`).

use super::{Anchor, DateKind, DateRange, PeriodPart, Precision, Relative};
use jiff::civil::Date;
use jiff::Span;

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

fn add_months(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_months(n).ok()?).ok()
}

fn add_years(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_years(n).ok()?).ok()
}

fn range(from: Date, to: Date, precision: Precision) -> DateRange {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    DateRange { from: Some(from), to: Some(to), precision }
}

fn day(d: Date) -> DateRange {
    range(d, d, Precision::Day)
}

fn month_of(y: i16, m: i8) -> Option<DateRange> {
    let first = Date::new(y, m, 1).ok()?;
    Some(range(first, first.last_of_month(), Precision::Month))
}

fn year_of(y: i16) -> Option<DateRange> {
    let first = Date::new(y, 1, 1).ok()?;
    Some(range(first, first.last_of_year(), Precision::Year))
}

fn year_of_i(y: i64) -> Option<DateRange> {
    year_of(i16::try_from(y).ok()?)
}

/// The Sunday that starts the week of `d` (weeks run Sunday to Saturday).
fn week_start(d: Date) -> Option<Date> {
    add_days(d, -(d.weekday().to_sunday_zero_offset() as i64))
}

/// A range that is exactly one day, calendar month or year gets that precision.
fn normalise(r: DateRange) -> DateRange {
    let (Some(f), Some(t)) = (r.from, r.to) else { return r };
    if r.precision != Precision::Range {
        return r;
    }
    let precision = if f == t {
        Precision::Day
    } else if f == f.first_of_month() && t == f.last_of_month() {
        Precision::Month
    } else if f == f.first_of_year() && t == f.last_of_year() {
        Precision::Year
    } else {
        Precision::Range
    };
    DateRange { precision, ..r }
}

/// The smallest range covering both.
fn union(a: DateRange, b: DateRange) -> DateRange {
    if a == b {
        return a;
    }
    let from = match (a.from, b.from) {
        (Some(x), Some(y)) => Some(x.min(y)),
        _ => None,
    };
    let to = match (a.to, b.to) {
        (Some(x), Some(y)) => Some(x.max(y)),
        _ => None,
    };
    let precision = if a.precision == Precision::OnOrBefore && b.precision == Precision::OnOrBefore {
        Precision::OnOrBefore
    } else {
        Precision::Range
    };
    normalise(DateRange { from, to, precision })
}

pub(crate) fn resolve(kind: &DateKind, anchor: Option<Anchor>) -> Option<DateRange> {
    match kind {
        DateKind::Absolute { year, month, day, .. } => absolute(*year, *month, *day, anchor),
        DateKind::Relative(r) => relative(r, anchor?),
        DateKind::Part { part, of } => part_of(*part, of, anchor),
        DateKind::Since(x) => {
            let from = resolve(x, anchor)?.from?;
            let to = anchor.map(|a| a.last());
            match to {
                Some(t) => Some(range(from, t.max(from), Precision::Range)),
                None => Some(DateRange { from: Some(from), to: None, precision: Precision::Range }),
            }
        }
        DateKind::Between(a, b) => {
            let from = resolve(a, anchor)?.from?;
            match resolve(b, anchor) {
                Some(rb) => Some(normalise(range(from, rb.to?, Precision::Range))),
                // "من 24 آذار 2020 وحتى اليوم" with no anchor: open-ended.
                None if anchor.is_none() => Some(DateRange { from: Some(from), to: None, precision: Precision::Range }),
                None => None,
            }
        }
    }
}

/// A calendar date, possibly partial. A missing year comes from the anchor (or the year before
/// when the date would fall after the anchor's last day).
fn absolute(year: Option<i16>, month: Option<i8>, d: Option<i8>, anchor: Option<Anchor>) -> Option<DateRange> {
    match (year, month, d) {
        (Some(y), Some(m), Some(d)) => Date::new(y, m, d).ok().map(day),
        (Some(y), Some(m), None) => month_of(y, m),
        (Some(y), None, _) => year_of(y),
        (None, Some(m), Some(d)) => {
            let last = anchor?.last();
            let y = last.year();
            match Date::new(y, m, d).ok().filter(|x| *x <= last) {
                Some(x) => Some(day(x)),
                None => Date::new(y.checked_sub(1)?, m, d).ok().map(day),
            }
        }
        (None, Some(m), None) => {
            let last = anchor?.last();
            let y = last.year();
            if Date::new(y, m, 1).ok()? > last {
                month_of(y.checked_sub(1)?, m)
            } else {
                month_of(y, m)
            }
        }
        (None, None, Some(d)) => relative(&Relative::DayOfThisMonth(d), anchor?),
        (None, None, None) => None,
    }
}

/// A day the text gives with a weekday ("الأحد المنصرم الـ29 من آذار"): the day wins.
fn day_given(d: i8, month: Option<i8>, a: Anchor) -> Option<DateRange> {
    if month.is_some() {
        return absolute(None, month, Some(d), Some(a));
    }
    match a.precision {
        Precision::Month => Date::new(a.date.year(), a.date.month(), d).ok().map(day),
        Precision::Year => Some(range(a.first(), a.last(), Precision::Range)),
        _ => {
            let here = Date::new(a.date.year(), a.date.month(), d).ok().filter(|x| *x <= a.date);
            match here {
                Some(x) => Some(day(x)),
                None => {
                    let p = add_months(a.date.first_of_month(), -1)?;
                    Date::new(p.year(), p.month(), d).ok().map(day)
                }
            }
        }
    }
}

fn relative(r: &Relative, a: Anchor) -> Option<DateRange> {
    use Relative as R;
    match r {
        R::Weekday { day: Some(d), month, .. } | R::LastWeekday { day: Some(d), month, .. } => {
            return day_given(*d, *month, a)
        }
        _ => {}
    }
    match a.precision {
        Precision::Month | Precision::Year => {}
        _ => return rel_day(r, a.date),
    }
    let (first, last) = (a.first(), a.last());
    match r {
        R::Recently => Some(DateRange { from: None, to: Some(last), precision: Precision::OnOrBefore }),
        R::Today => Some(range(first, last, a.precision)),
        // Finer than the anchor: the anchor's period.
        R::Yesterday
        | R::DayBeforeYesterday
        | R::LastNight
        | R::Weekday { .. }
        | R::LastWeekday { .. }
        | R::LastWeek
        | R::EndOfLastWeek
        | R::ThisWeek
        | R::LastHours(_)
        | R::LastDays(_)
        | R::LastWeeks(_)
        | R::DaysAgo(_)
        | R::WeeksAgo(_) => Some(range(first, last, Precision::Range)),
        // Month- and year-level: whatever the anchor's first and last day would give.
        _ => {
            let x = rel_day(r, first)?;
            let y = rel_day(r, last)?;
            Some(union(x, y))
        }
    }
}

/// A relative expression against a day.
fn rel_day(r: &Relative, a: Date) -> Option<DateRange> {
    use Relative as R;
    let ago = |n: u32| add_days(a, -(n as i64));
    let back_to = |c: Date, slack: i64| -> Option<DateRange> {
        let from = add_days(c, -slack)?;
        let to = add_days(c, slack)?.min(a);
        Some(range(from, to.max(from), Precision::Range))
    };
    Some(match r {
        R::Today => day(a),
        R::Yesterday => day(ago(1)?),
        R::DayBeforeYesterday => day(ago(2)?),
        R::LastNight => range(ago(1)?, a, Precision::Range),
        R::Weekday { weekday, day: None, .. } => {
            let back = (a.weekday().to_sunday_zero_offset() - weekday.to_sunday_zero_offset()).rem_euclid(7);
            day(ago(back as u32)?)
        }
        R::LastWeekday { weekday, day: None, .. } => {
            let back = (a.weekday().to_sunday_zero_offset() - weekday.to_sunday_zero_offset()).rem_euclid(7);
            day(ago(if back == 0 { 7 } else { back as u32 })?)
        }
        R::Weekday { day: Some(d), month, .. } | R::LastWeekday { day: Some(d), month, .. } => {
            return day_given(*d, *month, Anchor::day(a))
        }
        R::LastWeek => {
            let s = week_start(a)?;
            range(add_days(s, -7)?, add_days(s, -1)?, Precision::Range)
        }
        R::EndOfLastWeek => {
            let s = week_start(a)?;
            range(add_days(s, -3)?, add_days(s, -1)?, Precision::Range)
        }
        R::ThisWeek => range(week_start(a)?, a, Precision::Range),
        R::LastMonth => {
            let p = add_months(a.first_of_month(), -1)?;
            month_of(p.year(), p.month())?
        }
        R::ThisMonth => normalise(range(a.first_of_month(), a, Precision::Range)),
        R::NamedMonth { month, current, since } => {
            let (m, y) = (*month, a.year());
            let y = if *current {
                if m <= a.month() {
                    y
                } else {
                    y.checked_sub(1)?
                }
            } else if m < a.month() {
                y
            } else {
                y.checked_sub(1)?
            };
            let whole = month_of(y, m)?;
            let start = whole.from?;
            if *since || whole.to? > a {
                normalise(range(start, a.max(start), Precision::Range))
            } else {
                whole
            }
        }
        R::LastHours(n) => {
            let days = ((*n as i64) + 23) / 24;
            range(add_days(a, -days.max(1))?, a, Precision::Range)
        }
        R::LastDays(n) => range(ago(*n)?, a, Precision::Range),
        R::LastWeeks(n) => range(add_days(a, -7 * (*n as i64))?, a, Precision::Range),
        R::LastMonths(n) => range(add_months(a, -(*n as i64))?, a, Precision::Range),
        R::LastYears(n) => range(add_years(a, -(*n as i64))?, a, Precision::Range),
        R::Recently => DateRange { from: None, to: Some(a), precision: Precision::OnOrBefore },
        R::YearAgo | R::LastYear => year_of_i(a.year() as i64 - 1)?,
        R::YearsAgo(n) => year_of_i(a.year() as i64 - *n as i64)?,
        R::ThisYear => normalise(range(a.first_of_year(), a, Precision::Range)),
        R::DayOfThisMonth(d) => day(Date::new(a.year(), a.month(), *d).ok()?),
        R::DayOfLastMonth(d) => {
            let p = add_months(a.first_of_month(), -1)?;
            day(Date::new(p.year(), p.month(), *d).ok()?)
        }
        R::DaysAgo(n) => back_to(ago(*n)?, 1)?,
        R::WeeksAgo(n) => back_to(add_days(a, -7 * (*n as i64))?, 7)?,
        R::MonthsAgo(n) => back_to(add_months(a, -(*n as i64))?, 15)?,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Week,
    Month,
    Year,
    Other,
}

/// The whole calendar period an expression names, for splitting into parts.
fn full_period(of: &DateKind, anchor: Option<Anchor>) -> Option<(Date, Date, Period)> {
    let r = resolve(of, anchor)?;
    let (from, to) = (r.from?, r.to?);
    use Relative as R;
    let unit = match of {
        DateKind::Absolute { month: Some(_), day: None, .. } => Period::Month,
        DateKind::Absolute { year: Some(_), month: None, day: None, .. } => Period::Year,
        DateKind::Relative(R::LastMonth | R::ThisMonth | R::NamedMonth { since: false, .. }) => Period::Month,
        DateKind::Relative(R::LastYear | R::ThisYear | R::YearAgo | R::YearsAgo(_)) => Period::Year,
        DateKind::Relative(R::LastWeek | R::ThisWeek) => Period::Week,
        _ => Period::Other,
    };
    Some(match unit {
        Period::Month if from.first_of_month() == to.first_of_month() => {
            (from.first_of_month(), from.last_of_month(), Period::Month)
        }
        Period::Year if from.year() == to.year() => (from.first_of_year(), from.last_of_year(), Period::Year),
        Period::Week => {
            let s = week_start(from)?;
            let e = add_days(s, 6)?;
            if to <= e {
                (s, e, Period::Week)
            } else {
                (from, to, Period::Other)
            }
        }
        _ => (from, to, Period::Other),
    })
}

/// مطلع/منتصف/أواخر: days 1–10, 11–20, 21–end of a month; thirds of a year (Jan–Apr, May–Aug,
/// Sep–Dec); Sun–Tue, Tue–Thu, Thu–Sat of a week; thirds of anything else.
fn part_of(part: PeriodPart, of: &DateKind, anchor: Option<Anchor>) -> Option<DateRange> {
    let (from, to, unit) = full_period(of, anchor)?;
    let (a, b) = match unit {
        Period::Month => {
            let (y, m) = (from.year(), from.month());
            let (d1, d2) = match part {
                PeriodPart::Early => (1, 10),
                PeriodPart::Middle => (11, 20),
                PeriodPart::Late => (21, from.days_in_month()),
            };
            (Date::new(y, m, d1).ok()?, Date::new(y, m, d2).ok()?)
        }
        Period::Year => {
            let y = from.year();
            let (m1, m2) = match part {
                PeriodPart::Early => (1, 4),
                PeriodPart::Middle => (5, 8),
                PeriodPart::Late => (9, 12),
            };
            (Date::new(y, m1, 1).ok()?, Date::new(y, m2, 1).ok()?.last_of_month())
        }
        Period::Week => {
            let (d1, d2) = match part {
                PeriodPart::Early => (0, 2),
                PeriodPart::Middle => (2, 4),
                PeriodPart::Late => (4, 6),
            };
            (add_days(from, d1)?, add_days(from, d2)?)
        }
        Period::Other => {
            let len = from.until(to).ok()?.get_days() as i64;
            let third = len / 3;
            match part {
                PeriodPart::Early => (from, add_days(from, third)?),
                PeriodPart::Middle => (add_days(from, third)?, add_days(to, -third)?),
                PeriodPart::Late => (add_days(to, -third)?, to),
            }
        }
    };
    // A part of the current period is not after the report.
    let b = match anchor {
        Some(an) if a <= an.last() && b > an.last() => an.last(),
        _ => b,
    };
    Some(range(a, b, Precision::Range))
}
