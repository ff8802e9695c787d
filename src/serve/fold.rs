//! `POST /v1/fold`: where a platform's "… more" cut falls in a caption, for the page's preview.
//! The engine's own fold ([`crate::text::fold_end`] through [`crate::contract::fold_json`]), the
//! one the browser build answers with too, so the page draws no fold of its own.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{AppState, error, error_with, json_bytes};
use crate::settings;

/// `{"caption", "platform"}`: the platform's name or alias, the server's default when absent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FoldIn {
    caption: String,
    platform: Option<String>,
}

pub(crate) async fn fold(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(rejection) => {
            return error(
                rejection.status(),
                format!("could not read the request body: {rejection}"),
            );
        }
    };
    let request: FoldIn = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            let mut extra = serde_json::Map::new();
            extra.insert("line".into(), json!(e.line()));
            extra.insert("column".into(), json!(e.column()));
            return error_with(
                StatusCode::BAD_REQUEST,
                format!("the request does not fit the API: {e} (see /openapi.json)"),
                extra,
            );
        }
    };
    let settings = &state.settings;
    let rules = &settings.rules;
    let limit = settings.caption_limit();
    if request.caption.len() > limit {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the caption is {} bytes, over the server's {limit}-byte caption limit (--max-caption-size)",
                request.caption.len()
            ),
        );
    }
    let name = match request.platform.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => match settings::platform_name(p, rules) {
            Ok(name) => Some(name),
            Err(e) => {
                let mut extra = serde_json::Map::new();
                extra.insert("path".into(), json!("platform"));
                if let Some(help) = miette::Diagnostic::help(&e) {
                    extra.insert("help".into(), json!(help.to_string()));
                }
                return error_with(StatusCode::BAD_REQUEST, e.to_string(), extra);
            }
        },
        _ => settings.platform.clone(),
    };
    let platform = name
        .as_deref()
        .and_then(|n| rules.platform(n))
        .unwrap_or_else(|| rules.generic_platform());
    json_bytes(crate::contract::fold_json(&request.caption, platform).into_bytes())
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::Request;
    use serde_json::Value;

    use super::super::{LogFormat, Options, router};
    use crate::settings::{Overrides, Sources, resolve};

    /// POST a body to `/v1/fold` on the router, as a loopback client: status and JSON answer.
    fn post(body: &str) -> (u16, Value) {
        let settings =
            resolve(&Sources::default(), &Overrides::default()).expect("the built-in settings");
        let options = Options {
            bind: Options::DEFAULT_BIND.parse().unwrap(),
            token: None,
            log: LogFormat::Off,
            max_body: Options::DEFAULT_MAX_BODY,
            timeout: Options::DEFAULT_TIMEOUT,
            concurrency: 1,
            max_batch: Options::DEFAULT_MAX_BATCH,
            header_timeout: Options::DEFAULT_HEADER_TIMEOUT,
        };
        let mut app = router(settings, options);
        let mut request = Request::post("/v1/fold")
            .header("host", "127.0.0.1:7878")
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let remote: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(remote));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let response = tower_service::Service::call(&mut app, request)
                .await
                .unwrap();
            let status = response.status().as_u16();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, serde_json::from_slice(&bytes).unwrap())
        })
    }

    /// The answer fits its schema in `/openapi.json`.
    fn fits(schema: &str, value: &Value) {
        let mut root: Value = serde_json::from_str(super::super::OPENAPI).unwrap();
        root["$ref"] = serde_json::json!(format!("#/components/schemas/{schema}"));
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&root)
            .expect("the OpenAPI schemas compile");
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{schema}: {errors:?}\n{value:#}");
    }

    #[test]
    fn the_fold_is_the_engines() {
        let caption = "a".repeat(130);
        let (status, fold) =
            post(&serde_json::json!({"caption": caption, "platform": "IG"}).to_string());
        assert_eq!(status, 200, "{fold}");
        fits("FoldResponse", &fold);
        assert_eq!(fold["end"], 125);
        assert_eq!(fold["hidden"], true);
        assert_eq!(fold["platform"], "instagram");
        assert_eq!(fold["fold"], "125 characters or 3 lines");
        // No platform: the generic fold; a short caption shows whole.
        let (status, fold) = post(r#"{"caption": "short"}"#);
        assert_eq!(status, 200);
        assert_eq!(fold["platform"], "generic");
        assert_eq!(fold["hidden"], false);
        assert_eq!(fold["end"], 5);
    }

    #[test]
    fn mistakes_are_400s_with_where() {
        let (status, e) = post(r#"{"caption": "x", "platform": "instagrm"}"#);
        assert_eq!(status, 400);
        fits("Error", &e);
        assert_eq!(e["error"]["path"], "platform");
        assert!(e["error"]["help"].as_str().unwrap().contains("instagram"));
        let (status, e) = post(r#"{"caption": "x", "rules": "/etc/passwd"}"#);
        assert_eq!(status, 400);
        assert_eq!(e["error"]["line"], 1);
        let (status, _) = post("{");
        assert_eq!(status, 400);
    }
}
