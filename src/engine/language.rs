//! The caption's language, for the `language` check.

use super::context::Ctx;
use crate::text::{self, Token};

impl<'a> Ctx<'a> {
    pub(super) fn language(&self) -> Option<whatlang::Lang> {
        *self
            .scan
            .language
            .get_or_init(|| detect_language(self.text(), self.scan.tokens))
    }
}

/// Detect the caption's language on its words, without hashtags, handles, links or emoji.
/// `None` unless the detector is confident and the text is long enough to trust it.
/// Han, kana and hangul: scripts whose captions count as long enough from 10 characters.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{F900}'..='\u{FAFF}')
}

pub(super) fn detect_language(text: &str, tokens: &[Token]) -> Option<whatlang::Lang> {
    let mut clean = String::with_capacity(text.len());
    let mut last = 0;
    for t in tokens {
        clean.push_str(&text[last..t.span.start]);
        clean.push(' ');
        last = t.span.end;
    }
    clean.push_str(&text[last..]);
    let clean: String = clean
        .chars()
        .map(|c| if text::is_emoji(c) { ' ' } else { c })
        .collect();
    let letters = clean.chars().filter(|c| c.is_alphabetic()).count();
    let words = clean
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    // Too short for any language to count as confident: skip the (costly) detector.
    if letters < 10 || (letters < 20 || words < 5) && !clean.chars().any(is_cjk) {
        return None;
    }
    let info = whatlang::detect(&clean)?;
    let cjk = matches!(
        info.lang(),
        whatlang::Lang::Jpn | whatlang::Lang::Kor | whatlang::Lang::Cmn
    );
    let long_enough = if cjk {
        letters >= 10
    } else {
        letters >= 20 && words >= 5
    };
    (long_enough && info.is_reliable()).then(|| info.lang())
}
