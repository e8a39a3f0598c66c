use super::*;

// An invented article and an invented site: every piece of furniture a news page carries, with
// conflict words in the furniture so that a leak would show in the events.
const HEADLINE: &str = "مقتل ثلاثة مدنيين بقصف على قرية تجريبية شرق المدينة";
const P1: &str = "قُتل ثلاثة مدنيين، بينهم طفل، وأصيب خمسة آخرون بجروح، اليوم الثلاثاء، جراء قصف مدفعي استهدف قرية تجريبية في الريف الشرقي، بحسب ما أفاد مراسلنا.";
const P2: &str = "وقال مصدر محلي إن القصف تركز على الأحياء السكنية، وإن فرق الإسعاف نقلت المصابين إلى مستشفى قريب.";
const P3: &str = "ولم تعلن أي جهة مسؤوليتها عن القصف حتى ساعة إعداد هذا الخبر.";

fn page(extra_head: &str, body_attrs: &str) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{HEADLINE} | شبكة الأخبار التجريبية</title>
<meta property="og:title" content="{HEADLINE} - شبكة الأخبار التجريبية">
<meta property="og:site_name" content="شبكة الأخبار التجريبية">
<link rel="canonical" href="https://news.example.test/2020/05/26/qasf">
{extra_head}
<style>.x{{color:red}}</style>
<script>var headline = "انفجار عبوة ناسفة في السوق"; window.dataLayer = [];</script>
</head>
<body {body_attrs}>
<header class="site-header"><div class="logo"><h1><a href="/">شبكة الأخبار التجريبية</a></h1></div>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/syria">سوريا</a></li><li><a href="/iraq">العراق</a></li></ul></nav></header>
<div class="breaking-news-ticker">عاجل: اشتباكات عنيفة في محيط المطار وسقوط قتلى</div>
<main>
<article class="post">
<header class="entry-header"><h1 class="entry-title">{HEADLINE}</h1>
<div class="entry-meta"><time datetime="2020-05-26T23:30:00+03:00">26 أيار 2020</time></div></header>
<div class="share-bar"><a href="#">فيسبوك</a> <a href="#">تويتر</a> <a href="#">واتساب</a> <span>شارك الخبر</span></div>
<div class="entry-content">
<p>{P1}</p>
<div class="ad-slot" id="ad-300x250">إعلان</div>
<p>{P2}</p>
<p><strong>اقرأ أيضاً:</strong> <a href="/x">اغتيال قيادي بارز بإطلاق نار في المدينة</a></p>
<p>{P3}</p>
<ul class="tags"><li><a href="/t/1">قصف</a></li><li><a href="/t/2">ريف</a></li></ul>
</div>
</article>
<section class="related-posts"><h3>أخبار ذات صلة</h3><ul>
<li><a href="/a">مقتل عنصرين من الشرطة بهجوم مسلح على حاجز</a><p>هاجم مسلحون مجهولون حاجزاً للشرطة فقتلوا عنصرين وأصابوا ثالثاً بجروح خطيرة.</p></li>
<li><a href="/b">اعتقال خمسة أشخاص بتهمة الانتماء لخلية مسلحة</a></li></ul></section>
<div id="comments"><p>تعليق: قتل وتدمير في كل مكان، متى ينتهي هذا؟ الله يحمي الناس، والله المستعان على كل حال.</p></div>
</main>
<aside class="sidebar"><h3>الأكثر قراءة</h3><ol><li><a href="/m">انفجار سيارة مفخخة يوقع عشرات القتلى والجرحى</a></li></ol></aside>
<footer><p>جميع الحقوق محفوظة © 2020 شبكة الأخبار التجريبية، وكل المواد المنشورة تعبر عن رأي كتابها فقط.</p></footer>
<script>document.write("<p>مقتل عشرة أشخاص</p>")</script>
</body></html>"##
    )
}

#[test]
fn main_content_without_furniture() {
    let p = extract_page(&page("", ""), &Limits::default()).unwrap();
    assert_eq!(p.text, format!("{HEADLINE}\n\n{P1}\n\n{P2}\n\n{P3}\n"));
    assert_eq!(p.meta.title.as_deref(), Some(HEADLINE));
    assert_eq!(p.meta.outlet.as_deref(), Some("شبكة الأخبار التجريبية"));
    assert_eq!(p.meta.url.as_deref(), Some("https://news.example.test/2020/05/26/qasf"));
    assert_eq!(p.meta.published.as_deref(), Some("2020-05-26"), "<time>, in the page's own offset");
}

#[test]
fn dates_in_order_of_trust() {
    let meta = r#"<meta property="article:published_time" content="2020-05-24T08:00:00+03:00">"#;
    let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},{"@type":"NewsArticle","headline":"h","datePublished":"2020-05-25T10:00:00+03:00","author":{"@type":"Person","name":"كاتب تجريبي"},"publisher":{"@type":"Organization","name":"الناشر"}}]}</script>"#;
    let p = extract_page(&page(&format!("{meta}{ld}"), ""), &Limits::default()).unwrap();
    assert_eq!(p.meta.published.as_deref(), Some("2020-05-24"));
    assert_eq!(p.meta.byline.as_deref(), Some("كاتب تجريبي"));
    let p = extract_page(&page(ld, ""), &Limits::default()).unwrap();
    assert_eq!(p.meta.published.as_deref(), Some("2020-05-25"));
    assert_eq!(p.meta.outlet.as_deref(), Some("شبكة الأخبار التجريبية"), "og:site_name first");
    // A broken JSON-LD block is ignored, not an error.
    let p = extract_page(&page(r#"<script type="application/ld+json">{"@type": "NewsArticle",</script>"#, ""), &Limits::default());
    assert_eq!(p.unwrap().meta.published.as_deref(), Some("2020-05-26"));
}

#[test]
fn page_dates() {
    assert_eq!(page_date("2020-05-26T23:30:00+03:00").as_deref(), Some("2020-05-26"));
    assert_eq!(page_date("2020/05/26").as_deref(), Some("2020-05-26"));
    assert_eq!(page_date("2020-05").as_deref(), Some("2020-05"));
    assert_eq!(page_date("Tue, 26 May 2020 23:30:00 +0300").as_deref(), Some("2020-05-26"));
    assert_eq!(page_date("2020-13-01"), None);
    assert_eq!(page_date("2020-02-30"), None);
    assert_eq!(page_date("20200526"), None);
    assert_eq!(page_date("منذ ساعتين"), None);
}

#[test]
fn titles_lose_the_site_name() {
    let site = Some("شبكة الأخبار");
    assert_eq!(clean_title("خبر عن القصف | شبكة الأخبار", site), "خبر عن القصف");
    assert_eq!(clean_title("شبكة الأخبار - خبر عن القصف", site), "خبر عن القصف");
    assert_eq!(clean_title("خبر طويل عن القصف في الريف - موقع", None), "خبر طويل عن القصف في الريف");
    assert_eq!(clean_title("ديرالزور - تفكيك خلية", None), "ديرالزور - تفكيك خلية", "short: kept whole");
}

#[test]
fn legacy_encodings_declared_or_not() {
    let html = page("", "").replace("charset=\"utf-8\"", "charset=\"windows-1256\"");
    let (bytes, _, bad) = encoding_rs::WINDOWS_1256.encode(&html);
    assert!(!bad);
    let d = decode_html(&bytes, None).unwrap();
    assert_eq!(d.encoding, "windows-1256");
    assert_eq!(d.text, html);
    // Declared Latin-1, served windows-1256: detected.
    let lying = html.replace("windows-1256", "iso-8859-1");
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&lying);
    assert_eq!(decode_html(&bytes, None).unwrap().encoding, "windows-1256");
    // The HTTP header's charset wins over detection.
    let plain = page("", "").replace("<meta charset=\"utf-8\">", "");
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&plain);
    assert_eq!(decode_html(&bytes, Some("windows-1256")).unwrap().text, plain);
    assert!(matches!(decode_html(b"", None), Err(DecodeError::Empty)));
    assert!(matches!(decode_html(b"<meta charset=\"cp1256\">\x00\x01\x02", None), Err(DecodeError::Binary)));
}

#[test]
fn pages_without_text_and_limits() {
    let l = Limits::default();
    assert_eq!(extract_page("<html><body><nav><a href=x>x</a></nav></body></html>", &l), Err(HtmlError::NoText));
    assert_eq!(extract_page("", &l), Err(HtmlError::NoText));
    let many = "<b>".repeat(200);
    let small = Limits { max_html_tags: 100, ..Limits::default() };
    assert_eq!(extract_page(&many, &small), Err(HtmlError::TooManyTags(200, 100)));
    // Deep nesting: refused before parsing (the parser's work grows with depth × tags)...
    let deep = format!("{}<p>{P1}</p>", "<div>".repeat(20_000));
    assert_eq!(extract_page(&deep, &l), Err(HtmlError::TooDeep(20_000, 1000)));
    // ... and what is allowed has no stack overflow.
    let p = extract_page(&format!("{}<p>{P1}</p>", "<div>".repeat(999)), &l).unwrap();
    assert!(p.text.contains(P1));
    let deep_tables = "<table><tr><td>".repeat(2000);
    assert_eq!(extract_page(&deep_tables, &l), Err(HtmlError::TooDeep(2000, 1000)));
}

#[test]
fn depth_estimate() {
    assert_eq!(scan_tags("<div><p>a<p>b<br><img src=x><span>c</span></div>"), (6, 2, 5));
    assert_eq!(scan_tags("<script>if (a<b && c</d) {}</script><div>"), (2, 1, 0));
    assert_eq!(scan_tags("<!-- <div><div> --><DIV><Div/></div>"), (2, 1, 1));
    assert_eq!(scan_tags("<ul><li>a<li>b</ul>".repeat(3).as_str()), (9, 1, 6));
    assert_eq!(scan_tags("a < b, 3<4 </ x"), (0, 0, 0));
    assert_eq!(scan_tags("<div"), (1, 1, 0));
    // Not deep, but deep for its size: many tags opened inside a deep stack.
    let heavy = format!("{}{}", "<div>".repeat(900), "<p><b>x</b></p>".repeat(10_000));
    assert!(matches!(extract_page(&heavy, &Limits::default()), Err(HtmlError::TooComplex { tags: 20_900, avg: 880 })));
    // A real page stays far below the limits.
    let (tags, depth, _) = scan_tags(&page("", ""));
    assert!(tags > 50 && depth < 20, "{tags} {depth}");
}

#[test]
fn broken_markup_still_reads() {
    let broken = format!("<html><body><div class=content><p>{P1}<p>{P2}</div></span></td><p>{P3}");
    let p = extract_page(&broken, &Limits::default()).unwrap();
    assert!(p.text.contains(P1) && p.text.contains(P2) && p.text.contains(P3), "{}", p.text);
}

#[test]
fn fragments_keep_every_block() {
    let f = format!("<p>{P1}</p><p>{P2}<br>سطر ثان</p><ul><li><a href=x>رابط</a></li></ul><script>x()</script>");
    assert_eq!(fragment_text(&f, &Limits::default()).unwrap(), format!("{P1}\n\n{P2}\nسطر ثان"));
}
