//! `marsad`: the command-line tool. A thin layer: parse flags, wire the library crates
//! together, report failures one line each. The command contract is shared/spec/cli.md.

mod bench;
mod commands;
mod fetch;
mod incidents;
mod pipeline;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

const ABOUT: &str = "Turns Arabic news reports of armed conflict into an event dataset.";

const LONG_ABOUT: &str = "\
marsad reads Arabic news articles about armed conflict (Syria, Iraq) and turns each report \
into records: who did what to whom, where (a place in the gazetteer, with coordinates) and \
when, with counts of the killed, injured and arrested and the sentences that say so. \
Aggregate figures (\"at least 367 killed since March\") become `tally` records, never events.

Inputs: .txt files (the id is the file name without .txt; an optional NAME.meta.json beside \
it gives {\"published\": \"YYYY-MM-DD\", \"outlet\": …, \"url\": …}), .jsonl files (one \
article per line: {\"id\", \"text\" or \"html\", \"published\"?, \"outlet\"?, \"title\"?}), \
.html pages (the main text is kept), RSS/Atom feeds (.rss, .atom, .xml), .warc/.warc.gz web \
archives, or directories of them (read recursively, in sorted order). `marsad run` also \
fetches feed and page URLs, and with --watch keeps polling them.

Places are resolved with a gazetteer of Syrian places (OCHA, OpenSyria and Syrian Archive \
datasets); see --gazetteer.";

const EXAMPLES: &str = "\
Examples:
  marsad extract examples/corpus               print the records of the example articles (JSON Lines)
  marsad run examples/corpus                   store them in ./marsad.db (run it again: nothing is added twice)
  marsad export --format csv --out events.csv  write the stored events as a CSV table
  marsad places حلب                            look a place up in the gazetteer
  marsad eval ../shared/gold/seeds.gold.jsonl --docs ../shared/corpus/seeds

Exit status: 0 when every input was read; 1 when an input failed (one line per failed input on \
stderr; the others are still processed) or on any other error; 2 for a usage error.
Run `marsad help COMMAND` for the details of a command.";

#[derive(Debug, Parser)]
#[command(name = "marsad", version, about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
struct Cli {
    /// Gazetteer directory (OCHA / OpenSyria / Syrian Archive files). Default: $MARSAD_GAZETTEER,
    /// else the first shared/data/gazetteer found from the current directory upwards.
    #[arg(long, global = true, value_name = "DIR")]
    gazetteer: Option<PathBuf>,

    /// Print nothing on stderr but errors (no progress bar, no summary).
    #[arg(short, long, global = true)]
    quiet: bool,

    /// Log what happens on stderr (-v: steps and timings, -vv: debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read articles and print their records as JSON Lines on stdout; nothing is stored.
    #[command(after_help = "\
Prints, for each document in input order, its `doc` record, then its `event` and `tally` \
records (shared/spec/export.md).

Example:
  marsad extract examples/corpus > records.jsonl
  marsad extract -o records.jsonl article.txt more-articles.jsonl news/")]
    Extract {
        /// Files or directories to read (directories are read recursively, in sorted order).
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,

        /// Write the records to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
    },

    /// Read articles, extract their records and store them in a database.
    #[command(after_help = "\
A document whose text is already stored is skipped, so running again over the same input adds \
nothing twice; a document whose id is stored with different text is replaced. Failed inputs \
are reported on stderr and logged in the database.

Example:
  marsad run examples/corpus
  marsad run --db data/archive.db news/2020/")]
    Run {
        /// Files or directories to read, or feed/page URLs (http:// or https://) to fetch.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,

        /// Database: a SQLite file (created when absent) or a postgres:// URL (not built yet).
        #[arg(long, default_value = "marsad.db", value_name = "FILE_OR_URL")]
        db: String,

        /// Keep polling the URLs every INTERVAL (90s, 15m, 1h) and store new items only.
        #[arg(long, value_name = "INTERVAL")]
        watch: Option<String>,
    },

    /// Write the stored records as JSON Lines, CSV or GeoJSON.
    #[command(after_help = "\
Formats:
  jsonl    doc, event and tally records, exactly as `marsad extract` prints them
  csv      one row per event: ACLED-like columns, ACLED and GTD categories, an English summary
  geojson  a FeatureCollection of the events that have coordinates

Example:
  marsad export --format csv --out events.csv
  marsad export --db data/archive.db --format geojson > events.geojson")]
    Export {
        /// Database to read (see `marsad run`).
        #[arg(long, default_value = "marsad.db", value_name = "FILE_OR_URL")]
        db: String,

        /// Output format.
        #[arg(long, value_enum)]
        format: FormatArg,

        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
    },

    /// Score extraction against a gold file (same figures and rules as shared/tools/score.py).
    #[command(after_help = "\
Without --system, marsad first extracts the documents of --docs itself. With --floors and \
--set, exits 1 when a figure falls below its floor for that set.

Example:
  marsad eval ../shared/gold/seeds.gold.jsonl --docs ../shared/corpus/seeds
  marsad eval gold.jsonl --docs corpus/ --system records.jsonl
  marsad eval ../shared/gold/dev.gold.jsonl --docs ../shared/corpus/dev --floors quality/floors.toml --set dev")]
    Eval {
        /// Gold annotations (JSON Lines).
        #[arg(value_name = "GOLD")]
        gold: PathBuf,

        /// Directory of the documents the gold file annotates.
        #[arg(long, value_name = "DIR")]
        docs: PathBuf,

        /// Records to score (JSON Lines, as `marsad extract` prints); default: extract --docs now.
        #[arg(long, value_name = "FILE")]
        system: Option<PathBuf>,

        /// Print the figures as one JSON object (as `score.py --json`).
        #[arg(long)]
        json: bool,

        /// First list the missed gold events, false positives and wrong fields (what
        /// `score.py --verbose` prints; the system's JSON is shown with its keys sorted).
        #[arg(long)]
        explain: bool,

        /// Quality floors file (TOML); requires --set.
        #[arg(long, value_name = "FILE", requires = "set")]
        floors: Option<PathBuf>,

        /// Which set of floors in --floors applies (e.g. seeds, dev).
        #[arg(long, value_name = "NAME", requires = "floors")]
        set: Option<String>,
    },

    /// Look places up in the gazetteer, or check the gazetteer data (`marsad places check`).
    #[command(after_help = "\
Prints one line per matching place, best first: id, Arabic name, English name, level, \
governorate, coordinates. `marsad places check` validates the loaded data instead \
(duplicates, points outside their governorate, missing names) and exits 1 on problems.

Example:
  marsad places الرشوانية
  marsad places \"Deir-ez-Zor\"
  marsad --gazetteer /data/gazetteer places check")]
    Places {
        /// A place name (Arabic or English), or the word `check`.
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
    },

    /// Incidents: events of different documents that tell the same happening (linked after
    /// every `marsad run`); list, show, explain, merge, split, relink.
    #[command(after_help = "\
Example:
  marsad incidents                          list the incidents (id, date, type, place, sources, killed low/best/high)
  marsad incidents explain in-5f18f0b20ebd9906
  marsad incidents merge in-aaaa in-bbbb    B's events join A, and stay there on later runs
  marsad incidents split in-aaaa ev-doc-1   move an event out into an incident of its own")]
    Incidents {
        /// Database to read (see `marsad run`).
        #[arg(long, default_value = "marsad.db", value_name = "FILE_OR_URL")]
        db: String,

        #[command(subcommand)]
        action: Option<incidents::Action>,
    },

    /// Measure speed (articles/s, MB/s, time per stage) and peak memory; build a benchmark corpus.
    #[command(after_help = bench::AFTER_HELP)]
    Bench(bench::BenchArgs),

    /// HTTP API and dashboard over the database (not yet implemented).
    Serve {
        /// Database to serve.
        #[arg(long, default_value = "marsad.db", value_name = "FILE_OR_URL")]
        db: String,

        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
    Geojson,
}

impl From<FormatArg> for marsad_store::export::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Jsonl => marsad_store::export::Format::Jsonl,
            FormatArg::Csv => marsad_store::export::Format::Csv,
            FormatArg::Geojson => marsad_store::export::Format::Geojson,
        }
    }
}

/// Global settings every command sees.
pub struct Globals {
    pub gazetteer: Option<PathBuf>,
    pub quiet: bool,
}

fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("MARSAD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .without_time()
        .try_init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    // A panic inside one document's analysis is caught and reported as that input's failure
    // (one line); keep the default multi-line panic report for -vv.
    std::panic::set_hook(Box::new(|info| tracing::debug!("panic: {info}")));

    let globals = Globals { gazetteer: cli.gazetteer, quiet: cli.quiet };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli.command, &globals)));
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("marsad: error: {}", one_line(&e));
            ExitCode::from(1)
        }
        Err(_) => {
            eprintln!("marsad: internal error (run with -vv for details)");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command, g: &Globals) -> anyhow::Result<ExitCode> {
    match command {
        Command::Extract { paths, out } => {
            pipeline::start_workers(None)?;
            commands::extract(g, &paths, out.as_deref())
        }
        Command::Run { paths, db, watch } => {
            pipeline::start_workers(None)?;
            if watch.is_some() || paths.iter().any(|p| fetch::is_url(&p.to_string_lossy())) {
                fetch::run(g, &paths, &db, watch.as_deref())
            } else {
                commands::run(g, &paths, &db)
            }
        }
        Command::Export { db, format, out } => commands::export(g, &db, format.into(), out.as_deref()),
        Command::Eval { gold, docs, system, json, explain, floors, set } => commands::eval(
            g,
            &gold,
            &docs,
            system.as_deref(),
            floors.as_deref().zip(set.as_deref()),
            commands::EvalOutput { json, verbose: explain },
        ),
        Command::Places { query } => commands::places(g, &query),
        Command::Bench(args) => bench::bench(g, &args),
        Command::Incidents { db, action } => incidents::command(g, &db, action),
        Command::Serve { db, addr } => {
            eprintln!("marsad serve (--db {db}, --addr {addr}): not yet implemented");
            Ok(ExitCode::from(2))
        }
    }
}

/// The error and its causes on one line, each cause once: libraries often repeat their
/// source's message in their own (`database: unable to open…` caused by `unable to open…`).
fn one_line(e: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // "Error code 14: unable to open database file" adds only the code.
        let core = match text.strip_prefix("Error code ") {
            Some(rest) => rest.split_once(": ").map_or(rest, |(_, m)| m),
            None => &text,
        };
        if text.is_empty() || msg.contains(core) {
            continue;
        }
        if !msg.is_empty() {
            msg.push_str(": ");
        }
        msg.push_str(&text);
    }
    msg
}

/// Output closed early by the reader (`marsad extract … | head`): not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || matches!(
                c.downcast_ref::<marsad_store::StoreError>(),
                Some(marsad_store::StoreError::Io(io)) if io.kind() == std::io::ErrorKind::BrokenPipe
            )
    })
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn one_line_names_each_cause_once() {
        let inner = std::io::Error::other("unable to open database file: x.db");
        let e = anyhow::Error::new(inner).context("database: unable to open database file: x.db");
        let e = e.context("cannot open database x.db");
        assert_eq!(one_line(&e), "cannot open database x.db: database: unable to open database file: x.db");
        let e = anyhow::anyhow!("Error code 14: unable to open\nfile").context("a.db: unable to open file");
        assert_eq!(one_line(&e), "a.db: unable to open file");
        let e = anyhow::anyhow!("no such file").context("reading gold.jsonl");
        assert_eq!(one_line(&e), "reading gold.jsonl: no such file");
    }
}
