//! Gating a CI job: the exit-code matrix of thresholds, baselines for backlogs and reasoned
//! `[[ignore]]` entries in adlint.toml.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

/// A caption with one error (FTC001), one with one warning (FTC013), one with advice only
/// (FTC008), and a clean one.
const ERROR: &str = "3 ways I style one linen shirt, use my code SUNNY15 at @urbanthreads";
const WARNING: &str = "Wearing @urbanthreads head to toe today";
const ADVICE: &str = "#ad my new favourite serum, three weeks in and my skin is finally behaving";
const CLEAN: &str = "Easy weeknight lemon pasta, ready in 20 minutes";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["check", "--color", "never"])
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("adlint runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn with_captions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("error.txt", ERROR),
        ("warning.txt", WARNING),
        ("advice.txt", ADVICE),
        ("clean.txt", CLEAN),
    ] {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn threshold_matrix_of_exit_codes() {
    let dir = with_captions();
    // (file, extra flags, expected exit)
    let cases: &[(&str, &[&str], i32)] = &[
        ("clean.txt", &[], 0),
        ("advice.txt", &[], 0),
        ("warning.txt", &[], 0),
        ("error.txt", &[], 1),
        ("advice.txt", &["--fail-on", "advice"], 1),
        ("warning.txt", &["--fail-on", "advice"], 1),
        ("clean.txt", &["--fail-on", "advice"], 0),
        ("warning.txt", &["--fail-on", "warning"], 1),
        ("advice.txt", &["--fail-on", "warning"], 0),
        ("error.txt", &["--fail-on", "warning"], 1),
        ("error.txt", &["--fail-on", "never"], 0),
        ("warning.txt", &["--max-warnings", "0"], 1),
        ("warning.txt", &["--max-warnings", "1"], 0),
        ("error.txt", &["--exit-zero"], 0),
        ("warning.txt", &["--fail-on", "warning", "--exit-zero"], 0),
        ("missing.txt", &["--exit-zero"], 2),
    ];
    for (file, flags, want) in cases {
        let mut args = vec!["--no-config"];
        args.extend_from_slice(flags);
        args.push(file);
        let out = run(dir.path(), &args);
        assert_eq!(
            code(&out),
            *want,
            "adlint check {}: {}",
            args.join(" "),
            stderr(&out)
        );
    }
}

fn write_export(dir: &Path, records: &[(&str, &str)]) {
    let lines: Vec<String> = records
        .iter()
        .map(|(id, caption)| serde_json::json!({"id": id, "caption": caption}).to_string())
        .collect();
    fs::write(dir.join("campaign.jsonl"), lines.join("\n") + "\n").unwrap();
}

fn codes_by_record(out: &Output) -> Vec<(String, Vec<String>)> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            let codes = v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect();
            (v["record"].as_str().unwrap().to_string(), codes)
        })
        .collect()
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write_export(p, &[("p-1", ERROR), ("p-2", WARNING), ("p-3", CLEAN)]);

    // Write the baseline: the run records the findings and does not fail on them.
    let out = run(
        p,
        &[
            "--no-config",
            "--write-baseline",
            "adlint-baseline.json",
            "campaign.jsonl",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("wrote 2 findings"),
        "{}",
        stderr(&out)
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("adlint-baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 2);

    // Re-run against it: clean.
    let args = [
        "--no-config",
        "--format",
        "jsonl",
        "--baseline",
        "adlint-baseline.json",
        "campaign.jsonl",
    ];
    let out = run(p, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        codes_by_record(&out)
            .iter()
            .all(|(_, codes)| codes.is_empty())
    );

    // An unrelated edit (a record added above, the clean caption reworded): still clean.
    write_export(
        p,
        &[
            ("p-0", CLEAN),
            ("p-1", ERROR),
            ("p-2", WARNING),
            ("p-3", "Lemon pasta, ready in 15 minutes"),
        ],
    );
    let out = run(p, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("no longer match"),
        "{}",
        stderr(&out)
    );

    // A new violation: only it is reported and fails the run.
    let new = "Obsessed with this serum, use code GLOW20 for 20% off";
    write_export(
        p,
        &[
            ("p-0", CLEAN),
            ("p-1", ERROR),
            ("p-2", WARNING),
            ("p-3", CLEAN),
            ("p-4", new),
        ],
    );
    let out = run(p, &args);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let flagged: Vec<_> = codes_by_record(&out)
        .into_iter()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    assert_eq!(
        flagged,
        vec![("p-4".to_string(), vec!["FTC001".to_string()])]
    );

    // A fixed finding leaves a stale entry, which is reported so the file can be pruned.
    write_export(p, &[("p-1", ERROR), ("p-2", CLEAN)]);
    let out = run(p, &args);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("1 of the 2 baseline entries for the files checked no longer match"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_or_broken_baseline_is_trouble() {
    let dir = with_captions();
    let out = run(
        dir.path(),
        &["--no-config", "--baseline", "nope.json", "clean.txt"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("could not read baseline nope.json"),
        "{}",
        stderr(&out)
    );
    fs::write(
        dir.path().join("bad.json"),
        "{\"version\": 9, \"tool\": \"x\", \"findings\": []}",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["--no-config", "--baseline", "bad.json", "clean.txt"],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("version 9"), "{}", stderr(&out));
}

#[test]
fn reasoned_ignores_silence_findings_and_unused_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir(p.join("exports")).unwrap();
    write_export(
        &p.join("exports"),
        &[("p-1", WARNING), ("p-2", WARNING), ("p-3", ERROR)],
    );
    fs::write(
        p.join("adlint.toml"),
        r#"
[[ignore]]
path = "exports/*.jsonl"
record = "p-1"
code = "FTC013"
reason = "the creator's own shop, checked by legal on 2026-11-02"

[[ignore]]
code = "possible-undisclosed-endorsement"
record = "p-9"
reason = "a record that no longer exists"
"#,
    )
    .unwrap();
    let out = run(p, &["--format", "jsonl", "exports/campaign.jsonl"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let got = codes_by_record(&out);
    assert_eq!(got[0], ("p-1".to_string(), vec![]));
    assert_eq!(got[1], ("p-2".to_string(), vec!["FTC013".to_string()]));
    assert_eq!(got[2], ("p-3".to_string(), vec!["FTC001".to_string()]));
    let err = stderr(&out);
    assert!(err.contains("unused ignore"), "{err}");
    assert!(err.contains("p-9"), "{err}");
    assert!(
        !err.contains("p-1\""),
        "the used ignore is not reported: {err}"
    );
}

#[test]
fn an_ignore_without_a_reason_is_a_config_error() {
    let dir = with_captions();
    fs::write(
        dir.path().join("adlint.toml"),
        "[[ignore]]\ncode = \"FTC013\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["clean.txt"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("adlint.toml"), "{}", stderr(&out));
}
