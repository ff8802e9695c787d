//! Snapshots of rendered output (human and JSON) for fixture captions.
//!
//! Each caption in `fixtures/captions/` is checked by the built binary, run from the crate root
//! with the fixture path given relative to it, so source names in the snapshots are stable.
//! Direct assertions below pin the numbers the snapshots rely on (byte spans, character columns,
//! lines, the grapheme fold), so a snapshot cannot quietly accept a wrong position.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

const FIXTURES: &str = "fixtures/captions";

/// The output and exit code of `adlint check --color never --no-config <args>`.
fn adlint(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_adlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--color", "never", "--no-config"])
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .output()
        .expect("adlint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.is_empty(),
        "adlint {args:?} wrote to stderr:\n{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let code = out.status.code().expect("adlint exited");
    (stdout, code)
}

fn fixture(file: &str) -> String {
    format!("{FIXTURES}/{file}")
}

/// The caption as adlint reads it from a text file (trailing whitespace trimmed).
fn caption_text(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture(file));
    std::fs::read_to_string(path)
        .expect("fixture is readable")
        .trim_end()
        .to_string()
}

/// Snapshot `output` under `name`, recording the command line as the description.
fn snapshot(name: &str, args: &[&str], output: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_description(format!(
        "adlint check --color never --no-config {}",
        args.join(" ")
    ));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, output));
}

/// Human output for one caption file, snapshotted under the file's stem.
fn human(file: &str, flags: &[&str], expected_exit: i32) {
    let path = fixture(file);
    let mut args = flags.to_vec();
    args.push(&path);
    let (out, code) = adlint(&args);
    assert_eq!(code, expected_exit, "exit code of {args:?}:\n{out}");
    let name = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    snapshot(name, &args, &out);
}

/// `--format json` for one caption file: the snapshot, and the parsed document.
fn json(file: &str, flags: &[&str], expected_exit: i32) -> Value {
    let path = fixture(file);
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(flags);
    args.push(&path);
    let (out, code) = adlint(&args);
    assert_eq!(code, expected_exit, "exit code of {args:?}:\n{out}");
    let name = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    snapshot(&format!("{name}_json"), &args, &out);
    serde_json::from_str(&out).expect("--format json prints one JSON document")
}

/// Parse `--format json` output without snapshotting it.
fn json_of(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (out, _) = adlint(&all);
    serde_json::from_str(&out).expect("--format json prints one JSON document")
}

/// The diagnostics of the first (only) result of a JSON document.
fn diagnostics(doc: &Value) -> &Vec<Value> {
    doc["results"][0]["diagnostics"]
        .as_array()
        .expect("a result with diagnostics")
}

fn codes(doc: &Value) -> Vec<&str> {
    diagnostics(doc)
        .iter()
        .map(|d| d["code"].as_str().expect("a code"))
        .collect()
}

fn find<'a>(doc: &'a Value, code: &str) -> &'a Value {
    diagnostics(doc)
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {doc:#}"))
}

/// Assert a finding's byte span, 1-based line and 1-based character column.
fn assert_at(d: &Value, start: usize, end: usize, line: usize, column: usize) {
    let code = &d["code"];
    assert_eq!(d["span"]["start"], start, "{code} span.start");
    assert_eq!(d["span"]["end"], end, "{code} span.end");
    assert_eq!(d["line"], line, "{code} line");
    assert_eq!(d["column"], column, "{code} column");
}

// ---------------------------------------------------------------------------------------------
// Human output, one snapshot per caption file
// ---------------------------------------------------------------------------------------------

#[test]
fn human_bio_deferral() {
    human("bio_deferral.txt", &[], 1);
}

#[test]
fn human_clean() {
    human("clean.txt", &[], 0);
}

#[test]
fn human_crlf() {
    human("crlf.txt", &["--platform", "instagram"], 1);
}

#[test]
fn human_de_werbung() {
    human("de_werbung.txt", &["--platform", "instagram"], 0);
}

#[test]
fn human_discount_code() {
    human("discount_code.txt", &["--platform", "instagram"], 1);
}

#[test]
fn human_emoji_result() {
    // FTC011 is a warning: reported, but below the default --fail-on error.
    human("emoji_result.txt", &["--platform", "instagram"], 0);
}

#[test]
fn human_es_only_ad() {
    human("es_only_ad.txt", &["--platform", "instagram"], 0);
}

#[test]
fn human_hashtag_wall() {
    human("hashtag_wall.txt", &["--platform", "instagram"], 1);
}

#[test]
fn human_health_claim() {
    human(
        "health_claim.txt",
        &[
            "--platform",
            "instagram",
            "--sponsored",
            "--brand",
            "TummyTonic",
        ],
        0,
    );
}

#[test]
fn human_ja_koukoku() {
    human("ja_koukoku.txt", &["--platform", "instagram"], 0);
}

#[test]
fn human_notsponsored_amzn() {
    human("notsponsored_amzn.txt", &["--platform", "facebook"], 1);
}

#[test]
fn human_weak_spon() {
    human("weak_spon.txt", &["--platform", "tiktok"], 1);
}

#[test]
fn human_zwj_fold() {
    human("zwj_fold.txt", &["--platform", "tiktok"], 0);
}

#[test]
fn human_campaign() {
    human("campaign.jsonl", &[], 1);
}

// ---------------------------------------------------------------------------------------------
// JSON output
// ---------------------------------------------------------------------------------------------

#[test]
fn json_zwj_fold_positions_count_bytes_characters_and_graphemes() {
    let doc = json("zwj_fold.txt", &["--platform", "tiktok"], 0);
    let text = caption_text("zwj_fold.txt");
    let start = text.find("#ad").expect("fixture has #ad");
    let end = start + "#ad".len();

    // The fixture sits on the TikTok fold: `#ad` ends on exactly the 100th grapheme, while
    // counting chars (or bytes) would put it past the fold.
    assert_eq!(text[..end].graphemes(true).count(), 100);
    assert!(text[..end].chars().count() > 100);
    assert!(!text[..start].contains('\n'), "#ad is on the first line");

    // Inside the head: no FTC003, only the video reminder, anchored on the disclosure.
    assert_eq!(codes(&doc), ["FTC012"]);
    let column = text[..start].chars().count() + 1;
    assert!(
        column < start + 1,
        "emoji make the char column differ from the byte offset"
    );
    assert_at(find(&doc, "FTC012"), start, end, 1, column);
}

#[test]
fn zwj_fold_boundary_is_one_grapheme_wide() {
    let text = caption_text("zwj_fold.txt");
    let dir = tempfile::tempdir().unwrap();
    let check = |name: &str, caption: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, caption).unwrap();
        codes(&json_of(&["--platform", "tiktok", path.to_str().unwrap()]))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };

    // One more character in the family's ZWJ sequence: more chars, same graphemes, still in.
    let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
    assert!(text.starts_with(family));
    let bigger_family = text.replacen(family, &format!("{family}\u{200d}👦"), 1);
    let end = bigger_family.find("#ad").unwrap() + 3;
    assert_eq!(bigger_family[..end].graphemes(true).count(), 100);
    assert_eq!(check("bigger_family.txt", bigger_family), ["FTC012"]);

    // One more grapheme before `#ad`: it now starts inside the head but ends one grapheme past
    // the fold, and a disclosure must end inside the head.
    let one_more = text.replacen("at the end #ad", "at the end! #ad", 1);
    assert_eq!(check("one_more.txt", one_more), ["FTC003", "FTC012"]);
}

#[test]
fn json_crlf_reports_the_line_of_the_disclosure() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("crlf.txt"));
    let bytes = std::fs::read(path).unwrap();
    let lines = bytes.split(|b| *b == b'\n').count() - 1;
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    assert!(
        lines == 4 && crlf == 4,
        "crlf.txt must keep its CRLF line breaks (git may have converted them)"
    );

    let doc = json("crlf.txt", &["--platform", "instagram"], 1);
    let text = caption_text("crlf.txt");
    let start = text.find("#ad").unwrap();
    // Byte offsets count the `\r`s; lines count each CRLF once.
    assert_eq!(text[..start].matches("\r\n").count(), 3);
    assert_eq!(codes(&doc), ["FTC003"]);
    assert_at(find(&doc, "FTC003"), start, start + 3, 4, 1);
}

#[test]
fn json_hashtag_wall() {
    let doc = json("hashtag_wall.txt", &["--platform", "instagram"], 1);
    let text = caption_text("hashtag_wall.txt");
    let start = text.find("#ad ").unwrap();
    let line_start = text.find('\n').unwrap() + 1;
    let column = text[line_start..start].chars().count() + 1;
    assert_eq!(codes(&doc), ["FTC003", "FTC004", "FTC008"]);
    for code in ["FTC003", "FTC004", "FTC008"] {
        assert_at(find(&doc, code), start, start + 3, 2, column);
    }
}

#[test]
fn json_notsponsored_amzn() {
    let doc = json("notsponsored_amzn.txt", &["--platform", "facebook"], 1);
    let text = caption_text("notsponsored_amzn.txt");
    let denial = text.find("#notsponsored").unwrap();
    let link = text.find("https://amzn.to/").unwrap();
    assert_eq!(codes(&doc), ["FTC006", "FTC001"]);
    let ftc006 = find(&doc, "FTC006");
    assert_at(
        ftc006,
        denial,
        denial + "#notsponsored".len(),
        1,
        text[..denial].chars().count() + 1,
    );
    assert_at(
        find(&doc, "FTC001"),
        link,
        text.len(),
        1,
        text[..link].chars().count() + 1,
    );
}

#[test]
fn json_emoji_result_column_counts_characters() {
    let doc = json("emoji_result.txt", &["--platform", "instagram"], 0);
    let text = caption_text("emoji_result.txt");
    let claim = "lost 12 lbs in 6 weeks";
    let start = text.find(claim).unwrap();
    assert_eq!(codes(&doc), ["FTC011"]);
    assert_at(
        find(&doc, "FTC011"),
        start,
        start + claim.len(),
        1,
        text[..start].chars().count() + 1,
    );
}

#[test]
fn jsonl_campaign() {
    let path = fixture("campaign.jsonl");
    let args = ["--format", "jsonl", path.as_str()];
    let (out, code) = adlint(&args);
    assert_eq!(code, 1, "{out}");
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON result"))
        .collect();
    let ids: Vec<&str> = records
        .iter()
        .map(|r| r["record"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c-101", "c-102", "c-103", "c-104", "c-105", "c-106"]);
    snapshot("campaign_jsonl", &args, &out);
}

// ---------------------------------------------------------------------------------------------
// Regressions: the human header and labels agree with the JSON positions.
// ---------------------------------------------------------------------------------------------

/// The `╭─[source:line:column]` header of the human output should give the same column as the
/// JSON `column` (characters), not a byte column.
#[test]
fn human_header_column_counts_characters() {
    let path = fixture("emoji_result.txt");
    let (human, _) = adlint(&["--platform", "instagram", &path]);
    let doc = json_of(&["--platform", "instagram", &path]);
    let column = find(&doc, "FTC011")["column"].as_u64().unwrap();
    let expected = format!("╭─[{path}:1:{column}]");
    assert!(
        human.contains(&expected),
        "expected {expected} in:\n{human}"
    );
}

/// FTC004's primary label should point at the buried disclosure, not past the end of the wall
/// label that contains it.
#[test]
fn human_wall_label_points_at_the_disclosure() {
    let path = fixture("hashtag_wall.txt");
    let (human, _) = adlint(&["--platform", "instagram", "--select", "FTC004", &path]);
    let source_line = human
        .lines()
        .find(|l| l.contains("#travelgram"))
        .expect("the wall's line is shown");
    let label_line = human
        .lines()
        .find(|l| l.contains("╰── disclosure buried in a hashtag wall"))
        .expect("the disclosure label is shown");
    let ad = source_line[..source_line.find("#ad ").unwrap()]
        .chars()
        .count();
    let connector = label_line.chars().position(|c| c == '╰').unwrap();
    assert_eq!(
        connector,
        ad + 1,
        "the label should hang from the middle of `#ad`:\n{human}"
    );
}
