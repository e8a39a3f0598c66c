//! WARC files written by the test: `.warc.gz` (one gzip member per record, as crawlers write
//! them) and plain `.warc`. HTML responses become documents (URL, fetch date, page metadata);
//! requests, images, redirects, pages without article text and repeated captures are passed
//! over; a truncated record is one error line. The pages are invented.

use flate2::write::GzEncoder;
use flate2::Compression;
use marsad_ingest::warc::write_record;
use marsad_ingest::{read_paths, Limits};
use std::io::Write;

const P1: &str = "قتل عنصران من الشرطة وأصيب ثالث بجروح في هجوم مسلح استهدف دورية على الطريق الواصل بين قريتين تجريبيتين، بحسب ما أفاد مصدر محلي لمراسلنا.";
const P2: &str = "وأضاف المصدر أن المهاجمين لاذوا بالفرار، وأن قوات الأمن طوقت المنطقة وبدأت عمليات تفتيش واسعة بحثاً عنهم.";

fn page(title: &str, charset: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ar\"><head><meta charset=\"{charset}\"><title>{title} - موقع تجريبي</title>\
         <meta property=\"og:site_name\" content=\"موقع تجريبي\">\
         <meta property=\"article:published_time\" content=\"2022-07-03T22:10:00+03:00\"></head><body>\
         <nav><a href=\"/\">الرئيسية</a> <a href=\"/a\">أخبار</a></nav><article><h1>{title}</h1>\
         <div class=\"share\"><a href=\"#\">فيسبوك</a></div><div class=\"content\"><p>{P1}</p><p>{P2}</p></div></article>\
         <footer><p>جميع الحقوق محفوظة للموقع التجريبي، ولا يجوز النقل من دون إذن.</p></footer></body></html>"
    )
}

fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut v = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for h in headers {
        v.extend_from_slice(h.as_bytes());
        v.extend_from_slice(b"\r\n");
    }
    v.extend_from_slice(b"\r\n");
    v.extend_from_slice(body);
    v
}

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

fn chunked(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in b.chunks(700) {
        out.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
        out.extend_from_slice(c);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// The records of the test crawl, each as its own bytes.
fn records() -> Vec<Vec<u8>> {
    let date = "2022-07-04T08:00:00Z";
    let mut recs = Vec::new();
    let mut r = |t: &str, uri: &str, ct: &str, block: &[u8]| {
        let mut v = Vec::new();
        write_record(&mut v, t, uri, date, ct, block);
        recs.push(v);
    };
    r("warcinfo", "", "application/warc-fields", b"software: test\r\nformat: WARC File Format 1.1\r\n");
    r("request", "https://news.test/a/1", "application/http; msgtype=request", b"GET /a/1 HTTP/1.1\r\nHost: news.test\r\n\r\n");
    // 1: gzip-encoded, chunked UTF-8 article.
    let body = chunked(&gzip(page("هجوم على دورية للشرطة", "utf-8").as_bytes()));
    let resp = http("200 OK", &["Content-Type: text/html; charset=UTF-8", "Content-Encoding: gzip", "Transfer-Encoding: chunked"], &body);
    r("response", "https://news.test/a/1", "application/http; msgtype=response", &resp);
    // An image, a redirect, an index page without article text: passed over.
    r("response", "https://news.test/logo.png", "application/http; msgtype=response", &http("200 OK", &["Content-Type: image/png"], b"\x89PNG\r\n\x1a\n\0\0"));
    r("response", "https://news.test/old", "application/http; msgtype=response", &http("301 Moved Permanently", &["Location: /a/1"], b""));
    let index = "<html><body><nav><a href=/a/1>هجوم</a></nav><ul><li><a href=/a/1>خبر</a></li></ul></body></html>";
    r("response", "https://news.test/", "application/http; msgtype=response", &http("200 OK", &["Content-Type: text/html"], index.as_bytes()));
    // 2: a windows-1256 page, charset in the HTTP header only.
    let legacy = page("هجوم ثان على دورية", "x").replace("<meta charset=\"x\">", "");
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&legacy);
    r("response", "https://news.test/a/2", "application/http; msgtype=response", &http("200 OK", &["Content-Type: text/html; charset=windows-1256"], &bytes));
    // The same URL captured again: the first capture stays.
    r("response", "https://news.test/a/1", "application/http; msgtype=response", &http("200 OK", &["Content-Type: text/html"], page("نسخة ثانية", "utf-8").as_bytes()));
    r("metadata", "https://news.test/a/1", "application/warc-fields", b"via: x\r\n");
    recs
}

#[test]
fn warc_and_warc_gz_give_the_html_responses() {
    let tmp = tempfile::tempdir().unwrap();
    let recs = records();
    let plain: Vec<u8> = recs.concat();
    let gz: Vec<u8> = recs.iter().flat_map(|r| gzip(r)).collect();
    std::fs::write(tmp.path().join("crawl.warc"), &plain).unwrap();
    std::fs::write(tmp.path().join("crawl2.warc.gz"), &gz).unwrap();

    for name in ["crawl.warc", "crawl2.warc.gz"] {
        let out = read_paths(&[tmp.path().join(name)]);
        assert!(out.errors.is_empty(), "{name}: {:?}", out.errors);
        let ids: Vec<&str> = out.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["https://news.test/a/1", "https://news.test/a/2"], "{name}");
        let a = &out.docs[0];
        assert_eq!(a.text, format!("هجوم على دورية للشرطة\n\n{P1}\n\n{P2}\n"));
        assert_eq!(a.given.title.as_deref(), Some("هجوم على دورية للشرطة"));
        assert_eq!(a.given.published.as_deref(), Some("2022-07-03"), "the page's date, not the fetch date");
        assert_eq!(a.given.outlet.as_deref(), Some("موقع تجريبي"));
        assert_eq!(a.given.url.as_deref(), Some("https://news.test/a/1"));
        assert!(a.origin.ends_with(&format!("{name}#3 https://news.test/a/1 fetched 2022-07-04T08:00:00Z")), "{}", a.origin);
        let b = &out.docs[1];
        assert_eq!(b.encoding, "windows-1256");
        assert_eq!(b.text, format!("هجوم ثان على دورية\n\n{P1}\n\n{P2}\n"));
    }

    // Both files in one directory: a URL captured in both is read once, without complaint.
    let out = read_paths(&[tmp.path().to_path_buf()]);
    assert_eq!((out.docs.len(), out.errors.len()), (2, 0), "{:?}", out.errors);
}

#[test]
fn broken_warc_files_are_one_line_each() {
    let tmp = tempfile::tempdir().unwrap();
    let recs = records();
    // Cut inside the last article record.
    let mut cut: Vec<u8> = recs[..7].concat();
    let keep = cut.len() - 200;
    cut.truncate(keep);
    std::fs::write(tmp.path().join("cut.warc"), &cut).unwrap();
    // A gzip stream cut short.
    let gz: Vec<u8> = recs.iter().flat_map(|r| gzip(r)).collect();
    std::fs::write(tmp.path().join("cut.warc.gz"), &gz[..gz.len() / 2]).unwrap();
    std::fs::write(tmp.path().join("notwarc.warc"), "just some text\n").unwrap();
    std::fs::write(tmp.path().join("empty.warc"), "").unwrap();
    let out = read_paths(&[tmp.path().to_path_buf()]);
    let errs: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.len(), 4, "{errs:#?}");
    for e in &errs {
        assert!(!e.contains('\n'));
    }
    assert!(errs.iter().any(|e| e.contains("cut.warc#7 https://news.test/a/2") && e.contains("truncated record")), "{errs:#?}");
    assert!(errs.iter().any(|e| e.contains("notwarc.warc#1: not a WARC record")), "{errs:#?}");
    assert!(errs.iter().any(|e| e.contains("empty.warc: empty file")), "{errs:#?}");
    assert!(errs.iter().any(|e| e.contains("cut.warc.gz#")), "{errs:#?}");
    // What came before the damage is kept.
    assert!(out.docs.iter().any(|d| d.id == "https://news.test/a/1"));
}

#[test]
fn oversized_records_are_skipped_unread() {
    let tmp = tempfile::tempdir().unwrap();
    let big = format!("<html><body><p>{}</p></body></html>", P1.repeat(400));
    let mut v = Vec::new();
    write_record(&mut v, "response", "https://news.test/big", "2022-07-04T08:00:00Z", "application/http; msgtype=response", &http("200 OK", &["Content-Type: text/html"], big.as_bytes()));
    v.extend(records().concat());
    std::fs::write(tmp.path().join("big.warc"), &v).unwrap();
    let limits = Limits { max_document_bytes: 64 << 10, ..Limits::default() };
    let out = marsad_ingest::read_paths_with(&[tmp.path().join("big.warc")], &limits);
    assert_eq!(out.docs.len(), 2);
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].to_string().contains("big.warc#1 https://news.test/big fetched 2022-07-04T08:00:00Z: too large"), "{}", out.errors[0]);
}

/// Found by fuzzing: a bare carriage return inside a header value must not split the error line.
#[test]
fn header_values_with_control_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let rec = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2022-07-04T08!\x0000:00Z\rContentt-Length: 3\r\n\r\nabc\r\n\r\n";
    std::fs::write(tmp.path().join("odd.warc"), rec).unwrap();
    let out = read_paths(&[tmp.path().join("odd.warc")]);
    assert_eq!(out.errors.len(), 1);
    let line = out.errors[0].to_string();
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(line.ends_with("WARC record without Content-Length"), "{line}");
}
