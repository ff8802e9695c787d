//! Fetching published posts: `adlint check https://…`, `--urls-from` and `--fetch`.
//!
//! A careful client: http and https only, a timeout on every request, a cap on the body
//! enforced while it streams in, at most [`MAX_REDIRECTS`] redirects followed by hand (so
//! loops, login redirects and other schemes are caught), a User-Agent naming adlint, and
//! bounded retries with backoff on 429 and 5xx that honour `Retry-After`. TLS is rustls; no
//! system OpenSSL is needed. Pages can be kept in a [`cache`] and revalidated.
//!
//! The caption is then found in the page by [`extract`]. Every failure is a [`FetchError`]
//! that becomes an input error for that post alone; nothing a server sends can panic.

pub mod cache;
pub mod extract;
pub mod ordered;
pub mod policy;

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use miette::Diagnostic;
use reqwest::blocking::Response;
use reqwest::header::{self, HeaderMap};
use reqwest::{StatusCode, Url};
use thiserror::Error;

use crate::caption::{Caption, Fetched};
use crate::input::{Event, InputError};
use cache::{Cache, Entry};
use extract::{Declared, Found, Kind};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "adlint/",
    env!("CARGO_PKG_VERSION"),
    " (+",
    env!("CARGO_PKG_REPOSITORY"),
    ")"
);

/// The longest wait between retries, whatever `Retry-After` asks for.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// How pages are fetched.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Each request, from connecting to the last byte of the body (`--timeout`).
    pub timeout: Duration,
    /// The largest body read, in bytes (`--max-body`).
    pub max_body: u64,
    /// Retries after a 429 or 5xx answer (`--retries`).
    pub retries: u32,
    /// The longest wait before a retry: [`MAX_RETRY_WAIT`], or the timeout when shorter.
    pub max_wait: Duration,
    /// Never touch the network (`--offline`): only the cache answers.
    pub offline: bool,
    /// Each platform's hosts, from the rule files: a fetched post's platform when none is given.
    pub platform_hosts: Vec<(String, Vec<String>)>,
    /// Fetch from loopback, private and link-local addresses too (`--allow-private-hosts`).
    pub allow_private: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let timeout = Duration::from_secs(20);
        Settings {
            timeout,
            max_body: 5_000_000,
            retries: 3,
            max_wait: MAX_RETRY_WAIT.min(timeout),
            offline: false,
            platform_hosts: Vec::new(),
            allow_private: false,
        }
    }
}

/// Why a post's caption could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum FetchError {
    #[error("not a valid URL: {0}")]
    #[diagnostic(code(adlint::fetch::url))]
    BadUrl(String),
    #[error("unsupported URL scheme `{0}`: only http and https URLs are fetched")]
    #[diagnostic(code(adlint::fetch::url))]
    Scheme(String),
    #[error("not fetched: --offline forbids network access (add --cache DIR to use stored pages)")]
    #[diagnostic(code(adlint::fetch::offline))]
    Offline,
    #[error("not fetched: --offline, and the page is not in the cache {0}")]
    #[diagnostic(code(adlint::fetch::offline))]
    NotCached(String),
    #[error("refused: {0} (pass --allow-private-hosts to fetch from private networks)")]
    #[diagnostic(code(adlint::fetch::private))]
    Private(String),
    #[error("timed out after {0} (--timeout)")]
    #[diagnostic(code(adlint::fetch::timeout))]
    Timeout(String),
    #[error("could not connect: {0}")]
    #[diagnostic(code(adlint::fetch::connect))]
    Connect(String),
    #[error("the request failed: {0}")]
    #[diagnostic(code(adlint::fetch::request))]
    Request(String),
    #[error("HTTP {0}")]
    #[diagnostic(code(adlint::fetch::status))]
    Status(String),
    #[error("redirect loop: {0}")]
    #[diagnostic(code(adlint::fetch::redirect))]
    RedirectLoop(String),
    #[error("too many redirects: more than {MAX_REDIRECTS} ({0})")]
    #[diagnostic(code(adlint::fetch::redirect))]
    TooManyRedirects(String),
    #[error("bad redirect: {0}")]
    #[diagnostic(code(adlint::fetch::redirect))]
    BadRedirect(String),
    #[error("the page is larger than the {0} limit (--max-body)")]
    #[diagnostic(code(adlint::fetch::size))]
    TooLarge(String),
    #[error("not a web page: the server sent {0}")]
    #[diagnostic(code(adlint::fetch::media))]
    NotAPage(String),
    #[error("no caption in page: {0}")]
    #[diagnostic(code(adlint::fetch::caption))]
    NoCaption(String),
}

/// A page as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The URL that answered, after redirects.
    pub url: String,
    pub kind: Kind,
    pub body: String,
}

/// Fetches pages and finds their captions. Shared by the fetching threads.
pub struct Client {
    settings: Settings,
    cache: Option<Cache>,
    /// Built on first use: a run without URLs never starts reqwest's runtime.
    http: OnceLock<Result<reqwest::blocking::Client, String>>,
}

impl Client {
    /// A client; `cache` is the `--cache` folder, created when missing.
    pub fn new(settings: Settings, cache: Option<&Path>) -> std::io::Result<Client> {
        Ok(Client {
            settings,
            cache: cache.map(Cache::open).transpose()?,
            http: OnceLock::new(),
        })
    }

    fn http(&self) -> Result<&reqwest::blocking::Client, FetchError> {
        let built = self.http.get_or_init(|| {
            // The async builder's timeout is a deadline for the whole request, from connecting
            // to the last byte of the body; the blocking one's alone bounds each read.
            let whole = reqwest::Client::builder()
                .timeout(self.settings.timeout)
                .dns_resolver(policy::Resolver::new(self.settings.allow_private));
            reqwest::blocking::ClientBuilder::from(whole)
                .user_agent(USER_AGENT)
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(self.settings.timeout.min(Duration::from_secs(10)))
                .timeout(self.settings.timeout)
                .build()
                .map_err(|e| chain(&e))
        });
        built
            .as_ref()
            .map_err(|e| FetchError::Request(format!("could not start the HTTP client: {e}")))
    }

    /// Fetch the pending caption's page and fill in its text, where it was found and, when no
    /// platform was given, the platform of the page's host. A failure is an input error for
    /// this post.
    pub fn resolve(&self, mut caption: Caption) -> Event {
        let url = caption
            .fetched
            .as_ref()
            .map(|f| f.url.clone())
            .unwrap_or_default();
        match self.caption(&url) {
            Ok((page_url, found)) => {
                if caption.platform.is_none() {
                    let hosts = &self.settings.platform_hosts;
                    caption.platform = platform_of(&page_url, hosts)
                        .or_else(|| platform_of(&url, hosts))
                        .map(String::from);
                }
                caption.text = found.text;
                caption.fetched = Some(Fetched {
                    url: page_url,
                    field: Some(found.field),
                });
                Event::Caption(caption)
            }
            Err(e) => {
                let origin = caption.origin;
                let message = if origin.source == url {
                    e.to_string()
                } else {
                    format!("{url}: {e}")
                };
                Event::Error(InputError {
                    source: origin.source,
                    record: origin.record,
                    place: origin.place,
                    message,
                })
            }
        }
    }

    /// The caption of the post at `url`, and the URL of the page it was found in.
    pub fn caption(&self, url: &str) -> Result<(String, Found), FetchError> {
        let page = self.page(url)?;
        let found = extract::caption(&page.body, page.kind).map_err(FetchError::NoCaption)?;
        Ok((page.url, found))
    }

    /// The page at `url`: from the cache when `--offline`, else from the server (revalidating
    /// a cached copy).
    pub fn page(&self, url: &str) -> Result<Page, FetchError> {
        let start = parse_url(url)?;
        let cached = self.cache.as_ref().and_then(|c| c.get(url));
        if self.settings.offline {
            return match (cached, &self.cache) {
                (Some(entry), _) => cached_page(entry),
                (None, Some(cache)) => {
                    Err(FetchError::NotCached(cache.dir().display().to_string()))
                }
                (None, None) => Err(FetchError::Offline),
            };
        }
        let http = self.http()?;
        // A cached page is asked for where it was found, with its validators.
        let mut target = match &cached {
            Some(entry) => parse_url(&entry.page_url).unwrap_or(start),
            None => start,
        };
        let mut chain = vec![target.to_string()];
        loop {
            self.allowed(&target)?;
            let validators = cached.as_ref().filter(|e| e.page_url == target.as_str());
            let (response, started) = self.send(http, &target, validators)?;
            let status = response.status();
            if status == StatusCode::NOT_MODIFIED {
                // Only an answer to our validators; otherwise the server is confused.
                return match validators {
                    Some(entry) => cached_page(entry.clone()),
                    None => Err(FetchError::Status(status_text(status))),
                };
            }
            if status.is_redirection() {
                target = follow(&response, &target, &mut chain)?;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Status(status_text(status)));
            }
            let (page, entry) = self.read(response, url, &target, started)?;
            if let Some(cache) = &self.cache {
                // A cache that cannot be written only costs a refetch next time.
                let _ = cache.put(&entry);
            }
            return Ok(page);
        }
    }

    /// Refuse a URL whose host is an address that is not public, unless allowed (a host that
    /// is a name is checked when it is resolved, by [`policy::Resolver`]).
    fn allowed(&self, url: &Url) -> Result<(), FetchError> {
        if self.settings.allow_private {
            return Ok(());
        }
        let host = url.host_str().unwrap_or_default();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let Ok(addr) = bare.parse::<std::net::IpAddr>() else {
            return Ok(());
        };
        if policy::is_public(addr) {
            return Ok(());
        }
        Err(FetchError::Private(
            policy::PrivateAddress {
                host: addr.to_string(),
                addr,
            }
            .to_string(),
        ))
    }

    /// Send one GET, retrying after 429 and 5xx answers: the answer, and when the request
    /// that got it started.
    fn send(
        &self,
        http: &reqwest::blocking::Client,
        url: &Url,
        validators: Option<&Entry>,
    ) -> Result<(Response, Instant), FetchError> {
        let mut retries = 0;
        loop {
            let started = Instant::now();
            let mut request = http.get(url.clone()).header(
                header::ACCEPT,
                "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.5",
            );
            if let Some(entry) = validators {
                if let Some(etag) = &entry.etag {
                    request = request.header(header::IF_NONE_MATCH, etag);
                }
                if let Some(date) = &entry.last_modified {
                    request = request.header(header::IF_MODIFIED_SINCE, date);
                }
            }
            let response = request
                .send()
                .map_err(|e| request_error(&e, self.settings.timeout))?;
            let status = response.status();
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            if !retryable {
                return Ok((response, started));
            }
            if retries >= self.settings.retries {
                let tries = match retries {
                    0 => String::new(),
                    1 => " (after 1 retry)".to_string(),
                    n => format!(" (after {n} retries)"),
                };
                return Err(FetchError::Status(format!(
                    "{}{tries}",
                    status_text(status)
                )));
            }
            let wait = retry_after(response.headers(), SystemTime::now())
                .unwrap_or_else(|| backoff(retries))
                .min(self.settings.max_wait);
            drop(response);
            std::thread::sleep(wait);
            retries += 1;
        }
    }

    /// Read a successful answer's body, within the size cap, as a page and a cache entry.
    fn read(
        &self,
        response: Response,
        asked: &str,
        url: &Url,
        started: Instant,
    ) -> Result<(Page, Entry), FetchError> {
        let headers = response.headers().clone();
        let text = |name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        };
        let content_type = text(header::CONTENT_TYPE);
        let declared = extract::declared(content_type.as_deref());
        if let Declared::NotAPage(mime) = &declared {
            return Err(FetchError::NotAPage(mime.clone()));
        }
        let max = self.settings.max_body;
        if response.content_length().is_some_and(|n| n > max) {
            return Err(FetchError::TooLarge(crate::input::human_size(max as usize)));
        }
        // The client's deadline covers the body; this loop also checks it between reads, so
        // a server that trickles bytes cannot keep a request going past it either way.
        let timeout = self.settings.timeout;
        let mut body = Vec::new();
        let mut limited = response.take(max.saturating_add(1));
        let mut chunk = vec![0u8; 1 << 16];
        loop {
            if started.elapsed() > timeout {
                return Err(FetchError::Timeout(seconds_text(timeout)));
            }
            match limited.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => body.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(body_error(&e, timeout)),
            }
        }
        if body.len() as u64 > max {
            return Err(FetchError::TooLarge(crate::input::human_size(max as usize)));
        }
        let kind = match declared {
            Declared::Page(kind) => kind,
            _ => extract::sniff(&body).ok_or_else(|| {
                FetchError::NotAPage(match &content_type {
                    Some(t) if !t.trim().is_empty() => {
                        format!("{} that is not HTML or JSON", t.trim())
                    }
                    _ => "a body that is not HTML or JSON".to_string(),
                })
            })?,
        };
        let body = String::from_utf8_lossy(&body).into_owned();
        let entry = Entry {
            url: asked.to_string(),
            page_url: url.to_string(),
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
            content_type,
            body: body.clone(),
        };
        let page = Page {
            url: url.to_string(),
            kind,
            body,
        };
        Ok((page, entry))
    }
}

fn cached_page(entry: Entry) -> Result<Page, FetchError> {
    let kind = match extract::declared(entry.content_type.as_deref()) {
        Declared::Page(kind) => Some(kind),
        _ => extract::sniff(entry.body.as_bytes()),
    };
    Ok(Page {
        url: entry.page_url,
        kind: kind.unwrap_or(Kind::Html),
        body: entry.body,
    })
}

/// Parse a URL to fetch: http and https only.
fn parse_url(url: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(url.trim()).map_err(|e| FetchError::BadUrl(format!("{url} ({e})")))?;
    match parsed.scheme() {
        "http" | "https" if parsed.host_str().is_some() => Ok(parsed),
        "http" | "https" => Err(FetchError::BadUrl(format!("{url} (no host)"))),
        other => Err(FetchError::Scheme(other.to_string())),
    }
}

/// The next URL of a redirect: relative locations resolved, other schemes, loops, login
/// pages and more than [`MAX_REDIRECTS`] redirects refused.
fn follow(response: &Response, from: &Url, chain: &mut Vec<String>) -> Result<Url, FetchError> {
    let status = status_text(response.status());
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| FetchError::BadRedirect(format!("HTTP {status} without a Location")))?;
    let next = from
        .join(location.trim())
        .map_err(|e| FetchError::BadRedirect(format!("Location `{location}` ({e})")))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(FetchError::BadRedirect(format!(
            "to {next}: only http and https URLs are followed"
        )));
    }
    let shown = |chain: &[String], next: &Url| format!("{} → {next}", chain.join(" → "));
    if chain.iter().any(|u| u == next.as_str()) {
        return Err(FetchError::RedirectLoop(shown(chain, &next)));
    }
    if chain.len() > MAX_REDIRECTS {
        return Err(FetchError::TooManyRedirects(shown(chain, &next)));
    }
    if is_login_path(next.path()) {
        return Err(FetchError::NoCaption(format!(
            "the site redirected to a login page ({next})"
        )));
    }
    chain.push(next.to_string());
    Ok(next)
}

/// Whether a path is a login page: `/login`, `/accounts/login/`, `/i/flow/login`,
/// `/authwall`, `/signin`, `/login.php`, …
fn is_login_path(path: &str) -> bool {
    path.split('/').any(|segment| {
        let s = segment.to_ascii_lowercase();
        s.starts_with("login")
            || s.starts_with("signin")
            || matches!(
                s.as_str(),
                "sign-in" | "sign_in" | "authwall" | "checkpoint"
            )
    })
}

/// `404 Not Found`.
fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// Waits before retries without `Retry-After`: 1 s, 2 s, 4 s, …
fn backoff(retry: u32) -> Duration {
    Duration::from_secs(1u64 << retry.min(5))
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date (a date in the past is
/// no wait).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parse an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form HTTP dates are sent in.
fn http_date(value: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *s > 60 || year < 1970 {
        return None;
    }
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + m * 60 + s;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

/// `20 s`, `0.5 s`.
fn seconds_text(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

/// An error and its causes, as one line: reqwest's own message says little on its own.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn request_error(e: &reqwest::Error, timeout: Duration) -> FetchError {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(private) = s.downcast_ref::<policy::PrivateAddress>() {
            return FetchError::Private(private.to_string());
        }
        source = s.source();
    }
    if e.is_timeout() {
        return FetchError::Timeout(seconds_text(timeout));
    }
    // The cause without reqwest's "error sending request for url (…)" wrapper.
    let mut cause = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if e.is_connect() {
        FetchError::Connect(cause)
    } else {
        FetchError::Request(cause)
    }
}

fn body_error(e: &std::io::Error, timeout: Duration) -> FetchError {
    let timed_out = e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout)
        || chain(e).contains("timed out");
    if timed_out {
        FetchError::Timeout(seconds_text(timeout))
    } else {
        FetchError::Request(format!("reading the page failed: {}", chain(e)))
    }
}

/// The platform whose fold applies to a post on this URL's host, when it is a known one: the
/// `hosts` of each platform in the rule files (`rules/platforms.toml`).
pub fn platform_of<'p>(url: &str, platforms: &'p [(String, Vec<String>)]) -> Option<&'p str> {
    let parsed = Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    platforms
        .iter()
        .find(|(_, hosts)| hosts.iter().any(|h| crate::rules::host_matches(h, host)))
        .map(|(name, _)| name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_come_from_hosts() {
        let rules = crate::rules::load(&crate::rules::builtin::sources()).unwrap();
        let hosts: Vec<(String, Vec<String>)> = rules
            .platforms
            .iter()
            .map(|p| (p.name.clone(), p.hosts.clone()))
            .collect();
        for (url, want) in [
            ("https://www.instagram.com/p/abc/", Some("instagram")),
            ("https://m.tiktok.com/@a/video/1", Some("tiktok")),
            ("https://vm.tiktok.com/x", Some("tiktok")),
            ("https://youtu.be/abc", Some("youtube")),
            ("https://music.youtube.com/watch?v=1", Some("youtube")),
            ("https://m.facebook.com/story.php", Some("facebook")),
            ("https://twitter.com/a/status/1", Some("x")),
            ("https://x.com/a/status/1", Some("x")),
            ("https://www.linkedin.com/posts/a", Some("linkedin")),
            ("https://www.pinterest.co.uk/pin/1", Some("pinterest")),
            ("https://pinterest.com/pin/1", Some("pinterest")),
            ("https://www.threads.net/@a/post/1", Some("threads")),
            ("https://notinstagram.com/p/1", None),
            ("https://x.com.evil.example/p", None),
            ("https://pinterest.example.evil.com/p", None),
            ("https://example.com/p", None),
        ] {
            assert_eq!(platform_of(url, &hosts), want, "{url}");
        }
    }

    #[test]
    fn only_http_and_https_are_fetched() {
        assert!(parse_url("https://a.example/p").is_ok());
        assert_eq!(
            parse_url("ftp://a.example/p"),
            Err(FetchError::Scheme("ftp".into()))
        );
        assert!(matches!(parse_url("http://"), Err(FetchError::BadUrl(_))));
    }

    #[test]
    fn private_hosts_are_refused_at_every_hop_unless_allowed() {
        // `page` checks each URL it is about to ask, the first and every redirect's.
        let client = Client::new(Settings::default(), None).unwrap();
        for url in [
            "http://127.0.0.1:8080/admin",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://10.0.0.7/x",
        ] {
            let refused = client.allowed(&Url::parse(url).unwrap()).unwrap_err();
            assert!(matches!(refused, FetchError::Private(_)), "{url}");
            assert!(
                matches!(client.page(url), Err(FetchError::Private(_))),
                "{url}"
            );
        }
        assert!(
            client
                .allowed(&Url::parse("https://www.instagram.com/p/x").unwrap())
                .is_ok()
        );
        let open = Client::new(
            Settings {
                allow_private: true,
                ..Settings::default()
            },
            None,
        )
        .unwrap();
        assert!(
            open.allowed(&Url::parse("http://127.0.0.1/").unwrap())
                .is_ok()
        );
    }

    #[test]
    fn login_paths() {
        assert!(is_login_path("/accounts/login/"));
        assert!(is_login_path("/i/flow/login"));
        assert!(is_login_path("/login.php"));
        assert!(is_login_path("/authwall"));
        assert!(!is_login_path("/p/blogin-tips"));
        assert!(!is_login_path("/p/abc"));
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let mut headers = HeaderMap::new();
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        headers.insert(header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(
            header::RETRY_AFTER,
            "Sun, 06 Nov 1994 08:50:07 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(
            header::RETRY_AFTER,
            "Sat, 05 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
        assert_eq!(
            http_date("Thu, 29 Feb 2024 23:59:59 GMT"),
            Some(UNIX_EPOCH + Duration::from_secs(1_709_251_199))
        );
    }
}
