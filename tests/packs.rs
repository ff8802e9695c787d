//! Rule packs per market: `--jurisdiction`, config `markets`, a record's `market` column, the
//! platform's paid-partnership label, `adlint test` on built-in and user packs, `adlint eval`
//! on a labelled fixture, and the pack versions named in JSON and SARIF.
//!
//! The same caption passes in one market and fails in another: each fixture in
//! `fixtures/markets/` is checked under several jurisdictions and the outputs snapshotted
//! together.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::Run;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `adlint ARGS` run from the crate root (fixture paths stay relative and stable).
fn adlint(args: &[&str]) -> Run {
    adlint_in(Path::new(ROOT), args)
}

fn adlint_in(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_adlint"))
        .current_dir(dir)
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .output()
        .expect("adlint runs")
        .into()
}

/// A temp folder holding these files (relative path, contents).
fn temp_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

const DRAFT: &str = "use my code SUNNY15 at @urbanthreads\n";

/// Fail unless stderr says `text`.
fn says(run: &Run, text: &str) {
    assert!(run.stderr.contains(text), "stderr lacks {text:?}: {run:?}");
}

/// Codes per record of `check --format json`.
fn codes_per_record(run: &Run) -> Vec<(String, Vec<String>)> {
    run.json()["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let codes = r["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect();
            (r["record"].as_str().unwrap_or("-").to_string(), codes)
        })
        .collect()
}

/// The `packs` named by `check --format json`.
fn pack_names(run: &Run) -> Vec<String> {
    run.json()["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// Human output of one market fixture under each jurisdiction, with the exit codes expected.
fn across_markets(file: &str, expected: &[(&str, i32)]) {
    let path = format!("fixtures/markets/{file}");
    let mut out = String::new();
    for (market, code) in expected {
        let run = adlint(&[
            "check",
            "--no-config",
            "--color",
            "never",
            "--platform",
            "instagram",
            "--jurisdiction",
            market,
            &path,
        ]);
        assert_eq!(run.code, *code, "--jurisdiction {market}: {run:?}");
        out.push_str(&format!(
            "=== --jurisdiction {market} (exit {})\n{}\n",
            run.code, run.stdout
        ));
    }
    let name = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    insta::assert_snapshot!(name, out);
}

#[test]
fn gifted_is_fine_in_the_us_and_weak_in_the_uk() {
    across_markets("gifted.txt", &[("us", 0), ("uk", 1), ("au", 0), ("de", 0)]);
}

#[test]
fn ad_second_of_six_hashtags_fails_germany_only() {
    across_markets("celle.txt", &[("us", 0), ("uk", 0), ("de", 1)]);
}

#[test]
fn collaboration_commerciale_passes_france_and_fails_the_uk() {
    across_markets(
        "collaboration_commerciale.txt",
        &[("fr", 0), ("us", 0), ("uk", 1), ("de", 1)],
    );
}

#[test]
fn several_markets_run_several_packs() {
    let run = adlint(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--jurisdiction",
        "us,uk",
        "--jurisdiction",
        "de",
        "fixtures/markets/gifted.txt",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(codes_per_record(&run)[0].1, ["DE002", "UK002"], "{run:?}");
    let packs: Vec<String> = pack_names(&run);
    assert_eq!(packs, ["de", "ftc", "uk"]);
}

#[test]
fn an_unknown_jurisdiction_lists_the_known_ones() {
    let run = adlint(&[
        "check",
        "--no-config",
        "--color",
        "never",
        "--jurisdiction",
        "us,mars",
        "fixtures/markets/gifted.txt",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    says(&run, "unknown jurisdiction `mars`");
    says(
        &run,
        "au, ca, de, dk, es, eu, fi, fr, us, ie, it, nl, no, pl, se, uk",
    );
}

#[test]
fn selecting_a_pack_outside_the_run_s_markets_says_how_to_run_it() {
    let gifted = "fixtures/markets/gifted.txt";
    let base = ["check", "--no-config", "--sponsored", "--select", "uk"];
    let run = adlint(&[&base[..], &[gifted]].concat());
    assert_eq!(
        run.code, 0,
        "the uk rules do not run on a us caption: {run:?}"
    );
    says(
        &run,
        "`uk` selects rules for uk, which run only on records whose market is uk",
    );
    says(&run, "add `--jurisdiction uk`");
    let run = adlint(&[&base[..], &["--jurisdiction", "uk", gifted]].concat());
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.stderr.contains("note:"), "{run:?}");
}

#[test]
fn config_markets_select_packs_and_the_flag_wins() {
    let gifted = fs::read_to_string(Path::new(ROOT).join("fixtures/markets/gifted.txt")).unwrap();
    let dir = temp_with(&[
        ("adlint.toml", "markets = [\"GB\"]\n"),
        ("gifted.txt", &gifted),
    ]);
    let run = adlint_in(dir.path(), &["check", "--format", "json", "gifted.txt"]);
    assert_eq!(codes_per_record(&run)[0].1, ["UK002"], "{run:?}");
    let run = adlint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--jurisdiction",
            "us",
            "gifted.txt",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn a_market_column_selects_packs_per_record() {
    let run = adlint(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "fixtures/markets/campaign.jsonl",
    ]);
    let found = codes_per_record(&run);
    let expected: Vec<(String, Vec<String>)> = [
        // UK: the platform's paid-partnership label counts as a label.
        ("p-1", vec![]),
        // Germany: it does not.
        ("p-2", vec!["DE001"]),
        // No market: the run's (us); the label declares the post sponsored, it is no disclosure.
        ("p-3", vec!["FTC001"]),
        ("p-4", vec!["UK002"]),
        // `gb; fr`: both packs, each satisfied by its own label.
        ("p-5", vec!["FR005"]),
    ]
    .into_iter()
    .map(|(id, codes)| {
        (
            id.to_string(),
            codes.into_iter().map(String::from).collect(),
        )
    })
    .collect();
    assert_eq!(found, expected, "{run:?}");
    let packs: Vec<String> = pack_names(&run);
    assert_eq!(packs, ["de", "fr", "ftc", "uk"]);
}

#[test]
fn an_unknown_market_in_a_record_is_an_input_error() {
    let dir = temp_with(&[(
        "posts.jsonl",
        "{\"id\": \"a\", \"country\": \"Atlantis\", \"caption\": \"#ad hello @x\"}\n{\"id\": \"b\", \"caption\": \"hello\"}\n",
    )]);
    let run = adlint_in(
        dir.path(),
        &["check", "--no-config", "--format", "json", "posts.jsonl"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    let doc = run.json();
    let message = doc["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("unknown market `Atlantis`"), "{message}");
    assert_eq!(doc["results"].as_array().unwrap().len(), 1);
}

#[test]
fn rules_lists_the_chosen_markets_with_pack_versions() {
    let run = adlint(&["rules", "--no-config", "--jurisdiction", "uk"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("UK002"), "{run:?}");
    assert!(!run.stdout.contains("FTC001"), "{run:?}");
    assert!(
        run.stdout
            .contains("pack uk 2026.12.0 (United Kingdom: ASA / CAP Code and CMA guidance), sources read 2026-12-05"),
        "{run:?}"
    );
    let all = adlint(&[
        "rules",
        "--no-config",
        "--jurisdiction",
        "all",
        "--format",
        "json",
    ]);
    assert_eq!(all.json()["rules"].as_array().unwrap().len(), 179);
}

#[test]
fn sarif_names_the_packs_used_as_extensions() {
    let run = adlint(&[
        "check",
        "--no-config",
        "--format",
        "sarif",
        "--jurisdiction",
        "uk,de",
        "fixtures/markets/gifted.txt",
    ]);
    let log = run.json();
    let tool = &log["runs"][0]["tool"];
    assert_eq!(tool["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let extensions: Vec<(&str, &str)> = tool["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["version"].as_str().unwrap()))
        .collect();
    assert_eq!(extensions, [("de", "2026.12.0"), ("uk", "2026.12.0")]);
    let ids: Vec<&str> = tool["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.iter()
            .all(|id| id.starts_with("UK") || id.starts_with("DE")),
        "{ids:?}"
    );
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], result["ruleId"].as_str().unwrap());
    }
}

// ---------------------------------------------------------------------------------------------
// adlint test
// ---------------------------------------------------------------------------------------------

#[test]
fn adlint_test_passes_on_every_builtin_pack() {
    let run = adlint(&["test"]);
    assert_eq!(run.code, 0, "{run:?}");
    for pack in ["ftc", "uk", "ca", "au", "de", "fr", "eu"] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.starts_with(&format!("pack {pack} ")) && l.ends_with("all behave")),
            "{pack}: {run:?}"
        );
    }
    assert!(run.stdout.ends_with("0 failed\n"), "{run:?}");
}

const NZ_PACK: &str = r##"
[pack]
name = "nz"
title = "New Zealand: ASA (example)"
jurisdiction = "nz"
version = "0.1.0"
sources-read = "2026-11-24"
uses = ["common"]

[terms.clear]
hashtags = ["ad"]
labels = ["ad"]

[[rule]]
code = "NZ001"
name = "nz-missing-ad"
severity = "error"
kind = "conditional"
when = "needs-label and not clear"
anchor = ["material-connection"]
summary = "A paid post has no #ad."
message = "paid post has no #ad"
help = "start with #ad"
docs = "Fires when a paid post has no #ad."
source = "https://www.asa.co.nz/"
source-title = "ASA NZ"
quote = "Ads must be obviously identifiable."
examples.fail = ["use my code SUNNY15 at @urbanthreads"]
examples.pass = ["#ad use my code SUNNY15 at @urbanthreads"]
"##;

#[test]
fn a_user_pack_is_tested_and_selected_by_its_jurisdiction() {
    let dir = temp_with(&[("packs/nz.toml", NZ_PACK), ("draft.txt", DRAFT)]);

    let tested = adlint_in(dir.path(), &["test", "packs"]);
    assert_eq!(tested.code, 0, "{tested:?}");
    assert_eq!(
        tested.stdout,
        "pack nz 0.1.0: 1 rules, 2 examples, all behave\n2 examples: 2 passed, 0 failed\n"
    );

    let nz = adlint_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--rules",
            "packs",
            "--jurisdiction",
            "nz",
            "draft.txt",
        ],
    );
    assert_eq!(codes_per_record(&nz)[0].1, ["NZ001"], "{nz:?}");
    // The default market is us: the nz pack does not run.
    let us = adlint_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--rules",
            "packs",
            "draft.txt",
        ],
    );
    assert_eq!(codes_per_record(&us)[0].1, ["FTC001"], "{us:?}");
}

#[test]
fn a_user_pack_without_jurisdiction_always_runs() {
    let pack = NZ_PACK.replace("jurisdiction = \"nz\"\n", "");
    let dir = temp_with(&[("house.toml", &pack), ("draft.txt", DRAFT)]);
    let run = adlint_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--rules",
            "house.toml",
            "--jurisdiction",
            "uk",
            "draft.txt",
        ],
    );
    assert_eq!(codes_per_record(&run)[0].1, ["NZ001", "UK001"], "{run:?}");
}

/// `adlint test nz.toml` on the NZ pack with `from` replaced by `to`.
fn test_nz_pack_with(from: &str, to: &str) -> Run {
    assert!(NZ_PACK.contains(from), "{from}");
    let dir = temp_with(&[("nz.toml", &NZ_PACK.replace(from, to))]);
    adlint_in(dir.path(), &["test", "nz.toml"])
}

#[test]
fn adlint_test_reports_the_failing_example_and_why() {
    let run = test_nz_pack_with(
        "examples.pass = [\"#ad use my code SUNNY15 at @urbanthreads\"]",
        "examples.pass = [\"Ad: fine\", \"use code SUNNY15 at @urbanthreads\"]",
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "FAIL NZ001 nz-missing-ad (nz.toml): pass example should stay quiet but fired; found NZ001\n       | use code SUNNY15 at @urbanthreads\npack nz 0.1.0: 1 rules, 3 examples, 1 failed\n3 examples: 2 passed, 1 failed\n"
    );
}

#[test]
fn adlint_test_exits_2_on_a_pack_that_does_not_load() {
    let run = test_nz_pack_with(
        "when = \"needs-label and not clear\"",
        "when = \"needs-label and not clera\"",
    );
    assert_eq!(run.code, 2, "{run:?}");
    says(&run, "unknown term list or fact `clera`");
    says(&run, "nz.toml");
}

// ---------------------------------------------------------------------------------------------
// adlint eval
// ---------------------------------------------------------------------------------------------

#[test]
fn eval_reports_per_rule_precision_and_recall() {
    let run = adlint(&[
        "eval",
        "--no-config",
        "--verbose",
        "fixtures/eval/labelled.jsonl",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    insta::assert_snapshot!("eval_human", run.stdout);

    let run = adlint(&[
        "eval",
        "--no-config",
        "--format",
        "json",
        "fixtures/eval/labelled.jsonl",
    ]);
    let doc = run.json();
    assert_eq!(doc["captions"], 8);
    assert_eq!(doc["exact"], 6);
    assert_eq!(doc["exact_rate"], 0.75);
    let rule = |code: &str| -> Value {
        doc["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("no {code}"))
    };
    let ftc001 = rule("FTC001");
    assert_eq!(
        (
            ftc001["tp"].as_u64(),
            ftc001["fp"].as_u64(),
            ftc001["fn"].as_u64()
        ),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(ftc001["precision"], 1.0);
    assert_eq!(ftc001["recall"], 0.5);
    let ftc013 = rule("FTC013");
    assert_eq!(
        (
            ftc013["tp"].as_u64(),
            ftc013["fp"].as_u64(),
            ftc013["fn"].as_u64()
        ),
        (Some(0), Some(1), Some(0))
    );
    assert_eq!(ftc013["recall"], Value::Null);
    for code in ["UK002", "DE002", "DE004", "FTC002"] {
        assert_eq!(rule(code)["f1"], 1.0, "{code}");
    }
    // Advice (FR005, expected on e-8) is left out of the scores.
    assert!(
        doc["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["code"] != "FR005")
    );
    let mismatched: Vec<&str> = doc["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(mismatched, ["e-4", "e-5"]);

    let gate = adlint(&[
        "eval",
        "--no-config",
        "--min-exact",
        "0.8",
        "fixtures/eval/labelled.jsonl",
    ]);
    assert_eq!(gate.code, 1, "{gate:?}");
}

#[test]
fn eval_exits_2_on_a_bad_line() {
    let dir = temp_with(&[(
        "bad.jsonl",
        "{\"id\": \"a\", \"caption\": \"hi\", \"expect\": []}\n{\"id\": \"b\", \"caption\": \"hi\", \"expect\": \"FTC001\"}\n",
    )]);
    let run = adlint_in(dir.path(), &["eval", "--no-config", "bad.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("bad.jsonl:line 2: `expect` must be a list of rule codes"),
        "{run:?}"
    );
}
