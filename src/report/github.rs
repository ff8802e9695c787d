//! `--format github`: GitHub Actions workflow commands, one per finding, which GitHub shows as
//! annotations on the pull request and the run. Chosen by default when `GITHUB_ACTIONS=true`.
//!
//! ```text
//! ::error file=posts/draft.txt,line=1,col=38,endLine=1,endColumn=57,title=FTC001 missing-disclosure::sponsored caption has no clear disclosure. start the caption with …
//! ```
//!
//! - errors are `::error`, warnings `::warning`, advice `::notice`;
//! - `file` is the source relative to the working folder with forward slashes (left out for
//!   stdin and for paths outside the working folder, which GitHub could not place);
//! - a text file gets the finding's line and character columns (`endColumn` is the column after
//!   the last character); GitHub only takes columns on one line, so a finding spanning lines
//!   gets `line` and `endLine` only;
//! - a record of an export gets the line where the record starts, when known (JSONL, CSV, TSV),
//!   and its message starts with the record's location (`campaign.csv:row 2 (post p-102): `);
//! - an input that could not be read is an `::error` with title `input error`.
//!
//! Messages are escaped as GitHub unescapes them (`%` `\r` `\n`; in properties also `:` and
//! `,`). The last line is a plain summary. Nothing is ever coloured.
//!
//! Given a writer for the job summary (`$GITHUB_STEP_SUMMARY`, see [`super::step_summary`]),
//! it also writes counts per rule and the worst records there, and says in the log when GitHub
//! will not show every annotation.

use std::io::{self, Write};
use std::path::PathBuf;

use super::step_summary::StepSummary;
use super::{Checked, Reporter, Summary};
use crate::caption::{Origin, Place};
use crate::failure::InputError;
use crate::rules::Severity;
use crate::text::line_col;

/// Writes one workflow command per finding as results arrive.
pub struct GithubReporter {
    cwd: PathBuf,
    /// The job summary, and where it goes.
    step: Option<(StepSummary, Box<dyn Write>)>,
}

impl Default for GithubReporter {
    fn default() -> Self {
        Self::new()
    }
}

impl GithubReporter {
    pub fn new() -> Self {
        GithubReporter {
            cwd: std::env::current_dir().unwrap_or_default(),
            step: None,
        }
    }

    /// Also write a job summary to `out`, naming where the SARIF results are.
    pub fn with_step_summary(out: Box<dyn Write>, sarif: Option<String>) -> Self {
        GithubReporter {
            step: Some((StepSummary::new(sarif), out)),
            ..Self::new()
        }
    }

    fn file(&self, source: &str) -> Option<String> {
        super::sarif::relative_path(source, &self.cwd, &self.cwd)
    }
}

/// The workflow command for a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "notice",
    }
}

/// Escape a command's message (data).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// How a message names a place: `campaign.csv:row 2 (post p-102)`, with stdin as `stdin`.
fn readable(origin: &Origin) -> String {
    if origin.source == "-" {
        let mut origin = origin.clone();
        origin.source = "stdin".into();
        origin.display()
    } else {
        origin.display()
    }
}

/// `::{command} key=value,...::{message}`, escaped.
fn write_command(
    out: &mut dyn Write,
    command: &str,
    properties: &[(&str, String)],
    message: &str,
) -> io::Result<()> {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let separator = if properties.is_empty() { "" } else { " " };
    writeln!(
        out,
        "::{command}{separator}{}::{}",
        properties.join(","),
        escape_data(message)
    )
}

impl Reporter for GithubReporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        let caption = checked.caption;
        let origin = &caption.origin;
        let text = &caption.text;
        let is_record = origin.place.is_some() || origin.record.is_some();
        let file = self.file(&origin.source);
        // Annotations show the file and line; the message says which record, or which input
        // when there is no file to show.
        let prefix = if is_record || file.is_none() {
            format!("{}: ", readable(origin))
        } else {
            String::new()
        };
        for d in checked.diagnostics {
            let mut properties = Vec::new();
            if let Some(file) = &file {
                properties.push(("file", file.clone()));
                if !is_record {
                    let (line, col) = line_col(text, d.span.start);
                    let (end_line, end_col) = line_col(text, d.span.end);
                    properties.push(("line", line.to_string()));
                    if line == end_line {
                        properties.push(("col", col.to_string()));
                        properties.push(("endLine", end_line.to_string()));
                        properties.push(("endColumn", end_col.to_string()));
                    } else {
                        properties.push(("endLine", end_line.to_string()));
                    }
                } else if let Some(line) = origin.line {
                    properties.push(("line", line.to_string()));
                }
            }
            properties.push(("title", format!("{} {}", d.code, d.name)));
            let mut message = format!("{prefix}{}", d.message);
            if !d.message.ends_with(['.', '!', '?']) {
                message.push('.');
            }
            if !d.help.is_empty() {
                message.push(' ');
                message.push_str(&d.help);
            }
            write_command(out, command(d.severity), &properties, &message)?;
            if let Some((step, _)) = &mut self.step {
                step.annotation(d.severity);
            }
        }
        if let Some((step, _)) = &mut self.step {
            step.add(checked, readable(origin));
        }
        Ok(())
    }

    fn input_error(&mut self, out: &mut dyn Write, e: &InputError) -> io::Result<()> {
        let mut properties = Vec::new();
        let file = self.file(&e.source);
        let has_file = file.is_some();
        if let Some(file) = file {
            properties.push(("file", file));
            if let Some(Place::Line(line)) = e.place {
                properties.push(("line", line.to_string()));
            }
        }
        properties.push(("title", "input error".to_string()));
        if let Some((step, _)) = &mut self.step {
            step.input_error(format!("{}: {}", e.location(), e.message));
        }
        let message = match (&e.place, has_file) {
            (Some(place), true) => format!("{place}: {}", e.message),
            (_, false) => {
                let origin = Origin {
                    source: e.source.clone(),
                    record: None,
                    place: e.place.clone(),
                    line: None,
                };
                format!("{}: {}", readable(&origin), e.message)
            }
            (None, true) => e.message.clone(),
        };
        write_command(out, "error", &properties, &message)
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(out, "adlint: checked {}.", s.counts())?;
        if let Some((step, summary)) = &mut self.step {
            if let Some(note) = step.cut_note() {
                writeln!(out, "{note}")?;
            }
            step.write(summary, s)?;
            summary.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(
            escape_data("50% off\r\nnow: a,b"),
            "50%25 off%0D%0Anow: a,b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
