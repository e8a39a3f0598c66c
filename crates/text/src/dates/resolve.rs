//! STUB (to be replaced by the resolver).
use super::{Anchor, DateKind, DateRange};
pub(crate) fn resolve(_kind: &DateKind, _anchor: Option<Anchor>) -> Option<DateRange> { None }
