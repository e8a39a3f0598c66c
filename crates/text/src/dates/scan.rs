//! STUB (to be replaced by the date grammar).
use super::DateFound;
pub(crate) fn scan(_norm: &str) -> Vec<DateFound> { Vec::new() }
