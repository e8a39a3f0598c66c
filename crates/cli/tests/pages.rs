//! The shared articles wrapped by this test into realistic news pages — site header and menu, a
//! breaking-news ticker, a share bar, ads, "read also" links, tags, a related-stories list, a
//! most-read sidebar, comments, a newsletter form, a footer, inline scripts and JSON-LD — must
//! give the same title and the same events (types and counts) as the plain texts.
//!
//! The furniture is invented and full of conflict words (killings, bombings, arrests), so any
//! of it that leaked into the extracted text would show up as extra events.
//!
//! Reads ../shared at run time (or $MARSAD_SHARED) and skips with a message when it is absent.

use marsad_extract::Engine;
use marsad_gazetteer::Gazetteer;
use marsad_ingest::Limits;
use marsad_model::{DocOutput, Document, GivenMeta};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    match std::env::var_os("MARSAD_SHARED") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

fn engine() -> Engine {
    let g = shared().join("data/gazetteer");
    let gaz = Gazetteer::load(g.is_dir().then_some(g.as_path())).expect("gazetteer loads");
    Engine::new(gaz)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A news page around an article: the headline in `<h1>`, the lines before it (page furniture
/// in the plain text too) in an ad slot, every other line a paragraph of the article body.
fn news_page(text: &str, headline: &str, meta: &GivenMeta) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let at = lines.iter().position(|l| *l == headline.trim()).unwrap_or(0);
    let (before, after) = (&lines[..at], &lines[(at + 1).min(lines.len())..]);
    let site = meta.outlet.clone().unwrap_or_else(|| "شبكة المرصد الإخبارية".to_string());
    let mut head_meta = String::new();
    if let Some(p) = &meta.published {
        head_meta.push_str(&format!(r#"<meta property="article:published_time" content="{p}T09:15:00+03:00">"#));
    }
    let body: String = after.iter().map(|l| format!("<p>{}</p>\n", esc(l))).collect();
    let ads: String = before.iter().map(|l| format!("<span>{}</span> ", esc(l))).collect();
    format!(
        r##"<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="og:type" content="article">
{head_meta}
<link rel="stylesheet" href="/assets/site.css">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"WebSite","name":"{site}","potentialAction":{{"@type":"SearchAction","target":"/search?q={{q}}"}}}}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}var breaking="مقتل عشرين عنصراً بهجوم انتحاري";</script>
<style>body{{direction:rtl}} .hidden{{display:none}}</style>
</head>
<body class="single single-post">
<div id="top-bar" class="top-bar"><span class="date">الأحد 12 كانون الثاني 2031</span> <a href="/login">دخول</a></div>
<header id="masthead" class="site-header">
  <div class="logo"><a href="/"><img src="/logo.png" alt="{site}"></a></div>
  <nav class="main-menu" role="navigation"><ul>
    <li><a href="/">الرئيسية</a></li><li><a href="/news">أخبار</a></li><li><a href="/syria">سوريا</a></li>
    <li><a href="/iraq">العراق</a></li><li><a href="/reports">تقارير</a></li><li><a href="/video">فيديو</a></li>
  </ul></nav>
</header>
<div class="breaking-news"><strong>عاجل</strong><ul>
  <li><a href="/b/1">انفجار سيارة مفخخة في مدينة الباب يوقع قتلى وجرحى</a></li>
  <li><a href="/b/2">قوات الأمن تعتقل عشرة أشخاص في حملة مداهمات بريف حلب</a></li>
</ul></div>
<div class="ad-banner ad-top">{ads}</div>
<main id="main" class="site-main">
<article class="post type-post">
  <header class="entry-header">
    <div class="breadcrumbs"><a href="/">الرئيسية</a> » <a href="/news">أخبار</a></div>
    <h1 class="entry-title">{title}</h1>
  </header>
  <div class="social-share">
    <a class="facebook" href="https://facebook.example/share">فيسبوك</a>
    <a class="twitter" href="https://twitter.example/share">تويتر</a>
    <a class="whatsapp" href="https://whatsapp.example/share">واتساب</a>
    <a class="telegram" href="https://t.example/share">تلغرام</a>
    <button class="print">طباعة</button>
  </div>
  <div class="entry-content">
{body}
    <div class="read-also"><strong>اقرأ أيضاً:</strong> <a href="/r/9">اغتيال مسؤول محلي بإطلاق نار أمام منزله في درعا</a></div>
    <div class="inline-ad ad"><ins class="adsbygoogle"></ins><script>(adsbygoogle=window.adsbygoogle||[]).push({{}});</script></div>
  </div>
  <div class="post-tags"><span>الوسوم:</span> <a href="/tag/a">داعش</a> <a href="/tag/b">قسد</a> <a href="/tag/c">دير الزور</a></div>
</article>
<section class="related-posts">
  <h3>أخبار ذات صلة</h3>
  <div class="related-item"><a href="/r/1"><img src="/r1.jpg" alt=""></a><h4><a href="/r/1">مقتل ثلاثة عناصر من قوات النظام بهجوم لخلايا داعش في بادية حمص</a></h4>
    <p class="excerpt">شن عناصر من تنظيم داعش هجوماً على نقطة عسكرية في بادية حمص الشرقية، ما أدى إلى مقتل ثلاثة عناصر وإصابة آخرين، بحسب مصادر محلية.</p></div>
  <div class="related-item"><h4><a href="/r/2">قسد تعتقل خمسة مطلوبين بتهمة الانتماء لداعش في الحسكة</a></h4></div>
  <div class="related-item"><h4><a href="/r/3">غارة جوية للتحالف تقتل قيادياً في تنظيم داعش شرق دير الزور</a></h4></div>
</section>
<div id="comments" class="comments-area">
  <h3>التعليقات</h3>
  <div class="comment"><p>متى تنتهي هذه الحرب؟ قتل وتفجير واعتقال كل يوم، والمدنيون يدفعون الثمن في كل مكان من هذه البلاد المنكوبة.</p></div>
  <form class="comment-form"><textarea name="c"></textarea><input type="submit" value="أرسل"></form>
</div>
</main>
<aside id="sidebar" class="sidebar widget-area">
  <section class="widget most-read"><h3>الأكثر قراءة</h3><ol>
    <li><a href="/m/1">مقتل قيادي في هيئة تحرير الشام بانفجار عبوة ناسفة في إدلب</a></li>
    <li><a href="/m/2">هروب عشرات السجناء من سجن في ريف الرقة بعد هجوم مسلح</a></li>
  </ol></section>
  <section class="widget newsletter"><h3>النشرة البريدية</h3><p>اشترك في نشرتنا البريدية ليصلك كل جديد عن الأخبار الميدانية والتقارير الخاصة يومياً.</p>
    <form><input type="email" placeholder="بريدك الإلكتروني"><button>اشترك</button></form></section>
</aside>
<footer class="site-footer"><div class="footer-links"><a href="/about">من نحن</a> | <a href="/contact">اتصل بنا</a> | <a href="/privacy">سياسة الخصوصية</a></div>
  <p class="copyright">جميع الحقوق محفوظة © {site}. يمنع نسخ المواد أو إعادة نشرها من دون إذن مسبق، والمقالات تعبر عن آراء كتابها.</p></footer>
<div class="cookie-notice" style="display: none">يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك.</div>
<script src="/assets/app.js"></script>
<script>document.querySelectorAll(".x").forEach(function(e){{e.innerHTML="<p>اشتباكات عنيفة وسقوط قتلى</p>";}});</script>
</body>
</html>
"##,
        title = esc(headline),
        site = esc(&site),
    )
}

/// What the comparison looks at: each event's type and counts, as a sorted multiset.
fn events(o: &DocOutput) -> Vec<String> {
    let mut v: Vec<String> = o
        .events
        .iter()
        .map(|e| {
            let counts: BTreeMap<_, _> = e.counts.iter().map(|(k, c)| (k.clone(), c.value)).collect();
            format!("{} {:?}", e.event_type, counts)
        })
        .collect();
    v.sort();
    v
}

fn read_dir_txt(dir: &Path) -> Vec<Document> {
    let out = marsad_ingest::read_paths(&[dir.to_path_buf()]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.docs
}

fn compare_set(set: &str) {
    let dir = shared().join("corpus").join(set);
    if !dir.is_dir() {
        eprintln!("SKIP: no shared corpus at {} (set MARSAD_SHARED)", dir.display());
        return;
    }
    let engine = engine();
    let docs = read_dir_txt(&dir);
    assert!(!docs.is_empty());
    let (mut same, mut total_events) = (0, 0);
    let mut failures = Vec::new();
    for plain in &docs {
        let want = engine.process(plain);
        let Some(title) = want.doc.title.clone() else {
            failures.push(format!("{}: the plain text has no title", plain.id));
            continue;
        };
        let html = news_page(&plain.text, &title, &plain.given);
        let page = marsad_ingest::html::extract_page(&html, &Limits::default())
            .unwrap_or_else(|e| panic!("{}: {e}", plain.id));
        for leak in ["عاجل", "فيسبوك", "أخبار ذات صلة", "الأكثر قراءة", "جميع الحقوق", "التعليقات", "اقرأ أيضاً", "الوسوم", "اشترك", "dataLayer", "بادية حمص الشرقية"] {
            if page.text.contains(leak) && !plain.text.contains(leak) {
                failures.push(format!("{}: furniture {leak:?} reached the text", plain.id));
            }
        }
        let doc = Document {
            id: plain.id.clone(),
            text: page.text.clone(),
            given: GivenMeta { outlet: plain.given.outlet.clone(), ..page.meta.clone() },
            origin: format!("{}.html", plain.id),
            encoding: "UTF-8".into(),
        };
        let got = engine.process(&doc);
        if got.doc.title.as_deref() != Some(title.as_str()) {
            failures.push(format!("{}: title {:?}, plain text {:?}", plain.id, got.doc.title, title));
        }
        let (w, g) = (events(&want), events(&got));
        total_events += w.len();
        if w == g {
            same += 1;
        } else {
            failures.push(format!("{}: events differ\n  plain: {w:?}\n  page:  {g:?}", plain.id));
        }
    }
    eprintln!("{set}: {same} of {} pages give the plain text's title and events ({total_events} events)", docs.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn seed_pages_give_the_plain_texts_titles_and_events() {
    compare_set("seeds");
}

#[test]
fn dev_pages_give_the_plain_texts_titles_and_events() {
    compare_set("dev");
}

/// The same page through the reader: a file in a directory, windows-1256 and UTF-8.
#[test]
fn page_files_through_the_reader() {
    let dir = shared().join("corpus/seeds");
    if !dir.is_dir() {
        eprintln!("SKIP: no shared corpus at {} (set MARSAD_SHARED)", dir.display());
        return;
    }
    let engine = engine();
    let docs = read_dir_txt(&dir);
    let plain = &docs[0];
    let title = engine.process(plain).doc.title.expect("a title");
    let html = news_page(&plain.text, &title, &plain.given);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("utf8.html"), &html).unwrap();
    let legacy = html.replace(r#"<meta charset="utf-8">"#, r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">"#);
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&legacy);
    std::fs::write(tmp.path().join("w1256.htm"), &bytes).unwrap();
    let out = marsad_ingest::read_paths(&[tmp.path().to_path_buf()]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.docs.len(), 2);
    let (a, b) = (&out.docs[1], &out.docs[0]);
    assert_eq!((a.id.as_str(), b.id.as_str()), ("w1256", "utf8"));
    assert_eq!(a.encoding, "windows-1256");
    // Characters windows-1256 lacks (curly quotes survive, some letters of other scripts may
    // not) aside, the same article.
    assert_eq!(events(&engine.process(a)), events(&engine.process(b)));
    assert_eq!(engine.process(a).doc.title, engine.process(b).doc.title);
}
