//! Exports of every format, folders and field mapping, through the built binary.
//!
//! Every test runs `target/debug/adlint` in the crate's folder, so the fixtures in
//! `fixtures/exports/` are named by stable relative paths, with `--color never --no-config`,
//! `COLUMNS=100` and no `NO_COLOR`.
//!
//! The campaign fixtures (`campaign.csv`, `campaign_crlf.csv`, `campaign.tsv`, `semicolon.csv`,
//! `campaign.json` and the first sheet of `campaign.xlsx`) hold the same eight posts.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{Run, with_input};

const BIN: &str = env!("CARGO_BIN_EXE_adlint");
const DIR: &str = "fixtures/exports";

/// The campaign's posts in order, and the codes the built-in rules find in each.
const CAMPAIGN: [(&str, &[&str]); 8] = [
    ("p-101", &[]),
    ("p-102", &["FTC003", "FTC008", "FTC012"]), // #ad below the tiktok fold
    ("p-103", &[]),
    ("p-104", &["FTC002"]), // #spon, on the third line of a multi-line caption
    ("p-105", &[]),         // Spanish, not sponsored
    ("p-106", &["FTC001"]), // declared sponsored, no disclosure
    ("p-107", &[]),         // German `Werbung |`
    ("p-108", &["FTC001"]), // names its declared brand, no disclosure
];

impl Run {
    /// Each JSONL line as `record` (a result) or `error record: message` (an input error).
    fn lines(&self) -> Vec<String> {
        self.jsonl()
            .iter()
            .map(|v| match v.get("error") {
                Some(e) => format!("error {}: {}", text(&v["record"]), text(e)),
                None => text(&v["record"]),
            })
            .collect()
    }

    /// Rule codes per record, from JSONL results.
    fn codes(&self) -> BTreeMap<String, Vec<String>> {
        self.jsonl()
            .iter()
            .filter(|v| v.get("error").is_none())
            .map(|v| (text(&v["record"]), codes(v)))
            .collect()
    }

    /// The one JSONL result for a record.
    fn result(&self, record: &str) -> Value {
        let found: Vec<Value> = self
            .jsonl()
            .into_iter()
            .filter(|v| v.get("error").is_none() && text(&v["record"]) == record)
            .collect();
        assert_eq!(found.len(), 1, "one result for {record}\n{self:?}");
        found.into_iter().next().unwrap()
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

fn codes(result: &Value) -> Vec<String> {
    result["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics in {result}"))
        .iter()
        .map(|d| text(&d["code"]))
        .collect()
}

/// `adlint check --color never --no-config ARGS`, run in the crate's folder.
fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .args(["check", "--color", "never", "--no-config"])
        .args(args)
        .stdin(Stdio::null());
    cmd
}

fn check(args: &[&str]) -> Run {
    run(command(args), None)
}

fn check_stdin(args: &[&str], input: &[u8]) -> Run {
    run(command(args), Some(input))
}

fn run(mut cmd: Command, input: Option<&[u8]>) -> Run {
    match input {
        Some(input) => with_input(&mut cmd, input),
        None => cmd.output().expect("adlint runs").into(),
    }
}

fn path(name: &str) -> String {
    format!("{DIR}/{name}")
}

#[test]
fn every_format_reads_the_same_campaign() {
    let cases: [(&str, &[&str]); 6] = [
        ("campaign.csv", &[]),
        ("campaign_crlf.csv", &[]),
        ("campaign.tsv", &[]),
        ("semicolon.csv", &["--delimiter", ";"]),
        ("campaign.json", &[]),
        ("campaign.xlsx", &[]),
    ];
    for (file, extra) in cases {
        let file = path(file);
        let mut args = vec!["--format", "jsonl", file.as_str()];
        args.extend_from_slice(extra);
        let run = check(&args);
        assert_eq!(run.code, 1, "{file}: errors were found\n{run:?}");
        let ids: Vec<&str> = CAMPAIGN.iter().map(|(id, _)| *id).collect();
        assert_eq!(run.lines(), ids, "{file}: records in input order\n{run:?}");
        let found = run.codes();
        for (id, want) in CAMPAIGN {
            assert_eq!(found[id], want, "{file}: codes of {id}\n{run:?}");
        }
        for v in run.jsonl() {
            assert_eq!(v["source"], file.as_str(), "{run:?}");
        }
        assert_eq!(run.result("p-102")["platform"], "tiktok", "{file}");
        assert_eq!(run.result("p-103")["platform"], "youtube", "{file}");
        assert_eq!(run.result("p-108")["platform"], "x", "{file}");
        // The multi-line caption was read whole: `#spon` is on its third line.
        let spon = &run.result("p-104")["diagnostics"][0];
        assert_eq!(
            (&spon["line"], &spon["column"]),
            (&3.into(), &1.into()),
            "{file}"
        );
        assert!(run.stderr.is_empty(), "{file}\n{run:?}");
    }
}

#[test]
fn json_output_holds_every_record() {
    let run = check(&["--format", "json", &path("campaign.tsv")]);
    assert_eq!(run.code, 1, "{run:?}");
    let doc = run.json();
    let records: Vec<String> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| text(&r["record"]))
        .collect();
    assert_eq!(records, CAMPAIGN.map(|(id, _)| id.to_string()));
    assert_eq!(doc["errors"], Value::Array(Vec::new()));
    assert_eq!(codes(&doc["results"][5]), ["FTC001"]);
}

#[test]
fn the_semicolon_file_is_sniffed() {
    // Its separator is found from the header row, and named with -v.
    let run = check(&["--format", "jsonl", "-v", &path("semicolon.csv")]);
    let lines = run.lines();
    assert!(lines.len() > 1, "{run:?}");
    assert!(!lines.iter().any(|l| l.starts_with("error")), "{run:?}");
    assert!(
        run.stderr
            .contains("columns separated by `;` (sniffed from the header row"),
        "{run:?}"
    );
    // Told a wrong separator, the error names the one the header has.
    let run = check(&[
        "--format",
        "jsonl",
        "--delimiter",
        "|",
        &path("semicolon.csv"),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("--delimiter ';'"), "{run:?}");
}

#[test]
fn human_output_names_records_by_row_and_id() {
    let run = check(&[&path("campaign.csv")]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("╭─[fixtures/exports/campaign.csv:row 2 (post p-102, line 3):1:119]"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains(
            "✓ fixtures/exports/campaign.csv:row 1 (post p-101, line 2): no disclosure problems found (instagram)"
        ),
        "{run:?}"
    );
    // In the spreadsheet an empty row comes before p-105; rows are counted below the header.
    let run = check(&[&path("campaign.xlsx")]);
    assert!(
        run.stdout
            .contains("✓ fixtures/exports/campaign.xlsx:row 6 (post p-105):"),
        "{run:?}"
    );
    // JSON records are placed by their pointer.
    let run = check(&[&path("posts.json")]);
    assert!(
        run.stdout
            .contains("fixtures/exports/posts.json:/posts/1 (post s-2)"),
        "{run:?}"
    );
}

#[test]
fn each_record_carries_its_own_context() {
    // The same caption as two records that differ in one field: platform, sponsored or brand.
    let below_fold = "storytime: I almost gave up on skincare until this serum showed up at my door and now my whole routine is three steps #ad";
    let olive = "Dinner on the table in 20 minutes with my favourite olive oil 🫒 recipe below";
    let desk = "Loving my mornings at the TechNest standing desk, my back has never felt better";
    let csv = format!(
        "post_id,network,paid,sponsor,caption\n\
         a-1,tiktok,,,{below_fold}\n\
         a-2,instagram,,,{below_fold}\n\
         b-1,instagram,yes,,{olive}\n\
         b-2,instagram,no,,{olive}\n\
         c-1,x,,TechNest,\"{desk}\"\n\
         c-2,x,,,\"{desk}\"\n"
    );
    let run = check_stdin(
        &["--format", "jsonl", "--input-format", "csv", "-"],
        csv.as_bytes(),
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.lines(), ["a-1", "a-2", "b-1", "b-2", "c-1", "c-2"]);
    let found = run.codes();
    assert!(found["a-1"].contains(&"FTC003".to_string()), "{run:?}");
    assert!(!found["a-2"].contains(&"FTC003".to_string()), "{run:?}");
    assert_eq!(found["b-1"], ["FTC001"], "{run:?}");
    assert_eq!(found["b-2"], Vec::<String>::new(), "{run:?}");
    assert_eq!(found["c-1"], ["FTC001"], "{run:?}");
    assert_eq!(found["c-2"], Vec::<String>::new(), "{run:?}");
    for v in run.jsonl() {
        assert_eq!(v["source"], "-");
    }

    // Flags fill in only what a record does not say.
    let run = check(&[
        "--format",
        "jsonl",
        "--platform",
        "youtube",
        "--not-sponsored",
        &path("campaign.csv"),
    ]);
    let found = run.codes();
    assert_eq!(run.result("p-102")["platform"], "tiktok");
    assert!(found["p-102"].contains(&"FTC003".to_string()), "{run:?}");
    assert_eq!(found["p-106"], ["FTC001"], "declared sponsored in its row");
    assert_eq!(
        found["p-108"],
        Vec::<String>::new(),
        "no sponsored cell: the flag applies"
    );
}

#[test]
fn creators_come_from_the_export() {
    let run = check(&["--format", "csv", &path("campaign.json")]);
    assert_eq!(run.code, 1, "{run:?}");
    let mut rows = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = rows.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (record, creator, code) = (column("record"), column("creator"), column("code"));
    let found: Vec<(String, String, String)> = rows
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[record].into(), r[creator].into(), r[code].into())
        })
        .collect();
    assert!(
        // A cell starting with `@` is written with a `'` so Excel does not run it.
        found.contains(&("p-102".into(), "'@mia.moves".into(), "FTC003".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("p-104".into(), "'@danfitlife".into(), "FTC002".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("p-108".into(), "'@kai.codes".into(), "FTC001".into())),
        "{found:?}"
    );
}

#[test]
fn stdin_reads_any_export_format() {
    let tsv = "id\tcaption\tplatform\nt-1\tUse my code GLOW20 for 20% off @glowlab ✨\tinstagram\nt-2\tQuiet Sunday 🌿\t\n";
    let run = check_stdin(
        &["--format", "jsonl", "--input-format", "tsv", "-"],
        tsv.as_bytes(),
    );
    assert_eq!(run.lines(), ["t-1", "t-2"], "{run:?}");
    assert_eq!(run.codes()["t-1"], ["FTC001"]);
    let json = std::fs::read(path("posts.json")).unwrap();
    let run = check_stdin(&["--format", "jsonl", "--input-format", "json", "-"], &json);
    assert_eq!(run.lines(), ["s-1", "s-2", "s-3"], "{run:?}");
    // Spreadsheets need a file.
    let run = check_stdin(&["--format", "jsonl", "--input-format", "xlsx", "-"], b"x");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.lines()[0].contains("give the file's path"), "{run:?}");
}

#[test]
fn fields_can_be_named() {
    let file = path("no_caption.csv");
    let run = check(&[
        "--format",
        "jsonl",
        "--caption-field",
        "words",
        "--id-field",
        "post",
        &file,
    ]);
    assert_eq!(run.lines(), ["n-1", "n-2"], "{run:?}");
    assert_eq!(run.result("n-1")["platform"], "instagram");
    assert_eq!(run.code, 0, "{run:?}");
    // The same for JSON keys: the brand as the id, the creator as the caption.
    let run = check(&[
        "--format",
        "jsonl",
        "--caption-field",
        "creator",
        "--id-field",
        "BRAND",
        &path("posts.json"),
    ]);
    assert_eq!(run.lines(), ["GlowLab", "2", "3"], "{run:?}");
    // A named column that is not there is one error naming the columns.
    let run = check(&["--format", "jsonl", "--id-field", "post_ref", &file]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines = run.lines();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(
        lines[0].contains("no column `post_ref` (named by --id-field); the columns are: post, creator, platform, words"),
        "{run:?}"
    );
}

#[test]
fn a_missing_caption_column_is_one_error() {
    let run = check(&["--format", "json", &path("no_caption.csv")]);
    assert_eq!(run.code, 2, "{run:?}");
    let doc = run.json();
    assert_eq!(doc["results"], Value::Array(Vec::new()), "{run:?}");
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{run:?}");
    assert_eq!(errors[0]["source"], "fixtures/exports/no_caption.csv");
    let message = text(&errors[0]["message"]);
    assert!(message.starts_with("no caption column"), "{message}");
    assert!(
        message.contains("the columns are: post, creator, platform, words"),
        "{message}"
    );
}

#[test]
fn broken_rows_are_errors_and_the_rest_are_checked() {
    let run = check(&["--format", "jsonl", &path("broken.csv")]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines = run.lines();
    assert_eq!(lines.len(), 5, "{run:?}");
    assert_eq!(lines[0], "r-1");
    assert!(
        lines[1].starts_with("error 2: row 2: not UTF-8 in column 6"),
        "{run:?}"
    );
    assert_eq!(lines[2], "r-3");
    // The unclosed quote runs into r-5's line; the row is refused, not read half-right.
    assert!(
        lines[3].starts_with("error 4: row 4: this row has 7 cells but the header has 6"),
        "{run:?}"
    );
    assert_eq!(lines[4], "r-6");
    let run = check(&[&path("broken.csv")]);
    assert!(
        run.stdout
            .contains("fixtures/exports/broken.csv:row 2: not UTF-8"),
        "{run:?}"
    );
    assert!(run.stdout.contains("2 inputs could not be read"), "{run:?}");
}

#[test]
fn a_json_syntax_error_names_line_and_column_after_earlier_records() {
    let run = check(&["--format", "jsonl", &path("syntax_error.json")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.lines(),
        [
            "e-1",
            "e-2",
            "e-3",
            "error -: line 5: invalid JSON at column 16: expected `,` or `}`; nothing after it was read"
        ],
        "{run:?}"
    );
    assert_eq!(run.codes()["e-2"], ["FTC001"]);
    let errors = run.jsonl();
    assert_eq!(errors[3]["source"], "fixtures/exports/syntax_error.json");
    let run = check(&[&path("syntax_error.json")]);
    assert!(
        run.stdout.contains(
            "fixtures/exports/syntax_error.json:line 5: invalid JSON at column 16: expected `,` or `}`"
        ),
        "{run:?}"
    );
}

#[test]
fn json_records_are_found_or_named_by_pointer() {
    // One array among other keys.
    let run = check(&["--format", "jsonl", &path("posts.json")]);
    assert_eq!(run.lines(), ["s-1", "s-2", "s-3"], "{run:?}");
    assert_eq!(run.codes()["s-2"], ["FTC001"]);
    assert_eq!(run.result("s-2")["platform"], "facebook");
    assert_eq!(run.code, 1);
    // Nested: --records names it, and the common field names are found.
    let file = path("nested.json");
    let run = check(&["--format", "jsonl", "--records", "/data/items", &file]);
    assert_eq!(run.lines(), ["9001", "9002", "9003"], "{run:?}");
    assert_eq!(run.codes()["9001"], ["FTC002"], "#PR alone is ambiguous");
    assert_eq!(run.codes()["9003"], ["FTC001"], "paid: yes");
    assert_eq!(run.result("9002")["platform"], "tiktok");
    let run = check(&["--records", "/data/items", &file]);
    assert!(
        run.stdout
            .contains("fixtures/exports/nested.json:/data/items/0 (post 9001)"),
        "{run:?}"
    );
    // Without it, one error says where records are.
    let run = check(&["--format", "jsonl", &file]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines = run.lines();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(
        lines[0].contains("found arrays of objects at `/data/included`, `/data/items`"),
        "{run:?}"
    );
    // A pointer that leads nowhere.
    let run = check(&["--format", "jsonl", "--records", "/data/posts", &file]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.lines(),
        [
            "error -: no records at `/data/posts`: `/data` has no key `posts`; its keys are: cursor, included, items"
        ],
        "{run:?}"
    );
}

#[test]
fn spreadsheet_sheets() {
    let file = path("campaign.xlsx");
    let run = check(&["--format", "jsonl", "--sheet", "Backup", &file]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.lines(),
        [
            "b-1",
            "205",
            "error b-3: row 3: cell G6 (column `text`) holds the error #N/A"
        ],
        "{run:?}"
    );
    assert_eq!(run.result("205")["platform"], "tiktok");
    let run = check(&["--format", "jsonl", "--sheet", "Drafts", &file]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.lines(),
        ["error -: no sheet `Drafts` (named by --sheet); the sheets are: Campaign, Backup"],
        "{run:?}"
    );
}

#[test]
fn folders_read_known_files_and_say_what_they_skip() {
    let folder = path("folder");
    let run = check(&["--format", "jsonl", "--verbose", &folder]);
    assert_eq!(run.code, 1, "{run:?}");
    let sources: Vec<String> = run
        .jsonl()
        .iter()
        .map(|v| format!("{} {}", text(&v["source"]), text(&v["record"])))
        .collect();
    assert_eq!(
        sources,
        [
            "fixtures/exports/folder/batch.jsonl f-1",
            "fixtures/exports/folder/batch.jsonl f-2",
            "fixtures/exports/folder/campaign_week1.csv w-1",
            "fixtures/exports/folder/drafts/giveaway.csv d-1",
            "fixtures/exports/folder/drafts/teaser.txt -",
            "fixtures/exports/folder/morning_routine.txt -",
            "fixtures/exports/folder/weekend_hike.txt -",
        ],
        "{run:?}"
    );
    for skipped in [
        "adlint: skipped fixtures/exports/folder/.secret.txt: hidden",
        "adlint: skipped fixtures/exports/folder/image.bin: not a caption or export file",
        "adlint: skipped fixtures/exports/folder/notes.log: not a caption or export file",
    ] {
        assert!(run.stderr.contains(skipped), "{skipped}\n{run:?}");
    }
    assert_eq!(run.stderr.lines().count(), 3, "{run:?}");
    // Quiet without --verbose.
    let run = check(&["--format", "jsonl", &folder]);
    assert_eq!(run.stderr, "", "{run:?}");
    // A binary file is skipped even when it is asked for.
    let run = check(&["--format", "jsonl", "-v", "--include", "*.bin", &folder]);
    assert_eq!(run.stdout, "", "{run:?}");
    assert!(
        run.stderr
            .contains("adlint: skipped fixtures/exports/folder/image.bin: binary"),
        "{run:?}"
    );
    // Nothing was checked: that is not a pass.
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("adlint: nothing was checked: 9 files in folders skipped (1 binary"),
        "{run:?}"
    );
}

#[test]
fn folder_globs_include_and_exclude() {
    let folder = path("folder");
    let run = check(&["--format", "jsonl", "--include", "*.csv", &folder]);
    assert_eq!(run.lines(), ["w-1", "d-1"], "{run:?}");
    let run = check(&["--format", "jsonl", "-v", "--exclude", "drafts/**", &folder]);
    let sources: Vec<String> = run.jsonl().iter().map(|v| text(&v["source"])).collect();
    assert!(!sources.iter().any(|s| s.contains("/drafts/")), "{run:?}");
    assert_eq!(sources.len(), 5, "{run:?}");
    assert!(
        run.stderr.contains(
            "adlint: skipped fixtures/exports/folder/drafts/giveaway.csv: excluded by --exclude"
        ),
        "{run:?}"
    );
    let run = check(&[
        "--format",
        "jsonl",
        "--include",
        "**/*.txt",
        "--exclude",
        "drafts",
        &folder,
    ]);
    let sources: Vec<String> = run.jsonl().iter().map(|v| text(&v["source"])).collect();
    assert_eq!(
        sources,
        [
            "fixtures/exports/folder/morning_routine.txt",
            "fixtures/exports/folder/weekend_hike.txt"
        ],
        "{run:?}"
    );
}

#[test]
fn a_large_json_array_streams_through() {
    const N: usize = 200_000;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    out.write_all(b"{\"meta\": {\"count\": 200000}, \"posts\": [\n")
        .unwrap();
    for i in 0..N {
        let sep = if i + 1 < N { "," } else { "" };
        writeln!(out, "{{\"caption\":\"post {i} #ad\"}}{sep}").unwrap();
    }
    out.write_all(b"]}\n").unwrap();
    out.into_inner().unwrap().sync_all().unwrap();
    // Without rules the run is all reading and writing.
    let run = check(&[
        "--format",
        "jsonl",
        "--no-builtin",
        "--no-progress",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut count = 0usize;
    let mut last = "";
    for line in run.stdout.lines() {
        assert!(!line.contains("\"error\""), "{line}");
        count += 1;
        last = line;
    }
    assert_eq!(count, N);
    let last: Value = serde_json::from_str(last).unwrap();
    assert_eq!(last["record"], N.to_string());
}
