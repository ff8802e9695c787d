//! Finding the caption in what a post's URL answers with, in order of trust: JSON-LD (the
//! post's own structured data), Open Graph `og:description`, `twitter:description`, `<meta
//! name="description">`, and oEmbed JSON (`title`, else the text of `html`). Text is taken
//! with a real HTML parser (scraper): entities decoded, tags stripped, `<br>` and paragraphs
//! kept as line breaks, since the fold counts lines.
//!
//! Nothing here does I/O; a page that has no caption is an [`Err`] saying what was found
//! instead (a login page, a page with only a title).

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

/// What a body is, as far as finding a caption goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Json,
}

/// What the `Content-Type` header says about a body, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    Page(Kind),
    /// Not something a caption can be read from (an image, a video, a PDF): the media type.
    NotAPage(String),
    /// No type, or a vague one (`text/plain`, `application/octet-stream`): look at the body.
    Unknown,
}

/// Classify a `Content-Type` header value.
pub fn declared(content_type: Option<&str>) -> Declared {
    let Some(value) = content_type else {
        return Declared::Unknown;
    };
    let mime = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "" | "text/plain" | "application/octet-stream" | "binary/octet-stream" => Declared::Unknown,
        "text/html" | "application/xhtml+xml" => Declared::Page(Kind::Html),
        "application/json" | "text/json" | "text/javascript" => Declared::Page(Kind::Json),
        // `application/json+oembed`, `application/ld+json`, …
        m if m.ends_with("+json") || m.starts_with("application/json") => {
            Declared::Page(Kind::Json)
        }
        _ => Declared::NotAPage(mime),
    }
}

/// Guess what a body without a useful type is: `None` when it is neither HTML nor JSON
/// (binary data, plain text).
pub fn sniff(body: &[u8]) -> Option<Kind> {
    let head = &body[..body.len().min(4096)];
    if head.contains(&0) {
        return None;
    }
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('{') {
        return Some(Kind::Json);
    }
    let lower = start.to_ascii_lowercase();
    ["<!doctype html", "<html", "<head", "<meta", "<body"]
        .iter()
        .any(|tag| lower.contains(tag))
        .then_some(Kind::Html)
}

/// A caption found in a page, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub text: String,
    /// `JSON-LD SocialMediaPosting.articleBody`, `og:description`, `oEmbed title`, …
    pub field: String,
}

/// Find the caption in a body. `Err` says what the page is instead, for the message
/// "no caption in page: …".
pub fn caption(body: &str, kind: Kind) -> Result<Found, String> {
    match kind {
        Kind::Html => from_html(body),
        Kind::Json => from_json(body),
    }
}

/// JSON-LD types whose text is a post's caption.
const POST_TYPES: &[&str] = &[
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "VideoObject",
    "ImageObject",
];

/// Properties holding the caption, in order of preference.
const POST_TEXT: &[&str] = &["articleBody", "description", "caption", "text"];

/// Meta tags holding a description, in order of trust: the name (in a `name` or `property`
/// attribute) and the name shown.
const METAS: &[(&str, &str)] = &[
    ("og:description", "og:description"),
    ("twitter:description", "twitter:description"),
    ("description", "meta description"),
];

fn selector(css: &str) -> Selector {
    // The selectors are constants of this file; a typo is caught by the unit tests.
    Selector::parse(css).unwrap_or_else(|_| panic!("bad built-in selector {css}"))
}

fn from_html(body: &str) -> Result<Found, String> {
    if too_deep(body) {
        return Err(format!(
            "the page's HTML nests more than {MAX_DEPTH} elements deep, so it was not read"
        ));
    }
    if too_many_attributes(body) {
        return Err(format!(
            "the page's HTML has a tag with more than {MAX_ATTRIBUTES} attributes, so it was not read"
        ));
    }
    let page = Html::parse_document(body);
    let scripts = selector("script");
    for script in page.select(&scripts) {
        let is_ld = script
            .attr("type")
            .and_then(|t| t.split(';').next())
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let source: String = script.text().collect();
        if let Ok(value) = serde_json::from_str::<Value>(source.trim())
            && let Some(found) = json_ld(&value)
        {
            return Ok(found);
        }
    }
    if let Some(why) = login_wall(&page) {
        return Err(format!("the site returned a login page ({why})"));
    }
    let metas = selector("meta");
    for (name, shown) in METAS {
        // Sites mix up `name` and `property`; either is accepted, in any case.
        let content = page
            .select(&metas)
            .filter(|m| {
                ["name", "property"].iter().any(|a| {
                    m.attr(a)
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case(name))
                })
            })
            .filter_map(|m| m.attr("content"))
            .map(|content| unwrap_engagement(&clean(content)))
            .find(|text| !text.is_empty());
        if let Some(text) = content {
            return Ok(Found {
                text,
                field: (*shown).to_string(),
            });
        }
    }
    Err(match title(&page) {
        Some(title) => format!(
            "found no JSON-LD post, og:description, twitter:description or meta description (the page's title is \"{title}\")"
        ),
        None => "found no JSON-LD post, og:description, twitter:description or meta description"
            .to_string(),
    })
}

/// Instagram's description: `1,234 likes, 56 comments - ann on March 3, 2024: "caption".`
static ENGAGEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?s)\A[\d.,]+[KkMm]? likes?, [\d.,]+[KkMm]? comments? - [^\n]{1,100}? on [^\n:]{3,40}: ["“](.*)["”]\.?\z"#,
    )
    .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// A description with the counts and author some platforms put before the quoted caption
/// (Instagram) gives the caption alone, so spans and the fold count from its first word.
fn unwrap_engagement(text: &str) -> String {
    match ENGAGEMENT.captures(text).and_then(|c| c.get(1)) {
        Some(caption) => caption.as_str().trim().to_string(),
        None => text.to_string(),
    }
}

fn title(page: &Html) -> Option<String> {
    let t = selector("title");
    page.select(&t)
        .next()
        .map(|t| {
            t.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
}

/// Why a page looks like a login wall: a password field, or a title that asks to log in.
fn login_wall(page: &Html) -> Option<String> {
    let password = selector("input");
    if page.select(&password).any(|i| {
        i.attr("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("password"))
    }) {
        return Some("it asks for a password".into());
    }
    let title = title(page)?;
    let lower = title.to_lowercase();
    ["log in", "login", "sign in", "signin", "sign up"]
        .iter()
        .any(|w| lower.contains(w))
        .then(|| format!("its title is \"{title}\""))
}

fn from_json(body: &str) -> Result<Found, String> {
    let value: Value = serde_json::from_str(body.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("the JSON could not be read ({e})"))?;
    if let Some(found) = json_ld(&value) {
        return Ok(found);
    }
    let Value::Object(obj) = &value else {
        return Err("the JSON is not an oEmbed object".into());
    };
    if let Some(text) = obj.get("title").and_then(Value::as_str).map(clean)
        && !text.is_empty()
    {
        return Ok(Found {
            text,
            field: "oEmbed title".into(),
        });
    }
    if let Some(text) = obj.get("html").and_then(Value::as_str).map(embed_text)
        && !text.is_empty()
    {
        return Ok(Found {
            text,
            field: "oEmbed html".into(),
        });
    }
    Err("the JSON has no oEmbed title or html and no JSON-LD post".into())
}

/// The text of an oEmbed `html`: the paragraphs of the embedded post when it has them (a
/// tweet's `<p>`, without the byline after it), else all of its text.
fn embed_text(html: &str) -> String {
    if too_deep(html) || too_many_attributes(html) {
        return String::new();
    }
    let fragment = Html::parse_fragment(html);
    let p = selector("p");
    let paragraphs: Vec<String> = fragment
        .select(&p)
        .map(|p| text_of(p))
        .filter(|t| !t.is_empty())
        .collect();
    if paragraphs.is_empty() {
        text_of(fragment.root_element())
    } else {
        paragraphs.join("\n")
    }
}

/// The first post in JSON-LD (an object, an array, or an `@graph`, nested anywhere) with a
/// caption property.
fn json_ld(value: &Value) -> Option<Found> {
    // Depth-first in document order, without recursion: a page controls the nesting.
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(obj) => {
                if let Some(kind) = post_type(obj.get("@type")) {
                    for property in POST_TEXT {
                        if let Some(text) =
                            obj.get(*property).and_then(string_of).map(|s| clean(&s))
                            && !text.is_empty()
                        {
                            return Some(Found {
                                text,
                                field: format!("JSON-LD {kind}.{property}"),
                            });
                        }
                    }
                }
                stack.extend(obj.values().rev());
            }
            _ => {}
        }
    }
    None
}

/// The post type named by `@type` (a string or an array; `https://schema.org/VideoObject` too).
fn post_type(kind: Option<&Value>) -> Option<&'static str> {
    let names: Vec<&str> = match kind? {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    names.iter().find_map(|name| {
        let short = name.rsplit(['/', ':', '#']).next().unwrap_or(name);
        POST_TYPES.iter().copied().find(|t| *t == short)
    })
}

/// A property's text: a string, the first string of an array, or a `{"@value": …}` object.
fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(string_of),
        Value::Object(obj) => obj.get("@value").and_then(Value::as_str).map(String::from),
        _ => None,
    }
}

/// Text as people read it: entities decoded and tags stripped (when there are any), line
/// breaks as `\n`, surrounding whitespace trimmed.
pub fn clean(raw: &str) -> String {
    let text = if raw.contains(['<', '&']) && !too_deep(raw) {
        text_of(Html::parse_fragment(raw).root_element())
    } else {
        raw.to_string()
    };
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// Deeper HTML than this is not parsed: the parser's time grows with the square of the depth,
/// so a hostile page could otherwise stall the run. Real pages nest a few dozen deep.
const MAX_DEPTH: usize = 1000;

/// Elements that never hold others, or whose end tag is often left out: they add no depth.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "tr", "td", "th",
];

/// The most attributes a tag may have. The HTML parser compares each attribute of a tag with
/// the ones before it (to drop duplicates), so a tag with 200,000 attributes would take a minute
/// of CPU; real tags have a handful.
const MAX_ATTRIBUTES: usize = 256;

/// Whether a tag in the HTML has more than [`MAX_ATTRIBUTES`] attributes, by a linear scan
/// (an estimate that errs towards more: `a = 1` counts three; comments and raw text skipped).
fn too_many_attributes(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut i = 0usize;
    while let Some(at) = bytes[i..].iter().position(|b| *b == b'<') {
        i += at + 1;
        if bytes[i..].starts_with(b"!--") {
            i += find(&bytes[i..], b"-->").map_or(bytes.len() - i, |e| e + 3);
            continue;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = bytes[i..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(bytes.len(), |e| i + e);
        let name = html
            .get(i..name_end)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let (mut count, mut in_token, mut quote, mut after_equals) = (0usize, false, None, false);
        i = name_end;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if let Some(q) = quote {
                if b == q {
                    quote = None;
                }
                continue;
            }
            match b {
                b'>' => break,
                b'"' | b'\'' if after_equals => quote = Some(b),
                b if b.is_ascii_whitespace() => in_token = false,
                _ if !in_token => {
                    count += 1;
                    in_token = true;
                    if count > MAX_ATTRIBUTES {
                        return true;
                    }
                }
                _ => {}
            }
            if !b.is_ascii_whitespace() {
                after_equals = b == b'=';
            }
        }
        if matches!(
            name.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp"
        ) {
            let close = format!("</{name}");
            i += find_ignore_case(&bytes[i..], close.as_bytes()).unwrap_or(bytes.len() - i);
        }
    }
    false
}

/// Whether HTML nests deeper than [`MAX_DEPTH`], by a linear scan of its tags (an estimate
/// that errs towards shallow: unknown end tags close, comments and raw text are skipped).
fn too_deep(html: &str) -> bool {
    let bytes = html.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(at) = bytes[i..].iter().position(|b| *b == b'<') {
        i += at + 1;
        if bytes[i..].starts_with(b"!--") {
            i += find(&bytes[i..], b"-->").map_or(bytes.len() - i, |e| e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let end = bytes[start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(bytes.len(), |e| start + e);
        let name = html
            .get(start..end)
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '!') {
            continue;
        }
        let tag_end = find(&bytes[end..], b">").map_or(bytes.len(), |e| end + e);
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        i = tag_end;
        if name.starts_with('!') {
            // A doctype or CDATA: no element.
        } else if closing {
            depth = depth.saturating_sub(1);
        } else if matches!(
            name.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp"
        ) {
            let close = format!("</{name}");
            i += find_ignore_case(&bytes[i..], close.as_bytes()).unwrap_or(bytes.len() - i);
        } else if !self_closing && !FLAT.contains(&name.as_str()) {
            depth += 1;
            if depth > MAX_DEPTH {
                return true;
            }
        }
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
];

/// The text under an element: `<br>` is a line break, a block element ends its line, scripts
/// and styles are left out.
fn text_of(root: ElementRef<'_>) -> String {
    enum Step<N> {
        Open(N),
        EndBlock,
    }
    let mut out = String::new();
    let mut stack = vec![Step::Open(*root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::EndBlock => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                continue;
            }
            Step::Open(node) => node,
        };
        match node.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) => match e.name() {
                "br" => out.push('\n'),
                "script" | "style" | "template" => {}
                name => {
                    if BLOCKS.contains(&name) {
                        // A block starts and ends its own line.
                        if !out.is_empty() && !out.ends_with('\n') {
                            out.push('\n');
                        }
                        stack.push(Step::EndBlock);
                    }
                    stack.extend(node.children().rev().map(Step::Open));
                }
            },
            _ => stack.extend(node.children().rev().map(Step::Open)),
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_with_too_many_attributes_is_refused_before_parsing() {
        let mut page = String::from("<html><head><meta property=\"og:description\" ");
        for i in 0..200_000 {
            page.push_str(&format!("a{i}=\"\" "));
        }
        page.push_str("content=\"#ad hi\"></head></html>");
        let started = std::time::Instant::now();
        let refused = caption(&page, Kind::Html).unwrap_err();
        assert!(refused.contains("more than 256 attributes"), "{refused}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // Words inside a quoted value, and attributes in a script, are not attributes.
        let words = "w ".repeat(5000);
        let page = format!(
            "<html><head><script>var s = '<a {words}>';</script>\
             <meta property=\"og:description\" content=\"#ad {words}\"></head></html>"
        );
        assert!(caption(&page, Kind::Html).is_ok());
    }

    fn html(head: &str) -> String {
        format!("<!doctype html><html><head>{head}</head><body><p>page</p></body></html>")
    }

    fn found(body: &str, kind: Kind) -> (String, String) {
        let f = caption(body, kind).unwrap_or_else(|e| panic!("no caption: {e}"));
        (f.field, f.text)
    }

    #[test]
    fn json_ld_wins_over_meta_tags() {
        let page = html(
            r#"<meta property="og:description" content="og text">
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"SocialMediaPosting","articleBody":"the post #ad"}</script>"#,
        );
        assert_eq!(
            found(&page, Kind::Html),
            (
                "JSON-LD SocialMediaPosting.articleBody".into(),
                "the post #ad".into()
            )
        );
    }

    #[test]
    fn json_ld_in_a_graph_an_array_or_nested() {
        let graph = html(
            r#"<script type="application/ld+json">{"@graph":[{"@type":"WebPage","name":"x"},{"@type":["VideoObject"],"description":"video caption"}]}</script>"#,
        );
        assert_eq!(
            found(&graph, Kind::Html),
            (
                "JSON-LD VideoObject.description".into(),
                "video caption".into()
            )
        );
        let array = html(
            r#"<script type="application/ld+json">[{"@type":"Organization"},{"@type":"http://schema.org/ImageObject","caption":"photo &amp; words"}]</script>"#,
        );
        assert_eq!(
            found(&array, Kind::Html),
            ("JSON-LD ImageObject.caption".into(), "photo & words".into())
        );
        let nested = html(
            r#"<script type="application/ld+json">{"@type":"WebPage","mainEntity":{"@type":"SocialMediaPosting","text":"nested"}}</script>"#,
        );
        assert_eq!(found(&nested, Kind::Html).1, "nested");
    }

    #[test]
    fn broken_or_unrelated_json_ld_falls_back_to_meta() {
        let page = html(
            r#"<script type="application/ld+json">{not json</script>
            <script type="application/ld+json">{"@type":"Organization","description":"a company"}</script>
            <meta name="twitter:description" content="tweet text">"#,
        );
        assert_eq!(
            found(&page, Kind::Html),
            ("twitter:description".into(), "tweet text".into())
        );
    }

    #[test]
    fn meta_tags_in_order_of_trust() {
        let page = html(
            r#"<meta name="description" content="plain"><meta name="twitter:description" content="">
            <meta name="og:description" content="og by name">"#,
        );
        assert_eq!(
            found(&page, Kind::Html),
            ("og:description".into(), "og by name".into())
        );
        let page = html(r#"<META NAME="Description" CONTENT="  plain  ">"#);
        assert_eq!(
            found(&page, Kind::Html),
            ("meta description".into(), "plain".into())
        );
    }

    #[test]
    fn instagram_counts_before_the_caption_are_dropped() {
        let page = html(
            r#"<meta property="og:description" content="1,234 likes, 56 comments - ann.lee on March 3, 2024: &quot;Obsessed with @glowlab &#x1F31F;
#ad&quot;. ">"#,
        );
        assert_eq!(
            found(&page, Kind::Html),
            (
                "og:description".into(),
                "Obsessed with @glowlab 🌟\n#ad".into()
            )
        );
        // Anything else is kept as it is.
        assert_eq!(
            unwrap_engagement("12 likes are \"fine\""),
            "12 likes are \"fine\""
        );
        assert_eq!(
            unwrap_engagement("3K likes, 1 comment - bo on May 1, 2025: “#ad hi”"),
            "#ad hi"
        );
    }

    #[test]
    fn entities_are_decoded_once_and_again_when_doubly_encoded() {
        let page = html(
            r#"<meta property="og:description" content="Glow &#x1F31F; serum &amp;amp; I &lt;3 it &#128523;&#10;#ad">"#,
        );
        assert_eq!(
            found(&page, Kind::Html).1,
            "Glow 🌟 serum & I <3 it 😋\n#ad"
        );
    }

    #[test]
    fn tags_are_stripped_and_breaks_kept() {
        assert_eq!(
            clean("line one<br>line <b>two</b><p>three</p>"),
            "line one\nline two\nthree"
        );
        assert_eq!(clean("I <3 this"), "I <3 this");
        assert_eq!(clean("Tom & Jerry"), "Tom & Jerry");
        assert_eq!(clean("a\r\nb"), "a\nb");
    }

    #[test]
    fn oembed_title_then_html() {
        let json = r#"{"version":"1.0","type":"rich","title":"Caption &amp; more #ad","html":"<blockquote>x</blockquote>"}"#;
        assert_eq!(
            found(json, Kind::Json),
            ("oEmbed title".into(), "Caption & more #ad".into())
        );
        let tweet = r#"{"type":"rich","html":"<blockquote class=\"twitter-tweet\"><p lang=\"en\">New serum #ad<br>love it</p>&mdash; Ann (@ann) <a href=\"x\">May 1</a></blockquote><script src=\"w.js\"></script>"}"#;
        assert_eq!(
            found(tweet, Kind::Json),
            ("oEmbed html".into(), "New serum #ad\nlove it".into())
        );
        assert!(caption(r#"{"type":"photo"}"#, Kind::Json).is_err());
        assert!(caption("[1, 2", Kind::Json).is_err());
    }

    #[test]
    fn login_walls_are_named() {
        let page = html(
            r#"<title>Log in • Instagram</title><meta property="og:description" content="Create an account">"#,
        );
        let err = caption(&page, Kind::Html).unwrap_err();
        assert_eq!(
            err,
            "the site returned a login page (its title is \"Log in • Instagram\")"
        );
        let form = "<html><body><form><input name=u><input type=PASSWORD></form></body></html>";
        assert!(
            caption(form, Kind::Html)
                .unwrap_err()
                .contains("asks for a password")
        );
    }

    #[test]
    fn a_page_without_a_caption_says_what_it_has() {
        let err = caption(&html("<title> Just   a page </title>"), Kind::Html).unwrap_err();
        assert!(
            err.ends_with("(the page's title is \"Just a page\")"),
            "{err}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = |n| format!("{}text{}", "<div>".repeat(n), "</div>".repeat(n));
        assert_eq!(clean(&deep(900)), "text");
        assert!(too_deep(&deep(1001)));
        assert!(!too_deep(&"<div>x</div>".repeat(5000)));
        assert!(!too_deep(
            &"<p>unclosed <li>item <br> <img src=x>".repeat(5000)
        ));
        assert!(!too_deep(
            &"<script>if (a<b) { x = '<div>'; }</script><!-- <div> -->".repeat(2000)
        ));
        let page = format!(
            "<html><head><meta name=description content=x></head><body>{}</body></html>",
            deep(100_000)
        );
        let err = caption(&page, Kind::Html).unwrap_err();
        assert!(err.contains("nests more than 1000 elements deep"), "{err}");
        let json = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(caption(&json, Kind::Json).is_err());
    }

    #[test]
    fn bodies_are_classified() {
        assert_eq!(
            declared(Some("text/html; charset=utf-8")),
            Declared::Page(Kind::Html)
        );
        assert_eq!(
            declared(Some("application/json+oembed")),
            Declared::Page(Kind::Json)
        );
        assert_eq!(
            declared(Some("image/png")),
            Declared::NotAPage("image/png".into())
        );
        assert_eq!(declared(Some("text/plain")), Declared::Unknown);
        assert_eq!(
            sniff(b"\xef\xbb\xbf <!DOCTYPE html><html>"),
            Some(Kind::Html)
        );
        assert_eq!(sniff(b"  {\"title\":1}"), Some(Kind::Json));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), None);
        assert_eq!(sniff(b"just words"), None);
    }
}
