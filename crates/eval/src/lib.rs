//! marsad-eval: scores an extraction export against gold annotations.
//!
//! This is a faithful port of the reference scorer `shared/tools/score.py` (rules in
//! `shared/spec/scoring.md`): same matching, same figures, same printed output.
//!
//! ```no_run
//! # use std::path::Path;
//! let gold = marsad_eval::load_jsonl(Path::new("gold.jsonl"))?;
//! let system = marsad_eval::load_jsonl(Path::new("system.jsonl"))?;
//! let report = marsad_eval::score_records(&gold, &system, Path::new("corpus/seeds"))?;
//! print!("{}", report.print_lines());
//! # Ok::<(), marsad_eval::EvalError>(())
//! ```
//!
//! Where score.py itself would raise (a gold record without `kind`, a document file that
//! cannot be read, a `counts` that is not an object, ...), the port returns
//! [`EvalError::Malformed`] or [`EvalError::Io`] instead of panicking.

pub mod floors;
pub mod isodate;
pub mod pytext;
mod pyval;
mod score;
mod unicode_tables;

pub use pytext::norm;

/// The Unicode version of the Python whose character tables `src/unicode_tables.rs` was
/// generated from (`tools/gen_unicode_tables.py`); score.py classifies characters by it.
pub const UNICODE_VERSION: &str = unicode_tables::UNICODE_VERSION;
pub use pyval::{float_repr, round4};
pub use score::{score_records, score_records_verbose};

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a scoring run could not complete.
#[derive(Debug)]
pub enum EvalError {
    /// A file could not be read (or was not UTF-8).
    Io { path: PathBuf, message: String },
    /// A JSON Lines file held a line that is not JSON (`line` is 1-based).
    Json { path: PathBuf, line: usize, message: String },
    /// The records are shaped so that score.py itself would raise.
    Malformed(String),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Io { path, message } => write!(f, "{}: {}", path.display(), message),
            EvalError::Json { path, line, message } => {
                write!(f, "{}:{}: invalid JSON: {}", path.display(), line, message)
            }
            EvalError::Malformed(m) => write!(f, "malformed input: {m}"),
        }
    }
}

impl std::error::Error for EvalError {}

/// The scores, field for field as score.py's result dict (ratios already rounded to 4 places
/// as score.py does).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub events_main_gold: usize,
    pub events_system: usize,
    pub events_matched_main: usize,
    pub events_matched_background: usize,
    pub events_false_positive: usize,
    pub event_precision: f64,
    pub event_recall: f64,
    pub event_f1: f64,
    pub field_accuracy: f64,
    /// Keys: `admin1`, `claimed_by`, `counts`, `date`, `perpetrator`, `place`, `target`
    /// (only those that were checked at least once).
    pub field_accuracy_by_field: BTreeMap<String, f64>,
    pub tally_precision: f64,
    pub tally_recall: f64,
    pub negatives_violated: usize,
    /// `None` when the gold has no `doc` records.
    pub doc_title_accuracy: Option<f64>,
    /// `None` when the gold has no `doc` records.
    pub doc_published_accuracy: Option<f64>,
    /// `None` when the gold lists no boilerplate lines.
    pub boilerplate_recall: Option<f64>,
}

/// A figure of the report, as score.py holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Int(usize),
    Float(f64),
    ByField(BTreeMap<String, f64>),
    None,
}

impl Figure {
    /// Python `str()` of the figure (what `print(f"{k}: {v}")` shows).
    pub fn py_str(&self) -> String {
        match self {
            Figure::Int(i) => i.to_string(),
            Figure::Float(f) => float_repr(*f),
            Figure::None => "None".into(),
            Figure::ByField(m) => format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, v)| format!("{}: {}", pyval::str_repr(k), float_repr(*v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Figure::Int(i) => Value::from(*i as u64),
            Figure::Float(f) => Value::from(*f),
            Figure::None => Value::Null,
            Figure::ByField(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), Value::from(*v))).collect())
            }
        }
    }

    fn dump(&self, out: &mut String) {
        match self {
            Figure::Int(i) => out.push_str(&i.to_string()),
            Figure::Float(f) => out.push_str(&float_repr(*f)),
            Figure::None => out.push_str("null"),
            Figure::ByField(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    pyval::json_str(k, out);
                    out.push_str(": ");
                    out.push_str(&float_repr(*v));
                }
                out.push('}');
            }
        }
    }
}

impl Report {
    /// The figures in score.py's order, with its key names.
    pub fn figures(&self) -> Vec<(&'static str, Figure)> {
        let opt = |o: Option<f64>| o.map(Figure::Float).unwrap_or(Figure::None);
        vec![
            ("events_main_gold", Figure::Int(self.events_main_gold)),
            ("events_system", Figure::Int(self.events_system)),
            ("events_matched_main", Figure::Int(self.events_matched_main)),
            ("events_matched_background", Figure::Int(self.events_matched_background)),
            ("events_false_positive", Figure::Int(self.events_false_positive)),
            ("event_precision", Figure::Float(self.event_precision)),
            ("event_recall", Figure::Float(self.event_recall)),
            ("event_f1", Figure::Float(self.event_f1)),
            ("field_accuracy", Figure::Float(self.field_accuracy)),
            ("field_accuracy_by_field", Figure::ByField(self.field_accuracy_by_field.clone())),
            ("tally_precision", Figure::Float(self.tally_precision)),
            ("tally_recall", Figure::Float(self.tally_recall)),
            ("negatives_violated", Figure::Int(self.negatives_violated)),
            ("doc_title_accuracy", opt(self.doc_title_accuracy)),
            ("doc_published_accuracy", opt(self.doc_published_accuracy)),
            ("boilerplate_recall", opt(self.boilerplate_recall)),
        ]
    }

    /// Exactly what `score.py` prints without `--json`: one `key: value` line per figure,
    /// each terminated by `\n`.
    pub fn print_lines(&self) -> String {
        let mut out = String::new();
        for (k, v) in self.figures() {
            out.push_str(k);
            out.push_str(": ");
            out.push_str(&v.py_str());
            out.push('\n');
        }
        out
    }

    /// The result as a JSON object (what `score.py --json` prints, as a value).
    pub fn to_json(&self) -> Value {
        Value::Object(self.figures().into_iter().map(|(k, v)| (k.to_string(), v.to_json())).collect())
    }

    /// Exactly the line `score.py --json` prints (key order and number format included),
    /// without the trailing newline.
    pub fn to_json_line(&self) -> String {
        let mut out = String::from("{");
        for (i, (k, v)) in self.figures().into_iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            pyval::json_str(k, &mut out);
            out.push_str(": ");
            v.dump(&mut out);
        }
        out.push('}');
        out
    }

    /// A figure by its score.py name (`field_accuracy_by_field.place` reaches into the map).
    pub fn figure(&self, name: &str) -> Option<Figure> {
        if let Some(field) = name.strip_prefix("field_accuracy_by_field.") {
            return Some(
                self.field_accuracy_by_field.get(field).map(|v| Figure::Float(*v)).unwrap_or(Figure::None),
            );
        }
        self.figures().into_iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

/// Reads a file as Python's `open(path, encoding="utf-8").read()` does: strict UTF-8 and
/// universal newlines (`\r\n` and `\r` become `\n`).
pub fn read_text(path: &Path) -> Result<String, EvalError> {
    let bytes = std::fs::read(path)
        .map_err(|e| EvalError::Io { path: path.to_path_buf(), message: e.to_string() })?;
    let s = String::from_utf8(bytes)
        .map_err(|e| EvalError::Io { path: path.to_path_buf(), message: format!("not UTF-8: {e}") })?;
    if s.contains('\r') {
        Ok(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(s)
    }
}

/// score.py's `load()`: one JSON value per non-blank line.
pub fn load_jsonl(path: &Path) -> Result<Vec<Value>, EvalError> {
    let text = read_text(path)?;
    parse_jsonl(&text).map_err(|(line, message)| EvalError::Json { path: path.to_path_buf(), line, message })
}

/// Parses JSON Lines text, skipping blank lines; an error gives the 1-based line number.
pub fn parse_jsonl(text: &str) -> Result<Vec<Value>, (usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.chars().all(pytext::is_space) {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| (i + 1, e.to_string()))?);
    }
    Ok(out)
}

/// Loads both files and scores them; with `verbose`, also returns score.py's diagnostic lines.
pub fn score_files(
    gold: &Path,
    system: &Path,
    docs_dir: &Path,
) -> Result<(Report, Vec<String>), EvalError> {
    score_records_verbose(&load_jsonl(gold)?, &load_jsonl(system)?, docs_dir)
}
