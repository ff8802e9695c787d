//! JSONL exports: one JSON object per line with `caption` or `text`, and optional `id`,
//! `platform`, `sponsored` and `brand`.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::{Defaults, InputError, Item, io_reason};
use crate::caption::{Caption, Origin};

/// Field names the caption may have, in order of preference.
pub const CAPTION_FIELDS: &[&str] = &["caption", "text"];

/// Read records line by line, handing each to `sink` as soon as it is parsed. Blank lines are
/// skipped; a line that is not a JSON object, not UTF-8 or has no caption is an input error for
/// that record only.
pub fn read_jsonl(
    source: &str,
    mut reader: impl BufRead,
    defaults: &Defaults,
    sink: &mut dyn FnMut(Item) -> bool,
) -> bool {
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        line_no += 1;
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) => {
                let err = InputError {
                    source: source.to_string(),
                    record: None,
                    line: Some(line_no),
                    message: format!("could not read: {}", io_reason(&e)),
                };
                sink(Err(err));
                return true;
            }
        }
        let bytes = if line_no == 1 {
            buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf)
        } else {
            &buf[..]
        };
        let item = parse_record(source, line_no, bytes).map(|caption| {
            caption.map(|mut c| {
                defaults.apply(&mut c);
                c
            })
        });
        let keep_going = match item {
            Ok(None) => true,
            Ok(Some(c)) => sink(Ok(c)),
            Err(e) => sink(Err(e)),
        };
        if !keep_going {
            return false;
        }
    }
}

fn parse_record(source: &str, line: usize, bytes: &[u8]) -> Result<Option<Caption>, InputError> {
    let error = |record: Option<String>, message: String| InputError {
        source: source.to_string(),
        record,
        line: Some(line),
        message,
    };
    // A record whose id cannot be read is named by its line, as results without an id are.
    let by_line = || Some(line.to_string());
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let column = e.valid_up_to() + 1;
        error(
            by_line(),
            format!("not UTF-8: invalid byte at column {column}"),
        )
    })?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        // Columns are 1-based; serde_json reports 0 for an error before the first character.
        let column = e.column().max(1);
        let reason = strip_position(&e.to_string());
        error(
            by_line(),
            format!("invalid JSON at column {column}: {reason}"),
        )
    })?;
    let Value::Object(obj) = value else {
        let message = "expected a JSON object with a `caption` field".into();
        return Err(error(by_line(), message));
    };
    let record = record_id(&obj).unwrap_or_else(|| line.to_string());
    let caption = CAPTION_FIELDS.iter().find_map(|f| obj.get(*f));
    let caption = match caption {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => {
            let found: Vec<&str> = obj.keys().map(String::as_str).collect();
            return Err(error(
                Some(record),
                format!("no `caption` or `text` field (found: {})", found.join(", ")),
            ));
        }
        Some(other) => {
            let field = CAPTION_FIELDS
                .iter()
                .find(|f| obj.contains_key(**f))
                .unwrap_or(&"caption");
            let message = format!("`{field}` must be a string, found {}", type_name(other));
            return Err(error(Some(record), message));
        }
    };
    let platform = match obj.get("platform") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    };
    let sponsored = parse_sponsored(obj.get("sponsored")).map_err(|found| {
        error(
            Some(record.clone()),
            format!("`sponsored` must be true, false or empty, found {found}"),
        )
    })?;
    let brands = match obj.get("brand").or_else(|| obj.get("brands")) {
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    };
    Ok(Some(Caption {
        text: caption,
        origin: Origin {
            source: source.to_string(),
            record: Some(record),
            line: Some(line),
        },
        platform,
        sponsored,
        brands,
    }))
}

fn record_id(obj: &Map<String, Value>) -> Option<String> {
    match obj.get("id")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `true`/`false`/`null`, and the spreadsheet spellings yes/no/1/0/empty.
pub fn parse_sponsored(value: Option<&Value>) -> Result<Option<bool>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(Some(true)),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(Some(false)),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "yes" | "y" | "1" => Ok(Some(true)),
            "false" | "no" | "n" | "0" => Ok(Some(false)),
            _ => Err(format!("\"{s}\"")),
        },
        Some(other) => Err(other.to_string()),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn strip_position(msg: &str) -> String {
    msg.split(" at line ").next().unwrap_or(msg).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Item> {
        let mut out = Vec::new();
        read_jsonl("x.jsonl", text.as_bytes(), &Defaults::default(), &mut |i| {
            out.push(i);
            true
        });
        out
    }

    #[test]
    fn records_carry_their_context() {
        let items = read(
            "{\"id\": 7, \"caption\": \"#ad hi\", \"platform\": \"tiktok\", \"sponsored\": \"yes\", \"brand\": \"GlowLab\"}\n\n{\"text\": \"x\"}\n",
        );
        let first = items[0].as_ref().unwrap();
        assert_eq!(first.origin.record.as_deref(), Some("7"));
        assert_eq!(first.platform.as_deref(), Some("tiktok"));
        assert_eq!(first.sponsored, Some(true));
        assert_eq!(first.brands, vec!["GlowLab"]);
        let third = items[1].as_ref().unwrap();
        assert_eq!(third.origin.record.as_deref(), Some("3"));
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn bad_records_do_not_stop_the_rest() {
        let items = read(
            "{\"caption\": \"a\"}\n{broken\n{\"id\": \"p2\", \"body\": 1}\n{\"caption\": \"b\"}\n",
        );
        assert!(items[0].is_ok());
        let e = items[1].as_ref().unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = items[2].as_ref().unwrap_err();
        assert_eq!(e.record.as_deref(), Some("p2"));
        assert!(e.message.contains("found: body, id"), "{}", e.message);
        assert!(items[3].is_ok());
    }
}
