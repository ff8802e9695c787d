//! A caption or record that could not be read: what the outputs report in place of its findings,
//! with where it is. Readers make them; renderers show them, as they show checked captions.

use crate::caption::Place;

/// A caption or a record that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// A path, URL or `-`.
    pub source: String,
    /// The record id, when the problem is one record of many.
    pub record: Option<String>,
    /// Where the record sits in its file.
    pub place: Option<Place>,
    pub message: String,
}

impl InputError {
    pub fn whole(source: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            source: source.into(),
            record: None,
            place: None,
            message: message.into(),
        }
    }

    /// `posts.jsonl:line 4`, `campaign.csv:row 7`, `draft.txt`.
    pub fn location(&self) -> String {
        match &self.place {
            Some(place) => format!("{}:{place}", self.source),
            None => self.source.clone(),
        }
    }
}
