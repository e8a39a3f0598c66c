//! Streaming reading: the documents of [`crate::read_paths`], one at a time, in the same order,
//! without holding the corpus in memory.
//!
//! [`stream_paths`] walks directories lazily (entries sorted by name, hidden ones skipped,
//! symlinked directories followed once) and reads a `.jsonl`/`.ndjson` file line by line, so
//! memory holds one line, not the file; such a file is therefore not subject to
//! [`Limits::max_container_bytes`] (each line still is to [`Limits::max_document_bytes`]). Every
//! other format, and a JSON Lines file that is not UTF-8 (a UTF-16 or legacy-encoded file is
//! decoded whole), is read by [`crate::read_paths_with`] one file at a time.
//!
//! What stays in memory as the stream goes on: one 128-bit hash and a compact origin per
//! document id (24-byte entries of a hash table kept at most 7/8 full: 30 to 55 bytes a
//! document, for the duplicate-id check of the reading contract),
//! the canonical path of every file read, and the origin text of documents that do not come
//! from a JSON Lines line. Errors are yielded in reading order among the documents.

use crate::limits::Limits;
use crate::read::{format_of, io_reason, is_hidden, jsonl_doc, read_paths_with, Format, InputError};
use marsad_model::{Document, GivenMeta};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

/// One step of the stream: a document, or one input that could not be read.
pub type Item = Result<Document, InputError>;

/// Bytes sniffed at the head of a JSON Lines file to decide whether it can be streamed as UTF-8.
const HEAD: usize = 64 << 10;

/// Streams the documents of `paths` (files or directories) with the default [`Limits`].
pub fn stream_paths(paths: &[PathBuf]) -> DocStream {
    stream_paths_with(paths, &Limits::default())
}

/// [`stream_paths`] with other limits.
pub fn stream_paths_with(paths: &[PathBuf], limits: &Limits) -> DocStream {
    DocStream {
        limits: limits.clone(),
        roots: Vec::from(paths).into_iter(),
        dirs: Vec::new(),
        visited: HashSet::new(),
        seen_files: HashSet::new(),
        jsonl: None,
        ready: VecDeque::new(),
        ids: Ids::default(),
        bytes: 0,
        line: Vec::new(),
    }
}

/// The iterator of [`stream_paths`].
pub struct DocStream {
    limits: Limits,
    roots: std::vec::IntoIter<PathBuf>,
    /// The directories being walked, outermost first: what is left of each one's sorted entries.
    dirs: Vec<std::vec::IntoIter<PathBuf>>,
    /// Canonical directories entered below the current root (breaks symlink cycles).
    visited: HashSet<PathBuf>,
    /// Canonical files read: a file named twice (or inside a directory named too) is read once.
    seen_files: HashSet<PathBuf>,
    /// The JSON Lines file being read.
    jsonl: Option<JsonlFile>,
    /// Items of a file read whole, not yet handed out.
    ready: VecDeque<Item>,
    ids: Ids,
    bytes: u64,
    /// Buffer of the current JSON Lines line.
    line: Vec<u8>,
}

impl DocStream {
    /// Bytes of input read so far (JSON Lines lines with their line ends; whole files).
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    fn err(&mut self, origin: impl Into<String>, reason: impl Into<String>) {
        self.ready.push_back(Err(InputError::new(origin, reason)));
    }

    /// Starts the next explicit path; false when there is none left.
    fn next_root(&mut self) -> bool {
        let Some(path) = self.roots.next() else { return false };
        let shown = path.display().to_string();
        match std::fs::metadata(&path) {
            Err(e) => self.err(shown, io_reason(&e)),
            Ok(m) if m.is_dir() => {
                self.visited.clear();
                self.enter_dir(&path);
            }
            Ok(_) => match format_of(&path) {
                Format::Sidecar => self.err(shown, "a .meta.json sidecar is read with its .txt file, name the .txt"),
                Format::Unknown => {
                    self.err(shown, "unsupported input format (expected .txt, .jsonl, .html, a feed or .warc)")
                }
                _ => self.read_file(&path),
            },
        }
        true
    }

    /// Lists a directory (sorted, hidden entries left out) and pushes it on the walk.
    fn enter_dir(&mut self, dir: &Path) {
        let listed = std::fs::canonicalize(dir).and_then(|canon| {
            if !self.visited.insert(canon) {
                return Ok(None);
            }
            let mut entries: Vec<PathBuf> =
                std::fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| !is_hidden(p)).collect();
            entries.sort();
            Ok(Some(entries))
        });
        match listed {
            Ok(Some(entries)) => self.dirs.push(entries.into_iter()),
            Ok(None) => {}
            Err(e) => self.err(dir.display().to_string(), io_reason(&e)),
        }
    }

    /// Takes the next entry of the walk; false when the walk is over.
    fn next_entry(&mut self) -> bool {
        while let Some(top) = self.dirs.last_mut() {
            let Some(p) = top.next() else {
                self.dirs.pop();
                continue;
            };
            if p.is_dir() {
                self.enter_dir(&p);
            } else if p.is_file() {
                // Inside a directory only what can be read is taken; images, notes and
                // sidecars are passed over without complaint.
                match format_of(&p) {
                    Format::Txt | Format::Jsonl | Format::Html | Format::Feed | Format::Xml | Format::Warc => {
                        self.read_file(&p)
                    }
                    Format::Sidecar | Format::Unknown => {}
                }
            }
            return true;
        }
        false
    }

    fn read_file(&mut self, path: &Path) {
        let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !self.seen_files.insert(canon) {
            return;
        }
        let format = format_of(path);
        if format == Format::Jsonl {
            match JsonlFile::open(path) {
                Ok(Some(f)) => {
                    self.ids.files.push(f.shown.as_str().into());
                    self.jsonl = Some(f);
                    return;
                }
                Ok(None) => {} // not UTF-8: read whole below
                Err(e) => {
                    self.err(path.display().to_string(), io_reason(&e));
                    return;
                }
            }
        }
        self.bytes += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let out = read_paths_with(&[path.to_path_buf()], &self.limits);
        self.ready.extend(out.errors.into_iter().map(Err));
        for doc in out.docs {
            // A URL captured in two files of a crawl keeps its first capture, silently.
            let silent = format == Format::Warc;
            if let Some(item) = self.ids.admit(doc, None, silent) {
                self.ready.push_back(item);
            }
        }
    }

    /// The next item of the open JSON Lines file, if any is left in it.
    fn next_line(&mut self) -> Option<Item> {
        loop {
            let f = self.jsonl.as_mut()?;
            let limit = self.limits.max_document_bytes;
            let line = match f.read_line(&mut self.line, limit) {
                Ok(Some(l)) => l,
                Ok(None) => {
                    let f = self.jsonl.take()?;
                    if !f.any {
                        return Some(Err(InputError::new(f.shown, "empty file")));
                    }
                    return None;
                }
                Err(e) => {
                    let f = self.jsonl.take()?;
                    return Some(Err(InputError::new(format!("{}:{}", f.shown, f.line_no + 1), io_reason(&e))));
                }
            };
            self.bytes += line.raw_len as u64;
            let file_idx = (self.ids.files.len() - 1) as u32;
            let origin = format!("{}:{}", f.shown, f.line_no);
            if line.len > limit as usize {
                f.any = true;
                let reason = self.limits.check_document_size(line.len as u64).err().unwrap_or_default();
                return Some(Err(InputError::new(origin, reason)));
            }
            let mut bytes = &self.line[..line.len];
            if f.line_no == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    f.any = true;
                    return Some(Err(InputError::new(origin, "not valid UTF-8 (the file began as UTF-8)")));
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            f.any = true;
            let line_no = f.line_no as u32;
            let parsed = fast_jsonl_doc(text, &self.limits).unwrap_or_else(|| jsonl_doc(text, &self.limits));
            match parsed {
                Ok((id, text, given)) => {
                    let doc = Document { id, text, given, origin, encoding: "UTF-8".into() };
                    if let Some(item) = self.ids.admit(doc, Some((file_idx, line_no)), false) {
                        return Some(item);
                    }
                }
                Err(reason) => return Some(Err(InputError::new(origin, reason))),
            }
        }
    }
}

impl Iterator for DocStream {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.jsonl.is_some() {
                if let Some(item) = self.next_line() {
                    return Some(item);
                }
                continue;
            }
            if !self.next_entry() && !self.next_root() {
                return None;
            }
        }
    }
}

/// A JSON Lines file read as UTF-8, line by line.
struct JsonlFile {
    reader: BufReader<std::io::Chain<Cursor<Vec<u8>>, File>>,
    shown: String,
    /// 1-based number of the line last read.
    line_no: usize,
    /// A line that is not blank was seen.
    any: bool,
}

/// Where a line ends in the buffer.
struct Line {
    /// Bytes of the line kept in the buffer, without its `\n` (all of them unless it is longer
    /// than the limit).
    len: usize,
    /// Bytes the line took in the file, `\n` included.
    raw_len: usize,
}

impl JsonlFile {
    /// Opens a JSON Lines file for streaming; `None` when its head is not UTF-8 (a BOM of
    /// UTF-16, NUL bytes, or bytes of a legacy encoding), such a file is decoded whole.
    fn open(path: &Path) -> std::io::Result<Option<JsonlFile>> {
        let mut file = File::open(path)?;
        let mut head = Vec::with_capacity(HEAD);
        (&mut file).take(HEAD as u64).read_to_end(&mut head)?;
        let utf16_bom = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
        let utf8 = match std::str::from_utf8(&head) {
            Ok(_) => true,
            // A character cut by the end of the head.
            Err(e) => e.error_len().is_none() && head.len() == HEAD,
        };
        if utf16_bom || head.contains(&0) || !utf8 {
            return Ok(None);
        }
        Ok(Some(JsonlFile {
            reader: BufReader::with_capacity(256 << 10, Cursor::new(head).chain(file)),
            shown: path.display().to_string(),
            line_no: 0,
            any: false,
        }))
    }

    /// Reads the next line into `buf` (at most `limit + 1` bytes of it are kept); `None` at the
    /// end of the file.
    fn read_line(&mut self, buf: &mut Vec<u8>, limit: u64) -> std::io::Result<Option<Line>> {
        buf.clear();
        let keep = limit.saturating_add(1);
        let n = (&mut self.reader).take(keep).read_until(b'\n', buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
            return Ok(Some(Line { len: buf.len(), raw_len: n }));
        }
        if (n as u64) < keep {
            // The last line, without a line end.
            return Ok(Some(Line { len: n, raw_len: n }));
        }
        // Longer than the limit: the rest of the line is skipped, only its length counted.
        let mut rest = 0usize;
        let mut ended = false;
        while !ended {
            let avail = self.reader.fill_buf()?;
            if avail.is_empty() {
                break;
            }
            let take = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    ended = true;
                    rest += i;
                    i + 1
                }
                None => {
                    rest += avail.len();
                    avail.len()
                }
            };
            self.reader.consume(take);
        }
        let len = n + rest;
        Ok(Some(Line { len, raw_len: len + usize::from(ended) }))
    }
}

/// The fields of an ordinary JSON Lines article, borrowed from the line where it has no escapes.
#[derive(Deserialize)]
struct FastLine<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    published: Option<Cow<'a, str>>,
    #[serde(borrow)]
    outlet: Option<Cow<'a, str>>,
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(borrow)]
    byline: Option<Cow<'a, str>>,
}

/// The common case of a JSON Lines line (an object with a string id and text, string or null
/// metadata) read without building a JSON tree; `None` for anything else, which the general
/// reader handles with its exact error messages. Gives what the general reader gives.
fn fast_jsonl_doc(line: &str, limits: &Limits) -> Option<Result<(String, String, GivenMeta), String>> {
    if line.len() as u64 > limits.max_document_bytes || !line.trim_start().starts_with('{') {
        return None;
    }
    let f: FastLine<'_> = serde_json::from_str(line).ok()?;
    let id = f.id.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_string();
    let text = f.text?;
    if text.trim().is_empty() {
        return None;
    }
    let field = |v: Option<Cow<'_, str>>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let given = GivenMeta {
        published: field(f.published),
        outlet: field(f.outlet),
        url: field(f.url),
        title: field(f.title),
        byline: field(f.byline),
    };
    if let Err(reason) = limits.check_text(&text) {
        return Some(Err(reason));
    }
    Some(Ok((id, text.into_owned(), given)))
}

/// The duplicate-id check, in a few bytes per document: a 128-bit hash of each id read, with
/// where it was first read.
#[derive(Default)]
struct Ids {
    first: HashMap<(u64, u64), u64>,
    /// JSON Lines files streamed so far (origins are `file:line`).
    files: Vec<Box<str>>,
    /// Origins of documents that do not come from a streamed line.
    others: Vec<Box<str>>,
}

const OTHER: u64 = u32::MAX as u64;

impl Ids {
    /// 128 bits of hash, as two words (24-byte table entries, where a `u128` key takes 32).
    fn key(id: &str) -> (u64, u64) {
        let half = |salt: u8| {
            let mut h = std::hash::DefaultHasher::new();
            salt.hash(&mut h);
            id.hash(&mut h);
            h.finish()
        };
        (half(0), half(1))
    }

    fn origin(&self, packed: u64) -> String {
        let (file, line) = (packed >> 32, packed & 0xFFFF_FFFF);
        if file == OTHER {
            self.others[line as usize].to_string()
        } else {
            format!("{}:{}", self.files[file as usize], line)
        }
    }

    /// The document, or the error of a duplicate id; `None` when a duplicate is dropped silently.
    fn admit(&mut self, doc: Document, line: Option<(u32, u32)>, silent: bool) -> Option<Item> {
        let key = Self::key(&doc.id);
        if let Some(&packed) = self.first.get(&key) {
            if silent {
                return None;
            }
            let reason = format!("duplicate document id {:?} (first read from {})", doc.id, self.origin(packed));
            return Some(Err(InputError::new(doc.origin, reason)));
        }
        let packed = match line {
            Some((file, line)) => (u64::from(file) << 32) | u64::from(line),
            None => {
                self.others.push(doc.origin.as_str().into());
                (OTHER << 32) | (self.others.len() - 1) as u64
            }
        };
        self.first.insert(key, packed);
        Some(Ok(doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> Self {
            let p = std::env::temp_dir().join(format!("marsad-stream-{tag}-{}", std::process::id()));
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

    /// Documents, and error lines sorted.
    type Read = (Vec<Document>, Vec<String>);

    /// What `read_paths` gives, and what the stream gives.
    fn both(paths: &[PathBuf]) -> (Read, Read) {
        let whole = crate::read_paths(paths);
        let mut errs: Vec<String> = whole.errors.iter().map(|e| e.to_string()).collect();
        errs.sort();
        let (mut docs, mut serrs) = (Vec::new(), Vec::new());
        for item in stream_paths(paths) {
            match item {
                Ok(d) => docs.push(d),
                Err(e) => serrs.push(e.to_string()),
            }
        }
        serrs.sort();
        ((whole.docs, errs), (docs, serrs))
    }

    const TEXT: &str = "خبر تجريبي عن قصف\n\nقالت مصادر محلية إن القصف طال القرية صباح اليوم.\n";

    #[test]
    fn same_documents_and_errors_as_read_paths() {
        let t = TempDir::new("same");
        let d = &t.0;
        fs::create_dir_all(d.join("sub/deeper")).unwrap();
        fs::write(d.join("b.txt"), TEXT).unwrap();
        fs::write(d.join("a.txt"), TEXT).unwrap();
        fs::write(d.join("a.meta.json"), r#"{"published": "2022-05-06"}"#).unwrap();
        fs::write(d.join(".hidden.txt"), TEXT).unwrap();
        fs::write(d.join("notes.md"), "x").unwrap();
        fs::write(d.join("empty.txt"), "").unwrap();
        fs::write(d.join("sub/deeper/c.txt"), TEXT).unwrap();
        let lines = [
            "\u{feff}{\"id\": \"j1\", \"text\": \"نص أول\", \"published\": \"2020-01-02\", \"title\": \" عنوان \"}",
            r#"{"id": "j2", "text": "#,
            "",
            r#"{"text": "بلا معرف"}"#,
            r#"{"id": "a", "text": "معرف مكرر من ملف نصي"}"#,
            r#"["j9", "مصفوفة"]"#,
            r#"{"id": 7, "text": "نص سابع\r\nسطر", "outlet": "وكالة", "extra": {"x": [1]}}"#,
            r#"{"id": "j3", "text": "نص \"مقتبس\" \u0627", "published": 2021, "url": null}"#,
            r#"{"id": "j4", "text": "   "}"#,
            r#"{"id": "j5", "text": "نص", "id": "j6"}"#,
            r#"{"id": "j7", "text": "نص", "title": 5}"#,
        ]
        .join("\r\n");
        fs::write(d.join("sub/feed.jsonl"), lines).unwrap();
        fs::write(d.join("sub/empty.jsonl"), "\n \n").unwrap();
        let (whole, streamed) = both(&[d.clone(), d.join("b.txt"), d.join("missing.txt"), d.join("x.bin")]);
        assert_eq!(whole.1, streamed.1);
        assert_eq!(whole.0, streamed.0);
        let ids: Vec<&str> = streamed.0.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "j1", "7", "j3", "j6"]);
    }

    #[test]
    fn legacy_encoded_jsonl_is_read_whole() {
        let t = TempDir::new("legacy");
        let p = t.0.join("old.jsonl");
        let line = "{\"id\": \"w1\", \"text\": \"قصف مدفعي على البلدة\"}\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(line);
        fs::write(&p, &bytes).unwrap();
        let (whole, streamed) = both(std::slice::from_ref(&p));
        assert_eq!(whole, streamed);
        assert_eq!(streamed.0.len(), 1);
        assert_eq!(streamed.0[0].encoding, "windows-1256");
    }

    #[test]
    fn long_lines_are_errors_without_being_held() {
        let t = TempDir::new("long");
        let p = t.0.join("big.jsonl");
        let long = format!("{{\"id\": \"x\", \"text\": \"{}\"}}", "ا".repeat(3000));
        let body = format!("{long}\n{{\"id\": \"y\", \"text\": \"نص\"}}\n{long}");
        fs::write(&p, body).unwrap();
        let limits = Limits { max_document_bytes: 1000, ..Limits::default() };
        let items: Vec<Item> = stream_paths_with(std::slice::from_ref(&p), &limits).collect();
        let whole = read_paths_with(std::slice::from_ref(&p), &limits);
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].as_ref().unwrap().id, "y");
        let mut errs: Vec<String> = items.iter().filter_map(|i| i.as_ref().err()).map(|e| e.to_string()).collect();
        let mut werrs: Vec<String> = whole.errors.iter().map(|e| e.to_string()).collect();
        errs.sort();
        werrs.sort();
        assert_eq!(errs, werrs);
        assert!(errs[0].contains("big.jsonl:1: too large"), "{}", errs[0]);
    }

    #[test]
    fn fast_path_agrees_with_the_general_reader() {
        let limits = Limits::default();
        for line in [
            r#"{"id": " k1 ", "text": "نص", "outlet": "", "byline": "مراسل"}"#,
            r#"{"id": "k2", "text": "نص\nثان", "published": null, "unknown": [1, {"a": 2}]}"#,
            r#"{"text": "نص", "id": "k3", "html": 4}"#,
            r#"{"id": "k4", "text": "\u0646\u0635"}"#,
        ] {
            assert_eq!(fast_jsonl_doc(line, &limits), Some(jsonl_doc(line, &limits)), "{line}");
        }
        for line in [r#"{"id": 3, "text": "نص"}"#, r#"["a", "b"]"#, r#"{"id": "", "text": "نص"}"#, r#"{"id": "z", "html": "<p>x</p>"}"#] {
            assert_eq!(fast_jsonl_doc(line, &limits), None, "{line}");
        }
    }
}
