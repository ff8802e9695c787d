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
use crate::failure::InputError;
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
    let primary = at(d.span.start)..at(d.span.end);
    let window = Window::around(&shown, &primary);
    let inside = |r: &std::ops::Range<usize>| window.as_ref().is_none_or(|w| w.holds(r));
    let local = |r: std::ops::Range<usize>| match &window {
        Some(w) => w.local(r.start)..w.local(r.end),
        None => r,
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(d.label.clone()),
        local(primary.clone()),
    )];
    labels.extend(d.labels.iter().filter_map(|l| {
        let r = at(l.span.start)..at(l.span.end);
        inside(&r).then(|| LabeledSpan::new_with_span(Some(l.text.clone()), local(r)))
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
    let shown = shown.into_owned();
    Report::new(diag).with_source_code(CaptionSource {
        name: terminal::visible(source_name).into_owned(),
        text: match &window {
            Some(w) => w.text(&shown),
            None => shown.clone(),
        },
        full: shown,
        window,
        original,
    })
}

/// Lines longer than this are shown as a window around the finding, not whole: a finding on a
/// 50 KB one-line caption prints a few hundred characters, not the caption again.
const LONG_LINE: usize = 400;

/// Characters shown on each side of the finding in a long line.
const WINDOW_SIDE: usize = 120;

/// The part of a long line shown for a finding, with `…` where the line goes on.
#[derive(Debug, Clone)]
struct Window {
    /// Where the shown part starts and ends in the caption (as shown).
    start: usize,
    end: usize,
    /// Bytes of the `…` put before it (0 when it starts its line).
    lead: usize,
    /// Whether the line goes on after it.
    more: bool,
    /// Line breaks in the caption before `start`.
    lines_before: usize,
}

impl Window {
    /// A window when the finding's lines are long; `None` keeps the caption whole.
    fn around(text: &str, span: &std::ops::Range<usize>) -> Option<Window> {
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[span.end..]
            .find('\n')
            .map_or(text.len(), |i| span.end + i);
        if line_end - line_start <= LONG_LINE {
            return None;
        }
        let back = |from: usize, chars: usize| {
            text[line_start..from]
                .char_indices()
                .rev()
                .nth(chars.saturating_sub(1))
                .map_or(line_start, |(i, _)| line_start + i)
        };
        let ahead = |from: usize, chars: usize| {
            text[from..line_end]
                .char_indices()
                .nth(chars)
                .map_or(line_end, |(i, _)| from + i)
        };
        let start = back(span.start, WINDOW_SIDE);
        let end = ahead(span.end, WINDOW_SIDE);
        Some(Window {
            start,
            end,
            lead: if start > line_start { "…".len() } else { 0 },
            more: end < line_end,
            lines_before: text[..start].matches('\n').count(),
        })
    }

    fn text(&self, full: &str) -> String {
        let lead = if self.lead > 0 { "…" } else { "" };
        let more = if self.more { "…" } else { "" };
        format!("{lead}{}{more}", &full[self.start..self.end])
    }

    fn holds(&self, r: &std::ops::Range<usize>) -> bool {
        self.start <= r.start && r.end <= self.end
    }

    /// An offset of the caption as an offset in the window's text.
    fn local(&self, offset: usize) -> usize {
        offset.clamp(self.start, self.end) - self.start + self.lead
    }

    /// An offset in the window's text as an offset of the caption.
    fn global(&self, offset: usize) -> usize {
        (offset.saturating_sub(self.lead) + self.start).min(self.end)
    }
}

/// A caption as miette source code whose columns count characters, not bytes, so the
/// `[file:line:column]` header agrees with the JSON output.
#[derive(Debug)]
struct CaptionSource {
    name: String,
    /// What miette renders: the caption as shown, or the window of a long line.
    text: String,
    /// The caption as shown: control characters escaped.
    full: String,
    /// The part of a long line shown, if the caption is not shown whole.
    window: Option<Window>,
    /// The caption itself when it differs from `text`: columns count its characters.
    original: Option<String>,
}

struct CharColumns<'a> {
    inner: Box<dyn SpanContents<'a> + 'a>,
    name: &'a str,
    column: usize,
    /// Lines of the caption above what is shown (a window of a long line starts mid-caption).
    lines_before: usize,
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
        self.inner.line() + self.lines_before
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
        // Columns are counted in the whole caption, whatever part of it is shown.
        let start = self.window.as_ref().map_or(start, |w| w.global(start));
        let line_start = self.full[..start].rfind('\n').map_or(0, |n| n + 1);
        let column = match &self.original {
            None => self
                .full
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
            lines_before: self.window.as_ref().map_or(0, |w| w.lines_before),
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

#[cfg(test)]
mod window_tests {
    use super::*;

    fn render(text: &str, span: std::ops::Range<usize>) -> String {
        let d = Diagnostic {
            code: "X001".into(),
            name: "x".into(),
            severity: Severity::Warning,
            message: "m".into(),
            span,
            label: "here".into(),
            labels: Vec::new(),
            help: "h".into(),
            url: "https://example.com".into(),
            fix: None,
        };
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
        let mut out = String::new();
        handler
            .render_report(&mut out, to_report("c.txt", text, &d, false).as_ref())
            .unwrap();
        out
    }

    /// A finding on a long line shows a window around it, with its true line and column.
    #[test]
    fn a_long_line_is_shown_as_a_window() {
        let text = format!(
            "first line\n{}é #ad {}",
            "sunny day ".repeat(5000),
            "x".repeat(900)
        );
        let at = text.find("#ad").unwrap();
        let out = render(&text, at..at + 3);
        assert!(out.len() < 2_000, "{} bytes", out.len());
        let column = text[11..at].chars().count() + 1;
        assert!(out.contains(&format!("[c.txt:2:{column}]")), "{out}");
        assert!(out.contains(" │ …") && out.contains("x…\n"), "{out}");
        assert!(out.contains("é #ad xxx"), "{out}");
        // A short caption is shown whole, as before.
        let out = render("short #ad line", 6..9);
        assert!(out.contains(" short #ad line"), "{out}");
        assert!(!out.contains('…'), "{out}");
    }
}
