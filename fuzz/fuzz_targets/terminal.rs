//! Arbitrary text shown to people: escaped for the terminal, and names quoted for diff headers.
#![no_main]

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use adlint::terminal::{SafeWriter, original_offset, visible, visible_offset};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let shown = visible(&text);
    // Nothing that moves the cursor, rings, retitles or reorders is left, but line feeds, tabs
    // and the carriage return of a CRLF.
    for (i, c) in shown.char_indices() {
        let crlf = c == '\r' && shown[i + 1..].starts_with('\n');
        assert!(
            !(c.is_control() && c != '\n' && c != '\t' && !crlf),
            "control {c:?} left in {shown:?}"
        );
        assert!(!adlint::terminal::is_bidi(c), "bidi {c:?} left in {shown:?}");
    }
    // Offsets map there and back on every character boundary.
    for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
        let there = visible_offset(&text, i);
        assert!(there <= shown.len() && shown.is_char_boundary(there));
        assert_eq!(original_offset(&text, there), i, "offset {i} of {text:?}");
    }
    // The writer passes no escape sequence but colours, whatever the chunks.
    for keep_sgr in [false, true] {
        let mut out = Vec::new();
        {
            let mut w = SafeWriter::new(&mut out, keep_sgr);
            for chunk in data.chunks(7) {
                w.write_all(chunk).unwrap();
            }
            w.flush().unwrap();
        }
        let out = String::from_utf8(out).expect("the writer writes UTF-8");
        for (i, _) in out.match_indices('\x1b') {
            assert!(keep_sgr && out[i..].starts_with("\x1b["), "{out:?}");
        }
    }
    // A diff header name is one line, and a quoted one is closed.
    let name = adlint::paths::diff_name("a/", OsStr::from_bytes(data));
    assert!(!name.contains('\n') && !name.contains('\r'), "{name:?}");
    if name.starts_with('"') {
        assert!(name.len() >= 2 && name.ends_with('"'), "{name:?}");
    }
});
