//! Caption text primitives shared by the engine: tokens (hashtags, @handles, links), word
//! boundaries, sentences, the fold and line/column positions.
//!
//! Everything here works on byte offsets into the caption and never splits a UTF-8 character.
//! RULES.md defines tokens once ("links and handles are opaque") and every rule uses the same
//! definition, so the tokenizer lives here rather than inside individual matchers.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

/// What kind of opaque token a span of the caption is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Hashtag,
    Handle,
    Link,
}

/// A hashtag, @handle or link in a caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Range<usize>,
}

impl Token {
    /// The token's text without its sigil (`#`, `＃`, `@`), for hashtags and handles.
    pub fn body<'a>(&self, text: &'a str) -> &'a str {
        let raw = &text[self.span.clone()];
        match self.kind {
            TokenKind::Link => raw,
            _ => {
                let sigil = raw.chars().next().map_or(0, char::len_utf8);
                &raw[sigil..]
            }
        }
    }
}

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)https?://[^\s<>]+|\bwww\.[^\s<>]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>]*",
    )
    .expect("link pattern is valid")
});

/// Whether `c` can continue a hashtag: letters of any script, digits, `_` and combining marks.
pub fn is_tag_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

/// Combining marks (general category M) without pulling in a table: the ranges that matter in
/// captions (Latin diacritics, Devanagari and other Indic vowel signs, Thai, Hebrew, Arabic).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05BD}'
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0900}'..='\u{0903}'
        | '\u{093A}'..='\u{094F}' | '\u{0951}'..='\u{0957}' | '\u{0962}'..='\u{0963}'
        | '\u{0981}'..='\u{0983}' | '\u{09BC}'..='\u{09D7}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}'
        | '\u{0E47}'..='\u{0E4E}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{3099}'..='\u{309A}' | '\u{FE20}'..='\u{FE2F}')
}

/// Whether `c` is part of a word for whole-word matching.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

/// Emoji and the invisible characters that glue emoji sequences together.
pub fn is_emoji(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2190..=0x21FF
        | 0x2300..=0x23FF | 0x25A0..=0x25FF | 0x2900..=0x297F | 0x3030 | 0x303D
        | 0x3297 | 0x3299 | 0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139
        | 0x200D | 0xFE0E | 0xFE0F | 0x20E3 | 0xE0020..=0xE007F)
}

/// Whether `LINK` can match at all: every link has a `/` or starts with `www.`. Most captions
/// have neither, and this check is much cheaper than the pattern's scan.
fn may_have_link(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr(b'/', bytes).is_some()
        || memchr::memchr_iter(b'.', bytes)
            .any(|i| i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www"))
}

/// Find the caption's links, then its hashtags and handles outside links, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut tokens);
    tokens
}

/// [`tokenize`] into a vector the caller reuses (cleared first).
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let mut links: Vec<Range<usize>> = Vec::new();
    let candidates = may_have_link(text).then(|| LINK.find_iter(text));
    for m in candidates.into_iter().flatten() {
        let trimmed = trim_link(m.as_str());
        if trimmed > 0 {
            links.push(m.start()..m.start() + trimmed);
        }
    }
    tokens.extend(links.iter().map(|span| Token {
        kind: TokenKind::Link,
        span: span.clone(),
    }));
    let in_link = |i: usize| links.iter().any(|l| l.contains(&i));
    // Only `#`, `@` and the fullwidth `＃` (EF BC 83 in UTF-8) start a token: jump from one to
    // the next. Each is a character boundary (ASCII, or a lead byte).
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(found) = memchr::memchr3(b'#', b'@', 0xEF, &bytes[at..]) {
        let i = at + found;
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        at = i + c.len_utf8();
        let kind = match c {
            '#' | '＃' => TokenKind::Hashtag,
            '@' if !char_before(text, i).is_some_and(|p| is_word_char(p) || p == '.') => {
                TokenKind::Handle
            }
            _ => continue,
        };
        if in_link(i) {
            continue;
        }
        let body_start = i + c.len_utf8();
        // A token never runs into a link: "#adhttps://…" is `#ad` followed by the link.
        let limit = links
            .iter()
            .map(|l| l.start)
            .filter(|&s| s >= body_start)
            .min()
            .unwrap_or(text.len());
        let mut end = body_start;
        for (j, d) in text[body_start..limit].char_indices() {
            let ok = match kind {
                TokenKind::Hashtag => is_tag_char(d),
                _ => is_word_char(d) || d == '.',
            };
            if !ok {
                break;
            }
            end = body_start + j + d.len_utf8();
        }
        if kind == TokenKind::Handle {
            // A handle never ends with a dot: "thanks @sam." ends the sentence.
            while end > body_start && text[..end].ends_with('.') {
                end -= 1;
            }
        }
        if end > body_start {
            tokens.push(Token { kind, span: i..end });
            at = end;
        }
    }
    tokens.sort_by_key(|t| t.span.start);
}

/// Length of a matched link once trailing sentence punctuation is dropped.
fn trim_link(link: &str) -> usize {
    let mut end = link.len();
    loop {
        let Some(c) = link[..end].chars().next_back() else {
            return 0;
        };
        let unbalanced_paren = c == ')' && !link[..end].contains('(');
        if matches!(
            c,
            '.' | ',' | '!' | '?' | ';' | ':' | '"' | '\'' | ']' | '}' | '>'
        ) || unbalanced_paren
            || is_emoji(c)
        {
            end -= c.len_utf8();
        } else {
            return end;
        }
    }
}

/// The character before byte `at`, if any.
pub fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

/// The character at byte `at`, if any.
pub fn char_at(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Whether `span` starts and ends on word boundaries (Unicode-aware, and unlike `\b` also right
/// for spans starting with `#` or other punctuation).
pub fn is_whole_word(text: &str, span: &Range<usize>) -> bool {
    let first = char_at(text, span.start);
    let last = char_before(text, span.end);
    let start_ok = !(first.is_some_and(is_word_char)
        && char_before(text, span.start).is_some_and(is_word_char));
    let end_ok =
        !(last.is_some_and(is_word_char) && char_at(text, span.end).is_some_and(is_word_char));
    start_ok && end_ok
}

/// Whether the text before `at` (skipping spaces and emoji) is the caption start, a line break
/// or sentence punctuation: that is, whether a word at `at` starts a sentence.
pub fn starts_sentence(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        if c == ' ' || c == '\t' || is_emoji(c) {
            continue;
        }
        return matches!(c, '\n' | '\r' | '.' | '!' | '?');
    }
    true
}

/// Whether `at` is the start of the caption or of a line, after optional spaces and emoji.
pub fn at_line_start(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        if c == ' ' || c == '\t' || is_emoji(c) {
            continue;
        }
        return matches!(c, '\n' | '\r');
    }
    true
}

/// The sentence around byte `at`: sentences end at `. ! ?` followed by a space or the end, and
/// at line breaks.
pub fn sentence_around(text: &str, at: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let is_end = |i: usize| -> bool {
        match bytes[i] {
            b'\n' | b'\r' => true,
            b'.' | b'!' | b'?' => bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()),
            _ => false,
        }
    };
    let mut start = at.min(bytes.len());
    while start > 0 && !is_end(start - 1) {
        start -= 1;
    }
    let mut end = at.min(bytes.len());
    while end < bytes.len() && !is_end(end) {
        end += 1;
    }
    start..end
}

/// Where the head (the text shown before "… more") ends, as a byte offset.
///
/// The head is `chars` grapheme clusters (line breaks not counted; CR, LF and CRLF are one
/// break each) or the end of line `lines`, whichever comes first.
pub fn fold_end(text: &str, chars: usize, lines: Option<usize>) -> usize {
    let bytes = text.as_bytes();
    let mut fold = Fold {
        chars,
        lines,
        count: 0,
        line: 1,
    };
    if text.is_ascii() {
        return fold.ascii(bytes).unwrap_or(text.len());
    }
    if fits(text, chars, lines) {
        return text.len();
    }
    // Most captions are ASCII for a while: up to the character before the first other one
    // (which a combining mark may join), every byte is a grapheme but CRLF, which is one break.
    let mut start = bytes
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len())
        .saturating_sub(1);
    if start > 0 && bytes[start - 1] == b'\r' {
        start -= 1;
    }
    if let Some(end) = fold.ascii(&bytes[..start]) {
        return end;
    }
    for (i, g) in text[start..].grapheme_indices(true) {
        let line_break = g == "\n" || g == "\r" || g == "\r\n";
        if let Some(end) = fold.step(start + i, line_break) {
            return end;
        }
    }
    text.len()
}

/// Whether all of a text shows before the fold: it has no more characters than the fold has
/// graphemes (a grapheme has at least one), and fewer line breaks than the fold has lines.
fn fits(text: &str, chars: usize, lines: Option<usize>) -> bool {
    let bytes = text.as_bytes();
    let mut controls = 0;
    let mut breaks = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        controls += 1;
        breaks += usize::from(!(bytes[i] == b'\n' && i > 0 && bytes[i - 1] == b'\r'));
    }
    lines.is_none_or(|max| breaks < max) && text.chars().count() - controls <= chars
}

/// Counting graphemes and line breaks towards the fold.
struct Fold {
    chars: usize,
    lines: Option<usize>,
    /// Graphemes so far, line breaks left out.
    count: usize,
    line: usize,
}

impl Fold {
    /// One grapheme (or line break) at byte `at`: `Some(at)` when the fold comes before it.
    fn step(&mut self, at: usize, line_break: bool) -> Option<usize> {
        if line_break {
            if self.lines.is_some_and(|max| self.line >= max) {
                return Some(at);
            }
            self.line += 1;
            return None;
        }
        if self.count == self.chars {
            return Some(at);
        }
        self.count += 1;
        None
    }

    /// [`Fold::step`] over ASCII text, where every byte is a grapheme but CRLF (one break).
    /// Grapheme segmentation was once the engine's largest single cost.
    fn ascii(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let line_break = b == b'\n' || b == b'\r';
            if let Some(end) = self.step(i, line_break) {
                return Some(end);
            }
            i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
        }
        None
    }
}

/// 1-based line and character column of byte `at`. CRLF, CR and LF each end a line.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text.as_bytes()[..at];
    let mut line = 1;
    let mut line_start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', before) {
        // The LF of a CRLF ends no further line.
        if !(before[i] == b'\n' && i > 0 && before[i - 1] == b'\r') {
            line += 1;
        }
        line_start = i + 1;
    }
    (line, text[line_start..at].chars().count() + 1)
}

/// Fold text for case-insensitive comparison and normalise curly apostrophes.
pub fn fold_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_case_into(s, &mut out);
    out
}

/// [`fold_case`] appended to a string the caller reuses.
pub fn fold_case_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    out.extend(
        s.chars()
            .map(|c| if c == '’' { '\'' } else { c })
            .flat_map(char::to_lowercase),
    );
}

/// Brand names compare ignoring case, spaces and punctuation, with `&` and `+` read as "and".
pub fn brand_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '&' || c == '+' {
            out.push_str("and");
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Find a brand (by its [`brand_key`]) named in `text`: by name or as an @handle, on word
/// boundaries and never inside a hashtag. Returns the spans found.
pub fn find_brand(text: &str, tokens: &[Token], key: &str) -> Vec<Range<usize>> {
    if key.is_empty() {
        return Vec::new();
    }
    // Normalised text with, for each normalised byte, the original byte range it came from.
    let mut norm = String::with_capacity(text.len());
    let mut origin: Vec<Range<usize>> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let range = i..i + c.len_utf8();
        if c == '&' || c == '+' {
            norm.push_str("and");
            origin.extend(std::iter::repeat_n(range, 3));
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                norm.push(l);
                origin.extend(std::iter::repeat_n(range.clone(), l.len_utf8()));
            }
        }
    }
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = norm[from..].find(key) {
        let n_start = from + pos;
        let n_end = n_start + key.len();
        from = n_start + key.chars().next().map_or(1, char::len_utf8);
        let span = origin[n_start].start..origin[n_end - 1].end;
        let before = char_before(text, span.start);
        let after = char_at(text, span.end);
        if before.is_some_and(|c| c.is_alphanumeric()) || after.is_some_and(|c| c.is_alphanumeric())
        {
            continue;
        }
        let in_hashtag = tokens.iter().any(|t| {
            t.kind == TokenKind::Hashtag && t.span.start < span.end && span.start < t.span.end
        });
        let in_link = tokens.iter().any(|t| {
            t.kind == TokenKind::Link && t.span.start < span.end && span.start < t.span.end
        });
        if in_hashtag || in_link {
            continue;
        }
        // A handle counts whole: "@lumenhome" for "Lumen Home", with the @ in the span.
        let span = match tokens.iter().find(|t| {
            t.kind == TokenKind::Handle && t.span.start < span.end && span.start < t.span.end
        }) {
            Some(t) if t.span.end == span.end => t.span.clone(),
            Some(_) => continue,
            None => span,
        };
        found.push(span);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, &text[t.span]))
            .collect()
    }

    #[test]
    fn hashtags_end_at_non_word_characters() {
        assert_eq!(
            kinds("#ad✨ #adidas"),
            vec![(TokenKind::Hashtag, "#ad"), (TokenKind::Hashtag, "#adidas")]
        );
        assert_eq!(kinds("＃広告 です"), vec![(TokenKind::Hashtag, "＃広告")]);
    }

    #[test]
    fn links_are_opaque_and_trimmed() {
        assert_eq!(
            kinds("see https://x.com/a#b, @me."),
            vec![
                (TokenKind::Link, "https://x.com/a#b"),
                (TokenKind::Handle, "@me")
            ]
        );
        assert_eq!(
            kinds("amzn.to/3xY and glowlab.com"),
            vec![(TokenKind::Link, "amzn.to/3xY")]
        );
        assert_eq!(kinds("mail me@x.com"), vec![]);
    }

    #[test]
    fn line_and_column_count_characters_and_each_line_break_once() {
        let text = "a✨b\r\ncd\re\n\nf🎁g";
        let reference = |at: usize| {
            let (mut line, mut col, mut prev_cr) = (1, 1, false);
            for c in text[..at].chars() {
                match c {
                    '\n' if prev_cr => {}
                    '\n' | '\r' => (line, col) = (line + 1, 1),
                    _ => col += 1,
                }
                prev_cr = c == '\r';
            }
            (line, col)
        };
        for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            assert_eq!(line_col(text, at), reference(at), "at {at}");
        }
        assert_eq!(line_col(text, "a✨b\r\ncd\re\n\nf".len()), (5, 2));
        assert_eq!(line_col(text, 1000), reference(text.len()));
    }

    #[test]
    fn sigils_are_found_among_any_characters() {
        // `￥` and `｜` share `＃`'s first UTF-8 byte; `.@` and `x@` are not handles.
        assert_eq!(
            kinds("￥500｜＃PR #ad#spon a.@b x@y (@me.) 🎁@you WWW.glow.co"),
            vec![
                (TokenKind::Hashtag, "＃PR"),
                (TokenKind::Hashtag, "#ad"),
                (TokenKind::Hashtag, "#spon"),
                (TokenKind::Handle, "@me"),
                (TokenKind::Handle, "@you"),
                (TokenKind::Link, "WWW.glow.co"),
            ]
        );
    }

    #[test]
    fn tokens_never_overlap_links() {
        assert_eq!(
            kinds("#adhttps://amzn.to/x @me"),
            vec![
                (TokenKind::Hashtag, "#ad"),
                (TokenKind::Link, "https://amzn.to/x"),
                (TokenKind::Handle, "@me"),
            ]
        );
    }

    #[test]
    fn fold_counts_graphemes_and_lines() {
        let family = "👨‍👩‍👧‍👦";
        let text = format!("{family}{family}ab");
        assert_eq!(fold_end(&text, 2, None), family.len() * 2);
        assert_eq!(fold_end("a\r\nb\nc\nd", 100, Some(3)), "a\r\nb\nc".len());
        assert_eq!(fold_end("abc", 3, Some(1)), 3);
        // An ASCII start, then a combining accent on its last letter: `é` is one grapheme.
        assert_eq!(fold_end("abce\u{301}fg", 4, None), "abce\u{301}".len());
        assert_eq!(fold_end("abce\u{301}fg", 3, None), 3);
        // A CRLF just before the first other character is one break.
        assert_eq!(fold_end("ab\r\n✨cd\ne", 100, Some(2)), "ab\r\n✨cd".len());
        assert_eq!(fold_end("ab\r\n✨cd", 3, Some(5)), "ab\r\n✨".len());
        // Short enough in characters: all of it, whatever its graphemes.
        assert_eq!(fold_end(&text, 100, Some(1)), text.len());
    }

    #[test]
    fn fold_agrees_with_plain_grapheme_counting() {
        let reference = |text: &str, chars: usize, lines: Option<usize>| {
            let (mut count, mut line) = (0, 1);
            for (i, g) in text.grapheme_indices(true) {
                if g == "\n" || g == "\r" || g == "\r\n" {
                    if lines.is_some_and(|max| line >= max) {
                        return i;
                    }
                    line += 1;
                } else if count == chars {
                    return i;
                } else {
                    count += 1;
                }
            }
            text.len()
        };
        let texts = [
            "plain ascii caption\r\nline two\rthree\nfour",
            "Me encanta 🇪🇸🇫🇷 e\u{301}\r\n#ad ok",
            "\r\n👨‍👩‍👧‍👦\n\nx\u{301}\u{302}yz",
            "中文字幕\n한국어 텍스트 #광고",
            "abc\r\u{301}def",
        ];
        for text in texts {
            for chars in 0..12 {
                for lines in [None, Some(1), Some(2), Some(3)] {
                    assert_eq!(
                        fold_end(text, chars, lines),
                        reference(text, chars, lines),
                        "{text:?} {chars} {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_ascii_fold_agrees_with_grapheme_counting() {
        for text in [
            "a\r\nb\nc\rd\n\ne",
            "x".repeat(300).as_str(),
            "",
            "\r\n\r\n",
            "ab\r",
        ] {
            for chars in [0, 1, 2, 5, 125] {
                for lines in [None, Some(1), Some(2), Some(3)] {
                    // Force the grapheme path with a non-ASCII text of the same shape.
                    let wide: String = text
                        .chars()
                        .map(|c| {
                            if c == 'x' || c.is_ascii_alphabetic() {
                                'é'
                            } else {
                                c
                            }
                        })
                        .collect();
                    let ascii = fold_end(text, chars, lines);
                    let graphemes = fold_end(&wide, chars, lines);
                    let ascii_chars = text[..ascii].chars().count();
                    assert_eq!(
                        ascii_chars,
                        wide[..graphemes].chars().count(),
                        "{text:?} {chars} {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("é😀x", "é😀".len()), (1, 3));
        assert_eq!(line_col("a\r\nb", 3), (2, 1));
    }

    #[test]
    fn brands_match_ignoring_spacing_and_ampersands() {
        let text = "Bean and Leaf latte with @beanandleaf #beanandleaf";
        let tokens = tokenize(text);
        let spans: Vec<&str> = find_brand(text, &tokens, &brand_key("Bean&Leaf"))
            .into_iter()
            .map(|s| &text[s])
            .collect();
        assert_eq!(spans, vec!["Bean and Leaf", "@beanandleaf"]);
    }

    #[test]
    fn sentence_starts_skip_emoji() {
        let text = "Great day! 🎉 Mom gifted me";
        assert!(starts_sentence(text, text.find("Mom").unwrap()));
        assert!(!starts_sentence("so Lumen", 3));
    }
}
