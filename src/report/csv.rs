//! `--format csv`: one row per finding, for spreadsheets. A clean caption has no row; an input
//! that could not be read has a row with the `error` severity and code `input`.

use std::io::{self, Write};

use super::{Checked, Reporter, Summary};
use crate::input::InputError;

pub const HEADER: [&str; 11] = [
    "source", "record", "creator", "platform", "code", "name", "severity", "message", "matched",
    "line", "column",
];

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
        let mut w = csv::WriterBuilder::new().from_writer(Vec::with_capacity(256));
        if !self.header_written {
            w.write_record(HEADER)?;
            self.header_written = true;
        }
        w.write_record(row)?;
        let bytes = w
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        out.write_all(&bytes)
    }
}

impl Default for CsvReporter {
    fn default() -> Self {
        Self::new()
    }
}

impl Reporter for CsvReporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        let c = checked.caption;
        for d in checked.diagnostics {
            let (line, column) = crate::text::line_col(&c.text, d.span.start);
            let (line, column) = (line.to_string(), column.to_string());
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
            ];
            self.write_row(out, &row)?;
        }
        Ok(())
    }

    fn input_error(&mut self, out: &mut dyn Write, e: &InputError) -> io::Result<()> {
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
        ];
        self.write_row(out, &row)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADER)?;
            out.write_all(
                &w.into_inner()
                    .map_err(|e| io::Error::other(e.to_string()))?,
            )?;
        }
        Ok(())
    }
}
