//! A caption and where it came from: a text file, stdin, a record of an export or a URL.

use std::fmt;

/// Where in a file a record sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A 1-based line (JSONL).
    Line(usize),
    /// A 1-based data row, not counting the header (CSV, TSV, XLSX).
    Row(usize),
    /// A JSON pointer to the record (`/posts/3`).
    Pointer(String),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(n) => write!(f, "line {n}"),
            Place::Row(n) => write!(f, "row {n}"),
            Place::Pointer(p) => f.write_str(p),
        }
    }
}

/// Where a caption was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// A path, a URL or `-` for stdin.
    pub source: String,
    /// The record id within a file of many records (the id field, or the line or row number).
    pub record: Option<String>,
    /// Where the record sits in its file.
    pub place: Option<Place>,
    /// The 1-based line of the file where the record starts, when known (JSONL, CSV, TSV).
    pub line: Option<usize>,
}

impl Origin {
    pub fn file(source: impl Into<String>) -> Self {
        Origin {
            source: source.into(),
            record: None,
            place: None,
            line: None,
        }
    }

    /// How people read the location: `draft.txt`, `campaign.csv:row 12 (post p-123)`.
    pub fn display(&self) -> String {
        let number = |p: &Place| match p {
            Place::Line(n) | Place::Row(n) => Some(n.to_string()),
            Place::Pointer(_) => None,
        };
        match (&self.place, &self.record) {
            (Some(place), Some(record)) if number(place).as_ref() != Some(record) => {
                format!("{}:{place} (post {record})", self.source)
            }
            (Some(place), _) => format!("{}:{place}", self.source),
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
    /// Who posted it (an export's creator, handle or author column), for audit summaries.
    pub creator: Option<String>,
    /// The markets (jurisdiction codes, `uk`, `de`) whose packs apply to this caption. Empty
    /// means the rule set's run-level markets ([`crate::RuleSet::markets`]).
    pub markets: Vec<String>,
    /// Whether the platform's own "Paid partnership" label is shown on the post (an export's
    /// `paid_partnership_label` column): declared sponsored everywhere, a label only where a
    /// pack says so (`platform-label`).
    pub paid_partnership_label: Option<bool>,
    /// For a published post: the page the caption is (or is to be) fetched from.
    pub fetched: Option<Fetched>,
    /// The published post's URL, when the record names one (an export's URL column).
    pub url: Option<String>,
}

/// A caption that comes from a published post's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The post's URL; after fetching, the page that answered (the last redirect's target).
    pub url: String,
    /// Where in the page the caption was found (`og:description`); `None` until fetched.
    pub field: Option<String>,
}

impl Fetched {
    /// A post still to fetch.
    pub fn pending(url: impl Into<String>) -> Self {
        Fetched {
            url: url.into(),
            field: None,
        }
    }
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
            creator: None,
            fetched: None,
            url: None,
            markets: Vec::new(),
            paid_partnership_label: None,
        }
    }

    /// Whether the text is still to be fetched from the post's page.
    pub fn needs_fetch(&self) -> bool {
        self.fetched.as_ref().is_some_and(|f| f.field.is_none())
    }

    /// How people read where a fetched caption came from: `caption from og:description`, with
    /// the page when it is not the source (a record's URL, a redirect).
    pub fn fetched_note(&self) -> Option<String> {
        let fetched = self.fetched.as_ref()?;
        let field = fetched.field.as_ref()?;
        Some(if fetched.url == self.origin.source {
            format!("caption from {field}")
        } else {
            format!("caption from {field} of {}", fetched.url)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_naturally() {
        let mut o = Origin::file("campaign.csv");
        o.place = Some(Place::Row(12));
        o.record = Some("p-123".into());
        assert_eq!(o.display(), "campaign.csv:row 12 (post p-123)");
        o.record = Some("12".into());
        assert_eq!(o.display(), "campaign.csv:row 12");
        o.place = Some(Place::Pointer("/posts/3".into()));
        assert_eq!(o.display(), "campaign.csv:/posts/3 (post 12)");
    }
}
