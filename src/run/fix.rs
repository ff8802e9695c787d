//! `adlint fix`: print, diff or rewrite fixed captions, or write a fixed copy of an export.
//!
//! The fixing itself is [`crate::fix`]; this module reads and writes files and tells the user
//! what changed and what is left for them (claims and contradictions have no automatic fix).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::path::Path;

use super::{Ui, UsageError, exit, fails, inputs_or_stdin, prepare};
use crate::caption::{Caption, Origin};
use crate::cli::{FailOn, FixArgs};
use crate::diagnostic::Diagnostic;
use crate::fix::{self, Outcome};
use crate::input::{self, Kind, ReadOptions};
use crate::report::plural;
use crate::rules::{RuleSet, Severity};
use crate::text::line_col;

struct Session<'a, 'u, 'o> {
    rules: &'a RuleSet,
    options: &'a ReadOptions,
    args: &'a FixArgs,
    fail_on: FailOn,
    ui: &'a mut Ui<'u>,
    out: &'o mut dyn Write,
    failing: bool,
    trouble: bool,
}

pub(super) fn run(args: FixArgs, stdout: &mut dyn Write, ui: &mut Ui<'_>) -> u8 {
    let Some((settings, options)) = prepare(
        &args.context,
        &args.export,
        &args.rule_args,
        args.fail_on,
        ui,
    ) else {
        return exit::TROUBLE;
    };
    let Some(inputs) = inputs_or_stdin(&args.inputs, ui) else {
        return exit::TROUBLE;
    };
    let mut session = Session {
        rules: &settings.rules,
        options: &options,
        args: &args,
        fail_on: settings.fail_on,
        ui,
        out: stdout,
        failing: false,
        trouble: false,
    };
    let written = match &args.output {
        Some(output) => session.export(&inputs, output),
        None => inputs
            .iter()
            .try_for_each(|input| session.input(input, inputs.len() > 1)),
    };
    let flushed = written.and_then(|()| session.out.flush());
    match flushed {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => exit::CLEAN,
        Err(e) => {
            let _ = writeln!(session.ui.stderr, "adlint: could not write output: {e}");
            exit::TROUBLE
        }
        Ok(()) if session.trouble => exit::TROUBLE,
        Ok(()) if session.failing => exit::FINDINGS,
        Ok(()) => exit::CLEAN,
    }
}

/// A caption file split into what adlint checks and what it keeps around it.
struct Framed {
    bom: &'static str,
    caption: String,
    trailing: String,
}

impl Framed {
    fn parse(bytes: &[u8]) -> Result<Framed, String> {
        let (bom, bytes) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => ("\u{feff}", rest),
            None => ("", bytes),
        };
        let text = std::str::from_utf8(bytes)
            .map_err(|e| format!("not UTF-8 text: invalid byte at offset {}", e.valid_up_to()))?;
        let caption = text.trim_end();
        Ok(Framed {
            bom,
            caption: caption.to_string(),
            trailing: text[caption.len()..].to_string(),
        })
    }

    fn with(&self, caption: &str) -> String {
        format!("{}{caption}{}", self.bom, self.trailing)
    }
}

impl Session<'_, '_, '_> {
    fn error(&mut self, message: String) {
        let _ = writeln!(self.ui.stderr, "adlint: {message}");
        self.trouble = true;
    }

    fn input(&mut self, input: &OsStr, many: bool) -> io::Result<()> {
        let path = Path::new(input);
        let input = &crate::paths::name_os(input);
        if input == "-" {
            let mut bytes = Vec::new();
            let limit = self.options.caption_limit() as u64;
            if let Err(e) = io::stdin().take(limit + 1).read_to_end(&mut bytes) {
                self.error(format!("could not read stdin: {}", input::io_reason(&e)));
                return Ok(());
            }
            return self.text("-", &bytes, None, many);
        }
        if input::url::looks_like_url(input) && !path.exists() {
            self.error(format!(
                "{input}: adlint fix does not fetch posts; check it with `adlint check {input}`"
            ));
            return Ok(());
        }
        if path.is_dir() {
            self.error(format!(
                "{input} is a folder: give the caption files to fix"
            ));
            return Ok(());
        }
        let kind = self.options.kind.unwrap_or_else(|| Kind::of(path));
        if kind != Kind::Text {
            self.error(format!(
                "{input} is an export: use `--output FILE` to write a fixed copy of it"
            ));
            return Ok(());
        }
        // `--write` rewrites files: a FIFO or a device has no content to put back (and reading
        // one could wait for ever).
        if self.args.write && std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            self.error(format!(
                "{input} is not a regular file: --write rewrites files; leave out --write to \
                 print the fixed caption"
            ));
            return Ok(());
        }
        let limit = self.options.caption_limit();
        if std::fs::metadata(path).is_ok_and(|m| m.len() > limit as u64 + 4096) {
            self.error(format!(
                "{input}: the file is over the {} caption size limit: not fixed (raise it with \
                 --max-caption-size)",
                input::human_size(limit)
            ));
            return Ok(());
        }
        match std::fs::read(path) {
            Ok(bytes) => self.text(input, &bytes, Some(path), many),
            Err(e) => {
                self.error(format!("{input}: could not open: {}", input::io_reason(&e)));
                Ok(())
            }
        }
    }

    /// Fix one caption file (or stdin) and print, diff or write the result.
    fn text(
        &mut self,
        name: &str,
        bytes: &[u8],
        path: Option<&Path>,
        many: bool,
    ) -> io::Result<()> {
        let framed = match Framed::parse(bytes) {
            Ok(f) => f,
            Err(message) => {
                self.error(format!("{name}: {message}"));
                return Ok(());
            }
        };
        let limit = self.options.caption_limit();
        if framed.caption.len() > limit {
            self.error(format!(
                "{name}: the caption is {}, over the {} limit: not fixed (raise it with \
                 --max-caption-size)",
                input::human_size(framed.caption.len()),
                input::human_size(limit)
            ));
            return Ok(());
        }
        let mut caption = Caption::new(framed.caption.clone());
        caption.origin = Origin::file(name);
        self.options.defaults.apply(&mut caption);
        let outcome = fix::fix(&caption, self.rules, self.args.unsafe_fixes);
        let before = framed.with(&framed.caption);
        let after = framed.with(&outcome.text);
        if self.args.write
            && let Some(path) = path
        {
            // Only what was written is reported as fixed.
            if after != before
                && let Err(e) = crate::output::write_bytes(path, after.as_bytes(), self.args.force)
            {
                self.ui.error(&e);
                let _ = writeln!(
                    self.ui.stderr,
                    "{name}: not written, so nothing in it was fixed"
                );
                self.trouble = true;
                self.tell_remaining(name, &outcome);
                return Ok(());
            }
            self.tell(name, &outcome);
            return Ok(());
        }
        self.tell(name, &outcome);
        if self.args.diff {
            let diff = similar::TextDiff::from_lines(&before, &after);
            let raw = path.map_or(OsStr::new(name), |p| p.as_os_str());
            let (a, b) = (
                crate::paths::diff_name("a/", raw),
                crate::paths::diff_name("b/", raw),
            );
            write!(
                self.out,
                "{}",
                diff.unified_diff().context_radius(3).header(&a, &b)
            )?;
        } else if self.args.write {
            write!(self.out, "{after}")?;
        } else {
            if many {
                writeln!(self.out, "==> {name} <==")?;
            }
            write!(self.out, "{after}")?;
            if many && !after.ends_with('\n') {
                writeln!(self.out)?;
            }
        }
        Ok(())
    }

    /// Say on stderr what was fixed and what is left, with what to do about it.
    fn tell(&mut self, name: &str, outcome: &Outcome) {
        if !outcome.fixed.is_empty() {
            let codes: Vec<&str> = outcome.fixed.iter().map(|(c, _)| c.as_str()).collect();
            let _ = writeln!(
                self.ui.stderr,
                "{name}: fixed {} ({})",
                plural(codes.len(), "finding"),
                codes.join(", ")
            );
        }
        self.tell_remaining(name, outcome);
    }

    /// Say on stderr what is left after fixing, with what to do about it.
    fn tell_remaining(&mut self, name: &str, outcome: &Outcome) {
        self.failing |= outcome
            .remaining
            .iter()
            .any(|d| fails(d.severity, self.fail_on));
        // Advice stays out of this list: it is for `adlint check`, and would drown the rest.
        for d in outcome
            .remaining
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
        {
            let (line, col) = line_col(&outcome.text, d.span.start);
            let how = match &d.fix {
                Some(_) => "fixable with `--unsafe-fixes` (it asserts a brand relationship)",
                None => "no automatic fix",
            };
            let _ = writeln!(
                self.ui.stderr,
                "{name}:{line}:{col}: {} {} {}: {how}; {}",
                d.severity, d.code, d.message, d.help
            );
        }
    }

    /// Write a fixed copy of one export.
    fn export(&mut self, inputs: &[OsString], output: &Path) -> io::Result<()> {
        let [input] = inputs else {
            self.error(UsageError::FixOutput.to_string());
            return Ok(());
        };
        let path = Path::new(input);
        let input = &crate::paths::name_os(input);
        let kind = self.options.kind.unwrap_or_else(|| Kind::of(path));
        if input == "-" || kind == Kind::Text {
            self.error(format!(
                "`--output` writes a fixed copy of an export (CSV, TSV, JSON, JSONL, XLSX); for {input} use `--write` or redirect the output"
            ));
            return Ok(());
        }
        let to_stdout = output.as_os_str() == "-";
        let written_as = Kind::of(output);
        if !to_stdout && written_as != Kind::Text && written_as != kind {
            self.error(format!(
                "{} would hold {} data under a {} name: name the output with the input's \
                 extension (or write it to stdout with `-o -`)",
                crate::paths::name(output),
                kind_name(kind),
                kind_name(written_as)
            ));
            return Ok(());
        }
        let shown_output = if to_stdout {
            "stdout".to_string()
        } else {
            crate::paths::name(output)
        };
        let mut fixed: BTreeMap<String, usize> = BTreeMap::new();
        let mut left: BTreeMap<String, usize> = BTreeMap::new();
        let (rules, unsafe_fixes, fail_on) = (self.rules, self.args.unsafe_fixes, self.fail_on);
        let mut failing = false;
        let limit = self.options.caption_limit();
        let mut oversized = Vec::new();
        let force = self.args.force;
        let result =
            input::rewrite::rewrite_to(path, kind, self.options, output, force, &mut |caption| {
                if caption.text.len() > limit {
                    oversized.push(caption.origin.display());
                    return None;
                }
                let outcome = fix::fix(caption, rules, unsafe_fixes);
                for (code, _) in &outcome.fixed {
                    *fixed.entry(code.clone()).or_default() += 1;
                }
                for d in &outcome.remaining {
                    failing |= fails(d.severity, fail_on);
                    *left.entry(label(d)).or_default() += 1;
                }
                outcome.changed(&caption.text).then_some(outcome.text)
            });
        self.failing |= failing;
        for place in oversized {
            self.error(format!(
                "{place}: the caption is over the {} limit: not fixed (copied unchanged; raise \
                 it with --max-caption-size)",
                input::human_size(limit)
            ));
        }
        match result {
            Ok(done) => {
                let _ = writeln!(
                    self.ui.stderr,
                    "wrote {}: changed {} of {} ({})",
                    shown_output,
                    done.changed,
                    plural(done.records, "caption"),
                    summary(&fixed)
                );
                if !left.is_empty() {
                    let _ = writeln!(
                        self.ui.stderr,
                        "left for you (run `adlint check {}` to see them): {}",
                        if to_stdout {
                            "the fixed copy"
                        } else {
                            &shown_output
                        },
                        summary(&left)
                    );
                }
                for e in &done.errors {
                    self.error(format!(
                        "{}: {} (copied unchanged)",
                        e.location(),
                        e.message
                    ));
                }
            }
            Err(message) => self.error(format!("{input}: {message}")),
        }
        Ok(())
    }
}

/// A format's name for messages.
fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Jsonl => "JSONL",
        Kind::Json => "JSON",
        Kind::Csv => "CSV",
        Kind::Tsv => "TSV",
        Kind::Xlsx => "spreadsheet",
    }
}

fn label(d: &Diagnostic) -> String {
    match d.fix {
        Some(_) => format!("{} (unsafe fix)", d.code),
        None => d.code.clone(),
    }
}

fn summary(counts: &BTreeMap<String, usize>) -> String {
    if counts.is_empty() {
        return "nothing to fix".into();
    }
    counts
        .iter()
        .map(|(code, n)| format!("{code} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_keeps_the_bom_and_trailing_whitespace() {
        let f = Framed::parse(b"\xEF\xBB\xBF#sp hi\r\n\n").unwrap();
        assert_eq!(f.caption, "#sp hi");
        assert_eq!(f.with("#ad hi"), "\u{feff}#ad hi\r\n\n");
    }

    #[test]
    fn atomic_writes_replace_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.txt");
        std::fs::write(&path, "old").unwrap();
        crate::output::write_file_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
