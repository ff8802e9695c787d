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
//! breaks, U+FFFE, U+FFFF) are dropped. The document is written at the end.

use std::io::{self, Write};

use super::{Checked, Reporter, Summary};
use crate::caption::Origin;
use crate::input::InputError;
use crate::rules::Severity;
use crate::text::line_col;

struct Failure {
    code: String,
    message: String,
    text: String,
}

struct Case {
    name: String,
    failures: Vec<Failure>,
    out: Vec<String>,
    /// An input that could not be read: (message, text).
    error: Option<(String, String)>,
}

struct Suite {
    source: String,
    cases: Vec<Case>,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| !c.failures.is_empty()).count()
    }

    fn errors(&self) -> usize {
        self.cases.iter().filter(|c| c.error.is_some()).count()
    }
}

/// Collects test cases per source and writes the document at the end.
#[derive(Default)]
pub struct JunitReporter {
    suites: Vec<Suite>,
}

impl JunitReporter {
    pub fn new() -> Self {
        JunitReporter { suites: Vec::new() }
    }

    fn suite(&mut self, source: &str) -> &mut Suite {
        let i = match self.suites.iter().position(|s| s.source == source) {
            Some(i) => i,
            None => {
                self.suites.push(Suite {
                    source: source.to_string(),
                    cases: Vec::new(),
                });
                self.suites.len() - 1
            }
        };
        &mut self.suites[i]
    }
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
        let mut case = Case {
            name: display(origin),
            failures: Vec::new(),
            out: Vec::new(),
            error: None,
        };
        for d in checked.diagnostics {
            let (line, column) = line_col(&caption.text, d.span.start);
            let at = place(origin, line, column);
            let matched = caption.text.get(d.span.clone()).unwrap_or_default();
            if d.severity == Severity::Advice {
                case.out.push(format!(
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
            case.failures.push(Failure {
                code: d.code.clone(),
                message: d.message.clone(),
                text,
            });
        }
        self.suite(shown(&origin.source)).cases.push(case);
        Ok(())
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
        let text = match &e.place {
            Some(place) => format!("{}:{place}: {}", shown(&e.source), e.message),
            None => format!("{}: {}", shown(&e.source), e.message),
        };
        self.suite(shown(&e.source)).cases.push(Case {
            name,
            failures: Vec::new(),
            out: Vec::new(),
            error: Some((message, text)),
        });
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let tests: usize = self.suites.iter().map(|s| s.cases.len()).sum();
        let failures: usize = self.suites.iter().map(Suite::failures).sum();
        let errors: usize = self.suites.iter().map(Suite::errors).sum();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.push_str(&format!(
            "<testsuites name=\"adlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n"
        ));
        for suite in &self.suites {
            xml.push_str(&format!(
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">\n",
                attr(&suite.source),
                suite.cases.len(),
                suite.failures(),
                suite.errors()
            ));
            for case in &suite.cases {
                let open = format!(
                    "    <testcase name=\"{}\" classname=\"{}\"",
                    attr(&case.name),
                    attr(&suite.source)
                );
                if case.failures.is_empty() && case.out.is_empty() && case.error.is_none() {
                    xml.push_str(&open);
                    xml.push_str("/>\n");
                    continue;
                }
                xml.push_str(&open);
                xml.push_str(">\n");
                for f in &case.failures {
                    xml.push_str(&format!(
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                        attr(&f.code),
                        attr(&f.message),
                        text(&f.text)
                    ));
                }
                if let Some((message, body)) = &case.error {
                    xml.push_str(&format!(
                        "      <error type=\"input\" message=\"{}\">{}</error>\n",
                        attr(message),
                        text(body)
                    ));
                }
                if !case.out.is_empty() {
                    xml.push_str(&format!(
                        "      <system-out>{}</system-out>\n",
                        text(&case.out.join("\n"))
                    ));
                }
                xml.push_str("    </testcase>\n");
            }
            xml.push_str("  </testsuite>\n");
        }
        xml.push_str("</testsuites>\n");
        out.write_all(xml.as_bytes())
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
