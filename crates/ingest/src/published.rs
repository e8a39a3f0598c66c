//! Publication date inference. OWNER: dates helper. Contract below is fixed.
use marsad_model::Published;
use marsad_text::dates::Anchor;

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
    let _ = (text, given);
    None
}
