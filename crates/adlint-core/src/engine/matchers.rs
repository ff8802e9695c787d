//! The matchers of a term list: built-in lists, hashtags, labels, phrases and links, with the
//! checks that decide whether a raw match counts (label positions, negation, givers).

use std::ops::Range;

use super::context::{Ctx, Match};
use super::prefilter;
use crate::rules::pattern::is_code_like;
use crate::rules::{Builtin, LabelMatcher, LinkMatcher, SuffixMatcher, TermList};
use crate::text::{self, TokenKind};

impl<'a> Ctx<'a> {
    /// Each matcher adds its matches to `found`, as matches of list `i`.
    pub(super) fn builtin(&self, b: Builtin, i: usize, found: &mut Vec<Match>) {
        let own = |span: Range<usize>| Match { span, list: i };
        let kind = match b {
            Builtin::Handle => TokenKind::Handle,
            Builtin::Link => TokenKind::Link,
            Builtin::Hashtag => TokenKind::Hashtag,
            Builtin::DeclaredBrand => {
                found.extend(
                    self.scan
                        .brand_keys
                        .iter()
                        .flat_map(|k| text::find_brand(self.text(), self.scan.tokens, k))
                        .map(own),
                );
                return;
            }
        };
        found.extend(
            self.scan
                .tokens
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| own(t.span.clone())),
        );
    }

    pub(super) fn hashtag_matches(&self, i: usize, list: &TermList, found: &mut Vec<Match>) {
        if list.suffix.is_none() && !prefilter::is_set(&self.tagged, i) {
            return;
        }
        found.extend(
            self.scan
                .hashtags()
                .zip(&self.tag_lists)
                .filter(|((body, _), lists)| {
                    lists.contains(&i)
                        || list.suffix.as_ref().is_some_and(|s| suffix_match(s, body))
                })
                .map(|((_, span), _)| Match {
                    span: span.clone(),
                    list: i,
                }),
        );
    }

    pub(super) fn label_matches(&self, labels: &LabelMatcher, i: usize, found: &mut Vec<Match>) {
        if !self.candidate(labels.set_index) {
            return;
        }
        let text = self.text();
        found.extend(
            labels
                .regex
                .get()
                .find_iter(text)
                .map(|m| m.range())
                .filter(|span| text::is_whole_word(text, span) && !self.scan.cuts_token(span))
                .filter(|span| label_position(text, span, labels))
                .map(|span| Match { span, list: i }),
        );
    }

    pub(super) fn phrase_matches(&self, list: &TermList, i: usize, found: &mut Vec<Match>) {
        let text = self.text();
        for phrase in list.phrases.iter().filter(|p| self.candidate(p.set_index)) {
            // Capture groups cost a slower regex engine: only phrases with a `{giver}` or
            // `{code}` to check after the match ask for them.
            let needs_groups = phrase.checks.code || phrase.checks.giver;
            let mut at = 0;
            while at <= text.len() {
                let Some((whole, caps)) = find_phrase(phrase.regex.get(), text, at, needs_groups)
                else {
                    break;
                };
                let valid = |whole: &Range<usize>, caps: &Option<regex::Captures<'_>>| {
                    let group = |name: &str| caps.as_ref().and_then(|c| c.name(name));
                    !whole.is_empty()
                        && text::is_whole_word(text, whole)
                        && !self.scan.cuts_token(whole)
                        && (!phrase.checks.code
                            || group("code").is_some_and(|c| is_code_like(c.as_str())))
                        && (!phrase.checks.giver
                            || group("giver").is_some_and(|g| self.valid_giver(g.range())))
                };
                // A match that stops inside a word may have taken a shorter alternative
                // ("pakke" of "pakke|pakken" in "pakken"): the same phrase bounded at a word end,
                // from the same start, finds the longer one if there is one.
                let (whole, ok) = if valid(&whole, &caps) {
                    (whole, true)
                } else if ends_inside_word(text, &whole)
                    && let Some(bounded) = phrase.bounded()
                    && let Some((longer, longer_caps)) =
                        find_phrase(bounded, text, whole.start, needs_groups)
                    && longer.start == whole.start
                    && valid(&longer, &longer_caps)
                {
                    (longer, true)
                } else {
                    (whole, false)
                };
                if ok {
                    at = whole.end.max(at + 1);
                    found.push(Match {
                        span: whole,
                        list: i,
                    });
                } else {
                    at = whole.start + text[whole.start..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
    }

    /// A giver is an @handle, a declared brand, or 1-4 capitalised words that do not start a
    /// sentence and are not family or friends.
    pub(super) fn valid_giver(&self, span: Range<usize>) -> bool {
        let text = self.text();
        let giver = &text[span.clone()];
        if giver.starts_with('@') {
            return true;
        }
        let declared = self.scan.brand_keys.iter().any(|k| {
            text::find_brand(text, self.scan.tokens, k)
                .iter()
                .any(|b| b.start == span.start)
        });
        if declared {
            return true;
        }
        let words: Vec<&str> = giver.split_whitespace().collect();
        let capitalised = words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        let family = words
            .iter()
            .any(|w| self.pack.not_givers.contains(&text::fold_case(w)));
        capitalised && !family && !text::starts_sentence(text, span.start)
    }

    pub(super) fn link_matches(&self, links: &LinkMatcher, i: usize, found: &mut Vec<Match>) {
        let text = self.text();
        found.extend(
            self.scan
                .tokens
                .iter()
                .filter(|t| t.kind == TokenKind::Link && link_match(links, &text[t.span.clone()]))
                .map(|t| Match {
                    span: t.span.clone(),
                    list: i,
                }),
        );
    }
}

/// The next match of a phrase from `at`, with its capture groups when they are needed.
pub(super) fn find_phrase<'t>(
    regex: &regex::Regex,
    text: &'t str,
    at: usize,
    groups: bool,
) -> Option<(Range<usize>, Option<regex::Captures<'t>>)> {
    if groups {
        let caps = regex.captures_at(text, at)?;
        Some((caps.get(0).map_or(at..at, |m| m.range()), Some(caps)))
    } else {
        regex.find_at(text, at).map(|m| (m.range(), None))
    }
}

/// Whether a match ends between two word characters.
pub(super) fn ends_inside_word(text: &str, span: &Range<usize>) -> bool {
    let last = text[..span.end].chars().next_back();
    let next = text[span.end..].chars().next();
    last.is_some_and(text::is_word_char) && next.is_some_and(text::is_word_char)
}

pub(super) fn suffix_match(s: &SuffixMatcher, body: &str) -> bool {
    s.suffixes.iter().any(|suffix| {
        let Some(stem) = body.strip_suffix(suffix.as_str()) else {
            return false;
        };
        let stem = stem.strip_suffix('_').unwrap_or(stem);
        let clean: String = stem.chars().filter(|c| *c != '_').collect();
        clean.chars().filter(|c| c.is_alphanumeric()).count() >= s.stem_min
            && !s.stem_exclude.contains(&clean)
    })
}

/// Whether a label word sits where it reads as a label.
pub(super) fn label_position(text: &str, span: &Range<usize>, labels: &LabelMatcher) -> bool {
    let forms = labels.forms;
    let word = &text[span.clone()];
    let before = text[..span.start].trim_end_matches([' ', '\t']);
    let after = text[span.end..].trim_start_matches([' ', '\t']);
    let prev = before.chars().next_back();
    let next = after.chars().next();
    let line_start = text::at_line_start(text, span.start);
    let separator = |c: char| ":|-–—•/：".contains(c);
    if forms.line_start && line_start {
        let followed = match next {
            None => true,
            Some(c) => c == '\n' || c == '\r' || separator(c) || text::is_emoji(c),
        };
        if followed {
            return true;
        }
    }
    let capitals = word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase);
    if forms.capitals && line_start && capitals {
        return true;
    }
    if forms.bracket
        && prev.is_some_and(|c| "[(【".contains(c))
        && next.is_some_and(|c| "])】".contains(c))
    {
        return true;
    }
    if forms.colon && next.is_some_and(|c| c == ':' || c == '：') {
        return true;
    }
    if forms.pipe_after && next == Some('|') {
        return true;
    }
    forms.pipe_before && prev == Some('|')
}

/// Whether one of the `window` words before `at`, in the same clause, is a negator.
pub(super) fn is_negated(text: &str, at: usize, negators: &[String], window: usize) -> bool {
    // Walk back from the match over at most `window` words of its clause: never further, so a
    // long caption costs no more per match than a short one.
    let in_word = |c: char| text::is_word_char(c) || c == '\'' || c == '’' || c == '#';
    let negates = |word: &str| negators.contains(&text::fold_case(word));
    let mut seen = 0;
    let mut word_end: Option<usize> = None;
    for (i, c) in text[..at].char_indices().rev() {
        if in_word(c) {
            word_end.get_or_insert(i + c.len_utf8());
            continue;
        }
        if let Some(end) = word_end.take() {
            if negates(&text[i + c.len_utf8()..end]) {
                return true;
            }
            seen += 1;
            if seen == window {
                return false;
            }
        }
        if matches!(c, '.' | '!' | '?' | ';' | ':' | '\n' | '\r') {
            return false;
        }
    }
    word_end.is_some_and(|end| negates(&text[..end]))
}

pub(super) fn link_match(links: &LinkMatcher, link: &str) -> bool {
    let lower = link.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let host_is = |h: &str| host == h || host.ends_with(&format!(".{h}"));
    if links.hosts.iter().any(|h| host_is(h)) {
        return true;
    }
    if links.prefixes.iter().any(|p| rest.starts_with(p.as_str())) {
        return true;
    }
    let query = rest.find('?').map_or("", |q| &rest[q + 1..]);
    let params: Vec<&str> = query
        .split(['&', '#'])
        .filter_map(|kv| kv.split('=').next())
        .collect();
    if params.iter().any(|p| links.params.iter().any(|l| l == p)) {
        return true;
    }
    let host_labels: Vec<&str> = host.split('.').collect();
    links.host_params.iter().any(|(label, names)| {
        host_labels.contains(&label.as_str()) && params.iter().any(|p| names.iter().any(|n| n == p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn negation_stops_at_clause_ends() {
        let neg = vec!["not".to_string(), "no".to_string()];
        let text = "this is not an ad";
        assert!(is_negated(text, text.len() - 2, &neg, 3));
        let text = "Not sure yet! #ad";
        assert!(!is_negated(text, text.len() - 3, &neg, 3));
        let text = "not one bit of this was sponsored";
        assert!(!is_negated(text, text.len() - 9, &neg, 3));
        // The first word of the caption counts, and so does a word right after a clause end.
        let text = "no #ad";
        assert!(is_negated(text, 3, &neg, 3));
        let text = "Great day; not a #ad";
        assert!(is_negated(text, text.len() - 3, &neg, 3));
    }

    /// A long caption's findings are those of a short one: each match looks at its own

    #[test]
    pub(super) fn links_match_hosts_prefixes_and_params() {
        let links = LinkMatcher {
            hosts: vec!["amzn.to".into()],
            prefixes: vec!["amazon.com/shop/".into()],
            params: vec!["ascsubtag".into()],
            host_params: vec![("amazon".into(), vec!["tag".into()])],
        };
        assert!(link_match(&links, "https://amzn.to/3xY"));
        assert!(link_match(&links, "https://www.amazon.com/shop/tia"));
        assert!(link_match(
            &links,
            "https://www.amazon.co.uk/dp/B0?tag=me-21"
        ));
        assert!(!link_match(&links, "https://example.com/?tag=x"));
        assert!(!link_match(
            &links,
            "https://www.amazon.com/dp/B0?utm_source=x"
        ));
    }
}
