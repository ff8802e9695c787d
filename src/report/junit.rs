//! `--format junit`: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).
//!
//! - One `<testsuite>` per source file, in the order sources first appear, named after the
//!   source (stdin is `stdin`); one `<testcase>` per caption, named after its location (`draft.txt`,
//!   `campaign.csv:row 2 (post p-102)`), with the source as `classname`.
//! - Each error or warning is a `<failure>` whose `type` is the rule code and `message` the
//!   finding's message; its text gives the place (`file:line:column` for a text file, the
//!   record and the line and column in the caption for an export record), the rule, the matched
//!   words, the help and the rule's source.
//! - Advice does not fail a caption (as in the summary's "clean"), so it goes to the test case's
//!   `<system-out>`, one line per finding.
//! - An input that could not be read is a test case with an `<error type="input">`.
//! - `tests` counts test cases, `failures` the test cases with at least one failure and
//!   `errors` the inputs that could not be read, on the root and on each suite.
//!
//! Text is escaped for XML (`& < > " '`; line breaks and tabs as character references inside
//! attributes) and characters XML 1.0 cannot hold (control characters other than tab and line
//! breaks, U+FFFE, U+FFFF) are dropped. The document is written at the end (the root's counts
//! come first); test cases wait for it rendered, in memory and then in a temporary file.

use std::io::{self, Write};

use super::spool::Spool;
use super::{Checked, Reporter, Summary};
use crate::caption::Origin;
use crate::failure::InputError;
use crate::rules::Severity;
use crate::text::line_col;

/// One `<testsuite>`: its source and counts. Its test cases are in the reporter's spool.
struct Suite {
    source: String,
    tests: usize,
    /// Test cases with at least one failure.
    failures: usize,
    /// Inputs that could not be read.
    errors: usize,
}

/// Renders each test case as it comes into a [`Spool`] (constant memory), noting which suite
/// each stretch of the spool belongs to, and writes the document at the end: the root's counts
/// come first.
#[derive(Default)]
pub struct JunitReporter {
    suites: Vec<Suite>,
    /// The index of each suite by source.
    by_source: std::collections::HashMap<String, usize>,
    /// The test cases, rendered, in arrival order.
    cases: Spool,
    /// Stretches of `cases`: (suite, start, end). A source's cases usually come together, so
    /// there is one stretch per source.
    stretches: Vec<(usize, u64, u64)>,
    buf: String,
}

impl JunitReporter {
    pub fn new() -> Self {
        JunitReporter::default()
    }

    fn suite(&mut self, source: &str) -> usize {
        if let Some(&i) = self.by_source.get(source) {
            return i;
        }
        self.suites.push(Suite {
            source: source.to_string(),
            tests: 0,
            failures: 0,
            errors: 0,
        });
        let i = self.suites.len() - 1;
        self.by_source.insert(source.to_string(), i);
        i
    }

    /// Spool the test case rendered in `buf` for the suite of `source`.
    fn add_case(&mut self, source: &str, failed: bool, error: bool) -> io::Result<()> {
        let i = self.suite(source);
        let suite = &mut self.suites[i];
        suite.tests += 1;
        suite.failures += usize::from(failed);
        suite.errors += usize::from(error);
        let start = self.cases.len();
        self.cases.write(self.buf.as_bytes())?;
        let end = self.cases.len();
        match self.stretches.last_mut() {
            Some((suite, _, last_end)) if *suite == i && *last_end == start => *last_end = end,
            _ => self.stretches.push((i, start, end)),
        }
        Ok(())
    }
}

/// Render one test case into `xml`.
fn render_case(
    xml: &mut String,
    name: &str,
    classname: &str,
    failures: &[(String, String, String)],
    error: Option<(&str, &str)>,
    out: &[String],
) {
    use std::fmt::Write as _;
    xml.clear();
    let _ = write!(
        xml,
        "    <testcase name=\"{}\" classname=\"{}\"",
        attr(name),
        attr(classname)
    );
    if failures.is_empty() && out.is_empty() && error.is_none() {
        xml.push_str("/>\n");
        return;
    }
    xml.push_str(">\n");
    for (code, message, body) in failures {
        let _ = writeln!(
            xml,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            attr(code),
            attr(message),
            text(body)
        );
    }
    if let Some((message, body)) = error {
        let _ = writeln!(
            xml,
            "      <error type=\"input\" message=\"{}\">{}</error>",
            attr(message),
            text(body)
        );
    }
    if !out.is_empty() {
        let _ = writeln!(
            xml,
            "      <system-out>{}</system-out>",
            text(&out.join("\n"))
        );
    }
    xml.push_str("    </testcase>\n");
}

/// A source as people read it: stdin (`-`) is `stdin`.
fn shown(source: &str) -> &str {
    if source == "-" { "stdin" } else { source }
}

/// An origin's location as people read it, with stdin as `stdin`.
fn display(origin: &Origin) -> String {
    let mut origin = origin.clone();
    origin.source = shown(&origin.source).to_string();
    origin.display()
}

/// Where a finding is, for people: `draft.txt:1:38` for a text file,
/// `campaign.csv:row 2 (post p-102), caption line 1, column 119` for a record.
fn place(origin: &Origin, line: usize, column: usize) -> String {
    if origin.place.is_none() && origin.record.is_none() {
        format!("{}:{line}:{column}", shown(&origin.source))
    } else if let Some(file_line) = origin
        .line
        .filter(|_| !matches!(origin.place, Some(crate::caption::Place::Line(_))))
    {
        format!(
            "{} at line {file_line} of the file, caption line {line}, column {column}",
            display(origin)
        )
    } else {
        format!("{}, caption line {line}, column {column}", display(origin))
    }
}

impl Reporter for JunitReporter {
    fn result(&mut self, _out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        let caption = checked.caption;
        let origin = &caption.origin;
        let mut failures = Vec::new();
        let mut advice = Vec::new();
        for d in checked.diagnostics {
            let (line, column) = line_col(&caption.text, d.span.start);
            let at = place(origin, line, column);
            let matched = caption.text.get(d.span.clone()).unwrap_or_default();
            if d.severity == Severity::Advice {
                advice.push(format!(
                    "advice: {at}: {} {}: {}; matched: {matched}; help: {}",
                    d.code, d.name, d.message, d.help
                ));
                continue;
            }
            let mut text = format!(
                "{at}: {} {} ({}): {}\nmatched: {matched}\nhelp: {}",
                d.code, d.name, d.severity, d.message, d.help
            );
            if !d.url.is_empty() {
                text.push_str(&format!("\nsee: {}", d.url));
            }
            failures.push((d.code.clone(), d.message.clone(), text));
        }
        let source = shown(&origin.source);
        let mut xml = std::mem::take(&mut self.buf);
        render_case(&mut xml, &display(origin), source, &failures, None, &advice);
        self.buf = xml;
        self.add_case(source, !failures.is_empty(), false)
    }

    fn input_error(&mut self, _out: &mut dyn Write, e: &InputError) -> io::Result<()> {
        let message = match &e.place {
            Some(place) => format!("{place}: {}", e.message),
            None => e.message.clone(),
        };
        let origin = Origin {
            source: e.source.clone(),
            record: e.record.clone(),
            place: e.place.clone(),
            line: None,
        };
        let name = display(&origin);
        let body = match &e.place {
            Some(place) => format!("{}:{place}: {}", shown(&e.source), e.message),
            None => format!("{}: {}", shown(&e.source), e.message),
        };
        let source = shown(&e.source);
        let mut xml = std::mem::take(&mut self.buf);
        render_case(&mut xml, &name, source, &[], Some((&message, &body)), &[]);
        self.buf = xml;
        self.add_case(source, false, true)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let tests: usize = self.suites.iter().map(|s| s.tests).sum();
        let failures: usize = self.suites.iter().map(|s| s.failures).sum();
        let errors: usize = self.suites.iter().map(|s| s.errors).sum();
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"adlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n"
        )?;
        // The stretches of each suite, in order.
        let mut stretches: Vec<Vec<(u64, u64)>> = vec![Vec::new(); self.suites.len()];
        for &(suite, start, end) in &self.stretches {
            stretches[suite].push((start, end));
        }
        for (suite, stretches) in self.suites.iter().zip(stretches) {
            writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
                attr(&suite.source),
                suite.tests,
                suite.failures,
                suite.errors
            )?;
            for (start, end) in stretches {
                self.cases.copy_range(start..end, out)?;
            }
            out.write_all(b"  </testsuite>\n")?;
        }
        out.write_all(b"</testsuites>\n")
    }
}

/// Whether XML 1.0 can hold `c` at all.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| is_xml_char(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A parser turns a raw CR into LF, and line breaks and tabs in attributes into
            // spaces: character references keep them.
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape an attribute value.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

/// Escape element text.
pub fn text(s: &str) -> String {
    escape(s, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_drops_invalid_characters() {
        assert_eq!(
            attr("a<b>&\"c\"'\n\u{1}\u{FFFF}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;&#10;"
        );
        assert_eq!(text("x\ny\u{7}\tz\r"), "x\ny\tz&#13;");
    }
}
