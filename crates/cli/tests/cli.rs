//! The `marsad` binary end to end: every command of shared/spec/cli.md on the invented example
//! corpus (examples/corpus), idempotent `run`, exports, exit codes and one-line errors on bad
//! input, and `eval` against the reference scorer on the shared sets.
//!
//! Tests that need ../shared (or python3) say so and pass when it is absent
//! (`MARSAD_SHARED=/path/to/shared` points elsewhere).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn examples() -> PathBuf {
    repo().join("examples/corpus")
}

fn shared() -> PathBuf {
    match std::env::var_os("MARSAD_SHARED") {
        Some(p) => PathBuf::from(p),
        None => repo().join("../shared"),
    }
}

fn shared_gazetteer() -> Option<PathBuf> {
    let g = shared().join("data/gazetteer");
    g.is_dir().then_some(g)
}

/// `marsad ARGS` run in `dir`, with the shared gazetteer when present (else the built-in layer).
fn marsad_in(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marsad"));
    cmd.current_dir(dir).args(args).env_remove("MARSAD_LOG");
    match shared_gazetteer() {
        Some(g) => cmd.env("MARSAD_GAZETTEER", g),
        None => cmd.env_remove("MARSAD_GAZETTEER"),
    };
    cmd.output().expect("marsad runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 stderr")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn records(jsonl: &str) -> Vec<Value> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn ex() -> String {
    examples().display().to_string()
}

/// Documents in the example corpus: four .txt articles and two JSON Lines items.
const EXAMPLE_DOCS: usize = 6;

#[test]
fn extract_prints_records_in_input_order_and_deterministically() {
    let dir = tmp();
    let a = marsad_in(dir.path(), &["-q", "extract", &ex()]);
    assert_eq!(code(&a), 0, "{}", stderr(&a));
    assert_eq!(stderr(&a), "", "-q prints nothing but errors");
    let recs = records(&stdout(&a));
    let docs: Vec<&str> = recs.iter().filter(|r| r["kind"] == "doc").map(|r| r["doc"].as_str().unwrap()).collect();
    assert_eq!(docs.len(), EXAMPLE_DOCS, "{docs:?}");
    // directories are read in sorted order; a JSON Lines file's items in line order
    assert_eq!(docs[0], "2023-03-14_sarmada_bombing");
    assert!(docs.contains(&"brief-2023-07-02-weather"));
    // every record belongs to the doc record before it
    let mut current = "";
    for r in &recs {
        match r["kind"].as_str().unwrap() {
            "doc" => current = r["doc"].as_str().unwrap(),
            "event" | "tally" => assert_eq!(r["doc"], current, "{r}"),
            other => panic!("unexpected kind {other}"),
        }
    }
    // the sidecar's date is the publication date
    assert_eq!(recs[0]["published"]["date"], "2023-03-14");

    // parallel extraction, same bytes every time; -o writes what stdout would have shown
    let b = marsad_in(dir.path(), &["-q", "extract", &ex()]);
    assert_eq!(a.stdout, b.stdout, "output order must not depend on thread scheduling");
    let out = dir.path().join("records.jsonl");
    let c = marsad_in(dir.path(), &["extract", &ex(), "-o", out.to_str().unwrap()]);
    assert_eq!(code(&c), 0, "{}", stderr(&c));
    assert!(c.stdout.is_empty());
    assert_eq!(std::fs::read(&out).unwrap(), a.stdout);
    assert!(stderr(&c).contains("records.jsonl"), "summary names the file: {}", stderr(&c));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = tmp();
    let o = marsad_in(dir.path(), &["extract", &ex()]);
    assert_eq!(code(&o), 0);
    let err = stderr(&o);
    assert!(!err.contains('\r') && !err.contains("documents ["), "progress drawn on a pipe: {err:?}");
}

#[test]
fn run_twice_stores_each_document_once_and_exports_it() {
    let dir = tmp();
    let first = marsad_in(dir.path(), &["run", &ex()]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(dir.path().join("marsad.db").is_file(), "default database is ./marsad.db");
    assert!(stderr(&first).contains(&format!("{EXAMPLE_DOCS} documents stored")), "{}", stderr(&first));
    let export1 = marsad_in(dir.path(), &["export", "--format", "jsonl"]);
    assert_eq!(code(&export1), 0, "{}", stderr(&export1));

    let second = marsad_in(dir.path(), &["run", &ex()]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert!(
        stderr(&second).contains(&format!("0 documents stored (0 events, 0 tallies), 0 replaced, {EXAMPLE_DOCS} already stored")),
        "{}",
        stderr(&second)
    );
    let export2 = marsad_in(dir.path(), &["export", "--format", "jsonl"]);
    assert_eq!(export1.stdout, export2.stdout, "a second run changed the stored records");

    // what is stored is exactly what extract prints (the export adds the incidents the
    // cross-source linker made of the stored events)
    let extracted = marsad_in(dir.path(), &["-q", "extract", &ex()]);
    let without_incidents: String = stdout(&export1).lines().filter(|l| !l.contains("\"kind\":\"incident\"")).map(|l| format!("{l}\n")).collect();
    assert_eq!(without_incidents, stdout(&extracted));
    let recs = records(&stdout(&export2));
    assert_eq!(recs.iter().filter(|r| r["kind"] == "doc").count(), EXAMPLE_DOCS);

    // the same documents given twice in one run are stored once too
    let db2 = dir.path().join("twice.db");
    let db2 = db2.to_str().unwrap();
    let o = marsad_in(dir.path(), &["-q", "run", "--db", db2, &ex(), &ex()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let e = marsad_in(dir.path(), &["export", "--db", db2, "--format", "jsonl"]);
    assert_eq!(e.stdout, export1.stdout);
}

#[test]
fn export_csv_and_geojson() {
    let dir = tmp();
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    assert_eq!(code(&marsad_in(dir.path(), &["-q", "run", "--db", db, &ex()])), 0);
    let jsonl = records(&stdout(&marsad_in(dir.path(), &["export", "--db", db, "--format", "jsonl"])));
    let events: Vec<&Value> = jsonl.iter().filter(|r| r["kind"] == "event").collect();

    let csv_path = dir.path().join("events.csv");
    let o = marsad_in(dir.path(), &["export", "--db", db, "--format", "csv", "--out", csv_path.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let header = csv.lines().next().unwrap();
    for col in ["event_id", "event_date", "event_type", "admin1", "latitude", "fatalities", "notes"] {
        assert!(header.split(',').any(|c| c == col), "no column {col} in {header}");
    }
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(rows, events.len());

    let o = marsad_in(dir.path(), &["export", "--db", db, "--format", "geojson"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let geo: Value = serde_json::from_slice(&o.stdout).expect("GeoJSON is JSON");
    assert_eq!(geo["type"], "FeatureCollection");
    let with_coords = events.iter().filter(|e| e["location"]["lat"].is_number()).count();
    assert_eq!(geo["features"].as_array().unwrap().len(), with_coords);
}

#[test]
fn bad_inputs_fail_one_line_each_and_the_rest_goes_on() {
    let dir = tmp();
    let d = dir.path();
    std::fs::write(d.join("broken.jsonl"), "{\"id\": \"a\", \"text\": \"نص\"}\n{not json\n").unwrap();
    std::fs::write(d.join("notes.pdf"), b"%PDF").unwrap();
    let good = examples().join("2023-06-10_tafas_clash.txt");
    let o = marsad_in(d, &["extract", "missing.txt", "broken.jsonl", "notes.pdf", good.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "a failed input gives a non-zero status");
    let err = stderr(&o);
    for name in ["missing.txt", "broken.jsonl:2", "notes.pdf"] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "one line naming {name}: {err}");
    }
    let docs: Vec<Value> = records(&stdout(&o)).into_iter().filter(|r| r["kind"] == "doc").collect();
    let ids: Vec<&str> = docs.iter().map(|r| r["doc"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "2023-06-10_tafas_clash"], "the good inputs are still processed");

    // run: same status, good documents stored
    let o = marsad_in(d, &["run", "missing.txt", good.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).lines().any(|l| l.starts_with("missing.txt")), "{}", stderr(&o));
    let e = marsad_in(d, &["export", "--format", "jsonl"]);
    assert_eq!(records(&stdout(&e)).iter().filter(|r| r["kind"] == "doc").count(), 1);
}

#[test]
fn errors_name_the_file_and_usage_errors_exit_2() {
    let dir = tmp();
    let d = dir.path();
    let one_line = |o: &Output, name: &str| {
        assert_eq!(code(o), 1, "{}", stderr(o));
        let err = stderr(o);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains(name), "names {name}: {err}");
    };
    one_line(&marsad_in(d, &["export", "--db", "none.db", "--format", "csv"]), "none.db");
    assert!(!d.join("none.db").exists(), "export must not create a database");
    one_line(&marsad_in(d, &["run", "--db", "no/such/dir/x.db", &ex()]), "no/such/dir/x.db");
    one_line(&marsad_in(d, &["extract", &ex(), "-o", "no/such/dir/out.jsonl"]), "no/such/dir/out.jsonl");
    one_line(&marsad_in(d, &["eval", "gold.jsonl", "--docs", &ex()]), "gold.jsonl");
    std::fs::write(d.join("bad.gold.jsonl"), "{\"kind\": \"doc\"}\n\n[oops\n").unwrap();
    one_line(&marsad_in(d, &["eval", "bad.gold.jsonl", "--docs", &ex()]), "bad.gold.jsonl:3");
    one_line(&marsad_in(d, &["eval", "bad.gold.jsonl", "--docs", "nodir"]), "nodir");
    one_line(&marsad_in(d, &["--gazetteer", "nogaz", "extract", &ex()]), "nogaz");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marsad"));
    let o = cmd.current_dir(d).env("MARSAD_GAZETTEER", "gone").args(["extract", &ex()]).output().unwrap();
    one_line(&o, "MARSAD_GAZETTEER=gone");

    for args in [&["extract"][..], &["export", "--format", "xml"], &["frobnicate"], &[]] {
        let o = marsad_in(d, args);
        assert_eq!(code(&o), 2, "usage error for {args:?}: {}", stderr(&o));
    }
}

#[test]
fn help_explains_every_command() {
    let dir = tmp();
    let o = marsad_in(dir.path(), &["--help"]);
    assert_eq!(code(&o), 0);
    let help = stdout(&o);
    for cmd in ["extract", "run", "export", "eval", "places", "serve", "--gazetteer", "-q", "Exit status"] {
        assert!(help.contains(cmd), "--help mentions {cmd}");
    }
    for cmd in ["extract", "run", "export", "eval", "places"] {
        let o = marsad_in(dir.path(), &[cmd, "--help"]);
        assert_eq!(code(&o), 0);
        assert!(stdout(&o).contains("Example"), "`{cmd} --help` has an example");
    }
}

#[test]
fn places_lookup_and_check() {
    let dir = tmp();
    let o = marsad_in(dir.path(), &["places", "no-such-place-anywhere"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("no place matches"), "{}", stderr(&o));
    let o = marsad_in(dir.path(), &["places", "check"]);
    assert!(matches!(code(&o), 0 | 1), "{}", stderr(&o));
    assert!(stderr(&o).contains("places loaded"), "{}", stderr(&o));
    // a place every Syrian gazetteer has, once the loaders read the shared data
    let o = marsad_in(dir.path(), &["places", "حلب"]);
    if code(&o) == 0 {
        let first = stdout(&o).lines().next().unwrap_or("").to_string();
        assert!(first.contains("حلب") && first.contains('\t'), "{first}");
    } else {
        println!("NOTE: حلب not found in the loaded gazetteer ({})", stderr(&o).trim());
    }
}

fn score_py(set: &str, system: &Path) -> Option<String> {
    let root = shared();
    let o = Command::new("python3")
        .arg(root.join("tools/score.py"))
        .arg(root.join(format!("gold/{set}.gold.jsonl")))
        .arg(system)
        .arg("--docs")
        .arg(root.join(format!("corpus/{set}")))
        .arg("--json")
        .output()
        .ok()?;
    assert!(o.status.success(), "score.py: {}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8(o.stdout).unwrap())
}

/// `marsad eval` and score.py on the current extractor's output: every figure the same.
#[test]
fn eval_prints_the_figures_of_score_py() {
    let root = shared();
    if !root.join("tools/score.py").is_file() {
        println!("SKIPPED: no {}/tools/score.py", root.display());
        return;
    }
    if !Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success()) {
        println!("SKIPPED: python3 not found");
        return;
    }
    let dir = tmp();
    for set in ["seeds", "dev"] {
        let gold = root.join(format!("gold/{set}.gold.jsonl"));
        let docs = root.join(format!("corpus/{set}"));
        if !gold.is_file() || !docs.is_dir() {
            println!("SKIPPED set {set}: not in {}", root.display());
            continue;
        }
        let (gold, docs) = (gold.to_str().unwrap(), docs.to_str().unwrap());
        let system = dir.path().join(format!("{set}.jsonl"));
        let o = marsad_in(dir.path(), &["-q", "extract", docs, "-o", system.to_str().unwrap()]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let reference = score_py(set, &system).expect("python3 runs");

        // marsad extracting by itself, and marsad scoring the same file
        let own = marsad_in(dir.path(), &["-q", "eval", gold, "--docs", docs, "--json"]);
        assert_eq!(code(&own), 0, "{}", stderr(&own));
        let given = marsad_in(dir.path(), &["-q", "eval", gold, "--docs", docs, "--json", "--system", system.to_str().unwrap()]);
        assert_eq!(code(&given), 0, "{}", stderr(&given));
        assert_eq!(stdout(&own), reference, "{set}: marsad eval differs from score.py");
        assert_eq!(stdout(&given), reference, "{set}: marsad eval --system differs from score.py");

        // the plain form is score.py's `key: value` lines
        let plain = marsad_in(dir.path(), &["-q", "eval", gold, "--docs", docs]);
        let r: Value = serde_json::from_str(&reference).unwrap();
        let lines: Vec<String> = stdout(&plain).lines().map(String::from).collect();
        assert_eq!(lines.len(), r.as_object().unwrap().len());
        assert!(lines[0].starts_with("events_main_gold: "), "{}", lines[0]);
        println!("{set}: {reference}");
    }
}

#[test]
fn eval_floors_gate() {
    let root = shared();
    let (gold, docs) = (root.join("gold/seeds.gold.jsonl"), root.join("corpus/seeds"));
    if !gold.is_file() || !docs.is_dir() {
        println!("SKIPPED: no seeds set in {}", root.display());
        return;
    }
    let dir = tmp();
    let d = dir.path();
    let (gold, docs) = (gold.to_str().unwrap(), docs.to_str().unwrap());
    std::fs::write(d.join("low.toml"), "[seeds]\nevent_f1 = 0.0\nnegatives_violated = 1000\n").unwrap();
    std::fs::write(d.join("high.toml"), "[seeds]\nevent_f1 = 1.01\ndoc_title_accuracy = 0\n").unwrap();
    let o = marsad_in(d, &["eval", gold, "--docs", docs, "--floors", "low.toml", "--set", "seeds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = marsad_in(d, &["eval", gold, "--docs", docs, "--floors", "high.toml", "--set", "seeds"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("event_f1") && stderr(&o).contains("< floor 1.01"), "{}", stderr(&o));
    let o = marsad_in(d, &["eval", gold, "--docs", docs, "--floors", "low.toml", "--set", "dev"]);
    assert_eq!(code(&o), 1, "a set without floors is an error");
    // the project's own floors file is well formed and names only known figures (whether
    // they hold is .ci/run's quality gate, not a test's)
    let floors = repo().join("quality/floors.toml");
    for set in ["seeds", "dev"] {
        let o = marsad_in(d, &["eval", gold, "--docs", docs, "--floors", floors.to_str().unwrap(), "--set", set]);
        let err = stderr(&o);
        assert!(!err.contains("unknown figure") && !err.contains("no [") && !err.contains("cannot read"), "{err}");
        assert!(!err.contains("floors.toml: line"), "{err}");
    }
}
