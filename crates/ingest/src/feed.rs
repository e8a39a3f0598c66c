//! RSS 2.0 and Atom feeds (also RSS 0.9x/1.0 and JSON Feed, which feed-rs reads too): each item
//! becomes a document.
//!
//! - **id**: the item's guid (`<guid>`, Atom `<id>`), else its link;
//! - **text**: the item's title on the first line, then its content (`content:encoded`, Atom
//!   `<content>`) or, lacking that, its summary (`<description>`), HTML turned into text blocks
//!   by [`crate::html::fragment_text`];
//! - **given metadata**: title, link, publication date (`pubDate`, `<published>`, else
//!   `<updated>`) and the feed's title as the outlet.
//!
//! Dates are kept as the outlet wrote them: "Tue, 26 May 2020 01:30:00 +0300" is the 26th, not
//! the 25th it is in UTC. feed-rs converts every timestamp to UTC, so a timestamp parser of our
//! own hands it the outlet's wall-clock time labelled UTC.

use crate::html::{fragment_text, page_date, rfc2822_local};
use crate::limits::Limits;
use crate::read::InputError;
use chrono::{DateTime, NaiveDate, Utc};
use feed_rs::model::{Entry, Link, Text};
use marsad_model::{Document, GivenMeta};

/// The documents of a feed and the items that could not be read.
#[derive(Debug, Default)]
pub struct FeedOutcome {
    pub docs: Vec<Document>,
    pub errors: Vec<InputError>,
}

/// Whether decoded text looks like a feed (for `.xml` files): an `<rss`, `<feed` or `<rdf:RDF`
/// root near the top.
pub fn looks_like_feed(head: &str) -> bool {
    let h: String = head.chars().take(2048).collect::<String>().to_ascii_lowercase();
    h.contains("<rss") || h.contains("<feed") || h.contains("<rdf:rdf")
}

/// Reads a feed from its bytes (the XML prolog's encoding is honoured). `origin` names the feed
/// (path or URL); item `n` (from 1) is `origin#n` in documents and error lines.
pub fn read_feed(bytes: &[u8], origin: &str, limits: &Limits) -> FeedOutcome {
    let mut out = FeedOutcome::default();
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|links: &[Link], title: &Option<Text>, _uri: Option<&str>| generated_id(links, title))
        .timestamp_parser(local_timestamp)
        .build();
    let feed = match parser.parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            out.errors.push(InputError::new(origin, format!("not a readable feed: {e}")));
            return out;
        }
    };
    let outlet = feed.title.as_ref().map(|t| plain(&t.content, limits)).filter(|t| !t.is_empty());
    if feed.entries.is_empty() {
        out.errors.push(InputError::new(origin, "feed has no items"));
    }
    for (n, entry) in feed.entries.iter().enumerate() {
        let item_origin = format!("{origin}#{}", n + 1);
        match item_doc(entry, outlet.as_deref(), &item_origin, limits) {
            Ok(d) => out.docs.push(d),
            Err(reason) => out.errors.push(InputError::new(item_origin, reason)),
        }
    }
    out
}

/// The id of an item without a guid: its link, else a hash of its title.
fn generated_id(links: &[Link], title: &Option<Text>) -> String {
    if let Some(l) = links.iter().find(|l| !l.href.trim().is_empty()) {
        return l.href.trim().to_string();
    }
    let t = title.as_ref().map(|t| t.content.as_str()).unwrap_or("");
    // FNV-1a: stable across runs and platforms.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in t.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    format!("item-{h:016x}")
}

/// Text of a feed field that may hold HTML.
fn plain(s: &str, limits: &Limits) -> String {
    let s = s.trim();
    if s.contains('<') || s.contains('&') {
        fragment_text(s, limits).unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Body text of a feed field: HTML blocks become lines.
fn body(content_type: &str, s: &str, limits: &Limits) -> Result<String, String> {
    if content_type.contains("html") || s.contains('<') {
        fragment_text(s, limits).map_err(|e| e.to_string())
    } else {
        let lines: Vec<String> =
            s.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
        Ok(lines.join("\n\n"))
    }
}

fn item_doc(e: &Entry, outlet: Option<&str>, origin: &str, limits: &Limits) -> Result<Document, String> {
    let title = e.title.as_ref().map(|t| plain(&t.content, limits)).filter(|t| !t.is_empty());
    let content = match (&e.content, &e.summary) {
        (Some(c), _) if c.body.as_deref().is_some_and(|b| !b.trim().is_empty()) => {
            body(c.content_type.as_str(), c.body.as_deref().unwrap_or(""), limits)?
        }
        (_, Some(s)) => body(s.content_type.as_str(), &s.content, limits)?,
        _ => String::new(),
    };
    if content.trim().is_empty() {
        return Err("item has no content or summary text".into());
    }
    let mut text = String::new();
    if let Some(t) = &title {
        // A summary that only repeats the title adds nothing.
        if content.trim() != t.as_str() {
            text.push_str(t);
            text.push_str("\n\n");
        }
    }
    text.push_str(content.trim());
    text.push('\n');
    limits.check_text(&text)?;
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| e.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty());
    let id = if e.id.trim().is_empty() { link.clone().unwrap_or_else(|| origin.to_string()) } else { e.id.trim().to_string() };
    let published = e.published.or(e.updated).map(|d| d.format("%Y-%m-%d").to_string());
    Ok(Document {
        id,
        text,
        given: GivenMeta { published, outlet: outlet.map(str::to_string), url: link, title, byline: None },
        origin: origin.to_string(),
        encoding: "UTF-8".into(),
    })
}

/// Reads a feed timestamp as the outlet's wall-clock time (labelled UTC; see the module notes).
fn local_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let (y, m, d, secs) = if s.as_bytes().first().is_some_and(u8::is_ascii_digit) && s.len() >= 10 && s.as_bytes()[4] == b'-'
    {
        let date = page_date(s)?;
        let parts: Vec<i32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
        let [y, m, d] = parts[..] else { return None };
        let mut secs = 0;
        if let Some(t) = s.get(11..16) {
            let hm: Vec<i32> = t.split(':').filter_map(|p| p.parse().ok()).collect();
            if let [h, mi] = hm[..] {
                if (0..24).contains(&h) && (0..60).contains(&mi) {
                    secs = h * 3600 + mi * 60;
                }
            }
        }
        (y as i16, m as i8, d as i8, secs)
    } else {
        rfc2822_local(s)?
    };
    let date = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)?;
    let dt = date.and_hms_opt(0, 0, 0)? + chrono::Duration::seconds(secs as i64);
    Some(dt.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>موقع الأخبار التجريبي</title><link>http://example.test/</link>
<item>
  <title>اشتباك قرب قرية تجريبية</title>
  <link>http://example.test/a/1</link>
  <guid isPermaLink="false">news-1</guid>
  <pubDate>Tue, 26 May 2020 01:30:00 +0300</pubDate>
  <description>ملخص قصير</description>
  <content:encoded><![CDATA[<p>الفقرة الأولى من الخبر، وفيها تفاصيل.</p><p>الفقرة الثانية.</p><ul><li><a href="/x">رابط ذو صلة</a></li></ul>]]></content:encoded>
</item>
<item>
  <title>خبر بلا معرف</title>
  <link>http://example.test/a/2</link>
  <description>&lt;p&gt;نص الملخص فقط.&lt;/p&gt;</description>
</item>
<item><title>خبر بلا نص</title><guid>news-3</guid></item>
</channel></rss>"#;

    #[test]
    fn rss_items_become_documents() {
        let out = read_feed(RSS.as_bytes(), "f.rss", &Limits::default());
        assert_eq!(out.docs.len(), 2, "{:?}", out.errors);
        let a = &out.docs[0];
        assert_eq!(a.id, "news-1");
        assert_eq!(a.text, "اشتباك قرب قرية تجريبية\n\nالفقرة الأولى من الخبر، وفيها تفاصيل.\n\nالفقرة الثانية.\n");
        assert_eq!(a.given.published.as_deref(), Some("2020-05-26"), "the outlet's date, not UTC's");
        assert_eq!(a.given.url.as_deref(), Some("http://example.test/a/1"));
        assert_eq!(a.given.outlet.as_deref(), Some("موقع الأخبار التجريبي"));
        assert_eq!(a.origin, "f.rss#1");
        let b = &out.docs[1];
        assert_eq!(b.id, "http://example.test/a/2", "no guid: the link");
        assert_eq!(b.text, "خبر بلا معرف\n\nنص الملخص فقط.\n");
        assert_eq!(b.given.published, None);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].to_string(), "f.rss#3: item has no content or summary text");
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة تجريبية</title><id>urn:x</id><updated>2021-01-02T00:00:00Z</updated>
<entry><title type="html">عنوان &lt;b&gt;المادة&lt;/b&gt;</title><id>urn:e1</id><link rel="alternate" href="http://example.test/e1"/>
<published>2021-01-01T23:30:00-05:00</published><updated>2021-01-03T10:00:00Z</updated>
<content type="html">&lt;p&gt;نص المادة الأولى.&lt;/p&gt;</content></entry>
<entry><title>تحديث</title><id>urn:e2</id><updated>2021-01-04T10:00:00+02:00</updated><summary>نص ثان.</summary></entry>
</feed>"#;
        let out = read_feed(atom.as_bytes(), "a.atom", &Limits::default());
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.docs[0].id, "urn:e1");
        assert_eq!(out.docs[0].given.published.as_deref(), Some("2021-01-01"));
        assert_eq!(out.docs[0].given.title.as_deref(), Some("عنوان المادة"));
        assert_eq!(out.docs[0].text, "عنوان المادة\n\nنص المادة الأولى.\n");
        assert_eq!(out.docs[1].given.published.as_deref(), Some("2021-01-04"), "updated when not published");
    }

    #[test]
    fn windows_1256_feed_and_garbage() {
        let xml = RSS.replace("UTF-8", "windows-1256");
        let (bytes, _, bad) = encoding_rs::WINDOWS_1256.encode(&xml);
        assert!(!bad);
        let out = read_feed(&bytes, "w.xml", &Limits::default());
        assert_eq!(out.docs.len(), 2);
        assert!(out.docs[0].text.starts_with("اشتباك قرب قرية تجريبية"));
        for junk in [&b""[..], b"<html><body>x</body></html>", b"\x00\x01\x02", b"<rss><channel><item>"] {
            let out = read_feed(junk, "j.xml", &Limits::default());
            assert!(out.docs.is_empty());
            assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
            assert!(!out.errors[0].to_string().contains('\n'));
        }
    }

    #[test]
    fn timestamps_keep_the_local_date() {
        let t = |s| local_timestamp(s).map(|d| d.format("%Y-%m-%d %H:%M").to_string());
        assert_eq!(t("Tue, 26 May 2020 01:30:00 +0300").as_deref(), Some("2020-05-26 01:30"));
        assert_eq!(t("26 May 2020 23:59 GMT").as_deref(), Some("2020-05-26 23:59"));
        assert_eq!(t("2020-05-26T23:30:00-04:00").as_deref(), Some("2020-05-26 23:30"));
        assert_eq!(t("2020-05-26").as_deref(), Some("2020-05-26 00:00"));
        assert_eq!(t("yesterday"), None);
        assert_eq!(t("Tue, 31 Feb 2020 01:30:00 +0300"), None);
    }
}
