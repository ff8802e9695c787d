//! Text from captions, file names, rule packs and fetched pages, made safe for a terminal.
//!
//! Human output (and everything adlint writes to stderr) shows control characters visibly
//! escaped instead of sending them raw, as ripgrep and git do: `ESC]0;…BEL` would retitle the
//! window, `ESC[2J` clear it, OSC 8 forge a link, and U+202E reverse the text that follows.
//! C0 controls (except tab and line feed), DEL and C1 controls are written `\x1B`; bidirectional
//! controls and the line and paragraph separators `\u{202E}`. Machine formats (JSON, JSONL,
//! CSV, SARIF, JUnit, GitHub, HTML) keep the text as it is, escaped by their own rules.

use std::borrow::Cow;
use std::io::{self, Write};

/// Bidirectional formatting characters: they reorder the text around them.
pub fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether a character is escaped in terminal output (a line feed and a tab are not; a carriage
/// return is, unless a line feed follows it, which [`visible`] decides).
fn escaped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

fn push_escape(out: &mut String, c: char) {
    let n = u32::from(c);
    if n < 0x100 {
        out.push_str(&format!("\\x{n:02X}"));
    } else {
        out.push_str(&format!("\\u{{{n:04X}}}"));
    }
}

/// `text` with control characters escaped; borrowed when there are none.
pub fn visible(text: &str) -> Cow<'_, str> {
    let needs = text
        .char_indices()
        .any(|(i, c)| escaped(c) && !(c == '\r' && text[i + 1..].starts_with('\n')));
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if escaped(c) && !(c == '\r' && text[i + 1..].starts_with('\n')) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Where byte `offset` of `text` lands in [`visible`]`(text)`.
pub fn visible_offset(text: &str, offset: usize) -> usize {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // A carriage return at the cut is followed by what follows it in the whole text.
    let head = &text[..end];
    let shown = visible(head).len();
    if head.ends_with('\r') && text[end..].starts_with('\n') {
        shown - "\\x0D".len() + 1
    } else {
        shown
    }
}

/// The byte offset of `text` that lands at `shown` in [`visible`]`(text)` (the start of the
/// character whose escape holds it).
pub fn original_offset(text: &str, shown: usize) -> usize {
    let mut at = 0usize;
    for (i, c) in text.char_indices() {
        let width = if escaped(c) && !(c == '\r' && text[i + 1..].starts_with('\n')) {
            let mut s = String::new();
            push_escape(&mut s, c);
            s.len()
        } else {
            c.len_utf8()
        };
        if at + width > shown {
            return i;
        }
        at += width;
    }
    text.len()
}

/// One line of output with every control character escaped except, when `keep_sgr`, the colour
/// sequences (`ESC[…m`) adlint's own renderers write.
fn filter(line: &str, keep_sgr: bool) -> Cow<'_, str> {
    let needs = line.char_indices().any(|(i, c)| {
        escaped(c) && !(c == '\r' && line[i + 1..].starts_with('\n'))
            || (c == '\x1b' && !(keep_sgr && sgr_len(&line[i..]).is_some()))
    });
    if !needs {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 16);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b'
            && keep_sgr
            && let Some(n) = sgr_len(rest)
        {
            out.push_str(&rest[..n]);
            rest = &rest[n..];
            continue;
        }
        if escaped(c) && !(c == '\r' && rest[1..].starts_with('\n')) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of a Select Graphic Rendition sequence (`ESC[1;31m`) at the start of `s`.
fn sgr_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\x1b[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// A writer for people's eyes: each line is passed on with control characters escaped (colour
/// sequences kept when `keep_sgr`). Lines are held until complete; `flush` passes on the rest.
pub struct SafeWriter<W: Write> {
    inner: W,
    keep_sgr: bool,
    pending: Vec<u8>,
}

impl<W: Write> SafeWriter<W> {
    pub fn new(inner: W, keep_sgr: bool) -> Self {
        SafeWriter {
            inner,
            keep_sgr,
            pending: Vec::new(),
        }
    }

    /// The writer underneath, for output that is not for people.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    fn pass(&mut self, upto: usize) -> io::Result<()> {
        let bytes: Vec<u8> = self.pending.drain(..upto).collect();
        let text = String::from_utf8_lossy(&bytes);
        self.inner
            .write_all(filter(&text, self.keep_sgr).as_bytes())
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.pass(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let n = self.pending.len();
        if n > 0 {
            self.pass(n)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        assert!(matches!(
            visible("plain #ad é 🌞\tx\r\ny"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            visible("\x1b]0;owned\x07 \x1b[2J"),
            "\\x1B]0;owned\\x07 \\x1B[2J"
        );
        assert_eq!(visible("abc\u{202E}fed"), "abc\\u{202E}fed");
        assert_eq!(visible("a\rb\u{85}"), "a\\x0Db\\x85");
        assert_eq!(visible("a\u{7f}"), "a\\x7F");
    }

    #[test]
    fn offsets_follow_the_escapes() {
        let text = "\x1b[2J#ad x";
        assert_eq!(visible_offset(text, 4), "\\x1B[2J".len());
        assert_eq!(visible_offset(text, text.len()), visible(text).len());
        assert_eq!(visible_offset("a\r\nb", 2), 2);
        assert_eq!(original_offset(text, "\\x1B[2J".len()), 4);
        assert_eq!(original_offset(text, 2), 0);
        assert_eq!(original_offset(text, 999), text.len());
    }

    #[test]
    fn the_writer_keeps_colours_only_when_asked() {
        let mut out = Vec::new();
        {
            let mut w = SafeWriter::new(&mut out, true);
            write!(w, "\x1b[31merror\x1b[0m: \x1b]8;;http://evil\x1b\\li").unwrap();
            writeln!(w, "nk\x1b]8;;\x1b\\").unwrap();
            write!(w, "tail\x07").unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[31merror\x1b[0m: \\x1B]8;;http://evil\\x1B\\link\\x1B]8;;\\x1B\\\ntail\\x07"
        );
        let mut out = Vec::new();
        SafeWriter::new(&mut out, false)
            .write_all(b"\x1b[31mred\n")
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\\x1B[31mred\n");
    }
}
