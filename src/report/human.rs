//! `--format human`: one miette diagnostic per finding, with the caption as its source, a label
//! on the exact words, help with the fix, and the rule's code and source.

use std::borrow::Cow;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError, Report,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Checked, Reporter, Summary};
use crate::diagnostic::{Diagnostic, Safety};
use crate::input::InputError;
use crate::rules::Severity;
use crate::terminal;

/// Renders findings for people.
pub struct HumanReporter {
    handler: GraphicalReportHandler,
    /// `--quiet`: captions without findings are not listed.
    quiet: bool,
}

impl HumanReporter {
    /// `width` is the terminal width to wrap at; colour off gives plain text for files and tests.
    pub fn new(color: bool, width: usize) -> Self {
        Self::with_quiet(color, width, false)
    }

    /// As [`HumanReporter::new`]; with `quiet`, only captions with findings (and input errors
    /// and the summary) are printed.
    pub fn with_quiet(color: bool, width: usize, quiet: bool) -> Self {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        HumanReporter {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false),
            quiet,
        }
    }

    fn render(&self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        let mut s = String::new();
        self.handler
            .render_report(&mut s, report.as_ref())
            .map_err(io::Error::other)?;
        out.write_all(s.as_bytes())?;
        writeln!(out)
    }
}

/// A finding as a miette report over its caption. `published`: the caption was fetched from a
/// live post, which `adlint fix` cannot edit, so the fix hint speaks of the post's text.
///
/// Control characters in the caption and its name are shown escaped ([`terminal::visible`]),
/// and the spans moved to match, so the underline stays under the words it marks.
pub fn to_report(source_name: &str, text: &str, d: &Diagnostic, published: bool) -> Report {
    let shown = terminal::visible(text);
    let at = |offset: usize| match &shown {
        Cow::Borrowed(_) => offset,
        Cow::Owned(_) => terminal::visible_offset(text, offset),
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(d.label.clone()),
        at(d.span.start)..at(d.span.end),
    )];
    labels.extend(d.labels.iter().map(|l| {
        LabeledSpan::new_with_span(Some(l.text.clone()), at(l.span.start)..at(l.span.end))
    }));
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Advice => miette::Severity::Advice,
    };
    let diag = MietteDiagnostic::new(d.message.clone())
        .with_code(format!("{} {}", d.code, d.name))
        .with_severity(severity)
        .with_url(d.url.clone())
        .with_help(match (d.fix.as_ref().map(|f| f.safety), published) {
            (None, _) => d.help.clone(),
            (Some(_), true) => format!(
                "{}\nedit the post; `adlint fix` can rewrite its caption saved to a file",
                d.help
            ),
            (Some(Safety::Safe), false) => format!("{}\nfixable with `adlint fix`", d.help),
            (Some(Safety::Unsafe), false) => format!(
                "{}\nfixable with `adlint fix --unsafe-fixes` (it asserts a brand relationship)",
                d.help
            ),
        })
        .with_labels(labels);
    let original = match &shown {
        Cow::Borrowed(_) => None,
        Cow::Owned(_) => Some(text.to_string()),
    };
    Report::new(diag).with_source_code(CaptionSource {
        name: terminal::visible(source_name).into_owned(),
        text: shown.into_owned(),
        original,
    })
}

/// A caption as miette source code whose columns count characters, not bytes, so the
/// `[file:line:column]` header agrees with the JSON output.
#[derive(Debug)]
struct CaptionSource {
    name: String,
    /// The caption as shown: control characters escaped.
    text: String,
    /// The caption itself when it differs from `text`: columns count its characters.
    original: Option<String>,
}

struct CharColumns<'a> {
    inner: Box<dyn SpanContents<'a> + 'a>,
    name: &'a str,
    column: usize,
}

impl<'a> SpanContents<'a> for CharColumns<'a> {
    fn data(&self) -> &'a [u8] {
        self.inner.data()
    }
    fn span(&self) -> &SourceSpan {
        self.inner.span()
    }
    fn name(&self) -> Option<&str> {
        Some(self.name)
    }
    fn line(&self) -> usize {
        self.inner.line()
    }
    fn column(&self) -> usize {
        self.column
    }
    fn line_count(&self) -> usize {
        self.inner.line_count()
    }
}

impl SourceCode for CaptionSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let start = inner.span().offset().min(self.text.len());
        let line_start = start.saturating_sub(inner.column());
        let column = match &self.original {
            None => self
                .text
                .get(line_start..start)
                .map_or(inner.column(), |s| s.chars().count()),
            Some(original) => {
                let start = terminal::original_offset(original, start);
                let line_start = original[..start].rfind('\n').map_or(0, |n| n + 1);
                original[line_start..start].chars().count()
            }
        };
        Ok(Box::new(CharColumns {
            inner,
            name: &self.name,
            column,
        }))
    }
}

/// How people read a caption's place: `campaign.csv:row 2 (post p-102, line 5)`. A row of a
/// CSV or TSV export also names the line of the file where it starts (a quoted cell may span
/// lines, so rows and lines differ); a JSONL record's place is already its line.
fn located(origin: &crate::caption::Origin) -> String {
    let shown = origin.display();
    match (&origin.place, origin.line) {
        (Some(crate::caption::Place::Row(_)), Some(line)) => match shown.strip_suffix(')') {
            Some(open) => format!("{open}, line {line})"),
            None => format!("{shown} (line {line})"),
        },
        _ => shown,
    }
}

impl Reporter for HumanReporter {
    fn result(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
        let name = located(&checked.caption.origin);
        // A fetched caption says where in the page it was found.
        let note = checked.caption.fetched_note();
        let baselined = match checked.baselined {
            0 => String::new(),
            n => format!("{} already in the baseline", super::plural(n, "finding")),
        };
        if checked.diagnostics.is_empty() {
            if self.quiet {
                return Ok(());
            }
            let note = note.map(|n| format!("; {n}")).unwrap_or_default();
            if !baselined.is_empty() {
                return writeln!(
                    out,
                    "✓ {name}: no new disclosure problems ({baselined}) ({}){note}\n",
                    checked.platform
                );
            }
            return writeln!(
                out,
                "✓ {name}: no disclosure problems found ({}){note}\n",
                checked.platform
            );
        }
        if let Some(note) = note {
            writeln!(out, "{name}: {note}\n")?;
        }
        if !baselined.is_empty() {
            writeln!(out, "{name}: {baselined}, not shown\n")?;
        }
        let published = checked.caption.fetched.is_some();
        for d in checked.diagnostics {
            self.render(out, &to_report(&name, &checked.caption.text, d, published))?;
        }
        Ok(())
    }

    fn input_error(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        let diag = MietteDiagnostic::new(format!("{}: {}", error.location(), error.message))
            .with_code("adlint::input")
            .with_help("this input was not checked; the others were");
        self.render(out, &Report::new(diag))
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(out, "Checked {}.", s.counts())
    }
}
