//! `marsad run FEED_URL…` against a local HTTP server started by the test: retries after a 503,
//! one error line for a 404, conditional GET (ETag) with `--watch`, new items only, nothing
//! stored twice, and the outlet's own publication date.
//!
//! The feed items are invented sentences.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ITEMS: [(&str, &str, &str); 3] = [
    (
        "urn:test:1",
        "Mon, 15 Mar 2021 01:30:00 +0300",
        "قتل ثلاثة عناصر من قوات النظام وأصيب اثنان آخرون بهجوم مسلح على حاجز عسكري قرب مدينة تدمر في ريف حمص الشرقي.",
    ),
    (
        "urn:test:2",
        "Sun, 14 Mar 2021 20:00:00 +0300",
        "اعتقلت قوات الأمن خمسة أشخاص في حملة مداهمات بمدينة الرقة بتهمة الانتماء لخلية مسلحة.",
    ),
    (
        "urn:test:3",
        "Tue, 16 Mar 2021 09:00:00 +0300",
        "انفجرت عبوة ناسفة بسيارة عسكرية في ريف درعا الغربي، ما أدى إلى مقتل عنصرين وإصابة ثالث.",
    ),
];

fn feed(n: usize) -> String {
    let items: String = ITEMS[..n]
        .iter()
        .map(|(guid, date, text)| {
            format!(
                "<item><title>{}</title><link>http://news.test/{}</link><guid isPermaLink=\"false\">{guid}</guid>\
                 <pubDate>{date}</pubDate><description><![CDATA[<p>{text}</p><p><a href=\"/more\">اقرأ المزيد</a></p>]]></description></item>\n",
                text.split('،').next().unwrap().split(" في ").next().unwrap(),
                guid.rsplit(':').next().unwrap()
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>وكالة الأنباء التجريبية</title>\
         <link>http://news.test/</link>\n{items}</channel></rss>\n"
    )
}

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    if_none_match: Option<String>,
    user_agent: String,
}

struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    updated: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// A feed server on 127.0.0.1: `/feed.xml` answers 503 to the first request, then the feed with
/// ETag "v1" (two items), 304 to `If-None-Match: "v1"`, and once `updated` is set, a third item
/// under ETag "v2". Anything else is 404.
fn serve() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let updated = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let (s2, u2, st2) = (seen.clone(), updated.clone(), stop.clone());
    let feed_hits = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            if st2.load(Ordering::SeqCst) {
                break;
            }
            let Ok(mut conn) = conn else { continue };
            conn.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut headers = Vec::new();
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l).unwrap_or(0) == 0 || l.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = l.split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            }
            let get = |k: &str| headers.iter().find(|(h, _)| h == k).map(|(_, v)| v.clone());
            let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
            let inm = get("if-none-match");
            s2.lock().unwrap().push(Seen { path: path.clone(), if_none_match: inm.clone(), user_agent: get("user-agent").unwrap_or_default() });
            let (status, etag, body) = if path == "/feed.xml" {
                let hit = feed_hits.fetch_add(1, Ordering::SeqCst);
                let (etag, n) = if u2.load(Ordering::SeqCst) { ("\"v2\"", 3) } else { ("\"v1\"", 2) };
                if hit == 0 {
                    ("503 Service Unavailable", None, String::new())
                } else if inm.as_deref() == Some(etag) {
                    ("304 Not Modified", Some(etag), String::new())
                } else {
                    ("200 OK", Some(etag), feed(n))
                }
            } else {
                ("404 Not Found", None, "no such feed".to_string())
            };
            let mut resp = format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
            if let Some(e) = etag {
                resp.push_str(&format!("ETag: {e}\r\n"));
            }
            if status.starts_with("200") {
                resp.push_str("Content-Type: application/rss+xml; charset=utf-8\r\n");
            }
            resp.push_str("\r\n");
            resp.push_str(&body);
            let _ = conn.write_all(resp.as_bytes());
            let _ = conn.flush();
            let mut rest = Vec::new();
            let _ = conn.set_read_timeout(Some(Duration::from_millis(10)));
            let _ = reader.read_to_end(&mut rest);
        }
    });
    Server { port, seen, updated, stop }
}

fn marsad() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marsad"));
    cmd.env_remove("MARSAD_LOG").env_remove("MARSAD_GAZETTEER").env("MARSAD_FETCH_BACKOFF_MS", "50").env("MARSAD_FETCH_SPACING_MS", "20");
    cmd
}

fn docs_in(db: &std::path::Path) -> Vec<Value> {
    let out = marsad().args(["-q", "export", "--db", db.to_str().unwrap(), "--format", "jsonl"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["kind"] == "doc")
        .collect()
}

#[test]
fn run_fetches_feeds_retries_and_stores_once() {
    let server = serve();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("feeds.db");
    let feed_url = format!("http://127.0.0.1:{}/feed.xml", server.port);
    let missing = format!("http://127.0.0.1:{}/missing.xml", server.port);
    let out = marsad().args(["-q", "run", &feed_url, &missing, "--db", db.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "the 404 fails the run: {stderr}");
    assert_eq!(stderr.lines().collect::<Vec<_>>(), [format!("{missing}: HTTP 404")]);

    let docs = docs_in(&db);
    let ids: Vec<&str> = docs.iter().map(|d| d["doc"].as_str().unwrap()).collect();
    assert_eq!(ids, ["urn:test:1", "urn:test:2"]);
    assert_eq!(docs[0]["published"]["date"], "2021-03-15", "the outlet's date (UTC says the 14th)");
    assert_eq!(docs[0]["url"], "http://news.test/1");
    assert_eq!(docs[0]["outlet"], "وكالة الأنباء التجريبية");
    let seen = server.seen.lock().unwrap().clone();
    let feed_requests: Vec<&Seen> = seen.iter().filter(|s| s.path == "/feed.xml").collect();
    assert_eq!(feed_requests.len(), 2, "one retry after the 503: {seen:?}");
    assert!(seen.iter().filter(|s| s.path == "/missing.xml").count() == 1, "a 404 is not retried");
    assert!(seen.iter().all(|s| s.user_agent.starts_with("marsad/")), "{seen:?}");

    // Their events joined incidents, as after `run` over files.
    let list = marsad().args(["-q", "incidents", "--db", db.to_str().unwrap()]).output().unwrap();
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.lines().any(|l| l.starts_with("in-")), "{listed}");

    // Again: the same items are stored already; nothing is added.
    let again = marsad().args(["run", &feed_url, "--db", db.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("0 new documents stored") && stderr.contains("2 already stored"), "{stderr}");
    assert_eq!(docs_in(&db).len(), 2);
}

#[test]
fn watch_polls_conditionally_and_stores_new_items_only() {
    let server = serve();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("watch.db");
    let feed_url = format!("http://127.0.0.1:{}/feed.xml", server.port);
    let mut child = marsad()
        .args(["run", &feed_url, "--watch", "1s", "--db", db.to_str().unwrap()])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let l2 = lines.clone();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for l in BufReader::new(err).lines().map_while(Result::ok) {
            l2.lock().unwrap().push(l);
        }
    });
    let wait_for = |what: &dyn Fn() -> bool, secs: u64| {
        let start = Instant::now();
        while !what() {
            assert!(start.elapsed() < Duration::from_secs(secs), "timed out; stderr: {:?}", lines.lock().unwrap());
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    // First poll (after the 503 retry) stores two items; then conditional polls get 304.
    wait_for(&|| lines.lock().unwrap().iter().any(|l| l.contains("2 new documents stored")), 60);
    wait_for(&|| server.seen.lock().unwrap().iter().filter(|s| s.if_none_match.as_deref() == Some("\"v1\"")).count() >= 2, 30);
    server.updated.store(true, Ordering::SeqCst);
    wait_for(&|| lines.lock().unwrap().iter().any(|l| l.contains("1 new documents stored")), 30);
    child.kill().unwrap();
    child.wait().unwrap();

    let ids: Vec<String> = docs_in(&db).iter().map(|d| d["doc"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, ["urn:test:1", "urn:test:2", "urn:test:3"], "each item once");
    let stderr = lines.lock().unwrap().join("\n");
    assert!(stderr.contains("feeds unchanged since the last poll"), "{stderr}");
    assert!(!stderr.contains("failed;") || stderr.contains("0 inputs failed"), "{stderr}");
}
