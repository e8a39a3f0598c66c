//! Unit tests of the date grammar and resolver, on sentences of our own writing.

use super::*;
use crate::normalize::{fold, normalize};
use jiff::civil::{date, Weekday};

/// Every expression of a sentence: (its normalised text, kind, present).
fn all(s: &str) -> Vec<(String, DateKind, bool)> {
    let n = normalize(s);
    find_dates_marked(&n.text)
        .into_iter()
        .map(|f| (n.text[f.expr.start..f.expr.end].to_string(), f.expr.kind, f.present))
        .collect()
}

/// The one expression of a sentence; its text must be `span`.
fn one(s: &str, span: &str) -> DateKind {
    let v = all(s);
    assert_eq!(v.len(), 1, "{s}: {v:?}");
    assert_eq!(v[0].0, fold(span), "{s}");
    v[0].1.clone()
}

fn none(s: &str) {
    let v = all(s);
    assert!(v.is_empty(), "{s}: {v:?}");
}

fn abs(y: Option<i16>, m: Option<i8>, d: Option<i8>) -> DateKind {
    DateKind::Absolute { year: y, month: m, day: d, weekday: None }
}

fn b(a: DateKind, c: DateKind) -> DateKind {
    DateKind::Between(Box::new(a), Box::new(c))
}

fn rel(r: Relative) -> DateKind {
    DateKind::Relative(r)
}

fn day_a(y: i16, m: i8, d: i8) -> Option<Anchor> {
    Some(Anchor::day(date(y, m, d)))
}

fn res(s: &str, anchor: Option<Anchor>) -> Option<(String, String, Precision)> {
    let v = all(s);
    assert_eq!(v.len(), 1, "{s}: {v:?}");
    resolve(&v[0].1, anchor).map(|r| {
        (r.from.map(|d| d.to_string()).unwrap_or_default(), r.to.map(|d| d.to_string()).unwrap_or_default(), r.precision)
    })
}

fn is(from: &str, to: &str, p: Precision) -> Option<(String, String, Precision)> {
    Some((from.to_string(), to.to_string(), p))
}

// ---------------------------------------------------------------------------------------------
// Absolute dates

#[test]
fn day_month_year_in_both_month_systems() {
    for (s, span, y, m, d) in [
        ("سقطت قذيفة على السوق في 5 كانون الثاني 2021 وأصابت مدنيين", "في 5 كانون الثاني 2021", 2021, 1, 5),
        ("أعلنت الشرطة في 12 يناير 2021 توقيف مشتبه به", "في 12 يناير 2021", 2021, 1, 12),
        ("جرى التبادل يوم 14 شباط 2018 عند المعبر", "14 شباط 2018", 2018, 2, 14),
        ("وقع الانفجار في 2 تشرين ثاني 2016 قرب الجسر", "في 2 تشرين ثاني 2016", 2016, 11, 2),
        ("وصلت القافلة في 30 تشرين الأول 2017 إلى البلدة", "في 30 تشرين الأول 2017", 2017, 10, 30),
        ("اندلع الحريق في 3 جانفي 2020 داخل المخزن", "في 3 جانفي 2020", 2020, 1, 3),
        ("تم الاتفاق في 9 أيلول 2015 على الهدنة", "في 9 أيلول 2015", 2015, 9, 9),
        ("توقفت المعارك في 17 أغسطس من عام 2019 بعد الوساطة", "في 17 أغسطس من عام 2019", 2019, 8, 17),
        ("عاد النازحون في ١٥ آب ٢٠٢٠ إلى قراهم", "في 15 آب 2020", 2020, 8, 15),
    ] {
        assert_eq!(one(s, span), abs(Some(y), Some(m), Some(d)), "{s}");
    }
}

#[test]
fn paired_month_names() {
    assert_eq!(
        one("أغلق المعبر في 23 آذار/مارس 2019 لأسباب أمنية", "في 23 آذار/مارس 2019"),
        abs(Some(2019), Some(3), Some(23))
    );
    assert_eq!(one("جرت الانتخابات في 8 تموز/ يوليو وسط توتر", "في 8 تموز/ يوليو"), abs(None, Some(7), Some(8)));
    assert_eq!(one("تصاعدت الهجمات خلال نيسان (أبريل) 2021 في الريف", "خلال نيسان (أبريل) 2021"), abs(Some(2021), Some(4), None));
    // A paired name is a date on its own.
    assert_eq!(one("شهدت المنطقة في حزيران/يونيو موجة نزوح", "في حزيران/يونيو"), abs(None, Some(6), None));
    // Different months do not pair.
    none("نيسان/مايو");
}

#[test]
fn numeric_dates_with_any_separator() {
    let want = abs(Some(2020), Some(5), Some(26));
    for (s, span) in [
        ("صدر البيان بتاريخ 26/5/2020 عن القيادة", "26/5/2020"),
        ("نشر التقرير 2020-05-26 على الموقع", "2020-05-26"),
        ("وصل الوفد 26.05.2020 الى المدينة", "26.05.2020"),
        ("الثلاثاء 26/مايو/2020", "الثلاثاء 26/مايو/2020"),
        ("وقعت الحادثة 26-أيار-2020 قرب الحاجز", "26-أيار-2020"),
        ("سجل الحادث في 5/26/2020 حسب التقويم الأمريكي", "في 5/26/2020"),
        ("في ٢٦/٥/٢٠٢٠ اجتمع المجلس", "في 26/5/2020"),
    ] {
        let k = one(s, span);
        match k {
            DateKind::Absolute { year, month, day, .. } => {
                assert_eq!(abs(year, month, day), want, "{s}")
            }
            k => panic!("{s}: {k:?}"),
        }
    }
    // Impossible dates, fractions and decimals are not dates.
    none("تم تسجيل 31/2/2020 في السجل");
    none("ارتفعت النسبة الى 1.5 بالمئة");
    none("النتيجة كانت 3/4 من الأصوات");
}

#[test]
fn weekday_with_date() {
    assert_eq!(
        one("قال المتحدث اليوم الأربعاء الـ1 من نيسان 2020 إن الهجوم فشل", "اليوم الأربعاء الـ1 من نيسان 2020"),
        DateKind::Absolute { year: Some(2020), month: Some(4), day: Some(1), weekday: Some(Weekday::Wednesday) }
    );
    assert_eq!(
        one("وكان الجيش قد أعلن الخميس (7 أيار 2020) سيطرته على التلة", "الخميس (7 أيار 2020)"),
        DateKind::Absolute { year: Some(2020), month: Some(5), day: Some(7), weekday: Some(Weekday::Thursday) }
    );
    assert_eq!(
        one("جرى الاستلام يوم الأحد الموافق 3 أيار 2020 في المعبر", "يوم الأحد الموافق 3 أيار 2020"),
        DateKind::Absolute { year: Some(2020), month: Some(5), day: Some(3), weekday: Some(Weekday::Sunday) }
    );
    assert_eq!(
        one("وفي السبت الفائت 10 تموز/يوليو سقط جريح", "في السبت الفائت 10 تموز/يوليو"),
        rel(Relative::LastWeekday { weekday: Weekday::Saturday, day: Some(10), month: Some(7) })
    );
}

#[test]
fn ordinal_day_words() {
    assert_eq!(
        one("عقد الاجتماع في الحادي والعشرين من آذار 2020 بالمدينة", "في الحادي والعشرين من آذار 2020"),
        abs(Some(2020), Some(3), Some(21))
    );
    assert_eq!(one("أفرج عنه في الثاني عشر من أيار 2019", "في الثاني عشر من أيار 2019"), abs(Some(2019), Some(5), Some(12)));
    assert_eq!(one("انتهى الحصار في الأول من كانون الأول 2016", "في الأول من كانون الأول 2016"), abs(Some(2016), Some(12), Some(1)));
    assert_eq!(one("عاد التيار في الثلاثين من حزيران", "في الثلاثين من حزيران"), abs(None, Some(6), Some(30)));
}

#[test]
fn years() {
    assert_eq!(one("خرج التنظيم من البلدة عام 2015 بعد معارك", "عام 2015"), abs(Some(2015), None, None));
    assert_eq!(one("تضرر الجسر سنة 2019 بالكامل", "سنة 2019"), abs(Some(2019), None, None));
    assert_eq!(one("بني السد في العام 1973 على النهر", "في العام 1973"), abs(Some(1973), None, None));
    assert_eq!(one("وفي عام 2017م سيطرت الفصائل", "في عام 2017م"), abs(Some(2017), None, None));
    assert_eq!(one("تغيرت الخريطة منذ آذار 2011 كثيرا", "منذ آذار 2011"), DateKind::Since(Box::new(abs(Some(2011), Some(3), None))));
    // A bare number is not a year.
    none("قتل 2015 شخصا في المعارك");
}

#[test]
fn month_name_alone_is_never_a_date() {
    none("مارس الجيش ضغوطا على السكان");
    none("تحدث إلى آب الضحية بعد الحادثة");
    none("توقفت سيارة نيسان بيضاء قرب الحاجز");
    none("شباط كان باردا");
    none("جاء تموز ومعه الحر");
    // but a governing word, a day, a year or a qualifier makes it one.
    assert_eq!(one("تراجعت الهجمات خلال شهر تموز", "خلال شهر تموز"), abs(None, Some(7), None));
    assert_eq!(one("تراجعت الهجمات في 4 تموز", "في 4 تموز"), abs(None, Some(7), Some(4)));
    assert_eq!(one("تراجعت الهجمات في تموز 2020", "في تموز 2020"), abs(Some(2020), Some(7), None));
    assert_eq!(
        one("تراجعت الهجمات في تموز الماضي", "في تموز الماضي"),
        rel(Relative::NamedMonth { month: 7, current: false, since: false })
    );
}

#[test]
fn clitics_on_words() {
    assert_eq!(one("وأمس قصفت المدفعية القرية", "أمس"), rel(Relative::Yesterday));
    assert_eq!(one("هدأت الجبهة بالأمس", "الأمس"), rel(Relative::Yesterday));
    assert_eq!(one("ومنذ أسبوعين لم يصل الطحين", "منذ أسبوعين"), rel(Relative::WeeksAgo(2)));
    assert_eq!(one("فالخميس الماضي شهد اشتباكا", "الخميس الماضي"), rel(Relative::LastWeekday { weekday: Weekday::Thursday, day: None, month: None }));
    assert_eq!(
        one("بين شباط وآذار 2021 تضاعف عدد الهجمات", "بين شباط وآذار 2021"),
        DateKind::Between(Box::new(abs(Some(2021), Some(2), None)), Box::new(abs(Some(2021), Some(3), None)))
    );
    assert_eq!(
        one("قتل ثلاثة مدنيين في 3 و4 آذار الجاري", "في 3 و4 آذار الجاري"),
        b(abs(None, Some(3), Some(3)), abs(None, Some(3), Some(4)))
    );
    assert_eq!(one("ما بين 2012 و2014 هاجر كثيرون", "بين 2012 و2014"), b(abs(Some(2012), None, None), abs(Some(2014), None, None)));
    assert_eq!(one("تراجعت الهجمات منذ 2018", "منذ 2018"), DateKind::Since(Box::new(abs(Some(2018), None, None))));
    assert_eq!(
        one("عاد الهدوء الجمعة والسبت الماضيين", "الجمعة والسبت الماضيين"),
        b(
            rel(Relative::LastWeekday { weekday: Weekday::Friday, day: None, month: None }),
            rel(Relative::LastWeekday { weekday: Weekday::Saturday, day: None, month: None })
        )
    );
    assert_eq!(
        one("اشتدت المعارك في الأسبوع الأول من آذار 2020", "في الأسبوع الأول من آذار 2020"),
        b(abs(Some(2020), Some(3), Some(1)), abs(Some(2020), Some(3), Some(7)))
    );
    assert_eq!(
        one("اشتدت المعارك في الأسبوع الأخير من الشهر الماضي", "في الأسبوع الأخير من الشهر الماضي"),
        DateKind::Part { part: PeriodPart::Late, of: Box::new(rel(Relative::LastMonth)) }
    );
    assert_eq!(
        one("بين كانون الأول وشباط 2021 تراجعت الهجمات", "بين كانون الأول وشباط 2021"),
        DateKind::Between(Box::new(abs(Some(2020), Some(12), None)), Box::new(abs(Some(2021), Some(2), None)))
    );
}

// ---------------------------------------------------------------------------------------------
// Relative expressions

#[test]
fn relative_days() {
    use Relative as R;
    for (s, span, r) in [
        ("قصفت الطائرات اليوم مواقع في الريف", "اليوم", R::Today),
        ("انفجرت عبوة أمس في السوق", "أمس", R::Yesterday),
        ("انفجرت عبوة يوم أمس في السوق", "يوم أمس", R::Yesterday),
        ("وصلت التعزيزات أول أمس إلى المطار", "أول أمس", R::DayBeforeYesterday),
        ("وصلت التعزيزات أول من أمس إلى المطار", "أول من أمس", R::DayBeforeYesterday),
        ("وصلت التعزيزات أمس الأول إلى المطار", "أمس الأول", R::DayBeforeYesterday),
        ("دوت انفجارات الليلة الماضية في الحي", "الليلة الماضية", R::LastNight),
        ("دوت انفجارات ليل أمس في الحي", "ليل أمس", R::LastNight),
        ("تعرضت القرية فجر اليوم لقصف", "فجر اليوم", R::Today),
        ("هاجم مسلحون الحاجز مساء الأحد المنصرم", "مساء الأحد المنصرم", R::LastWeekday { weekday: Weekday::Sunday, day: None, month: None }),
        ("هاجم مسلحون الحاجز الخميس الفائت", "الخميس الفائت", R::LastWeekday { weekday: Weekday::Thursday, day: None, month: None }),
        ("هاجم مسلحون الحاجز يوم الجمعة الماضي", "يوم الجمعة الماضي", R::LastWeekday { weekday: Weekday::Friday, day: None, month: None }),
        ("هاجم مسلحون الحاجز ظهر الخميس", "ظهر الخميس", R::Weekday { weekday: Weekday::Thursday, day: None, month: None }),
        ("هاجم مسلحون الحاجز الاثنين صباحا", "الاثنين صباحا", R::Weekday { weekday: Weekday::Monday, day: None, month: None }),
    ] {
        assert_eq!(one(s, span), rel(r), "{s}");
    }
}

#[test]
fn relative_periods() {
    use Relative as R;
    for (s, span, r) in [
        ("تضاعفت الهجمات نهاية الأسبوع المنصرم في البادية", "نهاية الأسبوع المنصرم", R::EndOfLastWeek),
        ("تضاعفت الهجمات الأسبوع الماضي في البادية", "الأسبوع الماضي", R::LastWeek),
        ("تضاعفت الهجمات هذا الأسبوع في البادية", "هذا الأسبوع", R::ThisWeek),
        ("تضاعفت الهجمات خلال الأسبوع الأخير في البادية", "خلال الأسبوع الأخير", R::LastDays(7)),
        ("تضاعفت الهجمات خلال العام الأخير في البادية", "خلال العام الأخير", R::LastYears(1)),
        ("تضاعفت الهجمات الشهر الماضي في البادية", "الشهر الماضي", R::LastMonth),
        ("تضاعفت الهجمات خلال الشهر الجاري في البادية", "خلال الشهر الجاري", R::ThisMonth),
        ("تضاعفت الهجمات منذ ديسمبر الماضي في البادية", "منذ ديسمبر الماضي", R::NamedMonth { month: 12, current: false, since: true }),
        ("تضاعفت الهجمات في مارس الماضي في البادية", "في مارس الماضي", R::NamedMonth { month: 3, current: false, since: false }),
        ("تضاعفت الهجمات في آذار الجاري في البادية", "في آذار الجاري", R::NamedMonth { month: 3, current: true, since: false }),
        ("قتل خمسة خلال الـ24 ساعة الماضية في البادية", "خلال الـ24 ساعة الماضية", R::LastHours(24)),
        ("قتل خمسة في الساعات الـ48 الماضية في البادية", "في الساعات الـ48 الماضية", R::LastHours(48)),
        ("قتل خمسة خلال آخر 24 ساعة في البادية", "خلال آخر 24 ساعة", R::LastHours(24)),
        ("قتل خمسة خلال اليومين الماضيين في البادية", "خلال اليومين الماضيين", R::LastDays(2)),
        ("قتل خمسة خلال الأيام الثلاثة الماضية في البادية", "خلال الأيام الثلاثة الماضية", R::LastDays(3)),
        ("قتل خمسة خلال الأسبوعين الماضيين في البادية", "خلال الأسبوعين الماضيين", R::LastWeeks(2)),
        ("قتل خمسة خلال الشهرين الماضيين في البادية", "خلال الشهرين الماضيين", R::LastMonths(2)),
        ("قتل خمسة خلال الساعات القليلة الماضية في البادية", "خلال الساعات القليلة الماضية", R::LastHours(24)),
        ("قتل خمسة قبل يومين في البادية", "قبل يومين", R::DaysAgo(2)),
        ("قتل خمسة قبل ثلاثة أيام في البادية", "قبل ثلاثة أيام", R::DaysAgo(3)),
        ("قتل خمسة قبل نحو 3 أشهر في البادية", "قبل نحو 3 أشهر", R::MonthsAgo(3)),
        ("قتل خمسة منذ أسبوعين في البادية", "منذ أسبوعين", R::WeeksAgo(2)),
        ("قتل خمسة قبل عام في البادية", "قبل عام", R::YearAgo),
        ("قتل خمسة قبل عامين في البادية", "قبل عامين", R::YearsAgo(2)),
        ("قتل خمسة العام الماضي في البادية", "العام الماضي", R::LastYear),
        ("قتل خمسة هذا العام في البادية", "هذا العام", R::ThisYear),
        ("قتل خمسة مؤخراً في البادية", "مؤخرا", R::Recently),
        ("قتل خمسة في الآونة الأخيرة في البادية", "في الآونة الأخيرة", R::Recently),
        ("قتل خمسة في وقت سابق في البادية", "في وقت سابق", R::Recently),
        ("قتل خمسة في وقت سابق من اليوم في البادية", "في وقت سابق من اليوم", R::Today),
        ("قتل خمسة قبل أيام في البادية", "قبل أيام", R::Recently),
        ("قتل خمسة في 21 الشهر الجاري في البادية", "في 21 الشهر الجاري", R::DayOfThisMonth(21)),
        ("قتل خمسة في الـ3 من الشهر الماضي في البادية", "في الـ3 من الشهر الماضي", R::DayOfLastMonth(3)),
    ] {
        assert_eq!(one(s, span), rel(r), "{s}");
    }
}

#[test]
fn parts_of_periods() {
    let part = |p, of| DateKind::Part { part: p, of: Box::new(of) };
    assert_eq!(one("بدأت الحملة مطلع الشهر الجاري", "مطلع الشهر الجاري"), part(PeriodPart::Early, rel(Relative::ThisMonth)));
    assert_eq!(
        one("بدأت الحملة أواخر آب/أغسطس الماضي", "أواخر آب/أغسطس الماضي"),
        part(PeriodPart::Late, rel(Relative::NamedMonth { month: 8, current: false, since: false }))
    );
    assert_eq!(one("بدأت الحملة منتصف عام 2019", "منتصف عام 2019"), part(PeriodPart::Middle, abs(Some(2019), None, None)));
    assert_eq!(one("بدأت الحملة في بداية العام", "في بداية العام"), part(PeriodPart::Early, rel(Relative::ThisYear)));
    assert_eq!(
        one("بدأت الحملة منذ أواخر مارس", "منذ أواخر مارس"),
        DateKind::Since(Box::new(part(PeriodPart::Late, abs(None, Some(3), None))))
    );
}

#[test]
fn ranges() {
    assert_eq!(
        one("سجلنا الخروقات من 24 مارس وحتى اليوم في المنطقة", "من 24 مارس وحتى اليوم"),
        b(abs(None, Some(3), Some(24)), rel(Relative::Today))
    );
    assert_eq!(
        one("سجلنا الخروقات بين 3 و5 آذار 2020 في المنطقة", "بين 3 و5 آذار 2020"),
        b(abs(Some(2020), Some(3), Some(3)), abs(Some(2020), Some(3), Some(5)))
    );
    assert_eq!(
        one("سجلنا الخروقات من 3 إلى 5 آذار 2020", "من 3 إلى 5 آذار 2020"),
        b(abs(Some(2020), Some(3), Some(3)), abs(Some(2020), Some(3), Some(5)))
    );
    assert_eq!(
        one("سجلنا الخروقات 3-5 آذار 2020 في المنطقة", "3-5 آذار 2020"),
        b(abs(Some(2020), Some(3), Some(3)), abs(Some(2020), Some(3), Some(5)))
    );
    assert_eq!(
        one("سجلنا الخروقات بين عامي 2014 و2017", "بين عامي 2014 و2017"),
        b(abs(Some(2014), None, None), abs(Some(2017), None, None))
    );
    assert_eq!(
        one("سجلنا خلال شهري كانون الثاني الماضي وشباط الجاري عشرين خرقا", "خلال شهري كانون الثاني الماضي وشباط الجاري"),
        b(
            rel(Relative::NamedMonth { month: 1, current: false, since: false }),
            rel(Relative::NamedMonth { month: 2, current: true, since: false })
        )
    );
}

#[test]
fn times_of_day_and_clock_times() {
    assert_eq!(
        one("الأحد 3/أيار/2020 - 10:15 ص", "الأحد 3/أيار/2020 - 10:15 ص"),
        DateKind::Absolute { year: Some(2020), month: Some(5), day: Some(3), weekday: Some(Weekday::Sunday) }
    );
    assert_eq!(one("وقع الهجوم أمس الساعة 9 مساء", "أمس الساعة 9 مساء"), rel(Relative::Yesterday));
    assert_eq!(
        one("الخميس 7 أيار 2020 | 10:30 صباحا", "الخميس 7 أيار 2020 | 10:30 صباحا"),
        DateKind::Absolute { year: Some(2020), month: Some(5), day: Some(7), weekday: Some(Weekday::Thursday) }
    );
    assert_eq!(one("عصر يوم الأحد وصلت الدورية", "عصر يوم الأحد"), rel(Relative::Weekday { weekday: Weekday::Sunday, day: None, month: None }));
}

#[test]
fn present_marks() {
    let v = all("أكدت الوزارة صباح اليوم الثلاثاء 4 آب 2020 أن الطريق مفتوح، وكانت قد أغلقته أمس");
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(v[0].2);
    assert_eq!(v[0].1, DateKind::Absolute { year: Some(2020), month: Some(8), day: Some(4), weekday: Some(Weekday::Tuesday) });
    assert!(!v[1].2);
}

#[test]
fn not_dates() {
    none("وفي اليوم التالي انسحبت القوات");
    none("في اليوم نفسه عادت الدورية");
    none("في ذلك اليوم عادت الدورية");
    none("احتفلت المدارس باليوم العالمي للطفل");
    none("انسحبوا قبل يومين من الهجوم");
    none("ستعقد الجولة الأسبوع المقبل");
    none("يتوقع أن يعود الخميس المقبل");
    none("الشهر والأسبوع والسنة كلمات");
    // A count before a period is not a day or a number of periods.
    assert_eq!(one("قتل 5 الشهر الماضي", "الشهر الماضي"), rel(Relative::LastMonth));
    assert_eq!(one("قتل خمسة العام الماضي", "العام الماضي"), rel(Relative::LastYear));
    none("كانون وتشرين");
    none("");
}

#[test]
fn expressions_do_not_cross_lines() {
    let v = all("الأحد\n3 آذار 2020");
    assert_eq!(v.len(), 2, "{v:?}");
}

#[test]
fn offsets_are_byte_ranges_of_the_normalised_text() {
    let n = normalize("قال: «اليوم» ثم 5 آذار 2020.");
    for e in find_dates(&n.text) {
        assert!(n.text.is_char_boundary(e.start) && n.text.is_char_boundary(e.end));
        assert!(e.start < e.end);
    }
    let v: Vec<_> = find_dates(&n.text).iter().map(|e| n.text[e.start..e.end].to_string()).collect();
    assert_eq!(v, vec!["اليوم".to_string(), fold("5 آذار 2020")]);
}

// ---------------------------------------------------------------------------------------------
// Resolution

#[test]
fn resolves_against_a_day() {
    use Precision::*;
    // Tuesday 26 May 2020.
    let a = day_a(2020, 5, 26);
    for (s, want) in [
        ("وقع الهجوم اليوم", is("2020-05-26", "2020-05-26", Day)),
        ("وقع الهجوم أمس", is("2020-05-25", "2020-05-25", Day)),
        ("وقع الهجوم أول أمس", is("2020-05-24", "2020-05-24", Day)),
        ("وقع الهجوم الليلة الماضية", is("2020-05-25", "2020-05-26", Range)),
        ("وقع الهجوم الأحد المنصرم", is("2020-05-24", "2020-05-24", Day)),
        ("وقع الهجوم الثلاثاء الماضي", is("2020-05-19", "2020-05-19", Day)),
        ("وقع الهجوم الثلاثاء", is("2020-05-26", "2020-05-26", Day)),
        ("وقع الهجوم الخميس", is("2020-05-21", "2020-05-21", Day)),
        ("وقع الهجوم الأسبوع الماضي", is("2020-05-17", "2020-05-23", Range)),
        ("وقع الهجوم نهاية الأسبوع المنصرم", is("2020-05-21", "2020-05-23", Range)),
        ("وقع الهجوم هذا الأسبوع", is("2020-05-24", "2020-05-26", Range)),
        ("وقع الهجوم الشهر الماضي", is("2020-04-01", "2020-04-30", Month)),
        ("وقع الهجوم الشهر الجاري", is("2020-05-01", "2020-05-26", Range)),
        ("وقع الهجوم في مارس الماضي", is("2020-03-01", "2020-03-31", Month)),
        ("وقع الهجوم في أيار الماضي", is("2019-05-01", "2019-05-31", Month)),
        ("وقع الهجوم منذ ديسمبر الماضي", is("2019-12-01", "2020-05-26", Range)),
        ("وقع الهجوم خلال الـ24 ساعة الماضية", is("2020-05-25", "2020-05-26", Range)),
        ("وقع الهجوم خلال اليومين الماضيين", is("2020-05-24", "2020-05-26", Range)),
        ("وقع الهجوم قبل يومين", is("2020-05-23", "2020-05-25", Range)),
        ("وقع الهجوم منذ أسبوعين", is("2020-05-05", "2020-05-19", Range)),
        ("وقع الهجوم قبل عام", is("2019-01-01", "2019-12-31", Year)),
        ("وقع الهجوم العام الماضي", is("2019-01-01", "2019-12-31", Year)),
        ("وقع الهجوم العام الجاري", is("2020-01-01", "2020-05-26", Range)),
        ("وقع الهجوم مؤخرا", is("", "2020-05-26", OnOrBefore)),
        ("وقع الهجوم مطلع الشهر الجاري", is("2020-05-01", "2020-05-10", Range)),
        ("وقع الهجوم أواخر آب الماضي", is("2019-08-21", "2019-08-31", Range)),
        ("وقع الهجوم منتصف عام 2019", is("2019-05-01", "2019-08-31", Range)),
        ("وقع الهجوم في 29 تموز", is("2019-07-29", "2019-07-29", Day)),
        ("وقع الهجوم في 3 أيار", is("2020-05-03", "2020-05-03", Day)),
        ("وقع الهجوم في 21 الشهر الجاري", is("2020-05-21", "2020-05-21", Day)),
        ("وقع الهجوم في الـ3 من الشهر الماضي", is("2020-04-03", "2020-04-03", Day)),
        ("وقع الهجوم السبت الفائت 10 تموز", is("2019-07-10", "2019-07-10", Day)),
        ("وقع الهجوم من 24 مارس وحتى اليوم", is("2020-03-24", "2020-05-26", Range)),
        ("وقع الهجوم منذ عام 2015", is("2015-01-01", "2020-05-26", Range)),
    ] {
        assert_eq!(res(s, a), want, "{s}");
    }
}

#[test]
fn weekday_qualified_as_past_is_strictly_before_the_anchor() {
    // Sunday 24 May 2020: "الأحد المنصرم" is the week before, a bare "الأحد" the day itself.
    let a = day_a(2020, 5, 24);
    assert_eq!(res("وصلت الأحد المنصرم", a), is("2020-05-17", "2020-05-17", Precision::Day));
    assert_eq!(res("وصلت الأحد", a), is("2020-05-24", "2020-05-24", Precision::Day));
}

#[test]
fn resolves_against_a_month() {
    use Precision::*;
    let a = Anchor::month(2019, 3);
    for (s, want) in [
        ("وقع الهجوم اليوم", is("2019-03-01", "2019-03-31", Month)),
        ("وقع الهجوم أمس", is("2019-03-01", "2019-03-31", Range)),
        ("وقع الهجوم منذ أسبوعين", is("2019-03-01", "2019-03-31", Range)),
        ("وقع الهجوم الشهر الماضي", is("2019-02-01", "2019-02-28", Month)),
        ("وقع الهجوم في آذار الجاري", is("2019-03-01", "2019-03-31", Month)),
        ("وقع الهجوم خلال شهري شباط الماضي وآذار الجاري", is("2019-02-01", "2019-03-31", Range)),
        ("وقع الهجوم مؤخرا", is("", "2019-03-31", OnOrBefore)),
        ("وقع الهجوم في 25 آذار", is("2019-03-25", "2019-03-25", Day)),
        ("وقع الهجوم خلال شهر نيسان", is("2018-04-01", "2018-04-30", Month)),
        ("وقع الهجوم مطلع الشهر", is("2019-03-01", "2019-03-10", Range)),
    ] {
        assert_eq!(res(s, a), want, "{s}");
    }
}

#[test]
fn resolves_against_a_year() {
    use Precision::*;
    let a = Anchor::year(2019);
    for (s, want) in [
        ("وقع الهجوم اليوم", is("2019-01-01", "2019-12-31", Year)),
        ("وقع الهجوم أمس", is("2019-01-01", "2019-12-31", Range)),
        ("وقع الهجوم في 3 آذار", is("2019-03-03", "2019-03-03", Day)),
        ("وقع الهجوم العام الماضي", is("2018-01-01", "2018-12-31", Year)),
        ("وقع الهجوم الشهر الماضي", is("2018-12-01", "2019-11-30", Range)),
    ] {
        assert_eq!(res(s, a), want, "{s}");
    }
}

#[test]
fn without_an_anchor_only_absolute_dates_resolve() {
    use Precision::*;
    for s in [
        "وقع الهجوم اليوم",
        "وقع الهجوم أمس",
        "وقع الهجوم الأحد المنصرم",
        "وقع الهجوم في 29 تموز",
        "وقع الهجوم الشهر الماضي",
        "وقع الهجوم مؤخرا",
        "وقع الهجوم بين 3 و5 آذار",
        "وقع الهجوم منذ ديسمبر الماضي",
        "وقع الهجوم مطلع الشهر الجاري",
    ] {
        assert_eq!(res(s, None), None, "{s}");
    }
    assert_eq!(res("وقع الهجوم عام 2015", None), is("2015-01-01", "2015-12-31", Year));
    assert_eq!(res("وقع الهجوم في 26/5/2020", None), is("2020-05-26", "2020-05-26", Day));
    assert_eq!(res("وقع الهجوم في آذار 2019", None), is("2019-03-01", "2019-03-31", Month));
    assert_eq!(res("وقع الهجوم بين 3 و5 آذار 2020", None), is("2020-03-03", "2020-03-05", Range));
    assert_eq!(res("وقع الهجوم منذ عام 2015", None), is("2015-01-01", "", Range));
}

// ---------------------------------------------------------------------------------------------
// Robustness

mod fuzz {
    use super::super::*;
    use proptest::prelude::*;

    /// Strings built from date words, digits and separators, so the grammar gets deep.
    fn datey() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "اليوم", "امس", "اول", "من", "الاحد", "المنصرم", "الماضي", "الجاري", "نهايه", "الاسبوع", "الشهر",
            "العام", "عام", "سنه", "اذار", "مارس", "كانون", "الثاني", "تشرين", "الاول", "/", "-", ".", ":", "(",
            ")", ",", "ال", "و", "وحتي", "بين", "شهري", "عامي", "منذ", "قبل", "خلال", "في", "الـ", "24", "1",
            "31", "2020", "99999999999", "0", "ساعه", "اليومين", "الايام", "الثلاثه", "مطلع", "اواخر", "صباح",
            "ليل", "الليله", "م", "ص", "\n", "الحادي", "والعشرين", "عشر", "٣", "ـ", "\u{64b}", "é", "🙂",
        ]);
        prop::collection::vec((atoms, prop::bool::ANY), 0..24).prop_map(|v| {
            let mut s = String::new();
            for (a, space) in v {
                s.push_str(a);
                if space {
                    s.push(' ');
                }
            }
            s
        })
    }

    fn check(s: &str) {
        let found = find_dates_marked(s);
        let mut last = 0;
        for f in &found {
            let e = &f.expr;
            assert!(e.start < e.end && e.end <= s.len(), "{s:?}: {e:?}");
            assert!(s.is_char_boundary(e.start) && s.is_char_boundary(e.end), "{s:?}: {e:?}");
            assert!(e.start >= last, "{s:?}: overlapping");
            last = e.end;
            for a in [
                None,
                Some(Anchor::day(jiff::civil::date(2020, 2, 29))),
                Anchor::month(2019, 12),
                Anchor::year(2021),
                Some(Anchor::day(jiff::civil::date(-9999, 1, 1))),
                Some(Anchor::day(jiff::civil::date(9999, 12, 31))),
            ] {
                if let Some(r) = resolve(&e.kind, a) {
                    if let (Some(f), Some(t)) = (r.from, r.to) {
                        assert!(f <= t, "{s:?}: {r:?}");
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_on_arbitrary_strings(s in any::<String>()) {
            check(&s);
        }

        #[test]
        fn never_panics_on_date_soup(s in datey()) {
            check(&s);
        }
    }
}
