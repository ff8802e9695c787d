//! Phrase patterns: regular expressions with named placeholders.
//!
//! Rule authors write `"gifted by {giver}"` or `"use (?:my )?code {code}"`; placeholders expand
//! to fragments with the same meaning in every pack, and the ones that need more than a regex
//! (is this capitalised run a sentence start? is this token code-like?) are checked after the
//! match by the engine. Vocabulary lists from `[vocab]` expand to alternations.

use std::collections::BTreeMap;

/// A handle as a regex fragment (a token's exact text: no trailing dot).
pub const HANDLE: &str = r"@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?";
const WORD: &str = r"[\p{L}\p{N}][\p{L}\p{N}&'’.+-]*";
const EMOJI: &str =
    r"[\p{Extended_Pictographic}\x{1F3FB}-\x{1F3FF}\x{1F1E6}-\x{1F1FF}\x{200D}\x{FE0F}\x{20E3}]";
const AMOUNT: &str =
    r"(?:[$£€]\s?\d[\d,]*(?:\.\d+)?k?|\d[\d,]*(?:\.\d+)?k?\s?(?:€|£|dollars|euros|pounds|bucks))";

/// The placeholders every pattern may use, with what they mean (shown in docs and errors).
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("handle", "an @handle"),
    (
        "giver",
        "who gave something: an @handle, a declared brand, or 1 to 4 capitalised words that do not start a sentence and are not in the `not-givers` vocabulary",
    ),
    (
        "code",
        "a discount code: 3-20 letters, digits or `_` with a letter and either a digit or all capitals, or a quoted word",
    ),
    (
        "amount",
        "an amount of money in $, £ or € (`$10k`, `£2,000`, `15€`)",
    ),
    ("n", "a number (`3`, `2.5`, `1,200`)"),
    ("emoji", "one emoji character"),
    ("word", "one word"),
];

/// What a compiled pattern captures that the engine must check after matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checks {
    pub giver: bool,
    pub code: bool,
}

/// Expand placeholders into a regex source. Errors name the unknown placeholder.
pub fn expand(
    src: &str,
    vocab: &BTreeMap<String, Vec<String>>,
) -> Result<(String, Checks), String> {
    expand_as(src, vocab, false)
}

/// Expand placeholders into the source of a prefilter: a pattern that matches wherever the
/// phrase can, and maybe elsewhere. Placeholders that would expand to large alternations or
/// Unicode classes become "anything on the line", so a pack's set of every phrase stays small
/// however long its vocabularies grow; the phrase's own regex then decides.
pub fn expand_prefilter(src: &str, vocab: &BTreeMap<String, Vec<String>>) -> String {
    expand_as(src, vocab, true).map_or_else(|_| String::new(), |(s, _)| s)
}

fn expand_as(
    src: &str,
    vocab: &BTreeMap<String, Vec<String>>,
    prefilter: bool,
) -> Result<(String, Checks), String> {
    let mut out = String::from("(?i)");
    let mut checks = Checks::default();
    let mut rest = src;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // `{2,5}` and friends are regex repetition, not placeholders.
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        let unicode_class = rest[..open].ends_with("\\p") || rest[..open].ends_with("\\P");
        if unicode_class
            || name.is_empty()
            || name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == ',')
        {
            out.push('{');
            rest = after;
            continue;
        }
        // No placeholder spans a line break; each becomes "anything on the line".
        let loose = match name {
            "handle" => Some("@[^\\n]*"),
            "giver" | "code" | "word" => Some("[^\\n]+"),
            other if vocab.contains_key(other) => Some("[^\\n]+"),
            _ => None,
        };
        if prefilter && let Some(loose) = loose {
            out.push_str(loose);
            rest = &after[close + 1..];
            continue;
        }
        let fragment = match name {
            "handle" => HANDLE.to_string(),
            "giver" => {
                if checks.giver {
                    return Err("`{giver}` may appear only once in a pattern".into());
                }
                checks.giver = true;
                format!(
                    r"(?P<giver>{HANDLE}|(?-i:\p{{Lu}}[\p{{L}}\p{{N}}&'’.+-]*(?:[ \t]+\p{{Lu}}[\p{{L}}\p{{N}}&'’.+-]*){{0,3}})|{WORD}(?:[ \t]+{WORD}){{0,3}}?)"
                )
            }
            "code" => {
                if checks.code {
                    return Err("`{code}` may appear only once in a pattern".into());
                }
                checks.code = true;
                r#"(?P<code>"[^"\n]{2,20}"|“[^”\n]{2,20}”|[\p{L}\p{N}_]{3,20})"#.to_string()
            }
            "amount" => AMOUNT.to_string(),
            "n" => r"\d+(?:[.,]\d+)*".to_string(),
            "emoji" => EMOJI.to_string(),
            "word" => WORD.to_string(),
            other => match vocab.get(other) {
                Some(words) => alternation(words),
                None => {
                    return Err(format!(
                        "unknown placeholder `{{{other}}}`: use one of {}, or a `[vocab]` list",
                        PLACEHOLDERS
                            .iter()
                            .map(|(n, _)| format!("`{{{n}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            },
        };
        out.push_str(&fragment);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok((out, checks))
}

/// A vocabulary list as an alternation; each word also matches its plural (`-s`, `-es`).
fn alternation(words: &[String]) -> String {
    let mut sorted: Vec<&String> = words.iter().collect();
    // Longest first so "t-shirt" wins over "shirt" at the same position.
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alts: Vec<String> = sorted.iter().map(|w| regex::escape(w)).collect();
    format!("(?:{})(?:e?s)?", alts.join("|"))
}

/// Whether a captured discount code looks like one: quoted, or 3-20 word characters with a
/// letter and either a digit or all capitals ("SUNNY15", "TRAVEL"; not "compiles").
pub fn is_code_like(code: &str) -> bool {
    let quoted = ['"', '“'].iter().any(|q| code.starts_with(*q));
    if quoted {
        return true;
    }
    let has_letter = code.chars().any(char::is_alphabetic);
    let has_digit = code.chars().any(|c| c.is_ascii_digit());
    let all_caps = code
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    has_letter && (has_digit || all_caps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_expand_and_repetitions_stay() {
        let vocab = BTreeMap::from([("products".to_string(), vec!["dress".to_string()])]);
        let (re, checks) = expand(r"{products} by {handle} \d{2,3}\p{L}", &vocab).unwrap();
        assert!(re.starts_with("(?i)(?:dress)(?:e?s)? by @"));
        assert!(re.ends_with(r"\d{2,3}\p{L}"));
        assert_eq!(checks, Checks::default());
        assert!(expand("{nope}", &vocab).unwrap_err().contains("{nope}"));
    }

    #[test]
    fn codes_need_a_digit_or_capitals() {
        assert!(is_code_like("SUNNY15"));
        assert!(is_code_like("TRAVEL"));
        assert!(is_code_like("sunny15"));
        assert!(!is_code_like("compiles"));
        assert!(!is_code_like("123"));
        assert!(is_code_like("\"glow\""));
    }
}
