//! Publication date inference. OWNER: dates helper. Contract below is fixed.
//!
//! In order of trust:
//! 1. the given metadata (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, RFC 3339, RFC 2822, or an Arabic date);
//! 2. a dateline near the top: a line that holds a date with its year and nothing but dateline
//!    words besides ("الثلاثاء 26/مايو/2020 - 07:37 م", "نشر في: 3 آذار 2021");
//! 3. a sentence that dates the report's own present ("اليوم الأربعاء الـ1 من نيسان 2020");
//! 4. the text's references to its own present month ("آذار الجاري") beside an absolute date of
//!    that month with its year ("23 آذار 2019"), the latest year the text names: month precision.
//!
//! Nothing else: a document that gives none of these has no publication date (never the run date).
use marsad_model::{DatePrecision, Published};
use marsad_text::dates::{find_dates_marked, Anchor, Date, DateFound, DateKind, Relative};
use marsad_text::normalize::{fold, normalize, NormalizedText};

/// The publication date of a document and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFound {
    pub published: Published,
    pub anchor: Anchor,
    /// Byte range in the text of the words that gave it (None when it came from metadata).
    pub span: Option<(usize, usize)>,
    /// True when the span is a dateline line of its own ("الثلاثاء 26/مايو/2020 - 07:37 م") that
    /// is page furniture rather than prose.
    pub dateline_line: bool,
}

/// Finds the publication date: the given metadata first (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or an
/// RFC 3339 / RFC 2822 timestamp), else a dateline near the top of the text, else a sentence that
/// dates the report's own present ("اليوم الأربعاء الـ1 من نيسان 2020"), else the text's references
/// to its own present beside an absolute date ("شهري شباط الماضي وآذار الجاري" with "23 آذار
/// 2019" → 2019-03, month precision). `None` when nothing gives it: never the run date.
pub fn infer_published(text: &str, given: Option<&str>) -> Option<PublishedFound> {
    let norm = normalize(text);
    let found = find_dates_marked(&norm.text);
    infer_published_with(text, &norm, &found, given)
}

/// [`infer_published`] over a text already normalised and scanned for dates (the pipeline does
/// both once per document and shares them with extraction).
pub fn infer_published_with(text: &str, norm: &marsad_text::NormalizedText, found: &[DateFound], given: Option<&str>) -> Option<PublishedFound> {
    let (norm, found) = (norm, found);
    let dateline = dateline(text, norm, found);
    if let Some(g) = given.and_then(parse_given) {
        // A dateline that says the same thing is where the metadata shows in the text.
        if let Some(d) = dateline.filter(|d| agrees(d.anchor, g)) {
            return Some(PublishedFound { published: published(g, d.published.text), ..d });
        }
        return Some(PublishedFound { published: published(g, None), anchor: g, span: None, dateline_line: false });
    }
    dateline.or_else(|| present(text, norm, found)).or_else(|| current_month(text, norm, found))
}

/// The record's form of an anchor.
fn published(a: Anchor, text: Option<String>) -> Published {
    let d = a.date;
    let (date, precision) = match a.precision {
        marsad_text::dates::Precision::Month => (format!("{:04}-{:02}", d.year(), d.month()), DatePrecision::Month),
        marsad_text::dates::Precision::Year => (format!("{:04}", d.year()), DatePrecision::Year),
        _ => (format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()), DatePrecision::Day),
    };
    Published { date, precision, text }
}

fn found(a: Anchor, text: &str, span: (usize, usize), dateline_line: bool) -> PublishedFound {
    let words = text.get(span.0..span.1).map(|s| s.trim().to_string());
    PublishedFound { published: published(a, words), anchor: a, span: Some(span), dateline_line }
}

/// The given anchor and a text anchor agree to the given's precision.
fn agrees(text: Anchor, given: Anchor) -> bool {
    use marsad_text::dates::Precision as P;
    let (t, g) = (text.date, given.date);
    match given.precision {
        P::Year => t.year() == g.year(),
        P::Month => t.year() == g.year() && t.month() == g.month(),
        _ => text.precision == P::Day && t == g,
    }
}

// ---------------------------------------------------------------------------------------------
// Given metadata

/// Parses a given publication date: `YYYY-MM-DD` (also with `/`), `YYYY-MM`, `YYYY`, an RFC 3339
/// timestamp (its own calendar date, not converted to UTC), an RFC 2822 date, or an Arabic date
/// with its year.
pub fn parse_given(s: &str) -> Option<Anchor> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    iso(s).or_else(|| rfc2822(s)).or_else(|| arabic(s))
}

fn digits(s: &str) -> Option<i16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn iso(s: &str) -> Option<Anchor> {
    let b = s.as_bytes();
    let sep_ok = |i: usize| matches!(b.get(i), Some(b'-' | b'/'));
    let year = digits(s.get(0..4)?)?;
    if b.len() == 4 {
        return Anchor::year(year);
    }
    if !sep_ok(4) {
        return None;
    }
    let month = digits(s.get(5..7)?)?;
    if b.len() == 7 {
        return Anchor::month(year, i8::try_from(month).ok()?);
    }
    if b.get(7) != b.get(4) {
        return None;
    }
    let day = digits(s.get(8..10)?)?;
    // Anything after the date must be a time ("T07:37:00+03:00", " 07:37").
    if !matches!(b.get(10), None | Some(b'T' | b't' | b' ')) {
        return None;
    }
    let d = Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    Some(Anchor::day(d))
}

/// "Tue, 26 May 2020 07:37:00 +0300", "26 May 2020".
fn rfc2822(s: &str) -> Option<Anchor> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let i = words.iter().position(|w| w.len() <= 2 && digits(w).is_some())?;
    let day = digits(words[i])?;
    let mon = words.get(i + 1)?.to_ascii_lowercase();
    let m = MONTHS.iter().position(|p| mon.starts_with(p))? as i8 + 1;
    let year = words.get(i + 2).and_then(|w| (w.len() == 4).then(|| digits(w)).flatten())?;
    let d = Date::new(year, m, i8::try_from(day).ok()?).ok()?;
    Some(Anchor::day(d))
}

/// An Arabic date with its year ("26 أيار 2020", "آذار 2019").
fn arabic(s: &str) -> Option<Anchor> {
    let n = fold(s);
    find_dates_marked(&n).into_iter().find_map(|f| absolute_anchor(&f.expr.kind))
}

/// The anchor an absolute date with a year gives, as precise as it is.
fn absolute_anchor(k: &DateKind) -> Option<Anchor> {
    match *k {
        DateKind::Absolute { year: Some(y), month: Some(m), day: Some(d), .. } => Date::new(y, m, d).ok().map(Anchor::day),
        DateKind::Absolute { year: Some(y), month: Some(m), day: None, .. } => Anchor::month(y, m),
        DateKind::Absolute { year: Some(y), month: None, .. } => Anchor::year(y),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The text

/// How many non-blank lines from the top a dateline may stand in.
const DATELINE_LINES: usize = 12;

/// Words a dateline may hold besides its date and time (folded).
const DATELINE_WORDS: &[&str] = &[
    "نشر", "نشرت", "في", "بتاريخ", "تاريخ", "النشر", "الموافق", "يوم", "م", "ص", "صباحا", "مساء", "am",
    "pm", "gmt", "utc", "الساعه", "توقيت", "دمشق", "بتوقيت", "اخر", "تحديث", "التحديث", "تم",
];

/// A line near the top that holds a date with its year and only dateline words besides.
fn dateline(text: &str, norm: &NormalizedText, dates: &[DateFound]) -> Option<PublishedFound> {
    let mut seen = 0;
    let mut pos = 0;
    for raw in text.split('\n') {
        let (ls, le) = (pos, pos + raw.len());
        pos = le + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        seen += 1;
        if seen > DATELINE_LINES {
            break;
        }
        let lead = raw.len() - raw.trim_start().len();
        let (ts, te) = (ls + lead, ls + lead + line.len());
        // The date expressions of this line (in original offsets).
        let mut anchor = None;
        let mut rest = String::new();
        let mut cursor = ts;
        for f in dates {
            let (s, e) = norm.orig_range(f.expr.start, f.expr.end, text);
            if s < ts || e > te {
                continue;
            }
            // A relative expression keeps its words in the rest, which makes the line prose.
            let Some(a) = absolute_anchor(&f.expr.kind) else { continue };
            if anchor.is_some() {
                // Two dates ("نشر … آخر تحديث …"): the first is the publication.
                rest.push_str(text.get(cursor..s).unwrap_or(""));
                cursor = e;
                continue;
            }
            anchor = Some(a);
            rest.push_str(text.get(cursor..s).unwrap_or(""));
            cursor = e;
        }
        let Some(a) = anchor else { continue };
        rest.push_str(text.get(cursor..te).unwrap_or(""));
        let rest = fold(&rest);
        let only_furniture = rest
            .split(|c: char| !marsad_text::is_alnum(c))
            .filter(|w| !w.is_empty())
            .all(|w| w.bytes().all(|b| b.is_ascii_digit()) || DATELINE_WORDS.contains(&w));
        if only_furniture {
            return Some(found(a, text, (ts, te), true));
        }
    }
    None
}


/// "اليوم الأربعاء الـ1 من نيسان 2020": an absolute date said to be today.
fn present(text: &str, norm: &NormalizedText, dates: &[DateFound]) -> Option<PublishedFound> {
    dates.iter().filter(|f| f.present).find_map(|f| {
        let a = match f.expr.kind {
            DateKind::Absolute { year: Some(_), month: Some(_), .. } => absolute_anchor(&f.expr.kind)?,
            _ => return None,
        };
        let span = norm.orig_range(f.expr.start, f.expr.end, text);
        Some(found(a, text, span, false))
    })
}

/// Every month an expression calls current ("آذار الجاري"), however deep it sits.
fn current_months(k: &DateKind, out: &mut Vec<i8>) {
    match k {
        DateKind::Relative(Relative::NamedMonth { month, current: true, .. }) => out.push(*month),
        DateKind::Part { of, .. } | DateKind::Since(of) => current_months(of, out),
        DateKind::Between(a, b) => {
            current_months(a, out);
            current_months(b, out);
        }
        _ => {}
    }
}

/// Every (year, month) an absolute expression names, however deep it sits; months are 0 when
/// only a year is given.
fn absolute_years(k: &DateKind, out: &mut Vec<(i16, i8)>) {
    match k {
        DateKind::Absolute { year: Some(y), month, .. } => out.push((*y, month.unwrap_or(0))),
        DateKind::Part { of, .. } | DateKind::Since(of) => absolute_years(of, out),
        DateKind::Between(a, b) => {
            absolute_years(a, out);
            absolute_years(b, out);
        }
        _ => {}
    }
}

/// "آذار الجاري" with "23 آذار 2019" elsewhere, 2019 the latest year the text names → 2019-03.
fn current_month(text: &str, norm: &NormalizedText, dates: &[DateFound]) -> Option<PublishedFound> {
    let mut named = Vec::new();
    for f in dates {
        absolute_years(&f.expr.kind, &mut named);
    }
    let latest = named.iter().map(|(y, _)| *y).max()?;
    for f in dates {
        let mut months = Vec::new();
        current_months(&f.expr.kind, &mut months);
        for m in months {
            if named.iter().any(|&(y, mm)| y == latest && mm == m) {
                let a = Anchor::month(latest, m)?;
                let span = norm.orig_range(f.expr.start, f.expr.end, text);
                return Some(found(a, text, span, false));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_of(text: &str, given: Option<&str>) -> Option<(String, DatePrecision, bool)> {
        infer_published(text, given).map(|f| (f.published.date, f.published.precision, f.dateline_line))
    }

    #[test]
    fn given_metadata_in_every_form() {
        for (g, want, p) in [
            ("2021-03-04", "2021-03-04", DatePrecision::Day),
            (" 2021/03/04 ", "2021-03-04", DatePrecision::Day),
            ("2021-03", "2021-03", DatePrecision::Month),
            ("2021", "2021", DatePrecision::Year),
            ("2021-03-04T23:30:00+03:00", "2021-03-04", DatePrecision::Day),
            ("2021-03-04 08:00", "2021-03-04", DatePrecision::Day),
            ("Thu, 04 Mar 2021 08:00:00 +0000", "2021-03-04", DatePrecision::Day),
            ("4 March 2021", "2021-03-04", DatePrecision::Day),
            ("4 آذار 2021", "2021-03-04", DatePrecision::Day),
        ] {
            assert_eq!(date_of("نص بلا تاريخ", Some(g)), Some((want.to_string(), p, false)), "{g}");
        }
        // Unusable metadata falls through to the text, which here gives nothing.
        for g in ["", "غدا", "2021-13-01", "2021-02-30", "20210304", "March"] {
            assert_eq!(date_of("نص بلا تاريخ", Some(g)), None, "{g}");
        }
    }

    #[test]
    fn given_metadata_wins_over_the_text() {
        let text = "عنوان الخبر\n\nقال المتحدث اليوم الاثنين 3 أيار 2021 إن الطريق مفتوح.";
        let f = infer_published(text, Some("2021-05-04")).unwrap();
        assert_eq!(f.published.date, "2021-05-04");
        assert_eq!(f.published.text, None);
        assert_eq!(f.span, None);
    }

    #[test]
    fn a_dateline_that_agrees_with_the_metadata_is_marked() {
        let text = "عنوان الخبر\nالأحد 2 أيار 2021 - 10:00 ص\nنص الخبر هنا.";
        let f = infer_published(text, Some("2021-05-02")).unwrap();
        assert!(f.dateline_line);
        assert_eq!(f.published.date, "2021-05-02");
        let (s, e) = f.span.unwrap();
        assert_eq!(&text[s..e], "الأحد 2 أيار 2021 - 10:00 ص");
    }

    #[test]
    fn dateline_near_the_top() {
        let text = "إعلان\n\nانفجار في سوق المدينة\n\nالأحد 2/حزيران/2019 - 09:15 ص\nمراسلنا\n\nانفجرت سيارة مفخخة أمس في السوق.";
        let f = infer_published(text, None).unwrap();
        assert_eq!(f.published.date, "2019-06-02");
        assert_eq!(f.published.precision, DatePrecision::Day);
        assert!(f.dateline_line);
        assert_eq!(f.published.text.as_deref(), Some("الأحد 2/حزيران/2019 - 09:15 ص"));
        assert_eq!(f.anchor, Anchor::day(Date::constant(2019, 6, 2)));
        assert_eq!(date_of("خبر\nنشر في: 12.10.2018\nنص.", None), Some(("2018-10-12".into(), DatePrecision::Day, true)));
    }

    #[test]
    fn a_date_in_prose_is_not_a_dateline() {
        assert_eq!(date_of("خبر\nسيطر الجيش على البلدة في 5 آذار 2016 بعد معارك.", None), None);
    }

    #[test]
    fn sentence_dating_the_present() {
        let text = "عنوان\n\nأعلنت الدفاع المدني، صباح اليوم الخميس الـ9 من تموز 2020، انتشال جثتين.";
        let f = infer_published(text, None).unwrap();
        assert_eq!(f.published.date, "2020-07-09");
        assert!(!f.dateline_line);
        assert_eq!(f.published.text.as_deref(), Some("صباح اليوم الخميس الـ9 من تموز 2020"));
        // Today without a year gives nothing.
        assert_eq!(date_of("أعلنت الوزارة اليوم الخميس 9 تموز أن الطريق مغلق.", None), None);
    }

    #[test]
    fn references_to_the_present_month() {
        let text = "تراجعت الهجمات خلال شهري كانون الثاني الماضي وشباط الجاري، بعد اتفاق 12 شباط 2017 بين الطرفين.";
        assert_eq!(date_of(text, None), Some(("2017-02".into(), DatePrecision::Month, false)));
        // The latest year the text names must be the one of the current month's date.
        let text = "تحل في أيار الجاري ذكرى معركة 3 أيار 2013، وقد تجددت المعارك عام 2016.";
        assert_eq!(date_of(text, None), None);
        // A past month alone does not date the report.
        assert_eq!(date_of("هاجموا السجن منذ ديسمبر الماضي، كما في 3 ديسمبر 2019.", None), None);
    }

    #[test]
    fn nothing_gives_nothing() {
        assert_eq!(date_of("", None), None);
        assert_eq!(date_of("قصفت الطائرات أمس القرية، وقتل ثلاثة مدنيين اليوم.", None), None);
    }
}
