//! One function per command.

use crate::pipeline::{self, CHUNK};
use crate::Globals;
use anyhow::Context;
use marsad_ingest::ReadOutcome;
use marsad_model::{DocOutput, Document};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn exit_code(failures: usize) -> ExitCode {
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints the inputs that could not be read, one line each.
fn report_input_errors(outcome: &ReadOutcome) {
    for e in &outcome.errors {
        eprintln!("{e}");
    }
}

/// `marsad extract PATH... [-o FILE]`: streamed, see [`pipeline::extract`].
pub fn extract(g: &Globals, paths: &[PathBuf], out_path: Option<&Path>) -> anyhow::Result<ExitCode> {
    pipeline::extract(g, paths, out_path)
}

/// `marsad run PATH... --db FILE_OR_URL`: streamed, see [`pipeline::run`].
pub fn run(g: &Globals, paths: &[PathBuf], db: &str) -> anyhow::Result<ExitCode> {
    pipeline::run(g, paths, db)
}

/// `marsad export --db … --format … [--out FILE]`
pub fn export(
    g: &Globals,
    db: &str,
    format: marsad_store::export::Format,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let is_url = db.contains("://");
    if !is_url && !Path::new(db).exists() {
        anyhow::bail!("no database at {db} (store documents first: marsad run PATH... --db {db})");
    }
    let store = marsad_store::open(db).with_context(|| format!("cannot open database {db}"))?;
    let summary = match out {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut w = BufWriter::new(file);
            marsad_store::export::export(store.as_ref(), format, &mut w)
                .with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            marsad_store::export::export(store.as_ref(), format, &mut w).context("writing to stdout")?
        }
    };
    if !g.quiet {
        if let Some(path) = out {
            eprintln!(
                "marsad: wrote {} events and {} tallies of {} documents to {}",
                summary.events,
                summary.tallies,
                summary.documents,
                path.display()
            );
        }
        if summary.events_without_coordinates > 0 {
            eprintln!(
                "marsad: {} events have no coordinates and are not in the GeoJSON",
                summary.events_without_coordinates
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Extracts every document below `dir` and returns the records as JSON values (for `eval`
/// without `--system`), with the number of inputs that failed.
fn extract_to_values(g: &Globals, dir: &Path) -> anyhow::Result<(Vec<serde_json::Value>, usize)> {
    let outcome = pipeline::read_inputs(&[dir.to_path_buf()]);
    report_input_errors(&outcome);
    let mut failures = outcome.errors.len();
    let engine = pipeline::load_engine(g.gazetteer.as_deref())?;
    let bar = pipeline::progress_bar(outcome.docs.len(), g.quiet);
    let docs: Vec<&Document> = outcome.docs.iter().collect();
    let mut values = Vec::new();
    for chunk in docs.chunks(CHUNK) {
        for (doc, result) in chunk.iter().zip(pipeline::process_chunk(&engine, chunk, &bar)) {
            match result {
                Ok(DocOutput { doc: d, events, tallies }) => {
                    values.push(serde_json::to_value(&d)?);
                    for e in &events {
                        values.push(serde_json::to_value(e)?);
                    }
                    for t in &tallies {
                        values.push(serde_json::to_value(t)?);
                    }
                }
                Err(reason) => {
                    bar.suspend(|| eprintln!("{}: {reason}", doc.origin));
                    failures += 1;
                }
            }
        }
    }
    bar.finish_and_clear();
    Ok((values, failures))
}

/// How `marsad eval` prints its figures.
pub struct EvalOutput {
    /// One JSON object on one line (as `score.py --json`), instead of `key: value` lines.
    pub json: bool,
    /// Print score.py's diagnostic lines (misses, false positives, field misses) first.
    pub verbose: bool,
}

/// `marsad eval GOLD --docs DIR [--system FILE] [--json] [--verbose] [--floors FILE --set NAME]`
pub fn eval(
    g: &Globals,
    gold: &Path,
    docs: &Path,
    system: Option<&Path>,
    floors: Option<(&Path, &str)>,
    how: EvalOutput,
) -> anyhow::Result<ExitCode> {
    if !docs.is_dir() {
        anyhow::bail!("--docs {}: not a directory", docs.display());
    }
    let gold_records = marsad_eval::load_jsonl(gold)?;
    let (system_records, failures) = match system {
        Some(path) => (marsad_eval::load_jsonl(path)?, 0),
        None => extract_to_values(g, docs)?,
    };
    let (report, lines) = marsad_eval::score_records_verbose(&gold_records, &system_records, docs)
        .with_context(|| format!("scoring against {}", gold.display()))?;

    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if how.verbose {
        for l in &lines {
            writeln!(out, "{l}")?;
        }
    }
    if how.json {
        writeln!(out, "{}", report.to_json_line())?;
    } else {
        out.write_all(report.print_lines().as_bytes())?;
    }
    out.flush()?;

    let mut code = exit_code(failures);
    if let Some((file, set)) = floors {
        match marsad_eval::floors::check(&report, file, set) {
            Ok(()) => {
                if !g.quiet {
                    eprintln!("marsad: every figure of [{set}] in {} holds", file.display());
                }
            }
            Err(violations) => {
                for v in &violations {
                    eprintln!("marsad: below floor: {v}");
                }
                code = ExitCode::from(1);
            }
        }
    }
    Ok(code)
}

/// `marsad places QUERY` / `marsad places check`
pub fn places(g: &Globals, query: &[String]) -> anyhow::Result<ExitCode> {
    let engine = pipeline::load_engine(g.gazetteer.as_deref())?;
    let gazetteer = &engine.gazetteer;
    let query = query.join(" ");
    if query.trim() == "check" {
        let problems = gazetteer.check();
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        for p in &problems {
            writeln!(out, "{p}")?;
        }
        out.flush()?;
        if !g.quiet {
            eprintln!("marsad: {} places loaded, {} problems", gazetteer.len(), problems.len());
        }
        return Ok(exit_code(problems.len()));
    }
    let found = gazetteer.lookup(query.trim());
    if found.is_empty() {
        eprintln!("marsad: no place matches {query:?}");
        return Ok(ExitCode::from(1));
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for p in found {
        let coords = match (p.lat, p.lon) {
            (Some(lat), Some(lon)) => format!("{lat:.5},{lon:.5}"),
            _ => "-".into(),
        };
        let admin1 = match (&p.admin1, &p.admin1_name) {
            (Some(code), Some(name)) => format!("{code} {name}"),
            (Some(code), None) => code.clone(),
            _ => "-".into(),
        };
        writeln!(out, "{}\t{}\t{}\t{}\t{}\t{}\t{}", p.id, p.name_ar, p.name_en, p.level, admin1, p.country, coords)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
