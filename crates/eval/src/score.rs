//! The port of score.py's `score()` and its helpers (`spans`, `sys_spans`, `overlap`,
//! `best_overlap`, `count_ok`, `date_ok`, `actors`, `place_ok`, `field_checks`).

use crate::isodate::{fromisoformat, MAX_ORDINAL};
use crate::pytext::{fold_ws, norm, take_chars};
use crate::pyval::{
    get, index, json_dumps, malformed, mget, py_eq, py_eq_str, py_first, py_in,
    py_iter, py_iter_or_empty, py_repr, py_slice_str, py_str, require_hashable, round4, truthy,
    type_name, NULL,
};
use crate::{read_text, EvalError, Report};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

type Span = (i128, i128);

/// Lazily read documents, as score.py's `text()`.
struct Docs<'a> {
    dir: &'a Path,
    texts: HashMap<String, String>,
}

impl<'a> Docs<'a> {
    fn text(&mut self, doc: &Value) -> Result<&str, EvalError> {
        let Value::String(doc) = doc else {
            return Err(malformed(format!(
                "document id {} is not a string",
                py_repr(doc)
            )));
        };
        if !self.texts.contains_key(doc) {
            let t = read_text(&self.dir.join(format!("{doc}.txt")))?;
            self.texts.insert(doc.clone(), t);
        }
        Ok(self.texts.get(doc).map(String::as_str).unwrap_or(""))
    }
}

/// score.py's `spans()`: every occurrence of `needle` in `text` (overlapping, like repeated
/// `str.find(needle, i + 1)`), as character offsets. An empty needle yields only zero-width
/// spans in Python, which can never overlap anything; they are left out.
pub(crate) fn spans(text: &str, needle: &Value) -> Result<Vec<Span>, EvalError> {
    let Value::String(needle) = needle else {
        return Err(malformed(format!(
            "must be str, not {} (evidence {})",
            type_name(needle),
            py_repr(needle)
        )));
    };
    let mut out = Vec::new();
    if needle.is_empty() {
        return Ok(out);
    }
    let nlen = needle.chars().count() as i128;
    let (mut byte, mut ci, mut from) = (0usize, 0i128, 0usize);
    while let Some(off) = text[from..].find(needle.as_str()) {
        let b = from + off;
        ci += text[byte..b].chars().count() as i128;
        byte = b;
        out.push((ci, ci + nlen));
        from = b + text[b..].chars().next().map_or(1, char::len_utf8);
        if from > text.len() {
            break;
        }
    }
    Ok(out)
}

fn as_int(v: &Value) -> Option<i128> {
    match v {
        Value::Bool(b) => Some(*b as i128),
        Value::Number(n) => n.as_i64().map(|i| i as i128).or_else(|| n.as_u64().map(|u| u as i128)),
        _ => None,
    }
}

/// score.py's `sys_spans()`.
fn sys_spans(ev: &Value, text: &str) -> Result<Vec<Span>, EvalError> {
    let mut out = Vec::new();
    for e in py_iter_or_empty(get(ev, "evidence", "system record")?)? {
        if let Value::Object(m) = &e {
            if let (Some(a), Some(b)) = (as_int(mget(m, "start")), as_int(mget(m, "end"))) {
                out.push((a, b));
                continue;
            }
            if truthy(mget(m, "text")) {
                out.extend(spans(text, mget(m, "text"))?);
            }
        } else if let Value::String(_) = &e {
            out.extend(spans(text, &e)?);
        }
    }
    Ok(out)
}

fn overlap(a: Span, b: Span) -> i128 {
    (a.1.min(b.1) - a.0.max(b.0)).max(0)
}

fn best_overlap(sa: &[Span], sb: &[Span]) -> i128 {
    let mut best = 0;
    for &x in sa {
        for &y in sb {
            best = best.max(overlap(x, y));
        }
    }
    best
}

/// `d.get(key, "exact")`.
fn get_or_exact<'a>(d: &'a Map<String, Value>, key: &str, exact: &'a Value) -> &'a Value {
    d.get(key).unwrap_or(exact)
}

/// score.py's `count_ok()`.
fn count_ok(g: &Value, s: &Value) -> Result<bool, EvalError> {
    let Value::Object(sm) = s else { return Ok(false) };
    let exact = Value::String("exact".into());
    let value_ok = py_eq(mget(sm, "value"), get(g, "value", "gold count")?);
    if !value_ok {
        return Ok(false);
    }
    let Value::Object(gm) = g else { return Err(no_get(g)) };
    Ok(py_eq(get_or_exact(sm, "qualifier", &exact), get_or_exact(gm, "qualifier", &exact)))
}

fn no_get(v: &Value) -> EvalError {
    malformed(format!("'{}' object has no attribute 'get'", type_name(v)))
}

/// score.py's `d()`: `date.fromisoformat(s) if s else None` (ValueError/TypeError as Err).
fn d(v: &Value) -> Result<Option<i64>, String> {
    if !truthy(v) {
        return Ok(None);
    }
    match v {
        Value::String(s) => fromisoformat(s)
            .map(Some)
            .ok_or_else(|| format!("Invalid isoformat string: {}", py_repr(v))),
        _ => Err(format!("fromisoformat: argument must be str, not {}", type_name(v))),
    }
}

/// score.py's `date_ok()`.
fn date_ok(g: &Value, s: &Value) -> Result<bool, EvalError> {
    let empty = Value::Object(Map::new());
    let sd = if truthy(s) { s } else { &empty };
    let s_from = get(sd, "from", "system date")?;
    let s_to = get(sd, "to", "system date")?;
    let unknown = py_eq_str(get(sd, "precision", "system date")?, "unknown")
        || (!truthy(s_from) && !truthy(s_to));
    if g.is_null() {
        return Ok(unknown);
    }
    let g_from = d(get(g, "from", "gold date")?).map_err(|e| malformed(format!("gold date: {e}")))?;
    let g_to = d(get(g, "to", "gold date")?).map_err(|e| malformed(format!("gold date: {e}")))?;
    if unknown {
        return Ok(false);
    }
    let (Ok(a), Ok(b)) = (d(s_from), d(s_to)) else { return Ok(false) };
    let lo_ok = match g_from {
        None => true,
        Some(gf) => match a {
            None => false,
            Some(a) => {
                if gf <= 1 {
                    return Err(malformed("OverflowError: date value out of range (gold from - 1 day)"));
                }
                a >= gf - 1
            }
        },
    };
    let hi_ok = match g_to {
        None => true,
        Some(gt) => match b {
            None => false,
            Some(b) => {
                if gt >= MAX_ORDINAL {
                    return Err(malformed("OverflowError: date value out of range (gold to + 1 day)"));
                }
                b <= gt + 1
            }
        },
    };
    Ok(lo_ok && hi_ok)
}

/// score.py's `actors()` (as a list of hashable values; set semantics via `py_eq`).
fn actors(lst: &Value) -> Result<Vec<Value>, EvalError> {
    let mut out = Vec::new();
    for a in py_iter_or_empty(lst)? {
        let x = match &a {
            Value::Object(m) => mget(m, "actor").clone(),
            _ => a,
        };
        require_hashable(&x)?;
        out.push(x);
    }
    Ok(out)
}

/// `norm(x)` where `x` came from a JSON value (`s or ""` first).
fn norm_value(v: &Value) -> Result<String, EvalError> {
    if !truthy(v) {
        return Ok(String::new());
    }
    match v {
        Value::String(s) => Ok(norm(s)),
        _ => Err(malformed(format!(
            "normalize() argument 2 must be str, not {}",
            type_name(v)
        ))),
    }
}

/// score.py's `place_ok()`.
fn place_ok(g: &Value, loc: &Value) -> Result<bool, EvalError> {
    if !truthy(loc) {
        return Ok(false);
    }
    let mut names = Vec::new();
    for k in ["name_ar", "text"] {
        let Value::Object(m) = loc else { return Err(no_get(loc)) };
        // loc.get(k, "")
        names.push(norm_value(m.get(k).unwrap_or(&NULL))?);
    }
    for p in py_iter_or_empty(get(g, "places", "gold event")?)? {
        let np = norm_value(&p)?;
        if names.iter().any(|n| !np.is_empty() && !n.is_empty() && n.contains(np.as_str())) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// score.py's `field_checks()`: (field, ok) pairs for a matched gold/system event.
fn field_checks(g: &Value, s: &Value) -> Result<Vec<(String, bool)>, EvalError> {
    let mut res = Vec::new();
    let loc = get(s, "location", "system event")?;
    if truthy(get(g, "places", "gold event")?) {
        res.push(("place".to_string(), place_ok(g, loc)?));
    }
    if truthy(get(g, "admin1", "gold event")?) {
        let ok = truthy(loc) && py_in(get(loc, "admin1", "system location")?, index(g, "admin1", "gold event")?)?;
        res.push(("admin1".to_string(), ok));
    }
    res.push(("date".to_string(), date_ok(get(g, "date", "gold event")?, get(s, "date", "system event")?)?));
    for (role, key) in [("perpetrator", "perpetrators"), ("target", "targets")] {
        let ga = py_iter_or_empty(get(g, key, "gold event")?)?;
        for x in &ga {
            require_hashable(x)?;
        }
        let sa = actors(get(s, key, "system event")?)?;
        let ok = (ga.is_empty() && sa.is_empty()) || ga.iter().any(|x| sa.iter().any(|y| py_eq(x, y)));
        res.push((role.to_string(), ok));
    }
    let gc = get(g, "counts", "gold event")?;
    let sc = get(s, "counts", "system event")?;
    let empty = Map::new();
    let gc = match gc {
        _ if !truthy(gc) => &empty,
        Value::Object(m) => m,
        _ => return Err(malformed(format!("gold counts is a {}, not a dict", type_name(gc)))),
    };
    let sc = match sc {
        _ if !truthy(sc) => &empty,
        Value::Object(m) => m,
        _ => return Err(malformed(format!("'{}' object has no attribute 'items' (system counts)", type_name(sc)))),
    };
    let keys: BTreeSet<&String> =
        gc.keys().chain(sc.iter().filter(|(_, v)| truthy(v)).map(|(k, _)| k)).collect();
    for k in keys {
        let ok = match gc.get(k.as_str()) {
            Some(gv) => count_ok(gv, mget(sc, k))?,
            None => false,
        };
        res.push((format!("count:{k}"), ok));
    }
    if truthy(get(g, "claimed_by", "gold event")?) {
        res.push((
            "claimed_by".to_string(),
            py_eq(get(s, "claimed_by", "system event")?, index(g, "claimed_by", "gold event")?),
        ));
    }
    Ok(res)
}

fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b as f64
}

/// Scores `system` against `gold` exactly as score.py's `score()`.
///
/// `docs_dir` holds `<doc>.txt` for every document that has gold events, negatives or system
/// records (read lazily, as score.py does).
pub fn score_records(gold: &[Value], system: &[Value], docs_dir: &Path) -> Result<Report, EvalError> {
    score_impl(gold, system, docs_dir, None)
}

/// As [`score_records`], also returning the diagnostic lines `score.py --verbose` prints
/// before the figures (field misses, violated negatives, missed gold events, false
/// positives, in score.py's order; each line starts with two spaces, no trailing newline).
pub fn score_records_verbose(
    gold: &[Value],
    system: &[Value],
    docs_dir: &Path,
) -> Result<(Report, Vec<String>), EvalError> {
    let mut lines = Vec::new();
    let r = score_impl(gold, system, docs_dir, Some(&mut lines))?;
    Ok((r, lines))
}

fn score_impl(
    gold: &[Value],
    system: &[Value],
    docs_dir: &Path,
    mut verbose: Option<&mut Vec<String>>,
) -> Result<Report, EvalError> {
    let mut docs = Docs { dir: docs_dir, texts: HashMap::new() };
    // gdocs = {r["doc"] for r in gold}
    let mut gdocs: Vec<&Value> = Vec::new();
    for r in gold {
        let dv = index(r, "doc", "gold record")?;
        require_hashable(dv)?;
        if !gdocs.iter().any(|x| py_eq(x, dv)) {
            gdocs.push(dv);
        }
    }
    let in_gdocs = |v: &Value| -> Result<bool, EvalError> {
        require_hashable(v)?;
        Ok(gdocs.iter().any(|x| py_eq(x, v)))
    };
    let mut kinds = Vec::with_capacity(gold.len());
    for r in gold {
        kinds.push(index(r, "kind", "gold record")?);
    }
    let g_events: Vec<&Value> =
        gold.iter().zip(&kinds).filter(|(_, k)| py_eq_str(k, "event")).map(|(r, _)| r).collect();
    let mut s_events: Vec<&Value> = Vec::new();
    for r in system {
        if py_eq_str(get(r, "kind", "system record")?, "event") && in_gdocs(get(r, "doc", "system record")?)? {
            s_events.push(r);
        }
    }
    let mut g_spans: Vec<Vec<Span>> = Vec::with_capacity(g_events.len());
    for g in &g_events {
        let mut sp = Vec::new();
        for e in py_iter(index(g, "evidence", "gold event")?)? {
            let t = docs.text(index(g, "doc", "gold event")?)?;
            sp.extend(spans(t, &e)?);
        }
        g_spans.push(sp);
    }
    let mut s_spans: Vec<Vec<Span>> = Vec::with_capacity(s_events.len());
    for s in &s_events {
        let t = docs.text(index(s, "doc", "system event")?)?;
        s_spans.push(sys_spans(s, t)?);
    }
    // greedy one-to-one matching, largest evidence overlap first
    let mut cands: Vec<(i128, usize, usize)> = Vec::new();
    for (gi, g) in g_events.iter().enumerate() {
        let gdoc = index(g, "doc", "gold event")?;
        for (si, s) in s_events.iter().enumerate() {
            if py_eq(index(s, "doc", "system event")?, gdoc)
                && py_in(get(s, "type", "system event")?, index(g, "types", "gold event")?)?
            {
                let ov = best_overlap(&g_spans[gi], &s_spans[si]);
                if ov > 0 {
                    cands.push((ov, gi, si));
                }
            }
        }
    }
    cands.sort_unstable_by(|a, b| b.cmp(a));
    let mut gm: HashMap<usize, usize> = HashMap::new();
    let mut sm: HashMap<usize, usize> = HashMap::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (_, gi, si) in cands {
        if gm.contains_key(&gi) || sm.contains_key(&si) {
            continue;
        }
        gm.insert(gi, si);
        sm.insert(si, gi);
        pairs.push((gi, si));
    }
    let mut salience = Vec::with_capacity(g_events.len());
    for g in &g_events {
        salience.push(index(g, "salience", "gold event")?);
    }
    let main: Vec<usize> = (0..g_events.len()).filter(|&i| py_eq_str(salience[i], "main")).collect();
    let tp = pairs.iter().filter(|(gi, _)| py_eq_str(salience[*gi], "main")).count();
    let neutral = pairs.iter().filter(|(gi, _)| py_eq_str(salience[*gi], "background")).count();
    let fp_list: Vec<usize> = (0..s_events.len()).filter(|si| !sm.contains_key(si)).collect();
    let fp = fp_list.len();
    let prec = if tp + fp > 0 { ratio(tp, tp + fp) } else { 0.0 };
    let rec = if !main.is_empty() { ratio(tp, main.len()) } else { 0.0 };
    let f1 = if prec + rec != 0.0 { 2.0 * prec * rec / (prec + rec) } else { 0.0 };

    let mut fields: Vec<bool> = Vec::new();
    let mut by_field: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for &(gi, si) in &pairs {
        if !py_eq_str(salience[gi], "main") {
            continue;
        }
        let (g, s) = (g_events[gi], s_events[si]);
        for (name, ok) in field_checks(g, s)? {
            fields.push(ok);
            let key = if name.starts_with("count") {
                "counts".to_string()
            } else {
                name.split(':').next().unwrap_or("").to_string()
            };
            let e = by_field.entry(key).or_insert((0, 0));
            e.0 += ok as usize;
            e.1 += 1;
            if let Some(lines) = verbose.as_deref_mut() {
                if !ok {
                    let mut m = Map::new();
                    for k in ["date", "location", "perpetrators", "targets", "counts", "claimed_by"] {
                        m.insert(k.to_string(), get(s, k, "system event")?.clone());
                    }
                    let dumped = dump_in_order(&m, &["date", "location", "perpetrators", "targets", "counts", "claimed_by"]);
                    lines.push(format!(
                        "  field miss {} {}: system={}",
                        py_str(index(g, "id", "gold event")?),
                        name,
                        take_chars(&dumped, 400)
                    ));
                }
            }
        }
    }

    // tallies
    let g_t: Vec<&Value> =
        gold.iter().zip(&kinds).filter(|(_, k)| py_eq_str(k, "tally")).map(|(r, _)| r).collect();
    let mut s_t: Vec<&Value> = Vec::new();
    for r in system {
        if py_eq_str(get(r, "kind", "system record")?, "tally") && in_gdocs(get(r, "doc", "system record")?)? {
            s_t.push(r);
        }
    }
    let mut t_hit = 0usize;
    let mut used: Vec<bool> = vec![false; s_t.len()];
    for g in &g_t {
        for (i, s) in s_t.iter().enumerate() {
            let sv = get(s, "value", "system tally")?;
            let empty = Value::Object(Map::new());
            let v = if truthy(sv) { sv } else { &empty };
            if !used[i]
                && py_eq(index(s, "doc", "system tally")?, index(g, "doc", "gold tally")?)
                && py_eq(get(s, "measure", "system tally")?, index(g, "measure", "gold tally")?)
                && py_eq(
                    get(v, "value", "system tally value")?,
                    index(index(g, "value", "gold tally")?, "value", "gold tally value")?,
                )
            {
                used[i] = true;
                t_hit += 1;
                break;
            }
        }
    }
    let t_p = if !s_t.is_empty() { ratio(t_hit, s_t.len()) } else { 0.0 };
    let t_r = if !g_t.is_empty() { ratio(t_hit, g_t.len()) } else { 0.0 };

    // negatives: a count drawn from a span the gold marks as not-an-event
    let mut viol = 0usize;
    for (n, _) in gold.iter().zip(&kinds).filter(|(_, k)| py_eq_str(k, "negative")) {
        let ndoc = index(n, "doc", "gold negative")?;
        let nev = index(n, "evidence", "gold negative")?;
        let nsp = spans(docs.text(ndoc)?, nev)?;
        let all: Vec<(&Value, Option<&Vec<Span>>)> = s_events
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, Some(&s_spans[i])))
            .chain(s_t.iter().map(|s| (*s, None)))
            .collect();
        for (s, known) in all {
            if !py_eq(index(s, "doc", "system record")?, ndoc) {
                continue;
            }
            let computed;
            let sp: &Vec<Span> = match known {
                Some(k) if !k.is_empty() => k,
                _ => {
                    computed = sys_spans(s, docs.text(index(s, "doc", "system record")?)?)?;
                    &computed
                }
            };
            if best_overlap(&nsp, sp) > 0 {
                let counted = py_eq_str(get(s, "kind", "system record")?, "tally") || {
                    let c = get(s, "counts", "system event")?;
                    match c {
                        _ if !truthy(c) => false,
                        Value::Object(m) => m.values().any(truthy),
                        _ => {
                            return Err(malformed(format!(
                                "'{}' object has no attribute 'values' (system counts)",
                                type_name(c)
                            )))
                        }
                    }
                };
                if counted {
                    viol += 1;
                    if let Some(lines) = verbose.as_deref_mut() {
                        lines.push(format!(
                            "  negative violated in {}: {}",
                            py_str(ndoc),
                            py_slice_str(nev, 60)?
                        ));
                    }
                }
            }
        }
    }

    // document metadata
    let g_docs: Vec<&Value> =
        gold.iter().zip(&kinds).filter(|(_, k)| py_eq_str(k, "doc")).map(|(r, _)| r).collect();
    let mut s_docs: Vec<(&Value, &Value)> = Vec::new();
    for r in system {
        if py_eq_str(get(r, "kind", "system record")?, "doc") {
            let dv = index(r, "doc", "system doc record")?;
            require_hashable(dv)?;
            match s_docs.iter_mut().find(|(k, _)| py_eq(k, dv)) {
                Some(slot) => slot.1 = r,
                None => s_docs.push((dv, r)),
            }
        }
    }
    let (mut title_ok, mut pub_ok, mut bp_hit, mut bp_tot) = (0usize, 0usize, 0usize, 0usize);
    let empty_rec = Value::Object(Map::new());
    for g in &g_docs {
        let gdoc = index(g, "doc", "gold doc")?;
        let s = s_docs.iter().find(|(k, _)| py_eq(k, gdoc)).map(|(_, r)| *r).unwrap_or(&empty_rec);
        let st = get(s, "title", "system doc")?;
        let st = str_or_empty(st, "system doc title")?;
        let gt = match index(g, "title", "gold doc")? {
            Value::String(t) => t,
            other => return Err(malformed(format!("gold title is a {}", type_name(other)))),
        };
        title_ok += (fold_ws(st) == fold_ws(gt)) as usize;
        let sp0 = get(s, "published", "system doc")?;
        let empty = Value::Object(Map::new());
        let sp = if truthy(sp0) { sp0 } else { &empty };
        let sdate = get(sp, "date", "system published")?;
        match index(g, "published", "gold doc")? {
            Value::Null => pub_ok += !truthy(sdate) as usize,
            Value::String(gp) => {
                let n = gp.chars().count();
                let ok = match sdate {
                    _ if !truthy(sdate) => false,
                    Value::String(x) => take_chars(x, n) == gp.as_str(),
                    Value::Array(_) => false,
                    other => {
                        return Err(malformed(format!(
                            "'{}' object is not subscriptable (published date)",
                            type_name(other)
                        )))
                    }
                };
                pub_ok += (ok && truthy(sdate)) as usize;
            }
            other => return Err(malformed(format!("gold published is a {}", type_name(other)))),
        }
        let mut removed: Vec<String> = Vec::new();
        for x in py_iter_or_empty(get(s, "boilerplate", "system doc")?)? {
            match &x {
                Value::String(x) => removed.push(fold_ws(x)),
                other => {
                    return Err(malformed(format!(
                        "'{}' object has no attribute 'split' (system boilerplate)",
                        type_name(other)
                    )))
                }
            }
        }
        let gb = match g {
            Value::Object(m) => m.get("boilerplate"),
            _ => None,
        };
        if let Some(gb) = gb {
            for b in py_iter(gb)? {
                let Value::String(b) = &b else {
                    return Err(malformed("gold boilerplate line is not a string"));
                };
                bp_tot += 1;
                bp_hit += removed.contains(&fold_ws(b)) as usize;
            }
        }
    }

    if let Some(lines) = verbose.as_deref_mut() {
        for &gi in &main {
            let g = g_events[gi];
            // g_events.index(g): the first gold event equal to this one
            let first = g_events.iter().position(|x| py_eq(x, g)).unwrap_or(gi);
            if !gm.contains_key(&first) {
                let ev0 = py_first(index(g, "evidence", "gold event")?)?;
                lines.push(format!(
                    "  missed {} {} :: {}",
                    py_str(index(g, "id", "gold event")?),
                    py_str(index(g, "types", "gold event")?),
                    py_slice_str(&ev0, 70)?
                ));
            }
        }
        for &si in &fp_list {
            let s = s_events[si];
            let ev = get(s, "evidence", "system event")?;
            let ev = if truthy(ev) { py_first(ev)? } else { Value::Object(Map::new()) };
            let t = match &ev {
                Value::Object(m) => mget(m, "text").clone(),
                other => Value::String(py_str(other)),
            };
            let shown = if truthy(&t) { py_slice_str(&t, 70)? } else { String::new() };
            let doc = py_slice_str(index(s, "doc", "system event")?, 3)?;
            lines.push(format!(
                "  false positive {} {} :: {}",
                doc,
                py_str(get(s, "type", "system event")?),
                shown
            ));
        }
    }

    let ndocs = g_docs.len();
    Ok(Report {
        events_main_gold: main.len(),
        events_system: s_events.len(),
        events_matched_main: tp,
        events_matched_background: neutral,
        events_false_positive: fp,
        event_precision: round4(prec),
        event_recall: round4(rec),
        event_f1: round4(f1),
        field_accuracy: if fields.is_empty() {
            0.0
        } else {
            round4(ratio(fields.iter().filter(|x| **x).count(), fields.len()))
        },
        field_accuracy_by_field: by_field.into_iter().map(|(k, (a, b))| (k, round4(ratio(a, b)))).collect(),
        tally_precision: round4(t_p),
        tally_recall: round4(t_r),
        negatives_violated: viol,
        doc_title_accuracy: (ndocs > 0).then(|| round4(ratio(title_ok, ndocs))),
        doc_published_accuracy: (ndocs > 0).then(|| round4(ratio(pub_ok, ndocs))),
        boilerplate_recall: (bp_tot > 0).then(|| round4(ratio(bp_hit, bp_tot))),
    })
}

/// `(v or "")` where `v` must then be a str.
fn str_or_empty<'a>(v: &'a Value, what: &str) -> Result<&'a str, EvalError> {
    if !truthy(v) {
        return Ok("");
    }
    match v {
        Value::String(s) => Ok(s),
        other => Err(malformed(format!("{what}: '{}' object has no attribute 'split'", type_name(other)))),
    }
}

/// `json.dumps` of a dict built in the given key order (a `serde_json::Map` may sort keys).
fn dump_in_order(m: &Map<String, Value>, order: &[&str]) -> String {
    let mut out = String::from("{");
    for (i, k) in order.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        crate::pyval::json_str(k, &mut out);
        out.push_str(": ");
        out.push_str(&json_dumps(m.get(*k).unwrap_or(&NULL)));
    }
    out.push('}');
    out
}
