//! Readers. OWNER: ingest helper. Contract below is fixed.
use marsad_model::Document;
use std::path::{Path, PathBuf};

/// A failed input: which one, and why, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {reason}")]
pub struct InputError {
    /// Path, `path:line` for a JSONL line, or URL.
    pub origin: String,
    pub reason: String,
}

/// Everything read from a list of paths: documents in a stable order, and the failures.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    pub docs: Vec<Document>,
    pub errors: Vec<InputError>,
}

/// Reads every path (files or directories, recursively, in sorted order). One bad input never
/// stops the others.
pub fn read_paths(paths: &[PathBuf]) -> ReadOutcome {
    let mut out = ReadOutcome::default();
    for p in paths {
        read_one(p, &mut out);
    }
    out
}

fn read_one(path: &Path, out: &mut ReadOutcome) {
    match std::fs::read_to_string(path) {
        Ok(text) => out.docs.push(Document {
            id: path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            text,
            origin: path.display().to_string(),
            encoding: "UTF-8".into(),
            ..Default::default()
        }),
        Err(e) => out.errors.push(InputError { origin: path.display().to_string(), reason: e.to_string() }),
    }
}
