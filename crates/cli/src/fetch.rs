//! `marsad run URL… [--watch INTERVAL]`: fetches feeds (or single pages) over HTTP and stores
//! their new items.
//!
//! A polite client: one request at a time and at least a second between two requests to the
//! same host, a user agent that names marsad, a connect timeout
//! and an overall timeout per request, a size cap per response, retries with exponential
//! backoff on connection failures, 429 and 5xx (honouring a short `Retry-After`), never on
//! other 4xx, and conditional GET: each URL's `ETag` and `Last-Modified` are sent back as
//! `If-None-Match`/`If-Modified-Since`, so an unchanged feed costs a 304 and no parsing.
//!
//! With `--watch`, the feeds are polled every INTERVAL (`90s`, `15m`, `1h`) until interrupted;
//! only items not seen before are extracted and stored (the store also skips any text it holds
//! already, so a restart adds nothing twice). Local paths given beside URLs are read again at
//! every poll, so files added to a watched directory are stored too; a failure is reported once.

use crate::pipeline::{self, CHUNK};
use crate::Globals;
use anyhow::Context;
use marsad_extract::Engine;
use marsad_ingest::{InputError, Limits, ReadOutcome};
use marsad_model::Document;
use marsad_store::{BatchReport, Ingested, InputFailure, Store};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Whether a command-line input names a URL rather than a path.
pub fn is_url(s: &str) -> bool {
    let l = s.trim_start().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// `90s`, `15m`, `2h`, `1d`, or plain seconds.
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num.parse().map_err(|_| format!("invalid interval {s:?} (examples: 90s, 15m, 1h)"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "m" | "min" => n * 60,
        "h" => n * 3600,
        "d" => n * 86400,
        other => return Err(format!("invalid interval unit {other:?} in {s:?} (use s, m, h or d)")),
    };
    if secs == 0 {
        return Err("the interval must be at least 1s".into());
    }
    Ok(Duration::from_secs(secs))
}

/// What one fetch gave.
#[derive(Debug)]
pub enum Fetched {
    Body { bytes: Vec<u8>, content_type: Option<String> },
    /// 304: unchanged since the last fetch.
    NotModified,
}

/// The validators a server gave for a URL.
#[derive(Debug, Clone, Default)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

/// An HTTP client that remembers each URL's validators.
pub struct Fetcher {
    agent: ureq::Agent,
    validators: HashMap<String, Validators>,
    /// Attempts after the first.
    pub retries: u32,
    /// Wait before the first retry; doubled for each next one.
    pub backoff: Duration,
    /// Least time between two requests to the same host.
    pub spacing: Duration,
    last_request: HashMap<String, std::time::Instant>,
    max_bytes: u64,
}

pub const USER_AGENT: &str =
    concat!("marsad/", env!("CARGO_PKG_VERSION"), " (Arabic conflict-news observatory; feed reader; polite: conditional GET)");

impl Fetcher {
    pub fn new(limits: &Limits) -> Self {
        let config = ureq::Agent::config_builder()
            .user_agent(USER_AGENT)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .max_redirects(5)
            .build();
        Fetcher {
            agent: config.into(),
            validators: HashMap::new(),
            retries: 3,
            backoff: ms_from_env("MARSAD_FETCH_BACKOFF_MS").unwrap_or(Duration::from_secs(2)),
            spacing: ms_from_env("MARSAD_FETCH_SPACING_MS").unwrap_or(Duration::from_secs(1)),
            last_request: HashMap::new(),
            max_bytes: limits.max_document_bytes,
        }
    }

    /// GETs `url`, conditionally when it was fetched before; retries what may pass.
    pub fn fetch(&mut self, url: &str) -> Result<Fetched, String> {
        let mut wait = self.backoff;
        let mut attempt = 0;
        loop {
            match self.fetch_once(url) {
                Ok(f) => return Ok(f),
                Err(Failure { reason, retry_after, retryable }) => {
                    if !retryable || attempt >= self.retries {
                        let tries = if attempt > 0 { format!(" (after {} attempts)", attempt + 1) } else { String::new() };
                        return Err(format!("{reason}{tries}"));
                    }
                    let pause = retry_after.filter(|d| *d <= Duration::from_secs(120)).unwrap_or(wait);
                    tracing::info!("{url}: {reason}; retrying in {pause:?}");
                    std::thread::sleep(pause);
                    wait *= 2;
                    attempt += 1;
                }
            }
        }
    }

    fn fetch_once(&mut self, url: &str) -> Result<Fetched, Failure> {
        let host = host_of(url);
        if let Some(last) = self.last_request.get(&host) {
            let since = last.elapsed();
            if since < self.spacing {
                std::thread::sleep(self.spacing - since);
            }
        }
        self.last_request.insert(host, std::time::Instant::now());
        let mut req = self.agent.get(url).header("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5");
        if let Some(v) = self.validators.get(url) {
            if let Some(e) = &v.etag {
                req = req.header("If-None-Match", e);
            }
            if let Some(m) = &v.last_modified {
                req = req.header("If-Modified-Since", m);
            }
        }
        let mut resp = req.call().map_err(|e| Failure { reason: one_line(&e.to_string()), retry_after: None, retryable: true })?;
        let status = resp.status().as_u16();
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        match status {
            304 => Ok(Fetched::NotModified),
            200..=299 => {
                let v = Validators { etag: header("etag"), last_modified: header("last-modified") };
                let content_type = header("content-type");
                let bytes = resp
                    .body_mut()
                    .with_config()
                    .limit(self.max_bytes)
                    .read_to_vec()
                    .map_err(|e| Failure { reason: one_line(&e.to_string()), retry_after: None, retryable: false })?;
                if v.etag.is_some() || v.last_modified.is_some() {
                    self.validators.insert(url.to_string(), v);
                }
                Ok(Fetched::Body { bytes, content_type })
            }
            429 | 500..=599 => Err(Failure {
                reason: format!("HTTP {status}"),
                retry_after: header("retry-after").and_then(|s| s.trim().parse().ok()).map(Duration::from_secs),
                retryable: true,
            }),
            _ => Err(Failure { reason: format!("HTTP {status}"), retry_after: None, retryable: false }),
        }
    }
}

/// `MARSAD_FETCH_BACKOFF_MS` (the first retry's wait) and `MARSAD_FETCH_SPACING_MS` (between
/// two requests to one host): tests make them short.
fn ms_from_env(var: &str) -> Option<Duration> {
    std::env::var(var).ok()?.parse().ok().map(Duration::from_millis)
}

/// The host part of a URL (`scheme://host[:port]/…`), for spacing requests.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_ascii_lowercase()
}

struct Failure {
    reason: String,
    retry_after: Option<Duration>,
    retryable: bool,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `marsad run INPUT... [--db …] [--watch INTERVAL]` where some inputs are URLs.
pub fn run(g: &Globals, inputs: &[PathBuf], db: &str, watch: Option<&str>) -> anyhow::Result<ExitCode> {
    let interval = watch.map(parse_interval).transpose().map_err(anyhow::Error::msg)?;
    let (urls, paths): (Vec<&PathBuf>, Vec<&PathBuf>) = inputs.iter().partition(|p| is_url(&p.to_string_lossy()));
    let urls: Vec<String> = urls.iter().map(|u| u.to_string_lossy().trim().to_string()).collect();
    let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
    let mut store = marsad_store::open(db).with_context(|| format!("cannot open database {db}"))?;
    let limits = Limits::default();
    let mut fetcher = Fetcher::new(&limits);
    let mut engine: Option<Engine> = None;
    // (id, content hash) of every item already handled in this process.
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut reported: HashSet<String> = HashSet::new();
    loop {
        // Paths are read again at every poll: new files in a watched directory are new items.
        let mut outcome = if paths.is_empty() { ReadOutcome::default() } else { pipeline::read_inputs(&paths) };
        let mut unchanged = 0;
        for url in &urls {
            match fetcher.fetch(url) {
                Ok(Fetched::NotModified) => unchanged += 1,
                Ok(Fetched::Body { bytes, content_type }) => {
                    let got = marsad_ingest::read_body(&bytes, content_type.as_deref(), url, &limits);
                    outcome.errors.extend(got.errors);
                    outcome.docs.extend(got.docs);
                }
                Err(reason) => outcome.errors.push(InputError { origin: url.clone(), reason }),
            }
        }
        // Only what this process has not handled yet, and each failure reported once.
        outcome.docs.retain(|d| seen.insert((d.id.clone(), marsad_store::content_hash(&d.text))));
        outcome.errors.retain(|e| reported.insert(e.to_string()));
        let failures = store_outcome(g, store.as_mut(), &mut engine, &outcome)?;
        if !g.quiet && !urls.is_empty() && unchanged > 0 {
            eprintln!("marsad: {unchanged} of {} feeds unchanged since the last poll", urls.len());
        }
        match interval {
            None => return Ok(if failures == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) }),
            Some(d) => std::thread::sleep(d),
        }
    }
}

/// Stores the documents of `outcome` (skipping texts stored already) and logs its failed
/// inputs; prints one line per failure and a summary. Returns the number of failures.
fn store_outcome(
    g: &Globals,
    store: &mut dyn Store,
    engine: &mut Option<Engine>,
    outcome: &ReadOutcome,
) -> anyhow::Result<usize> {
    for e in &outcome.errors {
        eprintln!("{e}");
    }
    let logged: Vec<InputFailure> =
        outcome.errors.iter().map(|e| InputFailure { origin: e.origin.clone(), reason: e.reason.clone() }).collect();
    store.record_input_errors(&logged).context("logging input errors")?;
    let hashes: Vec<String> = outcome.docs.iter().map(|d| marsad_store::content_hash(&d.text)).collect();
    let refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
    let known = store.known_hashes(&refs).context("reading the database")?;
    let mut batch_seen: HashSet<&str> = HashSet::new();
    let todo: Vec<(&Document, &str)> = outcome
        .docs
        .iter()
        .zip(&hashes)
        .filter(|(_, h)| !known.contains(h.as_str()) && batch_seen.insert(h.as_str()))
        .map(|(d, h)| (d, h.as_str()))
        .collect();
    let mut total = BatchReport { skipped: outcome.docs.len() - todo.len(), ..Default::default() };
    if !todo.is_empty() && engine.is_none() {
        *engine = Some(pipeline::load_engine(g.gazetteer.as_deref())?);
    }
    if let Some(engine) = engine.as_ref() {
        let bar = pipeline::progress_bar(todo.len(), g.quiet);
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
                        json: None,
                    }
                })
                .collect();
            total.add(store.write_batch(&batch).context("writing to the database")?);
        }
        bar.finish_and_clear();
    }
    let failures = outcome.errors.len() + total.failed;
    if !g.quiet {
        eprintln!("marsad: {}; {failures} inputs failed", crate::pipeline::stored_summary(&total, "new "));
    }
    // As after `run` over files: the new events join incidents (at every poll when watching).
    crate::incidents::finish_linking(g, store, crate::incidents::Linked::default())?;
    Ok(failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_urls() {
        assert_eq!(parse_interval("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_interval("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_interval("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_interval("30"), Ok(Duration::from_secs(30)));
        assert!(parse_interval("0s").is_err());
        assert!(parse_interval("soon").is_err());
        assert!(parse_interval("5 weeks").is_err());
        assert!(is_url("https://example.test/feed"));
        assert!(is_url("HTTP://example.test/feed"));
        assert!(!is_url("news/feed.xml"));
        assert_eq!(host_of("https://News.example.test:8443/rss?x=1"), "news.example.test:8443");
        assert_eq!(host_of("http://a.test"), "a.test");
    }
}
