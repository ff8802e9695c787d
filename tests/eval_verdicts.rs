//! `adlint eval` on verdict files: regulators' decisions (`verdict`, `reason`, `jurisdiction`)
//! scored undeclared and declared, per jurisdiction, in each case's own market or the run's,
//! with floors for CI and bad records reported by line.
//!
//! `fixtures/eval/verdicts.jsonl` holds eleven made-up cases, written for these tests:
//!
//! | id | jurisdiction | verdict, reason | why it is there |
//! |---|---|---|---|
//! | uk-code | UK-ASA | violation, missing | a discount code: flagged in both runs |
//! | uk-plain | UK-ASA | violation, missing | no signal: missed undeclared, flagged declared; text over 100 characters |
//! | uk-gifted | UK-ASA | violation, ambiguous_label | `#gifted`: weak in the UK pack |
//! | uk-ad | UK-ASA | compliant, adequate | `#ad` up front: never flagged |
//! | uk-spon | UK-ASA | compliant, adequate | `#spon`: an adequate case adlint flags |
//! | ie-code | IE-ASA | violation, missing | on `twitter`; Ireland runs in the `eu` pack |
//! | ie-plain | IE-ASA | violation, missing | no signal: missed undeclared |
//! | ie-knit | IE-ASA | compliant, other | no signal: flagged only when declared sponsored |
//! | us-late | US-FTC | violation, buried_or_late | `#ad` after 160 characters on Instagram: below the fold |
//! | us-tweet | US-FTC | compliant, adequate | the same text on `twitter`, read as X: shown whole |
//! | nz-code | NZ-ASA | violation, missing | no pack declares `nz`: checked in the run's markets |

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::Run;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const FIXTURE: &str = "fixtures/eval/verdicts.jsonl";

fn adlint(args: &[&str]) -> Run {
    adlint_in(Path::new(ROOT), args)
}

fn adlint_in(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_adlint"))
        .current_dir(dir)
        .args(["eval", "--no-config"])
        .args(args)
        .env("COLUMNS", "100")
        .output()
        .expect("adlint runs")
        .into()
}

/// A temp folder holding one file.
fn temp_file(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join(name), text).unwrap();
    dir
}

/// A run's figures: (violations flagged, violations, compliant flagged, compliant, adequate
/// flagged, adequate).
fn figures(run: &Value) -> [u64; 6] {
    [
        "flagged_violations",
        "violations",
        "flagged_compliant",
        "compliant",
        "flagged_adequate",
        "adequate",
    ]
    .map(|k| {
        run[k]
            .as_u64()
            .unwrap_or_else(|| panic!("no `{k}` in {run}"))
    })
}

fn jurisdiction<'a>(run: &'a Value, name: &str) -> &'a Value {
    run["jurisdictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["jurisdiction"] == name)
        .unwrap_or_else(|| panic!("no {name} in {run}"))
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect()
}

#[test]
fn verdicts_are_scored_per_jurisdiction_undeclared_and_declared() {
    let run = adlint(&[FIXTURE]);
    assert_eq!(run.code, 0, "{run:?}");
    insta::assert_snapshot!("eval_verdicts_human", run.stdout);
    // NZ has no pack: its case runs in the run's markets, said once on stderr.
    assert_eq!(
        run.stderr,
        "adlint: note: no loaded pack declares the market of nz (1 case); those cases are \
         checked in the run's markets: us\n"
    );
}

#[test]
fn verbose_lists_missed_violations_and_flagged_compliant_cases() {
    let run = adlint(&["--verbose", FIXTURE]);
    assert_eq!(run.code, 0, "{run:?}");
    let (undeclared, declared) = run
        .stdout
        .split_once("declared: every case declared sponsored")
        .expect("two runs");
    // The excerpt is the first 100 characters.
    let first_100: String = "Sunday reset: fresh sheets, a long walk by the canal, a pot of tea \
                             and the best banana bread I have baked all year"
        .chars()
        .take(100)
        .collect();
    let missed = format!("  missed uk-plain (UK-ASA, missing): found nothing: {first_100:?}…\n");
    assert!(undeclared.contains(&missed), "{run:?}");
    assert!(
        undeclared.contains("  missed ie-plain (IE-ASA, missing): found nothing: \"Long weekend"),
        "{run:?}"
    );
    assert!(
        undeclared.contains("  flagged compliant uk-spon (UK-ASA, adequate): found UK"),
        "{run:?}"
    );
    assert!(!undeclared.contains("ie-knit"), "{run:?}");
    // Declared sponsored, the unlabelled posts are flagged: the compliant teaser too.
    assert!(!declared.contains("  missed "), "{run:?}");
    assert!(
        declared.contains("  flagged compliant ie-knit (IE-ASA, other): found IE"),
        "{run:?}"
    );
}

#[test]
fn json_gives_the_same_figures() {
    let run = adlint(&["--format", "json", FIXTURE]);
    assert_eq!(run.code, 0, "{run:?}");
    let doc = run.json();
    assert_eq!(doc["kind"], "verdicts");
    assert_eq!(doc["markets"], "own");
    assert_eq!(doc["run_markets"], serde_json::json!(["us"]));
    assert_eq!(doc["fallback_markets"], serde_json::json!({"nz": 1}));
    assert_eq!(
        (
            &doc["cases"],
            &doc["violations"],
            &doc["compliant"],
            &doc["adequate"]
        ),
        (&11.into(), &7.into(), &4.into(), &3.into())
    );

    let undeclared = &doc["runs"]["undeclared"];
    assert_eq!(figures(undeclared), [5, 7, 1, 4, 1, 3]);
    assert_eq!(undeclared["recall"], 5.0 / 7.0);
    assert_eq!(
        ids(&undeclared["missed_violations"]),
        ["uk-plain", "ie-plain"]
    );
    assert_eq!(ids(&undeclared["flagged_compliant_cases"]), ["uk-spon"]);
    let missed = &undeclared["missed_violations"][0];
    assert_eq!(missed["jurisdiction"], "UK-ASA");
    assert_eq!(missed["reason"], "missing");
    assert_eq!(missed["codes"], serde_json::json!([]));
    assert_eq!(missed["text"].as_str().unwrap().chars().count(), 100);

    let declared = &doc["runs"]["declared"];
    assert_eq!(figures(declared), [7, 7, 2, 4, 1, 3]);
    assert_eq!(declared["recall"], 1.0);
    assert_eq!(ids(&declared["missed_violations"]), Vec::<&str>::new());
    assert_eq!(
        ids(&declared["flagged_compliant_cases"]),
        ["uk-spon", "ie-knit"]
    );

    // Per jurisdiction, in each case's own market: Ireland through the `eu` pack, NZ falling
    // back to the run's.
    let names: Vec<&str> = undeclared["jurisdictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["jurisdiction"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["IE-ASA", "NZ-ASA", "UK-ASA", "US-FTC"]);
    for (name, markets, fallback, undeclared_figures, declared_figures) in [
        (
            "UK-ASA",
            "uk",
            false,
            [2, 3, 1, 2, 1, 2],
            [3, 3, 1, 2, 1, 2],
        ),
        (
            "IE-ASA",
            "ie",
            false,
            [1, 2, 0, 1, 0, 0],
            [2, 2, 1, 1, 0, 0],
        ),
        (
            "US-FTC",
            "us",
            false,
            [1, 1, 0, 1, 0, 1],
            [1, 1, 0, 1, 0, 1],
        ),
        ("NZ-ASA", "us", true, [1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0]),
    ] {
        let u = jurisdiction(undeclared, name);
        assert_eq!(u["markets"], serde_json::json!([markets]), "{name}");
        assert_eq!(u["fallback"], fallback, "{name}");
        assert_eq!(figures(u), undeclared_figures, "{name}");
        assert_eq!(
            figures(jurisdiction(declared, name)),
            declared_figures,
            "{name}"
        );
    }
    assert_eq!(jurisdiction(undeclared, "UK-ASA")["recall"], 2.0 / 3.0);
}

#[test]
fn twitter_is_read_as_x_and_unknown_as_no_platform() {
    // The same text with `#ad` after 160 characters: below Instagram's fold, whole on X.
    let doc = adlint(&["--format", "json", FIXTURE]).json();
    let undeclared = &doc["runs"]["undeclared"];
    assert!(!ids(&undeclared["missed_violations"]).contains(&"us-late"));
    assert!(!ids(&doc["runs"]["declared"]["flagged_compliant_cases"]).contains(&"us-tweet"));

    // `unknown` is no platform: the generic fold, as strict as Instagram's.
    let fixture = fs::read_to_string(Path::new(ROOT).join(FIXTURE)).unwrap();
    let tweet = fixture
        .lines()
        .find(|l| l.contains("\"us-tweet\""))
        .unwrap();
    let unknown = tweet.replace("\"twitter\"", "\"unknown\"");
    let x = tweet.replace("\"twitter\"", "\"X\"");
    let dir = temp_file(
        "platforms.jsonl",
        &format!("{unknown}\n{}\n", x.replace("us-tweet", "x-tweet")),
    );
    let run = adlint_in(dir.path(), &["--format", "json", "platforms.jsonl"]);
    assert_eq!(run.code, 0, "{run:?}");
    let doc = run.json();
    assert_eq!(
        ids(&doc["runs"]["undeclared"]["flagged_compliant_cases"]),
        ["us-tweet"]
    );
}

#[test]
fn markets_run_checks_every_case_in_the_run_markets() {
    let run = adlint(&[
        "--markets",
        "run",
        "--jurisdiction",
        "uk",
        "--format",
        "json",
        FIXTURE,
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    // Every market is the run's: nothing falls back, nothing is said about it.
    assert_eq!(run.stderr, "", "{run:?}");
    let doc = run.json();
    assert_eq!(doc["markets"], "run");
    assert_eq!(doc["run_markets"], serde_json::json!(["uk"]));
    assert_eq!(doc["fallback_markets"], serde_json::json!({}));
    for mode in ["undeclared", "declared"] {
        for j in doc["runs"][mode]["jurisdictions"].as_array().unwrap() {
            assert_eq!(j["markets"], serde_json::json!(["uk"]), "{j}");
            assert_eq!(j["fallback"], false, "{j}");
        }
    }
    // The Irish teaser is judged by the UK pack now, not the EU pack.
    let flagged = &doc["runs"]["declared"]["flagged_compliant_cases"];
    let knit = flagged
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "ie-knit")
        .expect("ie-knit is flagged declared");
    assert!(
        knit["codes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.as_str().unwrap().starts_with("UK")),
        "{knit}"
    );

    let human = adlint(&["--markets", "run", FIXTURE]);
    assert_eq!(human.code, 0, "{human:?}");
    assert!(
        human
            .stdout
            .starts_with("11 cases from fixtures/eval/verdicts.jsonl: 7 violations, 4 compliant (3 adequate); every case in us\n"),
        "{human:?}"
    );
    assert!(!human.stdout.contains('*'), "{human:?}");
}

#[test]
fn floors_fail_the_run_for_ci() {
    // Undeclared recall 5/7 = 0.714, declared 7/7; one adequate case flagged undeclared.
    for (flags, code, says) in [
        (&["--min-undeclared", "0.7"][..], 0, ""),
        (
            &["--min-undeclared", "0.75"][..],
            1,
            "adlint: undeclared violation recall 0.714 is below --min-undeclared 0.75\n",
        ),
        (&["--min-declared", "1"][..], 0, ""),
        (&["--max-adequate-flagged", "1"][..], 0, ""),
        (
            &["--max-adequate-flagged", "0"][..],
            1,
            "adlint: 1 adequately labelled case flagged undeclared, more than --max-adequate-flagged 0\n",
        ),
        (
            &[
                "--min-undeclared",
                "0.8",
                "--min-declared",
                "0.9",
                "--max-adequate-flagged",
                "0",
            ][..],
            1,
            "adlint: undeclared violation recall 0.714 is below --min-undeclared 0.8\n\
             adlint: 1 adequately labelled case flagged undeclared, more than --max-adequate-flagged 0\n",
        ),
    ] {
        let mut args = flags.to_vec();
        args.push(FIXTURE);
        let run = adlint(&args);
        assert_eq!(run.code, code, "{flags:?}: {run:?}");
        let stderr: String = run
            .stderr
            .lines()
            .filter(|l| !l.starts_with("adlint: note:"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(stderr, says, "{flags:?}");
        assert!(
            run.stdout.contains("undeclared: violation recall"),
            "{run:?}"
        );
    }
    // A share is from 0 to 1.
    let run = adlint(&["--min-declared", "97", FIXTURE]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("between 0 and 1"), "{run:?}");
}

#[test]
fn bad_records_are_reported_by_line_and_the_rest_still_scored() {
    let text = [
        r##"{"id": "ok-1", "text": "Use my code SAVE10 for 10% off at @shoeco", "platform": "instagram", "sponsored": null, "verdict": "violation", "reason": "missing", "jurisdiction": "US-FTC"}"##,
        r##"{"id": "broken", "text": "#ad hi""##,
        "",
        r##"{"id": "no-verdict", "caption": "#ad hi", "expect": []}"##,
        r##"{"id": "odd", "text": "#ad hi", "platform": "instagram", "verdict": "guilty", "reason": "missing", "jurisdiction": "US-FTC"}"##,
        r##"{"id": "nowhere", "text": "#ad hi", "platform": "instagram", "verdict": "compliant", "reason": "adequate"}"##,
        r##"{"id": "ok-2", "text": "#ad my new @shoeco runners", "platform": "instagram", "sponsored": true, "verdict": "compliant", "reason": "adequate", "jurisdiction": "US-FTC"}"##,
    ]
    .join("\n");
    let dir = temp_file("cases.jsonl", &text);
    let run = adlint_in(dir.path(), &["--format", "json", "cases.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{run:?}");
    assert!(
        lines[0].starts_with("adlint: cases.jsonl:line 2: invalid JSON"),
        "{run:?}"
    );
    assert_eq!(
        lines[1],
        "adlint: cases.jsonl:line 4: this record has no `verdict`, but the file's first record \
         (line 1) makes it a verdict file (its records have `verdict`): one kind of record per file"
    );
    assert_eq!(
        lines[2],
        "adlint: cases.jsonl:line 5: `verdict` must be `violation` or `compliant`, found `guilty`"
    );
    assert!(
        lines[3].starts_with("adlint: cases.jsonl:line 6: no `jurisdiction`"),
        "{run:?}"
    );
    // The good records are still scored.
    let doc = run.json();
    assert_eq!(doc["cases"], 2);
    assert_eq!(figures(&doc["runs"]["undeclared"]), [1, 1, 0, 1, 0, 1]);

    // A floor missed on top of a bad record: the bad record decides.
    let run = adlint_in(dir.path(), &["--min-undeclared", "1", "cases.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");

    // A file that cannot be read.
    let run = adlint(&["fixtures/eval/no-such-file.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr,
        "adlint: fixtures/eval/no-such-file.jsonl: no such file or folder\n"
    );
}

#[test]
fn a_labelled_record_in_a_verdict_file_or_back_is_an_error() {
    let dir = temp_file(
        "labelled.jsonl",
        "{\"id\": \"a\", \"caption\": \"#ad hi\", \"expect\": []}\n\
         {\"id\": \"b\", \"text\": \"hi\", \"verdict\": \"violation\", \"jurisdiction\": \"UK-ASA\"}\n",
    );
    let run = adlint_in(dir.path(), &["labelled.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(
            "labelled.jsonl:line 2: this record has `verdict`, but the file's first record (line 1) makes it a labelled file"
        ),
        "{run:?}"
    );
    assert!(run.stdout.contains("exact match: 1/1 captions"), "{run:?}");
}

#[test]
fn flags_for_the_other_kind_of_file_are_refused() {
    let run = adlint(&["--min-exact", "0.9", FIXTURE]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr,
        "adlint: `--min-exact` does not apply to fixtures/eval/verdicts.jsonl: it is a verdict \
         file (its records have `verdict`)\n"
    );
    assert_eq!(run.stdout, "");
    let run = adlint(&["--markets", "run", "fixtures/eval/labelled.jsonl"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(
            "`--markets` does not apply to fixtures/eval/labelled.jsonl: it is a labelled file"
        ),
        "{run:?}"
    );
}
