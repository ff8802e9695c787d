//! The JSON form of a finding: the contract `--format json`/`jsonl`, the HTTP API, the Python
//! package and the browser build all share. Keys and meanings are stable; new keys may be added.

mod compact;

use serde::Serialize;

use crate::caption::{Caption, Origin};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::{Example, Platform, Rule, RuleSet};
use crate::text::line_col;

/// The JSON form of one finding. Fields are in alphabetical order, the order `serde_json`
/// writes an object's keys in, so typed and `Value` output are the same bytes.
#[derive(Serialize)]
pub struct DiagnosticJson<'a> {
    code: &'a str,
    /// The finding's column on its line, in characters from 1.
    column: usize,
    fix: &'a Option<Fix>,
    help: &'a str,
    /// The finding's line in the caption, from 1.
    line: usize,
    message: &'a str,
    name: &'a str,
    severity: Severity,
    /// Byte offsets into the caption.
    span: SpanJson,
    url: &'a str,
}

#[derive(Serialize)]
struct SpanJson {
    end: usize,
    start: usize,
}

impl<'a> DiagnosticJson<'a> {
    /// `d`, found in the caption `text`.
    pub fn new(text: &str, d: &'a Diagnostic) -> Self {
        let (line, column) = line_col(text, d.span.start);
        DiagnosticJson {
            code: &d.code,
            column,
            fix: &d.fix,
            help: &d.help,
            line,
            message: &d.message,
            name: &d.name,
            severity: d.severity,
            span: SpanJson {
                end: d.span.end,
                start: d.span.start,
            },
            url: &d.url,
        }
    }
}

// The documents built from findings: what `adlint check --format json` writes and what the
// HTTP API and the browser build answer. Every struct lists its fields in the order they are
// written: alphabetical where the CLI builds the object as a map (serde_json sorts keys), as
// declared where it serializes a struct.

/// One checked caption in a document: `results[]` of `--format json`, a line of `jsonl`.
#[derive(Serialize)]
pub struct ResultJson<'a> {
    /// Findings the baseline absorbed (not in `diagnostics`), when there were some.
    #[serde(skip_serializing_if = "is_zero")]
    baselined: usize,
    diagnostics: Vec<DiagnosticJson<'a>>,
    /// The line of the file where the record starts, when known (JSONL, CSV, TSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    file_line: Option<usize>,
    platform: &'a str,
    record: &'a Option<String>,
    source: &'a str,
    /// The exact bytes of a file name that is not UTF-8 (base64); `source` shows them as `\xNN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    source_bytes: Option<String>,
}

impl<'a> ResultJson<'a> {
    /// `caption`, checked on `platform` (the resolved name), with its findings.
    pub fn new(caption: &'a Caption, platform: &'a str, diagnostics: &'a [Diagnostic]) -> Self {
        ResultJson {
            baselined: 0,
            diagnostics: diagnostics
                .iter()
                .map(|d| DiagnosticJson::new(&caption.text, d))
                .collect(),
            file_line: caption.origin.line,
            platform,
            record: &caption.origin.record,
            source: &caption.origin.source,
            source_bytes: None,
        }
    }

    /// How many of the caption's findings a baseline absorbed (left out of `diagnostics`).
    pub fn baselined(mut self, n: usize) -> Self {
        self.baselined = n;
        self
    }

    /// The source's exact bytes (base64), when its name is not UTF-8.
    pub fn source_bytes(mut self, bytes: Option<String>) -> Self {
        self.source_bytes = bytes;
        self
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A caption that was not checked (over the size limit, unreadable): `errors[]`.
#[derive(Serialize)]
struct ErrorJson {
    message: String,
    record: Option<String>,
    source: String,
}

/// How many findings of each severity one caption has: all that counts and thresholds need
/// of its findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub advice: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let mut tally = Tally::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Advice => tally.advice += 1,
            }
        }
        tally
    }

    /// The severities that occur, each with its count.
    pub fn by_severity(self) -> [(Severity, usize); 3] {
        [
            (Severity::Error, self.errors),
            (Severity::Warning, self.warnings),
            (Severity::Advice, self.advice),
        ]
    }
}

/// Counts over a document's captions (or a whole run's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub captions: usize,
    /// Captions with no error or warning (advice does not make a caption unclean).
    pub clean: usize,
    pub errors: usize,
    pub warnings: usize,
    pub advice: usize,
    pub failed_inputs: usize,
    /// Findings absorbed by a baseline: known, not new.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
}

impl Summary {
    /// Count one checked caption's findings.
    pub fn add(&mut self, diagnostics: &[Diagnostic]) {
        self.add_tally(Tally::of(diagnostics));
    }

    /// Count one checked caption by its findings' [`Tally`].
    pub fn add_tally(&mut self, tally: Tally) {
        self.captions += 1;
        self.errors += tally.errors;
        self.warnings += tally.warnings;
        self.advice += tally.advice;
        if tally.errors == 0 && tally.warnings == 0 {
            self.clean += 1;
        }
    }

    /// `3 captions: 1 error, 2 warnings, 0 advice; 0 clean`, for the end of a run.
    pub fn counts(&self) -> String {
        let mut line = format!(
            "{}: {}, {}, {} advice; {} clean",
            plural(self.captions, "caption"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            self.advice,
            self.clean
        );
        if self.failed_inputs > 0 {
            line.push_str(&format!(
                "; {} could not be read",
                plural(self.failed_inputs, "input")
            ));
        }
        if self.baselined > 0 {
            line.push_str(&format!(
                "; {} known from the baseline",
                plural(self.baselined, "finding")
            ));
        }
        line
    }
}

/// `1 caption`, `2 captions`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A pack that ran, with its version: `packs[]`.
#[derive(Serialize)]
struct PackJson<'a> {
    jurisdiction: &'a Option<String>,
    name: &'a str,
    sources_read: &'a str,
    title: &'a str,
    version: &'a str,
}

/// The whole `--format json` document, built one caption at a time:
/// `{version, results, errors, summary, packs}`.
pub struct Document<'a> {
    rules: &'a RuleSet,
    results: Vec<ResultJson<'a>>,
    errors: Vec<ErrorJson>,
    summary: Summary,
    /// Whether each pack ran: those of the run's markets, and those a caption's markets chose.
    used: Vec<bool>,
}

#[derive(Serialize)]
struct DocumentJson<'d> {
    version: u32,
    results: &'d [ResultJson<'d>],
    errors: &'d [ErrorJson],
    summary: &'d Summary,
    packs: Vec<PackJson<'d>>,
}

impl<'a> Document<'a> {
    pub fn new(rules: &'a RuleSet) -> Self {
        let active: Vec<usize> = rules.packs_for(&rules.markets).collect();
        Document {
            rules,
            results: Vec::new(),
            errors: Vec::new(),
            summary: Summary::default(),
            used: (0..rules.packs.len())
                .map(|i| active.contains(&i))
                .collect(),
        }
    }

    /// Add a checked caption with what the engine made of it ([`crate::engine::check_outcome`]).
    pub fn result(&mut self, caption: &'a Caption, outcome: &'a crate::engine::Outcome<'a>) {
        for &i in &outcome.packs {
            if let Some(used) = self.used.get_mut(i) {
                *used = true;
            }
        }
        self.summary.add(&outcome.diagnostics);
        self.results.push(ResultJson::new(
            caption,
            &outcome.platform.name,
            &outcome.diagnostics,
        ));
    }

    /// Add a caption that was not checked, and why.
    pub fn error(&mut self, origin: &Origin, message: impl Into<String>) {
        self.summary.failed_inputs += 1;
        self.errors.push(ErrorJson {
            message: message.into(),
            record: origin.record.clone(),
            source: origin.source.clone(),
        });
    }

    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// The document as `adlint check --format json` prints it: indented by two spaces, with a
    /// final newline.
    pub fn to_json(&self) -> String {
        let packs = self
            .rules
            .packs
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| **used)
            .map(|(p, _)| PackJson {
                jurisdiction: &p.jurisdiction,
                name: &p.name,
                sources_read: &p.sources_read,
                title: &p.title,
                version: &p.version,
            })
            .collect();
        let doc = DocumentJson {
            version: 1,
            results: &self.results,
            errors: &self.errors,
            summary: &self.summary,
            packs,
        };
        let mut out = to_pretty(&doc);
        out.push('\n');
        out
    }
}

fn to_pretty(value: &impl Serialize) -> String {
    // Serializing these structs (strings, numbers, options) into memory cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn to_compact(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// What fixing a caption gives: the `POST /v1/fix` answer.
#[derive(Serialize)]
struct FixJson<'a> {
    caption: &'a str,
    changed: bool,
    /// A unified diff from the caption to the fixed one.
    diff: String,
    /// The edits on the caption as given (byte ranges) that give the fixed one.
    edits: Vec<Edit>,
    fixed: Vec<FixedJson<'a>>,
    id: &'a Option<String>,
    /// The findings left, on the fixed caption.
    remaining: Vec<DiagnosticJson<'a>>,
}

#[derive(Serialize)]
struct FixedJson<'a> {
    code: &'a str,
    message: &'a str,
}

/// Fix `caption` (unsafe fixes too with `unsafe_fixes`) and describe the result as
/// `POST /v1/fix` does: `{caption, changed, diff, edits, fixed, id, remaining}`, compact.
pub fn fix_json(caption: &Caption, rules: &RuleSet, unsafe_fixes: bool) -> String {
    let outcome = crate::fix::fix(caption, rules, unsafe_fixes);
    let original = caption.text.as_str();
    let doc = FixJson {
        caption: &outcome.text,
        changed: outcome.changed(original),
        diff: crate::fix::unified_diff(original, &outcome.text),
        edits: crate::fix::text_edits(original, &outcome.text),
        fixed: outcome
            .fixed
            .iter()
            .map(|(code, message)| FixedJson { code, message })
            .collect(),
        id: &caption.origin.record,
        remaining: outcome
            .remaining
            .iter()
            .map(|d| DiagnosticJson::new(&outcome.text, d))
            .collect(),
    };
    to_compact(&doc)
}

#[derive(Serialize)]
struct RulesJson<'a> {
    default_markets: &'a [String],
    markets: Vec<String>,
    packs: Vec<PackInfoJson<'a>>,
    platforms: Vec<PlatformJson<'a>>,
    rules: Vec<RuleInfoJson<'a>>,
}

#[derive(Serialize)]
struct PackInfoJson<'a> {
    name: &'a str,
    origin: &'a str,
    sources_read: &'a str,
    title: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct PlatformJson<'a> {
    aliases: &'a [String],
    fold: String,
    fold_chars: usize,
    fold_lines: Option<usize>,
    name: &'a str,
}

#[derive(Serialize)]
struct RuleInfoJson<'a> {
    code: &'a str,
    name: &'a str,
    pack: &'a str,
    severity: Severity,
    summary: &'a str,
    url: &'a str,
}

/// The rules a check can run, as `GET /v1/rules` answers (compact): the rules and packs of the
/// run's markets (`adlint rules --format json`), the platforms with their folds, every market
/// and the default ones.
pub fn rules_json(rules: &RuleSet) -> String {
    let active: Vec<usize> = rules.packs_for(&rules.markets).collect();
    let doc = RulesJson {
        default_markets: &rules.markets,
        markets: rules.jurisdictions(),
        packs: rules
            .packs
            .iter()
            .map(|p| PackInfoJson {
                name: &p.name,
                origin: &p.origin,
                sources_read: &p.sources_read,
                title: &p.title,
                version: &p.version,
            })
            .collect(),
        platforms: rules
            .platforms
            .iter()
            .map(|p| PlatformJson {
                aliases: &p.aliases,
                fold: p.fold_description(),
                fold_chars: p.fold_chars,
                fold_lines: p.fold_lines,
                name: &p.name,
            })
            .collect(),
        rules: rules
            .rules
            .iter()
            .filter(|r| active.contains(&r.pack))
            .map(|r| RuleInfoJson {
                code: &r.code,
                name: &r.name,
                pack: &rules.packs[r.pack].name,
                severity: r.severity,
                summary: &r.summary,
                url: &r.source,
            })
            .collect(),
    };
    to_compact(&doc)
}

/// What `adlint explain CODE` prints: what the rule checks, why, its source and its examples.
pub fn explain_text(rules: &RuleSet, r: &Rule) -> String {
    use std::fmt::Write as _;
    let pack = &rules.packs[r.pack];
    let mut out = String::new();
    let example = |out: &mut String, e: &Example| {
        let mut context = Vec::new();
        if let Some(p) = &e.platform {
            context.push(format!("platform {p}"));
        }
        match e.sponsored {
            Some(true) => context.push("declared sponsored".into()),
            Some(false) => context.push("declared not sponsored".into()),
            None => {}
        }
        if !e.brands.is_empty() {
            context.push(format!("brands {}", e.brands.join(", ")));
        }
        if !context.is_empty() {
            let _ = writeln!(out, "    ({})", context.join("; "));
        }
        for line in e.caption.lines() {
            let _ = writeln!(out, "    {line}");
        }
        out.push('\n');
    };
    // Writing to a String does not fail.
    let _ = writeln!(out, "# {} ({})\n", r.name, r.code);
    let _ = writeln!(
        out,
        "Pack: {} ({} {}) · Severity: {}\n",
        pack.name, pack.title, pack.version, r.severity
    );
    let _ = writeln!(out, "{}\n", r.summary);
    let _ = writeln!(out, "## What it checks\n");
    let _ = writeln!(out, "{}\n", r.docs.trim());
    let _ = writeln!(out, "## Why\n");
    let _ = writeln!(out, "{}:\n", r.source_title);
    let _ = writeln!(out, "> {}\n", r.quote);
    let _ = writeln!(out, "Source: {}\n", r.source);
    let _ = writeln!(out, "## Fails\n");
    for e in &r.fail_examples {
        example(&mut out, e);
    }
    let _ = writeln!(out, "## Passes\n");
    for e in &r.pass_examples {
        example(&mut out, e);
    }
    let _ = writeln!(
        out,
        "Not legal advice: adlint points at likely problems; it does not replace a lawyer."
    );
    out
}

#[derive(Serialize)]
struct RuleJson<'a> {
    code: &'a str,
    explain: String,
    jurisdiction: &'a Option<String>,
    name: &'a str,
    pack: &'a str,
    pack_version: &'a str,
    severity: Severity,
    summary: &'a str,
    url: &'a str,
}

/// One rule as `GET /v1/rules/{code}` answers (compact): its facts and [`explain_text`].
pub fn rule_json(rules: &RuleSet, r: &Rule) -> String {
    let pack = &rules.packs[r.pack];
    to_compact(&RuleJson {
        code: &r.code,
        explain: explain_text(rules, r),
        jurisdiction: &pack.jurisdiction,
        name: &r.name,
        pack: &pack.name,
        pack_version: &pack.version,
        severity: r.severity,
        summary: &r.summary,
        url: &r.source,
    })
}

/// Where a platform's "… more" cut falls in a caption: `POST /v1/fold` and the browser build.
#[derive(Serialize)]
struct FoldJson<'a> {
    /// Byte offset where the text shown before "… more" ends (the caption's length when it
    /// all shows).
    end: usize,
    /// "125 characters or 3 lines".
    fold: String,
    fold_chars: usize,
    fold_lines: Option<usize>,
    /// Whether some of the caption is behind "… more".
    hidden: bool,
    platform: &'a str,
}

/// The fold of `text` on `platform` ([`crate::text::fold_end`], the engine's own), compact.
pub fn fold_json(text: &str, platform: &Platform) -> String {
    let end = crate::text::fold_end(text, platform.fold_chars, platform.fold_lines);
    to_compact(&FoldJson {
        end,
        fold: platform.fold_description(),
        fold_chars: platform.fold_chars,
        fold_lines: platform.fold_lines,
        hidden: end < text.len(),
        platform: &platform.name,
    })
}
