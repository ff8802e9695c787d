//! The JSON form of a finding: the contract `--format json`/`jsonl`, the HTTP API, the Python
//! package and the browser build all share. Keys and meanings are stable; new keys may be added.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::text::line_col;

/// The JSON form of one finding. Fields are in alphabetical order, the order `serde_json`
/// writes an object's keys in, so typed and `Value` output are the same bytes.
#[derive(Serialize)]
pub struct DiagnosticJson<'a> {
    code: &'a str,
    /// The finding's column on its line, in characters from 1.
    column: usize,
    fix: &'a Option<Fix>,
    help: &'a str,
    /// The finding's line in the caption, from 1.
    line: usize,
    message: &'a str,
    name: &'a str,
    severity: Severity,
    /// Byte offsets into the caption.
    span: SpanJson,
    url: &'a str,
}

#[derive(Serialize)]
struct SpanJson {
    end: usize,
    start: usize,
}

impl<'a> DiagnosticJson<'a> {
    /// `d`, found in the caption `text`.
    pub fn new(text: &str, d: &'a Diagnostic) -> Self {
        let (line, column) = line_col(text, d.span.start);
        DiagnosticJson {
            code: &d.code,
            column,
            fix: &d.fix,
            help: &d.help,
            line,
            message: &d.message,
            name: &d.name,
            severity: d.severity,
            span: SpanJson {
                end: d.span.end,
                start: d.span.start,
            },
            url: &d.url,
        }
    }
}
