//! Guards between a JSON export and the parser, so that one hostile record costs one error and
//! bounded memory, never the file:
//!
//! - [`JsonGuard`] rewrites each lone UTF-16 surrogate escape (`"\ud83d"`, a caption cut
//!   mid-emoji) into `\ufffd` (U+FFFD, the replacement character; same length, so positions in
//!   the file do not move), and cuts every string longer than a cap, marking it with
//!   [`OVER_LIMIT`], before the parser buffers it.
//! - [`Bounded`] builds one record as a [`Value`] within a byte budget; past it, the rest of the
//!   record is skipped without being built and the record is marked as over the limit.

use std::fmt;
use std::io::{self, BufRead, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// What a string cut by [`JsonGuard`] ends with once parsed.
pub const OVER_LIMIT: &str = "\u{0}adlint: over the size limit";

/// The same, as JSON string content.
const OVER_LIMIT_JSON: &[u8] = b"\\u0000adlint: over the size limit";

/// Where the guard is in the JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Outside,
    /// In a string, with this many bytes of it passed on.
    String(usize),
    /// In a string that is over the cap: dropping it up to its closing quote; `true` right after
    /// a backslash.
    Cutting(bool),
}

/// A reader of JSON text that mends lone surrogate escapes and cuts overlong strings (see the
/// module documentation). Everything else passes through byte for byte.
pub struct JsonGuard<R> {
    inner: R,
    max_string: usize,
    at: At,
    /// An escape sequence being read: `\`, `\uD83D`, `\uD83D\uDE00`.
    escape: Vec<u8>,
    out: Vec<u8>,
    /// How much of `out` was read.
    taken: usize,
    done: bool,
}

impl<R: BufRead> JsonGuard<R> {
    /// `max_string`: the longest string passed on, in bytes of JSON text.
    pub fn new(inner: R, max_string: usize) -> Self {
        JsonGuard {
            inner,
            max_string,
            at: At::Outside,
            escape: Vec::new(),
            out: Vec::with_capacity(1 << 16),
            taken: 0,
            done: false,
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.taken = 0;
        while self.out.is_empty() && !self.done {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                self.done = true;
                let rest = std::mem::take(&mut self.escape);
                self.out.extend_from_slice(&rest);
                break;
            }
            let n = buf.len();
            let chunk = buf.to_vec();
            self.inner.consume(n);
            for b in chunk {
                self.feed(b);
            }
        }
        Ok(())
    }

    fn feed(&mut self, b: u8) {
        match self.at {
            At::Outside => {
                self.out.push(b);
                if b == b'"' {
                    self.at = At::String(0);
                }
            }
            At::Cutting(true) => self.at = At::Cutting(false),
            At::Cutting(false) => match b {
                b'\\' => self.at = At::Cutting(true),
                b'"' => {
                    self.out.extend_from_slice(OVER_LIMIT_JSON);
                    self.out.push(b'"');
                    self.at = At::Outside;
                }
                _ => {}
            },
            At::String(len) if !self.escape.is_empty() => {
                self.escape.push(b);
                self.escape_step(len);
            }
            At::String(len) => {
                if b == b'"' {
                    self.out.push(b);
                    self.at = At::Outside;
                } else if len >= self.max_string && (b & 0xC0) != 0x80 {
                    // Cut at a character boundary, before an escape or a character.
                    self.at = At::Cutting(b == b'\\');
                } else if b == b'\\' {
                    self.escape.push(b);
                } else {
                    self.out.push(b);
                    self.at = At::String(len + 1);
                }
            }
        }
    }

    /// One more byte of an escape sequence in a string of `len` bytes so far.
    fn escape_step(&mut self, len: usize) {
        let e = &self.escape;
        if e.len() == 2 && e[1] != b'u' {
            return self.pass_escape(len);
        }
        if e.len() < 6 {
            return;
        }
        let Some(first) = hex4(&e[2..6]) else {
            // Not a valid escape: the parser says so.
            return self.pass_escape(len);
        };
        match first {
            0xD800..=0xDBFF => {
                // A high surrogate must be followed by `\u` and a low one.
                let pair_broken = (e.len() >= 7 && e[6] != b'\\')
                    || (e.len() >= 8 && e[7] != b'u')
                    || (e.len() == 12 && !hex4(&e[8..12]).is_some_and(is_low));
                if pair_broken {
                    self.replace_first(len);
                } else if e.len() == 12 {
                    self.pass_escape(len);
                }
            }
            0xDC00..=0xDFFF => self.replace_first(len),
            _ => self.pass_escape(len),
        }
    }

    fn pass_escape(&mut self, len: usize) {
        let n = self.escape.len();
        self.out.append(&mut self.escape);
        self.at = At::String(len + n);
    }

    /// The first `\uXXXX` of the escape is a lone surrogate: write U+FFFD instead, and read
    /// what followed it again.
    fn replace_first(&mut self, len: usize) {
        let rest = self.escape.split_off(6);
        self.escape.clear();
        self.out.extend_from_slice(b"\\ufffd");
        self.at = At::String(len + 6);
        for b in rest {
            self.feed(b);
        }
    }
}

fn hex4(digits: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(digits).ok()?;
    u16::from_str_radix(text, 16).ok()
}

fn is_low(code: u16) -> bool {
    (0xDC00..=0xDFFF).contains(&code)
}

/// Copy what a guard has ready (`out` from `taken` on) into the reader's buffer.
fn pass_on(out: &[u8], taken: &mut usize, buf: &mut [u8]) -> usize {
    let ready = &out[*taken..];
    let n = ready.len().min(buf.len());
    buf[..n].copy_from_slice(&ready[..n]);
    *taken += n;
    n
}

impl<R: BufRead> Read for JsonGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.taken == self.out.len() {
            self.fill()?;
        }
        Ok(pass_on(&self.out, &mut self.taken, buf))
    }
}

/// Bytes left for one record, counted as its keys and values are read.
#[derive(Debug)]
pub struct Budget {
    left: usize,
    /// The record is over the limit, or holds a string that was cut.
    pub over: bool,
}

impl Budget {
    pub fn new(bytes: usize) -> Self {
        Budget {
            left: bytes,
            over: false,
        }
    }

    fn charge(&mut self, bytes: usize) {
        match self.left.checked_sub(bytes) {
            Some(left) => self.left = left,
            None => self.over = true,
        }
    }

    fn string(&mut self, s: &str) {
        if s.ends_with(OVER_LIMIT) {
            self.over = true;
        }
        self.charge(s.len() + 2);
    }
}

/// Deserializes one value within a [`Budget`]: once the budget is spent, the rest is skipped
/// and not built (the value is then incomplete; [`Budget::over`] says so). Objects stay objects
/// and arrays stay arrays, so the shape of a record can still be told.
pub struct Bounded<'b>(pub &'b mut Budget);

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.charge(5);
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.charge(8);
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.charge(8);
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.charge(8);
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.string(v);
        Ok(if self.0.over {
            Value::Null
        } else {
            Value::String(v.to_string())
        })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.string(&v);
        Ok(if self.0.over {
            Value::Null
        } else {
            Value::String(v)
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.charge(4);
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let budget = self.0;
        let mut items = Vec::new();
        loop {
            if budget.over {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                break;
            }
            match seq.next_element_seed(Bounded(budget))? {
                Some(v) if !budget.over => items.push(v),
                Some(_) => {}
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let budget = self.0;
        let mut obj = Map::new();
        loop {
            if budget.over {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                break;
            }
            let Some(key) = map.next_key::<String>()? else {
                break;
            };
            budget.string(&key);
            if budget.over {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = map.next_value_seed(Bounded(budget))?;
            if !budget.over {
                obj.insert(key, value);
            }
        }
        Ok(Value::Object(obj))
    }
}

/// What a CSV record over the size limit becomes: one cell holding this, followed by as many
/// blank lines as the record had line breaks, so later rows keep their numbers and lines.
pub const CSV_OVER_LIMIT: &[u8] = b"\0adlint: row over the size limit";

/// A reader of CSV text that passes each record on once it is complete, and replaces a record
/// longer than a cap with one [`CSV_OVER_LIMIT`] cell, without keeping more than the cap of it.
/// Records are found with csv-core, configured as the CSV reader is.
pub struct CsvGuard<R> {
    inner: R,
    core: csv_core::Reader,
    max: usize,
    /// The record read so far (with the blank lines before it).
    record: Vec<u8>,
    /// The record is over the cap: its bytes are dropped, its line breaks counted.
    over: bool,
    /// A record (the header) was passed on.
    released: bool,
    newlines: usize,
    out: Vec<u8>,
    taken: usize,
    done: bool,
    scratch: Vec<u8>,
    ends: Vec<usize>,
}

impl<R: BufRead> CsvGuard<R> {
    pub fn new(inner: R, delimiter: u8, max: usize) -> Self {
        CsvGuard {
            inner,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            max,
            record: Vec::new(),
            over: false,
            released: false,
            newlines: 0,
            out: Vec::with_capacity(1 << 16),
            taken: 0,
            done: false,
            scratch: vec![0; 1 << 16],
            ends: vec![0; 1024],
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.taken = 0;
        while self.out.is_empty() && !self.done {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let chunk = buf.to_vec();
            self.inner.consume(chunk.len());
            if chunk.is_empty() {
                self.done = true;
            }
            self.feed(&chunk);
        }
        Ok(())
    }

    /// Run `input` through csv-core (empty input: the end of the file).
    fn feed(&mut self, mut input: &[u8]) {
        use csv_core::ReadRecordResult as R;
        while !(self.done && self.over && !self.released) {
            let (result, read, _, _) =
                self.core
                    .read_record(input, &mut self.scratch, &mut self.ends);
            self.take(&input[..read]);
            input = &input[read..];
            match result {
                R::InputEmpty => return,
                R::OutputFull | R::OutputEndsFull => {}
                R::Record => self.release(),
                R::End => {
                    self.release();
                    return;
                }
            }
        }
    }

    fn take(&mut self, bytes: &[u8]) {
        if self.over && !self.released {
            // The header row is over the cap: nothing after it can be read as records, and an
            // endless stream (`/dev/zero`) would never end the row. Stop here.
            return;
        }
        if self.over {
            self.newlines += bytes.iter().filter(|&&b| b == b'\n').count();
            return;
        }
        self.record.extend_from_slice(bytes);
        if self.record.len() > self.max {
            self.over = true;
            self.newlines = self.record.iter().filter(|&&b| b == b'\n').count();
            self.record = Vec::new();
            if !self.released {
                self.out.extend_from_slice(CSV_OVER_LIMIT);
                self.done = true;
            }
        }
    }

    /// The record is complete: pass it on, or its stand-in.
    fn release(&mut self) {
        if self.over && !self.released {
            return;
        }
        self.released = true;
        if self.over {
            self.out.extend_from_slice(CSV_OVER_LIMIT);
            self.out.resize(self.out.len() + self.newlines, b'\n');
            self.over = false;
            self.newlines = 0;
        } else {
            self.out.append(&mut self.record);
            if self.record.capacity() > 1 << 20 {
                self.record = Vec::new();
            }
        }
    }
}

impl<R: BufRead> Read for CsvGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.taken == self.out.len() {
            self.fill()?;
        }
        Ok(pass_on(&self.out, &mut self.taken, buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(text: &str, max: usize) -> String {
        let mut out = String::new();
        JsonGuard::new(io::BufReader::with_capacity(3, text.as_bytes()), max)
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let max = 1000;
        assert_eq!(guarded(r#"["\ud83d"]"#, max), r#"["\ufffd"]"#);
        assert_eq!(guarded(r#"["a\ud83d\n"]"#, max), r#"["a\ufffd\n"]"#);
        assert_eq!(guarded(r#"["\ude00x"]"#, max), r#"["\ufffdx"]"#);
        assert_eq!(
            guarded(r#"["\ud83d\ud83d\ude00"]"#, max),
            r#"["\ufffd\ud83d\ude00"]"#
        );
        assert_eq!(guarded(r#"["\ud83d\u0041"]"#, max), r#"["\ufffd\u0041"]"#);
        // Pairs, other escapes and an escaped backslash before `ud83d` are left alone.
        for text in [
            r#"["\ud83d\ude00"]"#,
            r#"["\\ud83d", "\"", "\u00e9"]"#,
            r#"{"\ud83d\ude00": 1}"#,
        ] {
            assert_eq!(guarded(text, max), text);
        }
        let mended = guarded(r##"[{"caption": "#ad sale \ud83d"}]"##, max);
        let value: Value = serde_json::from_str(&mended).unwrap();
        assert_eq!(value[0]["caption"], "#ad sale \u{fffd}");
    }

    #[test]
    fn overlong_strings_are_cut_and_marked() {
        let cut = |text: &str, max| -> Value { serde_json::from_str(&guarded(text, max)).unwrap() };
        assert_eq!(
            cut(r#"{"c": "abcdefghij"}"#, 4)["c"],
            format!("abcd{OVER_LIMIT}")
        );
        // Cut at a character boundary, never inside an escape or a UTF-8 sequence.
        assert_eq!(
            cut(r#"{"c": "é\"éé"}"#, 5)["c"],
            format!("é\"é{OVER_LIMIT}")
        );
        assert_eq!(
            cut(r#"{"c": "ab\n\ncd"}"#, 3)["c"],
            format!("ab\n{OVER_LIMIT}")
        );
        assert_eq!(guarded(r#"["abc"]"#, 3), r#"["abc"]"#);
    }

    fn csv_guarded(text: &[u8], max: usize) -> Vec<u8> {
        let mut out = Vec::new();
        CsvGuard::new(io::BufReader::with_capacity(5, text), b',', max)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn csv_rows_over_the_cap_become_one_marked_cell() {
        let text = b"id,caption\r\n1,short\r\n2,\"a very\nlong, quoted\ncell\"\r\n3,ok";
        assert_eq!(csv_guarded(text, 1000), text);
        // A record ends at its `\r`; the `\n` after it starts the next one.
        let mut want = b"id,caption\r\n1,short\r".to_vec();
        want.extend_from_slice(CSV_OVER_LIMIT);
        want.extend_from_slice(b"\n\n\n\n3,ok");
        assert_eq!(csv_guarded(text, 20), want);
        // A last row with no line break, over the cap.
        let mut want = b"id\n".to_vec();
        want.extend_from_slice(CSV_OVER_LIMIT);
        assert_eq!(csv_guarded(b"id\nxxxxxxxxxxxxxxxxxxxxxxxxx", 10), want);
        // A header over the cap ends the file there: it could be endless.
        let endless = io::BufReader::new(io::repeat(0));
        let mut out = Vec::new();
        CsvGuard::new(endless, b',', 1000)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, CSV_OVER_LIMIT);
    }

    #[test]
    fn records_are_built_within_their_budget() {
        let parse = |text: &str, bytes: usize| {
            let mut budget = Budget::new(bytes);
            let mut de = serde_json::Deserializer::from_str(text);
            let value = Bounded(&mut budget).deserialize(&mut de).unwrap();
            (value, budget.over)
        };
        let (value, over) = parse(r#"{"caption": "hi", "n": [1, 2.5, true, null]}"#, 100);
        assert!(!over);
        assert_eq!(
            value,
            serde_json::json!({"caption": "hi", "n": [1, 2.5, true, null]})
        );
        let (value, over) = parse(r#"{"caption": "hi", "tags": ["x", "y", "z"], "b": 1}"#, 20);
        assert!(over);
        assert!(value.is_object());
        let (_, over) = parse(r#"{"caption": "a\u0000adlint: over the size limit"}"#, 1000);
        assert!(over);
    }
}
