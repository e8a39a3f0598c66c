//! Bad input costs nothing: a directory mixing good articles with an empty file, a binary file,
//! a 10 MB file on one line, a broken HTML page, a JSON Lines file with a malformed line and a
//! windows-1256 copy of an article. Every good document (and the good JSONL line) yields the
//! events it yields alone, the windows-1256 copy the same events as its UTF-8 twin, each bad
//! input gets exactly one error line, the exit status is non-zero, nothing panics, and the run
//! takes seconds (bounded at 60).
//!
//! The good articles are the shared seeds when ../shared is there (or $MARSAD_SHARED), else the
//! invented example corpus of this repository.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared() -> PathBuf {
    match std::env::var_os("MARSAD_SHARED") {
        Some(p) => PathBuf::from(p),
        None => repo().join("../shared"),
    }
}

/// The good articles: (file name, text).
fn articles() -> Vec<(String, String)> {
    let seeds = shared().join("corpus/seeds");
    let dir = if seeds.is_dir() {
        seeds
    } else {
        eprintln!("NOTE: no shared seeds at {}: using examples/corpus", seeds.display());
        repo().join("examples/corpus")
    };
    let mut v: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    v.sort();
    assert!(v.len() >= 2, "need two articles in {}", dir.display());
    v
}

fn marsad(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marsad"));
    cmd.args(args).env_remove("MARSAD_LOG");
    let g = shared().join("data/gazetteer");
    if g.is_dir() {
        cmd.env("MARSAD_GAZETTEER", g);
    } else {
        cmd.env_remove("MARSAD_GAZETTEER");
    }
    cmd.output().expect("marsad runs")
}

/// doc id → sorted "type counts" of its events.
fn events_by_doc(stdout: &[u8]) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(stdout).lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        // Incident records (the cross-source linker's) carry no single document.
        let Some(doc) = v["doc"].as_str().map(str::to_string) else { continue };
        match v["kind"].as_str() {
            Some("doc") => {
                m.entry(doc).or_default();
            }
            Some("event") => m.entry(doc).or_default().push(format!("{} {}", v["type"], v["counts"])),
            _ => {}
        }
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

#[test]
fn bad_inputs_cost_one_line_each_and_nothing_else() {
    let arts = articles();
    let good = tempfile::tempdir().unwrap();
    for (name, text) in &arts {
        std::fs::write(good.path().join(name), text).unwrap();
    }
    let alone = marsad(&["-q", "extract", good.path().to_str().unwrap()]);
    assert_eq!(alone.status.code(), Some(0), "{}", String::from_utf8_lossy(&alone.stderr));
    let want = events_by_doc(&alone.stdout);
    assert!(want.values().map(Vec::len).sum::<usize>() > 0, "the good articles yield events");

    let mixed = tempfile::tempdir().unwrap();
    let d = mixed.path();
    for (name, text) in &arts {
        std::fs::write(d.join(name), text).unwrap();
    }
    let (twin_name, twin_text) = &arts[0];
    let twin = twin_name.trim_end_matches(".txt");
    // A windows-1256 copy (characters the code page lacks would be lost: none in these texts
    // that matter to extraction).
    let (w1256, _, _) = encoding_rs::WINDOWS_1256.encode(twin_text);
    assert!(std::str::from_utf8(&w1256).is_err(), "really not UTF-8");
    std::fs::write(d.join("copy-1256.txt"), &w1256).unwrap();
    // The bad ones.
    std::fs::write(d.join("empty.txt"), "").unwrap();
    let mut bin = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bin.extend((0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
    std::fs::write(d.join("binary.txt"), &bin).unwrap();
    let huge = "قتل ".repeat(10 * 1024 * 1024 / "قتل ".len() + 1);
    assert!(huge.len() >= 10 << 20 && !huge.contains('\n'));
    std::fs::write(d.join("huge.txt"), &huge).unwrap();
    std::fs::write(
        d.join("broken.html"),
        "<html><head><title>صفحة مقطوعة</title></head><body><nav><a href='/'>الرئيسية</a></nav><div class=\"content\"><p cl",
    )
    .unwrap();
    let (jl_name, jl_text) = &arts[1];
    let jl_id = format!("jsonl-{}", jl_name.trim_end_matches(".txt"));
    let good_line = serde_json::json!({"id": jl_id, "text": jl_text}).to_string();
    std::fs::write(d.join("mixed.jsonl"), format!("{good_line}\n{{\"id\": \"broken\", \"text\": \"نص بلا نهاية\n")).unwrap();

    let started = Instant::now();
    let out = marsad(&["-q", "extract", d.to_str().unwrap()]);
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert_eq!(out.status.code(), Some(1), "non-zero exit; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{stderr}");

    // One line per bad input, each naming it.
    let lines: Vec<&str> = stderr.lines().collect();
    let bad = ["binary.txt: ", "broken.html: ", "empty.txt: ", "huge.txt: ", "mixed.jsonl:2: "];
    assert_eq!(lines.len(), bad.len(), "one line per bad input:\n{stderr}");
    for b in bad {
        assert_eq!(lines.iter().filter(|l| l.contains(b)).count(), 1, "{b} in\n{stderr}");
    }
    assert!(stderr.contains("huge.txt: too large: 10.0 MB"), "{stderr}");
    assert!(stderr.contains("binary.txt: binary file"), "{stderr}");
    assert!(stderr.contains("empty.txt: empty file"), "{stderr}");
    assert!(stderr.contains("broken.html: no article text found in the page"), "{stderr}");
    assert!(stderr.contains("mixed.jsonl:2: invalid JSON"), "{stderr}");

    // Every good document yields what it yields alone.
    let got = events_by_doc(&out.stdout);
    for (id, evs) in &want {
        assert_eq!(got.get(id), Some(evs), "{id}");
    }
    assert_eq!(got.get("copy-1256"), want.get(twin), "the windows-1256 copy gives its twin's events");
    assert_eq!(got.get(&jl_id), want.get(jl_name.trim_end_matches(".txt")), "the good JSONL line");
    assert_eq!(got.len(), want.len() + 2, "{:?}", got.keys().collect::<Vec<_>>());
    eprintln!(
        "{} good documents, {} events, {} error lines, {:.1?}",
        got.len(),
        got.values().map(Vec::len).sum::<usize>(),
        lines.len(),
        took
    );

    // `run` stores the good ones, reports the same failures and exits non-zero too.
    let db = d.join("out.db");
    let run = marsad(&["-q", "run", d.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&run.stderr).lines().count(), bad.len());
    let export = marsad(&["-q", "export", "--db", db.to_str().unwrap(), "--format", "jsonl"]);
    // The windows-1256 copy and the JSONL line repeat texts already stored: stored once.
    assert_eq!(events_by_doc(&export.stdout), want);
}
