//! CSV and TSV exports with a header row: quoted multi-line cells, a byte-order mark, CRLF and
//! other separators (`--delimiter`). A row that cannot be read (broken quoting, invalid UTF-8)
//! is an input error naming its row; the other rows are still checked. A row longer than the
//! record size limit is skipped without being loaded ([`super::guard::CsvGuard`]) and is an
//! input error for that row.

use std::io::{BufRead, BufReader, Read};

use super::guard::{CSV_OVER_LIMIT, CsvGuard};
use super::record::{Columns, build, row_values};
use super::{Event, InputError, Kind, ReadOptions, Sink};
use crate::caption::Place;

pub fn read(
    source: &str,
    reader: impl BufRead,
    kind: Kind,
    options: &ReadOptions,
    sink: &mut Sink<'_>,
) -> bool {
    let delimiter = options
        .delimiter
        .unwrap_or(if kind == Kind::Tsv { b'\t' } else { b',' });
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(CsvGuard::new(
            BufReader::with_capacity(
                1 << 16,
                QuoteCounter {
                    inner: reader,
                    quotes: 0,
                },
            ),
            delimiter,
            options.record_limit(),
        ));
    let mut record = csv::ByteRecord::new();
    // The header: the first record.
    let header = match csv.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h).into_owned();
                if i == 0 {
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
        Err(message) => return sink(Event::Error(InputError::whole(source, message))),
    };
    let mut row = 0usize;
    // The last row is held back until the file ends: a quote that is never closed turns the
    // rest of the file into one cell of the last row, which must be an error, not a caption.
    let mut pending: Option<(Event, bool)> = None;
    loop {
        row += 1;
        let result = csv.read_byte_record(&mut record);
        if let Ok(false) = result {
            return match pending.take() {
                Some((_, true)) if csv.get_ref().get_ref().get_ref().quotes % 2 == 1 => {
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
                pending = row_event(source, row, &record, header.len(), &columns, options)
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

/// Counts the quote characters the CSV reader pulls through it. Well-formed CSV has an even
/// number (each quoted cell opens and closes, and quotes inside are doubled).
struct QuoteCounter<R> {
    inner: R,
    quotes: u64,
}

impl<R: Read> Read for QuoteCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.quotes += buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
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
        c.origin.line = record.position().map(|p| p.line() as usize);
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
