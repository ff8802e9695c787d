//! `--format json` (one document) and `--format jsonl` (one result per line): documented
//! contracts that other tools parse. Keys and meanings are stable; new keys may be added.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use super::spool::{ArrayWriter, Skeleton, Spool, placeholder, pretty_at};
use super::{Checked, PacksUsed, Render, Reporter, Summary};
use crate::failure::InputError;

use crate::contract;
pub use crate::contract::DiagnosticJson;

/// The JSON form of one checked caption: the core's, with what only a run knows (the findings
/// a baseline absorbed, a file name's exact bytes).
pub fn result<'a>(checked: &'a Checked<'_>) -> contract::ResultJson<'a> {
    contract::ResultJson::new(checked.caption, checked.platform, checked.diagnostics)
        .baselined(checked.baselined)
        .source_bytes(
            crate::paths::raw(&checked.caption.origin.source).map(|b| crate::paths::base64(&b)),
        )
}

/// The JSON form of one checked caption, as a value.
pub fn result_json(checked: &Checked<'_>) -> Value {
    serde_json::to_value(result(checked)).unwrap_or(Value::Null)
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

/// Writes one document: each result as it comes (the document's start does not depend on the
/// run), input errors kept in a [`Spool`] until the results are closed, and the summary and the
/// packs used at the end. Memory stays constant whatever the number of results.
pub struct JsonReporter {
    skeleton: Skeleton,
    results: ArrayWriter,
    errors: ArrayWriter,
    error_spool: Spool,
    packs: PacksUsed,
    buf: Vec<u8>,
}

impl JsonReporter {
    pub fn new(rules: &crate::rules::RuleSet) -> Self {
        let summary = Summary::default();
        // Rendering the skeleton of a small document cannot fail.
        let skeleton = Skeleton::new(&Document {
            version: 1,
            results: placeholder(0),
            errors: placeholder(1),
            summary: &summary,
            packs: Vec::new(),
        })
        .unwrap_or_else(|_| unreachable!("the document skeleton renders"));
        JsonReporter {
            results: ArrayWriter::new(skeleton.depth(0)),
            errors: ArrayWriter::new(skeleton.depth(1)),
            skeleton,
            error_spool: Spool::new(),
            packs: PacksUsed::new(rules),
            buf: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    results: String,
    errors: String,
    summary: &'a Summary,
    /// The packs that ran, with their versions: `{name, version, sources_read, jurisdiction}`.
    packs: Vec<Value>,
}

/// A result as it sits in the document, on the checking threads.
struct JsonRender {
    depth: usize,
}

impl Render for JsonRender {
    fn result(&self, buf: &mut Vec<u8>, checked: &Checked<'_>) -> io::Result<()> {
        pretty_at(&result(checked), self.depth, buf)
    }
}

impl Reporter for JsonReporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let rendered = JsonRender {
            depth: self.skeleton.depth(0),
        }
        .result(&mut buf, checked)
        .and_then(|()| self.rendered(out, &buf, checked.packs));
        self.buf = buf;
        rendered
    }

    fn renderer(&self) -> Option<Box<dyn Render>> {
        Some(Box::new(JsonRender {
            depth: self.skeleton.depth(0),
        }))
    }

    fn rendered(&mut self, out: &mut dyn Write, bytes: &[u8], packs: &[usize]) -> io::Result<()> {
        if self.results.count() == 0 {
            out.write_all(self.skeleton.piece(0))?;
        }
        out.write_all(&self.results.separator())?;
        self.packs.add(packs);
        out.write_all(bytes)
    }

    fn input_error(&mut self, _out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        self.buf.clear();
        self.buf.extend(self.errors.separator());
        pretty_at(
            &error_json(error, "message"),
            self.skeleton.depth(1),
            &mut self.buf,
        )?;
        self.error_spool.write(&self.buf)
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if self.results.count() == 0 {
            out.write_all(self.skeleton.piece(0))?;
        }
        out.write_all(&self.results.close())?;
        // The rest of the document, with the real summary and packs.
        let tail = Skeleton::new(&Document {
            version: 1,
            results: placeholder(0),
            errors: placeholder(1),
            summary,
            packs: self.packs.json(),
        })?;
        out.write_all(tail.piece(1))?;
        let spooled = self.error_spool.len();
        self.error_spool.copy_range(0..spooled, out)?;
        out.write_all(&self.errors.close())?;
        out.write_all(tail.piece(2))?;
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

/// A result's line, on the checking threads.
struct JsonlRender;

impl Render for JsonlRender {
    fn result(&self, buf: &mut Vec<u8>, checked: &Checked<'_>) -> io::Result<()> {
        result(checked).write_compact(buf);
        buf.push(b'\n');
        Ok(())
    }
}

impl Reporter for JsonlReporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        self.line.clear();
        JsonlRender.result(&mut self.line, checked)?;
        out.write_all(&self.line)
    }

    fn renderer(&self) -> Option<Box<dyn Render>> {
        Some(Box::new(JsonlRender))
    }

    fn input_error(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &error_json(error, "error"))?;
        writeln!(out)
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
