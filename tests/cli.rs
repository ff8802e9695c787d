//! CLI behaviour of the built binary: exit codes, stdin, selection, config, rule files.
//!
//! Every test runs `target/debug/adlint` in a fresh temp folder holding copies of the fixtures it
//! needs (from `fixtures/cli/`), with `--color never`, `COLUMNS=100` and no `NO_COLOR`. Tests that
//! are not about config pass `--no-config` so a stray `adlint.toml` above the temp folder cannot
//! change their outcome.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{Run, with_input};

const BIN: &str = env!("CARGO_BIN_EXE_adlint");

/// Caption fixtures and what the built-in rules find in them (generic platform, no context).
const CLEAN: &str = "clean.txt"; // nothing
const MISSING: &str = "missing_disclosure.txt"; // FTC001 (error)
const AMBIGUOUS: &str = "ambiguous.txt"; // FTC002 (error)
const WALL: &str = "hashtag_wall.txt"; // FTC004 (warning), FTC008 (advice)
const ADVICE: &str = "advice_only.txt"; // FTC008 (advice)
const BRAND_TAG: &str = "brand_tag.txt"; // FTC013 (warning)
const BELOW_FOLD: &str = "below_fold.txt"; // FTC003 on tiktok only
const EMOJI: &str = "emoji_offset.txt"; // FTC001 after emoji
const EXPORT: &str = "export.jsonl";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cli")
        .join(name)
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    }
}

/// A temp folder with copies of the named fixtures (files or folders), under the same names.
fn sandbox(fixtures: &[&str]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in fixtures {
        copy_tree(&fixture(name), &dir.path().join(name));
    }
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, text).unwrap();
}

/// The binary, run in `dir`, with a fixed width, no NO_COLOR and no stdin.
fn adlint(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> Run {
    cmd.output().expect("adlint runs").into()
}

/// `adlint check --color never <args>`, config as found from `dir`.
fn check_with_config(dir: &Path, args: &[&str]) -> Run {
    run(adlint(dir).args(["check", "--color", "never"]).args(args))
}

/// `adlint check --color never --no-config <args>`.
fn check(dir: &Path, args: &[&str]) -> Run {
    run(adlint(dir)
        .args(["check", "--color", "never", "--no-config"])
        .args(args))
}

/// `check` with `input` piped to stdin.
fn check_stdin(dir: &Path, args: &[&str], input: &str) -> Run {
    with_input(
        adlint(dir)
            .args(["check", "--color", "never", "--no-config"])
            .args(args),
        input.as_bytes(),
    )
}

/// The codes found in one JSON result.
fn codes(result: &Value) -> Vec<String> {
    result["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics array in {result}"))
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// Every code found by `check --format json`, per result in input order.
fn codes_per_result(r: &Run) -> Vec<Vec<String>> {
    r.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(codes)
        .collect()
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

fn caption_text(name: &str) -> String {
    fs::read_to_string(fixture(name))
        .unwrap()
        .trim_end()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// 1. Exit codes
// ---------------------------------------------------------------------------------------------

#[test]
fn clean_caption_exits_0_with_a_confirmation() {
    let dir = sandbox(&[CLEAN]);
    let r = check(dir.path(), &[CLEAN]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("✓ clean.txt: no disclosure problems found (generic)"),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains("Checked 1 caption: 0 errors, 0 warnings, 0 advice; 1 clean."),
        "{r:?}"
    );
    assert_eq!(r.stderr, "", "{r:?}");
}

#[test]
fn error_finding_exits_1() {
    let dir = sandbox(&[MISSING]);
    let r = check(dir.path(), &[MISSING]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("FTC001 missing-disclosure"), "{r:?}");
    assert!(
        r.stdout
            .contains("× sponsored caption has no clear disclosure"),
        "{r:?}"
    );
    assert!(r.stdout.contains("1 error, 0 warnings"), "{r:?}");
    assert!(!r.stdout.contains("no disclosure problems found"), "{r:?}");
}

#[test]
fn unreadable_input_exits_2_after_checking_the_others() {
    let dir = sandbox(&[CLEAN, MISSING]);
    let r = check(dir.path(), &[CLEAN, "does-not-exist.txt", MISSING]);
    assert_eq!(r.code, 2, "{r:?}");
    // The good files before and after the missing one were checked and reported, in order.
    let clean_at = r
        .stdout
        .find("✓ clean.txt: no disclosure problems found")
        .unwrap_or_else(|| panic!("clean.txt not reported\n{r:?}"));
    let missing_at = r
        .stdout
        .find("does-not-exist.txt: could not open: no such file or folder")
        .unwrap_or_else(|| panic!("missing file not reported\n{r:?}"));
    let finding_at = r
        .stdout
        .find("FTC001 missing-disclosure")
        .unwrap_or_else(|| panic!("missing_disclosure.txt not reported\n{r:?}"));
    assert!(clean_at < missing_at && missing_at < finding_at, "{r:?}");
    assert!(r.stdout.contains("[missing_disclosure.txt:1:"), "{r:?}");
    assert!(
        r.stdout.contains(
            "Checked 2 captions: 1 error, 0 warnings, 0 advice; 1 clean; 1 input could not be read."
        ),
        "{r:?}"
    );
}

#[test]
fn unreadable_input_wins_over_findings_and_fail_on_never() {
    let dir = sandbox(&[MISSING]);
    let r = check(
        dir.path(),
        &["--fail-on", "never", MISSING, "does-not-exist.txt"],
    );
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn default_threshold_ignores_warnings_and_advice() {
    let dir = sandbox(&[WALL, ADVICE, BRAND_TAG]);
    let r = check(dir.path(), &["--format", "json", WALL, ADVICE, BRAND_TAG]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        codes_per_result(&r),
        vec![vec!["FTC004", "FTC008"], vec!["FTC008"], vec!["FTC013"]]
    );
    let summary = &r.json()["summary"];
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["warnings"], 2);
    assert_eq!(summary["advice"], 2);
}

#[test]
fn fail_on_warning_fails_a_warning_only_caption() {
    let dir = sandbox(&[WALL]);
    let r = check(dir.path(), &["--fail-on", "warning", WALL]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.contains("FTC004 disclosure-in-hashtag-wall"),
        "{r:?}"
    );
    assert!(r.stdout.contains("0 errors, 1 warning, 1 advice"), "{r:?}");
}

#[test]
fn fail_on_warning_still_passes_advice() {
    let dir = sandbox(&[ADVICE]);
    let r = check(dir.path(), &["--fail-on", "warning", ADVICE]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("FTC008 sponsor-not-named"), "{r:?}");
}

#[test]
fn fail_on_advice_fails_an_advice_only_caption() {
    let dir = sandbox(&[ADVICE]);
    let r = check(dir.path(), &["--fail-on", "advice", ADVICE]);
    assert_eq!(r.code, 1, "{r:?}");
}

#[test]
fn fail_on_never_exits_0_despite_errors() {
    let dir = sandbox(&[MISSING]);
    let r = check(dir.path(), &["--fail-on", "never", MISSING]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("FTC001 missing-disclosure"), "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// 2. stdin
// ---------------------------------------------------------------------------------------------

#[test]
fn dash_reads_the_caption_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let r = check_stdin(
        dir.path(),
        &["--format", "json", "-"],
        &caption_text(MISSING),
    );
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{r:?}");
    assert_eq!(results[0]["source"], "-");
    assert_eq!(results[0]["record"], Value::Null);
    assert_eq!(codes(&results[0]), vec!["FTC001"]);
}

#[test]
fn no_inputs_with_piped_stdin_reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let r = check_stdin(dir.path(), &["--format", "json"], &caption_text(AMBIGUOUS));
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["results"].as_array().unwrap().len(), 1, "{r:?}");
    assert_eq!(doc["results"][0]["source"], "-");
    assert_eq!(codes(&doc["results"][0]), vec!["FTC002"]);
}

#[test]
fn stdin_in_human_output_is_named_dash() {
    let dir = tempfile::tempdir().unwrap();
    let r = check_stdin(dir.path(), &[], "Easy weeknight lemon pasta\n");
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("✓ -: no disclosure problems found (generic)"),
        "{r:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. --select / --ignore
// ---------------------------------------------------------------------------------------------

/// Captions that between them raise FTC001, FTC002, FTC004, FTC008 and FTC013.
const MIX: &[&str] = &[MISSING, AMBIGUOUS, WALL, BRAND_TAG];

/// Every code found over MIX with these extra flags (exit code checked by the caller).
fn found_over_mix(flags: &[&str]) -> (Run, BTreeSet<String>) {
    let dir = sandbox(MIX);
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(flags);
    args.extend_from_slice(MIX);
    let r = check(dir.path(), &args);
    let found = codes_per_result(&r).into_iter().flatten().collect();
    (r, found)
}

fn codes_set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn without_selection_every_rule_runs() {
    let (r, found) = found_over_mix(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        found,
        codes_set(&["FTC001", "FTC002", "FTC004", "FTC008", "FTC013"])
    );
}

#[test]
fn select_by_code() {
    let (r, found) = found_over_mix(&["--select", "FTC002"]);
    assert_eq!(found, codes_set(&["FTC002"]), "{r:?}");
    assert_eq!(r.code, 1, "{r:?}");
}

#[test]
fn select_by_name() {
    let (r, found) = found_over_mix(&["--select", "ambiguous-disclosure"]);
    assert_eq!(found, codes_set(&["FTC002"]), "{r:?}");
}

#[test]
fn select_by_prefix() {
    // FTC00 covers FTC001-FTC009 but not FTC013; FTC0 covers every built-in rule.
    let (r, found) = found_over_mix(&["--select", "FTC00"]);
    assert_eq!(
        found,
        codes_set(&["FTC001", "FTC002", "FTC004", "FTC008"]),
        "{r:?}"
    );
    let (r, found) = found_over_mix(&["--select", "FTC0"]);
    assert_eq!(
        found,
        codes_set(&["FTC001", "FTC002", "FTC004", "FTC008", "FTC013"]),
        "{r:?}"
    );
}

#[test]
fn select_comma_separated_and_repeated() {
    let (r, found) = found_over_mix(&["--select", "FTC002,FTC004"]);
    assert_eq!(found, codes_set(&["FTC002", "FTC004"]), "{r:?}");
    let (r, found) = found_over_mix(&[
        "--select",
        "FTC002",
        "--select",
        "disclosure-in-hashtag-wall",
    ]);
    assert_eq!(found, codes_set(&["FTC002", "FTC004"]), "{r:?}");
}

#[test]
fn ignore_by_code_and_name() {
    let (r, found) = found_over_mix(&["--ignore", "FTC002"]);
    assert_eq!(
        found,
        codes_set(&["FTC001", "FTC004", "FTC008", "FTC013"]),
        "{r:?}"
    );
    let (r, found) = found_over_mix(&["--ignore", "ambiguous-disclosure"]);
    assert_eq!(
        found,
        codes_set(&["FTC001", "FTC004", "FTC008", "FTC013"]),
        "{r:?}"
    );
}

#[test]
fn ignore_by_prefix() {
    let (r, found) = found_over_mix(&["--ignore", "FTC01"]);
    assert_eq!(
        found,
        codes_set(&["FTC001", "FTC002", "FTC004", "FTC008"]),
        "{r:?}"
    );
    let (r, found) = found_over_mix(&["--ignore", "FTC0"]);
    assert_eq!(found, codes_set(&[]), "{r:?}");
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn ignore_comma_separated_and_repeated() {
    let (r, found) = found_over_mix(&[
        "--ignore",
        "FTC002,sponsor-not-named",
        "--ignore",
        "missing-disclosure",
    ]);
    assert_eq!(found, codes_set(&["FTC004", "FTC013"]), "{r:?}");
    // Only warnings are left, so the default threshold passes.
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn select_and_ignore_combine() {
    let (r, found) = found_over_mix(&["--select", "FTC00", "--ignore", "FTC008"]);
    assert_eq!(found, codes_set(&["FTC001", "FTC002", "FTC004"]), "{r:?}");
}

#[test]
fn unknown_selector_exits_2_naming_it() {
    let dir = sandbox(&[MISSING]);
    let r = check(dir.path(), &["--select", "FTC999", MISSING]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown rule selector `FTC999`"), "{r:?}");
    assert_eq!(r.stdout, "", "nothing is checked: {r:?}");

    let r = check(dir.path(), &["--ignore", "FTC002,no-such-rule", MISSING]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("unknown rule selector `no-such-rule`"),
        "{r:?}"
    );
    assert_eq!(r.stdout, "", "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// 4. Config
// ---------------------------------------------------------------------------------------------

/// A temp folder with `adlint.toml` (this text) at its root, the below-fold caption next to it,
/// and an empty `nested/deeper` folder to run from.
fn config_tree(config: &str) -> TempDir {
    let dir = sandbox(&[BELOW_FOLD, WALL]);
    write(dir.path(), "adlint.toml", config);
    fs::create_dir_all(dir.path().join("nested/deeper")).unwrap();
    dir
}

#[test]
fn config_in_a_parent_folder_is_found() {
    let dir = config_tree("platform = \"tiktok\"\n");
    let deeper = dir.path().join("nested/deeper");
    let caption = "../../below_fold.txt";

    let r = check_with_config(&deeper, &["--format", "json", caption]);
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["results"][0]["platform"], "tiktok", "{r:?}");
    assert_eq!(codes(&doc["results"][0]), vec!["FTC003", "FTC012"]);

    // The same caption without the config: generic fold, nothing to report.
    let r = check(&deeper, &["--format", "json", caption]);
    assert_eq!(r.code, 0, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["results"][0]["platform"], "generic", "{r:?}");
    assert!(codes(&doc["results"][0]).is_empty(), "{r:?}");
}

#[test]
fn config_ignore_is_applied() {
    let dir = config_tree("platform = \"tiktok\"\nignore = [\"FTC003\"]\n");
    let deeper = dir.path().join("nested/deeper");
    let r = check_with_config(&deeper, &["--format", "json", "../../below_fold.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(codes_per_result(&r), vec![vec!["FTC012"]]);
}

#[test]
fn flags_win_over_the_config() {
    let dir = config_tree("platform = \"tiktok\"\nignore = [\"FTC012\"]\nfail-on = \"never\"\n");
    let deeper = dir.path().join("nested/deeper");
    let caption = "../../below_fold.txt";

    let r = check_with_config(
        &deeper,
        &["--format", "json", "--platform", "instagram", caption],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["results"][0]["platform"], "instagram", "{r:?}");
    assert!(codes(&doc["results"][0]).is_empty(), "{r:?}");

    // `--ignore` replaces the config's list and `--fail-on` its threshold.
    let r = check_with_config(
        &deeper,
        &[
            "--format",
            "json",
            "--ignore",
            "FTC008",
            "--fail-on",
            "error",
            caption,
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(codes_per_result(&r), vec![vec!["FTC003", "FTC012"]]);
}

#[test]
fn config_flag_uses_the_given_file_instead_of_discovery() {
    // The discovered adlint.toml would set tiktok; the given file does not, so it must not apply.
    let dir = config_tree("platform = \"tiktok\"\n");
    write(
        dir.path(),
        "settings/custom.toml",
        "[severity]\nFTC004 = \"error\"\nFTC008 = \"off\"\n",
    );
    let r = check_with_config(
        dir.path(),
        &[
            "--config",
            "settings/custom.toml",
            "--format",
            "json",
            WALL,
            BELOW_FOLD,
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    let wall = &doc["results"][0];
    assert_eq!(wall["platform"], "generic", "{r:?}");
    // FTC008 is off; FTC004 is now an error.
    assert_eq!(codes(wall), vec!["FTC004"]);
    assert_eq!(wall["diagnostics"][0]["severity"], "error");
    assert_eq!(doc["results"][1]["platform"], "generic", "{r:?}");
    assert!(codes(&doc["results"][1]).is_empty(), "{r:?}");
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["warnings"], 0);
    assert_eq!(doc["summary"]["advice"], 0);
}

#[test]
fn config_severity_applies_when_discovered() {
    let dir = config_tree("[severity]\nFTC004 = \"error\"\n");
    let r = check_with_config(dir.path(), &["--format", "json", WALL]);
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    let diags = doc["results"][0]["diagnostics"].as_array().unwrap();
    let severities: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(severities, vec![("FTC004", "error"), ("FTC008", "advice")]);
}

#[test]
fn config_severity_off_disables_a_rule() {
    let dir = config_tree("[severity]\nFTC004 = \"off\"\n");
    let r = check_with_config(
        dir.path(),
        &["--format", "json", "--fail-on", "warning", WALL],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(codes_per_result(&r), vec![vec!["FTC008"]]);
}

/// `(code, severity)` of each finding of the first result.
fn severities(r: &Run) -> Vec<(String, String)> {
    r.json()["results"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap().to_string();
            (field("code"), field("severity"))
        })
        .collect()
}

#[test]
fn severity_flag_sets_levels_and_wins_over_the_config() {
    let dir = config_tree("[severity]\nFTC004 = \"off\"\nFTC008 = \"warning\"\n");
    // The config alone: FTC004 off, FTC008 a warning.
    let r = check_with_config(dir.path(), &["--format", "json", WALL]);
    assert_eq!(severities(&r), [("FTC008".into(), "warning".into())]);
    // The flag wins: FTC004 back on as an error (exit 1), FTC008 off.
    let r = check_with_config(
        dir.path(),
        &[
            "--format",
            "json",
            "--severity",
            "FTC004=error",
            "--severity",
            "FTC008=off",
            WALL,
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(severities(&r), [("FTC004".into(), "error".into())]);
    // Comma-separated, by name and pack: the whole pack advice, so nothing fails.
    let r = check(
        dir.path(),
        &[
            "--format",
            "json",
            "--severity",
            "ftc=advice,disclosure-in-hashtag-wall=advice",
            WALL,
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        severities(&r),
        [
            ("FTC004".into(), "advice".into()),
            ("FTC008".into(), "advice".into())
        ]
    );
    // `fix` takes it too: a rule switched off leaves nothing to report.
    let r = run(adlint(dir.path()).args([
        "fix",
        "--no-config",
        "--color",
        "never",
        "--severity",
        "FTC004=off",
        "--fail-on",
        "warning",
        WALL,
    ]));
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn severity_flag_mistakes_point_at_the_argument() {
    let dir = sandbox(&[WALL]);
    let r = check(
        dir.path(),
        &[
            "--severity",
            "FTC088=warning",
            "--severity",
            "FTC004=loud",
            "--severity",
            "FTC004",
            WALL,
        ],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stdout, "", "{r:?}");
    insta::assert_snapshot!("severity_flag_mistakes", r.stderr);
}

#[test]
fn unknown_config_key_exits_2_naming_it() {
    let dir = config_tree("platform = \"tiktok\"\nbrandz = [\"GlowLab\"]\n");
    let deeper = dir.path().join("nested/deeper");
    let r = check_with_config(&deeper, &["../../below_fold.txt"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown field `brandz`"), "{r:?}");
    assert!(r.stderr.contains("adlint.toml"), "{r:?}");
    assert_eq!(r.stdout, "", "{r:?}");
}

#[test]
fn unknown_selector_in_config_exits_2() {
    let dir = config_tree("[severity]\nFTC404 = \"error\"\n");
    let r = check_with_config(dir.path(), &[WALL]);
    assert_eq!(r.code, 2, "{r:?}");
    // Shown on the config file, at the key.
    assert!(
        r.stderr.contains("unknown rule `FTC404` in [severity]"),
        "{r:?}"
    );
    assert!(r.stderr.contains("adlint.toml:2:1]"), "{r:?}");
}

#[test]
fn missing_config_file_exits_2() {
    let dir = sandbox(&[CLEAN]);
    let r = check_with_config(dir.path(), &["--config", "nowhere.toml", CLEAN]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("nowhere.toml"), "{r:?}");
    assert_eq!(r.stdout, "", "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// 5. Rule files
// ---------------------------------------------------------------------------------------------

/// stderr split into one block per reported problem.
fn problem_blocks(stderr: &str) -> Vec<&str> {
    stderr
        .split("adlint::rule_file")
        .filter(|b| !b.trim().is_empty())
        .collect()
}

#[test]
fn every_mistake_in_a_rule_file_is_reported() {
    let dir = sandbox(&[CLEAN, "rules/bad_pack.toml"]);
    let r = check(dir.path(), &["--rules", "rules/bad_pack.toml", CLEAN]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stdout, "", "no caption is checked: {r:?}");
    let blocks = problem_blocks(&r.stderr);
    let expected = [
        "unknown field `colour`",
        "unknown check kind `telepathy`",
        "this pattern is not a valid regular expression",
        "unknown term list `no-such-list`",
        "rule `FTC001` is defined twice",
    ];
    for message in expected {
        let block = blocks
            .iter()
            .find(|b| b.contains(message))
            .unwrap_or_else(|| panic!("`{message}` not reported\n{r:?}"));
        assert!(
            block.contains("rules/bad_pack.toml:"),
            "`{message}` does not name the file: {block}"
        );
    }
    assert!(
        r.stderr
            .contains("5 mistakes in rule files; nothing was checked"),
        "{r:?}"
    );
}

#[test]
fn toml_syntax_error_names_the_file() {
    let dir = sandbox(&[CLEAN, "rules/syntax_error.toml"]);
    let r = check(dir.path(), &["--rules", "rules/syntax_error.toml", CLEAN]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stdout, "", "{r:?}");
    assert!(r.stderr.contains("rules/syntax_error.toml:4:"), "{r:?}");
    assert!(r.stderr.contains("invalid basic string"), "{r:?}");
    assert!(r.stderr.contains("1 mistake in rule files"), "{r:?}");
}

#[test]
fn mistakes_in_several_files_of_a_folder_are_all_reported() {
    let dir = sandbox(&["rules/bad_pack.toml", "rules/syntax_error.toml"]);
    let r = run(adlint(dir.path()).args(["rules", "--no-config", "--rules", "rules"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("rules/syntax_error.toml:4:"), "{r:?}");
    assert!(r.stderr.contains("rules/bad_pack.toml:"), "{r:?}");
    assert!(r.stderr.contains("6 mistakes in rule files"), "{r:?}");
}

#[test]
fn missing_rule_file_exits_2() {
    let dir = sandbox(&[CLEAN]);
    let r = check(dir.path(), &["--rules", "nowhere.toml", CLEAN]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("could not read rule file nowhere.toml: no such file or folder"),
        "{r:?}"
    );
}

#[test]
fn user_pack_folder_is_loaded_and_its_rule_fires() {
    let dir = sandbox(&["competitor.txt", CLEAN]);
    copy_tree(&fixture("rules/house"), &dir.path().join("house"));
    let r = check(
        dir.path(),
        &[
            "--no-builtin",
            "--rules",
            "house",
            "--format",
            "json",
            "competitor.txt",
            CLEAN,
        ],
    );
    // A warning: found, but the default threshold passes.
    assert_eq!(r.code, 0, "{r:?}");
    let doc = r.json();
    let d = &doc["results"][0]["diagnostics"][0];
    assert_eq!(codes(&doc["results"][0]), vec!["ACME001"], "{r:?}");
    assert_eq!(d["name"], "competitor-mention");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["message"], "`Globex Corp` names a competitor");
    assert_eq!(d["url"], "https://example.com/house-rules");
    let text = caption_text("competitor.txt");
    let (start, end) = (
        d["span"]["start"].as_u64().unwrap() as usize,
        d["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "Globex Corp");
    // No built-in rule ran: the `#ad` caption would otherwise get FTC008.
    assert!(codes(&doc["results"][1]).is_empty(), "{r:?}");

    let r = check(
        dir.path(),
        &[
            "--no-builtin",
            "--rules",
            "house",
            "--fail-on",
            "warning",
            "competitor.txt",
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");

    let r =
        run(adlint(dir.path()).args(["rules", "--no-config", "--no-builtin", "--rules", "house"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("ACME001  competitor-mention"), "{r:?}");
    assert!(!r.stdout.contains("FTC0"), "{r:?}");
}

#[test]
fn user_pack_runs_alongside_the_builtin_rules() {
    let dir = sandbox(&["competitor.txt"]);
    copy_tree(&fixture("rules/house"), &dir.path().join("house"));
    let r = check(
        dir.path(),
        &["--rules", "house", "--format", "json", "competitor.txt"],
    );
    // Both packs run: the house rule and the built-in FTC008 on the unnamed `#ad`.
    let found: BTreeSet<String> = codes_per_result(&r).into_iter().flatten().collect();
    assert_eq!(found, codes_set(&["ACME001", "FTC008"]), "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// 6. --format json
// ---------------------------------------------------------------------------------------------

#[test]
fn json_document_shape() {
    let dir = sandbox(&[MISSING, CLEAN]);
    let r = check(dir.path(), &["--format", "json", MISSING, CLEAN]);
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    assert_eq!(
        keys(&doc),
        set(&["version", "results", "errors", "summary", "packs"])
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["errors"], Value::Array(vec![]));
    let summary = &doc["summary"];
    assert_eq!(
        keys(summary),
        set(&[
            "captions",
            "clean",
            "errors",
            "warnings",
            "advice",
            "failed_inputs"
        ])
    );
    assert_eq!(summary["captions"], 2);
    assert_eq!(summary["clean"], 1);
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["warnings"], 0);
    assert_eq!(summary["advice"], 0);
    assert_eq!(summary["failed_inputs"], 0);

    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["source"], MISSING);
    assert_eq!(results[0]["record"], Value::Null);
    assert_eq!(results[0]["platform"], "generic");
    assert_eq!(results[1]["source"], CLEAN);
    assert_eq!(results[1]["diagnostics"], Value::Array(vec![]));

    let d = &results[0]["diagnostics"][0];
    assert_eq!(
        keys(d),
        set(&[
            "code", "name", "severity", "message", "span", "line", "column", "help", "url", "fix"
        ])
    );
    assert_eq!(keys(&d["span"]), set(&["start", "end"]));
    // FTC001's fix inserts a disclosure: unsafe, since it asserts a brand relationship.
    assert_eq!(d["fix"]["safety"], "unsafe");
    assert_eq!(d["fix"]["edits"][0]["start"], 0);
    assert_eq!(d["code"], "FTC001");
    assert_eq!(d["name"], "missing-disclosure");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "sponsored caption has no clear disclosure");
    assert_eq!(
        d["url"],
        "https://www.ecfr.gov/current/title-16/chapter-I/subchapter-B/part-255"
    );
    assert!(d["help"].as_str().unwrap().contains("#ad"), "{d}");
}

#[test]
fn json_spans_are_bytes_and_columns_are_characters() {
    // "🔥🔥🔥 3 ways I style one linen shirt 👕 use my code SUNNY15 at @urbanthreads":
    // four 4-byte emoji come before the finding, so bytes and characters differ by 12.
    let dir = sandbox(&[EMOJI]);
    let r = check(dir.path(), &["--format", "json", EMOJI]);
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    let d = &doc["results"][0]["diagnostics"][0];
    assert_eq!(d["code"], "FTC001", "{r:?}");
    assert_eq!(d["span"]["start"], 49, "{d}");
    assert_eq!(d["span"]["end"], 68, "{d}");
    assert_eq!(d["line"], 1, "{d}");
    assert_eq!(d["column"], 38, "{d}");
    let text = caption_text(EMOJI);
    assert_eq!(&text[49..68], "use my code SUNNY15");
    assert_eq!(text[..49].chars().count() + 1, 38);
}

#[test]
fn json_line_and_column_after_a_crlf_line_break() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "crlf.txt",
        "Hello 👋\r\n🔥 use my code SUNNY15 at @urbanthreads\r\n",
    );
    let r = check(dir.path(), &["--format", "json", "crlf.txt"]);
    let doc = r.json();
    let d = &doc["results"][0]["diagnostics"][0];
    assert_eq!(d["code"], "FTC001", "{r:?}");
    // "Hello 👋\r\n" is 12 bytes and "🔥 " 5 more; on line 2 the finding is the 3rd character.
    assert_eq!(d["span"]["start"], 17, "{d}");
    assert_eq!(d["line"], 2, "{d}");
    assert_eq!(d["column"], 3, "{d}");
}

#[test]
fn json_lists_unreadable_inputs_in_errors() {
    let dir = sandbox(&[CLEAN]);
    let r = check(dir.path(), &["--format", "json", CLEAN, "gone.txt"]);
    assert_eq!(r.code, 2, "{r:?}");
    let doc = r.json();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{r:?}");
    assert_eq!(errors[0]["source"], "gone.txt");
    assert_eq!(
        errors[0]["message"],
        "could not open: no such file or folder"
    );
    assert_eq!(doc["results"].as_array().unwrap().len(), 1);
    assert_eq!(doc["results"][0]["source"], CLEAN);
    assert_eq!(doc["summary"]["failed_inputs"], 1);
    assert_eq!(doc["summary"]["captions"], 1);
    assert_eq!(doc["summary"]["clean"], 1);
}

#[test]
fn text_in_a_legacy_encoding_is_decoded_and_named_and_utf8_can_be_insisted_on() {
    let dir = sandbox(&[CLEAN]);
    fs::write(dir.path().join("latin1.txt"), b"caf\xe9 #ad").unwrap();
    let r = check(dir.path(), &["--format", "json", "latin1.txt", CLEAN]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .contains("latin1.txt: read as windows-1252 (not UTF-8; guessed"),
        "{r:?}"
    );
    // Told it is UTF-8, the byte is an input error.
    let r = check(
        dir.path(),
        &[
            "--format",
            "json",
            "--encoding",
            "utf-8",
            "latin1.txt",
            CLEAN,
        ],
    );
    assert_eq!(r.code, 2, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["errors"][0]["source"], "latin1.txt");
    assert!(
        doc["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not UTF-8"),
        "{r:?}"
    );
    assert_eq!(doc["results"][0]["source"], CLEAN);
}

// ---------------------------------------------------------------------------------------------
// 7. --format jsonl on a JSONL export
// ---------------------------------------------------------------------------------------------

#[test]
fn jsonl_export_one_line_per_record_in_order() {
    let dir = sandbox(&[EXPORT]);
    let r = check(dir.path(), &["--format", "jsonl", EXPORT]);
    assert_eq!(r.code, 2, "a broken record makes the run exit 2: {r:?}");
    let lines = r.jsonl();
    // Nine lines in the file, one blank: eight output lines, in input order.
    assert_eq!(lines.len(), 8, "{r:?}");
    for line in &lines {
        assert_eq!(line["source"], EXPORT, "{line}");
    }
    let records: Vec<&Value> = lines.iter().map(|l| &l["record"]).collect();
    assert_eq!(
        records,
        vec![
            &Value::from("p1"),
            &Value::from("p2"),
            &Value::from("4"), // no id: the 1-based line number (line 3 is blank)
            &Value::from("5"),
            &Value::from("6"), // unparseable: no id can be read, so the line number
            &Value::from("42"),
            &Value::from("p8"),
            &Value::from("p9"),
        ]
    );

    // Per-record platform: the same caption is below the fold on tiktok, not on instagram.
    assert_eq!(lines[0]["platform"], "tiktok");
    assert_eq!(codes(&lines[0]), vec!["FTC003", "FTC012"]);
    assert_eq!(lines[1]["platform"], "instagram");
    assert!(codes(&lines[1]).is_empty(), "{}", lines[1]);

    // Per-record sponsored (and the `text` field): same caption, declared sponsored or not.
    assert_eq!(codes(&lines[2]), vec!["FTC001"]);
    assert!(codes(&lines[3]).is_empty(), "{}", lines[3]);

    // A broken line is an error line; the rest are still checked.
    assert_eq!(keys(&lines[4]), set(&["source", "record", "error"]));
    let error = lines[4]["error"].as_str().unwrap();
    assert!(error.starts_with("line 6: invalid JSON"), "{error}");

    // Per-record brand: a declared brand named in the caption needs a disclosure.
    assert_eq!(codes(&lines[5]), vec!["FTC001"]);
    assert!(
        lines[5]["diagnostics"][0]["help"]
            .as_str()
            .unwrap()
            .contains("Paid partnership with GlowLab"),
        "{}",
        lines[5]
    );
    assert!(codes(&lines[6]).is_empty(), "{}", lines[6]);

    // A record with an id but a bad caption keeps its id.
    assert_eq!(keys(&lines[7]), set(&["source", "record", "error"]));
    assert_eq!(
        lines[7]["error"],
        "line 9: `caption` must be a string, found a number"
    );
}

#[test]
fn jsonl_record_values_win_over_flags() {
    // --platform instagram is only a default: p1 stays on tiktok. --sponsored fills in line 5.
    let dir = sandbox(&[EXPORT]);
    let r = check(
        dir.path(),
        &[
            "--format",
            "jsonl",
            "--platform",
            "instagram",
            "--sponsored",
            EXPORT,
        ],
    );
    let lines = r.jsonl();
    assert_eq!(lines[0]["platform"], "tiktok", "{r:?}");
    assert_eq!(codes(&lines[0]), vec!["FTC003", "FTC012"]);
    assert_eq!(lines[3]["record"], "5");
    assert_eq!(lines[3]["platform"], "instagram");
    assert_eq!(codes(&lines[3]), vec!["FTC001"]);
}

#[test]
fn jsonl_truncated_record_names_a_real_column() {
    let dir = sandbox(&[EXPORT]);
    let r = check(dir.path(), &["--format", "jsonl", EXPORT]);
    let lines = r.jsonl();
    let error = lines[4]["error"].as_str().unwrap();
    assert!(error.starts_with("line 6: invalid JSON"), "{error}");
    // Columns are 1-based everywhere else; the JSON ends at the end of line 6.
    assert!(!error.contains("column 0"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// 8. A closed pipe
// ---------------------------------------------------------------------------------------------

#[test]
fn closed_stdout_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let mut export = String::new();
    for i in 0..20_000 {
        export.push_str(&format!(
            "{{\"id\": {i}, \"caption\": \"#ad loving the new @glowlab serum, day {i}\"}}\n"
        ));
    }
    write(dir.path(), "big.jsonl", &export);
    let mut child = adlint(dir.path())
        .args([
            "check",
            "--color",
            "never",
            "--no-config",
            "--format",
            "jsonl",
            "big.jsonl",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("adlint starts");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    drop(reader);
    let r: Run = child.wait_with_output().expect("adlint runs").into();
    let first: Value = serde_json::from_str(&first).expect("a JSON line");
    assert_eq!(first["record"], "0");
    assert_eq!(first["source"], "big.jsonl");
    assert!(!r.stderr.contains("panicked"), "{r:?}");
    assert_eq!(r.stderr, "", "{r:?}");
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn a_slow_stream_shows_results_before_it_ends() {
    // 600 records on stdin, then the stream stays open: the first batch's results must come out
    // while adlint waits for more, not only when the input ends.
    let dir = tempfile::tempdir().unwrap();
    let mut child = adlint(dir.path())
        .args([
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--input-format",
            "jsonl",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("adlint starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut records = String::new();
    for i in 0..600 {
        records.push_str(&format!(
            "{{\"id\": {i}, \"caption\": \"#ad day {i} 🌊\"}}\n"
        ));
    }
    std::io::Write::write_all(&mut stdin, records.as_bytes()).unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut seen = Vec::new();
    while seen.len() < 512 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    // Only now does the input end.
    drop(stdin);
    assert_eq!(seen.len(), 512, "results written before the stream ended");
    let first: Value = serde_json::from_str(&seen[0]).unwrap();
    assert_eq!(first["record"], "0");
    let last: Value = serde_json::from_str(&seen[511]).unwrap();
    assert_eq!(last["record"], "511");
    let rest: Vec<String> = rx.iter().collect();
    assert_eq!(rest.len(), 88, "the rest once the stream ends");
    assert_eq!(child.wait().unwrap().code(), Some(0), "advice only");
}

// ---------------------------------------------------------------------------------------------
// 9. rules and explain
// ---------------------------------------------------------------------------------------------

#[test]
fn rules_lists_all_thirteen_codes() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(adlint(dir.path()).args(["rules", "--no-config"]));
    assert_eq!(r.code, 0, "{r:?}");
    let listed: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("FTC"))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let expected: Vec<String> = (1..=13).map(|n| format!("FTC{n:03}")).collect();
    assert_eq!(listed, expected, "{r:?}");
    assert!(
        r.stdout
            .contains("FTC003   disclosure-below-fold            error    ftc"),
        "{r:?}"
    );
}

#[test]
fn explain_by_code_and_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let by_code = run(adlint(dir.path()).args(["explain", "--no-config", "FTC003"]));
    assert_eq!(by_code.code, 0, "{by_code:?}");
    let out = &by_code.stdout;
    assert!(
        out.starts_with("# disclosure-below-fold (FTC003)\n"),
        "{by_code:?}"
    );
    assert!(
        out.contains(
            "Source: https://www.ftc.gov/business-guidance/resources/disclosures-101-social-media-influencers"
        ),
        "{by_code:?}"
    );
    let fails = out.find("## Fails").expect("a Fails section");
    let passes = out.find("## Passes").expect("a Passes section");
    assert!(fails < passes, "{by_code:?}");
    assert!(
        out[fails..passes].contains("(platform tiktok)")
            && out[fails..passes].contains("    storytime: I almost returned this @zenithaudio"),
        "{by_code:?}"
    );
    assert!(
        out[passes..].contains("(platform instagram)")
            && out[passes..].contains("    #ad New drop 🔥"),
        "{by_code:?}"
    );

    let by_name = run(adlint(dir.path()).args(["explain", "--no-config", "disclosure-below-fold"]));
    assert_eq!(by_name.code, 0, "{by_name:?}");
    assert_eq!(by_name.stdout, by_code.stdout);
}

#[test]
fn explain_unknown_rule_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(adlint(dir.path()).args(["explain", "--no-config", "NOPE"]));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown rule `NOPE`"), "{r:?}");
    assert_eq!(r.stdout, "", "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// 10. Platforms
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_platform_exits_2() {
    let dir = sandbox(&[CLEAN]);
    let r = check(dir.path(), &["--platform", "nosuch", CLEAN]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown platform `nosuch`"), "{r:?}");
    assert!(
        r.stderr.contains("instagram"),
        "known platforms are listed: {r:?}"
    );
    assert_eq!(r.stdout, "", "{r:?}");
}

#[test]
fn platform_aliases_are_accepted() {
    let dir = sandbox(&[BELOW_FOLD]);
    let r = check(
        dir.path(),
        &["--format", "json", "--platform", "IG", BELOW_FOLD],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["results"][0]["platform"], "instagram");
}
