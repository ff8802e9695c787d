//! Every example embedded in every built-in rule behaves as documented: failing examples
//! produce the rule's code, passing examples do not.

use adlint::caption::Caption;
use adlint::rules::Example;

fn caption(e: &Example) -> Caption {
    let mut c = Caption::new(e.caption.clone());
    c.platform = e.platform.clone();
    c.sponsored = e.sponsored;
    c.brands = e.brands.clone();
    c
}

#[test]
fn every_builtin_rule_example_behaves() {
    let rules = adlint::builtin_rules().expect("built-in rules load");
    let mut failures = Vec::new();
    for rule in &rules.rules {
        for (examples, should_fire) in [(&rule.fail_examples, true), (&rule.pass_examples, false)] {
            for e in examples {
                let found = adlint::engine::check(&caption(e), &rules);
                let fired = found.iter().any(|d| d.code == rule.code);
                if fired != should_fire {
                    let verb = if should_fire {
                        "should fire on"
                    } else {
                        "should not fire on"
                    };
                    failures.push(format!(
                        "{} {verb} {:?}; found {:?}",
                        rule.code,
                        e.caption,
                        found.iter().map(|d| &d.code).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "rule examples:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_builtin_rule_has_examples_and_a_source() {
    let rules = adlint::builtin_rules().unwrap();
    assert_eq!(rules.rules.len(), 13);
    for rule in &rules.rules {
        assert!(
            !rule.fail_examples.is_empty() && !rule.pass_examples.is_empty(),
            "{}",
            rule.code
        );
        assert!(rule.source.starts_with("https://"), "{}", rule.code);
    }
}

#[test]
fn rule_codes_and_names_are_stable() {
    let rules = adlint::builtin_rules().unwrap();
    let codes: Vec<String> = rules
        .rules
        .iter()
        .map(|r| format!("{} {} {}", r.code, r.name, r.severity))
        .collect();
    insta::assert_snapshot!(codes.join("\n"));
}
