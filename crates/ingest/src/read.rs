//! Readers. OWNER: ingest helper. Contract below is fixed.
//!
//! The dispatcher: a path's name says what it holds — `.txt` (with an optional `STEM.meta.json`
//! sidecar), `.jsonl`/`.ndjson`, `.html`/`.htm`/`.xhtml` (main content extracted, see
//! [`crate::html`]), `.rss`/`.atom` feeds ([`crate::feed`]), `.xml` (a feed, or a page, told by
//! its root element), `.warc`/`.warc.gz` ([`crate::warc`]); directories are read recursively in
//! sorted order. Every failure is one [`InputError`] line naming the input (file, `file:line`,
//! `feed#item`, `warc#record URL`) and the reason; the others are still read. Sizes and times
//! are bounded per document by [`Limits`].
use crate::decode::{decode, DecodeError};
use crate::limits::Limits;
use marsad_model::{Document, GivenMeta};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A failed input: which one, and why, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {reason}")]
pub struct InputError {
    /// Path, `path:line` for a JSONL line, or URL.
    pub origin: String,
    pub reason: String,
}

impl InputError {
    pub(crate) fn new(origin: impl Into<String>, reason: impl Into<String>) -> Self {
        // One line per error, whatever the OS, serde or the input itself (a URL in a WARC
        // header, a feed's text) put in it: no line breaks, no control characters.
        let reason: String = reason.into();
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        let reason: String = reason.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let origin: String = origin.into().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        InputError { origin, reason }
    }
}

/// Everything read from a list of paths: documents in a stable order, and the failures.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    pub docs: Vec<Document>,
    pub errors: Vec<InputError>,
}

/// Reads every path (files or directories, recursively, in sorted order). One bad input never
/// stops the others.
pub fn read_paths(paths: &[PathBuf]) -> ReadOutcome {
    read_paths_with(paths, &Limits::default())
}

/// [`read_paths`] with other limits.
pub fn read_paths_with(paths: &[PathBuf], limits: &Limits) -> ReadOutcome {
    let mut r = Reader { limits: limits.clone(), ..Reader::default() };
    for p in paths {
        r.read_path(p);
    }
    r.out
}

/// Reads the lines of a JSON Lines text (the reader of `.jsonl` files, without the file).
pub fn read_jsonl_text(text: &str, shown: &str, limits: &Limits) -> ReadOutcome {
    let mut r = Reader { limits: limits.clone(), ..Reader::default() };
    r.jsonl_lines(text, shown, "UTF-8");
    r.out
}

/// Reads a body fetched from `url` (an HTTP response): a feed (told by its content type or its
/// root element) gives its items, an HTML page one document whose id is the URL.
pub fn read_body(bytes: &[u8], content_type: Option<&str>, url: &str, limits: &Limits) -> ReadOutcome {
    let mut r = Reader { limits: limits.clone(), ..Reader::default() };
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let charset = ct.split(';').map(str::trim).find_map(|p| p.strip_prefix("charset=")).map(|c| c.trim_matches('"'));
    if let Err(reason) = limits.check_document_size(bytes.len() as u64) {
        r.err(url, reason);
        return r.out;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]);
    let feedish = ct.contains("rss") || ct.contains("atom") || ct.contains("xml") || ct.contains("json");
    if (feedish && !ct.contains("html")) || crate::feed::looks_like_feed(&head) && !ct.contains("html") {
        let f = crate::feed::read_feed(bytes, url, limits);
        r.out.errors.extend(f.errors);
        for d in f.docs {
            r.push(d);
        }
    } else {
        match crate::html::decode_html(bytes, charset) {
            Ok(d) => r.html_doc(&d.text, url.to_string(), url, d.encoding, GivenMeta::default(), Some(url)),
            Err(e) => r.err(url, e.to_string()),
        }
    }
    r.out
}

/// What a file's name says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Txt,
    Jsonl,
    Html,
    Feed,
    /// A feed or a page, told by the root element.
    Xml,
    Warc,
    /// Sidecars: read with their `.txt`, never on their own.
    Sidecar,
    Unknown,
}

pub(crate) fn format_of(path: &Path) -> Format {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    if name.ends_with(".meta.json") {
        return Format::Sidecar;
    }
    for (suffix, f) in [
        (".txt", Format::Txt),
        (".jsonl", Format::Jsonl),
        (".ndjson", Format::Jsonl),
        (".html", Format::Html),
        (".htm", Format::Html),
        (".xhtml", Format::Html),
        (".rss", Format::Feed),
        (".atom", Format::Feed),
        (".xml", Format::Xml),
        (".warc", Format::Warc),
        (".warc.gz", Format::Warc),
    ] {
        if name.ends_with(suffix) {
            return f;
        }
    }
    Format::Unknown
}

#[derive(Default)]
struct Reader {
    out: ReadOutcome,
    limits: Limits,
    /// Canonical paths already read: naming a file twice (or a directory and a file inside it)
    /// must not produce the same documents twice.
    seen_files: HashSet<PathBuf>,
    /// Document id → origin of its first reading. Ids key the store and the export.
    ids: HashMap<String, String>,
}

impl Reader {
    fn err(&mut self, origin: impl Into<String>, reason: impl Into<String>) {
        self.out.errors.push(InputError::new(origin, reason));
    }

    fn read_path(&mut self, path: &Path) {
        let shown = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => self.err(shown, io_reason(&e)),
            Ok(m) if m.is_dir() => {
                let mut files = Vec::new();
                let mut visited = HashSet::new();
                match walk(path, &mut files, &mut visited, &mut self.out.errors) {
                    Ok(()) => {}
                    Err(e) => self.err(shown, io_reason(&e)),
                }
                for f in files {
                    // Inside a directory, only what we know how to read is taken; anything else
                    // (images, notes, sidecars) is passed over without complaint.
                    match format_of(&f) {
                        Format::Txt | Format::Jsonl | Format::Html | Format::Feed | Format::Xml | Format::Warc => {
                            self.read_file(&f)
                        }
                        Format::Sidecar | Format::Unknown => {}
                    }
                }
            }
            Ok(_) => match format_of(path) {
                Format::Sidecar => self.err(shown, "a .meta.json sidecar is read with its .txt file, name the .txt"),
                Format::Unknown => self.err(shown, "unsupported input format (expected .txt, .jsonl, .html, a feed or .warc)"),
                _ => self.read_file(path),
            },
        }
    }

    fn read_file(&mut self, path: &Path) {
        let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !self.seen_files.insert(canon) {
            return;
        }
        let shown = path.display().to_string();
        let format = format_of(path);
        // Sizes first: a file too large is never read into memory.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let checked = match format {
            Format::Txt | Format::Html => self.limits.check_document_size(size),
            Format::Jsonl | Format::Feed | Format::Xml => self.limits.check_container_size(size),
            _ => Ok(()),
        };
        if let Err(reason) = checked {
            self.err(shown, reason);
            return;
        }
        match format {
            Format::Txt => self.read_txt(path, &shown),
            Format::Jsonl => self.read_jsonl(path, &shown),
            Format::Html => self.read_html(path, &shown),
            Format::Feed => self.read_feed(path, &shown),
            Format::Xml => self.read_xml(path, &shown),
            Format::Warc => self.read_warc(path, &shown),
            Format::Sidecar | Format::Unknown => self.err(shown, "unsupported input format"),
        }
    }

    fn read_raw(&mut self, path: &Path, shown: &str) -> Option<Vec<u8>> {
        match std::fs::read(path) {
            Ok(b) => Some(b),
            Err(e) => {
                self.err(shown, io_reason(&e));
                None
            }
        }
    }

    fn read_bytes(&mut self, path: &Path, shown: &str) -> Option<crate::decode::Decoded> {
        let bytes = self.read_raw(path, shown)?;
        match decode(&bytes, None) {
            Ok(d) => Some(d),
            Err(e @ (DecodeError::Empty | DecodeError::Binary)) => {
                self.err(shown, e.to_string());
                None
            }
        }
    }

    fn read_txt(&mut self, path: &Path, shown: &str) {
        let Some(d) = self.read_bytes(path, shown) else { return };
        if let Err(reason) = self.limits.check_text(&d.text) {
            self.err(shown, reason);
            return;
        }
        let id = stem(path, ".txt");
        let given = self.sidecar(path, &id);
        self.push(Document { id, text: d.text, given, origin: shown.to_string(), encoding: d.encoding });
    }

    /// An HTML page: its main text, with the page's metadata under a sidecar's.
    fn read_html(&mut self, path: &Path, shown: &str) {
        let Some(bytes) = self.read_raw(path, shown) else { return };
        let d = match crate::html::decode_html(&bytes, None) {
            Ok(d) => d,
            Err(e) => {
                self.err(shown, e.to_string());
                return;
            }
        };
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let suffix = [".html", ".htm", ".xhtml", ".xml"].into_iter().find(|s| name.ends_with(s)).unwrap_or(".html");
        let id = stem(path, suffix);
        let side = self.sidecar(path, &id);
        self.html_doc(&d.text, id, shown, d.encoding, side, None);
    }

    /// Builds the document of a page; `over` (sidecar, JSONL fields) wins over the page's own
    /// metadata, field by field; `url` is the page's address when the page gives none.
    fn html_doc(&mut self, html: &str, id: String, origin: &str, encoding: String, over: GivenMeta, url: Option<&str>) {
        match html_text(html, over, url, &self.limits) {
            Ok((text, given)) => self.push(Document { id, text, given, origin: origin.to_string(), encoding }),
            Err(reason) => self.err(origin, reason),
        }
    }

    fn read_feed(&mut self, path: &Path, shown: &str) {
        let Some(bytes) = self.read_raw(path, shown) else { return };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            self.err(shown, "empty file");
            return;
        }
        let f = crate::feed::read_feed(&bytes, shown, &self.limits);
        self.out.errors.extend(f.errors);
        for d in f.docs {
            self.push(d);
        }
    }

    /// `.xml`: a feed, or else an XHTML page.
    fn read_xml(&mut self, path: &Path, shown: &str) {
        let Some(bytes) = self.read_raw(path, shown) else { return };
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
        if crate::feed::looks_like_feed(&head) || !head.contains("<html") {
            let f = crate::feed::read_feed(&bytes, shown, &self.limits);
            self.out.errors.extend(f.errors);
            for d in f.docs {
                self.push(d);
            }
        } else {
            self.read_html(path, shown);
        }
    }

    fn read_warc(&mut self, path: &Path, shown: &str) {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                self.err(shown, io_reason(&e));
                return;
            }
        };
        let w = crate::warc::read_warc(file, shown, &self.limits);
        if w.docs.is_empty() && w.errors.is_empty() && w.skipped == 0 {
            self.err(shown, "empty file");
        }
        self.out.errors.extend(w.errors);
        for d in w.docs {
            // A URL captured in two files of a crawl keeps its first capture.
            if !self.ids.contains_key(&d.id) {
                self.push(d);
            }
        }
    }

    /// `STEM.meta.json` beside a `.txt`. A broken sidecar is reported, and the article is still
    /// read without it: the text is good even when its metadata is not.
    fn sidecar(&mut self, txt: &Path, id: &str) -> GivenMeta {
        let side = txt.with_file_name(format!("{id}.meta.json"));
        if !side.is_file() {
            return GivenMeta::default();
        }
        let shown = side.display().to_string();
        let bytes = match std::fs::read(&side) {
            Ok(b) => b,
            Err(e) => {
                self.err(shown, io_reason(&e));
                return GivenMeta::default();
            }
        };
        let text = match decode(&bytes, None) {
            Ok(d) => d.text,
            Err(e) => {
                self.err(shown, e.to_string());
                return GivenMeta::default();
            }
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(m)) => match given_from(&m) {
                Ok(g) => g,
                Err(reason) => {
                    self.err(shown, reason);
                    GivenMeta::default()
                }
            },
            Ok(_) => {
                self.err(shown, "sidecar is not a JSON object");
                GivenMeta::default()
            }
            Err(e) => {
                self.err(shown, format!("invalid JSON: {e}"));
                GivenMeta::default()
            }
        }
    }

    fn read_jsonl(&mut self, path: &Path, shown: &str) {
        let Some(d) = self.read_bytes(path, shown) else { return };
        self.jsonl_lines(&d.text, shown, &d.encoding);
    }

    fn jsonl_lines(&mut self, text: &str, shown: &str, encoding: &str) {
        let mut any = false;
        for (i, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            any = true;
            let origin = format!("{shown}:{}", i + 1);
            match jsonl_doc(line, &self.limits) {
                Ok((id, text, given)) => {
                    self.push(Document { id, text, given, origin, encoding: encoding.to_string() })
                }
                Err(reason) => self.err(origin, reason),
            }
        }
        if !any {
            self.err(shown, "empty file");
        }
    }

    fn push(&mut self, doc: Document) {
        if let Some(first) = self.ids.get(&doc.id) {
            let reason = format!("duplicate document id {:?} (first read from {first})", doc.id);
            self.err(doc.origin.clone(), reason);
            return;
        }
        self.ids.insert(doc.id.clone(), doc.origin.clone());
        self.out.docs.push(doc);
    }
}

/// The text of a page and its metadata: the page's own, overridden field by field by `over`;
/// `url` stands in when neither gives one.
fn html_text(html: &str, over: GivenMeta, url: Option<&str>, limits: &Limits) -> Result<(String, GivenMeta), String> {
    let page = crate::html::extract_page(html, limits).map_err(|e| e.to_string())?;
    limits.check_text(&page.text)?;
    let m = page.meta;
    let given = GivenMeta {
        published: over.published.or(m.published),
        outlet: over.outlet.or(m.outlet),
        url: over.url.or(m.url).or(url.map(str::to_string)),
        title: over.title.or(m.title),
        byline: over.byline.or(m.byline),
    };
    Ok((page.text, given))
}

/// One JSONL line → (id, text, metadata), or the one-line reason it is unusable.
pub(crate) fn jsonl_doc(line: &str, limits: &Limits) -> Result<(String, String, GivenMeta), String> {
    if line.len() as u64 > limits.max_document_bytes {
        return Err(limits.check_document_size(line.len() as u64).unwrap_err());
    }
    let v: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(m) = v else { return Err("not a JSON object".into()) };
    let id = match m.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(_)) => return Err("empty \"id\"".into()),
        Some(_) => return Err("\"id\" must be a string".into()),
        None => return Err("missing \"id\"".into()),
    };
    let given = given_from(&m)?;
    let text = match (m.get("text"), m.get("html")) {
        (Some(Value::String(t)), _) => t.clone(),
        (Some(Value::Null) | None, Some(Value::String(h))) => {
            if h.trim().is_empty() {
                return Err("empty html".into());
            }
            let (text, given) = html_text(h, given, None, limits)?;
            return Ok((id, text, given));
        }
        (Some(_), _) => return Err("\"text\" must be a string".into()),
        (None, Some(_)) => return Err("\"html\" must be a string".into()),
        (None, None) => return Err("missing \"text\" or \"html\"".into()),
    };
    if text.trim().is_empty() {
        return Err("empty text".into());
    }
    limits.check_text(&text)?;
    Ok((id, text, given))
}

/// The metadata fields of a sidecar or JSONL object. Unknown fields are ignored (sources add
/// their own); a known field of the wrong type is an error, since silently dropping a date would
/// change every relative date of the article.
fn given_from(m: &Map<String, Value>) -> Result<GivenMeta, String> {
    fn field(m: &Map<String, Value>, k: &str) -> Result<Option<String>, String> {
        match m.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => {
                let s = s.trim();
                Ok((!s.is_empty()).then(|| s.to_string()))
            }
            // A bare year: {"published": 2020}.
            Some(Value::Number(n)) if k == "published" => Ok(Some(n.to_string())),
            Some(_) => Err(format!("\"{k}\" must be a string")),
        }
    }
    Ok(GivenMeta {
        published: field(m, "published")?,
        outlet: field(m, "outlet")?,
        url: field(m, "url")?,
        title: field(m, "title")?,
        byline: field(m, "byline")?,
    })
}

/// The file name without its format suffix (case-insensitive), e.g. `a.b.TXT` → `a.b`.
fn stem(path: &Path, suffix: &str) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.len() >= suffix.len() && name.is_char_boundary(name.len() - suffix.len()) {
        let (head, tail) = name.split_at(name.len() - suffix.len());
        if tail.eq_ignore_ascii_case(suffix) && !head.is_empty() {
            return head.to_string();
        }
    }
    name
}

pub(crate) fn is_hidden(p: &Path) -> bool {
    p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Collects the files below `dir`, depth first, entries sorted by name so that runs are
/// reproducible whatever order the file system lists them in. Hidden entries are skipped;
/// symlinked directories are followed once (the visited set breaks cycles).
fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    visited: &mut HashSet<PathBuf>,
    errors: &mut Vec<InputError>,
) -> std::io::Result<()> {
    let canon = std::fs::canonicalize(dir)?;
    if !visited.insert(canon) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if is_hidden(&p) {
            continue;
        }
        if p.is_dir() {
            if let Err(e) = walk(&p, files, visited, errors) {
                errors.push(InputError::new(p.display().to_string(), io_reason(&e)));
            }
        } else if p.is_file() {
            files.push(p);
        }
    }
    Ok(())
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot read: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> Self {
            let p = std::env::temp_dir().join(format!("marsad-ingest-{tag}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&p);
            fs::create_dir_all(&p).unwrap();
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    const TEXT: &str = "عنوان تجريبي للخبر\n\nنص الخبر الأول في سطر واحد.\n";

    #[test]
    fn txt_with_sidecar_and_directory_order() {
        let t = TempDir::new("dir");
        let d = &t.0;
        fs::create_dir_all(d.join("sub")).unwrap();
        fs::write(d.join("b.txt"), TEXT).unwrap();
        fs::write(d.join("a.txt"), TEXT).unwrap();
        fs::write(d.join("a.meta.json"), r#"{"published": "2021-03-04", "outlet": "موقع", "extra": 1}"#).unwrap();
        fs::write(d.join("sub/c.txt"), TEXT).unwrap();
        fs::write(d.join(".hidden.txt"), TEXT).unwrap();
        fs::write(d.join("notes.md"), "x").unwrap();
        fs::write(d.join("empty.txt"), "").unwrap();
        let out = read_paths(std::slice::from_ref(d));
        let ids: Vec<_> = out.docs.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(out.docs[0].given.published.as_deref(), Some("2021-03-04"));
        assert_eq!(out.docs[0].given.outlet.as_deref(), Some("موقع"));
        assert_eq!(out.docs[0].text, TEXT);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert!(out.errors[0].to_string().ends_with("empty.txt: empty file"));
        // Same file named twice: read once, no duplicate-id error.
        let out = read_paths(&[d.join("b.txt"), d.join("b.txt")]);
        assert_eq!((out.docs.len(), out.errors.len()), (1, 0));
    }

    #[test]
    fn jsonl_bad_lines_are_errors_others_go_on() {
        let t = TempDir::new("jsonl");
        let p = t.0.join("feed.jsonl");
        let body = [
            r#"{"id": "x1", "text": "نص أول", "published": "2020-01-02", "title": "عنوان"}"#,
            r#"{"id": "x2", "text": "#,
            "",
            r#"{"text": "بلا معرف"}"#,
            r#"{"id": "x3", "html": "<html><body><nav>x</nav></body></html>"}"#,
            r#"{"id": "x1", "text": "مكرر"}"#,
            r#"[1, 2]"#,
            r#"{"id": 7, "text": "نص سابع\r\nسطر", "outlet": "وكالة"}"#,
        ]
        .join("\r\n");
        fs::write(&p, body).unwrap();
        let out = read_paths(std::slice::from_ref(&p));
        let ids: Vec<_> = out.docs.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["x1", "7"]);
        assert_eq!(out.docs[0].given.title.as_deref(), Some("عنوان"));
        assert_eq!(out.docs[1].text, "نص سابع\r\nسطر");
        assert!(out.docs[1].origin.ends_with("feed.jsonl:8"));
        let errs: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 5, "{errs:?}");
        for (e, line) in errs.iter().zip([2, 4, 5, 6, 7]) {
            assert!(e.contains(&format!("feed.jsonl:{line}: ")), "{e}");
            assert!(!e.contains('\n'));
        }
    }

    #[test]
    fn explicit_errors() {
        let t = TempDir::new("explicit");
        let d = &t.0;
        fs::write(d.join("page.html"), "<html></html>").unwrap();
        fs::write(d.join("data.bin"), [0u8, 1, 2]).unwrap();
        fs::write(d.join("bin.txt"), [0x89, b'P', b'N', b'G', 0, 0, 0, 0x0D, 0, 1]).unwrap();
        fs::write(d.join("x.meta.json"), "{}").unwrap();
        let out = read_paths(&[
            d.join("page.html"),
            d.join("data.bin"),
            d.join("missing.txt"),
            d.join("bin.txt"),
            d.join("x.meta.json"),
        ]);
        assert!(out.docs.is_empty());
        let errs: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert!(errs[0].contains("page.html: no article text found in the page"), "{}", errs[0]);
        assert!(errs[1].contains("data.bin: unsupported input format"));
        assert!(errs[2].contains("missing.txt: no such file or directory"));
        assert!(errs[3].contains("bin.txt: binary file"));
    }

    #[test]
    fn bad_sidecar_reported_text_still_read() {
        let t = TempDir::new("sidecar");
        let d = &t.0;
        fs::write(d.join("n.txt"), TEXT).unwrap();
        fs::write(d.join("n.meta.json"), "{not json").unwrap();
        let out = read_paths(&[d.join("n.txt")]);
        assert_eq!(out.docs.len(), 1);
        assert_eq!(out.errors.len(), 1);
        assert!(out.errors[0].origin.ends_with("n.meta.json"));
    }

    const PAGE: &str = "<html><head><title>عنوان الصفحة التجريبية الطويل - موقع</title>\
        <meta property=\"og:site_name\" content=\"موقع\">\
        <meta property=\"article:published_time\" content=\"2021-06-01T10:00:00+03:00\"></head>\
        <body><nav><a href=/>الرئيسية</a></nav><h1>عنوان الصفحة التجريبية الطويل</h1>\
        <div class=content><p>نص الخبر الأول في فقرة كاملة، وفيها تفاصيل كافية لتكون نصاً.</p></div></body></html>";

    #[test]
    fn html_files_jsonl_html_fields_and_sidecars() {
        let t = TempDir::new("html");
        let d = &t.0;
        fs::write(d.join("p.html"), PAGE).unwrap();
        fs::write(d.join("p.meta.json"), r#"{"published": "2021-06-02"}"#).unwrap();
        let line = serde_json::json!({"id": "j1", "html": PAGE, "outlet": "وكالة"}).to_string();
        fs::write(d.join("l.jsonl"), format!("{line}\n")).unwrap();
        fs::write(d.join("x.xml"), PAGE.replace("<html>", "<?xml version=\"1.0\"?><html>")).unwrap();
        let out = read_paths(std::slice::from_ref(d));
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let ids: Vec<_> = out.docs.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["j1", "p", "x"]);
        let want = "عنوان الصفحة التجريبية الطويل\n\nنص الخبر الأول في فقرة كاملة، وفيها تفاصيل كافية لتكون نصاً.\n";
        for doc in &out.docs {
            assert_eq!(doc.text, want);
            assert_eq!(doc.given.title.as_deref(), Some("عنوان الصفحة التجريبية الطويل"));
        }
        assert_eq!(out.docs[0].given.outlet.as_deref(), Some("وكالة"), "the JSONL field wins");
        assert_eq!(out.docs[0].given.published.as_deref(), Some("2021-06-01"));
        assert_eq!(out.docs[1].given.published.as_deref(), Some("2021-06-02"), "the sidecar wins");
        assert_eq!(out.docs[1].given.outlet.as_deref(), Some("موقع"));
    }

    #[test]
    fn limits_per_document() {
        let t = TempDir::new("limits");
        let d = &t.0;
        let small = Limits { max_document_bytes: 4096, max_text_bytes: 2048, max_line_bytes: 1024, ..Limits::default() };
        fs::write(d.join("big.txt"), "ا".repeat(3000)).unwrap();
        fs::write(d.join("line.txt"), "ب".repeat(600)).unwrap();
        fs::write(d.join("ok.txt"), TEXT).unwrap();
        let long = serde_json::json!({"id": "long", "text": "ت".repeat(1500)}).to_string();
        fs::write(d.join("l.jsonl"), format!("{long}\n{{\"id\": \"j2\", \"text\": \"نص\"}}\n")).unwrap();
        let out = read_paths_with(std::slice::from_ref(d), &small);
        let ids: Vec<_> = out.docs.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["j2", "ok"]);
        let errs: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].ends_with("big.txt: too large: 5.9 KB (the limit for one document is 4.0 KB)"), "{}", errs[0]);
        assert!(errs[1].ends_with("l.jsonl:1: text too large: 2.9 KB (the limit for one document is 2.0 KB)"), "{}", errs[1]);
        assert!(errs[2].ends_with("line.txt: a single line of 1.2 KB: not article text (the limit for one line is 1.0 KB)"), "{}", errs[2]);
    }

    #[test]
    fn bodies_fetched_from_urls() {
        let out = read_body(PAGE.as_bytes(), Some("text/html; charset=utf-8"), "https://x.test/a", &Limits::default());
        assert_eq!(out.docs.len(), 1);
        assert_eq!(out.docs[0].id, "https://x.test/a");
        assert_eq!(out.docs[0].given.url.as_deref(), Some("https://x.test/a"));
        let rss = "<rss version=\"2.0\"><channel><title>t</title><item><guid>g1</guid><title>عنوان</title><description>نص البند.</description></item></channel></rss>";
        let out = read_body(rss.as_bytes(), Some("application/rss+xml"), "https://x.test/feed", &Limits::default());
        assert_eq!(out.docs.len(), 1);
        assert_eq!((out.docs[0].id.as_str(), out.docs[0].origin.as_str()), ("g1", "https://x.test/feed#1"));
        let out = read_body(b"\x00\x01", Some("text/html"), "https://x.test/b", &Limits::default());
        assert_eq!(out.errors[0].to_string(), "https://x.test/b: binary file (not text in any supported encoding)");
    }

    #[test]
    fn stems() {
        assert_eq!(stem(Path::new("/a/b.c.TXT"), ".txt"), "b.c");
        assert_eq!(stem(Path::new(".txt"), ".txt"), ".txt");
    }
}
