//! Running the example captions embedded in rules: every `fail` example must trigger its rule
//! and no `pass` example may. `adlint test` and the project's own tests both use this.

use crate::caption::Caption;
use crate::rules::{Example, Rule, RuleSet};

/// One example run against its rule.
#[derive(Debug)]
pub struct Outcome<'r> {
    pub rule: &'r Rule,
    pub example: &'r Example,
    /// `true` for a `fail` example (the rule must fire), `false` for a `pass` example.
    pub should_fire: bool,
    /// Every code the rule set reported on the example, in report order.
    pub found: Vec<String>,
}

impl Outcome<'_> {
    /// Whether the rule behaved as the example says.
    pub fn passed(&self) -> bool {
        self.found.contains(&self.rule.code) == self.should_fire
    }
}

/// The caption an example describes, in its pack's market so that the pack runs.
pub fn caption(example: &Example, rule: &Rule, rules: &RuleSet) -> Caption {
    let mut c = Caption::new(example.caption.clone());
    c.platform = example.platform.clone();
    c.sponsored = example.sponsored;
    c.brands = example.brands.clone();
    c.paid_partnership_label = example.paid_partnership_label;
    if let Some(j) = rules
        .packs
        .get(rule.pack)
        .and_then(|p| p.jurisdiction.clone())
    {
        c.markets = vec![j];
    }
    c
}

/// Run the examples of every rule `keep` accepts, in rule order.
pub fn run<'r>(rules: &'r RuleSet, keep: impl Fn(&Rule) -> bool) -> Vec<Outcome<'r>> {
    let mut out = Vec::new();
    for rule in rules.rules.iter().filter(|r| keep(r)) {
        for (examples, should_fire) in [(&rule.fail_examples, true), (&rule.pass_examples, false)] {
            for example in examples {
                let found = crate::engine::check(&caption(example, rule, rules), rules)
                    .into_iter()
                    .map(|d| d.code)
                    .collect();
                out.push(Outcome {
                    rule,
                    example,
                    should_fire,
                    found,
                });
            }
        }
    }
    out
}
