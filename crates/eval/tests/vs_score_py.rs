//! The Rust scorer against the reference `shared/tools/score.py`, figure for figure.
//!
//! For each shared set (seeds, dev) the test builds many system outputs from the gold file by
//! deterministic perturbation (right and wrong types, exact, partial, textual and missing
//! evidence, duplicates, places, governorates, dates, actors, counts, claims, tallies, counts on
//! negative spans, document titles, dates and boilerplate), then compares, byte for byte, what
//! score.py prints (plain, `--json`, `--verbose`) with what marsad-eval prints. It also compares
//! score.py's `norm()` with [`marsad_eval::norm`] on every line of the corpora.
//!
//! Needs `python3` and the shared directory (../../../shared from this crate, or
//! `MARSAD_SHARED`); without them the test says so and passes.

use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared() -> PathBuf {
    match std::env::var_os("MARSAD_SHARED") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

fn python_ok() -> bool {
    Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// The sets present, or `None` (with a message) when the test cannot run here.
fn sets() -> Option<Vec<(String, PathBuf, PathBuf)>> {
    let root = shared();
    if !root.join("tools/score.py").is_file() {
        println!("SKIPPED: no shared/tools/score.py at {}", root.display());
        return None;
    }
    if !python_ok() {
        println!("SKIPPED: python3 not found");
        return None;
    }
    let mut out = Vec::new();
    for set in ["seeds", "dev"] {
        let gold = root.join(format!("gold/{set}.gold.jsonl"));
        let docs = root.join(format!("corpus/{set}"));
        if gold.is_file() && docs.is_dir() {
            out.push((set.to_string(), gold, docs));
        } else {
            println!("SKIPPED set {set}: {} or {} missing", gold.display(), docs.display());
        }
    }
    Some(out)
}

/// xorshift64*: a small deterministic generator, so every run builds the same outputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> Option<&'a T> {
        if xs.is_empty() {
            None
        } else {
            Some(&xs[self.below(xs.len())])
        }
    }
}

/// Character offsets of the first occurrence of `needle` in `text`.
fn char_span(text: &str, needle: &str) -> Option<(usize, usize)> {
    let b = text.find(needle)?;
    let start = text[..b].chars().count();
    Some((start, start + needle.chars().count()))
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

const TYPES: &[&str] = &["armed_attack", "bombing", "killing", "arrest", "armed_clash", "shelling"];
const ACTORS: &[&str] = &["ISIS", "SDF", "SYRIAN_GOV", "UNKNOWN", "CIVILIANS", "HTS"];
const QUALS: &[&str] = &["exact", "at_least", "about", "more_than"];

fn evidence(rng: &mut Rng, text: &str, gold_ev: &[String]) -> Value {
    let Some(e) = rng.pick(gold_ev) else { return json!([]) };
    let Some((s, t)) = char_span(text, e) else { return json!([{"text": e}]) };
    match rng.below(7) {
        0 => json!([{"start": s, "end": t, "text": e}]),
        1 => json!([{"start": s + (t - s) / 2, "end": t + 5, "text": "x"}]), // partial overlap
        2 => json!([e]),                                                      // a bare string
        3 => json!([{"text": e}]),                                            // text only
        4 => json!([{"start": t + 2, "end": t + 40}]),                        // next to it
        5 => json!([{"start": s, "end": t}, {"start": 0, "end": 3}]),
        _ => json!([{"start": s, "end": s + 1}]),
    }
}

fn location(rng: &mut Rng, g: &Map<String, Value>) -> Value {
    let places = strs(g.get("places").unwrap_or(&Value::Null));
    let admin1 = strs(g.get("admin1").unwrap_or(&Value::Null));
    match rng.below(6) {
        0 => Value::Null,
        1 => json!({"text": "مكان آخر", "admin1": "SY99"}),
        2 => {
            let p = rng.pick(&places).cloned().unwrap_or_default();
            json!({"text": format!("في قرية {p} شرقي المدينة"), "name_ar": null, "admin1": admin1.first()})
        }
        3 => {
            // with the article, diacritics and another hamza: norm() must fold them
            let p = rng.pick(&places).cloned().unwrap_or_default();
            json!({"name_ar": format!("ال{p}").replace('ا', "أ"), "admin1": rng.pick(&admin1)})
        }
        4 => json!({"name_ar": rng.pick(&places), "text": "", "admin1": "SY01"}),
        _ => json!({"name_ar": rng.pick(&places), "admin1": rng.pick(&admin1)}),
    }
}

fn shift(date: &str, days: i64) -> String {
    let d: jiff::civil::Date = date.parse().expect("gold date");
    d.checked_add(jiff::Span::new().days(days)).expect("in range").to_string()
}

fn date(rng: &mut Rng, g: &Value) -> Value {
    let from = g.get("from").and_then(Value::as_str);
    let to = g.get("to").and_then(Value::as_str);
    let any = to.or(from).unwrap_or("2020-04-01");
    match rng.below(8) {
        0 => json!({"from": null, "to": null, "precision": "unknown"}),
        1 => json!({"from": any, "to": any, "precision": "day"}),
        2 => json!({"from": shift(any, -1), "to": shift(any, 1), "precision": "range"}),
        3 => json!({"from": shift(any, -3), "to": any, "precision": "range"}),
        4 => json!({"from": null, "to": any, "precision": "on_or_before"}),
        5 => json!({"from": any, "to": any, "precision": "unknown"}),
        6 => Value::Null,
        _ => json!({"from": from, "to": to, "precision": "range"}),
    }
}

fn actors(rng: &mut Rng, gold: &[String]) -> Value {
    match rng.below(5) {
        0 => json!([]),
        1 => json!([{"actor": rng.pick(ACTORS), "text": "…"}]),
        2 => json!([rng.pick(ACTORS)]),
        _ => Value::Array(gold.iter().map(|a| json!({"actor": a, "text": "x", "suspected": false})).collect()),
    }
}

fn counts(rng: &mut Rng, g: &Value) -> Value {
    let mut out = Map::new();
    if let Some(m) = g.as_object() {
        for (k, v) in m {
            let mut v = v.clone();
            match rng.below(6) {
                0 => continue,
                1 => v["value"] = json!(v["value"].as_i64().unwrap_or(0) + 1),
                2 => v["qualifier"] = json!(rng.pick(QUALS)),
                3 => {
                    if let Some(o) = v.as_object_mut() {
                        o.remove("qualifier");
                    }
                }
                _ => {}
            }
            out.insert(k.clone(), v);
        }
    }
    match rng.below(5) {
        0 => {
            out.insert("arrested".into(), json!({"value": 2, "qualifier": "exact"}));
        }
        1 => {
            out.insert("escaped".into(), Value::Null); // a falsy role is not a claim
        }
        _ => {}
    }
    Value::Object(out)
}

/// One system output built from the gold and the documents.
fn system_output(gold: &[Value], docs: &Path, seed: u64) -> Vec<Value> {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut out = Vec::new();
    let text = |doc: &str| std::fs::read_to_string(docs.join(format!("{doc}.txt"))).unwrap_or_default();
    for (i, r) in gold.iter().enumerate() {
        let doc = r["doc"].as_str().unwrap_or("");
        match r["kind"].as_str() {
            Some("doc") => {
                if rng.chance(10) {
                    continue; // no doc record at all
                }
                let title = r["title"].as_str().unwrap_or("");
                let title = match rng.below(4) {
                    0 => format!("  {}\n", title.replace(' ', "  ")),
                    1 => format!("{title}!"),
                    _ => title.to_string(),
                };
                let published = match (&r["published"], rng.below(5)) {
                    (_, 0) => Value::Null,
                    (Value::String(p), 1) => json!({"date": p[..4.min(p.len())], "precision": "year"}),
                    (Value::String(p), 2) => json!({"date": format!("{p}-01"), "precision": "day"}),
                    (Value::String(p), _) => json!({"date": p, "precision": "day"}),
                    (_, 3) => json!({"date": "2020-01-01", "precision": "day"}),
                    _ => json!({"date": null, "precision": "unknown"}),
                };
                let mut bp = strs(&r["boilerplate"]);
                if !bp.is_empty() && rng.chance(40) {
                    bp.remove(rng.below(bp.len()));
                }
                if rng.chance(30) {
                    bp.push("طباعة".into());
                }
                out.push(json!({"kind": "doc", "doc": doc, "title": title, "published": published,
                                "boilerplate": bp, "language": "ar"}));
            }
            Some("event") => {
                let t = text(doc);
                let gold_ev = strs(&r["evidence"]);
                let types = strs(&r["types"]);
                let copies = if rng.chance(15) { 2 } else if rng.chance(10) { 0 } else { 1 };
                for c in 0..copies {
                    let ty = if rng.chance(15) {
                        rng.pick(TYPES).map(|s| s.to_string()).unwrap_or_default()
                    } else {
                        rng.pick(&types).cloned().unwrap_or_default()
                    };
                    let g = r.as_object().cloned().unwrap_or_default();
                    let mut ev = json!({
                        "kind": "event", "id": format!("ev-{i}-{c}"), "doc": doc, "type": ty,
                        "date": date(&mut rng, &r["date"]),
                        "location": location(&mut rng, &g),
                        "perpetrators": actors(&mut rng, &strs(&r["perpetrators"])),
                        "targets": actors(&mut rng, &strs(&r["targets"])),
                        "counts": counts(&mut rng, &r["counts"]),
                        "claimed_by": if rng.chance(50) { r["claimed_by"].clone() } else { json!(rng.pick(ACTORS)) },
                        "evidence": evidence(&mut rng, &t, &gold_ev),
                    });
                    if rng.chance(5) {
                        ev.as_object_mut().map(|o| o.remove("counts"));
                    }
                    out.push(ev);
                }
            }
            Some("tally") => {
                let v = r["value"]["value"].as_i64().unwrap_or(0);
                let (measure, value) = match rng.below(5) {
                    0 => ("injured", v),
                    1 => (r["measure"].as_str().unwrap_or(""), v + 1),
                    _ => (r["measure"].as_str().unwrap_or(""), v),
                };
                let ev = r["evidence"].as_str().unwrap_or("");
                let t = text(doc);
                let evidence = match char_span(&t, ev) {
                    Some((s, e)) if rng.chance(70) => json!([{"start": s, "end": e, "text": ev}]),
                    _ => json!([{"text": ev}]),
                };
                out.push(json!({"kind": "tally", "id": format!("ta-{i}"), "doc": doc, "measure": measure,
                                "value": {"value": value, "qualifier": "at_least"}, "evidence": evidence}));
            }
            Some("negative") => {
                let ev = r["evidence"].as_str().unwrap_or("");
                let t = text(doc);
                let Some((s, e)) = char_span(&t, ev) else { continue };
                match rng.below(4) {
                    0 => out.push(json!({"kind": "event", "id": format!("ev-n{i}"), "doc": doc, "type": "killing",
                        "counts": {"killed": {"value": 10, "qualifier": "exact"}},
                        "evidence": [{"start": s + 1, "end": e - 1}]})),
                    1 => out.push(json!({"kind": "tally", "id": format!("ta-n{i}"), "doc": doc, "measure": "killed",
                        "value": {"value": 3}, "evidence": [{"text": ev}]})),
                    2 => out.push(json!({"kind": "event", "id": format!("ev-n{i}"), "doc": doc, "type": "killing",
                        "counts": {}, "evidence": [{"start": s, "end": e}]})),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // records of a document the gold does not know are ignored by both
    out.push(json!({"kind": "event", "id": "ev-x", "doc": "not-in-gold", "type": "killing", "evidence": []}));
    // an event with no evidence at all: a false positive
    if let Some(doc) = gold.first().and_then(|r| r["doc"].as_str()) {
        out.push(json!({"kind": "event", "id": "ev-y", "doc": doc, "type": "killing", "evidence": null}));
    }
    out
}

fn write_jsonl(path: &Path, records: &[Value]) {
    let mut s = String::new();
    for r in records {
        s.push_str(&serde_json::to_string(r).unwrap());
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

fn score_py(gold: &Path, system: &Path, docs: &Path, flag: Option<&str>) -> String {
    let mut cmd = Command::new("python3");
    cmd.arg(shared().join("tools/score.py")).arg(gold).arg(system).arg("--docs").arg(docs);
    if let Some(f) = flag {
        cmd.arg(f);
    }
    let o = cmd.output().expect("python3 runs");
    assert!(o.status.success(), "score.py failed: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

#[test]
fn same_figures_as_score_py_on_perturbed_outputs() {
    let Some(sets) = sets() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for (set, gold_path, docs) in sets {
        let gold = marsad_eval::load_jsonl(&gold_path).unwrap();
        // seed 0 is the empty output; then perturbed ones; the last is the gold itself
        // re-expressed as system records as faithfully as the generator can.
        for seed in 0..12u64 {
            let system = if seed == 0 { Vec::new() } else { system_output(&gold, &docs, seed) };
            let sys_path = dir.path().join(format!("{set}-{seed}.jsonl"));
            write_jsonl(&sys_path, &system);

            let (report, lines) = marsad_eval::score_files(&gold_path, &sys_path, &docs)
                .unwrap_or_else(|e| panic!("{set} seed {seed}: {e}"));
            let plain = score_py(&gold_path, &sys_path, &docs, None);
            assert_eq!(report.print_lines(), plain, "{set} seed {seed}: plain output differs");
            let as_json = score_py(&gold_path, &sys_path, &docs, Some("--json"));
            assert_eq!(format!("{}\n", report.to_json_line()), as_json, "{set} seed {seed}: --json differs");
            let verbose = score_py(&gold_path, &sys_path, &docs, Some("--verbose"));
            let mine = lines.iter().map(|l| format!("{l}\n")).collect::<String>() + &report.print_lines();
            assert_eq!(mine, verbose, "{set} seed {seed}: --verbose differs");
            if seed == 1 {
                println!("{set} seed 1:\n{plain}");
            }
            compared += 1;
        }
    }
    println!("{compared} system outputs scored identically by score.py and marsad-eval");
}

#[test]
fn norm_agrees_with_score_py() {
    let Some(sets) = sets() else { return };
    let mut lines: Vec<String> = Vec::new();
    for (_, gold, docs) in &sets {
        let mut entries: Vec<_> = std::fs::read_dir(docs).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
            let t = std::fs::read_to_string(p).unwrap();
            lines.extend(t.lines().map(str::to_string));
        }
        for r in marsad_eval::load_jsonl(gold).unwrap() {
            for k in ["places", "evidence"] {
                lines.extend(strs(&r[k]));
            }
        }
    }
    // Forms our own: diacritics, hamza seats, tatweel, punctuation, clitic articles, Latin.
    lines.extend(
        ["وَالمَدِينَةُ", "بالقرية — «الشرقية»", "مـــدينة إدلب", "فالأمر كالعادة", "لل", "ٱلرقة", "Deir-ez-Zor_2", "١٢٣ ۴۵"]
            .map(String::from),
    );
    let script = "import sys, json\nsys.path.insert(0, sys.argv[1])\nfrom score import norm\n\
                  for l in json.load(sys.stdin): print(json.dumps(norm(l)))\n";
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(shared().join("tools"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(&lines).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success());
    let py: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(py.len(), lines.len());
    let mut differ = 0;
    for (l, p) in lines.iter().zip(&py) {
        if &marsad_eval::norm(l) != p {
            differ += 1;
            eprintln!("norm differs on {l:?}: python {p:?}, rust {:?}", marsad_eval::norm(l));
        }
    }
    assert_eq!(differ, 0, "norm() differs on {differ} of {} lines", lines.len());
    println!("norm() agrees on {} lines", lines.len());
}
