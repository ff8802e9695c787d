//! Findings: what a rule found in a caption, where, and what to do about it.

use std::ops::Range;

use crate::rules::Severity;

/// A secondary label: more context at another place in the caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Range<usize>,
    pub text: String,
}

/// One finding. Spans are byte offsets into the caption text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub message: String,
    pub span: Range<usize>,
    /// Text for the label on `span`.
    pub label: String,
    /// Other places worth pointing at (where the fold falls, the hashtag wall).
    pub labels: Vec<Label>,
    pub help: String,
    pub url: String,
}

/// Stable order: by position, then by code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, &a.code, a.span.end).cmp(&(b.span.start, &b.code, b.span.end))
    });
}
