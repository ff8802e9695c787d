//! A caption and where it came from: a text file, stdin, a record of an export or a URL.

/// Where a caption was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// A path, a URL or `-` for stdin.
    pub source: String,
    /// The record id within a file of many records (the `id` field or the line number).
    pub record: Option<String>,
    /// The 1-based line of the file where the record starts, for exports.
    pub line: Option<usize>,
}

impl Origin {
    pub fn file(source: impl Into<String>) -> Self {
        Origin {
            source: source.into(),
            record: None,
            line: None,
        }
    }

    /// How people read the location: `draft.txt`, `posts.jsonl:line 12 (post p-123)`.
    pub fn display(&self) -> String {
        match (&self.line, &self.record) {
            (Some(line), Some(record)) if *record != line.to_string() => {
                format!("{}:line {line} (post {record})", self.source)
            }
            (Some(line), _) => format!("{}:line {line}", self.source),
            (None, Some(record)) => format!("{} (post {record})", self.source),
            (None, None) => self.source.clone(),
        }
    }
}

/// A caption to check, with what is known about its post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption {
    pub text: String,
    pub origin: Origin,
    /// Platform name or alias as given; unknown or missing means the generic fold.
    pub platform: Option<String>,
    /// `Some(true)` declared sponsored, `Some(false)` declared not sponsored.
    pub sponsored: Option<bool>,
    /// Brands the creator works with (declared, not guessed).
    pub brands: Vec<String>,
}

impl Caption {
    /// A caption with no context, for tests and examples.
    pub fn new(text: impl Into<String>) -> Self {
        Caption {
            text: text.into(),
            origin: Origin::file("-"),
            platform: None,
            sponsored: None,
            brands: Vec::new(),
        }
    }
}
