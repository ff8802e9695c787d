//! JSONL exports: one JSON object per line. Fields are found by the common names or named with
//! `--caption-field` and friends (see [`super::record`]).

use std::io::{self, BufRead};

use serde_json::Value;

use super::flat;
use super::record::{Resolver, from_flat_record, from_json_record};
use super::{Event, InputError, ReadOptions, Sink, io_reason};
use crate::caption::Place;

/// Read records line by line, handing each to `sink` as soon as it is parsed. Blank lines are
/// skipped; a line that is not a JSON object, not UTF-8 or has no caption is an input error for
/// that record only. The record id is the id field or the line number.
pub fn read(
    source: &str,
    mut reader: impl BufRead,
    options: &ReadOptions,
    sink: &mut Sink<'_>,
) -> bool {
    let mut buf = Vec::new();
    let mut line = 0usize;
    let limit = options.record_limit();
    let mut resolver = Resolver::default();
    let mut deferred = options.defer_lines.then(|| Lines::new(source));
    // Lines waiting in `deferred` go on before anything else is said about the file.
    let hand_on = |deferred: &mut Option<Lines>, sink: &mut Sink<'_>, full: bool| match deferred {
        Some(lines) if !lines.is_empty() && (full || lines.is_full()) => {
            let next = lines.next_chunk();
            sink(Event::Lines(std::mem::replace(lines, next)))
        }
        _ => true,
    };
    loop {
        buf.clear();
        line += 1;
        let read = read_line_capped(&mut reader, &mut buf, limit);
        if !matches!(read, Ok(Line::Read)) && !hand_on(&mut deferred, sink, true) {
            return false;
        }
        match read {
            Ok(Line::End) => return true,
            Ok(Line::Read) => {}
            Ok(Line::TooLong(len)) => {
                let event = Event::Error(InputError {
                    source: source.to_string(),
                    record: Some(line.to_string()),
                    place: Some(Place::Line(line)),
                    message: format!(
                        "the record is {}, far over the caption size limit: not read",
                        super::human_size(len)
                    ),
                });
                if !sink(event) {
                    return false;
                }
                continue;
            }
            Err(e) => {
                let mut err =
                    InputError::whole(source, format!("could not read: {}", io_reason(&e)));
                err.place = Some(Place::Line(line));
                sink(Event::Error(err));
                return true;
            }
        }
        let bytes = if line == 1 {
            buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf)
        } else {
            &buf[..]
        };
        if let Some(lines) = &mut deferred {
            lines.push(line, bytes);
            if !hand_on(&mut deferred, sink, false) {
                return false;
            }
            continue;
        }
        if let Some(event) = parse_line(source, line, bytes, options, &mut resolver)
            && !sink(event)
        {
            return false;
        }
        for note in resolver.take_notes() {
            if !sink(Event::note(source, note, false)) {
                return false;
            }
        }
    }
}

/// Lines handed on at once by a deferred read: enough to be worth a worker's while, few
/// enough to keep memory small.
const LINES: usize = 128;
/// Bytes handed on at once by a deferred read (long lines make smaller chunks).
const LINE_BYTES: usize = 256 << 10;

/// Reads of JSONL files, numbered so that the notes of one read are said once.
static READS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Consecutive lines of a JSONL file, not parsed yet: the reading thread only finds the line
/// ends, and the workers parse.
#[derive(Debug)]
pub struct Lines {
    source: std::sync::Arc<str>,
    /// Which read of a file the lines come from: notes are said once per read.
    read: u64,
    /// The number of the first line.
    first: usize,
    /// The lines' bytes, one after another, and where each ends.
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Lines {
    fn new(source: &str) -> Self {
        Lines {
            source: source.into(),
            read: READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            first: 1,
            bytes: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// An empty chunk for the lines after these.
    fn next_chunk(&self) -> Self {
        Lines {
            source: self.source.clone(),
            read: self.read,
            first: self.first + self.ends.len(),
            bytes: Vec::with_capacity(self.bytes.len()),
            ends: Vec::with_capacity(LINES),
        }
    }

    fn push(&mut self, line: usize, bytes: &[u8]) {
        if self.ends.is_empty() {
            self.first = line;
        }
        debug_assert_eq!(line, self.first + self.ends.len());
        self.bytes.extend_from_slice(bytes);
        self.ends.push(self.bytes.len());
    }

    fn is_full(&self) -> bool {
        self.ends.len() >= LINES || self.bytes.len() >= LINE_BYTES
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// How many lines.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Which read of a file the lines come from: a note about the file's shape is said once
    /// per read (each chunk is parsed afresh and finds it again).
    pub fn read_id(&self) -> u64 {
        self.read
    }

    /// The place of the first line.
    pub fn place(&self) -> Option<Place> {
        (!self.is_empty()).then_some(Place::Line(self.first))
    }

    /// The events reading these lines gives, in order: a caption, a post to fetch or an input
    /// error per record, and notes about the records' shape after the record that showed it.
    pub fn parse(&self, options: &ReadOptions) -> Vec<Event> {
        let mut resolver = Resolver::default();
        let mut events = Vec::with_capacity(self.ends.len());
        let mut start = 0;
        for (i, &end) in self.ends.iter().enumerate() {
            let bytes = &self.bytes[start..end];
            start = end;
            if let Some(event) =
                parse_line(&self.source, self.first + i, bytes, options, &mut resolver)
            {
                events.push(event);
            }
            for note in resolver.take_notes() {
                events.push(Event::note(&self.source, note, false));
            }
        }
        events
    }
}

enum Line {
    End,
    Read,
    /// The line was longer than the limit and skipped; its length in bytes.
    TooLong(usize),
}

/// Read one line into `buf`, keeping at most `limit` bytes: a longer line is passed over to its
/// end without being held in memory.
fn read_line_capped(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Line> {
    let mut total = 0usize;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(match total {
                0 => Line::End,
                n if n > limit => Line::TooLong(n),
                _ => Line::Read,
            });
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let n = chunk.len();
        total += n;
        if total <= limit {
            buf.extend_from_slice(chunk);
        } else {
            buf.clear();
        }
        reader.consume(n);
        if done {
            return Ok(if total > limit {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
    }
}

fn parse_line(
    source: &str,
    line: usize,
    bytes: &[u8],
    options: &ReadOptions,
    resolver: &mut Resolver,
) -> Option<Event> {
    // A record whose id cannot be read is named by its line, as results without an id are.
    let error = |message: String| {
        Event::Error(InputError {
            source: source.to_string(),
            record: Some(line.to_string()),
            place: Some(Place::Line(line)),
            message,
        })
    };
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Some(error(format!(
                "not UTF-8: invalid byte at column {}",
                e.valid_up_to() + 1
            )));
        }
    };
    if text.trim().is_empty() {
        return None;
    }
    // Records of an export share their shape: once the first is read, the rest are read
    // without a `Value` while they stay flat.
    if !resolver.nested {
        match flat::parse(text) {
            flat::Line::Flat(flat) => {
                if let Some(read) = from_flat_record(source, line, &flat, options, resolver) {
                    return Some(Event::record(read));
                }
            }
            flat::Line::Nested => resolver.nested = true,
            flat::Line::Other => {}
        }
    }
    let parsed = serde_json::from_str(text).or_else(|e| {
        // A lone surrogate escape (a caption cut mid-emoji) becomes U+FFFD, as in JSON exports.
        if e.classify() != serde_json::error::Category::Syntax || !text.contains("\\u") {
            return Err(e);
        }
        serde_json::from_reader(super::guard::JsonGuard::new(text.as_bytes(), usize::MAX))
            .map_err(|_| e)
    });
    let value: Value = match parsed {
        Ok(v) => v,
        Err(e) => {
            // Columns are 1-based; serde_json reports 0 for an error before the first character.
            let column = e.column().max(1);
            let reason = e.to_string();
            let reason = reason.split(" at line ").next().unwrap_or(&reason);
            return Some(error(format!("invalid JSON at column {column}: {reason}")));
        }
    };
    let Value::Object(obj) = value else {
        return Some(error("expected a JSON object with a caption field".into()));
    };
    Some(Event::record(from_json_record(
        source,
        Place::Line(line),
        line.to_string(),
        &obj,
        options,
        resolver,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<Event> {
        let mut out = Vec::new();
        read(
            "x.jsonl",
            text.as_bytes(),
            &ReadOptions::default(),
            &mut |e| {
                out.push(e);
                true
            },
        );
        out
    }

    #[test]
    fn records_carry_their_context() {
        let events = read_all(
            "{\"id\": 7, \"caption\": \"#ad hi\", \"platform\": \"tiktok\", \"sponsored\": \"yes\", \"brand\": \"GlowLab\", \"handle\": \"@mia\"}\n\n{\"text\": \"x\"}\n",
        );
        let Event::Caption(first) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(first.origin.record.as_deref(), Some("7"));
        assert_eq!(first.platform.as_deref(), Some("tiktok"));
        assert_eq!(first.sponsored, Some(true));
        assert_eq!(first.brands, vec!["GlowLab"]);
        assert_eq!(first.creator.as_deref(), Some("@mia"));
        let Event::Caption(third) = &events[1] else {
            panic!("{events:?}")
        };
        assert_eq!(third.origin.record.as_deref(), Some("3"));
        assert_eq!(events.len(), 2);
    }

    #[test]
    fn flat_records_read_as_the_general_way_reads_them() {
        let lines = [
            r##"{"id": "p1", "caption": "#ad first", "platform": "tiktok", "sponsored": true}"##,
            r##"{"sponsored": "yes", "platform": "TikTok", "caption": "café \ud83c\udf1f\n#ad", "id": 7}"##,
            r##"{"id": 2.5, "caption": "x", "platform": "nowhere", "sponsored": 1}"##,
            r##"{"id": "", "caption": "  ", "platform": null, "sponsored": null}"##,
            r##"{"id": "p5", "caption": "y", "platform": "x", "sponsored": "maybe"}"##,
            r##"{"id": "p6", "caption": 5, "platform": "x", "sponsored": false}"##,
            r##"{"id": "p7", "caption": "a", "caption": "b", "sponsored": false}"##,
            r##"{"id": "p8", "caption": "z", "brand": "A; B|C", "market": "uk", "creator": 12}"##,
            r##"{"id": "p9", "caption": "z", "brand": "A; B|C", "market": "uk", "creator": 12}"##,
            r##"{"id": "p10", "caption": "z", "brand": "A", "market": "mars", "creator": "@c"}"##,
            r##"{"id": "p11", "caption": "z", "brand": "A", "market": "us", "sponsored": 2}"##,
        ];
        let options = ReadOptions::default();
        let general = |n: usize, text: &str| -> String {
            let obj: serde_json::Map<String, Value> = serde_json::from_str(text).unwrap();
            let read = from_json_record(
                "x.jsonl",
                Place::Line(n),
                n.to_string(),
                &obj,
                &options,
                &mut Resolver::default(),
            );
            format!("{:?}", Event::record(read))
        };
        let events = read_all(&lines.join("\n"));
        assert_eq!(events.len(), lines.len());
        for (i, (event, line)) in events.iter().zip(lines).enumerate() {
            assert_eq!(format!("{event:?}"), general(i + 1, line), "line {}", i + 1);
        }
    }

    #[test]
    fn bad_records_do_not_stop_the_rest() {
        let events = read_all(
            "{\"caption\": \"a\"}\n{broken\n{\"id\": \"p2\", \"words\": 1}\n{\"caption\": \"b\"}\n",
        );
        assert!(matches!(events[0], Event::Caption(_)));
        let Event::Error(e) = &events[1] else {
            panic!()
        };
        assert_eq!(e.place, Some(Place::Line(2)));
        assert!(!e.message.contains("column 0"), "{}", e.message);
        let Event::Error(e) = &events[2] else {
            panic!()
        };
        assert_eq!(e.record.as_deref(), Some("p2"));
        assert!(e.message.contains("found: id, words"), "{}", e.message);
        assert!(matches!(events[3], Event::Caption(_)));
    }

    #[test]
    fn an_overlong_line_is_skipped_without_losing_the_next() {
        let options = ReadOptions {
            max_caption: Some(10),
            ..ReadOptions::default()
        };
        let long = format!("{{\"caption\": \"{}\"}}\n", "x".repeat(200_000));
        let text = format!("{{\"caption\": \"a\"}}\n{long}{{\"caption\": \"b\"}}");
        // A small buffer makes the long line arrive in many pieces.
        let reader = io::BufReader::with_capacity(64, text.as_bytes());
        let mut events = Vec::new();
        read("x.jsonl", reader, &options, &mut |e| {
            events.push(e);
            true
        });
        assert_eq!(events.len(), 3, "{events:?}");
        let Event::Error(e) = &events[1] else {
            panic!("{events:?}")
        };
        assert_eq!(e.place, Some(Place::Line(2)));
        assert!(e.message.contains("200 KB"), "{}", e.message);
        let Event::Caption(c) = &events[2] else {
            panic!("{events:?}")
        };
        assert_eq!(c.text, "b");
    }
}
