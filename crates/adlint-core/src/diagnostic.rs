//! Findings: what a rule found in a caption, where, and what to do about it.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How serious a finding is. Ordered: `Advice < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Advice,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "advice" => Some(Severity::Advice),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary label: more context at another place in the caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Range<usize>,
    pub text: String,
}

/// How sure a fix is to be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Keeps the caption's meaning: `#sp` → `#ad`, moving a disclosure to the start.
    Safe,
    /// Asserts something only the user knows (that there is a brand relationship).
    Unsafe,
}

/// Replace `start..end` (bytes) with `text`. (Fields in alphabetical order: the JSON output's
/// key order.)
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    pub end: usize,
    pub start: usize,
    pub text: String,
}

/// Edits that repair a finding; applied together or not at all. (Fields in alphabetical order:
/// the JSON output's key order.)
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub safety: Safety,
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
    /// How `adlint fix` repairs it, when it can.
    pub fix: Option<Fix>,
}

/// Stable order: by position, then by code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, &a.code, a.span.end).cmp(&(b.span.start, &b.code, b.span.end))
    });
}

impl Diagnostic {
    /// A bare error finding, for tests of code that takes findings.
    #[doc(hidden)]
    pub fn sample(code: &str, span: Range<usize>) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            name: "name".into(),
            severity: Severity::Error,
            message: String::new(),
            span,
            label: String::new(),
            labels: Vec::new(),
            help: String::new(),
            url: String::new(),
            fix: None,
        }
    }
}
