//! Checking published posts by URL, against a small HTTP/1.1 server each test starts on
//! 127.0.0.1 (no internet): extraction sources, redirects, retries, timeouts, size and type
//! limits, URL lists, `--fetch` on exports, the cache and `--offline`.
//!
//! The server answers each request from a handler given the request and how many times its
//! path was asked for, and records every request so tests can check what adlint sent. It stops
//! when the test drops it.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::{Run, with_input};

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Request {
    path: String,
    /// Header names in lower case.
    headers: HashMap<String, String>,
    /// When it arrived.
    at: Instant,
}

/// What the server does with a request.
enum Reply {
    /// Send these bytes (a whole response), then close.
    Send(Vec<u8>),
    /// Wait, then send.
    After(Duration, Vec<u8>),
    /// Send the head, then stream this many bytes of filler (or until adlint hangs up).
    Stream(String, usize),
    /// Send the head, then nothing for a while.
    Stall(String),
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

struct Server {
    base: String,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    /// Requests being answered now, and the most at once.
    busy: Arc<(AtomicUsize, AtomicUsize)>,
}

impl Server {
    /// Serve with `handler(request, n)`, `n` counting the requests for that path from 1.
    fn start(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let busy = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        let (log2, stop2, busy2) = (Arc::clone(&log), Arc::clone(&stop), Arc::clone(&busy));
        thread::spawn(move || {
            let hits = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (handler, log, hits, busy) = (
                    Arc::clone(&handler),
                    Arc::clone(&log2),
                    Arc::clone(&hits),
                    Arc::clone(&busy2),
                );
                thread::spawn(move || serve(stream, &*handler, &log, &hits, &busy));
            }
        });
        Server {
            base,
            log,
            stop,
            busy,
        }
    }

    /// The most requests answered at once.
    fn most_at_once(&self) -> usize {
        self.busy.1.load(Ordering::SeqCst)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self, path: &str) -> Vec<Request> {
        let log = self.log.lock().unwrap();
        log.iter().filter(|r| r.path == path).cloned().collect()
    }

    fn request_count(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    /// Replace the server's address in output, for snapshots.
    fn redact(&self, text: &str) -> String {
        text.replace(&self.base, "http://SERVER")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.base.trim_start_matches("http://"));
    }
}

fn serve(
    stream: TcpStream,
    handler: &Handler,
    log: &Mutex<Vec<Request>>,
    hits: &Mutex<HashMap<String, usize>>,
    busy: &(AtomicUsize, AtomicUsize),
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let request = Request {
        path,
        headers,
        at: Instant::now(),
    };
    log.lock().unwrap().push(request.clone());
    let n = {
        let mut hits = hits.lock().unwrap();
        let n = hits.entry(request.path.clone()).or_default();
        *n += 1;
        *n
    };
    let mut stream = &stream;
    // Busy from the request until its answer is sent: adlint cannot ask again before that.
    let now = busy.0.fetch_add(1, Ordering::SeqCst) + 1;
    busy.1.fetch_max(now, Ordering::SeqCst);
    let reply = handler(&request, n);
    if let Reply::After(wait, _) = &reply {
        thread::sleep(*wait);
    }
    busy.0.fetch_sub(1, Ordering::SeqCst);
    match reply {
        Reply::Send(bytes) | Reply::After(_, bytes) => {
            let _ = stream.write_all(&bytes);
        }
        Reply::Stall(head) => {
            let _ = stream.write_all(head.as_bytes());
            thread::sleep(Duration::from_secs(8));
        }
        Reply::Stream(head, len) => {
            let _ = stream.write_all(head.as_bytes());
            let chunk = vec![b'a'; 64 * 1024];
            let mut sent = 0;
            while sent < len && stream.write_all(&chunk).is_ok() {
                sent += chunk.len();
            }
        }
    }
}

/// A whole response: status line, headers, Content-Length, body.
fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn html(body: &str) -> Reply {
    Reply::Send(response(
        "200 OK",
        &[("Content-Type", "text/html; charset=utf-8")],
        body.as_bytes(),
    ))
}

fn redirect(status: &str, to: &str) -> Reply {
    Reply::Send(response(status, &[("Location", to)], b""))
}

/// A post page whose caption is in og:description.
fn og_page(caption: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Post</title>\
         <meta property=\"og:description\" content=\"{caption}\"></head><body></body></html>"
    )
}

/// A clean caption (the disclosure is first): the human output is one line per post.
const CLEAN: &str = "#ad @glowlab my morning routine with the new serum";

fn adlint(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_PROXY", "127.0.0.1")
        // The test server is on loopback, which adlint refuses unless allowed.
        .env("ADLINT_ALLOW_PRIVATE_HOSTS", "1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .stdin(Stdio::null());
    cmd
}

/// `adlint check --color never --no-config <args>` in a temp folder.
fn check(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    check_in(dir.path(), args)
}

fn check_in(dir: &Path, args: &[&str]) -> Run {
    checking(dir, args).output().expect("adlint runs").into()
}

fn checking(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = adlint(dir);
    cmd.args(["check", "--color", "never", "--no-config"])
        .args(args);
    cmd
}

/// The error messages of a `--format jsonl` run, one per line that is an error.
fn jsonl_errors(run: &Run) -> Vec<String> {
    run.jsonl()
        .iter()
        .filter_map(|l| l.get("error").and_then(|e| e.as_str()).map(String::from))
        .collect()
}

/// The one error's message of a `--format json` run.
fn only_error(run: &Run) -> String {
    let json = run.json();
    let errors = json["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{run:?}");
    errors[0]["message"].as_str().unwrap().to_string()
}

#[test]
fn each_extraction_source_is_named() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/jsonld" => html(&format!(
            "<html><head><meta property=\"og:description\" content=\"not this\">\
             <script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\
             \"@graph\":[{{\"@type\":\"WebPage\"}},{{\"@type\":\"SocialMediaPosting\",\
             \"articleBody\":\"{CLEAN}\"}}]}}</script></head></html>"
        )),
        "/og" => html(&og_page(CLEAN)),
        "/twitter" => html(&format!(
            "<html><head><meta name=\"twitter:description\" content=\"{CLEAN}\">\
             <meta name=\"description\" content=\"not this\"></head></html>"
        )),
        "/meta" => html(&format!(
            "<html><head><meta name=\"description\" content=\"{CLEAN}\"></head></html>"
        )),
        "/oembed" => Reply::Send(response(
            "200 OK",
            &[("Content-Type", "application/json")],
            format!("{{\"version\":\"1.0\",\"type\":\"video\",\"title\":\"{CLEAN}\"}}").as_bytes(),
        )),
        _ => html("<html></html>"),
    });
    let urls: Vec<String> = ["/jsonld", "/og", "/twitter", "/meta", "/oembed"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();
    let run = check(&args);
    assert_eq!(run.code, 0, "{run:?}");
    insta::assert_snapshot!("fetch_sources", server.redact(&run.stdout));
}

#[test]
fn the_readme_example_is_what_adlint_prints() {
    let page = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/post.html"))
        .unwrap();
    let server = Server::start(move |req, _| match req.path.as_str() {
        "/p/abc/" => Reply::Send(response(
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8")],
            &page,
        )),
        _ => Reply::Send(response("404 Not Found", &[], b"")),
    });
    // The host would choose Instagram's fold; the local server needs the flag.
    let run = check(&[
        "--platform",
        "instagram",
        &server.url("/p/abc/"),
        &server.url("/p/gone/"),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("```text\nhttps://www.instagram.com/p/abc/: caption from")
        .expect("the README shows the example")
        + "```text\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let shown = run
        .stdout
        .replace(&server.base, "https://www.instagram.com");
    assert_eq!(shown, readme[start..end]);
}

#[test]
fn entities_and_emoji_are_decoded_and_columns_count_characters() {
    let server = Server::start(|_, _| {
        html(&og_page(
            "Glow &amp;amp; shine &#x1F31F;&#x1F31F; with @glowlab &mdash; use code GLOW20 for 20% off",
        ))
    });
    let url = server.url("/p/abc");
    let run = check(&[&url]);
    assert_eq!(run.code, 1, "{run:?}");
    insta::assert_snapshot!("fetch_entities", server.redact(&run.stdout));
    let json = check(&["--format", "json", &url]).json();
    let result = &json["results"][0];
    assert_eq!(result["source"], url.as_str());
    assert_eq!(result["record"], serde_json::Value::Null);
    assert_eq!(result["diagnostics"][0]["column"], 33);
}

#[test]
fn a_redirect_chain_is_followed_and_the_page_named() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/r1" => redirect("301 Moved Permanently", "/r2"),
        "/r2" => redirect("302 Found", "r3"),
        "/r3" => redirect("307 Temporary Redirect", "/p/post"),
        "/p/post" => html(&og_page(CLEAN)),
        _ => html(""),
    });
    let run = check(&[&server.url("/r1")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        server.redact(&run.stdout),
        "✓ http://SERVER/r1: no disclosure problems found (generic); caption from og:description of http://SERVER/p/post\n\nChecked 1 caption: 0 errors, 0 warnings, 0 advice; 1 clean.\n"
    );
}

#[test]
fn redirect_loops_and_long_chains_are_input_errors() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/a" => redirect("302 Found", "/b"),
        "/b" => redirect("302 Found", "/a"),
        hop => {
            let n: usize = hop.trim_start_matches("/hop/").parse().unwrap_or(0);
            redirect("302 Found", &format!("/hop/{}", n + 1))
        }
    });
    let run = check(&["--format", "json", &server.url("/a")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        server.redact(&only_error(&run)),
        "redirect loop: http://SERVER/a → http://SERVER/b → http://SERVER/a"
    );
    let run = check(&["--format", "json", &server.url("/hop/1")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        server.redact(&only_error(&run)),
        "too many redirects: more than 5 (http://SERVER/hop/1 → http://SERVER/hop/2 → \
         http://SERVER/hop/3 → http://SERVER/hop/4 → http://SERVER/hop/5 → http://SERVER/hop/6 → \
         http://SERVER/hop/7)"
    );
    assert_eq!(server.requests("/hop/6").len(), 1);
    assert_eq!(
        server.requests("/hop/7").len(),
        0,
        "the 6th redirect is not followed"
    );
}

#[test]
fn missing_pages_are_input_errors_with_the_status() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/gone" => Reply::Send(response("410 Gone", &[], b"")),
        _ => Reply::Send(response("404 Not Found", &[], b"<h1>no</h1>")),
    });
    let run = check(&[&server.url("/p/missing"), &server.url("/gone")]);
    assert_eq!(run.code, 2, "{run:?}");
    insta::assert_snapshot!("fetch_404", server.redact(&run.stdout));
    assert_eq!(
        server.requests("/p/missing").len(),
        1,
        "a 404 is not retried"
    );
}

#[test]
fn a_server_error_is_retried() {
    let server = Server::start(|_, n| {
        if n == 1 {
            Reply::Send(response("500 Internal Server Error", &[], b"oops"))
        } else {
            html(&og_page(CLEAN))
        }
    });
    let run = check(&["--timeout", "2", &server.url("/p/flaky")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.requests("/p/flaky").len(), 2);
}

#[test]
fn too_many_requests_waits_as_retry_after_says() {
    let server = Server::start(|req, n| match (req.path.as_str(), n) {
        ("/busy", 1) => Reply::Send(response(
            "429 Too Many Requests",
            &[("Retry-After", "1")],
            b"",
        )),
        // A date far ahead: the wait is capped (here by --timeout).
        ("/later", 1) => Reply::Send(response(
            "503 Service Unavailable",
            &[("Retry-After", "Fri, 31 Dec 2100 23:59:59 GMT")],
            b"",
        )),
        ("/later", 2) => Reply::Send(response(
            "503 Service Unavailable",
            &[("Retry-After", "Fri, 31 Dec 2100 23:59:59 GMT")],
            b"",
        )),
        ("/down", _) => Reply::Send(response("503 Service Unavailable", &[], b"")),
        _ => html(&og_page(CLEAN)),
    });
    let started = Instant::now();
    let run = check(&["--timeout", "1.5", &server.url("/busy")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited as asked"
    );
    assert_eq!(server.requests("/busy").len(), 2);

    let started = Instant::now();
    let run = check(&["--timeout", "0.5", &server.url("/later")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the wait is capped"
    );
    assert_eq!(server.requests("/later").len(), 3);

    let run = check(&[
        "--format",
        "json",
        "--retries",
        "1",
        "--timeout",
        "0.2",
        &server.url("/down"),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        only_error(&run),
        "HTTP 503 Service Unavailable (after 1 retry)"
    );
    assert_eq!(server.requests("/down").len(), 2);
}

#[test]
fn a_slow_server_hits_the_timeout() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/slow" => Reply::After(Duration::from_secs(6), response("200 OK", &[], b"late")),
        // The head comes at once, the body never finishes.
        _ => Reply::Stall(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>"
                .into(),
        ),
    });
    let started = Instant::now();
    let run = check(&[
        "--format",
        "jsonl",
        "--timeout",
        "0.5",
        &server.url("/slow"),
        &server.url("/stalls"),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{run:?}");
    assert_eq!(
        jsonl_errors(&run),
        ["timed out after 0.5 s (--timeout)"; 2],
        "{run:?}"
    );
}

#[test]
fn an_oversized_body_is_refused_while_it_streams() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/declared" => html(&format!(
            "<html><head><meta name=description content=\"{}\"></head></html>",
            "x".repeat(5000)
        )),
        // No Content-Length: 200 MB would arrive if adlint kept reading.
        _ => Reply::Stream(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n".into(),
            200_000_000,
        ),
    });
    let started = Instant::now();
    let run = check(&[
        "--format",
        "jsonl",
        "--max-body",
        "4KB",
        &server.url("/declared"),
        &server.url("/endless"),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "{run:?}");
    assert_eq!(
        jsonl_errors(&run),
        ["the page is larger than the 4 KB limit (--max-body)"; 2],
        "{run:?}"
    );
}

#[test]
fn bodies_that_are_not_pages_are_input_errors() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/photo.png" => Reply::Send(response(
            "200 OK",
            &[("Content-Type", "image/png")],
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        )),
        _ => Reply::Send(response(
            "200 OK",
            &[("Content-Type", "application/octet-stream")],
            b"\0\x01\x02binary",
        )),
    });
    let run = check(&[
        "--format",
        "jsonl",
        &server.url("/photo.png"),
        &server.url("/blob"),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    let errors = jsonl_errors(&run);
    assert_eq!(
        errors,
        [
            "not a web page: the server sent image/png",
            "not a web page: the server sent application/octet-stream that is not HTML or JSON"
        ]
    );
}

#[test]
fn login_walls_and_captionless_pages_say_what_was_found() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/wall" => html(
            "<html><head><title>Login • Instagram</title>\
             <meta property=\"og:description\" content=\"Create an account or log in\"></head>\
             <body><form><input name=username><input type=password name=pw></form></body></html>",
        ),
        "/p/private" => redirect("302 Found", "/accounts/login/?next=/p/private"),
        _ => html("<html><head><title>Just a page</title></head><body>hi</body></html>"),
    });
    let run = check(&[
        &server.url("/wall"),
        &server.url("/p/private"),
        &server.url("/plain"),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    insta::assert_snapshot!("fetch_no_caption", server.redact(&run.stdout));
}

#[test]
fn a_url_list_with_a_bad_url_among_good_ones() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/p/2" => Reply::Send(response("404 Not Found", &[], b"")),
        // The first post is the slowest: output still follows the list.
        "/p/1" => Reply::After(
            Duration::from_millis(600),
            response(
                "200 OK",
                &[("Content-Type", "text/html")],
                og_page(CLEAN).as_bytes(),
            ),
        ),
        _ => html(&og_page(
            "Obsessed with this serum @glowlab, use code GLOW20 #spon",
        )),
    });
    let dir = tempfile::tempdir().unwrap();
    let list = format!(
        "# spring campaign\n\n{}\n{}\n  {}  \nnot a url\n",
        server.url("/p/1"),
        server.url("/p/2"),
        server.url("/p/3")
    );
    fs::write(dir.path().join("links.txt"), list).unwrap();
    let run = check_in(
        dir.path(),
        &["--format", "jsonl", "--urls-from", "links.txt"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    let lines: Vec<String> = run
        .jsonl()
        .iter()
        .map(|l| {
            let source = server.redact(l["source"].as_str().unwrap());
            match l.get("error") {
                Some(e) => format!("{source}: {}", e.as_str().unwrap()),
                None => format!(
                    "{source}: {} findings",
                    l["diagnostics"].as_array().unwrap().len()
                ),
            }
        })
        .collect();
    assert_eq!(
        lines,
        [
            "http://SERVER/p/1: 0 findings",
            "http://SERVER/p/2: HTTP 404 Not Found",
            "http://SERVER/p/3: 1 findings",
            "links.txt: line 6: not a URL: `not a url` (give one http:// or https:// URL a line)",
        ]
    );
    // The same list from stdin.
    let run = with_input(
        &mut checking(dir.path(), &["--format", "jsonl", "--urls-from", "-"]),
        fs::read(dir.path().join("links.txt")).unwrap().as_slice(),
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.jsonl().len(), 4);
}

#[test]
fn posts_are_fetched_concurrently_and_reported_in_order() {
    let server = Server::start(|req, _| {
        let n: u64 = req.path.trim_start_matches("/p/").parse().unwrap_or(0);
        // Earlier posts answer later.
        Reply::After(
            Duration::from_millis(250 * (6 - n)),
            response(
                "200 OK",
                &[("Content-Type", "text/html")],
                og_page(&format!("#ad @glowlab post {n}")).as_bytes(),
            ),
        )
    });
    let urls: Vec<String> = (1..=6).map(|n| server.url(&format!("/p/{n}"))).collect();
    let mut args = vec!["--format", "jsonl", "--jobs", "6"];
    args.extend(urls.iter().map(String::as_str));
    let run = check(&args);
    assert_eq!(run.code, 0, "{run:?}");
    let sources: Vec<String> = run
        .jsonl()
        .iter()
        .map(|l| l["source"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sources, urls);
    // Every request arrived before the first post (1.25 s) was answered.
    let at: Vec<Instant> = (1..=6)
        .map(|n| server.requests(&format!("/p/{n}"))[0].at)
        .collect();
    let (first, last) = (at.iter().min().unwrap(), at.iter().max().unwrap());
    assert!(
        last.duration_since(*first) < Duration::from_millis(1000),
        "{at:?}"
    );
    // The client says who it is.
    let agent = &server.requests("/p/1")[0].headers["user-agent"];
    assert_eq!(
        agent,
        &format!(
            "adlint/{} (+https://github.com/adlint/adlint)",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn jobs_bounds_the_requests_at_once() {
    let server = Server::start(|_, _| {
        Reply::After(
            Duration::from_millis(200),
            response(
                "200 OK",
                &[("Content-Type", "text/html")],
                og_page(CLEAN).as_bytes(),
            ),
        )
    });
    let urls: Vec<String> = (1..=6).map(|n| server.url(&format!("/p/{n}"))).collect();
    let mut args = vec!["--format", "jsonl", "--jobs", "2"];
    args.extend(urls.iter().map(String::as_str));
    let run = check(&args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.jsonl().len(), 6);
    assert_eq!(server.most_at_once(), 2);
}

#[test]
fn the_cache_revalidates_with_the_etag() {
    let server = Server::start(|req, _| {
        if req.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
            return Reply::Send(response("304 Not Modified", &[("ETag", "\"v1\"")], b""));
        }
        Reply::Send(response(
            "200 OK",
            &[
                ("Content-Type", "text/html"),
                ("ETag", "\"v1\""),
                ("Last-Modified", "Tue, 24 Nov 2026 09:00:00 GMT"),
            ],
            og_page("Use code GLOW20 for 20% off @glowlab").as_bytes(),
        ))
    });
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/p/cached");
    let args = ["--format", "json", "--cache", "cache", &url];
    let first = check_in(dir.path(), &args);
    assert_eq!(first.code, 1, "{first:?}");
    assert_eq!(fs::read_dir(dir.path().join("cache")).unwrap().count(), 1);

    let second = check_in(dir.path(), &args);
    assert_eq!(second.code, 1, "{second:?}");
    assert_eq!(second.json()["results"], first.json()["results"]);
    let requests = server.requests("/p/cached");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].headers.get("if-none-match"), None);
    assert_eq!(requests[1].headers["if-none-match"], "\"v1\"");
    assert_eq!(
        requests[1].headers["if-modified-since"],
        "Tue, 24 Nov 2026 09:00:00 GMT"
    );

    // Offline, the cached copy is used without asking the server.
    let offline = check_in(
        dir.path(),
        &["--format", "json", "--offline", "--cache", "cache", &url],
    );
    assert_eq!(offline.code, 1, "{offline:?}");
    assert_eq!(offline.json()["results"], first.json()["results"]);
    assert_eq!(server.request_count(), 2);
}

#[test]
fn offline_refuses_to_fetch() {
    let server = Server::start(|_, _| html(&og_page(CLEAN)));
    let run = check(&["--format", "json", "--offline", &server.url("/p/1")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        only_error(&run),
        "not fetched: --offline forbids network access (add --cache DIR to use stored pages)"
    );
    let dir = tempfile::tempdir().unwrap();
    let run = check_in(
        dir.path(),
        &[
            "--format",
            "json",
            "--offline",
            "--cache",
            "c",
            &server.url("/p/1"),
        ],
    );
    assert_eq!(
        only_error(&run),
        "not fetched: --offline, and the page is not in the cache c"
    );
    assert_eq!(server.request_count(), 0);
}

#[test]
fn fetch_fills_in_missing_captions_of_an_export() {
    let server = Server::start(|_, _| {
        html(&og_page(
            "Obsessed with this serum @glowlab, code GLOW20 #spon",
        ))
    });
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "id,creator,platform,caption,url\n\
         p-1,@ann,instagram,#ad Loving this serum,{0}/p/1\n\
         p-2,@bo,tiktok,,{0}/p/2\n\
         p-3,@cy,,,\n",
        server.base
    );
    fs::write(dir.path().join("campaign.csv"), csv).unwrap();
    let without = check_in(dir.path(), &["--format", "json", "campaign.csv"]);
    assert_eq!(without.code, 2, "{without:?}");
    assert_eq!(
        without.json()["errors"][0]["message"],
        "row 2: the caption is empty; the record has a URL: add --fetch to check the published post"
    );

    let run = check_in(dir.path(), &["--fetch", "--format", "csv", "campaign.csv"]);
    assert_eq!(run.code, 2, "{run:?}");
    insta::assert_snapshot!("fetch_export_csv", server.redact(&run.stdout));
    assert_eq!(
        server.request_count(),
        1,
        "only the record without a caption is fetched"
    );

    let human = check_in(
        dir.path(),
        &["--fetch", "--select", "FTC002", "campaign.csv"],
    );
    assert!(
        server.redact(&human.stdout).contains(
            "campaign.csv:row 2 (post p-2, line 3): caption from og:description of http://SERVER/p/2"
        ),
        "{human:?}"
    );
}

#[test]
fn fetch_needs_no_caption_key_in_json_exports() {
    let server = Server::start(|_, _| html(&og_page(CLEAN)));
    let dir = tempfile::tempdir().unwrap();
    let jsonl = format!(
        "{{\"post_id\":\"a1\",\"permalink\":\"{0}/p/1\",\"handle\":\"@ann\"}}\n\
         {{\"post_id\":\"a2\",\"caption\":null,\"link\":\"{0}/p/2\"}}\n\
         {{\"post_id\":\"a3\",\"href\":\"{0}/p/3\"}}\n",
        server.base
    );
    fs::write(dir.path().join("posts.jsonl"), jsonl).unwrap();
    let run = check_in(dir.path(), &["--fetch", "--format", "jsonl", "posts.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines = run.jsonl();
    assert_eq!(lines[0]["record"], "a1");
    assert_eq!(lines[0]["source"], "posts.jsonl");
    assert_eq!(lines[0]["diagnostics"], serde_json::json!([]));
    assert_eq!(lines[1]["record"], "a2");
    assert!(lines[1].get("error").is_none(), "{run:?}");
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("line 3: no caption field"),
        "{run:?}"
    );
    // --url-field names another key.
    let run = check_in(
        dir.path(),
        &[
            "--fetch",
            "--url-field",
            "href",
            "--format",
            "jsonl",
            "posts.jsonl",
        ],
    );
    assert_eq!(
        run.jsonl()[2]["diagnostics"],
        serde_json::json!([]),
        "{run:?}"
    );
}

#[test]
fn other_schemes_and_bad_urls_are_input_errors() {
    let run = check(&["--format", "jsonl", "ftp://example.com/p/1", "https://"]);
    assert_eq!(run.code, 2, "{run:?}");
    let errors = jsonl_errors(&run);
    assert_eq!(
        errors[0],
        "unsupported URL scheme `ftp`: only http and https URLs are fetched"
    );
    assert!(
        errors[1].starts_with("not a valid URL: https://"),
        "{errors:?}"
    );
}

#[test]
fn the_platform_flag_wins_over_the_host() {
    let server = Server::start(|_, _| html(&og_page(CLEAN)));
    let run = check(&[
        "--format",
        "json",
        "--platform",
        "tiktok",
        &server.url("/p/1"),
    ]);
    assert_eq!(run.json()["results"][0]["platform"], "tiktok", "{run:?}");
}

#[test]
fn fix_does_not_fetch_posts() {
    let dir = tempfile::tempdir().unwrap();
    let run: Run = adlint(dir.path())
        .args(["fix", "--no-config", "https://www.instagram.com/p/abc/"])
        .output()
        .expect("adlint runs")
        .into();
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("adlint fix does not fetch posts; check it with `adlint check https://www.instagram.com/p/abc/`"),
        "{run:?}"
    );
}
