//! `/v1`: checking and fixing captions in the CLI's JSON contract, and the rules.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{AppState, error, error_with, json_bytes, on_pool};
use crate::caption::{Caption, Origin};
use crate::engine;
use crate::input::Event;
use crate::report::json::JsonReporter;
use crate::report::{Checked, Reporter, Summary};
use crate::settings::{self, Settings};

/// What names a caption's source in answers: it came in a request.
pub const SOURCE: &str = "request";

/// Markets: one string (`"uk"`, `"UK, DE"`) or a list.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Markets {
    One(String),
    Many(Vec<String>),
}

impl Markets {
    fn values(&self) -> Vec<String> {
        match self {
            Markets::One(s) => vec![s.clone()],
            Markets::Many(v) => v.clone(),
        }
    }
}

/// One caption with what is known about its post. Unknown keys are mistakes: a request cannot
/// name rule files or anything else the server does not take from it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptionIn {
    pub id: Option<String>,
    pub caption: String,
    pub platform: Option<String>,
    pub sponsored: Option<bool>,
    pub brands: Option<Vec<String>>,
    pub market: Option<Markets>,
    pub paid_partnership_label: Option<bool>,
}

/// `POST /v1/check`: one caption (the keys of [`CaptionIn`]) or a batch (`captions`), whose
/// context keys at the top apply to every caption that does not say.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckIn {
    captions: Option<Vec<CaptionIn>>,
    id: Option<String>,
    caption: Option<String>,
    platform: Option<String>,
    sponsored: Option<bool>,
    brands: Option<Vec<String>>,
    market: Option<Markets>,
    paid_partnership_label: Option<bool>,
}

/// `POST /v1/fix`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixIn {
    id: Option<String>,
    caption: String,
    platform: Option<String>,
    sponsored: Option<bool>,
    brands: Option<Vec<String>>,
    market: Option<Markets>,
    paid_partnership_label: Option<bool>,
    /// Also apply unsafe fixes (inserting a disclosure asserts a brand relationship).
    #[serde(default)]
    unsafe_fixes: bool,
}

/// A request body that could not be read: 413 past the size limit, 400 otherwise.
fn body_error(rejection: BytesRejection) -> Response {
    let status = rejection.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return error(
            status,
            "the request body is over the server's size limit (--max-body)",
        );
    }
    error(
        status,
        format!("could not read the request body: {rejection}"),
    )
}

/// A body that is not the JSON expected: 400 naming the line and column.
/// A request's JSON body, or the answer to a body that is too large or not the JSON expected.
fn read_json<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, Box<Response>> {
    let body = body.map_err(|rejection| Box::new(body_error(rejection)))?;
    serde_json::from_slice(&body).map_err(|e| Box::new(json_error(&e)))
}

fn json_error(e: &serde_json::Error) -> Response {
    let mut extra = serde_json::Map::new();
    extra.insert("line".into(), json!(e.line()));
    extra.insert("column".into(), json!(e.column()));
    let what = match e.classify() {
        serde_json::error::Category::Data => "the request does not fit the API",
        _ => "the request body is not valid JSON",
    };
    error_with(
        StatusCode::BAD_REQUEST,
        format!("{what}: {e} (see /openapi.json)"),
        extra,
    )
}

/// A value in a request that names nothing the server knows: 400 with where it is.
fn bad_value(path: String, message: String, help: Option<String>) -> Response {
    let mut extra = serde_json::Map::new();
    extra.insert("path".into(), json!(path));
    if let Some(help) = help {
        extra.insert("help".into(), json!(help));
    }
    error_with(StatusCode::BAD_REQUEST, message, extra)
}

/// A caption as the engine takes it, with the server's defaults where the request says
/// nothing. `path` names the caption in the request, for errors.
pub(crate) fn caption(
    input: CaptionIn,
    settings: &Settings,
    record: Option<String>,
    path: &str,
) -> Result<Caption, Box<Response>> {
    let rules = &settings.rules;
    let platform = match input.platform.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => Some(settings::platform_name(p, rules).map_err(|e| {
            let help = miette::Diagnostic::help(&e).map(|h| h.to_string());
            Box::new(bad_value(format!("{path}platform"), e.to_string(), help))
        })?),
        _ => settings.platform.clone(),
    };
    let markets = match &input.market {
        None => Vec::new(),
        Some(m) => settings::markets(&m.values(), rules)
            .map_err(|e| {
                let help = miette::Diagnostic::help(&e).map(|h| h.to_string());
                Box::new(bad_value(format!("{path}market"), e.to_string(), help))
            })?
            .unwrap_or_default(),
    };
    let mut brands = input.brands.unwrap_or_default();
    for b in &settings.brands {
        if !brands.contains(b) {
            brands.push(b.clone());
        }
    }
    let mut origin = Origin::file(SOURCE);
    origin.record = input.id.or(record);
    Ok(Caption {
        text: input.caption,
        origin,
        platform,
        sponsored: input.sponsored.or(settings.sponsored),
        brands,
        creator: None,
        markets,
        paid_partnership_label: input.paid_partnership_label,
        fetched: None,
        url: None,
    })
}

/// `POST /v1/check`: the CLI's `--format json` document for the caption or batch. The
/// `Adlint-Fails` header says whether a finding is at or above the fail threshold.
pub(crate) async fn check(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let request: CheckIn = match read_json(body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let settings = &state.settings;
    let captions = match (request.captions, request.caption) {
        (Some(_), Some(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "give `caption` (one) or `captions` (a batch), not both",
            );
        }
        (None, None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "give `caption` (one caption) or `captions` (a batch)",
            );
        }
        (None, Some(text)) => {
            let one = CaptionIn {
                id: request.id,
                caption: text,
                platform: request.platform,
                sponsored: request.sponsored,
                brands: request.brands,
                market: request.market,
                paid_partnership_label: request.paid_partnership_label,
            };
            match caption(one, settings, None, "") {
                Ok(c) => vec![c],
                Err(response) => return *response,
            }
        }
        (Some(batch), None) => {
            if batch.len() > state.options.max_batch {
                return error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!(
                        "{} captions in one request: the server takes at most {} (--max-batch)",
                        batch.len(),
                        state.options.max_batch
                    ),
                );
            }
            let mut out = Vec::with_capacity(batch.len());
            for (i, mut one) in batch.into_iter().enumerate() {
                one.platform = one.platform.or_else(|| request.platform.clone());
                one.sponsored = one.sponsored.or(request.sponsored);
                one.brands = one.brands.or_else(|| request.brands.clone());
                one.market = one.market.or_else(|| request.market.clone());
                one.paid_partnership_label = one
                    .paid_partnership_label
                    .or(request.paid_partnership_label);
                // Records without an id are named by their place in the batch (1-based).
                let record = Some((i + 1).to_string());
                match caption(one, settings, record, &format!("captions[{i}].")) {
                    Ok(c) => out.push(c),
                    Err(response) => return *response,
                }
            }
            out
        }
    };
    match on_pool(&state, move |state| {
        check_document(&state.settings, captions)
    })
    .await
    {
        Ok((bytes, fails)) => {
            let mut response = json_bytes(bytes);
            response.headers_mut().insert(
                "adlint-fails",
                HeaderValue::from_static(if fails { "true" } else { "false" }),
            );
            response
        }
        Err(response) => response,
    }
}

/// Check captions and write the JSON document, as `adlint check --format json` does; and
/// whether a finding fails at the settings' threshold.
pub(crate) fn check_document(settings: &Settings, captions: Vec<Caption>) -> (Vec<u8>, bool) {
    use rayon::prelude::*;
    let rules = &settings.rules;
    let limit = settings.caption_limit();
    let events: Vec<Event> = captions
        .into_iter()
        .map(|c| crate::input::enforce_limit(Event::Caption(c), limit))
        .collect();
    let check = |event: &Event| match event {
        Event::Caption(c) => Some(engine::check_outcome(c, rules)),
        _ => None,
    };
    let found: Vec<_> = if events.len() > 1 {
        events.par_iter().map(check).collect()
    } else {
        events.iter().map(check).collect()
    };
    // `[[ignore]]` entries of the config: a caption's path is `request`, its record its id.
    let mut ignores = crate::suppress::Ignores::new(&settings.ignored_findings).unwrap_or_default();
    let mut reporter = JsonReporter::new(rules);
    let mut summary = Summary::default();
    let mut out = Vec::new();
    let mut fails = false;
    for (event, diagnostics) in events.iter().zip(found) {
        let written = match (event, diagnostics) {
            (
                Event::Caption(caption),
                Some(engine::Outcome {
                    platform,
                    packs,
                    mut diagnostics,
                }),
            ) => {
                diagnostics.retain(|d| !ignores.covers(caption, d));
                summary.add(&diagnostics);
                fails |= diagnostics
                    .iter()
                    .any(|d| settings.fail_on.fails(d.severity));
                reporter.result(
                    &mut out,
                    &Checked {
                        caption,
                        platform: &platform.name,
                        diagnostics: &diagnostics,
                        packs: &packs,
                        baselined: 0,
                    },
                )
            }
            (Event::Error(e), _) => {
                summary.failed_inputs += 1;
                reporter.input_error(&mut out, e)
            }
            _ => Ok(()),
        };
        // Writing to memory does not fail.
        let _ = written;
    }
    let _ = reporter.finish(&mut out, &summary);
    (out, fails)
}

/// `POST /v1/fix`: the fixed caption, what was fixed, the edits on the caption as sent, a
/// unified diff, and the findings left (on the fixed caption).
pub(crate) async fn fix(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let request: FixIn = match read_json(body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let unsafe_fixes = request.unsafe_fixes;
    let one = CaptionIn {
        id: request.id,
        caption: request.caption,
        platform: request.platform,
        sponsored: request.sponsored,
        brands: request.brands,
        market: request.market,
        paid_partnership_label: request.paid_partnership_label,
    };
    let caption = match caption(one, &state.settings, None, "") {
        Ok(c) => c,
        Err(response) => return *response,
    };
    let limit = state.settings.caption_limit();
    if caption.text.len() > limit {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the caption is {} bytes, over the server's {limit}-byte caption limit (--max-caption-size)",
                caption.text.len()
            ),
        );
    }
    match on_pool(&state, move |state| {
        crate::contract::fix_json(&caption, &state.settings.rules, unsafe_fixes)
    })
    .await
    {
        Ok(body) => json_bytes(body.into_bytes()),
        Err(response) => response,
    }
}

pub(crate) async fn rules(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.rules_json.clone())
}

/// `GET /v1/rules/{code}`: what `adlint explain` says, with the rule's facts.
pub(crate) async fn rule(State(state): State<Arc<AppState>>, Path(code): Path<String>) -> Response {
    let rules = &state.settings.rules;
    let Some(rule) = rules.rule(&code) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("unknown rule `{code}`: GET /v1/rules lists every rule"),
        );
    };
    json_bytes(crate::contract::rule_json(rules, rule).into_bytes())
}
