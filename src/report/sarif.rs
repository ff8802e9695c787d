//! `--format sarif`: one SARIF 2.1.0 log for GitHub code scanning and other SARIF viewers.
//!
//! The log has one run. `tool.driver.rules` lists every rule of the packs the run used (id =
//! code, name, summary, docs, help, source URL, default level, pack and pack version);
//! `tool.extensions` names those packs with their versions (SARIF 2.1.0 §3.19.3: components
//! that extend the driver) and `run.properties.packs` lists them too. `tool.driver.version` is
//! adlint's own. Each finding is a result pointing at its rule by id and index, with a
//! `partialFingerprints` entry (`adlintFingerprint/v1`, see [`crate::fingerprint`]) that survives
//! unrelated edits of the file.
//!
//! Locations:
//! - `artifactLocation.uri` is the source path relative to the base folder (the working folder),
//!   with forward slashes and percent-escaped; a path outside the base is an absolute `file:`
//!   URI, stdin (`-`) is `stdin`.
//! - A text file is one caption, so the region is the finding's span: start and end line and
//!   column, 1-based, columns counted in Unicode code points (`run.columnKind` says so; SARIF's
//!   default would be UTF-16 code units). `endColumn` is the column after the last character.
//! - A record of an export whose first line is known (JSONL, CSV, TSV) has the region of that
//!   line only (`startLine`): columns inside escaped JSON strings or quoted CSV fields are not
//!   worth guessing.
//! - A record whose line is unknown (XLSX, JSON arrays) gets `startLine: 1`, standing for the
//!   file: GitHub code scanning needs a start line on every result. Its logical location (below)
//!   says which record it is.
//! - Every export record also has a logical location: `name` is the record id,
//!   `fullyQualifiedName` is `source#record`, and `kind` is `object` for JSON and JSONL records
//!   (a well-known SARIF kind for JSON objects) and absent for spreadsheet rows.
//!
//! Inputs that could not be read are tool execution notifications (level `error`, descriptor
//! `input-error` from `tool.driver.notifications`) of the one invocation, whose
//! `executionSuccessful` is then false.

use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value, json};

use super::spool::{
    ArrayWriter, Skeleton, Spool, array_end, element_start, placeholder, pretty_at,
};
use super::{Checked, PacksUsed, Render, Reporter, Summary};
use crate::caption::{Origin, Place};
use crate::diagnostic::Diagnostic;
use crate::failure::InputError;
use crate::rules::{RuleSet, Severity};
use crate::text::line_col;

/// The schema named in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The project's home page, for `tool.driver.informationUri`.
pub const INFORMATION_URI: &str = "https://github.com/adlint/adlint";
/// The id of the notification descriptor for inputs that could not be read.
pub const INPUT_ERROR: &str = "input-error";
/// The key of adlint's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "adlintFingerprint/v1";

/// SARIF's level for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

/// Spools results and notifications (constant memory), and writes the whole log at the end:
/// what comes before the results (the invocation, the packs) is known only then.
pub struct SarifReporter {
    /// A descriptor per loaded rule, in rule-set order, with its pack's index; the log lists
    /// those of the packs used.
    rules: Vec<(usize, Value)>,
    packs: PacksUsed,
    /// `{name, version, informationUri}` per loaded pack, for `tool.extensions`.
    extensions: Vec<Value>,
    /// Renders results (here or on the checking threads).
    render: SarifRender,
    /// Each result rendered at its depth in the log without its closing brace, framed by the
    /// position of its rule in `index` and its length: its `ruleIndex` (the last key) is known
    /// only when the run is over and the packs it used are.
    results: Spool,
    result_count: u64,
    notifications: Spool,
    notification_count: u64,
    buf: Vec<u8>,
}

/// The depth of a result in the log: `runs[0].results[i]`.
const RESULT_DEPTH: usize = 4;
/// The depth of a notification: `runs[0].invocations[0].toolExecutionNotifications[i]`.
const NOTIFICATION_DEPTH: usize = 6;
/// The frame of a spooled result: no rule.
const NO_RULE: u32 = u32::MAX;

impl SarifReporter {
    pub fn new(rules: &RuleSet, base: &Path) -> Self {
        let cwd = std::env::current_dir().unwrap_or_default();
        let base = normalise(&absolute(base, &cwd));
        let descriptors = rules
            .rules
            .iter()
            .map(|rule| {
                let pack = rules.packs.get(rule.pack);
                let mut properties = Map::new();
                if let Some(pack) = pack {
                    properties.insert("pack".into(), json!(pack.name));
                    properties.insert("packVersion".into(), json!(pack.version));
                    properties.insert("tags".into(), json!(["compliance", pack.name]));
                }
                let docs = rule.docs.trim();
                let mut markdown = format!("{}\n\n{docs}", rule.help);
                if !rule.source.is_empty() {
                    let title = if rule.source_title.is_empty() {
                        &rule.source
                    } else {
                        &rule.source_title
                    };
                    markdown.push_str(&format!("\n\nSource: [{title}]({})", rule.source));
                }
                let mut descriptor = json!({
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": docs},
                    "help": {"text": rule.help, "markdown": markdown},
                    "defaultConfiguration": {"level": level(rule.severity)},
                    "properties": properties,
                });
                if !rule.source.is_empty() {
                    descriptor["helpUri"] = json!(rule.source);
                }
                (rule.pack, descriptor)
            })
            .collect();
        let extensions = rules
            .packs
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "version": p.version,
                    "fullName": p.title,
                    "properties": {"sourcesRead": p.sources_read, "jurisdiction": p.jurisdiction},
                })
            })
            .collect();
        SarifReporter {
            rules: descriptors,
            packs: PacksUsed::new(rules),
            extensions,
            render: SarifRender {
                base,
                cwd,
                index: rules.rules.iter().map(|r| r.code.clone()).collect(),
            },
            results: Spool::new(),
            result_count: 0,
            notifications: Spool::new(),
            notification_count: 0,
            buf: Vec::new(),
        }
    }

    /// The descriptors of the used packs' rules, and for each rule of `index` its position
    /// among them (a result's `ruleIndex`), found by its code.
    fn used_rules(&self) -> (Vec<Value>, Vec<Option<usize>>) {
        let used: Vec<(&String, &Value)> = self
            .render
            .index
            .iter()
            .zip(&self.rules)
            .filter(|(_, (pack, _))| self.packs.is_used(*pack))
            .map(|(code, (_, d))| (code, d))
            .collect();
        let positions = self
            .render
            .index
            .iter()
            .map(|code| used.iter().position(|(c, _)| *c == code))
            .collect();
        (
            used.into_iter().map(|(_, d)| d.clone()).collect(),
            positions,
        )
    }

    /// Copy the spooled results to `out`, each given its `ruleIndex`.
    fn write_results(
        &mut self,
        out: &mut dyn Write,
        positions: &[Option<usize>],
    ) -> io::Result<()> {
        let mut array = ArrayWriter::new(RESULT_DEPTH);
        let mut reader = io::BufReader::with_capacity(1 << 16, self.results.reader()?);
        let mut body = Vec::new();
        for _ in 0..self.result_count {
            let mut frame = [0u8; 8];
            reader.read_exact(&mut frame)?;
            let rule = u32::from_le_bytes([frame[0], frame[1], frame[2], frame[3]]);
            let len = u32::from_le_bytes([frame[4], frame[5], frame[6], frame[7]]) as usize;
            body.resize(len, 0);
            reader.read_exact(&mut body)?;
            out.write_all(&array.separator())?;
            out.write_all(&body)?;
            let indent = " ".repeat(2 * RESULT_DEPTH);
            match positions.get(rule as usize).copied().flatten() {
                Some(i) => write!(out, ",\n{indent}  \"ruleIndex\": {i}\n{indent}}}")?,
                None => write!(out, "\n{indent}}}")?,
            }
        }
        out.write_all(&array.close())
    }
}

/// Renders each finding of a caption as a spooled result: its rule's position in `index`, its
/// length, and its text at its depth in the log without the closing brace.
#[derive(Clone)]
struct SarifRender {
    base: PathBuf,
    cwd: PathBuf,
    /// Rule codes, in rule-set order.
    index: Vec<String>,
}

impl SarifRender {
    fn uri(&self, source: &str) -> String {
        artifact_uri(source, &self.base, &self.cwd)
    }

    fn result_json(&self, checked: &Checked<'_>, d: &Diagnostic) -> Value {
        let caption = checked.caption;
        let origin = &caption.origin;
        let text = &caption.text;
        let region = if origin.record.is_none() && origin.place.is_none() {
            let (start_line, start_column) = line_col(text, d.span.start);
            let (end_line, end_column) = line_col(text, d.span.end);
            json!({
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            })
        } else {
            json!({"startLine": origin.line.unwrap_or(1)})
        };
        let mut location = json!({
            "physicalLocation": {
                "artifactLocation": {"uri": self.uri(&origin.source)},
                "region": region,
            }
        });
        if let Some(logical) = logical_location(origin) {
            location["logicalLocations"] = json!([logical]);
        }
        json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": {"text": d.message},
            "locations": [location],
            "partialFingerprints": {FINGERPRINT_KEY: crate::fingerprint::of(caption, d)},
            "properties": {
                "help": d.help,
                "matched": text.get(d.span.clone()).unwrap_or_default(),
                "platform": checked.platform,
            },
        })
    }
}

impl Render for SarifRender {
    fn result(&self, buf: &mut Vec<u8>, checked: &Checked<'_>) -> io::Result<()> {
        for d in checked.diagnostics {
            let result = self.result_json(checked, d);
            let rule = self
                .index
                .iter()
                .position(|code| *code == d.code)
                .map_or(NO_RULE, |i| i as u32);
            let start = buf.len();
            buf.extend_from_slice(&[0; 8]);
            pretty_at(&result, RESULT_DEPTH, buf)?;
            // Without the closing brace and the line break before it: `ruleIndex` goes there.
            let body = buf.len() - start - 8 - (2 + 2 * RESULT_DEPTH);
            let len =
                u32::try_from(body).map_err(|_| io::Error::other("a SARIF result over 4 GB"))?;
            buf.truncate(start + 8 + body);
            buf[start..start + 4].copy_from_slice(&rule.to_le_bytes());
            buf[start + 4..start + 8].copy_from_slice(&len.to_le_bytes());
        }
        Ok(())
    }
}

impl Reporter for SarifReporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let written = self
            .render
            .result(&mut buf, checked)
            .and_then(|()| self.rendered(out, &buf, checked.packs));
        self.buf = buf;
        written
    }

    fn renderer(&self) -> Option<Box<dyn Render>> {
        Some(Box::new(self.render.clone()))
    }

    fn rendered(&mut self, _out: &mut dyn Write, bytes: &[u8], packs: &[usize]) -> io::Result<()> {
        // Count the results by their frames.
        let mut at = 0;
        while at + 8 <= bytes.len() {
            let len =
                u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
            at += 8 + len as usize;
            self.result_count += 1;
        }
        self.results.write(bytes)?;
        self.packs.add(packs);
        Ok(())
    }

    fn input_error(&mut self, _out: &mut dyn Write, e: &InputError) -> io::Result<()> {
        let text = match &e.place {
            Some(place) => format!("{}:{place}: {}", e.source, e.message),
            None => format!("{}: {}", e.source, e.message),
        };
        let mut physical = json!({"artifactLocation": {"uri": self.render.uri(&e.source)}});
        if let Some(Place::Line(line)) = e.place {
            physical["region"] = json!({"startLine": line});
        }
        let mut location = json!({"physicalLocation": physical});
        let origin = Origin {
            source: e.source.clone(),
            record: e.record.clone(),
            place: e.place.clone(),
            line: None,
        };
        if let Some(logical) = logical_location(&origin) {
            location["logicalLocations"] = json!([logical]);
        }
        let notification = json!({
            "level": "error",
            "message": {"text": text},
            "descriptor": {"id": INPUT_ERROR, "index": 0},
            "locations": [location],
        });
        self.buf.clear();
        self.buf
            .extend(element_start(self.notification_count, NOTIFICATION_DEPTH));
        pretty_at(&notification, NOTIFICATION_DEPTH, &mut self.buf)?;
        self.notifications.write(&self.buf)?;
        self.notification_count += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let notified = self.notification_count > 0;
        let mut invocation = json!({"executionSuccessful": !notified});
        // The holes, in document order: the notifications (in `invocations`), then the results.
        let mut hole = 0;
        if notified {
            invocation["toolExecutionNotifications"] = json!(placeholder(hole));
            hole += 1;
        }
        let results_hole = hole;
        let (rules, positions) = self.used_rules();
        let packs = self.packs.json();
        let extensions: Vec<&Value> = self
            .extensions
            .iter()
            .enumerate()
            .filter(|(i, _)| self.packs.is_used(*i))
            .map(|(_, e)| e)
            .collect();
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "adlint",
                        "version": env!("CARGO_PKG_VERSION"),
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                        "notifications": [{
                            "id": INPUT_ERROR,
                            "name": INPUT_ERROR,
                            "shortDescription": {"text": "An input could not be read; the others were checked."},
                            "defaultConfiguration": {"level": "error"},
                        }],
                    },
                    "extensions": extensions,
                },
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": placeholder(results_hole),
                "properties": {"packs": packs},
            }],
        });
        let skeleton = Skeleton::new(&log)?;
        debug_assert_eq!(skeleton.holes(), results_hole + 1);
        debug_assert_eq!(skeleton.depth(results_hole), RESULT_DEPTH);
        if notified {
            debug_assert_eq!(skeleton.depth(0), NOTIFICATION_DEPTH);
            out.write_all(skeleton.piece(0))?;
            let len = self.notifications.len();
            self.notifications.copy_range(0..len, out)?;
            out.write_all(&array_end(self.notification_count, NOTIFICATION_DEPTH))?;
        }
        out.write_all(skeleton.piece(results_hole))?;
        self.write_results(out, &positions)?;
        out.write_all(skeleton.piece(results_hole + 1))?;
        writeln!(out)
    }
}

/// The logical location of an export record: its id, and `source#record`.
fn logical_location(origin: &Origin) -> Option<Value> {
    let record = origin.record.as_deref()?;
    let mut logical = json!({
        "name": record,
        "fullyQualifiedName": format!("{}#{record}", origin.source.replace('\\', "/")),
    });
    if matches!(origin.place, Some(Place::Line(_) | Place::Pointer(_))) {
        logical["kind"] = json!("object");
    }
    Some(logical)
}

/// `path` made absolute against `cwd` (no file-system access).
fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}

/// `.` and `..` resolved lexically (symbolic links are not followed).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A source path relative to `base` with forward slashes (`fixtures/a b.txt`), or `None` when
/// it is stdin, a URL or outside `base`. Relative sources are read relative to `cwd`.
pub fn relative_path(source: &str, base: &Path, cwd: &Path) -> Option<String> {
    if source == "-" || source.contains("://") {
        return None;
    }
    let path = normalise(&absolute(Path::new(source), cwd));
    let relative = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// The SARIF `artifactLocation.uri` of a source: relative to `base` when it is inside it, an
/// absolute `file:` URI otherwise, `stdin` for `-` and a URL as it is.
pub fn artifact_uri(source: &str, base: &Path, cwd: &Path) -> String {
    if source == "-" {
        return "stdin".into();
    }
    if source.contains("://") {
        return source.into();
    }
    if let Some(bytes) = crate::paths::raw(source) {
        return raw_uri(&bytes, base, cwd);
    }
    if let Some(relative) = relative_path(source, base, cwd) {
        return escape_uri_path(&relative, false);
    }
    let path = normalise(&absolute(Path::new(source), cwd));
    let slashed = path.to_string_lossy().replace('\\', "/");
    let slashed = slashed.trim_start_matches('/');
    format!("file:///{}", escape_uri_path(slashed, true))
}

/// The URI of a file whose name is not UTF-8: its bytes percent-encoded (`caf%E9.txt`).
fn raw_uri(bytes: &[u8], base: &Path, cwd: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let path = normalise(&absolute(
        Path::new(std::ffi::OsStr::from_bytes(bytes)),
        cwd,
    ));
    let escape = |bytes: &[u8], keep_colon: bool| {
        let mut out = String::new();
        for &byte in bytes {
            let keep = byte.is_ascii_alphanumeric()
                || b"-._~/!$&'()*+,;=@".contains(&byte)
                || (keep_colon && byte == b':');
            if keep {
                out.push(byte as char);
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    };
    match path.strip_prefix(base) {
        Ok(relative) => escape(relative.as_os_str().as_bytes(), false),
        Err(_) => {
            let bytes = path.as_os_str().as_bytes();
            let start = bytes.iter().take_while(|&&b| b == b'/').count();
            format!("file:///{}", escape(&bytes[start..], true))
        }
    }
}

/// Percent-escape a path for a URI: unreserved characters, `/` and the sub-delimiters stay,
/// everything else (spaces, `%`, `#`, `?`, non-ASCII as UTF-8 bytes) is escaped. A `:` is kept
/// only in absolute URIs: in a relative one it could read as a scheme.
fn escape_uri_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&byte)
            || (keep_colon && byte == b':');
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_escaped_or_absolute() {
        let base = Path::new("/repo");
        assert_eq!(artifact_uri("a/b c.txt", base, base), "a/b%20c.txt");
        assert_eq!(artifact_uri("./x/../é#1.txt", base, base), "%C3%A9%231.txt");
        assert_eq!(
            artifact_uri("/repo/d/e.txt", base, Path::new("/")),
            "d/e.txt"
        );
        assert_eq!(artifact_uri("../out.txt", base, base), "file:///out.txt");
        assert_eq!(artifact_uri("-", base, base), "stdin");
        assert_eq!(artifact_uri("a:b.txt", base, base), "a%3Ab.txt");
    }
}
