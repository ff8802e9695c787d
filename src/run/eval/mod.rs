//! `adlint eval FILE`: measure the rules against cases people have judged. A file holds one of
//! two kinds of record, told apart by its first record:
//!
//! - labelled captions, each with the codes it should get (`expect`): per-rule precision and
//!   recall, exact matches ([`labels`]);
//! - regulators' verdicts, each a post with the body's `verdict` (violation or compliant):
//!   violation recall and compliant cases flagged, per jurisdiction, with sponsorship not given
//!   and declared ([`verdicts`]).
//!
//! Both read the file the same way: one JSON object a line, blank lines skipped. A record that
//! cannot be read is reported with its line and the others are still scored; the run then exits
//! 2, as `check` does for an export with bad records.

mod labels;
mod verdicts;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde_json::{Map, Value};

use super::{Ui, exit, io_outcome, prepare};
use crate::caption::Place;
use crate::cli::{ContextArgs, EvalArgs, ExportArgs};
use crate::input::InputError;

/// The key that makes a record a verdict.
const VERDICT_KEY: &str = "verdict";

/// One JSON object of the file and the line it sits on.
struct Record {
    line: usize,
    obj: Map<String, Value>,
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schema {
    /// Captions with the codes they should get (`expect`).
    Labels,
    /// Regulators' decisions (`verdict`).
    Verdicts,
}

impl Schema {
    fn of(record: &Record) -> Schema {
        if record.obj.contains_key(VERDICT_KEY) {
            Schema::Verdicts
        } else {
            Schema::Labels
        }
    }

    fn name(self) -> &'static str {
        match self {
            Schema::Labels => "a labelled file (its records have no `verdict`)",
            Schema::Verdicts => "a verdict file (its records have `verdict`)",
        }
    }
}

/// What a job hands back: its report written (or not), and whether a floor was missed.
struct Outcome {
    written: std::io::Result<()>,
    /// Why the run misses the floors it was given, one line each; empty when it does not.
    missed: Vec<String>,
}

pub fn run(args: &EvalArgs, out: &mut dyn Write, ui: &mut Ui<'_>) -> u8 {
    let Some((settings, options)) = prepare(
        &ContextArgs::default(),
        &ExportArgs::default(),
        &args.rule_args,
        None,
        ui,
    ) else {
        return exit::TROUBLE;
    };
    let rules = settings.rules;
    let source = args.file.display().to_string();
    let (records, mut errors) = match read(&args.file, &source) {
        Ok(read) => read,
        Err(e) => {
            report_error(ui, &e);
            return exit::TROUBLE;
        }
    };
    let schema = records.first().map_or(Schema::Labels, Schema::of);
    if let Some(flag) = misplaced_flag(args, schema) {
        let _ = writeln!(
            ui.stderr,
            "adlint: `{flag}` does not apply to {source}: it is {}",
            schema.name()
        );
        return exit::TROUBLE;
    }
    let mut kept = Vec::with_capacity(records.len());
    let first = records.first().map_or(0, |r| r.line);
    for record in records {
        if Schema::of(&record) == schema {
            kept.push(record);
            continue;
        }
        let what = match schema {
            Schema::Labels => "has `verdict`",
            Schema::Verdicts => "has no `verdict`",
        };
        errors.push(at_line(
            &source,
            record.line,
            format!(
                "this record {what}, but the file's first record (line {first}) makes it {}: one kind of record per file",
                schema.name()
            ),
        ));
    }
    let outcome = match schema {
        Schema::Labels => labels::run(args, &rules, &options, &source, kept, &mut errors, out),
        Schema::Verdicts => {
            verdicts::run(args, &rules, &options, &source, kept, &mut errors, out, ui)
        }
    };
    errors.sort_by_key(|e| match e.place {
        Some(Place::Line(n)) => n,
        _ => 0,
    });
    for e in &errors {
        report_error(ui, e);
    }
    for why in &outcome.missed {
        let _ = writeln!(ui.stderr, "adlint: {why}");
    }
    let code = if !errors.is_empty() {
        exit::TROUBLE
    } else if !outcome.missed.is_empty() {
        exit::FINDINGS
    } else {
        exit::CLEAN
    };
    io_outcome(outcome.written, code)
}

/// A flag given for the other kind of file.
fn misplaced_flag(args: &EvalArgs, schema: Schema) -> Option<&'static str> {
    match schema {
        Schema::Labels => [
            (args.markets.is_some(), "--markets"),
            (args.min_undeclared.is_some(), "--min-undeclared"),
            (args.min_declared.is_some(), "--min-declared"),
            (
                args.max_adequate_flagged.is_some(),
                "--max-adequate-flagged",
            ),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag)),
        Schema::Verdicts => args.min_exact.is_some().then_some("--min-exact"),
    }
}

fn report_error(ui: &mut Ui<'_>, e: &InputError) {
    let place = e
        .place
        .as_ref()
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    let _ = writeln!(ui.stderr, "adlint: {}{place}: {}", e.source, e.message);
}

/// A problem with the record on line `line`.
fn at_line(source: &str, line: usize, message: String) -> InputError {
    InputError {
        source: source.to_string(),
        record: None,
        place: Some(Place::Line(line)),
        message,
    }
}

/// Every JSON object of the file, with the lines that are not one. `Err` when the file cannot
/// be opened or read to its end.
fn read(path: &Path, source: &str) -> Result<(Vec<Record>, Vec<InputError>), InputError> {
    let file = std::fs::File::open(path)
        .map_err(|e| InputError::whole(source, crate::input::io_reason(&e)))?;
    // The records are kept for both runs: a file past the cap is refused, not read whole.
    let cap = crate::limits::EVAL_FILE;
    let mut reader = BufReader::new(std::io::Read::take(file, cap + 1));
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut buf = Vec::new();
    let mut total: u64 = 0;
    for line in 1.. {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(n) => {
                total += n as u64;
                if total > cap {
                    return Err(InputError::whole(
                        source,
                        crate::limits::ReadError::TooLarge(cap).reason("labelled files"),
                    ));
                }
            }
            Err(e) => {
                let mut err = InputError::whole(
                    source,
                    format!("could not read: {}", crate::input::io_reason(&e)),
                );
                err.place = Some(Place::Line(line));
                return Err(err);
            }
        }
        let bytes = match line {
            1 => buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf),
            _ => &buf[..],
        };
        match parse_line(bytes) {
            Ok(Some(obj)) => records.push(Record { line, obj }),
            Ok(None) => {}
            Err(message) => errors.push(at_line(source, line, message)),
        }
    }
    Ok((records, errors))
}

/// One line: a JSON object, nothing for a blank line, or why it is neither.
fn parse_line(bytes: &[u8]) -> Result<Option<Map<String, Value>>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8: invalid byte at column {}", e.valid_up_to() + 1))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(obj)) => Ok(Some(obj)),
        Ok(other) => Err(format!(
            "a record must be a JSON object, found {}",
            crate::input::record::type_name(&other)
        )),
        Err(e) => {
            let column = e.column().max(1);
            let reason = e.to_string();
            let reason = reason.split(" at line ").next().unwrap_or(&reason);
            Err(format!("invalid JSON at column {column}: {reason}"))
        }
    }
}

/// A ratio, or nothing when the denominator is zero.
fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// A ratio for people: three decimals, or `-`.
fn fmt(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.3}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_objects_blanks_or_errors() {
        assert!(parse_line(b"  \r\n").unwrap().is_none());
        assert_eq!(
            parse_line(b"{\"a\": 1}\n").unwrap().unwrap()["a"],
            Value::from(1)
        );
        let err = parse_line(b"[1]").unwrap_err();
        assert!(err.contains("found an array"), "{err}");
        let err = parse_line(b"{broken").unwrap_err();
        assert!(err.starts_with("invalid JSON at column"), "{err}");
        let err = parse_line(b"{\"a\": \"\xff\"}").unwrap_err();
        assert!(err.contains("not UTF-8"), "{err}");
    }

    #[test]
    fn a_record_with_a_verdict_makes_a_verdict_file() {
        let record = |text: &str| Record {
            line: 1,
            obj: serde_json::from_str(text).unwrap(),
        };
        assert_eq!(
            Schema::of(&record(r#"{"verdict": "violation", "text": "x"}"#)),
            Schema::Verdicts
        );
        assert_eq!(
            Schema::of(&record(r#"{"caption": "x", "expect": []}"#)),
            Schema::Labels
        );
    }
}
