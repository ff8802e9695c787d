//! `--format json` (one document) and `--format jsonl` (one result per line): documented
//! contracts that other tools parse. Keys and meanings are stable; new keys may be added.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use super::{Checked, PacksUsed, Reporter, Summary};
use crate::input::InputError;

pub use crate::contract::DiagnosticJson;

/// The JSON form of one checked caption (fields in alphabetical order, as above).
#[derive(Serialize)]
pub struct ResultJson<'a> {
    /// Findings the baseline absorbed (not in `diagnostics`), when there were some.
    #[serde(skip_serializing_if = "is_zero")]
    baselined: usize,
    diagnostics: Vec<DiagnosticJson<'a>>,
    /// The line of the file where the record starts, when known (JSONL, CSV, TSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    file_line: Option<usize>,
    platform: &'a str,
    record: &'a Option<String>,
    source: &'a str,
    /// The exact bytes of a file name that is not UTF-8 (base64); `source` shows them as `\xNN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    source_bytes: Option<String>,
}

impl<'a> ResultJson<'a> {
    pub fn new(checked: &'a Checked<'_>) -> Self {
        let text = &checked.caption.text;
        ResultJson {
            baselined: checked.baselined,
            diagnostics: checked
                .diagnostics
                .iter()
                .map(|d| DiagnosticJson::new(text, d))
                .collect(),
            file_line: checked.caption.origin.line,
            platform: checked.platform,
            record: &checked.caption.origin.record,
            source: &checked.caption.origin.source,
            source_bytes: crate::paths::raw(&checked.caption.origin.source)
                .map(|b| crate::paths::base64(&b)),
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The JSON form of one checked caption, as a value.
pub fn result_json(checked: &Checked<'_>) -> Value {
    serde_json::to_value(ResultJson::new(checked)).unwrap_or(Value::Null)
}

fn error_json(e: &InputError, key: &str) -> Value {
    let mut v = json!({"source": e.source, "record": e.record});
    if let Some(bytes) = crate::paths::raw(&e.source) {
        v["source_bytes"] = Value::String(crate::paths::base64(&bytes));
    }
    v[key] = Value::String(match &e.place {
        Some(place) => format!("{place}: {}", e.message),
        None => e.message.clone(),
    });
    v
}

/// Collects everything and prints one document at the end.
pub struct JsonReporter {
    results: Vec<Value>,
    errors: Vec<Value>,
    packs: PacksUsed,
}

impl JsonReporter {
    pub fn new(rules: &crate::rules::RuleSet) -> Self {
        JsonReporter {
            results: Vec::new(),
            errors: Vec::new(),
            packs: PacksUsed::new(rules),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    results: &'a [Value],
    errors: &'a [Value],
    summary: &'a Summary,
    /// The packs that ran, with their versions: `{name, version, sources_read, jurisdiction}`.
    packs: Vec<Value>,
}

impl Reporter for JsonReporter {
    fn result(&mut self, _out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        self.results.push(result_json(checked));
        self.packs.add(checked.packs);
        Ok(())
    }

    fn input_error(&mut self, _out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        self.errors.push(error_json(error, "message"));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let doc = Document {
            version: 1,
            results: &self.results,
            errors: &self.errors,
            summary,
            packs: self.packs.json(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

/// One line per result or input error, written as soon as it is ready. A result's line is
/// serialized into a reused buffer and written at once: one write per record instead of one per
/// JSON token through `dyn Write`.
#[derive(Default)]
pub struct JsonlReporter {
    line: Vec<u8>,
}

impl Reporter for JsonlReporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, &ResultJson::new(checked))?;
        self.line.push(b'\n');
        out.write_all(&self.line)
    }

    fn input_error(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &error_json(error, "error"))?;
        writeln!(out)
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
