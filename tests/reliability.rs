//! Reliability: hostile and messy inputs. Every record read yields a result or an input error,
//! spans stay on character boundaries, the fold never splits a grapheme, output does not depend
//! on the number of threads, and oversized captions are reported instead of checked.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use adlint::caption::Caption;
use adlint::engine;
use proptest::prelude::*;
use serde_json::Value;

use crate::fix::{RULES, generated_caption, grapheme_boundaries};
use crate::support::Run;

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

/// `adlint <args>` in `dir`, with a fixed width and no colour.
fn adlint(dir: &Path, args: &[&str]) -> Run {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("adlint runs")
        .into()
}

/// `adlint check --no-config <args>` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Run {
    adlint(dir, &[&["check", "--no-config"], args].concat())
}

/// A caption of `n` bytes: words, an emoji, and no disclosure.
fn huge_caption(n: usize) -> String {
    let unit = "so good 🌿 honestly, ";
    unit.repeat(n / unit.len() + 1)
}

/// Deterministic junk bytes (no newline, no quote), like a binary blob pasted into an export.
fn junk(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_F491;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            match (x >> 24) as u8 {
                b'\n' | b'\r' | b'"' => 0,
                b => b,
            }
        })
        .collect()
}

/// `captions + failed_inputs` in the JSON summary, the ids of the results and of the errors.
fn accounting(run: &Run) -> (u64, Vec<String>, Vec<Value>) {
    let json = run.json();
    let summary = &json["summary"];
    let total = summary["captions"].as_u64().unwrap() + summary["failed_inputs"].as_u64().unwrap();
    let ids = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["record"].as_str().unwrap_or_default().to_string())
        .collect();
    (total, ids, json["errors"].as_array().unwrap().clone())
}

#[test]
fn a_messy_jsonl_export_accounts_for_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<Vec<u8>> = vec![
        br##"{"id": "ok-1", "caption": "#ad new serum from @glowlab \u2728"}"##.to_vec(),
        r#"{"id": "dup", "caption": "Thanks @trailmix for the free snacks! 🌰"}"#
            .as_bytes()
            .to_vec(),
        br##"{"id": "dup", "caption": "same id, another post #sp"}"##.to_vec(),
        b"{\"id\": \"bad-utf8\", \"caption\": \"caf\xE9 #ad\"}".to_vec(),
        br##"{"id": "empty", "caption": "   "}"##.to_vec(),
        br##"{"id": "no-caption", "title": "where is it"}"##.to_vec(),
        br##"{"id": "broken", "caption": "unterminated}"##.to_vec(),
        br##"["an", "array"]"##.to_vec(),
        junk(3000),
        format!(
            r#"{{"id": "huge", "caption": "{}"}}"#,
            huge_caption(10_000_000)
        )
        .into_bytes(),
        "{\"id\": \"rtl\", \"caption\": \"إعلان مدفوع ‏#ad منتج رائع من @glowlab\"}"
            .as_bytes()
            .to_vec(),
        "{\"id\": \"cjk\", \"caption\": \"【PR】新しいセラムを試しました✨ #広告\"}"
            .as_bytes()
            .to_vec(),
        br##"{"id": "ok-last", "caption": "use my code GLOW15 at @glowlab\r\nlink in bio"}"##
            .to_vec(),
    ];
    let records = lines.len() as u64;
    // Blank lines are not records.
    lines.insert(3, b"   ".to_vec());
    let mut bytes = lines.join(&b"\n"[..]);
    bytes.extend_from_slice(b"\n\n");
    fs::write(dir.path().join("messy.jsonl"), &bytes).unwrap();

    let run = check(dir.path(), &["--format", "json", "messy.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");
    let (total, ids, errors) = accounting(&run);
    assert_eq!(total, records, "{run:?}");
    let messages: Vec<String> = errors
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        ["ok-1", "dup", "dup", "rtl", "cjk", "ok-last"],
        "results in input order; errors: {messages:#?}"
    );
    assert_eq!(errors.len(), 7, "{messages:#?}");
    // The 10 MB record is passed over without being held in memory.
    assert!(
        messages
            .iter()
            .any(|m| m.contains("line 11: the record is 10 MB, far over the caption size limit")),
        "{messages:#?}"
    );
}

/// Data records as the `csv` crate sees them (blank rows are not records).
fn csv_records(bytes: &[u8]) -> u64 {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return n,
            Ok(true) if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) => {}
            Ok(true) | Err(_) => n += 1,
        }
    }
}

#[test]
fn a_messy_csv_export_accounts_for_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBFid,creator,platform,caption\r\n".to_vec();
    let rows: Vec<Vec<u8>> = vec![
        b"p-1,mia,instagram,\"#ad a caption, with a comma\"".to_vec(),
        b"p-2,mia,tiktok,\"two\r\nlines \"\"quoted\"\" #sp\"".to_vec(),
        b"p-2,leo,instagram,duplicate id is still a record".to_vec(),
        b"p-3,leo,instagram,caf\xE9 latin-1 byte".to_vec(),
        b"p-4,leo,x,".to_vec(),
        b"p-5,leo,x,unquoted, comma splits the row".to_vec(),
        [b"p-6,bin,x,".to_vec(), junk(2000)].concat(),
        format!("p-7,big,instagram,\"{}\"", huge_caption(10_000_000)).into_bytes(),
        "p-8,ana,instagram,\"Publicidad 🌞 la crema que uso cada día @glowlab\""
            .as_bytes()
            .to_vec(),
        b",,,".to_vec(),
        b"p-9,end,instagram,\"a quote that is never closed\r\nso the file ends inside it".to_vec(),
    ];
    bytes.extend(rows.join(&b"\r\n"[..]));
    bytes.extend_from_slice(b"\r\n");
    let records = csv_records(&bytes);
    assert_eq!(records, 10, "the reference reader sees ten data rows");
    fs::write(dir.path().join("messy.csv"), &bytes).unwrap();

    let run = check(dir.path(), &["--format", "json", "messy.csv"]);
    assert_eq!(run.code, 2, "{run:?}");
    let (total, ids, errors) = accounting(&run);
    assert_eq!(total, records, "{run:?}");
    assert_eq!(ids, ["p-1", "p-2", "p-2", "p-8"]);
    let reasons: Vec<&str> = errors
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|m| m.contains("not UTF-8")),
        "{reasons:#?}"
    );
    assert!(reasons.iter().any(|m| m.contains("empty")), "{reasons:#?}");
    assert!(
        reasons
            .iter()
            .any(|m| m.contains("over the 1 MB limit")
                || m.contains("within the 1 MB limit: not read")),
        "{reasons:#?}"
    );
    assert!(
        reasons.iter().any(|m| m.contains("never closed")),
        "{reasons:#?}"
    );
}

#[test]
fn the_caption_size_limit_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("long.txt"), huge_caption(5_000)).unwrap();
    let run = check(dir.path(), &["long.txt"]);
    assert_eq!(run.code, 0, "5 KB is well under the default: {run:?}");
    let run = check(dir.path(), &["--max-caption-size", "2KB", "long.txt"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("over the 2 KB limit"), "{run:?}");
    fs::write(
        dir.path().join("adlint.toml"),
        "max-caption-size = \"1KB\"\n",
    )
    .unwrap();
    let run = adlint(dir.path(), &["check", "--format", "json", "long.txt"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.json()["summary"]["failed_inputs"], 1);
    fs::write(
        dir.path().join("adlint.toml"),
        "max-caption-size = \"lots\"\n",
    )
    .unwrap();
    let run = adlint(dir.path(), &["check", "long.txt"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("not a size"), "{run:?}");
}

/// A deterministic export of `n` varied captions: emoji, CRLF, several languages, disclosures
/// in and out of place.
fn varied_export(n: usize) -> String {
    const PARTS: &[&str] = &[
        "#ad",
        "Sponsored",
        "#sp",
        "#gifted",
        "not sponsored",
        "use code GLOW15",
        "@glowlab",
        "https://amzn.to/3xY",
        "🌿",
        "👩🏽‍💻",
        "🇫🇷",
        "\r\n",
        "\n.\n.\n",
        "#skincare #ootd #style",
        "my morning routine",
        "Me encanta esta crema, mi piel nunca ha estado mejor",
        "Ich liebe diese Creme",
        "新しいセラム",
        "I lost 10 lbs in 2 weeks",
        "paid partnership with",
        "thanks @trailmix for the free snacks",
        "#werbung",
        "link in bio",
    ];
    let mut x: u64 = 42;
    let mut next = || {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (x >> 33) as usize
    };
    let platforms = ["instagram", "tiktok", "youtube", "x", ""];
    let mut out = String::new();
    for i in 0..n {
        let words: Vec<&str> = (0..next() % 14 + 1)
            .map(|_| PARTS[next() % PARTS.len()])
            .collect();
        let platform = platforms[next() % platforms.len()];
        let sponsored = [Value::Null, Value::Bool(true), Value::Bool(false)][next() % 3].clone();
        let record = serde_json::json!({
            "id": format!("r{i}"),
            "platform": platform,
            "sponsored": sponsored,
            "caption": words.join(" "),
        });
        out.push_str(&record.to_string());
        out.push('\n');
    }
    out
}

#[test]
fn output_is_the_same_with_one_thread_and_many() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("varied.jsonl"), varied_export(2000)).unwrap();
    for format in ["jsonl", "human", "sarif"] {
        let one = check(
            dir.path(),
            &["--jobs", "1", "--format", format, "varied.jsonl"],
        );
        let many = check(
            dir.path(),
            &["--jobs", "4", "--format", format, "varied.jsonl"],
        );
        assert_eq!(one.code, many.code);
        assert!(
            one.stdout == many.stdout,
            "{format} output differs between 1 and 4 threads"
        );
        assert!(!one.stdout.is_empty());
    }
}

/// Every span a finding points at lies inside the caption, on character boundaries.
fn assert_spans_inside(c: &Caption) -> Result<(), TestCaseError> {
    for d in engine::check(c, &RULES) {
        let spans = std::iter::once(&d.span).chain(d.labels.iter().map(|l| &l.span));
        for span in spans {
            prop_assert!(
                span.start <= span.end && span.end <= c.text.len(),
                "{} {span:?} in {:?}",
                d.code,
                c.text
            );
            prop_assert!(
                c.text.is_char_boundary(span.start) && c.text.is_char_boundary(span.end),
                "{} {span:?} splits a character in {:?}",
                d.code,
                c.text
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn spans_are_inside_the_caption_on_char_boundaries(c in generated_caption()) {
        assert_spans_inside(&c)?;
    }

    #[test]
    fn spans_hold_for_any_text(text in "\\PC{0,120}", platform in prop::sample::select(&["instagram", "tiktok", "x", "generic"][..])) {
        let mut c = Caption::new(text);
        c.platform = Some(platform.to_string());
        c.sponsored = Some(true);
        assert_spans_inside(&c)?;
    }

    #[test]
    fn the_fold_never_splits_a_grapheme(text in "(\\PC|\\r\\n|\\n|🇫🇷|👩🏽‍💻|❤️){0,200}", chars in 0usize..150, lines in prop::option::of(1usize..4)) {
        let end = adlint::text::fold_end(&text, chars, lines);
        prop_assert!(grapheme_boundaries(&text).contains(&end), "fold at {end} in {text:?}");
    }
}
