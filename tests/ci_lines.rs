//! Every output format gives an export record's true line in its file: for LF and CRLF line
//! ends, blank lines, and quoted cells that span lines (issue 15, item 8).
//!
//! `fixtures/real/multiline_crlf.csv` and its LF twin hold, by line:
//! 1 header; 2–3 `m-1` (two-line cell, disclosed); 4 blank; 5 `m-2`; 6–8 `m-3` (three-line
//! cell); 9 `m-4`. `m-2`, `m-3` and `m-4` have findings.

use std::process::Command;

use serde_json::Value;

use crate::support::Run;

const FILES: [&str; 2] = [
    "fixtures/real/multiline_crlf.csv",
    "fixtures/real/multiline_lf.csv",
];

/// The line each flagged record starts on.
const LINES: [(&str, usize); 3] = [("m-2", 5), ("m-3", 6), ("m-4", 9)];

fn adlint(args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_adlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--color", "never", "--no-config"])
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("adlint runs")
        .into()
}

#[test]
fn the_crlf_example_of_the_issue_is_on_line_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crlf.csv");
    std::fs::write(
        &path,
        "id,caption\r\na1,new serum @glowlab use code GLOW10 for 10% off\r\n",
    )
    .unwrap();
    let run: Run = Command::new(env!("CARGO_BIN_EXE_adlint"))
        .current_dir(dir.path())
        .args(["check", "--no-config", "--format", "github", "crlf.csv"])
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap()
        .into();
    assert!(run.stdout.contains("file=crlf.csv,line=2,"), "{run:?}");
}

#[test]
fn github_annotations() {
    for file in FILES {
        let run = adlint(&["--format", "github", file]);
        assert_eq!(run.code, 1, "{run:?}");
        for (record, line) in LINES {
            let annotation = run
                .stdout
                .lines()
                .find(|l| l.contains(&format!("(post {record})")))
                .unwrap_or_else(|| panic!("no annotation for {record}: {run:?}"));
            assert!(
                annotation.contains(&format!(",line={line},")),
                "{file} {record}: {annotation}"
            );
        }
    }
}

#[test]
fn sarif_regions() {
    for file in FILES {
        let run = adlint(&["--format", "sarif", file]);
        let log: Value = serde_json::from_str(&run.stdout).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        for (record, line) in LINES {
            let result = results
                .iter()
                .find(|r| r["locations"][0]["logicalLocations"][0]["name"].as_str() == Some(record))
                .unwrap_or_else(|| panic!("no result for {record}"));
            assert_eq!(
                result["locations"][0]["physicalLocation"]["region"]["startLine"], line,
                "{file} {record}"
            );
        }
    }
}

#[test]
fn json_and_jsonl_results() {
    for file in FILES {
        let run = adlint(&["--format", "jsonl", file]);
        let lines = run.jsonl();
        for (record, line) in LINES.into_iter().chain([("m-1", 2)]) {
            let result = lines
                .iter()
                .find(|r| r["record"] == record)
                .unwrap_or_else(|| panic!("no {record}: {run:?}"));
            assert_eq!(result["file_line"], line, "{file} {record}");
        }
        let doc = adlint(&["--format", "json", file]).json();
        let results = doc["results"].as_array().unwrap();
        for (record, line) in LINES {
            let result = results.iter().find(|r| r["record"] == record).unwrap();
            assert_eq!(result["file_line"], line, "{file} {record}");
        }
    }
}

#[test]
fn csv_report_rows() {
    for file in FILES {
        let run = adlint(&["--format", "csv", file]);
        let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
        let header = reader.headers().unwrap().clone();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (record, file_line) = (col("record"), col("file_line"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        for (id, line) in LINES {
            let row = rows.iter().find(|r| &r[record] == id).unwrap();
            assert_eq!(&row[file_line], line.to_string(), "{file} {id}");
        }
    }
}

#[test]
fn junit_failures() {
    for file in FILES {
        let run = adlint(&["--format", "junit", file]);
        for (record, line) in LINES {
            assert!(
                run.stdout
                    .contains(&format!("(post {record}) at line {line} of the file")),
                "{file} {record}: {}",
                run.stdout
            );
        }
    }
}

#[test]
fn human_output_names_the_row_and_its_line() {
    // People read rows (what a spreadsheet shows); the line of the file is given too.
    for file in FILES {
        let run = adlint(&["--format", "human", file]);
        for (record, line) in LINES {
            assert!(
                run.stdout
                    .contains(&format!("(post {record}, line {line})")),
                "{file} {record}: {run:?}"
            );
        }
    }
}
