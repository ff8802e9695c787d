//! Every example embedded in every built-in rule behaves as documented: failing examples
//! produce the rule's code, passing examples do not. `adlint test` runs the same check; see
//! `packs::adlint_test_passes_on_every_builtin_pack`.

#[test]
fn every_builtin_rule_example_behaves() {
    let rules = adlint::builtin_rules().expect("built-in rules load");
    let failures: Vec<String> = adlint::examples::run(&rules, |_| true)
        .iter()
        .filter(|o| !o.passed())
        .map(|o| {
            let verb = if o.should_fire {
                "should fire on"
            } else {
                "should not fire on"
            };
            format!(
                "{} {verb} {:?}; found {:?}",
                o.rule.code, o.example.caption, o.found
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "rule examples:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_builtin_rule_has_examples_and_a_source() {
    let rules = adlint::builtin_rules().unwrap();
    let per_pack: Vec<(String, usize)> = rules
        .packs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = rules.rules.iter().filter(|r| r.pack == i).count();
            (p.name.clone(), n)
        })
        .collect();
    // Packs load in file-name order (`build.rs` lists every `rules/*.toml`).
    let expected: Vec<(String, usize)> = [
        ("au", 8),
        ("ca", 8),
        ("de", 8),
        ("dk", 13),
        ("es", 12),
        ("eu", 9),
        ("fi", 13),
        ("fr", 11),
        ("ftc", 13),
        ("ie", 11),
        ("it", 11),
        ("nl", 12),
        ("no", 14),
        ("pl", 12),
        ("se", 13),
        ("uk", 11),
    ]
    .iter()
    .map(|(n, c)| (n.to_string(), *c))
    .collect();
    assert_eq!(per_pack, expected);
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
fn every_builtin_pack_declares_its_market_version_and_sources_date() {
    let rules = adlint::builtin_rules().unwrap();
    let markets: Vec<Option<&str>> = rules
        .packs
        .iter()
        .map(|p| p.jurisdiction.as_deref())
        .collect();
    assert_eq!(
        markets,
        [
            Some("au"),
            Some("ca"),
            Some("de"),
            Some("dk"),
            Some("es"),
            Some("eu"),
            Some("fi"),
            Some("fr"),
            Some("us"),
            Some("ie"),
            Some("it"),
            Some("nl"),
            Some("no"),
            Some("pl"),
            Some("se"),
            Some("uk"),
        ]
    );
    for p in &rules.packs {
        assert!(!p.version.is_empty(), "{}", p.name);
        assert_eq!(p.sources_read.len(), 10, "{}: {}", p.name, p.sources_read);
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
