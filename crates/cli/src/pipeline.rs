//! Reading inputs and running extraction over them.
//!
//! `extract` and `run` stream (see [`extract`], [`run`]): a reader thread turns the inputs into
//! batches of documents ([`marsad_ingest::stream_paths`]) through a bounded channel; each batch is
//! analysed in parallel on the rayon pool (the [`Engine`] shared read-only), while the main
//! thread writes the batches before it (JSON Lines, or one SQLite transaction each), up to
//! [`IN_FLIGHT`] behind. At most [`QUEUE`] + [`IN_FLIGHT`] + 2 batches exist at any time, so
//! memory does not grow with the corpus; batches are
//! written in input order, and documents inside a batch too, so the output is deterministic.
//! A panic in one document's analysis becomes a failure of that document only.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use marsad_extract::Engine;
use marsad_gazetteer::Gazetteer;
use marsad_ingest::{stream::Item, InputError};
use marsad_model::{DocOutput, Document};
use marsad_store::{BatchReport, Ingested, InputFailure, RecordsJson, Store};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::Globals;
use anyhow::Context;

/// The analysis allocates many small vectors and strings per document, on every core at once;
/// mimalloc's per-thread heaps serve them markedly faster than the system allocator (see
/// docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Documents analysed in one parallel round (and, for `run`, stored in one transaction).
pub const CHUNK: usize = 256;

/// How much lower than the main thread the analysis workers run (a nice value, Linux).
const WORKER_NICE: i32 = 10;

/// Starts the rayon pool of analysis workers (`threads`, default one per core). They run at a
/// lower priority than the main thread, which writes: `run` has one SQLite writer, and with a
/// worker per core the scheduler gave it two thirds of a core, so it set the pace while the
/// analysis it waited for was ahead. Without a pool started here rayon starts its own, at the
/// same priority (tests).
pub fn start_workers(threads: Option<usize>) -> anyhow::Result<()> {
    let mut pool = rayon::ThreadPoolBuilder::new().start_handler(|_| yield_to_writer());
    if let Some(n) = threads {
        pool = pool.num_threads(n.max(1));
    }
    pool.build_global().context("cannot start the worker threads")
}

#[cfg(target_os = "linux")]
fn yield_to_writer() {
    // SAFETY: two system calls about the calling thread, with no memory passed.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        // A failure leaves the worker at the main thread's priority, as without this.
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid, WORKER_NICE);
    }
}

#[cfg(not(target_os = "linux"))]
fn yield_to_writer() {}

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

/// Batches waiting between the reader thread and the analysis.
pub const QUEUE: usize = 4;

/// Sizes of the stream.
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    /// Documents per batch (one parallel round; one transaction for `run`).
    pub chunk: usize,
    /// Batches the reader may run ahead.
    pub queue: usize,
    /// `run`: link the stored events into incidents as they are stored, a round each time
    /// this many are waiting (see [`crate::incidents::link_full_rounds`]); the rest is linked
    /// by the caller at the end.
    pub link_every: Option<usize>,
}

impl Default for Flow {
    fn default() -> Self {
        Flow { chunk: CHUNK, queue: QUEUE, link_every: None }
    }
}

/// What a streamed command did, with the time spent in each stage. Stage times are summed over
/// the threads that ran them (the stages overlap, so they add up to more than the wall time
/// when several cores work).
#[derive(Debug, Clone, Default)]
pub struct Totals {
    /// Documents read (whether analysed, skipped or failed).
    pub docs: usize,
    /// Documents analysed.
    pub analysed: usize,
    /// Documents whose analysis failed.
    pub failed_docs: usize,
    /// Inputs that could not be read.
    pub input_errors: usize,
    pub events: usize,
    pub tallies: usize,
    /// Input bytes read.
    pub bytes_in: u64,
    /// Output bytes written (`extract`).
    pub bytes_out: u64,
    /// `run`: what the store did.
    pub store: BatchReport,
    /// Reading and parsing the inputs (the reader thread).
    pub read: Duration,
    /// [`Engine::process`]: normalisation, extraction and geocoding.
    pub analyse: Duration,
    /// Serialising and writing records (`extract`), hashing and the database (`run`).
    pub write: Duration,
    /// Loading the gazetteer and compiling the engine.
    pub engine_load: Duration,
    /// `run` with [`Flow::link_every`]: the incident linking done while storing, and its time.
    pub linked: crate::incidents::Linked,
    pub link: Duration,
    pub wall: Duration,
}

/// A batch as the reader thread hands it over.
pub struct Batch {
    pub items: Vec<Item>,
    /// Input bytes behind these items.
    pub bytes: u64,
    /// Time the reader spent producing them.
    pub read: Duration,
}

/// Starts the reader thread: batches of `flow.chunk` items, at most `flow.queue` ahead.
pub fn spawn_reader(paths: &[PathBuf], flow: Flow) -> (Receiver<Batch>, std::thread::JoinHandle<()>) {
    let (tx, rx) = sync_channel::<Batch>(flow.queue.max(1));
    let paths = paths.to_vec();
    let chunk = flow.chunk.max(1);
    let handle = std::thread::Builder::new()
        .name("marsad-reader".into())
        .spawn(move || {
            let mut stream = marsad_ingest::stream_paths(&paths);
            let mut before = 0u64;
            loop {
                let started = Instant::now();
                let items: Vec<Item> = stream.by_ref().take(chunk).collect();
                if items.is_empty() {
                    return;
                }
                let bytes = stream.bytes_read() - before;
                before = stream.bytes_read();
                if tx.send(Batch { items, bytes, read: started.elapsed() }).is_err() {
                    return; // the consumer stopped (an error downstream)
                }
            }
        })
        .expect("cannot start the reader thread");
    (rx, handle)
}

/// The two ends of a streamed command that run on the main thread: turning a batch into a job
/// (before its analysis) and writing a job with its results (while the next job is analysed).
pub trait Sink {
    type Job: Sync + Send;
    type Out: Send;
    fn prepare(&mut self, batch: Batch) -> anyhow::Result<Self::Job>;
    fn write(&mut self, job: Self::Job, out: Self::Out) -> anyhow::Result<()>;
}

/// Batches analysed at once, besides the one being written: the writer (one SQLite
/// connection) and the analysis each run at their own pace, and neither waits for the other
/// while a batch is ready (in lock-step, a batch slower to write than the next is to analyse
/// left a core idle, and the other way round). `run` also links a round of incidents now and
/// then on the writer's thread: 8 batches (2,048 articles, a few MB) keep the cores busy
/// meanwhile.
pub const IN_FLIGHT: usize = 8;

/// Runs batches through `sink.prepare`, `work` (on the rayon pool) and `sink.write`: up to
/// [`IN_FLIGHT`] batches are analysed while this thread writes the oldest finished one, in
/// input order.
pub fn drive<S: Sink>(
    batches: impl IntoIterator<Item = Batch>,
    sink: &mut S,
    work: &(dyn Fn(&S::Job) -> S::Out + Sync),
) -> anyhow::Result<()> {
    use std::collections::VecDeque;
    use std::sync::mpsc::channel;
    let mut result = Ok(());
    rayon::in_place_scope(|scope| {
        // Each batch in flight: its job comes back with its analysis on its own channel.
        let mut in_flight: VecDeque<Receiver<(S::Job, S::Out)>> = VecDeque::new();
        let write_oldest = |in_flight: &mut VecDeque<Receiver<(S::Job, S::Out)>>, sink: &mut S| -> anyhow::Result<()> {
            if let Some(rx) = in_flight.pop_front() {
                let (job, out) = rx.recv().map_err(|_| anyhow::anyhow!("the analysis of a batch stopped"))?;
                sink.write(job, out)?;
            }
            Ok(())
        };
        for batch in batches {
            let job = match sink.prepare(batch) {
                Ok(job) => job,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            let (tx, rx) = channel();
            scope.spawn(move |_| {
                let out = work(&job);
                // The receiver is gone only when writing failed: the batch is dropped.
                let _ = tx.send((job, out));
            });
            in_flight.push_back(rx);
            if in_flight.len() > IN_FLIGHT {
                if let Err(e) = write_oldest(&mut in_flight, sink) {
                    result = Err(e);
                    break;
                }
            }
        }
        while result.is_ok() && !in_flight.is_empty() {
            if let Err(e) = write_oldest(&mut in_flight, sink) {
                result = Err(e);
            }
        }
    });
    result
}

/// A spinner with the count of documents, on a terminal only.
pub fn progress_spinner(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} documents {per_sec} {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// One document's records, serialised.
pub struct Rendered {
    pub jsonl: Vec<u8>,
    pub events: usize,
    pub tallies: usize,
}

/// What the analysis of one batch gives: per document, its result, and the time spent.
pub struct Analysed<T> {
    pub results: Vec<Result<T, String>>,
    pub analyse: Duration,
    pub write: Duration,
}

/// Analyses documents in parallel, each with `then` applied to its output (serialisation);
/// results in input order.
pub fn analyse_all<T: Send>(
    engine: &Engine,
    docs: &[&Document],
    then: &(dyn Fn(DocOutput) -> T + Sync),
) -> Analysed<T> {
    let timed: Vec<(Result<T, String>, Duration, Duration)> = docs
        .par_iter()
        .map(|doc| {
            let t0 = Instant::now();
            let out = process_one(engine, doc);
            let t1 = Instant::now();
            let out = out.map(then);
            (out, t1 - t0, t1.elapsed())
        })
        .collect();
    let mut a = Analysed { results: Vec::with_capacity(timed.len()), analyse: Duration::ZERO, write: Duration::ZERO };
    for (r, an, wr) in timed {
        a.results.push(r);
        a.analyse += an;
        a.write += wr;
    }
    a
}

/// Streams `paths` through the engine and writes the JSON Lines records to `out`; failures are
/// printed one line each as they come. The engine is the one given, or loaded (while the first
/// batch is read) from `g.gazetteer`.
pub fn extract_to(
    g: &Globals,
    paths: &[PathBuf],
    out: &mut dyn Write,
    target: &str,
    flow: Flow,
    engine: Option<&Engine>,
) -> anyhow::Result<Totals> {
    let started = Instant::now();
    let (rx, reader) = spawn_reader(paths, flow);
    let mut totals = Totals::default();
    let loaded;
    let engine = match engine {
        Some(e) => e,
        None => {
            let t = Instant::now();
            loaded = load_engine(g.gazetteer.as_deref())?;
            totals.engine_load = t.elapsed();
            &loaded
        }
    };
    let bar = progress_spinner(g.quiet);
    struct JsonSink<'a> {
        out: &'a mut dyn Write,
        target: &'a str,
        totals: &'a mut Totals,
        bar: &'a ProgressBar,
    }
    struct Job {
        /// Documents, or input errors, in reading order.
        items: Vec<Item>,
    }
    impl Sink for JsonSink<'_> {
        type Job = Job;
        type Out = Analysed<Rendered>;
        fn prepare(&mut self, batch: Batch) -> anyhow::Result<Job> {
            self.totals.read += batch.read;
            self.totals.bytes_in += batch.bytes;
            Ok(Job { items: batch.items })
        }
        fn write(&mut self, job: Job, out: Analysed<Rendered>) -> anyhow::Result<()> {
            let t = Instant::now();
            let mut results = out.results.into_iter();
            for item in &job.items {
                match item {
                    Err(e) => {
                        self.bar.suspend(|| eprintln!("{e}"));
                        self.totals.input_errors += 1;
                    }
                    Ok(doc) => {
                        self.totals.docs += 1;
                        self.totals.analysed += 1;
                        match results.next().expect("one result per document") {
                            Ok(r) => {
                                self.out.write_all(&r.jsonl).with_context(|| format!("writing to {}", self.target))?;
                                self.totals.bytes_out += r.jsonl.len() as u64;
                                self.totals.events += r.events;
                                self.totals.tallies += r.tallies;
                            }
                            Err(reason) => {
                                self.bar.suspend(|| eprintln!("{}: {reason}", doc.origin));
                                self.totals.failed_docs += 1;
                            }
                        }
                        self.bar.inc(1);
                    }
                }
            }
            self.totals.analyse += out.analyse;
            self.totals.write += out.write + t.elapsed();
            Ok(())
        }
    }
    let render = |o: DocOutput| {
        let mut jsonl = Vec::with_capacity(4096);
        // Writing to a Vec fails only on a serialisation bug; an empty record set says so.
        let _ = write_records(&mut jsonl, &o);
        Rendered { jsonl, events: o.events.len(), tallies: o.tallies.len() }
    };
    let work = |job: &Job| {
        let docs: Vec<&Document> = job.items.iter().filter_map(|i| i.as_ref().ok()).collect();
        analyse_all(engine, &docs, &render)
    };
    let mut sink = JsonSink { out, target, totals: &mut totals, bar: &bar };
    let result = drive(rx, &mut sink, &work);
    bar.finish_and_clear();
    result?;
    let _ = reader.join();
    totals.wall = started.elapsed();
    log_totals("extract", &totals);
    Ok(totals)
}

/// `marsad extract PATH... [-o FILE]`
pub fn extract(g: &Globals, paths: &[PathBuf], out_path: Option<&Path>) -> anyhow::Result<ExitCode> {
    let (mut out, target): (Box<dyn Write>, String) = match out_path {
        Some(p) => {
            let f = std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?;
            (Box::new(std::io::BufWriter::with_capacity(1 << 18, f)), p.display().to_string())
        }
        None => (Box::new(std::io::BufWriter::with_capacity(1 << 18, std::io::stdout().lock())), "stdout".to_string()),
    };
    let t = extract_to(g, paths, &mut out, &target, Flow::default(), None)?;
    out.flush().with_context(|| format!("writing to {target}"))?;
    let failures = t.input_errors + t.failed_docs;
    if !g.quiet && out_path.is_some() {
        eprintln!(
            "marsad: {} documents, {} events, {} tallies written to {target}; {failures} inputs failed",
            t.docs - t.failed_docs,
            t.events,
            t.tallies,
        );
    }
    Ok(exit_code(failures))
}

fn exit_code(failures: usize) -> ExitCode {
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The first 128 bits of a content hash (hex), for the set of texts seen in this run.
fn hash_key(hex: &str) -> u128 {
    u128::from_str_radix(hex.get(..32).unwrap_or(hex), 16).unwrap_or(0)
}

/// Streams `paths` through the engine into `store`: documents whose text is stored already (or
/// was seen earlier in this run) are not analysed again; each batch is one transaction.
pub fn run_into(
    g: &Globals,
    paths: &[PathBuf],
    store: &mut dyn Store,
    flow: Flow,
    engine: Option<&Engine>,
) -> anyhow::Result<Totals> {
    let started = Instant::now();
    let (rx, reader) = spawn_reader(paths, flow);
    let mut totals = Totals::default();
    // Loaded when the first document needs analysis: a re-run over stored input needs none.
    let lazy: OnceLock<Engine> = OnceLock::new();
    let bar = progress_spinner(g.quiet);
    struct StoreSink<'a> {
        g: &'a Globals,
        store: &'a mut dyn Store,
        totals: &'a mut Totals,
        bar: &'a ProgressBar,
        engine: Option<&'a Engine>,
        lazy: &'a OnceLock<Engine>,
        /// Texts seen in this run (first 128 bits of their hash).
        seen: HashSet<u128>,
        link_every: Option<usize>,
        /// Events stored and not linked yet (exactly so after each linking).
        unlinked: usize,
    }
    struct Job {
        errors: Vec<InputError>,
        /// Documents to analyse, with their content hash.
        todo: Vec<(Document, String)>,
    }
    impl Sink for StoreSink<'_> {
        type Job = Job;
        type Out = Analysed<(DocOutput, Option<RecordsJson>)>;
        fn prepare(&mut self, batch: Batch) -> anyhow::Result<Job> {
            self.totals.read += batch.read;
            self.totals.bytes_in += batch.bytes;
            let t = Instant::now();
            let mut errors = Vec::new();
            let mut docs = Vec::new();
            for item in batch.items {
                match item {
                    Ok(d) => docs.push(d),
                    Err(e) => errors.push(e),
                }
            }
            let hashes: Vec<String> = docs.par_iter().map(|d| marsad_store::content_hash(&d.text)).collect();
            let refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
            let known = self.store.known_hashes(&refs).context("reading the database")?;
            self.totals.docs += docs.len();
            let mut todo = Vec::with_capacity(docs.len());
            for (doc, hash) in docs.into_iter().zip(hashes) {
                if known.contains(&hash) || !self.seen.insert(hash_key(&hash)) {
                    tracing::debug!("{}: already stored, skipped", doc.origin);
                    self.totals.store.skipped += 1;
                    self.bar.inc(1);
                } else {
                    todo.push((doc, hash));
                }
            }
            self.totals.write += t.elapsed();
            if !todo.is_empty() && self.engine.is_none() && self.lazy.get().is_none() {
                let t = Instant::now();
                let e = load_engine(self.g.gazetteer.as_deref())?;
                self.totals.engine_load = t.elapsed();
                let _ = self.lazy.set(e);
            }
            Ok(Job { errors, todo })
        }
        fn write(&mut self, job: Job, out: Analysed<(DocOutput, Option<RecordsJson>)>) -> anyhow::Result<()> {
            let t = Instant::now();
            for e in &job.errors {
                self.bar.suspend(|| eprintln!("{e}"));
            }
            if !job.errors.is_empty() {
                let logged: Vec<InputFailure> =
                    job.errors.iter().map(|e| InputFailure { origin: e.origin.clone(), reason: e.reason.clone() }).collect();
                self.store.record_input_errors(&logged).context("logging input errors")?;
                self.totals.input_errors += job.errors.len();
            }
            let batch: Vec<Ingested> = job
                .todo
                .into_iter()
                .zip(out.results)
                .map(|((doc, hash), result)| {
                    if let Err(reason) = &result {
                        self.bar.suspend(|| eprintln!("{}: {reason}", doc.origin));
                    }
                    let (result, json) = match result {
                        Ok((out, json)) => (Ok(out), json),
                        Err(reason) => (Err(reason), None),
                    };
                    Ingested { id: doc.id, origin: doc.origin, text: doc.text, encoding: doc.encoding, content_hash: hash, result, json }
                })
                .collect();
            if !batch.is_empty() {
                let report = self.store.write_batch(&batch).context("writing to the database")?;
                self.totals.analysed += batch.len();
                self.totals.events += report.events;
                self.totals.tallies += report.tallies;
                self.totals.failed_docs += report.failed;
                self.totals.store.add(report);
                self.bar.inc(batch.len() as u64);
                self.unlinked += report.events;
            }
            self.totals.analyse += out.analyse;
            self.totals.write += out.write + t.elapsed();
            if let Some(round) = self.link_every.filter(|&round| self.unlinked >= round) {
                // The batches in flight are analysed meanwhile.
                let t = Instant::now();
                let (linked, left) = crate::incidents::link_full_rounds(self.store, round).context("linking incidents")?;
                self.totals.linked.add(linked);
                self.unlinked = left.len();
                self.totals.link += t.elapsed();
            }
            Ok(())
        }
    }
    let work = |job: &Job| {
        let docs: Vec<&Document> = job.todo.iter().map(|(d, _)| d).collect();
        match engine.or_else(|| lazy.get()) {
            // The records are serialised here, on the analysing threads, not by the writer.
            Some(engine) => analyse_all(engine, &docs, &|o| {
                let json = RecordsJson::of(&o).ok();
                (o, json)
            }),
            None => Analysed { results: Vec::new(), analyse: Duration::ZERO, write: Duration::ZERO },
        }
    };
    let mut sink = StoreSink {
        g,
        store,
        totals: &mut totals,
        bar: &bar,
        engine,
        lazy: &lazy,
        seen: HashSet::new(),
        link_every: flow.link_every,
        unlinked: 0,
    };
    let result = drive(rx, &mut sink, &work);
    drop(sink);
    bar.finish_and_clear();
    result?;
    let _ = reader.join();
    totals.wall = started.elapsed();
    log_totals("run", &totals);
    if totals.linked.rounds > 0 {
        tracing::info!("run: {} rounds of incident linking while storing, {:.2?}", totals.linked.rounds, totals.link);
    }
    Ok(totals)
}

/// `marsad run PATH... --db FILE_OR_URL`: stores the records and links the new events into
/// incidents, in rounds while storing, then the rest.
pub fn run(g: &Globals, paths: &[PathBuf], db: &str) -> anyhow::Result<ExitCode> {
    let mut store = marsad_store::open(db).with_context(|| format!("cannot open database {db}"))?;
    // Linked in the rounds linking after storing uses, so the incidents are the same. (Smaller
    // rounds would overlap more of the linking with the analysis, but each reads again the
    // stored members of the incidents its events may join: rounds of 8,192 events read 257,581
    // stored events for 77,270 placed on the benchmark corpus, and doubled linking's CPU time.)
    let flow = Flow { link_every: Some(crate::incidents::ROUND_EVENTS), ..Flow::default() };
    let t = run_into(g, paths, store.as_mut(), flow, None)?;
    let total = &t.store;
    let failures = t.input_errors + total.failed;
    if !g.quiet {
        eprintln!("marsad: {}; {failures} inputs failed; database {db}", stored_summary(total, ""));
    }
    crate::incidents::finish_linking(g, store.as_mut(), t.linked)?;
    Ok(exit_code(failures))
}

/// "N documents stored (E events, T tallies), R replaced, S already stored", the line `run` and
/// the feed poller end with; `new` qualifies the documents ("new " for a poll).
pub fn stored_summary(total: &marsad_store::BatchReport, new: &str) -> String {
    format!(
        "{} {new}documents stored ({} events, {} tallies), {} replaced, {} already stored",
        (total.inserted + total.replaced).saturating_sub(total.failed),
        total.events,
        total.tallies,
        total.replaced,
        total.skipped,
    )
}

/// The peak resident set size of this process so far, in KiB (`VmHWM` of /proc/self/status).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn log_totals(what: &str, t: &Totals) {
    tracing::info!(
        "{what}: {} documents ({} analysed, {} failed, {} input errors) in {:.2?}: read {:.2?}, analyse {:.2?}, \
         write {:.2?}, engine {:.2?}; peak RSS {} KiB",
        t.docs,
        t.analysed,
        t.failed_docs,
        t.input_errors,
        t.wall,
        t.read,
        t.analyse,
        t.write,
        t.engine_load,
        peak_rss_kib().unwrap_or(0)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globals() -> Globals {
        Globals { gazetteer: None, quiet: true }
    }

    fn examples() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
    }

    /// The records of `paths` as the whole-corpus path makes them: read everything, analyse,
    /// write in order.
    fn whole(engine: &Engine, paths: &[PathBuf]) -> (Vec<u8>, Vec<String>) {
        let outcome = read_inputs(paths);
        let mut out = Vec::new();
        for doc in &outcome.docs {
            let o = process_one(engine, doc).unwrap();
            write_records(&mut out, &o).unwrap();
        }
        (out, outcome.errors.iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn streamed_records_equal_the_whole_corpus_records_in_any_batch_size() {
        let g = globals();
        let engine = load_engine(None).unwrap();
        let dir = tempfile::tempdir().unwrap();
        // A JSON Lines file of the example articles, twice over under other ids, and bad lines.
        let mut lines = Vec::new();
        for round in 0..2 {
            for doc in read_inputs(&[examples()]).docs {
                let v = serde_json::json!({"id": format!("{}-{round}", doc.id), "text": doc.text,
                    "published": doc.given.published});
                lines.push(v.to_string());
            }
            lines.push("{broken".into());
        }
        let jsonl = dir.path().join("articles.jsonl");
        std::fs::write(&jsonl, lines.join("\n")).unwrap();
        let paths = vec![examples(), jsonl, dir.path().join("missing.txt")];
        let (expected, mut errors) = whole(&engine, &paths);
        errors.sort();
        assert!(!expected.is_empty());
        for chunk in [1, 3, 256] {
            let mut out = Vec::new();
            let t = extract_to(&g, &paths, &mut out, "memory", Flow { chunk, queue: 2, link_every: None }, Some(&engine)).unwrap();
            assert!(out == expected, "batches of {chunk}: the records differ");
            assert_eq!(t.input_errors, errors.len());
            assert_eq!(t.failed_docs, 0);
        }
    }

    #[test]
    fn run_stores_what_extract_prints_and_skips_it_next_time() {
        let g = globals();
        let engine = load_engine(None).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let paths = vec![examples()];
        let mut printed = Vec::new();
        let t = extract_to(&g, &paths, &mut printed, "memory", Flow::default(), Some(&engine)).unwrap();
        for chunk in [2, 256] {
            let mut store = marsad_store::open(db.to_str().unwrap()).unwrap();
            let r = run_into(&g, &paths, store.as_mut(), Flow { chunk, queue: 1, link_every: None }, Some(&engine)).unwrap();
            if chunk == 2 {
                assert_eq!((r.store.inserted, r.store.skipped, r.events), (t.docs, 0, t.events));
            } else {
                assert_eq!((r.store.inserted, r.store.skipped, r.analysed), (0, t.docs, 0));
            }
        }
        let store = marsad_store::open(db.to_str().unwrap()).unwrap();
        let mut exported = Vec::new();
        marsad_store::export::export(store.as_ref(), marsad_store::export::Format::Jsonl, &mut exported).unwrap();
        assert!(exported == printed, "the store gives back what extract printed");
    }
}
