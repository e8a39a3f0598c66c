//! Numbers in every written form. OWNER: text helper. Contract below is fixed.

/// The value of a number expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// A definite number.
    Exact(u64),
    /// A number is implied but not given (عشرات، مئات، عدد من، مجموعة، بعض).
    Some,
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

/// Finds every number expression in normalised text, left to right, non-overlapping, longest
/// first: digits with separators ("12,000"), words in every gender and case (ثلاث/ثلاثة،
/// عشرون/عشرين، مئة/مائة، ألف/آلاف/ألفين), compounds ("ثلاثة آلاف وخمسمئة"), duals of countable
/// nouns ("عنصرين" = 2), digit-word mixes ("12 ألف"), and vague quantities (عشرات، مئات، عدد من)
/// as [`Quantity::Some`]. Ordinals ("الثالث") are not numbers.
pub fn find_numbers(norm: &str) -> Vec<NumberMatch> {
    let _ = norm;
    Vec::new()
}

/// Parses one number expression at the very start of `norm` (after optional spaces), returning
/// it with offsets relative to `norm`.
pub fn parse_number_at(norm: &str) -> Option<NumberMatch> {
    find_numbers(norm).into_iter().next().filter(|m| norm[..m.start].trim().is_empty())
}
