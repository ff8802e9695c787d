//! [`ResultJson`] written as one line of compact JSON by hand: the same bytes as
//! `serde_json::to_writer`, in a third of the instructions. Writing results was the largest cost
//! of a JSONL run after checking; the keys here are fixed, so only values need escaping.

use super::{DiagnosticJson, ResultJson};
use crate::diagnostic::{Fix, Safety};

impl ResultJson<'_> {
    /// Append the result to `out` as compact JSON (no line break), byte for byte as
    /// `serde_json::to_writer` writes it.
    pub fn write_compact(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        if self.baselined != 0 {
            out.extend_from_slice(b"\"baselined\":");
            number(out, self.baselined);
            out.push(b',');
        }
        out.extend_from_slice(b"\"diagnostics\":[");
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            d.write_compact(out);
        }
        out.push(b']');
        if let Some(line) = self.file_line {
            out.extend_from_slice(b",\"file_line\":");
            number(out, line);
        }
        out.extend_from_slice(b",\"platform\":");
        string(out, self.platform);
        out.extend_from_slice(b",\"record\":");
        match self.record {
            Some(record) => string(out, record),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"source\":");
        string(out, self.source);
        if let Some(bytes) = &self.source_bytes {
            out.extend_from_slice(b",\"source_bytes\":");
            string(out, bytes);
        }
        out.push(b'}');
    }
}

impl DiagnosticJson<'_> {
    fn write_compact(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"code\":");
        string(out, self.code);
        out.extend_from_slice(b",\"column\":");
        number(out, self.column);
        out.extend_from_slice(b",\"fix\":");
        match self.fix {
            Some(fix) => write_fix(out, fix),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"help\":");
        string(out, self.help);
        out.extend_from_slice(b",\"line\":");
        number(out, self.line);
        out.extend_from_slice(b",\"message\":");
        string(out, self.message);
        out.extend_from_slice(b",\"name\":");
        string(out, self.name);
        out.extend_from_slice(b",\"severity\":");
        string(out, self.severity.as_str());
        out.extend_from_slice(b",\"span\":{\"end\":");
        number(out, self.span.end);
        out.extend_from_slice(b",\"start\":");
        number(out, self.span.start);
        out.extend_from_slice(b"},\"url\":");
        string(out, self.url);
        out.push(b'}');
    }
}

fn write_fix(out: &mut Vec<u8>, fix: &Fix) {
    out.extend_from_slice(b"{\"edits\":[");
    for (i, edit) in fix.edits.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"end\":");
        number(out, edit.end);
        out.extend_from_slice(b",\"start\":");
        number(out, edit.start);
        out.extend_from_slice(b",\"text\":");
        string(out, &edit.text);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"safety\":");
    out.extend_from_slice(match fix.safety {
        Safety::Safe => b"\"safe\"",
        Safety::Unsafe => b"\"unsafe\"",
    });
    out.push(b'}');
}

fn number(out: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Whether any of eight bytes is a control character, `"` or `\`.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    // Bytes below 0x20 (high bytes of multi-byte characters are 0x80 and above, never below).
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    control
        | zero_byte(word ^ (ONES * u64::from(b'"')))
        | zero_byte(word ^ (ONES * u64::from(b'\\')))
        != 0
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, the control characters as
/// `\b \t \n \f \r` or `\u00XX` (lower-case hex), everything else as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs escaping.
        if let Some(word) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            if !needs_escape(word) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let i = i - 1;
        out.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::caption::Caption;
    use crate::contract::ResultJson;
    use crate::diagnostic::{Diagnostic, Edit, Fix, Safety, Severity};

    fn same_as_serde(
        caption: &Caption,
        platform: &str,
        diagnostics: &[Diagnostic],
        baselined: usize,
        bytes: Option<String>,
    ) {
        let result = ResultJson::new(caption, platform, diagnostics)
            .baselined(baselined)
            .source_bytes(bytes);
        let mut ours = Vec::new();
        result.write_compact(&mut ours);
        let theirs = serde_json::to_vec(&result).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    fn diagnostic(text: &str, start: usize, fix: Option<Fix>) -> Diagnostic {
        let start = (0..=start.min(text.len()))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        Diagnostic {
            code: "FTC001".into(),
            name: "missing-disclosure".into(),
            severity: Severity::Warning,
            message: format!("no \"disclosure\" in {text}"),
            span: start..text.len(),
            label: text.into(),
            labels: Vec::new(),
            help: "start with `#ad` \\ then\u{7}\u{1f}\u{7f}".into(),
            url: "https://www.ftc.gov/a?b=c&d=e".into(),
            fix,
        }
    }

    #[test]
    fn every_field_and_escape() {
        let text = "#ad ✨ \"quoted\" back\\slash\ttab\r\nline\u{8}\u{c}\u{0}\u{1b} 🎁";
        let mut caption = Caption::new(text);
        caption.origin.source = "exports/a \"b\".jsonl".into();
        caption.origin.record = Some("p\n1".into());
        caption.origin.line = Some(12);
        let fix = Fix {
            edits: vec![
                Edit {
                    end: 0,
                    start: 0,
                    text: "#ad \"x\"\n".into(),
                },
                Edit {
                    end: 5,
                    start: 3,
                    text: String::new(),
                },
            ],
            safety: Safety::Unsafe,
        };
        let diagnostics = vec![
            diagnostic(text, 7, Some(fix)),
            diagnostic(text, 0, None),
            Diagnostic {
                severity: Severity::Advice,
                ..diagnostic(
                    text,
                    40,
                    Some(Fix {
                        edits: Vec::new(),
                        safety: Safety::Safe,
                    }),
                )
            },
        ];
        same_as_serde(&caption, "tiktok", &diagnostics, 0, None);
        same_as_serde(&caption, "generic", &diagnostics, 3, Some("YWJj".into()));
        caption.origin.record = None;
        caption.origin.line = None;
        same_as_serde(&caption, "x", &[], usize::MAX, None);
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_serde_writes_it(text in any::<String>(), start in 0usize..64, n in any::<usize>()) {
            let mut caption = Caption::new(text.clone());
            caption.origin.source = text.clone();
            caption.origin.line = Some(n);
            let fix = Fix { edits: vec![Edit { end: n, start, text: text.clone() }], safety: Safety::Safe };
            same_as_serde(&caption, &text, &[diagnostic(&text, start, Some(fix))], n, Some(text.clone()));
        }
    }
}
