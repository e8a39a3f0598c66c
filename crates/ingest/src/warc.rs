//! WARC files (`.warc`, `.warc.gz`, ISO 28500): each `response` (or `resource`) record whose
//! payload is an HTML page with status 2xx becomes a document.
//!
//! - **id**: the record's `WARC-Target-URI` (a crawl's documents are its URLs); a URL captured
//!   twice keeps its first capture;
//! - **origin**: `FILE#N URL fetched WARC-DATE`, so error lines and the store name the record,
//!   its URL and when it was fetched;
//! - **text and metadata**: as for an `.html` file ([`crate::html::extract_page`]); the URL is
//!   the page's canonical URL, else the target URI. The fetch date is *not* a publication date
//!   (a crawl fetches old articles too), so it never stands in for one.
//!
//! The file is streamed record by record (gzip members included), never held whole in memory;
//! a record larger than [`Limits::max_document_bytes`] is skipped unread. Requests, metadata,
//! revisits, redirects, images, scripts and style sheets are passed over without complaint, and
//! so are HTML pages with no article text (index and tag pages): a crawl is full of them. A
//! malformed record, a truncated file or an article page that cannot be read is one error line.

use crate::html::{decode_html, extract_page, HtmlError};
use crate::limits::Limits;
use crate::read::InputError;
use flate2::read::{GzDecoder, MultiGzDecoder};
use marsad_model::Document;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

/// The documents of a WARC file and its failed records.
#[derive(Debug, Default)]
pub struct WarcOutcome {
    pub docs: Vec<Document>,
    pub errors: Vec<InputError>,
    /// Records passed over (not HTML pages, not 2xx, duplicates, pages without article text).
    pub skipped: usize,
}

/// Reads a WARC stream, gzip-compressed or not (told by its first bytes).
pub fn read_warc<R: Read>(input: R, shown: &str, limits: &Limits) -> WarcOutcome {
    let mut r = BufReader::with_capacity(64 << 10, input);
    let gz = matches!(r.fill_buf(), Ok([0x1f, 0x8b, ..]));
    if gz {
        read_records(BufReader::with_capacity(64 << 10, MultiGzDecoder::new(r)), shown, limits)
    } else {
        read_records(r, shown, limits)
    }
}

/// One WARC record's named header fields (those we use).
#[derive(Debug, Default)]
struct Head {
    version_ok: bool,
    warc_type: String,
    target: String,
    date: String,
    content_type: String,
    length: Option<u64>,
}

fn read_records<R: BufRead>(mut r: R, shown: &str, limits: &Limits) -> WarcOutcome {
    let mut out = WarcOutcome::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut n = 0usize;
    loop {
        let head = match read_head(&mut r) {
            Ok(Some(h)) => h,
            Ok(None) => break,
            Err(reason) => {
                let reason = if n == 0 { format!("not a WARC file: {reason}") } else { reason };
                out.errors.push(InputError::new(format!("{shown}#{}", n + 1), reason));
                break;
            }
        };
        n += 1;
        let origin = format!("{shown}#{n} {} fetched {}", head.target, head.date).trim_end().to_string();
        if !head.version_ok {
            out.errors.push(InputError::new(format!("{shown}#{n}"), "not a WARC record (no WARC/ version line)"));
            break;
        }
        let Some(len) = head.length else {
            out.errors.push(InputError::new(origin, "WARC record without Content-Length"));
            break;
        };
        let wanted = matches!(head.warc_type.as_str(), "response" | "resource")
            && (head.content_type.starts_with("application/http") || head.content_type.contains("html"));
        if !wanted || len > limits.max_document_bytes {
            if wanted {
                out.errors.push(InputError::new(origin.clone(), limits.check_document_size(len).unwrap_err()));
            } else {
                out.skipped += 1;
            }
            match std::io::copy(&mut (&mut r).take(len), &mut std::io::sink()) {
                Ok(got) if got == len => continue,
                Ok(got) => {
                    out.errors.push(InputError::new(origin, format!("truncated record: {got} of {len} bytes")));
                    break;
                }
                Err(e) => {
                    out.errors.push(InputError::new(origin, format!("cannot read: {e}")));
                    break;
                }
            }
        }
        let mut block = Vec::with_capacity(len as usize);
        match (&mut r).take(len).read_to_end(&mut block) {
            Ok(got) if got as u64 == len => {}
            Ok(got) => {
                out.errors.push(InputError::new(origin, format!("truncated record: {got} of {len} bytes")));
                break;
            }
            Err(e) => {
                out.errors.push(InputError::new(origin, format!("cannot read: {e}")));
                break;
            }
        }
        let page = if head.warc_type == "response" && head.content_type.starts_with("application/http") {
            match http_payload(&block) {
                Ok(Some(p)) => p,
                Ok(None) => {
                    out.skipped += 1;
                    continue;
                }
                Err(reason) => {
                    out.errors.push(InputError::new(origin, reason));
                    continue;
                }
            }
        } else {
            Payload { body: block, charset: charset_of(&head.content_type) }
        };
        if head.target.is_empty() || !seen.insert(head.target.clone()) {
            out.skipped += 1;
            continue;
        }
        match page_doc(&page, &head, &origin, limits) {
            Ok(Some(d)) => out.docs.push(d),
            Ok(None) => out.skipped += 1,
            Err(reason) => out.errors.push(InputError::new(origin, reason)),
        }
    }
    out
}

/// Reads the version line and header fields of the next record; `None` at a clean end.
fn read_head<R: BufRead>(r: &mut R) -> Result<Option<Head>, String> {
    let mut line = Vec::new();
    let mut head = Head::default();
    // Skip the blank lines that end the previous record.
    loop {
        line.clear();
        let got = read_line(r, &mut line)?;
        if got == 0 {
            return Ok(None);
        }
        if !line.iter().all(|b| b.is_ascii_whitespace()) {
            break;
        }
    }
    head.version_ok = line.starts_with(b"WARC/");
    if !head.version_ok {
        return Ok(Some(head));
    }
    let mut total = 0usize;
    loop {
        line.clear();
        let got = read_line(r, &mut line)?;
        if got == 0 {
            return Err("truncated record header".into());
        }
        total += got;
        if total > 64 << 10 {
            return Err("record header longer than 64 KB".into());
        }
        let l = String::from_utf8_lossy(&line);
        let l = l.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let Some((k, v)) = l.split_once(':') else { continue };
        let v: String = v.trim().chars().filter(|c| !c.is_control()).collect();
        let v = v.as_str();
        match k.trim().to_ascii_lowercase().as_str() {
            "warc-type" => head.warc_type = v.to_ascii_lowercase(),
            "warc-target-uri" => head.target = v.trim_start_matches('<').trim_end_matches('>').to_string(),
            "warc-date" => head.date = v.to_string(),
            "content-type" => head.content_type = v.to_ascii_lowercase(),
            "content-length" => head.length = v.parse().ok(),
            _ => {}
        }
    }
    Ok(Some(head))
}

/// One line (up to 64 KB) including its `\n`; the bytes read.
fn read_line<R: BufRead>(r: &mut R, line: &mut Vec<u8>) -> Result<usize, String> {
    let got = r.by_ref().take(64 << 10).read_until(b'\n', line).map_err(|e| format!("cannot read: {e}"))?;
    Ok(got)
}

struct Payload {
    body: Vec<u8>,
    charset: Option<String>,
}

fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').map(str::trim).find_map(|p| p.strip_prefix("charset=")).map(|c| c.trim_matches('"').to_string())
}

/// The body of an HTTP response block, when it is a 2xx HTML page; `None` for anything else.
fn http_payload(block: &[u8]) -> Result<Option<Payload>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    let body_start = match resp.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("truncated HTTP response head".into()),
        Err(e) => return Err(format!("malformed HTTP response: {e}")),
    };
    let status = resp.code.unwrap_or(0);
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let get = |name: &str| {
        resp.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let ctype = get("content-type").unwrap_or_default();
    let sniff = &block[body_start..block.len().min(body_start + 512)];
    let is_html = ctype.contains("html")
        || (ctype.is_empty() && String::from_utf8_lossy(sniff).to_ascii_lowercase().contains("<html"));
    if !is_html {
        return Ok(None);
    }
    let mut body = block[body_start..].to_vec();
    if get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body).ok_or("malformed chunked HTTP body")?;
    }
    match get("content-encoding").as_deref() {
        None | Some("") | Some("identity") => {}
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            GzDecoder::new(&body[..]).take(64 << 20).read_to_end(&mut out).map_err(|e| format!("bad gzip body: {e}"))?;
            body = out;
        }
        Some("deflate") => {
            let mut out = Vec::new();
            let ok = flate2::read::ZlibDecoder::new(&body[..]).take(64 << 20).read_to_end(&mut out).is_ok();
            if !ok {
                out.clear();
                flate2::read::DeflateDecoder::new(&body[..])
                    .take(64 << 20)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("bad deflate body: {e}"))?;
            }
            body = out;
        }
        Some(other) => return Err(format!("unsupported content encoding {other:?}")),
    }
    Ok(Some(Payload { body, charset: charset_of(&ctype) }))
}

/// Undoes HTTP/1.1 chunked transfer coding.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = b.iter().position(|&c| c == b'\n')?;
        let size_line = std::str::from_utf8(&b[..nl]).ok()?.trim();
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        b = &b[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if b.len() < size {
            // A capture cut short: keep what arrived.
            out.extend_from_slice(b);
            return Some(out);
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        while let [b'\r' | b'\n', rest @ ..] = b {
            b = rest;
        }
    }
}

/// The document of an HTML payload; `None` for a page without article text.
fn page_doc(p: &Payload, head: &Head, origin: &str, limits: &Limits) -> Result<Option<Document>, String> {
    limits.check_document_size(p.body.len() as u64)?;
    let decoded = decode_html(&p.body, p.charset.as_deref()).map_err(|e| e.to_string())?;
    let page = match extract_page(&decoded.text, limits) {
        Ok(pg) => pg,
        Err(HtmlError::NoText) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    limits.check_text(&page.text)?;
    let mut given = page.meta;
    if given.url.is_none() {
        given.url = Some(head.target.clone());
    }
    Ok(Some(Document {
        id: head.target.clone(),
        text: page.text,
        given,
        origin: origin.to_string(),
        encoding: decoded.encoding,
    }))
}

/// Writes one WARC record (for tests and tools that make WARC files).
pub fn write_record(out: &mut Vec<u8>, warc_type: &str, target: &str, date: &str, content_type: &str, block: &[u8]) {
    out.extend_from_slice(b"WARC/1.0\r\n");
    out.extend_from_slice(format!("WARC-Type: {warc_type}\r\n").as_bytes());
    out.extend_from_slice(format!("WARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\n", out.len()).as_bytes());
    out.extend_from_slice(format!("WARC-Date: {date}\r\n").as_bytes());
    if !target.is_empty() {
        out.extend_from_slice(format!("WARC-Target-URI: {target}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
}
