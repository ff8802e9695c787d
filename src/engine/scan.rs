//! What is computed once per caption, whatever the pack: tokens, hashtag walls, folded
//! hashtags and the head.

use std::ops::Range;

use crate::rules::Platform;
use crate::text::{self, Token, TokenKind};

/// What is computed once per caption, whatever the pack.
pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    pub(super) tokens: Vec<Token>,
    pub(super) head_end: usize,
    /// Hashtag walls as ranges of token indices.
    pub(super) walls: Vec<Range<usize>>,
    /// Case-folded hashtag bodies with their spans, folded once for every term list.
    pub(super) hashtags: Vec<(String, Range<usize>)>,
    /// The caption's language, detected when a rule first asks (the detector is costly), once
    /// for every pack.
    pub(super) language: std::cell::OnceCell<Option<whatlang::Lang>>,
}

impl<'a> Scan<'a> {
    pub(super) fn new(text: &'a str, platform: &Platform) -> Self {
        let tokens = text::tokenize(text);
        let walls = hashtag_walls(text, &tokens);
        let hashtags = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Hashtag)
            .map(|t| (text::fold_case(t.body(text)), t.span.clone()))
            .collect();
        Scan {
            text,
            head_end: text::fold_end(text, platform.fold_chars, platform.fold_lines),
            tokens,
            walls,
            hashtags,
            language: std::cell::OnceCell::new(),
        }
    }

    /// Whether `span` cuts through a hashtag, handle or link (it may contain them whole).
    pub(super) fn cuts_token(&self, span: &Range<usize>) -> bool {
        // Tokens are in caption order and do not overlap: look only at those around the span.
        let first = self.tokens.partition_point(|t| t.span.end <= span.start);
        self.tokens[first..]
            .iter()
            .take_while(|t| t.span.start < span.end)
            .any(|t| !(span.start <= t.span.start && t.span.end <= span.end))
    }
}

/// Runs of three or more tokens separated only by spaces, line breaks and `. , · • | / - –`.
pub(super) fn hashtag_walls(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let joined = |a: &Token, b: &Token| {
        text.get(a.span.end..b.span.start).is_some_and(|between| {
            between
                .chars()
                .all(|c| c.is_whitespace() || ".,·•|/-–".contains(c))
        })
    };
    let mut walls = Vec::new();
    let mut start = 0;
    for i in 1..=tokens.len() {
        if i == tokens.len() || !joined(&tokens[i - 1], &tokens[i]) {
            if i - start >= 3 {
                walls.push(start..i);
            }
            start = i;
        }
    }
    walls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    #[test]
    pub(super) fn walls_need_three_tokens() {
        let text = "Beach #summer #ad";
        assert!(hashtag_walls(text, &text::tokenize(text)).is_empty());
        let text = "Fit #ootd #style · #ad\n#more and words #x";
        let walls = hashtag_walls(text, &text::tokenize(text));
        assert_eq!(walls, vec![0..4]);
    }
}
