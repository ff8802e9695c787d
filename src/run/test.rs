//! `adlint test [PATH]...`: run the example captions embedded in rule packs, like
//! `semgrep --test`. Exit 0 when every example behaves, 1 when one does not, 2 when a rule file
//! cannot be loaded.

use std::io::Write;

use super::{Ui, exit, io_outcome, print_rule_errors, rule_files};
use crate::cli::TestArgs;
use crate::examples::{self, Outcome};
use crate::rules::{self, RuleSet};

pub fn run(args: &TestArgs, out: &mut dyn Write, ui: &mut Ui<'_>) -> u8 {
    let mut sources = rules::builtin::sources();
    let mut user_files = Vec::new();
    for path in &args.paths {
        match rule_files(path) {
            Ok(files) => {
                user_files.extend(files.iter().map(|f| f.name.clone()));
                sources.extend(files);
            }
            Err(e) => return ui.fail(&e),
        }
    }
    let rules = match rules::load(&sources) {
        Ok(rules) => rules,
        Err(errors) => {
            print_rule_errors(ui, &errors);
            return exit::TROUBLE;
        }
    };
    let builtin = args.paths.is_empty() || args.builtin;
    let tested: Vec<bool> = rules
        .packs
        .iter()
        .map(|p| user_files.contains(&p.origin) || (builtin && p.origin.starts_with("<built-in>")))
        .collect();
    if !rules.rules.iter().any(|r| tested[r.pack]) {
        let _ = writeln!(
            ui.stderr,
            "adlint: no rules with examples in {}",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return exit::TROUBLE;
    }
    let outcomes = examples::run(&rules, |r| tested[r.pack]);
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    let written = report(out, &rules, &tested, &outcomes, args.verbose);
    io_outcome(
        written,
        if failed == 0 {
            exit::CLEAN
        } else {
            exit::FINDINGS
        },
    )
}

fn report(
    out: &mut dyn Write,
    rules: &RuleSet,
    tested: &[bool],
    outcomes: &[Outcome<'_>],
    verbose: bool,
) -> std::io::Result<()> {
    for o in outcomes.iter().filter(|o| verbose || !o.passed()) {
        let (status, expectation) = match (o.passed(), o.should_fire) {
            (true, true) => ("ok  ", "fires"),
            (true, false) => ("ok  ", "stays quiet"),
            (false, true) => ("FAIL", "should fire but did not"),
            (false, false) => ("FAIL", "should stay quiet but fired"),
        };
        let found = if o.found.is_empty() {
            "nothing".to_string()
        } else {
            o.found.join(", ")
        };
        writeln!(
            out,
            "{status} {} {} ({}): {} example {expectation}; found {found}",
            o.rule.code,
            o.rule.name,
            rules.packs[o.rule.pack].origin,
            if o.should_fire { "fail" } else { "pass" },
        )?;
        if !o.passed() || verbose {
            for line in o.example.caption.lines() {
                writeln!(out, "       | {line}")?;
            }
        }
    }
    for (i, pack) in rules.packs.iter().enumerate().filter(|(i, _)| tested[*i]) {
        let mine: Vec<&Outcome<'_>> = outcomes.iter().filter(|o| o.rule.pack == i).collect();
        let rule_count = rules.rules.iter().filter(|r| r.pack == i).count();
        let failed = mine.iter().filter(|o| !o.passed()).count();
        writeln!(
            out,
            "pack {} {}: {} rules, {} examples, {}",
            pack.name,
            pack.version,
            rule_count,
            mine.len(),
            if failed == 0 {
                "all behave".to_string()
            } else {
                format!("{failed} failed")
            }
        )?;
    }
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    writeln!(
        out,
        "{} examples: {} passed, {failed} failed",
        outcomes.len(),
        outcomes.len() - failed
    )
}
