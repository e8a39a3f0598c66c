//! Reading inputs and running extraction over them: in parallel (rayon), delivered in input
//! order, with a progress bar on a terminal, and a panic in one document's analysis turned
//! into a failure of that document only.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use marsad_extract::Engine;
use marsad_gazetteer::Gazetteer;
use marsad_model::{DocOutput, Document};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Documents analysed in one parallel round (and, for `run`, stored in one transaction).
pub const CHUNK: usize = 256;

/// Loads the gazetteer (the `--gazetteer` directory, else [`Gazetteer::default_dir`]) and
/// compiles the extraction engine.
pub fn load_engine(gazetteer_dir: Option<&Path>) -> anyhow::Result<Engine> {
    let dir: Option<PathBuf> = match gazetteer_dir {
        Some(d) => {
            if !d.is_dir() {
                anyhow::bail!("--gazetteer {}: not a directory", d.display());
            }
            Some(d.to_path_buf())
        }
        None => match Gazetteer::default_dir() {
            Some(d) if !d.is_dir() => {
                // Only $MARSAD_GAZETTEER can name a directory that is not there.
                anyhow::bail!("MARSAD_GAZETTEER={}: not a directory", d.display());
            }
            other => other,
        },
    };
    let started = Instant::now();
    let gazetteer = Gazetteer::load(dir.as_deref())
        .map_err(|e| match &dir {
            Some(d) => anyhow::anyhow!("cannot load the gazetteer in {}: {e}", d.display()),
            None => anyhow::anyhow!("cannot load the built-in gazetteer: {e}"),
        })?;
    match &dir {
        Some(d) => tracing::info!(
            "gazetteer: {} places from {} and the built-in layer in {:.0?}",
            gazetteer.len(),
            d.display(),
            started.elapsed()
        ),
        None => tracing::warn!(
            "no gazetteer directory found (give --gazetteer DIR or set MARSAD_GAZETTEER): \
             only the built-in places are known ({})",
            gazetteer.len()
        ),
    }
    Ok(Engine::new(gazetteer))
}

/// Reads every input path; failures are returned, not printed.
pub fn read_inputs(paths: &[PathBuf]) -> marsad_ingest::ReadOutcome {
    let started = Instant::now();
    let outcome = marsad_ingest::read_paths(paths);
    tracing::info!(
        "read {} documents ({} inputs failed) in {:.0?}",
        outcome.docs.len(),
        outcome.errors.len(),
        started.elapsed()
    );
    outcome
}

/// A progress bar on stderr, drawn only when stderr is a terminal and not `--quiet`.
pub fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {pos}/{len} documents [{bar:30}] {per_sec} eta {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Analyses one document; a panic inside the analysis becomes an error message.
pub fn process_one(engine: &Engine, doc: &Document) -> Result<DocOutput, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.process(doc))).map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        format!("extraction failed: {}", msg.lines().next().unwrap_or(""))
    })
}

/// Analyses a chunk of documents in parallel; results come back in input order.
pub fn process_chunk(engine: &Engine, docs: &[&Document], bar: &ProgressBar) -> Vec<Result<DocOutput, String>> {
    docs.par_iter()
        .map(|doc| {
            let out = process_one(engine, doc);
            bar.inc(1);
            out
        })
        .collect()
}

/// Writes the records of one document as JSON Lines: doc, events, tallies.
pub fn write_records(out: &mut dyn std::io::Write, o: &DocOutput) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &o.doc)?;
    out.write_all(b"\n")?;
    for e in &o.events {
        serde_json::to_writer(&mut *out, e)?;
        out.write_all(b"\n")?;
    }
    for t in &o.tallies {
        serde_json::to_writer(&mut *out, t)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
