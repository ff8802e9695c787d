//! CSV and TSV exports with a header row: quoted multi-line cells, a byte-order mark, CRLF and
//! other separators (`--delimiter`). A row that cannot be read (broken quoting, invalid UTF-8)
//! is an input error naming its row; the other rows are still checked. A row longer than the
//! record size limit is skipped without being loaded ([`super::guard::CsvGuard`]) and is an
//! input error for that row.

use std::collections::VecDeque;
use std::io::{BufRead, Read};

use super::guard::{CSV_OVER_LIMIT, CsvGuard};
use super::record::{Columns, build, row_values};
use super::{Event, InputError, Kind, ReadOptions, Sink};
use crate::caption::Place;

/// Separators sniffed from the header row, in order of preference on a tie.
const SEPARATORS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many rows above the header may be titles, when the header is found by its names.
const MAX_TITLE_ROWS: usize = 10;

/// How a CSV file is laid out: its separator and the rows above its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub delimiter: u8,
    /// The separator was sniffed (not named with `--delimiter`, not the extension's default).
    pub sniffed: bool,
    /// Records (title rows) above the header.
    pub skip: usize,
}

/// The layout of a CSV file from its first bytes: the separator named with `--delimiter`, or
/// sniffed from the header row (`,` `;` tab or `|`, whichever it has most of outside quotes);
/// the header row named with `--header-row`, or the first of the first rows whose names give a
/// caption column.
pub fn layout(sample: &[u8], kind: Kind, options: &ReadOptions) -> Layout {
    let sample = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
    let default = if kind == Kind::Tsv { b'\t' } else { b',' };
    let (delimiter, sniffed) = match options.delimiter {
        Some(d) => (d, false),
        None => match sniff(sample, options.header_row.unwrap_or(1)) {
            Some(d) => (d, d != default),
            None => (default, false),
        },
    };
    let skip = match options.header_row {
        Some(n) => n.saturating_sub(1),
        None => {
            let mut rows = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .has_headers(false)
                .from_reader(sample);
            let mut record = csv::ByteRecord::new();
            let mut found = 0;
            for i in 0..=MAX_TITLE_ROWS {
                // The last record of the sample may be cut short: it is not looked at.
                if !matches!(rows.read_byte_record(&mut record), Ok(true))
                    || rows.position().byte() as usize >= sample.len()
                {
                    break;
                }
                let names: Vec<String> = record
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect();
                if Columns::resolve(&names, &options.fields, options.fetch).is_ok() {
                    found = i;
                    break;
                }
            }
            found
        }
    };
    Layout {
        delimiter,
        sniffed,
        skip,
    }
}

/// The separator a header line has most of, outside quotes, in the first line with any (from
/// line `from`, 1-based); `None` when no line has one.
fn sniff(sample: &[u8], from: usize) -> Option<u8> {
    let mut counts = [0usize; SEPARATORS.len()];
    let mut line = 1usize;
    let mut quoted = false;
    for &b in sample {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                if line >= from && counts.iter().any(|&c| c > 0) {
                    break;
                }
                counts = [0; SEPARATORS.len()];
                line += 1;
            }
            _ if !quoted && line >= from => {
                if let Some(i) = SEPARATORS.iter().position(|&s| s == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..SEPARATORS.len()).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))?;
    (counts[best] > 0).then_some(SEPARATORS[best])
}

/// How a separator is named in messages.
pub fn separator_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        b' ' => "space".into(),
        other => format!("`{}`", other as char),
    }
}

pub fn read(
    source: &str,
    mut reader: impl BufRead,
    kind: Kind,
    options: &ReadOptions,
    sink: &mut Sink<'_>,
) -> bool {
    let layout = match reader.fill_buf() {
        Ok(sample) => layout(sample, kind, options),
        Err(e) => {
            return sink(Event::Error(InputError::whole(
                source,
                format!("could not read: {}", super::io_reason(&e)),
            )));
        }
    };
    if layout.sniffed
        && !sink(Event::note(
            source,
            format!(
                "columns separated by {} (sniffed from the header row; name another with --delimiter)",
                separator_name(layout.delimiter)
            ),
            true,
        ))
    {
        return false;
    }
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(layout.delimiter)
        .flexible(true)
        .has_headers(false)
        // Rows over the record size limit are skipped before the CSV reader loads them; the
        // tracker sees what the reader pulls, for quotes and the lines records start on.
        .from_reader(Tracker::new(CsvGuard::new(
            reader,
            layout.delimiter,
            options.record_limit(),
        )));
    let mut record = csv::ByteRecord::new();
    // Title rows above the header.
    for _ in 0..layout.skip {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return true,
            Err(e) => {
                return sink(Event::Error(InputError::whole(
                    source,
                    format!("could not read the rows above the header: {e}"),
                )));
            }
        }
    }
    // The header: the first record after them.
    let header = match csv.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h).into_owned();
                if i == 0 && layout.skip == 0 {
                    h.trim_start_matches('\u{feff}').to_string()
                } else {
                    h
                }
            })
            .collect::<Vec<_>>(),
        Ok(false) => return true,
        Err(e) => {
            return sink(Event::Error(InputError::whole(
                source,
                format!("could not read the header row: {e}"),
            )));
        }
    };
    if header.len() == 1 && header[0].as_bytes() == CSV_OVER_LIMIT {
        return sink(Event::Error(InputError::whole(
            source,
            super::over_record_limit("the header row", options) + "; the file was not read further",
        )));
    }
    let columns = match Columns::resolve(&header, &options.fields, options.fetch) {
        Ok(c) => c,
        Err(mut message) => {
            // A header read as one column that holds another separator: the sniffing (or the
            // extension's default) was wrong.
            if header.len() == 1
                && let Some(other) = SEPARATORS
                    .iter()
                    .find(|&&d| d != layout.delimiter && header[0].contains(d as char))
            {
                message.push_str(&format!(
                    ". The header has one column with {} in it: name the separator with \
                     --delimiter '{}'",
                    separator_name(*other),
                    if *other == b'\t' {
                        "\\t".to_string()
                    } else {
                        (*other as char).to_string()
                    }
                ));
            } else if options.delimiter.is_none() {
                message.push_str(
                    ". If the columns are split wrongly, name the separator with --delimiter; \
                     if the names are below title rows, name their row with --header-row",
                );
            }
            return sink(Event::Error(InputError::whole(source, message)));
        }
    };
    if layout.skip > 0
        && options.header_row.is_none()
        && !sink(Event::note(
            source,
            format!(
                "the column names are on row {}: skipped {} above it (name the row with --header-row)",
                layout.skip + 1,
                crate::report::plural(layout.skip, "title row")
            ),
            false,
        ))
    {
        return false;
    }
    let mut row = 0usize;
    // The last row is held back until the file ends: a quote that is never closed turns the
    // rest of the file into one cell of the last row, which must be an error, not a caption.
    let mut pending: Option<(Event, bool)> = None;
    loop {
        row += 1;
        let result = csv.read_byte_record(&mut record);
        if let Ok(false) = result {
            return match pending.take() {
                Some((_, true)) if csv.get_ref().quotes % 2 == 1 => {
                    sink(Event::Error(unclosed_quote(source, row - 1)))
                }
                Some((event, _)) => sink(event),
                None => true,
            };
        }
        if let Some((event, _)) = pending.take()
            && !sink(event)
        {
            return false;
        }
        match result {
            Ok(_) => {
                // A row over the size limit may be the rest of the file after an unclosed quote.
                let multiline = record.iter().any(|cell| {
                    cell.contains(&b'\n') || cell.contains(&b'\r') || cell == CSV_OVER_LIMIT
                });
                let line = record.position().map(|p| csv.get_mut().line_at(p.byte()));
                pending = row_event(source, row, line, &record, header.len(), &columns, options)
                    .map(|event| (event, multiline));
            }
            Err(e) => {
                let error = InputError {
                    source: source.to_string(),
                    record: Some(row.to_string()),
                    place: Some(Place::Row(row)),
                    message: format!("could not read this row: {}", reason(&e)),
                };
                // The reader resynchronises at the next record; an I/O error ends the file.
                if !sink(Event::Error(error)) {
                    return false;
                }
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return true;
                }
            }
        }
    }
}

fn unclosed_quote(source: &str, row: usize) -> InputError {
    InputError {
        source: source.to_string(),
        record: Some(row.to_string()),
        place: Some(Place::Row(row)),
        message: "a quote in this row is never closed, so the rest of the file was read as one \
                  cell: any rows after it were not checked; close the quote and check again"
            .into(),
    }
}

/// Watches the bytes the CSV reader pulls through it: counts quote characters (well-formed CSV
/// has an even number: each quoted cell opens and closes, and quotes inside are doubled), and
/// keeps the offsets of line breaks not yet passed, so that each record's first line in the
/// file is known whatever its line ends (LF, CRLF, CR) and however many lines its cells span.
struct Tracker<R> {
    inner: R,
    quotes: u64,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of `\r` and `\n` bytes at or after the last record's start, with the byte.
    breaks: VecDeque<(u64, u8)>,
    /// Lines ended before those breaks.
    lines: usize,
}

impl<R> Tracker<R> {
    fn new(inner: R) -> Self {
        Tracker {
            inner,
            quotes: 0,
            offset: 0,
            breaks: VecDeque::new(),
            lines: 0,
        }
    }

    /// The 1-based line of the record that the CSV reader says starts at `start`. The reader
    /// may place a record's start on the line break that ended the record before (the `\n` of
    /// a CRLF, or blank lines): those bytes are passed over.
    fn line_at(&mut self, start: u64) -> usize {
        let mut start = start;
        for &(at, _) in &self.breaks {
            if at == start {
                start += 1;
            } else if at > start {
                break;
            }
        }
        // A `\n` ends a line, and so does a `\r` not followed by one (old Mac line ends).
        while let Some(&(at, byte)) = self.breaks.front() {
            if at >= start {
                break;
            }
            self.breaks.pop_front();
            let ends_line = byte == b'\n'
                || !matches!(self.breaks.front(), Some(&(next, b'\n')) if next == at + 1);
            if ends_line {
                self.lines += 1;
            }
        }
        self.lines + 1
    }
}

impl<R: Read> Read for Tracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            match b {
                b'"' => self.quotes += 1,
                b'\r' | b'\n' => self.breaks.push_back((self.offset + i as u64, b)),
                _ => {}
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

fn reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => super::io_reason(io),
        _ => e.to_string(),
    }
}

fn row_event(
    source: &str,
    row: usize,
    line: Option<usize>,
    record: &csv::ByteRecord,
    width: usize,
    columns: &Columns,
    options: &ReadOptions,
) -> Option<Event> {
    if record
        .iter()
        .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
    {
        return None;
    }
    if record.len() == 1 && &record[0] == CSV_OVER_LIMIT {
        return Some(Event::Error(InputError {
            source: source.to_string(),
            record: Some(row.to_string()),
            place: Some(Place::Row(row)),
            message: super::over_record_limit("the row", options),
        }));
    }
    // More cells than the header means the row was split wrongly: an unquoted separator in a
    // cell, or a broken quote that ran into the next row. Empty extra cells (a trailing
    // separator) are harmless.
    if record
        .iter()
        .skip(width)
        .any(|cell| !cell.iter().all(u8::is_ascii_whitespace))
    {
        return Some(Event::Error(InputError {
            source: source.to_string(),
            record: Some(row.to_string()),
            place: Some(Place::Row(row)),
            message: format!(
                "this row has {} cells but the header has {width}: a separator inside an \
                 unquoted cell, or a quote that is not closed (the rows after it may have been \
                 read into it)",
                record.len()
            ),
        }));
    }
    let mut cells: Vec<&str> = Vec::with_capacity(record.len());
    for (i, cell) in record.iter().enumerate() {
        match std::str::from_utf8(cell) {
            Ok(s) => cells.push(s),
            Err(e) => {
                return Some(Event::Error(InputError {
                    source: source.to_string(),
                    record: Some(row.to_string()),
                    place: Some(Place::Row(row)),
                    message: format!(
                        "not UTF-8 in column {}: invalid byte at offset {}",
                        i + 1,
                        e.valid_up_to()
                    ),
                }));
            }
        }
    }
    let values = row_values(columns, &cells);
    let built = build(source, Place::Row(row), row.to_string(), values, options);
    Some(Event::record(built.map(|mut c| {
        c.origin.line = line;
        c
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_csv(text: &[u8], options: &ReadOptions) -> Vec<Event> {
        let mut out = Vec::new();
        read("c.csv", text, Kind::Csv, options, &mut |e| {
            out.push(e);
            true
        });
        out
    }

    #[test]
    fn quoted_multiline_cells_bom_and_crlf() {
        let text = b"\xEF\xBB\xBFid,Caption,platform\r\np-1,\"line one\r\n#ad line two, with comma\",tiktok\r\np-2,plain,\r\n";
        let events = read_csv(text, &ReadOptions::default());
        let Event::Caption(c) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(c.text, "line one\r\n#ad line two, with comma");
        assert_eq!(c.origin.display(), "c.csv:row 1 (post p-1)");
        assert_eq!(c.platform.as_deref(), Some("tiktok"));
        let Event::Caption(c) = &events[1] else {
            panic!()
        };
        assert_eq!(c.platform, None);
    }

    #[test]
    fn a_bad_row_is_an_error_and_the_rest_are_read() {
        let text = b"id;text\n1;ok\n2;bad \xFF byte\n3;fine\n";
        let options = ReadOptions {
            delimiter: Some(b';'),
            ..ReadOptions::default()
        };
        let events = read_csv(text, &options);
        assert!(matches!(&events[0], Event::Caption(c) if c.text == "ok"));
        assert!(matches!(&events[1], Event::Error(e) if e.place == Some(Place::Row(2))));
        assert!(matches!(&events[2], Event::Caption(c) if c.text == "fine"));
    }

    #[test]
    fn a_row_split_wrongly_is_an_error() {
        let text =
            b"id,caption\n1,ok,\n2,\"broken quote\n3,\"next, row\"\n4,unquoted, comma\n5,fine\n";
        let events = read_csv(text, &ReadOptions::default());
        assert!(matches!(&events[0], Event::Caption(c) if c.text == "ok"));
        assert!(
            matches!(&events[1], Event::Error(e) if e.place == Some(Place::Row(2)) && e.message.contains("has 3 cells but the header has 2")),
            "{events:?}"
        );
        assert!(matches!(&events[2], Event::Error(e) if e.place == Some(Place::Row(3))));
        assert!(matches!(&events[3], Event::Caption(c) if c.text == "fine"));
    }

    #[test]
    fn a_missing_caption_column_is_one_error() {
        let events = read_csv(b"id,words\n1,a\n2,b\n", &ReadOptions::default());
        assert_eq!(events.len(), 1);
        let Event::Error(e) = &events[0] else {
            panic!()
        };
        assert!(
            e.message.contains("the columns are: id, words"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_quote_never_closed_is_an_error_not_a_swallowed_file() {
        let text = b"id,caption\n1,ok\n2,\"starts a quote\n3,#ad next row\n4,another\n";
        let events = read_csv(text, &ReadOptions::default());
        assert_eq!(events.len(), 2, "{events:?}");
        assert!(matches!(&events[0], Event::Caption(c) if c.text == "ok"));
        assert!(
            matches!(&events[1], Event::Error(e) if e.place == Some(Place::Row(2)) && e.message.contains("never closed")),
            "{events:?}"
        );
        // A closed multi-line cell in the last row is fine.
        let text = b"id,caption\n1,\"two\nlines \"\"quoted\"\"\"\n";
        let events = read_csv(text, &ReadOptions::default());
        assert!(
            matches!(&events[0], Event::Caption(c) if c.text == "two\nlines \"quoted\""),
            "{events:?}"
        );
    }
}
