//! `adlint serve`: the engine over HTTP, for approval tools (`/v1/...`), LanguageTool clients
//! (`/v2/check`) and people (the page at `/`).
//!
//! The server holds one [`Settings`], resolved like the CLI's at start-up; nothing a request
//! says can load a file. Checking is CPU work: it runs on blocking threads, at most
//! [`Options::concurrency`] requests at once, each within [`Options::timeout`]. Bodies are
//! capped ([`Options::max_body`], 413), captions too (the CLI's `--max-caption-size`).

mod api;
mod fold;
mod languagetool;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use miette::Diagnostic;
use serde_json::json;
use thiserror::Error;
use tokio::sync::Semaphore;

use crate::settings::Settings;

/// The page, embedded: one HTML file with its CSS and JavaScript. The static build
/// (`web/build.sh`) serves the same file, with the engine compiled to WebAssembly.
pub const PAGE: &str = include_str!("../../web/index.html");

/// The page's web-app manifest (installing it, the share target) and its icon.
pub const MANIFEST: &str = include_str!("../../web/manifest.webmanifest");
pub const ICON: &str = include_str!("../../web/icon.svg");

/// The OpenAPI document describing every endpoint, embedded.
pub const OPENAPI: &str = include_str!("openapi.json");

/// How the access log is written on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One line per request for people.
    Text,
    /// One JSON object per request.
    Json,
    /// No access log.
    Off,
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: SocketAddr,
    /// Clients must send `Authorization: Bearer <token>` on `/v1` and `/v2`.
    pub token: Option<String>,
    pub log: LogFormat,
    /// Largest request body in bytes; larger ones get 413.
    pub max_body: usize,
    /// Longest a request may take, reading its body included; longer ones get 504.
    pub timeout: Duration,
    /// Requests checked at once; more wait for a turn within their timeout (then 503).
    pub concurrency: usize,
    /// Captions in one `/v1/check` batch; more get 413.
    pub max_batch: usize,
    /// Longest a client may take to send a request's headers; then the connection is closed
    /// (slow-header attacks hold connections open otherwise). The body is under `timeout`.
    pub header_timeout: Duration,
}

impl Options {
    pub const DEFAULT_BIND: &str = "127.0.0.1:7878";
    pub const DEFAULT_MAX_BODY: usize = 5_000_000;
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_MAX_BATCH: usize = 1000;
    pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(15);

    /// Two requests per core: checking is CPU-bound, a few waiting keep the cores busy.
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, Error, Diagnostic)]
pub enum ServeError {
    #[error("refusing to listen on {0} without a token")]
    #[diagnostic(
        code(adlint::serve),
        help(
            "anyone who can reach {0} could use the server: give a bearer token with --token or ADLINT_TOKEN, or bind to 127.0.0.1"
        )
    )]
    NeedsToken(SocketAddr),
    #[error("the token is empty")]
    #[diagnostic(code(adlint::serve), help("give a token of at least 16 characters"))]
    EmptyToken,
    #[error("could not listen on {0}: {1}")]
    #[diagnostic(code(adlint::serve))]
    Bind(SocketAddr, String),
    #[error("could not start the server: {0}")]
    #[diagnostic(code(adlint::serve))]
    Runtime(String),
}

/// What every handler shares.
pub(crate) struct AppState {
    pub settings: Settings,
    pub options: Options,
    pub permits: Arc<Semaphore>,
    /// `GET /v1/rules`, computed once.
    pub rules_json: Vec<u8>,
}

/// Check the options: a token is required off loopback.
pub fn validate(options: &Options) -> Result<(), ServeError> {
    if options
        .token
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Err(ServeError::EmptyToken);
    }
    if !options.bind.ip().is_loopback() && options.token.is_none() {
        return Err(ServeError::NeedsToken(options.bind));
    }
    Ok(())
}

/// The application: every route, with limits, authentication and the access log.
pub fn router(settings: Settings, options: Options) -> Router {
    let rules_json = crate::contract::rules_json(&settings.rules).into_bytes();
    let state = Arc::new(AppState {
        permits: Arc::new(Semaphore::new(options.concurrency.max(1))),
        settings,
        rules_json,
        options,
    });
    let protected = Router::new()
        .route("/v1/check", post(api::check))
        .route("/v1/fix", post(api::fix))
        .route("/v1/fold", post(fold::fold))
        .route("/v1/rules", get(api::rules))
        .route("/v1/rules/{code}", get(api::rule))
        .route("/v2/check", post(languagetool::check))
        .route("/v2/languages", get(languagetool::languages))
        .route_layer(middleware::from_fn_with_state(state.clone(), authorize));
    Router::new()
        .route("/", get(page))
        .route("/manifest.webmanifest", get(manifest))
        .route("/icon.svg", get(icon))
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .merge(protected)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.options.max_body))
        .layer(middleware::from_fn_with_state(state.clone(), limit_time))
        .layer(middleware::from_fn_with_state(state.clone(), check_host))
        .layer(middleware::from_fn_with_state(state.clone(), access_log))
        .with_state(state)
}

/// Serve until SIGINT or SIGTERM. `ready` is told the bound address (port 0 picks one).
pub fn run(
    settings: Settings,
    options: Options,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    validate(&options)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Runtime(e.to_string()))?;
    // The packs' patterns are compiled on first use: do it now, not in the first request.
    let _ = crate::engine::check(
        &crate::caption::Caption::new("warming up #ad @brand https://example.com"),
        &settings.rules,
    );
    runtime.block_on(async move {
        let bind = options.bind;
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|e| ServeError::Bind(bind, e.to_string()))?;
        let local = listener
            .local_addr()
            .map_err(|e| ServeError::Bind(bind, e.to_string()))?;
        ready(local);
        let header_timeout = options.header_timeout;
        let app = router(settings, options);
        accept(listener, app, header_timeout).await;
        Ok(())
    })
}

/// Accept connections until SIGINT or SIGTERM, then let the connections finish the requests
/// under way (with a grace period) and stop.
async fn accept(listener: tokio::net::TcpListener, app: Router, header_timeout: Duration) {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let (close_tx, close_rx) = tokio::sync::watch::channel(());
    let signal = shutdown_signal();
    tokio::pin!(signal);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut signal => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                let mut app = app.clone();
                async move { tower_service::Service::call(&mut app, request.map(Body::new)).await }
            });
        let mut stop = stop_rx.clone();
        let close = close_rx.clone();
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(close);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(close_rx);
    // Every connection holds a receiver until it is done; give them a while.
    let _ = tokio::time::timeout(Duration::from_secs(30), close_tx.closed()).await;
}

/// SIGINT (Ctrl-C) or SIGTERM: stop taking connections, finish the requests under way.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// An error answer: `{"error": {"status", "message", ...}}`, with more keys (`line`,
/// `column`, `path`) where they say where the mistake is.
pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    error_with(status, message, serde_json::Map::new())
}

pub(crate) fn error_with(
    status: StatusCode,
    message: impl Into<String>,
    mut extra: serde_json::Map<String, serde_json::Value>,
) -> Response {
    extra.insert("status".into(), json!(status.as_u16()));
    extra.insert("message".into(), json!(message.into()));
    let body = json!({ "error": extra });
    (status, axum::Json(body)).into_response()
}

/// JSON bytes as a response.
pub(crate) fn json_bytes(bytes: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

async fn page() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            // Everything is inline and from this server: nothing else may load.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                ),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        ],
        PAGE,
    )
        .into_response()
}

async fn manifest() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/manifest+json"),
        )],
        MANIFEST,
    )
        .into_response()
}

async fn icon() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        )],
        ICON,
    )
        .into_response()
}

async fn healthz() -> Response {
    axum::Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})).into_response()
}

async fn openapi() -> Response {
    json_bytes(OPENAPI.as_bytes().to_vec())
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such endpoint: see /openapi.json for the API",
    )
}

/// `Authorization: Bearer <token>` when the server has a token.
async fn authorize(
    State(state): State<Arc<AppState>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if let Some(token) = &state.options.token {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if !given.is_some_and(|g| same(g.as_bytes(), token.as_bytes())) {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "this server needs a bearer token: send `Authorization: Bearer <token>`",
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"adlint\""),
            );
            return response;
        }
    }
    next.run(request).await
}

/// On loopback, only requests for a loopback name: a web page whose domain was rebound to
/// 127.0.0.1 (DNS rebinding) sends its own name as `Host` and is turned away.
async fn check_host(
    State(state): State<Arc<AppState>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if state.options.bind.ip().is_loopback() {
        let host = request
            .headers()
            .get(header::HOST)
            .map(|v| v.to_str().unwrap_or("?"));
        if let Some(host) = host
            && !loopback_host(host)
        {
            return error(
                StatusCode::FORBIDDEN,
                "this server answers only requests for localhost or a loopback address",
            );
        }
    }
    next.run(request).await
}

/// `localhost`, `127.0.0.1:7878`, `[::1]:7878`.
fn loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Compare secrets in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The request's whole life, body included, within the timeout.
async fn limit_time(
    State(state): State<Arc<AppState>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let limit = state.options.timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => error(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "the request took longer than the server's {} limit",
                seconds(limit)
            ),
        ),
    }
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// One line on stderr per request: who, what, the status and how long it took.
async fn access_log(
    State(state): State<Arc<AppState>>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let log = state.options.log;
    if log == LogFormat::Off {
        return next.run(request).await;
    }
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = response.status().as_u16();
    let bytes = length(&response);
    let line = match log {
        LogFormat::Json => json!({
            "time": unix_time(),
            "remote": remote.to_string(),
            "method": method,
            "path": path,
            "status": status,
            "ms": (ms * 1000.0).round() / 1000.0,
            "bytes": bytes,
        })
        .to_string(),
        _ => format!(
            "adlint: {remote} \"{method} {}\" {status} {} {ms:.1}ms",
            path.escape_debug(),
            bytes.map_or_else(|| "-".to_string(), |b| b.to_string()),
        ),
    };
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
    response
}

fn length(response: &Response) -> Option<u64> {
    use axum::body::HttpBody;
    response.body().size_hint().exact().or_else(|| {
        response
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
    })
}

/// Seconds since the epoch, with milliseconds.
fn unix_time() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| (d.as_millis() as f64) / 1000.0)
}

/// Run CPU work on a blocking thread once a permit is free. `Err` is the answer to give: 503
/// when no turn came within the timeout.
pub(crate) async fn on_pool<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> T + Send + 'static,
) -> Result<T, Response> {
    let permit =
        match tokio::time::timeout(state.options.timeout, state.permits.clone().acquire_owned())
            .await
        {
            Ok(Ok(permit)) => permit,
            _ => {
                return Err(error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the server is busy: try again shortly",
                ));
            }
        };
    let state = state.clone();
    // The permit is held until the work is done, even when the request timed out, so the
    // number of captions being checked stays bounded.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&state)
    })
    .await
    .map_err(|_| {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "checking this request failed",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "localhost:7878",
            "127.0.0.1:80",
            "[::1]:7878",
            "LOCALHOST",
        ] {
            assert!(loopback_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:7878",
            "10.0.0.1:7878",
            "?",
            "localhost.evil.example",
        ] {
            assert!(!loopback_host(host), "{host}");
        }
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
    }
}
