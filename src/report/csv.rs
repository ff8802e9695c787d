//! `--format csv`: one row per finding, for spreadsheets. A clean caption has no row; an input
//! that could not be read has a row with the `error` severity and code `input`.
//!
//! The file is made to be opened in Excel: a cell that starts with `=`, `+`, `-`, `@`, a tab or
//! a carriage return would be run as a formula (`=HYPERLINK(...)` in a creator's name), so it
//! is written with a `'` in front (OWASP's advice on CSV injection); Excel shows the text.

use std::io::{self, Write};

use super::{Checked, Render, Reporter, Summary};
use crate::failure::InputError;

pub const HEADER: [&str; 16] = [
    "source",
    "record",
    "creator",
    "platform",
    "code",
    "name",
    "severity",
    "message",
    "matched",
    "line",
    "column",
    "help",
    "fix",
    "caption",
    "post_url",
    "file_line",
];

/// A cell as a spreadsheet will not run it: text that starts like a formula gets a `'` in front.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Writes CSV rows as results arrive.
pub struct CsvReporter {
    header_written: bool,
}

impl CsvReporter {
    pub fn new() -> Self {
        CsvReporter {
            header_written: false,
        }
    }

    fn write_row(&mut self, out: &mut dyn Write, row: &[&str]) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(256);
        push_row(&mut bytes, row)?;
        self.rendered(out, &bytes, &[])
    }

    fn write_header(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.header_written = true;
        let mut bytes = Vec::new();
        push_row(&mut bytes, &HEADER)?;
        out.write_all(&bytes)
    }
}

/// Append one CSV row, its cells neutralised.
fn push_row(buf: &mut Vec<u8>, row: &[&str]) -> io::Result<()> {
    let cells: Vec<std::borrow::Cow<'_, str>> = row.iter().map(|cell| neutralise(cell)).collect();
    let mut w = csv::WriterBuilder::new().from_writer(buf);
    w.write_record(cells.iter().map(|cell| cell.as_bytes()))?;
    w.flush()
}

/// A result's rows, one per finding, on the checking threads.
struct CsvRender;

impl Render for CsvRender {
    fn result(&self, buf: &mut Vec<u8>, checked: &Checked<'_>) -> io::Result<()> {
        let c = checked.caption;
        let file_line = c.origin.line.map(|l| l.to_string()).unwrap_or_default();
        let url = c
            .url
            .as_deref()
            .or(c.fetched.as_ref().map(|f| f.url.as_str()))
            .unwrap_or("");
        for d in checked.diagnostics {
            let (line, column) = crate::text::line_col(&c.text, d.span.start);
            let (line, column) = (line.to_string(), column.to_string());
            // The caption as this finding's fix would leave it.
            let fixed = d
                .fix
                .as_ref()
                .map(|f| crate::fix::apply(&c.text, f.edits.clone()))
                .unwrap_or_default();
            let row = [
                c.origin.source.as_str(),
                c.origin.record.as_deref().unwrap_or(""),
                c.creator.as_deref().unwrap_or(""),
                checked.platform,
                &d.code,
                &d.name,
                d.severity.as_str(),
                &d.message,
                &c.text[d.span.clone()],
                &line,
                &column,
                &d.help,
                &fixed,
                &c.text,
                url,
                &file_line,
            ];
            push_row(buf, &row)?;
        }
        Ok(())
    }
}

impl Default for CsvReporter {
    fn default() -> Self {
        Self::new()
    }
}

impl Reporter for CsvReporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        let mut bytes = Vec::new();
        CsvRender.result(&mut bytes, checked)?;
        self.rendered(out, &bytes, checked.packs)
    }

    fn renderer(&self) -> Option<Box<dyn Render>> {
        Some(Box::new(CsvRender))
    }

    fn rendered(&mut self, out: &mut dyn Write, bytes: &[u8], _packs: &[usize]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        if !self.header_written {
            self.write_header(out)?;
        }
        out.write_all(bytes)
    }

    fn input_error(&mut self, out: &mut dyn Write, e: &InputError) -> io::Result<()> {
        let file_line = match e.place {
            Some(crate::caption::Place::Line(n)) => n.to_string(),
            _ => String::new(),
        };
        let message = match &e.place {
            Some(place) => format!("{place}: {}", e.message),
            None => e.message.clone(),
        };
        let row = [
            e.source.as_str(),
            e.record.as_deref().unwrap_or(""),
            "",
            "",
            "input",
            "input-error",
            "error",
            &message,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            &file_line,
        ];
        self.write_row(out, &row)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        if !self.header_written {
            self.write_header(out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"http://x\",\"hi\")",
                "'=HYPERLINK(\"http://x\",\"hi\")",
            ),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@mia", "'@mia"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("#ad", "#ad"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), want);
        }
    }
}
