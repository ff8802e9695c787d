//! The GitHub Action's script (`action/run.sh`), run as `action.yml` runs it: arguments one
//! per line with no shell splitting or globbing by the runner, globs in paths expanded by the
//! script, the default file kinds, and the job summary with the note when annotations are cut.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::Run;

fn script() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("action/run.sh")
        .display()
        .to_string()
}

/// Run the script in `dir` with `adlint` standing for the binary.
fn run_script(dir: &Path, adlint: &str, mode: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new("bash");
    command
        .current_dir(dir)
        .arg(script())
        .args(mode)
        .env("ADLINT", adlint)
        .env("LC_ALL", "C")
        .env_remove("ADLINT_ARGS")
        .env_remove("ADLINT_PATHS")
        .env_remove("ADLINT_SARIF")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_ACTIONS");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("bash runs").into()
}

/// A stand-in for adlint that prints each argument it was given on its own line.
fn echo_args(dir: &Path) -> String {
    let path = dir.join("fake-adlint");
    fs::write(
        &path,
        "#!/usr/bin/env bash\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    path.display().to_string()
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for folder in ["exports/2026", "drafts", "captions", "node_modules/pkg"] {
        fs::create_dir_all(p.join(folder)).unwrap();
    }
    let flagged = "new serum from @glowlab use code GLOW10 for 10% off";
    for file in [
        "exports/a.csv",
        "exports/2026/b.csv",
        "drafts/d.csv",
        "node_modules/pkg/e.csv",
    ] {
        fs::write(p.join(file), format!("id,caption\n1,{flagged}\n")).unwrap();
    }
    fs::write(
        p.join("exports/c.jsonl"),
        format!("{{\"id\": \"j\", \"caption\": \"{flagged}\"}}\n"),
    )
    .unwrap();
    fs::write(p.join("captions/launch.txt"), flagged).unwrap();
    fs::write(p.join("package.json"), "{\"name\": \"site\"}").unwrap();
    fs::write(p.join("README.md"), "# Site").unwrap();
    dir
}

#[test]
fn tricky_arguments_arrive_as_written() {
    let dir = tree();
    let fake = echo_args(dir.path());
    let args = "--brand\nLumen Home\n--brand Café & Co\n--exclude\n'drafts/**'\n--exclude drafts/**\n  --fail-on=warning  \n# a comment\n\n--caption-field\n*.csv\n";
    let paths = "exports/**/*.csv\nexports/c.jsonl\nno such *.csv\nname with spaces.csv\n";
    let run = run_script(
        dir.path(),
        &fake,
        &["gate"],
        &[("ADLINT_ARGS", args), ("ADLINT_PATHS", paths)],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let got: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        got,
        [
            "[check]",
            "[--format]",
            "[github]",
            "[--no-progress]",
            "[--brand]",
            "[Lumen Home]",
            "[--brand]",
            "[Café & Co]",
            "[--exclude]",
            // Quotes are the user's: kept, never interpreted.
            "['drafts/**']",
            "[--exclude]",
            "[drafts/**]",
            "[--fail-on=warning]",
            "[--caption-field]",
            // An argument is not a path: never expanded.
            "[*.csv]",
            "[--]",
            // The script expands globs in paths, `**` included, in sorted order.
            "[exports/2026/b.csv]",
            "[exports/a.csv]",
            "[exports/c.jsonl]",
            // A glob that matches nothing is passed on, for adlint to report.
            "[no such *.csv]",
            "[name with spaces.csv]",
        ],
        "{run:?}"
    );
    assert!(
        run.stderr.contains("no file matches `no such *.csv`"),
        "{run:?}"
    );
}

#[test]
fn with_no_paths_the_export_kinds_are_checked() {
    let dir = tree();
    let run = run_script(
        dir.path(),
        env!("CARGO_BIN_EXE_adlint"),
        &["gate"],
        &[("ADLINT_ARGS", "--no-config\n")],
    );
    let files: std::collections::BTreeSet<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split("file=").nth(1))
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        [
            "captions/launch.txt",
            "drafts/d.csv",
            "exports/2026/b.csv",
            "exports/a.csv",
            "exports/c.jsonl"
        ],
        "not package.json, README.md or node_modules: {run:?}"
    );
}

#[test]
fn sarif_mode_writes_the_file_and_exits_0() {
    let dir = tree();
    let run = run_script(
        dir.path(),
        env!("CARGO_BIN_EXE_adlint"),
        &["sarif", "out.sarif"],
        &[
            ("ADLINT_ARGS", "--no-config"),
            ("ADLINT_PATHS", "exports/a.csv"),
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let log: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out.sarif")).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
}

#[test]
fn the_job_summary_counts_every_finding_and_the_log_says_when_annotations_are_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,creator,caption\n");
    csv.push_str("p-<b>|x,@cx,\"two #spon problems: use code GLOW5, @glowlab\"\n");
    for i in 0..14 {
        csv.push_str(&format!(
            "p-{i},@c{i},new serum from @glowlab use code GLOW{i} for 10% off\n"
        ));
    }
    fs::write(dir.path().join("posts.csv"), csv).unwrap();
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "earlier step\n").unwrap();
    let run = run_script(
        dir.path(),
        env!("CARGO_BIN_EXE_adlint"),
        &["gate"],
        &[
            ("ADLINT_ARGS", "--no-config"),
            ("ADLINT_PATHS", "posts.csv"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
            (
                "ADLINT_SARIF",
                "https://github.com/o/r/security/code-scanning?query=tool%3Aadlint",
            ),
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout.matches("::error ").count(), 15, "{run:?}");
    assert!(
        run.stdout.contains(
            "adlint: GitHub shows only the first 10 error, 10 warning and 10 notice annotations of a step: 5 of"
        ),
        "{run:?}"
    );
    let md = fs::read_to_string(&summary).unwrap();
    insta::assert_snapshot!("job_summary", md);
    // Appended to what earlier steps wrote.
    assert!(
        md.starts_with("earlier step\n## adlint: 15 captions checked"),
        "{md}"
    );
    assert!(md.contains("| Errors | 15 |"), "{md}");
    assert!(
        md.contains("| `FTC001` missing-disclosure | error | 14 |"),
        "{md}"
    );
    assert!(md.contains("### Worst records"), "{md}");
    assert_eq!(
        md.matches("| posts.csv:row").count(),
        10,
        "at most 10 records: {md}"
    );
    // Cells cannot break the table or carry markup.
    assert!(!md.contains("<b>"), "{md}");
    assert!(
        md.contains("| posts.csv:row 1 (post p-&lt;b&gt;\\|x) |"),
        "{md}"
    );
    assert!(
        md.contains("[code scanning results](https://github.com/o/r/security/code-scanning?query=tool%3Aadlint)"),
        "{md}"
    );
    // Without the variable, no summary and no error.
    let run = run_script(
        dir.path(),
        env!("CARGO_BIN_EXE_adlint"),
        &["gate"],
        &[
            ("ADLINT_ARGS", "--no-config"),
            ("ADLINT_PATHS", "posts.csv"),
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
}

#[test]
fn action_yml_runs_the_script_and_never_splits_inputs_in_the_shell() {
    let yml = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    assert_eq!(yml.matches("action/run.sh").count(), 2, "{yml}");
    assert!(!yml.contains("$ADLINT_ARGS $ADLINT_PATHS"), "{yml}");
    assert!(yml.contains("default: \"\""), "{yml}");
}
