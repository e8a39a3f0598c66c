//! STUB: file loaders (to be written by the gazetteer owner).
use crate::{Admin1, Gazetteer, GazetteerError};
pub(crate) fn load(_dir: Option<&std::path::Path>) -> Result<Gazetteer, GazetteerError> { Ok(Gazetteer::empty()) }
pub(crate) fn builtin_admin1() -> Vec<Admin1> { Vec::new() }
pub(crate) fn builtin_stoplist() -> Vec<(String, bool)> { Vec::new() }
