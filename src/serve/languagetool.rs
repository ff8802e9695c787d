//! `POST /v2/check`: LanguageTool's API, so its browser extension and editor plugins that take
//! a custom server can use adlint as one. Offsets and lengths are in UTF-16 code units, as
//! LanguageTool's (Java) clients count.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AppState, error, on_pool};
use crate::caption::Caption;
use crate::diagnostic::{Diagnostic, Safety};
use crate::engine;
use crate::locale;
use crate::rules::RuleSet;
use crate::settings;

/// The form fields adlint reads; LanguageTool's others (`motherTongue`, `level`, `username`,
/// `apiKey`, ...) are accepted and ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Form {
    text: Option<String>,
    /// Annotated text: `{"annotation": [{"text": "..."}, {"markup": "<b>", "interpretAs": ""}]}`.
    data: Option<String>,
    language: Option<String>,
    enabled_rules: Option<String>,
    disabled_rules: Option<String>,
    enabled_categories: Option<String>,
    disabled_categories: Option<String>,
    enabled_only: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Annotated {
    annotation: Vec<Annotation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Annotation {
    text: Option<String>,
    markup: Option<String>,
    interpret_as: Option<String>,
}

/// The text to check, and for each of its pieces where it sits in the text the client sent
/// (markup included): `(checked start, original start, checked len, original len)`.
type Pieces = Vec<(usize, usize, usize, usize)>;

fn annotated(data: &str) -> Result<(String, String, Pieces), String> {
    let doc: Annotated = serde_json::from_str(data).map_err(|e| format!("`data`: {e}"))?;
    let (mut checked, mut original, mut pieces) = (String::new(), String::new(), Vec::new());
    for a in doc.annotation {
        let (shown, raw) = match (a.text, a.markup) {
            (Some(t), None) => (t.clone(), t),
            (None, Some(m)) => (a.interpret_as.unwrap_or_default(), m),
            _ => return Err("`data`: each annotation has `text` or `markup`".into()),
        };
        pieces.push((checked.len(), original.len(), shown.len(), raw.len()));
        checked.push_str(&shown);
        original.push_str(&raw);
    }
    Ok((checked, original, pieces))
}

/// A byte offset of the checked text as a byte offset of the original. A match starts in the
/// piece it starts in (after markup before it), and ends in the piece it ends in (before
/// markup after it).
fn to_original(pieces: &Pieces, offset: usize, end: bool) -> usize {
    for &(c, o, clen, olen) in pieces {
        let inside = if end {
            offset > c && offset <= c + clen
        } else {
            offset >= c && offset < c + clen
        };
        if inside {
            return o + (offset - c).min(olen);
        }
    }
    pieces.last().map_or(offset, |&(_, o, _, olen)| o + olen)
}

fn list(value: &Option<String>) -> Vec<String> {
    value
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// UTF-16 code units in `text[..byte]`.
fn utf16(text: &str, byte: usize) -> usize {
    let byte = floor(text, byte);
    text[..byte].encode_utf16().count()
}

fn floor(text: &str, mut byte: usize) -> usize {
    byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

fn ceil(text: &str, mut byte: usize) -> usize {
    byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte += 1;
    }
    byte
}

/// Characters of context either side of a match, as LanguageTool gives.
const CONTEXT: usize = 40;

/// LanguageTool's `context`: the match with up to 40 characters either side, `...` where it
/// was cut, on one line.
fn context(text: &str, start: usize, end: usize) -> Value {
    let before: Vec<(usize, char)> = text[..start].char_indices().collect();
    let from = before.len().checked_sub(CONTEXT).map_or(0, |i| before[i].0);
    let to = text[end..]
        .char_indices()
        .nth(CONTEXT)
        .map_or(text.len(), |(i, _)| end + i);
    let mut out = String::new();
    if from > 0 {
        out.push_str("...");
    }
    let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    out.push_str(&clean(&text[from..start]));
    let offset = out.encode_utf16().count();
    out.push_str(&clean(&text[start..end]));
    let length = out.encode_utf16().count() - offset;
    out.push_str(&clean(&text[end..to]));
    if to < text.len() {
        out.push_str("...");
    }
    json!({"text": out, "offset": offset, "length": length})
}

/// The line holding the match, as LanguageTool's `sentence`.
fn sentence(text: &str, start: usize) -> &str {
    let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let to = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[from..to].trim()
}

/// A safe fix as a replacement of the match's words, when its edit lies within them.
fn replacement(text: &str, d: &Diagnostic) -> Option<String> {
    let fix = d.fix.as_ref().filter(|f| f.safety == Safety::Safe)?;
    let [edit] = fix.edits.as_slice() else {
        return None;
    };
    let (s, e) = (d.span.start, d.span.end);
    if edit.start < s || edit.end > e || edit.start > edit.end || e > text.len() {
        return None;
    }
    let head = text.get(s..edit.start)?;
    let tail = text.get(edit.end..e)?;
    Some(format!("{head}{}{tail}", edit.text))
}

/// `GET /v2/languages`: the languages the loaded packs list for their markets, by name.
pub(crate) async fn languages(State(state): State<Arc<AppState>>) -> Response {
    let mut listed: Vec<Value> = locale::languages(&state.settings.rules)
        .into_iter()
        .map(|lang| {
            let code = locale::code(lang);
            json!({"name": lang.eng_name(), "code": code, "longCode": code})
        })
        .collect();
    listed.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    axum::Json(listed).into_response()
}

/// What the form's `language` chose: the language it names (or `auto` detected), and the
/// market whose packs run, as [`locale`] chooses.
struct Chosen {
    /// The language as answered: the code sent, or the detected language's (`und` when
    /// `auto` detects none).
    code: String,
    name: String,
    confidence: f64,
    /// The markets whose packs run: the chosen one, or the server's when none was chosen.
    markets: Vec<String>,
    /// A market the tag chose, which the caption is checked in.
    market: Option<String>,
}

/// `en-GB` → `English (GB)`; a tag whose language is unknown is its own name.
fn tag_name(tag: &locale::Tag, written: &str) -> String {
    match (tag.language, &tag.region) {
        (Some(lang), Some(region)) => format!("{} ({})", lang.eng_name(), region.to_uppercase()),
        (Some(lang), None) => lang.eng_name().to_string(),
        (None, _) => written.to_string(),
    }
}

fn choose(language: &str, text: &str, rules: &RuleSet) -> Chosen {
    let (code, name, confidence, market) = if language.trim().eq_ignore_ascii_case("auto") {
        match locale::detect(text) {
            Some(lang) => (
                locale::code(lang).to_string(),
                lang.eng_name().to_string(),
                1.0,
                locale::market_of_language(lang, rules),
            ),
            None => ("und".to_string(), "Undetermined".to_string(), 0.0, None),
        }
    } else {
        let tag = locale::Tag::parse(language);
        let name = tag_name(&tag, language);
        (language.to_string(), name, 1.0, locale::market(&tag, rules))
    };
    Chosen {
        code,
        name,
        confidence,
        markets: market
            .clone()
            .map_or_else(|| rules.markets.clone(), |m| vec![m]),
        market,
    }
}

pub(crate) async fn check(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                r.status(),
                "the request body is over the server's size limit (--max-body)",
            );
        }
        Err(r) => return error(r.status(), format!("could not read the request body: {r}")),
    };
    let form: Form = match serde_urlencoded::from_bytes(&body) {
        Ok(f) => f,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("the form is not url-encoded fields: {e}"),
            );
        }
    };
    let (text, original, pieces) = match (&form.text, &form.data) {
        (Some(t), _) => (t.clone(), t.clone(), None),
        (None, Some(d)) => match annotated(d) {
            Ok((c, o, p)) => (c, o, Some(p)),
            Err(message) => return error(StatusCode::BAD_REQUEST, message),
        },
        (None, None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "give the text to check in the form field `text` (or `data`)",
            );
        }
    };
    let limit = state.settings.caption_limit();
    if text.len() > limit {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the text is {} bytes, over the server's {limit}-byte caption limit (--max-caption-size)",
                text.len()
            ),
        );
    }
    let Some(language) = form.language.clone().filter(|l| !l.trim().is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "give the form field `language` (`en-US`, `de-DE` or `auto`)",
        );
    };
    let enabled = list(&form.enabled_rules);
    let disabled = list(&form.disabled_rules);
    let enabled_categories = list(&form.enabled_categories);
    let disabled_categories = list(&form.disabled_categories);
    let enabled_only = form.enabled_only.as_deref() == Some("true");
    let checked = on_pool(&state, move |state| {
        let settings = &state.settings;
        let rules = &settings.rules;
        let chosen = choose(&language, &text, rules);
        let mut caption = Caption::new(text.clone());
        caption.platform = settings.platform.clone();
        caption.sponsored = settings.sponsored;
        caption.brands = settings.brands.clone();
        caption.markets = chosen.market.clone().into_iter().collect();
        let diagnostics = engine::check(&caption, rules);
        let matches = diagnostics
            .iter()
            .filter(|d| {
                keep(
                    d,
                    rules,
                    &enabled,
                    &disabled,
                    &enabled_categories,
                    &disabled_categories,
                    enabled_only,
                )
            })
            .map(|d| match_json(&text, &original, pieces.as_ref(), d, rules))
            .collect::<Vec<_>>();
        (chosen, matches)
    })
    .await;
    let (chosen, matches) = match checked {
        Ok(checked) => checked,
        Err(response) => return response,
    };
    axum::Json(json!({
        "software": {
            "name": "adlint",
            "version": env!("CARGO_PKG_VERSION"),
            "buildDate": null,
            "apiVersion": 1,
            "premium": false,
            "status": "",
        },
        "warnings": {"incompleteResults": false},
        "language": {
            "name": chosen.name,
            "code": chosen.code,
            "detectedLanguage": {
                "name": chosen.name,
                "code": chosen.code,
                "confidence": chosen.confidence,
            },
            "markets": chosen.markets,
        },
        "matches": matches,
    }))
    .into_response()
}

/// The category of a rule: its pack, as `ADLINT_<PACK>`.
fn category_id(pack: &str) -> String {
    format!("ADLINT_{}", pack.to_ascii_uppercase().replace('-', "_"))
}

fn keep(
    d: &Diagnostic,
    rules: &RuleSet,
    enabled: &[String],
    disabled: &[String],
    enabled_categories: &[String],
    disabled_categories: &[String],
    enabled_only: bool,
) -> bool {
    let Some(rule) = rules.rule(&d.code) else {
        return true;
    };
    let pack = &rules.packs[rule.pack].name;
    let category = category_id(pack);
    let in_category = |list: &[String]| {
        list.iter()
            .any(|c| c.eq_ignore_ascii_case(&category) || c.eq_ignore_ascii_case(pack))
    };
    if disabled.iter().any(|s| settings::selects(s, rule, pack)) || in_category(disabled_categories)
    {
        return false;
    }
    if enabled_only {
        return enabled.iter().any(|s| settings::selects(s, rule, pack))
            || in_category(enabled_categories);
    }
    true
}

fn match_json(
    text: &str,
    original: &str,
    pieces: Option<&Pieces>,
    d: &Diagnostic,
    rules: &RuleSet,
) -> Value {
    let start = floor(text, d.span.start);
    let end = ceil(text, d.span.end.max(start));
    let (ostart, oend) = match pieces {
        Some(p) => (to_original(p, start, false), to_original(p, end, true)),
        None => (start, end),
    };
    let (ostart, oend) = (floor(original, ostart), ceil(original, oend.max(ostart)));
    let offset = utf16(original, ostart);
    let length = utf16(original, oend) - offset;
    let rule = rules.rule(&d.code);
    let (description, category) = match rule {
        Some(r) => {
            let pack = &rules.packs[r.pack];
            (
                r.summary.clone(),
                json!({"id": category_id(&pack.name), "name": pack.title}),
            )
        }
        None => (d.name.clone(), json!({"id": "ADLINT", "name": "adlint"})),
    };
    let replacements: Vec<Value> = replacement(text, d)
        .into_iter()
        .map(|value| json!({"value": value}))
        .collect();
    let mut message = d.message.clone();
    if !d.help.is_empty() {
        message = format!("{message} {}", d.help);
    }
    json!({
        "message": message,
        "shortMessage": d.label,
        "replacements": replacements,
        "offset": offset,
        "length": length,
        "context": context(original, ostart, oend),
        "sentence": sentence(original, ostart),
        "type": {"typeName": "Other"},
        "rule": {
            "id": d.code,
            "subId": d.name,
            "description": description,
            "issueType": match d.severity {
                crate::rules::Severity::Advice => "style",
                _ => "legal",
            },
            "urls": [{"value": d.url}],
            "category": category,
        },
        "ignoreForIncompleteSentence": false,
        "contextForSureMatch": 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_utf16_units() {
        let text = "😀 ab";
        assert_eq!(utf16(text, 0), 0);
        assert_eq!(utf16(text, 4), 2);
        assert_eq!(utf16(text, 5), 3);
        let c = context("x".repeat(50).as_str(), 45, 47);
        assert_eq!(c["offset"], 43);
        assert_eq!(c["length"], 2);
    }

    #[test]
    fn annotated_text_maps_back_to_the_markup() {
        let data = r#"{"annotation":[{"text":"Hi "},{"markup":"<b>"},{"text":"there"}]}"#;
        let (checked, original, pieces) = annotated(data).unwrap();
        assert_eq!(checked, "Hi there");
        assert_eq!(original, "Hi <b>there");
        // `there` starts after the markup; `Hi` ends before it.
        assert_eq!(to_original(&pieces, 3, false), 6);
        assert_eq!(to_original(&pieces, 2, true), 2);
        assert_eq!(to_original(&pieces, 3, true), 3);
        assert_eq!(to_original(&pieces, 4, false), 7);
        assert_eq!(to_original(&pieces, 8, true), 11);
    }
}
