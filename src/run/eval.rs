//! `adlint eval LABELLED.jsonl`: measure the rules against captions a person has labelled with
//! the codes they expect. Per rule: true positives, false positives, false negatives,
//! precision, recall and F1; per caption: whether its codes match the labels exactly.
//! Advice-level findings and labels are left out of every score.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use serde_json::{Value, json};

use super::{Ui, exit, io_outcome, prepare};
use crate::caption::Place;
use crate::cli::{ContextArgs, EvalArgs, ExportArgs, ListFormat};
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
    fn ratio(num: usize, den: usize) -> Option<f64> {
        (den > 0).then(|| num as f64 / den as f64)
    }

    fn precision(&self) -> Option<f64> {
        Self::ratio(self.tp, self.tp + self.fp)
    }

    fn recall(&self) -> Option<f64> {
        Self::ratio(self.tp, self.tp + self.fn_)
    }

    fn f1(&self) -> Option<f64> {
        Self::ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

pub fn run(args: &EvalArgs, out: &mut dyn Write, ui: &mut Ui<'_>) -> u8 {
    let Some((rules, _, options)) = prepare(
        &ContextArgs::default(),
        &ExportArgs::default(),
        &args.rule_args,
        ui,
    ) else {
        return exit::TROUBLE;
    };
    let scored = match score(args, &rules, &options) {
        Ok(s) => s,
        Err(e) => {
            let place = e.place.map(|p| format!(":{p}")).unwrap_or_default();
            let _ = writeln!(ui.stderr, "adlint: {}{place}: {}", e.source, e.message);
            return exit::TROUBLE;
        }
    };
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
    let share = if scored.is_empty() {
        0.0
    } else {
        exact as f64 / scored.len() as f64
    };
    let written = match args.format {
        ListFormat::Json => write_json(out, &per_rule, &scored, exact),
        ListFormat::Human => write_human(out, &per_rule, &scored, exact, args.verbose),
    };
    let code = match args.min_exact {
        Some(min) if share < min => exit::FINDINGS,
        _ => exit::CLEAN,
    };
    io_outcome(written, code)
}

/// Read the labelled file and check every caption.
fn score(
    args: &EvalArgs,
    rules: &RuleSet,
    options: &ReadOptions,
) -> Result<Vec<Scored>, InputError> {
    let source = args.file.display().to_string();
    let text = crate::limits::read_text(&args.file, crate::limits::EVAL_FILE)
        .map_err(|e| InputError::whole(&source, e.reason("labelled files")))?;
    let advice: BTreeSet<&str> = rules
        .rules
        .iter()
        .filter(|r| r.severity == Severity::Advice)
        .map(|r| r.code.as_str())
        .collect();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let error = |message: String| InputError {
            source: source.clone(),
            record: None,
            place: Some(Place::Line(n)),
            message,
        };
        if line.trim().is_empty() {
            continue;
        }
        let obj = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(obj)) => obj,
            Ok(_) => return Err(error("a labelled caption must be a JSON object".into())),
            Err(e) => return Err(error(format!("not JSON: {e}"))),
        };
        let expected = match obj.get("expect") {
            Some(Value::Array(codes)) => codes
                .iter()
                .map(|c| c.as_str().map(String::from))
                .collect::<Option<BTreeSet<String>>>()
                .ok_or_else(|| error("`expect` must be a list of rule codes".into()))?,
            Some(Value::Null) | None => BTreeSet::new(),
            Some(_) => return Err(error("`expect` must be a list of rule codes".into())),
        };
        let caption =
            record::from_json_object(&source, Place::Line(n), n.to_string(), &obj, options)?;
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
    Ok(out)
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.3}"))
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
    let share = if scored.is_empty() {
        0.0
    } else {
        100.0 * exact as f64 / scored.len() as f64
    };
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
        "exact_rate": if scored.is_empty() { None } else { Some(exact as f64 / scored.len() as f64) },
        "mismatches": scored.iter().filter(|s| s.found != s.expected).map(|s| json!({
            "id": s.id,
            "expected": s.expected,
            "found": s.found,
        })).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
