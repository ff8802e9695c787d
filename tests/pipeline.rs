//! The checking pipeline (issue 14, item 3): JSONL lines are parsed, checked and rendered on the
//! worker threads, a chunk of lines at a time, and written in input order. These tests pin that
//! the output is the same as reading every record on one thread (`--fetch --offline` reads
//! records as they come, since a record may need fetching), whatever the number of threads, and
//! that what the reader says about a file (errors with their lines, overlong lines, notes) stays
//! in its place and is said once.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::Run;

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

fn run(dir: &Path, args: &[&str]) -> Run {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("ADLINT_PROFILE")
        .stdin(Stdio::null())
        .output()
        .expect("adlint runs")
        .into()
}

/// An export of `n` records over several chunks of lines: captions of several kinds, a blank
/// line, a line that is not JSON, a record without a caption and one with a duplicate id.
fn export(n: usize) -> String {
    let captions = [
        "Loving this serum from @glowlab! #ad",
        "Morning walk, no sponsor here.",
        "Use code MIA20 for 20% off at glowlab.com",
        "Thanks @peakgear for the free boots #gifted",
    ];
    let mut text = String::new();
    for i in 0..n {
        match i {
            150 => text.push('\n'),
            151 => text.push_str("{broken\n"),
            152 => text.push_str("{\"id\": \"x152\", \"words\": 1}\n"),
            153 => text.push_str("{\"id\": \"p1\", \"caption\": \"again #ad\"}\n"),
            _ => {
                let caption = captions[i % captions.len()];
                let _ = writeln!(
                    text,
                    "{{\"id\": \"p{i}\", \"caption\": \"{caption}\", \"platform\": \"instagram\", \"sponsored\": {}}}",
                    i % 3 == 0
                );
            }
        }
    }
    text
}

#[test]
fn parallel_output_is_the_same_as_reading_on_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("posts.jsonl"), export(700)).unwrap();
    for format in ["jsonl", "json", "csv", "sarif", "junit", "human"] {
        let base = [
            "check",
            "--no-config",
            "--no-progress",
            "--format",
            format,
            "posts.jsonl",
        ];
        let serial = run(dir.path(), &[&base[..], &["--fetch", "--offline"]].concat());
        for jobs in ["1", "2", "3"] {
            let parallel = run(dir.path(), &[&base[..], &["--jobs", jobs]].concat());
            assert_eq!(parallel.code, serial.code, "{format} --jobs {jobs}");
            assert_eq!(parallel.stdout, serial.stdout, "{format} --jobs {jobs}");
            assert_eq!(parallel.stderr, serial.stderr, "{format} --jobs {jobs}");
        }
    }
}

#[test]
fn records_errors_and_ids_keep_their_places() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("posts.jsonl"), export(400)).unwrap();
    let out = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", "posts.jsonl"],
    );
    assert_eq!(out.code, 2, "{out:?}");
    let doc = out.json();
    let records: Vec<&str> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["record"].as_str().unwrap())
        .collect();
    // Every record but the blank line, the broken one and the one without a caption, in order.
    assert_eq!(records.len(), 397);
    let expected: Vec<String> = (0..400)
        .filter(|i| ![150, 151, 152].contains(i))
        .map(|i| {
            if i == 153 {
                "p1".into()
            } else {
                format!("p{i}")
            }
        })
        .collect();
    assert_eq!(records, expected);
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("line 152: invalid JSON")
    );
    assert_eq!(errors[1]["record"], "x152");
    assert!(
        errors[1]["message"]
            .as_str()
            .unwrap()
            .starts_with("line 153: no caption field")
    );
    assert_eq!(doc["summary"]["captions"], 397);
    assert_eq!(doc["summary"]["failed_inputs"], 2);
}

#[test]
fn an_overlong_line_between_chunks_keeps_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..300 {
        if i == 200 {
            let _ = writeln!(text, "{{\"caption\": \"{}\"}}", "x".repeat(200_000));
        } else {
            let _ = writeln!(text, "{{\"caption\": \"post {i} #ad\"}}");
        }
    }
    std::fs::write(dir.path().join("posts.jsonl"), text).unwrap();
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--max-caption-size",
            "1000",
            "posts.jsonl",
        ],
    );
    let lines = out.jsonl();
    assert_eq!(lines.len(), 300, "{out:?}");
    assert_eq!(lines[199]["record"], "200");
    assert!(
        lines[200]["error"]
            .as_str()
            .unwrap()
            .starts_with("line 201: the record is 200 KB"),
        "{:?}",
        lines[200]
    );
    assert_eq!(lines[201]["record"], "202");
}

#[test]
fn a_note_about_the_records_shape_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..600 {
        let _ = writeln!(
            text,
            "{{\"id\": {i}, \"caption\": {{\"text\": \"post {i} #ad\", \"lang\": \"en\"}}}}"
        );
    }
    std::fs::write(dir.path().join("posts.jsonl"), text).unwrap();
    let out = run(
        dir.path(),
        &["check", "--no-config", "--format", "jsonl", "posts.jsonl"],
    );
    assert_eq!(out.jsonl().len(), 600, "{out:?}");
    let notes = out
        .stderr
        .lines()
        .filter(|l| l.contains("`caption` is an object"))
        .count();
    assert_eq!(notes, 1, "{out:?}");
}

#[test]
fn a_baseline_changes_the_results_rendered_on_the_workers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("posts.jsonl"), export(300)).unwrap();
    let written = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--write-baseline",
            "base.json",
            "posts.jsonl",
        ],
    );
    assert_eq!(written.code, 2, "{written:?}");
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--baseline",
            "base.json",
            "posts.jsonl",
        ],
    );
    let results: Vec<_> = out
        .jsonl()
        .into_iter()
        .filter(|l| l.get("error").is_none())
        .collect();
    assert_eq!(results.len(), 297, "{out:?}");
    assert!(
        results
            .iter()
            .all(|r| r["diagnostics"].as_array().unwrap().is_empty()),
        "{out:?}"
    );
    assert!(results.iter().any(|r| r["baselined"].as_u64() > Some(0)));
}

/// A run that suppresses nothing has its results counted on the checking threads; one with an
/// `[[ignore]]` entry has them counted by the writing thread, after the suppressions. With an
/// entry that covers nothing, both give the same documents, summaries, warnings and exit codes.
#[test]
fn counts_are_the_same_whether_the_workers_or_the_writer_keep_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = export(700);
    for i in 0..5 {
        let _ = writeln!(
            text,
            "{{\"id\": \"q{i}\", \"caption\": \"Gifted by @glowlab 🎁\", \"platform\": \"myspace\"}}"
        );
    }
    std::fs::write(dir.path().join("posts.jsonl"), text).unwrap();
    std::fs::write(
        dir.path().join("adlint.toml"),
        "[[ignore]]\npath = \"elsewhere.jsonl\"\nreason = \"another export\"\n",
    )
    .unwrap();
    for extra in [
        &["--format", "json"][..],
        &["--format", "jsonl", "--fail-on", "warning"],
        &[
            "--format",
            "csv",
            "--max-warnings",
            "3",
            "--fail-on",
            "never",
        ],
        &["--format", "sarif", "--fail-on", "error"],
    ] {
        let args = |config: &[&'static str]| {
            [
                &["check", "--no-progress"][..],
                config,
                extra,
                &["posts.jsonl"],
            ]
            .concat()
        };
        let tallied = run(dir.path(), &args(&["--no-config"]));
        let written = run(dir.path(), &args(&[]));
        assert_eq!(tallied.code, written.code, "{extra:?}");
        assert_eq!(tallied.stdout, written.stdout, "{extra:?}");
        assert_eq!(tallied.stderr, written.stderr, "{extra:?}");
        assert!(
            tallied.stderr.contains("unknown platform `myspace`")
                && tallied.stderr.contains("in 5 records"),
            "{tallied:?}"
        );
    }
}
