//! Hostile servers and URLs (issue 16, items 4–6): a server that trickles its page past the
//! deadline, URLs that point at loopback (refused unless `--allow-private-hosts`), and control
//! characters a page sends as entities.
//!
//! Each test starts its own small HTTP server on 127.0.0.1; the tests that expect a fetch
//! pass `--allow-private-hosts` (loopback is private), the others show it is refused.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::Run;

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

/// What the server does with each request.
#[derive(Clone, Copy)]
enum Behaviour {
    /// A page whose og:description is this.
    Page(&'static str),
    /// A page declared 2,000 bytes long, sent one byte every 100 ms (200 s in all).
    Trickle,
    /// An HTTP proxy for `public.example` that redirects every post to this server's
    /// `/secret` on 127.0.0.1, and serves `/secret` itself.
    RedirectingProxy,
}

struct Server {
    base: String,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(behaviour: Behaviour) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopped) = (Arc::clone(&requests), Arc::clone(&stop));
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let stopped = Arc::clone(&stopped);
                thread::spawn(move || answer(stream, behaviour, &stopped));
            }
        });
        Server {
            base,
            requests,
            stop,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.base.trim_start_matches("http://"));
    }
}

fn answer(stream: TcpStream, behaviour: Behaviour, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    let _ = reader.read_line(&mut request_line);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
    }
    let here = stream.local_addr().unwrap();
    let mut stream = &stream;
    let behaviour = match behaviour {
        Behaviour::RedirectingProxy if request_line.contains("public.example") => {
            let _ = write!(
                stream,
                "HTTP/1.1 302 Found\r\nLocation: http://{here}/secret\r\nContent-Length: 0\r\n\
                 Connection: close\r\n\r\n"
            );
            return;
        }
        Behaviour::RedirectingProxy => Behaviour::Page("#ad the internal secret"),
        other => other,
    };
    match behaviour {
        Behaviour::Page(description) => {
            let body = format!(
                "<!doctype html><html><head><meta property=\"og:description\" \
                 content=\"{description}\"></head><body></body></html>"
            );
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
        Behaviour::RedirectingProxy => {}
        Behaviour::Trickle => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2000\r\n\
                        Connection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 0..2000 {
                if stop.load(Ordering::SeqCst) || stream.write_all(b" ").is_err() {
                    return;
                }
                let _ = stream.flush();
                thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

fn adlint(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("ADLINT_ALLOW_PRIVATE_HOSTS")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .stdin(Stdio::null());
    cmd
}

fn check(dir: &Path, args: &[&str]) -> Run {
    adlint(dir)
        .args(["check", "--no-config", "--color", "never"])
        .args(args)
        .output()
        .expect("adlint runs")
        .into()
}

fn jsonl_errors(run: &Run) -> Vec<String> {
    run.jsonl()
        .iter()
        .filter_map(|l| l.get("error").and_then(|e| e.as_str()).map(String::from))
        .collect()
}

#[test]
fn a_trickling_server_is_cut_off_at_the_deadline() {
    let server = Server::start(Behaviour::Trickle);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let run = check(
        dir.path(),
        &[
            "--allow-private-hosts",
            "--format",
            "jsonl",
            "--timeout",
            "2",
            "--retries",
            "0",
            &server.url("/slow"),
        ],
    );
    let took = started.elapsed();
    assert_eq!(run.code, 2, "{run:?}");
    let errors = jsonl_errors(&run);
    assert_eq!(errors.len(), 1, "{run:?}");
    assert!(errors[0].contains("timed out after 2 s"), "{errors:?}");
    // Each byte comes well within any per-read timeout; only a deadline for the whole request
    // ends this before the server's 200 s.
    assert!(
        took < Duration::from_secs(60),
        "the run ended only after {took:?}"
    );
}

#[test]
fn loopback_is_refused_by_default_from_every_kind_of_input() {
    let server = Server::start(Behaviour::Page("#ad from the internal service"));
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/admin");
    let port = url.rsplit(':').next().unwrap().to_string();
    let by_name = format!("http://localhost:{port}");
    fs::write(dir.path().join("links.txt"), format!("{url}\n{by_name}\n")).unwrap();
    fs::write(
        dir.path().join("export.csv"),
        format!("id,url,caption\np-1,{url},\n"),
    )
    .unwrap();
    let run = check(
        dir.path(),
        &[
            "--format",
            "jsonl",
            &url,
            "--urls-from",
            "links.txt",
            "--fetch",
            "export.csv",
        ],
    );
    assert_eq!(run.code, 2, "{run:?}");
    let errors = jsonl_errors(&run);
    assert_eq!(errors.len(), 4, "{run:?}");
    for e in &errors {
        assert!(e.contains("refused:"), "{e}");
        assert!(e.contains("--allow-private-hosts"), "{e}");
    }
    assert!(
        errors
            .iter()
            .any(|e| e.contains("localhost resolves to") && e.contains("a private address")),
        "{errors:?}"
    );
    assert_eq!(server.requests(), 0, "nothing reached the server");
    assert!(!run.stdout.contains("internal service"));

    // Allowed with the flag, or its environment variable.
    let run = check(
        dir.path(),
        &["--format", "jsonl", "--allow-private-hosts", &url],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let run: Run = adlint(dir.path())
        .env("ADLINT_ALLOW_PRIVATE_HOSTS", "1")
        .args(["check", "--no-config", "--format", "jsonl", &by_name])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.requests(), 2);
}

#[test]
fn a_redirect_to_a_private_address_is_refused_unless_allowed() {
    // The test server is the proxy for `public.example`, a name adlint need not resolve; its
    // answer redirects to 127.0.0.1, which adlint reaches directly (NO_PROXY).
    let server = Server::start(Behaviour::RedirectingProxy);
    let dir = tempfile::tempdir().unwrap();
    let through_proxy = |extra: &[&str]| -> Run {
        adlint(dir.path())
            .env("HTTP_PROXY", &server.base)
            .args(["check", "--no-config", "--format", "jsonl"])
            .args(extra)
            .arg("http://public.example/p/1")
            .output()
            .unwrap()
            .into()
    };
    let run = through_proxy(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    let errors = jsonl_errors(&run);
    assert_eq!(errors.len(), 1, "{run:?}");
    assert!(
        errors[0].contains("refused: 127.0.0.1 is a private address"),
        "{errors:?}"
    );
    assert_eq!(
        server.requests(),
        1,
        "only the proxy was asked, not /secret"
    );

    let run = through_proxy(&["--allow-private-hosts"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.requests(), 3, "the redirect was followed");
}

#[test]
fn control_characters_from_a_page_are_escaped_in_human_output_only() {
    let server = Server::start(Behaviour::Page(
        "Love it &#27;]0;owned&#7; &#27;[2J&#x202E; #sp",
    ));
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/p/1");
    let run = check(
        dir.path(),
        &["--allow-private-hosts", "--select", "FTC002", &url],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.stdout.contains('\x1b'), "{run:?}");
    assert!(!run.stdout.contains('\u{202E}'), "{run:?}");
    assert!(
        run.stdout
            .contains("Love it \\x1B]0;owned\\x07 \\x1B[2J\\u{202E} #sp"),
        "{run:?}"
    );
    // Machine formats keep the text: spans count the raw characters.
    let run = check(
        dir.path(),
        &[
            "--allow-private-hosts",
            "--select",
            "FTC002",
            "--format",
            "json",
            &url,
        ],
    );
    let doc = run.json();
    let span = &doc["results"][0]["diagnostics"][0]["span"];
    let caption = "Love it \u{1b}]0;owned\u{7} \u{1b}[2J\u{202E} #sp";
    assert_eq!(span["start"], caption.find("#sp").unwrap(), "{doc}");
}
