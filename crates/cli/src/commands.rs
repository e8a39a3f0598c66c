//! One function per command.

use crate::pipeline::{self, CHUNK};
use crate::Globals;
use anyhow::Context;
use marsad_ingest::ReadOutcome;
use marsad_model::{DocOutput, Document};
use marsad_store::{BatchReport, Ingested, InputFailure};
use std::collections::HashSet;
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

/// `marsad extract PATH... [-o FILE]`
pub fn extract(g: &Globals, paths: &[PathBuf], out_path: Option<&Path>) -> anyhow::Result<ExitCode> {
    let outcome = pipeline::read_inputs(paths);
    report_input_errors(&outcome);
    let mut failures = outcome.errors.len();
    let engine = pipeline::load_engine(g.gazetteer.as_deref())?;

    let (mut out, target): (Box<dyn Write>, String) = match out_path {
        Some(p) => {
            let f = std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?;
            (Box::new(BufWriter::new(f)), p.display().to_string())
        }
        None => (Box::new(BufWriter::new(std::io::stdout().lock())), "stdout".to_string()),
    };
    let bar = pipeline::progress_bar(outcome.docs.len(), g.quiet);
    let docs: Vec<&Document> = outcome.docs.iter().collect();
    let (mut events, mut tallies) = (0usize, 0usize);
    for chunk in docs.chunks(CHUNK) {
        for (doc, result) in chunk.iter().zip(pipeline::process_chunk(&engine, chunk, &bar)) {
            match result {
                Ok(o) => {
                    pipeline::write_records(&mut out, &o).with_context(|| format!("writing to {target}"))?;
                    events += o.events.len();
                    tallies += o.tallies.len();
                }
                Err(reason) => {
                    bar.suspend(|| eprintln!("{}: {reason}", doc.origin));
                    failures += 1;
                }
            }
        }
    }
    bar.finish_and_clear();
    out.flush().with_context(|| format!("writing to {target}"))?;
    if !g.quiet && out_path.is_some() {
        eprintln!(
            "marsad: {} documents, {events} events, {tallies} tallies written to {target}; {failures} inputs failed",
            outcome.docs.len() - failures.saturating_sub(outcome.errors.len()),
        );
    }
    Ok(exit_code(failures))
}

/// `marsad run PATH... --db FILE_OR_URL`
pub fn run(g: &Globals, paths: &[PathBuf], db: &str) -> anyhow::Result<ExitCode> {
    let mut store = marsad_store::open(db).with_context(|| format!("cannot open database {db}"))?;
    let outcome = pipeline::read_inputs(paths);
    report_input_errors(&outcome);
    let mut failures = outcome.errors.len();
    let logged: Vec<InputFailure> = outcome
        .errors
        .iter()
        .map(|e| InputFailure { origin: e.origin.clone(), reason: e.reason.clone() })
        .collect();
    store.record_input_errors(&logged).context("logging input errors")?;

    // Documents whose text is stored already need no extraction; nor does a second copy of
    // the same text within this input.
    let hashes: Vec<String> = outcome.docs.iter().map(|d| marsad_store::content_hash(&d.text)).collect();
    let hash_refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
    let known = store.known_hashes(&hash_refs).context("reading the database")?;
    let mut seen: HashSet<&str> = HashSet::new();
    let mut todo: Vec<(&Document, &str)> = Vec::new();
    let mut skipped = 0usize;
    for (doc, hash) in outcome.docs.iter().zip(&hashes) {
        if known.contains(hash.as_str()) || !seen.insert(hash.as_str()) {
            tracing::debug!("{}: already stored, skipped", doc.origin);
            skipped += 1;
        } else {
            todo.push((doc, hash.as_str()));
        }
    }

    let engine = if todo.is_empty() { None } else { Some(pipeline::load_engine(g.gazetteer.as_deref())?) };
    let bar = pipeline::progress_bar(todo.len(), g.quiet);
    let mut total = BatchReport { skipped, ..Default::default() };
    if let Some(engine) = &engine {
        for chunk in todo.chunks(CHUNK) {
            let docs: Vec<&Document> = chunk.iter().map(|(d, _)| *d).collect();
            let results = pipeline::process_chunk(engine, &docs, &bar);
            let batch: Vec<Ingested> = chunk
                .iter()
                .zip(results)
                .map(|((doc, hash), result)| {
                    if let Err(reason) = &result {
                        bar.suspend(|| eprintln!("{}: {reason}", doc.origin));
                    }
                    Ingested {
                        id: doc.id.clone(),
                        origin: doc.origin.clone(),
                        text: doc.text.clone(),
                        encoding: doc.encoding.clone(),
                        content_hash: (*hash).to_string(),
                        result,
                    }
                })
                .collect();
            let report = store.write_batch(&batch).context("writing to the database")?;
            total.add(report);
        }
    }
    bar.finish_and_clear();
    failures += total.failed;

    if !g.quiet {
        eprintln!(
            "marsad: {} documents stored ({} events, {} tallies), {} replaced, {} already stored; \
             {} inputs failed; database {}",
            (total.inserted + total.replaced).saturating_sub(total.failed),
            total.events,
            total.tallies,
            total.replaced,
            total.skipped,
            failures,
            db
        );
    }
    Ok(exit_code(failures))
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
