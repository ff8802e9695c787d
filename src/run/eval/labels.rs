//! Labelled captions: measure the rules against captions a person has labelled with the codes
//! they expect. Per rule: true positives, false positives, false negatives, precision, recall
//! and F1; per caption: whether its codes match the labels exactly. Advice-level findings and
//! labels are left out of every score.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use serde_json::{Value, json};

use super::{Outcome, Record, at_line, fmt, ratio};
use crate::caption::Place;
use crate::cli::{EvalArgs, ListFormat};
use crate::input::{InputError, ReadOptions, record};
use crate::rules::{RuleSet, Severity};

/// One labelled caption: its id, the codes expected and the codes found.
struct Scored {
    id: String,
    expected: BTreeSet<String>,
    found: BTreeSet<String>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    fn f1(&self) -> Option<f64> {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

/// Score the labelled records; records that cannot be scored join `errors`.
pub(super) fn run(
    args: &EvalArgs,
    rules: &RuleSet,
    options: &ReadOptions,
    source: &str,
    records: Vec<Record>,
    errors: &mut Vec<InputError>,
    out: &mut dyn Write,
) -> Outcome {
    let scored = score(rules, options, source, records, errors);
    let mut per_rule: BTreeMap<String, Counts> = BTreeMap::new();
    for s in &scored {
        for code in s.found.union(&s.expected) {
            let c = per_rule.entry(code.clone()).or_default();
            match (s.found.contains(code), s.expected.contains(code)) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                _ => c.fn_ += 1,
            }
        }
    }
    let exact = scored.iter().filter(|s| s.found == s.expected).count();
    let share = ratio(exact, scored.len()).unwrap_or(0.0);
    let written = match args.format {
        ListFormat::Json => write_json(out, &per_rule, &scored, exact),
        ListFormat::Human => write_human(out, &per_rule, &scored, exact, args.verbose),
    };
    let missed = match args.min_exact {
        Some(min) if share < min => vec![format!(
            "exact-match share {share:.3} is below --min-exact {min}"
        )],
        _ => Vec::new(),
    };
    Outcome { written, missed }
}

/// Check every labelled caption.
fn score(
    rules: &RuleSet,
    options: &ReadOptions,
    source: &str,
    records: Vec<Record>,
    errors: &mut Vec<InputError>,
) -> Vec<Scored> {
    let advice: BTreeSet<&str> = rules
        .rules
        .iter()
        .filter(|r| r.severity == Severity::Advice)
        .map(|r| r.code.as_str())
        .collect();
    let mut out = Vec::new();
    for Record { line: n, obj } in records {
        let expected = match obj.get("expect") {
            Some(Value::Array(codes)) => codes
                .iter()
                .map(|c| c.as_str().map(String::from))
                .collect::<Option<BTreeSet<String>>>(),
            Some(Value::Null) | None => Some(BTreeSet::new()),
            Some(_) => None,
        };
        let Some(expected) = expected else {
            errors.push(at_line(
                source,
                n,
                "`expect` must be a list of rule codes".into(),
            ));
            continue;
        };
        let caption =
            match record::from_json_object(source, Place::Line(n), n.to_string(), &obj, options) {
                Ok(c) => c,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
        let found = crate::engine::check(&caption, rules)
            .into_iter()
            .filter(|d| d.severity != Severity::Advice)
            .map(|d| d.code)
            .collect();
        out.push(Scored {
            id: caption.origin.record.unwrap_or_else(|| n.to_string()),
            expected: expected
                .into_iter()
                .filter(|c| !advice.contains(c.as_str()))
                .collect(),
            found,
        });
    }
    out
}

fn list(codes: &BTreeSet<String>) -> String {
    if codes.is_empty() {
        "nothing".into()
    } else {
        codes.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn write_human(
    out: &mut dyn Write,
    per_rule: &BTreeMap<String, Counts>,
    scored: &[Scored],
    exact: usize,
    verbose: bool,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<8} {:>4} {:>4} {:>4} {:>9} {:>6} {:>6}",
        "CODE", "TP", "FP", "FN", "PRECISION", "RECALL", "F1"
    )?;
    for (code, c) in per_rule {
        writeln!(
            out,
            "{code:<8} {:>4} {:>4} {:>4} {:>9} {:>6} {:>6}",
            c.tp,
            c.fp,
            c.fn_,
            fmt(c.precision()),
            fmt(c.recall()),
            fmt(c.f1())
        )?;
    }
    if verbose {
        for s in scored.iter().filter(|s| s.found != s.expected) {
            writeln!(
                out,
                "mismatch {}: expected {}; found {}",
                s.id,
                list(&s.expected),
                list(&s.found)
            )?;
        }
    }
    let share = 100.0 * ratio(exact, scored.len()).unwrap_or(0.0);
    writeln!(
        out,
        "exact match: {exact}/{} captions ({share:.1}%)",
        scored.len()
    )
}

fn write_json(
    out: &mut dyn Write,
    per_rule: &BTreeMap<String, Counts>,
    scored: &[Scored],
    exact: usize,
) -> std::io::Result<()> {
    let doc = json!({
        "rules": per_rule.iter().map(|(code, c)| json!({
            "code": code,
            "tp": c.tp,
            "fp": c.fp,
            "fn": c.fn_,
            "precision": c.precision(),
            "recall": c.recall(),
            "f1": c.f1(),
        })).collect::<Vec<_>>(),
        "captions": scored.len(),
        "exact": exact,
        "exact_rate": ratio(exact, scored.len()),
        "mismatches": scored.iter().filter(|s| s.found != s.expected).map(|s| json!({
            "id": s.id,
            "expected": s.expected,
            "found": s.found,
        })).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
