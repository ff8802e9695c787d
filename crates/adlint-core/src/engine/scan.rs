//! What is computed once per caption, whatever the pack: tokens, hashtag walls, folded
//! hashtags and the head.

use std::ops::Range;

use crate::rules::Platform;
use crate::text::{self, Token, TokenKind};

/// What is computed once per caption, whatever the pack.
pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    pub(super) tokens: &'a [Token],
    /// Whether the caption has a link.
    pub(super) has_links: bool,
    /// Where the head ends (the fold), worked out when a rule first asks.
    head_end: std::cell::OnceCell<usize>,
    fold: (usize, Option<usize>),
    /// Hashtag walls as ranges of token indices.
    pub(super) walls: &'a [Range<usize>],
    /// The caption's hashtag bodies, case-folded once for every term list, one after another.
    folded: &'a str,
    /// Each hashtag: its folded body in `folded`, and its span in the caption.
    hashtags: &'a [(Range<usize>, Range<usize>)],
    /// The declared brands as [`text::brand_key`]s (empty ones left out).
    pub(super) brand_keys: &'a [String],
    /// The caption's language, detected when a rule first asks (the detector is costly), once
    /// for every pack.
    pub(super) language: std::cell::OnceCell<Option<whatlang::Lang>>,
}

/// The buffers a [`Scan`] lives in, reused from caption to caption.
#[derive(Default)]
pub(super) struct ScanBuffers {
    tokens: Vec<Token>,
    walls: Vec<Range<usize>>,
    folded: String,
    hashtags: Vec<(Range<usize>, Range<usize>)>,
    brand_keys: Vec<String>,
}

impl<'a> Scan<'a> {
    pub(super) fn new(
        text: &'a str,
        brands: &[String],
        platform: &Platform,
        buffers: &'a mut ScanBuffers,
    ) -> Self {
        let ScanBuffers {
            tokens,
            walls,
            folded,
            hashtags,
            brand_keys,
        } = buffers;
        text::tokenize_into(text, tokens);
        hashtag_walls(text, tokens, walls);
        folded.clear();
        hashtags.clear();
        for t in tokens.iter().filter(|t| t.kind == TokenKind::Hashtag) {
            let start = folded.len();
            text::fold_case_into(t.body(text), folded);
            hashtags.push((start..folded.len(), t.span.clone()));
        }
        brand_keys.clear();
        brand_keys.extend(
            brands
                .iter()
                .map(|b| text::brand_key(b))
                .filter(|k| !k.is_empty()),
        );
        Scan {
            text,
            has_links: tokens.iter().any(|t| t.kind == TokenKind::Link),
            head_end: std::cell::OnceCell::new(),
            fold: (platform.fold_chars, platform.fold_lines),
            tokens,
            walls,
            folded,
            hashtags,
            brand_keys,
            language: std::cell::OnceCell::new(),
        }
    }

    /// Where the head (the text before the platform's fold) ends, as a byte offset.
    pub(super) fn head_end(&self) -> usize {
        *self
            .head_end
            .get_or_init(|| text::fold_end(self.text, self.fold.0, self.fold.1))
    }

    /// The caption's hashtags: each folded body with its span.
    pub(super) fn hashtags(&self) -> impl Iterator<Item = (&'a str, &'a Range<usize>)> + 'a {
        let folded = self.folded;
        self.hashtags
            .iter()
            .map(move |(body, span)| (&folded[body.clone()], span))
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
pub(super) fn hashtag_walls(text: &str, tokens: &[Token], walls: &mut Vec<Range<usize>>) {
    let joined = |a: &Token, b: &Token| {
        text.get(a.span.end..b.span.start).is_some_and(|between| {
            between
                .chars()
                .all(|c| c.is_whitespace() || ".,·•|/-–".contains(c))
        })
    };
    walls.clear();
    let mut start = 0;
    for i in 1..=tokens.len() {
        if i == tokens.len() || !joined(&tokens[i - 1], &tokens[i]) {
            if i - start >= 3 {
                walls.push(start..i);
            }
            start = i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    #[test]
    fn walls_need_three_tokens() {
        let mut walls = Vec::new();
        let text = "Beach #summer #ad";
        hashtag_walls(text, &text::tokenize(text), &mut walls);
        assert!(walls.is_empty());
        let text = "Fit #ootd #style · #ad\n#more and words #x";
        hashtag_walls(text, &text::tokenize(text), &mut walls);
        assert_eq!(walls, vec![0..4]);
    }
}
