//! Regulators' verdicts: hold the rules against posts a regulator, self-regulator or court has
//! judged. Each case is a post's text with its platform, the body's verdict (`violation` or
//! `compliant`), the reason and the jurisdiction (`UK-ASA`: the market is the country code
//! before the dash).
//!
//! Every case is checked twice, as a scorer of real decisions does: *undeclared* (nothing is
//! known about sponsorship: the record's own `sponsored` is set aside) and *declared* (every case
//! sponsored). A case is *flagged* when it gets at least one error or warning; advice does not
//! count. For each run: violation recall, compliant cases flagged and, among them, those the
//! body found adequately labelled (reason `adequate`), overall and per jurisdiction.

use std::collections::BTreeMap;
use std::io::Write;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::{Outcome, Record, Ui, at_line, fmt, ratio};
use crate::caption::{Caption, Place};
use crate::cli::{EvalArgs, EvalMarkets, ListFormat};
use crate::input::record::{self, SponsoredValue, Values};
use crate::input::{InputError, ReadOptions};
use crate::rules::{RuleSet, Severity};

/// The reason that marks a compliant case as adequately labelled.
const ADEQUATE: &str = "adequate";

/// How many characters of a case's text a listing shows.
const EXCERPT: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Violation,
    Compliant,
}

/// One judged post, read and validated.
struct Case {
    id: String,
    /// The caption with its platform; sponsorship and markets are set per run.
    caption: Caption,
    verdict: Verdict,
    /// Why the body decided as it did (`missing`, `adequate`, ...), as written.
    reason: Option<String>,
    /// As written (`UK-ASA`).
    jurisdiction: String,
    /// The lower-cased country code before the dash (`uk`).
    country: String,
}

impl Case {
    fn adequate(&self) -> bool {
        self.verdict == Verdict::Compliant && self.reason.as_deref() == Some(ADEQUATE)
    }
}

/// The two runs over every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Sponsorship not given.
    Undeclared,
    /// Every case declared sponsored.
    Declared,
}

impl Mode {
    const BOTH: [Mode; 2] = [Mode::Undeclared, Mode::Declared];

    fn name(self) -> &'static str {
        match self {
            Mode::Undeclared => "undeclared",
            Mode::Declared => "declared",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Mode::Undeclared => "sponsorship not given",
            Mode::Declared => "every case declared sponsored",
        }
    }

    fn sponsored(self) -> Option<bool> {
        match self {
            Mode::Undeclared => None,
            Mode::Declared => Some(true),
        }
    }
}

/// What adlint found for one case in one run.
#[derive(Debug, Default, Clone)]
struct Found {
    /// Error and warning codes: the ones that flag the case.
    codes: Vec<String>,
    /// Advice codes, shown but never counted.
    advice: Vec<String>,
}

impl Found {
    fn flagged(&self) -> bool {
        !self.codes.is_empty()
    }
}

/// The markets a case is checked in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Markets {
    /// Set on the caption: the case's own market, or nothing for the run's markets.
    caption: Vec<String>,
    /// Whether the case wanted its own market but no loaded pack declares it.
    fallback: bool,
}

/// Counts for a set of cases in one run.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    violations: usize,
    flagged_violations: usize,
    compliant: usize,
    flagged_compliant: usize,
    adequate: usize,
    flagged_adequate: usize,
}

impl Tally {
    fn add(&mut self, case: &Case, found: &Found) {
        let flagged = usize::from(found.flagged());
        match case.verdict {
            Verdict::Violation => {
                self.violations += 1;
                self.flagged_violations += flagged;
            }
            Verdict::Compliant => {
                self.compliant += 1;
                self.flagged_compliant += flagged;
            }
        }
        if case.adequate() {
            self.adequate += 1;
            self.flagged_adequate += flagged;
        }
    }

    fn recall(&self) -> Option<f64> {
        ratio(self.flagged_violations, self.violations)
    }

    fn json(&self) -> Map<String, Value> {
        let Value::Object(map) = json!({
            "violations": self.violations,
            "flagged_violations": self.flagged_violations,
            "recall": self.recall(),
            "compliant": self.compliant,
            "flagged_compliant": self.flagged_compliant,
            "adequate": self.adequate,
            "flagged_adequate": self.flagged_adequate,
        }) else {
            unreachable!("json! of an object is an object")
        };
        map
    }
}

/// One jurisdiction's row: the markets its cases ran in and a tally per run.
struct Row {
    markets: Vec<String>,
    fallback: bool,
    tallies: [Tally; 2],
}

/// Everything a report shows.
struct Scores<'c> {
    cases: &'c [Case],
    /// Per case, what each run found (undeclared, declared).
    found: Vec<[Found; 2]>,
    overall: [Tally; 2],
    rows: BTreeMap<String, Row>,
    mode: EvalMarkets,
    run_markets: Vec<String>,
    /// Countries no loaded pack declares, with their number of cases.
    fallbacks: BTreeMap<String, usize>,
}

/// Score the verdict records; records that cannot be scored join `errors`.
#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    args: &EvalArgs,
    rules: &RuleSet,
    options: &ReadOptions,
    source: &str,
    records: Vec<Record>,
    errors: &mut Vec<InputError>,
    out: &mut dyn Write,
    ui: &mut Ui<'_>,
) -> Outcome {
    // A case's context is its record and the run's, never config defaults.
    let mut options = options.clone();
    options.defaults.platform = None;
    options.defaults.sponsored = None;
    options.defaults.brands.clear();
    let cases: Vec<Case> = records
        .into_iter()
        .filter_map(|r| match case(source, &r, &options) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(e);
                None
            }
        })
        .collect();
    let mode = args.markets.unwrap_or(EvalMarkets::Own);
    let scores = score(&cases, rules, mode);
    if !scores.fallbacks.is_empty() {
        let list: Vec<String> = scores
            .fallbacks
            .iter()
            .map(|(country, n)| format!("{country} ({n} case{})", plural(*n)))
            .collect();
        let _ = writeln!(
            ui.stderr,
            "adlint: note: no loaded pack declares the market of {}; those cases are checked in the run's markets: {}",
            list.join(", "),
            scores.run_markets.join(", ")
        );
    }
    let written = match args.format {
        ListFormat::Human => write_human(out, &scores, source, args.verbose),
        ListFormat::Json => write_json(out, &scores),
    };
    let mut missed = Vec::new();
    let floors = [
        (Mode::Undeclared, args.min_undeclared, "--min-undeclared"),
        (Mode::Declared, args.min_declared, "--min-declared"),
    ];
    for (mode, floor, flag) in floors {
        let recall = scores.overall[mode as usize].recall();
        if let (Some(floor), Some(recall)) = (floor, recall)
            && recall < floor
        {
            missed.push(format!(
                "{} violation recall {recall:.3} is below {flag} {floor}",
                mode.name()
            ));
        }
    }
    let flagged_adequate = scores.overall[Mode::Undeclared as usize].flagged_adequate;
    if let Some(max) = args.max_adequate_flagged
        && flagged_adequate > max
    {
        missed.push(format!(
            "{flagged_adequate} adequately labelled case{} flagged undeclared, more than --max-adequate-flagged {max}",
            plural(flagged_adequate)
        ));
    }
    Outcome { written, missed }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Read one verdict record.
fn case(source: &str, r: &Record, options: &ReadOptions) -> Result<Case, InputError> {
    let obj = &r.obj;
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(_) | Value::Null) | None => None,
        Some(other) => {
            return Err(bad(
                source,
                r.line,
                None,
                format!(
                    "`id` must be a string or a number, found {}",
                    record::type_name(other)
                ),
            ));
        }
    };
    let error = |message: String| bad(source, r.line, id.clone(), message);
    let string = |key: &str| -> Result<Option<&str>, InputError> {
        match obj.get(key) {
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(Value::Null) | None => Ok(None),
            Some(other) => Err(error(format!(
                "`{key}` must be a string, found {}",
                record::type_name(other)
            ))),
        }
    };
    let text = string("text")?.ok_or_else(|| {
        let found: Vec<&str> = obj.keys().map(String::as_str).collect();
        error(format!(
            "no `text`: a verdict record needs the post's text; found: {}",
            found.join(", ")
        ))
    })?;
    let verdict = match string("verdict")?.map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if v == "violation" => Verdict::Violation,
        Some(v) if v == "compliant" => Verdict::Compliant,
        Some(v) => {
            return Err(error(format!(
                "`verdict` must be `violation` or `compliant`, found `{v}`"
            )));
        }
        None => return Err(error("`verdict` is null".into())),
    };
    let jurisdiction = string("jurisdiction")?
        .map(str::trim)
        .filter(|j| !j.is_empty())
        .ok_or_else(|| {
            error("no `jurisdiction`: name the body that judged the case (`UK-ASA`)".into())
        })?;
    let country = jurisdiction
        .split('-')
        .next()
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    if country.is_empty() {
        return Err(error(format!(
            "`jurisdiction` `{jurisdiction}` has no country code before its dash (`UK-ASA`)"
        )));
    }
    let reason = string("reason")?
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from);
    let platform = string("platform")?
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty() && p != "unknown")
        .map(|p| if p == "twitter" { "x".to_string() } else { p });
    // Set aside in both runs, but a record should still say it as a flag.
    if let Some(value) = obj.get("sponsored") {
        record::parse_sponsored(&SponsoredValue::Json(value)).map_err(|found| {
            error(format!(
                "`sponsored` must be true, false or null; found {found}"
            ))
        })?;
    }
    let values = Values {
        caption: Some(text),
        id: id.clone(),
        platform: platform.as_deref(),
        ..Values::default()
    };
    let caption = record::build(
        source,
        Place::Line(r.line),
        r.line.to_string(),
        values,
        options,
    )?;
    Ok(Case {
        id: id.unwrap_or_else(|| r.line.to_string()),
        caption,
        verdict,
        reason,
        jurisdiction: jurisdiction.to_string(),
        country,
    })
}

fn bad(source: &str, line: usize, id: Option<String>, message: String) -> InputError {
    InputError {
        record: id,
        ..at_line(source, line, message)
    }
}

/// The markets a case runs in: its own market as the loaded packs name it, or the run's.
fn markets(case: &Case, rules: &RuleSet, mode: EvalMarkets) -> Markets {
    if mode == EvalMarkets::Run {
        return Markets {
            caption: Vec::new(),
            fallback: false,
        };
    }
    let code = rules.market_table.normalise(&case.country);
    if rules.market_table.codes().contains(&code) {
        Markets {
            caption: vec![code],
            fallback: false,
        }
    } else {
        Markets {
            caption: Vec::new(),
            fallback: true,
        }
    }
}

/// Check every case in both runs and count.
fn score<'c>(cases: &'c [Case], rules: &RuleSet, mode: EvalMarkets) -> Scores<'c> {
    let markets: Vec<Markets> = cases.iter().map(|c| markets(c, rules, mode)).collect();
    let found: Vec<[Found; 2]> = cases
        .par_iter()
        .zip(markets.par_iter())
        .map(|(case, markets)| Mode::BOTH.map(|m| check(case, markets, m, rules)))
        .collect();
    let run_markets = rules.markets.clone();
    let mut overall = [Tally::default(); 2];
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut fallbacks: BTreeMap<String, usize> = BTreeMap::new();
    for ((case, found), markets) in cases.iter().zip(&found).zip(&markets) {
        if markets.fallback {
            *fallbacks.entry(case.country.clone()).or_default() += 1;
        }
        let row = rows
            .entry(case.jurisdiction.clone())
            .or_insert_with(|| Row {
                markets: if markets.caption.is_empty() {
                    run_markets.clone()
                } else {
                    markets.caption.clone()
                },
                fallback: markets.fallback,
                tallies: [Tally::default(); 2],
            });
        for m in Mode::BOTH {
            overall[m as usize].add(case, &found[m as usize]);
            row.tallies[m as usize].add(case, &found[m as usize]);
        }
    }
    Scores {
        cases,
        found,
        overall,
        rows,
        mode,
        run_markets,
        fallbacks,
    }
}

fn check(case: &Case, markets: &Markets, mode: Mode, rules: &RuleSet) -> Found {
    let mut caption = case.caption.clone();
    caption.sponsored = mode.sponsored();
    caption.markets = markets.caption.clone();
    let mut found = Found::default();
    for d in crate::engine::check(&caption, rules) {
        let codes = if d.severity == Severity::Advice {
            &mut found.advice
        } else {
            &mut found.codes
        };
        if !codes.contains(&d.code) {
            codes.push(d.code);
        }
    }
    found.codes.sort();
    found.advice.sort();
    found
}

/// The first [`EXCERPT`] characters of a text, and whether there was more.
fn excerpt(text: &str) -> (String, bool) {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(EXCERPT).collect();
    (head, chars.next().is_some())
}

fn write_human(
    out: &mut dyn Write,
    s: &Scores<'_>,
    source: &str,
    verbose: bool,
) -> std::io::Result<()> {
    let total = s.overall[0];
    let markets = match s.mode {
        EvalMarkets::Own => "each case in its own market".to_string(),
        EvalMarkets::Run => format!("every case in {}", s.run_markets.join(", ")),
    };
    writeln!(
        out,
        "{} case{} from {source}: {} violation{}, {} compliant ({} adequate); {markets}",
        s.cases.len(),
        plural(s.cases.len()),
        total.violations,
        plural(total.violations),
        total.compliant,
        total.adequate,
    )?;
    let width = s
        .rows
        .keys()
        .map(|j| j.chars().count())
        .max()
        .unwrap_or(0)
        .max("JURISDICTION".len());
    let market_cell = |row: &Row| {
        let m = row.markets.join(",");
        if row.fallback { format!("{m}*") } else { m }
    };
    let market_width = s
        .rows
        .values()
        .map(|r| market_cell(r).chars().count())
        .max()
        .unwrap_or(0)
        .max("MARKET".len());
    for mode in Mode::BOTH {
        let i = mode as usize;
        writeln!(out)?;
        writeln!(out, "{}: {}", mode.name(), mode.what())?;
        writeln!(
            out,
            "{:<width$}  {:<market_width$}  {:>10}  {:>7}  {:>6}  {:>9}  {:>7}  {:>8}  {:>7}",
            "JURISDICTION",
            "MARKET",
            "VIOLATIONS",
            "FLAGGED",
            "RECALL",
            "COMPLIANT",
            "FLAGGED",
            "ADEQUATE",
            "FLAGGED"
        )?;
        let line = |out: &mut dyn Write, name: &str, market: &str, t: &Tally| {
            writeln!(
                out,
                "{name:<width$}  {market:<market_width$}  {:>10}  {:>7}  {:>6}  {:>9}  {:>7}  {:>8}  {:>7}",
                t.violations,
                t.flagged_violations,
                fmt(t.recall()),
                t.compliant,
                t.flagged_compliant,
                t.adequate,
                t.flagged_adequate
            )
        };
        for (jurisdiction, row) in &s.rows {
            line(out, jurisdiction, &market_cell(row), &row.tallies[i])?;
        }
        line(out, "all", "", &s.overall[i])?;
        if verbose {
            for (case, found) in s.cases.iter().zip(&s.found) {
                let found = &found[i];
                let what = match (case.verdict, found.flagged()) {
                    (Verdict::Violation, false) => "missed",
                    (Verdict::Compliant, true) => "flagged compliant",
                    _ => continue,
                };
                let codes = if found.codes.is_empty() {
                    "nothing".to_string()
                } else {
                    found.codes.join(", ")
                };
                let advice = if found.advice.is_empty() {
                    String::new()
                } else {
                    format!(" (advice: {})", found.advice.join(", "))
                };
                let (head, more) = excerpt(&case.caption.text);
                writeln!(
                    out,
                    "  {what} {} ({}, {}): found {codes}{advice}: {head:?}{}",
                    case.id,
                    case.jurisdiction,
                    case.reason.as_deref().unwrap_or("no reason"),
                    if more { "…" } else { "" }
                )?;
            }
        }
    }
    if s.rows.values().any(|r| r.fallback) {
        writeln!(
            out,
            "* no loaded pack declares this market: checked in the run's markets"
        )?;
    }
    writeln!(out)?;
    for mode in Mode::BOTH {
        let t = &s.overall[mode as usize];
        writeln!(
            out,
            "{:<11} violation recall {}/{} = {}; compliant flagged {}/{} (adequate: {}/{})",
            format!("{}:", mode.name()),
            t.flagged_violations,
            t.violations,
            fmt(t.recall()),
            t.flagged_compliant,
            t.compliant,
            t.flagged_adequate,
            t.adequate
        )?;
    }
    Ok(())
}

fn write_json(out: &mut dyn Write, s: &Scores<'_>) -> std::io::Result<()> {
    let total = s.overall[0];
    let listing = |case: &Case, found: &Found| {
        json!({
            "id": case.id,
            "jurisdiction": case.jurisdiction,
            "reason": case.reason,
            "codes": found.codes,
            "advice": found.advice,
            "text": excerpt(&case.caption.text).0,
        })
    };
    let mut runs = Map::new();
    for mode in Mode::BOTH {
        let i = mode as usize;
        let mut run = s.overall[i].json();
        run.insert(
            "jurisdictions".into(),
            s.rows
                .iter()
                .map(|(jurisdiction, row)| {
                    let mut entry = row.tallies[i].json();
                    entry.insert("jurisdiction".into(), json!(jurisdiction));
                    entry.insert("markets".into(), json!(row.markets));
                    entry.insert("fallback".into(), json!(row.fallback));
                    Value::Object(entry)
                })
                .collect(),
        );
        let pick = |verdict: Verdict, flagged: bool| -> Vec<Value> {
            s.cases
                .iter()
                .zip(&s.found)
                .filter(|(c, f)| c.verdict == verdict && f[i].flagged() == flagged)
                .map(|(c, f)| listing(c, &f[i]))
                .collect()
        };
        run.insert(
            "missed_violations".into(),
            pick(Verdict::Violation, false).into(),
        );
        run.insert(
            "flagged_compliant_cases".into(),
            pick(Verdict::Compliant, true).into(),
        );
        runs.insert(mode.name().into(), Value::Object(run));
    }
    let doc = json!({
        "kind": "verdicts",
        "markets": match s.mode {
            EvalMarkets::Own => "own",
            EvalMarkets::Run => "run",
        },
        "run_markets": s.run_markets,
        "fallback_markets": s.fallbacks,
        "cases": s.cases.len(),
        "violations": total.violations,
        "compliant": total.compliant,
        "adequate": total.adequate,
        "runs": runs,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<Case, InputError> {
        let record = Record {
            line: 3,
            obj: serde_json::from_str(line).unwrap(),
        };
        case("v.jsonl", &record, &ReadOptions::default())
    }

    #[test]
    fn a_verdict_record_becomes_a_case() {
        let c = read(
            r#"{"id": "c1", "text": "hello", "platform": "Twitter", "sponsored": null, "verdict": "violation", "reason": "missing", "jurisdiction": "SE-RO", "extra": [1]}"#,
        )
        .unwrap();
        assert_eq!(c.id, "c1");
        assert_eq!(c.caption.platform.as_deref(), Some("x"));
        assert_eq!(c.caption.sponsored, None);
        assert_eq!(c.country, "se");
        assert_eq!(c.verdict, Verdict::Violation);
        let c = read(
            r#"{"id": 7, "text": "hi", "platform": "unknown", "verdict": "compliant", "reason": "adequate", "jurisdiction": "UK-ASA"}"#,
        )
        .unwrap();
        assert_eq!((c.id.as_str(), c.caption.platform.as_deref()), ("7", None));
        assert!(c.adequate());
        assert_eq!(c.country, "uk");
    }

    #[test]
    fn bad_verdict_records_say_why() {
        for (line, says) in [
            (
                r#"{"id": "a", "text": "x", "verdict": "guilty", "jurisdiction": "UK-ASA"}"#,
                "`verdict` must be `violation` or `compliant`, found `guilty`",
            ),
            (
                r#"{"id": "a", "verdict": "violation", "jurisdiction": "UK-ASA"}"#,
                "no `text`",
            ),
            (
                r#"{"id": "a", "text": "x", "verdict": "violation"}"#,
                "no `jurisdiction`",
            ),
            (
                r#"{"id": "a", "text": "x", "verdict": "violation", "jurisdiction": "-ASA"}"#,
                "no country code",
            ),
            (
                r#"{"id": "a", "text": "x", "verdict": "violation", "jurisdiction": "UK", "sponsored": "perhaps"}"#,
                "`sponsored` must be true, false or null",
            ),
            (
                r#"{"id": "a", "text": " ", "verdict": "violation", "jurisdiction": "UK"}"#,
                "the caption is empty",
            ),
        ] {
            let e = read(line)
                .err()
                .unwrap_or_else(|| panic!("{line} was read"));
            assert!(e.message.contains(says), "{line}: {}", e.message);
            assert_eq!(e.place, Some(Place::Line(3)));
        }
    }

    #[test]
    fn excerpts_stop_at_a_hundred_characters() {
        let text = "é".repeat(150);
        let (head, more) = excerpt(&text);
        assert_eq!(head.chars().count(), 100);
        assert!(more);
        assert_eq!(excerpt("short"), ("short".to_string(), false));
    }
}
