//! `adlint serve`: the built binary on an ephemeral loopback port, every endpoint, the limits,
//! the token and LanguageTool's answer shape; every answer validated against `/openapi.json`.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Value, json};

use crate::support::with_input;

/// A running server, stopped (SIGTERM) when dropped.
struct Server {
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_adlint"))
            .args(["serve", "--bind", "127.0.0.1:0", "--no-config"])
            .args(args)
            .env_remove("ADLINT_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("adlint runs");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut line = String::new();
        let mut seen = String::new();
        let base = loop {
            line.clear();
            let n = stderr.read_line(&mut line).expect("stderr reads");
            assert!(n > 0, "the server stopped before listening:\n{seen}");
            seen.push_str(&line);
            if let Some(at) = line.find("listening on ") {
                break line[at + "listening on ".len()..].trim().to_string();
            }
        };
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut rest = String::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                rest.push_str(&String::from_utf8_lossy(&buf[..n]));
                if let Ok(mut log) = sink.lock() {
                    log.push_str(&rest);
                }
                rest.clear();
            }
        });
        Server { child, base, log }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Ask to stop (SIGTERM) and wait: the exit code.
    fn stop(&mut self) -> Option<i32> {
        // SAFETY: signalling a child process this test started, by its id.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// The OpenAPI document, from the server.
fn openapi(server: &Server) -> Value {
    client()
        .get(server.url("/openapi.json"))
        .send()
        .expect("openapi")
        .text()
        .map(|t| serde_json::from_str(&t).expect("openapi is JSON"))
        .expect("body")
}

/// Validate `value` against a schema of the document's components.
fn assert_fits(doc: &Value, schema: &str, value: &Value) {
    let mut root = doc.clone();
    root["$ref"] = json!(format!("#/components/schemas/{schema}"));
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&root)
        .expect("the OpenAPI schemas compile");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{schema} does not fit the answer:\n{}\n{value:#}",
        errors.join("\n")
    );
}

/// POST JSON: status and body.
fn post(server: &Server, path: &str, body: &Value) -> (u16, Value) {
    let response = client()
        .post(server.url(path))
        .header(CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .expect("request");
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_str(&response.text().expect("body")).expect("JSON answer"),
    )
}

fn get(server: &Server, path: &str) -> (u16, Value) {
    let response = client().get(server.url(path)).send().expect("request");
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_str(&response.text().expect("body")).expect("JSON answer"),
    )
}

const SPONSORED: &str = "Loving my new serum from @glowco! Use code GLOW20 for 20% off #skincare";

#[test]
fn every_endpoint_answers_as_documented() {
    let server = Server::start(&[]);
    let doc = openapi(&server);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/v1/check",
        "/v1/fix",
        "/v1/rules",
        "/v1/rules/{code}",
        "/v2/check",
        "/healthz",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }

    let (status, health) = get(&server, "/healthz");
    assert_eq!(status, 200);
    assert_fits(&doc, "Health", &health);

    let page = client().get(server.url("/")).send().expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = page.text().unwrap();
    assert!(html.contains("<textarea"), "the page has the caption box");
    assert!(
        !html.contains("https://") || !html.contains("<script src"),
        "no external scripts"
    );

    let (status, rules) = get(&server, "/v1/rules");
    assert_eq!(status, 200);
    assert_fits(&doc, "RulesResponse", &rules);
    assert!(
        rules["platforms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "instagram" && p["fold_chars"].as_u64().is_some())
    );

    let (status, rule) = get(&server, "/v1/rules/FTC003");
    assert_eq!(status, 200);
    assert_fits(&doc, "RuleResponse", &rule);
    let explained = Command::new(env!("CARGO_BIN_EXE_adlint"))
        .args(["explain", "FTC003", "--no-config"])
        .output()
        .expect("explain runs");
    assert_eq!(
        rule["explain"].as_str().unwrap(),
        String::from_utf8_lossy(&explained.stdout),
        "the rule's text is what `adlint explain` says"
    );
    let (status, missing) = get(&server, "/v1/rules/NOPE999");
    assert_eq!(status, 404);
    assert_fits(&doc, "Error", &missing);

    let (status, one) = post(
        &server,
        "/v1/check",
        &json!({"caption": SPONSORED, "platform": "instagram", "sponsored": true}),
    );
    assert_eq!(status, 200);
    assert_fits(&doc, "CheckResponse", &one);
    assert_eq!(one["results"][0]["diagnostics"][0]["code"], "FTC001");

    let (status, batch) = post(
        &server,
        "/v1/check",
        &json!({"platform": "tiktok", "captions": [
            {"id": "p1", "caption": "#ad Obsessed with @glowco"},
            {"caption": "New drop from @glowco, link in bio #sp", "market": "uk"},
        ]}),
    );
    assert_eq!(status, 200);
    assert_fits(&doc, "CheckResponse", &batch);
    assert_eq!(batch["results"][0]["record"], "p1");
    assert_eq!(
        batch["results"][1]["record"], "2",
        "records without an id are named by their place"
    );
    assert_eq!(batch["results"][0]["platform"], "tiktok");
    assert_eq!(batch["summary"]["captions"], 2);
    assert!(
        batch["packs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["jurisdiction"] == "uk"),
        "the UK caption's market switched its pack on: {:#}",
        batch["packs"]
    );

    let (status, fixed) = post(
        &server,
        "/v1/fix",
        &json!({"caption": "Loving my new serum from @glowco! #sp #skincare"}),
    );
    assert_eq!(status, 200);
    assert_fits(&doc, "FixResponse", &fixed);
    assert_eq!(
        fixed["caption"],
        "Loving my new serum from @glowco! #ad #skincare"
    );
    assert_eq!(fixed["changed"], true);
    assert_eq!(fixed["fixed"][0]["code"], "FTC002");
    assert_eq!(
        fixed["edits"],
        json!([{"start": 35, "end": 37, "text": "ad"}])
    );

    let languages = client()
        .get(server.url("/v2/languages"))
        .send()
        .unwrap()
        .text()
        .map(|t| -> Value { serde_json::from_str(&t).unwrap() })
        .unwrap();
    assert_fits(&doc, "Languages", &languages);
}

/// The server's answer is the CLI's JSON document for the same caption: same findings, spans,
/// fixes and pack versions.
#[test]
fn check_answers_in_the_cli_json_contract() {
    let server = Server::start(&["--platform", "instagram"]);
    let caption = "Big thanks to @glowco for sending this 😍 I've been using it every day and my skin has never looked better, honestly the best serum ever. Use code GLOW20 #skincare #gifted";
    let (_, served) = post(&server, "/v1/check", &json!({"caption": caption}));
    let cli = with_input(
        Command::new(env!("CARGO_BIN_EXE_adlint")).args([
            "check",
            "--format",
            "json",
            "--no-config",
            "--platform",
            "instagram",
            "-",
        ]),
        caption.as_bytes(),
    )
    .json();
    assert!(
        !cli["results"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        served["results"][0]["diagnostics"],
        cli["results"][0]["diagnostics"]
    );
    assert_eq!(served["summary"], cli["summary"]);
    assert_eq!(served["packs"], cli["packs"]);
    assert_eq!(served["version"], cli["version"]);
}

#[test]
fn limits_and_malformed_requests_get_json_errors() {
    let server = Server::start(&[
        "--max-body",
        "20KB",
        "--max-batch",
        "3",
        "--max-caption-size",
        "1KB",
    ]);
    let doc = openapi(&server);

    // Over the body limit: 413.
    let big = json!({"caption": "x".repeat(30_000)});
    let (status, body) = post(&server, "/v1/check", &big);
    assert_eq!(status, 413);
    assert_fits(&doc, "Error", &body);

    // Over the batch limit: 413.
    let captions: Vec<Value> = (0..4).map(|_| json!({"caption": "#ad hi"})).collect();
    let (status, body) = post(&server, "/v1/check", &json!({ "captions": captions }));
    assert_eq!(status, 413);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most 3")
    );

    // A caption over the caption limit is an input error of the document, as in the CLI.
    let (status, body) = post(
        &server,
        "/v1/check",
        &json!({"captions": [{"id": "long", "caption": "y".repeat(2000)}, {"caption": "#ad hi"}]}),
    );
    assert_eq!(status, 200);
    assert_fits(&doc, "CheckResponse", &body);
    assert_eq!(body["errors"][0]["record"], "long");
    assert_eq!(body["summary"]["failed_inputs"], 1);
    assert_eq!(body["summary"]["captions"], 1);

    // Malformed JSON: 400 naming the line and column.
    let response = client()
        .post(server.url("/v1/check"))
        .header(CONTENT_TYPE, "application/json")
        .body("{\n  \"caption\": \"hi\",\n  oops\n}")
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = serde_json::from_str(&response.text().unwrap()).unwrap();
    assert_fits(&doc, "Error", &body);
    assert_eq!(body["error"]["line"], 3);
    assert_eq!(body["error"]["column"], 3);

    // A key the API does not take, such as rule files: 400, nothing loaded.
    let (status, body) = post(
        &server,
        "/v1/check",
        &json!({"caption": "hi", "rules": ["/etc/passwd"]}),
    );
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("rules"));

    // A platform or market the server does not know: 400 with where it is.
    let (status, body) = post(
        &server,
        "/v1/check",
        &json!({"captions": [{"caption": "hi"}, {"caption": "hi", "platform": "myspace"}]}),
    );
    assert_eq!(status, 400);
    assert_fits(&doc, "Error", &body);
    assert_eq!(body["error"]["path"], "captions[1].platform");
    let (status, body) = post(
        &server,
        "/v1/check",
        &json!({"caption": "hi", "market": "atlantis"}),
    );
    assert_eq!(status, 400);
    assert_eq!(body["error"]["path"], "market");

    // Neither or both of `caption` and `captions`; wrong types; not JSON at all.
    for bad in [
        json!({}),
        json!({"caption": "a", "captions": []}),
        json!({"caption": 3}),
        json!([1, 2]),
    ] {
        let (status, body) = post(&server, "/v1/check", &bad);
        assert_eq!(status, 400, "{bad}");
        assert_fits(&doc, "Error", &body);
    }
    let response = client()
        .post(server.url("/v1/fix"))
        .body(vec![0xff, 0xfe, 0x00])
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);

    // A page on another name (DNS rebinding to 127.0.0.1) is turned away.
    let response = client()
        .get(server.url("/v1/rules"))
        .header(reqwest::header::HOST, "evil.example")
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let localhost = server.url("/healthz").replace("127.0.0.1", "localhost");
    assert_eq!(
        client().get(localhost).send().unwrap().status().as_u16(),
        200
    );

    // Unknown paths are JSON 404s; the server is still up after all of this.
    let (status, _) = get(&server, "/v1/nothing");
    assert_eq!(status, 404);
    let (status, _) = get(&server, "/healthz");
    assert_eq!(status, 200);
}

#[test]
fn a_slow_request_times_out_and_the_server_goes_on() {
    let mut server = Server::start(&["--timeout", "0.05", "--concurrency", "1"]);
    let caption = "Loving my new serum from @glowco! Use code GLOW20 #skincare ".repeat(40);
    let captions: Vec<Value> = (0..1000).map(|_| json!({ "caption": caption })).collect();
    let (status, body) = post(&server, "/v1/check", &json!({ "captions": captions }));
    assert_eq!(status, 504, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("0.05"));
    // Served again once the permit is back.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, _) = post(&server, "/v1/check", &json!({"caption": "#ad hi"}));
        if status == 200 {
            break;
        }
        assert!(
            matches!(status, 503 | 504),
            "busy or timed out, not {status}"
        );
        assert!(Instant::now() < deadline, "the server never recovered");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(server.stop(), Some(0), "SIGTERM stops the server cleanly");
}

/// A client that never finishes its headers (slowloris) is cut off.
#[test]
fn slow_headers_are_cut_off() {
    use std::io::Write;
    let server = Server::start(&["--header-timeout", "0.5"]);
    let address = server.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).expect("connects");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the connection stayed open {:?}",
        started.elapsed()
    );
    let (status, _) = get(&server, "/healthz");
    assert_eq!(status, 200);
}

#[test]
fn a_token_guards_the_api_and_is_required_off_loopback() {
    let server = Server::start(&["--token", "s3cret-token-for-tests"]);
    let rules = server.url("/v1/rules");
    let status = |request: reqwest::blocking::RequestBuilder| {
        request.send().expect("request").status().as_u16()
    };
    assert_eq!(status(client().get(&rules)), 401);
    assert_eq!(
        status(client().get(&rules).header(AUTHORIZATION, "Bearer wrong")),
        401
    );
    assert_eq!(
        status(
            client()
                .get(&rules)
                .header(AUTHORIZATION, "Bearer s3cret-token-for-tests")
        ),
        200
    );
    assert_eq!(
        status(
            client()
                .post(server.url("/v2/check"))
                .body("text=hi&language=en-US")
        ),
        401
    );
    // Health and the API document stay open for monitors.
    assert_eq!(status(client().get(server.url("/healthz"))), 200);

    let refused = Command::new(env!("CARGO_BIN_EXE_adlint"))
        .args(["serve", "--bind", "0.0.0.0:0", "--no-config"])
        .env_remove("ADLINT_TOKEN")
        .output()
        .expect("adlint runs");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("without a token"), "{stderr}");
}

/// LanguageTool's answer shape: offsets and lengths in UTF-16 code units, context, rule and
/// category, replacements from safe fixes; its rule switches.
#[test]
fn languagetool_check_answers_like_languagetool() {
    let server = Server::start(&["--log-format", "json"]);
    let doc = openapi(&server);
    let text = "Loving my serum 😀🙌 from @glowco! #sp";
    let response = client()
        .post(server.url("/v2/check"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("text", text), ("language", "en-US")]).unwrap())
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = serde_json::from_str(&response.text().unwrap()).unwrap();
    assert_fits(&doc, "LanguageToolResponse", &body);
    assert_eq!(body["language"]["code"], "en-US");
    let m = &body["matches"][0];
    assert_eq!(m["rule"]["id"], "FTC002");
    assert_eq!(m["rule"]["category"]["id"], "ADLINT_FTC");
    // In UTF-16, each emoji is two units: `#sp` starts where JavaScript's indexOf says.
    let units: Vec<u16> = text.encode_utf16().collect();
    let at = text.find("#sp").unwrap();
    let expected = text[..at].encode_utf16().count();
    assert_eq!(m["offset"], expected);
    assert_eq!(m["length"], 3);
    assert_eq!(
        String::from_utf16(&units[expected..expected + 3]).unwrap(),
        "#sp"
    );
    let context = m["context"]["text"].as_str().unwrap();
    let offset = m["context"]["offset"].as_u64().unwrap() as usize;
    let context_units: Vec<u16> = context.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&context_units[offset..offset + 3]).unwrap(),
        "#sp"
    );
    assert_eq!(m["replacements"][0]["value"], "#ad");

    let disabled = client()
        .post(server.url("/v2/check"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([
                ("text", text),
                ("language", "auto"),
                ("disabledRules", "FTC002"),
            ])
            .unwrap(),
        )
        .send()
        .unwrap()
        .text()
        .map(|t| -> Value { serde_json::from_str(&t).unwrap() })
        .unwrap();
    assert_fits(&doc, "LanguageToolResponse", &disabled);
    assert!(
        disabled["matches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["rule"]["id"] != "FTC002")
    );
    let only = client()
        .post(server.url("/v2/check"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([
                ("text", text),
                ("language", "en-US"),
                ("enabledRules", "FTC999"),
                ("enabledOnly", "true"),
            ])
            .unwrap(),
        )
        .send()
        .unwrap()
        .text()
        .map(|t| -> Value { serde_json::from_str(&t).unwrap() })
        .unwrap();
    assert_eq!(only["matches"], json!([]));

    // Annotated text (what editors send): offsets count the markup too.
    let data = json!({"annotation": [
        {"markup": "<p>"},
        {"text": "Loving my serum from @glowco! "},
        {"markup": "<b>", "interpretAs": ""},
        {"text": "#sp"},
        {"markup": "</b></p>", "interpretAs": "\n\n"},
    ]})
    .to_string();
    let annotated = client()
        .post(server.url("/v2/check"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([("data", data.as_str()), ("language", "en-US")]).unwrap(),
        )
        .send()
        .unwrap()
        .text()
        .map(|t| -> Value { serde_json::from_str(&t).unwrap() })
        .unwrap();
    assert_fits(&doc, "LanguageToolResponse", &annotated);
    let m = &annotated["matches"][0];
    assert_eq!(m["rule"]["id"], "FTC002", "{annotated:#}");
    let original = "<p>Loving my serum from @glowco! <b>#sp</b></p>";
    assert_eq!(m["offset"], original.find("#sp").unwrap());
    assert_eq!(m["length"], 3);

    let missing = client()
        .post(server.url("/v2/check"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("language", "en-US")]).unwrap())
        .send()
        .unwrap();
    assert_eq!(missing.status().as_u16(), 400);

    // The access log: one JSON object per request on stderr.
    std::thread::sleep(Duration::from_millis(100));
    let log = server.log.lock().unwrap().clone();
    let entry: Value = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["path"] == "/v2/check")
        .unwrap_or_else(|| panic!("no JSON access log line for /v2/check:\n{log}"));
    assert_eq!(entry["method"], "POST");
    assert_eq!(entry["status"], 200);
    assert!(entry["ms"].is_number());
}

/// `POST /v2/check` with this text and language: the `language` object and the matches' rule ids.
fn languagetool(server: &Server, text: &str, language: &str) -> (Value, Vec<String>) {
    let body: Value = client()
        .post(server.url("/v2/check"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("text", text), ("language", language)]).unwrap())
        .send()
        .unwrap()
        .text()
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    let ids = body["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["rule"]["id"].as_str().unwrap().to_string())
        .collect();
    (body, ids)
}

/// LanguageTool's `language` chooses the market: the pack that knows the tag's region, else its
/// language, else the server's markets; `auto` detects the language. The answer says which.
#[test]
fn languagetool_language_chooses_the_market() {
    let server = Server::start(&[]);
    let doc = openapi(&server);
    // German, labelled only `#ad`: enough for the FTC (which notes the language), not in Germany.
    let german = "Meine neue Lieblingscreme von @glowco, ich liebe sie und sie ist wirklich \
                  super für die Haut #ad";
    for (language, code, markets, prefix) in [
        ("de-DE", "de-DE", json!(["de"]), "DE"),
        ("de", "de", json!(["de"]), "DE"),
        ("auto", "de", json!(["de"]), "DE"),
        ("en-GB", "en-GB", json!(["uk"]), "UK"),
        ("fr-CA", "fr-CA", json!(["ca"]), "CA"),
        ("de-AT", "de-AT", json!(["eu"]), "EU"),
        // No Brazilian pack: the pack that lists Portuguese.
        ("pt-BR", "pt-BR", json!(["eu"]), "EU"),
        ("en-US", "en-US", json!(["us"]), "FTC"),
        // A language no pack lists: the server's markets.
        ("ja-JP", "ja-JP", json!(["us"]), "FTC"),
        ("xx", "xx", json!(["us"]), "FTC"),
    ] {
        let (body, ids) = languagetool(&server, german, language);
        assert_fits(&doc, "LanguageToolResponse", &body);
        assert_eq!(body["language"]["code"], code, "{language}: {body:#}");
        assert_eq!(body["language"]["markets"], markets, "{language}: {body:#}");
        assert!(!ids.is_empty(), "{language}: {body:#}");
        assert!(
            ids.iter().all(|id| id.starts_with(prefix)),
            "{language}: {ids:?}"
        );
    }
    let (body, _) = languagetool(&server, german, "auto");
    assert_eq!(body["language"]["name"], "German");
    assert_eq!(body["language"]["detectedLanguage"]["code"], "de");
    // Too short to tell: undetermined, the server's markets.
    let (body, ids) = languagetool(&server, "Loving it #sp", "auto");
    assert_eq!(body["language"]["code"], "und", "{body:#}");
    assert_eq!(body["language"]["detectedLanguage"]["confidence"], 0.0);
    assert_eq!(body["language"]["markets"], json!(["us"]));
    assert_eq!(ids, ["FTC002"]);

    // `/v2/languages` lists the languages the packs list, by their two-letter codes.
    let (status, languages) = get(&server, "/v2/languages");
    assert_eq!(status, 200);
    let codes: Vec<&str> = languages
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    for code in ["en", "de", "fr", "es", "pt", "sv", "cy"] {
        assert!(codes.contains(&code), "{code}: {languages}");
    }
}

/// A language several markets speak goes to the server's own market.
#[test]
fn languagetool_language_prefers_the_server_s_markets() {
    let server = Server::start(&["--jurisdiction", "uk"]);
    let (body, ids) = languagetool(&server, "Loving my serum from @glowco! #sp", "en");
    assert_eq!(body["language"]["markets"], json!(["uk"]), "{body:#}");
    assert!(ids.iter().all(|id| id.starts_with("UK")), "{ids:?}");
    let (body, _) = languagetool(&server, "Loving my serum from @glowco! #sp", "en-US");
    assert_eq!(body["language"]["markets"], json!(["us"]), "{body:#}");
}
