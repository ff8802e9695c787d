//! The CI formats: SARIF, GitHub workflow commands and JUnit XML.
//!
//! Each test runs the built binary with `--color never --no-config`, 100 columns, and no
//! `NO_COLOR` or `GITHUB_ACTIONS`, from the crate root over the fixtures in `fixtures/ci/` (or
//! from a temp folder holding copies). The fixtures are three captions with findings (one with a
//! ZWJ emoji sequence before its finding, one named with a space), a clean caption, and small
//! JSONL and CSV exports with findings; line 4 of the JSONL export is broken, so a run over all
//! of them exits 2 and reports an input error. Every format is a snapshot; the SARIF log is also
//! validated against the OASIS SARIF 2.1.0 schema vendored in `tests/schemas/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use quick_xml::events::Event;
use serde_json::Value;

/// The fixtures, in the order they are passed.
const FILES: [&str; 6] = [
    "fixtures/ci/draft.txt",
    "fixtures/ci/emoji.txt",
    "fixtures/ci/hashtag wall.txt",
    "fixtures/ci/clean.txt",
    "fixtures/ci/campaign.jsonl",
    "fixtures/ci/campaign.csv",
];

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// `adlint check --color never --no-config <args>` in `dir` with extra environment variables.
fn adlint_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_adlint"));
    command
        .current_dir(dir)
        .args(["check", "--color", "never", "--no-config"])
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().expect("adlint runs");
    Run {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().expect("adlint exited"),
    }
}

/// `adlint check ... <args>` from the crate root.
fn adlint(args: &[&str]) -> Run {
    adlint_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[])
}

/// Run a format over all the fixtures: the broken JSONL line makes it exit 2, quietly.
fn all(format: &str) -> String {
    let mut args = vec!["--format", format];
    args.extend(FILES);
    let run = adlint(&args);
    assert_eq!(
        run.code, 2,
        "exit code of --format {format}\n{}{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.is_empty(),
        "--format {format} wrote to stderr:\n{}",
        run.stderr
    );
    run.stdout
}

fn settings(format: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    let files: Vec<String> = FILES.iter().map(|f| format!("'{f}'")).collect();
    settings.set_description(format!(
        "adlint check --color never --no-config --format {format} {}",
        files.join(" ")
    ));
    settings.set_omit_expression(true);
    settings
}

fn sarif(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("SARIF is one JSON document: {e}\n{out}"))
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

/// The result of `code` whose location's URI is `uri`.
fn result<'a>(log: &'a Value, uri: &str, code: &str) -> &'a Value {
    results(log)
        .iter()
        .find(|r| {
            r["ruleId"] == code
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
        })
        .unwrap_or_else(|| panic!("no {code} result for {uri}"))
}

fn region(result: &Value) -> &Value {
    &result["locations"][0]["physicalLocation"]["region"]
}

fn fingerprint(result: &Value) -> &str {
    result["partialFingerprints"]["adlintFingerprint/v1"]
        .as_str()
        .expect("a fingerprint")
}

/// Validate a SARIF log against the vendored OASIS schema, formats included.
fn assert_valid_sarif(log: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(&path).expect("vendored schema"))
        .expect("the schema is JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF log fails the schema:\n{}",
        errors.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// SARIF
// ---------------------------------------------------------------------------------------------

/// The log with what changes for reasons of its own left out of the snapshot: adlint's version,
/// and the rules' texts, which come from the rule pack and are checked against it below.
fn stable(mut log: Value) -> Value {
    let driver = &mut log["runs"][0]["tool"]["driver"];
    driver["version"] = "[version]".into();
    driver["semanticVersion"] = "[version]".into();
    for rule in driver["rules"].as_array_mut().expect("rules") {
        let code = rule["id"].as_str().unwrap().to_string();
        rule["shortDescription"]["text"] = format!("[summary of {code}]").into();
        rule["fullDescription"]["text"] = format!("[docs of {code}]").into();
        rule["help"]["text"] = format!("[help of {code}]").into();
        rule["help"]["markdown"] = format!("[help, docs and source of {code}]").into();
    }
    log
}

#[test]
fn sarif_snapshot_and_schema() {
    let log = sarif(&all("sarif"));
    assert_valid_sarif(&log);
    settings("sarif").bind(|| insta::assert_json_snapshot!("ci_sarif", stable(log.clone())));

    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &log["runs"][0];
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "adlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    // Input errors are notifications, and make the invocation unsuccessful.
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    // Every result points at its rule by id and index, at a level matching the rule's.
    let rules = driver["rules"].as_array().unwrap();
    for r in results(&log) {
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert_eq!(rule["defaultConfiguration"]["level"], r["level"]);
        assert_eq!(fingerprint(r).len(), 16);
    }
}

#[test]
fn the_schema_check_is_not_vacuous() {
    let mut log = sarif(&adlint(&["--format", "sarif", "fixtures/ci/draft.txt"]).stdout);
    assert_valid_sarif(&log);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    let broken = std::panic::catch_unwind(|| assert_valid_sarif(&log));
    assert!(
        broken.is_err(),
        "a result level of `fatal` passed the schema"
    );
}

#[test]
fn sarif_rules_describe_every_loaded_rule() {
    let log = sarif(&adlint(&["--format", "sarif", "fixtures/ci/clean.txt"]).stdout);
    assert_valid_sarif(&log);
    let mut loaded = adlint::builtin_rules().expect("built-in rules load");
    // The default run uses the `us` market: the log describes the rules of its pack.
    let us: Vec<bool> = loaded
        .packs
        .iter()
        .map(|p| p.jurisdiction.as_deref() == Some("us"))
        .collect();
    loaded.retain(|r| us[r.pack]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), loaded.rules.len());
    let extensions = &log["runs"][0]["tool"]["extensions"];
    assert_eq!(extensions[0]["name"], "ftc", "{extensions}");
    assert_eq!(extensions[0]["version"], loaded.packs[0].version.as_str());
    for (sarif, rule) in rules.iter().zip(&loaded.rules) {
        let pack = &loaded.packs[rule.pack];
        let level = match rule.severity.as_str() {
            "advice" => "note",
            other => other,
        };
        assert_eq!(sarif["id"], rule.code.as_str());
        assert_eq!(sarif["name"], rule.name.as_str());
        assert_eq!(sarif["shortDescription"]["text"], rule.summary.as_str());
        assert_eq!(sarif["fullDescription"]["text"], rule.docs.trim());
        assert_eq!(sarif["help"]["text"], rule.help.as_str());
        assert_eq!(sarif["helpUri"], rule.source.as_str());
        assert_eq!(sarif["defaultConfiguration"]["level"], level);
        assert_eq!(sarif["properties"]["pack"], pack.name.as_str());
        assert_eq!(sarif["properties"]["packVersion"], pack.version.as_str());
    }
    let packs = &log["runs"][0]["properties"]["packs"];
    assert_eq!(packs[0]["name"], "ftc");
    assert_eq!(packs[0]["version"], loaded.packs[0].version.as_str());
    // A clean run is a successful invocation with no results.
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    assert!(results(&log).is_empty());
}

#[test]
fn sarif_columns_count_characters() {
    let log = sarif(&all("sarif"));
    let text = fs::read_to_string("fixtures/ci/emoji.txt").expect("fixture");
    let start = text.find("use my code").expect("the finding");
    let end = start + "use my code SUNNY15".len();
    let r = result(&log, "fixtures/ci/emoji.txt", "FTC001");
    let emoji = region(r);
    let chars = |at: usize| text[..at].chars().count() as u64 + 1;
    let utf16 = |at: usize| text[..at].encode_utf16().count() as u64 + 1;
    assert_eq!(emoji["startLine"], 1);
    assert_eq!(emoji["startColumn"], chars(start));
    assert_eq!(emoji["endLine"], 1);
    assert_eq!(emoji["endColumn"], chars(end));
    // The ZWJ family and the flame make bytes, code points and UTF-16 units all differ.
    assert_ne!(chars(start), utf16(start));
    assert_ne!(chars(start), start as u64 + 1);
    // A finding on the third line of a text file.
    let draft = region(result(&log, "fixtures/ci/draft.txt", "FTC002"));
    assert_eq!(
        (&draft["startLine"], &draft["startColumn"]),
        (&3.into(), &1.into())
    );
    assert_eq!(
        (&draft["endLine"], &draft["endColumn"]),
        (&3.into(), &18.into())
    );
}

#[test]
fn sarif_records_point_at_their_line_and_name_the_record() {
    let log = sarif(&all("sarif"));
    // The CSV's first record spans lines 2-4, so the third starts on line 6.
    for (uri, code, record, line) in [
        ("fixtures/ci/campaign.csv", "FTC002", "c-301", 2),
        ("fixtures/ci/campaign.csv", "FTC001", "c-303", 6),
        ("fixtures/ci/campaign.jsonl", "FTC003", "p-201", 1),
        ("fixtures/ci/campaign.jsonl", "FTC009", "5", 5),
    ] {
        let r = result(&log, uri, code);
        assert_eq!(
            region(r),
            &serde_json::json!({"startLine": line}),
            "{uri} {code}"
        );
        let logical = &r["locations"][0]["logicalLocations"][0];
        assert_eq!(logical["name"], record);
        assert_eq!(logical["fullyQualifiedName"], format!("{uri}#{record}"));
    }
}

#[test]
fn sarif_uris_are_relative_to_the_working_folder() {
    let log = sarif(&all("sarif"));
    let uris: Vec<&str> = results(&log)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"fixtures/ci/hashtag%20wall.txt"), "{uris:?}");
    for uri in &uris {
        assert!(uri.starts_with("fixtures/ci/"), "{uri}");
    }
    // An absolute path inside the working folder is still relative in the log.
    let absolute = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ci/draft.txt");
    let log = sarif(&adlint(&["--format", "sarif", absolute.to_str().unwrap()]).stdout);
    assert_valid_sarif(&log);
    assert_eq!(
        results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/ci/draft.txt"
    );
}

#[test]
fn sarif_stdin_is_named_stdin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_adlint"))
        .current_dir(dir.path())
        .args([
            "check",
            "--color",
            "never",
            "--no-config",
            "--format",
            "sarif",
            "-",
        ])
        .env_remove("GITHUB_ACTIONS")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("adlint runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("the way this @novafit pre-workout hits 😤 #spon".as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("adlint exits");
    let log = sarif(&String::from_utf8(out.stdout).unwrap());
    assert_valid_sarif(&log);
    assert_eq!(
        results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "stdin"
    );
}

#[test]
fn sarif_fingerprints_survive_runs_and_unrelated_edits() {
    // The same run twice gives the same fingerprints.
    let first = sarif(&all("sarif"));
    let second = sarif(&all("sarif"));
    let prints = |log: &Value| -> Vec<String> {
        results(log)
            .iter()
            .map(|r| fingerprint(r).to_string())
            .collect()
    };
    assert_eq!(prints(&first), prints(&second));
    // Distinct findings have distinct fingerprints.
    let mut unique = prints(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), results(&first).len());

    // A line added above the finding moves its region, not its fingerprint.
    let dir = tempfile::tempdir().expect("temp dir");
    let original = fs::read_to_string("fixtures/ci/emoji.txt").unwrap();
    fs::write(dir.path().join("emoji.txt"), &original).unwrap();
    let check = || {
        let run = adlint_in(dir.path(), &["--format", "sarif", "emoji.txt"], &[]);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        let log = sarif(&run.stdout);
        assert_valid_sarif(&log);
        result(&log, "emoji.txt", "FTC001").clone()
    };
    let before = check();
    fs::write(
        dir.path().join("emoji.txt"),
        format!("Weekend outfit ideas\n\n{original}"),
    )
    .unwrap();
    let after = check();
    assert_eq!(fingerprint(&before), fingerprint(&after));
    assert_eq!(region(&before)["startLine"], 1);
    assert_eq!(region(&after)["startLine"], 3);
    assert_eq!(
        region(&after)["startColumn"],
        region(&before)["startColumn"]
    );
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands
// ---------------------------------------------------------------------------------------------

#[test]
fn github_snapshot() {
    let out = all("github");
    settings("github").bind(|| insta::assert_snapshot!("ci_github", out));
    let lines: Vec<&str> = out.lines().collect();
    // One command per finding, then a plain summary; no colour, ever.
    assert!(!out.contains('\u{1b}'));
    let (summary, commands) = lines.split_last().unwrap();
    assert!(
        summary.starts_with("adlint: checked 11 captions"),
        "{summary}"
    );
    for line in commands {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| line.starts_with(p)),
            "{line}"
        );
    }
    assert_eq!(
        commands
            .iter()
            .filter(|l| l.starts_with("::notice "))
            .count(),
        2
    );
    assert_eq!(
        commands
            .iter()
            .filter(|l| l.starts_with("::warning "))
            .count(),
        2
    );
    assert!(out.contains(
        "::error file=fixtures/ci/emoji.txt,line=1,col=41,endLine=1,endColumn=60,title=FTC001 missing-disclosure::"
    ));
    assert!(out.contains("::error file=fixtures/ci/campaign.jsonl,line=4,title=input error::"));
}

#[test]
fn github_is_the_default_on_github_actions() {
    let mut args: Vec<&str> = FILES.to_vec();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = adlint_in(root, &args, &[("GITHUB_ACTIONS", "true")]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, all("github"));
    // An explicit format still wins.
    args.splice(0..0, ["--format", "json"]);
    let run = adlint_in(root, &args, &[("GITHUB_ACTIONS", "true")]);
    assert!(run.stdout.starts_with('{'), "{}", run.stdout);
}

#[test]
fn github_escapes_properties_and_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "50%, off: promo.txt";
    fs::write(
        dir.path().join(name),
        "3 ways to style it 👕 use my code SUNNY15 at @urbanthreads",
    )
    .unwrap();
    fs::write(
        dir.path().join("posts.jsonl"),
        "{\"id\": \"summer\\n50%, off: now\", \"caption\": \"the way this @novafit pre-workout hits #spon\"}\n",
    )
    .unwrap();
    let run = adlint_in(
        dir.path(),
        &["--format", "github", name, "posts.jsonl"],
        &[],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(
        lines[0].starts_with("::error file=50%25%2C off%3A promo.txt,line=1,col=22,"),
        "{}",
        lines[0]
    );
    // In the message, `%` and line breaks are escaped; `:` and `,` are not.
    assert!(
        lines[1].starts_with(
            "::error file=posts.jsonl,line=1,title=FTC002 ambiguous-disclosure::posts.jsonl:line 1 (post summer%0A50%25, off: now): "
        ),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("adlint: checked 2 captions"));
}

// ---------------------------------------------------------------------------------------------
// JUnit XML
// ---------------------------------------------------------------------------------------------

/// An XML element, as parsed.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        if self.name == name {
            out.push(self);
        }
        for child in &self.children {
            child.all(name, out);
        }
    }

    fn find(&self, name: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }

    fn count(&self, attr: &str) -> usize {
        self.attrs[attr].parse().unwrap()
    }
}

/// Parse a document with quick-xml, failing on anything that is not well-formed XML 1.0: end
/// tags that do not match, unknown entities, characters XML 1.0 cannot hold, text outside the
/// root.
fn parse_xml(xml: &str) -> Element {
    for c in xml.chars() {
        assert!(
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'),
            "character U+{:04X} is not allowed in XML 1.0",
            c as u32
        );
    }
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    let element = |e: &quick_xml::events::BytesStart<'_>| Element {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute");
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .expect("attribute value unescapes");
                (a.key.as_ref().to_string(), value.into_owned())
            })
            .collect(),
        children: Vec::new(),
        text: String::new(),
    };
    let close = |done: Element, stack: &mut Vec<Element>, root: &mut Option<Element>| match stack
        .last_mut()
    {
        Some(parent) => parent.children.push(done),
        None => {
            assert!(root.is_none(), "more than one root element");
            *root = Some(done);
        }
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => close(element(&e), &mut stack, &mut root),
            Event::End(_) => {
                let done = stack.pop().expect("an open element");
                close(done, &mut stack, &mut root);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&text),
                    None => assert!(text.trim().is_empty(), "text outside the root: {text:?}"),
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().expect("a valid character reference") {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("unknown entity &{name};"))
                            .to_string()
                    }
                };
                stack
                    .last_mut()
                    .expect("a reference inside an element")
                    .text
                    .push_str(&resolved);
            }
            Event::Decl(_) => {}
            Event::Eof => break,
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    root.expect("a root element")
}

#[test]
fn junit_snapshot_and_structure() {
    let out = all("junit");
    settings("junit").bind(|| insta::assert_snapshot!("ci_junit", out));
    let root = parse_xml(&out);
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attrs["name"], "adlint");
    // 11 captions and one unreadable record; 8 captions with an error or a warning.
    assert_eq!(
        (
            root.count("tests"),
            root.count("failures"),
            root.count("errors")
        ),
        (12, 8, 1)
    );
    let suites = root.find("testsuite");
    let names: Vec<&str> = suites.iter().map(|s| s.attrs["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "fixtures/ci/draft.txt",
            "fixtures/ci/emoji.txt",
            "fixtures/ci/hashtag wall.txt",
            "fixtures/ci/clean.txt",
            "fixtures/ci/campaign.jsonl",
            "fixtures/ci/campaign.csv",
        ]
    );
    for suite in &suites {
        let cases = suite.find("testcase");
        assert_eq!(suite.count("tests"), cases.len());
        let failing = cases
            .iter()
            .filter(|c| !c.find("failure").is_empty())
            .count();
        assert_eq!(suite.count("failures"), failing);
        assert_eq!(suite.count("errors"), suite.find("error").len());
        for case in &cases {
            assert_eq!(case.attrs["classname"], suite.attrs["name"]);
        }
    }
    // One failure per error or warning (9), advice as output (2), the broken line as an error.
    assert_eq!(root.find("failure").len(), 9);
    assert_eq!(root.find("system-out").len(), 2);
    let error = &root.find("error")[0];
    assert_eq!(error.attrs["type"], "input");
    assert!(error.attrs["message"].starts_with("line 4: invalid JSON"));
    let failure = root
        .find("failure")
        .into_iter()
        .find(|f| f.text.starts_with("fixtures/ci/emoji.txt:1:41: FTC001"))
        .expect("the emoji fixture's failure");
    assert_eq!(failure.attrs["type"], "FTC001");
    assert_eq!(
        failure.attrs["message"],
        "sponsored caption has no clear disclosure"
    );
    assert!(
        failure
            .text
            .contains("\nmatched: use my code SUNNY15\nhelp: ")
    );
}

#[test]
fn junit_escapes_markup_and_drops_invalid_characters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "a&b <\"c\"> 'd'.txt";
    fs::write(
        dir.path().join(name),
        "Sleeping <3 & \"dreaming\" again\u{7} new pillow\r\nno phone after 10pm",
    )
    .unwrap();
    // A record id with a CR, a line break and a tab, which attributes must keep.
    fs::write(
        dir.path().join("posts.jsonl"),
        "{\"id\": \"a\\r\\nb\\tc\", \"caption\": \"the way this @novafit pre-workout hits #spon\"}\n",
    )
    .unwrap();
    let args = ["--format", "junit", "--sponsored", name, "posts.jsonl"];
    let run = adlint_in(dir.path(), &args, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains('\u{7}'));
    let root = parse_xml(&run.stdout);
    assert_eq!(root.find("testsuite")[0].attrs["name"], name);
    let cases = root.find("testcase");
    assert_eq!(cases[0].attrs["name"], name);
    let failure = &cases[0].find("failure")[0];
    assert_eq!(failure.attrs["type"], "FTC001");
    // Markup characters come back as they were; the bell is gone.
    assert!(
        failure
            .text
            .contains("matched: Sleeping <3 & \"dreaming\" again new pillow\n"),
        "{:?}",
        failure.text
    );
    assert_eq!(
        cases[1].attrs["name"],
        "posts.jsonl:line 1 (post a\r\nb\tc)"
    );

    // The same inputs make valid SARIF, with the URI escaped.
    let args = ["--format", "sarif", "--sponsored", name, "posts.jsonl"];
    let log = sarif(&adlint_in(dir.path(), &args, &[]).stdout);
    assert_valid_sarif(&log);
    assert_eq!(
        results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a&b%20%3C%22c%22%3E%20'd'.txt"
    );
}
