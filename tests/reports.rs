//! Audit summaries, the CSV report and the HTML report.
//!
//! Each test runs the built binary from the crate root over `fixtures/reports/campaign.jsonl`, a
//! campaign export of 13 lines: six creators (one with a Japanese name and an emoji, one with
//! accents, one post with no creator), three platforms, findings of eleven rules, a caption
//! holding `<script>alert(1)</script>` and `&`, and one broken line (line 12), so every run
//! exits 2. The terminal table, the JSON summary and the CSV report are snapshots; the HTML
//! report is parsed and its structure checked against the CSV report's findings.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

const EXPORT: &str = "fixtures/reports/campaign.jsonl";

/// Rule codes the fixture triggers.
const FIRED: [&str; 11] = [
    "FTC001", "FTC002", "FTC003", "FTC004", "FTC005", "FTC006", "FTC008", "FTC009", "FTC011",
    "FTC012", "FTC013",
];

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// `adlint <command> --color never --no-config <args>`, from the crate root, 100 columns wide.
fn adlint(command: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_adlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg(command)
        .args(["--color", "never", "--no-config"])
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .output()
        .expect("adlint runs");
    Run {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().expect("adlint exited"),
    }
}

/// Run over the fixture export; it has a broken line, so the run exits 2 and writes nothing to
/// stderr (the broken line is part of the report).
fn report(command: &str, flags: &[&str]) -> String {
    let mut args = flags.to_vec();
    args.push(EXPORT);
    let run = adlint(command, &args);
    assert_eq!(
        run.code, 2,
        "exit code of adlint {command} {args:?}\n{}{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.is_empty(),
        "adlint {command} {args:?} wrote to stderr:\n{}",
        run.stderr
    );
    run.stdout
}

fn snapshot(name: &str, command: &str, flags: &[&str], output: &str) {
    let mut settings = insta::Settings::clone_current();
    let mut line = format!("adlint {command} --color never --no-config");
    for f in flags {
        line.push(' ');
        line.push_str(f);
    }
    settings.set_description(format!("{line} {EXPORT}"));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, output));
}

/// The CSV report's rows: (record, code, matched), input errors included (code `input`).
fn csv_rows() -> Vec<(String, String, String)> {
    let out = report("check", &["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let (record, code, matched) = (col("record"), col("code"), col("matched"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            // Cells that would run as formulas are written with a `'` in front.
            let plain = |cell: &str| {
                cell.strip_prefix('\'')
                    .filter(|rest| rest.starts_with(['=', '+', '-', '@', '\t', '\r']))
                    .unwrap_or(cell)
                    .to_string()
            };
            (plain(&r[record]), plain(&r[code]), plain(&r[matched]))
        })
        .collect()
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e}"));
    html.select(&selector).collect()
}

fn select_in<'a>(element: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e}"));
    element.select(&selector).collect()
}

fn text(element: ElementRef<'_>) -> String {
    element.text().collect()
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

#[test]
fn audit_human_table() {
    let out = report("audit", &[]);
    snapshot("audit_human", "audit", &[], &out);
    // Every line fits in the 100 columns given.
    for line in out.lines() {
        assert!(line.chars().count() <= 100, "line too wide: {line}");
    }
}

#[test]
fn audit_json() {
    let out = report("audit", &["--format", "json"]);
    snapshot("audit_json", "audit", &["--format", "json"], &out);
    let doc: Value = serde_json::from_str(&out).expect("one JSON document");
    let s = &doc["summary"];
    assert_eq!(doc["version"], 1);
    assert_eq!(s["records"], 13);
    assert_eq!(s["captions"], 12);
    assert_eq!(s["failed_inputs"], 1);
    let compliant = s["compliant"].as_f64().unwrap();
    assert_eq!(s["share_compliant"].as_f64().unwrap(), compliant / 12.0);
    // The per-rule findings add up to the summary's counts.
    let rules = doc["rules"].as_array().unwrap();
    let findings: u64 = rules.iter().map(|r| r["findings"].as_u64().unwrap()).sum();
    let total = ["errors", "warnings", "advice"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(findings, total);
    let codes: BTreeSet<&str> = rules.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, FIRED.into_iter().collect());
    // So do the creators' and the platforms' captions.
    for (key, name) in [("creators", "creator"), ("platforms", "platform")] {
        let groups = doc[key].as_array().unwrap();
        let captions: u64 = groups.iter().map(|g| g["captions"].as_u64().unwrap()).sum();
        assert_eq!(captions, 12, "{key}");
        assert!(groups.iter().all(|g| g[name].is_string()), "{key}");
    }
    assert_eq!(doc["creators"].as_array().unwrap().len(), 6);
    assert!(
        doc["creators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["creator"] == "さくら 🌸")
    );
}

#[test]
fn check_csv_report() {
    let out = report("check", &["--format", "csv"]);
    snapshot("check_csv", "check", &["--format", "csv"], &out);
}

// ---------------------------------------------------------------------------------------------
// The same summary whichever way it is asked for; formats it has not
// ---------------------------------------------------------------------------------------------

#[test]
fn check_summary_is_the_audit() {
    assert_eq!(report("check", &["--summary"]), report("audit", &[]));
    assert_eq!(
        report("check", &["--summary", "--format", "json"]),
        report("audit", &["--format", "json"])
    );
}

#[test]
fn summary_has_no_jsonl_or_csv_form() {
    for (command, flags) in [
        ("audit", &["--format", "jsonl"][..]),
        ("audit", &["--format", "csv"][..]),
        ("check", &["--summary", "--format", "jsonl"][..]),
    ] {
        let mut args = flags.to_vec();
        args.push(EXPORT);
        let run = adlint(command, &args);
        assert_eq!(run.code, 2, "adlint {command} {args:?}");
        assert!(
            run.stdout.is_empty(),
            "adlint {command} {args:?} printed a report"
        );
        assert!(
            run.stderr.contains("adlint::usage")
                && run
                    .stderr
                    .contains("the summary is available as human, json or html output"),
            "adlint {command} {args:?}:\n{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The HTML report
// ---------------------------------------------------------------------------------------------

#[test]
fn html_report_structure() {
    let out = report("audit", &["--format", "html"]);
    assert_eq!(
        out,
        report("audit", &["--format", "html"]),
        "the same run gives the same document"
    );
    assert!(out.starts_with("<!DOCTYPE html>"));
    let html = Html::parse_document(&out);

    // Generation note and disclaimer.
    let version = format!("adlint {}", env!("CARGO_PKG_VERSION"));
    assert!(
        text(select(&html, "header")[0]).contains(&version),
        "generation note"
    );
    assert!(text(select(&html, "footer")[0]).contains("not legal advice"));
    // The rule packs that ran, with their versions and when their sources were read.
    let packs = text(select(&html, "header #packs")[0]);
    assert!(
        packs.starts_with("Rule pack: ftc 2026.") && packs.contains("sources read 2026-"),
        "{packs}"
    );

    // Headline numbers.
    let headline: BTreeMap<String, String> = select(&html, "dl.headline > div")
        .into_iter()
        .map(|d| (text(select_in(d, "dt")[0]), text(select_in(d, "dd")[0])))
        .collect();
    assert_eq!(headline["Records checked"], "13");
    assert_eq!(headline["Captions checked"], "12");
    assert_eq!(headline["Inputs that could not be read"], "1");

    // Two charts, one <svg> each: a bar per fired rule, a bar per creator with findings.
    assert_eq!(select(&html, "svg").len(), 2);
    let rules_chart = select(&html, "#rules-chart");
    assert_eq!(rules_chart.len(), 1);
    assert_eq!(select_in(rules_chart[0], "rect").len(), FIRED.len());
    assert_eq!(select(&html, "#creators-chart").len(), 1);

    // A row per rule that fired, most findings first.
    let rows = select(&html, "#rules-table tbody tr");
    let codes: Vec<String> = rows.iter().map(|r| text(select_in(*r, "td")[0])).collect();
    assert_eq!(
        codes.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        FIRED.into_iter().collect()
    );
    assert_eq!(codes[0], "FTC001");

    // The creators table has the non-Latin name, and the platforms table every platform.
    let creators: Vec<String> = select(&html, "#creators-table tbody tr td:first-child")
        .into_iter()
        .map(text)
        .collect();
    assert!(creators.iter().any(|c| c == "さくら 🌸"), "{creators:?}");
    assert_eq!(select(&html, "#platforms-table tbody tr").len(), 3);

    // Every caption with findings is flagged (the fixture has no advice-only caption), and its
    // marks hold exactly the words the findings matched.
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (record, code, matched) in csv_rows() {
        if code != "input" {
            expected.entry(record).or_default().insert(matched);
        }
    }
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for article in select(&html, "#flagged article.caption") {
        let location = text(select_in(article, "h3")[0]);
        let record = location
            .split_once("(post ")
            .and_then(|(_, rest)| rest.strip_suffix(')'))
            .unwrap_or_else(|| panic!("no record in {location}"))
            .to_string();
        let marks: BTreeSet<String> = select_in(article, ".caption-text mark")
            .into_iter()
            .map(text)
            .collect();
        assert!(!select_in(article, "ul.findings li").is_empty());
        found.insert(record, marks);
    }
    assert_eq!(found, expected);

    // Findings on the same words share one mark, titled with each.
    let r08 = select(&html, "#flagged article.caption")
        .into_iter()
        .find(|a| text(*a).contains("(post r-08)"))
        .expect("r-08 is flagged");
    let marks = select_in(r08, "mark");
    assert_eq!(marks.len(), 1);
    let title = marks[0].value().attr("title").unwrap();
    for code in ["FTC003", "FTC004", "FTC008"] {
        assert!(title.contains(code), "{title}");
    }
    // Line breaks are kept for `white-space: pre-wrap`.
    assert!(text(select_in(r08, ".caption-text")[0]).contains("easier.\n#travelgram"));

    // Markup in a caption is text: no script element, the escaped text in the source.
    assert!(select(&html, "script").is_empty());
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(out.contains("reset your gut &amp; it"));
    let r05 = select(&html, ".caption-text")
        .into_iter()
        .map(text)
        .find(|t| t.contains("tummytonic"))
        .expect("r-05 is flagged");
    assert!(r05.ends_with("gut & it burns fat while you sleep! <script>alert(1)</script>"));

    // Self-contained: nothing loaded, and the only web addresses are links to rules' sources.
    for tag in [
        "link", "img", "iframe", "object", "embed", "base", "video", "audio",
    ] {
        assert!(select(&html, tag).is_empty(), "a <{tag}> element");
    }
    for style in select(&html, "style") {
        let css = text(style);
        assert!(!css.contains("url(") && !css.contains("@import"), "{css}");
    }
    let mut links = 0;
    for element in select(&html, "*") {
        for (name, value) in element.value().attrs() {
            assert_ne!(name, "src", "a src attribute: {value}");
            if value.contains("http://") || value.contains("https://") {
                let in_rules_table = element.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| e.id() == Some("rules-table"))
                });
                assert!(
                    element.value().name() == "a" && name == "href" && in_rules_table,
                    "<{} {name}=\"{value}\">",
                    element.value().name()
                );
                links += 1;
            }
        }
    }
    assert_eq!(links, FIRED.len(), "a source link per rule");

    // The broken line is listed.
    let errors = select(&html, "#input-errors li");
    assert_eq!(errors.len(), 1);
    assert!(text(errors[0]).contains("line 12"));
}
