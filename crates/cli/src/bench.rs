//! `marsad bench`: how fast marsad goes on this machine, where the time goes, and how much
//! memory it takes; and the benchmark corpus it measures.
//!
//! The corpus (`--build-corpus N --out FILE`, or a temporary one when no PATH is given) is built
//! at run time from the real articles under `shared/corpus`: each benchmark article is a real
//! headline followed by real paragraphs drawn at random (a seeded generator, so the same seed
//! gives the same file) until it has the size of a typical news item. Nothing of it is kept in
//! the repository.
//!
//! The measurements:
//! - `extract` in this process (engine loaded once): articles/s, MB/s, and the time of each
//!   stage summed over the threads that ran it. Normalisation and geocoding run inside the
//!   engine's analysis; their share of it is measured on a sample of articles analysed one at a
//!   time (normalise alone, place-phrase resolution alone, the whole analysis) and applied to
//!   the analysis time of the run.
//! - `run` into a fresh SQLite file in this process (`--run`), with the time the store takes,
//!   then the incident linking that `marsad run` does after storing.
//! - with `--compare-grep`: `marsad extract PATH -o /dev/null` and `marsad run` as fresh
//!   processes (engine loading included: end to end), and `grep -o -F -f PATTERNS PATH | wc -l`
//!   with a dozen cue words, alternated and repeated (`--repeat`), medians compared.
//! - the peak resident set size (VmHWM) of this process and of the fresh processes, the core
//!   count, the load average before and after, and CPU seconds per run (which, unlike the wall
//!   time, hardly depend on what else the machine is doing).

use crate::pipeline::{self, Flow, Totals};
use crate::Globals;
use anyhow::Context;
use marsad_extract::Engine;
use marsad_model::Document;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

pub const AFTER_HELP: &str = "\
Without PATH, a corpus of 20,000 articles (about 40 MB) is built in a temporary file from the \
articles under shared/corpus, measured and deleted. Stage times are summed over the threads \
that ran them; normalisation and geocoding are apportioned from a sample analysed one article \
at a time.

Examples:
  marsad bench                                              build, measure, delete
  marsad bench --build-corpus 20000 --out /tmp/bench.jsonl  only build the corpus
  marsad bench /tmp/bench.jsonl --run --compare-grep        extract, run, and grep for comparison
  marsad bench news/ --threads 1                            one core";

/// The dozen cue words `--compare-grep` looks for: finding each of them is the least any
/// extractor has to do.
pub const CUES: [&str; 12] =
    ["مقتل", "قتلى", "إصابة", "جرحى", "اعتقال", "قصف", "انفجار", "هجوم", "اشتباكات", "استهداف", "غارة", "عبوة"];

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Corpus to measure: files or directories, as for `extract` (default: a temporary 20,000
    /// article corpus).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Build a benchmark corpus of N articles into --out (then measure it only if PATH is given).
    #[arg(long, value_name = "N", requires = "out")]
    pub build_corpus: Option<usize>,

    /// Where --build-corpus writes (JSON Lines).
    #[arg(long, value_name = "FILE", requires = "build_corpus")]
    pub out: Option<PathBuf>,

    /// Articles whose headlines and paragraphs make the corpus (default: the first
    /// shared/corpus found from the current directory upwards).
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,

    /// Seed of the corpus builder.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Also time `run` into a fresh SQLite file.
    #[arg(long)]
    pub run: bool,

    /// Also time fresh `marsad extract`/`run` processes and `grep -o -F -f PATTERNS PATH | wc -l`.
    #[arg(long)]
    pub compare_grep: bool,

    /// Rounds of the fresh-process comparison (medians are reported).
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub repeat: usize,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Documents per batch.
    #[arg(long, default_value_t = pipeline::CHUNK, value_name = "N")]
    pub chunk: usize,

    /// Articles analysed one at a time for the stage split.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub sample: usize,
}

/// `marsad bench …`
pub fn bench(g: &Globals, a: &BenchArgs) -> anyhow::Result<ExitCode> {
    crate::pipeline::start_workers(a.threads)?;
    let mut temp: Option<tempfile::TempDir> = None;
    let path = match (&a.path, a.build_corpus, &a.out) {
        (path, Some(n), Some(out)) => {
            let from = corpus_dir(a.from.as_deref())?;
            let built = build_corpus(&from, n, a.seed, out)?;
            println!(
                "built {}: {} articles, {:.1} MB, paragraphs of {} articles in {}",
                out.display(),
                built.articles,
                mb(built.bytes),
                built.sources,
                from.display()
            );
            match path {
                Some(p) => p.clone(),
                None => return Ok(ExitCode::SUCCESS),
            }
        }
        (Some(p), _, _) => p.clone(),
        (None, _, _) => {
            let from = corpus_dir(a.from.as_deref())?;
            let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
            let file = dir.path().join("bench.jsonl");
            let built = build_corpus(&from, 20_000, a.seed, &file)?;
            println!(
                "built a temporary corpus: {} articles, {:.1} MB from {}",
                built.articles,
                mb(built.bytes),
                from.display()
            );
            temp = Some(dir);
            file
        }
    };
    let paths = vec![path.clone()];
    let flow = Flow { chunk: a.chunk.max(1), ..Flow::default() };

    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "machine: {cores} cores, {} worker threads; load average {}",
        rayon::current_num_threads(),
        load_average()
    );

    let t = Instant::now();
    let engine = pipeline::load_engine(g.gazetteer.as_deref())?;
    let engine_load = t.elapsed();
    println!("engine: loaded in {:.2} s", engine_load.as_secs_f64());

    // extract, in this process
    let quiet = Globals { gazetteer: g.gazetteer.clone(), quiet: true };
    let cpu0 = cpu_self();
    let mut sink = Counting::default();
    let x = pipeline::extract_to(&quiet, &paths, &mut sink, "the benchmark sink", flow, Some(&engine))?;
    let x_cpu = cpu_self() - cpu0;
    let mib_in = mb(x.bytes_in);
    println!(
        "extract: {} articles, {:.1} MB in {:.2} s: {:.0} articles/s, {:.1} MB/s ({:.2} CPU s; {} events, {} tallies, \
         {:.1} MB of records; {} inputs failed)",
        x.docs,
        mib_in,
        secs(x.wall),
        per_sec(x.docs, x.wall),
        mib_in / secs(x.wall),
        x_cpu,
        x.events,
        x.tallies,
        mb(sink.bytes),
        x.input_errors + x.failed_docs
    );

    println!("  peak RSS so far: {} (VmHWM)", rss());
    let split = stage_split(&engine, &paths, a.sample);
    print_stages(&x, &split, None);

    if a.run {
        let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
        let db = dir.path().join("bench.db");
        let mut store = marsad_store::open(&db.display().to_string()).context("cannot open the benchmark database")?;
        let cpu0 = cpu_self();
        // As `marsad run`: incidents linked in rounds while storing, the rest after.
        let along = Flow { link_every: Some(crate::incidents::ROUND_EVENTS), ..flow };
        let r = pipeline::run_into(&quiet, &paths, store.as_mut(), along, Some(&engine))?;
        let r_cpu = cpu_self() - cpu0;
        let size = dir_size(dir.path());
        println!(
            "run: {} articles stored in {:.2} s: {:.0} articles/s ({:.2} CPU s; {} events; database {:.1} MB)",
            r.store.inserted + r.store.replaced,
            secs(r.wall),
            per_sec(r.docs, r.wall),
            r_cpu,
            r.events,
            mb(size)
        );
        print_stages(&r, &split, Some("store"));
        println!(
            "  incident linking while storing: {} rounds of {} events, {:.2} s",
            r.linked.rounds,
            crate::incidents::ROUND_EVENTS,
            secs(r.link)
        );
        println!("  peak RSS so far: {}", rss());
        // What `marsad run` does last: link the rest, build the incidents' records.
        let cpu0 = cpu_self();
        let t = Instant::now();
        crate::incidents::finish_linking(&quiet, store.as_mut(), r.linked)?;
        drop(store);
        println!(
            "  then the rest of the linking: {:.2} s ({:.2} CPU s); run with linking: {:.0} articles/s",
            secs(t.elapsed()),
            cpu_self() - cpu0,
            per_sec(r.docs, r.wall + t.elapsed())
        );
        println!("  peak RSS so far: {}", rss());
    }

    if a.compare_grep {
        compare(g, &path, a.repeat.max(1), a.threads)?;
    }

    println!("load average now {}", load_average());
    drop(temp);
    Ok(ExitCode::SUCCESS)
}

/// Shares of the engine's analysis, from articles analysed one at a time.
#[derive(Debug, Default, Clone, Copy)]
struct Split {
    articles: usize,
    normalise: f64,
    geocode: f64,
    /// The whole analysis (normalisation and geocoding included).
    analyse: f64,
}

fn stage_split(engine: &Engine, paths: &[PathBuf], sample: usize) -> Split {
    let docs: Vec<Document> =
        marsad_ingest::stream_paths(paths).filter_map(Result::ok).take(sample.max(1)).collect();
    let mut s = Split { articles: docs.len(), ..Split::default() };
    for doc in &docs {
        let t0 = Instant::now();
        let norm = marsad_text::normalize(&doc.text);
        let t1 = Instant::now();
        let geo = marsad_geo::DocGeo::new(&engine.gazetteer, &norm);
        let t2 = Instant::now();
        let out = pipeline::process_one(engine, doc);
        let t3 = Instant::now();
        let _ = std::hint::black_box((geo, out));
        s.normalise += (t1 - t0).as_secs_f64();
        s.geocode += (t2 - t1).as_secs_f64();
        s.analyse += (t3 - t2).as_secs_f64();
    }
    s
}

fn print_stages(t: &Totals, s: &Split, write_name: Option<&str>) {
    let analyse = secs(t.analyse);
    let (norm, geo) = if s.analyse > 0.0 {
        (analyse * (s.normalise / s.analyse).min(1.0), analyse * (s.geocode / s.analyse).min(1.0))
    } else {
        (0.0, 0.0)
    };
    let extract = (analyse - norm - geo).max(0.0);
    let read = secs(t.read);
    let write = secs(t.write);
    let total = read + analyse + write;
    let line = |name: &str, v: f64| {
        println!("    {name:<10} {v:>8.2} s  {:>5.1}%", if total > 0.0 { 100.0 * v / total } else { 0.0 });
    };
    println!(
        "  stages (seconds summed over threads; normalise and geocode apportioned from {} articles analysed alone):",
        s.articles
    );
    line("read", read);
    line("normalise", norm);
    line("extract", extract);
    line("geocode", geo);
    line(write_name.unwrap_or("write"), write);
}

/// Times fresh `marsad extract`, `marsad run` and grep processes, alternated.
fn compare(g: &Globals, path: &Path, repeat: usize, threads: Option<usize>) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find the marsad executable")?;
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let patterns = dir.path().join("PATTERNS");
    std::fs::write(&patterns, CUES.join("\n") + "\n").context("cannot write the patterns")?;
    let docs = marsad_ingest::stream_paths(&[path.to_path_buf()]).filter(Result::is_ok).count();
    let mut grep_runs = Vec::new();
    let mut extract_runs = Vec::new();
    let mut run_runs = Vec::new();
    let mut matches = String::new();
    for round in 0..repeat {
        // grep
        let cpu0 = cpu_children();
        let t = Instant::now();
        let o = Command::new("sh")
            .arg("-c")
            .arg("grep -o -F -f \"$1\" \"$2\" | wc -l")
            .arg("sh")
            .arg(&patterns)
            .arg(path)
            .stderr(Stdio::inherit())
            .output()
            .context("cannot run grep")?;
        grep_runs.push(Run { wall: t.elapsed(), cpu: cpu_children() - cpu0, rss_kib: None });
        matches = String::from_utf8_lossy(&o.stdout).trim().to_string();

        // marsad extract, end to end
        let mut cmd = Command::new(&exe);
        if let Some(gz) = &g.gazetteer {
            cmd.arg("--gazetteer").arg(gz);
        }
        if let Some(n) = threads {
            cmd.env("RAYON_NUM_THREADS", n.to_string());
        }
        cmd.arg("-v").arg("extract").arg(path).arg("-o").arg("/dev/null");
        extract_runs.push(timed_child(cmd)?);

        // marsad run, end to end, into a fresh database
        let db = dir.path().join(format!("run{round}.db"));
        let mut cmd = Command::new(&exe);
        if let Some(gz) = &g.gazetteer {
            cmd.arg("--gazetteer").arg(gz);
        }
        if let Some(n) = threads {
            cmd.env("RAYON_NUM_THREADS", n.to_string());
        }
        cmd.arg("-v").arg("run").arg(path).arg("--db").arg(&db);
        run_runs.push(timed_child(cmd)?);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    let (gm, xm, rm) = (median(&grep_runs), median(&extract_runs), median(&run_runs));
    println!("fresh processes, median of {repeat} alternated rounds ({docs} articles; wall / CPU seconds):");
    println!(
        "  grep -o -F -f PATTERNS FILE | wc -l   {:>7.3} s / {:.2} s   ({} cue words, {matches} matches)",
        secs(gm.wall),
        gm.cpu,
        CUES.len()
    );
    for (name, r) in [("marsad extract FILE -o /dev/null", xm), ("marsad run FILE --db NEW.db", rm)] {
        println!(
            "  {name:<36} {:>7.3} s / {:.2} s   {:.0} articles/s; {:.0} articles per CPU second; peak RSS {} MB",
            secs(r.wall),
            r.cpu,
            per_sec(docs, r.wall),
            docs as f64 / r.cpu.max(1e-9),
            r.rss_kib.map_or("?".into(), |k| format!("{:.0}", k as f64 / 1024.0))
        );
    }
    println!(
        "  marsad extract / grep: {:.1}× the wall time ({:.1}× the CPU time)",
        secs(xm.wall) / secs(gm.wall).max(1e-9),
        xm.cpu / gm.cpu.max(1e-9)
    );
    Ok(())
}

#[derive(Debug, Clone, Copy)]
struct Run {
    wall: Duration,
    /// User and system CPU seconds.
    cpu: f64,
    rss_kib: Option<u64>,
}

fn median(runs: &[Run]) -> Run {
    let mut v = runs.to_vec();
    v.sort_by_key(|r| r.wall);
    v[v.len() / 2]
}

/// Runs a marsad process (with `-v`), returning its wall and CPU time and the peak RSS it logs.
fn timed_child(mut cmd: Command) -> anyhow::Result<Run> {
    let cpu0 = cpu_children();
    let t = Instant::now();
    let o = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).output().context("cannot run marsad")?;
    let wall = t.elapsed();
    let cpu = cpu_children() - cpu0;
    let err = String::from_utf8_lossy(&o.stderr);
    if !o.status.success() {
        let last = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
        anyhow::bail!("{:?} failed: {last}", cmd.get_args().collect::<Vec<_>>());
    }
    let rss_kib = err
        .lines()
        .find_map(|l| l.split("peak RSS ").nth(1))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok());
    Ok(Run { wall, cpu, rss_kib })
}

/// CPU seconds (user + system) of this process (`own`) or of its waited-for children.
fn cpu_ticks(own: bool) -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return 0.0 };
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the command name: state is field 3 of proc(5); utime 14, stime 15, cutime 16, cstime 17.
    let (u, s) = if own { (11, 12) } else { (13, 14) };
    let get = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // USER_HZ is 100 on Linux.
    (get(u) + get(s)) / 100.0
}

fn cpu_self() -> f64 {
    cpu_ticks(true)
}

fn cpu_children() -> f64 {
    cpu_ticks(false)
}

/// The peak RSS of this process so far, for the report.
fn rss() -> String {
    pipeline::peak_rss_kib().map_or("?".into(), |k| format!("{:.0} MB", k as f64 / 1024.0))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn per_sec(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

/// An output that only counts what is written to it.
#[derive(Default)]
struct Counting {
    bytes: u64,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The directory of real articles: the given one, else the first `shared/corpus` found from
/// the current directory (then the executable) upwards.
fn corpus_dir(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(d) = given {
        if !d.is_dir() {
            anyhow::bail!("--from {}: not a directory", d.display());
        }
        return Ok(d.to_path_buf());
    }
    let rel = Path::new("shared/corpus");
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        roots.extend(cwd.ancestors().map(Path::to_path_buf));
    }
    if let Ok(exe) = std::env::current_exe() {
        roots.extend(exe.ancestors().skip(1).map(Path::to_path_buf));
    }
    roots.into_iter().map(|r| r.join(rel)).find(|p| p.is_dir()).ok_or_else(|| {
        anyhow::anyhow!("no shared/corpus directory found from here upwards: give the articles with --from DIR")
    })
}

/// What [`build_corpus`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Built {
    pub articles: usize,
    pub bytes: u64,
    /// Real articles whose headlines and paragraphs were drawn.
    pub sources: usize,
}

/// A small, seeded generator (SplitMix64): the same seed gives the same corpus everywhere.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Writes `n` benchmark articles to `out` as JSON Lines: each a real headline and real
/// paragraphs of the articles in `from`, drawn at random until the article reaches a size drawn
/// between 1 and 2.6 KB (some 2 KB on average, a news item's length), with a publication date and
/// outlet drawn from the real ones.
pub fn build_corpus(from: &Path, n: usize, seed: u64, out: &Path) -> anyhow::Result<Built> {
    let read = marsad_ingest::read_paths(&[from.to_path_buf()]);
    let mut titles: Vec<&str> = Vec::new();
    let mut paragraphs: Vec<&str> = Vec::new();
    let mut outlets: Vec<&str> = Vec::new();
    let mut dates: Vec<&str> = Vec::new();
    for doc in &read.docs {
        let mut lines = doc.text.lines().map(str::trim).filter(|l| !l.is_empty());
        if let Some(t) = lines.next() {
            titles.push(t);
        }
        paragraphs.extend(lines);
        outlets.extend(doc.given.outlet.as_deref());
        dates.extend(doc.given.published.as_deref());
    }
    if titles.is_empty() || paragraphs.is_empty() {
        anyhow::bail!("{}: no articles to build a corpus from", from.display());
    }
    let file = std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut rng = SplitMix(seed ^ 0x6d61_7273_6164);
    let mut bytes = 0u64;
    let mut text = String::new();
    for i in 0..n {
        text.clear();
        text.push_str(titles[rng.below(titles.len())]);
        let target = 1000 + rng.below(1600);
        while text.len() < target {
            text.push_str("\n\n");
            text.push_str(paragraphs[rng.below(paragraphs.len())]);
        }
        let mut rec = serde_json::json!({ "id": format!("bench-{i:07}"), "text": text });
        if !dates.is_empty() {
            rec["published"] = dates[rng.below(dates.len())].into();
        }
        if !outlets.is_empty() {
            rec["outlet"] = outlets[rng.below(outlets.len())].into();
        }
        let line = rec.to_string();
        bytes += line.len() as u64 + 1;
        w.write_all(line.as_bytes()).and_then(|_| w.write_all(b"\n")).with_context(|| format!("writing {}", out.display()))?;
    }
    w.flush().with_context(|| format!("writing {}", out.display()))?;
    Ok(Built { articles: n, bytes, sources: read.docs.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_seeded_sized_and_made_of_the_source_paragraphs() {
        let src = tempfile::tempdir().unwrap();
        let para = "قالت مصادر محلية إن قصفاً مدفعياً استهدف أطراف البلدة صباح اليوم دون أن يسفر عن إصابات.";
        for k in 0..3 {
            let text = format!("عنوان الخبر رقم {k}\n\n{para} ({k})\n{para} [{k}]\n");
            std::fs::write(src.path().join(format!("a{k}.txt")), text).unwrap();
            std::fs::write(src.path().join(format!("a{k}.meta.json")), r#"{"published": "2021-02-03"}"#).unwrap();
        }
        let out = tempfile::tempdir().unwrap();
        let (a, b, c) = (out.path().join("a.jsonl"), out.path().join("b.jsonl"), out.path().join("c.jsonl"));
        let built = build_corpus(src.path(), 50, 7, &a).unwrap();
        build_corpus(src.path(), 50, 7, &b).unwrap();
        build_corpus(src.path(), 50, 8, &c).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "same seed, same corpus");
        assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
        assert_eq!((built.articles, built.sources), (50, 3));
        assert_eq!(built.bytes, std::fs::metadata(&a).unwrap().len());
        let read = marsad_ingest::read_paths(&[a]);
        assert_eq!((read.docs.len(), read.errors.len()), (50, 0));
        for d in &read.docs {
            assert!(d.text.starts_with("عنوان الخبر رقم"));
            assert!((1000..3300).contains(&d.text.len()), "{}", d.text.len());
            assert!(d.text.split("\n\n").skip(1).all(|p| p.starts_with(para)));
            assert_eq!(d.given.published.as_deref(), Some("2021-02-03"));
        }
    }

    #[test]
    fn cpu_and_memory_readings() {
        assert!(pipeline::peak_rss_kib().unwrap() > 0);
        let t = Instant::now();
        while t.elapsed() < Duration::from_millis(30) {
            std::hint::black_box(t.elapsed());
        }
        assert!(cpu_self() > 0.0);
    }
}
