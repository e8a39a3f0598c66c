//! HTML pages → the article's plain text and the page's metadata.
//!
//! The page is parsed by html5ever (through `scraper`), flattened into an arena in document
//! order, and then:
//! 1. **Furniture never reaches the text.** Scripts, styles, forms controls, `nav`, `footer`,
//!    `aside`, page-level `header`, hidden elements, ARIA landmarks for navigation, banners and
//!    side content, and elements whose class or id names them as menus, share bars, related or
//!    most-read lists, comments, ads, newsletters, tags or breadcrumbs are dropped with all they
//!    hold.
//! 2. **The main content is found by scoring** in the manner of Readability: every paragraph
//!    of 25 characters or more scores by its length and commas (Latin and Arabic), its parents
//!    and grandparents collect the score, each candidate's score is scaled down by its link
//!    density, and the best candidate is taken with those of its siblings that score close to
//!    it or read as prose.
//! 3. **Text comes out as lines**: the headline first, then each block (paragraph, list item,
//!    subheading) on its own line with a blank line between blocks, as a plain-text article
//!    looks. Blocks that are mostly links (related lists, "read also" lines) are left out.
//!
//! Metadata: the title from `og:title`, JSON-LD `headline`, `twitter:title` or `<title>` with
//! the site's name taken off, matched against the page's `<h1>`; the publication date from
//! `article:published_time` (and its kin), JSON-LD `datePublished`, then `<time datetime>`,
//! always the date as the page writes it (the outlet's local date, never converted to UTC); the
//! outlet from `og:site_name` or the JSON-LD publisher; the URL from the canonical link.
//!
//! Everything is iterative (no recursion over the tree), so no nesting depth overflows the
//! stack, and the work is bounded by [`Limits::max_html_tags`] and [`Limits::html_time`].
//!
//! Why not a readability crate: measured against `dom_smoothie` 0.16 (a port of Mozilla's
//! readability.js, formatted-text mode) on the 22 shared articles (seeds and dev) wrapped in
//! the news page of `crates/cli/tests/pages.rs` — 189 body lines, 11 furniture phrases per page:
//! on the page as it is both keep 187 lines as whole lines with no furniture; with the body
//! written as `<br>`-separated lines and a related-links list inside it, dom_smoothie lets the
//! list through on every page (44 leaks), this module on none; with two-paragraph articles it
//! falls back to most of the page (82 leaks), this module on the two pages whose "article" was
//! only share-button words (2 leaks). Both take about a millisecond per page. This module also
//! keeps the headline-first line layout the metadata analysis and the sentence splitter rely on.

use crate::decode::{decode, DecodeError, Decoded};
use crate::limits::Limits;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use marsad_model::GivenMeta;
use scraper::{Html, Node};
use serde_json::Value;
use std::time::Instant;

/// The text and metadata of one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Headline line, a blank line, then the article's blocks separated by blank lines.
    pub text: String,
    /// Title, publication date (`YYYY-MM-DD`), outlet, canonical URL and author, as the page
    /// gives them.
    pub meta: GivenMeta,
}

/// Why a page gave no document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    #[error("no article text found in the page")]
    NoText,
    #[error("too many HTML tags ({0}, the limit for one page is {1})")]
    TooManyTags(usize, usize),
    #[error("HTML tags nested {0} deep (the limit is {1})")]
    TooDeep(usize, usize),
    #[error("HTML nested too deep for its size: {tags} tags opened {avg} levels deep on average")]
    TooComplex { tags: usize, avg: u64 },
    #[error("extraction took longer than {0} s, given up")]
    TimedOut(u64),
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// Decodes the bytes of an HTML page: a byte-order mark, then the charset the HTTP header
/// gives, then a `<meta charset>` (or `http-equiv` content type) in the first 4 KB, then
/// detection. A page that declares Latin-1/windows-1252 but is not ASCII is detected instead:
/// old Arabic sites often declare it and serve windows-1256.
pub fn decode_html(bytes: &[u8], header_charset: Option<&str>) -> Result<Decoded, DecodeError> {
    if Encoding::for_bom(bytes).is_some() {
        return decode(bytes, None);
    }
    let declared = header_charset
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(4096)]));
    let enc = match declared {
        // A page in UTF-16 would have had a BOM; a meta tag claiming it is a lie (HTML spec).
        Some(e) if e == UTF_8 || !e.is_ascii_compatible() => return decode(bytes, None),
        Some(e) if e == WINDOWS_1252 && !bytes.is_ascii() => return decode(bytes, None),
        Some(e) => e,
        None => return decode(bytes, None),
    };
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let (text, _had_errors) = enc.decode_without_bom_handling(bytes);
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded { text: text.into_owned(), encoding: enc.name().to_string() })
}

/// The encoding a `<meta>` tag declares in the head of the page (the HTML prescan, simplified).
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(p) = find(&lower[from..], b"<meta") {
        let start = from + p;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let mut rest = &tag[c + 7..];
            while let [b' ' | b'\t' | b'\n' | b'\r', r @ ..] = rest {
                rest = r;
            }
            if let [b'=', r @ ..] = rest {
                let r = r.iter().position(|b| !matches!(b, b' ' | b'"' | b'\'')).map_or(&r[r.len()..], |i| &r[i..]);
                let n = r.iter().position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')));
                let label = &r[..n.unwrap_or(r.len())];
                if let Some(e) = Encoding::for_label(label) {
                    return Some(e);
                }
            }
        }
        from = end.max(start + 1);
        if from >= lower.len() {
            break;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// The arena

/// One node of the flattened tree. Nodes are in document order, so a node's subtree is the
/// range `i..end`.
struct N<'a> {
    parent: usize,
    end: usize,
    children: Vec<usize>,
    /// Lower-case local name; empty for text nodes.
    tag: &'a str,
    text: &'a str,
    el: Option<&'a scraper::node::Element>,
}

struct Tree<'a> {
    nodes: Vec<N<'a>>,
    /// Inside an `<article>` or `<main>` element.
    in_article: Vec<bool>,
}

impl<'a> Tree<'a> {
    fn build(html: &'a Html) -> Tree<'a> {
        let mut nodes: Vec<N<'a>> = Vec::new();
        // (node, parent index), popped in document order.
        let mut stack = vec![(html.tree.root(), usize::MAX)];
        while let Some((node, parent)) = stack.pop() {
            let idx = nodes.len();
            let (tag, text, el) = match node.value() {
                Node::Element(e) => (e.name(), "", Some(e)),
                Node::Text(t) => ("", &**t as &str, None),
                Node::Document | Node::Fragment => ("#root", "", None),
                _ => ("#other", "", None),
            };
            nodes.push(N { parent, end: idx + 1, children: Vec::new(), tag, text, el });
            if parent != usize::MAX {
                nodes[parent].children.push(idx);
            }
            if matches!(node.value(), Node::Element(_) | Node::Document | Node::Fragment) {
                let kids: Vec<_> = node.children().collect();
                for k in kids.into_iter().rev() {
                    stack.push((k, idx));
                }
            }
        }
        // Children come after their parent: the last child's end is the parent's end.
        for i in (0..nodes.len()).rev() {
            if let Some(&last) = nodes[i].children.last() {
                nodes[i].end = nodes[last].end;
            }
        }
        let mut in_article = vec![false; nodes.len()];
        for i in 0..nodes.len() {
            let p = nodes[i].parent;
            if p != usize::MAX {
                in_article[i] = in_article[p] || matches!(nodes[p].tag, "article" | "main");
            }
        }
        Tree { nodes, in_article }
    }

    fn attr(&self, i: usize, name: &str) -> Option<&'a str> {
        self.nodes[i].el.and_then(|e| e.attr(name))
    }

    /// The whitespace-collapsed text of a subtree, hard-skipped parts left out.
    fn text_of(&self, i: usize, skip: Option<&[bool]>) -> String {
        let mut out = String::new();
        let mut j = i;
        while j < self.nodes[i].end {
            if j != i && skip.is_some_and(|s| s[j]) {
                j = self.nodes[j].end;
                continue;
            }
            push_collapsed(&mut out, self.nodes[j].text);
            j += 1;
        }
        out.trim().to_string()
    }
}

fn push_collapsed(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') && !out.ends_with('\n') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Furniture

/// Elements that never hold article text.
fn hard_skip_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script" | "style" | "noscript" | "template" | "iframe" | "svg" | "math" | "canvas" | "object"
            | "embed" | "video" | "audio" | "source" | "picture" | "img" | "button" | "input"
            | "select" | "option" | "textarea" | "label" | "nav" | "footer" | "aside" | "menu"
            | "dialog" | "head" | "title" | "meta" | "link" | "figure" | "figcaption" | "#other"
    )
}

/// Class and id words that name furniture whatever else the element is called.
const STRONG_NEGATIVE: &[&str] = &[
    "share", "sharing", "social", "related", "comment", "breadcrumb", "newsletter", "sidebar",
    "footer", "advert", "sponsor", "outbrain", "taboola", "popular", "trending", "mostread",
    "most-read", "most_read", "readmore", "read-more", "read_more", "pagination", "cookie",
    "subscribe", "signup", "masthead", "navbar", "navigation", "topbar", "ticker", "breaking-bar",
    "print", "toolbar", "widget", "recommend", "promo", "banner", "hidden", "modal", "popup",
];
/// Weaker furniture words (exact class tokens), outweighed by a content word on the same element.
const WEAK_NEGATIVE: &[&str] = &["nav", "menu", "ad", "ads", "tags", "tag", "more", "header", "meta", "author-box", "date"];
/// Words of content containers.
const POSITIVE: &[&str] = &[
    "article", "content", "entry", "post", "story", "body", "text", "main", "news", "detail",
    "details", "single", "blog", "page",
];

fn class_id(tree: &Tree, i: usize) -> String {
    let mut s = String::new();
    for a in ["class", "id"] {
        if let Some(v) = tree.attr(i, a) {
            s.push_str(&v.to_ascii_lowercase());
            s.push(' ');
        }
    }
    s
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty())
}

/// +1 for content words, -1 for furniture words, 0 for neither (or no class/id).
fn class_weight(tree: &Tree, i: usize) -> i32 {
    let ci = class_id(tree, i);
    if ci.is_empty() {
        return 0;
    }
    if STRONG_NEGATIVE.iter().any(|w| ci.contains(w)) {
        return -1;
    }
    let pos = tokens(&ci).any(|t| POSITIVE.iter().any(|p| t.starts_with(p)));
    let neg = tokens(&ci).any(|t| WEAK_NEGATIVE.contains(&t));
    match (pos, neg) {
        (true, _) => 1,
        (false, true) => -1,
        _ => 0,
    }
}

/// Whether an element is furniture: `strict` adds the class/id and landmark rules to the tag
/// rules.
fn is_furniture(tree: &Tree, i: usize, strict: bool) -> bool {
    let n = &tree.nodes[i];
    if n.el.is_none() {
        return n.tag == "#other";
    }
    if hard_skip_tag(n.tag) {
        return true;
    }
    if tree.attr(i, "hidden").is_some() || tree.attr(i, "aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = tree.attr(i, "style") {
        let s: String = style.to_ascii_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if !strict || matches!(n.tag, "html" | "body" | "main") {
        return false;
    }
    if let Some(role) = tree.attr(i, "role") {
        if matches!(
            role.trim().to_ascii_lowercase().as_str(),
            "navigation" | "banner" | "contentinfo" | "complementary" | "menu" | "menubar" | "search" | "dialog"
                | "alert" | "toolbar"
        ) {
            return true;
        }
    }
    // A page-level header (site logo, menu); an article's own header keeps its headline.
    if n.tag == "header" && !tree.in_article[i] {
        return true;
    }
    class_weight(tree, i) < 0 && n.tag != "article"
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address" | "article" | "aside" | "blockquote" | "dd" | "div" | "dl" | "dt" | "fieldset" | "figure"
            | "footer" | "form" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "header" | "hr" | "li" | "main"
            | "nav" | "ol" | "p" | "pre" | "section" | "table" | "tbody" | "thead" | "tfoot" | "tr" | "td"
            | "th" | "ul" | "body" | "html" | "center" | "caption"
    )
}

// ---------------------------------------------------------------------------------------------
// Extraction

struct Stats {
    /// Characters (not whitespace) of text in the subtree, skipped parts left out.
    chars: Vec<u32>,
    /// Of which inside links.
    link_chars: Vec<u32>,
    commas: Vec<u32>,
    has_block_child: Vec<bool>,
}

fn stats(tree: &Tree, skip: &[bool]) -> Stats {
    let n = tree.nodes.len();
    let mut st = Stats { chars: vec![0; n], link_chars: vec![0; n], commas: vec![0; n], has_block_child: vec![false; n] };
    let mut in_link = vec![false; n];
    for i in 0..n {
        let p = tree.nodes[i].parent;
        in_link[i] = tree.nodes[i].tag == "a" || (p != usize::MAX && in_link[p]);
    }
    for i in (0..n).rev() {
        let node = &tree.nodes[i];
        if skip[i] {
            continue;
        }
        if node.el.is_none() && !node.text.is_empty() {
            let c = node.text.chars().filter(|c| !c.is_whitespace()).count() as u32;
            st.chars[i] = c;
            st.commas[i] = node.text.chars().filter(|c| matches!(c, ',' | '،')).count() as u32;
            if in_link[i] {
                st.link_chars[i] = c;
            }
        }
        let p = node.parent;
        if p != usize::MAX {
            st.chars[p] += st.chars[i];
            st.link_chars[p] += st.link_chars[i];
            st.commas[p] += st.commas[i];
            if is_block(node.tag) {
                st.has_block_child[p] = true;
            }
        }
    }
    st
}

fn link_density(st: &Stats, i: usize) -> f32 {
    if st.chars[i] == 0 {
        0.0
    } else {
        st.link_chars[i] as f32 / st.chars[i] as f32
    }
}

/// Paragraph-like elements: what Readability scores.
fn is_paragraph(tree: &Tree, st: &Stats, i: usize) -> bool {
    let tag = tree.nodes[i].tag;
    match tag {
        "p" | "pre" | "td" | "blockquote" | "dd" => true,
        "div" | "section" | "article" | "span" | "font" | "center" => !st.has_block_child[i],
        _ => false,
    }
}

fn tag_weight(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

struct Deadline {
    end: Instant,
    secs: u64,
    ticks: u32,
}

impl Deadline {
    fn check(&mut self) -> Result<(), HtmlError> {
        self.ticks += 1;
        if self.ticks.is_multiple_of(1024) && Instant::now() > self.end {
            return Err(HtmlError::TimedOut(self.secs));
        }
        Ok(())
    }
}

/// Extracts the article text and metadata of a full page.
pub fn extract_page(html: &str, limits: &Limits) -> Result<Page, HtmlError> {
    let started = Instant::now();
    check_markup(html, limits)?;
    let mut dl = Deadline { end: started + limits.html_time, secs: limits.html_time.as_secs(), ticks: 0 };
    let doc = Html::parse_document(html);
    let tree = Tree::build(&doc);
    let meta_found = metadata(&tree, &mut dl)?;
    let headline = choose_headline(&tree, &meta_found);

    let mut best: Option<String> = None;
    for strict in [true, false] {
        let body = main_text(&tree, strict, headline.as_ref().map(|h| h.node), &mut dl)?;
        let chars = body.chars().filter(|c| !c.is_whitespace()).count();
        let better = best.as_ref().is_none_or(|b| chars > 2 * b.chars().filter(|c| !c.is_whitespace()).count());
        if better && chars > 0 {
            best = Some(body);
        }
        // Strict extraction found some prose: relaxing the furniture rules would only let
        // comments and sidebars in around a short article.
        if chars >= 80 {
            break;
        }
    }
    let body = best.unwrap_or_default();
    let headline_text = headline.as_ref().map(|h| h.text.clone());
    if body.trim().is_empty() {
        return Err(HtmlError::NoText);
    }
    let mut text = String::new();
    if let Some(h) = &headline_text {
        text.push_str(h);
        text.push_str("\n\n");
    }
    text.push_str(&body);
    text.push('\n');
    let meta = GivenMeta {
        title: headline_text,
        published: meta_found.published,
        outlet: meta_found.outlet,
        url: meta_found.url,
        byline: meta_found.author,
    };
    Ok(Page { text, meta })
}

/// The text of an HTML fragment that is all article (a feed item's content): every block on
/// its own line, furniture and link lists left out, no scoring.
pub fn fragment_text(html: &str, limits: &Limits) -> Result<String, HtmlError> {
    check_markup(html, limits)?;
    let mut dl = Deadline { end: Instant::now() + limits.html_time, secs: limits.html_time.as_secs(), ticks: 0 };
    let doc = Html::parse_fragment(html);
    let tree = Tree::build(&doc);
    let skip = skip_marks(&tree, true);
    let st = stats(&tree, &skip);
    let mut out = Out::default();
    emit(&tree, &st, &skip, 0, None, &mut out, &mut dl)?;
    Ok(out.finish())
}

/// Checks the markup against the tag and depth limits before it is parsed.
fn check_markup(html: &str, limits: &Limits) -> Result<(), HtmlError> {
    let (tags, depth, work) = scan_tags(html);
    if tags > limits.max_html_tags {
        return Err(HtmlError::TooManyTags(tags, limits.max_html_tags));
    }
    if depth > limits.max_html_depth {
        return Err(HtmlError::TooDeep(depth, limits.max_html_depth));
    }
    if work > limits.max_html_nesting_work {
        return Err(HtmlError::TooComplex { tags, avg: work / tags.max(1) as u64 });
    }
    Ok(())
}

/// Elements that have no end tag, or whose end tag the parser implies when a sibling opens:
/// they never make the tree deeper however many are left open.
fn never_deepens(name: &[u8]) -> bool {
    matches!(
        name,
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"link" | b"meta" | b"param"
            | b"source" | b"track" | b"wbr" | b"keygen" | b"p" | b"li" | b"dt" | b"dd" | b"option" | b"optgroup"
            | b"tr" | b"td" | b"th" | b"thead" | b"tbody" | b"tfoot" | b"colgroup" | b"caption" | b"rb" | b"rt"
            | b"rp" | b"html" | b"head" | b"body" | b"image" | b"frame" | b"basefont" | b"bgsound"
    )
}

/// Tags (`<` followed by a letter), an estimate of the deepest nesting (start tags less end
/// tags, leaving out void and implied-end elements and the contents of raw-text elements and
/// comments) and the sum of the depths the start tags open at. One pass, no allocation.
fn scan_tags(html: &str) -> (usize, usize, u64) {
    let b = html.as_bytes();
    let (mut tags, mut depth, mut max, mut work) = (0usize, 0usize, 0usize, 0u64);
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = find(&b[i..], b"-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let len = b[start..].iter().position(|c| !c.is_ascii_alphanumeric()).unwrap_or(b.len() - start);
        let mut name = [0u8; 16];
        let n = len.min(16);
        for (k, c) in b[start..start + n].iter().enumerate() {
            name[k] = c.to_ascii_lowercase();
        }
        let name = &name[..n];
        if closing {
            if !never_deepens(name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        tags += 1;
        work += depth as u64;
        let end = b[start..].iter().position(|&c| c == b'>').map_or(b.len(), |e| start + e);
        let self_closing = end > 0 && end < b.len() && b[end - 1] == b'/';
        i = end.min(b.len());
        if matches!(name, b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"noscript" | b"template") {
            // Raw text up to the end tag (ASCII case-insensitive).
            let mut j = i;
            loop {
                match b[j..].iter().position(|&c| c == b'<') {
                    Some(o) if b.get(j + o + 1) == Some(&b'/') && b.len() >= j + o + 2 + n
                        && b[j + o + 2..j + o + 2 + n].eq_ignore_ascii_case(name) =>
                    {
                        i = j + o;
                        break;
                    }
                    Some(o) => j += o + 1,
                    None => {
                        i = b.len();
                        break;
                    }
                }
            }
            continue;
        }
        if !self_closing && !never_deepens(name) {
            depth += 1;
            max = max.max(depth);
        }
    }
    (tags, max, work)
}

/// Furniture marks, inherited down the tree.
fn skip_marks(tree: &Tree, strict: bool) -> Vec<bool> {
    let n = tree.nodes.len();
    let mut skip = vec![false; n];
    for i in 0..n {
        let p = tree.nodes[i].parent;
        skip[i] = (p != usize::MAX && skip[p]) || is_furniture(tree, i, strict);
    }
    skip
}

/// Finds the main content and returns its blocks as text.
fn main_text(tree: &Tree, strict: bool, headline: Option<usize>, dl: &mut Deadline) -> Result<String, HtmlError> {
    let skip = skip_marks(tree, strict);
    let st = stats(tree, &skip);
    let n = tree.nodes.len();
    let mut score = vec![0f32; n];
    let mut is_cand = vec![false; n];
    for (i, &skipped) in skip.iter().enumerate() {
        dl.check()?;
        if skipped || tree.nodes[i].el.is_none() || !is_paragraph(tree, &st, i) {
            continue;
        }
        let len = st.chars[i];
        if len < 25 {
            continue;
        }
        let s = 1.0 + st.commas[i] as f32 + (len as f32 / 100.0).floor().min(3.0);
        let mut a = tree.nodes[i].parent;
        let mut level = 0;
        while a != usize::MAX && level < 5 {
            let tag = tree.nodes[a].tag;
            if tag == "#root" || tree.nodes[a].el.is_none() {
                break;
            }
            if !is_cand[a] {
                is_cand[a] = true;
                score[a] = tag_weight(tag) + 25.0 * class_weight(tree, a) as f32;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a] += s / div;
            a = tree.nodes[a].parent;
            level += 1;
        }
    }
    let mut top: Option<usize> = None;
    for i in 0..n {
        if is_cand[i] {
            score[i] *= 1.0 - link_density(&st, i);
            if top.is_none_or(|t| score[i] > score[t]) {
                top = Some(i);
            }
        }
    }
    let Some(top) = top else {
        // No paragraph anywhere: everything that is not furniture.
        let mut out = Out::default();
        emit(tree, &st, &skip, 0, headline, &mut out, dl)?;
        return Ok(out.finish());
    };
    // A lone child carries its parent's content: take the parent.
    let mut top = top;
    loop {
        let p = tree.nodes[top].parent;
        if p == usize::MAX || matches!(tree.nodes[p].tag, "body" | "html" | "#root") {
            break;
        }
        let element_kids = tree.nodes[p].children.iter().filter(|&&c| tree.nodes[c].el.is_some() && !skip[c]).count();
        if element_kids == 1 {
            top = p;
        } else {
            break;
        }
    }

    // The top candidate and those siblings that score close to it or read as prose.
    let parent = tree.nodes[top].parent;
    let threshold = (score[top] * 0.2).max(10.0);
    let top_class = tree.attr(top, "class").unwrap_or("");
    let mut chosen = Vec::new();
    let siblings: Vec<usize> = if parent == usize::MAX { vec![top] } else { tree.nodes[parent].children.clone() };
    for c in siblings {
        if skip[c] || tree.nodes[c].el.is_none() {
            continue;
        }
        let mut take = c == top;
        if !take && is_cand[c] {
            let bonus = if !top_class.is_empty() && tree.attr(c, "class") == Some(top_class) { score[top] * 0.2 } else { 0.0 };
            take = score[c] + bonus >= threshold;
        }
        if !take && tree.nodes[c].tag == "p" {
            let len = st.chars[c];
            let ld = link_density(&st, c);
            let t = tree.text_of(c, Some(skip.as_slice()));
            take = (len > 80 && ld < 0.25) || (len > 0 && ld == 0.0 && ends_sentence(&t));
        }
        if take {
            chosen.push(c);
        }
    }
    let mut out = Out::default();
    for c in chosen {
        emit(tree, &st, &skip, c, headline, &mut out, dl)?;
    }
    Ok(out.finish())
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with(['.', '؟', '?', '!', '…', '؛'])
}

/// Lines being assembled: blocks become lines separated by a blank line.
#[derive(Default)]
struct Out {
    text: String,
    cur: String,
}

impl Out {
    fn push_text(&mut self, t: &str) {
        push_collapsed(&mut self.cur, t);
    }
    fn line_break(&mut self) {
        let trimmed = self.cur.trim_end_matches(' ').len();
        self.cur.truncate(trimmed);
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push('\n');
        }
    }
    fn block_break(&mut self) {
        let lines: Vec<&str> = self.cur.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect();
        if !lines.is_empty() {
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
            }
            self.text.push_str(&lines.join("\n"));
        }
        self.cur.clear();
    }
    fn finish(mut self) -> String {
        self.block_break();
        self.text
    }
}

/// Writes the blocks of the subtree of `root` into `out`, leaving out furniture, link lists
/// and the headline element (which heads the text already).
fn emit(
    tree: &Tree,
    st: &Stats,
    skip: &[bool],
    root: usize,
    headline: Option<usize>,
    out: &mut Out,
    dl: &mut Deadline,
) -> Result<(), HtmlError> {
    let mut stack = vec![(root, false)];
    while let Some((i, exiting)) = stack.pop() {
        dl.check()?;
        let node = &tree.nodes[i];
        if exiting {
            if is_block(node.tag) {
                out.block_break();
            }
            continue;
        }
        if skip[i] || Some(i) == headline {
            continue;
        }
        if node.el.is_none() {
            if node.tag.is_empty() {
                out.push_text(node.text);
            } else if node.tag == "#root" {
                for &c in node.children.iter().rev() {
                    stack.push((c, false));
                }
            }
            continue;
        }
        match node.tag {
            "br" => {
                out.line_break();
                continue;
            }
            "hr" => {
                out.block_break();
                continue;
            }
            _ => {}
        }
        let block = is_block(node.tag);
        // Lists and boxes of links inside the article: related stories, "read also", tags.
        if block && i != root && st.chars[i] > 0 && link_density(st, i) > 0.5 {
            continue;
        }
        if block {
            out.block_break();
        }
        stack.push((i, true));
        for &c in node.children.iter().rev() {
            stack.push((c, false));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Metadata

#[derive(Debug, Default)]
struct MetaFound {
    og_title: Option<String>,
    twitter_title: Option<String>,
    ld_headline: Option<String>,
    title_tag: Option<String>,
    published: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    author: Option<String>,
    /// `(node, text)` of each `<h1>` outside scripts and furniture tags.
    h1s: Vec<(usize, String)>,
}

fn nonempty(s: Option<&str>) -> Option<String> {
    let s = s?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn metadata(tree: &Tree, dl: &mut Deadline) -> Result<MetaFound, HtmlError> {
    let mut m = MetaFound::default();
    let mut meta_date: Option<String> = None;
    let mut ld_date: Option<String> = None;
    let mut time_date: Option<(bool, String)> = None;
    let hard = skip_marks(tree, false);
    for i in 0..tree.nodes.len() {
        dl.check()?;
        let tag = tree.nodes[i].tag;
        match tag {
            "meta" => {
                let key = tree
                    .attr(i, "property")
                    .or_else(|| tree.attr(i, "name"))
                    .or_else(|| tree.attr(i, "itemprop"))
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let content = nonempty(tree.attr(i, "content"));
                let Some(content) = content else { continue };
                match key.as_str() {
                    "og:title" => m.og_title = m.og_title.take().or(Some(content)),
                    "twitter:title" => m.twitter_title = m.twitter_title.take().or(Some(content)),
                    "og:site_name" | "application-name" if m.outlet.is_none() => m.outlet = Some(content),
                    "og:url" if m.url.is_none() => m.url = Some(content),
                    "author" | "article:author" | "byl" | "dc.creator" | "sailthru.author"
                        if m.author.is_none() && !content.contains("://") =>
                    {
                        m.author = Some(content)
                    }
                    "article:published_time" | "og:article:published_time" | "datepublished" | "pubdate"
                    | "publishdate" | "publish-date" | "publication_date" | "date" | "dc.date.issued" | "dc.date"
                    | "dcterms.created" | "dcterms.issued" | "sailthru.date" | "parsely-pub-date"
                    | "article.published" | "originalpublicationdate"
                        if meta_date.is_none() =>
                    {
                        meta_date = page_date(&content);
                    }
                    _ => {}
                }
            }
            "title" if m.title_tag.is_none() && tree.nodes[i].parent != usize::MAX && tree.nodes[tree.nodes[i].parent].tag == "head" => {
                m.title_tag = nonempty(Some(&tree.text_of(i, None)));
            }
            "link" => {
                let rel = tree.attr(i, "rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") {
                    if let Some(h) = nonempty(tree.attr(i, "href")) {
                        m.url = Some(h);
                    }
                }
            }
            "script" => {
                let ty = tree.attr(i, "type").unwrap_or("").trim().to_ascii_lowercase();
                if ty == "application/ld+json" {
                    let raw: String = tree.nodes[i].children.iter().map(|&c| tree.nodes[c].text).collect();
                    if raw.len() <= 1 << 20 {
                        if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
                            json_ld(&v, &mut m, &mut ld_date, 0);
                        }
                    }
                }
            }
            "time" if !hard[i] => {
                let dt = tree.attr(i, "datetime").and_then(page_date);
                if let Some(d) = dt {
                    let in_article = tree.in_article[i];
                    let pubdate = tree.attr(i, "pubdate").is_some() || tree.attr(i, "itemprop") == Some("datePublished");
                    let rank = in_article || pubdate;
                    if time_date.as_ref().is_none_or(|(r, _)| !r && rank) {
                        time_date = Some((rank, d));
                    }
                }
            }
            "h1" if !hard[i] && tree.nodes[i].end - i < 2000 && m.h1s.len() < 16 => {
                let t = tree.text_of(i, Some(hard.as_slice()));
                if !t.is_empty() && t.chars().count() <= 400 {
                    m.h1s.push((i, t));
                }
            }
            _ => {}
        }
        if tree.nodes[i].tag == "#root" || tree.nodes[i].el.is_some() {
            // Item properties outside <meta> (microdata): <span itemprop="datePublished">.
            if tree.attr(i, "itemprop") == Some("datePublished") && tag != "meta" && meta_date.is_none() {
                meta_date = tree.attr(i, "content").or_else(|| tree.attr(i, "datetime")).and_then(page_date);
            }
        }
    }
    m.published = meta_date.or(ld_date).or(time_date.map(|(_, d)| d));
    Ok(m)
}

/// Article types of schema.org whose `datePublished` and `headline` are the article's.
fn is_article_type(v: &Value) -> bool {
    let ok = |s: &str| s.ends_with("Article") || matches!(s, "BlogPosting" | "Report" | "LiveBlogPosting" | "WebPage");
    match v.get("@type") {
        Some(Value::String(s)) => ok(s),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(ok)),
        _ => false,
    }
}

fn json_ld(v: &Value, m: &mut MetaFound, date: &mut Option<String>, depth: usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Array(a) => {
            for x in a.iter().take(64) {
                json_ld(x, m, date, depth + 1);
            }
        }
        Value::Object(o) => {
            if is_article_type(v) {
                let is_page = matches!(o.get("@type"), Some(Value::String(s)) if s == "WebPage");
                if date.is_none() {
                    *date = o.get("datePublished").and_then(Value::as_str).and_then(page_date);
                }
                if !is_page && m.ld_headline.is_none() {
                    m.ld_headline = nonempty(o.get("headline").and_then(Value::as_str));
                }
                if m.outlet.is_none() {
                    m.outlet = nonempty(o.get("publisher").and_then(|p| p.get("name")).and_then(Value::as_str));
                }
                if m.author.is_none() && !is_page {
                    let a = o.get("author").map(|a| if let Value::Array(x) = a { x.first().unwrap_or(a) } else { a });
                    let name = a.and_then(|a| a.as_str().or_else(|| a.get("name").and_then(Value::as_str)));
                    m.author = nonempty(name).filter(|n| !n.contains("://"));
                }
            }
            if let Some(g) = o.get("@graph") {
                json_ld(g, m, date, depth + 1);
            }
        }
        _ => {}
    }
}

/// The date a page's metadata gives, as the page writes it: `YYYY-MM-DD` from an ISO 8601 /
/// RFC 3339 value (its own local date: "2020-05-26T23:30:00+03:00" is the 26th, whatever UTC
/// says), `YYYY-MM` or `YYYY` when that is all it gives, or the date of an RFC 2822 value
/// ("Tue, 26 May 2020 23:30:00 +0300").
pub fn page_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some((y, m, d)) = iso_prefix(s) {
        return Some(match (m, d) {
            (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}"),
        });
    }
    rfc2822_local(s).map(|(y, m, d, _)| format!("{y:04}-{m:02}-{d:02}"))
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (also with `/`), followed by nothing, a time or a space.
fn iso_prefix(s: &str) -> Option<(i16, Option<i8>, Option<i8>)> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let y = digits(0..4)?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    if b.len() == 4 {
        return Some((y as i16, None, None));
    }
    let sep = *b.get(4)?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    let m = digits(5..7)?;
    if !(1..=12).contains(&m) {
        return None;
    }
    if b.len() == 7 {
        return Some((y as i16, Some(m as i8), None));
    }
    if b.get(7) != Some(&sep) {
        return None;
    }
    let d = digits(8..10)?;
    if !(1..=31).contains(&d) {
        return None;
    }
    if let Some(next) = b.get(10) {
        if next.is_ascii_digit() {
            return None;
        }
    }
    jiff::civil::Date::new(y as i16, m as i8, d as i8).ok()?;
    Some((y as i16, Some(m as i8), Some(d as i8)))
}

/// An RFC 2822 timestamp ("Tue, 26 May 2020 23:30:00 +0300", also with "GMT", "UTC", "Z" or no
/// zone, and without the weekday or seconds) read in its own zone: (year, month, day, seconds
/// of the day).
pub fn rfc2822_local(s: &str) -> Option<(i16, i8, i8, i32)> {
    let s = s.trim();
    let s = match s.find(',') {
        Some(i) if i <= 10 => s[i + 1..].trim(),
        _ => s,
    };
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() < 3 {
        return None;
    }
    let d: i8 = parts[0].parse().ok()?;
    let mon = parts[1].get(..3)?.to_ascii_lowercase();
    let m = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .iter()
        .position(|x| *x == mon)? as i8
        + 1;
    let mut y: i32 = parts[2].parse().ok()?;
    if y < 100 {
        y += if y < 50 { 2000 } else { 1900 };
    }
    jiff::civil::Date::new(y as i16, m, d).ok()?;
    let mut secs = 0;
    if let Some(t) = parts.get(3) {
        let hms: Vec<i32> = t.split(':').filter_map(|p| p.parse().ok()).collect();
        if hms.len() >= 2 && (0..24).contains(&hms[0]) && (0..60).contains(&hms[1]) {
            secs = hms[0] * 3600 + hms[1] * 60 + hms.get(2).copied().unwrap_or(0).clamp(0, 59);
        }
    }
    Some((y as i16, m, d, secs))
}

// ---------------------------------------------------------------------------------------------
// Title

struct Headline {
    text: String,
    /// The `<h1>` it came from, left out of the body.
    node: usize,
}

/// Comparison form of a title: letters and digits only, folded.
fn title_key(s: &str) -> String {
    let f = marsad_text::normalize::fold_key(s);
    let m: String = f.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    m.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title without the site's name: "Headline | Site", "Site - Headline", "Headline – Site".
pub fn clean_title(title: &str, site: Option<&str>) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let site_key = site.map(title_key).filter(|k| !k.is_empty());
    for sep in [" | ", " ｜ ", " - ", " – ", " — ", " :: ", " » ", " « ", " · "] {
        let parts: Vec<&str> = title.split(sep).collect();
        if parts.len() < 2 {
            continue;
        }
        let (first, last) = (parts[0].trim(), parts[parts.len() - 1].trim());
        let words = |s: &str| s.split_whitespace().count();
        let is_site = |s: &str| match &site_key {
            Some(k) => {
                let sk = title_key(s);
                !sk.is_empty() && (sk == *k || k.contains(&sk) || sk.contains(k.as_str()))
            }
            None => false,
        };
        if is_site(last) {
            return parts[..parts.len() - 1].join(sep).trim().to_string();
        }
        if is_site(first) {
            return parts[1..].join(sep).trim().to_string();
        }
        if site_key.is_none() {
            // No site name to compare: a short last segment after a long title is the site.
            let rest = parts[..parts.len() - 1].join(sep);
            if words(last) <= 3 && words(&rest) >= 4 {
                return rest.trim().to_string();
            }
        }
    }
    title
}

fn choose_headline(tree: &Tree, m: &MetaFound) -> Option<Headline> {
    let site = m.outlet.as_deref();
    let meta_title = [&m.og_title, &m.ld_headline, &m.twitter_title, &m.title_tag]
        .into_iter()
        .flatten()
        .map(|t| clean_title(t, site))
        .find(|t| !t.is_empty());
    let _ = tree;
    match meta_title {
        Some(t) => {
            let k = title_key(&t);
            // The visible headline, when one of the page's <h1> says the same.
            let h1 = m.h1s.iter().find(|(_, h)| {
                let hk = title_key(h);
                !hk.is_empty() && !k.is_empty() && (hk == k || (hk.len() > 12 && (k.contains(&hk) || hk.contains(&k))))
            });
            match h1 {
                Some((node, h)) => Some(Headline { text: h.clone(), node: *node }),
                None => Some(Headline { text: t, node: usize::MAX }),
            }
        }
        None => m
            .h1s
            .iter()
            .find(|(_, h)| h.split_whitespace().count() >= 2)
            .map(|(node, h)| Headline { text: h.clone(), node: *node }),
    }
}

#[cfg(test)]
mod tests;
