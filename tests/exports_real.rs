//! Exports as platforms, Excel and APIs write them (issue 15): encodings, separators, column
//! names, nested fields, localised values, platform spellings, spreadsheets with title rows and
//! several sheets, runs that check nothing, baselines over partial runs, reports opened in
//! Excel and quiet runs. The fixtures are in `fixtures/real/`; spreadsheets are made here.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::Run;

fn adlint_in(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_adlint"))
        .current_dir(dir)
        .args(&args[..1])
        .args(["--color", "never"])
        .args(&args[1..])
        .env("COLUMNS", "100")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("adlint runs")
        .into()
}

/// `adlint check --no-config <args>` from the crate root.
fn check(args: &[&str]) -> Run {
    let mut all = vec!["check", "--no-config"];
    all.extend_from_slice(args);
    adlint_in(Path::new(env!("CARGO_MANIFEST_DIR")), &all)
}

fn by_record(run: &Run) -> Vec<(String, Value)> {
    run.jsonl()
        .into_iter()
        .map(|v| (v["record"].as_str().unwrap_or_default().to_string(), v))
        .collect()
}

fn codes(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

// --- 1. Encodings ------------------------------------------------------------------------------

#[test]
fn a_utf16_tsv_is_read_given_directly_and_in_a_folder() {
    let run = check(&["--format", "jsonl", "fixtures/real/unicode_text.tsv"]);
    let records = by_record(&run);
    let ids: Vec<&str> = records.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["p-1", "p-2", "p-3", "p-4", "p-5"], "{run:?}");
    assert!(
        run.stderr
            .contains("unicode_text.tsv: read as UTF-16LE (byte-order mark)"),
        "{run:?}"
    );
    // In a folder it is text, not binary.
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real/unicode_text.tsv"),
        dir.path().join("export.tsv"),
    )
    .unwrap();
    let run = adlint_in(
        dir.path(),
        &["check", "--no-config", "--format", "jsonl", "."],
    );
    assert_eq!(run.jsonl().len(), 5, "{run:?}");
    // Excel saves "Unicode Text" as `.txt`: read as the export it is, and said so.
    fs::rename(dir.path().join("export.tsv"), dir.path().join("export.txt")).unwrap();
    let run = adlint_in(
        dir.path(),
        &["check", "--no-config", "--format", "jsonl", "."],
    );
    assert_eq!(run.jsonl().len(), 5, "{run:?}");
    assert!(
        run.stderr.contains("read as a tab-separated export"),
        "{run:?}"
    );
    // A UTF-16 caption in a .txt file stays one caption.
    let mut caption = vec![0xFF, 0xFE];
    caption.extend(
        "#ad new serum from @glowlab"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    fs::write(dir.path().join("export.txt"), caption).unwrap();
    let run = adlint_in(
        dir.path(),
        &["check", "--no-config", "--format", "jsonl", "."],
    );
    assert_eq!(run.jsonl().len(), 1, "{run:?}");
    assert_eq!(run.jsonl()[0]["record"], Value::Null, "{run:?}");
}

#[test]
fn a_windows_1252_csv_keeps_its_accents() {
    let run = check(&["--format", "json", "fixtures/real/windows1252.csv"]);
    let doc = run.json();
    assert_eq!(doc["errors"], Value::Array(vec![]), "{run:?}");
    assert_eq!(doc["results"].as_array().unwrap().len(), 2);
    assert!(run.stderr.contains("read as windows-1252"), "{run:?}");
    // The span of a finding is a byte offset into the decoded caption.
    let csv = check(&["--format", "csv", "fixtures/real/windows1252.csv"]);
    assert!(
        csv.stdout
            .contains("Très belle crème from @lumen, use code ZOE20 for 20% off – merci à vous"),
        "{csv:?}"
    );
    // --encoding names it; an unknown name is a usage error.
    let run = check(&[
        "--format",
        "jsonl",
        "--encoding",
        "cp1252",
        "fixtures/real/windows1252.csv",
    ]);
    assert!(
        run.stderr
            .contains("read as windows-1252 (named by --encoding)"),
        "{run:?}"
    );
    let run = check(&["--encoding", "klingon", "fixtures/real/windows1252.csv"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown encoding `klingon`"), "{run:?}");
}

// --- 2, 3, 5. Separators, column names, values ---------------------------------------------------

#[test]
fn a_semicolon_csv_with_a_title_row_and_platform_column_names() {
    let run = check(&[
        "--format",
        "jsonl",
        "-v",
        "fixtures/real/semicolon_title.csv",
    ]);
    let records = by_record(&run);
    // `Post URL` is the id, so baselines survive rows moving.
    assert_eq!(records[0].0, "https://www.instagram.com/p/Cx1/", "{run:?}");
    // The platform comes from the URL's host.
    assert_eq!(records[0].1["platform"], "instagram");
    assert_eq!(records[1].1["platform"], "tiktok");
    assert_eq!(records[0].1["file_line"], 3);
    assert!(run.stderr.contains("columns separated by `;`"), "{run:?}");
    assert!(
        run.stderr
            .contains("the column names are on row 2: skipped 1 title row above it"),
        "{run:?}"
    );
    // `--header-row` names it; a wrong one says which columns it found.
    let run = check(&[
        "--format",
        "jsonl",
        "--header-row",
        "2",
        "fixtures/real/semicolon_title.csv",
    ]);
    assert_eq!(run.jsonl().len(), 2, "{run:?}");
    let run = check(&[
        "--format",
        "jsonl",
        "--header-row",
        "3",
        "fixtures/real/semicolon_title.csv",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("no caption column"), "{run:?}");
}

#[test]
fn localised_yes_and_no_and_platform_spellings() {
    let run = check(&["--format", "jsonl", "fixtures/real/unicode_text.tsv"]);
    let records = by_record(&run);
    let platforms: Vec<&str> = records
        .iter()
        .map(|(_, v)| v["platform"].as_str().unwrap())
        .collect();
    // Instagram Reels, IG Story, YouTube Shorts, TikTok Video, Twitter/X.
    assert_eq!(
        platforms,
        ["instagram", "instagram", "youtube", "tiktok", "x"],
        "{run:?}"
    );
    // Ja, Non, Sí, TRUE and ✓ are all read: no record is an error.
    assert!(
        records.iter().all(|(_, v)| v.get("error").is_none()),
        "{run:?}"
    );
    // p-2 said "Non" (not sponsored): its code-free caption stays clean.
    assert!(codes(&records[1].1).is_empty(), "{run:?}");
    assert!(!run.stderr.contains("unknown platform"), "{run:?}");
}

#[test]
fn unknown_values_are_explained_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("x.csv"),
        "id,caption,platform,sponsored\n\
         1,hello,Snapchat Spotlight,\n\
         2,world,Snapchat Spotlight,\n\
         3,again,Instagrm,\n\
         4,maybe,instagram,perhaps\n",
    )
    .unwrap();
    let run = adlint_in(
        dir.path(),
        &["check", "--no-config", "--format", "jsonl", "x.csv"],
    );
    assert!(
        run.stderr
            .contains("unknown platform `Snapchat Spotlight` in 2 records"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("unknown platform `Instagrm` (did you mean `instagram`?) in 1 record"),
        "{run:?}"
    );
    // A sponsored value that is no yes or no lists every accepted spelling.
    let error = run
        .jsonl()
        .into_iter()
        .find(|v| v.get("error").is_some())
        .unwrap();
    let message = error["error"].as_str().unwrap();
    for accepted in [
        "ja",
        "oui",
        "sí",
        "✓",
        "nein",
        "non",
        "--sponsored-field ''",
    ] {
        assert!(message.contains(accepted), "{accepted}: {message}");
    }
    // `--sponsored-field ''` switches the column off.
    let run = adlint_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--sponsored-field",
            "",
            "x.csv",
        ],
    );
    assert!(
        run.jsonl().iter().all(|v| v.get("error").is_none()),
        "{run:?}"
    );
}

// --- 4. Nested fields ----------------------------------------------------------------------------

#[test]
fn nested_json_is_found_by_itself_and_by_path() {
    let run = check(&["--format", "jsonl", "fixtures/real/nested_api.json"]);
    let records = by_record(&run);
    assert_eq!(records.len(), 2, "{run:?}");
    assert_eq!(records[0].0, "n-1");
    // Said once, not once per record.
    assert_eq!(
        run.stderr.matches("`caption` is an object").count(),
        1,
        "{run:?}"
    );
    for path in ["caption.text", "/caption/text"] {
        let run = check(&[
            "--format",
            "csv",
            "--caption-field",
            path,
            "--creator-field",
            "owner.username",
            "fixtures/real/nested_api.json",
        ]);
        assert!(run.stdout.contains(",mia.moves,"), "{path}: {run:?}");
        assert!(
            run.stdout.contains("https://www.instagram.com/p/N1/"),
            "{path}: {run:?}"
        );
    }
}

// --- 6. Spreadsheets -----------------------------------------------------------------------------

/// A workbook with a summary sheet first, then posts below a title row.
fn workbook(path: &Path, with_posts: bool) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let summary = book.add_worksheet();
    summary.set_name("Summary").unwrap();
    summary.write_string(0, 0, "Total posts").unwrap();
    summary.write_number(0, 1, 2).unwrap();
    let posts = book.add_worksheet();
    posts.set_name("Posts").unwrap();
    posts.write_string(0, 0, "Spring campaign report").unwrap();
    let header = if with_posts {
        ["Post ID", "Creator", "Post Text", "Sponsored"]
    } else {
        ["Post ID", "Creator", "Words", "Sponsored"]
    };
    for (c, h) in header.iter().enumerate() {
        posts.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        ["x-1", "@mia", "new serum from @glowlab, code MIA10", "Ja"],
        ["x-2", "@dan", "#ad trail snacks by @trailmix", "Oui"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            posts.write_string(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn a_workbook_with_a_summary_sheet_and_a_title_row() {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("report.xlsx"), true);
    let run = adlint_in(
        dir.path(),
        &["check", "--no-config", "--format", "jsonl", "report.xlsx"],
    );
    let records = by_record(&run);
    let ids: Vec<&str> = records.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["x-1", "x-2"], "{run:?}");
    assert_eq!(codes(&records[0].1), ["FTC001"], "{run:?}");
    assert!(run.stderr.contains("read sheet `Posts`"), "{run:?}");
    assert!(
        run.stderr.contains("the column names are on row 3"),
        "{run:?}"
    );
    // --header-row names the row.
    let run = adlint_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--sheet",
            "Posts",
            "--header-row",
            "3",
            "report.xlsx",
        ],
    );
    assert_eq!(run.jsonl().len(), 2, "{run:?}");

    // No sheet with a caption column: the sheets are listed.
    workbook(&dir.path().join("none.xlsx"), false);
    let run = adlint_in(
        dir.path(),
        &["check", "--no-config", "--format", "jsonl", "none.xlsx"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stdout.contains("no sheet has a caption column")
            && run.stdout.contains("`Summary`")
            && run.stdout.contains("`Posts`"),
        "{run:?}"
    );
}

// --- 7. A run that checked nothing ---------------------------------------------------------------

#[test]
fn a_run_that_checked_nothing_exits_2_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.log"), "nothing").unwrap();
    let run = adlint_in(dir.path(), &["check", "--no-config", "."]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(
            "nothing was checked: 1 file in folders skipped (1 not a caption or export file"
        ),
        "{run:?}"
    );
    // Every record an error.
    fs::write(dir.path().join("bad.jsonl"), "{\"id\": 1}\n").unwrap();
    let run = adlint_in(dir.path(), &["check", "--no-config", "bad.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("1 input could not be read"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn links_are_followed_once_and_fifos_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir(p.join("posts")).unwrap();
    fs::write(p.join("elsewhere.txt"), "#ad new serum from @glowlab").unwrap();
    std::os::unix::fs::symlink(p.join("elsewhere.txt"), p.join("posts/linked.txt")).unwrap();
    // A link to its own folder would loop if followed.
    std::os::unix::fs::symlink(p.join("posts"), p.join("posts/loop")).unwrap();
    std::os::unix::fs::symlink(p.join("gone.txt"), p.join("posts/broken.txt")).unwrap();
    let fifo = p.join("posts/pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let run = adlint_in(
        p,
        &["check", "--no-config", "-v", "--format", "jsonl", "posts"],
    );
    assert_eq!(run.jsonl().len(), 1, "{run:?}");
    assert_eq!(run.jsonl()[0]["source"], "posts/linked.txt");
    assert!(
        run.stderr
            .contains("skipped posts/loop: a link to a folder (links to folders are not followed)"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("skipped posts/broken.txt: a broken link"),
        "{run:?}"
    );
    if made.is_ok_and(|s| s.success()) {
        assert!(
            run.stderr.contains("skipped posts/pipe.txt: a FIFO"),
            "{run:?}"
        );
    }
}

// --- 10. Baselines and partial runs ----------------------------------------------------------------

#[test]
fn baselines_say_what_they_absorbed_and_judge_only_checked_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.txt"), "new serum from @glowlab, code MIA10").unwrap();
    fs::write(p.join("b.txt"), "my desk setup, use code KAI10 at @deskco").unwrap();
    let run = adlint_in(
        p,
        &[
            "check",
            "--no-config",
            "--write-baseline",
            "baseline.json",
            "a.txt",
            "b.txt",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // Checking one file: its finding is absorbed and said so; b.txt's entry is not stale.
    let run = adlint_in(
        p,
        &[
            "check",
            "--no-config",
            "--baseline",
            "baseline.json",
            "a.txt",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("✓ a.txt: no new disclosure problems (1 finding already in the baseline)"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("1 finding known from the baseline"),
        "{run:?}"
    );
    assert!(!run.stderr.contains("no longer match"), "{run:?}");
    let run = adlint_in(
        p,
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--baseline",
            "baseline.json",
            "a.txt",
        ],
    );
    assert_eq!(run.jsonl()[0]["baselined"], 1, "{run:?}");
    // The audit keeps them: the client sees the caption is not compliant.
    let run = adlint_in(
        p,
        &[
            "audit",
            "--no-config",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            "a.txt",
        ],
    );
    let doc = run.json();
    assert_eq!(doc["summary"]["compliant"], 0, "{run:?}");
    assert_eq!(doc["summary"]["baselined"], 1, "{run:?}");
    // Fixing a.txt leaves its entry stale; b.txt's is still not judged.
    fs::write(p.join("a.txt"), "#ad new serum from @glowlab, code MIA10").unwrap();
    let run = adlint_in(
        p,
        &[
            "check",
            "--no-config",
            "--baseline",
            "baseline.json",
            "a.txt",
        ],
    );
    assert!(
        run.stderr
            .contains("1 of the 1 baseline entries for the files checked no longer match"),
        "{run:?}"
    );
}

// --- 11. Config errors -------------------------------------------------------------------------

#[test]
fn config_mistakes_point_at_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.txt"), "#ad hello").unwrap();
    for (config, message, near) in [
        (
            "[severity]\nFTC088 = \"warning\"\n",
            "unknown rule `FTC088` in [severity]",
            "did you mean `FTC008`?",
        ),
        (
            "select = [\"FTC0099\"]\n",
            "unknown rule `FTC0099` in select",
            "did you mean `FTC009`?",
        ),
        (
            "platform = \"tiktk\"\n",
            "unknown platform `tiktk`",
            "did you mean `tiktok`?",
        ),
        (
            "markets = [\"uk\", \"dee\"]\n",
            "unknown market `dee` in `markets`",
            "did you mean `de`?",
        ),
        (
            "[[ignore]]\ncode = \"FTC001\"\n",
            "this [[ignore]] entry has no `reason`",
            "add `reason",
        ),
    ] {
        fs::write(p.join("adlint.toml"), config).unwrap();
        let run = adlint_in(p, &["check", "a.txt"]);
        assert_eq!(run.code, 2, "{config}: {run:?}");
        assert!(run.stderr.contains(message), "{config}: {run:?}");
        assert!(run.stderr.contains(near), "{config}: {run:?}");
        assert!(run.stderr.contains("adlint.toml:"), "{config}: {run:?}");
        assert!(run.stderr.contains("╰── here"), "{config}: {run:?}");
    }
    // The rendered diagnostic, as people see it.
    fs::write(p.join("adlint.toml"), "[severity]\nFTC088 = \"warning\"\n").unwrap();
    let run = adlint_in(p, &["check", "a.txt"]);
    let shown = run
        .stderr
        .replace(&p.display().to_string(), "[DIR]")
        .replace(&p.canonicalize().unwrap().display().to_string(), "[DIR]");
    insta::assert_snapshot!("config_unknown_rule_in_severity", shown);
    // On the command line: a usage error, with the same suggestion.
    let run = adlint_in(p, &["check", "--no-config", "--platform", "tiktk", "a.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `tiktok`?"), "{run:?}");
}

// --- 12, 13. Reports opened in Excel, quiet runs ---------------------------------------------------

#[test]
fn csv_reports_neutralise_formulas_and_carry_the_caption_fix_and_url() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("x.csv"),
        "id,creator,caption,post url\n\
         1,\"=HYPERLINK(\"\"http://evil\"\",\"\"hi\"\")\",new serum from @glowlab use code GLOW10,https://www.instagram.com/p/1/\n",
    )
    .unwrap();
    let run = adlint_in(
        dir.path(),
        &["check", "--no-config", "--format", "csv", "x.csv"],
    );
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    for column in ["caption", "help", "fix", "post_url", "file_line"] {
        assert!(header.iter().any(|h| h == column), "{column}: {header:?}");
    }
    let row = reader.records().next().unwrap().unwrap();
    let col = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
    assert_eq!(col("creator"), "'=HYPERLINK(\"http://evil\",\"hi\")");
    assert_eq!(col("caption"), "new serum from @glowlab use code GLOW10");
    assert_eq!(col("fix"), "#ad new serum from @glowlab use code GLOW10");
    assert_eq!(col("post_url"), "https://www.instagram.com/p/1/");
    // The HTML report links the card to the post.
    let run = adlint_in(
        dir.path(),
        &["audit", "--no-config", "--format", "html", "x.csv"],
    );
    assert!(
        run.stdout
            .contains("<a class=\"post\" href=\"https://www.instagram.com/p/1/\""),
        "{run:?}"
    );
}

#[test]
fn quiet_runs_print_only_captions_with_findings() {
    let run = check(&["--quiet", "fixtures/real/multiline_lf.csv"]);
    insta::assert_snapshot!("quiet_human", run.stdout);
    assert!(!run.stdout.contains('✓'), "{run:?}");
    assert!(run.stdout.contains("(post m-2, line 5)"), "{run:?}");
    assert!(run.stdout.contains("Checked 4 captions"), "{run:?}");
    let run = check(&["fixtures/real/multiline_lf.csv"]);
    assert!(
        run.stdout
            .contains("✓ fixtures/real/multiline_lf.csv:row 1 (post m-1, line 2)")
    );
}

// --- fix --output on such exports ----------------------------------------------------------------

#[test]
fn fix_output_keeps_the_separator_and_title_rows_and_refuses_other_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(
        root.join("fixtures/real/semicolon_title.csv"),
        dir.path().join("in.csv"),
    )
    .unwrap();
    let run = adlint_in(
        dir.path(),
        &[
            "fix",
            "--no-config",
            "--unsafe-fixes",
            "in.csv",
            "--output",
            "out.csv",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let out = fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let input = fs::read_to_string(dir.path().join("in.csv")).unwrap();
    assert_eq!(
        out,
        // The caption is German: after `#ad`, the language rule's fix adds the German label.
        input.replace(
            ";Neue Creme von @glowlab",
            ";#ad #werbung Neue Creme von @glowlab"
        )
    );
    fs::copy(
        root.join("fixtures/real/unicode_text.tsv"),
        dir.path().join("in.tsv"),
    )
    .unwrap();
    let run = adlint_in(
        dir.path(),
        &["fix", "--no-config", "in.tsv", "--output", "out.tsv"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("the export is in UTF-16LE"), "{run:?}");
    assert!(!dir.path().join("out.tsv").exists());
}
