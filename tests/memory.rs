//! Constant memory in every output format (issue 14, item 4): a run's peak resident memory does
//! not grow with the number of results, for `--format jsonl`, `json`, `sarif`, `junit` and
//! `csv`. Each format is run on a small and a thirteen-times larger export of the same record;
//! the larger run may take only a few MB more (what the reporters keep in memory before they
//! spool to a temporary file, and the batches in flight, which vary with how the threads are
//! scheduled: up to 9 MB more on a loaded machine). Keeping a value per result, as these formats
//! once did, takes 25 to 220 MB more here (SARIF 660 MB), and the test fails.
//!
//! The peak is the child's own (`VmHWM`, printed by `ADLINT_PROFILE=1`): `wait4`'s `ru_maxrss`
//! would also count the test process's memory from before `exec`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

/// A record with four findings (FTC003, FTC004, FTC008, FTC012), so results are large.
const RECORD: &str = r#"{"id": "ID", "creator": "creator3402", "platform": "youtube", "sponsored": true, "caption": "Meal prep for the week done in under an hour, recipe in my stories. Honestly the best thing i have bought this year. meal prep for the week done in under an hour, recipe in my stories again because honestly the best thing I have bought this year. @pureskin\n.\n.\n.\n#vegan #photooftheday #travel #morningroutine #summer #selfcare #lifestyle #foodie #ad #style #motivation #coffee #weekend"}"#;

const SMALL: usize = 1_500;
const LARGE: usize = 20_000;

/// How much more the larger run may take, in KB.
const GROWTH_KB: u64 = 16 * 1024;

/// A bound on the whole run, in KB (a debug build).
const PEAK_KB: u64 = 100 * 1024;

fn export(path: &Path, records: usize) {
    let mut out = BufWriter::new(File::create(path).unwrap());
    for i in 0..records {
        writeln!(out, "{}", RECORD.replace("\"ID\"", &format!("\"p{i}\""))).unwrap();
    }
    out.flush().unwrap();
}

/// Run a check of `path` in `format` and return its peak RSS in KB and its output's size.
fn peak(path: &Path, format: &str) -> (u64, u64) {
    let out = Command::new(BIN)
        .args(["check", "--no-config", "--format", format])
        .arg(path)
        .env("ADLINT_PROFILE", "1")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .output()
        .expect("adlint runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kb = stderr
        .lines()
        .find_map(|l| l.split("peak RSS ").nth(1))
        .and_then(|rest| rest.trim_end_matches(" KB").parse().ok())
        .unwrap_or_else(|| panic!("{format}: no peak in the profile: {stderr}"));
    (kb, out.stdout.len() as u64)
}

fn constant_memory(format: &str) {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.jsonl");
    let large = dir.path().join("large.jsonl");
    export(&small, SMALL);
    export(&large, LARGE);
    let (small_kb, small_out) = peak(&small, format);
    let (large_kb, large_out) = peak(&large, format);
    assert!(
        large_out > 3 * small_out,
        "{format}: the output grows with the records ({small_out} -> {large_out} bytes)"
    );
    assert!(
        large_kb <= small_kb + GROWTH_KB,
        "{format}: peak RSS grew from {small_kb} KB to {large_kb} KB for {} more records",
        LARGE - SMALL
    );
    assert!(large_kb <= PEAK_KB, "{format}: peak RSS {large_kb} KB");
}

#[test]
fn jsonl_output_in_constant_memory() {
    constant_memory("jsonl");
}

#[test]
fn json_output_in_constant_memory() {
    constant_memory("json");
}

#[test]
fn sarif_output_in_constant_memory() {
    constant_memory("sarif");
}

#[test]
fn junit_output_in_constant_memory() {
    constant_memory("junit");
}

#[test]
fn csv_output_in_constant_memory() {
    constant_memory("csv");
}
