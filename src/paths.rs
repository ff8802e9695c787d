//! File names as adlint shows them, whatever bytes they hold.
//!
//! A path is taken from the command line as the operating system gives it (`OsString`), so a
//! name that is not UTF-8 can be read. Where adlint names a file in its output (`source` in JSON,
//! messages, human output) the name is text: a name that is not UTF-8 is written with each byte
//! that is not part of a UTF-8 character as `\xNN` (`caf\xE9.txt` for Latin-1 `café.txt`). The
//! exact bytes of such a name are remembered for the run, so that the JSON output can add them
//! (`source_bytes`, base64) and SARIF can percent-encode them (`caf%E9.txt`).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

/// Names shown for paths that are not UTF-8, and their bytes.
fn registry() -> &'static Mutex<HashMap<String, Vec<u8>>> {
    static NAMES: OnceLock<Mutex<HashMap<String, Vec<u8>>>> = OnceLock::new();
    NAMES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Whether any name that is not UTF-8 was seen: the common case skips the lookup.
static ANY: AtomicBool = AtomicBool::new(false);

/// The name of a path as adlint writes it (see the module documentation).
pub fn name(path: &Path) -> String {
    name_os(path.as_os_str())
}

/// [`name`] of an `OsStr`.
pub fn name_os(os: &OsStr) -> String {
    if let Some(s) = os.to_str() {
        return s.to_string();
    }
    let bytes = os.as_bytes();
    let shown = escape_bytes(bytes);
    if let Ok(mut names) = registry().lock() {
        names.insert(shown.clone(), bytes.to_vec());
        ANY.store(true, Ordering::Relaxed);
    }
    shown
}

/// `bytes` as text, with each byte that is not part of a UTF-8 character as `\xNN`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// The exact bytes of a name [`name`] gave for a path that is not UTF-8; `None` for any other
/// name (UTF-8 paths, URLs, `-`).
pub fn raw(shown: &str) -> Option<Vec<u8>> {
    if !ANY.load(Ordering::Relaxed) || !shown.contains("\\x") {
        return None;
    }
    registry().lock().ok()?.get(shown).cloned()
}

/// The path a shown name stands for.
pub fn path(shown: &str) -> PathBuf {
    match raw(shown) {
        Some(bytes) => PathBuf::from(OsStr::from_bytes(&bytes)),
        None => PathBuf::from(shown),
    }
}

/// Standard base64 with padding (RFC 4648), for `source_bytes` in JSON.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.len();
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= n {
                out.push(ALPHABET[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A file name for a diff header (`a/draft.txt`), quoted as git quotes names when it holds a
/// control character, a quote, a backslash or bytes that are not UTF-8: `"a/two\nlines.txt"`,
/// `"a/caf\351.txt"`. Unquoted, a newline in a name would start a forged `+++` line.
pub fn diff_name(prefix: &str, name: &OsStr) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    bytes.extend_from_slice(name.as_bytes());
    let plain = std::str::from_utf8(&bytes).ok().filter(|s| {
        !s.chars()
            .any(|c| c.is_control() || c == '"' || c == '\\' || crate::terminal::is_bidi(c))
    });
    if let Some(s) = plain {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() || crate::terminal::is_bidi(c) => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("\\{b:03o}"));
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\{b:03o}"));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_utf8_are_escaped_and_remembered() {
        let os = OsStr::from_bytes(b"caf\xE9 \xFF.txt");
        let shown = name_os(os);
        assert_eq!(shown, "caf\\xE9 \\xFF.txt");
        assert_eq!(raw(&shown).as_deref(), Some(&b"caf\xE9 \xFF.txt"[..]));
        assert_eq!(path(&shown).as_os_str(), os);
        assert_eq!(name(Path::new("é.txt")), "é.txt");
        assert_eq!(raw("é.txt"), None);
    }

    #[test]
    fn base64_as_rfc_4648() {
        for (bytes, want) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"caf\xE9", "Y2Fm6Q=="),
        ] {
            assert_eq!(base64(bytes), want);
        }
    }

    #[test]
    fn diff_names_are_quoted_when_they_must_be() {
        let name = |b: &[u8]| diff_name("a/", OsStr::from_bytes(b));
        assert_eq!(name(b"draft.txt"), "a/draft.txt");
        assert_eq!(name("é.txt".as_bytes()), "a/é.txt");
        assert_eq!(name(b"x\n+++ b/etc.txt"), "\"a/x\\n+++ b/etc.txt\"");
        assert_eq!(name(b"caf\xE9.txt"), "\"a/caf\\351.txt\"");
        assert_eq!(name(b"q\"\\.txt"), "\"a/q\\\"\\\\.txt\"");
        assert_eq!(name(b"\x1b[2J.txt"), "\"a/\\033[2J.txt\"");
    }
}
